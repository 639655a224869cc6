/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "quorum-store-cache-private.h"

struct _QsCache
{
  QsDb       *db;
  GHashTable *sessions;     /* GBytes token hash → Session */
  GHashTable *api_keys;     /* GBytes token hash → QsStoreApiKey */
  GHashTable *members;      /* "org_id\nuser_id" → QsStoreMember */
  GHashTable *rows;         /* member id → QsStoreMember, for members pages */
  gint64      others;       /* qs_db_others_changes () when last looked */
  gboolean    pinned;       /* in a request: look once, at the first use */
  gboolean    looked;       /* … which came */
};

typedef struct
{
  QsStoreUser *user;
  gint64       expires_at;
} Session;

static void
session_free (Session *session)
{
  qs_store_user_free (session->user);
  g_free (session);
}

/* Who asks: sessions, keys, memberships. */
static void
flush_auth (QsCache *cache)
{
  g_hash_table_remove_all (cache->sessions);
  g_hash_table_remove_all (cache->api_keys);
  g_hash_table_remove_all (cache->members);
}

void
qs_cache_flush (QsCache *cache)
{
  flush_auth (cache);
  g_hash_table_remove_all (cache->rows);
}

/* The cache is the committed state only: while a transaction is open,
 * nothing goes in or comes out. */
static gboolean
usable (QsCache *cache)
{
  return !qs_db_in_transaction (cache->db);
}

/* usable (), and no other connection (an operator's tool, --record-usage)
 * committed since the last look: qs_db_others_changes () moves only for
 * other connections' commits; this one's changes call the hooks. In a
 * request, the first use looks and the rest of the request keeps to it:
 * a request that uses neither the cache nor the member index (sign-in)
 * costs no look (on PostgreSQL a round trip). */
static gboolean
fresh (QsCache *cache)
{
  gint64 version;

  if (!usable (cache))
    return FALSE;
  if (cache->pinned && cache->looked)
    return TRUE;
  version = qs_db_others_changes (cache->db);
  cache->looked = cache->pinned;
  if (version != cache->others || version < 0)
    {
      qs_cache_flush (cache);
      cache->others = version;
      return FALSE;
    }
  return TRUE;
}

static void
make_room (GHashTable *table)
{
  if (g_hash_table_size (table) >= QS_CACHE_MAX)
    g_hash_table_remove_all (table);
}

static char *
member_key (const char *org_id,
            const char *user_id)
{
  return g_strconcat (org_id, "\n", user_id, NULL);
}

/* qs_cache_changed (): a row the auth part may hold changed. */
static void
changed_fn (const QsDbArgs *args,
            gpointer        user_data)
{
  flush_auth (user_data);
}

/* qs_cache_row_changed (member_id): a member's row changed or went;
 * qs_cache_row_changed (NULL): a user's name or e-mail changed, which
 * every one of their rows shows. */
static void
row_changed_fn (const QsDbArgs *args,
                gpointer        user_data)
{
  QsCache *cache = user_data;
  const char *id = qs_db_args_text (args, 0);

  if (id != NULL)
    g_hash_table_remove (cache->rows, id);
  else
    g_hash_table_remove_all (cache->rows);
}

/* qs_cache_member_active (org_id, user_id, last_active_at) */
static void
member_active_fn (const QsDbArgs *args,
                  gpointer        user_data)
{
  QsCache *cache = user_data;
  g_autofree char *key = member_key (qs_db_args_text (args, 0), qs_db_args_text (args, 1));
  QsStoreMember *member = g_hash_table_lookup (cache->members, key);

  if (member != NULL)
    member->last_active_at = qs_db_args_int64 (args, 2);
}

/* qs_cache_key_used (token_hash, last_used_at) */
static void
key_used_fn (const QsDbArgs *args,
             gpointer        user_data)
{
  QsCache *cache = user_data;
  gsize size = 0;
  const guint8 *data = qs_db_args_blob (args, 0, &size);
  g_autoptr(GBytes) hash = g_bytes_new (data, size);
  QsStoreApiKey *key = g_hash_table_lookup (cache->api_keys, hash);

  if (key != NULL)
    key->last_used_at = qs_db_args_int64 (args, 1);
}

