/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sodium.h>

#include "quorum-server-auth.h"
#include "quorum-server-handlers.h"
#include "quorum-server-http.h"
#include "quorum-server-model.h"
#include "quorum-server-state.h"
#include "quorum-server-usage-cube.h"

/* Billing: plans, the billing account, plan changes, top-ups, usage and
 * invoices. Every change writes its audit event in its own transaction. */

#define IDEMPOTENCY_KEY_MAX 255
/* A usage query covers at most this many days (from and to included). */
#define USAGE_MAX_DAYS 366
#define USAGE_DEFAULT_DAYS 30

static const char * const invoice_status_names[] = {
  [QS_STORE_INVOICE_DRAFT] = "draft",
  [QS_STORE_INVOICE_OPEN] = "open",
  [QS_STORE_INVOICE_PAID] = "paid",
};

static JsonObject *
plan_json (const QsStorePlan *plan)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "id", plan->id);
  json_object_set_string_member (object, "name", plan->name);
  json_object_set_int_member (object, "price_cents", plan->price_cents);
  json_object_set_string_member (object, "currency", plan->currency);
  if (plan->seat_limit > 0)
    json_object_set_int_member (object, "seat_limit", plan->seat_limit);
  else
    json_object_set_null_member (object, "seat_limit");
  json_object_set_int_member (object, "included_credits", plan->included_credits);
  return object;
}

/* The first second of the month after now's (UTC). */
static gint64
next_month_start (gint64 now)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (now);
  g_autoptr(GDateTime) first = g_date_time_new_utc (g_date_time_get_year (t), g_date_time_get_month (t), 1, 0, 0, 0);
  g_autoptr(GDateTime) next = g_date_time_add_months (first, 1);

  return g_date_time_to_unix (next);
}

static gint64
month_start (gint64 now)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (now);
  g_autoptr(GDateTime) first = g_date_time_new_utc (g_date_time_get_year (t), g_date_time_get_month (t), 1, 0, 0, 0);

  return g_date_time_to_unix (first);
}

static char *
billing_etag (const QsStoreBilling *billing)
{
  g_autofree char *state = g_strdup_printf ("%s.%" G_GINT64_FORMAT, billing->org_id, billing->version);

  return qs_etag_from_state ('b', state);
}

static JsonObject *
billing_json (const QsStoreBilling *billing,
              gint64                now)
{
  JsonObject *object = json_object_new ();
  JsonObject *card = json_object_new ();
  g_autofree char *next_invoice = qs_format_time (next_month_start (now));

  json_object_set_object_member (object, "plan", plan_json (billing->plan));
  json_object_set_int_member (object, "balance_cents", billing->balance_cents);
  json_object_set_string_member (object, "currency", billing->plan->currency);
  json_object_set_int_member (object, "seats_used", billing->seats_used);
  if (billing->plan->seat_limit > 0)
    json_object_set_int_member (object, "seat_limit", billing->plan->seat_limit);
  else
    json_object_set_null_member (object, "seat_limit");
  /* Test mode: every organization pays with the test card. */
  json_object_set_string_member (card, "type", "card");
  json_object_set_string_member (card, "brand", "visa");
  json_object_set_string_member (card, "last4", "4242");
  json_object_set_object_member (object, "payment_method", card);
  json_object_set_string_member (object, "next_invoice_at", next_invoice);
  if (billing->has_alert)
    json_object_set_int_member (object, "low_balance_alert_cents", billing->low_balance_alert_cents);
  else
    json_object_set_null_member (object, "low_balance_alert_cents");
  return object;
}

/* Loads and answers the billing state with its ETag (status 200). */
static void
respond_billing (QsRequest  *req,
                 const char *org_id)
{
  gint64 now = qs_now ();
  g_autoptr(QsStoreBilling) billing = qs_store_billing_get (req->store, org_id, now, NULL);
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *etag = NULL;

  if (billing == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  object = billing_json (billing, now);
  etag = billing_etag (billing);
  qs_respond_object (req, 200, object);
  qs_set_etag (req, etag);
}

/* The audit event of a billing change by the caller; target: the organization. */
static gboolean
audit (QsRequest  *req,
       const char *org_id,
       const char *org_name,
       const char *action,
       const char *data,
       const char *changes,
       gint64      now)
{
  QsStoreAuditEvent event = {
    .org_id = org_id,
    .actor_id = qs_request_actor_id (req),
    .actor_name = qs_request_actor_name (req),
    .actor_kind = qs_request_actor_kind_name (req),
    .action = action,
    .target_type = "organization",
    .target_id = org_id,
    .target_name = org_name,
    .data = data,
    .changes = changes,
    .created_at = now,
  };

  return qs_store_audit_record (req->store, &event, NULL);
}

static void
respond_json_text (QsRequest  *req,
                   guint       status,
                   const char *text)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_server_message_set_status (req->msg, status, NULL);
  soup_server_message_set_response (req->msg, "application/json", SOUP_MEMORY_COPY, text, strlen (text));
}

/* ------------------------------------------------------------------ plans */

