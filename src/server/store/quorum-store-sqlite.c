/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include <gio/gio.h>

#include <sqlite3.h>

#include "quorum-store-db-backend-private.h"
#include "quorum-store-sqlite-private.h"

/* The SQLite backend of quorum-store-db-private.h: the only store file that names
 * SQLite (docs/server.md, "Store backends"). */

typedef struct
{
  QsDb       parent;
  sqlite3   *handle;
  void     (*committed)   (gpointer user_data);
  void     (*rolled_back) (gpointer user_data);
  gpointer   hooks_data;
} SqliteDb;

typedef struct
{
  QsStmt        parent;
  sqlite3_stmt *handle;
} SqliteStmt;

typedef struct
{
  QsDbArgs        parent;
  sqlite3_value **argv;
} SqliteArgs;

static const QsDbBackend sqlite_backend;

#define HANDLE(db) (((SqliteDb *) (db))->handle)
#define STMT(stmt) (((SqliteStmt *) (stmt))->handle)
#define ARGV(args) (((const SqliteArgs *) (args))->argv)

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

  /* 2 → 3: billing. Plans are data; every organization has a billing
   * account on one of them (existing ones on the smallest plan their seats
   * fit). The balance moves only with an append-only ledger entry, in the
   * same statement group (balance_after is the balance once the entry is
   * in). Usage per member per day, with a per-organization daily total kept
   * in the same transaction; invoices numbered per organization without
   * gaps; audit events and the events future webhooks deliver. */
  "CREATE TABLE plans ("
  "  id TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  price_cents INTEGER NOT NULL CHECK (price_cents >= 0),"
  "  currency TEXT NOT NULL,"
  "  seat_limit INTEGER CHECK (seat_limit IS NULL OR seat_limit >= 1),"
  "  included_credits INTEGER NOT NULL CHECK (included_credits >= 0),"
  "  overage_cents_per_1000 INTEGER NOT NULL,"
  "  position INTEGER NOT NULL) WITHOUT ROWID;"
  "INSERT INTO plans VALUES"
  "  ('pln_free', 'Free', 0, 'EUR', 5, 1000, 0, 0),"
  "  ('pln_team', 'Team', 2900, 'EUR', 25, 50000, 200, 1),"
  "  ('pln_business', 'Business', 9900, 'EUR', NULL, 500000, 150, 2);"
  "CREATE TABLE billing_accounts ("
  "  org_id TEXT PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,"
  "  plan_id TEXT NOT NULL REFERENCES plans (id),"
  "  balance_cents INTEGER NOT NULL DEFAULT 0,"
  "  low_balance_alert_cents INTEGER CHECK (low_balance_alert_cents IS NULL OR low_balance_alert_cents >= 0),"
  "  below_alert INTEGER NOT NULL DEFAULT 0,"
  "  version INTEGER NOT NULL DEFAULT 1,"
  "  usage_version INTEGER NOT NULL DEFAULT 0,"
  "  paid_through INTEGER NOT NULL,"
  "  window_as_of INTEGER NOT NULL DEFAULT -1) WITHOUT ROWID;"
  /* Existing organizations were never charged: their first paid month is
   * the next one. */
  "INSERT INTO billing_accounts (org_id, plan_id, paid_through)"
  "  SELECT o.id, CASE WHEN s.seats <= 5 THEN 'pln_free' WHEN s.seats <= 25 THEN 'pln_team'"
  "                    ELSE 'pln_business' END,"
  "  CAST(strftime('%s', 'now', 'start of month', '+1 month') AS INTEGER)"
  "  FROM organizations o JOIN (SELECT o2.id AS id,"
  "    (SELECT COUNT(*) FROM members m WHERE m.org_id = o2.id) +"
  "    (SELECT COUNT(*) FROM invitations i WHERE i.org_id = o2.id AND i.status = 'pending'"
  "      AND i.expires_at > CAST(strftime('%s', 'now') AS INTEGER)) AS seats"
  "    FROM organizations o2) s ON s.id = o.id;"
  "CREATE TABLE ledger_entries ("
  "  id INTEGER PRIMARY KEY,"
  "  org_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,"
  "  kind TEXT NOT NULL CHECK (kind IN ('top_up', 'usage', 'plan')),"
  "  amount_cents INTEGER NOT NULL,"
  "  balance_after INTEGER NOT NULL,"
  "  description TEXT NOT NULL,"
  "  actor_id TEXT,"
  "  created_at INTEGER NOT NULL);"
  "CREATE INDEX ledger_org ON ledger_entries (org_id, created_at, id);"
  /* Append-only: the database itself refuses to change or drop an entry
   * while its organization exists. */
  "CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger_entries"
  "  BEGIN SELECT RAISE (ABORT, 'ledger entries are append-only'); END;"
  "CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger_entries"
  "  WHEN EXISTS (SELECT 1 FROM organizations WHERE id = OLD.org_id)"
  "  BEGIN SELECT RAISE (ABORT, 'ledger entries are append-only'); END;"
  "CREATE TABLE usage_records ("
  "  org_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,"
  "  day INTEGER NOT NULL,"
  "  member_id TEXT NOT NULL,"
  "  credits INTEGER NOT NULL,"
  "  requests INTEGER NOT NULL,"
  "  PRIMARY KEY (org_id, day, member_id)) WITHOUT ROWID;"
  /* Per-member sums of the last 30 and 90 days up to window_as_of, so
   * the app's two per-member views are an index range, not a scan of
   * days × members. */
  "CREATE TABLE usage_windows ("
  "  org_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,"
  "  days INTEGER NOT NULL,"
  "  member_id TEXT NOT NULL,"
  "  credits INTEGER NOT NULL,"
  "  requests INTEGER NOT NULL,"
  "  PRIMARY KEY (org_id, days, member_id)) WITHOUT ROWID;"
  "CREATE INDEX usage_windows_rank ON usage_windows (org_id, days, credits DESC, member_id, requests);"
  /* How many members each window holds: a page's total without a count. */
  "CREATE TABLE usage_window_counts ("
  "  org_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,"
  "  days INTEGER NOT NULL,"
  "  members INTEGER NOT NULL,"
  "  PRIMARY KEY (org_id, days)) WITHOUT ROWID;"
  "CREATE TABLE usage_days ("
  "  org_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,"
  "  day INTEGER NOT NULL,"
  "  credits INTEGER NOT NULL,"
  "  requests INTEGER NOT NULL,"
  "  PRIMARY KEY (org_id, day)) WITHOUT ROWID;"
  "CREATE TABLE invoices ("
  "  id TEXT PRIMARY KEY,"
  "  org_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,"
  "  seq INTEGER NOT NULL,"
  "  number TEXT NOT NULL,"
  "  period_start INTEGER NOT NULL,"
  "  period_end INTEGER NOT NULL,"
  "  currency TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  UNIQUE (org_id, seq),"
  "  UNIQUE (org_id, period_start));"
  "CREATE TABLE audit_events ("
  "  id TEXT PRIMARY KEY,"
  "  org_id TEXT NOT NULL,"
  "  actor_id TEXT NOT NULL,"
  "  actor_name TEXT NOT NULL,"
  "  actor_kind TEXT NOT NULL CHECK (actor_kind IN ('user', 'api_key', 'system')),"
  "  action TEXT NOT NULL,"
  "  target_type TEXT NOT NULL,"
  "  target_id TEXT NOT NULL,"
  "  target_name TEXT,"
  "  data TEXT,"
  "  created_at INTEGER NOT NULL);"
  "CREATE INDEX audit_events_org ON audit_events (org_id, created_at, id);"
  "CREATE TABLE events ("
  "  id TEXT PRIMARY KEY,"
  "  org_id TEXT NOT NULL,"
  "  type TEXT NOT NULL,"
  "  data TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  delivered_at INTEGER);"
  "CREATE INDEX events_org ON events (org_id, created_at, id);",
  /* 3 → 4: API keys; the audit log gains the invitee as an actor (who
   * declines by the e-mail's link without an account), a sequence number
   * for its order and indexes for its filters. SQLite cannot change a
   * CHECK or a primary key, so audit_events is rebuilt. */
  "CREATE TABLE api_keys ("
  "  id TEXT PRIMARY KEY,"
  "  org_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,"
  "  name TEXT NOT NULL,"
  "  prefix TEXT NOT NULL,"
  "  token_hash BLOB NOT NULL UNIQUE,"
  "  scopes TEXT NOT NULL,"
  "  created_by TEXT NOT NULL REFERENCES users (id),"
  "  created_at INTEGER NOT NULL,"
  "  expires_at INTEGER,"
  "  last_used_at INTEGER);"
  "CREATE INDEX api_keys_org ON api_keys (org_id, created_at, id);"
  "CREATE TABLE audit_events_new ("
  "  seq INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL UNIQUE,"
  "  org_id TEXT NOT NULL,"
  "  actor_id TEXT NOT NULL,"
  "  actor_name TEXT NOT NULL,"
  "  actor_kind TEXT NOT NULL CHECK (actor_kind IN ('user', 'api_key', 'system', 'invitee')),"
  "  action TEXT NOT NULL,"
  "  target_type TEXT NOT NULL,"
  "  target_id TEXT NOT NULL,"
  "  target_name TEXT,"
  "  data TEXT,"
  "  created_at INTEGER NOT NULL);"
  "INSERT INTO audit_events_new (id, org_id, actor_id, actor_name, actor_kind, action, target_type,"
  "  target_id, target_name, data, created_at) SELECT id, org_id, actor_id, actor_name, actor_kind, action,"
  "  target_type, target_id, target_name, data, created_at FROM audit_events ORDER BY created_at, rowid;"
  "DROP TABLE audit_events;"
  "ALTER TABLE audit_events_new RENAME TO audit_events;"
  /* seq (the rowid, so the last column of every index) orders records
   * of the same second as they were written. */
  "CREATE INDEX audit_events_org ON audit_events (org_id, created_at);"
  "CREATE INDEX audit_events_actor ON audit_events (org_id, actor_id, created_at);"
  "CREATE INDEX audit_events_action ON audit_events (org_id, action, created_at);",
  /* 4 → 5: the last usage records of each organization, by usage_version,
   * so the server's in-memory per-member sums (quorum-server-usage-cube.c)
   * catch up with records written by another process without reading
   * every row again. Kept short: QS_STORE_USAGE_LOG_KEEP per organization. */
  "CREATE TABLE usage_log ("
  "  org_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,"
  "  version INTEGER NOT NULL,"
  "  member_id TEXT NOT NULL,"
  "  day INTEGER NOT NULL,"
  "  credits INTEGER NOT NULL,"
  "  requests INTEGER NOT NULL,"
  "  PRIMARY KEY (org_id, version)) WITHOUT ROWID;",

  /* 5 → 6: webhooks and their delivery queue. The secret is kept as it is:
   * the server signs every delivery with it (HMAC), so it cannot be a hash.
   * One row per try; due_ms (Unix milliseconds) is set on the rows the
   * queue still has to act on: a pending try to send, a failed one to
   * retry. */
  "CREATE TABLE webhooks ("
  "  id TEXT PRIMARY KEY,"
  "  org_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,"
  "  url TEXT NOT NULL,"
  "  events TEXT NOT NULL,"
  "  description TEXT NOT NULL DEFAULT '',"
  "  enabled INTEGER NOT NULL DEFAULT 1,"
  "  secret TEXT NOT NULL,"
  "  version INTEGER NOT NULL DEFAULT 1,"
  "  failures INTEGER NOT NULL DEFAULT 0,"
  "  disabled_reason TEXT,"
  "  created_at INTEGER NOT NULL);"
  "CREATE INDEX webhooks_org ON webhooks (org_id, created_at, id);"
  "CREATE TABLE webhook_deliveries ("
  "  seq INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL UNIQUE,"
  "  webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,"
  "  event_id TEXT NOT NULL,"
  "  event_type TEXT NOT NULL,"
  "  attempt INTEGER NOT NULL,"
  "  manual INTEGER NOT NULL DEFAULT 0,"
  "  status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),"
  "  response_status INTEGER,"
  "  duration_ms INTEGER,"
  "  error TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  due_ms INTEGER);"
  "CREATE INDEX webhook_deliveries_log ON webhook_deliveries (webhook_id, seq);"
  "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (due_ms) WHERE due_ms IS NOT NULL;"
  /* The purge drops old events no try refers to any more. */
  "CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id);"
  "CREATE INDEX events_created ON events (created_at);",

  /* 6 → 7: what an audit record's change changed, {field: {from, to}}
   * (JSON, NULL for actions that are no update). Apart from data, which
   * is the webhook event's payload and stays as it is. */
  "ALTER TABLE audit_events ADD COLUMN changes TEXT;",

  /* 7 → 8: the queue's claims. A due row taken by one server instance is
   * claimed by it (claimed_by, an id of that process) until claimed_until
   * (Unix milliseconds, a lease): other instances on the same database
   * leave it alone meanwhile, and a crashed instance's claims come back
   * once their lease is over. The try's result clears both. */
  ("ALTER TABLE webhook_deliveries ADD COLUMN claimed_until INTEGER;"
   "ALTER TABLE webhook_deliveries ADD COLUMN claimed_by TEXT;"),

  /* 8 → 9: rate limits and sign-in back-offs, shared by every instance on
   * the database (quorum-store-limits.c says what each column holds per
   * kind). The purge deletes rows past expires_at; (kind, expires_at)
   * counts a kind's live rows against its cap. */
  ("CREATE TABLE rate_limits ("
   "  kind TEXT NOT NULL,"
   "  key TEXT NOT NULL,"
   "  hits INTEGER NOT NULL,"
   "  since INTEGER NOT NULL,"
   "  blocked_until INTEGER NOT NULL,"
   "  refused INTEGER NOT NULL,"
   "  times TEXT NOT NULL,"
   "  expires_at INTEGER NOT NULL,"
   "  PRIMARY KEY (kind, key)) WITHOUT ROWID;"
   "CREATE INDEX rate_limits_expiry ON rate_limits (kind, expires_at);"),
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

