/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-store-core.h"
#include "quorum-store-billing.h"
#include "quorum-store-private.h"
#include "quorum-store-member-index-private.h"

struct _QsStore
{
  QsDb          *db;
  QsStoreTxn    *txn;      /* the open transaction, if any */
  QsMemberIndex *members;
  QsCache       *cache;
  char          *default_plan;  /* new organizations' plan */
  char          *path;
  GHashTable    *limit_rooms;   /* rate-limit kind → its room as last counted (quorum-store-limits.c) */
};

struct _QsStoreTxn
{
  QsStore  *store;
  gboolean  done;
};

G_DEFINE_QUARK (qs-store-error-quark, qs_store_error)

int
qs_store_migrate (const char  *database,
                  GError     **error)
{
  QsDb *db = qs_db_open (database, error);
  int version = -1;

  if (db == NULL)
    return -1;
  version = qs_db_schema_version (db);
  qs_db_close (db);
  if (version < 0)
    g_set_error (error, QS_STORE_ERROR, QS_STORE_ERROR_FAILED, "cannot read the schema version");
  return version;
}

QsStore *
qs_store_open (const char  *database,
               GError     **error)
{
  QsDb *db = qs_db_open (database, error);
  QsStore *store;

  if (db == NULL)
    return NULL;
  store = g_new0 (QsStore, 1);
  store->db = db;
  store->path = g_strdup (database);
  store->default_plan = g_strdup (QS_STORE_PLAN_FREE);
  store->members = qs_member_index_new (db, error);
  if (store->members != NULL)
    store->cache = qs_cache_new (db, error);
  if (store->members == NULL || store->cache == NULL)
    {
      qs_store_free (store);
      return NULL;
    }
  return store;
}

void
qs_store_free (QsStore *store)
{
  if (store == NULL)
    return;
  g_return_if_fail (store->txn == NULL);
  qs_member_index_free (store->members);
  qs_cache_free (store->cache);
  qs_db_close (store->db);
  g_free (store->default_plan);
  g_free (store->path);
  g_clear_pointer (&store->limit_rooms, g_hash_table_destroy);
  g_free (store);
}

GHashTable *
qs_store_limit_rooms (QsStore *store)
{
  if (store->limit_rooms == NULL)
    store->limit_rooms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return store->limit_rooms;
}

const char *
qs_store_path (QsStore *store)
{
  return store->path;
}

int
qs_store_schema_version (QsStore *store)
{
  return qs_db_schema_version (store->db);
}

QsDb *
qs_store_db (QsStore *store)
{
  return store->db;
}

/* Other connections' changes reach the member index with the read cache's
 * look (once a request; PostgreSQL replays them through both). */
QsMemberIndex *
qs_store_member_index (QsStore *store)
{
  qs_cache_catch_up (store->cache);
  return store->members;
}

QsCache *
qs_store_cache (QsStore *store)
{
  return store->cache;
}

void
qs_store_request_started (QsStore *store)
{
  qs_cache_pin (store->cache, TRUE);
}

void
qs_store_request_finished (QsStore *store)
{
  qs_cache_pin (store->cache, FALSE);
}

gboolean
qs_store_fail (QsStore  *store,
               GError  **error)
{
  g_set_error_literal (error, QS_STORE_ERROR,
                       qs_db_error_kind (store->db) == QS_DB_ERROR_UNIQUE
                         ? QS_STORE_ERROR_CONFLICT : QS_STORE_ERROR_FAILED,
                       qs_db_error_message (store->db));
  return FALSE;
}

gboolean
qs_store_rows (QsStore         *store,
               QsStmt          *stmt,
               QsStoreRowFunc   from_row,
               gpointer         user_data,
               GPtrArray       *rows,
               GError         **error)
{
  QsStmtResult rc;

  if (stmt == NULL)
    return qs_store_fail (store, error);
  while ((rc = qs_stmt_step (stmt)) == QS_STMT_ROW)
    {
      gpointer row = from_row (stmt, user_data);

      if (row != NULL)
        g_ptr_array_add (rows, row);
    }
  if (rc != QS_STMT_DONE)
    qs_store_fail (store, error);
  qs_stmt_reset (stmt);
  return rc == QS_STMT_DONE;
}

gpointer
qs_store_row (QsStore         *store,
              QsStoreRowFunc   from_row,
              gpointer         user_data,
              GError         **error,
              const char      *sql,
              const char      *fmt,
              ...)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  QsStmt *stmt;
  va_list args;

  va_start (args, fmt);
  stmt = qs_db_prepare_va (qs_store_db (store), sql, fmt, args);
  va_end (args);
  if (!qs_store_rows (store, stmt, from_row, user_data, rows, error) || rows->len == 0)
    return NULL;
  g_assert (rows->len == 1);
  return g_ptr_array_steal_index (rows, 0);
}

QsStoreTxn *
qs_store_begin (QsStore  *store,
                GError  **error)
{
  QsStoreTxn *txn;

  g_return_val_if_fail (store->txn == NULL, NULL);

  if (!qs_db_begin (store->db))
    {
      qs_store_fail (store, error);
      return NULL;
    }
  txn = g_new0 (QsStoreTxn, 1);
  txn->store = store;
  store->txn = txn;
  return txn;
}

gboolean
qs_store_txn_commit (QsStoreTxn  *txn,
                     GError     **error)
{
  g_return_val_if_fail (!txn->done, FALSE);

  txn->done = TRUE;
  txn->store->txn = NULL;
  if (!qs_db_commit (txn->store->db))  /* rolls back itself on failure */
    {
      qs_cache_flush (txn->store->cache);
      g_set_error_literal (error, QS_STORE_ERROR, QS_STORE_ERROR_FAILED,
                           "The transaction could not be committed");
      return FALSE;
    }
  return TRUE;
}

void
qs_store_txn_free (QsStoreTxn *txn)
{
  if (txn == NULL)
    return;
  if (!txn->done)
    {
      qs_db_rollback (txn->store->db);
      /* The cache may hold what the transaction wrote (last activity). */
      qs_cache_flush (txn->store->cache);
      txn->store->txn = NULL;
    }
  g_free (txn);
}

gboolean
qs_store_set_default_plan (QsStore    *store,
                           const char *plan_id)
{
  if (qs_db_int (store->db, 0, "SELECT COUNT(*) FROM plans WHERE id = ?1", "s", plan_id) != 1)
    return FALSE;
  g_free (store->default_plan);
  store->default_plan = g_strdup (plan_id);
  return TRUE;
}

const char *
qs_store_default_plan (QsStore *store)
{
  return store->default_plan;
}
