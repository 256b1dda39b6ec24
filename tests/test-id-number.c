#include "config.h"

#include "cd-id-number.h"

#include <string.h>

static void
assert_valid (CdIdType    type,
              const char *id_number)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cd_id_number_validate (type, id_number, &error));
  g_assert_no_error (error);
}

static void
assert_invalid (CdIdType    type,
                const char *id_number,
                const char *detail)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (cd_id_number_validate (type, id_number, &error));
  g_assert_error (error, CD_ID_NUMBER_ERROR, CD_ID_NUMBER_ERROR_INVALID);
  g_test_message ("%s: %s", id_number, error->message);
  if (detail != NULL)
    g_assert_nonnull (strstr (error->message, detail));
}

/* An 18-character number with a correct check character, so that only the part
 * under test can be wrong. */
static char *
with_check_digit (const char *first17)
{
  char check = cd_id_number_check_digit (first17);

  g_assert_cmpint (check, !=, 0);
  return g_strdup_printf ("%s%c", first17, check);
}

static void
test_check_digit (void)
{
  /* Worked by hand with the GB 11643 weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2:
   * for 11010519900307128 the weighted sum is 200, 200 mod 11 = 2, which maps to X. */
  g_assert_cmpint (cd_id_number_check_digit ("11010519900307123"), ==, '9');
  g_assert_cmpint (cd_id_number_check_digit ("11010519900307128"), ==, 'X');
  g_assert_cmpint (cd_id_number_check_digit ("44030419851122003"), ==, '0');
  g_assert_cmpint (cd_id_number_check_digit ("1101051990030712A"), ==, 0);
}

static void
test_resident_valid (void)
{
  g_autofree char *leap_day = with_check_digit ("31010420000229001");

  assert_valid (CD_ID_TYPE_RESIDENT_ID, "110105199003071239");
  assert_valid (CD_ID_TYPE_RESIDENT_ID, "11010519900307128X");
  /* People write the check character in lower case too. */
  assert_valid (CD_ID_TYPE_RESIDENT_ID, "11010519900307128x");
  assert_valid (CD_ID_TYPE_RESIDENT_ID, "440304198511220030");
  assert_valid (CD_ID_TYPE_RESIDENT_ID, leap_day);
}

static void
test_resident_check_digit (void)
{
  assert_invalid (CD_ID_TYPE_RESIDENT_ID, "110105199003071238", "check digit");
  assert_invalid (CD_ID_TYPE_RESIDENT_ID, "110105199003071230", "check digit");
  assert_invalid (CD_ID_TYPE_RESIDENT_ID, "11010519900307123X", "check digit");
  assert_invalid (CD_ID_TYPE_RESIDENT_ID, "11010519900307128A", "check digit");
}

static void
test_resident_length (void)
{
  assert_invalid (CD_ID_TYPE_RESIDENT_ID, "", "18 characters");
  assert_invalid (CD_ID_TYPE_RESIDENT_ID, "11010519900307123", "18 characters");
  assert_invalid (CD_ID_TYPE_RESIDENT_ID, "1101051990030712390", "18 characters");
  /* The old 15-digit numbers are not accepted. */
  assert_invalid (CD_ID_TYPE_RESIDENT_ID, "110105900307123", "18 characters");
}

static void
test_resident_letters (void)
{
  assert_invalid (CD_ID_TYPE_RESIDENT_ID, "1101051990030712A9", "digits");
  assert_invalid (CD_ID_TYPE_RESIDENT_ID, "X10105199003071239", "digits");
  assert_invalid (CD_ID_TYPE_RESIDENT_ID, "110105 99003071239", "digits");
  assert_invalid (CD_ID_TYPE_RESIDENT_ID, "11010519900307123９", NULL);
}

