#include "config.h"

#include "cd-certificate-document.h"

#include "cd-time.h"

#include <errno.h>
#include <stdio.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (cairo_pattern_t, cairo_pattern_destroy)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (cairo_surface_t, cairo_surface_destroy)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (cairo_t, cairo_destroy)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QRcode, QRcode_free)

#define PAGE_WIDTH     595.28
#define PAGE_HEIGHT    841.89
#define FRAME_MARGIN   26.0
#define CONTENT_LEFT   66.0
#define CONTENT_WIDTH  (PAGE_WIDTH - 2 * CONTENT_LEFT)
#define BODY_TOP       (FRAME_MARGIN + 44.0)
#define FOOTER_TOP     (PAGE_HEIGHT - FRAME_MARGIN - 42.0)
#define BODY_BOTTOM    (FOOTER_TOP - 12.0)
#define MIN_BODY_SCALE 0.5

#define LABEL_WIDTH    72.0
#define CELL_PADDING   9.0
#define ROW_MIN_HEIGHT 30.0
#define BAND_PADDING   14.0
#define QR_SIZE        100.0
#define QR_QUIET_ZONE  4

#define COLOR_INK      0x1c1c1c
#define COLOR_ACCENT   0x8e1b1b
#define COLOR_GOLD     0xb08d57
#define COLOR_MUTED    0x6b5d4f
#define COLOR_RULE     0xc9b99f
#define COLOR_PAPER    0xfffdf8
#define COLOR_LABEL_BG 0xf5eee2
#define COLOR_BAND_BG  0xf7ecec

typedef enum
{
  CD_TEXT_NATION,
  CD_TEXT_TITLE,
  CD_TEXT_SUBTITLE,
  CD_TEXT_LABEL,
  CD_TEXT_VALUE,
  CD_TEXT_BAND_TITLE,
  CD_TEXT_CODE,
  CD_TEXT_NOTE,
  CD_TEXT_SMALL,
  CD_N_TEXT_STYLES
} CdTextStyle;

/* Two faces, both with TrueType (glyf) outlines, which cairo 1.16 embeds as CID
 * TrueType subsets by reading only the glyphs a page uses; a CFF face such as Noto CJK
 * costs a copy and parse of its whole multi-megabyte CFF table in every PDF (~100 ms a
 * render). A Ming (Song) face for the ceremonial lines; a Hei face for the title, which
 * needs the weight, and for everything that must read well small. Neither has a bold,
 * and a synthetic one adds a font cairo builds from the emboldened outlines (+10 % a
 * render), so size, colour and spacing make the hierarchy. Characters neither face
 * has (rare name characters) fall back through fontconfig to Noto CJK: slower, right. */
#define FONT_MING "AR PL UMing CN"
#define FONT_HEI  "WenQuanYi Micro Hei"

static const struct
{
  const char *font;
  double      letter_spacing;
} text_styles[CD_N_TEXT_STYLES] = {
  [CD_TEXT_NATION] = { FONT_MING " 19", 9.0 },
  [CD_TEXT_TITLE] = { FONT_HEI " 24", 1.5 },
  [CD_TEXT_SUBTITLE] = { FONT_MING " 14", 3.0 },
  [CD_TEXT_LABEL] = { FONT_HEI " 10.5", 0.0 },
  [CD_TEXT_VALUE] = { FONT_HEI " 12", 0.0 },
  [CD_TEXT_BAND_TITLE] = { FONT_MING " 13", 3.0 },
  [CD_TEXT_CODE] = { FONT_HEI " 15", 1.5 },
  [CD_TEXT_NOTE] = { FONT_HEI " 9.5", 0.0 },
  [CD_TEXT_SMALL] = { FONT_HEI " 8", 0.0 },
};

/* Pango font maps are not thread-safe, so every generation worker keeps its own, and
 * with it the fonts it has already loaded, for as long as the thread lives. */
typedef struct
{
  PangoFontMap         *font_map;
  PangoContext         *context;
  PangoLayout          *layout;
  PangoFontDescription *fonts[CD_N_TEXT_STYLES];
  PangoAttrList        *attrs[CD_N_TEXT_STYLES];
} CdRenderState;

typedef struct
{
  const char *label;
  const char *value;
  gboolean    alert;
} CdField;

static void render_state_free (gpointer data);

