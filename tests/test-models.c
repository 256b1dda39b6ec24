#include "config.h"

#include "cd-annotation.h"
#include "cd-certificate.h"
#include "cd-client-error.h"
#include "cd-document-store.h"
#include "cd-holder.h"
#include "cd-json.h"
#include "cd-list-cache.h"
#include "cd-notice.h"
#include "cd-quota.h"
#include "cd-time.h"
#include "cd-verification.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <sys/stat.h>
#include <string.h>

/* The examples of docs/api.md. */
#define HOLDER_JSON \
  "{\"name\": \"张三\", \"id_type\": \"resident_id\", \"id_number_masked\": \"1101**********1239\"," \
  " \"notice_accepted\": true}"

#define ANNOTATION_JSON \
  "{\"id\": \"0d9e6b1a-2f3c-4d5e-8f90-1a2b3c4d5e6f\", \"annotation_no\": \"JZ20261125000001\"," \
  " \"certificate_id\": \"6f1c3a0e-1b7d-4c59-9d1e-2a4b5c6d7e8f\", \"scenario\": \"self_use\"," \
  " \"validity_days\": 90, \"state\": \"ready\", \"requested_at\": \"2026-11-25T08:30:00Z\"," \
  " \"ready_at\": \"2026-11-25T08:30:03Z\", \"valid_from\": \"2026-11-25T08:30:03Z\"," \
  " \"valid_until\": \"2027-02-23T08:30:03Z\", \"verification_code\": \"K7QW3MZP9TXA\"}"

/* The same annotation while it is generated. */
#define PENDING_ANNOTATION_JSON \
  "{\"id\": \"0d9e6b1a-2f3c-4d5e-8f90-1a2b3c4d5e6f\", \"annotation_no\": \"JZ20261125000001\"," \
  " \"certificate_id\": \"6f1c3a0e-1b7d-4c59-9d1e-2a4b5c6d7e8f\", \"scenario\": \"self_use\"," \
  " \"validity_days\": 90, \"state\": \"pending\", \"requested_at\": \"2026-11-25T08:30:00Z\"," \
  " \"ready_at\": null, \"valid_from\": null, \"valid_until\": null, \"verification_code\": null}"

#define CERTIFICATE_FIELDS \
  "\"id\": \"6f1c3a0e-1b7d-4c59-9d1e-2a4b5c6d7e8f\", \"cert_no\": \"AQ2021110105000123\"," \
  " \"qualification\": \"注册安全工程师\", \"specialty\": \"化工安全\", \"level\": \"中级\"," \
  " \"holder_name\": \"张三\", \"gender\": \"男\", \"id_number_masked\": \"1101**********1239\"," \
  " \"management_no\": \"2021110105000123\", \"issued_on\": \"2021-06-18\"," \
  " \"issuer\": \"中华人民共和国应急管理部\", \"status\": \"valid\""

#define CERTIFICATE_JSON "{" CERTIFICATE_FIELDS ", \"latest_annotation\": null}"
#define CERTIFICATE_WITH_ANNOTATION_JSON \
  "{" CERTIFICATE_FIELDS ", \"latest_annotation\": " ANNOTATION_JSON "}"

#define QUOTA_JSON \
  "{\"limit\": 3, \"window_days\": 90, \"used\": 2, \"next_slot_at\": \"2027-02-20T08:30:00Z\"}"

#define NOTICE_JSON \
  "{\"version\": \"2026-11-01\", \"title\": \"服务须知\", \"body\": \"一、本服务…\", \"accepted\": false}"

#define VERIFICATION_JSON \
  "{\"valid\": true, \"checked_at\": \"2026-11-26T09:00:00Z\"," \
  " \"certificate\": {\"cert_no\": \"AQ2021110105000123\", \"qualification\": \"注册安全工程师\"," \
  "                 \"holder_name_masked\": \"张*\", \"status\": \"valid\"," \
  "                 \"issuer\": \"中华人民共和国应急管理部\"}," \
  " \"annotation\": {\"annotation_no\": \"JZ20261125000001\", \"state\": \"ready\"," \
  "                \"valid_from\": \"2026-11-25T08:30:03Z\", \"valid_until\": \"2027-02-23T08:30:03Z\"}}"

/* Stands for a 2 MB string in the tables below. */
#define HUGE_STRING "<2 MB string>"

typedef gpointer (*FromJsonFunc) (JsonObject  *object,
                                  GError     **error);
typedef void     (*ToJsonFunc)   (gpointer     self,
                                  JsonBuilder *builder);

typedef enum
{
  KIND_STRING,
  KIND_ID,        /* a string that must not be empty */
  KIND_ENUM,
  KIND_INT,
  KIND_BOOLEAN,
  KIND_TIME,
  KIND_NULLABLE_TIME,
  KIND_NULLABLE_ID,
  KIND_OBJECT,
  KIND_NULLABLE_OBJECT,
} MemberKind;

/* Values of the wrong type or shape for each kind; each must be refused. */
static const char * const *
get_bad_values (MemberKind kind)
{
  static const char * const string_values[] = {
    "7", "null", "{}", "[]", "true", "1.5", HUGE_STRING, NULL
  };
  static const char * const id_values[] = {
    "\"\"", "7", "null", "{}", "[]", "true", HUGE_STRING, NULL
  };
  static const char * const enum_values[] = {
    "\"frozen\"", "\"\"", "\"READY\"", "7", "null", "{}", HUGE_STRING, NULL
  };
  static const char * const int_values[] = {
    "\"7\"", "null", "{}", "[]", "true", "1.5", "-0.0", NULL
  };
  static const char * const boolean_values[] = {
    "\"true\"", "1", "0", "null", "{}", "[]", NULL
  };
  static const char * const time_values[] = {
    "\"2026-11-25\"", "\"yesterday\"", "\"2026-11-25T08:30:00+08:00\"", "\"2026-11-25 08:30:00Z\"",
    "\"2026-13-25T08:30:00Z\"", "\"1970-01-01T00:00:00Z\"", "\"\"", "1795941000", "null", "{}", "[]",
    HUGE_STRING, NULL
  };
  static const char * const nullable_time_values[] = {
    "\"2026-11-25\"", "\"yesterday\"", "\"2026-11-25T08:30:00+08:00\"", "\"1970-01-01T00:00:00Z\"",
    "\"\"", "1795941000", "{}", "[]", NULL
  };
  static const char * const nullable_id_values[] = {
    "\"\"", "7", "{}", "[]", "true", HUGE_STRING, NULL
  };
  static const char * const object_values[] = {
    "\"x\"", "7", "null", "[]", "true", NULL
  };
  static const char * const nullable_object_values[] = {
    "\"x\"", "7", "[]", "true", "[{}]", NULL
  };

  switch (kind)
    {
    case KIND_STRING:
      return string_values;
    case KIND_ID:
      return id_values;
    case KIND_ENUM:
      return enum_values;
    case KIND_INT:
      return int_values;
    case KIND_BOOLEAN:
      return boolean_values;
    case KIND_TIME:
      return time_values;
    case KIND_NULLABLE_TIME:
      return nullable_time_values;
    case KIND_NULLABLE_ID:
      return nullable_id_values;
    case KIND_OBJECT:
      return object_values;
    case KIND_NULLABLE_OBJECT:
      return nullable_object_values;
    default:
      g_assert_not_reached ();
    }

  return NULL;
}

typedef struct
{
  const char *path;            /* a member, or "outer.inner" */
  MemberKind  kind;
  const char *bad_values[4];   /* values refused for this member only */
} MemberSpec;

typedef struct
{
  const char        *name;
  const char        *example;
  FromJsonFunc       from_json;
  ToJsonFunc         to_json;
  const MemberSpec  *members;
} Model;

static const MemberSpec holder_members[] = {
  { "name", KIND_ID },
  { "id_type", KIND_ID },
  { "id_number_masked", KIND_ID },
  { "notice_accepted", KIND_BOOLEAN },
  { NULL }
};

static const MemberSpec annotation_members[] = {
  { "id", KIND_ID },
  { "annotation_no", KIND_ID },
  { "certificate_id", KIND_ID },
  { "scenario", KIND_ID },
  { "validity_days", KIND_INT, { "0", "91", "-1", "9223372036854775807" } },
  { "state", KIND_ENUM },
  { "requested_at", KIND_TIME },
  /* Null is refused too, but only because this annotation is ready. */
  { "ready_at", KIND_NULLABLE_TIME, { "null" } },
  { "valid_from", KIND_NULLABLE_TIME, { "null" } },
  { "valid_until", KIND_NULLABLE_TIME, { "null", "\"2026-11-25T08:30:03Z\"" } },
  { "verification_code", KIND_NULLABLE_ID, { "null" } },
  { NULL }
};

