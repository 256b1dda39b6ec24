/* The preview of a PDF with its signature state: poppler opens the document in a
 * thread (with a cancellable), the first page is rendered in a thread under the
 * document's lock at the widget's scale factor, and the signature is verified by the
 * client core. */

#include "config.h"

#include "cd-document-view.h"
#include "cd-spinner.h"

#include <glib/gi18n.h>
#include <math.h>
#include <poppler.h>
#include <string.h>

#define PAGE_MARGIN  12    /* logical pixels around the page */
#define ZOOM_STEP    1.2
#define MIN_ZOOM     0.1
#define MAX_ZOOM     4.0   /* keeps a page under ~7000 device pixels at scale 2 */
#define SNIFF_LENGTH 1024  /* PDF readers accept %PDF- within the first KiB */

typedef enum
{
  ZOOM_MODE_FIT_PAGE,
  ZOOM_MODE_FIT_WIDTH,
  ZOOM_MODE_FREE,
} ZoomMode;

/* A poppler document is not thread-safe: every use, in any thread, holds the lock. */
typedef struct
{
  GMutex           lock;
  PopplerDocument *document;
  PopplerPage     *first_page;   /* the page previewed, kept for each render */
  char            *name;
  int              n_pages;
  double           page_width;   /* points, of the first page */
  double           page_height;
} CdPdf;

struct _CdDocumentView
{
  GtkBin           parent_instance;

  GCancellable    *cancellable;         /* the current load */
  GCancellable    *render_cancellable;  /* the current render */
  CdPdf           *pdf;
  CdSignatureInfo *info;
  ZoomMode         mode;
  double           zoom;
  cairo_surface_t *surface;             /* the page at surface_zoom × surface_scale */
  double           surface_zoom;
  double           shown_zoom;          /* the page's size on screen */
  int              surface_scale;
  double           pending_zoom;        /* of the render in flight, or 0 */
  int              pending_scale;
  guint            fit_idle_id;
  GtkCssProvider  *css;

  /* Template widgets */
  GtkStack        *stack;               /* (unowned) */
  GtkLabel        *progress_label;      /* (unowned) */
  GtkLabel        *error_title;         /* (unowned) */
  GtkLabel        *error_label;         /* (unowned) */
  GtkScrolledWindow *scrolled;          /* (unowned) */
  GtkDrawingArea  *page_area;           /* (unowned) */
  GtkLabel        *zoom_label;          /* (unowned) */
  GtkWidget       *signature_panel;     /* (unowned) */
  GtkImage        *signature_icon;      /* (unowned) */
  GtkLabel        *signature_title;     /* (unowned) */
  GtkLabel        *signature_summary;   /* (unowned) */
  GtkLabel        *file_label;          /* (unowned) */
};

G_DEFINE_TYPE (CdDocumentView, cd_document_view, GTK_TYPE_BIN)

G_DEFINE_QUARK (cd-document-view-error-quark, cd_document_view_error)

enum
{
  PROP_0,
  PROP_ZOOM,
  PROP_SIGNATURE_INFO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  GFile        *file;
  CdTrustStore *trust;
  char         *service_url;
  GCancellable *cancellable;   /* the view's, for this load */
  GCancellable *caller_cancellable;
  gulong        caller_handler;
  CdPdf        *pdf;
} LoadData;

typedef struct
{
  CdPdf  *pdf;
  double  zoom;
  int     scale;
} RenderData;

static const char css_data[] =
  ".cd-signature-panel { border-radius: 8px; padding: 12px; }\n"
  ".cd-signature-valid { background-color: alpha(#26a269, 0.14); }\n"
  ".cd-signature-valid .cd-signature-title { color: #1a7f4e; }\n"
  ".cd-signature-warning { background-color: alpha(#c01c28, 0.12); }\n"
  ".cd-signature-warning .cd-signature-title { color: #c01c28; }\n"
  ".cd-page-area { background-color: #deddda; }\n";

static void schedule_render (CdDocumentView *self);

static void
cd_pdf_clear (CdPdf *pdf)
{
  g_clear_object (&pdf->first_page);
  g_clear_object (&pdf->document);
  g_clear_pointer (&pdf->name, g_free);
  g_mutex_clear (&pdf->lock);
}

static CdPdf *
cd_pdf_ref (CdPdf *pdf)
{
  return g_atomic_rc_box_acquire (pdf);
}

