/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sodium.h>

#include "quorum-store-identity.h"
#include "quorum-store-private.h"
#include "quorum-server-util.h"

G_STATIC_ASSERT (QS_STORE_TOKEN_HASH_LEN == QS_TOKEN_HASH_LEN);

#define HASH(h) (h), (gsize) QS_STORE_TOKEN_HASH_LEN

void
qs_store_user_free (QsStoreUser *user)
{
  if (user == NULL)
    return;
  g_free (user->id);
  g_free (user->name);
  g_free (user->email);
  g_free (user->password_hash);
  g_free (user);
}

QsStoreUser *
qs_store_user_copy (const QsStoreUser *user)
{
  QsStoreUser *copy = g_new0 (QsStoreUser, 1);

  copy->id = g_strdup (user->id);
  copy->name = g_strdup (user->name);
  copy->email = g_strdup (user->email);
  copy->password_hash = g_strdup (user->password_hash);
  copy->email_verified = user->email_verified;
  copy->created_at = user->created_at;
  return copy;
}

/* TRUE when the blob in column col is hash; compared in constant time. */
static gboolean
column_is_hash (QsStmt       *stmt,
                int           col,
                const guint8 *hash)
{
  gsize size = 0;
  const guint8 *blob = qs_stmt_blob (stmt, col, &size);

  return size == QS_STORE_TOKEN_HASH_LEN && sodium_memcmp (blob, hash, QS_STORE_TOKEN_HASH_LEN) == 0;
}

#define USER_COLUMNS "u.id, u.name, u.email, u.password_hash, u.email_verified, u.created_at"

/* A row of USER_COLUMNS and, when token_hash is not NULL, the hash that
 * must equal it. */
static gpointer
user_from_row (QsStmt   *stmt,
               gpointer  token_hash)
{
  QsStoreUser *user;

  if (token_hash != NULL && !column_is_hash (stmt, 6, token_hash))
    return NULL;
  user = g_new0 (QsStoreUser, 1);
  user->id = qs_stmt_dup_text (stmt, 0);
  user->name = qs_stmt_dup_text (stmt, 1);
  user->email = qs_stmt_dup_text (stmt, 2);
  user->password_hash = qs_stmt_dup_text (stmt, 3);
  user->email_verified = qs_stmt_int (stmt, 4) != 0;
  user->created_at = qs_stmt_int64 (stmt, 5);
  return user;
}

QsStoreUser *
qs_store_user_by_id (QsStore     *store,
                     const char  *user_id,
                     GError     **error)
{
  return qs_store_row (store, user_from_row, NULL, error,
                       "SELECT " USER_COLUMNS " FROM users u WHERE u.id = ?1",
                       "s", user_id);
}

QsStoreUser *
qs_store_user_by_email (QsStore     *store,
                        const char  *email,
                        GError     **error)
{
  return qs_store_row (store, user_from_row, NULL, error,
                       "SELECT " USER_COLUMNS " FROM users u WHERE u.email = ?1",
                       "s", email);
}

