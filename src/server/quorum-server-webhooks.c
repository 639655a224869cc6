/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-server-auth.h"
#include "quorum-server-handlers.h"
#include "quorum-server-http.h"
#include "quorum-server-model.h"
#include "quorum-server-state.h"
#include "quorum-server-webhook-net.h"
#include "quorum-store-webhooks.h"

/*
 * Webhooks (docs/server.md, "Webhooks"): the routes under
 * /v1/organizations/{org_id}/webhooks. A URL is checked before it is saved:
 * its shape here, then its host resolved with GResolver while the request
 * waits (paused, never blocking the main loop), every address it resolves
 * to public; the write happens after, in its own transaction. Deliveries
 * are the queue's (quorum-server-webhook-queue.c).
 */

/* ------------------------------------------------------------------ JSON */

static char *
webhook_etag (const QsStoreWebhook *webhook)
{
  g_autofree char *state = g_strdup_printf ("%s.%" G_GINT64_FORMAT, webhook->id, webhook->version);

  return qs_etag_from_state ('w', state);
}

static JsonObject *
webhook_json (const QsStoreWebhook *webhook)
{
  JsonObject *object = json_object_new ();
  JsonArray *events = json_array_new ();
  g_autofree char *created = qs_format_time (webhook->created_at);

  json_object_set_string_member (object, "id", webhook->id);
  json_object_set_string_member (object, "url", webhook->url);
  for (guint i = 0; webhook->events[i] != NULL; i++)
    if (*webhook->events[i] != '\0')
      json_array_add_string_element (events, webhook->events[i]);
  json_object_set_array_member (object, "events", events);
  json_object_set_boolean_member (object, "enabled", webhook->enabled);
  json_object_set_string_member (object, "description", webhook->description != NULL ? webhook->description : "");
  qs_json_set_string_or_null (object, "disabled_reason", webhook->enabled ? NULL : webhook->disabled_reason);
  json_object_set_string_member (object, "created_at", created);
  return object;
}

static JsonObject *
delivery_json (const QsStoreDelivery *delivery)
{
  JsonObject *object = json_object_new ();
  g_autofree char *created = qs_format_time (delivery->created_at);
  g_autofree char *retry = NULL;

  json_object_set_string_member (object, "id", delivery->id);
  json_object_set_string_member (object, "webhook_id", delivery->webhook_id);
  json_object_set_string_member (object, "event_id", delivery->event_id);
  json_object_set_string_member (object, "event", delivery->event_type);
  json_object_set_int_member (object, "attempt", delivery->attempt);
  json_object_set_string_member (object, "status", qs_store_delivery_status_name (delivery->status));
  if (delivery->response_status > 0)
    json_object_set_int_member (object, "response_status", delivery->response_status);
  else
    json_object_set_null_member (object, "response_status");
  if (delivery->duration_ms >= 0)
    json_object_set_int_member (object, "duration_ms", delivery->duration_ms);
  else
    json_object_set_null_member (object, "duration_ms");
  qs_json_set_string_or_null (object, "error", delivery->error);
  json_object_set_string_member (object, "created_at", created);
  /* A failed try with a due time is retried then (whole seconds, rounded up). */
  if (delivery->status == QS_STORE_DELIVERY_FAILED && delivery->due_ms >= 0)
    retry = qs_format_time ((delivery->due_ms + 999) / 1000);
  qs_json_set_string_or_null (object, "next_retry_at", retry);
  return object;
}

