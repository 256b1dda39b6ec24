#include "config.h"

#include "cd-server.h"
#include "cd-json.h"
#include "cd-secrets.h"
#include "cd-server-error.h"
#include "cd-time.h"

#include <libsoup/soup.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#define API_PREFIX             "/api/v1/"
#define API_VERSION            1
#define MAX_BODY_BYTES         (64 * 1024)
#define QUOTA_LIMIT            3
#define QUOTA_WINDOW_DAYS      90
#define MAX_VALIDITY_DAYS      90
#define MAX_SIGN_IN_FAILURES   5
#define SIGN_IN_LOCK_SECONDS   (15 * 60)
#define MIN_PASSWORD_CHARS     8
#define MAX_PASSWORD_CHARS     256
#define MAX_NAME_CHARS         64
#define MAX_TOKEN_LENGTH       128

typedef struct
{
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *soup_server;
  GSocket      *socket;
  GHashTable   *sockets; /* (element-type GSocket): served connections, for reaping */
  GSource      *reaper;
  GThread      *thread;
} Listener;

struct _CdServer
{
  GObject            parent_instance;

  CdStore           *store;
  CdSigningIdentity *identity;
  CdServiceNotice   *notice; /* immutable: read by every listener thread */
  CdGenerator       *generator;
  CdServerConfig     config;
  CdQuotaRule        quota_rule;

  GPtrArray         *listeners; /* (element-type Listener) */
  guint16            port;
};

G_DEFINE_FINAL_TYPE (CdServer, cd_server, G_TYPE_OBJECT)

typedef struct
{
  CdServer          *server;
  SoupServerMessage *msg;
  char              *param;      /* the {id} segment of the path, if the route has one */
  char              *token_hash; /* for routes that need sign-in */
  CdAccountRecord   *account;    /* the signed-in holder */
  JsonObject        *body;
} Request;

typedef void (*RouteHandler) (Request *request);

typedef enum
{
  ROUTE_PUBLIC   = 0,
  ROUTE_AUTH     = 1 << 0,
  ROUTE_NOTICE   = 1 << 1, /* the current notice must be accepted */
  ROUTE_BODY     = 1 << 2, /* a JSON object body */
  ROUTE_BLOCKING = 1 << 3, /* password hashing: runs in a worker thread */
} RouteFlags;

typedef struct
{
  const char   *method;
  const char   *pattern; /* below API_PREFIX; "*" is one path segment, the {id} */
  RouteFlags    flags;
  RouteHandler  handler;
} Route;

/* Helpers */

static void
request_free (Request *request)
{
  g_object_unref (request->msg);
  g_free (request->param);
  g_free (request->token_hash);
  g_clear_pointer (&request->account, cd_account_record_free);
  g_clear_pointer (&request->body, json_object_unref);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static void
reply_bytes (SoupServerMessage *msg,
             guint              status,
             const char        *content_type,
             GBytes            *bytes)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  if (bytes != NULL)
    {
      soup_message_headers_set_content_type (headers, content_type, NULL);
      soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
    }
}

static void
reply_builder (SoupServerMessage *msg,
               guint              status,
               JsonBuilder       *builder)
{
  g_autoptr(GBytes) bytes = cd_json_builder_to_bytes (builder);

  reply_bytes (msg, status, "application/json", bytes);
}

static void
reply_empty (SoupServerMessage *msg,
             guint              status)
{
  reply_bytes (msg, status, NULL, NULL);
}

/* Starts an error body; add extra members, then finish with reply_error_end (). */
static JsonBuilder *
reply_error_begin (CdServerError  code,
                   const char    *message)
{
  JsonBuilder *builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, cd_server_error_get_code (code));
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);

  return builder;
}

static void
reply_error_end (SoupServerMessage *msg,
                 CdServerError      code,
                 JsonBuilder       *builder)
{
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  reply_builder (msg, cd_server_error_get_status (code), builder);
}

static void
reply_error (SoupServerMessage *msg,
             CdServerError      code,
             const char        *message)
{
  g_autoptr(JsonBuilder) builder = reply_error_begin (code, message);

  reply_error_end (msg, code, builder);
}

static void
reply_field_error (SoupServerMessage *msg,
                   CdServerError      code,
                   const char        *field,
                   const char        *message)
{
  g_autoptr(JsonBuilder) builder = reply_error_begin (code, message);

  json_builder_set_member_name (builder, "field");
  json_builder_add_string_value (builder, field);
  reply_error_end (msg, code, builder);
}

static void
reply_not_found (SoupServerMessage *msg)
{
  reply_error (msg, CD_SERVER_ERROR_NOT_FOUND, "Not found");
}

/* Answers a failed store call. The store's own wording of internal faults goes to
 * the log, not to the client. */
static void
reply_store_error (SoupServerMessage *msg,
                   const GError      *error)
{
  if (g_error_matches (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND))
    {
      reply_not_found (msg);
      return;
    }
  if (g_error_matches (error, CD_STORE_ERROR, CD_STORE_ERROR_EXISTS))
    {
      reply_error (msg, CD_SERVER_ERROR_ACCOUNT_EXISTS, "This ID number is already registered");
      return;
    }

  g_warning ("%s %s: %s", soup_server_message_get_method (msg),
             g_uri_get_path (soup_server_message_get_uri (msg)), error->message);
  reply_error (msg, CD_SERVER_ERROR_INTERNAL, "The service could not complete the request");
}

/* Reports a body field that cd_json_read_*() refused. */
static void
reply_json_field_error (SoupServerMessage *msg,
                        const char        *field,
                        const GError      *error)
{
  CdServerError code = g_error_matches (error, CD_JSON_ERROR, CD_JSON_ERROR_MISSING_MEMBER)
                       ? CD_SERVER_ERROR_MISSING_FIELD
                       : CD_SERVER_ERROR_INVALID_FIELD;

  reply_field_error (msg, code, field, error->message);
}