static GPrivate render_state_key = G_PRIVATE_INIT (render_state_free);

G_DEFINE_QUARK (cd-document-error-quark, cd_document_error)

static void
render_state_free (gpointer data)
{
  CdRenderState *state = data;

  for (guint i = 0; i < CD_N_TEXT_STYLES; i++)
    {
      g_clear_pointer (&state->fonts[i], pango_font_description_free);
      g_clear_pointer (&state->attrs[i], pango_attr_list_unref);
    }
  g_clear_object (&state->layout);
  g_clear_object (&state->context);
  g_clear_object (&state->font_map);
  g_free (state);
}

static CdRenderState *
get_render_state (void)
{
  CdRenderState *state = g_private_get (&render_state_key);
  cairo_font_options_t *options;

  if (state != NULL)
    return state;

  state = g_new0 (CdRenderState, 1);
  state->font_map = pango_cairo_font_map_new ();
  state->context = pango_font_map_create_context (state->font_map);
  /* Sizes are given in points and the PDF user unit is the point. */
  pango_cairo_context_set_resolution (state->context, 72.0);
  pango_context_set_round_glyph_positions (state->context, FALSE);
  /* Outlines and advances as designed: hinting means nothing in a PDF. */
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (state->context, options);
  cairo_font_options_destroy (options);
  state->layout = pango_layout_new (state->context);
  pango_layout_set_wrap (state->layout, PANGO_WRAP_WORD_CHAR);

  for (guint i = 0; i < CD_N_TEXT_STYLES; i++)
    {
      state->fonts[i] = pango_font_description_from_string (text_styles[i].font);
      state->attrs[i] = pango_attr_list_new ();
      if (text_styles[i].letter_spacing > 0)
        pango_attr_list_insert (state->attrs[i],
                                pango_attr_letter_spacing_new (pango_units_from_double (text_styles[i].letter_spacing)));
    }

  g_private_set (&render_state_key, state);
  return state;
}

static GTimeZone *
get_china_time_zone (void)
{
  static gsize initialized = 0;
  static GTimeZone *tz = NULL;

  if (g_once_init_enter (&initialized))
    {
      tz = g_time_zone_new_identifier ("Asia/Shanghai");
      /* Containers often ship without tzdata; China has had no DST since 1991. */
      if (tz == NULL)
        tz = g_time_zone_new_offset (8 * 60 * 60);
      g_once_init_leave (&initialized, 1);
    }

  return tz;
}

static char *
format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (unix_seconds == 0)
    return g_strdup ("—");

  utc = g_date_time_new_from_unix_utc (unix_seconds);
  if (utc == NULL)
    return g_strdup ("—");

  local = g_date_time_to_timezone (utc, get_china_time_zone ());
  return g_date_time_format (local, "%Y年%m月%d日 %H:%M");
}

/* issued_on is stored as YYYY-MM-DD; anything else is printed as it came. */
static char *
format_issue_date (const char *issued_on)
{
  int year, month, day;
  char end;

  if (issued_on == NULL || *issued_on == '\0')
    return g_strdup ("—");
  if (sscanf (issued_on, "%4d-%2d-%2d%c", &year, &month, &day, &end) != 3)
    return g_strdup (issued_on);

  return g_strdup_printf ("%04d年%02d月%02d日", year, month, day);
}

static const char *
or_dash (const char *value)
{
  return value != NULL && *value != '\0' ? value : "—";
}

static const char *
status_label (CdCertificateStatus status)
{
  switch (status)
    {
    case CD_CERTIFICATE_STATUS_VALID:
      return "有效";
    case CD_CERTIFICATE_STATUS_REVOKED:
      return "已注销";
    case CD_CERTIFICATE_STATUS_SUSPENDED:
      return "已暂停";
    default:
      return "—";
    }
}

static gboolean
check_cairo_status (cairo_status_t   status,
                    GError         **error)
{
  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;

  g_set_error (error, CD_DOCUMENT_ERROR, CD_DOCUMENT_ERROR_FAILED,
               "The certificate document could not be drawn: %s",
               cairo_status_to_string (status));
  return FALSE;
}

static void
set_color (cairo_t *cr,
           guint32  rgb)
{
  cairo_set_source_rgb (cr,
                        ((rgb >> 16) & 0xff) / 255.0,
                        ((rgb >> 8) & 0xff) / 255.0,
                        (rgb & 0xff) / 255.0);
}

