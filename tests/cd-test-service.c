/* Fixtures for the black-box service tests.
 *
 * The server under test is the real binary: it is started on 127.0.0.1:0 with a
 * private data directory and announces its port on stdout. Everything else is
 * HTTP, the `import` subcommand, and read-only looks at the SQLite store.
 */

#include "config.h"

#include "cd-test-service.h"

#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#define LISTENING_PREFIX "certdesk-server: listening on "
#define START_TIMEOUT_SECONDS 10
#define STOP_TIMEOUT_MS 10000

struct _CdTestServiceIo
{
  GMutex        mutex;
  GCond         cond;
  GString      *text;     /* everything the server printed on stdout */
  char         *url;      /* from the listening line, NULL until then */
  gboolean      eof;
  GInputStream *stream;
  GThread      *thread;
};

static guint import_counter;

/* Failing */

void
cd_test_fail_at (const char *file,
                 int         line,
                 const char *func,
                 const char *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_assertion_message (G_LOG_DOMAIN, file, line, func, message);
}

static char *
describe_response (CdTestResponse *response)
{
  g_autofree char *body = NULL;

  if (response->text != NULL && strlen (response->text) > 1500)
    body = g_strdup_printf ("%.1500s… (%zu bytes)", response->text, strlen (response->text));
  else
    body = g_strdup (response->text != NULL ? response->text : "");

  return g_strdup_printf ("%s %s -> %u %s", response->method, response->path,
                          response->status, body);
}

static const char *
server_binary (void)
{
  const char *binary = g_getenv ("CERTDESK_SERVER_BINARY");

  if (binary == NULL || *binary == '\0')
    g_error ("CERTDESK_SERVER_BINARY is not set; run the service tests with meson test");

  return binary;
}

/* Processes */

/* A crashed or killed test must not leave servers behind. */
void
cd_test_die_with_parent (gpointer user_data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
}

void
cd_test_async_result_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GAsyncResult **out_result = user_data;

  *out_result = g_object_ref (result);
}

gboolean
cd_test_timeout_flag_cb (gpointer user_data)
{
  gboolean *flag = user_data;

  *flag = TRUE;
  return G_SOURCE_REMOVE;
}

/* Waits for @process to exit; after @timeout_ms it is killed (and FALSE returned),
 * so the pending wait never outlives this frame. */
static gboolean
wait_or_kill (GSubprocess *process,
              guint        timeout_ms)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSource) timeout = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gboolean timed_out = FALSE;

  g_main_context_push_thread_default (context);

  g_subprocess_wait_async (process, NULL, cd_test_async_result_cb, &result);
  timeout = g_timeout_source_new (timeout_ms);
  g_source_set_callback (timeout, cd_test_timeout_flag_cb, &timed_out, NULL);
  g_source_attach (timeout, context);

  while (result == NULL && !timed_out)
    g_main_context_iteration (context, TRUE);

  if (result == NULL)
    {
      g_subprocess_force_exit (process);
      while (result == NULL)
        g_main_context_iteration (context, TRUE);
    }

  g_source_destroy (timeout);
  g_main_context_pop_thread_default (context);

  return !timed_out;
}

static char *
bytes_to_text (GBytes *bytes)
{
  const char *data;
  gsize size;

  if (bytes == NULL)
    return g_strdup ("");

  data = g_bytes_get_data (bytes, &size);
  return g_utf8_make_valid (data != NULL ? data : "", size);
}

int
cd_test_run_command (const char * const  *argv,
                     double               timeout_seconds,
                     char               **out_stdout,
                     char               **out_stderr)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSource) timeout = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) stdout_bytes = NULL;
  g_autoptr(GBytes) stderr_bytes = NULL;
  g_autoptr(GError) error = NULL;
  gboolean timed_out = FALSE;
  g_autofree char *command = g_strjoinv (" ", (char **) argv);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, cd_test_die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (process == NULL)
    g_error ("Cannot run %s: %s", command, error->message);

  g_main_context_push_thread_default (context);

  g_subprocess_communicate_async (process, NULL, NULL, cd_test_async_result_cb, &result);
  timeout = g_timeout_source_new ((guint) (timeout_seconds * 1000));
  g_source_set_callback (timeout, cd_test_timeout_flag_cb, &timed_out, NULL);
  g_source_attach (timeout, context);

  while (result == NULL && !timed_out)
    g_main_context_iteration (context, TRUE);
  if (result == NULL)
    {
      g_subprocess_force_exit (process);
      while (result == NULL)
        g_main_context_iteration (context, TRUE);
    }

  g_source_destroy (timeout);
  g_main_context_pop_thread_default (context);

  if (!g_subprocess_communicate_finish (process, result, &stdout_bytes, &stderr_bytes, &error))
    g_error ("Cannot read the output of %s: %s", command, error->message);

  if (out_stdout != NULL)
    *out_stdout = bytes_to_text (stdout_bytes);
  if (out_stderr != NULL)
    *out_stderr = bytes_to_text (stderr_bytes);

  if (timed_out)
    {
      g_test_message ("%s did not finish within %.0f s", command, timeout_seconds);
      return -2;
    }
  if (g_subprocess_get_if_exited (process))
    return g_subprocess_get_exit_status (process);

  return -1;
}

/* The server's stdout */

static gpointer
io_read_thread (gpointer user_data)
{
  CdTestServiceIo *io = user_data;
  g_autoptr(GDataInputStream) data = g_data_input_stream_new (io->stream);

  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (data, NULL, NULL, NULL);

      if (line == NULL)
        break;

      g_mutex_lock (&io->mutex);
      g_string_append (io->text, line);
      g_string_append_c (io->text, '\n');
      if (io->url == NULL && g_str_has_prefix (line, LISTENING_PREFIX))
        io->url = g_strstrip (g_strdup (line + strlen (LISTENING_PREFIX)));
      g_cond_broadcast (&io->cond);
      g_mutex_unlock (&io->mutex);
    }

  g_mutex_lock (&io->mutex);
  io->eof = TRUE;
  g_cond_broadcast (&io->cond);
  g_mutex_unlock (&io->mutex);

  return NULL;
}

