/* CdDocumentView on a private X server (tests/ui-session.sh): a real signed certificate,
 * a tampered copy and a text file; zoom by buttons' API and by keyboard; a print
 * operation. Each case saves a screenshot into $CERTDESK_SCREENSHOT_DIR (under
 * G_TEST_BUILDDIR). */

#include "config.h"

#include "cd-document-view.h"
#include "cd-test-certificate.h"
#include "cd-test-ui.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

static GBytes *signed_pdf;

typedef struct
{
  gboolean done;
  gboolean ok;
  GError *error;
} LoadResult;

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
  cd_test_ui_wait_for (load_done, result, "the document to load", gtk_widget_get_toplevel (view));
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
  cd_test_ui_wait_for (page_ready, view, "the page", window);
  assert_shows (view, _("Signature valid"));
  assert_shows (view, CD_TEST_SIGNER_CN);
  cd_test_ui_save_screenshot (window, "valid");

  /* Opens fitted to the page. */
  fit_page = cd_document_view_get_zoom (document_view);
  g_assert_cmpfloat (fit_page, >, 0.3);

  cd_document_view_zoom_in (document_view);
  g_assert_cmpfloat (cd_document_view_get_zoom (document_view), >, fit_page * 1.1);
  cd_test_ui_wait_for (page_ready, view, "the zoomed-in page", window);
  cd_document_view_zoom_out (document_view);
  cd_document_view_zoom_out (document_view);
  g_assert_cmpfloat (cd_document_view_get_zoom (document_view), <, fit_page * 0.9);
  cd_test_ui_wait_for (page_ready, view, "the zoomed-out page", window);

  cd_document_view_fit_width (document_view);
  fit_width = cd_document_view_get_zoom (document_view);
  /* A portrait page in a landscape viewport is wider than fits the page. */
  g_assert_cmpfloat (fit_width, >, fit_page * 1.1);
  cd_test_ui_wait_for (page_ready, view, "the page fitted to the width", window);
  cd_test_ui_save_screenshot (window, "fit-width");
  g_assert_cmpfloat (cd_document_view_get_zoom (document_view), ==, fit_width);

  cd_document_view_fit_page (document_view);
  g_assert_cmpfloat (fabs (cd_document_view_get_zoom (document_view) - fit_page), <, 1e-6);

  /* The keyboard, from the focus inside the view. */
  g_assert_true (gtk_widget_child_focus (view, GTK_DIR_TAB_FORWARD));
  zoom = cd_document_view_get_zoom (document_view);
  cd_test_ui_press_key (window, GDK_KEY_plus, GDK_CONTROL_MASK);
  g_assert_cmpfloat (cd_document_view_get_zoom (document_view), >, zoom * 1.1);
  cd_test_ui_press_key (window, GDK_KEY_minus, GDK_CONTROL_MASK);
  cd_test_ui_press_key (window, GDK_KEY_minus, GDK_CONTROL_MASK);
  g_assert_cmpfloat (cd_document_view_get_zoom (document_view), <, zoom * 0.9);
  cd_test_ui_press_key (window, GDK_KEY_9, GDK_CONTROL_MASK);
  g_assert_cmpfloat (fabs (cd_document_view_get_zoom (document_view) - fit_width), <, 1e-6);
  cd_test_ui_press_key (window, GDK_KEY_0, GDK_CONTROL_MASK);
  g_assert_cmpfloat (fabs (cd_document_view_get_zoom (document_view) - fit_page), <, 1e-6);
  cd_test_ui_wait_for (page_ready, view, "the page", window);

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
  cd_test_ui_wait_for (page_ready, view, "the page", window);
  assert_shows (view, _("Document changed after signing"));
  assert_shows (view, _("The document was changed after it was signed"));
  cd_test_ui_save_screenshot (window, "tampered");

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
  cd_test_ui_save_screenshot (window, "not-pdf");
  g_clear_error (&result.error);

  gtk_widget_destroy (window);
}

static void
check_chinese (void)
{
  g_assert_cmpstr (_("Signature valid"), ==, "签名有效");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  cd_test_ui_init (&argc, &argv, check_chinese);

  /* RSA key generation is the slow part: one signed document for every case. */
  signed_pdf = cd_test_certificate_signed_pdf (g_get_real_time () / G_USEC_PER_SEC, &error);
  g_assert_no_error (error);

  g_test_add_func ("/certdesk/document-view/valid-and-zoom", test_valid_and_zoom);
  g_test_add_func ("/certdesk/document-view/tampered", test_tampered);
  g_test_add_func ("/certdesk/document-view/not-pdf", test_not_pdf);
  status = g_test_run ();

  g_clear_pointer (&signed_pdf, g_bytes_unref);
  return status;
}