void
qs_handle_plans_list (QsRequest *req)
{
  g_autoptr(GPtrArray) plans = qs_store_plans_list (req->store, NULL);
  g_autoptr(JsonObject) response = json_object_new ();
  JsonArray *items;

  if (plans == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  items = json_array_new ();
  for (guint i = 0; i < plans->len; i++)
    json_array_add_object_element (items, plan_json (g_ptr_array_index (plans, i)));
  json_object_set_array_member (response, "items", items);
  json_object_set_null_member (response, "next_cursor");
  json_object_set_int_member (response, "total", plans->len);
  qs_respond_object (req, 200, response);
}

/* ---------------------------------------------------------------- billing */

void
qs_handle_billing_get (QsRequest *req)
{
  respond_billing (req, qs_request_param (req, "org_id"));
}

void
qs_handle_billing_patch (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  QsBillingPatch input = { 0 };
  g_autoptr(QsStoreTxn) txn = NULL;
  g_autoptr(QsStoreBilling) billing = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *data = NULL;
  gint64 now = qs_now ();

  if (!qs_check_parse (req, qs_parse_billing_patch (req->body, req->body_len, &input, errors), errors))
    return;
  if (!(txn = qs_store_begin (req->store, NULL)) ||
      !qs_store_organization_lock (req->store, org_id, NULL) ||
      !(billing = qs_store_billing_get (req->store, org_id, now, NULL)))
    {
      qs_respond_internal (req);
      return;
    }
  etag = billing_etag (billing);
  if (!qs_check_if_match (req, etag))
    return;
  if (!input.has_alert_field)
    {
      g_clear_pointer (&txn, qs_store_txn_free);
      respond_billing (req, org_id);
      return;
    }
  if (input.alert_off)
    data = g_strdup ("{\"low_balance_alert_cents\":null}");
  else
    data = g_strdup_printf ("{\"low_balance_alert_cents\":%" G_GINT64_FORMAT "}", input.low_balance_alert_cents);
  if (!qs_store_billing_set_alert (req->store, org_id, !input.alert_off, input.low_balance_alert_cents, NULL) ||
      !audit (req, org_id, billing->org_name, "billing.updated", data, NULL, now) ||
      !qs_store_txn_commit (txn, NULL))
    {
      qs_respond_internal (req);
      return;
    }
  respond_billing (req, org_id);
}

void
qs_handle_billing_plan_put (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_auto(QsPlanChange) input = { 0 };
  g_autoptr(QsStoreTxn) txn = NULL;
  g_autoptr(QsStoreBilling) billing = NULL;
  g_autoptr(QsStorePlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) changes = NULL;
  g_autofree char *data = NULL;
  g_autofree char *changes_text = NULL;
  gint64 now = qs_now ();

  if (!qs_check_parse (req, qs_parse_plan_change (req->body, req->body_len, &input, errors), errors))
    return;

  /* The seat check decides the write: both in one transaction holding the
   * organization, so an invitation (through this instance or another)
   * cannot take a seat between them. */
  if (!(txn = qs_store_begin (req->store, NULL)) || !qs_store_organization_lock (req->store, org_id, NULL))
    {
      qs_respond_internal (req);
      return;
    }
  plan = qs_store_plan_get (req->store, input.plan_id, &error);
  if (plan == NULL)
    {
      if (error != NULL)
        qs_respond_internal (req);
      else
        {
          qs_field_errors_add (errors, "plan_id", "not_found", "No such plan.");
          qs_respond_validation (req, errors);
        }
      return;
    }
  billing = qs_store_billing_get (req->store, org_id, now, NULL);
  if (billing == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  if (strcmp (billing->plan->id, plan->id) == 0)
    {
      g_clear_pointer (&txn, qs_store_txn_free);
      respond_billing (req, org_id);
      return;
    }
  if (plan->seat_limit > 0 && billing->seats_used > plan->seat_limit)
    {
      g_autofree char *detail =
        g_strdup_printf ("This organization uses %" G_GINT64_FORMAT " seats (members and pending invitations);"
                         " %s has %" G_GINT64_FORMAT ". Remove members or revoke invitations first.",
                         billing->seats_used, plan->name, plan->seat_limit);

      qs_respond_error (req, 409, "seat_limit_exceeded", detail);
      return;
    }

  data = g_strdup_printf ("{\"from\":\"%s\",\"to\":\"%s\"}", billing->plan->id, plan->id);
  qs_audit_change_string (&changes, "plan", billing->plan->id, plan->id);
  changes_text = qs_audit_json_text (changes);
  if (!qs_store_billing_set_plan (req->store, org_id, plan->id, NULL) ||
      !audit (req, org_id, billing->org_name, "billing.plan_changed", data, changes_text, now))
    {
      qs_respond_internal (req);
      return;
    }
  /* A paid plan is charged at once for the rest of the month, prorated by
   * the second; moving down refunds nothing. */
  if (plan->price_cents > 0)
    {
      gint64 start = month_start (now), end = next_month_start (now);
      gint64 charge = (plan->price_cents * (end - now) + (end - start) / 2) / (end - start);
      g_autofree char *description = g_strdup_printf ("%s plan, rest of the month", plan->name);

      if ((charge > 0 &&
           !qs_store_ledger_append (req->store, org_id, QS_STORE_LEDGER_PLAN, -charge, description, qs_request_actor_id (req),
                                    now, NULL, NULL)) ||
          !qs_store_billing_set_paid_through (req->store, org_id, end, NULL))
        {
          qs_respond_internal (req);
          return;
        }
    }
  if (!qs_store_txn_commit (txn, NULL))
    {
      qs_respond_internal (req);
      return;
    }
  respond_billing (req, org_id);
}

static gboolean
is_printable_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (*p < 0x21 || *p > 0x7E)
      return FALSE;
  return TRUE;
}

void
qs_handle_top_up_create (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  QsTopUp input = { 0 };
  g_autoptr(QsStoreTxn) txn = NULL;
  g_autoptr(QsStoreIdempotent) earlier = NULL;
  g_autoptr(QsStoreOrganization) org = NULL;
  g_autofree char *text = NULL;
  g_autofree char *data = NULL;
  g_autofree char *description = NULL;
  const char *key = soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg),
                                                  "Idempotency-Key");
  guint8 body_hash[QS_STORE_TOKEN_HASH_LEN];
  gint64 now = qs_now ();
  gint64 balance = 0;

  if (key != NULL)
    {
      crypto_hash_sha256_state state;

      if (*key == '\0' || strlen (key) > IDEMPOTENCY_KEY_MAX || !is_printable_ascii (key))
        {
          qs_field_errors_add (errors, "Idempotency-Key", "invalid", "1 to 255 printable ASCII characters.");
          qs_respond_validation (req, errors);
          return;
        }
      /* The route is part of what the key stands for: the same key on an
       * invitation is another request. */
      crypto_hash_sha256_init (&state);
      crypto_hash_sha256_update (&state, (const guint8 *) "top-up\n", 7);
      crypto_hash_sha256_update (&state, (const guint8 *) req->body, req->body_len);
      crypto_hash_sha256_final (&state, body_hash);
    }

  /* The organization first, then the key: the same key sent to two
   * instances at once waits here, and the second finds the first's. */
  if (!(txn = qs_store_begin (req->store, NULL)) || !qs_store_organization_lock (req->store, org_id, NULL))
    {
      qs_respond_internal (req);
      return;
    }
  if (key != NULL)
    {
      g_autoptr(GError) error = NULL;

      earlier = qs_store_idempotent_find (req->store, qs_request_actor_id (req), org_id, key,
                                          now - QS_IDEMPOTENCY_SECONDS, &error);
      if (error != NULL)
        {
          qs_respond_internal (req);
          return;
        }
      if (earlier != NULL)
        {
          if (sodium_memcmp (earlier->body_hash, body_hash, sizeof body_hash) != 0)
            qs_respond_error (req, 422, "idempotency_key_reused",
                              "This Idempotency-Key was used with another request body.");
          else
            respond_json_text (req, earlier->status, earlier->response);
          return;
        }
    }
  if (!qs_check_parse (req, qs_parse_top_up (req->body, req->body_len, &input, errors), errors))
    return;

  org = qs_store_organization_get (req->store, org_id, NULL);
  description = g_strdup ("Top-up (test payment, card ending 4242)");
  data = g_strdup_printf ("{\"amount_cents\":%" G_GINT64_FORMAT "}", input.amount_cents);
  if (org == NULL ||
      !qs_store_ledger_append (req->store, org_id, QS_STORE_LEDGER_TOP_UP, input.amount_cents, description,
                               qs_request_actor_id (req), now, &balance, NULL) ||
      !audit (req, org_id, org->name, "billing.topped_up", data, NULL, now))
    {
      qs_respond_internal (req);
      return;
    }
  text = g_strdup_printf ("{\"balance_cents\":%" G_GINT64_FORMAT "}", balance);
  if ((key != NULL &&
       !qs_store_idempotent_save (req->store, qs_request_actor_id (req), org_id, key, body_hash, 201, text, NULL)) ||
      !qs_store_txn_commit (txn, NULL))
    {
      qs_respond_internal (req);
      return;
    }
  respond_json_text (req, 201, text);
}