static CdTestServiceIo *
io_new (GInputStream *stream)
{
  CdTestServiceIo *io = g_new0 (CdTestServiceIo, 1);

  g_mutex_init (&io->mutex);
  g_cond_init (&io->cond);
  io->text = g_string_new (NULL);
  io->stream = g_object_ref (stream);
  io->thread = g_thread_new ("server-stdout", io_read_thread, io);

  return io;
}

/* Only after the process exited: the reader then sees EOF. */
static void
io_join_and_free (CdTestServiceIo *io)
{
  if (io == NULL)
    return;

  g_thread_join (io->thread);
  g_object_unref (io->stream);
  g_string_free (io->text, TRUE);
  g_free (io->url);
  g_mutex_clear (&io->mutex);
  g_cond_clear (&io->cond);
  g_free (io);
}

/* Services */

/* Adds --keep-going (before g_test_init()): every case starts its own server, so one
 * that fails need not hide what the others would find. */
void
cd_test_keep_going (int    *argc,
                    char ***argv)
{
  static GPtrArray *args;

  g_return_if_fail (args == NULL);

  args = g_ptr_array_new ();
  g_ptr_array_add (args, (*argv)[0]);
  g_ptr_array_add (args, (gpointer) "--keep-going");
  for (int i = 1; i < *argc; i++)
    g_ptr_array_add (args, (*argv)[i]);
  g_ptr_array_add (args, NULL);

  *argc = (int) args->len - 1;
  *argv = (char **) args->pdata;
}

SoupSession *
cd_test_session_new (void)
{
  /* Loopback only: no proxy. */
  g_autoptr(GProxyResolver) no_proxy = g_simple_proxy_resolver_new (NULL, NULL);

  return soup_session_new_with_options ("user-agent", "certdesk-service-tests/1",
                                        "timeout", 60,
                                        "proxy-resolver", no_proxy,
                                        NULL);
}

static gboolean
service_reap (CdTestService  *self,
              char          **out_description)
{
  gboolean in_time;
  gboolean clean = FALSE;
  g_autofree char *description = NULL;

  in_time = wait_or_kill (self->process, STOP_TIMEOUT_MS);
  io_join_and_free (g_steal_pointer (&self->io));

  if (!in_time)
    description = g_strdup_printf ("did not exit within %u s and was killed", STOP_TIMEOUT_MS / 1000);
  else if (g_subprocess_get_if_exited (self->process))
    {
      int status = g_subprocess_get_exit_status (self->process);

      description = g_strdup_printf ("exited with status %d", status);
      clean = status == 0;
    }
  else if (g_subprocess_get_if_signaled (self->process))
    description = g_strdup_printf ("was killed by signal %d", g_subprocess_get_term_sig (self->process));
  else
    description = g_strdup ("ended in an unknown way");

  g_clear_object (&self->process);
  g_clear_pointer (&self->base_url, g_free);
  self->port = 0;

  if (out_description != NULL)
    *out_description = g_steal_pointer (&description);

  return clean;
}

static void
service_spawn (CdTestService *self)
{
  const char *binary = server_binary ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *output = NULL;
  g_autofree char *command = NULL;
  const char *port_str;
  gint64 deadline;
  gboolean eof;

  g_assert_null (self->process);

  g_ptr_array_add (argv, (gpointer) binary);
  g_ptr_array_add (argv, (gpointer) "--listen");
  g_ptr_array_add (argv, (gpointer) "127.0.0.1:0");
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, self->data_dir);
  for (guint i = 0; self->extra_args != NULL && self->extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, self->extra_args[i]);
  g_ptr_array_add (argv, NULL);
  command = g_strjoinv (" ", (char **) argv->pdata);

  /* stderr is inherited so the server's log lands in the test log. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, cd_test_die_with_parent, NULL, NULL);
  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  if (self->process == NULL)
    g_error ("Cannot start %s: %s", command, error->message);

  self->io = io_new (g_subprocess_get_stdout_pipe (self->process));

  deadline = g_get_monotonic_time () + START_TIMEOUT_SECONDS * G_TIME_SPAN_SECOND;
  g_mutex_lock (&self->io->mutex);
  while (self->io->url == NULL && !self->io->eof)
    {
      if (!g_cond_wait_until (&self->io->cond, &self->io->mutex, deadline))
        break;
    }
  url = g_strdup (self->io->url);
  eof = self->io->eof;
  output = g_strdup (self->io->text->str);
  g_mutex_unlock (&self->io->mutex);

  if (url == NULL)
    {
      g_autofree char *description = NULL;

      if (!eof)
        g_subprocess_force_exit (self->process);
      service_reap (self, &description);
      cd_test_fail_at (CD_TEST_LOC, "`%s` %s without printing its listening line (waited %d s); stdout: %s",
                       command, eof ? description : "printed nothing usable", START_TIMEOUT_SECONDS, output);
      return;
    }

  port_str = strrchr (url, ':');
  if (port_str == NULL || !g_str_has_prefix (url, "http://"))
    cd_test_fail_at (CD_TEST_LOC, "Unexpected listening line from `%s`: %s", command, url);

  self->port = (guint16) g_ascii_strtoull (port_str + 1, NULL, 10);
  if (self->port == 0)
    cd_test_fail_at (CD_TEST_LOC, "Listening line without a port from `%s`: %s", command, url);

  /* Routes are appended to the base, so drop a trailing slash. */
  if (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';
  self->base_url = g_steal_pointer (&url);

  g_clear_object (&self->session);
  self->session = cd_test_session_new ();

  g_test_message ("started `%s` at %s", command, self->base_url);
}

CdTestService *
cd_test_service_startv (const char * const *extra_args)
{
  CdTestService *self = g_new0 (CdTestService, 1);
  g_autoptr(GError) error = NULL;

  /* GIO still asks for the default proxy resolver on every connection, and the
   * desktop one needs GSettings schemas that G_TEST_OPTION_ISOLATE_DIRS hides. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  self->root_dir = g_dir_make_tmp ("certdesk-service-XXXXXX", &error);
  g_assert_no_error (error);
  self->data_dir = g_build_filename (self->root_dir, "data", NULL);
  g_assert_cmpint (g_mkdir (self->data_dir, 0700), ==, 0);
  self->extra_args = g_strdupv ((char **) extra_args);

  service_spawn (self);

  return self;
}

CdTestService *
cd_test_service_start (const char *first_arg,
                       ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  return cd_test_service_startv ((const char * const *) args->pdata);
}

/* SIGTERM, then wait (killing after 10 s). TRUE when the server exited by itself with
 * status 0; @out_description says how it ended. */
gboolean
cd_test_service_stop (CdTestService  *self,
                      char          **out_description)
{
  return cd_test_service_stop_with (self, SIGTERM, out_description);
}

gboolean
cd_test_service_stop_with (CdTestService  *self,
                           int             signum,
                           char          **out_description)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->process == NULL)
    {
      if (out_description != NULL)
        *out_description = g_strdup ("was not running");
      return FALSE;
    }

  g_subprocess_send_signal (self->process, signum);
  return service_reap (self, out_description);
}

