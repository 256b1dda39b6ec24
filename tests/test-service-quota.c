/* The annotation quota: at most 3 per certificate in 90 service days. */

#include "config.h"

#include "cd-test-service.h"

#define N_CONCURRENT 20

/* With --day-seconds 1 the 90-day window still lasts 90 s (days are whole seconds),
 * so this fixture is set up before the other cases run and its case comes last:
 * the wait overlaps the rest of the file. */
static struct
{
  CdTestService *service;
  CdTestHolder  *holder;
  char          *certificate_id;
  gint64         first_requested_at;
  gint64         next_slot_at;
} window;

static gint64
apply_and_check_quota (CdTestService *service,
                       CdTestHolder  *holder,
                       const char    *certificate_id,
                       int            validity_days,
                       gint64         expected_used,
                       gint64        *out_requested_at)
{
  g_autoptr(CdTestResponse) response = cd_test_service_apply (service, holder->token, certificate_id,
                                                              validity_days);
  JsonObject *root = cd_test_assert_json (response, 202);
  JsonObject *annotation = cd_test_json_object (root, "annotation");
  JsonObject *quota = cd_test_json_object (root, "quota");

  g_assert_cmpstr (cd_test_json_string (annotation, "state"), ==, "pending");
  g_assert_cmpint (cd_test_json_int (annotation, "validity_days"), ==, validity_days);
  g_assert_cmpint (cd_test_json_int (quota, "limit"), ==, 3);
  g_assert_cmpint (cd_test_json_int (quota, "window_days"), ==, 90);
  g_assert_cmpint (cd_test_json_int (quota, "used"), ==, expected_used);

  if (out_requested_at != NULL)
    *out_requested_at = cd_test_json_time (annotation, "requested_at");

  return cd_test_json_time (quota, "next_slot_at");
}

static JsonObject *
get_annotations (CdTestService   *service,
                 CdTestHolder    *holder,
                 const char      *certificate_id,
                 CdTestResponse **out_response)
{
  g_autofree char *path = g_strdup_printf ("/certificates/%s/annotations", certificate_id);
  CdTestResponse *response = cd_test_service_request (service, "GET", path, holder->token, NULL);
  JsonObject *root = cd_test_assert_json (response, 200);

  *out_response = response;
  return root;
}

static void
window_fixture_start (void)
{
  g_autoptr(CdTestResponse) refused = NULL;
  JsonObject *error;

  if (window.service != NULL)
    return;

  window.service = cd_test_service_start ("--day-seconds", "1", NULL);
  window.holder = cd_test_holder_new_ready (window.service, "孙七");
  window.certificate_id = cd_test_service_add_certificate (window.service, window.holder,
                                                           "注册安全工程师", "valid", NULL);

  window.next_slot_at = apply_and_check_quota (window.service, window.holder, window.certificate_id,
                                               1, 1, &window.first_requested_at);
  g_assert_cmpint (window.next_slot_at, >=, window.first_requested_at + 90 - 1);
  g_assert_cmpint (window.next_slot_at, <=, window.first_requested_at + 90 + 1);
  apply_and_check_quota (window.service, window.holder, window.certificate_id, 1, 2, NULL);
  apply_and_check_quota (window.service, window.holder, window.certificate_id, 1, 3, NULL);

  refused = cd_test_service_apply (window.service, window.holder->token, window.certificate_id, 1);
  error = cd_test_assert_error (refused, 409, "quota_exceeded");
  g_assert_cmpint (cd_test_json_time (error, "next_slot_at"), ==, window.next_slot_at);
}

static void
window_fixture_stop (void)
{
  g_clear_pointer (&window.service, cd_test_service_free);
  g_clear_pointer (&window.holder, cd_test_holder_free);
  g_clear_pointer (&window.certificate_id, g_free);
}

