/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-server-auth.h"
#include "quorum-server-handlers.h"
#include "quorum-server-http.h"
#include "quorum-server-model.h"

/*
 * The audit log: qs_audit () records a change by the caller (user or API
 * key) in the transaction of the change; GET …/audit-events lists it.
 */

#define AUDIT_DEFAULT_LIMIT   50
/* Filters name an id (usr_…, key_…, system) or an action: short words. */
#define AUDIT_FILTER_MAX      64

static gboolean
record (QsRequest  *req,
        const char *actor_kind,
        const char *actor_id,
        const char *actor_name,
        const char *org_id,
        const char *action,
        const char *target_type,
        const char *target_id,
        const char *target_name,
        JsonObject *data,
        JsonObject *changes)
{
  g_autofree char *text = NULL;
  g_autofree char *changes_text = NULL;
  QsStoreAuditEvent event = {
    .org_id = org_id,
    .actor_id = actor_id,
    .actor_name = actor_name,
    .actor_kind = actor_kind,
    .action = action,
    .target_type = target_type,
    .target_id = target_id,
    .target_name = target_name,
    .created_at = qs_now (),
  };

  if (data != NULL)
    text = qs_audit_json_text (data);
  if (changes != NULL && json_object_get_size (changes) > 0)
    changes_text = qs_audit_json_text (changes);
  event.data = text;
  event.changes = changes_text;
  return qs_store_audit_record (req->store, &event, NULL);
}

char *
qs_audit_json_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return qs_json_to_string (node);
}

gboolean
qs_audit_by (QsRequest  *req,
             const char *actor_kind,
             const char *actor_id,
             const char *actor_name,
             const char *org_id,
             const char *action,
             const char *target_type,
             const char *target_id,
             const char *target_name,
             JsonObject *data)
{
  return record (req, actor_kind, actor_id, actor_name, org_id, action, target_type, target_id, target_name,
                 data, NULL);
}

gboolean
qs_audit (QsRequest  *req,
          const char *org_id,
          const char *action,
          const char *target_type,
          const char *target_id,
          const char *target_name,
          JsonObject *data)
{
  return qs_audit_changed (req, org_id, action, target_type, target_id, target_name, data, NULL);
}

gboolean
qs_audit_changed (QsRequest  *req,
                  const char *org_id,
                  const char *action,
                  const char *target_type,
                  const char *target_id,
                  const char *target_name,
                  JsonObject *data,
                  JsonObject *changes)
{
  return record (req, qs_request_actor_kind_name (req), qs_request_actor_id (req), qs_request_actor_name (req),
                 org_id, action, target_type, target_id, target_name, data, changes);
}

/* Adds field: {from, to} to *changes (made on first use) unless from and
 * to are equal; takes both nodes. */
static void
change_add (JsonObject **changes,
            const char  *field,
            JsonNode    *from,
            JsonNode    *to)
{
  JsonObject *change;

  if (json_node_equal (from, to))
    {
      json_node_unref (from);
      json_node_unref (to);
      return;
    }
  if (*changes == NULL)
    *changes = json_object_new ();
  change = json_object_new ();
  json_object_set_member (change, "from", from);
  json_object_set_member (change, "to", to);
  json_object_set_object_member (*changes, field, change);
}

static JsonNode *
string_node (const char *value)
{
  JsonNode *node = json_node_new (value != NULL ? JSON_NODE_VALUE : JSON_NODE_NULL);

  if (value != NULL)
    json_node_set_string (node, value);
  return node;
}

void
qs_audit_change_string (JsonObject **changes,
                        const char  *field,
                        const char  *from,
                        const char  *to)
{
  change_add (changes, field, string_node (from), string_node (to));
}

void
qs_audit_change_boolean (JsonObject **changes,
                         const char  *field,
                         gboolean     from,
                         gboolean     to)
{
  JsonNode *from_node = json_node_new (JSON_NODE_VALUE);
  JsonNode *to_node = json_node_new (JSON_NODE_VALUE);

  json_node_set_boolean (from_node, from);
  json_node_set_boolean (to_node, to);
  change_add (changes, field, from_node, to_node);
}

static JsonNode *
strv_node (const char * const *values)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_array_add_string_element (array, values[i]);
  json_node_take_array (node, array);
  return node;
}

void
qs_audit_change_strv (JsonObject         **changes,
                      const char          *field,
                      const char * const  *from,
                      const char * const  *to)
{
  change_add (changes, field, strv_node (from), strv_node (to));
}

/* The record's changes as written (an object), else null. */
static JsonNode *
changes_node (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return json_node_new (JSON_NODE_NULL);
  return json_node_copy (root);
}

/* Whether the caller may read labels and changes of a kind of thing:
 * sessions (owners and admins, view-audit-log) read everything; an API key
 * (which has org:read to be here) only the kinds its scopes let it read
 * elsewhere — members with members:read, invitations with
 * invitations:write, webhooks with webhooks:write — and never API keys,
 * which no key can list. Unknown kinds are hidden from keys. */
static gboolean
may_read_kind (QsRequest  *req,
               const char *kind)
{
  guint scopes;

  if (req->api_key == NULL || g_strcmp0 (kind, "organization") == 0 || g_strcmp0 (kind, "system") == 0)
    return TRUE;
  scopes = req->api_key->scopes;
  if (g_strcmp0 (kind, "member") == 0 || g_strcmp0 (kind, "user") == 0)
    return (scopes & QUORUM_SCOPE_MEMBERS_READ) != 0;
  if (g_strcmp0 (kind, "invitation") == 0 || g_strcmp0 (kind, "invitee") == 0)
    return (scopes & QUORUM_SCOPE_INVITATIONS_WRITE) != 0;
  if (g_strcmp0 (kind, "webhook") == 0)
    return (scopes & QUORUM_SCOPE_WEBHOOKS_WRITE) != 0;
  return FALSE;
}