void
cd_test_service_kill (CdTestService *self)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->process != NULL);

  g_subprocess_send_signal (self->process, SIGKILL);
  service_reap (self, NULL);
}

/* Starts again on the same data directory; @extra_args NULL keeps the previous ones. */
void
cd_test_service_restart (CdTestService      *self,
                         const char * const *extra_args)
{
  g_return_if_fail (self != NULL);

  if (self->process != NULL)
    cd_test_service_stop (self, NULL);

  if (extra_args != NULL)
    {
      g_strfreev (self->extra_args);
      self->extra_args = g_strdupv ((char **) extra_args);
    }

  service_spawn (self);
}

char *
cd_test_service_dup_stdout (CdTestService *self)
{
  char *text;

  g_return_val_if_fail (self != NULL && self->io != NULL, NULL);

  g_mutex_lock (&self->io->mutex);
  text = g_strdup (self->io->text->str);
  g_mutex_unlock (&self->io->mutex);

  return text;
}

void
cd_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK) && g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          cd_test_remove_tree (child);
        }
    }

  g_remove (path);
}

void
cd_test_service_free (CdTestService *self)
{
  if (self == NULL)
    return;

  if (self->process != NULL)
    cd_test_service_stop (self, NULL);

  g_clear_object (&self->session);
  if (self->root_dir != NULL && g_getenv ("CERTDESK_TEST_KEEP") == NULL)
    cd_test_remove_tree (self->root_dir);

  g_free (self->root_dir);
  g_free (self->data_dir);
  g_free (self->base_url);
  g_strfreev (self->extra_args);
  g_free (self);
}

/* HTTP */

void
cd_test_response_free (CdTestResponse *response)
{
  if (response == NULL)
    return;

  g_free (response->method);
  g_free (response->path);
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response->text);
  g_clear_pointer (&response->json, json_node_unref);
  g_free (response);
}

CdTestResponse *
cd_test_service_request_raw (CdTestService *self,
                             SoupSession   *session,
                             const char    *method,
                             const char    *path,
                             const char    *authorization,
                             const char    *content_type,
                             GBytes        *body)
{
  g_autofree char *uri = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  CdTestResponse *response;
  const char *data;
  gsize size;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->base_url == NULL)
    g_error ("%s %s: the server is not running", method, path);

  if (g_str_has_prefix (path, "/api/"))
    uri = g_strconcat (self->base_url, path, NULL);
  else
    uri = g_strconcat (self->base_url, "/api/v1", path, NULL);

  message = soup_message_new (method, uri);
  if (message == NULL)
    g_error ("Cannot make a request for %s %s", method, uri);

  if (authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message),
                                  "Authorization", authorization);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (message, content_type, body);

  bytes = soup_session_send_and_read (session != NULL ? session : self->session, message, NULL, &error);
  if (bytes == NULL)
    g_error ("%s %s failed: %s", method, uri, error->message);

  response = g_new0 (CdTestResponse, 1);
  response->method = g_strdup (method);
  response->path = g_strdup (path);
  response->status = soup_message_get_status (message);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (message));
  response->body = g_steal_pointer (&bytes);

  data = g_bytes_get_data (response->body, &size);
  response->text = g_strndup (data != NULL ? data : "", size);

  parser = json_parser_new_immutable ();
  if (size > 0 && json_parser_load_from_data (parser, response->text, size, NULL))
    response->json = json_parser_steal_root (parser);

  return response;
}

CdTestResponse *
cd_test_service_request (CdTestService *self,
                         const char    *method,
                         const char    *path,
                         const char    *token,
                         const char    *json_body)
{
  g_autofree char *authorization = NULL;
  g_autoptr(GBytes) body = NULL;

  if (token != NULL)
    authorization = g_strconcat ("Bearer ", token, NULL);
  if (json_body != NULL)
    body = g_bytes_new (json_body, strlen (json_body));

  return cd_test_service_request_raw (self, NULL, method, path, authorization,
                                      json_body != NULL ? "application/json" : NULL, body);
}

typedef struct
{
  CdTestService  *service;
  const char     *method;
  const char     *path;
  const char     *authorization;
  GBytes         *body;
  GMutex          mutex;
  GCond           cond;
  guint           n_waiting;
  gboolean        go;
  GPtrArray      *responses;
} Parallel;

static gpointer
parallel_thread (gpointer user_data)
{
  Parallel *parallel = user_data;
  g_autoptr(SoupSession) session = cd_test_session_new ();
  CdTestResponse *response;

  /* Everyone waits at the gate so that the requests really are in flight together. */
  g_mutex_lock (&parallel->mutex);
  parallel->n_waiting++;
  g_cond_broadcast (&parallel->cond);
  while (!parallel->go)
    g_cond_wait (&parallel->cond, &parallel->mutex);
  g_mutex_unlock (&parallel->mutex);

  response = cd_test_service_request_raw (parallel->service, session, parallel->method, parallel->path,
                                          parallel->authorization,
                                          parallel->body != NULL ? "application/json" : NULL,
                                          parallel->body);

  g_mutex_lock (&parallel->mutex);
  g_ptr_array_add (parallel->responses, response);
  g_mutex_unlock (&parallel->mutex);

  return NULL;
}

