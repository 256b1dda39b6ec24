#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CD_TYPE_QUOTA (cd_quota_get_type ())
G_DECLARE_FINAL_TYPE (CdQuota, cd_quota, CD, QUOTA, GObject)

/* A certificate's annotation quota (docs/api.md, “Quota”); immutable. */
CdQuota  *cd_quota_new_from_json     (JsonObject   *object,
                                      GError      **error);
void      cd_quota_to_json           (CdQuota      *self,
                                      JsonBuilder  *builder);

int       cd_quota_get_limit         (CdQuota      *self);
int       cd_quota_get_window_days   (CdQuota      *self);
int       cd_quota_get_used          (CdQuota      *self);
/* Unix seconds, or 0 when nothing is counted (used is 0). */
gint64    cd_quota_get_next_slot_at  (CdQuota      *self);
gboolean  cd_quota_has_free_slot     (CdQuota      *self);

G_END_DECLS
