/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sodium.h>

#include "quorum-core.h"
#include "quorum-server-util.h"
#include "quorum-store-api-keys.h"
#include "quorum-store-private.h"

#define HASH(h) (h), (gsize) QS_TOKEN_HASH_LEN

void
qs_store_api_key_free (QsStoreApiKey *key)
{
  if (key == NULL)
    return;
  g_free (key->id);
  g_free (key->org_id);
  g_free (key->name);
  g_free (key->prefix);
  g_free (key->created_by);
  g_free (key->created_by_name);
  g_free (key);
}

QsStoreApiKey *
qs_store_api_key_copy (const QsStoreApiKey *key)
{
  QsStoreApiKey *copy = g_memdup2 (key, sizeof *key);

  copy->id = g_strdup (key->id);
  copy->org_id = g_strdup (key->org_id);
  copy->name = g_strdup (key->name);
  copy->prefix = g_strdup (key->prefix);
  copy->created_by = g_strdup (key->created_by);
  copy->created_by_name = g_strdup (key->created_by_name);
  return copy;
}

void
qs_store_api_key_page_free (QsStoreApiKeyPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->keys, g_ptr_array_unref);
  g_free (page);
}

/* Scopes are stored by name ("members:read invitations:write"), so the
 * database does not depend on the order of QuorumScope's bits. */
static char *
scopes_to_text (guint scopes)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < QUORUM_N_SCOPES; i++)
    if (scopes & quorum_scope_nth (i))
      {
        if (text->len > 0)
          g_string_append_c (text, ' ');
        g_string_append (text, quorum_scope_to_string (quorum_scope_nth (i)));
      }
  return g_string_free (text, FALSE);
}

static guint
scopes_from_text (const char *text)
{
  g_auto(GStrv) names = g_strsplit (text != NULL ? text : "", " ", -1);
  guint scopes = 0;

  for (guint i = 0; names[i] != NULL; i++)
    scopes |= quorum_scope_from_string (names[i]);
  return scopes;
}

#define KEY_COLUMNS \
  "k.id, k.org_id, k.name, k.prefix, k.scopes, k.created_by, u.name, k.created_at," \
  " k.expires_at, k.last_used_at, m.role, m.status"
/* The creator's membership of the key's organization, if any. */
#define KEY_FROM " FROM api_keys k JOIN users u ON u.id = k.created_by" \
  " LEFT JOIN members m ON m.org_id = k.org_id AND m.user_id = k.created_by"

/* A row of KEY_COLUMNS and, when token_hash is not NULL, the hash (column
 * 12) that must equal it, compared in constant time. */
static gpointer
key_from_row (QsStmt   *stmt,
              gpointer  token_hash)
{
  QsStoreApiKey *key;
  gsize size = 0;
  const guint8 *hash = token_hash != NULL ? qs_stmt_blob (stmt, 12, &size) : NULL;

  if (token_hash != NULL &&
      (size != QS_TOKEN_HASH_LEN || sodium_memcmp (hash, token_hash, QS_TOKEN_HASH_LEN) != 0))
    return NULL;
  key = g_new0 (QsStoreApiKey, 1);
  key->id = qs_stmt_dup_text (stmt, 0);
  key->org_id = qs_stmt_dup_text (stmt, 1);
  key->name = qs_stmt_dup_text (stmt, 2);
  key->prefix = qs_stmt_dup_text (stmt, 3);
  key->scopes = scopes_from_text (qs_stmt_text (stmt, 4));
  key->created_by = qs_stmt_dup_text (stmt, 5);
  key->created_by_name = qs_stmt_dup_text (stmt, 6);
  key->created_at = qs_stmt_int64 (stmt, 7);
  key->expires_at = qs_stmt_int64 (stmt, 8);
  key->last_used_at = qs_stmt_int64 (stmt, 9);
  /* No membership row: NULL, so NONE. */
  key->creator_role = quorum_role_from_string (qs_stmt_text (stmt, 10));
  qs_store_member_status_from_string (qs_stmt_text (stmt, 11), &key->creator_status);
  return key;
}

QsStoreApiKey *
qs_store_api_key_create (QsStore       *store,
                         const char    *org_id,
                         const char    *name,
                         const char    *prefix,
                         const guint8  *token_hash,
                         guint          scopes,
                         const char    *created_by,
                         gint64         created_at,
                         gint64         expires_at,
                         GError       **error)
{
  g_autofree char *id = qs_new_id ("key_");
  g_autofree char *scope_text = scopes_to_text (scopes);

  if (!qs_db_run (qs_store_db (store),
                  "INSERT INTO api_keys (id, org_id, name, prefix, token_hash, scopes, created_by, created_at,"
                  " expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULLIF (?9, 0))",
                  "ssssbssii", id, org_id, name, prefix, HASH (token_hash), scope_text, created_by,
                  created_at, expires_at))
    {
      qs_store_fail (store, error);
      return NULL;
    }
  return qs_store_api_key_get (store, org_id, id, error);
}

