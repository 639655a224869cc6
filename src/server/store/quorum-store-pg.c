/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <libpq-fe.h>

#include "quorum-store-pg-private.h"
#include "quorum-store-pg-backend-private.h"
#include "quorum-store-db-backend-private.h"
#include "quorum-store-private.h"  /* QS_STORE_ERROR */
#include "quorum-store-sqlite-private.h"  /* QS_DB_SCHEMA_VERSION, both backends' */

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

/* The connection (a QsDb) and its statements (QsStmt), as SQLite's are
 * used: prepared once per connection (keyed by SQL text in QsDb; here at
 * the first run, when the binds can type what PostgreSQL cannot infer),
 * bound, then stepped: the first step runs the statement (binds as text,
 * blobs binary-safe as binary parameters), each step moves to the next row
 * of the text result. A failure to prepare shows at the first step. */
typedef struct _QsPg     QsPg;
typedef struct _QsPgStmt QsPgStmt;

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

struct _QsPg
{
  QsDb        parent;
  PGconn     *conn;
  gboolean    reader;
  GPtrArray  *hooks;          /* PgHook *, once change hooks are installed */
  void      (*committed)   (gpointer user_data);
  void      (*rolled_back) (gpointer user_data);
  gpointer    transaction_data;
  QsStoreUrl *url;            /* to scrub libpq's messages */
  guint       n_statements;   /* names the prepared statements */
  guint       session;        /* bumped at each reconnection: statements prepared before are gone */
  gboolean    txn_open;       /* pg_begin () succeeded and no commit or rollback came yet, even
                               * if the connection (and so the transaction) was lost meanwhile */
  char       *hook_table;     /* CREATE TEMP TABLE of the change hooks, made again after a reconnection */
  GArray     *caught_up;      /* PgCaughtUp, one per hook set that has one */
  char       *others_seen;    /* pg_snapshot (text) whose committed changes the hooks were told of;
                               * NULL: none yet, or the connection was made again */
  gint64      others_generation;  /* what qs_db_others_changes () returns: moves on each reset */
  guint       others_session; /* pg->session + 1 once the catch-up's statement is prepared in it */
  gint64      next_prune;     /* monotonic µs */
  int         changes;        /* of the last INSERT, UPDATE or DELETE */
  char       *error_message;  /* the last failure's, scrubbed */
  gboolean    error_unique;   /* … and whether it was SQLSTATE 23505 */
};

struct _QsPgStmt
{
  QsStmt     parent;
  QsPg      *pg;
  char      *name;       /* the server-side prepared statement */
  gboolean   writes;     /* not a SELECT: runs in a savepoint inside a transaction */
  char      *text;       /* the SQL with $N, prepared at the first run */
  gboolean   prepared;
  guint      session;    /* the connection's session it was prepared in */
  int        n_params;
  char      *kinds;      /* per parameter, how it was last bound: 's', 'i', 'b' or 'n' */
  char     **values;     /* owned, NULL for NULL */
  int       *lengths;
  int       *formats;    /* 1 (binary) for blobs */
  PGresult  *result;     /* of the current run */
  gboolean   failed;     /* the current run failed */
  int        row;        /* current row, -1 before the first */
  guchar    *blob;       /* the last blob decoded */
};

#define PG(db) ((QsPg *) (db))
#define PG_STMT(stmt) ((QsPgStmt *) (stmt))

static void     pg_close          (QsDb *db);
static gboolean pg_in_transaction (QsDb *db);
static void     pg_rollback       (QsDb *db);

/* Type OIDs (catalog/pg_type_d.h, stable). */
#define BOOLOID  16
#define BYTEAOID 17

/* NOTICEs ("relation … already exists, skipping") are not the log's. */
static void
ignore_notice (void       *user_data,
               const char *message)
{
}

static const QsDbBackend pg_backend;

