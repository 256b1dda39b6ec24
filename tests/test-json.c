#include "config.h"

#include "cd-json.h"
#include "cd-time.h"

#include <string.h>

/* Every member kind the readers meet, read by the tests below. */
static const char sample[] =
  "{"
  "  \"name\": \"张三\","
  "  \"count\": 3,"
  "  \"negative\": -42,"
  "  \"ratio\": 1.5,"
  "  \"whole_float\": 1.0,"
  "  \"text_number\": \"3\","
  "  \"flag\": true,"
  "  \"nested\": {\"x\": 1},"
  "  \"list\": [1, 2],"
  "  \"nothing\": null,"
  "  \"when\": \"2026-11-25T08:30:00Z\","
  "  \"local_time\": \"2026-11-25T08:30:00+08:00\","
  "  \"no_zone\": \"2026-11-25T08:30:00\","
  "  \"date_only\": \"2026-11-25\""
  "}";

static JsonObject *
parse_sample (void)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = cd_json_parse_object (sample, strlen (sample), &error);

  g_assert_no_error (error);
  g_assert_nonnull (object);
  return object;
}

static void
assert_parse_fails (const char *data,
                    gsize       length,
                    CdJsonError code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = cd_json_parse_object (data, length, &error);

  g_assert_null (object);
  g_assert_error (error, CD_JSON_ERROR, (int) code);
}

/* The message is shown to whoever sent the body, so it must name the member. */
static void
assert_member_error (GError      *error,
                     CdJsonError  code,
                     const char  *member)
{
  g_assert_error (error, CD_JSON_ERROR, (int) code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, member));
}

static void
test_parse_object (void)
{
  g_autoptr(JsonObject) object = parse_sample ();
  g_autoptr(JsonObject) empty = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (json_object_has_member (object, "name"));
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "张三");

  /* The length is honoured: no terminating NUL is needed. */
  empty = cd_json_parse_object (" {} trailing", 4, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_object_get_size (empty), ==, 0);
}

