/* `certdesk-server import`: all-or-nothing loading of the operator's CSV while the
 * service runs, linked to holders by ID number. */

#include "config.h"

#include "cd-test-service.h"

#include <string.h>

static JsonArray *
list_certificates (CdTestService   *service,
                   CdTestHolder    *holder,
                   CdTestResponse **out_response)
{
  *out_response = cd_test_service_request (service, "GET", "/certificates", holder->token, NULL);
  return cd_test_json_array (cd_test_assert_json (*out_response, 200), "certificates");
}

static JsonObject *
find_by_cert_no (JsonArray  *certificates,
                 const char *cert_no)
{
  for (guint i = 0; i < json_array_get_length (certificates); i++)
    {
      JsonObject *certificate = json_array_get_object_element (certificates, i);

      if (g_strcmp0 (cd_test_json_string (certificate, "cert_no"), cert_no) == 0)
        return certificate;
    }

  return NULL;
}

static void
assert_matches_row (JsonObject          *certificate,
                    const CdTestCertRow *row)
{
  g_autofree char *masked = cd_test_mask_id_number (row->id_number);

  g_assert_nonnull (certificate);
  g_assert_cmpstr (cd_test_json_string (certificate, "cert_no"), ==, row->cert_no);
  g_assert_cmpstr (cd_test_json_string (certificate, "qualification"), ==, row->qualification);
  g_assert_cmpstr (cd_test_json_string (certificate, "specialty"), ==, row->specialty);
  g_assert_cmpstr (cd_test_json_string (certificate, "level"), ==, row->level);
  g_assert_cmpstr (cd_test_json_string (certificate, "holder_name"), ==, row->holder_name);
  g_assert_cmpstr (cd_test_json_string (certificate, "gender"), ==, row->gender);
  g_assert_cmpstr (cd_test_json_string (certificate, "id_number_masked"), ==, masked);
  g_assert_cmpstr (cd_test_json_string (certificate, "management_no"), ==, row->management_no);
  g_assert_cmpstr (cd_test_json_string (certificate, "issued_on"), ==, row->issued_on);
  g_assert_cmpstr (cd_test_json_string (certificate, "issuer"), ==, row->issuer);
  g_assert_cmpstr (cd_test_json_string (certificate, "status"), ==, row->status);
}

static void
assert_import_ok (CdTestService *service,
                  const char    *csv,
                  guint          n_rows)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *pattern = g_strdup_printf ("Imported %u certificates? from .*\\.csv", n_rows);
  int status = cd_test_service_run_import (service, csv, &out, &err);

  if (status != 0)
    g_error ("import failed with %d; stdout: %s; stderr: %s; CSV:\n%s", status, out, err, csv);
  if (!g_regex_match_simple (pattern, out, 0, 0))
    g_error ("import of %u rows does not say how many: %s", n_rows, out);
}

