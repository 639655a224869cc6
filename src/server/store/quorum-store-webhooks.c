/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-server-util.h"
#include "quorum-store-private.h"
#include "quorum-store-webhooks.h"

static const char * const delivery_statuses[] = { "pending", "succeeded", "failed" };

void
qs_store_webhook_free (QsStoreWebhook *webhook)
{
  if (webhook == NULL)
    return;
  g_free (webhook->id);
  g_free (webhook->org_id);
  g_free (webhook->url);
  g_strfreev (webhook->events);
  g_free (webhook->description);
  g_free (webhook->secret);
  g_free (webhook->disabled_reason);
  g_free (webhook);
}

void
qs_store_delivery_free (QsStoreDelivery *delivery)
{
  if (delivery == NULL)
    return;
  g_free (delivery->id);
  g_free (delivery->webhook_id);
  g_free (delivery->event_id);
  g_free (delivery->event_type);
  g_free (delivery->error);
  g_free (delivery);
}

void
qs_store_due_delivery_free (QsStoreDueDelivery *due)
{
  if (due == NULL)
    return;
  qs_store_delivery_free (due->delivery);
  g_free (due->org_id);
  g_free (due->url);
  g_free (due->secret);
  g_free (due->event_data);
  g_free (due);
}

void
qs_store_webhook_page_free (QsStoreWebhookPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_free (page);
}

const char *
qs_store_delivery_status_name (QsStoreDeliveryStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (delivery_statuses), NULL);
  return delivery_statuses[status];
}

static QsStoreDeliveryStatus
delivery_status_from_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (delivery_statuses); i++)
    if (g_strcmp0 (name, delivery_statuses[i]) == 0)
      return i;
  return QS_STORE_DELIVERY_FAILED;
}

/* ---------------------------------------------------------------- webhooks */

#define WEBHOOK_COLUMNS \
  "id, org_id, url, events, description, enabled, secret, version, failures, disabled_reason, created_at"

static gpointer
webhook_from_row (QsStmt   *stmt,
                  gpointer  user_data)
{
  QsStoreWebhook *webhook = g_new0 (QsStoreWebhook, 1);
  const char *events = qs_stmt_text (stmt, 3);

  webhook->id = qs_stmt_dup_text (stmt, 0);
  webhook->org_id = qs_stmt_dup_text (stmt, 1);
  webhook->url = qs_stmt_dup_text (stmt, 2);
  webhook->events = g_strsplit (events != NULL ? events : "", ",", -1);
  webhook->description = qs_stmt_dup_text (stmt, 4);
  webhook->enabled = qs_stmt_int (stmt, 5) != 0;
  webhook->secret = qs_stmt_dup_text (stmt, 6);
  webhook->version = qs_stmt_int64 (stmt, 7);
  webhook->failures = qs_stmt_int64 (stmt, 8);
  webhook->disabled_reason = qs_stmt_dup_text (stmt, 9);
  webhook->created_at = qs_stmt_int64 (stmt, 10);
  return webhook;
}

gint64
qs_store_webhook_count (QsStore     *store,
                        const char  *org_id,
                        GError     **error)
{
  gint64 count = qs_db_int (qs_store_db (store), -1, "SELECT COUNT(*) FROM webhooks WHERE org_id = ?1", "s", org_id);

  if (count < 0)
    qs_store_fail (store, error);
  return count;
}

gboolean
qs_store_webhook_insert (QsStore               *store,
                         const QsStoreWebhook  *webhook,
                         GError               **error)
{
  g_autofree char *events = g_strjoinv (",", webhook->events);

  if (!qs_db_run (qs_store_db (store),
                  "INSERT INTO webhooks (id, org_id, url, events, description, enabled, secret, version,"
                  " failures, disabled_reason, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, 0, NULL, ?8)",
                  "sssssisi", webhook->id, webhook->org_id, webhook->url, events, webhook->description,
                  (gint64) (webhook->enabled ? 1 : 0), webhook->secret, webhook->created_at))
    return qs_store_fail (store, error);
  return TRUE;
}

QsStoreWebhook *
qs_store_webhook_get (QsStore     *store,
                      const char  *org_id,
                      const char  *webhook_id,
                      GError     **error)
{
  return qs_store_row (store, webhook_from_row, NULL, error,
                       "SELECT " WEBHOOK_COLUMNS " FROM webhooks WHERE id = ?1 AND org_id = ?2",
                       "ss", webhook_id, org_id);
}

