/* CdRegisterPage alone in a window on a private X server (tests/ui-session.sh): the ID
 * number checked as it is typed for each ID type, the name and both passwords, the
 * keyboard, ::register with normalized values, then those values sent to the real
 * certdesk-server and the service's answer shown on the page. Each step saves a
 * screenshot into $CERTDESK_SCREENSHOT_DIR. */

#include "config.h"

#include "cd-client.h"
#include "cd-client-error.h"
#include "cd-id-number.h"
#include "cd-register-page.h"
#include "cd-test-service.h"
#include "cd-test-ui.h"

#include <glib/gi18n.h>
#include <string.h>

typedef struct
{
  guint     count;
  char     *id_type;
  char     *id_number;
  char     *name;
  char     *password;
  gboolean  remember;
  guint     sign_in_requests;
} Emitted;

typedef struct
{
  GtkWidget      *window;
  CdRegisterPage *page;
  Emitted         emitted;
} Fixture;

/* The page's widgets */

static gpointer
child (Fixture    *fixture,
       const char *name)
{
  return cd_test_ui_template_child (fixture->page, CD_TYPE_REGISTER_PAGE, name);
}

static gboolean
has_class (gpointer    widget,
           const char *name)
{
  return gtk_style_context_has_class (gtk_widget_get_style_context (widget), name);
}

static void
set_text (Fixture    *fixture,
          const char *entry,
          const char *text)
{
  gtk_entry_set_text (child (fixture, entry), text);
  cd_test_ui_iterate ();
}

/* The message under @entry: NULL when there is none. */
static const char *
problem (Fixture    *fixture,
         const char *label)
{
  GtkWidget *widget = child (fixture, label);

  if (!gtk_widget_get_visible (widget))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (widget));
}

static gboolean
can_register (Fixture *fixture)
{
  return gtk_widget_is_sensitive (child (fixture, "register_button"));
}

static void
assert_problem (Fixture    *fixture,
                const char *label,
                const char *entry,
                const char *expected,
                gboolean    error)
{
  const char *text = problem (fixture, label);
  AtkObject *accessible = gtk_widget_get_accessible (child (fixture, entry));

  if (g_strcmp0 (text, expected) != 0)
    g_error ("%s shows “%s”, not “%s”", label, text != NULL ? text : "(nothing)", expected);
  g_assert_cmpstr (atk_object_get_description (accessible), ==, expected != NULL ? expected : "");
  g_assert_cmpint (has_class (child (fixture, entry), "error"), ==, error);
  if (expected != NULL)
    g_assert_cmpint (has_class (child (fixture, label), "cd-field-problem"), ==, error);
}

static void
send_focus_out (GtkWidget *widget)
{
  GdkEvent *event = gdk_event_new (GDK_FOCUS_CHANGE);

  event->focus_change.window = g_object_ref (gtk_widget_get_window (widget));
  event->focus_change.send_event = TRUE;
  event->focus_change.in = FALSE;
  gtk_widget_send_focus_change (widget, event);
  gdk_event_free (event);
  cd_test_ui_iterate ();
}

static gboolean
toggle_is_active (gpointer data)
{
  return gtk_toggle_button_get_active (data);
}

static GtkWidget *
focus (Fixture *fixture)
{
  return gtk_window_get_focus (GTK_WINDOW (fixture->window));
}

/* An 18-character resident ID number whose check character is X. */
static char *
resident_id_ending_in_x (void)
{
  for (int sequence = 0; sequence < 1000; sequence++)
    {
      g_autofree char *first17 = g_strdup_printf ("31010419870215%03d", sequence);

      if (cd_id_number_check_digit (first17) == 'X')
        return g_strconcat (first17, "X", NULL);
    }
  g_assert_not_reached ();
}

/* Fixture */

static void
register_cb (CdRegisterPage *page,
             const char     *id_type,
             const char     *id_number,
             const char     *name,
             const char     *password,
             gboolean        remember,
             Emitted        *emitted)
{
  emitted->count++;
  g_free (emitted->id_type);
  emitted->id_type = g_strdup (id_type);
  g_free (emitted->id_number);
  emitted->id_number = g_strdup (id_number);
  g_free (emitted->name);
  emitted->name = g_strdup (name);
  g_free (emitted->password);
  emitted->password = g_strdup (password);
  emitted->remember = remember;
}

