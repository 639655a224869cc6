/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-api-private.h"
#include "quorum-audit-event.h"
#include "quorum-validate.h"

/* One change recorded in the organization's audit log
 * (GET .../audit-events): who (a user or an API key, named as at the time),
 * what (the action, kept as sent: clients show unknown actions as they are),
 * to what (the target, named as at the time) and when. A server may add
 * details ("role": "admin") in an optional "data" object: its string
 * members are kept, anything else in it is ignored. An update says what
 * changed in "changes" ({field: {"from", "to"}}): strings, booleans, null
 * and lists of strings are kept as text; a change of any other shape is
 * left out, as extra. */
struct _QuorumAuditEvent
{
  GObject parent_instance;

  char       *id;
  char       *actor_id;
  char       *actor_name;
  char       *actor_kind;
  char       *action;
  char       *target_type;
  char       *target_id;
  char       *target_name;
  GHashTable *details;
  GHashTable *changes;     /* field → Change */
  GDateTime  *created_at;
};

typedef struct
{
  char *from;   /* NULL: none (null) */
  char *to;
} Change;

static void
change_free (Change *change)
{
  g_free (change->from);
  g_free (change->to);
  g_free (change);
}

G_DEFINE_FINAL_TYPE (QuorumAuditEvent, quorum_audit_event, G_TYPE_OBJECT)

#define MAX_WORD_BYTES 64
/* A target's label is a name, an address or, for webhooks, the URL (at
 * most QUORUM_URL_MAX_BYTES on the server): the largest of them. */
#define MAX_TARGET_NAME_BYTES MAX (QUORUM_MAX_NAME_BYTES, QUORUM_URL_MAX_BYTES)
#define MAX_DETAILS 16
#define MAX_CHANGES 16
/* A list value (a webhook's events): at most this many items. */
#define MAX_CHANGE_ITEMS 32

enum {
  PROP_0,
  PROP_ID,
  PROP_ACTOR_NAME,
  PROP_ACTION,
  PROP_TARGET_NAME,
  PROP_CREATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
quorum_audit_event_finalize (GObject *object)
{
  QuorumAuditEvent *self = QUORUM_AUDIT_EVENT (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->actor_id, g_free);
  g_clear_pointer (&self->actor_name, g_free);
  g_clear_pointer (&self->actor_kind, g_free);
  g_clear_pointer (&self->action, g_free);
  g_clear_pointer (&self->target_type, g_free);
  g_clear_pointer (&self->target_id, g_free);
  g_clear_pointer (&self->target_name, g_free);
  g_clear_pointer (&self->details, g_hash_table_unref);
  g_clear_pointer (&self->changes, g_hash_table_unref);
  g_clear_pointer (&self->created_at, g_date_time_unref);

  G_OBJECT_CLASS (quorum_audit_event_parent_class)->finalize (object);
}

static void
quorum_audit_event_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  QuorumAuditEvent *self = QUORUM_AUDIT_EVENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_ACTOR_NAME:
      g_value_set_string (value, self->actor_name);
      break;

    case PROP_ACTION:
      g_value_set_string (value, self->action);
      break;

    case PROP_TARGET_NAME:
      g_value_set_string (value, self->target_name);
      break;

    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_audit_event_class_init (QuorumAuditEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = quorum_audit_event_finalize;
  object_class->get_property = quorum_audit_event_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_ACTOR_NAME] = g_param_spec_string ("actor-name", NULL, NULL, NULL, flags);
  properties[PROP_ACTION] = g_param_spec_string ("action", NULL, NULL, NULL, flags);
  properties[PROP_TARGET_NAME] = g_param_spec_string ("target-name", NULL, NULL, NULL, flags);
  properties[PROP_CREATED_AT] = g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
quorum_audit_event_init (QuorumAuditEvent *self)
{
}

/* A dotted word: "member.role_changed", or one a newer server added. */
static gboolean
is_action (const char *action)
{
  if (!g_ascii_islower (*action))
    return FALSE;
  for (const char *p = action; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

/* One side of a change as text in *out (NULL for null); FALSE when the
 * value has a shape this version does not show. */
static gboolean
change_value (JsonNode  *node,
              char     **out)
{
  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    {
      *out = g_strdup (json_node_get_boolean (node) ? "true" : "false");
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_autoptr(JsonObject) holder = NULL;

      if (*json_node_get_string (node) == '\0')
        {
          *out = g_strdup ("");
          return TRUE;
        }
      /* The readers' rules for text: UTF-8, no controls, a size (a
       * webhook's URL is the longest value). */
      holder = json_object_new ();
      json_object_set_member (holder, "v", json_node_copy (node));
      return _quorum_json_get_string (holder, "v", QUORUM_JSON_REQUIRED, QUORUM_JSON_TEXT, MAX_TARGET_NAME_BYTES,
                                      out, NULL);
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) items = NULL;

      if (json_array_get_length (array) > MAX_CHANGE_ITEMS)
        return FALSE;
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *item = NULL;
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_NULL (element) || !JSON_NODE_HOLDS_VALUE (element) ||
              json_node_get_value_type (element) != G_TYPE_STRING || !change_value (element, &item) ||
              *item == '\0')
            return FALSE;
          g_strv_builder_add (builder, item);
        }
      items = g_strv_builder_end (builder);
      *out = g_strjoinv (", ", items);
      return TRUE;
    }
  return FALSE;
}

