/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The store: idempotency keys, purge of expired rows, meta.
 * Included by quorum-store.h; include that instead. */

#include <glib.h>

#include "quorum-store-core.h"

G_BEGIN_DECLS

/* Rows removed (or, for invitation tokens, made unredeemable) by a purge. */
typedef struct
{
  guint sessions;
  guint invitation_tokens;
  guint idempotency_keys;
  guint email_tokens;
} QsStorePurged;

/* Inside a write transaction: whether this instance runs the periodic job
 * (a name) now. FALSE in *mine while another instance's transaction runs
 * it (PostgreSQL: an advisory lock per job, released when the transaction
 * ends); always TRUE on SQLite, whose writers exclude each other. */
gboolean     qs_store_job_claim        (QsStore        *store,
                                        const char     *job,
                                        gboolean       *mine,
                                        GError        **error);

/* In the caller's transaction: sessions expired at now, e-mail tokens
 * expired at now or used, idempotency keys created at or before
 * keys_before; invitations expired at or before invitation_tokens_before
 * keep their row but get a token hash no token hashes to. Each statement
 * deletes or changes only what is still expired when it runs, so two
 * instances purging at once remove each row once. */
gboolean     qs_store_purge_expired    (QsStore        *store,
                                        gint64          now,
                                        gint64          keys_before,
                                        gint64          invitation_tokens_before,
                                        QsStorePurged  *purged,
                                        GError        **error);

gboolean     qs_store_meta_set         (QsStore        *store,
                                        const char     *key,
                                        const char     *value,
                                        GError        **error);

/* The answer stored for an idempotency key of (user, organization). */
typedef struct
{
  guint8  body_hash[QS_STORE_TOKEN_HASH_LEN];  /* SHA-256 of the request that made it */
  guint   status;
  char   *response;
} QsStoreIdempotent;

void         qs_store_idempotent_free  (QsStoreIdempotent *record);

/* The record of key made after created_after; NULL without error when
 * there is none. */
QsStoreIdempotent *qs_store_idempotent_find (QsStore     *store,
                                             const char  *user_id,
                                             const char  *org_id,
                                             const char  *key,
                                             gint64       created_after,
                                             GError     **error);
/* Records the answer, replacing an expired record of the same key. */
gboolean     qs_store_idempotent_save  (QsStore        *store,
                                        const char     *user_id,
                                        const char     *org_id,
                                        const char     *key,
                                        const guint8   *body_hash,
                                        guint           status,
                                        const char     *response,
                                        GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsStoreIdempotent, qs_store_idempotent_free)

G_END_DECLS
