#include "config.h"

#include "cd-signature.h"

#include "cd-time.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/pkcs7.h>
#include <gnutls/x509.h>
#include <poppler.h>

/* A certificate is some 50 KiB; a file far larger is not one, and is not read
 * into memory whole. */
#define MAX_FILE_SIZE (16 * 1024 * 1024)
/* How far from either end of the file the PDF specification lets readers look
 * for the header and for %%EOF. */
#define END_WINDOW 1024

struct _CdSignatureInfo
{
  GObject parent_instance;

  CdSignatureStatus status;
  char *signer_name;
  gint64 signing_time;
  char *signer_fingerprint;
  gboolean covers_whole_document;
};

G_DEFINE_FINAL_TYPE (CdSignatureInfo, cd_signature_info, G_TYPE_OBJECT)

G_DEFINE_QUARK (cd-signature-error-quark, cd_signature_error)

G_DEFINE_ENUM_TYPE (CdSignatureStatus, cd_signature_status,
  G_DEFINE_ENUM_VALUE (CD_SIGNATURE_VALID, "valid"),
  G_DEFINE_ENUM_VALUE (CD_SIGNATURE_TAMPERED, "tampered"),
  G_DEFINE_ENUM_VALUE (CD_SIGNATURE_INVALID, "invalid"),
  G_DEFINE_ENUM_VALUE (CD_SIGNATURE_UNSIGNED, "unsigned"),
  G_DEFINE_ENUM_VALUE (CD_SIGNATURE_UNTRUSTED, "untrusted"))

enum
{
  PROP_0,
  PROP_STATUS,
  PROP_SIGNER_NAME,
  PROP_SIGNING_TIME,
  PROP_SIGNER_FINGERPRINT,
  PROP_COVERS_WHOLE_DOCUMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A signature dictionary as found in the raw bytes: /ByteRange [0 b c d], where
 * [b, c) is the "<hex>" of its /Contents. */
typedef struct
{
  gsize hole_start;
  gsize hole_end;
  gsize end; /* c + d */
} RawSignature;

typedef struct
{
  GFile *file;
  CdTrustStore *trust;
  char *service_url;
} VerifyData;

/* poppler-glib 22.12 declares no autoptr cleanups. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_pkcs7_t, gnutls_pkcs7_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)

static void
verify_data_free (VerifyData *data)
{
  g_clear_object (&data->file);
  g_clear_object (&data->trust);
  g_clear_pointer (&data->service_url, g_free);
  g_free (data);
}

static gboolean
is_pdf_white (guint8 c)
{
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

static gboolean
find_bytes (const guint8 *data,
            gsize         start,
            gsize         end,
            const char   *needle,
            gsize        *out_pos)
{
  gsize needle_length = strlen (needle);

  for (gsize i = start; i + needle_length <= end; i++)
    {
      if (memcmp (data + i, needle, needle_length) == 0)
        {
          *out_pos = i;
          return TRUE;
        }
    }

  return FALSE;
}

/* Reads at most MAX_FILE_SIZE bytes, so that a device or a huge file picked by
 * mistake fails instead of filling the memory. */
static GBytes *
read_file (GFile         *file,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GByteArray) array = g_byte_array_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = g_file_get_parse_name (file);
  guint8 buffer[16384];

  stream = g_file_read (file, cancellable, &local_error);
  while (stream != NULL)
    {
      gssize n_read = g_input_stream_read (G_INPUT_STREAM (stream), buffer, sizeof buffer,
                                           cancellable, &local_error);

      if (n_read <= 0)
        break;
      if (array->len + (gsize) n_read > MAX_FILE_SIZE)
        {
          g_set_error (error, CD_SIGNATURE_ERROR, CD_SIGNATURE_ERROR_NOT_PDF,
                       _("%s is too large to be a certificate"), name);
          return NULL;
        }
      g_byte_array_append (array, buffer, n_read);
    }

