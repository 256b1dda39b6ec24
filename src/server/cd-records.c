#include "config.h"

#include "cd-records.h"

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

/* The wording printed on the annotated document. */
static const char *scenario_labels[] = {
  [CD_SCENARIO_SELF_USE] = "本人调用",
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

const char *
cd_scenario_get_label (CdScenario scenario)
{
  g_return_val_if_fail (scenario < G_N_ELEMENTS (scenario_labels), NULL);
  return scenario_labels[scenario];
}

void
cd_account_record_free (CdAccountRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->id_number);
  g_free (record->name);
  g_free (record->password_hash);
  g_free (record->notice_version);
  g_free (record);
}

void
cd_annotation_record_free (CdAnnotationRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->id);
  g_free (record->annotation_no);
  g_free (record->certificate_id);
  g_free (record->verification_code);
  g_free (record);
}

CdAnnotationRecord *
cd_annotation_record_copy (const CdAnnotationRecord *record)
{
  CdAnnotationRecord *copy;

  if (record == NULL)
    return NULL;

  copy = g_memdup2 (record, sizeof *record);
  copy->id = g_strdup (record->id);
  copy->annotation_no = g_strdup (record->annotation_no);
  copy->certificate_id = g_strdup (record->certificate_id);
  copy->verification_code = g_strdup (record->verification_code);

  return copy;
}

/* A ready annotation has expired once the service clock passes valid_until. */
CdAnnotationState
cd_annotation_record_get_state_at (const CdAnnotationRecord *record,
                                   gint64                    now)
{
  if (record->state == CD_ANNOTATION_STATE_READY && now >= record->valid_until)
    return CD_ANNOTATION_STATE_EXPIRED;

  return record->state;
}

void
cd_certificate_record_free (CdCertificateRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->id);
  g_free (record->cert_no);
  g_free (record->qualification);
  g_free (record->specialty);
  g_free (record->level);
  g_free (record->holder_name);
  g_free (record->gender);
  g_free (record->id_number);
  g_free (record->management_no);
  g_free (record->issued_on);
  g_free (record->issuer);
  g_clear_pointer (&record->latest_annotation, cd_annotation_record_free);
  g_free (record);
}
