/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-server-http.h"
#include "quorum-server-model.h"
#include "quorum-server-state.h"

/* Failed sign-ins, kept in memory (a restart forgets them).
 *
 * Two counters: one per (client address, account) and one per client
 * address over all accounts. Past its limit a counter blocks for the
 * back-off time, which doubles with every further failure (capped at an
 * hour); a failure more than an hour after the last one starts again from
 * zero. An attempt counts as a failure from the moment it starts (so
 * parallel guesses cannot slip past the limit while Argon2id runs) and is
 * taken back when it succeeds.
 *
 * Nobody can lock an account's owner out from elsewhere: the pair counter
 * only grows with failures from the same address, and a client address that
 * signed in to the account successfully in the last 30 days is not held back
 * by its address-wide counter for that account. */

#define FAILURE_MEMORY_SECONDS   3600
#define BACKOFF_MAX_SECONDS      3600
#define TRUSTED_SECONDS          (30 * 24 * 3600)
#define TABLE_MAX                100000
#define SEND_WINDOW_SECONDS      3600

typedef struct
{
  guint  failures;
  gint64 last_failure;
  gint64 blocked_until;
} QsBackoff;

static gint64
backoff_seconds (QsServer *server,
                 guint     over)
{
  gint64 wait = MAX (server->config.signin_backoff, 1);

  for (guint i = 0; i < over && wait < BACKOFF_MAX_SECONDS; i++)
    wait *= 2;
  return MIN (wait, BACKOFF_MAX_SECONDS);
}

static gboolean
backoff_stale (const QsBackoff *b,
               gint64           now)
{
  return MAX (b->last_failure, b->blocked_until) + FAILURE_MEMORY_SECONDS <= now;
}

static void
prune_backoffs (GHashTable *table,
                gint64      now)
{
  GHashTableIter iter;
  gpointer value;

  if (g_hash_table_size (table) <= TABLE_MAX)
    return;
  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (backoff_stale (value, now))
      g_hash_table_iter_remove (&iter);
}

/* Seconds to wait, 0 when not blocked. */
static gint64
backoff_wait (GHashTable *table,
              const char *key,
              gint64      now)
{
  QsBackoff *b = g_hash_table_lookup (table, key);

  if (b == NULL || b->blocked_until <= now)
    return 0;
  return b->blocked_until - now;
}

static void
backoff_fail (QsServer   *server,
              GHashTable *table,
              const char *key,
              guint       limit,
              gint64      now)
{
  QsBackoff *b = g_hash_table_lookup (table, key);

  if (b == NULL)
    {
      prune_backoffs (table, now);
      b = g_new0 (QsBackoff, 1);
      g_hash_table_insert (table, g_strdup (key), b);
    }
  else if (backoff_stale (b, now))
    memset (b, 0, sizeof *b);
  b->failures++;
  b->last_failure = now;
  if (b->failures >= limit)
    b->blocked_until = now + backoff_seconds (server, b->failures - limit);
}

/* Takes back one failure counted by backoff_fail (), for a success. */
static void
backoff_forgive (QsServer   *server,
                 GHashTable *table,
                 const char *key,
                 guint       limit)
{
  QsBackoff *b = g_hash_table_lookup (table, key);

  if (b == NULL || b->failures == 0)
    return;
  b->failures--;
  if (b->failures < limit)
    b->blocked_until = 0;
  else
    b->blocked_until = b->last_failure + backoff_seconds (server, b->failures - limit);
}

static char *
pair_key (QsRequest  *req,
          const char *account)
{
  return g_strconcat (qs_client_address (req), "\n", account, NULL);
}

static gboolean
trusted (QsRequest  *req,
         const char *key,
         gint64      now)
{
  gint64 *when = g_hash_table_lookup (req->server->signin_trusted, key);

  return when != NULL && *when + TRUSTED_SECONDS > now;
}

/* Before a sign-in (or a password check of a signed-in user): answers 429
 * and returns FALSE when blocked; else counts the attempt as a failure until
 * qs_signin_succeeded () takes it back. client_wide FALSE (a signed-in
 * user's password check) uses the (client, account) counter only. */
gboolean
qs_signin_attempt (QsRequest  *req,
                   const char *account,
                   gboolean    client_wide)
{
  QsServer *server = req->server;
  g_autofree char *pair = pair_key (req, account);
  const char *client = qs_client_address (req);
  guint pair_limit = server->config.signin_rate_limit;
  guint client_limit = client_wide ? server->config.signin_client_limit : 0;
  gint64 now = qs_now ();
  gint64 wait = 0;

  if (pair_limit > 0)
    wait = backoff_wait (server->signin_pairs, pair, now);
  if (wait == 0 && client_limit > 0 && !trusted (req, pair, now))
    wait = backoff_wait (server->signin_clients, client, now);
  if (wait > 0)
    {
      qs_respond_rate_limited (req, wait);
      return FALSE;
    }

  if (pair_limit > 0)
    backoff_fail (server, server->signin_pairs, pair, pair_limit, now);
  if (client_limit > 0)
    backoff_fail (server, server->signin_clients, client, client_limit, now);
  return TRUE;
}

