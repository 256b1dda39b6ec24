/* Registration rules, sign-in throttling, session lifetime and privacy between holders. */

#include "config.h"

#include "cd-test-service.h"

#include <string.h>

#define MISSING_UUID "3f2b8c1e-5d4a-4e6f-9a7b-0c1d2e3f4a5b"

static char *
account_body (const char *id_type,
              const char *id_number,
              const char *name,
              const char *password)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  if (id_type != NULL)
    {
      json_builder_set_member_name (builder, "id_type");
      json_builder_add_string_value (builder, id_type);
    }
  if (id_number != NULL)
    {
      json_builder_set_member_name (builder, "id_number");
      json_builder_add_string_value (builder, id_number);
    }
  if (name != NULL)
    {
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
    }
  if (password != NULL)
    {
      json_builder_set_member_name (builder, "password");
      json_builder_add_string_value (builder, password);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static CdTestResponse *
sign_in (CdTestService *service,
         const char    *id_number,
         const char    *password)
{
  g_autofree char *body = g_strdup_printf ("{\"id_number\": \"%s\", \"password\": \"%s\"}", id_number, password);

  return cd_test_service_request (service, "POST", "/sessions", NULL, body);
}

static void
assert_refused_registration (CdTestService *service,
                             const char    *body,
                             const char    *code,
                             const char    *field)
{
  g_autoptr(CdTestResponse) response = cd_test_service_request (service, "POST", "/accounts", NULL, body);

  g_test_message ("registering %s", body);
  cd_test_assert_error_field (response, 400, code, field);
}

static void
test_register_validation (void)
{
  g_autoptr(CdTestService) service = cd_test_service_startv (NULL);
  g_autoptr(CdTestHolder) registered = cd_test_holder_new ("钱多多");
  g_autofree char *valid_id = cd_test_resident_id_new ();
  g_autofree char *bad_check = g_strdup (valid_id);
  g_autofree char *bad_date = cd_test_resident_id_complete ("11010519991332123");
  g_autofree char *feb30 = cd_test_resident_id_complete ("11010519900230123");
  g_autofree char *long_name = g_strnfill (65, 'a');
  g_autofree char *long_password = g_strnfill (257, 'p');
  g_autoptr(GString) cjk_name = g_string_new (NULL);
  g_autofree char *before = NULL;
  char *body;

  /* One registered holder so that the store is not empty. */
  cd_test_holder_register (service, registered);
  before = cd_test_service_store_dump (service);

  /* A check character that does not match. */
  bad_check[17] = bad_check[17] == '0' ? '1' : '0';
  body = account_body ("resident_id", bad_check, "张三", "long enough password");
  assert_refused_registration (service, body, "invalid_field", "id_number");
  g_free (body);

  /* Right check character, impossible birth dates. */
  body = account_body ("resident_id", bad_date, "张三", "long enough password");
  assert_refused_registration (service, body, "invalid_field", "id_number");
  g_free (body);
  body = account_body ("resident_id", feb30, "张三", "long enough password");
  assert_refused_registration (service, body, "invalid_field", "id_number");
  g_free (body);

  /* Wrong length, letters. */
  body = account_body ("resident_id", "11010519900307123", "张三", "long enough password");
  assert_refused_registration (service, body, "invalid_field", "id_number");
  g_free (body);
  body = account_body ("resident_id", "11010A199003071239", "张三", "long enough password");
  assert_refused_registration (service, body, "invalid_field", "id_number");
  g_free (body);

  /* Passwords under 8 characters are weak; 7 CJK characters are still 7. */
  body = account_body ("resident_id", valid_id, "张三", "short12");
  assert_refused_registration (service, body, "weak_password", "password");
  g_free (body);
  body = account_body ("resident_id", valid_id, "张三", "七个汉字的密码");
  assert_refused_registration (service, body, "weak_password", "password");
  g_free (body);

  body = account_body ("resident_id", valid_id, "张三", long_password);
  assert_refused_registration (service, body, "invalid_field", "password");
  g_free (body);

  /* Names of 1–64 characters. */
  body = account_body ("resident_id", valid_id, "", "long enough password");
  assert_refused_registration (service, body, "invalid_field", "name");
  g_free (body);
  body = account_body ("resident_id", valid_id, long_name, "long enough password");
  assert_refused_registration (service, body, "invalid_field", "name");
  g_free (body);

  /* Types. */
  body = account_body ("driver_license", valid_id, "张三", "long enough password");
  assert_refused_registration (service, body, "invalid_field", "id_type");
  g_free (body);
  body = account_body ("passport", "E123", "张三", "long enough password");
  assert_refused_registration (service, body, "invalid_field", "id_number");
  g_free (body);
  body = account_body ("other", "E1234-5678", "张三", "long enough password");
  assert_refused_registration (service, body, "invalid_field", "id_number");
  g_free (body);
  assert_refused_registration (service, "{\"id_type\": \"resident_id\", \"id_number\": 110105199003071239, "
                               "\"name\": \"张三\", \"password\": \"long enough password\"}",
                               "invalid_field", "id_number");

  /* Missing and unknown members. */
  body = account_body ("resident_id", valid_id, NULL, "long enough password");
  assert_refused_registration (service, body, "missing_field", "name");
  g_free (body);
  body = account_body ("resident_id", valid_id, "张三", NULL);
  assert_refused_registration (service, body, "missing_field", "password");
  g_free (body);
  body = account_body (NULL, valid_id, "张三", "long enough password");
  assert_refused_registration (service, body, "missing_field", "id_type");
  g_free (body);
  body = g_strdup_printf ("{\"id_type\": \"resident_id\", \"id_number\": \"%s\", \"name\": \"张三\", "
                          "\"password\": \"long enough password\", \"email\": \"a@example.com\"}", valid_id);
  assert_refused_registration (service, body, "unknown_field", "email");
  g_free (body);

  /* Already registered, whatever the other members say. */
  {
    g_autoptr(CdTestResponse) response = NULL;

    body = account_body ("resident_id", registered->id_number, "别人", "another password");
    response = cd_test_service_request (service, "POST", "/accounts", NULL, body);
    g_free (body);
    cd_test_assert_error (response, 409, "account_exists");
  }

  cd_test_assert_store_unchanged (service, before);

  /* The refused ID number is still free, and exactly 8 characters is enough. */
  {
    g_autoptr(CdTestResponse) response = NULL;

    body = account_body ("resident_id", valid_id, "张三", "12345678");
    response = cd_test_service_request (service, "POST", "/accounts", NULL, body);
    g_free (body);
    cd_test_assert_json (response, 201);
  }

  /* The limits count characters, not bytes: 64 CJK characters (192 bytes) and a
   * 256-character password are fine. */
  {
    g_autofree char *id_number = cd_test_resident_id_new ();
    g_autofree char *password = g_strnfill (256, 'p');
    g_autoptr(CdTestResponse) response = NULL;
    JsonObject *holder;

    for (guint i = 0; i < 64; i++)
      g_string_append (cjk_name, "张");
    body = account_body ("resident_id", id_number, cjk_name->str, password);
    response = cd_test_service_request (service, "POST", "/accounts", NULL, body);
    g_free (body);
    holder = cd_test_json_object (cd_test_assert_json (response, 201), "holder");
    g_assert_cmpstr (cd_test_json_string (holder, "name"), ==, cjk_name->str);
  }
}

static void
test_register_other_types (void)
{
  g_autoptr(CdTestService) service = cd_test_service_startv (NULL);
  static const struct
  {
    const char *id_type;
    const char *id_number;
  } accounts[] = {
    { "passport", "E12345678" },
    { "other", "HK20240001A" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    {
      g_autofree char *body = account_body (accounts[i].id_type, accounts[i].id_number, "Anna Müller",
                                            "correct horse battery");
      g_autoptr(CdTestResponse) response = cd_test_service_request (service, "POST", "/accounts", NULL, body);
      g_autoptr(CdTestResponse) session = NULL;
      g_autoptr(CdTestResponse) again = NULL;
      JsonObject *holder = cd_test_json_object (cd_test_assert_json (response, 201), "holder");
      JsonObject *root;

      g_assert_cmpstr (cd_test_json_string (holder, "id_type"), ==, accounts[i].id_type);
      g_assert_cmpstr (cd_test_json_string (holder, "name"), ==, "Anna Müller");
      g_assert_cmpstr (cd_test_json_string (holder, "id_number_masked"), !=, accounts[i].id_number);
      g_assert_null (strstr (response->text, accounts[i].id_number));
      g_assert_false (cd_test_json_bool (holder, "notice_accepted"));

      session = sign_in (service, accounts[i].id_number, "correct horse battery");
      root = cd_test_assert_json (session, 201);
      g_assert_cmpstr (cd_test_json_string (cd_test_json_object (root, "holder"), "id_type"), ==,
                       accounts[i].id_type);

      again = cd_test_service_request (service, "POST", "/accounts", NULL, body);
      cd_test_assert_error (again, 409, "account_exists");
    }
}

/* Only hashes of passwords and tokens are kept (api.md: tokens "stored by the service
 * only as SHA-256 hashes"). */
static void
test_secrets_not_stored (void)
{
  g_autoptr(CdTestService) service = cd_test_service_startv (NULL);
  g_autoptr(CdTestHolder) holder = cd_test_holder_new_ready (service, "秘密");
  g_autofree char *dump = cd_test_service_store_dump (service);
  g_autofree char *escaped_password = g_strescape (holder->password, NULL);
  const char *secrets[] = { holder->token, holder->password };

  g_assert_null (strstr (dump, holder->token));
  g_assert_null (strstr (dump, escaped_password));

  /* Nor as raw BLOBs (the dump shows a BLOB as its length and SHA-256). */
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, secrets[i], -1);
      g_autofree char *as_blob = g_strdup_printf ("b:%zu:%s", strlen (secrets[i]), digest);

      g_assert_null (strstr (dump, as_blob));
    }
  /* The ID number itself is needed to link certificates, so it may be there. */
}

static void
assert_locked (CdTestResponse *response)
{
  JsonObject *error = cd_test_assert_error (response, 429, "too_many_attempts");
  const char *retry_after = soup_message_headers_get_one (response->headers, "Retry-After");
  gint64 seconds = cd_test_json_int (error, "retry_after");
  guint64 header_seconds;

  g_assert_nonnull (retry_after);
  g_assert_true (g_ascii_string_to_unsigned (retry_after, 10, 1, 15 * 60, &header_seconds, NULL));
  g_assert_cmpint (seconds, >=, 1);
  g_assert_cmpint (seconds, <=, 15 * 60);
  g_assert_cmpint (ABS ((gint64) header_seconds - seconds), <=, 1);
  /* Locked "for 15 minutes after the last failure", which was just now. */
  g_assert_cmpint (seconds, >=, 15 * 60 - 10);
}

static void
test_throttle (void)
{
  g_autoptr(CdTestService) service = cd_test_service_startv (NULL);
  g_autoptr(CdTestHolder) holder = cd_test_holder_new ("林五");
  g_autoptr(CdTestHolder) bystander = cd_test_holder_new ("何六");
  g_autoptr(CdTestResponse) fifth = NULL;

  cd_test_holder_register (service, holder);
  cd_test_holder_register (service, bystander);

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(CdTestResponse) response = sign_in (service, holder->id_number, "wrong password");

      cd_test_assert_error (response, 401, "invalid_credentials");
    }

  /* The 5th failure locks; whether it already answers 429 is left open by api.md. */
  fifth = sign_in (service, holder->id_number, "wrong password");
  if (fifth->status == 429)
    assert_locked (fifth);
  else
    cd_test_assert_error (fifth, 401, "invalid_credentials");
  g_test_message ("the 5th failed sign-in answered %u", fifth->status);

  /* Locked: wrong and right passwords alike. */
  {
    g_autoptr(CdTestResponse) wrong = sign_in (service, holder->id_number, "wrong password");
    g_autoptr(CdTestResponse) right = sign_in (service, holder->id_number, holder->password);

    assert_locked (wrong);
    assert_locked (right);
  }

  /* Only that ID number is locked. */
  {
    g_autoptr(CdTestResponse) other = sign_in (service, bystander->id_number, bystander->password);

    cd_test_assert_json (other, 201);
  }
}

