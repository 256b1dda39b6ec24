#include "config.h"

#include "cd-server-error.h"

#include <libsoup/soup.h>

G_DEFINE_QUARK (cd-server-error-quark, cd_server_error)

static const struct
{
  const char *code;
  guint       status;
} api_errors[] = {
  [CD_SERVER_ERROR_MALFORMED_JSON] = { "malformed_json", SOUP_STATUS_BAD_REQUEST },
  [CD_SERVER_ERROR_MISSING_FIELD] = { "missing_field", SOUP_STATUS_BAD_REQUEST },
  [CD_SERVER_ERROR_UNKNOWN_FIELD] = { "unknown_field", SOUP_STATUS_BAD_REQUEST },
  [CD_SERVER_ERROR_INVALID_FIELD] = { "invalid_field", SOUP_STATUS_BAD_REQUEST },
  [CD_SERVER_ERROR_WEAK_PASSWORD] = { "weak_password", SOUP_STATUS_BAD_REQUEST },
  [CD_SERVER_ERROR_UNAUTHORIZED] = { "unauthorized", SOUP_STATUS_UNAUTHORIZED },
  [CD_SERVER_ERROR_INVALID_CREDENTIALS] = { "invalid_credentials", SOUP_STATUS_UNAUTHORIZED },
  [CD_SERVER_ERROR_NOTICE_NOT_ACCEPTED] = { "notice_not_accepted", SOUP_STATUS_FORBIDDEN },
  [CD_SERVER_ERROR_NOT_FOUND] = { "not_found", SOUP_STATUS_NOT_FOUND },
  [CD_SERVER_ERROR_METHOD_NOT_ALLOWED] = { "method_not_allowed", SOUP_STATUS_METHOD_NOT_ALLOWED },
  [CD_SERVER_ERROR_ACCOUNT_EXISTS] = { "account_exists", SOUP_STATUS_CONFLICT },
  [CD_SERVER_ERROR_NOTICE_VERSION_MISMATCH] = { "notice_version_mismatch", SOUP_STATUS_CONFLICT },
  [CD_SERVER_ERROR_CERTIFICATE_NOT_VALID] = { "certificate_not_valid", SOUP_STATUS_CONFLICT },
  [CD_SERVER_ERROR_QUOTA_EXCEEDED] = { "quota_exceeded", SOUP_STATUS_CONFLICT },
  [CD_SERVER_ERROR_NOT_READY] = { "not_ready", SOUP_STATUS_CONFLICT },
  [CD_SERVER_ERROR_ANNOTATION_EXPIRED] = { "annotation_expired", SOUP_STATUS_GONE },
  [CD_SERVER_ERROR_BODY_TOO_LARGE] = { "body_too_large", SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE },
  [CD_SERVER_ERROR_UNSUPPORTED_MEDIA_TYPE] = { "unsupported_media_type", SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE },
  [CD_SERVER_ERROR_TOO_MANY_ATTEMPTS] = { "too_many_attempts", 429 },
  [CD_SERVER_ERROR_INTERNAL] = { "internal_error", SOUP_STATUS_INTERNAL_SERVER_ERROR },
};

const char *
cd_server_error_get_code (CdServerError error)
{
  g_return_val_if_fail (error < G_N_ELEMENTS (api_errors), NULL);
  return api_errors[error].code;
}

guint
cd_server_error_get_status (CdServerError error)
{
  g_return_val_if_fail (error < G_N_ELEMENTS (api_errors), SOUP_STATUS_INTERNAL_SERVER_ERROR);
  return api_errors[error].status;
}
