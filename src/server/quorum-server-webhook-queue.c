/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-server-state.h"
#include "quorum-server-webhook-net.h"
#include "quorum-store-webhooks.h"

/*
 * The delivery worker. The queue lives in the database (webhook_deliveries
 * rows with a due time, written in the transaction of the change that made
 * the event, by this server or by another process such as --record-usage),
 * so it is looked at on a timer and whenever this server queues something.
 * Each due try: its URL's host resolved and checked again (a name may
 * point elsewhere since it was saved), then one POST to the checked address
 * (QsPinnedAddress), all asynchronous on the main loop. Its result is
 * committed before the next try of it is scheduled. A try in flight when
 * the process dies is still pending in the database and is sent again
 * after a restart: delivery is at least once, and the receiver can
 * recognise a repeat by Quorum-Delivery or the event's id.
 *
 * Several server instances may share one (PostgreSQL) database: each due
 * row is claimed by one instance (qs_store_deliveries_claim, in one
 * transaction: FOR UPDATE SKIP LOCKED there) for a lease, long enough for
 * one try and its commit, before it is sent; the commit of its result
 * clears the claim. The claims of an instance that dies come back when
 * their lease is over (another instance sends them then); a server that
 * stops gives its claims back at once.
 */

#define TICK_MS   250
/* Tries in flight at once, over all webhooks, and of one organization's:
 * twenty webhooks pointed at a tarpit hold four of the sixteen, and the
 * other organizations' deliveries go on. */
#define SENDS_MAX         16
#define SENDS_PER_ORG_MAX 4
/* A claim's lease: a try takes at most QS_WEBHOOK_TIMEOUT_SECONDS (10 s)
 * plus resolving the name and committing the result. */
#define LEASE_SECONDS     60

/* The wait after try n (n = 1 …) before try n + 1, in seconds: the first
 * retry well within 30 s, the last try about a day after the first. */
static const gint64 retry_delays[QS_WEBHOOK_MAX_ATTEMPTS - 1] = {
  10, 60, 5 * 60, 30 * 60, 2 * 3600, 6 * 3600, 15 * 3600,
};

typedef struct
{
  QsServer           *server;
  QsStoreDueDelivery *due;
  char               *body;
  GCancellable       *cancellable;  /* the server's */
} SendJob;

static void
send_job_free (SendJob *job)
{
  qs_store_due_delivery_free (job->due);
  g_free (job->body);
  g_clear_object (&job->cancellable);
  g_free (job);
}

static gint64
now_ms (void)
{
  return g_get_real_time () / 1000;
}

static gint64
lease_ms (QsServer *server)
{
  return (server->config.webhook_lease > 0 ? server->config.webhook_lease : LEASE_SECONDS) * (gint64) 1000;
}

/* The end of a new claim's lease: never the same as an earlier claim's of
 * this process, which is how the store reads a claim's rows back. */
static gint64
claim_until (QsServer *server)
{
  gint64 until = MAX (now_ms () + lease_ms (server), server->webhook_claimed_until + 1);

  server->webhook_claimed_until = until;
  return until;
}

static double
retry_scale (QsServer *server)
{
  return server->config.webhook_retry_scale > 0 ? server->config.webhook_retry_scale : 1.0;
}

/* When try `attempt` failed, the next one is due at; -1 when it was the last. */
static gint64
next_try_ms (QsServer *server,
             gint64    attempt)
{
  double delay;

  if (attempt < 1 || attempt >= QS_WEBHOOK_MAX_ATTEMPTS)
    return -1;
  /* ±20 % jitter, so that many deliveries failing together do not all come
   * back at the same moment. */
  delay = retry_delays[attempt - 1] * 1000.0 * retry_scale (server) * g_random_double_range (0.8, 1.2);
  return now_ms () + (gint64) delay;
}

/* A finished try, until its result is committed with the others that
 * finished in the same turn of the main loop (one commit, one fsync, for
 * all of them). Until then it stays in webhook_sending, so the queue does
 * not take it again; a crash before the commit sends it again. */
typedef struct
{
  QsStoreDeliveryResult  result;
  char                  *delivery_id;
  char                  *webhook_id;
  char                  *error;
  char                  *reason;
  char                  *outcome;   /* for the log */
  gint64                 attempt;
} Finished;

static void
finished_free (Finished *finished)
{
  g_free (finished->delivery_id);
  g_free (finished->webhook_id);
  g_free (finished->error);
  g_free (finished->reason);
  g_free (finished->outcome);
  g_free (finished);
}

