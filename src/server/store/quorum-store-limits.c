/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-store-limits.h"
#include "quorum-store-private.h"

/* rate_limits' columns, by kind of counter:
 * - fixed windows: hits in the window, since = its start, expires_at = its end;
 * - back-offs: hits = failures, since = the last failure, blocked_until,
 *   refused = whether the last call refused (what RETURNING reports);
 *   expires_at = since + 2 h, when it is forgotten for sure (an hour after
 *   the later of the last failure and the wait's end, which is at most an
 *   hour after the failure);
 * - marks (trusted pairs): since = the mark, expires_at = its end;
 * - sliding windows: times, expires_at = the newest time + the window.
 * Every SET expression reads the row as it was (both databases). */

#define KEEP_SECONDS   "7200"
#define WAIT_MAX       "3600"

typedef struct
{
  gint64 a;
  gint64 b;
  gint64 c;
} Three;

static gpointer
three_from_row (QsStmt   *stmt,
                gpointer  user_data G_GNUC_UNUSED)
{
  Three *three = g_new0 (Three, 1);
  int n = qs_stmt_n_columns (stmt);

  three->a = qs_stmt_is_null (stmt, 0) ? 0 : qs_stmt_int64 (stmt, 0);
  three->b = n > 1 && !qs_stmt_is_null (stmt, 1) ? qs_stmt_int64 (stmt, 1) : 0;
  three->c = n > 2 && !qs_stmt_is_null (stmt, 2) ? qs_stmt_int64 (stmt, 2) : 0;
  return three;
}

/* The one row an upsert's RETURNING gives back; NULL with error when the
 * statement fails or, which it should not, returns none. */
static gpointer
returned_row (QsStore         *store,
              QsStoreRowFunc   from_row,
              GError         **error,
              const char      *sql,
              const char      *fmt,
              ...)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  QsStmt *stmt;
  va_list args;

  va_start (args, fmt);
  stmt = qs_db_prepare_va (qs_store_db (store), sql, fmt, args);
  va_end (args);
  if (!qs_store_rows (store, stmt, from_row, NULL, rows, error))
    return NULL;
  if (rows->len == 0)
    {
      g_set_error_literal (error, QS_STORE_ERROR, QS_STORE_ERROR_FAILED, "No row came back");
      return NULL;
    }
  return g_ptr_array_steal_index (rows, 0);
}

/* Live rows of kind, counted up to cap + 1. */
static gint64
live_rows (QsStore    *store,
           const char *kind,
           gint64      now,
           guint       cap)
{
  return qs_db_int (qs_store_db (store), -1,
                    "SELECT COUNT(*) FROM (SELECT 1 FROM rate_limits WHERE kind = ?1 AND expires_at > ?2"
                    " LIMIT ?3) AS live",
                    "sii", kind, now, (gint64) cap + 1);
}

/* Counting a kind's live rows reads up to cap + 1 index entries (about
 * 15 ms at 100,000 on SQLite): not at every new key. After a count, this
 * process takes half of the room it saw without counting again; a full
 * kind is counted again at most once a second. So the cap holds within
 * one instance, and each further instance may pass it by half the room
 * it last saw. */
typedef struct
{
  gint64   room;
  gint64   counted_at;
  gboolean full;
} Room;

static Room *
room_of (QsStore    *store,
         const char *kind)
{
  GHashTable *rooms = qs_store_limit_rooms (store);
  Room *room = g_hash_table_lookup (rooms, kind);

  if (room == NULL)
    {
      room = g_new0 (Room, 1);
      room->counted_at = -1;
      g_hash_table_insert (rooms, g_strdup (kind), room);
    }
  return room;
}

/* A new key of kind (its row already made when made_counts, else not yet
 * counted as live): *full when it would make more than cap live keys. */
static gboolean
new_key_fits (QsStore     *store,
              const char  *kind,
              gint64       now,
              guint        cap,
              gboolean     made_counts,
              gboolean    *full,
              GError     **error)
{
  Room *room = room_of (store, kind);
  gint64 live;

  *full = FALSE;
  if (room->room > 0)
    {
      room->room--;
      return TRUE;
    }
  if (room->full && room->counted_at == now)
    {
      *full = TRUE;
      return TRUE;
    }
  live = live_rows (store, kind, now, cap);
  if (live < 0)
    return qs_store_fail (store, error);
  if (!made_counts)
    live++;
  room->counted_at = now;
  room->full = live > cap;
  room->room = room->full ? 0 : (cap - live) / 2;
  *full = room->full;
  return TRUE;
}