QsDb *
qs_db_sqlite_open (const char  *path,
                   gboolean     reader,
                   GError     **error)
{
  sqlite3 *handle = NULL;
  SqliteDb *db;
  int flags = reader ? SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
                     : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;

  if (sqlite3_open_v2 (path, &handle, flags, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot open %s: %s", path,
                   handle ? sqlite3_errmsg (handle) : "out of memory");
      sqlite3_close (handle);
      return NULL;
    }

  sqlite3_busy_timeout (handle, 5000);
  /* WAL + synchronous=FULL: a write acknowledged to a client survives a crash
   * of the process and of the machine. A reader (a worker thread's own
   * connection) reads the last committed state beside the writer. */
  if (!reader &&
      (!exec_sql (handle,
                  "PRAGMA journal_mode = WAL;"
                  "PRAGMA synchronous = FULL;"
                  "PRAGMA foreign_keys = ON;"
                  "PRAGMA secure_delete = ON;"
                  "PRAGMA temp_store = MEMORY;", error) ||
       !migrate (handle, error)))
    {
      sqlite3_close (handle);
      return NULL;
    }

  db = g_new0 (SqliteDb, 1);
  db->parent.backend = &sqlite_backend;
  db->handle = handle;
  return &db->parent;
}

static void
sqlite_close (QsDb *db)
{
  sqlite3 *handle = HANDLE (db);

  if (!sqlite3_db_readonly (handle, "main"))
    exec_sql (handle, "PRAGMA optimize", NULL);
  sqlite3_close (handle);
  g_free (db);
}

