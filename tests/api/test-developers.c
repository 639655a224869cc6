/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-api.h"
#include "quorum-test-person.h"
#include "quorum-test-receiver.h"
#include "quorum-test-server.h"
#include "quorum-test-settings.h"
#include "quorum-test-wait.h"

/*
 * The Developers calls against the real quorum-server: API keys (create,
 * list, use, rotate, revoke), what a key may not do, webhooks (to a
 * receiver of the test's own, which --allow-insecure-webhooks permits) with
 * their deliveries, and the audit log through the client and through
 * QuorumAuditLog's pages.
 */

#define PASSWORD "correct horse battery"

static QuorumTestServer *server;

#define SYNC(call, finish) \
  ({ g_autoptr(GAsyncResult) result = NULL; call; quorum_test_wait_result (&result); finish; })

static QuorumTestPerson *
sign_up (const char *name)
{
  QuorumTestPerson *person = quorum_test_person_sign_up (server, name, PASSWORD, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (person->organization);
  g_assert_true (quorum_test_server_verify_email (server, person->email, &error));
  g_assert_no_error (error);
  return person;
}

static const char *
org_id (QuorumTestPerson *person)
{
  return quorum_organization_get_id (person->organization);
}

static QuorumApiKey *
create_key (QuorumTestPerson *person,
            const char       *name,
            QuorumScope       scopes,
            GDateTime        *expires_at,
            GError          **error)
{
  return SYNC (quorum_client_create_api_key_async (person->client, org_id (person), name, scopes, expires_at,
                                                   NULL, quorum_test_store_result, &result),
               quorum_client_create_api_key_finish (person->client, result, error));
}

static GPtrArray *
list_keys (QuorumTestPerson *person,
           GError          **error)
{
  return SYNC (quorum_client_list_api_keys_async (person->client, org_id (person), NULL, 0, NULL,
                                                  quorum_test_store_result, &result),
               quorum_client_list_api_keys_finish (person->client, result, NULL, NULL, error));
}

/* A client that uses @secret as its token, as a script would. */
static QuorumClient *
key_client (const char *secret)
{
  QuorumClient *client = quorum_client_new (quorum_test_server_get_url (server));

  quorum_client_set_token (client, secret);
  return client;
}

static QuorumOrganization *
get_org_with (QuorumClient *client,
              const char   *id,
              GError      **error)
{
  return SYNC (quorum_client_get_organization_async (client, id, NULL, quorum_test_store_result, &result),
               quorum_client_get_organization_finish (client, result, error));
}

/* Create with scopes and expiry; the secret once; the list without it; the
 * key works for its organization. */
static void
test_create_and_use (void)
{
  g_autoptr(QuorumTestPerson) ada = sign_up ("AdaKeys");
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) in_30 = g_date_time_add_days (now, 30);
  g_autoptr(QuorumApiKey) key = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(QuorumClient) script = NULL;
  g_autoptr(QuorumOrganization) organization = NULL;
  QuorumApiKey *listed;

  key = create_key (ada, "CI deploys", QUORUM_SCOPE_ORG_READ | QUORUM_SCOPE_MEMBERS_READ, in_30, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (quorum_api_key_get_id (key), "key_"));
  g_assert_cmpstr (quorum_api_key_get_name (key), ==, "CI deploys");
  g_assert_cmpuint (quorum_api_key_get_scopes (key), ==, QUORUM_SCOPE_ORG_READ | QUORUM_SCOPE_MEMBERS_READ);
  g_assert_nonnull (quorum_api_key_get_secret (key));
  g_assert_true (g_str_has_prefix (quorum_api_key_get_secret (key), "qrm_k_"));
  g_assert_true (g_str_has_prefix (quorum_api_key_get_secret (key), quorum_api_key_get_prefix (key)));
  /* Sent in whole seconds, UTC: the day comes back as asked. */
  g_assert_nonnull (quorum_api_key_get_expires_at (key));
  g_assert_cmpint (g_date_time_get_day_of_year (quorum_api_key_get_expires_at (key)), ==,
                   g_date_time_get_day_of_year (in_30));
  g_assert_null (quorum_api_key_get_last_used_at (key));
  g_assert_cmpstr (quorum_api_key_get_created_by_id (key), ==, quorum_user_get_id (ada->user));

  keys = list_keys (ada, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, ==, 1);
  listed = g_ptr_array_index (keys, 0);
  g_assert_cmpstr (quorum_api_key_get_id (listed), ==, quorum_api_key_get_id (key));
  g_assert_null (quorum_api_key_get_secret (listed));

  script = key_client (quorum_api_key_get_secret (key));
  organization = get_org_with (script, org_id (ada), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (quorum_organization_get_id (organization), ==, org_id (ada));

  /* A key never manages keys. */
  {
    g_autoptr(GPtrArray) none = NULL;
    g_autoptr(GError) refused = NULL;

    none = SYNC (quorum_client_list_api_keys_async (script, org_id (ada), NULL, 0, NULL,
                                                    quorum_test_store_result, &result),
                 quorum_client_list_api_keys_finish (script, result, NULL, NULL, &refused));
    g_assert_null (none);
    g_assert_error (refused, QUORUM_API_ERROR, QUORUM_API_ERROR_FORBIDDEN);
  }
}

/* The server's refusals come back as errors the app can tell apart. */
static void
test_create_refused (void)
{
  g_autoptr(QuorumTestPerson) ada = sign_up ("AdaRefused");
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) past = g_date_time_add_days (now, -1);
  g_autoptr(QuorumApiKey) key = NULL;

  key = create_key (ada, "Yesterday", QUORUM_SCOPE_ORG_READ, past, &error);
  g_assert_null (key);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_VALIDATION);
  g_assert_nonnull (quorum_api_error_get_field_message (error, "expires_at"));
  g_clear_error (&error);

  key = create_key (ada, "   ", QUORUM_SCOPE_ORG_READ, NULL, &error);
  g_assert_null (key);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_VALIDATION);
  g_assert_nonnull (quorum_api_error_get_field_message (error, "name"));
}