static void
cd_pdf_unref (CdPdf *pdf)
{
  g_atomic_rc_box_release_full (pdf, (GDestroyNotify) cd_pdf_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdPdf, cd_pdf_unref)

static void
load_data_free (LoadData *data)
{
  if (data->caller_handler != 0)
    g_cancellable_disconnect (data->caller_cancellable, data->caller_handler);
  g_clear_object (&data->caller_cancellable);
  g_clear_object (&data->file);
  g_clear_object (&data->trust);
  g_clear_pointer (&data->service_url, g_free);
  g_clear_object (&data->cancellable);
  g_clear_pointer (&data->pdf, cd_pdf_unref);
  g_free (data);
}

static void
render_data_free (RenderData *data)
{
  g_clear_pointer (&data->pdf, cd_pdf_unref);
  g_free (data);
}

/* Whether the first KiB of @file holds the PDF header. */
static gboolean
sniff_pdf (GFile        *file,
           GCancellable *cancellable)
{
  g_autoptr(GFileInputStream) stream = g_file_read (file, cancellable, NULL);
  char buffer[SNIFF_LENGTH];
  gsize length = 0;

  if (stream == NULL
      || !g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, sizeof buffer, &length,
                                   cancellable, NULL))
    return FALSE;

  for (gsize i = 0; i + 5 <= length; i++)
    {
      if (memcmp (buffer + i, "%PDF-", 5) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Maps poppler's and GIO's errors into CD_DOCUMENT_VIEW_ERROR, with a message a
 * holder can read. */
static GError *
map_open_error (GFile        *file,
                const char   *name,
                const GError *error,
                GCancellable *cancellable)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (error->domain == POPPLER_ERROR)
    {
      if (error->code == POPPLER_ERROR_ENCRYPTED)
        return g_error_new (CD_DOCUMENT_VIEW_ERROR, CD_DOCUMENT_VIEW_ERROR_ENCRYPTED,
                            _("%s is protected with a password"), name);
      if (!sniff_pdf (file, cancellable))
        return g_error_new (CD_DOCUMENT_VIEW_ERROR, CD_DOCUMENT_VIEW_ERROR_NOT_PDF,
                            _("%s is not a PDF document"), name);
      return g_error_new (CD_DOCUMENT_VIEW_ERROR, CD_DOCUMENT_VIEW_ERROR_DAMAGED,
                          _("%s is damaged and cannot be read as a PDF document"), name);
    }

  return g_error_new (CD_DOCUMENT_VIEW_ERROR, CD_DOCUMENT_VIEW_ERROR_FAILED,
                      _("Cannot read %s: %s"), name, error->message);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  PopplerDocument *document;
  PopplerPage *page = NULL;
  CdPdf *pdf;

  /* poppler-glib 22.12 has no autoptr cleanups for its types. */
  document = poppler_document_new_from_gfile (file, NULL, cancellable, &error);
  if (document == NULL)
    {
      g_task_return_error (task, map_open_error (file, name, error, cancellable));
      return;
    }

  if (poppler_document_get_n_pages (document) < 1
      || (page = poppler_document_get_page (document, 0)) == NULL)
    {
      g_object_unref (document);
      g_task_return_new_error (task, CD_DOCUMENT_VIEW_ERROR, CD_DOCUMENT_VIEW_ERROR_DAMAGED,
                               _("%s is damaged and cannot be read as a PDF document"), name);
      return;
    }

  pdf = g_atomic_rc_box_new0 (CdPdf);
  g_mutex_init (&pdf->lock);
  pdf->n_pages = poppler_document_get_n_pages (document);
  poppler_page_get_size (page, &pdf->page_width, &pdf->page_height);
  pdf->first_page = page;
  pdf->document = document;
  pdf->name = g_steal_pointer (&name);
  g_task_return_pointer (task, pdf, (GDestroyNotify) cd_pdf_unref);
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RenderData *data = task_data;
  double factor = data->zoom * data->scale;
  cairo_surface_t *surface;
  cairo_t *cr;
  int width, height;

  width = MAX (1, (int) ceil (data->pdf->page_width * factor));
  height = MAX (1, (int) ceil (data->pdf->page_height * factor));
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  cairo_scale (cr, factor, factor);

  g_mutex_lock (&data->pdf->lock);
  if (!g_cancellable_is_cancelled (cancellable))
    {
      poppler_page_render (data->pdf->first_page, cr);
    }
  g_mutex_unlock (&data->pdf->lock);
  /* Transparent where the page draws nothing: the view paints it over white. */
  cairo_destroy (cr);

  if (g_task_return_error_if_cancelled (task))
    {
      cairo_surface_destroy (surface);
      return;
    }

  cairo_surface_set_device_scale (surface, data->scale, data->scale);
  g_task_return_pointer (task, surface, (GDestroyNotify) cairo_surface_destroy);
}

static void
set_signature_style (CdDocumentView *self,
                     gboolean        valid)
{
  GtkStyleContext *context = gtk_widget_get_style_context (self->signature_panel);

  gtk_style_context_remove_class (context, valid ? "cd-signature-warning" : "cd-signature-valid");
  gtk_style_context_add_class (context, valid ? "cd-signature-valid" : "cd-signature-warning");
  gtk_image_set_from_icon_name (self->signature_icon,
                                valid ? "security-high-symbolic" : "dialog-warning-symbolic",
                                GTK_ICON_SIZE_DIALOG);
}

static void
show_signature (CdDocumentView *self)
{
  g_autofree char *summary = cd_signature_info_get_summary (self->info);
  CdSignatureStatus status = cd_signature_info_get_status (self->info);
  const char *title;

  switch (status)
    {
    case CD_SIGNATURE_VALID:
      title = _("Signature valid");
      break;
    case CD_SIGNATURE_TAMPERED:
      title = _("Document changed after signing");
      break;
    case CD_SIGNATURE_UNTRUSTED:
      title = _("Signer not trusted");
      break;
    case CD_SIGNATURE_INVALID:
      title = _("Signature invalid");
      break;
    case CD_SIGNATURE_UNSIGNED:
    default:
      title = _("Document not signed");
      break;
    }

  set_signature_style (self, status == CD_SIGNATURE_VALID);
  gtk_label_set_text (self->signature_title, title);
  gtk_label_set_text (self->signature_summary, summary);
}

static void
show_error (CdDocumentView *self,
            const GError   *error)
{
  gtk_label_set_text (self->error_title, _("Cannot open the document"));
  gtk_label_set_text (self->error_label, error->message);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static void
update_zoom_label (CdDocumentView *self)
{
  g_autofree char *text = NULL;

  /* TRANSLATORS: the zoom level of the preview, e.g. "120%" */
  text = g_strdup_printf (_("%d%%"), (int) round (self->shown_zoom * 100));
  gtk_label_set_text (self->zoom_label, text);
}

static void
show_zoom (CdDocumentView *self,
           double          zoom)
{
  self->shown_zoom = zoom;
  update_zoom_label (self);
  if (self->pdf != NULL)
    {
      int width = (int) ceil (self->pdf->page_width * zoom) + 2 * PAGE_MARGIN;
      int height = (int) ceil (self->pdf->page_height * zoom) + 2 * PAGE_MARGIN;

      /* A fitted page follows the viewport, so only the free zoom asks for room. */
      gtk_widget_set_size_request (GTK_WIDGET (self->page_area),
                                   self->mode == ZOOM_MODE_FREE ? width : -1,
                                   self->mode == ZOOM_MODE_FIT_PAGE ? -1 : height);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self->page_area));
}

static void
set_zoom (CdDocumentView *self,
          double          zoom)
{
  zoom = CLAMP (zoom, MIN_ZOOM, MAX_ZOOM);
  if (fabs (zoom - self->zoom) < 1e-4)
    return;

  self->zoom = zoom;
  /* Until the first render there is a blank page to show at once; after it, the page
   * (and the zoom label) change when the new render is ready: repainting the window
   * meanwhile kept the main loop busy for longer than the render itself. */
  if (self->surface == NULL)
    show_zoom (self, zoom);
  schedule_render (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

/* The zoom of a fitted page for the viewport's current size, or 0. */
static double
compute_fit_zoom (CdDocumentView *self)
{
  int width = gtk_widget_get_allocated_width (GTK_WIDGET (self->scrolled)) - 2 * PAGE_MARGIN;
  int height = gtk_widget_get_allocated_height (GTK_WIDGET (self->scrolled)) - 2 * PAGE_MARGIN;
  double zoom;

  if (self->pdf == NULL || width < 16 || height < 16)
    return 0;

  zoom = width / self->pdf->page_width;
  if (self->mode == ZOOM_MODE_FIT_PAGE)
    zoom = MIN (zoom, height / self->pdf->page_height);
  return zoom;
}

static void
apply_mode (CdDocumentView *self)
{
  double zoom;

  if (self->mode == ZOOM_MODE_FREE)
    return;
  zoom = compute_fit_zoom (self);
  if (zoom > 0)
    {
      /* The size request depends on the mode too. */
      self->zoom = 0;
      set_zoom (self, zoom);
    }
}

static void
set_mode (CdDocumentView *self,
          ZoomMode        mode)
{
  self->mode = mode;
  apply_mode (self);
}

static void
render_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface = g_task_propagate_pointer (G_TASK (result), &error);
  CdDocumentView *self;
  RenderData *data;

  if (surface == NULL)
    return;   /* cancelled: another render or another document replaced it */

  self = CD_DOCUMENT_VIEW (source);
  data = g_task_get_task_data (G_TASK (result));
  g_clear_pointer (&self->surface, cairo_surface_destroy);
  self->surface = surface;
  self->surface_zoom = data->zoom;
  self->surface_scale = data->scale;
  self->pending_zoom = 0;
  show_zoom (self, data->zoom);
}

static void
schedule_render (CdDocumentView *self)
{
  g_autoptr(GTask) task = NULL;
  RenderData *data;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self->page_area));

  if (self->pdf == NULL || self->zoom <= 0)
    return;
  if (self->surface != NULL && self->surface_zoom == self->zoom && self->surface_scale == scale)
    return;
  if (self->pending_zoom == self->zoom && self->pending_scale == scale)
    return;

  g_cancellable_cancel (self->render_cancellable);
  g_clear_object (&self->render_cancellable);
  self->render_cancellable = g_cancellable_new ();

  data = g_new0 (RenderData, 1);
  data->pdf = cd_pdf_ref (self->pdf);
  data->zoom = self->zoom;
  data->scale = scale;
  self->pending_zoom = self->zoom;
  self->pending_scale = scale;

  task = g_task_new (self, self->render_cancellable, render_cb, NULL);
  g_task_set_source_tag (task, schedule_render);
  g_task_set_task_data (task, data, (GDestroyNotify) render_data_free);
  g_task_run_in_thread (task, render_thread);
}

static void
clear_document (CdDocumentView *self)
{
  g_cancellable_cancel (self->render_cancellable);
  g_clear_object (&self->render_cancellable);
  g_clear_pointer (&self->surface, cairo_surface_destroy);
  g_clear_pointer (&self->pdf, cd_pdf_unref);
  self->pending_zoom = 0;
  self->shown_zoom = 0;
  if (self->info != NULL)
    {
      g_clear_object (&self->info);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNATURE_INFO]);
    }
}

