#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CD_TYPE_APPLICATION (cd_application_get_type ())
G_DECLARE_FINAL_TYPE (CdApplication, cd_application, CD, APPLICATION, GtkApplication)

/* `certdesk`: one window on the service of $CERTDESK_SERVER (or http://127.0.0.1:8088);
 * with --demo, on a demo service it runs as a child process. */
CdApplication *cd_application_new (void);

G_END_DECLS