/* By webhook, then try: every instance's flush locks the webhooks' rows in
 * one order (two flushes finishing tries of the same two webhooks in
 * opposite orders deadlocked on PostgreSQL). */
static int
finished_compare (gconstpointer a,
                  gconstpointer b)
{
  const Finished *x = *(Finished * const *) a;
  const Finished *y = *(Finished * const *) b;
  int by_webhook = g_strcmp0 (x->webhook_id, y->webhook_id);

  return by_webhook != 0 ? by_webhook : g_strcmp0 (x->delivery_id, y->delivery_id);
}

static gboolean
flush_cb (gpointer user_data)
{
  QsServer *server = user_data;
  g_autoptr(GPtrArray) results = g_steal_pointer (&server->webhook_results);
  g_autoptr(QsStoreTxn) txn = NULL;
  gboolean saved;

  server->webhook_flush = 0;
  server->webhook_results = g_ptr_array_new_with_free_func ((GDestroyNotify) finished_free);
  g_ptr_array_sort (results, finished_compare);
  saved = (txn = qs_store_begin (server->store, NULL)) != NULL;
  for (guint i = 0; saved && i < results->len; i++)
    {
      Finished *finished = g_ptr_array_index (results, i);
      gboolean disabled = FALSE;

      saved = qs_store_delivery_finish (server->store, &finished->result, &disabled, NULL);
      if (disabled)
        g_printerr ("webhook %s disabled after %d failed deliveries in a row\n", finished->webhook_id,
                    QS_WEBHOOK_FAILURE_LIMIT);
    }
  if (saved)
    saved = qs_store_txn_commit (txn, NULL);
  if (!saved)
    {
      /* The tries happened: their results are saved again in a moment
       * (a deadlock's victim, a busy database), not the tries sent again.
       * They stay in webhook_sending and claimed meanwhile. */
      g_clear_pointer (&txn, qs_store_txn_free);
      g_warning ("webhooks: the results of %u tries could not be saved; saving them again in 1 s", results->len);
      g_ptr_array_extend_and_steal (server->webhook_results, g_steal_pointer (&results));
      if (server->webhook_flush == 0)
        server->webhook_flush = g_timeout_add (1000, flush_cb, server);
      return G_SOURCE_REMOVE;
    }
  for (guint i = 0; i < results->len; i++)
    {
      Finished *finished = g_ptr_array_index (results, i);

      g_printerr ("webhook %s %s attempt %" G_GINT64_FORMAT ": %s\n", finished->webhook_id,
                  finished->delivery_id, finished->attempt, finished->outcome);
      g_hash_table_remove (server->webhook_sending, finished->delivery_id);
    }
  qs_webhook_queue_kick (server);
  return G_SOURCE_REMOVE;
}

static void
finish (SendJob    *job,
        gboolean    succeeded,
        guint       status,
        gint64      duration_ms,
        const char *error)
{
  QsServer *server = job->server;
  QsStoreDelivery *delivery = job->due->delivery;
  Finished *finished = g_new0 (Finished, 1);
  g_autofree char *last = status > 0 ? g_strdup_printf ("HTTP %u", status) : g_strdup (error);

  finished->delivery_id = g_strdup (delivery->id);
  finished->webhook_id = g_strdup (delivery->webhook_id);
  finished->error = g_strdup (error);
  finished->attempt = delivery->attempt;
  finished->outcome = g_strdup (succeeded ? "delivered" : last != NULL ? last : "failed");
  finished->reason = g_strdup_printf ("Disabled by the server after %d failed deliveries in a row "
                                      "(the last: %s). Enable it again once the endpoint works.",
                                      QS_WEBHOOK_FAILURE_LIMIT, last != NULL ? last : "no answer");
  finished->result = (QsStoreDeliveryResult) {
    .delivery_id = finished->delivery_id,
    .succeeded = succeeded,
    .response_status = status,
    .duration_ms = duration_ms,
    .error = finished->error,
    /* Manual tries (ping, resend) are tried once: whoever asked sees the
     * answer and can ask again. */
    .retry_ms = succeeded || delivery->manual ? -1 : next_try_ms (server, delivery->attempt),
    .counts = !delivery->manual,
    .failure_limit = QS_WEBHOOK_FAILURE_LIMIT,
    .disabled_reason = finished->reason,
    .keep = QS_WEBHOOK_DELIVERIES_KEPT,
  };
  g_ptr_array_add (server->webhook_results, finished);
  if (server->webhook_flush == 0)
    server->webhook_flush = g_idle_add (flush_cb, server);
}

