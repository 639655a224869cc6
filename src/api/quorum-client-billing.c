/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"


#include <string.h>

#include "quorum-client-private.h"

/* A billing state with the ETag of its answer. */
static gpointer
parse_billing (QuorumRequest *request,
               JsonNode      *root,
               GError       **error)
{
  QuorumBilling *billing = quorum_billing_new_from_json (root, error);
  const char *etag;

  if (billing == NULL)
    return NULL;

  if ((etag = _quorum_request_get_etag (request)) != NULL)
    _quorum_billing_set_etag (billing, etag);
  return billing;
}

/*
 * Billing: plans, the billing state, plan changes, top-ups, invoices (and
 * their PDF, streamed) and usage. Owners and admins only, except the plans.
 */

/**
 * quorum_client_list_plans_async:
 *
 * GET /v1/plans: every plan on offer, cheapest first. Needs no sign-in.
 */
void
quorum_client_list_plans_async (QuorumClient        *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));

  request = _quorum_request_new (self, "GET", "/plans");
  request->parse_object = (QuorumObjectParseFunc) quorum_plan_new_from_json;
  _quorum_request_send (request, _quorum_parse_list, (GDestroyNotify) _quorum_list_result_free,
                        quorum_client_list_plans_async, cancellable, callback, user_data);
}

/**
 * quorum_client_list_plans_finish:
 *
 * Returns: (transfer container) (element-type QuorumPlan): the plans
 */
GPtrArray *
quorum_client_list_plans_finish (QuorumClient  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _quorum_request_finish_list (self, result, quorum_client_list_plans_async, NULL, NULL, error);
}

void
quorum_client_get_billing_async (QuorumClient        *self,
                                 const char          *organization_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL);

  request = _quorum_request_new (self, "GET", "/organizations/%s/billing", organization_id);
  _quorum_request_send (request, parse_billing, g_object_unref,
                        quorum_client_get_billing_async, cancellable, callback, user_data);
}

/**
 * quorum_client_get_billing_finish:
 *
 * Returns: (transfer full): the organization's billing state
 */
QuorumBilling *
quorum_client_get_billing_finish (QuorumClient  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _quorum_request_finish (self, result, quorum_client_get_billing_async, error);
}

/**
 * quorum_client_update_billing_async:
 * @etag: (nullable): the billing state's ETag when it was shown, sent as
 *   If-Match: a change made meanwhile elsewhere fails with
 *   %QUORUM_API_ERROR_PRECONDITION_FAILED instead of being overwritten
 * @low_balance_alert_cents: warn below this balance, or
 *   %QUORUM_BILLING_NO_ALERT to turn the alert off
 *
 * PATCH .../billing with the low-balance alert.
 */
void
quorum_client_update_billing_async (QuorumClient        *self,
                                    const char          *organization_id,
                                    const char          *etag,
                                    gint64               low_balance_alert_cents,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL);
  g_return_if_fail (low_balance_alert_cents >= QUORUM_BILLING_NO_ALERT);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "low_balance_alert_cents");
  if (low_balance_alert_cents == QUORUM_BILLING_NO_ALERT)
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, low_balance_alert_cents);
  json_builder_end_object (builder);

  request = _quorum_request_new (self, "PATCH", "/organizations/%s/billing", organization_id);
  request->if_match = g_strdup (etag);
  _quorum_request_take_json (request, json_builder_get_root (builder));
  _quorum_request_send (request, parse_billing, g_object_unref,
                        quorum_client_update_billing_async, cancellable, callback, user_data);
}

/**
 * quorum_client_update_billing_finish:
 *
 * Returns: (transfer full): the billing state after the change
 */
QuorumBilling *
quorum_client_update_billing_finish (QuorumClient  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return _quorum_request_finish (self, result, quorum_client_update_billing_async, error);
}

/**
 * quorum_client_change_plan_async:
 *
 * PUT .../billing/plan. Fails with %QUORUM_API_ERROR_SEAT_LIMIT_EXCEEDED
 * when more seats are in use than the plan allows.
 */
void
quorum_client_change_plan_async (QuorumClient        *self,
                                 const char          *organization_id,
                                 const char          *plan_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && plan_id != NULL);

  request = _quorum_request_new (self, "PUT", "/organizations/%s/billing/plan", organization_id);
  _quorum_request_set_json (request, "plan_id", plan_id, NULL);
  _quorum_request_send (request, parse_billing, g_object_unref,
                        quorum_client_change_plan_async, cancellable, callback, user_data);
}

