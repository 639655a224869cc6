/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-client-private.h"

/*
 * Developers: API keys, webhooks and their deliveries, the audit log.
 * Owners and admins only. Every list is newest first and paged with a
 * cursor; the _finish of a list gives the next cursor and the total.
 */

#define MAX_LIMIT 200

/* GET of one page of @parse_object models. */
static void
send_list (QuorumRequest         *request,
           QuorumObjectParseFunc  parse_object,
           const char            *cursor,
           guint                  limit,
           gpointer               source_tag,
           GCancellable          *cancellable,
           GAsyncReadyCallback    callback,
           gpointer               user_data)
{
  g_autofree char *limit_str = NULL;

  if (limit > 0)
    _quorum_request_add_query (request, "limit", (limit_str = g_strdup_printf ("%u", limit)));
  _quorum_request_add_query (request, "cursor", cursor);
  request->parse_object = parse_object;
  _quorum_request_send (request, _quorum_parse_list, (GDestroyNotify) _quorum_list_result_free,
                        source_tag, cancellable, callback, user_data);
}

static void
add_string_array (JsonBuilder        *builder,
                  const char         *member,
                  const char * const *values)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

static char *
format_timestamp (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

/* ------------------------------------------------------------- API keys */

/**
 * quorum_client_list_api_keys_async:
 * @cursor: (nullable): the previous page's next cursor
 * @limit: page size, 1–200 (0 for the server's default)
 *
 * GET .../api-keys: the organization's keys, newest first, without secrets.
 */
void
quorum_client_list_api_keys_async (QuorumClient        *self,
                                   const char          *organization_id,
                                   const char          *cursor,
                                   guint                limit,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL);
  g_return_if_fail (limit <= MAX_LIMIT);

  send_list (_quorum_request_new (self, "GET", "/organizations/%s/api-keys", organization_id),
             (QuorumObjectParseFunc) quorum_api_key_new_from_json, cursor, limit,
             quorum_client_list_api_keys_async, cancellable, callback, user_data);
}

/**
 * quorum_client_list_api_keys_finish:
 * @out_next_cursor: (out) (optional): the cursor of the next page, %NULL at the end
 * @out_total: (out) (optional): how many keys there are in all
 *
 * Returns: (transfer container) (element-type QuorumApiKey): one page
 */
GPtrArray *
quorum_client_list_api_keys_finish (QuorumClient  *self,
                                    GAsyncResult  *result,
                                    char         **out_next_cursor,
                                    guint         *out_total,
                                    GError       **error)
{
  return _quorum_request_finish_list (self, result, quorum_client_list_api_keys_async,
                                      out_next_cursor, out_total, error);
}

/**
 * quorum_client_create_api_key_async:
 * @scopes: at least one scope
 * @expires_at: (nullable): when the key stops working (in the future), or
 *   %NULL for never
 *
 * POST .../api-keys. The answer's key holds its secret, shown once.
 */
void
quorum_client_create_api_key_async (QuorumClient        *self,
                                    const char          *organization_id,
                                    const char          *name,
                                    QuorumScope          scopes,
                                    GDateTime           *expires_at,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && name != NULL);
  g_return_if_fail (scopes != QUORUM_SCOPE_NONE);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "scopes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < QUORUM_N_SCOPES; i++)
    if (scopes & quorum_scope_nth (i))
      json_builder_add_string_value (builder, quorum_scope_to_string (quorum_scope_nth (i)));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "expires_at");
  if (expires_at != NULL)
    {
      g_autofree char *when = format_timestamp (expires_at);

      json_builder_add_string_value (builder, when);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  request = _quorum_request_new (self, "POST", "/organizations/%s/api-keys", organization_id);
  _quorum_request_take_json (request, json_builder_get_root (builder));
  request->parse_object = (QuorumObjectParseFunc) quorum_api_key_new_from_json;
  _quorum_request_send (request, _quorum_parse_object, g_object_unref,
                        quorum_client_create_api_key_async, cancellable, callback, user_data);
}

/**
 * quorum_client_create_api_key_finish:
 *
 * Returns: (transfer full): the new key, with its secret
 */
