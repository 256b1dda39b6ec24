/* certdesk-cli as holders and scripts use it: the real binary, against the real
 * service and a real (throwaway) gnome-keyring. Run through tests/keyring-session.sh;
 * with --no-secrets, the cases of a desktop without a Secret Service run instead. */

#include "config.h"

#include "cd-test-cli.h"
#include "cd-test-service.h"

#include <errno.h>
#include <locale.h>
#include <string.h>

#include <glib/gstdio.h>

#define AQ_CERT_NO "AQ2021110105000123" /* 注册安全工程师, valid */
#define YS_CERT_NO "YS2019110105004567" /* 执业药师, valid */
#define JZ_CERT_NO "JZ2016110105007890" /* 一级建造师, revoked */
#define PASSWORD_LINE CD_TEST_DEMO_PASSWORD "\n"

/* Exit codes of certdesk-cli */
#define EXIT_OK 0
#define EXIT_FAILURE_OTHER 1
#define EXIT_USAGE 2
#define EXIT_AUTH 3
#define EXIT_NOT_FOUND 4
#define EXIT_CONFLICT 5
#define EXIT_NETWORK 6
#define EXIT_VERIFICATION 7

/* Helpers */

static void
login (const char *url)
{
  g_autoptr(CdTestCli) cli = cd_test_cli_run (url, PASSWORD_LINE, "login", "--id", CD_TEST_DEMO_ID_NUMBER,
                                              "--password-stdin", NULL);

  cd_test_cli_assert_exit (cli, EXIT_OK);
  g_assert_nonnull (strstr (cli->out, "Signed in as 李明"));
}

static void
accept_notice (const char *url)
{
  g_autoptr(CdTestCli) cli = cd_test_cli_run (url, NULL, "notice", "--accept", NULL);

  cd_test_cli_assert_exit (cli, EXIT_OK);
  g_assert_nonnull (strstr (cli->out, "You have accepted this notice."));
}

static JsonNode *
parse_json_output (CdTestCli *cli)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_data (parser, cli->out, (gssize) cli->out_len, &error))
    g_error ("`%s` printed no JSON (%s): %s", cli->command, error->message, cli->out);

  return json_parser_steal_root (parser);
}

/* `annotate CERT_NO --days N --wait`: the annotation is ready. */
static void
annotate_and_wait (const char *url,
                   const char *cert_no,
                   const char *days)
{
  g_autoptr(CdTestCli) cli = cd_test_cli_run (url, NULL, "annotate", cert_no, "--days", days, "--wait", NULL);

  cd_test_cli_assert_exit (cli, EXIT_OK);
  g_assert_nonnull (strstr (cli->out, "Valid until"));
}

/* The service's own view, through its API, for comparing with what the CLI says. */
static CdTestHolder *
demo_holder_sign_in (CdTestService *service)
{
  CdTestHolder *holder = g_new0 (CdTestHolder, 1);

  holder->id_number = g_strdup (CD_TEST_DEMO_ID_NUMBER);
  holder->password = g_strdup (CD_TEST_DEMO_PASSWORD);
  cd_test_holder_sign_in (service, holder);

  return holder;
}

/* Where -o files go: inside this test's own directories, which go away with it. */
static char *
make_out_dir (GError **error)
{
  char *path = g_build_filename (g_get_user_cache_dir (), "out-XXXXXX", NULL);

  if (g_mkdir_with_parents (g_get_user_cache_dir (), 0700) != 0 || g_mkdtemp (path) == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "Cannot make %s: %s",
                   path, g_strerror (saved_errno));
      g_free (path);
      return NULL;
    }

  return path;
}

/* The demo holder's library: named by the first 32 hex digits of the SHA-256 of the ID
 * number, as docs/client.md says. */
static char *
library_dir (void)
{
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, CD_TEST_DEMO_ID_NUMBER, -1);

  digest[32] = '\0';
  return g_build_filename (g_get_user_data_dir (), "certdesk", "library", digest, NULL);
}

/* name → contents of every file in @dir, as one comparable string. */
static char *
snapshot_dir (const char *dir)
{
  g_autoptr(GPtrArray) files = cd_test_list_files (dir);
  GString *snapshot = g_string_new (NULL);

  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, (char *) files->pdata[i], NULL);
      g_autoptr(GBytes) bytes = cd_test_read_file (path);
      g_autofree char *digest = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);

      g_string_append_printf (snapshot, "%s %" G_GSIZE_FORMAT " %s\n", (char *) files->pdata[i],
                              g_bytes_get_size (bytes), digest);
    }

  return g_string_free (snapshot, FALSE);
}

/* The first line of @text that starts with @prefix, or NULL. */
static char *
line_starting_with (const char *text,
                    const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], prefix))
        return g_strdup (lines[i]);
    }

  return NULL;
}

static gboolean
is_date (const char *text)
{
  return strlen (text) >= 10 &&
         g_ascii_isdigit (text[0]) && g_ascii_isdigit (text[1]) && g_ascii_isdigit (text[2]) &&
         g_ascii_isdigit (text[3]) && text[4] == '-' && g_ascii_isdigit (text[5]) &&
         g_ascii_isdigit (text[6]) && text[7] == '-' && g_ascii_isdigit (text[8]) &&
         g_ascii_isdigit (text[9]);
}

/* Looks for the secrets in every file of this test's HOME and XDG dirs (what the CLI
 * writes to) and of the wrapper's (what gnome-keyring writes to). */
