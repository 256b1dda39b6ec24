/* The cached certificate list: a JSON file per service with the holder and the
 * certificates in the API's own shapes, read back with the same strict parsers. */

#include "config.h"

#include "cd-list-cache.h"

#include "cd-certificate.h"
#include "cd-json.h"
#include "cd-time.h"

#include <glib/gstdio.h>

#define FORMAT_VERSION 1
#define MAX_CACHE_BYTES (4 * 1024 * 1024)

struct _CdListCache
{
  GObject  parent_instance;

  char    *directory;
};

G_DEFINE_FINAL_TYPE (CdListCache, cd_list_cache, G_TYPE_OBJECT)

static char *
build_path (CdListCache *self,
            const char  *service_url)
{
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, service_url, -1);
  g_autofree char *name = g_strconcat ("certificates-", digest, ".json", NULL);

  return g_build_filename (self->directory, name, NULL);
}

static void
cd_list_cache_finalize (GObject *object)
{
  CdListCache *self = CD_LIST_CACHE (object);

  g_free (self->directory);

  G_OBJECT_CLASS (cd_list_cache_parent_class)->finalize (object);
}

static void
cd_list_cache_class_init (CdListCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cd_list_cache_finalize;
}

static void
cd_list_cache_init (CdListCache *self)
{
}

CdListCache *
cd_list_cache_new (const char *directory)
{
  CdListCache *self;

  g_return_val_if_fail (directory != NULL, NULL);

  self = g_object_new (CD_TYPE_LIST_CACHE, NULL);
  self->directory = g_strdup (directory);
  return self;
}

char *
cd_list_cache_get_default_directory (void)
{
  return g_build_filename (g_get_user_cache_dir (), "certdesk", NULL);
}

gboolean
cd_list_cache_load (CdListCache  *self,
                    const char   *service_url,
                    CdHolder    **out_holder,
                    GPtrArray   **out_certificates,
                    gint64       *out_saved_at,
                    GError      **error)
{
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(CdHolder) holder = NULL;
  g_autoptr(GPtrArray) certificates = NULL;
  JsonObject *holder_object = NULL;
  const char *cached_url = NULL;
  gint64 version = 0;
  gint64 saved_at = 0;

  g_return_val_if_fail (CD_IS_LIST_CACHE (self), FALSE);
  g_return_val_if_fail (service_url != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  path = build_path (self, service_url);
  if (!g_file_get_contents (path, &data, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return FALSE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (length > MAX_CACHE_BYTES)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s is too large", path);
      return FALSE;
    }

  root = cd_json_parse_object (data, length, error);
  if (root == NULL ||
      !cd_json_read_int (root, "version", 0, &version, error) ||
      !cd_json_read_string (root, "service_url", 0, &cached_url, error) ||
      !cd_json_read_time (root, "saved_at", 0, &saved_at, error) ||
      !cd_json_read_object (root, "holder", 0, &holder_object, error))
    return FALSE;

  /* Another format or a digest collision is as good as nothing cached. */
  if (version != FORMAT_VERSION || !g_str_equal (cached_url, service_url))
    return FALSE;

  holder = cd_holder_new_from_json (holder_object, error);
  if (holder == NULL)
    return FALSE;
  certificates = cd_certificate_list_new_from_json (root, error);
  if (certificates == NULL)
    return FALSE;

  if (out_holder != NULL)
    *out_holder = g_steal_pointer (&holder);
  if (out_certificates != NULL)
    *out_certificates = g_steal_pointer (&certificates);
  if (out_saved_at != NULL)
    *out_saved_at = saved_at;
  return TRUE;
}

gboolean
cd_list_cache_save (CdListCache  *self,
                    const char   *service_url,
                    CdHolder     *holder,
                    GPtrArray    *certificates,
                    GError      **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (CD_IS_LIST_CACHE (self), FALSE);
  g_return_val_if_fail (service_url != NULL, FALSE);
  g_return_val_if_fail (CD_IS_HOLDER (holder), FALSE);
  g_return_val_if_fail (certificates != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  json_builder_begin_object (builder);
  cd_json_builder_add_int (builder, "version", FORMAT_VERSION);
  cd_json_builder_add_string (builder, "service_url", service_url);
  cd_json_builder_add_time (builder, "saved_at", cd_time_now ());
  json_builder_set_member_name (builder, "holder");
  cd_holder_to_json (holder, builder);
  json_builder_set_member_name (builder, "certificates");
  json_builder_begin_array (builder);
  for (guint i = 0; i < certificates->len; i++)
    cd_certificate_to_json (g_ptr_array_index (certificates, i), builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  bytes = cd_json_builder_to_bytes (builder);

  if (g_mkdir_with_parents (self->directory, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Cannot create %s: %s", self->directory, g_strerror (saved_errno));
      return FALSE;
    }

  /* Names and certificate numbers are the holder's business alone. */
  path = build_path (self, service_url);
  return g_file_set_contents_full (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

gboolean
cd_list_cache_remove (CdListCache  *self,
                      const char   *service_url,
                      GError      **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (CD_IS_LIST_CACHE (self), FALSE);
  g_return_val_if_fail (service_url != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  path = build_path (self, service_url);
  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Cannot remove %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}
