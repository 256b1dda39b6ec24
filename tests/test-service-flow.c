/* The whole holder flow against the real service, as docs/api.md describes it. */

#include "config.h"

#include "cd-test-service.h"
#include "cd-time.h"

#include <string.h>

#include <glib/gstdio.h>
#include <unistd.h>

static void
assert_certificate_fields (JsonObject          *certificate,
                           const CdTestCertRow *row,
                           const char          *id_number)
{
  g_autofree char *masked = cd_test_mask_id_number (id_number);
  static const char * const members[] = {
    "id", "cert_no", "qualification", "specialty", "level", "holder_name", "gender",
    "id_number_masked", "management_no", "issued_on", "issuer", "status", "latest_annotation",
  };

  g_assert_cmpuint (json_object_get_size (certificate), ==, G_N_ELEMENTS (members));
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    g_assert_true (json_object_has_member (certificate, members[i]));

  g_assert_cmpuint (strlen (cd_test_json_string (certificate, "id")), >, 0);
  g_assert_cmpstr (cd_test_json_string (certificate, "cert_no"), ==, row->cert_no);
  g_assert_cmpstr (cd_test_json_string (certificate, "qualification"), ==, row->qualification);
  g_assert_cmpstr (cd_test_json_string (certificate, "specialty"), ==, row->specialty);
  g_assert_cmpstr (cd_test_json_string (certificate, "level"), ==, row->level);
  g_assert_cmpstr (cd_test_json_string (certificate, "holder_name"), ==, row->holder_name);
  g_assert_cmpstr (cd_test_json_string (certificate, "gender"), ==, row->gender);
  g_assert_cmpstr (cd_test_json_string (certificate, "id_number_masked"), ==, masked);
  g_assert_cmpstr (cd_test_json_string (certificate, "management_no"), ==, row->management_no);
  g_assert_cmpstr (cd_test_json_string (certificate, "issued_on"), ==, row->issued_on);
  g_assert_cmpstr (cd_test_json_string (certificate, "issuer"), ==, row->issuer);
  g_assert_cmpstr (cd_test_json_string (certificate, "status"), ==, row->status);
}

static void
assert_members (JsonObject         *object,
                const char * const *members)
{
  g_autofree char *text = cd_test_json_to_string (object);
  guint n = g_strv_length ((char **) members);

  for (guint i = 0; i < n; i++)
    {
      if (!json_object_has_member (object, members[i]))
        g_error ("member %s missing in %s", members[i], text);
    }
  if (json_object_get_size (object) != n)
    g_error ("unexpected members in %s", text);
}

static const char * const holder_members[] = {
  "name", "id_type", "id_number_masked", "notice_accepted", NULL
};

static const char * const annotation_members[] = {
  "id", "annotation_no", "certificate_id", "scenario", "validity_days", "state", "requested_at",
  "ready_at", "valid_from", "valid_until", "verification_code", NULL
};

static void
assert_quota (JsonObject *quota,
              gint64      used)
{
  g_assert_cmpint (cd_test_json_int (quota, "limit"), ==, 3);
  g_assert_cmpint (cd_test_json_int (quota, "window_days"), ==, 90);
  g_assert_cmpint (cd_test_json_int (quota, "used"), ==, used);
  if (used == 0)
    cd_test_json_assert_null (quota, "next_slot_at");
  else
    cd_test_json_time (quota, "next_slot_at");
}

