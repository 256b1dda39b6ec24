/* Every bad request gets a 4xx with {"error": {"code", "message"}} and changes nothing. */

#include "config.h"

#include "cd-test-service.h"

#include <string.h>

#define MISSING_UUID "7a1e2b3c-4d5e-4f60-8172-93a4b5c6d7e8"
#define VALID_APPLY "{\"scenario\": \"self_use\", \"validity_days\": 30}"

typedef struct
{
  CdTestService *service;
  CdTestHolder  *holder;
  char          *certificate_id;
  char          *annotation_id;
  char          *cert_no;
  char          *verification_code;
  char          *dump;
  GString       *failures;
} Fixture;

typedef enum
{
  AUTH_NONE,
  AUTH_TOKEN,
  AUTH_RAW,
} AuthKind;

typedef struct
{
  const char *method;
  const char *path;          /* {cert}, {ann}, {cert_no} and {code} are filled in */
  AuthKind    auth;
  const char *authorization; /* AUTH_RAW: the whole header value */
  const char *content_type;
  const char *body;          /* NULL: no body */
  guint       status;
  const char *codes;         /* accepted codes, separated by | */
  const char *fields;        /* accepted error.field values, separated by |; NULL: not checked */
  const char *allow;         /* 405: methods the Allow header must list, separated by , */
} ErrorCase;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(JsonObject) ready = NULL;

  fixture->failures = g_string_new (NULL);
  fixture->service = cd_test_service_startv (NULL);
  fixture->holder = cd_test_holder_new_ready (fixture->service, "蒋十一");
  fixture->certificate_id = cd_test_service_add_certificate (fixture->service, fixture->holder,
                                                             "注册安全工程师", "valid", &fixture->cert_no);
  fixture->annotation_id = cd_test_service_apply_ok (fixture->service, fixture->holder->token,
                                                     fixture->certificate_id, 30);
  ready = cd_test_service_wait_annotation (fixture->service, fixture->holder->token,
                                           fixture->annotation_id, 20);
  g_assert_cmpstr (cd_test_json_string (ready, "state"), ==, "ready");
  fixture->verification_code = g_strdup (cd_test_json_string (ready, "verification_code"));

  /* Nothing is pending any more, so the store only changes if a request changes it. */
  fixture->dump = cd_test_service_store_dump (fixture->service);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (fixture->failures->len > 0)
    g_test_fail_printf ("requests not refused as docs/api.md says:\n%s", fixture->failures->str);
  g_string_free (fixture->failures, TRUE);

  g_clear_pointer (&fixture->service, cd_test_service_free);
  g_clear_pointer (&fixture->holder, cd_test_holder_free);
  g_free (fixture->certificate_id);
  g_free (fixture->annotation_id);
  g_free (fixture->cert_no);
  g_free (fixture->verification_code);
  g_free (fixture->dump);
}

static char *
fill_in (Fixture    *fixture,
         const char *text)
{
  g_autoptr(GString) filled = g_string_new (text);

  g_string_replace (filled, "{cert}", fixture->certificate_id, 0);
  g_string_replace (filled, "{ann}", fixture->annotation_id, 0);
  g_string_replace (filled, "{cert_no}", fixture->cert_no, 0);
  g_string_replace (filled, "{code}", fixture->verification_code, 0);

  return g_string_free (g_steal_pointer (&filled), FALSE);
}

static gboolean
one_of (const char *value,
        const char *alternatives)
{
  g_auto(GStrv) accepted = g_strsplit (alternatives, "|", -1);

  return value != NULL && g_strv_contains ((const char * const *) accepted, value);
}

/* Records what is wrong with @response, if anything, and goes on: one run then lists
 * every deviation instead of stopping at the first. */