void
qs_signin_trust (QsRequest  *req,
                 const char *account)
{
  GHashTable *table = req->server->signin_trusted;
  g_autofree char *pair = pair_key (req, account);
  gint64 now = qs_now ();
  gint64 *when;

  if (g_hash_table_size (table) > TABLE_MAX)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, table);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (*(gint64 *) value + TRUSTED_SECONDS <= now)
          g_hash_table_iter_remove (&iter);
      /* Still full: the oldest trust is lost first-come, not kept forever. */
      if (g_hash_table_size (table) > TABLE_MAX)
        g_hash_table_remove_all (table);
    }
  when = g_new (gint64, 1);
  *when = now;
  g_hash_table_replace (table, g_steal_pointer (&pair), when);
}

void
qs_signin_succeeded (QsRequest  *req,
                     const char *account,
                     gboolean    client_wide)
{
  QsServer *server = req->server;
  g_autofree char *pair = pair_key (req, account);

  g_hash_table_remove (server->signin_pairs, pair);
  if (client_wide && server->config.signin_client_limit > 0)
    backoff_forgive (server, server->signin_clients, qs_client_address (req),
                     server->config.signin_client_limit);
  qs_signin_trust (req, account);
}

/* ------------------------------------------------- invitation e-mails */

/* Send times within the last hour, oldest first. Counted when the e-mail is
 * sent, so revoking and inviting again, resending, or deleting the
 * organization gives nothing back. */
typedef struct
{
  GArray *times;  /* gint64 */
} QsSendWindow;

static void
send_window_free (QsSendWindow *window)
{
  g_array_unref (window->times);
  g_free (window);
}

static void
send_window_expire (QsSendWindow *window,
                    gint64        now)
{
  guint old = 0;

  while (old < window->times->len &&
         g_array_index (window->times, gint64, old) + SEND_WINDOW_SECONDS <= now)
    old++;
  if (old > 0)
    g_array_remove_range (window->times, 0, old);
}

static gint64
send_window_wait (GHashTable *table,
                  const char *key,
                  guint       limit,
                  gint64      now)
{
  QsSendWindow *window = g_hash_table_lookup (table, key);

  if (limit == 0 || window == NULL)
    return 0;
  send_window_expire (window, now);
  if (window->times->len < limit)
    return 0;
  return MAX (1, g_array_index (window->times, gint64, window->times->len - limit) +
                 SEND_WINDOW_SECONDS - now);
}

static void
send_window_add (GHashTable *table,
                 const char *key,
                 guint       limit,
                 gint64      now)
{
  QsSendWindow *window;

  if (limit == 0)
    return;
  if (g_hash_table_size (table) > TABLE_MAX)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, table);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          send_window_expire (value, now);
          if (((QsSendWindow *) value)->times->len == 0)
            g_hash_table_iter_remove (&iter);
        }
    }
  window = g_hash_table_lookup (table, key);
  if (window == NULL)
    {
      window = g_new0 (QsSendWindow, 1);
      window->times = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (table, g_strdup (key), window);
    }
  g_array_append_val (window->times, now);
  /* Only the newest `limit` times matter. */
  if (window->times->len > limit)
    g_array_remove_range (window->times, 0, window->times->len - limit);
}

/* 429 with Retry-After and FALSE when the organization or the caller has
 * sent its hourly share of invitation e-mails. */
gboolean
qs_invitation_send_allowed (QsRequest  *req,
                            const char *org_id)
{
  QsServer *server = req->server;
  gint64 now = qs_now ();
  gint64 wait = MAX (send_window_wait (server->org_sends, org_id, server->config.org_invitation_limit, now),
                     send_window_wait (server->user_sends, qs_request_responsible_user_id (req),
                                       server->config.user_invitation_limit, now));

  if (wait > 0)
    {
      qs_respond_rate_limited (req, wait);
      return FALSE;
    }
  return TRUE;
}

void
qs_invitation_sent (QsRequest  *req,
                    const char *org_id)
{
  QsServer *server = req->server;
  gint64 now = qs_now ();

  send_window_add (server->org_sends, org_id, server->config.org_invitation_limit, now);
  send_window_add (server->user_sends, qs_request_responsible_user_id (req),
                   server->config.user_invitation_limit, now);
}

void
qs_limits_init (QsServer *server)
{
  server->signin_pairs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  server->signin_clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  server->signin_trusted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  server->org_sends = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) send_window_free);
  server->user_sends = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) send_window_free);
}

void
qs_limits_clear (QsServer *server)
{
  g_clear_pointer (&server->signin_pairs, g_hash_table_destroy);
  g_clear_pointer (&server->signin_clients, g_hash_table_destroy);
  g_clear_pointer (&server->signin_trusted, g_hash_table_destroy);
  g_clear_pointer (&server->org_sends, g_hash_table_destroy);
  g_clear_pointer (&server->user_sends, g_hash_table_destroy);
}
