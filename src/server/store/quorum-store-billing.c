/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "quorum-server-util.h"
#include "quorum-store-audit.h"
#include "quorum-store-billing.h"
#include "quorum-store-events.h"
#include "quorum-store-private.h"

#define PLAN_COLUMNS "p.id, p.name, p.price_cents, p.currency, p.seat_limit, p.included_credits," \
                     " p.overage_cents_per_1000"

static void month_bounds (gint64 now, gint64 *start, gint64 *end, int *year);

static const char * const ledger_kinds[] = {
  [QS_STORE_LEDGER_TOP_UP] = "top_up",
  [QS_STORE_LEDGER_USAGE] = "usage",
  [QS_STORE_LEDGER_PLAN] = "plan",
};

void
qs_store_plan_free (QsStorePlan *plan)
{
  if (plan == NULL)
    return;
  g_free (plan->id);
  g_free (plan->name);
  g_free (plan->currency);
  g_free (plan);
}

void
qs_store_billing_free (QsStoreBilling *billing)
{
  if (billing == NULL)
    return;
  g_free (billing->org_id);
  g_free (billing->org_name);
  qs_store_plan_free (billing->plan);
  g_free (billing);
}

void
qs_store_usage_item_free (QsStoreUsageItem *item)
{
  if (item == NULL)
    return;
  g_free (item->key);
  g_free (item);
}

void
qs_store_invoice_free (QsStoreInvoice *invoice)
{
  if (invoice == NULL)
    return;
  g_free (invoice->id);
  g_free (invoice->org_id);
  g_free (invoice->number);
  g_free (invoice->currency);
  g_free (invoice);
}

void
qs_store_invoice_page_free (QsStoreInvoicePage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->invoices, g_ptr_array_unref);
  g_free (page);
}

void
qs_store_ledger_entry_free (QsStoreLedgerEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->description);
  g_free (entry);
}

void
qs_store_ledger_item_free (QsStoreLedgerItem *item)
{
  if (item == NULL)
    return;
  g_free (item->currency);
  g_free (item->description);
  g_free (item);
}

void
qs_store_ledger_page_free (QsStoreLedgerPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->entries, g_ptr_array_unref);
  g_free (page);
}

static gpointer
fail (QsStore  *store,
      GError  **error)
{
  qs_store_fail (store, error);
  return NULL;
}

/* ------------------------------------------------------------------ plans */

static QsStorePlan *
plan_from_columns (QsStmt *stmt,
                   int     col)
{
  QsStorePlan *plan = g_new0 (QsStorePlan, 1);

  plan->id = qs_stmt_dup_text (stmt, col);
  plan->name = qs_stmt_dup_text (stmt, col + 1);
  plan->price_cents = qs_stmt_int64 (stmt, col + 2);
  plan->currency = qs_stmt_dup_text (stmt, col + 3);
  plan->seat_limit = qs_stmt_is_null (stmt, col + 4) ? 0 : qs_stmt_int64 (stmt, col + 4);
  plan->included_credits = qs_stmt_int64 (stmt, col + 5);
  plan->overage_cents_per_1000 = qs_stmt_int64 (stmt, col + 6);
  return plan;
}

static gpointer
plan_from_row (QsStmt   *stmt,
               gpointer  user_data)
{
  return plan_from_columns (stmt, 0);
}

GPtrArray *
qs_store_plans_list (QsStore  *store,
                     GError  **error)
{
  g_autoptr(GPtrArray) plans = g_ptr_array_new_with_free_func ((GDestroyNotify) qs_store_plan_free);

  if (!qs_store_rows (store,
                      qs_db_prepare (qs_store_db (store),
                                     "SELECT " PLAN_COLUMNS " FROM plans p ORDER BY p.price_cents, p.position", ""),
                      plan_from_row, NULL, plans, error))
    return NULL;
  return g_steal_pointer (&plans);
}

QsStorePlan *
qs_store_plan_get (QsStore     *store,
                   const char  *plan_id,
                   GError     **error)
{
  return qs_store_row (store, plan_from_row, NULL, error,
                       "SELECT " PLAN_COLUMNS " FROM plans p WHERE p.id = ?1", "s", plan_id);
}

/* -------------------------------------------------------- billing account */

gboolean
qs_store_billing_open (QsStore     *store,
                       const char  *org_id,
                       const char  *plan_id,
                       GError     **error)
{
  gint64 start, end;

  /* The month it opens in is not charged (a paid plan chosen later is). */
  month_bounds (qs_now (), &start, &end, NULL);
  if (!qs_db_run (qs_store_db (store),
                  "INSERT INTO billing_accounts (org_id, plan_id, paid_through, window_as_of)"
                  " VALUES (?1, ?2, ?3, ?4)",
                  "ssii", org_id, plan_id, end, qs_now () / 86400))
    return qs_store_fail (store, error);
  return TRUE;
}

gint64
qs_store_billing_seats_used (QsStore     *store,
                             const char  *org_id,
                             gint64       now,
                             GError     **error)
{
  gint64 members = qs_db_int (qs_store_db (store), -1,
                              "SELECT COUNT(*) FROM members WHERE org_id = ?1", "s", org_id);
  gint64 invited = qs_db_int (qs_store_db (store), -1,
                              "SELECT COUNT(*) FROM invitations WHERE org_id = ?1 AND status = 'pending'"
                              " AND expires_at > ?2", "si", org_id, now);

  if (members < 0 || invited < 0)
    {
      qs_store_fail (store, error);
      return -1;
    }
  return members + invited;
}

static gpointer
billing_from_row (QsStmt   *stmt,
                  gpointer  user_data)
{
  QsStoreBilling *billing = g_new0 (QsStoreBilling, 1);

  billing->org_id = qs_stmt_dup_text (stmt, 0);
  billing->org_name = qs_stmt_dup_text (stmt, 1);
  billing->balance_cents = qs_stmt_int64 (stmt, 2);
  billing->has_alert = !qs_stmt_is_null (stmt, 3);
  billing->low_balance_alert_cents = qs_stmt_int64 (stmt, 3);
  billing->version = qs_stmt_int64 (stmt, 4);
  billing->plan = plan_from_columns (stmt, 5);
  return billing;
}

