#include "config.h"

#include "cd-client.h"
#include "cd-json.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#define API_PATH              "/api/v1"
#define TIMEOUT_SECONDS       30
#define IDLE_TIMEOUT_SECONDS  60
#define READ_CHUNK            (64 * 1024)
#define MAX_JSON_BYTES        (4 * 1024 * 1024)
#define MAX_DOCUMENT_BYTES    (32 * 1024 * 1024)
#define MAX_ATTEMPTS          3
#define RETRY_FIRST_MS        500
#define POLL_FIRST_MS         1000
#define POLL_MAX_MS           15000

struct _CdClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;
  char        *id_number;
  char        *token;
  CdKeyring   *keyring;
  guint        poll_first_ms;
  guint        poll_max_ms;
};

G_DEFINE_FINAL_TYPE (CdClient, cd_client, G_TYPE_OBJECT)

typedef enum
{
  CALL_PUBLIC     = 0,
  CALL_AUTH       = 1 << 0, /* sends the token; on 401 signs in again from the keyring once */
  CALL_IDEMPOTENT = 1 << 1, /* may be retried after a network fault or a 5xx */
  CALL_DOCUMENT   = 1 << 2, /* answers a PDF, not JSON */
  CALL_NO_REAUTH  = 1 << 3, /* sends the token but never signs in again for it */
} CallFlags;

typedef struct _Call Call;

/* Turns a successful JSON answer into the call's result, or fails. */
typedef gpointer (*ParseFunc) (CdClient    *self,
                               Call        *call,
                               JsonObject  *root,
                               GError     **error);

struct _Call
{
  char          *method;
  char          *path;
  GBytes        *body;
  CallFlags      flags;
  ParseFunc      parse;
  GDestroyNotify result_free;

  guint          attempt;
  gboolean       reauthenticated;
  guint          status;
  char          *content_type;
  GInputStream  *stream;
  GByteArray    *buffer;
  CdQuota       *quota; /* the quota that came with annotations, for the _finish */
  GSource       *delay; /* a pending retry */
};

static void call_send (GTask *task);

static void
call_free (Call *call)
{
  if (call->delay != NULL)
    g_source_destroy (call->delay);
  g_clear_pointer (&call->delay, g_source_unref);
  g_free (call->method);
  g_free (call->path);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_free (call->content_type);
  g_clear_object (&call->stream);
  g_clear_pointer (&call->buffer, g_byte_array_unref);
  g_clear_object (&call->quota);
  g_free (call);
}

/* Helpers */

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  /* GUri keeps the brackets of an IPv6 literal. */
  bare = g_str_has_prefix (host, "[") ? g_strndup (host + 1, strlen (host) - 2) : g_strdup (host);
  address = g_inet_address_new_from_string (bare);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static GError *
map_transport_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (CD_CLIENT_ERROR, CD_CLIENT_ERROR_TIMEOUT,
                        _("The certificate service did not answer in time."));
  if (error->domain == G_TLS_ERROR)
    return g_error_new (CD_CLIENT_ERROR, CD_CLIENT_ERROR_TLS,
                        _("The certificate service’s identity could not be verified (%s). "
                          "The connection was not used."), error->message);

  return g_error_new (CD_CLIENT_ERROR, CD_CLIENT_ERROR_NETWORK,
                      _("The certificate service cannot be reached (%s)."), error->message);
}

static gboolean
call_may_retry (Call *call)
{
  return (call->flags & CALL_IDEMPOTENT) && call->attempt < MAX_ATTEMPTS;
}

static gboolean
retry_cb (gpointer user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);

  g_clear_pointer (&call->delay, g_source_unref);
  if (!g_task_return_error_if_cancelled (task))
    call_send (task);
  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

/* Waits 0.5 s, 1 s, … before sending again. */
static void
call_retry_later (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  guint delay_ms = RETRY_FIRST_MS << (call->attempt - 1);

  g_debug ("%s %s: retrying in %u ms", call->method, call->path, delay_ms);
  call->delay = g_timeout_source_new (delay_ms);
  g_source_set_callback (call->delay, retry_cb, g_object_ref (task), NULL);
  g_source_attach (call->delay, g_task_get_context (task));
}

