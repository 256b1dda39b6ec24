/* certdesk-server: the reference e-certificate service. */

#include "config.h"

#include "cd-csv-import.h"
#include "cd-demo.h"
#include "cd-generator.h"
#include "cd-server.h"
#include "cd-service-notice.h"
#include "cd-signing-identity.h"
#include "cd-sqlite-store.h"

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>

#define DEFAULT_LISTEN          "127.0.0.1:8088"
#define DEMO_PROCESSING_SECONDS 3
#define DEFAULT_SESSION_SECONDS (12 * 60 * 60)
#define DATABASE_NAME           "certdesk.sqlite3"
/* Each generated document allocates and frees a few MiB; glibc would hand that back to
 * the kernel and fault it in again every time (measured: 14.5 → 23 ms per document). */
#define MALLOC_TRIM_THRESHOLD   (64 * 1024 * 1024)

typedef struct
{
  char     *listen;
  char     *data_dir;
  char     *public_url;
  char     *notice_file;
  gboolean  demo;
  gint64    processing_seconds;
  gint64    day_seconds;
  gint64    session_seconds;
  int       threads;
  gboolean  verbose;
} Options;

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static char *
default_data_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "certdesk-server", NULL);
}

static CdSqliteStore *
open_store (const char  *data_dir,
            GError     **error)
{
  g_autofree char *path = g_build_filename (data_dir, DATABASE_NAME, NULL);

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot create the data directory %s: %s", data_dir, g_strerror (saved_errno));
      return NULL;
    }

  return cd_sqlite_store_open (path, error);
}

/* certdesk-server import FILE.csv [--data-dir DIR] */
static int
run_import (int    argc,
            char **argv)
{
  g_autofree char *data_dir = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSqliteStore) store = NULL;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  const GOptionEntry entries[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, "The service's data directory", "DIR" },
    { NULL }
  };

  context = g_option_context_new ("import FILE.csv — load certificate records");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context, "The columns are described in docs/import.md. A file "
                                             "with a bad row imports nothing.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("certdesk-server: %s\n", error->message);
      return 2;
    }
  if (argc != 3)
    {
      g_printerr ("certdesk-server: usage: certdesk-server import FILE.csv [--data-dir DIR]\n");
      return 2;
    }

  if (data_dir == NULL)
    data_dir = default_data_dir ();

  if (!g_file_get_contents (argv[2], &contents, &length, &error) ||
      (certificates = cd_csv_import_parse (contents, length, &error)) == NULL ||
      (store = open_store (data_dir, &error)) == NULL ||
      !cd_store_import_certificates (CD_STORE (store), certificates, &error))
    {
      g_printerr ("certdesk-server: %s: %s\n", argv[2], error->message);
      return 1;
    }

  g_print ("Imported %u certificates from %s\n", certificates->len, argv[2]);
  return 0;
}

static gboolean
parse_options (int       *argc,
               char    ***argv,
               Options   *options,
               GError   **error)
{
  g_autoptr(GOptionContext) context = NULL;
  const GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &options->listen,
      "Address to listen on (default " DEFAULT_LISTEN "; port 0 picks a free one)", "ADDR:PORT" },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &options->data_dir,
      "Where the database and the signing key live", "DIR" },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &options->demo,
      "Seed a demo holder and print the credentials", NULL },
    { "processing-seconds", 0, 0, G_OPTION_ARG_INT64, &options->processing_seconds,
      "Simulated generation time (default 0, 3 with --demo)", "N" },
    { "day-seconds", 0, 0, G_OPTION_ARG_INT64, &options->day_seconds,
      "Length of one service-clock day (default 86400)", "N" },
    { "session-seconds", 0, 0, G_OPTION_ARG_INT64, &options->session_seconds,
      "Lifetime of a sign-in token (default 43200)", "N" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &options->threads,
      "HTTP threads and generation workers (default: one per core)", "N" },
    { "public-url", 0, 0, G_OPTION_ARG_STRING, &options->public_url,
      "Base URL printed in documents' QR codes (default http://ADDR:PORT)", "URL" },
    { "notice-file", 0, 0, G_OPTION_ARG_FILENAME, &options->notice_file,
      "The service notice holders must accept, a [Notice] key file (default: the built-in one)",
      "FILE" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &options->verbose, "Print debug messages", NULL },
    { NULL }
  };

  context = g_option_context_new ("[import FILE.csv] — the CertDesk certificate service");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;

  if (*argc > 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "Unexpected argument “%s”", (*argv)[1]);
      return FALSE;
    }
  if (options->processing_seconds < 0)
    options->processing_seconds = options->demo ? DEMO_PROCESSING_SECONDS : 0;
  if (options->day_seconds <= 0 || options->session_seconds <= 0 || options->threads <= 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--day-seconds, --session-seconds and --threads must be positive");
      return FALSE;
    }

  return TRUE;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static int
