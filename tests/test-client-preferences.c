/* The preferences window, the About dialog and the keyboard shortcuts window, driven
 * in-process on a private X server and bus (tests/ui-session.sh). Each step saves a
 * screenshot of the window it checks into $CERTDESK_SCREENSHOT_DIR. */

#include "config.h"

#include "cd-application.h"
#include "cd-client.h"
#include "cd-preferences-window.h"
#include "cd-test-ui.h"
#include "cd-window.h"

#include <glib/gi18n.h>
#include <handy.h>

/* Widgets */

static gpointer
preferences_child (CdPreferencesWindow *window,
                   const char          *name)
{
  return cd_test_ui_template_child (window, CD_TYPE_PREFERENCES_WINDOW, name);
}

static HdyPreferencesRow *
row_of (GtkWidget *widget)
{
  GtkWidget *row = gtk_widget_get_ancestor (widget, HDY_TYPE_PREFERENCES_ROW);

  g_assert_nonnull (row);
  return HDY_PREFERENCES_ROW (row);
}

/* The one visible toplevel of @type, or NULL. */
static gpointer
find_toplevel (GType type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();
  gpointer found = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
        {
          g_assert_null (found);
          found = l->data;
        }
    }

  return found;
}

typedef struct
{
  GType     type;
  gpointer  window;
} ToplevelWait;

static gboolean
toplevel_is_shown (gpointer data)
{
  ToplevelWait *wait = data;

  wait->window = find_toplevel (wait->type);
  return wait->window != NULL && gtk_widget_get_mapped (wait->window);
}

static gpointer
wait_for_toplevel (GType type)
{
  ToplevelWait wait = { type, NULL };
  g_autofree char *what = g_strdup_printf ("a window of type %s", g_type_name (type));

  cd_test_ui_wait_for (toplevel_is_shown, &wait, what, NULL);
  return wait.window;
}

static GSettings *
new_settings (void)
{
  GSettings *settings = g_settings_new (APPLICATION_ID);

  /* The memory backend lives as long as the process: every test starts from known values. */
  g_settings_set_string (settings, "service-url", "https://certs.example.cn");
  g_settings_set_uint (settings, "reminder-days", 10);
  return settings;
}

static CdPreferencesWindow *
show_preferences (GSettings *settings)
{
  CdPreferencesWindow *window = cd_preferences_window_new (settings);

  gtk_window_present (GTK_WINDOW (window));
  cd_test_ui_wait_for (cd_test_ui_is_mapped, window, "the preferences window", NULL);
  return window;
}

static void
type_service_url (CdPreferencesWindow *window,
                  const char          *url)
{
  gtk_entry_set_text (preferences_child (window, "service_entry"), url);
  cd_test_ui_iterate ();
}

static gboolean
entry_has_error (CdPreferencesWindow *window)
{
  GtkWidget *entry = preferences_child (window, "service_entry");

  return gtk_style_context_has_class (gtk_widget_get_style_context (entry), GTK_STYLE_CLASS_ERROR);
}

static char *
dup_service_url (GSettings *settings)
{
  return g_settings_get_string (settings, "service-url");
}

/* Only the core's own words can say what is wrong with an address. */
static char *
core_problem (const char *url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdClient) client = cd_client_new (url, &error);

  g_assert_null (client);
  return g_strdup (error->message);
}

/* Preferences */

static void
test_shows_settings (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  CdPreferencesWindow *window = show_preferences (settings);
  GtkWidget *problem = preferences_child (window, "service_problem_label");
  GtkWidget *entry = preferences_child (window, "service_entry");
  GtkWidget *spin = preferences_child (window, "reminder_spin");

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, _("Preferences"));
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (entry)), ==, "https://certs.example.cn");
  g_assert_false (gtk_widget_get_visible (problem));
  g_assert_false (entry_has_error (window));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==, 10);
  g_assert_cmpstr (hdy_preferences_row_get_title (row_of (entry)), ==, _("Service _address"));
  g_assert_cmpstr (hdy_preferences_row_get_title (row_of (spin)), ==,
                   _("_Days of warning before an annotation lapses"));
  if (cd_test_ui_expects_chinese ())
    {
      g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "首选项");
      g_assert_cmpstr (hdy_preferences_row_get_title (row_of (entry)), ==, "服务地址(_A)");
    }

  /* Everything takes the keyboard focus and has a name. */
  g_assert_true (gtk_widget_get_can_focus (entry));
  g_assert_true (gtk_widget_get_can_focus (spin));
  g_assert_cmpstr (atk_object_get_name (gtk_widget_get_accessible (entry)), ==, _("Service address"));
  g_assert_cmpstr (atk_object_get_name (gtk_widget_get_accessible (spin)), ==,
                   _("Days of warning before an annotation lapses"));
  cd_test_ui_assert_accessible_names (window, NULL);
  cd_test_ui_save_screenshot (window, "current");

  gtk_widget_destroy (GTK_WIDGET (window));
  cd_test_ui_iterate ();
}

