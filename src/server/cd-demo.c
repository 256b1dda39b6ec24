#include "config.h"

#include "cd-demo.h"
#include "cd-secrets.h"
#include "cd-time.h"

static const struct
{
  const char          *cert_no;
  const char          *qualification;
  const char          *specialty;
  const char          *level;
  const char          *management_no;
  const char          *issued_on;
  const char          *issuer;
  CdCertificateStatus  status;
} demo_certificates[] = {
  { "AQ2021110105000123", "注册安全工程师", "化工安全", "中级", "2021110105000123", "2021-06-18",
    "中华人民共和国应急管理部", CD_CERTIFICATE_STATUS_VALID },
  { "YS2019110105004567", "执业药师", "药学", "", "2019110105004567", "2019-12-02",
    "国家药品监督管理局", CD_CERTIFICATE_STATUS_VALID },
  { "JZ2016110105007890", "一级建造师", "建筑工程", "一级", "2016110105007890", "2016-09-30",
    "中华人民共和国住房和城乡建设部", CD_CERTIFICATE_STATUS_REVOKED },
};

#define DEMO_NAME   "李明"
#define DEMO_GENDER "男"

gboolean
cd_demo_seed (CdStore  *store,
              GError  **error)
{
  g_autoptr(CdAccountRecord) existing = NULL;
  g_autoptr(CdAccountRecord) account = NULL;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GError) local_error = NULL;

  existing = cd_store_lookup_account (store, CD_DEMO_ID_NUMBER, &local_error);
  if (existing != NULL)
    return TRUE;
  if (!g_error_matches (local_error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  certificates = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_certificate_record_free);
  for (guint i = 0; i < G_N_ELEMENTS (demo_certificates); i++)
    {
      CdCertificateRecord *certificate = g_new0 (CdCertificateRecord, 1);

      certificate->cert_no = g_strdup (demo_certificates[i].cert_no);
      certificate->qualification = g_strdup (demo_certificates[i].qualification);
      certificate->specialty = g_strdup (demo_certificates[i].specialty);
      certificate->level = g_strdup (demo_certificates[i].level);
      certificate->holder_name = g_strdup (DEMO_NAME);
      certificate->gender = g_strdup (DEMO_GENDER);
      certificate->id_type = CD_ID_TYPE_RESIDENT_ID;
      certificate->id_number = g_strdup (CD_DEMO_ID_NUMBER);
      certificate->management_no = g_strdup (demo_certificates[i].management_no);
      certificate->issued_on = g_strdup (demo_certificates[i].issued_on);
      certificate->issuer = g_strdup (demo_certificates[i].issuer);
      certificate->status = demo_certificates[i].status;
      g_ptr_array_add (certificates, certificate);
    }

  if (!cd_store_import_certificates (store, certificates, error))
    return FALSE;

  account = g_new0 (CdAccountRecord, 1);
  account->id_type = CD_ID_TYPE_RESIDENT_ID;
  account->id_number = g_strdup (CD_DEMO_ID_NUMBER);
  account->name = g_strdup (DEMO_NAME);
  account->created_at = cd_time_now ();
  account->password_hash = cd_secrets_hash_password (CD_DEMO_PASSWORD, error);

  return account->password_hash != NULL && cd_store_create_account (store, account, error);
}
