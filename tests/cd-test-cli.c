/* Fixtures for the tests that run certdesk-cli as a program.
 *
 * The CLI under test is the real binary ($CERTDESK_CLI_BINARY). Each run gets its
 * standard input from the test (passwords only ever go that way), and its exit
 * status, output and any sign of trouble (a signal, a GLib CRITICAL or WARNING, a
 * sanitizer report) are checked by the helpers here.
 */

#include "config.h"

#include "cd-test-cli.h"
#include "cd-test-service.h"

#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#ifdef __linux__
#endif

#define DEFAULT_TIMEOUT_SECONDS 90

static guint run_timeout_seconds = DEFAULT_TIMEOUT_SECONDS;
#define PROXY_STOP_TIMEOUT_SECONDS 10
#define PROXY_MAX_MESSAGE_BYTES (64 * 1024 * 1024)

/* Failing */

/* At most about @max bytes of @text (its start and its end), valid UTF-8, for a
 * failure message. */
static char *
excerpt (const char *text,
         gsize       length,
         gsize       max)
{
  g_autofree char *head = NULL;
  g_autofree char *tail = NULL;

  if (text == NULL)
    return g_strdup ("");
  if (length <= max)
    return g_utf8_make_valid (text, length);

  head = g_utf8_make_valid (text, max / 4);
  tail = g_utf8_make_valid (text + length - (max - max / 4), max - max / 4);
  return g_strdup_printf ("%s\n[… %" G_GSIZE_FORMAT " bytes in all …]\n%s", head, length, tail);
}

static char *
describe (CdTestCli *cli)
{
  g_autofree char *out = excerpt (cli->out, cli->out_len, 3000);
  g_autofree char *err = excerpt (cli->err, cli->err_len, 3000);
  g_autofree char *how = NULL;

  if (cli->status == -2)
    how = g_strdup_printf ("did not finish within %u s", cli->timeout);
  else if (cli->signum != 0)
    how = g_strdup_printf ("was killed by signal %d (%s)", cli->signum, g_strsignal (cli->signum));
  else
    how = g_strdup_printf ("exited with %d", cli->status);

  return g_strdup_printf ("`%s` %s after %.1f s\n--- stdout:\n%s\n--- stderr:\n%s\n---",
                          cli->command, how, cli->seconds, out, err);
}

/* Running the CLI */

static char *
bytes_take_text (GBytes *bytes,
                 gsize  *out_length)
{
  gsize length = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &length) : NULL;

  *out_length = length;
  return g_strndup (data != NULL ? data : "", length);
}

static const char *
cli_binary (void)
{
  const char *binary = g_getenv ("CERTDESK_CLI_BINARY");

  if (binary == NULL || *binary == '\0')
    g_error ("CERTDESK_CLI_BINARY is not set; run the CLI tests with meson test");

  return binary;
}

guint
cd_test_cli_set_timeout (guint seconds)
{
  guint previous = run_timeout_seconds;

  run_timeout_seconds = seconds > 0 ? seconds : DEFAULT_TIMEOUT_SECONDS;
  return previous;
}

