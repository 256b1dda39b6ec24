/* Connections that clients close must give their descriptors back: libsoup 3.2 keeps
 * the socket of an idle keep-alive connection open unless the service reaps it. */

#include "config.h"

#include "cd-test-service.h"

#include <gio/gio.h>

#define N_CONNECTIONS 40
#define REAP_WAIT_SECONDS 15

static guint
count_descriptors (GSubprocess *process)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/fd", g_subprocess_get_identifier (process));
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint count = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    count++;

  return count;
}

/* One keep-alive request, answered in full, then the client hangs up. */
static void
request_and_hang_up (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request = g_strdup_printf ("GET /api/v1/service HTTP/1.1\r\n"
                                              "Host: 127.0.0.1:%u\r\n\r\n", port);
  g_autoptr(GString) answer = g_string_new (NULL);
  char buffer[4096];
  gssize n;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);

  /* The body is one JSON object: it has arrived once its closing brace has. */
  while (!g_str_has_suffix (answer->str, "}"))
    {
      n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                               buffer, sizeof buffer, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
      g_string_append_len (answer, buffer, n);
    }
  g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 200"));
  g_assert_null (strstr (answer->str, "Connection: close"));

  g_io_stream_close (G_IO_STREAM (connection), NULL, &error);
  g_assert_no_error (error);
}

static void
test_closed_connections_are_released (void)
{
  g_autoptr(CdTestService) service = cd_test_service_startv (NULL);
  guint baseline, after;
  gint64 deadline;

  /* Warm up once so that lazily opened files (database, keys) are in the baseline. */
  request_and_hang_up (service->port);
  g_usleep (G_USEC_PER_SEC / 2);
  baseline = count_descriptors (service->process);

  for (guint i = 0; i < N_CONNECTIONS; i++)
    request_and_hang_up (service->port);

  deadline = g_get_monotonic_time () + REAP_WAIT_SECONDS * G_USEC_PER_SEC;
  do
    {
      g_usleep (G_USEC_PER_SEC / 2);
      after = count_descriptors (service->process);
    }
  while (after > baseline + 1 && g_get_monotonic_time () < deadline);

  g_test_message ("descriptors: %u before, %u after %d closed connections", baseline, after, N_CONNECTIONS);
  g_assert_cmpuint (after, <=, baseline + 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/certdesk/service/connections/closed-connections-are-released",
                   test_closed_connections_are_released);

  return g_test_run ();
}