static void
sign_in_requested_cb (CdRegisterPage *page,
                      Emitted        *emitted)
{
  emitted->sign_in_requests++;
}

static gboolean
window_is_active (gpointer data)
{
  return gtk_window_is_active (data);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  fixture->page = CD_REGISTER_PAGE (cd_register_page_new ());
  g_signal_connect (fixture->page, "register", G_CALLBACK (register_cb), &fixture->emitted);
  g_signal_connect (fixture->page, "sign-in-requested", G_CALLBACK (sign_in_requested_cb), &fixture->emitted);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 640, 900);
  gtk_container_add (GTK_CONTAINER (fixture->window), GTK_WIDGET (fixture->page));
  gtk_window_present (GTK_WINDOW (fixture->window));
  cd_test_ui_wait_for_frame (fixture->window);
  /* The keyboard focus, as a window manager would give it: without it, GTK cannot move
   * the focus out of a combo box. */
  gdk_window_focus (gtk_widget_get_window (fixture->window), GDK_CURRENT_TIME);
  cd_test_ui_wait_for (window_is_active, fixture->window, "the window to have the keyboard focus",
                       fixture->window);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  gtk_widget_destroy (fixture->window);
  cd_test_ui_iterate ();
  g_free (fixture->emitted.id_type);
  g_free (fixture->emitted.id_number);
  g_free (fixture->emitted.name);
  g_free (fixture->emitted.password);
}

/* Tests */

static void
test_id_number (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *missing = NULL;
  g_autofree char *normalized = NULL;

  g_assert_cmpint (cd_register_page_get_id_type (fixture->page), ==, CD_ID_TYPE_RESIDENT_ID);
  g_assert_false (can_register (fixture));
  g_assert_null (problem (fixture, "id_problem_label"));
  cd_test_ui_save_screenshot (fixture->window, "empty");

  cd_test_ui_assert_accessible_names (fixture->window, "the registration page");

  set_text (fixture, "name_entry", "张三");
  set_text (fixture, "password_entry", "correct horse");
  set_text (fixture, "confirm_entry", "correct horse");

  /* Typing: a hint while a resident ID number is incomplete, not an error. */
  set_text (fixture, "id_entry", "110105 1990 0307");
  missing = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "A resident ID number has 18 characters; %d is missing.",
                                          "A resident ID number has 18 characters; %d are missing.", 4), 4);
  assert_problem (fixture, "id_problem_label", "id_entry", missing, FALSE);
  g_assert_true (has_class (child (fixture, "id_problem_label"), "dim-label"));
  g_assert_false (can_register (fixture));
  cd_test_ui_save_screenshot (fixture->window, "id-incomplete");

  /* Left incomplete, the hint becomes an error. */
  send_focus_out (child (fixture, "id_entry"));
  assert_problem (fixture, "id_problem_label", "id_entry", missing, TRUE);

  /* Each wrong part is named as soon as it is typed. */
  set_text (fixture, "id_entry", "01010519900307");
  assert_problem (fixture, "id_problem_label", "id_entry",
                  _("This is not a resident ID number: no region code starts with 0."), TRUE);
  set_text (fixture, "id_entry", "11010519901307");
  assert_problem (fixture, "id_problem_label", "id_entry",
                  _("The birth date in this resident ID number (characters 7 to 14) is not a valid date."), TRUE);
  set_text (fixture, "id_entry", "110105190002301239");
  assert_problem (fixture, "id_problem_label", "id_entry",
                  _("The birth date in this resident ID number (characters 7 to 14) is not a valid date."), TRUE);
  set_text (fixture, "id_entry", "1101051990A");
  assert_problem (fixture, "id_problem_label", "id_entry",
                  _("A resident ID number has 17 digits, then a digit or X."), TRUE);
  set_text (fixture, "id_entry", "110105-1990");
  assert_problem (fixture, "id_problem_label", "id_entry", _("An ID number has only letters and digits."), TRUE);
  set_text (fixture, "id_entry", "1101051990030712391");
  assert_problem (fixture, "id_problem_label", "id_entry", _("A resident ID number has 18 characters."), TRUE);
  g_assert_false (can_register (fixture));

  set_text (fixture, "id_entry", "110105199003071238");
  assert_problem (fixture, "id_problem_label", "id_entry",
                  _("This resident ID number is mistyped: its last character does not match the others."), TRUE);
  g_assert_false (can_register (fixture));
  cd_test_ui_save_screenshot (fixture->window, "wrong-check-digit");

  set_text (fixture, "id_entry", CD_TEST_DEMO_ID_NUMBER);
  assert_problem (fixture, "id_problem_label", "id_entry", NULL, FALSE);
  g_assert_true (can_register (fixture));

  /* A passport number is no resident ID number, and the other way round. */
  set_text (fixture, "id_entry", "E1234567");
  g_assert_false (can_register (fixture));
  cd_register_page_set_id_type (fixture->page, CD_ID_TYPE_PASSPORT);
  cd_test_ui_iterate ();
  g_assert_cmpstr (gtk_combo_box_get_active_id (child (fixture, "id_type_combo")), ==, "passport");
  assert_problem (fixture, "id_problem_label", "id_entry", NULL, FALSE);
  g_assert_true (can_register (fixture));
  g_assert_cmpstr (gtk_entry_get_placeholder_text (child (fixture, "id_entry")), ==, _("Passport number"));
  set_text (fixture, "id_entry", "E12");
  assert_problem (fixture, "id_problem_label", "id_entry",
                  _("A document number has 5 to 32 letters and digits."), TRUE);
  set_text (fixture, "id_entry", "E12 345/6");
  assert_problem (fixture, "id_problem_label", "id_entry", _("An ID number has only letters and digits."), TRUE);
  g_assert_false (can_register (fixture));
  cd_test_ui_save_screenshot (fixture->window, "passport-punctuation");

  gtk_combo_box_set_active_id (child (fixture, "id_type_combo"), "other");
  set_text (fixture, "id_entry", "hk a1234567");
  g_assert_cmpint (cd_register_page_get_id_type (fixture->page), ==, CD_ID_TYPE_OTHER);
  g_assert_true (can_register (fixture));
  normalized = cd_register_page_dup_id_number (fixture->page);
  g_assert_cmpstr (normalized, ==, "HKA1234567");
}