static gboolean
read_body_string (Request     *request,
                  const char  *field,
                  const char **out_value)
{
  g_autoptr(GError) error = NULL;

  if (!cd_json_read_string (request->body, field, CD_JSON_REQUIRED, out_value, &error))
    {
      reply_json_field_error (request->msg, field, error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_body_members (Request            *request,
                    const char * const *allowed)
{
  const char *unknown = cd_json_find_unknown_member (request->body, allowed);
  g_autofree char *message = NULL;

  if (unknown == NULL)
    return TRUE;

  message = g_strdup_printf ("Unknown field “%s”", unknown);
  reply_field_error (request->msg, CD_SERVER_ERROR_UNKNOWN_FIELD, unknown, message);
  return FALSE;
}

static char *
mask_name (const char *name)
{
  glong n_chars = g_utf8_strlen (name, -1);
  const char *second = g_utf8_next_char (name);
  GString *masked;

  if (n_chars == 0)
    return g_strdup ("");

  masked = g_string_new_len (name, second - name);
  for (glong i = 1; i < MAX (n_chars, 2); i++)
    g_string_append_c (masked, '*');

  return g_string_free (masked, FALSE);
}

static void
add_holder (JsonBuilder           *builder,
            const CdAccountRecord *account,
            const CdServiceNotice *notice)
{
  g_autofree char *masked = cd_id_number_mask (account->id_number);

  json_builder_begin_object (builder);
  cd_json_builder_add_string (builder, "name", account->name);
  cd_json_builder_add_string (builder, "id_type", cd_id_type_to_string (account->id_type));
  cd_json_builder_add_string (builder, "id_number_masked", masked);
  json_builder_set_member_name (builder, "notice_accepted");
  json_builder_add_boolean_value (builder, cd_service_notice_has_version (notice, account->notice_version));
  json_builder_end_object (builder);
}

static void
add_annotation (JsonBuilder              *builder,
                const CdAnnotationRecord *annotation,
                gint64                    now)
{
  CdAnnotationState state = cd_annotation_record_get_state_at (annotation, now);
  gboolean generated = state == CD_ANNOTATION_STATE_READY || state == CD_ANNOTATION_STATE_EXPIRED;

  json_builder_begin_object (builder);
  cd_json_builder_add_string (builder, "id", annotation->id);
  cd_json_builder_add_string (builder, "annotation_no", annotation->annotation_no);
  cd_json_builder_add_string (builder, "certificate_id", annotation->certificate_id);
  cd_json_builder_add_string (builder, "scenario", cd_scenario_to_string (annotation->scenario));
  cd_json_builder_add_int (builder, "validity_days", annotation->validity_days);
  cd_json_builder_add_string (builder, "state", cd_annotation_state_to_string (state));
  cd_json_builder_add_time (builder, "requested_at", annotation->requested_at);
  cd_json_builder_add_time (builder, "ready_at", annotation->ready_at);
  cd_json_builder_add_time (builder, "valid_from", annotation->valid_from);
  cd_json_builder_add_time (builder, "valid_until", annotation->valid_until);
  cd_json_builder_add_string (builder, "verification_code", generated ? annotation->verification_code : NULL);
  json_builder_end_object (builder);
}

static void
add_certificate (JsonBuilder               *builder,
                 const CdCertificateRecord *certificate,
                 gint64                     now)
{
  g_autofree char *masked = cd_id_number_mask (certificate->id_number);

  json_builder_begin_object (builder);
  cd_json_builder_add_string (builder, "id", certificate->id);
  cd_json_builder_add_string (builder, "cert_no", certificate->cert_no);
  cd_json_builder_add_string (builder, "qualification", certificate->qualification);
  cd_json_builder_add_string (builder, "specialty", certificate->specialty);
  cd_json_builder_add_string (builder, "level", certificate->level);
  cd_json_builder_add_string (builder, "holder_name", certificate->holder_name);
  cd_json_builder_add_string (builder, "gender", certificate->gender);
  cd_json_builder_add_string (builder, "id_number_masked", masked);
  cd_json_builder_add_string (builder, "management_no", certificate->management_no);
  cd_json_builder_add_string (builder, "issued_on", certificate->issued_on);
  cd_json_builder_add_string (builder, "issuer", certificate->issuer);
  cd_json_builder_add_string (builder, "status", cd_certificate_status_to_string (certificate->status));
  json_builder_set_member_name (builder, "latest_annotation");
  if (certificate->latest_annotation != NULL)
    add_annotation (builder, certificate->latest_annotation, now);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
}

static void
add_quota (JsonBuilder        *builder,
           CdServer           *self,
           const CdQuotaState *quota)
{
  json_builder_begin_object (builder);
  cd_json_builder_add_int (builder, "limit", quota->limit);
  cd_json_builder_add_int (builder, "window_days", quota->window_seconds / self->config.day_seconds);
  cd_json_builder_add_int (builder, "used", quota->used);
  cd_json_builder_add_time (builder, "next_slot_at", quota->next_slot_at);
  json_builder_end_object (builder);
}

/* Route handlers */

static void
handle_service (Request *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  cd_json_builder_add_string (builder, "name", "certdesk-server");
  cd_json_builder_add_string (builder, "version", PACKAGE_VERSION);
  cd_json_builder_add_int (builder, "api_version", API_VERSION);
  cd_json_builder_add_string (builder, "signing_certificate_sha256",
                              cd_signing_identity_get_fingerprint (request->server->identity));
  cd_json_builder_add_int (builder, "day_seconds", request->server->config.day_seconds);
  json_builder_end_object (builder);

  reply_builder (request->msg, SOUP_STATUS_OK, builder);
}

static gboolean
validate_name (Request    *request,
               const char *name)
{
  glong n_chars = g_utf8_strlen (name, -1);

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_iscntrl (g_utf8_get_char (p)))
        n_chars = 0;
    }

  if (n_chars < 1 || n_chars > MAX_NAME_CHARS)
    {
      reply_field_error (request->msg, CD_SERVER_ERROR_INVALID_FIELD, "name",
                         "The name has 1 to 64 characters and no control characters");
      return FALSE;
    }

  return TRUE;
}

/* Runs in a worker thread: argon2id takes tens of milliseconds. */
static void
handle_create_account (Request *request)
{
  static const char * const allowed[] = { "id_type", "id_number", "name", "password", NULL };
  CdServer *self = request->server;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdAccountRecord) account = g_new0 (CdAccountRecord, 1);
  g_autoptr(CdAccountRecord) existing = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  const char *id_type, *id_number, *name, *password;
  g_autofree char *normal_id_number = NULL;
  glong password_chars;

  if (!check_body_members (request, allowed) ||
      !read_body_string (request, "id_type", &id_type) ||
      !read_body_string (request, "id_number", &id_number) ||
      !read_body_string (request, "name", &name) ||
      !read_body_string (request, "password", &password))
    return;

  if (!cd_id_type_from_string (id_type, &account->id_type))
    {
      reply_field_error (request->msg, CD_SERVER_ERROR_INVALID_FIELD, "id_type",
                         "The ID type is resident_id, passport or other");
      return;
    }
  normal_id_number = cd_id_number_normalize (id_number);
  if (!cd_id_number_validate (account->id_type, normal_id_number, &error))
    {
      reply_field_error (request->msg, CD_SERVER_ERROR_INVALID_FIELD, "id_number", error->message);
      return;
    }
  if (!validate_name (request, name))
    return;

  password_chars = g_utf8_strlen (password, -1);
  if (password_chars < MIN_PASSWORD_CHARS)
    {
      reply_field_error (request->msg, CD_SERVER_ERROR_WEAK_PASSWORD, "password",
                         "The password has at least 8 characters");
      return;
    }
  if (password_chars > MAX_PASSWORD_CHARS)
    {
      reply_field_error (request->msg, CD_SERVER_ERROR_INVALID_FIELD, "password",
                         "The password has at most 256 characters");
      return;
    }

  /* Refuse a registered ID before spending a hash on it; the insert checks again. */
  existing = cd_store_lookup_account (self->store, normal_id_number, &error);
  if (existing != NULL)
    {
      reply_error (request->msg, CD_SERVER_ERROR_ACCOUNT_EXISTS, "This ID number is already registered");
      return;
    }
  if (!g_error_matches (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND))
    {
      reply_store_error (request->msg, error);
      return;
    }
  g_clear_error (&error);

  account->id_number = g_steal_pointer (&normal_id_number);
  account->name = g_strdup (name);
  account->created_at = cd_time_now ();
  account->password_hash = cd_secrets_hash_password (password, &error);
  if (account->password_hash == NULL || !cd_store_create_account (self->store, account, &error))
    {
      reply_store_error (request->msg, error);
      return;
    }

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "holder");
  add_holder (builder, account, self->notice);
  json_builder_end_object (builder);
  reply_builder (request->msg, SOUP_STATUS_CREATED, builder);
}

