/* Registering: the ID number is checked as it is typed, against the rules of the ID type
 * chosen; the passwords never leave the page but through ::register. Something still
 * being typed gets a hint, something wrong (or left incomplete) an error. */

#include "config.h"

#include "cd-register-page.h"
#include "cd-spinner.h"

#include "cd-client-error.h"
#include "cd-id-entry-check.h"
#include "cd-page-busy.h"

#include <glib/gi18n.h>
#include <string.h>

#define PASSWORD_MIN_CHARS  8

typedef enum
{
  LEFT_ID_NUMBER = 1 << 0,
  LEFT_PASSWORD  = 1 << 1,
  LEFT_CONFIRM   = 1 << 2,
} LeftFields;

#define N_FIELDS (CD_REGISTER_PAGE_FIELD_PASSWORD + 1)

struct _CdRegisterPage
{
  GtkBin           parent_instance;

  gboolean         busy;
  /* Fields the holder has left once: from then on, what is missing there is an error. */
  LeftFields       left;
  /* The service's answers, shown until the field is edited. */
  char            *errors[N_FIELDS];
  gboolean         id_ok;
  gboolean         name_ok;
  gboolean         password_ok;
  gboolean         confirm_ok;

  /* Template widgets */
  GtkComboBox     *id_type_combo;           /* (unowned) */
  GtkEntry        *id_entry;                /* (unowned) */
  GtkLabel        *id_problem_label;        /* (unowned) */
  GtkEntry        *name_entry;              /* (unowned) */
  GtkLabel        *name_problem_label;      /* (unowned) */
  GtkEntry        *password_entry;          /* (unowned) */
  GtkLabel        *password_problem_label;  /* (unowned) */
  GtkEntry        *confirm_entry;           /* (unowned) */
  GtkLabel        *confirm_problem_label;   /* (unowned) */
  GtkToggleButton *remember_check;          /* (unowned) */
  GtkLabel        *error_label;             /* (unowned) */
  GtkButton       *register_button;         /* (unowned) */
  GtkWidget       *form;                    /* (unowned) */
  GtkWidget       *status_box;              /* (unowned) */
  CdSpinner      *spinner;                 /* (unowned) */
  GtkLabel        *status_label;            /* (unowned) */
  GtkWidget       *sign_in_link;            /* (unowned) */
};

G_DEFINE_TYPE (CdRegisterPage, cd_register_page, GTK_TYPE_BIN)

enum
{
  SIGNAL_REGISTER,
  SIGNAL_SIGN_IN_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
dup_name (CdRegisterPage *self)
{
  return g_strstrip (g_strdup (gtk_entry_get_text (self->name_entry)));
}

static gboolean
check_name (const char      *name,
            CdEntryProblem  *out_kind,
            char           **out_problem)
{
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_iscntrl (g_utf8_get_char (p)))
        {
          *out_kind = CD_ENTRY_PROBLEM_ERROR;
          *out_problem = g_strdup (_("A name has no control characters."));
          return FALSE;
        }
    }

  /* The entry takes at most 64 characters, as the service does. */
  return *name != '\0';
}

