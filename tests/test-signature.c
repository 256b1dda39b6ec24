#include "config.h"

#include "cd-certificate-document.h"
#include "cd-pdf-signer.h"
#include "cd-signature.h"
#include "cd-signing-identity.h"
#include "cd-test-certificate.h"
#include "cd-trust-store.h"

#include <string.h>
#include <sys/stat.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <glib/gstdio.h>

#define SERVICE_URL   "https://zs.example.gov.cn/certdesk"
#define OTHER_URL     "https://other.example.cn"
#define N_CONCURRENT  8

/* Made once: RSA key generation is the slow part. */
typedef struct
{
  char *dir;
  CdSigningIdentity *identity;
  CdSigningIdentity *other_identity;
  GBytes *unsigned_pdf;
  GBytes *signed_pdf;        /* by identity */
  GBytes *other_signed_pdf;  /* by other_identity */
  gint64 signed_after;       /* the signature's time lies between these */
  gint64 signed_before;
} Documents;

static Documents documents;

static GBytes *
sign (GBytes            *pdf,
      CdSigningIdentity *identity)
{
  g_autoptr(GError) error = NULL;
  GBytes *signed_pdf = cd_pdf_sign (pdf, identity, g_get_real_time () / G_USEC_PER_SEC,
                                    "annotated certificate", &error);

  g_assert_no_error (error);
  return signed_pdf;
}

static void
documents_init (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdCertificateRecord) certificate = cd_test_certificate_new (CD_TEST_CERTIFICATE_HOLDER);
  g_autoptr(CdAnnotationRecord) annotation = cd_test_annotation_new ();
  g_autofree char *other_dir = NULL;

  documents.dir = g_dir_make_tmp ("certdesk-test-signature-XXXXXX", &error);
  g_assert_no_error (error);
  other_dir = g_build_filename (documents.dir, "other", NULL);

  documents.identity = cd_signing_identity_load_or_create (documents.dir, &error);
  g_assert_no_error (error);
  documents.other_identity = cd_signing_identity_load_or_create (other_dir, &error);
  g_assert_no_error (error);

  documents.unsigned_pdf = cd_certificate_document_render (certificate, annotation, CD_TEST_VERIFY_URL,
                                                           &error);
  g_assert_no_error (error);

  documents.signed_after = g_get_real_time () / G_USEC_PER_SEC;
  documents.signed_pdf = sign (documents.unsigned_pdf, documents.identity);
  documents.other_signed_pdf = sign (documents.unsigned_pdf, documents.other_identity);
  documents.signed_before = g_get_real_time () / G_USEC_PER_SEC;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
documents_clear (void)
{
  remove_tree (documents.dir);
  g_clear_pointer (&documents.dir, g_free);
  g_clear_object (&documents.identity);
  g_clear_object (&documents.other_identity);
  g_clear_pointer (&documents.unsigned_pdf, g_bytes_unref);
  g_clear_pointer (&documents.signed_pdf, g_bytes_unref);
  g_clear_pointer (&documents.other_signed_pdf, g_bytes_unref);
}

/* Files go to the isolated data directory, which GLib removes after each test. */
static GFile *
write_file (const char   *name,
            const guint8 *data,
            gsize         length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), name, NULL);

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  g_file_set_contents (path, (const char *) data, length, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static GFile *
write_bytes (const char *name,
             GBytes     *bytes)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);

  return write_file (name, data, length);
}

static char *
trust_store_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "certdesk", "trusted-signers.ini", NULL);
}

/* Binary-safe: PDF streams contain NUL bytes. */
static gsize
find (const guint8 *data,
      gsize         length,
      const char   *needle)
{
  gsize needle_length = strlen (needle);

  for (gsize i = 0; i + needle_length <= length; i++)
    {
      if (memcmp (data + i, needle, needle_length) == 0)
        return i;
    }

  g_assert_not_reached ();
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out_result = user_data;

  *out_result = g_object_ref (result);
}

