/* certdesk-cli: the CertDesk client core for scripts and terminals. */

#include "config.h"

#include "cd-cli-table.h"
#include "cd-client.h"
#include "cd-document-store.h"
#include "cd-keyring.h"
#include "cd-signature.h"
#include "cd-time.h"
#include "cd-trust-store.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* Exit codes, documented in the man page. */
enum
{
  EXIT_OK = 0,
  EXIT_FAILURE_OTHER = 1,
  EXIT_USAGE = 2,
  EXIT_AUTH = 3,
  EXIT_NOT_FOUND = 4,
  EXIT_CONFLICT = 5,
  EXIT_NETWORK = 6,
  EXIT_VERIFICATION = 7,
};

#define DEFAULT_SERVER     "http://127.0.0.1:8088"
#define DEFAULT_DAYS       90
#define DEFAULT_SCENARIO   "self_use"
#define MAX_PASSWORD_BYTES 1024

typedef struct
{
  char            *server;
  gboolean         json;
  GCancellable    *cancellable;
  GMainLoop       *loop;
  GAsyncResult    *result;
  CdClient        *client;
  CdKeyring       *keyring;
  CdTrustStore    *trust;
  CdDocumentStore *library;
  char            *restored_token; /* the token a command started with, NULL if none */
  gboolean         session_restored;
} Cli;

typedef int (*CommandFunc) (Cli *cli, int argc, char **argv);

/* Running async calls to completion */

static void
cli_result_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Cli *cli = user_data;

  cli->result = g_object_ref (result);
  g_main_loop_quit (cli->loop);
}

/* Waits for the call started with cli_result_cb; the caller unrefs the result. */
static GAsyncResult *
cli_wait (Cli *cli)
{
  if (cli->result == NULL)
    g_main_loop_run (cli->loop);

  return g_steal_pointer (&cli->result);
}

static gboolean
cancel_cb (gpointer user_data)
{
  Cli *cli = user_data;

  g_cancellable_cancel (cli->cancellable);
  return G_SOURCE_CONTINUE;
}

/* Errors and exit codes */

static int
exit_code_for (const GError *error)
{
  if (error->domain == CD_CLIENT_ERROR)
    {
      switch ((CdClientError) error->code)
        {
        case CD_CLIENT_ERROR_UNAUTHORIZED:
        case CD_CLIENT_ERROR_INVALID_CREDENTIALS:
        case CD_CLIENT_ERROR_TOO_MANY_ATTEMPTS:
        case CD_CLIENT_ERROR_NOTICE_NOT_ACCEPTED:
          return EXIT_AUTH;
        case CD_CLIENT_ERROR_NOT_FOUND:
          return EXIT_NOT_FOUND;
        case CD_CLIENT_ERROR_ACCOUNT_EXISTS:
        case CD_CLIENT_ERROR_NOTICE_VERSION_MISMATCH:
        case CD_CLIENT_ERROR_CERTIFICATE_NOT_VALID:
        case CD_CLIENT_ERROR_QUOTA_EXCEEDED:
        case CD_CLIENT_ERROR_NOT_READY:
        case CD_CLIENT_ERROR_ANNOTATION_EXPIRED:
          return EXIT_CONFLICT;
        case CD_CLIENT_ERROR_NETWORK:
        case CD_CLIENT_ERROR_TIMEOUT:
        case CD_CLIENT_ERROR_TLS:
          return EXIT_NETWORK;
        case CD_CLIENT_ERROR_INSECURE_URL:
        case CD_CLIENT_ERROR_MISSING_FIELD:
        case CD_CLIENT_ERROR_UNKNOWN_FIELD:
        case CD_CLIENT_ERROR_INVALID_FIELD:
        case CD_CLIENT_ERROR_WEAK_PASSWORD:
          return EXIT_USAGE;
        default:
          return EXIT_FAILURE_OTHER;
        }
    }
  if (error->domain == CD_KEYRING_ERROR)
    return EXIT_AUTH;
  if (error->domain == CD_DOCUMENT_STORE_ERROR && error->code == CD_DOCUMENT_STORE_ERROR_REJECTED)
    return EXIT_VERIFICATION;

  return EXIT_FAILURE_OTHER;
}

static int
fail (const GError *error)
{
  g_printerr ("certdesk-cli: %s\n", error->message);
  return exit_code_for (error);
}

static int
usage_error (const char *message)
{
  g_printerr ("certdesk-cli: %s\n", message);
  return EXIT_USAGE;
}

/* Output */

static void
print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

typedef void (*ToJsonFunc) (gpointer object, JsonBuilder *builder);

/* Prints {"MEMBER": [objects…]}, as the API answers lists. */
static void
print_json_list (const char *member,
                 GPtrArray  *objects,
                 ToJsonFunc  to_json)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; i < objects->len; i++)
    to_json (g_ptr_array_index (objects, i), builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  print_json (builder);
}

