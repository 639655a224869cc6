/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The store's database, whatever the backend: for the store's own files
 * only (src/server/store/). Every store file reads and writes through
 * these calls; only the backends (quorum-store-sqlite.c, and next a libpq
 * one) name their database library. A backend implements QsDbBackend
 * (quorum-store-db-backend-private.h).
 *
 * SQL text: parameters are written ?1, ?2, … (a backend rewrites them if
 * it must, e.g. to $1 for libpq); write portable SQL where SQLite 3.40 and
 * PostgreSQL 15 share a form (docs/server.md, "Store backends", lists what
 * is still SQLite-only). */

#include <stdarg.h>
#include <glib.h>

G_BEGIN_DECLS

typedef struct _QsDb     QsDb;
typedef struct _QsStmt   QsStmt;
typedef struct _QsDbArgs QsDbArgs;

/* Opens (creating and migrating it if needed) the database at location:
 * a file path, sqlite:PATH or postgresql://… (QsStoreUrl). */
QsDb          *qs_db_open            (const char  *location,
                                      GError     **error);
/* A second, read-only connection to the same database, for one worker
 * thread (no migration, no hooks); close it with qs_db_close (). */
QsDb          *qs_db_open_reader     (const char  *location,
                                      GError     **error);
void           qs_db_close           (QsDb        *db);
/* "sqlite", "postgresql" */
const char    *qs_db_backend_name    (QsDb        *db);
int            qs_db_schema_version  (QsDb        *db);

/* The cached prepared statement of sql (kept for the connection's life,
 * keyed by its text), reset, with parameters bound from fmt:
 * 's' const char * (NULL binds NULL), 'i' gint64, 'b' const void * + gsize
 * (NULL binds NULL), 'n' NULL. NULL (and a log line) when sql does not
 * prepare. The statement stays usable until the next qs_db_prepare () of
 * the same text; step it, then qs_stmt_reset () it. */
QsStmt        *qs_db_prepare         (QsDb        *db,
                                      const char  *sql,
                                      const char  *fmt,
                                      ...);
QsStmt        *qs_db_prepare_va      (QsDb        *db,
                                      const char  *sql,
                                      const char  *fmt,
                                      va_list      args);
/* Runs a statement to completion; FALSE (and a log line) on error. */
gboolean       qs_db_run             (QsDb        *db,
                                      const char  *sql,
                                      const char  *fmt,
                                      ...);
/* Single-integer query; fallback when there is no row, a NULL or an error. */
gint64         qs_db_int             (QsDb        *db,
                                      gint64       fallback,
                                      const char  *sql,
                                      const char  *fmt,
                                      ...);

/* A write transaction (taking the write lock at once), or a read
 * transaction (one consistent snapshot) on a reader. */
gboolean       qs_db_begin           (QsDb        *db);
gboolean       qs_db_begin_read      (QsDb        *db);
/* Commits; on failure logs, rolls back and returns FALSE. */
gboolean       qs_db_commit          (QsDb        *db);
/* Rolls back the open transaction, if any. */
void           qs_db_rollback        (QsDb        *db);
gboolean       qs_db_in_transaction  (QsDb        *db);
/* Inside a write transaction: locks the row of table whose id column is
 * id until the transaction ends, waiting while another connection (another
 * server instance) holds it. Taken first, before the reads that decide a
 * write, so that writers of the same row run one after the other across
 * processes and each reads what the one before committed (PostgreSQL's
 * READ COMMITTED reads the latest commit at each statement). SQLite: does
 * nothing, BEGIN IMMEDIATE already holds the whole database. FALSE (and a
 * log line) when the statement failed; a missing row is no failure. */
gboolean       qs_db_lock_row        (QsDb        *db,
                                      const char  *table,
                                      const char  *id);
/* Inside a write transaction: whether it now holds the lock named name,
 * taken without waiting and released when the transaction ends; another
 * connection's transaction holding it makes *held FALSE. A backend whose
 * write transactions exclude each other (SQLite) always sets TRUE. FALSE
 * (and a log line) on error. */
gboolean       qs_db_try_lock        (QsDb        *db,
                                      const char  *name,
                                      gboolean    *held);
/* Rows changed by the last INSERT, UPDATE or DELETE. */
int            qs_db_changes         (QsDb        *db);

typedef enum
{
  QS_DB_ERROR_NONE,
  QS_DB_ERROR_UNIQUE,  /* a unique or primary key was violated */
  QS_DB_ERROR_OTHER,
} QsDbErrorKind;

/* The connection's last failure. */
QsDbErrorKind  qs_db_error_kind      (QsDb        *db);
const char    *qs_db_error_message   (QsDb        *db);

typedef enum
{
  QS_STMT_ROW,
  QS_STMT_DONE,
  QS_STMT_ERROR,
} QsStmtResult;

/* The next row (QS_STMT_ROW), the end (QS_STMT_DONE) or a failure (see
 * qs_db_error_message ()). */
QsStmtResult   qs_stmt_step          (QsStmt      *stmt);
/* qs_stmt_step () == QS_STMT_ROW */
gboolean       qs_stmt_next          (QsStmt      *stmt);
/* Ends the statement's run (its bindings stay until the next prepare). */
void           qs_stmt_reset         (QsStmt      *stmt);
/* Binds parameter index (1-based) to text, borrowed: text must outlive the
 * run, until qs_stmt_clear_bindings () or the next prepare. */
