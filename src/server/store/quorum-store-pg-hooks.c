/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The PostgreSQL backend's change hooks (quorum-store-pg.c is its
 * statement layer): QsDbChangeHooks' SQLite triggers translated to
 * PostgreSQL triggers, the calls they make taken out after each write, and
 * other connections' changes read from the change log (qs_change_log). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <libpq-fe.h>

#include "quorum-store-pg-private.h"
#include "quorum-store-pg-backend-private.h"
#include "quorum-store-db-private.h"

/* Change hooks: SQLite calls a C function from a TEMP trigger of its own
 * connection. PostgreSQL cannot call back into its client, and its
 * triggers are the database's, not a connection's: here each SQLite
 * trigger of a QsDbChangeHooks becomes a PostgreSQL trigger that writes
 * the call (hook name and arguments as text) into a TEMP table, which only
 * this connection has (other sessions' triggers find none and write
 * nothing); after each of this connection's writes the backend takes the
 * calls out, in order, and calls the hooks. */
#define HOOK_MAX_ARGS 12

/* Other connections' changes: each hook trigger also writes its call into
 * qs_change_log (every connection's, with the writer's transaction id and
 * backend pid); qs_db_others_changes () reads, in one statement, the rows
 * of transactions that committed since its last snapshot and calls the
 * hooks with them. At most OTHERS_MAX a call: past that, everything is
 * taken as changed. Rows are deleted once they were committed before a
 * snapshot taken CHANGE_LOG_KEEP_S ago (the check runs every
 * CHANGE_LOG_PRUNE_S per instance); a connection that did not look since
 * is told everything changed. */
#define OTHERS_MAX         5000
#define CHANGE_LOG_KEEP_S  600
#define CHANGE_LOG_PRUNE_S 60

typedef struct
{
  char         *name;
  int           n_args;
  QsDbHookFunc  func;
  gpointer      user_data;
} PgHook;

typedef struct
{
  QsDbArgs        parent;
  const PGresult *result;
  int             row;
  guchar         *blob;
  int             first;  /* the column of a0 */
} PgArgs;

typedef struct
{
  void     (*caught_up) (gboolean exact, gpointer user_data);
  gpointer   user_data;
} PgCaughtUp;

static void
pg_hook_free (gpointer data)
{
  PgHook *hook = data;

  g_free (hook->name);
  g_free (hook);
}

/* Takes the calls this connection's writes made out of the TEMP table, in
 * the order they were made, and calls the hooks. */
void
qs_pg_call_hooks (QsPg *pg)
{
  PGresult *result;

  if (pg->hooks == NULL)
    return;
  result = PQexec (pg->conn, "WITH taken AS (DELETE FROM pg_temp.qs_hook_calls RETURNING *)"
                             " SELECT * FROM taken ORDER BY seq");
  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    {
      qs_pg_keep_error (pg, result);
      g_warning ("PostgreSQL: cannot read the change hooks' calls: %s", pg->error_message);
      PQclear (result);
      return;
    }
  for (int row = 0; row < PQntuples (result); row++)
    {
      const char *name = PQgetvalue (result, row, 1);

      for (guint i = 0; i < pg->hooks->len; i++)
        {
          PgHook *hook = g_ptr_array_index (pg->hooks, i);
          PgArgs args = { { pg->parent.backend, hook->n_args, FALSE }, result, row, NULL, 2 };

          if (strcmp (hook->name, name) != 0)
            continue;
          hook->func (&args.parent, hook->user_data);
          g_clear_pointer (&args.blob, PQfreemem);
        }
    }
  PQclear (result);
}

/* One SQLite TEMP trigger as QsDbChangeHooks write them:
 *   CREATE TEMP TRIGGER name AFTER INSERT|DELETE|UPDATE [OF cols] ON main.table
 *   BEGIN SELECT hook (args); END;
 * args being NEW.column, OLD.column or NULL. */
