/* The preferences window, the About dialog and the keyboard shortcuts window, driven
 * in-process on a private X server and bus (tests/ui-session.sh). Each step saves a
 * screenshot of the window it checks into $CERTDESK_SCREENSHOT_DIR. */

#include "config.h"

#include "cd-application.h"
#include "cd-client.h"
#include "cd-preferences-window.h"
#include "cd-window.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <handy.h>
#include <locale.h>

#define WAIT_SECONDS 30.0

static const char *screenshot_dir;
static gboolean expect_chinese;

/* Running the main loop */

typedef gboolean (*Condition) (gpointer data);

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
wait_for_at (const char *file,
             int         line,
             Condition   condition,
             gpointer    data,
             const char *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (WAIT_SECONDS * G_USEC_PER_SEC);

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("%s:%d: timed out after %.0f s waiting for %s", file, line, WAIT_SECONDS, what);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  iterate ();
}

#define wait_for(condition, data, what) \
  wait_for_at (__FILE__, __LINE__, (condition), (data), (what))

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

static gboolean
count_frame_cb (GtkWidget     *widget,
                GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  guint *frames = user_data;

  (*frames)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
two_frames_passed (gpointer data)
{
  guint *frames = data;

  return *frames >= 2;
}

/* Waits until the window has been laid out and painted since the last change. */
static void
wait_for_frame (GtkWidget *window)
{
  guint frames = 0;
  guint id;

  wait_for (is_mapped, window, "the window to be mapped");
  id = gtk_widget_add_tick_callback (window, count_frame_cb, &frames, NULL);
  gtk_widget_queue_draw (window);
  wait_for (two_frames_passed, &frames, "two frames");
  gtk_widget_remove_tick_callback (window, id);
}

/* Screenshots: the window drawn into an image, as it is on screen (as in test-client-ui.c). */
static void
save_screenshot (gpointer    window,
                 const char *name)
{
  static guint counter;
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  const char *test_name = g_test_get_path ();
  g_autofree char *test_part = g_path_get_basename (test_name != NULL && *test_name != '\0' ? test_name : "test");

  wait_for_frame (window);
  /* Whatever changed size since that frame is laid out first: drawing needs it. */
  gtk_container_check_resize (GTK_CONTAINER (window));
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, gtk_widget_get_allocated_width (GTK_WIDGET (window)),
                                        gtk_widget_get_allocated_height (GTK_WIDGET (window)));
  cr = cairo_create (surface);
  gtk_widget_draw (GTK_WIDGET (window), cr);
  cairo_destroy (cr);

  file_name = g_strdup_printf ("%02u-%s-%s.png", ++counter, test_part, name);
  path = g_build_filename (screenshot_dir, file_name, NULL);
  status = cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);
  g_assert_cmpint (status, ==, CAIRO_STATUS_SUCCESS);
  g_test_message ("screenshot: %s", path);
}

/* Only this run's pictures stay in the directory. */
static void
remove_old_screenshots (void)
{
  g_autoptr(GDir) dir = g_dir_open (screenshot_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_suffix (name, ".png"))
        {
          g_autofree char *path = g_build_filename (screenshot_dir, name, NULL);

          g_unlink (path);
        }
    }
}

/* Accessibility: every control that is on screen and takes the focus has a name. */
static void
collect_unnamed (GtkWidget *widget,
                 gpointer   user_data)
{
  GString *unnamed = user_data;

  if (!gtk_widget_get_mapped (widget))
    return;

  if ((GTK_IS_BUTTON (widget) || GTK_IS_ENTRY (widget) || GTK_IS_LIST_BOX_ROW (widget)) &&
      gtk_widget_get_can_focus (widget))
    {
      const char *name = atk_object_get_name (gtk_widget_get_accessible (widget));

      if (name == NULL || *name == '\0')
        g_string_append_printf (unnamed, " %s(%s)", G_OBJECT_TYPE_NAME (widget),
                                gtk_buildable_get_name (GTK_BUILDABLE (widget)));
    }

  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), collect_unnamed, unnamed);
}

static void
assert_accessible_names (gpointer window)
{
  g_autoptr(GString) unnamed = g_string_new (NULL);

  gtk_container_forall (GTK_CONTAINER (window), collect_unnamed, unnamed);
  if (unnamed->len > 0)
    g_error ("controls without an accessible name in “%s”:%s", gtk_window_get_title (window), unnamed->str);
}

