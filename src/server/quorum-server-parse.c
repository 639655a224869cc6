/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>
#include <zlib.h>

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
 * stays alive while the caller reads it. quorum_json_check () runs first:
 * json-glib recurses per nesting level and cuts strings at "\u0000". */
static QsParseResult
parse_object (const char   *data,
              gsize         len,
              JsonParser  **out_parser,
              JsonObject  **out_object,
              GPtrArray    *errors)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  *out_parser = NULL;
  *out_object = NULL;

  if (!quorum_json_check (data, len, QUORUM_JSON_MAX_DEPTH, &error))
    {
      if (g_error_matches (error, QUORUM_JSON_GUARD_ERROR, QUORUM_JSON_GUARD_ERROR_TOO_DEEP))
        return QS_PARSE_TOO_DEEP;
      if (g_error_matches (error, QUORUM_JSON_GUARD_ERROR, QUORUM_JSON_GUARD_ERROR_NUL_ESCAPE))
        {
          qs_field_errors_add (errors, "body", "invalid_characters",
                               "Text may not hold the character U+0000.");
          return QS_PARSE_INVALID;
        }
      return QS_PARSE_MALFORMED;
    }

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

/* A name member, normalized; NULL when absent, null or refused. */
static char *
read_name (JsonObject *object,
           const char *field,
           gboolean    required,
           gboolean    nullable,
           GPtrArray  *errors)
{
  g_autofree char *value = NULL;

  if (!get_string (object, field, required, nullable, errors, &value, NULL) || value == NULL)
    return NULL;
  switch (quorum_name_check (value))
    {
    case QUORUM_NAME_OK:
      return quorum_name_normalize (value);
    case QUORUM_NAME_BLANK:
      qs_field_errors_add (errors, field, "blank", "This field cannot be empty.");
      return NULL;
    case QUORUM_NAME_TOO_LONG:
      qs_field_errors_add (errors, field, "too_long", "At most 80 characters.");
      return NULL;
    case QUORUM_NAME_INVALID_CHARACTERS:
      qs_field_errors_add (errors, field, "invalid_characters",
                           "Control characters, line separators and bidirectional "
                           "formatting characters are not allowed.");
      return NULL;
    case QUORUM_NAME_INVALID_UTF8:
    default:
      qs_field_errors_add (errors, field, "invalid", "This field is not valid text.");
      return NULL;
    }
}

/* strict: the address must be valid (sign-up, invitations); otherwise any
 * address an account could have is read (sign-in, reset requests). */
static char *
read_email (JsonObject *object,
            const char *field,
            gboolean    strict,
            GPtrArray  *errors)
{
  g_autofree char *value = NULL;
  g_autofree char *normalized = NULL;

  if (!get_string (object, field, TRUE, FALSE, errors, &value, NULL))
    return NULL;
  normalized = quorum_email_normalize (value);
  if (normalized == NULL ||
      (strict ? !quorum_email_is_valid (normalized) : strlen (normalized) > QUORUM_EMAIL_MAX_BYTES))
    {
      qs_field_errors_add (errors, field, "invalid_email", "This is not a valid e-mail address.");
      return NULL;
    }
  return g_steal_pointer (&normalized);
}

/* Only the length: for a password that is checked, not chosen. */
static gboolean
check_password_length (const char *field,
                       const char *value,
                       GPtrArray  *errors)
{
  if (strlen (value) <= QUORUM_PASSWORD_MAX_BYTES)
    return TRUE;
  qs_field_errors_add (errors, field, "too_long", "At most 1024 bytes.");
  return FALSE;
}

static gboolean
check_password (const char *field,
                const char *value,
                GPtrArray  *errors)
{
  if (quorum_password_is_valid (value))
    return TRUE;
  if (value == NULL || check_password_length (field, value, errors))
    qs_field_errors_add (errors, field, "too_short", "At least 10 characters.");
  return FALSE;
}

/* chosen: a new password, which must be valid; otherwise only its length
 * is checked. */
