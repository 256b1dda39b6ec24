/* certdesk-cli against a service that answers nonsense.
 *
 * A responder in this process (a SoupServer on 127.0.0.1, on a thread with its own
 * main context) answers the API's routes properly, except the one route each case
 * breaks: truncated or wrongly typed JSON, huge and endless bodies, invalid UTF-8,
 * unknown states and error codes, HTML where a PDF belongs. The real certdesk-cli
 * runs against it and must fail with a readable message and a non-zero exit, never
 * with a signal, a GLib CRITICAL or WARNING, or a sanitizer report. Meant to run in
 * an AddressSanitizer build too. Run through tests/keyring-session.sh: the CLI keeps
 * its session in the (throwaway) keyring.
 */

#include "config.h"

#include "cd-test-cli.h"

#include <libsoup/soup.h>
#include <locale.h>
#include <string.h>

#define ID_NUMBER "110105199003071239"
#define PASSWORD_LINE "demo-holder-2026\n"
#define CERT_NO "AQ2021110105000123"

/* The limits of src/core/cd-client.c, which a body beyond them must hit. */
#define MAX_JSON_BYTES (4 * 1024 * 1024)
#define MAX_DOCUMENT_BYTES (32 * 1024 * 1024)
/* An endless body stops here, in case the client never does. */
#define ENDLESS_STOP_BYTES (96 * 1024 * 1024)
/* A readable message is a few sentences, not the service's garbage echoed. */
#define MAX_STDERR_BYTES 4096

/* Well-formed objects, with the parts a case changes as (JSON) parameters. */
#define ANNOTATION_JSON(ID, STATE, DAYS, REQUESTED_AT) \
  "{\"id\": " ID ", \"annotation_no\": \"JZ20261125000001\", \"certificate_id\": \"cert-1\", " \
  "\"scenario\": \"self_use\", \"validity_days\": " DAYS ", \"state\": " STATE ", " \
  "\"requested_at\": " REQUESTED_AT ", \"ready_at\": \"2026-11-25T08:30:03Z\", " \
  "\"valid_from\": \"2026-11-25T08:30:03Z\", \"valid_until\": \"2099-02-23T08:30:03Z\", " \
  "\"verification_code\": \"K7QW3MZP9TXA\"}"
#define READY_ANNOTATION ANNOTATION_JSON ("\"ann-1\"", "\"ready\"", "90", "\"2026-11-25T08:30:00Z\"")
#define PENDING_ANNOTATION \
  "{\"id\": \"ann-2\", \"annotation_no\": \"JZ20261125000002\", \"certificate_id\": \"cert-1\", " \
  "\"scenario\": \"self_use\", \"validity_days\": 90, \"state\": \"pending\", " \
  "\"requested_at\": \"2026-11-25T08:30:00Z\", \"ready_at\": null, \"valid_from\": null, " \
  "\"valid_until\": null, \"verification_code\": null}"
#define CERTIFICATE_JSON(CERT_NO_VALUE, ISSUED_ON, STATUS, LATEST) \
  "{\"id\": \"cert-1\", \"cert_no\": " CERT_NO_VALUE ", \"qualification\": \"注册安全工程师\", " \
  "\"specialty\": \"化工安全\", \"level\": \"中级\", \"holder_name\": \"张三\", \"gender\": \"男\", " \
  "\"id_number_masked\": \"1101**********1239\", \"management_no\": \"2021110105000123\", " \
  "\"issued_on\": " ISSUED_ON ", \"issuer\": \"中华人民共和国应急管理部\", \"status\": " STATUS ", " \
  "\"latest_annotation\": " LATEST "}"