/* Prints {"holder": {…}}, as the API answers a registration or a sign-in. */
static void
print_holder_json (CdHolder *holder)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "holder");
  cd_holder_to_json (holder, builder);
  json_builder_end_object (builder);
  print_json (builder);
}

static char *
format_date (gint64 unix_seconds)
{
  return unix_seconds != 0 ? cd_time_format_local_date (unix_seconds) : g_strdup ("—");
}

static const char *
status_label (CdCertificateStatus status)
{
  switch (status)
    {
    case CD_CERTIFICATE_STATUS_VALID:
      return _("Valid");
    case CD_CERTIFICATE_STATUS_REVOKED:
      return _("Revoked");
    case CD_CERTIFICATE_STATUS_SUSPENDED:
      return _("Suspended");
    default:
      g_assert_not_reached ();
    }
}

static char *
annotation_label (CdAnnotation *annotation,
                  gint64        now)
{
  g_autofree char *until = NULL;

  if (annotation == NULL)
    return g_strdup (_("Not annotated"));

  switch (cd_annotation_get_state_at (annotation, now))
    {
    case CD_ANNOTATION_STATE_PENDING:
      return g_strdup (_("Generating…"));
    case CD_ANNOTATION_STATE_READY:
      until = format_date (cd_annotation_get_valid_until (annotation));
      return g_strdup_printf (_("Valid until %s"), until);
    case CD_ANNOTATION_STATE_EXPIRED:
      return g_strdup (_("Annotation expired"));
    case CD_ANNOTATION_STATE_FAILED:
      return g_strdup (_("Generation failed"));
    default:
      g_assert_not_reached ();
    }
}

static char *
quota_sentence (CdQuota *quota)
{
  g_autofree char *next = format_date (cd_quota_get_next_slot_at (quota));
  g_autofree char *used = g_strdup_printf (_("%d of %d annotations used in the last %d days"),
                                           cd_quota_get_used (quota), cd_quota_get_limit (quota),
                                           cd_quota_get_window_days (quota));

  if (cd_quota_get_used (quota) == 0)
    return g_steal_pointer (&used);

  return g_strdup_printf (_("%s; the next one frees on %s"), used, next);
}

/* Passwords: from standard input for scripts, or typed without echo. */
static char *
read_password (gboolean    from_stdin,
               const char *prompt,
               GError    **error)
{
  char buffer[MAX_PASSWORD_BYTES + 2];
  struct termios saved, quiet;
  gboolean is_tty = isatty (STDIN_FILENO);
  char *line;

  if (!from_stdin && !is_tty)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("No terminal to type the password in; use --password-stdin"));
      return NULL;
    }

  if (!from_stdin)
    {
      g_printerr ("%s", prompt);
      tcgetattr (STDIN_FILENO, &saved);
      quiet = saved;
      quiet.c_lflag &= ~ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }

  line = fgets (buffer, sizeof buffer, stdin);

  if (!from_stdin)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }

  if (line == NULL || strlen (buffer) > MAX_PASSWORD_BYTES)
    {
      explicit_bzero (buffer, sizeof buffer);
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, _("No password was given"));
      return NULL;
    }

  buffer[strcspn (buffer, "\r\n")] = '\0';
  line = g_strdup (buffer);
  explicit_bzero (buffer, sizeof buffer);
  return line;
}

static void
free_password (char *password)
{
  if (password != NULL)
    explicit_bzero (password, strlen (password));
  g_free (password);
}

typedef char Password;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Password, free_password)

/* Parses a command's options; FALSE after printing the problem. */
static gboolean
parse_command_options (const char         *usage,
                       const GOptionEntry *entries,
                       int                *argc,
                       char             ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (usage);
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("certdesk-cli: %s\n", error->message);
      return FALSE;
    }

  return TRUE;
}

/* Sessions */

/* Signs in as the holder remembered in the keyring for this service. */
static gboolean
restore_session (Cli     *cli,
                 GError **error)
{
  g_autofree char *id_number = NULL;
  g_autofree char *token = NULL;
  g_autofree char *library_dir = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  cd_keyring_lookup_remembered_account_async (cli->keyring, cli->server, cli->cancellable,
                                              cli_result_cb, cli);
  result = cli_wait (cli);
  id_number = cd_keyring_lookup_remembered_account_finish (cli->keyring, result, error);
  if (id_number == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_UNAUTHORIZED,
                     _("Not signed in to %s; run “certdesk-cli login --id ID_NUMBER” first"), cli->server);
      return FALSE;
    }
  g_clear_object (&result);

  cd_keyring_lookup_token_async (cli->keyring, cli->server, id_number, cli->cancellable, cli_result_cb, cli);
  result = cli_wait (cli);
  token = cd_keyring_lookup_token_finish (cli->keyring, result, NULL);

  cd_client_set_session (cli->client, id_number, token);
  cd_client_set_keyring (cli->client, cli->keyring);
  /* A copy: signing in again from the keyring replaces the client's token. */
  cli->restored_token = g_steal_pointer (&token);
  cli->session_restored = TRUE;
  /* Each holder has a library of their own. */
  g_clear_object (&cli->library);
  library_dir = cd_document_store_get_default_directory (id_number);
  cli->library = cd_document_store_new (library_dir, cli->trust);
  return TRUE;
}

