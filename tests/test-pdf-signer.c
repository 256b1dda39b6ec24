#include "config.h"

#include "cd-pdf-signer.h"
#include "cd-signing-identity.h"

#include <string.h>
#include <sys/stat.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <glib/gstdio.h>
#include <poppler.h>

#define SIGNER_CN "CertDesk Certificate Service Signing"
#define SIGNING_TIME 1767225600 /* 2026-01-01T00:00:00Z */
#define REASON "证书批注 — annotated certificate"
#define N_THREADS 4

/* poppler-glib 22.12 declares no autoptr cleanups. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerSignatureInfo, poppler_signature_info_free)

typedef struct
{
  char *dir;
  CdSigningIdentity *identity;
  GBytes *pdf;
} Fixture;

typedef struct
{
  CdSigningIdentity *identity; /* (unowned) */
  GBytes *pdf; /* (unowned) */
  GBytes *signed_pdf;
} SignJob;

static cairo_status_t
write_to_byte_array_cb (void                *closure,
                        const unsigned char *data,
                        unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* An A4 page as the document generator makes it: cairo's PDF surface. */
static GBytes *
make_pdf (const char *text)
{
  GByteArray *array = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_t *cr;

  surface = cairo_pdf_surface_create_for_stream (write_to_byte_array_cb, array, 595.28, 841.89);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 0.1, 0.2, 0.5);
  cairo_rectangle (cr, 36, 36, 523.28, 769.89);
  cairo_set_line_width (cr, 4);
  cairo_stroke (cr);
  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, 28);
  cairo_move_to (cr, 72, 144);
  cairo_show_text (cr, text);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  return g_byte_array_free_to_bytes (array);
}

static char *
write_temp_pdf (Fixture    *fixture,
                const char *name,
                GBytes     *bytes)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->dir, name, NULL);

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  return path;
}

/* Binary-safe: PDF streams contain NUL bytes. */
static guint8 *
find_bytes (guint8     *data,
            gsize       length,
            const char *needle)
{
  gsize needle_length = strlen (needle);

  for (gsize i = 0; i + needle_length <= length; i++)
    {
      if (memcmp (data + i, needle, needle_length) == 0)
        return data + i;
    }

  return NULL;
}

static char *
run_pdfsig (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *program = g_find_program_in_path ("pdfsig");
  const char *argv[] = { "pdfsig", path, NULL };
  char *output = NULL;
  int status;

  if (program == NULL)
    return NULL;

  argv[0] = program;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                &output, NULL, &status, &error);
  g_assert_no_error (error);
  g_test_message ("pdfsig %s:\n%s", path, output);
  return output;
}