static void
check_error_response (Fixture        *fixture,
                      CdTestResponse *response,
                      guint           status,
                      const char     *codes,
                      const char     *fields,
                      const char     *allow)
{
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autofree char *store_diff = NULL;
  const char *content_type;

  if (response->status != status)
    g_string_append_printf (problems, "; status %u instead of %u", response->status, status);

  content_type = soup_message_headers_get_content_type (response->headers, NULL);
  if (g_strcmp0 (content_type, "application/json") != 0)
    g_string_append_printf (problems, "; Content-Type %s", content_type != NULL ? content_type : "(none)");

  if (response->json == NULL || !JSON_NODE_HOLDS_OBJECT (response->json))
    g_string_append (problems, "; the body is not a JSON object");
  else
    {
      JsonObject *root = json_node_get_object (response->json);
      JsonNode *error = json_object_get_member (root, "error");

      if (json_object_get_size (root) != 1)
        g_string_append (problems, "; members besides \"error\"");

      if (error == NULL || !JSON_NODE_HOLDS_OBJECT (error))
        g_string_append (problems, "; no \"error\" object");
      else
        {
          JsonObject *object = json_node_get_object (error);
          JsonNode *code = json_object_get_member (object, "code");
          JsonNode *message = json_object_get_member (object, "message");
          JsonNode *field = json_object_get_member (object, "field");

          if (code == NULL || json_node_get_value_type (code) != G_TYPE_STRING ||
              !one_of (json_node_get_string (code), codes))
            g_string_append_printf (problems, "; code is not %s", codes);
          if (message == NULL || json_node_get_value_type (message) != G_TYPE_STRING ||
              *json_node_get_string (message) == '\0')
            g_string_append (problems, "; no message");
          if (fields != NULL &&
              (field == NULL || json_node_get_value_type (field) != G_TYPE_STRING ||
               !one_of (json_node_get_string (field), fields)))
            g_string_append_printf (problems, "; field is not %s", fields);
        }
    }

  if (allow != NULL)
    {
      const char *header = soup_message_headers_get_list (response->headers, "Allow");
      g_auto(GStrv) expected = g_strsplit (allow, ",", -1);
      g_auto(GStrv) listed = g_strsplit (header != NULL ? header : "", ",", -1);

      for (guint i = 0; listed[i] != NULL; i++)
        g_strstrip (listed[i]);

      if (header == NULL)
        g_string_append (problems, "; no Allow header");
      for (guint i = 0; header != NULL && expected[i] != NULL; i++)
        {
          if (!g_strv_contains ((const char * const *) listed, expected[i]))
            g_string_append_printf (problems, "; Allow: %s lacks %s", header, expected[i]);
        }
      if (g_strv_contains ((const char * const *) listed, response->method))
        g_string_append_printf (problems, "; Allow: %s lists the refused method", header);
    }

  /* A refused request changes nothing. */
  store_diff = cd_test_service_store_diff (fixture->service, fixture->dump);
  if (store_diff != NULL)
    {
      g_string_append_printf (problems, "; %s", store_diff);
      g_free (fixture->dump);
      fixture->dump = cd_test_service_store_dump (fixture->service);
    }

  if (problems->len > 0)
    {
      g_autofree char *line = g_strdup_printf ("%s %s -> %u %s%s\n", response->method, response->path,
                                               response->status, response->text, problems->str);

      g_test_message ("DEVIATION: %s", line);
      g_string_append (fixture->failures, line);
    }
}

static void
run_cases (Fixture         *fixture,
           const ErrorCase *cases,
           guint            n_cases)
{
  for (guint i = 0; i < n_cases; i++)
    {
      const ErrorCase *c = &cases[i];
      g_autofree char *path = fill_in (fixture, c->path);
      g_autofree char *authorization = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(CdTestResponse) response = NULL;

      switch (c->auth)
        {
        case AUTH_NONE:
          break;

        case AUTH_TOKEN:
          authorization = g_strconcat ("Bearer ", fixture->holder->token, NULL);
          break;

        case AUTH_RAW:
        default:
          authorization = g_strdup (c->authorization);
          break;
        }

      if (c->body != NULL)
        body = g_bytes_new (c->body, strlen (c->body));

      g_test_message ("case %u: %s %s (%s) %s", i, c->method, path,
                      c->content_type != NULL ? c->content_type : "no content type",
                      c->body != NULL ? c->body : "");
      response = cd_test_service_request_raw (fixture->service, NULL, c->method, path, authorization,
                                              c->content_type, body);
      check_error_response (fixture, response, c->status, c->codes, c->fields, c->allow);
    }
}