static void
test_limit (void)
{
  g_autoptr(CdTestService) service = cd_test_service_startv (NULL);
  g_autoptr(CdTestHolder) holder = cd_test_holder_new_ready (service, "周八");
  g_autofree char *certificate_id = cd_test_service_add_certificate (service, holder, "注册安全工程师",
                                                                     "valid", NULL);
  g_autofree char *other_id = cd_test_service_add_certificate (service, holder, "执业药师", "valid", NULL);
  g_autofree char *before = NULL;
  g_autoptr(CdTestResponse) refused = NULL;
  g_autoptr(CdTestResponse) listed = NULL;
  g_autoptr(CdTestResponse) certificate = NULL;
  g_autofree char *certificate_path = NULL;
  JsonObject *root;
  JsonObject *error;
  JsonObject *quota;
  JsonArray *annotations;
  gint64 first_requested_at, next_slot_at;
  const char *ids[3];

  next_slot_at = apply_and_check_quota (service, holder, certificate_id, 90, 1, &first_requested_at);
  g_assert_cmpint (next_slot_at, ==, first_requested_at + 90 * 86400);
  g_assert_cmpint (apply_and_check_quota (service, holder, certificate_id, 30, 2, NULL), ==, next_slot_at);
  g_assert_cmpint (apply_and_check_quota (service, holder, certificate_id, 1, 3, NULL), ==, next_slot_at);

  /* The 4th is refused and changes nothing. */
  before = cd_test_service_store_dump (service);
  refused = cd_test_service_apply (service, holder->token, certificate_id, 90);
  error = cd_test_assert_error (refused, 409, "quota_exceeded");
  g_assert_cmpint (cd_test_json_time (error, "next_slot_at"), ==, next_slot_at);
  cd_test_assert_store_unchanged (service, before);

  root = get_annotations (service, holder, certificate_id, &listed);
  annotations = cd_test_json_array (root, "annotations");
  g_assert_cmpuint (json_array_get_length (annotations), ==, 3);
  quota = cd_test_json_object (root, "quota");
  g_assert_cmpint (cd_test_json_int (quota, "used"), ==, 3);
  g_assert_cmpint (cd_test_json_int (quota, "limit"), ==, 3);
  g_assert_cmpint (cd_test_json_int (quota, "window_days"), ==, 90);
  g_assert_cmpint (cd_test_json_time (quota, "next_slot_at"), ==, next_slot_at);

  /* Newest first: the validity_days tell the three apart (applied 90, 30, 1). */
  for (guint i = 0; i < 3; i++)
    {
      static const gint64 expected_days[] = { 1, 30, 90 };
      JsonObject *annotation = json_array_get_object_element (annotations, i);

      g_assert_cmpint (cd_test_json_int (annotation, "validity_days"), ==, expected_days[i]);
      ids[i] = cd_test_json_string (annotation, "id");
    }

  /* The certificate's latest annotation is the newest one. */
  certificate_path = g_strdup_printf ("/certificates/%s", certificate_id);
  certificate = cd_test_service_request (service, "GET", certificate_path, holder->token, NULL);
  g_assert_cmpstr (cd_test_json_string (cd_test_json_object (cd_test_assert_json (certificate, 200),
                                                             "latest_annotation"), "id"), ==, ids[0]);

  /* The quota is per certificate. */
  apply_and_check_quota (service, holder, other_id, 90, 1, NULL);
}

static void
test_concurrent (void)
{
  g_autoptr(CdTestService) service = cd_test_service_start ("--threads", "8", NULL);
  g_autoptr(CdTestHolder) holder = cd_test_holder_new_ready (service, "吴九");
  g_autofree char *certificate_id = cd_test_service_add_certificate (service, holder, "一级建造师",
                                                                     "valid", NULL);
  g_autofree char *path = g_strdup_printf ("/certificates/%s/annotations", certificate_id);
  g_autoptr(GPtrArray) responses = NULL;
  g_autoptr(CdTestResponse) listed = NULL;
  guint n_accepted = 0, n_refused = 0;
  JsonObject *root;

  responses = cd_test_service_parallel (service, N_CONCURRENT, "POST", path, holder->token,
                                        "{\"scenario\": \"self_use\", \"validity_days\": 90}");
  g_assert_cmpuint (responses->len, ==, N_CONCURRENT);

  for (guint i = 0; i < responses->len; i++)
    {
      CdTestResponse *response = g_ptr_array_index (responses, i);

      if (response->status == 202)
        n_accepted++;
      else if (response->status == 409 &&
               g_strcmp0 (cd_test_response_error_code (response), "quota_exceeded") == 0)
        n_refused++;
      else
        g_test_message ("unexpected answer: %u %s", response->status, response->text);
    }

  g_assert_cmpuint (n_accepted, ==, 3);
  g_assert_cmpuint (n_refused, ==, N_CONCURRENT - 3);

  root = get_annotations (service, holder, certificate_id, &listed);
  g_assert_cmpuint (json_array_get_length (cd_test_json_array (root, "annotations")), ==, 3);
  g_assert_cmpint (cd_test_json_int (cd_test_json_object (root, "quota"), "used"), ==, 3);
}

static void
test_not_valid (void)
{
  g_autoptr(CdTestService) service = cd_test_service_startv (NULL);
  g_autoptr(CdTestHolder) holder = cd_test_holder_new_ready (service, "郑十");
  g_autofree char *revoked_id = cd_test_service_add_certificate (service, holder, "一级建造师", "revoked", NULL);
  g_autofree char *suspended_id = cd_test_service_add_certificate (service, holder, "执业药师", "suspended", NULL);
  g_autofree char *before = cd_test_service_store_dump (service);
  g_autoptr(CdTestResponse) revoked = cd_test_service_apply (service, holder->token, revoked_id, 90);
  g_autoptr(CdTestResponse) suspended = cd_test_service_apply (service, holder->token, suspended_id, 90);
  g_autoptr(CdTestResponse) listed = NULL;
  JsonObject *error;
  JsonObject *root;

  error = cd_test_assert_error (revoked, 409, "certificate_not_valid");
  g_assert_cmpstr (cd_test_json_string (error, "status"), ==, "revoked");
  error = cd_test_assert_error (suspended, 409, "certificate_not_valid");
  g_assert_cmpstr (cd_test_json_string (error, "status"), ==, "suspended");
  cd_test_assert_store_unchanged (service, before);

  root = get_annotations (service, holder, revoked_id, &listed);
  g_assert_cmpuint (json_array_get_length (cd_test_json_array (root, "annotations")), ==, 0);
  g_assert_cmpint (cd_test_json_int (cd_test_json_object (root, "quota"), "used"), ==, 0);
}

