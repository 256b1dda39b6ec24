#include "config.h"

#include "cd-csv-import.h"

#include <string.h>

#define BOM "\xEF\xBB\xBF"
#define HEADER "cert_no,qualification,specialty,level,holder_name,gender,id_type,id_number," \
               "management_no,issued_on,issuer,status\n"
#define GOOD_ROW "AQ2021110105000123,注册安全工程师,化工安全,中级,张三,男,resident_id," \
                 "110105199003071239,2021110105000123,2021-06-18,中华人民共和国应急管理部,valid\n"

#define TEN_A "AAAAAAAAAA"
#define TEN_ZH "张张张张张张张张张张"
#define SIXTY_FOUR_A TEN_A TEN_A TEN_A TEN_A TEN_A TEN_A "AAAA"
#define SIXTY_FOUR_ZH TEN_ZH TEN_ZH TEN_ZH TEN_ZH TEN_ZH TEN_ZH "张张张张"

/* In the order of HEADER; build_row() replaces some of them. */
static const char *columns[] = {
  "cert_no", "qualification", "specialty", "level", "holder_name", "gender", "id_type",
  "id_number", "management_no", "issued_on", "issuer", "status",
};
static const char *row_values[] = {
  "AQ2021110105000124", "注册安全工程师", "化工安全", "中级", "李四", "女", "resident_id",
  "11010519900307128X", "2021110105000124", "2021-06-18", "中华人民共和国应急管理部", "valid",
};

typedef struct
{
  const char *name;
  const char *column;
  const char *value;
  const char *other_column; /* nullable: a second replacement */
  const char *other_value;
  const char *detail;       /* nullable: text the message must contain */
} BadValue;

static const BadValue bad_values[] = {
  { "cert-no-empty", "cert_no", "", NULL, NULL, "empty" },
  { "cert-no-slash", "cert_no", "AQ/2021", NULL, NULL, "AQ/2021" },
  { "cert-no-inner-space", "cert_no", "AQ 2021", NULL, NULL, NULL },
  { "cert-no-chinese", "cert_no", "证书2021", NULL, NULL, NULL },
  { "cert-no-too-long", "cert_no", SIXTY_FOUR_A "A", NULL, NULL, "65 characters" },
  { "qualification-empty", "qualification", "", NULL, NULL, "empty" },
  { "qualification-blank", "qualification", "  \t ", NULL, NULL, "empty" },
  { "qualification-too-long", "qualification", SIXTY_FOUR_ZH "张", NULL, NULL, "65 characters" },
  { "specialty-too-long", "specialty", SIXTY_FOUR_ZH "张", NULL, NULL, "65 characters" },
  { "level-too-long", "level", SIXTY_FOUR_ZH "张", NULL, NULL, "65 characters" },
  { "holder-name-empty", "holder_name", "", NULL, NULL, "empty" },
  { "holder-name-too-long", "holder_name", SIXTY_FOUR_ZH "张", NULL, NULL, "65 characters" },
  { "gender-latin", "gender", "M", NULL, NULL, "M" },
  { "gender-empty", "gender", "", NULL, NULL, NULL },
  { "gender-word", "gender", "男性", NULL, NULL, NULL },
  { "id-type-chinese", "id_type", "身份证", NULL, NULL, "身份证" },
  { "id-type-case", "id_type", "Resident_ID", NULL, NULL, NULL },
  { "id-type-empty", "id_type", "", NULL, NULL, NULL },
  { "id-number-check-digit", "id_number", "110105199003071238", NULL, NULL,
    "the check digit of the resident ID number does not match" },
  { "id-number-short", "id_number", "11010519900307123", NULL, NULL, "18 characters" },
  { "id-number-empty", "id_number", "", NULL, NULL, NULL },
  { "id-number-letters", "id_number", "1101051990030712A9", NULL, NULL, "digits" },
  { "id-number-birth-date", "id_number", "110105199002301231", NULL, NULL, "birth date" },
  { "id-number-passport-short", "id_number", "E123", "id_type", "passport", "5 to 32" },
  { "id-number-other-symbols", "id_number", "HK-123456", "id_type", "other", NULL },
  { "management-no-empty", "management_no", "", NULL, NULL, "empty" },
  { "management-no-too-long", "management_no", SIXTY_FOUR_A "A", NULL, NULL, "65 characters" },
  { "issued-on-february-29", "issued_on", "2021-02-29", NULL, NULL, "2021-02-29" },
  { "issued-on-month-13", "issued_on", "2021-13-01", NULL, NULL, NULL },
  { "issued-on-day-0", "issued_on", "2021-06-00", NULL, NULL, NULL },
  { "issued-on-year-0", "issued_on", "0000-06-18", NULL, NULL, NULL },
  { "issued-on-short", "issued_on", "2021-6-18", NULL, NULL, NULL },
  { "issued-on-slashes", "issued_on", "2021/06/18", NULL, NULL, NULL },
  { "issued-on-chinese", "issued_on", "2021年6月18日", NULL, NULL, NULL },
  { "issued-on-empty", "issued_on", "", NULL, NULL, NULL },
  { "issuer-empty", "issuer", "", NULL, NULL, "empty" },
  { "issuer-too-long", "issuer", SIXTY_FOUR_ZH "张", NULL, NULL, "65 characters" },
  { "status-unknown", "status", "active", NULL, NULL, "active" },
  { "status-case", "status", "Valid", NULL, NULL, NULL },
  { "status-empty", "status", "", NULL, NULL, NULL },
};

