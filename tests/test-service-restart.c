/* Crashes, clean stops and the demo data, all on a data directory that outlives the process. */

#include "config.h"

#include "cd-test-service.h"

#include <signal.h>
#include <string.h>

#define N_PENDING 3

static void
assert_signed_and_verified (CdTestService *service,
                            CdTestHolder  *holder,
                            const char    *annotation_id,
                            const char    *cert_no)
{
  g_autoptr(JsonObject) annotation = cd_test_service_wait_annotation (service, holder->token, annotation_id, 30);
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *report = NULL;
  g_autofree char *path = NULL;
  g_autoptr(CdTestResponse) verified = NULL;

  g_assert_cmpstr (cd_test_json_string (annotation, "state"), ==, "ready");
  pdf = cd_test_service_download (service, holder->token, annotation_id, NULL);
  if (!cd_test_pdf_signature_valid (pdf, &report))
    g_error ("annotation %s: pdfsig does not find a valid signature:\n%s", annotation_id, report);

  if (cert_no != NULL)
    {
      path = g_strdup_printf ("/verify?cert_no=%s&code=%s", cert_no,
                              cd_test_json_string (annotation, "verification_code"));
      verified = cd_test_service_request (service, "GET", path, NULL, NULL);
      g_assert_true (cd_test_json_bool (cd_test_assert_json (verified, 200), "valid"));
    }
}

static void
test_kill_while_pending (void)
{
  g_autoptr(CdTestService) service = cd_test_service_start ("--processing-seconds", "8", NULL);
  g_autoptr(CdTestHolder) holder = cd_test_holder_new_ready (service, "韩十二");
  g_autofree char *first_no = NULL;
  g_autofree char *second_no = NULL;
  g_autofree char *first = cd_test_service_add_certificate (service, holder, "注册安全工程师", "valid", &first_no);
  g_autofree char *second = cd_test_service_add_certificate (service, holder, "执业药师", "valid", &second_no);
  char *annotation_ids[N_PENDING];
  char *annotation_nos[N_PENDING];
  const char *cert_nos[N_PENDING] = { first_no, first_no, second_no };

  for (guint i = 0; i < N_PENDING; i++)
    {
      const char *certificate_id = i < 2 ? first : second;
      g_autoptr(CdTestResponse) response = cd_test_service_apply (service, holder->token, certificate_id, 30);
      JsonObject *annotation = cd_test_json_object (cd_test_assert_json (response, 202), "annotation");

      g_assert_cmpstr (cd_test_json_string (annotation, "state"), ==, "pending");
      annotation_ids[i] = g_strdup (cd_test_json_string (annotation, "id"));
      annotation_nos[i] = g_strdup (cd_test_json_string (annotation, "annotation_no"));
    }

  /* Still pending right before the crash. */
  for (guint i = 0; i < N_PENDING; i++)
    {
      g_autofree char *path = g_strdup_printf ("/annotations/%s", annotation_ids[i]);
      g_autoptr(CdTestResponse) response = cd_test_service_request (service, "GET", path, holder->token, NULL);

      g_assert_cmpstr (cd_test_json_string (cd_test_assert_json (response, 200), "state"), ==, "pending");
    }

  cd_test_service_kill (service);
  cd_test_service_restart (service, (const char * const[]) { "--processing-seconds", "0", NULL });
  cd_test_holder_sign_in (service, holder);

  for (guint i = 0; i < N_PENDING; i++)
    {
      g_autofree char *path = g_strdup_printf ("/annotations/%s", annotation_ids[i]);
      g_autoptr(CdTestResponse) response = NULL;
      JsonObject *annotation;

      assert_signed_and_verified (service, holder, annotation_ids[i], cert_nos[i]);

      /* The same annotation, not a new one. */
      response = cd_test_service_request (service, "GET", path, holder->token, NULL);
      annotation = cd_test_assert_json (response, 200);
      g_assert_cmpstr (cd_test_json_string (annotation, "annotation_no"), ==, annotation_nos[i]);
      g_assert_cmpstr (cd_test_json_string (annotation, "state"), ==, "ready");
    }

  /* Nothing was added or lost: 2 and 1 annotations, still counted in the quota. */
  {
    g_autofree char *path = g_strdup_printf ("/certificates/%s/annotations", first);
    g_autoptr(CdTestResponse) response = cd_test_service_request (service, "GET", path, holder->token, NULL);
    JsonObject *root = cd_test_assert_json (response, 200);

    g_assert_cmpuint (json_array_get_length (cd_test_json_array (root, "annotations")), ==, 2);
    g_assert_cmpint (cd_test_json_int (cd_test_json_object (root, "quota"), "used"), ==, 2);
  }

  for (guint i = 0; i < N_PENDING; i++)
    {
      g_free (annotation_ids[i]);
      g_free (annotation_nos[i]);
    }
}