static void
assert_secrets_in_no_file (const char * const *needles)
{
  const char *roots[] = {
    g_get_home_dir (), g_get_user_data_dir (), g_get_user_config_dir (), g_get_user_cache_dir (),
    g_get_user_runtime_dir (), g_getenv ("KEYRING_SESSION_DIR"), NULL
  };
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *control = g_build_filename (g_get_user_data_dir (), "control.txt", NULL);
  g_autoptr(GError) error = NULL;
  guint n_files = 0;

  for (guint i = 0; roots[i] != NULL; i++)
    n_files += cd_test_find_in_files (roots[i], needles, found);
  g_test_message ("looked for secrets in %u files", n_files);
  for (guint i = 0; i < found->len; i++)
    g_test_message ("found in %s", (char *) found->pdata[i]);
  g_assert_cmpuint (n_files, >, 0);
  g_assert_cmpuint (found->len, ==, 0);

  /* The search does find a secret that is there. */
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  g_file_set_contents (control, needles[0], -1, &error);
  g_assert_no_error (error);
  cd_test_find_in_files (g_get_user_data_dir (), needles, found);
  g_assert_cmpuint (found->len, ==, 1);
  g_unlink (control);
}

/* Tests */

static void
test_flow (void)
{
  g_autoptr(CdTestService) service = cd_test_service_start ("--demo", "--processing-seconds", "1", NULL);
  g_autofree char *url = g_strdup (service->base_url);
  g_autoptr(CdTestHolder) holder = NULL;
  g_autoptr(CdTestCli) cli = NULL;
  g_autoptr(CdTestResponse) api_list = NULL;
  g_autoptr(JsonNode) cli_list = NULL;
  g_autoptr(GBytes) document = NULL;
  g_autoptr(GBytes) api_document = NULL;
  g_autoptr(GBytes) library_document = NULL;
  g_autoptr(GBytes) tampered = NULL;
  g_autoptr(JsonNode) verify_json = NULL;
  g_autoptr(JsonNode) status_json = NULL;
  g_autoptr(JsonNode) library_json = NULL;
  g_autoptr(GPtrArray) library_files = NULL;
  g_autofree char *password = NULL;
  g_autofree char *token = NULL;
  g_autofree char *line = NULL;
  g_autofree char *out_dir = NULL;
  g_autofree char *out_path = NULL;
  g_autofree char *tampered_path = NULL;
  g_autofree char *library = library_dir ();
  g_autofree char *library_pdf = NULL;
  g_autofree char *report = NULL;
  g_autofree char *annotations_path = NULL;
  g_autoptr(CdTestResponse) api_annotations = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *api_certificates;
  JsonArray *cli_certificates;
  JsonObject *annotation;
  const char *aq_id = NULL;
  const char *needles[3] = { CD_TEST_DEMO_PASSWORD, NULL, NULL };

  /* Signing in remembers the password in the keyring, and in no file. */
  login (url);
  password = cd_test_keyring_lookup (url, "password");
  g_assert_cmpstr (password, ==, CD_TEST_DEMO_PASSWORD);
  token = cd_test_keyring_lookup (url, "token");
  g_assert_nonnull (token);
  g_assert_cmpuint (strlen (token), ==, 43);
  needles[1] = token;
  assert_secrets_in_no_file (needles);

  /* Until the notice is accepted, the certificates stay closed. */
  cli = cd_test_cli_run (url, NULL, "list", NULL);
  cd_test_cli_assert_exit (cli, EXIT_AUTH);
  cd_test_cli_assert_stderr_has (cli, "notice");
  g_clear_pointer (&cli, cd_test_cli_free);
  accept_notice (url);

  /* The table */
  cli = cd_test_cli_run (url, NULL, "list", NULL);
  cd_test_cli_assert_exit (cli, EXIT_OK);
  g_assert_nonnull (strstr (cli->out, "Certificate No."));
  line = line_starting_with (cli->out, AQ_CERT_NO);
  g_assert_nonnull (line);
  g_assert_nonnull (strstr (line, "注册安全工程师"));
  g_assert_nonnull (strstr (line, "Valid"));
  g_assert_nonnull (strstr (line, "Not annotated"));
  g_clear_pointer (&line, g_free);
  line = line_starting_with (cli->out, JZ_CERT_NO);
  g_assert_nonnull (line);
  g_assert_nonnull (strstr (line, "Revoked"));
  g_clear_pointer (&line, g_free);
  line = line_starting_with (cli->out, YS_CERT_NO);
  g_assert_nonnull (line);
  g_clear_pointer (&line, g_free);
  g_clear_pointer (&cli, cd_test_cli_free);

  /* --json: the API's own objects and names, as the service gives them. */
  cli = cd_test_cli_run (url, NULL, "--json", "list", NULL);
  cd_test_cli_assert_exit (cli, EXIT_OK);
  cli_list = parse_json_output (cli);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (cli_list));
  g_assert_cmpuint (json_object_get_size (json_node_get_object (cli_list)), ==, 1);
  cli_certificates = cd_test_json_array (json_node_get_object (cli_list), "certificates");

  holder = demo_holder_sign_in (service);
  api_list = cd_test_service_request (service, "GET", "/certificates", holder->token, NULL);
  api_certificates = cd_test_json_array (cd_test_assert_json (api_list, 200), "certificates");
  g_assert_cmpuint (json_array_get_length (cli_certificates), ==, 3);
  g_assert_cmpuint (json_array_get_length (cli_certificates), ==, json_array_get_length (api_certificates));
  for (guint i = 0; i < json_array_get_length (api_certificates); i++)
    {
      JsonNode *api_node = json_array_get_element (api_certificates, i);
      JsonNode *cli_node = json_array_get_element (cli_certificates, i);

      if (!json_node_equal (api_node, cli_node))
        {
          g_autofree char *api_text = json_to_string (api_node, TRUE);
          g_autofree char *cli_text = json_to_string (cli_node, TRUE);

          g_error ("certificate %u differs:\nAPI: %s\nCLI: %s", i, api_text, cli_text);
        }
      if (g_strcmp0 (cd_test_json_string (json_node_get_object (api_node), "cert_no"), AQ_CERT_NO) == 0)
        aq_id = cd_test_json_string (json_node_get_object (api_node), "id");
    }
  g_assert_nonnull (aq_id);
  g_clear_pointer (&cli, cd_test_cli_free);

  /* info */
  cli = cd_test_cli_run (url, NULL, "info", AQ_CERT_NO, NULL);
  cd_test_cli_assert_exit (cli, EXIT_OK);
  g_assert_nonnull (strstr (cli->out, "Certificate No.: " AQ_CERT_NO "\n"));
  g_assert_nonnull (strstr (cli->out, "注册安全工程师"));
  g_assert_nonnull (strstr (cli->out, "化工安全"));
  g_assert_nonnull (strstr (cli->out, "1101**********1239"));
  g_assert_nonnull (strstr (cli->out, "中华人民共和国应急管理部"));
  g_assert_null (strstr (cli->out, CD_TEST_DEMO_ID_NUMBER));
  g_clear_pointer (&cli, cd_test_cli_free);

  /* annotate --days 30 --wait: the service has it ready, for 30 days. */
  annotate_and_wait (url, AQ_CERT_NO, "30");
  annotations_path = g_strdup_printf ("/certificates/%s/annotations", aq_id);
  api_annotations = cd_test_service_request (service, "GET", annotations_path, holder->token, NULL);
  g_assert_cmpuint (json_array_get_length (cd_test_json_array (cd_test_assert_json (api_annotations, 200),
                                                               "annotations")), ==, 1);
  annotation = json_array_get_object_element (cd_test_json_array (cd_test_assert_json (api_annotations, 200),
                                                                  "annotations"), 0);
  g_assert_cmpstr (cd_test_json_string (annotation, "state"), ==, "ready");
  g_assert_cmpint (cd_test_json_int (annotation, "validity_days"), ==, 30);

  /* status */
  cli = cd_test_cli_run (url, NULL, "status", AQ_CERT_NO, NULL);
  cd_test_cli_assert_exit (cli, EXIT_OK);
  g_assert_nonnull (strstr (cli->out, "1 of 3 annotations used in the last 90 days"));
  line = line_starting_with (cli->out, cd_test_json_string (annotation, "annotation_no"));
  g_assert_nonnull (line);
  g_assert_nonnull (strstr (line, " 30 "));
  g_assert_nonnull (strstr (line, "Valid until"));
  g_clear_pointer (&line, g_free);
  g_clear_pointer (&cli, cd_test_cli_free);

  /* status --json: the annotations and the quota as the API has them. */
  cli = cd_test_cli_run (url, NULL, "--json", "status", AQ_CERT_NO, NULL);
  cd_test_cli_assert_exit (cli, EXIT_OK);
  status_json = parse_json_output (cli);
  if (!json_node_equal (status_json, api_annotations->json))
    {
      g_autofree char *cli_text = json_to_string (status_json, TRUE);

      g_error ("status --json differs from the API:\nAPI: %s\nCLI: %s", api_annotations->text, cli_text);
    }
  g_clear_pointer (&cli, cd_test_cli_free);

  /* download -o: the signed PDF, the same as the service's and the library's copy. */
  out_dir = make_out_dir (&error);
  g_assert_no_error (error);
  out_path = g_build_filename (out_dir, "certificate.pdf", NULL);
  cli = cd_test_cli_run (url, NULL, "download", AQ_CERT_NO, "-o", out_path, NULL);
  cd_test_cli_assert_exit (cli, EXIT_OK);
  g_assert_nonnull (strstr (cli->out, out_path));
  g_clear_pointer (&cli, cd_test_cli_free);

  document = cd_test_read_file (out_path);
  g_assert_cmpuint (g_bytes_get_size (document), >, 1000);
  g_assert_true (memcmp (g_bytes_get_data (document, NULL), "%PDF-", 5) == 0);
  if (!cd_test_pdf_signature_valid (document, &report))
    g_error ("pdfsig does not find the downloaded signature valid:\n%s", report);
  api_document = cd_test_service_download (service, holder->token, cd_test_json_string (annotation, "id"), NULL);
  g_assert_true (g_bytes_equal (document, api_document));

  library_files = cd_test_list_files (library);
  g_assert_cmpuint (library_files->len, ==, 2);
  /* Sorted: "AQ…-ANNOTATION.pdf" comes before "AQ….json". */
  g_assert_true (g_str_has_prefix (library_files->pdata[0], AQ_CERT_NO "-"));
  g_assert_true (g_str_has_suffix (library_files->pdata[0], ".pdf"));
  g_assert_cmpstr (library_files->pdata[1], ==, AQ_CERT_NO ".json");
  library_pdf = g_build_filename (library, (char *) library_files->pdata[0], NULL);
  library_document = cd_test_read_file (library_pdf);
  g_assert_true (g_bytes_equal (document, library_document));

  /* verify: intact → 0; one byte changed in the signed range → 7. */
  cli = cd_test_cli_run (url, NULL, "verify", out_path, NULL);
  cd_test_cli_assert_exit (cli, EXIT_OK);
  g_assert_nonnull (strstr (cli->out, "the signature is valid"));
  g_clear_pointer (&cli, cd_test_cli_free);

  tampered = cd_test_pdf_tamper (document);
  tampered_path = g_build_filename (out_dir, "tampered.pdf", NULL);
  cd_test_write_file (tampered_path, tampered);
  cli = cd_test_cli_run (url, NULL, "verify", tampered_path, NULL);
  cd_test_cli_assert_exit (cli, EXIT_VERIFICATION);
  g_assert_true (cd_test_cli_contains_nocase (cli->out, "changed") ||
                 cd_test_cli_contains_nocase (cli->err, "changed") ||
                 cd_test_cli_contains_nocase (cli->out, "tampered"));
  g_clear_pointer (&cli, cd_test_cli_free);

  cli = cd_test_cli_run (url, NULL, "--json", "verify", tampered_path, NULL);
  cd_test_cli_assert_exit (cli, EXIT_VERIFICATION);
  verify_json = parse_json_output (cli);
  g_assert_cmpstr (cd_test_json_string (json_node_get_object (verify_json), "status"), ==, "tampered");
  g_clear_pointer (&cli, cd_test_cli_free);

  /* With the service gone, the library still has the document… */
  cd_test_service_kill (service);

  cli = cd_test_cli_run (url, NULL, "library", NULL);
  cd_test_cli_assert_exit (cli, EXIT_OK);
  line = line_starting_with (cli->out, AQ_CERT_NO);
  g_assert_nonnull (line);
  g_assert_nonnull (strstr (line, library_pdf));
  g_assert_nonnull (strstr (line, "Valid until"));
  g_clear_pointer (&line, g_free);
  g_clear_pointer (&cli, cd_test_cli_free);

  cli = cd_test_cli_run (url, NULL, "--json", "library", NULL);
  cd_test_cli_assert_exit (cli, EXIT_OK);
  library_json = parse_json_output (cli);
  g_assert_cmpuint (json_array_get_length (cd_test_json_array (json_node_get_object (library_json), "library")),
                    ==, 1);
  g_clear_pointer (&cli, cd_test_cli_free);

  /* …and what needs it fails as a network problem. */
  cli = cd_test_cli_run (url, NULL, "list", NULL);
  cd_test_cli_assert_exit (cli, EXIT_NETWORK);
  cd_test_cli_assert_stderr_has (cli, "cannot be reached");
  g_assert_cmpuint (cli->out_len, ==, 0);
  g_clear_pointer (&cli, cd_test_cli_free);

  g_unlink (tampered_path);
  g_unlink (out_path);
  g_rmdir (out_dir);
}

