/* Publishing a new service notice with --notice-file: holders accept again after a restart
 * with a new version, and a bad notice file stops the service before it touches anything. */

#include "config.h"

#include "cd-test-service.h"

#include <glib/gstdio.h>
#include <string.h>

#define BUILT_IN_VERSION "2026-11-01"

#define V1_VERSION "2026-12-01"
#define V1_TITLE   "电子证书服务须知"
#define V2_VERSION "2027-01-15.b"
#define V2_TITLE   "电子证书服务须知（修订）"

/* The body as the file spells it, with \n escapes, and as the API returns it. */
static const char v1_file[] =
  "# The first published notice.\n"
  "[Notice]\n"
  "Version=" V1_VERSION "\n"
  "Title=" V1_TITLE "\n"
  "Body=一、第一条。\\n二、第二条：请妥善保管账号与密码。\n";
#define V1_BODY "一、第一条。\n二、第二条：请妥善保管账号与密码。"

static const char v2_file[] =
  "[Notice]\n"
  "Version=" V2_VERSION "\n"
  "Title=" V2_TITLE "\n"
  "Body=一、修订后的第一条。\\n\\n二、修订后的第二条。\n";
#define V2_BODY "一、修订后的第一条。\n\n二、修订后的第二条。"

/* A directory of notice files and data directories, removed by scratch_free(). */
typedef struct
{
  char *path;
} Scratch;

static Scratch *
scratch_new (void)
{
  Scratch *self = g_new0 (Scratch, 1);
  g_autoptr(GError) error = NULL;

  self->path = g_dir_make_tmp ("certdesk-notice-XXXXXX", &error);
  g_assert_no_error (error);

  return self;
}

static void
scratch_free (Scratch *self)
{
  cd_test_remove_tree (self->path);
  g_free (self->path);
  g_free (self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Scratch, scratch_free)

/* Writes @length bytes of @contents (-1: up to the NUL) to a new file; returns its path. */
static char *
scratch_write (Scratch    *self,
               const char *name,
               const char *contents,
               gssize      length)
{
  g_autofree char *path = g_build_filename (self->path, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&path);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Names, sizes and modification times of everything in @path, sorted; "" when empty. */
static char *
describe_dir (const char *path)
{
  g_autoptr(GFile) dir = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GFileInfo *info;

  enumerator = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                          G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                          G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                                          G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC,
                                          G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, &error);
  g_assert_no_error (error);
  while ((info = g_file_enumerator_next_file (enumerator, NULL, &error)) != NULL)
    {
      g_ptr_array_add (lines, g_strdup_printf ("%s %" G_GOFFSET_FORMAT " %" G_GUINT64_FORMAT ".%06u",
                                               g_file_info_get_name (info),
                                               g_file_info_get_size (info),
                                               g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED),
                                               g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC)));
      g_object_unref (info);
    }
  g_assert_no_error (error);

  g_ptr_array_sort (lines, compare_strings);
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}

/* Runs the service on @data_dir with @notice_path; it must refuse to start: status 1, no
 * listening line, and a message on stderr naming the file and containing @problem. */
static void
assert_refused (const char *data_dir,
                const char *notice_path,
                const char *problem)
{
  const char *argv[] = {
    g_getenv ("CERTDESK_SERVER_BINARY"), "--listen", "127.0.0.1:0", "--data-dir", data_dir,
    "--notice-file", notice_path, NULL
  };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  g_assert_nonnull (argv[0]);
  status = cd_test_run_command (argv, 20, &out, &err);
  g_test_message ("%s: status %d, stderr: %s", notice_path, status, err);

  if (status != 1)
    g_error ("with %s the service ended with %d, not 1; stdout: %s; stderr: %s",
             notice_path, status, out, err);
  g_assert_null (strstr (out, "listening on"));
  if (!g_str_has_prefix (err, "certdesk-server: ") || strstr (err, notice_path) == NULL ||
      strstr (err, problem) == NULL)
    g_error ("the message for %s does not name the file and “%s”: %s", notice_path, problem, err);
}