static void
respond_webhook (QsRequest            *req,
                 guint                 status,
                 const QsStoreWebhook *webhook,
                 const char           *secret)
{
  g_autoptr(JsonObject) object = webhook_json (webhook);
  g_autofree char *etag = webhook_etag (webhook);

  if (secret != NULL)
    qs_json_set_secret (req, object, "secret", secret);
  qs_respond_object (req, status, object);
  qs_set_etag (req, etag);
  if (secret != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Cache-Control", "no-store");
}

/* The webhook of the path, or NULL with the answer (404 or 500) sent. */
static QsStoreWebhook *
load_webhook (QsRequest *req)
{
  g_autoptr(GError) error = NULL;
  QsStoreWebhook *webhook = qs_store_webhook_get (req->store, qs_request_param (req, "org_id"),
                                                  qs_request_param (req, "webhook_id"), &error);

  if (webhook == NULL && error != NULL)
    qs_respond_internal (req);
  else if (webhook == NULL)
    qs_respond_error (req, 404, "webhook_not_found", "There is no such webhook in this organization.");
  return webhook;
}

/* The audit record of a change by the caller (user or API key) to a
 * webhook, in the transaction in progress. */
static gboolean
audit (QsRequest            *req,
       const QsStoreWebhook *webhook,
       const char           *action)
{
  return qs_audit (req, webhook->org_id, action, "webhook", webhook->id, webhook->url, NULL);
}

/* The record of an edit: what changed from before to saved (never the
 * secret, which an edit does not change). */
static gboolean
audit_update (QsRequest            *req,
              const QsStoreWebhook *before,
              const QsStoreWebhook *saved)
{
  g_autoptr(JsonObject) changes = NULL;

  qs_audit_change_string (&changes, "url", before->url, saved->url);
  qs_audit_change_strv (&changes, "events", (const char * const *) before->events,
                        (const char * const *) saved->events);
  qs_audit_change_string (&changes, "description", before->description, saved->description);
  qs_audit_change_boolean (&changes, "enabled", before->enabled, saved->enabled);
  return qs_audit_changed (req, saved->org_id, "webhook.updated", "webhook", saved->id, saved->url, NULL,
                           changes);
}

static gboolean
check_url (QsRequest  *req,
           const char *url)
{
  const char *code, *message;
  g_autoptr(GPtrArray) errors = NULL;

  if (qs_webhook_url_check (url, req->server->config.allow_insecure_webhooks, &code, &message))
    return TRUE;
  errors = qs_field_errors_new ();
  qs_field_errors_add (errors, "url", code, message);
  qs_respond_validation (req, errors);
  return FALSE;
}

/* -------------------------------------------------------- saving, async */

typedef void (*SaveFunc) (QsRequest       *req,
                          QsWebhookFields *fields);

typedef struct
{
  QsRequest       *req;
  QsWebhookFields  fields;
  SaveFunc         save;
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  qs_webhook_fields_clear (&job->fields);
  g_free (job);
}

static void
url_resolved_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SaveJob *job = user_data;
  QsRequest *req = job->req;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) address = qs_webhook_resolve_finish (result, &error);

  if (address == NULL)
    {
      g_autoptr(GPtrArray) errors = qs_field_errors_new ();

      if (g_error_matches (error, QS_WEBHOOK_ERROR, QS_WEBHOOK_ERROR_FORBIDDEN_ADDRESS))
        {
          g_autofree char *message = g_strdup_printf ("Webhooks must go to a public address: %s.", error->message);

          qs_field_errors_add (errors, "url", "forbidden_address", message);
          qs_respond_validation (req, errors);
        }
      else if (g_error_matches (error, QS_WEBHOOK_ERROR, QS_WEBHOOK_ERROR_UNRESOLVED))
        {
          g_autofree char *message = g_strdup_printf ("The host cannot be found: %s.", error->message);

          qs_field_errors_add (errors, "url", "invalid_url", message);
          qs_respond_validation (req, errors);
        }
      else
        qs_respond_error (req, 503, "shutting_down", "The server is shutting down.");
    }
  else
    job->save (req, &job->fields);

  save_job_free (job);
  g_assert (req->async_ops > 0);
  if (--req->async_ops == 0)
    {
      soup_server_message_unpause (req->msg);
      qs_request_free (req);
    }
}

/* Checks fields->url's addresses (unless the server allows any), then
 * save (). Without a URL, or with --allow-insecure-webhooks, save () runs
 * at once. fields is taken. */
static void
check_addresses_then (QsRequest       *req,
                      QsWebhookFields *fields,
                      SaveFunc         save)
{
  SaveJob *job;

  if (fields->url == NULL || req->server->config.allow_insecure_webhooks)
    {
      save (req, fields);
      return;
    }
  job = g_new0 (SaveJob, 1);
  job->req = req;
  job->fields = *fields;
  memset (fields, 0, sizeof *fields);
  job->save = save;
  if (req->async_ops++ == 0)
    soup_server_message_pause (req->msg);
  qs_webhook_resolve_async (job->fields.url, FALSE, req->server->webhook_cancellable, url_resolved_cb, job);
}

/* ---------------------------------------------------------------- routes */

