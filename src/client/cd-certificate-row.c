/* One certificate in the list: qualification, number, status and annotation state. */

#include "config.h"

#include "cd-certificate-row.h"

#include "cd-time.h"

#include <glib/gi18n.h>

struct _CdCertificateRow
{
  GtkListBoxRow  parent_instance;

  CdCertificate *certificate;
  CdAnnotation  *annotation;        /* the one whose changes are followed */
  guint          lapse_id;          /* updates the labels when the annotation lapses */

  /* Template widgets */
  GtkLabel      *qualification_label; /* (unowned) */
  GtkLabel      *details_label;       /* (unowned) */
  GtkLabel      *status_label;        /* (unowned) */
  GtkLabel      *annotation_label;    /* (unowned) */
};

G_DEFINE_TYPE (CdCertificateRow, cd_certificate_row, GTK_TYPE_LIST_BOX_ROW)

enum
{
  PROP_0,
  PROP_CERTIFICATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
status_style_class (CdCertificateStatus status)
{
  switch (status)
    {
    case CD_CERTIFICATE_STATUS_VALID:
      return "cd-status-valid";
    case CD_CERTIFICATE_STATUS_REVOKED:
      return "cd-status-revoked";
    case CD_CERTIFICATE_STATUS_SUSPENDED:
      return "cd-status-suspended";
    default:
      g_assert_not_reached ();
    }
}

static const char *
annotation_style_class (CdAnnotation *annotation,
                        gint64        now)
{
  if (annotation == NULL)
    return "cd-annotation-none";

  switch (cd_annotation_get_state_at (annotation, now))
    {
    case CD_ANNOTATION_STATE_PENDING:
      return "cd-annotation-pending";
    case CD_ANNOTATION_STATE_READY:
      return "cd-annotation-ready";
    case CD_ANNOTATION_STATE_EXPIRED:
      return "cd-annotation-expired";
    case CD_ANNOTATION_STATE_FAILED:
      return "cd-annotation-failed";
    default:
      g_assert_not_reached ();
    }
}

static void
set_style_class (GtkWidget  *widget,
                 const char *prefix,
                 const char *style_class)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  g_autoptr(GList) classes = gtk_style_context_list_classes (context);

  for (GList *l = classes; l != NULL; l = l->next)
    {
      if (g_str_has_prefix (l->data, prefix) && !g_str_equal (l->data, style_class))
        gtk_style_context_remove_class (context, l->data);
    }
  gtk_style_context_add_class (context, style_class);
}

static void update_labels (CdCertificateRow *self);

static gboolean
lapse_cb (gpointer user_data)
{
  CdCertificateRow *self = user_data;

  self->lapse_id = 0;
  update_labels (self);
  return G_SOURCE_REMOVE;
}

static void
update_labels (CdCertificateRow *self)
{
  CdCertificate *certificate = self->certificate;
  CdCertificateStatus status = cd_certificate_get_status (certificate);
  gint64 now = cd_time_now ();
  g_autoptr(GString) details = g_string_new (cd_certificate_get_cert_no (certificate));
  g_autofree char *annotation = cd_certificate_row_annotation_label (self->annotation, now);
  g_autofree char *accessible_name = NULL;
  const char *qualification = cd_certificate_get_qualification (certificate);
  const char *status_text = cd_certificate_row_status_label (status);
  guint seconds;

  const char *specialty = cd_certificate_get_specialty (certificate);
  const char *level = cd_certificate_get_level (certificate);

  if (specialty != NULL && *specialty != '\0')
    g_string_append_printf (details, " · %s", specialty);
  if (level != NULL && *level != '\0')
    g_string_append_printf (details, " · %s", level);

  gtk_label_set_text (self->qualification_label, qualification);
  gtk_label_set_text (self->details_label, details->str);
  gtk_label_set_text (self->status_label, status_text);
  gtk_label_set_text (self->annotation_label, annotation);
  set_style_class (GTK_WIDGET (self->status_label), "cd-status-", status_style_class (status));
  set_style_class (GTK_WIDGET (self->annotation_label), "cd-annotation-",
                   annotation_style_class (self->annotation, now));

  /* Translators: how a screen reader reads a certificate in the list: the qualification,
   * the certificate number, the status and the annotation state. */
  accessible_name = g_strdup_printf (_("%s, certificate number %s, %s, %s"), qualification,
                                     cd_certificate_get_cert_no (certificate), status_text, annotation);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self)), accessible_name);

  /* "Valid until" turns into "expired" at that moment, also in a window left open. */
  g_clear_handle_id (&self->lapse_id, g_source_remove);
  if (self->annotation != NULL && (seconds = cd_annotation_get_seconds_to_lapse (self->annotation, now)) > 0)
    self->lapse_id = g_timeout_add_seconds (seconds, lapse_cb, self);
}