static void
reply_too_many_attempts (SoupServerMessage *msg,
                         gint64             retry_after)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *seconds = g_strdup_printf ("%" G_GINT64_FORMAT, retry_after);

  builder = reply_error_begin (CD_SERVER_ERROR_TOO_MANY_ATTEMPTS,
                               "Too many failed sign-ins for this ID number; try again later");
  cd_json_builder_add_int (builder, "retry_after", retry_after);
  reply_error_end (msg, CD_SERVER_ERROR_TOO_MANY_ATTEMPTS, builder);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", seconds);
}

/* Verifies against a throwaway hash when the ID is unknown, so that the answer takes
 * as long as for a wrong password. */
static gboolean
check_password (const CdAccountRecord *account,
                const char            *password)
{
  static char *decoy_hash = NULL;

  if (account != NULL)
    return cd_secrets_verify_password (password, account->password_hash);

  if (g_once_init_enter (&decoy_hash))
    {
      g_autofree char *secret = cd_secrets_new_token ();
      g_once_init_leave (&decoy_hash, cd_secrets_hash_password (secret, NULL));
    }
  if (decoy_hash != NULL)
    cd_secrets_verify_password (password, decoy_hash);

  return FALSE;
}

/* Runs in a worker thread: argon2id takes tens of milliseconds. */
static void
handle_create_session (Request *request)
{
  static const char * const allowed[] = { "id_number", "password", NULL };
  CdServer *self = request->server;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdAccountRecord) account = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_hash = NULL;
  const char *typed_id_number, *id_number, *password;
  g_autofree char *normal_id_number = NULL;
  gint64 now = cd_time_now ();
  gint64 last_failed_at, expires_at;
  int failures;

  if (!check_body_members (request, allowed) ||
      !read_body_string (request, "id_number", &typed_id_number) ||
      !read_body_string (request, "password", &password))
    return;

  id_number = normal_id_number = cd_id_number_normalize (typed_id_number);
  if (!cd_store_get_sign_in_failures (self->store, id_number, &failures, &last_failed_at, &error))
    {
      reply_store_error (request->msg, error);
      return;
    }
  if (failures >= MAX_SIGN_IN_FAILURES && now < last_failed_at + SIGN_IN_LOCK_SECONDS)
    {
      reply_too_many_attempts (request->msg, last_failed_at + SIGN_IN_LOCK_SECONDS - now);
      return;
    }

  account = cd_store_lookup_account (self->store, id_number, &error);
  if (account == NULL && !g_error_matches (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND))
    {
      reply_store_error (request->msg, error);
      return;
    }
  g_clear_error (&error);

  if (!check_password (account, password))
    {
      if (cd_store_record_sign_in_failure (self->store, id_number, now, SIGN_IN_LOCK_SECONDS, &error) < 0)
        reply_store_error (request->msg, error);
      else
        reply_error (request->msg, CD_SERVER_ERROR_INVALID_CREDENTIALS, "Wrong ID number or password");
      return;
    }

  token = cd_secrets_new_token ();
  token_hash = cd_secrets_hash_token (token);
  expires_at = now + self->config.session_seconds;
  if (!cd_store_clear_sign_in_failures (self->store, id_number, &error) ||
      !cd_store_create_session (self->store, token_hash, account->id, expires_at, &error))
    {
      reply_store_error (request->msg, error);
      return;
    }

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  cd_json_builder_add_string (builder, "token", token);
  cd_json_builder_add_time (builder, "expires_at", expires_at);
  json_builder_set_member_name (builder, "notice_accepted");
  json_builder_add_boolean_value (builder,
                                  cd_service_notice_has_version (self->notice, account->notice_version));
  json_builder_set_member_name (builder, "holder");
  add_holder (builder, account, self->notice);
  json_builder_end_object (builder);
  reply_builder (request->msg, SOUP_STATUS_CREATED, builder);
}