static QsPg *
pg_connect (const QsStoreUrl  *url,
            gboolean           reader,
            GError           **error)
{
  /* The URL's own settings win over connect_timeout; the encoding is ours. */
  const char *keywords[] = { "connect_timeout", "application_name", "dbname", "client_encoding", NULL };
  const char *values[] = { "10", "quorum-server", url->conninfo, "UTF8", NULL };
  QsPg *pg;

  g_return_val_if_fail (url->kind == QS_STORE_BACKEND_POSTGRESQL, NULL);

  pg = g_new0 (QsPg, 1);
  pg->parent.backend = &pg_backend;
  pg->reader = reader;
  pg->url = g_new0 (QsStoreUrl, 1);
  pg->url->kind = url->kind;
  pg->url->display = g_strdup (url->display);
  pg->url->secrets = g_strdupv (url->secrets);
  pg->conn = PQconnectdbParams (keywords, values, TRUE);
  if (pg->conn == NULL || PQstatus (pg->conn) != CONNECTION_OK)
    {
      if (pg->conn == NULL)
        g_set_error (error, QS_STORE_ERROR, QS_STORE_ERROR_FAILED, "cannot connect to PostgreSQL at %s: out of memory",
                     url->display);
      else
        {
          g_autofree char *message = qs_store_url_scrub (url, PQerrorMessage (pg->conn));

          g_set_error (error, QS_STORE_ERROR, QS_STORE_ERROR_FAILED, "cannot connect to PostgreSQL at %s: %s",
                       url->display, g_strchomp (message));
        }
      pg_close (&pg->parent);
      return NULL;
    }
  PQsetNoticeProcessor (pg->conn, ignore_notice, NULL);
  if (!qs_pg_exec (pg->conn, pg->url, "SET TIME ZONE 'UTC'", error) ||
      (!reader && !qs_pg_migrate (pg->conn, pg->url, error)))
    {
      pg_close (&pg->parent);
      return NULL;
    }
  return pg;
}

QsDb *
qs_db_pg_open (const QsStoreUrl  *url,
               gboolean           reader,
               GError           **error)
{
  QsPg *pg = pg_connect (url, reader, error);

  return pg != NULL ? &pg->parent : NULL;
}

static void
pg_close (QsDb *db)
{
  QsPg *pg = PG (db);

  if (pg == NULL)
    return;
  PQfinish (pg->conn);
  pg->conn = NULL;
  qs_store_url_free (pg->url);
  g_free (pg->error_message);
  g_clear_pointer (&pg->hooks, g_ptr_array_unref);
  g_clear_pointer (&pg->hook_table, g_free);
  g_clear_pointer (&pg->caught_up, g_array_unref);
  g_free (pg->others_seen);
  g_free (pg);
}

static int
pg_schema_version (QsDb *db)
{
  QsPg *pg = PG (db);

  return qs_pg_read_version (pg->conn, pg->url, NULL);
}

/* ------------------------------------------------------------ statements */

char *
qs_pg_rewrite_params (const char *sql,
                      int        *n_params)
{
  GString *out = g_string_sized_new (strlen (sql) + 16);
  int highest = 0;
  const char *p = sql;

  while (*p != '\0')
    {
      if (*p == '\'' || *p == '"')
        {
          /* A doubled quote inside is two quoted runs back to back. */
          const char *end = strchr (p + 1, *p);

          end = end != NULL ? end + 1 : p + strlen (p);
          g_string_append_len (out, p, end - p);
          p = end;
        }
      else if (p[0] == '-' && p[1] == '-')
        {
          const char *end = strchr (p, '\n');

          end = end != NULL ? end : p + strlen (p);
          g_string_append_len (out, p, end - p);
          p = end;
        }
      else if (p[0] == '/' && p[1] == '*')
        {
          const char *end = strstr (p + 2, "*/");

          end = end != NULL ? end + 2 : p + strlen (p);
          g_string_append_len (out, p, end - p);
          p = end;
        }
      else if (*p == '?')
        {
          int n = 0;

          p++;
          if (g_ascii_isdigit (*p))
            while (g_ascii_isdigit (*p) && n < 100000)
              n = n * 10 + (*p++ - '0');
          else
            n = highest + 1;  /* SQLite numbers a bare ? after the highest so far */
          highest = MAX (highest, n);
          g_string_append_printf (out, "$%d", n);
        }
      else
        g_string_append_c (out, *p++);
    }
  *n_params = highest;
  return g_string_free (out, FALSE);
}

