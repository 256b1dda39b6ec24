#pragma once

#include <json-glib/json-glib.h>

#include "cd-annotation.h"
#include "cd-certificate.h"

G_BEGIN_DECLS

#define CD_TYPE_VERIFICATION (cd_verification_get_type ())
G_DECLARE_FINAL_TYPE (CdVerification, cd_verification, CD, VERIFICATION, GObject)

/* The public answer of GET /verify: whether a certificate and one of its annotations
 * are valid now. The nested objects of the API are flattened; immutable. */
CdVerification      *cd_verification_new_from_json          (JsonObject      *object,
                                                             GError         **error);
void                 cd_verification_to_json                (CdVerification  *self,
                                                             JsonBuilder     *builder);

gboolean             cd_verification_get_valid              (CdVerification  *self);
gint64               cd_verification_get_checked_at         (CdVerification  *self);
const char          *cd_verification_get_cert_no            (CdVerification  *self);
const char          *cd_verification_get_qualification      (CdVerification  *self);
const char          *cd_verification_get_holder_name_masked (CdVerification  *self);
CdCertificateStatus  cd_verification_get_status             (CdVerification  *self);
const char          *cd_verification_get_issuer             (CdVerification  *self);
const char          *cd_verification_get_annotation_no      (CdVerification  *self);
CdAnnotationState    cd_verification_get_annotation_state   (CdVerification  *self);
/* Unix seconds, 0 when not set. */
gint64               cd_verification_get_valid_from         (CdVerification  *self);
gint64               cd_verification_get_valid_until        (CdVerification  *self);

G_END_DECLS
