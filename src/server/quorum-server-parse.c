/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "quorum-core.h"
#include "quorum-server-parse.h"
#include "quorum-server-util.h"

void
qs_field_error_free (QsFieldError *error)
{
  g_free (error->field);
  g_free (error->code);
  g_free (error->message);
  g_free (error);
}

GPtrArray *
qs_field_errors_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) qs_field_error_free);
}

void
qs_field_errors_add (GPtrArray  *errors,
                     const char *field,
                     const char *code,
                     const char *message)
{
  QsFieldError *error = g_new0 (QsFieldError, 1);

  error->field = g_strdup (field);
  error->code = g_strdup (code);
  error->message = g_strdup (message);
  g_ptr_array_add (errors, error);
}

/* Parses the body as a JSON object. The parser is returned so the object
 * stays alive while the caller reads it. */
static QsParseResult
parse_object (const char   *data,
              gsize         len,
              JsonParser  **out_parser,
              JsonObject  **out_object,
              GPtrArray    *errors)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  *out_parser = NULL;
  *out_object = NULL;

  if (data == NULL || len == 0 || len > G_MAXSSIZE || !g_utf8_validate (data, len, NULL))
    return QS_PARSE_MALFORMED;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, NULL))
    return QS_PARSE_MALFORMED;

  root = json_parser_get_root (parser);
  if (root == NULL)
    return QS_PARSE_MALFORMED;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      qs_field_errors_add (errors, "body", "invalid_type", "The body must be a JSON object.");
      return QS_PARSE_INVALID;
    }

  *out_object = json_node_get_object (root);
  *out_parser = g_steal_pointer (&parser);
  return QS_PARSE_OK;
}

/* Reads a string member. Absent → *present FALSE (error if required); null →
 * present with NULL value when nullable; any other type → invalid_type. */
static gboolean
get_string (JsonObject  *object,
            const char  *field,
            gboolean     required,
            gboolean     nullable,
            GPtrArray   *errors,
            char       **out,
            gboolean    *present)
{
  JsonNode *node = json_object_get_member (object, field);
  gboolean dummy;

  if (present == NULL)
    present = &dummy;
  *present = FALSE;
  *out = NULL;

  if (node == NULL)
    {
      if (required)
        qs_field_errors_add (errors, field, "required", "This field is required.");
      return !required;
    }

  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (nullable)
        {
          *present = TRUE;
          return TRUE;
        }
      qs_field_errors_add (errors, field, required ? "required" : "invalid_type",
                           required ? "This field is required." : "This field must be a string.");
      return FALSE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      qs_field_errors_add (errors, field, "invalid_type", "This field must be a string.");
      return FALSE;
    }

  *out = g_strdup (json_node_get_string (node));
  *present = TRUE;
  return TRUE;
}

static char *
check_name (const char *field,
            const char *value,
            GPtrArray  *errors)
{
  g_autofree char *normalized = quorum_name_normalize (value);

  if (normalized == NULL)
    {
      qs_field_errors_add (errors, field, "invalid", "This field is not valid text.");
      return NULL;
    }
  if (*normalized == '\0')
    {
      qs_field_errors_add (errors, field, "blank", "This field cannot be empty.");
      return NULL;
    }
  if (g_utf8_strlen (normalized, -1) > QUORUM_NAME_MAX_CHARS)
    {
      qs_field_errors_add (errors, field, "too_long", "At most 80 characters.");
      return NULL;
    }
  if (!quorum_name_is_valid (normalized))
    {
      qs_field_errors_add (errors, field, "invalid", "Control characters are not allowed.");
      return NULL;
    }
  return g_steal_pointer (&normalized);
}

/* strict: the address must be valid (sign-up, invitations); otherwise any
 * address an account could have is read (sign-in, reset requests). */