/* A data row in HEADER order with up to two values replaced. */
static char *
build_row (const char *column,
           const char *value,
           const char *other_column,
           const char *other_value)
{
  GString *row = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      const char *v = row_values[i];

      if (column != NULL && g_str_equal (columns[i], column))
        v = value;
      else if (other_column != NULL && g_str_equal (columns[i], other_column))
        v = other_value;

      if (i > 0)
        g_string_append_c (row, ',');
      g_string_append (row, v);
    }
  g_string_append_c (row, '\n');

  return g_string_free (row, FALSE);
}

static GPtrArray *
parse_string (const char  *data,
              GError     **error)
{
  return cd_csv_import_parse (data, strlen (data), error);
}

/* @location is the start of the message, e.g. "Row 3, column gender: ". */
static void
assert_fails_len (const char *data,
                  gsize       length,
                  const char *location,
                  const char *detail)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *start = NULL;

  records = cd_csv_import_parse (data, length, &error);
  g_assert_null (records);
  g_assert_error (error, CD_CSV_IMPORT_ERROR, CD_CSV_IMPORT_ERROR_INVALID);
  g_test_message ("%s", error->message);

  start = g_strndup (error->message, strlen (location));
  g_assert_cmpstr (start, ==, location);
  if (detail != NULL)
    g_assert_nonnull (strstr (error->message, detail));
}

static void
assert_fails (const char *data,
              const char *location,
              const char *detail)
{
  assert_fails_len (data, strlen (data), location, detail);
}

