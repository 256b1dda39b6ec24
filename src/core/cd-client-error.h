#pragma once

#include <gio/gio.h>

#include "cd-json.h"

G_BEGIN_DECLS

/* Everything the client core reports: the service's error codes of docs/api.md, then
 * what goes wrong on the client's side. Messages are sentences a holder can read. */

#define CD_CLIENT_ERROR (cd_client_error_quark ())

typedef enum
{
  CD_CLIENT_ERROR_MALFORMED_JSON,
  CD_CLIENT_ERROR_MISSING_FIELD,
  CD_CLIENT_ERROR_UNKNOWN_FIELD,
  CD_CLIENT_ERROR_INVALID_FIELD,
  CD_CLIENT_ERROR_WEAK_PASSWORD,
  CD_CLIENT_ERROR_UNAUTHORIZED,
  CD_CLIENT_ERROR_INVALID_CREDENTIALS,
  CD_CLIENT_ERROR_NOTICE_NOT_ACCEPTED,
  CD_CLIENT_ERROR_NOT_FOUND,
  CD_CLIENT_ERROR_METHOD_NOT_ALLOWED,
  CD_CLIENT_ERROR_ACCOUNT_EXISTS,
  CD_CLIENT_ERROR_NOTICE_VERSION_MISMATCH,
  CD_CLIENT_ERROR_CERTIFICATE_NOT_VALID,
  CD_CLIENT_ERROR_QUOTA_EXCEEDED,
  CD_CLIENT_ERROR_NOT_READY,
  CD_CLIENT_ERROR_ANNOTATION_EXPIRED,
  CD_CLIENT_ERROR_BODY_TOO_LARGE,
  CD_CLIENT_ERROR_UNSUPPORTED_MEDIA_TYPE,
  CD_CLIENT_ERROR_TOO_MANY_ATTEMPTS,
  CD_CLIENT_ERROR_INTERNAL,
  /* Client side */
  CD_CLIENT_ERROR_NETWORK,           /* the service is unreachable or the connection broke */
  CD_CLIENT_ERROR_TIMEOUT,
  CD_CLIENT_ERROR_TLS,               /* the service's TLS certificate failed verification */
  CD_CLIENT_ERROR_INSECURE_URL,      /* plain http to a host other than loopback */
  CD_CLIENT_ERROR_PROTOCOL,          /* a response that is not as docs/api.md says */
  CD_CLIENT_ERROR_UNEXPECTED_STATUS,
} CdClientError;

GQuark    cd_client_error_quark             (void);

gboolean  cd_client_error_from_code         (const char          *api_code,
                                             CdClientError       *out);
GError   *cd_client_error_new_from_response (guint                http_status,
                                             const char          *content_type,
                                             GBytes              *body);

/* Strict reading of response members, for the models' _new_from_json (): @what is a
 * translated noun phrase such as _("an annotation"); every failure is a
 * CD_CLIENT_ERROR_PROTOCOL naming @what and @member. Strings longer than @max_chars
 * characters, empty strings where @non_empty, integers outside @min..@max and times
 * not after 1970 are refused too. */
void      cd_client_error_set_protocol      (GError             **error,
                                             const char          *what,
                                             const char          *member,
                                             const char          *detail);
gboolean  cd_client_error_read_string       (JsonObject          *object,
                                             const char          *what,
                                             const char          *member,
                                             CdJsonFlags          flags,
                                             gboolean             non_empty,
                                             glong                max_chars,
                                             const char         **out_value,
                                             GError             **error);
gboolean  cd_client_error_read_int          (JsonObject          *object,
                                             const char          *what,
                                             const char          *member,
                                             gint64               min,
                                             gint64               max,
                                             gint64              *out_value,
                                             GError             **error);
gboolean  cd_client_error_read_boolean      (JsonObject          *object,
                                             const char          *what,
                                             const char          *member,
                                             gboolean            *out_value,
                                             GError             **error);
gboolean  cd_client_error_read_time         (JsonObject          *object,
                                             const char          *what,
                                             const char          *member,
                                             CdJsonFlags          flags,
                                             gint64              *out_value,
                                             GError             **error);
gboolean  cd_client_error_read_object       (JsonObject          *object,
                                             const char          *what,
                                             const char          *member,
                                             CdJsonFlags          flags,
                                             JsonObject         **out_value,
                                             GError             **error);
gboolean  cd_client_error_read_array        (JsonObject          *object,
                                             const char          *what,
                                             const char          *member,
                                             JsonArray          **out_value,
                                             GError             **error);

/* The longest string a model takes from the service, in characters. */
#define CD_CLIENT_MAX_STRING_CHARS 1024

G_END_DECLS