char *
qs_store_user_create (QsStore     *store,
                      const char  *name,
                      const char  *email,
                      const char  *password_hash,
                      gboolean     email_verified,
                      gint64       created_at,
                      GError     **error)
{
  g_autofree char *id = qs_new_id ("usr_");

  if (!qs_db_run (qs_store_db (store),
                  "INSERT INTO users (id, name, email, password_hash, created_at, email_verified)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                  "ssssii", id, name, email, password_hash, created_at, (gint64) !!email_verified))
    {
      qs_store_fail (store, error);
      return NULL;
    }
  return g_steal_pointer (&id);
}

gboolean
qs_store_user_set_name (QsStore     *store,
                        const char  *user_id,
                        const char  *name,
                        GError     **error)
{
  g_autoptr(QsStoreUser) user = qs_store_user_by_id (store, user_id, error);

  if (user == NULL)
    return FALSE;
  if (!qs_db_run (qs_store_db (store), "UPDATE users SET name = ?1 WHERE id = ?2",
                  "ss", name, user_id))
    return qs_store_fail (store, error);
  return qs_store_members_rename_user (store, user_id, name, user->email, error);
}

gboolean
qs_store_user_replace_password_hash (QsStore     *store,
                                     const char  *user_id,
                                     const char  *old_hash,
                                     const char  *new_hash,
                                     GError     **error)
{
  QsDb *db = qs_store_db (store);

  if (!qs_db_run (db, "UPDATE users SET password_hash = ?1 WHERE id = ?2 AND password_hash = ?3",
                  "sss", new_hash, user_id, old_hash))
    return qs_store_fail (store, error);
  return qs_db_changes (db) > 0;
}

gboolean
qs_store_user_mark_verified (QsStore     *store,
                             const char  *user_id,
                             GError     **error)
{
  QsDb *db = qs_store_db (store);

  if (!qs_db_run (db, "UPDATE users SET email_verified = 1 WHERE id = ?1", "s", user_id) ||
      !qs_db_run (db, "UPDATE email_tokens SET used_at = ?1"
                      " WHERE user_id = ?2 AND kind = 'verify' AND used_at IS NULL",
                  "is", qs_now (), user_id))
    return qs_store_fail (store, error);
  return TRUE;
}

gboolean
qs_store_user_take_over (QsStore     *store,
                         const char  *user_id,
                         const char  *name,
                         const char  *password_hash,
                         GError     **error)
{
  QsDb *db = qs_store_db (store);

  if (name != NULL && !qs_store_user_set_name (store, user_id, name, error))
    return FALSE;
  if (!qs_db_run (db, "UPDATE users SET password_hash = ?1, email_verified = 1 WHERE id = ?2",
                  "ss", password_hash, user_id) ||
      !qs_db_run (db, "UPDATE email_tokens SET used_at = ?1 WHERE user_id = ?2 AND used_at IS NULL",
                  "is", qs_now (), user_id))
    return qs_store_fail (store, error);
  return qs_store_sessions_end_for_user (store, user_id, NULL, error);
}

/* ------------------------------------------------------------- sessions */

gboolean
qs_store_session_create (QsStore       *store,
                         const guint8  *token_hash,
                         const char    *user_id,
                         gint64         expires_at,
                         GError       **error)
{
  if (!qs_db_run (qs_store_db (store),
                  "INSERT INTO sessions (token_hash, user_id, created_at, expires_at)"
                  " VALUES (?1, ?2, ?3, ?4)",
                  "bsii", HASH (token_hash), user_id, qs_now (), expires_at))
    return qs_store_fail (store, error);
  return TRUE;
}

typedef struct
{
  QsStoreUser *user;
  gint64       expires_at;
} SessionRow;

static gpointer
session_from_row (QsStmt   *stmt,
                  gpointer  token_hash)
{
  QsStoreUser *user = user_from_row (stmt, token_hash);
  SessionRow *row;

  if (user == NULL)
    return NULL;
  row = g_new0 (SessionRow, 1);
  g_clear_pointer (&user->password_hash, g_free);
  row->user = user;
  row->expires_at = qs_stmt_int64 (stmt, 7);
  return row;
}

/* From the read cache when it holds the session (see
 * quorum-store-cache-private.h). */
QsStoreUser *
qs_store_session_user (QsStore       *store,
                       const guint8  *token_hash,
                       GError       **error)
{
  QsCache *cache = qs_store_cache (store);
  gint64 now = qs_now ();
  QsStoreUser *user = qs_cache_session (cache, token_hash, now);
  g_autofree SessionRow *row = NULL;

  if (user != NULL)
    return user;
  row = qs_store_row (store, session_from_row, (gpointer) token_hash, error,
                      "SELECT " USER_COLUMNS ", s.token_hash, s.expires_at FROM sessions s"
                      " JOIN users u ON u.id = s.user_id"
                      " WHERE s.token_hash = ?1 AND s.expires_at > ?2",
                      "bi", HASH (token_hash), now);
  if (row == NULL)
    return NULL;
  qs_cache_add_session (cache, token_hash, row->user, row->expires_at);
  return row->user;
}

gboolean
qs_store_session_end (QsStore       *store,
                      const guint8  *token_hash,
                      GError       **error)
{
  if (!qs_db_run (qs_store_db (store), "DELETE FROM sessions WHERE token_hash = ?1",
                  "b", HASH (token_hash)))
    return qs_store_fail (store, error);
  return TRUE;
}

gboolean
qs_store_sessions_end_for_user (QsStore       *store,
                                const char    *user_id,
                                const guint8  *except_hash,
                                GError       **error)
{
  /* A NULL except_hash binds NULL, which no session's hash IS. */
  if (!qs_db_run (qs_store_db (store),
                  "DELETE FROM sessions WHERE user_id = ?1 AND token_hash IS NOT ?2",
                  "sb", user_id, HASH (except_hash)))
    return qs_store_fail (store, error);
  return TRUE;
}

/* ---------------------------------------------------------- e-mail tokens */

gboolean
qs_store_email_token_issue (QsStore       *store,
                            const char    *kind,
                            const guint8  *token_hash,
                            const char    *user_id,
                            gint64         expires_at,
                            GError       **error)
{
  QsDb *db = qs_store_db (store);
  gint64 now = qs_now ();

  if (!qs_db_run (db, "UPDATE email_tokens SET used_at = ?1"
                      " WHERE user_id = ?2 AND kind = ?3 AND used_at IS NULL",
                  "iss", now, user_id, kind) ||
      !qs_db_run (db, "INSERT INTO email_tokens (token_hash, kind, user_id, created_at, expires_at)"
                      " VALUES (?1, ?2, ?3, ?4, ?5)",
                  "bssii", HASH (token_hash), kind, user_id, now, expires_at))
    return qs_store_fail (store, error);
  return TRUE;
}

typedef struct
{
  const guint8 *token_hash;
  gint64        expires_at;
} TokenLookup;

static gpointer
token_user_from_row (QsStmt   *stmt,
                     gpointer  user_data)
{
  TokenLookup *lookup = user_data;

  if (!column_is_hash (stmt, 2, lookup->token_hash))
    return NULL;
  lookup->expires_at = qs_stmt_int64 (stmt, 1);
  return qs_stmt_dup_text (stmt, 0);
}

char *
qs_store_email_token_user (QsStore       *store,
                           const char    *kind,
                           const guint8  *token_hash,
                           gint64        *expires_at,
                           GError       **error)
{
  TokenLookup lookup = { token_hash, 0 };
  char *user_id = qs_store_row (store, token_user_from_row, &lookup, error,
                                "SELECT user_id, expires_at, token_hash FROM email_tokens"
                                " WHERE token_hash = ?1 AND kind = ?2 AND used_at IS NULL",
                                "bs", HASH (token_hash), kind);

  *expires_at = lookup.expires_at;
  return user_id;
}

gboolean
qs_store_email_token_use (QsStore       *store,
                          const guint8  *token_hash,
                          GError       **error)
{
  QsDb *db = qs_store_db (store);

  if (!qs_db_run (db,
                  "UPDATE email_tokens SET used_at = ?1 WHERE token_hash = ?2 AND used_at IS NULL",
                  "ib", qs_now (), HASH (token_hash)))
    return qs_store_fail (store, error);
  return qs_db_changes (db) == 1;
}