static const QsDbHook hooks[] = {
  { "qs_cache_changed", 0, changed_fn },
  { "qs_cache_member_active", 3, member_active_fn },
  { "qs_cache_key_used", 2, key_used_fn },
  { "qs_cache_row_changed", 1, row_changed_fn },
};

/* Every change that can make an entry wrong empties the cache: sessions
 * ended (sign-out, password change, purge), users renamed or deleted,
 * members changed (role, status, removal, leave, transfer) or deleted with
 * their organization, keys revoked, rotated or expired early. Inserts make
 * no entry wrong (nothing negative is cached). SQLite backend: TEMP
 * triggers, which live on this connection only. */
static const char sqlite_triggers[] =
  "CREATE TEMP TRIGGER qs_cache_sessions_update AFTER UPDATE ON main.sessions BEGIN"
  " SELECT qs_cache_changed (); END;"
  "CREATE TEMP TRIGGER qs_cache_sessions_delete AFTER DELETE ON main.sessions BEGIN"
  " SELECT qs_cache_changed (); END;"
  "CREATE TEMP TRIGGER qs_cache_users_update AFTER UPDATE ON main.users BEGIN"
  " SELECT qs_cache_changed (); END;"
  "CREATE TEMP TRIGGER qs_cache_users_delete AFTER DELETE ON main.users BEGIN"
  " SELECT qs_cache_changed (); END;"
  "CREATE TEMP TRIGGER qs_cache_organizations_delete AFTER DELETE ON main.organizations BEGIN"
  " SELECT qs_cache_changed (); END;"
  "CREATE TEMP TRIGGER qs_cache_members_update"
  " AFTER UPDATE OF id, org_id, user_id, role, status, status_rank, joined_at ON main.members BEGIN"
  " SELECT qs_cache_changed (); END;"
  "CREATE TEMP TRIGGER qs_cache_members_active AFTER UPDATE OF last_active_at ON main.members BEGIN"
  " SELECT qs_cache_member_active (NEW.org_id, NEW.user_id, NEW.last_active_at); END;"
  "CREATE TEMP TRIGGER qs_cache_members_delete AFTER DELETE ON main.members BEGIN"
  " SELECT qs_cache_changed (); END;"
  "CREATE TEMP TRIGGER qs_cache_api_keys_update"
  " AFTER UPDATE OF id, org_id, name, prefix, token_hash, scopes, created_by, created_at, expires_at"
  " ON main.api_keys BEGIN"
  " SELECT qs_cache_changed (); END;"
  "CREATE TEMP TRIGGER qs_cache_api_keys_used AFTER UPDATE OF last_used_at ON main.api_keys BEGIN"
  " SELECT qs_cache_key_used (NEW.token_hash, NEW.last_used_at); END;"
  "CREATE TEMP TRIGGER qs_cache_api_keys_delete AFTER DELETE ON main.api_keys BEGIN"
  " SELECT qs_cache_changed (); END;"
  /* Members pages' rows: a member's own, any change; a user's name or
   * e-mail, all of them. */
  "CREATE TEMP TRIGGER qs_cache_rows_update AFTER UPDATE ON main.members BEGIN"
  " SELECT qs_cache_row_changed (OLD.id); END;"
  "CREATE TEMP TRIGGER qs_cache_rows_delete AFTER DELETE ON main.members BEGIN"
  " SELECT qs_cache_row_changed (OLD.id); END;"
  "CREATE TEMP TRIGGER qs_cache_rows_user AFTER UPDATE OF id, name, email ON main.users BEGIN"
  " SELECT qs_cache_row_changed (NULL); END;";

QsCache *
qs_cache_new (QsDb    *db,
                   GError **error)
{
  QsCache *cache = g_new0 (QsCache, 1);
  /* Other connections' changes come through the same hooks (PostgreSQL);
   * when they cannot, qs_db_others_changes () moves and fresh () empties
   * the cache. */
  QsDbChangeHooks change_hooks = { hooks, G_N_ELEMENTS (hooks), sqlite_triggers, NULL };
  g_autoptr(GError) local_error = NULL;

  cache->db = db;
  cache->sessions = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref,
                                           (GDestroyNotify) session_free);
  cache->api_keys = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref,
                                           (GDestroyNotify) qs_store_api_key_free);
  cache->members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) qs_store_member_free);
  cache->rows = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) qs_store_member_free);

  if (!qs_db_install_change_hooks (db, &change_hooks, cache, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "read cache: %s", local_error->message);
      qs_cache_free (cache);
      return NULL;
    }
  return cache;
}