run_service (int    argc,
             char **argv)
{
  Options options = {
    .processing_seconds = -1,
    .day_seconds = 86400,
    .session_seconds = DEFAULT_SESSION_SECONDS,
    .threads = (int) g_get_num_processors (),
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSqliteStore) store = NULL;
  g_autoptr(CdSigningIdentity) identity = NULL;
  g_autoptr(CdServiceNotice) notice = NULL;
  g_autoptr(CdServer) server = NULL;
  g_autoptr(CdGenerator) generator = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *host = NULL;
  g_autofree char *public_url = NULL;
  g_autofree char *temporary_dir = NULL;
  CdServerConfig config;
  int status = 1;

  if (!parse_options (&argc, &argv, &options, &error))
    {
      g_printerr ("certdesk-server: %s\n", error->message);
      return 2;
    }

  if (options.verbose)
    g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);

  /* Before the data directory, so a bad notice file leaves nothing behind. The notice
   * stays as read until the service stops: a restart publishes a new version. */
  notice = options.notice_file != NULL
           ? cd_service_notice_new_from_file (options.notice_file, &error)
           : cd_service_notice_new_default ();
  if (notice == NULL)
    goto out;

  /* A demo without a data dir leaves nothing behind. */
  if (options.data_dir == NULL && options.demo)
    {
      temporary_dir = g_dir_make_tmp ("certdesk-demo-XXXXXX", &error);
      if (temporary_dir == NULL)
        goto out;
      options.data_dir = g_strdup (temporary_dir);
    }
  else if (options.data_dir == NULL)
    {
      options.data_dir = default_data_dir ();
    }

  store = open_store (options.data_dir, &error);
  if (store == NULL)
    goto out;
  identity = cd_signing_identity_load_or_create (options.data_dir, &error);
  if (identity == NULL)
    goto out;
  if (options.demo && !cd_demo_seed (CD_STORE (store), &error))
    goto out;

  config.day_seconds = options.day_seconds;
  config.session_seconds = options.session_seconds;
  server = cd_server_new (CD_STORE (store), identity, notice, &config);
  if (!cd_server_bind (server, options.listen != NULL ? options.listen : DEFAULT_LISTEN,
                       (guint) options.threads, &error))
    goto out;

  host = g_strdup (options.listen != NULL ? options.listen : DEFAULT_LISTEN);
  *strrchr (host, ':') = '\0';
  public_url = options.public_url != NULL
               ? g_strdup (options.public_url)
               : g_strdup_printf ("http://%s:%u", host, cd_server_get_port (server));

  generator = cd_generator_new (CD_STORE (store), identity, public_url, options.processing_seconds,
                                options.day_seconds, (guint) options.threads);
  if (!cd_generator_resume_pending (generator, &error))
    goto out;
  cd_server_start (server, generator);

  if (options.demo)
    g_print ("CertDesk demo service\n"
             "  Holder ID number: %s\n"
             "  Password:         %s\n",
             CD_DEMO_ID_NUMBER, CD_DEMO_PASSWORD);
  g_print ("certdesk-server: service notice version %s\n", cd_service_notice_get_version (notice));
  g_print ("certdesk-server: listening on http://%s:%u\n", host, cd_server_get_port (server));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);

  cd_server_stop (server);
  cd_generator_shutdown (generator);
  status = 0;

out:
  if (error != NULL)
    g_printerr ("certdesk-server: %s\n", error->message);
  if (temporary_dir != NULL)
    remove_tree (temporary_dir);
  g_free (options.listen);
  g_free (options.data_dir);
  g_free (options.public_url);
  g_free (options.notice_file);

  return status;
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  mallopt (M_TRIM_THRESHOLD, MALLOC_TRIM_THRESHOLD);

  if (argc > 1 && g_str_equal (argv[1], "import"))
    return run_import (argc, argv);

  return run_service (argc, argv);
}
