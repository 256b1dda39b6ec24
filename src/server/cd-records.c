#include "config.h"

#include "cd-records.h"

/* The wording printed on the annotated document. */
static const char *scenario_labels[] = {
  [CD_SCENARIO_SELF_USE] = "本人调用",
};

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
