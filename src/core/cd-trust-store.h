#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CD_TRUST_STORE_ERROR (cd_trust_store_error_quark ())

typedef enum
{
  CD_TRUST_STORE_ERROR_FAILED,      /* the file cannot be read or written */
  CD_TRUST_STORE_ERROR_CORRUPT,     /* the file exists but is not a pin file */
  CD_TRUST_STORE_ERROR_INVALID_URL,
} CdTrustStoreError;

typedef enum
{
  CD_TRUST_FAILED,      /* see the GError */
  CD_TRUST_PINNED_NOW,  /* first signer seen for the service: trusted from now on */
  CD_TRUST_MATCHES,
  CD_TRUST_MISMATCH,    /* another signer than the one pinned for the service */
} CdTrustDecision;

GQuark cd_trust_store_error_quark (void);

#define CD_TYPE_TRUST_STORE (cd_trust_store_get_type ())
G_DECLARE_FINAL_TYPE (CdTrustStore, cd_trust_store, CD, TRUST_STORE, GObject)

/* Trust on first use: the signing certificate (SHA-256 of its DER, lower-case hex)
 * seen first for a service is pinned in the key file at @path, and later signers of
 * that service must match it. Service URLs are compared by scheme, host, port and
 * path. The file is read again on every call, so a pin written by another process
 * (the CLI, the app) counts at once. Thread-safe. */
CdTrustStore    *cd_trust_store_new           (const char    *path);
/* The same pins, but never a new one: for a document that did not come from the
 * service (a PDF the holder opens), whose signer must be trusted already; with no pin
 * for the service the answer is CD_TRUST_MISMATCH. */
CdTrustStore    *cd_trust_store_new_read_only (const char    *path);
const char      *cd_trust_store_get_path      (CdTrustStore  *self);
CdTrustDecision  cd_trust_store_check_or_pin  (CdTrustStore  *self,
                                               const char    *service_url,
                                               const char    *fingerprint,
                                               GError       **error);
/* The pinned fingerprint, or %NULL with no error when none is pinned. */
char            *cd_trust_store_get_pin       (CdTrustStore  *self,
                                               const char    *service_url,
                                               GError       **error);
/* Drops the pin, so that the next signer seen is pinned: for a deliberate
 * change of the service's key. Forgetting an unpinned service succeeds. */
gboolean         cd_trust_store_forget        (CdTrustStore  *self,
                                               const char    *service_url,
                                               GError       **error);

G_END_DECLS