/* (x, y) is the top-left corner of the layout. pango draws with
 * cairo_show_text_glyphs (), so the PDF maps the glyphs back to the text. */
static void
show_layout (CdRenderState *state,
             cairo_t       *cr,
             double         x,
             double         y)
{
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, state->layout);
}

/* Lays @text out in @width (unbounded when negative) and returns its height. */
static double
layout_text (CdRenderState  *state,
             CdTextStyle     style,
             const char     *text,
             double          width,
             PangoAlignment  alignment)
{
  int height;

  pango_layout_set_font_description (state->layout, state->fonts[style]);
  pango_layout_set_attributes (state->layout, state->attrs[style]);
  pango_layout_set_width (state->layout, width < 0 ? -1 : pango_units_from_double (width));
  pango_layout_set_alignment (state->layout, alignment);
  pango_layout_set_text (state->layout, text, -1);
  pango_layout_get_size (state->layout, NULL, &height);

  return pango_units_to_double (height);
}

static double
get_baseline (CdRenderState *state)
{
  return pango_units_to_double (pango_layout_get_baseline (state->layout));
}

static double
show_text (CdRenderState  *state,
           cairo_t        *cr,
           CdTextStyle     style,
           const char     *text,
           double          x,
           double          y,
           double          width,
           PangoAlignment  alignment)
{
  double height = layout_text (state, style, text, width, alignment);

  show_layout (state, cr, x, y);

  return height;
}

static void
draw_diamond (cairo_t *cr,
              double   cx,
              double   cy,
              double   radius)
{
  cairo_move_to (cr, cx, cy - radius);
  cairo_line_to (cr, cx + radius, cy);
  cairo_line_to (cr, cx, cy + radius);
  cairo_line_to (cr, cx - radius, cy);
  cairo_close_path (cr);
  cairo_fill (cr);
}

static void
draw_frame (cairo_t *cr)
{
  double outer = FRAME_MARGIN;
  double inner = FRAME_MARGIN + 7;
  double corners[4][2] = {
    { inner, inner },
    { PAGE_WIDTH - inner, inner },
    { inner, PAGE_HEIGHT - inner },
    { PAGE_WIDTH - inner, PAGE_HEIGHT - inner },
  };

  set_color (cr, COLOR_PAPER);
  cairo_rectangle (cr, outer, outer, PAGE_WIDTH - 2 * outer, PAGE_HEIGHT - 2 * outer);
  cairo_fill (cr);

  set_color (cr, COLOR_ACCENT);
  cairo_set_line_width (cr, 2.6);
  cairo_rectangle (cr, outer, outer, PAGE_WIDTH - 2 * outer, PAGE_HEIGHT - 2 * outer);
  cairo_stroke (cr);

  set_color (cr, COLOR_GOLD);
  cairo_set_line_width (cr, 0.8);
  cairo_rectangle (cr, inner, inner, PAGE_WIDTH - 2 * inner, PAGE_HEIGHT - 2 * inner);
  cairo_stroke (cr);

  set_color (cr, COLOR_ACCENT);
  for (guint i = 0; i < G_N_ELEMENTS (corners); i++)
    draw_diamond (cr, corners[i][0], corners[i][1], 4.5);
}

static void
show_footer (CdRenderState *state,
             cairo_t       *cr)
{
  set_color (cr, COLOR_GOLD);
  cairo_set_line_width (cr, 0.6);
  cairo_move_to (cr, CONTENT_LEFT, FOOTER_TOP);
  cairo_line_to (cr, CONTENT_LEFT + CONTENT_WIDTH, FOOTER_TOP);
  cairo_stroke (cr);

  set_color (cr, COLOR_MUTED);
  show_text (state, cr, CD_TEXT_NOTE, "本加注件由电子证书服务生成并经数字签名，有效期届满后自动失效。",
             CONTENT_LEFT, FOOTER_TOP + 10.0, CONTENT_WIDTH, PANGO_ALIGN_CENTER);
}

/* The body functions below draw in a coordinate space whose origin is the top-left of
 * the content column and whose width is @width; they return the y they ended at. */