#define GOOD_CERTIFICATE CERTIFICATE_JSON ("\"" CERT_NO "\"", "\"2021-06-18\"", "\"valid\"", READY_ANNOTATION)
#define LIST_JSON(CERTIFICATE) "{\"certificates\": [" CERTIFICATE "]}"
#define QUOTA_JSON(LIMIT) "{\"limit\": " LIMIT ", \"window_days\": 90, \"used\": 1, \"next_slot_at\": \"2027-02-23T08:30:00Z\"}"
#define GOOD_QUOTA QUOTA_JSON ("3")
#define HOLDER_JSON \
  "{\"name\": \"张三\", \"id_type\": \"resident_id\", \"id_number_masked\": \"1101**********1239\", " \
  "\"notice_accepted\": true}"
#define SESSION_JSON(TOKEN) \
  "{\"token\": " TOKEN ", \"expires_at\": \"2099-01-01T00:00:00Z\", \"notice_accepted\": true, " \
  "\"holder\": " HOLDER_JSON "}"
#define GOOD_TOKEN "\"mW2x7Q9kPz3rT8vB1nC4dF6gH0jK5lM7oP2qR4sU6wY\""
#define ERROR_JSON(CODE, MESSAGE, EXTRA) "{\"error\": {\"code\": " CODE ", \"message\": " MESSAGE EXTRA "}}"

#define JSON_TYPE "application/json"
#define PDF_TYPE "application/pdf"

typedef enum
{
  BODY_TEXT,     /* body (with body_length bytes when not 0) */
  BODY_REPEAT,   /* body, then repeat up to repeat_bytes, then suffix; Content-Length */
  BODY_ENDLESS,  /* body, then repeat for ever (chunked) */
} BodyKind;

typedef struct
{
  const char *method;
  const char *path;
  guint       status;
  const char *content_type;
  BodyKind    kind;
  const char *body;
  gsize       body_length;
  const char *repeat;
  gsize       repeat_bytes;
  const char *suffix;
  const char *location;
} Answer;

typedef struct
{
  const char *name;
  const char *args[8];
  Answer      answer;
  int         exit_status;   /* the exit status expected, or -1 for any failure */
  const char *stderr_has;    /* a phrase of the message (case-insensitive), or NULL */
  gboolean    signed_out;    /* the case is a sign-in: start without a session */
} Case;

/* The responder */

typedef struct
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  char         *url;

  GMutex        mutex;
  GCond         cond;
  const Answer *broken;    /* the route a case breaks, or NULL */
  guint         hits;      /* how often the broken route was asked for */
} Responder;

static Responder responder;

typedef struct
{
  const Answer *answer;
  gsize         sent;
} Endless;

static void
endless_next_chunk_cb (SoupServerMessage *msg,
                       gpointer           user_data)
{
  Endless *endless = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  gsize unit = strlen (endless->answer->repeat);
  gsize count = MAX (1, (64 * 1024) / unit);
  GString *chunk;

  if (endless->sent >= ENDLESS_STOP_BYTES)
    {
      soup_message_body_complete (body);
      return;
    }

  chunk = g_string_sized_new (count * unit);
  for (gsize i = 0; i < count; i++)
    g_string_append_len (chunk, endless->answer->repeat, (gssize) unit);
  endless->sent += chunk->len;
  soup_message_body_append (body, SOUP_MEMORY_TAKE, chunk->str, chunk->len);
  g_string_free (chunk, FALSE);
}