static char *
check_email (const char *field,
             const char *value,
             gboolean    strict,
             GPtrArray  *errors)
{
  g_autofree char *normalized = quorum_email_normalize (value);

  if (normalized == NULL ||
      (strict ? !quorum_email_is_valid (normalized) : strlen (normalized) > QUORUM_EMAIL_MAX_BYTES))
    {
      qs_field_errors_add (errors, field, "invalid_email", "This is not a valid e-mail address.");
      return NULL;
    }
  return g_steal_pointer (&normalized);
}

static gboolean
check_password (const char *field,
                const char *value,
                GPtrArray  *errors)
{
  if (quorum_password_is_valid (value))
    return TRUE;
  if (value != NULL && strlen (value) > QUORUM_PASSWORD_MAX_BYTES)
    qs_field_errors_add (errors, field, "too_long", "At most 1024 bytes.");
  else
    qs_field_errors_add (errors, field, "too_short", "At least 10 characters.");
  return FALSE;
}

static gboolean
check_slug (const char *field,
            const char *value,
            GPtrArray  *errors)
{
  switch (quorum_slug_check (value))
    {
    case QUORUM_SLUG_OK:
      return TRUE;
    case QUORUM_SLUG_TOO_SHORT:
      qs_field_errors_add (errors, field, "too_short", "At least 3 characters.");
      return FALSE;
    case QUORUM_SLUG_TOO_LONG:
      qs_field_errors_add (errors, field, "too_long", "At most 48 characters.");
      return FALSE;
    case QUORUM_SLUG_INVALID_CHARACTER:
      qs_field_errors_add (errors, field, "invalid",
                           "Only lower-case letters a-z, digits and hyphens.");
      return FALSE;
    case QUORUM_SLUG_BAD_HYPHEN:
      qs_field_errors_add (errors, field, "invalid",
                           "No leading, trailing or double hyphen.");
      return FALSE;
    default:
      qs_field_errors_add (errors, field, "invalid", "This slug is not valid.");
      return FALSE;
    }
}

static gboolean
check_choice (const char          *field,
              const char          *value,
              const char * const  *choices,
              GPtrArray           *errors)
{
  if (value != NULL && g_strv_contains (choices, value))
    return TRUE;
  qs_field_errors_add (errors, field, "invalid_choice", "This value is not one of the allowed choices.");
  return FALSE;
}

static const char * const assignable_roles[] = { "admin", "member", NULL };
static const char * const member_statuses[] = { "active", "suspended", NULL };

#define BEGIN_PARSE                                                        \
  g_autoptr(JsonParser) parser = NULL;                                     \
  JsonObject *object = NULL;                                               \
  QsParseResult result = parse_object (data, len, &parser, &object, errors); \
  if (result != QS_PARSE_OK)                                               \
    return result;

#define END_PARSE return errors->len > 0 ? QS_PARSE_INVALID : QS_PARSE_OK;

QsParseResult
qs_parse_signup (const char *data,
                 gsize       len,
                 QsSignup   *out,
                 GPtrArray  *errors)
{
  g_autofree char *name = NULL;
  g_autofree char *email = NULL;
  g_autofree char *org_name = NULL;
  BEGIN_PARSE

  memset (out, 0, sizeof *out);
  if (get_string (object, "name", TRUE, FALSE, errors, &name, NULL))
    out->name = check_name ("name", name, errors);
  if (get_string (object, "email", TRUE, FALSE, errors, &email, NULL))
    out->email = check_email ("email", email, TRUE, errors);
  if (get_string (object, "password", TRUE, FALSE, errors, &out->password, NULL))
    check_password ("password", out->password, errors);
  if (get_string (object, "organization_name", FALSE, TRUE, errors, &org_name, NULL) && org_name != NULL)
    out->organization_name = check_name ("organization_name", org_name, errors);

  END_PARSE
}

