/* The main window: signing in, the service notice, the certificate list and the
 * library, and the navigation between them (the document screen is CdDocumentPage's).
 * Every network call runs with the window's cancellable; errors go to the banner. */

#include "config.h"

#include "cd-window.h"
#include "cd-spinner.h"

#include "cd-annotation-page.h"
#include "cd-certificate-list.h"
#include "cd-document-page.h"
#include "cd-document-store.h"
#include "cd-id-number.h"
#include "cd-list-cache.h"
#include "cd-register-page.h"
#include "cd-shortcuts-window.h"
#include "cd-sign-in-page.h"
#include "cd-time.h"

#include <glib/gi18n.h>
#include <string.h>

#define PAGE_SIGN_IN      "sign-in"
#define PAGE_REGISTER     "register"
#define PAGE_LOADING      "loading"
#define PAGE_NOTICE       "notice"
#define PAGE_CERTIFICATES "certificates"
#define PAGE_ANNOTATIONS  "annotations"
#define PAGE_LIBRARY      "library"
#define PAGE_DOCUMENT     "document"

typedef void (*RetryFunc) (CdWindow *self);

struct _CdWindow
{
  HdyApplicationWindow  parent_instance;

  CdClient             *client;
  CdKeyring            *keyring;
  CdHolder             *holder;
  CdNotice             *notice;
  GCancellable         *cancellable;
  GCancellable         *lifetime_cancellable; /* keyring writes, the library: outlive signing out, not the window */
  char                 *kept_token;        /* the token last stored in the keyring */
  char                 *pending_password;  /* while signing in; wiped */
  CdWindowCredentials   pending_credentials;
  RetryFunc             retry_func;        /* what "Try Again" on the loading page does */
  gboolean              certificates_loaded;
  GSettings            *settings;
  CdTrustStore         *trust;
  CdDocumentStore      *library;           /* the signed-in holder's; see get_library () */
  CdListCache          *list_cache;
  GPtrArray            *library_entries;   /* (element-type CdLibraryEntry) */
  GHashTable           *reminded;          /* annotation IDs reminded of in this run */
  GPtrArray            *history;           /* pages "Back" returns to, last on top */
  CdCertificate        *queued_certificate; /* opened from the cached list before signing in */
  CdHolder             *cached_holder;     /* whose cached list is shown, until signed in */
  GPtrArray            *certificates;      /* (element-type CdCertificate) from the service */
  int                   width;             /* the size to restore next time */
  int                   height;
  gboolean              maximized;

  /* Template widgets */
  HdyHeaderBar         *header_bar;          /* (unowned) */
  GtkInfoBar           *banner;              /* (unowned) */
  GtkImage             *banner_icon;         /* (unowned) */
  GtkLabel             *banner_label;        /* (unowned) */
  GtkStack             *stack;               /* (unowned) */
  GtkWidget            *refresh_button;      /* (unowned) */
  GtkWidget            *back_button;         /* (unowned) */
  CdSignInPage         *sign_in_page;        /* (unowned) */
  CdRegisterPage       *register_page;       /* (unowned) */
  CdSpinner           *loading_spinner;     /* (unowned) */
  GtkLabel             *loading_label;       /* (unowned) */
  GtkButton            *retry_button;        /* (unowned) */
  GtkLabel             *notice_title_label;  /* (unowned) */
  GtkLabel             *notice_body_label;   /* (unowned) */
  GtkButton            *accept_button;       /* (unowned) */
  CdCertificateList    *certificate_list;    /* (unowned) */
  CdAnnotationPage     *annotation_page;     /* (unowned) */
  GtkLabel             *holder_label;        /* (unowned) */
  GtkWidget            *save_button;         /* (unowned) */
  GtkWidget            *banner_retry_button; /* (unowned) */
  CdCertificateList    *library_list;        /* (unowned) */
  CdDocumentPage       *document_page;       /* (unowned) */
};

G_DEFINE_TYPE (CdWindow, cd_window, HDY_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_CLIENT,
  PROP_KEYRING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void load_notice       (CdWindow *self);
static void load_certificates (CdWindow *self);
static void go_offline        (CdWindow     *self,
                               const GError *error);
static void go_back           (CdWindow     *self);
static void show_library_entries (CdWindow  *self,
                                  GPtrArray *entries);
static void show_banner       (CdWindow       *self,
                               GtkMessageType  type,
                               const char     *message);

static void
wipe_password (char **password)
{
  if (*password != NULL)
    explicit_bzero (*password, strlen (*password));
  g_clear_pointer (password, g_free);
}

/* Keyring writes outlive signing out, not the window; CdKeyring runs them one at a
 * time, in order. Failing to keep a credential for the session is for signing in
 * again unseen, and nothing the holder asked for: only logged. */
static void
store_password_cb (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cd_keyring_store_password_finish (CD_KEYRING (source_object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Keeping the password failed: %s", error->message);
}

/* Signing in worked; only remembering the password, which the holder asked for, did not. */
static void
remember_password_cb (GObject      *source_object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (cd_keyring_store_password_finish (CD_KEYRING (source_object), result, &error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_debug ("Remembering the password failed: %s", error->message);
  show_banner (CD_WINDOW (user_data), GTK_MESSAGE_WARNING, error->message);
}

static void
store_token_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cd_keyring_store_token_finish (CD_KEYRING (source_object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Keeping the token failed: %s", error->message);
}

static void
forget_cb (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cd_keyring_clear_finish (CD_KEYRING (source_object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Forgetting the password failed: %s", error->message);
}

static void
set_signed_in_actions (CdWindow *self,
                       gboolean  signed_in)
{
  GAction *action;

  action = g_action_map_lookup_action (G_ACTION_MAP (self), "sign-out");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), signed_in);
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "refresh");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), signed_in && self->holder != NULL);
}

static void
update_header (CdWindow *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->stack);
  gboolean document = g_strcmp0 (name, PAGE_DOCUMENT) == 0;
  GAction *save_copy = g_action_map_lookup_action (G_ACTION_MAP (self), "save-copy");

  gtk_widget_set_visible (self->refresh_button, g_strcmp0 (name, PAGE_CERTIFICATES) == 0);
  gtk_widget_set_visible (self->back_button, self->history->len > 0);
  gtk_widget_set_visible (self->save_button, document);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (save_copy),
                               document && cd_document_page_get_can_save (self->document_page));
}

static void
set_page (CdWindow   *self,
          const char *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
  update_header (self);

  if (g_str_equal (name, PAGE_SIGN_IN))
    cd_sign_in_page_focus (self->sign_in_page);
  else if (g_str_equal (name, PAGE_REGISTER))
    cd_register_page_focus (self->register_page);
  else if (g_str_equal (name, PAGE_NOTICE))
    gtk_widget_grab_focus (GTK_WIDGET (self->accept_button));
  else if (g_str_equal (name, PAGE_DOCUMENT))
    gtk_widget_child_focus (GTK_WIDGET (self->document_page), GTK_DIR_TAB_FORWARD);
}

/* A page of its own (sign-in, the list…): there is nothing to go back to. */
static void
show_page (CdWindow   *self,
           const char *name)
{
  g_ptr_array_set_size (self->history, 0);

  /* A PDF the holder opened stays in front while the app signs in behind it. */
  if (cd_document_page_is_local (self->document_page) &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), PAGE_DOCUMENT) == 0)
    {
      g_ptr_array_add (self->history, g_strdup (name));
      update_header (self);
      return;
    }

  set_page (self, name);
}