static void
test_success_clears_count (void)
{
  g_autoptr(CdTestService) service = cd_test_service_startv (NULL);
  g_autoptr(CdTestHolder) holder = cd_test_holder_new ("高七");

  cd_test_holder_register (service, holder);

  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(CdTestResponse) right = NULL;

      for (guint i = 0; i < 4; i++)
        {
          g_autoptr(CdTestResponse) response = sign_in (service, holder->id_number, "not the password");

          cd_test_assert_error (response, 401, "invalid_credentials");
        }

      right = sign_in (service, holder->id_number, holder->password);
      cd_test_assert_json (right, 201);
    }
}

/* Failures that arrive together all count: none is lost in a read-modify-write race. */
static void
test_throttle_concurrent (void)
{
  g_autoptr(CdTestService) service = cd_test_service_start ("--threads", "8", NULL);
  g_autoptr(CdTestHolder) holder = cd_test_holder_new ("吕并发");
  g_autofree char *body = NULL;
  g_autoptr(GPtrArray) responses = NULL;
  g_autoptr(CdTestResponse) right = NULL;

  cd_test_holder_register (service, holder);

  body = g_strdup_printf ("{\"id_number\": \"%s\", \"password\": \"wrong password\"}", holder->id_number);
  responses = cd_test_service_parallel (service, 8, "POST", "/sessions", NULL, body);
  for (guint i = 0; i < responses->len; i++)
    {
      CdTestResponse *response = g_ptr_array_index (responses, i);

      if (response->status == 429)
        assert_locked (response);
      else
        cd_test_assert_error (response, 401, "invalid_credentials");
    }

  right = sign_in (service, holder->id_number, holder->password);
  assert_locked (right);
}

