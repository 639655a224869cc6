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
