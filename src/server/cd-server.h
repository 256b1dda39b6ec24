#pragma once

#include <gio/gio.h>

#include "cd-generator.h"
#include "cd-service-notice.h"
#include "cd-signing-identity.h"
#include "cd-store.h"

G_BEGIN_DECLS

#define CD_TYPE_SERVER (cd_server_get_type ())
G_DECLARE_FINAL_TYPE (CdServer, cd_server, CD, SERVER, GObject)

typedef struct
{
  gint64 day_seconds;     /* the length of one service-clock day */
  gint64 session_seconds; /* the lifetime of a sign-in token */
} CdServerConfig;

/* The HTTP API of docs/api.md. It serves from several threads, each with its own
 * SoupServer and main context on a SO_REUSEPORT socket, so requests use every core.
 * @notice is the one service notice it publishes until it stops. */
CdServer *cd_server_new      (CdStore               *store,
                              CdSigningIdentity     *identity,
                              CdServiceNotice       *notice,
                              const CdServerConfig  *config);
gboolean  cd_server_bind     (CdServer              *self,
                              const char            *address,
                              guint                  n_threads,
                              GError               **error);
guint16   cd_server_get_port (CdServer              *self);
void      cd_server_start    (CdServer              *self,
                              CdGenerator           *generator);
void      cd_server_stop     (CdServer              *self);

G_END_DECLS
