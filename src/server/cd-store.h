#pragma once

#include <gio/gio.h>

#include "cd-records.h"

G_BEGIN_DECLS

/* The one narrow interface between the service and its database. Every call is
 * synchronous and thread-safe: the HTTP threads and the generation workers call it
 * directly. Calls that read or change a holder's data take the holder's ID number,
 * so one holder can never reach another's rows. */

#define CD_STORE_ERROR (cd_store_error_quark ())

typedef enum
{
  CD_STORE_ERROR_FAILED,
  CD_STORE_ERROR_NOT_FOUND,
  CD_STORE_ERROR_EXISTS,
  CD_STORE_ERROR_QUOTA_EXCEEDED,
  CD_STORE_ERROR_CERTIFICATE_NOT_VALID,
  CD_STORE_ERROR_INVALID,
} CdStoreError;

GQuark cd_store_error_quark (void);

/* The annotation rule: at most @limit non-failed annotations per certificate among
 * those requested in the @window_seconds before a new application. */
typedef struct
{
  int    limit;
  gint64 window_seconds;
} CdQuotaRule;

typedef struct
{
  int    limit;
  int    used;
  gint64 window_seconds;
  gint64 next_slot_at; /* when the oldest counted annotation leaves the window; 0 when none is counted */
} CdQuotaState;

#define CD_TYPE_STORE (cd_store_get_type ())
G_DECLARE_INTERFACE (CdStore, cd_store, CD, STORE, GObject)

struct _CdStoreInterface
{
  GTypeInterface parent_iface;

  gboolean              (*create_account)          (CdStore                *self,
                                                    CdAccountRecord        *account,
                                                    GError                **error);
  CdAccountRecord     * (*lookup_account)          (CdStore                *self,
                                                    const char             *id_number,
                                                    GError                **error);
  int                   (*record_sign_in_failure)  (CdStore                *self,
                                                    const char             *id_number,
                                                    gint64                  now,
                                                    gint64                  window_seconds,
                                                    GError                **error);
  gboolean              (*get_sign_in_failures)    (CdStore                *self,
                                                    const char             *id_number,
                                                    int                    *out_failures,
                                                    gint64                 *out_last_failed_at,
                                                    GError                **error);
  gboolean              (*clear_sign_in_failures)  (CdStore                *self,
                                                    const char             *id_number,
                                                    GError                **error);
  gboolean              (*create_session)          (CdStore                *self,
                                                    const char             *token_hash,
                                                    gint64                  account_id,
                                                    gint64                  expires_at,
                                                    GError                **error);
  CdAccountRecord     * (*lookup_session)          (CdStore                *self,
                                                    const char             *token_hash,
                                                    gint64                  now,
                                                    GError                **error);
  gboolean              (*delete_session)          (CdStore                *self,
                                                    const char             *token_hash,
                                                    GError                **error);
  gboolean              (*accept_notice)           (CdStore                *self,
                                                    gint64                  account_id,
                                                    const char             *version,
                                                    GError                **error);
  GPtrArray           * (*list_certificates)       (CdStore                *self,
                                                    const char             *id_number,
                                                    GError                **error);
  CdCertificateRecord * (*get_certificate)         (CdStore                *self,
                                                    const char             *id_number,
                                                    const char             *certificate_id,
                                                    GError                **error);
  GPtrArray           * (*list_annotations)        (CdStore                *self,
                                                    const char             *id_number,
                                                    const char             *certificate_id,
                                                    GError                **error);
  gboolean              (*get_quota)               (CdStore                *self,
                                                    const char             *certificate_id,
                                                    const CdQuotaRule      *rule,
                                                    gint64                  now,
                                                    CdQuotaState           *out_state,
                                                    GError                **error);
  CdAnnotationRecord  * (*apply_annotation)        (CdStore                *self,
                                                    const char             *id_number,
                                                    const char             *certificate_id,
                                                    CdScenario              scenario,
                                                    int                     validity_days,
                                                    const CdQuotaRule      *rule,
                                                    gint64                  now,
                                                    CdQuotaState           *out_quota,
                                                    GError                **error);
  CdAnnotationRecord  * (*get_annotation)          (CdStore                *self,
                                                    const char             *id_number,
                                                    const char             *annotation_id,
                                                    GError                **error);
  GBytes              * (*get_document)            (CdStore                *self,
                                                    const char             *id_number,
                                                    const char             *annotation_id,
                                                    GError                **error);
  GPtrArray           * (*list_pending_annotations)(CdStore                *self,
                                                    GError                **error);
  /* The certificate with latest_annotation set to @annotation_id, whoever holds it. */
  CdCertificateRecord * (*get_generation_input)    (CdStore                *self,
                                                    const char             *annotation_id,
                                                    GError                **error);
  gboolean              (*complete_annotation)     (CdStore                *self,
                                                    const char             *annotation_id,
                                                    gint64                  ready_at,
                                                    gint64                  valid_until,
                                                    GBytes                 *document,
                                                    GError                **error);
  gboolean              (*fail_annotation)         (CdStore                *self,
                                                    const char             *annotation_id,
                                                    const char             *reason,
                                                    GError                **error);
  /* The certificate with latest_annotation set to the annotation with that code. */
  CdCertificateRecord * (*lookup_verification)     (CdStore                *self,
                                                    const char             *cert_no,
                                                    const char             *verification_code,
                                                    GError                **error);
  gboolean              (*import_certificates)     (CdStore                *self,
                                                    GPtrArray              *certificates,
                                                    GError                **error);
};

