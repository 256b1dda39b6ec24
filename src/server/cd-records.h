#pragma once

#include <glib.h>

#include "cd-api-enums.h"
#include "cd-id-number.h"

G_BEGIN_DECLS

/* Plain records that travel between the store, the HTTP layer and the document
 * generator. Times are Unix seconds; 0 means "not set". */

typedef struct
{
  gint64    id;
  CdIdType  id_type;
  char     *id_number;
  char     *name;
  char     *password_hash;
  char     *notice_version; /* the accepted version, or NULL */
  gint64    created_at;
} CdAccountRecord;

typedef struct
{
  char              *id;
  char              *annotation_no;
  char              *certificate_id;
  CdScenario         scenario;
  int                validity_days;
  CdAnnotationState  state;
  gint64             requested_at;
  gint64             ready_at;
  gint64             valid_from;
  gint64             valid_until;
  char              *verification_code;
} CdAnnotationRecord;

typedef struct
{
  char                *id;
  char                *cert_no;
  char                *qualification;
  char                *specialty;
  char                *level;
  char                *holder_name;
  char                *gender;
  CdIdType             id_type;
  char                *id_number;
  char                *management_no;
  char                *issued_on; /* YYYY-MM-DD */
  char                *issuer;
  CdCertificateStatus  status;
  CdAnnotationRecord  *latest_annotation; /* nullable */
} CdCertificateRecord;

const char          *cd_scenario_get_label             (CdScenario            scenario);

void                 cd_account_record_free            (CdAccountRecord      *record);
void                 cd_annotation_record_free         (CdAnnotationRecord   *record);
CdAnnotationRecord  *cd_annotation_record_copy         (const CdAnnotationRecord *record);
CdAnnotationState    cd_annotation_record_get_state_at (const CdAnnotationRecord *record,
                                                        gint64                now);
void                 cd_certificate_record_free        (CdCertificateRecord  *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdAccountRecord, cd_account_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdAnnotationRecord, cd_annotation_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdCertificateRecord, cd_certificate_record_free)

G_END_DECLS