QuorumApiKey *
quorum_client_create_api_key_finish (QuorumClient  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return _quorum_request_finish (self, result, quorum_client_create_api_key_async, error);
}

/**
 * quorum_client_rotate_api_key_async:
 * @grace_seconds: how long the old key keeps working, 0 (stop now) to
 *   %QUORUM_API_KEY_MAX_GRACE_SECONDS
 *
 * POST .../api-keys/{id}/rotate: a new key with the same name, scopes and
 * expiry. An expired key cannot be rotated (%QUORUM_API_ERROR_CONFLICT,
 * code `api_key_expired`).
 */
void
quorum_client_rotate_api_key_async (QuorumClient        *self,
                                    const char          *organization_id,
                                    const char          *api_key_id,
                                    guint                grace_seconds,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && api_key_id != NULL);
  g_return_if_fail (grace_seconds <= QUORUM_API_KEY_MAX_GRACE_SECONDS);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "old_expires_in_seconds");
  json_builder_add_int_value (builder, grace_seconds);
  json_builder_end_object (builder);

  request = _quorum_request_new (self, "POST", "/organizations/%s/api-keys/%s/rotate",
                                 organization_id, api_key_id);
  _quorum_request_take_json (request, json_builder_get_root (builder));
  request->parse_object = (QuorumObjectParseFunc) quorum_api_key_new_from_json;
  _quorum_request_send (request, _quorum_parse_object, g_object_unref,
                        quorum_client_rotate_api_key_async, cancellable, callback, user_data);
}

/**
 * quorum_client_rotate_api_key_finish:
 *
 * Returns: (transfer full): the new key, with its secret
 */
QuorumApiKey *
quorum_client_rotate_api_key_finish (QuorumClient  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return _quorum_request_finish (self, result, quorum_client_rotate_api_key_async, error);
}

/**
 * quorum_client_revoke_api_key_async:
 *
 * DELETE .../api-keys/{id}: the key stops working at once.
 */
void
quorum_client_revoke_api_key_async (QuorumClient        *self,
                                    const char          *organization_id,
                                    const char          *api_key_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && api_key_id != NULL);

  request = _quorum_request_new (self, "DELETE", "/organizations/%s/api-keys/%s",
                                 organization_id, api_key_id);
  _quorum_request_send (request, _quorum_parse_nothing, NULL,
                        quorum_client_revoke_api_key_async, cancellable, callback, user_data);
}

gboolean
quorum_client_revoke_api_key_finish (QuorumClient  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return _quorum_request_finish_boolean (self, result, quorum_client_revoke_api_key_async, error);
}

/* ------------------------------------------------------------- webhooks */

/* A webhook with the ETag of its answer. */
static gpointer
parse_webhook (QuorumRequest *request,
               JsonNode      *root,
               GError       **error)
{
  QuorumWebhook *webhook = quorum_webhook_new_from_json (root, error);
  const char *etag;

  if (webhook == NULL)
    return NULL;

  if ((etag = _quorum_request_get_etag (request)) != NULL)
    _quorum_webhook_set_etag (webhook, etag);
  return webhook;
}

/**
 * quorum_client_list_webhooks_async:
 * @cursor: (nullable): the previous page's next cursor
 * @limit: page size, 1–200 (0 for the server's default)
 *
 * GET .../webhooks, newest first, without secrets.
 */
void
quorum_client_list_webhooks_async (QuorumClient        *self,
                                   const char          *organization_id,
                                   const char          *cursor,
                                   guint                limit,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL);
  g_return_if_fail (limit <= MAX_LIMIT);

  send_list (_quorum_request_new (self, "GET", "/organizations/%s/webhooks", organization_id),
             (QuorumObjectParseFunc) quorum_webhook_new_from_json, cursor, limit,
             quorum_client_list_webhooks_async, cancellable, callback, user_data);
}

/**
 * quorum_client_list_webhooks_finish:
 * @out_next_cursor: (out) (optional): the cursor of the next page, %NULL at the end
 * @out_total: (out) (optional): how many webhooks there are in all
 *
 * Returns: (transfer container) (element-type QuorumWebhook): one page
 */