static void
assert_notice (CdTestService *service,
               CdTestHolder  *holder,
               const char    *version,
               const char    *title,
               const char    *body,
               gboolean       accepted)
{
  g_autoptr(CdTestResponse) notice = cd_test_service_request (service, "GET", "/notice", holder->token, NULL);
  g_autoptr(CdTestResponse) json_holder = cd_test_service_request (service, "GET", "/holder", holder->token, NULL);
  JsonObject *root = cd_test_assert_json (notice, 200);

  g_assert_cmpstr (cd_test_json_string (root, "version"), ==, version);
  if (title != NULL)
    g_assert_cmpstr (cd_test_json_string (root, "title"), ==, title);
  if (body != NULL)
    g_assert_cmpstr (cd_test_json_string (root, "body"), ==, body);
  g_assert_cmpint (cd_test_json_bool (root, "accepted"), ==, accepted);
  g_assert_cmpint (cd_test_json_bool (cd_test_assert_json (json_holder, 200), "notice_accepted"), ==,
                   accepted);
}

/* Signs in again; returns notice_accepted from the sign-in answer. */
static gboolean
sign_in (CdTestService *service,
         CdTestHolder  *holder)
{
  g_autofree char *body = g_strdup_printf ("{\"id_number\": \"%s\", \"password\": \"%s\"}",
                                           holder->id_number, holder->password);
  g_autoptr(CdTestResponse) response = cd_test_service_request (service, "POST", "/sessions", NULL, body);
  JsonObject *root = cd_test_assert_json (response, 201);
  gboolean accepted = cd_test_json_bool (root, "notice_accepted");

  g_assert_cmpint (cd_test_json_bool (cd_test_json_object (root, "holder"), "notice_accepted"), ==, accepted);
  g_free (holder->token);
  holder->token = g_strdup (cd_test_json_string (root, "token"));

  return accepted;
}

static void
accept_version (CdTestService *service,
                CdTestHolder  *holder,
                const char    *version)
{
  g_autofree char *body = g_strdup_printf ("{\"version\": \"%s\"}", version);
  g_autoptr(CdTestResponse) response = cd_test_service_request (service, "POST", "/notice/accept",
                                                                holder->token, body);

  cd_test_assert_status (response, 204);
}

static void
assert_mismatch (CdTestService *service,
                 CdTestHolder  *holder,
                 const char    *version,
                 const char    *current_version)
{
  g_autofree char *body = g_strdup_printf ("{\"version\": \"%s\"}", version);
  g_autofree char *before = cd_test_service_store_dump (service);
  g_autoptr(CdTestResponse) response = cd_test_service_request (service, "POST", "/notice/accept",
                                                                holder->token, body);
  JsonObject *error = cd_test_assert_error (response, 409, "notice_version_mismatch");

  g_assert_cmpstr (cd_test_json_string (error, "current_version"), ==, current_version);
  cd_test_assert_store_unchanged (service, before);
}

static void
assert_certificates_locked (CdTestService *service,
                            CdTestHolder  *holder,
                            const char    *certificate_id)
{
  g_autofree char *path = g_strdup_printf ("/certificates/%s", certificate_id);
  g_autoptr(CdTestResponse) list = cd_test_service_request (service, "GET", "/certificates", holder->token, NULL);
  g_autoptr(CdTestResponse) one = cd_test_service_request (service, "GET", path, holder->token, NULL);

  cd_test_assert_error (list, 403, "notice_not_accepted");
  cd_test_assert_error (one, 403, "notice_not_accepted");
}