/* A page opened from the one shown, which "Back" returns to. */
static void
push_page (CdWindow   *self,
           const char *name)
{
  const char *current = gtk_stack_get_visible_child_name (self->stack);

  if (current != NULL && !g_str_equal (current, name))
    g_ptr_array_add (self->history, g_strdup (current));
  set_page (self, name);
}

static void
show_banner (CdWindow       *self,
             GtkMessageType  type,
             const char     *message)
{
  GtkStyleContext *icon_style = gtk_widget_get_style_context (GTK_WIDGET (self->banner_icon));
  gboolean error = type == GTK_MESSAGE_ERROR;
  const char *icon_name = error ? "dialog-error-symbolic"
                          : type == GTK_MESSAGE_INFO ? "object-select-symbolic"
                          : "dialog-warning-symbolic";

  /* Adwaita draws every kind of info bar alike: the icon tells an error from a warning. */
  gtk_image_set_from_icon_name (self->banner_icon, icon_name, GTK_ICON_SIZE_BUTTON);
  gtk_widget_set_visible (self->banner_retry_button, FALSE);
  if (error)
    gtk_style_context_add_class (icon_style, "cd-banner-error");
  else
    gtk_style_context_remove_class (icon_style, "cd-banner-error");
  gtk_label_set_text (self->banner_label, message);
  gtk_info_bar_set_message_type (self->banner, type);
  gtk_info_bar_set_revealed (self->banner, TRUE);
}

static void
hide_banner (CdWindow *self)
{
  gtk_info_bar_set_revealed (self->banner, FALSE);
}

/* The loading page: a spinner and @message while @failed is FALSE; else the message of
 * a failure, with a "Try Again" button that runs @retry when there is one. */
static void
show_loading (CdWindow   *self,
              const char *message,
              gboolean    failed,
              RetryFunc   retry)
{
  self->retry_func = retry;
  gtk_label_set_text (self->loading_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->loading_spinner), !failed);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), failed && retry != NULL);
  if (failed)
    cd_spinner_stop (self->loading_spinner);
  else
    cd_spinner_start (self->loading_spinner);
  show_page (self, PAGE_LOADING);
  if (failed && retry != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->retry_button));
}

static const char *
get_service (CdWindow *self)
{
  return cd_client_get_base_url (self->client);
}

/* Drops everything of the signed-in holder; the page is the caller's to choose. */
static void
forget_holder (CdWindow *self)
{
  g_clear_object (&self->holder);
  g_clear_object (&self->notice);
  g_clear_object (&self->cached_holder);
  g_clear_pointer (&self->kept_token, g_free);
  self->certificates_loaded = FALSE;
  g_clear_pointer (&self->certificates, g_ptr_array_unref);
  g_clear_object (&self->queued_certificate);
  cd_certificate_list_set_certificates (self->certificate_list, NULL);
  show_library_entries (self, NULL);
  g_clear_object (&self->library);
  cd_annotation_page_set_certificate (self->annotation_page, NULL, NULL);
  hdy_header_bar_set_subtitle (self->header_bar, NULL);
  gtk_label_set_text (self->holder_label, "");
  set_signed_in_actions (self, FALSE);
}

/* Back to the sign-in page, with @message in the banner. */
static void
show_sign_in (CdWindow   *self,
              const char *message)
{
  const char *id_number = self->client != NULL ? cd_client_get_id_number (self->client) : NULL;

  forget_holder (self);
  cd_sign_in_page_set_busy (self->sign_in_page, NULL);
  if (id_number != NULL)
    cd_sign_in_page_set_id_number (self->sign_in_page, id_number);
  show_page (self, PAGE_SIGN_IN);
  if (message != NULL)
    show_banner (self, GTK_MESSAGE_ERROR, message);
}

static gboolean
is_unreachable (const GError *error)
{
  return g_error_matches (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_NETWORK) ||
         g_error_matches (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_TIMEOUT);
}

/* An error of a call made while signed in. */
static void
handle_error (CdWindow     *self,
              const GError *error,
              RetryFunc     retry)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  /* Starting up without the service (a cached list or a spinner shown), the downloaded
   * certificates are what the holder can still use. */
  if (is_unreachable (error) && !self->certificates_loaded &&
      (g_strcmp0 (page, PAGE_LOADING) == 0 || g_strcmp0 (page, PAGE_CERTIFICATES) == 0))
    {
      go_offline (self, error);
    }
  else if (g_error_matches (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_NOTICE_NOT_ACCEPTED))
    {
      load_notice (self);
    }
  else if (g_error_matches (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_UNAUTHORIZED) ||
           g_error_matches (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_INVALID_CREDENTIALS))
    {
      show_sign_in (self, error->message);
    }
  else if (g_strcmp0 (page, PAGE_LOADING) == 0)
    {
      show_loading (self, error->message, TRUE, retry);
      show_banner (self, GTK_MESSAGE_ERROR, error->message);
    }
  else
    {
      show_banner (self, GTK_MESSAGE_ERROR, error->message);
    }
}

/* Keeps a new token of the client for the next start, until the desktop session ends;
 * failing that is not the holder's concern. */
