/* The operator's certificate file: RFC 4180 CSV in UTF-8 with a header row.
 *
 * The whole file is validated before anything is returned, so an import either
 * takes every row or none, and the error names the row an operator has to fix.
 */

#include "config.h"

#include "cd-csv-import.h"

#include <stdlib.h>
#include <string.h>

#define MAX_TEXT_LENGTH 64

G_DEFINE_QUARK (cd-csv-import-error-quark, cd_csv_import_error)

typedef enum
{
  COLUMN_CERT_NO,
  COLUMN_QUALIFICATION,
  COLUMN_SPECIALTY,
  COLUMN_LEVEL,
  COLUMN_HOLDER_NAME,
  COLUMN_GENDER,
  COLUMN_ID_TYPE,
  COLUMN_ID_NUMBER,
  COLUMN_MANAGEMENT_NO,
  COLUMN_ISSUED_ON,
  COLUMN_ISSUER,
  COLUMN_STATUS,
  N_COLUMNS
} Column;

/* NULL-terminated so that the header error can list them. */
static const char *column_names[N_COLUMNS + 1] = {
  [COLUMN_CERT_NO] = "cert_no",
  [COLUMN_QUALIFICATION] = "qualification",
  [COLUMN_SPECIALTY] = "specialty",
  [COLUMN_LEVEL] = "level",
  [COLUMN_HOLDER_NAME] = "holder_name",
  [COLUMN_GENDER] = "gender",
  [COLUMN_ID_TYPE] = "id_type",
  [COLUMN_ID_NUMBER] = "id_number",
  [COLUMN_MANAGEMENT_NO] = "management_no",
  [COLUMN_ISSUED_ON] = "issued_on",
  [COLUMN_ISSUER] = "issuer",
  [COLUMN_STATUS] = "status",
};

typedef struct
{
  const char *data;
  gsize       length;
  gsize       pos;
} CsvReader;

typedef enum
{
  READ_RECORD,
  READ_END,
  READ_UNTERMINATED_QUOTE,
  READ_MISPLACED_QUOTE,
  READ_INVALID_UTF8,
} ReadResult;

static void set_row_error (GError     **error,
                           guint        row,
                           const char  *column,
                           const char  *format,
                           ...) G_GNUC_PRINTF (4, 5);

static void
set_row_error (GError     **error,
               guint        row,
               const char  *column,
               const char  *format,
               ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (column != NULL)
    g_set_error (error, CD_CSV_IMPORT_ERROR, CD_CSV_IMPORT_ERROR_INVALID,
                 "Row %u, column %s: %s", row, column, message);
  else
    g_set_error (error, CD_CSV_IMPORT_ERROR, CD_CSV_IMPORT_ERROR_INVALID,
                 "Row %u: %s", row, message);
}

/* Length of the line end at @pos (LF or CRLF), or 0 when there is none. */
static gsize
line_end_length (const CsvReader *reader,
                 gsize            pos)
{
  if (pos < reader->length && reader->data[pos] == '\n')
    return 1;
  if (pos + 1 < reader->length && reader->data[pos] == '\r' && reader->data[pos + 1] == '\n')
    return 2;
  return 0;
}

static gsize
skip_blanks (const CsvReader *reader,
             gsize            pos)
{
  while (pos < reader->length && (reader->data[pos] == ' ' || reader->data[pos] == '\t'))
    pos++;
  return pos;
}

/* Reads one field into @field and moves past its delimiter; *out_last tells whether
 * the delimiter ended the record. Blanks around a quoted field are allowed since
 * every value is trimmed anyway. */
