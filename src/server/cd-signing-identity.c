#include "config.h"

#include "cd-signing-identity.h"

#include <errno.h>
#include <string.h>

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/pkcs7.h>
#include <gnutls/x509.h>

#define KEY_FILE_NAME "signing-key.pem"
#define CERT_FILE_NAME "signing-cert.pem"
#define SUBJECT_DN "CN=CertDesk Certificate Service Signing,O=CertDesk,C=CN"
#define KEY_BITS 2048
#define VALIDITY_YEARS 10

struct _CdSigningIdentity
{
  GObject parent_instance;

  gnutls_privkey_t privkey;
  GBytes *certificate_der;
  GBytes *certificate_pem;
  char *subject;
  char *fingerprint;
};

G_DEFINE_FINAL_TYPE (CdSigningIdentity, cd_signing_identity, G_TYPE_OBJECT)

G_DEFINE_QUARK (cd-signing-error-quark, cd_signing_error)

static void
clear_datum (gnutls_datum_t *datum)
{
  gnutls_free (datum->data);
  datum->data = NULL;
  datum->size = 0;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (gnutls_datum_t, clear_datum)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_privkey_t, gnutls_x509_privkey_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_privkey_t, gnutls_privkey_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_pubkey_t, gnutls_pubkey_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_pkcs7_t, gnutls_pkcs7_deinit, NULL)

static gboolean
check_gnutls (int          ret,
              const char  *what,
              GError     **error)
{
  if (ret >= 0)
    return TRUE;

  g_set_error (error, CD_SIGNING_ERROR, CD_SIGNING_ERROR_FAILED,
               "%s: %s", what, gnutls_strerror (ret));
  return FALSE;
}

static GBytes *
bytes_from_datum (const gnutls_datum_t *datum)
{
  return g_bytes_new (datum->data, datum->size);
}

static gboolean
generate_identity (GBytes  **out_key_pem,
                   GBytes  **out_cert_pem,
                   GError  **error)
{
  g_auto(gnutls_x509_privkey_t) key = NULL;
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_auto(gnutls_datum_t) key_pem = { NULL, 0 };
  g_auto(gnutls_datum_t) cert_pem = { NULL, 0 };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) expires = g_date_time_add_years (now, VALIDITY_YEARS);
  guint8 serial[16];
  guint8 key_id[64];
  size_t key_id_size = sizeof key_id;

  if (!check_gnutls (gnutls_x509_privkey_init (&key), "Cannot create the signing key", error) ||
      !check_gnutls (gnutls_x509_privkey_generate (key, GNUTLS_PK_RSA, KEY_BITS, 0),
                     "Cannot generate the signing key", error) ||
      !check_gnutls (gnutls_x509_crt_init (&crt), "Cannot create the certificate", error) ||
      !check_gnutls (gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial),
                     "Cannot draw a serial number", error))
    return FALSE;

  /* A positive INTEGER of full length: no sign bit, no leading zero byte. */
  serial[0] = (serial[0] & 0x7f) | 0x40;

  if (!check_gnutls (gnutls_x509_crt_set_version (crt, 3), "Cannot set the certificate version", error) ||
      !check_gnutls (gnutls_x509_crt_set_serial (crt, serial, sizeof serial),
                     "Cannot set the serial number", error) ||
      !check_gnutls (gnutls_x509_crt_set_dn (crt, SUBJECT_DN, NULL), "Cannot set the subject", error) ||
      !check_gnutls (gnutls_x509_crt_set_key (crt, key), "Cannot set the public key", error) ||
      !check_gnutls (gnutls_x509_crt_set_activation_time (crt, g_date_time_to_unix (now)),
                     "Cannot set the validity", error) ||
      !check_gnutls (gnutls_x509_crt_set_expiration_time (crt, g_date_time_to_unix (expires)),
                     "Cannot set the validity", error) ||
      !check_gnutls (gnutls_x509_crt_set_basic_constraints (crt, 0, -1),
                     "Cannot set the basic constraints", error) ||
      !check_gnutls (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE |
                                                         GNUTLS_KEY_NON_REPUDIATION),
                     "Cannot set the key usage", error) ||
      !check_gnutls (gnutls_x509_crt_get_key_id (crt, GNUTLS_KEYID_USE_SHA1, key_id, &key_id_size),
                     "Cannot compute the key identifier", error) ||
      !check_gnutls (gnutls_x509_crt_set_subject_key_id (crt, key_id, key_id_size),
                     "Cannot set the subject key identifier", error) ||
      !check_gnutls (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0),
                     "Cannot self-sign the certificate", error) ||
      !check_gnutls (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL,
                                                        GNUTLS_PKCS_PLAIN, &key_pem),
                     "Cannot export the signing key", error) ||
      !check_gnutls (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &cert_pem),
                     "Cannot export the certificate", error))
    return FALSE;

  *out_key_pem = bytes_from_datum (&key_pem);
  *out_cert_pem = bytes_from_datum (&cert_pem);
  return TRUE;
}