/* Keeps a token the client got by signing in again, for the next command. */
static void
save_token (Cli *cli)
{
  const char *token = cd_client_get_token (cli->client);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (token == NULL || g_strcmp0 (token, cli->restored_token) == 0)
    return;

  cd_keyring_store_token_async (cli->keyring, cli->server, cd_client_get_id_number (cli->client), token,
                                CD_KEYRING_SESSION_ONLY, cli->cancellable, cli_result_cb, cli);
  result = cli_wait (cli);
  if (!cd_keyring_store_token_finish (cli->keyring, result, &error))
    g_debug ("The new session token was not kept: %s", error->message);
}

static CdCertificate *
find_certificate (Cli         *cli,
                  const char  *cert_no,
                  GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) certificates = NULL;

  cd_client_list_certificates_async (cli->client, cli->cancellable, cli_result_cb, cli);
  result = cli_wait (cli);
  certificates = cd_client_list_certificates_finish (cli->client, result, error);
  if (certificates == NULL)
    return NULL;

  for (guint i = 0; i < certificates->len; i++)
    {
      CdCertificate *certificate = g_ptr_array_index (certificates, i);

      if (g_str_equal (cd_certificate_get_cert_no (certificate), cert_no))
        return g_object_ref (certificate);
    }

  g_set_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_NOT_FOUND,
               _("You have no certificate numbered %s"), cert_no);
  return NULL;
}

/* Commands */

static int
command_register (Cli   *cli,
                  int    argc,
                  char **argv)
{
  g_autofree char *id_type = NULL;
  g_autofree char *id_number = NULL;
  g_autofree char *name = NULL;
  gboolean password_stdin = FALSE;
  g_autoptr(Password) password = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CdHolder) holder = NULL;
  const GOptionEntry entries[] = {
    { "id-type", 0, 0, G_OPTION_ARG_STRING, &id_type, N_("resident_id (default), passport or other"), "TYPE" },
    { "id", 0, 0, G_OPTION_ARG_STRING, &id_number, N_("The ID number used when the certificate was earned"), "ID_NUMBER" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Your name as on the certificate"), "NAME" },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin, N_("Read the password from standard input"), NULL },
    { NULL }
  };

  if (!parse_command_options (_("register — create an account"), entries, &argc, &argv))
    return EXIT_USAGE;
  if (id_number == NULL || name == NULL || argc != 1)
    return usage_error (_("usage: certdesk-cli register --id ID_NUMBER --name NAME [--id-type TYPE] [--password-stdin]"));

  password = read_password (password_stdin, _("New password: "), &error);
  if (password == NULL)
    return usage_error (error->message);

  cd_client_register_async (cli->client, id_type != NULL ? id_type : "resident_id", id_number, name,
                            password, cli->cancellable, cli_result_cb, cli);
  result = cli_wait (cli);
  holder = cd_client_register_finish (cli->client, result, &error);
  if (holder == NULL)
    return fail (error);

  if (cli->json)
    print_holder_json (holder);
  else
    {
      g_print (_("Registered %s (%s). Sign in with “certdesk-cli login --id %s”.\n"),
               cd_holder_get_name (holder), cd_holder_get_id_number_masked (holder), id_number);
    }

  return EXIT_OK;
}

static int
command_login (Cli   *cli,
               int    argc,
               char **argv)
{
  g_autofree char *id_number = NULL;
  gboolean password_stdin = FALSE;
  gboolean no_remember = FALSE;
  g_autoptr(Password) password = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CdHolder) holder = NULL;
  CdKeyringPersistence persistence;
  const GOptionEntry entries[] = {
    { "id", 0, 0, G_OPTION_ARG_STRING, &id_number, N_("Your ID number"), "ID_NUMBER" },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin, N_("Read the password from standard input"), NULL },
    { "no-remember", 0, 0, G_OPTION_ARG_NONE, &no_remember,
      N_("Keep the session only until you log out of the desktop; do not store the password"), NULL },
    { NULL }
  };

  if (!parse_command_options (_("login — sign in"), entries, &argc, &argv))
    return EXIT_USAGE;
  if (id_number == NULL || argc != 1)
    return usage_error (_("usage: certdesk-cli login --id ID_NUMBER [--password-stdin] [--no-remember]"));

  password = read_password (password_stdin, _("Password: "), &error);
  if (password == NULL)
    return usage_error (error->message);

  cd_client_sign_in_async (cli->client, id_number, password, cli->cancellable, cli_result_cb, cli);
  result = cli_wait (cli);
  holder = cd_client_sign_in_finish (cli->client, result, &error);
  if (holder == NULL)
    return fail (error);
  g_clear_object (&result);

  persistence = no_remember ? CD_KEYRING_SESSION_ONLY : CD_KEYRING_REMEMBER;
  if (!no_remember)
    {
      cd_keyring_store_password_async (cli->keyring, cli->server, cd_client_get_id_number (cli->client),
                                       password, persistence, cli->cancellable, cli_result_cb, cli);
      result = cli_wait (cli);
      if (!cd_keyring_store_password_finish (cli->keyring, result, &error))
        {
          g_printerr (_("certdesk-cli: signed in, but the password was not remembered: %s\n"), error->message);
          g_printerr (_("certdesk-cli: use --no-remember to sign in without the keyring.\n"));
          return EXIT_AUTH;
        }
      g_clear_object (&result);
    }

  cd_keyring_store_token_async (cli->keyring, cli->server, cd_client_get_id_number (cli->client),
                                cd_client_get_token (cli->client), CD_KEYRING_SESSION_ONLY,
                                cli->cancellable, cli_result_cb, cli);
  result = cli_wait (cli);
  if (!cd_keyring_store_token_finish (cli->keyring, result, &error))
    {
      /* Signing in worked; only keeping the session for later commands did not. */
      g_printerr (_("certdesk-cli: signed in, but the session cannot be kept for later commands: %s\n"),
                  error->message);
      g_clear_error (&error);
    }

  if (cli->json)
    print_holder_json (holder);
  else
    {
      g_print (_("Signed in as %s.\n"), cd_holder_get_name (holder));
      if (!cd_holder_get_notice_accepted (holder))
        g_print (_("Read and accept the service notice first: certdesk-cli notice --accept\n"));
    }

  return EXIT_OK;
}

