/* The desktop client's window, driven in-process against the real certdesk-server on a
 * private X server, bus and keyring (tests/ui-session.sh). Each step saves a screenshot
 * of the window into $CERTDESK_SCREENSHOT_DIR. */

#include "config.h"

#include "cd-annotation-page.h"
#include "cd-apply-dialog.h"
#include "cd-certificate-list.h"
#include "cd-certificate-row.h"
#include "cd-demo-service.h"
#include "cd-document-page.h"
#include "cd-document-store.h"
#include "cd-document-view.h"
#include "cd-register-page.h"
#include "cd-sign-in-page.h"
#include "cd-test-service.h"
#include "cd-test-ui.h"
#include "cd-time.h"
#include "cd-window.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

static gboolean no_secrets;

typedef struct
{
  CdTestService *service;
  CdClient      *client;
  CdKeyring     *keyring;
  CdWindow      *window;
} Fixture;

/* The window's widgets */

static gpointer
window_child (CdWindow   *window,
              const char *name)
{
  return cd_test_ui_template_child (window, CD_TYPE_WINDOW, name);
}

static gpointer
page_child (CdWindow   *window,
            const char *name)
{
  return cd_test_ui_template_child (window_child (window, "sign_in_page"), CD_TYPE_SIGN_IN_PAGE,
                                    name);
}

static gpointer
row_child (GtkListBoxRow *row,
           const char    *name)
{
  return cd_test_ui_template_child (row, CD_TYPE_CERTIFICATE_ROW, name);
}

static const char *
visible_page (CdWindow *window)
{
  return gtk_stack_get_visible_child_name (window_child (window, "stack"));
}

typedef struct
{
  CdWindow   *window;
  const char *page;
} PageWait;

static gboolean
page_is_shown (gpointer data)
{
  PageWait *wait = data;

  return g_strcmp0 (visible_page (wait->window), wait->page) == 0;
}

static void
wait_for_page (CdWindow   *window,
               const char *page)
{
  PageWait wait = { window, page };
  g_autofree char *what = g_strdup_printf ("the page “%s”", page);

  cd_test_ui_wait_for (page_is_shown, &wait, what, window);
}

static gboolean
banner_is_revealed (gpointer window)
{
  return gtk_info_bar_get_revealed (window_child (window, "banner"));
}

static gboolean
list_is_shown (gpointer window)
{
  return g_strcmp0 (visible_page (window), "certificates") == 0 &&
         cd_certificate_list_get_n_certificates (window_child (window, "certificate_list")) > 0;
}

static const char *
banner_text (CdWindow *window)
{
  return gtk_label_get_text (window_child (window, "banner_label"));
}

static void
assert_banner (CdWindow       *window,
               GtkMessageType  type,
               const char     *text)
{
  g_assert_true (banner_is_revealed (window));
  g_assert_cmpint (gtk_info_bar_get_message_type (window_child (window, "banner")), ==, type);
  g_assert_cmpstr (banner_text (window), ==, text);
}

static void
type_credentials (CdWindow   *window,
                  const char *id_number,
                  const char *password,
                  gboolean    remember)
{
  gtk_entry_set_text (page_child (window, "id_entry"), id_number);
  gtk_entry_set_text (page_child (window, "password_entry"), password);
  gtk_toggle_button_set_active (page_child (window, "remember_check"), remember);
  cd_test_ui_iterate ();
}

static void
click (gpointer button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_get_mapped (button));
  gtk_button_clicked (button);
}

/* Desktop notifications: the test owns org.freedesktop.Notifications on its private
 * bus and keeps the summary of each notification GLib sends there. */

static GPtrArray *notifications;

static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/><arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "  </interface>"
  "</node>";

static void
notifications_method_cb (GDBusConnection       *connection,
                         const char            *sender,
                         const char            *object_path,
                         const char            *interface_name,
                         const char            *method_name,
                         GVariant              *parameters,
                         GDBusMethodInvocation *invocation,
                         gpointer               user_data)
{
  if (g_str_equal (method_name, "Notify"))
    {
      const char *summary = NULL;

      g_variant_get_child (parameters, 3, "&s", &summary);
      g_ptr_array_add (notifications, g_strdup (summary));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", notifications->len));
      return;
    }

  g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
start_notification_server (void)
{
  static const GDBusInterfaceVTable vtable = { notifications_method_cb, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GApplication) application = NULL;
  GDBusConnection *bus;

  notifications = g_ptr_array_new_with_free_func (g_free);
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications", info->interfaces[0], &vtable,
                                     NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.Notifications", 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);

  /* The window sends through the default application, as in the app. */
  application = g_application_new ("io.github.certdesk.CertDesk.UiTest", G_APPLICATION_NON_UNIQUE);
  g_application_register (application, NULL, &error);
  g_assert_no_error (error);
  g_application_set_default (g_steal_pointer (&application));
}

static gboolean
has_notification (gpointer data)
{
  const char *part = data;

  for (guint i = 0; i < notifications->len; i++)
    {
      if (strstr (g_ptr_array_index (notifications, i), part) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* Fixtures */

static CdWindow *
new_window (CdClient  *client,
            CdKeyring *keyring)
{
  CdWindow *window = cd_window_new (NULL);

  cd_window_set_client (window, client);
  cd_window_set_keyring (window, keyring);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->service = cd_test_service_start ("--demo", NULL);
  fixture->client = cd_client_new (fixture->service->base_url, &error);
  g_assert_no_error (error);
  fixture->keyring = cd_keyring_new ();
  fixture->window = new_window (fixture->client, fixture->keyring);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  gtk_widget_destroy (GTK_WIDGET (fixture->window));
  cd_test_ui_iterate ();
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->keyring);
  g_clear_pointer (&fixture->service, cd_test_service_free);
}

static char *
remembered_account (CdKeyring  *keyring,
                    const char *service)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *pending = NULL;

  cd_keyring_lookup_remembered_account_async (keyring, service, NULL, cd_test_async_result_cb,
                                              &pending);
  result = cd_test_ui_wait_result (&pending);
  return cd_keyring_lookup_remembered_account_finish (keyring, result, NULL);
}

/* CdKeyring runs its operations one at a time, in order: one asked for now returns
 * after the keyring writes the window has started, whose results came first. */
static void
wait_for_keyring_writes (CdKeyring  *keyring,
                         const char *service)
{
  g_free (remembered_account (keyring, service));
}

/* Sign-in page */

static void
test_id_number_checks (Fixture       *fixture,
                       gconstpointer  user_data)
{
  CdWindow *window = fixture->window;
  GtkLabel *problem = page_child (window, "id_problem_label");
  GtkWidget *id_entry = page_child (window, "id_entry");
  GtkWidget *button = page_child (window, "sign_in_button");

  cd_window_restore_session (window);
  wait_for_page (window, "sign-in");
  g_assert_false (banner_is_revealed (window));
  g_assert_false (gtk_widget_is_sensitive (button));
  cd_test_ui_save_screenshot (window, "empty");
  cd_test_ui_assert_accessible_names (window, visible_page (window));

  /* Typing: a hint while a resident ID number is incomplete, not an error. */
  type_credentials (window, "11010519900307123", "a password", FALSE);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (problem)));
  g_assert_nonnull (strstr (gtk_label_get_text (problem), "18"));
  g_assert_false (gtk_style_context_has_class (gtk_widget_get_style_context (id_entry), "error"));

  /* A wrong check character is an error, and signing in is not possible. */
  type_credentials (window, "110105199003071238", "a password", FALSE);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (problem)));
  g_assert_cmpstr (gtk_label_get_text (problem), ==,
                   _("This resident ID number is mistyped: its last character does not match the others."));
  g_assert_true (gtk_style_context_has_class (gtk_widget_get_style_context (id_entry), "error"));
  g_assert_false (gtk_widget_is_sensitive (button));
  g_assert_cmpstr (atk_object_get_description (gtk_widget_get_accessible (id_entry)), ==,
                   gtk_label_get_text (problem));
  cd_test_ui_save_screenshot (window, "wrong-check-digit");

  /* An impossible birth date, and a region code that cannot be, named as on the
   * registration page. */
  type_credentials (window, "110105199013071232", "a password", FALSE);
  g_assert_cmpstr (gtk_label_get_text (problem), ==,
                   _("The birth date in this resident ID number (characters 7 to 14) is not a valid date."));
  g_assert_false (gtk_widget_is_sensitive (button));
  type_credentials (window, "010105199003071239", "a password", FALSE);
  g_assert_cmpstr (gtk_label_get_text (problem), ==,
                   _("This is not a resident ID number: no region code starts with 0."));
  g_assert_false (gtk_widget_is_sensitive (button));

  /* Punctuation. */
  type_credentials (window, "1101-0519", "a password", FALSE);
  g_assert_cmpstr (gtk_label_get_text (problem), ==, _("An ID number has only letters and digits."));
  g_assert_false (gtk_widget_is_sensitive (button));

  /* A passport number is fine. */
  type_credentials (window, "E12345678", "a password", FALSE);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (problem)));
  g_assert_true (gtk_widget_is_sensitive (button));

  /* A valid resident ID number, with a lower-case x and spaces. */
  type_credentials (window, "11010519900307101x", "", FALSE);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (problem)));
  g_assert_false (gtk_widget_is_sensitive (button));
  type_credentials (window, " 110105 19900307101X ", "a password", FALSE);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (problem)));
  g_assert_true (gtk_widget_is_sensitive (button));
  cd_test_ui_save_screenshot (window, "valid");
}