/**
 * quorum_client_change_plan_finish:
 *
 * Returns: (transfer full): the billing state on the new plan
 */
QuorumBilling *
quorum_client_change_plan_finish (QuorumClient  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _quorum_request_finish (self, result, quorum_client_change_plan_async, error);
}

static gpointer
parse_top_up (QuorumRequest *request,
              JsonNode      *root,
              GError       **error)
{
  JsonObject *object;
  gint64 balance;

  if (!(object = _quorum_json_get_root_object (root, "top-up", error)))
    return NULL;
  if (!_quorum_json_get_int (object, "balance_cents", QUORUM_JSON_REQUIRED,
                             -QUORUM_MAX_CENTS, QUORUM_MAX_CENTS, &balance, error))
    return NULL;
  return g_memdup2 (&balance, sizeof balance);
}

/**
 * quorum_client_top_up_async:
 * @amount_cents: QUORUM_TOP_UP_MIN_CENTS … QUORUM_TOP_UP_MAX_CENTS
 * @idempotency_key: a key the caller chose for this top-up and keeps for
 *   every retry of it (quorum_client_new_idempotency_key()), so a top-up
 *   whose answer was lost is not paid twice
 *
 * POST .../billing/top-ups (a test-mode payment).
 */
void
quorum_client_top_up_async (QuorumClient        *self,
                            const char          *organization_id,
                            gint64               amount_cents,
                            const char          *idempotency_key,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL);
  g_return_if_fail (idempotency_key != NULL && *idempotency_key != '\0');

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "amount_cents");
  json_builder_add_int_value (builder, amount_cents);
  json_builder_end_object (builder);

  request = _quorum_request_new (self, "POST", "/organizations/%s/billing/top-ups", organization_id);
  _quorum_request_take_json (request, json_builder_get_root (builder));
  request->idempotency_key = g_strdup (idempotency_key);
  _quorum_request_send (request, parse_top_up, g_free, quorum_client_top_up_async,
                        cancellable, callback, user_data);
}

/**
 * quorum_client_top_up_finish:
 * @out_balance_cents: (out) (optional): the balance after the top-up
 */
gboolean
quorum_client_top_up_finish (QuorumClient  *self,
                             GAsyncResult  *result,
                             gint64        *out_balance_cents,
                             GError       **error)
{
  g_autofree gint64 *balance = _quorum_request_finish (self, result, quorum_client_top_up_async, error);

  if (out_balance_cents != NULL)
    *out_balance_cents = balance != NULL ? *balance : 0;
  return balance != NULL;
}

/**
 * quorum_client_new_idempotency_key:
 *
 * Returns: (transfer full): a fresh key for one operation (a random UUID)
 */
char *
quorum_client_new_idempotency_key (void)
{
  return g_uuid_string_random ();
}

/**
 * quorum_client_list_invoices_async:
 * @cursor: (nullable): the previous page's next cursor
 * @limit: page size, 1–200 (0 for the server's default)
 *
 * GET .../billing/invoices, newest first.
 */
void
quorum_client_list_invoices_async (QuorumClient        *self,
                                   const char          *organization_id,
                                   const char          *cursor,
                                   guint                limit,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *limit_str = NULL;
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL);
  g_return_if_fail (limit <= 200);

  request = _quorum_request_new (self, "GET", "/organizations/%s/billing/invoices", organization_id);
  if (limit > 0)
    _quorum_request_add_query (request, "limit", (limit_str = g_strdup_printf ("%u", limit)));
  _quorum_request_add_query (request, "cursor", cursor);
  request->parse_object = (QuorumObjectParseFunc) quorum_invoice_new_from_json;
  _quorum_request_send (request, _quorum_parse_list, (GDestroyNotify) _quorum_list_result_free,
                        quorum_client_list_invoices_async, cancellable, callback, user_data);
}

/**
 * quorum_client_list_invoices_finish:
 * @out_next_cursor: (out) (optional): the cursor of the next page, %NULL at the end
 * @out_total: (out) (optional): how many invoices there are in all
 *
 * Returns: (transfer container) (element-type QuorumInvoice): one page
 */
