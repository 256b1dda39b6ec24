#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "cd-certificate-document.h"
#include "cd-test-certificate.h"

static GBytes *
render (const CdCertificateRecord *certificate,
        const CdAnnotationRecord  *annotation)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;

  pdf = cd_certificate_document_render (certificate, annotation, CD_TEST_VERIFY_URL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pdf);

  return g_steal_pointer (&pdf);
}

static gboolean
has_prefix (GBytes     *bytes,
            const char *prefix)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  return size >= strlen (prefix) && memcmp (data, prefix, strlen (prefix)) == 0;
}

/* PDF streams hold NUL bytes, so the str* functions won't do. */
static gboolean
contains (GBytes     *bytes,
          const char *needle)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  gsize needle_len = strlen (needle);

  for (gsize i = 0; i + needle_len <= size; i++)
    {
      if (data[i] == needle[0] && memcmp (data + i, needle, needle_len) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Runs a poppler-utils tool on @pdf and returns its standard output, or NULL after
 * marking the test skipped when the tool is not installed. */
static char *
run_poppler_tool (const char *tool,
                  GBytes     *pdf)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *program = g_find_program_in_path (tool);
  g_autofree char *path = NULL;
  g_autofree char *output = NULL;
  g_autofree char *errors = NULL;
  const char *argv[6] = { NULL, };
  int fd;
  int wait_status;

  if (program == NULL)
    {
      g_autofree char *message = g_strdup_printf ("%s is not installed (poppler-utils)", tool);

      g_test_skip (message);
      return NULL;
    }

  fd = g_file_open_tmp ("certdesk-document-XXXXXX.pdf", &path, &error);
  g_assert_no_error (error);
  g_close (fd, NULL);
  g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error);
  g_assert_no_error (error);

  argv[0] = program;
  argv[1] = "-enc";
  argv[2] = "UTF-8";
  argv[3] = path;
  /* pdftotext writes to a file unless told "-"; pdfinfo takes no such argument. */
  argv[4] = g_str_equal (tool, "pdftotext") ? "-" : NULL;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &output, &errors, &wait_status, &error);
  g_assert_no_error (error);
  g_unlink (path);

  if (!g_spawn_check_wait_status (wait_status, &error))
    g_error ("%s failed: %s\n%s", tool, error->message, errors);

  return g_steal_pointer (&output);
}

/* The value of one "Key:   value" line of pdfinfo's output, or NULL. */
static char *
get_info_field (const char *info,
                const char *key)
{
  g_auto(GStrv) lines = g_strsplit (info, "\n", -1);
  g_autofree char *prefix = g_strconcat (key, ":", NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], prefix))
        return g_strstrip (g_strdup (lines[i] + strlen (prefix)));
    }

  return NULL;
}

static void
test_pdf_header (void)
{
  g_autoptr(CdCertificateRecord) certificate = cd_test_certificate_new ("张晓雯");
  g_autoptr(CdAnnotationRecord) annotation = cd_test_annotation_new ();
  g_autoptr(GBytes) pdf = render (certificate, annotation);

  g_assert_true (has_prefix (pdf, "%PDF-"));
  g_assert_true (contains (pdf, "%%EOF"));
  g_assert_true (contains (pdf, "/Creator (certdesk-server)"));
}

static void
test_text (void)
{
  g_autoptr(CdCertificateRecord) certificate = cd_test_certificate_new ("张晓雯");
  g_autoptr(CdAnnotationRecord) annotation = cd_test_annotation_new ();
  g_autoptr(GBytes) pdf = render (certificate, annotation);
  g_autofree char *masked = cd_id_number_mask (CD_TEST_CERTIFICATE_ID_NUMBER);
  g_autofree char *text = run_poppler_tool ("pdftotext", pdf);

  if (text == NULL)
    return;

  g_assert_cmpstr (masked, ==, "1101**********002X");
  g_assert_nonnull (strstr (text, "张晓雯"));
  g_assert_nonnull (strstr (text, "0620223201000123"));
  g_assert_nonnull (strstr (text, "注册安全工程师职业资格证书"));
  g_assert_nonnull (strstr (text, "电子证书（加注件）"));
  g_assert_nonnull (strstr (text, "本人调用"));
  g_assert_nonnull (strstr (text, "JZ20261125000042"));
  g_assert_nonnull (strstr (text, "K7Q3-9XMD"));
  g_assert_nonnull (strstr (text, "AQ2022110100345"));
  g_assert_nonnull (strstr (text, "2022年06月30日"));
  g_assert_nonnull (strstr (text, "有效"));
  g_assert_nonnull (strstr (text, masked));
  g_assert_null (strstr (text, CD_TEST_CERTIFICATE_ID_NUMBER));
  g_assert_null (strstr (text, "19491231"));

  /* The run has TZ=UTC: these are Beijing times only if the zone was applied. */
  g_assert_nonnull (strstr (text, "2026年11月25日 12:00 至 2026年12月25日 12:00"));
}

