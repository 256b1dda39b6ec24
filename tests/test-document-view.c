/* CdDocumentView on a private X server (tests/ui-session.sh): a real signed certificate,
 * a tampered copy and a text file; zoom by buttons' API and by keyboard; a print
 * operation. Each case saves a screenshot into $CERTDESK_SCREENSHOT_DIR (under
 * G_TEST_BUILDDIR). */

#include "config.h"

#include "cd-certificate-document.h"
#include "cd-document-view.h"
#include "cd-pdf-signer.h"
#include "cd-signing-identity.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#define SIGNER_CN    "CertDesk Certificate Service Signing"
#define VERIFY_URL   "https://zs.example.gov.cn/v/8f3a2c41"
#define READY_AT     G_GINT64_CONSTANT (1795579200)
#define WAIT_SECONDS 30.0

static const char *screenshot_dir;
static char *key_dir;
static GBytes *signed_pdf;

typedef gboolean (*Condition) (gpointer data);

typedef struct
{
  gboolean done;
  gboolean ok;
  GError *error;
} LoadResult;

static void
wait_for (Condition   condition,
          gpointer    data,
          const char *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (WAIT_SECONDS * G_USEC_PER_SEC);

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting for %s", what);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
load_done (gpointer data)
{
  return ((LoadResult *) data)->done;
}

static gboolean
page_ready (gpointer data)
{
  return cd_document_view_get_page_ready (CD_DOCUMENT_VIEW (data));
}

static gboolean
frame_after (gpointer data)
{
  return *(gboolean *) data;
}

static void
frame_cb (GdkFrameClock *clock,
          gpointer       data)
{
  *(gboolean *) data = TRUE;
}

/* Two frames, so what was queued is painted. */
static void
wait_for_frames (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  for (int i = 0; i < 2; i++)
    {
      gboolean painted = FALSE;
      gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (frame_cb), &painted);

      gtk_widget_queue_draw (window);
      wait_for (frame_after, &painted, "a frame");
      g_signal_handler_disconnect (clock, id);
    }
}

static void
save_screenshot (GtkWidget  *window,
                 const char *name)
{
  g_autofree char *path = NULL;
  g_autofree char *file_name = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;

  wait_for_frames (window);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, gtk_widget_get_allocated_width (window),
                                        gtk_widget_get_allocated_height (window));
  cr = cairo_create (surface);
  gtk_widget_draw (window, cr);
  cairo_destroy (cr);

  file_name = g_strdup_printf ("document-view-%s.png", name);
  path = g_build_filename (screenshot_dir, file_name, NULL);
  status = cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);
  g_assert_cmpint (status, ==, CAIRO_STATUS_SUCCESS);
  g_test_message ("screenshot: %s", path);
}

static void
collect_labels (GtkWidget *widget,
                gpointer   data)
{
  GString *text = data;

  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), collect_labels, text);
}

/* The text of every label on screen. */
static char *
visible_text (GtkWidget *view)
{
  GString *text = g_string_new (NULL);

  collect_labels (view, text);
  return g_string_free (text, FALSE);
}

static void
assert_shows (GtkWidget  *view,
              const char *part)
{
  g_autofree char *text = visible_text (view);

  if (strstr (text, part) == NULL)
    g_error ("\"%s\" is not on screen; it shows:\n%s", part, text);
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  LoadResult *load = user_data;

  load->ok = cd_document_view_load_finish (CD_DOCUMENT_VIEW (source), result, &load->error);
  load->done = TRUE;
}

static GFile *
write_file (const char *name,
            const void *data,
            gsize       length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), name, NULL);

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  g_file_set_contents (path, data, length, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static GtkWidget *
make_window (GtkWidget **out_view)
{
  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  GtkWidget *view = cd_document_view_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 960, 720);
  gtk_container_add (GTK_CONTAINER (window), view);
  gtk_widget_show (window);
  *out_view = view;
  return window;
}

static void
load (GtkWidget  *view,
      GFile      *file,
      LoadResult *result)
{
  cd_document_view_load_async (CD_DOCUMENT_VIEW (view), file, NULL, NULL, NULL, load_cb, result);
  wait_for (load_done, result, "the document to load");
}

static void
send_key (GtkWidget *window,
          guint      keyval)
{
  GdkEvent *event = gdk_event_new (GDK_KEY_PRESS);

  event->key.window = g_object_ref (gtk_widget_get_window (window));
  event->key.send_event = TRUE;
  event->key.time = GDK_CURRENT_TIME;
  event->key.state = GDK_CONTROL_MASK;
  event->key.keyval = keyval;
  gdk_event_set_device (event, gdk_seat_get_keyboard (gdk_display_get_default_seat (gdk_display_get_default ())));
  gtk_main_do_event (event);
  gdk_event_free (event);
}