QsParseResult
qs_parse_signin (const char *data,
                 gsize       len,
                 QsSignin   *out,
                 GPtrArray  *errors)
{
  g_autofree char *email = NULL;
  BEGIN_PARSE

  memset (out, 0, sizeof *out);
  if (get_string (object, "email", TRUE, FALSE, errors, &email, NULL))
    out->email = check_email ("email", email, FALSE, errors);
  if (get_string (object, "password", TRUE, FALSE, errors, &out->password, NULL) &&
      strlen (out->password) > QUORUM_PASSWORD_MAX_BYTES)
    qs_field_errors_add (errors, "password", "too_long", "At most 1024 bytes.");

  END_PARSE
}

QsParseResult
qs_parse_profile_patch (const char     *data,
                        gsize           len,
                        QsProfilePatch *out,
                        GPtrArray      *errors)
{
  g_autofree char *name = NULL;
  BEGIN_PARSE

  memset (out, 0, sizeof *out);
  if (get_string (object, "name", FALSE, FALSE, errors, &name, NULL) && name != NULL)
    out->name = check_name ("name", name, errors);

  END_PARSE
}

QsParseResult
qs_parse_password_change (const char       *data,
                          gsize             len,
                          QsPasswordChange *out,
                          GPtrArray        *errors)
{
  BEGIN_PARSE

  memset (out, 0, sizeof *out);
  if (get_string (object, "current_password", TRUE, FALSE, errors, &out->current_password, NULL) &&
      strlen (out->current_password) > QUORUM_PASSWORD_MAX_BYTES)
    qs_field_errors_add (errors, "current_password", "too_long", "At most 1024 bytes.");
  if (get_string (object, "new_password", TRUE, FALSE, errors, &out->new_password, NULL))
    check_password ("new_password", out->new_password, errors);

  END_PARSE
}

static void
parse_org_fields (JsonObject  *object,
                  gboolean     create,
                  QsOrgFields *out,
                  GPtrArray   *errors)
{
  g_autofree char *name = NULL;
  gboolean present = FALSE;

  memset (out, 0, sizeof *out);
  if (get_string (object, "name", create, FALSE, errors, &name, NULL) && name != NULL)
    out->name = check_name ("name", name, errors);
  if (get_string (object, "slug", FALSE, create, errors, &out->slug, NULL) && out->slug != NULL)
    check_slug ("slug", out->slug, errors);
  if (get_string (object, "logo_url", FALSE, TRUE, errors, &out->logo_url, &present))
    {
      out->has_logo_url = present;
      if (out->logo_url != NULL && !quorum_logo_url_is_valid (out->logo_url))
        qs_field_errors_add (errors, "logo_url", "invalid_url", "An http or https URL is required.");
    }
}

QsParseResult
qs_parse_org_create (const char  *data,
                     gsize        len,
                     QsOrgFields *out,
                     GPtrArray   *errors)
{
  BEGIN_PARSE
  parse_org_fields (object, TRUE, out, errors);
  END_PARSE
}

QsParseResult
qs_parse_org_patch (const char  *data,
                    gsize        len,
                    QsOrgFields *out,
                    GPtrArray   *errors)
{
  BEGIN_PARSE
  parse_org_fields (object, FALSE, out, errors);
  END_PARSE
}

QsParseResult
qs_parse_org_delete (const char  *data,
                     gsize        len,
                     QsOrgDelete *out,
                     GPtrArray   *errors)
{
  BEGIN_PARSE
  memset (out, 0, sizeof *out);
  get_string (object, "confirm_slug", TRUE, FALSE, errors, &out->confirm_slug, NULL);
  END_PARSE
}

QsParseResult
qs_parse_transfer (const char *data,
                   gsize       len,
                   QsTransfer *out,
                   GPtrArray  *errors)
{
  BEGIN_PARSE
  memset (out, 0, sizeof *out);
  get_string (object, "member_id", TRUE, FALSE, errors, &out->member_id, NULL);
  END_PARSE
}

