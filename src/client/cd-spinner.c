/* CdSpinner: a quarter circle turning once a second over a faint full one, while active
 * and on screen. */

#include "config.h"

#include "cd-spinner.h"

#include <glib/gi18n.h>
#include <math.h>

#define DEFAULT_SIZE    16
#define PERIOD_USEC     (G_USEC_PER_SEC * 1.0)

struct _CdSpinner
{
  GtkWidget  parent_instance;

  gboolean   active;
  guint      tick_id;
  gint64     start_time;
};

G_DEFINE_FINAL_TYPE (CdSpinner, cd_spinner, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       user_data)
{
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

/* Turning costs frames: only while active and mapped. */
static void
update_ticking (CdSpinner *self)
{
  gboolean wanted = self->active && gtk_widget_get_mapped (GTK_WIDGET (self));

  if (wanted && self->tick_id == 0)
    {
      self->start_time = g_get_monotonic_time ();
      self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
    }
  else if (!wanted && self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_active (CdSpinner *self,
            gboolean   active)
{
  active = !!active;
  if (self->active == active)
    return;

  self->active = active;
  update_ticking (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

static gboolean
cd_spinner_draw (GtkWidget *widget,
                 cairo_t   *cr)
{
  CdSpinner *self = CD_SPINNER (widget);
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  int width = gtk_widget_get_allocated_width (widget);
  int height = gtk_widget_get_allocated_height (widget);
  double size = MIN (width, height);
  double line_width = MAX (1.5, size / 8);
  double radius = (size - line_width) / 2;
  double angle;
  GdkRGBA color;

  if (!self->active || radius <= 0)
    return FALSE;

  gtk_style_context_get_color (context, gtk_style_context_get_state (context), &color);
  angle = fmod ((g_get_monotonic_time () - self->start_time) / PERIOD_USEC, 1.0) * 2 * G_PI;

  cairo_set_line_width (cr, line_width);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha * 0.2);
  cairo_arc (cr, width / 2.0, height / 2.0, radius, 0, 2 * G_PI);
  cairo_stroke (cr);
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha);
  cairo_arc (cr, width / 2.0, height / 2.0, radius, angle, angle + G_PI / 2);
  cairo_stroke (cr);

  return FALSE;
}

static void
cd_spinner_get_preferred_width (GtkWidget *widget,
                                int       *minimum,
                                int       *natural)
{
  *minimum = *natural = DEFAULT_SIZE;
}

static void
cd_spinner_get_preferred_height (GtkWidget *widget,
                                 int       *minimum,
                                 int       *natural)
{
  *minimum = *natural = DEFAULT_SIZE;
}

static void
cd_spinner_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (cd_spinner_parent_class)->map (widget);
  update_ticking (CD_SPINNER (widget));
}

static void
cd_spinner_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (cd_spinner_parent_class)->unmap (widget);
  update_ticking (CD_SPINNER (widget));
}

static void
cd_spinner_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CdSpinner *self = CD_SPINNER (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_spinner_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  CdSpinner *self = CD_SPINNER (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      set_active (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_spinner_class_init (CdSpinnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = cd_spinner_get_property;
  object_class->set_property = cd_spinner_set_property;
  widget_class->draw = cd_spinner_draw;
  widget_class->get_preferred_width = cd_spinner_get_preferred_width;
  widget_class->get_preferred_height = cd_spinner_get_preferred_height;
  widget_class->map = cd_spinner_map;
  widget_class->unmap = cd_spinner_unmap;

  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", "Active", "Whether the spinner turns",
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Not "spinner": Adwaita hides those until :checked and gives them its SVG icon. */
  gtk_widget_class_set_css_name (widget_class, "cdspinner");
  gtk_widget_class_set_accessible_role (widget_class, ATK_ROLE_ANIMATION);
}

static void
cd_spinner_init (CdSpinner *self)
{
  gtk_widget_set_has_window (GTK_WIDGET (self), FALSE);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self)), _("Working"));
}

GtkWidget *
cd_spinner_new (void)
{
  return g_object_new (CD_TYPE_SPINNER, NULL);
}

void
cd_spinner_start (CdSpinner *self)
{
  g_return_if_fail (CD_IS_SPINNER (self));

  set_active (self, TRUE);
}

void
cd_spinner_stop (CdSpinner *self)
{
  g_return_if_fail (CD_IS_SPINNER (self));

  set_active (self, FALSE);
}

gboolean
cd_spinner_get_active (CdSpinner *self)
{
  g_return_val_if_fail (CD_IS_SPINNER (self), FALSE);

  return self->active;
}
