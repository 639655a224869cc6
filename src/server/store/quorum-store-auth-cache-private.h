/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "quorum-store-sqlite-private.h"
#include "quorum-store-identity.h"
#include "quorum-store-organizations.h"
#include "quorum-store-api-keys.h"

G_BEGIN_DECLS

/*
 * For the store's own files only. What every authenticated request looks
 * up — the session's user, the API key, the caller's membership of the
 * organization — kept in memory per token hash (and per organization and
 * user for memberships), so a request that changes nothing reads no row
 * for them. Exact: TEMP triggers on this connection empty the whole cache
 * on every change that could make an entry wrong (a session ended, a user,
 * member, organization or key updated or deleted), in the statement that
 * makes it, and a rolled-back transaction empties it too
 * (qs_auth_cache_flush () from quorum-store-core.c); a commit by another
 * connection (PRAGMA data_version, read on every look-up) empties it
 * before it answers. Only the two columns
 * written while reading (members.last_active_at, api_keys.last_used_at)
 * are copied into the entry instead. Expiry is checked on every hit.
 * Nothing is cached or read from the cache while a transaction is open, so
 * a check that decides a write reads the database.
 */
typedef struct _QsAuthCache QsAuthCache;

/* Entries per table; a full table is emptied and starts again. */
#define QS_AUTH_CACHE_MAX 10000

QsAuthCache   *qs_auth_cache_new          (QsDb                *db,
                                           GError             **error);
void           qs_auth_cache_free         (QsAuthCache         *cache);
void           qs_auth_cache_flush        (QsAuthCache         *cache);

/* A copy of the cached session user (password_hash NULL), or NULL. */
QsStoreUser   *qs_auth_cache_session      (QsAuthCache         *cache,
                                           const guint8        *token_hash,
                                           gint64               now);
void           qs_auth_cache_add_session  (QsAuthCache         *cache,
                                           const guint8        *token_hash,
                                           const QsStoreUser   *user,
                                           gint64               expires_at);
QsStoreApiKey *qs_auth_cache_api_key      (QsAuthCache         *cache,
                                           const guint8        *token_hash,
                                           gint64               now);
void           qs_auth_cache_add_api_key  (QsAuthCache         *cache,
                                           const guint8        *token_hash,
                                           const QsStoreApiKey *key);
QsStoreMember *qs_auth_cache_member       (QsAuthCache         *cache,
                                           const char          *org_id,
                                           const char          *user_id);
void           qs_auth_cache_add_member   (QsAuthCache         *cache,
                                           const QsStoreMember *member);

G_END_DECLS