void
qs_handle_webhooks_list (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_autoptr(QsStoreWebhookPage) page = NULL;
  g_autoptr(JsonObject) response = json_object_new ();
  g_autofree char *cursor_id = NULL;
  g_autofree char *next = NULL;
  const char *cursor = qs_query (req, "cursor");
  gint64 cursor_created = 0;
  guint limit;
  JsonArray *items;

  limit = qs_query_limit (req, 50, errors);
  if (cursor != NULL && !qs_key_cursor_decode (cursor, "whk_", &cursor_created, &cursor_id))
    qs_field_errors_add (errors, "cursor", "invalid", "This cursor is not valid.");
  if (errors->len > 0)
    {
      qs_respond_validation (req, errors);
      return;
    }
  page = qs_store_webhook_list (req->store, org_id, cursor_created, cursor_id, limit, NULL);
  if (page == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  items = json_array_new ();
  json_object_set_array_member (response, "items", items);
  for (guint i = 0; i < page->items->len; i++)
    json_array_add_object_element (items, webhook_json (g_ptr_array_index (page->items, i)));
  if (page->more)
    {
      QsStoreWebhook *last = g_ptr_array_index (page->items, page->items->len - 1);

      next = qs_key_cursor_encode (last->created_at, last->id);
    }
  qs_json_set_string_or_null (response, "next_cursor", next);
  json_object_set_int_member (response, "total", page->total);
  qs_respond_object (req, 200, response);
}

static gboolean
respond_too_many (QsRequest  *req,
                  const char *org_id)
{
  gint64 count = qs_store_webhook_count (req->store, org_id, NULL);

  if (count < 0)
    {
      qs_respond_internal (req);
      return TRUE;
    }
  if (count < QS_WEBHOOKS_PER_ORG)
    return FALSE;
  qs_respond_error (req, 409, "too_many_webhooks",
                    "This organization has 20 webhooks, the most it can have; delete one first.");
  return TRUE;
}

static void
create_save (QsRequest       *req,
             QsWebhookFields *fields)
{
  const char *org_id = qs_request_param (req, "org_id");
  g_autoptr(QsStoreTxn) txn = NULL;
  g_autoptr(QsStoreMember) me = NULL;
  g_autofree char *secret = qs_new_token ("whsec_");
  g_autofree char *id = qs_new_id ("whk_");
  g_autoptr(QsStoreWebhook) saved = NULL;
  gint64 now = qs_now ();
  QsStoreWebhook webhook = {
    .id = id,
    .org_id = (char *) org_id,
    .url = fields->url,
    .events = fields->events,
    .description = fields->description != NULL ? fields->description : (char *) "",
    .enabled = fields->has_enabled ? fields->enabled : TRUE,
    .secret = secret,
    .created_at = now,
  };

  /* The caller and their role again: the URL's lookup may have paused the
   * request while they were signed out, demoted or removed. */
  if (!(txn = qs_begin_membership_after_pause (req, org_id, QUORUM_PERMISSION_MANAGE_DEVELOPERS, &me)))
    return;
  /* The cap again, inside the transaction that inserts. */
  if (respond_too_many (req, org_id))
    return;
  if (!qs_store_webhook_insert (req->store, &webhook, NULL) ||
      !(saved = qs_store_webhook_get (req->store, org_id, id, NULL)) ||
      !audit (req, saved, "webhook.created") ||
      !qs_store_txn_commit (txn, NULL))
    {
      qs_respond_internal (req);
      return;
    }
  respond_webhook (req, 201, saved, secret);
}

void
qs_handle_webhooks_create (QsRequest *req)
{
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_auto(QsWebhookFields) input = { 0 };

  if (!qs_check_parse (req, qs_parse_webhook_create (req->body, req->body_len, &input, errors), errors) ||
      !check_url (req, input.url) ||
      respond_too_many (req, qs_request_param (req, "org_id")))
    return;
  check_addresses_then (req, &input, create_save);
}

void
qs_handle_webhook_get (QsRequest *req)
{
  g_autoptr(QsStoreWebhook) webhook = load_webhook (req);

  if (webhook != NULL)
    respond_webhook (req, 200, webhook, NULL);
}

static void
patch_save (QsRequest       *req,
            QsWebhookFields *fields)
{
  g_autoptr(QsStoreTxn) txn = NULL;
  g_autoptr(QsStoreMember) me = NULL;
  g_autoptr(QsStoreWebhook) webhook = NULL;
  g_autoptr(QsStoreWebhook) before = NULL;
  g_autoptr(QsStoreWebhook) saved = NULL;
  g_autofree char *etag = NULL;

  /* As create_save (): decided again after the URL's lookup. */
  if (!(txn = qs_begin_membership_after_pause (req, qs_request_param (req, "org_id"),
                                               QUORUM_PERMISSION_MANAGE_DEVELOPERS, &me)))
    return;
  if (!(webhook = load_webhook (req)))
    return;
  etag = webhook_etag (webhook);
  if (!qs_check_if_match (req, etag))
    return;
  if (fields->url == NULL && fields->events == NULL && !fields->has_enabled && fields->description == NULL)
    {
      respond_webhook (req, 200, webhook, NULL);
      return;
    }
  if (!(before = qs_store_webhook_get (req->store, webhook->org_id, webhook->id, NULL)))
    {
      qs_respond_internal (req);
      return;
    }
  if (fields->url != NULL)
    {
      g_free (webhook->url);
      webhook->url = g_steal_pointer (&fields->url);
    }
  if (fields->events != NULL)
    {
      g_strfreev (webhook->events);
      webhook->events = g_steal_pointer (&fields->events);
    }
  if (fields->description != NULL)
    {
      g_free (webhook->description);
      webhook->description = g_steal_pointer (&fields->description);
    }
  if (fields->has_enabled)
    webhook->enabled = fields->enabled;
  if (!qs_store_webhook_update (req->store, webhook, NULL) ||
      !(saved = qs_store_webhook_get (req->store, webhook->org_id, webhook->id, NULL)) ||
      !audit_update (req, before, saved) ||
      !qs_store_txn_commit (txn, NULL))
    {
      qs_respond_internal (req);
      return;
    }
  respond_webhook (req, 200, saved, NULL);
}

static gboolean
changes_more_than_enabled (const QsStoreWebhook  *webhook,
                           const QsWebhookFields *input)
{
  if (input->url != NULL && strcmp (input->url, webhook->url) != 0)
    return TRUE;
  if (input->description != NULL && g_strcmp0 (input->description, webhook->description) != 0)
    return TRUE;
  if (input->events != NULL)
    {
      guint n = 0;

      for (guint i = 0; webhook->events[i] != NULL; i++)
        if (*webhook->events[i] != '\0')
          {
            if (!g_strv_contains ((const char * const *) input->events, webhook->events[i]))
              return TRUE;
            n++;
          }
      if (n != g_strv_length (input->events))
        return TRUE;
    }
  return FALSE;
}

void
qs_handle_webhook_patch (QsRequest *req)
{
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_auto(QsWebhookFields) input = { 0 };
  g_autoptr(QsStoreWebhook) webhook = NULL;
  g_autofree char *etag = NULL;

  if (!qs_check_parse (req, qs_parse_webhook_patch (req->body, req->body_len, &input, errors), errors) ||
      (input.url != NULL && !check_url (req, input.url)))
    return;
  /* 404 and 412 before any lookup; both are decided again when saving. */
  if (!(webhook = load_webhook (req)))
    return;
  /* An API key may switch a webhook on and off, never point it elsewhere
   * or change what it receives. */
  if (req->api_key != NULL && changes_more_than_enabled (webhook, &input))
    {
      qs_respond_api_key_forbidden (req);
      return;
    }
  etag = webhook_etag (webhook);
  if (!qs_check_if_match (req, etag))
    return;
  check_addresses_then (req, &input, patch_save);
}

void
qs_handle_webhook_delete (QsRequest *req)
{
  g_autoptr(QsStoreTxn) txn = NULL;
  g_autoptr(QsStoreWebhook) webhook = NULL;

  if (!(txn = qs_store_begin (req->store, NULL)))
    {
      qs_respond_internal (req);
      return;
    }
  if (!(webhook = load_webhook (req)))
    return;
  qs_respond_committed (req, txn,
                        qs_store_webhook_delete (req->store, webhook->id, NULL) &&
                        audit (req, webhook, "webhook.deleted"),
                        204);
}

void
qs_handle_webhook_roll_secret (QsRequest *req)
{
  g_autoptr(QsStoreTxn) txn = NULL;
  g_autoptr(QsStoreWebhook) webhook = NULL;
  g_autofree char *secret = qs_new_token ("whsec_");

  if (!(txn = qs_store_begin (req->store, NULL)))
    {
      qs_respond_internal (req);
      return;
    }
  if (!(webhook = load_webhook (req)))
    return;
  /* Tries from now on, retries of earlier events included, are signed
   * with the new secret. */
  if (!qs_store_webhook_set_secret (req->store, webhook->id, secret, NULL) ||
      !audit (req, webhook, "webhook.secret_rolled") ||
      !qs_store_txn_commit (txn, NULL))
    {
      qs_respond_internal (req);
      return;
    }
  respond_webhook (req, 200, webhook, secret);
}

void
qs_handle_webhook_deliveries (QsRequest *req)
{
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_autoptr(QsStoreWebhook) webhook = NULL;
  g_autoptr(QsStoreWebhookPage) page = NULL;
  g_autoptr(JsonObject) response = json_object_new ();
  g_autofree char *cursor_key = NULL;
  g_autofree char *next = NULL;
  const char *cursor = qs_query (req, "cursor");
  gint64 cursor_seq = 0;
  guint limit;
  JsonArray *items;

  limit = qs_query_limit (req, 50, errors);
  if (cursor != NULL && (!qs_key_cursor_decode (cursor, "dlv_", &cursor_seq, &cursor_key) || cursor_seq < 1))
    qs_field_errors_add (errors, "cursor", "invalid", "This cursor is not valid.");
  if (errors->len > 0)
    {
      qs_respond_validation (req, errors);
      return;
    }
  if (!(webhook = load_webhook (req)))
    return;
  page = qs_store_delivery_list (req->store, webhook->id, cursor_seq, limit, NULL);
  if (page == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  items = json_array_new ();
  json_object_set_array_member (response, "items", items);
  for (guint i = 0; i < page->items->len; i++)
    json_array_add_object_element (items, delivery_json (g_ptr_array_index (page->items, i)));
  if (page->more)
    {
      QsStoreDelivery *last = g_ptr_array_index (page->items, page->items->len - 1);

      next = qs_key_cursor_encode (last->seq, last->id);
    }
  qs_json_set_string_or_null (response, "next_cursor", next);
  json_object_set_int_member (response, "total", page->total);
  qs_respond_object (req, 200, response);
}

/* Queues a manual try of event_id (NULL: a new ping) to the path's webhook
 * and answers 202 with it. */
static void
queue_manual (QsRequest  *req,
              const char *event_id,
              const char *action)
{
  g_autoptr(QsStoreTxn) txn = NULL;
  g_autoptr(QsStoreWebhook) webhook = NULL;
  g_autoptr(QsStoreDelivery) delivery = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *ping_id = NULL;
  g_autofree char *data = NULL;
  gint64 now = qs_now ();
  gint64 waiting;

  if (!(txn = qs_store_begin (req->store, NULL)))
    {
      qs_respond_internal (req);
      return;
    }
  if (!(webhook = load_webhook (req)))
    return;
  /* Pings and resends make the server send requests: a few may wait at a
   * time, so nobody turns it into a flood against an endpoint. */
  waiting = qs_store_delivery_count_manual_waiting (req->store, webhook->id, NULL);
  if (waiting < 0)
    {
      qs_respond_internal (req);
      return;
    }
  if (waiting >= QS_WEBHOOK_MANUAL_WAITING)
    {
      qs_respond_rate_limited (req, 1);
      return;
    }
  if (event_id == NULL)
    {
      data = g_strdup_printf ("{\"webhook_id\":\"%s\"}", webhook->id);
      ping_id = qs_new_id ("evt_");
      if (!qs_store_event_insert (req->store, ping_id, webhook->org_id, "ping", data, now, NULL))
        {
          qs_respond_internal (req);
          return;
        }
      event_id = ping_id;
    }
  if (!(delivery = qs_store_delivery_queue_manual (req->store, webhook->id, event_id, now, NULL)) ||
      !audit (req, webhook, action) ||
      !qs_store_txn_commit (txn, NULL))
    {
      qs_respond_internal (req);
      return;
    }
  qs_webhook_queue_kick (req->server);
  object = delivery_json (delivery);
  qs_respond_object (req, 202, object);
}

void
qs_handle_webhook_test (QsRequest *req)
{
  queue_manual (req, NULL, "webhook.tested");
}

void
qs_handle_webhook_resend (QsRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QsStoreDelivery) delivery = NULL;

  delivery = qs_store_delivery_get (req->store, qs_request_param (req, "webhook_id"),
                                    qs_request_param (req, "delivery_id"), &error);
  if (delivery == NULL && error != NULL)
    {
      qs_respond_internal (req);
      return;
    }
  /* Another webhook's delivery, or another organization's, is unknown here. */
  if (delivery == NULL)
    {
      g_autoptr(QsStoreWebhook) webhook = load_webhook (req);

      if (webhook != NULL)
        qs_respond_error (req, 404, "delivery_not_found", "There is no such delivery of this webhook.");
      return;
    }
  queue_manual (req, delivery->event_id, "webhook.delivery_resent");
}
