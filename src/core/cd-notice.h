#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CD_TYPE_NOTICE (cd_notice_get_type ())
G_DECLARE_FINAL_TYPE (CdNotice, cd_notice, CD, NOTICE, GObject)

/* The service notice (服务须知) and whether the holder accepted this version; immutable. */
CdNotice   *cd_notice_new_from_json (JsonObject   *object,
                                     GError      **error);
void        cd_notice_to_json       (CdNotice     *self,
                                     JsonBuilder  *builder);

const char *cd_notice_get_version   (CdNotice     *self);
const char *cd_notice_get_title     (CdNotice     *self);
const char *cd_notice_get_body      (CdNotice     *self);
gboolean    cd_notice_get_accepted  (CdNotice     *self);

G_END_DECLS
