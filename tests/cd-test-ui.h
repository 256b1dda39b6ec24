#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Support for the UI tests, which drive real windows in-process on a private X server,
 * bus and keyring (tests/ui-session.sh): the set-up every test program's main () needs,
 * running the main loop until something is true, screenshots into
 * $CERTDESK_SCREENSHOT_DIR, keys as the X server would deliver them, and the
 * accessible-name check. Widget arguments are gpointer, so that a CdWindow, a dialog or
 * a GtkWidget can be passed without a cast. */

/* How long cd_test_ui_wait_for () waits before it fails the test. */
#define CD_TEST_UI_WAIT_SECONDS 30.0

typedef gboolean (*CdTestUiCondition) (gpointer data);
typedef void     (*CdTestUiLanguageCheck) (void);

/* The app's own locale set-up (src/client/main.c: CERTDESK_LOCALEDIR, else LOCALEDIR),
 * g_test_init () (not G_TEST_OPTION_ISOLATE_DIRS: ui-session.sh already gives throwaway
 * HOME and XDG dirs, and GTK needs the system's data dirs for its icons), GTK and
 * libhandy with animations off and the app's styles, and an empty screenshot directory.
 * Exits with 77 (skipped) when there is no display. When the run expects Chinese
 * (CERTDESK_TEST_EXPECT_LANGUAGE=zh_CN) it calls @check_chinese (may be NULL), which
 * proves with a few strings that the catalogue is loaded. */
void            cd_test_ui_init                   (int                     *argc,
                                                   char                  ***argv,
                                                   CdTestUiLanguageCheck    check_chinese);
/* Whether this run expects the windows to speak Chinese. */
gboolean        cd_test_ui_expects_chinese        (void);

/* Runs the main loop until it has nothing left to do. */
void            cd_test_ui_iterate                (void);

/* Runs the main loop until @condition (@data) is true; after CD_TEST_UI_WAIT_SECONDS
 * the test fails at the caller's line, naming @what, with a screenshot of @window
 * (may be NULL) called "timeout". */
#define cd_test_ui_wait_for(condition, data, what, window) \
  cd_test_ui_wait_for_at (__FILE__, __LINE__, (condition), (data), (what), (window))

void            cd_test_ui_wait_for_at            (const char              *file,
                                                   int                      line,
                                                   CdTestUiCondition        condition,
                                                   gpointer                 data,
                                                   const char              *what,
                                                   gpointer                 window);
/* Waits until *@result is set (by cd_test_async_result_cb () or the like) and hands it
 * over. */
GAsyncResult   *cd_test_ui_wait_result            (GAsyncResult           **result);
/* A condition: @widget is mapped. */
gboolean        cd_test_ui_is_mapped              (gpointer                 widget);
/* Waits until @window is mapped, laid out and painted since the last change. */
void            cd_test_ui_wait_for_frame         (gpointer                 window);

/* Draws @window as it is on screen into SCREENSHOT_DIR/NN-TEST-NAME.png, where NN counts
 * this run's screenshots and TEST is the last part of the current test's path. */
void            cd_test_ui_save_screenshot        (gpointer                 window,
                                                   const char              *name);

/* A key press sent to @window with the keycode, group and level of the keyboard map
 * (so that accelerators match), delivered as GTK delivers events: to the focus, through
 * mnemonics and accelerators. Runs the main loop after it. */
void            cd_test_ui_press_key              (gpointer                 window,
                                                   guint                    keyval,
                                                   GdkModifierType          state);

/* The object @name in the template of @widget's class @type; fails when there is none. */
gpointer        cd_test_ui_template_child         (gpointer                 widget,
                                                   GType                    type,
                                                   const char              *name);

/* Fails unless every control on screen in @window that takes the focus (buttons,
 * entries, list rows) and every combo box has an accessible name; @where says in the
 * message where that was (NULL: the window's title). */
void            cd_test_ui_assert_accessible_names (gpointer                window,
                                                    const char             *where);

G_END_DECLS