static void
pdf_closure_notify (gpointer  data,
                    GClosure *closure)
{
  cd_pdf_unref (data);
}

static void
draw_print_page_cb (GtkPrintOperation *operation,
                    GtkPrintContext   *context,
                    int                page_nr,
                    gpointer           user_data)
{
  CdPdf *pdf = user_data;
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width = gtk_print_context_get_width (context);
  double height = gtk_print_context_get_height (context);
  double page_width, page_height, scale;

  PopplerPage *page;

  g_mutex_lock (&pdf->lock);
  page = poppler_document_get_page (pdf->document, page_nr);
  if (page != NULL)
    {
      poppler_page_get_size (page, &page_width, &page_height);
      scale = MIN (width / page_width, height / page_height);
      cairo_save (cr);
      cairo_translate (cr, (width - page_width * scale) / 2, (height - page_height * scale) / 2);
      cairo_scale (cr, scale, scale);
      poppler_page_render_for_printing (page, cr);
      cairo_restore (cr);
      g_object_unref (page);
    }
  g_mutex_unlock (&pdf->lock);
}

static void
verify_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSignatureInfo) info = cd_signature_verify_finish (result, &error);
  CdDocumentView *self = g_task_get_source_object (task);
  LoadData *data = g_task_get_task_data (task);

  if (g_cancellable_is_cancelled (data->cancellable))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
      return;
    }

  self->pdf = g_steal_pointer (&data->pdf);
  gtk_label_set_text (self->file_label, self->pdf->name);
  gtk_stack_set_visible_child_name (self->stack, "document");
  apply_mode (self);
  schedule_render (self);

  if (info == NULL)
    {
      /* The page shows, but the holder must not take it for verified. */
      set_signature_style (self, FALSE);
      gtk_label_set_text (self->signature_title, _("Cannot check the signature"));
      gtk_label_set_text (self->signature_summary, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->info = g_steal_pointer (&info);
  show_signature (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNATURE_INFO]);
  g_task_return_boolean (task, TRUE);
}