/* Sign-in → notice → certificates, then an automatic sign-in and signing out. */
static void
test_sign_in_flow (Fixture       *fixture,
                   gconstpointer  user_data)
{
  CdWindow *window = fixture->window;
  const char *service = fixture->service->base_url;
  GtkListBox *list_box;
  g_autoptr(CdClient) client2 = NULL;
  g_autofree char *remembered = NULL;
  CdWindow *window2;
  const char *expected_cert_nos[] = { "AQ2021110105000123", "YS2019110105004567", "JZ2016110105007890" };
  const char *expected_status[] = { _("Valid"), _("Valid"), _("Revoked") };

  cd_window_restore_session (window);
  wait_for_page (window, "sign-in");

  /* A wrong password: the error is in the window. */
  type_credentials (window, CD_TEST_DEMO_ID_NUMBER, "not-the-password", TRUE);
  click (page_child (window, "sign_in_button"));
  cd_test_ui_wait_for (banner_is_revealed, window, "the error banner", window);
  assert_banner (window, GTK_MESSAGE_ERROR, _("The ID number or the password is wrong."));
  g_assert_cmpstr (visible_page (window), ==, "sign-in");
  g_assert_true (gtk_widget_has_focus (page_child (window, "password_entry")));
  cd_test_ui_save_screenshot (window, "wrong-password");

  /* The right one, with Enter in the password field: the notice comes first. */
  type_credentials (window, CD_TEST_DEMO_ID_NUMBER, CD_TEST_DEMO_PASSWORD, TRUE);
  gtk_widget_activate (page_child (window, "password_entry"));
  wait_for_page (window, "notice");
  g_assert_false (banner_is_revealed (window));
  g_assert_cmpstr (gtk_label_get_text (window_child (window, "notice_title_label")), ==, "服务须知");
  g_assert_cmpstr (gtk_entry_get_text (page_child (window, "password_entry")), ==, "");
  g_assert_true (gtk_widget_has_focus (window_child (window, "accept_button")));
  cd_test_ui_save_screenshot (window, "notice");
  cd_test_ui_assert_accessible_names (window, visible_page (window));

  click (window_child (window, "accept_button"));
  cd_test_ui_wait_for (list_is_shown, window, "the certificate list", window);
  g_assert_false (banner_is_revealed (window));

  /* Valid certificates first, then by date of issue, newest first. */
  list_box = (GtkListBox *) gtk_widget_get_template_child (window_child (window, "certificate_list"), CD_TYPE_CERTIFICATE_LIST,
                                            "list_box");
  g_assert_cmpuint (cd_certificate_list_get_n_certificates (window_child (window, "certificate_list")), ==, 3);
  for (int i = 0; i < 3; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (list_box, i);
      CdCertificate *certificate = cd_certificate_row_get_certificate (CD_CERTIFICATE_ROW (row));
      const char *accessible = atk_object_get_name (gtk_widget_get_accessible (GTK_WIDGET (row)));

      g_assert_cmpstr (cd_certificate_get_cert_no (certificate), ==, expected_cert_nos[i]);
      g_assert_cmpstr (gtk_label_get_text (row_child (row, "status_label")), ==, expected_status[i]);
      g_assert_cmpstr (gtk_label_get_text (row_child (row, "annotation_label")), ==, _("Not annotated"));
      g_assert_nonnull (strstr (gtk_label_get_text (row_child (row, "details_label")), expected_cert_nos[i]));
      g_assert_nonnull (strstr (accessible, expected_status[i]));
      g_assert_nonnull (strstr (accessible, cd_certificate_get_qualification (certificate)));
    }
  g_assert_cmpstr (gtk_label_get_text (row_child (gtk_list_box_get_row_at_index (list_box, 0), "qualification_label")),
                   ==, "注册安全工程师");
  cd_test_ui_save_screenshot (window, "certificates");
  cd_test_ui_assert_accessible_names (window, visible_page (window));

  /* "Remember me" kept the account in the keyring: asked after the window's writes. */
  remembered = remembered_account (fixture->keyring, service);
  g_assert_cmpstr (remembered, ==, CD_TEST_DEMO_ID_NUMBER);

  /* Next start: signed in from the keyring, nothing typed. */
  client2 = cd_client_new (service, NULL);
  window2 = new_window (client2, fixture->keyring);
  cd_window_restore_session (window2);
  cd_test_ui_wait_for (list_is_shown, window2, "the certificate list after an automatic sign-in",
                       window2);
  g_assert_cmpstr (visible_page (window2), ==, "certificates");
  g_assert_false (banner_is_revealed (window2));
  g_assert_cmpuint (cd_certificate_list_get_n_certificates (window_child (window2, "certificate_list")), ==, 3);
  cd_test_ui_save_screenshot (window2, "automatic-sign-in");

  /* Signing out forgets the password: the next start asks for it. */
  g_action_group_activate_action (G_ACTION_GROUP (window2), "sign-out", NULL);
  wait_for_page (window2, "sign-in");
  g_clear_pointer (&remembered, g_free);
  remembered = remembered_account (fixture->keyring, service);
  g_assert_null (remembered);
  g_assert_cmpstr (gtk_entry_get_text (page_child (window2, "id_entry")), ==, CD_TEST_DEMO_ID_NUMBER);
  cd_test_ui_save_screenshot (window2, "signed-out");
  gtk_widget_destroy (GTK_WIDGET (window2));
}

static gpointer
register_child (CdWindow   *window,
                const char *name)
{
  return cd_test_ui_template_child (window_child (window, "register_page"), CD_TYPE_REGISTER_PAGE,
                                    name);
}