static void
keep_token (CdWindow *self)
{
  const char *token = cd_client_get_token (self->client);
  const char *id_number = cd_client_get_id_number (self->client);

  if (self->keyring == NULL || token == NULL || g_strcmp0 (token, self->kept_token) == 0)
    return;

  g_free (self->kept_token);
  self->kept_token = g_strdup (token);
  if (id_number != NULL)
    cd_keyring_store_token_async (self->keyring, get_service (self), id_number, token,
                                  CD_KEYRING_SESSION_ONLY, self->lifetime_cancellable,
                                  store_token_cb, NULL);
}

static void
show_holder (CdWindow *self,
             CdHolder *holder)
{
  g_autofree char *holder_text = NULL;

  hdy_header_bar_set_subtitle (self->header_bar, cd_holder_get_name (holder));
  /* Translators: under the list of certificates: the holder's name and masked ID number. */
  holder_text = g_strdup_printf (_("%s, ID number %s"), cd_holder_get_name (holder),
                                 cd_holder_get_id_number_masked (holder));
  gtk_label_set_text (self->holder_label, holder_text);
}

/* The list is kept for the next start only where the sign-in is (the keyring). */
static gboolean
caches_list (CdWindow *self)
{
  return self->keyring != NULL && self->client != NULL;
}

static void
forget_cached_list (CdWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (self->client != NULL && !cd_list_cache_remove (self->list_cache, get_service (self), &error))
    g_warning ("Cannot remove the cached certificate list: %s", error->message);
}

/* Shows the list the service gave last time, before it answers again. */
static gboolean
show_cached_list (CdWindow *self)
{
  g_autoptr(CdHolder) holder = NULL;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GError) error = NULL;

  if (!cd_list_cache_load (self->list_cache, get_service (self), &holder, &certificates, NULL, &error))
    {
      if (error != NULL)
        g_debug ("Ignoring the cached certificate list: %s", error->message);
      return FALSE;
    }

  show_holder (self, holder);
  cd_certificate_list_set_certificates (self->certificate_list, certificates);
  g_set_object (&self->cached_holder, holder);
  show_page (self, PAGE_CERTIFICATES);
  return TRUE;
}

static CdLibraryEntry *
find_library_entry (CdWindow   *self,
                    const char *cert_no)
{
  for (guint i = 0; self->library_entries != NULL && i < self->library_entries->len; i++)
    {
      CdLibraryEntry *entry = g_ptr_array_index (self->library_entries, i);

      if (g_strcmp0 (cd_certificate_get_cert_no (cd_library_entry_get_certificate (entry)), cert_no) == 0)
        return entry;
    }

  return NULL;
}

/* A reminder, once per run, for each downloaded annotation that lapses within the
 * days the preferences say. */
static void
send_lapse_reminders (CdWindow *self)
{
  GApplication *application = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  guint days = g_settings_get_uint (self->settings, "reminder-days");
  gint64 now = cd_time_now ();

  if (application == NULL)
    application = g_application_get_default ();
  if (application == NULL || days == 0 || self->library_entries == NULL)
    return;

  for (guint i = 0; i < self->library_entries->len; i++)
    {
      CdLibraryEntry *entry = g_ptr_array_index (self->library_entries, i);
      CdAnnotation *annotation = cd_library_entry_get_annotation (entry);
      CdCertificate *certificate = cd_library_entry_get_certificate (entry);
      gint64 until = cd_annotation_get_valid_until (annotation);
      g_autoptr(GNotification) notification = NULL;
      g_autofree char *title = NULL;
      g_autofree char *date = NULL;
      g_autofree char *id = NULL;

      if (!cd_library_entry_is_valid_at (entry, now) || until - now > (gint64) days * 24 * 3600 ||
          g_hash_table_contains (self->reminded, cd_annotation_get_id (annotation)))
        continue;

      g_hash_table_add (self->reminded, g_strdup (cd_annotation_get_id (annotation)));
      date = cd_time_format_local_date (until);
      /* Translators: a desktop notification; %1$s is the qualification of the
       * certificate, %2$s a date, 2027-02-23. */
      title = g_strdup_printf (_("The annotation of %1$s lapses on %2$s"),
                               cd_certificate_get_qualification (certificate), date);
      notification = g_notification_new (title);
      g_notification_set_body (notification,
                               _("Apply for a new annotation before then to keep using the electronic certificate."));
      id = g_strdup_printf ("annotation-lapses-%s", cd_annotation_get_id (annotation));
      g_application_send_notification (application, id, notification);
    }
}

/* The offline library of the holder the client is for: each holder has their own. */
static CdDocumentStore *
get_library (CdWindow *self)
{
  const char *id_number = self->client != NULL ? cd_client_get_id_number (self->client) : NULL;
  g_autofree char *directory = NULL;

  if (id_number != NULL)
    directory = cd_document_store_get_default_directory (id_number);
  if (self->library != NULL)
    {
      g_autofree char *current = g_file_get_path (cd_document_store_get_directory (self->library));

      if (g_strcmp0 (current, directory) == 0)
        return self->library;
    }

  /* Another holder's entries go at once, not when the new list is read. */
  g_clear_object (&self->library);
  show_library_entries (self, NULL);
  if (directory != NULL)
    self->library = cd_document_store_new (directory, self->trust);
  return self->library;
}

static void
show_library_entries (CdWindow  *self,
                      GPtrArray *entries)
{
  g_autoptr(GPtrArray) certificates = g_ptr_array_new_with_free_func (g_object_unref);

  /* Each certificate shows the annotation that was downloaded with it. */
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      CdLibraryEntry *entry = g_ptr_array_index (entries, i);
      CdCertificate *certificate = cd_library_entry_get_certificate (entry);

      cd_certificate_set_latest_annotation (certificate, cd_library_entry_get_annotation (entry));
      g_ptr_array_add (certificates, g_object_ref (certificate));
    }

  g_clear_pointer (&self->library_entries, g_ptr_array_unref);
  self->library_entries = entries != NULL ? g_ptr_array_ref (entries) : NULL;
  cd_certificate_list_set_certificates (self->library_list, certificates);
}