CdTestCli *
cd_test_cli_runv (const char         *server,
                  const char         *stdin_text,
                  const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSource) timeout = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) stdin_bytes = NULL;
  g_autoptr(GBytes) stdout_bytes = NULL;
  g_autoptr(GBytes) stderr_bytes = NULL;
  g_autoptr(GError) error = NULL;
  gboolean timed_out = FALSE;
  gint64 start = g_get_monotonic_time ();
  CdTestCli *cli = g_new0 (CdTestCli, 1);

  g_ptr_array_add (argv, (gpointer) cli_binary ());
  if (server != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "--server");
      g_ptr_array_add (argv, (gpointer) server);
    }
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  cli->command = g_strjoinv (" ", (char **) argv->pdata);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, cd_test_die_with_parent, NULL, NULL);
  /* Only --server names the service; a CRITICAL ends the run with a signal. */
  g_subprocess_launcher_unsetenv (launcher, "CERTDESK_SERVER");
  g_subprocess_launcher_setenv (launcher, "G_DEBUG", "fatal-criticals", TRUE);
  /* CD_TEST_CLI_DEBUG=1: the CLI's debug messages in the test log. */
  if (g_strcmp0 (g_getenv ("CD_TEST_CLI_DEBUG"), "1") == 0)
    g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  /* G_TEST_OPTION_ISOLATE_DIRS points this process at per-test dirs but leaves
   * /dev/null in the environment: children get the real ones from here. */
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", g_get_user_runtime_dir (), TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  if (process == NULL)
    g_error ("Cannot run %s: %s", cli->command, error->message);

  stdin_bytes = g_bytes_new (stdin_text != NULL ? stdin_text : "",
                             stdin_text != NULL ? strlen (stdin_text) : 0);

  g_main_context_push_thread_default (context);
  g_subprocess_communicate_async (process, stdin_bytes, NULL, cd_test_async_result_cb, &result);
  cli->timeout = run_timeout_seconds;
  timeout = g_timeout_source_new_seconds (cli->timeout);
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

  if (!g_subprocess_communicate_finish (process, result, &stdout_bytes, &stderr_bytes, &error))
    g_error ("Cannot read the output of %s: %s", cli->command, error->message);

  /* communicate() returns at EOF on the pipes; the exit may come a moment later. */
  g_clear_object (&result);
  g_subprocess_wait_async (process, NULL, cd_test_async_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  cli->seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  cli->out = bytes_take_text (stdout_bytes, &cli->out_len);
  cli->err = bytes_take_text (stderr_bytes, &cli->err_len);

  if (timed_out)
    cli->status = -2;
  else if (g_subprocess_get_if_exited (process))
    cli->status = g_subprocess_get_exit_status (process);
  else
    {
      cli->status = -1;
      cli->signum = g_subprocess_get_if_signaled (process) ? g_subprocess_get_term_sig (process) : 0;
    }

  g_test_message ("ran `%s`: status %d in %.2f s", cli->command, cli->status, cli->seconds);
  return cli;
}

CdTestCli *
cd_test_cli_run (const char *server,
                 const char *stdin_text,
                 const char *first_arg,
                 ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  return cd_test_cli_runv (server, stdin_text, (const char * const *) args->pdata);
}

void
cd_test_cli_free (CdTestCli *cli)
{
  if (cli == NULL)
    return;

  g_free (cli->command);
  g_free (cli->out);
  g_free (cli->err);
  g_free (cli);
}

gboolean
cd_test_cli_contains_nocase (const char *haystack,
                             const char *needle)
{
  g_autofree char *folded_haystack = g_utf8_casefold (haystack, -1);
  g_autofree char *folded_needle = g_utf8_casefold (needle, -1);

  return strstr (folded_haystack, folded_needle) != NULL;
}

void
cd_test_cli_assert_clean_at (const char *file,
                             int         line,
                             const char *func,
                             CdTestCli  *cli)
{
  /* GLib's own messages ("GLib-GIO-CRITICAL **", "WARNING **") and the sanitizers'. */
  static const char * const trouble[] = {
    "CRITICAL **", "WARNING **", "ERROR **", "AddressSanitizer", "LeakSanitizer",
    "UndefinedBehaviorSanitizer", "runtime error:", NULL
  };

  if (cli->status == -2 || cli->status == -1)
    {
      g_autofree char *text = describe (cli);

      cd_test_fail_at (file, line, func, "the CLI did not exit by itself: %s", text);
      return;
    }

  for (guint i = 0; trouble[i] != NULL; i++)
    {
      if (strstr (cli->err, trouble[i]) != NULL || strstr (cli->out, trouble[i]) != NULL)
        {
          g_autofree char *text = describe (cli);

          cd_test_fail_at (file, line, func, "the CLI printed “%s”: %s", trouble[i], text);
          return;
        }
    }
}

void
cd_test_cli_assert_exit_at (const char *file,
                            int         line,
                            const char *func,
                            CdTestCli  *cli,
                            int         status)
{
  cd_test_cli_assert_clean_at (file, line, func, cli);

  if (cli->status != status)
    {
      g_autofree char *text = describe (cli);

      cd_test_fail_at (file, line, func, "expected exit status %d: %s", status, text);
    }
}

void
cd_test_cli_assert_stderr_has_at (const char *file,
                                  int         line,
                                  const char *func,
                                  CdTestCli  *cli,
                                  const char *needle)
{
  if (!g_utf8_validate (cli->err, cli->err_len, NULL) || !cd_test_cli_contains_nocase (cli->err, needle))
    {
      g_autofree char *text = describe (cli);

      cd_test_fail_at (file, line, func, "expected “%s” in stderr: %s", needle, text);
    }
}