static void
answer_with (SoupServerMessage *msg,
             const Answer      *answer)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  gsize length = answer->body_length != 0 ? answer->body_length
                 : answer->body != NULL ? strlen (answer->body) : 0;

  soup_server_message_set_status (msg, answer->status, NULL);
  if (answer->content_type != NULL)
    soup_message_headers_replace (headers, "Content-Type", answer->content_type);
  if (answer->location != NULL)
    soup_message_headers_replace (headers, "Location", answer->location);

  switch (answer->kind)
    {
    case BODY_TEXT:
      if (length > 0)
        soup_message_body_append (body, SOUP_MEMORY_STATIC, answer->body, length);
      break;

    case BODY_REPEAT:
      {
        GString *text = g_string_new_len (answer->body, (gssize) length);
        gsize unit = strlen (answer->repeat);

        while (text->len < length + answer->repeat_bytes)
          g_string_append_len (text, answer->repeat, (gssize) unit);
        g_string_append (text, answer->suffix != NULL ? answer->suffix : "");
        soup_message_body_append (body, SOUP_MEMORY_TAKE, text->str, text->len);
        g_string_free (text, FALSE);
      }
      break;

    case BODY_ENDLESS:
      {
        Endless *endless = g_new0 (Endless, 1);

        endless->answer = answer;
        soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
        soup_message_body_set_accumulate (body, FALSE);
        if (length > 0)
          soup_message_body_append (body, SOUP_MEMORY_STATIC, answer->body, length);
        g_signal_connect (msg, "wrote-chunk", G_CALLBACK (endless_next_chunk_cb), endless);
        g_object_set_data_full (G_OBJECT (msg), "endless", endless, g_free);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

/* The well-behaved service, for every route a case does not break. */
static const Answer good_answers[] = {
  { "POST", "/api/v1/sessions", 201, JSON_TYPE, BODY_TEXT, SESSION_JSON (GOOD_TOKEN) },
  { "DELETE", "/api/v1/sessions/current", 204, NULL, BODY_TEXT, NULL },
  { "GET", "/api/v1/certificates", 200, JSON_TYPE, BODY_TEXT, LIST_JSON (GOOD_CERTIFICATE) },
  { "GET", "/api/v1/certificates/cert-1/annotations", 200, JSON_TYPE, BODY_TEXT,
    "{\"annotations\": [" READY_ANNOTATION "], \"quota\": " GOOD_QUOTA "}" },
  { "POST", "/api/v1/certificates/cert-1/annotations", 202, JSON_TYPE, BODY_TEXT,
    "{\"annotation\": " PENDING_ANNOTATION ", \"quota\": " GOOD_QUOTA "}" },
};

static const Answer not_found = {
  NULL, NULL, 404, JSON_TYPE, BODY_TEXT,
  ERROR_JSON ("\"not_found\"", "\"There is nothing here\"", ""),
};

static void
handle_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  const char *method = soup_server_message_get_method (msg);
  const Answer *answer = &not_found;

  g_mutex_lock (&responder.mutex);
  if (responder.broken != NULL && g_str_equal (method, responder.broken->method) &&
      g_str_equal (path, responder.broken->path))
    {
      answer = responder.broken;
      responder.hits++;
    }
  g_mutex_unlock (&responder.mutex);

  for (guint i = 0; answer == &not_found && i < G_N_ELEMENTS (good_answers); i++)
    {
      if (g_str_equal (method, good_answers[i].method) && g_str_equal (path, good_answers[i].path))
        answer = &good_answers[i];
    }

  answer_with (msg, answer);
}

static gpointer
responder_thread (gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (responder.context);

  responder.server = soup_server_new ("server-header", "certdesk-test-responder ", NULL);
  soup_server_add_handler (responder.server, NULL, handle_cb, NULL, NULL);
  if (!soup_server_listen_local (responder.server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("The responder cannot listen: %s", error->message);

  uris = soup_server_get_uris (responder.server);
  g_mutex_lock (&responder.mutex);
  responder.url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_cond_broadcast (&responder.cond);
  g_mutex_unlock (&responder.mutex);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (responder.loop);

  soup_server_disconnect (responder.server);
  g_clear_object (&responder.server);
  g_main_context_pop_thread_default (responder.context);

  return NULL;
}

static void
responder_start (void)
{
  g_mutex_init (&responder.mutex);
  g_cond_init (&responder.cond);
  responder.context = g_main_context_new ();
  responder.loop = g_main_loop_new (responder.context, FALSE);
  responder.thread = g_thread_new ("responder", responder_thread, NULL);

  g_mutex_lock (&responder.mutex);
  while (responder.url == NULL)
    g_cond_wait (&responder.cond, &responder.mutex);
  g_mutex_unlock (&responder.mutex);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (responder.loop);
  return G_SOURCE_REMOVE;
}

static void
responder_stop (void)
{
  g_main_context_invoke (responder.context, quit_cb, NULL);
  g_thread_join (responder.thread);
  g_main_loop_unref (responder.loop);
  g_main_context_unref (responder.context);
  g_free (responder.url);
  g_mutex_clear (&responder.mutex);
  g_cond_clear (&responder.cond);
}

static void
responder_break (const Answer *answer)
{
  g_mutex_lock (&responder.mutex);
  responder.broken = answer;
  responder.hits = 0;
  g_mutex_unlock (&responder.mutex);
}

static guint
responder_hits (void)
{
  guint hits;

  g_mutex_lock (&responder.mutex);
  hits = responder.hits;
  g_mutex_unlock (&responder.mutex);

  return hits;
}

/* The cases */

static const Case cases[] = {
  /* JSON that is not JSON, or not the API's */
  { "list/truncated-json", { "list" },
    { "GET", "/api/v1/certificates", 200, JSON_TYPE, BODY_TEXT,
      "{\"certificates\": [{\"id\": \"cert-1\", \"cert_no\": \"AQ20" },
    1, "cannot be read" },
  { "list/empty-body", { "list" },
    { "GET", "/api/v1/certificates", 200, JSON_TYPE, BODY_TEXT, "" },
    1, NULL },
  { "list/html-body", { "list" },
    { "GET", "/api/v1/certificates", 200, "text/html", BODY_TEXT,
      "<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>" },
    1, NULL },
  { "list/array-root", { "list" },
    { "GET", "/api/v1/certificates", 200, JSON_TYPE, BODY_TEXT, "[" LIST_JSON (GOOD_CERTIFICATE) "]" },
    1, NULL },
  { "list/trailing-garbage", { "list" },
    { "GET", "/api/v1/certificates", 200, JSON_TYPE, BODY_TEXT, LIST_JSON (GOOD_CERTIFICATE) " {}" },
    1, NULL },
  { "list/duplicate-member", { "list" },
    { "GET", "/api/v1/certificates", 200, JSON_TYPE, BODY_TEXT,
      "{\"certificates\": [], \"certificates\": [" GOOD_CERTIFICATE "]}" },
    1, NULL },
  { "list/deep-nesting", { "list" },
    { "GET", "/api/v1/certificates", 200, JSON_TYPE, BODY_REPEAT, "{\"certificates\": ", 0, "[", 200000, "" },
    1, NULL },
  /* Wrong types */
  { "list/certificates-not-array", { "list" },
    { "GET", "/api/v1/certificates", 200, JSON_TYPE, BODY_TEXT, "{\"certificates\": {\"0\": " GOOD_CERTIFICATE "}}" },
    1, "certificates" },
  { "list/certificate-not-object", { "list" },
    { "GET", "/api/v1/certificates", 200, JSON_TYPE, BODY_TEXT, "{\"certificates\": [\"" CERT_NO "\"]}" },
    1, NULL },
  { "list/cert-no-number", { "list" },
    { "GET", "/api/v1/certificates", 200, JSON_TYPE, BODY_TEXT,
      LIST_JSON (CERTIFICATE_JSON ("12345", "\"2021-06-18\"", "\"valid\"", READY_ANNOTATION)) },
    1, "cert_no" },
  { "list/cert-no-null", { "list" },
    { "GET", "/api/v1/certificates", 200, JSON_TYPE, BODY_TEXT,
      LIST_JSON (CERTIFICATE_JSON ("null", "\"2021-06-18\"", "\"valid\"", READY_ANNOTATION)) },
    1, "cert_no" },
  { "list/validity-days-string", { "list" },
    { "GET", "/api/v1/certificates", 200, JSON_TYPE, BODY_TEXT,
      LIST_JSON (CERTIFICATE_JSON ("\"" CERT_NO "\"", "\"2021-06-18\"", "\"valid\"",
                                   ANNOTATION_JSON ("\"ann-1\"", "\"ready\"", "\"90\"", "\"2026-11-25T08:30:00Z\""))) },
    1, "validity_days" },
  { "list/validity-days-huge", { "list" },
    { "GET", "/api/v1/certificates", 200, JSON_TYPE, BODY_TEXT,
      LIST_JSON (CERTIFICATE_JSON ("\"" CERT_NO "\"", "\"2021-06-18\"", "\"valid\"",
                                   ANNOTATION_JSON ("\"ann-1\"", "\"ready\"", "99999999999999999999999",
                                                    "\"2026-11-25T08:30:00Z\""))) },
    1, NULL },
  { "list/validity-days-infinite", { "list" },
    { "GET", "/api/v1/certificates", 200, JSON_TYPE, BODY_TEXT,
      LIST_JSON (CERTIFICATE_JSON ("\"" CERT_NO "\"", "\"2021-06-18\"", "\"valid\"",
                                   ANNOTATION_JSON ("\"ann-1\"", "\"ready\"", "1e999", "\"2026-11-25T08:30:00Z\""))) },
    1, NULL },
  { "list/impossible-time", { "list" },
    { "GET", "/api/v1/certificates", 200, JSON_TYPE, BODY_TEXT,
      LIST_JSON (CERTIFICATE_JSON ("\"" CERT_NO "\"", "\"2021-06-18\"", "\"valid\"",
                                   ANNOTATION_JSON ("\"ann-1\"", "\"ready\"", "90", "\"2026-02-30T25:61:00Z\""))) },
    1, "requested_at" },
  { "list/impossible-date", { "list" },
    { "GET", "/api/v1/certificates", 200, JSON_TYPE, BODY_TEXT,
      LIST_JSON (CERTIFICATE_JSON ("\"" CERT_NO "\"", "\"2021-13-45\"", "\"valid\"", READY_ANNOTATION)) },
    1, "issued_on" },
  /* Huge */
  { "list/5mb-string", { "list" },
    { "GET", "/api/v1/certificates", 200, JSON_TYPE, BODY_REPEAT,
      "{\"certificates\": [{\"id\": \"", 0, "A", 5 * 1024 * 1024, "\"}]}" },
    1, "too large" },
  { "list/2mb-string", { "list" },
    { "GET", "/api/v1/certificates", 200, JSON_TYPE, BODY_REPEAT,
      "{\"certificates\": [{\"id\": \"", 0, "证", 2 * 1024 * 1024, "\"}]}" },
    1, "longer than" },
  { "list/endless-json", { "list" },
    { "GET", "/api/v1/certificates", 200, JSON_TYPE, BODY_ENDLESS,
      "{\"certificates\": [", 0, GOOD_CERTIFICATE ", " },
    1, "too large" },
  /* Text that is not text */
  { "list/invalid-utf8", { "list" },
    { "GET", "/api/v1/certificates", 200, JSON_TYPE, BODY_TEXT,
      LIST_JSON (CERTIFICATE_JSON ("\"AQ\xff\xfe\xc3\x28\"", "\"2021-06-18\"", "\"valid\"", READY_ANNOTATION)) },
    1, NULL },
  { "list/nul-in-string", { "list" },
    { "GET", "/api/v1/certificates", 200, JSON_TYPE, BODY_TEXT,
      LIST_JSON (CERTIFICATE_JSON ("\"AQ2021\\u0000../../x\"", "\"2021-06-18\"", "\"valid\"", READY_ANNOTATION)) },
    1, NULL },
  /* Unknown enum values */
  { "list/unknown-annotation-state", { "list" },
    { "GET", "/api/v1/certificates", 200, JSON_TYPE, BODY_TEXT,
      LIST_JSON (CERTIFICATE_JSON ("\"" CERT_NO "\"", "\"2021-06-18\"", "\"valid\"",
                                   ANNOTATION_JSON ("\"ann-1\"", "\"archived\"", "90", "\"2026-11-25T08:30:00Z\""))) },
    1, "archived" },
  { "list/unknown-certificate-status", { "list" },
    { "GET", "/api/v1/certificates", 200, JSON_TYPE, BODY_TEXT,
      LIST_JSON (CERTIFICATE_JSON ("\"" CERT_NO "\"", "\"2021-06-18\"", "\"lost\"", READY_ANNOTATION)) },
    1, "lost" },
  { "status/unknown-annotation-state", { "status", CERT_NO },
    { "GET", "/api/v1/certificates/cert-1/annotations", 200, JSON_TYPE, BODY_TEXT,
      "{\"annotations\": [" ANNOTATION_JSON ("\"ann-1\"", "\"archived\"", "90", "\"2026-11-25T08:30:00Z\"")
      "], \"quota\": " GOOD_QUOTA "}" },
    1, "archived" },
  { "status/quota-missing", { "status", CERT_NO },
    { "GET", "/api/v1/certificates/cert-1/annotations", 200, JSON_TYPE, BODY_TEXT,
      "{\"annotations\": [" READY_ANNOTATION "]}" },
    1, "quota" },
  /* Errors that are not the API's */
  { "list/server-error-html", { "list" },
    { "GET", "/api/v1/certificates", 500, "text/html", BODY_TEXT, "<html><body>Internal Server Error</body></html>" },
    1, "500" },
  { "list/redirect-loop", { "list" },
    { "GET", "/api/v1/certificates", 302, "text/html", BODY_TEXT, "moved", 0, NULL, 0, NULL,
      "/api/v1/certificates" },
    -1, NULL },
  { "annotate/unknown-error-code", { "annotate", CERT_NO },
    { "POST", "/api/v1/certificates/cert-1/annotations", 409, JSON_TYPE, BODY_TEXT,
      ERROR_JSON ("\"solar_flare\"", "\"A solar flare ate the request\"", "") },
    1, "solar flare ate the request" },
  { "annotate/error-code-wrong-status", { "annotate", CERT_NO },
    { "POST", "/api/v1/certificates/cert-1/annotations", 418, JSON_TYPE, BODY_TEXT,
      ERROR_JSON ("\"quota_exceeded\"", "\"teapot\"", ", \"next_slot_at\": \"2027-02-20T08:30:00Z\"") },
    1, "418" },
  { "annotate/error-not-object", { "annotate", CERT_NO },
    { "POST", "/api/v1/certificates/cert-1/annotations", 409, JSON_TYPE, BODY_TEXT, "{\"error\": \"quota\"}" },
    1, NULL },
  { "annotate/error-invalid-utf8", { "annotate", CERT_NO },
    { "POST", "/api/v1/certificates/cert-1/annotations", 409, JSON_TYPE, BODY_TEXT,
      ERROR_JSON ("\"solar_flare\"", "\"bad \xff\xfe bytes\"", "") },
    1, NULL },
  { "annotate/error-5mb-message", { "annotate", CERT_NO },
    { "POST", "/api/v1/certificates/cert-1/annotations", 409, JSON_TYPE, BODY_REPEAT,
      "{\"error\": {\"code\": \"solar_flare\", \"message\": \"", 0, "x", 3 * 1024 * 1024, "\"}}" },
    1, NULL },
  { "annotate/quota-without-date", { "annotate", CERT_NO },
    { "POST", "/api/v1/certificates/cert-1/annotations", 409, JSON_TYPE, BODY_TEXT,
      ERROR_JSON ("\"quota_exceeded\"", "\"full\"", ", \"next_slot_at\": \"soon\"") },
    1, "next_slot_at" },
  { "annotate/malformed-quota", { "annotate", CERT_NO },
    { "POST", "/api/v1/certificates/cert-1/annotations", 202, JSON_TYPE, BODY_TEXT,
      "{\"annotation\": " PENDING_ANNOTATION ", \"quota\": " QUOTA_JSON ("-1") "}" },
    1, "limit" },
  { "annotate/wait-unknown-state", { "annotate", CERT_NO, "--wait" },
    { "GET", "/api/v1/annotations/ann-2", 200, JSON_TYPE, BODY_TEXT,
      ANNOTATION_JSON ("\"ann-2\"", "\"archived\"", "90", "\"2026-11-25T08:30:00Z\"") },
    1, "archived" },
  /* Documents that are not */
  { "download/html", { "download", CERT_NO },
    { "GET", "/api/v1/annotations/ann-1/document", 200, "text/html", BODY_TEXT,
      "<!DOCTYPE html><html><body>%PDF-1.7 Please log in</body></html>" },
    1, "not a PDF" },
  { "download/pdf-type-html-body", { "download", CERT_NO },
    { "GET", "/api/v1/annotations/ann-1/document", 200, PDF_TYPE, BODY_TEXT,
      "<!DOCTYPE html><html><body>Please log in</body></html>" },
    1, "not a PDF" },
  { "download/broken-pdf", { "download", CERT_NO },
    { "GET", "/api/v1/annotations/ann-1/document", 200, PDF_TYPE, BODY_TEXT,
      "%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R" },
    7, "not kept" },
  { "download/endless", { "download", CERT_NO },
    { "GET", "/api/v1/annotations/ann-1/document", 200, PDF_TYPE, BODY_ENDLESS,
      "%PDF-1.7\n", 0, "0000000000 65535 f \n" },
    1, "too large" },
  /* Signing in */
  { "login/token-number", { "login", "--id", ID_NUMBER, "--password-stdin" },
    { "POST", "/api/v1/sessions", 201, JSON_TYPE, BODY_TEXT, SESSION_JSON ("42") },
    1, NULL, TRUE },
  { "login/token-empty", { "login", "--id", ID_NUMBER, "--password-stdin" },
    { "POST", "/api/v1/sessions", 201, JSON_TYPE, BODY_TEXT, SESSION_JSON ("\"\"") },
    1, NULL, TRUE },
  { "login/holder-missing", { "login", "--id", ID_NUMBER, "--password-stdin" },
    { "POST", "/api/v1/sessions", 201, JSON_TYPE, BODY_TEXT, "{\"token\": " GOOD_TOKEN "}" },
    1, "holder", TRUE },
  { "login/retry-after-absurd", { "login", "--id", ID_NUMBER, "--password-stdin" },
    { "POST", "/api/v1/sessions", 429, JSON_TYPE, BODY_TEXT,
      ERROR_JSON ("\"too_many_attempts\"", "\"slow down\"", ", \"retry_after\": 1e308") },
    1, "retry_after", TRUE },
  { "login/unauthorized-plain-text", { "login", "--id", ID_NUMBER, "--password-stdin" },
    { "POST", "/api/v1/sessions", 401, "text/plain", BODY_TEXT, "go away" },
    1, "401", TRUE },
};

static void
sign_in (void)
{
  g_autoptr(CdTestCli) cli = cd_test_cli_run (responder.url, PASSWORD_LINE, "login", "--id", ID_NUMBER,
                                              "--password-stdin", NULL);

  cd_test_cli_assert_exit (cli, 0);
}

static void
sign_out (void)
{
  g_autoptr(CdTestCli) cli = cd_test_cli_run (responder.url, NULL, "logout", "--forget", NULL);
  g_autofree char *password = NULL;

  cd_test_cli_assert_clean (cli);
  password = cd_test_keyring_lookup (responder.url, "password");
  g_assert_null (password);
}

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(CdTestCli) cli = NULL;
  g_autofree char *password = NULL;
  guint hits;

  if (c->signed_out)
    sign_out ();
  else
    sign_in ();

  responder_break (&c->answer);
  cli = cd_test_cli_runv (responder.url, PASSWORD_LINE, c->args);
  hits = responder_hits ();
  responder_break (NULL);

  g_test_message ("stderr: %.*s", (int) MIN (cli->err_len, 2000), cli->err);

  /* The broken route was asked for, so the case tested what it says. */
  g_assert_cmpuint (hits, >, 0);

  /* No crash, no GLib CRITICAL or WARNING, no sanitizer report… */
  cd_test_cli_assert_clean (cli);
  /* …a failure… */
  if (c->exit_status >= 0)
    cd_test_cli_assert_exit (cli, c->exit_status);
  g_assert_cmpint (cli->status, >, 0);
  /* …said in a few readable words on stderr, and nothing on stdout. */
  g_assert_nonnull (strstr (cli->err, "certdesk-cli: "));
  g_assert_true (g_utf8_validate (cli->err, (gssize) cli->err_len, NULL));
  g_assert_cmpuint (cli->err_len, <, MAX_STDERR_BYTES);
  if (c->stderr_has != NULL)
    cd_test_cli_assert_stderr_has (cli, c->stderr_has);
  g_assert_cmpuint (cli->out_len, ==, 0);
  g_assert_cmpfloat (cli->seconds, <, 30.0);

  /* A sign-in that failed remembers nothing. */
  if (c->signed_out)
    {
      password = cd_test_keyring_lookup (responder.url, "password");
      g_assert_null (password);
    }
}

/* The responder itself answers as the API says: the cases break one thing each. */
static void
test_control (void)
{
  g_autoptr(CdTestCli) list = NULL;
  g_autoptr(CdTestCli) status = NULL;
  g_autoptr(CdTestCli) annotate = NULL;

  sign_in ();
  list = cd_test_cli_run (responder.url, NULL, "list", NULL);
  cd_test_cli_assert_exit (list, 0);
  g_assert_nonnull (strstr (list->out, CERT_NO));
  g_assert_nonnull (strstr (list->out, "Valid until 2099-02-23"));

  status = cd_test_cli_run (responder.url, NULL, "status", CERT_NO, NULL);
  cd_test_cli_assert_exit (status, 0);
  g_assert_nonnull (strstr (status->out, "1 of 3 annotations used"));

  annotate = cd_test_cli_run (responder.url, NULL, "annotate", CERT_NO, NULL);
  cd_test_cli_assert_exit (annotate, 0);
  g_assert_nonnull (strstr (annotate->out, "JZ20261125000002"));
}

static void
test_skip (void)
{
  g_test_skip ("Run through tests/keyring-session.sh: the CLI keeps its session in a keyring");
}

/* Scratch files (the servers' data, the isolated dirs) go inside the wrapper's
 * throwaway directory, which it removes however the test ends. */
static void
use_session_tmpdir (void)
{
  const char *session_dir = g_getenv ("KEYRING_SESSION_DIR");
  g_autofree char *tmpdir = NULL;

  if (session_dir == NULL)
    return;

  tmpdir = g_build_filename (session_dir, "tmp", NULL);
  if (g_mkdir_with_parents (tmpdir, 0700) == 0)
    g_setenv ("TMPDIR", tmpdir, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  setlocale (LC_ALL, "");
  use_session_tmpdir ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* One case that fails need not hide what the others find. */
  g_test_set_nonfatal_assertions ();

  if (g_getenv ("KEYRING_SESSION_DIR") == NULL || g_strcmp0 (g_getenv ("KEYRING_SESSION_NO_SECRETS"), "1") == 0)
    {
      g_test_add_func ("/certdesk/robustness/needs-keyring", test_skip);
      return g_test_run ();
    }

  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  responder_start ();

  g_test_add_func ("/certdesk/robustness/control", test_control);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/certdesk/robustness/%s", cases[i].name);

      g_test_add_data_func (path, &cases[i], test_case);
    }

  status = g_test_run ();
  responder_stop ();

  return status;
}
