#include "config.h"

#include "cd-annotation.h"
#include "cd-client-error.h"

#include <glib/gi18n-lib.h>

/* docs/api.md: validity_days is 1–90. */
#define MIN_VALIDITY_DAYS 1
#define MAX_VALIDITY_DAYS 90

struct _CdAnnotation
{
  GObject            parent_instance;

  char              *id;
  char              *annotation_no;
  char              *certificate_id;
  char              *scenario;
  int                validity_days;
  CdAnnotationState  state;
  gint64             requested_at;
  gint64             ready_at;
  gint64             valid_from;
  gint64             valid_until;
  char              *verification_code;
};

G_DEFINE_FINAL_TYPE (CdAnnotation, cd_annotation, G_TYPE_OBJECT)

/* The nicks are the wire strings. */
G_DEFINE_ENUM_TYPE (CdAnnotationState, cd_annotation_state,
                    G_DEFINE_ENUM_VALUE (CD_ANNOTATION_STATE_PENDING, "pending"),
                    G_DEFINE_ENUM_VALUE (CD_ANNOTATION_STATE_READY, "ready"),
                    G_DEFINE_ENUM_VALUE (CD_ANNOTATION_STATE_EXPIRED, "expired"),
                    G_DEFINE_ENUM_VALUE (CD_ANNOTATION_STATE_FAILED, "failed"))

enum {
  PROP_0,
  PROP_ID,
  PROP_ANNOTATION_NO,
  PROP_CERTIFICATE_ID,
  PROP_SCENARIO,
  PROP_VALIDITY_DAYS,
  PROP_STATE,
  PROP_REQUESTED_AT,
  PROP_READY_AT,
  PROP_VALID_FROM,
  PROP_VALID_UNTIL,
  PROP_VERIFICATION_CODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_string (CdAnnotation  *self,
               char         **field,
               const char    *value,
               guint          prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
update_time (CdAnnotation *self,
             gint64       *field,
             gint64        value,
             guint         prop_id)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
cd_annotation_finalize (GObject *object)
{
  CdAnnotation *self = CD_ANNOTATION (object);

  g_free (self->id);
  g_free (self->annotation_no);
  g_free (self->certificate_id);
  g_free (self->scenario);
  g_free (self->verification_code);

  G_OBJECT_CLASS (cd_annotation_parent_class)->finalize (object);
}

static void
cd_annotation_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CdAnnotation *self = CD_ANNOTATION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_ANNOTATION_NO:
      g_value_set_string (value, self->annotation_no);
      break;

    case PROP_CERTIFICATE_ID:
      g_value_set_string (value, self->certificate_id);
      break;

    case PROP_SCENARIO:
      g_value_set_string (value, self->scenario);
      break;

    case PROP_VALIDITY_DAYS:
      g_value_set_int (value, self->validity_days);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_REQUESTED_AT:
      g_value_set_int64 (value, self->requested_at);
      break;

    case PROP_READY_AT:
      g_value_set_int64 (value, self->ready_at);
      break;

    case PROP_VALID_FROM:
      g_value_set_int64 (value, self->valid_from);
      break;

    case PROP_VALID_UNTIL:
      g_value_set_int64 (value, self->valid_until);
      break;

    case PROP_VERIFICATION_CODE:
      g_value_set_string (value, self->verification_code);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_annotation_class_init (CdAnnotationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = cd_annotation_finalize;
  object_class->get_property = cd_annotation_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, flags);

  properties[PROP_ANNOTATION_NO] =
    g_param_spec_string ("annotation-no", NULL, NULL, NULL, flags);

  properties[PROP_CERTIFICATE_ID] =
    g_param_spec_string ("certificate-id", NULL, NULL, NULL, flags);

  properties[PROP_SCENARIO] =
    g_param_spec_string ("scenario", NULL, NULL, NULL, flags);

  properties[PROP_VALIDITY_DAYS] =
    g_param_spec_int ("validity-days", NULL, NULL,
                      0, MAX_VALIDITY_DAYS, 0,
                      flags);

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       CD_TYPE_ANNOTATION_STATE,
                       CD_ANNOTATION_STATE_PENDING,
                       flags);