void           qs_stmt_bind_text     (QsStmt      *stmt,
                                      int          index,
                                      const char  *text);
void           qs_stmt_clear_bindings (QsStmt     *stmt);

/* The current row's columns (0-based). Text and blobs are borrowed: valid
 * until the next step or reset. */
int            qs_stmt_n_columns     (QsStmt      *stmt);
gboolean       qs_stmt_is_null       (QsStmt      *stmt,
                                      int          col);
const char    *qs_stmt_text          (QsStmt      *stmt,
                                      int          col);
char          *qs_stmt_dup_text      (QsStmt      *stmt,
                                      int          col);
int            qs_stmt_int           (QsStmt      *stmt,
                                      int          col);
gint64         qs_stmt_int64         (QsStmt      *stmt,
                                      int          col);
double         qs_stmt_double        (QsStmt      *stmt,
                                      int          col);
/* The blob (NULL when empty or NULL) and its size in *size. */
const guint8  *qs_stmt_blob          (QsStmt      *stmt,
                                      int          col,
                                      gsize       *size);

typedef enum
{
  QS_DB_NULL,
  QS_DB_INTEGER,  /* SQLite INTEGER; PostgreSQL smallint, integer, bigint, boolean (1/0) */
  QS_DB_FLOAT,    /* SQLite REAL; PostgreSQL real, double precision, numeric */
  QS_DB_TEXT,     /* SQLite TEXT; PostgreSQL any other type, read as text */
  QS_DB_BLOB,     /* SQLite BLOB; PostgreSQL bytea */
} QsDbType;

/* The type of the current row's value in col: SQLite's is the value's own
 * (its storage class), PostgreSQL's the column's (NULL for a NULL). */
QsDbType       qs_stmt_type          (QsStmt      *stmt,
                                      int          col);
/* Binds parameter index (1-based) to a copy of from's current value in
 * col, of the same type (an empty blob stays an empty blob, not NULL).
 * FALSE for a float (no column of the schema is one). */
gboolean       qs_stmt_bind_column   (QsStmt      *stmt,
                                      int          index,
                                      QsStmt      *from,
                                      int          col);

/* Backend-specific: change notification, so caches kept beside the
 * database stay true. */

/* A number that moves whenever another connection (another process, an
 * operator's tool, another server instance) committed a change the hooks
 * below were not told of; this connection's own commits do not move it.
 * -1 when unknown. SQLite: PRAGMA data_version (any other commit).
 * PostgreSQL: first calls the hooks with every change other connections
 * committed since the last call (qs_db_args_from_other () TRUE), read in
 * one statement from the change log the hook triggers write; the number
 * moves only when that could not be done exactly (first call, connection
 * made again, log pruned past this connection, too many changes), after
 * telling each hook set's caught_up (FALSE). */
gint64         qs_db_others_changes  (QsDb        *db);

/* A hook's arguments (0-based), valid during the call only. */
int            qs_db_args_count      (const QsDbArgs *args);
gboolean       qs_db_args_is_null    (const QsDbArgs *args,
                                      int             i);
const char    *qs_db_args_text       (const QsDbArgs *args,
                                      int             i);
gint64         qs_db_args_int64      (const QsDbArgs *args,
                                      int             i);
const guint8  *qs_db_args_blob       (const QsDbArgs *args,
                                      int             i,
                                      gsize          *size);
/* TRUE when the call replays another connection's committed change
 * (PostgreSQL's qs_db_others_changes ()), FALSE for this connection's own
 * statement. */
gboolean       qs_db_args_from_other (const QsDbArgs *args);

typedef void (*QsDbHookFunc) (const QsDbArgs *args,
                              gpointer        user_data);

typedef struct
{
  const char   *name;    /* what the triggers call */
  int           n_args;
  QsDbHookFunc  func;
} QsDbHook;

/* Invalidation hooks: funcs called, on this connection, for each row a
 * statement of this connection changes, with what the triggers pass.
 * Which changes call which hook is backend SQL:
 * sqlite_triggers: TEMP triggers (this connection only) whose bodies
 * SELECT hook_name (args…). The PostgreSQL backend translates them into
 * triggers of its own, which also log each call for other connections
 * (qs_db_others_changes ()).
 * caught_up (optional): after qs_db_others_changes () replayed other
 * connections' changes: exact TRUE when every change committed until then
 * was replayed, FALSE when they could not be (then anything may have
 * changed: forget everything). Never called on SQLite. */
typedef struct
{
  const QsDbHook *hooks;
  guint           n_hooks;
  const char     *sqlite_triggers;
  void          (*caught_up) (gboolean exact,
                              gpointer user_data);
} QsDbChangeHooks;

gboolean       qs_db_install_change_hooks (QsDb                  *db,
                                           const QsDbChangeHooks *hooks,
                                           gpointer               user_data,
                                           GError               **error);

/* Called when this connection's transaction commits (committed) or rolls
 * back (rolled_back); one listener per connection, NULLs remove it. */
void           qs_db_set_transaction_hooks (QsDb     *db,
                                            void    (*committed)   (gpointer user_data),
                                            void    (*rolled_back) (gpointer user_data),
                                            gpointer  user_data);

G_END_DECLS