#define JSON "application/json"

static void
test_malformed_bodies (Fixture       *fixture,
                       gconstpointer  user_data)
{
  static const ErrorCase cases[] = {
    { "POST", "/accounts", AUTH_NONE, NULL, JSON, "{", 400, "malformed_json" },
    { "POST", "/accounts", AUTH_NONE, NULL, JSON, "[]", 400, "malformed_json" },
    { "POST", "/accounts", AUTH_NONE, NULL, JSON, "[{\"id_type\": \"passport\"}]", 400, "malformed_json" },
    { "POST", "/accounts", AUTH_NONE, NULL, JSON, "", 400, "malformed_json" },
    { "POST", "/accounts", AUTH_NONE, NULL, JSON, "null", 400, "malformed_json" },
    { "POST", "/accounts", AUTH_NONE, NULL, JSON, "\"text\"", 400, "malformed_json" },
    { "POST", "/accounts", AUTH_NONE, NULL, JSON, "42", 400, "malformed_json" },
    { "POST", "/accounts", AUTH_NONE, NULL, JSON, "{\"id_type\": \"passport\",}", 400, "malformed_json" },
    { "POST", "/accounts", AUTH_NONE, NULL, JSON, "{\"id_type\": 'passport'}", 400, "malformed_json" },
    /* Complete bodies that are JSON-like but not JSON (RFC 8259): single quotes, a comment. */
    { "POST", "/accounts", AUTH_NONE, NULL, JSON,
      "{\"id_type\": 'passport', \"id_number\": 'E12345678', \"name\": 'A', \"password\": 'long enough'}",
      400, "malformed_json" },
    { "POST", "/accounts", AUTH_NONE, NULL, JSON,
      "{\"id_type\": \"passport\", \"id_number\": \"E12345679\", \"name\": \"A\", \"password\": \"long enough\"} /* c */",
      400, "malformed_json" },
    { "POST", "/accounts", AUTH_NONE, NULL, JSON,
      "{\"id_type\": \"passport\", \"id_number\": \"E12345678\", \"name\": \"A\", \"password\": \"long enough\"} x",
      400, "malformed_json" },
    { "POST", "/accounts", AUTH_NONE, NULL, JSON,
      "{\"id_type\": \"passport\", \"id_number\": \"E12345678\", \"name\": 5, \"password\": \"long enough\"}",
      400, "invalid_field", "name" },
    { "POST", "/accounts", AUTH_NONE, NULL, JSON,
      "{\"id_type\": [\"passport\"], \"id_number\": \"E12345678\", \"name\": \"A\", \"password\": \"long enough\"}",
      400, "invalid_field", "id_type" },
    { "POST", "/accounts", AUTH_NONE, NULL, JSON,
      "{\"id_type\": \"passport\", \"id_number\": \"E12345678\", \"name\": \"A\", \"password\": null}",
      400, "invalid_field", "password" },
    { "POST", "/accounts", AUTH_NONE, NULL, JSON,
      "{\"id_type\": \"passport\", \"id_number\": \"E12345678\", \"name\": {\"first\": \"A\"}, \"password\": \"long enough\"}",
      400, "invalid_field", "name" },
    { "POST", "/accounts", AUTH_NONE, NULL, JSON,
      "{\"id_type\": \"passport\", \"id_number\": \"E12345678\", \"name\": \"A\", \"password\": \"long enough\", \"admin\": true}",
      400, "unknown_field", "admin" },
    { "POST", "/accounts", AUTH_NONE, NULL, JSON, "{}", 400, "missing_field", "id_type|id_number|name|password" },
    { "POST", "/sessions", AUTH_NONE, NULL, JSON, "{}", 400, "missing_field", "id_number|password" },
    { "POST", "/sessions", AUTH_NONE, NULL, JSON, "{\"id_number\": \"E12345678\"}", 400, "missing_field", "password" },
    { "POST", "/sessions", AUTH_NONE, NULL, JSON, "{\"id_number\": 1, \"password\": \"long enough\"}",
      400, "invalid_field", "id_number" },
    { "POST", "/sessions", AUTH_NONE, NULL, JSON,
      "{\"id_number\": \"E12345678\", \"password\": \"long enough\", \"remember\": true}",
      400, "unknown_field", "remember" },
    { "POST", "/sessions", AUTH_NONE, NULL, JSON, "[]", 400, "malformed_json" },
    { "POST", "/notice/accept", AUTH_TOKEN, NULL, JSON, "{}", 400, "missing_field", "version" },
    { "POST", "/notice/accept", AUTH_TOKEN, NULL, JSON, "{\"version\": 20261101}", 400, "invalid_field", "version" },
    { "POST", "/notice/accept", AUTH_TOKEN, NULL, JSON, "{\"version\": \"x\", \"extra\": 1}",
      400, "unknown_field", "extra" },
    { "POST", "/notice/accept", AUTH_TOKEN, NULL, JSON, "{\"version\": \"1999-01-01\"}", 409, "notice_version_mismatch" },
    { "POST", "/notice/accept", AUTH_TOKEN, NULL, JSON, "{", 400, "malformed_json" },
    { "POST", "/certificates/{cert}/annotations", AUTH_TOKEN, NULL, JSON,
      "{\"scenario\": \"other_use\", \"validity_days\": 30}", 400, "invalid_field", "scenario" },
    { "POST", "/certificates/{cert}/annotations", AUTH_TOKEN, NULL, JSON,
      "{\"scenario\": \"\", \"validity_days\": 30}", 400, "invalid_field", "scenario" },
    { "POST", "/certificates/{cert}/annotations", AUTH_TOKEN, NULL, JSON,
      "{\"scenario\": 1, \"validity_days\": 30}", 400, "invalid_field", "scenario" },
    { "POST", "/certificates/{cert}/annotations", AUTH_TOKEN, NULL, JSON,
      "{\"scenario\": \"self_use\"}", 400, "missing_field", "validity_days" },
    { "POST", "/certificates/{cert}/annotations", AUTH_TOKEN, NULL, JSON,
      "{\"validity_days\": 30}", 400, "missing_field", "scenario" },
    { "POST", "/certificates/{cert}/annotations", AUTH_TOKEN, NULL, JSON,
      "{\"scenario\": \"self_use\", \"validity_days\": 30, \"note\": \"x\"}", 400, "unknown_field", "note" },
    { "POST", "/certificates/{cert}/annotations", AUTH_TOKEN, NULL, JSON,
      "{\"scenario\": \"self_use\", \"validity_days\": \"30\"}", 400, "invalid_field", "validity_days" },
    { "POST", "/certificates/{cert}/annotations", AUTH_TOKEN, NULL, JSON, "[1, 2]", 400, "malformed_json" },
    { "POST", "/certificates/{cert}/annotations", AUTH_TOKEN, NULL, JSON, "", 400, "malformed_json" },
  };

  run_cases (fixture, cases, G_N_ELEMENTS (cases));
}

