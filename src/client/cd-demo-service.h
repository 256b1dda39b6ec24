#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The holder that `certdesk-server --demo` seeds. */
#define CD_DEMO_SERVICE_ID_NUMBER "110105199003071239"
#define CD_DEMO_SERVICE_PASSWORD  "demo-holder-2026"

#define CD_DEMO_SERVICE_ERROR (cd_demo_service_error_quark ())

typedef enum
{
  CD_DEMO_SERVICE_ERROR_NOT_FOUND, /* no certdesk-server binary */
  CD_DEMO_SERVICE_ERROR_FAILED,    /* it did not start, or stopped before it listened */
} CdDemoServiceError;

#define CD_TYPE_DEMO_SERVICE (cd_demo_service_get_type ())
G_DECLARE_FINAL_TYPE (CdDemoService, cd_demo_service, CD, DEMO_SERVICE, GObject)

GQuark         cd_demo_service_error_quark  (void);

CdDemoService *cd_demo_service_new          (void);
/* Starts `certdesk-server --demo` on a free loopback port with a scratch data directory. */
void           cd_demo_service_start_async  (CdDemoService        *self,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean       cd_demo_service_start_finish (CdDemoService        *self,
                                             GAsyncResult         *result,
                                             GError              **error);
/* "http://127.0.0.1:PORT" once started, else NULL. */
const char    *cd_demo_service_get_base_url (CdDemoService        *self);
/* Stops the service (SIGTERM, then SIGKILL after a few seconds), waits for it and removes
 * its data directory. Also done when the object is disposed. */
void           cd_demo_service_stop         (CdDemoService        *self);

G_END_DECLS