QsParseResult
qs_parse_member_patch (const char    *data,
                       gsize          len,
                       QsMemberPatch *out,
                       GPtrArray     *errors)
{
  BEGIN_PARSE
  memset (out, 0, sizeof *out);
  if (get_string (object, "role", FALSE, FALSE, errors, &out->role, NULL) && out->role != NULL)
    check_choice ("role", out->role, assignable_roles, errors);
  if (get_string (object, "status", FALSE, FALSE, errors, &out->status, NULL) && out->status != NULL)
    check_choice ("status", out->status, member_statuses, errors);
  END_PARSE
}

QsParseResult
qs_parse_invitation_create (const char         *data,
                            gsize               len,
                            QsInvitationCreate *out,
                            GPtrArray          *errors)
{
  g_autofree char *email = NULL;
  BEGIN_PARSE
  memset (out, 0, sizeof *out);
  if (get_string (object, "email", TRUE, FALSE, errors, &email, NULL))
    out->email = check_email ("email", email, TRUE, errors);
  if (get_string (object, "role", TRUE, FALSE, errors, &out->role, NULL))
    check_choice ("role", out->role, assignable_roles, errors);
  END_PARSE
}

QsParseResult
qs_parse_invitation_setup (const char        *data,
                           gsize              len,
                           QsInvitationSetup *out,
                           GPtrArray         *errors)
{
  g_autofree char *name = NULL;
  BEGIN_PARSE
  memset (out, 0, sizeof *out);
  if (get_string (object, "name", TRUE, FALSE, errors, &name, NULL))
    out->name = check_name ("name", name, errors);
  if (get_string (object, "password", TRUE, FALSE, errors, &out->password, NULL))
    check_password ("password", out->password, errors);
  END_PARSE
}

QsParseResult
qs_parse_email_token (const char   *data,
                      gsize         len,
                      QsEmailToken *out,
                      GPtrArray    *errors)
{
  BEGIN_PARSE
  memset (out, 0, sizeof *out);
  get_string (object, "token", TRUE, FALSE, errors, &out->token, NULL);
  END_PARSE
}

QsParseResult
qs_parse_reset_request (const char     *data,
                        gsize           len,
                        QsResetRequest *out,
                        GPtrArray      *errors)
{
  g_autofree char *email = NULL;
  BEGIN_PARSE
  memset (out, 0, sizeof *out);
  if (get_string (object, "email", TRUE, FALSE, errors, &email, NULL))
    out->email = check_email ("email", email, FALSE, errors);
  END_PARSE
}

QsParseResult
qs_parse_reset_confirm (const char     *data,
                        gsize           len,
                        QsResetConfirm *out,
                        GPtrArray      *errors)
{
  BEGIN_PARSE
  memset (out, 0, sizeof *out);
  get_string (object, "token", TRUE, FALSE, errors, &out->token, NULL);
  if (get_string (object, "password", TRUE, FALSE, errors, &out->password, NULL))
    check_password ("password", out->password, errors);
  END_PARSE
}

QsParseResult
qs_parse_reset_form (const char     *data,
                     gsize           len,
                     QsResetConfirm *out,
                     GPtrArray      *errors)
{
  g_autoptr(GHashTable) params = NULL;
  const char *password;
  const char *confirm;

  memset (out, 0, sizeof *out);
  if (data == NULL || len > G_MAXSSIZE)
    return QS_PARSE_MALFORMED;
  params = g_uri_parse_params (data, (gssize) len, "&", G_URI_PARAMS_WWW_FORM, NULL);
  if (params == NULL)
    return QS_PARSE_MALFORMED;

  password = g_hash_table_lookup (params, "password");
  confirm = g_hash_table_lookup (params, "password_confirm");
  if (password == NULL || !g_utf8_validate (password, -1, NULL))
    qs_field_errors_add (errors, "password", "required", "This field is required.");
  else if (check_password ("password", password, errors))
    {
      if (g_strcmp0 (password, confirm) != 0)
        qs_field_errors_add (errors, "password_confirm", "mismatch", "The two passwords differ.");
      else
        out->password = g_strdup (password);
    }
  /* The table holds the passwords: wipe them before it goes. */
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, params);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      memset (value, 0, strlen (value));
  }
  END_PARSE
}

