#include "config.h"

#include "cd-notice.h"
#include "cd-client-error.h"

#include <glib/gi18n-lib.h>

/* The body is several paragraphs, so it gets more room than other strings. */
#define MAX_BODY_CHARS (64 * 1024)

struct _CdNotice
{
  GObject   parent_instance;

  char     *version;
  char     *title;
  char     *body;
  gboolean  accepted;
};

G_DEFINE_FINAL_TYPE (CdNotice, cd_notice, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_VERSION,
  PROP_TITLE,
  PROP_BODY,
  PROP_ACCEPTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cd_notice_finalize (GObject *object)
{
  CdNotice *self = CD_NOTICE (object);

  g_free (self->version);
  g_free (self->title);
  g_free (self->body);

  G_OBJECT_CLASS (cd_notice_parent_class)->finalize (object);
}

static void
cd_notice_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CdNotice *self = CD_NOTICE (object);

  switch (prop_id)
    {
    case PROP_VERSION:
      g_value_set_string (value, self->version);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_BODY:
      g_value_set_string (value, self->body);
      break;

    case PROP_ACCEPTED:
      g_value_set_boolean (value, self->accepted);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_notice_class_init (CdNoticeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cd_notice_finalize;
  object_class->get_property = cd_notice_get_property;

  properties[PROP_VERSION] =
    g_param_spec_string ("version", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_BODY] =
    g_param_spec_string ("body", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_ACCEPTED] =
    g_param_spec_boolean ("accepted", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cd_notice_init (CdNotice *self)
{
}

CdNotice *
cd_notice_new_from_json (JsonObject  *object,
                         GError     **error)
{
  const char *what = _("a service notice");
  const char *version = NULL;
  const char *title = NULL;
  const char *body = NULL;
  gboolean accepted = FALSE;
  CdNotice *self;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The version is what POST /notice/accept sends back, so it must be there. */
  if (!cd_client_error_read_string (object, what, "version", CD_JSON_REQUIRED, TRUE,
                                    CD_CLIENT_MAX_STRING_CHARS, &version, error) ||
      !cd_client_error_read_string (object, what, "title", CD_JSON_REQUIRED, FALSE,
                                    CD_CLIENT_MAX_STRING_CHARS, &title, error) ||
      !cd_client_error_read_string (object, what, "body", CD_JSON_REQUIRED, FALSE,
                                    MAX_BODY_CHARS, &body, error) ||
      !cd_client_error_read_boolean (object, what, "accepted", &accepted, error))
    return NULL;

  self = g_object_new (CD_TYPE_NOTICE, NULL);
  self->version = g_strdup (version);
  self->title = g_strdup (title);
  self->body = g_strdup (body);
  self->accepted = accepted;

  return self;
}

void
cd_notice_to_json (CdNotice    *self,
                   JsonBuilder *builder)
{
  g_return_if_fail (CD_IS_NOTICE (self));
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, self->version);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, self->title);
  json_builder_set_member_name (builder, "body");
  json_builder_add_string_value (builder, self->body);
  json_builder_set_member_name (builder, "accepted");
  json_builder_add_boolean_value (builder, self->accepted);
  json_builder_end_object (builder);
}

const char *
cd_notice_get_version (CdNotice *self)
{
  g_return_val_if_fail (CD_IS_NOTICE (self), NULL);

  return self->version;
}

const char *
cd_notice_get_title (CdNotice *self)
{
  g_return_val_if_fail (CD_IS_NOTICE (self), NULL);

  return self->title;
}

const char *
cd_notice_get_body (CdNotice *self)
{
  g_return_val_if_fail (CD_IS_NOTICE (self), NULL);

  return self->body;
}

gboolean
cd_notice_get_accepted (CdNotice *self)
{
  g_return_val_if_fail (CD_IS_NOTICE (self), FALSE);

  return self->accepted;
}
