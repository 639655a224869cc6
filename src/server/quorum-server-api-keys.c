/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sodium.h>

#include "quorum-server-auth.h"
#include "quorum-server-handlers.h"
#include "quorum-server-http.h"
#include "quorum-server-model.h"

/*
 * Organization API keys: GET/POST …/api-keys, DELETE …/api-keys/{id},
 * POST …/api-keys/{id}/rotate. Owners and admins, signed in: the route
 * table gives these rows no scope, so a key gets 403. Authentication by key
 * is in quorum-server-auth.c.
 */

#define API_KEYS_DEFAULT_LIMIT 50
/* qrm_k_ and the first 6 characters of the random part. */
#define API_KEY_PREFIX_LEN     12

const char *
qs_api_key_inactive_reason (const QsStoreApiKey *key)
{
  if (key->creator_role == QUORUM_ROLE_NONE)
    return "creator_removed";
  if (key->creator_status != QS_STORE_MEMBER_ACTIVE)
    return "creator_suspended";
  if (!quorum_role_can (key->creator_role, QUORUM_PERMISSION_MANAGE_DEVELOPERS))
    return "creator_not_admin";
  return NULL;
}

JsonObject *
qs_api_key_to_json (const QsStoreApiKey *key)
{
  const char *inactive_reason = qs_api_key_inactive_reason (key);
  JsonObject *object = json_object_new ();
  JsonObject *creator = json_object_new ();
  JsonArray *scopes = json_array_new ();
  g_autofree char *created = qs_format_time (key->created_at);
  g_autofree char *expires = key->expires_at > 0 ? qs_format_time (key->expires_at) : NULL;
  g_autofree char *used = key->last_used_at > 0 ? qs_format_time (key->last_used_at) : NULL;

  for (guint i = 0; i < QUORUM_N_SCOPES; i++)
    if (key->scopes & quorum_scope_nth (i))
      json_array_add_string_element (scopes, quorum_scope_to_string (quorum_scope_nth (i)));
  json_object_set_string_member (object, "id", key->id);
  json_object_set_string_member (object, "name", key->name);
  json_object_set_string_member (object, "prefix", key->prefix);
  json_object_set_array_member (object, "scopes", scopes);
  json_object_set_string_member (object, "created_at", created);
  qs_json_set_string_or_null (object, "expires_at", expires);
  qs_json_set_string_or_null (object, "last_used_at", used);
  json_object_set_string_member (creator, "id", key->created_by);
  json_object_set_string_member (creator, "name", key->created_by_name);
  json_object_set_object_member (object, "created_by", creator);
  json_object_set_boolean_member (object, "active", inactive_reason == NULL);
  qs_json_set_string_or_null (object, "inactive_reason", inactive_reason);
  return object;
}

/* The key and its secret, answered 201 once the transaction commits. */
static void
respond_with_secret (QsRequest           *req,
                     QsStoreTxn          *txn,
                     const QsStoreApiKey *key,
                     char                *secret)
{
  g_autoptr(JsonObject) object = qs_api_key_to_json (key);

  if (!qs_store_txn_commit (txn, NULL))
    {
      qs_respond_internal (req);
      return;
    }
  qs_json_set_secret (req, object, "secret", secret);
  qs_respond_object (req, 201, object);
  /* Gone from the server once answered: only the hash is kept. */
  sodium_memzero (secret, strlen (secret));
}

/* A new key row for org_id with a fresh secret; the secret in *secret. */
static QsStoreApiKey *
insert_key (QsRequest   *req,
            const char  *org_id,
            const char  *name,
            guint        scopes,
            gint64       now,
            gint64       expires_at,
            char       **secret)
{
  g_autofree char *token = qs_new_token ("qrm_k_");
  g_autofree char *prefix = g_strndup (token, API_KEY_PREFIX_LEN);
  guint8 hash[QS_TOKEN_HASH_LEN];
  QsStoreApiKey *key;

  qs_hash_token (token, hash);
  key = qs_store_api_key_create (req->store, org_id, name, prefix, hash, scopes, req->user_id, now,
                                 expires_at, NULL);
  if (key == NULL)
    {
      sodium_memzero (token, strlen (token));
      return NULL;
    }
  *secret = g_steal_pointer (&token);
  return key;
}