  properties[PROP_REQUESTED_AT] =
    g_param_spec_int64 ("requested-at", NULL, NULL, 0, G_MAXINT64, 0, flags);

  properties[PROP_READY_AT] =
    g_param_spec_int64 ("ready-at", NULL, NULL, 0, G_MAXINT64, 0, flags);

  properties[PROP_VALID_FROM] =
    g_param_spec_int64 ("valid-from", NULL, NULL, 0, G_MAXINT64, 0, flags);

  properties[PROP_VALID_UNTIL] =
    g_param_spec_int64 ("valid-until", NULL, NULL, 0, G_MAXINT64, 0, flags);

  properties[PROP_VERIFICATION_CODE] =
    g_param_spec_string ("verification-code", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cd_annotation_init (CdAnnotation *self)
{
}

CdAnnotation *
cd_annotation_new_from_json (JsonObject  *object,
                             GError     **error)
{
  const char *what = _("an annotation");
  const char *id = NULL;
  const char *annotation_no = NULL;
  const char *certificate_id = NULL;
  const char *scenario = NULL;
  const char *state_str = NULL;
  const char *verification_code = NULL;
  gint64 validity_days = 0;
  gint64 requested_at = 0;
  gint64 ready_at = 0;
  gint64 valid_from = 0;
  gint64 valid_until = 0;
  CdAnnotationState state;
  CdAnnotation *self;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!cd_client_error_read_string (object, what, "id", CD_JSON_REQUIRED, TRUE,
                                    CD_CLIENT_MAX_STRING_CHARS, &id, error) ||
      !cd_client_error_read_string (object, what, "annotation_no", CD_JSON_REQUIRED, TRUE,
                                    CD_CLIENT_MAX_STRING_CHARS, &annotation_no, error) ||
      !cd_client_error_read_string (object, what, "certificate_id", CD_JSON_REQUIRED, TRUE,
                                    CD_CLIENT_MAX_STRING_CHARS, &certificate_id, error) ||
      !cd_client_error_read_string (object, what, "scenario", CD_JSON_REQUIRED, TRUE,
                                    CD_CLIENT_MAX_STRING_CHARS, &scenario, error) ||
      !cd_client_error_read_int (object, what, "validity_days",
                                 MIN_VALIDITY_DAYS, MAX_VALIDITY_DAYS, &validity_days, error) ||
      !cd_client_error_read_string (object, what, "state", CD_JSON_REQUIRED, TRUE,
                                    CD_CLIENT_MAX_STRING_CHARS, &state_str, error) ||
      !cd_client_error_read_time (object, what, "requested_at", CD_JSON_REQUIRED,
                                  &requested_at, error) ||
      !cd_client_error_read_time (object, what, "ready_at", CD_JSON_NULLABLE, &ready_at, error) ||
      !cd_client_error_read_time (object, what, "valid_from", CD_JSON_NULLABLE,
                                  &valid_from, error) ||
      !cd_client_error_read_time (object, what, "valid_until", CD_JSON_NULLABLE,
                                  &valid_until, error) ||
      !cd_client_error_read_string (object, what, "verification_code", CD_JSON_NULLABLE, TRUE,
                                    CD_CLIENT_MAX_STRING_CHARS, &verification_code, error))
    return NULL;

  if (!cd_annotation_state_from_string (state_str, &state))
    {
      /* Translators: %s is a state that the service sent */
      g_autofree char *detail = g_strdup_printf (_("“%s” is not a known state"), state_str);

      cd_client_error_set_protocol (error, what, "state", detail);
      return NULL;
    }

  /* A generated document has its validity and code; without them the library could
   * neither tell when it expires nor let anyone verify it. */
  if (state == CD_ANNOTATION_STATE_READY || state == CD_ANNOTATION_STATE_EXPIRED)
    {
      const char *missing = ready_at == 0 ? "ready_at"
                            : valid_from == 0 ? "valid_from"
                            : valid_until == 0 ? "valid_until"
                            : verification_code == NULL ? "verification_code"
                            : NULL;

      if (missing != NULL)
        {
          cd_client_error_set_protocol (error, what, missing,
                                        _("it is null although the document was generated"));
          return NULL;
        }
    }

  if (valid_from != 0 && valid_until != 0 && valid_until <= valid_from)
    {
      cd_client_error_set_protocol (error, what, "valid_until",
                                    _("it is not after “valid_from”"));
      return NULL;
    }

  self = g_object_new (CD_TYPE_ANNOTATION, NULL);
  self->id = g_strdup (id);
  self->annotation_no = g_strdup (annotation_no);
  self->certificate_id = g_strdup (certificate_id);
  self->scenario = g_strdup (scenario);
  self->validity_days = (int) validity_days;
  self->state = state;
  self->requested_at = requested_at;
  self->ready_at = ready_at;
  self->valid_from = valid_from;
  self->valid_until = valid_until;
  self->verification_code = g_strdup (verification_code);

  return self;
}

void
cd_annotation_to_json (CdAnnotation *self,
                       JsonBuilder  *builder)
{
  g_return_if_fail (CD_IS_ANNOTATION (self));
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, self->id);
  json_builder_set_member_name (builder, "annotation_no");
  json_builder_add_string_value (builder, self->annotation_no);
  json_builder_set_member_name (builder, "certificate_id");
  json_builder_add_string_value (builder, self->certificate_id);
  json_builder_set_member_name (builder, "scenario");
  json_builder_add_string_value (builder, self->scenario);
  json_builder_set_member_name (builder, "validity_days");
  json_builder_add_int_value (builder, self->validity_days);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, cd_annotation_state_to_string (self->state));
  cd_json_builder_add_time (builder, "requested_at", self->requested_at);
  cd_json_builder_add_time (builder, "ready_at", self->ready_at);
  cd_json_builder_add_time (builder, "valid_from", self->valid_from);
  cd_json_builder_add_time (builder, "valid_until", self->valid_until);
  json_builder_set_member_name (builder, "verification_code");
  if (self->verification_code != NULL)
    json_builder_add_string_value (builder, self->verification_code);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
}