/* Keys as the X server would deliver them, so that accelerators match by keycode. */
static void
send_key (GtkWidget       *window,
          guint            keyval,
          GdkModifierType  state)
{
  GdkEvent *event = gdk_event_new (GDK_KEY_PRESS);
  g_autofree GdkKeymapKey *keys = NULL;
  int n_keys = 0;

  g_assert_true (gdk_keymap_get_entries_for_keyval (gdk_keymap_get_for_display (gdk_display_get_default ()),
                                                    keyval, &keys, &n_keys));
  event->key.window = g_object_ref (gtk_widget_get_window (window));
  event->key.send_event = TRUE;
  event->key.time = GDK_CURRENT_TIME;
  event->key.state = state | (keys[0].level == 1 ? GDK_SHIFT_MASK : 0);
  event->key.keyval = keyval;
  event->key.hardware_keycode = keys[0].keycode;
  event->key.group = keys[0].group;
  gdk_event_set_device (event, gdk_seat_get_keyboard (gdk_display_get_default_seat (gdk_display_get_default ())));
  gtk_main_do_event (event);
  gdk_event_free (event);
  iterate ();
}

/* Widgets */

static gpointer
preferences_child (CdPreferencesWindow *window,
                   const char          *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (window), CD_TYPE_PREFERENCES_WINDOW, name);

  g_assert_nonnull (child);
  return child;
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

  wait_for (toplevel_is_shown, &wait, what);
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
  wait_for (is_mapped, window, "the preferences window");
  return window;
}

static void
type_service_url (CdPreferencesWindow *window,
                  const char          *url)
{
  gtk_entry_set_text (preferences_child (window, "service_entry"), url);
  iterate ();
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
  if (expect_chinese)
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
  assert_accessible_names (window);
  save_screenshot (window, "current");

  gtk_widget_destroy (GTK_WIDGET (window));
  iterate ();
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
  iterate ();
  url = dup_service_url (settings);
  g_assert_cmpstr (url, ==, "https://certs.example.cn");
  g_clear_pointer (&url, g_free);
  assert_accessible_names (window);
  save_screenshot (window, "insecure");

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
  iterate ();
  url = dup_service_url (settings);
  g_assert_cmpstr (url, ==, "https://cert.example.org");
  g_clear_pointer (&url, g_free);
  save_screenshot (window, "valid");

  /* An invalid address left in the entry is not saved when the window closes. */
  type_service_url (window, "http://example.com");
  gtk_window_close (GTK_WINDOW (window));
  iterate ();
  url = dup_service_url (settings);
  g_assert_cmpstr (url, ==, "https://cert.example.org");
  g_clear_pointer (&url, g_free);

  /* A valid one typed without Enter is saved when the window closes. */
  window = show_preferences (settings);
  g_assert_cmpstr (gtk_entry_get_text (preferences_child (window, "service_entry")), ==,
                   "https://cert.example.org");
  type_service_url (window, "https://other.example.org");
  gtk_window_close (GTK_WINDOW (window));
  iterate ();
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
  iterate ();
  g_assert_cmpuint (g_settings_get_uint (settings, "reminder-days"), ==, 21);

  /* The keyboard's Up and Down (the spin button's key bindings), within 0–30. */
  g_signal_emit_by_name (spin, "change-value", GTK_SCROLL_STEP_UP);
  iterate ();
  g_assert_cmpuint (g_settings_get_uint (settings, "reminder-days"), ==, 22);
  gtk_spin_button_set_value (spin, 30);
  g_signal_emit_by_name (spin, "change-value", GTK_SCROLL_STEP_UP);
  iterate ();
  g_assert_cmpuint (g_settings_get_uint (settings, "reminder-days"), ==, 30);
  gtk_spin_button_set_value (spin, 0);
  g_signal_emit_by_name (spin, "change-value", GTK_SCROLL_STEP_DOWN);
  iterate ();
  g_assert_cmpuint (g_settings_get_uint (settings, "reminder-days"), ==, 0);

  /* And the other way round. */
  g_settings_set_uint (settings, "reminder-days", 3);
  iterate ();
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 3);
  save_screenshot (window, "three-days");

  gtk_widget_destroy (GTK_WIDGET (window));
  iterate ();
}

/* The application's actions */

