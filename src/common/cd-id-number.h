#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Kinds of identity document a holder can register with; the string forms are the API's. */
typedef enum
{
  CD_ID_TYPE_RESIDENT_ID,
  CD_ID_TYPE_PASSPORT,
  CD_ID_TYPE_OTHER,
} CdIdType;

#define CD_ID_NUMBER_ERROR (cd_id_number_error_quark ())

typedef enum
{
  CD_ID_NUMBER_ERROR_UNKNOWN_TYPE,
  CD_ID_NUMBER_ERROR_INVALID,
} CdIdNumberError;

GQuark       cd_id_number_error_quark (void);

gboolean     cd_id_type_from_string   (const char  *str,
                                       CdIdType    *out_type);
const char  *cd_id_type_to_string     (CdIdType     type);

gboolean     cd_id_number_validate    (CdIdType     type,
                                       const char  *id_number,
                                       GError     **error);
char         cd_id_number_check_digit (const char  *first17);
char        *cd_id_number_mask        (const char  *id_number);
char        *cd_id_number_normalize   (const char  *id_number);

G_END_DECLS
