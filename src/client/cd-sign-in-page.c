/* Signing in: the ID number is checked as it is typed, the password never leaves the
 * page but through ::sign-in. */

#include "config.h"

#include "cd-sign-in-page.h"
#include "cd-spinner.h"

#include "cd-id-entry-check.h"
#include "cd-page-busy.h"

struct _CdSignInPage
{
  GtkBin           parent_instance;

  gboolean         busy;

  /* Template widgets */
  GtkEntry        *id_entry;          /* (unowned) */
  GtkLabel        *id_problem_label;  /* (unowned) */
  GtkEntry        *password_entry;    /* (unowned) */
  GtkToggleButton *remember_check;    /* (unowned) */
  GtkButton       *sign_in_button;    /* (unowned) */
  GtkWidget       *form;              /* (unowned) */
  GtkWidget       *status_box;        /* (unowned) */
  CdSpinner      *spinner;           /* (unowned) */
  GtkLabel        *status_label;      /* (unowned) */
  GtkWidget       *register_link;     /* (unowned) */
};

G_DEFINE_TYPE (CdSignInPage, cd_sign_in_page, GTK_TYPE_BIN)

enum
{
  SIGNAL_SIGN_IN,
  SIGNAL_REGISTER_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_form (CdSignInPage *self)
{
  g_autofree char *problem = NULL;
  CdEntryProblem kind;
  gboolean id_ok = cd_id_entry_check (gtk_entry_get_text (self->id_entry), CD_ID_ENTRY_ANY, &kind, &problem);
  gboolean password_ok = gtk_entry_get_text_length (self->password_entry) > 0;
  AtkObject *id_accessible = gtk_widget_get_accessible (GTK_WIDGET (self->id_entry));

  gtk_label_set_text (self->id_problem_label, problem != NULL ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->id_problem_label), problem != NULL);
  /* Screen readers read the problem with the field. */
  atk_object_set_description (id_accessible, problem != NULL ? problem : "");
  if (kind == CD_ENTRY_PROBLEM_ERROR)
    gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self->id_entry)), "error");
  else
    gtk_style_context_remove_class (gtk_widget_get_style_context (GTK_WIDGET (self->id_entry)), "error");

  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), id_ok && password_ok && !self->busy);
}

static void
sign_in (CdSignInPage *self)
{
  g_autofree char *id_number = NULL;

  if (self->busy || !gtk_widget_get_sensitive (GTK_WIDGET (self->sign_in_button)))
    return;

  id_number = cd_sign_in_page_dup_id_number (self);
  g_signal_emit (self, signals[SIGNAL_SIGN_IN], 0, id_number, gtk_entry_get_text (self->password_entry),
                 gtk_toggle_button_get_active (self->remember_check));
}

static void
entry_changed_cb (CdSignInPage *self)
{
  update_form (self);
}

static void
id_entry_activate_cb (CdSignInPage *self)
{
  if (gtk_entry_get_text_length (self->password_entry) == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
  else
    sign_in (self);
}

static void
password_entry_activate_cb (CdSignInPage *self)
{
  sign_in (self);
}

static void
sign_in_button_clicked_cb (CdSignInPage *self)
{
  sign_in (self);
}

static gboolean
register_link_activate_link_cb (CdSignInPage *self)
{
  g_signal_emit (self, signals[SIGNAL_REGISTER_REQUESTED], 0);

  /* Handled: there is nothing to open. */
  return TRUE;
}

static void
cd_sign_in_page_map (GtkWidget *widget)
{
  CdSignInPage *self = CD_SIGN_IN_PAGE (widget);

  GTK_WIDGET_CLASS (cd_sign_in_page_parent_class)->map (widget);

  /* Only now is there a window to be the default button of. */
  gtk_widget_grab_default (GTK_WIDGET (self->sign_in_button));
}

static void
cd_sign_in_page_class_init (CdSignInPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->map = cd_sign_in_page_map;

  /**
   * CdSignInPage::sign-in:
   * @id_number: the normalized ID number
   * @password: the password as typed
   * @remember: whether the holder wants the password kept in the keyring
   */
  signals[SIGNAL_SIGN_IN] =
    g_signal_new ("sign-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_BOOLEAN);

  /**
   * CdSignInPage::register-requested:
   *
   * The holder has no account yet and wants to register.
   */
  signals[SIGNAL_REGISTER_REQUESTED] =
    g_signal_new ("register-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (CD_TYPE_SPINNER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/certdesk/CertDesk/ui/cd-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CdSignInPage, id_entry);
  gtk_widget_class_bind_template_child (widget_class, CdSignInPage, id_problem_label);
  gtk_widget_class_bind_template_child (widget_class, CdSignInPage, password_entry);
  gtk_widget_class_bind_template_child (widget_class, CdSignInPage, remember_check);
  gtk_widget_class_bind_template_child (widget_class, CdSignInPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, CdSignInPage, form);
  gtk_widget_class_bind_template_child (widget_class, CdSignInPage, status_box);
  gtk_widget_class_bind_template_child (widget_class, CdSignInPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CdSignInPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, CdSignInPage, register_link);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, id_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, password_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, register_link_activate_link_cb);
}

static void
cd_sign_in_page_init (CdSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  update_form (self);
}

GtkWidget *
cd_sign_in_page_new (void)
{
  return g_object_new (CD_TYPE_SIGN_IN_PAGE, NULL);
}

void
cd_sign_in_page_set_busy (CdSignInPage *self,
                          const char   *message)
{
  g_return_if_fail (CD_IS_SIGN_IN_PAGE (self));

  self->busy = message != NULL;
  cd_page_busy_set (self->status_box, self->spinner, self->status_label, self->form, self->register_link,
                    message);
  update_form (self);
}

gboolean
cd_sign_in_page_get_busy (CdSignInPage *self)
{
  g_return_val_if_fail (CD_IS_SIGN_IN_PAGE (self), FALSE);

  return self->busy;
}

void
cd_sign_in_page_set_id_number (CdSignInPage *self,
                               const char   *id_number)
{
  g_return_if_fail (CD_IS_SIGN_IN_PAGE (self));

  gtk_entry_set_text (self->id_entry, id_number != NULL ? id_number : "");
}

char *
cd_sign_in_page_dup_id_number (CdSignInPage *self)
{
  g_return_val_if_fail (CD_IS_SIGN_IN_PAGE (self), NULL);

  return cd_id_entry_normalize (gtk_entry_get_text (self->id_entry));
}

void
cd_sign_in_page_clear_password (CdSignInPage *self)
{
  g_return_if_fail (CD_IS_SIGN_IN_PAGE (self));

  gtk_entry_set_text (self->password_entry, "");
}

void
cd_sign_in_page_focus (CdSignInPage *self)
{
  g_return_if_fail (CD_IS_SIGN_IN_PAGE (self));

  if (gtk_entry_get_text_length (self->id_entry) > 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->id_entry));
}