static void
test_sigterm (void)
{
  g_autoptr(CdTestService) service = cd_test_service_start ("--processing-seconds", "3", NULL);
  g_autoptr(CdTestHolder) holder = cd_test_holder_new_ready (service, "曹十三");
  g_autofree char *cert_no = NULL;
  g_autofree char *certificate_id = cd_test_service_add_certificate (service, holder, "一级建造师", "valid",
                                                                     &cert_no);
  g_autofree char *annotation_id = cd_test_service_apply_ok (service, holder->token, certificate_id, 10);
  g_autofree char *description = NULL;
  g_autofree char *again_id = NULL;
  gint64 started = g_get_monotonic_time ();

  /* SIGTERM with an annotation pending: a prompt exit with status 0. */
  if (!cd_test_service_stop (service, &description))
    g_error ("after SIGTERM the server %s", description);
  g_test_message ("SIGTERM took %.1f s", (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);

  cd_test_service_restart (service, (const char * const[]) { "--processing-seconds", "0", NULL });

  /* The holder, the certificate and the annotation outlived the process. */
  cd_test_holder_sign_in (service, holder);
  again_id = cd_test_service_find_certificate (service, holder, cert_no);
  g_assert_cmpstr (again_id, ==, certificate_id);
  assert_signed_and_verified (service, holder, annotation_id, cert_no);

  /* SIGINT too (docs/server.md). */
  g_clear_pointer (&description, g_free);
  if (!cd_test_service_stop_with (service, SIGINT, &description))
    g_error ("after SIGINT the server %s", description);
}

static void
wait_for_stdout (CdTestService *service,
                 const char    *needle)
{
  gint64 deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *text = cd_test_service_dup_stdout (service);

      if (strstr (text, needle) != NULL)
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("--demo did not print %s; stdout: %s", needle, text);
      g_usleep (50 * 1000);
    }
}

static JsonArray *
demo_certificates (CdTestService   *service,
                   CdTestHolder    *demo,
                   CdTestResponse **out_response)
{
  JsonArray *certificates;
  guint n_seen = 0;
  static const struct
  {
    const char *qualification;
    const char *status;
  } expected[] = {
    { "注册安全工程师", "valid" },
    { "执业药师", "valid" },
    { "一级建造师", "revoked" },
  };

  *out_response = cd_test_service_request (service, "GET", "/certificates", demo->token, NULL);
  certificates = cd_test_json_array (cd_test_assert_json (*out_response, 200), "certificates");
  g_assert_cmpuint (json_array_get_length (certificates), ==, G_N_ELEMENTS (expected));

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      for (guint j = 0; j < json_array_get_length (certificates); j++)
        {
          JsonObject *certificate = json_array_get_object_element (certificates, j);

          if (g_strcmp0 (cd_test_json_string (certificate, "qualification"), expected[i].qualification) == 0)
            {
              g_assert_cmpstr (cd_test_json_string (certificate, "status"), ==, expected[i].status);
              g_assert_cmpstr (cd_test_json_string (certificate, "id_number_masked"), ==,
                               "1101**********1239");
              n_seen++;
            }
        }
    }
  g_assert_cmpuint (n_seen, ==, G_N_ELEMENTS (expected));

  return certificates;
}

static const char *
find_qualification (JsonArray  *certificates,
                    const char *qualification)
{
  for (guint j = 0; j < json_array_get_length (certificates); j++)
    {
      JsonObject *certificate = json_array_get_object_element (certificates, j);

      if (g_strcmp0 (cd_test_json_string (certificate, "qualification"), qualification) == 0)
        return cd_test_json_string (certificate, "id");
    }

  return NULL;
}