static QsStoreWebhookPage *
page_finish (QsStoreWebhookPage *page,
             guint               limit)
{
  page->more = page->items->len > limit;
  if (page->more)
    g_ptr_array_set_size (page->items, limit);
  return page;
}

QsStoreWebhookPage *
qs_store_webhook_list (QsStore     *store,
                       const char  *org_id,
                       gint64       after_created_at,
                       const char  *after_id,
                       guint        limit,
                       GError     **error)
{
  QsDb *db = qs_store_db (store);
  g_autoptr(QsStoreWebhookPage) page = g_new0 (QsStoreWebhookPage, 1);

  page->items = g_ptr_array_new_with_free_func ((GDestroyNotify) qs_store_webhook_free);
  page->total = qs_db_int (db, -1, "SELECT COUNT(*) FROM webhooks WHERE org_id = ?1", "s", org_id);
  if (page->total < 0 ||
      !qs_store_rows (store,
                      after_id != NULL
                        ? qs_db_prepare (db,
                                         "SELECT " WEBHOOK_COLUMNS " FROM webhooks WHERE org_id = ?1"
                                         " AND (created_at, id) < (?2, ?3) ORDER BY created_at DESC, id DESC LIMIT ?4",
                                         "sisi", org_id, after_created_at, after_id, (gint64) limit + 1)
                        : qs_db_prepare (db,
                                         "SELECT " WEBHOOK_COLUMNS " FROM webhooks WHERE org_id = ?1"
                                         " ORDER BY created_at DESC, id DESC LIMIT ?2",
                                         "si", org_id, (gint64) limit + 1),
                      webhook_from_row, NULL, page->items, error))
    {
      qs_store_fail (store, error);
      return NULL;
    }
  return page_finish (g_steal_pointer (&page), limit);
}

gboolean
qs_store_webhook_update (QsStore               *store,
                         const QsStoreWebhook  *webhook,
                         GError               **error)
{
  QsDb *db = qs_store_db (store);
  g_autofree char *events = g_strjoinv (",", webhook->events);

  /* Enabling again starts a fresh count and clears the server's reason. */
  if (!qs_db_run (db,
                  "UPDATE webhooks SET url = ?2, events = ?3, description = ?4, enabled = ?5,"
                  " version = version + 1,"
                  " failures = CASE WHEN ?5 = 1 AND enabled = 0 THEN 0 ELSE failures END,"
                  " disabled_reason = CASE WHEN ?5 = 1 THEN NULL ELSE disabled_reason END"
                  " WHERE id = ?1",
                  "ssssi", webhook->id, webhook->url, events, webhook->description,
                  (gint64) (webhook->enabled ? 1 : 0)))
    return qs_store_fail (store, error);
  /* A disabled webhook gets no more automatic tries. */
  if (!webhook->enabled &&
      !qs_db_run (db,
                  "UPDATE webhook_deliveries SET due_ms = NULL WHERE webhook_id = ?1 AND status = 'failed'"
                  " AND due_ms IS NOT NULL AND manual = 0",
                  "s", webhook->id))
    return qs_store_fail (store, error);
  return TRUE;
}

gboolean
qs_store_webhook_set_secret (QsStore     *store,
                             const char  *webhook_id,
                             const char  *secret,
                             GError     **error)
{
  if (!qs_db_run (qs_store_db (store), "UPDATE webhooks SET secret = ?2 WHERE id = ?1", "ss", webhook_id, secret))
    return qs_store_fail (store, error);
  return TRUE;
}

gboolean
qs_store_webhook_delete (QsStore     *store,
                         const char  *webhook_id,
                         GError     **error)
{
  /* Its tries go with it (ON DELETE CASCADE), pending ones included. */
  if (!qs_db_run (qs_store_db (store), "DELETE FROM webhooks WHERE id = ?1", "s", webhook_id))
    return qs_store_fail (store, error);
  return TRUE;
}

/* -------------------------------------------------------------- deliveries */

#define DELIVERY_COLUMNS \
  "d.seq, d.id, d.webhook_id, d.event_id, d.event_type, d.attempt, d.manual, d.status, d.response_status," \
  " d.duration_ms, d.error, d.created_at, d.due_ms"
#define N_DELIVERY_COLUMNS 13