static int
command_logout (Cli   *cli,
                int    argc,
                char **argv)
{
  gboolean forget = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  const GOptionEntry entries[] = {
    { "forget", 0, 0, G_OPTION_ARG_NONE, &forget, N_("Also forget the remembered password"), NULL },
    { NULL }
  };

  if (!parse_command_options (_("logout — sign out"), entries, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 1)
    return usage_error (_("usage: certdesk-cli logout [--forget]"));

  if (!restore_session (cli, &error))
    return fail (error);

  /* Without a token there is no session on the service to end. */
  if (cd_client_get_token (cli->client) != NULL)
    {
      cd_client_sign_out_async (cli->client, cli->cancellable, cli_result_cb, cli);
      result = cli_wait (cli);
      if (!cd_client_sign_out_finish (cli->client, result, &error))
        g_printerr (_("certdesk-cli: the service did not confirm signing out: %s\n"), error->message);
      g_clear_error (&error);
      g_clear_object (&result);
    }

  cd_keyring_clear_async (cli->keyring, cli->server, cd_client_get_id_number (cli->client), forget,
                          cli->cancellable, cli_result_cb, cli);
  result = cli_wait (cli);
  if (!cd_keyring_clear_finish (cli->keyring, result, &error))
    return fail (error);

  if (!cli->json)
    g_print (forget ? _("Signed out; the password is forgotten.\n") : _("Signed out.\n"));
  return EXIT_OK;
}

static int
command_notice (Cli   *cli,
                int    argc,
                char **argv)
{
  gboolean accept = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CdNotice) notice = NULL;
  const GOptionEntry entries[] = {
    { "accept", 0, 0, G_OPTION_ARG_NONE, &accept, N_("Accept the service notice"), NULL },
    { NULL }
  };

  if (!parse_command_options (_("notice — show or accept the service notice"), entries, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 1)
    return usage_error (_("usage: certdesk-cli notice [--accept]"));
  if (!restore_session (cli, &error))
    return fail (error);

  cd_client_get_notice_async (cli->client, cli->cancellable, cli_result_cb, cli);
  result = cli_wait (cli);
  notice = cd_client_get_notice_finish (cli->client, result, &error);
  if (notice == NULL)
    return fail (error);
  g_clear_object (&result);

  if (accept && !cd_notice_get_accepted (notice))
    {
      cd_client_accept_notice_async (cli->client, cd_notice_get_version (notice), cli->cancellable,
                                     cli_result_cb, cli);
      result = cli_wait (cli);
      if (!cd_client_accept_notice_finish (cli->client, result, &error))
        return fail (error);
      g_clear_object (&notice);
      g_clear_object (&result);

      cd_client_get_notice_async (cli->client, cli->cancellable, cli_result_cb, cli);
      result = cli_wait (cli);
      notice = cd_client_get_notice_finish (cli->client, result, &error);
      if (notice == NULL)
        return fail (error);
    }

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      cd_notice_to_json (notice, builder);
      print_json (builder);
    }
  else
    {
      g_print ("%s (%s)\n\n%s\n\n", cd_notice_get_title (notice), cd_notice_get_version (notice),
               cd_notice_get_body (notice));
      g_print (cd_notice_get_accepted (notice) ? _("You have accepted this notice.\n")
                                               : _("Not accepted yet: certdesk-cli notice --accept\n"));
    }

  return EXIT_OK;
}