static void
test_invalid_utf8 (Fixture       *fixture,
                   gconstpointer  user_data)
{
  static const char * const bodies[] = {
    "{\"id_type\": \"passport\", \"id_number\": \"E12345678\", \"name\": \"\xff\xfe\", \"password\": \"long enough\"}",
    "{\"id_type\": \"passport\", \"id_number\": \"E12345678\", \"name\": \"\xe5\xbc\", \"password\": \"long enough\"}",
    "{\"id_type\": \"passport\", \"id_number\": \"E12345678\", \"name\": \"A\", \"password\": \"long \xc0\xafnough\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GBytes) body = g_bytes_new (bodies[i], strlen (bodies[i]));
      g_autoptr(CdTestResponse) response = cd_test_service_request_raw (fixture->service, NULL, "POST",
                                                                        "/accounts", NULL, JSON, body);

      check_error_response (fixture, response, 400, "malformed_json|invalid_field", NULL, NULL);
    }
}

static void
test_media_type_and_size (Fixture       *fixture,
                          gconstpointer  user_data)
{
  static const ErrorCase cases[] = {
    { "POST", "/accounts", AUTH_NONE, NULL, "text/plain",
      "{\"id_type\": \"passport\", \"id_number\": \"E12345678\", \"name\": \"A\", \"password\": \"long enough\"}",
      415, "unsupported_media_type" },
    { "POST", "/accounts", AUTH_NONE, NULL, "application/x-www-form-urlencoded",
      "id_type=passport&id_number=E12345678&name=A&password=long+enough", 415, "unsupported_media_type" },
    { "POST", "/accounts", AUTH_NONE, NULL, NULL,
      "{\"id_type\": \"passport\", \"id_number\": \"E12345678\", \"name\": \"A\", \"password\": \"long enough\"}",
      415, "unsupported_media_type" },
    { "POST", "/sessions", AUTH_NONE, NULL, "text/json", "{}", 415, "unsupported_media_type" },
    { "POST", "/certificates/{cert}/annotations", AUTH_TOKEN, NULL, "text/plain", VALID_APPLY,
      415, "unsupported_media_type" },
    { "POST", "/notice/accept", AUTH_TOKEN, NULL, "application/xml", "<version>x</version>",
      415, "unsupported_media_type" },
  };
  g_autoptr(GString) big = g_string_new ("{\"id_type\": \"passport\", \"id_number\": \"E12345678\", "
                                         "\"password\": \"long enough\", \"name\": \"");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(CdTestResponse) response = NULL;
  g_autoptr(GString) apply = g_string_new ("{\"scenario\": \"self_use\", \"validity_days\": 30, \"pad\": \"");
  g_autoptr(GBytes) apply_body = NULL;
  g_autoptr(CdTestResponse) apply_response = NULL;
  g_autofree char *apply_path = g_strdup_printf ("/certificates/%s/annotations", fixture->certificate_id);
  g_autofree char *authorization = g_strconcat ("Bearer ", fixture->holder->token, NULL);

  run_cases (fixture, cases, G_N_ELEMENTS (cases));

  /* Over 64 KiB. */
  while (big->len < 70 * 1024)
    g_string_append (big, "aaaaaaaaaaaaaaaa");
  g_string_append (big, "\"}");
  body = g_bytes_new (big->str, big->len);
  response = cd_test_service_request_raw (fixture->service, NULL, "POST", "/accounts", NULL, JSON, body);
  check_error_response (fixture, response, 413, "body_too_large", NULL, NULL);

  while (apply->len < 65 * 1024 + 1)
    g_string_append (apply, "bbbbbbbbbbbbbbbb");
  g_string_append (apply, "\"}");
  apply_body = g_bytes_new (apply->str, apply->len);
  apply_response = cd_test_service_request_raw (fixture->service, NULL, "POST", apply_path, authorization,
                                                JSON, apply_body);
  check_error_response (fixture, apply_response, 413, "body_too_large", NULL, NULL);

  /* The limit itself: 64 KiB is refused for its content, one byte more for its size. */
  for (gsize extra = 0; extra <= 1; extra++)
    {
      g_autoptr(GString) edge = g_string_new ("{\"version\": \"x\", \"pad\": \"");
      g_autoptr(GBytes) edge_body = NULL;
      g_autoptr(CdTestResponse) edge_response = NULL;

      while (edge->len < 64 * 1024 - 2 + extra)
        g_string_append_c (edge, 'c');
      g_string_append (edge, "\"}");
      g_assert_cmpuint (edge->len, ==, 64 * 1024 + extra);

      edge_body = g_bytes_new (edge->str, edge->len);
      edge_response = cd_test_service_request_raw (fixture->service, NULL, "POST", "/notice/accept",
                                                   authorization, JSON, edge_body);
      if (extra == 0)
        check_error_response (fixture, edge_response, 400, "unknown_field", "pad", NULL);
      else
        check_error_response (fixture, edge_response, 413, "body_too_large", NULL, NULL);
    }

  /* A parameter on the media type is still JSON (then refused for the unknown field). */
  {
    static const char charset_text[] = "{\"version\": \"x\", \"extra\": 1}";
    g_autoptr(GBytes) charset_body = g_bytes_new_static (charset_text, strlen (charset_text));
    g_autoptr(CdTestResponse) charset = cd_test_service_request_raw (fixture->service, NULL, "POST",
                                                                     "/notice/accept", authorization,
                                                                     "application/json; charset=utf-8",
                                                                     charset_body);

    check_error_response (fixture, charset, 400, "unknown_field", "extra", NULL);
  }
}