static gboolean
check_password (const char      *password,
                CdEntryProblem  *out_kind,
                char           **out_problem)
{
  glong n_chars = g_utf8_strlen (password, -1);

  if (n_chars == 0)
    return FALSE;

  if (n_chars < PASSWORD_MIN_CHARS)
    {
      *out_kind = CD_ENTRY_PROBLEM_HINT;
      *out_problem = g_strdup (_("The password is too short: use at least 8 characters."));
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_confirm (const char      *password,
               const char      *confirm,
               CdEntryProblem  *out_kind,
               char           **out_problem)
{
  if (*confirm == '\0')
    return FALSE;

  if (strcmp (password, confirm) == 0)
    return TRUE;

  /* Still typing it: not a mismatch yet (the caller turns this into one later). */
  if (g_str_has_prefix (password, confirm))
    {
      *out_kind = CD_ENTRY_PROBLEM_NONE;
      return FALSE;
    }

  *out_kind = CD_ENTRY_PROBLEM_ERROR;
  *out_problem = g_strdup (_("The passwords do not match."));
  return FALSE;
}

static void
set_class (GtkWidget  *widget,
           const char *name,
           gboolean    set)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  if (set)
    gtk_style_context_add_class (context, name);
  else
    gtk_style_context_remove_class (context, name);
}

static void
show_problem (GtkEntry       *entry,
              GtkLabel       *label,
              CdEntryProblem  kind,
              const char     *problem)
{
  const char *text = kind != CD_ENTRY_PROBLEM_NONE && problem != NULL ? problem : "";

  gtk_label_set_text (label, text);
  gtk_widget_set_visible (GTK_WIDGET (label), *text != '\0');
  set_class (GTK_WIDGET (label), "cd-field-problem", kind == CD_ENTRY_PROBLEM_ERROR);
  set_class (GTK_WIDGET (label), "cd-field-hint", kind == CD_ENTRY_PROBLEM_HINT);
  set_class (GTK_WIDGET (label), "dim-label", kind == CD_ENTRY_PROBLEM_HINT);
  set_class (GTK_WIDGET (entry), "error", kind == CD_ENTRY_PROBLEM_ERROR);
  /* Screen readers read the problem with the field. */
  atk_object_set_description (gtk_widget_get_accessible (GTK_WIDGET (entry)), text);
}

/* A field's own problem gives way to the service's answer about it; a hint on a field
 * the holder has left is an error. */
static void
settle_problem (CdRegisterPage       *self,
                CdRegisterPageField   field,
                LeftFields            left,
                gboolean             *ok,
                CdEntryProblem       *kind,
                char                **problem)
{
  if (self->errors[field] != NULL)
    {
      *ok = FALSE;
      *kind = CD_ENTRY_PROBLEM_ERROR;
      g_free (*problem);
      *problem = g_strdup (self->errors[field]);
    }
  else if (*kind == CD_ENTRY_PROBLEM_HINT && (self->left & left) != 0)
    {
      *kind = CD_ENTRY_PROBLEM_ERROR;
    }
}

static void
update_form (CdRegisterPage *self)
{
  g_autofree char *name = dup_name (self);
  const char *password = gtk_entry_get_text (self->password_entry);
  const char *confirm = gtk_entry_get_text (self->confirm_entry);
  g_autofree char *id_problem = NULL;
  g_autofree char *name_problem = NULL;
  g_autofree char *password_problem = NULL;
  g_autofree char *confirm_problem = NULL;
  CdEntryProblem id_kind = CD_ENTRY_PROBLEM_NONE;
  CdEntryProblem name_kind = CD_ENTRY_PROBLEM_NONE;
  CdEntryProblem password_kind = CD_ENTRY_PROBLEM_NONE;
  CdEntryProblem confirm_kind = CD_ENTRY_PROBLEM_NONE;

  self->id_ok = cd_id_entry_check (gtk_entry_get_text (self->id_entry),
                                   cd_register_page_get_id_type (self) == CD_ID_TYPE_RESIDENT_ID
                                   ? CD_ID_ENTRY_RESIDENT_ID : CD_ID_ENTRY_DOCUMENT,
                                   &id_kind, &id_problem);
  settle_problem (self, CD_REGISTER_PAGE_FIELD_ID_NUMBER, LEFT_ID_NUMBER, &self->id_ok, &id_kind, &id_problem);
  show_problem (self->id_entry, self->id_problem_label, id_kind, id_problem);

  self->name_ok = check_name (name, &name_kind, &name_problem);
  settle_problem (self, CD_REGISTER_PAGE_FIELD_NAME, 0, &self->name_ok, &name_kind, &name_problem);
  show_problem (self->name_entry, self->name_problem_label, name_kind, name_problem);

  self->password_ok = check_password (password, &password_kind, &password_problem);
  settle_problem (self, CD_REGISTER_PAGE_FIELD_PASSWORD, LEFT_PASSWORD, &self->password_ok, &password_kind,
                  &password_problem);
  show_problem (self->password_entry, self->password_problem_label, password_kind, password_problem);

  self->confirm_ok = check_confirm (password, confirm, &confirm_kind, &confirm_problem);
  if (!self->confirm_ok && *confirm != '\0' && confirm_problem == NULL && (self->left & LEFT_CONFIRM) != 0)
    {
      confirm_kind = CD_ENTRY_PROBLEM_ERROR;
      confirm_problem = g_strdup (_("The passwords do not match."));
    }
  show_problem (self->confirm_entry, self->confirm_problem_label, confirm_kind, confirm_problem);

  gtk_label_set_text (self->error_label, self->errors[CD_REGISTER_PAGE_FIELD_NONE] != NULL
                                         ? self->errors[CD_REGISTER_PAGE_FIELD_NONE] : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), self->errors[CD_REGISTER_PAGE_FIELD_NONE] != NULL);

  gtk_widget_set_sensitive (GTK_WIDGET (self->register_button),
                            self->id_ok && self->name_ok && self->password_ok && self->confirm_ok &&
                            !self->busy);
}