static void
fill_registration (CdWindow   *window,
                   const char *id_number,
                   const char *name)
{
  gtk_entry_set_text (register_child (window, "id_entry"), id_number);
  gtk_entry_set_text (register_child (window, "name_entry"), name);
  gtk_entry_set_text (register_child (window, "password_entry"), "a new holder's password");
  gtk_entry_set_text (register_child (window, "confirm_entry"), "a new holder's password");
  gtk_toggle_button_set_active (register_child (window, "remember_check"), FALSE);
  cd_test_ui_iterate ();
}

/* Registering from the sign-in page: an ID number already registered is refused on its
 * field; a new one is registered, signed in, and shown the service notice. */
static void
test_register (Fixture       *fixture,
               gconstpointer  user_data)
{
  CdWindow *window = fixture->window;
  GtkLabel *id_problem = NULL;
  g_autofree char *holder_text = NULL;

  cd_window_restore_session (window);
  wait_for_page (window, "sign-in");
  gtk_entry_set_text (page_child (window, "id_entry"), CD_TEST_DEMO_ID_NUMBER);
  click (page_child (window, "register_link"));
  cd_test_ui_iterate ();
  g_assert_cmpstr (visible_page (window), ==, "register");
  g_assert_true (gtk_widget_get_visible (window_child (window, "back_button")));
  g_assert_cmpstr (gtk_entry_get_text (register_child (window, "id_entry")), ==, CD_TEST_DEMO_ID_NUMBER);

  /* The demo holder's ID number is taken. */
  fill_registration (window, CD_TEST_DEMO_ID_NUMBER, "张三");
  click (register_child (window, "register_button"));
  id_problem = register_child (window, "id_problem_label");
  cd_test_ui_wait_for (cd_test_ui_is_mapped, id_problem, "the answer on the ID number", window);
  g_assert_cmpstr (visible_page (window), ==, "register");
  g_assert_false (gtk_widget_is_sensitive (register_child (window, "register_button")));
  cd_test_ui_save_screenshot (window, "account-exists");
  cd_test_ui_assert_accessible_names (window, visible_page (window));

  /* A new holder. */
  fill_registration (window, "32010619850612003x", "王芳");
  click (register_child (window, "register_button"));
  wait_for_page (window, "notice");
  g_assert_false (banner_is_revealed (window));
  holder_text = g_strdup_printf (_("%s, ID number %s"), "王芳", "3201**********003X");
  g_assert_cmpstr (gtk_label_get_text (window_child (window, "holder_label")), ==, holder_text);
  g_assert_cmpstr (gtk_entry_get_text (register_child (window, "password_entry")), ==, "");
  click (window_child (window, "accept_button"));
  wait_for_page (window, "certificates");
  g_assert_cmpuint (cd_certificate_list_get_n_certificates (window_child (window, "certificate_list")), ==, 0);
  cd_test_ui_save_screenshot (window, "registered");
}

/* Five failures lock the ID number; the sixth sign-in is refused with a wait time. */
static void
test_throttled (Fixture       *fixture,
                gconstpointer  user_data)
{
  CdWindow *window = fixture->window;
  g_autofree char *expected = NULL;

  cd_window_restore_session (window);
  wait_for_page (window, "sign-in");

  for (int i = 0; i < 6; i++)
    {
      type_credentials (window, CD_TEST_DEMO_ID_NUMBER, i < 5 ? "not-the-password" : CD_TEST_DEMO_PASSWORD, FALSE);
      click (page_child (window, "sign_in_button"));
      cd_test_ui_wait_for (banner_is_revealed, window, "the error banner", window);
      if (i < 5)
        {
          assert_banner (window, GTK_MESSAGE_ERROR, _("The ID number or the password is wrong."));
          gtk_info_bar_response (window_child (window, "banner"), GTK_RESPONSE_CLOSE);
          g_assert_false (banner_is_revealed (window));
        }
    }

  expected = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Too many failed sign-ins for this ID number. "
                                           "Please try again in %d minute.",
                                           "Too many failed sign-ins for this ID number. "
                                           "Please try again in %d minutes.",
                                           15),
                              15);
  assert_banner (window, GTK_MESSAGE_ERROR, expected);
  g_assert_cmpstr (visible_page (window), ==, "sign-in");
  cd_test_ui_save_screenshot (window, "throttled");
}

/* A service that does not answer: the window says so. */
static void
test_unreachable (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(CdClient) client = NULL;
  g_autoptr(CdClient) probe = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdHolder) holder = NULL;
  GAsyncResult *pending = NULL;
  CdWindow *window;
  g_autofree char *url = g_strdup (fixture->service->base_url);

  g_assert_true (cd_test_service_stop (fixture->service, NULL));

  /* What the core says about it… */
  probe = cd_client_new (url, NULL);
  cd_client_sign_in_async (probe, CD_TEST_DEMO_ID_NUMBER, CD_TEST_DEMO_PASSWORD, NULL,
                           cd_test_async_result_cb, &pending);
  result = cd_test_ui_wait_result (&pending);
  holder = cd_client_sign_in_finish (probe, result, &error);
  g_assert_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_NETWORK);

  /* …is what the window shows. */
  client = cd_client_new (url, NULL);
  window = new_window (client, fixture->keyring);
  cd_window_restore_session (window);
  wait_for_page (window, "sign-in");
  type_credentials (window, CD_TEST_DEMO_ID_NUMBER, CD_TEST_DEMO_PASSWORD, FALSE);
  click (page_child (window, "sign_in_button"));
  cd_test_ui_wait_for (banner_is_revealed, window, "the error banner", window);
  assert_banner (window, GTK_MESSAGE_ERROR, error->message);
  g_assert_cmpstr (visible_page (window), ==, "sign-in");
  cd_test_ui_save_screenshot (window, "unreachable");
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* The service goes away after signing in: the page stays, the banner says why. */
static void
test_service_gone (Fixture       *fixture,
                   gconstpointer  user_data)
{
  CdWindow *window = fixture->window;

  cd_window_restore_session (window);
  wait_for_page (window, "sign-in");
  type_credentials (window, CD_TEST_DEMO_ID_NUMBER, CD_TEST_DEMO_PASSWORD, FALSE);
  click (page_child (window, "sign_in_button"));
  wait_for_page (window, "notice");

  g_assert_true (cd_test_service_stop (fixture->service, NULL));
  click (window_child (window, "accept_button"));
  cd_test_ui_wait_for (banner_is_revealed, window, "the error banner", window);
  g_assert_cmpint (gtk_info_bar_get_message_type (window_child (window, "banner")), ==, GTK_MESSAGE_ERROR);
  g_assert_cmpstr (visible_page (window), ==, "notice");
  g_assert_true (gtk_widget_is_sensitive (window_child (window, "accept_button")));
  cd_test_ui_save_screenshot (window, "service-gone");
}