static double
show_heading (CdRenderState             *state,
              cairo_t                   *cr,
              const CdCertificateRecord *certificate,
              double                     width)
{
  const char *qualification = or_dash (certificate->qualification);
  g_autofree char *title = g_strdup_printf ("%s职业资格证书", qualification);
  double cx = width / 2;
  double y = 0;

  set_color (cr, COLOR_ACCENT);
  y += show_text (state, cr, CD_TEXT_NATION, "中华人民共和国", 0, y, width, PANGO_ALIGN_CENTER) + 8.0;

  /* A title too long for one line breaks before 职业资格证书, not inside a word. */
  layout_text (state, CD_TEXT_TITLE, title, width, PANGO_ALIGN_CENTER);
  if (pango_layout_get_line_count (state->layout) > 1)
    {
      g_free (title);
      title = g_strdup_printf ("%s\n职业资格证书", qualification);
    }
  set_color (cr, COLOR_INK);
  y += show_text (state, cr, CD_TEXT_TITLE, title, 0, y, width, PANGO_ALIGN_CENTER) + 6.0;
  set_color (cr, COLOR_MUTED);
  y += show_text (state, cr, CD_TEXT_SUBTITLE, "电子证书（加注件）", 0, y, width,
                  PANGO_ALIGN_CENTER) + 14.0;

  /* A short gold rule with a diamond in the middle. */
  set_color (cr, COLOR_GOLD);
  cairo_set_line_width (cr, 0.8);
  cairo_move_to (cr, cx - 120, y);
  cairo_line_to (cr, cx - 10, y);
  cairo_move_to (cr, cx + 10, y);
  cairo_line_to (cr, cx + 120, y);
  cairo_stroke (cr);
  set_color (cr, COLOR_ACCENT);
  draw_diamond (cr, cx, y, 4);

  return y + 4.0;
}

static void
show_cell (CdRenderState *state,
           cairo_t       *cr,
           const CdField *field,
           double         x,
           double         y,
           double         width,
           double         height)
{
  double label_height;
  double value_height;

  set_color (cr, COLOR_LABEL_BG);
  cairo_rectangle (cr, x, y, LABEL_WIDTH, height);
  cairo_fill (cr);

  set_color (cr, COLOR_MUTED);
  label_height = layout_text (state, CD_TEXT_LABEL, field->label, LABEL_WIDTH, PANGO_ALIGN_CENTER);
  show_layout (state, cr, x, y + (height - label_height) / 2);

  set_color (cr, field->alert ? COLOR_ACCENT : COLOR_INK);
  value_height = layout_text (state, CD_TEXT_VALUE, field->value,
                              width - LABEL_WIDTH - 2 * CELL_PADDING, PANGO_ALIGN_LEFT);
  show_layout (state, cr, x + LABEL_WIDTH + CELL_PADDING, y + (height - value_height) / 2);
}

/* One table row of one or two label/value cells. */
static double
show_row (CdRenderState *state,
          cairo_t       *cr,
          double         y,
          double         width,
          const CdField *first,
          const CdField *second)
{
  double cell_width = second != NULL ? width / 2 : width;
  double value_width = cell_width - LABEL_WIDTH - 2 * CELL_PADDING;
  double height = ROW_MIN_HEIGHT;

  /* Measure first: the label shading goes under the text. */
  height = MAX (height, layout_text (state, CD_TEXT_VALUE, first->value, value_width,
                                     PANGO_ALIGN_LEFT) + 12.0);
  if (second != NULL)
    height = MAX (height, layout_text (state, CD_TEXT_VALUE, second->value, value_width,
                                       PANGO_ALIGN_LEFT) + 12.0);

  show_cell (state, cr, first, 0, y, cell_width, height);
  if (second != NULL)
    show_cell (state, cr, second, cell_width, y, cell_width, height);

  /* The rule above too: the shading of the row below covers half of this bottom rule. */
  set_color (cr, COLOR_RULE);
  cairo_set_line_width (cr, 0.6);
  cairo_move_to (cr, 0, y);
  cairo_line_to (cr, width, y);
  cairo_move_to (cr, 0, y + height);
  cairo_line_to (cr, width, y + height);
  cairo_move_to (cr, LABEL_WIDTH, y);
  cairo_line_to (cr, LABEL_WIDTH, y + height);
  if (second != NULL)
    {
      cairo_move_to (cr, cell_width, y);
      cairo_line_to (cr, cell_width, y + height);
      cairo_move_to (cr, cell_width + LABEL_WIDTH, y);
      cairo_line_to (cr, cell_width + LABEL_WIDTH, y + height);
    }
  cairo_stroke (cr);

  return y + height;
}