QsStoreBilling *
qs_store_billing_get (QsStore     *store,
                      const char  *org_id,
                      gint64       now,
                      GError     **error)
{
  g_autoptr(QsStoreBilling) billing = NULL;
  GError *local = NULL;

  billing = qs_store_row (store, billing_from_row, NULL, &local,
                          "SELECT b.org_id, o.name, b.balance_cents, b.low_balance_alert_cents, b.version, "
                          PLAN_COLUMNS " FROM billing_accounts b JOIN organizations o ON o.id = b.org_id"
                          " JOIN plans p ON p.id = b.plan_id WHERE b.org_id = ?1", "s", org_id);
  if (billing == NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  billing->seats_used = qs_store_billing_seats_used (store, org_id, now, error);
  if (billing->seats_used < 0)
    return NULL;
  return g_steal_pointer (&billing);
}

gboolean
qs_store_billing_seat_available (QsStore     *store,
                                 const char  *org_id,
                                 gint64       now,
                                 gint64      *used,
                                 gint64      *limit,
                                 GError     **error)
{
  QsDb *db = qs_store_db (store);

  *limit = qs_db_int (db, -1,
                      "SELECT COALESCE(p.seat_limit, 0) FROM billing_accounts b JOIN plans p ON p.id = b.plan_id"
                      " WHERE b.org_id = ?1", "s", org_id);
  if (*limit < 0)
    {
      g_set_error_literal (error, QS_STORE_ERROR, QS_STORE_ERROR_FAILED, "no billing account");
      return FALSE;
    }
  *used = 0;
  if (*limit == 0)
    return TRUE;  /* unlimited: no need to count */
  *used = qs_store_billing_seats_used (store, org_id, now, error);
  if (*used < 0)
    return FALSE;
  return *limit == 0 || *used < *limit;
}

gboolean
qs_store_billing_set_alert (QsStore     *store,
                            const char  *org_id,
                            gboolean     has_alert,
                            gint64       alert_cents,
                            GError     **error)
{
  /* below_alert follows the balance, so the next charge that crosses fires. */
  if (!(has_alert
        ? qs_db_run (qs_store_db (store),
                     "UPDATE billing_accounts SET low_balance_alert_cents = ?2,"
                     " below_alert = CASE WHEN balance_cents < ?2 THEN 1 ELSE 0 END, version = version + 1"
                     " WHERE org_id = ?1",
                     "si", org_id, alert_cents)
        : qs_db_run (qs_store_db (store),
                     "UPDATE billing_accounts SET low_balance_alert_cents = NULL, below_alert = 0,"
                     " version = version + 1 WHERE org_id = ?1", "s", org_id)))
    return qs_store_fail (store, error);
  return TRUE;
}

gboolean
qs_store_billing_set_plan (QsStore     *store,
                           const char  *org_id,
                           const char  *plan_id,
                           GError     **error)
{
  if (!qs_db_run (qs_store_db (store),
                  "UPDATE billing_accounts SET plan_id = ?2, version = version + 1 WHERE org_id = ?1",
                  "ss", org_id, plan_id))
    return qs_store_fail (store, error);
  return TRUE;
}

gboolean
qs_store_billing_set_paid_through (QsStore     *store,
                                   const char  *org_id,
                                   gint64       paid_through,
                                   GError     **error)
{
  if (!qs_db_run (qs_store_db (store), "UPDATE billing_accounts SET paid_through = ?2 WHERE org_id = ?1",
                  "si", org_id, paid_through))
    return qs_store_fail (store, error);
  return TRUE;
}

typedef struct
{
  char   *org_id;
  char   *org_name;
  char   *plan_name;
  gint64  price_cents;
} Renewal;

static void
renewal_free (Renewal *renewal)
{
  g_free (renewal->org_id);
  g_free (renewal->org_name);
  g_free (renewal->plan_name);
  g_free (renewal);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Renewal, renewal_free)

static gpointer
renewal_from_row (QsStmt   *stmt,
                  gpointer  user_data)
{
  Renewal *renewal = g_new0 (Renewal, 1);

  renewal->org_id = qs_stmt_dup_text (stmt, 0);
  renewal->org_name = qs_stmt_dup_text (stmt, 1);
  renewal->plan_name = qs_stmt_dup_text (stmt, 2);
  renewal->price_cents = qs_stmt_int64 (stmt, 3);
  return renewal;
}

static gpointer
org_id_from_row (QsStmt   *stmt,
                 gpointer  user_data)
{
  return qs_stmt_dup_text (stmt, 0);
}

gboolean
qs_store_billing_renew (QsStore     *store,
                        gint64       now,
                        guint       *renewed,
                        GError     **error)
{
  g_autoptr(GPtrArray) due = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (now);
  g_autofree char *month = g_date_time_format (t, "%Y-%m");
  QsDb *db = qs_store_db (store);
  gint64 start, end;

  *renewed = 0;
  month_bounds (now, &start, &end, NULL);
  if (!qs_store_rows (store,
                      qs_db_prepare (db, "SELECT org_id FROM billing_accounts WHERE paid_through <= ?1", "i", now),
                      org_id_from_row, NULL, due, error))
    return FALSE;
  for (guint i = 0; i < due->len; i++)
    {
      const char *org_id = g_ptr_array_index (due, i);
      g_autoptr(Renewal) r = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *description = NULL;
      g_autofree char *data = NULL;

      /* The month is claimed before it is charged: only a transaction that
       * moves paid_through from due to the month's end charges it. On
       * PostgreSQL another instance's renewal of the account waits for this
       * row's lock here, then finds it paid and skips it. */
      if (!qs_db_run (db, "UPDATE billing_accounts SET paid_through = ?2 WHERE org_id = ?1 AND paid_through <= ?3",
                      "sii", org_id, end, now))
        return qs_store_fail (store, error);
      if (qs_db_changes (db) != 1)
        continue;
      /* The plan as it is now that the row is ours. */
      r = qs_store_row (store, renewal_from_row, NULL, &local_error,
                        "SELECT b.org_id, o.name, p.name, p.price_cents FROM billing_accounts b"
                        " JOIN plans p ON p.id = b.plan_id JOIN organizations o ON o.id = b.org_id"
                        " WHERE b.org_id = ?1", "s", org_id);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (r == NULL || r->price_cents <= 0)
        continue;  /* free plans are only marked paid */
      description = g_strdup_printf ("%s plan, %s", r->plan_name, month);
      data = g_strdup_printf ("{\"amount_cents\":%" G_GINT64_FORMAT ",\"month\":\"%s\"}", r->price_cents, month);
      {
        QsStoreAuditEvent event = {
          .org_id = r->org_id, .actor_id = "system", .actor_name = "Quorum", .actor_kind = "system",
          .action = "billing.plan_renewed", .target_type = "organization", .target_id = r->org_id,
          .target_name = r->org_name, .data = data, .created_at = now,
        };

        if (!qs_store_ledger_append (store, r->org_id, QS_STORE_LEDGER_PLAN, -r->price_cents, description, NULL,
                                     now, NULL, error) ||
            !qs_store_audit_record (store, &event, error))
          return FALSE;
      }
      (*renewed)++;
    }
  return TRUE;
}

/* ----------------------------------------------------------------- ledger */

static void
month_bounds (gint64  now,
              gint64 *start,
              gint64 *end,
              int    *year)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (now);
  g_autoptr(GDateTime) first = g_date_time_new_utc (g_date_time_get_year (t), g_date_time_get_month (t), 1, 0, 0, 0);
  g_autoptr(GDateTime) next = g_date_time_add_months (first, 1);

  *start = g_date_time_to_unix (first);
  *end = g_date_time_to_unix (next);
  if (year != NULL)
    *year = g_date_time_get_year (first);
}

