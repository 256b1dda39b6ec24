/* Signing in: the ID number is checked as it is typed, the password never leaves the
 * page but through ::sign-in. */

#include "config.h"

#include "cd-sign-in-page.h"

#include "cd-id-number.h"

#include <glib/gi18n.h>
#include <string.h>

#define RESIDENT_ID_LENGTH  18
#define DOCUMENT_MIN_LENGTH 5
#define DOCUMENT_MAX_LENGTH 32

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
  GtkSpinner      *spinner;           /* (unowned) */
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

static char *
normalize_id_number (const char *text)
{
  g_autoptr(GString) compact = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        g_string_append_unichar (compact, g_utf8_get_char (p));
    }

  return cd_id_number_normalize (compact->str);
}

static gboolean
is_digits (const char *text,
           gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
    }
  return TRUE;
}

/* Whether @id_number can be an ID number to sign in with; *out_problem says what is wrong
 * (or, for a resident ID number being typed, what is missing), or is NULL. */
static gboolean
check_id_number (const char  *id_number,
                 char       **out_problem)
{
  gsize len = strlen (id_number);
  gboolean all_digits;

  *out_problem = NULL;

  if (len == 0)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isalnum (id_number[i]))
        {
          *out_problem = g_strdup (_("An ID number has only letters and digits."));
          return FALSE;
        }
    }

  /* Resident ID numbers: 17 digits and a check character (a digit or X). */
  all_digits = is_digits (id_number, len);
  if (len == RESIDENT_ID_LENGTH && is_digits (id_number, RESIDENT_ID_LENGTH - 1))
    {
      if (cd_id_number_validate (CD_ID_TYPE_RESIDENT_ID, id_number, NULL))
        return TRUE;

      if (id_number[RESIDENT_ID_LENGTH - 1] != cd_id_number_check_digit (id_number))
        *out_problem = g_strdup (_("This resident ID number is mistyped: its last character does "
                                   "not match the others."));
      else
        *out_problem = g_strdup (_("This is not a resident ID number: the region or the birth "
                                   "date in it is not valid."));
      return FALSE;
    }

  if (all_digits && len > RESIDENT_ID_LENGTH)
    {
      *out_problem = g_strdup (_("A resident ID number has 18 characters."));
      return FALSE;
    }

  if (all_digits && len >= 15)
    {
      /* Most likely a resident ID number being typed; other documents may be all digits. */
      *out_problem = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "A resident ID number has 18 characters; %d is missing.",
                                                   "A resident ID number has 18 characters; %d are missing.",
                                                   (gulong) (RESIDENT_ID_LENGTH - len)),
                                      (int) (RESIDENT_ID_LENGTH - len));
    }

  if (len > DOCUMENT_MAX_LENGTH)
    {
      g_free (*out_problem);
      *out_problem = g_strdup_printf (_("An ID number has at most %d characters."), DOCUMENT_MAX_LENGTH);
      return FALSE;
    }

  /* Passports and other documents: 5 to 32 letters and digits. */
  return len >= DOCUMENT_MIN_LENGTH;
}

static void
update_form (CdSignInPage *self)
{
  g_autofree char *id_number = normalize_id_number (gtk_entry_get_text (self->id_entry));
  g_autofree char *problem = NULL;
  gboolean id_ok = check_id_number (id_number, &problem);
  gboolean password_ok = gtk_entry_get_text_length (self->password_entry) > 0;
  AtkObject *id_accessible = gtk_widget_get_accessible (GTK_WIDGET (self->id_entry));

  gtk_label_set_text (self->id_problem_label, problem != NULL ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->id_problem_label), problem != NULL);
  /* Screen readers read the problem with the field. */
  atk_object_set_description (id_accessible, problem != NULL ? problem : "");
  if (problem != NULL && !id_ok)
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
  gtk_label_set_text (self->status_label, message != NULL ? message : "");
  gtk_widget_set_visible (self->status_box, self->busy);
  if (self->busy)
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);
  gtk_widget_set_sensitive (self->form, !self->busy);
  gtk_widget_set_sensitive (self->register_link, !self->busy);
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

  return normalize_id_number (gtk_entry_get_text (self->id_entry));
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