static CdSignatureInfo *
verify (GFile         *file,
        CdTrustStore  *trust,
        const char    *service_url,
        GCancellable  *cancellable,
        GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cd_signature_verify_async (file, trust, service_url, cancellable, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return cd_signature_verify_finish (result, error);
}

static CdSignatureInfo *
verify_bytes (const char   *name,
              GBytes       *bytes,
              CdTrustStore *trust,
              const char   *service_url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = write_bytes (name, bytes);
  CdSignatureInfo *info = verify (file, trust, service_url, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (info);
  return info;
}

static GBytes *
modified_copy (GBytes     *bytes,
               const char *needle,
               gsize       offset)
{
  gsize length = g_bytes_get_size (bytes);
  guint8 *data = g_memdup2 (g_bytes_get_data (bytes, NULL), length);
  gsize pos = find (data, length, needle) + offset;

  data[pos] = data[pos] == '1' ? '2' : '1';
  return g_bytes_new_take (data, length);
}

static void
assert_summary_contains (CdSignatureInfo *info,
                         const char      *part)
{
  g_autofree char *summary = cd_signature_info_get_summary (info);

  g_test_message ("summary: %s", summary);
  g_assert_nonnull (strstr (summary, part));
}

static void
test_valid (void)
{
  g_autoptr(CdSignatureInfo) info = verify_bytes ("signed.pdf", documents.signed_pdf, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(CdSignatureInfo) sync_info = NULL;
  g_autofree char *name = NULL;
  g_autofree char *fingerprint = NULL;
  CdSignatureStatus status;
  gint64 signing_time;
  gboolean whole;

  g_assert_cmpint (cd_signature_info_get_status (info), ==, CD_SIGNATURE_VALID);
  g_assert_cmpstr (cd_signature_info_get_signer_name (info), ==, CD_TEST_SIGNER_CN);
  g_assert_cmpstr (cd_signature_info_get_signer_fingerprint (info), ==,
                   cd_signing_identity_get_fingerprint (documents.identity));
  g_assert_true (cd_signature_info_get_covers_whole_document (info));
  /* The time is the PKCS#7 signing-time attribute, which GnuTLS sets to the
   * moment of signing (cd_pdf_sign's time only goes to /M), from time(), whose
   * coarse clock may still show the previous second. */
  g_assert_cmpint (cd_signature_info_get_signing_time (info), >=, documents.signed_after - 1);
  g_assert_cmpint (cd_signature_info_get_signing_time (info), <=, documents.signed_before);
  assert_summary_contains (info, "Signed by " CD_TEST_SIGNER_CN " on ");
  assert_summary_contains (info, "valid");

  g_object_get (info, "status", &status, "signer-name", &name, "signing-time", &signing_time,
                "signer-fingerprint", &fingerprint, "covers-whole-document", &whole, NULL);
  g_assert_cmpint (status, ==, CD_SIGNATURE_VALID);
  g_assert_cmpstr (name, ==, CD_TEST_SIGNER_CN);
  g_assert_cmpint (signing_time, ==, cd_signature_info_get_signing_time (info));
  g_assert_cmpstr (fingerprint, ==, cd_signing_identity_get_fingerprint (documents.identity));
  g_assert_true (whole);

  /* The blocking variant shares the code. */
  file = write_bytes ("signed.pdf", documents.signed_pdf);
  sync_info = cd_signature_verify_sync (file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cd_signature_info_get_status (sync_info), ==, CD_SIGNATURE_VALID);
  g_assert_cmpstr (cd_signature_info_get_signer_fingerprint (sync_info), ==,
                   cd_signing_identity_get_fingerprint (documents.identity));
}

static void
test_tampered (void)
{
  /* A digit of the signing date in the signature dictionary, and one of the
   * creation date cairo wrote: both inside the signed range. */
  const struct
  {
    const char *needle;
    gsize offset;
  } changes[] = {
    { "/M (D:", 8 },
    { "/CreationDate (", 18 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
    {
      g_autoptr(GBytes) tampered = modified_copy (documents.signed_pdf, changes[i].needle,
                                                  changes[i].offset);
      g_autoptr(CdSignatureInfo) info = verify_bytes ("tampered.pdf", tampered, NULL, NULL);

      g_assert_cmpint (cd_signature_info_get_status (info), ==, CD_SIGNATURE_TAMPERED);
      g_assert_true (cd_signature_info_get_covers_whole_document (info));
      g_assert_null (cd_signature_info_get_signer_fingerprint (info));
      assert_summary_contains (info, "changed after it was signed");
    }
}

/* The signature checks out over its byte range, but the bytes appended after
 * the signed revision are not vouched for. */
static void
test_appended (void)
{
  g_autoptr(GByteArray) array = g_byte_array_new ();
  g_autoptr(GBytes) appended = NULL;
  g_autoptr(CdSignatureInfo) info = NULL;
  const char extra[] = "% appended after signing\n";
  gsize length;
  const guint8 *data = g_bytes_get_data (documents.signed_pdf, &length);

  g_byte_array_append (array, data, length);
  g_byte_array_append (array, (const guint8 *) extra, strlen (extra));
  appended = g_byte_array_free_to_bytes (g_steal_pointer (&array));

  info = verify_bytes ("appended.pdf", appended, NULL, NULL);
  g_assert_cmpint (cd_signature_info_get_status (info), ==, CD_SIGNATURE_TAMPERED);
  g_assert_false (cd_signature_info_get_covers_whole_document (info));
  assert_summary_contains (info, "added to the document after it was signed");
}

static void
test_broken_signature (void)
{
  g_autoptr(GBytes) broken = NULL;
  g_autoptr(CdSignatureInfo) info = NULL;
  gsize length = g_bytes_get_size (documents.signed_pdf);
  guint8 *data = g_memdup2 (g_bytes_get_data (documents.signed_pdf, NULL), length);
  gsize hex = find (data, length, "/Contents <") + strlen ("/Contents <");
  gsize last = hex;

  /* The DER ends with the RSA signature value; the zeros after it are padding. */
  for (gsize i = hex; data[i] != '>'; i++)
    {
      if (data[i] != '0')
        last = i;
    }
  data[last - 40] = data[last - 40] == 'A' ? 'B' : 'A';
  broken = g_bytes_new_take (data, length);

  info = verify_bytes ("broken.pdf", broken, NULL, NULL);
  g_assert_cmpint (cd_signature_info_get_status (info), ==, CD_SIGNATURE_INVALID);
  g_assert_null (cd_signature_info_get_signer_fingerprint (info));
  assert_summary_contains (info, "cannot be verified");
}

static cairo_status_t
write_to_byte_array_cb (void                *closure,
                        const unsigned char *data,
                        unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static GBytes *
make_cairo_pdf (void)
{
  GByteArray *array = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_t *cr;

  surface = cairo_pdf_surface_create_for_stream (write_to_byte_array_cb, array, 595.28, 841.89);
  cr = cairo_create (surface);
  cairo_move_to (cr, 72, 144);
  cairo_show_text (cr, "Not signed");
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  return g_byte_array_free_to_bytes (array);
}

static void
test_unsigned (void)
{
  g_autoptr(GBytes) pdf = make_cairo_pdf ();
  g_autoptr(CdTrustStore) trust = NULL;
  g_autofree char *path = trust_store_path ();
  CdSignatureInfo *info;

  trust = cd_trust_store_new (path);

  info = verify_bytes ("cairo.pdf", pdf, trust, SERVICE_URL);
  g_assert_cmpint (cd_signature_info_get_status (info), ==, CD_SIGNATURE_UNSIGNED);
  g_assert_null (cd_signature_info_get_signer_name (info));
  g_assert_null (cd_signature_info_get_signer_fingerprint (info));
  g_assert_cmpint (cd_signature_info_get_signing_time (info), ==, 0);
  g_assert_false (cd_signature_info_get_covers_whole_document (info));
  assert_summary_contains (info, "not signed");
  g_object_unref (info);

  info = verify_bytes ("certificate.pdf", documents.unsigned_pdf, trust, SERVICE_URL);
  g_assert_cmpint (cd_signature_info_get_status (info), ==, CD_SIGNATURE_UNSIGNED);
  g_object_unref (info);

  /* Nothing to pin. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_pinning (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = trust_store_path ();
  g_autoptr(CdTrustStore) trust = cd_trust_store_new (path);
  const char *fingerprint = cd_signing_identity_get_fingerprint (documents.identity);
  const char *other_fingerprint = cd_signing_identity_get_fingerprint (documents.other_identity);
  g_autofree char *pin = NULL;
  CdSignatureInfo *info;

  g_assert_cmpstr (fingerprint, !=, other_fingerprint);

  /* First sight pins, the second matches. */
  for (guint i = 0; i < 2; i++)
    {
      info = verify_bytes ("signed.pdf", documents.signed_pdf, trust, SERVICE_URL);
      g_assert_cmpint (cd_signature_info_get_status (info), ==, CD_SIGNATURE_VALID);
      g_object_unref (info);
    }
  pin = cd_trust_store_get_pin (trust, SERVICE_URL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pin, ==, fingerprint);

  info = verify_bytes ("other.pdf", documents.other_signed_pdf, trust, SERVICE_URL);
  g_assert_cmpint (cd_signature_info_get_status (info), ==, CD_SIGNATURE_UNTRUSTED);
  g_assert_cmpstr (cd_signature_info_get_signer_fingerprint (info), ==, other_fingerprint);
  g_assert_cmpstr (cd_signature_info_get_signer_name (info), ==, CD_TEST_SIGNER_CN);
  g_assert_true (cd_signature_info_get_covers_whole_document (info));
  assert_summary_contains (info, "not with a key this computer trusts");
  g_object_unref (info);

  /* A mismatch leaves the pin alone. */
  g_clear_pointer (&pin, g_free);
  pin = cd_trust_store_get_pin (trust, SERVICE_URL, &error);
  g_assert_cmpstr (pin, ==, fingerprint);

  /* Another service has its own pin. */
  info = verify_bytes ("other.pdf", documents.other_signed_pdf, trust, OTHER_URL);
  g_assert_cmpint (cd_signature_info_get_status (info), ==, CD_SIGNATURE_VALID);
  g_object_unref (info);
  g_clear_pointer (&pin, g_free);
  pin = cd_trust_store_get_pin (trust, OTHER_URL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pin, ==, other_fingerprint);

  /* A deliberate re-pin. */
  g_assert_true (cd_trust_store_forget (trust, SERVICE_URL, &error));
  g_assert_no_error (error);
  info = verify_bytes ("other.pdf", documents.other_signed_pdf, trust, SERVICE_URL);
  g_assert_cmpint (cd_signature_info_get_status (info), ==, CD_SIGNATURE_VALID);
  g_object_unref (info);
  info = verify_bytes ("signed.pdf", documents.signed_pdf, trust, SERVICE_URL);
  g_assert_cmpint (cd_signature_info_get_status (info), ==, CD_SIGNATURE_UNTRUSTED);
  g_object_unref (info);

  /* Without a service URL there is nothing to pin against. */
  info = verify_bytes ("signed.pdf", documents.signed_pdf, trust, NULL);
  g_assert_cmpint (cd_signature_info_get_status (info), ==, CD_SIGNATURE_VALID);
  g_object_unref (info);
}

static void
test_pinning_corrupt_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = trust_store_path ();
  g_autofree char *directory = g_path_get_dirname (path);
  g_autoptr(CdTrustStore) trust = cd_trust_store_new (path);
  g_autoptr(GFile) file = write_bytes ("signed.pdf", documents.signed_pdf);
  g_autoptr(CdSignatureInfo) info = NULL;

  g_assert_cmpint (g_mkdir_with_parents (directory, 0700), ==, 0);
  g_file_set_contents (path, "[unterminated\n", -1, &error);
  g_assert_no_error (error);

  info = verify (file, trust, SERVICE_URL, NULL, &error);
  g_assert_error (error, CD_TRUST_STORE_ERROR, CD_TRUST_STORE_ERROR_CORRUPT);
  g_assert_null (info);
}

static void
assert_verify_error (const char   *name,
                     const guint8 *data,
                     gsize         length,
                     int           code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = write_file (name, data, length);
  g_autoptr(CdSignatureInfo) info = verify (file, NULL, NULL, NULL, &error);

  g_test_message ("%s: %s", name, error != NULL ? error->message : "no error");
  g_assert_error (error, CD_SIGNATURE_ERROR, code);
  g_assert_null (info);
  g_assert_nonnull (strstr (error->message, name));
}

static void
test_errors (void)
{
  const char text[] = "This is not a certificate.\n";
  const char header_only[] = "%PDF-1.7\n%%EOF\n";
  gsize length;
  const guint8 *data = g_bytes_get_data (documents.signed_pdf, &length);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) missing = NULL;
  g_autoptr(GFile) directory = NULL;
  g_autoptr(CdSignatureInfo) info = NULL;

  assert_verify_error ("text.txt", (const guint8 *) text, strlen (text), CD_SIGNATURE_ERROR_NOT_PDF);
  assert_verify_error ("empty.pdf", (const guint8 *) "", 0, CD_SIGNATURE_ERROR_NOT_PDF);
  assert_verify_error ("half.pdf", data, length / 2, CD_SIGNATURE_ERROR_FAILED);
  assert_verify_error ("cut.pdf", data, length - 10, CD_SIGNATURE_ERROR_FAILED);
  assert_verify_error ("header-only.pdf", (const guint8 *) header_only, strlen (header_only),
                       CD_SIGNATURE_ERROR_FAILED);

  missing = g_file_new_for_path ("/nonexistent/certificate.pdf");
  info = verify (missing, NULL, NULL, NULL, &error);
  g_assert_error (error, CD_SIGNATURE_ERROR, CD_SIGNATURE_ERROR_FAILED);
  g_assert_null (info);
  g_clear_error (&error);

  directory = g_file_new_for_path (g_get_tmp_dir ());
  info = verify (directory, NULL, NULL, NULL, &error);
  g_assert_error (error, CD_SIGNATURE_ERROR, CD_SIGNATURE_ERROR_FAILED);
  g_assert_null (info);
}

static void
test_cancelled (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = write_bytes ("signed.pdf", documents.signed_pdf);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CdSignatureInfo) info = NULL;

  g_cancellable_cancel (cancellable);

  info = verify (file, NULL, NULL, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (info);
  g_clear_error (&error);

  info = cd_signature_verify_sync (file, NULL, NULL, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (info);
}

static void
count_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  guint *n_valid = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSignatureInfo) info = cd_signature_verify_finish (result, &error);

  g_assert_no_error (error);
  g_assert_cmpint (cd_signature_info_get_status (info), ==, CD_SIGNATURE_VALID);
  (*n_valid)++;
}

/* Several checks at once share one pin. */
static void
test_concurrent (void)
{
  g_autofree char *path = trust_store_path ();
  g_autoptr(CdTrustStore) trust = cd_trust_store_new (path);
  g_autoptr(GFile) file = write_bytes ("signed.pdf", documents.signed_pdf);
  g_autofree char *pin = NULL;
  guint n_valid = 0;

  for (guint i = 0; i < N_CONCURRENT; i++)
    cd_signature_verify_async (file, trust, SERVICE_URL, NULL, count_result_cb, &n_valid);
  while (n_valid < N_CONCURRENT)
    g_main_context_iteration (NULL, TRUE);

  pin = cd_trust_store_get_pin (trust, SERVICE_URL, NULL);
  g_assert_cmpstr (pin, ==, cd_signing_identity_get_fingerprint (documents.identity));
}

static void
test_status_strings (void)
{
  g_assert_cmpstr (cd_signature_status_to_string (CD_SIGNATURE_VALID), ==, "valid");
  g_assert_cmpstr (cd_signature_status_to_string (CD_SIGNATURE_TAMPERED), ==, "tampered");
  g_assert_cmpstr (cd_signature_status_to_string (CD_SIGNATURE_INVALID), ==, "invalid");
  g_assert_cmpstr (cd_signature_status_to_string (CD_SIGNATURE_UNSIGNED), ==, "unsigned");
  g_assert_cmpstr (cd_signature_status_to_string (CD_SIGNATURE_UNTRUSTED), ==, "untrusted");
}

#define FINGERPRINT_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define FINGERPRINT_B "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void
test_trust_store_persistence (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "a", "b",
                                            "trusted-signers.ini", NULL);
  g_autofree char *directory = g_path_get_dirname (path);
  g_autoptr(CdTrustStore) first = cd_trust_store_new (path);
  g_autoptr(CdTrustStore) second = NULL;
  g_autofree char *pin = NULL;
  GStatBuf st;

  g_assert_cmpstr (cd_trust_store_get_path (first), ==, path);
  pin = cd_trust_store_get_pin (first, SERVICE_URL, &error);
  g_assert_no_error (error);
  g_assert_null (pin);

  g_assert_cmpint (cd_trust_store_check_or_pin (first, SERVICE_URL, FINGERPRINT_A, &error), ==,
                   CD_TRUST_PINNED_NOW);
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (directory, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  second = cd_trust_store_new (path);
  g_assert_cmpint (cd_trust_store_check_or_pin (second, SERVICE_URL, FINGERPRINT_A, &error), ==,
                   CD_TRUST_MATCHES);
  g_assert_cmpint (cd_trust_store_check_or_pin (second, SERVICE_URL, FINGERPRINT_B, &error), ==,
                   CD_TRUST_MISMATCH);
  g_assert_cmpint (cd_trust_store_check_or_pin (second, OTHER_URL, FINGERPRINT_B, &error), ==,
                   CD_TRUST_PINNED_NOW);
  g_assert_no_error (error);

  /* The first instance sees the second one's pin. */
  g_assert_cmpint (cd_trust_store_check_or_pin (first, OTHER_URL, FINGERPRINT_A, &error), ==,
                   CD_TRUST_MISMATCH);

  g_assert_true (cd_trust_store_forget (second, SERVICE_URL, &error));
  g_assert_true (cd_trust_store_forget (second, SERVICE_URL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cd_trust_store_check_or_pin (first, SERVICE_URL, FINGERPRINT_B, &error), ==,
                   CD_TRUST_PINNED_NOW);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

/* A read-only view never pins: a PDF opened from disk cannot make its signer trusted. */
static void
test_trust_store_read_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "read-only", "trusted-signers.ini", NULL);
  g_autoptr(CdTrustStore) view = cd_trust_store_new_read_only (path);
  g_autoptr(CdTrustStore) store = cd_trust_store_new (path);
  g_autofree char *pin = NULL;

  g_assert_cmpint (cd_trust_store_check_or_pin (view, SERVICE_URL, FINGERPRINT_A, &error), ==,
                   CD_TRUST_MISMATCH);
  g_assert_no_error (error);
  pin = cd_trust_store_get_pin (store, SERVICE_URL, &error);
  g_assert_no_error (error);
  g_assert_null (pin);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_assert_cmpint (cd_trust_store_check_or_pin (store, SERVICE_URL, FINGERPRINT_A, &error), ==,
                   CD_TRUST_PINNED_NOW);
  g_assert_cmpint (cd_trust_store_check_or_pin (view, SERVICE_URL, FINGERPRINT_A, &error), ==,
                   CD_TRUST_MATCHES);
  g_assert_cmpint (cd_trust_store_check_or_pin (view, SERVICE_URL, FINGERPRINT_B, &error), ==,
                   CD_TRUST_MISMATCH);
  g_assert_no_error (error);
}

static void
test_trust_store_urls (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = trust_store_path ();
  g_autoptr(CdTrustStore) trust = cd_trust_store_new (path);
  const char *same[] = {
    "https://ZS.example.gov.cn/certdesk/",
    "https://zs.example.gov.cn:443/certdesk",
    "HTTPS://zs.example.gov.cn/certdesk//",
    "https://zs.example.gov.cn/certdesk?page=2#top",
  };
  const char *different[] = {
    "http://zs.example.gov.cn/certdesk",
    "https://zs.example.gov.cn:8443/certdesk",
    "https://zs.example.gov.cn/other",
  };

  g_assert_cmpint (cd_trust_store_check_or_pin (trust, SERVICE_URL, FINGERPRINT_A, &error), ==,
                   CD_TRUST_PINNED_NOW);
  for (guint i = 0; i < G_N_ELEMENTS (same); i++)
    g_assert_cmpint (cd_trust_store_check_or_pin (trust, same[i], FINGERPRINT_B, &error), ==,
                     CD_TRUST_MISMATCH);
  for (guint i = 0; i < G_N_ELEMENTS (different); i++)
    g_assert_cmpint (cd_trust_store_check_or_pin (trust, different[i], FINGERPRINT_B, &error), ==,
                     CD_TRUST_PINNED_NOW);
  g_assert_no_error (error);

  /* Brackets of IPv6 hosts cannot appear in a key file group name as they are. */
  g_assert_cmpint (cd_trust_store_check_or_pin (trust, "http://[::1]:8080/", FINGERPRINT_A, &error),
                   ==, CD_TRUST_PINNED_NOW);
  g_assert_cmpint (cd_trust_store_check_or_pin (trust, "http://[::1]:8080", FINGERPRINT_A, &error),
                   ==, CD_TRUST_MATCHES);
  g_assert_no_error (error);

  g_assert_cmpint (cd_trust_store_check_or_pin (trust, "not a url", FINGERPRINT_A, &error), ==,
                   CD_TRUST_FAILED);
  g_assert_error (error, CD_TRUST_STORE_ERROR, CD_TRUST_STORE_ERROR_INVALID_URL);
}

static void
test_trust_store_corrupt (void)
{
  const char *contents[] = {
    "[unterminated group\nfingerprint=" FINGERPRINT_A "\n",
    "[https://zs.example.gov.cn/certdesk]\nfingerprint=not-hex\n",
    "[https://zs.example.gov.cn/certdesk]\nother=1\n",
    "\xff\xfe binary\n",
  };
  g_autofree char *path = trust_store_path ();
  g_autofree char *directory = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (directory, 0700), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (contents); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CdTrustStore) trust = cd_trust_store_new (path);
      g_autofree char *after = NULL;
      g_autofree char *pin = NULL;

      g_file_set_contents (path, contents[i], -1, &error);
      g_assert_no_error (error);

      g_assert_cmpint (cd_trust_store_check_or_pin (trust, OTHER_URL, FINGERPRINT_B, &error), ==,
                       CD_TRUST_FAILED);
      g_test_message ("%s", error->message);
      g_assert_error (error, CD_TRUST_STORE_ERROR, CD_TRUST_STORE_ERROR_CORRUPT);
      g_clear_error (&error);

      pin = cd_trust_store_get_pin (trust, SERVICE_URL, &error);
      g_assert_error (error, CD_TRUST_STORE_ERROR, CD_TRUST_STORE_ERROR_CORRUPT);
      g_assert_null (pin);
      g_clear_error (&error);

      g_assert_false (cd_trust_store_forget (trust, SERVICE_URL, &error));
      g_assert_error (error, CD_TRUST_STORE_ERROR, CD_TRUST_STORE_ERROR_CORRUPT);
      g_clear_error (&error);

      /* Left as it was, for the user to look at. */
      g_file_get_contents (path, &after, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (after, ==, contents[i]);
    }
}

typedef struct
{
  CdTrustStore *trust; /* (unowned) */
  char fingerprint[65];
  CdTrustDecision decision;
} PinJob;

static gpointer
pin_thread (gpointer user_data)
{
  PinJob *job = user_data;
  g_autoptr(GError) error = NULL;

  job->decision = cd_trust_store_check_or_pin (job->trust, SERVICE_URL, job->fingerprint, &error);
  g_assert_no_error (error);
  return NULL;
}

static void
test_trust_store_threads (void)
{
  g_autofree char *path = trust_store_path ();
  g_autoptr(CdTrustStore) trust = cd_trust_store_new (path);
  g_autofree char *pin = NULL;
  PinJob jobs[N_CONCURRENT];
  GThread *threads[N_CONCURRENT];
  guint n_pinned = 0;

  for (guint i = 0; i < N_CONCURRENT; i++)
    {
      jobs[i].trust = trust;
      memset (jobs[i].fingerprint, '0' + i, 64);
      jobs[i].fingerprint[64] = '\0';
      threads[i] = g_thread_new ("pin", pin_thread, &jobs[i]);
    }
  for (guint i = 0; i < N_CONCURRENT; i++)
    g_thread_join (threads[i]);

  pin = cd_trust_store_get_pin (trust, SERVICE_URL, NULL);
  for (guint i = 0; i < N_CONCURRENT; i++)
    {
      if (jobs[i].decision == CD_TRUST_PINNED_NOW)
        {
          n_pinned++;
          g_assert_cmpstr (jobs[i].fingerprint, ==, pin);
        }
      else
        g_assert_cmpint (jobs[i].decision, ==, CD_TRUST_MISMATCH);
    }
  g_assert_cmpuint (n_pinned, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  documents_init ();

  g_test_add_func ("/certdesk/signature/valid", test_valid);
  g_test_add_func ("/certdesk/signature/tampered", test_tampered);
  g_test_add_func ("/certdesk/signature/appended", test_appended);
  g_test_add_func ("/certdesk/signature/broken-signature", test_broken_signature);
  g_test_add_func ("/certdesk/signature/unsigned", test_unsigned);
  g_test_add_func ("/certdesk/signature/pinning", test_pinning);
  g_test_add_func ("/certdesk/signature/pinning-corrupt-store", test_pinning_corrupt_store);
  g_test_add_func ("/certdesk/signature/errors", test_errors);
  g_test_add_func ("/certdesk/signature/cancelled", test_cancelled);
  g_test_add_func ("/certdesk/signature/concurrent", test_concurrent);
  g_test_add_func ("/certdesk/signature/status-strings", test_status_strings);
  g_test_add_func ("/certdesk/signature/trust-store/persistence", test_trust_store_persistence);
  g_test_add_func ("/certdesk/signature/trust-store/urls", test_trust_store_urls);
  g_test_add_func ("/certdesk/signature/trust-store/read-only", test_trust_store_read_only);
  g_test_add_func ("/certdesk/signature/trust-store/corrupt", test_trust_store_corrupt);
  g_test_add_func ("/certdesk/signature/trust-store/threads", test_trust_store_threads);

  ret = g_test_run ();
  documents_clear ();
  return ret;
}