/* Without a Secret Service: signing in works, and a warning says the password was not kept. */
static void
test_no_keyring (Fixture       *fixture,
                 gconstpointer  user_data)
{
  CdWindow *window = fixture->window;

  cd_window_restore_session (window);
  wait_for_page (window, "sign-in");
  g_assert_false (banner_is_revealed (window));

  /* Not asked to remember: nothing to warn about. */
  type_credentials (window, CD_TEST_DEMO_ID_NUMBER, CD_TEST_DEMO_PASSWORD, FALSE);
  click (page_child (window, "sign_in_button"));
  wait_for_page (window, "notice");
  wait_for_keyring_writes (fixture->keyring, fixture->service->base_url);
  g_assert_false (banner_is_revealed (window));
  g_action_group_activate_action (G_ACTION_GROUP (window), "sign-out", NULL);
  wait_for_page (window, "sign-in");
  wait_for_keyring_writes (fixture->keyring, fixture->service->base_url);
  g_assert_false (banner_is_revealed (window));

  type_credentials (window, CD_TEST_DEMO_ID_NUMBER, CD_TEST_DEMO_PASSWORD, TRUE);
  click (page_child (window, "sign_in_button"));
  wait_for_page (window, "notice");
  cd_test_ui_wait_for (banner_is_revealed, window, "the keyring warning", window);
  g_assert_cmpint (gtk_info_bar_get_message_type (window_child (window, "banner")), ==, GTK_MESSAGE_WARNING);
  g_assert_cmpstr (banner_text (window), ==,
                   _("No keyring is available on this computer, so your password was not remembered. "
                     "You can still sign in without remembering it."));
  cd_test_ui_save_screenshot (window, "no-keyring");

  click (window_child (window, "accept_button"));
  cd_test_ui_wait_for (list_is_shown, window, "the certificate list", window);
  cd_test_ui_save_screenshot (window, "certificates");
}

/* The annotation page */

static gpointer
annotation_child (CdWindow   *window,
                  const char *name)
{
  return cd_test_ui_template_child (window_child (window, "annotation_page"),
                                    CD_TYPE_ANNOTATION_PAGE, name);
}

static gboolean
annotation_page_is_loaded (gpointer window)
{
  return g_strcmp0 (visible_page (window), "annotations") == 0 &&
         !cd_annotation_page_get_busy (window_child (window, "annotation_page"));
}

typedef struct
{
  GtkLabel   *label;
  const char *text;
} LabelWait;

static gboolean
label_has_text (gpointer data)
{
  LabelWait *wait = data;

  return g_strcmp0 (gtk_label_get_text (wait->label), wait->text) == 0;
}

static void
wait_for_label (CdWindow   *window,
                GtkLabel   *label,
                const char *text)
{
  LabelWait wait = { label, text };
  g_autofree char *what = g_strdup_printf ("the text “%s”", text);

  cd_test_ui_wait_for (label_has_text, &wait, what, window);
}

/* Opens the certificate of @qualification from the list. */
static void
open_certificate (CdWindow   *window,
                  const char *qualification)
{
  GtkWidget *list = window_child (window, "certificate_list");
  GtkContainer *list_box = GTK_CONTAINER (gtk_widget_get_template_child (list, CD_TYPE_CERTIFICATE_LIST,
                                                                         "list_box"));
  g_autoptr(GList) rows = gtk_container_get_children (list_box);
  CdCertificateRow *found = NULL;

  for (GList *l = rows; l != NULL; l = l->next)
    {
      CdCertificate *certificate = cd_certificate_row_get_certificate (l->data);

      if (g_strcmp0 (cd_certificate_get_qualification (certificate), qualification) == 0)
        found = l->data;
    }
  g_assert_nonnull (found);
  gtk_widget_activate (GTK_WIDGET (found));
  cd_test_ui_wait_for (annotation_page_is_loaded, window, "the annotation page", window);
  g_assert_cmpstr (gtk_label_get_text (annotation_child (window, "title_label")), ==, qualification);
  g_assert_true (gtk_widget_get_visible (window_child (window, "back_button")));
}

static CdApplyDialog *
find_apply_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    {
      if (CD_IS_APPLY_DIALOG (l->data) && gtk_widget_get_visible (l->data))
        return l->data;
    }
  return NULL;
}

/* Applies through the dialog for @days; returns the end date the dialog showed. */
static char *
apply_for (CdWindow   *window,
           int         days,
           const char *screenshot)
{
  CdApplyDialog *dialog;
  g_autofree char *end_date = cd_apply_dialog_format_end_date (days);
  g_autofree char *expected = g_strdup_printf (_("Valid until %s"), end_date);
  GtkLabel *end_label;

  click (annotation_child (window, "apply_button"));
  cd_test_ui_iterate ();
  dialog = find_apply_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpint (cd_apply_dialog_get_validity_days (dialog), ==, 90);
  g_assert_cmpstr (cd_apply_dialog_get_scenario (dialog), ==, "self_use");
  cd_apply_dialog_set_validity_days (dialog, days);
  end_label = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (dialog), CD_TYPE_APPLY_DIALOG,
                                                        "end_date_label"));
  g_assert_cmpstr (gtk_label_get_text (end_label), ==, expected);
  if (screenshot != NULL)
    cd_test_ui_save_screenshot (dialog, screenshot);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_APPLY);
  cd_test_ui_iterate ();
  g_assert_null (find_apply_dialog ());
  return g_steal_pointer (&end_date);
}

static void
annotation_fixture_set_up (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->service = cd_test_service_start ("--demo", "--processing-seconds", "1", NULL);
  fixture->client = cd_client_new (fixture->service->base_url, &error);
  g_assert_no_error (error);
  cd_client_set_poll_interval (fixture->client, 200, 500);
  fixture->keyring = cd_keyring_new ();
  fixture->window = new_window (fixture->client, fixture->keyring);
}

/* A certificate's page: apply, generating → ready, the quota, and a revoked certificate. */
static void
test_annotation_page (Fixture       *fixture,
                      gconstpointer  user_data)
{
  CdWindow *window = fixture->window;
  GtkLabel *state_label = annotation_child (window, "state_label");
  GtkLabel *reason_label = annotation_child (window, "reason_label");
  GtkWidget *apply_button = annotation_child (window, "apply_button");
  g_autofree char *end_date = NULL;
  g_autofree char *ready_text = NULL;
  g_autofree char *revoked_reason = NULL;
  guint applied = 1;

  cd_window_sign_in (window, CD_TEST_DEMO_ID_NUMBER, CD_TEST_DEMO_PASSWORD, CD_WINDOW_CREDENTIALS_NONE);
  wait_for_page (window, "notice");
  click (window_child (window, "accept_button"));
  cd_test_ui_wait_for (list_is_shown, window, "the certificate list", window);

  open_certificate (window, "注册安全工程师");
  g_assert_false (banner_is_revealed (window));
  g_assert_true (gtk_widget_is_sensitive (apply_button));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (reason_label)));
  g_assert_true (gtk_widget_get_visible (annotation_child (window, "quota_label")));
  cd_test_ui_save_screenshot (window, "annotation-page");
  cd_test_ui_assert_accessible_names (window, visible_page (window));

  /* Applying: generating, then ready with the date the dialog showed. */
  end_date = apply_for (window, 30, "apply-dialog");
  wait_for_label (window, state_label, _("Generating…"));
  g_assert_true (gtk_widget_get_visible (annotation_child (window, "state_spinner")));
  g_assert_false (gtk_widget_is_sensitive (apply_button));
  cd_test_ui_save_screenshot (window, "generating");
  ready_text = g_strdup_printf (_("Valid until %s"), end_date);
  wait_for_label (window, state_label, ready_text);
  g_assert_false (gtk_widget_get_visible (annotation_child (window, "state_spinner")));
  g_assert_false (banner_is_revealed (window));
  {
    g_autofree char *title = g_strdup_printf (_("The annotated certificate for %s is ready"), "注册安全工程师");

    cd_test_ui_wait_for (has_notification, title, "the “ready” notification", window);
  }
  cd_test_ui_save_screenshot (window, "ready");
  cd_test_ui_assert_accessible_names (window, visible_page (window));

  /* The quota: three in 90 days, then the button says when the next one frees. */
  while (gtk_widget_is_sensitive (apply_button))
    {
      g_autofree char *date = NULL;
      g_autofree char *text = NULL;

      g_assert_cmpuint (applied, <, 3);
      date = apply_for (window, 10, NULL);
      applied++;
      text = g_strdup_printf (_("Valid until %s"), date);
      wait_for_label (window, state_label, _("Generating…"));
      wait_for_label (window, state_label, text);
    }
  g_assert_cmpuint (applied, ==, 3);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (reason_label)));
  {
    g_autofree char *next = cd_apply_dialog_format_end_date (90);
    g_autofree char *expected = g_strdup_printf (_("All %1$d annotations of the last %2$d days are used. "
                                                   "You can apply again on %3$s."),
                                                 3, 90, next);

    g_assert_cmpstr (gtk_label_get_text (reason_label), ==, expected);
  }
  {
    g_autoptr(GList) history = gtk_container_get_children (annotation_child (window, "history_list"));

    g_assert_cmpuint (g_list_length (history), >=, 3);
  }
  cd_test_ui_save_screenshot (window, "quota-used");

  /* Escape goes back to the list; the revoked certificate cannot be annotated. */
  cd_test_ui_press_key (window, GDK_KEY_Escape, 0);
  g_assert_cmpstr (visible_page (window), ==, "certificates");
  g_assert_false (gtk_widget_get_visible (window_child (window, "back_button")));
  open_certificate (window, "一级建造师");
  g_assert_false (gtk_widget_is_sensitive (apply_button));
  revoked_reason = g_strdup_printf (_("Only a valid certificate can be annotated. This certificate is: %s."),
                                    _("Revoked"));
  g_assert_cmpstr (gtk_label_get_text (reason_label), ==, revoked_reason);
  cd_test_ui_save_screenshot (window, "revoked");
  cd_test_ui_press_key (window, GDK_KEY_Left, GDK_MOD1_MASK);
  g_assert_cmpstr (visible_page (window), ==, "certificates");
}

