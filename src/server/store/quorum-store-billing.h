/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The store: plans, billing accounts, the ledger, seats, usage, invoices,
 * the low-balance event (audit events: quorum-store-audit.h).
 * Included by quorum-store.h; include that instead.
 *
 * Money is whole cents (gint64) in the plan's currency. Days are UTC days
 * since 1970-01-01. The balance moves only together with a ledger entry
 * (qs_store_ledger_append ()), inside the caller's transaction. */

#include <glib.h>

G_BEGIN_DECLS

typedef struct _QsStore QsStore;

#define QS_STORE_PLAN_FREE "pln_free"

typedef struct
{
  char   *id;
  char   *name;
  gint64  price_cents;            /* per month */
  char   *currency;
  gint64  seat_limit;             /* 0: unlimited */
  gint64  included_credits;       /* per month */
  gint64  overage_cents_per_1000; /* credits past the included ones */
} QsStorePlan;

typedef struct
{
  char        *org_id;
  char        *org_name;
  QsStorePlan *plan;
  gint64       balance_cents;
  gboolean     has_alert;
  gint64       low_balance_alert_cents;
  gint64       seats_used;        /* active and suspended members, pending invitations */
  gint64       version;           /* bumped by every change of the account: the ETag */
} QsStoreBilling;

typedef enum
{
  QS_STORE_LEDGER_TOP_UP,
  QS_STORE_LEDGER_USAGE,
  QS_STORE_LEDGER_PLAN,
} QsStoreLedgerKind;


typedef struct
{
  char   *key;       /* "YYYY-MM-DD" or a member id */
  gint64  day;       /* group by day: the day */
  gint64  credits;
  gint64  requests;
} QsStoreUsageItem;

typedef enum
{
  QS_STORE_INVOICE_DRAFT,   /* its month is not over */
  QS_STORE_INVOICE_OPEN,    /* over, and the balance was below zero at its end */
  QS_STORE_INVOICE_PAID,    /* over, and the prepaid balance covered it */
} QsStoreInvoiceStatus;

typedef struct
{
  char                 *id;
  char                 *org_id;
  char                 *number;        /* QRM-2026-000001, gapless per organization */
  gint64                period_start;
  gint64                period_end;    /* exclusive */
  gint64                total_cents;   /* the charges of the period, from the ledger */
  gint64                top_ups_cents; /* payments into the balance during the period */
  gint64                balance_end;   /* the balance at the end of the period (or now) */
  char                 *currency;
  QsStoreInvoiceStatus  status;
  gint64                created_at;
} QsStoreInvoice;

typedef struct
{
  QsStoreLedgerKind  kind;
  char              *description;
  gint64             amount_cents;     /* a charge is negative */
  gint64             created_at;
} QsStoreLedgerEntry;

/* An entry of the ledger as its list shows it. */
typedef struct
{
  gint64             id;               /* the ledger's own, increasing */
  QsStoreLedgerKind  kind;
  gint64             amount_cents;     /* a charge is negative */
  gint64             balance_after;
  char              *currency;         /* the account's plan's, now */
  char              *description;
  gint64             created_at;
} QsStoreLedgerItem;

typedef struct
{
  GPtrArray *entries;   /* QsStoreLedgerItem, newest first */
  gboolean   more;
} QsStoreLedgerPage;

typedef struct
{
  GPtrArray *invoices;  /* QsStoreInvoice, newest period first */
  gint64     total;
  gboolean   more;
} QsStoreInvoicePage;

void              qs_store_plan_free            (QsStorePlan        *plan);
void              qs_store_billing_free         (QsStoreBilling     *billing);
void              qs_store_usage_item_free      (QsStoreUsageItem   *item);
void              qs_store_invoice_free         (QsStoreInvoice     *invoice);
void              qs_store_invoice_page_free    (QsStoreInvoicePage *page);
void              qs_store_ledger_entry_free    (QsStoreLedgerEntry *entry);
void              qs_store_ledger_item_free     (QsStoreLedgerItem  *item);
void              qs_store_ledger_page_free     (QsStoreLedgerPage  *page);

