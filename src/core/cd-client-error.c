#include "config.h"

#include "cd-client-error.h"
#include "cd-api-enums.h"
#include "cd-time.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

G_DEFINE_QUARK (cd-client-error-quark, cd_client_error)

/* docs/api.md's error table: each code with the one HTTP status it comes with. */
static const struct
{
  const char *code;
  guint       status;
} api_errors[] = {
  [CD_CLIENT_ERROR_MALFORMED_JSON] = { "malformed_json", SOUP_STATUS_BAD_REQUEST },
  [CD_CLIENT_ERROR_MISSING_FIELD] = { "missing_field", SOUP_STATUS_BAD_REQUEST },
  [CD_CLIENT_ERROR_UNKNOWN_FIELD] = { "unknown_field", SOUP_STATUS_BAD_REQUEST },
  [CD_CLIENT_ERROR_INVALID_FIELD] = { "invalid_field", SOUP_STATUS_BAD_REQUEST },
  [CD_CLIENT_ERROR_WEAK_PASSWORD] = { "weak_password", SOUP_STATUS_BAD_REQUEST },
  [CD_CLIENT_ERROR_UNAUTHORIZED] = { "unauthorized", SOUP_STATUS_UNAUTHORIZED },
  [CD_CLIENT_ERROR_INVALID_CREDENTIALS] = { "invalid_credentials", SOUP_STATUS_UNAUTHORIZED },
  [CD_CLIENT_ERROR_NOTICE_NOT_ACCEPTED] = { "notice_not_accepted", SOUP_STATUS_FORBIDDEN },
  [CD_CLIENT_ERROR_NOT_FOUND] = { "not_found", SOUP_STATUS_NOT_FOUND },
  [CD_CLIENT_ERROR_METHOD_NOT_ALLOWED] = { "method_not_allowed", SOUP_STATUS_METHOD_NOT_ALLOWED },
  [CD_CLIENT_ERROR_ACCOUNT_EXISTS] = { "account_exists", SOUP_STATUS_CONFLICT },
  [CD_CLIENT_ERROR_NOTICE_VERSION_MISMATCH] = { "notice_version_mismatch", SOUP_STATUS_CONFLICT },
  [CD_CLIENT_ERROR_CERTIFICATE_NOT_VALID] = { "certificate_not_valid", SOUP_STATUS_CONFLICT },
  [CD_CLIENT_ERROR_QUOTA_EXCEEDED] = { "quota_exceeded", SOUP_STATUS_CONFLICT },
  [CD_CLIENT_ERROR_NOT_READY] = { "not_ready", SOUP_STATUS_CONFLICT },
  [CD_CLIENT_ERROR_ANNOTATION_EXPIRED] = { "annotation_expired", SOUP_STATUS_GONE },
  [CD_CLIENT_ERROR_BODY_TOO_LARGE] = { "body_too_large", SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE },
  [CD_CLIENT_ERROR_UNSUPPORTED_MEDIA_TYPE] = { "unsupported_media_type",
                                               SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE },
  [CD_CLIENT_ERROR_TOO_MANY_ATTEMPTS] = { "too_many_attempts", 429 },
  [CD_CLIENT_ERROR_INTERNAL] = { "internal_error", SOUP_STATUS_INTERNAL_SERVER_ERROR },
};

/* A day is enough for any lock-out the service gives (15 minutes today). */
#define MAX_RETRY_AFTER_SECONDS (24 * 60 * 60)

/* Names what is wrong with a member that cd_json_read_*() refused; @expected is the
 * translated kind of value the member must hold. */
static gboolean
set_member_error (GError     **error,
                  JsonObject  *object,
                  const char  *what,
                  const char  *member,
                  const char  *expected)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *detail = NULL;

  if (node == NULL)
    {
      g_set_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_PROTOCOL,
                   /* Translators: the first %s is an object such as “an annotation”,
                    * the second the name of a field */
                   _("The service sent %s without “%s”."), what, member);
      return FALSE;
    }

  if (JSON_NODE_HOLDS_NULL (node))
    {
      cd_client_error_set_protocol (error, what, member, _("it is null"));
      return FALSE;
    }

  /* Translators: %s is a kind of value such as “a string” */
  detail = g_strdup_printf (_("expected %s"), expected);
  cd_client_error_set_protocol (error, what, member, detail);
  return FALSE;
}