static void
call_return_result (GTask *task)
{
  CdClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  const guint8 *data = call->buffer->data;
  gsize length = call->buffer->len;
  g_autoptr(JsonObject) root = NULL;
  GError *error = NULL;
  gpointer result;

  if (call->flags & CALL_DOCUMENT)
    {
      if (g_strcmp0 (call->content_type, "application/pdf") != 0 || length < 5 ||
          memcmp (data, "%PDF-", 5) != 0)
        {
          g_task_return_new_error (task, CD_CLIENT_ERROR, CD_CLIENT_ERROR_PROTOCOL,
                                   _("The certificate service sent something that is not a PDF document."));
          return;
        }
      g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&call->buffer)),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }

  if (call->parse == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  root = cd_json_parse_object ((const char *) data, length, &error);
  if (root == NULL)
    {
      g_task_return_new_error (task, CD_CLIENT_ERROR, CD_CLIENT_ERROR_PROTOCOL,
                               _("The certificate service sent an answer that cannot be read: %s"),
                               error->message);
      g_error_free (error);
      return;
    }

  result = call->parse (self, call, root, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, call->result_free);
}

static void reauthenticate (GTask *task);

static void
call_finish_response (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  CdClient *self = g_task_get_source_object (task);
  g_autoptr(GBytes) body = NULL;

  if (call->status == SOUP_STATUS_UNAUTHORIZED && (call->flags & CALL_AUTH) &&
      !(call->flags & CALL_NO_REAUTH) && !call->reauthenticated && self->keyring != NULL && self->id_number != NULL)
    {
      reauthenticate (task);
      return;
    }

  if (call->status >= 500 && call_may_retry (call))
    {
      call_retry_later (task);
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (call->status))
    {
      body = g_byte_array_free_to_bytes (g_steal_pointer (&call->buffer));
      g_task_return_error (task, cd_client_error_new_from_response (call->status, call->content_type, body));
      return;
    }

  call_return_result (task);
}

static void
read_cb (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;
  gsize limit = (call->flags & CALL_DOCUMENT) ? MAX_DOCUMENT_BYTES : MAX_JSON_BYTES;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source_object), result, &error);
  if (chunk == NULL)
    {
      /* Drop the broken response at once: it holds one of the host's few connections. */
      g_clear_object (&call->stream);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && call_may_retry (call))
        call_retry_later (task);
      else
        g_task_return_error (task, map_transport_error (error));
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      g_clear_object (&call->stream);
      call_finish_response (task);
      return;
    }

  g_byte_array_append (call->buffer, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  if (call->buffer->len > limit)
    {
      g_task_return_new_error (task, CD_CLIENT_ERROR, CD_CLIENT_ERROR_PROTOCOL,
                               _("The certificate service sent an answer that is far too large."));
      return;
    }

  g_input_stream_read_bytes_async (call->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_cb, g_object_ref (task));
}

static void
send_cb (GObject      *source_object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  SoupSession *session = SOUP_SESSION (source_object);
  SoupMessage *msg;
  g_autoptr(GError) error = NULL;

  call->stream = soup_session_send_finish (session, result, &error);
  if (call->stream == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && call_may_retry (call))
        call_retry_later (task);
      else
        g_task_return_error (task, map_transport_error (error));
      return;
    }

  msg = soup_session_get_async_result_message (session, result);
  call->status = soup_message_get_status (msg);
  g_free (call->content_type);
  call->content_type = g_strdup (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL));
  g_clear_pointer (&call->buffer, g_byte_array_unref);
  call->buffer = g_byte_array_new ();

  g_input_stream_read_bytes_async (call->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_cb, g_object_ref (task));
}

