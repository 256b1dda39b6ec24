#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Strict JSON reading shared by the service (request bodies) and the clients
 * (responses): every member is type-checked and every error names the member. */

#define CD_JSON_ERROR (cd_json_error_quark ())

typedef enum
{
  CD_JSON_ERROR_MALFORMED,
  CD_JSON_ERROR_NOT_OBJECT,
  CD_JSON_ERROR_MISSING_MEMBER,
  CD_JSON_ERROR_WRONG_TYPE,
  CD_JSON_ERROR_UNKNOWN_MEMBER,
  CD_JSON_ERROR_INVALID_VALUE,
} CdJsonError;

typedef enum
{
  CD_JSON_REQUIRED = 0,
  CD_JSON_OPTIONAL = 1 << 0, /* may be absent: the out value is left untouched */
  CD_JSON_NULLABLE = 1 << 1, /* may be null: the out value becomes NULL / untouched */
} CdJsonFlags;

GQuark       cd_json_error_quark     (void);

JsonObject  *cd_json_parse_object    (const char           *data,
                                      gsize                 length,
                                      GError              **error);
const char  *cd_json_find_unknown_member (JsonObject       *object,
                                          const char * const *allowed);
gboolean     cd_json_check_members   (JsonObject           *object,
                                      const char * const   *allowed,
                                      GError              **error);
gboolean     cd_json_read_string     (JsonObject           *object,
                                      const char           *member,
                                      CdJsonFlags           flags,
                                      const char          **out_value,
                                      GError              **error);
gboolean     cd_json_read_int        (JsonObject           *object,
                                      const char           *member,
                                      CdJsonFlags           flags,
                                      gint64               *out_value,
                                      GError              **error);
gboolean     cd_json_read_boolean    (JsonObject           *object,
                                      const char           *member,
                                      CdJsonFlags           flags,
                                      gboolean             *out_value,
                                      GError              **error);
gboolean     cd_json_read_object     (JsonObject           *object,
                                      const char           *member,
                                      CdJsonFlags           flags,
                                      JsonObject          **out_value,
                                      GError              **error);
gboolean     cd_json_read_array      (JsonObject           *object,
                                      const char           *member,
                                      CdJsonFlags           flags,
                                      JsonArray           **out_value,
                                      GError              **error);
gboolean     cd_json_read_time       (JsonObject           *object,
                                      const char           *member,
                                      CdJsonFlags           flags,
                                      gint64               *out_unix_seconds,
                                      GError              **error);

GBytes      *cd_json_builder_to_bytes (JsonBuilder         *builder);
void         cd_json_builder_add_string (JsonBuilder       *builder,
                                         const char        *member,
                                         const char        *value);
void         cd_json_builder_add_int  (JsonBuilder         *builder,
                                       const char          *member,
                                       gint64               value);
void         cd_json_builder_add_time (JsonBuilder         *builder,
                                       const char          *member,
                                       gint64               unix_seconds);

G_END_DECLS