/* A key file that does not belong to the certificate would make every signature
 * invalid without any error at signing time, so compare the public keys once. */
static gboolean
check_key_matches (gnutls_privkey_t    privkey,
                   gnutls_x509_crt_t   crt,
                   GError            **error)
{
  g_auto(gnutls_pubkey_t) pubkey = NULL;
  guint8 key_id[64];
  guint8 cert_key_id[64];
  size_t key_id_size = sizeof key_id;
  size_t cert_key_id_size = sizeof cert_key_id;

  if (!check_gnutls (gnutls_pubkey_init (&pubkey), "Cannot read the signing key", error) ||
      !check_gnutls (gnutls_pubkey_import_privkey (pubkey, privkey, 0, 0),
                     "Cannot read the signing key", error) ||
      !check_gnutls (gnutls_pubkey_get_key_id (pubkey, GNUTLS_KEYID_USE_SHA256, key_id, &key_id_size),
                     "Cannot read the signing key", error) ||
      !check_gnutls (gnutls_x509_crt_get_key_id (crt, GNUTLS_KEYID_USE_SHA256,
                                                 cert_key_id, &cert_key_id_size),
                     "Cannot read the signing certificate", error))
    return FALSE;

  if (key_id_size != cert_key_id_size || memcmp (key_id, cert_key_id, key_id_size) != 0)
    {
      g_set_error_literal (error, CD_SIGNING_ERROR, CD_SIGNING_ERROR_FAILED,
                           "The signing key does not belong to the signing certificate");
      return FALSE;
    }

  return TRUE;
}

static CdSigningIdentity *
cd_signing_identity_new_from_pem (GBytes  *key_pem,
                                  GBytes  *cert_pem,
                                  GError **error)
{
  g_autoptr(CdSigningIdentity) self = g_object_new (CD_TYPE_SIGNING_IDENTITY, NULL);
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_auto(gnutls_datum_t) der = { NULL, 0 };
  g_auto(gnutls_datum_t) dn = { NULL, 0 };
  gnutls_datum_t key_datum;
  gnutls_datum_t cert_datum;
  gsize size;

  key_datum.data = (unsigned char *) g_bytes_get_data (key_pem, &size);
  key_datum.size = size;
  cert_datum.data = (unsigned char *) g_bytes_get_data (cert_pem, &size);
  cert_datum.size = size;

  if (!check_gnutls (gnutls_privkey_init (&self->privkey), "Cannot read the signing key", error) ||
      !check_gnutls (gnutls_privkey_import_x509_raw (self->privkey, &key_datum,
                                                     GNUTLS_X509_FMT_PEM, NULL, 0),
                     "Cannot read the signing key", error) ||
      !check_gnutls (gnutls_x509_crt_init (&crt), "Cannot read the signing certificate", error) ||
      !check_gnutls (gnutls_x509_crt_import (crt, &cert_datum, GNUTLS_X509_FMT_PEM),
                     "Cannot read the signing certificate", error) ||
      !check_key_matches (self->privkey, crt, error) ||
      !check_gnutls (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_DER, &der),
                     "Cannot read the signing certificate", error) ||
      !check_gnutls (gnutls_x509_crt_get_dn3 (crt, &dn, 0),
                     "Cannot read the certificate subject", error))
    return NULL;

  self->certificate_der = bytes_from_datum (&der);
  self->certificate_pem = g_bytes_ref (cert_pem);
  self->subject = g_strndup ((const char *) dn.data, dn.size);
  self->fingerprint = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, self->certificate_der);

  return g_steal_pointer (&self);
}

static GBytes *
read_file_bytes (const char  *path,
                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *contents;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, CD_SIGNING_ERROR, CD_SIGNING_ERROR_FAILED,
                   "Cannot read %s: %s", path, local_error->message);
      return NULL;
    }

  return g_bytes_new_take (contents, length);
}

static gboolean
write_file_bytes (const char  *path,
                  GBytes      *bytes,
                  int          mode,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  if (!g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT,
                                 mode, &local_error))
    {
      g_set_error (error, CD_SIGNING_ERROR, CD_SIGNING_ERROR_FAILED,
                   "Cannot write %s: %s", path, local_error->message);
      return FALSE;
    }

  return TRUE;
}

static void
cd_signing_identity_finalize (GObject *object)
{
  CdSigningIdentity *self = CD_SIGNING_IDENTITY (object);

  g_clear_pointer (&self->privkey, gnutls_privkey_deinit);
  g_clear_pointer (&self->certificate_der, g_bytes_unref);
  g_clear_pointer (&self->certificate_pem, g_bytes_unref);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->fingerprint, g_free);

  G_OBJECT_CLASS (cd_signing_identity_parent_class)->finalize (object);
}

