/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* For the store's own files only (src/server/store/): what the PostgreSQL
 * backend (libpq; built when libpq is, HAVE_LIBPQ) shows beside its
 * QsDbBackend (opened by qs_db_open () with a postgresql:// URL):
 * quorum-store-pg.c is its statement layer, quorum-store-pg-schema.c its
 * schema and migrations, quorum-store-pg-hooks.c its change hooks and
 * change log; what they share is in quorum-store-pg-backend-private.h. */

#include <glib.h>

G_BEGIN_DECLS

/* The advisory lock migrations take (pg_advisory_lock), as SQL hex: any
 * number, the same in every instance. --migrate-from-sqlite holds it for
 * its whole copy (quorum-store-copy.c). */
#define QS_PG_MIGRATION_LOCK "5155524f52554d"  /* "QUORUM" in hex */
/* The first key of the named locks (qs_db_try_lock): "QUOR" as an int4. */
#define QS_PG_JOB_LOCK_CLASS "1364545362"

/* sql with SQLite's parameters (?N, and a bare ? as the next number)
 * written as libpq's $N, outside quotes, quoted identifiers and comments;
 * *n_params the highest number. */
char          *qs_pg_rewrite_params (const char       *sql,
                                     int              *n_params);

G_END_DECLS
