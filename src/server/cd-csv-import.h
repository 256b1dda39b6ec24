#pragma once

#include <glib.h>

#include "cd-records.h"

G_BEGIN_DECLS

#define CD_CSV_IMPORT_ERROR (cd_csv_import_error_quark ())

typedef enum
{
  CD_CSV_IMPORT_ERROR_INVALID,
} CdCsvImportError;

GQuark     cd_csv_import_error_quark (void);

/* Parses an operator's certificate file (RFC 4180 CSV, UTF-8, header row; columns in
 * docs/import.md) into CdCertificateRecord with id NULL. Any bad row fails the whole
 * file with an error that names the row (1-based, the header is row 1). */
GPtrArray *cd_csv_import_parse       (const char  *data,
                                      gsize        length,
                                      GError     **error);

G_END_DECLS