static void
test_good_file (void)
{
  /* A spreadsheet export: BOM, CRLF, its own column order, quoting, padding and
   * blank lines at the end. */
  const char *data =
    BOM "status , issuer,issued_on,management_no,id_number,id_type,gender,holder_name,level,"
    "specialty,qualification,cert_no\r\n"
    "valid,中华人民共和国应急管理部,2021-06-18,2021110105000123,110105199003071239,"
    "resident_id,男,张三,中级,化工安全,注册安全工程师,AQ2021110105000123\r\n"
    "revoked,\"国家药品监督管理局, 人力资源和社会保障部\",2019-10-12,  ZY20191012\t,"
    "11010519900307128x,resident_id,女,\"李\"\"小\"\"四\",,\"\",执业药师,ZY-2019-0001\r\n"
    "suspended, \"中华人民共和国\n住房和城乡建设部\" ,2020-01-05,JZ2020,E12345678,passport,男,"
    "王五,一级,建筑工程,一级建造师,jz2020a0001\r\n"
    "\r\n"
    "  \r\n";
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  CdCertificateRecord *r;

  records = parse_string (data, &error);
  g_assert_no_error (error);
  g_assert_nonnull (records);
  g_assert_cmpuint (records->len, ==, 3);

  r = records->pdata[0];
  g_assert_null (r->id);
  g_assert_null (r->latest_annotation);
  g_assert_cmpstr (r->cert_no, ==, "AQ2021110105000123");
  g_assert_cmpstr (r->qualification, ==, "注册安全工程师");
  g_assert_cmpstr (r->specialty, ==, "化工安全");
  g_assert_cmpstr (r->level, ==, "中级");
  g_assert_cmpstr (r->holder_name, ==, "张三");
  g_assert_cmpstr (r->gender, ==, "男");
  g_assert_cmpint (r->id_type, ==, CD_ID_TYPE_RESIDENT_ID);
  g_assert_cmpstr (r->id_number, ==, "110105199003071239");
  g_assert_cmpstr (r->management_no, ==, "2021110105000123");
  g_assert_cmpstr (r->issued_on, ==, "2021-06-18");
  g_assert_cmpstr (r->issuer, ==, "中华人民共和国应急管理部");
  g_assert_cmpint (r->status, ==, CD_CERTIFICATE_STATUS_VALID);

  r = records->pdata[1];
  g_assert_cmpstr (r->cert_no, ==, "ZY-2019-0001");
  g_assert_cmpstr (r->issuer, ==, "国家药品监督管理局, 人力资源和社会保障部");
  g_assert_cmpstr (r->management_no, ==, "ZY20191012");
  g_assert_cmpstr (r->id_number, ==, "11010519900307128X");
  g_assert_cmpstr (r->holder_name, ==, "李\"小\"四");
  g_assert_cmpstr (r->gender, ==, "女");
  g_assert_cmpstr (r->level, ==, "");
  g_assert_cmpstr (r->specialty, ==, "");
  g_assert_cmpint (r->status, ==, CD_CERTIFICATE_STATUS_REVOKED);

  r = records->pdata[2];
  g_assert_cmpstr (r->cert_no, ==, "jz2020a0001");
  g_assert_cmpstr (r->issuer, ==, "中华人民共和国\n住房和城乡建设部");
  g_assert_cmpint (r->id_type, ==, CD_ID_TYPE_PASSPORT);
  g_assert_cmpstr (r->id_number, ==, "E12345678");
  g_assert_cmpstr (r->qualification, ==, "一级建造师");
  g_assert_cmpint (r->status, ==, CD_CERTIFICATE_STATUS_SUSPENDED);
}

static void
test_good_no_final_newline (void)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *row = build_row (NULL, NULL, NULL, NULL);
  g_autofree char *data = NULL;

  /* Drop the newline of the last row. */
  row[strlen (row) - 1] = '\0';
  data = g_strconcat (HEADER, GOOD_ROW, row, NULL);

  records = parse_string (data, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 2);
  g_assert_cmpstr (((CdCertificateRecord *) records->pdata[1])->cert_no, ==, "AQ2021110105000124");
  g_assert_cmpint (((CdCertificateRecord *) records->pdata[1])->status, ==,
                   CD_CERTIFICATE_STATUS_VALID);
}

static void
test_limits (void)
{
  /* Lengths count characters: 64 Chinese characters are 192 bytes. */
  const char *data =
    HEADER
    SIXTY_FOUR_A "," SIXTY_FOUR_ZH "," SIXTY_FOUR_ZH "," SIXTY_FOUR_ZH "," SIXTY_FOUR_ZH
    ",女,passport,P" TEN_A TEN_A TEN_A "1,M-1,2020-02-29," SIXTY_FOUR_ZH ",valid\n"
    "X,执业药师,,,赵六,男,other,12345,1,1999-12-31,国家药品监督管理局,revoked\n";
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  CdCertificateRecord *r;

  records = parse_string (data, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 2);

  r = records->pdata[0];
  g_assert_cmpstr (r->cert_no, ==, SIXTY_FOUR_A);
  g_assert_cmpstr (r->holder_name, ==, SIXTY_FOUR_ZH);
  g_assert_cmpstr (r->issuer, ==, SIXTY_FOUR_ZH);
  g_assert_cmpuint (strlen (r->id_number), ==, 32);
  g_assert_cmpstr (r->issued_on, ==, "2020-02-29");

  r = records->pdata[1];
  g_assert_cmpint (r->id_type, ==, CD_ID_TYPE_OTHER);
  g_assert_cmpstr (r->id_number, ==, "12345");
}