/* The plan new organizations start on (default QS_STORE_PLAN_FREE);
 * FALSE when there is no such plan. */
gboolean          qs_store_set_default_plan     (QsStore            *store,
                                                 const char         *plan_id);
const char       *qs_store_default_plan         (QsStore            *store);

/* Cheapest first. */
GPtrArray        *qs_store_plans_list           (QsStore            *store,
                                                 GError            **error);
QsStorePlan      *qs_store_plan_get             (QsStore            *store,
                                                 const char         *plan_id,
                                                 GError            **error);

/* Opens org_id's billing account on plan_id (organization creation). */
gboolean          qs_store_billing_open         (QsStore            *store,
                                                 const char         *org_id,
                                                 const char         *plan_id,
                                                 GError            **error);
QsStoreBilling   *qs_store_billing_get          (QsStore            *store,
                                                 const char         *org_id,
                                                 gint64              now,
                                                 GError            **error);
/* Active and suspended members plus pending unexpired invitations; -1 on
 * error. */
gint64            qs_store_billing_seats_used   (QsStore            *store,
                                                 const char         *org_id,
                                                 gint64              now,
                                                 GError            **error);
/* The plan's seat limit (0: unlimited) in *limit and the seats in use in
 * *used (not counted, 0, when unlimited); TRUE when one more seat fits. Call it inside the transaction that
 * takes the seat. */
gboolean          qs_store_billing_seat_available (QsStore          *store,
                                                 const char         *org_id,
                                                 gint64              now,
                                                 gint64             *used,
                                                 gint64             *limit,
                                                 GError            **error);
/* has_alert FALSE turns the alert off. Re-arms the low-balance event: it
 * fires at the next charge that takes the balance below the new alert. */
gboolean          qs_store_billing_set_alert    (QsStore            *store,
                                                 const char         *org_id,
                                                 gboolean            has_alert,
                                                 gint64              alert_cents,
                                                 GError            **error);
gboolean          qs_store_billing_set_plan     (QsStore            *store,
                                                 const char         *org_id,
                                                 const char         *plan_id,
                                                 GError            **error);

/* The plan is paid until paid_through (a plan change sets the next month's
 * start once it charged the rest of this one). */
gboolean          qs_store_billing_set_paid_through (QsStore        *store,
                                                 const char         *org_id,
                                                 gint64              paid_through,
                                                 GError            **error);
/* Charges every organization whose plan is paid through now or earlier its
 * plan's monthly price (a ledger entry and a billing.plan_renewed audit
 * event by the system) and marks it paid through the end of now's month;
 * organizations on a free plan are only marked. *renewed: how many were
 * charged. Call it inside a transaction. Each month is charged once also
 * when several connections renew at once: an account is charged only by
 * the transaction whose conditional UPDATE moved its paid_through. */
gboolean          qs_store_billing_renew        (QsStore            *store,
                                                 gint64              now,
                                                 guint              *renewed,
                                                 GError            **error);

/* Appends a ledger entry (amount_cents > 0 credits the balance, < 0 is a
 * charge) and moves the balance with it; *balance_after (may be NULL)
 * receives the new balance. A charge opens the month's invoice when it is
 * the month's first, and records one billing.low_balance event when it takes
 * the balance from at or above the alert to below it (once per crossing:
 * the next one needs the balance back at or above the alert). */
gboolean          qs_store_ledger_append        (QsStore            *store,
                                                 const char         *org_id,
                                                 QsStoreLedgerKind   kind,
                                                 gint64              amount_cents,
                                                 const char         *description,
                                                 const char         *actor_id,
                                                 gint64              now,
                                                 gint64             *balance_after,
                                                 GError            **error);