GPtrArray *
quorum_client_list_webhooks_finish (QuorumClient  *self,
                                    GAsyncResult  *result,
                                    char         **out_next_cursor,
                                    guint         *out_total,
                                    GError       **error)
{
  return _quorum_request_finish_list (self, result, quorum_client_list_webhooks_async,
                                      out_next_cursor, out_total, error);
}

/**
 * quorum_client_create_webhook_async:
 * @events: (array zero-terminated=1): at least one event type
 * @description: (nullable): a note for people
 *
 * POST .../webhooks. The answer's webhook holds its signing secret, shown
 * once. A URL that is not https or points inside the server's network fails
 * with %QUORUM_API_ERROR_VALIDATION on the field "url".
 */
void
quorum_client_create_webhook_async (QuorumClient        *self,
                                    const char          *organization_id,
                                    const char          *url,
                                    const char * const  *events,
                                    const char          *description,
                                    gboolean             enabled,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && url != NULL);
  g_return_if_fail (events != NULL && events[0] != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, url);
  add_string_array (builder, "events", events);
  json_builder_set_member_name (builder, "enabled");
  json_builder_add_boolean_value (builder, enabled);
  if (description != NULL)
    {
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, description);
    }
  json_builder_end_object (builder);

  request = _quorum_request_new (self, "POST", "/organizations/%s/webhooks", organization_id);
  _quorum_request_take_json (request, json_builder_get_root (builder));
  _quorum_request_send (request, parse_webhook, g_object_unref,
                        quorum_client_create_webhook_async, cancellable, callback, user_data);
}

/**
 * quorum_client_create_webhook_finish:
 *
 * Returns: (transfer full): the new webhook, with its signing secret
 */
QuorumWebhook *
quorum_client_create_webhook_finish (QuorumClient  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return _quorum_request_finish (self, result, quorum_client_create_webhook_async, error);
}

void
quorum_client_get_webhook_async (QuorumClient        *self,
                                 const char          *organization_id,
                                 const char          *webhook_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && webhook_id != NULL);

  request = _quorum_request_new (self, "GET", "/organizations/%s/webhooks/%s",
                                 organization_id, webhook_id);
  _quorum_request_send (request, parse_webhook, g_object_unref,
                        quorum_client_get_webhook_async, cancellable, callback, user_data);
}

/**
 * quorum_client_get_webhook_finish:
 *
 * Returns: (transfer full): the webhook, with its ETag
 */
QuorumWebhook *
quorum_client_get_webhook_finish (QuorumClient  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _quorum_request_finish (self, result, quorum_client_get_webhook_async, error);
}

/**
 * quorum_client_update_webhook_async:
 * @etag: (nullable): the webhook's ETag when it was shown, sent as If-Match
 * @url: (nullable): the new URL, or %NULL to keep it
 * @events: (nullable) (array zero-terminated=1): the new events, or %NULL
 * @description: (nullable): the new description, or %NULL to keep it
 * @enabled: %QUORUM_WEBHOOK_KEEP, %QUORUM_WEBHOOK_ENABLE or %QUORUM_WEBHOOK_DISABLE
 *
 * PATCH .../webhooks/{id} with what changes. The secret stays.
 */
void
quorum_client_update_webhook_async (QuorumClient        *self,
                                    const char          *organization_id,
                                    const char          *webhook_id,
                                    const char          *etag,
                                    const char          *url,
                                    const char * const  *events,
                                    const char          *description,
                                    QuorumWebhookEnabled enabled,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && webhook_id != NULL);
  g_return_if_fail (events == NULL || events[0] != NULL);

  json_builder_begin_object (builder);
  if (url != NULL)
    {
      json_builder_set_member_name (builder, "url");
      json_builder_add_string_value (builder, url);
    }
  if (events != NULL)
    add_string_array (builder, "events", events);
  if (description != NULL)
    {
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, description);
    }
  if (enabled != QUORUM_WEBHOOK_KEEP)
    {
      json_builder_set_member_name (builder, "enabled");
      json_builder_add_boolean_value (builder, enabled == QUORUM_WEBHOOK_ENABLE);
    }
  json_builder_end_object (builder);

  request = _quorum_request_new (self, "PATCH", "/organizations/%s/webhooks/%s",
                                 organization_id, webhook_id);
  request->if_match = g_strdup (etag);
  _quorum_request_take_json (request, json_builder_get_root (builder));
  _quorum_request_send (request, parse_webhook, g_object_unref,
                        quorum_client_update_webhook_async, cancellable, callback, user_data);
}