static CdDocumentView *
document_view (CdWindow *window)
{
  return CD_DOCUMENT_VIEW (gtk_widget_get_template_child (window_child (window, "document_page"),
                                                          CD_TYPE_DOCUMENT_PAGE, "document_view"));
}

static gboolean
signature_is_checked (gpointer window)
{
  CdDocumentView *view = document_view (window);

  return g_strcmp0 (visible_page (window), "document") == 0 &&
         cd_document_view_get_signature_info (view) != NULL && cd_document_view_get_page_ready (view);
}

static CdSignatureStatus
wait_for_signature (CdWindow *window)
{
  cd_test_ui_wait_for (signature_is_checked, window, "the document and its signature", window);
  return cd_signature_info_get_status (cd_document_view_get_signature_info (document_view (window)));
}

static GtkFileChooser *
find_file_chooser (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    {
      if (GTK_IS_FILE_CHOOSER_DIALOG (l->data) && gtk_widget_get_visible (l->data))
        return l->data;
    }
  return NULL;
}

static gboolean
file_chooser_is_shown (gpointer data)
{
  return find_file_chooser () != NULL;
}

static gboolean
library_list_is_shown (gpointer window)
{
  return g_strcmp0 (visible_page (window), "library") == 0 &&
         cd_certificate_list_get_n_certificates (window_child (window, "library_list")) > 0;
}

static GtkListBoxRow *
first_row (CdWindow   *window,
           const char *list)
{
  GtkListBox *list_box = GTK_LIST_BOX (gtk_widget_get_template_child (window_child (window, list),
                                                                      CD_TYPE_CERTIFICATE_LIST, "list_box"));

  return gtk_list_box_get_row_at_index (list_box, 0);
}

static GBytes *
read_bytes (const char *path)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &data, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (g_steal_pointer (&data), length);
}

static void
type_text (CdWindow   *window,
           const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    cd_test_ui_press_key (window, gdk_unicode_to_keyval (g_utf8_get_char (p)), 0);
}

static gboolean
focus_is_row (gpointer window)
{
  return GTK_IS_LIST_BOX_ROW (gtk_window_get_focus (GTK_WINDOW (window)));
}

static gboolean
button_has_focus (gpointer button)
{
  return gtk_widget_has_focus (button);
}

/* The whole way in with the keyboard alone: typing the ID number and the password,
 * Return to sign in, Return on the notice, the arrow keys and Return in the list, and
 * Escape back. */
static void
test_keyboard_only (Fixture       *fixture,
                    gconstpointer  user_data)
{
  CdWindow *window = fixture->window;

  cd_window_restore_session (window);
  wait_for_page (window, "sign-in");
  g_assert_true (gtk_widget_has_focus (page_child (window, "id_entry")));
  type_text (window, CD_TEST_DEMO_ID_NUMBER);
  g_assert_cmpstr (gtk_entry_get_text (page_child (window, "id_entry")), ==, CD_TEST_DEMO_ID_NUMBER);
  cd_test_ui_press_key (window, GDK_KEY_Tab, 0);
  g_assert_true (gtk_widget_has_focus (page_child (window, "password_entry")));
  type_text (window, CD_TEST_DEMO_PASSWORD);
  cd_test_ui_press_key (window, GDK_KEY_Return, 0);

  wait_for_page (window, "notice");
  cd_test_ui_wait_for (button_has_focus, window_child (window, "accept_button"), "the focus on Accept", window);
  cd_test_ui_press_key (window, GDK_KEY_Return, 0);
  cd_test_ui_wait_for (list_is_shown, window, "the certificate list", window);

  /* Into the list, down to the second certificate, open it. */
  while (!focus_is_row (window))
    cd_test_ui_press_key (window, GDK_KEY_Tab, 0);
  cd_test_ui_press_key (window, GDK_KEY_Down, 0);
  cd_test_ui_press_key (window, GDK_KEY_Return, 0);
  cd_test_ui_wait_for (annotation_page_is_loaded, window, "the certificate's page", window);
  g_assert_cmpstr (gtk_label_get_text (annotation_child (window, "title_label")), ==, "执业药师");
  cd_test_ui_save_screenshot (window, "certificate");

  cd_test_ui_press_key (window, GDK_KEY_Escape, 0);
  g_assert_cmpstr (visible_page (window), ==, "certificates");
}

static void
lapse_fixture_set_up (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  /* A day lasts three seconds: a one-day annotation lapses during the test. */
  fixture->service = cd_test_service_start ("--demo", "--processing-seconds", "0", "--day-seconds", "3", NULL);
  fixture->client = cd_client_new (fixture->service->base_url, &error);
  g_assert_no_error (error);
  cd_client_set_poll_interval (fixture->client, 200, 500);
  fixture->keyring = cd_keyring_new ();
  fixture->window = new_window (fixture->client, fixture->keyring);
}

static GtkListBoxRow *
find_library_row (CdWindow   *window,
                  const char *cert_no)
{
  GtkContainer *list_box = cd_test_ui_template_child (window_child (window, "library_list"),
                                                      CD_TYPE_CERTIFICATE_LIST, "list_box");
  g_autoptr(GList) rows = gtk_container_get_children (list_box);

  for (GList *l = rows; l != NULL; l = l->next)
    {
      if (g_strcmp0 (cd_certificate_get_cert_no (cd_certificate_row_get_certificate (l->data)), cert_no) == 0)
        return l->data;
    }
  return NULL;
}

static gboolean
library_row_is_expired (gpointer window)
{
  GtkListBoxRow *row = find_library_row (window, "YS2019110105004567");

  return row != NULL &&
         g_strcmp0 (gtk_label_get_text (row_child (row, "annotation_label")), _("Annotation expired")) == 0;
}

/* A downloaded annotation that lapses shows as expired in the library; opened while the
 * service is there, it leads to the certificate's page to apply again. */