static void
test_good_file (void)
{
  g_autoptr(CdTestService) service = cd_test_service_startv (NULL);
  g_autoptr(CdTestHolder) early = cd_test_holder_new_ready (service, "许早");
  g_autoptr(CdTestHolder) late = cd_test_holder_new ("邓晚");
  g_autoptr(CdTestHolder) nobody = cd_test_holder_new ("无名");
  g_autoptr(CdTestHolder) traveller = cd_test_holder_new ("Anna Müller");
  g_autoptr(CdTestCertRow) traveller_row = NULL;
  g_autoptr(CdTestResponse) traveller_list = NULL;
  g_autoptr(CdTestCertRow) early_old = cd_test_cert_row_new (early, "注册安全工程师", "valid");
  g_autoptr(CdTestCertRow) early_new = cd_test_cert_row_new (early, "执业药师", "suspended");
  g_autoptr(CdTestCertRow) late_row = cd_test_cert_row_new (late, "一级建造师", "valid");
  g_autoptr(CdTestCertRow) nobody_row = cd_test_cert_row_new (nobody, "注册会计师", "revoked");
  g_autoptr(CdTestResponse) early_list = NULL;
  g_autoptr(CdTestResponse) late_list = NULL;
  CdTestCertRow *rows[5];
  g_autofree char *csv = NULL;
  JsonArray *certificates;

  g_free (traveller->id_type);
  traveller->id_type = g_strdup ("passport");
  g_free (traveller->id_number);
  traveller->id_number = g_strdup_printf ("E%08u", g_random_int_range (0, 100000000));
  traveller_row = cd_test_cert_row_new (traveller, "注册安全工程师", "valid");
  cd_test_cert_row_set (traveller_row, "gender", "女");

  cd_test_cert_row_set (early_old, "issued_on", "2016-02-29");
  cd_test_cert_row_set (early_new, "issued_on", "2023-10-08");
  /* Quoted fields: a comma, a quote, a newline. */
  cd_test_cert_row_set (early_new, "specialty", "中药学,药学");
  cd_test_cert_row_set (early_new, "issuer", "国家药品监督管理局 \"执业药师资格认证中心\"");
  cd_test_cert_row_set (early_new, "level", "高级");
  cd_test_cert_row_set (early_new, "gender", "女");
  cd_test_cert_row_set (late_row, "specialty", "建筑工程\n市政公用工程");
  rows[0] = early_old;
  rows[1] = early_new;
  rows[2] = late_row;
  rows[3] = nobody_row;
  rows[4] = traveller_row;
  csv = cd_test_csv_format (rows, G_N_ELEMENTS (rows));

  assert_import_ok (service, csv, G_N_ELEMENTS (rows));

  /* Registered before the import: both of theirs, newest first, nothing else. */
  certificates = list_certificates (service, early, &early_list);
  g_assert_cmpuint (json_array_get_length (certificates), ==, 2);
  assert_matches_row (json_array_get_object_element (certificates, 0), early_new);
  assert_matches_row (json_array_get_object_element (certificates, 1), early_old);

  /* Registered after the import: linked by the ID number. */
  cd_test_holder_register (service, late);
  cd_test_holder_sign_in (service, late);
  cd_test_holder_accept_notice (service, late);
  certificates = list_certificates (service, late, &late_list);
  g_assert_cmpuint (json_array_get_length (certificates), ==, 1);
  assert_matches_row (json_array_get_object_element (certificates, 0), late_row);
  g_assert_null (strstr (late_list->text, nobody_row->cert_no));
  g_assert_null (strstr (early_list->text, nobody_row->cert_no));

  /* A passport holder is linked the same way. */
  cd_test_holder_register (service, traveller);
  cd_test_holder_sign_in (service, traveller);
  cd_test_holder_accept_notice (service, traveller);
  certificates = list_certificates (service, traveller, &traveller_list);
  g_assert_cmpuint (json_array_get_length (certificates), ==, 1);
  g_assert_cmpstr (cd_test_json_string (json_array_get_object_element (certificates, 0), "cert_no"), ==,
                   traveller_row->cert_no);
  g_assert_null (strstr (traveller_list->text, traveller->id_number));
}

/* RFC 4180 line ends and a byte-order mark, as spreadsheets write them. */
static void
test_crlf_and_bom (void)
{
  g_autoptr(CdTestService) service = cd_test_service_startv (NULL);
  g_autoptr(CdTestHolder) holder = cd_test_holder_new_ready (service, "唐表格");
  g_autoptr(CdTestCertRow) row = cd_test_cert_row_new (holder, "注册安全工程师", "valid");
  g_autoptr(CdTestResponse) listed = NULL;
  g_autofree char *csv = cd_test_csv_format (&row, 1);
  g_autoptr(GString) windows = g_string_new ("\xEF\xBB\xBF");
  JsonArray *certificates;

  g_string_append (windows, csv);
  g_string_replace (windows, "\n", "\r\n", 0);
  assert_import_ok (service, windows->str, 1);

  certificates = list_certificates (service, holder, &listed);
  g_assert_cmpuint (json_array_get_length (certificates), ==, 1);
  assert_matches_row (json_array_get_object_element (certificates, 0), row);
}

typedef struct
{
  const char *description;
  guint       bad_row;     /* 1-based file row (the header is row 1); 0: not checked */
  const char *column;      /* the column to spoil, NULL for the special cases below */
  const char *value;
  gboolean    multiline;   /* row 2 holds a quoted line break: rows are records, not lines */
} BadFile;

