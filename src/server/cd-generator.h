#pragma once

#include <glib-object.h>

#include "cd-signing-identity.h"
#include "cd-store.h"

G_BEGIN_DECLS

#define CD_TYPE_GENERATOR (cd_generator_get_type ())
G_DECLARE_FINAL_TYPE (CdGenerator, cd_generator, CD, GENERATOR, GObject)

/* Generates annotated documents off the request path: each pending annotation is
 * drawn, signed and stored by a pool of worker threads once its simulated processing
 * time has passed. The store is the queue, so a restarted service resumes it. */
CdGenerator *cd_generator_new            (CdStore             *store,
                                          CdSigningIdentity   *identity,
                                          const char          *public_url,
                                          gint64               processing_seconds,
                                          gint64               day_seconds,
                                          guint                n_workers);
gboolean     cd_generator_resume_pending (CdGenerator         *self,
                                          GError             **error);
void         cd_generator_enqueue        (CdGenerator         *self,
                                          const CdAnnotationRecord *annotation);
/* Stops scheduling and waits for the documents being generated; queued ones stay
 * pending in the store. */
void         cd_generator_shutdown       (CdGenerator         *self);
GBytes      *cd_generator_generate       (CdGenerator         *self,
                                          CdCertificateRecord *certificate,
                                          gint64               ready_at,
                                          GError             **error);

G_END_DECLS