static void
test_optional_fields (void)
{
  g_autoptr(CdCertificateRecord) certificate = cd_test_certificate_new ("李建国");
  g_autoptr(CdAnnotationRecord) annotation = cd_test_annotation_new ();
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *text = NULL;

  g_clear_pointer (&certificate->specialty, g_free);
  certificate->specialty = g_strdup ("");
  g_clear_pointer (&certificate->level, g_free);
  certificate->level = g_strdup ("");
  certificate->status = CD_CERTIFICATE_STATUS_REVOKED;

  pdf = render (certificate, annotation);
  text = run_poppler_tool ("pdftotext", pdf);
  if (text == NULL)
    return;

  g_assert_nonnull (strstr (text, "李建国"));
  g_assert_nonnull (strstr (text, "—"));
  g_assert_nonnull (strstr (text, "已注销"));
  g_assert_null (strstr (text, "化工安全"));
}

/* The operator's CSV allows 64 characters a field: such a page must still carry
 * everything, down to the verification block and the footer. */
static void
test_long_fields (void)
{
  g_autoptr(CdCertificateRecord) certificate = cd_test_certificate_new ("阿卜杜热合曼·买买提艾力");
  g_autoptr(CdAnnotationRecord) annotation = cd_test_annotation_new ();
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GString) long_value = g_string_new (NULL);
  g_autofree char *text = NULL;
  g_autofree char *info = NULL;
  g_autofree char *pages = NULL;

  for (guint i = 0; i < 16; i++)
    g_string_append (long_value, "城乡规划");

  g_free (certificate->qualification);
  certificate->qualification = g_strdup (long_value->str);
  g_free (certificate->specialty);
  certificate->specialty = g_strdup (long_value->str);
  g_free (certificate->level);
  certificate->level = g_strdup (long_value->str);
  g_free (certificate->issuer);
  certificate->issuer = g_strdup (long_value->str);
  g_free (certificate->cert_no);
  certificate->cert_no = g_strnfill (64, '7');

  pdf = render (certificate, annotation);
  text = run_poppler_tool ("pdftotext", pdf);
  info = run_poppler_tool ("pdfinfo", pdf);
  if (text == NULL || info == NULL)
    return;

  pages = get_info_field (info, "Pages");
  g_assert_cmpstr (pages, ==, "1");
  g_assert_nonnull (strstr (text, "阿卜杜热合曼·买买提艾力"));
  g_assert_nonnull (strstr (text, "K7Q3-9XMD"));
  g_assert_nonnull (strstr (text, "JZ20261125000042"));
  g_assert_nonnull (strstr (text, "本加注件由电子证书服务生成并经数字签名，有效期届满后自动失效。"));
}

static void
test_page (void)
{
  g_autoptr(CdCertificateRecord) certificate = cd_test_certificate_new ("张晓雯");
  g_autoptr(CdAnnotationRecord) annotation = cd_test_annotation_new ();
  g_autoptr(GBytes) pdf = render (certificate, annotation);
  g_autofree char *info = run_poppler_tool ("pdfinfo", pdf);
  g_autofree char *pages = NULL;
  g_autofree char *page_size = NULL;
  g_autofree char *title = NULL;

  if (info == NULL)
    return;

  pages = get_info_field (info, "Pages");
  page_size = get_info_field (info, "Page size");
  title = get_info_field (info, "Title");

  g_assert_cmpstr (pages, ==, "1");
  g_assert_true (g_str_has_prefix (page_size, "595.28 x 841.89 pts"));
  g_assert_cmpstr (title, ==, "注册安全工程师职业资格证书 电子证书（加注件）");
}

/* The signer adds its widget to the page's /Annots; cairo must not have made one. */
static void
test_no_annotations (void)
{
  g_autoptr(CdCertificateRecord) certificate = cd_test_certificate_new ("张晓雯");
  g_autoptr(CdAnnotationRecord) annotation = cd_test_annotation_new ();
  g_autoptr(GBytes) pdf = render (certificate, annotation);

  g_assert_true (contains (pdf, "/Type /Page"));
  g_assert_false (contains (pdf, "/Annots"));
  g_assert_false (contains (pdf, "/Link"));
}

/* Every face must be embedded as a TrueType subset: a CFF face (Noto CJK, the
 * fontconfig fallback when the page's fonts are not installed) costs ~25× the render
 * time in cairo 1.16, and a Type 3 font (a synthetic bold) writes every glyph outline
 * as text. See build-aux/install-deps.sh for the font packages. */