/* A page of org_id's ledger, newest first (created_at, then id, both
 * descending: the ledger_org index). after_created_at/after_id: the
 * previous page's last entry, or after_id 0 for the first page. */
QsStoreLedgerPage *qs_store_ledger_list         (QsStore            *store,
                                                 const char         *org_id,
                                                 gint64              after_created_at,
                                                 gint64              after_id,
                                                 guint               limit,
                                                 GError            **error);
/* The name of a kind in the API and the database: "top_up", "usage", "plan". */
const char       *qs_store_ledger_kind_name     (QsStoreLedgerKind   kind);

/* Adds credits and requests to member_id's usage on day (its organization
 * found from the member) and charges the credits past the plan's included
 * credits of day's month, at the plan's overage price. *org_id (may be
 * NULL) receives the organization. FALSE without error: no such member. */
gboolean          qs_store_usage_record         (QsStore            *store,
                                                 const char         *member_id,
                                                 gint64              day,
                                                 gint64              credits,
                                                 gint64              requests,
                                                 gint64              now,
                                                 char              **org_id,
                                                 GError            **error);
/* For seeders (demo data, benchmarks): usage rows without the daily totals
 * or charges; qs_store_usage_rebuild_days () then sums the totals of
 * org_id from the rows and leaves its windows to be summed again by the
 * next qs_store_usage_roll_windows (). */
gboolean          qs_store_usage_add_raw        (QsStore            *store,
                                                 const char         *org_id,
                                                 const char         *member_id,
                                                 gint64              day,
                                                 gint64              credits,
                                                 gint64              requests,
                                                 GError            **error);
gboolean          qs_store_usage_rebuild_days   (QsStore            *store,
                                                 const char         *org_id,
                                                 GError            **error);
/* Rolls every organization's per-member windows (the last 30 and 90
 * days) forward to today: the days that came in are added, those that left
 * subtracted (or the window summed again when nothing of it is left).
 * *rolled: organizations rolled. Call it inside a transaction. Each day
 * rolls once also when several connections roll at once: an account's
 * windows move only in the transaction whose conditional UPDATE moved its
 * window_as_of. */
gboolean          qs_store_usage_roll_windows   (QsStore            *store,
                                                 gint64              today,
                                                 guint              *rolled,
                                                 GError            **error);
/* A page of org_id's window of days (30 or 90) ending today, most credits
 * first, then id, with limit + 1 items at most (one more: a page follows)
 * and the window's member count in *total. NULL without error when the
 * window is not rolled up to today (then sum with
 * qs_store_usage_members_sorted ()). */
GPtrArray        *qs_store_usage_window_page    (QsStore            *store,
                                                 const char         *org_id,
                                                 gint64              days,
                                                 gint64              today,
                                                 const QsStoreUsageItem *after,
                                                 guint               limit,
                                                 gint64             *total,
                                                 GError            **error);
/* Credits used by org_id from first_day to last_day; -1 on error. */
gint64            qs_store_usage_credits        (QsStore            *store,
                                                 const char         *org_id,
                                                 gint64              first_day,
                                                 gint64              last_day,
                                                 GError            **error);
/* Days from from_day to to_day (inclusive) that have usage, oldest first. */
GPtrArray        *qs_store_usage_by_day         (QsStore            *store,
                                                 const char         *org_id,
                                                 gint64              from_day,
                                                 gint64              to_day,
                                                 GError            **error);
/* Every member with usage from from_day to to_day, most credits first,
 * then id (QsStoreUsageItem). Thread-safe: it opens its own read-only
 * connection to the database at db_path (qs_store_path ()), so a worker
 * thread can sum millions of rows while the main loop serves. */
GPtrArray        *qs_store_usage_members_sorted (const char         *db_path,
                                                 const char         *org_id,
                                                 gint64              from_day,
                                                 gint64              to_day,
                                                 GError            **error);