static void
library_listed_cb (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  CdWindow *self;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = cd_document_store_list_finish (CD_DOCUMENT_STORE (source_object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CD_WINDOW (user_data);
  /* Signed out, or another holder, meanwhile. */
  if (CD_DOCUMENT_STORE (source_object) != self->library)
    return;
  if (entries == NULL)
    {
      show_banner (self, GTK_MESSAGE_ERROR, error->message);
      return;
    }

  show_library_entries (self, entries);
  send_lapse_reminders (self);
}

static void
load_library (CdWindow *self)
{
  CdDocumentStore *library = get_library (self);

  if (library == NULL)
    return;

  cd_document_store_list_async (library, self->lifetime_cancellable, library_listed_cb, self);
}

static void
go_offline (CdWindow     *self,
            const GError *error)
{
  g_autofree char *message = NULL;

  load_library (self);
  show_page (self, PAGE_LIBRARY);
  /* Translators: %s is a sentence that says why, e.g. that the service cannot be
   * reached because the connection was refused. */
  message = g_strdup_printf (_("%s These are the certificates downloaded to this computer."), error->message);
  show_banner (self, GTK_MESSAGE_WARNING, message);
  gtk_widget_set_visible (self->banner_retry_button, TRUE);
}

/* A document that could not be fetched: back where the holder asked for it. */
static void
document_page_failed_cb (CdWindow     *self,
                         const GError *error)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), PAGE_DOCUMENT) == 0)
    go_back (self);
  handle_error (self, error, NULL);
}

static void
document_page_error_cb (CdWindow     *self,
                        const GError *error)
{
  show_banner (self, GTK_MESSAGE_ERROR, error->message);
}

static void
document_page_started_cb (CdWindow *self)
{
  push_page (self, PAGE_DOCUMENT);
}

static void
document_page_downloaded_cb (CdWindow *self)
{
  keep_token (self);
}

static void
document_page_stored_cb (CdWindow       *self,
                         CdLibraryEntry *entry)
{
  load_library (self);
}

static void
document_page_saved_cb (CdWindow *self,
                        GFile    *destination)
{
  g_autofree char *name = g_file_get_parse_name (destination);
  g_autofree char *message = NULL;

  /* Translators: %s is where the copy was saved, a path. */
  message = g_strdup_printf (_("Saved a copy as %s."), name);
  show_banner (self, GTK_MESSAGE_INFO, message);
}

static void
annotation_page_view_annotation_cb (CdWindow      *self,
                                    CdCertificate *certificate,
                                    CdAnnotation  *annotation)
{
  CdLibraryEntry *entry = find_library_entry (self, cd_certificate_get_cert_no (certificate));

  if (self->client == NULL)
    return;

  hide_banner (self);
  if (entry != NULL &&
      g_strcmp0 (cd_annotation_get_id (cd_library_entry_get_annotation (entry)), cd_annotation_get_id (annotation)) == 0 &&
      g_file_query_exists (cd_library_entry_get_file (entry), NULL))
    {
      cd_document_page_show_entry (self->document_page, entry);
      return;
    }

  cd_document_page_fetch (self->document_page, self->client, get_library (self), get_service (self),
                          certificate, annotation);
}

static void
library_list_certificate_activated_cb (CdWindow      *self,
                                       CdCertificate *certificate)
{
  const char *cert_no = cd_certificate_get_cert_no (certificate);
  CdLibraryEntry *entry = find_library_entry (self, cert_no);
  gboolean lapsed;

  if (entry == NULL)
    return;

  hide_banner (self);
  lapsed = !cd_library_entry_is_valid_at (entry, cd_time_now ());
  /* A lapsed annotation leads to applying again, when the service gave the list. */
  if (lapsed && self->certificates_loaded)
    {
      for (guint i = 0; self->certificates != NULL && i < self->certificates->len; i++)
        {
          CdCertificate *current = g_ptr_array_index (self->certificates, i);

          if (g_strcmp0 (cd_certificate_get_cert_no (current), cert_no) == 0)
            {
              cd_annotation_page_set_certificate (self->annotation_page, self->client, current);
              push_page (self, PAGE_ANNOTATIONS);
              return;
            }
        }
    }

  cd_document_page_show_entry (self->document_page, entry);
  if (lapsed)
    show_banner (self, GTK_MESSAGE_WARNING,
                 _("This annotation has lapsed: the document is shown for reference. Apply for a new annotation when the service can be reached."));
}

static void
save_copy_activated_cb (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  cd_document_page_save_copy (CD_WINDOW (user_data)->document_page);
}

static void
open_chooser_response_cb (GtkNativeDialog *chooser,
                          int              response_id,
                          gpointer         user_data)
{
  CdWindow *self = CD_WINDOW (user_data);
  g_autoptr(GFile) file = NULL;

  if (response_id == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      cd_window_open_file (self, file);
    }

  g_object_unref (chooser);
}