/* A key counted for the first time: FULL when that made the kind hold more
 * than cap live keys (its row is removed again). */
static gboolean
check_new_key (QsStore              *store,
               const char           *kind,
               const char           *key,
               gint64                now,
               guint                 cap,
               QsStoreLimitVerdict  *verdict,
               GError              **error)
{
  gboolean full = FALSE;

  if (!new_key_fits (store, kind, now, cap, TRUE, &full, error))
    return FALSE;
  if (!full)
    return TRUE;
  if (!qs_store_limit_clear (store, kind, key, error))
    return FALSE;
  *verdict = QS_STORE_LIMIT_FULL;
  return TRUE;
}

#define WINDOW_OVER "rate_limits.since + ?4 <= ?3"

gboolean
qs_store_limit_window_hit (QsStore              *store,
                           const char           *kind,
                           const char           *key,
                           guint                 limit,
                           gint64                window,
                           gint64                now,
                           guint                 cap,
                           QsStoreLimitVerdict  *verdict,
                           gint64               *retry_after,
                           GError              **error)
{
  g_autofree Three *row = NULL;

  *verdict = QS_STORE_LIMIT_ALLOWED;
  *retry_after = 0;
  /* hits stops at limit + 1: that hit, and every later one in the window,
   * is refused. */
  row = returned_row (store, three_from_row, error,
                      "INSERT INTO rate_limits (kind, key, hits, since, blocked_until, refused, times, expires_at)"
                      " VALUES (?1, ?2, 1, ?3, 0, 0, '', ?3 + ?4)"
                      " ON CONFLICT (kind, key) DO UPDATE SET"
                      " hits = CASE WHEN " WINDOW_OVER " THEN 1 WHEN rate_limits.hits >= ?5 THEN ?5 + 1"
                      " ELSE rate_limits.hits + 1 END,"
                      " since = CASE WHEN " WINDOW_OVER " THEN ?3 ELSE rate_limits.since END,"
                      " expires_at = CASE WHEN " WINDOW_OVER " THEN ?3 + ?4 ELSE rate_limits.expires_at END"
                      " RETURNING hits, since",
                      "ssiii", kind, key, now, window, (gint64) limit);
  if (row == NULL)
    return FALSE;
  if (row->a > limit)
    {
      *verdict = QS_STORE_LIMIT_LIMITED;
      *retry_after = MAX (1, row->b + window - now);
      return TRUE;
    }
  if (row->a == 1 && row->b == now)
    return check_new_key (store, kind, key, now, cap, verdict, error);
  return TRUE;
}

gboolean
qs_store_backoff_peek (QsStore     *store,
                       const char  *pair_kind,
                       const char  *pair,
                       const char  *client_kind,
                       const char  *client,
                       const char  *trusted_kind,
                       gint64       now,
                       gint64      *pair_wait,
                       gint64      *client_wait,
                       gboolean    *trusted,
                       GError     **error)
{
  g_autofree Three *row = returned_row (store, three_from_row, error,
                                        "SELECT (SELECT blocked_until FROM rate_limits WHERE kind = ?1 AND key = ?2),"
                                        " (SELECT blocked_until FROM rate_limits WHERE kind = ?3 AND key = ?4),"
                                        " (SELECT expires_at FROM rate_limits WHERE kind = ?5 AND key = ?2)",
                                        "sssss", pair_kind, pair, client_kind != NULL ? client_kind : "",
                                        client != NULL ? client : "", trusted_kind);

  if (row == NULL)
    return FALSE;
  *pair_wait = row->a > now ? row->a - now : 0;
  *client_wait = row->b > now ? row->b - now : 0;
  *trusted = row->c > now;
  return TRUE;
}

/* The wait of `over` failures past the limit: base (?5) doubled over
 * times, at most an hour (12 doublings of 1 s pass it). */