QsStoreApiKey *
qs_store_api_key_get (QsStore     *store,
                      const char  *org_id,
                      const char  *key_id,
                      GError     **error)
{
  return qs_store_row (store, key_from_row, NULL, error,
                       "SELECT " KEY_COLUMNS KEY_FROM " WHERE k.id = ?1 AND k.org_id = ?2",
                       "ss", key_id, org_id);
}

QsStoreApiKey *
qs_store_api_key_by_hash (QsStore       *store,
                          const guint8  *token_hash,
                          gint64         now,
                          GError       **error)
{
  QsCache *cache = qs_store_cache (store);
  QsStoreApiKey *key = qs_cache_api_key (cache, token_hash, now);

  if (key != NULL)
    return key;
  key = qs_store_row (store, key_from_row, (gpointer) token_hash, error,
                      "SELECT " KEY_COLUMNS ", k.token_hash" KEY_FROM
                      " WHERE k.token_hash = ?1 AND (k.expires_at IS NULL OR k.expires_at > ?2)",
                      "bi", HASH (token_hash), now);
  /* The cache's triggers fire on members' updates and deletes, not inserts:
   * a key whose creator has no membership row (removed, left) would stay
   * refused after they are invited back, so it is not cached. */
  if (key != NULL && key->creator_role != QUORUM_ROLE_NONE)
    qs_cache_add_api_key (cache, token_hash, key);
  return key;
}

gint64
qs_store_api_key_count (QsStore     *store,
                        const char  *org_id,
                        GError     **error)
{
  gint64 count = qs_db_int (qs_store_db (store), -1, "SELECT COUNT(*) FROM api_keys WHERE org_id = ?1",
                            "s", org_id);

  if (count < 0)
    qs_store_fail (store, error);
  return count;
}

QsStoreApiKeyPage *
qs_store_api_keys_list (QsStore     *store,
                        const char  *org_id,
                        gint64       after_created_at,
                        const char  *after_id,
                        guint        limit,
                        GError     **error)
{
  g_autoptr(QsStoreApiKeyPage) page = g_new0 (QsStoreApiKeyPage, 1);
  QsDb *db = qs_store_db (store);

  page->keys = g_ptr_array_new_with_free_func ((GDestroyNotify) qs_store_api_key_free);
  if (!qs_store_rows (store,
                      after_id != NULL
                        ? qs_db_prepare (db, "SELECT " KEY_COLUMNS KEY_FROM
                                             " WHERE k.org_id = ?1 AND (k.created_at, k.id) < (?2, ?3)"
                                             " ORDER BY k.created_at DESC, k.id DESC LIMIT ?4",
                                         "sisi", org_id, after_created_at, after_id, (gint64) limit + 1)
                        : qs_db_prepare (db, "SELECT " KEY_COLUMNS KEY_FROM " WHERE k.org_id = ?1"
                                             " ORDER BY k.created_at DESC, k.id DESC LIMIT ?2",
                                         "si", org_id, (gint64) limit + 1),
                      key_from_row, NULL, page->keys, error))
    return NULL;
  page->more = page->keys->len > limit;
  if (page->more)
    g_ptr_array_set_size (page->keys, limit);
  if ((page->total = qs_store_api_key_count (store, org_id, error)) < 0)
    return NULL;
  return g_steal_pointer (&page);
}

gboolean
qs_store_api_key_delete (QsStore     *store,
                         const char  *org_id,
                         const char  *key_id,
                         GError     **error)
{
  QsDb *db = qs_store_db (store);

  if (!qs_db_run (db, "DELETE FROM api_keys WHERE id = ?1 AND org_id = ?2", "ss", key_id, org_id))
    return qs_store_fail (store, error);
  return qs_db_changes (db) > 0;
}

gboolean
qs_store_api_key_set_expires (QsStore     *store,
                              const char  *key_id,
                              gint64       expires_at,
                              GError     **error)
{
  if (!qs_db_run (qs_store_db (store), "UPDATE api_keys SET expires_at = ?2 WHERE id = ?1",
                  "si", key_id, expires_at))
    return qs_store_fail (store, error);
  return TRUE;
}

gboolean
qs_store_api_key_touch (QsStore     *store,
                        const char  *key_id,
                        gint64       now,
                        GError     **error)
{
  if (!qs_db_run (qs_store_db (store), "UPDATE api_keys SET last_used_at = ?2 WHERE id = ?1",
                  "si", key_id, now))
    return qs_store_fail (store, error);
  return TRUE;
}