static void
test_service_info (void)
{
  g_autoptr(CdTestService) service = cd_test_service_startv (NULL);
  g_autoptr(CdTestResponse) response = cd_test_service_request (service, "GET", "/service", NULL, NULL);
  JsonObject *info = cd_test_assert_json (response, 200);
  const char *fingerprint;

  g_assert_cmpstr (cd_test_json_string (info, "name"), ==, "certdesk-server");
  g_assert_cmpuint (strlen (cd_test_json_string (info, "version")), >, 0);
  g_assert_cmpint (cd_test_json_int (info, "api_version"), ==, 1);
  g_assert_cmpint (cd_test_json_int (info, "day_seconds"), ==, 86400);

  fingerprint = cd_test_json_string (info, "signing_certificate_sha256");
  g_assert_true (g_regex_match_simple ("^[0-9a-fA-F]{64}$", fingerprint, 0, 0));

  /* docs/server.md: it is the SHA-256 of signing-cert.pem (of its DER), and the key
   * beside it is private to the service. */
  {
    g_autofree char *cert_path = g_build_filename (service->data_dir, "signing-cert.pem", NULL);
    g_autofree char *key_path = g_build_filename (service->data_dir, "signing-key.pem", NULL);
    g_autofree char *pem = NULL;
    g_autofree guchar *der = NULL;
    g_autofree char *digest = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GString) base64 = g_string_new (NULL);
    g_auto(GStrv) lines = NULL;
    gboolean inside = FALSE;
    gsize der_length;
    GStatBuf key_stat;

    g_file_get_contents (cert_path, &pem, NULL, &error);
    g_assert_no_error (error);
    lines = g_strsplit (pem, "\n", -1);
    for (guint i = 0; lines[i] != NULL; i++)
      {
        if (g_str_has_prefix (lines[i], "-----BEGIN CERTIFICATE-----"))
          inside = TRUE;
        else if (g_str_has_prefix (lines[i], "-----END CERTIFICATE-----"))
          break;
        else if (inside)
          g_string_append (base64, g_strstrip (lines[i]));
      }
    der = g_base64_decode (base64->str, &der_length);
    g_assert_cmpuint (der_length, >, 100);
    digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der, der_length);
    g_assert_cmpint (g_ascii_strcasecmp (digest, fingerprint), ==, 0);

    g_assert_cmpint (g_stat (key_path, &key_stat), ==, 0);
    g_assert_cmpint (key_stat.st_mode & 0777, ==, 0600);
  }
}

static void
test_service_info_day_seconds (void)
{
  g_autoptr(CdTestService) service = cd_test_service_start ("--day-seconds", "7", NULL);
  g_autoptr(CdTestResponse) response = cd_test_service_request (service, "GET", "/service", NULL, NULL);
  JsonObject *info = cd_test_assert_json (response, 200);

  g_assert_cmpint (cd_test_json_int (info, "day_seconds"), ==, 7);
}

