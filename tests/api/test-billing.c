/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "quorum-api.h"
#include "quorum-test-person.h"
#include "quorum-test-server.h"
#include "quorum-test-settings.h"
#include "quorum-test-wait.h"

/*
 * The billing calls against the real quorum-server with its demo data
 * (ada@demo.quorum.test owns Acme Robotics — Business plan, 90 days of usage,
 * monthly invoices — and is a plain member of Initech) and with people who
 * sign up here (a new organization starts on Free: 5 seats, no balance).
 */

#define PASSWORD      "correct horse battery"
#define DEMO_EMAIL    "ada@demo.quorum.test"
#define DEMO_PASSWORD "quorum-demo"

static QuorumTestServer *server;

#define SYNC(call, finish) \
  ({ g_autoptr(GAsyncResult) result = NULL; call; quorum_test_wait_result (&result); finish; })

static QuorumTestPerson *
sign_up (const char *name)
{
  QuorumTestPerson *person = quorum_test_person_sign_up (server, name, PASSWORD, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (person->organization);
  g_assert_true (quorum_test_server_verify_email (server, person->email, &error));
  g_assert_no_error (error);
  return person;
}

/* Ada of the demo data, with the organization called @name. */
static QuorumTestPerson *
demo_ada (const char *name)
{
  QuorumTestPerson *person = quorum_test_person_new (server, DEMO_EMAIL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) organizations = NULL;

  person->user = SYNC (quorum_client_sign_in_async (person->client, DEMO_EMAIL, DEMO_PASSWORD, NULL,
                                                    quorum_test_store_result, &result),
                       quorum_client_sign_in_finish (person->client, result, NULL, &error));
  g_assert_no_error (error);
  organizations = SYNC (quorum_client_list_organizations_async (person->client, NULL, quorum_test_store_result, &result),
                        quorum_client_list_organizations_finish (person->client, result, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < organizations->len; i++)
    if (g_str_equal (quorum_organization_get_name (g_ptr_array_index (organizations, i)), name))
      person->organization = g_object_ref (g_ptr_array_index (organizations, i));
  g_assert_nonnull (person->organization);
  return person;
}

static const char *
org_id (QuorumTestPerson *person)
{
  return quorum_organization_get_id (person->organization);
}

static QuorumBilling *
get_billing (QuorumTestPerson *person,
             GError          **error)
{
  return SYNC (quorum_client_get_billing_async (person->client, org_id (person), NULL,
                                                quorum_test_store_result, &result),
               quorum_client_get_billing_finish (person->client, result, error));
}

static gboolean
top_up (QuorumTestPerson *person,
        gint64            cents,
        const char       *key,
        gint64           *out_balance,
        GError          **error)
{
  return SYNC (quorum_client_top_up_async (person->client, org_id (person), cents, key, NULL,
                                           quorum_test_store_result, &result),
               quorum_client_top_up_finish (person->client, result, out_balance, error));
}

static QuorumBilling *
change_plan (QuorumTestPerson *person,
             const char       *plan_id,
             GError          **error)
{
  return SYNC (quorum_client_change_plan_async (person->client, org_id (person), plan_id, NULL,
                                                quorum_test_store_result, &result),
               quorum_client_change_plan_finish (person->client, result, error));
}

static void
test_plans (void)
{
  /* Public: no sign-in. */
  g_autoptr(QuorumClient) client = quorum_client_new (quorum_test_server_get_url (server));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) plans = NULL;

  plans = SYNC (quorum_client_list_plans_async (client, NULL, quorum_test_store_result, &result),
                quorum_client_list_plans_finish (client, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (plans->len, ==, 3);
  g_assert_cmpstr (quorum_plan_get_id (g_ptr_array_index (plans, 0)), ==, "pln_free");
  g_assert_cmpint (quorum_plan_get_seat_limit (g_ptr_array_index (plans, 0)), ==, 5);
  g_assert_cmpstr (quorum_plan_get_id (g_ptr_array_index (plans, 1)), ==, "pln_team");
  g_assert_cmpint (quorum_plan_get_price_cents (g_ptr_array_index (plans, 1)), ==, 2900);
  g_assert_cmpstr (quorum_plan_get_currency (g_ptr_array_index (plans, 1)), ==, "EUR");
  g_assert_cmpstr (quorum_plan_get_id (g_ptr_array_index (plans, 2)), ==, "pln_business");
  /* null in the API: no limit */
  g_assert_cmpint (quorum_plan_get_seat_limit (g_ptr_array_index (plans, 2)), ==, 0);
  /* Cheapest first. */
  for (guint i = 1; i < plans->len; i++)
    g_assert_cmpint (quorum_plan_get_price_cents (g_ptr_array_index (plans, i - 1)), <=,
                     quorum_plan_get_price_cents (g_ptr_array_index (plans, i)));
}

static void
test_billing_state (void)
{
  g_autoptr(QuorumTestPerson) grace = sign_up ("Grace");
  g_autoptr(QuorumTestPerson) ada = demo_ada ("Initech");
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumBilling) billing = get_billing (grace, &error);
  g_autoptr(QuorumBilling) refused = NULL;
  g_autoptr(QuorumBilling) alerted = NULL;
  g_autoptr(QuorumBilling) off = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (quorum_plan_get_id (quorum_billing_get_plan (billing)), ==, "pln_free");
  g_assert_cmpint (quorum_billing_get_balance_cents (billing), ==, 0);
  g_assert_cmpstr (quorum_billing_get_currency (billing), ==, "EUR");
  g_assert_cmpint (quorum_billing_get_seats_used (billing), ==, 1);
  g_assert_cmpint (quorum_billing_get_seat_limit (billing), ==, 5);

  /* The low-balance alert: on at 10.00 with a balance of 0 is "low". */
  alerted = SYNC (quorum_client_update_billing_async (grace->client, org_id (grace), NULL, 1000, NULL,
                                                      quorum_test_store_result, &result),
                  quorum_client_update_billing_finish (grace->client, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (quorum_billing_get_low_balance_alert_cents (alerted), ==, 1000);
  g_assert_true (quorum_billing_get_balance_is_low (alerted));
  /* If-Match: the version shown, or a refusal if it changed meanwhile. */
  g_assert_nonnull (quorum_billing_get_etag (billing));
  g_assert_nonnull (quorum_billing_get_etag (alerted));
  g_assert_cmpstr (quorum_billing_get_etag (billing), !=, quorum_billing_get_etag (alerted));
  off = SYNC (quorum_client_update_billing_async (grace->client, org_id (grace), quorum_billing_get_etag (billing),
                                                  QUORUM_BILLING_NO_ALERT, NULL, quorum_test_store_result, &result),
              quorum_client_update_billing_finish (grace->client, result, &error));
  g_assert_null (off);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_PRECONDITION_FAILED);
  g_clear_error (&error);
  off = SYNC (quorum_client_update_billing_async (grace->client, org_id (grace), quorum_billing_get_etag (alerted),
                                                  QUORUM_BILLING_NO_ALERT, NULL, quorum_test_store_result, &result),
              quorum_client_update_billing_finish (grace->client, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (quorum_billing_get_low_balance_alert_cents (off), ==, QUORUM_BILLING_NO_ALERT);
  g_assert_false (quorum_billing_get_balance_is_low (off));

  /* A member of Initech may not see its billing. */
  refused = get_billing (ada, &error);
  g_assert_null (refused);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_FORBIDDEN);
}

/* A top-up moves the balance on the server; its retry with the same key is
 * answered with the first result and moves nothing; the key with another
 * amount is refused; a new key is a new top-up. */
static void
test_top_up_idempotent (void)
{
  g_autoptr(QuorumTestPerson) grace = sign_up ("Grace");
  g_autofree char *key = quorum_client_new_idempotency_key ();
  g_autofree char *other_key = quorum_client_new_idempotency_key ();
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumBilling) billing = NULL;
  gint64 balance = -1;

  g_assert_cmpstr (key, !=, other_key);
  g_assert_true (top_up (grace, 5000, key, &balance, &error));
  g_assert_no_error (error);
  g_assert_cmpint (balance, ==, 5000);
  billing = get_billing (grace, &error);
  g_assert_cmpint (quorum_billing_get_balance_cents (billing), ==, 5000);
  g_clear_object (&billing);

  /* The retry of a top-up whose answer was lost. */
  balance = -1;
  g_assert_true (top_up (grace, 5000, key, &balance, &error));
  g_assert_no_error (error);
  g_assert_cmpint (balance, ==, 5000);
  billing = get_billing (grace, &error);
  g_assert_cmpint (quorum_billing_get_balance_cents (billing), ==, 5000);
  g_clear_object (&billing);

  /* The same key for another amount. */
  g_assert_false (top_up (grace, 7000, key, &balance, &error));
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_IDEMPOTENCY_KEY_REUSED);
  g_clear_error (&error);

  /* Amounts the server refuses (the app checks them before sending too). */
  g_assert_false (top_up (grace, QUORUM_TOP_UP_MIN_CENTS - 1, other_key, &balance, &error));
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_VALIDATION);
  g_clear_error (&error);
  g_assert_false (top_up (grace, QUORUM_TOP_UP_MAX_CENTS + 1, other_key, &balance, &error));
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_VALIDATION);
  g_clear_error (&error);

  g_clear_pointer (&other_key, g_free);
  other_key = quorum_client_new_idempotency_key ();
  g_assert_true (top_up (grace, 2500, other_key, &balance, &error));
  g_assert_no_error (error);
  g_assert_cmpint (balance, ==, 7500);
  billing = get_billing (grace, &error);
  g_assert_cmpint (quorum_billing_get_balance_cents (billing), ==, 7500);
}