/* The invoice of now's month, created with the next number when it is the
 * month's first charge. Numbers: MAX + 1 inside the writing transaction, and
 * invoices are never deleted, so they have no gaps. */
static gboolean
ensure_invoice (QsStore     *store,
                const char  *org_id,
                gint64       now,
                GError     **error)
{
  QsDb *db = qs_store_db (store);
  gint64 start, end, seq;
  int year;
  g_autofree char *id = NULL;
  g_autofree char *number = NULL;

  month_bounds (now, &start, &end, &year);
  if (qs_db_int (db, 0, "SELECT COUNT(*) FROM invoices WHERE org_id = ?1 AND period_start = ?2",
                 "si", org_id, start) > 0)
    return TRUE;
  seq = qs_db_int (db, -1, "SELECT COALESCE(MAX(seq), 0) + 1 FROM invoices WHERE org_id = ?1", "s", org_id);
  if (seq < 0)
    return qs_store_fail (store, error);
  id = qs_new_id ("ivc_");
  number = g_strdup_printf ("QRM-%04d-%06" G_GINT64_FORMAT, year, seq);
  if (!qs_db_run (db,
                  "INSERT INTO invoices (id, org_id, seq, number, period_start, period_end, currency, created_at)"
                  " SELECT ?1, ?2, ?3, ?4, ?5, ?6, p.currency, ?7 FROM billing_accounts b"
                  " JOIN plans p ON p.id = b.plan_id WHERE b.org_id = ?2",
                  "ssisiii", id, org_id, seq, number, start, end, now))
    return qs_store_fail (store, error);
  return TRUE;
}

static gboolean
record_low_balance (QsStore     *store,
                    const char  *org_id,
                    gint64       balance,
                    gint64       alert,
                    gint64       now,
                    GError     **error)
{
  g_autofree char *currency = NULL;
  g_autofree char *data = NULL;
  QsStmt *stmt = qs_db_prepare (qs_store_db (store),
                                "SELECT p.currency FROM billing_accounts b JOIN plans p ON p.id = b.plan_id"
                                " WHERE b.org_id = ?1", "s", org_id);

  if (stmt == NULL)
    return qs_store_fail (store, error);
  if (qs_stmt_next (stmt))
    currency = qs_stmt_dup_text (stmt, 0);
  qs_stmt_reset (stmt);
  data = g_strdup_printf ("{\"balance_cents\":%" G_GINT64_FORMAT ",\"currency\":\"%s\","
                          "\"low_balance_alert_cents\":%" G_GINT64_FORMAT "}",
                          balance, currency != NULL ? currency : "EUR", alert);
  return qs_store_event_emit (store, org_id, "billing.low_balance", data, now, NULL, error);
}

const char *
qs_store_ledger_kind_name (QsStoreLedgerKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (ledger_kinds), NULL);
  return ledger_kinds[kind];
}

static QsStoreLedgerKind
ledger_kind_from_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (ledger_kinds); i++)
    if (g_strcmp0 (name, ledger_kinds[i]) == 0)
      return i;
  return QS_STORE_LEDGER_PLAN;
}

static gpointer
ledger_item_from_row (QsStmt   *stmt,
                      gpointer  user_data G_GNUC_UNUSED)
{
  QsStoreLedgerItem *item = g_new0 (QsStoreLedgerItem, 1);

  item->id = qs_stmt_int64 (stmt, 0);
  item->kind = ledger_kind_from_name (qs_stmt_text (stmt, 1));
  item->amount_cents = qs_stmt_int64 (stmt, 2);
  item->balance_after = qs_stmt_int64 (stmt, 3);
  item->description = qs_stmt_dup_text (stmt, 4);
  item->created_at = qs_stmt_int64 (stmt, 5);
  item->currency = qs_stmt_dup_text (stmt, 6);
  return item;
}

#define LEDGER_SELECT \
  "SELECT e.id, e.kind, e.amount_cents, e.balance_after, e.description, e.created_at," \
  " (SELECT p.currency FROM billing_accounts b JOIN plans p ON p.id = b.plan_id WHERE b.org_id = ?1)" \
  " FROM ledger_entries e"

QsStoreLedgerPage *
qs_store_ledger_list (QsStore     *store,
                      const char  *org_id,
                      gint64       after_created_at,
                      gint64       after_id,
                      guint        limit,
                      GError     **error)
{
  g_autoptr(QsStoreLedgerPage) page = g_new0 (QsStoreLedgerPage, 1);

  page->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) qs_store_ledger_item_free);
  /* Both forms walk ledger_org (org_id, created_at, id) backwards from the
   * cursor: a page costs limit rows however long the ledger is. */
  if (!qs_store_rows (store,
                      after_id > 0
                        ? qs_db_prepare (qs_store_db (store),
                                         LEDGER_SELECT " WHERE e.org_id = ?1 AND (e.created_at, e.id) < (?2, ?3)"
                                         " ORDER BY e.created_at DESC, e.id DESC LIMIT ?4",
                                         "siii", org_id, after_created_at, after_id, (gint64) limit + 1)
                        : qs_db_prepare (qs_store_db (store),
                                         LEDGER_SELECT " WHERE e.org_id = ?1"
                                         " ORDER BY e.created_at DESC, e.id DESC LIMIT ?2",
                                         "si", org_id, (gint64) limit + 1),
                      ledger_item_from_row, NULL, page->entries, error))
    return NULL;
  page->more = page->entries->len > limit;
  if (page->more)
    g_ptr_array_set_size (page->entries, limit);
  return g_steal_pointer (&page);
}