static void
open_activated_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  CdWindow *self = CD_WINDOW (user_data);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Open a PDF"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Open"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), cd_document_page_new_pdf_filter ());
  g_signal_connect (chooser, "response", G_CALLBACK (open_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
library_activated_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  CdWindow *self = CD_WINDOW (user_data);

  load_library (self);
  push_page (self, PAGE_LIBRARY);
}

static void
drag_data_received_cb (CdWindow         *self,
                       GdkDragContext   *context,
                       int               x,
                       int               y,
                       GtkSelectionData *selection_data,
                       guint             info,
                       guint             time)
{
  g_auto(GStrv) uris = gtk_selection_data_get_uris (selection_data);
  g_autoptr(GFile) file = NULL;

  if (uris == NULL || uris[0] == NULL)
    {
      gtk_drag_finish (context, FALSE, FALSE, time);
      return;
    }

  /* One document at a time: the first one dropped. */
  file = g_file_new_for_uri (uris[0]);
  cd_window_open_file (self, file);
  gtk_drag_finish (context, TRUE, FALSE, time);
}

static void
certificates_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CdWindow *self;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GError) error = NULL;

  certificates = cd_client_list_certificates_finish (CD_CLIENT (source_object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CD_WINDOW (user_data);
  if (certificates == NULL)
    {
      handle_error (self, error, load_certificates);
      return;
    }

  keep_token (self);
  cd_certificate_list_set_certificates (self->certificate_list, certificates);
  self->certificates_loaded = TRUE;
  set_signed_in_actions (self, TRUE);
  /* Written here, not in a thread: signing out removes the file, and a write still
   * running then would bring it back. It is one small file per list loaded. */
  if (caches_list (self) && self->holder != NULL &&
      !cd_list_cache_save (self->list_cache, get_service (self), self->holder, certificates, &error))
    g_warning ("Cannot cache the certificate list: %s", error->message);

  g_clear_pointer (&self->certificates, g_ptr_array_unref);
  self->certificates = g_ptr_array_ref (certificates);
  /* Whoever went on to a certificate or a document stays there. */
  if (self->history->len == 0)
    show_page (self, PAGE_CERTIFICATES);

  if (self->queued_certificate != NULL)
    {
      g_autoptr(CdCertificate) queued = g_steal_pointer (&self->queued_certificate);

      for (guint i = 0; i < certificates->len; i++)
        {
          CdCertificate *certificate = g_ptr_array_index (certificates, i);

          if (g_str_equal (cd_certificate_get_id (certificate), cd_certificate_get_id (queued)))
            {
              cd_annotation_page_set_certificate (self->annotation_page, self->client, certificate);
              push_page (self, PAGE_ANNOTATIONS);
              break;
            }
        }
    }
}

static void
load_certificates (CdWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  /* A cached list stays up while the service answers. */
  if (!self->certificates_loaded && g_strcmp0 (page, PAGE_CERTIFICATES) != 0)
    show_loading (self, _("Loading your certificates…"), FALSE, NULL);

  cd_client_list_certificates_async (self->client, self->cancellable, certificates_cb, self);
}

static void
notice_cb (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  CdWindow *self;
  g_autoptr(CdNotice) notice = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;

  notice = cd_client_get_notice_finish (CD_CLIENT (source_object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CD_WINDOW (user_data);
  if (notice == NULL)
    {
      handle_error (self, error, load_notice);
      return;
    }

  keep_token (self);
  if (cd_notice_get_accepted (notice))
    {
      load_certificates (self);
      return;
    }

  g_set_object (&self->notice, notice);
  body = g_strstrip (g_strdup (cd_notice_get_body (notice)));
  gtk_label_set_text (self->notice_title_label, cd_notice_get_title (notice));
  gtk_label_set_text (self->notice_body_label, body);
  gtk_widget_set_sensitive (GTK_WIDGET (self->accept_button), TRUE);
  show_page (self, PAGE_NOTICE);
}

static void
load_notice (CdWindow *self)
{
  show_loading (self, _("Loading the service notice…"), FALSE, NULL);
  cd_client_get_notice_async (self->client, self->cancellable, notice_cb, self);
}

static void
accept_notice_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CdWindow *self;
  g_autoptr(GError) error = NULL;

  if (!cd_client_accept_notice_finish (CD_CLIENT (source_object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CD_WINDOW (user_data);
  gtk_widget_set_sensitive (GTK_WIDGET (self->accept_button), TRUE);
  if (error != NULL)
    {
      /* A notice that changed meanwhile is shown again, to be read first. */
      if (g_error_matches (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_NOTICE_VERSION_MISMATCH))
        {
          load_notice (self);
          show_banner (self, GTK_MESSAGE_WARNING, error->message);
        }
      else
        {
          handle_error (self, error, NULL);
        }
      return;
    }

  load_certificates (self);
}

static void
accept_button_clicked_cb (CdWindow *self)
{
  if (self->notice == NULL)
    return;

  hide_banner (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->accept_button), FALSE);
  cd_client_accept_notice_async (self->client, cd_notice_get_version (self->notice), self->cancellable,
                                 accept_notice_cb, self);
}

/* The holder is signed in: the notice when it is not accepted, else the certificates. */
static void
signed_in (CdWindow *self,
           CdHolder *holder)
{
  g_set_object (&self->holder, holder);
  show_holder (self, holder);
  cd_sign_in_page_set_busy (self->sign_in_page, NULL);
  set_signed_in_actions (self, TRUE);

  if (cd_holder_get_notice_accepted (holder))
    load_certificates (self);
  else
    load_notice (self);
}

static void
sign_in_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  CdWindow *self;
  g_autoptr(CdHolder) holder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  CdClient *client = CD_CLIENT (source_object);

  holder = cd_client_sign_in_finish (client, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CD_WINDOW (user_data);
  password = g_steal_pointer (&self->pending_password);
  cd_sign_in_page_set_busy (self->sign_in_page, NULL);

  if (holder == NULL)
    {
      wipe_password (&password);
      show_banner (self, GTK_MESSAGE_ERROR, error->message);
      show_page (self, PAGE_SIGN_IN);
      return;
    }

  cd_sign_in_page_clear_password (self->sign_in_page);
  if (self->keyring != NULL && self->pending_credentials != CD_WINDOW_CREDENTIALS_NONE)
    {
      gboolean remember = self->pending_credentials == CD_WINDOW_CREDENTIALS_REMEMBER;
      const char *id_number = cd_client_get_id_number (client);

      /* The client signs in again with it when the token expires. */
      cd_client_set_keyring (client, self->keyring);
      if (id_number != NULL)
        cd_keyring_store_password_async (self->keyring, get_service (self), id_number, password,
                                         remember ? CD_KEYRING_REMEMBER : CD_KEYRING_SESSION_ONLY,
                                         self->lifetime_cancellable,
                                         remember ? remember_password_cb : store_password_cb, self);
      keep_token (self);
    }
  wipe_password (&password);

  signed_in (self, holder);
}

static void
sign_in_page_sign_in_cb (CdWindow   *self,
                         const char *id_number,
                         const char *password,
                         gboolean    remember)
{
  if (self->client == NULL)
    return;

  cd_window_sign_in (self, id_number, password,
                     remember ? CD_WINDOW_CREDENTIALS_REMEMBER : CD_WINDOW_CREDENTIALS_SESSION_ONLY);
}

static void
sign_in_page_register_requested_cb (CdWindow *self)
{
  g_autofree char *id_number = cd_sign_in_page_dup_id_number (self->sign_in_page);

  hide_banner (self);
  if (id_number != NULL && *id_number != '\0')
    cd_register_page_set_id_number (self->register_page, id_number);
  push_page (self, PAGE_REGISTER);
}

static void
register_cb (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CdWindow *self;
  g_autoptr(CdHolder) holder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autofree char *id_number = NULL;

  holder = cd_client_register_finish (CD_CLIENT (source_object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CD_WINDOW (user_data);
  password = g_steal_pointer (&self->pending_password);
  cd_register_page_set_busy (self->register_page, NULL);
  if (holder == NULL)
    {
      wipe_password (&password);
      cd_register_page_show_error (self->register_page, error);
      return;
    }

  /* Registered: signed in with the same credentials, kept as the holder chose. */
  id_number = cd_register_page_dup_id_number (self->register_page);
  cd_register_page_clear (self->register_page);
  cd_window_sign_in (self, id_number, password, self->pending_credentials);
  wipe_password (&password);
}

static void
register_page_register_cb (CdWindow   *self,
                           const char *id_type,
                           const char *id_number,
                           const char *name,
                           const char *password,
                           gboolean    remember)
{
  if (self->client == NULL || self->pending_password != NULL)
    return;

  hide_banner (self);
  self->pending_password = g_strdup (password);
  self->pending_credentials = remember ? CD_WINDOW_CREDENTIALS_REMEMBER : CD_WINDOW_CREDENTIALS_SESSION_ONLY;
  cd_register_page_set_busy (self->register_page, _("Registering…"));
  cd_client_register_async (self->client, id_type, id_number, name, password, self->cancellable,
                            register_cb, self);
}

static void
holder_cb (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  CdWindow *self;
  g_autoptr(CdHolder) holder = NULL;
  g_autoptr(GError) error = NULL;

  holder = cd_client_get_holder_finish (CD_CLIENT (source_object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CD_WINDOW (user_data);
  if (holder == NULL && is_unreachable (error))
    {
      go_offline (self, error);
      return;
    }
  if (holder == NULL)
    {
      g_autofree char *message = NULL;

      forget_cached_list (self);
      /* Translators: %s says why, e.g. that the service cannot be reached. */
      message = g_strdup_printf (_("You could not be signed in automatically. %s"), error->message);
      show_sign_in (self, message);
      return;
    }

  keep_token (self);
  signed_in (self, holder);
}

static void
remembered_token_cb (GObject      *source_object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  CdWindow *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *id_number = NULL;

  token = cd_keyring_lookup_token_finish (CD_KEYRING (source_object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Without a token the client signs in with the remembered password. */
  self = CD_WINDOW (user_data);
  g_free (self->kept_token);
  self->kept_token = g_strdup (token);
  id_number = cd_sign_in_page_dup_id_number (self->sign_in_page);
  cd_client_set_session (self->client, id_number, token);
  cd_client_set_keyring (self->client, self->keyring);
  cd_client_get_holder_async (self->client, self->cancellable, holder_cb, self);
}

static void
remembered_account_cb (GObject      *source_object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  CdWindow *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *id_number = NULL;

  id_number = cd_keyring_lookup_remembered_account_finish (CD_KEYRING (source_object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CD_WINDOW (user_data);
  if (id_number == NULL)
    {
      /* Nothing remembered, or no keyring: the holder signs in. */
      if (error != NULL)
        g_debug ("No remembered account: %s", error->message);
      forget_cached_list (self);
      show_sign_in (self, NULL);
      return;
    }

  /* The list cached was another holder's: it goes before anyone sees more of it. */
  if (self->cached_holder != NULL)
    {
      g_autofree char *masked = cd_id_number_mask (id_number);

      if (g_strcmp0 (masked, cd_holder_get_id_number_masked (self->cached_holder)) != 0)
        {
          forget_cached_list (self);
          forget_holder (self);
          show_loading (self, _("Signing in…"), FALSE, NULL);
        }
    }

  cd_sign_in_page_set_id_number (self->sign_in_page, id_number);
  cd_keyring_lookup_token_async (self->keyring, get_service (self), id_number, self->cancellable,
                                 remembered_token_cb, self);
}

static void
retry_button_clicked_cb (CdWindow *self)
{
  RetryFunc retry = self->retry_func;

  hide_banner (self);
  if (retry != NULL)
    retry (self);
}

static void
banner_response_cb (CdWindow *self,
                    int       response_id)
{
  if (response_id == GTK_RESPONSE_CLOSE)
    hide_banner (self);
}

static void
banner_retry_button_clicked_cb (CdWindow *self)
{
  hide_banner (self);
  if (self->holder != NULL)
    load_certificates (self);
  else
    cd_window_restore_session (self);
}

static void
sign_out_cb (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Signed out locally either way; the token is gone from the client. */
  if (!cd_client_sign_out_finish (CD_CLIENT (source_object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("The service did not confirm signing out: %s", error->message);
}

static void
sign_out_activated_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  CdWindow *self = CD_WINDOW (user_data);
  g_autofree char *id_number = NULL;

  if (self->client == NULL || cd_client_get_id_number (self->client) == NULL)
    return;

  /* Whatever runs for this holder stops. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  wipe_password (&self->pending_password);

  id_number = g_strdup (cd_client_get_id_number (self->client));
  if (cd_client_get_token (self->client) != NULL)
    cd_client_sign_out_async (self->client, self->cancellable, sign_out_cb, NULL);
  /* Signing out forgets the password too: otherwise the next start signs in again. */
  if (self->keyring != NULL)
    cd_keyring_clear_async (self->keyring, get_service (self), id_number, TRUE,
                            self->lifetime_cancellable, forget_cb, NULL);

  cd_client_set_keyring (self->client, NULL);
  forget_cached_list (self);
  hide_banner (self);
  show_sign_in (self, NULL);
  cd_sign_in_page_set_id_number (self->sign_in_page, id_number);
  cd_sign_in_page_focus (self->sign_in_page);
}

static void
refresh_activated_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  CdWindow *self = CD_WINDOW (user_data);

  if (self->holder == NULL)
    return;

  hide_banner (self);
  load_certificates (self);
}

static void
go_back (CdWindow *self)
{
  g_autofree char *previous = NULL;

  if (self->history->len == 0)
    return;

  /* A document still downloading or opening is not wanted any more. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), PAGE_DOCUMENT) == 0)
    cd_document_page_cancel (self->document_page);
  previous = g_ptr_array_steal_index (self->history, self->history->len - 1);
  set_page (self, previous);
}

static void
back_activated_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  go_back (CD_WINDOW (user_data));
}

static void
certificate_list_certificate_activated_cb (CdWindow      *self,
                                           CdCertificate *certificate)
{
  if (self->client == NULL)
    return;

  /* From the cached list, before signing in is done: opened as soon as it is. */
  if (!self->certificates_loaded)
    {
      g_set_object (&self->queued_certificate, certificate);
      return;
    }

  hide_banner (self);
  cd_annotation_page_set_certificate (self->annotation_page, self->client, certificate);
  push_page (self, PAGE_ANNOTATIONS);
}

static void
annotation_page_error_cb (CdWindow     *self,
                          const GError *error)
{
  handle_error (self, error, NULL);
}

static void
restore_window_state (CdWindow *self)
{
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_window_state (CdWindow *self)
{
  if (self->width > 0 && self->height > 0)
    {
      g_settings_set_int (self->settings, "window-width", self->width);
      g_settings_set_int (self->settings, "window-height", self->height);
    }
  g_settings_set_boolean (self->settings, "window-maximized", self->maximized);
}

/* The size to remember is the one the window had when it was last neither maximized nor
 * tiled, as GNOME applications do. */
static void
cd_window_size_allocate (GtkWidget     *widget,
                         GtkAllocation *allocation)
{
  CdWindow *self = CD_WINDOW (widget);

  GTK_WIDGET_CLASS (cd_window_parent_class)->size_allocate (widget, allocation);

  if (!self->maximized)
    gtk_window_get_size (GTK_WINDOW (self), &self->width, &self->height);
}

static gboolean
cd_window_window_state_event (GtkWidget           *widget,
                              GdkEventWindowState *event)
{
  CdWindow *self = CD_WINDOW (widget);

  self->maximized = (event->new_window_state & (GDK_WINDOW_STATE_MAXIMIZED | GDK_WINDOW_STATE_TILED)) != 0;

  return GTK_WIDGET_CLASS (cd_window_parent_class)->window_state_event (widget, event);
}

static gboolean
key_press_event_cb (CdWindow    *self,
                    GdkEventKey *event)
{
  GdkModifierType modifiers = event->state & gtk_accelerator_get_default_mod_mask ();

  if (self->history->len == 0)
    return GDK_EVENT_PROPAGATE;

  if ((event->keyval == GDK_KEY_Escape && modifiers == 0) ||
      ((event->keyval == GDK_KEY_Left || event->keyval == GDK_KEY_KP_Left) && modifiers == GDK_MOD1_MASK) ||
      event->keyval == GDK_KEY_Back)
    {
      go_back (self);
      return GDK_EVENT_STOP;
    }

  return GDK_EVENT_PROPAGATE;
}

static const GActionEntry window_actions[] = {
  { "back", back_activated_cb, NULL, NULL, NULL },
  { "sign-out", sign_out_activated_cb, NULL, NULL, NULL },
  { "refresh", refresh_activated_cb, NULL, NULL, NULL },
  { "save-copy", save_copy_activated_cb, NULL, NULL, NULL },
  { "open", open_activated_cb, NULL, NULL, NULL },
  { "library", library_activated_cb, NULL, NULL, NULL },
};

static void
cd_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CdWindow *self = CD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_KEYRING:
      g_value_set_object (value, self->keyring);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  CdWindow *self = CD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      cd_window_set_client (self, g_value_get_object (value));
      break;
    case PROP_KEYRING:
      cd_window_set_keyring (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_window_dispose (GObject *object)
{
  CdWindow *self = CD_WINDOW (object);

  if (self->settings != NULL)
    save_window_state (self);
  g_clear_object (&self->settings);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->lifetime_cancellable != NULL)
    g_cancellable_cancel (self->lifetime_cancellable);
  g_clear_object (&self->lifetime_cancellable);
  wipe_password (&self->pending_password);
  g_clear_object (&self->holder);
  g_clear_object (&self->notice);
  g_clear_object (&self->trust);
  g_clear_object (&self->library);
  g_clear_object (&self->list_cache);
  g_clear_pointer (&self->library_entries, g_ptr_array_unref);
  g_clear_pointer (&self->certificates, g_ptr_array_unref);
  g_clear_object (&self->queued_certificate);
  g_clear_object (&self->cached_holder);
  g_clear_object (&self->client);
  g_clear_object (&self->keyring);

  G_OBJECT_CLASS (cd_window_parent_class)->dispose (object);
}

static void
cd_window_finalize (GObject *object)
{
  CdWindow *self = CD_WINDOW (object);

  g_free (self->kept_token);
  g_ptr_array_unref (self->history);
  g_hash_table_unref (self->reminded);

  G_OBJECT_CLASS (cd_window_parent_class)->finalize (object);
}

static void
cd_window_class_init (CdWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = cd_window_get_property;
  object_class->set_property = cd_window_set_property;
  object_class->dispose = cd_window_dispose;
  object_class->finalize = cd_window_finalize;
  widget_class->size_allocate = cd_window_size_allocate;
  widget_class->window_state_event = cd_window_window_state_event;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", "Client", "The service client",
                         CD_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_KEYRING] =
    g_param_spec_object ("keyring", "Keyring", "Where passwords and tokens are kept",
                         CD_TYPE_KEYRING,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CD_TYPE_ANNOTATION_PAGE);
  g_type_ensure (CD_TYPE_CERTIFICATE_LIST);
  g_type_ensure (CD_TYPE_DOCUMENT_PAGE);
  g_type_ensure (CD_TYPE_REGISTER_PAGE);
  g_type_ensure (CD_TYPE_SIGN_IN_PAGE);
  /* The class of ui/help-overlay.ui, which GtkApplication builds for this window. */
  g_type_ensure (CD_TYPE_SHORTCUTS_WINDOW);

  g_type_ensure (CD_TYPE_SPINNER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/certdesk/CertDesk/ui/cd-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CdWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, banner_icon);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, sign_in_page);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, register_page);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, loading_label);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, notice_title_label);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, notice_body_label);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, accept_button);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, certificate_list);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, annotation_page);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, holder_label);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, save_button);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, banner_retry_button);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, library_list);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, document_page);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_page_sign_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_page_register_requested_cb);
  gtk_widget_class_bind_template_callback (widget_class, register_page_register_cb);
  gtk_widget_class_bind_template_callback (widget_class, go_back);
  gtk_widget_class_bind_template_callback (widget_class, accept_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, banner_response_cb);
  gtk_widget_class_bind_template_callback (widget_class, banner_retry_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, library_list_certificate_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, annotation_page_view_annotation_cb);
  gtk_widget_class_bind_template_callback (widget_class, certificate_list_certificate_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, annotation_page_error_cb);
  gtk_widget_class_bind_template_callback (widget_class, document_page_started_cb);
  gtk_widget_class_bind_template_callback (widget_class, document_page_downloaded_cb);
  gtk_widget_class_bind_template_callback (widget_class, document_page_stored_cb);
  gtk_widget_class_bind_template_callback (widget_class, document_page_failed_cb);
  gtk_widget_class_bind_template_callback (widget_class, document_page_error_cb);
  gtk_widget_class_bind_template_callback (widget_class, document_page_saved_cb);
  gtk_widget_class_bind_template_callback (widget_class, update_header);
  gtk_widget_class_bind_template_callback (widget_class, key_press_event_cb);
}

