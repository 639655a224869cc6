/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The PostgreSQL backend's schema (quorum-store-pg.c is its statement
 * layer): the tables as SQLite's migrations leave them, this backend's
 * migrations, schema_version and the advisory lock under which instances
 * starting together migrate once. */
#include "config.h"

#include <stdlib.h>

#include <libpq-fe.h>

#include "quorum-store-pg-private.h"
#include "quorum-store-pg-backend-private.h"
#include "quorum-store-private.h"  /* QS_STORE_ERROR */
#include "quorum-store-sqlite-private.h"  /* QS_DB_SCHEMA_VERSION, both backends' */

/* Text columns compare as SQLite's do, by bytes (code points in UTF-8),
 * whatever the database's locale: member lists, cursors and ids sort as on
 * SQLite. */
#define T "TEXT COLLATE \"C\""

/* Migrations, versioned in code like SQLite's (quorum-store-sqlite.c): each
 * entry moves the schema to `version`, in one transaction, recorded in
 * schema_version. A PostgreSQL database starts at SQLite's version 7, in one
 * step (no PostgreSQL install ever held an older one); every later SQLite
 * migration gets its PostgreSQL entry with the same number. Never edit a
 * shipped entry.
 *
 * The columns are SQLite's, in SQLite's order (an INSERT without a column
 * list fills them alike): integers are BIGINT (SQLite's are 64-bit; times
 * are Unix seconds, due_ms milliseconds), flags stay 0/1 integers so that
 * the row readers are the same, BLOB is BYTEA, text is TEXT COLLATE "C"; an
 * INTEGER PRIMARY KEY (SQLite's rowid: ledger_entries.id, audit_events.seq,
 * webhook_deliveries.seq) is an identity column. */
