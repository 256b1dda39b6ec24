#include "config.h"

#include "cd-signature.h"

#include "cd-time.h"

#include <string.h>

#include <glib/gi18n-lib.h>
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
/* Trust comes from the pin, not from NSS's database; see the HEADLESS notes on
 * why the OCSP flag is needed offline. */
#define VALIDATION_FLAGS (POPPLER_SIGNATURE_VALIDATION_FLAG_VALIDATE_CERTIFICATE | \
                          POPPLER_SIGNATURE_VALIDATION_FLAG_WITHOUT_OCSP_REVOCATION_CHECK)

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
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerSignatureInfo, poppler_signature_info_free)
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

static gint64
get_poppler_signing_time (const PopplerSignatureInfo *info)
{
  GDateTime *when = poppler_signature_info_get_local_signing_time (info);

  return when != NULL ? g_date_time_to_unix (when) : 0;
}

/* Validates every signature field and returns the newest one's result, or NULL
 * without an error when there is none: the newest is the one that must cover
 * the whole file. */
static PopplerSignatureInfo *
validate_newest_signature (PopplerDocument  *document,
                           GCancellable     *cancellable,
                           GError          **error)
{
  /* poppler 22.12 validating in several threads at once often reports a digest
   * mismatch for an intact file, and may crash while the first validations set
   * NSS up, so validations take turns. */
  static GMutex validation_mutex;
  g_autoptr(PopplerSignatureInfo) newest = NULL;
  GList *fields = poppler_document_get_signature_fields (document);

  for (GList *l = fields; l != NULL; l = l->next)
    {
      g_autoptr(PopplerSignatureInfo) info = NULL;
      g_autoptr(GError) local_error = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          g_clear_pointer (&newest, poppler_signature_info_free);
          break;
        }

      /* No cancellable: on cancellation poppler returns at once but leaves its
       * worker validating, outside the lock. A validation takes milliseconds. */
      g_mutex_lock (&validation_mutex);
      info = poppler_form_field_signature_validate_sync (l->data, VALIDATION_FLAGS, NULL,
                                                         &local_error);
      g_mutex_unlock (&validation_mutex);

      if (info == NULL)
        {
          g_set_error (error, CD_SIGNATURE_ERROR, CD_SIGNATURE_ERROR_FAILED,
                       _("Cannot check the signature: %s"), local_error->message);
          g_clear_pointer (&newest, poppler_signature_info_free);
          break;
        }

      if (newest == NULL || get_poppler_signing_time (info) >= get_poppler_signing_time (newest))
        {
          g_clear_pointer (&newest, poppler_signature_info_free);
          newest = g_steal_pointer (&info);
        }
    }

  g_list_free_full (fields, g_object_unref);
  return g_steal_pointer (&newest);
}