static void
test_routes_and_methods (Fixture       *fixture,
                         gconstpointer  user_data)
{
  static const ErrorCase cases[] = {
    { "GET", "/api/v1/nope", AUTH_NONE, NULL, NULL, NULL, 404, "not_found" },
    { "GET", "/api/v1/nope", AUTH_TOKEN, NULL, NULL, NULL, 404, "not_found" },
    { "GET", "/api/v1/certificates/{cert}/nope", AUTH_TOKEN, NULL, NULL, NULL, 404, "not_found" },
    { "GET", "/api/v1/annotations/{ann}/document/extra", AUTH_TOKEN, NULL, NULL, NULL, 404, "not_found" },
    { "GET", "/api/v1/certificates/{cert}/annotations/{ann}", AUTH_TOKEN, NULL, NULL, NULL, 404, "not_found" },
    { "GET", "/api/v2/service", AUTH_NONE, NULL, NULL, NULL, 404, "not_found" },
    { "GET", "/api/v1/Service", AUTH_NONE, NULL, NULL, NULL, 404, "not_found" },
    { "POST", "/api/v1/nope", AUTH_NONE, NULL, JSON, "{}", 404, "not_found" },
    { "PUT", "/service", AUTH_NONE, NULL, JSON, "{}", 405, "method_not_allowed", NULL, "GET" },
    { "POST", "/service", AUTH_NONE, NULL, JSON, "{}", 405, "method_not_allowed", NULL, "GET" },
    { "DELETE", "/service", AUTH_NONE, NULL, NULL, NULL, 405, "method_not_allowed", NULL, "GET" },
    { "GET", "/accounts", AUTH_NONE, NULL, NULL, NULL, 405, "method_not_allowed", NULL, "POST" },
    { "GET", "/sessions", AUTH_NONE, NULL, NULL, NULL, 405, "method_not_allowed", NULL, "POST" },
    { "GET", "/sessions/current", AUTH_TOKEN, NULL, NULL, NULL, 405, "method_not_allowed", NULL, "DELETE" },
    { "POST", "/holder", AUTH_TOKEN, NULL, JSON, "{}", 405, "method_not_allowed", NULL, "GET" },
    { "DELETE", "/notice", AUTH_TOKEN, NULL, NULL, NULL, 405, "method_not_allowed", NULL, "GET" },
    { "GET", "/notice/accept", AUTH_TOKEN, NULL, NULL, NULL, 405, "method_not_allowed", NULL, "POST" },
    { "DELETE", "/certificates", AUTH_TOKEN, NULL, NULL, NULL, 405, "method_not_allowed", NULL, "GET" },
    { "POST", "/certificates", AUTH_TOKEN, NULL, JSON, "{}", 405, "method_not_allowed", NULL, "GET" },
    { "PATCH", "/certificates/{cert}", AUTH_TOKEN, NULL, JSON, "{\"status\": \"valid\"}",
      405, "method_not_allowed", NULL, "GET" },
    { "DELETE", "/certificates/{cert}", AUTH_TOKEN, NULL, NULL, NULL, 405, "method_not_allowed", NULL, "GET" },
    { "PUT", "/certificates/{cert}/annotations", AUTH_TOKEN, NULL, JSON, VALID_APPLY,
      405, "method_not_allowed", NULL, "GET,POST" },
    { "DELETE", "/annotations/{ann}", AUTH_TOKEN, NULL, NULL, NULL, 405, "method_not_allowed", NULL, "GET" },
    { "POST", "/annotations/{ann}/document", AUTH_TOKEN, NULL, JSON, "{}", 405, "method_not_allowed", NULL, "GET" },
    { "POST", "/verify?cert_no={cert_no}&code={code}", AUTH_NONE, NULL, JSON, "{}",
      405, "method_not_allowed", NULL, "GET" },
  };

  run_cases (fixture, cases, G_N_ELEMENTS (cases));
}