static int
command_list (Cli   *cli,
              int    argc,
              char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) certificates = NULL;
  gint64 now = cd_time_now ();
  const GOptionEntry entries[] = { { NULL } };

  if (!parse_command_options (_("list — your certificates"), entries, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 1)
    return usage_error (_("usage: certdesk-cli list"));
  if (!restore_session (cli, &error))
    return fail (error);

  cd_client_list_certificates_async (cli->client, cli->cancellable, cli_result_cb, cli);
  result = cli_wait (cli);
  certificates = cd_client_list_certificates_finish (cli->client, result, &error);
  if (certificates == NULL)
    return fail (error);

  if (cli->json)
    print_json_list ("certificates", certificates, (ToJsonFunc) cd_certificate_to_json);
  else
    {
      g_autoptr(CdCliTable) table = cd_cli_table_new (_("Certificate No."), _("Qualification"),
                                                      _("Status"), _("Annotation"), NULL);
      g_autofree char *text = NULL;

      for (guint i = 0; i < certificates->len; i++)
        {
          CdCertificate *certificate = g_ptr_array_index (certificates, i);
          g_autofree char *annotation = annotation_label (cd_certificate_get_latest_annotation (certificate), now);

          cd_cli_table_add_row (table, cd_certificate_get_cert_no (certificate),
                                cd_certificate_get_qualification (certificate),
                                status_label (cd_certificate_get_status (certificate)), annotation, NULL);
        }
      text = cd_cli_table_to_string (table);
      g_print ("%s", text);
    }

  return EXIT_OK;
}

static int
command_info (Cli   *cli,
              int    argc,
              char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdCertificate) certificate = NULL;
  const GOptionEntry entries[] = { { NULL } };

  if (!parse_command_options (_("info CERT_NO — one certificate in full"), entries, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    return usage_error (_("usage: certdesk-cli info CERT_NO"));
  if (!restore_session (cli, &error))
    return fail (error);

  certificate = find_certificate (cli, argv[1], &error);
  if (certificate == NULL)
    return fail (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      cd_certificate_to_json (certificate, builder);
      print_json (builder);
    }
  else
    {
      g_autofree char *annotation = annotation_label (cd_certificate_get_latest_annotation (certificate),
                                                      cd_time_now ());
      const char *fields[] = {
        _("Certificate No."), cd_certificate_get_cert_no (certificate),
        _("Qualification"), cd_certificate_get_qualification (certificate),
        _("Specialty"), cd_certificate_get_specialty (certificate),
        _("Level"), cd_certificate_get_level (certificate),
        _("Name"), cd_certificate_get_holder_name (certificate),
        _("Gender"), cd_certificate_get_gender (certificate),
        _("ID number"), cd_certificate_get_id_number_masked (certificate),
        _("Management No."), cd_certificate_get_management_no (certificate),
        _("Issued on"), cd_certificate_get_issued_on (certificate),
        _("Issuer"), cd_certificate_get_issuer (certificate),
        _("Status"), status_label (cd_certificate_get_status (certificate)),
        _("Annotation"), annotation,
        NULL
      };

      cd_cli_print_fields (fields);
    }

  return EXIT_OK;
}

static void
print_annotation (Cli          *cli,
                  CdAnnotation *annotation,
                  CdQuota      *quota)
{
  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "annotation");
      cd_annotation_to_json (annotation, builder);
      if (quota != NULL)
        {
          json_builder_set_member_name (builder, "quota");
          cd_quota_to_json (quota, builder);
        }
      json_builder_end_object (builder);
      print_json (builder);
    }
  else
    {
      g_autofree char *state = annotation_label (annotation, cd_time_now ());
      g_autofree char *quota_line = quota != NULL ? quota_sentence (quota) : NULL;

      g_print (_("Annotation %s: %s\n"), cd_annotation_get_annotation_no (annotation), state);
      if (quota_line != NULL)
        g_print ("%s\n", quota_line);
    }
}