gboolean
qs_store_ledger_append (QsStore            *store,
                        const char         *org_id,
                        QsStoreLedgerKind   kind,
                        gint64              amount_cents,
                        const char         *description,
                        const char         *actor_id,
                        gint64              now,
                        gint64             *balance_after,
                        GError            **error)
{
  QsDb *db = qs_store_db (store);
  QsStmt *stmt;
  gint64 balance = 0, alert = 0;
  gboolean has_alert = FALSE, below = FALSE, found = FALSE;

  /* The balance and the entry move together, or not at all (the caller's
   * transaction). */
  if (!qs_db_run (db, "UPDATE billing_accounts SET balance_cents = balance_cents + ?2 WHERE org_id = ?1",
                  "si", org_id, amount_cents))
    return qs_store_fail (store, error);
  stmt = qs_db_prepare (db, "SELECT balance_cents, low_balance_alert_cents, below_alert FROM billing_accounts"
                            " WHERE org_id = ?1", "s", org_id);
  if (stmt == NULL)
    return qs_store_fail (store, error);
  if (qs_stmt_next (stmt))
    {
      found = TRUE;
      balance = qs_stmt_int64 (stmt, 0);
      has_alert = !qs_stmt_is_null (stmt, 1);
      alert = qs_stmt_int64 (stmt, 1);
      below = qs_stmt_int64 (stmt, 2) != 0;
    }
  qs_stmt_reset (stmt);
  if (!found)
    {
      g_set_error_literal (error, QS_STORE_ERROR, QS_STORE_ERROR_FAILED, "no billing account");
      return FALSE;
    }
  if (!qs_db_run (db,
                  "INSERT INTO ledger_entries (org_id, kind, amount_cents, balance_after, description, actor_id,"
                  " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                  "ssiissi", org_id, ledger_kinds[kind], amount_cents, balance, description, actor_id, now))
    return qs_store_fail (store, error);

  if (has_alert)
    {
      gboolean now_below = balance < alert;

      /* One event per crossing: below_alert remembers that this one fired. */
      if (now_below && !below && amount_cents < 0 &&
          !record_low_balance (store, org_id, balance, alert, now, error))
        return FALSE;
      if (now_below != below &&
          !qs_db_run (db, "UPDATE billing_accounts SET below_alert = ?2 WHERE org_id = ?1",
                      "si", org_id, (gint64) now_below))
        return qs_store_fail (store, error);
    }
  if (amount_cents < 0 && !ensure_invoice (store, org_id, now, error))
    return FALSE;
  if (!qs_db_run (db, "UPDATE billing_accounts SET version = version + 1 WHERE org_id = ?1", "s", org_id))
    return qs_store_fail (store, error);
  if (balance_after != NULL)
    *balance_after = balance;
  return TRUE;
}

/* ------------------------------------------------------------------ usage */

static gint64
overage (gint64 used,
         gint64 included)
{
  return used > included ? used - included : 0;
}

gboolean
qs_store_usage_record (QsStore     *store,
                       const char  *member_id,
                       gint64       day,
                       gint64       credits,
                       gint64       requests,
                       gint64       now,
                       char       **org_id_out,
                       GError     **error)
{
  QsDb *db = qs_store_db (store);
  g_autofree char *org_id = NULL;
  g_autoptr(QsStorePlan) plan = NULL;
  QsStmt *stmt;
  gint64 month_start, month_end, first_day, last_day, before, after, charge;

  g_return_val_if_fail (credits >= 0 && requests >= 0, FALSE);

  stmt = qs_db_prepare (db, "SELECT org_id FROM members WHERE id = ?1", "s", member_id);
  if (stmt == NULL)
    return qs_store_fail (store, error);
  if (qs_stmt_next (stmt))
    org_id = qs_stmt_dup_text (stmt, 0);
  qs_stmt_reset (stmt);
  if (org_id == NULL)
    return FALSE;
  /* The month's usage before this record decides the charge: another
   * recorder (an instance, --record-usage) waits until this one commits. */
  if (!qs_store_organization_lock (store, org_id, error))
    return FALSE;
  plan = qs_store_row (store, plan_from_row, NULL, error,
                       "SELECT " PLAN_COLUMNS " FROM billing_accounts b JOIN plans p ON p.id = b.plan_id"
                       " WHERE b.org_id = ?1", "s", org_id);
  if (plan == NULL)
    return FALSE;

  month_bounds (day * 86400, &month_start, &month_end, NULL);
  first_day = month_start / 86400;
  last_day = month_end / 86400 - 1;
  before = qs_db_int (db, -1, "SELECT COALESCE(SUM(credits), 0) FROM usage_days WHERE org_id = ?1"
                              " AND day BETWEEN ?2 AND ?3", "sii", org_id, first_day, last_day);
  if (before < 0 ||
      !qs_db_run (db,
                  "INSERT INTO usage_records (org_id, day, member_id, credits, requests) VALUES (?1, ?2, ?3, ?4, ?5)"
                  " ON CONFLICT (org_id, day, member_id) DO UPDATE SET credits = usage_records.credits + ?4,"
                  " requests = usage_records.requests + ?5", "sisii", org_id, day, member_id, credits, requests) ||
      !qs_db_run (db,
                  "INSERT INTO usage_days (org_id, day, credits, requests) VALUES (?1, ?2, ?3, ?4)"
                  " ON CONFLICT (org_id, day) DO UPDATE SET credits = usage_days.credits + ?3,"
                  " requests = usage_days.requests + ?4",
                  "siii", org_id, day, credits, requests) ||
      !qs_db_run (db, "UPDATE billing_accounts SET usage_version = usage_version + 1 WHERE org_id = ?1",
                  "s", org_id) ||
      /* The record, under the version it made, for the server's in-memory
       * sums to catch up with; only the last ones are kept. */
      !qs_db_run (db,
                  "INSERT INTO usage_log (org_id, version, member_id, day, credits, requests)"
                  " SELECT ?1, usage_version, ?2, ?3, ?4, ?5 FROM billing_accounts WHERE org_id = ?1",
                  "ssiii", org_id, member_id, day, credits, requests) ||
      !qs_db_run (db,
                  "DELETE FROM usage_log WHERE org_id = ?1 AND version <= (SELECT usage_version"
                  " FROM billing_accounts WHERE org_id = ?1) - ?2", "si", org_id, (gint64) QS_STORE_USAGE_LOG_KEEP) ||
      /* Into each window that covers the day (days after window_as_of come
       * in when the windows roll forward): first its count, when the member
       * is new to it, then the member's sums. */
      !qs_db_run (db,
                  "INSERT INTO usage_window_counts (org_id, days, members)"
                  " SELECT ?1, w.days, 1 FROM billing_accounts b, (SELECT 30 AS days UNION ALL SELECT 90) w"
                  " WHERE b.org_id = ?1 AND b.window_as_of >= 0 AND ?2 BETWEEN b.window_as_of - w.days + 1"
                  " AND b.window_as_of AND NOT EXISTS (SELECT 1 FROM usage_windows u WHERE u.org_id = ?1"
                  " AND u.days = w.days AND u.member_id = ?3)"
                  " ON CONFLICT (org_id, days) DO UPDATE SET members = usage_window_counts.members + 1",
                  "sis", org_id, day, member_id) ||
      !qs_db_run (db,
                  "INSERT INTO usage_windows (org_id, days, member_id, credits, requests)"
                  " SELECT ?1, w.days, ?3, ?4, ?5 FROM billing_accounts b, (SELECT 30 AS days UNION ALL SELECT 90) w"
                  " WHERE b.org_id = ?1 AND b.window_as_of >= 0 AND ?2 BETWEEN b.window_as_of - w.days + 1"
                  " AND b.window_as_of"
                  " ON CONFLICT (org_id, days, member_id) DO UPDATE SET credits = usage_windows.credits + excluded.credits,"
                  " requests = usage_windows.requests + excluded.requests", "sisii", org_id, day, member_id, credits, requests))
    return qs_store_fail (store, error);
  after = before + credits;

  /* Credits past the month's included ones, charged per started thousand
   * already charged: the charge is the difference of the rounded totals, so
   * many small records cost what one big one does. */
  charge = (overage (after, plan->included_credits) * plan->overage_cents_per_1000 + 999) / 1000 -
           (overage (before, plan->included_credits) * plan->overage_cents_per_1000 + 999) / 1000;
  if (charge > 0)
    {
      g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (month_start);
      g_autofree char *month = g_date_time_format (t, "%Y-%m");
      g_autofree char *description = g_strdup_printf ("Usage beyond the included credits, %s", month);

      if (!qs_store_ledger_append (store, org_id, QS_STORE_LEDGER_USAGE, -charge, description, NULL, now,
                                   NULL, error))
        return FALSE;
    }
  if (org_id_out != NULL)
    *org_id_out = g_steal_pointer (&org_id);
  return TRUE;
}

gboolean
qs_store_usage_add_raw (QsStore     *store,
                        const char  *org_id,
                        const char  *member_id,
                        gint64       day,
                        gint64       credits,
                        gint64       requests,
                        GError     **error)
{
  if (!qs_db_run (qs_store_db (store),
                  "INSERT INTO usage_records (org_id, day, member_id, credits, requests) VALUES (?1, ?2, ?3, ?4, ?5)",
                  "sisii", org_id, day, member_id, credits, requests))
    return qs_store_fail (store, error);
  return TRUE;
}

gboolean
qs_store_usage_rebuild_days (QsStore     *store,
                             const char  *org_id,
                             GError     **error)
{
  QsDb *db = qs_store_db (store);

  if (!qs_db_run (db, "DELETE FROM usage_days WHERE org_id = ?1", "s", org_id) ||
      !qs_db_run (db,
                  "INSERT INTO usage_days (org_id, day, credits, requests)"
                  " SELECT org_id, day, SUM(credits), SUM(requests) FROM usage_records WHERE org_id = ?1"
                  " GROUP BY org_id, day", "s", org_id) ||
      !qs_db_run (db, "UPDATE billing_accounts SET usage_version = usage_version + 1 WHERE org_id = ?1",
                  "s", org_id))
    return qs_store_fail (store, error);
  /* The windows are summed again at the next roll. */
  if (!qs_db_run (db, "UPDATE billing_accounts SET window_as_of = -1 WHERE org_id = ?1", "s", org_id))
    return qs_store_fail (store, error);
  return TRUE;
}

/* Adds sign × the usage of days first..last of org_id into its window of
 * days, then drops members left with nothing. */
static gboolean
window_add (QsStore    *store,
            const char *org_id,
            gint64      days,
            gint64      first,
            gint64      last,
            gint64      sign)
{
  QsDb *db = qs_store_db (store);

  if (first > last)
    return TRUE;
  return qs_db_run (db,
                    "INSERT INTO usage_windows (org_id, days, member_id, credits, requests)"
                    " SELECT ?1, ?2, member_id, ?5 * SUM(credits), ?5 * SUM(requests) FROM usage_records"
                    " WHERE org_id = ?1 AND day BETWEEN ?3 AND ?4 GROUP BY member_id"
                    " ON CONFLICT (org_id, days, member_id) DO UPDATE SET credits = usage_windows.credits + excluded.credits,"
                    " requests = usage_windows.requests + excluded.requests", "siiii", org_id, days, first, last, sign) &&
         (sign > 0 ||
          qs_db_run (db, "DELETE FROM usage_windows WHERE org_id = ?1 AND days = ?2 AND credits = 0"
                         " AND requests = 0", "si", org_id, days));
}

gboolean
qs_store_usage_roll_windows (QsStore     *store,
                             gint64       today,
                             guint       *rolled,
                             GError     **error)
{
  g_autoptr(GPtrArray) due = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) as_of = g_array_new (FALSE, FALSE, sizeof (gint64));
  QsStmt *stmt = qs_db_prepare (qs_store_db (store),
                                "SELECT org_id, window_as_of FROM billing_accounts WHERE window_as_of < ?1",
                                "i", today);
  static const gint64 windows[] = { 30, 90 };

  *rolled = 0;
  if (stmt == NULL)
    return qs_store_fail (store, error);
  while (qs_stmt_next (stmt))
    {
      gint64 a = qs_stmt_int64 (stmt, 1);

      g_ptr_array_add (due, qs_stmt_dup_text (stmt, 0));
      g_array_append_val (as_of, a);
    }
  qs_stmt_reset (stmt);
  for (guint i = 0; i < due->len; i++)
    {
      const char *org_id = g_ptr_array_index (due, i);
      gint64 a = g_array_index (as_of, gint64, i);

      /* The day is claimed before the windows move: only a transaction
       * that moves window_as_of from what was read rolls them. On
       * PostgreSQL another instance's roll of the account waits for this
       * row's lock here, then finds it moved and skips it. */
      if (!qs_db_run (qs_store_db (store),
                      "UPDATE billing_accounts SET window_as_of = ?2 WHERE org_id = ?1 AND window_as_of = ?3",
                      "sii", org_id, today, a))
        return qs_store_fail (store, error);
      if (qs_db_changes (qs_store_db (store)) != 1)
        continue;
      for (guint w = 0; w < G_N_ELEMENTS (windows); w++)
        {
          gint64 n = windows[w];

          if (a < 0 || today - a >= n)
            {
              /* Nothing of the old window is left: sum it again. */
              if (!qs_db_run (qs_store_db (store), "DELETE FROM usage_windows WHERE org_id = ?1 AND days = ?2",
                              "si", org_id, n) ||
                  !window_add (store, org_id, n, today - n + 1, today, 1))
                return qs_store_fail (store, error);
            }
          else if (!window_add (store, org_id, n, a + 1, today, 1) ||
                   !window_add (store, org_id, n, a - n + 1, today - n, -1))
            return qs_store_fail (store, error);
        }
      if (!qs_db_run (qs_store_db (store),
                      "INSERT INTO usage_window_counts (org_id, days, members)"
                      " SELECT ?1, w.days, (SELECT COUNT(*) FROM usage_windows u WHERE u.org_id = ?1"
                      " AND u.days = w.days) FROM (SELECT 30 AS days UNION ALL SELECT 90) w"
                      /* WHERE true: SQLite would read ON CONFLICT as a join's ON */
                      " WHERE true ON CONFLICT (org_id, days) DO UPDATE SET members = excluded.members",
                      "s", org_id))
        return qs_store_fail (store, error);
      (*rolled)++;
    }
  return TRUE;
}

static gpointer
window_item_from_row (QsStmt   *stmt,
                      gpointer  user_data)
{
  QsStoreUsageItem *item = g_new0 (QsStoreUsageItem, 1);

  item->key = qs_stmt_dup_text (stmt, 0);
  item->credits = qs_stmt_int64 (stmt, 1);
  item->requests = qs_stmt_int64 (stmt, 2);
  return item;
}

GPtrArray *
qs_store_usage_window_page (QsStore                 *store,
                            const char              *org_id,
                            gint64                   days,
                            gint64                   today,
                            const QsStoreUsageItem  *after,
                            guint                    limit,
                            gint64                  *total,
                            GError                 **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) qs_store_usage_item_free);
  QsDb *db = qs_store_db (store);

  *total = -1;
  if (qs_db_int (db, -1, "SELECT window_as_of FROM billing_accounts WHERE org_id = ?1", "s", org_id) != today)
    return NULL;  /* not rolled up to today yet: no error, the caller sums */
  *total = qs_db_int (db, -1, "SELECT COALESCE((SELECT members FROM usage_window_counts WHERE org_id = ?1"
                              " AND days = ?2), 0)", "si", org_id, days);
  if (*total < 0)
    return fail (store, error);
  if (!qs_store_rows (store,
                      after != NULL
                        ? qs_db_prepare (db,
                                         "SELECT member_id, credits, requests FROM usage_windows"
                                         " WHERE org_id = ?1 AND days = ?2 AND (credits < ?3 OR (credits = ?3"
                                         " AND member_id > ?4)) ORDER BY credits DESC, member_id LIMIT ?5",
                                         "siisi", org_id, days, after->credits, after->key, (gint64) limit + 1)
                        : qs_db_prepare (db,
                                         "SELECT member_id, credits, requests FROM usage_windows"
                                         " WHERE org_id = ?1 AND days = ?2 ORDER BY credits DESC, member_id LIMIT ?3",
                                         "sii", org_id, days, (gint64) limit + 1),
                      window_item_from_row, NULL, items, error))
    return NULL;
  return g_steal_pointer (&items);
}