static void
test_validity_values (void)
{
  static const char * const bad_bodies[] = {
    "{\"scenario\": \"self_use\", \"validity_days\": 0}",
    "{\"scenario\": \"self_use\", \"validity_days\": 91}",
    "{\"scenario\": \"self_use\", \"validity_days\": -1}",
    "{\"scenario\": \"self_use\", \"validity_days\": \"90\"}",
    "{\"scenario\": \"self_use\", \"validity_days\": 1.5}",
    "{\"scenario\": \"self_use\", \"validity_days\": null}",
    "{\"scenario\": \"self_use\", \"validity_days\": true}",
    "{\"scenario\": \"self_use\", \"validity_days\": [90]}",
    "{\"scenario\": \"self_use\", \"validity_days\": 9999999999999999999}",
  };
  g_autoptr(CdTestService) service = cd_test_service_startv (NULL);
  g_autoptr(CdTestHolder) holder = cd_test_holder_new_ready (service, "钱一");
  g_autofree char *certificate_id = cd_test_service_add_certificate (service, holder, "注册安全工程师",
                                                                     "valid", NULL);
  g_autofree char *path = g_strdup_printf ("/certificates/%s/annotations", certificate_id);
  g_autofree char *before = cd_test_service_store_dump (service);

  for (guint i = 0; i < G_N_ELEMENTS (bad_bodies); i++)
    {
      g_autoptr(CdTestResponse) response = cd_test_service_request (service, "POST", path, holder->token,
                                                                    bad_bodies[i]);

      g_test_message ("body %s", bad_bodies[i]);
      cd_test_assert_error_field (response, 400, "invalid_field", "validity_days");
    }
  cd_test_assert_store_unchanged (service, before);

  /* The bounds themselves are fine. */
  apply_and_check_quota (service, holder, certificate_id, 1, 1, NULL);
  apply_and_check_quota (service, holder, certificate_id, 90, 2, NULL);
}

static void
test_window_passes (void)
{
  g_autoptr(CdTestResponse) listed = NULL;
  g_autoptr(CdTestResponse) after = NULL;
  JsonObject *root;
  JsonObject *quota;
  JsonArray *annotations;

  window_fixture_start ();

  /* Still inside the window, the three count even though they expired (1-day validity). */
  if (cd_test_now () + 2 < window.next_slot_at)
    {
      g_usleep (2500 * 1000);
      root = get_annotations (window.service, window.holder, window.certificate_id, &listed);
      quota = cd_test_json_object (root, "quota");
      g_assert_cmpint (cd_test_json_int (quota, "used"), ==, 3);
      g_assert_cmpint (cd_test_json_time (quota, "next_slot_at"), ==, window.next_slot_at);
      annotations = cd_test_json_array (root, "annotations");
      g_assert_cmpuint (json_array_get_length (annotations), ==, 3);
      for (guint i = 0; i < 3; i++)
        g_assert_cmpstr (cd_test_json_string (json_array_get_object_element (annotations, i), "state"),
                         ==, "expired");
    }
  else
    g_test_message ("the window fixture is already past its window; skipping the in-window check");

  g_test_message ("waiting until %" G_GINT64_FORMAT " for the quota window to pass", window.next_slot_at);
  cd_test_sleep_until (window.next_slot_at + 1);

  root = get_annotations (window.service, window.holder, window.certificate_id, &after);
  quota = cd_test_json_object (root, "quota");
  g_assert_cmpint (cd_test_json_int (quota, "used"), <, 3);
  g_assert_cmpuint (json_array_get_length (cd_test_json_array (root, "annotations")), ==, 3);

  apply_and_check_quota (window.service, window.holder, window.certificate_id, 1,
                         cd_test_json_int (quota, "used") + 1, NULL);

  window_fixture_stop ();
}

int
main (int   argc,
      char *argv[])
{
  gboolean selective = FALSE;
  int status;

  /* Start the window early only for a full run, not for -l, -p or -s. */
  for (int i = 1; i < argc; i++)
    {
      if (g_str_has_prefix (argv[i], "-p") || g_str_has_prefix (argv[i], "-l") ||
          g_str_has_prefix (argv[i], "-s"))
        selective = TRUE;
    }

  cd_test_keep_going (&argc, &argv);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/certdesk/service/quota/limit", test_limit);
  g_test_add_func ("/certdesk/service/quota/concurrent", test_concurrent);
  g_test_add_func ("/certdesk/service/quota/certificate-not-valid", test_not_valid);
  g_test_add_func ("/certdesk/service/quota/validity-values", test_validity_values);
  g_test_add_func ("/certdesk/service/quota/window-passes", test_window_passes);

  if (!selective && !g_test_subprocess ())
    window_fixture_start ();

  status = g_test_run ();
  window_fixture_stop ();

  return status;
}
