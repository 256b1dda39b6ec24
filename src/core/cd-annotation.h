#pragma once

#include <json-glib/json-glib.h>

#include "cd-api-enums.h"
#include "cd-quota.h"

G_BEGIN_DECLS

#define CD_TYPE_ANNOTATION_STATE (cd_annotation_state_get_type ())
GType cd_annotation_state_get_type (void);

#define CD_TYPE_ANNOTATION (cd_annotation_get_type ())
G_DECLARE_FINAL_TYPE (CdAnnotation, cd_annotation, CD, ANNOTATION, GObject)

/* An annotation (加注) of a certificate (docs/api.md, “Annotation”). Times are Unix
 * seconds, 0 when not set. */
CdAnnotation      *cd_annotation_new_from_json          (JsonObject    *object,
                                                         GError       **error);
void               cd_annotation_to_json                (CdAnnotation  *self,
                                                         JsonBuilder   *builder);
/* Reads {"annotations": [...], "quota": {...}}: (element-type CdAnnotation). */
GPtrArray         *cd_annotation_list_new_from_json     (JsonObject    *root,
                                                         CdQuota      **out_quota,
                                                         GError       **error);
/* Takes the fields of a newer fetch of the same annotation, notifying what changed. */
void               cd_annotation_update_from            (CdAnnotation  *self,
                                                         CdAnnotation  *newer);

const char        *cd_annotation_get_id                 (CdAnnotation  *self);
const char        *cd_annotation_get_annotation_no      (CdAnnotation  *self);
const char        *cd_annotation_get_certificate_id     (CdAnnotation  *self);
/* The wire string, which may be newer than CdScenario. */
const char        *cd_annotation_get_scenario           (CdAnnotation  *self);
gboolean           cd_annotation_get_known_scenario     (CdAnnotation  *self,
                                                         CdScenario    *out_scenario);
int                cd_annotation_get_validity_days      (CdAnnotation  *self);
/* The state when the service answered. */
CdAnnotationState  cd_annotation_get_state              (CdAnnotation  *self);
/* The state at @now (Unix seconds): ready turns expired at valid_until. */
CdAnnotationState  cd_annotation_get_state_at           (CdAnnotation  *self,
                                                         gint64         now);
/* Whole seconds from @now until a ready annotation has lapsed (at least 1), for a
 * timer that updates what is shown; 0 when it is not ready at @now. */
guint              cd_annotation_get_seconds_to_lapse   (CdAnnotation  *self,
                                                         gint64         now);
gint64             cd_annotation_get_requested_at       (CdAnnotation  *self);
gint64             cd_annotation_get_ready_at           (CdAnnotation  *self);
gint64             cd_annotation_get_valid_from         (CdAnnotation  *self);
gint64             cd_annotation_get_valid_until        (CdAnnotation  *self);
const char        *cd_annotation_get_verification_code  (CdAnnotation  *self);

G_END_DECLS