GPtrArray *
cd_test_service_parallel (CdTestService *self,
                          guint          n,
                          const char    *method,
                          const char    *path,
                          const char    *token,
                          const char    *json_body)
{
  g_autofree char *authorization = token != NULL ? g_strconcat ("Bearer ", token, NULL) : NULL;
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_autoptr(GBytes) body = json_body != NULL ? g_bytes_new (json_body, strlen (json_body)) : NULL;
  Parallel parallel = {
    .service = self,
    .method = method,
    .path = path,
    .authorization = authorization,
    .body = body,
    .responses = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_test_response_free),
  };

  g_mutex_init (&parallel.mutex);
  g_cond_init (&parallel.cond);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (threads, g_thread_new ("parallel-request", parallel_thread, &parallel));

  g_mutex_lock (&parallel.mutex);
  while (parallel.n_waiting < n)
    g_cond_wait (&parallel.cond, &parallel.mutex);
  parallel.go = TRUE;
  g_cond_broadcast (&parallel.cond);
  g_mutex_unlock (&parallel.mutex);

  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));

  g_mutex_clear (&parallel.mutex);
  g_cond_clear (&parallel.cond);

  return parallel.responses;
}

/* The error code of a response, or NULL; never fails the test. */
const char *
cd_test_response_error_code (CdTestResponse *response)
{
  JsonNode *error;
  JsonNode *code;

  if (response->json == NULL || !JSON_NODE_HOLDS_OBJECT (response->json))
    return NULL;

  error = json_object_get_member (json_node_get_object (response->json), "error");
  if (error == NULL || !JSON_NODE_HOLDS_OBJECT (error))
    return NULL;

  code = json_object_get_member (json_node_get_object (error), "code");
  if (code == NULL || json_node_get_value_type (code) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (code);
}

void
cd_test_assert_status_at (const char     *file,
                          int             line,
                          const char     *func,
                          CdTestResponse *response,
                          guint           status)
{
  if (response->status != status)
    {
      g_autofree char *description = describe_response (response);

      cd_test_fail_at (file, line, func, "expected HTTP %u: %s", status, description);
    }
}

JsonObject *
cd_test_assert_json_at (const char     *file,
                        int             line,
                        const char     *func,
                        CdTestResponse *response,
                        guint           status)
{
  g_autofree char *description = describe_response (response);
  const char *content_type;

  cd_test_assert_status_at (file, line, func, response, status);

  content_type = soup_message_headers_get_content_type (response->headers, NULL);
  if (g_strcmp0 (content_type, "application/json") != 0)
    cd_test_fail_at (file, line, func, "expected Content-Type application/json, got %s: %s",
                     content_type != NULL ? content_type : "(none)", description);

  if (response->json == NULL || !JSON_NODE_HOLDS_OBJECT (response->json))
    cd_test_fail_at (file, line, func, "expected a JSON object: %s", description);

  return json_node_get_object (response->json);
}

JsonObject *
cd_test_assert_error_at (const char     *file,
                         int             line,
                         const char     *func,
                         CdTestResponse *response,
                         guint           status,
                         const char     *code)
{
  g_autofree char *description = describe_response (response);
  JsonObject *root;
  JsonObject *error;
  JsonNode *node;

  root = cd_test_assert_json_at (file, line, func, response, status);

  node = json_object_get_member (root, "error");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    cd_test_fail_at (file, line, func, "expected {\"error\": {…}}: %s", description);
  if (json_object_get_size (root) != 1)
    cd_test_fail_at (file, line, func, "expected only \"error\" in an error body: %s", description);
  error = json_node_get_object (node);

  node = json_object_get_member (error, "code");
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    cd_test_fail_at (file, line, func, "error.code is not a string: %s", description);
  if (g_strcmp0 (json_node_get_string (node), code) != 0)
    cd_test_fail_at (file, line, func, "expected error code %s: %s", code, description);

  node = json_object_get_member (error, "message");
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING ||
      *json_node_get_string (node) == '\0')
    cd_test_fail_at (file, line, func, "error.message is not a non-empty string: %s", description);

  return error;
}

JsonObject *
cd_test_assert_error_field_at (const char     *file,
                               int             line,
                               const char     *func,
                               CdTestResponse *response,
                               guint           status,
                               const char     *code,
                               const char     *field)
{
  JsonObject *error = cd_test_assert_error_at (file, line, func, response, status, code);
  JsonNode *node = json_object_get_member (error, "field");

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING ||
      g_strcmp0 (json_node_get_string (node), field) != 0)
    {
      g_autofree char *description = describe_response (response);

      cd_test_fail_at (file, line, func, "expected error.field \"%s\": %s", field, description);
    }

  return error;
}

/* JSON */

char *
cd_test_json_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

static JsonNode *
json_member_at (const char *file,
                int         line,
                const char *func,
                JsonObject *object,
                const char *member)
{
  JsonNode *node;

  if (object == NULL)
    cd_test_fail_at (file, line, func, "looking for \"%s\" in a NULL object", member);

  node = json_object_get_member (object, member);
  if (node == NULL)
    {
      g_autofree char *text = cd_test_json_to_string (object);

      cd_test_fail_at (file, line, func, "member \"%s\" is missing in %s", member, text);
    }

  return node;
}

static void
json_wrong_type_at (const char *file,
                    int         line,
                    const char *func,
                    JsonObject *object,
                    const char *member,
                    const char *expected)
{
  g_autofree char *text = cd_test_json_to_string (object);

  cd_test_fail_at (file, line, func, "member \"%s\" is not %s in %s", member, expected, text);
}

const char *
cd_test_json_string_at (const char *file,
                        int         line,
                        const char *func,
                        JsonObject *object,
                        const char *member)
{
  JsonNode *node = json_member_at (file, line, func, object, member);

  if (json_node_get_value_type (node) != G_TYPE_STRING)
    json_wrong_type_at (file, line, func, object, member, "a string");

  return json_node_get_string (node);
}

gint64
cd_test_json_int_at (const char *file,
                     int         line,
                     const char *func,
                     JsonObject *object,
                     const char *member)
{
  JsonNode *node = json_member_at (file, line, func, object, member);

  if (json_node_get_value_type (node) != G_TYPE_INT64)
    json_wrong_type_at (file, line, func, object, member, "an integer");

  return json_node_get_int (node);
}

