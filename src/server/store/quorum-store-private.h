/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* For the store's own files only (src/server/store/): the database (whatever
 * its backend), the member index, the read cache, the row readers. */

#include "quorum-store-core.h"
#include "quorum-store-db-private.h"
#include "quorum-store-member-index-private.h"
#include "quorum-store-cache-private.h"

G_BEGIN_DECLS

/* The backend's connection; valid as long as the store. */
QsDb        *qs_store_db               (QsStore     *store);
QsMemberIndex *qs_store_member_index   (QsStore     *store);
QsCache *qs_store_cache       (QsStore     *store);
/* Rate-limit kind → its room as this process last counted it (a cost
 * cache for quorum-store-limits.c, freed with the store). */
GHashTable  *qs_store_limit_rooms      (QsStore     *store);
/* Fills error from the connection's last failure (CONFLICT for a unique
 * key, FAILED otherwise) and returns FALSE. */
gboolean     qs_store_fail             (QsStore     *store,
                                        GError     **error);

/* A typed result from the current row of a statement; NULL skips the row. */
typedef gpointer (*QsStoreRowFunc) (QsStmt   *stmt,
                                    gpointer  user_data);

/* Steps stmt (a qs_db_prepare () result, NULL when that failed) to its end,
 * adding from_row () of each row to rows, then resets it. */
gboolean     qs_store_rows             (QsStore        *store,
                                        QsStmt         *stmt,
                                        QsStoreRowFunc  from_row,
                                        gpointer        user_data,
                                        GPtrArray      *rows,
                                        GError        **error);
/* from_row () of the one row sql (bound from fmt as qs_db_prepare () does)
 * finds, or NULL (error set on failure). */
gpointer     qs_store_row              (QsStore        *store,
                                        QsStoreRowFunc  from_row,
                                        gpointer        user_data,
                                        GError        **error,
                                        const char     *sql,
                                        const char     *fmt,
                                        ...);

/* A user's name changed: their place in every members list follows
 * (quorum-store-organizations.c, for qs_store_user_set_name ()). */
gboolean     qs_store_members_rename_user (QsStore     *store,
                                           const char  *user_id,
                                           const char  *name,
                                           const char  *email,
                                           GError     **error);

G_END_DECLS