static ReadResult
read_field (CsvReader *reader,
            GString   *field,
            gboolean  *out_quoted,
            gboolean  *out_last)
{
  const char *data = reader->data;
  gsize pos = skip_blanks (reader, reader->pos);
  gsize eol;

  g_string_truncate (field, 0);
  *out_quoted = pos < reader->length && data[pos] == '"';

  if (*out_quoted)
    {
      for (pos++; ; pos++)
        {
          if (pos == reader->length)
            return READ_UNTERMINATED_QUOTE;

          if (data[pos] == '"')
            {
              if (pos + 1 == reader->length || data[pos + 1] != '"')
                break;
              pos++;
            }
          g_string_append_c (field, data[pos]);
        }
      pos = skip_blanks (reader, pos + 1);
    }
  else
    {
      for (; pos < reader->length && data[pos] != ',' && line_end_length (reader, pos) == 0; pos++)
        {
          if (data[pos] == '"')
            return READ_MISPLACED_QUOTE;
          g_string_append_c (field, data[pos]);
        }
    }

  /* Checked before trimming so that a NUL byte cannot cut a value short. */
  if (!g_utf8_validate_len (field->str, field->len, NULL))
    return READ_INVALID_UTF8;

  eol = line_end_length (reader, pos);
  if (pos == reader->length)
    {
      *out_last = TRUE;
    }
  else if (data[pos] == ',')
    {
      *out_last = FALSE;
      pos++;
    }
  else if (eol > 0)
    {
      *out_last = TRUE;
      pos += eol;
    }
  else
    {
      /* Text after a closing quote. */
      return READ_MISPLACED_QUOTE;
    }

  reader->pos = pos;
  return READ_RECORD;
}

/* Reads one record into @fields as trimmed strings; *out_blank is TRUE for an empty
 * line. On a failure *out_field is the 0-based index of the bad field. */
static ReadResult
read_record (CsvReader *reader,
             GPtrArray *fields,
             gboolean  *out_blank,
             guint     *out_field)
{
  g_autoptr(GString) field = g_string_new (NULL);
  gboolean quoted = FALSE;
  gboolean last = FALSE;

  g_ptr_array_set_size (fields, 0);

  if (reader->pos >= reader->length)
    return READ_END;

  while (!last)
    {
      ReadResult result;

      *out_field = fields->len;
      result = read_field (reader, field, &quoted, &last);
      if (result != READ_RECORD)
        return result;

      g_ptr_array_add (fields, g_strstrip (g_strndup (field->str, field->len)));
    }

  *out_blank = fields->len == 1 && !quoted && *(const char *) fields->pdata[0] == '\0';
  return READ_RECORD;
}

/* Header columns are named by position (there is no name yet); data columns by name. */
static char *
describe_column (const Column *file_columns,
                 guint         index)
{
  if (file_columns != NULL && index < N_COLUMNS)
    return g_strdup (column_names[file_columns[index]]);

  return g_strdup_printf ("%u", index + 1);
}