static void
test_lapsed (Fixture       *fixture,
             gconstpointer  user_data)
{
  CdWindow *window = fixture->window;
  GtkWidget *view_button = annotation_child (window, "view_button");

  cd_window_sign_in (window, CD_TEST_DEMO_ID_NUMBER, CD_TEST_DEMO_PASSWORD, CD_WINDOW_CREDENTIALS_NONE);
  wait_for_page (window, "notice");
  click (window_child (window, "accept_button"));
  cd_test_ui_wait_for (list_is_shown, window, "the certificate list", window);

  open_certificate (window, "执业药师");
  g_free (apply_for (window, 1, NULL));
  cd_test_ui_wait_for (cd_test_ui_is_mapped, view_button, "a valid annotation", window);
  click (view_button);
  g_assert_cmpint (wait_for_signature (window), ==, CD_SIGNATURE_VALID);
  cd_test_ui_press_key (window, GDK_KEY_Escape, 0);
  g_assert_cmpstr (visible_page (window), ==, "annotations");

  /* Three seconds later the page left open says it lapsed and offers to apply again… */
  wait_for_label (window, annotation_child (window, "state_label"), _("Annotation expired"));
  g_assert_false (gtk_widget_get_visible (view_button));
  g_assert_true (gtk_widget_is_sensitive (annotation_child (window, "apply_button")));

  /* …the library says so too… */
  g_action_group_activate_action (G_ACTION_GROUP (window), "library", NULL);
  cd_test_ui_wait_for (library_row_is_expired, window, "the lapsed annotation in the library", window);
  cd_test_ui_save_screenshot (window, "library-expired");

  /* …and opening it offers to apply again. */
  gtk_widget_activate (GTK_WIDGET (find_library_row (window, "YS2019110105004567")));
  cd_test_ui_wait_for (annotation_page_is_loaded, window, "the certificate's page", window);
  g_assert_cmpstr (gtk_label_get_text (annotation_child (window, "title_label")), ==, "执业药师");
  g_assert_cmpstr (gtk_label_get_text (annotation_child (window, "state_label")), ==, _("Annotation expired"));
  g_assert_true (gtk_widget_is_sensitive (annotation_child (window, "apply_button")));
  g_assert_false (gtk_widget_get_visible (view_button));
  cd_test_ui_save_screenshot (window, "apply-again");
}

/* Drag and drop, for real: a window of this test offers @file as text/uri-list, and
 * xdotool (XTest) presses the pointer on it, moves it onto @target and lets go. */
static void
drag_uri_get_cb (GtkWidget        *widget,
                 GdkDragContext   *context,
                 GtkSelectionData *selection_data,
                 guint             info,
                 guint             time,
                 gpointer          user_data)
{
  g_autofree char *uri = g_file_get_uri (user_data);
  const char *uris[] = { uri, NULL };

  gtk_selection_data_set_uris (selection_data, (char **) uris);
}