static QsStoreDelivery *
delivery_from_columns (QsStmt *stmt)
{
  QsStoreDelivery *delivery = g_new0 (QsStoreDelivery, 1);

  delivery->seq = qs_stmt_int64 (stmt, 0);
  delivery->id = qs_stmt_dup_text (stmt, 1);
  delivery->webhook_id = qs_stmt_dup_text (stmt, 2);
  delivery->event_id = qs_stmt_dup_text (stmt, 3);
  delivery->event_type = qs_stmt_dup_text (stmt, 4);
  delivery->attempt = qs_stmt_int64 (stmt, 5);
  delivery->manual = qs_stmt_int (stmt, 6) != 0;
  delivery->status = delivery_status_from_name (qs_stmt_text (stmt, 7));
  delivery->response_status = qs_stmt_is_null (stmt, 8) ? 0 : qs_stmt_int64 (stmt, 8);
  delivery->duration_ms = qs_stmt_is_null (stmt, 9) ? -1 : qs_stmt_int64 (stmt, 9);
  delivery->error = qs_stmt_dup_text (stmt, 10);
  delivery->created_at = qs_stmt_int64 (stmt, 11);
  delivery->due_ms = qs_stmt_is_null (stmt, 12) ? -1 : qs_stmt_int64 (stmt, 12);
  return delivery;
}

static gpointer
delivery_from_row (QsStmt   *stmt,
                   gpointer  user_data)
{
  return delivery_from_columns (stmt);
}

QsStoreWebhookPage *
qs_store_delivery_list (QsStore     *store,
                        const char  *webhook_id,
                        gint64       after_seq,
                        guint        limit,
                        GError     **error)
{
  QsDb *db = qs_store_db (store);
  g_autoptr(QsStoreWebhookPage) page = g_new0 (QsStoreWebhookPage, 1);

  page->items = g_ptr_array_new_with_free_func ((GDestroyNotify) qs_store_delivery_free);
  page->total = qs_db_int (db, -1, "SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = ?1", "s", webhook_id);
  if (page->total < 0 ||
      !qs_store_rows (store,
                      after_seq > 0
                        ? qs_db_prepare (db,
                                         "SELECT " DELIVERY_COLUMNS " FROM webhook_deliveries d WHERE d.webhook_id = ?1"
                                         " AND d.seq < ?2 ORDER BY d.seq DESC LIMIT ?3",
                                         "sii", webhook_id, after_seq, (gint64) limit + 1)
                        : qs_db_prepare (db,
                                         "SELECT " DELIVERY_COLUMNS " FROM webhook_deliveries d WHERE d.webhook_id = ?1"
                                         " ORDER BY d.seq DESC LIMIT ?2",
                                         "si", webhook_id, (gint64) limit + 1),
                      delivery_from_row, NULL, page->items, error))
    {
      qs_store_fail (store, error);
      return NULL;
    }
  return page_finish (g_steal_pointer (&page), limit);
}

QsStoreDelivery *
qs_store_delivery_get (QsStore     *store,
                       const char  *webhook_id,
                       const char  *delivery_id,
                       GError     **error)
{
  return qs_store_row (store, delivery_from_row, NULL, error,
                       "SELECT " DELIVERY_COLUMNS " FROM webhook_deliveries d WHERE d.id = ?1 AND d.webhook_id = ?2",
                       "ss", delivery_id, webhook_id);
}