gboolean
cd_test_json_bool_at (const char *file,
                      int         line,
                      const char *func,
                      JsonObject *object,
                      const char *member)
{
  JsonNode *node = json_member_at (file, line, func, object, member);

  if (json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    json_wrong_type_at (file, line, func, object, member, "a boolean");

  return json_node_get_boolean (node);
}

JsonObject *
cd_test_json_object_at (const char *file,
                        int         line,
                        const char *func,
                        JsonObject *object,
                        const char *member)
{
  JsonNode *node = json_member_at (file, line, func, object, member);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    json_wrong_type_at (file, line, func, object, member, "an object");

  return json_node_get_object (node);
}

JsonArray *
cd_test_json_array_at (const char *file,
                       int         line,
                       const char *func,
                       JsonObject *object,
                       const char *member)
{
  JsonNode *node = json_member_at (file, line, func, object, member);

  if (!JSON_NODE_HOLDS_ARRAY (node))
    json_wrong_type_at (file, line, func, object, member, "an array");

  return json_node_get_array (node);
}

/* RFC 3339 UTC with whole seconds, as api.md prescribes. */
gint64
cd_test_json_time_at (const char *file,
                      int         line,
                      const char *func,
                      JsonObject *object,
                      const char *member)
{
  const char *value = cd_test_json_string_at (file, line, func, object, member);
  g_autoptr(GDateTime) time = NULL;

  if (!g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$", value, 0, 0))
    json_wrong_type_at (file, line, func, object, member, "an RFC 3339 UTC time with whole seconds");

  time = g_date_time_new_from_iso8601 (value, NULL);
  if (time == NULL)
    json_wrong_type_at (file, line, func, object, member, "a valid time");

  return g_date_time_to_unix (time);
}

void
cd_test_json_assert_null_at (const char *file,
                             int         line,
                             const char *func,
                             JsonObject *object,
                             const char *member)
{
  JsonNode *node = json_member_at (file, line, func, object, member);

  if (!JSON_NODE_HOLDS_NULL (node))
    json_wrong_type_at (file, line, func, object, member, "null");
}

static char *
json_object_string (const char *first_member,
                    ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  va_list ap;

  json_builder_begin_object (builder);
  va_start (ap, first_member);
  for (const char *member = first_member; member != NULL; member = va_arg (ap, const char *))
    {
      json_builder_set_member_name (builder, member);
      json_builder_add_string_value (builder, va_arg (ap, const char *));
    }
  va_end (ap);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* Holders */

char *
cd_test_resident_id_complete (const char *first17)
{
  static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  int sum = 0;

  g_assert_cmpuint (strlen (first17), ==, 17);
  for (guint i = 0; i < 17; i++)
    {
      g_assert_true (g_ascii_isdigit (first17[i]));
      sum += (first17[i] - '0') * weights[i];
    }

  return g_strdup_printf ("%s%c", first17, "10X98765432"[sum % 11]);
}

char *
cd_test_resident_id_new (void)
{
  static const char *regions[] = { "110105", "310104", "440305", "510107", "330106" };
  g_autofree char *first17 = NULL;

  first17 = g_strdup_printf ("%s%04d%02d%02d%03d",
                             regions[g_random_int_range (0, G_N_ELEMENTS (regions))],
                             g_random_int_range (1960, 2003),
                             g_random_int_range (1, 13),
                             g_random_int_range (1, 29),
                             g_random_int_range (0, 1000));

  return cd_test_resident_id_complete (first17);
}

/* The masking api.md shows: the first and last four characters kept. */
char *
cd_test_mask_id_number (const char *id_number)
{
  gsize length = strlen (id_number);
  g_autofree char *stars = NULL;

  g_assert_cmpuint (length, >, 8);
  stars = g_strnfill (length - 8, '*');

  return g_strdup_printf ("%.4s%s%s", id_number, stars, id_number + length - 4);
}

CdTestHolder *
cd_test_holder_new (const char *name)
{
  CdTestHolder *holder = g_new0 (CdTestHolder, 1);

  holder->name = g_strdup (name);
  holder->id_type = g_strdup ("resident_id");
  holder->id_number = cd_test_resident_id_new ();
  holder->password = g_strdup_printf ("pw-%08x%08x", g_random_int (), g_random_int ());

  return holder;
}

void
cd_test_holder_free (CdTestHolder *holder)
{
  if (holder == NULL)
    return;

  g_free (holder->name);
  g_free (holder->id_type);
  g_free (holder->id_number);
  g_free (holder->password);
  g_free (holder->token);
  g_free (holder);
}

void
cd_test_holder_register (CdTestService *self,
                         CdTestHolder  *holder)
{
  g_autofree char *body = json_object_string ("id_type", holder->id_type,
                                              "id_number", holder->id_number,
                                              "name", holder->name,
                                              "password", holder->password,
                                              NULL);
  g_autoptr(CdTestResponse) response = cd_test_service_request (self, "POST", "/accounts", NULL, body);
  JsonObject *root = cd_test_assert_json (response, 201);
  JsonObject *json_holder = cd_test_json_object (root, "holder");

  g_assert_cmpstr (cd_test_json_string (json_holder, "name"), ==, holder->name);
}

void
cd_test_holder_sign_in (CdTestService *self,
                        CdTestHolder  *holder)
{
  g_autofree char *body = json_object_string ("id_number", holder->id_number,
                                              "password", holder->password,
                                              NULL);
  g_autoptr(CdTestResponse) response = cd_test_service_request (self, "POST", "/sessions", NULL, body);
  JsonObject *root = cd_test_assert_json (response, 201);

  g_free (holder->token);
  holder->token = g_strdup (cd_test_json_string (root, "token"));
}

void
cd_test_holder_accept_notice (CdTestService *self,
                              CdTestHolder  *holder)
{
  g_autoptr(CdTestResponse) notice = cd_test_service_request (self, "GET", "/notice", holder->token, NULL);
  JsonObject *root = cd_test_assert_json (notice, 200);
  g_autofree char *body = json_object_string ("version", cd_test_json_string (root, "version"), NULL);
  g_autoptr(CdTestResponse) accepted = cd_test_service_request (self, "POST", "/notice/accept",
                                                                holder->token, body);

  cd_test_assert_status (accepted, 204);
}

CdTestHolder *
cd_test_holder_new_ready (CdTestService *self,
                          const char    *name)
{
  g_autoptr(CdTestHolder) holder = cd_test_holder_new (name);

  cd_test_holder_register (self, holder);
  cd_test_holder_sign_in (self, holder);
  cd_test_holder_accept_notice (self, holder);

  return g_steal_pointer (&holder);
}

/* Certificates */

static const struct
{
  const char *name;
  gsize       offset;
} cert_columns[] = {
  { "cert_no", G_STRUCT_OFFSET (CdTestCertRow, cert_no) },
  { "qualification", G_STRUCT_OFFSET (CdTestCertRow, qualification) },
  { "specialty", G_STRUCT_OFFSET (CdTestCertRow, specialty) },
  { "level", G_STRUCT_OFFSET (CdTestCertRow, level) },
  { "holder_name", G_STRUCT_OFFSET (CdTestCertRow, holder_name) },
  { "gender", G_STRUCT_OFFSET (CdTestCertRow, gender) },
  { "id_type", G_STRUCT_OFFSET (CdTestCertRow, id_type) },
  { "id_number", G_STRUCT_OFFSET (CdTestCertRow, id_number) },
  { "management_no", G_STRUCT_OFFSET (CdTestCertRow, management_no) },
  { "issued_on", G_STRUCT_OFFSET (CdTestCertRow, issued_on) },
  { "issuer", G_STRUCT_OFFSET (CdTestCertRow, issuer) },
  { "status", G_STRUCT_OFFSET (CdTestCertRow, status) },
};

static char **
cert_row_field (CdTestCertRow *row,
                guint          column)
{
  return G_STRUCT_MEMBER_P (row, cert_columns[column].offset);
}

static char *
random_digits (guint n)
{
  GString *digits = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_c (digits, (char) ('0' + g_random_int_range (0, 10)));

  return g_string_free (digits, FALSE);
}

CdTestCertRow *
cd_test_cert_row_new (const CdTestHolder *holder,
                      const char         *qualification,
                      const char         *status)
{
  CdTestCertRow *row = g_new0 (CdTestCertRow, 1);
  g_autofree char *digits = random_digits (16);

  row->cert_no = g_strconcat ("AQ", digits, NULL);
  row->qualification = g_strdup (qualification);
  row->specialty = g_strdup ("化工安全");
  row->level = g_strdup ("中级");
  row->holder_name = g_strdup (holder->name);
  row->gender = g_strdup ("男");
  row->id_type = g_strdup (holder->id_type);
  row->id_number = g_strdup (holder->id_number);
  row->management_no = random_digits (16);
  row->issued_on = g_strdup_printf ("%04d-%02d-%02d", g_random_int_range (2010, 2025),
                                    g_random_int_range (1, 13), g_random_int_range (1, 29));
  row->issuer = g_strdup ("中华人民共和国应急管理部");
  row->status = g_strdup (status);

  return row;
}

void
cd_test_cert_row_free (CdTestCertRow *row)
{
  if (row == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (cert_columns); i++)
    g_free (*cert_row_field (row, i));
  g_free (row);
}

void
cd_test_cert_row_set (CdTestCertRow *row,
                      const char    *column,
                      const char    *value)
{
  for (guint i = 0; i < G_N_ELEMENTS (cert_columns); i++)
    {
      if (g_str_equal (cert_columns[i].name, column))
        {
          char **field = cert_row_field (row, i);

          g_free (*field);
          *field = g_strdup (value);
          return;
        }
    }

  g_error ("No CSV column %s", column);
}

static void
csv_append_field (GString    *csv,
                  const char *value)
{
  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (csv, value);
      return;
    }

  g_string_append_c (csv, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *p);
    }
  g_string_append_c (csv, '"');
}

char *
cd_test_csv_format (CdTestCertRow * const *rows,
                    guint                  n_rows)
{
  GString *csv = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cert_columns); i++)
    {
      if (i > 0)
        g_string_append_c (csv, ',');
      g_string_append (csv, cert_columns[i].name);
    }
  g_string_append_c (csv, '\n');

  for (guint r = 0; r < n_rows; r++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (cert_columns); i++)
        {
          if (i > 0)
            g_string_append_c (csv, ',');
          csv_append_field (csv, *cert_row_field (rows[r], i));
        }
      g_string_append_c (csv, '\n');
    }

  return g_string_free (csv, FALSE);
}

