/* The ID number as typed on the sign-in page (any type) and the registration page (one type):
 * what is valid, and which hint or error the holder sees. Run in C.UTF-8: the messages are
 * the msgids. */

#include "config.h"

#include "cd-id-entry-check.h"

#define RESIDENT_ID_OK "11010519900307101X"

static void
assert_check (const char     *text,
              CdIdEntryType   type,
              gboolean        expected_ok,
              CdEntryProblem  expected_kind,
              const char     *expected_problem)
{
  g_autofree char *problem = NULL;
  CdEntryProblem kind = CD_ENTRY_PROBLEM_ERROR;
  gboolean ok = cd_id_entry_check (text, type, &kind, &problem);

  g_test_message ("“%s” (type %d): %s", text, type, problem != NULL ? problem : "(no problem)");
  g_assert_cmpint (ok, ==, expected_ok);
  g_assert_cmpint (kind, ==, expected_kind);
  g_assert_cmpstr (problem, ==, expected_problem);
}

static void
test_normalize (void)
{
  g_autofree char *normalized = cd_id_entry_normalize (" 110105 19900307101x\t");

  g_assert_cmpstr (normalized, ==, RESIDENT_ID_OK);
}

static void
test_empty (void)
{
  for (CdIdEntryType type = CD_ID_ENTRY_RESIDENT_ID; type <= CD_ID_ENTRY_ANY; type++)
    {
      assert_check ("", type, FALSE, CD_ENTRY_PROBLEM_NONE, NULL);
      assert_check ("   ", type, FALSE, CD_ENTRY_PROBLEM_NONE, NULL);
    }
}

static void
test_resident_id (void)
{
  CdIdEntryType types[] = { CD_ID_ENTRY_RESIDENT_ID, CD_ID_ENTRY_ANY };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      assert_check (RESIDENT_ID_OK, types[i], TRUE, CD_ENTRY_PROBLEM_NONE, NULL);
      assert_check (" 110105 19900307101x ", types[i], TRUE, CD_ENTRY_PROBLEM_NONE, NULL);
      assert_check ("110105199003071238", types[i], FALSE, CD_ENTRY_PROBLEM_ERROR,
                    "This resident ID number is mistyped: its last character does not match the others.");
      assert_check ("110105199013071232", types[i], FALSE, CD_ENTRY_PROBLEM_ERROR,
                    "The birth date in this resident ID number (characters 7 to 14) is not a valid date.");
      assert_check ("010105199003071239", types[i], FALSE, CD_ENTRY_PROBLEM_ERROR,
                    "This is not a resident ID number: no region code starts with 0.");
      assert_check ("11010519900307101A", types[i], FALSE, CD_ENTRY_PROBLEM_ERROR,
                    "A resident ID number has 17 digits, then a digit or X.");
      assert_check ("1101051990030710123", types[i], FALSE, CD_ENTRY_PROBLEM_ERROR,
                    "A resident ID number has 18 characters.");
      assert_check ("1101-0519", types[i], FALSE, CD_ENTRY_PROBLEM_ERROR,
                    "An ID number has only letters and digits.");
    }

  /* Registering, each part is checked as it is typed, and the first wrong character
   * decides what is said. */
  assert_check ("1101051990", CD_ID_ENTRY_RESIDENT_ID, FALSE, CD_ENTRY_PROBLEM_HINT,
                "A resident ID number has 18 characters; 8 are missing.");
  assert_check ("11010519900307123", CD_ID_ENTRY_RESIDENT_ID, FALSE, CD_ENTRY_PROBLEM_HINT,
                "A resident ID number has 18 characters; 1 is missing.");
  assert_check ("01", CD_ID_ENTRY_RESIDENT_ID, FALSE, CD_ENTRY_PROBLEM_ERROR,
                "This is not a resident ID number: no region code starts with 0.");
  assert_check ("11010519901307", CD_ID_ENTRY_RESIDENT_ID, FALSE, CD_ENTRY_PROBLEM_ERROR,
                "The birth date in this resident ID number (characters 7 to 14) is not a valid date.");
  assert_check ("1101051990A-", CD_ID_ENTRY_RESIDENT_ID, FALSE, CD_ENTRY_PROBLEM_ERROR,
                "A resident ID number has 17 digits, then a digit or X.");
}

static void
test_document_number (void)
{
  CdIdEntryType types[] = { CD_ID_ENTRY_DOCUMENT, CD_ID_ENTRY_ANY };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      assert_check ("E12345678", types[i], TRUE, CD_ENTRY_PROBLEM_NONE, NULL);
      assert_check ("hk a1234567", types[i], TRUE, CD_ENTRY_PROBLEM_NONE, NULL);
      assert_check ("E12 345/6", types[i], FALSE, CD_ENTRY_PROBLEM_ERROR,
                    "An ID number has only letters and digits.");
      assert_check ("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", types[i], FALSE, CD_ENTRY_PROBLEM_ERROR,
                    "An ID number has at most 32 characters.");
    }

  /* Too short: a hint where the type is known, nothing yet when signing in. */
  assert_check ("E12", CD_ID_ENTRY_DOCUMENT, FALSE, CD_ENTRY_PROBLEM_HINT,
                "A document number has 5 to 32 letters and digits.");
  assert_check ("E12", CD_ID_ENTRY_ANY, FALSE, CD_ENTRY_PROBLEM_NONE, NULL);
  /* Registering a passport, digits are just digits. */
  assert_check ("1101051990030712391", CD_ID_ENTRY_DOCUMENT, TRUE, CD_ENTRY_PROBLEM_NONE, NULL);
}

/* Signing in, 15 to 17 digits are a valid document number that is most likely a resident
 * ID number being typed: valid, with a hint. */
static void
test_any_digits (void)
{
  assert_check ("11010519900307", CD_ID_ENTRY_ANY, TRUE, CD_ENTRY_PROBLEM_NONE, NULL);
  assert_check ("110105199003071", CD_ID_ENTRY_ANY, TRUE, CD_ENTRY_PROBLEM_HINT,
                "A resident ID number has 18 characters; 3 are missing.");
  assert_check ("11010519900307123", CD_ID_ENTRY_ANY, TRUE, CD_ENTRY_PROBLEM_HINT,
                "A resident ID number has 18 characters; 1 is missing.");
  assert_check ("01010519901307123", CD_ID_ENTRY_ANY, TRUE, CD_ENTRY_PROBLEM_HINT,
                "A resident ID number has 18 characters; 1 is missing.");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/certdesk/id-entry-check/normalize", test_normalize);
  g_test_add_func ("/certdesk/id-entry-check/empty", test_empty);
  g_test_add_func ("/certdesk/id-entry-check/resident-id", test_resident_id);
  g_test_add_func ("/certdesk/id-entry-check/document-number", test_document_number);
  g_test_add_func ("/certdesk/id-entry-check/any-digits", test_any_digits);

  return g_test_run ();
}
