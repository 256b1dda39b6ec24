#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CD_TYPE_APPLY_DIALOG (cd_apply_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CdApplyDialog, cd_apply_dialog, CD, APPLY_DIALOG, GtkDialog)

/* Asks for the scenario and the validity of a new annotation; responds
 * GTK_RESPONSE_APPLY or GTK_RESPONSE_CANCEL. */
GtkWidget  *cd_apply_dialog_new                 (GtkWindow     *parent);
/* The wire string of the chosen scenario, "self_use". */
const char *cd_apply_dialog_get_scenario        (CdApplyDialog *self);
int         cd_apply_dialog_get_validity_days   (CdApplyDialog *self);
void        cd_apply_dialog_set_validity_days   (CdApplyDialog *self,
                                                 int            days);
/* The last valid day of an annotation of @days from today, as a local date. */
char       *cd_apply_dialog_format_end_date     (int            days);

G_END_DECLS
