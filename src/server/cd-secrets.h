#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Passwords, session tokens and verification codes: everything that needs a
 * cryptographic random source or a password hash. */

char     *cd_secrets_hash_password         (const char  *password,
                                            GError     **error);
gboolean  cd_secrets_verify_password       (const char  *password,
                                            const char  *encoded_hash);
char     *cd_secrets_new_token             (void);
char     *cd_secrets_hash_token            (const char  *token);
char     *cd_secrets_new_verification_code (void);

G_END_DECLS
