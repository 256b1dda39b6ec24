/* Checking an ID number as the holder types it, for the sign-in and registration pages:
 * something still being typed gets a hint, something wrong an error, each in a sentence
 * the holder can act on. The rules are those of cd-id-number.c, which the service applies;
 * this file only finds out, part by part, which of them the text breaks so far. */

#include "config.h"

#include "cd-id-entry-check.h"

#include "cd-id-number.h"

#include <glib/gi18n.h>
#include <string.h>

#define RESIDENT_ID_LENGTH      18
#define RESIDENT_ID_LIKELY_FROM 15   /* all digits and this long: a resident ID number being typed */
#define BIRTH_DATE_END          14   /* characters 7 to 14 of a resident ID number */
#define DOCUMENT_MIN_LENGTH     5
#define DOCUMENT_MAX_LENGTH     32

static gboolean
fail (CdEntryProblem   kind,
      char            *problem,
      CdEntryProblem  *out_kind,
      char           **out_problem)
{
  *out_kind = kind;
  *out_problem = problem;
  return FALSE;
}

static gboolean
is_digits (const char *text,
           gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
    }
  return TRUE;
}

static int
read_number (const char *digits,
             guint       n)
{
  int value = 0;

  for (guint i = 0; i < n; i++)
    value = value * 10 + g_ascii_digit_value (digits[i]);
  return value;
}

/* Whatever the type, an ID number has only letters and digits. */
static gboolean
check_characters (const char      *id_number,
                  gsize            len,
                  CdEntryProblem  *out_kind,
                  char           **out_problem)
{
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isalnum (id_number[i]))
        return fail (CD_ENTRY_PROBLEM_ERROR, g_strdup (_("An ID number has only letters and digits.")),
                     out_kind, out_problem);
    }
  return TRUE;
}

static char *
dup_resident_id_missing (gsize len)
{
  g_assert (len < RESIDENT_ID_LENGTH);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "A resident ID number has 18 characters; %d is missing.",
                                       "A resident ID number has 18 characters; %d are missing.",
                                       (gulong) (RESIDENT_ID_LENGTH - len)),
                          (int) (RESIDENT_ID_LENGTH - len));
}

/* GB 11643: 6 region digits (the first is not 0), the birth date as YYYYMMDD, 3 sequence
 * digits and a check character; each part is checked as soon as it is typed. */
static gboolean
check_resident_id (const char      *id_number,
                   gsize            len,
                   CdEntryProblem  *out_kind,
                   char           **out_problem)
{
  /* The first wrong character says what is wrong. */
  for (gsize i = 0; i < len; i++)
    {
      if (!check_characters (id_number + i, 1, out_kind, out_problem))
        return FALSE;
      if (!g_ascii_isdigit (id_number[i]) && (i != RESIDENT_ID_LENGTH - 1 || id_number[i] != 'X'))
        return fail (CD_ENTRY_PROBLEM_ERROR,
                     g_strdup (_("A resident ID number has 17 digits, then a digit or X.")),
                     out_kind, out_problem);
    }

  if (len > RESIDENT_ID_LENGTH)
    return fail (CD_ENTRY_PROBLEM_ERROR, g_strdup (_("A resident ID number has 18 characters.")),
                 out_kind, out_problem);

  if (id_number[0] == '0')
    return fail (CD_ENTRY_PROBLEM_ERROR,
                 g_strdup (_("This is not a resident ID number: no region code starts with 0.")),
                 out_kind, out_problem);

  if (len >= BIRTH_DATE_END)
    {
      int year = read_number (id_number + 6, 4);
      int month = read_number (id_number + 10, 2);
      int day = read_number (id_number + 12, 2);

      if (year < 1900 || !g_date_valid_dmy (day, month, year))
        return fail (CD_ENTRY_PROBLEM_ERROR,
                     g_strdup (_("The birth date in this resident ID number (characters 7 to 14) "
                                 "is not a valid date.")),
                     out_kind, out_problem);
    }

  if (len < RESIDENT_ID_LENGTH)
    return fail (CD_ENTRY_PROBLEM_HINT, dup_resident_id_missing (len), out_kind, out_problem);

  if (id_number[RESIDENT_ID_LENGTH - 1] != cd_id_number_check_digit (id_number))
    return fail (CD_ENTRY_PROBLEM_ERROR,
                 g_strdup (_("This resident ID number is mistyped: its last character does "
                             "not match the others.")),
                 out_kind, out_problem);

  /* Whatever the service also refuses is caught above. */
  g_assert (cd_id_number_validate (CD_ID_TYPE_RESIDENT_ID, id_number, NULL));
  return TRUE;
}

