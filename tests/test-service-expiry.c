/* Validity counted in service days, and what an expired annotation looks like. */

#include "config.h"

#include "cd-test-service.h"

#define DAY_SECONDS 2

static JsonObject *
verify (CdTestService  *service,
        const char     *cert_no,
        const char     *code,
        CdTestResponse **out_response)
{
  g_autofree char *path = g_strdup_printf ("/verify?cert_no=%s&code=%s", cert_no, code);

  *out_response = cd_test_service_request (service, "GET", path, NULL, NULL);
  return cd_test_assert_json (*out_response, 200);
}

static JsonObject *
get_json (CdTestService   *service,
          const char      *token,
          const char      *path,
          CdTestResponse **out_response)
{
  *out_response = cd_test_service_request (service, "GET", path, token, NULL);
  return cd_test_assert_json (*out_response, 200);
}

static void
test_validity_span (void)
{
  g_autoptr(CdTestService) service = cd_test_service_start ("--day-seconds", G_STRINGIFY (DAY_SECONDS), NULL);
  g_autoptr(CdTestHolder) holder = cd_test_holder_new_ready (service, "冯二");
  g_autofree char *certificate_id = cd_test_service_add_certificate (service, holder, "注册安全工程师",
                                                                     "valid", NULL);
  static const int days[] = { 1, 3 };

  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    {
      g_autofree char *annotation_id = cd_test_service_apply_ok (service, holder->token, certificate_id, days[i]);
      g_autoptr(JsonObject) annotation = cd_test_service_wait_annotation (service, holder->token,
                                                                          annotation_id, 20);
      gint64 valid_from = cd_test_json_time (annotation, "valid_from");

      g_assert_cmpint (cd_test_json_int (annotation, "validity_days"), ==, days[i]);
      g_assert_cmpint (cd_test_json_time (annotation, "valid_until") - valid_from, ==, days[i] * DAY_SECONDS);
      /* Validity starts when the document is generated. */
      g_assert_cmpint (valid_from, ==, cd_test_json_time (annotation, "ready_at"));
    }

  /* The quota window is 90 service days too. */
  {
    g_autofree char *path = g_strdup_printf ("/certificates/%s/annotations", certificate_id);
    g_autoptr(CdTestResponse) response = NULL;
    JsonObject *root = get_json (service, holder->token, path, &response);
    JsonArray *annotations = cd_test_json_array (root, "annotations");
    JsonObject *oldest = json_array_get_object_element (annotations, json_array_get_length (annotations) - 1);
    JsonObject *quota = cd_test_json_object (root, "quota");

    g_assert_cmpuint (json_array_get_length (annotations), ==, 2);
    g_assert_cmpint (cd_test_json_int (quota, "used"), ==, 2);
    g_assert_cmpint (cd_test_json_time (quota, "next_slot_at"), ==,
                     cd_test_json_time (oldest, "requested_at") + 90 * DAY_SECONDS);
  }
}

