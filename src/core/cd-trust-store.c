#include "config.h"

#include "cd-trust-store.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#define FINGERPRINT_KEY "fingerprint"
#define FINGERPRINT_LENGTH 64

struct _CdTrustStore
{
  GObject parent_instance;

  char *path;
  gboolean read_only;
  /* Held from reading the file to writing it back, so two pins made at once in
   * this process cannot both count as the first. */
  GMutex mutex;
};

G_DEFINE_FINAL_TYPE (CdTrustStore, cd_trust_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (cd-trust-store-error-quark, cd_trust_store_error)

enum
{
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_fingerprint (const char *fingerprint)
{
  return fingerprint != NULL && strlen (fingerprint) == FINGERPRINT_LENGTH &&
         strspn (fingerprint, "0123456789abcdef") == FINGERPRINT_LENGTH;
}

/* The key file group for @service_url: the URL reduced to scheme, host, port and
 * path (without trailing slashes), so that spellings of one service share a pin.
 * Group names cannot hold "[" or "]" (IPv6 hosts), which escaping takes care of. */
static char *
dup_group_name (const char  *service_url,
                GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  g_autofree char *normalized = NULL;
  gsize path_length;

  uri = g_uri_parse (service_url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_SCHEME_NORMALIZE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, CD_TRUST_STORE_ERROR, CD_TRUST_STORE_ERROR_INVALID_URL,
                   _("“%s” is not a service address"), service_url);
      return NULL;
    }

  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  path = g_strdup (g_uri_get_path (uri));
  path_length = strlen (path);
  while (path_length > 0 && path[path_length - 1] == '/')
    path[--path_length] = '\0';

  normalized = g_uri_join (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), NULL, host,
                           g_uri_get_port (uri), path, NULL, NULL);
  return g_uri_escape_string (normalized, "!$&'()*+,;=:/?#@", FALSE);
}

static GKeyFile *
load_locked (CdTrustStore  *self,
             GError       **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;

  if (!g_key_file_load_from_file (key_file, self->path, G_KEY_FILE_KEEP_COMMENTS, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&key_file);

      if (local_error->domain == G_KEY_FILE_ERROR)
        g_set_error (error, CD_TRUST_STORE_ERROR, CD_TRUST_STORE_ERROR_CORRUPT,
                     _("The list of trusted signers in %s is damaged (%s); repair or remove it"),
                     self->path, local_error->message);
      else
        g_set_error (error, CD_TRUST_STORE_ERROR, CD_TRUST_STORE_ERROR_FAILED,
                     _("Cannot read the list of trusted signers: %s"), local_error->message);
      return NULL;
    }

  /* A pin that cannot be read must not let the next signer in unnoticed. */
  groups = g_key_file_get_groups (key_file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *fingerprint = g_key_file_get_string (key_file, groups[i],
                                                            FINGERPRINT_KEY, NULL);

      if (!is_fingerprint (fingerprint))
        {
          g_set_error (error, CD_TRUST_STORE_ERROR, CD_TRUST_STORE_ERROR_CORRUPT,
                       _("The list of trusted signers in %s is damaged (no valid fingerprint for %s); repair or remove it"),
                       self->path, groups[i]);
          return NULL;
        }
    }

  return g_steal_pointer (&key_file);
}

static gboolean
save_locked (CdTrustStore  *self,
             GKeyFile      *key_file,
             GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *directory = g_path_get_dirname (self->path);
  g_autofree char *data = NULL;
  gsize length;

  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, CD_TRUST_STORE_ERROR, CD_TRUST_STORE_ERROR_FAILED,
                   _("Cannot create %s: %s"), directory, g_strerror (saved_errno));
      return FALSE;
    }

  g_key_file_set_comment (key_file, NULL, NULL,
                          " The certificate that signs each CertDesk service's documents,\n"
                          " trusted when first seen (SHA-256 of its DER). Remove a section\n"
                          " only when the service has really changed its signing key.",
                          NULL);
  data = g_key_file_to_data (key_file, &length, NULL);

  if (!g_file_set_contents_full (self->path, data, length, G_FILE_SET_CONTENTS_CONSISTENT,
                                 0600, &local_error))
    {
      g_set_error (error, CD_TRUST_STORE_ERROR, CD_TRUST_STORE_ERROR_FAILED,
                   _("Cannot save the list of trusted signers: %s"), local_error->message);
      return FALSE;
    }

  return TRUE;
}

