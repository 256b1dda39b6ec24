#include "config.h"

#include "cd-json.h"
#include "cd-time.h"

#include <string.h>

G_DEFINE_QUARK (cd-json-error-quark, cd_json_error)

/* json-glib 1.6 has no strict mode: it takes trailing data, comments, single quotes,
 * leading zeros and hex numbers, and keeps the last of duplicate members. This
 * recursive-descent check holds the text to RFC 8259 first, and also refuses
 * duplicate member names, which would let two readers see different values. */

#define MAX_JSON_DEPTH 64

typedef struct
{
  const char *p;
  const char *end;
  int         depth;
  const char *problem;
} JsonScanner;

static gboolean scan_value (JsonScanner *scanner);

static gboolean
scan_fail (JsonScanner *scanner,
           const char  *problem)
{
  if (scanner->problem == NULL)
    scanner->problem = problem;
  return FALSE;
}

static void
scan_whitespace (JsonScanner *scanner)
{
  while (scanner->p < scanner->end &&
         (*scanner->p == ' ' || *scanner->p == '\t' || *scanner->p == '\n' || *scanner->p == '\r'))
    scanner->p++;
}

static gboolean
scan_literal (JsonScanner *scanner,
              const char  *literal)
{
  gsize length = strlen (literal);

  if ((gsize) (scanner->end - scanner->p) < length || memcmp (scanner->p, literal, length) != 0)
    return scan_fail (scanner, "unexpected characters");

  scanner->p += length;
  return TRUE;
}

static gboolean
scan_digits (JsonScanner *scanner)
{
  const char *start = scanner->p;

  while (scanner->p < scanner->end && g_ascii_isdigit (*scanner->p))
    scanner->p++;

  return scanner->p > start || scan_fail (scanner, "a malformed number");
}

static gboolean
scan_number (JsonScanner *scanner)
{
  if (*scanner->p == '-')
    scanner->p++;

  if (scanner->p < scanner->end && *scanner->p == '0')
    scanner->p++;
  else if (!scan_digits (scanner))
    return FALSE;

  if (scanner->p < scanner->end && *scanner->p == '.')
    {
      scanner->p++;
      if (!scan_digits (scanner))
        return FALSE;
    }

  if (scanner->p < scanner->end && (*scanner->p == 'e' || *scanner->p == 'E'))
    {
      scanner->p++;
      if (scanner->p < scanner->end && (*scanner->p == '+' || *scanner->p == '-'))
        scanner->p++;
      if (!scan_digits (scanner))
        return FALSE;
    }

  return TRUE;
}

/* Scans a string; its raw text (between the quotes) goes to *out_start, *out_length. */
static gboolean
scan_string (JsonScanner  *scanner,
             const char  **out_start,
             gsize        *out_length)
{
  const char *start = ++scanner->p;

  while (scanner->p < scanner->end && *scanner->p != '"')
    {
      guchar c = (guchar) *scanner->p;

      if (c < 0x20)
        return scan_fail (scanner, "a control character inside a string");

      if (c == '\\')
        {
          scanner->p++;
          if (scanner->p >= scanner->end)
            break;
          if (*scanner->p == 'u')
            {
              for (int i = 1; i <= 4; i++)
                {
                  if (scanner->p + i >= scanner->end || !g_ascii_isxdigit (scanner->p[i]))
                    return scan_fail (scanner, "a malformed \\u escape");
                }
              /* json-glib would cut the string at an escaped NUL without a word. */
              if (memcmp (scanner->p + 1, "0000", 4) == 0)
                return scan_fail (scanner, "a NUL character inside a string");
              scanner->p += 4;
            }
          else if (strchr ("\"\\/bfnrt", *scanner->p) == NULL || *scanner->p == '\0')
            {
              return scan_fail (scanner, "an unknown escape in a string");
            }
        }
      scanner->p++;
    }

  if (scanner->p >= scanner->end)
    return scan_fail (scanner, "an unterminated string");

  *out_start = start;
  *out_length = (gsize) (scanner->p - start);
  scanner->p++;
  return TRUE;
}