static char *
drop_last_field (const char *csv,
                 guint       file_row)
{
  g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
  char *comma = strrchr (lines[file_row - 1], ',');

  g_assert_nonnull (comma);
  *comma = '\0';

  return g_strjoinv ("\n", lines);
}

static void
test_bad_rows (void)
{
  static const BadFile bad_files[] = {
    { "bad check digit", 3, "id_number", NULL },
    { "gender not 男/女", 2, "gender", "M" },
    { "impossible date", 4, "issued_on", "2021-02-30" },
    { "date in another format", 3, "issued_on", "2021/06/18" },
    { "unknown status", 3, "status", "expired" },
    { "unknown id_type", 4, "id_type", "driver_license" },
    { "empty cert_no", 2, "cert_no", "" },
    { "empty holder_name", 3, "holder_name", "" },
    { "missing column", 3, NULL, "drop" },
    { "duplicate cert_no", 3, NULL, "duplicate" },
    { "invalid UTF-8", 4, "holder_name", "\xff\xfe" },
    { "bad check digit after a quoted line break", 3, "id_number", NULL, TRUE },
    { "born before 1900", 3, "id_number", "11010518991231123" },
    { "resident ID starting with 0", 2, "id_number", "01010519900101123" },
    { "65-character qualification", 3, "qualification",
      "张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张张" },
    { "cert_no with a space", 2, "cert_no", "AQ 2021" },
    { "cert_no with an underscore", 4, "cert_no", "AQ_2021" },
    { "passport number with a hyphen", 3, NULL, "passport" },
    { "blank line in the middle", 3, NULL, "blank" },
    { "unclosed quote", 5, NULL, "unclosed" },
  };
  g_autoptr(CdTestService) service = cd_test_service_startv (NULL);
  g_autoptr(CdTestHolder) holder = cd_test_holder_new_ready (service, "萧已有");
  g_autofree char *existing_id = cd_test_service_add_certificate (service, holder, "注册安全工程师", "valid", NULL);
  g_autoptr(CdTestResponse) before_list = NULL;
  g_autofree char *before = cd_test_service_store_dump (service);

  list_certificates (service, holder, &before_list);

  for (guint i = 0; i < G_N_ELEMENTS (bad_files); i++)
    {
      const BadFile *bad = &bad_files[i];
      g_autoptr(CdTestCertRow) first = cd_test_cert_row_new (holder, "执业药师", "valid");
      g_autoptr(CdTestCertRow) second = cd_test_cert_row_new (holder, "一级建造师", "valid");
      g_autoptr(CdTestCertRow) third = cd_test_cert_row_new (holder, "注册会计师", "valid");
      CdTestCertRow *rows[3] = { first, second, third };
      g_autofree char *csv = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *pattern = g_strdup_printf ("(?i)\\brow\\s*%u\\b", bad->bad_row);
      g_autoptr(CdTestResponse) after_list = NULL;
      CdTestCertRow *spoilt = bad->bad_row - 2 < G_N_ELEMENTS (rows) ? rows[bad->bad_row - 2] : NULL;
      int status;

      if (bad->multiline)
        cd_test_cert_row_set (first, "specialty", "建筑工程\n市政公用工程");

      if (bad->column != NULL && g_str_equal (bad->column, "id_number") && bad->value == NULL)
        {
          g_autofree char *wrong = g_strdup (spoilt->id_number);

          wrong[17] = wrong[17] == '0' ? '1' : '0';
          cd_test_cert_row_set (spoilt, "id_number", wrong);
        }
      else if (bad->column != NULL && g_str_equal (bad->column, "id_number"))
        {
          /* A right check character on a wrong number. */
          g_autofree char *id_number = cd_test_resident_id_complete (bad->value);

          cd_test_cert_row_set (spoilt, "id_number", id_number);
        }
      else if (bad->column != NULL)
        cd_test_cert_row_set (spoilt, bad->column, bad->value);
      else if (g_str_equal (bad->value, "duplicate"))
        cd_test_cert_row_set (spoilt, "cert_no", rows[bad->bad_row - 3]->cert_no);
      else if (g_str_equal (bad->value, "passport"))
        {
          cd_test_cert_row_set (spoilt, "id_type", "passport");
          cd_test_cert_row_set (spoilt, "id_number", "E1234-5678");
        }

      csv = cd_test_csv_format (rows, G_N_ELEMENTS (rows));
      if (bad->column == NULL && g_str_equal (bad->value, "drop"))
        {
          char *dropped = drop_last_field (csv, bad->bad_row);

          g_free (csv);
          csv = dropped;
        }
      else if (bad->column == NULL && g_str_equal (bad->value, "blank"))
        {
          g_auto(GStrv) lines = g_strsplit (csv, "\n", 3);

          g_free (csv);
          csv = g_strconcat (lines[0], "\n", lines[1], "\n\n", lines[2], NULL);
        }
      else if (bad->column == NULL && g_str_equal (bad->value, "unclosed"))
        {
          char *unclosed = g_strconcat (csv, "AQ9999,\"never closed,x\n", NULL);

          g_free (csv);
          csv = unclosed;
        }

      g_test_message ("bad file: %s in row %u", bad->description, bad->bad_row);
      status = cd_test_service_run_import (service, csv, &out, &err);
      if (status != 1)
        g_error ("%s: import exited with %d, not 1 (stdout: %s, stderr: %s)", bad->description, status, out, err);
      if (!g_regex_match_simple (pattern, err, 0, 0))
        g_error ("%s: stderr does not name row %u: %s", bad->description, bad->bad_row, err);

      /* Nothing imported, not even the good rows. */
      cd_test_assert_store_unchanged (service, before);
      list_certificates (service, holder, &after_list);
      g_assert_cmpstr (after_list->text, ==, before_list->text);
    }

  g_assert_nonnull (existing_id);
}