static void
cd_window_init (CdWindow *self)
{
  static gsize css_loaded = 0;
  g_autofree char *trust_path = NULL;
  g_autofree char *cache_dir = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  if (g_once_init_enter (&css_loaded))
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (provider, "/io/github/certdesk/CertDesk/ui/style.css");
      gtk_style_context_add_provider_for_screen (gtk_widget_get_screen (GTK_WIDGET (self)),
                                                 GTK_STYLE_PROVIDER (provider),
                                                 GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_once_init_leave (&css_loaded, 1);
    }

  self->settings = g_settings_new (APPLICATION_ID);
  restore_window_state (self);
  self->history = g_ptr_array_new_with_free_func (g_free);
  self->reminded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
  self->lifetime_cancellable = g_cancellable_new ();
  trust_path = g_build_filename (g_get_user_data_dir (), "certdesk", "trusted-signers.ini", NULL);
  self->trust = cd_trust_store_new (trust_path);
  cd_document_page_set_trust_store (self->document_page, self->trust);
  cache_dir = cd_list_cache_get_default_directory ();
  self->list_cache = cd_list_cache_new (cache_dir);
  cd_certificate_list_set_placeholder_text (self->library_list,
                                            _("No certificates downloaded yet. Open a certificate with a valid annotation and choose “View Certificate”."));

  gtk_drag_dest_set (GTK_WIDGET (self), GTK_DEST_DEFAULT_ALL, NULL, 0, GDK_ACTION_COPY);
  gtk_drag_dest_add_uri_targets (GTK_WIDGET (self));
  g_signal_connect (self, "drag-data-received", G_CALLBACK (drag_data_received_cb), NULL);
  g_action_map_add_action_entries (G_ACTION_MAP (self), window_actions, G_N_ELEMENTS (window_actions),
                                   self);
  set_signed_in_actions (self, FALSE);
  show_page (self, PAGE_SIGN_IN);
}

