/* The dialog of "Apply for Annotation": the scenario and the validity in days, with the
 * resulting end date. */

#include "config.h"

#include "cd-apply-dialog.h"

#include "cd-api-enums.h"
#include "cd-time.h"

#include <glib/gi18n.h>

#define MIN_DAYS 1
#define MAX_DAYS 90

struct _CdApplyDialog
{
  GtkDialog       parent_instance;

  /* Template widgets */
  GtkComboBoxText *scenario_combo; /* (unowned) */
  GtkSpinButton   *days_spin;      /* (unowned) */
  GtkLabel        *end_date_label; /* (unowned) */
};

G_DEFINE_TYPE (CdApplyDialog, cd_apply_dialog, GTK_TYPE_DIALOG)

static void
update_end_date (CdApplyDialog *self)
{
  g_autofree char *date = cd_apply_dialog_format_end_date (cd_apply_dialog_get_validity_days (self));
  g_autofree char *text = NULL;

  /* Translators: in the dialog of applying for an annotation; %s is a date, 2027-02-23. */
  text = g_strdup_printf (_("Valid until %s"), date);
  gtk_label_set_text (self->end_date_label, text);
}

static void
days_spin_value_changed_cb (CdApplyDialog *self)
{
  update_end_date (self);
}

static void
cd_apply_dialog_class_init (CdApplyDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/certdesk/CertDesk/ui/cd-apply-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CdApplyDialog, scenario_combo);
  gtk_widget_class_bind_template_child (widget_class, CdApplyDialog, days_spin);
  gtk_widget_class_bind_template_child (widget_class, CdApplyDialog, end_date_label);
  gtk_widget_class_bind_template_callback (widget_class, days_spin_value_changed_cb);
}

static void
cd_apply_dialog_init (CdApplyDialog *self)
{
  GtkWidget *apply_button;

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_combo_box_text_append (self->scenario_combo, cd_scenario_to_string (CD_SCENARIO_SELF_USE),
                             _("Self use"));
  gtk_combo_box_set_active (GTK_COMBO_BOX (self->scenario_combo), 0);
  gtk_spin_button_set_range (self->days_spin, MIN_DAYS, MAX_DAYS);
  gtk_spin_button_set_increments (self->days_spin, 1, 10);
  gtk_spin_button_set_value (self->days_spin, MAX_DAYS);

  gtk_dialog_add_button (GTK_DIALOG (self), _("_Cancel"), GTK_RESPONSE_CANCEL);
  apply_button = gtk_dialog_add_button (GTK_DIALOG (self), _("_Apply"), GTK_RESPONSE_APPLY);
  gtk_style_context_add_class (gtk_widget_get_style_context (apply_button), "suggested-action");
  gtk_dialog_set_default_response (GTK_DIALOG (self), GTK_RESPONSE_APPLY);
  update_end_date (self);
}

GtkWidget *
cd_apply_dialog_new (GtkWindow *parent)
{
  return g_object_new (CD_TYPE_APPLY_DIALOG,
                       "use-header-bar", TRUE,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
}

const char *
cd_apply_dialog_get_scenario (CdApplyDialog *self)
{
  g_return_val_if_fail (CD_IS_APPLY_DIALOG (self), NULL);

  return gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->scenario_combo));
}

int
cd_apply_dialog_get_validity_days (CdApplyDialog *self)
{
  g_return_val_if_fail (CD_IS_APPLY_DIALOG (self), 0);

  return gtk_spin_button_get_value_as_int (self->days_spin);
}

void
cd_apply_dialog_set_validity_days (CdApplyDialog *self,
                                   int            days)
{
  g_return_if_fail (CD_IS_APPLY_DIALOG (self));

  gtk_spin_button_set_value (self->days_spin, CLAMP (days, MIN_DAYS, MAX_DAYS));
}

char *
cd_apply_dialog_format_end_date (int days)
{
  return cd_time_format_local_date (cd_time_now () + (gint64) days * 24 * 60 * 60);
}