/* A record as the caller may see it: the actor's name (a member's name, an
 * invitee's address, a key's name), the target's name (a member's name, an
 * invited address, a webhook's URL, a key's name) and the changes (role,
 * status, URL, events, …) are null when the caller could not read their
 * kind, and "redacted" lists what was nulled. */
static JsonObject *
audit_item_json (QsRequest              *req,
                 const QsStoreAuditItem *item)
{
  JsonObject *object = json_object_new ();
  JsonObject *actor = json_object_new ();
  JsonObject *target = json_object_new ();
  g_autofree char *created = qs_format_time (item->created_at);
  gboolean actor_shown = may_read_kind (req, item->actor_kind);
  gboolean target_shown = may_read_kind (req, item->target_type);
  JsonArray *redacted = json_array_new ();

  json_object_set_string_member (object, "id", item->id);
  json_object_set_string_member (actor, "id", item->actor_id);
  qs_json_set_string_or_null (actor, "name", actor_shown ? item->actor_name : NULL);
  json_object_set_string_member (actor, "kind", item->actor_kind);
  json_object_set_object_member (object, "actor", actor);
  json_object_set_string_member (object, "action", item->action);
  json_object_set_string_member (target, "type", item->target_type);
  json_object_set_string_member (target, "id", item->target_id);
  qs_json_set_string_or_null (target, "name", target_shown ? item->target_name : NULL);
  json_object_set_object_member (object, "target", target);
  json_object_set_member (object, "changes", target_shown ? changes_node (item->changes)
                                                          : json_node_new (JSON_NODE_NULL));
  json_object_set_string_member (object, "created_at", created);
  if (!actor_shown && item->actor_name != NULL)
    json_array_add_string_element (redacted, "actor.name");
  if (!target_shown && item->target_name != NULL)
    json_array_add_string_element (redacted, "target.name");
  if (!target_shown && item->changes != NULL)
    json_array_add_string_element (redacted, "changes");
  if (json_array_get_length (redacted) > 0)
    json_object_set_array_member (object, "redacted", redacted);
  else
    json_array_unref (redacted);
  return object;
}

/* A filter query parameter: at most AUDIT_FILTER_MAX bytes. */
static const char *
filter_param (QsRequest  *req,
              const char *name,
              GPtrArray  *errors)
{
  const char *value = qs_query (req, name);

  if (value != NULL && strlen (value) > AUDIT_FILTER_MAX)
    {
      qs_field_errors_add (errors, name, "too_long", "At most 64 characters.");
      return NULL;
    }
  return value;
}

static gint64
time_param (QsRequest  *req,
            const char *name,
            GPtrArray  *errors)
{
  const char *value = qs_query (req, name);
  gint64 time = 0;

  if (value != NULL && (!qs_parse_timestamp (value, &time) || time <= 0))
    {
      qs_field_errors_add (errors, name, "invalid", "An RFC 3339 time such as 2026-11-22T10:43:14Z.");
      return 0;
    }
  return time;
}

/* The cursor is (created_at, "seq_<seq>"), the last record of a page. */
static gboolean
cursor_decode (const char *cursor,
               gint64     *created_at,
               gint64     *seq)
{
  g_autofree char *key = NULL;
  guint64 number;

  if (!qs_key_cursor_decode (cursor, "seq_", created_at, &key) ||
      !g_ascii_string_to_unsigned (key + strlen ("seq_"), 10, 1, G_MAXINT64, &number, NULL))
    return FALSE;
  *seq = (gint64) number;
  return TRUE;
}

void
qs_handle_audit_events_list (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_autoptr(QsStoreAuditPage) page = NULL;
  g_autoptr(JsonObject) response = json_object_new ();
  g_autofree char *next = NULL;
  const char *cursor = qs_query (req, "cursor");
  QsStoreAuditFilter filter = { 0 };
  guint limit;
  JsonArray *items;

  limit = qs_query_limit (req, AUDIT_DEFAULT_LIMIT, errors);
  filter.actor_id = filter_param (req, "actor", errors);
  filter.action = filter_param (req, "action", errors);
  filter.from = time_param (req, "from", errors);
  filter.to = time_param (req, "to", errors);
  if (cursor != NULL && !cursor_decode (cursor, &filter.after_created_at, &filter.after_seq))
    qs_field_errors_add (errors, "cursor", "invalid", "This cursor is not valid.");
  if (errors->len > 0)
    {
      qs_respond_validation (req, errors);
      return;
    }
  page = qs_store_audit_list (req->store, org_id, &filter, limit, NULL);
  if (page == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  items = json_array_new ();
  json_object_set_array_member (response, "items", items);
  for (guint i = 0; i < page->items->len; i++)
    json_array_add_object_element (items, audit_item_json (req, g_ptr_array_index (page->items, i)));
  if (page->more)
    {
      QsStoreAuditItem *last = g_ptr_array_index (page->items, page->items->len - 1);
      g_autofree char *key = g_strdup_printf ("seq_%" G_GINT64_FORMAT, last->seq);

      next = qs_key_cursor_encode (last->created_at, key);
    }
  qs_json_set_string_or_null (response, "next_cursor", next);
  json_object_set_int_member (response, "total", page->total);
  qs_respond_object (req, 200, response);
}