/* Runs `certdesk-server import FILE --data-dir DIR` and returns its exit status
 * (-1 killed by a signal, -2 timed out). */
int
cd_test_service_run_import (CdTestService  *self,
                            const char     *csv_text,
                            char          **out_stdout,
                            char          **out_stderr)
{
  g_autofree char *name = g_strdup_printf ("import-%u.csv", ++import_counter);
  g_autofree char *path = g_build_filename (self->root_dir, name, NULL);
  g_autoptr(GError) error = NULL;
  const char *argv[] = { server_binary (), "import", path, "--data-dir", self->data_dir, NULL };

  g_file_set_contents (path, csv_text, -1, &error);
  g_assert_no_error (error);

  return cd_test_run_command (argv, 60, out_stdout, out_stderr);
}

void
cd_test_service_import_rows (CdTestService         *self,
                             CdTestCertRow * const *rows,
                             guint                  n_rows)
{
  g_autofree char *csv = cd_test_csv_format (rows, n_rows);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = cd_test_service_run_import (self, csv, &out, &err);

  if (status != 0)
    cd_test_fail_at (CD_TEST_LOC, "import of %u rows failed with %d; stdout: %s; stderr: %s; CSV:\n%s",
                     n_rows, status, out, err, csv);
}

char *
cd_test_service_find_certificate (CdTestService *self,
                                  CdTestHolder  *holder,
                                  const char    *cert_no)
{
  g_autoptr(CdTestResponse) response = cd_test_service_request (self, "GET", "/certificates",
                                                                holder->token, NULL);
  JsonObject *root = cd_test_assert_json (response, 200);
  JsonArray *certificates = cd_test_json_array (root, "certificates");

  for (guint i = 0; i < json_array_get_length (certificates); i++)
    {
      JsonObject *certificate = json_array_get_object_element (certificates, i);

      if (certificate != NULL &&
          g_strcmp0 (cd_test_json_string (certificate, "cert_no"), cert_no) == 0)
        return g_strdup (cd_test_json_string (certificate, "id"));
    }

  return NULL;
}

