/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdarg.h>

#include "quorum-store-db-backend-private.h"

/* The neutral side of the store's database: the statement cache, bind
 * formats, and one dispatch per call to the connection's backend. */

static void
finalize_statement (gpointer data)
{
  QsStmt *stmt = data;

  stmt->backend->finalize (stmt);
}

static QsDb *
adopt (QsDb *db)
{
  if (db != NULL)
    db->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
  return db;
}

/* location: a file path, sqlite:PATH or postgresql://… (QsStoreUrl). */
static QsDb *
open_location (const char  *location,
               gboolean     reader,
               GError     **error)
{
  g_autoptr(QsStoreUrl) url = qs_store_url_parse (location, error);

  if (url == NULL)
    return NULL;
#if HAVE_LIBPQ
  if (url->kind == QS_STORE_BACKEND_POSTGRESQL)
    return qs_db_pg_open (url, reader, error);
#endif
  return qs_db_sqlite_open (url->path, reader, error);
}

QsDb *
qs_db_open (const char  *location,
            GError     **error)
{
  return adopt (open_location (location, FALSE, error));
}

QsDb *
qs_db_open_reader (const char  *location,
                   GError     **error)
{
  return adopt (open_location (location, TRUE, error));
}

void
qs_db_close (QsDb *db)
{
  if (db == NULL)
    return;
  g_clear_pointer (&db->statements, g_hash_table_destroy);
  db->backend->close (db);
}

const char *
qs_db_backend_name (QsDb *db)
{
  return db->backend->name;
}

int
qs_db_schema_version (QsDb *db)
{
  return db->backend->schema_version (db);
}

