/* The document screen: fetching an annotated certificate into the library, showing a
 * library entry or a PDF the holder opened, and saving a copy. Everything for the
 * document shown runs with the document's cancellable, which the next document (or
 * "Back") cancels; copies being saved run until the page goes. */

#include "config.h"

#include "cd-document-page.h"

#include "cd-document-view.h"

#include <glib/gi18n.h>

struct _CdDocumentPage
{
  GtkBin          parent_instance;

  GCancellable   *cancellable;          /* copies being saved */
  GCancellable   *document_cancellable; /* the document shown: fetching and loading it */
  GFile          *document_file;        /* the document shown, for "Save a Copy" */
  char           *document_name;        /* its suggested file name */
  gboolean        document_is_local;    /* opened by the holder, not from the service */
  CdTrustStore   *trust;
  CdTrustStore   *local_trust;          /* the same pins, read-only */

  /* Template widgets */
  CdDocumentView *document_view;        /* (unowned) */
};

G_DEFINE_TYPE (CdDocumentPage, cd_document_page, GTK_TYPE_BIN)

enum
{
  PROP_0,
  PROP_CAN_SAVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_STARTED,
  SIGNAL_DOWNLOADED,
  SIGNAL_STORED,
  SIGNAL_FAILED,
  SIGNAL_ERROR,
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  CdDocumentPage  *page;
  CdDocumentStore *library;
  char            *service_url;
  CdCertificate   *certificate;
  CdAnnotation    *annotation;
} FetchData;

static void
fetch_data_free (FetchData *data)
{
  g_clear_object (&data->library);
  g_free (data->service_url);
  g_clear_object (&data->certificate);
  g_clear_object (&data->annotation);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FetchData, fetch_data_free)

static void
set_document_file (CdDocumentPage *self,
                   GFile          *file)
{
  gboolean could_save = self->document_file != NULL;

  g_set_object (&self->document_file, file);
  if (could_save != (file != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_SAVE]);
}

static void
restart_document (CdDocumentPage *self)
{
  g_cancellable_cancel (self->document_cancellable);
  g_clear_object (&self->document_cancellable);
  self->document_cancellable = g_cancellable_new ();
  set_document_file (self, NULL);
  g_clear_pointer (&self->document_name, g_free);
  self->document_is_local = FALSE;
}

static void
document_loaded_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (cd_document_view_load_finish (CD_DOCUMENT_VIEW (source_object), result, &error))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* The view shows what is wrong with the file itself; the rest goes to the banner. */
  if (error->domain != CD_DOCUMENT_VIEW_ERROR)
    g_signal_emit (CD_DOCUMENT_PAGE (user_data), signals[SIGNAL_ERROR], 0, error);
}

/* Previews @file with its signature checked against the signer of @service_url; @trust
 * pins a first signer only for documents that came from the service. */
static void
show_document (CdDocumentPage *self,
               GFile          *file,
               const char     *suggested_name,
               CdTrustStore   *trust,
               const char     *service_url)
{
  set_document_file (self, file);
  g_free (self->document_name);
  self->document_name = suggested_name != NULL ? g_strdup (suggested_name) : g_file_get_basename (file);
  g_signal_emit (self, signals[SIGNAL_STARTED], 0);
  cd_document_view_load_async (self->document_view, file, trust, service_url, self->document_cancellable,
                               document_loaded_cb, self);
}