static void
read_password (JsonObject  *object,
               const char  *field,
               gboolean     chosen,
               char       **out,
               GPtrArray   *errors)
{
  if (get_string (object, field, TRUE, FALSE, errors, out, NULL))
    (chosen ? check_password : check_password_length) (field, *out, errors);
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

static gboolean
check_assignable_role (const char *field,
                       const char *value,
                       GPtrArray  *errors)
{
  if (quorum_role_is_assignable (quorum_role_from_string (value)))
    return TRUE;
  qs_field_errors_add (errors, field, "invalid_choice", "This value is not one of the allowed choices.");
  return FALSE;
}

static const char * const member_statuses[] = { "active", "suspended", NULL };

/* out is cleared first, so the caller may clear it whatever the result. */
#define BEGIN_PARSE                                                        \
  g_autoptr(JsonParser) parser = NULL;                                     \
  JsonObject *object = NULL;                                               \
  QsParseResult result;                                                    \
  memset (out, 0, sizeof *out);                                            \
  result = parse_object (data, len, &parser, &object, errors);             \
  if (result != QS_PARSE_OK)                                               \
    return result;

#define END_PARSE return errors->len > 0 ? QS_PARSE_INVALID : QS_PARSE_OK;

QsParseResult
qs_parse_signup (const char *data,
                 gsize       len,
                 QsSignup   *out,
                 GPtrArray  *errors)
{
  BEGIN_PARSE

  out->name = read_name (object, "name", TRUE, FALSE, errors);
  out->email = read_email (object, "email", TRUE, errors);
  read_password (object, "password", TRUE, &out->password, errors);
  out->organization_name = read_name (object, "organization_name", FALSE, TRUE, errors);

  END_PARSE
}

QsParseResult
qs_parse_signin (const char *data,
                 gsize       len,
                 QsSignin   *out,
                 GPtrArray  *errors)
{
  BEGIN_PARSE

  out->email = read_email (object, "email", FALSE, errors);
  read_password (object, "password", FALSE, &out->password, errors);

  END_PARSE
}

QsParseResult
qs_parse_profile_patch (const char     *data,
                        gsize           len,
                        QsProfilePatch *out,
                        GPtrArray      *errors)
{
  BEGIN_PARSE

  out->name = read_name (object, "name", FALSE, FALSE, errors);

  END_PARSE
}

QsParseResult
qs_parse_password_change (const char       *data,
                          gsize             len,
                          QsPasswordChange *out,
                          GPtrArray        *errors)
{
  BEGIN_PARSE

  read_password (object, "current_password", FALSE, &out->current_password, errors);
  read_password (object, "new_password", TRUE, &out->new_password, errors);

  END_PARSE
}

static void
parse_org_fields (JsonObject  *object,
                  gboolean     create,
                  QsOrgFields *out,
                  GPtrArray   *errors)
{
  gboolean present = FALSE;

  out->name = read_name (object, "name", create, FALSE, errors);
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
  if (get_string (object, "role", FALSE, FALSE, errors, &out->role, NULL) && out->role != NULL)
    check_assignable_role ("role", out->role, errors);
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
  BEGIN_PARSE
  out->email = read_email (object, "email", TRUE, errors);
  if (get_string (object, "role", TRUE, FALSE, errors, &out->role, NULL))
    check_assignable_role ("role", out->role, errors);
  END_PARSE
}

/* Reads a whole-number member within min..max. Absent → *present FALSE
 * (error if required); null → present and *is_null when nullable; a
 * fraction, a string or anything else → invalid_type; out of range →
 * out_of_range. */
static gboolean
get_integer (JsonObject  *object,
             const char  *field,
             gboolean     required,
             gboolean     nullable,
             gint64       min,
             gint64       max,
             GPtrArray   *errors,
             gint64      *out,
             gboolean    *present,
             gboolean    *is_null)
{
  JsonNode *node = json_object_get_member (object, field);
  gint64 value;

  *out = 0;
  *present = FALSE;
  *is_null = FALSE;
  if (node == NULL)
    {
      if (required)
        qs_field_errors_add (errors, field, "required", "This field is required.");
      return !required;
    }
  if (JSON_NODE_HOLDS_NULL (node) && nullable)
    {
      *present = TRUE;
      *is_null = TRUE;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      qs_field_errors_add (errors, field, "invalid_type", "This field must be a whole number.");
      return FALSE;
    }
  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      g_autofree char *message = g_strdup_printf ("A whole number from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT ".",
                                                  min, max);

      qs_field_errors_add (errors, field, "out_of_range", message);
      return FALSE;
    }
  *out = value;
  *present = TRUE;
  return TRUE;
}