#define TEMP_TRIGGER_PATTERN \
  "CREATE TEMP TRIGGER (\\w+)\\s+AFTER\\s+(INSERT|DELETE|UPDATE(?:\\s+OF\\s+[\\w\\s,]+?)?)\\s+ON\\s+main\\.(\\w+)\\s+" \
  "BEGIN\\s+SELECT\\s+(\\w+)\\s*\\(([^;]*)\\);\\s*END;"

static char *
translate_triggers (const char  *sqlite_triggers,
                    GError     **error)
{
  g_autoptr(GRegex) regex = g_regex_new (TEMP_TRIGGER_PATTERN, G_REGEX_OPTIMIZE, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *rest = NULL;

  g_regex_match (regex, sqlite_triggers, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *name = g_match_info_fetch (match, 1);
      g_autofree char *event = g_match_info_fetch (match, 2);
      g_autofree char *table = g_match_info_fetch (match, 3);
      g_autofree char *hook = g_match_info_fetch (match, 4);
      g_autofree char *arg_text = g_match_info_fetch (match, 5);
      g_auto(GStrv) args = g_strsplit (arg_text, ",", -1);
      g_autoptr(GString) columns = g_string_new ("hook");
      g_autoptr(GString) values = g_string_new (NULL);
      guint n = g_strv_length (args);

      if (n > HOOK_MAX_ARGS)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "trigger %s: %u arguments", name, n);
          return NULL;
        }
      g_string_append_printf (values, "'%s'", hook);
      for (guint i = 0; i < n && g_strstrip (args[i])[0] != '\0'; i++)
        {
          g_string_append_printf (columns, ", a%u", i);
          if (g_ascii_strcasecmp (args[i], "NULL") == 0)
            g_string_append (values, ", NULL");
          else
            g_string_append_printf (values, ", (%s)::text", args[i]);
        }
      g_string_append_printf (out,
                              "CREATE OR REPLACE FUNCTION qs_hook_%s () RETURNS trigger LANGUAGE plpgsql AS $$"
                              " BEGIN"
                              "  IF to_regclass ('pg_temp.qs_hook_calls') IS NOT NULL THEN"
                              "   INSERT INTO pg_temp.qs_hook_calls (%s) VALUES (%s);"
                              "  END IF;"
                              "  INSERT INTO qs_change_log (%s) VALUES (%s);"
                              "  RETURN NULL;"
                              " END $$;"
                              "CREATE OR REPLACE TRIGGER qs_hook_%s AFTER %s ON %s"
                              " FOR EACH ROW EXECUTE FUNCTION qs_hook_%s ();",
                              name, columns->str, values->str, columns->str, values->str, name, event, table, name);
      g_match_info_next (match, NULL);
    }
  /* Anything not translated would be a hook silently never called. */
  rest = g_regex_replace_literal (regex, sqlite_triggers, -1, 0, "", 0, NULL);
  if (rest == NULL || g_strstrip (rest)[0] != '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "triggers the PostgreSQL backend cannot read: %s",
                   rest != NULL ? rest : sqlite_triggers);
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

