/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The PostgreSQL backend (libpq), the QsDbBackend qs_db_open () picks for
 * a postgresql:// location: the connection and its reconnection,
 * statements, transactions. Its schema and migrations are in
 * quorum-store-pg-schema.c, its change hooks and change log in
 * quorum-store-pg-hooks.c. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "quorum-store-pg-private.h"
#include "quorum-store-pg-backend-private.h"
#include "quorum-store-db-backend-private.h"
#include "quorum-store-private.h"  /* QS_STORE_ERROR */

/* The connection (a QsDb) and its statements (QsStmt), as SQLite's are
 * used: prepared once per connection (keyed by SQL text in QsDb; here at
 * the first run, when the binds can type what PostgreSQL cannot infer),
 * bound, then stepped: the first step runs the statement (binds as text,
 * blobs binary-safe as binary parameters), each step moves to the next row
 * of the text result. A failure to prepare shows at the first step. */
typedef struct _QsPgStmt QsPgStmt;

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

void
qs_pg_keep_error (QsPg           *pg,
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
    qs_pg_keep_error (pg, result);
  PQclear (result);
  return ok;
}

/* A connection PostgreSQL or the network dropped (a restart, a failover,
 * pg_terminate_backend ()) is made again before the next transaction or
 * read, rather than failing every request until the server restarts: the
 * session's settings, its change hooks' TEMP table and its prepared
 * statements (prepared again at their next run) come back with it. Never
 * inside a transaction, which the drop has ended. */
gboolean
qs_pg_reconnect (QsPg *pg)
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
gboolean
qs_pg_reconnected (QsPg *pg)
{
  return PQstatus (pg->conn) != CONNECTION_OK && qs_pg_reconnect (pg);
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
        qs_pg_keep_error (pg, result);
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
  if (!pg_in_transaction (&pg->parent) && !qs_pg_reconnect (pg))
    return FALSE;
  if (!stmt->prepared || stmt->session != pg->session)
    {
      if (!prepare_typed (pg, stmt->name, stmt->text, stmt->n_params, stmt->kinds) &&
          !(qs_pg_reconnected (pg) && prepare_typed (pg, stmt->name, stmt->text, stmt->n_params, stmt->kinds)))
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
      qs_pg_reconnected (pg) &&
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
      qs_pg_keep_error (pg, stmt->result);
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
      qs_pg_call_hooks (pg);
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

  if (!qs_pg_reconnect (pg))
    return FALSE;
  pg->txn_open = command (pg, sql) || (qs_pg_reconnected (pg) && command (pg, sql));
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
      qs_pg_keep_error (pg, result);
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
  .others_changes = qs_pg_others_changes,
  .install_change_hooks = qs_pg_install_change_hooks,
  .set_transaction_hooks = qs_pg_set_transaction_hooks,
  .args_is_null = qs_pg_args_is_null,
  .args_text = qs_pg_args_text,
  .args_int64 = qs_pg_args_int64,
  .args_blob = qs_pg_args_blob,
};
