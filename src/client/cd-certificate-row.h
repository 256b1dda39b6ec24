#pragma once

#include <gtk/gtk.h>

#include "cd-certificate.h"

G_BEGIN_DECLS

#define CD_TYPE_CERTIFICATE_ROW (cd_certificate_row_get_type ())
G_DECLARE_FINAL_TYPE (CdCertificateRow, cd_certificate_row, CD, CERTIFICATE_ROW, GtkListBoxRow)

GtkWidget     *cd_certificate_row_new                (CdCertificate    *certificate);
CdCertificate *cd_certificate_row_get_certificate    (CdCertificateRow *self);

/* The words shown for a status and an annotation state, shared with other screens. */
const char    *cd_certificate_row_status_label       (CdCertificateStatus status);
char          *cd_certificate_row_annotation_label   (CdAnnotation     *annotation,
                                                      gint64            now);

G_END_DECLS
