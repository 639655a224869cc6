/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The store itself: opening it, its errors and its transactions.
 * Included by quorum-store.h; include that instead. */

#include <glib.h>

G_BEGIN_DECLS

#define QS_STORE_ERROR (qs_store_error_quark ())

typedef enum
{
  QS_STORE_ERROR_FAILED,    /* the database failed; answer 500 */
  QS_STORE_ERROR_CONFLICT,  /* a unique key is taken (slug, e-mail, …) */
  QS_STORE_ERROR_SCHEMA,    /* the database is newer than this server */
} QsStoreError;

GQuark       qs_store_error_quark      (void);

/* Tokens are stored as their SHA-256 hashes only. */
#define QS_STORE_TOKEN_HASH_LEN 32

typedef struct _QsStore    QsStore;
typedef struct _QsStoreTxn QsStoreTxn;

QsStore     *qs_store_open             (const char  *path,
                                        GError     **error);
void         qs_store_free             (QsStore     *store);
int          qs_store_schema_version   (QsStore     *store);
/* The database file, for readers in other threads. */
const char  *qs_store_path             (QsStore     *store);

/* Around the synchronous part of a request's handling: the read cache asks
 * the database once, at the start, whether another connection committed (instead
 * of at every look-up), and answers from memory until the end. Other
 * connections' commits during the request are seen by the next one. */
void         qs_store_request_started  (QsStore     *store);
void         qs_store_request_finished (QsStore     *store);

/* A write transaction, one at a time per store. Hold it only while the
 * request runs on the main loop: never across a paused request (password
 * hashing), so that requests never interleave inside one transaction.
 *
 *   g_autoptr(QsStoreTxn) txn = qs_store_begin (store, &error);
 *   … store calls that check and write …
 *   if (!qs_store_txn_commit (txn, &error)) …
 *
 * A guard that goes out of scope uncommitted rolls back. */
QsStoreTxn  *qs_store_begin            (QsStore     *store,
                                        GError     **error);
gboolean     qs_store_txn_commit       (QsStoreTxn  *txn,
                                        GError     **error);
void         qs_store_txn_free         (QsStoreTxn  *txn);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsStore, qs_store_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsStoreTxn, qs_store_txn_free)

G_END_DECLS