static void
test_expire (void)
{
  g_autoptr(CdTestService) service = cd_test_service_start ("--day-seconds", G_STRINGIFY (DAY_SECONDS), NULL);
  g_autoptr(CdTestHolder) holder = cd_test_holder_new_ready (service, "陈三");
  g_autofree char *cert_no = NULL;
  g_autofree char *certificate_id = cd_test_service_add_certificate (service, holder, "执业药师", "valid",
                                                                     &cert_no);
  g_autofree char *annotation_id = cd_test_service_apply_ok (service, holder->token, certificate_id, 2);
  g_autoptr(JsonObject) ready = cd_test_service_wait_annotation (service, holder->token, annotation_id, 20);
  g_autofree char *annotation_path = g_strdup_printf ("/annotations/%s", annotation_id);
  g_autofree char *document_path = g_strdup_printf ("/annotations/%s/document", annotation_id);
  g_autofree char *certificate_path = g_strdup_printf ("/certificates/%s", certificate_id);
  g_autofree char *list_path = g_strdup_printf ("/certificates/%s/annotations", certificate_id);
  g_autofree char *code = NULL;
  g_autofree char *report = NULL;
  g_autoptr(GBytes) pdf = NULL;
  gint64 valid_until;

  g_assert_cmpstr (cd_test_json_string (ready, "state"), ==, "ready");
  valid_until = cd_test_json_time (ready, "valid_until");
  g_assert_cmpint (valid_until - cd_test_json_time (ready, "valid_from"), ==, 2 * DAY_SECONDS);
  code = g_strdup (cd_test_json_string (ready, "verification_code"));

  /* Valid now: the document downloads and verifies. */
  g_assert_cmpint (cd_test_now (), <, valid_until);
  pdf = cd_test_service_download (service, holder->token, annotation_id, NULL);
  {
    g_autoptr(CdTestResponse) response = NULL;
    JsonObject *root = verify (service, cert_no, code, &response);

    g_assert_true (cd_test_json_bool (root, "valid"));
    g_assert_cmpstr (cd_test_json_string (cd_test_json_object (root, "annotation"), "state"), ==, "ready");
  }
  g_assert_cmpint (cd_test_now (), <, valid_until);
  if (!cd_test_pdf_signature_valid (pdf, &report))
    g_error ("pdfsig does not find a valid signature:\n%s", report);

  cd_test_sleep_until (valid_until + 1);

  /* Expired: the state, the document and the verification all say so. */
  {
    g_autoptr(CdTestResponse) response = NULL;
    JsonObject *annotation = get_json (service, holder->token, annotation_path, &response);

    g_assert_cmpstr (cd_test_json_string (annotation, "state"), ==, "expired");
    g_assert_cmpint (cd_test_json_time (annotation, "valid_until"), ==, valid_until);
    g_assert_cmpstr (cd_test_json_string (annotation, "verification_code"), ==, code);
  }
  {
    g_autoptr(CdTestResponse) response = cd_test_service_request (service, "GET", document_path,
                                                                  holder->token, NULL);
    JsonObject *error = cd_test_assert_error (response, 410, "annotation_expired");

    g_assert_cmpint (cd_test_json_time (error, "valid_until"), ==, valid_until);
  }
  {
    g_autoptr(CdTestResponse) response = NULL;
    JsonObject *root = verify (service, cert_no, code, &response);
    JsonObject *annotation = cd_test_json_object (root, "annotation");

    g_assert_false (cd_test_json_bool (root, "valid"));
    g_assert_cmpstr (cd_test_json_string (annotation, "state"), ==, "expired");
    g_assert_cmpint (cd_test_json_time (annotation, "valid_until"), ==, valid_until);
    g_assert_cmpstr (cd_test_json_string (cd_test_json_object (root, "certificate"), "status"), ==, "valid");
  }
  {
    g_autoptr(CdTestResponse) response = NULL;
    JsonObject *certificate = get_json (service, holder->token, certificate_path, &response);
    JsonObject *latest = cd_test_json_object (certificate, "latest_annotation");

    g_assert_cmpstr (cd_test_json_string (latest, "id"), ==, annotation_id);
    g_assert_cmpstr (cd_test_json_string (latest, "state"), ==, "expired");
  }
  {
    g_autoptr(CdTestResponse) response = NULL;
    JsonObject *root = get_json (service, holder->token, list_path, &response);
    JsonArray *annotations = cd_test_json_array (root, "annotations");

    g_assert_cmpuint (json_array_get_length (annotations), ==, 1);
    g_assert_cmpstr (cd_test_json_string (json_array_get_object_element (annotations, 0), "state"),
                     ==, "expired");
    /* An expired annotation did not fail: it still counts. */
    g_assert_cmpint (cd_test_json_int (cd_test_json_object (root, "quota"), "used"), ==, 1);
  }

  /* A new application is possible and becomes a fresh, downloadable document. */
  {
    g_autofree char *second_id = cd_test_service_apply_ok (service, holder->token, certificate_id, 1);
    g_autoptr(JsonObject) second = cd_test_service_wait_annotation (service, holder->token, second_id, 20);
    g_autoptr(GBytes) second_pdf = NULL;

    g_assert_cmpstr (cd_test_json_string (second, "state"), ==, "ready");
    g_assert_cmpstr (cd_test_json_string (second, "verification_code"), !=, code);
    second_pdf = cd_test_service_download (service, holder->token, second_id, NULL);
    g_assert_nonnull (second_pdf);
  }
}

int
main (int   argc,
      char *argv[])
{
  cd_test_keep_going (&argc, &argv);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/certdesk/service/expiry/validity-span", test_validity_span);
  g_test_add_func ("/certdesk/service/expiry/expire", test_expire);

  return g_test_run ();
}