static void
annotation_notify_cb (CdCertificateRow *self)
{
  update_labels (self);
}

static void
follow_annotation (CdCertificateRow *self)
{
  CdAnnotation *annotation = cd_certificate_get_latest_annotation (self->certificate);

  if (self->annotation != NULL)
    g_signal_handlers_disconnect_by_func (self->annotation, annotation_notify_cb, self);
  g_set_object (&self->annotation, annotation);
  if (annotation != NULL)
    g_signal_connect_object (annotation, "notify", G_CALLBACK (annotation_notify_cb), self,
                             G_CONNECT_SWAPPED);
}

static void
latest_annotation_notify_cb (CdCertificateRow *self)
{
  follow_annotation (self);
  update_labels (self);
}

static void
cd_certificate_row_constructed (GObject *object)
{
  CdCertificateRow *self = CD_CERTIFICATE_ROW (object);

  G_OBJECT_CLASS (cd_certificate_row_parent_class)->constructed (object);

  g_assert (self->certificate != NULL);
  g_signal_connect_object (self->certificate, "notify::latest-annotation",
                           G_CALLBACK (latest_annotation_notify_cb), self, G_CONNECT_SWAPPED);
  follow_annotation (self);
  update_labels (self);
}

static void
cd_certificate_row_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CdCertificateRow *self = CD_CERTIFICATE_ROW (object);

  switch (prop_id)
    {
    case PROP_CERTIFICATE:
      g_value_set_object (value, self->certificate);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_certificate_row_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CdCertificateRow *self = CD_CERTIFICATE_ROW (object);

  switch (prop_id)
    {
    case PROP_CERTIFICATE:
      self->certificate = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_certificate_row_dispose (GObject *object)
{
  CdCertificateRow *self = CD_CERTIFICATE_ROW (object);

  g_clear_handle_id (&self->lapse_id, g_source_remove);
  g_clear_object (&self->annotation);
  g_clear_object (&self->certificate);

  G_OBJECT_CLASS (cd_certificate_row_parent_class)->dispose (object);
}

static void
cd_certificate_row_class_init (CdCertificateRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cd_certificate_row_constructed;
  object_class->get_property = cd_certificate_row_get_property;
  object_class->set_property = cd_certificate_row_set_property;
  object_class->dispose = cd_certificate_row_dispose;

  properties[PROP_CERTIFICATE] =
    g_param_spec_object ("certificate", "Certificate", "The certificate shown",
                         CD_TYPE_CERTIFICATE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/certdesk/CertDesk/ui/cd-certificate-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CdCertificateRow, qualification_label);
  gtk_widget_class_bind_template_child (widget_class, CdCertificateRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, CdCertificateRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, CdCertificateRow, annotation_label);
}

static void
cd_certificate_row_init (CdCertificateRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cd_certificate_row_new (CdCertificate *certificate)
{
  g_return_val_if_fail (CD_IS_CERTIFICATE (certificate), NULL);

  return g_object_new (CD_TYPE_CERTIFICATE_ROW, "certificate", certificate, NULL);
}

CdCertificate *
cd_certificate_row_get_certificate (CdCertificateRow *self)
{
  g_return_val_if_fail (CD_IS_CERTIFICATE_ROW (self), NULL);

  return self->certificate;
}

const char *
cd_certificate_row_status_label (CdCertificateStatus status)
{
  switch (status)
    {
    case CD_CERTIFICATE_STATUS_VALID:
      return _("Valid");
    case CD_CERTIFICATE_STATUS_REVOKED:
      return _("Revoked");
    case CD_CERTIFICATE_STATUS_SUSPENDED:
      return _("Suspended");
    default:
      g_return_val_if_reached (NULL);
    }
}

char *
cd_certificate_row_annotation_label (CdAnnotation *annotation,
                                     gint64        now)
{
  g_autofree char *until = NULL;

  if (annotation == NULL)
    return g_strdup (_("Not annotated"));

  switch (cd_annotation_get_state_at (annotation, now))
    {
    case CD_ANNOTATION_STATE_PENDING:
      return g_strdup (_("Generating…"));
    case CD_ANNOTATION_STATE_READY:
      until = cd_time_format_local_date (cd_annotation_get_valid_until (annotation));
      /* Translators: the state of an annotation; %s is its last valid date, 2027-02-23. */
      return g_strdup_printf (_("Valid until %s"), until);
    case CD_ANNOTATION_STATE_EXPIRED:
      return g_strdup (_("Annotation expired"));
    case CD_ANNOTATION_STATE_FAILED:
      return g_strdup (_("Generation failed"));
    default:
      g_return_val_if_reached (NULL);
    }
}
