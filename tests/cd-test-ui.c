/* Support for the UI tests: see cd-test-ui.h. */

#include "config.h"

#include "cd-test-ui.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <handy.h>
#include <locale.h>
#include <stdlib.h>

static char *screenshot_dir;
static gboolean expect_chinese;

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

static gboolean
result_is_set (gpointer data)
{
  GAsyncResult **result = data;

  return *result != NULL;
}

static void
collect_unnamed (GtkWidget *widget,
                 gpointer   user_data)
{
  GString *unnamed = user_data;

  if (!gtk_widget_get_mapped (widget))
    return;

  /* A combo box is one control to a screen reader; its toggle button is not in the
   * accessibility tree. */
  if (GTK_IS_COMBO_BOX (widget))
    {
      const char *name = atk_object_get_name (gtk_widget_get_accessible (widget));

      if (name == NULL || *name == '\0')
        g_string_append_printf (unnamed, " %s(%s)", G_OBJECT_TYPE_NAME (widget),
                                gtk_buildable_get_name (GTK_BUILDABLE (widget)));
      return;
    }

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

void
cd_test_ui_init (int                    *argc,
                 char                 ***argv,
                 CdTestUiLanguageCheck   check_chinese)
{
  const char *localedir = g_getenv ("CERTDESK_LOCALEDIR");
  const char *dir = g_getenv ("CERTDESK_SCREENSHOT_DIR");
  const char *build_dir = g_getenv ("G_TEST_BUILDDIR");
  g_autoptr(GtkCssProvider) provider = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (argc, argv, NULL);
  gtk_disable_setlocale ();
  if (!gtk_init_check (argc, argv))
    {
      g_test_skip ("No display; run under tests/ui-session.sh");
      exit (77);
    }
  hdy_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  /* The app's styles, which CdWindow loads for the whole screen. */
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/certdesk/CertDesk/ui/style.css");
  gtk_style_context_add_provider_for_screen (gdk_screen_get_default (),
                                             GTK_STYLE_PROVIDER (provider),
                                             GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  if (dir != NULL && *dir != '\0')
    screenshot_dir = g_strdup (dir);
  else
    screenshot_dir = g_build_filename (build_dir != NULL ? build_dir : ".", "screenshots", NULL);
  g_assert_cmpint (g_mkdir_with_parents (screenshot_dir, 0755), ==, 0);
  remove_old_screenshots ();

  expect_chinese = g_strcmp0 (g_getenv ("CERTDESK_TEST_EXPECT_LANGUAGE"), "zh_CN") == 0;
  if (expect_chinese && check_chinese != NULL)
    check_chinese ();
}

gboolean
cd_test_ui_expects_chinese (void)
{
  return expect_chinese;
}

void
cd_test_ui_iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

void
cd_test_ui_wait_for_at (const char        *file,
                        int                line,
                        CdTestUiCondition  condition,
                        gpointer           data,
                        const char        *what,
                        gpointer           window)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (CD_TEST_UI_WAIT_SECONDS * G_USEC_PER_SEC);

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        {
          if (window != NULL)
            cd_test_ui_save_screenshot (window, "timeout");
          g_error ("%s:%d: timed out after %.0f s waiting for %s", file, line,
                   CD_TEST_UI_WAIT_SECONDS, what);
        }
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  cd_test_ui_iterate ();
}

GAsyncResult *
cd_test_ui_wait_result (GAsyncResult **result)
{
  cd_test_ui_wait_for (result_is_set, result, "an async call", NULL);
  return g_steal_pointer (result);
}

gboolean
cd_test_ui_is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

void
cd_test_ui_wait_for_frame (gpointer window)
{
  guint frames = 0;
  guint id;

  cd_test_ui_wait_for (cd_test_ui_is_mapped, window, "the window to be mapped", NULL);
  id = gtk_widget_add_tick_callback (GTK_WIDGET (window), count_frame_cb, &frames, NULL);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  cd_test_ui_wait_for (two_frames_passed, &frames, "two frames", NULL);
  gtk_widget_remove_tick_callback (GTK_WIDGET (window), id);
}

void
cd_test_ui_save_screenshot (gpointer    window,
                            const char *name)
{
  static guint counter;
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  const char *test_name = g_test_get_path ();
  g_autofree char *test_part = NULL;
  GtkWidget *widget = GTK_WIDGET (window);

  g_assert_nonnull (screenshot_dir);
  test_part = g_path_get_basename (test_name != NULL && *test_name != '\0' ? test_name : "test");

  cd_test_ui_wait_for_frame (window);
  /* Whatever changed size since that frame is laid out first: drawing needs it. */
  gtk_container_check_resize (GTK_CONTAINER (window));
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, gtk_widget_get_allocated_width (widget),
                                        gtk_widget_get_allocated_height (widget));
  cr = cairo_create (surface);
  gtk_widget_draw (widget, cr);
  cairo_destroy (cr);

  file_name = g_strdup_printf ("%02u-%s-%s.png", ++counter, test_part, name);
  path = g_build_filename (screenshot_dir, file_name, NULL);
  status = cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);
  g_assert_cmpint (status, ==, CAIRO_STATUS_SUCCESS);
  g_test_message ("screenshot: %s", path);
}

void
cd_test_ui_press_key (gpointer        window,
                      guint           keyval,
                      GdkModifierType state)
{
  GdkDisplay *display = gdk_display_get_default ();
  GdkEvent *event = gdk_event_new (GDK_KEY_PRESS);
  g_autofree GdkKeymapKey *keys = NULL;
  int n_keys = 0;

  /* A key this keyboard cannot type would never match an accelerator. */
  g_assert_true (gdk_keymap_get_entries_for_keyval (gdk_keymap_get_for_display (display), keyval,
                                                    &keys, &n_keys));
  g_assert_cmpint (n_keys, >, 0);
  event->key.window = g_object_ref (gtk_widget_get_window (GTK_WIDGET (window)));
  event->key.send_event = TRUE;
  event->key.time = GDK_CURRENT_TIME;
  /* The second level of a key is its shifted one. */
  event->key.state = state | (keys[0].level == 1 ? GDK_SHIFT_MASK : 0);
  event->key.keyval = keyval;
  event->key.hardware_keycode = keys[0].keycode;
  event->key.group = keys[0].group;
  gdk_event_set_device (event, gdk_seat_get_keyboard (gdk_display_get_default_seat (display)));
  gtk_main_do_event (event);
  gdk_event_free (event);
  cd_test_ui_iterate ();
}

gpointer
cd_test_ui_template_child (gpointer    widget,
                           GType       type,
                           const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  if (child == NULL)
    g_error ("%s has no template child “%s”", g_type_name (type), name);
  return child;
}

void
cd_test_ui_assert_accessible_names (gpointer    window,
                                    const char *where)
{
  g_autoptr(GString) unnamed = g_string_new (NULL);

  gtk_container_forall (GTK_CONTAINER (window), collect_unnamed, unnamed);
  if (unnamed->len > 0)
    g_error ("controls without an accessible name in “%s”:%s",
             where != NULL ? where : gtk_window_get_title (GTK_WINDOW (window)), unnamed->str);
}