/* Passports and other documents: 5 to 32 letters and digits. Too short is only a hint,
 * and only where the type is known (@hint_short): when signing in, a short number may be
 * the start of any of them. */
static gboolean
check_document_number (const char      *id_number,
                       gsize            len,
                       gboolean         hint_short,
                       CdEntryProblem  *out_kind,
                       char           **out_problem)
{
  if (!check_characters (id_number, len, out_kind, out_problem))
    return FALSE;

  if (len > DOCUMENT_MAX_LENGTH)
    return fail (CD_ENTRY_PROBLEM_ERROR,
                 g_strdup_printf (_("An ID number has at most %d characters."), DOCUMENT_MAX_LENGTH),
                 out_kind, out_problem);

  if (len < DOCUMENT_MIN_LENGTH)
    return fail (hint_short ? CD_ENTRY_PROBLEM_HINT : CD_ENTRY_PROBLEM_NONE,
                 hint_short ? g_strdup (_("A document number has 5 to 32 letters and digits.")) : NULL,
                 out_kind, out_problem);

  g_assert (cd_id_number_validate (CD_ID_TYPE_PASSPORT, id_number, NULL));
  return TRUE;
}

/* Signing in, the type is not asked: 17 digits and one more character, or more than 18
 * digits, can only be meant as a resident ID number; anything else may be a document
 * number, though 15 to 17 digits are most likely a resident ID number being typed. */
static gboolean
check_any (const char      *id_number,
           gsize            len,
           CdEntryProblem  *out_kind,
           char           **out_problem)
{
  gboolean all_digits;

  if (!check_characters (id_number, len, out_kind, out_problem))
    return FALSE;

  all_digits = is_digits (id_number, len);
  if ((len == RESIDENT_ID_LENGTH && is_digits (id_number, RESIDENT_ID_LENGTH - 1)) ||
      (all_digits && len > RESIDENT_ID_LENGTH))
    return check_resident_id (id_number, len, out_kind, out_problem);

  if (!check_document_number (id_number, len, FALSE, out_kind, out_problem))
    return FALSE;

  /* A valid document number all the same: a hint, not an error. */
  if (all_digits && len >= RESIDENT_ID_LIKELY_FROM)
    {
      *out_kind = CD_ENTRY_PROBLEM_HINT;
      *out_problem = dup_resident_id_missing (len);
    }
  return TRUE;
}

/**
 * cd_id_entry_normalize:
 * @text: an ID number as typed
 *
 * Returns: (transfer full): @text without white space, with an upper-case X (see
 *   cd_id_number_normalize ()).
 */
char *
cd_id_entry_normalize (const char *text)
{
  g_autoptr(GString) compact = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  compact = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        g_string_append_unichar (compact, g_utf8_get_char (p));
    }

  return cd_id_number_normalize (compact->str);
}

/**
 * cd_id_entry_check:
 * @text: an ID number as typed (it is normalized first)
 * @type: the ID numbers the entry takes
 * @out_kind: (out): whether *@out_problem is a hint or an error
 * @out_problem: (out) (transfer full) (nullable): the translated sentence for the holder,
 *   or %NULL
 *
 * Checks an ID number as far as it is typed. An empty @text has no problem and is not
 * valid. When signing in (%CD_ID_ENTRY_ANY), a valid number can come with a hint: 15 to
 * 17 digits are a valid document number but most likely a resident ID number being typed.
 *
 * Returns: whether @text is a valid ID number of @type
 */
gboolean
cd_id_entry_check (const char      *text,
                   CdIdEntryType    type,
                   CdEntryProblem  *out_kind,
                   char           **out_problem)
{
  g_autofree char *id_number = NULL;
  gsize len;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (type <= CD_ID_ENTRY_ANY, FALSE);
  g_return_val_if_fail (out_kind != NULL, FALSE);
  g_return_val_if_fail (out_problem != NULL, FALSE);

  *out_kind = CD_ENTRY_PROBLEM_NONE;
  *out_problem = NULL;

  id_number = cd_id_entry_normalize (text);
  len = strlen (id_number);
  if (len == 0)
    return FALSE;

  switch (type)
    {
    case CD_ID_ENTRY_RESIDENT_ID:
      return check_resident_id (id_number, len, out_kind, out_problem);
    case CD_ID_ENTRY_DOCUMENT:
      return check_document_number (id_number, len, TRUE, out_kind, out_problem);
    case CD_ID_ENTRY_ANY:
      return check_any (id_number, len, out_kind, out_problem);
    default:
      g_assert_not_reached ();
    }
}