QsParseResult
qs_parse_billing_patch (const char     *data,
                        gsize           len,
                        QsBillingPatch *out,
                        GPtrArray      *errors)
{
  BEGIN_PARSE
  get_integer (object, "low_balance_alert_cents", FALSE, TRUE, 0, QS_MONEY_MAX_CENTS, errors,
               &out->low_balance_alert_cents, &out->has_alert_field, &out->alert_off);
  END_PARSE
}

QsParseResult
qs_parse_plan_change (const char   *data,
                      gsize         len,
                      QsPlanChange *out,
                      GPtrArray    *errors)
{
  BEGIN_PARSE
  if (get_string (object, "plan_id", TRUE, FALSE, errors, &out->plan_id, NULL) &&
      (*out->plan_id == '\0' || strlen (out->plan_id) > 64))
    qs_field_errors_add (errors, "plan_id", "not_found", "No such plan.");
  END_PARSE
}

QsParseResult
qs_parse_top_up (const char *data,
                 gsize       len,
                 QsTopUp    *out,
                 GPtrArray  *errors)
{
  gboolean present, is_null;

  BEGIN_PARSE
  get_integer (object, "amount_cents", TRUE, FALSE, QS_TOP_UP_MIN_CENTS, QS_TOP_UP_MAX_CENTS, errors,
               &out->amount_cents, &present, &is_null);
  END_PARSE
}

gboolean
qs_parse_timestamp (const char *text,
                    gint64     *out)
{
  g_autoptr(GDateTime) time = NULL;

  /* No default zone: a time without "Z" or an offset is refused. */
  if (text == NULL || strlen (text) > 64 || (time = g_date_time_new_from_iso8601 (text, NULL)) == NULL)
    return FALSE;
  *out = g_date_time_to_unix (time);
  return TRUE;
}

/* scopes: 1 to QUORUM_N_SCOPES names, each once (anything longer cannot be
 * without repeating one, so a hostile list stops at the first extra). */
static guint
read_scopes (JsonObject *object,
             const char *field,
             GPtrArray  *errors)
{
  JsonNode *node = json_object_get_member (object, field);
  JsonArray *array;
  guint scopes = 0;
  guint n;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      qs_field_errors_add (errors, field, "required", "This field is required.");
      return 0;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      qs_field_errors_add (errors, field, "invalid_type", "This field must be a list of scopes.");
      return 0;
    }
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n == 0)
    {
      qs_field_errors_add (errors, field, "too_short", "Choose at least one scope.");
      return 0;
    }
  if (n > QUORUM_N_SCOPES)
    {
      qs_field_errors_add (errors, field, "too_long", "At most one of each scope.");
      return 0;
    }
  for (guint i = 0; i < n; i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      g_autofree char *item_field = g_strdup_printf ("%s[%u]", field, i);
      QuorumScope scope;

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        {
          qs_field_errors_add (errors, item_field, "invalid_type", "A scope is a string.");
          return 0;
        }
      scope = quorum_scope_from_string (json_node_get_string (item));
      if (scope == QUORUM_SCOPE_NONE)
        {
          qs_field_errors_add (errors, item_field, "invalid_choice", "This is not a scope.");
          return 0;
        }
      if (scopes & scope)
        {
          qs_field_errors_add (errors, item_field, "invalid", "This scope is listed twice.");
          return 0;
        }
      scopes |= scope;
    }
  return scopes;
}