static const MemberSpec certificate_members[] = {
  { "id", KIND_ID },
  { "cert_no", KIND_ID },
  { "qualification", KIND_STRING },
  { "specialty", KIND_STRING },
  { "level", KIND_STRING },
  { "holder_name", KIND_STRING },
  { "gender", KIND_STRING },
  { "id_number_masked", KIND_STRING },
  { "management_no", KIND_STRING },
  { "issued_on", KIND_ID, { "\"2021-02-30\"", "\"2021-6-18\"", "\"18/06/2021\"", "\"2021-06-18T00:00:00Z\"" } },
  { "issuer", KIND_STRING },
  { "status", KIND_ENUM, { "\"expired\"" } },
  { "latest_annotation", KIND_NULLABLE_OBJECT },
  { NULL }
};

/* With an annotation, whose errors name the annotation's members. */
static const MemberSpec certificate_annotation_members[] = {
  { "latest_annotation.id", KIND_ID },
  { "latest_annotation.state", KIND_ENUM },
  { "latest_annotation.validity_days", KIND_INT, { "0", "91" } },
  { "latest_annotation.valid_until", KIND_NULLABLE_TIME, { "null" } },
  { "latest_annotation", KIND_NULLABLE_OBJECT },
  { NULL }
};

static const MemberSpec quota_members[] = {
  { "limit", KIND_INT, { "-1", "10001" } },
  { "window_days", KIND_INT, { "-1", "36501" } },
  { "used", KIND_INT, { "-1", "10001" } },
  /* used is 2, so next_slot_at cannot be null. */
  { "next_slot_at", KIND_NULLABLE_TIME, { "null" } },
  { NULL }
};

static const MemberSpec notice_members[] = {
  { "version", KIND_ID },
  { "title", KIND_STRING },
  { "body", KIND_STRING },
  { "accepted", KIND_BOOLEAN },
  { NULL }
};

static const MemberSpec verification_members[] = {
  { "valid", KIND_BOOLEAN },
  { "checked_at", KIND_TIME },
  { "certificate", KIND_OBJECT },
  { "annotation", KIND_OBJECT },
  { "certificate.cert_no", KIND_ID },
  { "certificate.qualification", KIND_STRING },
  { "certificate.holder_name_masked", KIND_STRING },
  { "certificate.status", KIND_ENUM },
  { "certificate.issuer", KIND_STRING },
  { "annotation.annotation_no", KIND_ID },
  { "annotation.state", KIND_ENUM },
  { "annotation.valid_from", KIND_NULLABLE_TIME },
  { "annotation.valid_until", KIND_NULLABLE_TIME },
  { NULL }
};

static const Model models[] = {
  { "holder", HOLDER_JSON, (FromJsonFunc) cd_holder_new_from_json,
    (ToJsonFunc) cd_holder_to_json, holder_members },
  { "annotation", ANNOTATION_JSON, (FromJsonFunc) cd_annotation_new_from_json,
    (ToJsonFunc) cd_annotation_to_json, annotation_members },
  { "certificate", CERTIFICATE_JSON, (FromJsonFunc) cd_certificate_new_from_json,
    (ToJsonFunc) cd_certificate_to_json, certificate_members },
  { "certificate-with-annotation", CERTIFICATE_WITH_ANNOTATION_JSON,
    (FromJsonFunc) cd_certificate_new_from_json, (ToJsonFunc) cd_certificate_to_json,
    certificate_annotation_members },
  { "quota", QUOTA_JSON, (FromJsonFunc) cd_quota_new_from_json,
    (ToJsonFunc) cd_quota_to_json, quota_members },
  { "notice", NOTICE_JSON, (FromJsonFunc) cd_notice_new_from_json,
    (ToJsonFunc) cd_notice_to_json, notice_members },
  { "verification", VERIFICATION_JSON, (FromJsonFunc) cd_verification_new_from_json,
    (ToJsonFunc) cd_verification_to_json, verification_members },
};

static JsonNode *
parse_node (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

/* A strictly parsed object, as the client gets it. */
static JsonObject *
parse_object (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = cd_json_parse_object (json, strlen (json), &error);

  g_assert_no_error (error);
  g_assert_nonnull (object);
  return object;
}

static JsonNode *
build_json (const Model *model,
            gpointer     self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  model->to_json (self, builder);
  return json_builder_get_root (builder);
}

static gpointer
new_from_text (FromJsonFunc from_json,
               const char  *json)
{
  g_autoptr(JsonObject) object = parse_object (json);
  g_autoptr(GError) error = NULL;
  gpointer self = from_json (object, &error);

  g_assert_no_error (error);
  g_assert_nonnull (self);
  return self;
}

static void
assert_protocol_error (const GError *error,
                       const char   *member)
{
  g_autofree char *quoted = g_strdup_printf ("“%s”", member);

  g_assert_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_PROTOCOL);
  if (strstr (error->message, quoted) == NULL)
    g_error ("“%s” does not name %s", error->message, quoted);
}

/* json_node_copy () shares the objects inside. */
static JsonNode *
copy_deeply (JsonNode *root)
{
  g_autofree char *text = json_to_string (root, FALSE);

  return parse_node (text);
}

/* A copy of @root with the member at @path set to @value (NULL: removed). */
static JsonNode *
replace_member (JsonNode   *root,
                const char *path,
                const char *value)
{
  JsonNode *copy = copy_deeply (root);
  g_auto(GStrv) parts = g_strsplit (path, ".", 2);
  JsonObject *object = json_node_get_object (copy);
  const char *member = parts[0];

  if (parts[1] != NULL)
    {
      object = json_object_get_object_member (object, parts[0]);
      member = parts[1];
    }

  if (value == NULL)
    {
      g_assert_true (json_object_has_member (object, member));
      json_object_remove_member (object, member);
    }
  else if (g_str_equal (value, HUGE_STRING))
    {
      g_autofree char *huge = g_malloc (2 * 1024 * 1024 + 1);

      memset (huge, 'a', 2 * 1024 * 1024);
      huge[2 * 1024 * 1024] = '\0';
      json_object_set_string_member (object, member, huge);
    }
  else
    {
      json_object_set_member (object, member, parse_node (value));
    }

  return copy;
}

/* @path set to @value (NULL: removed) is refused, and the error names @named. */
static void
assert_refused_naming (const Model *model,
                       JsonNode    *root,
                       const char  *path,
                       const char  *value,
                       const char  *named)
{
  g_autoptr(JsonNode) changed = replace_member (root, path, value);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) self = model->from_json (json_node_get_object (changed), &error);

  g_test_message ("%s: %s = %.40s: %s", model->name, path, value != NULL ? value : "(missing)",
                  error != NULL ? error->message : "accepted");
  g_assert_null (self);
  assert_protocol_error (error, named);
}

/* The same, naming the member itself. */
static void
assert_refused (const Model *model,
                JsonNode    *root,
                const char  *path,
                const char  *value)
{
  const char *leaf = strrchr (path, '.') != NULL ? strrchr (path, '.') + 1 : path;

  assert_refused_naming (model, root, path, value, leaf);
}

/* The example parses, and to_json writes exactly the example back, twice over. */
static void
test_round_trip (gconstpointer data)
{
  const Model *model = data;
  g_autoptr(JsonNode) expected = parse_node (model->example);
  g_autoptr(GObject) self = new_from_text (model->from_json, model->example);
  g_autoptr(JsonNode) written = build_json (model, self);
  g_autoptr(GObject) again = NULL;
  g_autoptr(JsonNode) rewritten = NULL;
  g_autoptr(GError) error = NULL;

  if (!json_node_equal (expected, written))
    {
      g_autofree char *text = json_to_string (written, FALSE);

      g_error ("%s was written as %s", model->example, text);
    }

  again = model->from_json (json_node_get_object (written), &error);
  g_assert_no_error (error);
  rewritten = build_json (model, again);
  g_assert_true (json_node_equal (written, rewritten));
}