static void
test_bad_value (gconstpointer user_data)
{
  const BadValue *bad = user_data;
  g_autofree char *row = build_row (bad->column, bad->value, bad->other_column, bad->other_value);
  g_autofree char *data = g_strconcat (HEADER, GOOD_ROW, row, NULL);
  g_autofree char *location = g_strdup_printf ("Row 3, column %s: ", bad->column);

  assert_fails (data, location, bad->detail);
}

static void
test_column_count (void)
{
  g_autofree char *row = build_row (NULL, NULL, NULL, NULL);
  g_autofree char *short_row = g_strndup (row, strrchr (row, ',') - row);
  g_autofree char *too_few = g_strconcat (HEADER, GOOD_ROW, short_row, "\n", NULL);
  g_autofree char *long_row = g_strndup (row, strlen (row) - 1);
  g_autofree char *too_many = g_strconcat (HEADER, GOOD_ROW, long_row, ",extra\n", NULL);
  g_autofree char *trailing_comma = g_strconcat (HEADER, GOOD_ROW, long_row, ",\n", NULL);

  assert_fails (too_few, "Row 3, column status: ", "11 columns");
  assert_fails (too_many, "Row 3, column 13: ", "13 columns");
  assert_fails (trailing_comma, "Row 3, column 13: ", "13 columns");
}

static void
test_duplicate_cert_no (void)
{
  g_autofree char *row = build_row (NULL, NULL, NULL, NULL);
  g_autofree char *data = g_strconcat (HEADER, GOOD_ROW, row, GOOD_ROW, NULL);

  assert_fails (data, "Row 4, column cert_no: ", "row 2");
}

static void
test_invalid_utf8 (void)
{
  g_autofree char *truncated = build_row ("holder_name", "\xE5\xBC", NULL, NULL);
  g_autofree char *truncated_data = g_strconcat (HEADER, GOOD_ROW, truncated, NULL);
  g_autofree char *latin1 = build_row ("issuer", "M\xFCller GmbH", NULL, NULL);
  g_autofree char *latin1_data = g_strconcat (HEADER, GOOD_ROW, latin1, NULL);
  g_autofree char *header_data = g_strconcat ("cert_no,qualification\xFF", HEADER, NULL);
  /* A NUL byte must not silently cut the value short. */
  static const char nul_data[] = HEADER "A1,执业药师,,,赵六,男,other,12345,1,1999-12-31,国家\0局,valid\n";

  assert_fails (truncated_data, "Row 3, column holder_name: ", "UTF-8");
  assert_fails (latin1_data, "Row 3, column issuer: ", "UTF-8");
  assert_fails (header_data, "Row 1, column 2: ", "UTF-8");
  assert_fails_len (nul_data, sizeof nul_data - 1, "Row 2, column issuer: ", "UTF-8");
}

static void
test_unterminated_quote (void)
{
  g_autofree char *row = build_row ("issuer", "\"中华人民共和国应急管理部", NULL, NULL);
  g_autofree char *data = g_strconcat (HEADER, GOOD_ROW, row, GOOD_ROW, NULL);
  g_autofree char *header = g_strconcat ("\"", HEADER, GOOD_ROW, NULL);

  assert_fails (data, "Row 3, column issuer: ", "quote");
  assert_fails (header, "Row 1, column 1: ", "quote");
}

static void
test_misplaced_quote (void)
{
  g_autofree char *inside = build_row ("holder_name", "张\"三", NULL, NULL);
  g_autofree char *inside_data = g_strconcat (HEADER, GOOD_ROW, inside, NULL);
  g_autofree char *after = build_row ("holder_name", "\"张三\"三", NULL, NULL);
  g_autofree char *after_data = g_strconcat (HEADER, GOOD_ROW, after, NULL);

  assert_fails (inside_data, "Row 3, column holder_name: ", "quote");
  assert_fails (after_data, "Row 3, column holder_name: ", "quote");
}

static void
test_empty_file (void)
{
  assert_fails ("", "Row 1: ", "empty");
  assert_fails_len (NULL, 0, "Row 1: ", "empty");
  assert_fails (BOM, "Row 1: ", "empty");
  assert_fails ("\n\r\n  \n", "Row 1: ", "empty");
}