CdWindow *
cd_window_new (GtkApplication *application)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);

  return g_object_new (CD_TYPE_WINDOW, "application", application, NULL);
}

CdClient *
cd_window_get_client (CdWindow *self)
{
  g_return_val_if_fail (CD_IS_WINDOW (self), NULL);

  return self->client;
}

void
cd_window_set_client (CdWindow *self,
                      CdClient *client)
{
  g_return_if_fail (CD_IS_WINDOW (self));
  g_return_if_fail (client == NULL || CD_IS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

CdKeyring *
cd_window_get_keyring (CdWindow *self)
{
  g_return_val_if_fail (CD_IS_WINDOW (self), NULL);

  return self->keyring;
}

void
cd_window_set_keyring (CdWindow  *self,
                       CdKeyring *keyring)
{
  g_return_if_fail (CD_IS_WINDOW (self));
  g_return_if_fail (keyring == NULL || CD_IS_KEYRING (keyring));

  if (!g_set_object (&self->keyring, keyring))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEYRING]);
}

void
cd_window_restore_session (CdWindow *self)
{
  g_return_if_fail (CD_IS_WINDOW (self));
  g_return_if_fail (self->client != NULL);

  if (self->keyring == NULL)
    {
      show_sign_in (self, NULL);
      return;
    }

  load_library (self);
  if (!show_cached_list (self))
    show_loading (self, _("Signing in…"), FALSE, NULL);
  cd_keyring_lookup_remembered_account_async (self->keyring, get_service (self), self->cancellable,
                                              remembered_account_cb, self);
}