static int
sqlite_schema_version (QsDb *db)
{
  return (int) qs_db_int (db, -1, "PRAGMA user_version", "");
}

static gboolean
sqlite_begin (QsDb     *db,
              gboolean  write)
{
  return exec_sql (HANDLE (db), write ? "BEGIN IMMEDIATE" : "BEGIN", NULL);
}

static gboolean
sqlite_commit (QsDb    *db,
               GError **error)
{
  return exec_sql (HANDLE (db), "COMMIT", error);
}

static void
sqlite_rollback (QsDb *db)
{
  exec_sql (HANDLE (db), "ROLLBACK", NULL);
}

static gboolean
sqlite_in_transaction (QsDb *db)
{
  return !sqlite3_get_autocommit (HANDLE (db));
}

static int
sqlite_changes (QsDb *db)
{
  return sqlite3_changes (HANDLE (db));
}

static QsDbErrorKind
sqlite_error_kind (QsDb *db)
{
  switch (sqlite3_extended_errcode (HANDLE (db)))
    {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
      return QS_DB_ERROR_NONE;
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return QS_DB_ERROR_UNIQUE;
    default:
      return QS_DB_ERROR_OTHER;
    }
}

static const char *
sqlite_error_message (QsDb *db)
{
  return sqlite3_errmsg (HANDLE (db));
}

