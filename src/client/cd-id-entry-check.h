#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The ID numbers an entry takes. */
typedef enum
{
  CD_ID_ENTRY_RESIDENT_ID,  /* registering with a resident ID card */
  CD_ID_ENTRY_DOCUMENT,     /* registering with a passport or another document */
  CD_ID_ENTRY_ANY,          /* signing in: any of them, judged by what is typed */
} CdIdEntryType;

/* What an entry's text has, so far: cd_id_entry_check () says it for an ID number, the
 * registration page for its other fields too. */
typedef enum
{
  CD_ENTRY_PROBLEM_NONE,
  CD_ENTRY_PROBLEM_HINT,   /* something is still to be typed */
  CD_ENTRY_PROBLEM_ERROR,  /* something typed is wrong */
} CdEntryProblem;

char      *cd_id_entry_normalize (const char      *text);
gboolean   cd_id_entry_check     (const char      *text,
                                  CdIdEntryType    type,
                                  CdEntryProblem  *out_kind,
                                  char           **out_problem);

G_END_DECLS