/* ------------------------------------------------------------------ usage */

/* Days since 1970-01-01 of a strict YYYY-MM-DD date; -1 when it is not one. */
static gint64
parse_day (const char *text)
{
  guint64 y, m, d;
  GDate date;
  GDate epoch;

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return -1;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return -1;
  y = g_ascii_strtoull (text, NULL, 10);
  m = g_ascii_strtoull (text + 5, NULL, 10);
  d = g_ascii_strtoull (text + 8, NULL, 10);
  if (y < 1970 || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return -1;
  g_date_clear (&date, 1);
  g_date_clear (&epoch, 1);
  g_date_set_dmy (&date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  g_date_set_dmy (&epoch, 1, G_DATE_JANUARY, 1970);
  return g_date_days_between (&epoch, &date);
}

static char *
format_day (gint64 day)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (day * 86400);

  return g_date_time_format (t, "%Y-%m-%d");
}

static JsonObject *
usage_item_json (const char *key,
                 gint64      credits,
                 gint64      requests)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "key", key);
  json_object_set_int_member (object, "credits", credits);
  json_object_set_int_member (object, "requests", requests);
  return object;
}

static void
usage_by_day (QsRequest  *req,
              const char *org_id,
              gint64      from,
              gint64      to,
              gint64      first,
              guint       limit)
{
  g_autoptr(GPtrArray) days = qs_store_usage_by_day (req->store, org_id, from, to, NULL);
  g_autoptr(JsonObject) response = json_object_new ();
  g_autofree char *next = NULL;
  JsonArray *items;
  guint j = 0;
  gint64 day;

  if (days == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  items = json_array_new ();
  json_object_set_array_member (response, "items", items);
  /* Every day of the range, with zeros where nothing was used. */
  for (day = MAX (from, first); day <= to && json_array_get_length (items) < limit; day++)
    {
      g_autofree char *key = format_day (day);
      gint64 credits = 0, requests = 0;

      while (j < days->len && ((QsStoreUsageItem *) g_ptr_array_index (days, j))->day < day)
        j++;
      if (j < days->len && ((QsStoreUsageItem *) g_ptr_array_index (days, j))->day == day)
        {
          QsStoreUsageItem *item = g_ptr_array_index (days, j);

          credits = item->credits;
          requests = item->requests;
        }
      json_array_add_object_element (items, usage_item_json (key, credits, requests));
    }
  if (day <= to)
    next = qs_key_cursor_encode (day, "day");
  qs_json_set_string_or_null (response, "next_cursor", next);
  json_object_set_int_member (response, "total", to - from + 1);
  qs_respond_object (req, 200, response);
}

/* Per-member sums over millions of rows take seconds at 100,000 members
 * × 90 days: they run in a worker thread on a read-only connection of
 * their own, at most USAGE_JOBS_MAX at once, and the sorted result is kept
 * (USAGE_CACHE_MAX ranges) for as long as the organization's usage_version
 * says it is current, so further pages and repeated queries cost a lookup. */
#define USAGE_JOBS_MAX  2
#define USAGE_CACHE_MAX 8

typedef struct
{
  char      *org_id;
  gint64     from;
  gint64     to;
  gint64     version;
  GPtrArray *items;  /* QsStoreUsageItem, sorted */
} UsageSums;

static void
usage_sums_free (UsageSums *sums)
{
  g_free (sums->org_id);
  g_clear_pointer (&sums->items, g_ptr_array_unref);
  g_free (sums);
}

void
qs_usage_cache_clear (QsServer *server)
{
  if (server->usage_cache != NULL)
    g_queue_free_full (g_steal_pointer (&server->usage_cache), (GDestroyNotify) usage_sums_free);
}

static GPtrArray *
usage_cache_lookup (QsServer   *server,
                    const char *org_id,
                    gint64      from,
                    gint64      to,
                    gint64      version)
{
  if (server->usage_cache == NULL)
    return NULL;
  for (GList *l = server->usage_cache->head; l != NULL; l = l->next)
    {
      UsageSums *sums = l->data;

      if (strcmp (sums->org_id, org_id) == 0 && sums->from == from && sums->to == to)
        {
          if (sums->version != version)
            {
              g_queue_delete_link (server->usage_cache, l);
              usage_sums_free (sums);
              return NULL;
            }
          g_queue_unlink (server->usage_cache, l);
          g_queue_push_head_link (server->usage_cache, l);
          return g_ptr_array_ref (sums->items);
        }
    }
  return NULL;
}

static void
usage_cache_insert (QsServer   *server,
                    const char *org_id,
                    gint64      from,
                    gint64      to,
                    gint64      version,
                    GPtrArray  *items)
{
  UsageSums *sums = g_new0 (UsageSums, 1);

  if (server->usage_cache == NULL)
    server->usage_cache = g_queue_new ();
  sums->org_id = g_strdup (org_id);
  sums->from = from;
  sums->to = to;
  sums->version = version;
  sums->items = g_ptr_array_ref (items);
  g_queue_push_head (server->usage_cache, sums);
  while (g_queue_get_length (server->usage_cache) > USAGE_CACHE_MAX)
    usage_sums_free (g_queue_pop_tail (server->usage_cache));
}

/* The page after after (NULL: the first) of the sorted sums. */
static void
respond_usage_members (QsRequest              *req,
                       GPtrArray              *items,
                       const QsStoreUsageItem *after,
                       guint                   limit)
{
  g_autoptr(JsonObject) response = json_object_new ();
  g_autofree char *next = NULL;
  JsonArray *array = json_array_new ();
  guint lo = 0, hi = items->len;

  /* Binary search for the first item after the cursor. */
  if (after != NULL)
    while (lo < hi)
      {
        guint mid = lo + (hi - lo) / 2;

        if (qs_store_usage_item_comes_after (g_ptr_array_index (items, mid), after))
          hi = mid;
        else
          lo = mid + 1;
      }
  json_object_set_array_member (response, "items", array);
  for (guint i = lo; i < items->len && i < lo + limit; i++)
    {
      QsStoreUsageItem *item = g_ptr_array_index (items, i);

      json_array_add_object_element (array, usage_item_json (item->key, item->credits, item->requests));
    }
  if (lo + limit < items->len)
    {
      QsStoreUsageItem *last = g_ptr_array_index (items, lo + limit - 1);

      next = qs_key_cursor_encode (last->credits, last->key);
    }
  qs_json_set_string_or_null (response, "next_cursor", next);
  json_object_set_int_member (response, "total", items->len);
  qs_respond_object (req, 200, response);
}

/* A page of at most limit + 1 items (one more: a page follows). */
static void
respond_usage_page (QsRequest *req,
                    GPtrArray *page,
                    guint      limit,
                    gint64     total)
{
  g_autoptr(JsonObject) response = json_object_new ();
  g_autofree char *next = NULL;
  JsonArray *array = json_array_new ();

  json_object_set_array_member (response, "items", array);
  for (guint i = 0; i < page->len && i < limit; i++)
    {
      QsStoreUsageItem *item = g_ptr_array_index (page, i);

      json_array_add_object_element (array, usage_item_json (item->key, item->credits, item->requests));
    }
  if (page->len > limit)
    {
      QsStoreUsageItem *last = g_ptr_array_index (page, limit - 1);

      next = qs_key_cursor_encode (last->credits, last->key);
    }
  qs_json_set_string_or_null (response, "next_cursor", next);
  json_object_set_int_member (response, "total", total);
  qs_respond_object (req, 200, response);
}

typedef struct
{
  QsRequest        *req;
  char             *db_path;
  char             *org_id;
  gint64            from;
  gint64            to;
  gint64            version;
  QsStoreUsageItem  after;     /* key NULL: first page */
  guint             limit;
} UsageJob;

static void
usage_job_free (UsageJob *job)
{
  g_free (job->db_path);
  g_free (job->org_id);
  g_free (job->after.key);
  g_free (job);
}

static void
usage_job_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  UsageJob *job = task_data;
  GError *error = NULL;
  GPtrArray *items = qs_store_usage_members_sorted (job->db_path, job->org_id, job->from, job->to, &error);

  if (items == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, items, (GDestroyNotify) g_ptr_array_unref);
}

