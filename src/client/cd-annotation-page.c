/* The annotation page of one certificate: details, the current annotation, the quota,
 * the history and "Apply for Annotation". A pending annotation is followed with
 * cd_client_wait_for_annotation_async () under the page's cancellable. */

#include "config.h"

#include "cd-annotation-page.h"
#include "cd-spinner.h"

#include "cd-apply-dialog.h"
#include "cd-certificate-row.h"
#include "cd-time.h"

#include <glib/gi18n.h>

struct _CdAnnotationPage
{
  GtkBin         parent_instance;

  CdClient      *client;
  CdCertificate *certificate;
  GPtrArray     *annotations;  /* (element-type CdAnnotation), newest first */
  CdQuota       *quota;
  GCancellable  *cancellable;  /* everything for the certificate shown */
  guint          n_busy;
  gboolean       waiting;      /* following a pending annotation */
  guint          lapse_id;     /* updates the page when the annotation lapses */

  /* Template widgets */
  GtkLabel      *title_label;    /* (unowned) */
  GtkGrid       *details_grid;   /* (unowned) */
  CdSpinner    *state_spinner;  /* (unowned) */
  GtkLabel      *state_label;    /* (unowned) */
  GtkLabel      *quota_label;    /* (unowned) */
  GtkButton     *apply_button;   /* (unowned) */
  GtkButton     *view_button;    /* (unowned) */
  GtkLabel      *reason_label;   /* (unowned) */
  GtkListBox    *history_list;   /* (unowned) */
  GtkWidget     *history_empty_label; /* (unowned) */
};

G_DEFINE_TYPE (CdAnnotationPage, cd_annotation_page, GTK_TYPE_BIN)

enum
{
  SIGNAL_ERROR,
  SIGNAL_VIEW_ANNOTATION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void wait_for_pending (CdAnnotationPage *self);

static void
add_detail (CdAnnotationPage *self,
            int               row,
            const char       *name,
            const char       *value)
{
  GtkWidget *name_label = gtk_label_new (name);
  GtkWidget *value_label = gtk_label_new (value != NULL && *value != '\0' ? value : "—");

  gtk_label_set_xalign (GTK_LABEL (name_label), 0);
  gtk_label_set_yalign (GTK_LABEL (name_label), 0);
  gtk_style_context_add_class (gtk_widget_get_style_context (name_label), "dim-label");
  gtk_label_set_xalign (GTK_LABEL (value_label), 0);
  gtk_label_set_line_wrap (GTK_LABEL (value_label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (value_label), TRUE);
  gtk_widget_set_can_focus (value_label, FALSE);
  gtk_widget_set_hexpand (value_label, TRUE);
  gtk_widget_show (name_label);
  gtk_widget_show (value_label);
  gtk_grid_attach (self->details_grid, name_label, 0, row, 1, 1);
  gtk_grid_attach (self->details_grid, value_label, 1, row, 1, 1);
}

static void
update_details (CdAnnotationPage *self)
{
  CdCertificate *certificate = self->certificate;
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->details_grid));
  int row = 0;

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);

  if (certificate == NULL)
    {
      gtk_label_set_text (self->title_label, "");
      return;
    }

  gtk_label_set_text (self->title_label, cd_certificate_get_qualification (certificate));
  add_detail (self, row++, _("Certificate number"), cd_certificate_get_cert_no (certificate));
  add_detail (self, row++, _("Qualification"), cd_certificate_get_qualification (certificate));
  add_detail (self, row++, _("Specialty"), cd_certificate_get_specialty (certificate));
  add_detail (self, row++, _("Level"), cd_certificate_get_level (certificate));
  add_detail (self, row++, _("Holder"), cd_certificate_get_holder_name (certificate));
  add_detail (self, row++, _("Gender"), cd_certificate_get_gender (certificate));
  add_detail (self, row++, _("ID number"), cd_certificate_get_id_number_masked (certificate));
  add_detail (self, row++, _("Management number"), cd_certificate_get_management_no (certificate));
  add_detail (self, row++, _("Issued on"), cd_certificate_get_issued_on (certificate));
  add_detail (self, row++, _("Issued by"), cd_certificate_get_issuer (certificate));
  add_detail (self, row++, _("Status"),
              cd_certificate_row_status_label (cd_certificate_get_status (certificate)));
}