static gboolean
scan_container (JsonScanner *scanner,
                gboolean     is_object)
{
  const char close = is_object ? '}' : ']';
  g_autoptr(GHashTable) names = NULL;

  if (++scanner->depth > MAX_JSON_DEPTH)
    return scan_fail (scanner, "too deeply nested");

  if (is_object)
    names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  scanner->p++;
  scan_whitespace (scanner);
  if (scanner->p < scanner->end && *scanner->p == close)
    {
      scanner->p++;
      scanner->depth--;
      return TRUE;
    }

  while (TRUE)
    {
      if (is_object)
        {
          const char *name;
          gsize name_length;

          if (scanner->p >= scanner->end || *scanner->p != '"')
            return scan_fail (scanner, "a member name that is not a string");
          if (!scan_string (scanner, &name, &name_length))
            return FALSE;
          if (!g_hash_table_add (names, g_strndup (name, name_length)))
            return scan_fail (scanner, "a duplicate member name");

          scan_whitespace (scanner);
          if (scanner->p >= scanner->end || *scanner->p != ':')
            return scan_fail (scanner, "a missing colon");
          scanner->p++;
        }

      if (!scan_value (scanner))
        return FALSE;

      scan_whitespace (scanner);
      if (scanner->p < scanner->end && *scanner->p == ',')
        {
          scanner->p++;
          scan_whitespace (scanner);
          continue;
        }
      if (scanner->p < scanner->end && *scanner->p == close)
        {
          scanner->p++;
          scanner->depth--;
          return TRUE;
        }

      return scan_fail (scanner, is_object ? "an unterminated object" : "an unterminated array");
    }
}

static gboolean
scan_value (JsonScanner *scanner)
{
  const char *ignored_start;
  gsize ignored_length;

  scan_whitespace (scanner);
  if (scanner->p >= scanner->end)
    return scan_fail (scanner, "a missing value");

  switch (*scanner->p)
    {
    case '{':
      return scan_container (scanner, TRUE);
    case '[':
      return scan_container (scanner, FALSE);
    case '"':
      return scan_string (scanner, &ignored_start, &ignored_length);
    case 't':
      return scan_literal (scanner, "true");
    case 'f':
      return scan_literal (scanner, "false");
    case 'n':
      return scan_literal (scanner, "null");
    default:
      if (*scanner->p == '-' || g_ascii_isdigit (*scanner->p))
        return scan_number (scanner);
      return scan_fail (scanner, "unexpected characters");
    }
}

static gboolean
check_json_syntax (const char  *data,
                   gsize        length,
                   GError     **error)
{
  JsonScanner scanner = { data, data + length, 0, NULL };

  if (scan_value (&scanner))
    {
      scan_whitespace (&scanner);
      if (scanner.p == scanner.end)
        return TRUE;
      scan_fail (&scanner, "data after the JSON value");
    }

  g_set_error (error, CD_JSON_ERROR, CD_JSON_ERROR_MALFORMED,
               "The body is not valid JSON: %s at byte %" G_GSIZE_FORMAT,
               scanner.problem, (gsize) (scanner.p - data));
  return FALSE;
}

JsonObject *
cd_json_parse_object (const char  *data,
                      gsize        length,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (length == 0)
    {
      g_set_error_literal (error, CD_JSON_ERROR, CD_JSON_ERROR_MALFORMED,
                           "The body is empty; a JSON object was expected");
      return NULL;
    }

  if (!g_utf8_validate_len (data, length, NULL))
    {
      g_set_error_literal (error, CD_JSON_ERROR, CD_JSON_ERROR_MALFORMED,
                           "The body is not valid UTF-8");
      return NULL;
    }

  if (!check_json_syntax (data, length, error))
    return NULL;

  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      g_set_error (error, CD_JSON_ERROR, CD_JSON_ERROR_MALFORMED,
                   "The body is not valid JSON: %s", local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, CD_JSON_ERROR, CD_JSON_ERROR_NOT_OBJECT,
                           "The body is not a JSON object");
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

/* Returns the first member of @object not in @allowed, or NULL. */
const char *
cd_json_find_unknown_member (JsonObject         *object,
                             const char * const *allowed)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (allowed, l->data))
        return l->data;
    }

  return NULL;
}

gboolean
cd_json_check_members (JsonObject          *object,
                       const char * const  *allowed,
                       GError             **error)
{
  const char *unknown = cd_json_find_unknown_member (object, allowed);

  if (unknown != NULL)
    {
      g_set_error (error, CD_JSON_ERROR, CD_JSON_ERROR_UNKNOWN_MEMBER,
                   "Unknown field “%s”", unknown);
      return FALSE;
    }

  return TRUE;
}

/* Finds @member and checks presence and nullness; returns FALSE with @error set when
 * the member breaks @flags, and sets *out_node to NULL when there is nothing to read. */