static QsStmt *
sqlite_prepare (QsDb       *db,
                const char *sql)
{
  sqlite3_stmt *handle = NULL;
  SqliteStmt *stmt;

  if (sqlite3_prepare_v3 (HANDLE (db), sql, -1, SQLITE_PREPARE_PERSISTENT, &handle, NULL) != SQLITE_OK)
    {
      g_warning ("SQLite prepare failed: %s", sqlite3_errmsg (HANDLE (db)));
      return NULL;
    }
  stmt = g_new0 (SqliteStmt, 1);
  stmt->parent.backend = &sqlite_backend;
  stmt->parent.db = db;
  stmt->handle = handle;
  return &stmt->parent;
}

static void
sqlite_finalize (QsStmt *stmt)
{
  sqlite3_finalize (STMT (stmt));
  g_free (stmt);
}

static void
sqlite_reset (QsStmt *stmt)
{
  sqlite3_reset (STMT (stmt));
}

static void
sqlite_clear_bindings (QsStmt *stmt)
{
  sqlite3_clear_bindings (STMT (stmt));
}

static void
sqlite_bind_text (QsStmt *stmt,
                  int     index,
                  const char *text,
                  gboolean    copy)
{
  sqlite3_bind_text (STMT (stmt), index, text, -1, copy ? SQLITE_TRANSIENT : SQLITE_STATIC);
}