/* Each member missing, or with a value of the wrong type or out of range. */
static void
test_malformed (gconstpointer data)
{
  const Model *model = data;
  g_autoptr(JsonNode) root = parse_node (model->example);

  for (const MemberSpec *spec = model->members; spec->path != NULL; spec++)
    {
      const char * const *bad_values = get_bad_values (spec->kind);

      assert_refused (model, root, spec->path, NULL);
      for (guint i = 0; bad_values[i] != NULL; i++)
        assert_refused (model, root, spec->path, bad_values[i]);
      for (guint i = 0; i < G_N_ELEMENTS (spec->bad_values) && spec->bad_values[i] != NULL; i++)
        assert_refused (model, root, spec->path, spec->bad_values[i]);
    }
}

/* The API may grow: unknown members are taken, and not written back. */
static void
test_extra_members (gconstpointer data)
{
  const Model *model = data;
  g_autoptr(JsonNode) root = parse_node (model->example);
  g_autoptr(JsonNode) extended = replace_member (root, "future",
                                                 "{\"nested\": [1, {\"x\": null}]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) self = model->from_json (json_node_get_object (extended), &error);
  g_autoptr(JsonNode) written = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (self);

  written = build_json (model, self);
  g_assert_false (json_object_has_member (json_node_get_object (written), "future"));
  g_assert_true (json_node_equal (root, written));
}

/* Not an object where the model expects one: refused with the member named. */
static void
test_nested_garbage (void)
{
  static const struct
  {
    const Model *model;
    const char  *path;
    const char  *value;
    const char  *named;
  } cases[] = {
    { &models[2], "latest_annotation", "{\"garbage\": [[[{}]]]}", "id" },
    { &models[2], "latest_annotation", "{}", "id" },
    { &models[6], "certificate", "{\"certificate\": {\"cert_no\": {}}}", "cert_no" },
    { &models[6], "annotation", "{\"annotation_no\": [\"JZ1\"]}", "annotation_no" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) root = parse_node (cases[i].model->example);
      g_autoptr(JsonNode) changed = replace_member (root, cases[i].path, cases[i].value);
      g_autoptr(GError) error = NULL;
      g_autoptr(GObject) self = cases[i].model->from_json (json_node_get_object (changed), &error);

      g_assert_null (self);
      assert_protocol_error (error, cases[i].named);
    }
}

static void
test_holder (void)
{
  g_autoptr(CdHolder) holder = new_from_text ((FromJsonFunc) cd_holder_new_from_json, HOLDER_JSON);
  g_autofree char *name = NULL;
  gboolean accepted = FALSE;

  g_assert_cmpstr (cd_holder_get_name (holder), ==, "张三");
  g_assert_cmpstr (cd_holder_get_id_type (holder), ==, "resident_id");
  g_assert_cmpstr (cd_holder_get_id_number_masked (holder), ==, "1101**********1239");
  g_assert_true (cd_holder_get_notice_accepted (holder));

  g_object_get (holder, "name", &name, "notice-accepted", &accepted, NULL);
  g_assert_cmpstr (name, ==, "张三");
  g_assert_true (accepted);
}

static void
test_annotation (void)
{
  g_autoptr(CdAnnotation) annotation = new_from_text ((FromJsonFunc) cd_annotation_new_from_json,
                                                      ANNOTATION_JSON);
  g_autoptr(GError) error = NULL;
  CdScenario scenario;
  CdAnnotationState state = CD_ANNOTATION_STATE_PENDING;
  gint64 valid_until = 0;
  gint64 expected = 0;

  g_assert_cmpstr (cd_annotation_get_id (annotation), ==, "0d9e6b1a-2f3c-4d5e-8f90-1a2b3c4d5e6f");
  g_assert_cmpstr (cd_annotation_get_annotation_no (annotation), ==, "JZ20261125000001");
  g_assert_cmpstr (cd_annotation_get_certificate_id (annotation), ==,
                   "6f1c3a0e-1b7d-4c59-9d1e-2a4b5c6d7e8f");
  g_assert_cmpstr (cd_annotation_get_scenario (annotation), ==, "self_use");
  g_assert_true (cd_annotation_get_known_scenario (annotation, &scenario));
  g_assert_cmpint (scenario, ==, CD_SCENARIO_SELF_USE);
  g_assert_cmpint (cd_annotation_get_validity_days (annotation), ==, 90);
  g_assert_cmpint (cd_annotation_get_state (annotation), ==, CD_ANNOTATION_STATE_READY);

  g_assert_true (cd_time_parse_rfc3339 ("2026-11-25T08:30:00Z", &expected));
  g_assert_cmpint (cd_annotation_get_requested_at (annotation), ==, expected);
  g_assert_cmpint (cd_annotation_get_ready_at (annotation), ==, expected + 3);
  g_assert_cmpint (cd_annotation_get_valid_from (annotation), ==, expected + 3);
  g_assert_cmpint (cd_annotation_get_valid_until (annotation), ==, expected + 3 + 90 * 86400);
  g_assert_cmpstr (cd_annotation_get_verification_code (annotation), ==, "K7QW3MZP9TXA");

  /* Properties, for binding; the enum's nicks are the wire strings. */
  g_object_get (annotation, "state", &state, "valid-until", &valid_until, NULL);
  g_assert_cmpint (state, ==, CD_ANNOTATION_STATE_READY);
  g_assert_cmpint (valid_until, ==, cd_annotation_get_valid_until (annotation));
}

/* The timer that turns "Valid until" into "expired" fires just after the moment. */
static void
test_annotation_lapse (void)
{
  g_autoptr(CdAnnotation) ready = new_from_text ((FromJsonFunc) cd_annotation_new_from_json, ANNOTATION_JSON);
  g_autoptr(CdAnnotation) pending = new_from_text ((FromJsonFunc) cd_annotation_new_from_json,
                                                   PENDING_ANNOTATION_JSON);
  gint64 until = cd_annotation_get_valid_until (ready);

  g_assert_cmpuint (cd_annotation_get_seconds_to_lapse (ready, until - 60), ==, 61);
  g_assert_cmpuint (cd_annotation_get_seconds_to_lapse (ready, until - 1), ==, 2);
  g_assert_cmpuint (cd_annotation_get_seconds_to_lapse (ready, until), ==, 0);
  g_assert_cmpuint (cd_annotation_get_seconds_to_lapse (ready, until + 5), ==, 0);
  g_assert_cmpuint (cd_annotation_get_seconds_to_lapse (pending, until - 60), ==, 0);
}

static void
test_annotation_pending (void)
{
  g_autoptr(CdAnnotation) annotation = new_from_text ((FromJsonFunc) cd_annotation_new_from_json,
                                                      PENDING_ANNOTATION_JSON);
  g_autoptr(JsonNode) expected = parse_node (PENDING_ANNOTATION_JSON);
  g_autoptr(JsonNode) written = build_json (&models[1], annotation);

  g_assert_cmpint (cd_annotation_get_state (annotation), ==, CD_ANNOTATION_STATE_PENDING);
  g_assert_cmpint (cd_annotation_get_ready_at (annotation), ==, 0);
  g_assert_cmpint (cd_annotation_get_valid_from (annotation), ==, 0);
  g_assert_cmpint (cd_annotation_get_valid_until (annotation), ==, 0);
  g_assert_null (cd_annotation_get_verification_code (annotation));

  /* Nulls are written back as nulls. */
  g_assert_true (json_node_equal (expected, written));
}

/* A scenario newer than this client is kept, but not mistaken for a known one. */
static void
test_annotation_new_scenario (void)
{
  g_autoptr(JsonNode) root = parse_node (ANNOTATION_JSON);
  g_autoptr(JsonNode) changed = replace_member (root, "scenario", "\"agency_use\"");
  g_autoptr(GError) error = NULL;
  g_autoptr(CdAnnotation) annotation = cd_annotation_new_from_json (json_node_get_object (changed),
                                                                    &error);
  g_autoptr(JsonNode) written = NULL;
  CdScenario scenario;

  g_assert_no_error (error);
  g_assert_cmpstr (cd_annotation_get_scenario (annotation), ==, "agency_use");
  g_assert_false (cd_annotation_get_known_scenario (annotation, &scenario));

  written = build_json (&models[1], annotation);
  g_assert_true (json_node_equal (changed, written));
}

static void
test_annotation_state_enum (void)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (CD_TYPE_ANNOTATION_STATE);
  g_autoptr(GEnumClass) status_klass = g_type_class_ref (CD_TYPE_CERTIFICATE_STATUS);

  g_assert_cmpuint (klass->n_values, ==, 4);
  for (CdAnnotationState state = CD_ANNOTATION_STATE_PENDING;
       state <= CD_ANNOTATION_STATE_FAILED;
       state++)
    g_assert_cmpstr (g_enum_get_value (klass, state)->value_nick, ==,
                     cd_annotation_state_to_string (state));

  g_assert_cmpuint (status_klass->n_values, ==, 3);
  for (CdCertificateStatus status = CD_CERTIFICATE_STATUS_VALID;
       status <= CD_CERTIFICATE_STATUS_SUSPENDED;
       status++)
    g_assert_cmpstr (g_enum_get_value (status_klass, status)->value_nick, ==,
                     cd_certificate_status_to_string (status));
}

