#include "config.h"

#include "cd-verification.h"
#include "cd-client-error.h"

#include <glib/gi18n-lib.h>

struct _CdVerification
{
  GObject              parent_instance;

  gboolean             valid;
  gint64               checked_at;
  char                *cert_no;
  char                *qualification;
  char                *holder_name_masked;
  CdCertificateStatus  status;
  char                *issuer;
  char                *annotation_no;
  CdAnnotationState    annotation_state;
  gint64               valid_from;
  gint64               valid_until;
};

G_DEFINE_FINAL_TYPE (CdVerification, cd_verification, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_VALID,
  PROP_CHECKED_AT,
  PROP_CERT_NO,
  PROP_QUALIFICATION,
  PROP_HOLDER_NAME_MASKED,
  PROP_STATUS,
  PROP_ISSUER,
  PROP_ANNOTATION_NO,
  PROP_ANNOTATION_STATE,
  PROP_VALID_FROM,
  PROP_VALID_UNTIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
read_certificate (CdVerification  *self,
                  JsonObject      *object,
                  GError         **error)
{
  const char *what = _("the certificate of a verification");
  const char *cert_no = NULL;
  const char *qualification = NULL;
  const char *holder_name_masked = NULL;
  const char *status = NULL;
  const char *issuer = NULL;

  if (!cd_client_error_read_string (object, what, "cert_no", CD_JSON_REQUIRED, TRUE,
                                    CD_CLIENT_MAX_STRING_CHARS, &cert_no, error) ||
      !cd_client_error_read_string (object, what, "qualification", CD_JSON_REQUIRED, FALSE,
                                    CD_CLIENT_MAX_STRING_CHARS, &qualification, error) ||
      !cd_client_error_read_string (object, what, "holder_name_masked", CD_JSON_REQUIRED, FALSE,
                                    CD_CLIENT_MAX_STRING_CHARS, &holder_name_masked, error) ||
      !cd_client_error_read_string (object, what, "status", CD_JSON_REQUIRED, TRUE,
                                    CD_CLIENT_MAX_STRING_CHARS, &status, error) ||
      !cd_client_error_read_string (object, what, "issuer", CD_JSON_REQUIRED, FALSE,
                                    CD_CLIENT_MAX_STRING_CHARS, &issuer, error))
    return FALSE;

  if (!cd_certificate_status_from_string (status, &self->status))
    {
      /* Translators: %s is a status that the service sent */
      g_autofree char *detail = g_strdup_printf (_("“%s” is not a known status"), status);

      cd_client_error_set_protocol (error, what, "status", detail);
      return FALSE;
    }

  self->cert_no = g_strdup (cert_no);
  self->qualification = g_strdup (qualification);
  self->holder_name_masked = g_strdup (holder_name_masked);
  self->issuer = g_strdup (issuer);
  return TRUE;
}

static gboolean
read_annotation (CdVerification  *self,
                 JsonObject      *object,
                 GError         **error)
{
  const char *what = _("the annotation of a verification");
  const char *annotation_no = NULL;
  const char *state = NULL;

  if (!cd_client_error_read_string (object, what, "annotation_no", CD_JSON_REQUIRED, TRUE,
                                    CD_CLIENT_MAX_STRING_CHARS, &annotation_no, error) ||
      !cd_client_error_read_string (object, what, "state", CD_JSON_REQUIRED, TRUE,
                                    CD_CLIENT_MAX_STRING_CHARS, &state, error) ||
      !cd_client_error_read_time (object, what, "valid_from", CD_JSON_NULLABLE,
                                  &self->valid_from, error) ||
      !cd_client_error_read_time (object, what, "valid_until", CD_JSON_NULLABLE,
                                  &self->valid_until, error))
    return FALSE;

  if (!cd_annotation_state_from_string (state, &self->annotation_state))
    {
      /* Translators: %s is a state that the service sent */
      g_autofree char *detail = g_strdup_printf (_("“%s” is not a known state"), state);

      cd_client_error_set_protocol (error, what, "state", detail);
      return FALSE;
    }

  self->annotation_no = g_strdup (annotation_no);
  return TRUE;
}

static void
cd_verification_finalize (GObject *object)
{
  CdVerification *self = CD_VERIFICATION (object);

  g_free (self->cert_no);
  g_free (self->qualification);
  g_free (self->holder_name_masked);
  g_free (self->issuer);
  g_free (self->annotation_no);

  G_OBJECT_CLASS (cd_verification_parent_class)->finalize (object);
}

static void
cd_verification_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CdVerification *self = CD_VERIFICATION (object);

  switch (prop_id)
    {
    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;

    case PROP_CHECKED_AT:
      g_value_set_int64 (value, self->checked_at);
      break;

    case PROP_CERT_NO:
      g_value_set_string (value, self->cert_no);
      break;

    case PROP_QUALIFICATION:
      g_value_set_string (value, self->qualification);
      break;

    case PROP_HOLDER_NAME_MASKED:
      g_value_set_string (value, self->holder_name_masked);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_ISSUER:
      g_value_set_string (value, self->issuer);
      break;

    case PROP_ANNOTATION_NO:
      g_value_set_string (value, self->annotation_no);
      break;

    case PROP_ANNOTATION_STATE:
      g_value_set_enum (value, self->annotation_state);
      break;

    case PROP_VALID_FROM:
      g_value_set_int64 (value, self->valid_from);
      break;

    case PROP_VALID_UNTIL:
      g_value_set_int64 (value, self->valid_until);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_verification_class_init (CdVerificationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = cd_verification_finalize;
  object_class->get_property = cd_verification_get_property;

  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, FALSE, flags);

  properties[PROP_CHECKED_AT] =
    g_param_spec_int64 ("checked-at", NULL, NULL, 0, G_MAXINT64, 0, flags);

  properties[PROP_CERT_NO] =
    g_param_spec_string ("cert-no", NULL, NULL, NULL, flags);

  properties[PROP_QUALIFICATION] =
    g_param_spec_string ("qualification", NULL, NULL, NULL, flags);

  properties[PROP_HOLDER_NAME_MASKED] =
    g_param_spec_string ("holder-name-masked", NULL, NULL, NULL, flags);

  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       CD_TYPE_CERTIFICATE_STATUS,
                       CD_CERTIFICATE_STATUS_VALID,
                       flags);

  properties[PROP_ISSUER] =
    g_param_spec_string ("issuer", NULL, NULL, NULL, flags);

  properties[PROP_ANNOTATION_NO] =
    g_param_spec_string ("annotation-no", NULL, NULL, NULL, flags);

  properties[PROP_ANNOTATION_STATE] =
    g_param_spec_enum ("annotation-state", NULL, NULL,
                       CD_TYPE_ANNOTATION_STATE,
                       CD_ANNOTATION_STATE_PENDING,
                       flags);

  properties[PROP_VALID_FROM] =
    g_param_spec_int64 ("valid-from", NULL, NULL, 0, G_MAXINT64, 0, flags);

  properties[PROP_VALID_UNTIL] =
    g_param_spec_int64 ("valid-until", NULL, NULL, 0, G_MAXINT64, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cd_verification_init (CdVerification *self)
{
}

CdVerification *
cd_verification_new_from_json (JsonObject  *object,
                               GError     **error)
{
  const char *what = _("a verification");
  g_autoptr(CdVerification) self = NULL;
  JsonObject *certificate = NULL;
  JsonObject *annotation = NULL;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (CD_TYPE_VERIFICATION, NULL);

  if (!cd_client_error_read_boolean (object, what, "valid", &self->valid, error) ||
      !cd_client_error_read_time (object, what, "checked_at", CD_JSON_REQUIRED,
                                  &self->checked_at, error) ||
      !cd_client_error_read_object (object, what, "certificate", CD_JSON_REQUIRED,
                                    &certificate, error) ||
      !cd_client_error_read_object (object, what, "annotation", CD_JSON_REQUIRED,
                                    &annotation, error) ||
      !read_certificate (self, certificate, error) ||
      !read_annotation (self, annotation, error))
    return NULL;

  /* Whoever checks a document must never be told “valid” for a certificate or an
   * annotation that is not. */
  if (self->valid && (self->status != CD_CERTIFICATE_STATUS_VALID ||
                      self->annotation_state != CD_ANNOTATION_STATE_READY))
    {
      cd_client_error_set_protocol (error, what, "valid",
                                    _("it is true for a certificate or annotation "
                                      "that is not valid"));
      return NULL;
    }

  return g_steal_pointer (&self);
}

void
cd_verification_to_json (CdVerification *self,
                         JsonBuilder    *builder)
{
  g_return_if_fail (CD_IS_VERIFICATION (self));
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "valid");
  json_builder_add_boolean_value (builder, self->valid);
  cd_json_builder_add_time (builder, "checked_at", self->checked_at);

  json_builder_set_member_name (builder, "certificate");
  json_builder_begin_object (builder);
  cd_json_builder_add_string (builder, "cert_no", self->cert_no);
  cd_json_builder_add_string (builder, "qualification", self->qualification);
  cd_json_builder_add_string (builder, "holder_name_masked", self->holder_name_masked);
  cd_json_builder_add_string (builder, "status", cd_certificate_status_to_string (self->status));
  cd_json_builder_add_string (builder, "issuer", self->issuer);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "annotation");
  json_builder_begin_object (builder);
  cd_json_builder_add_string (builder, "annotation_no", self->annotation_no);
  cd_json_builder_add_string (builder, "state", cd_annotation_state_to_string (self->annotation_state));
  cd_json_builder_add_time (builder, "valid_from", self->valid_from);
  cd_json_builder_add_time (builder, "valid_until", self->valid_until);
  json_builder_end_object (builder);

  json_builder_end_object (builder);
}

