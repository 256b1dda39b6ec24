/* The application: options, the style, the service to use, the app actions (preferences,
 * About, quit) and, with --demo, the demo service's lifetime. */

#include "config.h"

#include "cd-application.h"

#include "cd-client.h"
#include "cd-demo-service.h"
#include "cd-keyring.h"
#include "cd-preferences-window.h"
#include "cd-window.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <handy.h>

struct _CdApplication
{
  GtkApplication  parent_instance;

  gboolean        demo;
  CdDemoService  *demo_service;
  CdKeyring      *keyring;
  GSettings      *settings;
  GCancellable   *cancellable;
  guint           sigint_id;
  guint           sigterm_id;
};

G_DEFINE_TYPE (CdApplication, cd_application, GTK_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Start a demo service with sample certificates and sign in to it"), NULL },
  { "verbose", 'v', 0, G_OPTION_ARG_NONE, NULL, N_("Print debugging messages"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { NULL }
};

static CdWindow *
get_window (CdApplication *self)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  for (GList *l = windows; l != NULL; l = l->next)
    {
      if (CD_IS_WINDOW (l->data))
        return l->data;
    }

  return NULL;
}

static void
demo_started_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CdDemoService *demo_service = CD_DEMO_SERVICE (source_object);
  CdApplication *self;
  CdWindow *window;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdClient) client = NULL;

  if (!cd_demo_service_start_finish (demo_service, result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CD_APPLICATION (user_data);
  window = get_window (self);
  if (window == NULL)
    return;

  if (error == NULL)
    client = cd_client_new (cd_demo_service_get_base_url (demo_service), &error);
  if (client == NULL)
    {
      cd_window_show_error (window, error->message);
      return;
    }

  g_debug ("The demo service listens on %s", cd_demo_service_get_base_url (demo_service));
  /* The demo holder's password stays out of the keyring. */
  cd_window_set_client (window, client);
  cd_window_sign_in (window, CD_DEMO_SERVICE_ID_NUMBER, CD_DEMO_SERVICE_PASSWORD,
                     CD_WINDOW_CREDENTIALS_NONE);
}

static void
start_demo (CdApplication *self,
            CdWindow      *window)
{
  cd_window_show_progress (window, _("Starting the demo service…"));
  self->demo_service = cd_demo_service_new ();
  cd_demo_service_start_async (self->demo_service, self->cancellable, demo_started_cb, self);
}

static void
connect_to_service (CdApplication *self,
                    CdWindow      *window)
{
  const char *env_server = g_getenv ("CERTDESK_SERVER");
  g_autofree char *url = NULL;
  g_autoptr(CdClient) client = NULL;
  g_autoptr(GError) error = NULL;

  /* CERTDESK_SERVER overrides the preference for one run (scripts, tests). */
  if (env_server != NULL && *env_server != '\0')
    url = g_strdup (env_server);
  else
    url = g_settings_get_string (self->settings, "service-url");

  client = cd_client_new (url, &error);
  if (client == NULL)
    {
      cd_window_show_error (window, error->message);
      return;
    }

  cd_window_set_client (window, client);
  cd_window_set_keyring (window, self->keyring);
  cd_window_restore_session (window);
}

static gboolean
quit_signal_cb (gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

static void
quit_activated_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
preferences_activated_cb (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  CdApplication *self = CD_APPLICATION (user_data);
  CdPreferencesWindow *preferences = cd_preferences_window_new (self->settings);

  gtk_window_set_transient_for (GTK_WINDOW (preferences),
                                gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
about_activated_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  CdApplication *self = CD_APPLICATION (user_data);
  GtkWidget *about = gtk_about_dialog_new ();

  g_object_set (about,
                "program-name", "CertDesk",
                "version", PACKAGE_VERSION,
                "logo-icon-name", APPLICATION_ID,
                "comments", _("Apply for annotations of your electronic certificates, and "
                              "download, check and print them"),
                "website", "https://github.com/certdesk/certdesk",
                "license-type", GTK_LICENSE_GPL_3_0,
                /* Translators: your names, one per line, shown in the About dialog's credits. */
                "translator-credits", _("translator-credits"),
                "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                "modal", TRUE,
                "destroy-with-parent", TRUE,
                NULL);
  g_signal_connect (about, "response", G_CALLBACK (gtk_widget_destroy), NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "preferences", preferences_activated_cb, NULL, NULL, NULL },
  { "about", about_activated_cb, NULL, NULL, NULL },
  { "quit", quit_activated_cb, NULL, NULL, NULL },
};

static int
cd_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  CdApplication *self = CD_APPLICATION (application);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("certdesk %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_contains (options, "verbose"))
    g_log_set_debug_enabled (TRUE);

  /* A demo runs its own service, beside any running instance. */
  if (g_variant_dict_contains (options, "demo"))
    {
      self->demo = TRUE;
      g_application_set_flags (application,
                               g_application_get_flags (application) | G_APPLICATION_NON_UNIQUE);
    }

  return -1;
}

static void
cd_application_startup (GApplication *application)
{
  CdApplication *self = CD_APPLICATION (application);
  const char *preferences_accels[] = { "<Primary>comma", NULL };
  const char *quit_accels[] = { "<Primary>q", NULL };
  const char *refresh_accels[] = { "F5", "<Primary>r", NULL };
  const char *open_accels[] = { "<Primary>o", NULL };
  const char *save_copy_accels[] = { "<Primary>s", NULL };

  G_APPLICATION_CLASS (cd_application_parent_class)->startup (application);

  self->settings = g_settings_new (APPLICATION_ID);

  hdy_init ();
  /* The dark style follows the system's preference. */
  hdy_style_manager_set_color_scheme (hdy_style_manager_get_default (), HDY_COLOR_SCHEME_PREFER_LIGHT);
  gtk_window_set_default_icon_name (APPLICATION_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.refresh", refresh_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.open", open_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.save-copy", save_copy_accels);

  /* Quitting by signal still stops the demo service. */
  self->sigint_id = g_unix_signal_add (SIGINT, quit_signal_cb, self);
  self->sigterm_id = g_unix_signal_add (SIGTERM, quit_signal_cb, self);
}

static void
cd_application_activate (GApplication *application)
{
  CdApplication *self = CD_APPLICATION (application);
  CdWindow *window = get_window (self);

  if (window != NULL)
    {
      gtk_window_present (GTK_WINDOW (window));
      return;
    }

  /* The first page is chosen before the window shows, so that none flashes by. */
  window = cd_window_new (GTK_APPLICATION (self));
  if (self->demo)
    start_demo (self, window);
  else
    connect_to_service (self, window);
  gtk_window_present (GTK_WINDOW (window));
}

/* `certdesk FILE.pdf`, or a file manager's "Open With": the first file is previewed. */
static void
cd_application_open (GApplication  *application,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  CdWindow *window;

  g_application_activate (application);
  window = get_window (CD_APPLICATION (application));
  if (window != NULL && n_files > 0)
    cd_window_open_file (window, files[0]);
}

static void
cd_application_shutdown (GApplication *application)
{
  CdApplication *self = CD_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);
  if (self->demo_service != NULL)
    cd_demo_service_stop (self->demo_service);
  g_clear_handle_id (&self->sigint_id, g_source_remove);
  g_clear_handle_id (&self->sigterm_id, g_source_remove);

  G_APPLICATION_CLASS (cd_application_parent_class)->shutdown (application);
}

static void
cd_application_dispose (GObject *object)
{
  CdApplication *self = CD_APPLICATION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->demo_service != NULL)
    cd_demo_service_stop (self->demo_service);
  g_clear_object (&self->demo_service);
  g_clear_object (&self->keyring);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cd_application_parent_class)->dispose (object);
}

static void
cd_application_class_init (CdApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = cd_application_dispose;
  application_class->handle_local_options = cd_application_handle_local_options;
  application_class->startup = cd_application_startup;
  application_class->activate = cd_application_activate;
  application_class->open = cd_application_open;
  application_class->shutdown = cd_application_shutdown;
}

static void
cd_application_init (CdApplication *self)
{
  self->cancellable = g_cancellable_new ();
  self->keyring = cd_keyring_new ();
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  /* Translators: in "Usage: certdesk [OPTION…] [FILE.pdf]" */
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE.pdf]"));
}

CdApplication *
cd_application_new (void)
{
  return g_object_new (CD_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "resource-base-path", "/io/github/certdesk/CertDesk",
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       NULL);
}