/* The audit record of a change to key; data: the key as the API shows it
 * (api_key.created and api_key.revoked are webhook events). */
static gboolean
audit_key (QsRequest           *req,
           const char          *action,
           const QsStoreApiKey *key,
           JsonObject          *extra,
           JsonObject          *changes)
{
  g_autoptr(JsonObject) data = extra != NULL ? json_object_ref (extra) : qs_api_key_to_json (key);

  return qs_audit_changed (req, key->org_id, action, "api_key", key->id, key->name, data, changes);
}

/* The api_key.created webhook event of a key a rotation made (a creation's
 * comes from its audit record), in the transaction in progress. */
static gboolean
emit_key_created (QsRequest           *req,
                  const QsStoreApiKey *key)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *data = NULL;

  json_node_take_object (node, qs_api_key_to_json (key));
  data = qs_json_to_string (node);
  return qs_store_event_emit (req->store, key->org_id, "api_key.created", data, qs_now (), NULL, NULL);
}

/* 409 and FALSE when org_id has QS_STORE_API_KEYS_MAX keys (inside the
 * transaction that inserts). */
static gboolean
check_key_cap (QsRequest  *req,
               const char *org_id)
{
  gint64 count = qs_store_api_key_count (req->store, org_id, NULL);

  if (count < 0)
    {
      qs_respond_internal (req);
      return FALSE;
    }
  if (count >= QS_STORE_API_KEYS_MAX)
    {
      g_autofree char *detail = g_strdup_printf ("An organization has at most %d API keys; revoke one first.",
                                                 QS_STORE_API_KEYS_MAX);

      qs_respond_error (req, 409, "api_key_limit_reached", detail);
      return FALSE;
    }
  return TRUE;
}