static PopplerSignatureStatus
validate_with_poppler (const char  *path,
                       char       **out_signer_name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autoptr(PopplerDocument) document = NULL;
  g_autoptr(PopplerPage) page = NULL;
  g_autoptr(PopplerSignatureInfo) info = NULL;
  PopplerFormField *signature = NULL;
  GList *mapping;

  document = poppler_document_new_from_file (uri, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (poppler_document_get_n_pages (document), ==, 1);

  page = poppler_document_get_page (document, 0);
  mapping = poppler_page_get_form_field_mapping (page);
  for (GList *l = mapping; l != NULL; l = l->next)
    {
      PopplerFormFieldMapping *m = l->data;

      if (poppler_form_field_get_field_type (m->field) == POPPLER_FORM_FIELD_SIGNATURE)
        signature = g_object_ref (m->field);
    }
  poppler_page_free_form_field_mapping (mapping);
  g_assert_nonnull (signature);

  info = poppler_form_field_signature_validate_sync (signature,
                                                     POPPLER_SIGNATURE_VALIDATION_FLAG_VALIDATE_CERTIFICATE |
                                                     POPPLER_SIGNATURE_VALIDATION_FLAG_WITHOUT_OCSP_REVOCATION_CHECK,
                                                     NULL, &error);
  g_object_unref (signature);
  g_assert_no_error (error);
  g_assert_nonnull (info);

  if (out_signer_name != NULL)
    *out_signer_name = g_strdup (poppler_signature_info_get_signer_name (info));
  return poppler_signature_info_get_signature_status (info);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("certdesk-pdf-signer-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->identity = cd_signing_identity_load_or_create (fixture->dir, &error);
  g_assert_no_error (error);
  fixture->pdf = make_pdf ("CertDesk test certificate");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->dir);

  g_clear_pointer (&fixture->dir, g_free);
  g_clear_object (&fixture->identity);
  g_clear_pointer (&fixture->pdf, g_bytes_unref);
}

static void
test_identity (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSigningIdentity) again = NULL;
  g_autofree char *key_path = g_build_filename (fixture->dir, "signing-key.pem", NULL);
  g_autofree char *cert_path = g_build_filename (fixture->dir, "signing-cert.pem", NULL);
  const char *fingerprint = cd_signing_identity_get_fingerprint (fixture->identity);
  GBytes *pem = cd_signing_identity_get_certificate_pem (fixture->identity);
  GStatBuf st;

  g_assert_cmpstr (cd_signing_identity_get_subject (fixture->identity), ==,
                   "CN=" SIGNER_CN ",O=CertDesk,C=CN");
  g_assert_cmpuint (strlen (fingerprint), ==, 64);
  g_assert_cmpuint (strspn (fingerprint, "0123456789abcdef"), ==, 64);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (pem, NULL), "-----BEGIN CERTIFICATE-----"));

  g_assert_cmpint (g_stat (key_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (cert_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0644);

  again = cd_signing_identity_load_or_create (fixture->dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cd_signing_identity_get_fingerprint (again), ==, fingerprint);
  g_assert_cmpstr (cd_signing_identity_get_subject (again), ==,
                   cd_signing_identity_get_subject (fixture->identity));
}

static void
test_sign (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) signed_pdf = NULL;
  g_autofree char *path = NULL;
  g_autofree char *output = NULL;
  g_autofree char *signer_name = NULL;
  gsize length = g_bytes_get_size (fixture->pdf);

  signed_pdf = cd_pdf_sign (fixture->pdf, fixture->identity, SIGNING_TIME, REASON, &error);
  g_assert_no_error (error);
  g_assert_nonnull (signed_pdf);

  /* An incremental update: the original bytes stay as they were. */
  g_assert_cmpuint (g_bytes_get_size (signed_pdf), >, length);
  g_assert_cmpmem (g_bytes_get_data (signed_pdf, NULL), length,
                   g_bytes_get_data (fixture->pdf, NULL), length);

  path = write_temp_pdf (fixture, "signed.pdf", signed_pdf);

  output = run_pdfsig (path);
  if (output == NULL)
    g_test_message ("pdfsig is not installed: only poppler-glib checks the signature");
  else
    {
      g_assert_nonnull (strstr (output, "Signature Validation: Signature is Valid."));
      g_assert_nonnull (strstr (output, SIGNER_CN));
      g_assert_nonnull (strstr (output, "adbe.pkcs7.detached"));
      g_assert_nonnull (strstr (output, "Total document signed"));
    }

  g_assert_cmpint (validate_with_poppler (path, &signer_name), ==, POPPLER_SIGNATURE_VALID);
  g_assert_cmpstr (signer_name, ==, SIGNER_CN);
}

static void
test_tampered (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) signed_pdf = NULL;
  g_autoptr(GBytes) tampered = NULL;
  g_autofree char *path = NULL;
  g_autofree char *output = NULL;
  PopplerSignatureStatus status;
  guint8 *data;
  gsize length;
  guint8 *producer;

  signed_pdf = cd_pdf_sign (fixture->pdf, fixture->identity, SIGNING_TIME, REASON, &error);
  g_assert_no_error (error);

  /* One letter of the original /Producer: the file stays readable, the digest changes. */
  length = g_bytes_get_size (signed_pdf);
  data = g_memdup2 (g_bytes_get_data (signed_pdf, NULL), length);
  producer = find_bytes (data, g_bytes_get_size (fixture->pdf), "/Producer (cairo");
  g_assert_nonnull (producer);
  producer[strlen ("/Producer (")] = 'C';
  tampered = g_bytes_new_take (data, length);
  path = write_temp_pdf (fixture, "tampered.pdf", tampered);

  output = run_pdfsig (path);
  if (output != NULL)
    {
      g_assert_null (strstr (output, "Signature is Valid."));
      g_assert_true (strstr (output, "Digest Mismatch") != NULL ||
                     strstr (output, "Signature is Invalid") != NULL);
    }

  status = validate_with_poppler (path, NULL);
  g_assert_true (status == POPPLER_SIGNATURE_DIGEST_MISMATCH || status == POPPLER_SIGNATURE_INVALID);
}