static void
test_new_version (void)
{
  g_autoptr(Scratch) scratch = scratch_new ();
  g_autofree char *v1_path = scratch_write (scratch, "notice-v1.ini", v1_file, -1);
  g_autofree char *v2_path = scratch_write (scratch, "notice-v2.ini", v2_file, -1);
  g_autoptr(CdTestService) service = cd_test_service_start ("--notice-file", v1_path, NULL);
  g_autoptr(CdTestHolder) holder = cd_test_holder_new ("卫十四");
  g_autofree char *certificate_id = NULL;
  g_autofree char *out = NULL;

  /* Version 1 from the file, not the built-in notice. */
  out = cd_test_service_dup_stdout (service);
  g_assert_nonnull (strstr (out, "certdesk-server: service notice version " V1_VERSION "\n"));

  cd_test_holder_register (service, holder);
  g_assert_false (sign_in (service, holder));
  assert_notice (service, holder, V1_VERSION, V1_TITLE, V1_BODY, FALSE);
  {
    g_autoptr(CdTestResponse) list = cd_test_service_request (service, "GET", "/certificates", holder->token, NULL);

    cd_test_assert_error (list, 403, "notice_not_accepted");
  }
  assert_mismatch (service, holder, BUILT_IN_VERSION, V1_VERSION);

  accept_version (service, holder, V1_VERSION);
  assert_notice (service, holder, V1_VERSION, V1_TITLE, V1_BODY, TRUE);
  certificate_id = cd_test_service_add_certificate (service, holder, "注册安全工程师", "valid", NULL);

  /* Version 2: a restart on the same data asks the holder again, with the old session. */
  cd_test_service_restart (service, (const char * const[]) { "--notice-file", v2_path, NULL });
  g_clear_pointer (&out, g_free);
  out = cd_test_service_dup_stdout (service);
  g_assert_nonnull (strstr (out, "certdesk-server: service notice version " V2_VERSION "\n"));

  assert_notice (service, holder, V2_VERSION, V2_TITLE, V2_BODY, FALSE);
  assert_certificates_locked (service, holder, certificate_id);
  g_assert_false (sign_in (service, holder));
  assert_certificates_locked (service, holder, certificate_id);

  /* Accepting the version the holder read before is refused and changes nothing. */
  assert_mismatch (service, holder, V1_VERSION, V2_VERSION);
  assert_notice (service, holder, V2_VERSION, NULL, NULL, FALSE);
  assert_certificates_locked (service, holder, certificate_id);

  accept_version (service, holder, V2_VERSION);
  assert_notice (service, holder, V2_VERSION, V2_TITLE, V2_BODY, TRUE);
  {
    g_autofree char *path = g_strdup_printf ("/certificates/%s", certificate_id);
    g_autoptr(CdTestResponse) one = cd_test_service_request (service, "GET", path, holder->token, NULL);
    g_autoptr(CdTestResponse) list = cd_test_service_request (service, "GET", "/certificates", holder->token, NULL);
    JsonArray *certificates = cd_test_json_array (cd_test_assert_json (list, 200), "certificates");

    g_assert_cmpstr (cd_test_json_string (cd_test_assert_json (one, 200), "id"), ==, certificate_id);
    g_assert_cmpuint (json_array_get_length (certificates), ==, 1);
  }

  /* The same version again: nothing to accept. */
  cd_test_service_restart (service, NULL);
  g_assert_true (sign_in (service, holder));
  assert_notice (service, holder, V2_VERSION, V2_TITLE, V2_BODY, TRUE);

  /* Without the option the built-in notice is back, and it is a different version. */
  cd_test_service_restart (service, (const char * const[]) { NULL });
  g_assert_false (sign_in (service, holder));
  assert_notice (service, holder, BUILT_IN_VERSION, "服务须知", NULL, FALSE);
  assert_certificates_locked (service, holder, certificate_id);
}

/* --demo serves the notice file too; the demo holder has not accepted it. */
static void
test_demo (void)
{
  g_autoptr(Scratch) scratch = scratch_new ();
  g_autofree char *v1_path = scratch_write (scratch, "notice-v1.ini", v1_file, -1);
  g_autoptr(CdTestService) service = cd_test_service_start ("--demo", "--notice-file", v1_path, NULL);
  CdTestHolder demo = {
    .id_number = (char *) CD_TEST_DEMO_ID_NUMBER,
    .password = (char *) CD_TEST_DEMO_PASSWORD,
  };

  g_assert_false (sign_in (service, &demo));
  assert_notice (service, &demo, V1_VERSION, V1_TITLE, V1_BODY, FALSE);
  accept_version (service, &demo, V1_VERSION);
  {
    g_autoptr(CdTestResponse) list = cd_test_service_request (service, "GET", "/certificates", demo.token, NULL);
    JsonArray *certificates = cd_test_json_array (cd_test_assert_json (list, 200), "certificates");

    g_assert_cmpuint (json_array_get_length (certificates), ==, 3);
  }

  g_free (demo.token);
}