static void
open_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  CdPdf *pdf = g_task_propagate_pointer (G_TASK (result), &error);
  CdDocumentView *self = g_task_get_source_object (task);
  LoadData *data = g_task_get_task_data (task);

  if (g_cancellable_is_cancelled (data->cancellable))
    {
      g_clear_pointer (&pdf, cd_pdf_unref);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
      return;
    }

  if (pdf == NULL)
    {
      show_error (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data->pdf = pdf;
  cd_signature_verify_async (data->file, data->trust, data->service_url, data->cancellable,
                             verify_cb, g_steal_pointer (&task));
}

static void
caller_cancelled_cb (GCancellable *caller,
                     gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
fit_idle_cb (gpointer user_data)
{
  CdDocumentView *self = user_data;

  self->fit_idle_id = 0;
  apply_mode (self);
}

static void
scrolled_size_allocate_cb (GtkWidget     *widget,
                           GtkAllocation *allocation,
                           gpointer       user_data)
{
  CdDocumentView *self = user_data;
  double zoom;

  if (self->mode == ZOOM_MODE_FREE || self->fit_idle_id != 0)
    return;
  zoom = compute_fit_zoom (self);
  /* Size requests must not change while allocating. */
  if (zoom > 0 && fabs (zoom - self->zoom) >= 1e-4)
    self->fit_idle_id = g_idle_add_once (fit_idle_cb, self);
}

static void
scale_factor_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  schedule_render (CD_DOCUMENT_VIEW (user_data));
}

static gboolean
page_area_draw_cb (GtkWidget *widget,
                   cairo_t   *cr,
                   gpointer   user_data)
{
  CdDocumentView *self = user_data;
  double width, height, x, y;
  int area_width = gtk_widget_get_allocated_width (widget);

  if (self->pdf == NULL || self->shown_zoom <= 0)
    return FALSE;

  width = self->pdf->page_width * self->shown_zoom;
  height = self->pdf->page_height * self->shown_zoom;
  x = floor (MAX (PAGE_MARGIN, (area_width - width) / 2));
  y = PAGE_MARGIN;

  /* A frame and a white page, also while the first render runs. */
  cairo_set_source_rgba (cr, 0, 0, 0, 0.25);
  cairo_rectangle (cr, x - 1, y - 1, ceil (width) + 2, ceil (height) + 2);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x, y, ceil (width), ceil (height));
  cairo_fill (cr);

  if (self->surface != NULL)
    {
      cairo_save (cr);
      cairo_translate (cr, x, y);
      cairo_set_source_surface (cr, self->surface, 0, 0);
      cairo_paint (cr);
      cairo_restore (cr);
    }

  return FALSE;
}