/* Registrations of one ID number that arrive together: exactly one wins. */
static void
test_register_race (void)
{
  g_autoptr(CdTestService) service = cd_test_service_start ("--threads", "8", NULL);
  g_autofree char *id_number = cd_test_resident_id_new ();
  g_autofree char *body = account_body ("resident_id", id_number, "抢注", "correct horse battery");
  g_autoptr(GPtrArray) responses = cd_test_service_parallel (service, 8, "POST", "/accounts", NULL, body);
  g_autoptr(CdTestResponse) session = NULL;
  guint n_created = 0;

  for (guint i = 0; i < responses->len; i++)
    {
      CdTestResponse *response = g_ptr_array_index (responses, i);

      if (response->status == 201)
        n_created++;
      else
        cd_test_assert_error (response, 409, "account_exists");
    }
  g_assert_cmpuint (n_created, ==, 1);

  session = sign_in (service, id_number, "correct horse battery");
  cd_test_assert_json (session, 201);
}

static void
test_same_error (void)
{
  g_autoptr(CdTestService) service = cd_test_service_startv (NULL);
  g_autoptr(CdTestHolder) holder = cd_test_holder_new ("罗八");
  g_autofree char *unknown_id = cd_test_resident_id_new ();
  g_autoptr(CdTestResponse) wrong_id = NULL;
  g_autoptr(CdTestResponse) wrong_password = NULL;
  JsonObject *wrong_id_error;
  JsonObject *wrong_password_error;

  cd_test_holder_register (service, holder);

  wrong_id = sign_in (service, unknown_id, holder->password);
  wrong_password = sign_in (service, holder->id_number, "definitely wrong");

  wrong_id_error = cd_test_assert_error (wrong_id, 401, "invalid_credentials");
  wrong_password_error = cd_test_assert_error (wrong_password, 401, "invalid_credentials");

  /* Nothing tells an attacker which of the two was wrong. */
  g_assert_cmpstr (cd_test_json_string (wrong_id_error, "message"), ==,
                   cd_test_json_string (wrong_password_error, "message"));
  g_assert_cmpuint (json_object_get_size (wrong_id_error), ==, json_object_get_size (wrong_password_error));
}