static void
handle_delete_session (Request *request)
{
  g_autoptr(GError) error = NULL;

  if (!cd_store_delete_session (request->server->store, request->token_hash, &error))
    reply_store_error (request->msg, error);
  else
    reply_empty (request->msg, SOUP_STATUS_NO_CONTENT);
}

static void
handle_holder (Request *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  add_holder (builder, request->account, request->server->notice);
  reply_builder (request->msg, SOUP_STATUS_OK, builder);
}

static void
handle_notice (Request *request)
{
  const CdServiceNotice *notice = request->server->notice;
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  cd_json_builder_add_string (builder, "version", cd_service_notice_get_version (notice));
  cd_json_builder_add_string (builder, "title", cd_service_notice_get_title (notice));
  cd_json_builder_add_string (builder, "body", cd_service_notice_get_body (notice));
  json_builder_set_member_name (builder, "accepted");
  json_builder_add_boolean_value (builder,
                                  cd_service_notice_has_version (notice, request->account->notice_version));
  json_builder_end_object (builder);
  reply_builder (request->msg, SOUP_STATUS_OK, builder);
}

static void
handle_accept_notice (Request *request)
{
  static const char * const allowed[] = { "version", NULL };
  const CdServiceNotice *notice = request->server->notice;
  g_autoptr(GError) error = NULL;
  const char *version;

  if (!check_body_members (request, allowed) || !read_body_string (request, "version", &version))
    return;

  if (!cd_service_notice_has_version (notice, version))
    {
      g_autoptr(JsonBuilder) builder = NULL;

      builder = reply_error_begin (CD_SERVER_ERROR_NOTICE_VERSION_MISMATCH,
                                   "This is not the current version of the service notice");
      cd_json_builder_add_string (builder, "current_version", cd_service_notice_get_version (notice));
      reply_error_end (request->msg, CD_SERVER_ERROR_NOTICE_VERSION_MISMATCH, builder);
      return;
    }

  if (!cd_store_accept_notice (request->server->store, request->account->id, version, &error))
    reply_store_error (request->msg, error);
  else
    reply_empty (request->msg, SOUP_STATUS_NO_CONTENT);
}

static void
handle_list_certificates (Request *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  gint64 now = cd_time_now ();

  certificates = cd_store_list_certificates (request->server->store, request->account->id_number, &error);
  if (certificates == NULL)
    {
      reply_store_error (request->msg, error);
      return;
    }

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "certificates");
  json_builder_begin_array (builder);
  for (guint i = 0; i < certificates->len; i++)
    add_certificate (builder, g_ptr_array_index (certificates, i), now);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  reply_builder (request->msg, SOUP_STATUS_OK, builder);
}

static void
handle_get_certificate (Request *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdCertificateRecord) certificate = NULL;
  g_autoptr(JsonBuilder) builder = NULL;

  certificate = cd_store_get_certificate (request->server->store, request->account->id_number,
                                          request->param, &error);
  if (certificate == NULL)
    {
      reply_store_error (request->msg, error);
      return;
    }

  builder = json_builder_new_immutable ();
  add_certificate (builder, certificate, cd_time_now ());
  reply_builder (request->msg, SOUP_STATUS_OK, builder);
}

static void
handle_list_annotations (Request *request)
{
  CdServer *self = request->server;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdCertificateRecord) certificate = NULL;
  g_autoptr(GPtrArray) annotations = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  CdQuotaState quota;
  gint64 now = cd_time_now ();

  certificate = cd_store_get_certificate (self->store, request->account->id_number, request->param, &error);
  if (certificate == NULL ||
      (annotations = cd_store_list_annotations (self->store, request->account->id_number,
                                                request->param, &error)) == NULL ||
      !cd_store_get_quota (self->store, request->param, &self->quota_rule, now, &quota, &error))
    {
      reply_store_error (request->msg, error);
      return;
    }

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "annotations");
  json_builder_begin_array (builder);
  for (guint i = 0; i < annotations->len; i++)
    add_annotation (builder, g_ptr_array_index (annotations, i), now);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "quota");
  add_quota (builder, self, &quota);
  json_builder_end_object (builder);
  reply_builder (request->msg, SOUP_STATUS_OK, builder);
}

static void
reply_apply_error (Request            *request,
                   const GError       *error,
                   const CdQuotaState *quota)
{
  g_autoptr(JsonBuilder) builder = NULL;

  if (g_error_matches (error, CD_STORE_ERROR, CD_STORE_ERROR_QUOTA_EXCEEDED))
    {
      g_autofree char *next = cd_time_format_rfc3339 (quota->next_slot_at);
      g_autofree char *message = g_strdup_printf ("At most %d annotations in %d days; the next slot frees at %s",
                                                  QUOTA_LIMIT, QUOTA_WINDOW_DAYS, next);

      builder = reply_error_begin (CD_SERVER_ERROR_QUOTA_EXCEEDED, message);
      cd_json_builder_add_time (builder, "next_slot_at", quota->next_slot_at);
      reply_error_end (request->msg, CD_SERVER_ERROR_QUOTA_EXCEEDED, builder);
    }
  else if (g_error_matches (error, CD_STORE_ERROR, CD_STORE_ERROR_CERTIFICATE_NOT_VALID))
    {
      g_autoptr(CdCertificateRecord) certificate = NULL;

      certificate = cd_store_get_certificate (request->server->store, request->account->id_number,
                                              request->param, NULL);
      builder = reply_error_begin (CD_SERVER_ERROR_CERTIFICATE_NOT_VALID,
                                   "Only a valid certificate can be annotated");
      cd_json_builder_add_string (builder, "status", certificate != NULL
                                  ? cd_certificate_status_to_string (certificate->status) : NULL);
      reply_error_end (request->msg, CD_SERVER_ERROR_CERTIFICATE_NOT_VALID, builder);
    }
  else
    {
      reply_store_error (request->msg, error);
    }
}