static void
test_bad_files (void)
{
  g_autoptr(CdTestService) service = cd_test_service_startv (NULL);
  g_autoptr(CdTestHolder) holder = cd_test_holder_new_ready (service, "薛文件");
  g_autoptr(CdTestCertRow) row = cd_test_cert_row_new (holder, "执业药师", "valid");
  g_autofree char *good = cd_test_csv_format (&row, 1);
  g_autofree char *before = NULL;
  const char *no_header;
  g_autofree char *renamed = NULL;
  g_autoptr(GString) missing_column = NULL;
  g_autofree char *header_only = NULL;
  g_autofree char *extra_column = NULL;
  g_autofree char *twice = NULL;
  const char *files[7];

  /* A certificate already there, so that "unchanged" means something. */
  g_free (cd_test_service_add_certificate (service, holder, "注册安全工程师", "valid", NULL));
  before = cd_test_service_store_dump (service);

  no_header = strchr (good, '\n') + 1;
  renamed = g_strconcat ("certificate_number", strchr (good, ','), NULL);
  missing_column = g_string_new (good);
  g_string_replace (missing_column, ",status\n", "\n", 1);
  header_only = g_strndup (good, strchr (good, '\n') + 1 - good);
  {
    g_auto(GStrv) lines = g_strsplit (good, "\n", -1);

    extra_column = g_strdup_printf ("%s,remark\n%s,x\n", lines[0], lines[1]);
    twice = g_strdup_printf ("%s,status\n%s,valid\n", lines[0], lines[1]);
  }
  files[0] = "";
  files[1] = no_header;
  files[2] = renamed;
  files[3] = missing_column->str;
  files[4] = header_only;
  files[5] = extra_column;
  files[6] = twice;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status = cd_test_service_run_import (service, files[i], &out, &err);

      g_test_message ("bad file %u: exit %d, stderr %s", i, status, err);
      g_assert_cmpint (status, ==, 1);
      g_assert_cmpuint (strlen (g_strstrip (err)), >, 0);
      cd_test_assert_store_unchanged (service, before);
    }

  /* A missing file. */
  {
    g_autofree char *missing = g_build_filename (service->root_dir, "does-not-exist.csv", NULL);
    const char *argv[] = { g_getenv ("CERTDESK_SERVER_BINARY"), "import", missing, "--data-dir",
                           service->data_dir, NULL };

    g_assert_cmpint (cd_test_run_command (argv, 30, NULL, NULL), ==, 1);
    cd_test_assert_store_unchanged (service, before);
  }

  /* Wrong command lines exit with 2. */
  {
    g_autofree char *path = g_build_filename (service->root_dir, "good.csv", NULL);
    const char *binary = g_getenv ("CERTDESK_SERVER_BINARY");
    const char *no_file[] = { binary, "import", "--data-dir", service->data_dir, NULL };
    const char *two_files[] = { binary, "import", path, path, "--data-dir", service->data_dir, NULL };
    const char *bad_option[] = { binary, "import", path, "--data-dir", service->data_dir, "--bogus", NULL };
    const char * const *command_lines[] = { no_file, two_files, bad_option };

    g_file_set_contents (path, good, -1, NULL);
    for (guint i = 0; i < G_N_ELEMENTS (command_lines); i++)
      {
        g_autofree char *err = NULL;

        g_assert_cmpint (cd_test_run_command (command_lines[i], 30, NULL, &err), ==, 2);
        g_assert_cmpuint (strlen (err), >, 0);
      }
    cd_test_assert_store_unchanged (service, before);
  }
}