/**
 * quorum_client_update_webhook_finish:
 *
 * Returns: (transfer full): the webhook after the change
 */
QuorumWebhook *
quorum_client_update_webhook_finish (QuorumClient  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return _quorum_request_finish (self, result, quorum_client_update_webhook_async, error);
}

/**
 * quorum_client_delete_webhook_async:
 *
 * DELETE .../webhooks/{id}: pending retries and the delivery log go with it.
 */
void
quorum_client_delete_webhook_async (QuorumClient        *self,
                                    const char          *organization_id,
                                    const char          *webhook_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && webhook_id != NULL);

  request = _quorum_request_new (self, "DELETE", "/organizations/%s/webhooks/%s",
                                 organization_id, webhook_id);
  _quorum_request_send (request, _quorum_parse_nothing, NULL,
                        quorum_client_delete_webhook_async, cancellable, callback, user_data);
}

gboolean
quorum_client_delete_webhook_finish (QuorumClient  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return _quorum_request_finish_boolean (self, result, quorum_client_delete_webhook_async, error);
}

/**
 * quorum_client_test_webhook_async:
 *
 * POST .../webhooks/{id}/test: a `ping` event queued to the webhook (even a
 * disabled one); the answer is its first attempt, still pending.
 */
void
quorum_client_test_webhook_async (QuorumClient        *self,
                                  const char          *organization_id,
                                  const char          *webhook_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && webhook_id != NULL);

  request = _quorum_request_new (self, "POST", "/organizations/%s/webhooks/%s/test",
                                 organization_id, webhook_id);
  request->parse_object = (QuorumObjectParseFunc) quorum_delivery_new_from_json;
  _quorum_request_send (request, _quorum_parse_object, g_object_unref,
                        quorum_client_test_webhook_async, cancellable, callback, user_data);
}

/**
 * quorum_client_test_webhook_finish:
 *
 * Returns: (transfer full): the ping's first delivery attempt
 */
QuorumDelivery *
quorum_client_test_webhook_finish (QuorumClient  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return _quorum_request_finish (self, result, quorum_client_test_webhook_async, error);
}

/**
 * quorum_client_roll_webhook_secret_async:
 *
 * POST .../webhooks/{id}/roll-secret: a new signing secret, shown once; the
 * old one stops signing at once.
 */
void
quorum_client_roll_webhook_secret_async (QuorumClient        *self,
                                         const char          *organization_id,
                                         const char          *webhook_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && webhook_id != NULL);

  request = _quorum_request_new (self, "POST", "/organizations/%s/webhooks/%s/roll-secret",
                                 organization_id, webhook_id);
  _quorum_request_send (request, parse_webhook, g_object_unref,
                        quorum_client_roll_webhook_secret_async, cancellable, callback, user_data);
}

/**
 * quorum_client_roll_webhook_secret_finish:
 *
 * Returns: (transfer full): the webhook, with its new signing secret
 */
QuorumWebhook *
quorum_client_roll_webhook_secret_finish (QuorumClient  *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  return _quorum_request_finish (self, result, quorum_client_roll_webhook_secret_async, error);
}

/**
 * quorum_client_list_deliveries_async:
 * @cursor: (nullable): the previous page's next cursor
 * @limit: page size, 1–200 (0 for the server's default)
 *
 * GET .../webhooks/{id}/deliveries: every attempt, newest first.
 */
void
quorum_client_list_deliveries_async (QuorumClient        *self,
                                     const char          *organization_id,
                                     const char          *webhook_id,
                                     const char          *cursor,
                                     guint                limit,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && webhook_id != NULL);
  g_return_if_fail (limit <= MAX_LIMIT);

  send_list (_quorum_request_new (self, "GET", "/organizations/%s/webhooks/%s/deliveries",
                                  organization_id, webhook_id),
             (QuorumObjectParseFunc) quorum_delivery_new_from_json, cursor, limit,
             quorum_client_list_deliveries_async, cancellable, callback, user_data);
}