gboolean
qs_pg_install_change_hooks (QsDb                  *db,
                            const QsDbChangeHooks *hooks,
                            gpointer               user_data,
                            GError               **error)
{
  QsPg *pg = (QsPg *) db;
  g_autofree char *triggers = NULL;
  g_autoptr(GString) table = g_string_new ("CREATE TEMP TABLE IF NOT EXISTS qs_hook_calls"
                                           " (seq BIGSERIAL PRIMARY KEY, hook TEXT NOT NULL");
  /* Every connection's calls, for the others (qs_db_others_changes ()):
   * the backend's own machinery beside the triggers, not the schema (no
   * SQLite counterpart; --migrate-from-sqlite and the schema test leave
   * qs_ tables out). */
  g_autoptr(GString) log = g_string_new ("CREATE TABLE IF NOT EXISTS qs_change_log ("
                                         " seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                                         " xid xid8 NOT NULL DEFAULT pg_current_xact_id (),"
                                         " pid INTEGER NOT NULL DEFAULT pg_backend_pid (),"
                                         " hook TEXT NOT NULL");
  g_autoptr(GError) ignored = NULL;
  gboolean ok;

  if (hooks->sqlite_triggers != NULL)
    {
      triggers = translate_triggers (hooks->sqlite_triggers, error);
      if (triggers == NULL)
        return FALSE;
    }
  for (int i = 0; i < HOOK_MAX_ARGS; i++)
    {
      g_string_append_printf (table, ", a%d TEXT", i);
      g_string_append_printf (log, ", a%d TEXT", i);
    }
  g_string_append (table, ")");
  g_string_append (log, ");"
                   "CREATE INDEX IF NOT EXISTS qs_change_log_xid ON qs_change_log (xid);"
                   /* The prune's snapshots: rows committed before pending go at the next prune,
                    * which then calls it pruned. */
                   "CREATE TABLE IF NOT EXISTS qs_change_prune ("
                   " one INTEGER PRIMARY KEY DEFAULT 1 CHECK (one = 1),"
                   " pending pg_snapshot NOT NULL DEFAULT pg_current_snapshot (),"
                   " pruned pg_snapshot,"
                   " at BIGINT NOT NULL DEFAULT 0);"
                   "INSERT INTO qs_change_prune DEFAULT VALUES ON CONFLICT DO NOTHING;");
  if (!qs_pg_exec (pg->conn, pg->url, table->str, error))
    return FALSE;
  g_free (pg->hook_table);
  pg->hook_table = g_strdup (table->str);
  /* The triggers are the database's: instances starting together replace
   * them one at a time. */
  if (triggers != NULL)
    {
      if (!qs_pg_exec (pg->conn, pg->url, "SELECT pg_advisory_lock (x'" QS_PG_MIGRATION_LOCK "'::bigint)", error))
        return FALSE;
      ok = qs_pg_exec (pg->conn, pg->url, "BEGIN", error) && qs_pg_exec (pg->conn, pg->url, log->str, error) &&
           qs_pg_exec (pg->conn, pg->url, triggers, error) && qs_pg_exec (pg->conn, pg->url, "COMMIT", error);
      if (!ok)
        qs_pg_exec (pg->conn, pg->url, "ROLLBACK", &ignored);
      qs_pg_exec (pg->conn, pg->url, "SELECT pg_advisory_unlock (x'" QS_PG_MIGRATION_LOCK "'::bigint)", &ignored);
      if (!ok)
        return FALSE;
    }
  if (pg->hooks == NULL)
    pg->hooks = g_ptr_array_new_with_free_func (pg_hook_free);
  for (guint i = 0; i < hooks->n_hooks; i++)
    {
      PgHook *hook = g_new0 (PgHook, 1);

      hook->name = g_strdup (hooks->hooks[i].name);
      hook->n_args = hooks->hooks[i].n_args;
      hook->func = hooks->hooks[i].func;
      hook->user_data = user_data;
      g_ptr_array_add (pg->hooks, hook);
    }
  if (hooks->caught_up != NULL)
    {
      PgCaughtUp caught_up = { hooks->caught_up, user_data };

      if (pg->caught_up == NULL)
        pg->caught_up = g_array_new (FALSE, FALSE, sizeof (PgCaughtUp));
      g_array_append_val (pg->caught_up, caught_up);
    }
  return TRUE;
}

#define ARGS(a) ((PgArgs *) (a))
#define ARG_COLUMN(i) (ARGS (args)->first + (i))

gboolean
qs_pg_args_is_null (const QsDbArgs *args,
                    int             i)
{
  return PQgetisnull (ARGS (args)->result, ARGS (args)->row, ARG_COLUMN (i));
}

const char *
qs_pg_args_text (const QsDbArgs *args,
                 int             i)
{
  return qs_pg_args_is_null (args, i) ? NULL : PQgetvalue (ARGS (args)->result, ARGS (args)->row, ARG_COLUMN (i));
}