static void
test_demo (void)
{
  g_autoptr(CdTestService) service = cd_test_service_start ("--demo", NULL);
  CdTestHolder demo = {
    .name = NULL,
    .id_type = (char *) "resident_id",
    .id_number = (char *) CD_TEST_DEMO_ID_NUMBER,
    .password = (char *) CD_TEST_DEMO_PASSWORD,
    .token = NULL,
  };
  g_autoptr(CdTestResponse) first_list = NULL;
  g_autoptr(CdTestResponse) second_list = NULL;
  g_autoptr(CdTestResponse) applied = NULL;
  g_autoptr(JsonObject) ready = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *report = NULL;
  g_autofree char *annotation_id = NULL;
  g_autofree char *safety_id = NULL;
  g_autofree char *pharmacist_id = NULL;
  g_autofree char *builder_id = NULL;
  JsonArray *certificates;
  JsonObject *annotation;
  gint64 requested_at;

  wait_for_stdout (service, CD_TEST_DEMO_ID_NUMBER);
  wait_for_stdout (service, CD_TEST_DEMO_PASSWORD);

  /* Sign in: the demo holder has not accepted the notice yet. */
  {
    g_autofree char *body = g_strdup_printf ("{\"id_number\": \"%s\", \"password\": \"%s\"}",
                                             CD_TEST_DEMO_ID_NUMBER, CD_TEST_DEMO_PASSWORD);
    g_autoptr(CdTestResponse) response = cd_test_service_request (service, "POST", "/sessions", NULL, body);
    JsonObject *root = cd_test_assert_json (response, 201);
    JsonObject *holder = cd_test_json_object (root, "holder");

    g_assert_false (cd_test_json_bool (root, "notice_accepted"));
    g_assert_cmpstr (cd_test_json_string (holder, "id_type"), ==, "resident_id");
    g_assert_cmpstr (cd_test_json_string (holder, "id_number_masked"), ==, "1101**********1239");
    demo.token = g_strdup (cd_test_json_string (root, "token"));
  }
  cd_test_holder_accept_notice (service, &demo);

  certificates = demo_certificates (service, &demo, &first_list);
  safety_id = g_strdup (find_qualification (certificates, "注册安全工程师"));
  pharmacist_id = g_strdup (find_qualification (certificates, "执业药师"));
  builder_id = g_strdup (find_qualification (certificates, "一级建造师"));

  /* --demo generates in 3 s by default. */
  applied = cd_test_service_apply (service, demo.token, safety_id, 90);
  annotation = cd_test_json_object (cd_test_assert_json (applied, 202), "annotation");
  annotation_id = g_strdup (cd_test_json_string (annotation, "id"));
  requested_at = cd_test_json_time (annotation, "requested_at");
  g_usleep (G_USEC_PER_SEC);
  {
    g_autofree char *path = g_strdup_printf ("/annotations/%s", annotation_id);
    g_autoptr(CdTestResponse) response = cd_test_service_request (service, "GET", path, demo.token, NULL);

    g_assert_cmpstr (cd_test_json_string (cd_test_assert_json (response, 200), "state"), ==, "pending");
  }
  ready = cd_test_service_wait_annotation (service, demo.token, annotation_id, 20);
  g_assert_cmpstr (cd_test_json_string (ready, "state"), ==, "ready");
  g_assert_cmpint (cd_test_json_time (ready, "ready_at") - requested_at, >=, 2);
  pdf = cd_test_service_download (service, demo.token, annotation_id, NULL);
  if (!cd_test_pdf_signature_valid (pdf, &report))
    g_error ("pdfsig does not find a valid signature:\n%s", report);

  /* The revoked one cannot be annotated. */
  {
    g_autoptr(CdTestResponse) refused = cd_test_service_apply (service, demo.token, builder_id, 90);

    cd_test_assert_error (refused, 409, "certificate_not_valid");
  }

  /* Seeding again on the same data changes nothing the holder can see. */
  cd_test_service_restart (service, NULL);
  wait_for_stdout (service, CD_TEST_DEMO_PASSWORD);
  g_clear_pointer (&demo.token, g_free);
  {
    g_autofree char *body = g_strdup_printf ("{\"id_number\": \"%s\", \"password\": \"%s\"}",
                                             CD_TEST_DEMO_ID_NUMBER, CD_TEST_DEMO_PASSWORD);
    g_autoptr(CdTestResponse) response = cd_test_service_request (service, "POST", "/sessions", NULL, body);
    JsonObject *root = cd_test_assert_json (response, 201);

    g_assert_true (cd_test_json_bool (root, "notice_accepted"));
    demo.token = g_strdup (cd_test_json_string (root, "token"));
  }

  certificates = demo_certificates (service, &demo, &second_list);
  g_assert_cmpstr (find_qualification (certificates, "注册安全工程师"), ==, safety_id);
  g_assert_cmpstr (find_qualification (certificates, "执业药师"), ==, pharmacist_id);
  g_assert_cmpstr (find_qualification (certificates, "一级建造师"), ==, builder_id);
  {
    g_autofree char *path = g_strdup_printf ("/certificates/%s/annotations", safety_id);
    g_autoptr(CdTestResponse) response = cd_test_service_request (service, "GET", path, demo.token, NULL);
    JsonArray *annotations = cd_test_json_array (cd_test_assert_json (response, 200), "annotations");

    g_assert_cmpuint (json_array_get_length (annotations), ==, 1);
    g_assert_cmpstr (cd_test_json_string (json_array_get_object_element (annotations, 0), "id"), ==,
                     annotation_id);
  }

  g_free (demo.token);
}

int
main (int   argc,
      char *argv[])
{
  cd_test_keep_going (&argc, &argv);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/certdesk/service/restart/kill-while-pending", test_kill_while_pending);
  g_test_add_func ("/certdesk/service/restart/sigterm", test_sigterm);
  g_test_add_func ("/certdesk/service/restart/demo", test_demo);

  return g_test_run ();
}