gboolean
cd_verification_get_valid (CdVerification *self)
{
  g_return_val_if_fail (CD_IS_VERIFICATION (self), FALSE);

  return self->valid;
}

gint64
cd_verification_get_checked_at (CdVerification *self)
{
  g_return_val_if_fail (CD_IS_VERIFICATION (self), 0);

  return self->checked_at;
}

const char *
cd_verification_get_cert_no (CdVerification *self)
{
  g_return_val_if_fail (CD_IS_VERIFICATION (self), NULL);

  return self->cert_no;
}

const char *
cd_verification_get_qualification (CdVerification *self)
{
  g_return_val_if_fail (CD_IS_VERIFICATION (self), NULL);

  return self->qualification;
}

const char *
cd_verification_get_holder_name_masked (CdVerification *self)
{
  g_return_val_if_fail (CD_IS_VERIFICATION (self), NULL);

  return self->holder_name_masked;
}

CdCertificateStatus
cd_verification_get_status (CdVerification *self)
{
  g_return_val_if_fail (CD_IS_VERIFICATION (self), CD_CERTIFICATE_STATUS_VALID);

  return self->status;
}

const char *
cd_verification_get_issuer (CdVerification *self)
{
  g_return_val_if_fail (CD_IS_VERIFICATION (self), NULL);

  return self->issuer;
}

const char *
cd_verification_get_annotation_no (CdVerification *self)
{
  g_return_val_if_fail (CD_IS_VERIFICATION (self), NULL);

  return self->annotation_no;
}

CdAnnotationState
cd_verification_get_annotation_state (CdVerification *self)
{
  g_return_val_if_fail (CD_IS_VERIFICATION (self), CD_ANNOTATION_STATE_PENDING);

  return self->annotation_state;
}

gint64
cd_verification_get_valid_from (CdVerification *self)
{
  g_return_val_if_fail (CD_IS_VERIFICATION (self), 0);

  return self->valid_from;
}

gint64
cd_verification_get_valid_until (CdVerification *self)
{
  g_return_val_if_fail (CD_IS_VERIFICATION (self), 0);

  return self->valid_until;
}
