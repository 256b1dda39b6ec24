#include "config.h"

#include "cd-secrets.h"

#include <argon2.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <string.h>

/* OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. */
#define ARGON2_T_COST      2
#define ARGON2_M_COST_KIB  19456
#define ARGON2_PARALLELISM 1
#define ARGON2_SALT_LEN    16
#define ARGON2_HASH_LEN    32

#define TOKEN_BYTES 32

/* No 0/O, 1/I/L: the code is read off paper and typed in. */
static const char verification_alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
#define VERIFICATION_CODE_LENGTH 12

static void
fill_random (guint8 *buffer,
             gsize   length)
{
  /* GnuTLS only fails here when the system has no entropy source at all. */
  if (gnutls_rnd (GNUTLS_RND_KEY, buffer, length) != 0)
    g_error ("No cryptographic random source available");
}

char *
cd_secrets_hash_password (const char  *password,
                          GError     **error)
{
  guint8 salt[ARGON2_SALT_LEN];
  gsize encoded_len;
  g_autofree char *encoded = NULL;
  int rc;

  g_return_val_if_fail (password != NULL, NULL);

  fill_random (salt, sizeof salt);
  encoded_len = argon2_encodedlen (ARGON2_T_COST, ARGON2_M_COST_KIB, ARGON2_PARALLELISM,
                                   ARGON2_SALT_LEN, ARGON2_HASH_LEN, Argon2_id);
  encoded = g_malloc (encoded_len);

  rc = argon2id_hash_encoded (ARGON2_T_COST, ARGON2_M_COST_KIB, ARGON2_PARALLELISM,
                              password, strlen (password), salt, sizeof salt,
                              ARGON2_HASH_LEN, encoded, encoded_len);
  if (rc != ARGON2_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Could not hash the password: %s", argon2_error_message (rc));
      return NULL;
    }

  return g_steal_pointer (&encoded);
}

gboolean
cd_secrets_verify_password (const char *password,
                            const char *encoded_hash)
{
  g_return_val_if_fail (password != NULL, FALSE);
  g_return_val_if_fail (encoded_hash != NULL, FALSE);

  return argon2id_verify (encoded_hash, password, strlen (password)) == ARGON2_OK;
}

/* 256 random bits as unpadded base64url (43 characters). */
char *
cd_secrets_new_token (void)
{
  guint8 bytes[TOKEN_BYTES];
  g_autofree char *base64 = NULL;

  fill_random (bytes, sizeof bytes);
  base64 = g_base64_encode (bytes, sizeof bytes);
  g_strdelimit (base64, "+", '-');
  g_strdelimit (base64, "/", '_');
  *strchr (base64, '=') = '\0';

  return g_steal_pointer (&base64);
}

char *
cd_secrets_hash_token (const char *token)
{
  g_return_val_if_fail (token != NULL, NULL);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

char *
cd_secrets_new_verification_code (void)
{
  guint8 bytes[VERIFICATION_CODE_LENGTH];
  char *code = g_malloc (VERIFICATION_CODE_LENGTH + 1);
  const gsize alphabet_len = sizeof verification_alphabet - 1;

  fill_random (bytes, sizeof bytes);
  /* 256 % 31 leaves a bias of under 1 %: irrelevant for a lookup key that is
   * also bound to the certificate number. */
  for (gsize i = 0; i < VERIFICATION_CODE_LENGTH; i++)
    code[i] = verification_alphabet[bytes[i] % alphabet_len];
  code[VERIFICATION_CODE_LENGTH] = '\0';

  return code;
}
