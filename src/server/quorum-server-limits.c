/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-server-http.h"
#include "quorum-server-model.h"
#include "quorum-server-state.h"

/* Rate limits and failed sign-ins, kept in the database (the store's
 * rate_limits, quorum-store-limits.c), so that every instance on one
 * database counts together and a restart forgets nothing. Each check is
 * one statement (an upsert that counts and answers at once) on the limited
 * routes only.
 *
 * Failed sign-ins: two counters, one per (client address, account) and one
 * per client address over all accounts. Past its limit a counter blocks for
 * the back-off time, which doubles with every further failure (capped at an
 * hour); a failure more than an hour after the last one starts again from
 * zero. An attempt counts as a failure from the moment it starts (so
 * parallel guesses cannot slip past the limit while Argon2id runs) and is
 * taken back when it succeeds.
 *
 * Nobody can lock an account's owner out from elsewhere: the pair counter
 * only grows with failures from the same address, and a client address that
 * signed in to the account successfully in the last 30 days is not held back
 * by its address-wide counter for that account.
 *
 * Each kind holds at most limit_keys live keys (100,000): past that a new
 * key is refused with 429 until the purge or time frees room (nobody's
 * count is forgotten), except trusted pairs, whose oldest are forgotten. */

#define TRUSTED_SECONDS          (30 * 24 * 3600)
#define SEND_WINDOW_SECONDS      3600
#define AUTH_WINDOW_SECONDS      60
#define KEYS_DEFAULT             100000

#define KIND_AUTH     "auth"
#define KIND_PAIR     "signin_pair"
#define KIND_CLIENT   "signin_client"
#define KIND_TRUSTED  "signin_trusted"
#define KIND_ORG      "org_sends"
#define KIND_USER     "user_sends"

static guint
keys_cap (QsServer *server)
{
  return server->config.limit_keys > 0 ? server->config.limit_keys : KEYS_DEFAULT;
}

static gint64
backoff_base (QsServer *server)
{
  return MAX (server->config.signin_backoff, 1);
}

static gboolean
respond_failed (QsRequest *req,
                GError    *error)
{
  g_printerr ("rate limits: %s\n", error != NULL ? error->message : "failed");
  qs_respond_internal (req);
  return FALSE;
}

static char *
pair_key (QsRequest  *req,
          const char *account)
{
  return g_strconcat (qs_client_address (req), "\n", account, NULL);
}

gboolean
qs_limit_window (QsRequest  *req,
                 const char *kind,
                 const char *key,
                 guint       limit,
                 gint64      window,
                 const char *detail)
{
  g_autoptr(GError) error = NULL;
  QsStoreLimitVerdict verdict;
  gint64 retry_after = 0;

  if (limit == 0)
    return TRUE;
  if (!qs_store_limit_window_hit (req->store, kind, key, limit, window, qs_now (), keys_cap (req->server),
                                  &verdict, &retry_after, &error))
    return respond_failed (req, error);
  if (verdict == QS_STORE_LIMIT_ALLOWED)
    return TRUE;
  if (verdict == QS_STORE_LIMIT_FULL)
    retry_after = window;
  qs_respond_rate_limited_because (req, MAX (1, retry_after), detail);
  return FALSE;
}

/* Sign-in, sign-up and invitation set-up together, per client address. */
gboolean
qs_rate_limit_auth (QsRequest *req)
{
  return qs_limit_window (req, KIND_AUTH, qs_client_address (req), req->server->config.auth_rate_limit,
                          AUTH_WINDOW_SECONDS, "Too many attempts; try again later.");
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
  gint64 pair_wait = 0, client_wait = 0, wait = 0;
  gboolean trusted = FALSE;
  QsStoreLimitVerdict verdict = QS_STORE_LIMIT_ALLOWED;
  g_autoptr(GError) error = NULL;
  g_autoptr(QsStoreTxn) txn = NULL;

  if (pair_limit == 0 && client_limit == 0)
    return TRUE;
  /* One transaction, one commit (each autocommit write would be one: a
   * sync on SQLite, a WAL flush on PostgreSQL), committed before the
   * password is checked, so parallel guesses see the count. */
  if ((txn = qs_store_begin (req->store, &error)) == NULL)
    return respond_failed (req, error);
  /* Decided before anything is counted, as one read: a blocked attempt
   * counts nowhere. */
  if (!qs_store_backoff_peek (req->store, KIND_PAIR, pair, client_limit > 0 ? KIND_CLIENT : NULL, client,
                              KIND_TRUSTED, now, &pair_wait, &client_wait, &trusted, &error))
    return respond_failed (req, error);
  if (pair_limit > 0)
    wait = pair_wait;
  if (wait == 0 && client_limit > 0 && !trusted)
    wait = client_wait;

  /* Each count checks again as it counts (another instance may have
   * counted meanwhile); a client count refused then takes the pair's back. */
  if (wait == 0 && pair_limit > 0 &&
      !qs_store_backoff_fail (req->store, KIND_PAIR, pair, pair_limit, backoff_base (server), FALSE, now,
                              keys_cap (server), &verdict, &wait, &error))
    return respond_failed (req, error);
  if (wait == 0 && verdict == QS_STORE_LIMIT_ALLOWED && client_limit > 0)
    {
      if (!qs_store_backoff_fail (req->store, KIND_CLIENT, client, client_limit, backoff_base (server), trusted,
                                  now, keys_cap (server), &verdict, &wait, &error))
        return respond_failed (req, error);
      if ((wait > 0 || verdict != QS_STORE_LIMIT_ALLOWED) && pair_limit > 0 &&
          !qs_store_backoff_forgive (req->store, KIND_PAIR, pair, pair_limit, backoff_base (server), TRUE, now,
                                     &error))
        return respond_failed (req, error);
    }
  if (verdict == QS_STORE_LIMIT_FULL)
    wait = backoff_base (server);
  if (!qs_store_txn_commit (txn, &error))
    return respond_failed (req, error);
  if (wait > 0)
    {
      qs_respond_rate_limited (req, wait);
      return FALSE;
    }
  return TRUE;
}