static void
zoom_in_clicked_cb (CdDocumentView *self)
{
  cd_document_view_zoom_in (self);
}

static void
zoom_out_clicked_cb (CdDocumentView *self)
{
  cd_document_view_zoom_out (self);
}

static void
fit_width_clicked_cb (CdDocumentView *self)
{
  cd_document_view_fit_width (self);
}

static void
fit_page_clicked_cb (CdDocumentView *self)
{
  cd_document_view_fit_page (self);
}

static void
print_clicked_cb (CdDocumentView *self)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));

  cd_document_view_print (self, GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL);
}

static gboolean
cd_document_view_key_press_event (GtkWidget   *widget,
                                  GdkEventKey *event)
{
  CdDocumentView *self = CD_DOCUMENT_VIEW (widget);
  GdkModifierType modifiers = event->state & gtk_accelerator_get_default_mod_mask ();

  if (self->pdf != NULL && (modifiers & ~GDK_SHIFT_MASK) == GDK_CONTROL_MASK)
    {
      switch (event->keyval)
        {
        case GDK_KEY_plus:
        case GDK_KEY_equal:
        case GDK_KEY_KP_Add:
          cd_document_view_zoom_in (self);
          return GDK_EVENT_STOP;
        case GDK_KEY_minus:
        case GDK_KEY_KP_Subtract:
          cd_document_view_zoom_out (self);
          return GDK_EVENT_STOP;
        case GDK_KEY_0:
        case GDK_KEY_KP_0:
          cd_document_view_fit_page (self);
          return GDK_EVENT_STOP;
        case GDK_KEY_9:
        case GDK_KEY_KP_9:
          cd_document_view_fit_width (self);
          return GDK_EVENT_STOP;
        case GDK_KEY_p:
        case GDK_KEY_P:
          print_clicked_cb (self);
          return GDK_EVENT_STOP;
        default:
          break;
        }
    }

  return GTK_WIDGET_CLASS (cd_document_view_parent_class)->key_press_event (widget, event);
}