static void
call_send (GTask *task)
{
  CdClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autofree char *uri = g_strconcat (self->base_url, API_PATH, call->path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (call->method, uri);
  SoupMessageHeaders *headers;

  if (msg == NULL)
    {
      g_task_return_new_error (task, CD_CLIENT_ERROR, CD_CLIENT_ERROR_PROTOCOL,
                               _("Cannot make a request for “%s”."), uri);
      return;
    }

  call->attempt++;
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Accept", (call->flags & CALL_DOCUMENT) ? "application/pdf" : "application/json");
  if ((call->flags & CALL_AUTH) && self->token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", self->token, NULL);
      soup_message_headers_replace (headers, "Authorization", authorization);
    }
  if (call->body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json", call->body);

  g_debug ("%s %s (attempt %u)", call->method, call->path, call->attempt);
  soup_session_send_async (self->session, msg, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                           send_cb, g_object_ref (task));
}

/* Starts a call; @body_builder, if any, holds the JSON request body. */
static void
call_start (CdClient            *self,
            const char          *method,
            const char          *path,
            JsonBuilder         *body_builder,
            CallFlags            flags,
            ParseFunc            parse,
            GDestroyNotify       result_free,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Call *call = g_new0 (Call, 1);

  call->method = g_strdup (method);
  call->path = g_strdup (path);
  call->body = body_builder != NULL ? cd_json_builder_to_bytes (body_builder) : NULL;
  call->flags = flags;
  call->parse = parse;
  call->result_free = result_free;

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);

  if ((flags & CALL_AUTH) && self->token == NULL && (self->keyring == NULL || self->id_number == NULL))
    {
      g_task_return_new_error (task, CD_CLIENT_ERROR, CD_CLIENT_ERROR_UNAUTHORIZED,
                               _("Sign in first."));
      return;
    }

  /* A restored session without a token signs in from the keyring first. */
  if ((flags & CALL_AUTH) && self->token == NULL)
    {
      reauthenticate (task);
      return;
    }

  call_send (task);
}

static gpointer
propagate_result (CdClient      *self,
                  GAsyncResult  *result,
                  gpointer       source_tag,
                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
propagate_boolean (CdClient      *self,
                   GAsyncResult  *result,
                   gpointer       source_tag,
                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* @prefix + the escaped @id + @suffix, e.g. "/certificates/" ID "/annotations". */
static char *
build_path (const char *prefix,
            const char *id,
            const char *suffix)
{
  g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);

  return g_strconcat (prefix, escaped, suffix, NULL);
}

/* Parsers */

static gpointer
parse_holder_member (CdClient    *self,
                     Call        *call,
                     JsonObject  *root,
                     GError     **error)
{
  JsonObject *holder = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!cd_json_read_object (root, "holder", CD_JSON_REQUIRED, &holder, &local_error))
    {
      g_set_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_PROTOCOL,
                   _("The certificate service sent an unreadable answer: %s"), local_error->message);
      return NULL;
    }

  return cd_holder_new_from_json (holder, error);
}

static gpointer
parse_holder (CdClient    *self,
              Call        *call,
              JsonObject  *root,
              GError     **error)
{
  return cd_holder_new_from_json (root, error);
}

static gpointer
parse_session (CdClient    *self,
               Call        *call,
               JsonObject  *root,
               GError     **error)
{
  const char *token = NULL;
  g_autoptr(GError) local_error = NULL;
  CdHolder *holder;

  if (!cd_json_read_string (root, "token", CD_JSON_REQUIRED, &token, &local_error) || *token == '\0')
    {
      g_set_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_PROTOCOL,
                   _("The certificate service sent an unreadable sign-in answer: %s"),
                   local_error != NULL ? local_error->message : _("empty token"));
      return NULL;
    }

  holder = parse_holder_member (self, call, root, error);
  if (holder == NULL)
    return NULL;

  g_free (self->token);
  self->token = g_strdup (token);
  return holder;
}

static gpointer
parse_notice (CdClient    *self,
              Call        *call,
              JsonObject  *root,
              GError     **error)
{
  return cd_notice_new_from_json (root, error);
}

static gpointer
parse_certificates (CdClient    *self,
                    Call        *call,
                    JsonObject  *root,
                    GError     **error)
{
  return cd_certificate_list_new_from_json (root, error);
}

static gpointer
parse_certificate (CdClient    *self,
                   Call        *call,
                   JsonObject  *root,
                   GError     **error)
{
  return cd_certificate_new_from_json (root, error);
}

static gpointer
parse_annotations (CdClient    *self,
                   Call        *call,
                   JsonObject  *root,
                   GError     **error)
{
  return cd_annotation_list_new_from_json (root, &call->quota, error);
}

static gpointer
parse_annotation (CdClient    *self,
                  Call        *call,
                  JsonObject  *root,
                  GError     **error)
{
  return cd_annotation_new_from_json (root, error);
}