static void
keep_error (QsPg           *pg,
            const PGresult *result)
{
  const char *state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  const char *message = result != NULL ? PQresultErrorMessage (result) : PQerrorMessage (pg->conn);

  g_free (pg->error_message);
  pg->error_message = qs_store_url_scrub (pg->url, message != NULL && message[0] != '\0'
                                                     ? message : PQerrorMessage (pg->conn));
  g_strchomp (pg->error_message);
  pg->error_unique = g_strcmp0 (state, "23505") == 0;
}

/* Runs a command without parameters or rows; FALSE (and the error kept)
 * on failure. */
static gboolean
command (QsPg       *pg,
         const char *sql)
{
  PGresult *result = PQexec (pg->conn, sql);
  gboolean ok = PQresultStatus (result) == PGRES_COMMAND_OK;

  if (!ok)
    keep_error (pg, result);
  PQclear (result);
  return ok;
}

/* A connection PostgreSQL or the network dropped (a restart, a failover,
 * pg_terminate_backend ()) is made again before the next transaction or
 * read, rather than failing every request until the server restarts: the
 * session's settings, its change hooks' TEMP table and its prepared
 * statements (prepared again at their next run) come back with it. Never
 * inside a transaction, which the drop has ended. */
static gboolean
reconnect (QsPg *pg)
{
  if (PQstatus (pg->conn) == CONNECTION_OK)
    return TRUE;
  if (pg_in_transaction (&pg->parent))
    return FALSE;
  PQreset (pg->conn);
  if (PQstatus (pg->conn) != CONNECTION_OK)
    {
      g_autofree char *message = qs_store_url_scrub (pg->url, PQerrorMessage (pg->conn));

      g_free (pg->error_message);
      pg->error_message = g_strdup (g_strchomp (message));
      pg->error_unique = FALSE;
      return FALSE;
    }
  pg->session++;
  /* Other connections' changes logged while this one was away are still
   * in the log, but this connection's own ones now carry another pid:
   * the next catch-up starts over (everything taken as changed). */
  g_clear_pointer (&pg->others_seen, g_free);
  if (!command (pg, "SET TIME ZONE 'UTC'") || (pg->hook_table != NULL && !command (pg, pg->hook_table)))
    return FALSE;
  g_printerr ("quorum-server: the connection to PostgreSQL at %s was lost and is made again\n", pg->url->display);
  return TRUE;
}

/* The connection was lost by what just failed (and not in a transaction,
 * which then failed as a whole): made again, so the caller may try once more. */
static gboolean
reconnected (QsPg *pg)
{
  return PQstatus (pg->conn) != CONNECTION_OK && reconnect (pg);
}

#define TEXTOID 25

#define INT8OID 20

/* PQprepare with integer and blob parameters declared (below) and the
 * others' types left to PostgreSQL, which infers each from its first use.
 * Where it cannot (SQLite's "?2 IS NULL OR
 * email = ?2", or "SET enabled = ?5, … CASE WHEN ?5 = 1": SQLSTATE 42P08
 * or 42P18), the parameter is declared by how it is bound (bigint, bytea,
 * else text) and the statement prepared again. Inside a transaction each
 * try runs in a savepoint, since a failed one would abort the
 * transaction. */