void
qs_signin_trust (QsRequest  *req,
                 const char *account)
{
  g_autofree char *pair = pair_key (req, account);
  g_autoptr(GError) error = NULL;
  gint64 now = qs_now ();

  /* Best effort: the sign-in succeeded whatever happens here. */
  if (!qs_store_limit_mark (req->store, KIND_TRUSTED, pair, now, now + TRUSTED_SECONDS, keys_cap (req->server),
                            &error))
    g_printerr ("rate limits: %s\n", error->message);
}

void
qs_signin_succeeded (QsRequest  *req,
                     const char *account,
                     gboolean    client_wide)
{
  QsServer *server = req->server;
  g_autofree char *pair = pair_key (req, account);
  g_autoptr(GError) error = NULL;

  if (!qs_store_limit_clear (req->store, KIND_PAIR, pair, &error) ||
      (client_wide && server->config.signin_client_limit > 0 &&
       !qs_store_backoff_forgive (req->store, KIND_CLIENT, qs_client_address (req),
                                  server->config.signin_client_limit, backoff_base (server), FALSE, qs_now (),
                                  &error)))
    g_printerr ("rate limits: %s\n", error->message);
  qs_signin_trust (req, account);
}

/* ------------------------------------------------- invitation e-mails */

/* Send times within the last hour, oldest first, space-separated (only the
 * newest `limit` kept). Counted when the e-mail is sent, so revoking and
 * inviting again, resending, or deleting the organization gives nothing
 * back. Read and written in the invitation's transaction, the rows locked
 * from the check to the commit: two instances cannot both send the last
 * one. */
static GArray *
parse_times (const char *text,
             gint64      now)
{
  g_auto(GStrv) parts = g_strsplit (text, " ", -1);
  GArray *times = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; parts[i] != NULL; i++)
    {
      gint64 t;

      if (*parts[i] == '\0')
        continue;
      t = g_ascii_strtoll (parts[i], NULL, 10);
      if (t + SEND_WINDOW_SECONDS > now)
        g_array_append_val (times, t);
    }
  return times;
}

static gboolean
send_window_wait (QsRequest  *req,
                  const char *kind,
                  const char *key,
                  guint       limit,
                  gint64      now,
                  gint64     *wait)
{
  g_autofree char *text = NULL;
  g_autoptr(GArray) times = NULL;
  g_autoptr(GError) error = NULL;
  gboolean full = FALSE;

  *wait = 0;
  if (limit == 0)
    return TRUE;
  if (!qs_store_limit_times_lock (req->store, kind, key, now, keys_cap (req->server), &text, &full, &error))
    return respond_failed (req, error);
  times = parse_times (text, now);
  if (full)
    *wait = SEND_WINDOW_SECONDS;
  else if (times->len >= limit)
    *wait = MAX (1, g_array_index (times, gint64, times->len - limit) + SEND_WINDOW_SECONDS - now);
  return TRUE;
}

static gboolean
send_window_add (QsRequest  *req,
                 const char *kind,
                 const char *key,
                 guint       limit,
                 gint64      now)
{
  g_autofree char *text = NULL;
  g_autoptr(GArray) times = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gboolean full = FALSE;

  if (limit == 0)
    return TRUE;
  if (!qs_store_limit_times_lock (req->store, kind, key, now, 0, &text, &full, &error))
    {
      g_printerr ("rate limits: %s\n", error->message);
      return FALSE;
    }
  times = parse_times (text, now);
  g_array_append_val (times, now);
  /* Only the newest `limit` times matter. */
  for (guint i = times->len > limit ? times->len - limit : 0; i < times->len; i++)
    g_string_append_printf (out, "%s%" G_GINT64_FORMAT, out->len > 0 ? " " : "", g_array_index (times, gint64, i));
  if (!qs_store_limit_times_save (req->store, kind, key, out->str, now + SEND_WINDOW_SECONDS, &error))
    {
      g_printerr ("rate limits: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

/* In the invitation's transaction: 429 with Retry-After (or 500) and FALSE
 * when the organization or the caller has sent its hourly share of
 * invitation e-mails. */
gboolean
qs_invitation_send_allowed (QsRequest  *req,
                            const char *org_id)
{
  QsServer *server = req->server;
  gint64 now = qs_now ();
  gint64 org_wait = 0, user_wait = 0;

  if (!send_window_wait (req, KIND_ORG, org_id, server->config.org_invitation_limit, now, &org_wait) ||
      !send_window_wait (req, KIND_USER, qs_request_responsible_user_id (req), server->config.user_invitation_limit,
                         now, &user_wait))
    return FALSE;
  if (org_wait > 0 || user_wait > 0)
    {
      qs_respond_rate_limited (req, MAX (org_wait, user_wait));
      return FALSE;
    }
  return TRUE;
}

/* In the same transaction, once the e-mail is sent; FALSE on a failure of
 * the database (the transaction is then not committed). */
gboolean
qs_invitation_sent (QsRequest  *req,
                    const char *org_id)
{
  QsServer *server = req->server;
  gint64 now = qs_now ();

  return send_window_add (req, KIND_ORG, org_id, server->config.org_invitation_limit, now) &&
         send_window_add (req, KIND_USER, qs_request_responsible_user_id (req),
                          server->config.user_invitation_limit, now);
}