/* One bad element fails the whole list: a partial list would look complete. */
GPtrArray *
cd_annotation_list_new_from_json (JsonObject  *root,
                                  CdQuota    **out_quota,
                                  GError     **error)
{
  const char *what = _("a list of annotations");
  g_autoptr(GPtrArray) annotations = NULL;
  g_autoptr(CdQuota) quota = NULL;
  JsonArray *array = NULL;
  JsonObject *quota_object = NULL;
  guint length;

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!cd_client_error_read_array (root, what, "annotations", &array, error) ||
      !cd_client_error_read_object (root, what, "quota", CD_JSON_REQUIRED, &quota_object, error))
    return NULL;

  quota = cd_quota_new_from_json (quota_object, error);
  if (quota == NULL)
    return NULL;

  length = json_array_get_length (array);
  annotations = g_ptr_array_new_full (length, g_object_unref);
  for (guint i = 0; i < length; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      CdAnnotation *annotation;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          /* Translators: %u is a position in a list, counted from 0 */
          g_autofree char *detail = g_strdup_printf (_("item %u is not an object"), i);

          cd_client_error_set_protocol (error, what, "annotations", detail);
          return NULL;
        }

      annotation = cd_annotation_new_from_json (json_node_get_object (node), error);
      if (annotation == NULL)
        return NULL;
      g_ptr_array_add (annotations, annotation);
    }

  if (out_quota != NULL)
    *out_quota = g_steal_pointer (&quota);

  return g_steal_pointer (&annotations);
}

void
cd_annotation_update_from (CdAnnotation *self,
                           CdAnnotation *newer)
{
  g_return_if_fail (CD_IS_ANNOTATION (self));
  g_return_if_fail (CD_IS_ANNOTATION (newer));
  g_return_if_fail (g_strcmp0 (self->id, newer->id) == 0);

  if (self == newer)
    return;

  /* Listeners see the annotation whole, not half updated. */
  g_object_freeze_notify (G_OBJECT (self));

  update_string (self, &self->annotation_no, newer->annotation_no, PROP_ANNOTATION_NO);
  update_string (self, &self->certificate_id, newer->certificate_id, PROP_CERTIFICATE_ID);
  update_string (self, &self->scenario, newer->scenario, PROP_SCENARIO);

  if (self->validity_days != newer->validity_days)
    {
      self->validity_days = newer->validity_days;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALIDITY_DAYS]);
    }

  if (self->state != newer->state)
    {
      self->state = newer->state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }

  update_time (self, &self->requested_at, newer->requested_at, PROP_REQUESTED_AT);
  update_time (self, &self->ready_at, newer->ready_at, PROP_READY_AT);
  update_time (self, &self->valid_from, newer->valid_from, PROP_VALID_FROM);
  update_time (self, &self->valid_until, newer->valid_until, PROP_VALID_UNTIL);
  update_string (self, &self->verification_code, newer->verification_code, PROP_VERIFICATION_CODE);

  g_object_thaw_notify (G_OBJECT (self));
}

