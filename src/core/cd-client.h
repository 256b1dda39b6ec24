#pragma once

#include <gio/gio.h>

#include "cd-annotation.h"
#include "cd-certificate.h"
#include "cd-client-error.h"
#include "cd-holder.h"
#include "cd-keyring.h"
#include "cd-notice.h"
#include "cd-quota.h"
#include "cd-verification.h"

G_BEGIN_DECLS

#define CD_TYPE_CLIENT (cd_client_get_type ())
G_DECLARE_FINAL_TYPE (CdClient, cd_client, CD, CLIENT, GObject)

/* The service's API (docs/api.md) over one SoupSession. Every call is asynchronous and
 * cancellable; errors are CD_CLIENT_ERROR (or G_IO_ERROR_CANCELLED). GETs are retried
 * with backoff on network faults and 5xx; when the token has expired, the client
 * signs in again once with the password in the keyring and repeats the call. */
CdClient     *cd_client_new                   (const char           *base_url,
                                               GError              **error);
const char   *cd_client_get_base_url          (CdClient             *self);
const char   *cd_client_get_token             (CdClient             *self);
const char   *cd_client_get_id_number         (CdClient             *self);
/* Restores a session: the token may be NULL, then the first call signs in from @keyring. */
void          cd_client_set_session           (CdClient             *self,
                                               const char           *id_number,
                                               const char           *token);
void          cd_client_set_keyring           (CdClient             *self,
                                               CdKeyring            *keyring);
/* Poll backoff of cd_client_wait_for_annotation_async (): first delay and ceiling. */
void          cd_client_set_poll_interval     (CdClient             *self,
                                               guint                 first_ms,
                                               guint                 max_ms);

void          cd_client_register_async        (CdClient             *self,
                                               const char           *id_type,
                                               const char           *id_number,
                                               const char           *name,
                                               const char           *password,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
CdHolder     *cd_client_register_finish       (CdClient             *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void          cd_client_sign_in_async         (CdClient             *self,
                                               const char           *id_number,
                                               const char           *password,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
CdHolder     *cd_client_sign_in_finish        (CdClient             *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void          cd_client_sign_out_async        (CdClient             *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean      cd_client_sign_out_finish       (CdClient             *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void          cd_client_get_holder_async      (CdClient             *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
CdHolder     *cd_client_get_holder_finish     (CdClient             *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void          cd_client_get_notice_async      (CdClient             *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
CdNotice     *cd_client_get_notice_finish     (CdClient             *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void          cd_client_accept_notice_async   (CdClient             *self,
                                               const char           *version,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean      cd_client_accept_notice_finish  (CdClient             *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void          cd_client_list_certificates_async  (CdClient          *self,
                                                  GCancellable      *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer           user_data);
/* (element-type CdCertificate) */
GPtrArray    *cd_client_list_certificates_finish (CdClient          *self,
                                                  GAsyncResult      *result,
                                                  GError           **error);
void          cd_client_get_certificate_async (CdClient             *self,
                                               const char           *certificate_id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
CdCertificate *cd_client_get_certificate_finish (CdClient           *self,
                                                 GAsyncResult       *result,
                                                 GError            **error);
void          cd_client_list_annotations_async  (CdClient           *self,
                                                 const char         *certificate_id,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
/* (element-type CdAnnotation), newest first */
GPtrArray    *cd_client_list_annotations_finish (CdClient           *self,
                                                 GAsyncResult       *result,
                                                 CdQuota           **out_quota,
                                                 GError            **error);
void          cd_client_apply_async           (CdClient             *self,
                                               const char           *certificate_id,
                                               const char           *scenario,
                                               int                   validity_days,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
CdAnnotation *cd_client_apply_finish          (CdClient             *self,
                                               GAsyncResult         *result,
                                               CdQuota             **out_quota,
                                               GError              **error);
void          cd_client_get_annotation_async  (CdClient             *self,
                                               const char           *annotation_id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
CdAnnotation *cd_client_get_annotation_finish (CdClient             *self,
                                               GAsyncResult         *result,
                                               GError              **error);
/* Polls until the annotation leaves "pending", with backoff, until cancelled. */
void          cd_client_wait_for_annotation_async  (CdClient        *self,
                                                    const char      *annotation_id,
                                                    GCancellable    *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer         user_data);
CdAnnotation *cd_client_wait_for_annotation_finish (CdClient        *self,
                                                    GAsyncResult    *result,
                                                    GError         **error);
/* The signed PDF (checked to be application/pdf starting with %PDF-). */
void          cd_client_download_document_async  (CdClient          *self,
                                                  const char        *annotation_id,
                                                  GCancellable      *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer           user_data);
GBytes       *cd_client_download_document_finish (CdClient          *self,
                                                  GAsyncResult      *result,
                                                  GError           **error);
void          cd_client_verify_async          (CdClient             *self,
                                               const char           *cert_no,
                                               const char           *code,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
CdVerification *cd_client_verify_finish       (CdClient             *self,
                                               GAsyncResult         *result,
                                               GError              **error);

G_END_DECLS