/* Files */

static gboolean
bytes_contain (const char *data,
               gsize       length,
               const char *needle)
{
  gsize needle_length = strlen (needle);

  if (needle_length == 0 || needle_length > length)
    return FALSE;

  for (gsize i = 0; i + needle_length <= length; i++)
    {
      if (data[i] == needle[0] && memcmp (data + i, needle, needle_length) == 0)
        return TRUE;
    }

  return FALSE;
}

guint
cd_test_find_in_files (const char         *root,
                       const char * const *needles,
                       GPtrArray          *found)
{
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  const char *name;
  guint n_files = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (root, name, NULL);
      GStatBuf st;

      if (g_lstat (path, &st) != 0)
        continue;

      if (S_ISDIR (st.st_mode))
        n_files += cd_test_find_in_files (path, needles, found);
      else if (S_ISREG (st.st_mode))
        {
          g_autofree char *contents = NULL;
          gsize length = 0;

          if (!g_file_get_contents (path, &contents, &length, NULL))
            continue;
          n_files++;
          for (guint i = 0; needles[i] != NULL; i++)
            {
              if (bytes_contain (contents, length, needles[i]))
                {
                  g_ptr_array_add (found, g_strdup_printf ("%s (holds “%s”)", path, needles[i]));
                  break;
                }
            }
        }
    }

  return n_files;
}

static void
list_files_into (const char *root,
                 const char *prefix,
                 GPtrArray  *files)
{
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (root, name, NULL);
      g_autofree char *relative = prefix != NULL ? g_build_filename (prefix, name, NULL) : g_strdup (name);
      GStatBuf st;

      if (g_lstat (path, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        list_files_into (path, relative, files);
      else
        g_ptr_array_add (files, g_steal_pointer (&relative));
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GPtrArray *
cd_test_list_files (const char *root)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);

  list_files_into (root, NULL, files);
  g_ptr_array_sort (files, compare_strings);

  return files;
}

GBytes *
cd_test_read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, &error))
    g_error ("Cannot read %s: %s", path, error->message);

  return g_bytes_new_take (contents, length);
}

void
cd_test_write_file (const char *path,
                    GBytes     *bytes)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error))
    g_error ("Cannot write %s: %s", path, error->message);
}

/* The keyring */

char *
cd_test_keyring_lookup (const char *service,
                        const char *kind)
{
  const char *argv[] = { "secret-tool", "lookup", "service", service, "kind", kind, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  status = cd_test_run_command (argv, 30, &out, &err);
  if (status != 0 || out == NULL || *out == '\0')
    return NULL;

  g_strchomp (out);
  return g_steal_pointer (&out);
}

/* The proxy */

struct _CdTestProxy
{
  GSocketListener *listener;
  GCancellable    *cancellable;
  GThread         *accept_thread;
  guint16          upstream_port;
  char            *url;

  GMutex           mutex;
  GCond            cond;
  CdTestProxyMode  mode;
  guint            documents_broken;
  GPtrArray       *connections; /* (element-type ProxyConnection) the ones open */
};

typedef struct
{
  CdTestProxy       *proxy;
  GSocketConnection *client;
  GSocketConnection *upstream;
} ProxyConnection;

static void
shutdown_connection (GSocketConnection *connection)
{
  if (connection != NULL)
    g_socket_shutdown (g_socket_connection_get_socket (connection), TRUE, TRUE, NULL);
}

static gboolean
write_all (GOutputStream *out,
           const guint8  *data,
           gsize          length)
{
  return g_output_stream_write_all (out, data, length, NULL, NULL, NULL);
}

/* Client to server, unchanged. */
static gpointer
copy_requests_thread (gpointer user_data)
{
  ProxyConnection *pc = user_data;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (pc->client));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (pc->upstream));
  guint8 buffer[16 * 1024];

  for (;;)
    {
      gssize n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL);

      if (n <= 0 || !write_all (out, buffer, (gsize) n))
        break;
    }

  shutdown_connection (pc->upstream);
  return NULL;
}

static gssize
find_header_end (GByteArray *buffer)
{
  for (gsize i = 0; i + 4 <= buffer->len; i++)
    {
      if (memcmp (buffer->data + i, "\r\n\r\n", 4) == 0)
        return (gssize) (i + 4);
    }

  return -1;
}