gint64
qs_pg_args_int64 (const QsDbArgs *args,
                  int             i)
{
  const char *text = qs_pg_args_text (args, i);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;
}

/* A bytea argument arrives as its text form (\x…). */
const guint8 *
qs_pg_args_blob (const QsDbArgs *args,
                 int             i,
                 gsize          *size)
{
  PgArgs *pg_args = ARGS (args);
  const char *text = qs_pg_args_text (args, i);
  size_t length = 0;

  *size = 0;
  if (text == NULL)
    return NULL;
  g_clear_pointer (&pg_args->blob, PQfreemem);
  pg_args->blob = PQunescapeBytea ((const unsigned char *) text, &length);
  *size = length;
  return length > 0 ? pg_args->blob : NULL;
}

void
qs_pg_set_transaction_hooks (QsDb     *db,
                             void    (*committed)   (gpointer),
                             void    (*rolled_back) (gpointer),
                             gpointer  user_data)
{
  QsPg *pg = (QsPg *) db;

  pg->committed = committed;
  pg->rolled_back = rolled_back;
  pg->transaction_data = user_data;
}

/* ------------------------------------------------- other connections' changes */

/* The rows of qs_change_log whose transactions committed after the
 * snapshot $1 (not visible in it) and are visible now, other connections'
 * only, in the order they were written (a row changed by two transactions
 * is logged by the second after the first committed); with the current
 * snapshot and whether the prune deleted rows $1 had not seen: one
 * committed in pruned but not in $1 (conservatively: pruned reaches past
 * $1's horizon, or one of $1's running transactions is committed in it).
 * One statement, so one snapshot: what is returned and the snapshot
 * returned agree. A NULL $1 returns the snapshot alone. */
#define OTHERS_SQL \
  "SELECT pg_current_snapshot ()::text," \
  " COALESCE ((SELECT pg_snapshot_xmax (p.pruned) > pg_snapshot_xmax ($1::pg_snapshot)" \
  "              OR EXISTS (SELECT 1 FROM pg_snapshot_xip ($1::pg_snapshot) AS x" \
  "                         WHERE pg_visible_in_snapshot (x, p.pruned))" \
  "            FROM qs_change_prune p), false)," \
  " l.seq, l.hook, l.a0, l.a1, l.a2, l.a3, l.a4, l.a5, l.a6, l.a7, l.a8, l.a9, l.a10, l.a11" \
  " FROM (SELECT 1) AS one LEFT JOIN LATERAL" \
  " (SELECT * FROM qs_change_log WHERE xid >= pg_snapshot_xmin ($1::pg_snapshot)" \
  "  AND NOT pg_visible_in_snapshot (xid, $1::pg_snapshot) AND pid <> pg_backend_pid ()" \
  "  ORDER BY seq LIMIT " G_STRINGIFY (OTHERS_MAX) " + 1) AS l ON true" \
  " ORDER BY l.seq"
#define OTHERS_FIRST_ARG 4

G_STATIC_ASSERT (HOOK_MAX_ARGS == 12);  /* OTHERS_SQL's a0 … a11 */

/* Deletes the rows committed before the snapshot the last prune took (at
 * least CHANGE_LOG_KEEP_S ago), which becomes pruned, and takes a new one.
 * Instances pruning together: the row lock makes them one at a time, and
 * the second finds at recent. */
#define PRUNE_SQL \
  "WITH p AS (SELECT pending FROM qs_change_prune" \
  "           WHERE at <= extract (epoch FROM now ())::bigint - " G_STRINGIFY (CHANGE_LOG_KEEP_S) " FOR UPDATE)," \
  " gone AS (DELETE FROM qs_change_log WHERE xid < pg_snapshot_xmax ((SELECT pending FROM p))" \
  "          AND pg_visible_in_snapshot (xid, (SELECT pending FROM p)))" \
  " UPDATE qs_change_prune SET pruned = (SELECT pending FROM p), pending = pg_current_snapshot ()," \
  " at = extract (epoch FROM now ())::bigint WHERE EXISTS (SELECT 1 FROM p)"