/* {"annotation": {…}, "quota": {…}} */
static gpointer
parse_application (CdClient    *self,
                   Call        *call,
                   JsonObject  *root,
                   GError     **error)
{
  JsonObject *annotation = NULL, *quota = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!cd_json_read_object (root, "annotation", CD_JSON_REQUIRED, &annotation, &local_error) ||
      !cd_json_read_object (root, "quota", CD_JSON_REQUIRED, &quota, &local_error))
    {
      g_set_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_PROTOCOL,
                   _("The certificate service sent an unreadable answer: %s"), local_error->message);
      return NULL;
    }

  call->quota = cd_quota_new_from_json (quota, error);
  if (call->quota == NULL)
    return NULL;

  return cd_annotation_new_from_json (annotation, error);
}

static gpointer
parse_verification (CdClient    *self,
                    Call        *call,
                    JsonObject  *root,
                    GError     **error)
{
  return cd_verification_new_from_json (root, error);
}

/* Signing in again from the keyring */

static void
reauthenticated_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(CdHolder) holder = NULL;
  g_autoptr(GError) error = NULL;

  holder = cd_client_sign_in_finish (CD_CLIENT (source_object), result, &error);
  if (holder == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  call_send (task);
}

static void
reauth_password_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CdClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;

  password = cd_keyring_lookup_password_finish (CD_KEYRING (source_object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (password == NULL)
    {
      g_task_return_new_error (task, CD_CLIENT_ERROR, CD_CLIENT_ERROR_UNAUTHORIZED,
                               _("The session has ended. Sign in again."));
      return;
    }

  cd_client_sign_in_async (self, self->id_number, password, g_task_get_cancellable (task),
                           reauthenticated_cb, g_object_ref (task));
}

static void
reauthenticate (GTask *task)
{
  CdClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);

  g_debug ("%s %s: signing in again from the keyring", call->method, call->path);
  call->reauthenticated = TRUE;
  g_clear_pointer (&self->token, g_free);
  cd_keyring_lookup_password_async (self->keyring, self->base_url, self->id_number,
                                    g_task_get_cancellable (task), reauth_password_cb,
                                    g_object_ref (task));
}

/* Polling */

typedef struct
{
  char  *annotation_id;
  guint  delay_ms;
} Poll;

static void
poll_free (Poll *poll)
{
  g_free (poll->annotation_id);
  g_free (poll);
}

static void poll_fetch (GTask *task);

static gboolean
poll_again_cb (gpointer user_data)
{
  GTask *task = user_data;

  if (!g_task_return_error_if_cancelled (task))
    poll_fetch (task);

  return G_SOURCE_REMOVE;
}

static void
poll_fetched_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CdClient *self = CD_CLIENT (source_object);
  Poll *poll = g_task_get_task_data (task);
  g_autoptr(CdAnnotation) annotation = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSource) source = NULL;
  g_autoptr(GSource) cancelled = NULL;

  annotation = cd_client_get_annotation_finish (self, result, &error);
  if (annotation == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (cd_annotation_get_state (annotation) != CD_ANNOTATION_STATE_PENDING)
    {
      g_task_return_pointer (task, g_steal_pointer (&annotation), g_object_unref);
      return;
    }

  source = g_timeout_source_new (poll->delay_ms);
  g_source_set_callback (source, poll_again_cb, g_object_ref (task), g_object_unref);
  /* Cancelling wakes the wait at once rather than after the delay. */
  if (g_task_get_cancellable (task) != NULL)
    {
      cancelled = g_cancellable_source_new (g_task_get_cancellable (task));
      g_source_set_dummy_callback (cancelled);
      g_source_add_child_source (source, cancelled);
    }
  g_source_attach (source, g_task_get_context (task));
  poll->delay_ms = MIN (poll->delay_ms * 2, self->poll_max_ms);
}

static void
poll_fetch (GTask *task)
{
  Poll *poll = g_task_get_task_data (task);

  cd_client_get_annotation_async (g_task_get_source_object (task), poll->annotation_id,
                                  g_task_get_cancellable (task), poll_fetched_cb, g_object_ref (task));
}

/* GObject */

static void
cd_client_finalize (GObject *object)
{
  CdClient *self = (CdClient *) object;

  g_clear_object (&self->session);
  g_clear_object (&self->keyring);
  g_free (self->base_url);
  g_free (self->id_number);
  g_free (self->token);

  G_OBJECT_CLASS (cd_client_parent_class)->finalize (object);
}