static gboolean
is_json_content_type (const char *content_type)
{
  static const char json[] = "application/json";
  const gsize length = sizeof json - 1;

  return content_type != NULL &&
         g_ascii_strncasecmp (content_type, json, length) == 0 &&
         (content_type[length] == '\0' || content_type[length] == ';' ||
          content_type[length] == ' ');
}

/* The holder's sentence for an API error, with its extra members folded in. */
static char *
describe_api_error (CdClientError   code,
                    JsonObject     *object,
                    const char     *message,
                    GError        **error)
{
  const char *what = _("an error response");
  const char *str = NULL;
  gint64 number = 0;
  gint64 when = 0;
  g_autofree char *date = NULL;

  switch (code)
    {
    case CD_CLIENT_ERROR_MALFORMED_JSON:
      return g_strdup (_("The service could not read CertDesk’s request. "
                         "This is a bug in CertDesk."));

    case CD_CLIENT_ERROR_MISSING_FIELD:
      if (!cd_client_error_read_string (object, what, "field", CD_JSON_REQUIRED, TRUE,
                                        CD_CLIENT_MAX_STRING_CHARS, &str, error))
        return NULL;
      /* Translators: %s is the name of a field */
      return g_strdup_printf (_("The service needs “%s”, which the request did not give."),
                              str);

    case CD_CLIENT_ERROR_UNKNOWN_FIELD:
      if (!cd_client_error_read_string (object, what, "field", CD_JSON_REQUIRED, TRUE,
                                        CD_CLIENT_MAX_STRING_CHARS, &str, error))
        return NULL;
      /* Translators: %s is the name of a field */
      return g_strdup_printf (_("The service does not know “%s”; "
                                "it may be older than this CertDesk."), str);

    case CD_CLIENT_ERROR_INVALID_FIELD:
      if (!cd_client_error_read_string (object, what, "field", CD_JSON_REQUIRED, TRUE,
                                        CD_CLIENT_MAX_STRING_CHARS, &str, error))
        return NULL;
      /* Translators: the first %s is the name of a field, the second the service's
       * explanation (in English) */
      return g_strdup_printf (_("The service did not accept “%s”: %s"), str, message);

    case CD_CLIENT_ERROR_WEAK_PASSWORD:
      if (!cd_client_error_read_string (object, what, "field", CD_JSON_REQUIRED, TRUE,
                                        CD_CLIENT_MAX_STRING_CHARS, &str, error))
        return NULL;
      return g_strdup (_("The password is too short: use at least 8 characters."));

    case CD_CLIENT_ERROR_UNAUTHORIZED:
      return g_strdup (_("You are signed out. Please sign in again."));

    case CD_CLIENT_ERROR_INVALID_CREDENTIALS:
      return g_strdup (_("The ID number or the password is wrong."));

    case CD_CLIENT_ERROR_NOTICE_NOT_ACCEPTED:
      return g_strdup (_("Please read and accept the service notice first."));

    case CD_CLIENT_ERROR_NOT_FOUND:
      return g_strdup (_("The service has no such item, or it is not yours."));

    case CD_CLIENT_ERROR_METHOD_NOT_ALLOWED:
      return g_strdup (_("The service does not allow this request; "
                         "it may be a different version than CertDesk expects."));

    case CD_CLIENT_ERROR_ACCOUNT_EXISTS:
      return g_strdup (_("This ID number is already registered. Please sign in instead."));

    case CD_CLIENT_ERROR_NOTICE_VERSION_MISMATCH:
      if (!cd_client_error_read_string (object, what, "current_version", CD_JSON_REQUIRED, TRUE,
                                        CD_CLIENT_MAX_STRING_CHARS, &str, error))
        return NULL;
      /* Translators: %s is the version of the service notice, such as 2026-11-01 */
      return g_strdup_printf (_("The service notice has changed (now version %s). "
                                "Please read it and accept it again."), str);

    case CD_CLIENT_ERROR_CERTIFICATE_NOT_VALID:
      if (!cd_client_error_read_string (object, what, "status", CD_JSON_REQUIRED, TRUE,
                                        CD_CLIENT_MAX_STRING_CHARS, &str, error))
        return NULL;
      if (g_str_equal (str, "revoked"))
        return g_strdup (_("This certificate is revoked, so no annotation can be applied for."));
      if (g_str_equal (str, "suspended"))
        return g_strdup (_("This certificate is suspended, so no annotation can be applied for."));
      cd_client_error_set_protocol (error, what, "status",
                                    _("it is neither revoked nor suspended"));
      return NULL;

    case CD_CLIENT_ERROR_QUOTA_EXCEEDED:
      if (!cd_client_error_read_time (object, what, "next_slot_at", CD_JSON_REQUIRED, &when, error))
        return NULL;
      date = cd_time_format_local_date (when);
      /* Translators: %s is a date such as 2027-02-20 */
      return g_strdup_printf (_("This certificate already has as many annotations as allowed "
                                "for now. The next one frees on %s."), date);

    case CD_CLIENT_ERROR_NOT_READY:
      if (!cd_client_error_read_string (object, what, "state", CD_JSON_REQUIRED, TRUE,
                                        CD_CLIENT_MAX_STRING_CHARS, &str, error))
        return NULL;
      if (g_str_equal (str, "pending"))
        return g_strdup (_("The document is still being generated. Please try again in a moment."));
      if (g_str_equal (str, "failed"))
        return g_strdup (_("Generating this document failed. Please apply for a new annotation."));
      cd_client_error_set_protocol (error, what, "state", _("it is neither pending nor failed"));
      return NULL;

    case CD_CLIENT_ERROR_ANNOTATION_EXPIRED:
      if (!cd_client_error_read_time (object, what, "valid_until", CD_JSON_REQUIRED, &when, error))
        return NULL;
      date = cd_time_format_local_date (when);
      /* Translators: %s is a date such as 2027-02-23 */
      return g_strdup_printf (_("This annotation expired on %s. Please apply for a new one."),
                              date);

    case CD_CLIENT_ERROR_BODY_TOO_LARGE:
      return g_strdup (_("The request was too large for the service."));

    case CD_CLIENT_ERROR_UNSUPPORTED_MEDIA_TYPE:
      return g_strdup (_("The service did not accept the format of CertDesk’s request. "
                         "This is a bug in CertDesk."));

    case CD_CLIENT_ERROR_TOO_MANY_ATTEMPTS:
      if (!cd_client_error_read_int (object, what, "retry_after", 0, MAX_RETRY_AFTER_SECONDS,
                                     &number, error))
        return NULL;
      /* Whole minutes, rounded up, so that the holder never tries too early. */
      number = MAX (1, (number + 59) / 60);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Too many failed sign-ins for this ID number. "
                                           "Please try again in %d minute.",
                                           "Too many failed sign-ins for this ID number. "
                                           "Please try again in %d minutes.",
                                           (gulong) number),
                              (int) number);

    case CD_CLIENT_ERROR_INTERNAL:
      return g_strdup (_("The service had a problem and changed nothing. Please try again later."));

    case CD_CLIENT_ERROR_NETWORK:
    case CD_CLIENT_ERROR_TIMEOUT:
    case CD_CLIENT_ERROR_TLS:
    case CD_CLIENT_ERROR_INSECURE_URL:
    case CD_CLIENT_ERROR_PROTOCOL:
    case CD_CLIENT_ERROR_UNEXPECTED_STATUS:
      g_assert_not_reached ();
    }

  return NULL;
}

