/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-server-http.h"
#include "quorum-server-model.h"
#include "quorum-server-state.h"

/* The periodic jobs, at start and then every purge_interval seconds, each in
 * a transaction of its own (docs/server.md, "Purge"). Several instances may
 * serve one PostgreSQL database: each job's transaction first claims the job
 * (qs_store_job_claim: an advisory lock), and an instance that finds it
 * claimed skips it this time. The jobs' SQL is safe without the claim too
 * (the renewal and the roll claim each account's period with a conditional
 * UPDATE); the claim spares the duplicated work and the lock waits. */

/* Invitation rows are history (the admin's list, resend of an expired one),
 * so they stay; once an invitation is past its expiry by this long, its
 * token hash is replaced by 16 random bytes, which no token hashes to. */
#define INVITATION_TOKEN_KEEP_SECONDS (30 * 24 * 3600)

/* Begins the job's transaction and claims the job; NULL when another
 * instance runs it now (logged) or on failure (then *failed). */
static QsStoreTxn *
begin_job (QsServer   *server,
           const char *job,
           gboolean   *failed)
{
  g_autoptr(QsStoreTxn) txn = qs_store_begin (server->store, NULL);
  gboolean mine = TRUE;

  *failed = txn == NULL;
  if (txn == NULL)
    return NULL;
  /* --no-job-locks (tests): as an instance that does not take them would. */
  if (!server->config.no_job_locks && !qs_store_job_claim (server->store, job, &mine, NULL))
    {
      *failed = TRUE;
      return NULL;
    }
  if (!mine)
    {
      g_printerr ("purge: %s skipped: another instance is running it\n", job);
      return NULL;
    }
  return g_steal_pointer (&txn);
}

gboolean
qs_purge_expired (QsServer *server)
{
  QsStorePurged purged = { 0 };
  gint64 now = qs_now ();
  gboolean failed;
  g_autoptr(QsStoreTxn) txn = begin_job (server, "purge", &failed);

  if (txn != NULL)
    {
      if (!qs_store_purge_expired (server->store, now, now - QS_IDEMPOTENCY_SECONDS,
                                   now - INVITATION_TOKEN_KEEP_SECONDS, &purged, NULL) ||
          !qs_store_txn_commit (txn, NULL))
        return FALSE;
      if (purged.sessions + purged.invitation_tokens + purged.idempotency_keys + purged.email_tokens > 0)
        g_printerr ("purge: %u sessions, %u invitation tokens, %u idempotency keys, %u e-mail tokens\n",
                    purged.sessions, purged.invitation_tokens, purged.idempotency_keys, purged.email_tokens);
    }
  else if (failed)
    return FALSE;
  return qs_renew_plans (server) && qs_roll_usage_windows (server) && qs_prune_webhook_events (server) &&
         qs_prune_limits (server);
}

/* Webhook events (their bodies) no try refers to any more, once they are
 * a month old: the tries' log is pruned per webhook, this follows it. */
gboolean
qs_prune_webhook_events (QsServer *server)
{
  gboolean failed;
  g_autoptr(QsStoreTxn) txn = begin_job (server, "prune-webhook-events", &failed);
  guint pruned = 0;

  if (txn == NULL)
    return !failed;
  if (!qs_store_events_prune (server->store, qs_now () - QS_WEBHOOK_EVENTS_KEEP_SECONDS, &pruned, NULL) ||
      !qs_store_txn_commit (txn, NULL))
    return FALSE;
  if (pruned > 0)
    g_printerr ("purge: %u webhook events\n", pruned);
  return TRUE;
}

/* Rate-limit counters past their expiry (quorum-server-limits.c). */
gboolean
qs_prune_limits (QsServer *server)
{
  gboolean failed;
  g_autoptr(QsStoreTxn) txn = begin_job (server, "prune-rate-limits", &failed);
  guint pruned = 0;

  if (txn == NULL)
    return !failed;
  if (!qs_store_limits_prune (server->store, qs_now (), &pruned, NULL) || !qs_store_txn_commit (txn, NULL))
    return FALSE;
  if (pruned > 0)
    g_printerr ("purge: %u rate-limit counters\n", pruned);
  return TRUE;
}

/* The per-member usage windows follow the UTC day, on the purge's timer. */
gboolean
qs_roll_usage_windows (QsServer *server)
{
  gboolean failed;
  g_autoptr(QsStoreTxn) txn = begin_job (server, "roll-usage-windows", &failed);
  guint rolled = 0;

  if (txn == NULL)
    return !failed;
  if (!qs_store_usage_roll_windows (server->store, qs_now () / 86400, &rolled, NULL) ||
      !qs_store_txn_commit (txn, NULL))
    return FALSE;
  return TRUE;
}

/* Monthly plan charges, on the purge's timer: each due organization is
 * charged its plan's price once per month, in one transaction. */
gboolean
qs_renew_plans (QsServer *server)
{
  gboolean failed;
  g_autoptr(QsStoreTxn) txn = begin_job (server, "renew-plans", &failed);
  guint renewed = 0;

  if (txn == NULL)
    return !failed;
  if (!qs_store_billing_renew (server->store, qs_now (), &renewed, NULL) ||
      !qs_store_txn_commit (txn, NULL))
    return FALSE;
  if (renewed > 0)
    g_printerr ("billing: %u plans renewed\n", renewed);
  return TRUE;
}

static gboolean
purge_cb (gpointer user_data)
{
  QsServer *server = user_data;

  if (!server->shutting_down)
    qs_purge_expired (server);
  return G_SOURCE_CONTINUE;
}

void
qs_purge_start (QsServer *server)
{
  qs_purge_expired (server);
  server->purge_source = g_timeout_add_seconds (server->config.purge_interval > 0 ? server->config.purge_interval : 600,
                                                purge_cb, server);
}