static void
test_service_url (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  CdPreferencesWindow *window = show_preferences (settings);
  GtkLabel *problem = preferences_child (window, "service_problem_label");
  GtkWidget *entry = preferences_child (window, "service_entry");
  g_autofree char *insecure = core_problem ("http://example.com");
  g_autofree char *malformed = core_problem ("cert service");
  g_autofree char *url = NULL;

  /* Plain http to another computer: the core's error under the entry, nothing saved. */
  type_service_url (window, "http://example.com");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (problem)));
  g_assert_cmpstr (gtk_label_get_text (problem), ==, insecure);
  g_assert_true (entry_has_error (window));
  g_assert_cmpstr (atk_object_get_description (gtk_widget_get_accessible (entry)), ==, insecure);
  g_signal_emit_by_name (entry, "activate");
  cd_test_ui_iterate ();
  url = dup_service_url (settings);
  g_assert_cmpstr (url, ==, "https://certs.example.cn");
  g_clear_pointer (&url, g_free);
  cd_test_ui_assert_accessible_names (window, NULL);
  cd_test_ui_save_screenshot (window, "insecure");

  type_service_url (window, "cert service");
  g_assert_cmpstr (gtk_label_get_text (problem), ==, malformed);
  g_assert_true (entry_has_error (window));

  /* http to this computer is fine, as the core allows it. */
  type_service_url (window, "http://127.0.0.1:8088");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (problem)));
  g_assert_false (entry_has_error (window));

  /* A valid https address is saved on Enter, as the core would use it. */
  type_service_url (window, " https://cert.example.org/ ");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (problem)));
  g_assert_false (entry_has_error (window));
  g_assert_cmpstr (atk_object_get_description (gtk_widget_get_accessible (entry)), ==, "");
  url = dup_service_url (settings);
  g_assert_cmpstr (url, ==, "https://certs.example.cn");
  g_clear_pointer (&url, g_free);
  g_signal_emit_by_name (entry, "activate");
  cd_test_ui_iterate ();
  url = dup_service_url (settings);
  g_assert_cmpstr (url, ==, "https://cert.example.org");
  g_clear_pointer (&url, g_free);
  cd_test_ui_save_screenshot (window, "valid");

  /* An invalid address left in the entry is not saved when the window closes. */
  type_service_url (window, "http://example.com");
  gtk_window_close (GTK_WINDOW (window));
  cd_test_ui_iterate ();
  url = dup_service_url (settings);
  g_assert_cmpstr (url, ==, "https://cert.example.org");
  g_clear_pointer (&url, g_free);

  /* A valid one typed without Enter is saved when the window closes. */
  window = show_preferences (settings);
  g_assert_cmpstr (gtk_entry_get_text (preferences_child (window, "service_entry")), ==,
                   "https://cert.example.org");
  type_service_url (window, "https://other.example.org");
  gtk_window_close (GTK_WINDOW (window));
  cd_test_ui_iterate ();
  url = dup_service_url (settings);
  g_assert_cmpstr (url, ==, "https://other.example.org");
}

static void
test_reminder_days (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  CdPreferencesWindow *window = show_preferences (settings);
  GtkSpinButton *spin = preferences_child (window, "reminder_spin");

  gtk_spin_button_set_value (spin, 21);
  cd_test_ui_iterate ();
  g_assert_cmpuint (g_settings_get_uint (settings, "reminder-days"), ==, 21);

  /* The keyboard's Up and Down (the spin button's key bindings), within 0–30. */
  g_signal_emit_by_name (spin, "change-value", GTK_SCROLL_STEP_UP);
  cd_test_ui_iterate ();
  g_assert_cmpuint (g_settings_get_uint (settings, "reminder-days"), ==, 22);
  gtk_spin_button_set_value (spin, 30);
  g_signal_emit_by_name (spin, "change-value", GTK_SCROLL_STEP_UP);
  cd_test_ui_iterate ();
  g_assert_cmpuint (g_settings_get_uint (settings, "reminder-days"), ==, 30);
  gtk_spin_button_set_value (spin, 0);
  g_signal_emit_by_name (spin, "change-value", GTK_SCROLL_STEP_DOWN);
  cd_test_ui_iterate ();
  g_assert_cmpuint (g_settings_get_uint (settings, "reminder-days"), ==, 0);

  /* And the other way round. */
  g_settings_set_uint (settings, "reminder-days", 3);
  cd_test_ui_iterate ();
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 3);
  cd_test_ui_save_screenshot (window, "three-days");

  gtk_widget_destroy (GTK_WIDGET (window));
  cd_test_ui_iterate ();
}