QsParseResult
qs_parse_api_key_create (const char     *data,
                         gsize           len,
                         QsApiKeyCreate *out,
                         GPtrArray      *errors)
{
  g_autofree char *expires = NULL;

  BEGIN_PARSE
  out->name = read_name (object, "name", TRUE, FALSE, errors);
  out->scopes = read_scopes (object, "scopes", errors);
  if (get_string (object, "expires_at", FALSE, TRUE, errors, &expires, NULL) && expires != NULL)
    {
      if (qs_parse_timestamp (expires, &out->expires_at))
        out->has_expires_at = TRUE;
      else
        qs_field_errors_add (errors, "expires_at", "invalid", "An RFC 3339 time such as 2027-01-31T12:00:00Z.");
    }
  END_PARSE
}

void
qs_api_key_create_clear (QsApiKeyCreate *s)
{
  g_clear_pointer (&s->name, g_free);
}

QsParseResult
qs_parse_api_key_rotate (const char     *data,
                         gsize           len,
                         QsApiKeyRotate *out,
                         GPtrArray      *errors)
{
  gboolean present, is_null;

  BEGIN_PARSE
  get_integer (object, "old_expires_in_seconds", TRUE, FALSE, 0, QS_API_KEY_MAX_GRACE_SECONDS, errors,
               &out->old_expires_in_seconds, &present, &is_null);
  END_PARSE
}

/* ---------------------------------------------------------------- webhooks */

const char * const qs_webhook_event_types[] = {
  "member.added", "member.removed", "member.updated", "invitation.created", "invitation.accepted",
  "organization.updated", "api_key.created", "api_key.revoked", "billing.low_balance", NULL,
};

/* events: a non-empty array of distinct EventType names, at most one of each
 * (so at most as many as there are types: a longer list is refused before
 * its items are looked at). */
static char **
read_events (JsonObject *object,
             gboolean    required,
             GPtrArray  *errors)
{
  JsonNode *node = json_object_get_member (object, "events");
  g_autoptr(GPtrArray) out = NULL;
  JsonArray *array;
  guint n;

  if (node == NULL)
    {
      if (required)
        qs_field_errors_add (errors, "events", "required", "This field is required.");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      qs_field_errors_add (errors, "events", "invalid_type", "This field must be a list of event types.");
      return NULL;
    }
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n == 0)
    {
      qs_field_errors_add (errors, "events", "too_short", "Choose at least one event.");
      return NULL;
    }
  if (n > g_strv_length ((char **) qs_webhook_event_types))
    {
      qs_field_errors_add (errors, "events", "too_long", "Each event type at most once.");
      return NULL;
    }
  out = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      const char *name;

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        {
          qs_field_errors_add (errors, "events", "invalid_type", "This field must be a list of event types.");
          return NULL;
        }
      name = json_node_get_string (item);
      if (!g_strv_contains (qs_webhook_event_types, name))
        {
          qs_field_errors_add (errors, "events", "invalid_choice", "This value is not one of the allowed choices.");
          return NULL;
        }
      for (guint j = 0; j < out->len; j++)
        if (strcmp (g_ptr_array_index (out, j), name) == 0)
          {
            qs_field_errors_add (errors, "events", "invalid", "Each event type at most once.");
            return NULL;
          }
      g_ptr_array_add (out, g_strdup (name));
    }
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