static GPtrArray *
list_ledger (QuorumTestPerson *person,
             const char  *cursor,
             guint        limit,
             char       **next_cursor,
             GError     **error)
{
  return SYNC (quorum_client_list_ledger_async (person->client, org_id (person), cursor, limit, NULL,
                                                quorum_test_store_result, &result),
               quorum_client_list_ledger_finish (person->client, result, next_cursor, error));
}

/* The ledger, newest first: each top-up is an entry with its signed amount
 * and the balance after it; pages follow the cursor without gaps or
 * repeats; a made-up cursor is a validation error. */
static void
test_ledger (void)
{
  g_autoptr(QuorumTestPerson) joan = sign_up ("Joan");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *end = NULL;
  QuorumLedgerEntry *entry;
  gint64 balance = 0;

  all = list_ledger (joan, NULL, 0, &end, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 0);
  g_assert_null (end);
  g_clear_pointer (&all, g_ptr_array_unref);

  for (gint64 cents = 100; cents <= 300; cents += 100)
    {
      g_autofree char *key = quorum_client_new_idempotency_key ();

      g_assert_true (top_up (joan, cents, key, &balance, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (balance, ==, 600);

  all = list_ledger (joan, NULL, 0, &end, &error);
  g_assert_no_error (error);
  g_assert_null (end);
  g_assert_cmpuint (all->len, ==, 3);
  entry = g_ptr_array_index (all, 0);
  g_assert_cmpstr (quorum_ledger_entry_get_kind (entry), ==, "top_up");
  g_assert_cmpint (quorum_ledger_entry_get_amount_cents (entry), ==, 300);
  g_assert_cmpint (quorum_ledger_entry_get_balance_after_cents (entry), ==, 600);
  g_assert_cmpstr (quorum_ledger_entry_get_currency (entry), ==, "EUR");
  g_assert_nonnull (quorum_ledger_entry_get_created_at (entry));
  g_assert_cmpstr (quorum_ledger_entry_get_description (entry), !=, "");
  g_assert_cmpint (quorum_ledger_entry_get_amount_cents (g_ptr_array_index (all, 2)), ==, 100);
  g_assert_cmpint (quorum_ledger_entry_get_balance_after_cents (g_ptr_array_index (all, 2)), ==, 100);

  first = list_ledger (joan, NULL, 2, &cursor, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->len, ==, 2);
  g_assert_nonnull (cursor);
  second = list_ledger (joan, cursor, 2, &end, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->len, ==, 1);
  g_assert_null (end);
  g_assert_cmpstr (quorum_ledger_entry_get_id (g_ptr_array_index (first, 1)), ==,
                   quorum_ledger_entry_get_id (g_ptr_array_index (all, 1)));
  g_assert_cmpstr (quorum_ledger_entry_get_id (g_ptr_array_index (second, 0)), ==,
                   quorum_ledger_entry_get_id (g_ptr_array_index (all, 2)));

  /* A cursor the server did not give: a validation error, not a crash. */
  g_clear_pointer (&second, g_ptr_array_unref);
  second = list_ledger (joan, "not-a-cursor", 2, NULL, &error);
  g_assert_null (second);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_VALIDATION);
}

/* Moving to a plan with fewer seats than in use (members plus pending
 * invitations) is refused with seat_limit_exceeded and changes nothing. */
static void
test_plan_change_refused_with_seats (void)
{
  g_autoptr(QuorumTestPerson) grace = sign_up ("Grace");
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumBilling) billing = NULL;
  g_autoptr(QuorumBilling) refused = NULL;

  billing = change_plan (grace, "pln_team", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (quorum_plan_get_id (quorum_billing_get_plan (billing)), ==, "pln_team");
  g_assert_cmpint (quorum_billing_get_seat_limit (billing), ==, 25);
  g_clear_object (&billing);

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *email = quorum_test_unique_email ("seat");
      g_autoptr(QuorumInvitation) invitation = NULL;

      invitation = SYNC (quorum_client_create_invitation_async (grace->client, org_id (grace), email,
                                                                QUORUM_ROLE_MEMBER, NULL, NULL,
                                                                quorum_test_store_result, &result),
                         quorum_client_create_invitation_finish (grace->client, result, &error));
      g_assert_no_error (error);
    }

  billing = get_billing (grace, &error);
  g_assert_cmpint (quorum_billing_get_seats_used (billing), ==, 6);
  g_clear_object (&billing);

  refused = change_plan (grace, "pln_free", &error);
  g_assert_null (refused);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_SEAT_LIMIT_EXCEEDED);
  g_assert_cmpuint (quorum_api_error_get_http_status (error), ==, 409);
  g_clear_error (&error);

  billing = get_billing (grace, &error);
  g_assert_cmpstr (quorum_plan_get_id (quorum_billing_get_plan (billing)), ==, "pln_team");

  /* An unknown plan is a validation error on plan_id. */
  refused = change_plan (grace, "pln_nonesuch", &error);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_VALIDATION);
}

