/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "quorum-api-private.h"
#include "quorum-role.h"

static GError *
invalid (const char *format,
         ...) G_GNUC_PRINTF (1, 2);

/* An answer that is not the contract: plain words for the message, what
 * exactly was wrong (a parser's text, a field's name) for the detail only. */
static GError *
invalid (const char *format,
         ...)
{
  g_autofree char *detail = NULL;
  GError *error;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  error = _quorum_api_error_new (QUORUM_API_ERROR_INVALID_RESPONSE, 0, NULL, 0,
                                 quorum_api_error_get_plain_message (QUORUM_API_ERROR_INVALID_RESPONSE));
  _quorum_api_error_set_detail (error, detail);
  return error;
}

/* json-glib 1.6 reads an integer past gint64 without an error, as -1 or
 * wrapped around (2^63 becomes -2^63), so a huge number would pass every
 * range check as a small one. An integer of more than 18 digits (outside
 * strings; fractions and exponents are doubles and stay) is refused before
 * the parse. */
static gboolean
has_huge_integer (const char *data,
                  gsize       length)
{
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      if (in_string)
        {
          if (data[i] == '\\')
            i++;
          else if (data[i] == '"')
            in_string = FALSE;
        }
      else if (data[i] == '"')
        in_string = TRUE;
      else if (g_ascii_isdigit (data[i]))
        {
          /* One number token: digits, and for a double '.', 'e', signs. */
          gboolean is_double = FALSE;
          gsize digits = 0;

          for (; i < length && (g_ascii_isdigit (data[i]) ||
                                (data[i] != '\0' && strchr (".eE+-", data[i]) != NULL)); i++)
            {
              if (g_ascii_isdigit (data[i]))
                digits++;
              else if (data[i] != '-' && data[i] != '+')
                is_double = TRUE;
            }
          if (!is_double && digits > 18)
            return TRUE;
          i--;
        }
    }
  return FALSE;
}

/* The same guard as the server's request bodies (src/core): no parse of
 * invalid UTF-8, NUL, "\u0000" or nesting past QUORUM_JSON_MAX_DEPTH. */
JsonNode *
_quorum_json_parse (const char  *data,
                    gsize        length,
                    GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!quorum_json_check (data, length, QUORUM_JSON_MAX_DEPTH, &local_error))
    {
      if (g_error_matches (local_error, QUORUM_JSON_GUARD_ERROR, QUORUM_JSON_GUARD_ERROR_EMPTY))
        g_propagate_error (error, invalid (_("The server sent an empty response")));
      else if (g_error_matches (local_error, QUORUM_JSON_GUARD_ERROR, QUORUM_JSON_GUARD_ERROR_INVALID_UTF8))
        g_propagate_error (error, invalid (_("The server sent text that is not valid UTF-8")));
      else if (g_error_matches (local_error, QUORUM_JSON_GUARD_ERROR, QUORUM_JSON_GUARD_ERROR_TOO_DEEP))
        g_propagate_error (error, invalid (_("The server sent JSON nested too deeply")));
      else
        g_propagate_error (error, invalid (_("The server sent malformed JSON: %s"), local_error->message));
      return NULL;
    }

  if (has_huge_integer (data, length))
    {
      g_propagate_error (error, invalid (_("The server sent a number too large to be true")));
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      g_propagate_error (error, invalid (_("The server sent malformed JSON: %s"), local_error->message));
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL)
    {
      g_propagate_error (error, invalid (_("The server sent an empty response")));
      return NULL;
    }

  return json_node_ref (json_parser_get_root (parser));
}

JsonObject *
_quorum_json_get_root_object (JsonNode    *node,
                              const char  *what,
                              GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_propagate_error (error, invalid (_("The server sent a %s that is not a JSON object"), what));
      return NULL;
    }
  return json_node_get_object (node);
}

/* Returns FALSE with an error, or TRUE with *out_node NULL for an allowed
 * missing or null member. */
static gboolean
lookup (JsonObject       *object,
        const char       *member,
        QuorumJsonFlags   flags,
        JsonNode        **out_node,
        GError          **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out_node = NULL;

  if (node == NULL)
    {
      if (flags & QUORUM_JSON_OPTIONAL)
        return TRUE;
      g_propagate_error (error, invalid (_("The server's answer lacks the field “%s”"), member));
      return FALSE;
    }

  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (flags & (QUORUM_JSON_OPTIONAL | QUORUM_JSON_NULLABLE))
        return TRUE;
      g_propagate_error (error, invalid (_("The server sent null for the field “%s”"), member));
      return FALSE;
    }

  *out_node = node;
  return TRUE;
}

static const char *
get_string_node (JsonNode   *node,
                 const char *member,
                 gsize       max_bytes,
                 GError    **error)
{
  const char *str;
  gsize len;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_propagate_error (error, invalid (_("The field “%s” is not a string"), member));
      return NULL;
    }

  str = json_node_get_string (node);
  len = strnlen (str, max_bytes + 1);
  if (len > max_bytes)
    {
      g_propagate_error (error, invalid (_("The field “%s” is too long"), member));
      return NULL;
    }
  if (!g_utf8_validate_len (str, len, NULL))
    {
      g_propagate_error (error, invalid (_("The field “%s” is not valid UTF-8"), member));
      return NULL;
    }
  return str;
}