gint64
qs_store_usage_credits (QsStore     *store,
                        const char  *org_id,
                        gint64       first_day,
                        gint64       last_day,
                        GError     **error)
{
  gint64 credits = qs_db_int (qs_store_db (store), -1,
                              "SELECT COALESCE(SUM(credits), 0) FROM usage_days WHERE org_id = ?1"
                              " AND day BETWEEN ?2 AND ?3", "sii", org_id, first_day, last_day);

  if (credits < 0)
    qs_store_fail (store, error);
  return credits;
}

static gpointer
usage_day_from_row (QsStmt   *stmt,
                    gpointer  user_data)
{
  QsStoreUsageItem *item = g_new0 (QsStoreUsageItem, 1);

  item->day = qs_stmt_int64 (stmt, 0);
  item->credits = qs_stmt_int64 (stmt, 1);
  item->requests = qs_stmt_int64 (stmt, 2);
  return item;
}

GPtrArray *
qs_store_usage_by_day (QsStore     *store,
                       const char  *org_id,
                       gint64       from_day,
                       gint64       to_day,
                       GError     **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) qs_store_usage_item_free);

  if (!qs_store_rows (store,
                      qs_db_prepare (qs_store_db (store),
                                     "SELECT day, credits, requests FROM usage_days WHERE org_id = ?1"
                                     " AND day BETWEEN ?2 AND ?3 ORDER BY day", "sii", org_id, from_day, to_day),
                      usage_day_from_row, NULL, items, error))
    return NULL;
  return g_steal_pointer (&items);
}