static void
parse_webhook_fields (JsonObject      *object,
                      gboolean         create,
                      QsWebhookFields *out,
                      GPtrArray       *errors)
{
  JsonNode *enabled = json_object_get_member (object, "enabled");

  /* The URL's rules (https, addresses) are the handler's: they depend on
   * the server's options and on a resolver. */
  get_string (object, "url", create, FALSE, errors, &out->url, NULL);
  out->events = read_events (object, create, errors);
  if (enabled != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (enabled) || json_node_get_value_type (enabled) != G_TYPE_BOOLEAN)
        qs_field_errors_add (errors, "enabled", "invalid_type", "This field must be true or false.");
      else
        {
          out->has_enabled = TRUE;
          out->enabled = json_node_get_boolean (enabled);
        }
    }
  if (get_string (object, "description", FALSE, FALSE, errors, &out->description, NULL) &&
      out->description != NULL)
    {
      if (!g_utf8_validate (out->description, -1, NULL) ||
          g_utf8_strlen (out->description, -1) > QS_WEBHOOK_DESCRIPTION_MAX)
        qs_field_errors_add (errors, "description", "too_long", "At most 200 characters.");
      else if (!quorum_text_is_safe (out->description))
        qs_field_errors_add (errors, "description", "invalid_characters",
                             "Control characters, line separators and bidirectional "
                             "formatting characters are not allowed.");
    }
}

QsParseResult
qs_parse_webhook_create (const char      *data,
                         gsize            len,
                         QsWebhookFields *out,
                         GPtrArray       *errors)
{
  BEGIN_PARSE
  parse_webhook_fields (object, TRUE, out, errors);
  END_PARSE
}

QsParseResult
qs_parse_webhook_patch (const char      *data,
                        gsize            len,
                        QsWebhookFields *out,
                        GPtrArray       *errors)
{
  BEGIN_PARSE
  parse_webhook_fields (object, FALSE, out, errors);
  END_PARSE
}

void
qs_webhook_fields_clear (QsWebhookFields *s)
{
  g_clear_pointer (&s->url, g_free);
  g_clear_pointer (&s->events, g_strfreev);
  g_clear_pointer (&s->description, g_free);
}

void
qs_plan_change_clear (QsPlanChange *s)
{
  g_clear_pointer (&s->plan_id, g_free);
}

QsParseResult
qs_parse_invitation_setup (const char        *data,
                           gsize              len,
                           QsInvitationSetup *out,
                           GPtrArray         *errors)
{
  BEGIN_PARSE
  out->name = read_name (object, "name", TRUE, FALSE, errors);
  read_password (object, "password", TRUE, &out->password, errors);
  END_PARSE
}

QsParseResult
qs_parse_email_token (const char   *data,
                      gsize         len,
                      QsEmailToken *out,
                      GPtrArray    *errors)
{
  BEGIN_PARSE
  get_string (object, "token", TRUE, FALSE, errors, &out->token, NULL);
  END_PARSE
}

QsParseResult
qs_parse_reset_request (const char     *data,
                        gsize           len,
                        QsResetRequest *out,
                        GPtrArray      *errors)
{
  BEGIN_PARSE
  out->email = read_email (object, "email", FALSE, errors);
  END_PARSE
}