gboolean
qs_store_event_insert (QsStore     *store,
                       const char  *event_id,
                       const char  *org_id,
                       const char  *type,
                       const char  *data,
                       gint64       now,
                       GError     **error)
{
  if (!qs_db_run (qs_store_db (store),
                  "INSERT INTO events (id, org_id, type, data, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                  "ssssi", event_id, org_id, type, data, now))
    return qs_store_fail (store, error);
  return TRUE;
}

static gboolean
insert_try (QsStore     *store,
            const char  *id,
            const char  *webhook_id,
            const char  *event_id,
            const char  *type,
            gint64       attempt,
            gboolean     manual,
            gint64       now,
            const char  *claimer,
            gint64       claimed_until,
            GError     **error)
{
  /* claimer NULL: not claimed (claimed_until is then ignored). */
  if (claimer == NULL
        ? !qs_db_run (qs_store_db (store),
                      "INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, attempt, manual, status,"
                      " created_at, due_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?8)",
                      "ssssiiii", id, webhook_id, event_id, type, attempt, (gint64) (manual ? 1 : 0), now,
                      now * 1000)
        : !qs_db_run (qs_store_db (store),
                      "INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, attempt, manual, status,"
                      " created_at, due_ms, claimed_until, claimed_by)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?8, ?9, ?10)",
                      "ssssiiiiis", id, webhook_id, event_id, type, attempt, (gint64) (manual ? 1 : 0), now,
                      now * 1000, claimed_until, claimer))
    return qs_store_fail (store, error);
  return TRUE;
}

gint64
qs_store_delivery_count_manual_waiting (QsStore     *store,
                                        const char  *webhook_id,
                                        GError     **error)
{
  gint64 count = qs_db_int (qs_store_db (store), -1,
                            "SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = ?1 AND manual = 1"
                            " AND status = 'pending'",
                            "s", webhook_id);

  if (count < 0)
    qs_store_fail (store, error);
  return count;
}

QsStoreDelivery *
qs_store_delivery_queue_manual (QsStore     *store,
                                const char  *webhook_id,
                                const char  *event_id,
                                gint64       now,
                                GError     **error)
{
  g_autofree char *id = qs_new_id ("dlv_");
  g_autofree char *type = NULL;
  QsStmt *stmt = qs_db_prepare (qs_store_db (store), "SELECT type FROM events WHERE id = ?1", "s", event_id);

  if (stmt == NULL)
    {
      qs_store_fail (store, error);
      return NULL;
    }
  if (qs_stmt_next (stmt))
    type = qs_stmt_dup_text (stmt, 0);
  qs_stmt_reset (stmt);
  if (type == NULL)
    {
      g_set_error (error, QS_STORE_ERROR, QS_STORE_ERROR_FAILED, "no event %s", event_id);
      return NULL;
    }
  if (!insert_try (store, id, webhook_id, event_id, type, 1, TRUE, now, NULL, 0, error))
    return NULL;
  return qs_store_delivery_get (store, webhook_id, id, error);
}

/* TRUE when the comma-separated names of events hold type. */
static gboolean
events_include (const char *events,
                const char *type)
{
  gsize len = strlen (type);

  for (const char *p = events; p != NULL; )
    {
      const char *comma = strchr (p, ',');
      gsize n = comma != NULL ? (gsize) (comma - p) : strlen (p);

      if (n == len && strncmp (p, type, len) == 0)
        return TRUE;
      p = comma != NULL ? comma + 1 : NULL;
    }
  return FALSE;
}

gboolean
qs_store_deliveries_queue (QsStore     *store,
                           const char  *org_id,
                           const char  *event_id,
                           const char  *type,
                           gint64       now,
                           GError     **error)
{
  QsDb *db = qs_store_db (store);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  QsStmt *stmt = qs_db_prepare (db, "SELECT id, events FROM webhooks WHERE org_id = ?1 AND enabled = 1",
                                "s", org_id);
  QsStmtResult rc;

  if (stmt == NULL)
    return qs_store_fail (store, error);
  /* The type among the comma-separated events, compared here: no string
   * search function is spelled alike in SQLite and PostgreSQL. */
  while ((rc = qs_stmt_step (stmt)) == QS_STMT_ROW)
    if (events_include (qs_stmt_text (stmt, 1), type))
      g_ptr_array_add (ids, qs_stmt_dup_text (stmt, 0));
  qs_stmt_reset (stmt);
  if (rc != QS_STMT_DONE)
    return qs_store_fail (store, error);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *id = qs_new_id ("dlv_");

      if (!insert_try (store, id, g_ptr_array_index (ids, i), event_id, type, 1, FALSE, now, NULL, 0, error))
        return FALSE;
    }
  return TRUE;
}

static gpointer
due_from_row (QsStmt   *stmt,
              gpointer  user_data)
{
  QsStoreDueDelivery *due = g_new0 (QsStoreDueDelivery, 1);
  int col = N_DELIVERY_COLUMNS;

  due->delivery = delivery_from_columns (stmt);
  due->org_id = qs_stmt_dup_text (stmt, col);
  due->url = qs_stmt_dup_text (stmt, col + 1);
  due->secret = qs_stmt_dup_text (stmt, col + 2);
  due->enabled = qs_stmt_int (stmt, col + 3) != 0;
  due->event_data = qs_stmt_dup_text (stmt, col + 4);
  due->event_created_at = qs_stmt_int64 (stmt, col + 5);
  if (due->event_data == NULL)
    due->event_data = g_strdup ("{}");
  return due;
}

/* The claim, on both backends: each organization's first per_org due rows
 * by due time (claimed ones counted: an organization has at most per_org
 * tries in flight over all instances), of them the unclaimed ones (never
 * claimed, or their lease over), soonest first, at most limit. A backlog of
 * one organization (webhooks pointed at a tarpit) never hides the others'
 * rows. PostgreSQL locks the rows it takes and skips those another
 * instance's claim holds locked at that moment; a row another instance
 * changed since this statement's snapshot is judged again in its newest
 * version (READ COMMITTED), by the conditions on c only: so they repeat
 * the due ones, else a row claimed, sent and finished by another instance
 * meanwhile (due_ms NULL, claim cleared) would be taken again. SQLite has
 * one writer at a time (the caller's write transaction), and no SKIP
 * LOCKED. */
#define CLAIM_SQL(lock) \
  "UPDATE webhook_deliveries SET claimed_until = ?2, claimed_by = ?3 WHERE id IN" \
  " (SELECT c.id FROM webhook_deliveries c" \
  "  WHERE c.id IN (SELECT ranked.id FROM" \
  "   (SELECT d2.id, ROW_NUMBER () OVER (PARTITION BY w2.org_id ORDER BY d2.due_ms, d2.seq) AS n" \
  "    FROM webhook_deliveries d2 JOIN webhooks w2 ON w2.id = d2.webhook_id" \
  "    WHERE d2.due_ms IS NOT NULL AND d2.due_ms <= ?1) AS ranked" \
  "   WHERE ranked.n <= ?5)" \
  "  AND c.due_ms IS NOT NULL AND c.due_ms <= ?1 AND (c.claimed_until IS NULL OR c.claimed_until <= ?1)" \
  "  ORDER BY c.due_ms, c.seq LIMIT ?4" lock ")"

GPtrArray *
qs_store_deliveries_claim (QsStore     *store,
                           gint64       now_ms,
                           gint64       until_ms,
                           const char  *claimer,
                           guint        limit,
                           guint        per_org,
                           GError     **error)
{
  QsDb *db = qs_store_db (store);
  gboolean postgresql = g_str_equal (qs_db_backend_name (db), "postgresql");
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) qs_store_due_delivery_free);

  if (!qs_db_run (db, postgresql ? CLAIM_SQL (" FOR UPDATE SKIP LOCKED") : CLAIM_SQL (""),
                  "iisii", now_ms, until_ms, claimer, (gint64) limit, (gint64) per_org))
    {
      qs_store_fail (store, error);
      return NULL;
    }
  if (!qs_store_rows (store,
                      qs_db_prepare (db,
                                     "SELECT " DELIVERY_COLUMNS ", w.org_id, w.url, w.secret, w.enabled, e.data,"
                                     " e.created_at FROM webhook_deliveries d"
                                     " JOIN webhooks w ON w.id = d.webhook_id"
                                     " LEFT JOIN events e ON e.id = d.event_id"
                                     /* claimed rows are due: the due index */
                                     " WHERE d.due_ms IS NOT NULL AND d.claimed_by = ?1 AND d.claimed_until = ?2"
                                     " ORDER BY d.due_ms, d.seq",
                                     "si", claimer, until_ms),
                      due_from_row, NULL, rows, error))
    return NULL;
  return g_steal_pointer (&rows);
}

