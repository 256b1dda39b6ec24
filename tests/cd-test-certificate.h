#pragma once

#include "cd-records.h"

G_BEGIN_DECLS

/* One certificate and its annotation, as the service would hold them, for the tests and
 * benchmarks that draw or sign a certificate (the document library, the signature check,
 * CdDocumentView, bench/bench-render.c). */

#define CD_TEST_CERTIFICATE_ID_NUMBER "11010519491231002X"
#define CD_TEST_CERTIFICATE_HOLDER    "李四"
#define CD_TEST_VERIFY_URL            "https://zs.example.gov.cn/v/8f3a2c41"
/* The annotation's ready time: 2026-11-25 04:00 UTC, which is 12:00 in Beijing. */
#define CD_TEST_READY_AT              G_GINT64_CONSTANT (1795579200)
/* The common name of the signing certificate cd_signing_identity_load_or_create () makes. */
#define CD_TEST_SIGNER_CN             "CertDesk Certificate Service Signing"

/* A valid 注册安全工程师 certificate of @holder_name, whose ID number is
 * CD_TEST_CERTIFICATE_ID_NUMBER. */
CdCertificateRecord *cd_test_certificate_new            (const char  *holder_name);
/* Its 30-day annotation, ready at CD_TEST_READY_AT. */
CdAnnotationRecord  *cd_test_annotation_new             (void);
/* That certificate of CD_TEST_CERTIFICATE_HOLDER with that annotation, rendered with
 * CD_TEST_VERIFY_URL and signed at @signing_time (Unix seconds) as the service does,
 * with a new key made in a temporary directory that is removed again. */
GBytes              *cd_test_certificate_signed_pdf     (gint64       signing_time,
                                                         GError     **error);

G_END_DECLS