static void
sqlite_bind_int64 (QsStmt *stmt,
                   int     index,
                   gint64  value)
{
  sqlite3_bind_int64 (STMT (stmt), index, value);
}

static void
sqlite_bind_blob (QsStmt *stmt,
                  int     index,
                  const void *data,
                  gsize       size)
{
  sqlite3_bind_blob64 (STMT (stmt), index, data, size, SQLITE_TRANSIENT);
}

static void
sqlite_bind_null (QsStmt *stmt,
                  int     index)
{
  sqlite3_bind_null (STMT (stmt), index);
}

static QsStmtResult
sqlite_step (QsStmt *stmt)
{
  switch (sqlite3_step (STMT (stmt)))
    {
    case SQLITE_ROW:
      return QS_STMT_ROW;
    case SQLITE_DONE:
      return QS_STMT_DONE;
    default:
      return QS_STMT_ERROR;
    }
}

static int
sqlite_col_n_columns (QsStmt *stmt)
{
  return sqlite3_column_count (STMT (stmt));
}

static gboolean
sqlite_col_is_null (QsStmt *stmt,
                int     col)
{
  return sqlite3_column_type (STMT (stmt), col) == SQLITE_NULL;
}

static const char *
sqlite_col_text (QsStmt *stmt,
             int     col)
{
  return (const char *) sqlite3_column_text (STMT (stmt), col);
}

static gint64
sqlite_col_int64 (QsStmt *stmt,
              int     col)
{
  return sqlite3_column_int64 (STMT (stmt), col);
}

static double
sqlite_col_double (QsStmt *stmt,
               int     col)
{
  return sqlite3_column_double (STMT (stmt), col);
}

static const guint8 *
sqlite_col_blob (QsStmt *stmt,
             int     col,
             gsize  *size)
{
  /* blob, then bytes: the order SQLite's documentation asks for. */
  const guint8 *data = sqlite3_column_blob (STMT (stmt), col);

  *size = (gsize) sqlite3_column_bytes (STMT (stmt), col);
  return data;
}

static QsDbType
sqlite_col_type (QsStmt *stmt,
                 int     col)
{
  switch (sqlite3_column_type (STMT (stmt), col))
    {
    case SQLITE_INTEGER:
      return QS_DB_INTEGER;
    case SQLITE_FLOAT:
      return QS_DB_FLOAT;
    case SQLITE_TEXT:
      return QS_DB_TEXT;
    case SQLITE_BLOB:
      return QS_DB_BLOB;
    case SQLITE_NULL:
    default:
      return QS_DB_NULL;
    }
}

/* Other connections' commits: PRAGMA data_version moves only for them. */
static gint64
sqlite_others_changes (QsDb *db)
{
  return qs_db_int (db, -1, "PRAGMA data_version", "");
}

typedef struct
{
  QsDbHookFunc func;
  gpointer     user_data;
} Hook;

static void
hook_fn (sqlite3_context  *context,
         int               argc,
         sqlite3_value   **argv)
{
  Hook *hook = sqlite3_user_data (context);
  SqliteArgs args = { { &sqlite_backend, argc, FALSE }, argv };

  hook->func (&args.parent, hook->user_data);
  sqlite3_result_null (context);
}