static void
test_holder_flow (void)
{
  /* Generation takes 2 s so the pending state can be looked at. */
  g_autoptr(CdTestService) service = cd_test_service_start ("--processing-seconds", "2", NULL);
  g_autoptr(CdTestHolder) holder = cd_test_holder_new ("张三");
  g_autoptr(CdTestCertRow) row = cd_test_cert_row_new (holder, "注册安全工程师", "valid");
  g_autofree char *masked = cd_test_mask_id_number (holder->id_number);
  g_autofree char *certificate_id = NULL;
  g_autofree char *annotation_id = NULL;
  g_autofree char *annotation_no = NULL;
  g_autofree char *verification_code = NULL;
  g_autofree char *notice_version = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *report = NULL;
  g_autofree char *tampered_report = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected_filename = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GBytes) tampered = NULL;
  g_autoptr(JsonObject) ready = NULL;
  gint64 requested_at, valid_from, valid_until, before;

  /* Register. */
  {
    g_autofree char *body = g_strdup_printf ("{\"id_type\": \"resident_id\", \"id_number\": \"%s\", "
                                             "\"name\": \"%s\", \"password\": \"%s\"}",
                                             holder->id_number, holder->name, holder->password);
    g_autoptr(CdTestResponse) response = cd_test_service_request (service, "POST", "/accounts", NULL, body);
    JsonObject *root = cd_test_assert_json (response, 201);
    JsonObject *json_holder = cd_test_json_object (root, "holder");

    assert_members (json_holder, holder_members);
    g_assert_cmpstr (cd_test_json_string (json_holder, "name"), ==, holder->name);
    g_assert_cmpstr (cd_test_json_string (json_holder, "id_type"), ==, "resident_id");
    g_assert_cmpstr (cd_test_json_string (json_holder, "id_number_masked"), ==, masked);
    g_assert_false (cd_test_json_bool (json_holder, "notice_accepted"));
    g_assert_null (strstr (response->text, holder->id_number));
    g_assert_null (strstr (response->text, holder->password));
  }

  /* The certificate is imported by the operator (any time; here after registering). */
  cd_test_service_import_rows (service, &row, 1);

  /* Sign in. */
  {
    g_autofree char *body = g_strdup_printf ("{\"id_number\": \"%s\", \"password\": \"%s\"}",
                                             holder->id_number, holder->password);
    g_autoptr(CdTestResponse) response = NULL;
    JsonObject *root;
    JsonObject *json_holder;
    const char *token;
    gint64 expires_at;

    before = cd_test_now ();
    response = cd_test_service_request (service, "POST", "/sessions", NULL, body);
    root = cd_test_assert_json (response, 201);
    token = cd_test_json_string (root, "token");
    g_assert_cmpuint (strlen (token), ==, 43);
    g_assert_true (g_regex_match_simple ("^[A-Za-z0-9_-]{43}$", token, 0, 0));
    expires_at = cd_test_json_time (root, "expires_at");
    g_assert_cmpint (expires_at, >=, before + 43200 - 2);
    g_assert_cmpint (expires_at, <=, cd_test_now () + 43200 + 2);
    g_assert_false (cd_test_json_bool (root, "notice_accepted"));
    json_holder = cd_test_json_object (root, "holder");
    assert_members (json_holder, holder_members);
    g_assert_cmpstr (cd_test_json_string (json_holder, "id_number_masked"), ==, masked);
    g_assert_false (cd_test_json_bool (json_holder, "notice_accepted"));

    holder->token = g_strdup (token);
  }

  /* GET /holder works before the notice. */
  {
    g_autoptr(CdTestResponse) response = cd_test_service_request (service, "GET", "/holder", holder->token, NULL);
    JsonObject *json_holder = cd_test_assert_json (response, 200);

    assert_members (json_holder, holder_members);
    g_assert_cmpstr (cd_test_json_string (json_holder, "name"), ==, holder->name);
    g_assert_cmpstr (cd_test_json_string (json_holder, "id_type"), ==, "resident_id");
    g_assert_cmpstr (cd_test_json_string (json_holder, "id_number_masked"), ==, masked);
    g_assert_false (cd_test_json_bool (json_holder, "notice_accepted"));
  }

  /* Certificate routes need the notice. */
  {
    g_autoptr(CdTestResponse) list = cd_test_service_request (service, "GET", "/certificates", holder->token, NULL);
    g_autoptr(CdTestResponse) fake = cd_test_service_request (service, "GET",
                                                              "/annotations/00000000-0000-4000-8000-000000000000",
                                                              holder->token, NULL);

    cd_test_assert_error (list, 403, "notice_not_accepted");
    cd_test_assert_error (fake, 403, "notice_not_accepted");
  }

  /* The notice. */
  {
    g_autoptr(CdTestResponse) response = cd_test_service_request (service, "GET", "/notice", holder->token, NULL);
    JsonObject *notice = cd_test_assert_json (response, 200);

    notice_version = g_strdup (cd_test_json_string (notice, "version"));
    g_assert_cmpuint (strlen (notice_version), >, 0);
    g_assert_cmpuint (strlen (cd_test_json_string (notice, "title")), >, 0);
    g_assert_cmpuint (strlen (cd_test_json_string (notice, "body")), >, 0);
    g_assert_false (cd_test_json_bool (notice, "accepted"));
  }
  {
    g_autoptr(CdTestResponse) response = cd_test_service_request (service, "POST", "/notice/accept", holder->token,
                                                                  "{\"version\": \"1999-01-01\"}");
    JsonObject *error = cd_test_assert_error (response, 409, "notice_version_mismatch");

    g_assert_cmpstr (cd_test_json_string (error, "current_version"), ==, notice_version);
  }
  {
    g_autoptr(CdTestResponse) still = cd_test_service_request (service, "GET", "/certificates", holder->token, NULL);

    cd_test_assert_error (still, 403, "notice_not_accepted");
  }
  {
    g_autofree char *body = g_strdup_printf ("{\"version\": \"%s\"}", notice_version);
    g_autoptr(CdTestResponse) response = cd_test_service_request (service, "POST", "/notice/accept",
                                                                  holder->token, body);
    g_autoptr(CdTestResponse) notice = NULL;
    g_autoptr(CdTestResponse) json_holder = NULL;

    cd_test_assert_status (response, 204);
    g_assert_cmpuint (g_bytes_get_size (response->body), ==, 0);

    notice = cd_test_service_request (service, "GET", "/notice", holder->token, NULL);
    g_assert_true (cd_test_json_bool (cd_test_assert_json (notice, 200), "accepted"));
    json_holder = cd_test_service_request (service, "GET", "/holder", holder->token, NULL);
    g_assert_true (cd_test_json_bool (cd_test_assert_json (json_holder, 200), "notice_accepted"));
  }

  /* The list and the detail. */
  {
    g_autoptr(CdTestResponse) response = cd_test_service_request (service, "GET", "/certificates", holder->token, NULL);
    JsonObject *root = cd_test_assert_json (response, 200);
    JsonArray *certificates = cd_test_json_array (root, "certificates");
    JsonObject *certificate;

    g_assert_cmpuint (json_array_get_length (certificates), ==, 1);
    certificate = json_array_get_object_element (certificates, 0);
    g_assert_nonnull (certificate);
    assert_certificate_fields (certificate, row, holder->id_number);
    cd_test_json_assert_null (certificate, "latest_annotation");
    g_assert_null (strstr (response->text, holder->id_number));
    certificate_id = g_strdup (cd_test_json_string (certificate, "id"));
  }
  {
    g_autofree char *path = g_strdup_printf ("/certificates/%s", certificate_id);
    g_autoptr(CdTestResponse) response = cd_test_service_request (service, "GET", path, holder->token, NULL);
    JsonObject *certificate = cd_test_assert_json (response, 200);

    assert_certificate_fields (certificate, row, holder->id_number);
    g_assert_cmpstr (cd_test_json_string (certificate, "id"), ==, certificate_id);
    g_assert_null (strstr (response->text, holder->id_number));
  }
  {
    g_autofree char *path = g_strdup_printf ("/certificates/%s/annotations", certificate_id);
    g_autoptr(CdTestResponse) response = cd_test_service_request (service, "GET", path, holder->token, NULL);
    JsonObject *root = cd_test_assert_json (response, 200);

    g_assert_cmpuint (json_array_get_length (cd_test_json_array (root, "annotations")), ==, 0);
    assert_quota (cd_test_json_object (root, "quota"), 0);
  }

  /* Apply. */
  {
    g_autoptr(CdTestResponse) response = NULL;
    JsonObject *root;
    JsonObject *annotation;
    JsonObject *quota;

    before = cd_test_now ();
    response = cd_test_service_apply (service, holder->token, certificate_id, 90);
    root = cd_test_assert_json (response, 202);
    annotation = cd_test_json_object (root, "annotation");
    assert_members (annotation, annotation_members);
    annotation_id = g_strdup (cd_test_json_string (annotation, "id"));
    g_assert_true (g_regex_match_simple ("^JZ[0-9]{8}", cd_test_json_string (annotation, "annotation_no"), 0, 0));
    annotation_no = g_strdup (cd_test_json_string (annotation, "annotation_no"));
    g_assert_cmpstr (cd_test_json_string (annotation, "certificate_id"), ==, certificate_id);
    g_assert_cmpstr (cd_test_json_string (annotation, "scenario"), ==, "self_use");
    g_assert_cmpint (cd_test_json_int (annotation, "validity_days"), ==, 90);
    g_assert_cmpstr (cd_test_json_string (annotation, "state"), ==, "pending");
    requested_at = cd_test_json_time (annotation, "requested_at");
    g_assert_cmpint (requested_at, >=, before - 1);
    g_assert_cmpint (requested_at, <=, cd_test_now () + 1);
    cd_test_json_assert_null (annotation, "ready_at");
    cd_test_json_assert_null (annotation, "valid_from");
    cd_test_json_assert_null (annotation, "valid_until");
    cd_test_json_assert_null (annotation, "verification_code");

    quota = cd_test_json_object (root, "quota");
    assert_quota (quota, 1);
    g_assert_cmpint (cd_test_json_time (quota, "next_slot_at"), ==, requested_at + 90 * 86400);
  }

  /* While pending: the annotation, the certificate's latest one, and no document. */
  {
    g_autofree char *path = g_strdup_printf ("/annotations/%s", annotation_id);
    g_autofree char *document_path = g_strdup_printf ("/annotations/%s/document", annotation_id);
    g_autofree char *certificate_path = g_strdup_printf ("/certificates/%s", certificate_id);
    g_autoptr(CdTestResponse) response = cd_test_service_request (service, "GET", path, holder->token, NULL);
    g_autoptr(CdTestResponse) document = cd_test_service_request (service, "GET", document_path, holder->token, NULL);
    g_autoptr(CdTestResponse) certificate = cd_test_service_request (service, "GET", certificate_path,
                                                                     holder->token, NULL);
    JsonObject *annotation = cd_test_assert_json (response, 200);
    JsonObject *error;
    JsonObject *latest;

    g_assert_cmpstr (cd_test_json_string (annotation, "state"), ==, "pending");
    error = cd_test_assert_error (document, 409, "not_ready");
    g_assert_cmpstr (cd_test_json_string (error, "state"), ==, "pending");

    latest = cd_test_json_object (cd_test_assert_json (certificate, 200), "latest_annotation");
    assert_members (latest, annotation_members);
    g_assert_cmpstr (cd_test_json_string (latest, "id"), ==, annotation_id);
    g_assert_cmpstr (cd_test_json_string (latest, "state"), ==, "pending");
  }

  ready = cd_test_service_wait_annotation (service, holder->token, annotation_id, 30);
  assert_members (ready, annotation_members);
  g_assert_cmpstr (cd_test_json_string (ready, "state"), ==, "ready");
  g_assert_cmpstr (cd_test_json_string (ready, "id"), ==, annotation_id);
  g_assert_cmpstr (cd_test_json_string (ready, "annotation_no"), ==, annotation_no);
  g_assert_cmpint (cd_test_json_time (ready, "requested_at"), ==, requested_at);
  g_assert_cmpint (cd_test_json_time (ready, "ready_at"), >=, requested_at + 1);
  valid_from = cd_test_json_time (ready, "valid_from");
  valid_until = cd_test_json_time (ready, "valid_until");
  g_assert_cmpint (valid_from, >=, requested_at);
  g_assert_cmpint (valid_until, ==, valid_from + 90 * 86400);
  verification_code = g_strdup (cd_test_json_string (ready, "verification_code"));
  g_assert_cmpuint (strlen (verification_code), >=, 8);

  /* The list of annotations, newest first, and the quota. */
  {
    g_autofree char *path = g_strdup_printf ("/certificates/%s/annotations", certificate_id);
    g_autoptr(CdTestResponse) response = cd_test_service_request (service, "GET", path, holder->token, NULL);
    JsonObject *root = cd_test_assert_json (response, 200);
    JsonArray *annotations = cd_test_json_array (root, "annotations");

    g_assert_cmpuint (json_array_get_length (annotations), ==, 1);
    g_assert_cmpstr (cd_test_json_string (json_array_get_object_element (annotations, 0), "verification_code"),
                     ==, verification_code);
    assert_quota (cd_test_json_object (root, "quota"), 1);
  }

  /* The document. */
  pdf = cd_test_service_download (service, holder->token, annotation_id, &filename);
  {
    /* The date printed on the certificate: China Standard Time, whatever the clock says. */
    g_autoptr(GTimeZone) china = cd_time_get_china_zone ();
    g_autofree char *date = cd_time_format_date (valid_until, china);

    expected_filename = g_strdup_printf ("%s-%s.pdf", row->cert_no, date);
    g_assert_cmpstr (filename, ==, expected_filename);
  }

  if (!cd_test_pdf_signature_valid (pdf, &report))
    g_error ("pdfsig does not find a valid signature:\n%s", report);
  g_assert_nonnull (strstr (report, "adbe.pkcs7.detached"));
  /* The signed ranges cover the whole file: nothing was appended unsigned. */
  g_assert_nonnull (strstr (report, "Total document signed"));

  /* One A4 page. */
  {
    g_autofree char *path = NULL;
    g_autofree char *info = NULL;
    g_autoptr(GError) error = NULL;
    const char *argv[] = { "pdfinfo", NULL, NULL };
    int fd = g_file_open_tmp ("certdesk-info-XXXXXX.pdf", &path, &error);

    g_assert_no_error (error);
    close (fd);
    g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error);
    g_assert_no_error (error);
    argv[1] = path;
    g_assert_cmpint (cd_test_run_command (argv, 30, &info, NULL), ==, 0);
    g_unlink (path);
    if (!g_regex_match_simple ("^Pages: +1$", info, G_REGEX_MULTILINE, 0) ||
        !g_regex_match_simple ("^Page size: .*\\(A4\\)", info, G_REGEX_MULTILINE, 0))
      g_error ("The document is not one A4 page:\n%s", info);
  }

  tampered = cd_test_pdf_tamper (pdf);
  g_assert_false (cd_test_pdf_signature_valid (tampered, &tampered_report));
  g_test_message ("pdfsig on the tampered copy: %s", tampered_report);
  /* pdfsig still found the signature: the digest is what failed. */
  g_assert_nonnull (strstr (tampered_report, "Signature Validation"));

  text = cd_test_pdf_text (pdf);
  if (strstr (text, holder->name) == NULL || strstr (text, row->cert_no) == NULL ||
      strstr (text, "本人调用") == NULL || strstr (text, verification_code) == NULL ||
      strstr (text, annotation_no) == NULL)
    g_error ("The document text lacks the holder name %s, cert_no %s, 本人调用, the code %s "
             "or the annotation number %s:\n%s",
             holder->name, row->cert_no, verification_code, annotation_no, text);

  /* Verify, as anyone scanning the QR code would. */
  {
    g_autofree char *path = g_strdup_printf ("/verify?cert_no=%s&code=%s", row->cert_no, verification_code);
    g_autoptr(CdTestResponse) response = cd_test_service_request (service, "GET", path, NULL, NULL);
    JsonObject *root = cd_test_assert_json (response, 200);
    JsonObject *certificate = cd_test_json_object (root, "certificate");
    JsonObject *annotation = cd_test_json_object (root, "annotation");
    const char *masked_name;

    g_assert_true (cd_test_json_bool (root, "valid"));
    g_assert_cmpint (ABS (cd_test_json_time (root, "checked_at") - cd_test_now ()), <=, 5);
    g_assert_cmpstr (cd_test_json_string (certificate, "cert_no"), ==, row->cert_no);
    g_assert_cmpstr (cd_test_json_string (certificate, "qualification"), ==, row->qualification);
    g_assert_cmpstr (cd_test_json_string (certificate, "status"), ==, "valid");
    g_assert_cmpstr (cd_test_json_string (certificate, "issuer"), ==, row->issuer);
    masked_name = cd_test_json_string (certificate, "holder_name_masked");
    g_assert_cmpstr (masked_name, ==, "张*");
    g_assert_cmpstr (cd_test_json_string (annotation, "annotation_no"), ==, annotation_no);
    g_assert_cmpstr (cd_test_json_string (annotation, "state"), ==, "ready");
    g_assert_cmpint (cd_test_json_time (annotation, "valid_from"), ==, valid_from);
    g_assert_cmpint (cd_test_json_time (annotation, "valid_until"), ==, valid_until);
    /* Nothing that identifies the holder beyond the masked name. */
    g_assert_null (strstr (response->text, holder->name));
    g_assert_null (strstr (response->text, holder->id_number));
  }
  {
    g_autofree char *path = g_strdup_printf ("/verify?cert_no=%s&code=%s", row->cert_no, "WRONGCODE234");
    g_autoptr(CdTestResponse) response = cd_test_service_request (service, "GET", path, NULL, NULL);

    cd_test_assert_error (response, 404, "not_found");
  }
  {
    g_autofree char *path = g_strdup_printf ("/verify?cert_no=%s", row->cert_no);
    g_autoptr(CdTestResponse) response = cd_test_service_request (service, "GET", path, NULL, NULL);

    cd_test_assert_error_field (response, 400, "missing_field", "code");
  }

  /* Sign out. */
  {
    g_autoptr(CdTestResponse) response = cd_test_service_request (service, "DELETE", "/sessions/current",
                                                                  holder->token, NULL);
    g_autoptr(CdTestResponse) after = NULL;
    g_autoptr(CdTestResponse) again = NULL;
    g_autoptr(CdTestResponse) list = NULL;

    cd_test_assert_status (response, 204);
    after = cd_test_service_request (service, "GET", "/holder", holder->token, NULL);
    cd_test_assert_error (after, 401, "unauthorized");
    list = cd_test_service_request (service, "GET", "/certificates", holder->token, NULL);
    cd_test_assert_error (list, 401, "unauthorized");
    again = cd_test_service_request (service, "DELETE", "/sessions/current", holder->token, NULL);
    cd_test_assert_error (again, 401, "unauthorized");
  }

  /* Signing in again gives a new, working token; the notice stays accepted. */
  {
    g_autofree char *old_token = g_strdup (holder->token);
    g_autoptr(CdTestResponse) response = NULL;

    cd_test_holder_sign_in (service, holder);
    g_assert_cmpstr (holder->token, !=, old_token);
    response = cd_test_service_request (service, "GET", "/certificates", holder->token, NULL);
    cd_test_assert_json (response, 200);
  }
}