/* Wraps a refused error body, keeping the HTTP status for whoever reads the log. */
static GError *
new_protocol_error (guint         http_status,
                    const GError *cause)
{
  return g_error_new (CD_CLIENT_ERROR, CD_CLIENT_ERROR_PROTOCOL,
                      /* Translators: %u is an HTTP status such as 409, the %s a sentence
                       * saying what is wrong */
                      _("The service gave an answer CertDesk does not understand (HTTP %u). %s"),
                      http_status, cause->message);
}

GError *
cd_client_error_new_from_response (guint       http_status,
                                   const char *content_type,
                                   GBytes     *body)
{
  const char *what = _("an error response");
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  JsonObject *object = NULL;
  const char *code = NULL;
  const char *message = NULL;
  CdClientError client_code;
  const char *data = NULL;
  gsize length = 0;

  if (body != NULL)
    data = g_bytes_get_data (body, &length);

  /* Not one of ours at all, such as a proxy's HTML page. */
  if (!is_json_content_type (content_type) || length == 0)
    {
      return g_error_new (CD_CLIENT_ERROR, CD_CLIENT_ERROR_UNEXPECTED_STATUS,
                          /* Translators: %u is an HTTP status such as 502, %s its English name */
                          _("The service answered with an unexpected status: HTTP %u (%s)."),
                          http_status, soup_status_get_phrase (http_status));
    }

  root = cd_json_parse_object (data, length, &local_error);
  if (root == NULL)
    return new_protocol_error (http_status, local_error);

  if (!cd_client_error_read_object (root, what, "error", CD_JSON_REQUIRED, &object, &local_error) ||
      !cd_client_error_read_string (object, what, "code", CD_JSON_REQUIRED, TRUE,
                                    CD_CLIENT_MAX_STRING_CHARS, &code, &local_error) ||
      !cd_client_error_read_string (object, what, "message", CD_JSON_REQUIRED, FALSE,
                                    CD_CLIENT_MAX_STRING_CHARS, &message, &local_error))
    return new_protocol_error (http_status, local_error);

  /* A code newer than this client: the service's own words are the best there is. */
  if (!cd_client_error_from_code (code, &client_code))
    {
      return g_error_new (CD_CLIENT_ERROR, CD_CLIENT_ERROR_UNEXPECTED_STATUS,
                          /* Translators: %u is an HTTP status, %s the service's explanation
                           * (in English) */
                          _("The service answered with an error CertDesk does not know "
                            "(HTTP %u): %s"),
                          http_status, message);
    }

  if (api_errors[client_code].status != http_status)
    {
      g_autoptr(GError) cause = NULL;
      g_autofree char *detail = g_strdup_printf (_("“%s” does not come with this status"),
                                                 code);

      cd_client_error_set_protocol (&cause, what, "code", detail);
      return new_protocol_error (http_status, cause);
    }

  text = describe_api_error (client_code, object, message, &local_error);
  if (text == NULL)
    return new_protocol_error (http_status, local_error);

  return g_error_new_literal (CD_CLIENT_ERROR, client_code, text);
}

