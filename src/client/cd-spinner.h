#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CD_TYPE_SPINNER (cd_spinner_get_type ())
G_DECLARE_FINAL_TYPE (CdSpinner, cd_spinner, CD, SPINNER, GtkWidget)

/* A spinner drawn with cairo in the text colour. GtkSpinner draws the theme's
 * process-working-symbolic icon, which Adwaita ships as SVG only: the first spinner on
 * screen loads librsvg and libxml2 into the process (6-7 MB resident) for one icon. */
GtkWidget *cd_spinner_new        (void);
void       cd_spinner_start      (CdSpinner *self);
void       cd_spinner_stop       (CdSpinner *self);
gboolean   cd_spinner_get_active (CdSpinner *self);

G_END_DECLS