static void
test_resident_birth_date (void)
{
  static const char *first17s[] = {
    "11010519900230123", /* February 30 */
    "11010519910229123", /* not a leap year */
    "11010519901301123", /* month 13 */
    "11010519900001123", /* month 0 */
    "11010519900100123", /* day 0 */
    "11010519900132123", /* day 32 */
    "11010518991231123", /* before 1900 */
    "01010519900307123", /* no region starts with 0 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (first17s); i++)
    {
      g_autofree char *id_number = with_check_digit (first17s[i]);

      assert_invalid (CD_ID_TYPE_RESIDENT_ID, id_number, "birth date");
    }
}

static void
test_document_numbers (void)
{
  static const CdIdType types[] = { CD_ID_TYPE_PASSPORT, CD_ID_TYPE_OTHER };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      assert_valid (types[i], "E12345678");
      assert_valid (types[i], "12345");
      assert_valid (types[i], "abcDE");
      assert_valid (types[i], "A1234567890123456789012345678901");
      /* A passport number is not checked as a resident ID. */
      assert_valid (types[i], "110105199003071238");

      assert_invalid (types[i], "", "5 to 32");
      assert_invalid (types[i], "E123", "5 to 32");
      assert_invalid (types[i], "A12345678901234567890123456789012", "5 to 32");
      assert_invalid (types[i], "E 1234567", "letters and digits");
      assert_invalid (types[i], "HK-123456", "letters and digits");
      assert_invalid (types[i], "护照12345", NULL);
    }
}

static void
test_unknown_type (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (cd_id_number_validate ((CdIdType) 42, "E12345678", &error));
  g_assert_error (error, CD_ID_NUMBER_ERROR, CD_ID_NUMBER_ERROR_UNKNOWN_TYPE);
}

static void
test_type_strings (void)
{
  static const struct
  {
    CdIdType    type;
    const char *str;
  } types[] = {
    { CD_ID_TYPE_RESIDENT_ID, "resident_id" },
    { CD_ID_TYPE_PASSPORT, "passport" },
    { CD_ID_TYPE_OTHER, "other" },
  };
  static const char *unknown[] = { "", "Resident_ID", "resident_id ", "id_card", "身份证" };
  CdIdType type;

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_assert_cmpstr (cd_id_type_to_string (types[i].type), ==, types[i].str);
      type = (CdIdType) -1;
      g_assert_true (cd_id_type_from_string (types[i].str, &type));
      g_assert_cmpint (type, ==, types[i].type);
    }

  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      type = CD_ID_TYPE_PASSPORT;
      g_assert_false (cd_id_type_from_string (unknown[i], &type));
      g_assert_cmpint (type, ==, CD_ID_TYPE_PASSPORT);
    }

  g_assert_false (cd_id_type_from_string (NULL, &type));
}

static void
test_mask (void)
{
  static const struct
  {
    const char *id_number;
    const char *masked;
  } cases[] = {
    { "110105199003071239", "1101**********1239" },
    { "11010519900307128X", "1101**********128X" },
    { "E12345678", "E123*5678" },
    { "E1234567", "********" },
    { "12345", "*****" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *masked = cd_id_number_mask (cases[i].id_number);

      g_assert_cmpstr (masked, ==, cases[i].masked);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/certdesk/id-number/check-digit", test_check_digit);
  g_test_add_func ("/certdesk/id-number/resident/valid", test_resident_valid);
  g_test_add_func ("/certdesk/id-number/resident/check-digit", test_resident_check_digit);
  g_test_add_func ("/certdesk/id-number/resident/length", test_resident_length);
  g_test_add_func ("/certdesk/id-number/resident/letters", test_resident_letters);
  g_test_add_func ("/certdesk/id-number/resident/birth-date", test_resident_birth_date);
  g_test_add_func ("/certdesk/id-number/document-numbers", test_document_numbers);
  g_test_add_func ("/certdesk/id-number/unknown-type", test_unknown_type);
  g_test_add_func ("/certdesk/id-number/type-strings", test_type_strings);
  g_test_add_func ("/certdesk/id-number/mask", test_mask);

  return g_test_run ();
}