static GtkWidget *
history_row_new (CdAnnotation *annotation,
                 gint64        now)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);
  g_autofree char *requested = cd_time_format_local_date (cd_annotation_get_requested_at (annotation));
  g_autofree char *state = cd_certificate_row_annotation_label (annotation, now);
  g_autofree char *days = NULL;
  g_autofree char *accessible_name = NULL;
  const char *texts[4];

  /* Translators: the validity of an annotation in the history. */
  days = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days",
                                       cd_annotation_get_validity_days (annotation)),
                          cd_annotation_get_validity_days (annotation));
  texts[0] = cd_annotation_get_annotation_no (annotation);
  texts[1] = requested;
  texts[2] = days;
  texts[3] = state;
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      GtkWidget *label = gtk_label_new (texts[i]);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      if (i == 0 || i == 3)
        gtk_widget_set_hexpand (label, TRUE);
      if (i == 1 || i == 2)
        gtk_style_context_add_class (gtk_widget_get_style_context (label), "dim-label");
      gtk_container_add (GTK_CONTAINER (box), label);
    }
  g_object_set (box, "margin", 12, NULL);
  gtk_container_add (GTK_CONTAINER (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_show_all (row);

  /* Translators: how a screen reader reads an annotation in the history: its number,
   * the date it was requested, its validity and its state. */
  accessible_name = g_strdup_printf (_("Annotation %s, requested on %s, %s, %s"), texts[0], requested,
                                     days, state);
  atk_object_set_name (gtk_widget_get_accessible (row), accessible_name);
  return row;
}

static CdAnnotation *
get_latest (CdAnnotationPage *self)
{
  if (self->annotations != NULL && self->annotations->len > 0)
    return g_ptr_array_index (self->annotations, 0);
  if (self->certificate != NULL)
    return cd_certificate_get_latest_annotation (self->certificate);
  return NULL;
}

/* Why applying is not possible now, or NULL. */
static char *
dup_apply_reason (CdAnnotationPage *self,
                  gint64            now)
{
  CdAnnotation *latest = get_latest (self);
  CdCertificateStatus status;

  if (self->certificate == NULL)
    return NULL;

  status = cd_certificate_get_status (self->certificate);
  if (status != CD_CERTIFICATE_STATUS_VALID)
    {
      /* Translators: why "Apply for Annotation" is not available; %s is the status of the
       * certificate, e.g. "Revoked". */
      return g_strdup_printf (_("Only a valid certificate can be annotated. This certificate is: %s."),
                              cd_certificate_row_status_label (status));
    }

  if (latest != NULL && cd_annotation_get_state_at (latest, now) == CD_ANNOTATION_STATE_PENDING)
    return g_strdup (_("An annotated certificate is being generated."));

  if (self->quota != NULL && !cd_quota_has_free_slot (self->quota))
    {
      g_autofree char *next = cd_time_format_local_date (cd_quota_get_next_slot_at (self->quota));

      /* Translators: why "Apply for Annotation" is not available: %1$d is the number of
       * annotations allowed, %2$d the number of days they are counted over, %3$s the date
       * the next one becomes possible. */
      return g_strdup_printf (_("All %1$d annotations of the last %2$d days are used. "
                                "You can apply again on %3$s."),
                              cd_quota_get_limit (self->quota),
                              cd_quota_get_window_days (self->quota), next);
    }

  return NULL;
}

static void update_state (CdAnnotationPage *self);

static gboolean
lapse_cb (gpointer user_data)
{
  CdAnnotationPage *self = user_data;

  self->lapse_id = 0;
  update_state (self);
  return G_SOURCE_REMOVE;
}

static void
update_state (CdAnnotationPage *self)
{
  gint64 now = cd_time_now ();
  CdAnnotation *latest = get_latest (self);
  g_autofree char *state = cd_certificate_row_annotation_label (latest, now);
  g_autofree char *quota = NULL;
  g_autofree char *reason = dup_apply_reason (self, now);
  gboolean pending = latest != NULL &&
                     cd_annotation_get_state_at (latest, now) == CD_ANNOTATION_STATE_PENDING;
  gboolean viewable = latest != NULL &&
                      cd_annotation_get_state_at (latest, now) == CD_ANNOTATION_STATE_READY;
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->history_list));
  gboolean has_history;
  guint seconds;

  gtk_label_set_text (self->state_label, state);
  gtk_widget_set_visible (GTK_WIDGET (self->state_spinner), pending);
  if (pending)
    cd_spinner_start (self->state_spinner);
  else
    cd_spinner_stop (self->state_spinner);

  if (self->quota != NULL)
    quota = cd_annotation_page_quota_label (self->quota);
  gtk_label_set_text (self->quota_label, quota != NULL ? quota : "");
  gtk_widget_set_visible (GTK_WIDGET (self->quota_label), quota != NULL);

  /* A valid annotation is viewed rather than applied for again: that comes first. */
  gtk_widget_set_visible (GTK_WIDGET (self->view_button), viewable);
  if (viewable)
    {
      gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self->view_button)),
                                   "suggested-action");
      gtk_style_context_remove_class (gtk_widget_get_style_context (GTK_WIDGET (self->apply_button)),
                                      "suggested-action");
    }
  else
    {
      gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self->apply_button)),
                                   "suggested-action");
    }

  gtk_label_set_text (self->reason_label, reason != NULL ? reason : "");
  gtk_widget_set_visible (GTK_WIDGET (self->reason_label), reason != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->apply_button),
                            self->certificate != NULL && reason == NULL && self->n_busy == 0);
  atk_object_set_description (gtk_widget_get_accessible (GTK_WIDGET (self->apply_button)),
                              reason != NULL ? reason : "");

  /* At the moment it lapses, the page offers to apply again without being reopened. */
  g_clear_handle_id (&self->lapse_id, g_source_remove);
  if (latest != NULL && (seconds = cd_annotation_get_seconds_to_lapse (latest, now)) > 0)
    self->lapse_id = g_timeout_add_seconds (seconds, lapse_cb, self);

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  for (guint i = 0; self->annotations != NULL && i < self->annotations->len; i++)
    gtk_container_add (GTK_CONTAINER (self->history_list),
                       history_row_new (g_ptr_array_index (self->annotations, i), now));
  has_history = self->annotations != NULL && self->annotations->len > 0;
  gtk_widget_set_visible (GTK_WIDGET (self->history_list), has_history);
  gtk_widget_set_visible (self->history_empty_label, !has_history);
}

