#include "config.h"

#include "cd-api-enums.h"

static const char *certificate_status_names[] = {
  [CD_CERTIFICATE_STATUS_VALID] = "valid",
  [CD_CERTIFICATE_STATUS_REVOKED] = "revoked",
  [CD_CERTIFICATE_STATUS_SUSPENDED] = "suspended",
};

static const char *annotation_state_names[] = {
  [CD_ANNOTATION_STATE_PENDING] = "pending",
  [CD_ANNOTATION_STATE_READY] = "ready",
  [CD_ANNOTATION_STATE_EXPIRED] = "expired",
  [CD_ANNOTATION_STATE_FAILED] = "failed",
};

static const char *scenario_names[] = {
  [CD_SCENARIO_SELF_USE] = "self_use",
};

static gboolean
lookup_name (const char * const *names,
             guint               n_names,
             const char         *str,
             int                *out_index)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < n_names; i++)
    {
      if (g_str_equal (names[i], str))
        {
          *out_index = (int) i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
cd_certificate_status_to_string (CdCertificateStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (certificate_status_names), NULL);
  return certificate_status_names[status];
}

gboolean
cd_certificate_status_from_string (const char          *str,
                                   CdCertificateStatus *out_status)
{
  int index;

  if (!lookup_name (certificate_status_names, G_N_ELEMENTS (certificate_status_names), str, &index))
    return FALSE;
  *out_status = (CdCertificateStatus) index;
  return TRUE;
}

const char *
cd_annotation_state_to_string (CdAnnotationState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (annotation_state_names), NULL);
  return annotation_state_names[state];
}

gboolean
cd_annotation_state_from_string (const char        *str,
                                 CdAnnotationState *out_state)
{
  int index;

  if (!lookup_name (annotation_state_names, G_N_ELEMENTS (annotation_state_names), str, &index))
    return FALSE;
  *out_state = (CdAnnotationState) index;
  return TRUE;
}

const char *
cd_scenario_to_string (CdScenario scenario)
{
  g_return_val_if_fail (scenario < G_N_ELEMENTS (scenario_names), NULL);
  return scenario_names[scenario];
}

gboolean
cd_scenario_from_string (const char *str,
                         CdScenario *out_scenario)
{
  int index;

  if (!lookup_name (scenario_names, G_N_ELEMENTS (scenario_names), str, &index))
    return FALSE;
  *out_scenario = (CdScenario) index;
  return TRUE;
}
