/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The store: rate limits and sign-in back-offs (table rate_limits), shared
 * by every server instance on the database. Included by quorum-store.h;
 * include that instead.
 *
 * One row per (kind, key). Each counting call is one statement that reads
 * and writes its row at once (an upsert whose new values are computed from
 * the row it meets, RETURNING them), so two instances counting the same key
 * at the same moment both count: PostgreSQL runs the second upsert on the
 * row the first committed (READ COMMITTED takes the row lock, then
 * re-reads), SQLite has one writer. Only the sliding windows of invitation
 * e-mails read, compute and write in two statements, inside the caller's
 * transaction, the row locked from the first.
 *
 * A row that counts for the first time (a new key) is checked against cap:
 * past cap live rows of its kind the key is refused (QS_STORE_LIMIT_FULL)
 * and its row removed; trusted pairs instead lose their oldest. The live
 * rows are counted only now and then (the store keeps, per kind, the room
 * it last saw: see quorum-store-limits.c). Rows past expires_at are deleted
 * by qs_store_limits_prune () (the purge). */

#include <glib.h>

#include "quorum-store-core.h"

G_BEGIN_DECLS

typedef enum
{
  QS_STORE_LIMIT_ALLOWED,
  QS_STORE_LIMIT_LIMITED,  /* over the limit: wait retry_after seconds */
  QS_STORE_LIMIT_FULL,     /* a new key, and the kind has cap live keys */
} QsStoreLimitVerdict;

/* A fixed window of window seconds from its first hit: counts one hit of
 * (kind, key) unless limit hits were counted in the window already. */
gboolean qs_store_limit_window_hit   (QsStore              *store,
                                      const char           *kind,
                                      const char           *key,
                                      guint                 limit,
                                      gint64                window,
                                      gint64                now,
                                      guint                 cap,
                                      QsStoreLimitVerdict  *verdict,
                                      gint64               *retry_after,
                                      GError              **error);

/* Back-offs (sign-in failures). A count forgets itself an hour after its
 * last failure and its wait; at limit failures it waits base seconds,
 * doubled by each further failure, at most an hour. */

/* What a sign-in attempt needs to know before counting: the wait of the
 * pair and of the client (0 when not blocked), and whether the pair is
 * trusted (a success in the last 30 days). client_kind NULL: no client. */
gboolean qs_store_backoff_peek       (QsStore              *store,
                                      const char           *pair_kind,
                                      const char           *pair,
                                      const char           *client_kind,
                                      const char           *client,
                                      const char           *trusted_kind,
                                      gint64                now,
                                      gint64               *pair_wait,
                                      gint64               *client_wait,
                                      gboolean             *trusted,
                                      GError              **error);
/* Counts a failure of (kind, key) unless it is blocked (and not exempt):
 * then LIMITED and its wait. */
gboolean qs_store_backoff_fail       (QsStore              *store,
                                      const char           *kind,
                                      const char           *key,
                                      guint                 limit,
                                      gint64                base,
                                      gboolean              exempt,
                                      gint64                now,
                                      guint                 cap,
                                      QsStoreLimitVerdict  *verdict,
                                      gint64               *retry_after,
                                      GError              **error);
/* Takes back one failure: the wait is then the one of one failure less,
 * counted from the last failure (undo: not blocked at all). */
gboolean qs_store_backoff_forgive    (QsStore              *store,
                                      const char           *kind,
                                      const char           *key,
                                      guint                 limit,
                                      gint64                base,
                                      gboolean              undo,
                                      gint64                now,
                                      GError              **error);
/* Forgets (kind, key). */
gboolean qs_store_limit_clear        (QsStore              *store,
                                      const char           *kind,
                                      const char           *key,
                                      GError              **error);
/* Marks (kind, key) as seen now, until until; past cap live keys of kind
 * the oldest go. */
gboolean qs_store_limit_mark         (QsStore              *store,
                                      const char           *kind,
                                      const char           *key,
                                      gint64                now,
                                      gint64                until,
                                      guint                 cap,
                                      GError              **error);

/* Sliding windows (invitation e-mails), in the caller's transaction: the
 * times of (kind, key), oldest first, space-separated ("" for none), its
 * row locked until the transaction ends; full is TRUE when it is a new key
 * and the kind has cap live keys (cap 0: not checked, for the write that
 * follows a checked read). */
gboolean qs_store_limit_times_lock   (QsStore              *store,
                                      const char           *kind,
                                      const char           *key,
                                      gint64                now,
                                      guint                 cap,
                                      char                **times,
                                      gboolean             *full,
                                      GError              **error);
gboolean qs_store_limit_times_save   (QsStore              *store,
                                      const char           *kind,
                                      const char           *key,
                                      const char           *times,
                                      gint64                expires_at,
                                      GError              **error);

/* The purge: deletes the rows past their expiry. */
gboolean qs_store_limits_prune       (QsStore              *store,
                                      gint64                now,
                                      guint                *pruned,
                                      GError              **error);

/* A trivial query: FALSE (and error) when the database cannot be
 * reached. */
gboolean qs_store_ping               (QsStore              *store,
                                      GError              **error);

G_END_DECLS