/* docs/import.md: columns in any order, values trimmed, a lower-case x, blank lines at
 * the end, 64-character values. */
static void
test_file_format (void)
{
  g_autoptr(CdTestService) service = cd_test_service_startv (NULL);
  g_autoptr(CdTestHolder) holder = cd_test_holder_new ("欧阳娜娜");
  g_autoptr(CdTestCertRow) row = NULL;
  g_autoptr(CdTestCertRow) second = NULL;
  g_autoptr(GString) csv = g_string_new (NULL);
  g_autoptr(GString) long_value = g_string_new (NULL);
  g_autoptr(CdTestResponse) listed = NULL;
  g_autofree char *lower_x = NULL;
  static const char * const columns[] = {
    "status", "issuer", "issued_on", "management_no", "id_number", "id_type", "gender",
    "holder_name", "level", "specialty", "qualification", "cert_no",
  };
  JsonArray *certificates;

  /* A resident ID number whose check character is X. */
  do
    {
      g_free (holder->id_number);
      holder->id_number = cd_test_resident_id_new ();
    }
  while (holder->id_number[17] != 'X');
  lower_x = g_ascii_strdown (holder->id_number, -1);

  cd_test_holder_register (service, holder);
  cd_test_holder_sign_in (service, holder);
  cd_test_holder_accept_notice (service, holder);

  for (guint i = 0; i < 64; i++)
    g_string_append (long_value, "证");
  row = cd_test_cert_row_new (holder, long_value->str, "valid");
  second = cd_test_cert_row_new (holder, "执业药师", "revoked");
  cd_test_cert_row_set (row, "issued_on", "2024-02-29");
  cd_test_cert_row_set (second, "issued_on", "2000-01-01");

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    g_string_append_printf (csv, "%s%s", i > 0 ? "," : "", columns[i]);
  g_string_append (csv, "\n");
  g_string_append_printf (csv, "  %s ,\t%s, %s,%s , %s ,%s,%s,%s,%s,%s,%s,  %s\t\n",
                          row->status, row->issuer, row->issued_on, row->management_no, lower_x,
                          row->id_type, row->gender, row->holder_name, row->level, row->specialty,
                          row->qualification, row->cert_no);
  g_string_append_printf (csv, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n\n\n",
                          second->status, second->issuer, second->issued_on, second->management_no,
                          holder->id_number, second->id_type, second->gender, second->holder_name,
                          second->level, second->specialty, second->qualification, second->cert_no);

  assert_import_ok (service, csv->str, 2);

  certificates = list_certificates (service, holder, &listed);
  g_assert_cmpuint (json_array_get_length (certificates), ==, 2);
  assert_matches_row (json_array_get_object_element (certificates, 0), row);
  assert_matches_row (json_array_get_object_element (certificates, 1), second);
}