static gboolean
prepare_typed (QsPg       *pg,
               const char *name,
               const char *text,
               int         n_params,
               const char *kinds)
{
  g_autofree Oid *types = g_new0 (Oid, MAX (n_params, 1));
  gboolean savepoint = pg_in_transaction (&pg->parent);

  /* Integers are SQLite's 64 bits whatever PostgreSQL would infer from a
   * literal beside them (CASE WHEN ?6 < 0 would make ?6 an int4, and a
   * time in milliseconds overflow it); blobs go as binary, which only a
   * bytea parameter reads as it is. Text is left to inference. */
  for (int i = 0; i < n_params; i++)
    types[i] = kinds[i] == 'i' ? INT8OID : kinds[i] == 'b' ? BYTEAOID : 0;

  for (int attempt = 0; attempt <= n_params; attempt++)
    {
      PGresult *result;
      gboolean ok;
      const char *state;
      const char *message;
      const char *dollar;
      int n;

      if (savepoint && !command (pg, "SAVEPOINT qs_prepare"))
        return FALSE;
      result = PQprepare (pg->conn, name, text, n_params, types);
      ok = PQresultStatus (result) == PGRES_COMMAND_OK;
      if (!ok)
        keep_error (pg, result);
      if (savepoint)
        {
          g_autofree char *kept = ok ? NULL : g_strdup (pg->error_message);

          command (pg, ok ? "RELEASE SAVEPOINT qs_prepare" : "ROLLBACK TO SAVEPOINT qs_prepare");
          if (kept != NULL)
            {
              g_free (pg->error_message);
              pg->error_message = g_steal_pointer (&kept);
            }
        }
      if (ok)
        {
          PQclear (result);
          return TRUE;
        }
      state = PQresultErrorField (result, PG_DIAG_SQLSTATE);
      message = PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY);
      dollar = message != NULL ? strrchr (message, '$') : NULL;
      n = dollar != NULL ? atoi (dollar + 1) : 0;
      if ((g_strcmp0 (state, "42P08") != 0 && g_strcmp0 (state, "42P18") != 0) || n < 1 || n > n_params || types[n - 1] != 0)
        {
          PQclear (result);
          return FALSE;
        }
      types[n - 1] = kinds[n - 1] == 'i' ? INT8OID : kinds[n - 1] == 'b' ? BYTEAOID : TEXTOID;
      PQclear (result);
    }
  return FALSE;
}

static QsStmt *
pg_prepare (QsDb       *db,
            const char *sql)
{
  QsPg *pg = PG (db);
  QsPgStmt *stmt = g_new0 (QsPgStmt, 1);
  const char *start = sql;

  stmt->parent.backend = &pg_backend;
  stmt->parent.db = &pg->parent;
  stmt->pg = pg;
  stmt->name = g_strdup_printf ("qs_%u", ++pg->n_statements);
  stmt->text = qs_pg_rewrite_params (sql, &stmt->n_params);
  while (g_ascii_isspace (*start))
    start++;
  stmt->writes = g_ascii_strncasecmp (start, "SELECT", 6) != 0;
  stmt->kinds = g_new0 (char, MAX (stmt->n_params, 1));
  stmt->values = g_new0 (char *, MAX (stmt->n_params, 1));
  stmt->lengths = g_new0 (int, MAX (stmt->n_params, 1));
  stmt->formats = g_new0 (int, MAX (stmt->n_params, 1));
  stmt->row = -1;
  return &stmt->parent;
}

static void
pg_reset (QsStmt *base)
{
  QsPgStmt *stmt = PG_STMT (base);

  g_clear_pointer (&stmt->result, PQclear);
  g_clear_pointer (&stmt->blob, PQfreemem);
  stmt->failed = FALSE;
  stmt->row = -1;
}

static void
pg_clear_bindings (QsStmt *base)
{
  QsPgStmt *stmt = PG_STMT (base);

  for (int i = 0; i < stmt->n_params; i++)
    {
      g_clear_pointer (&stmt->values[i], g_free);
      stmt->lengths[i] = 0;
      stmt->formats[i] = 0;
    }
}

static void
pg_finalize (QsStmt *base)
{
  QsPgStmt *stmt = PG_STMT (base);

  if (stmt == NULL)
    return;
  pg_reset (&stmt->parent);
  if (stmt->values != NULL)
    pg_clear_bindings (&stmt->parent);
  if (stmt->pg->conn != NULL && stmt->prepared && stmt->session == stmt->pg->session &&
      PQstatus (stmt->pg->conn) == CONNECTION_OK)
    {
      g_autofree char *deallocate = g_strdup_printf ("DEALLOCATE %s", stmt->name);

      PQclear (PQexec (stmt->pg->conn, deallocate));
    }
  g_free (stmt->values);
  g_free (stmt->kinds);
  g_free (stmt->text);
  g_free (stmt->lengths);
  g_free (stmt->formats);
  g_free (stmt->name);
  g_free (stmt);
}

static void
bind (QsPgStmt   *stmt,
      int         index,
      char        kind,
      char       *value,
      int         length,
      int         format)
{
  if (index < 1 || index > stmt->n_params)
    {
      g_warning ("PostgreSQL: parameter %d of %d bound", index, stmt->n_params);
      g_free (value);
      return;
    }
  g_free (stmt->values[index - 1]);
  stmt->kinds[index - 1] = kind;
  stmt->values[index - 1] = value;
  stmt->lengths[index - 1] = length;
  stmt->formats[index - 1] = format;
}