void
qs_handle_api_keys_list (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_autoptr(QsStoreApiKeyPage) page = NULL;
  g_autoptr(JsonObject) response = json_object_new ();
  g_autofree char *cursor_id = NULL;
  g_autofree char *next = NULL;
  const char *cursor = qs_query (req, "cursor");
  gint64 cursor_created = 0;
  guint limit;
  JsonArray *items;

  limit = qs_query_limit (req, API_KEYS_DEFAULT_LIMIT, errors);
  if (cursor != NULL && !qs_key_cursor_decode (cursor, "key_", &cursor_created, &cursor_id))
    qs_field_errors_add (errors, "cursor", "invalid", "This cursor is not valid.");
  if (errors->len > 0)
    {
      qs_respond_validation (req, errors);
      return;
    }
  page = qs_store_api_keys_list (req->store, org_id, cursor_created, cursor_id, limit, NULL);
  if (page == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  items = json_array_new ();
  json_object_set_array_member (response, "items", items);
  for (guint i = 0; i < page->keys->len; i++)
    json_array_add_object_element (items, qs_api_key_to_json (g_ptr_array_index (page->keys, i)));
  if (page->more)
    {
      QsStoreApiKey *last = g_ptr_array_index (page->keys, page->keys->len - 1);

      next = qs_key_cursor_encode (last->created_at, last->id);
    }
  qs_json_set_string_or_null (response, "next_cursor", next);
  json_object_set_int_member (response, "total", page->total);
  qs_respond_object (req, 200, response);
}

void
qs_handle_api_keys_create (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_auto(QsApiKeyCreate) input = { 0 };
  g_autoptr(QsStoreMember) me = NULL;
  g_autoptr(QsStoreTxn) txn = NULL;
  g_autoptr(QsStoreApiKey) key = NULL;
  g_autofree char *secret = NULL;
  gint64 now = qs_now ();

  if (!qs_check_parse (req, qs_parse_api_key_create (req->body, req->body_len, &input, errors), errors))
    return;
  if (input.has_expires_at && input.expires_at <= now)
    {
      qs_field_errors_add (errors, "expires_at", "in_the_past", "Choose a time in the future.");
      qs_respond_validation (req, errors);
      return;
    }
  if (!(txn = qs_begin_membership (req, org_id, QUORUM_PERMISSION_MANAGE_DEVELOPERS, &me)) ||
      !check_key_cap (req, org_id))
    return;
  if ((key = insert_key (req, org_id, input.name, input.scopes, now,
                         input.has_expires_at ? input.expires_at : 0, &secret)) == NULL ||
      !audit_key (req, "api_key.created", key, NULL, NULL))
    {
      qs_respond_internal (req);
      return;
    }
  respond_with_secret (req, txn, key, secret);
}

void
qs_handle_api_key_revoke (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  const char *key_id = qs_request_param (req, "api_key_id");
  g_autoptr(QsStoreMember) me = NULL;
  g_autoptr(QsStoreTxn) txn = NULL;
  g_autoptr(QsStoreApiKey) key = NULL;
  g_autoptr(GError) error = NULL;

  if (!(txn = qs_begin_membership (req, org_id, QUORUM_PERMISSION_MANAGE_DEVELOPERS, &me)))
    return;
  if ((key = qs_store_api_key_get (req->store, org_id, key_id, &error)) == NULL)
    {
      if (error != NULL)
        qs_respond_internal (req);
      else
        qs_respond_error (req, 404, "api_key_not_found", "No such API key.");
      return;
    }
  qs_respond_committed (req, txn,
                        audit_key (req, "api_key.revoked", key, NULL, NULL) &&
                        qs_store_api_key_delete (req->store, org_id, key_id, NULL),
                        204);
}

void
qs_handle_api_key_rotate (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  const char *key_id = qs_request_param (req, "api_key_id");
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  QsApiKeyRotate input = { 0 };
  g_autoptr(QsStoreMember) me = NULL;
  g_autoptr(QsStoreTxn) txn = NULL;
  g_autoptr(QsStoreApiKey) old = NULL;
  g_autoptr(QsStoreApiKey) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) data = json_object_new ();
  g_autofree char *secret = NULL;
  g_autofree char *old_expires = NULL;
  g_autofree char *old_expires_before = NULL;
  g_autoptr(JsonObject) changes = NULL;
  gint64 now = qs_now ();
  gint64 old_expires_at;

  if (!qs_check_parse (req, qs_parse_api_key_rotate (req->body, req->body_len, &input, errors), errors))
    return;
  if (!(txn = qs_begin_membership (req, org_id, QUORUM_PERMISSION_MANAGE_DEVELOPERS, &me)))
    return;
  if ((old = qs_store_api_key_get (req->store, org_id, key_id, &error)) == NULL)
    {
      if (error != NULL)
        qs_respond_internal (req);
      else
        qs_respond_error (req, 404, "api_key_not_found", "No such API key.");
      return;
    }
  if (old->expires_at > 0 && old->expires_at <= now)
    {
      qs_respond_error (req, 409, "api_key_expired", "This API key has expired; create a new one.");
      return;
    }
  if (!check_key_cap (req, org_id))
    return;

  /* The old key works for the grace chosen, never longer than it would have. */
  old_expires_at = now + input.old_expires_in_seconds;
  if (old->expires_at > 0)
    old_expires_at = MIN (old_expires_at, old->expires_at);
  old_expires = qs_format_time (old_expires_at);
  if (!qs_store_api_key_set_expires (req->store, old->id, old_expires_at, NULL) ||
      (key = insert_key (req, org_id, old->name, old->scopes, now, old->expires_at, &secret)) == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  json_object_set_string_member (data, "new_api_key_id", key->id);
  json_object_set_string_member (data, "old_expires_at", old_expires);
  /* The grace: when the old key stops working, from its expiry before
   * (null: never). */
  if (old->expires_at > 0)
    old_expires_before = qs_format_time (old->expires_at);
  qs_audit_change_string (&changes, "expires_at", old_expires_before, old_expires);
  /* The spec's api_key.created is "created or rotated in": the new key is
   * an event of its own beside the rotation's one record. */
  if (!audit_key (req, "api_key.rotated", old, data, changes) || !emit_key_created (req, key))
    {
      qs_respond_internal (req);
      return;
    }
  respond_with_secret (req, txn, key, secret);
}