static gboolean
read_more (GInputStream *in,
           GByteArray   *buffer)
{
  guint8 chunk[64 * 1024];
  gssize n = g_input_stream_read (in, chunk, sizeof chunk, NULL, NULL);

  if (n <= 0)
    return FALSE;

  g_byte_array_append (buffer, chunk, (guint) n);
  return TRUE;
}

/* Server to client, one response at a time, so that a PDF body can be cut or changed. */
static void
forward_responses (ProxyConnection *pc)
{
  CdTestProxy *proxy = pc->proxy;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (pc->upstream));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (pc->client));
  g_autoptr(GByteArray) buffer = g_byte_array_new ();

  for (;;)
    {
      g_autofree char *head = NULL;
      g_auto(GStrv) lines = NULL;
      gssize header_length;
      gint64 content_length = -1;
      gboolean chunked = FALSE;
      gboolean pdf = FALSE;
      CdTestProxyMode mode;
      gsize total;

      while ((header_length = find_header_end (buffer)) < 0)
        {
          if (!read_more (in, buffer))
            {
              write_all (out, buffer->data, buffer->len);
              return;
            }
        }

      head = g_strndup ((const char *) buffer->data, (gsize) header_length);
      lines = g_strsplit (head, "\r\n", -1);
      for (guint i = 1; lines[i] != NULL; i++)
        {
          if (g_ascii_strncasecmp (lines[i], "Content-Length:", 15) == 0)
            content_length = g_ascii_strtoll (lines[i] + 15, NULL, 10);
          else if (g_ascii_strncasecmp (lines[i], "Transfer-Encoding:", 18) == 0)
            chunked = TRUE;
          else if (g_ascii_strncasecmp (lines[i], "Content-Type:", 13) == 0 &&
                   strstr (lines[i], "application/pdf") != NULL)
            pdf = TRUE;
        }

      /* Anything but a plain Content-Length body goes through as it is. */
      if (chunked || content_length < 0 || content_length > PROXY_MAX_MESSAGE_BYTES)
        {
          do
            {
              if (!write_all (out, buffer->data, buffer->len))
                return;
              g_byte_array_set_size (buffer, 0);
            }
          while (read_more (in, buffer));
          return;
        }

      total = (gsize) header_length + (gsize) content_length;
      while (buffer->len < total)
        {
          if (!read_more (in, buffer))
            {
              write_all (out, buffer->data, buffer->len);
              return;
            }
        }

      g_mutex_lock (&proxy->mutex);
      mode = proxy->mode;
      if (pdf && mode != CD_TEST_PROXY_PASS)
        proxy->documents_broken++;
      g_mutex_unlock (&proxy->mutex);

      if (pdf && mode == CD_TEST_PROXY_CUT_DOCUMENT)
        {
          write_all (out, buffer->data, (gsize) header_length + (gsize) content_length / 2);
          g_output_stream_flush (out, NULL, NULL);
          return;
        }

      if (pdf && mode == CD_TEST_PROXY_TAMPER_DOCUMENT)
        {
          g_autoptr(GBytes) body = g_bytes_new (buffer->data + header_length, (gsize) content_length);
          g_autoptr(GBytes) changed = cd_test_pdf_tamper (body);

          if (!write_all (out, buffer->data, (gsize) header_length) ||
              !write_all (out, g_bytes_get_data (changed, NULL), g_bytes_get_size (changed)))
            return;
        }
      else if (!write_all (out, buffer->data, total))
        return;

      g_byte_array_remove_range (buffer, 0, (guint) total);
    }
}