gboolean
qs_email_token_is_well_formed (const char *token,
                               const char *prefix)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  gsize prefix_len = strlen (prefix);

  return token != NULL && g_str_has_prefix (token, prefix) &&
         strlen (token) == prefix_len + 43 && strspn (token + prefix_len, alphabet) == 43;
}

static void
free_secret (char **secret)
{
  if (*secret != NULL)
    {
      memset (*secret, 0, strlen (*secret));
      g_clear_pointer (secret, g_free);
    }
}

void
qs_signup_clear (QsSignup *s)
{
  g_clear_pointer (&s->name, g_free);
  g_clear_pointer (&s->email, g_free);
  free_secret (&s->password);
  g_clear_pointer (&s->organization_name, g_free);
}

void
qs_signin_clear (QsSignin *s)
{
  g_clear_pointer (&s->email, g_free);
  free_secret (&s->password);
}

void
qs_profile_patch_clear (QsProfilePatch *s)
{
  g_clear_pointer (&s->name, g_free);
}

void
qs_password_change_clear (QsPasswordChange *s)
{
  free_secret (&s->current_password);
  free_secret (&s->new_password);
}

void
qs_org_fields_clear (QsOrgFields *s)
{
  g_clear_pointer (&s->name, g_free);
  g_clear_pointer (&s->slug, g_free);
  g_clear_pointer (&s->logo_url, g_free);
}

void
qs_org_delete_clear (QsOrgDelete *s)
{
  g_clear_pointer (&s->confirm_slug, g_free);
}

void
qs_transfer_clear (QsTransfer *s)
{
  g_clear_pointer (&s->member_id, g_free);
}

void
qs_member_patch_clear (QsMemberPatch *s)
{
  g_clear_pointer (&s->role, g_free);
  g_clear_pointer (&s->status, g_free);
}

void
qs_invitation_create_clear (QsInvitationCreate *s)
{
  g_clear_pointer (&s->email, g_free);
  g_clear_pointer (&s->role, g_free);
}

void
qs_invitation_setup_clear (QsInvitationSetup *s)
{
  g_clear_pointer (&s->name, g_free);
  free_secret (&s->password);
}

void
qs_email_token_clear (QsEmailToken *s)
{
  free_secret (&s->token);
}

void
qs_reset_request_clear (QsResetRequest *s)
{
  g_clear_pointer (&s->email, g_free);
}

void
qs_reset_confirm_clear (QsResetConfirm *s)
{
  free_secret (&s->token);
  free_secret (&s->password);
}

/* Cursor: base64url of "<rank>\n<sort name>\n<member id>". Names never hold
 * control characters, so the newline separates safely. */
char *
qs_cursor_encode (gint64      rank,
                  const char *sort_name,
                  const char *id)
{
  g_autofree char *raw = g_strdup_printf ("%" G_GINT64_FORMAT "\n%s\n%s", rank, sort_name, id);

  return qs_base64url_encode ((const guint8 *) raw, strlen (raw));
}

gboolean
qs_cursor_decode (const char  *cursor,
                  gint64      *rank,
                  char       **sort_name,
                  char       **id)
{
  g_autofree guint8 *raw = NULL;
  g_auto(GStrv) parts = NULL;
  gsize len = 0;

  if (cursor == NULL || strlen (cursor) > 1024)
    return FALSE;
  raw = qs_base64url_decode (cursor, &len);
  if (raw == NULL || !g_utf8_validate ((const char *) raw, len, NULL))
    return FALSE;
  parts = g_strsplit ((const char *) raw, "\n", 3);
  if (g_strv_length (parts) != 3)
    return FALSE;
  if (g_strcmp0 (parts[0], "0") != 0 && g_strcmp0 (parts[0], "1") != 0)
    return FALSE;
  if (!g_str_has_prefix (parts[2], "mem_") || strlen (parts[2]) > 64)
    return FALSE;
  *rank = parts[0][0] - '0';
  *sort_name = g_strdup (parts[1]);
  *id = g_strdup (parts[2]);
  return TRUE;
}