static void
emit_error (CdAnnotationPage *self,
            const GError     *error)
{
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
}

static void
send_ready_notification (CdAnnotationPage *self,
                         CdAnnotation     *annotation)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  GApplication *application = NULL;
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *until = cd_time_format_local_date (cd_annotation_get_valid_until (annotation));
  g_autofree char *body = NULL;
  g_autofree char *id = NULL;

  if (GTK_IS_WINDOW (toplevel))
    application = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (toplevel)));
  if (application == NULL)
    application = g_application_get_default ();
  if (application == NULL)
    return;

  /* Translators: a desktop notification; %s is the qualification of the certificate. */
  title = g_strdup_printf (_("The annotated certificate for %s is ready"),
                           cd_certificate_get_qualification (self->certificate));
  /* Translators: under the notification; %s is a date, 2027-02-23. */
  body = g_strdup_printf (_("Valid until %s"), until);
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  id = g_strdup_printf ("annotation-ready-%s", cd_annotation_get_id (annotation));
  g_application_send_notification (application, id, notification);
}

/* Puts @annotation first in the history, in place of an older copy of itself. */
static CdAnnotation *
take_annotation (CdAnnotationPage *self,
                 CdAnnotation     *annotation)
{
  if (self->annotations == NULL)
    self->annotations = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->annotations->len; i++)
    {
      CdAnnotation *known = g_ptr_array_index (self->annotations, i);

      if (g_strcmp0 (cd_annotation_get_id (known), cd_annotation_get_id (annotation)) == 0)
        {
          cd_annotation_update_from (known, annotation);
          return known;
        }
    }

  g_ptr_array_insert (self->annotations, 0, g_object_ref (annotation));
  return annotation;
}

static void
share_with_certificate (CdAnnotationPage *self,
                        CdAnnotation     *annotation)
{
  CdAnnotation *shown = cd_certificate_get_latest_annotation (self->certificate);

  /* The list follows the certificate's latest annotation. */
  if (shown != NULL && g_strcmp0 (cd_annotation_get_id (shown), cd_annotation_get_id (annotation)) == 0)
    {
      if (shown != annotation)
        cd_annotation_update_from (shown, annotation);
    }
  else
    {
      cd_certificate_set_latest_annotation (self->certificate, annotation);
    }
}

