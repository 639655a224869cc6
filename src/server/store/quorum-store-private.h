/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* For the store's own files only (src/server/store/): the SQLite backend. */

#include "quorum-store.h"
#include "quorum-store-sqlite-private.h"
#include "quorum-store-member-index.h"

G_BEGIN_DECLS

/* The backend's connection; valid as long as the store. */
QsDb        *qs_store_db               (QsStore     *store);
QsMemberIndex *qs_store_member_index   (QsStore     *store);
/* Fills error from the connection's last failure (CONFLICT for a unique
 * key, FAILED otherwise) and returns FALSE. */
gboolean     qs_store_fail             (QsStore     *store,
                                        GError     **error);

/* A typed result from the current row of a statement; NULL skips the row. */
typedef gpointer (*QsStoreRowFunc) (sqlite3_stmt *stmt,
                                    gpointer      user_data);

/* Steps stmt (a qs_db_prepare () result, NULL when that failed) to its end,
 * adding from_row () of each row to rows, then resets it. */
gboolean     qs_store_rows             (QsStore        *store,
                                        sqlite3_stmt   *stmt,
                                        QsStoreRowFunc  from_row,
                                        gpointer        user_data,
                                        GPtrArray      *rows,
                                        GError        **error);
/* The same for at most one row: it, or NULL (error set on failure). */
gpointer     qs_store_row              (QsStore        *store,
                                        sqlite3_stmt   *stmt,
                                        QsStoreRowFunc  from_row,
                                        gpointer        user_data,
                                        GError        **error);

/* Until the identity handlers and the demo seeder call the store: a
 * member row on the connection, and the member index's keys of a name. */
char        *qs_insert_member          (QsDb        *db,
                                        const char  *org_id,
                                        const char  *user_id,
                                        const char  *role,
                                        const char  *status,
                                        gint64       joined_at,
                                        gint64       last_active_at);
char        *qs_sort_name              (const char  *name);
char        *qs_search_text            (const char  *name,
                                        const char  *email);

G_END_DECLS