  if (local_error != NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, CD_SIGNATURE_ERROR, CD_SIGNATURE_ERROR_FAILED,
                     _("Cannot read %s: %s"), name, local_error->message);
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&array));
}

/* poppler rebuilds a cut-off file and would show it as unsigned, since the
 * signature is at the end: catch a partial download here. */
static gboolean
check_pdf_shape (GFile         *file,
                 const guint8  *data,
                 gsize          length,
                 GError       **error)
{
  g_autofree char *name = g_file_get_parse_name (file);
  gsize pos;

  if (!find_bytes (data, 0, MIN (length, END_WINDOW), "%PDF-", &pos))
    {
      g_set_error (error, CD_SIGNATURE_ERROR, CD_SIGNATURE_ERROR_NOT_PDF,
                   _("%s is not a PDF document"), name);
      return FALSE;
    }

  if (!find_bytes (data, length - MIN (length, END_WINDOW), length, "%%EOF", &pos))
    {
      g_set_error (error, CD_SIGNATURE_ERROR, CD_SIGNATURE_ERROR_FAILED,
                   _("%s is incomplete; it may have been cut off while downloading"), name);
      return FALSE;
    }

  return TRUE;
}

static PopplerDocument *
open_document (GFile   *file,
               GBytes  *bytes,
               GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = g_file_get_parse_name (file);
  PopplerDocument *document;

  document = poppler_document_new_from_bytes (bytes, NULL, &local_error);
  if (document != NULL)
    return document;

  if (g_error_matches (local_error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
    g_set_error (error, CD_SIGNATURE_ERROR, CD_SIGNATURE_ERROR_FAILED,
                 _("%s is protected with a password"), name);
  else
    g_set_error (error, CD_SIGNATURE_ERROR, CD_SIGNATURE_ERROR_FAILED,
                 _("%s is damaged and cannot be read as a PDF document"), name);

  g_debug ("poppler cannot open %s: %s", name, local_error->message);
  return NULL;
}

/* Returns the position after the number, or 0 when there is none. */
static gsize
parse_offset (const guint8 *data,
              gsize         length,
              gsize         pos,
              gsize        *out_value)
{
  gsize value = 0;
  gsize start;

  while (pos < length && is_pdf_white (data[pos]))
    pos++;

  for (start = pos; pos < length && g_ascii_isdigit (data[pos]); pos++)
    {
      /* Offsets beyond the file are refused by the caller anyway. */
      if (value > length)
        return 0;
      value = value * 10 + (data[pos] - '0');
    }

  *out_value = value;
  return pos > start ? pos : 0;
}

/* Whether the /ByteRange value at @pos describes a signature of this file: it
 * starts at the first byte and leaves out exactly the hex string of /Contents. */
static gboolean
parse_byte_range (const guint8 *data,
                  gsize         length,
                  gsize         pos,
                  RawSignature *out)
{
  static const char contents_key[] = "/Contents";
  gsize range[4];
  gsize key_end;

  while (pos < length && is_pdf_white (data[pos]))
    pos++;
  if (pos >= length || data[pos] != '[')
    return FALSE;
  pos++;

  for (guint i = 0; i < G_N_ELEMENTS (range); i++)
    {
      pos = parse_offset (data, length, pos, &range[i]);
      if (pos == 0)
        return FALSE;
    }
  /* Exactly one hole: four numbers. */
  while (pos < length && is_pdf_white (data[pos]))
    pos++;
  if (pos >= length || data[pos] != ']')
    return FALSE;

  if (range[0] != 0 || range[1] >= range[2] || range[2] > length || range[3] > length - range[2])
    return FALSE;
  if (data[range[1]] != '<' || data[range[2] - 1] != '>' || (range[2] - range[1]) % 2 != 0)
    return FALSE;
  for (gsize i = range[1] + 1; i < range[2] - 1; i++)
    {
      if (!g_ascii_isxdigit (data[i]))
        return FALSE;
    }

  for (key_end = range[1]; key_end > 0 && is_pdf_white (data[key_end - 1]); key_end--)
    ;
  if (key_end < strlen (contents_key) ||
      memcmp (data + key_end - strlen (contents_key), contents_key, strlen (contents_key)) != 0)
    return FALSE;

  out->hole_start = range[1];
  out->hole_end = range[2];
  out->end = range[2] + range[3];
  return TRUE;
}

/* poppler-glib 22.12 neither hands out the signature's bytes nor says how much of
 * the file it covers without validating it through NSS, so find the signature
 * dictionaries ourselves and keep the one reaching furthest: the newest, which
 * must cover the whole file. A dictionary counts only when its /ByteRange starts
 * at the first byte, stays inside the file and leaves out exactly the hex string
 * of its own /Contents; anything else in the file, such as text in a stream
 * that happens to read "/ByteRange", is passed over. */
static gboolean
find_raw_signature (const guint8 *data,
                    gsize         length,
                    RawSignature *out)
{
  static const char byte_range_key[] = "/ByteRange";
  gboolean found = FALSE;
  gsize pos = 0;

  while (find_bytes (data, pos, length, byte_range_key, &pos))
    {
      RawSignature candidate;

      pos += strlen (byte_range_key);
      if (parse_byte_range (data, length, pos, &candidate) && (!found || candidate.end >= out->end))
        {
          *out = candidate;
          found = TRUE;
        }
    }

  return found;
}

/* The DER of /Contents, without the zero padding that fills the reserved space. */
static GBytes *
decode_contents (const guint8       *data,
                 const RawSignature *raw)
{
  gsize n_bytes = (raw->hole_end - raw->hole_start - 2) / 2;
  g_autofree guint8 *der = g_malloc (MAX (n_bytes, 1));
  gsize der_length;

  for (gsize i = 0; i < n_bytes; i++)
    der[i] = g_ascii_xdigit_value (data[raw->hole_start + 1 + 2 * i]) << 4 |
             g_ascii_xdigit_value (data[raw->hole_start + 2 + 2 * i]);

  /* An outer SEQUENCE with a definite length. */
  if (n_bytes < 2 || der[0] != 0x30)
    return NULL;
  if (der[1] < 0x80)
    der_length = 2 + der[1];
  else
    {
      guint n_length_bytes = der[1] & 0x7f;

      if (n_length_bytes == 0 || n_length_bytes > 4 || n_bytes < 2 + n_length_bytes)
        return NULL;
      der_length = 0;
      for (guint i = 0; i < n_length_bytes; i++)
        der_length = der_length << 8 | der[2 + i];
      der_length += 2 + n_length_bytes;
    }

  if (der_length > n_bytes)
    return NULL;

  return g_bytes_new (der, der_length);
}

static gboolean
datum_equal (const gnutls_datum_t *a,
             const gnutls_datum_t *b)
{
  return a->size == b->size && (a->size == 0 || memcmp (a->data, b->data, a->size) == 0);
}

/* Whether @certificate is the one the signer info names: by issuer and serial
 * number, or by subject key identifier. */
static gboolean
is_signer_certificate (gnutls_x509_crt_t                     certificate,
                       const gnutls_pkcs7_signature_info_st *info)
{
  if (info->issuer_dn.size > 0)
    {
      gnutls_datum_t issuer = { NULL, 0 };
      guint8 serial[64];
      size_t serial_size = sizeof serial;
      gboolean same_issuer;

      if (gnutls_x509_crt_get_raw_issuer_dn (certificate, &issuer) < 0)
        return FALSE;
      same_issuer = datum_equal (&issuer, &info->issuer_dn);
      gnutls_free (issuer.data);

      return same_issuer &&
             gnutls_x509_crt_get_serial (certificate, serial, &serial_size) >= 0 &&
             serial_size == info->signer_serial.size &&
             memcmp (serial, info->signer_serial.data, serial_size) == 0;
    }

  if (info->issuer_keyid.size > 0)
    {
      guint8 key_id[64];
      size_t key_id_size = sizeof key_id;

      return gnutls_x509_crt_get_subject_key_id (certificate, key_id, &key_id_size, NULL) >= 0 &&
             key_id_size == info->issuer_keyid.size &&
             memcmp (key_id, info->issuer_keyid.data, key_id_size) == 0;
    }

  return FALSE;
}

/* The last common name of the subject, as NSS's CERT_GetCommonName, which
 * poppler used, reports it; NULL when there is none. */
static char *
dup_common_name (gnutls_x509_crt_t certificate)
{
  g_autofree char *name = NULL;

  for (guint i = 0;; i++)
    {
      g_autofree char *value = NULL;
      size_t size = 0;

      if (gnutls_x509_crt_get_dn_by_oid (certificate, GNUTLS_OID_X520_COMMON_NAME, i, 0, NULL,
                                         &size) != GNUTLS_E_SHORT_MEMORY_BUFFER)
        break;
      value = g_malloc (size + 1);
      if (gnutls_x509_crt_get_dn_by_oid (certificate, GNUTLS_OID_X520_COMMON_NAME, i, 0, value,
                                         &size) < 0)
        break;
      value[size] = '\0';
      g_free (name);
      name = g_steal_pointer (&value);
    }

  return name != NULL && *name != '\0' && g_utf8_validate (name, -1, NULL) ? g_steal_pointer (&name)
                                                                           : NULL;
}

/* The embedded certificate the signer info names, with its DER; NULL when the
 * PKCS#7 does not carry it. */
static gnutls_x509_crt_t
find_signer_certificate (gnutls_pkcs7_t                        pkcs7,
                         const gnutls_pkcs7_signature_info_st *info,
                         GBytes                              **out_der)
{
  int n_certificates = gnutls_pkcs7_get_crt_count (pkcs7);

  for (int i = 0; i < n_certificates; i++)
    {
      g_auto(gnutls_x509_crt_t) certificate = NULL;
      gnutls_datum_t certificate_der = { NULL, 0 };
      gboolean found;

      if (gnutls_pkcs7_get_crt_raw2 (pkcs7, i, &certificate_der) < 0)
        continue;

      found = gnutls_x509_crt_init (&certificate) >= 0 &&
              gnutls_x509_crt_import (certificate, &certificate_der, GNUTLS_X509_FMT_DER) >= 0 &&
              is_signer_certificate (certificate, info);
      if (found)
        *out_der = g_bytes_new (certificate_der.data, certificate_der.size);
      gnutls_free (certificate_der.data);
      if (found)
        return g_steal_pointer (&certificate);
    }

  return NULL;
}

typedef enum
{
  DIGEST_MATCHES,
  DIGEST_DIFFERS,
  DIGEST_UNREADABLE,
} DigestCheck;

/* Compares the digest of the signed bytes with the signed messageDigest
 * attribute: a mismatch means the document changed, not the signature. */
static DigestCheck
check_message_digest (const gnutls_pkcs7_signature_info_st *info,
                      const gnutls_datum_t                 *signed_datum)
{
  static const char message_digest_oid[] = "1.2.840.113549.1.9.4";
  gnutls_digest_algorithm_t algorithm = gnutls_sign_get_hash_algorithm (info->algo);
  guint8 digest[64];
  gsize digest_size = gnutls_hash_get_len (algorithm);

  if (algorithm == GNUTLS_DIG_UNKNOWN || digest_size == 0 || digest_size > sizeof digest ||
      gnutls_hash_fast (algorithm, signed_datum->data, signed_datum->size, digest) < 0)
    return DIGEST_UNREADABLE;

  for (guint i = 0;; i++)
    {
      gnutls_datum_t value = { NULL, 0 };
      char *oid = NULL;
      gboolean matches;

      /* The OID belongs to the list; the value is a copy. */
      if (gnutls_pkcs7_get_attr (info->signed_attrs, i, &oid, &value, 0) < 0)
        return DIGEST_UNREADABLE;
      gnutls_free (value.data);
      if (g_strcmp0 (oid, message_digest_oid) != 0)
        continue;

      if (gnutls_pkcs7_get_attr (info->signed_attrs, i, &oid, &value,
                                 GNUTLS_PKCS7_ATTR_ENCODE_OCTET_STRING) < 0)
        return DIGEST_UNREADABLE;
      matches = value.size == digest_size && memcmp (value.data, digest, digest_size) == 0;
      gnutls_free (value.data);

      return matches ? DIGEST_MATCHES : DIGEST_DIFFERS;
    }
}

/* Checks the PKCS#7 of @raw over its byte range and fills in @self's status
 * (VALID, TAMPERED or INVALID), signer name, signing time and, when the
 * signature is intact, the fingerprint of the certificate whose key made it.
 * TAMPERED means the signed bytes no longer have the digest that was signed;
 * INVALID that the signature cannot be read or does not verify. */
static void
check_signature (CdSignatureInfo    *self,
                 const guint8       *data,
                 const RawSignature *raw)
{
  g_auto(gnutls_pkcs7_t) pkcs7 = NULL;
  g_auto(gnutls_x509_crt_t) signer = NULL;
  g_autoptr(GBytes) der = decode_contents (data, raw);
  g_autoptr(GBytes) signer_der = NULL;
  g_autofree guint8 *signed_data = NULL;
  gnutls_pkcs7_signature_info_st info;
  gnutls_datum_t der_datum;
  gnutls_datum_t signed_datum;
  gsize der_length;
  DigestCheck digest_check = DIGEST_MATCHES;
  int ret = 0;

  self->status = CD_SIGNATURE_INVALID;

  if (der == NULL || gnutls_pkcs7_init (&pkcs7) < 0)
    return;

  der_datum.data = (unsigned char *) g_bytes_get_data (der, &der_length);
  der_datum.size = der_length;
  /* adbe.pkcs7.detached has exactly one signer. */
  if (gnutls_pkcs7_import (pkcs7, &der_datum, GNUTLS_X509_FMT_DER) < 0 ||
      gnutls_pkcs7_get_signature_count (pkcs7) != 1 ||
      gnutls_pkcs7_get_signature_info (pkcs7, 0, &info) < 0)
    return;

  self->signing_time = MAX (info.signing_time, 0);
  signer = find_signer_certificate (pkcs7, &info, &signer_der);
  if (signer != NULL)
    self->signer_name = dup_common_name (signer);

  signed_data = g_malloc (raw->hole_start + raw->end - raw->hole_end);
  memcpy (signed_data, data, raw->hole_start);
  memcpy (signed_data + raw->hole_start, data + raw->hole_end, raw->end - raw->hole_end);
  signed_datum.data = signed_data;
  signed_datum.size = raw->hole_start + raw->end - raw->hole_end;

  /* Without signed attributes the signature is over the bytes themselves, and
   * a changed document cannot be told from a broken signature: NSS calls that
   * a bad signature too. */
  if (info.signed_attrs != NULL)
    digest_check = check_message_digest (&info, &signed_datum);

  if (digest_check == DIGEST_DIFFERS)
    self->status = CD_SIGNATURE_TAMPERED;
  else if (digest_check == DIGEST_MATCHES && signer != NULL &&
           (ret = gnutls_pkcs7_verify_direct (pkcs7, signer, 0, &signed_datum, 0)) >= 0)
    {
      self->status = CD_SIGNATURE_VALID;
      self->signer_fingerprint = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, signer_der);
    }
  else if (signer == NULL)
    g_debug ("The signature does not carry its signer's certificate");
  else if (digest_check == DIGEST_MATCHES)
    g_debug ("The signature does not verify: %s", gnutls_strerror (ret));
  else
    g_debug ("The signature's message digest cannot be read");

  gnutls_pkcs7_signature_info_deinit (&info);
}

static CdSignatureInfo *
verify (GFile         *file,
        CdTrustStore  *trust,
        const char    *service_url,
        GCancellable  *cancellable,
        GError       **error)
{
  g_autoptr(CdSignatureInfo) self = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(PopplerDocument) document = NULL;
  const guint8 *data;
  gsize length;
  RawSignature raw = { 0 };
  CdTrustDecision decision;

  bytes = read_file (file, cancellable, error);
  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &length);

  /* poppler reads the bytes we check below, not the file again, which could have
   * been replaced in between. It only tells whether the document is readable and
   * has signature fields: validating them would initialise NSS, its softoken and
   * certificate database, some megabytes for a check GnuTLS does here anyway. */
  if (!check_pdf_shape (file, data, length, error) ||
      (document = open_document (file, bytes, error)) == NULL)
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  self = g_object_new (CD_TYPE_SIGNATURE_INFO, NULL);
  if (poppler_document_get_n_signatures (document) == 0)
    {
      self->status = CD_SIGNATURE_UNSIGNED;
      return g_steal_pointer (&self);
    }

  /* A signature field whose dictionary cannot be read is a damaged signature. */
  if (!find_raw_signature (data, length, &raw))
    {
      g_debug ("The document has a signature field, but no readable /ByteRange and /Contents");
      self->status = CD_SIGNATURE_INVALID;
      return g_steal_pointer (&self);
    }

  self->covers_whole_document = raw.end == length;
  check_signature (self, data, &raw);
  if (self->status != CD_SIGNATURE_VALID)
    return g_steal_pointer (&self);

  /* The signature vouches only for the bytes it names: anything appended after
   * signing (another revision, another signature) is not vouched for. */
  if (!self->covers_whole_document)
    {
      self->status = CD_SIGNATURE_TAMPERED;
      g_clear_pointer (&self->signer_fingerprint, g_free);
      return g_steal_pointer (&self);
    }

  if (trust == NULL || service_url == NULL)
    return g_steal_pointer (&self);

  decision = cd_trust_store_check_or_pin (trust, service_url, self->signer_fingerprint, error);
  if (decision == CD_TRUST_FAILED)
    return NULL;
  if (decision == CD_TRUST_MISMATCH)
    self->status = CD_SIGNATURE_UNTRUSTED;

  return g_steal_pointer (&self);
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  VerifyData *data = task_data;
  g_autoptr(GError) error = NULL;
  CdSignatureInfo *info;

  info = verify (data->file, data->trust, data->service_url, cancellable, &error);
  if (info == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, info, g_object_unref);
}

