/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include <gio/gio.h>

#include "quorum-store-sqlite-private.h"

struct _QsDb
{
  sqlite3    *handle;
  GHashTable *statements;  /* const char *sql (static) → sqlite3_stmt */
};

/* Migrations, versioned in code: entry i moves the schema from version i to
 * i + 1 (PRAGMA user_version). Never edit a shipped entry; append a new one. */
static const char * const migrations[] = {
  /* 0 → 1: identity, organizations, members, invitations, idempotency. */
  "CREATE TABLE users ("
  "  id TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  email TEXT NOT NULL UNIQUE,"
  "  password_hash TEXT,"
  "  created_at INTEGER NOT NULL);"
  "CREATE TABLE sessions ("
  "  token_hash BLOB PRIMARY KEY,"
  "  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  created_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL) WITHOUT ROWID;"
  "CREATE INDEX sessions_user ON sessions (user_id);"
  "CREATE TABLE organizations ("
  "  id TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  slug TEXT NOT NULL UNIQUE,"
  "  logo_url TEXT,"
  "  logo_type TEXT,"
  "  logo_data BLOB,"
  "  version INTEGER NOT NULL DEFAULT 1,"
  "  created_at INTEGER NOT NULL);"
  "CREATE TABLE members ("
  "  id TEXT PRIMARY KEY,"
  "  org_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,"
  "  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),"
  "  status TEXT NOT NULL CHECK (status IN ('active', 'suspended')),"
  "  status_rank INTEGER NOT NULL,"
  "  sort_name TEXT NOT NULL,"
  "  search TEXT NOT NULL,"
  "  joined_at INTEGER NOT NULL,"
  "  last_active_at INTEGER,"
  "  UNIQUE (org_id, user_id));"
  /* Keyset order of the members list; role and search make it covering. */
  "CREATE INDEX members_order ON members (org_id, status_rank, sort_name, id, role, search);"
  "CREATE INDEX members_user ON members (user_id);"
  "CREATE TABLE invitations ("
  "  id TEXT PRIMARY KEY,"
  "  org_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,"
  "  email TEXT NOT NULL,"
  "  role TEXT NOT NULL CHECK (role IN ('admin', 'member')),"
  "  status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'declined', 'revoked')),"
  "  token_hash BLOB NOT NULL UNIQUE,"
  "  invited_by TEXT NOT NULL REFERENCES users (id),"
  "  created_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL,"
  "  last_sent_at INTEGER NOT NULL,"
  "  send_count INTEGER NOT NULL DEFAULT 1);"
  "CREATE INDEX invitations_org ON invitations (org_id, created_at, id);"
  "CREATE INDEX invitations_email ON invitations (email, status);"
  "CREATE TABLE idempotency_keys ("
  "  user_id TEXT NOT NULL,"
  "  org_id TEXT NOT NULL,"
  "  key TEXT NOT NULL,"
  "  body_hash BLOB NOT NULL,"
  "  status INTEGER NOT NULL,"
  "  response TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  PRIMARY KEY (user_id, org_id, key)) WITHOUT ROWID;"
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;",

  /* 1 → 2: e-mail ownership. Every existing account starts unverified (no
   * account ever proved its inbox) except the demo account; verification and
   * password-reset tokens, stored only as SHA-256 hashes. */
  "ALTER TABLE users ADD COLUMN email_verified INTEGER NOT NULL DEFAULT 0;"
  "UPDATE users SET email_verified = 1 WHERE email = 'ada@demo.quorum.test';"
  "CREATE TABLE email_tokens ("
  "  token_hash BLOB PRIMARY KEY,"
  "  kind TEXT NOT NULL CHECK (kind IN ('verify', 'reset')),"
  "  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  created_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL,"
  "  used_at INTEGER) WITHOUT ROWID;"
  "CREATE INDEX email_tokens_user ON email_tokens (user_id, kind);"
  "CREATE INDEX email_tokens_expiry ON email_tokens (expires_at);",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == QS_DB_SCHEMA_VERSION);

