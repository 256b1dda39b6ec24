#pragma once

#include <json-glib/json-glib.h>

#include "cd-annotation.h"
#include "cd-api-enums.h"

G_BEGIN_DECLS

#define CD_TYPE_CERTIFICATE_STATUS (cd_certificate_status_get_type ())
GType cd_certificate_status_get_type (void);

#define CD_TYPE_CERTIFICATE (cd_certificate_get_type ())
G_DECLARE_FINAL_TYPE (CdCertificate, cd_certificate, CD, CERTIFICATE, GObject)

/* A holder's qualification certificate (docs/api.md, “Certificate”). Only the latest
 * annotation changes, as the holder applies for new ones. */
CdCertificate       *cd_certificate_new_from_json          (JsonObject     *object,
                                                            GError        **error);
void                 cd_certificate_to_json                (CdCertificate  *self,
                                                            JsonBuilder    *builder);
/* Reads {"certificates": [...]}: (element-type CdCertificate). */
GPtrArray           *cd_certificate_list_new_from_json     (JsonObject     *root,
                                                            GError        **error);

const char          *cd_certificate_get_id                 (CdCertificate  *self);
const char          *cd_certificate_get_cert_no            (CdCertificate  *self);
const char          *cd_certificate_get_qualification      (CdCertificate  *self);
const char          *cd_certificate_get_specialty          (CdCertificate  *self);
const char          *cd_certificate_get_level              (CdCertificate  *self);
const char          *cd_certificate_get_holder_name        (CdCertificate  *self);
const char          *cd_certificate_get_gender             (CdCertificate  *self);
const char          *cd_certificate_get_id_number_masked   (CdCertificate  *self);
const char          *cd_certificate_get_management_no      (CdCertificate  *self);
/* YYYY-MM-DD */
const char          *cd_certificate_get_issued_on          (CdCertificate  *self);
const char          *cd_certificate_get_issuer             (CdCertificate  *self);
CdCertificateStatus  cd_certificate_get_status             (CdCertificate  *self);
CdAnnotation        *cd_certificate_get_latest_annotation  (CdCertificate  *self);
void                 cd_certificate_set_latest_annotation  (CdCertificate  *self,
                                                            CdAnnotation   *annotation);

G_END_DECLS