static void
cd_signing_identity_class_init (CdSigningIdentityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cd_signing_identity_finalize;
}

static void
cd_signing_identity_init (CdSigningIdentity *self)
{
}

CdSigningIdentity *
cd_signing_identity_load_or_create (const char  *directory,
                                    GError     **error)
{
  g_autofree char *key_path = NULL;
  g_autofree char *cert_path = NULL;
  g_autoptr(GBytes) key_pem = NULL;
  g_autoptr(GBytes) cert_pem = NULL;

  g_return_val_if_fail (directory != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  key_path = g_build_filename (directory, KEY_FILE_NAME, NULL);
  cert_path = g_build_filename (directory, CERT_FILE_NAME, NULL);

  if (g_file_test (key_path, G_FILE_TEST_EXISTS) && g_file_test (cert_path, G_FILE_TEST_EXISTS))
    {
      key_pem = read_file_bytes (key_path, error);
      if (key_pem == NULL)
        return NULL;
      cert_pem = read_file_bytes (cert_path, error);
      if (cert_pem == NULL)
        return NULL;
      return cd_signing_identity_new_from_pem (key_pem, cert_pem, error);
    }

  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, CD_SIGNING_ERROR, CD_SIGNING_ERROR_FAILED,
                   "Cannot create %s: %s", directory, g_strerror (saved_errno));
      return NULL;
    }

  /* The key goes first: a crash in between leaves no certificate, and the next
   * start generates a fresh pair instead of pairing a new key with an old cert. */
  if (!generate_identity (&key_pem, &cert_pem, error) ||
      !write_file_bytes (key_path, key_pem, 0600, error) ||
      !write_file_bytes (cert_path, cert_pem, 0644, error))
    return NULL;

  return cd_signing_identity_new_from_pem (key_pem, cert_pem, error);
}

GBytes *
cd_signing_identity_sign_detached (CdSigningIdentity  *self,
                                   const guint8       *data,
                                   gsize               length,
                                   GError            **error)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_auto(gnutls_pkcs7_t) pkcs7 = NULL;
  g_auto(gnutls_datum_t) signature = { NULL, 0 };
  gnutls_datum_t cert_datum;
  gnutls_datum_t content;
  gsize cert_size;

  g_return_val_if_fail (CD_IS_SIGNING_IDENTITY (self), NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length > G_MAXUINT)
    {
      g_set_error (error, CD_SIGNING_ERROR, CD_SIGNING_ERROR_FAILED,
                   "Cannot sign %" G_GSIZE_FORMAT " bytes: too large", length);
      return NULL;
    }

  cert_datum.data = (unsigned char *) g_bytes_get_data (self->certificate_der, &cert_size);
  cert_datum.size = cert_size;
  content.data = (unsigned char *) data;
  content.size = length;

  /* No lock: GnuTLS only reads a private key while signing, as TLS servers do
   * from many sessions at once. The certificate is parsed again for each
   * signature instead, because gnutls_pkcs7_sign() DER-encodes its issuer and
   * libtasn1 keeps scratch offsets inside the parsed tree while encoding. */
  if (!check_gnutls (gnutls_x509_crt_init (&crt), "Cannot read the signing certificate", error) ||
      !check_gnutls (gnutls_x509_crt_import (crt, &cert_datum, GNUTLS_X509_FMT_DER),
                     "Cannot read the signing certificate", error) ||
      !check_gnutls (gnutls_pkcs7_init (&pkcs7), "Cannot create the signature", error) ||
      !check_gnutls (gnutls_pkcs7_sign (pkcs7, crt, self->privkey, &content, NULL, NULL,
                                        GNUTLS_DIG_SHA256,
                                        GNUTLS_PKCS7_INCLUDE_CERT | GNUTLS_PKCS7_INCLUDE_TIME),
                     "Cannot sign", error) ||
      !check_gnutls (gnutls_pkcs7_export2 (pkcs7, GNUTLS_X509_FMT_DER, &signature),
                     "Cannot encode the signature", error))
    return NULL;

  return bytes_from_datum (&signature);
}

const char *
cd_signing_identity_get_subject (CdSigningIdentity *self)
{
  g_return_val_if_fail (CD_IS_SIGNING_IDENTITY (self), NULL);

  return self->subject;
}

const char *
cd_signing_identity_get_fingerprint (CdSigningIdentity *self)
{
  g_return_val_if_fail (CD_IS_SIGNING_IDENTITY (self), NULL);

  return self->fingerprint;
}

/* (transfer none), like the other getters. */
GBytes *
cd_signing_identity_get_certificate_pem (CdSigningIdentity *self)
{
  g_return_val_if_fail (CD_IS_SIGNING_IDENTITY (self), NULL);

  return self->certificate_pem;
}
