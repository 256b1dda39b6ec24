#pragma once

#include <gtk/gtk.h>

#include "cd-client.h"

G_BEGIN_DECLS

#define CD_TYPE_ANNOTATION_PAGE (cd_annotation_page_get_type ())
G_DECLARE_FINAL_TYPE (CdAnnotationPage, cd_annotation_page, CD, ANNOTATION_PAGE, GtkBin)

/* One certificate: its details, the current annotation, the quota, the history, and
 * applying for a new annotation. Errors of its calls are emitted as ::error (a GError)
 * for the window's banner; "View Certificate" on a valid annotation emits
 * ::view-annotation (CdCertificate *, CdAnnotation *). */
GtkWidget     *cd_annotation_page_new             (void);
/* Shows @certificate (or nothing) and loads its annotations with @client. */
void           cd_annotation_page_set_certificate (CdAnnotationPage *self,
                                                   CdClient         *client,
                                                   CdCertificate    *certificate);
CdCertificate *cd_annotation_page_get_certificate (CdAnnotationPage *self);
/* Whether the annotations are being loaded or a request is running. */
gboolean       cd_annotation_page_get_busy        (CdAnnotationPage *self);
/* The text of the quota, e.g. "2 of 3 annotations used in the last 90 days; …". */
char          *cd_annotation_page_quota_label     (CdQuota          *quota);

G_END_DECLS