static void
usage_job_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  UsageJob *job = g_task_get_task_data (G_TASK (result));
  QsRequest *req = job->req;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = g_task_propagate_pointer (G_TASK (result), &error);

  g_assert (req->server->usage_jobs > 0);
  req->server->usage_jobs--;
  if (items == NULL)
    {
      g_warning ("%s", error->message);
      qs_respond_internal (req);
    }
  else
    {
      usage_cache_insert (req->server, job->org_id, job->from, job->to, job->version, items);
      respond_usage_members (req, items, job->after.key != NULL ? &job->after : NULL, job->limit);
    }
  g_assert (req->async_ops > 0);
  if (--req->async_ops == 0)
    {
      soup_server_message_unpause (req->msg);
      qs_request_free (req);
    }
}

/* Each organization's usage in memory (QsUsageCube): any range's
 * per-member sums in one pass over the members, whatever its length. The
 * cube loads in a worker thread the first time an organization's usage is
 * asked for by member (requests for other ranges wait for it meanwhile),
 * then catches up on the main loop with the records logged since its
 * version (usage_log) before it answers, so it never serves stale sums,
 * also when another process recorded them. All cubes together stay under
 * USAGE_CUBES_MAX_BYTES; the least recently used give way. */
#define USAGE_CUBES_MAX_BYTES ((gsize) 256 * 1024 * 1024)

typedef struct
{
  QsServer    *server;          /* NULL once the server is gone */
  char        *org_id;
  QsUsageCube *cube;            /* NULL while loading or after a failed load */
  gboolean     loading;
  gint64       failed_version;  /* not loaded again before the version moves */
  gsize        bytes;
  guint64      used;
  GPtrArray   *waiters;         /* UsageJob */
} UsageCubeEntry;

