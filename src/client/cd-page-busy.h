#pragma once

#include <gtk/gtk.h>

#include "cd-spinner.h"

G_BEGIN_DECLS

void  cd_page_busy_set (GtkWidget  *status_box,
                        CdSpinner *spinner,
                        GtkLabel   *status_label,
                        GtkWidget  *form,
                        GtkWidget  *link,
                        const char *message);

G_END_DECLS