gboolean
cd_client_error_from_code (const char    *api_code,
                           CdClientError *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  if (api_code == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (api_errors); i++)
    {
      if (g_str_equal (api_errors[i].code, api_code))
        {
          *out = (CdClientError) i;
          return TRUE;
        }
    }

  return FALSE;
}

void
cd_client_error_set_protocol (GError     **error,
                              const char  *what,
                              const char  *member,
                              const char  *detail)
{
  g_set_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_PROTOCOL,
               /* Translators: the first %s is an object such as “an annotation”, the
                * second the name of a field, the third what is wrong with it */
               _("The service sent %s with an invalid “%s”: %s."), what, member, detail);
}

/* *out_value is NULL for a nullable member that is null. */
gboolean
cd_client_error_read_string (JsonObject   *object,
                             const char   *what,
                             const char   *member,
                             CdJsonFlags   flags,
                             gboolean      non_empty,
                             glong         max_chars,
                             const char  **out_value,
                             GError      **error)
{
  const char *value = NULL;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (out_value != NULL, FALSE);

  if (!cd_json_read_string (object, member, flags, &value, NULL))
    return set_member_error (error, object, what, member, _("a string"));

  if (value != NULL && non_empty && *value == '\0')
    {
      cd_client_error_set_protocol (error, what, member, _("it is empty"));
      return FALSE;
    }

  if (value != NULL && g_utf8_strlen (value, -1) > max_chars)
    {
      g_autofree char *detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                              "it is longer than %ld character",
                                                              "it is longer than %ld characters",
                                                              (gulong) max_chars),
                                                 max_chars);

      cd_client_error_set_protocol (error, what, member, detail);
      return FALSE;
    }

  *out_value = value;
  return TRUE;
}