static void usage_by_member (QsRequest              *req,
                             const char             *org_id,
                             gint64                  from,
                             gint64                  to,
                             const QsStoreUsageItem *after,
                             guint                   limit,
                             gboolean                may_wait);

static void
usage_cube_entry_free (UsageCubeEntry *entry)
{
  g_free (entry->org_id);
  g_clear_pointer (&entry->cube, qs_usage_cube_free);
  g_clear_pointer (&entry->waiters, g_ptr_array_unref);
  g_free (entry);
}

static void
usage_cube_drop (QsServer       *server,
                 UsageCubeEntry *entry)
{
  server->usage_cube_bytes -= entry->bytes;
  entry->bytes = 0;
  g_clear_pointer (&entry->cube, qs_usage_cube_free);
}

/* Lets the least recently used other cubes go until all fit. */
static void
usage_cubes_evict (QsServer       *server,
                   UsageCubeEntry *keep)
{
  while (server->usage_cube_bytes > USAGE_CUBES_MAX_BYTES)
    {
      UsageCubeEntry *oldest = NULL;
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, server->usage_cubes);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          UsageCubeEntry *entry = value;

          if (entry != keep && entry->cube != NULL && (oldest == NULL || entry->used < oldest->used))
            oldest = entry;
        }
      if (oldest == NULL)
        return;
      usage_cube_drop (server, oldest);
    }
}

static void
usage_cube_account (QsServer       *server,
                    UsageCubeEntry *entry)
{
  gsize bytes = entry->cube != NULL ? qs_usage_cube_get_bytes (entry->cube) : 0;

  server->usage_cube_bytes = server->usage_cube_bytes - entry->bytes + bytes;
  entry->bytes = bytes;
  usage_cubes_evict (server, entry);
}

typedef struct
{
  char        *db_path;
  char        *org_id;
  gint64       today;
  QsUsageCube *cube;
} UsageCubeLoad;

static void
usage_cube_load_free (UsageCubeLoad *load)
{
  g_free (load->db_path);
  g_free (load->org_id);
  g_clear_pointer (&load->cube, qs_usage_cube_free);
  g_free (load);
}

static gint64
usage_cube_load_begin (gint64     version,
                       gint64     min_day,
                       gint64     max_day,
                       GPtrArray *member_ids,
                       gpointer   user_data)
{
  UsageCubeLoad *load = user_data;

  load->cube = qs_usage_cube_new (load->org_id, version, min_day, max_day, load->today, member_ids,
                                  USAGE_CUBES_MAX_BYTES);
  return load->cube != NULL ? qs_usage_cube_get_first_day (load->cube) : -1;
}

static void
usage_cube_load_row (const char *member_id,
                     gint64      day,
                     gint64      credits,
                     gint64      requests,
                     gpointer    user_data)
{
  UsageCubeLoad *load = user_data;

  qs_usage_cube_load_row (load->cube, member_id, day, credits, requests);
}

static void
usage_cube_load_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  UsageCubeLoad *load = task_data;
  GError *error = NULL;

  if (!qs_store_usage_scan (load->db_path, load->org_id, usage_cube_load_begin, usage_cube_load_row, load, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (load->cube == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "usage of %s: too big to keep in memory",
                               load->org_id);
      return;
    }
  qs_usage_cube_load_done (load->cube);
  g_task_return_pointer (task, g_steal_pointer (&load->cube), (GDestroyNotify) qs_usage_cube_free);
}

static void
usage_cube_load_done (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  UsageCubeEntry *entry = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QsUsageCube) cube = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(GPtrArray) waiters = NULL;
  QsServer *server = entry->server;

  if (server == NULL)
    {
      usage_cube_entry_free (entry);
      return;
    }
  entry->loading = FALSE;
  if (cube == NULL)
    {
      g_warning ("%s", error->message);
      entry->failed_version = qs_store_usage_version (server->store, entry->org_id, NULL);
    }
  else
    {
      entry->cube = g_steal_pointer (&cube);
      entry->used = ++server->usage_cube_tick;
      usage_cube_account (server, entry);
    }
  /* Each waiting request again, now without waiting. */
  waiters = g_steal_pointer (&entry->waiters);
  entry->waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) usage_job_free);
  for (guint i = 0; i < waiters->len; i++)
    {
      UsageJob *job = g_ptr_array_index (waiters, i);
      QsRequest *req = job->req;

      usage_by_member (req, job->org_id, job->from, job->to, job->after.key != NULL ? &job->after : NULL,
                       job->limit, FALSE);
      g_assert (req->async_ops > 0);
      if (--req->async_ops == 0)
        {
          soup_server_message_unpause (req->msg);
          qs_request_free (req);
        }
    }
}

static UsageCubeEntry *
usage_cube_load (QsServer   *server,
                 const char *org_id)
{
  UsageCubeEntry *entry = server->usage_cubes != NULL ? g_hash_table_lookup (server->usage_cubes, org_id) : NULL;
  UsageCubeLoad *load;
  g_autoptr(GTask) task = NULL;

  if (server->usage_cubes == NULL)
    server->usage_cubes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                 (GDestroyNotify) usage_cube_entry_free);
  if (entry == NULL)
    {
      entry = g_new0 (UsageCubeEntry, 1);
      entry->server = server;
      entry->org_id = g_strdup (org_id);
      entry->waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) usage_job_free);
      g_hash_table_insert (server->usage_cubes, entry->org_id, entry);
    }
  usage_cube_drop (server, entry);
  entry->loading = TRUE;
  entry->failed_version = -1;
  load = g_new0 (UsageCubeLoad, 1);
  load->db_path = g_strdup (qs_store_path (server->store));
  load->org_id = g_strdup (org_id);
  load->today = qs_now () / 86400;
  task = g_task_new (NULL, NULL, usage_cube_load_done, entry);
  g_task_set_task_data (task, load, (GDestroyNotify) usage_cube_load_free);
  g_task_run_in_thread (task, usage_cube_load_thread);
  return entry;
}