static void
forget_error (CdRegisterPage      *self,
              CdRegisterPageField  field)
{
  g_clear_pointer (&self->errors[field], g_free);
  g_clear_pointer (&self->errors[CD_REGISTER_PAGE_FIELD_NONE], g_free);
}

static void
register_account (CdRegisterPage *self)
{
  g_autofree char *id_number = NULL;
  g_autofree char *name = NULL;

  if (self->busy || !gtk_widget_get_sensitive (GTK_WIDGET (self->register_button)))
    return;

  id_number = cd_register_page_dup_id_number (self);
  name = dup_name (self);
  g_signal_emit (self, signals[SIGNAL_REGISTER], 0,
                 cd_id_type_to_string (cd_register_page_get_id_type (self)), id_number, name,
                 gtk_entry_get_text (self->password_entry),
                 gtk_toggle_button_get_active (self->remember_check));
}

/* Enter registers once the form is complete, and otherwise goes on to @next (or, from the
 * last field, to the first field left to correct). */
static void
activate_entry (CdRegisterPage *self,
                GtkWidget      *next)
{
  if (gtk_widget_get_sensitive (GTK_WIDGET (self->register_button)))
    {
      register_account (self);
      return;
    }

  if (next != NULL)
    {
      gtk_widget_grab_focus (next);
      return;
    }

  self->left |= LEFT_ID_NUMBER | LEFT_PASSWORD | LEFT_CONFIRM;
  update_form (self);
  cd_register_page_focus (self);
}

static void
id_type_changed_cb (CdRegisterPage *self)
{
  static const struct { CdIdType type; const char *placeholder; } placeholders[] = {
    { CD_ID_TYPE_RESIDENT_ID, N_("18-character resident ID number") },
    { CD_ID_TYPE_PASSPORT, N_("Passport number") },
    { CD_ID_TYPE_OTHER, N_("Document number") },
  };
  CdIdType type = cd_register_page_get_id_type (self);

  for (guint i = 0; i < G_N_ELEMENTS (placeholders); i++)
    {
      if (placeholders[i].type == type)
        gtk_entry_set_placeholder_text (self->id_entry, _(placeholders[i].placeholder));
    }

  forget_error (self, CD_REGISTER_PAGE_FIELD_ID_NUMBER);
  update_form (self);
}

static void
id_entry_changed_cb (CdRegisterPage *self)
{
  forget_error (self, CD_REGISTER_PAGE_FIELD_ID_NUMBER);
  update_form (self);
}

static void
name_entry_changed_cb (CdRegisterPage *self)
{
  forget_error (self, CD_REGISTER_PAGE_FIELD_NAME);
  update_form (self);
}

static void
password_entry_changed_cb (CdRegisterPage *self)
{
  forget_error (self, CD_REGISTER_PAGE_FIELD_PASSWORD);
  update_form (self);
}

static gboolean
entry_focus_out_cb (CdRegisterPage *self,
                    GdkEvent       *event,
                    GtkWidget      *entry)
{
  /* An empty field was skipped, not left half-typed. */
  if (gtk_entry_get_text_length (GTK_ENTRY (entry)) > 0)
    {
      if (entry == GTK_WIDGET (self->id_entry))
        self->left |= LEFT_ID_NUMBER;
      else if (entry == GTK_WIDGET (self->password_entry))
        self->left |= LEFT_PASSWORD;
      else if (entry == GTK_WIDGET (self->confirm_entry))
        self->left |= LEFT_CONFIRM;
      update_form (self);
    }

  return GDK_EVENT_PROPAGATE;
}

static void
id_entry_activate_cb (CdRegisterPage *self)
{
  activate_entry (self, GTK_WIDGET (self->name_entry));
}

static void
name_entry_activate_cb (CdRegisterPage *self)
{
  activate_entry (self, GTK_WIDGET (self->password_entry));
}

static void
password_entry_activate_cb (CdRegisterPage *self)
{
  activate_entry (self, GTK_WIDGET (self->confirm_entry));
}

