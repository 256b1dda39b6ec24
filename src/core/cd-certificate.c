#include "config.h"

#include "cd-certificate.h"
#include "cd-client-error.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

struct _CdCertificate
{
  GObject              parent_instance;

  char                *id;
  char                *cert_no;
  char                *qualification;
  char                *specialty;
  char                *level;
  char                *holder_name;
  char                *gender;
  char                *id_number_masked;
  char                *management_no;
  char                *issued_on;
  char                *issuer;
  CdCertificateStatus  status;
  CdAnnotation        *latest_annotation;
};

G_DEFINE_FINAL_TYPE (CdCertificate, cd_certificate, G_TYPE_OBJECT)

/* The nicks are the wire strings. */
G_DEFINE_ENUM_TYPE (CdCertificateStatus, cd_certificate_status,
                    G_DEFINE_ENUM_VALUE (CD_CERTIFICATE_STATUS_VALID, "valid"),
                    G_DEFINE_ENUM_VALUE (CD_CERTIFICATE_STATUS_REVOKED, "revoked"),
                    G_DEFINE_ENUM_VALUE (CD_CERTIFICATE_STATUS_SUSPENDED, "suspended"))

enum {
  PROP_0,
  PROP_ID,
  PROP_CERT_NO,
  PROP_QUALIFICATION,
  PROP_SPECIALTY,
  PROP_LEVEL,
  PROP_HOLDER_NAME,
  PROP_GENDER,
  PROP_ID_NUMBER_MASKED,
  PROP_MANAGEMENT_NO,
  PROP_ISSUED_ON,
  PROP_ISSUER,
  PROP_STATUS,
  PROP_LATEST_ANNOTATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A real calendar date written exactly as YYYY-MM-DD. */
static gboolean
is_date (const char *value)
{
  if (strlen (value) != 10 || value[4] != '-' || value[7] != '-')
    return FALSE;

  for (guint i = 0; i < 10; i++)
    {
      if (i != 4 && i != 7 && !g_ascii_isdigit (value[i]))
        return FALSE;
    }

  return g_date_valid_dmy ((GDateDay) atoi (value + 8), (GDateMonth) atoi (value + 5),
                           (GDateYear) atoi (value));
}

static void
cd_certificate_dispose (GObject *object)
{
  CdCertificate *self = CD_CERTIFICATE (object);

  g_clear_object (&self->latest_annotation);

  G_OBJECT_CLASS (cd_certificate_parent_class)->dispose (object);
}

static void
cd_certificate_finalize (GObject *object)
{
  CdCertificate *self = CD_CERTIFICATE (object);

  g_free (self->id);
  g_free (self->cert_no);
  g_free (self->qualification);
  g_free (self->specialty);
  g_free (self->level);
  g_free (self->holder_name);
  g_free (self->gender);
  g_free (self->id_number_masked);
  g_free (self->management_no);
  g_free (self->issued_on);
  g_free (self->issuer);

  G_OBJECT_CLASS (cd_certificate_parent_class)->finalize (object);
}

static void
cd_certificate_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CdCertificate *self = CD_CERTIFICATE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_CERT_NO:
      g_value_set_string (value, self->cert_no);
      break;

    case PROP_QUALIFICATION:
      g_value_set_string (value, self->qualification);
      break;

    case PROP_SPECIALTY:
      g_value_set_string (value, self->specialty);
      break;

    case PROP_LEVEL:
      g_value_set_string (value, self->level);
      break;

    case PROP_HOLDER_NAME:
      g_value_set_string (value, self->holder_name);
      break;

    case PROP_GENDER:
      g_value_set_string (value, self->gender);
      break;

    case PROP_ID_NUMBER_MASKED:
      g_value_set_string (value, self->id_number_masked);
      break;

    case PROP_MANAGEMENT_NO:
      g_value_set_string (value, self->management_no);
      break;

    case PROP_ISSUED_ON:
      g_value_set_string (value, self->issued_on);
      break;

    case PROP_ISSUER:
      g_value_set_string (value, self->issuer);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_LATEST_ANNOTATION:
      g_value_set_object (value, self->latest_annotation);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_certificate_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CdCertificate *self = CD_CERTIFICATE (object);