GPtrArray *
quorum_client_list_invoices_finish (QuorumClient  *self,
                                    GAsyncResult  *result,
                                    char         **out_next_cursor,
                                    guint         *out_total,
                                    GError       **error)
{
  return _quorum_request_finish_list (self, result, quorum_client_list_invoices_async,
                                      out_next_cursor, out_total, error);
}

/**
 * quorum_client_list_ledger_async:
 * @cursor: (nullable): the previous page's next cursor
 * @limit: page size, 1–200 (0 for the server's default, 50)
 *
 * GET .../billing/ledger: the organization's ledger entries, newest first.
 */
void
quorum_client_list_ledger_async (QuorumClient        *self,
                                 const char          *organization_id,
                                 const char          *cursor,
                                 guint                limit,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *limit_str = NULL;
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL);
  g_return_if_fail (limit <= 200);

  request = _quorum_request_new (self, "GET", "/organizations/%s/billing/ledger", organization_id);
  if (limit > 0)
    _quorum_request_add_query (request, "limit", (limit_str = g_strdup_printf ("%u", limit)));
  _quorum_request_add_query (request, "cursor", cursor);
  request->parse_object = (QuorumObjectParseFunc) quorum_ledger_entry_new_from_json;
  _quorum_request_send (request, _quorum_parse_list, (GDestroyNotify) _quorum_list_result_free,
                        quorum_client_list_ledger_async, cancellable, callback, user_data);
}

/**
 * quorum_client_list_ledger_finish:
 * @out_next_cursor: (out) (optional): the cursor of the next page, %NULL at the end
 *
 * Returns: (transfer container) (element-type QuorumLedgerEntry): one page
 */
GPtrArray *
quorum_client_list_ledger_finish (QuorumClient  *self,
                                  GAsyncResult  *result,
                                  char         **out_next_cursor,
                                  GError       **error)
{
  return _quorum_request_finish_list (self, result, quorum_client_list_ledger_async,
                                      out_next_cursor, NULL, error);
}

/**
 * quorum_client_download_invoice_pdf_async:
 * @sink: where the PDF goes, as it arrives (the caller closes it)
 * @max_bytes: the most the document may hold (0 for
 *   %QUORUM_CLIENT_MAX_DOCUMENT_BYTES); a longer one fails with
 *   %QUORUM_API_ERROR_INVALID_RESPONSE once that much was written
 *
 * GET .../billing/invoices/{id}/pdf, streamed: the document is never held
 * in memory whole. An answer that is not application/pdf is refused before
 * anything is written.
 */
void
quorum_client_download_invoice_pdf_async (QuorumClient        *self,
                                          const char          *organization_id,
                                          const char          *invoice_id,
                                          GOutputStream       *sink,
                                          gsize                max_bytes,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && invoice_id != NULL);
  g_return_if_fail (G_IS_OUTPUT_STREAM (sink));

  request = _quorum_request_new (self, "GET", "/organizations/%s/billing/invoices/%s/pdf",
                                 organization_id, invoice_id);
  request->sink = g_object_ref (sink);
  request->sink_max_bytes = max_bytes > 0 ? max_bytes : QUORUM_CLIENT_MAX_DOCUMENT_BYTES;
  request->sink_content_type = "application/pdf";
  _quorum_request_send (request, _quorum_parse_nothing, NULL,
                        quorum_client_download_invoice_pdf_async, cancellable, callback, user_data);
}

/**
 * quorum_client_download_invoice_pdf_finish:
 *
 * Returns: the bytes written to the sink, or -1 with @error set
 */
gssize
quorum_client_download_invoice_pdf_finish (QuorumClient  *self,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  g_autofree gint64 *written = _quorum_request_finish (self, result,
                                                       quorum_client_download_invoice_pdf_async,
                                                       error);

  return written != NULL ? (gssize) *written : -1;
}

/* Saving to a file: _quorum_client_save_async () (never half a PDF). */

typedef struct
{
  char *organization_id;
  char *invoice_id;
} SaveInvoice;

static void
save_invoice_free (SaveInvoice *invoice)
{
  g_free (invoice->organization_id);
  g_free (invoice->invoice_id);
  g_free (invoice);
}

static void
save_invoice_start (QuorumClient        *self,
                    GOutputStream       *stream,
                    gpointer             data,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  SaveInvoice *invoice = data;

  quorum_client_download_invoice_pdf_async (self, invoice->organization_id, invoice->invoice_id,
                                            stream, 0, cancellable, callback, user_data);
}