const char *
cd_annotation_get_id (CdAnnotation *self)
{
  g_return_val_if_fail (CD_IS_ANNOTATION (self), NULL);

  return self->id;
}

const char *
cd_annotation_get_annotation_no (CdAnnotation *self)
{
  g_return_val_if_fail (CD_IS_ANNOTATION (self), NULL);

  return self->annotation_no;
}

const char *
cd_annotation_get_certificate_id (CdAnnotation *self)
{
  g_return_val_if_fail (CD_IS_ANNOTATION (self), NULL);

  return self->certificate_id;
}

const char *
cd_annotation_get_scenario (CdAnnotation *self)
{
  g_return_val_if_fail (CD_IS_ANNOTATION (self), NULL);

  return self->scenario;
}

/* FALSE for a scenario newer than this client. */
gboolean
cd_annotation_get_known_scenario (CdAnnotation *self,
                                  CdScenario   *out_scenario)
{
  g_return_val_if_fail (CD_IS_ANNOTATION (self), FALSE);
  g_return_val_if_fail (out_scenario != NULL, FALSE);

  return cd_scenario_from_string (self->scenario, out_scenario);
}

int
cd_annotation_get_validity_days (CdAnnotation *self)
{
  g_return_val_if_fail (CD_IS_ANNOTATION (self), 0);

  return self->validity_days;
}

CdAnnotationState
cd_annotation_get_state (CdAnnotation *self)
{
  g_return_val_if_fail (CD_IS_ANNOTATION (self), CD_ANNOTATION_STATE_PENDING);

  return self->state;
}

/* The same rule as the service's: expired from the second valid_until is reached. */
CdAnnotationState
cd_annotation_get_state_at (CdAnnotation *self,
                            gint64        now)
{
  g_return_val_if_fail (CD_IS_ANNOTATION (self), CD_ANNOTATION_STATE_PENDING);

  if (self->state == CD_ANNOTATION_STATE_READY && self->valid_until != 0 &&
      now >= self->valid_until)
    return CD_ANNOTATION_STATE_EXPIRED;

  return self->state;
}

guint
cd_annotation_get_seconds_to_lapse (CdAnnotation *self,
                                    gint64        now)
{
  g_return_val_if_fail (CD_IS_ANNOTATION (self), 0);

  if (cd_annotation_get_state_at (self, now) != CD_ANNOTATION_STATE_READY || self->valid_until <= now)
    return 0;

  /* One second late rather than early: a timer on the second may fire just before. */
  return (guint) MIN (self->valid_until - now + 1, G_MAXINT32);
}

gint64
cd_annotation_get_requested_at (CdAnnotation *self)
{
  g_return_val_if_fail (CD_IS_ANNOTATION (self), 0);

  return self->requested_at;
}

gint64
cd_annotation_get_ready_at (CdAnnotation *self)
{
  g_return_val_if_fail (CD_IS_ANNOTATION (self), 0);

  return self->ready_at;
}

gint64
cd_annotation_get_valid_from (CdAnnotation *self)
{
  g_return_val_if_fail (CD_IS_ANNOTATION (self), 0);

  return self->valid_from;
}

gint64
cd_annotation_get_valid_until (CdAnnotation *self)
{
  g_return_val_if_fail (CD_IS_ANNOTATION (self), 0);

  return self->valid_until;
}

const char *
cd_annotation_get_verification_code (CdAnnotation *self)
{
  g_return_val_if_fail (CD_IS_ANNOTATION (self), NULL);

  return self->verification_code;
}
