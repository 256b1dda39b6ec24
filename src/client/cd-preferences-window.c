/* The preferences: the certificate service's address and the days of warning before an
 * annotation lapses. The address is checked with the client core's own rules as it is
 * typed; only a valid one reaches GSettings, so the next start never meets a setting it
 * refuses. */

#include "config.h"

#include "cd-preferences-window.h"

#include "cd-client.h"

#include <glib/gi18n.h>

struct _CdPreferencesWindow
{
  HdyPreferencesWindow  parent_instance;

  GSettings            *settings;

  /* Template widgets */
  GtkEntry             *service_entry;          /* (unowned) */
  GtkLabel             *service_problem_label;  /* (unowned) */
  GtkSpinButton        *reminder_spin;          /* (unowned) */
};

G_DEFINE_TYPE (CdPreferencesWindow, cd_preferences_window, HDY_TYPE_PREFERENCES_WINDOW)

enum
{
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The address in the entry as the client core would use it (without surrounding spaces
 * and trailing slashes), or NULL with @error set when the core refuses it. */
static char *
dup_valid_service_url (CdPreferencesWindow  *self,
                       GError              **error)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_entry_get_text (self->service_entry)));
  g_autoptr(CdClient) client = NULL;

  client = cd_client_new (text, error);
  if (client == NULL)
    return NULL;

  return g_strdup (cd_client_get_base_url (client));
}

static void
show_service_problem (CdPreferencesWindow *self,
                      const char          *problem)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self->service_entry));
  AtkObject *accessible = gtk_widget_get_accessible (GTK_WIDGET (self->service_entry));

  gtk_label_set_text (self->service_problem_label, problem != NULL ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->service_problem_label), problem != NULL);
  /* Screen readers read the problem with the field. */
  atk_object_set_description (accessible, problem != NULL ? problem : "");
  if (problem != NULL)
    gtk_style_context_add_class (context, GTK_STYLE_CLASS_ERROR);
  else
    gtk_style_context_remove_class (context, GTK_STYLE_CLASS_ERROR);
}

/* Writes the address when it is valid and differs from the setting. */
static void
save_service_url (CdPreferencesWindow *self)
{
  g_autofree char *url = dup_valid_service_url (self, NULL);
  g_autofree char *current = NULL;

  if (url == NULL)
    return;

  current = g_settings_get_string (self->settings, "service-url");
  if (g_strcmp0 (current, url) != 0)
    {
      g_debug ("The service address is now %s", url);
      g_settings_set_string (self->settings, "service-url", url);
    }
}

static void
service_entry_changed_cb (CdPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = dup_valid_service_url (self, &error);

  show_service_problem (self, url == NULL ? error->message : NULL);
}

static void
service_entry_activate_cb (CdPreferencesWindow *self)
{
  save_service_url (self);
}

static void
cd_preferences_window_unmap (GtkWidget *widget)
{
  CdPreferencesWindow *self = CD_PREFERENCES_WINDOW (widget);

  /* Closing the window keeps a valid address that was typed without pressing Enter. */
  save_service_url (self);

  GTK_WIDGET_CLASS (cd_preferences_window_parent_class)->unmap (widget);
}

static void
cd_preferences_window_constructed (GObject *object)
{
  CdPreferencesWindow *self = CD_PREFERENCES_WINDOW (object);
  g_autofree char *url = NULL;

  G_OBJECT_CLASS (cd_preferences_window_parent_class)->constructed (object);

  if (self->settings == NULL)
    self->settings = g_settings_new (APPLICATION_ID);

  url = g_settings_get_string (self->settings, "service-url");
  gtk_entry_set_text (self->service_entry, url);
  g_settings_bind (self->settings, "reminder-days", self->reminder_spin, "value", G_SETTINGS_BIND_DEFAULT);
}

static void
cd_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CdPreferencesWindow *self = CD_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  CdPreferencesWindow *self = CD_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_set_object (&self->settings, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Not in dispose: destroying the window unmaps it in the parent's dispose, and unmapping
 * still saves the address. */
static void
cd_preferences_window_finalize (GObject *object)
{
  CdPreferencesWindow *self = CD_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cd_preferences_window_parent_class)->finalize (object);
}

static void
cd_preferences_window_class_init (CdPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cd_preferences_window_constructed;
  object_class->get_property = cd_preferences_window_get_property;
  object_class->set_property = cd_preferences_window_set_property;
  object_class->finalize = cd_preferences_window_finalize;
  widget_class->unmap = cd_preferences_window_unmap;

  /**
   * CdPreferencesWindow:settings:
   *
   * The settings the window shows and changes (schema APPLICATION_ID).
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", "Settings", "The settings the window shows and changes",
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS |
                         G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/certdesk/CertDesk/ui/cd-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CdPreferencesWindow, service_entry);
  gtk_widget_class_bind_template_child (widget_class, CdPreferencesWindow, service_problem_label);
  gtk_widget_class_bind_template_child (widget_class, CdPreferencesWindow, reminder_spin);
  gtk_widget_class_bind_template_callback (widget_class, service_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, service_entry_activate_cb);
}

static void
cd_preferences_window_init (CdPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

CdPreferencesWindow *
cd_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (CD_TYPE_PREFERENCES_WINDOW,
                       "settings", settings,
                       NULL);
}
