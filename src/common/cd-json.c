#include "config.h"

#include "cd-json.h"
#include "cd-time.h"

G_DEFINE_QUARK (cd-json-error-quark, cd_json_error)

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