static const struct
{
  int         version;
  const char *sql;
} migrations[] = {
  { 7,
    "CREATE TABLE users ("
    "  id " T " PRIMARY KEY,"
    "  name " T " NOT NULL,"
    "  email " T " NOT NULL UNIQUE,"
    "  password_hash " T ","
    "  created_at BIGINT NOT NULL,"
    "  email_verified BIGINT NOT NULL DEFAULT 0);"
    "CREATE TABLE sessions ("
    "  token_hash BYTEA PRIMARY KEY,"
    "  user_id " T " NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
    "  created_at BIGINT NOT NULL,"
    "  expires_at BIGINT NOT NULL);"
    "CREATE INDEX sessions_user ON sessions (user_id);"
    "CREATE TABLE organizations ("
    "  id " T " PRIMARY KEY,"
    "  name " T " NOT NULL,"
    "  slug " T " NOT NULL UNIQUE,"
    "  logo_url " T ","
    "  logo_type " T ","
    "  logo_data BYTEA,"
    "  version BIGINT NOT NULL DEFAULT 1,"
    "  created_at BIGINT NOT NULL);"
    "CREATE TABLE members ("
    "  id " T " PRIMARY KEY,"
    "  org_id " T " NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,"
    "  user_id " T " NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
    "  role " T " NOT NULL CHECK (role IN ('owner', 'admin', 'member')),"
    "  status " T " NOT NULL CHECK (status IN ('active', 'suspended')),"
    "  status_rank BIGINT NOT NULL,"
    "  sort_name " T " NOT NULL,"
    "  search " T " NOT NULL,"
    "  joined_at BIGINT NOT NULL,"
    "  last_active_at BIGINT,"
    "  UNIQUE (org_id, user_id));"
    "CREATE INDEX members_order ON members (org_id, status_rank, sort_name, id, role, search);"
    "CREATE INDEX members_user ON members (user_id);"
    "CREATE TABLE invitations ("
    "  id " T " PRIMARY KEY,"
    "  org_id " T " NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,"
    "  email " T " NOT NULL,"
    "  role " T " NOT NULL CHECK (role IN ('admin', 'member')),"
    "  status " T " NOT NULL CHECK (status IN ('pending', 'accepted', 'declined', 'revoked')),"
    "  token_hash BYTEA NOT NULL UNIQUE,"
    "  invited_by " T " NOT NULL REFERENCES users (id),"
    "  created_at BIGINT NOT NULL,"
    "  expires_at BIGINT NOT NULL,"
    "  last_sent_at BIGINT NOT NULL,"
    "  send_count BIGINT NOT NULL DEFAULT 1);"
    "CREATE INDEX invitations_org ON invitations (org_id, created_at, id);"
    "CREATE INDEX invitations_email ON invitations (email, status);"
    "CREATE TABLE idempotency_keys ("
    "  user_id " T " NOT NULL,"
    "  org_id " T " NOT NULL,"
    "  key " T " NOT NULL,"
    "  body_hash BYTEA NOT NULL,"
    "  status BIGINT NOT NULL,"
    "  response " T " NOT NULL,"
    "  created_at BIGINT NOT NULL,"
    "  PRIMARY KEY (user_id, org_id, key));"
    "CREATE TABLE meta (key " T " PRIMARY KEY, value " T ");"
    "CREATE TABLE email_tokens ("
    "  token_hash BYTEA PRIMARY KEY,"
    "  kind " T " NOT NULL CHECK (kind IN ('verify', 'reset')),"
    "  user_id " T " NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
    "  created_at BIGINT NOT NULL,"
    "  expires_at BIGINT NOT NULL,"
    "  used_at BIGINT);"
    "CREATE INDEX email_tokens_user ON email_tokens (user_id, kind);"
    "CREATE INDEX email_tokens_expiry ON email_tokens (expires_at);"
    "CREATE TABLE plans ("
    "  id " T " PRIMARY KEY,"
    "  name " T " NOT NULL,"
    "  price_cents BIGINT NOT NULL CHECK (price_cents >= 0),"
    "  currency " T " NOT NULL,"
    "  seat_limit BIGINT CHECK (seat_limit IS NULL OR seat_limit >= 1),"
    "  included_credits BIGINT NOT NULL CHECK (included_credits >= 0),"
    "  overage_cents_per_1000 BIGINT NOT NULL,"
    "  position BIGINT NOT NULL);"
    "INSERT INTO plans VALUES"
    "  ('pln_free', 'Free', 0, 'EUR', 5, 1000, 0, 0),"
    "  ('pln_team', 'Team', 2900, 'EUR', 25, 50000, 200, 1),"
    "  ('pln_business', 'Business', 9900, 'EUR', NULL, 500000, 150, 2);"
    "CREATE TABLE billing_accounts ("
    "  org_id " T " PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,"
    "  plan_id " T " NOT NULL REFERENCES plans (id),"
    "  balance_cents BIGINT NOT NULL DEFAULT 0,"
    "  low_balance_alert_cents BIGINT CHECK (low_balance_alert_cents IS NULL OR low_balance_alert_cents >= 0),"
    "  below_alert BIGINT NOT NULL DEFAULT 0,"
    "  version BIGINT NOT NULL DEFAULT 1,"
    "  usage_version BIGINT NOT NULL DEFAULT 0,"
    "  paid_through BIGINT NOT NULL,"
    "  window_as_of BIGINT NOT NULL DEFAULT -1);"
    "CREATE TABLE ledger_entries ("
    "  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
    "  org_id " T " NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,"
    "  kind " T " NOT NULL CHECK (kind IN ('top_up', 'usage', 'plan')),"
    "  amount_cents BIGINT NOT NULL,"
    "  balance_after BIGINT NOT NULL,"
    "  description " T " NOT NULL,"
    "  actor_id " T ","
    "  created_at BIGINT NOT NULL);"
    "CREATE INDEX ledger_org ON ledger_entries (org_id, created_at, id);"
    /* Append-only, as on SQLite: no update ever, no delete while the
     * organization exists (its deletion cascades). */
    "CREATE FUNCTION ledger_append_only () RETURNS trigger LANGUAGE plpgsql AS $$"
    "  BEGIN"
    "    IF TG_OP = 'UPDATE' OR EXISTS (SELECT 1 FROM organizations WHERE id = OLD.org_id) THEN"
    "      RAISE EXCEPTION 'ledger entries are append-only';"
    "    END IF;"
    "    RETURN OLD;"
    "  END $$;"
    "CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger_entries"
    "  FOR EACH ROW EXECUTE FUNCTION ledger_append_only ();"
    "CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger_entries"
    "  FOR EACH ROW EXECUTE FUNCTION ledger_append_only ();"
    "CREATE TABLE usage_records ("
    "  org_id " T " NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,"
    "  day BIGINT NOT NULL,"
    "  member_id " T " NOT NULL,"
    "  credits BIGINT NOT NULL,"
    "  requests BIGINT NOT NULL,"
    "  PRIMARY KEY (org_id, day, member_id));"
    "CREATE TABLE usage_windows ("
    "  org_id " T " NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,"
    "  days BIGINT NOT NULL,"
    "  member_id " T " NOT NULL,"
    "  credits BIGINT NOT NULL,"
    "  requests BIGINT NOT NULL,"
    "  PRIMARY KEY (org_id, days, member_id));"
    "CREATE INDEX usage_windows_rank ON usage_windows (org_id, days, credits DESC, member_id, requests);"
    "CREATE TABLE usage_window_counts ("
    "  org_id " T " NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,"
    "  days BIGINT NOT NULL,"
    "  members BIGINT NOT NULL,"
    "  PRIMARY KEY (org_id, days));"
    "CREATE TABLE usage_days ("
    "  org_id " T " NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,"
    "  day BIGINT NOT NULL,"
    "  credits BIGINT NOT NULL,"
    "  requests BIGINT NOT NULL,"
    "  PRIMARY KEY (org_id, day));"
    "CREATE TABLE invoices ("
    "  id " T " PRIMARY KEY,"
    "  org_id " T " NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,"
    "  seq BIGINT NOT NULL,"
    "  number " T " NOT NULL,"
    "  period_start BIGINT NOT NULL,"
    "  period_end BIGINT NOT NULL,"
    "  currency " T " NOT NULL,"
    "  created_at BIGINT NOT NULL,"
    "  UNIQUE (org_id, seq),"
    "  UNIQUE (org_id, period_start));"
    /* SQLite's indexes end in the rowid (seq) implicitly; here explicitly. */
    "CREATE TABLE audit_events ("
    "  seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
    "  id " T " NOT NULL UNIQUE,"
    "  org_id " T " NOT NULL,"
    "  actor_id " T " NOT NULL,"
    "  actor_name " T " NOT NULL,"
    "  actor_kind " T " NOT NULL CHECK (actor_kind IN ('user', 'api_key', 'system', 'invitee')),"
    "  action " T " NOT NULL,"
    "  target_type " T " NOT NULL,"
    "  target_id " T " NOT NULL,"
    "  target_name " T ","
    "  data " T ","
    "  created_at BIGINT NOT NULL,"
    "  changes " T ");"
    "CREATE INDEX audit_events_org ON audit_events (org_id, created_at, seq);"
    "CREATE INDEX audit_events_actor ON audit_events (org_id, actor_id, created_at, seq);"
    "CREATE INDEX audit_events_action ON audit_events (org_id, action, created_at, seq);"
    "CREATE TABLE events ("
    "  id " T " PRIMARY KEY,"
    "  org_id " T " NOT NULL,"
    "  type " T " NOT NULL,"
    "  data " T " NOT NULL,"
    "  created_at BIGINT NOT NULL,"
    "  delivered_at BIGINT);"
    "CREATE INDEX events_org ON events (org_id, created_at, id);"
    "CREATE INDEX events_created ON events (created_at);"
    "CREATE TABLE api_keys ("
    "  id " T " PRIMARY KEY,"
    "  org_id " T " NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,"
    "  name " T " NOT NULL,"
    "  prefix " T " NOT NULL,"
    "  token_hash BYTEA NOT NULL UNIQUE,"
    "  scopes " T " NOT NULL,"
    "  created_by " T " NOT NULL REFERENCES users (id),"
    "  created_at BIGINT NOT NULL,"
    "  expires_at BIGINT,"
    "  last_used_at BIGINT);"
    "CREATE INDEX api_keys_org ON api_keys (org_id, created_at, id);"
    "CREATE TABLE usage_log ("
    "  org_id " T " NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,"
    "  version BIGINT NOT NULL,"
    "  member_id " T " NOT NULL,"
    "  day BIGINT NOT NULL,"
    "  credits BIGINT NOT NULL,"
    "  requests BIGINT NOT NULL,"
    "  PRIMARY KEY (org_id, version));"
    "CREATE TABLE webhooks ("
    "  id " T " PRIMARY KEY,"
    "  org_id " T " NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,"
    "  url " T " NOT NULL,"
    "  events " T " NOT NULL,"
    "  description " T " NOT NULL DEFAULT '',"
    "  enabled BIGINT NOT NULL DEFAULT 1,"
    "  secret " T " NOT NULL,"
    "  version BIGINT NOT NULL DEFAULT 1,"
    "  failures BIGINT NOT NULL DEFAULT 0,"
    "  disabled_reason " T ","
    "  created_at BIGINT NOT NULL);"
    "CREATE INDEX webhooks_org ON webhooks (org_id, created_at, id);"
    "CREATE TABLE webhook_deliveries ("
    "  seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
    "  id " T " NOT NULL UNIQUE,"
    "  webhook_id " T " NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,"
    "  event_id " T " NOT NULL,"
    "  event_type " T " NOT NULL,"
    "  attempt BIGINT NOT NULL,"
    "  manual BIGINT NOT NULL DEFAULT 0,"
    "  status " T " NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),"
    "  response_status BIGINT,"
    "  duration_ms BIGINT,"
    "  error " T ","
    "  created_at BIGINT NOT NULL,"
    "  due_ms BIGINT);"
    "CREATE INDEX webhook_deliveries_log ON webhook_deliveries (webhook_id, seq);"
    "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (due_ms) WHERE due_ms IS NOT NULL;"
    "CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id);"
    /* SQLite's randomblob (N), N ≤ 32, which the purge uses: strong random
     * bytes (gen_random_uuid's, 122 random bits per 16 bytes). */
    "CREATE FUNCTION randomblob (n integer) RETURNS bytea LANGUAGE sql VOLATILE AS $$"
    "  SELECT substring (uuid_send (gen_random_uuid ()) || uuid_send (gen_random_uuid ()) FROM 1 FOR n) $$;" },
  /* SQLite's 7 → 8: the webhook queue's claims (a lease per due row, so
   * that one instance of several sends it). */
  { 8,
    "ALTER TABLE webhook_deliveries ADD COLUMN claimed_until BIGINT;"
    "ALTER TABLE webhook_deliveries ADD COLUMN claimed_by " T ";" },
  /* SQLite's 8 → 9: rate limits and sign-in back-offs, shared by every
   * instance (quorum-store-limits.c). */
  { 9,
    "CREATE TABLE rate_limits ("
    "  kind " T " NOT NULL,"
    "  key " T " NOT NULL,"
    "  hits BIGINT NOT NULL,"
    "  since BIGINT NOT NULL,"
    "  blocked_until BIGINT NOT NULL,"
    "  refused BIGINT NOT NULL,"
    "  times " T " NOT NULL,"
    "  expires_at BIGINT NOT NULL,"
    "  PRIMARY KEY (kind, key));"
    "CREATE INDEX rate_limits_expiry ON rate_limits (kind, expires_at);" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) > 0);