static void
test_annotation_state_at (void)
{
  g_autoptr(CdAnnotation) ready = new_from_text ((FromJsonFunc) cd_annotation_new_from_json,
                                                 ANNOTATION_JSON);
  g_autoptr(CdAnnotation) pending = new_from_text ((FromJsonFunc) cd_annotation_new_from_json,
                                                   PENDING_ANNOTATION_JSON);
  g_autoptr(JsonNode) root = parse_node (PENDING_ANNOTATION_JSON);
  g_autoptr(JsonNode) failed_root = replace_member (root, "state", "\"failed\"");
  g_autoptr(CdAnnotation) failed = cd_annotation_new_from_json (json_node_get_object (failed_root),
                                                                NULL);
  gint64 until = cd_annotation_get_valid_until (ready);

  g_assert_nonnull (failed);

  g_assert_cmpint (cd_annotation_get_state_at (ready, until - 86400), ==,
                   CD_ANNOTATION_STATE_READY);
  g_assert_cmpint (cd_annotation_get_state_at (ready, until - 1), ==, CD_ANNOTATION_STATE_READY);
  g_assert_cmpint (cd_annotation_get_state_at (ready, until), ==, CD_ANNOTATION_STATE_EXPIRED);
  g_assert_cmpint (cd_annotation_get_state_at (ready, until + 86400), ==,
                   CD_ANNOTATION_STATE_EXPIRED);
  /* What the service said is kept. */
  g_assert_cmpint (cd_annotation_get_state (ready), ==, CD_ANNOTATION_STATE_READY);

  g_assert_cmpint (cd_annotation_get_state_at (pending, G_MAXINT64), ==,
                   CD_ANNOTATION_STATE_PENDING);
  g_assert_cmpint (cd_annotation_get_state_at (failed, G_MAXINT64), ==, CD_ANNOTATION_STATE_FAILED);
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  GPtrArray *names = user_data;

  g_ptr_array_add (names, g_strdup (pspec->name));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
assert_notified (GPtrArray          *names,
                 const char * const *expected)
{
  g_ptr_array_sort (names, compare_strings);
  g_assert_cmpuint (names->len, ==, g_strv_length ((char **) expected));
  for (guint i = 0; i < names->len; i++)
    g_assert_cmpstr (g_ptr_array_index (names, i), ==, expected[i]);
  g_ptr_array_set_size (names, 0);
}

/* Polling a pending annotation: only what changed is notified, once each. */
static void
test_annotation_update_from (void)
{
  static const char * const generated[] = {
    "ready-at", "state", "valid-from", "valid-until", "verification-code", NULL
  };
  static const char * const none[] = { NULL };
  static const char * const expired[] = { "state", NULL };
  g_autoptr(CdAnnotation) annotation = new_from_text ((FromJsonFunc) cd_annotation_new_from_json,
                                                      PENDING_ANNOTATION_JSON);
  g_autoptr(CdAnnotation) still_pending = new_from_text ((FromJsonFunc) cd_annotation_new_from_json,
                                                         PENDING_ANNOTATION_JSON);
  g_autoptr(CdAnnotation) ready = new_from_text ((FromJsonFunc) cd_annotation_new_from_json,
                                                 ANNOTATION_JSON);
  g_autoptr(JsonNode) root = parse_node (ANNOTATION_JSON);
  g_autoptr(JsonNode) expired_root = replace_member (root, "state", "\"expired\"");
  g_autoptr(CdAnnotation) expired_annotation = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonNode) written = NULL;

  expired_annotation = cd_annotation_new_from_json (json_node_get_object (expired_root), NULL);
  g_assert_nonnull (expired_annotation);

  g_signal_connect (annotation, "notify", G_CALLBACK (notify_cb), names);

  cd_annotation_update_from (annotation, still_pending);
  assert_notified (names, none);

  cd_annotation_update_from (annotation, ready);
  assert_notified (names, generated);
  g_assert_cmpint (cd_annotation_get_state (annotation), ==, CD_ANNOTATION_STATE_READY);
  g_assert_cmpstr (cd_annotation_get_verification_code (annotation), ==, "K7QW3MZP9TXA");
  g_assert_cmpint (cd_annotation_get_valid_until (annotation), ==,
                   cd_annotation_get_valid_until (ready));
  written = build_json (&models[1], annotation);
  g_assert_true (json_node_equal (root, written));

  cd_annotation_update_from (annotation, ready);
  assert_notified (names, none);

  cd_annotation_update_from (annotation, expired_annotation);
  assert_notified (names, expired);
  g_assert_cmpint (cd_annotation_get_state (annotation), ==, CD_ANNOTATION_STATE_EXPIRED);
}

/* A generated annotation has its validity and code, and ends after it starts. */
static void
test_annotation_consistency (void)
{
  g_autoptr(JsonNode) root = parse_node (ANNOTATION_JSON);
  g_autoptr(JsonNode) expired = replace_member (root, "state", "\"expired\"");
  g_autoptr(JsonNode) pending = parse_node (PENDING_ANNOTATION_JSON);
  g_autoptr(JsonNode) failed = replace_member (pending, "state", "\"failed\"");
  g_autoptr(CdAnnotation) failed_annotation = NULL;

  assert_refused (&models[1], expired, "verification_code", "null");
  assert_refused (&models[1], expired, "valid_until", "null");
  assert_refused (&models[1], root, "valid_until", "\"2026-11-25T08:30:03Z\"");
  assert_refused_naming (&models[1], root, "valid_from", "\"2027-02-23T08:30:03Z\"", "valid_until");

  failed_annotation = cd_annotation_new_from_json (json_node_get_object (failed), NULL);
  g_assert_nonnull (failed_annotation);
}

static void
test_certificate (void)
{
  g_autoptr(CdCertificate) certificate = new_from_text ((FromJsonFunc) cd_certificate_new_from_json,
                                                        CERTIFICATE_WITH_ANNOTATION_JSON);
  CdAnnotation *annotation = cd_certificate_get_latest_annotation (certificate);
  CdCertificateStatus status = CD_CERTIFICATE_STATUS_SUSPENDED;
  g_autofree char *issued_on = NULL;

  g_assert_cmpstr (cd_certificate_get_id (certificate), ==, "6f1c3a0e-1b7d-4c59-9d1e-2a4b5c6d7e8f");
  g_assert_cmpstr (cd_certificate_get_cert_no (certificate), ==, "AQ2021110105000123");
  g_assert_cmpstr (cd_certificate_get_qualification (certificate), ==, "注册安全工程师");
  g_assert_cmpstr (cd_certificate_get_specialty (certificate), ==, "化工安全");
  g_assert_cmpstr (cd_certificate_get_level (certificate), ==, "中级");
  g_assert_cmpstr (cd_certificate_get_holder_name (certificate), ==, "张三");
  g_assert_cmpstr (cd_certificate_get_gender (certificate), ==, "男");
  g_assert_cmpstr (cd_certificate_get_id_number_masked (certificate), ==, "1101**********1239");
  g_assert_cmpstr (cd_certificate_get_management_no (certificate), ==, "2021110105000123");
  g_assert_cmpstr (cd_certificate_get_issued_on (certificate), ==, "2021-06-18");
  g_assert_cmpstr (cd_certificate_get_issuer (certificate), ==, "中华人民共和国应急管理部");
  g_assert_cmpint (cd_certificate_get_status (certificate), ==, CD_CERTIFICATE_STATUS_VALID);
  g_assert_nonnull (annotation);
  g_assert_cmpstr (cd_annotation_get_annotation_no (annotation), ==, "JZ20261125000001");

  g_object_get (certificate, "status", &status, "issued-on", &issued_on, NULL);
  g_assert_cmpint (status, ==, CD_CERTIFICATE_STATUS_VALID);
  g_assert_cmpstr (issued_on, ==, "2021-06-18");
}