/* Rotate with no grace: the old secret stops, the new one works, under the
 * same name and scopes; revoke: the new one stops too. */
static void
test_rotate_and_revoke (void)
{
  g_autoptr(QuorumTestPerson) ada = sign_up ("AdaRotates");
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumApiKey) old_key = NULL;
  g_autoptr(QuorumApiKey) new_key = NULL;
  g_autoptr(QuorumClient) old_script = NULL;
  g_autoptr(QuorumClient) new_script = NULL;
  g_autoptr(QuorumOrganization) organization = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  gboolean revoked;

  old_key = create_key (ada, "Nightly", QUORUM_SCOPE_ORG_READ, NULL, &error);
  g_assert_no_error (error);
  old_script = key_client (quorum_api_key_get_secret (old_key));

  new_key = SYNC (quorum_client_rotate_api_key_async (ada->client, org_id (ada), quorum_api_key_get_id (old_key),
                                                      0, NULL, quorum_test_store_result, &result),
                  quorum_client_rotate_api_key_finish (ada->client, result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (quorum_api_key_get_id (new_key), !=, quorum_api_key_get_id (old_key));
  g_assert_cmpstr (quorum_api_key_get_name (new_key), ==, "Nightly");
  g_assert_cmpuint (quorum_api_key_get_scopes (new_key), ==, QUORUM_SCOPE_ORG_READ);
  g_assert_cmpstr (quorum_api_key_get_secret (new_key), !=, quorum_api_key_get_secret (old_key));
  new_script = key_client (quorum_api_key_get_secret (new_key));

  organization = get_org_with (old_script, org_id (ada), &error);
  g_assert_null (organization);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_UNAUTHENTICATED);
  g_clear_error (&error);
  organization = get_org_with (new_script, org_id (ada), &error);
  g_assert_no_error (error);
  g_clear_object (&organization);

  revoked = SYNC (quorum_client_revoke_api_key_async (ada->client, org_id (ada), quorum_api_key_get_id (new_key),
                                                      NULL, quorum_test_store_result, &result),
                  quorum_client_revoke_api_key_finish (ada->client, result, &error));
  g_assert_no_error (error);
  g_assert_true (revoked);
  organization = get_org_with (new_script, org_id (ada), &error);
  g_assert_null (organization);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_UNAUTHENTICATED);
  g_clear_error (&error);

  /* Revoked keys are not listed. */
  keys = list_keys (ada, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < keys->len; i++)
    g_assert_cmpstr (quorum_api_key_get_id (g_ptr_array_index (keys, i)), !=, quorum_api_key_get_id (new_key));

  /* Gone is gone. */
  revoked = SYNC (quorum_client_revoke_api_key_async (ada->client, org_id (ada), quorum_api_key_get_id (new_key),
                                                      NULL, quorum_test_store_result, &result),
                  quorum_client_revoke_api_key_finish (ada->client, result, &error));
  g_assert_false (revoked);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_NOT_FOUND);
}