static double
show_fields (CdRenderState             *state,
             cairo_t                   *cr,
             const CdCertificateRecord *certificate,
             double                     top,
             double                     width)
{
  g_autofree char *masked_id = cd_id_number_mask (certificate->id_number != NULL ? certificate->id_number : "");
  g_autofree char *issued_on = format_issue_date (certificate->issued_on);
  const CdField name = { "姓名", or_dash (certificate->holder_name), FALSE };
  const CdField gender = { "性别", or_dash (certificate->gender), FALSE };
  const CdField id_number = { "证件号码", or_dash (masked_id), FALSE };
  const CdField qualification = { "资格名称", or_dash (certificate->qualification), FALSE };
  const CdField specialty = { "专业", or_dash (certificate->specialty), FALSE };
  const CdField level = { "级别", or_dash (certificate->level), FALSE };
  const CdField cert_no = { "证书编号", or_dash (certificate->cert_no), FALSE };
  const CdField management_no = { "管理号", or_dash (certificate->management_no), FALSE };
  const CdField issued = { "签发日期", issued_on, FALSE };
  const CdField status = { "证书状态", status_label (certificate->status),
                           certificate->status != CD_CERTIFICATE_STATUS_VALID };
  const CdField issuer = { "发证机关", or_dash (certificate->issuer), FALSE };
  double y = top;

  y = show_row (state, cr, y, width, &name, &gender);
  y = show_row (state, cr, y, width, &id_number, NULL);
  y = show_row (state, cr, y, width, &qualification, NULL);
  y = show_row (state, cr, y, width, &specialty, &level);
  y = show_row (state, cr, y, width, &cert_no, NULL);
  y = show_row (state, cr, y, width, &management_no, NULL);
  y = show_row (state, cr, y, width, &issued, &status);
  y = show_row (state, cr, y, width, &issuer, NULL);

  set_color (cr, COLOR_MUTED);
  cairo_set_line_width (cr, 1.2);
  cairo_rectangle (cr, 0, top, width, y - top);
  cairo_stroke (cr);

  return y;
}

static double
show_annotation (CdRenderState            *state,
                 cairo_t                  *cr,
                 const CdAnnotationRecord *annotation,
                 double                    top,
                 double                    width)
{
  g_autofree char *valid_from = format_time (annotation->valid_from);
  g_autofree char *valid_until = format_time (annotation->valid_until);
  g_autofree char *validity = g_strdup_printf ("%s 至 %s", valid_from, valid_until);
  g_autofree char *ready_at = format_time (annotation->ready_at);
  const CdField rows[] = {
    { "使用场景", or_dash (cd_scenario_get_label (annotation->scenario)), FALSE },
    { "有效期", validity, FALSE },
    { "加注编号", or_dash (annotation->annotation_no), FALSE },
    { "生成时间", ready_at, FALSE },
  };
  double label_left = BAND_PADDING + 6.0;
  double value_left = label_left + LABEL_WIDTH - 6.0;
  double value_width = width - BAND_PADDING - value_left;
  double title_height;
  double height;
  double y;

  /* Measure first so the shaded box can be painted under the text. */
  title_height = layout_text (state, CD_TEXT_BAND_TITLE, "加注信息", -1, PANGO_ALIGN_LEFT);
  height = 2 * BAND_PADDING + title_height + 6.0;
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    height += layout_text (state, CD_TEXT_VALUE, rows[i].value, value_width, PANGO_ALIGN_LEFT) + 5.0;
  height -= 5.0;

  set_color (cr, COLOR_BAND_BG);
  cairo_rectangle (cr, 0, top, width, height);
  cairo_fill (cr);
  set_color (cr, COLOR_ACCENT);
  cairo_rectangle (cr, 0, top, 5.0, height);
  cairo_fill (cr);
  cairo_set_line_width (cr, 0.8);
  cairo_set_dash (cr, (double[]) { 3.0, 2.0 }, 2, 0);
  cairo_rectangle (cr, 0, top, width, height);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  y = top + BAND_PADDING;
  y += show_text (state, cr, CD_TEXT_BAND_TITLE, "加注信息", label_left, y, -1,
                  PANGO_ALIGN_LEFT) + 6.0;

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      double value_height;
      double value_baseline;

      set_color (cr, COLOR_INK);
      value_height = layout_text (state, CD_TEXT_VALUE, rows[i].value, value_width, PANGO_ALIGN_LEFT);
      value_baseline = get_baseline (state);
      show_layout (state, cr, value_left, y);

      /* The smaller label sits on the baseline of the value's first line. */
      set_color (cr, COLOR_MUTED);
      layout_text (state, CD_TEXT_LABEL, rows[i].label, -1, PANGO_ALIGN_LEFT);
      show_layout (state, cr, label_left, y + value_baseline - get_baseline (state));

      y += value_height + 5.0;
    }

  return top + height;
}