static void
test_certificate_statuses (void)
{
  static const struct
  {
    const char          *wire;
    CdCertificateStatus  status;
  } statuses[] = {
    { "\"valid\"", CD_CERTIFICATE_STATUS_VALID },
    { "\"revoked\"", CD_CERTIFICATE_STATUS_REVOKED },
    { "\"suspended\"", CD_CERTIFICATE_STATUS_SUSPENDED },
  };
  g_autoptr(JsonNode) root = parse_node (CERTIFICATE_JSON);

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(JsonNode) changed = replace_member (root, "status", statuses[i].wire);
      g_autoptr(CdCertificate) certificate = NULL;

      certificate = cd_certificate_new_from_json (json_node_get_object (changed), NULL);

      g_assert_nonnull (certificate);
      g_assert_cmpint (cd_certificate_get_status (certificate), ==, statuses[i].status);
    }
}

/* The latest annotation must be one of this certificate's. */
static void
test_certificate_foreign_annotation (void)
{
  g_autoptr(JsonNode) root = parse_node (CERTIFICATE_WITH_ANNOTATION_JSON);

  assert_refused_naming (&models[3], root, "latest_annotation.certificate_id",
                         "\"7f1c3a0e-0000-0000-0000-000000000000\"", "latest_annotation");
  assert_refused_naming (&models[3], root, "id", "\"7f1c3a0e-0000-0000-0000-000000000000\"",
                         "latest_annotation");
}

static void
test_certificate_set_latest_annotation (void)
{
  g_autoptr(CdCertificate) certificate = new_from_text ((FromJsonFunc) cd_certificate_new_from_json,
                                                        CERTIFICATE_JSON);
  g_autoptr(CdAnnotation) annotation = new_from_text ((FromJsonFunc) cd_annotation_new_from_json,
                                                      ANNOTATION_JSON);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonNode) expected = parse_node (CERTIFICATE_WITH_ANNOTATION_JSON);
  g_autoptr(JsonNode) written = NULL;
  static const char * const latest[] = { "latest-annotation", NULL };
  static const char * const none[] = { NULL };

  g_signal_connect (certificate, "notify", G_CALLBACK (notify_cb), names);
  g_assert_null (cd_certificate_get_latest_annotation (certificate));

  cd_certificate_set_latest_annotation (certificate, annotation);
  assert_notified (names, latest);
  g_assert_true (cd_certificate_get_latest_annotation (certificate) == annotation);

  written = build_json (&models[2], certificate);
  g_assert_true (json_node_equal (expected, written));

  cd_certificate_set_latest_annotation (certificate, annotation);
  assert_notified (names, none);

  g_object_set (certificate, "latest-annotation", NULL, NULL);
  assert_notified (names, latest);
  g_assert_null (cd_certificate_get_latest_annotation (certificate));
}

static void
test_certificate_list (void)
{
  const char *json =
    "{\"certificates\": [" CERTIFICATE_WITH_ANNOTATION_JSON ", " CERTIFICATE_JSON "]}";
  g_autoptr(JsonObject) root = parse_object (json);
  g_autoptr(JsonObject) empty_root = parse_object ("{\"certificates\": []}");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) certificates = cd_certificate_list_new_from_json (root, &error);
  g_autoptr(GPtrArray) empty = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (certificates->len, ==, 2);
  g_assert_nonnull (cd_certificate_get_latest_annotation (g_ptr_array_index (certificates, 0)));
  g_assert_null (cd_certificate_get_latest_annotation (g_ptr_array_index (certificates, 1)));

  empty = cd_certificate_list_new_from_json (empty_root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (empty->len, ==, 0);
}

static void
test_certificate_list_malformed (void)
{
  static const struct
  {
    const char *json;
    const char *named;
  } cases[] = {
    { "{}", "certificates" },
    { "{\"certificates\": null}", "certificates" },
    { "{\"certificates\": {}}", "certificates" },
    { "{\"certificates\": [" CERTIFICATE_JSON ", 1]}", "certificates" },
    { "{\"certificates\": [[" CERTIFICATE_JSON "]]}", "certificates" },
    { "{\"certificates\": [null]}", "certificates" },
    /* One bad certificate fails the whole list. */
    { "{\"certificates\": [" CERTIFICATE_JSON ", {\"id\": \"x\"}]}", "cert_no" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) root = parse_object (cases[i].json);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) certificates = cd_certificate_list_new_from_json (root, &error);

      g_assert_null (certificates);
      assert_protocol_error (error, cases[i].named);
    }
}

static void
test_annotation_list (void)
{
  const char *json =
    "{\"annotations\": [" ANNOTATION_JSON ", " PENDING_ANNOTATION_JSON "],"
    " \"quota\": " QUOTA_JSON "}";
  g_autoptr(JsonObject) root = parse_object (json);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdQuota) quota = NULL;
  g_autoptr(GPtrArray) annotations = cd_annotation_list_new_from_json (root, &quota, &error);
  g_autoptr(GPtrArray) again = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (annotations->len, ==, 2);
  g_assert_cmpint (cd_annotation_get_state (g_ptr_array_index (annotations, 0)), ==,
                   CD_ANNOTATION_STATE_READY);
  g_assert_cmpint (cd_annotation_get_state (g_ptr_array_index (annotations, 1)), ==,
                   CD_ANNOTATION_STATE_PENDING);
  g_assert_nonnull (quota);
  g_assert_cmpint (cd_quota_get_used (quota), ==, 2);

  /* The quota is optional to the caller, not to the service. */
  again = cd_annotation_list_new_from_json (root, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, 2);
}

static void
test_annotation_list_malformed (void)
{
  static const struct
  {
    const char *json;
    const char *named;
  } cases[] = {
    { "{\"quota\": " QUOTA_JSON "}", "annotations" },
    { "{\"annotations\": []}", "quota" },
    { "{\"annotations\": [], \"quota\": null}", "quota" },
    { "{\"annotations\": [], \"quota\": []}", "quota" },
    { "{\"annotations\": [], \"quota\": {\"limit\": 3}}", "window_days" },
    { "{\"annotations\": \"none\", \"quota\": " QUOTA_JSON "}", "annotations" },
    { "{\"annotations\": [" ANNOTATION_JSON ", \"x\"], \"quota\": " QUOTA_JSON "}", "annotations" },
    { "{\"annotations\": [" ANNOTATION_JSON ", {\"id\": \"\"}], \"quota\": " QUOTA_JSON "}", "id" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) root = parse_object (cases[i].json);
      g_autoptr(GError) error = NULL;
      CdQuota *quota = NULL;
      g_autoptr(GPtrArray) annotations = cd_annotation_list_new_from_json (root, &quota, &error);

      g_assert_null (annotations);
      g_assert_null (quota);
      assert_protocol_error (error, cases[i].named);
    }
}

static void
test_quota (void)
{
  g_autoptr(CdQuota) quota = new_from_text ((FromJsonFunc) cd_quota_new_from_json, QUOTA_JSON);
  g_autoptr(CdQuota) full = new_from_text ((FromJsonFunc) cd_quota_new_from_json,
                                           "{\"limit\": 3, \"window_days\": 90, \"used\": 3,"
                                           " \"next_slot_at\": \"2027-02-20T08:30:00Z\"}");
  g_autoptr(CdQuota) unused = new_from_text ((FromJsonFunc) cd_quota_new_from_json,
                                             "{\"limit\": 3, \"window_days\": 90, \"used\": 0,"
                                             " \"next_slot_at\": null}");
  g_autoptr(JsonNode) expected = parse_node ("{\"limit\": 3, \"window_days\": 90, \"used\": 0,"
                                             " \"next_slot_at\": null}");
  g_autoptr(JsonNode) written = build_json (&models[4], unused);
  gint64 next_slot_at = 0;
  int used = -1;

  g_assert_true (cd_time_parse_rfc3339 ("2027-02-20T08:30:00Z", &next_slot_at));
  g_assert_cmpint (cd_quota_get_limit (quota), ==, 3);
  g_assert_cmpint (cd_quota_get_window_days (quota), ==, 90);
  g_assert_cmpint (cd_quota_get_used (quota), ==, 2);
  g_assert_cmpint (cd_quota_get_next_slot_at (quota), ==, next_slot_at);
  g_assert_true (cd_quota_has_free_slot (quota));
  g_assert_false (cd_quota_has_free_slot (full));
  g_assert_true (cd_quota_has_free_slot (unused));
  g_assert_cmpint (cd_quota_get_next_slot_at (unused), ==, 0);
  g_assert_true (json_node_equal (expected, written));

  g_object_get (full, "used", &used, NULL);
  g_assert_cmpint (used, ==, 3);

  /* next_slot_at is set exactly when something is counted. */
  assert_refused (&models[4], expected, "next_slot_at", "\"2027-02-20T08:30:00Z\"");
  assert_refused_naming (&models[4], expected, "used", "1", "next_slot_at");
}