/* The records logged since the cube's version, applied; FALSE when the
 * cube cannot catch up (a gap in the log, memory): it must load again. */
static gboolean
usage_cube_catch_up (QsServer       *server,
                     UsageCubeEntry *entry,
                     gint64          version)
{
  g_autoptr(GPtrArray) changes = NULL;

  if (qs_usage_cube_get_version (entry->cube) == version)
    return TRUE;
  if (qs_usage_cube_get_version (entry->cube) > version)
    return FALSE;  /* not the database it was loaded from */
  changes = qs_store_usage_changes_since (server->store, entry->org_id, qs_usage_cube_get_version (entry->cube),
                                          QS_STORE_USAGE_LOG_KEEP, NULL);
  if (changes == NULL)
    return FALSE;
  for (guint i = 0; i < changes->len; i++)
    {
      const QsStoreUsageChange *change = g_ptr_array_index (changes, i);

      if (change->version != qs_usage_cube_get_version (entry->cube) + 1 ||
          !qs_usage_cube_apply (entry->cube, change))
        return FALSE;
    }
  usage_cube_account (server, entry);
  return qs_usage_cube_get_version (entry->cube) >= version;
}

/* At start, the busiest organizations' usage loads before anyone asks. */
#define USAGE_CUBES_PRELOAD 4

void
qs_usage_cubes_preload (QsServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = qs_store_usage_busiest (server->store, USAGE_CUBES_PRELOAD, &error);

  if (ids == NULL)
    {
      g_warning ("%s", error->message);
      return;
    }
  for (guint i = 0; i < ids->len; i++)
    usage_cube_load (server, g_ptr_array_index (ids, i));
}

void
qs_usage_cubes_clear (QsServer *server)
{
  GHashTableIter iter;
  gpointer value;

  if (server->usage_cubes == NULL)
    return;
  /* A load still running frees its entry when it ends. */
  g_hash_table_iter_init (&iter, server->usage_cubes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      UsageCubeEntry *entry = value;

      if (entry->loading)
        {
          entry->server = NULL;
          g_hash_table_iter_steal (&iter);
        }
    }
  g_clear_pointer (&server->usage_cubes, g_hash_table_destroy);
  server->usage_cube_bytes = 0;
}

static void
usage_by_member (QsRequest              *req,
                 const char             *org_id,
                 gint64                  from,
                 gint64                  to,
                 const QsStoreUsageItem *after,
                 guint                   limit,
                 gboolean                may_wait)
{
  gint64 version = qs_store_usage_version (req->store, org_id, NULL);
  UsageCubeEntry *entry = NULL;
  g_autoptr(GPtrArray) cached = NULL;
  g_autoptr(GTask) task = NULL;
  UsageJob *job;

  if (version < 0)
    {
      qs_respond_internal (req);
      return;
    }
  if (req->server->usage_cubes != NULL)
    entry = g_hash_table_lookup (req->server->usage_cubes, org_id);
  if (entry != NULL && entry->cube != NULL)
    {
      if (!usage_cube_catch_up (req->server, entry, version))
        entry = usage_cube_load (req->server, org_id);
      else if (qs_usage_cube_covers (entry->cube, from, to))
        {
          gint64 total = 0;
          g_autoptr(GPtrArray) page = qs_usage_cube_page (entry->cube, from, to, after, limit, &total);

          entry->used = ++req->server->usage_cube_tick;
          respond_usage_page (req, page, limit, total);
          return;
        }
    }
  else if (entry == NULL || (!entry->loading && entry->failed_version != version))
    entry = usage_cube_load (req->server, org_id);
  cached = usage_cache_lookup (req->server, org_id, from, to, version);
  if (cached != NULL)
    {
      respond_usage_members (req, cached, after, limit);
      return;
    }
  /* The last 30 or 90 days up to today: kept sums, an index range. */
  if (to == qs_now () / 86400 && (to - from + 1 == 30 || to - from + 1 == 90))
    {
      g_autoptr(GError) error = NULL;
      gint64 total = 0;
      g_autoptr(GPtrArray) page = qs_store_usage_window_page (req->store, org_id, to - from + 1, to, after, limit,
                                                              &total, &error);

      if (error != NULL)
        {
          qs_respond_internal (req);
          return;
        }
      if (page != NULL)
        {
          respond_usage_page (req, page, limit, total);
          return;
        }
    }
  /* Any other range: from the cube once it is there. */
  if (entry != NULL && entry->loading && may_wait)
    {
      job = g_new0 (UsageJob, 1);
      job->req = req;
      job->org_id = g_strdup (org_id);
      job->from = from;
      job->to = to;
      job->limit = limit;
      if (after != NULL)
        {
          job->after = *after;
          job->after.key = g_strdup (after->key);
        }
      g_ptr_array_add (entry->waiters, job);
      if (req->async_ops++ == 0)
        soup_server_message_pause (req->msg);
      return;
    }
  if (req->server->usage_jobs >= USAGE_JOBS_MAX)
    {
      qs_respond_error (req, 503, "server_busy", "The server is busy; try again in a moment.");
      soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Retry-After", "1");
      return;
    }

  job = g_new0 (UsageJob, 1);
  job->req = req;
  job->db_path = g_strdup (qs_store_path (req->store));
  job->org_id = g_strdup (org_id);
  job->from = from;
  job->to = to;
  job->version = version;
  job->limit = limit;
  if (after != NULL)
    {
      job->after = *after;
      job->after.key = g_strdup (after->key);
    }
  req->server->usage_jobs++;
  if (req->async_ops++ == 0)
    soup_server_message_pause (req->msg);
  task = g_task_new (NULL, NULL, usage_job_done, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) usage_job_free);
  g_task_run_in_thread (task, usage_job_thread);
}