gint64
qs_store_deliveries_claimable (QsStore     *store,
                               gint64       now_ms,
                               GError     **error)
{
  gint64 n = qs_db_int (qs_store_db (store), -1,
                        "SELECT COUNT(*) FROM (SELECT 1 FROM webhook_deliveries WHERE due_ms IS NOT NULL"
                        " AND due_ms <= ?1 AND (claimed_until IS NULL OR claimed_until <= ?1) LIMIT 1) AS due",
                        "i", now_ms);

  if (n < 0)
    qs_store_fail (store, error);
  return n;
}

gboolean
qs_store_deliveries_release (QsStore     *store,
                             const char  *claimer,
                             GError     **error)
{
  if (!qs_db_run (qs_store_db (store),
                  "UPDATE webhook_deliveries SET claimed_until = NULL, claimed_by = NULL"
                  " WHERE due_ms IS NOT NULL AND claimed_by = ?1",
                  "s", claimer))
    return qs_store_fail (store, error);
  return TRUE;
}

QsStoreDelivery *
qs_store_delivery_start_retry (QsStore     *store,
                               const char  *failed_id,
                               gint64       now,
                               const char  *claimer,
                               gint64       claimed_until,
                               GError     **error)
{
  g_autoptr(QsStoreDelivery) failed = NULL;
  g_autofree char *id = qs_new_id ("dlv_");

  failed = qs_store_row (store, delivery_from_row, NULL, error,
                         "SELECT " DELIVERY_COLUMNS " FROM webhook_deliveries d WHERE d.id = ?1", "s", failed_id);
  if (failed == NULL)
    return NULL;
  if (!qs_db_run (qs_store_db (store),
                  "UPDATE webhook_deliveries SET due_ms = NULL, claimed_until = NULL, claimed_by = NULL WHERE id = ?1",
                  "s", failed_id))
    {
      qs_store_fail (store, error);
      return NULL;
    }
  if (!insert_try (store, id, failed->webhook_id, failed->event_id, failed->event_type, failed->attempt + 1,
                   failed->manual, now, claimer, claimed_until, error))
    return NULL;
  return qs_store_delivery_get (store, failed->webhook_id, id, error);
}