static void
cd_client_class_init (CdClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cd_client_finalize;
}

static void
cd_client_init (CdClient *self)
{
  self->poll_first_ms = POLL_FIRST_MS;
  self->poll_max_ms = POLL_MAX_MS;
}

/* Public API */

/* @base_url is the service root, e.g. https://certs.example.cn or
 * http://127.0.0.1:8088. Plain http is refused except to a loopback address. */
CdClient *
cd_client_new (const char  *base_url,
               GError     **error)
{
  g_autoptr(CdClient) self = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  g_return_val_if_fail (base_url != NULL, NULL);

  uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0))
    {
      g_set_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_INSECURE_URL,
                   _("“%s” is not a web address of a certificate service."), base_url);
      return NULL;
    }
  if (g_str_equal (scheme, "http") && !is_loopback_host (g_uri_get_host (uri)))
    {
      g_set_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_INSECURE_URL,
                   _("“%s” is not encrypted. Use an https:// address; plain http is only "
                     "allowed to this computer."), base_url);
      return NULL;
    }

  self = g_object_new (CD_TYPE_CLIENT, NULL);
  self->base_url = g_strdup (base_url);
  while (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';

  /* TLS verification stays at libsoup's default: the system trust store, always on. */
  self->session = soup_session_new_with_options ("user-agent", "certdesk/" PACKAGE_VERSION " ",
                                                 "timeout", TIMEOUT_SECONDS,
                                                 "idle-timeout", IDLE_TIMEOUT_SECONDS,
                                                 NULL);

  return g_steal_pointer (&self);
}

const char *
cd_client_get_base_url (CdClient *self)
{
  g_return_val_if_fail (CD_IS_CLIENT (self), NULL);
  return self->base_url;
}

const char *
cd_client_get_token (CdClient *self)
{
  g_return_val_if_fail (CD_IS_CLIENT (self), NULL);
  return self->token;
}

const char *
cd_client_get_id_number (CdClient *self)
{
  g_return_val_if_fail (CD_IS_CLIENT (self), NULL);
  return self->id_number;
}

void
cd_client_set_session (CdClient   *self,
                       const char *id_number,
                       const char *token)
{
  g_return_if_fail (CD_IS_CLIENT (self));

  g_free (self->id_number);
  self->id_number = g_strdup (id_number);
  g_free (self->token);
  self->token = g_strdup (token);
}

void
cd_client_set_keyring (CdClient  *self,
                       CdKeyring *keyring)
{
  g_return_if_fail (CD_IS_CLIENT (self));
  g_return_if_fail (keyring == NULL || CD_IS_KEYRING (keyring));

  g_set_object (&self->keyring, keyring);
}

void
cd_client_set_poll_interval (CdClient *self,
                             guint     first_ms,
                             guint     max_ms)
{
  g_return_if_fail (CD_IS_CLIENT (self));
  g_return_if_fail (first_ms > 0 && max_ms >= first_ms);

  self->poll_first_ms = first_ms;
  self->poll_max_ms = max_ms;
}

void
cd_client_register_async (CdClient            *self,
                          const char          *id_type,
                          const char          *id_number,
                          const char          *name,
                          const char          *password,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_if_fail (CD_IS_CLIENT (self));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id_type");
  json_builder_add_string_value (builder, id_type);
  json_builder_set_member_name (builder, "id_number");
  json_builder_add_string_value (builder, id_number);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);

  call_start (self, "POST", "/accounts", builder, CALL_PUBLIC, parse_holder_member, g_object_unref,
              cd_client_register_async, cancellable, callback, user_data);
}

CdHolder *
cd_client_register_finish (CdClient      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return propagate_result (self, result, cd_client_register_async, error);
}

void
cd_client_sign_in_async (CdClient            *self,
                         const char          *id_number,
                         const char          *password,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_if_fail (CD_IS_CLIENT (self));
  g_return_if_fail (id_number != NULL && password != NULL);

  if (g_strcmp0 (self->id_number, id_number) != 0)
    {
      g_free (self->id_number);
      self->id_number = g_strdup (id_number);
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id_number");
  json_builder_add_string_value (builder, id_number);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);

  call_start (self, "POST", "/sessions", builder, CALL_PUBLIC, parse_session, g_object_unref,
              cd_client_sign_in_async, cancellable, callback, user_data);
}