static void
xdotool (const char *arguments)
{
  g_autofree char *command = g_strconcat ("xdotool ", arguments, NULL);
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_command_line_sync (command, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static void
spin (guint milliseconds)
{
  gint64 end = g_get_monotonic_time () + milliseconds * 1000;

  while (g_get_monotonic_time () < end)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

static void
drop_file_on (CdWindow *target,
              GFile    *file)
{
  GtkWidget *source = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  GtkWidget *area = gtk_event_box_new ();
  int source_x, source_y, target_x, target_y;
  g_autofree char *press = NULL;
  g_autofree char *release = NULL;

  gtk_container_add (GTK_CONTAINER (source), area);
  gtk_window_set_default_size (GTK_WINDOW (source), 120, 120);
  gtk_drag_source_set (area, GDK_BUTTON1_MASK, NULL, 0, GDK_ACTION_COPY);
  gtk_drag_source_add_uri_targets (area);
  g_signal_connect (area, "drag-data-get", G_CALLBACK (drag_uri_get_cb), file);
  gtk_widget_show_all (source);
  gtk_window_move (GTK_WINDOW (source), 0, 0);
  gtk_window_move (GTK_WINDOW (target), 200, 0);
  cd_test_ui_wait_for (cd_test_ui_is_mapped, source, "the drag source", NULL);
  cd_test_ui_wait_for_frame (target);
  spin (100);

  gdk_window_get_origin (gtk_widget_get_window (source), &source_x, &source_y);
  gdk_window_get_origin (gtk_widget_get_window (GTK_WIDGET (target)), &target_x, &target_y);
  press = g_strdup_printf ("mousemove %d %d mousedown 1", source_x + 60, source_y + 60);
  xdotool (press);
  spin (100);
  for (int step = 1; step <= 10; step++)
    {
      g_autofree char *move = g_strdup_printf ("mousemove %d %d",
                                               source_x + 60 + (target_x + 300 - source_x - 60) * step / 10,
                                               source_y + 60 + (target_y + 300 - source_y - 60) * step / 10);

      xdotool (move);
      spin (50);
    }
  release = g_strdup ("mouseup 1");
  xdotool (release);
  spin (300);
  gtk_widget_destroy (source);
}

/* A valid annotation: viewed (downloaded into the library, signature checked), saved
 * as a copy; then the next start shows the cached list at once, a start without the
 * service opens on the library, and PDFs from disk are checked against the pin. */
static void
test_documents (Fixture       *fixture,
                gconstpointer  user_data)
{
  CdWindow *window = fixture->window;
  g_autofree char *service = g_strdup (fixture->service->base_url);
  GtkLabel *state_label = annotation_child (window, "state_label");
  g_autofree char *end_date = NULL;
  g_autofree char *ready_text = NULL;
  g_autofree char *copy_dir = g_dir_make_tmp ("certdesk-copy-XXXXXX", NULL);
  g_autofree char *copy_path = NULL;
  g_autofree char *copy_name = NULL;
  g_autofree char *saved_text = NULL;
  g_autofree char *library_dir = cd_document_store_get_default_directory (CD_TEST_DEMO_ID_NUMBER);
  g_autofree char *library_path = NULL;
  g_autofree char *tampered_path = NULL;
  g_autofree char *lapse_title = NULL;
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GBytes) copy = NULL;
  g_autoptr(CdClient) client2 = NULL;
  g_autoptr(CdClient) client3 = NULL;
  g_autoptr(GFile) copy_file = NULL;
  g_autoptr(GFile) tampered_file = NULL;
  g_autoptr(GDir) dir = NULL;
  GtkFileChooser *chooser;
  CdWindow *window2;
  CdWindow *window3;
  const char *name;
  char *data;
  gsize length;

  cd_window_restore_session (window);
  wait_for_page (window, "sign-in");
  type_credentials (window, CD_TEST_DEMO_ID_NUMBER, CD_TEST_DEMO_PASSWORD, TRUE);
  click (page_child (window, "sign_in_button"));
  wait_for_page (window, "notice");
  click (window_child (window, "accept_button"));
  cd_test_ui_wait_for (list_is_shown, window, "the certificate list", window);

  /* Three days: within the reminder's seven. */
  open_certificate (window, "注册安全工程师");
  g_assert_false (gtk_widget_get_visible (annotation_child (window, "view_button")));
  end_date = apply_for (window, 3, NULL);
  ready_text = g_strdup_printf (_("Valid until %s"), end_date);
  wait_for_label (window, state_label, ready_text);
  g_assert_true (gtk_widget_get_visible (annotation_child (window, "view_button")));
  cd_test_ui_save_screenshot (window, "ready");

  click (annotation_child (window, "view_button"));
  g_assert_cmpint (wait_for_signature (window), ==, CD_SIGNATURE_VALID);
  g_assert_true (gtk_widget_get_visible (window_child (window, "save_button")));
  g_assert_false (banner_is_revealed (window));
  cd_test_ui_save_screenshot (window, "document");
  cd_test_ui_assert_accessible_names (window, visible_page (window));

  /* It is in the offline library now, and the lapse reminder went out. */
  dir = g_dir_open (library_dir, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_prefix (name, "AQ2021110105000123-") && g_str_has_suffix (name, ".pdf"))
        library_path = g_build_filename (library_dir, name, NULL);
    }
  g_assert_nonnull (library_path);
  lapse_title = g_strdup_printf (_("The annotation of %1$s lapses on %2$s"), "注册安全工程师", end_date);
  cd_test_ui_wait_for (has_notification, lapse_title, "the lapse reminder", window);

  /* Save a Copy: the file chooser offers CERT_NO-DATE.pdf; the copy is the same bytes. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "save-copy", NULL);
  cd_test_ui_wait_for (file_chooser_is_shown, NULL, "the file chooser", window);
  chooser = find_file_chooser ();
  {
    /* Named by the date on the certificate, in China Standard Time. */
    CdCertificate *certificate = cd_annotation_page_get_certificate (window_child (window, "annotation_page"));
    g_autoptr(GTimeZone) china = cd_time_get_china_zone ();
    g_autofree char *china_date =
      cd_time_format_date (cd_annotation_get_valid_until (cd_certificate_get_latest_annotation (certificate)), china);

    copy_name = g_strdup_printf ("AQ2021110105000123-%s.pdf", china_date);
  }
  {
    g_autofree char *offered = gtk_file_chooser_get_current_name (chooser);

    g_assert_cmpstr (offered, ==, copy_name);
  }
  gtk_file_chooser_set_current_folder (chooser, copy_dir);
  cd_test_ui_iterate ();
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  cd_test_ui_wait_for (banner_is_revealed, window, "the saved banner", window);
  copy_path = g_build_filename (copy_dir, copy_name, NULL);
  saved_text = g_strdup_printf (_("Saved a copy as %s."), copy_path);
  assert_banner (window, GTK_MESSAGE_INFO, saved_text);
  original = read_bytes (library_path);
  copy = read_bytes (copy_path);
  g_assert_true (g_bytes_equal (original, copy));
  cd_test_ui_save_screenshot (window, "saved-copy");

  /* Back returns to the annotation page. */
  cd_test_ui_press_key (window, GDK_KEY_Escape, 0);
  g_assert_cmpstr (visible_page (window), ==, "annotations");
  wait_for_keyring_writes (fixture->keyring, service);

  /* The next start: the cached list is there before any answer from the service. */
  client2 = cd_client_new (service, NULL);
  window2 = new_window (client2, fixture->keyring);
  cd_window_restore_session (window2);
  g_assert_cmpstr (visible_page (window2), ==, "certificates");
  g_assert_cmpuint (cd_certificate_list_get_n_certificates (window_child (window2, "certificate_list")), ==, 3);
  cd_test_ui_save_screenshot (window2, "cached-list");
  gtk_widget_destroy (GTK_WIDGET (window2));

  /* Without the service: the cached list, then the library with a banner. */
  g_assert_true (cd_test_service_stop (fixture->service, NULL));
  client3 = cd_client_new (service, NULL);
  window3 = new_window (client3, fixture->keyring);
  cd_window_restore_session (window3);
  g_assert_cmpstr (visible_page (window3), ==, "certificates");
  cd_test_ui_wait_for (library_list_is_shown, window3, "the offline library", window3);
  cd_test_ui_wait_for (banner_is_revealed, window3, "the offline banner", window3);
  g_assert_cmpint (gtk_info_bar_get_message_type (window_child (window3, "banner")), ==, GTK_MESSAGE_WARNING);
  g_assert_true (gtk_widget_get_visible (window_child (window3, "banner_retry_button")));
  g_assert_cmpstr (gtk_label_get_text (row_child (first_row (window3, "library_list"), "annotation_label")), ==,
                   ready_text);
  cd_test_ui_save_screenshot (window3, "offline-library");
  cd_test_ui_assert_accessible_names (window3, visible_page (window3));

  /* Still previewed and verified offline. */
  gtk_widget_activate (GTK_WIDGET (first_row (window3, "library_list")));
  g_assert_cmpint (wait_for_signature (window3), ==, CD_SIGNATURE_VALID);
  cd_test_ui_save_screenshot (window3, "offline-document");
  cd_test_ui_press_key (window3, GDK_KEY_Escape, 0);
  g_assert_cmpstr (visible_page (window3), ==, "library");

  /* A PDF dropped on the window: the saved copy checks out against the service's pinned
   * signer… */
  copy_file = g_file_new_for_path (copy_path);
  drop_file_on (window3, copy_file);
  g_assert_cmpint (wait_for_signature (window3), ==, CD_SIGNATURE_VALID);

  /* …and a copy with one byte changed does not. */
  data = g_bytes_unref_to_data (g_steal_pointer (&copy), &length);
  data[length / 3] ^= 0x01;
  tampered_path = g_build_filename (copy_dir, "tampered.pdf", NULL);
  g_assert_true (g_file_set_contents (tampered_path, data, length, NULL));
  g_free (data);
  tampered_file = g_file_new_for_path (tampered_path);
  cd_window_open_file (window3, tampered_file);
  g_assert_cmpint (wait_for_signature (window3), !=, CD_SIGNATURE_VALID);
  cd_test_ui_save_screenshot (window3, "tampered");

  /* Another holder on this computer has a library of their own: empty. */
  cd_client_set_session (client3, "32010619850612003X", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (window3), "library", NULL);
  cd_test_ui_iterate ();
  g_assert_cmpstr (visible_page (window3), ==, "library");
  g_assert_cmpuint (cd_certificate_list_get_n_certificates (window_child (window3, "library_list")), ==, 0);
  gtk_widget_destroy (GTK_WIDGET (window3));

  g_unlink (copy_path);
  g_unlink (tampered_path);
  g_rmdir (copy_dir);
}

/* A new version of the service notice: a holder who accepted the last one is shown the
 * new one at the next sign-in, and the certificates after accepting it. */
static void
test_notice_version (void)
{
  g_autofree char *directory = g_dir_make_tmp ("certdesk-notice-XXXXXX", NULL);
  g_autofree char *v2_path = g_build_filename (directory, "notice.ini", NULL);
  g_autoptr(CdTestService) service = NULL;
  g_autoptr(CdClient) client = NULL;
  g_autoptr(CdClient) client2 = NULL;
  CdWindow *window;

  service = cd_test_service_start ("--demo", NULL);
  client = cd_client_new (service->base_url, NULL);
  window = new_window (client, NULL);
  cd_window_sign_in (window, CD_TEST_DEMO_ID_NUMBER, CD_TEST_DEMO_PASSWORD, CD_WINDOW_CREDENTIALS_NONE);
  wait_for_page (window, "notice");
  g_assert_cmpstr (gtk_label_get_text (window_child (window, "notice_title_label")), ==, "服务须知");
  click (window_child (window, "accept_button"));
  cd_test_ui_wait_for (list_is_shown, window, "the certificate list", window);
  gtk_widget_destroy (GTK_WIDGET (window));

  /* The operator publishes version 2 and restarts the service on the same data. */
  g_assert_true (g_file_set_contents (v2_path,
                                      "[Notice]\nVersion=2026-12-01\nTitle=电子证书服务须知（修订）\n"
                                      "Body=一、本服务须知已更新。\\n二、请阅读后接受。\n", -1, NULL));
  cd_test_service_restart (service, (const char * const[]) { "--demo", "--notice-file", v2_path, NULL });
  client2 = cd_client_new (service->base_url, NULL);
  window = new_window (client2, NULL);
  cd_window_sign_in (window, CD_TEST_DEMO_ID_NUMBER, CD_TEST_DEMO_PASSWORD, CD_WINDOW_CREDENTIALS_NONE);
  wait_for_page (window, "notice");
  g_assert_cmpstr (gtk_label_get_text (window_child (window, "notice_title_label")), ==, "电子证书服务须知（修订）");
  g_assert_cmpstr (gtk_label_get_text (window_child (window, "notice_body_label")), ==,
                   "一、本服务须知已更新。\n二、请阅读后接受。");
  cd_test_ui_save_screenshot (window, "new-version");
  click (window_child (window, "accept_button"));
  cd_test_ui_wait_for (list_is_shown, window, "the certificate list after the new notice", window);
  gtk_widget_destroy (GTK_WIDGET (window));

  g_unlink (v2_path);
  g_rmdir (directory);
}