static void
handle_apply_annotation (Request *request)
{
  static const char * const allowed[] = { "scenario", "validity_days", NULL };
  CdServer *self = request->server;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdAnnotationRecord) annotation = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  CdQuotaState quota = { 0, };
  const char *scenario_name;
  CdScenario scenario;
  gint64 validity_days;
  gint64 now = cd_time_now ();

  if (!check_body_members (request, allowed) || !read_body_string (request, "scenario", &scenario_name))
    return;
  if (!cd_json_read_int (request->body, "validity_days", CD_JSON_REQUIRED, &validity_days, &error))
    {
      reply_json_field_error (request->msg, "validity_days", error);
      return;
    }
  if (!cd_scenario_from_string (scenario_name, &scenario))
    {
      reply_field_error (request->msg, CD_SERVER_ERROR_INVALID_FIELD, "scenario",
                         "Unknown usage scenario; the service knows self_use");
      return;
    }
  if (validity_days < 1 || validity_days > MAX_VALIDITY_DAYS)
    {
      reply_field_error (request->msg, CD_SERVER_ERROR_INVALID_FIELD, "validity_days",
                         "The validity is 1 to 90 days");
      return;
    }

  annotation = cd_store_apply_annotation (self->store, request->account->id_number, request->param,
                                          scenario, (int) validity_days, &self->quota_rule, now,
                                          &quota, &error);
  if (annotation == NULL)
    {
      reply_apply_error (request, error, &quota);
      return;
    }

  cd_generator_enqueue (self->generator, annotation);

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "annotation");
  add_annotation (builder, annotation, now);
  json_builder_set_member_name (builder, "quota");
  add_quota (builder, self, &quota);
  json_builder_end_object (builder);
  reply_builder (request->msg, SOUP_STATUS_ACCEPTED, builder);
}

static void
handle_get_annotation (Request *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdAnnotationRecord) annotation = NULL;
  g_autoptr(JsonBuilder) builder = NULL;

  annotation = cd_store_get_annotation (request->server->store, request->account->id_number,
                                        request->param, &error);
  if (annotation == NULL)
    {
      reply_store_error (request->msg, error);
      return;
    }

  builder = json_builder_new_immutable ();
  add_annotation (builder, annotation, cd_time_now ());
  reply_builder (request->msg, SOUP_STATUS_OK, builder);
}

static void
handle_get_document (Request *request)
{
  CdServer *self = request->server;
  const char *id_number = request->account->id_number;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdAnnotationRecord) annotation = NULL;
  g_autoptr(CdCertificateRecord) certificate = NULL;
  g_autoptr(GBytes) document = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GTimeZone) china = cd_time_get_china_zone ();
  g_autofree char *until = NULL;
  g_autofree char *filename = NULL;
  g_autoptr(GHashTable) disposition_params = g_hash_table_new (g_str_hash, g_str_equal);
  CdAnnotationState state;

  annotation = cd_store_get_annotation (self->store, id_number, request->param, &error);
  if (annotation == NULL)
    {
      reply_store_error (request->msg, error);
      return;
    }

  state = cd_annotation_record_get_state_at (annotation, cd_time_now ());
  if (state == CD_ANNOTATION_STATE_PENDING || state == CD_ANNOTATION_STATE_FAILED)
    {
      builder = reply_error_begin (CD_SERVER_ERROR_NOT_READY, state == CD_ANNOTATION_STATE_PENDING
                                   ? "The annotated certificate is still being generated"
                                   : "Generating the annotated certificate failed; apply again");
      cd_json_builder_add_string (builder, "state", cd_annotation_state_to_string (state));
      reply_error_end (request->msg, CD_SERVER_ERROR_NOT_READY, builder);
      return;
    }
  if (state == CD_ANNOTATION_STATE_EXPIRED)
    {
      builder = reply_error_begin (CD_SERVER_ERROR_ANNOTATION_EXPIRED,
                                   "The annotation has expired; apply for a new one");
      cd_json_builder_add_time (builder, "valid_until", annotation->valid_until);
      reply_error_end (request->msg, CD_SERVER_ERROR_ANNOTATION_EXPIRED, builder);
      return;
    }

  certificate = cd_store_get_certificate (self->store, id_number, annotation->certificate_id, &error);
  document = certificate != NULL ? cd_store_get_document (self->store, id_number, annotation->id, &error) : NULL;
  if (document == NULL)
    {
      reply_store_error (request->msg, error);
      return;
    }

  until = cd_time_format_date (annotation->valid_until, china);
  filename = g_strdup_printf ("%s-%s.pdf", certificate->cert_no, until);
  reply_bytes (request->msg, SOUP_STATUS_OK, "application/pdf", document);
  g_hash_table_insert (disposition_params, (gpointer) "filename", filename);
  soup_message_headers_set_content_disposition (soup_server_message_get_response_headers (request->msg),
                                                "attachment", disposition_params);
}

