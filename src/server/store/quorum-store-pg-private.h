/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* For the store's own files only (src/server/store/): the PostgreSQL
 * backend (libpq). Built when libpq is (HAVE_LIBPQ). */

#include <glib.h>

#include "quorum-store-url.h"

G_BEGIN_DECLS

typedef struct _QsPg QsPg;

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

G_END_DECLS
