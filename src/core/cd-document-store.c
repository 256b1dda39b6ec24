#include "config.h"

#include "cd-document-store.h"
#include "cd-id-number.h"
#include "cd-json.h"
#include "cd-signature.h"
#include "cd-time.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#define METADATA_SUFFIX ".json"
#define MAX_METADATA_BYTES (1024 * 1024)

struct _CdDocumentStore
{
  GObject       parent_instance;

  GFile        *directory;
  CdTrustStore *trust;
  GMutex        lock; /* one writer at a time per library */
};

G_DEFINE_FINAL_TYPE (CdDocumentStore, cd_document_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (cd-document-store-error-quark, cd_document_store_error)

typedef struct
{
  CdCertificate *certificate;
  CdAnnotation  *annotation;
  GBytes        *document;
  char          *service_url;
} AddData;

static void
add_data_free (AddData *data)
{
  g_clear_object (&data->certificate);
  g_clear_object (&data->annotation);
  g_clear_pointer (&data->document, g_bytes_unref);
  g_free (data->service_url);
  g_free (data);
}

/* Certificate numbers come from the service: only their safe characters name files. */
static char *
sanitize_name (const char *name)
{
  GString *safe = g_string_new (NULL);

  for (const char *p = name; *p != '\0'; p++)
    g_string_append_c (safe, g_ascii_isalnum (*p) || *p == '-' ? *p : '_');

  return g_string_free (safe, FALSE);
}

static gboolean
ensure_directory (CdDocumentStore  *self,
                  GError          **error)
{
  g_autofree char *path = g_file_get_path (self->directory);

  if (g_mkdir_with_parents (path, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, CD_DOCUMENT_STORE_ERROR, CD_DOCUMENT_STORE_ERROR_FAILED,
                   _("Cannot create the library folder %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

static CdLibraryEntry *
read_entry (CdDocumentStore  *self,
            GFile            *metadata,
            GCancellable     *cancellable,
            GError          **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *name = g_file_get_basename (metadata);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) local_error = NULL;
  CdLibraryEntry *entry;
  gsize length;

  if (!g_file_load_contents (metadata, cancellable, &contents, &length, NULL, &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (length > MAX_METADATA_BYTES ||
      (object = cd_json_parse_object (contents, length, &local_error)) == NULL ||
      (entry = cd_library_entry_new_from_json (object, self->directory, &local_error)) == NULL)
    {
      g_set_error (error, CD_DOCUMENT_STORE_ERROR, CD_DOCUMENT_STORE_ERROR_CORRUPT,
                   _("The library entry %s is damaged: %s"), name,
                   local_error != NULL ? local_error->message : _("it is too large"));
      return NULL;
    }

  return entry;
}

static GFile *
metadata_file (CdDocumentStore *self,
               const char      *cert_no)
{
  g_autofree char *safe = sanitize_name (cert_no);
  g_autofree char *name = g_strconcat (safe, METADATA_SUFFIX, NULL);

  return g_file_get_child (self->directory, name);
}

/* Runs in a worker thread. The new document is written and checked as NAME.part,
 * renamed into place, and only then does the metadata (one atomic replace) switch to
 * it; the old document is removed last. A crash at any point leaves either the old
 * or the new entry. */
static void
add_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  CdDocumentStore *self = source_object;
  AddData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *safe_cert_no = sanitize_name (cd_certificate_get_cert_no (data->certificate));
  g_autofree char *safe_annotation = sanitize_name (cd_annotation_get_id (data->annotation));
  g_autofree char *document_name = g_strdup_printf ("%s-%s.pdf", safe_cert_no, safe_annotation);
  g_autofree char *part_name = g_strconcat (document_name, ".part", NULL);
  g_autoptr(GFile) document = g_file_get_child (self->directory, document_name);
  g_autoptr(GFile) part = g_file_get_child (self->directory, part_name);
  g_autoptr(GFile) metadata = metadata_file (self, cd_certificate_get_cert_no (data->certificate));
  g_autoptr(CdLibraryEntry) previous = NULL;
  g_autoptr(CdLibraryEntry) entry = NULL;
  g_autoptr(CdSignatureInfo) signature = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GBytes) metadata_bytes = NULL;

  locker = g_mutex_locker_new (&self->lock);

  /* The bytes are checked under a name of their own: a re-download of the same
   * annotation must not touch the copy the library has until it passes. */
  if (!ensure_directory (self, &error) ||
      !g_file_replace_contents (part, g_bytes_get_data (data->document, NULL),
                                g_bytes_get_size (data->document), NULL, FALSE,
                                G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                NULL, cancellable, &error))
    {
      g_file_delete (part, NULL, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  signature = cd_signature_verify_sync (part, self->trust, data->service_url, cancellable, &error);
  if (signature == NULL || cd_signature_info_get_status (signature) != CD_SIGNATURE_VALID)
    {
      g_autofree char *reason = signature != NULL ? cd_signature_info_get_summary (signature)
                                                  : g_strdup (error->message);

      g_file_delete (part, NULL, NULL);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, CD_DOCUMENT_STORE_ERROR, CD_DOCUMENT_STORE_ERROR_REJECTED,
                                 _("The downloaded document was not kept: %s"), reason);
      return;
    }

  if (!g_file_move (part, document, G_FILE_COPY_OVERWRITE, cancellable, NULL, NULL, &error))
    {
      g_file_delete (part, NULL, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* An unreadable old entry is simply replaced. */
  previous = read_entry (self, metadata, cancellable, NULL);

  entry = cd_library_entry_new (data->certificate, data->annotation, document, data->service_url,
                                cd_time_now ());
  builder = json_builder_new_immutable ();
  cd_library_entry_to_json (entry, builder);
  metadata_bytes = cd_json_builder_to_bytes (builder);
  if (!g_file_replace_contents (metadata, g_bytes_get_data (metadata_bytes, NULL),
                                g_bytes_get_size (metadata_bytes), NULL, FALSE,
                                G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                NULL, cancellable, &error))
    {
      /* The old metadata still names its own document; a new name is an orphan. */
      if (previous == NULL || !g_file_equal (cd_library_entry_get_file (previous), document))
        g_file_delete (document, NULL, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (previous != NULL && !g_file_equal (cd_library_entry_get_file (previous), document))
    g_file_delete (cd_library_entry_get_file (previous), NULL, NULL);

  g_task_return_pointer (task, g_steal_pointer (&entry), g_object_unref);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  CdLibraryEntry *entry_a = *(CdLibraryEntry **) a;
  CdLibraryEntry *entry_b = *(CdLibraryEntry **) b;

  return g_strcmp0 (cd_certificate_get_cert_no (cd_library_entry_get_certificate (entry_a)),
                    cd_certificate_get_cert_no (cd_library_entry_get_certificate (entry_b)));
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *entries = cd_document_store_list (source_object, cancellable, &error);

  if (entries == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, entries, (GDestroyNotify) g_ptr_array_unref);
}

static void
cd_document_store_finalize (GObject *object)
{
  CdDocumentStore *self = (CdDocumentStore *) object;

  g_clear_object (&self->directory);
  g_clear_object (&self->trust);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (cd_document_store_parent_class)->finalize (object);
}

static void
cd_document_store_class_init (CdDocumentStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cd_document_store_finalize;
}

static void
cd_document_store_init (CdDocumentStore *self)
{
  g_mutex_init (&self->lock);
}

CdDocumentStore *
cd_document_store_new (const char   *directory,
                       CdTrustStore *trust)
{
  CdDocumentStore *self;

  g_return_val_if_fail (directory != NULL, NULL);
  g_return_val_if_fail (CD_IS_TRUST_STORE (trust), NULL);

  self = g_object_new (CD_TYPE_DOCUMENT_STORE, NULL);
  self->directory = g_file_new_for_path (directory);
  self->trust = g_object_ref (trust);

  return self;
}

char *
cd_document_store_get_default_directory (const char *id_number)
{
  g_autofree char *normalized = NULL;
  g_autofree char *digest = NULL;

  g_return_val_if_fail (id_number != NULL, NULL);

  /* A holder's folder is named by a digest of the ID number: no name of one holder's
   * folder leads to another's, and the ID number is not written out. */
  normalized = cd_id_number_normalize (id_number);
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, normalized, -1);
  digest[32] = '\0';
  return g_build_filename (g_get_user_data_dir (), "certdesk", "library", digest, NULL);
}

GFile *
cd_document_store_get_directory (CdDocumentStore *self)
{
  g_return_val_if_fail (CD_IS_DOCUMENT_STORE (self), NULL);

  return self->directory;
}

void
cd_document_store_add_async (CdDocumentStore     *self,
                             CdCertificate       *certificate,
                             CdAnnotation        *annotation,
                             GBytes              *document,
                             const char          *service_url,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AddData *data;

  g_return_if_fail (CD_IS_DOCUMENT_STORE (self));
  g_return_if_fail (CD_IS_CERTIFICATE (certificate));
  g_return_if_fail (CD_IS_ANNOTATION (annotation));
  g_return_if_fail (document != NULL);
  g_return_if_fail (service_url != NULL);

  data = g_new0 (AddData, 1);
  data->certificate = g_object_ref (certificate);
  data->annotation = g_object_ref (annotation);
  data->document = g_bytes_ref (document);
  data->service_url = g_strdup (service_url);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cd_document_store_add_async);
  g_task_set_task_data (task, data, (GDestroyNotify) add_data_free);
  g_task_run_in_thread (task, add_thread);
}

CdLibraryEntry *
cd_document_store_add_finish (CdDocumentStore  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cd_document_store_add_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
cd_document_store_list_async (CdDocumentStore     *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CD_IS_DOCUMENT_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cd_document_store_list_async);
  g_task_run_in_thread (task, list_thread);
}

GPtrArray *
cd_document_store_list_finish (CdDocumentStore  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cd_document_store_list_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Blocking: for worker threads and the CLI. A missing library is an empty one; a
 * damaged entry is skipped with a warning rather than hiding the others. */
GPtrArray *
cd_document_store_list (CdDocumentStore  *self,
                        GCancellable     *cancellable,
                        GError          **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (CD_IS_DOCUMENT_STORE (self), NULL);

  enumerator = g_file_enumerate_children (self->directory, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                          G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  if (enumerator == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return g_steal_pointer (&entries);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  while (TRUE)
    {
      GFileInfo *info;
      GFile *child;
      g_autoptr(CdLibraryEntry) entry = NULL;
      g_autoptr(GError) entry_error = NULL;

      if (!g_file_enumerator_iterate (enumerator, &info, &child, cancellable, error))
        return NULL;
      if (info == NULL)
        break;
      if (!g_str_has_suffix (g_file_info_get_name (info), METADATA_SUFFIX))
        continue;

      entry = read_entry (self, child, cancellable, &entry_error);
      if (entry == NULL)
        {
          if (g_error_matches (entry_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&entry_error));
              return NULL;
            }
          g_warning ("%s", entry_error->message);
          continue;
        }
      g_ptr_array_add (entries, g_steal_pointer (&entry));
    }

  g_ptr_array_sort (entries, compare_entries);
  return g_steal_pointer (&entries);
}