static void
test_parse_malformed (void)
{
  static const char *bodies[] = {
    "{",
    "}",
    "{\"a\":}",
    "{\"a\":1,}",
    "{\"a\" 1}",
    "{} x",
    "{a: 1}",
    "{\"a\": NaN}",
    /* json-glib 1.6 takes all of these; RFC 8259 does not. */
    "{\"a\":1}{\"b\":2}",
    "{'a':'x'}",
    "/*c*/{}",
    "{\"a\":01}",
    "{\"a\":0x10}",
    "{\"a\":.5}",
    "{\"a\":\"line\nbreak\"}",
    "{\"a\":\"\\q\"}",
    "{\"a\":\"\\u12\"}",
    "{\"a\":1,\"a\":2}",
    " \t\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    assert_parse_fails (bodies[i], strlen (bodies[i]), CD_JSON_ERROR_MALFORMED);
}

/* Nesting is bounded, so a hostile body cannot exhaust the stack. */
static void
test_parse_deep_nesting (void)
{
  g_autoptr(GString) deep = g_string_new ("{\"a\":");
  g_autoptr(GString) shallow = g_string_new ("{\"a\":");
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < 10000; i++)
    g_string_append_c (deep, '[');
  assert_parse_fails (deep->str, deep->len, CD_JSON_ERROR_MALFORMED);

  for (int i = 0; i < 32; i++)
    g_string_append_c (shallow, '[');
  for (int i = 0; i < 32; i++)
    g_string_append_c (shallow, ']');
  g_string_append_c (shallow, '}');
  object = cd_json_parse_object (shallow->str, shallow->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (object);
}

static void
test_parse_empty (void)
{
  assert_parse_fails ("", 0, CD_JSON_ERROR_MALFORMED);
  /* A zero length wins over whatever the pointer holds. */
  assert_parse_fails ("{}", 0, CD_JSON_ERROR_MALFORMED);
}

static void
test_parse_invalid_utf8 (void)
{
  static const char latin1[] = "{\"name\": \"M\xFCller\"}";
  static const char truncated[] = "{\"name\": \"\xE5\xBC\"}";
  static const char nul[] = "{\"name\": \"a\0b\"}";

  assert_parse_fails (latin1, sizeof latin1 - 1, CD_JSON_ERROR_MALFORMED);
  assert_parse_fails (truncated, sizeof truncated - 1, CD_JSON_ERROR_MALFORMED);
  assert_parse_fails (nul, sizeof nul - 1, CD_JSON_ERROR_MALFORMED);
}

static void
test_parse_not_object (void)
{
  static const char *bodies[] = { "[1, 2]", "[]", "null", "42", "\"text\"", "true" };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    assert_parse_fails (bodies[i], strlen (bodies[i]), CD_JSON_ERROR_NOT_OBJECT);
}

static void
test_check_members (void)
{
  static const char * const allowed[] = { "id_number", "password", NULL };
  static const char good[] = "{\"id_number\": \"110105199003071239\", \"password\": \"secret\"}";
  static const char subset[] = "{\"password\": \"secret\"}";
  static const char unknown[] = "{\"id_number\": \"110105199003071239\", \"admin\": true}";
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;

  object = cd_json_parse_object (good, strlen (good), &error);
  g_assert_no_error (error);
  g_assert_true (cd_json_check_members (object, allowed, &error));
  g_assert_no_error (error);
  g_clear_pointer (&object, json_object_unref);

  object = cd_json_parse_object (subset, strlen (subset), &error);
  g_assert_no_error (error);
  g_assert_true (cd_json_check_members (object, allowed, &error));
  g_assert_no_error (error);
  g_clear_pointer (&object, json_object_unref);

  object = cd_json_parse_object (unknown, strlen (unknown), &error);
  g_assert_no_error (error);
  g_assert_false (cd_json_check_members (object, allowed, &error));
  assert_member_error (error, CD_JSON_ERROR_UNKNOWN_MEMBER, "admin");
}

static void
test_read_string (void)
{
  g_autoptr(JsonObject) object = parse_sample ();
  g_autoptr(GError) error = NULL;
  const char *value = NULL;

  g_assert_true (cd_json_read_string (object, "name", CD_JSON_REQUIRED, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "张三");

  value = "untouched";
  g_assert_true (cd_json_read_string (object, "absent", CD_JSON_OPTIONAL, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "untouched");

  g_assert_true (cd_json_read_string (object, "nothing", CD_JSON_NULLABLE, &value, &error));
  g_assert_no_error (error);
  g_assert_null (value);

  g_assert_false (cd_json_read_string (object, "absent", CD_JSON_NULLABLE, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_MISSING_MEMBER, "absent");
  g_clear_error (&error);

  g_assert_false (cd_json_read_string (object, "nothing", CD_JSON_OPTIONAL, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_WRONG_TYPE, "nothing");
  g_clear_error (&error);

  g_assert_false (cd_json_read_string (object, "count", CD_JSON_REQUIRED, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_WRONG_TYPE, "count");
  g_clear_error (&error);

  g_assert_false (cd_json_read_string (object, "nested", CD_JSON_REQUIRED, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_WRONG_TYPE, "nested");
  g_clear_error (&error);

  g_assert_false (cd_json_read_string (object, "flag", CD_JSON_REQUIRED, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_WRONG_TYPE, "flag");
}

static void
test_read_int (void)
{
  g_autoptr(JsonObject) object = parse_sample ();
  g_autoptr(GError) error = NULL;
  gint64 value = 0;

  g_assert_true (cd_json_read_int (object, "count", CD_JSON_REQUIRED, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (value, ==, 3);

  g_assert_true (cd_json_read_int (object, "negative", CD_JSON_REQUIRED, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (value, ==, -42);

  value = 7;
  g_assert_true (cd_json_read_int (object, "absent", CD_JSON_OPTIONAL, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (value, ==, 7);

  g_assert_true (cd_json_read_int (object, "nothing", CD_JSON_NULLABLE, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (value, ==, 7);

  g_assert_false (cd_json_read_int (object, "absent", CD_JSON_REQUIRED, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_MISSING_MEMBER, "absent");
  g_clear_error (&error);

  g_assert_false (cd_json_read_int (object, "nothing", CD_JSON_REQUIRED, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_WRONG_TYPE, "nothing");
  g_clear_error (&error);

  g_assert_false (cd_json_read_int (object, "text_number", CD_JSON_REQUIRED, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_WRONG_TYPE, "text_number");
  g_clear_error (&error);

  g_assert_false (cd_json_read_int (object, "ratio", CD_JSON_REQUIRED, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_WRONG_TYPE, "ratio");
  g_clear_error (&error);

  /* 1.0 is written as a float, so it is not an integer either. */
  g_assert_false (cd_json_read_int (object, "whole_float", CD_JSON_REQUIRED, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_WRONG_TYPE, "whole_float");
  g_clear_error (&error);

  g_assert_false (cd_json_read_int (object, "flag", CD_JSON_REQUIRED, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_WRONG_TYPE, "flag");
  g_clear_error (&error);

  g_assert_false (cd_json_read_int (object, "list", CD_JSON_REQUIRED, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_WRONG_TYPE, "list");
  g_assert_cmpint (value, ==, 7);
}

static void
test_read_boolean (void)
{
  g_autoptr(JsonObject) object = parse_sample ();
  g_autoptr(GError) error = NULL;
  gboolean value = FALSE;

  g_assert_true (cd_json_read_boolean (object, "flag", CD_JSON_REQUIRED, &value, &error));
  g_assert_no_error (error);
  g_assert_true (value);

  value = FALSE;
  g_assert_true (cd_json_read_boolean (object, "absent", CD_JSON_OPTIONAL, &value, &error));
  g_assert_no_error (error);
  g_assert_false (value);

  g_assert_false (cd_json_read_boolean (object, "absent", CD_JSON_REQUIRED, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_MISSING_MEMBER, "absent");
  g_clear_error (&error);

  g_assert_false (cd_json_read_boolean (object, "count", CD_JSON_REQUIRED, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_WRONG_TYPE, "count");
  g_clear_error (&error);

  g_assert_false (cd_json_read_boolean (object, "name", CD_JSON_REQUIRED, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_WRONG_TYPE, "name");
  g_clear_error (&error);

  g_assert_false (cd_json_read_boolean (object, "nothing", CD_JSON_REQUIRED, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_WRONG_TYPE, "nothing");
}

static void
test_read_object (void)
{
  g_autoptr(JsonObject) object = parse_sample ();
  g_autoptr(GError) error = NULL;
  JsonObject *value = NULL;

  g_assert_true (cd_json_read_object (object, "nested", CD_JSON_REQUIRED, &value, &error));
  g_assert_no_error (error);
  g_assert_nonnull (value);
  g_assert_cmpint (json_object_get_int_member (value, "x"), ==, 1);

  g_assert_true (cd_json_read_object (object, "absent", CD_JSON_OPTIONAL, &value, &error));
  g_assert_no_error (error);
  g_assert_nonnull (value);

  g_assert_true (cd_json_read_object (object, "nothing", CD_JSON_NULLABLE, &value, &error));
  g_assert_no_error (error);
  g_assert_null (value);

  g_assert_false (cd_json_read_object (object, "absent", CD_JSON_REQUIRED, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_MISSING_MEMBER, "absent");
  g_clear_error (&error);

  g_assert_false (cd_json_read_object (object, "list", CD_JSON_REQUIRED, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_WRONG_TYPE, "list");
  g_clear_error (&error);

  g_assert_false (cd_json_read_object (object, "name", CD_JSON_REQUIRED, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_WRONG_TYPE, "name");
  g_clear_error (&error);

  g_assert_false (cd_json_read_object (object, "nothing", CD_JSON_REQUIRED, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_WRONG_TYPE, "nothing");
}

static void
test_read_array (void)
{
  g_autoptr(JsonObject) object = parse_sample ();
  g_autoptr(GError) error = NULL;
  JsonArray *value = NULL;

  g_assert_true (cd_json_read_array (object, "list", CD_JSON_REQUIRED, &value, &error));
  g_assert_no_error (error);
  g_assert_nonnull (value);
  g_assert_cmpuint (json_array_get_length (value), ==, 2);

  g_assert_true (cd_json_read_array (object, "absent", CD_JSON_OPTIONAL, &value, &error));
  g_assert_no_error (error);
  g_assert_nonnull (value);

  g_assert_true (cd_json_read_array (object, "nothing", CD_JSON_NULLABLE, &value, &error));
  g_assert_no_error (error);
  g_assert_null (value);

  g_assert_false (cd_json_read_array (object, "absent", CD_JSON_REQUIRED, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_MISSING_MEMBER, "absent");
  g_clear_error (&error);

  g_assert_false (cd_json_read_array (object, "nested", CD_JSON_REQUIRED, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_WRONG_TYPE, "nested");
  g_clear_error (&error);

  g_assert_false (cd_json_read_array (object, "count", CD_JSON_REQUIRED, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_WRONG_TYPE, "count");
  g_clear_error (&error);

  g_assert_false (cd_json_read_array (object, "nothing", CD_JSON_REQUIRED, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_WRONG_TYPE, "nothing");
}

static void
test_read_time (void)
{
  g_autoptr(JsonObject) object = parse_sample ();
  g_autoptr(GError) error = NULL;
  gint64 value = 0;

  g_assert_true (cd_json_read_time (object, "when", CD_JSON_REQUIRED, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (value, ==, 1795595400);

  value = 0;
  g_assert_true (cd_json_read_time (object, "nothing", CD_JSON_NULLABLE, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (value, ==, 0);

  g_assert_true (cd_json_read_time (object, "absent", CD_JSON_OPTIONAL, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (value, ==, 0);

  g_assert_false (cd_json_read_time (object, "absent", CD_JSON_REQUIRED, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_MISSING_MEMBER, "absent");
  g_clear_error (&error);

  g_assert_false (cd_json_read_time (object, "nothing", CD_JSON_REQUIRED, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_WRONG_TYPE, "nothing");
  g_clear_error (&error);

  g_assert_false (cd_json_read_time (object, "count", CD_JSON_REQUIRED, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_WRONG_TYPE, "count");
  g_clear_error (&error);

  g_assert_false (cd_json_read_time (object, "local_time", CD_JSON_REQUIRED, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_INVALID_VALUE, "local_time");
  g_clear_error (&error);

  g_assert_false (cd_json_read_time (object, "no_zone", CD_JSON_REQUIRED, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_INVALID_VALUE, "no_zone");
  g_clear_error (&error);

  g_assert_false (cd_json_read_time (object, "date_only", CD_JSON_REQUIRED, &value, &error));
  assert_member_error (error, CD_JSON_ERROR_INVALID_VALUE, "date_only");
  g_assert_cmpint (value, ==, 0);
}

static void
test_rfc3339_round_trip (void)
{
  static const struct
  {
    gint64      unix_seconds;
    const char *str;
  } cases[] = {
    { 0, "1970-01-01T00:00:00Z" },
    { -1, "1969-12-31T23:59:59Z" },
    { 951782400, "2000-02-29T00:00:00Z" },
    { 1795595400, "2026-11-25T08:30:00Z" },
    { 4102444799, "2099-12-31T23:59:59Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *formatted = cd_time_format_rfc3339 (cases[i].unix_seconds);
      gint64 parsed = 12345;

      g_assert_cmpstr (formatted, ==, cases[i].str);
      g_assert_true (cd_time_parse_rfc3339 (formatted, &parsed));
      g_assert_cmpint (parsed, ==, cases[i].unix_seconds);
    }
}

static void
assert_time_refused (const char *str)
{
  gint64 value = 12345;

  g_test_message ("refusing “%s”", str);
  g_assert_false (cd_time_parse_rfc3339 (str, &value));
  g_assert_cmpint (value, ==, 12345);
}

static void
test_rfc3339_refused (void)
{
  static const char *strs[] = {
    "",
    "now",
    "2026-11-25",
    "2026-11-25T08:30:00",
    "2026-11-25T08:30:00+08:00",
    "2026-11-25T08:30:00-05:00",
    "2026-11-25 08:30:00Z",
    "2026-02-30T08:30:00Z",
    "2026-11-25T25:00:00Z",
    "2026-11-25T08:30:00ZZ",
    " 2026-11-25T08:30:00Z",
  };

  for (guint i = 0; i < G_N_ELEMENTS (strs); i++)
    assert_time_refused (strs[i]);

  assert_time_refused (NULL);
}

/* RFC 3339 is the extended calendar form only; GLib's ISO 8601 parser also takes
 * the basic, week and ordinal forms, which the API promises to refuse. */
static void
test_rfc3339_refuses_other_iso8601 (void)
{
  /* Report every form that slips through, not just the first. */
  g_test_set_nonfatal_assertions ();

  assert_time_refused ("20261125T083000Z");
  assert_time_refused ("2026-W48-3T08:30:00Z");
  assert_time_refused ("2026-329T08:30:00Z");
}

static void
test_builder (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  const char *expected = "{\"unset\":null,\"when\":\"2026-11-25T08:30:00Z\",\"name\":\"张三\"}";
  gint64 value = 99;
  const char *data;
  gsize length;

  json_builder_begin_object (builder);
  cd_json_builder_add_time (builder, "unset", 0);
  cd_json_builder_add_time (builder, "when", 1795595400);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "张三");
  json_builder_end_object (builder);

  bytes = cd_json_builder_to_bytes (builder);
  data = g_bytes_get_data (bytes, &length);
  g_assert_cmpmem (data, length, expected, strlen (expected));

  /* What the builder writes, the readers take back. */
  object = cd_json_parse_object (data, length, &error);
  g_assert_no_error (error);
  g_assert_true (cd_json_read_time (object, "unset", CD_JSON_NULLABLE, &value, &error));
  g_assert_cmpint (value, ==, 99);
  g_assert_true (cd_json_read_time (object, "when", CD_JSON_REQUIRED, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (value, ==, 1795595400);
}

static void
test_format_date (void)
{
  g_autoptr(GTimeZone) beijing = g_time_zone_new_offset (8 * 3600);
  /* 2026-11-25T20:30:00Z is already the 26th in Beijing. */
  gint64 evening = 1795595400 + 12 * 3600;
  g_autofree char *utc = cd_time_format_date (evening, NULL);
  g_autofree char *local = cd_time_format_date (evening, beijing);
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;
  gint64 now = cd_time_now ();

  g_assert_cmpstr (utc, ==, "2026-11-25");
  g_assert_cmpstr (local, ==, "2026-11-26");
  g_assert_cmpint (now, >=, before);
  g_assert_cmpint (now, <=, before + 5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/certdesk/json/parse/object", test_parse_object);
  g_test_add_func ("/certdesk/json/parse/malformed", test_parse_malformed);
  g_test_add_func ("/certdesk/json/parse/deep-nesting", test_parse_deep_nesting);
  g_test_add_func ("/certdesk/json/parse/empty", test_parse_empty);
  g_test_add_func ("/certdesk/json/parse/invalid-utf8", test_parse_invalid_utf8);
  g_test_add_func ("/certdesk/json/parse/not-object", test_parse_not_object);
  g_test_add_func ("/certdesk/json/check-members", test_check_members);
  g_test_add_func ("/certdesk/json/read/string", test_read_string);
  g_test_add_func ("/certdesk/json/read/int", test_read_int);
  g_test_add_func ("/certdesk/json/read/boolean", test_read_boolean);
  g_test_add_func ("/certdesk/json/read/object", test_read_object);
  g_test_add_func ("/certdesk/json/read/array", test_read_array);
  g_test_add_func ("/certdesk/json/read/time", test_read_time);
  g_test_add_func ("/certdesk/json/time/rfc3339-round-trip", test_rfc3339_round_trip);
  g_test_add_func ("/certdesk/json/time/rfc3339-refused", test_rfc3339_refused);
  g_test_add_func ("/certdesk/json/time/format-date", test_format_date);
  g_test_add_func ("/certdesk/json/time/rfc3339-refuses-other-iso8601",
                   test_rfc3339_refuses_other_iso8601);
  g_test_add_func ("/certdesk/json/builder", test_builder);

  return g_test_run ();
}