/* An expired token: the next command signs in again with the remembered password and
 * keeps the new token, so the one after needs no sign-in. */
static void
test_reauthenticate (void)
{
  g_autoptr(CdTestService) service = cd_test_service_start ("--demo", "--session-seconds", "2",
                                                            "--processing-seconds", "0", NULL);
  const char *url = service->base_url;
  g_autoptr(CdTestCli) cli = NULL;
  g_autofree char *first_token = NULL;
  g_autofree char *second_token = NULL;
  g_autofree char *third_token = NULL;
  gint64 second_done;
  gboolean in_time;

  login (url);
  accept_notice (url);
  first_token = cd_test_keyring_lookup (url, "token");
  g_assert_nonnull (first_token);

  g_usleep (3 * G_USEC_PER_SEC);

  cli = cd_test_cli_run (url, NULL, "--verbose", "list", NULL);
  cd_test_cli_assert_exit (cli, EXIT_OK);
  g_assert_nonnull (strstr (cli->out, AQ_CERT_NO));
  g_assert_nonnull (strstr (cli->out, JZ_CERT_NO));
  g_assert_true (strstr (cli->out, "signing in again from the keyring") != NULL ||
                 strstr (cli->err, "signing in again from the keyring") != NULL);
  second_done = g_get_monotonic_time ();
  g_clear_pointer (&cli, cd_test_cli_free);

  /* The fresh token is kept for the next command. */
  second_token = cd_test_keyring_lookup (url, "token");
  g_assert_nonnull (second_token);
  g_assert_cmpstr (second_token, !=, first_token);

  cli = cd_test_cli_run (url, NULL, "--verbose", "list", NULL);
  in_time = g_get_monotonic_time () - second_done < 1500 * G_TIME_SPAN_MILLISECOND;
  cd_test_cli_assert_exit (cli, EXIT_OK);
  g_assert_nonnull (strstr (cli->out, AQ_CERT_NO));
  third_token = cd_test_keyring_lookup (url, "token");
  if (in_time)
    {
      /* Within the new token's 2 s, it is used as it is. */
      g_assert_null (strstr (cli->out, "signing in again from the keyring"));
      g_assert_null (strstr (cli->err, "signing in again from the keyring"));
      g_assert_cmpstr (third_token, ==, second_token);
    }
  else
    {
      g_test_message ("the second list came too late to tell whether it reused the token");
    }
}