static gssize
save_invoice_finish (QuorumClient  *self,
                     GAsyncResult  *result,
                     gpointer       data,
                     GError       **error)
{
  return quorum_client_download_invoice_pdf_finish (self, result, error);
}

/**
 * quorum_client_save_invoice_pdf_async:
 * @file: where to save the PDF (replaced when it exists)
 *
 * quorum_client_download_invoice_pdf_async() into @file; on failure the file
 * is not left half written.
 */
void
quorum_client_save_invoice_pdf_async (QuorumClient        *self,
                                      const char          *organization_id,
                                      const char          *invoice_id,
                                      GFile               *file,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  SaveInvoice *invoice;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && invoice_id != NULL);
  g_return_if_fail (G_IS_FILE (file));

  invoice = g_new0 (SaveInvoice, 1);
  invoice->organization_id = g_strdup (organization_id);
  invoice->invoice_id = g_strdup (invoice_id);
  _quorum_client_save_async (self, file, save_invoice_start, save_invoice_finish, invoice,
                             (GDestroyNotify) save_invoice_free, quorum_client_save_invoice_pdf_async,
                             cancellable, callback, user_data);
}

/**
 * quorum_client_save_invoice_pdf_finish:
 *
 * Returns: the size of the saved PDF, or -1 with @error set
 */
gssize
quorum_client_save_invoice_pdf_finish (QuorumClient  *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return _quorum_client_save_finish (self, result, quorum_client_save_invoice_pdf_async, NULL, error);
}

/**
 * quorum_client_get_usage_async:
 * @from: (nullable): the first day (its UTC date counts), or %NULL for 29
 *   days before @to
 * @to: (nullable): the last day, or %NULL for today (UTC)
 * @group_by: %QUORUM_USAGE_BY_DAY (every day, oldest first, zeros included)
 *   or %QUORUM_USAGE_BY_MEMBER (most credits first)
 * @cursor: (nullable): the previous page's next cursor
 * @limit: page size, 1–200 (0 for the server's default)
 *
 * GET .../usage.
 */
void
quorum_client_get_usage_async (QuorumClient        *self,
                               const char          *organization_id,
                               GDateTime           *from,
                               GDateTime           *to,
                               QuorumUsageGrouping  group_by,
                               const char          *cursor,
                               guint                limit,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autofree char *from_str = NULL;
  g_autofree char *to_str = NULL;
  g_autofree char *limit_str = NULL;
  g_autoptr(GDateTime) from_utc = NULL;
  g_autoptr(GDateTime) to_utc = NULL;
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL);
  g_return_if_fail (group_by == QUORUM_USAGE_BY_DAY || group_by == QUORUM_USAGE_BY_MEMBER);
  g_return_if_fail (limit <= 200);

  if (from != NULL)
    from_str = g_date_time_format ((from_utc = g_date_time_to_utc (from)), "%Y-%m-%d");
  if (to != NULL)
    to_str = g_date_time_format ((to_utc = g_date_time_to_utc (to)), "%Y-%m-%d");

  request = _quorum_request_new (self, "GET", "/organizations/%s/usage", organization_id);
  _quorum_request_add_query (request, "from", from_str);
  _quorum_request_add_query (request, "to", to_str);
  _quorum_request_add_query (request, "group_by", group_by == QUORUM_USAGE_BY_MEMBER ? "member" : "day");
  if (limit > 0)
    _quorum_request_add_query (request, "limit", (limit_str = g_strdup_printf ("%u", limit)));
  _quorum_request_add_query (request, "cursor", cursor);
  request->parse_object = (QuorumObjectParseFunc) quorum_usage_item_new_from_json;
  _quorum_request_send (request, _quorum_parse_list, (GDestroyNotify) _quorum_list_result_free,
                        quorum_client_get_usage_async, cancellable, callback, user_data);
}

/**
 * quorum_client_get_usage_finish:
 * @out_next_cursor: (out) (optional): the cursor of the next page, %NULL at the end
 * @out_total: (out) (optional): how many items there are in all
 *
 * Returns: (transfer container) (element-type QuorumUsageItem): one page
 */
GPtrArray *
quorum_client_get_usage_finish (QuorumClient  *self,
                                GAsyncResult  *result,
                                char         **out_next_cursor,
                                guint         *out_total,
                                GError       **error)
{
  return _quorum_request_finish_list (self, result, quorum_client_get_usage_async,
                                      out_next_cursor, out_total, error);
}