static void
cd_trust_store_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CdTrustStore *self = CD_TRUST_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_trust_store_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CdTrustStore *self = CD_TRUST_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_trust_store_finalize (GObject *object)
{
  CdTrustStore *self = CD_TRUST_STORE (object);

  g_clear_pointer (&self->path, g_free);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (cd_trust_store_parent_class)->finalize (object);
}

static void
cd_trust_store_class_init (CdTrustStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = cd_trust_store_get_property;
  object_class->set_property = cd_trust_store_set_property;
  object_class->finalize = cd_trust_store_finalize;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cd_trust_store_init (CdTrustStore *self)
{
  g_mutex_init (&self->mutex);
}

CdTrustStore *
cd_trust_store_new (const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  return g_object_new (CD_TYPE_TRUST_STORE, "path", path, NULL);
}

const char *
cd_trust_store_get_path (CdTrustStore *self)
{
  g_return_val_if_fail (CD_IS_TRUST_STORE (self), NULL);

  return self->path;
}

CdTrustDecision
cd_trust_store_check_or_pin (CdTrustStore  *self,
                             const char    *service_url,
                             const char    *fingerprint,
                             GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GKeyFile) key_file = NULL;
  g_autofree char *group = NULL;
  g_autofree char *pinned = NULL;

  g_return_val_if_fail (CD_IS_TRUST_STORE (self), CD_TRUST_FAILED);
  g_return_val_if_fail (service_url != NULL, CD_TRUST_FAILED);
  g_return_val_if_fail (is_fingerprint (fingerprint), CD_TRUST_FAILED);
  g_return_val_if_fail (error == NULL || *error == NULL, CD_TRUST_FAILED);

  group = dup_group_name (service_url, error);
  if (group == NULL)
    return CD_TRUST_FAILED;

  locker = g_mutex_locker_new (&self->mutex);
  key_file = load_locked (self, error);
  if (key_file == NULL)
    return CD_TRUST_FAILED;

  pinned = g_key_file_get_string (key_file, group, FINGERPRINT_KEY, NULL);
  if (pinned != NULL)
    return g_str_equal (pinned, fingerprint) ? CD_TRUST_MATCHES : CD_TRUST_MISMATCH;
  if (self->read_only)
    return CD_TRUST_MISMATCH;

  g_key_file_set_string (key_file, group, FINGERPRINT_KEY, fingerprint);
  if (!save_locked (self, key_file, error))
    return CD_TRUST_FAILED;

  g_debug ("Pinned signer %s for %s", fingerprint, group);
  return CD_TRUST_PINNED_NOW;
}

CdTrustStore *
cd_trust_store_new_read_only (const char *path)
{
  CdTrustStore *self = cd_trust_store_new (path);

  self->read_only = TRUE;
  return self;
}

char *
cd_trust_store_get_pin (CdTrustStore  *self,
                        const char    *service_url,
                        GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GKeyFile) key_file = NULL;
  g_autofree char *group = NULL;

  g_return_val_if_fail (CD_IS_TRUST_STORE (self), NULL);
  g_return_val_if_fail (service_url != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  group = dup_group_name (service_url, error);
  if (group == NULL)
    return NULL;

  locker = g_mutex_locker_new (&self->mutex);
  key_file = load_locked (self, error);
  if (key_file == NULL)
    return NULL;

  return g_key_file_get_string (key_file, group, FINGERPRINT_KEY, NULL);
}

gboolean
cd_trust_store_forget (CdTrustStore  *self,
                       const char    *service_url,
                       GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GKeyFile) key_file = NULL;
  g_autofree char *group = NULL;

  g_return_val_if_fail (CD_IS_TRUST_STORE (self), FALSE);
  g_return_val_if_fail (service_url != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  group = dup_group_name (service_url, error);
  if (group == NULL)
    return FALSE;

  locker = g_mutex_locker_new (&self->mutex);
  key_file = load_locked (self, error);
  if (key_file == NULL)
    return FALSE;

  if (!g_key_file_remove_group (key_file, group, NULL))
    return TRUE;

  g_debug ("Forgot the pinned signer for %s", group);
  return save_locked (self, key_file, error);
}
