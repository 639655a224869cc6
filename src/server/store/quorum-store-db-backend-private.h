/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What a database backend implements, for quorum-store-db.c and the
 * backends only (quorum-store-sqlite.c; a libpq one next). A backend's
 * connection embeds QsDb first, its statements QsStmt first, its hook
 * arguments QsDbArgs first. quorum-store-db.c keeps the statement cache,
 * parses bind formats and dispatches through the vtable. */

#include "quorum-store-db-private.h"
#include "quorum-store-url.h"

G_BEGIN_DECLS

typedef struct _QsDbBackend QsDbBackend;

struct _QsDb
{
  const QsDbBackend *backend;
  GHashTable        *statements;  /* char *sql → QsStmt *, set by quorum-store-db.c */
};

struct _QsStmt
{
  const QsDbBackend *backend;
  QsDb              *db;
};

struct _QsDbArgs
{
  const QsDbBackend *backend;
  int                n;
  gboolean           from_other;  /* another connection's change, replayed */
};

struct _QsDbBackend
{
  const char    *name;
  /* What follows "SELECT 1 FROM <table> WHERE id = ?1" to lock the row
   * until the transaction ends (qs_db_lock_row ()); NULL when the write
   * transaction already holds the whole database (SQLite's BEGIN
   * IMMEDIATE). */
  const char    *lock_row_suffix;

  /* Connection. close frees db; the statements are finalized before. */
  void           (*close)          (QsDb *db);
  int            (*schema_version) (QsDb *db);
  gboolean       (*begin)          (QsDb *db, gboolean write);
  gboolean       (*commit)         (QsDb *db, GError **error);
  void           (*rollback)       (QsDb *db);
  gboolean       (*in_transaction) (QsDb *db);
  int            (*changes)        (QsDb *db);
  QsDbErrorKind  (*error_kind)     (QsDb *db);
  const char    *(*error_message)  (QsDb *db);
  /* One row, one boolean column, ?1 a name: whether this transaction now
   * holds the lock of that name (released when it ends), without waiting.
   * NULL when a write transaction already excludes every other writer of
   * the database (SQLite). */
  const char     *try_lock_sql;

  /* Statements: prepare sets backend and db; NULL on failure (logged). */
  QsStmt        *(*prepare)        (QsDb *db, const char *sql);
  void           (*finalize)       (QsStmt *stmt);
  /* Ends a run; the bindings stay. */
  void           (*reset)          (QsStmt *stmt);
  void           (*clear_bindings) (QsStmt *stmt);
  /* copy: the backend copies the value; otherwise it is borrowed. */
  void           (*bind_text)      (QsStmt *stmt, int index, const char *text, gboolean copy);
  void           (*bind_int64)     (QsStmt *stmt, int index, gint64 value);
  void           (*bind_blob)      (QsStmt *stmt, int index, const void *data, gsize size);
  void           (*bind_null)      (QsStmt *stmt, int index);
  QsStmtResult   (*step)           (QsStmt *stmt);
  int            (*n_columns)      (QsStmt *stmt);
  gboolean       (*is_null)        (QsStmt *stmt, int col);
  const char    *(*text)           (QsStmt *stmt, int col);
  gint64         (*int64)          (QsStmt *stmt, int col);
  double         (*dbl)            (QsStmt *stmt, int col);
  const guint8  *(*blob)           (QsStmt *stmt, int col, gsize *size);
  QsDbType       (*column_type)    (QsStmt *stmt, int col);

  /* Change notification (see quorum-store-db-private.h). */
  gint64         (*others_changes) (QsDb *db);
  gboolean       (*install_change_hooks) (QsDb *db, const QsDbChangeHooks *hooks,
                                          gpointer user_data, GError **error);
  void           (*set_transaction_hooks) (QsDb *db, void (*committed) (gpointer),
                                           void (*rolled_back) (gpointer), gpointer user_data);
  gboolean       (*args_is_null)   (const QsDbArgs *args, int i);
  const char    *(*args_text)      (const QsDbArgs *args, int i);
  gint64         (*args_int64)     (const QsDbArgs *args, int i);
  const guint8  *(*args_blob)      (const QsDbArgs *args, int i, gsize *size);
};

/* The backends' constructors (quorum-store-db.c picks one by location). */
QsDb          *qs_db_sqlite_open   (const char  *path,
                                    gboolean     reader,
                                    GError     **error);
#if HAVE_LIBPQ
/* url: a QS_STORE_BACKEND_POSTGRESQL one (quorum-store-pg.c). */
QsDb          *qs_db_pg_open       (const QsStoreUrl *url,
                                    gboolean          reader,
                                    GError          **error);
#endif

G_END_DECLS
