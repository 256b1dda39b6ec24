/* bench-render: how long CdDocumentView takes to paint a page, against poppler alone.
 *
 * Usage: bench-render [--runs N] [--warmup N] [--pdf FILE] [--write-pdf FILE]
 *                     [--width W] [--height H]
 *
 * Makes a signed certificate exactly as the service does (cd_certificate_document_render ()
 * then cd_pdf_sign (), key in a temporary directory), or takes --pdf FILE, and shows it in
 * a CdDocumentView in a real W×H window (default 960×720). Then, after --warmup untimed
 * rounds (default 5), --runs rounds (default 30) of:
 *
 *   view  cd_document_view_zoom_in () (or _zoom_out ()) → cd_document_view_get_page_ready ()
 *         is TRUE: the view's render task in its thread (image surface, the document lock,
 *         poppler_page_get (), poppler_page_render (), the white background) and the hand-back
 *         to the main loop. The clock stops when the page is ready, before it is painted;
 *         the next request waits until the window has painted it.
 *   raw   cairo_image_surface_create () + cairo_scale () + poppler_page_render () of page 1 on
 *         the main thread, at the same pixel size (computed from the view's zoom and scale
 *         factor as its render thread does), on a PopplerDocument of the same file opened
 *         once before the clock (the view also opened its document before).
 *   raw+bg  the same plus the white background the view paints under the page
 *         (CAIRO_OPERATOR_DEST_OVER), to tell that cost from the thread hand-off's;
 *         raw and raw+bg take turns going first.
 *   task  an empty g_task_run_in_thread () and its callback on the main loop: the
 *         hand-off alone.
 *
 * The zoom alternates between the page fitted to the window ("fit") and one zoom step in
 * ("fit × 1.2"), so every request renders; view and raw alternate too, so both run with
 * the same warm caches. Prints the median, p90, min and mean milliseconds per size and the
 * ratio of the medians (the goal is view ≤ 1.1 × raw). With --write-pdf it also saves the
 * generated certificate (bench/launch-memory.sh can use it).
 *
 * Needs a display: run it through bench/render-time.sh, which starts a private Xvfb.
 */

#include "config.h"

#include "cd-document-view.h"
#include "cd-test-certificate.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <math.h>
#include <poppler.h>
#include <stdlib.h>
#include <unistd.h>

#define WAIT_SECONDS 30

typedef struct
{
  gboolean done;
  gboolean ok;
  GError  *error;
} LoadResult;

typedef struct
{
  const char *name;
  int         width;   /* device pixels, of the last render */
  int         height;
  GArray     *view_ms; /* double */
  GArray     *raw_ms;
  GArray     *raw_bg_ms; /* raw + the white background, to split the view's extra time */
  GArray     *task_ms;   /* an empty g_task_run_in_thread () round trip */
} Size;

static gboolean timed_out;

static gboolean
timeout_cb (gpointer user_data)
{
  timed_out = TRUE;
  return G_SOURCE_CONTINUE;
}

/* Blocks in the main loop (no polling delay) until *flag or the page is ready. */
static void
wait_until (gboolean       (*condition) (gpointer),
            gpointer         data,
            const char      *what)
{
  guint timeout_id;

  timed_out = FALSE;
  timeout_id = g_timeout_add_seconds (WAIT_SECONDS, timeout_cb, NULL);
  while (!condition (data))
    {
      if (timed_out)
        {
          g_printerr ("bench-render: timed out waiting for %s\n", what);
          exit (EXIT_FAILURE);
        }
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (timeout_id);
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
page_ready (gpointer data)
{
  return cd_document_view_get_page_ready (CD_DOCUMENT_VIEW (data));
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       data)
{
  *(gboolean *) data = TRUE;
}

/* Until the window has painted once more, then until the main loop is idle. */
static void
wait_for_paint (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gboolean painted = FALSE;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);

  gtk_widget_queue_draw (window);
  wait_until (flag_set, &painted, "a frame");
  g_signal_handler_disconnect (clock, id);
  while (g_main_context_iteration (NULL, FALSE))
    ;
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

static gboolean
load_done (gpointer data)
{
  return ((LoadResult *) data)->done;
}

/* What the view's render thread draws, minus the thread and (unless @background) the white
 * background it paints under the page. */
static double
render_raw (PopplerPage *page,
            double       factor,
            int          width,
            int          height,
            gboolean     background)
{
  gint64 start = g_get_monotonic_time ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  double ms;

  cairo_scale (cr, factor, factor);
  poppler_page_render (page, cr);
  if (background)
    {
      cairo_set_operator (cr, CAIRO_OPERATOR_DEST_OVER);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
    }
  cairo_destroy (cr);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  cairo_surface_destroy (surface);
  return ms;
}

static void
empty_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  g_task_return_boolean (task, TRUE);
}

static void
empty_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* The hand-off alone: a task that does nothing in a pool thread, back on the main loop. */
static double
round_trip_task (void)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GTask) task = NULL;
  gboolean done = FALSE;

  task = g_task_new (NULL, NULL, empty_done_cb, &done);
  g_task_run_in_thread (task, empty_thread);
  g_clear_object (&task);
  wait_until (flag_set, &done, "an empty task");
  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Nearest rank. */