gboolean
cd_client_error_read_int (JsonObject  *object,
                          const char  *what,
                          const char  *member,
                          gint64       min,
                          gint64       max,
                          gint64      *out_value,
                          GError     **error)
{
  gint64 value = 0;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (out_value != NULL, FALSE);

  if (!cd_json_read_int (object, member, CD_JSON_REQUIRED, &value, NULL))
    return set_member_error (error, object, what, member, _("an integer"));

  if (value < min || value > max)
    {
      g_autofree char *value_str = g_strdup_printf ("%" G_GINT64_FORMAT, value);
      g_autofree char *min_str = g_strdup_printf ("%" G_GINT64_FORMAT, min);
      g_autofree char *max_str = g_strdup_printf ("%" G_GINT64_FORMAT, max);
      /* Translators: the %s are numbers: a value, then the smallest and largest allowed */
      g_autofree char *detail = g_strdup_printf (_("%s is not between %s and %s"),
                                                 value_str, min_str, max_str);

      cd_client_error_set_protocol (error, what, member, detail);
      return FALSE;
    }

  *out_value = value;
  return TRUE;
}

gboolean
cd_client_error_read_boolean (JsonObject  *object,
                              const char  *what,
                              const char  *member,
                              gboolean    *out_value,
                              GError     **error)
{
  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (out_value != NULL, FALSE);

  if (!cd_json_read_boolean (object, member, CD_JSON_REQUIRED, out_value, NULL))
    return set_member_error (error, object, what, member, _("true or false"));

  return TRUE;
}

/* *out_value is 0 for a nullable member that is null; 0 is never a real time, which
 * keeps "not set" unambiguous. */
gboolean
cd_client_error_read_time (JsonObject  *object,
                           const char  *what,
                           const char  *member,
                           CdJsonFlags  flags,
                           gint64      *out_value,
                           GError     **error)
{
  gint64 value = 0;
  JsonNode *node;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (out_value != NULL, FALSE);

  if (!cd_json_read_time (object, member, flags, &value, NULL))
    return set_member_error (error, object, what, member,
                             _("an RFC 3339 UTC time such as 2026-11-25T08:30:00Z"));

  node = json_object_get_member (object, member);
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node) && value <= 0)
    {
      cd_client_error_set_protocol (error, what, member, _("it is not after 1970"));
      return FALSE;
    }

  *out_value = value;
  return TRUE;
}

/* *out_value is NULL for a nullable member that is null; it belongs to @object. */
gboolean
cd_client_error_read_object (JsonObject   *object,
                             const char   *what,
                             const char   *member,
                             CdJsonFlags   flags,
                             JsonObject  **out_value,
                             GError      **error)
{
  JsonObject *value = NULL;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (out_value != NULL, FALSE);

  if (!cd_json_read_object (object, member, flags, &value, NULL))
    return set_member_error (error, object, what, member, _("an object"));

  *out_value = value;
  return TRUE;
}

/* *out_value belongs to @object. */
gboolean
cd_client_error_read_array (JsonObject  *object,
                            const char  *what,
                            const char  *member,
                            JsonArray  **out_value,
                            GError     **error)
{
  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (out_value != NULL, FALSE);

  if (!cd_json_read_array (object, member, CD_JSON_REQUIRED, out_value, NULL))
    return set_member_error (error, object, what, member, _("an array"));

  return TRUE;
}