/* Three annotations in the window; the fourth is refused with the date a slot frees. */
static void
test_quota (void)
{
  g_autoptr(CdTestService) service = cd_test_service_start ("--demo", "--processing-seconds", "0", NULL);
  const char *url = service->base_url;
  g_autoptr(CdTestCli) cli = NULL;
  g_autoptr(CdTestHolder) holder = NULL;
  g_autoptr(CdTestResponse) before = NULL;
  g_autoptr(CdTestResponse) after = NULL;
  g_autofree char *next_slot_date = NULL;
  g_autofree char *annotations_path = NULL;
  g_autofree char *certificate_id = NULL;

  login (url);
  accept_notice (url);

  for (int i = 1; i <= 3; i++)
    {
      g_autoptr(JsonNode) root = NULL;
      JsonObject *quota;

      cli = cd_test_cli_run (url, NULL, "--json", "annotate", AQ_CERT_NO, "--days", "7", NULL);
      cd_test_cli_assert_exit (cli, EXIT_OK);
      root = parse_json_output (cli);
      quota = cd_test_json_object (json_node_get_object (root), "quota");
      g_assert_cmpint (cd_test_json_int (quota, "used"), ==, i);
      g_assert_cmpint (cd_test_json_int (quota, "limit"), ==, 3);
      g_assert_cmpint (cd_test_json_int (cd_test_json_object (json_node_get_object (root), "annotation"),
                                         "validity_days"), ==, 7);
      if (i == 1)
        {
          const char *next_slot_at = cd_test_json_string (quota, "next_slot_at");

          /* TZ=UTC: the local date is the UTC one. */
          g_assert_true (is_date (next_slot_at));
          next_slot_date = g_strndup (next_slot_at, 10);
        }
      g_clear_pointer (&cli, cd_test_cli_free);
    }

  holder = demo_holder_sign_in (service);
  certificate_id = cd_test_service_find_certificate (service, holder, AQ_CERT_NO);
  annotations_path = g_strdup_printf ("/certificates/%s/annotations", certificate_id);
  before = cd_test_service_request (service, "GET", annotations_path, holder->token, NULL);

  cli = cd_test_cli_run (url, NULL, "annotate", AQ_CERT_NO, "--days", "7", NULL);
  cd_test_cli_assert_exit (cli, EXIT_CONFLICT);
  g_test_message ("the quota message: %s", cli->err);
  cd_test_cli_assert_stderr_has (cli, next_slot_date);
  g_assert_cmpuint (cli->out_len, ==, 0);

  /* Refused, so nothing changed. */
  after = cd_test_service_request (service, "GET", annotations_path, holder->token, NULL);
  g_assert_cmpuint (json_array_get_length (cd_test_json_array (cd_test_assert_json (after, 200), "annotations")),
                    ==, 3);
  g_assert_cmpstr (before->text, ==, after->text);
}

