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
  g_autoptr(GSettingsSchema) schema = NULL;
  GSettingsSchemaSource *source;
  const char *localedir = g_getenv ("CERTDESK_LOCALEDIR");

  /* CERTDESK_LOCALEDIR points an uninstalled build at its own catalogues. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Without its schema GSettings would abort with a message about a "schema" that says
   * nothing to whoever started a freshly built copy. */
  source = g_settings_schema_source_get_default ();
  schema = source != NULL ? g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE) : NULL;
  if (schema == NULL)
    {
      g_printerr (_("certdesk: the settings schema %s is not installed; run an uninstalled build with “meson devenv -C BUILDDIR certdesk”\n"),
                  APPLICATION_ID);
      return 1;
    }

  application = cd_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}