gboolean
_quorum_json_get_string (JsonObject       *object,
                         const char       *member,
                         QuorumJsonFlags   flags,
                         QuorumJsonKind    kind,
                         gsize             max_bytes,
                         char            **out,
                         GError          **error)
{
  JsonNode *node;
  const char *str;

  *out = NULL;

  if (!lookup (object, member, flags, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!(str = get_string_node (node, member, max_bytes, error)))
    return FALSE;

  switch (kind)
    {
    case QUORUM_JSON_ID:
      if (*str == '\0')
        {
          g_propagate_error (error, invalid (_("The field “%s” is empty"), member));
          return FALSE;
        }
      for (const char *p = str; *p; p++)
        if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
          {
            g_propagate_error (error, invalid (_("The field “%s” is not a valid id"), member));
            return FALSE;
          }
      break;

    case QUORUM_JSON_TEXT:
      if (*str == '\0')
        {
          g_propagate_error (error, invalid (_("The field “%s” is empty"), member));
          return FALSE;
        }
      for (const char *p = str; *p; p = g_utf8_next_char (p))
        if (g_unichar_iscntrl (g_utf8_get_char (p)))
          {
            g_propagate_error (error, invalid (_("The field “%s” holds control characters"), member));
            return FALSE;
          }
      break;

    case QUORUM_JSON_ANY:
    default:
      break;
    }

  *out = g_strdup (str);
  return TRUE;
}

/* The value of an enumeration: a required string of at most 64 bytes. */
static const char *
get_enum_string (JsonObject  *object,
                 const char  *member,
                 GError     **error)
{
  JsonNode *node;

  if (!lookup (object, member, QUORUM_JSON_REQUIRED, &node, error))
    return NULL;
  return get_string_node (node, member, 64, error);
}

gboolean
_quorum_json_get_enum (JsonObject          *object,
                       const char          *member,
                       const char * const  *allowed,
                       const char         **out_interned,
                       GError             **error)
{
  const char *str;

  *out_interned = NULL;
  if (!(str = get_enum_string (object, member, error)))
    return FALSE;

  for (guint i = 0; allowed[i] != NULL; i++)
    if (g_str_equal (allowed[i], str))
      {
        *out_interned = g_intern_static_string (allowed[i]);
        return TRUE;
      }

  g_propagate_error (error, invalid (_("The field “%s” has an unknown value"), member));
  return FALSE;
}

/* A role by its name in the API (src/core): @out_name is that name, static. */
gboolean
_quorum_json_get_role (JsonObject  *object,
                       const char  *member,
                       const char **out_name,
                       GError     **error)
{
  const char *str;

  *out_name = NULL;
  if (!(str = get_enum_string (object, member, error)))
    return FALSE;

  if (!(*out_name = quorum_role_to_string (quorum_role_from_string (str))))
    {
      g_propagate_error (error, invalid (_("The field “%s” has an unknown value"), member));
      return FALSE;
    }
  return TRUE;
}

gboolean
_quorum_json_get_int (JsonObject       *object,
                      const char       *member,
                      QuorumJsonFlags   flags,
                      gint64            min,
                      gint64            max,
                      gint64           *out,
                      GError          **error)
{
  JsonNode *node;
  gint64 value;

  *out = 0;

  if (!lookup (object, member, flags, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_propagate_error (error, invalid (_("The field “%s” is not an integer"), member));
      return FALSE;
    }

  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      g_propagate_error (error, invalid (_("The field “%s” is out of range"), member));
      return FALSE;
    }

  *out = value;
  return TRUE;
}

/* An integer that may be null (and, with QUORUM_JSON_OPTIONAL, missing):
 * *out_present is FALSE then, which _quorum_json_get_int cannot tell from 0
 * ("unlimited", "off"). */
gboolean
_quorum_json_get_nullable_int (JsonObject       *object,
                               const char       *member,
                               QuorumJsonFlags   flags,
                               gint64            min,
                               gint64            max,
                               gboolean         *out_present,
                               gint64           *out,
                               GError          **error)
{
  JsonNode *node;

  *out_present = FALSE;
  *out = 0;
  if (!lookup (object, member, flags | QUORUM_JSON_NULLABLE, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!_quorum_json_get_int (object, member, QUORUM_JSON_REQUIRED, min, max, out, error))
    return FALSE;
  *out_present = TRUE;
  return TRUE;
}

/* An ISO 4217 code: three ASCII capitals. */
gboolean
_quorum_json_get_currency (JsonObject  *object,
                           const char  *member,
                           char       **out,
                           GError     **error)
{
  g_autofree char *code = NULL;

  *out = NULL;
  if (!_quorum_json_get_string (object, member, QUORUM_JSON_REQUIRED, QUORUM_JSON_ID, 3, &code, error))
    return FALSE;
  if (strlen (code) != 3 || !g_ascii_isupper (code[0]) || !g_ascii_isupper (code[1]) ||
      !g_ascii_isupper (code[2]))
    {
      g_propagate_error (error, invalid (_("The field “%s” is not a currency code"), member));
      return FALSE;
    }
  *out = g_steal_pointer (&code);
  return TRUE;
}

gboolean
_quorum_json_get_bool (JsonObject  *object,
                       const char  *member,
                       gboolean    *out,
                       GError     **error)
{
  JsonNode *node;

  *out = FALSE;

  if (!lookup (object, member, QUORUM_JSON_REQUIRED, &node, error))
    return FALSE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_propagate_error (error, invalid (_("The field “%s” is not a boolean"), member));
      return FALSE;
    }

  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
_quorum_json_get_datetime (JsonObject       *object,
                           const char       *member,
                           QuorumJsonFlags   flags,
                           GDateTime       **out,
                           GError          **error)
{
  JsonNode *node;
  const char *str;
  GDateTime *dt;

  *out = NULL;

  if (!lookup (object, member, flags, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!(str = get_string_node (node, member, QUORUM_MAX_TIME_BYTES, error)))
    return FALSE;

  /* RFC 3339 needs a zone; without one GLib would assume local time. */
  if (*str == '\0' || !(dt = g_date_time_new_from_iso8601 (str, NULL)))
    {
      g_propagate_error (error, invalid (_("The field “%s” is not an RFC 3339 time"), member));
      return FALSE;
    }

  *out = dt;
  return TRUE;
}

gboolean
_quorum_json_get_object (JsonObject       *object,
                         const char       *member,
                         QuorumJsonFlags   flags,
                         JsonObject      **out,
                         GError          **error)
{
  JsonNode *node;

  *out = NULL;

  if (!lookup (object, member, flags, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_propagate_error (error, invalid (_("The field “%s” is not an object"), member));
      return FALSE;
    }

  *out = json_node_get_object (node);
  return TRUE;
}

JsonArray *
_quorum_json_get_items (JsonObject  *object,
                        GError     **error)
{
  JsonNode *node = json_object_get_member (object, "items");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_propagate_error (error, invalid (_("The server sent a list without “items”")));
      return NULL;
    }

  array = json_node_get_array (node);
  if (json_array_get_length (array) > QUORUM_JSON_MAX_ITEMS)
    {
      g_propagate_error (error, invalid (_("The server sent too many items in one page")));
      return NULL;
    }

  return array;
}

/* An array of distinct strings (scopes, event types): at least one, at most
 * @max_items, each a word of ASCII letters, digits and "_-.:" of at most
 * @max_bytes. Unknown words are kept: the caller decides what they mean. */
gboolean
_quorum_json_get_words (JsonObject   *object,
                        const char   *member,
                        guint         max_items,
                        gsize         max_bytes,
                        GStrv        *out,
                        GError      **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonNode *node;
  JsonArray *array;
  guint len;

  *out = NULL;
  if (!lookup (object, member, QUORUM_JSON_REQUIRED, &node, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_propagate_error (error, invalid (_("The field “%s” is not a list"), member));
      return FALSE;
    }

  array = json_node_get_array (node);
  len = json_array_get_length (array);
  if (len == 0 || len > max_items)
    {
      g_propagate_error (error, invalid (_("The field “%s” is out of range"), member));
      return FALSE;
    }

  for (guint i = 0; i < len; i++)
    {
      const char *str = get_string_node (json_array_get_element (array, i), member, max_bytes, error);

      if (str == NULL)
        return FALSE;
      if (*str == '\0')
        {
          g_propagate_error (error, invalid (_("The field “%s” is empty"), member));
          return FALSE;
        }
      for (const char *p = str; *p; p++)
        if (!g_ascii_isalnum (*p) && strchr ("_-.:", *p) == NULL)
          {
            g_propagate_error (error, invalid (_("The field “%s” has an unknown value"), member));
            return FALSE;
          }
      if (!g_hash_table_add (seen, (gpointer) str))
        {
          g_propagate_error (error, invalid (_("The field “%s” repeats a value"), member));
          return FALSE;
        }
      g_strv_builder_add (builder, str);
    }

  *out = g_strv_builder_end (builder);
  return TRUE;
}

/* An absolute http or https URL with a host, without spaces or controls. */
gboolean
_quorum_json_get_web_url (JsonObject  *object,
                          const char  *member,
                          gsize        max_bytes,
                          char       **out,
                          GError     **error)
{
  g_autofree char *url = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  *out = NULL;
  if (!_quorum_json_get_string (object, member, QUORUM_JSON_REQUIRED, QUORUM_JSON_TEXT, max_bytes,
                                &url, error))
    return FALSE;

  for (const char *p = url; *p; p++)
    if ((guchar) *p <= ' ')
      goto bad;
  if (!(uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL)))
    goto bad;
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if ((g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0) ||
      host == NULL || *host == '\0')
    goto bad;

  *out = g_steal_pointer (&url);
  return TRUE;

bad:
  g_propagate_error (error, invalid (_("The field “%s” is not a web address"), member));
  return FALSE;
}