static void
test_errors (void)
{
  g_autoptr(CdTestService) service = cd_test_service_start ("--demo", "--processing-seconds", "0", NULL);
  const char *url = service->base_url;
  g_autoptr(CdTestCli) cli = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autofree char *text_path = NULL;
  g_autofree char *missing_path = NULL;

  /* Not signed in to this service */
  cli = cd_test_cli_run (url, NULL, "list", NULL);
  cd_test_cli_assert_exit (cli, EXIT_AUTH);
  cd_test_cli_assert_stderr_has (cli, "Not signed in");
  cd_test_cli_assert_stderr_has (cli, "login");
  g_clear_pointer (&cli, cd_test_cli_free);

  /* A wrong password: refused, and not remembered. */
  cli = cd_test_cli_run (url, "not-the-password\n", "login", "--id", CD_TEST_DEMO_ID_NUMBER,
                         "--password-stdin", NULL);
  cd_test_cli_assert_exit (cli, EXIT_AUTH);
  cd_test_cli_assert_stderr_has (cli, "password is wrong");
  password = cd_test_keyring_lookup (url, "password");
  g_assert_null (password);
  g_clear_pointer (&cli, cd_test_cli_free);

  /* An ID number nobody registered: the same answer. */
  cli = cd_test_cli_run (url, PASSWORD_LINE, "login", "--id", "11010519491231002X", "--password-stdin", NULL);
  cd_test_cli_assert_exit (cli, EXIT_AUTH);
  g_clear_pointer (&cli, cd_test_cli_free);

  login (url);
  accept_notice (url);

  /* A revoked certificate gets no annotation. */
  cli = cd_test_cli_run (url, NULL, "annotate", JZ_CERT_NO, NULL);
  cd_test_cli_assert_exit (cli, EXIT_CONFLICT);
  cd_test_cli_assert_stderr_has (cli, "revoked");
  g_clear_pointer (&cli, cd_test_cli_free);

  /* Certificate numbers that are not the holder's */
  cli = cd_test_cli_run (url, NULL, "annotate", "AQ0000000000000000", NULL);
  cd_test_cli_assert_exit (cli, EXIT_NOT_FOUND);
  cd_test_cli_assert_stderr_has (cli, "AQ0000000000000000");
  g_clear_pointer (&cli, cd_test_cli_free);

  cli = cd_test_cli_run (url, NULL, "info", "XX", NULL);
  cd_test_cli_assert_exit (cli, EXIT_NOT_FOUND);
  g_clear_pointer (&cli, cd_test_cli_free);

  cli = cd_test_cli_run (url, NULL, "status", "XX", NULL);
  cd_test_cli_assert_exit (cli, EXIT_NOT_FOUND);
  g_clear_pointer (&cli, cd_test_cli_free);

  cli = cd_test_cli_run (url, NULL, "download", "XX", NULL);
  cd_test_cli_assert_exit (cli, EXIT_NOT_FOUND);
  g_clear_pointer (&cli, cd_test_cli_free);

  /* Nothing to download yet */
  cli = cd_test_cli_run (url, NULL, "download", YS_CERT_NO, NULL);
  cd_test_cli_assert_exit (cli, EXIT_CONFLICT);
  cd_test_cli_assert_stderr_has (cli, "no annotation");
  g_clear_pointer (&cli, cd_test_cli_free);

  /* A file that is no PDF, and one that is not there */
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  text_path = g_build_filename (g_get_user_data_dir (), "not-a.pdf", NULL);
  g_file_set_contents (text_path, "just some text\n", -1, &error);
  g_assert_no_error (error);
  cli = cd_test_cli_run (url, NULL, "verify", text_path, NULL);
  cd_test_cli_assert_exit (cli, EXIT_VERIFICATION);
  cd_test_cli_assert_stderr_has (cli, "not a PDF");
  g_clear_pointer (&cli, cd_test_cli_free);

  missing_path = g_build_filename (g_get_user_data_dir (), "missing.pdf", NULL);
  cli = cd_test_cli_run (url, NULL, "verify", missing_path, NULL);
  cd_test_cli_assert_exit (cli, EXIT_VERIFICATION);
  cd_test_cli_assert_stderr_has (cli, "missing.pdf");
}