/**
 * quorum_client_list_deliveries_finish:
 * @out_next_cursor: (out) (optional): the cursor of the next page, %NULL at the end
 * @out_total: (out) (optional): how many attempts there are in all
 *
 * Returns: (transfer container) (element-type QuorumDelivery): one page
 */
GPtrArray *
quorum_client_list_deliveries_finish (QuorumClient  *self,
                                      GAsyncResult  *result,
                                      char         **out_next_cursor,
                                      guint         *out_total,
                                      GError       **error)
{
  return _quorum_request_finish_list (self, result, quorum_client_list_deliveries_async,
                                      out_next_cursor, out_total, error);
}

/**
 * quorum_client_resend_delivery_async:
 *
 * POST .../webhooks/{id}/deliveries/{delivery_id}/resend: the delivery's
 * event sent again, as a new attempt.
 */
void
quorum_client_resend_delivery_async (QuorumClient        *self,
                                     const char          *organization_id,
                                     const char          *webhook_id,
                                     const char          *delivery_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && webhook_id != NULL && delivery_id != NULL);

  request = _quorum_request_new (self, "POST", "/organizations/%s/webhooks/%s/deliveries/%s/resend",
                                 organization_id, webhook_id, delivery_id);
  request->parse_object = (QuorumObjectParseFunc) quorum_delivery_new_from_json;
  _quorum_request_send (request, _quorum_parse_object, g_object_unref,
                        quorum_client_resend_delivery_async, cancellable, callback, user_data);
}

/**
 * quorum_client_resend_delivery_finish:
 *
 * Returns: (transfer full): the new attempt
 */
QuorumDelivery *
quorum_client_resend_delivery_finish (QuorumClient  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return _quorum_request_finish (self, result, quorum_client_resend_delivery_async, error);
}

/* ------------------------------------------------------------ audit log */

/**
 * quorum_client_list_audit_events_async:
 * @action: (nullable): only this action ("member.updated")
 * @actor_id: (nullable): only changes by this actor (`usr_…`, `key_…`,
 *   `inv_…`, `system`)
 * @since: (nullable): only changes at or after this time (`from`)
 * @until: (nullable): only changes before this time (`to`)
 * @cursor: (nullable): the previous page's next cursor
 * @limit: page size, 1–200 (0 for the server's default)
 *
 * GET .../audit-events, newest first.
 */
void
quorum_client_list_audit_events_async (QuorumClient        *self,
                                       const char          *organization_id,
                                       const char          *action,
                                       const char          *actor_id,
                                       GDateTime           *since,
                                       GDateTime           *until,
                                       const char          *cursor,
                                       guint                limit,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autofree char *since_str = NULL;
  g_autofree char *until_str = NULL;
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL);
  g_return_if_fail (limit <= MAX_LIMIT);

  request = _quorum_request_new (self, "GET", "/organizations/%s/audit-events", organization_id);
  _quorum_request_add_query (request, "action", action);
  _quorum_request_add_query (request, "actor", actor_id);
  if (since != NULL)
    _quorum_request_add_query (request, "from", (since_str = format_timestamp (since)));
  if (until != NULL)
    _quorum_request_add_query (request, "to", (until_str = format_timestamp (until)));
  send_list (request, (QuorumObjectParseFunc) quorum_audit_event_new_from_json, cursor, limit,
             quorum_client_list_audit_events_async, cancellable, callback, user_data);
}

/**
 * quorum_client_list_audit_events_finish:
 * @out_next_cursor: (out) (optional): the cursor of the next page, %NULL at the end
 * @out_total: (out) (optional): how many events match in all
 *
 * Returns: (transfer container) (element-type QuorumAuditEvent): one page
 */
GPtrArray *
quorum_client_list_audit_events_finish (QuorumClient  *self,
                                        GAsyncResult  *result,
                                        char         **out_next_cursor,
                                        guint         *out_total,
                                        GError       **error)
{
  return _quorum_request_finish_list (self, result, quorum_client_list_audit_events_async,
                                      out_next_cursor, out_total, error);
}
