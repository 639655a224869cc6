/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-server-http.h"
#include "quorum-server-model.h"
#include "quorum-server-state.h"

/* Expired rows, purged at start and then every purge_interval seconds, in
 * one transaction (docs/server.md, "Purge"). */

/* Invitation rows are history (the admin's list, resend of an expired one),
 * so they stay; once an invitation is past its expiry by this long, its
 * token hash is replaced by 16 random bytes, which no token hashes to. */
#define INVITATION_TOKEN_KEEP_SECONDS (30 * 24 * 3600)

gboolean
qs_purge_expired (QsServer *server)
{
  QsStorePurged purged = { 0 };
  gint64 now = qs_now ();

  if (!qs_store_purge_expired (server->store, now, now - QS_IDEMPOTENCY_SECONDS,
                               now - INVITATION_TOKEN_KEEP_SECONDS, &purged, NULL))
    return FALSE;
  if (purged.sessions + purged.invitation_tokens + purged.idempotency_keys + purged.email_tokens > 0)
    g_printerr ("purge: %u sessions, %u invitation tokens, %u idempotency keys, %u e-mail tokens\n",
                purged.sessions, purged.invitation_tokens, purged.idempotency_keys, purged.email_tokens);
  return qs_renew_plans (server) && qs_roll_usage_windows (server) && qs_prune_webhook_events (server) &&
         qs_prune_limits (server);
}

/* Webhook events (their bodies) no try refers to any more, once they are
 * a month old: the tries' log is pruned per webhook, this follows it. */
gboolean
qs_prune_webhook_events (QsServer *server)
{
  g_autoptr(QsStoreTxn) txn = qs_store_begin (server->store, NULL);
  guint pruned = 0;

  if (txn == NULL ||
      !qs_store_events_prune (server->store, qs_now () - QS_WEBHOOK_EVENTS_KEEP_SECONDS, &pruned, NULL) ||
      !qs_store_txn_commit (txn, NULL))
    return FALSE;
  if (pruned > 0)
    g_printerr ("purge: %u webhook events\n", pruned);
  return TRUE;
}

/* The per-member usage windows follow the UTC day, on the purge's timer. */
gboolean
qs_roll_usage_windows (QsServer *server)
{
  g_autoptr(QsStoreTxn) txn = qs_store_begin (server->store, NULL);
  guint rolled = 0;

  if (txn == NULL || !qs_store_usage_roll_windows (server->store, qs_now () / 86400, &rolled, NULL) ||
      !qs_store_txn_commit (txn, NULL))
    return FALSE;
  return TRUE;
}

/* Monthly plan charges, on the purge's timer: each due organization is
 * charged its plan's price once per month, in one transaction. */
gboolean
qs_renew_plans (QsServer *server)
{
  g_autoptr(QsStoreTxn) txn = qs_store_begin (server->store, NULL);
  guint renewed = 0;

  if (txn == NULL || !qs_store_billing_renew (server->store, qs_now (), &renewed, NULL) ||
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