static QuorumWebhook *
create_webhook (QuorumTestPerson   *person,
                const char         *url,
                const char * const *events,
                GError            **error)
{
  return SYNC (quorum_client_create_webhook_async (person->client, org_id (person), url, events, "Staff sync", TRUE,
                                                   NULL, quorum_test_store_result, &result),
               quorum_client_create_webhook_finish (person->client, result, error));
}

static GPtrArray *
list_deliveries (QuorumTestPerson *person,
                 const char       *webhook_id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *deliveries;

  deliveries = SYNC (quorum_client_list_deliveries_async (person->client, org_id (person), webhook_id, NULL, 0,
                                                          NULL, quorum_test_store_result, &result),
                     quorum_client_list_deliveries_finish (person->client, result, NULL, NULL, &error));
  g_assert_no_error (error);
  return deliveries;
}

typedef struct
{
  QuorumTestReceiver *receiver;
  guint               count;
} Received;

static gboolean
received (gpointer data)
{
  Received *r = data;

  return quorum_test_receiver_get_count (r->receiver) >= r->count;
}

typedef struct
{
  QuorumTestPerson *person;
  const char       *webhook_id;
  const char       *delivery_id;
} Delivered;

/* The attempt @delivery_id is no longer pending. */
static gboolean
delivered (gpointer data)
{
  Delivered *d = data;
  g_autoptr(GPtrArray) deliveries = list_deliveries (d->person, d->webhook_id);

  for (guint i = 0; i < deliveries->len; i++)
    {
      QuorumDelivery *delivery = g_ptr_array_index (deliveries, i);

      if (g_str_equal (quorum_delivery_get_id (delivery), d->delivery_id))
        return quorum_delivery_get_status (delivery) != QUORUM_DELIVERY_PENDING;
    }
  return FALSE;
}

/* Create (the secret once), list, get with its ETag, change with If-Match
 * (a stale one refused), ping, the delivery logged and signed, resend, roll
 * the secret (the next ping signed with the new one), turn off, delete. */