QsStmt *
qs_db_prepare_va (QsDb       *db,
                  const char *sql,
                  const char *fmt,
                  va_list     args)
{
  const QsDbBackend *backend = db->backend;
  QsStmt *stmt = g_hash_table_lookup (db->statements, sql);
  int i = 1;

  if (stmt == NULL)
    {
      stmt = backend->prepare (db, sql);
      if (stmt == NULL)
        return NULL;
      g_hash_table_insert (db->statements, g_strdup (sql), stmt);
    }
  else
    {
      backend->reset (stmt);
      backend->clear_bindings (stmt);
    }

  for (const char *f = fmt; *f != '\0'; f++, i++)
    {
      switch (*f)
        {
        case 's':
          {
            const char *s = va_arg (args, const char *);
            if (s != NULL)
              backend->bind_text (stmt, i, s, TRUE);
            else
              backend->bind_null (stmt, i);
          }
          break;
        case 'i':
          backend->bind_int64 (stmt, i, va_arg (args, gint64));
          break;
        case 'b':
          {
            const void *data = va_arg (args, const void *);
            gsize len = va_arg (args, gsize);
            if (data != NULL)
              backend->bind_blob (stmt, i, data, len);
            else
              backend->bind_null (stmt, i);
          }
          break;
        case 'n':
          backend->bind_null (stmt, i);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return stmt;
}

QsStmt *
qs_db_prepare (QsDb       *db,
               const char *sql,
               const char *fmt,
               ...)
{
  va_list args;
  QsStmt *stmt;

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
  QsStmt *stmt;
  QsStmtResult rc;

  va_start (args, fmt);
  stmt = qs_db_prepare_va (db, sql, fmt, args);
  va_end (args);
  if (stmt == NULL)
    return FALSE;
  while ((rc = db->backend->step (stmt)) == QS_STMT_ROW)
    ;
  db->backend->reset (stmt);
  if (rc != QS_STMT_DONE)
    {
      g_warning ("%s step failed: %s", db->backend->name, db->backend->error_message (db));
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
  QsStmt *stmt;
  gint64 value = fallback;

  va_start (args, fmt);
  stmt = qs_db_prepare_va (db, sql, fmt, args);
  va_end (args);
  if (stmt == NULL)
    return fallback;
  if (db->backend->step (stmt) == QS_STMT_ROW && !db->backend->is_null (stmt, 0))
    value = db->backend->int64 (stmt, 0);
  db->backend->reset (stmt);
  return value;
}

gboolean
qs_db_begin (QsDb *db)
{
  return db->backend->begin (db, TRUE);
}

gboolean
qs_db_begin_read (QsDb *db)
{
  return db->backend->begin (db, FALSE);
}

gboolean
qs_db_commit (QsDb *db)
{
  g_autoptr(GError) error = NULL;

  if (!db->backend->commit (db, &error))
    {
      g_warning ("%s", error->message);
      db->backend->rollback (db);
      return FALSE;
    }
  return TRUE;
}

void
qs_db_rollback (QsDb *db)
{
  if (db->backend->in_transaction (db))
    db->backend->rollback (db);
}

gboolean
qs_db_in_transaction (QsDb *db)
{
  return db->backend->in_transaction (db);
}

gboolean
qs_db_lock_row (QsDb       *db,
                const char *table,
                const char *id)
{
  g_autofree char *sql = NULL;
  QsStmt *stmt;
  QsStmtResult rc;

  g_return_val_if_fail (db->backend->in_transaction (db), FALSE);

  if (db->backend->lock_row_suffix == NULL)
    return TRUE;
  /* One cached statement per table (keyed by its text). */
  sql = g_strconcat ("SELECT 1 FROM ", table, " WHERE id = ?1", db->backend->lock_row_suffix, NULL);
  stmt = qs_db_prepare (db, sql, "s", id);
  if (stmt == NULL)
    return FALSE;
  while ((rc = db->backend->step (stmt)) == QS_STMT_ROW)
    ;
  db->backend->reset (stmt);
  if (rc != QS_STMT_DONE)
    {
      g_warning ("%s lock of %s %s failed: %s", db->backend->name, table, id, db->backend->error_message (db));
      return FALSE;
    }
  return TRUE;
}

gboolean
qs_db_try_lock (QsDb       *db,
                const char *name,
                gboolean   *held)
{
  gint64 taken;

  g_return_val_if_fail (qs_db_in_transaction (db), FALSE);

  *held = FALSE;
  if (db->backend->try_lock_sql == NULL)
    {
      *held = TRUE;
      return TRUE;
    }
  taken = qs_db_int (db, -1, db->backend->try_lock_sql, "s", name);
  if (taken < 0)
    return FALSE;
  *held = taken != 0;
  return TRUE;
}

int
qs_db_changes (QsDb *db)
{
  return db->backend->changes (db);
}

QsDbErrorKind
qs_db_error_kind (QsDb *db)
{
  return db->backend->error_kind (db);
}

const char *
qs_db_error_message (QsDb *db)
{
  return db->backend->error_message (db);
}

QsStmtResult
qs_stmt_step (QsStmt *stmt)
{
  return stmt->backend->step (stmt);
}

gboolean
qs_stmt_next (QsStmt *stmt)
{
  return stmt->backend->step (stmt) == QS_STMT_ROW;
}

void
qs_stmt_reset (QsStmt *stmt)
{
  stmt->backend->reset (stmt);
}

void
qs_stmt_bind_text (QsStmt     *stmt,
                   int         index,
                   const char *text)
{
  if (text != NULL)
    stmt->backend->bind_text (stmt, index, text, FALSE);
  else
    stmt->backend->bind_null (stmt, index);
}

void
qs_stmt_clear_bindings (QsStmt *stmt)
{
  stmt->backend->clear_bindings (stmt);
}

int
qs_stmt_n_columns (QsStmt *stmt)
{
  return stmt->backend->n_columns (stmt);
}

gboolean
qs_stmt_is_null (QsStmt *stmt,
                 int     col)
{
  return stmt->backend->is_null (stmt, col);
}

const char *
qs_stmt_text (QsStmt *stmt,
              int     col)
{
  return stmt->backend->text (stmt, col);
}

char *
qs_stmt_dup_text (QsStmt *stmt,
                  int     col)
{
  return g_strdup (stmt->backend->text (stmt, col));
}

int
qs_stmt_int (QsStmt *stmt,
             int     col)
{
  return (int) stmt->backend->int64 (stmt, col);
}

gint64
qs_stmt_int64 (QsStmt *stmt,
               int     col)
{
  return stmt->backend->int64 (stmt, col);
}

double
qs_stmt_double (QsStmt *stmt,
                int     col)
{
  return stmt->backend->dbl (stmt, col);
}

const guint8 *
qs_stmt_blob (QsStmt *stmt,
              int     col,
              gsize  *size)
{
  return stmt->backend->blob (stmt, col, size);
}

gint64
qs_db_others_changes (QsDb *db)
{
  return db->backend->others_changes (db);
}

int
qs_db_args_count (const QsDbArgs *args)
{
  return args->n;
}

gboolean
qs_db_args_from_other (const QsDbArgs *args)
{
  return args->from_other;
}

gboolean
qs_db_args_is_null (const QsDbArgs *args,
                    int             i)
{
  return args->backend->args_is_null (args, i);
}

const char *
qs_db_args_text (const QsDbArgs *args,
                 int             i)
{
  return args->backend->args_text (args, i);
}

gint64
qs_db_args_int64 (const QsDbArgs *args,
                  int             i)
{
  return args->backend->args_int64 (args, i);
}

const guint8 *
qs_db_args_blob (const QsDbArgs *args,
                 int             i,
                 gsize          *size)
{
  return args->backend->args_blob (args, i, size);
}

gboolean
qs_db_install_change_hooks (QsDb                  *db,
                            const QsDbChangeHooks *hooks,
                            gpointer               user_data,
                            GError               **error)
{
  return db->backend->install_change_hooks (db, hooks, user_data, error);
}

void
qs_db_set_transaction_hooks (QsDb     *db,
                             void    (*committed)   (gpointer user_data),
                             void    (*rolled_back) (gpointer user_data),
                             gpointer  user_data)
{
  db->backend->set_transaction_hooks (db, committed, rolled_back, user_data);
}

QsDbType
qs_stmt_type (QsStmt *stmt,
              int     col)
{
  return stmt->backend->column_type (stmt, col);
}

gboolean
qs_stmt_bind_column (QsStmt *stmt,
                     int     index,
                     QsStmt *from,
                     int     col)
{
  const QsDbBackend *backend = stmt->backend;

  switch (qs_stmt_type (from, col))
    {
    case QS_DB_NULL:
      backend->bind_null (stmt, index);
      return TRUE;
    case QS_DB_INTEGER:
      backend->bind_int64 (stmt, index, qs_stmt_int64 (from, col));
      return TRUE;
    case QS_DB_TEXT:
      backend->bind_text (stmt, index, qs_stmt_text (from, col), TRUE);
      return TRUE;
    case QS_DB_BLOB:
      {
        gsize size = 0;
        const guint8 *data = qs_stmt_blob (from, col, &size);

        /* The backends bind a NULL pointer as NULL. */
        backend->bind_blob (stmt, index, data != NULL ? (const void *) data : "", size);
        return TRUE;
      }
    case QS_DB_FLOAT:
    default:
      return FALSE;
    }
}
