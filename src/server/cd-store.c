#include "config.h"

#include "cd-store.h"

G_DEFINE_QUARK (cd-store-error-quark, cd_store_error)

G_DEFINE_INTERFACE (CdStore, cd_store, G_TYPE_OBJECT)

static void
cd_store_default_init (CdStoreInterface *iface)
{
}

gboolean
cd_store_create_account (CdStore          *self,
                         CdAccountRecord  *account,
                         GError          **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  return CD_STORE_GET_IFACE (self)->create_account (self, account, error);
}

CdAccountRecord *
cd_store_lookup_account (CdStore     *self,
                         const char  *id_number,
                         GError     **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  return CD_STORE_GET_IFACE (self)->lookup_account (self, id_number, error);
}

int
cd_store_record_sign_in_failure (CdStore     *self,
                                 const char  *id_number,
                                 gint64       now,
                                 gint64       window_seconds,
                                 GError     **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), -1);

  return CD_STORE_GET_IFACE (self)->record_sign_in_failure (self, id_number, now, window_seconds, error);
}

gboolean
cd_store_get_sign_in_failures (CdStore     *self,
                               const char  *id_number,
                               int         *out_failures,
                               gint64      *out_last_failed_at,
                               GError     **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  return CD_STORE_GET_IFACE (self)->get_sign_in_failures (self, id_number, out_failures, out_last_failed_at, error);
}

gboolean
cd_store_clear_sign_in_failures (CdStore     *self,
                                 const char  *id_number,
                                 GError     **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  return CD_STORE_GET_IFACE (self)->clear_sign_in_failures (self, id_number, error);
}

gboolean
cd_store_create_session (CdStore     *self,
                         const char  *token_hash,
                         gint64       account_id,
                         gint64       expires_at,
                         GError     **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  return CD_STORE_GET_IFACE (self)->create_session (self, token_hash, account_id, expires_at, error);
}

CdAccountRecord *
cd_store_lookup_session (CdStore     *self,
                         const char  *token_hash,
                         gint64       now,
                         GError     **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  return CD_STORE_GET_IFACE (self)->lookup_session (self, token_hash, now, error);
}

gboolean
cd_store_delete_session (CdStore     *self,
                         const char  *token_hash,
                         GError     **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  return CD_STORE_GET_IFACE (self)->delete_session (self, token_hash, error);
}

gboolean
cd_store_accept_notice (CdStore     *self,
                        gint64       account_id,
                        const char  *version,
                        GError     **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  return CD_STORE_GET_IFACE (self)->accept_notice (self, account_id, version, error);
}

GPtrArray *
cd_store_list_certificates (CdStore     *self,
                            const char  *id_number,
                            GError     **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  return CD_STORE_GET_IFACE (self)->list_certificates (self, id_number, error);
}

CdCertificateRecord *
cd_store_get_certificate (CdStore     *self,
                          const char  *id_number,
                          const char  *certificate_id,
                          GError     **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  return CD_STORE_GET_IFACE (self)->get_certificate (self, id_number, certificate_id, error);
}

GPtrArray *
cd_store_list_annotations (CdStore     *self,
                           const char  *id_number,
                           const char  *certificate_id,
                           GError     **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  return CD_STORE_GET_IFACE (self)->list_annotations (self, id_number, certificate_id, error);
}

gboolean
cd_store_get_quota (CdStore            *self,
                    const char         *certificate_id,
                    const CdQuotaRule  *rule,
                    gint64              now,
                    CdQuotaState       *out_state,
                    GError            **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  return CD_STORE_GET_IFACE (self)->get_quota (self, certificate_id, rule, now, out_state, error);
}

CdAnnotationRecord *
cd_store_apply_annotation (CdStore            *self,
                           const char         *id_number,
                           const char         *certificate_id,
                           CdScenario          scenario,
                           int                 validity_days,
                           const CdQuotaRule  *rule,
                           gint64              now,
                           CdQuotaState       *out_quota,
                           GError            **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  return CD_STORE_GET_IFACE (self)->apply_annotation (self, id_number, certificate_id, scenario, validity_days, rule, now, out_quota, error);
}

CdAnnotationRecord *
cd_store_get_annotation (CdStore     *self,
                         const char  *id_number,
                         const char  *annotation_id,
                         GError     **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  return CD_STORE_GET_IFACE (self)->get_annotation (self, id_number, annotation_id, error);
}

GBytes *
cd_store_get_document (CdStore     *self,
                       const char  *id_number,
                       const char  *annotation_id,
                       GError     **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  return CD_STORE_GET_IFACE (self)->get_document (self, id_number, annotation_id, error);
}

GPtrArray *
cd_store_list_pending_annotations (CdStore  *self,
                                   GError  **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  return CD_STORE_GET_IFACE (self)->list_pending_annotations (self, error);
}

CdCertificateRecord *
cd_store_get_generation_input (CdStore     *self,
                               const char  *annotation_id,
                               GError     **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  return CD_STORE_GET_IFACE (self)->get_generation_input (self, annotation_id, error);
}

gboolean
cd_store_complete_annotation (CdStore     *self,
                              const char  *annotation_id,
                              gint64       ready_at,
                              gint64       valid_until,
                              GBytes      *document,
                              GError     **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  return CD_STORE_GET_IFACE (self)->complete_annotation (self, annotation_id, ready_at, valid_until, document, error);
}

gboolean
cd_store_fail_annotation (CdStore     *self,
                          const char  *annotation_id,
                          const char  *reason,
                          GError     **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  return CD_STORE_GET_IFACE (self)->fail_annotation (self, annotation_id, reason, error);
}

CdCertificateRecord *
cd_store_lookup_verification (CdStore     *self,
                              const char  *cert_no,
                              const char  *verification_code,
                              GError     **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  return CD_STORE_GET_IFACE (self)->lookup_verification (self, cert_no, verification_code, error);
}

gboolean
cd_store_import_certificates (CdStore    *self,
                              GPtrArray  *certificates,
                              GError    **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  return CD_STORE_GET_IFACE (self)->import_certificates (self, certificates, error);
}