CdHolder *
cd_client_sign_in_finish (CdClient      *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return propagate_result (self, result, cd_client_sign_in_async, error);
}

static void
sign_out_cb (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CdClient *self = g_task_get_source_object (task);
  GError *error = NULL;

  /* The token is gone either way: an expired one needs no signing out. */
  g_clear_pointer (&self->token, g_free);
  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      !g_error_matches (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_UNAUTHORIZED))
    {
      g_task_return_error (task, error);
      return;
    }

  g_clear_error (&error);
  g_task_return_boolean (task, TRUE);
}

void
cd_client_sign_out_async (CdClient            *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (CD_IS_CLIENT (self));

  g_task_set_source_tag (task, cd_client_sign_out_async);
  if (self->token == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  call_start (self, "DELETE", "/sessions/current", NULL, CALL_AUTH | CALL_NO_REAUTH, NULL, NULL,
              NULL, cancellable, sign_out_cb, g_steal_pointer (&task));
}

gboolean
cd_client_sign_out_finish (CdClient      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return propagate_boolean (self, result, cd_client_sign_out_async, error);
}

void
cd_client_get_holder_async (CdClient            *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (CD_IS_CLIENT (self));

  call_start (self, "GET", "/holder", NULL, CALL_AUTH | CALL_IDEMPOTENT, parse_holder, g_object_unref,
              cd_client_get_holder_async, cancellable, callback, user_data);
}

CdHolder *
cd_client_get_holder_finish (CdClient      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return propagate_result (self, result, cd_client_get_holder_async, error);
}

void
cd_client_get_notice_async (CdClient            *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (CD_IS_CLIENT (self));

  call_start (self, "GET", "/notice", NULL, CALL_AUTH | CALL_IDEMPOTENT, parse_notice, g_object_unref,
              cd_client_get_notice_async, cancellable, callback, user_data);
}

CdNotice *
cd_client_get_notice_finish (CdClient      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return propagate_result (self, result, cd_client_get_notice_async, error);
}

void
cd_client_accept_notice_async (CdClient            *self,
                               const char          *version,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_if_fail (CD_IS_CLIENT (self));
  g_return_if_fail (version != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, version);
  json_builder_end_object (builder);

  call_start (self, "POST", "/notice/accept", builder, CALL_AUTH, NULL, NULL,
              cd_client_accept_notice_async, cancellable, callback, user_data);
}

gboolean
cd_client_accept_notice_finish (CdClient      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return propagate_boolean (self, result, cd_client_accept_notice_async, error);
}

void
cd_client_list_certificates_async (CdClient            *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (CD_IS_CLIENT (self));

  call_start (self, "GET", "/certificates", NULL, CALL_AUTH | CALL_IDEMPOTENT, parse_certificates,
              (GDestroyNotify) g_ptr_array_unref, cd_client_list_certificates_async,
              cancellable, callback, user_data);
}

GPtrArray *
cd_client_list_certificates_finish (CdClient      *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return propagate_result (self, result, cd_client_list_certificates_async, error);
}

void
cd_client_get_certificate_async (CdClient            *self,
                                 const char          *certificate_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (CD_IS_CLIENT (self));
  g_return_if_fail (certificate_id != NULL);

  path = build_path ("/certificates/", certificate_id, "");
  call_start (self, "GET", path, NULL, CALL_AUTH | CALL_IDEMPOTENT, parse_certificate, g_object_unref,
              cd_client_get_certificate_async, cancellable, callback, user_data);
}

CdCertificate *
cd_client_get_certificate_finish (CdClient      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return propagate_result (self, result, cd_client_get_certificate_async, error);
}

void
cd_client_list_annotations_async (CdClient            *self,
                                  const char          *certificate_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (CD_IS_CLIENT (self));
  g_return_if_fail (certificate_id != NULL);

  path = build_path ("/certificates/", certificate_id, "/annotations");
  call_start (self, "GET", path, NULL, CALL_AUTH | CALL_IDEMPOTENT, parse_annotations,
              (GDestroyNotify) g_ptr_array_unref, cd_client_list_annotations_async,
              cancellable, callback, user_data);
}

GPtrArray *
cd_client_list_annotations_finish (CdClient      *self,
                                   GAsyncResult  *result,
                                   CdQuota      **out_quota,
                                   GError       **error)
{
  GPtrArray *annotations = propagate_result (self, result, cd_client_list_annotations_async, error);
  Call *call = g_task_get_task_data (G_TASK (result));

  if (annotations != NULL && out_quota != NULL)
    *out_quota = g_object_ref (call->quota);

  return annotations;
}

void
cd_client_apply_async (CdClient            *self,
                       const char          *certificate_id,
                       const char          *scenario,
                       int                  validity_days,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autofree char *path = NULL;

  g_return_if_fail (CD_IS_CLIENT (self));
  g_return_if_fail (certificate_id != NULL && scenario != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "scenario");
  json_builder_add_string_value (builder, scenario);
  json_builder_set_member_name (builder, "validity_days");
  json_builder_add_int_value (builder, validity_days);
  json_builder_end_object (builder);

  path = build_path ("/certificates/", certificate_id, "/annotations");
  call_start (self, "POST", path, builder, CALL_AUTH, parse_application, g_object_unref,
              cd_client_apply_async, cancellable, callback, user_data);
}

CdAnnotation *
cd_client_apply_finish (CdClient      *self,
                        GAsyncResult  *result,
                        CdQuota      **out_quota,
                        GError       **error)
{
  CdAnnotation *annotation = propagate_result (self, result, cd_client_apply_async, error);
  Call *call = g_task_get_task_data (G_TASK (result));

  if (annotation != NULL && out_quota != NULL)
    *out_quota = g_object_ref (call->quota);

  return annotation;
}

void
cd_client_get_annotation_async (CdClient            *self,
                                const char          *annotation_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (CD_IS_CLIENT (self));
  g_return_if_fail (annotation_id != NULL);

  path = build_path ("/annotations/", annotation_id, "");
  call_start (self, "GET", path, NULL, CALL_AUTH | CALL_IDEMPOTENT, parse_annotation, g_object_unref,
              cd_client_get_annotation_async, cancellable, callback, user_data);
}

CdAnnotation *
cd_client_get_annotation_finish (CdClient      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return propagate_result (self, result, cd_client_get_annotation_async, error);
}

void
cd_client_wait_for_annotation_async (CdClient            *self,
                                     const char          *annotation_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Poll *poll = g_new0 (Poll, 1);

  g_return_if_fail (CD_IS_CLIENT (self));
  g_return_if_fail (annotation_id != NULL);

  poll->annotation_id = g_strdup (annotation_id);
  poll->delay_ms = self->poll_first_ms;
  g_task_set_source_tag (task, cd_client_wait_for_annotation_async);
  g_task_set_task_data (task, poll, (GDestroyNotify) poll_free);
  poll_fetch (task);
}

CdAnnotation *
cd_client_wait_for_annotation_finish (CdClient      *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return propagate_result (self, result, cd_client_wait_for_annotation_async, error);
}

void
cd_client_download_document_async (CdClient            *self,
                                   const char          *annotation_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (CD_IS_CLIENT (self));
  g_return_if_fail (annotation_id != NULL);

  path = build_path ("/annotations/", annotation_id, "/document");
  call_start (self, "GET", path, NULL, CALL_AUTH | CALL_IDEMPOTENT | CALL_DOCUMENT, NULL, NULL,
              cd_client_download_document_async, cancellable, callback, user_data);
}

GBytes *
cd_client_download_document_finish (CdClient      *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return propagate_result (self, result, cd_client_download_document_async, error);
}

void
cd_client_verify_async (CdClient            *self,
                        const char          *cert_no,
                        const char          *code,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autofree char *escaped_cert_no = NULL;
  g_autofree char *escaped_code = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (CD_IS_CLIENT (self));
  g_return_if_fail (cert_no != NULL && code != NULL);

  escaped_cert_no = g_uri_escape_string (cert_no, NULL, FALSE);
  escaped_code = g_uri_escape_string (code, NULL, FALSE);
  path = g_strdup_printf ("/verify?cert_no=%s&code=%s", escaped_cert_no, escaped_code);
  call_start (self, "GET", path, NULL, CALL_IDEMPOTENT, parse_verification, g_object_unref,
              cd_client_verify_async, cancellable, callback, user_data);
}

CdVerification *
cd_client_verify_finish (CdClient      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return propagate_result (self, result, cd_client_verify_async, error);
}