static void
test_notice (void)
{
  g_autoptr(CdNotice) notice = new_from_text ((FromJsonFunc) cd_notice_new_from_json, NOTICE_JSON);
  g_autoptr(JsonNode) root = parse_node (NOTICE_JSON);
  g_autoptr(GString) long_body = g_string_new (NULL);
  g_autoptr(JsonNode) changed = NULL;
  g_autoptr(CdNotice) long_notice = NULL;
  g_autofree char *long_title = NULL;

  g_assert_cmpstr (cd_notice_get_version (notice), ==, "2026-11-01");
  g_assert_cmpstr (cd_notice_get_title (notice), ==, "服务须知");
  g_assert_cmpstr (cd_notice_get_body (notice), ==, "一、本服务…");
  g_assert_false (cd_notice_get_accepted (notice));

  /* The body has room for several paragraphs, unlike other strings. */
  for (guint i = 0; i < 2000; i++)
    g_string_append (long_body, "一");
  changed = copy_deeply (root);
  json_object_set_string_member (json_node_get_object (changed), "body", long_body->str);
  long_notice = cd_notice_new_from_json (json_node_get_object (changed), NULL);
  g_assert_nonnull (long_notice);
  long_title = g_strdup_printf ("\"%s\"", long_body->str);
  assert_refused (&models[5], root, "title", long_title);
}

static void
test_verification (void)
{
  g_autoptr(CdVerification) verification =
    new_from_text ((FromJsonFunc) cd_verification_new_from_json, VERIFICATION_JSON);
  g_autoptr(JsonNode) root = parse_node (VERIFICATION_JSON);
  g_autoptr(JsonNode) revoked = replace_member (root, "valid", "false");
  g_autoptr(JsonNode) revoked_status = replace_member (revoked, "certificate.status",
                                                       "\"revoked\"");
  g_autoptr(CdVerification) not_valid = NULL;
  gint64 expected = 0;

  g_assert_true (cd_verification_get_valid (verification));
  g_assert_true (cd_time_parse_rfc3339 ("2026-11-26T09:00:00Z", &expected));
  g_assert_cmpint (cd_verification_get_checked_at (verification), ==, expected);
  g_assert_cmpstr (cd_verification_get_cert_no (verification), ==, "AQ2021110105000123");
  g_assert_cmpstr (cd_verification_get_qualification (verification), ==, "注册安全工程师");
  g_assert_cmpstr (cd_verification_get_holder_name_masked (verification), ==, "张*");
  g_assert_cmpint (cd_verification_get_status (verification), ==, CD_CERTIFICATE_STATUS_VALID);
  g_assert_cmpstr (cd_verification_get_issuer (verification), ==, "中华人民共和国应急管理部");
  g_assert_cmpstr (cd_verification_get_annotation_no (verification), ==, "JZ20261125000001");
  g_assert_cmpint (cd_verification_get_annotation_state (verification), ==,
                   CD_ANNOTATION_STATE_READY);
  g_assert_true (cd_time_parse_rfc3339 ("2027-02-23T08:30:03Z", &expected));
  g_assert_cmpint (cd_verification_get_valid_until (verification), ==, expected);
  g_assert_cmpint (cd_verification_get_valid_from (verification), ==, expected - 90 * 86400);

  /* “Valid” only for a valid certificate with a ready annotation; “not valid” is
   * believed whatever the reason. */
  assert_refused_naming (&models[6], root, "certificate.status", "\"revoked\"", "valid");
  assert_refused_naming (&models[6], root, "certificate.status", "\"suspended\"", "valid");
  assert_refused_naming (&models[6], root, "annotation.state", "\"pending\"", "valid");
  assert_refused_naming (&models[6], root, "annotation.state", "\"expired\"", "valid");
  assert_refused_naming (&models[6], root, "annotation.state", "\"failed\"", "valid");

  not_valid = cd_verification_new_from_json (json_node_get_object (revoked_status), NULL);
  g_assert_nonnull (not_valid);
  g_assert_false (cd_verification_get_valid (not_valid));
  g_assert_cmpint (cd_verification_get_status (not_valid), ==, CD_CERTIFICATE_STATUS_REVOKED);
}

static GError *
error_from_body (guint       status,
                 const char *content_type,
                 const char *body)
{
  g_autoptr(GBytes) bytes = body != NULL ? g_bytes_new_static (body, strlen (body)) : NULL;
  GError *error = cd_client_error_new_from_response (status, content_type, bytes);

  g_assert_nonnull (error);
  g_test_message ("HTTP %u %s → %s", status, body != NULL ? body : "(none)", error->message);
  return error;
}

static void
assert_message_contains (const GError *error,
                         const char   *part)
{
  if (part != NULL && strstr (error->message, part) == NULL)
    g_error ("“%s” does not contain “%s”", error->message, part);
}

static void
test_error_codes (void)
{
  static const struct
  {
    const char    *code;
    guint          status;
    CdClientError  error;
  } codes[] = {
    { "malformed_json", 400, CD_CLIENT_ERROR_MALFORMED_JSON },
    { "unauthorized", 401, CD_CLIENT_ERROR_UNAUTHORIZED },
    { "invalid_credentials", 401, CD_CLIENT_ERROR_INVALID_CREDENTIALS },
    { "notice_not_accepted", 403, CD_CLIENT_ERROR_NOTICE_NOT_ACCEPTED },
    { "not_found", 404, CD_CLIENT_ERROR_NOT_FOUND },
    { "method_not_allowed", 405, CD_CLIENT_ERROR_METHOD_NOT_ALLOWED },
    { "account_exists", 409, CD_CLIENT_ERROR_ACCOUNT_EXISTS },
    { "body_too_large", 413, CD_CLIENT_ERROR_BODY_TOO_LARGE },
    { "unsupported_media_type", 415, CD_CLIENT_ERROR_UNSUPPORTED_MEDIA_TYPE },
    { "internal_error", 500, CD_CLIENT_ERROR_INTERNAL },
  };
  CdClientError out = CD_CLIENT_ERROR_PROTOCOL;

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"error\": {\"code\": \"%s\","
                                               " \"message\": \"Service words\"}}",
                                               codes[i].code);
      g_autoptr(GError) error = error_from_body (codes[i].status, "application/json", body);

      g_assert_error (error, CD_CLIENT_ERROR, (int) codes[i].error);
      /* The holder reads CertDesk's sentence, not the service's English. */
      g_assert_null (strstr (error->message, "Service words"));
      g_assert_cmpuint (strlen (error->message), >, 10);

      g_assert_true (cd_client_error_from_code (codes[i].code, &out));
      g_assert_cmpint (out, ==, codes[i].error);
    }

  out = CD_CLIENT_ERROR_PROTOCOL;
  g_assert_true (cd_client_error_from_code ("too_many_attempts", &out));
  g_assert_cmpint (out, ==, CD_CLIENT_ERROR_TOO_MANY_ATTEMPTS);
  g_assert_false (cd_client_error_from_code ("internal", &out));
  g_assert_false (cd_client_error_from_code ("teapot", &out));
  g_assert_false (cd_client_error_from_code ("", &out));
  g_assert_false (cd_client_error_from_code (NULL, &out));
  g_assert_cmpint (out, ==, CD_CLIENT_ERROR_TOO_MANY_ATTEMPTS);
}