#define WAIT(over) \
  "(CASE WHEN " over " >= 12 THEN " WAIT_MAX \
  " WHEN ?5 * (1 << CAST(" over " AS INTEGER)) > " WAIT_MAX " THEN " WAIT_MAX \
  " ELSE ?5 * (1 << CAST(" over " AS INTEGER)) END)"
/* Forgotten: an hour after the later of the last failure and the wait's end. */
#define STALE \
  "((CASE WHEN rate_limits.since > rate_limits.blocked_until THEN rate_limits.since" \
  " ELSE rate_limits.blocked_until END) + 3600 <= ?3)"
#define REFUSE "(rate_limits.blocked_until > ?3 AND ?6 = 0)"
/* The failures once this one is counted. */
#define FAILURES "((CASE WHEN " STALE " THEN 0 ELSE rate_limits.hits END) + 1)"
#define BLOCKED_UNTIL \
  "(CASE WHEN " FAILURES " >= ?4 THEN ?3 + " WAIT ("(" FAILURES " - ?4)") \
  " WHEN " STALE " THEN 0 ELSE rate_limits.blocked_until END)"

static gint64
first_wait (gint64 base)
{
  return MIN (base, 3600);
}

gboolean
qs_store_backoff_fail (QsStore              *store,
                       const char           *kind,
                       const char           *key,
                       guint                 limit,
                       gint64                base,
                       gboolean              exempt,
                       gint64                now,
                       guint                 cap,
                       QsStoreLimitVerdict  *verdict,
                       gint64               *retry_after,
                       GError              **error)
{
  g_autofree Three *row = NULL;
  gint64 first_blocked_until = limit <= 1 ? now + first_wait (base) : 0;

  *verdict = QS_STORE_LIMIT_ALLOWED;
  *retry_after = 0;
  row = returned_row (store, three_from_row, error,
                      "INSERT INTO rate_limits (kind, key, hits, since, blocked_until, refused, times, expires_at)"
                      " VALUES (?1, ?2, 1, ?3, ?7, 0, '', ?3 + " KEEP_SECONDS ")"
                      " ON CONFLICT (kind, key) DO UPDATE SET"
                      " refused = CASE WHEN " REFUSE " THEN 1 ELSE 0 END,"
                      " hits = CASE WHEN " REFUSE " THEN rate_limits.hits ELSE " FAILURES " END,"
                      " blocked_until = CASE WHEN " REFUSE " THEN rate_limits.blocked_until ELSE " BLOCKED_UNTIL " END,"
                      " since = CASE WHEN " REFUSE " THEN rate_limits.since ELSE ?3 END,"
                      " expires_at = CASE WHEN " REFUSE " THEN rate_limits.expires_at ELSE ?3 + " KEEP_SECONDS " END"
                      " RETURNING refused, hits, blocked_until",
                      "ssiiiii", kind, key, now, (gint64) limit, base, (gint64) (exempt ? 1 : 0),
                      first_blocked_until);
  if (row == NULL)
    return FALSE;
  if (row->a != 0)
    {
      *verdict = QS_STORE_LIMIT_LIMITED;
      *retry_after = MAX (1, row->c - now);
      return TRUE;
    }
  if (row->b == 1)
    return check_new_key (store, kind, key, now, cap, verdict, error);
  return TRUE;
}

gboolean
qs_store_backoff_forgive (QsStore     *store,
                          const char  *kind,
                          const char  *key,
                          guint        limit,
                          gint64       base,
                          gboolean     undo,
                          gint64       now,
                          GError     **error)
{
  if (!qs_db_run (qs_store_db (store),
                  "UPDATE rate_limits SET hits = hits - 1,"
                  " blocked_until = CASE WHEN hits - 1 < ?3 THEN 0 WHEN ?4 <> 0 THEN ?6"
                  " ELSE since + " WAIT ("(hits - 1 - ?3)") " END"
                  " WHERE kind = ?1 AND key = ?2 AND hits > 0",
                  "ssiiii", kind, key, (gint64) limit, (gint64) (undo ? 1 : 0), base, now))
    return qs_store_fail (store, error);
  return TRUE;
}

gboolean
qs_store_limit_clear (QsStore     *store,
                      const char  *kind,
                      const char  *key,
                      GError     **error)
{
  if (!qs_db_run (qs_store_db (store), "DELETE FROM rate_limits WHERE kind = ?1 AND key = ?2", "ss", kind, key))
    return qs_store_fail (store, error);
  return TRUE;
}