gboolean             cd_store_create_account          (CdStore            *self,
                                                       CdAccountRecord    *account,
                                                       GError            **error);
CdAccountRecord     *cd_store_lookup_account          (CdStore            *self,
                                                       const char         *id_number,
                                                       GError            **error);
int                  cd_store_record_sign_in_failure  (CdStore            *self,
                                                       const char         *id_number,
                                                       gint64              now,
                                                       gint64              window_seconds,
                                                       GError            **error);
gboolean             cd_store_get_sign_in_failures    (CdStore            *self,
                                                       const char         *id_number,
                                                       int                *out_failures,
                                                       gint64             *out_last_failed_at,
                                                       GError            **error);
gboolean             cd_store_clear_sign_in_failures  (CdStore            *self,
                                                       const char         *id_number,
                                                       GError            **error);
gboolean             cd_store_create_session          (CdStore            *self,
                                                       const char         *token_hash,
                                                       gint64              account_id,
                                                       gint64              expires_at,
                                                       GError            **error);
CdAccountRecord     *cd_store_lookup_session          (CdStore            *self,
                                                       const char         *token_hash,
                                                       gint64              now,
                                                       GError            **error);
gboolean             cd_store_delete_session          (CdStore            *self,
                                                       const char         *token_hash,
                                                       GError            **error);
gboolean             cd_store_accept_notice           (CdStore            *self,
                                                       gint64              account_id,
                                                       const char         *version,
                                                       GError            **error);
GPtrArray           *cd_store_list_certificates       (CdStore            *self,
                                                       const char         *id_number,
                                                       GError            **error);
CdCertificateRecord *cd_store_get_certificate         (CdStore            *self,
                                                       const char         *id_number,
                                                       const char         *certificate_id,
                                                       GError            **error);
GPtrArray           *cd_store_list_annotations        (CdStore            *self,
                                                       const char         *id_number,
                                                       const char         *certificate_id,
                                                       GError            **error);
gboolean             cd_store_get_quota               (CdStore            *self,
                                                       const char         *certificate_id,
                                                       const CdQuotaRule  *rule,
                                                       gint64              now,
                                                       CdQuotaState       *out_state,
                                                       GError            **error);
CdAnnotationRecord  *cd_store_apply_annotation        (CdStore            *self,
                                                       const char         *id_number,
                                                       const char         *certificate_id,
                                                       CdScenario          scenario,
                                                       int                 validity_days,
                                                       const CdQuotaRule  *rule,
                                                       gint64              now,
                                                       CdQuotaState       *out_quota,
                                                       GError            **error);
CdAnnotationRecord  *cd_store_get_annotation          (CdStore            *self,
                                                       const char         *id_number,
                                                       const char         *annotation_id,
                                                       GError            **error);
GBytes              *cd_store_get_document            (CdStore            *self,
                                                       const char         *id_number,
                                                       const char         *annotation_id,
                                                       GError            **error);
GPtrArray           *cd_store_list_pending_annotations(CdStore            *self,
                                                       GError            **error);
CdCertificateRecord *cd_store_get_generation_input    (CdStore            *self,
                                                       const char         *annotation_id,
                                                       GError            **error);
gboolean             cd_store_complete_annotation     (CdStore            *self,
                                                       const char         *annotation_id,
                                                       gint64              ready_at,
                                                       gint64              valid_until,
                                                       GBytes             *document,
                                                       GError            **error);
gboolean             cd_store_fail_annotation         (CdStore            *self,
                                                       const char         *annotation_id,
                                                       const char         *reason,
                                                       GError            **error);
CdCertificateRecord *cd_store_lookup_verification     (CdStore            *self,
                                                       const char         *cert_no,
                                                       const char         *verification_code,
                                                       GError            **error);
gboolean             cd_store_import_certificates     (CdStore            *self,
                                                       GPtrArray          *certificates,
                                                       GError            **error);

G_END_DECLS