static void
test_header_only (void)
{
  g_autofree char *no_newline = g_strndup (HEADER, strlen (HEADER) - 1);

  assert_fails (HEADER, "Row 2: ", "no certificate rows");
  assert_fails (no_newline, "Row 2: ", "no certificate rows");
  assert_fails (BOM HEADER "\r\n\r\n", "Row 2: ", "no certificate rows");
}

static void
test_header_unknown_column (void)
{
  const char *data =
    "cert_no,qualification,specialty,grade,holder_name,gender,id_type,id_number,"
    "management_no,issued_on,issuer,status\n" GOOD_ROW;

  assert_fails (data, "Row 1, column 4: ", "grade");
}

static void
test_header_duplicate_column (void)
{
  const char *data =
    "cert_no,qualification,specialty,level,holder_name,gender,id_type,id_number,"
    "management_no,issued_on,issuer,cert_no\n" GOOD_ROW;

  assert_fails (data, "Row 1, column 12: ", "column 1");
}

static void
test_header_missing_column (void)
{
  const char *data =
    "cert_no,qualification,specialty,level,holder_name,gender,id_type,id_number,"
    "management_no,issued_on,issuer\n"
    "AQ2021110105000123,注册安全工程师,化工安全,中级,张三,男,resident_id,"
    "110105199003071239,2021110105000123,2021-06-18,中华人民共和国应急管理部\n";

  assert_fails (data, "Row 1, column status: ", NULL);
}

static void
test_blank_row_inside (void)
{
  g_autofree char *row = build_row (NULL, NULL, NULL, NULL);
  g_autofree char *data = g_strconcat (HEADER, GOOD_ROW, "\n", row, NULL);

  assert_fails (data, "Row 3: ", "empty");
}

static void
test_rows_count_records (void)
{
  /* Row 2 spans three lines; the bad row is still row 3, as a spreadsheet shows it. */
  g_autofree char *multiline = build_row ("issuer", "\"中华人民共和国\r\n住房和\n城乡建设部\"", NULL, NULL);
  g_autofree char *bad = build_row ("cert_no", "JZ1", "gender", "F");
  g_autofree char *data = g_strconcat (HEADER, multiline, bad, NULL);

  assert_fails (data, "Row 3, column gender: ", NULL);
}

static void
test_first_bad_row_wins (void)
{
  g_autofree char *bad_status = build_row ("status", "expired", NULL, NULL);
  g_autofree char *bad_gender = build_row ("cert_no", "JZ1", "gender", "F");
  g_autofree char *data = g_strconcat (HEADER, GOOD_ROW, bad_gender, bad_status, NULL);

  assert_fails (data, "Row 3, column gender: ", NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/certdesk/csv-import/good-file", test_good_file);
  g_test_add_func ("/certdesk/csv-import/good-no-final-newline", test_good_no_final_newline);
  g_test_add_func ("/certdesk/csv-import/limits", test_limits);

  for (guint i = 0; i < G_N_ELEMENTS (bad_values); i++)
    {
      g_autofree char *path = g_strdup_printf ("/certdesk/csv-import/bad-value/%s",
                                               bad_values[i].name);

      g_test_add_data_func (path, &bad_values[i], test_bad_value);
    }

  g_test_add_func ("/certdesk/csv-import/column-count", test_column_count);
  g_test_add_func ("/certdesk/csv-import/duplicate-cert-no", test_duplicate_cert_no);
  g_test_add_func ("/certdesk/csv-import/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/certdesk/csv-import/unterminated-quote", test_unterminated_quote);
  g_test_add_func ("/certdesk/csv-import/misplaced-quote", test_misplaced_quote);
  g_test_add_func ("/certdesk/csv-import/empty-file", test_empty_file);
  g_test_add_func ("/certdesk/csv-import/header-only", test_header_only);
  g_test_add_func ("/certdesk/csv-import/header-unknown-column", test_header_unknown_column);
  g_test_add_func ("/certdesk/csv-import/header-duplicate-column", test_header_duplicate_column);
  g_test_add_func ("/certdesk/csv-import/header-missing-column", test_header_missing_column);
  g_test_add_func ("/certdesk/csv-import/blank-row-inside", test_blank_row_inside);
  g_test_add_func ("/certdesk/csv-import/rows-count-records", test_rows_count_records);
  g_test_add_func ("/certdesk/csv-import/first-bad-row-wins", test_first_bad_row_wins);

  return g_test_run ();
}