static double
percentile (GArray *values,
            double  p)
{
  g_autofree double *sorted = g_memdup2 (values->data, values->len * sizeof (double));
  guint rank = (guint) ceil (p / 100.0 * values->len);

  qsort (sorted, values->len, sizeof (double), compare_doubles);
  return sorted[CLAMP (rank, 1, values->len) - 1];
}

static double
mean (GArray *values)
{
  double sum = 0;

  for (guint i = 0; i < values->len; i++)
    sum += g_array_index (values, double, i);
  return sum / values->len;
}

static void
print_stats (const char *what,
             GArray     *values)
{
  g_print ("  %-6s ms: p50 %7.2f  p90 %7.2f  min %7.2f  mean %7.2f  (n %u)\n", what,
           percentile (values, 50), percentile (values, 90), percentile (values, 0), mean (values),
           values->len);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *pdf_path = NULL;
  g_autofree char *write_path = NULL;
  g_autofree char *temp_path = NULL;
  PopplerDocument *document;
  PopplerPage *page;
  GtkWidget *window, *view;
  LoadResult load = { 0 };
  Size sizes[2] = { { "fit", 0, 0, NULL, NULL, NULL, NULL },
                    { "fit × 1.2", 0, 0, NULL, NULL, NULL, NULL } };
  double page_width, page_height;
  int runs = 30;
  int warmup = 5;
  int width = 960;
  int height = 720;
  int scale;
  GOptionEntry entries[] = {
    { "runs", 'n', 0, G_OPTION_ARG_INT, &runs, "Timed rounds (default 30); each renders both sizes, by the view and raw", "N" },
    { "warmup", 0, 0, G_OPTION_ARG_INT, &warmup, "Untimed rounds first (default 5)", "N" },
    { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &pdf_path, "Use this PDF instead of a generated certificate", "FILE" },
    { "write-pdf", 0, 0, G_OPTION_ARG_FILENAME, &write_path, "Also save the generated certificate here", "FILE" },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, "Window width (default 960)", "W" },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, "Window height (default 720)", "H" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("— CdDocumentView's page render against poppler_page_render ()");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gtk_get_option_group (FALSE));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-render: %s\n", error->message);
      return 2;
    }
  if (runs < 1 || warmup < 0 || width < 200 || height < 200)
    {
      g_printerr ("bench-render: --runs must be ≥ 1, --warmup ≥ 0, --width and --height ≥ 200\n");
      return 2;
    }
  if (!gtk_init_check (&argc, &argv))
    {
      g_printerr ("bench-render: no display; run bench/render-time.sh\n");
      return 1;
    }
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  if (pdf_path == NULL)
    {
      int fd;

      /* The certificate of the tests, rendered and signed as the service does. */
      pdf = cd_test_certificate_signed_pdf (CD_TEST_READY_AT, &error);
      if (pdf == NULL)
        {
          g_printerr ("bench-render: cannot make the certificate: %s\n", error->message);
          return 1;
        }
      if (write_path != NULL
          && !g_file_set_contents (write_path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error))
        {
          g_printerr ("bench-render: %s\n", error->message);
          return 1;
        }
      fd = g_file_open_tmp ("bench-render-XXXXXX.pdf", &temp_path, &error);
      if (fd < 0)
        {
          g_printerr ("bench-render: %s\n", error->message);
          return 1;
        }
      close (fd);
      if (!g_file_set_contents (temp_path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error))
        {
          g_printerr ("bench-render: %s\n", error->message);
          g_unlink (temp_path);
          return 1;
        }
      pdf_path = g_strdup (temp_path);
    }
  file = g_file_new_for_path (pdf_path);

  /* Raw: opened once, before any clock, like the view's. */
  document = poppler_document_new_from_gfile (file, NULL, NULL, &error);
  if (document == NULL)
    {
      g_printerr ("bench-render: %s: %s\n", pdf_path, error->message);
      return 1;
    }
  page = poppler_document_get_page (document, 0);
  poppler_page_get_size (page, &page_width, &page_height);

  window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  view = cd_document_view_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_container_add (GTK_CONTAINER (window), view);
  gtk_widget_show (window);

  cd_document_view_load_async (CD_DOCUMENT_VIEW (view), file, NULL, NULL, NULL, load_cb, &load);
  wait_until (load_done, &load, "the document to load");
  if (!load.ok)
    {
      g_printerr ("bench-render: the view cannot load %s: %s\n", pdf_path, load.error->message);
      return 1;
    }
  wait_until (page_ready, view, "the first page");
  wait_for_paint (window);
  scale = gtk_widget_get_scale_factor (view);

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      sizes[s].view_ms = g_array_new (FALSE, FALSE, sizeof (double));
      sizes[s].raw_ms = g_array_new (FALSE, FALSE, sizeof (double));
      sizes[s].raw_bg_ms = g_array_new (FALSE, FALSE, sizeof (double));
      sizes[s].task_ms = g_array_new (FALSE, FALSE, sizeof (double));
    }

  for (int round = 0; round < warmup + runs; round++)
    {
      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
        {
          /* sizes[1] is one step in from the fitted page, sizes[0] one step back out. */
          double factor, view_ms, raw_ms, raw_bg_ms, task_ms;
          gboolean raw_first = round % 2 == 0;
          gint64 start;

          start = g_get_monotonic_time ();
          if (s == 1)
            cd_document_view_zoom_in (CD_DOCUMENT_VIEW (view));
          else
            cd_document_view_zoom_out (CD_DOCUMENT_VIEW (view));
          wait_until (page_ready, view, "the page");
          view_ms = (g_get_monotonic_time () - start) / 1000.0;
          wait_for_paint (window);

          /* The same formula as the view's render thread. */
          factor = cd_document_view_get_zoom (CD_DOCUMENT_VIEW (view)) * scale;
          sizes[s].width = MAX (1, (int) ceil (page_width * factor));
          sizes[s].height = MAX (1, (int) ceil (page_height * factor));
          /* Alternate which of the two raw renders comes first: the first one after the
           * view's render pays for memory the second one finds warm. */
          if (raw_first)
            {
              raw_ms = render_raw (page, factor, sizes[s].width, sizes[s].height, FALSE);
              raw_bg_ms = render_raw (page, factor, sizes[s].width, sizes[s].height, TRUE);
            }
          else
            {
              raw_bg_ms = render_raw (page, factor, sizes[s].width, sizes[s].height, TRUE);
              raw_ms = render_raw (page, factor, sizes[s].width, sizes[s].height, FALSE);
            }
          task_ms = round_trip_task ();

          if (round >= warmup)
            {
              g_array_append_val (sizes[s].view_ms, view_ms);
              g_array_append_val (sizes[s].raw_ms, raw_ms);
              g_array_append_val (sizes[s].raw_bg_ms, raw_bg_ms);
              g_array_append_val (sizes[s].task_ms, task_ms);
            }
        }
    }

  g_print ("bench-render: %s, page 1 of %.0f × %.0f pt, window %d × %d, scale factor %d, "
           "poppler %s, %d warm-up + %d timed rounds\n",
           temp_path != NULL ? "generated signed certificate" : pdf_path, page_width, page_height,
           width, height, scale, poppler_get_version (), warmup, runs);
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      double view_p50 = percentile (sizes[s].view_ms, 50);
      double raw_p50 = percentile (sizes[s].raw_ms, 50);

      g_print ("%s: %d × %d device pixels\n", sizes[s].name, sizes[s].width, sizes[s].height);
      print_stats ("view", sizes[s].view_ms);
      print_stats ("raw", sizes[s].raw_ms);
      print_stats ("raw+bg", sizes[s].raw_bg_ms);
      print_stats ("task", sizes[s].task_ms);
      g_print ("  ratio view/raw (medians) %.2f  (p90s %.2f)  goal ≤ 1.10: %s\n", view_p50 / raw_p50,
               percentile (sizes[s].view_ms, 90) / percentile (sizes[s].raw_ms, 90),
               view_p50 / raw_p50 <= 1.10 ? "met" : "missed");
      g_array_unref (sizes[s].view_ms);
      g_array_unref (sizes[s].raw_ms);
      g_array_unref (sizes[s].raw_bg_ms);
      g_array_unref (sizes[s].task_ms);
    }

  gtk_widget_destroy (window);
  g_object_unref (page);
  g_object_unref (document);
  if (temp_path != NULL)
    g_unlink (temp_path);
  return EXIT_SUCCESS;
}
