/* certdesk: the CertDesk desktop client. */

#include "config.h"

#include "cd-application.h"

#include <glib/gi18n.h>
#include <locale.h>

int
main (int    argc,
      char **argv)
{
  g_autoptr(CdApplication) application = NULL;
  const char *localedir = g_getenv ("CERTDESK_LOCALEDIR");

  /* CERTDESK_LOCALEDIR points an uninstalled build at its own catalogues. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  application = cd_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}
