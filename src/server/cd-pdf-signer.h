#pragma once

#include <glib.h>

#include "cd-signing-identity.h"

G_BEGIN_DECLS

/* Appends an incremental update to @pdf that adds an invisible signature field on the
 * first page and an adbe.pkcs7.detached signature (/ByteRange, /Contents) over the
 * whole file. Errors are in CD_SIGNING_ERROR. Thread-safe. */
GBytes *cd_pdf_sign (GBytes             *pdf,
                     CdSigningIdentity  *identity,
                     gint64              signing_time,
                     const char         *reason,
                     GError            **error);

G_END_DECLS