static void
cd_document_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CdDocumentView *self = CD_DOCUMENT_VIEW (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    case PROP_SIGNATURE_INFO:
      g_value_set_object (value, self->info);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_document_view_dispose (GObject *object)
{
  CdDocumentView *self = CD_DOCUMENT_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->fit_idle_id, g_source_remove);
  clear_document (self);
  g_clear_object (&self->css);

  G_OBJECT_CLASS (cd_document_view_parent_class)->dispose (object);
}

static void
cd_document_view_class_init (CdDocumentViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = cd_document_view_get_property;
  object_class->dispose = cd_document_view_dispose;
  widget_class->key_press_event = cd_document_view_key_press_event;

  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, 0, MAX_ZOOM, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SIGNATURE_INFO] =
    g_param_spec_object ("signature-info", NULL, NULL, CD_TYPE_SIGNATURE_INFO,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CD_TYPE_SPINNER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/certdesk/CertDesk/ui/cd-document-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CdDocumentView, stack);
  gtk_widget_class_bind_template_child (widget_class, CdDocumentView, progress_label);
  gtk_widget_class_bind_template_child (widget_class, CdDocumentView, error_title);
  gtk_widget_class_bind_template_child (widget_class, CdDocumentView, error_label);
  gtk_widget_class_bind_template_child (widget_class, CdDocumentView, scrolled);
  gtk_widget_class_bind_template_child (widget_class, CdDocumentView, page_area);
  gtk_widget_class_bind_template_child (widget_class, CdDocumentView, zoom_label);
  gtk_widget_class_bind_template_child (widget_class, CdDocumentView, signature_panel);
  gtk_widget_class_bind_template_child (widget_class, CdDocumentView, signature_icon);
  gtk_widget_class_bind_template_child (widget_class, CdDocumentView, signature_title);
  gtk_widget_class_bind_template_child (widget_class, CdDocumentView, signature_summary);
  gtk_widget_class_bind_template_child (widget_class, CdDocumentView, file_label);
  gtk_widget_class_bind_template_callback (widget_class, zoom_in_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, zoom_out_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, fit_width_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, fit_page_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, print_clicked_cb);
}

static void
add_css (GtkWidget      *widget,
         GtkCssProvider *css)
{
  gtk_style_context_add_provider (gtk_widget_get_style_context (widget), GTK_STYLE_PROVIDER (css),
                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
cd_document_view_init (CdDocumentView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->mode = ZOOM_MODE_FIT_PAGE;
  self->css = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (self->css, css_data, -1, NULL);
  add_css (self->signature_panel, self->css);
  add_css (GTK_WIDGET (self->signature_title), self->css);
  add_css (GTK_WIDGET (self->page_area), self->css);

  g_signal_connect (self->scrolled, "size-allocate", G_CALLBACK (scrolled_size_allocate_cb), self);
  g_signal_connect (self->page_area, "draw", G_CALLBACK (page_area_draw_cb), self);
  g_signal_connect (self->page_area, "notify::scale-factor", G_CALLBACK (scale_factor_cb), self);
}

GtkWidget *
cd_document_view_new (void)
{
  return g_object_new (CD_TYPE_DOCUMENT_VIEW, NULL);
}

void
cd_document_view_load_async (CdDocumentView      *self,
                             GFile               *file,
                             CdTrustStore        *trust,
                             const char          *service_url,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) open_task = NULL;
  LoadData *data;

  g_return_if_fail (CD_IS_DOCUMENT_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (trust == NULL || CD_IS_TRUST_STORE (trust));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  clear_document (self);

  data = g_new0 (LoadData, 1);
  data->file = g_object_ref (file);
  data->trust = trust != NULL ? g_object_ref (trust) : NULL;
  data->service_url = g_strdup (service_url);
  data->cancellable = g_object_ref (self->cancellable);
  if (cancellable != NULL)
    {
      data->caller_cancellable = g_object_ref (cancellable);
      data->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                    g_object_ref (data->cancellable),
                                                    g_object_unref);
    }

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cd_document_view_load_async);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);

  gtk_label_set_text (self->progress_label, _("Opening the document…"));
  gtk_stack_set_visible_child_name (self->stack, "loading");

  open_task = g_task_new (NULL, data->cancellable, open_cb, g_steal_pointer (&task));
  g_task_set_source_tag (open_task, open_thread);
  g_task_set_task_data (open_task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (open_task, open_thread);
}