static void
test_invalid_input (Fixture       *fixture,
                    gconstpointer  user_data)
{
  static const char xref_stream_pdf[] =
    "%PDF-1.5\n"
    "1 0 obj\n<< /Type /XRef /Size 2 /Root 2 0 R /W [1 2 1] /Length 0 >>\nstream\n\nendstream\nendobj\n"
    "startxref\n9\n%%EOF\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) not_pdf = g_bytes_new_static ("hello, world", 12);
  g_autoptr(GBytes) xref_stream = g_bytes_new_static (xref_stream_pdf, sizeof xref_stream_pdf - 1);
  g_autoptr(GBytes) truncated = g_bytes_new_from_bytes (fixture->pdf, 0,
                                                        g_bytes_get_size (fixture->pdf) / 2);
  g_autoptr(GBytes) signed_pdf = NULL;
  g_autoptr(GBytes) result = NULL;

  result = cd_pdf_sign (not_pdf, fixture->identity, SIGNING_TIME, NULL, &error);
  g_assert_error (error, CD_SIGNING_ERROR, CD_SIGNING_ERROR_INVALID_PDF);
  g_assert_null (result);
  g_clear_error (&error);

  result = cd_pdf_sign (xref_stream, fixture->identity, SIGNING_TIME, NULL, &error);
  g_assert_error (error, CD_SIGNING_ERROR, CD_SIGNING_ERROR_INVALID_PDF);
  g_assert_nonnull (strstr (error->message, "cross-reference stream"));
  g_assert_null (result);
  g_clear_error (&error);

  result = cd_pdf_sign (truncated, fixture->identity, SIGNING_TIME, NULL, &error);
  g_assert_error (error, CD_SIGNING_ERROR, CD_SIGNING_ERROR_INVALID_PDF);
  g_assert_null (result);
  g_clear_error (&error);

  /* A signed document already has a form: signing it again is refused, not mangled. */
  signed_pdf = cd_pdf_sign (fixture->pdf, fixture->identity, SIGNING_TIME, NULL, &error);
  g_assert_no_error (error);
  result = cd_pdf_sign (signed_pdf, fixture->identity, SIGNING_TIME, NULL, &error);
  g_assert_error (error, CD_SIGNING_ERROR, CD_SIGNING_ERROR_INVALID_PDF);
  g_assert_null (result);
}

static gpointer
sign_thread (gpointer data)
{
  SignJob *job = data;
  g_autoptr(GError) error = NULL;

  job->signed_pdf = cd_pdf_sign (job->pdf, job->identity, SIGNING_TIME, REASON, &error);
  g_assert_no_error (error);
  return NULL;
}

static void
test_threads (Fixture       *fixture,
              gconstpointer  user_data)
{
  SignJob jobs[N_THREADS];
  GThread *threads[N_THREADS];
  g_autoptr(GBytes) other_pdf = make_pdf ("Another certificate");

  for (guint i = 0; i < N_THREADS; i++)
    {
      jobs[i] = (SignJob) { fixture->identity, i % 2 ? other_pdf : fixture->pdf, NULL };
      threads[i] = g_thread_new ("sign", sign_thread, &jobs[i]);
    }

  for (guint i = 0; i < N_THREADS; i++)
    {
      g_autofree char *name = g_strdup_printf ("thread-%u.pdf", i);
      g_autofree char *path = NULL;

      g_thread_join (threads[i]);
      g_assert_nonnull (jobs[i].signed_pdf);
      path = write_temp_pdf (fixture, name, jobs[i].signed_pdf);
      g_assert_cmpint (validate_with_poppler (path, NULL), ==, POPPLER_SIGNATURE_VALID);
      g_bytes_unref (jobs[i].signed_pdf);
    }
}

/* Guards the service's throughput budget (100 documents/s on two cores) against
 * a regression such as re-reading the key for every document. */
static void
test_speed (Fixture       *fixture,
            gconstpointer  user_data)
{
  const guint n = 50;
  gint64 start;
  double per_document_ms;

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) signed_pdf = NULL;

      signed_pdf = cd_pdf_sign (fixture->pdf, fixture->identity, SIGNING_TIME, REASON, &error);
      g_assert_no_error (error);
    }
  per_document_ms = (g_get_monotonic_time () - start) / 1000.0 / n;

  g_test_message ("signing takes %.2f ms per document (%" G_GSIZE_FORMAT " bytes)",
                  per_document_ms, g_bytes_get_size (fixture->pdf));
  g_assert_cmpfloat (per_document_ms, <, 20.0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/certdesk/pdf-signer/identity", Fixture, NULL,
              fixture_set_up, test_identity, fixture_tear_down);
  g_test_add ("/certdesk/pdf-signer/sign", Fixture, NULL,
              fixture_set_up, test_sign, fixture_tear_down);
  g_test_add ("/certdesk/pdf-signer/tampered", Fixture, NULL,
              fixture_set_up, test_tampered, fixture_tear_down);
  g_test_add ("/certdesk/pdf-signer/invalid-input", Fixture, NULL,
              fixture_set_up, test_invalid_input, fixture_tear_down);
  g_test_add ("/certdesk/pdf-signer/threads", Fixture, NULL,
              fixture_set_up, test_threads, fixture_tear_down);
  g_test_add ("/certdesk/pdf-signer/speed", Fixture, NULL,
              fixture_set_up, test_speed, fixture_tear_down);

  return g_test_run ();
}