static GBytes *
make_signed_pdf (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdCertificateRecord) certificate = g_new0 (CdCertificateRecord, 1);
  g_autoptr(CdAnnotationRecord) annotation = g_new0 (CdAnnotationRecord, 1);
  g_autoptr(CdSigningIdentity) identity = NULL;
  g_autoptr(GBytes) unsigned_pdf = NULL;
  GBytes *result;

  certificate->id = g_strdup ("c-0001");
  certificate->cert_no = g_strdup ("0620223201000123");
  certificate->qualification = g_strdup ("注册安全工程师");
  certificate->specialty = g_strdup ("化工安全");
  certificate->level = g_strdup ("中级");
  certificate->holder_name = g_strdup ("李四");
  certificate->gender = g_strdup ("女");
  certificate->id_type = CD_ID_TYPE_RESIDENT_ID;
  certificate->id_number = g_strdup ("11010519491231002X");
  certificate->management_no = g_strdup ("AQ2022110100345");
  certificate->issued_on = g_strdup ("2022-06-30");
  certificate->issuer = g_strdup ("中华人民共和国人力资源和社会保障部");
  certificate->status = CD_CERTIFICATE_STATUS_VALID;

  annotation->id = g_strdup ("a-0001");
  annotation->annotation_no = g_strdup ("JZ20261125000042");
  annotation->certificate_id = g_strdup ("c-0001");
  annotation->scenario = CD_SCENARIO_SELF_USE;
  annotation->validity_days = 30;
  annotation->state = CD_ANNOTATION_STATE_READY;
  annotation->requested_at = READY_AT - 5;
  annotation->ready_at = READY_AT;
  annotation->valid_from = READY_AT;
  annotation->valid_until = READY_AT + 30 * 24 * 60 * 60;
  annotation->verification_code = g_strdup ("K7Q3-9XMD");

  identity = cd_signing_identity_load_or_create (key_dir, &error);
  g_assert_no_error (error);
  unsigned_pdf = cd_certificate_document_render (certificate, annotation, VERIFY_URL, &error);
  g_assert_no_error (error);
  result = cd_pdf_sign (unsigned_pdf, identity, g_get_real_time () / G_USEC_PER_SEC,
                        "annotated certificate", &error);
  g_assert_no_error (error);
  return result;
}

static void
test_valid_and_zoom (void)
{
  g_autoptr(GFile) file = write_file ("signed.pdf", g_bytes_get_data (signed_pdf, NULL),
                                      g_bytes_get_size (signed_pdf));
  g_autoptr(GtkPrintOperation) operation = NULL;
  LoadResult result = { 0 };
  GtkWidget *view;
  GtkWidget *window = make_window (&view);
  CdDocumentView *document_view;
  double fit_page, fit_width, zoom;
  int n_pages = 0;

  document_view = CD_DOCUMENT_VIEW (view);
  load (view, file, &result);
  g_assert_no_error (result.error);
  g_assert_true (result.ok);
  g_assert_cmpint (cd_signature_info_get_status (cd_document_view_get_signature_info (document_view)),
                   ==, CD_SIGNATURE_VALID);
  wait_for (page_ready, view, "the page");
  assert_shows (view, _("Signature valid"));
  assert_shows (view, SIGNER_CN);
  save_screenshot (window, "valid");

  /* Opens fitted to the page. */
  fit_page = cd_document_view_get_zoom (document_view);
  g_assert_cmpfloat (fit_page, >, 0.3);

  cd_document_view_zoom_in (document_view);
  g_assert_cmpfloat (cd_document_view_get_zoom (document_view), >, fit_page * 1.1);
  wait_for (page_ready, view, "the zoomed-in page");
  cd_document_view_zoom_out (document_view);
  cd_document_view_zoom_out (document_view);
  g_assert_cmpfloat (cd_document_view_get_zoom (document_view), <, fit_page * 0.9);
  wait_for (page_ready, view, "the zoomed-out page");

  cd_document_view_fit_width (document_view);
  fit_width = cd_document_view_get_zoom (document_view);
  /* A portrait page in a landscape viewport is wider than fits the page. */
  g_assert_cmpfloat (fit_width, >, fit_page * 1.1);
  wait_for (page_ready, view, "the page fitted to the width");
  save_screenshot (window, "fit-width");
  g_assert_cmpfloat (cd_document_view_get_zoom (document_view), ==, fit_width);

  cd_document_view_fit_page (document_view);
  g_assert_cmpfloat (fabs (cd_document_view_get_zoom (document_view) - fit_page), <, 1e-6);

  /* The keyboard, from the focus inside the view. */
  g_assert_true (gtk_widget_child_focus (view, GTK_DIR_TAB_FORWARD));
  zoom = cd_document_view_get_zoom (document_view);
  send_key (window, GDK_KEY_plus);
  g_assert_cmpfloat (cd_document_view_get_zoom (document_view), >, zoom * 1.1);
  send_key (window, GDK_KEY_minus);
  send_key (window, GDK_KEY_minus);
  g_assert_cmpfloat (cd_document_view_get_zoom (document_view), <, zoom * 0.9);
  send_key (window, GDK_KEY_9);
  g_assert_cmpfloat (fabs (cd_document_view_get_zoom (document_view) - fit_width), <, 1e-6);
  send_key (window, GDK_KEY_0);
  g_assert_cmpfloat (fabs (cd_document_view_get_zoom (document_view) - fit_page), <, 1e-6);
  wait_for (page_ready, view, "the page");

  operation = cd_document_view_new_print_operation (document_view);
  g_assert_nonnull (operation);
  g_object_get (operation, "n-pages", &n_pages, NULL);
  g_assert_cmpint (n_pages, ==, 1);

  gtk_widget_destroy (window);
}