char *
qs_invitation_cursor_encode (gint64      created_at,
                             const char *id)
{
  g_autofree char *raw = g_strdup_printf ("%" G_GINT64_FORMAT "\n%s", created_at, id);

  return qs_base64url_encode ((const guint8 *) raw, strlen (raw));
}

gboolean
qs_invitation_cursor_decode (const char  *cursor,
                             gint64      *created_at,
                             char       **id)
{
  g_autofree guint8 *raw = NULL;
  g_auto(GStrv) parts = NULL;
  gsize len = 0;
  gint64 value;

  if (cursor == NULL || strlen (cursor) > 256)
    return FALSE;
  raw = qs_base64url_decode (cursor, &len);
  if (raw == NULL || !g_utf8_validate ((const char *) raw, len, NULL))
    return FALSE;
  parts = g_strsplit ((const char *) raw, "\n", 2);
  if (g_strv_length (parts) != 2 || !g_str_has_prefix (parts[1], "inv_") || strlen (parts[1]) > 64 ||
      !g_ascii_string_to_signed (parts[0], 10, 0, G_MAXINT64, &value, NULL))
    return FALSE;
  *created_at = value;
  *id = g_strdup (parts[1]);
  return TRUE;
}

static guint
be16 (const guint8 *p)
{
  return ((guint) p[0] << 8) | p[1];
}

static guint32
be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static gboolean
jpeg_dimensions (const guint8 *data,
                 gsize         len,
                 guint        *width,
                 guint        *height)
{
  gsize pos = 2;

  while (pos + 4 <= len)
    {
      guint8 marker;
      guint seg_len;

      if (data[pos] != 0xFF)
        return FALSE;
      while (pos < len && data[pos] == 0xFF)
        pos++;
      if (pos >= len)
        return FALSE;
      marker = data[pos++];
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
        continue;
      if (marker == 0xD9 || marker == 0xDA || pos + 2 > len)
        return FALSE;
      seg_len = be16 (data + pos);
      if (seg_len < 2)
        return FALSE;
      if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC)
        {
          if (pos + 7 > len || seg_len < 7)
            return FALSE;
          *height = be16 (data + pos + 3);
          *width = be16 (data + pos + 5);
          return TRUE;
        }
      pos += seg_len;
    }
  return FALSE;
}

const char *
qs_sniff_logo (const guint8 *data,
               gsize         len,
               guint        *width,
               guint        *height)
{
  static const guint8 png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };

  *width = 0;
  *height = 0;
  if (data == NULL)
    return NULL;

  if (len >= 24 && memcmp (data, png_signature, 8) == 0 && memcmp (data + 12, "IHDR", 4) == 0)
    {
      guint32 w = be32 (data + 16);
      guint32 h = be32 (data + 20);

      if (w > G_MAXINT || h > G_MAXINT)
        return NULL;
      *width = w;
      *height = h;
      return "image/png";
    }

  if (len >= 4 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
    return jpeg_dimensions (data, len, width, height) ? "image/jpeg" : NULL;

  /* SVG: UTF-8 text that starts with markup and has an <svg element early on. */
  if (len > 0 && g_utf8_validate ((const char *) data, len, NULL))
    {
      gsize head = MIN (len, 4096);
      gsize i = 0;

      if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
        i = 3;
      while (i < head && g_ascii_isspace (data[i]))
        i++;
      if (i < head && data[i] == '<' &&
          g_strstr_len ((const char *) data + i, head - i, "<svg") != NULL)
        return "image/svg+xml";
    }

  return NULL;
}