static void
test_webhooks (void)
{
  g_autoptr(QuorumTestPerson) ada = sign_up ("AdaHooks");
  g_autoptr(QuorumTestReceiver) receiver = quorum_test_receiver_new ();
  const char *events[] = { "member.added", "member.removed", NULL };
  const char *fewer[] = { "member.added", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumWebhook) webhook = NULL;
  g_autoptr(QuorumWebhook) got = NULL;
  g_autoptr(QuorumWebhook) changed = NULL;
  g_autoptr(QuorumWebhook) stale = NULL;
  g_autoptr(QuorumWebhook) rolled = NULL;
  g_autoptr(QuorumWebhook) off = NULL;
  g_autoptr(QuorumDelivery) ping = NULL;
  g_autoptr(QuorumDelivery) again = NULL;
  g_autoptr(QuorumDelivery) second = NULL;
  g_autoptr(GPtrArray) webhooks = NULL;
  g_autoptr(GPtrArray) deliveries = NULL;
  g_autofree char *secret = NULL;
  Received r = { receiver, 1 };
  Delivered d = { ada, NULL, NULL };
  QuorumDelivery *logged = NULL;
  gboolean deleted;

  webhook = create_webhook (ada, quorum_test_receiver_get_url (receiver), events, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (quorum_webhook_get_id (webhook), "whk_"));
  g_assert_cmpstr (quorum_webhook_get_url (webhook), ==, quorum_test_receiver_get_url (receiver));
  g_assert_true (quorum_webhook_has_event (webhook, "member.removed"));
  g_assert_true (quorum_webhook_get_enabled (webhook));
  g_assert_cmpstr (quorum_webhook_get_description (webhook), ==, "Staff sync");
  g_assert_true (g_str_has_prefix (quorum_webhook_get_secret (webhook), "whsec_"));
  secret = g_strdup (quorum_webhook_get_secret (webhook));
  d.webhook_id = quorum_webhook_get_id (webhook);

  webhooks = SYNC (quorum_client_list_webhooks_async (ada->client, org_id (ada), NULL, 0, NULL,
                                                      quorum_test_store_result, &result),
                   quorum_client_list_webhooks_finish (ada->client, result, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (webhooks->len, ==, 1);
  g_assert_null (quorum_webhook_get_secret (g_ptr_array_index (webhooks, 0)));

  got = SYNC (quorum_client_get_webhook_async (ada->client, org_id (ada), d.webhook_id, NULL,
                                               quorum_test_store_result, &result),
              quorum_client_get_webhook_finish (ada->client, result, &error));
  g_assert_no_error (error);
  g_assert_nonnull (quorum_webhook_get_etag (got));
  changed = SYNC (quorum_client_update_webhook_async (ada->client, org_id (ada), d.webhook_id,
                                                     quorum_webhook_get_etag (got), NULL, fewer, NULL,
                                                     QUORUM_WEBHOOK_KEEP, NULL, quorum_test_store_result, &result),
                  quorum_client_update_webhook_finish (ada->client, result, &error));
  g_assert_no_error (error);
  g_assert_false (quorum_webhook_has_event (changed, "member.removed"));
  g_assert_true (quorum_webhook_get_enabled (changed));
  /* The ETag it was shown with is stale now. */
  stale = SYNC (quorum_client_update_webhook_async (ada->client, org_id (ada), d.webhook_id,
                                                   quorum_webhook_get_etag (got), NULL, events, NULL,
                                                   QUORUM_WEBHOOK_KEEP, NULL, quorum_test_store_result, &result),
                quorum_client_update_webhook_finish (ada->client, result, &error));
  g_assert_null (stale);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_PRECONDITION_FAILED);
  g_clear_error (&error);

  ping = SYNC (quorum_client_test_webhook_async (ada->client, org_id (ada), d.webhook_id, NULL,
                                                quorum_test_store_result, &result),
               quorum_client_test_webhook_finish (ada->client, result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (quorum_delivery_get_event (ping), ==, "ping");
  g_assert_cmpstr (quorum_delivery_get_webhook_id (ping), ==, d.webhook_id);
  quorum_test_wait_until (received, &r, 15);
  g_assert_cmpstr (quorum_test_receiver_get_last_type (receiver), ==, "ping");
  g_assert_true (quorum_test_receiver_last_signed_with (receiver, secret));
  d.delivery_id = quorum_delivery_get_id (ping);
  quorum_test_wait_until (delivered, &d, 15);
  deliveries = list_deliveries (ada, d.webhook_id);
  for (guint i = 0; i < deliveries->len; i++)
    if (g_str_equal (quorum_delivery_get_id (g_ptr_array_index (deliveries, i)), d.delivery_id))
      logged = g_ptr_array_index (deliveries, i);
  g_assert_nonnull (logged);
  g_assert_cmpint (quorum_delivery_get_status (logged), ==, QUORUM_DELIVERY_SUCCEEDED);
  g_assert_cmpuint (quorum_delivery_get_response_status (logged), ==, 200);
  g_assert_cmpint (quorum_delivery_get_duration_ms (logged), >=, 0);

  /* Resend: the same event again, a new attempt. */
  again = SYNC (quorum_client_resend_delivery_async (ada->client, org_id (ada), d.webhook_id, d.delivery_id, NULL,
                                                    quorum_test_store_result, &result),
                quorum_client_resend_delivery_finish (ada->client, result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (quorum_delivery_get_id (again), !=, d.delivery_id);
  g_assert_cmpstr (quorum_delivery_get_event_id (again), ==, quorum_delivery_get_event_id (ping));
  r.count = 2;
  quorum_test_wait_until (received, &r, 15);

  /* A new secret, shown once; what is sent next is signed with it. */
  rolled = SYNC (quorum_client_roll_webhook_secret_async (ada->client, org_id (ada), d.webhook_id, NULL,
                                                         quorum_test_store_result, &result),
                 quorum_client_roll_webhook_secret_finish (ada->client, result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (quorum_webhook_get_secret (rolled), !=, secret);
  second = SYNC (quorum_client_test_webhook_async (ada->client, org_id (ada), d.webhook_id, NULL,
                                                  quorum_test_store_result, &result),
                 quorum_client_test_webhook_finish (ada->client, result, &error));
  g_assert_no_error (error);
  r.count = 3;
  quorum_test_wait_until (received, &r, 15);
  g_assert_true (quorum_test_receiver_last_signed_with (receiver, quorum_webhook_get_secret (rolled)));
  g_assert_false (quorum_test_receiver_last_signed_with (receiver, secret));

  off = SYNC (quorum_client_update_webhook_async (ada->client, org_id (ada), d.webhook_id, NULL, NULL, NULL, NULL,
                                                 QUORUM_WEBHOOK_DISABLE, NULL, quorum_test_store_result, &result),
              quorum_client_update_webhook_finish (ada->client, result, &error));
  g_assert_no_error (error);
  g_assert_false (quorum_webhook_get_enabled (off));
  g_assert_false (quorum_webhook_has_event (off, "member.removed"));

  deleted = SYNC (quorum_client_delete_webhook_async (ada->client, org_id (ada), d.webhook_id, NULL,
                                                      quorum_test_store_result, &result),
                  quorum_client_delete_webhook_finish (ada->client, result, &error));
  g_assert_no_error (error);
  g_assert_true (deleted);
  g_clear_object (&got);
  got = SYNC (quorum_client_get_webhook_async (ada->client, org_id (ada), d.webhook_id, NULL,
                                              quorum_test_store_result, &result),
              quorum_client_get_webhook_finish (ada->client, result, &error));
  g_assert_null (got);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_NOT_FOUND);
}

/* A failing receiver: the try is logged as failed with its status. */
static void
test_webhook_failing_receiver (void)
{
  g_autoptr(QuorumTestPerson) ada = sign_up ("AdaFails");
  g_autoptr(QuorumTestReceiver) receiver = quorum_test_receiver_new ();
  const char *events[] = { "member.added", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumWebhook) webhook = NULL;
  g_autoptr(QuorumDelivery) ping = NULL;
  g_autoptr(GPtrArray) deliveries = NULL;
  Delivered d = { ada, NULL, NULL };

  quorum_test_receiver_set_status (receiver, 503);
  webhook = create_webhook (ada, quorum_test_receiver_get_url (receiver), events, &error);
  g_assert_no_error (error);
  d.webhook_id = quorum_webhook_get_id (webhook);
  ping = SYNC (quorum_client_test_webhook_async (ada->client, org_id (ada), d.webhook_id, NULL,
                                                quorum_test_store_result, &result),
               quorum_client_test_webhook_finish (ada->client, result, &error));
  g_assert_no_error (error);
  d.delivery_id = quorum_delivery_get_id (ping);
  quorum_test_wait_until (delivered, &d, 15);
  deliveries = list_deliveries (ada, d.webhook_id);
  g_assert_cmpuint (deliveries->len, >=, 1);
  g_assert_cmpint (quorum_delivery_get_status (g_ptr_array_index (deliveries, 0)), ==, QUORUM_DELIVERY_FAILED);
  g_assert_cmpuint (quorum_delivery_get_response_status (g_ptr_array_index (deliveries, 0)), ==, 503);
}

static GPtrArray *
list_audit (QuorumTestPerson *person,
            const char       *action,
            const char       *actor,
            const char       *cursor,
            guint             limit,
            char            **next_cursor,
            guint            *total,
            GError          **error)
{
  return SYNC (quorum_client_list_audit_events_async (person->client, org_id (person), action, actor, NULL, NULL,
                                                      cursor, limit, NULL, quorum_test_store_result, &result),
               quorum_client_list_audit_events_finish (person->client, result, next_cursor, total, error));
}

/* The audit log names who did what, by user and by key, newest first, and
 * its filters narrow it. */
static void
test_audit_events (void)
{
  g_autoptr(QuorumTestPerson) ada = sign_up ("AdaAudits");
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumApiKey) key = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) revoked = NULL;
  g_autoptr(GPtrArray) by_ada = NULL;
  QuorumAuditEvent *newest;
  guint total = 0;

  key = create_key (ada, "Auditor", QUORUM_SCOPE_ORG_READ, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (SYNC (quorum_client_revoke_api_key_async (ada->client, org_id (ada), quorum_api_key_get_id (key),
                                                           NULL, quorum_test_store_result, &result),
                       quorum_client_revoke_api_key_finish (ada->client, result, &error)));
  g_assert_no_error (error);

  events = list_audit (ada, NULL, NULL, NULL, 0, NULL, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, >=, 2);
  g_assert_cmpuint (total, ==, events->len);
  newest = g_ptr_array_index (events, 0);
  g_assert_cmpstr (quorum_audit_event_get_action (newest), ==, "api_key.revoked");
  g_assert_cmpstr (quorum_audit_event_get_actor_id (newest), ==, quorum_user_get_id (ada->user));
  g_assert_cmpstr (quorum_audit_event_get_actor_name (newest), ==, "AdaAudits");
  g_assert_false (quorum_audit_event_is_by_api_key (newest));
  g_assert_cmpstr (quorum_audit_event_get_target_id (newest), ==, quorum_api_key_get_id (key));
  g_assert_cmpstr (quorum_audit_event_get_target_name (newest), ==, "Auditor");
  g_assert_cmpstr (quorum_audit_event_get_action (g_ptr_array_index (events, 1)), ==, "api_key.created");

  revoked = list_audit (ada, "api_key.revoked", NULL, NULL, 0, NULL, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (revoked->len, ==, 1);
  g_assert_cmpuint (total, ==, 1);

  by_ada = list_audit (ada, NULL, quorum_user_get_id (ada->user), NULL, 0, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < by_ada->len; i++)
    g_assert_cmpstr (quorum_audit_event_get_actor_id (g_ptr_array_index (by_ada, i)), ==,
                     quorum_user_get_id (ada->user));
}

/* A change made with a key is recorded with the key as its actor. */
static void
test_audit_names_the_key (void)
{
  g_autoptr(QuorumTestPerson) ada = sign_up ("AdaScripts");
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumApiKey) key = NULL;
  g_autoptr(QuorumClient) script = NULL;
  g_autoptr(QuorumOrganization) renamed = NULL;
  g_autoptr(GPtrArray) events = NULL;
  QuorumAuditEvent *newest;

  key = create_key (ada, "Renamer", QUORUM_SCOPE_ORG_READ | QUORUM_SCOPE_ORG_WRITE, NULL, &error);
  g_assert_no_error (error);
  script = key_client (quorum_api_key_get_secret (key));
  renamed = SYNC (quorum_client_update_organization_async (script, org_id (ada), NULL, "Renamed by Script", NULL,
                                                           NULL, NULL, quorum_test_store_result, &result),
                  quorum_client_update_organization_finish (script, result, &error));
  g_assert_no_error (error);

  events = list_audit (ada, "organization.updated", NULL, NULL, 0, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  newest = g_ptr_array_index (events, 0);
  g_assert_true (quorum_audit_event_is_by_api_key (newest));
  g_assert_cmpstr (quorum_audit_event_get_actor_id (newest), ==, quorum_api_key_get_id (key));
  g_assert_cmpstr (quorum_audit_event_get_actor_name (newest), ==, "Renamer");
}

/* A webhook's audit records name it by its URL, which may be up to 2,048
 * bytes: the log still reads (once refused whole by the client's cap on
 * names, so one long URL hid every record of its page). */
static void
test_audit_long_webhook_url (void)
{
  g_autoptr(QuorumTestPerson) ada = sign_up ("AdaLongHooks");
  g_autoptr(QuorumTestReceiver) receiver = quorum_test_receiver_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumWebhook) webhook = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *padding = g_strnfill (1900, 'x');
  g_autofree char *url = g_strdup_printf ("%s?pad=%s", quorum_test_receiver_get_url (receiver), padding);
  const char *types[] = { "member.added", NULL };

  g_assert_cmpuint (strlen (url), <=, 2048);  /* the server's cap on webhook URLs */
  webhook = create_webhook (ada, url, types, &error);
  g_assert_no_error (error);

  events = list_audit (ada, "webhook.created", NULL, NULL, 0, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (quorum_audit_event_get_target_id (g_ptr_array_index (events, 0)), ==,
                   quorum_webhook_get_id (webhook));
  g_assert_cmpstr (quorum_audit_event_get_target_name (g_ptr_array_index (events, 0)), ==, url);
}

typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint n_before;
  gboolean exact;
} Changes;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  /* Only ever appended at the end, and exactly what was added. */
  changes->exact = changes->exact && removed == 0 && position == changes->n_before &&
                   g_list_model_get_n_items (model) == changes->n_before + added;
  changes->n_before = g_list_model_get_n_items (model);
  changes->added += added;
}

static gboolean
log_complete (gpointer data)
{
  return quorum_audit_log_get_complete (data) || quorum_audit_log_get_error (data) != NULL;
}

static gboolean
log_idle (gpointer data)
{
  return !quorum_audit_log_get_loading (data);
}

/* QuorumAuditLog reads the whole log a page at a time as it is read, with
 * exact items-changed, no event twice and the server's order. */
static void
test_audit_log_model (void)
{
  g_autoptr(QuorumTestPerson) ada = sign_up ("AdaPages");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(QuorumAuditLog) log = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  Changes changes = { .exact = TRUE };
  guint total = 0;

  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *name = g_strdup_printf ("Key %u", i);
      G_GNUC_UNUSED g_autoptr(QuorumApiKey) key = create_key (ada, name, QUORUM_SCOPE_ORG_READ, NULL, &error);

      g_assert_no_error (error);
    }
  all = list_audit (ada, NULL, NULL, NULL, 0, NULL, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, >=, 6);

  log = quorum_audit_log_new (ada->client, org_id (ada), NULL);
  quorum_audit_log_set_page_size (log, 2);
  g_signal_connect (log, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  /* Reading it starts it; reading towards its end fetches on. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 0);
  while (!quorum_audit_log_get_complete (log))
    {
      guint n;

      quorum_test_wait_until (log_idle, log, 15);
      g_assert_null (quorum_audit_log_get_error (log));
      n = g_list_model_get_n_items (G_LIST_MODEL (log));
      if (n > 0)
        g_object_unref (g_list_model_get_item (G_LIST_MODEL (log), n - 1));
      quorum_test_wait_until (log_idle, log, 15);
    }
  quorum_test_wait_until (log_complete, log, 15);

  g_assert_true (changes.exact);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, all->len);
  g_assert_cmpuint (changes.added, ==, all->len);
  g_assert_cmpuint (quorum_audit_log_get_total (log), ==, total);
  for (guint i = 0; i < all->len; i++)
    {
      g_autoptr(QuorumAuditEvent) event = g_list_model_get_item (G_LIST_MODEL (log), i);

      g_assert_cmpstr (quorum_audit_event_get_id (event), ==,
                       quorum_audit_event_get_id (g_ptr_array_index (all, i)));
      g_assert_true (g_hash_table_add (seen, (gpointer) quorum_audit_event_get_id (event)));
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (log), all->len));
}

/* A filtered log holds only its action; a failing page says why and
 * load_more() is its retry. */
static void
test_audit_log_filter_and_failure (void)
{
  g_autoptr(QuorumTestPerson) ada = sign_up ("AdaFilters");
  g_autoptr(GError) error = NULL;
  G_GNUC_UNUSED g_autoptr(QuorumApiKey) key = create_key (ada, "Only", QUORUM_SCOPE_ORG_READ, NULL, &error);
  g_autoptr(QuorumAuditLog) filtered = NULL;
  g_autoptr(QuorumAuditLog) stranger = NULL;
  g_autoptr(QuorumTestPerson) bob = sign_up ("BobOutsider");

  g_assert_no_error (error);
  filtered = quorum_audit_log_new (ada->client, org_id (ada), "api_key.created");
  quorum_audit_log_load_more (filtered);
  quorum_test_wait_until (log_complete, filtered, 15);
  g_assert_null (quorum_audit_log_get_error (filtered));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (filtered)), ==, 1);

  /* By actor and from a time on: the server's actor and from. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) day_ago = g_date_time_add_days (now, -1);
    g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
    struct { const char *actor; GDateTime *since; gboolean some; } cases[] = {
      { quorum_user_get_id (ada->user), day_ago, TRUE },
      { quorum_user_get_id (ada->user), NULL, TRUE },
      { "usr_nobody", NULL, FALSE },
      { NULL, tomorrow, FALSE },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(QuorumAuditLog) log = quorum_audit_log_new_filtered (ada->client, org_id (ada), NULL,
                                                                       cases[i].actor, cases[i].since);
        guint n;

        g_assert_cmpstr (quorum_audit_log_get_actor_id (log), ==, cases[i].actor);
        g_assert_true (quorum_audit_log_get_since (log) == cases[i].since ||
                       g_date_time_equal (quorum_audit_log_get_since (log), cases[i].since));
        quorum_audit_log_load_more (log);
        quorum_test_wait_until (log_complete, log, 15);
        g_assert_null (quorum_audit_log_get_error (log));
        n = g_list_model_get_n_items (G_LIST_MODEL (log));
        g_assert_cmpuint (n > 0, ==, cases[i].some);
        for (guint j = 0; j < n; j++)
          {
            g_autoptr(QuorumAuditEvent) event = g_list_model_get_item (G_LIST_MODEL (log), j);

            g_assert_cmpstr (quorum_audit_event_get_actor_id (event), ==, cases[i].actor);
          }
      }
  }

  /* Bob is no member of Ada's organization: the page fails, the log stays
   * empty, says why, and is not complete. */
  stranger = quorum_audit_log_new (bob->client, org_id (ada), NULL);
  quorum_audit_log_load_more (stranger);
  quorum_test_wait_until (log_complete, stranger, 15);
  g_assert_nonnull (quorum_audit_log_get_error (stranger));
  g_assert_false (quorum_audit_log_get_complete (stranger));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (stranger)), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  const char *args[] = { "--allow-insecure-webhooks", NULL };
  g_autoptr(GError) error = NULL;
  int status;

  quorum_test_settings_init ();
  g_test_init (&argc, &argv, NULL);

  server = quorum_test_server_start (args, &error);
  g_assert_no_error (error);

  g_test_add_func ("/api/developers/create-and-use", test_create_and_use);
  g_test_add_func ("/api/developers/create-refused", test_create_refused);
  g_test_add_func ("/api/developers/rotate-and-revoke", test_rotate_and_revoke);
  g_test_add_func ("/api/developers/webhooks", test_webhooks);
  g_test_add_func ("/api/developers/webhook-failing-receiver", test_webhook_failing_receiver);
  g_test_add_func ("/api/developers/audit-events", test_audit_events);
  g_test_add_func ("/api/developers/audit-names-the-key", test_audit_names_the_key);
  g_test_add_func ("/api/developers/audit-long-webhook-url", test_audit_long_webhook_url);
  g_test_add_func ("/api/developers/audit-log-model", test_audit_log_model);
  g_test_add_func ("/api/developers/audit-log-filter-and-failure", test_audit_log_filter_and_failure);

  status = g_test_run ();
  quorum_test_server_stop (server);
  return status;
}