void
qs_handle_usage_get (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  const char *from_text = qs_query (req, "from");
  const char *to_text = qs_query (req, "to");
  const char *group_by = qs_query (req, "group_by");
  const char *cursor = qs_query (req, "cursor");
  gboolean by_member = FALSE;
  gint64 from = -1, to = -1, cursor_value = 0;
  g_autofree char *cursor_key = NULL;
  guint limit;

  if (to_text == NULL)
    to = qs_now () / 86400;
  else if ((to = parse_day (to_text)) < 0)
    qs_field_errors_add (errors, "to", "invalid", "A date, YYYY-MM-DD.");
  if (from_text == NULL)
    from = to >= 0 ? MAX (0, to - (USAGE_DEFAULT_DAYS - 1)) : -1;
  else if ((from = parse_day (from_text)) < 0)
    qs_field_errors_add (errors, "from", "invalid", "A date, YYYY-MM-DD.");
  if (from >= 0 && to >= 0)
    {
      if (from > to)
        qs_field_errors_add (errors, "from", "invalid", "from must not be after to.");
      else if (to - from + 1 > USAGE_MAX_DAYS)
        qs_field_errors_add (errors, "to", "out_of_range", "At most 366 days from from to to.");
    }
  if (group_by != NULL)
    {
      if (strcmp (group_by, "member") == 0)
        by_member = TRUE;
      else if (strcmp (group_by, "day") != 0)
        qs_field_errors_add (errors, "group_by", "invalid_choice", "One of day, member.");
    }
  limit = qs_query_limit (req, 50, errors);
  if (cursor != NULL &&
      !qs_key_cursor_decode (cursor, by_member ? "mem_" : "day", &cursor_value, &cursor_key))
    qs_field_errors_add (errors, "cursor", "invalid", "This cursor is not valid.");
  if (errors->len > 0)
    {
      qs_respond_validation (req, errors);
      return;
    }

  if (by_member)
    {
      QsStoreUsageItem after = { cursor_key, 0, cursor_value, 0 };

      usage_by_member (req, org_id, from, to, cursor_key != NULL ? &after : NULL, limit, TRUE);
    }
  else
    usage_by_day (req, org_id, from, to, cursor_key != NULL ? cursor_value : from, limit);
}

/* ----------------------------------------------------------------- ledger */

static JsonObject *
ledger_entry_json (const QsStoreLedgerItem *item)
{
  JsonObject *object = json_object_new ();
  g_autofree char *id = g_strdup_printf ("led_%" G_GINT64_FORMAT, item->id);
  g_autofree char *created = qs_format_time (item->created_at);

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "kind", qs_store_ledger_kind_name (item->kind));
  json_object_set_int_member (object, "amount_cents", item->amount_cents);
  json_object_set_int_member (object, "balance_after_cents", item->balance_after);
  json_object_set_string_member (object, "currency", item->currency != NULL ? item->currency : "EUR");
  json_object_set_string_member (object, "description", item->description);
  json_object_set_string_member (object, "created_at", created);
  return object;
}

/* The cursor is (created_at, "led_<id>"); FALSE unless the id is a
 * positive decimal number. */
static gboolean
ledger_cursor_decode (const char *cursor,
                      gint64     *created_at,
                      gint64     *id)
{
  g_autofree char *key = NULL;
  guint64 number;

  if (!qs_key_cursor_decode (cursor, "led_", created_at, &key))
    return FALSE;
  if (!g_ascii_string_to_unsigned (key + strlen ("led_"), 10, 1, G_MAXINT64, &number, NULL))
    return FALSE;
  *id = (gint64) number;
  return TRUE;
}