static gpointer
connection_thread (gpointer user_data)
{
  ProxyConnection *pc = user_data;
  CdTestProxy *proxy = pc->proxy;
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  GSocketConnection *upstream;
  GThread *requests = NULL;

  upstream = g_socket_client_connect_to_host (socket_client, "127.0.0.1", proxy->upstream_port, NULL, NULL);

  g_mutex_lock (&proxy->mutex);
  pc->upstream = upstream;
  g_mutex_unlock (&proxy->mutex);

  if (upstream != NULL)
    {
      requests = g_thread_new ("proxy-requests", copy_requests_thread, pc);
      forward_responses (pc);
    }

  /* Cut (or done): both sides see the connection end at once. */
  g_mutex_lock (&proxy->mutex);
  shutdown_connection (pc->client);
  shutdown_connection (pc->upstream);
  g_mutex_unlock (&proxy->mutex);
  if (requests != NULL)
    g_thread_join (requests);

  g_io_stream_close (G_IO_STREAM (pc->client), NULL, NULL);
  if (pc->upstream != NULL)
    g_io_stream_close (G_IO_STREAM (pc->upstream), NULL, NULL);

  g_mutex_lock (&proxy->mutex);
  g_ptr_array_remove (proxy->connections, pc);
  g_clear_object (&pc->client);
  g_clear_object (&pc->upstream);
  g_free (pc);
  g_cond_broadcast (&proxy->cond);
  g_mutex_unlock (&proxy->mutex);

  return NULL;
}

static gpointer
accept_thread (gpointer user_data)
{
  CdTestProxy *proxy = user_data;

  for (;;)
    {
      GSocketConnection *client = g_socket_listener_accept (proxy->listener, NULL, proxy->cancellable, NULL);
      ProxyConnection *pc;

      if (client == NULL)
        break;

      pc = g_new0 (ProxyConnection, 1);
      pc->proxy = proxy;
      pc->client = client;

      g_mutex_lock (&proxy->mutex);
      g_ptr_array_add (proxy->connections, pc);
      g_mutex_unlock (&proxy->mutex);

      g_thread_unref (g_thread_new ("proxy-connection", connection_thread, pc));
    }

  return NULL;
}

CdTestProxy *
cd_test_proxy_new (guint16 upstream_port)
{
  CdTestProxy *proxy = g_new0 (CdTestProxy, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  g_mutex_init (&proxy->mutex);
  g_cond_init (&proxy->cond);
  proxy->upstream_port = upstream_port;
  proxy->connections = g_ptr_array_new ();
  proxy->cancellable = g_cancellable_new ();
  proxy->listener = g_socket_listener_new ();

  if (!g_socket_listener_add_address (proxy->listener, address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error))
    g_error ("The test proxy cannot listen: %s", error->message);

  proxy->url = g_strdup_printf ("http://127.0.0.1:%u",
                                g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));
  proxy->accept_thread = g_thread_new ("proxy-accept", accept_thread, proxy);

  return proxy;
}

const char *
cd_test_proxy_get_url (CdTestProxy *proxy)
{
  return proxy->url;
}

void
cd_test_proxy_set_mode (CdTestProxy     *proxy,
                        CdTestProxyMode  mode)
{
  g_mutex_lock (&proxy->mutex);
  proxy->mode = mode;
  g_mutex_unlock (&proxy->mutex);
}

guint
cd_test_proxy_get_documents_broken (CdTestProxy *proxy)
{
  guint n;

  g_mutex_lock (&proxy->mutex);
  n = proxy->documents_broken;
  g_mutex_unlock (&proxy->mutex);

  return n;
}

void
cd_test_proxy_free (CdTestProxy *proxy)
{
  gint64 deadline;

  if (proxy == NULL)
    return;

  g_cancellable_cancel (proxy->cancellable);
  g_thread_join (proxy->accept_thread);
  g_socket_listener_close (proxy->listener);

  /* Whatever is still open ends now; each connection's thread cleans up after itself. */
  deadline = g_get_monotonic_time () + PROXY_STOP_TIMEOUT_SECONDS * G_TIME_SPAN_SECOND;
  g_mutex_lock (&proxy->mutex);
  for (guint i = 0; i < proxy->connections->len; i++)
    {
      ProxyConnection *pc = g_ptr_array_index (proxy->connections, i);

      shutdown_connection (pc->client);
      shutdown_connection (pc->upstream);
    }
  while (proxy->connections->len > 0)
    {
      if (!g_cond_wait_until (&proxy->cond, &proxy->mutex, deadline))
        g_error ("The test proxy's connections did not end within %d s", PROXY_STOP_TIMEOUT_SECONDS);
    }
  g_mutex_unlock (&proxy->mutex);

  g_ptr_array_unref (proxy->connections);
  g_clear_object (&proxy->listener);
  g_clear_object (&proxy->cancellable);
  g_mutex_clear (&proxy->mutex);
  g_cond_clear (&proxy->cond);
  g_free (proxy->url);
  g_free (proxy);
}