QsParseResult
qs_parse_reset_confirm (const char     *data,
                        gsize           len,
                        QsResetConfirm *out,
                        GPtrArray      *errors)
{
  BEGIN_PARSE
  get_string (object, "token", TRUE, FALSE, errors, &out->token, NULL);
  read_password (object, "password", TRUE, &out->password, errors);
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

/* The n_parts lines of a cursor of at most max_len characters, or NULL. */
static GStrv
cursor_split (const char *cursor,
              gsize       max_len,
              guint       n_parts)
{
  g_autofree guint8 *raw = NULL;
  g_auto(GStrv) parts = NULL;
  gsize len = 0;

  if (cursor == NULL || strlen (cursor) > max_len)
    return NULL;
  raw = qs_base64url_decode (cursor, &len);
  if (raw == NULL || !g_utf8_validate ((const char *) raw, len, NULL))
    return NULL;
  parts = g_strsplit ((const char *) raw, "\n", n_parts);
  return g_strv_length (parts) == n_parts ? g_steal_pointer (&parts) : NULL;
}

gboolean
qs_cursor_decode (const char  *cursor,
                  gint64      *rank,
                  char       **sort_name,
                  char       **id)
{
  g_auto(GStrv) parts = cursor_split (cursor, 1024, 3);

  if (parts == NULL)
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
qs_active_cursor_encode (gint64      last_active,
                         const char *sort_name,
                         const char *id)
{
  g_autofree char *raw = g_strdup_printf ("a\n%" G_GINT64_FORMAT "\n%s\n%s", last_active, sort_name, id);

  return qs_base64url_encode ((const guint8 *) raw, strlen (raw));
}

gboolean
qs_active_cursor_decode (const char  *cursor,
                         gint64      *last_active,
                         char       **sort_name,
                         char       **id)
{
  g_auto(GStrv) parts = cursor_split (cursor, 1024, 4);
  gint64 value;

  if (parts == NULL || g_strcmp0 (parts[0], "a") != 0 ||
      !g_ascii_string_to_signed (parts[1], 10, 0, G_MAXINT64, &value, NULL) ||
      !g_str_has_prefix (parts[3], "mem_") || strlen (parts[3]) > 64)
    return FALSE;
  *last_active = value;
  *sort_name = g_strdup (parts[2]);
  *id = g_strdup (parts[3]);
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
  g_auto(GStrv) parts = cursor_split (cursor, 256, 2);
  gint64 value;

  if (parts == NULL || !g_str_has_prefix (parts[1], "inv_") || strlen (parts[1]) > 64 ||
      !g_ascii_string_to_signed (parts[0], 10, 0, G_MAXINT64, &value, NULL))
    return FALSE;
  *created_at = value;
  *id = g_strdup (parts[1]);
  return TRUE;
}

char *
qs_key_cursor_encode (gint64      value,
                      const char *key)
{
  return qs_invitation_cursor_encode (value, key);
}

gboolean
qs_key_cursor_decode (const char  *cursor,
                      const char  *prefix,
                      gint64      *value,
                      char       **key)
{
  g_auto(GStrv) parts = cursor_split (cursor, 256, 2);
  gint64 number;

  if (parts == NULL || !g_str_has_prefix (parts[1], prefix) || strlen (parts[1]) > 64 ||
      !g_ascii_string_to_signed (parts[0], 10, 0, G_MAXINT64, &number, NULL))
    return FALSE;
  *value = number;
  *key = g_strdup (parts[1]);
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

/* Walks a JPEG's markers from its SOI. TRUE with the first frame's size
 * when a SOF marker comes before any scan. With complete, it goes on through
 * the scans (entropy-coded data up to a marker that is not a stuffed zero, a
 * restart marker or fill) and says whether the file reaches its EOI. */
static gboolean
jpeg_walk (const guint8 *data,
           gsize         len,
           guint        *width,
           guint        *height,
           gboolean     *complete)
{
  gboolean have_size = FALSE;
  gsize pos = 2;

  if (complete != NULL)
    *complete = FALSE;
  while (pos + 2 <= len)
    {
      guint8 marker;
      guint seg_len;

      if (data[pos] != 0xFF)
        break;
      while (pos < len && data[pos] == 0xFF)
        pos++;
      if (pos >= len)
        break;
      marker = data[pos++];
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
        continue;
      if (marker == 0xD9)
        {
          if (complete != NULL)
            *complete = have_size;
          break;
        }
      if (pos + 2 > len || (seg_len = be16 (data + pos)) < 2)
        break;
      if (!have_size && marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
          marker != 0xCC)
        {
          if (pos + 7 > len || seg_len < 7)
            break;
          *height = be16 (data + pos + 3);
          *width = be16 (data + pos + 5);
          have_size = TRUE;
          if (complete == NULL)
            break;
        }
      if (marker == 0xDA && !have_size)
        break;
      pos += seg_len;
      if (marker == 0xDA)
        {
          while (pos + 1 < len &&
                 !(data[pos] == 0xFF && data[pos + 1] != 0x00 && data[pos + 1] != 0xFF &&
                   !(data[pos + 1] >= 0xD0 && data[pos + 1] <= 0xD7)))
            pos++;
          if (pos + 1 >= len)
            break;
        }
    }
  return have_size;
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
    return jpeg_walk (data, len, width, height, NULL) ? "image/jpeg" : NULL;

  return NULL;
}

/* PNG: the chunks up to IEND are whole, and the image data (the IDAT chunks
 * together) is one complete zlib stream that inflates to exactly the bytes
 * the header's size, colour type, bit depth and interlacing call for, and
 * IEND closes the file. The
 * incremental decoder does not notice an image cut short; this does, and
 * stops inflating as soon as there is more than the header allows. */
static gboolean
png_is_complete (const guint8 *data,
                 gsize         len)
{
  static const guint adam7[7][4] = {  /* x0, dx, y0, dy */
    { 0, 8, 0, 8 }, { 4, 8, 0, 8 }, { 0, 4, 4, 8 }, { 2, 4, 0, 4 },
    { 0, 2, 2, 4 }, { 1, 2, 0, 2 }, { 0, 1, 1, 2 },
  };
  guint8 out[16 * 1024];
  z_stream z = { 0 };
  guint64 expected = 0;
  guint32 width, height;
  guint depth, colour, channels, interlace;
  gboolean ended = FALSE;
  gboolean iend = FALSE;
  gsize pos = 8;

  if (len < 33 || be32 (data + 8) != 13)
    return FALSE;
  width = be32 (data + 16);
  height = be32 (data + 20);
  depth = data[24];
  colour = data[25];
  interlace = data[28];
  switch (colour)
    {
    case 0: channels = 1; break;
    case 2: channels = 3; break;
    case 3: channels = 1; break;
    case 4: channels = 2; break;
    case 6: channels = 4; break;
    default: return FALSE;
    }
  if ((depth != 1 && depth != 2 && depth != 4 && depth != 8 && depth != 16) || interlace > 1 ||
      width == 0 || height == 0 || width > 65535 || height > 65535)
    return FALSE;

  for (guint pass = 0; pass < (interlace ? 7u : 1u); pass++)
    {
      guint x0 = interlace ? adam7[pass][0] : 0, dx = interlace ? adam7[pass][1] : 1;
      guint y0 = interlace ? adam7[pass][2] : 0, dy = interlace ? adam7[pass][3] : 1;
      guint64 w = width > x0 ? (width - x0 + dx - 1) / dx : 0;
      guint64 h = height > y0 ? (height - y0 + dy - 1) / dy : 0;

      if (w > 0 && h > 0)
        expected += h * (1 + (w * channels * depth + 7) / 8);
    }

  if (inflateInit (&z) != Z_OK)
    return FALSE;
  while (pos + 12 <= len)
    {
      guint32 chunk_len = be32 (data + pos);
      const guint8 *type = data + pos + 4;

      if (chunk_len > len - pos - 12)
        break;  /* cut short */
      if (memcmp (type, "IEND", 4) == 0)
        {
          iend = TRUE;
          break;
        }
      if (memcmp (type, "IDAT", 4) == 0)
        {
          z.next_in = (Bytef *) (data + pos + 8);
          z.avail_in = chunk_len;
          while (z.avail_in > 0 && !ended && z.total_out <= expected)
            {
              int ret;

              z.next_out = out;
              z.avail_out = sizeof out;
              ret = inflate (&z, Z_NO_FLUSH);
              if (ret == Z_STREAM_END)
                ended = TRUE;
              else if (ret != Z_OK || z.total_out > expected)
                {
                  inflateEnd (&z);
                  return FALSE;
                }
            }
        }
      pos += 12 + (gsize) chunk_len;
    }
  ended = ended && iend && z.total_out == expected;
  inflateEnd (&z);
  return ended;
}

gboolean
qs_logo_is_complete (const guint8 *data,
                     gsize         len,
                     const char   *type)
{
  if (data == NULL)
    return FALSE;
  if (g_strcmp0 (type, "image/png") == 0)
    return png_is_complete (data, len);
  if (g_strcmp0 (type, "image/jpeg") == 0)
    {
      guint width, height;
      gboolean complete;

      jpeg_walk (data, len, &width, &height, &complete);
      return complete;
    }
  return FALSE;
}