/* The extra members of docs/api.md's error table end up in the holder's sentence. */
static void
test_error_extras (void)
{
  static const struct
  {
    guint          status;
    const char    *body;
    CdClientError  error;
    const char    *contains;
    const char    *also_contains;
  } cases[] = {
    { 409, "{\"error\": {\"code\": \"quota_exceeded\", \"message\": \"At most 3 annotations in 90 days; the next slot frees at 2027-02-20T08:30:00Z\", \"next_slot_at\": \"2027-02-20T08:30:00Z\"}}",
      CD_CLIENT_ERROR_QUOTA_EXCEEDED, "2027-02-20.", NULL },
    /* A local date: in UTC, not yet the next day of China. */
    { 409, "{\"error\": {\"code\": \"quota_exceeded\", \"message\": \"\", \"next_slot_at\": \"2027-02-20T23:30:00Z\"}}",
      CD_CLIENT_ERROR_QUOTA_EXCEEDED, "2027-02-20.", NULL },
    { 429, "{\"error\": {\"code\": \"too_many_attempts\", \"message\": \"Too many\", \"retry_after\": 840}}",
      CD_CLIENT_ERROR_TOO_MANY_ATTEMPTS, "14 minutes", NULL },
    { 429, "{\"error\": {\"code\": \"too_many_attempts\", \"message\": \"Too many\", \"retry_after\": 841}}",
      CD_CLIENT_ERROR_TOO_MANY_ATTEMPTS, "15 minutes", NULL },
    { 429, "{\"error\": {\"code\": \"too_many_attempts\", \"message\": \"Too many\", \"retry_after\": 5}}",
      CD_CLIENT_ERROR_TOO_MANY_ATTEMPTS, "1 minute.", NULL },
    { 429, "{\"error\": {\"code\": \"too_many_attempts\", \"message\": \"Too many\", \"retry_after\": 0}}",
      CD_CLIENT_ERROR_TOO_MANY_ATTEMPTS, "1 minute.", NULL },
    { 409, "{\"error\": {\"code\": \"certificate_not_valid\", \"message\": \"x\", \"status\": \"revoked\"}}",
      CD_CLIENT_ERROR_CERTIFICATE_NOT_VALID, "revoked", NULL },
    { 409, "{\"error\": {\"code\": \"certificate_not_valid\", \"message\": \"x\", \"status\": \"suspended\"}}",
      CD_CLIENT_ERROR_CERTIFICATE_NOT_VALID, "suspended", NULL },
    { 410, "{\"error\": {\"code\": \"annotation_expired\", \"message\": \"x\", \"valid_until\": \"2027-02-23T08:30:03Z\"}}",
      CD_CLIENT_ERROR_ANNOTATION_EXPIRED, "2027-02-23", NULL },
    { 409, "{\"error\": {\"code\": \"not_ready\", \"message\": \"x\", \"state\": \"pending\"}}",
      CD_CLIENT_ERROR_NOT_READY, "still being generated", NULL },
    { 409, "{\"error\": {\"code\": \"not_ready\", \"message\": \"x\", \"state\": \"failed\"}}",
      CD_CLIENT_ERROR_NOT_READY, "failed", NULL },
    { 400, "{\"error\": {\"code\": \"missing_field\", \"message\": \"The query parameter “code” is missing\", \"field\": \"code\"}}",
      CD_CLIENT_ERROR_MISSING_FIELD, "“code”", NULL },
    { 400, "{\"error\": {\"code\": \"unknown_field\", \"message\": \"Unknown field “color”\", \"field\": \"color\"}}",
      CD_CLIENT_ERROR_UNKNOWN_FIELD, "“color”", NULL },
    { 400, "{\"error\": {\"code\": \"invalid_field\", \"message\": \"The check digit is wrong\", \"field\": \"id_number\"}}",
      CD_CLIENT_ERROR_INVALID_FIELD, "“id_number”", "The check digit is wrong" },
    { 400, "{\"error\": {\"code\": \"weak_password\", \"message\": \"x\", \"field\": \"password\"}}",
      CD_CLIENT_ERROR_WEAK_PASSWORD, "8 characters", NULL },
    { 409, "{\"error\": {\"code\": \"notice_version_mismatch\", \"message\": \"x\", \"current_version\": \"2026-12-01\"}}",
      CD_CLIENT_ERROR_NOTICE_VERSION_MISMATCH, "2026-12-01", NULL },
    /* Unknown members are tolerated in error bodies too. */
    { 404, "{\"error\": {\"code\": \"not_found\", \"message\": \"Not found\", \"hint\": [1]}, \"trace\": null}",
      CD_CLIENT_ERROR_NOT_FOUND, NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = error_from_body (cases[i].status, "application/json; charset=utf-8",
                                                 cases[i].body);

      g_assert_error (error, CD_CLIENT_ERROR, (int) cases[i].error);
      assert_message_contains (error, cases[i].contains);
      assert_message_contains (error, cases[i].also_contains);
    }
}

/* Anything else is PROTOCOL (ours but wrong) or UNEXPECTED_STATUS (not ours), with the
 * HTTP status in the message. */
static void
test_error_garbage (void)
{
  static const struct
  {
    guint          status;
    const char    *content_type;
    const char    *body;
    CdClientError  error;
    const char    *contains;
  } cases[] = {
    { 502, "text/html", "<html><body>Bad gateway</body></html>", CD_CLIENT_ERROR_UNEXPECTED_STATUS, "502" },
    { 503, NULL, NULL, CD_CLIENT_ERROR_UNEXPECTED_STATUS, "503" },
    { 500, "application/json", "", CD_CLIENT_ERROR_UNEXPECTED_STATUS, "500" },
    { 404, "application/jsonp", "{}", CD_CLIENT_ERROR_UNEXPECTED_STATUS, "404" },
    { 409, "application/json", "quota exceeded", CD_CLIENT_ERROR_PROTOCOL, "409" },
    { 409, "application/json", "{\"error\": {\"code\": \"quota_exceeded\"", CD_CLIENT_ERROR_PROTOCOL, "409" },
    { 409, "application/json", "[\"quota_exceeded\"]", CD_CLIENT_ERROR_PROTOCOL, "409" },
    { 409, "application/json", "{\"error\": \"quota_exceeded\"}", CD_CLIENT_ERROR_PROTOCOL, "“error”" },
    { 409, "application/json", "{\"code\": \"quota_exceeded\"}", CD_CLIENT_ERROR_PROTOCOL, "“error”" },
    { 409, "application/json", "{\"error\": {\"code\": 409, \"message\": \"x\"}}", CD_CLIENT_ERROR_PROTOCOL, "“code”" },
    { 409, "application/json", "{\"error\": {\"code\": \"account_exists\"}}", CD_CLIENT_ERROR_PROTOCOL, "“message”" },
    { 409, "application/json", "{\"error\": {\"code\": \"account_exists\", \"message\": \"x\", \"code\": \"not_found\"}}",
      CD_CLIENT_ERROR_PROTOCOL, "409" },
    /* Extras missing, of the wrong type or with values docs/api.md does not allow. */
    { 409, "application/json", "{\"error\": {\"code\": \"quota_exceeded\", \"message\": \"x\"}}",
      CD_CLIENT_ERROR_PROTOCOL, "“next_slot_at”" },
    { 409, "application/json", "{\"error\": {\"code\": \"quota_exceeded\", \"message\": \"x\", \"next_slot_at\": \"soon\"}}",
      CD_CLIENT_ERROR_PROTOCOL, "“next_slot_at”" },
    { 409, "application/json", "{\"error\": {\"code\": \"quota_exceeded\", \"message\": \"x\", \"next_slot_at\": null}}",
      CD_CLIENT_ERROR_PROTOCOL, "“next_slot_at”" },
    { 429, "application/json", "{\"error\": {\"code\": \"too_many_attempts\", \"message\": \"x\", \"retry_after\": \"840\"}}",
      CD_CLIENT_ERROR_PROTOCOL, "“retry_after”" },
    { 429, "application/json", "{\"error\": {\"code\": \"too_many_attempts\", \"message\": \"x\", \"retry_after\": -5}}",
      CD_CLIENT_ERROR_PROTOCOL, "“retry_after”" },
    { 409, "application/json", "{\"error\": {\"code\": \"certificate_not_valid\", \"message\": \"x\", \"status\": \"valid\"}}",
      CD_CLIENT_ERROR_PROTOCOL, "“status”" },
    { 409, "application/json", "{\"error\": {\"code\": \"not_ready\", \"message\": \"x\", \"state\": \"ready\"}}",
      CD_CLIENT_ERROR_PROTOCOL, "“state”" },
    { 410, "application/json", "{\"error\": {\"code\": \"annotation_expired\", \"message\": \"x\", \"valid_until\": \"2027-02-23\"}}",
      CD_CLIENT_ERROR_PROTOCOL, "“valid_until”" },
    { 400, "application/json", "{\"error\": {\"code\": \"missing_field\", \"message\": \"x\"}}",
      CD_CLIENT_ERROR_PROTOCOL, "“field”" },
    { 400, "application/json", "{\"error\": {\"code\": \"invalid_field\", \"message\": \"x\", \"field\": \"\"}}",
      CD_CLIENT_ERROR_PROTOCOL, "“field”" },
    /* A code with another status than the table's. */
    { 500, "application/json", "{\"error\": {\"code\": \"quota_exceeded\", \"message\": \"x\", \"next_slot_at\": \"2027-02-20T08:30:00Z\"}}",
      CD_CLIENT_ERROR_PROTOCOL, "500" },
    /* A code newer than this client: the service's words are all there is. */
    { 418, "application/json", "{\"error\": {\"code\": \"teapot\", \"message\": \"I am a teapot\"}}",
      CD_CLIENT_ERROR_UNEXPECTED_STATUS, "(HTTP 418): I am a teapot" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = error_from_body (cases[i].status, cases[i].content_type,
                                                 cases[i].body);

      g_assert_error (error, CD_CLIENT_ERROR, (int) cases[i].error);
      assert_message_contains (error, cases[i].contains);
    }
}

static JsonObject *
parse_test_json (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = cd_json_parse_object (json, strlen (json), &error);

  g_assert_no_error (error);
  return object;
}

/* The cached list comes back as it was saved, for its own service only, in a file only
 * the user can read; a damaged file is an error, not a list. */
/* One library per holder, the same however the ID number is typed. */
static void
test_library_directory (void)
{
  g_autofree char *first = cd_document_store_get_default_directory ("11010519491231002x");
  g_autofree char *same = cd_document_store_get_default_directory ("11010519491231002X");
  g_autofree char *other = cd_document_store_get_default_directory ("110105199003071239");
  g_autofree char *base = g_build_filename (g_get_user_data_dir (), "certdesk", "library", NULL);
  g_autofree char *parent = g_path_get_dirname (first);

  g_assert_cmpstr (first, ==, same);
  g_assert_cmpstr (first, !=, other);
  g_assert_cmpstr (parent, ==, base);
  g_assert_null (strstr (first, "1101051949"));
}

static void
test_list_cache (void)
{
  g_autofree char *directory = g_dir_make_tmp ("certdesk-cache-XXXXXX", NULL);
  g_autoptr(CdListCache) cache = cd_list_cache_new (directory);
  g_autoptr(JsonObject) holder_object = parse_test_json (HOLDER_JSON);
  g_autoptr(JsonObject) list_object = parse_test_json ("{\"certificates\": [" CERTIFICATE_WITH_ANNOTATION_JSON ", "
                                                       CERTIFICATE_JSON "]}");
  g_autoptr(CdHolder) holder = cd_holder_new_from_json (holder_object, NULL);
  g_autoptr(GPtrArray) certificates = cd_certificate_list_new_from_json (list_object, NULL);
  g_autoptr(CdHolder) loaded_holder = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *path = NULL;
  const char *name;
  gint64 saved_at = 0;
  GStatBuf buf;
  CdCertificate *first;

  g_assert_nonnull (holder);
  g_assert_nonnull (certificates);

  /* Nothing cached yet. */
  g_assert_false (cd_list_cache_load (cache, "https://cert.example.cn", &loaded_holder, &loaded, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (loaded);

  g_assert_true (cd_list_cache_save (cache, "https://cert.example.cn", holder, certificates, &error));
  g_assert_no_error (error);

  g_assert_true (cd_list_cache_load (cache, "https://cert.example.cn", &loaded_holder, &loaded, &saved_at, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (cd_holder_get_name (loaded_holder), ==, "张三");
  g_assert_cmpstr (cd_holder_get_id_number_masked (loaded_holder), ==, "1101**********1239");
  g_assert_cmpuint (loaded->len, ==, 2);
  first = g_ptr_array_index (loaded, 0);
  g_assert_cmpstr (cd_certificate_get_cert_no (first), ==, "AQ2021110105000123");
  g_assert_nonnull (cd_certificate_get_latest_annotation (first));
  g_assert_cmpint (cd_annotation_get_valid_until (cd_certificate_get_latest_annotation (first)), ==,
                   1803371403); /* 2027-02-23T08:30:03Z */
  g_assert_null (cd_certificate_get_latest_annotation (g_ptr_array_index (loaded, 1)));
  g_assert_cmpint (ABS (saved_at - cd_time_now ()), <=, 5);
  g_clear_object (&loaded_holder);
  g_clear_pointer (&loaded, g_ptr_array_unref);

  /* Another service has nothing cached. */
  g_assert_false (cd_list_cache_load (cache, "https://other.example.cn", &loaded_holder, &loaded, NULL, &error));
  g_assert_no_error (error);

  /* One file, readable by its owner alone. */
  dir = g_dir_open (directory, 0, NULL);
  name = g_dir_read_name (dir);
  g_assert_nonnull (name);
  g_assert_null (g_dir_read_name (dir));
  path = g_build_filename (directory, name, NULL);
  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0600);

  /* A damaged file is an error. */
  g_assert_true (g_file_set_contents (path, "{\"version\": 1, \"certificates\": [", -1, NULL));
  g_assert_false (cd_list_cache_load (cache, "https://cert.example.cn", &loaded_holder, &loaded, NULL, &error));
  g_assert_nonnull (error);
  g_assert_null (loaded);
  g_clear_error (&error);

  g_assert_true (cd_list_cache_remove (cache, "https://cert.example.cn", &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  /* Removing what is not there is fine. */
  g_assert_true (cd_list_cache_remove (cache, "https://cert.example.cn", &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_rmdir (directory), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      const char *name = models[i].name;
      g_autofree char *round_trip = g_strdup_printf ("/certdesk/models/%s/round-trip", name);
      g_autofree char *malformed = g_strdup_printf ("/certdesk/models/%s/malformed", name);
      g_autofree char *extra = g_strdup_printf ("/certdesk/models/%s/extra-members", name);

      g_test_add_data_func (round_trip, &models[i], test_round_trip);
      g_test_add_data_func (malformed, &models[i], test_malformed);
      g_test_add_data_func (extra, &models[i], test_extra_members);
    }

  g_test_add_func ("/certdesk/models/nested-garbage", test_nested_garbage);
  g_test_add_func ("/certdesk/models/holder/getters", test_holder);
  g_test_add_func ("/certdesk/models/annotation/getters", test_annotation);
  g_test_add_func ("/certdesk/models/annotation/pending", test_annotation_pending);
  g_test_add_func ("/certdesk/models/annotation/new-scenario", test_annotation_new_scenario);
  g_test_add_func ("/certdesk/models/annotation/state-enum", test_annotation_state_enum);
  g_test_add_func ("/certdesk/models/annotation/state-at", test_annotation_state_at);
  g_test_add_func ("/certdesk/models/annotation/update-from", test_annotation_update_from);
  g_test_add_func ("/certdesk/models/annotation/consistency", test_annotation_consistency);
  g_test_add_func ("/certdesk/models/annotation/list", test_annotation_list);
  g_test_add_func ("/certdesk/models/annotation/list-malformed", test_annotation_list_malformed);
  g_test_add_func ("/certdesk/models/certificate/getters", test_certificate);
  g_test_add_func ("/certdesk/models/certificate/statuses", test_certificate_statuses);
  g_test_add_func ("/certdesk/models/certificate/foreign-annotation",
                   test_certificate_foreign_annotation);
  g_test_add_func ("/certdesk/models/certificate/set-latest-annotation",
                   test_certificate_set_latest_annotation);
  g_test_add_func ("/certdesk/models/certificate/list", test_certificate_list);
  g_test_add_func ("/certdesk/models/certificate/list-malformed", test_certificate_list_malformed);
  g_test_add_func ("/certdesk/models/quota/getters", test_quota);
  g_test_add_func ("/certdesk/models/notice/getters", test_notice);
  g_test_add_func ("/certdesk/models/verification/getters", test_verification);
  g_test_add_func ("/certdesk/models/error/codes", test_error_codes);
  g_test_add_func ("/certdesk/models/error/extras", test_error_extras);
  g_test_add_func ("/certdesk/models/error/garbage", test_error_garbage);
  g_test_add_func ("/certdesk/models/list-cache", test_list_cache);
  g_test_add_func ("/certdesk/models/annotation/lapse", test_annotation_lapse);
  g_test_add_func ("/certdesk/models/library-directory", test_library_directory);

  return g_test_run ();
}