static gboolean
exec_sql (sqlite3     *handle,
          const char  *sql,
          GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (handle, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "SQLite: %s",
                   message ? message : "unknown error");
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
migrate (sqlite3  *handle,
         GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  int version = 0;

  if (sqlite3_prepare_v2 (handle, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  if (version > QS_DB_SCHEMA_VERSION)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "database schema version %d is newer than this server (%d)",
                   version, QS_DB_SCHEMA_VERSION);
      return FALSE;
    }

  for (int v = version; v < QS_DB_SCHEMA_VERSION; v++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", v + 1);

      if (!exec_sql (handle, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!exec_sql (handle, migrations[v], error) || !exec_sql (handle, bump, error))
        {
          exec_sql (handle, "ROLLBACK", NULL);
          return FALSE;
        }
      if (!exec_sql (handle, "COMMIT", error))
        return FALSE;
    }
  return TRUE;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

QsDb *
qs_db_open (const char  *path,
            GError     **error)
{
  sqlite3 *handle = NULL;
  QsDb *db;

  if (sqlite3_open_v2 (path, &handle,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot open %s: %s", path,
                   handle ? sqlite3_errmsg (handle) : "out of memory");
      sqlite3_close (handle);
      return NULL;
    }

  sqlite3_busy_timeout (handle, 5000);
  /* WAL + synchronous=FULL: a write acknowledged to a client survives a crash
   * of the process and of the machine. */
  if (!exec_sql (handle,
                 "PRAGMA journal_mode = WAL;"
                 "PRAGMA synchronous = FULL;"
                 "PRAGMA foreign_keys = ON;"
                 "PRAGMA secure_delete = ON;"
                 "PRAGMA temp_store = MEMORY;", error) ||
      !migrate (handle, error))
    {
      sqlite3_close (handle);
      return NULL;
    }

  db = g_new0 (QsDb, 1);
  db->handle = handle;
  db->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
  return db;
}

void
qs_db_close (QsDb *db)
{
  if (db == NULL)
    return;
  g_hash_table_destroy (db->statements);
  exec_sql (db->handle, "PRAGMA optimize", NULL);
  sqlite3_close (db->handle);
  g_free (db);
}

sqlite3 *
qs_db_handle (QsDb *db)
{
  return db->handle;
}

int
qs_db_schema_version (QsDb *db)
{
  return (int) qs_db_int (db, -1, "PRAGMA user_version", "");
}

sqlite3_stmt *
qs_db_prepare_va (QsDb       *db,
                  const char *sql,
                  const char *fmt,
                  va_list     args)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (db->statements, sql);
  int i = 1;

  if (stmt == NULL)
    {
      if (sqlite3_prepare_v3 (db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
        {
          g_warning ("SQLite prepare failed: %s", sqlite3_errmsg (db->handle));
          return NULL;
        }
      g_hash_table_insert (db->statements, g_strdup (sql), stmt);
    }
  else
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }

  for (const char *f = fmt; *f != '\0'; f++, i++)
    {
      switch (*f)
        {
        case 's':
          {
            const char *s = va_arg (args, const char *);
            if (s != NULL)
              sqlite3_bind_text (stmt, i, s, -1, SQLITE_TRANSIENT);
            else
              sqlite3_bind_null (stmt, i);
          }
          break;
        case 'i':
          sqlite3_bind_int64 (stmt, i, va_arg (args, gint64));
          break;
        case 'b':
          {
            const void *data = va_arg (args, const void *);
            gsize len = va_arg (args, gsize);
            if (data != NULL)
              sqlite3_bind_blob64 (stmt, i, data, len, SQLITE_TRANSIENT);
            else
              sqlite3_bind_null (stmt, i);
          }
          break;
        case 'n':
          sqlite3_bind_null (stmt, i);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return stmt;
}

sqlite3_stmt *
qs_db_prepare (QsDb       *db,
               const char *sql,
               const char *fmt,
               ...)
{
  va_list args;
  sqlite3_stmt *stmt;

  va_start (args, fmt);
  stmt = qs_db_prepare_va (db, sql, fmt, args);
  va_end (args);
  return stmt;
}

gboolean
qs_db_run (QsDb       *db,
           const char *sql,
           const char *fmt,
           ...)
{
  va_list args;
  sqlite3_stmt *stmt;
  int rc;

  va_start (args, fmt);
  stmt = qs_db_prepare_va (db, sql, fmt, args);
  va_end (args);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      g_warning ("SQLite step failed: %s", sqlite3_errmsg (db->handle));
      return FALSE;
    }
  return TRUE;
}

gint64
qs_db_int (QsDb       *db,
           gint64      fallback,
           const char *sql,
           const char *fmt,
           ...)
{
  va_list args;
  sqlite3_stmt *stmt;
  gint64 value = fallback;

  va_start (args, fmt);
  stmt = qs_db_prepare_va (db, sql, fmt, args);
  va_end (args);
  if (stmt == NULL)
    return fallback;
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

gboolean
qs_db_begin (QsDb *db)
{
  return exec_sql (db->handle, "BEGIN IMMEDIATE", NULL);
}

gboolean
qs_db_commit (QsDb *db)
{
  g_autoptr(GError) error = NULL;

  if (!exec_sql (db->handle, "COMMIT", &error))
    {
      g_warning ("%s", error->message);
      exec_sql (db->handle, "ROLLBACK", NULL);
      return FALSE;
    }
  return TRUE;
}

void
qs_db_rollback (QsDb *db)
{
  if (!sqlite3_get_autocommit (db->handle))
    exec_sql (db->handle, "ROLLBACK", NULL);
}

int
qs_db_changes (QsDb *db)
{
  return sqlite3_changes (db->handle);
}

const char *
qs_stmt_text (sqlite3_stmt *stmt,
              int           col)
{
  return (const char *) sqlite3_column_text (stmt, col);
}

char *
qs_stmt_dup_text (sqlite3_stmt *stmt,
                  int           col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}