/* TRUE when item sorts after after in that order. */
gboolean          qs_store_usage_item_comes_after (const QsStoreUsageItem *item,
                                                 const QsStoreUsageItem *after);
/* The ids of at most limit organizations with usage, the most often
 * recorded first (by usage_version). */
GPtrArray        *qs_store_usage_busiest        (QsStore            *store,
                                                 guint               limit,
                                                 GError            **error);
/* Bumped by every usage record of org_id: what a cached sum is valid for;
 * -1 on error. */
gint64            qs_store_usage_version        (QsStore            *store,
                                                 const char         *org_id,
                                                 GError            **error);

/* How many of an organization's last usage records usage_log keeps. */
#define QS_STORE_USAGE_LOG_KEEP 4096

/* One usage record as qs_store_usage_record () logged it. */
typedef struct
{
  gint64  version;   /* the organization's usage_version it made */
  char   *member_id;
  gint64  day;
  gint64  credits;
  gint64  requests;
} QsStoreUsageChange;

void              qs_store_usage_change_free    (QsStoreUsageChange *change);
/* The logged records of org_id after version, oldest first, at most max
 * (QsStoreUsageChange). The log keeps the last QS_STORE_USAGE_LOG_KEEP:
 * a caller that finds a gap in the versions must read everything again. */
GPtrArray        *qs_store_usage_changes_since  (QsStore            *store,
                                                 const char         *org_id,
                                                 gint64              version,
                                                 guint               max,
                                                 GError            **error);

/* Called once with the organization's usage_version, first and last day
 * with usage (-1: none) and its member ids in id order; returns the first
 * day whose rows the scan should pass to the row function (-1: none). */
typedef gint64 (*QsStoreUsageScanBeginFunc) (gint64     version,
                                             gint64     min_day,
                                             gint64     max_day,
                                             GPtrArray *member_ids,
                                             gpointer   user_data);
typedef void   (*QsStoreUsageScanRowFunc)   (const char *member_id,
                                             gint64      day,
                                             gint64      credits,
                                             gint64      requests,
                                             gpointer    user_data);
/* Reads org_id's usage records in one read transaction on a read-only
 * connection of its own (for a worker thread, like
 * qs_store_usage_members_sorted ()): begin, then row for every record from
 * the day begin returned, in day order. */
gboolean          qs_store_usage_scan           (const char                *db_path,
                                                 const char                *org_id,
                                                 QsStoreUsageScanBeginFunc  begin,
                                                 QsStoreUsageScanRowFunc    row,
                                                 gpointer                   user_data,
                                                 GError                   **error);

/* after_period_start/after_id: the previous page's last invoice, or 0/NULL. */
QsStoreInvoicePage *qs_store_invoice_list       (QsStore            *store,
                                                 const char         *org_id,
                                                 gint64              after_period_start,
                                                 const char         *after_id,
                                                 guint               limit,
                                                 gint64              now,
                                                 GError            **error);
QsStoreInvoice   *qs_store_invoice_get          (QsStore            *store,
                                                 const char         *org_id,
                                                 const char         *invoice_id,
                                                 gint64              now,
                                                 GError            **error);
/* The ledger entries of the invoice's period (QsStoreLedgerEntry), oldest
 * first. */
GPtrArray        *qs_store_invoice_entries      (QsStore            *store,
                                                 const QsStoreInvoice *invoice,
                                                 GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsStorePlan, qs_store_plan_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsStoreBilling, qs_store_billing_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsStoreUsageItem, qs_store_usage_item_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsStoreUsageChange, qs_store_usage_change_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsStoreInvoice, qs_store_invoice_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsStoreInvoicePage, qs_store_invoice_page_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsStoreLedgerEntry, qs_store_ledger_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsStoreLedgerItem, qs_store_ledger_item_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsStoreLedgerPage, qs_store_ledger_page_free)

G_END_DECLS
