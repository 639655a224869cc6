/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-server-util.h"
#include "quorum-store-audit.h"
#include "quorum-store-events.h"
#include "quorum-store-private.h"

/* The audit actions that are also webhook event types (EventType in
 * docs/api/openapi.yaml). */
static const char * const event_actions[] = {
  "member.added", "member.removed", "member.updated", "invitation.created", "invitation.accepted",
  "organization.updated", "api_key.created", "api_key.revoked", NULL,
};

void
qs_store_audit_item_free (QsStoreAuditItem *item)
{
  if (item == NULL)
    return;
  g_free (item->id);
  g_free (item->actor_id);
  g_free (item->actor_name);
  g_free (item->actor_kind);
  g_free (item->action);
  g_free (item->target_type);
  g_free (item->target_id);
  g_free (item->target_name);
  g_free (item->changes);
  g_free (item);
}

void
qs_store_audit_page_free (QsStoreAuditPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_free (page);
}

gboolean
qs_store_audit_record (QsStore                  *store,
                       const QsStoreAuditEvent  *event,
                       GError                  **error)
{
  g_autofree char *id = qs_new_id ("evt_");

  g_return_val_if_fail (event->actor_id != NULL && event->actor_name != NULL && event->action != NULL &&
                        event->target_type != NULL && event->target_id != NULL, FALSE);

  if (!qs_db_run (qs_store_db (store),
                  "INSERT INTO audit_events (id, org_id, actor_id, actor_name, actor_kind, action, target_type,"
                  " target_id, target_name, data, changes, created_at)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                  "sssssssssssi", id, event->org_id, event->actor_id, event->actor_name, event->actor_kind,
                  event->action, event->target_type, event->target_id, event->target_name, event->data,
                  event->changes, event->created_at))
    return qs_store_fail (store, error);
  if (g_strv_contains (event_actions, event->action))
    {
      g_return_val_if_fail (event->data != NULL, FALSE);
      /* The webhook event takes the record's id (EventEnvelope). */
      return qs_store_event_emit_as (store, id, event->org_id, event->action, event->data, event->created_at,
                                     error);
    }
  return TRUE;
}

static gpointer
item_from_row (QsStmt   *stmt,
               gpointer  user_data G_GNUC_UNUSED)
{
  QsStoreAuditItem *item = g_new0 (QsStoreAuditItem, 1);

  item->id = qs_stmt_dup_text (stmt, 0);
  item->actor_id = qs_stmt_dup_text (stmt, 1);
  item->actor_name = qs_stmt_dup_text (stmt, 2);
  item->actor_kind = qs_stmt_dup_text (stmt, 3);
  item->action = qs_stmt_dup_text (stmt, 4);
  item->target_type = qs_stmt_dup_text (stmt, 5);
  item->target_id = qs_stmt_dup_text (stmt, 6);
  item->target_name = qs_stmt_dup_text (stmt, 7);
  item->created_at = qs_stmt_int64 (stmt, 8);
  item->seq = qs_stmt_int64 (stmt, 9);
  item->changes = qs_stmt_dup_text (stmt, 10);
  return item;
}

/* One statement for every combination of filters: a NULL parameter matches
 * anything. The indexes (org_id, created_at), (org_id, actor_id,
 * created_at) and (org_id, action, created_at), each ending in seq (the
 * rowid), let SQLite walk the newest rows first. */
#define AUDIT_WHERE \
  " WHERE org_id = ?1 AND (?2 IS NULL OR actor_id = ?2) AND (?3 IS NULL OR action = ?3)" \
  " AND (?4 = 0 OR created_at >= ?4) AND (?5 = 0 OR created_at < ?5)"

QsStoreAuditPage *
qs_store_audit_list (QsStore                  *store,
                     const char               *org_id,
                     const QsStoreAuditFilter *filter,
                     guint                     limit,
                     GError                  **error)
{
  g_autoptr(QsStoreAuditPage) page = g_new0 (QsStoreAuditPage, 1);
  QsDb *db = qs_store_db (store);

  page->items = g_ptr_array_new_with_free_func ((GDestroyNotify) qs_store_audit_item_free);
  if (!qs_store_rows (store,
                      qs_db_prepare (db,
                                     "SELECT id, actor_id, actor_name, actor_kind, action, target_type, target_id,"
                                     " target_name, created_at, seq, changes FROM audit_events" AUDIT_WHERE
                                     " AND (?6 = 0 OR (created_at, seq) < (?7, ?6))"
                                     " ORDER BY created_at DESC, seq DESC LIMIT ?8",
                                     "sssiiiii", org_id, filter->actor_id, filter->action, filter->from,
                                     filter->to, filter->after_seq, filter->after_created_at,
                                     (gint64) limit + 1),
                      item_from_row, NULL, page->items, error))
    return NULL;
  page->more = page->items->len > limit;
  if (page->more)
    g_ptr_array_set_size (page->items, limit);
  page->total = qs_db_int (db, -1, "SELECT COUNT(*) FROM audit_events" AUDIT_WHERE, "sssii", org_id,
                           filter->actor_id, filter->action, filter->from, filter->to);
  if (page->total < 0)
    return qs_store_fail (store, error), NULL;
  return g_steal_pointer (&page);
}
