/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* For the store's own files only (src/server/store/): the SQLite backend. */

#include "quorum-store.h"
#include "quorum-store-sqlite-private.h"

G_BEGIN_DECLS

/* The backend's connection; valid as long as the store. */
QsDb        *qs_store_db               (QsStore     *store);
/* Fills error from the connection's last failure (CONFLICT for a unique
 * key, FAILED otherwise) and returns FALSE. */
gboolean     qs_store_fail             (QsStore     *store,
                                        GError     **error);

/* Members' order and search keys of a user's name (and address). */
char        *qs_sort_name              (const char  *name);
char        *qs_search_text            (const char  *name,
                                        const char  *email);

G_END_DECLS
