#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CD_TYPE_HOLDER (cd_holder_get_type ())
G_DECLARE_FINAL_TYPE (CdHolder, cd_holder, CD, HOLDER, GObject)

/* The signed-in holder (docs/api.md, “Holder”); immutable. */
CdHolder   *cd_holder_new_from_json        (JsonObject   *object,
                                            GError      **error);
void        cd_holder_to_json              (CdHolder     *self,
                                            JsonBuilder  *builder);

const char *cd_holder_get_name             (CdHolder     *self);
const char *cd_holder_get_id_type          (CdHolder     *self);
const char *cd_holder_get_id_number_masked (CdHolder     *self);
gboolean    cd_holder_get_notice_accepted  (CdHolder     *self);

G_END_DECLS