void
qs_cache_free (QsCache *cache)
{
  if (cache == NULL)
    return;
  g_hash_table_destroy (cache->sessions);
  g_hash_table_destroy (cache->api_keys);
  g_hash_table_destroy (cache->members);
  g_hash_table_destroy (cache->rows);
  g_free (cache);
}

static GBytes *
hash_key (const guint8 *token_hash)
{
  return g_bytes_new (token_hash, QS_STORE_TOKEN_HASH_LEN);
}

QsStoreUser *
qs_cache_session (QsCache  *cache,
                       const guint8 *token_hash,
                       gint64        now)
{
  g_autoptr(GBytes) key = NULL;
  Session *session;

  if (!fresh (cache))
    return NULL;
  key = hash_key (token_hash);
  session = g_hash_table_lookup (cache->sessions, key);
  if (session == NULL)
    return NULL;
  if (session->expires_at <= now)
    {
      g_hash_table_remove (cache->sessions, key);
      return NULL;
    }
  return qs_store_user_copy (session->user);
}

void
qs_cache_add_session (QsCache       *cache,
                           const guint8      *token_hash,
                           const QsStoreUser *user,
                           gint64             expires_at)
{
  Session *session;

  if (!usable (cache))
    return;
  make_room (cache->sessions);
  session = g_new0 (Session, 1);
  session->user = qs_store_user_copy (user);
  g_clear_pointer (&session->user->password_hash, g_free);
  session->expires_at = expires_at;
  g_hash_table_replace (cache->sessions, hash_key (token_hash), session);
}

QsStoreApiKey *
qs_cache_api_key (QsCache  *cache,
                       const guint8 *token_hash,
                       gint64        now)
{
  g_autoptr(GBytes) hash = NULL;
  QsStoreApiKey *key;

  if (!fresh (cache))
    return NULL;
  hash = hash_key (token_hash);
  key = g_hash_table_lookup (cache->api_keys, hash);
  if (key == NULL)
    return NULL;
  if (key->expires_at != 0 && key->expires_at <= now)
    {
      g_hash_table_remove (cache->api_keys, hash);
      return NULL;
    }
  return qs_store_api_key_copy (key);
}

void
qs_cache_add_api_key (QsCache         *cache,
                           const guint8        *token_hash,
                           const QsStoreApiKey *key)
{
  if (!usable (cache))
    return;
  make_room (cache->api_keys);
  g_hash_table_replace (cache->api_keys, hash_key (token_hash), qs_store_api_key_copy (key));
}

QsStoreMember *
qs_cache_member (QsCache *cache,
                      const char  *org_id,
                      const char  *user_id)
{
  g_autofree char *key = NULL;
  QsStoreMember *member;

  if (!fresh (cache))
    return NULL;
  key = member_key (org_id, user_id);
  member = g_hash_table_lookup (cache->members, key);
  return member != NULL ? qs_store_member_copy (member) : NULL;
}

void
qs_cache_add_member (QsCache         *cache,
                          const QsStoreMember *member)
{
  if (!usable (cache))
    return;
  make_room (cache->members);
  g_hash_table_replace (cache->members, member_key (member->org_id, member->user_id),
                        qs_store_member_copy (member));
}

gboolean
qs_cache_rows_fresh (QsCache *cache)
{
  return fresh (cache);
}

const QsStoreMember *
qs_cache_row (QsCache    *cache,
              const char *member_id)
{
  return g_hash_table_lookup (cache->rows, member_id);
}

void
qs_cache_add_row (QsCache             *cache,
                  const QsStoreMember *member)
{
  QsStoreMember *copy;

  if (!usable (cache))
    return;
  if (g_hash_table_size (cache->rows) >= QS_CACHE_ROWS_MAX)
    g_hash_table_remove_all (cache->rows);
  copy = qs_store_member_copy (member);
  g_hash_table_replace (cache->rows, copy->id, copy);
}

void
qs_cache_pin (QsCache  *cache,
              gboolean  pinned)
{
  cache->pinned = pinned;
  cache->looked = FALSE;
}

void
qs_cache_catch_up (QsCache *cache)
{
  fresh (cache);
}