static void
parse_changes (QuorumAuditEvent *self,
               JsonObject       *changes)
{
  g_autoptr(GList) members = json_object_get_members (changes);

  for (GList *l = members; l != NULL && g_hash_table_size (self->changes) < MAX_CHANGES; l = l->next)
    {
      const char *field = l->data;
      JsonNode *value = json_object_get_member (changes, field);
      JsonObject *change;
      g_autofree char *from = NULL;
      g_autofree char *to = NULL;
      Change *kept;

      /* A change that breaks the rules is left out, not fatal: it is extra. */
      if (!JSON_NODE_HOLDS_OBJECT (value) || strnlen (field, MAX_WORD_BYTES + 1) > MAX_WORD_BYTES ||
          *field == '\0' || !g_utf8_validate (field, -1, NULL))
        continue;
      change = json_node_get_object (value);
      if (!json_object_has_member (change, "from") || !json_object_has_member (change, "to") ||
          !change_value (json_object_get_member (change, "from"), &from) ||
          !change_value (json_object_get_member (change, "to"), &to))
        continue;
      kept = g_new0 (Change, 1);
      kept->from = g_steal_pointer (&from);
      kept->to = g_steal_pointer (&to);
      g_hash_table_insert (self->changes, g_strdup (field), kept);
    }
}

/**
 * quorum_audit_event_new_from_json:
 *
 * Returns: (transfer full): a complete event, or %NULL with
 *   %QUORUM_API_ERROR_INVALID_RESPONSE when @node breaks the contract.
 */
QuorumAuditEvent *
quorum_audit_event_new_from_json (JsonNode  *node,
                                  GError   **error)
{
  g_autoptr(QuorumAuditEvent) self = NULL;
  JsonObject *object;
  JsonObject *actor;
  JsonObject *target;
  JsonObject *data;
  JsonObject *changes;

  if (!(object = _quorum_json_get_root_object (node, "audit event", error)))
    return NULL;

  self = g_object_new (QUORUM_TYPE_AUDIT_EVENT, NULL);

  if (!_quorum_json_get_string (object, "id", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID,
                                QUORUM_MAX_ID_BYTES, &self->id, error) ||
      !_quorum_json_get_object (object, "actor", QUORUM_JSON_REQUIRED, &actor, error) ||
      !_quorum_json_get_string (actor, "id", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID,
                                QUORUM_MAX_ID_BYTES, &self->actor_id, error) ||
      !_quorum_json_get_string (actor, "name", QUORUM_JSON_REQUIRED, QUORUM_JSON_ANY,
                                QUORUM_MAX_NAME_BYTES, &self->actor_name, error) ||
      !_quorum_json_get_string (actor, "kind", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID,
                                MAX_WORD_BYTES, &self->actor_kind, error) ||
      !_quorum_json_get_string (object, "action", QUORUM_JSON_REQUIRED, QUORUM_JSON_TEXT,
                                MAX_WORD_BYTES, &self->action, error))
    return NULL;
  if (!is_action (self->action))
    {
      /* The readers' words for a bad value. */
      static const char * const none[] = { NULL };
      const char *unused;

      _quorum_json_get_enum (object, "action", none, &unused, error);
      return NULL;
    }
  if (!_quorum_json_get_object (object, "target", QUORUM_JSON_REQUIRED, &target, error) ||
      !_quorum_json_get_string (target, "type", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID,
                                MAX_WORD_BYTES, &self->target_type, error) ||
      !_quorum_json_get_string (target, "id", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID,
                                QUORUM_MAX_ID_BYTES, &self->target_id, error) ||
      !_quorum_json_get_string (target, "name", QUORUM_JSON_NULLABLE, QUORUM_JSON_ANY,
                                MAX_TARGET_NAME_BYTES, &self->target_name, error) ||
      !_quorum_json_get_datetime (object, "created_at", QUORUM_JSON_REQUIRED, &self->created_at, error) ||
      !_quorum_json_get_object (object, "data", QUORUM_JSON_OPTIONAL, &data, error) ||
      !_quorum_json_get_object (object, "changes", QUORUM_JSON_OPTIONAL, &changes, error))
    return NULL;

  self->changes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) change_free);
  if (changes != NULL)
    parse_changes (self, changes);

  self->details = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (data != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (data);

      for (GList *l = members; l != NULL && g_hash_table_size (self->details) < MAX_DETAILS; l = l->next)
        {
          JsonNode *value = json_object_get_member (data, l->data);
          char *text = NULL;

          if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING ||
              strnlen (l->data, MAX_WORD_BYTES + 1) > MAX_WORD_BYTES)
            continue;
          /* A detail that breaks the rules is left out, not fatal: it is extra. */
          if (_quorum_json_get_string (data, l->data, QUORUM_JSON_REQUIRED, QUORUM_JSON_TEXT,
                                       QUORUM_MAX_NAME_BYTES, &text, NULL) &&
              g_utf8_validate (l->data, -1, NULL))
            g_hash_table_insert (self->details, g_strdup (l->data), text);
        }
    }

  return g_steal_pointer (&self);
}