static void
posted_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  SendJob *job = user_data;
  g_autoptr(QsWebhookResponse) response = qs_webhook_post_finish (result);

  /* The server is going: leave the try pending for the next start. */
  if (response == NULL || g_cancellable_is_cancelled (job->cancellable))
    {
      send_job_free (job);
      return;
    }
  if (response->status >= 300 && response->status < 400)
    finish (job, FALSE, response->status, response->duration_ms, "Redirects are not followed.");
  else
    finish (job, response->status >= 200 && response->status < 300, response->status,
            response->duration_ms, response->error);
  send_job_free (job);
}

static void
resolved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  SendJob *job = user_data;
  QsServer *server = job->server;
  QsStoreDueDelivery *due = job->due;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) address = qs_webhook_resolve_finish (result, &error);
  g_autofree char *signature = NULL;
  g_autofree char *attempt = NULL;
  const char *headers[11];

  if (g_cancellable_is_cancelled (job->cancellable))
    {
      send_job_free (job);
      return;
    }
  if (address == NULL)
    {
      g_autofree char *message = g_strdup_printf ("Not sent: %s.", error->message);

      finish (job, FALSE, 0, -1, message);
      send_job_free (job);
      return;
    }

  signature = qs_webhook_signature (due->secret, g_get_real_time () / G_USEC_PER_SEC, job->body);
  attempt = g_strdup_printf ("%" G_GINT64_FORMAT, due->delivery->attempt);
  headers[0] = "Quorum-Signature";
  headers[1] = signature;
  headers[2] = "Quorum-Event";
  headers[3] = due->delivery->event_type;
  headers[4] = "Quorum-Delivery";
  headers[5] = due->delivery->id;
  headers[6] = "Quorum-Attempt";
  headers[7] = attempt;
  headers[8] = NULL;
  qs_webhook_post_async (due->url, address, headers, job->body,
                         (server->config.webhook_timeout > 0 ? server->config.webhook_timeout
                                                             : QS_WEBHOOK_TIMEOUT_SECONDS) * 1000,
                         job->cancellable, posted_cb, job);
}

/* The body every try of an event carries, the same each time. */
static char *
envelope (const QsStoreDueDelivery *due)
{
  g_autofree char *created = qs_format_time (due->event_created_at);

  /* Ids, types and times are the server's own ASCII; data is stored JSON. */
  return g_strdup_printf ("{\"id\":\"%s\",\"type\":\"%s\",\"created_at\":\"%s\",\"organization_id\":\"%s\","
                          "\"data\":%s}",
                          due->delivery->event_id, due->delivery->event_type, created, due->org_id,
                          due->event_data);
}

static void
send (QsServer           *server,
      QsStoreDueDelivery *due)
{
  SendJob *job = g_new0 (SendJob, 1);

  job->server = server;
  job->due = due;
  job->body = envelope (due);
  job->cancellable = g_object_ref (server->webhook_cancellable);
  g_hash_table_insert (server->webhook_sending, g_strdup (due->delivery->id), g_strdup (due->org_id));
  /* Resolved and checked again at every try, then connected to that address. */
  qs_webhook_resolve_async (due->url, server->config.allow_insecure_webhooks, job->cancellable, resolved_cb, job);
}