gboolean
qs_store_delivery_finish (QsStore                      *store,
                          const QsStoreDeliveryResult  *result,
                          gboolean                     *disabled,
                          GError                      **error)
{
  QsDb *db = qs_store_db (store);
  g_autofree char *webhook_id = NULL;
  QsStmt *stmt;

  *disabled = FALSE;
  stmt = qs_db_prepare (db, "SELECT webhook_id FROM webhook_deliveries WHERE id = ?1", "s", result->delivery_id);
  if (stmt == NULL)
    return qs_store_fail (store, error);
  if (qs_stmt_next (stmt))
    webhook_id = qs_stmt_dup_text (stmt, 0);
  qs_stmt_reset (stmt);
  if (webhook_id == NULL)
    return TRUE;  /* the webhook was deleted meanwhile */

  if (!qs_db_run (db,
                  "UPDATE webhook_deliveries SET status = ?2, response_status = NULLIF (?3, 0),"
                  " duration_ms = CASE WHEN ?4 < 0 THEN NULL ELSE ?4 END, error = ?5,"
                  " due_ms = CASE WHEN ?6 < 0 THEN NULL ELSE ?6 END, claimed_until = NULL, claimed_by = NULL"
                  " WHERE id = ?1",
                  "ssiisi", result->delivery_id, result->succeeded ? "succeeded" : "failed",
                  result->response_status, result->duration_ms, result->error, result->retry_ms))
    return qs_store_fail (store, error);

  if (result->counts)
    {
      if (result->succeeded)
        {
          if (!qs_db_run (db, "UPDATE webhooks SET failures = 0 WHERE id = ?1", "s", webhook_id))
            return qs_store_fail (store, error);
        }
      else
        {
          gint64 failures;

          if (!qs_db_run (db, "UPDATE webhooks SET failures = failures + 1 WHERE id = ?1", "s", webhook_id))
            return qs_store_fail (store, error);
          failures = qs_db_int (db, 0, "SELECT failures FROM webhooks WHERE id = ?1 AND enabled = 1", "s", webhook_id);
          if (result->failure_limit > 0 && failures >= result->failure_limit)
            {
              /* Disabled by the server: no more automatic tries, and the
               * owner reads why. Enabling it again (PATCH) clears both. */
              if (!qs_db_run (db,
                              "UPDATE webhooks SET enabled = 0, disabled_reason = ?2, version = version + 1"
                              " WHERE id = ?1",
                              "ss", webhook_id, result->disabled_reason) ||
                  !qs_db_run (db,
                              "UPDATE webhook_deliveries SET due_ms = NULL WHERE webhook_id = ?1"
                              " AND status = 'failed' AND due_ms IS NOT NULL AND manual = 0",
                              "s", webhook_id))
                return qs_store_fail (store, error);
              *disabled = TRUE;
            }
        }
    }

  /* The log keeps the newest tries; older finished ones go (never one that
   * is pending or due: the queue needs those). */
  if (result->keep > 0 &&
      !qs_db_run (db,
                  "DELETE FROM webhook_deliveries WHERE webhook_id = ?1 AND status != 'pending' AND due_ms IS NULL"
                  " AND seq <= (SELECT seq FROM webhook_deliveries WHERE webhook_id = ?1"
                  "             ORDER BY seq DESC LIMIT 1 OFFSET ?2)",
                  "si", webhook_id, result->keep))
    return qs_store_fail (store, error);
  return TRUE;
}

gboolean
qs_store_events_prune (QsStore     *store,
                       gint64       before,
                       guint       *pruned,
                       GError     **error)
{
  QsDb *db = qs_store_db (store);

  if (!qs_db_run (db,
                  "DELETE FROM events WHERE created_at < ?1 AND NOT EXISTS"
                  " (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = events.id)",
                  "i", before))
    return qs_store_fail (store, error);
  *pruned = qs_db_changes (db);
  return TRUE;
}
