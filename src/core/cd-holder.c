#include "config.h"

#include "cd-holder.h"
#include "cd-client-error.h"

#include <glib/gi18n-lib.h>

struct _CdHolder
{
  GObject   parent_instance;

  char     *name;
  char     *id_type;
  char     *id_number_masked;
  gboolean  notice_accepted;
};

G_DEFINE_FINAL_TYPE (CdHolder, cd_holder, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_ID_TYPE,
  PROP_ID_NUMBER_MASKED,
  PROP_NOTICE_ACCEPTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cd_holder_finalize (GObject *object)
{
  CdHolder *self = CD_HOLDER (object);

  g_free (self->name);
  g_free (self->id_type);
  g_free (self->id_number_masked);

  G_OBJECT_CLASS (cd_holder_parent_class)->finalize (object);
}

static void
cd_holder_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CdHolder *self = CD_HOLDER (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_ID_TYPE:
      g_value_set_string (value, self->id_type);
      break;

    case PROP_ID_NUMBER_MASKED:
      g_value_set_string (value, self->id_number_masked);
      break;

    case PROP_NOTICE_ACCEPTED:
      g_value_set_boolean (value, self->notice_accepted);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_holder_class_init (CdHolderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cd_holder_finalize;
  object_class->get_property = cd_holder_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /* A string, not CdIdType: the API may add kinds of ID document. */
  properties[PROP_ID_TYPE] =
    g_param_spec_string ("id-type", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_ID_NUMBER_MASKED] =
    g_param_spec_string ("id-number-masked", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_NOTICE_ACCEPTED] =
    g_param_spec_boolean ("notice-accepted", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cd_holder_init (CdHolder *self)
{
}

CdHolder *
cd_holder_new_from_json (JsonObject  *object,
                         GError     **error)
{
  const char *what = _("a holder");
  const char *name = NULL;
  const char *id_type = NULL;
  const char *id_number_masked = NULL;
  gboolean notice_accepted = FALSE;
  CdHolder *self;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!cd_client_error_read_string (object, what, "name", CD_JSON_REQUIRED, TRUE,
                                    CD_CLIENT_MAX_STRING_CHARS, &name, error) ||
      !cd_client_error_read_string (object, what, "id_type", CD_JSON_REQUIRED, TRUE,
                                    CD_CLIENT_MAX_STRING_CHARS, &id_type, error) ||
      !cd_client_error_read_string (object, what, "id_number_masked", CD_JSON_REQUIRED, TRUE,
                                    CD_CLIENT_MAX_STRING_CHARS, &id_number_masked, error) ||
      !cd_client_error_read_boolean (object, what, "notice_accepted", &notice_accepted, error))
    return NULL;

  self = g_object_new (CD_TYPE_HOLDER, NULL);
  self->name = g_strdup (name);
  self->id_type = g_strdup (id_type);
  self->id_number_masked = g_strdup (id_number_masked);
  self->notice_accepted = notice_accepted;

  return self;
}

void
cd_holder_to_json (CdHolder    *self,
                   JsonBuilder *builder)
{
  g_return_if_fail (CD_IS_HOLDER (self));
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  json_builder_set_member_name (builder, "id_type");
  json_builder_add_string_value (builder, self->id_type);
  json_builder_set_member_name (builder, "id_number_masked");
  json_builder_add_string_value (builder, self->id_number_masked);
  json_builder_set_member_name (builder, "notice_accepted");
  json_builder_add_boolean_value (builder, self->notice_accepted);
  json_builder_end_object (builder);
}

const char *
cd_holder_get_name (CdHolder *self)
{
  g_return_val_if_fail (CD_IS_HOLDER (self), NULL);

  return self->name;
}

const char *
cd_holder_get_id_type (CdHolder *self)
{
  g_return_val_if_fail (CD_IS_HOLDER (self), NULL);

  return self->id_type;
}

const char *
cd_holder_get_id_number_masked (CdHolder *self)
{
  g_return_val_if_fail (CD_IS_HOLDER (self), NULL);

  return self->id_number_masked;
}

gboolean
cd_holder_get_notice_accepted (CdHolder *self)
{
  g_return_val_if_fail (CD_IS_HOLDER (self), FALSE);

  return self->notice_accepted;
}
