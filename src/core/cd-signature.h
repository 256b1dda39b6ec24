#pragma once

#include <gio/gio.h>

#include "cd-trust-store.h"

G_BEGIN_DECLS

#define CD_SIGNATURE_ERROR (cd_signature_error_quark ())

typedef enum
{
  CD_SIGNATURE_ERROR_FAILED,   /* unreadable, damaged, encrypted or truncated */
  CD_SIGNATURE_ERROR_NOT_PDF,
} CdSignatureError;

typedef enum
{
  CD_SIGNATURE_VALID,
  CD_SIGNATURE_TAMPERED,   /* changed or extended after it was signed */
  CD_SIGNATURE_INVALID,    /* the signature itself is broken or cannot be verified */
  CD_SIGNATURE_UNSIGNED,
  CD_SIGNATURE_UNTRUSTED,  /* intact, but not signed with the key pinned for the service */
} CdSignatureStatus;

GQuark      cd_signature_error_quark       (void);

#define CD_TYPE_SIGNATURE_STATUS (cd_signature_status_get_type ())
GType       cd_signature_status_get_type   (void) G_GNUC_CONST;
/* A stable name for scripts and logs ("valid", "tampered", …), not translated. */
const char *cd_signature_status_to_string  (CdSignatureStatus status);

#define CD_TYPE_SIGNATURE_INFO (cd_signature_info_get_type ())
G_DECLARE_FINAL_TYPE (CdSignatureInfo, cd_signature_info, CD, SIGNATURE_INFO, GObject)

CdSignatureStatus  cd_signature_info_get_status                (CdSignatureInfo *self);
/* The signer's common name, or %NULL when unsigned or unreadable. */
const char        *cd_signature_info_get_signer_name           (CdSignatureInfo *self);
/* Unix seconds from the signature's signing-time attribute; 0 when unknown. */
gint64             cd_signature_info_get_signing_time          (CdSignatureInfo *self);
/* Lower-case hex SHA-256 of the DER of the certificate whose key made the
 * signature: known when the signature is intact (VALID or UNTRUSTED), else %NULL. */
const char        *cd_signature_info_get_signer_fingerprint    (CdSignatureInfo *self);
/* Whether the signature covers every byte of the file but its own value: %FALSE
 * when something was appended after signing. */
gboolean           cd_signature_info_get_covers_whole_document (CdSignatureInfo *self);
/* One translated sentence for the holder. */
char              *cd_signature_info_get_summary               (CdSignatureInfo *self);

/* Verifies the document's signature offline. With @trust and @service_url, an
 * intact signature is also checked against (or pinned as) the signer trusted for
 * that service. Errors are in CD_SIGNATURE_ERROR, CD_TRUST_STORE_ERROR or
 * G_IO_ERROR_CANCELLED; a broken or missing signature is a status, not an error. */
void               cd_signature_verify_async   (GFile                *file,
                                                CdTrustStore         *trust,
                                                const char           *service_url,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
CdSignatureInfo   *cd_signature_verify_finish  (GAsyncResult         *result,
                                                GError              **error);
/* The same, blocking: for the command line and worker threads. */
CdSignatureInfo   *cd_signature_verify_sync    (GFile                *file,
                                                CdTrustStore         *trust,
                                                const char           *service_url,
                                                GCancellable         *cancellable,
                                                GError              **error);

G_END_DECLS