/* Imports one certificate for @holder (signed in, notice accepted) and returns its id. */
char *
cd_test_service_add_certificate (CdTestService  *self,
                                 CdTestHolder   *holder,
                                 const char     *qualification,
                                 const char     *status,
                                 char          **out_cert_no)
{
  g_autoptr(CdTestCertRow) row = cd_test_cert_row_new (holder, qualification, status);
  char *id;

  cd_test_service_import_rows (self, &row, 1);
  id = cd_test_service_find_certificate (self, holder, row->cert_no);
  if (id == NULL)
    cd_test_fail_at (CD_TEST_LOC, "imported certificate %s is not in the holder's list", row->cert_no);

  if (out_cert_no != NULL)
    *out_cert_no = g_strdup (row->cert_no);

  return id;
}

/* Annotations */

CdTestResponse *
cd_test_service_apply (CdTestService *self,
                       const char    *token,
                       const char    *certificate_id,
                       int            validity_days)
{
  g_autofree char *path = g_strdup_printf ("/certificates/%s/annotations", certificate_id);
  g_autofree char *body = g_strdup_printf ("{\"scenario\": \"self_use\", \"validity_days\": %d}",
                                           validity_days);

  return cd_test_service_request (self, "POST", path, token, body);
}

char *
cd_test_service_apply_ok (CdTestService *self,
                          const char    *token,
                          const char    *certificate_id,
                          int            validity_days)
{
  g_autoptr(CdTestResponse) response = cd_test_service_apply (self, token, certificate_id, validity_days);
  JsonObject *root = cd_test_assert_json (response, 202);
  JsonObject *annotation = cd_test_json_object (root, "annotation");

  g_assert_cmpstr (cd_test_json_string (annotation, "state"), ==, "pending");
  g_assert_cmpstr (cd_test_json_string (annotation, "certificate_id"), ==, certificate_id);

  return g_strdup (cd_test_json_string (annotation, "id"));
}

/* Polls until the annotation leaves "pending"; returns it (a new reference). */
JsonObject *
cd_test_service_wait_annotation (CdTestService *self,
                                 const char    *token,
                                 const char    *annotation_id,
                                 double         timeout_seconds)
{
  g_autofree char *path = g_strdup_printf ("/annotations/%s", annotation_id);
  gint64 deadline = g_get_monotonic_time () + (gint64) (timeout_seconds * G_USEC_PER_SEC);

  for (;;)
    {
      g_autoptr(CdTestResponse) response = cd_test_service_request (self, "GET", path, token, NULL);
      JsonObject *annotation = cd_test_assert_json (response, 200);

      if (g_strcmp0 (cd_test_json_string (annotation, "state"), "pending") != 0)
        return json_object_ref (annotation);

      if (g_get_monotonic_time () > deadline)
        {
          g_autofree char *text = cd_test_json_to_string (annotation);

          cd_test_fail_at (CD_TEST_LOC, "annotation %s still pending after %.1f s: %s",
                           annotation_id, timeout_seconds, text);
          return json_object_ref (annotation);
        }

      g_usleep (100 * 1000);
    }
}

GBytes *
cd_test_service_download (CdTestService  *self,
                          const char     *token,
                          const char     *annotation_id,
                          char          **out_filename)
{
  g_autofree char *path = g_strdup_printf ("/annotations/%s/document", annotation_id);
  g_autoptr(CdTestResponse) response = cd_test_service_request (self, "GET", path, token, NULL);
  g_autofree char *disposition = NULL;
  g_autoptr(GHashTable) params = NULL;
  const char *content_type;
  gsize size;
  const char *data;

  cd_test_assert_status (response, 200);

  content_type = soup_message_headers_get_content_type (response->headers, NULL);
  g_assert_cmpstr (content_type, ==, "application/pdf");

  data = g_bytes_get_data (response->body, &size);
  g_assert_cmpuint (size, >, 5);
  g_assert_true (memcmp (data, "%PDF-", 5) == 0);

  if (out_filename != NULL)
    {
      if (!soup_message_headers_get_content_disposition (response->headers, &disposition, &params))
        cd_test_fail_at (CD_TEST_LOC, "no Content-Disposition on %s", path);
      g_assert_cmpstr (disposition, ==, "attachment");
      *out_filename = g_strdup (g_hash_table_lookup (params, "filename"));
    }

  return g_bytes_ref (response->body);
}

/* The store */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
append_value (GString      *row,
              sqlite3_stmt *statement,
              int           column)
{
  switch (sqlite3_column_type (statement, column))
    {
    case SQLITE_NULL:
      g_string_append (row, "NULL");
      break;

    case SQLITE_INTEGER:
      g_string_append_printf (row, "i:%lld", (long long) sqlite3_column_int64 (statement, column));
      break;

    case SQLITE_FLOAT:
      g_string_append_printf (row, "f:%.17g", sqlite3_column_double (statement, column));
      break;

    case SQLITE_TEXT:
      {
        g_autofree char *escaped = g_strescape ((const char *) sqlite3_column_text (statement, column),
                                                NULL);
        g_string_append_printf (row, "t:\"%s\"", escaped);
      }
      break;

    case SQLITE_BLOB:
    default:
      {
        g_autofree char *digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                               sqlite3_column_blob (statement, column),
                                                               sqlite3_column_bytes (statement, column));
        g_string_append_printf (row, "b:%d:%s", sqlite3_column_bytes (statement, column), digest);
      }
      break;
    }
}

/* Every row of every table, tables by name and rows sorted, so that two dumps are
 * equal exactly when the stored data is. */