/* Values are always copied: libpq reads them at the first step. */
static void
pg_bind_text (QsStmt     *base,
              int         index,
              const char *text,
              gboolean    copy)
{
  QsPgStmt *stmt = PG_STMT (base);

  bind (stmt, index, text != NULL ? 's' : 'n', g_strdup (text), 0, 0);
}

static void
pg_bind_int64 (QsStmt *base,
               int     index,
               gint64  value)
{
  QsPgStmt *stmt = PG_STMT (base);

  bind (stmt, index, 'i', g_strdup_printf ("%" G_GINT64_FORMAT, value), 0, 0);
}

static void
pg_bind_blob (QsStmt     *base,
              int         index,
              const void *data,
              gsize       size)
{
  QsPgStmt *stmt = PG_STMT (base);

  if (data == NULL)
    bind (stmt, index, 'n', NULL, 0, 0);
  else if (size > G_MAXINT)
    {
      g_warning ("PostgreSQL: a blob of %" G_GSIZE_FORMAT " bytes", size);
      bind (stmt, index, 'n', NULL, 0, 0);
    }
  else
    /* Binary format: the bytes as they are, NULs included. */
    bind (stmt, index, 'b', size > 0 ? g_memdup2 (data, size) : g_strdup (""), (int) size, 1);
}

static void
pg_bind_null (QsStmt *base,
              int     index)
{
  QsPgStmt *stmt = PG_STMT (base);

  bind (stmt, index, 'n', NULL, 0, 0);
}

static void call_hooks (QsPg *pg);

static gboolean
run (QsPgStmt *stmt)
{
  QsPg *pg = stmt->pg;
  /* Inside a transaction a failed statement would abort all of it; on
   * SQLite only the statement fails (a unique violation the caller
   * answers with 409, say, and the transaction goes on). A savepoint
   * around each write keeps SQLite's behaviour. */
  gboolean savepoint = stmt->writes && pg_in_transaction (&pg->parent);
  ExecStatusType status;

  /* Prepared at the first run, when the binds tell what a parameter
   * PostgreSQL cannot type is. */
  if (!pg_in_transaction (&pg->parent) && !reconnect (pg))
    return FALSE;
  if (!stmt->prepared || stmt->session != pg->session)
    {
      if (!prepare_typed (pg, stmt->name, stmt->text, stmt->n_params, stmt->kinds) &&
          !(reconnected (pg) && prepare_typed (pg, stmt->name, stmt->text, stmt->n_params, stmt->kinds)))
        {
          g_warning ("PostgreSQL prepare failed: %s", pg->error_message);
          return FALSE;
        }
      stmt->prepared = TRUE;
      stmt->session = pg->session;
    }
  if (savepoint && !command (pg, "SAVEPOINT qs_statement"))
    return FALSE;
  stmt->result = PQexecPrepared (pg->conn, stmt->name, stmt->n_params, (const char * const *) stmt->values,
                                 stmt->lengths, stmt->formats, 0);
  status = PQresultStatus (stmt->result);
  /* A read outside a transaction that met a dropped connection is run
   * again on a new one; a write is not, since it may have been applied. */
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK && !stmt->writes && !savepoint &&
      reconnected (pg) &&
      prepare_typed (pg, stmt->name, stmt->text, stmt->n_params, stmt->kinds))
    {
      stmt->session = pg->session;
      PQclear (stmt->result);
      stmt->result = PQexecPrepared (pg->conn, stmt->name, stmt->n_params, (const char * const *) stmt->values,
                                     stmt->lengths, stmt->formats, 0);
      status = PQresultStatus (stmt->result);
    }
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
    {
      keep_error (pg, stmt->result);
      g_clear_pointer (&stmt->result, PQclear);
      if (!pg_in_transaction (&pg->parent) && pg->rolled_back != NULL)
        pg->rolled_back (pg->transaction_data);
      if (savepoint)
        {
          g_autofree char *kept = g_strdup (pg->error_message);
          gboolean unique = pg->error_unique;

          command (pg, "ROLLBACK TO SAVEPOINT qs_statement");
          g_free (pg->error_message);
          pg->error_message = g_steal_pointer (&kept);
          pg->error_unique = unique;
        }
      return FALSE;
    }
  {
    const char *verb = PQcmdStatus (stmt->result);

    if (g_str_has_prefix (verb, "INSERT") || g_str_has_prefix (verb, "UPDATE") ||
        g_str_has_prefix (verb, "DELETE") || g_str_has_prefix (verb, "MERGE"))
      pg->changes = atoi (PQcmdTuples (stmt->result));
  }
  if (savepoint && !command (pg, "RELEASE SAVEPOINT qs_statement"))
    return FALSE;
  if (stmt->writes)
    {
      call_hooks (pg);
      /* A write outside a transaction committed by itself. */
      if (!pg_in_transaction (&pg->parent) && pg->committed != NULL)
        pg->committed (pg->transaction_data);
    }
  return TRUE;
}