static void
destroy_toplevel (GType type)
{
  gpointer window = find_toplevel (type);

  g_assert_nonnull (window);
  gtk_widget_destroy (window);
  iterate ();
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
  wait_for (is_mapped, window, "the main window");

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.preferences");
  g_assert_cmpstrv (accels, ((const char *[]) { "<Primary>comma", NULL }));
  actions = gtk_application_get_actions_for_accel (GTK_APPLICATION (app), "<Primary>question");
  g_assert_true (g_strv_contains ((const char * const *) actions, "win.show-help-overlay"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "about"));

  /* Ctrl+comma: the preferences, on the app's settings, over the main window. */
  send_key (GTK_WIDGET (window), GDK_KEY_comma, GDK_CONTROL_MASK);
  preferences = wait_for_toplevel (CD_TYPE_PREFERENCES_WINDOW);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (preferences)) == GTK_WINDOW (window));
  g_assert_cmpstr (gtk_entry_get_text (preferences_child (preferences, "service_entry")), ==,
                   "https://certs.example.cn");
  save_screenshot (preferences, "preferences");
  destroy_toplevel (CD_TYPE_PREFERENCES_WINDOW);

  /* app.about */
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = wait_for_toplevel (GTK_TYPE_ABOUT_DIALOG);
  about_title = g_strdup_printf (g_dgettext ("gtk30", "About %s"), "CertDesk");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (about)), ==, about_title);
  if (expect_chinese)
    g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (about)), ==, "关于 CertDesk");
  g_assert_cmpstr (gtk_about_dialog_get_program_name (about), ==, "CertDesk");
  g_assert_cmpstr (gtk_about_dialog_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpstr (gtk_about_dialog_get_logo_icon_name (about), ==, APPLICATION_ID);
  g_assert_cmpint (gtk_about_dialog_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  g_assert_cmpstr (gtk_about_dialog_get_comments (about), !=, "");
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (window));
  if (expect_chinese)
    g_assert_cmpstr (gtk_about_dialog_get_translator_credits (about), !=, "translator-credits");
  save_screenshot (about, "about");
  /* Its Close button answers, and the dialog goes. */
  gtk_dialog_response (GTK_DIALOG (about), GTK_RESPONSE_DELETE_EVENT);
  iterate ();
  g_assert_null (find_toplevel (GTK_TYPE_ABOUT_DIALOG));

  /* Ctrl+?: GtkApplication found RESOURCE_BASE_PATH/gtk/help-overlay.ui by itself. */
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  send_key (GTK_WIDGET (window), GDK_KEY_question, GDK_CONTROL_MASK);
  shortcuts = wait_for_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_cmpstr (gtk_window_get_title (shortcuts), ==, _("Keyboard Shortcuts"));
  if (expect_chinese)
    g_assert_cmpstr (gtk_window_get_title (shortcuts), ==, "键盘快捷键");
  save_screenshot (shortcuts, "shortcuts");
  gtk_widget_hide (GTK_WIDGET (shortcuts));

  gtk_widget_destroy (GTK_WIDGET (window));
  iterate ();
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("CERTDESK_LOCALEDIR");
  g_autofree char *default_dir = NULL;
  g_autoptr(GtkCssProvider) provider = NULL;

  /* The app's own locale set-up (src/client/main.c). */
  setlocale (LC_ALL, "");
  if (localedir != NULL && *localedir != '\0')
    bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Not G_TEST_OPTION_ISOLATE_DIRS: ui-session.sh already gives throwaway HOME and XDG
   * dirs, and GTK needs the system's data dirs for its icons. */
  g_test_init (&argc, &argv, NULL);
  gtk_disable_setlocale ();
  if (!gtk_init_check (&argc, &argv))
    {
      g_test_skip ("No display; run under tests/ui-session.sh");
      return 77;
    }
  hdy_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  /* The app's styles, which the main window loads before any preferences window opens. */
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/certdesk/CertDesk/ui/style.css");
  gtk_style_context_add_provider_for_screen (gdk_screen_get_default (), GTK_STYLE_PROVIDER (provider),
                                             GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  screenshot_dir = g_getenv ("CERTDESK_SCREENSHOT_DIR");
  if (screenshot_dir == NULL || *screenshot_dir == '\0')
    {
      default_dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") != NULL ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                      "screenshots", NULL);
      screenshot_dir = default_dir;
    }
  g_assert_cmpint (g_mkdir_with_parents (screenshot_dir, 0755), ==, 0);
  remove_old_screenshots ();

  /* The zh_CN run proves the windows speak Chinese. */
  expect_chinese = g_strcmp0 (g_getenv ("CERTDESK_TEST_EXPECT_LANGUAGE"), "zh_CN") == 0;
  if (expect_chinese)
    g_assert_cmpstr (_("Preferences"), ==, "首选项");

  g_test_add_func ("/certdesk/client-preferences/shows-settings", test_shows_settings);
  g_test_add_func ("/certdesk/client-preferences/service-url", test_service_url);
  g_test_add_func ("/certdesk/client-preferences/reminder-days", test_reminder_days);
  g_test_add_func ("/certdesk/client-preferences/app-actions", test_app_actions);

  return g_test_run ();
}
