#include "config.h"

#include "cd-quota.h"
#include "cd-client-error.h"

#include <glib/gi18n-lib.h>

/* Far beyond any real quota (3 in 90 days today), but keeps the numbers sane. */
#define MAX_QUOTA_COUNT  10000
#define MAX_WINDOW_DAYS  36500

struct _CdQuota
{
  GObject  parent_instance;

  int      limit;
  int      window_days;
  int      used;
  gint64   next_slot_at;
};

G_DEFINE_FINAL_TYPE (CdQuota, cd_quota, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LIMIT,
  PROP_WINDOW_DAYS,
  PROP_USED,
  PROP_NEXT_SLOT_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cd_quota_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  CdQuota *self = CD_QUOTA (object);

  switch (prop_id)
    {
    case PROP_LIMIT:
      g_value_set_int (value, self->limit);
      break;

    case PROP_WINDOW_DAYS:
      g_value_set_int (value, self->window_days);
      break;

    case PROP_USED:
      g_value_set_int (value, self->used);
      break;

    case PROP_NEXT_SLOT_AT:
      g_value_set_int64 (value, self->next_slot_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_quota_class_init (CdQuotaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = cd_quota_get_property;

  properties[PROP_LIMIT] =
    g_param_spec_int ("limit", NULL, NULL,
                      0, MAX_QUOTA_COUNT, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_WINDOW_DAYS] =
    g_param_spec_int ("window-days", NULL, NULL,
                      0, MAX_WINDOW_DAYS, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_USED] =
    g_param_spec_int ("used", NULL, NULL,
                      0, MAX_QUOTA_COUNT, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_NEXT_SLOT_AT] =
    g_param_spec_int64 ("next-slot-at", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cd_quota_init (CdQuota *self)
{
}

CdQuota *
cd_quota_new_from_json (JsonObject  *object,
                        GError     **error)
{
  const char *what = _("a quota");
  gint64 limit = 0;
  gint64 window_days = 0;
  gint64 used = 0;
  gint64 next_slot_at = 0;
  CdQuota *self;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!cd_client_error_read_int (object, what, "limit", 0, MAX_QUOTA_COUNT, &limit, error) ||
      !cd_client_error_read_int (object, what, "window_days", 0, MAX_WINDOW_DAYS,
                                 &window_days, error) ||
      !cd_client_error_read_int (object, what, "used", 0, MAX_QUOTA_COUNT, &used, error) ||
      !cd_client_error_read_time (object, what, "next_slot_at", CD_JSON_NULLABLE,
                                  &next_slot_at, error))
    return NULL;

  /* next_slot_at is when the oldest counted annotation leaves the window. */
  if ((used == 0) != (next_slot_at == 0))
    {
      cd_client_error_set_protocol (error, what, "next_slot_at",
                                    used == 0 ? _("it is set although nothing is used")
                                              : _("it is null although some is used"));
      return NULL;
    }

  self = g_object_new (CD_TYPE_QUOTA, NULL);
  self->limit = (int) limit;
  self->window_days = (int) window_days;
  self->used = (int) used;
  self->next_slot_at = next_slot_at;

  return self;
}

void
cd_quota_to_json (CdQuota     *self,
                  JsonBuilder *builder)
{
  g_return_if_fail (CD_IS_QUOTA (self));
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "limit");
  json_builder_add_int_value (builder, self->limit);
  json_builder_set_member_name (builder, "window_days");
  json_builder_add_int_value (builder, self->window_days);
  json_builder_set_member_name (builder, "used");
  json_builder_add_int_value (builder, self->used);
  cd_json_builder_add_time (builder, "next_slot_at", self->next_slot_at);
  json_builder_end_object (builder);
}

int
cd_quota_get_limit (CdQuota *self)
{
  g_return_val_if_fail (CD_IS_QUOTA (self), 0);

  return self->limit;
}

int
cd_quota_get_window_days (CdQuota *self)
{
  g_return_val_if_fail (CD_IS_QUOTA (self), 0);

  return self->window_days;
}

int
cd_quota_get_used (CdQuota *self)
{
  g_return_val_if_fail (CD_IS_QUOTA (self), 0);

  return self->used;
}

gint64
cd_quota_get_next_slot_at (CdQuota *self)
{
  g_return_val_if_fail (CD_IS_QUOTA (self), 0);

  return self->next_slot_at;
}

/* The service allows a new application while used < limit. */
gboolean
cd_quota_has_free_slot (CdQuota *self)
{
  g_return_val_if_fail (CD_IS_QUOTA (self), FALSE);

  return self->used < self->limit;
}