static void
test_session_expiry (void)
{
  g_autoptr(CdTestService) service = cd_test_service_start ("--session-seconds", "2", NULL);
  g_autoptr(CdTestHolder) holder = cd_test_holder_new ("梁九");
  g_autoptr(CdTestResponse) response = NULL;
  g_autoptr(CdTestResponse) during = NULL;
  g_autoptr(CdTestResponse) after = NULL;
  g_autoptr(CdTestResponse) sign_out = NULL;
  g_autoptr(CdTestResponse) fresh = NULL;
  g_autofree char *token = NULL;
  JsonObject *root;
  gint64 expires_at, before;

  cd_test_holder_register (service, holder);

  before = cd_test_now ();
  response = sign_in (service, holder->id_number, holder->password);
  root = cd_test_assert_json (response, 201);
  token = g_strdup (cd_test_json_string (root, "token"));
  expires_at = cd_test_json_time (root, "expires_at");
  g_assert_cmpint (expires_at, >=, before + 2 - 1);
  g_assert_cmpint (expires_at, <=, cd_test_now () + 2 + 1);

  during = cd_test_service_request (service, "GET", "/holder", token, NULL);
  cd_test_assert_json (during, 200);

  cd_test_sleep_until (expires_at + 1);

  after = cd_test_service_request (service, "GET", "/holder", token, NULL);
  cd_test_assert_error (after, 401, "unauthorized");
  sign_out = cd_test_service_request (service, "DELETE", "/sessions/current", token, NULL);
  cd_test_assert_error (sign_out, 401, "unauthorized");

  /* Signing in again works. */
  cd_test_holder_sign_in (service, holder);
  fresh = cd_test_service_request (service, "GET", "/holder", holder->token, NULL);
  cd_test_assert_json (fresh, 200);
}