const char *
quorum_audit_event_get_id (QuorumAuditEvent *self)
{
  g_return_val_if_fail (QUORUM_IS_AUDIT_EVENT (self), NULL);

  return self->id;
}

const char *
quorum_audit_event_get_actor_id (QuorumAuditEvent *self)
{
  g_return_val_if_fail (QUORUM_IS_AUDIT_EVENT (self), NULL);

  return self->actor_id;
}

/* The user's or key's name as it was then (may be ""). */
const char *
quorum_audit_event_get_actor_name (QuorumAuditEvent *self)
{
  g_return_val_if_fail (QUORUM_IS_AUDIT_EVENT (self), NULL);

  return self->actor_name;
}

gboolean
quorum_audit_event_is_by_api_key (QuorumAuditEvent *self)
{
  g_return_val_if_fail (QUORUM_IS_AUDIT_EVENT (self), FALSE);

  return g_str_equal (self->actor_kind, "api_key");
}

/* "user", "api_key", "system" (the server itself), "invitee" (someone
 * without an account, by the e-mail's link), or a newer kind. */
const char *
quorum_audit_event_get_actor_kind (QuorumAuditEvent *self)
{
  g_return_val_if_fail (QUORUM_IS_AUDIT_EVENT (self), NULL);

  return self->actor_kind;
}

/* "member.updated", or an action a newer server added. */
const char *
quorum_audit_event_get_action (QuorumAuditEvent *self)
{
  g_return_val_if_fail (QUORUM_IS_AUDIT_EVENT (self), NULL);

  return self->action;
}

/* "organization", "member", "invitation", "api_key", "webhook", or newer. */
const char *
quorum_audit_event_get_target_type (QuorumAuditEvent *self)
{
  g_return_val_if_fail (QUORUM_IS_AUDIT_EVENT (self), NULL);

  return self->target_type;
}

const char *
quorum_audit_event_get_target_id (QuorumAuditEvent *self)
{
  g_return_val_if_fail (QUORUM_IS_AUDIT_EVENT (self), NULL);

  return self->target_id;
}

/* A label for people (a name, an address, a URL) as it was then, or NULL. */
const char *
quorum_audit_event_get_target_name (QuorumAuditEvent *self)
{
  g_return_val_if_fail (QUORUM_IS_AUDIT_EVENT (self), NULL);

  return self->target_name;
}

/* A string detail of the change ("role"), or NULL. */
const char *
quorum_audit_event_get_detail (QuorumAuditEvent *self,
                               const char       *key)
{
  g_return_val_if_fail (QUORUM_IS_AUDIT_EVENT (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return g_hash_table_lookup (self->details, key);
}

/**
 * quorum_audit_event_get_change:
 * @field: "role", "status", "name", "plan", …
 * @from: (out) (optional) (nullable): the value before, as text ("member",
 *   "true", "a, b"), or %NULL for none
 * @to: (out) (optional) (nullable): the value after, the same way
 *
 * Returns: whether the server said @field changed
 */
gboolean
quorum_audit_event_get_change (QuorumAuditEvent  *self,
                               const char        *field,
                               const char       **from,
                               const char       **to)
{
  Change *change;

  g_return_val_if_fail (QUORUM_IS_AUDIT_EVENT (self), FALSE);
  g_return_val_if_fail (field != NULL, FALSE);

  change = g_hash_table_lookup (self->changes, field);
  if (from != NULL)
    *from = change != NULL ? change->from : NULL;
  if (to != NULL)
    *to = change != NULL ? change->to : NULL;
  return change != NULL;
}

GDateTime *
quorum_audit_event_get_created_at (QuorumAuditEvent *self)
{
  g_return_val_if_fail (QUORUM_IS_AUDIT_EVENT (self), NULL);

  return self->created_at;
}