char *
cd_test_service_store_dump (CdTestService *self)
{
  g_autofree char *path = g_build_filename (self->data_dir, "certdesk.sqlite3", NULL);
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  GString *dump = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *statement = NULL;
  int rc;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    cd_test_fail_at (CD_TEST_LOC, "no store at %s", path);

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc != SQLITE_OK)
    cd_test_fail_at (CD_TEST_LOC, "cannot open %s read-only: %s", path, sqlite3_errmsg (db));
  sqlite3_busy_timeout (db, 10000);

  /* One read transaction: a consistent snapshot even while the server writes. */
  rc = sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  g_assert_cmpint (rc, ==, SQLITE_OK);

  rc = sqlite3_prepare_v2 (db, "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name",
                           -1, &statement, NULL);
  if (rc != SQLITE_OK)
    cd_test_fail_at (CD_TEST_LOC, "cannot list the tables of %s: %s", path, sqlite3_errmsg (db));
  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      g_ptr_array_add (tables, g_strdup ((const char *) sqlite3_column_text (statement, 0)));
      g_string_append_printf (dump, "schema %s\n", (const char *) sqlite3_column_text (statement, 1));
    }
  if (rc != SQLITE_DONE)
    cd_test_fail_at (CD_TEST_LOC, "cannot list the tables of %s: %s", path, sqlite3_errmsg (db));
  sqlite3_finalize (statement);

  for (guint t = 0; t < tables->len; t++)
    {
      const char *table = g_ptr_array_index (tables, t);
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
      char *sql = sqlite3_mprintf ("SELECT * FROM \"%w\"", table);

      rc = sqlite3_prepare_v2 (db, sql, -1, &statement, NULL);
      sqlite3_free (sql);
      if (rc != SQLITE_OK)
        cd_test_fail_at (CD_TEST_LOC, "cannot read table %s: %s", table, sqlite3_errmsg (db));

      while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
        {
          GString *row = g_string_new (NULL);

          for (int c = 0; c < sqlite3_column_count (statement); c++)
            {
              g_string_append_printf (row, "%s%s=", c > 0 ? " " : "", sqlite3_column_name (statement, c));
              append_value (row, statement, c);
            }
          g_ptr_array_add (rows, g_string_free (row, FALSE));
        }
      if (rc != SQLITE_DONE)
        cd_test_fail_at (CD_TEST_LOC, "cannot read table %s: %s", table, sqlite3_errmsg (db));
      sqlite3_finalize (statement);

      g_ptr_array_sort (rows, compare_strings);
      g_string_append_printf (dump, "table %s: %u rows\n", table, rows->len);
      for (guint r = 0; r < rows->len; r++)
        g_string_append_printf (dump, "  %s: %s\n", table, (const char *) g_ptr_array_index (rows, r));
    }

  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (db);

  return g_string_free (dump, FALSE);
}

char *
cd_test_service_store_digest (CdTestService *self)
{
  g_autofree char *dump = cd_test_service_store_dump (self);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, dump, -1);
}

/* NULL when the store still holds exactly @before_dump, else the first line that differs. */
char *
cd_test_service_store_diff (CdTestService *self,
                            const char    *before_dump)
{
  g_autofree char *after_dump = cd_test_service_store_dump (self);
  g_auto(GStrv) before_lines = NULL;
  g_auto(GStrv) after_lines = NULL;
  guint i;

  if (g_str_equal (before_dump, after_dump))
    return NULL;

  before_lines = g_strsplit (before_dump, "\n", -1);
  after_lines = g_strsplit (after_dump, "\n", -1);
  for (i = 0; before_lines[i] != NULL && after_lines[i] != NULL; i++)
    {
      if (!g_str_equal (before_lines[i], after_lines[i]))
        break;
    }

  return g_strdup_printf ("the store changed; first difference:\n  before: %s\n  after:  %s",
                          before_lines[i] != NULL ? before_lines[i] : "(end)",
                          after_lines[i] != NULL ? after_lines[i] : "(end)");
}

void
cd_test_assert_store_unchanged_at (const char    *file,
                                   int            line,
                                   const char    *func,
                                   CdTestService *self,
                                   const char    *before_dump)
{
  g_autofree char *diff = cd_test_service_store_diff (self, before_dump);

  if (diff != NULL)
    cd_test_fail_at (file, line, func, "%s", diff);
}

/* Documents */

static char *
write_temp_pdf (GBytes *pdf)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd;

  fd = g_file_open_tmp ("certdesk-test-XXXXXX.pdf", &path, &error);
  g_assert_no_error (error);
  close (fd);

  g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error);
  g_assert_no_error (error);

  return path;
}

/* pdfsig exits 0 even for a bad signature, so its report is what counts. */
gboolean
cd_test_pdf_signature_valid (GBytes  *pdf,
                             char   **out_report)
{
  g_autofree char *path = write_temp_pdf (pdf);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { "pdfsig", path, NULL };
  gboolean valid;

  cd_test_run_command (argv, 60, &out, &err);
  g_unlink (path);

  valid = strstr (out, "Signature is Valid") != NULL;
  if (out_report != NULL)
    *out_report = g_strconcat (out, err, NULL);

  return valid;
}

char *
cd_test_pdf_text (GBytes *pdf)
{
  g_autofree char *path = write_temp_pdf (pdf);
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", path, "-", NULL };
  char *out = NULL;
  int status;

  status = cd_test_run_command (argv, 60, &out, NULL);
  g_unlink (path);
  g_assert_cmpint (status, ==, 0);

  return out;
}

/* A copy with one byte changed inside the first signed range. The byte chosen is in
 * the binary comment on the second line when there is one, so the file still parses
 * and pdfsig reaches the digest check. */
GBytes *
cd_test_pdf_tamper (GBytes *pdf)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (pdf, &size);
  g_autofree guint8 *copy = g_memdup2 (data, size);
  const char *byte_range = NULL;
  gint64 first_length = 0;
  gsize offset;
  const guint8 *newline;

  /* PDF bodies hold NULs, so search the raw bytes. */
  for (gsize i = 0; i + 10 < size; i++)
    {
      if (memcmp (data + i, "/ByteRange", 10) == 0)
        {
          byte_range = (const char *) data + i + 10;
          break;
        }
    }
  g_assert_nonnull (byte_range);

  while (*byte_range == ' ' || *byte_range == '[')
    byte_range++;
  g_ascii_strtoll (byte_range, (char **) &byte_range, 10);
  first_length = g_ascii_strtoll (byte_range, NULL, 10);
  g_assert_cmpint (first_length, >, 20);

  newline = memchr (data, '\n', size);
  if (newline != NULL && (gsize) (newline - data) + 2 < (gsize) first_length && newline[1] == '%')
    offset = (gsize) (newline - data) + 2;
  else
    offset = (gsize) first_length / 2;

  copy[offset] ^= 0x01;

  return g_bytes_new_take (g_steal_pointer (&copy), size);
}

gint64
cd_test_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* Sleeps until the wall clock has passed @unix_seconds. */
void
cd_test_sleep_until (gint64 unix_seconds)
{
  for (;;)
    {
      gint64 remaining = unix_seconds * G_USEC_PER_SEC - g_get_real_time ();

      if (remaining < 0)
        return;
      g_usleep (MIN (remaining + 1000, 200 * 1000));
    }
}