static gboolean
lookup_member (JsonObject   *object,
               const char   *member,
               CdJsonFlags   flags,
               JsonNode    **out_node,
               GError      **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out_node = NULL;

  if (node == NULL)
    {
      if (flags & CD_JSON_OPTIONAL)
        return TRUE;
      g_set_error (error, CD_JSON_ERROR, CD_JSON_ERROR_MISSING_MEMBER,
                   "The field “%s” is missing", member);
      return FALSE;
    }

  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (flags & CD_JSON_NULLABLE)
        return TRUE;
      g_set_error (error, CD_JSON_ERROR, CD_JSON_ERROR_WRONG_TYPE,
                   "The field “%s” must not be null", member);
      return FALSE;
    }

  *out_node = node;
  return TRUE;
}

static gboolean
set_wrong_type (GError     **error,
                const char  *member,
                const char  *expected)
{
  g_set_error (error, CD_JSON_ERROR, CD_JSON_ERROR_WRONG_TYPE,
               "The field “%s” must be %s", member, expected);
  return FALSE;
}

gboolean
cd_json_read_string (JsonObject   *object,
                     const char   *member,
                     CdJsonFlags   flags,
                     const char  **out_value,
                     GError      **error)
{
  JsonNode *node;

  if (!lookup_member (object, member, flags, &node, error))
    return FALSE;

  if (node == NULL)
    {
      if (json_object_has_member (object, member))
        *out_value = NULL;
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return set_wrong_type (error, member, "a string");

  *out_value = json_node_get_string (node);
  return TRUE;
}

gboolean
cd_json_read_int (JsonObject   *object,
                  const char   *member,
                  CdJsonFlags   flags,
                  gint64       *out_value,
                  GError      **error)
{
  JsonNode *node;

  if (!lookup_member (object, member, flags, &node, error))
    return FALSE;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return set_wrong_type (error, member, "an integer");

  *out_value = json_node_get_int (node);
  return TRUE;
}

gboolean
cd_json_read_boolean (JsonObject   *object,
                      const char   *member,
                      CdJsonFlags   flags,
                      gboolean     *out_value,
                      GError      **error)
{
  JsonNode *node;

  if (!lookup_member (object, member, flags, &node, error))
    return FALSE;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return set_wrong_type (error, member, "true or false");

  *out_value = json_node_get_boolean (node);
  return TRUE;
}

gboolean
cd_json_read_object (JsonObject   *object,
                     const char   *member,
                     CdJsonFlags   flags,
                     JsonObject  **out_value,
                     GError      **error)
{
  JsonNode *node;

  if (!lookup_member (object, member, flags, &node, error))
    return FALSE;

  if (node == NULL)
    {
      if (json_object_has_member (object, member))
        *out_value = NULL;
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return set_wrong_type (error, member, "an object");

  *out_value = json_node_get_object (node);
  return TRUE;
}

gboolean
cd_json_read_array (JsonObject   *object,
                    const char   *member,
                    CdJsonFlags   flags,
                    JsonArray   **out_value,
                    GError      **error)
{
  JsonNode *node;

  if (!lookup_member (object, member, flags, &node, error))
    return FALSE;

  if (node == NULL)
    {
      if (json_object_has_member (object, member))
        *out_value = NULL;
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return set_wrong_type (error, member, "an array");

  *out_value = json_node_get_array (node);
  return TRUE;
}

/* A nullable absent time leaves *out_unix_seconds untouched; callers preset it (e.g. to 0). */
gboolean
cd_json_read_time (JsonObject   *object,
                   const char   *member,
                   CdJsonFlags   flags,
                   gint64       *out_unix_seconds,
                   GError      **error)
{
  const char *str = NULL;

  if (!cd_json_read_string (object, member, flags, &str, error))
    return FALSE;

  if (str == NULL)
    return TRUE;

  if (!cd_time_parse_rfc3339 (str, out_unix_seconds))
    {
      g_set_error (error, CD_JSON_ERROR, CD_JSON_ERROR_INVALID_VALUE,
                   "The field “%s” is not an RFC 3339 UTC time", member);
      return FALSE;
    }

  return TRUE;
}

GBytes *
cd_json_builder_to_bytes (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  gsize length;
  char *data;

  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);

  return g_bytes_new_take (data, length);
}

/* Writes a string member, or null for a NULL @value. */
void
cd_json_builder_add_string (JsonBuilder *builder,
                            const char  *member,
                            const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
cd_json_builder_add_int (JsonBuilder *builder,
                         const char  *member,
                         gint64       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

/* Writes an RFC 3339 string, or null for a time of 0 (not set). */
void
cd_json_builder_add_time (JsonBuilder *builder,
                          const char  *member,
                          gint64       unix_seconds)
{
  json_builder_set_member_name (builder, member);
  if (unix_seconds == 0)
    {
      json_builder_add_null_value (builder);
    }
  else
    {
      g_autofree char *str = cd_time_format_rfc3339 (unix_seconds);
      json_builder_add_string_value (builder, str);
    }
}