/* The list is ordered by issued_on, newest first, and holds only the holder's own. */
static void
test_certificate_order (void)
{
  g_autoptr(CdTestService) service = cd_test_service_startv (NULL);
  g_autoptr(CdTestHolder) holder = cd_test_holder_new_ready (service, "李四");
  g_autoptr(CdTestHolder) other = cd_test_holder_new ("赵六");
  g_autoptr(CdTestCertRow) oldest = cd_test_cert_row_new (holder, "一级建造师", "valid");
  g_autoptr(CdTestCertRow) newest = cd_test_cert_row_new (holder, "执业药师", "suspended");
  g_autoptr(CdTestCertRow) middle = cd_test_cert_row_new (holder, "注册安全工程师", "revoked");
  g_autoptr(CdTestCertRow) foreign = cd_test_cert_row_new (other, "注册会计师", "valid");
  CdTestCertRow *rows[4];
  g_autoptr(CdTestResponse) response = NULL;
  JsonArray *certificates;

  cd_test_cert_row_set (oldest, "issued_on", "2012-03-04");
  cd_test_cert_row_set (newest, "issued_on", "2023-11-30");
  cd_test_cert_row_set (middle, "issued_on", "2019-07-01");
  cd_test_cert_row_set (newest, "gender", "女");
  rows[0] = oldest;
  rows[1] = newest;
  rows[2] = middle;
  rows[3] = foreign;
  cd_test_service_import_rows (service, rows, G_N_ELEMENTS (rows));

  response = cd_test_service_request (service, "GET", "/certificates", holder->token, NULL);
  certificates = cd_test_json_array (cd_test_assert_json (response, 200), "certificates");
  g_assert_cmpuint (json_array_get_length (certificates), ==, 3);
  assert_certificate_fields (json_array_get_object_element (certificates, 0), newest, holder->id_number);
  assert_certificate_fields (json_array_get_object_element (certificates, 1), middle, holder->id_number);
  assert_certificate_fields (json_array_get_object_element (certificates, 2), oldest, holder->id_number);
  g_assert_null (strstr (response->text, foreign->cert_no));
}

int
main (int   argc,
      char *argv[])
{
  cd_test_keep_going (&argc, &argv);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/certdesk/service/flow/service-info", test_service_info);
  g_test_add_func ("/certdesk/service/flow/service-info-day-seconds", test_service_info_day_seconds);
  g_test_add_func ("/certdesk/service/flow/holder-flow", test_holder_flow);
  g_test_add_func ("/certdesk/service/flow/certificate-order", test_certificate_order);

  return g_test_run ();
}
