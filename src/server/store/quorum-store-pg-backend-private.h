/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* For the PostgreSQL backend's own files only (quorum-store-pg*.c): what
 * its statement layer (quorum-store-pg.c) and its schema
 * (quorum-store-pg-schema.c) share. Names libpq's types. */

#include <glib.h>
#include <libpq-fe.h>

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

G_END_DECLS
