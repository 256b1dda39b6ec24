#pragma once

#include <glib.h>

#include "cd-records.h"

G_BEGIN_DECLS

#define CD_DOCUMENT_ERROR (cd_document_error_quark ())

typedef enum
{
  CD_DOCUMENT_ERROR_FAILED,
} CdDocumentError;

GQuark  cd_document_error_quark         (void);

/* Draws the annotated certificate as an unsigned one-page A4 PDF. Thread-safe: the
 * generation workers call it concurrently. */
GBytes *cd_certificate_document_render  (const CdCertificateRecord  *certificate,
                                         const CdAnnotationRecord   *annotation,
                                         const char                 *verify_url,
                                         GError                    **error);

G_END_DECLS