static void
handle_verify (Request *request)
{
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdCertificateRecord) certificate = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *masked_name = NULL;
  const char *query_string = g_uri_get_query (soup_server_message_get_uri (request->msg));
  const char *cert_no, *code;
  gint64 now = cd_time_now ();
  CdAnnotationState state;

  query = query_string != NULL ? soup_form_decode (query_string) : g_hash_table_new (g_str_hash, g_str_equal);
  cert_no = g_hash_table_lookup (query, "cert_no");
  code = g_hash_table_lookup (query, "code");
  if (cert_no == NULL || code == NULL)
    {
      const char *field = cert_no == NULL ? "cert_no" : "code";
      g_autofree char *message = g_strdup_printf ("The query parameter “%s” is missing", field);

      reply_field_error (request->msg, CD_SERVER_ERROR_MISSING_FIELD, field, message);
      return;
    }

  certificate = cd_store_lookup_verification (request->server->store, cert_no, code, &error);
  if (certificate == NULL)
    {
      reply_store_error (request->msg, error);
      return;
    }

  state = cd_annotation_record_get_state_at (certificate->latest_annotation, now);
  masked_name = mask_name (certificate->holder_name);

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "valid");
  json_builder_add_boolean_value (builder, certificate->status == CD_CERTIFICATE_STATUS_VALID &&
                                           state == CD_ANNOTATION_STATE_READY);
  cd_json_builder_add_time (builder, "checked_at", now);
  json_builder_set_member_name (builder, "certificate");
  json_builder_begin_object (builder);
  cd_json_builder_add_string (builder, "cert_no", certificate->cert_no);
  cd_json_builder_add_string (builder, "qualification", certificate->qualification);
  cd_json_builder_add_string (builder, "holder_name_masked", masked_name);
  cd_json_builder_add_string (builder, "status", cd_certificate_status_to_string (certificate->status));
  cd_json_builder_add_string (builder, "issuer", certificate->issuer);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "annotation");
  json_builder_begin_object (builder);
  cd_json_builder_add_string (builder, "annotation_no", certificate->latest_annotation->annotation_no);
  cd_json_builder_add_string (builder, "state", cd_annotation_state_to_string (state));
  cd_json_builder_add_time (builder, "valid_from", certificate->latest_annotation->valid_from);
  cd_json_builder_add_time (builder, "valid_until", certificate->latest_annotation->valid_until);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  reply_builder (request->msg, SOUP_STATUS_OK, builder);
}

static const Route routes[] = {
  { "GET", "service", ROUTE_PUBLIC, handle_service },
  { "POST", "accounts", ROUTE_BODY | ROUTE_BLOCKING, handle_create_account },
  { "POST", "sessions", ROUTE_BODY | ROUTE_BLOCKING, handle_create_session },
  { "DELETE", "sessions/current", ROUTE_AUTH, handle_delete_session },
  { "GET", "holder", ROUTE_AUTH, handle_holder },
  { "GET", "notice", ROUTE_AUTH, handle_notice },
  { "POST", "notice/accept", ROUTE_AUTH | ROUTE_BODY, handle_accept_notice },
  { "GET", "certificates", ROUTE_AUTH | ROUTE_NOTICE, handle_list_certificates },
  { "GET", "certificates/*", ROUTE_AUTH | ROUTE_NOTICE, handle_get_certificate },
  { "GET", "certificates/*/annotations", ROUTE_AUTH | ROUTE_NOTICE, handle_list_annotations },
  { "POST", "certificates/*/annotations", ROUTE_AUTH | ROUTE_NOTICE | ROUTE_BODY, handle_apply_annotation },
  { "GET", "annotations/*", ROUTE_AUTH | ROUTE_NOTICE, handle_get_annotation },
  { "GET", "annotations/*/document", ROUTE_AUTH | ROUTE_NOTICE, handle_get_document },
  { "GET", "verify", ROUTE_PUBLIC, handle_verify },
};

/* Dispatch */

/* Matches @path (below API_PREFIX) against @pattern; *out_param gets the "*" segment. */
static gboolean
match_pattern (const char  *pattern,
               const char  *path,
               char       **out_param)
{
  g_auto(GStrv) pattern_parts = g_strsplit (pattern, "/", -1);
  g_auto(GStrv) path_parts = g_strsplit (path, "/", -1);
  const char *param = NULL;

  if (g_strv_length (pattern_parts) != g_strv_length (path_parts))
    return FALSE;

  for (guint i = 0; pattern_parts[i] != NULL; i++)
    {
      if (g_str_equal (pattern_parts[i], "*"))
        {
          if (*path_parts[i] == '\0')
            return FALSE;
          param = path_parts[i];
        }
      else if (!g_str_equal (pattern_parts[i], path_parts[i]))
        {
          return FALSE;
        }
    }

  *out_param = g_strdup (param);
  return TRUE;
}

static const Route *
find_route (SoupServerMessage  *msg,
            const char         *path,
            char              **out_param)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GString) allowed = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      g_autofree char *param = NULL;

      if (!match_pattern (routes[i].pattern, path, &param))
        continue;

      if (g_str_equal (routes[i].method, method))
        {
          *out_param = g_steal_pointer (&param);
          return &routes[i];
        }

      g_string_append_printf (allowed, "%s%s", allowed->len > 0 ? ", " : "", routes[i].method);
    }

  if (allowed->len > 0)
    {
      reply_error (msg, CD_SERVER_ERROR_METHOD_NOT_ALLOWED, "This route does not take this method");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allowed->str);
    }
  else
    {
      reply_not_found (msg);
    }

  return NULL;
}

static gboolean
read_request_body (Request *request)
{
  SoupServerMessage *msg = request->msg;
  const char *content_type;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data;

  content_type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL);
  if (g_strcmp0 (content_type, "application/json") != 0)
    {
      reply_error (msg, CD_SERVER_ERROR_UNSUPPORTED_MEDIA_TYPE, "The body must be application/json");
      return FALSE;
    }

  bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  data = g_bytes_get_data (bytes, &length);
  if (length > MAX_BODY_BYTES)
    {
      reply_error (msg, CD_SERVER_ERROR_BODY_TOO_LARGE, "The body is larger than 64 KiB");
      return FALSE;
    }

  request->body = cd_json_parse_object (data, length, &error);
  if (request->body == NULL)
    {
      reply_error (msg, CD_SERVER_ERROR_MALFORMED_JSON, error->message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
authenticate (Request *request)
{
  SoupServerMessage *msg = request->msg;
  const char *authorization;
  g_autoptr(GError) error = NULL;

  authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0 ||
      strlen (authorization + 7) > MAX_TOKEN_LENGTH)
    {
      reply_error (msg, CD_SERVER_ERROR_UNAUTHORIZED, "Sign in first");
      return FALSE;
    }

  request->token_hash = cd_secrets_hash_token (authorization + 7);
  request->account = cd_store_lookup_session (request->server->store, request->token_hash,
                                              cd_time_now (), &error);
  if (request->account == NULL)
    {
      if (g_error_matches (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND))
        reply_error (msg, CD_SERVER_ERROR_UNAUTHORIZED, "The session has expired or is not valid; sign in again");
      else
        reply_store_error (msg, error);
      return FALSE;
    }

  return TRUE;
}

static void
blocking_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Request *request = task_data;
  const Route *route = g_task_get_source_tag (task);

  route->handler (request);
  g_task_return_boolean (task, TRUE);
}