gboolean
cd_document_view_load_finish (CdDocumentView  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (CD_IS_DOCUMENT_VIEW (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cd_document_view_load_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

CdSignatureInfo *
cd_document_view_get_signature_info (CdDocumentView *self)
{
  g_return_val_if_fail (CD_IS_DOCUMENT_VIEW (self), NULL);

  return self->info;
}

double
cd_document_view_get_zoom (CdDocumentView *self)
{
  g_return_val_if_fail (CD_IS_DOCUMENT_VIEW (self), 0);

  return self->zoom;
}

gboolean
cd_document_view_get_page_ready (CdDocumentView *self)
{
  g_return_val_if_fail (CD_IS_DOCUMENT_VIEW (self), FALSE);

  return self->surface != NULL && self->surface_zoom == self->zoom
         && self->surface_scale == gtk_widget_get_scale_factor (GTK_WIDGET (self->page_area));
}

void
cd_document_view_zoom_in (CdDocumentView *self)
{
  g_return_if_fail (CD_IS_DOCUMENT_VIEW (self));

  self->mode = ZOOM_MODE_FREE;
  set_zoom (self, self->zoom * ZOOM_STEP);
}

void
cd_document_view_zoom_out (CdDocumentView *self)
{
  g_return_if_fail (CD_IS_DOCUMENT_VIEW (self));

  self->mode = ZOOM_MODE_FREE;
  set_zoom (self, self->zoom / ZOOM_STEP);
}

void
cd_document_view_fit_width (CdDocumentView *self)
{
  g_return_if_fail (CD_IS_DOCUMENT_VIEW (self));

  set_mode (self, ZOOM_MODE_FIT_WIDTH);
}

void
cd_document_view_fit_page (CdDocumentView *self)
{
  g_return_if_fail (CD_IS_DOCUMENT_VIEW (self));

  set_mode (self, ZOOM_MODE_FIT_PAGE);
}

GtkPrintOperation *
cd_document_view_new_print_operation (CdDocumentView *self)
{
  GtkPrintOperation *operation;

  g_return_val_if_fail (CD_IS_DOCUMENT_VIEW (self), NULL);

  if (self->pdf == NULL)
    return NULL;

  operation = gtk_print_operation_new ();
  gtk_print_operation_set_job_name (operation, self->pdf->name);
  gtk_print_operation_set_n_pages (operation, self->pdf->n_pages);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect_data (operation, "draw-page", G_CALLBACK (draw_print_page_cb),
                         cd_pdf_ref (self->pdf), pdf_closure_notify, 0);
  return operation;
}

void
cd_document_view_print (CdDocumentView *self,
                        GtkWindow      *parent)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CD_IS_DOCUMENT_VIEW (self));
  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));

  operation = cd_document_view_new_print_operation (self);
  if (operation == NULL)
    return;

  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, parent,
                               &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      GtkWidget *dialog = gtk_message_dialog_new (parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                                  GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE,
                                                  "%s", _("Cannot print the document"));

      gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", error->message);
      g_signal_connect (dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
      gtk_widget_show (dialog);
    }
}

void
cd_document_view_show_progress (CdDocumentView *self,
                                const char     *message)
{
  g_return_if_fail (CD_IS_DOCUMENT_VIEW (self));
  g_return_if_fail (message != NULL);

  g_cancellable_cancel (self->cancellable);
  clear_document (self);
  gtk_label_set_text (self->progress_label, message);
  gtk_stack_set_visible_child_name (self->stack, "loading");
}