static void
cd_signature_info_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CdSignatureInfo *self = CD_SIGNATURE_INFO (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_SIGNER_NAME:
      g_value_set_string (value, self->signer_name);
      break;
    case PROP_SIGNING_TIME:
      g_value_set_int64 (value, self->signing_time);
      break;
    case PROP_SIGNER_FINGERPRINT:
      g_value_set_string (value, self->signer_fingerprint);
      break;
    case PROP_COVERS_WHOLE_DOCUMENT:
      g_value_set_boolean (value, self->covers_whole_document);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_signature_info_finalize (GObject *object)
{
  CdSignatureInfo *self = CD_SIGNATURE_INFO (object);

  g_clear_pointer (&self->signer_name, g_free);
  g_clear_pointer (&self->signer_fingerprint, g_free);

  G_OBJECT_CLASS (cd_signature_info_parent_class)->finalize (object);
}

static void
cd_signature_info_class_init (CdSignatureInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = cd_signature_info_get_property;
  object_class->finalize = cd_signature_info_finalize;

  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, CD_TYPE_SIGNATURE_STATUS, CD_SIGNATURE_UNSIGNED,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIGNER_NAME] =
    g_param_spec_string ("signer-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIGNING_TIME] =
    g_param_spec_int64 ("signing-time", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIGNER_FINGERPRINT] =
    g_param_spec_string ("signer-fingerprint", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_COVERS_WHOLE_DOCUMENT] =
    g_param_spec_boolean ("covers-whole-document", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cd_signature_info_init (CdSignatureInfo *self)
{
  self->status = CD_SIGNATURE_UNSIGNED;
}

const char *
cd_signature_status_to_string (CdSignatureStatus status)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (CD_TYPE_SIGNATURE_STATUS);
  GEnumValue *value = g_enum_get_value (klass, status);

  g_return_val_if_fail (value != NULL, NULL);

  /* The classes of static types are never unloaded: the nick outlives the ref. */
  return value->value_nick;
}

CdSignatureStatus
cd_signature_info_get_status (CdSignatureInfo *self)
{
  g_return_val_if_fail (CD_IS_SIGNATURE_INFO (self), CD_SIGNATURE_INVALID);

  return self->status;
}

const char *
cd_signature_info_get_signer_name (CdSignatureInfo *self)
{
  g_return_val_if_fail (CD_IS_SIGNATURE_INFO (self), NULL);

  return self->signer_name;
}

gint64
cd_signature_info_get_signing_time (CdSignatureInfo *self)
{
  g_return_val_if_fail (CD_IS_SIGNATURE_INFO (self), 0);

  return self->signing_time;
}

const char *
cd_signature_info_get_signer_fingerprint (CdSignatureInfo *self)
{
  g_return_val_if_fail (CD_IS_SIGNATURE_INFO (self), NULL);

  return self->signer_fingerprint;
}

gboolean
cd_signature_info_get_covers_whole_document (CdSignatureInfo *self)
{
  g_return_val_if_fail (CD_IS_SIGNATURE_INFO (self), FALSE);

  return self->covers_whole_document;
}

char *
cd_signature_info_get_summary (CdSignatureInfo *self)
{
  g_autoptr(GTimeZone) china = cd_time_get_china_zone ();
  g_autofree char *date = NULL;
  const char *signer;

  g_return_val_if_fail (CD_IS_SIGNATURE_INFO (self), NULL);

  /* Dates on certificates are China Standard Time; the summary agrees with them. */
  date = self->signing_time > 0 ? cd_time_format_date (self->signing_time, china)
                                : g_strdup (_("an unknown date"));
  signer = self->signer_name != NULL ? self->signer_name : _("an unknown signer");

  switch (self->status)
    {
    case CD_SIGNATURE_VALID:
      /* Translators: the first %s is the signer's name, the second a date */
      return g_strdup_printf (_("Signed by %s on %s; the signature is valid"), signer, date);
    case CD_SIGNATURE_UNTRUSTED:
      /* Translators: the first %s is the signer's name, the second a date */
      return g_strdup_printf (_("Signed by %s on %s, but not with a key this computer trusts for the service"),
                              signer, date);
    case CD_SIGNATURE_TAMPERED:
      if (!self->covers_whole_document)
        return g_strdup (_("Content was added to the document after it was signed"));
      return g_strdup (_("The document was changed after it was signed"));
    case CD_SIGNATURE_INVALID:
      return g_strdup (_("The signature is damaged and cannot be verified"));
    case CD_SIGNATURE_UNSIGNED:
    default:
      return g_strdup (_("The document is not signed"));
    }
}

void
cd_signature_verify_async (GFile               *file,
                           CdTrustStore        *trust,
                           const char          *service_url,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  VerifyData *data;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (trust == NULL || CD_IS_TRUST_STORE (trust));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (VerifyData, 1);
  data->file = g_object_ref (file);
  data->trust = trust != NULL ? g_object_ref (trust) : NULL;
  data->service_url = g_strdup (service_url);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cd_signature_verify_async);
  g_task_set_task_data (task, data, (GDestroyNotify) verify_data_free);
  g_task_run_in_thread (task, verify_thread);
}

CdSignatureInfo *
cd_signature_verify_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cd_signature_verify_async, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

CdSignatureInfo *
cd_signature_verify_sync (GFile         *file,
                          CdTrustStore  *trust,
                          const char    *service_url,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (trust == NULL || CD_IS_TRUST_STORE (trust), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return verify (file, trust, service_url, cancellable, error);
}