static void
blocking_done_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Request *request = g_task_get_task_data (G_TASK (result));

  soup_server_message_unpause (request->msg);
}

static void
server_callback (SoupServer        *soup_server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  CdServer *self = user_data;
  g_autoptr(Request) request = NULL;
  const Route *route;
  char *param = NULL;

  if (!g_str_has_prefix (path, API_PREFIX))
    {
      reply_not_found (msg);
      return;
    }

  route = find_route (msg, path + strlen (API_PREFIX), &param);
  if (route == NULL)
    return;

  request = g_new0 (Request, 1);
  request->server = self;
  request->msg = g_object_ref (msg);
  request->param = param;

  if ((route->flags & ROUTE_BODY) && !read_request_body (request))
    return;
  if ((route->flags & ROUTE_AUTH) && !authenticate (request))
    return;
  if ((route->flags & ROUTE_NOTICE) &&
      !cd_service_notice_has_version (self->notice, request->account->notice_version))
    {
      reply_error (msg, CD_SERVER_ERROR_NOTICE_NOT_ACCEPTED, "Accept the current service notice first");
      return;
    }

  if (route->flags & ROUTE_BLOCKING)
    {
      g_autoptr(GTask) task = g_task_new (self, NULL, blocking_done_cb, NULL);

      g_task_set_source_tag (task, (gpointer) route);
      g_task_set_task_data (task, g_steal_pointer (&request), (GDestroyNotify) request_free);
      soup_server_message_pause (msg);
      g_task_run_in_thread (task, blocking_thread);
      return;
    }

  route->handler (request);
}

/* Refuses an oversized body from its headers, before reading it. */
static void
early_callback (SoupServer        *soup_server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > MAX_BODY_BYTES)
    reply_error (msg, CD_SERVER_ERROR_BODY_TOO_LARGE, "The body is larger than 64 KiB");
}

/* Listeners */

/* libsoup 3.2 does not notice when a client closes a keep-alive connection between
 * requests, and keeps its socket open for good: one leaked descriptor per connection
 * (fixed in libsoup 3.3). Each listener remembers the sockets it served and, every
 * few seconds, closes those whose peer has hung up. */
#define REAP_INTERVAL_SECONDS 5

static void
request_started_cb (SoupServer        *soup_server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  Listener *listener = user_data;
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket != NULL)
    g_hash_table_add (listener->sockets, g_object_ref (socket));
}

