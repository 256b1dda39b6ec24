/* The keyboard shortcuts window. GTK 3's GtkShortcutsWindow never destroys the box that
 * holds its search bar and sections (its dispose has that code under "#if 0", and
 * destroying a container only visits the sections): when the window is finalized the box
 * lives on with a parent pointer to freed memory. The next style change for the whole
 * screen (libhandy's style manager removes a provider 250 ms after every theme update)
 * then walks the box's widgets up to that freed "toplevel" and fails on it.
 *
 * This subclass takes the box out of the window once the parent's dispose is done, and
 * destroys it when the window is finalized. Not in dispose: dispose can run more than once,
 * and the parent's uses the box's stack each time. */

#include "config.h"

#include "cd-shortcuts-window.h"

struct _CdShortcutsWindow
{
  GtkShortcutsWindow  parent_instance;

  GtkWidget          *box;  /* the parent's contents, taken out in dispose */
};

G_DEFINE_TYPE (CdShortcutsWindow, cd_shortcuts_window, GTK_TYPE_SHORTCUTS_WINDOW)

static void
cd_shortcuts_window_dispose (GObject *object)
{
  CdShortcutsWindow *self = CD_SHORTCUTS_WINDOW (object);
  GtkWidget *box;

  G_OBJECT_CLASS (cd_shortcuts_window_parent_class)->dispose (object);

  box = gtk_bin_get_child (GTK_BIN (self));
  if (box != NULL)
    {
      g_assert (self->box == NULL);
      self->box = g_object_ref (box);
      gtk_container_remove (GTK_CONTAINER (self), box);
    }
}

static void
cd_shortcuts_window_finalize (GObject *object)
{
  CdShortcutsWindow *self = CD_SHORTCUTS_WINDOW (object);

  if (self->box != NULL)
    {
      gtk_widget_destroy (self->box);
      g_clear_object (&self->box);
    }

  G_OBJECT_CLASS (cd_shortcuts_window_parent_class)->finalize (object);
}

static void
cd_shortcuts_window_class_init (CdShortcutsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cd_shortcuts_window_dispose;
  object_class->finalize = cd_shortcuts_window_finalize;
}

static void
cd_shortcuts_window_init (CdShortcutsWindow *self)
{
}