static int
compare_member_sums (gconstpointer a,
                     gconstpointer b)
{
  const QsStoreUsageItem *x = *(QsStoreUsageItem * const *) a;
  const QsStoreUsageItem *y = *(QsStoreUsageItem * const *) b;

  if (x->credits != y->credits)
    return x->credits > y->credits ? -1 : 1;
  return strcmp (x->key, y->key);
}

gboolean
qs_store_usage_item_comes_after (const QsStoreUsageItem *item,
                                 const QsStoreUsageItem *after)
{
  return item->credits < after->credits ||
         (item->credits == after->credits && strcmp (item->key, after->key) > 0);
}

static gboolean
reader_fail (QsDb    *db,
             GError **error)
{
  g_set_error (error, QS_STORE_ERROR, QS_STORE_ERROR_FAILED, "usage: %s", qs_db_error_message (db));
  return FALSE;
}

/* Its own read-only connection: the callers run in a worker thread, beside
 * the main loop's connection (it reads the last committed state). */
static QsDb *
reader_open (const char  *db_path,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  QsDb *db = qs_db_open_reader (db_path, &local_error);

  if (db == NULL)
    g_set_error (error, QS_STORE_ERROR, QS_STORE_ERROR_FAILED, "usage: %s", local_error->message);
  return db;
}