static CdSignatureStatus
status_from_poppler (PopplerSignatureStatus status)
{
  switch (status)
    {
    case POPPLER_SIGNATURE_VALID:
      return CD_SIGNATURE_VALID;
    case POPPLER_SIGNATURE_DIGEST_MISMATCH:
      return CD_SIGNATURE_TAMPERED;
    case POPPLER_SIGNATURE_INVALID:
    case POPPLER_SIGNATURE_DECODING_ERROR:
    case POPPLER_SIGNATURE_GENERIC_ERROR:
    case POPPLER_SIGNATURE_NOT_FOUND:
    case POPPLER_SIGNATURE_NOT_VERIFIED:
    default:
      return CD_SIGNATURE_INVALID;
    }
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
 * the file it covers, so find the signature dictionaries ourselves and keep the
 * one reaching furthest: the newest. */
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

/* Checks the PKCS#7 of @raw over its byte range with GnuTLS and returns the
 * fingerprint of the certificate whose key made it, or NULL. poppler has already
 * said the document's signature is valid, but pinning needs to know which key
 * signed these very bytes, which poppler-glib does not tell. */
static char *
dup_verified_signer_fingerprint (const guint8       *data,
                                 const RawSignature *raw)
{
  g_auto(gnutls_pkcs7_t) pkcs7 = NULL;
  g_autoptr(GBytes) der = decode_contents (data, raw);
  g_autofree guint8 *signed_data = NULL;
  gnutls_datum_t der_datum;
  gnutls_datum_t signed_datum;
  gsize der_length;
  int n_certificates;

  if (der == NULL || gnutls_pkcs7_init (&pkcs7) < 0)
    return NULL;

  der_datum.data = (unsigned char *) g_bytes_get_data (der, &der_length);
  der_datum.size = der_length;
  /* adbe.pkcs7.detached has exactly one signer. */
  if (gnutls_pkcs7_import (pkcs7, &der_datum, GNUTLS_X509_FMT_DER) < 0 ||
      gnutls_pkcs7_get_signature_count (pkcs7) != 1)
    return NULL;

  signed_data = g_malloc (raw->hole_start + raw->end - raw->hole_end);
  memcpy (signed_data, data, raw->hole_start);
  memcpy (signed_data + raw->hole_start, data + raw->hole_end, raw->end - raw->hole_end);
  signed_datum.data = signed_data;
  signed_datum.size = raw->hole_start + raw->end - raw->hole_end;

  n_certificates = gnutls_pkcs7_get_crt_count (pkcs7);
  for (int i = 0; i < n_certificates; i++)
    {
      g_auto(gnutls_x509_crt_t) certificate = NULL;
      gnutls_datum_t certificate_der = { NULL, 0 };
      char *fingerprint = NULL;

      if (gnutls_pkcs7_get_crt_raw2 (pkcs7, i, &certificate_der) < 0)
        continue;

      if (gnutls_x509_crt_init (&certificate) >= 0 &&
          gnutls_x509_crt_import (certificate, &certificate_der, GNUTLS_X509_FMT_DER) >= 0 &&
          gnutls_pkcs7_verify_direct (pkcs7, certificate, 0, &signed_datum, 0) >= 0)
        fingerprint = g_compute_checksum_for_data (G_CHECKSUM_SHA256, certificate_der.data,
                                                   certificate_der.size);

      gnutls_free (certificate_der.data);
      if (fingerprint != NULL)
        return fingerprint;
    }

  return NULL;
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
  g_autoptr(PopplerSignatureInfo) newest = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *signer_name;
  const guint8 *data;
  gsize length;
  RawSignature raw = { 0 };
  gboolean has_raw;
  CdTrustDecision decision;

  bytes = read_file (file, cancellable, error);
  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &length);

  /* poppler reads the bytes we check below, not the file again, which could have
   * been replaced in between. */
  if (!check_pdf_shape (file, data, length, error) ||
      (document = open_document (file, bytes, error)) == NULL)
    return NULL;

  newest = validate_newest_signature (document, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  self = g_object_new (CD_TYPE_SIGNATURE_INFO, NULL);
  if (newest == NULL)
    {
      self->status = CD_SIGNATURE_UNSIGNED;
      return g_steal_pointer (&self);
    }

  signer_name = poppler_signature_info_get_signer_name (newest);
  self->signer_name = signer_name != NULL && *signer_name != '\0' ? g_strdup (signer_name) : NULL;
  self->signing_time = MAX (get_poppler_signing_time (newest), 0);
  self->status = status_from_poppler (poppler_signature_info_get_signature_status (newest));

  has_raw = find_raw_signature (data, length, &raw);
  self->covers_whole_document = has_raw && raw.end == length;

  if (self->status != CD_SIGNATURE_VALID)
    return g_steal_pointer (&self);

  /* poppler checks only the bytes the signature names: anything appended after
   * signing (another revision, another signature) is not vouched for. */
  if (has_raw && raw.end != length)
    {
      self->status = CD_SIGNATURE_TAMPERED;
      return g_steal_pointer (&self);
    }

  self->signer_fingerprint = has_raw ? dup_verified_signer_fingerprint (data, &raw) : NULL;
  if (self->signer_fingerprint == NULL)
    {
      g_debug ("poppler finds the signature valid, but GnuTLS cannot confirm its signer");
      self->status = CD_SIGNATURE_INVALID;
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
