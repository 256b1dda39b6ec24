#pragma once

#include <handy.h>

#include "cd-client.h"
#include "cd-keyring.h"

G_BEGIN_DECLS

/* What to keep of a sign-in: the password in the login keyring (and a session token), the
 * password until the desktop session ends, or nothing at all (the demo). */
typedef enum
{
  CD_WINDOW_CREDENTIALS_REMEMBER,
  CD_WINDOW_CREDENTIALS_SESSION_ONLY,
  CD_WINDOW_CREDENTIALS_NONE,
} CdWindowCredentials;

#define CD_TYPE_WINDOW (cd_window_get_type ())
G_DECLARE_FINAL_TYPE (CdWindow, cd_window, CD, WINDOW, HdyApplicationWindow)

/* The main window: sign-in, the service notice and the certificate list, with errors in a
 * banner. Pages of its stack: "sign-in", "loading", "notice", "certificates",
 * "annotations" (one certificate, opened from the list), "library" (the downloaded
 * certificates; also where the app opens when the service is unreachable) and
 * "document" (a preview with its signature). */
CdWindow   *cd_window_new              (GtkApplication      *application);
CdClient   *cd_window_get_client       (CdWindow            *self);
void        cd_window_set_client       (CdWindow            *self,
                                        CdClient            *client);
CdKeyring  *cd_window_get_keyring      (CdWindow            *self);
void        cd_window_set_keyring      (CdWindow            *self,
                                        CdKeyring           *keyring);
/* Signs in with the account the keyring remembers for this service, or shows the
 * sign-in page when there is none. */
void        cd_window_restore_session  (CdWindow            *self);
void        cd_window_sign_in          (CdWindow            *self,
                                        const char          *id_number,
                                        const char          *password,
                                        CdWindowCredentials  credentials);
/* A spinner and @message while the app prepares (the demo service starting). */
void        cd_window_show_progress    (CdWindow            *self,
                                        const char          *message);
/* Previews a PDF from disk and verifies its signature against the signer pinned for
 * the service (never pinning a new one); "Back" returns to where the holder was. */
void        cd_window_open_file        (CdWindow            *self,
                                        GFile               *file);
/* An error banner; the sign-in page when nothing else can be shown. */
void        cd_window_show_error       (CdWindow            *self,
                                        const char          *message);

G_END_DECLS