/* The hooks are SQL functions of this connection only (DIRECTONLY: no
 * schema object can call them), called by its TEMP triggers. */
static gboolean
sqlite_install_change_hooks (QsDb                  *db,
                             const QsDbChangeHooks *hooks,
                             gpointer               user_data,
                             GError               **error)
{
  sqlite3 *handle = HANDLE (db);

  for (guint i = 0; i < hooks->n_hooks; i++)
    {
      Hook *hook = g_new0 (Hook, 1);

      hook->func = hooks->hooks[i].func;
      hook->user_data = user_data;
      if (sqlite3_create_function_v2 (handle, hooks->hooks[i].name, hooks->hooks[i].n_args,
                                      SQLITE_UTF8 | SQLITE_DIRECTONLY, hook, hook_fn, NULL, NULL,
                                      g_free) != SQLITE_OK)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", sqlite3_errmsg (handle));
          return FALSE;
        }
    }
  return hooks->sqlite_triggers == NULL || exec_sql (handle, hooks->sqlite_triggers, error);
}

static int
commit_cb (gpointer data)
{
  SqliteDb *db = data;

  if (db->committed != NULL)
    db->committed (db->hooks_data);
  return 0;
}

static void
rollback_cb (gpointer data)
{
  SqliteDb *db = data;

  if (db->rolled_back != NULL)
    db->rolled_back (db->hooks_data);
}

static void
sqlite_set_transaction_hooks (QsDb     *qs_db,
                              void    (*committed)   (gpointer),
                              void    (*rolled_back) (gpointer),
                              gpointer  user_data)
{
  SqliteDb *db = (SqliteDb *) qs_db;
  gboolean any = committed != NULL || rolled_back != NULL;

  db->committed = committed;
  db->rolled_back = rolled_back;
  db->hooks_data = user_data;
  sqlite3_commit_hook (db->handle, any ? commit_cb : NULL, any ? db : NULL);
  sqlite3_rollback_hook (db->handle, any ? rollback_cb : NULL, any ? db : NULL);
}

static gboolean
sqlite_args_is_null (const QsDbArgs *args,
                     int             i)
{
  return sqlite3_value_type (ARGV (args)[i]) == SQLITE_NULL;
}

static const char *
sqlite_args_text (const QsDbArgs *args,
                  int             i)
{
  return (const char *) sqlite3_value_text (ARGV (args)[i]);
}

static gint64
sqlite_args_int64 (const QsDbArgs *args,
                   int             i)
{
  return sqlite3_value_int64 (ARGV (args)[i]);
}

static const guint8 *
sqlite_args_blob (const QsDbArgs *args,
                  int             i,
                  gsize          *size)
{
  const guint8 *data = sqlite3_value_blob (ARGV (args)[i]);

  *size = (gsize) sqlite3_value_bytes (ARGV (args)[i]);
  return data;
}

static const QsDbBackend sqlite_backend = {
  .name = "sqlite",
  .close = sqlite_close,
  .schema_version = sqlite_schema_version,
  .begin = sqlite_begin,
  .commit = sqlite_commit,
  .rollback = sqlite_rollback,
  .in_transaction = sqlite_in_transaction,
  .changes = sqlite_changes,
  .error_kind = sqlite_error_kind,
  .error_message = sqlite_error_message,
  .prepare = sqlite_prepare,
  .finalize = sqlite_finalize,
  .reset = sqlite_reset,
  .clear_bindings = sqlite_clear_bindings,
  .bind_text = sqlite_bind_text,
  .bind_int64 = sqlite_bind_int64,
  .bind_blob = sqlite_bind_blob,
  .bind_null = sqlite_bind_null,
  .step = sqlite_step,
  .n_columns = sqlite_col_n_columns,
  .is_null = sqlite_col_is_null,
  .text = sqlite_col_text,
  .int64 = sqlite_col_int64,
  .dbl = sqlite_col_double,
  .blob = sqlite_col_blob,
  .column_type = sqlite_col_type,
  .others_changes = sqlite_others_changes,
  .install_change_hooks = sqlite_install_change_hooks,
  .set_transaction_hooks = sqlite_set_transaction_hooks,
  .args_is_null = sqlite_args_is_null,
  .args_text = sqlite_args_text,
  .args_int64 = sqlite_args_int64,
  .args_blob = sqlite_args_blob,
};