static void
document_stored_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(FetchData) data = user_data;
  g_autoptr(CdLibraryEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  CdDocumentPage *self;

  entry = cd_document_store_add_finish (CD_DOCUMENT_STORE (source_object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = data->page;
  if (entry == NULL)
    {
      g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
      return;
    }

  g_signal_emit (self, signals[SIGNAL_STORED], 0, entry);
  cd_document_page_show_entry (self, entry);
}

static void
document_downloaded_cb (GObject      *source_object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(FetchData) data = user_data;
  g_autoptr(GBytes) document = NULL;
  g_autoptr(GError) error = NULL;
  CdDocumentPage *self;
  FetchData *fetch;

  document = cd_client_download_document_finish (CD_CLIENT (source_object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = data->page;
  if (document == NULL)
    {
      g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
      return;
    }

  g_signal_emit (self, signals[SIGNAL_DOWNLOADED], 0);
  /* The library keeps it only once it opens and its signature validates. */
  fetch = g_steal_pointer (&data);
  cd_document_store_add_async (fetch->library, fetch->certificate, fetch->annotation, document, fetch->service_url,
                               self->document_cancellable, document_stored_cb, fetch);
}

static void
copy_saved_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  CdDocumentPage *self;
  g_autoptr(GError) error = NULL;
  GFile *destination = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CD_DOCUMENT_PAGE (user_data);
  if (error != NULL)
    {
      g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
      return;
    }

  g_signal_emit (self, signals[SIGNAL_SAVED], 0, destination);
}

static void
copy_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GFile *source = source_object;
  GFile *destination = task_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_copy (source, destination, G_FILE_COPY_OVERWRITE, cancellable, NULL, NULL, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
save_chooser_response_cb (GtkNativeDialog *chooser,
                          int              response_id,
                          gpointer         user_data)
{
  CdDocumentPage *self = CD_DOCUMENT_PAGE (user_data);
  g_autoptr(GFile) destination = NULL;
  g_autoptr(GTask) task = NULL;

  if (response_id == GTK_RESPONSE_ACCEPT && self->document_file != NULL)
    {
      destination = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      task = g_task_new (self->document_file, self->cancellable, copy_saved_cb, self);
      g_task_set_source_tag (task, save_chooser_response_cb);
      g_task_set_task_data (task, g_object_ref (destination), g_object_unref);
      g_task_run_in_thread (task, copy_thread);
    }

  g_object_unref (chooser);
}

static void
cd_document_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CdDocumentPage *self = CD_DOCUMENT_PAGE (object);

  switch (prop_id)
    {
    case PROP_CAN_SAVE:
      g_value_set_boolean (value, cd_document_page_get_can_save (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_document_page_dispose (GObject *object)
{
  CdDocumentPage *self = CD_DOCUMENT_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->document_cancellable != NULL)
    g_cancellable_cancel (self->document_cancellable);
  g_clear_object (&self->document_cancellable);
  g_clear_object (&self->document_file);
  g_clear_object (&self->trust);
  g_clear_object (&self->local_trust);

  G_OBJECT_CLASS (cd_document_page_parent_class)->dispose (object);
}

static void
cd_document_page_finalize (GObject *object)
{
  CdDocumentPage *self = CD_DOCUMENT_PAGE (object);

  g_free (self->document_name);

  G_OBJECT_CLASS (cd_document_page_parent_class)->finalize (object);
}

static void
cd_document_page_class_init (CdDocumentPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = cd_document_page_get_property;
  object_class->dispose = cd_document_page_dispose;
  object_class->finalize = cd_document_page_finalize;

  properties[PROP_CAN_SAVE] =
    g_param_spec_boolean ("can-save", "Can save", "Whether there is a document to save a copy of",
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_STARTED] =
    g_signal_new ("started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_DOWNLOADED] =
    g_signal_new ("downloaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_STORED] =
    g_signal_new ("stored", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CD_TYPE_LIBRARY_ENTRY);
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_FILE);

  g_type_ensure (CD_TYPE_DOCUMENT_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/certdesk/CertDesk/ui/cd-document-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CdDocumentPage, document_view);
}

static void
cd_document_page_init (CdDocumentPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->document_cancellable = g_cancellable_new ();
}

GtkWidget *
cd_document_page_new (void)
{
  return g_object_new (CD_TYPE_DOCUMENT_PAGE, NULL);
}

void
cd_document_page_set_trust_store (CdDocumentPage *self,
                                  CdTrustStore   *trust)
{
  g_return_if_fail (CD_IS_DOCUMENT_PAGE (self));
  g_return_if_fail (CD_IS_TRUST_STORE (trust));

  if (!g_set_object (&self->trust, trust))
    return;

  g_clear_object (&self->local_trust);
  self->local_trust = cd_trust_store_new_read_only (cd_trust_store_get_path (trust));
}

void
cd_document_page_fetch (CdDocumentPage  *self,
                        CdClient        *client,
                        CdDocumentStore *library,
                        const char      *service_url,
                        CdCertificate   *certificate,
                        CdAnnotation    *annotation)
{
  FetchData *data;

  g_return_if_fail (CD_IS_DOCUMENT_PAGE (self));
  g_return_if_fail (CD_IS_CLIENT (client));
  g_return_if_fail (CD_IS_DOCUMENT_STORE (library));
  g_return_if_fail (service_url != NULL);
  g_return_if_fail (CD_IS_CERTIFICATE (certificate));
  g_return_if_fail (CD_IS_ANNOTATION (annotation));

  restart_document (self);
  g_signal_emit (self, signals[SIGNAL_STARTED], 0);
  cd_document_view_show_progress (self->document_view, _("Downloading the annotated certificate…"));
  data = g_new0 (FetchData, 1);
  data->page = self;
  data->library = g_object_ref (library);
  data->service_url = g_strdup (service_url);
  data->certificate = g_object_ref (certificate);
  data->annotation = g_object_ref (annotation);
  cd_client_download_document_async (client, cd_annotation_get_id (annotation), self->document_cancellable,
                                     document_downloaded_cb, data);
}

void
cd_document_page_show_entry (CdDocumentPage *self,
                             CdLibraryEntry *entry)
{
  g_autofree char *name = NULL;

  g_return_if_fail (CD_IS_DOCUMENT_PAGE (self));
  g_return_if_fail (CD_IS_LIBRARY_ENTRY (entry));
  g_return_if_fail (self->trust != NULL);

  name = cd_library_entry_dup_suggested_name (entry);
  restart_document (self);
  show_document (self, cd_library_entry_get_file (entry), name, self->trust,
                 cd_library_entry_get_service_url (entry));
}

void
cd_document_page_open_file (CdDocumentPage *self,
                            GFile          *file,
                            const char     *service_url)
{
  g_return_if_fail (CD_IS_DOCUMENT_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (self->local_trust != NULL);

  restart_document (self);
  self->document_is_local = TRUE;
  show_document (self, file, NULL, self->local_trust, service_url);
}

void
cd_document_page_save_copy (CdDocumentPage *self)
{
  GtkWidget *toplevel;
  GtkFileChooserNative *chooser;

  g_return_if_fail (CD_IS_DOCUMENT_PAGE (self));

  if (self->document_file == NULL)
    return;

  /* Through the file chooser portal under Flatpak; released in the response. */
  toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  chooser = gtk_file_chooser_native_new (_("Save a Copy"), GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), self->document_name);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), cd_document_page_new_pdf_filter ());
  g_signal_connect (chooser, "response", G_CALLBACK (save_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
cd_document_page_cancel (CdDocumentPage *self)
{
  g_return_if_fail (CD_IS_DOCUMENT_PAGE (self));

  g_cancellable_cancel (self->document_cancellable);
}

gboolean
cd_document_page_get_can_save (CdDocumentPage *self)
{
  g_return_val_if_fail (CD_IS_DOCUMENT_PAGE (self), FALSE);

  return self->document_file != NULL;
}

gboolean
cd_document_page_is_local (CdDocumentPage *self)
{
  g_return_val_if_fail (CD_IS_DOCUMENT_PAGE (self), FALSE);

  return self->document_is_local;
}

GtkFileFilter *
cd_document_page_new_pdf_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_filter_add_pattern (filter, "*.pdf");
  gtk_file_filter_add_pattern (filter, "*.PDF");
  return filter;
}