/* Signing out ends that session only. */
static void
test_sessions_independent (void)
{
  g_autoptr(CdTestService) service = cd_test_service_startv (NULL);
  g_autoptr(CdTestHolder) holder = cd_test_holder_new ("严两端");
  g_autofree char *phone = NULL;
  g_autoptr(CdTestResponse) sign_out = NULL;
  g_autoptr(CdTestResponse) gone = NULL;
  g_autoptr(CdTestResponse) kept = NULL;

  cd_test_holder_register (service, holder);
  cd_test_holder_sign_in (service, holder);
  phone = g_strdup (holder->token);
  cd_test_holder_sign_in (service, holder);
  g_assert_cmpstr (phone, !=, holder->token);

  sign_out = cd_test_service_request (service, "DELETE", "/sessions/current", phone, NULL);
  cd_test_assert_status (sign_out, 204);
  gone = cd_test_service_request (service, "GET", "/holder", phone, NULL);
  cd_test_assert_error (gone, 401, "unauthorized");
  kept = cd_test_service_request (service, "GET", "/holder", holder->token, NULL);
  cd_test_assert_json (kept, 200);
}

static void
assert_not_found (CdTestService *service,
                  const char    *method,
                  const char    *path,
                  const char    *token,
                  const char    *body)
{
  g_autoptr(CdTestResponse) response = cd_test_service_request (service, method, path, token, body);

  cd_test_assert_error (response, 404, "not_found");
}