static void
test_reimport_updates (void)
{
  g_autoptr(CdTestService) service = cd_test_service_startv (NULL);
  g_autoptr(CdTestHolder) holder = cd_test_holder_new_ready (service, "傅更新");
  g_autoptr(CdTestCertRow) row = cd_test_cert_row_new (holder, "注册安全工程师", "valid");
  g_autoptr(CdTestResponse) listed = NULL;
  g_autoptr(JsonObject) ready = NULL;
  g_autofree char *certificate_id = NULL;
  g_autofree char *annotation_id = NULL;
  g_autofree char *verify_path = NULL;
  g_autofree char *csv = NULL;
  JsonArray *certificates;
  JsonObject *certificate;

  csv = cd_test_csv_format (&row, 1);
  assert_import_ok (service, csv, 1);
  certificate_id = cd_test_service_find_certificate (service, holder, row->cert_no);
  g_assert_nonnull (certificate_id);

  annotation_id = cd_test_service_apply_ok (service, holder->token, certificate_id, 30);
  ready = cd_test_service_wait_annotation (service, holder->token, annotation_id, 20);
  verify_path = g_strdup_printf ("/verify?cert_no=%s&code=%s", row->cert_no,
                                 cd_test_json_string (ready, "verification_code"));
  {
    g_autoptr(CdTestResponse) verified = cd_test_service_request (service, "GET", verify_path, NULL, NULL);

    g_assert_true (cd_test_json_bool (cd_test_assert_json (verified, 200), "valid"));
  }

  /* The operator revokes it (and corrects the level on the way). */
  cd_test_cert_row_set (row, "status", "revoked");
  cd_test_cert_row_set (row, "level", "高级");
  g_free (csv);
  csv = cd_test_csv_format (&row, 1);
  assert_import_ok (service, csv, 1);

  certificates = list_certificates (service, holder, &listed);
  g_assert_cmpuint (json_array_get_length (certificates), ==, 1);
  certificate = find_by_cert_no (certificates, row->cert_no);
  assert_matches_row (certificate, row);
  g_assert_cmpstr (cd_test_json_string (certificate, "id"), ==, certificate_id);
  g_assert_cmpstr (cd_test_json_string (cd_test_json_object (certificate, "latest_annotation"), "id"), ==,
                   annotation_id);

  {
    g_autoptr(CdTestResponse) refused = cd_test_service_apply (service, holder->token, certificate_id, 30);
    g_autoptr(CdTestResponse) verified = cd_test_service_request (service, "GET", verify_path, NULL, NULL);
    JsonObject *error = cd_test_assert_error (refused, 409, "certificate_not_valid");
    JsonObject *root;

    g_assert_cmpstr (cd_test_json_string (error, "status"), ==, "revoked");
    root = cd_test_assert_json (verified, 200);
    g_assert_false (cd_test_json_bool (root, "valid"));
    g_assert_cmpstr (cd_test_json_string (cd_test_json_object (root, "certificate"), "status"), ==, "revoked");
  }

  /* Reinstated: valid again, same id, the annotation verifies again. */
  cd_test_cert_row_set (row, "status", "valid");
  g_free (csv);
  csv = cd_test_csv_format (&row, 1);
  assert_import_ok (service, csv, 1);
  {
    g_autofree char *again_id = cd_test_service_find_certificate (service, holder, row->cert_no);
    g_autoptr(CdTestResponse) verified = cd_test_service_request (service, "GET", verify_path, NULL, NULL);

    g_assert_cmpstr (again_id, ==, certificate_id);
    g_assert_true (cd_test_json_bool (cd_test_assert_json (verified, 200), "valid"));
  }
}

int
main (int   argc,
      char *argv[])
{
  cd_test_keep_going (&argc, &argv);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/certdesk/service/import/good-file", test_good_file);
  g_test_add_func ("/certdesk/service/import/crlf-and-bom", test_crlf_and_bom);
  g_test_add_func ("/certdesk/service/import/file-format", test_file_format);
  g_test_add_func ("/certdesk/service/import/bad-rows", test_bad_rows);
  g_test_add_func ("/certdesk/service/import/bad-files", test_bad_files);
  g_test_add_func ("/certdesk/service/import/reimport-updates", test_reimport_updates);

  return g_test_run ();
}
