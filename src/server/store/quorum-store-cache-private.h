/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "quorum-store-db-private.h"
#include "quorum-store-identity.h"
#include "quorum-store-organizations.h"
#include "quorum-store-api-keys.h"

G_BEGIN_DECLS

/*
 * For the store's own files only. What requests read most, kept in
 * memory: what every authenticated request looks up — the session's user,
 * the API key, the caller's membership of the organization — per token
 * hash (and per organization and user for memberships), so a request that
 * changes nothing reads no row for them; and the rows of members pages
 * (below). Exact: change hooks (qs_db_install_change_hooks (); SQLite:
 * TEMP triggers on this connection) empty the whole cache
 * on every change that could make an entry wrong (a session ended, a user,
 * member, organization or key updated or deleted), in the statement that
 * makes it, and a rolled-back transaction empties it too
 * (qs_cache_flush () from quorum-store-core.c); a commit by another
 * connection (qs_db_others_changes (), read once a request and on every
 * look-up outside one) empties it before it answers: SQLite's PRAGMA
 * data_version; on PostgreSQL the same call first replays the other
 * connections' changes through these hooks, and moves only when it
 * cannot. Only the two columns
 * written while reading (members.last_active_at, api_keys.last_used_at)
 * are copied into the entry instead. Expiry is checked on every hit.
 * Nothing is cached or read from the cache while a transaction is open, so
 * a check that decides a write reads the database.
 */
typedef struct _QsCache QsCache;

/* Entries per table; a full table is emptied and starts again. */
#define QS_CACHE_MAX 10000

QsCache   *qs_cache_new          (QsDb                *db,
                                           GError             **error);
void           qs_cache_free         (QsCache         *cache);
void           qs_cache_flush        (QsCache         *cache);
/* pinned: look at qs_db_others_changes () at the first use and not again
 * until unpinned (qs_store_request_started () and _finished ()). */
void           qs_cache_pin          (QsCache         *cache,
                                      gboolean         pinned);
/* That look, for the member index, whose other connections' changes come
 * with it (PostgreSQL): qs_store_member_index () calls it. */
void           qs_cache_catch_up     (QsCache         *cache);

/* A copy of the cached session user (password_hash NULL), or NULL. */
QsStoreUser   *qs_cache_session      (QsCache         *cache,
                                           const guint8        *token_hash,
                                           gint64               now);
void           qs_cache_add_session  (QsCache         *cache,
                                           const guint8        *token_hash,
                                           const QsStoreUser   *user,
                                           gint64               expires_at);
QsStoreApiKey *qs_cache_api_key      (QsCache         *cache,
                                           const guint8        *token_hash,
                                           gint64               now);
void           qs_cache_add_api_key  (QsCache         *cache,
                                           const guint8        *token_hash,
                                           const QsStoreApiKey *key);
QsStoreMember *qs_cache_member       (QsCache         *cache,
                                           const char          *org_id,
                                           const char          *user_id);
void           qs_cache_add_member   (QsCache         *cache,
                                           const QsStoreMember *member);

/* Rows of members pages (member and user columns), by member id: emptied
 * by the same rollbacks and other connections' commits, and row by row by
 * TEMP triggers when a member changes or goes; a user's new name or e-mail
 * empties them all. At most this many (about 400 bytes each, with the
 * table): the first pages and the searches people repeat, not a copy of
 * the table (the export does not fill it). */
#define QS_CACHE_ROWS_MAX 10000

/* TRUE when qs_cache_row () may be asked (no transaction open, no other
 * connection's commit since the last look); call once per page. */
gboolean             qs_cache_rows_fresh (QsCache             *cache);
/* The cached row, owned by the cache, or NULL. */
const QsStoreMember *qs_cache_row        (QsCache             *cache,
                                          const char          *member_id);
void                 qs_cache_add_row    (QsCache             *cache,
                                          const QsStoreMember *member);

G_END_DECLS
