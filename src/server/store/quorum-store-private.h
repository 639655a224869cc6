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

G_END_DECLS