static gboolean
draw_qr_code (cairo_t     *cr,
              const char  *text,
              double       x,
              double       y,
              GError     **error)
{
  g_autoptr(QRcode) qr = NULL;
  g_autoptr(cairo_surface_t) mask = NULL;
  g_autoptr(cairo_pattern_t) pattern = NULL;
  unsigned char *data;
  int stride;
  double module;

  qr = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (qr == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, CD_DOCUMENT_ERROR, CD_DOCUMENT_ERROR_FAILED,
                   "The verification address could not be encoded as a QR code: %s",
                   g_strerror (saved_errno));
      return FALSE;
    }

  module = QR_SIZE / (qr->width + 2 * QR_QUIET_ZONE);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x, y, QR_SIZE, QR_SIZE);
  cairo_fill (cr);

  /* One mask pixel a module, drawn unsmoothed: cairo writes it as a 1-bit image mask
   * of ~200 bytes. As vector rectangles, one a run of dark modules, the printed
   * coordinates and their compression cost a third of the whole render. */
  mask = cairo_image_surface_create (CAIRO_FORMAT_A8, qr->width, qr->width);
  if (!check_cairo_status (cairo_surface_status (mask), error))
    return FALSE;

  data = cairo_image_surface_get_data (mask);
  stride = cairo_image_surface_get_stride (mask);
  for (int row = 0; row < qr->width; row++)
    {
      for (int col = 0; col < qr->width; col++)
        data[row * stride + col] = (qr->data[row * qr->width + col] & 1) ? 0xff : 0x00;
    }
  cairo_surface_mark_dirty (mask);

  pattern = cairo_pattern_create_for_surface (mask);
  cairo_pattern_set_filter (pattern, CAIRO_FILTER_NEAREST);

  cairo_save (cr);
  cairo_translate (cr, x + QR_QUIET_ZONE * module, y + QR_QUIET_ZONE * module);
  cairo_scale (cr, module, module);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_mask (cr, pattern);
  cairo_restore (cr);

  set_color (cr, COLOR_RULE);
  cairo_set_line_width (cr, 0.6);
  cairo_rectangle (cr, x, y, QR_SIZE, QR_SIZE);
  cairo_stroke (cr);

  return TRUE;
}

static gboolean
show_verification (CdRenderState             *state,
                   cairo_t                   *cr,
                   const CdAnnotationRecord  *annotation,
                   const char                *verify_url,
                   double                     top,
                   double                     width,
                   double                    *out_bottom,
                   GError                   **error)
{
  g_autofree char *code = g_strdup_printf ("验证码：%s", or_dash (annotation->verification_code));
  double text_left = QR_SIZE + 18.0;
  double text_width = width - text_left;
  double y = top + 12.0;

  if (!draw_qr_code (cr, verify_url, 0, top, error))
    return FALSE;

  set_color (cr, COLOR_ACCENT);
  y += show_text (state, cr, CD_TEXT_CODE, code, text_left, y, text_width, PANGO_ALIGN_LEFT) + 8.0;
  set_color (cr, COLOR_INK);
  y += show_text (state, cr, CD_TEXT_NOTE, "扫描二维码或访问验证地址核验本证书", text_left, y,
                  text_width, PANGO_ALIGN_LEFT) + 4.0;
  set_color (cr, COLOR_MUTED);
  y += show_text (state, cr, CD_TEXT_SMALL, verify_url, text_left, y, text_width, PANGO_ALIGN_LEFT);

  *out_bottom = MAX (top + QR_SIZE, y);
  return TRUE;
}