static QsStmtResult
pg_step (QsStmt *base)
{
  QsPgStmt *stmt = PG_STMT (base);

  if (stmt->failed)
    return QS_STMT_ERROR;
  if (stmt->result == NULL && !run (stmt))
    {
      stmt->failed = TRUE;
      return QS_STMT_ERROR;
    }
  g_clear_pointer (&stmt->blob, PQfreemem);
  if (stmt->row < PQntuples (stmt->result))
    stmt->row++;
  return stmt->row < PQntuples (stmt->result) ? QS_STMT_ROW : QS_STMT_DONE;
}

static int
pg_n_columns (QsStmt *base)
{
  QsPgStmt *stmt = PG_STMT (base);

  return stmt->result != NULL ? PQnfields (stmt->result) : 0;
}

static gboolean
on_row (QsPgStmt *stmt,
        int       col)
{
  return stmt->result != NULL && stmt->row >= 0 && stmt->row < PQntuples (stmt->result) &&
         col >= 0 && col < PQnfields (stmt->result);
}

static gboolean
pg_col_is_null (QsStmt *base,
                int     col)
{
  QsPgStmt *stmt = PG_STMT (base);

  return !on_row (stmt, col) || PQgetisnull (stmt->result, stmt->row, col);
}

static const char *
pg_col_text (QsStmt *base,
             int     col)
{
  QsPgStmt *stmt = PG_STMT (base);
  const char *value;

  if (pg_col_is_null (&stmt->parent, col))
    return NULL;
  value = PQgetvalue (stmt->result, stmt->row, col);
  if (PQftype (stmt->result, col) == BOOLOID)
    return value[0] == 't' ? "1" : "0";
  return value;
}

static gint64
pg_col_int64 (QsStmt *base,
              int     col)
{
  QsPgStmt *stmt = PG_STMT (base);
  const char *value = pg_col_text (&stmt->parent, col);

  return value != NULL ? g_ascii_strtoll (value, NULL, 10) : 0;
}

static double
pg_col_double (QsStmt *base,
               int     col)
{
  QsPgStmt *stmt = PG_STMT (base);
  const char *value = pg_col_text (&stmt->parent, col);

  return value != NULL ? g_ascii_strtod (value, NULL) : 0.0;
}

static const guint8 *
pg_col_blob (QsStmt *base,
             int     col,
             gsize  *size)
{
  QsPgStmt *stmt = PG_STMT (base);
  size_t length = 0;

  *size = 0;
  if (pg_col_is_null (&stmt->parent, col))
    return NULL;
  if (PQftype (stmt->result, col) != BYTEAOID)
    {
      *size = PQgetlength (stmt->result, stmt->row, col);
      return *size > 0 ? (const guint8 *) PQgetvalue (stmt->result, stmt->row, col) : NULL;
    }
  g_clear_pointer (&stmt->blob, PQfreemem);
  stmt->blob = PQunescapeBytea ((const unsigned char *) PQgetvalue (stmt->result, stmt->row, col), &length);
  *size = length;
  return length > 0 ? stmt->blob : NULL;
}

/* ---------------------------------------------------------- transactions */

static gboolean
pg_begin (QsDb     *db,
          gboolean  write)
{
  QsPg *pg = PG (db);
  const char *sql = write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

  if (!reconnect (pg))
    return FALSE;
  pg->txn_open = command (pg, sql) || (reconnected (pg) && command (pg, sql));
  return pg->txn_open;
}