void
cd_window_sign_in (CdWindow            *self,
                   const char          *id_number,
                   const char          *password,
                   CdWindowCredentials  credentials)
{
  g_return_if_fail (CD_IS_WINDOW (self));
  g_return_if_fail (self->client != NULL);
  g_return_if_fail (id_number != NULL && password != NULL);

  if (self->pending_password != NULL)
    return;

  hide_banner (self);
  forget_holder (self);
  self->pending_password = g_strdup (password);
  self->pending_credentials = credentials;
  cd_sign_in_page_set_id_number (self->sign_in_page, id_number);
  cd_sign_in_page_set_busy (self->sign_in_page, _("Signing in…"));
  show_page (self, PAGE_SIGN_IN);
  cd_client_sign_in_async (self->client, id_number, password, self->cancellable, sign_in_cb, self);
}

void
cd_window_show_progress (CdWindow   *self,
                         const char *message)
{
  g_return_if_fail (CD_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  hide_banner (self);
  show_loading (self, message, FALSE, NULL);
}

void
cd_window_show_error (CdWindow   *self,
                      const char *message)
{
  const char *page;

  g_return_if_fail (CD_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  /* Without a service there is nothing to sign in to: the message stays in the middle. */
  page = gtk_stack_get_visible_child_name (self->stack);
  if (self->client == NULL)
    show_loading (self, _("The certificate service is not available."), TRUE, NULL);
  else if (g_strcmp0 (page, PAGE_LOADING) == 0)
    show_sign_in (self, NULL);
  show_banner (self, GTK_MESSAGE_ERROR, message);
}

void
cd_window_open_file (CdWindow *self,
                     GFile    *file)
{
  const char *service_url;

  g_return_if_fail (CD_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  /* Its signer counts as trusted only when it is the one pinned for this service. */
  service_url = self->client != NULL ? get_service (self) : NULL;
  hide_banner (self);
  cd_document_page_open_file (self->document_page, file, service_url);
}