static void
test_name_and_passwords (Fixture       *fixture,
                         gconstpointer  user_data)
{
  set_text (fixture, "id_entry", CD_TEST_DEMO_ID_NUMBER);

  /* No name, or only spaces. */
  set_text (fixture, "password_entry", "correct horse");
  set_text (fixture, "confirm_entry", "correct horse");
  g_assert_false (can_register (fixture));
  set_text (fixture, "name_entry", "   ");
  g_assert_false (can_register (fixture));
  set_text (fixture, "name_entry", "李四");
  g_assert_true (can_register (fixture));

  /* A short password: a hint while typing, an error once left, and no registering. */
  set_text (fixture, "password_entry", "short");
  set_text (fixture, "confirm_entry", "short");
  assert_problem (fixture, "password_problem_label", "password_entry",
                  _("The password is too short: use at least 8 characters."), FALSE);
  g_assert_false (can_register (fixture));
  send_focus_out (child (fixture, "password_entry"));
  assert_problem (fixture, "password_problem_label", "password_entry",
                  _("The password is too short: use at least 8 characters."), TRUE);
  cd_test_ui_save_screenshot (fixture->window, "short-password");

  /* Exactly 8 characters (not bytes) is enough. */
  set_text (fixture, "password_entry", "密码密码密码密码");
  set_text (fixture, "confirm_entry", "密码密码密码密码");
  assert_problem (fixture, "password_problem_label", "password_entry", NULL, FALSE);
  g_assert_true (can_register (fixture));

  /* The confirmation, while typed, is not a mismatch yet... */
  set_text (fixture, "password_entry", "correct horse");
  set_text (fixture, "confirm_entry", "correct");
  assert_problem (fixture, "confirm_problem_label", "confirm_entry", NULL, FALSE);
  g_assert_false (can_register (fixture));
  /* ...but a typo is, and so is stopping short. */
  set_text (fixture, "confirm_entry", "correct hoarse");
  assert_problem (fixture, "confirm_problem_label", "confirm_entry", _("The passwords do not match."), TRUE);
  g_assert_false (can_register (fixture));
  cd_test_ui_save_screenshot (fixture->window, "mismatch");
  set_text (fixture, "confirm_entry", "correct");
  send_focus_out (child (fixture, "confirm_entry"));
  assert_problem (fixture, "confirm_problem_label", "confirm_entry", _("The passwords do not match."), TRUE);

  /* Changing the first password to match the confirmation also fixes it. */
  set_text (fixture, "password_entry", "correct");
  assert_problem (fixture, "confirm_problem_label", "confirm_entry", NULL, FALSE);
  assert_problem (fixture, "password_problem_label", "password_entry",
                  _("The password is too short: use at least 8 characters."), TRUE);
  set_text (fixture, "password_entry", "correct horse");
  set_text (fixture, "confirm_entry", "correct horse");
  g_assert_true (can_register (fixture));

  cd_register_page_clear_passwords (fixture->page);
  g_assert_cmpstr (gtk_entry_get_text (child (fixture, "password_entry")), ==, "");
  g_assert_cmpstr (gtk_entry_get_text (child (fixture, "confirm_entry")), ==, "");
  assert_problem (fixture, "password_problem_label", "password_entry", NULL, FALSE);
  g_assert_false (can_register (fixture));
  cd_register_page_focus (fixture->page);
  g_assert_true (focus (fixture) == child (fixture, "password_entry"));
  g_assert_cmpuint (fixture->emitted.count, ==, 0);
}