void
qs_handle_ledger_list (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_autoptr(QsStoreLedgerPage) page = NULL;
  g_autoptr(JsonObject) response = json_object_new ();
  g_autofree char *next = NULL;
  const char *cursor = qs_query (req, "cursor");
  gint64 cursor_created = 0, cursor_id = 0;
  guint limit;
  JsonArray *items;

  limit = qs_query_limit (req, 50, errors);
  if (cursor != NULL && !ledger_cursor_decode (cursor, &cursor_created, &cursor_id))
    qs_field_errors_add (errors, "cursor", "invalid", "This cursor is not valid.");
  if (errors->len > 0)
    {
      qs_respond_validation (req, errors);
      return;
    }
  page = qs_store_ledger_list (req->store, org_id, cursor_created, cursor_id, limit, NULL);
  if (page == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  items = json_array_new ();
  json_object_set_array_member (response, "items", items);
  for (guint i = 0; i < page->entries->len; i++)
    json_array_add_object_element (items, ledger_entry_json (g_ptr_array_index (page->entries, i)));
  if (page->more)
    {
      QsStoreLedgerItem *last = g_ptr_array_index (page->entries, page->entries->len - 1);
      g_autofree char *key = g_strdup_printf ("led_%" G_GINT64_FORMAT, last->id);

      next = qs_key_cursor_encode (last->created_at, key);
    }
  qs_json_set_string_or_null (response, "next_cursor", next);
  qs_respond_object (req, 200, response);
}

/* --------------------------------------------------------------- invoices */

static JsonObject *
invoice_json (const QsStoreInvoice *invoice)
{
  JsonObject *object = json_object_new ();
  g_autofree char *start = qs_format_time (invoice->period_start);
  g_autofree char *end = qs_format_time (invoice->period_end);

  json_object_set_string_member (object, "id", invoice->id);
  json_object_set_string_member (object, "number", invoice->number);
  json_object_set_string_member (object, "period_start", start);
  json_object_set_string_member (object, "period_end", end);
  json_object_set_int_member (object, "total_cents", invoice->total_cents);
  json_object_set_string_member (object, "currency", invoice->currency);
  json_object_set_string_member (object, "status", invoice_status_names[invoice->status]);
  return object;
}

void
qs_handle_invoices_list (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_autoptr(QsStoreInvoicePage) page = NULL;
  g_autoptr(JsonObject) response = json_object_new ();
  g_autofree char *cursor_id = NULL;
  g_autofree char *next = NULL;
  const char *cursor = qs_query (req, "cursor");
  gint64 cursor_start = 0;
  guint limit;
  JsonArray *items;

  limit = qs_query_limit (req, 50, errors);
  if (cursor != NULL && !qs_key_cursor_decode (cursor, "ivc_", &cursor_start, &cursor_id))
    qs_field_errors_add (errors, "cursor", "invalid", "This cursor is not valid.");
  if (errors->len > 0)
    {
      qs_respond_validation (req, errors);
      return;
    }
  page = qs_store_invoice_list (req->store, org_id, cursor_start, cursor_id, limit, qs_now (), NULL);
  if (page == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  items = json_array_new ();
  json_object_set_array_member (response, "items", items);
  for (guint i = 0; i < page->invoices->len; i++)
    json_array_add_object_element (items, invoice_json (g_ptr_array_index (page->invoices, i)));
  if (page->more)
    {
      QsStoreInvoice *last = g_ptr_array_index (page->invoices, page->invoices->len - 1);

      next = qs_key_cursor_encode (last->period_start, last->id);
    }
  qs_json_set_string_or_null (response, "next_cursor", next);
  json_object_set_int_member (response, "total", page->total);
  qs_respond_object (req, 200, response);
}

static void
invoice_pdf_done (QsRequest *req,
                  GBytes    *pdf,
                  gpointer   user_data)
{
  const char *number = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);
  g_autofree char *disposition = NULL;

  if (pdf == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  /* The number is QRM-YYYY-NNNNNN: nothing to quote or escape. */
  disposition = g_strdup_printf ("attachment; filename=\"%s.pdf\"", number);
  soup_message_headers_replace (headers, "Content-Disposition", disposition);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_server_message_set_status (req->msg, 200, NULL);
  soup_server_message_set_response (req->msg, "application/pdf", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf));
}

void
qs_handle_invoice_pdf (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  const char *invoice_id = qs_request_param (req, "invoice_id");
  gint64 now = qs_now ();
  g_autoptr(QsStoreInvoice) invoice = NULL;
  g_autoptr(QsStoreOrganization) org = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GHashTable) by_description = NULL;
  QsInvoiceDocument *doc;

  if (strlen (invoice_id) > 64 || !g_str_has_prefix (invoice_id, "ivc_") ||
      !(invoice = qs_store_invoice_get (req->store, org_id, invoice_id, now, NULL)))
    {
      qs_respond_error (req, 404, "invoice_not_found", "No such invoice.");
      return;
    }
  /* Everything the drawing needs is read here, on the main loop; the worker
   * thread never touches the store. */
  org = qs_store_organization_get (req->store, org_id, NULL);
  entries = qs_store_invoice_entries (req->store, invoice, NULL);
  if (org == NULL || entries == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  doc = g_new0 (QsInvoiceDocument, 1);
  doc->issuer_url = g_strdup (req->server->public_url);
  doc->org_name = g_strdup (org->name);
  doc->org_slug = g_strdup (org->slug);
  doc->org_id = g_strdup (org->id);
  doc->number = g_strdup (invoice->number);
  doc->status = g_strdup (invoice_status_names[invoice->status]);
  doc->currency = g_strdup (invoice->currency);
  doc->period_start = invoice->period_start;
  doc->period_end = invoice->period_end;
  doc->issued_at = invoice->created_at;
  doc->total_cents = invoice->total_cents;
  doc->top_ups_cents = invoice->top_ups_cents;
  doc->balance_end = invoice->balance_end;
  doc->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) qs_invoice_line_free);
  by_description = g_hash_table_new (g_str_hash, g_str_equal);
  /* One line per kind of charge: usage is charged in many small entries. */
  for (guint i = 0; i < entries->len; i++)
    {
      QsStoreLedgerEntry *entry = g_ptr_array_index (entries, i);
      QsInvoiceLine *line;

      if (entry->amount_cents >= 0)
        continue;  /* payments into the balance are not charges */
      line = g_hash_table_lookup (by_description, entry->description);
      if (line == NULL)
        {
          line = g_new0 (QsInvoiceLine, 1);
          line->description = g_strdup (entry->description);
          line->date = entry->created_at;
          g_ptr_array_add (doc->lines, line);
          g_hash_table_insert (by_description, line->description, line);
        }
      line->amount_cents += -entry->amount_cents;
    }
  qs_invoice_pdf_render_async (req, doc, invoice_pdf_done, g_strdup (invoice->number), g_free);
}

/* ------------------------------------------------------- --record-usage */

gboolean
qs_record_usage (const char  *data_dir,
                 const char  *database,
                 char       **specs,
                 GError     **error)
{
  g_autofree char *db_path = database != NULL ? g_strdup (database)
                                              : g_build_filename (data_dir, "quorum.db", NULL);
  g_autoptr(QsStore) store = NULL;

  if (database == NULL && !g_file_test (db_path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no database in %s", data_dir);
      return FALSE;
    }
  store = qs_store_open (db_path, error);
  if (store == NULL)
    return FALSE;
  for (guint i = 0; specs[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (specs[i], ",", -1);
      g_autoptr(QsStoreTxn) txn = NULL;
      g_autoptr(GError) local = NULL;
      g_autofree char *org_id = NULL;
      guint64 credits, requests;
      gint64 day;

      if (g_strv_length (fields) != 4 || !g_str_has_prefix (fields[0], "mem_") ||
          (day = parse_day (fields[1])) < 0 ||
          !g_ascii_string_to_unsigned (fields[2], 10, 0, 1000000000, &credits, NULL) ||
          !g_ascii_string_to_unsigned (fields[3], 10, 0, 1000000000, &requests, NULL) ||
          credits + requests == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "--record-usage “%s”: expected MEMBER_ID,YYYY-MM-DD,CREDITS,REQUESTS"
                       " (0 to 1000000000 each, not both 0)", specs[i]);
          return FALSE;
        }
      if (!(txn = qs_store_begin (store, error)))
        return FALSE;
      if (!qs_store_usage_record (store, fields[0], day, (gint64) credits, (gint64) requests, qs_now (),
                                  &org_id, &local))
        {
          if (local == NULL)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "--record-usage: no member %s", fields[0]);
          else
            g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (!qs_store_txn_commit (txn, error))
        return FALSE;
    }
  return TRUE;
}