static PGresult *
others_query (QsPg *pg)
{
  for (int attempt = 0; attempt < 2; attempt++)
    {
      const char *values[1];
      PGresult *result;

      if (!qs_pg_reconnect (pg))
        return NULL;
      if (pg->others_session != pg->session + 1)
        {
          result = PQprepare (pg->conn, "qs_others", OTHERS_SQL, 1, NULL);
          if (PQresultStatus (result) != PGRES_COMMAND_OK)
            {
              qs_pg_keep_error (pg, result);
              PQclear (result);
              if (qs_pg_reconnected (pg))
                continue;
              return NULL;
            }
          PQclear (result);
          pg->others_session = pg->session + 1;
        }
      values[0] = pg->others_seen;
      result = PQexecPrepared (pg->conn, "qs_others", 1, values, NULL, NULL, 0);
      if (PQresultStatus (result) == PGRES_TUPLES_OK && PQntuples (result) >= 1)
        return result;
      qs_pg_keep_error (pg, result);
      PQclear (result);
      if (!qs_pg_reconnected (pg))
        return NULL;
    }
  return NULL;
}

static void
others_caught_up (QsPg     *pg,
                  gboolean  exact)
{
  for (guint i = 0; pg->caught_up != NULL && i < pg->caught_up->len; i++)
    {
      PgCaughtUp *c = &g_array_index (pg->caught_up, PgCaughtUp, i);

      c->caught_up (exact, c->user_data);
    }
}

static void
others_prune (QsPg *pg)
{
  gint64 now = g_get_monotonic_time ();
  PGresult *result;

  if (now < pg->next_prune)
    return;
  pg->next_prune = now + CHANGE_LOG_PRUNE_S * G_USEC_PER_SEC;
  result = PQexec (pg->conn, PRUNE_SQL);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    {
      qs_pg_keep_error (pg, result);
      g_warning ("PostgreSQL: cannot prune the change log: %s", pg->error_message);
    }
  PQclear (result);
}

/* Calls the hooks with the changes other connections committed since the
 * last call, in one round trip; the number moves when they could not be
 * (see quorum-store-db-private.h). Outside a transaction only. */
gint64
qs_pg_others_changes (QsDb *db)
{
  QsPg *pg = (QsPg *) db;
  PGresult *result;
  gboolean exact;
  int n;

  if (pg->hooks == NULL || qs_db_in_transaction (&pg->parent))
    return -1;
  result = others_query (pg);
  if (result == NULL)
    {
      g_warning ("PostgreSQL: cannot read other connections' changes: %s", qs_db_error_message (&pg->parent));
      g_clear_pointer (&pg->others_seen, g_free);
      others_caught_up (pg, FALSE);
      return -1;
    }
  n = PQgetisnull (result, 0, 2) ? 0 : PQntuples (result);
  exact = pg->others_seen != NULL && PQgetvalue (result, 0, 1)[0] != 't' && n <= OTHERS_MAX;
  for (int row = 0; exact && row < n; row++)
    {
      const char *name = PQgetvalue (result, row, 3);

      for (guint i = 0; i < pg->hooks->len; i++)
        {
          PgHook *hook = g_ptr_array_index (pg->hooks, i);
          PgArgs args = { { pg->parent.backend, hook->n_args, TRUE }, result, row, NULL, OTHERS_FIRST_ARG };

          if (strcmp (hook->name, name) != 0)
            continue;
          hook->func (&args.parent, hook->user_data);
          g_clear_pointer (&args.blob, PQfreemem);
        }
    }
  g_free (pg->others_seen);
  pg->others_seen = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  if (!exact)
    pg->others_generation++;
  others_caught_up (pg, exact);
  others_prune (pg);
  return pg->others_generation;
}
