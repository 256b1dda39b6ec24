/* A sample certificate for tests and benchmarks: see cd-test-certificate.h. */

#include "config.h"

#include "cd-test-certificate.h"

#include "cd-certificate-document.h"
#include "cd-pdf-signer.h"
#include "cd-signing-identity.h"

#include <glib/gstdio.h>

static void
remove_key_dir (const char *directory)
{
  g_autoptr(GDir) dir = g_dir_open (directory, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (directory, name, NULL);

      g_unlink (path);
    }
  g_rmdir (directory);
}

CdCertificateRecord *
cd_test_certificate_new (const char *holder_name)
{
  CdCertificateRecord *certificate = g_new0 (CdCertificateRecord, 1);

  certificate->id = g_strdup ("c-0001");
  certificate->cert_no = g_strdup ("0620223201000123");
  certificate->qualification = g_strdup ("注册安全工程师");
  certificate->specialty = g_strdup ("化工安全");
  certificate->level = g_strdup ("中级");
  certificate->holder_name = g_strdup (holder_name);
  certificate->gender = g_strdup ("女");
  certificate->id_type = CD_ID_TYPE_RESIDENT_ID;
  certificate->id_number = g_strdup (CD_TEST_CERTIFICATE_ID_NUMBER);
  certificate->management_no = g_strdup ("AQ2022110100345");
  certificate->issued_on = g_strdup ("2022-06-30");
  certificate->issuer = g_strdup ("中华人民共和国人力资源和社会保障部");
  certificate->status = CD_CERTIFICATE_STATUS_VALID;

  return certificate;
}

CdAnnotationRecord *
cd_test_annotation_new (void)
{
  CdAnnotationRecord *annotation = g_new0 (CdAnnotationRecord, 1);

  annotation->id = g_strdup ("a-0001");
  annotation->annotation_no = g_strdup ("JZ20261125000042");
  annotation->certificate_id = g_strdup ("c-0001");
  annotation->scenario = CD_SCENARIO_SELF_USE;
  annotation->validity_days = 30;
  annotation->state = CD_ANNOTATION_STATE_READY;
  annotation->requested_at = CD_TEST_READY_AT - 5;
  annotation->ready_at = CD_TEST_READY_AT;
  annotation->valid_from = CD_TEST_READY_AT;
  annotation->valid_until = CD_TEST_READY_AT + 30 * 24 * 60 * 60;
  annotation->verification_code = g_strdup ("K7Q3-9XMD");

  return annotation;
}

GBytes *
cd_test_certificate_signed_pdf (gint64   signing_time,
                                GError **error)
{
  g_autoptr(CdCertificateRecord) certificate = cd_test_certificate_new (CD_TEST_CERTIFICATE_HOLDER);
  g_autoptr(CdAnnotationRecord) annotation = cd_test_annotation_new ();
  g_autoptr(CdSigningIdentity) identity = NULL;
  g_autoptr(GBytes) unsigned_pdf = NULL;
  g_autofree char *key_dir = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  key_dir = g_dir_make_tmp ("certdesk-test-certificate-XXXXXX", error);
  if (key_dir == NULL)
    return NULL;
  identity = cd_signing_identity_load_or_create (key_dir, error);
  remove_key_dir (key_dir);
  if (identity == NULL)
    return NULL;

  unsigned_pdf = cd_certificate_document_render (certificate, annotation, CD_TEST_VERIFY_URL,
                                                 error);
  if (unsigned_pdf == NULL)
    return NULL;
  return cd_pdf_sign (unsigned_pdf, identity, signing_time, "annotated certificate", error);
}