/* A Windows editor's file: a byte order mark and CRLF line ends. */
static void
test_bom_crlf (void)
{
  static const char file[] =
    "\xEF\xBB\xBF[Notice]\r\n"
    "Version=" V1_VERSION "\r\n"
    "Title=" V1_TITLE "\r\n"
    "Body=一、第一条。\\n二、第二条：请妥善保管账号与密码。\r\n";
  g_autoptr(Scratch) scratch = scratch_new ();
  g_autofree char *path = scratch_write (scratch, "notice.ini", file, -1);
  g_autoptr(CdTestService) service = cd_test_service_start ("--notice-file", path, NULL);
  g_autoptr(CdTestHolder) holder = cd_test_holder_new ("蒋十五");

  cd_test_holder_register (service, holder);
  g_assert_false (sign_in (service, holder));
  assert_notice (service, holder, V1_VERSION, V1_TITLE, V1_BODY, FALSE);
}

/* The example in docs/ is a notice the service publishes as it is. */
static void
test_example (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "docs", "notice.example.ini", NULL);
  g_autoptr(CdTestService) service = cd_test_service_start ("--notice-file", path, NULL);
  g_autoptr(CdTestHolder) holder = cd_test_holder_new ("韩十七");
  g_autoptr(CdTestResponse) response = NULL;
  JsonObject *root;

  cd_test_holder_register (service, holder);
  g_assert_false (sign_in (service, holder));
  response = cd_test_service_request (service, "GET", "/notice", holder->token, NULL);
  root = cd_test_assert_json (response, 200);
  g_assert_cmpstr (cd_test_json_string (root, "version"), ==, "2026-12-01");
  g_assert_cmpstr (cd_test_json_string (root, "title"), ==, "电子证书服务须知");
  g_assert_true (g_str_has_prefix (cd_test_json_string (root, "body"), "一、本服务为持证人"));
  g_assert_true (g_str_has_suffix (cd_test_json_string (root, "body"), "不得将本人证书交由他人冒用。\n"
                                                                      "八、本须知自 2026 年 12 月 1 日起施行。"));
  accept_version (service, holder, "2026-12-01");
}

static const struct
{
  const char *name;
  const char *contents;
  const char *problem; /* in the message */
} bad_files[] = {
  { "no-version", "[Notice]\nTitle=须知\nBody=正文\n", "[Notice] has no Version key" },
  { "no-title", "[Notice]\nVersion=1\nBody=正文\n", "[Notice] has no Title key" },
  { "no-body", "[Notice]\nVersion=1\nTitle=须知\n", "[Notice] has no Body key" },
  { "no-group", "Version=1\nTitle=须知\nBody=正文\n", "Key file does not start with a group" },
  { "other-group", "[Service]\nVersion=1\nTitle=须知\nBody=正文\n", "Unknown group [Service]" },
  { "empty-version", "[Notice]\nVersion=\nTitle=须知\nBody=正文\n", "Version is empty" },
  { "empty-title", "[Notice]\nVersion=1\nTitle=\nBody=正文\n", "Title is empty" },
  { "empty-body", "[Notice]\nVersion=1\nTitle=须知\nBody=\n", "Body is empty" },
  { "blank-body", "[Notice]\nVersion=1\nTitle=须知\nBody=\\n\\t　\n", "Body has nothing but white space" },
  { "version-space", "[Notice]\nVersion=2026 12\nTitle=须知\nBody=正文\n", "Version “2026 12” may only contain" },
  { "version-slash", "[Notice]\nVersion=2026/12/01\nTitle=须知\nBody=正文\n", "Version “2026/12/01” may only contain" },
  { "version-cjk", "[Notice]\nVersion=第二版\nTitle=须知\nBody=正文\n", "Version “第二版” may only contain" },
  { "version-long", "[Notice]\nVersion=v"
    "1234567890123456789012345678901234567890123456789012345678901234\nTitle=须知\nBody=正文\n",
    "Version is longer than 64 characters" },
  { "unknown-key", "[Notice]\nVersion=1\nTitle=须知\nBody=正文\nUrl=https://example.cn\n",
    "Unknown key “Url”" },
  { "repeated-key", "[Notice]\nVersion=1\nTitle=须知\nBody=正文\nVersion=2\n", "Version is set more than once" },
  { "title-lines", "[Notice]\nVersion=1\nTitle=须知\\n第二行\nBody=正文\n", "Title must be one line" },
  { "bad-escape", "[Notice]\nVersion=1\nTitle=须知\nBody=C:\\dir\n", "The escapes are \\n" },
  { "gb18030", "[Notice]\nVersion=1\nTitle=\xD0\xEB\xD6\xAA\nBody=x\n", "Not valid UTF-8 at byte 25" },
};