static gboolean
peer_has_closed (GSocket *socket)
{
  char byte;

  if (!(g_socket_condition_check (socket, G_IO_IN | G_IO_HUP | G_IO_ERR) & (G_IO_IN | G_IO_HUP | G_IO_ERR)))
    return FALSE;

  /* Readable with nothing to read is end of stream; a pending request is left alone. */
  return recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

static gboolean
reap_sockets_cb (gpointer user_data)
{
  Listener *listener = user_data;
  GHashTableIter iter;
  GSocket *socket;

  g_hash_table_iter_init (&iter, listener->sockets);
  while (g_hash_table_iter_next (&iter, (gpointer *) &socket, NULL))
    {
      if (g_socket_is_closed (socket))
        {
          g_hash_table_iter_remove (&iter);
        }
      else if (peer_has_closed (socket))
        {
          g_socket_close (socket, NULL);
          g_hash_table_iter_remove (&iter);
        }
    }

  return G_SOURCE_CONTINUE;
}

static void
listener_free (Listener *listener)
{
  g_assert (listener->thread == NULL);

  if (listener->reaper != NULL)
    g_source_destroy (listener->reaper);
  g_clear_pointer (&listener->reaper, g_source_unref);
  g_clear_pointer (&listener->sockets, g_hash_table_unref);
  g_clear_object (&listener->soup_server);
  g_clear_object (&listener->socket);
  g_clear_pointer (&listener->loop, g_main_loop_unref);
  g_clear_pointer (&listener->context, g_main_context_unref);
  g_free (listener);
}

static gpointer
listener_thread_func (gpointer user_data)
{
  Listener *listener = user_data;

  g_main_context_push_thread_default (listener->context);
  g_main_loop_run (listener->loop);
  g_main_context_pop_thread_default (listener->context);

  return NULL;
}

static GSocket *
bind_socket (GInetSocketAddress  *address,
             GError             **error)
{
  g_autoptr(GSocket) socket = NULL;
  struct sockaddr_storage native;
  gsize native_len = g_socket_address_get_native_size (G_SOCKET_ADDRESS (address));

  socket = g_socket_new (g_socket_address_get_family (G_SOCKET_ADDRESS (address)),
                         G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return NULL;

  /* Each listener thread has its own socket on the same port and the kernel spreads
   * the connections. bind(2) directly: g_socket_bind() clears SO_REUSEPORT on TCP. */
  if (!g_socket_set_option (socket, SOL_SOCKET, SO_REUSEADDR, 1, error) ||
      !g_socket_set_option (socket, SOL_SOCKET, SO_REUSEPORT, 1, error) ||
      !g_socket_address_to_native (G_SOCKET_ADDRESS (address), &native, sizeof native, error))
    return NULL;

  if (bind (g_socket_get_fd (socket), (struct sockaddr *) &native, native_len) != 0)
    {
      int saved_errno = errno;
      g_autofree char *name = g_inet_address_to_string (g_inet_socket_address_get_address (address));

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot listen on %s:%u: %s", name, g_inet_socket_address_get_port (address),
                   g_strerror (saved_errno));
      return NULL;
    }

  if (!g_socket_listen (socket, error))
    return NULL;

  return g_steal_pointer (&socket);
}

static Listener *
listener_new (CdServer            *self,
              GInetSocketAddress  *address,
              GError             **error)
{
  Listener *listener = g_new0 (Listener, 1);

  listener->context = g_main_context_new ();
  listener->loop = g_main_loop_new (listener->context, FALSE);
  listener->socket = bind_socket (address, error);
  if (listener->socket == NULL)
    {
      listener_free (listener);
      return NULL;
    }

  g_main_context_push_thread_default (listener->context);
  listener->soup_server = soup_server_new ("server-header", "certdesk-server/" PACKAGE_VERSION " ", NULL);
  soup_server_add_early_handler (listener->soup_server, NULL, early_callback, self, NULL);
  soup_server_add_handler (listener->soup_server, NULL, server_callback, self, NULL);
  if (!soup_check_version (3, 3, 0))
    {
      listener->sockets = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
      g_signal_connect (listener->soup_server, "request-started", G_CALLBACK (request_started_cb), listener);
      listener->reaper = g_timeout_source_new_seconds (REAP_INTERVAL_SECONDS);
      g_source_set_callback (listener->reaper, reap_sockets_cb, listener, NULL);
      g_source_attach (listener->reaper, listener->context);
    }
  if (!soup_server_listen_socket (listener->soup_server, listener->socket, 0, error))
    {
      g_main_context_pop_thread_default (listener->context);
      listener_free (listener);
      return NULL;
    }
  g_main_context_pop_thread_default (listener->context);

  return listener;
}

static gboolean
quit_loop_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
cd_server_dispose (GObject *object)
{
  CdServer *self = (CdServer *) object;

  cd_server_stop (self);
  g_clear_pointer (&self->listeners, g_ptr_array_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->identity);
  g_clear_pointer (&self->notice, cd_service_notice_unref);
  g_clear_object (&self->generator);

  G_OBJECT_CLASS (cd_server_parent_class)->dispose (object);
}

static void
cd_server_class_init (CdServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cd_server_dispose;
}

static void
cd_server_init (CdServer *self)
{
  self->listeners = g_ptr_array_new_with_free_func ((GDestroyNotify) listener_free);
}

CdServer *
cd_server_new (CdStore              *store,
               CdSigningIdentity    *identity,
               CdServiceNotice      *notice,
               const CdServerConfig *config)
{
  CdServer *self;

  g_return_val_if_fail (CD_IS_STORE (store), NULL);
  g_return_val_if_fail (CD_IS_SIGNING_IDENTITY (identity), NULL);
  g_return_val_if_fail (notice != NULL, NULL);
  g_return_val_if_fail (config->day_seconds > 0, NULL);
  g_return_val_if_fail (config->session_seconds > 0, NULL);

  self = g_object_new (CD_TYPE_SERVER, NULL);
  self->store = g_object_ref (store);
  self->identity = g_object_ref (identity);
  self->notice = cd_service_notice_ref (notice);
  self->config = *config;
  self->quota_rule.limit = QUOTA_LIMIT;
  self->quota_rule.window_seconds = QUOTA_WINDOW_DAYS * config->day_seconds;

  return self;
}

/* Binds @n_threads sockets to @address ("HOST:PORT"; port 0 picks a free one). */
gboolean
cd_server_bind (CdServer    *self,
                const char  *address,
                guint        n_threads,
                GError     **error)
{
  g_autoptr(GSocketConnectable) connectable = NULL;
  g_autoptr(GSocketAddressEnumerator) enumerator = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GInetSocketAddress) bound = NULL;

  g_return_val_if_fail (CD_IS_SERVER (self), FALSE);
  g_return_val_if_fail (self->listeners->len == 0, FALSE);
  g_return_val_if_fail (n_threads > 0, FALSE);

  connectable = g_network_address_parse (address, 0, error);
  if (connectable == NULL)
    return FALSE;

  enumerator = g_socket_connectable_enumerate (connectable);
  socket_address = g_socket_address_enumerator_next (enumerator, NULL, error);
  if (socket_address == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Cannot resolve %s", address);
      return FALSE;
    }

  for (guint i = 0; i < n_threads; i++)
    {
      Listener *listener;

      /* The first socket may pick the port; the others join it. */
      listener = listener_new (self, bound != NULL ? bound : G_INET_SOCKET_ADDRESS (socket_address), error);
      if (listener == NULL)
        {
          g_ptr_array_set_size (self->listeners, 0);
          return FALSE;
        }
      g_ptr_array_add (self->listeners, listener);

      if (bound == NULL)
        {
          bound = G_INET_SOCKET_ADDRESS (g_socket_get_local_address (listener->socket, error));
          if (bound == NULL)
            return FALSE;
          self->port = g_inet_socket_address_get_port (bound);
        }
    }

  return TRUE;
}

guint16
cd_server_get_port (CdServer *self)
{
  g_return_val_if_fail (CD_IS_SERVER (self), 0);

  return self->port;
}

void
cd_server_start (CdServer    *self,
                 CdGenerator *generator)
{
  g_return_if_fail (CD_IS_SERVER (self));
  g_return_if_fail (CD_IS_GENERATOR (generator));
  g_return_if_fail (self->generator == NULL);

  self->generator = g_object_ref (generator);

  for (guint i = 0; i < self->listeners->len; i++)
    {
      Listener *listener = g_ptr_array_index (self->listeners, i);

      listener->thread = g_thread_new ("cd-http", listener_thread_func, listener);
    }
}

/* Stops serving and waits for the listener threads. */
void
cd_server_stop (CdServer *self)
{
  g_return_if_fail (CD_IS_SERVER (self));

  for (guint i = 0; self->listeners != NULL && i < self->listeners->len; i++)
    {
      Listener *listener = g_ptr_array_index (self->listeners, i);

      if (listener->thread == NULL)
        continue;

      g_main_context_invoke (listener->context, quit_loop_cb, listener->loop);
      g_thread_join (g_steal_pointer (&listener->thread));
      soup_server_disconnect (listener->soup_server);
    }
}