GPtrArray *
qs_store_usage_members_sorted (const char  *db_path,
                               const char  *org_id,
                               gint64       from_day,
                               gint64       to_day,
                               GError     **error)
{
  g_autoptr(GHashTable) sums = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) qs_store_usage_item_free);
  QsDb *db = reader_open (db_path, error);
  QsStmt *stmt;
  QsStmtResult rc;

  if (db == NULL)
    return NULL;
  stmt = qs_db_prepare (db,
                        "SELECT member_id, credits, requests FROM usage_records WHERE org_id = ?1"
                        " AND day BETWEEN ?2 AND ?3", "sii", org_id, from_day, to_day);
  if (stmt == NULL)
    {
      reader_fail (db, error);
      qs_db_close (db);
      return NULL;
    }
  /* One pass over the range (primary key order: day, member), summed in a
   * hash table, then sorted. */
  while ((rc = qs_stmt_step (stmt)) == QS_STMT_ROW)
    {
      const char *member_id = qs_stmt_text (stmt, 0);
      QsStoreUsageItem *item = g_hash_table_lookup (sums, member_id);

      if (item == NULL)
        {
          item = g_new0 (QsStoreUsageItem, 1);
          item->key = g_strdup (member_id);
          g_ptr_array_add (all, item);
          g_hash_table_insert (sums, item->key, item);
        }
      item->credits += qs_stmt_int64 (stmt, 1);
      item->requests += qs_stmt_int64 (stmt, 2);
    }
  if (rc != QS_STMT_DONE)
    reader_fail (db, error);
  qs_stmt_reset (stmt);
  qs_db_close (db);
  if (rc != QS_STMT_DONE)
    return NULL;
  g_ptr_array_sort (all, compare_member_sums);
  return g_steal_pointer (&all);
}

void
qs_store_usage_change_free (QsStoreUsageChange *change)
{
  g_free (change->member_id);
  g_free (change);
}

static gpointer
usage_change_from_row (QsStmt   *stmt,
                       gpointer  user_data)
{
  QsStoreUsageChange *change = g_new0 (QsStoreUsageChange, 1);

  change->version = qs_stmt_int64 (stmt, 0);
  change->member_id = qs_stmt_dup_text (stmt, 1);
  change->day = qs_stmt_int64 (stmt, 2);
  change->credits = qs_stmt_int64 (stmt, 3);
  change->requests = qs_stmt_int64 (stmt, 4);
  return change;
}

GPtrArray *
qs_store_usage_changes_since (QsStore     *store,
                              const char  *org_id,
                              gint64       version,
                              guint        max,
                              GError     **error)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) qs_store_usage_change_free);

  if (!qs_store_rows (store,
                      qs_db_prepare (qs_store_db (store),
                                     "SELECT version, member_id, day, credits, requests FROM usage_log"
                                     " WHERE org_id = ?1 AND version > ?2 ORDER BY version LIMIT ?3",
                                     "sii", org_id, version, (gint64) max),
                      usage_change_from_row, NULL, changes, error))
    return NULL;
  return g_steal_pointer (&changes);
}

gboolean
qs_store_usage_scan (const char                *db_path,
                     const char                *org_id,
                     QsStoreUsageScanBeginFunc  begin,
                     QsStoreUsageScanRowFunc    row,
                     gpointer                   user_data,
                     GError                   **error)
{
  g_autoptr(GPtrArray) member_ids = g_ptr_array_new_with_free_func (g_free);
  QsDb *db = reader_open (db_path, error);
  QsStmt *stmt;
  gint64 version = -1, min_day = -1, max_day = -1, first_day;
  gboolean ok = FALSE;
  QsStmtResult rc;

  /* One read transaction: the version, the members and the rows are one
   * committed state. */
  if (db == NULL)
    return FALSE;
  if (!qs_db_begin_read (db))
    goto out_fail;

  stmt = qs_db_prepare (db,
                        "SELECT usage_version, (SELECT MIN(day) FROM usage_records WHERE org_id = ?1),"
                        " (SELECT MAX(day) FROM usage_records WHERE org_id = ?1)"
                        " FROM billing_accounts WHERE org_id = ?1", "s", org_id);
  if (stmt == NULL)
    goto out_fail;
  if ((rc = qs_stmt_step (stmt)) == QS_STMT_ROW)
    {
      version = qs_stmt_int64 (stmt, 0);
      min_day = qs_stmt_is_null (stmt, 1) ? -1 : qs_stmt_int64 (stmt, 1);
      max_day = qs_stmt_is_null (stmt, 2) ? -1 : qs_stmt_int64 (stmt, 2);
    }
  qs_stmt_reset (stmt);
  if (rc == QS_STMT_ERROR)
    goto out_fail;
  if (version < 0)
    {
      g_set_error (error, QS_STORE_ERROR, QS_STORE_ERROR_FAILED, "usage: no billing account for %s", org_id);
      goto out;
    }

  /* The members in id order: their ordinals sort as their ids do. */
  stmt = qs_db_prepare (db, "SELECT id FROM members WHERE org_id = ?1 ORDER BY id", "s", org_id);
  if (stmt == NULL)
    goto out_fail;
  while ((rc = qs_stmt_step (stmt)) == QS_STMT_ROW)
    g_ptr_array_add (member_ids, qs_stmt_dup_text (stmt, 0));
  qs_stmt_reset (stmt);
  if (rc != QS_STMT_DONE)
    goto out_fail;

  first_day = begin (version, min_day, max_day, member_ids, user_data);
  if (first_day >= 0 && min_day >= 0)
    {
      stmt = qs_db_prepare (db,
                            "SELECT day, member_id, credits, requests FROM usage_records"
                            " WHERE org_id = ?1 AND day >= ?2 ORDER BY day, member_id",
                            "si", org_id, first_day);
      if (stmt == NULL)
        goto out_fail;
      while ((rc = qs_stmt_step (stmt)) == QS_STMT_ROW)
        row (qs_stmt_text (stmt, 1), qs_stmt_int64 (stmt, 0),
             qs_stmt_int64 (stmt, 2), qs_stmt_int64 (stmt, 3), user_data);
      qs_stmt_reset (stmt);
      if (rc != QS_STMT_DONE)
        goto out_fail;
    }
  ok = TRUE;
  goto out;

out_fail:
  reader_fail (db, error);
out:
  qs_db_rollback (db);
  qs_db_close (db);
  return ok;
}

