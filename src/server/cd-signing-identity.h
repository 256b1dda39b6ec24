#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CD_SIGNING_ERROR (cd_signing_error_quark ())

typedef enum
{
  CD_SIGNING_ERROR_FAILED,
  CD_SIGNING_ERROR_INVALID_PDF,
} CdSigningError;

GQuark cd_signing_error_quark (void);

#define CD_TYPE_SIGNING_IDENTITY (cd_signing_identity_get_type ())
G_DECLARE_FINAL_TYPE (CdSigningIdentity, cd_signing_identity, CD, SIGNING_IDENTITY, GObject)

/* The service's signing key and self-signed certificate, created on first start in
 * @directory (signing-key.pem, mode 0600, and signing-cert.pem) and loaded after. */
CdSigningIdentity *cd_signing_identity_load_or_create   (const char         *directory,
                                                         GError            **error);
/* A DER PKCS#7 (CMS) detached SHA-256 signature over @data, with the signing
 * certificate and the signing time. Thread-safe. */
GBytes            *cd_signing_identity_sign_detached    (CdSigningIdentity  *self,
                                                         const guint8       *data,
                                                         gsize               length,
                                                         GError            **error);
const char        *cd_signing_identity_get_subject      (CdSigningIdentity  *self);
/* Lower-case hex SHA-256 of the certificate's DER. */
const char        *cd_signing_identity_get_fingerprint  (CdSigningIdentity  *self);
GBytes            *cd_signing_identity_get_certificate_pem (CdSigningIdentity *self);

G_END_DECLS
