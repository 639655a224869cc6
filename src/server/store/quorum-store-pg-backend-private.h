/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* For the PostgreSQL backend's own files only (quorum-store-pg*.c): what
 * its statement layer (quorum-store-pg.c), its schema
 * (quorum-store-pg-schema.c) and its change hooks (quorum-store-pg-hooks.c)
 * share. Names libpq's types. */

#include <glib.h>
#include <libpq-fe.h>

#include "quorum-store-db-backend-private.h"
#include "quorum-store-url.h"

G_BEGIN_DECLS

/* Runs sql (one or more statements, no parameters) on conn; on failure
 * FALSE and error (QS_STORE_ERROR_FAILED, the message scrubbed of url's
 * password). */
gboolean       qs_pg_exec           (PGconn           *conn,
                                     const QsStoreUrl *url,
                                     const char       *sql,
                                     GError          **error);
/* schema_version's version; -1 (and error) on failure. */
int            qs_pg_read_version   (PGconn           *conn,
                                     const QsStoreUrl *url,
                                     GError          **error);
/* Applies the missing migrations, each in its own transaction, under an
 * advisory lock (QS_PG_MIGRATION_LOCK) so that instances starting together
 * migrate once. Fails with QS_STORE_ERROR_SCHEMA on a database newer than
 * this server. */
gboolean       qs_pg_migrate        (PGconn           *conn,
                                     const QsStoreUrl *url,
                                     GError          **error);

/* The connection: a QsDb of the backend (quorum-store-pg.c's vtable). */
typedef struct _QsPg QsPg;

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

#define PG(db) ((QsPg *) (db))

/* The statement layer (quorum-store-pg.c). */

/* Keeps result's failure (or the connection's, result NULL) as the last
 * error: its message scrubbed, and whether it was a unique violation. */
void           qs_pg_keep_error     (QsPg             *pg,
                                     const PGresult   *result);
/* Makes a lost connection again (never inside a transaction): FALSE, and
 * the error kept, when it cannot. */
gboolean       qs_pg_reconnect      (QsPg             *pg);
/* The connection was lost by what just failed and is made again: the
 * caller may try once more. */
gboolean       qs_pg_reconnected    (QsPg             *pg);

/* The change hooks (quorum-store-pg-hooks.c). */

/* After each of this connection's writes: calls the hooks with the calls
 * its triggers made, in order. */
void           qs_pg_call_hooks     (QsPg             *pg);
/* The QsDbBackend's entries. */
gboolean       qs_pg_install_change_hooks  (QsDb                  *db,
                                            const QsDbChangeHooks *hooks,
                                            gpointer               user_data,
                                            GError               **error);
void           qs_pg_set_transaction_hooks (QsDb     *db,
                                            void    (*committed)   (gpointer),
                                            void    (*rolled_back) (gpointer),
                                            gpointer  user_data);
gint64         qs_pg_others_changes (QsDb             *db);
gboolean       qs_pg_args_is_null   (const QsDbArgs   *args,
                                     int               i);
const char    *qs_pg_args_text      (const QsDbArgs   *args,
                                     int               i);
gint64         qs_pg_args_int64     (const QsDbArgs   *args,
                                     int               i);
const guint8  *qs_pg_args_blob      (const QsDbArgs   *args,
                                     int               i,
                                     gsize            *size);

G_END_DECLS