static void
test_isolation (void)
{
  g_autoptr(CdTestService) service = cd_test_service_startv (NULL);
  g_autoptr(CdTestHolder) alice = cd_test_holder_new_ready (service, "甲一");
  g_autoptr(CdTestHolder) bob = cd_test_holder_new_ready (service, "乙二");
  g_autofree char *alice_cert_no = NULL;
  g_autofree char *alice_cert = cd_test_service_add_certificate (service, alice, "注册安全工程师", "valid",
                                                                 &alice_cert_no);
  g_autofree char *bob_cert = cd_test_service_add_certificate (service, bob, "执业药师", "valid", NULL);
  g_autofree char *alice_annotation = cd_test_service_apply_ok (service, alice->token, alice_cert, 30);
  g_autoptr(JsonObject) ready = cd_test_service_wait_annotation (service, alice->token, alice_annotation, 20);
  g_autofree char *before = NULL;
  static const char apply_body[] = "{\"scenario\": \"self_use\", \"validity_days\": 30}";
  const char *ids[] = { NULL, MISSING_UUID };

  g_assert_cmpstr (cd_test_json_string (ready, "state"), ==, "ready");
  before = cd_test_service_store_dump (service);
  ids[0] = alice_cert;

  /* Alice's certificate looks to Bob exactly like one that does not exist. */
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *certificate = g_strdup_printf ("/certificates/%s", ids[i]);
      g_autofree char *annotations = g_strdup_printf ("/certificates/%s/annotations", ids[i]);

      assert_not_found (service, "GET", certificate, bob->token, NULL);
      assert_not_found (service, "GET", annotations, bob->token, NULL);
      assert_not_found (service, "POST", annotations, bob->token, apply_body);
    }
  {
    g_autofree char *annotation = g_strdup_printf ("/annotations/%s", alice_annotation);
    g_autofree char *document = g_strdup_printf ("/annotations/%s/document", alice_annotation);
    g_autofree char *missing = g_strdup_printf ("/annotations/%s", MISSING_UUID);

    assert_not_found (service, "GET", annotation, bob->token, NULL);
    assert_not_found (service, "GET", document, bob->token, NULL);
    assert_not_found (service, "GET", missing, bob->token, NULL);
  }
  cd_test_assert_store_unchanged (service, before);

  /* Bob's list holds only his own. */
  {
    g_autoptr(CdTestResponse) response = cd_test_service_request (service, "GET", "/certificates", bob->token, NULL);
    JsonArray *certificates = cd_test_json_array (cd_test_assert_json (response, 200), "certificates");

    g_assert_cmpuint (json_array_get_length (certificates), ==, 1);
    g_assert_cmpstr (cd_test_json_string (json_array_get_object_element (certificates, 0), "id"), ==, bob_cert);
    g_assert_null (strstr (response->text, alice_cert));
    g_assert_null (strstr (response->text, alice_cert_no));
  }

  /* And Alice still sees hers. */
  {
    g_autofree char *path = g_strdup_printf ("/annotations/%s", alice_annotation);
    g_autoptr(CdTestResponse) response = cd_test_service_request (service, "GET", path, alice->token, NULL);

    cd_test_assert_json (response, 200);
  }
}

int
main (int   argc,
      char *argv[])
{
  cd_test_keep_going (&argc, &argv);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/certdesk/service/accounts/register-validation", test_register_validation);
  g_test_add_func ("/certdesk/service/accounts/register-other-types", test_register_other_types);
  g_test_add_func ("/certdesk/service/accounts/secrets-not-stored", test_secrets_not_stored);
  g_test_add_func ("/certdesk/service/accounts/throttle", test_throttle);
  g_test_add_func ("/certdesk/service/accounts/throttle-concurrent", test_throttle_concurrent);
  g_test_add_func ("/certdesk/service/accounts/register-race", test_register_race);
  g_test_add_func ("/certdesk/service/accounts/success-clears-count", test_success_clears_count);
  g_test_add_func ("/certdesk/service/accounts/same-error", test_same_error);
  g_test_add_func ("/certdesk/service/accounts/session-expiry", test_session_expiry);
  g_test_add_func ("/certdesk/service/accounts/sessions-independent", test_sessions_independent);
  g_test_add_func ("/certdesk/service/accounts/isolation", test_isolation);

  return g_test_run ();
}
