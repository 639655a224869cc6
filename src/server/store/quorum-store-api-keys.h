/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The store: organization API keys. Included by quorum-store.h; include that
 * instead. A key's secret is never stored: only its SHA-256 hash (looked up
 * by hash, compared again in constant time) and its first characters
 * (prefix), for people to recognise it. */

#include <glib.h>

G_BEGIN_DECLS

typedef struct _QsStore QsStore;

/* Keys per organization, expired ones included (they are listed until
 * revoked): past it, creating or rotating one answers 409. */
#define QS_STORE_API_KEYS_MAX 100

typedef struct
{
  char   *id;                /* key_… */
  char   *org_id;
  char   *name;
  char   *prefix;            /* qrm_k_ + 6 characters */
  guint   scopes;            /* QuorumScope flags */
  char   *created_by;        /* usr_… */
  char   *created_by_name;   /* the creator's name as it is now */
  gint64  created_at;
  gint64  expires_at;        /* 0: never */
  gint64  last_used_at;      /* 0: never */
} QsStoreApiKey;

typedef struct
{
  GPtrArray *keys;    /* QsStoreApiKey, newest first */
  gboolean   more;
  gint64     total;
} QsStoreApiKeyPage;

void               qs_store_api_key_free       (QsStoreApiKey      *key);
QsStoreApiKey     *qs_store_api_key_copy       (const QsStoreApiKey *key);
void               qs_store_api_key_page_free  (QsStoreApiKeyPage  *page);

/* Inserts a key; returns it as read back. */
QsStoreApiKey     *qs_store_api_key_create     (QsStore            *store,
                                                const char         *org_id,
                                                const char         *name,
                                                const char         *prefix,
                                                const guint8       *token_hash,
                                                guint               scopes,
                                                const char         *created_by,
                                                gint64              created_at,
                                                gint64              expires_at,
                                                GError            **error);
/* org_id's key key_id, expired or not; NULL (no error) when none. */
QsStoreApiKey     *qs_store_api_key_get        (QsStore            *store,
                                                const char         *org_id,
                                                const char         *key_id,
                                                GError            **error);
/* The unexpired key whose secret hashes to token_hash; NULL (no error)
 * when none. */
QsStoreApiKey     *qs_store_api_key_by_hash    (QsStore            *store,
                                                const guint8       *token_hash,
                                                gint64              now,
                                                GError            **error);
/* org_id's keys, -1 on error. */
gint64             qs_store_api_key_count      (QsStore            *store,
                                                const char         *org_id,
                                                GError            **error);
/* A page newest first by (created_at, id); after_id NULL: the first page. */
QsStoreApiKeyPage *qs_store_api_keys_list      (QsStore            *store,
                                                const char         *org_id,
                                                gint64              after_created_at,
                                                const char         *after_id,
                                                guint               limit,
                                                GError            **error);
/* Deletes the key: it stops working at once. FALSE without error: none. */
gboolean           qs_store_api_key_delete     (QsStore            *store,
                                                const char         *org_id,
                                                const char         *key_id,
                                                GError            **error);
gboolean           qs_store_api_key_set_expires (QsStore           *store,
                                                 const char        *key_id,
                                                 gint64             expires_at,
                                                 GError           **error);
/* Sets last_used_at to now. The caller throttles (one write a minute). */
gboolean           qs_store_api_key_touch      (QsStore            *store,
                                                const char         *key_id,
                                                gint64              now,
                                                GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsStoreApiKey, qs_store_api_key_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsStoreApiKeyPage, qs_store_api_key_page_free)

G_END_DECLS