static gboolean
pg_commit (QsDb    *db,
           GError **error)
{
  QsPg *pg = PG (db);
  PGresult *result = PQexec (pg->conn, "COMMIT");
  /* COMMIT of a failed transaction "succeeds" as a ROLLBACK. */
  gboolean ok = PQresultStatus (result) == PGRES_COMMAND_OK && g_str_equal (PQcmdStatus (result), "COMMIT");

  if (!ok)
    {
      keep_error (pg, result);
      g_set_error (error, QS_STORE_ERROR, QS_STORE_ERROR_FAILED, "PostgreSQL: COMMIT failed: %s",
                   pg->error_message[0] != '\0' ? pg->error_message : "the transaction was rolled back");
      if (pg_in_transaction (&pg->parent))
        pg_rollback (&pg->parent);
      else if (pg->rolled_back != NULL)
        pg->rolled_back (pg->transaction_data);
    }
  else if (pg->committed != NULL)
    pg->committed (pg->transaction_data);
  pg->txn_open = FALSE;
  PQclear (result);
  return ok;
}

static void
pg_rollback (QsDb *db)
{
  QsPg *pg = PG (db);

  if (pg_in_transaction (&pg->parent))
    {
      if (PQstatus (pg->conn) == CONNECTION_OK)
        command (pg, "ROLLBACK");
      pg->txn_open = FALSE;
      if (pg->rolled_back != NULL)
        pg->rolled_back (pg->transaction_data);
    }
}