static void
wait_cb (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  CdAnnotationPage *self;
  g_autoptr(CdAnnotation) annotation = NULL;
  g_autoptr(GError) error = NULL;
  CdAnnotation *kept;

  annotation = cd_client_wait_for_annotation_finish (CD_CLIENT (source_object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CD_ANNOTATION_PAGE (user_data);
  self->waiting = FALSE;
  if (annotation == NULL)
    {
      emit_error (self, error);
      return;
    }

  kept = take_annotation (self, annotation);
  share_with_certificate (self, kept);
  update_state (self);
  if (cd_annotation_get_state (kept) == CD_ANNOTATION_STATE_READY)
    send_ready_notification (self, kept);
}

static void
wait_for_pending (CdAnnotationPage *self)
{
  CdAnnotation *latest = get_latest (self);

  if (self->waiting || latest == NULL || self->client == NULL ||
      cd_annotation_get_state (latest) != CD_ANNOTATION_STATE_PENDING)
    return;

  self->waiting = TRUE;
  cd_client_wait_for_annotation_async (self->client, cd_annotation_get_id (latest), self->cancellable,
                                       wait_cb, self);
}

static void
annotations_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CdAnnotationPage *self;
  g_autoptr(GPtrArray) annotations = NULL;
  g_autoptr(CdQuota) quota = NULL;
  g_autoptr(GError) error = NULL;

  annotations = cd_client_list_annotations_finish (CD_CLIENT (source_object), result, &quota, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CD_ANNOTATION_PAGE (user_data);
  self->n_busy--;
  if (annotations == NULL)
    {
      update_state (self);
      emit_error (self, error);
      return;
    }

  g_clear_pointer (&self->annotations, g_ptr_array_unref);
  self->annotations = g_steal_pointer (&annotations);
  g_set_object (&self->quota, quota);
  if (self->annotations->len > 0)
    share_with_certificate (self, g_ptr_array_index (self->annotations, 0));
  update_state (self);
  wait_for_pending (self);
}

static void
apply_cb (GObject      *source_object,
          GAsyncResult *result,
          gpointer      user_data)
{
  CdAnnotationPage *self;
  g_autoptr(CdAnnotation) annotation = NULL;
  g_autoptr(CdQuota) quota = NULL;
  g_autoptr(GError) error = NULL;
  CdAnnotation *kept;

  annotation = cd_client_apply_finish (CD_CLIENT (source_object), result, &quota, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CD_ANNOTATION_PAGE (user_data);
  self->n_busy--;
  if (annotation == NULL)
    {
      update_state (self);
      emit_error (self, error);
      return;
    }

  if (quota != NULL)
    g_set_object (&self->quota, quota);
  kept = take_annotation (self, annotation);
  share_with_certificate (self, kept);
  update_state (self);
  wait_for_pending (self);
}

static void
apply_dialog_response_cb (CdApplyDialog *dialog,
                          int            response_id,
                          gpointer       user_data)
{
  CdAnnotationPage *self = CD_ANNOTATION_PAGE (user_data);
  g_autofree char *scenario = g_strdup (cd_apply_dialog_get_scenario (dialog));
  int days = cd_apply_dialog_get_validity_days (dialog);

  gtk_widget_destroy (GTK_WIDGET (dialog));
  if (response_id != GTK_RESPONSE_APPLY || self->certificate == NULL || self->client == NULL)
    return;

  self->n_busy++;
  update_state (self);
  cd_client_apply_async (self->client, cd_certificate_get_id (self->certificate), scenario, days,
                         self->cancellable, apply_cb, self);
}

static void
apply_button_clicked_cb (CdAnnotationPage *self)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  GtkWidget *dialog;

  dialog = cd_apply_dialog_new (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL);
  g_signal_connect_object (dialog, "response", G_CALLBACK (apply_dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
view_button_clicked_cb (CdAnnotationPage *self)
{
  CdAnnotation *latest = get_latest (self);

  if (self->certificate != NULL && latest != NULL)
    g_signal_emit (self, signals[SIGNAL_VIEW_ANNOTATION], 0, self->certificate, latest);
}

static void
cd_annotation_page_dispose (GObject *object)
{
  CdAnnotationPage *self = CD_ANNOTATION_PAGE (object);

  g_clear_handle_id (&self->lapse_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->annotations, g_ptr_array_unref);
  g_clear_object (&self->quota);
  g_clear_object (&self->certificate);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (cd_annotation_page_parent_class)->dispose (object);
}

static void
cd_annotation_page_class_init (CdAnnotationPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cd_annotation_page_dispose;

  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_VIEW_ANNOTATION] =
    g_signal_new ("view-annotation", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, CD_TYPE_CERTIFICATE, CD_TYPE_ANNOTATION);

  g_type_ensure (CD_TYPE_SPINNER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/certdesk/CertDesk/ui/cd-annotation-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CdAnnotationPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, CdAnnotationPage, details_grid);
  gtk_widget_class_bind_template_child (widget_class, CdAnnotationPage, state_spinner);
  gtk_widget_class_bind_template_child (widget_class, CdAnnotationPage, state_label);
  gtk_widget_class_bind_template_child (widget_class, CdAnnotationPage, quota_label);
  gtk_widget_class_bind_template_child (widget_class, CdAnnotationPage, apply_button);
  gtk_widget_class_bind_template_child (widget_class, CdAnnotationPage, view_button);
  gtk_widget_class_bind_template_child (widget_class, CdAnnotationPage, reason_label);
  gtk_widget_class_bind_template_child (widget_class, CdAnnotationPage, history_list);
  gtk_widget_class_bind_template_child (widget_class, CdAnnotationPage, history_empty_label);
  gtk_widget_class_bind_template_callback (widget_class, apply_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, view_button_clicked_cb);
}

static void
cd_annotation_page_init (CdAnnotationPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  update_state (self);
}

GtkWidget *
cd_annotation_page_new (void)
{
  return g_object_new (CD_TYPE_ANNOTATION_PAGE, NULL);
}

void
cd_annotation_page_set_certificate (CdAnnotationPage *self,
                                    CdClient         *client,
                                    CdCertificate    *certificate)
{
  g_return_if_fail (CD_IS_ANNOTATION_PAGE (self));
  g_return_if_fail (client == NULL || CD_IS_CLIENT (client));
  g_return_if_fail (certificate == NULL || CD_IS_CERTIFICATE (certificate));

  /* Whatever ran for the last certificate stops. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->n_busy = 0;
  self->waiting = FALSE;

  g_set_object (&self->client, client);
  g_set_object (&self->certificate, certificate);
  g_clear_pointer (&self->annotations, g_ptr_array_unref);
  g_clear_object (&self->quota);
  update_details (self);
  update_state (self);

  if (certificate == NULL || client == NULL)
    return;

  self->n_busy++;
  update_state (self);
  cd_client_list_annotations_async (client, cd_certificate_get_id (certificate), self->cancellable,
                                    annotations_cb, self);
}

CdCertificate *
cd_annotation_page_get_certificate (CdAnnotationPage *self)
{
  g_return_val_if_fail (CD_IS_ANNOTATION_PAGE (self), NULL);

  return self->certificate;
}

gboolean
cd_annotation_page_get_busy (CdAnnotationPage *self)
{
  g_return_val_if_fail (CD_IS_ANNOTATION_PAGE (self), FALSE);

  return self->n_busy > 0;
}

char *
cd_annotation_page_quota_label (CdQuota *quota)
{
  g_autofree char *next = NULL;
  int used, limit, days;

  g_return_val_if_fail (CD_IS_QUOTA (quota), NULL);

  used = cd_quota_get_used (quota);
  limit = cd_quota_get_limit (quota);
  days = cd_quota_get_window_days (quota);
  if (cd_quota_get_next_slot_at (quota) == 0)
    {
      /* Translators: the annotation quota: %1$d annotations used of %2$d allowed within
       * the last %3$d days. */
      return g_strdup_printf (_("%1$d of %2$d annotations used in the last %3$d days"), used, limit, days);
    }

  next = cd_time_format_local_date (cd_quota_get_next_slot_at (quota));
  /* Translators: the annotation quota: %1$d annotations used of %2$d allowed within the
   * last %3$d days; %4$s is the date the oldest one stops counting, 2027-02-23. */
  return g_strdup_printf (_("%1$d of %2$d annotations used in the last %3$d days; the next one frees on %4$s"),
                          used, limit, days, next);
}