static void
test_invoices_and_pdf (void)
{
  g_autoptr(QuorumTestPerson) ada = demo_ada ("Acme Robotics");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autofree char *cursor = NULL;
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) small = g_memory_output_stream_new_resizable ();
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GFile) file = NULL;
  QuorumInvoice *invoice;
  guint total = 0;
  gssize size;
  gsize length = 0;

  first = SYNC (quorum_client_list_invoices_async (ada->client, org_id (ada), NULL, 1, NULL,
                                                   quorum_test_store_result, &result),
                quorum_client_list_invoices_finish (ada->client, result, &cursor, &total, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (first->len, ==, 1);
  g_assert_cmpuint (total, >=, 2);
  g_assert_nonnull (cursor);
  invoice = g_ptr_array_index (first, 0);
  g_assert_true (g_str_has_prefix (quorum_invoice_get_number (invoice), "QRM-"));
  g_assert_cmpstr (quorum_invoice_get_currency (invoice), ==, "EUR");

  /* The next page: older. */
  second = SYNC (quorum_client_list_invoices_async (ada->client, org_id (ada), cursor, 1, NULL,
                                                    quorum_test_store_result, &result),
                 quorum_client_list_invoices_finish (ada->client, result, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (second->len, ==, 1);
  g_assert_cmpint (g_date_time_compare (quorum_invoice_get_period_start (g_ptr_array_index (second, 0)),
                                        quorum_invoice_get_period_start (invoice)), <, 0);

  /* The PDF, streamed. */
  size = SYNC (quorum_client_download_invoice_pdf_async (ada->client, org_id (ada), quorum_invoice_get_id (invoice),
                                                         memory, 0, NULL, quorum_test_store_result, &result),
               quorum_client_download_invoice_pdf_finish (ada->client, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (size, >, 1000);
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory)), ==, (gsize) size);
  g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (memory)), 5, "%PDF-", 5);

  /* Larger than the caller allows: refused, and never more than that written. */
  size = SYNC (quorum_client_download_invoice_pdf_async (ada->client, org_id (ada), quorum_invoice_get_id (invoice),
                                                         small, 512, NULL, quorum_test_store_result, &result),
               quorum_client_download_invoice_pdf_finish (ada->client, result, &error));
  g_assert_cmpint (size, ==, -1);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVALID_RESPONSE);
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (small)), <=, 512);
  g_clear_error (&error);

  /* To a file. */
  dir = g_dir_make_tmp ("quorum-billing-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "invoice.pdf", NULL);
  file = g_file_new_for_path (path);
  size = SYNC (quorum_client_save_invoice_pdf_async (ada->client, org_id (ada), quorum_invoice_get_id (invoice),
                                                     file, NULL, quorum_test_store_result, &result),
               quorum_client_save_invoice_pdf_finish (ada->client, result, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, ==, (gsize) size);
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  g_clear_pointer (&contents, g_free);

  /* An unknown invoice: 404, and no file left behind. */
  g_assert_true (g_remove (path) == 0);
  size = SYNC (quorum_client_save_invoice_pdf_async (ada->client, org_id (ada), "ivc_nonesuch",
                                                     file, NULL, quorum_test_store_result, &result),
               quorum_client_save_invoice_pdf_finish (ada->client, result, &error));
  g_assert_cmpint (size, ==, -1);
  g_assert_true (error != NULL && error->domain == QUORUM_API_ERROR);
  g_assert_cmpuint (quorum_api_error_get_http_status (error), ==, 404);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (quorum_test_remove_tree (dir, NULL));
}

static gint64
sum_credits (GPtrArray *items)
{
  gint64 sum = 0;

  for (guint i = 0; i < items->len; i++)
    sum += quorum_usage_item_get_credits (g_ptr_array_index (items, i));
  return sum;
}

static void
test_usage (void)
{
  g_autoptr(QuorumTestPerson) ada = demo_ada ("Acme Robotics");
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) to = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) from = g_date_time_add_days (to, -29);
  g_autoptr(GPtrArray) days = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autofree char *cursor = NULL;
  guint total = 0;

  days = SYNC (quorum_client_get_usage_async (ada->client, org_id (ada), from, to, QUORUM_USAGE_BY_DAY, NULL, 0,
                                              NULL, quorum_test_store_result, &result),
               quorum_client_get_usage_finish (ada->client, result, NULL, &total, &error));
  g_assert_no_error (error);
  /* Every day, with zeros, oldest first. */
  g_assert_cmpuint (days->len, ==, 30);
  g_assert_cmpuint (total, ==, 30);
  for (guint i = 1; i < days->len; i++)
    g_assert_cmpint (g_date_time_compare (quorum_usage_item_get_day (g_ptr_array_index (days, i - 1)),
                                          quorum_usage_item_get_day (g_ptr_array_index (days, i))), <, 0);
  g_assert_cmpint (sum_credits (days), >, 0);

  /* Paged like every list. */
  page = SYNC (quorum_client_get_usage_async (ada->client, org_id (ada), from, to, QUORUM_USAGE_BY_DAY, NULL, 7,
                                              NULL, quorum_test_store_result, &result),
               quorum_client_get_usage_finish (ada->client, result, &cursor, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 7);
  g_assert_nonnull (cursor);
  g_clear_pointer (&page, g_ptr_array_unref);
  page = SYNC (quorum_client_get_usage_async (ada->client, org_id (ada), from, to, QUORUM_USAGE_BY_DAY, cursor, 7,
                                              NULL, quorum_test_store_result, &result),
               quorum_client_get_usage_finish (ada->client, result, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (quorum_usage_item_get_key (g_ptr_array_index (page, 0)), ==,
                   quorum_usage_item_get_key (g_ptr_array_index (days, 7)));

  /* By member: the same credits, most first. */
  members = SYNC (quorum_client_get_usage_async (ada->client, org_id (ada), from, to, QUORUM_USAGE_BY_MEMBER, NULL,
                                                 200, NULL, quorum_test_store_result, &result),
                  quorum_client_get_usage_finish (ada->client, result, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (members->len, >, 0);
  g_assert_null (quorum_usage_item_get_day (g_ptr_array_index (members, 0)));
  for (guint i = 1; i < members->len; i++)
    g_assert_cmpint (quorum_usage_item_get_credits (g_ptr_array_index (members, i - 1)), >=,
                     quorum_usage_item_get_credits (g_ptr_array_index (members, i)));
  g_assert_cmpint (sum_credits (members), ==, sum_credits (days));

  /* The name behind a member's key, as the breakdown shows it. */
  {
    const char *key = quorum_usage_item_get_key (g_ptr_array_index (members, 0));
    g_autoptr(QuorumMember) member = NULL;

    g_assert_true (g_str_has_prefix (key, "mem_"));
    member = SYNC (quorum_client_get_member_async (ada->client, org_id (ada), key, NULL,
                                                   quorum_test_store_result, &result),
                   quorum_client_get_member_finish (ada->client, result, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (quorum_member_get_id (member), ==, key);
    g_assert_nonnull (quorum_member_get_name (member));
  }
}

int
main (int   argc,
      char *argv[])
{
  /* New organizations on Free, as on a real server (the test server's
   * default is Business so other suites can invite freely). */
  const char *args[] = { "--demo", "--demo-members=20", "--default-plan=pln_free", NULL };
  g_autoptr(GError) error = NULL;
  int status;

  quorum_test_settings_init ();  /* before anything reads settings */
  g_test_init (&argc, &argv, NULL);

  server = quorum_test_server_start (args, &error);
  g_assert_no_error (error);

  g_test_add_func ("/api/billing/plans", test_plans);
  g_test_add_func ("/api/billing/state-and-alert", test_billing_state);
  g_test_add_func ("/api/billing/top-up-idempotent", test_top_up_idempotent);
  g_test_add_func ("/api/billing/plan-change-refused-with-seats", test_plan_change_refused_with_seats);
  g_test_add_func ("/api/billing/invoices-and-pdf", test_invoices_and_pdf);
  g_test_add_func ("/api/billing/ledger", test_ledger);
  g_test_add_func ("/api/billing/usage", test_usage);

  status = g_test_run ();
  quorum_test_server_stop (server);
  return status;
}
