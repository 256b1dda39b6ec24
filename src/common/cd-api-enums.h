#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The vocabulary of docs/api.md that the service and the clients share: the enums
 * and their wire strings. */

typedef enum
{
  CD_CERTIFICATE_STATUS_VALID,
  CD_CERTIFICATE_STATUS_REVOKED,
  CD_CERTIFICATE_STATUS_SUSPENDED,
} CdCertificateStatus;

/* Stored states are pending, ready and failed; expired is derived from valid_until. */
typedef enum
{
  CD_ANNOTATION_STATE_PENDING,
  CD_ANNOTATION_STATE_READY,
  CD_ANNOTATION_STATE_EXPIRED,
  CD_ANNOTATION_STATE_FAILED,
} CdAnnotationState;

typedef enum
{
  CD_SCENARIO_SELF_USE,
} CdScenario;

const char *cd_certificate_status_to_string   (CdCertificateStatus   status);
gboolean    cd_certificate_status_from_string (const char           *str,
                                               CdCertificateStatus  *out_status);
const char *cd_annotation_state_to_string     (CdAnnotationState     state);
gboolean    cd_annotation_state_from_string   (const char           *str,
                                               CdAnnotationState    *out_state);
const char *cd_scenario_to_string             (CdScenario            scenario);
gboolean    cd_scenario_from_string           (const char           *str,
                                               CdScenario           *out_scenario);

G_END_DECLS
