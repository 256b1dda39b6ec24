/* Identity-number rules shared by the service and the clients.
 *
 * Mainland resident ID numbers follow GB 11643-1999: 6 region digits, an 8-digit
 * birth date, 3 sequence digits and an ISO 7064 MOD 11-2 check character.
 */

#include "config.h"

#include "cd-id-number.h"

#include <string.h>

G_DEFINE_QUARK (cd-id-number-error-quark, cd_id_number_error)

static const char *id_type_names[] = {
  [CD_ID_TYPE_RESIDENT_ID] = "resident_id",
  [CD_ID_TYPE_PASSPORT] = "passport",
  [CD_ID_TYPE_OTHER] = "other",
};

gboolean
cd_id_type_from_string (const char *str,
                        CdIdType   *out_type)
{
  g_return_val_if_fail (out_type != NULL, FALSE);

  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (id_type_names); i++)
    {
      if (g_str_equal (str, id_type_names[i]))
        {
          *out_type = (CdIdType) i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
cd_id_type_to_string (CdIdType type)
{
  g_return_val_if_fail (type <= CD_ID_TYPE_OTHER, NULL);

  return id_type_names[type];
}

/* Returns the check character for the first 17 digits, or 0 when they are not digits. */
char
cd_id_number_check_digit (const char *first17)
{
  static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  static const char check_chars[] = "10X98765432";
  int sum = 0;

  g_return_val_if_fail (first17 != NULL, 0);

  for (guint i = 0; i < 17; i++)
    {
      if (!g_ascii_isdigit (first17[i]))
        return 0;
      sum += (first17[i] - '0') * weights[i];
    }

  return check_chars[sum % 11];
}

static gboolean
validate_resident_id (const char  *id_number,
                      GError     **error)
{
  int year, month, day;
  char check;

  if (strlen (id_number) != 18)
    {
      g_set_error_literal (error, CD_ID_NUMBER_ERROR, CD_ID_NUMBER_ERROR_INVALID,
                           "A resident ID number has 18 characters");
      return FALSE;
    }

  check = cd_id_number_check_digit (id_number);
  if (check == 0)
    {
      g_set_error_literal (error, CD_ID_NUMBER_ERROR, CD_ID_NUMBER_ERROR_INVALID,
                           "The first 17 characters of a resident ID number are digits");
      return FALSE;
    }

  year = g_ascii_digit_value (id_number[6]) * 1000 + g_ascii_digit_value (id_number[7]) * 100 +
         g_ascii_digit_value (id_number[8]) * 10 + g_ascii_digit_value (id_number[9]);
  month = g_ascii_digit_value (id_number[10]) * 10 + g_ascii_digit_value (id_number[11]);
  day = g_ascii_digit_value (id_number[12]) * 10 + g_ascii_digit_value (id_number[13]);
  if (year < 1900 || !g_date_valid_dmy (day, month, year) || id_number[0] == '0')
    {
      g_set_error_literal (error, CD_ID_NUMBER_ERROR, CD_ID_NUMBER_ERROR_INVALID,
                           "The resident ID number has no valid region or birth date");
      return FALSE;
    }

  if (g_ascii_toupper (id_number[17]) != check)
    {
      g_set_error_literal (error, CD_ID_NUMBER_ERROR, CD_ID_NUMBER_ERROR_INVALID,
                           "The check digit of the resident ID number does not match");
      return FALSE;
    }

  return TRUE;
}

static gboolean
validate_document_number (const char  *id_number,
                          GError     **error)
{
  gsize len = strlen (id_number);

  if (len < 5 || len > 32)
    {
      g_set_error_literal (error, CD_ID_NUMBER_ERROR, CD_ID_NUMBER_ERROR_INVALID,
                           "A document number has 5 to 32 characters");
      return FALSE;
    }

  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isalnum (id_number[i]))
        {
          g_set_error_literal (error, CD_ID_NUMBER_ERROR, CD_ID_NUMBER_ERROR_INVALID,
                               "A document number has only letters and digits");
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
cd_id_number_validate (CdIdType     type,
                       const char  *id_number,
                       GError     **error)
{
  g_return_val_if_fail (id_number != NULL, FALSE);

  switch (type)
    {
    case CD_ID_TYPE_RESIDENT_ID:
      return validate_resident_id (id_number, error);
    case CD_ID_TYPE_PASSPORT:
    case CD_ID_TYPE_OTHER:
      return validate_document_number (id_number, error);
    default:
      g_set_error (error, CD_ID_NUMBER_ERROR, CD_ID_NUMBER_ERROR_UNKNOWN_TYPE,
                   "Unknown identity document type %d", type);
      return FALSE;
    }
}

/* Keeps the first and last four characters, as printed certificates do. */
char *
cd_id_number_mask (const char *id_number)
{
  gsize len;
  GString *masked;

  g_return_val_if_fail (id_number != NULL, NULL);

  len = strlen (id_number);
  if (len <= 8)
    return g_strnfill (len, '*');

  masked = g_string_new_len (id_number, 4);
  for (gsize i = 4; i < len - 4; i++)
    g_string_append_c (masked, '*');
  g_string_append (masked, id_number + len - 4);

  return g_string_free (masked, FALSE);
}

/* The form stored and compared: holders type the check character X in either case,
 * and certificates are linked to accounts by exact ID number. */
char *
cd_id_number_normalize (const char *id_number)
{
  g_return_val_if_fail (id_number != NULL, NULL);

  return g_ascii_strup (id_number, -1);
}
