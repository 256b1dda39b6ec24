#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Fixtures for the tests that run the real certdesk-cli ($CERTDESK_CLI_BINARY) as a
 * program: one run with its exit status and output, searching files for secrets,
 * the keyring as secret-tool sees it, and a loopback proxy that can break a
 * download on purpose. */

typedef struct
{
  char   *command;   /* for messages */
  int     status;    /* the exit status; -1 when killed by a signal, -2 after the timeout */
  int     signum;    /* the signal that ended it, or 0 */
  char   *out;       /* stdout, NUL-terminated (may hold invalid UTF-8) */
  gsize   out_len;
  char   *err;       /* stderr, NUL-terminated */
  gsize   err_len;
  double  seconds;   /* how long it ran */
  guint   timeout;   /* how long it was allowed to run, in seconds */
} CdTestCli;

/* Runs `certdesk-cli [--server SERVER] ARGS…` with @stdin_text (may be NULL: an empty
 * standard input). @server NULL leaves the server to the CLI's default. */
CdTestCli      *cd_test_cli_run              (const char          *server,
                                              const char          *stdin_text,
                                              const char          *first_arg,
                                              ...) G_GNUC_NULL_TERMINATED;
CdTestCli      *cd_test_cli_runv             (const char          *server,
                                              const char          *stdin_text,
                                              const char * const  *args);
void            cd_test_cli_free             (CdTestCli           *cli);
/* How long a run may take before it is killed (and the test fails); 0 for the
 * default of 90 s. Returns the previous limit. */
guint           cd_test_cli_set_timeout      (guint                seconds);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdTestCli, cd_test_cli_free)

#define CD_TEST_CLI_LOC __FILE__, __LINE__, G_STRFUNC

/* Fails unless the run ended by itself, printed no GLib CRITICAL or WARNING and no
 * sanitizer report. */
#define cd_test_cli_assert_clean(cli) \
  cd_test_cli_assert_clean_at (CD_TEST_CLI_LOC, (cli))
/* …and with exit status @status. */
#define cd_test_cli_assert_exit(cli, status) \
  cd_test_cli_assert_exit_at (CD_TEST_CLI_LOC, (cli), (status))
/* …and @needle (case-insensitive) in stderr. */
#define cd_test_cli_assert_stderr_has(cli, needle) \
  cd_test_cli_assert_stderr_has_at (CD_TEST_CLI_LOC, (cli), (needle))

void            cd_test_cli_assert_clean_at  (const char          *file,
                                              int                  line,
                                              const char          *func,
                                              CdTestCli           *cli);
void            cd_test_cli_assert_exit_at   (const char          *file,
                                              int                  line,
                                              const char          *func,
                                              CdTestCli           *cli,
                                              int                  status);
void            cd_test_cli_assert_stderr_has_at (const char      *file,
                                                  int              line,
                                                  const char      *func,
                                                  CdTestCli       *cli,
                                                  const char      *needle);
gboolean        cd_test_cli_contains_nocase  (const char          *haystack,
                                              const char          *needle);

/* Files */

/* Every regular file under @root (symbolic links are not followed) that holds one
 * of @needles byte for byte is added to @found; returns how many files were read. */
guint           cd_test_find_in_files        (const char          *root,
                                              const char * const  *needles,
                                              GPtrArray           *found);
/* Regular files under @root, relative paths, sorted. */
GPtrArray      *cd_test_list_files           (const char          *root);
GBytes         *cd_test_read_file            (const char          *path);
void            cd_test_write_file           (const char          *path,
                                              GBytes              *bytes);

/* The keyring, through secret-tool */

/* The secret of kind @kind ("password" or "token") kept for @service, or NULL. */
char           *cd_test_keyring_lookup       (const char          *service,
                                              const char          *kind);

/* A loopback proxy in front of a server */

typedef enum
{
  CD_TEST_PROXY_PASS,            /* forwards everything unchanged */
  CD_TEST_PROXY_CUT_DOCUMENT,    /* a PDF response: headers and half the body, then the connection is cut */
  CD_TEST_PROXY_TAMPER_DOCUMENT, /* a PDF response: one byte in its signed range changed */
} CdTestProxyMode;

typedef struct _CdTestProxy CdTestProxy;

CdTestProxy    *cd_test_proxy_new            (guint16              upstream_port);
const char     *cd_test_proxy_get_url        (CdTestProxy         *proxy);
void            cd_test_proxy_set_mode       (CdTestProxy         *proxy,
                                              CdTestProxyMode      mode);
/* How many PDF responses it cut or changed so far. */
guint           cd_test_proxy_get_documents_broken (CdTestProxy  *proxy);
void            cd_test_proxy_free           (CdTestProxy         *proxy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdTestProxy, cd_test_proxy_free)

G_END_DECLS