/* The application's actions */

static void
destroy_toplevel (GType type)
{
  gpointer window = find_toplevel (type);

  g_assert_nonnull (window);
  gtk_widget_destroy (window);
  cd_test_ui_iterate ();
  g_assert_null (find_toplevel (type));
}

static void
test_app_actions (void)
{
  g_autoptr(CdApplication) app = cd_application_new ();
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) accels = NULL;
  g_auto(GStrv) actions = NULL;
  g_autofree char *about_title = NULL;
  CdWindow *window;
  CdPreferencesWindow *preferences;
  GtkAboutDialog *about;
  GtkWindow *shortcuts;

  /* Registering runs startup: the actions, their keys and the help overlay. */
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  window = cd_window_new (GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (window));
  cd_test_ui_wait_for (cd_test_ui_is_mapped, window, "the main window", NULL);

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.preferences");
  g_assert_cmpstrv (accels, ((const char *[]) { "<Primary>comma", NULL }));
  actions = gtk_application_get_actions_for_accel (GTK_APPLICATION (app), "<Primary>question");
  g_assert_true (g_strv_contains ((const char * const *) actions, "win.show-help-overlay"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "about"));

  /* Ctrl+comma: the preferences, on the app's settings, over the main window. */
  cd_test_ui_press_key (window, GDK_KEY_comma, GDK_CONTROL_MASK);
  preferences = wait_for_toplevel (CD_TYPE_PREFERENCES_WINDOW);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (preferences)) == GTK_WINDOW (window));
  g_assert_cmpstr (gtk_entry_get_text (preferences_child (preferences, "service_entry")), ==,
                   "https://certs.example.cn");
  cd_test_ui_save_screenshot (preferences, "preferences");
  destroy_toplevel (CD_TYPE_PREFERENCES_WINDOW);

  /* app.about */
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = wait_for_toplevel (GTK_TYPE_ABOUT_DIALOG);
  about_title = g_strdup_printf (g_dgettext ("gtk30", "About %s"), "CertDesk");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (about)), ==, about_title);
  if (cd_test_ui_expects_chinese ())
    g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (about)), ==, "关于 CertDesk");
  g_assert_cmpstr (gtk_about_dialog_get_program_name (about), ==, "CertDesk");
  g_assert_cmpstr (gtk_about_dialog_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpstr (gtk_about_dialog_get_logo_icon_name (about), ==, APPLICATION_ID);
  g_assert_cmpint (gtk_about_dialog_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  g_assert_cmpstr (gtk_about_dialog_get_comments (about), !=, "");
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (window));
  if (cd_test_ui_expects_chinese ())
    g_assert_cmpstr (gtk_about_dialog_get_translator_credits (about), !=, "translator-credits");
  cd_test_ui_save_screenshot (about, "about");
  /* Its Close button answers, and the dialog goes. */
  gtk_dialog_response (GTK_DIALOG (about), GTK_RESPONSE_DELETE_EVENT);
  cd_test_ui_iterate ();
  g_assert_null (find_toplevel (GTK_TYPE_ABOUT_DIALOG));

  /* Ctrl+?: GtkApplication found RESOURCE_BASE_PATH/gtk/help-overlay.ui by itself. */
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  cd_test_ui_press_key (window, GDK_KEY_question, GDK_CONTROL_MASK);
  shortcuts = wait_for_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_cmpstr (gtk_window_get_title (shortcuts), ==, _("Keyboard Shortcuts"));
  if (cd_test_ui_expects_chinese ())
    g_assert_cmpstr (gtk_window_get_title (shortcuts), ==, "键盘快捷键");
  cd_test_ui_save_screenshot (shortcuts, "shortcuts");
  gtk_widget_hide (GTK_WIDGET (shortcuts));

  gtk_widget_destroy (GTK_WIDGET (window));
  cd_test_ui_iterate ();
}

static void
check_chinese (void)
{
  g_assert_cmpstr (_("Preferences"), ==, "首选项");
}

int
main (int   argc,
      char *argv[])
{
  cd_test_ui_init (&argc, &argv, check_chinese);

  g_test_add_func ("/certdesk/client-preferences/shows-settings", test_shows_settings);
  g_test_add_func ("/certdesk/client-preferences/service-url", test_service_url);
  g_test_add_func ("/certdesk/client-preferences/reminder-days", test_reminder_days);
  g_test_add_func ("/certdesk/client-preferences/app-actions", test_app_actions);

  return g_test_run ();
}
