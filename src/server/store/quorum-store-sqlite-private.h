/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef struct _QsDb QsDb;

#define QS_DB_SCHEMA_VERSION 7

QsDb          *qs_db_open          (const char  *path,
                                    GError     **error);
void           qs_db_close         (QsDb        *db);
sqlite3       *qs_db_handle        (QsDb        *db);
int            qs_db_schema_version (QsDb       *db);

/* Cached prepared statement, reset, with parameters bound from fmt:
 * 's' const char * (NULL binds NULL), 'i' gint64, 'b' const void * + gsize, 'n' NULL. */
sqlite3_stmt  *qs_db_prepare       (QsDb        *db,
                                    const char  *sql,
                                    const char  *fmt,
                                    ...);
sqlite3_stmt  *qs_db_prepare_va    (QsDb        *db,
                                    const char  *sql,
                                    const char  *fmt,
                                    va_list      args);
/* Runs a statement to completion; FALSE (and a log line) on error. */
gboolean       qs_db_run           (QsDb        *db,
                                    const char  *sql,
                                    const char  *fmt,
                                    ...);
/* Single-integer query; fallback when there is no row or on error. */
gint64         qs_db_int           (QsDb        *db,
                                    gint64       fallback,
                                    const char  *sql,
                                    const char  *fmt,
                                    ...);
gboolean       qs_db_begin         (QsDb        *db);
gboolean       qs_db_commit        (QsDb        *db);
void           qs_db_rollback      (QsDb        *db);
int            qs_db_changes       (QsDb        *db);

char          *qs_stmt_dup_text    (sqlite3_stmt *stmt,
                                    int           col);
const char    *qs_stmt_text        (sqlite3_stmt *stmt,
                                    int           col);

G_END_DECLS
