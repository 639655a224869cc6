/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* For the store's own files only (src/server/store/): the PostgreSQL
 * backend (libpq). Built when libpq is (HAVE_LIBPQ). */

#include <glib.h>

#include "quorum-store-url.h"

G_BEGIN_DECLS

typedef struct _QsPg QsPg;

/* The advisory lock migrations take (pg_advisory_lock), as SQL hex: any
 * number, the same in every instance. --migrate-from-sqlite holds it for
 * its whole copy (quorum-store-copy.c). */
#define QS_PG_MIGRATION_LOCK "5155524f52554d"  /* "QUORUM" in hex */
/* The first key of the named locks (qs_db_try_lock): "QUOR" as an int4. */
#define QS_PG_JOB_LOCK_CLASS "1364545362"

/* Connects to url (a QS_STORE_BACKEND_POSTGRESQL one) and applies the
 * missing migrations, each in its own transaction, under an advisory lock so
 * that instances starting together migrate once. Fails with
 * QS_STORE_ERROR_SCHEMA on a database newer than this server, and with
 * QS_STORE_ERROR_FAILED (a message without the password) when the server
 * cannot be reached or refuses. */
QsPg          *qs_pg_open           (const QsStoreUrl *url,
                                     GError          **error);
void           qs_pg_close          (QsPg             *pg);
/* schema_version's version; -1 on error. */
int            qs_pg_schema_version (QsPg             *pg);

/* sql with SQLite's parameters (?N, and a bare ? as the next number)
 * written as libpq's $N, outside quotes, quoted identifiers and comments;
 * *n_params the highest number. */
char          *qs_pg_rewrite_params (const char       *sql,
                                     int              *n_params);

/* Statements, as SQLite's are used: prepared once per connection (keyed by
 * the caller by SQL text; on the server at the first run, when the binds
 * can type what PostgreSQL cannot infer), bound, then stepped: the first
 * step runs the statement (binds as text, blobs binary-safe as binary
 * parameters), each step moves to the next row of the text result. */
typedef struct _QsPgStmt QsPgStmt;

typedef enum
{
  QS_PG_ROW,
  QS_PG_DONE,
  QS_PG_ERROR,
} QsPgStep;

/* A failure to prepare shows at the first step (QS_PG_ERROR). */
QsPgStmt      *qs_pg_prepare        (QsPg             *pg,
                                     const char       *sql);
void           qs_pg_stmt_free      (QsPgStmt         *stmt);
/* Ends a run (drops the result); the bindings stay. */
void           qs_pg_stmt_reset     (QsPgStmt         *stmt);
void           qs_pg_stmt_clear_bindings (QsPgStmt    *stmt);
void           qs_pg_bind_text      (QsPgStmt         *stmt,
                                     int               index,
                                     const char       *text);
void           qs_pg_bind_int64     (QsPgStmt         *stmt,
                                     int               index,
                                     gint64            value);
void           qs_pg_bind_blob      (QsPgStmt         *stmt,
                                     int               index,
                                     const void       *data,
                                     gsize             size);
void           qs_pg_bind_null      (QsPgStmt         *stmt,
                                     int               index);
QsPgStep       qs_pg_step           (QsPgStmt         *stmt);
int            qs_pg_n_columns      (QsPgStmt         *stmt);
gboolean       qs_pg_is_null        (QsPgStmt         *stmt,
                                     int               col);
/* The current row's text (a boolean as "1"/"0", as SQLite gives it). */
const char    *qs_pg_text           (QsPgStmt         *stmt,
                                     int               col);
gint64         qs_pg_int64          (QsPgStmt         *stmt,
                                     int               col);
double         qs_pg_double         (QsPgStmt         *stmt,
                                     int               col);
/* A bytea column's bytes (decoded; NULL when NULL or empty), valid until
 * the next step or reset. */
const guint8  *qs_pg_blob           (QsPgStmt         *stmt,
                                     int               col,
                                     gsize            *size);

/* Transactions: a write one is BEGIN (READ COMMITTED, one at a time per
 * store); a read one is a REPEATABLE READ snapshot. */
gboolean       qs_pg_begin          (QsPg             *pg,
                                     gboolean          write);
gboolean       qs_pg_commit         (QsPg             *pg,
                                     GError          **error);
void           qs_pg_rollback       (QsPg             *pg);
gboolean       qs_pg_in_transaction (QsPg             *pg);
/* Rows changed by the last statement (PQcmdTuples). */
int            qs_pg_changes        (QsPg             *pg);
/* The last failure: a unique violation (SQLSTATE 23505) or not, and its
 * message (without the password). */
gboolean       qs_pg_error_is_unique (QsPg            *pg);
const char    *qs_pg_error_message  (QsPg             *pg);

G_END_DECLS