/* A due row: a pending try to send, or a failed one whose retry is due. */
static void
start (QsServer           *server,
       QsStoreDueDelivery *due)
{
  QsStoreDelivery *delivery = due->delivery;

  if (!due->enabled && !delivery->manual)
    {
      SendJob job = { .server = server, .due = due };

      /* Disabled since it was queued: dropped, not sent, not counted. */
      if (delivery->status == QS_STORE_DELIVERY_PENDING)
        {
          g_hash_table_insert (server->webhook_sending, g_strdup (delivery->id), g_strdup (due->org_id));
          delivery->manual = TRUE;  /* neither retried nor counted */
          finish (&job, FALSE, 0, -1, "Not sent: the webhook is disabled.");
        }
      else
        {
          QsStoreDeliveryResult result = {
            .delivery_id = delivery->id, .succeeded = FALSE, .response_status = delivery->response_status,
            .duration_ms = delivery->duration_ms, .error = delivery->error, .retry_ms = -1,
          };
          gboolean disabled;
          g_autoptr(QsStoreTxn) txn = qs_store_begin (server->store, NULL);

          if (txn == NULL || !qs_store_delivery_finish (server->store, &result, &disabled, NULL) ||
              !qs_store_txn_commit (txn, NULL))
            g_warning ("webhooks: could not drop the retry of %s", delivery->id);
        }
      qs_store_due_delivery_free (due);
      return;
    }

  if (delivery->status == QS_STORE_DELIVERY_FAILED)
    {
      g_autoptr(QsStoreTxn) txn = qs_store_begin (server->store, NULL);
      QsStoreDelivery *next = NULL;

      if (txn == NULL ||
          !(next = qs_store_delivery_start_retry (server->store, delivery->id, qs_now (), server->webhook_claimer,
                                                  claim_until (server), NULL)) ||
          !qs_store_txn_commit (txn, NULL))
        {
          g_warning ("webhooks: could not start the retry of %s", delivery->id);
          qs_store_delivery_free (next);
          qs_store_due_delivery_free (due);
          return;
        }
      qs_store_delivery_free (due->delivery);
      due->delivery = next;
    }
  send (server, due);
}

static void
run_queue (QsServer *server)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(QsStoreTxn) txn = NULL;
  guint sending = g_hash_table_size (server->webhook_sending);

  if (server->shutting_down || sending >= SENDS_MAX)
    return;
  /* The rows in flight (this instance's or another's) are claimed: the
   * claim takes others only, at most SENDS_PER_ORG_MAX of an organization
   * in flight with those, and commits before any is sent. */
  if (qs_store_deliveries_claimable (server->store, now_ms (), NULL) <= 0 ||
      (txn = qs_store_begin (server->store, NULL)) == NULL)
    return;
  rows = qs_store_deliveries_claim (server->store, now_ms (), claim_until (server), server->webhook_claimer,
                                    SENDS_MAX - sending, SENDS_PER_ORG_MAX, NULL);
  if (rows == NULL || !qs_store_txn_commit (txn, NULL))
    return;
  for (guint i = 0; i < rows->len; i++)
    {
      QsStoreDueDelivery *due = g_ptr_array_index (rows, i);

      /* Still in flight here after its lease (a test's short one): claimed
       * again, and its result clears that. */
      if (g_hash_table_contains (server->webhook_sending, due->delivery->id))
        continue;
      start (server, g_ptr_array_steal_index (rows, i));
      i--;
    }
}

static gboolean
tick_cb (gpointer user_data)
{
  run_queue (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
kick_cb (gpointer user_data)
{
  QsServer *server = user_data;

  server->webhook_kick = 0;
  run_queue (server);
  return G_SOURCE_REMOVE;
}

void
qs_webhook_queue_kick (QsServer *server)
{
  if (server->webhook_source != 0 && server->webhook_kick == 0)
    server->webhook_kick = g_idle_add (kick_cb, server);
}

void
qs_webhook_queue_start (QsServer *server)
{
  if (server->config.allow_insecure_webhooks)
    g_printerr ("quorum-server: warning: --allow-insecure-webhooks: webhook URLs may use http and reach "
                "loopback and private addresses. For local testing only, never on a server others use.\n");
  server->webhook_sending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  server->webhook_results = g_ptr_array_new_with_free_func ((GDestroyNotify) finished_free);
  server->webhook_claimer = qs_new_id ("wqc_");
  server->webhook_source = g_timeout_add (TICK_MS, tick_cb, server);
  qs_webhook_queue_kick (server);
}

void
qs_webhook_queue_stop (QsServer *server)
{
  if (server->webhook_cancellable != NULL)
    g_cancellable_cancel (server->webhook_cancellable);
  g_clear_handle_id (&server->webhook_source, g_source_remove);
  g_clear_handle_id (&server->webhook_kick, g_source_remove);
  g_clear_handle_id (&server->webhook_flush, g_source_remove);
  /* The tries in flight are cut: their rows are due again for any
   * instance (this one after a restart) at once, not after the lease. */
  if (server->webhook_claimer != NULL && server->store != NULL &&
      !qs_store_deliveries_release (server->store, server->webhook_claimer, NULL))
    g_warning ("webhooks: could not give back the claims of %s; they come back after their lease",
               server->webhook_claimer);
  g_clear_pointer (&server->webhook_claimer, g_free);
  g_clear_pointer (&server->webhook_results, g_ptr_array_unref);
  g_clear_pointer (&server->webhook_sending, g_hash_table_destroy);
}