  switch (prop_id)
    {
    case PROP_LATEST_ANNOTATION:
      cd_certificate_set_latest_annotation (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_certificate_class_init (CdCertificateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = cd_certificate_dispose;
  object_class->finalize = cd_certificate_finalize;
  object_class->get_property = cd_certificate_get_property;
  object_class->set_property = cd_certificate_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, flags);

  properties[PROP_CERT_NO] =
    g_param_spec_string ("cert-no", NULL, NULL, NULL, flags);

  properties[PROP_QUALIFICATION] =
    g_param_spec_string ("qualification", NULL, NULL, NULL, flags);

  properties[PROP_SPECIALTY] =
    g_param_spec_string ("specialty", NULL, NULL, NULL, flags);

  properties[PROP_LEVEL] =
    g_param_spec_string ("level", NULL, NULL, NULL, flags);

  properties[PROP_HOLDER_NAME] =
    g_param_spec_string ("holder-name", NULL, NULL, NULL, flags);

  properties[PROP_GENDER] =
    g_param_spec_string ("gender", NULL, NULL, NULL, flags);

  properties[PROP_ID_NUMBER_MASKED] =
    g_param_spec_string ("id-number-masked", NULL, NULL, NULL, flags);

  properties[PROP_MANAGEMENT_NO] =
    g_param_spec_string ("management-no", NULL, NULL, NULL, flags);

  properties[PROP_ISSUED_ON] =
    g_param_spec_string ("issued-on", NULL, NULL, NULL, flags);

  properties[PROP_ISSUER] =
    g_param_spec_string ("issuer", NULL, NULL, NULL, flags);

  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       CD_TYPE_CERTIFICATE_STATUS,
                       CD_CERTIFICATE_STATUS_VALID,
                       flags);

  properties[PROP_LATEST_ANNOTATION] =
    g_param_spec_object ("latest-annotation", NULL, NULL,
                         CD_TYPE_ANNOTATION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cd_certificate_init (CdCertificate *self)
{
}

CdCertificate *
cd_certificate_new_from_json (JsonObject  *object,
                              GError     **error)
{
  const char *what = _("a certificate");
  const char *id = NULL;
  const char *cert_no = NULL;
  const char *qualification = NULL;
  const char *specialty = NULL;
  const char *level = NULL;
  const char *holder_name = NULL;
  const char *gender = NULL;
  const char *id_number_masked = NULL;
  const char *management_no = NULL;
  const char *issued_on = NULL;
  const char *issuer = NULL;
  const char *status_str = NULL;
  JsonObject *annotation_object = NULL;
  g_autoptr(CdAnnotation) annotation = NULL;
  CdCertificateStatus status;
  CdCertificate *self;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The ID and the number are how the certificate is fetched and verified; the other
   * texts are shown as they are. */
  if (!cd_client_error_read_string (object, what, "id", CD_JSON_REQUIRED, TRUE,
                                    CD_CLIENT_MAX_STRING_CHARS, &id, error) ||
      !cd_client_error_read_string (object, what, "cert_no", CD_JSON_REQUIRED, TRUE,
                                    CD_CLIENT_MAX_STRING_CHARS, &cert_no, error) ||
      !cd_client_error_read_string (object, what, "qualification", CD_JSON_REQUIRED, FALSE,
                                    CD_CLIENT_MAX_STRING_CHARS, &qualification, error) ||
      !cd_client_error_read_string (object, what, "specialty", CD_JSON_REQUIRED, FALSE,
                                    CD_CLIENT_MAX_STRING_CHARS, &specialty, error) ||
      !cd_client_error_read_string (object, what, "level", CD_JSON_REQUIRED, FALSE,
                                    CD_CLIENT_MAX_STRING_CHARS, &level, error) ||
      !cd_client_error_read_string (object, what, "holder_name", CD_JSON_REQUIRED, FALSE,
                                    CD_CLIENT_MAX_STRING_CHARS, &holder_name, error) ||
      !cd_client_error_read_string (object, what, "gender", CD_JSON_REQUIRED, FALSE,
                                    CD_CLIENT_MAX_STRING_CHARS, &gender, error) ||
      !cd_client_error_read_string (object, what, "id_number_masked", CD_JSON_REQUIRED, FALSE,
                                    CD_CLIENT_MAX_STRING_CHARS, &id_number_masked, error) ||
      !cd_client_error_read_string (object, what, "management_no", CD_JSON_REQUIRED, FALSE,
                                    CD_CLIENT_MAX_STRING_CHARS, &management_no, error) ||
      !cd_client_error_read_string (object, what, "issued_on", CD_JSON_REQUIRED, TRUE,
                                    CD_CLIENT_MAX_STRING_CHARS, &issued_on, error) ||
      !cd_client_error_read_string (object, what, "issuer", CD_JSON_REQUIRED, FALSE,
                                    CD_CLIENT_MAX_STRING_CHARS, &issuer, error) ||
      !cd_client_error_read_string (object, what, "status", CD_JSON_REQUIRED, TRUE,
                                    CD_CLIENT_MAX_STRING_CHARS, &status_str, error) ||
      !cd_client_error_read_object (object, what, "latest_annotation", CD_JSON_NULLABLE,
                                    &annotation_object, error))
    return NULL;

  if (!is_date (issued_on))
    {
      cd_client_error_set_protocol (error, what, "issued_on",
                                    _("expected a date such as 2021-06-18"));
      return NULL;
    }

  if (!cd_certificate_status_from_string (status_str, &status))
    {
      /* Translators: %s is a status that the service sent */
      g_autofree char *detail = g_strdup_printf (_("“%s” is not a known status"), status_str);

      cd_client_error_set_protocol (error, what, "status", detail);
      return NULL;
    }

  if (annotation_object != NULL)
    {
      annotation = cd_annotation_new_from_json (annotation_object, error);
      if (annotation == NULL)
        return NULL;

      if (!g_str_equal (cd_annotation_get_certificate_id (annotation), id))
        {
          cd_client_error_set_protocol (error, what, "latest_annotation",
                                        _("it belongs to another certificate"));
          return NULL;
        }
    }

  self = g_object_new (CD_TYPE_CERTIFICATE, NULL);
  self->id = g_strdup (id);
  self->cert_no = g_strdup (cert_no);
  self->qualification = g_strdup (qualification);
  self->specialty = g_strdup (specialty);
  self->level = g_strdup (level);
  self->holder_name = g_strdup (holder_name);
  self->gender = g_strdup (gender);
  self->id_number_masked = g_strdup (id_number_masked);
  self->management_no = g_strdup (management_no);
  self->issued_on = g_strdup (issued_on);
  self->issuer = g_strdup (issuer);
  self->status = status;
  self->latest_annotation = g_steal_pointer (&annotation);

  return self;
}

void
cd_certificate_to_json (CdCertificate *self,
                        JsonBuilder   *builder)
{
  g_return_if_fail (CD_IS_CERTIFICATE (self));
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  cd_json_builder_add_string (builder, "id", self->id);
  cd_json_builder_add_string (builder, "cert_no", self->cert_no);
  cd_json_builder_add_string (builder, "qualification", self->qualification);
  cd_json_builder_add_string (builder, "specialty", self->specialty);
  cd_json_builder_add_string (builder, "level", self->level);
  cd_json_builder_add_string (builder, "holder_name", self->holder_name);
  cd_json_builder_add_string (builder, "gender", self->gender);
  cd_json_builder_add_string (builder, "id_number_masked", self->id_number_masked);
  cd_json_builder_add_string (builder, "management_no", self->management_no);
  cd_json_builder_add_string (builder, "issued_on", self->issued_on);
  cd_json_builder_add_string (builder, "issuer", self->issuer);
  cd_json_builder_add_string (builder, "status", cd_certificate_status_to_string (self->status));
  json_builder_set_member_name (builder, "latest_annotation");
  if (self->latest_annotation != NULL)
    cd_annotation_to_json (self->latest_annotation, builder);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
}

/* One bad element fails the whole list: a partial list would look complete. */
GPtrArray *
cd_certificate_list_new_from_json (JsonObject  *root,
                                   GError     **error)
{
  const char *what = _("a list of certificates");
  g_autoptr(GPtrArray) certificates = NULL;
  JsonArray *array = NULL;
  guint length;

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!cd_client_error_read_array (root, what, "certificates", &array, error))
    return NULL;

  length = json_array_get_length (array);
  certificates = g_ptr_array_new_full (length, g_object_unref);
  for (guint i = 0; i < length; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      CdCertificate *certificate;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          /* Translators: %u is a position in a list, counted from 0 */
          g_autofree char *detail = g_strdup_printf (_("item %u is not an object"), i);

          cd_client_error_set_protocol (error, what, "certificates", detail);
          return NULL;
        }

      certificate = cd_certificate_new_from_json (json_node_get_object (node), error);
      if (certificate == NULL)
        return NULL;
      g_ptr_array_add (certificates, certificate);
    }

  return g_steal_pointer (&certificates);
}

const char *
cd_certificate_get_id (CdCertificate *self)
{
  g_return_val_if_fail (CD_IS_CERTIFICATE (self), NULL);

  return self->id;
}

const char *
cd_certificate_get_cert_no (CdCertificate *self)
{
  g_return_val_if_fail (CD_IS_CERTIFICATE (self), NULL);

  return self->cert_no;
}

const char *
cd_certificate_get_qualification (CdCertificate *self)
{
  g_return_val_if_fail (CD_IS_CERTIFICATE (self), NULL);

  return self->qualification;
}

const char *
cd_certificate_get_specialty (CdCertificate *self)
{
  g_return_val_if_fail (CD_IS_CERTIFICATE (self), NULL);

  return self->specialty;
}

const char *
cd_certificate_get_level (CdCertificate *self)
{
  g_return_val_if_fail (CD_IS_CERTIFICATE (self), NULL);

  return self->level;
}

const char *
cd_certificate_get_holder_name (CdCertificate *self)
{
  g_return_val_if_fail (CD_IS_CERTIFICATE (self), NULL);

  return self->holder_name;
}

const char *
cd_certificate_get_gender (CdCertificate *self)
{
  g_return_val_if_fail (CD_IS_CERTIFICATE (self), NULL);

  return self->gender;
}

const char *
cd_certificate_get_id_number_masked (CdCertificate *self)
{
  g_return_val_if_fail (CD_IS_CERTIFICATE (self), NULL);

  return self->id_number_masked;
}

const char *
cd_certificate_get_management_no (CdCertificate *self)
{
  g_return_val_if_fail (CD_IS_CERTIFICATE (self), NULL);

  return self->management_no;
}

const char *
cd_certificate_get_issued_on (CdCertificate *self)
{
  g_return_val_if_fail (CD_IS_CERTIFICATE (self), NULL);

  return self->issued_on;
}

const char *
cd_certificate_get_issuer (CdCertificate *self)
{
  g_return_val_if_fail (CD_IS_CERTIFICATE (self), NULL);

  return self->issuer;
}

CdCertificateStatus
cd_certificate_get_status (CdCertificate *self)
{
  g_return_val_if_fail (CD_IS_CERTIFICATE (self), CD_CERTIFICATE_STATUS_VALID);

  return self->status;
}

CdAnnotation *
cd_certificate_get_latest_annotation (CdCertificate *self)
{
  g_return_val_if_fail (CD_IS_CERTIFICATE (self), NULL);

  return self->latest_annotation;
}

void
cd_certificate_set_latest_annotation (CdCertificate *self,
                                      CdAnnotation  *annotation)
{
  g_return_if_fail (CD_IS_CERTIFICATE (self));
  g_return_if_fail (annotation == NULL || CD_IS_ANNOTATION (annotation));
  g_return_if_fail (annotation == NULL ||
                    g_strcmp0 (cd_annotation_get_certificate_id (annotation), self->id) == 0);

  if (g_set_object (&self->latest_annotation, annotation))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LATEST_ANNOTATION]);
}