static int
command_annotate (Cli   *cli,
                  int    argc,
                  char **argv)
{
  int days = DEFAULT_DAYS;
  g_autofree char *scenario = NULL;
  gboolean wait = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CdCertificate) certificate = NULL;
  g_autoptr(CdAnnotation) annotation = NULL;
  g_autoptr(CdQuota) quota = NULL;
  const GOptionEntry entries[] = {
    { "days", 0, 0, G_OPTION_ARG_INT, &days, N_("Validity in days, 1 to 90 (default 90)"), "N" },
    { "scenario", 0, 0, G_OPTION_ARG_STRING, &scenario, N_("Usage scenario (default self_use)"), "SCENARIO" },
    { "wait", 0, 0, G_OPTION_ARG_NONE, &wait, N_("Wait until the annotated certificate is generated"), NULL },
    { NULL }
  };

  if (!parse_command_options (_("annotate CERT_NO — apply for an annotation"), entries, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    return usage_error (_("usage: certdesk-cli annotate CERT_NO [--days N] [--scenario self_use] [--wait]"));
  if (days < 1 || days > 90)
    return usage_error (_("--days is 1 to 90"));
  if (!restore_session (cli, &error))
    return fail (error);

  certificate = find_certificate (cli, argv[1], &error);
  if (certificate == NULL)
    return fail (error);

  cd_client_apply_async (cli->client, cd_certificate_get_id (certificate),
                         scenario != NULL ? scenario : DEFAULT_SCENARIO, days,
                         cli->cancellable, cli_result_cb, cli);
  result = cli_wait (cli);
  annotation = cd_client_apply_finish (cli->client, result, &quota, &error);
  if (annotation == NULL)
    return fail (error);
  g_clear_object (&result);

  if (wait)
    {
      g_autoptr(CdAnnotation) done = NULL;

      if (!cli->json)
        g_printerr (_("Generating the annotated certificate…\n"));
      cd_client_wait_for_annotation_async (cli->client, cd_annotation_get_id (annotation),
                                           cli->cancellable, cli_result_cb, cli);
      result = cli_wait (cli);
      done = cd_client_wait_for_annotation_finish (cli->client, result, &error);
      if (done == NULL)
        return fail (error);
      g_set_object (&annotation, done);
    }

  print_annotation (cli, annotation, quota);
  return cd_annotation_get_state (annotation) == CD_ANNOTATION_STATE_FAILED ? EXIT_FAILURE_OTHER : EXIT_OK;
}

static int
command_status (Cli   *cli,
                int    argc,
                char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CdCertificate) certificate = NULL;
  g_autoptr(GPtrArray) annotations = NULL;
  g_autoptr(CdQuota) quota = NULL;
  gint64 now = cd_time_now ();
  const GOptionEntry entries[] = { { NULL } };

  if (!parse_command_options (_("status CERT_NO — annotations and quota"), entries, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    return usage_error (_("usage: certdesk-cli status CERT_NO"));
  if (!restore_session (cli, &error))
    return fail (error);

  certificate = find_certificate (cli, argv[1], &error);
  if (certificate == NULL)
    return fail (error);

  cd_client_list_annotations_async (cli->client, cd_certificate_get_id (certificate), cli->cancellable,
                                    cli_result_cb, cli);
  result = cli_wait (cli);
  annotations = cd_client_list_annotations_finish (cli->client, result, &quota, &error);
  if (annotations == NULL)
    return fail (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "annotations");
      json_builder_begin_array (builder);
      for (guint i = 0; i < annotations->len; i++)
        cd_annotation_to_json (g_ptr_array_index (annotations, i), builder);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "quota");
      cd_quota_to_json (quota, builder);
      json_builder_end_object (builder);
      print_json (builder);
    }
  else
    {
      g_autoptr(CdCliTable) table = cd_cli_table_new (_("Annotation No."), _("Requested"),
                                                      _("Days"), _("State"), NULL);
      g_autofree char *text = NULL;
      g_autofree char *quota_line = quota_sentence (quota);

      for (guint i = 0; i < annotations->len; i++)
        {
          CdAnnotation *annotation = g_ptr_array_index (annotations, i);
          g_autofree char *requested = format_date (cd_annotation_get_requested_at (annotation));
          g_autofree char *days = g_strdup_printf ("%d", cd_annotation_get_validity_days (annotation));
          g_autofree char *state = annotation_label (annotation, now);

          cd_cli_table_add_row (table, cd_annotation_get_annotation_no (annotation), requested, days,
                                state, NULL);
        }
      text = cd_cli_table_to_string (table);
      g_print ("%s %s — %s\n", cd_certificate_get_cert_no (certificate),
               cd_certificate_get_qualification (certificate),
               status_label (cd_certificate_get_status (certificate)));
      g_print ("%s\n", quota_line);
      if (annotations->len > 0)
        g_print ("\n%s", text);
    }

  return EXIT_OK;
}

static gboolean
write_document (GBytes      *document,
                const char  *path,
                GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);

  return g_file_replace_contents (file, g_bytes_get_data (document, NULL), g_bytes_get_size (document),
                                  NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error);
}