/* Everything between the frame's top and the footer, laid out @width wide. */
static gboolean
show_body (CdRenderState              *state,
           cairo_t                    *cr,
           const CdCertificateRecord  *certificate,
           const CdAnnotationRecord   *annotation,
           const char                 *verify_url,
           double                      width,
           double                     *out_height,
           GError                    **error)
{
  double y;

  y = show_heading (state, cr, certificate, width) + 20.0;
  y = show_fields (state, cr, certificate, y, width) + 22.0;
  y = show_annotation (state, cr, annotation, y, width) + 24.0;

  return show_verification (state, cr, annotation, verify_url, y, width, out_height, error);
}

static gboolean
draw_page (CdRenderState              *state,
           cairo_t                    *cr,
           const CdCertificateRecord  *certificate,
           const CdAnnotationRecord   *annotation,
           const char                 *verify_url,
           double                      body_scale,
           double                     *out_body_height,
           GError                    **error)
{
  gboolean ret;

  draw_frame (cr);
  show_footer (state, cr);

  /* A scaled-down body is laid out wider, so it fills the same column. */
  cairo_save (cr);
  cairo_translate (cr, CONTENT_LEFT, BODY_TOP);
  cairo_scale (cr, body_scale, body_scale);
  ret = show_body (state, cr, certificate, annotation, verify_url, CONTENT_WIDTH / body_scale,
                   out_body_height, error);
  cairo_restore (cr);

  return ret;
}

static cairo_status_t
append_to_byte_array (void                *closure,
                      const unsigned char *data,
                      unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static void
set_metadata (cairo_surface_t           *surface,
              const CdCertificateRecord *certificate,
              const CdAnnotationRecord  *annotation)
{
  g_autofree char *title = g_strdup_printf ("%s职业资格证书 电子证书（加注件）",
                                            or_dash (certificate->qualification));

  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "certdesk-server");

  /* Dating the file by the annotation rather than the clock makes renders reproducible. */
  if (annotation->ready_at != 0)
    {
      g_autofree char *date = cd_time_format_rfc3339 (annotation->ready_at);

      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
    }
}

static GBytes *
render_pdf (CdRenderState              *state,
            const CdCertificateRecord  *certificate,
            const CdAnnotationRecord   *annotation,
            const char                 *verify_url,
            double                      body_scale,
            double                     *out_body_height,
            GError                    **error)
{
  g_autoptr(GByteArray) pdf = g_byte_array_sized_new (128 * 1024);
  g_autoptr(cairo_surface_t) surface = NULL;
  g_autoptr(cairo_t) cr = NULL;

  surface = cairo_pdf_surface_create_for_stream (append_to_byte_array, pdf,
                                                 PAGE_WIDTH, PAGE_HEIGHT);
  set_metadata (surface, certificate, annotation);
  cr = cairo_create (surface);

  if (!draw_page (state, cr, certificate, annotation, verify_url, body_scale, out_body_height, error) ||
      !check_cairo_status (cairo_status (cr), error))
    return NULL;

  g_clear_pointer (&cr, cairo_destroy);
  cairo_surface_finish (surface);
  if (!check_cairo_status (cairo_surface_status (surface), error))
    return NULL;

  return g_byte_array_free_to_bytes (g_steal_pointer (&pdf));
}

GBytes *
cd_certificate_document_render (const CdCertificateRecord  *certificate,
                                const CdAnnotationRecord   *annotation,
                                const char                 *verify_url,
                                GError                    **error)
{
  CdRenderState *state;
  g_autoptr(GBytes) pdf = NULL;
  double available = BODY_BOTTOM - BODY_TOP;
  double height;

  g_return_val_if_fail (certificate != NULL, NULL);
  g_return_val_if_fail (annotation != NULL, NULL);
  g_return_val_if_fail (verify_url != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  state = get_render_state ();
  pdf = render_pdf (state, certificate, annotation, verify_url, 1.0, &height, error);

  /* Fields may hold 64 characters. The rare body that would run into the footer is
   * drawn again, laid out wider and scaled down; being wider it wraps less, so the
   * second attempt fits. */
  if (pdf != NULL && height > available)
    {
      g_clear_pointer (&pdf, g_bytes_unref);
      pdf = render_pdf (state, certificate, annotation, verify_url,
                        MAX (available / height, MIN_BODY_SCALE), &height, error);
    }

  return g_steal_pointer (&pdf);
}