static void
test_bad_ids (Fixture       *fixture,
              gconstpointer  user_data)
{
  static const ErrorCase cases[] = {
    { "GET", "/certificates/not-a-uuid", AUTH_TOKEN, NULL, NULL, NULL, 404, "not_found" },
    { "GET", "/certificates/" MISSING_UUID, AUTH_TOKEN, NULL, NULL, NULL, 404, "not_found" },
    { "GET", "/certificates/12345", AUTH_TOKEN, NULL, NULL, NULL, 404, "not_found" },
    { "GET", "/certificates/x'%20OR%20'1'='1", AUTH_TOKEN, NULL, NULL, NULL, 404, "not_found" },
    { "GET", "/certificates/%E4%B8%AD", AUTH_TOKEN, NULL, NULL, NULL, 404, "not_found" },
    { "GET", "/certificates/{ann}", AUTH_TOKEN, NULL, NULL, NULL, 404, "not_found" },
    { "GET", "/certificates/{cert_no}", AUTH_TOKEN, NULL, NULL, NULL, 404, "not_found" },
    { "GET", "/certificates/not-a-uuid/annotations", AUTH_TOKEN, NULL, NULL, NULL, 404, "not_found" },
    { "GET", "/certificates/" MISSING_UUID "/annotations", AUTH_TOKEN, NULL, NULL, NULL, 404, "not_found" },
    { "POST", "/certificates/" MISSING_UUID "/annotations", AUTH_TOKEN, NULL, JSON, VALID_APPLY, 404, "not_found" },
    { "POST", "/certificates/{ann}/annotations", AUTH_TOKEN, NULL, JSON, VALID_APPLY, 404, "not_found" },
    { "GET", "/annotations/not-a-uuid", AUTH_TOKEN, NULL, NULL, NULL, 404, "not_found" },
    { "GET", "/annotations/" MISSING_UUID, AUTH_TOKEN, NULL, NULL, NULL, 404, "not_found" },
    { "GET", "/annotations/{cert}", AUTH_TOKEN, NULL, NULL, NULL, 404, "not_found" },
    { "GET", "/annotations/" MISSING_UUID "/document", AUTH_TOKEN, NULL, NULL, NULL, 404, "not_found" },
    { "GET", "/annotations/{cert}/document", AUTH_TOKEN, NULL, NULL, NULL, 404, "not_found" },
  };

  run_cases (fixture, cases, G_N_ELEMENTS (cases));
}