static void
confirm_entry_activate_cb (CdRegisterPage *self)
{
  activate_entry (self, NULL);
}

static void
register_button_clicked_cb (CdRegisterPage *self)
{
  register_account (self);
}

static gboolean
sign_in_link_activate_link_cb (CdRegisterPage *self)
{
  g_signal_emit (self, signals[SIGNAL_SIGN_IN_REQUESTED], 0);

  /* Handled: there is nothing to open. */
  return TRUE;
}

static void
cd_register_page_map (GtkWidget *widget)
{
  CdRegisterPage *self = CD_REGISTER_PAGE (widget);

  GTK_WIDGET_CLASS (cd_register_page_parent_class)->map (widget);

  /* Only now is there a window to be the default button of. */
  gtk_widget_grab_default (GTK_WIDGET (self->register_button));
}

static void
cd_register_page_finalize (GObject *object)
{
  CdRegisterPage *self = CD_REGISTER_PAGE (object);

  for (guint i = 0; i < N_FIELDS; i++)
    g_clear_pointer (&self->errors[i], g_free);

  G_OBJECT_CLASS (cd_register_page_parent_class)->finalize (object);
}

static void
cd_register_page_class_init (CdRegisterPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cd_register_page_finalize;
  widget_class->map = cd_register_page_map;

  /**
   * CdRegisterPage::register:
   * @id_type: the API's ID type: "resident_id", "passport" or "other"
   * @id_number: the normalized ID number
   * @name: the name, without leading or trailing spaces
   * @password: the password as typed (both fields agree)
   * @remember: whether the holder wants the password kept in the keyring
   */
  signals[SIGNAL_REGISTER] =
    g_signal_new ("register", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 5, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
                  G_TYPE_BOOLEAN);

  /**
   * CdRegisterPage::sign-in-requested:
   *
   * The holder has an account already and wants to sign in.
   */
  signals[SIGNAL_SIGN_IN_REQUESTED] =
    g_signal_new ("sign-in-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (CD_TYPE_SPINNER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/certdesk/CertDesk/ui/cd-register-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CdRegisterPage, id_type_combo);
  gtk_widget_class_bind_template_child (widget_class, CdRegisterPage, id_entry);
  gtk_widget_class_bind_template_child (widget_class, CdRegisterPage, id_problem_label);
  gtk_widget_class_bind_template_child (widget_class, CdRegisterPage, name_entry);
  gtk_widget_class_bind_template_child (widget_class, CdRegisterPage, name_problem_label);
  gtk_widget_class_bind_template_child (widget_class, CdRegisterPage, password_entry);
  gtk_widget_class_bind_template_child (widget_class, CdRegisterPage, password_problem_label);
  gtk_widget_class_bind_template_child (widget_class, CdRegisterPage, confirm_entry);
  gtk_widget_class_bind_template_child (widget_class, CdRegisterPage, confirm_problem_label);
  gtk_widget_class_bind_template_child (widget_class, CdRegisterPage, remember_check);
  gtk_widget_class_bind_template_child (widget_class, CdRegisterPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CdRegisterPage, register_button);
  gtk_widget_class_bind_template_child (widget_class, CdRegisterPage, form);
  gtk_widget_class_bind_template_child (widget_class, CdRegisterPage, status_box);
  gtk_widget_class_bind_template_child (widget_class, CdRegisterPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CdRegisterPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, CdRegisterPage, sign_in_link);
  gtk_widget_class_bind_template_callback (widget_class, id_type_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, id_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, password_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_focus_out_cb);
  gtk_widget_class_bind_template_callback (widget_class, id_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, password_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, confirm_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, register_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_link_activate_link_cb);
}

static void
cd_register_page_init (CdRegisterPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  update_form (self);
}

GtkWidget *
cd_register_page_new (void)
{
  return g_object_new (CD_TYPE_REGISTER_PAGE, NULL);
}

void
cd_register_page_set_busy (CdRegisterPage *self,
                           const char     *message)
{
  g_return_if_fail (CD_IS_REGISTER_PAGE (self));

  self->busy = message != NULL;
  cd_page_busy_set (self->status_box, self->spinner, self->status_label, self->form, self->sign_in_link,
                    message);
  update_form (self);
}

gboolean
cd_register_page_get_busy (CdRegisterPage *self)
{
  g_return_val_if_fail (CD_IS_REGISTER_PAGE (self), FALSE);

  return self->busy;
}

void
cd_register_page_set_id_type (CdRegisterPage *self,
                              CdIdType        id_type)
{
  g_return_if_fail (CD_IS_REGISTER_PAGE (self));
  g_return_if_fail (id_type <= CD_ID_TYPE_OTHER);

  gtk_combo_box_set_active_id (self->id_type_combo, cd_id_type_to_string (id_type));
}

CdIdType
cd_register_page_get_id_type (CdRegisterPage *self)
{
  CdIdType type = CD_ID_TYPE_RESIDENT_ID;

  g_return_val_if_fail (CD_IS_REGISTER_PAGE (self), CD_ID_TYPE_RESIDENT_ID);

  /* The combo's IDs are the API's names (ui/cd-register-page.ui). */
  if (!cd_id_type_from_string (gtk_combo_box_get_active_id (self->id_type_combo), &type))
    g_assert_not_reached ();
  return type;
}

void
cd_register_page_set_id_number (CdRegisterPage *self,
                                const char     *id_number)
{
  g_return_if_fail (CD_IS_REGISTER_PAGE (self));

  gtk_entry_set_text (self->id_entry, id_number != NULL ? id_number : "");
}

char *
cd_register_page_dup_id_number (CdRegisterPage *self)
{
  g_return_val_if_fail (CD_IS_REGISTER_PAGE (self), NULL);

  return cd_id_entry_normalize (gtk_entry_get_text (self->id_entry));
}

void
cd_register_page_clear_passwords (CdRegisterPage *self)
{
  g_return_if_fail (CD_IS_REGISTER_PAGE (self));

  /* GtkEntryBuffer zeroes the text it deletes. */
  gtk_entry_set_text (self->password_entry, "");
  gtk_entry_set_text (self->confirm_entry, "");
  self->left &= ~(LEFT_PASSWORD | LEFT_CONFIRM);
  update_form (self);
}

void
cd_register_page_clear (CdRegisterPage *self)
{
  g_return_if_fail (CD_IS_REGISTER_PAGE (self));

  cd_register_page_set_id_type (self, CD_ID_TYPE_RESIDENT_ID);
  gtk_entry_set_text (self->id_entry, "");
  gtk_entry_set_text (self->name_entry, "");
  gtk_toggle_button_set_active (self->remember_check, FALSE);
  cd_register_page_clear_passwords (self);
  for (guint i = 0; i < N_FIELDS; i++)
    g_clear_pointer (&self->errors[i], g_free);
  self->left = 0;
  update_form (self);
}

void
cd_register_page_focus (CdRegisterPage *self)
{
  g_return_if_fail (CD_IS_REGISTER_PAGE (self));

  if (!self->id_ok)
    gtk_widget_grab_focus (GTK_WIDGET (self->id_entry));
  else if (!self->name_ok)
    gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
  else if (!self->password_ok)
    gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
  else if (!self->confirm_ok)
    gtk_widget_grab_focus (GTK_WIDGET (self->confirm_entry));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->register_button));
}

void
cd_register_page_set_error (CdRegisterPage      *self,
                            CdRegisterPageField  field,
                            const char          *message)
{
  g_return_if_fail (CD_IS_REGISTER_PAGE (self));
  g_return_if_fail (field < N_FIELDS);

  g_free (self->errors[field]);
  self->errors[field] = message != NULL && *message != '\0' ? g_strdup (message) : NULL;
  update_form (self);
}

void
cd_register_page_show_error (CdRegisterPage *self,
                             const GError   *error)
{
  CdRegisterPageField field = CD_REGISTER_PAGE_FIELD_NONE;

  g_return_if_fail (CD_IS_REGISTER_PAGE (self));
  g_return_if_fail (error != NULL);

  if (error->domain == CD_CLIENT_ERROR)
    {
      switch ((CdClientError) error->code)
        {
        case CD_CLIENT_ERROR_ACCOUNT_EXISTS:
          field = CD_REGISTER_PAGE_FIELD_ID_NUMBER;
          break;
        case CD_CLIENT_ERROR_WEAK_PASSWORD:
          field = CD_REGISTER_PAGE_FIELD_PASSWORD;
          break;
        default:
          break;
        }
    }

  cd_register_page_set_error (self, field, error->message);
}
