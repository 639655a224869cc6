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

static gboolean
table_exists (QsDb       *db,
              const char *name)
{
  return qs_db_int (db, 0, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
                    "s", name) > 0;
}

gboolean
qs_purge_expired (QsServer *server)
{
  QsDb *db = server->db;
  gint64 now = qs_now ();
  int sessions, tokens, keys, email_tokens = 0;

  if (!qs_db_begin (db))
    return FALSE;
  if (!qs_db_run (db, "DELETE FROM sessions WHERE expires_at <= ?1", "i", now))
    goto failed;
  sessions = qs_db_changes (db);
  if (!qs_db_run (db,
                  "UPDATE invitations SET token_hash = randomblob (16)"
                  " WHERE expires_at <= ?1 AND length (token_hash) = 32",
                  "i", now - INVITATION_TOKEN_KEEP_SECONDS))
    goto failed;
  tokens = qs_db_changes (db);
  if (!qs_db_run (db, "DELETE FROM idempotency_keys WHERE created_at <= ?1", "i",
                  now - QS_IDEMPOTENCY_SECONDS))
    goto failed;
  keys = qs_db_changes (db);
  /* Verification and reset tokens (sec-identity's table, when present):
   * expired or used ones can never be redeemed. */
  if (table_exists (db, "email_tokens"))
    {
      if (!qs_db_run (db, "DELETE FROM email_tokens WHERE expires_at <= ?1 OR used_at IS NOT NULL",
                      "i", now))
        goto failed;
      email_tokens = qs_db_changes (db);
    }
  if (!qs_db_commit (db))
    return FALSE;
  if (sessions + tokens + keys + email_tokens > 0)
    g_printerr ("purge: %d sessions, %d invitation tokens, %d idempotency keys, %d e-mail tokens\n",
                sessions, tokens, keys, email_tokens);
  return TRUE;

failed:
  qs_db_rollback (db);
  return FALSE;
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