static void
test_unauthorized (Fixture       *fixture,
                   gconstpointer  user_data)
{
  static const ErrorCase cases[] = {
    { "GET", "/holder", AUTH_NONE, NULL, NULL, NULL, 401, "unauthorized" },
    { "GET", "/holder", AUTH_RAW, "Bearer garbage", NULL, NULL, 401, "unauthorized" },
    { "GET", "/holder", AUTH_RAW, "Bearer ", NULL, NULL, 401, "unauthorized" },
    { "GET", "/holder", AUTH_RAW, "Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL, NULL, 401, "unauthorized" },
    { "GET", "/holder", AUTH_RAW, "Basic dXNlcjpwYXNzd29yZA==", NULL, NULL, 401, "unauthorized" },
    { "GET", "/notice", AUTH_NONE, NULL, NULL, NULL, 401, "unauthorized" },
    { "POST", "/notice/accept", AUTH_NONE, NULL, JSON, "{\"version\": \"x\"}", 401, "unauthorized" },
    { "DELETE", "/sessions/current", AUTH_NONE, NULL, NULL, NULL, 401, "unauthorized" },
    { "DELETE", "/sessions/current", AUTH_RAW, "Bearer garbage", NULL, NULL, 401, "unauthorized" },
    { "GET", "/certificates", AUTH_NONE, NULL, NULL, NULL, 401, "unauthorized" },
    { "GET", "/certificates", AUTH_RAW, "Bearer garbage", NULL, NULL, 401, "unauthorized" },
    { "GET", "/certificates/{cert}", AUTH_NONE, NULL, NULL, NULL, 401, "unauthorized" },
    { "GET", "/certificates/{cert}/annotations", AUTH_NONE, NULL, NULL, NULL, 401, "unauthorized" },
    { "POST", "/certificates/{cert}/annotations", AUTH_NONE, NULL, JSON, VALID_APPLY, 401, "unauthorized" },
    { "POST", "/certificates/{cert}/annotations", AUTH_RAW, "Bearer garbage", JSON, VALID_APPLY, 401, "unauthorized" },
    { "GET", "/annotations/{ann}", AUTH_NONE, NULL, NULL, NULL, 401, "unauthorized" },
    { "GET", "/annotations/{ann}/document", AUTH_NONE, NULL, NULL, NULL, 401, "unauthorized" },
    { "GET", "/annotations/{ann}/document", AUTH_RAW, "Bearer garbage", NULL, NULL, 401, "unauthorized" },
  };
  g_autofree char *altered = g_strdup (fixture->holder->token);
  g_autofree char *authorization = NULL;
  g_autoptr(CdTestResponse) response = NULL;
  g_autoptr(CdTestResponse) still = NULL;

  run_cases (fixture, cases, G_N_ELEMENTS (cases));

  /* The real token with one character changed. */
  altered[10] = altered[10] == 'A' ? 'B' : 'A';
  authorization = g_strconcat ("Bearer ", altered, NULL);
  response = cd_test_service_request_raw (fixture->service, NULL, "GET", "/certificates", authorization, NULL, NULL);
  check_error_response (fixture, response, 401, "unauthorized", NULL, NULL);

  /* None of this disturbed the real session. */
  still = cd_test_service_request (fixture->service, "GET", "/certificates", fixture->holder->token, NULL);
  cd_test_assert_json (still, 200);
}

static void
test_verify (Fixture       *fixture,
             gconstpointer  user_data)
{
  static const ErrorCase cases[] = {
    { "GET", "/verify", AUTH_NONE, NULL, NULL, NULL, 400, "missing_field", "cert_no|code" },
    { "GET", "/verify?cert_no={cert_no}", AUTH_NONE, NULL, NULL, NULL, 400, "missing_field", "code" },
    { "GET", "/verify?code={code}", AUTH_NONE, NULL, NULL, NULL, 400, "missing_field", "cert_no" },
    { "GET", "/verify?cert_no={cert_no}&code=AAAAAAAAAAAA", AUTH_NONE, NULL, NULL, NULL, 404, "not_found" },
    { "GET", "/verify?cert_no=AQ0000000000000000&code={code}", AUTH_NONE, NULL, NULL, NULL, 404, "not_found" },
    { "GET", "/verify?cert_no={cert_no}&code={code}x", AUTH_NONE, NULL, NULL, NULL, 404, "not_found" },
  };
  g_autofree char *path = g_strdup_printf ("/verify?cert_no=%s&code=%s", fixture->cert_no,
                                           fixture->verification_code);
  g_autoptr(CdTestResponse) response = NULL;

  run_cases (fixture, cases, G_N_ELEMENTS (cases));

  /* The right pair still verifies. */
  response = cd_test_service_request (fixture->service, "GET", path, NULL, NULL);
  g_assert_true (cd_test_json_bool (cd_test_assert_json (response, 200), "valid"));
}

int
main (int   argc,
      char *argv[])
{
  cd_test_keep_going (&argc, &argv);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/certdesk/service/errors/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("malformed-bodies", test_malformed_bodies);
  ADD ("invalid-utf8", test_invalid_utf8);
  ADD ("media-type-and-size", test_media_type_and_size);
  ADD ("routes-and-methods", test_routes_and_methods);
  ADD ("bad-ids", test_bad_ids);
  ADD ("unauthorized", test_unauthorized);
  ADD ("verify", test_verify);

#undef ADD

  return g_test_run ();
}