GPtrArray *
qs_store_usage_busiest (QsStore     *store,
                        guint        limit,
                        GError     **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  if (!qs_store_rows (store,
                      qs_db_prepare (qs_store_db (store),
                                     "SELECT org_id FROM billing_accounts WHERE usage_version > 0"
                                     " ORDER BY usage_version DESC, org_id LIMIT ?1", "i", (gint64) limit),
                      org_id_from_row, NULL, ids, error))
    return NULL;
  return g_steal_pointer (&ids);
}

gint64
qs_store_usage_version (QsStore     *store,
                        const char  *org_id,
                        GError     **error)
{
  gint64 version = qs_db_int (qs_store_db (store), -1,
                              "SELECT usage_version FROM billing_accounts WHERE org_id = ?1", "s", org_id);

  if (version < 0)
    qs_store_fail (store, error);
  return version;
}

/* --------------------------------------------------------------- invoices */

#define INVOICE_SELECT \
  "SELECT v.id, v.org_id, v.number, v.period_start, v.period_end, v.currency, v.created_at," \
  " (SELECT COALESCE(-SUM(amount_cents), 0) FROM ledger_entries e WHERE e.org_id = v.org_id" \
  "    AND e.created_at >= v.period_start AND e.created_at < v.period_end AND e.amount_cents < 0)," \
  " (SELECT COALESCE(SUM(amount_cents), 0) FROM ledger_entries e WHERE e.org_id = v.org_id" \
  "    AND e.created_at >= v.period_start AND e.created_at < v.period_end AND e.amount_cents > 0)," \
  " (SELECT e.balance_after FROM ledger_entries e WHERE e.org_id = v.org_id AND e.created_at < v.period_end" \
  "    ORDER BY e.created_at DESC, e.id DESC LIMIT 1)" \
  " FROM invoices v"

static gpointer
invoice_from_row (QsStmt   *stmt,
                  gpointer  user_data)
{
  gint64 now = *(const gint64 *) user_data;
  QsStoreInvoice *invoice = g_new0 (QsStoreInvoice, 1);

  invoice->id = qs_stmt_dup_text (stmt, 0);
  invoice->org_id = qs_stmt_dup_text (stmt, 1);
  invoice->number = qs_stmt_dup_text (stmt, 2);
  invoice->period_start = qs_stmt_int64 (stmt, 3);
  invoice->period_end = qs_stmt_int64 (stmt, 4);
  invoice->currency = qs_stmt_dup_text (stmt, 5);
  invoice->created_at = qs_stmt_int64 (stmt, 6);
  invoice->total_cents = qs_stmt_int64 (stmt, 7);
  invoice->top_ups_cents = qs_stmt_int64 (stmt, 8);
  invoice->balance_end = qs_stmt_int64 (stmt, 9);
  if (now < invoice->period_end)
    invoice->status = QS_STORE_INVOICE_DRAFT;
  else if (invoice->balance_end >= 0)
    invoice->status = QS_STORE_INVOICE_PAID;
  else
    invoice->status = QS_STORE_INVOICE_OPEN;
  return invoice;
}

QsStoreInvoicePage *
qs_store_invoice_list (QsStore     *store,
                       const char  *org_id,
                       gint64       after_period_start,
                       const char  *after_id,
                       guint        limit,
                       gint64       now,
                       GError     **error)
{
  g_autoptr(QsStoreInvoicePage) page = g_new0 (QsStoreInvoicePage, 1);

  page->total = qs_db_int (qs_store_db (store), -1, "SELECT COUNT(*) FROM invoices WHERE org_id = ?1", "s", org_id);
  if (page->total < 0)
    return fail (store, error);
  page->invoices = g_ptr_array_new_with_free_func ((GDestroyNotify) qs_store_invoice_free);
  if (!qs_store_rows (store,
                      after_id != NULL
                        ? qs_db_prepare (qs_store_db (store),
                                         INVOICE_SELECT " WHERE v.org_id = ?1 AND (v.period_start, v.id) < (?2, ?3)"
                                         " ORDER BY v.period_start DESC, v.id DESC LIMIT ?4",
                                         "sisi", org_id, after_period_start, after_id, (gint64) limit + 1)
                        : qs_db_prepare (qs_store_db (store),
                                         INVOICE_SELECT " WHERE v.org_id = ?1"
                                         " ORDER BY v.period_start DESC, v.id DESC LIMIT ?2",
                                         "si", org_id, (gint64) limit + 1),
                      invoice_from_row, &now, page->invoices, error))
    return NULL;
  page->more = page->invoices->len > limit;
  if (page->more)
    g_ptr_array_set_size (page->invoices, limit);
  return g_steal_pointer (&page);
}

QsStoreInvoice *
qs_store_invoice_get (QsStore     *store,
                      const char  *org_id,
                      const char  *invoice_id,
                      gint64       now,
                      GError     **error)
{
  return qs_store_row (store, invoice_from_row, &now, error,
                       INVOICE_SELECT " WHERE v.id = ?1 AND v.org_id = ?2", "ss", invoice_id, org_id);
}

static gpointer
entry_from_row (QsStmt   *stmt,
                gpointer  user_data)
{
  QsStoreLedgerEntry *entry = g_new0 (QsStoreLedgerEntry, 1);
  const char *kind = qs_stmt_text (stmt, 0);

  entry->kind = g_strcmp0 (kind, "top_up") == 0 ? QS_STORE_LEDGER_TOP_UP
              : g_strcmp0 (kind, "usage") == 0 ? QS_STORE_LEDGER_USAGE : QS_STORE_LEDGER_PLAN;
  entry->amount_cents = qs_stmt_int64 (stmt, 1);
  entry->description = qs_stmt_dup_text (stmt, 2);
  entry->created_at = qs_stmt_int64 (stmt, 3);
  return entry;
}

GPtrArray *
qs_store_invoice_entries (QsStore               *store,
                          const QsStoreInvoice  *invoice,
                          GError               **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) qs_store_ledger_entry_free);

  if (!qs_store_rows (store,
                      qs_db_prepare (qs_store_db (store),
                                     "SELECT kind, amount_cents, description, created_at FROM ledger_entries"
                                     " WHERE org_id = ?1 AND created_at >= ?2 AND created_at < ?3"
                                     " ORDER BY created_at, id", "sii",
                                     invoice->org_id, invoice->period_start, invoice->period_end),
                      entry_from_row, NULL, entries, error))
    return NULL;
  return g_steal_pointer (&entries);
}