static void
test_usage (void)
{
  g_autoptr(CdTestService) service = cd_test_service_start ("--demo", "--processing-seconds", "0", NULL);
  const char *url = service->base_url;
  g_autofree char *password = NULL;
  static const char * const bad[][8] = {
    { NULL },
    { "--bogus", "list", NULL },
    { "frobnicate", NULL },
    { "list", "extra", NULL },
    { "info", NULL },
    { "annotate", NULL },
    { "annotate", AQ_CERT_NO, "--days", "0", NULL },
    { "annotate", AQ_CERT_NO, "--days", "91", NULL },
    { "annotate", AQ_CERT_NO, "--days", "many", NULL },
    { "annotate", AQ_CERT_NO, "--frobnicate", NULL },
    { "login", NULL },
    { "login", "--password-stdin", NULL },
    { "verify", NULL },
    { "download", NULL },
    { "logout", "now", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(CdTestCli) cli = cd_test_cli_runv (url, PASSWORD_LINE, bad[i]);

      cd_test_cli_assert_exit (cli, EXIT_USAGE);
      g_assert_cmpuint (cli->err_len + cli->out_len, >, 0);
    }

  /* A password is never taken from the command line, in any spelling. */
  {
    static const char * const password_args[][8] = {
      { "login", "--id", CD_TEST_DEMO_ID_NUMBER, "--password", CD_TEST_DEMO_PASSWORD, NULL },
      { "login", "--id", CD_TEST_DEMO_ID_NUMBER, "--password=" CD_TEST_DEMO_PASSWORD, NULL },
      { "login", "--id", CD_TEST_DEMO_ID_NUMBER, "-p", CD_TEST_DEMO_PASSWORD, NULL },
      { "login", "--id", CD_TEST_DEMO_ID_NUMBER, CD_TEST_DEMO_PASSWORD, NULL },
      { "login", "--id", CD_TEST_DEMO_ID_NUMBER, "--password-stdin", CD_TEST_DEMO_PASSWORD, NULL },
    };

    for (guint i = 0; i < G_N_ELEMENTS (password_args); i++)
      {
        /* Nothing on standard input: only the argument could sign in. */
        g_autoptr(CdTestCli) cli = cd_test_cli_runv (url, NULL, password_args[i]);

        cd_test_cli_assert_exit (cli, EXIT_USAGE);
        g_assert_null (strstr (cli->out, "Signed in"));
      }
    password = cd_test_keyring_lookup (url, "password");
    g_assert_null (password);
  }

  /* No terminal and no --password-stdin; an empty standard input */
  {
    g_autoptr(CdTestCli) no_tty = cd_test_cli_run (url, PASSWORD_LINE, "login", "--id", CD_TEST_DEMO_ID_NUMBER,
                                                   NULL);
    g_autoptr(CdTestCli) empty = cd_test_cli_run (url, "", "login", "--id", CD_TEST_DEMO_ID_NUMBER,
                                                  "--password-stdin", NULL);

    cd_test_cli_assert_exit (no_tty, EXIT_USAGE);
    cd_test_cli_assert_stderr_has (no_tty, "--password-stdin");
    cd_test_cli_assert_exit (empty, EXIT_USAGE);
    cd_test_cli_assert_stderr_has (empty, "No password");
  }

  /* Addresses that are not a service, or not encrypted to another computer */
  {
    g_autoptr(CdTestCli) ftp = cd_test_cli_run ("ftp://127.0.0.1/", NULL, "list", NULL);
    g_autoptr(CdTestCli) plain = cd_test_cli_run ("http://certs.example.cn", NULL, "list", NULL);

    cd_test_cli_assert_exit (ftp, EXIT_USAGE);
    cd_test_cli_assert_exit (plain, EXIT_USAGE);
    cd_test_cli_assert_stderr_has (plain, "https://");
  }
}

/* A download cut off halfway leaves no file at -o, and the library as it was. */
static void
test_cut_download (void)
{
  g_autoptr(CdTestService) service = cd_test_service_start ("--demo", "--processing-seconds", "0", NULL);
  g_autoptr(CdTestProxy) proxy = cd_test_proxy_new (service->port);
  const char *url = cd_test_proxy_get_url (proxy);
  g_autoptr(CdTestCli) cli = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *library = library_dir ();
  g_autofree char *out_dir = make_out_dir (&error);
  g_autofree char *first_path = g_build_filename (out_dir, "first.pdf", NULL);
  g_autofree char *second_path = g_build_filename (out_dir, "second.pdf", NULL);
  g_autofree char *library_before = NULL;
  g_autofree char *library_after = NULL;
  g_autofree char *library_line = NULL;
  g_autofree char *library_after_success = NULL;
  g_autoptr(GPtrArray) out_files = NULL;
  g_autoptr(GPtrArray) library_files = NULL;
  int status;

  g_assert_no_error (error);
  login (url);
  accept_notice (url);

  annotate_and_wait (url, AQ_CERT_NO, "10");
  cli = cd_test_cli_run (url, NULL, "download", AQ_CERT_NO, "-o", first_path, NULL);
  cd_test_cli_assert_exit (cli, EXIT_OK);
  g_clear_pointer (&cli, cd_test_cli_free);
  library_before = snapshot_dir (library);
  g_test_message ("library before:\n%s", library_before);

  cli = cd_test_cli_run (url, NULL, "library", NULL);
  cd_test_cli_assert_exit (cli, EXIT_OK);
  library_line = line_starting_with (cli->out, AQ_CERT_NO);
  g_assert_nonnull (library_line);
  g_clear_pointer (&cli, cd_test_cli_free);

  /* A second annotation, whose document never arrives whole. */
  annotate_and_wait (url, AQ_CERT_NO, "20");
  cd_test_proxy_set_mode (proxy, CD_TEST_PROXY_CUT_DOCUMENT);
  /* Three attempts, 1.5 s of back-off: a minute means it hangs. */
  cd_test_cli_set_timeout (30);
  cli = cd_test_cli_run (url, NULL, "download", AQ_CERT_NO, "-o", second_path, NULL);
  cd_test_cli_set_timeout (0);
  cd_test_cli_assert_clean (cli);
  status = cli->status;
  if (status != EXIT_NETWORK && status != EXIT_FAILURE_OTHER)
    g_error ("a cut download exited with %d; stderr: %s", status, cli->err);
  g_assert_cmpuint (cli->err_len, >, 0);
  g_assert_cmpuint (cd_test_proxy_get_documents_broken (proxy), >=, 1);
  g_clear_pointer (&cli, cd_test_cli_free);

  /* No partial file, no temporary file; the library untouched. */
  g_assert_false (g_file_test (second_path, G_FILE_TEST_EXISTS));
  out_files = cd_test_list_files (out_dir);
  g_assert_cmpuint (out_files->len, ==, 1);
  g_assert_cmpstr (out_files->pdata[0], ==, "first.pdf");
  library_after = snapshot_dir (library);
  g_assert_cmpstr (library_after, ==, library_before);

  cli = cd_test_cli_run (url, NULL, "library", NULL);
  cd_test_cli_assert_exit (cli, EXIT_OK);
  g_assert_nonnull (strstr (cli->out, library_line));
  g_clear_pointer (&cli, cd_test_cli_free);

  /* Once the connection holds, the new document replaces the old one. */
  cd_test_proxy_set_mode (proxy, CD_TEST_PROXY_PASS);
  cli = cd_test_cli_run (url, NULL, "download", AQ_CERT_NO, "-o", second_path, NULL);
  cd_test_cli_assert_exit (cli, EXIT_OK);
  g_clear_pointer (&cli, cd_test_cli_free);
  g_assert_true (g_file_test (second_path, G_FILE_TEST_IS_REGULAR));
  library_files = cd_test_list_files (library);
  g_assert_cmpuint (library_files->len, ==, 2);
  library_after_success = snapshot_dir (library);
  g_assert_cmpstr (library_after_success, !=, library_before);

  g_unlink (first_path);
  g_unlink (second_path);
  g_rmdir (out_dir);
}

/* Downloading the same annotation again, and getting a damaged copy, must not cost
 * the good copy in the library ("until then the old copy is untouched"). */
static void
test_damaged_redownload (void)
{
  g_autoptr(CdTestService) service = cd_test_service_start ("--demo", "--processing-seconds", "0", NULL);
  g_autoptr(CdTestProxy) proxy = cd_test_proxy_new (service->port);
  const char *url = cd_test_proxy_get_url (proxy);
  g_autoptr(CdTestCli) cli = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *library = library_dir ();
  g_autofree char *out_dir = make_out_dir (&error);
  g_autofree char *first_path = g_build_filename (out_dir, "first.pdf", NULL);
  g_autofree char *again_path = g_build_filename (out_dir, "again.pdf", NULL);
  g_autofree char *library_before = NULL;
  g_autofree char *library_after = NULL;

  g_assert_no_error (error);
  login (url);
  accept_notice (url);
  annotate_and_wait (url, AQ_CERT_NO, "10");

  cli = cd_test_cli_run (url, NULL, "download", AQ_CERT_NO, "-o", first_path, NULL);
  cd_test_cli_assert_exit (cli, EXIT_OK);
  g_clear_pointer (&cli, cd_test_cli_free);
  library_before = snapshot_dir (library);

  cd_test_proxy_set_mode (proxy, CD_TEST_PROXY_TAMPER_DOCUMENT);
  cli = cd_test_cli_run (url, NULL, "download", AQ_CERT_NO, "-o", again_path, NULL);
  cd_test_cli_assert_exit (cli, EXIT_VERIFICATION);
  cd_test_cli_assert_stderr_has (cli, "not kept");
  g_assert_cmpuint (cd_test_proxy_get_documents_broken (proxy), ==, 1);
  g_clear_pointer (&cli, cd_test_cli_free);

  g_assert_false (g_file_test (again_path, G_FILE_TEST_EXISTS));
  library_after = snapshot_dir (library);
  g_test_message ("library before:\n%safter:\n%s", library_before, library_after);
  g_assert_cmpstr (library_after, ==, library_before);

  g_unlink (first_path);
  g_rmdir (out_dir);
}

static void
test_logout (void)
{
  g_autoptr(CdTestService) service = cd_test_service_start ("--demo", "--processing-seconds", "0", NULL);
  const char *url = service->base_url;
  g_autoptr(CdTestCli) cli = NULL;
  g_autofree char *old_token = NULL;
  g_autofree char *token = NULL;
  g_autofree char *password = NULL;
  g_autoptr(CdTestResponse) holder = NULL;

  login (url);
  accept_notice (url);
  old_token = cd_test_keyring_lookup (url, "token");
  g_assert_nonnull (old_token);

  /* logout: the session ends on the service and in the keyring; the password stays. */
  cli = cd_test_cli_run (url, NULL, "logout", NULL);
  cd_test_cli_assert_exit (cli, EXIT_OK);
  g_assert_nonnull (strstr (cli->out, "Signed out."));
  g_clear_pointer (&cli, cd_test_cli_free);
  token = cd_test_keyring_lookup (url, "token");
  g_assert_null (token);
  password = cd_test_keyring_lookup (url, "password");
  g_assert_cmpstr (password, ==, CD_TEST_DEMO_PASSWORD);
  g_clear_pointer (&password, g_free);
  holder = cd_test_service_request (service, "GET", "/holder", old_token, NULL);
  cd_test_assert_error (holder, 401, "unauthorized");

  /* The remembered password signs the next command in again. */
  cli = cd_test_cli_run (url, NULL, "list", NULL);
  cd_test_cli_assert_exit (cli, EXIT_OK);
  g_assert_nonnull (strstr (cli->out, AQ_CERT_NO));
  g_clear_pointer (&cli, cd_test_cli_free);

  /* logout --forget: nothing of the holder is left in the keyring. */
  cli = cd_test_cli_run (url, NULL, "logout", "--forget", NULL);
  cd_test_cli_assert_exit (cli, EXIT_OK);
  g_assert_nonnull (strstr (cli->out, "forgotten"));
  g_clear_pointer (&cli, cd_test_cli_free);
  password = cd_test_keyring_lookup (url, "password");
  g_assert_null (password);
  g_clear_pointer (&token, g_free);
  token = cd_test_keyring_lookup (url, "token");
  g_assert_null (token);

  cli = cd_test_cli_run (url, NULL, "list", NULL);
  cd_test_cli_assert_exit (cli, EXIT_AUTH);
  cd_test_cli_assert_stderr_has (cli, "Not signed in");
  g_clear_pointer (&cli, cd_test_cli_free);

  cli = cd_test_cli_run (url, NULL, "logout", NULL);
  cd_test_cli_assert_exit (cli, EXIT_AUTH);
}

/* --verbose is for people; --json is for programs, and stays parseable with it. */
static void
test_json_verbose (void)
{
  g_autoptr(CdTestService) service = cd_test_service_start ("--demo", "--processing-seconds", "0", NULL);
  const char *url = service->base_url;
  g_autoptr(CdTestCli) cli = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;

  login (url);
  accept_notice (url);

  cli = cd_test_cli_run (url, NULL, "--json", "--verbose", "list", NULL);
  cd_test_cli_assert_exit (cli, EXIT_OK);
  /* The debug messages are there… */
  g_assert_true (strstr (cli->out, "GET /certificates") != NULL || strstr (cli->err, "GET /certificates") != NULL);
  /* …but not in the JSON. */
  json_parser_load_from_data (parser, cli->out, (gssize) cli->out_len, &error);
  if (error != NULL)
    g_test_message ("stdout of --json --verbose is not JSON (%s):\n%.2000s", error->message, cli->out);
  g_assert_no_error (error);
}

/* No Secret Service */

static void
test_no_keyring_remember (void)
{
  g_autoptr(CdTestService) service = cd_test_service_start ("--demo", "--processing-seconds", "0", NULL);
  g_autoptr(CdTestCli) cli = cd_test_cli_run (service->base_url, PASSWORD_LINE, "login", "--id",
                                              CD_TEST_DEMO_ID_NUMBER, "--password-stdin", NULL);
  const char *needles[] = { CD_TEST_DEMO_PASSWORD, NULL };

  cd_test_cli_assert_exit (cli, EXIT_AUTH);
  cd_test_cli_assert_stderr_has (cli, "keyring");
  cd_test_cli_assert_stderr_has (cli, "not remembered");
  cd_test_cli_assert_stderr_has (cli, "--no-remember");
  assert_secrets_in_no_file (needles);
}

static void
test_no_keyring_no_remember (void)
{
  g_autoptr(CdTestService) service = cd_test_service_start ("--demo", "--processing-seconds", "0", NULL);
  const char *url = service->base_url;
  g_autoptr(CdTestCli) cli = cd_test_cli_run (url, PASSWORD_LINE, "login", "--id", CD_TEST_DEMO_ID_NUMBER,
                                              "--password-stdin", "--no-remember", NULL);
  const char *needles[] = { CD_TEST_DEMO_PASSWORD, NULL };

  cd_test_cli_assert_exit (cli, EXIT_OK);
  g_assert_nonnull (strstr (cli->out, "Signed in as 李明"));
  assert_secrets_in_no_file (needles);
  g_clear_pointer (&cli, cd_test_cli_free);

  /* Nothing was kept, so the next command is not signed in, and says why. */
  cli = cd_test_cli_run (url, NULL, "list", NULL);
  cd_test_cli_assert_exit (cli, EXIT_AUTH);
  g_assert_cmpuint (cli->err_len, >, 0);
}

/* Each case runs in a subprocess of its own, so that one that fails (an assertion
 * aborts) does not keep the others from running. */
static void
run_isolated (gconstpointer data)
{
  GTestFunc func = (GTestFunc) data;

  if (g_test_subprocess ())
    {
      func ();
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
add_test (const char *path,
          GTestFunc   func)
{
  g_test_add_data_func (path, (gconstpointer) func, run_isolated);
}

static void
test_skip (void)
{
  g_test_skip ("Run through tests/keyring-session.sh: it needs a throwaway keyring");
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
  setlocale (LC_ALL, "");
  use_session_tmpdir ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* The parent only checks how each case's subprocess ended: a failed one must not
   * stop the others. */
  if (!g_test_subprocess ())
    g_test_set_nonfatal_assertions ();

  if (g_getenv ("KEYRING_SESSION_DIR") == NULL)
    {
      g_test_add_func ("/certdesk/cli/needs-session", test_skip);
    }
  else if (g_strcmp0 (g_getenv ("KEYRING_SESSION_NO_SECRETS"), "1") == 0)
    {
      add_test ("/certdesk/cli/no-keyring/login-remember", test_no_keyring_remember);
      add_test ("/certdesk/cli/no-keyring/login-no-remember", test_no_keyring_no_remember);
    }
  else
    {
      add_test ("/certdesk/cli/flow", test_flow);
      add_test ("/certdesk/cli/reauthenticate", test_reauthenticate);
      add_test ("/certdesk/cli/quota", test_quota);
      add_test ("/certdesk/cli/errors", test_errors);
      add_test ("/certdesk/cli/usage", test_usage);
      add_test ("/certdesk/cli/cut-download", test_cut_download);
      add_test ("/certdesk/cli/damaged-redownload", test_damaged_redownload);
      add_test ("/certdesk/cli/logout", test_logout);
      add_test ("/certdesk/cli/json-verbose", test_json_verbose);
    }

  return g_test_run ();
}