gboolean
qs_store_limit_mark (QsStore     *store,
                     const char  *kind,
                     const char  *key,
                     gint64       now,
                     gint64       until,
                     guint        cap,
                     GError     **error)
{
  QsDb *db = qs_store_db (store);
  Room *room;
  gint64 live;
  /* hits counts the marks: 1 is a new row. */
  gint64 marks = qs_db_int (db, -1,
                            "INSERT INTO rate_limits (kind, key, hits, since, blocked_until, refused, times, expires_at)"
                            " VALUES (?1, ?2, 1, ?3, 0, 0, '', ?4)"
                            " ON CONFLICT (kind, key) DO UPDATE SET hits = rate_limits.hits + 1, since = ?3,"
                            " expires_at = ?4"
                            " RETURNING hits",
                            "ssii", kind, key, now, until);

  if (marks < 0)
    return qs_store_fail (store, error);
  if (marks != 1)
    return TRUE;
  room = room_of (store, kind);
  if (room->room > 0)
    {
      room->room--;
      return TRUE;
    }
  live = live_rows (store, kind, now, cap);
  if (live < 0)
    return qs_store_fail (store, error);
  /* Past cap, the oldest go, and a tenth more: room for the next marks
   * without counting. */
  room->room = live > cap ? cap / 10 : (cap - live) / 2;
  if (live > cap &&
      !qs_db_run (db,
                  "DELETE FROM rate_limits WHERE kind = ?1 AND key IN"
                  " (SELECT key FROM rate_limits WHERE kind = ?1 AND key <> ?2 ORDER BY expires_at LIMIT ?3)",
                  "ssi", kind, key, live - cap + cap / 10))
    return qs_store_fail (store, error);
  return TRUE;
}

static gpointer
times_from_row (QsStmt   *stmt,
                gpointer  user_data G_GNUC_UNUSED)
{
  return qs_stmt_dup_text (stmt, 0);
}

gboolean
qs_store_limit_times_lock (QsStore     *store,
                           const char  *kind,
                           const char  *key,
                           gint64       now,
                           guint        cap,
                           char       **times,
                           gboolean    *full,
                           GError     **error)
{
  g_autofree char *text = NULL;

  *full = FALSE;
  /* An empty row made here has expires_at 0: the caller saves it, or rolls
   * back, or the purge takes it. */
  text = returned_row (store, times_from_row, error,
                       "INSERT INTO rate_limits (kind, key, hits, since, blocked_until, refused, times, expires_at)"
                       " VALUES (?1, ?2, 0, 0, 0, 0, '', 0)"
                       " ON CONFLICT (kind, key) DO UPDATE SET refused = 0"
                       " RETURNING times",
                       "ss", kind, key);
  if (text == NULL)
    return FALSE;
  if (*text == '\0' && cap > 0 && !new_key_fits (store, kind, now, cap, FALSE, full, error))
    return FALSE;
  *times = g_steal_pointer (&text);
  return TRUE;
}

gboolean
qs_store_limit_times_save (QsStore     *store,
                           const char  *kind,
                           const char  *key,
                           const char  *times,
                           gint64       expires_at,
                           GError     **error)
{
  if (!qs_db_run (qs_store_db (store), "UPDATE rate_limits SET times = ?3, expires_at = ?4 WHERE kind = ?1 AND key = ?2",
                  "sssi", kind, key, times, expires_at))
    return qs_store_fail (store, error);
  return TRUE;
}

gboolean
qs_store_limits_prune (QsStore     *store,
                       gint64       now,
                       guint       *pruned,
                       GError     **error)
{
  QsDb *db = qs_store_db (store);

  if (!qs_db_run (db, "DELETE FROM rate_limits WHERE expires_at <= ?1", "i", now))
    return qs_store_fail (store, error);
  *pruned = qs_db_changes (db);
  return TRUE;
}

gboolean
qs_store_ping (QsStore  *store,
               GError  **error)
{
  if (qs_db_int (qs_store_db (store), 0, "SELECT 1", "") != 1)
    return qs_store_fail (store, error);
  return TRUE;
}