static void
set_read_error (GError       **error,
                ReadResult     result,
                guint          row,
                const Column  *file_columns,
                guint          index)
{
  g_autofree char *column = describe_column (file_columns, index);

  switch (result)
    {
    case READ_UNTERMINATED_QUOTE:
      set_row_error (error, row, column,
                     "the quote that opens this field is never closed");
      break;
    case READ_MISPLACED_QUOTE:
      set_row_error (error, row, column,
                     "quotes must enclose the whole field, and a quote inside them is "
                     "written twice (\"\")");
      break;
    case READ_INVALID_UTF8:
      set_row_error (error, row, column, "the text is not valid UTF-8");
      break;
    case READ_RECORD:
    case READ_END:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
parse_header (GPtrArray  *fields,
              Column     *file_columns,
              GError    **error)
{
  int positions[N_COLUMNS];

  for (guint c = 0; c < N_COLUMNS; c++)
    positions[c] = -1;

  for (guint i = 0; i < fields->len; i++)
    {
      const char *name = fields->pdata[i];
      guint c;

      for (c = 0; c < N_COLUMNS; c++)
        {
          if (g_str_equal (name, column_names[c]))
            break;
        }

      if (c == N_COLUMNS)
        {
          g_autofree char *known = g_strjoinv (", ", (char **) column_names);
          g_autofree char *column = describe_column (NULL, i);

          set_row_error (error, 1, column, "“%s” is not a known column; the columns are %s",
                         name, known);
          return FALSE;
        }

      if (positions[c] != -1)
        {
          g_autofree char *column = describe_column (NULL, i);

          set_row_error (error, 1, column, "the column “%s” already appears in column %d",
                         name, positions[c] + 1);
          return FALSE;
        }

      positions[c] = (int) i;
      file_columns[i] = (Column) c;
    }

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      if (positions[c] == -1)
        {
          set_row_error (error, 1, column_names[c], "the header does not have this column");
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
check_text (const char  *value,
            Column       column,
            gboolean     required,
            guint        row,
            GError     **error)
{
  glong n_chars;

  if (required && *value == '\0')
    {
      set_row_error (error, row, column_names[column], "the value is empty");
      return FALSE;
    }

  n_chars = g_utf8_strlen (value, -1);
  if (n_chars > MAX_TEXT_LENGTH)
    {
      set_row_error (error, row, column_names[column],
                     "the value has %ld characters; at most %d are allowed",
                     n_chars, MAX_TEXT_LENGTH);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_cert_no (const char  *value,
               guint        row,
               GError     **error)
{
  if (!check_text (value, COLUMN_CERT_NO, TRUE, row, error))
    return FALSE;

  for (const char *p = value; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-')
        {
          set_row_error (error, row, column_names[COLUMN_CERT_NO],
                         "“%s” may only contain the letters A–Z, digits and “-”", value);
          return FALSE;
        }
    }

  return TRUE;
}

/* A real calendar date written exactly as YYYY-MM-DD. */
static gboolean
is_date (const char *value)
{
  int year, month, day;

  if (strlen (value) != 10 || value[4] != '-' || value[7] != '-')
    return FALSE;

  for (guint i = 0; i < 10; i++)
    {
      if (i != 4 && i != 7 && !g_ascii_isdigit (value[i]))
        return FALSE;
    }

  year = atoi (value);
  month = atoi (value + 5);
  day = atoi (value + 8);

  return g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year);
}

/* @values is indexed by Column; every value is already trimmed and valid UTF-8. */
static CdCertificateRecord *
parse_certificate (char    **values,
                   guint     row,
                   GError  **error)
{
  g_autoptr(CdCertificateRecord) record = g_new0 (CdCertificateRecord, 1);
  g_autoptr(GError) id_error = NULL;
  CdIdType id_type;
  CdCertificateStatus status;

  if (!check_cert_no (values[COLUMN_CERT_NO], row, error) ||
      !check_text (values[COLUMN_QUALIFICATION], COLUMN_QUALIFICATION, TRUE, row, error) ||
      !check_text (values[COLUMN_SPECIALTY], COLUMN_SPECIALTY, FALSE, row, error) ||
      !check_text (values[COLUMN_LEVEL], COLUMN_LEVEL, FALSE, row, error) ||
      !check_text (values[COLUMN_HOLDER_NAME], COLUMN_HOLDER_NAME, TRUE, row, error))
    return NULL;

  if (!g_str_equal (values[COLUMN_GENDER], "男") && !g_str_equal (values[COLUMN_GENDER], "女"))
    {
      set_row_error (error, row, column_names[COLUMN_GENDER],
                     "“%s” is not 男 or 女", values[COLUMN_GENDER]);
      return NULL;
    }

  if (!cd_id_type_from_string (values[COLUMN_ID_TYPE], &id_type))
    {
      set_row_error (error, row, column_names[COLUMN_ID_TYPE],
                     "“%s” is not resident_id, passport or other", values[COLUMN_ID_TYPE]);
      return NULL;
    }

  if (!cd_id_number_validate (id_type, values[COLUMN_ID_NUMBER], &id_error))
    {
      /* The validator speaks in sentences; here its message follows a colon. */
      g_autofree char *message = g_strdup (id_error->message);

      message[0] = g_ascii_tolower (message[0]);
      set_row_error (error, row, column_names[COLUMN_ID_NUMBER], "%s", message);
      return NULL;
    }

  if (!check_text (values[COLUMN_MANAGEMENT_NO], COLUMN_MANAGEMENT_NO, TRUE, row, error))
    return NULL;

  if (!is_date (values[COLUMN_ISSUED_ON]))
    {
      set_row_error (error, row, column_names[COLUMN_ISSUED_ON],
                     "“%s” is not a date written as YYYY-MM-DD", values[COLUMN_ISSUED_ON]);
      return NULL;
    }

  if (!check_text (values[COLUMN_ISSUER], COLUMN_ISSUER, TRUE, row, error))
    return NULL;

  if (!cd_certificate_status_from_string (values[COLUMN_STATUS], &status))
    {
      set_row_error (error, row, column_names[COLUMN_STATUS],
                     "“%s” is not valid, revoked or suspended", values[COLUMN_STATUS]);
      return NULL;
    }

  record->cert_no = g_strdup (values[COLUMN_CERT_NO]);
  record->qualification = g_strdup (values[COLUMN_QUALIFICATION]);
  record->specialty = g_strdup (values[COLUMN_SPECIALTY]);
  record->level = g_strdup (values[COLUMN_LEVEL]);
  record->holder_name = g_strdup (values[COLUMN_HOLDER_NAME]);
  record->gender = g_strdup (values[COLUMN_GENDER]);
  record->id_type = id_type;
  /* Holders are matched by ID number in its normal form. */
  record->id_number = cd_id_number_normalize (values[COLUMN_ID_NUMBER]);
  record->management_no = g_strdup (values[COLUMN_MANAGEMENT_NO]);
  record->issued_on = g_strdup (values[COLUMN_ISSUED_ON]);
  record->issuer = g_strdup (values[COLUMN_ISSUER]);
  record->status = status;

  return g_steal_pointer (&record);
}

GPtrArray *
cd_csv_import_parse (const char  *data,
                     gsize        length,
                     GError     **error)
{
  static const char bom[] = "\xEF\xBB\xBF";
  g_autoptr(GPtrArray) records =
    g_ptr_array_new_with_free_func ((GDestroyNotify) cd_certificate_record_free);
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) cert_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  CsvReader reader = { data, length, 0 };
  Column file_columns[N_COLUMNS];
  gboolean have_header = FALSE;
  guint blank_row = 0;
  guint row = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length >= 3 && memcmp (data, bom, 3) == 0)
    reader.pos = 3;

  for (;;)
    {
      ReadResult result;
      gboolean blank = FALSE;
      guint index = 0;
      char *values[N_COLUMNS];
      CdCertificateRecord *record;
      gpointer first_row;

      row++;
      result = read_record (&reader, fields, &blank, &index);
      if (result == READ_END)
        break;
      if (result != READ_RECORD)
        {
          set_read_error (error, result, row, have_header ? file_columns : NULL, index);
          return NULL;
        }

      /* Blank lines are only allowed at the end, so remember the first one. */
      if (blank)
        {
          if (blank_row == 0)
            blank_row = row;
          continue;
        }
      if (blank_row != 0)
        {
          set_row_error (error, blank_row, NULL, "the row is empty; only the last rows may be");
          return NULL;
        }

      if (!have_header)
        {
          if (!parse_header (fields, file_columns, error))
            return NULL;
          have_header = TRUE;
          continue;
        }

      /* Name the first missing or extra column, where an operator would look. */
      if (fields->len != N_COLUMNS)
        {
          g_autofree char *column = describe_column (file_columns, MIN (fields->len, N_COLUMNS));

          set_row_error (error, row, column, "the row has %u columns; the header has %d",
                         fields->len, N_COLUMNS);
          return NULL;
        }

      for (guint i = 0; i < N_COLUMNS; i++)
        values[file_columns[i]] = fields->pdata[i];

      record = parse_certificate (values, row, error);
      if (record == NULL)
        return NULL;
      g_ptr_array_add (records, record);

      if (g_hash_table_lookup_extended (cert_rows, record->cert_no, NULL, &first_row))
        {
          set_row_error (error, row, column_names[COLUMN_CERT_NO],
                         "“%s” already appears in row %u",
                         record->cert_no, GPOINTER_TO_UINT (first_row));
          return NULL;
        }
      g_hash_table_insert (cert_rows, g_strdup (record->cert_no), GUINT_TO_POINTER (row));
    }

  if (!have_header)
    {
      set_row_error (error, 1, NULL, "the file is empty; row 1 must name the columns");
      return NULL;
    }

  if (records->len == 0)
    {
      set_row_error (error, 2, NULL, "the file has a header but no certificate rows");
      return NULL;
    }

  return g_steal_pointer (&records);
}