static int
command_download (Cli   *cli,
                  int    argc,
                  char **argv)
{
  g_autofree char *output = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CdCertificate) certificate = NULL;
  g_autoptr(GBytes) document = NULL;
  g_autoptr(CdLibraryEntry) entry = NULL;
  g_autofree char *default_name = NULL;
  g_autofree char *until = NULL;
  CdAnnotation *annotation;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Where to save the PDF (default CERT_NO-DATE.pdf)"), "FILE" },
    { NULL }
  };

  if (!parse_command_options (_("download CERT_NO — the signed annotated certificate"), entries, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    return usage_error (_("usage: certdesk-cli download CERT_NO [-o FILE]"));
  if (!restore_session (cli, &error))
    return fail (error);

  certificate = find_certificate (cli, argv[1], &error);
  if (certificate == NULL)
    return fail (error);
  annotation = cd_certificate_get_latest_annotation (certificate);
  if (annotation == NULL)
    {
      g_printerr (_("certdesk-cli: %s has no annotation yet; apply with “certdesk-cli annotate %s”\n"),
                  argv[1], argv[1]);
      return EXIT_CONFLICT;
    }

  cd_client_download_document_async (cli->client, cd_annotation_get_id (annotation), cli->cancellable,
                                     cli_result_cb, cli);
  result = cli_wait (cli);
  document = cd_client_download_document_finish (cli->client, result, &error);
  if (document == NULL)
    return fail (error);
  g_clear_object (&result);

  /* The library checks the signature before it keeps anything; a document that
   * fails is not saved anywhere. */
  cd_document_store_add_async (cli->library, certificate, annotation, document, cli->server,
                               cli->cancellable, cli_result_cb, cli);
  result = cli_wait (cli);
  entry = cd_document_store_add_finish (cli->library, result, &error);
  if (entry == NULL)
    return fail (error);

  until = format_date (cd_annotation_get_valid_until (annotation));
  default_name = cd_library_entry_dup_suggested_name (entry);
  if (!write_document (document, output != NULL ? output : default_name, &error))
    return fail (error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      cd_library_entry_to_json (entry, builder);
      print_json (builder);
    }
  else
    {
      g_print (_("Saved %s (valid until %s); also kept in the offline library.\n"),
               output != NULL ? output : default_name, until);
    }

  return EXIT_OK;
}

static int
command_library (Cli   *cli,
                 int    argc,
                 char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries_found = NULL;
  gint64 now = cd_time_now ();
  const GOptionEntry entries[] = { { NULL } };

  if (!parse_command_options (_("library — the offline library (works without the service)"), entries, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 1)
    return usage_error (_("usage: certdesk-cli library"));
  /* The keyring alone says whose library it is: no network. */
  if (!restore_session (cli, &error))
    return fail (error);

  entries_found = cd_document_store_list (cli->library, cli->cancellable, &error);
  if (entries_found == NULL)
    return fail (error);

  if (cli->json)
    print_json_list ("library", entries_found, (ToJsonFunc) cd_library_entry_to_json);
  else
    {
      g_autoptr(CdCliTable) table = cd_cli_table_new (_("Certificate No."), _("Qualification"),
                                                      _("Annotation"), _("File"), NULL);
      g_autofree char *text = NULL;

      for (guint i = 0; i < entries_found->len; i++)
        {
          CdLibraryEntry *entry = g_ptr_array_index (entries_found, i);
          CdCertificate *certificate = cd_library_entry_get_certificate (entry);
          g_autofree char *state = annotation_label (cd_library_entry_get_annotation (entry), now);
          g_autofree char *path = g_file_get_path (cd_library_entry_get_file (entry));

          cd_cli_table_add_row (table, cd_certificate_get_cert_no (certificate),
                                cd_certificate_get_qualification (certificate), state, path, NULL);
        }
      text = cd_cli_table_to_string (table);
      g_print ("%s", text);
    }

  return EXIT_OK;
}

static int
command_verify (Cli   *cli,
                int    argc,
                char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(CdSignatureInfo) info = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *summary = NULL;
  CdSignatureStatus status;
  const GOptionEntry entries[] = { { NULL } };

  if (!parse_command_options (_("verify FILE.pdf — check a document's signature offline"), entries, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    return usage_error (_("usage: certdesk-cli verify FILE.pdf"));

  file = g_file_new_for_commandline_arg (argv[1]);
  info = cd_signature_verify_sync (file, NULL, NULL, cli->cancellable, &error);
  if (info == NULL)
    {
      g_printerr ("certdesk-cli: %s\n", error->message);
      return EXIT_VERIFICATION;
    }

  /* A local file never sets the pin; it is only checked against the one that
   * downloading from the service set. */
  status = cd_signature_info_get_status (info);
  pin = cd_trust_store_get_pin (cli->trust, cli->server, &error);
  if (error != NULL)
    return fail (error);
  if (status == CD_SIGNATURE_VALID && pin != NULL &&
      g_strcmp0 (pin, cd_signature_info_get_signer_fingerprint (info)) != 0)
    status = CD_SIGNATURE_UNTRUSTED;

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, cd_signature_status_to_string (status));
      json_builder_set_member_name (builder, "signer");
      json_builder_add_string_value (builder, cd_signature_info_get_signer_name (info));
      cd_json_builder_add_time (builder, "signed_at", cd_signature_info_get_signing_time (info));
      json_builder_set_member_name (builder, "signer_sha256");
      json_builder_add_string_value (builder, cd_signature_info_get_signer_fingerprint (info));
      json_builder_set_member_name (builder, "pinned");
      json_builder_add_boolean_value (builder, pin != NULL);
      json_builder_end_object (builder);
      print_json (builder);
    }
  else if (status == CD_SIGNATURE_UNTRUSTED && cd_signature_info_get_status (info) == CD_SIGNATURE_VALID)
    {
      g_print (_("Untrusted: intact, but not signed by the key %s uses\n"), cli->server);
    }
  else
    {
      summary = cd_signature_info_get_summary (info);
      g_print ("%s\n", summary);
      if (status == CD_SIGNATURE_VALID && pin == NULL)
        g_print (_("The signer is not pinned yet: download a certificate from %s to pin it.\n"), cli->server);
    }

  return status == CD_SIGNATURE_VALID ? EXIT_OK : EXIT_VERIFICATION;
}

static const struct
{
  const char  *name;
  CommandFunc  func;
  const char  *summary;
} commands[] = {
  { "register", command_register, N_("Create an account with your ID number") },
  { "login", command_login, N_("Sign in (the password is kept in the keyring)") },
  { "logout", command_logout, N_("Sign out") },
  { "notice", command_notice, N_("Show or accept the service notice") },
  { "list", command_list, N_("List your certificates") },
  { "info", command_info, N_("Show one certificate") },
  { "annotate", command_annotate, N_("Apply for an annotation") },
  { "status", command_status, N_("Show a certificate’s annotations and quota") },
  { "download", command_download, N_("Download the signed annotated certificate") },
  { "library", command_library, N_("List the offline library") },
  { "verify", command_verify, N_("Verify a PDF’s signature offline") },
};

static void
print_usage (void)
{
  g_print ("%s\n\n", _("Usage: certdesk-cli [--server URL] [--json] [--verbose] COMMAND [OPTIONS…]"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_print ("  %-10s %s\n", commands[i].name, _(commands[i].summary));
  g_print ("\n%s\n", _("The server is CERTDESK_SERVER or http://127.0.0.1:8088. "
                       "“certdesk-cli COMMAND --help” describes a command."));
}

static void
cli_clear (Cli *cli)
{
  g_free (cli->server);
  g_free (cli->restored_token);
  g_clear_object (&cli->cancellable);
  g_clear_pointer (&cli->loop, g_main_loop_unref);
  g_clear_object (&cli->client);
  g_clear_object (&cli->keyring);
  g_clear_object (&cli->trust);
  g_clear_object (&cli->library);
}

int
main (int    argc,
      char **argv)
{
  Cli cli = { 0, };
  g_autoptr(GError) error = NULL;
  g_autofree char *trust_path = NULL;
  const char *env_server = g_getenv ("CERTDESK_SERVER");
  int first = 1;
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("CERTDESK_LOCALEDIR") != NULL ? g_getenv ("CERTDESK_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  cli.server = g_strdup (env_server != NULL && *env_server != '\0' ? env_server : DEFAULT_SERVER);

  /* Global options come before the command. */
  for (; first < argc && argv[first][0] == '-'; first++)
    {
      const char *arg = argv[first];

      if (g_str_equal (arg, "--json"))
        cli.json = TRUE;
      else if (g_str_equal (arg, "--verbose") || g_str_equal (arg, "-v"))
        {
          /* Debug messages go to stderr, so that --json output stays JSON. */
          g_log_writer_default_set_use_stderr (TRUE);
          g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
        }
      else if (g_str_equal (arg, "--server") && first + 1 < argc)
        {
          g_free (cli.server);
          cli.server = g_strdup (argv[++first]);
        }
      else if (g_str_has_prefix (arg, "--server="))
        {
          g_free (cli.server);
          cli.server = g_strdup (arg + strlen ("--server="));
        }
      else if (g_str_equal (arg, "--help") || g_str_equal (arg, "-h"))
        {
          print_usage ();
          cli_clear (&cli);
          return EXIT_OK;
        }
      else if (g_str_equal (arg, "--version"))
        {
          g_print ("certdesk-cli %s\n", PACKAGE_VERSION);
          cli_clear (&cli);
          return EXIT_OK;
        }
      else
        {
          g_printerr (_("certdesk-cli: unknown option %s\n"), arg);
          print_usage ();
          cli_clear (&cli);
          return EXIT_USAGE;
        }
    }

  if (first >= argc)
    {
      print_usage ();
      cli_clear (&cli);
      return EXIT_USAGE;
    }

  cli.client = cd_client_new (cli.server, &error);
  if (cli.client == NULL)
    {
      status = fail (error);
      cli_clear (&cli);
      return status;
    }

  cli.cancellable = g_cancellable_new ();
  cli.loop = g_main_loop_new (NULL, FALSE);
  cli.keyring = cd_keyring_new ();
  trust_path = g_build_filename (g_get_user_data_dir (), "certdesk", "trusted-signers.ini", NULL);
  cli.trust = cd_trust_store_new (trust_path);
  g_unix_signal_add (SIGINT, cancel_cb, &cli);

  status = -1;
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (argv[first], commands[i].name))
        {
          status = commands[i].func (&cli, argc - first, argv + first);
          if (cli.session_restored)
            save_token (&cli);
          break;
        }
    }
  if (status < 0)
    {
      g_printerr (_("certdesk-cli: unknown command “%s”\n"), argv[first]);
      print_usage ();
      status = EXIT_USAGE;
    }

  cli_clear (&cli);
  return status;
}