/* Keyboard only: Tab through the fields, Enter to go on and, at the end, to register. */
static void
test_keyboard (Fixture       *fixture,
               gconstpointer  user_data)
{
  const char *order[] = { "id_type_combo", "id_entry", "name_entry", "password_entry", "confirm_entry",
                          "remember_check", "register_button", "sign_in_link" };
  g_autofree char *id_number = resident_id_ending_in_x ();
  g_autofree char *typed = g_ascii_strdown (id_number, -1);
  GtkWidget *focused;

  cd_register_page_focus (fixture->page);
  g_assert_true (focus (fixture) == child (fixture, "id_entry"));

  /* Enter goes from field to field while the form is incomplete. */
  set_text (fixture, "id_entry", typed);
  cd_test_ui_press_key (fixture->window, GDK_KEY_Return, 0);
  g_assert_true (focus (fixture) == child (fixture, "name_entry"));
  set_text (fixture, "name_entry", "  王五 ");
  cd_test_ui_press_key (fixture->window, GDK_KEY_Return, 0);
  g_assert_true (focus (fixture) == child (fixture, "password_entry"));
  set_text (fixture, "password_entry", "tiger lily 7");
  cd_test_ui_press_key (fixture->window, GDK_KEY_Return, 0);
  g_assert_true (focus (fixture) == child (fixture, "confirm_entry"));
  set_text (fixture, "confirm_entry", "tiger lily");
  cd_test_ui_press_key (fixture->window, GDK_KEY_Return, 0);
  /* Enter in the last field with a mismatch: the error, and no ::register. */
  assert_problem (fixture, "confirm_problem_label", "confirm_entry", _("The passwords do not match."), TRUE);
  g_assert_true (focus (fixture) == child (fixture, "confirm_entry"));
  g_assert_cmpuint (fixture->emitted.count, ==, 0);
  set_text (fixture, "confirm_entry", "tiger lily 7");

  /* The mnemonic of "Remember me". */
  cd_test_ui_press_key (fixture->window, GDK_KEY_r, GDK_MOD1_MASK);
  /* A button activated from the keyboard is pressed for a moment before it toggles. */
  cd_test_ui_wait_for (toggle_is_active, child (fixture, "remember_check"), "Remember me to be checked",
                       fixture->window);

  /* Tab order, from the ID type to the link. */
  gtk_widget_grab_focus (child (fixture, "id_type_combo"));
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      GtkWidget *expected = child (fixture, order[i]);

      focused = focus (fixture);
      if (!(focused == expected || (focused != NULL && gtk_widget_is_ancestor (focused, expected))))
        g_error ("Tab %u: the focus is on %s(%s), not on %s", i, focused != NULL ? G_OBJECT_TYPE_NAME (focused) : "nothing",
                 focused != NULL && GTK_IS_BUILDABLE (focused) ? gtk_buildable_get_name (GTK_BUILDABLE (focused)) : "",
                 order[i]);
      cd_test_ui_press_key (fixture->window, GDK_KEY_Tab, 0);
    }

  /* Enter in the last field registers, with the values normalized. */
  gtk_widget_grab_focus (child (fixture, "confirm_entry"));
  cd_test_ui_save_screenshot (fixture->window, "complete");
  cd_test_ui_press_key (fixture->window, GDK_KEY_Return, 0);
  g_assert_cmpuint (fixture->emitted.count, ==, 1);
  g_assert_cmpstr (fixture->emitted.id_type, ==, "resident_id");
  g_assert_cmpstr (fixture->emitted.id_number, ==, id_number);
  g_assert_true (g_str_has_suffix (fixture->emitted.id_number, "X"));
  g_assert_cmpstr (fixture->emitted.name, ==, "王五");
  g_assert_cmpstr (fixture->emitted.password, ==, "tiger lily 7");
  g_assert_true (fixture->emitted.remember);

  /* Busy: nothing to type or press, a message with a spinner. */
  cd_register_page_set_busy (fixture->page, "Registering…");
  cd_test_ui_iterate ();
  g_assert_true (cd_register_page_get_busy (fixture->page));
  g_assert_false (gtk_widget_is_sensitive (child (fixture, "id_entry")));
  g_assert_false (can_register (fixture));
  g_assert_true (gtk_widget_get_visible (child (fixture, "status_box")));
  g_assert_cmpstr (gtk_label_get_text (child (fixture, "status_label")), ==, "Registering…");
  cd_test_ui_save_screenshot (fixture->window, "busy");
  gtk_widget_activate (child (fixture, "confirm_entry"));
  g_assert_cmpuint (fixture->emitted.count, ==, 1);
  cd_register_page_set_busy (fixture->page, NULL);
  g_assert_false (gtk_widget_get_visible (child (fixture, "status_box")));
  g_assert_true (can_register (fixture));

  /* The link to the sign-in page. */
  g_signal_emit_by_name (child (fixture, "sign_in_link"), "clicked");
  cd_test_ui_iterate ();
  g_assert_cmpuint (fixture->emitted.sign_in_requests, ==, 1);

  cd_register_page_clear (fixture->page);
  cd_test_ui_iterate ();
  g_assert_cmpstr (gtk_entry_get_text (child (fixture, "id_entry")), ==, "");
  g_assert_cmpstr (gtk_entry_get_text (child (fixture, "name_entry")), ==, "");
  g_assert_false (gtk_toggle_button_get_active (child (fixture, "remember_check")));
  g_assert_false (can_register (fixture));
}