static void
test_fonts (void)
{
  g_autoptr(CdCertificateRecord) certificate = cd_test_certificate_new ("张晓雯");
  g_autoptr(CdAnnotationRecord) annotation = cd_test_annotation_new ();
  g_autoptr(GBytes) pdf = render (certificate, annotation);

  g_assert_true (contains (pdf, "/FontFile2"));
  g_assert_false (contains (pdf, "/FontFile3"));
  g_assert_false (contains (pdf, "/Type3"));
}

static void
test_reproducible (void)
{
  g_autoptr(CdCertificateRecord) certificate = cd_test_certificate_new ("张晓雯");
  g_autoptr(CdCertificateRecord) other = cd_test_certificate_new ("王志强");
  g_autoptr(CdAnnotationRecord) annotation = cd_test_annotation_new ();
  g_autoptr(GBytes) first = render (certificate, annotation);
  g_autoptr(GBytes) second = render (certificate, annotation);
  g_autoptr(GBytes) third = render (other, annotation);

  g_assert_true (g_bytes_equal (first, second));
  g_assert_false (g_bytes_equal (first, third));
}

static void
test_qr_too_long (void)
{
  g_autoptr(CdCertificateRecord) certificate = cd_test_certificate_new ("张晓雯");
  g_autoptr(CdAnnotationRecord) annotation = cd_test_annotation_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *padding = g_strnfill (4000, 'a');
  g_autofree char *url = NULL;

  /* More than a version 40 QR code holds at level M. */
  url = g_strconcat (CD_TEST_VERIFY_URL "?pad=", padding, NULL);
  pdf = cd_certificate_document_render (certificate, annotation, url, &error);

  g_assert_error (error, CD_DOCUMENT_ERROR, CD_DOCUMENT_ERROR_FAILED);
  g_assert_null (pdf);
}

typedef struct
{
  CdCertificateRecord *certificate;
  CdAnnotationRecord  *annotation;
  GBytes              *expected;
} ThreadCase;

static gpointer
render_thread (gpointer data)
{
  ThreadCase *thread_case = data;
  GPtrArray *results = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  /* Several rounds so the threads really overlap inside cairo and pango. */
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GError) error = NULL;
      GBytes *pdf;

      pdf = cd_certificate_document_render (thread_case->certificate, thread_case->annotation,
                                            CD_TEST_VERIFY_URL, &error);
      g_assert_no_error (error);
      g_ptr_array_add (results, pdf);
    }

  return results;
}

static void
test_threads (void)
{
  const char *names[] = { "张晓雯", "王志强", "欧阳明月", "赵敏" };
  ThreadCase cases[G_N_ELEMENTS (names)];
  GThread *threads[G_N_ELEMENTS (names)];

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      cases[i].certificate = cd_test_certificate_new (names[i]);
      cases[i].annotation = cd_test_annotation_new ();
      cases[i].expected = render (cases[i].certificate, cases[i].annotation);
    }

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    threads[i] = g_thread_new ("render", render_thread, &cases[i]);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GPtrArray) results = g_thread_join (threads[i]);

      g_assert_cmpuint (results->len, ==, 5);
      for (guint j = 0; j < results->len; j++)
        {
          GBytes *pdf = g_ptr_array_index (results, j);

          g_assert_true (has_prefix (pdf, "%PDF-"));
          g_assert_true (contains (pdf, "%%EOF"));
          /* Output is deterministic, so any cross-thread mix-up shows as a difference. */
          g_assert_true (g_bytes_equal (pdf, cases[i].expected));
        }

      cd_certificate_record_free (cases[i].certificate);
      cd_annotation_record_free (cases[i].annotation);
      g_bytes_unref (cases[i].expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/certdesk/certificate-document/pdf-header", test_pdf_header);
  g_test_add_func ("/certdesk/certificate-document/text", test_text);
  g_test_add_func ("/certdesk/certificate-document/optional-fields", test_optional_fields);
  g_test_add_func ("/certdesk/certificate-document/long-fields", test_long_fields);
  g_test_add_func ("/certdesk/certificate-document/page", test_page);
  g_test_add_func ("/certdesk/certificate-document/no-annotations", test_no_annotations);
  g_test_add_func ("/certdesk/certificate-document/fonts", test_fonts);
  g_test_add_func ("/certdesk/certificate-document/reproducible", test_reproducible);
  g_test_add_func ("/certdesk/certificate-document/qr-too-long", test_qr_too_long);
  g_test_add_func ("/certdesk/certificate-document/threads", test_threads);

  return g_test_run ();
}