static gboolean
pg_in_transaction (QsDb *db)
{
  QsPg *pg = PG (db);
  PGTransactionStatusType status = PQtransactionStatus (pg->conn);

  /* A lost connection's status is UNKNOWN: the transaction begun on it
   * still counts until the caller ends it, so nothing reconnects under it. */
  return pg->txn_open || status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

static int
pg_changes (QsDb *db)
{
  QsPg *pg = PG (db);

  return pg->changes;
}

static const char *
pg_error_message (QsDb *db)
{
  QsPg *pg = PG (db);

  return pg->error_message != NULL ? pg->error_message : "";
}

/* ---------------------------------------------------------- change hooks */

static void
pg_hook_free (gpointer data)
{
  PgHook *hook = data;

  g_free (hook->name);
  g_free (hook);
}

/* Takes the calls this connection's writes made out of the TEMP table, in
 * the order they were made, and calls the hooks. */
static void
call_hooks (QsPg *pg)
{
  PGresult *result;

  if (pg->hooks == NULL)
    return;
  result = PQexec (pg->conn, "WITH taken AS (DELETE FROM pg_temp.qs_hook_calls RETURNING *)"
                             " SELECT * FROM taken ORDER BY seq");
  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    {
      keep_error (pg, result);
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
          PgArgs args = { { &pg_backend, hook->n_args, FALSE }, result, row, NULL, 2 };

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

static gboolean
pg_install_change_hooks (QsDb                  *db,
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

static gboolean
pg_args_is_null (const QsDbArgs *args,
                 int             i)
{
  return PQgetisnull (ARGS (args)->result, ARGS (args)->row, ARG_COLUMN (i));
}

static const char *
pg_args_text (const QsDbArgs *args,
              int             i)
{
  return pg_args_is_null (args, i) ? NULL : PQgetvalue (ARGS (args)->result, ARGS (args)->row, ARG_COLUMN (i));
}

static gint64
pg_args_int64 (const QsDbArgs *args,
               int             i)
{
  const char *text = pg_args_text (args, i);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;
}

/* A bytea argument arrives as its text form (\x…). */
static const guint8 *
pg_args_blob (const QsDbArgs *args,
              int             i,
              gsize          *size)
{
  PgArgs *pg_args = ARGS (args);
  const char *text = pg_args_text (args, i);
  size_t length = 0;

  *size = 0;
  if (text == NULL)
    return NULL;
  g_clear_pointer (&pg_args->blob, PQfreemem);
  pg_args->blob = PQunescapeBytea ((const unsigned char *) text, &length);
  *size = length;
  return length > 0 ? pg_args->blob : NULL;
}

static void
pg_set_transaction_hooks (QsDb     *db,
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

      if (!reconnect (pg))
        return NULL;
      if (pg->others_session != pg->session + 1)
        {
          result = PQprepare (pg->conn, "qs_others", OTHERS_SQL, 1, NULL);
          if (PQresultStatus (result) != PGRES_COMMAND_OK)
            {
              keep_error (pg, result);
              PQclear (result);
              if (reconnected (pg))
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
      keep_error (pg, result);
      PQclear (result);
      if (!reconnected (pg))
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
      keep_error (pg, result);
      g_warning ("PostgreSQL: cannot prune the change log: %s", pg->error_message);
    }
  PQclear (result);
}

/* Calls the hooks with the changes other connections committed since the
 * last call, in one round trip; the number moves when they could not be
 * (see quorum-store-db-private.h). Outside a transaction only. */
static gint64
pg_others_changes (QsDb *db)
{
  QsPg *pg = (QsPg *) db;
  PGresult *result;
  gboolean exact;
  int n;

  if (pg->hooks == NULL || pg_in_transaction (&pg->parent))
    return -1;
  result = others_query (pg);
  if (result == NULL)
    {
      g_warning ("PostgreSQL: cannot read other connections' changes: %s", pg_error_message (&pg->parent));
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
          PgArgs args = { { &pg_backend, hook->n_args, TRUE }, result, row, NULL, OTHERS_FIRST_ARG };

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

/* ---------------------------------------------------------- the vtable */

static QsDbErrorKind
pg_error_kind (QsDb *db)
{
  if (PG (db)->error_message == NULL)
    return QS_DB_ERROR_NONE;
  return PG (db)->error_unique ? QS_DB_ERROR_UNIQUE : QS_DB_ERROR_OTHER;
}

/* By the column's type OID (catalog/pg_type_d.h, stable). */
static QsDbType
pg_col_type (QsStmt *stmt,
             int     col)
{
  if (pg_col_is_null (stmt, col))
    return QS_DB_NULL;
  switch (PQftype (PG_STMT (stmt)->result, col))
    {
    case BOOLOID:
    case INT8OID:
    case 21:   /* int2 */
    case 23:   /* int4 */
      return QS_DB_INTEGER;
    case 700:  /* float4 */
    case 701:  /* float8 */
    case 1700: /* numeric */
      return QS_DB_FLOAT;
    case BYTEAOID:
      return QS_DB_BLOB;
    default:
      return QS_DB_TEXT;
    }
}

static const QsDbBackend pg_backend = {
  .name = "postgresql",
  /* NO KEY: a row lock that foreign key checks (FOR KEY SHARE, taken by
   * inserting a member of the organization) do not wait for. */
  .lock_row_suffix = " FOR NO KEY UPDATE",
  .close = pg_close,
  .schema_version = pg_schema_version,
  .begin = pg_begin,
  .commit = pg_commit,
  .rollback = pg_rollback,
  .in_transaction = pg_in_transaction,
  .changes = pg_changes,
  .error_kind = pg_error_kind,
  .error_message = pg_error_message,
  /* Two-key advisory locks ("QUOR", the name's hash): apart from the
   * migrations' one-key lock, and listed in pg_locks with objsubid 2. */
  .try_lock_sql = "SELECT pg_try_advisory_xact_lock (" QS_PG_JOB_LOCK_CLASS ", hashtext (?1))",
  .prepare = pg_prepare,
  .finalize = pg_finalize,
  .reset = pg_reset,
  .clear_bindings = pg_clear_bindings,
  .bind_text = pg_bind_text,
  .bind_int64 = pg_bind_int64,
  .bind_blob = pg_bind_blob,
  .bind_null = pg_bind_null,
  .step = pg_step,
  .n_columns = pg_n_columns,
  .is_null = pg_col_is_null,
  .text = pg_col_text,
  .int64 = pg_col_int64,
  .dbl = pg_col_double,
  .blob = pg_col_blob,
  .column_type = pg_col_type,
  .others_changes = pg_others_changes,
  .install_change_hooks = pg_install_change_hooks,
  .set_transaction_hooks = pg_set_transaction_hooks,
  .args_is_null = pg_args_is_null,
  .args_text = pg_args_text,
  .args_int64 = pg_args_int64,
  .args_blob = pg_args_blob,
};