static void
test_tampered (void)
{
  gsize length = g_bytes_get_size (signed_pdf);
  g_autofree guint8 *data = g_memdup2 (g_bytes_get_data (signed_pdf, NULL), length);
  g_autoptr(GFile) file = NULL;
  LoadResult result = { 0 };
  GtkWidget *view;
  GtkWidget *window = make_window (&view);
  const char *needle = "/M (D:";
  gsize pos = 0;

  /* A digit of the signing date in the signature dictionary: inside the signed range. */
  while (pos + strlen (needle) <= length && memcmp (data + pos, needle, strlen (needle)) != 0)
    pos++;
  g_assert_cmpuint (pos + strlen (needle), <=, length);
  pos += 8;
  data[pos] = data[pos] == '1' ? '2' : '1';
  file = write_file ("tampered.pdf", data, length);

  load (view, file, &result);
  g_assert_no_error (result.error);
  g_assert_cmpint (cd_signature_info_get_status (cd_document_view_get_signature_info (CD_DOCUMENT_VIEW (view))),
                   ==, CD_SIGNATURE_TAMPERED);
  wait_for (page_ready, view, "the page");
  assert_shows (view, _("Document changed after signing"));
  assert_shows (view, _("The document was changed after it was signed"));
  save_screenshot (window, "tampered");

  gtk_widget_destroy (window);
}

static void
test_not_pdf (void)
{
  static const char text[] = "This is a plain text file, not a certificate.\n";
  g_autoptr(GFile) file = write_file ("notes.pdf", text, strlen (text));
  g_autofree char *message = NULL;
  LoadResult result = { 0 };
  GtkWidget *view;
  GtkWidget *window = make_window (&view);

  load (view, file, &result);
  g_assert_false (result.ok);
  g_assert_error (result.error, CD_DOCUMENT_VIEW_ERROR, CD_DOCUMENT_VIEW_ERROR_NOT_PDF);
  g_test_message ("error: %s", result.error->message);
  g_assert_null (cd_document_view_get_signature_info (CD_DOCUMENT_VIEW (view)));
  message = g_strdup_printf (_("%s is not a PDF document"), "notes.pdf");
  g_assert_cmpstr (result.error->message, ==, message);
  assert_shows (view, _("Cannot open the document"));
  assert_shows (view, message);
  save_screenshot (window, "not-pdf");
  g_clear_error (&result.error);

  gtk_widget_destroy (window);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  const char *localedir = g_getenv ("CERTDESK_LOCALEDIR");
  g_autofree char *default_dir = NULL;
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Not G_TEST_OPTION_ISOLATE_DIRS: it hides the icon theme in XDG_DATA_DIRS;
   * ui-session.sh gives the run a throwaway HOME and XDG dirs already. */
  g_test_init (&argc, &argv, NULL);
  gtk_disable_setlocale ();
  if (!gtk_init_check (&argc, &argv))
    {
      g_test_skip ("No display; run under tests/ui-session.sh");
      return 77;
    }
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  screenshot_dir = g_getenv ("CERTDESK_SCREENSHOT_DIR");
  if (screenshot_dir == NULL || *screenshot_dir == '\0')
    {
      default_dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") != NULL ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                      "screenshots", NULL);
      screenshot_dir = default_dir;
    }
  g_assert_cmpint (g_mkdir_with_parents (screenshot_dir, 0755), ==, 0);

  if (g_strcmp0 (g_getenv ("CERTDESK_TEST_EXPECT_LANGUAGE"), "zh_CN") == 0)
    g_assert_cmpstr (_("Signature valid"), ==, "签名有效");

  /* RSA key generation is the slow part: one signed document for every case. */
  key_dir = g_dir_make_tmp ("certdesk-test-document-view-XXXXXX", &error);
  g_assert_no_error (error);
  signed_pdf = make_signed_pdf ();

  g_test_add_func ("/certdesk/document-view/valid-and-zoom", test_valid_and_zoom);
  g_test_add_func ("/certdesk/document-view/tampered", test_tampered);
  g_test_add_func ("/certdesk/document-view/not-pdf", test_not_pdf);
  status = g_test_run ();

  g_clear_pointer (&signed_pdf, g_bytes_unref);
  {
    g_autoptr(GDir) dir = g_dir_open (key_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (key_dir, name, NULL);

        g_unlink (path);
      }
    g_rmdir (key_dir);
  }
  g_clear_pointer (&key_dir, g_free);
  return status;
}