static void
test_bad_files (void)
{
  g_autoptr(Scratch) scratch = scratch_new ();

  for (guint i = 0; i < G_N_ELEMENTS (bad_files); i++)
    {
      g_autofree char *file_name = g_strconcat (bad_files[i].name, ".ini", NULL);
      g_autofree char *path = scratch_write (scratch, file_name, bad_files[i].contents, -1);
      g_autofree char *data_dir = g_build_filename (scratch->path, bad_files[i].name, NULL);
      g_autofree char *listing = NULL;

      /* An empty data directory stays empty… */
      g_assert_cmpint (g_mkdir (data_dir, 0700), ==, 0);
      assert_refused (data_dir, path, bad_files[i].problem);
      listing = describe_dir (data_dir);
      g_assert_cmpstr (listing, ==, "");
    }

  /* …and a missing one is not created. */
  {
    g_autofree char *path = g_build_filename (scratch->path, "no-such-notice.ini", NULL);
    g_autofree char *data_dir = g_build_filename (scratch->path, "never-made", NULL);

    assert_refused (data_dir, path, "No such file or directory");
    g_assert_false (g_file_test (data_dir, G_FILE_TEST_EXISTS));
  }
  {
    static const char nul_file[] = "[Notice]\nVersion=1\nTitle=须知\nBody=a\0b\n";
    g_autofree char *path = scratch_write (scratch, "nul.ini", nul_file, sizeof nul_file - 1);
    g_autofree char *data_dir = g_build_filename (scratch->path, "nul", NULL);

    assert_refused (data_dir, path, "Not valid UTF-8");
    g_assert_false (g_file_test (data_dir, G_FILE_TEST_EXISTS));
  }
}

/* A bad notice on a service's existing data: the database and the key are left as they were,
 * and the service starts again on them with the notice it had. */
static void
test_bad_file_existing_data (void)
{
  g_autoptr(Scratch) scratch = scratch_new ();
  g_autofree char *v1_path = scratch_write (scratch, "notice-v1.ini", v1_file, -1);
  g_autofree char *bad_path = scratch_write (scratch, "bad.ini", "[Notice]\nVersion=3.0\nTitle=须知\n", -1);
  g_autoptr(CdTestService) service = cd_test_service_start ("--notice-file", v1_path, NULL);
  g_autoptr(CdTestHolder) holder = cd_test_holder_new ("沈十六");
  g_autofree char *dump = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *description = NULL;

  cd_test_holder_register (service, holder);
  g_assert_false (sign_in (service, holder));
  accept_version (service, holder, V1_VERSION);
  if (!cd_test_service_stop (service, &description))
    g_error ("after SIGTERM the server %s", description);

  dump = cd_test_service_store_dump (service);
  before = describe_dir (service->data_dir);
  g_assert_nonnull (strstr (before, "certdesk.sqlite3 "));
  assert_refused (service->data_dir, bad_path, "[Notice] has no Body key");
  after = describe_dir (service->data_dir);
  g_assert_cmpstr (after, ==, before);

  cd_test_service_restart (service, NULL);
  cd_test_assert_store_unchanged (service, dump);
  g_assert_true (sign_in (service, holder));
  assert_notice (service, holder, V1_VERSION, V1_TITLE, V1_BODY, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  cd_test_keep_going (&argc, &argv);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/certdesk/service/notice/new-version", test_new_version);
  g_test_add_func ("/certdesk/service/notice/demo", test_demo);
  g_test_add_func ("/certdesk/service/notice/bom-crlf", test_bom_crlf);
  g_test_add_func ("/certdesk/service/notice/example", test_example);
  g_test_add_func ("/certdesk/service/notice/bad-files", test_bad_files);
  g_test_add_func ("/certdesk/service/notice/bad-file-existing-data", test_bad_file_existing_data);

  return g_test_run ();
}
