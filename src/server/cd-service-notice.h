#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CD_SERVICE_NOTICE_ERROR (cd_service_notice_error_quark ())

typedef enum
{
  CD_SERVICE_NOTICE_ERROR_READ,    /* the notice file cannot be read */
  CD_SERVICE_NOTICE_ERROR_INVALID, /* it is not a valid notice file */
} CdServiceNoticeError;

GQuark cd_service_notice_error_quark (void);

/* The longest version, in characters; versions use only A–Z, a–z, 0–9, ".", "_" and "-". */
#define CD_SERVICE_NOTICE_MAX_VERSION_CHARS 64

#define CD_TYPE_SERVICE_NOTICE (cd_service_notice_get_type ())

/* The service notice (服务须知) holders must accept before they reach their certificates.
 * Immutable and reference counted, so the listener threads read it without a lock; a new
 * version is published by restarting the service. */
typedef struct _CdServiceNotice CdServiceNotice;

GType            cd_service_notice_get_type      (void) G_GNUC_CONST;

CdServiceNotice *cd_service_notice_new_default   (void);
CdServiceNotice *cd_service_notice_new_from_file (const char             *path,
                                                  GError                **error);
CdServiceNotice *cd_service_notice_ref           (CdServiceNotice        *self);
void             cd_service_notice_unref         (CdServiceNotice        *self);

const char      *cd_service_notice_get_version   (const CdServiceNotice  *self);
const char      *cd_service_notice_get_title     (const CdServiceNotice  *self);
const char      *cd_service_notice_get_body      (const CdServiceNotice  *self);
/* Whether @version (one a holder accepted, or NULL) is this notice's version. */
gboolean         cd_service_notice_has_version   (const CdServiceNotice  *self,
                                                  const char             *version);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdServiceNotice, cd_service_notice_unref)

G_END_DECLS
