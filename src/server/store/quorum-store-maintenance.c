/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-store-maintenance.h"
#include "quorum-store-private.h"
#include "quorum-server-util.h"

gboolean
qs_store_purge_expired (QsStore        *store,
                        gint64          now,
                        gint64          keys_before,
                        gint64          invitation_tokens_before,
                        QsStorePurged  *purged,
                        GError        **error)
{
  QsDb *db = qs_store_db (store);

  if (!qs_db_run (db, "DELETE FROM sessions WHERE expires_at <= ?1", "i", now))
    return qs_store_fail (store, error);
  purged->sessions = qs_db_changes (db);
  if (!qs_db_run (db, "UPDATE invitations SET token_hash = randomblob (16)"
                      " WHERE expires_at <= ?1 AND length (token_hash) = 32",
                  "i", invitation_tokens_before))
    return qs_store_fail (store, error);
  purged->invitation_tokens = qs_db_changes (db);
  if (!qs_db_run (db, "DELETE FROM idempotency_keys WHERE created_at <= ?1", "i", keys_before))
    return qs_store_fail (store, error);
  purged->idempotency_keys = qs_db_changes (db);
  if (!qs_db_run (db, "DELETE FROM email_tokens WHERE expires_at <= ?1 OR used_at IS NOT NULL",
                  "i", now))
    return qs_store_fail (store, error);
  purged->email_tokens = qs_db_changes (db);
  return TRUE;
}

gboolean
qs_store_job_claim (QsStore     *store,
                    const char  *job,
                    gboolean    *mine,
                    GError     **error)
{
  if (!qs_db_try_lock (qs_store_db (store), job, mine))
    return qs_store_fail (store, error);
  return TRUE;
}

gboolean
qs_store_meta_set (QsStore     *store,
                   const char  *key,
                   const char  *value,
                   GError     **error)
{
  if (!qs_db_run (qs_store_db (store), "INSERT INTO meta (key, value) VALUES (?1, ?2)"
                  " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                  "ss", key, value))
    return qs_store_fail (store, error);
  return TRUE;
}

void
qs_store_idempotent_free (QsStoreIdempotent *record)
{
  if (record == NULL)
    return;
  g_free (record->response);
  g_free (record);
}

static gpointer
idempotent_from_row (QsStmt   *stmt,
                     gpointer  user_data)
{
  QsStoreIdempotent *record = g_new0 (QsStoreIdempotent, 1);
  gsize size = 0;
  const guint8 *body_hash = qs_stmt_blob (stmt, 0, &size);

  if (size == QS_STORE_TOKEN_HASH_LEN)
    memcpy (record->body_hash, body_hash, QS_STORE_TOKEN_HASH_LEN);
  record->status = qs_stmt_int (stmt, 1);
  record->response = qs_stmt_dup_text (stmt, 2);
  return record;
}

QsStoreIdempotent *
qs_store_idempotent_find (QsStore     *store,
                          const char  *user_id,
                          const char  *org_id,
                          const char  *key,
                          gint64       created_after,
                          GError     **error)
{
  return qs_store_row (store, idempotent_from_row, NULL, error,
                       "SELECT body_hash, status, response FROM idempotency_keys"
                       " WHERE user_id = ?1 AND org_id = ?2 AND key = ?3"
                       " AND created_at > ?4",
                       "sssi", user_id, org_id, key, created_after);
}

gboolean
qs_store_idempotent_save (QsStore     *store,
                          const char  *user_id,
                          const char  *org_id,
                          const char  *key,
                          const guint8 *body_hash,
                          guint        status,
                          const char  *response,
                          GError     **error)
{
  if (!qs_db_run (qs_store_db (store),
                  "INSERT INTO idempotency_keys"
                  " (user_id, org_id, key, body_hash, status, response, created_at)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                  " ON CONFLICT (user_id, org_id, key) DO UPDATE SET body_hash = excluded.body_hash,"
                  " status = excluded.status, response = excluded.response, created_at = excluded.created_at",
                  "sssbisi", user_id, org_id, key, body_hash, (gsize) QS_STORE_TOKEN_HASH_LEN,
                  (gint64) status, response, qs_now ()))
    return qs_store_fail (store, error);
  return TRUE;
}