static CdHolder *
register_holder (CdClient   *client,
                 Emitted    *emitted,
                 GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  GAsyncResult *pending = NULL;

  cd_client_register_async (client, emitted->id_type, emitted->id_number, emitted->name, emitted->password,
                            cancellable, cd_test_async_result_cb, &pending);
  result = cd_test_ui_wait_result (&pending);
  return cd_client_register_finish (client, result, error);
}

/* What the page emits, sent to the real service: the account is created once. */
static void
test_service_round_trip (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(CdTestService) service = cd_test_service_startv (NULL);
  g_autoptr(CdClient) client = NULL;
  g_autoptr(CdHolder) holder = NULL;
  g_autoptr(CdHolder) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) weak = NULL;
  g_autofree char *id_number = resident_id_ending_in_x ();
  g_autofree char *typed = g_ascii_strdown (id_number, -1);
  g_autofree char *masked = cd_id_number_mask (id_number);

  client = cd_client_new (service->base_url, &error);
  g_assert_no_error (error);

  /* Typed in lower case, with spaces, as holders do. */
  set_text (fixture, "id_entry", typed);
  set_text (fixture, "name_entry", "赵六");
  set_text (fixture, "password_entry", "plum blossom 2026");
  set_text (fixture, "confirm_entry", "plum blossom 2026");
  gtk_button_clicked (child (fixture, "register_button"));
  g_assert_cmpuint (fixture->emitted.count, ==, 1);
  g_assert_cmpstr (fixture->emitted.id_number, ==, id_number);
  g_assert_false (fixture->emitted.remember);

  cd_register_page_set_busy (fixture->page, "Registering…");
  holder = register_holder (client, &fixture->emitted, &error);
  cd_register_page_set_busy (fixture->page, NULL);
  g_assert_no_error (error);
  g_assert_nonnull (holder);
  g_assert_cmpstr (cd_holder_get_name (holder), ==, "赵六");
  g_assert_cmpstr (cd_holder_get_id_type (holder), ==, "resident_id");
  g_assert_cmpstr (cd_holder_get_id_number_masked (holder), ==, masked);

  /* The same ID number again: account_exists, shown on the ID number. */
  gtk_button_clicked (child (fixture, "register_button"));
  g_assert_cmpuint (fixture->emitted.count, ==, 2);
  again = register_holder (client, &fixture->emitted, &error);
  g_assert_null (again);
  g_assert_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_ACCOUNT_EXISTS);
  g_test_message ("account_exists: %s", error->message);
  cd_register_page_show_error (fixture->page, error);
  cd_test_ui_iterate ();
  assert_problem (fixture, "id_problem_label", "id_entry", error->message, TRUE);
  g_assert_false (can_register (fixture));
  g_assert_null (problem (fixture, "error_label"));
  cd_test_ui_save_screenshot (fixture->window, "account-exists");

  /* Editing the ID number takes the answer away. */
  set_text (fixture, "id_entry", CD_TEST_DEMO_ID_NUMBER);
  assert_problem (fixture, "id_problem_label", "id_entry", NULL, FALSE);
  g_assert_true (can_register (fixture));

  /* The password's and the whole form's answers have their places too. */
  weak = g_error_new_literal (CD_CLIENT_ERROR, CD_CLIENT_ERROR_WEAK_PASSWORD,
                              _("The password is too short: use at least 8 characters."));
  cd_register_page_show_error (fixture->page, weak);
  assert_problem (fixture, "password_problem_label", "password_entry", weak->message, TRUE);
  g_assert_false (can_register (fixture));
  cd_register_page_set_error (fixture->page, CD_REGISTER_PAGE_FIELD_PASSWORD, NULL);
  assert_problem (fixture, "password_problem_label", "password_entry", NULL, FALSE);
  cd_register_page_set_error (fixture->page, CD_REGISTER_PAGE_FIELD_NONE, "The service is unreachable.");
  g_assert_cmpstr (problem (fixture, "error_label"), ==, "The service is unreachable.");
  g_assert_true (can_register (fixture));
  set_text (fixture, "name_entry", "赵六六");
  g_assert_null (problem (fixture, "error_label"));
}

static void
check_chinese (void)
{
  g_assert_cmpstr (_("Create a CertDesk Account"), ==, "注册 CertDesk 账号");
  g_assert_cmpstr (_("The passwords do not match."), ==, "两次输入的密码不一致。");
}

int
main (int    argc,
      char **argv)
{
  cd_test_ui_init (&argc, &argv, check_chinese);

  g_test_add ("/certdesk/register-page/id-number", Fixture, NULL, fixture_set_up, test_id_number,
              fixture_tear_down);
  g_test_add ("/certdesk/register-page/name-and-passwords", Fixture, NULL, fixture_set_up,
              test_name_and_passwords, fixture_tear_down);
  g_test_add ("/certdesk/register-page/keyboard", Fixture, NULL, fixture_set_up, test_keyboard,
              fixture_tear_down);
  g_test_add ("/certdesk/register-page/service-round-trip", Fixture, NULL, fixture_set_up,
              test_service_round_trip, fixture_tear_down);

  return g_test_run ();
}