/* Any number, the same in every instance: the advisory lock migrations take. */
#define MIGRATION_LOCK QS_PG_MIGRATION_LOCK

static gboolean
pg_fail (PGconn           *conn,
         const QsStoreUrl *url,
         GError          **error,
         const char       *what)
{
  g_autofree char *message = qs_store_url_scrub (url, PQerrorMessage (conn));

  g_set_error (error, QS_STORE_ERROR, QS_STORE_ERROR_FAILED, "PostgreSQL at %s: %s: %s",
               url->display, what, g_strchomp (message));
  return FALSE;
}

gboolean
qs_pg_exec (PGconn           *conn,
            const QsStoreUrl *url,
            const char       *sql,
            GError          **error)
{
  PGresult *result = PQexec (conn, sql);
  ExecStatusType status = PQresultStatus (result);

  PQclear (result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    return pg_fail (conn, url, error, "query failed");
  return TRUE;
}

int
qs_pg_read_version (PGconn           *conn,
                    const QsStoreUrl *url,
                    GError          **error)
{
  PGresult *result = PQexec (conn, "SELECT version FROM schema_version");
  int version = -1;

  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    pg_fail (conn, url, error, "cannot read the schema version");
  else if (PQntuples (result) != 1)
    g_set_error (error, QS_STORE_ERROR, QS_STORE_ERROR_FAILED,
                 "PostgreSQL at %s: schema_version holds %d rows, not 1", url->display,
                 PQntuples (result));
  else
    version = atoi (PQgetvalue (result, 0, 0));
  PQclear (result);
  return version;
}

static gboolean
migrate_locked (PGconn           *conn,
                const QsStoreUrl *url,
                GError          **error)
{
  int version;

  g_assert (migrations[G_N_ELEMENTS (migrations) - 1].version == QS_DB_SCHEMA_VERSION);
  if (!qs_pg_exec (conn, url,
                   "CREATE TABLE IF NOT EXISTS schema_version ("
                   "  one INTEGER PRIMARY KEY DEFAULT 1 CHECK (one = 1),"
                   "  version INTEGER NOT NULL);"
                   "INSERT INTO schema_version (version) VALUES (0) ON CONFLICT DO NOTHING;", error))
    return FALSE;
  version = qs_pg_read_version (conn, url, error);
  if (version < 0)
    return FALSE;
  if (version > QS_DB_SCHEMA_VERSION)
    {
      g_set_error (error, QS_STORE_ERROR, QS_STORE_ERROR_SCHEMA,
                   "database schema version %d is newer than this server (%d)",
                   version, QS_DB_SCHEMA_VERSION);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (migrations); i++)
    {
      g_autofree char *bump = NULL;

      if (migrations[i].version <= version)
        continue;
      bump = g_strdup_printf ("UPDATE schema_version SET version = %d", migrations[i].version);
      if (!qs_pg_exec (conn, url, "BEGIN", error))
        return FALSE;
      if (!qs_pg_exec (conn, url, migrations[i].sql, error) || !qs_pg_exec (conn, url, bump, error))
        {
          g_autoptr(GError) ignored = NULL;

          g_prefix_error (error, "migration to version %d: ", migrations[i].version);
          qs_pg_exec (conn, url, "ROLLBACK", &ignored);
          return FALSE;
        }
      if (!qs_pg_exec (conn, url, "COMMIT", error))
        return FALSE;
    }
  return TRUE;
}

gboolean
qs_pg_migrate (PGconn           *conn,
               const QsStoreUrl *url,
               GError          **error)
{
  g_autoptr(GError) ignored = NULL;
  gboolean ok;

  /* Instances started together wait for each other here; the second finds
   * the schema current. */
  if (!qs_pg_exec (conn, url, "SELECT pg_advisory_lock (x'" MIGRATION_LOCK "'::bigint)", error))
    return FALSE;
  ok = migrate_locked (conn, url, error);
  qs_pg_exec (conn, url, "SELECT pg_advisory_unlock (x'" MIGRATION_LOCK "'::bigint)", &ignored);
  return ok;
}