/* The demo service of `certdesk --demo`: started, signed in to without the keyring,
 * stopped with nothing left behind. */
static void
test_demo_service (void)
{
  g_autoptr(CdDemoService) demo = cd_demo_service_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdClient) client = NULL;
  g_autoptr(CdKeyring) keyring = cd_keyring_new ();
  g_autofree char *url = NULL;
  g_autofree char *remembered = NULL;
  GAsyncResult *pending = NULL;
  CdWindow *window;

  cd_demo_service_start_async (demo, NULL, cd_test_async_result_cb, &pending);
  result = cd_test_ui_wait_result (&pending);
  g_assert_true (cd_demo_service_start_finish (demo, result, &error));
  g_assert_no_error (error);
  url = g_strdup (cd_demo_service_get_base_url (demo));
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));

  client = cd_client_new (url, &error);
  g_assert_no_error (error);
  window = cd_window_new (NULL);
  cd_window_set_client (window, client);
  gtk_window_present (GTK_WINDOW (window));
  cd_window_sign_in (window, CD_DEMO_SERVICE_ID_NUMBER, CD_DEMO_SERVICE_PASSWORD, CD_WINDOW_CREDENTIALS_NONE);
  wait_for_page (window, "notice");
  click (window_child (window, "accept_button"));
  cd_test_ui_wait_for (list_is_shown, window, "the demo holder's certificates", window);
  cd_test_ui_save_screenshot (window, "demo");
  gtk_widget_destroy (GTK_WIDGET (window));

  /* Nothing of the demo in the keyring. */
  if (!no_secrets)
    {
      remembered = remembered_account (keyring, url);
      g_assert_null (remembered);
    }

  cd_demo_service_stop (demo);
  g_assert_null (cd_demo_service_get_base_url (demo));
  {
    g_autoptr(CdClient) probe = cd_client_new (url, NULL);
    g_autoptr(CdHolder) holder = NULL;

    cd_client_sign_in_async (probe, CD_DEMO_SERVICE_ID_NUMBER, CD_DEMO_SERVICE_PASSWORD, NULL,
                             cd_test_async_result_cb, &pending);
    g_clear_object (&result);
    result = cd_test_ui_wait_result (&pending);
    holder = cd_client_sign_in_finish (probe, result, &error);
    g_assert_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_NETWORK);
  }
}

/* A demo service that cannot start: the window says so, and offers no sign-in to nowhere. */
static void
test_demo_service_fails (void)
{
  g_autoptr(CdDemoService) demo = cd_demo_service_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *saved_binary = g_strdup (g_getenv ("CERTDESK_SERVER_BINARY"));
  GAsyncResult *pending = NULL;
  CdWindow *window;

  /* A program that exits at once without saying where it listens. */
  g_setenv ("CERTDESK_SERVER_BINARY", "/bin/false", TRUE);
  cd_demo_service_start_async (demo, NULL, cd_test_async_result_cb, &pending);
  result = cd_test_ui_wait_result (&pending);
  g_assert_false (cd_demo_service_start_finish (demo, result, &error));
  g_assert_error (error, CD_DEMO_SERVICE_ERROR, CD_DEMO_SERVICE_ERROR_FAILED);
  g_setenv ("CERTDESK_SERVER_BINARY", saved_binary, TRUE);
  g_assert_null (cd_demo_service_get_base_url (demo));

  window = cd_window_new (NULL);
  cd_window_show_progress (window, _("Starting the demo service…"));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (visible_page (window), ==, "loading");
  cd_window_show_error (window, error->message);
  assert_banner (window, GTK_MESSAGE_ERROR, error->message);
  g_assert_cmpstr (visible_page (window), ==, "loading");
  g_assert_cmpstr (gtk_label_get_text (window_child (window, "loading_label")), ==,
                   _("The certificate service is not available."));
  g_assert_false (gtk_widget_get_visible (window_child (window, "loading_spinner")));
  cd_test_ui_save_screenshot (window, "demo-failed");
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* The zh_CN run proves the window speaks Chinese. */
static void
check_chinese (void)
{
  g_assert_cmpstr (_("Valid"), ==, "有效");
  g_assert_cmpstr (_("Sign In to CertDesk"), ==, "登录 CertDesk");
}

int
main (int   argc,
      char *argv[])
{
  cd_test_ui_init (&argc, &argv, check_chinese);

  start_notification_server ();
  no_secrets = g_strcmp0 (g_getenv ("KEYRING_SESSION_NO_SECRETS"), "1") == 0;
  if (no_secrets)
    {
      g_test_add ("/certdesk/client-ui/no-keyring", Fixture, NULL, fixture_set_up, test_no_keyring, fixture_tear_down);
    }
  else
    {
      g_test_add ("/certdesk/client-ui/id-number-checks", Fixture, NULL, fixture_set_up, test_id_number_checks,
                  fixture_tear_down);
      g_test_add ("/certdesk/client-ui/sign-in-flow", Fixture, NULL, fixture_set_up, test_sign_in_flow,
                  fixture_tear_down);
      g_test_add ("/certdesk/client-ui/register", Fixture, NULL, fixture_set_up, test_register, fixture_tear_down);
      g_test_add ("/certdesk/client-ui/keyboard-only", Fixture, NULL, fixture_set_up, test_keyboard_only,
                  fixture_tear_down);
      g_test_add ("/certdesk/client-ui/throttled", Fixture, NULL, fixture_set_up, test_throttled, fixture_tear_down);
      g_test_add ("/certdesk/client-ui/unreachable", Fixture, NULL, fixture_set_up, test_unreachable,
                  fixture_tear_down);
      g_test_add ("/certdesk/client-ui/service-gone", Fixture, NULL, fixture_set_up, test_service_gone,
                  fixture_tear_down);
      g_test_add ("/certdesk/client-ui/annotation-page", Fixture, NULL, annotation_fixture_set_up,
                  test_annotation_page, fixture_tear_down);
      g_test_add_func ("/certdesk/client-ui/notice-version", test_notice_version);
      g_test_add ("/certdesk/client-ui/lapsed", Fixture, NULL, lapse_fixture_set_up, test_lapsed,
                  fixture_tear_down);
      g_test_add ("/certdesk/client-ui/documents", Fixture, NULL, annotation_fixture_set_up, test_documents,
                  fixture_tear_down);
    }
  g_test_add_func ("/certdesk/client-ui/demo-service", test_demo_service);
  g_test_add_func ("/certdesk/client-ui/demo-service-fails", test_demo_service_fails);

  return g_test_run ();
}
