/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-api-private.h"
#include "quorum-billing-page.h"
#include "quorum-request-status.h"
#include "quorum-ui-test.h"
#include "quorum-usage-chart.h"
#include "quorum-utils-private.h"

/*
 * The Billing tab against the real server: Grace signs up here (a new
 * organization on Free: 5 seats, no balance) and the app signs in as her.
 * The test reads the page as she sees it and checks every change on the
 * server through a client of its own.
 */

#define PASSWORD "correct horse battery"

static QuorumApplication *app;
static QuorumTestServer *server;
static QuorumClient *grace;          /* the same person elsewhere */
static QuorumOrganization *organization;

static GtkWidget *
page_of (QuorumWindow *window)
{
  GtkWidget *page = ui_find (GTK_WIDGET (window), QUORUM_TYPE_BILLING_PAGE, NULL, NULL);

  g_assert_nonnull (page);
  return page;
}

static QuorumBilling *
server_billing (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  QuorumBilling *billing;

  quorum_client_get_billing_async (grace, quorum_organization_get_id (organization), NULL, ui_store_result, &result);
  billing = quorum_client_get_billing_finish (grace, ui_wait_result (&result), &error);
  g_assert_no_error (error);
  return billing;
}

/* The window on Grace's organization, its Billing tab chosen, loaded. */
static GtkWidget *
open_billing (void)
{
  return ui_open_billing (app, quorum_organization_get_name (organization));
}

/* Usable on a phone: the whole tab, loaded, fits in 360 px. */
static void
test_narrow (void)
{
  GtkWidget *page = open_billing ();
  int minimum;

  gtk_widget_measure (page, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_test_message ("billing page: %d px", minimum);
  g_assert_cmpint (minimum, <=, 360);
}

/* Where Grace is a plain member the tab is not there, and the page never
 * loaded a billing state. */
static void
test_member_sees_no_billing (void)
{
  QuorumWindow *window = ui_open_organization (app, "Turing Works");
  AdwViewStack *stack = ADW_VIEW_STACK (ui_find (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK, NULL, NULL));
  GtkWidget *page = page_of (window);

  g_assert_cmpint (quorum_organization_get_role (quorum_window_get_organization (window)), ==, QUORUM_ROLE_MEMBER);
  g_assert_false (adw_view_stack_page_get_visible (ui_stack_page (stack, page)));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), !=, "billing");
  quorum_test_spin (300);
  g_assert_null (quorum_billing_page_get_billing (QUORUM_BILLING_PAGE (page)));
  g_assert_cmpint (quorum_billing_page_get_role (QUORUM_BILLING_PAGE (page)), ==, QUORUM_ROLE_MEMBER);
}

static const char *
subtitle (GtkWidget  *page,
          const char *title)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (ui_row (page, title)));
}

static void
close_dialog (AdwMessageDialog *dialog)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
  quorum_test_drain_pending ();
}

/* Plan, price and seats as the server has them: "1 of 5 seats" on Free. */
static void
test_plan_and_seats (void)
{
  GtkWidget *page = open_billing ();
  g_autoptr(QuorumBilling) billing = server_billing ();
  GtkLevelBar *bar = GTK_LEVEL_BAR (ui_find (page, GTK_TYPE_LEVEL_BAR, NULL, NULL));
  g_autofree char *seats = g_strdup_printf ("%d of %d seats", quorum_billing_get_seats_used (billing),
                                            quorum_billing_get_seat_limit (billing));

  g_assert_cmpint (quorum_billing_get_seat_limit (billing), ==, 5);
  g_assert_nonnull (ui_row (page, "Free Plan"));
  g_assert_true (g_str_has_prefix (subtitle (page, "Free Plan"), "€0.00 per month · 5 seats"));
  g_assert_cmpstr (subtitle (page, "Seats"), ==, seats);
  g_assert_cmpfloat (gtk_level_bar_get_value (bar), ==, quorum_billing_get_seats_used (billing));
  g_assert_cmpfloat (gtk_level_bar_get_max_value (bar), ==, 5);
  g_assert_true (ui_shown (GTK_WIDGET (bar)));
  g_assert_cmpstr (subtitle (page, "Prepaid Balance"), ==, "€0.00");
}

static gboolean
balance_is (gpointer data)
{
  GtkWidget *page = data;
  QuorumBilling *billing = quorum_billing_page_get_billing (QUORUM_BILLING_PAGE (page));
  gint64 *expected = g_object_get_data (G_OBJECT (page), "expected-balance");

  return billing != NULL && quorum_billing_get_balance_cents (billing) == *expected;
}

/* Top Up… checks the amount before anything is sent, then the balance
 * changes on the server and on the page. */
static void
test_top_up (void)
{
  GtkWidget *page = open_billing ();
  g_autoptr(QuorumBilling) before = server_billing ();
  g_autoptr(QuorumBilling) after = NULL;
  gint64 expected = quorum_billing_get_balance_cents (before) + 2550;
  g_autofree char *shown = NULL;
  AdwMessageDialog *dialog;
  GtkEditable *entry;

  /* Typed and not applied: the refresh after the top-up keeps it. */
  gtk_editable_set_text (GTK_EDITABLE (ui_row (page, "Low-Balance Alert (EUR)")), "12");

  ui_click (ui_button (GTK_WIDGET (ui_row (page, "Prepaid Balance")), "_Top Up…"));
  dialog = ui_wait_message_dialog ("Top Up Balance");
  entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "top-up"));
  for (guint i = 0; i < 5; i++)
    {
      const char *refused[] = { "abc", "0", "-5", "1.234", "1000000.01" };

      gtk_editable_set_text (entry, refused[i]);
      if (adw_message_dialog_get_response_enabled (dialog, "top-up"))
        g_error ("Top Up accepts “%s”", refused[i]);
    }
  gtk_editable_set_text (entry, "€25.50");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "top-up"));
  ui_click (ui_button (GTK_WIDGET (dialog), "_Top Up"));
  ui_wait_until (ui_message_dialog_gone, (gpointer) "Top Up Balance");

  g_object_set_data (G_OBJECT (page), "expected-balance", &expected);
  ui_wait_until (balance_is, page);
  after = server_billing ();
  g_assert_cmpint (quorum_billing_get_balance_cents (after), ==, expected);
  shown = g_strdup_printf ("€%" G_GINT64_FORMAT ".%02d", expected / 100, (int) (expected % 100));
  g_assert_cmpstr (subtitle (page, "Prepaid Balance"), ==, shown);
  g_assert_cmpstr (ui_text (page, "Low-Balance Alert (EUR)"), ==, "12");
  gtk_editable_set_text (GTK_EDITABLE (ui_row (page, "Low-Balance Alert (EUR)")), "");
}

static gboolean
is_ledger_row (GtkWidget     *widget,
               gconstpointer  data)
{
  return g_object_get_data (G_OBJECT (widget), "entry") != NULL;
}

/* The newest entry the Ledger shows: its first row. */
static QuorumLedgerEntry *
top_ledger_entry (GtkWidget  *page,
                  GtkWidget **out_row)
{
  GtkWidget *row = ui_find (page, ADW_TYPE_ACTION_ROW, is_ledger_row, NULL);

  if (out_row != NULL)
    *out_row = row;
  return row != NULL ? g_object_get_data (G_OBJECT (row), "entry") : NULL;
}

static gboolean
ledger_shows_top_up (gpointer data)
{
  GtkWidget *page = data;
  QuorumLedgerEntry *entry = top_ledger_entry (page, NULL);
  gint64 *expected = g_object_get_data (G_OBJECT (page), "expected-balance");

  return entry != NULL && quorum_ledger_entry_get_amount_cents (entry) == 1234 &&
         quorum_ledger_entry_get_balance_after_cents (entry) == *expected;
}

/* A top-up made through the tab is at the top of the Ledger, with its
 * signed amount, the balance after it, and the server's newest entry. */
static void
test_ledger (void)
{
  GtkWidget *page = open_billing ();
  g_autoptr(QuorumBilling) before = server_billing ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) server_entries = NULL;
  gint64 expected = quorum_billing_get_balance_cents (before) + 1234;
  g_autofree char *balance = g_strdup_printf ("€%" G_GINT64_FORMAT ".%02d", expected / 100, (int) (expected % 100));
  g_autofree char *balance_words = g_strdup_printf ("balance %s", balance);
  AdwMessageDialog *dialog;
  QuorumLedgerEntry *entry;
  GtkWidget *row = NULL;

  ui_click (ui_button (GTK_WIDGET (ui_row (page, "Prepaid Balance")), "_Top Up…"));
  dialog = ui_wait_message_dialog ("Top Up Balance");
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "12.34");
  ui_click (ui_button (GTK_WIDGET (dialog), "_Top Up"));
  ui_wait_until (ui_message_dialog_gone, (gpointer) "Top Up Balance");

  g_object_set_data (G_OBJECT (page), "expected-balance", &expected);
  ui_wait_until (ledger_shows_top_up, page);
  entry = top_ledger_entry (page, &row);
  g_assert_cmpstr (quorum_ledger_entry_get_kind (entry), ==, "top_up");
  g_assert_true (ui_shown (row));
  /* Its signed amount as money, the balance after it in the subtitle. */
  g_assert_nonnull (ui_find (row, GTK_TYPE_LABEL, ui_match_label, "+€12.34"));
  g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), balance_words));
  /* Named by its kind in the user's language, not by the server's text. */
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Top-up");

  quorum_client_list_ledger_async (grace, quorum_organization_get_id (organization), NULL, 1, NULL,
                                   ui_store_result, &result);
  server_entries = quorum_client_list_ledger_finish (grace, ui_wait_result (&result), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (server_entries->len, ==, 1);
  g_assert_cmpstr (quorum_ledger_entry_get_id (g_ptr_array_index (server_entries, 0)), ==,
                   quorum_ledger_entry_get_id (entry));
}

static gboolean
banner_revealed (gpointer data)
{
  return gtk_revealer_get_reveal_child (GTK_REVEALER (ui_find (data, GTK_TYPE_REVEALER, NULL, NULL)));
}

static gboolean
banner_hidden (gpointer data)
{
  return !banner_revealed (data);
}

static gint64
page_alert (gpointer page)
{
  QuorumBilling *billing = quorum_billing_page_get_billing (page);

  return billing != NULL ? quorum_billing_get_low_balance_alert_cents (billing) : -2;
}

static gboolean
alert_from_elsewhere_shown (gpointer page)
{
  return page_alert (page) == 300;
}

static gboolean
alert_is_700 (gpointer page)
{
  return page_alert (page) == 700;
}

static gboolean
alert_is_off (gpointer page)
{
  return page_alert (page) == QUORUM_BILLING_NO_ALERT;
}

/* An alert above the balance shows the banner and reaches the server;
 * emptied, it turns the alert off. A typed amount that is not one is not
 * sent. */
static void
test_low_balance_alert (void)
{
  GtkWidget *page = open_billing ();
  GtkWidget *row = ui_row (page, "Low-Balance Alert (EUR)");
  g_autoptr(QuorumBilling) billing = NULL;

  g_assert_true (banner_hidden (page));

  /* Someone else sets an alert meanwhile: Apply is refused (If-Match), the
   * page takes the server's state, what was typed stays, Apply again wins. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(QuorumBilling) elsewhere = NULL;

    quorum_client_update_billing_async (grace, quorum_organization_get_id (organization), NULL, 300, NULL,
                                        ui_store_result, &result);
    elsewhere = quorum_client_update_billing_finish (grace, ui_wait_result (&result), &error);
    g_assert_no_error (error);
  }
  gtk_editable_set_text (GTK_EDITABLE (row), "7");
  g_signal_emit_by_name (row, "apply");
  ui_wait_until (alert_from_elsewhere_shown, page);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "7");
  g_signal_emit_by_name (row, "apply");
  ui_wait_until (alert_is_700, page);
  billing = server_billing ();
  g_assert_cmpint (quorum_billing_get_low_balance_alert_cents (billing), ==, 700);
  g_clear_object (&billing);
  gtk_editable_set_text (GTK_EDITABLE (row), "");
  g_signal_emit_by_name (row, "apply");
  ui_wait_until (alert_is_off, page);

  gtk_editable_set_text (GTK_EDITABLE (row), "ten euros");
  g_signal_emit_by_name (row, "apply");
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  quorum_test_spin (200);
  billing = server_billing ();
  g_assert_cmpint (quorum_billing_get_low_balance_alert_cents (billing), ==, QUORUM_BILLING_NO_ALERT);
  g_clear_object (&billing);

  gtk_editable_set_text (GTK_EDITABLE (row), "100000");
  g_signal_emit_by_name (row, "apply");
  ui_wait_until (banner_revealed, page);
  billing = server_billing ();
  g_assert_cmpint (quorum_billing_get_low_balance_alert_cents (billing), ==, 10000000);
  g_assert_true (quorum_billing_get_balance_is_low (billing));
  g_clear_object (&billing);

  gtk_editable_set_text (GTK_EDITABLE (row), "");
  g_signal_emit_by_name (row, "apply");
  ui_wait_until (banner_hidden, page);
  billing = server_billing ();
  g_assert_cmpint (quorum_billing_get_low_balance_alert_cents (billing), ==, QUORUM_BILLING_NO_ALERT);
}

static gboolean
business_shown (gpointer page)
{
  return ui_find (page, ADW_TYPE_PREFERENCES_ROW, ui_match_title, "Business Plan") != NULL;
}

static gboolean
seats_are_six (gpointer data)
{
  QuorumBilling *billing = quorum_billing_page_get_billing (data);

  return billing != NULL && quorum_billing_get_seats_used (billing) == 6 &&
         quorum_billing_get_seat_limit (billing) == 25;
}

static gboolean
group_titled (GtkWidget     *widget,
              gconstpointer  data)
{
  return g_strcmp0 (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)), data) == 0;
}

static gboolean
chart_has_90_days (gpointer data)
{
  return quorum_usage_chart_get_n_days (data) == 90;
}

static gboolean
chart_has_30_days (gpointer data)
{
  return quorum_usage_chart_get_n_days (data) == 30;
}

static gboolean
chart_filled (gpointer data)
{
  return quorum_usage_chart_get_n_days (data) > 0;
}

/* Six seats in use (Grace and five invitations): Free is refused with the
 * seats explained, and the plan stays. */
static void
test_plan_change_refused (void)
{
  GtkWidget *page;
  AdwMessageDialog *dialog;
  GtkWidget *box;
  GtkWidget *free_check = NULL;
  g_autoptr(QuorumBilling) billing = NULL;
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(QuorumBilling) team = NULL;

    quorum_client_change_plan_async (grace, quorum_organization_get_id (organization), "pln_team", NULL,
                                     ui_store_result, &result);
    team = quorum_client_change_plan_finish (grace, ui_wait_result (&result), &error);
    g_assert_no_error (error);
  }
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *email = quorum_test_unique_email ("seat");
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(QuorumInvitation) invitation = NULL;

      quorum_client_create_invitation_async (grace, quorum_organization_get_id (organization), email,
                                             QUORUM_ROLE_MEMBER, NULL, NULL, ui_store_result, &result);
      invitation = quorum_client_create_invitation_finish (grace, ui_wait_result (&result), &error);
      g_assert_no_error (error);
    }

  page = open_billing ();
  gtk_widget_activate_action (page, "billing.reload", NULL);
  ui_wait_until (seats_are_six, page);
  g_assert_cmpstr (subtitle (page, "Seats"), ==, "6 of 25 seats");

  ui_click (ui_button (page, "_Change Plan…"));
  dialog = ui_wait_message_dialog ("Change Plan");
  box = adw_message_dialog_get_extra_child (dialog);
  for (GtkWidget *check = gtk_widget_get_first_child (box); check != NULL; check = gtk_widget_get_next_sibling (check))
    if (g_str_has_prefix (gtk_check_button_get_label (GTK_CHECK_BUTTON (check)), "Free — "))
      free_check = check;
  g_assert_nonnull (free_check);
  /* Told before choosing, to the eye and to a screen reader. */
  g_assert_nonnull (gtk_widget_get_tooltip_text (free_check));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (free_check), "6 seats"));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (free_check), TRUE);
  ui_click (ui_button (GTK_WIDGET (dialog), "C_hange Plan"));
  ui_wait_until (ui_message_dialog_gone, (gpointer) "Change Plan");

  dialog = ui_wait_message_dialog ("Too Many Seats for This Plan");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "uses 6 seats"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "the Free plan allows 5"));
  close_dialog (dialog);

  billing = server_billing ();
  g_assert_cmpstr (quorum_plan_get_id (quorum_billing_get_plan (billing)), ==, "pln_team");
  g_assert_nonnull (ui_row (page, "Team Plan"));
  g_clear_object (&billing);

  /* A plan with room: taken at once, on the server and on the page. */
  ui_click (ui_button (page, "_Change Plan…"));
  dialog = ui_wait_message_dialog ("Change Plan");
  box = adw_message_dialog_get_extra_child (dialog);
  for (GtkWidget *check = gtk_widget_get_first_child (box); check != NULL; check = gtk_widget_get_next_sibling (check))
    if (g_str_has_prefix (gtk_check_button_get_label (GTK_CHECK_BUTTON (check)), "Business — "))
      {
        g_assert_null (gtk_widget_get_tooltip_text (check));
        gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      }
  ui_click (ui_button (GTK_WIDGET (dialog), "C_hange Plan"));
  ui_wait_until (business_shown, page);
  g_assert_cmpstr (subtitle (page, "Seats"), ==, "6 seats, no limit");
  g_assert_false (ui_shown (ui_find (page, GTK_TYPE_LEVEL_BAR, NULL, NULL)));
  billing = server_billing ();
  g_assert_cmpstr (quorum_plan_get_id (quorum_billing_get_plan (billing)), ==, "pln_business");
}

/* Grace's own member id, as the usage by member names it. */
static char *
grace_member_id (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) members = NULL;

  quorum_client_list_members_async (grace, quorum_organization_get_id (organization), NULL, QUORUM_ROLE_OWNER,
                                    NULL, NULL, 0, NULL, ui_store_result, &result);
  members = quorum_client_list_members_finish (grace, ui_wait_result (&result), NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (members->len, ==, 1);
  return g_strdup (quorum_member_get_id (g_ptr_array_index (members, 0)));
}

/* Usage as an operator records it: `quorum-server --record-usage` on the
 * running server's data directory. */
static void
record_usage (const char *member_id,
              GDateTime  *day,
              gint64      credits,
              gint64      requests)
{
  g_autofree char *date = g_date_time_format (day, "%Y-%m-%d");
  g_autofree char *spec = g_strdup_printf ("%s,%s,%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT,
                                           member_id, date, credits, requests);
  const char *argv[] = { g_getenv ("QUORUM_SERVER_BINARY"), "--data-dir",
                         quorum_test_server_get_data_dir (server), "--record-usage", spec, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, &err,
                               &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("--record-usage failed: %s", err);
}

static gboolean
chart_total_shown (gpointer data)
{
  const char *description = quorum_usage_chart_get_description (data);

  return description != NULL && strstr (description, "2500 credits in all.") != NULL;
}

static gboolean
member_named (gpointer data)
{
  return ui_find (data, ADW_TYPE_PREFERENCES_ROW, ui_match_title, "Grace Hopper") != NULL;
}

/* A new organization: 30 days of zeros, said in words too, and nobody in
 * the breakdown; then usage recorded on the server shows in the chart, its
 * words and the breakdown, with the member's name. 90 days at a click. */
static void
test_usage (void)
{
  GtkWidget *page = open_billing ();
  QuorumUsageChart *chart = QUORUM_USAGE_CHART (ui_find (page, QUORUM_TYPE_USAGE_CHART, NULL, NULL));
  g_autofree char *member_id = grace_member_id ();
  g_autoptr(GDateTime) today = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (today, -1);
  GtkWidget *row;

  ui_wait_until (chart_filled, chart);
  g_assert_cmpuint (quorum_usage_chart_get_n_days (chart), ==, 30);
  g_assert_true (g_str_has_prefix (quorum_usage_chart_get_description (chart), "Credits per day from "));
  g_assert_nonnull (strstr (quorum_usage_chart_get_description (chart), "No credits were used."));
  g_assert_true (ui_shown (GTK_WIDGET (chart)));
  g_assert_cmpstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (ui_find (page, ADW_TYPE_PREFERENCES_GROUP, group_titled, "Usage by Member"))),
                   ==, "Nobody used any credits in these days.");

  record_usage (member_id, yesterday, 1500, 40);
  record_usage (member_id, today, 1000, 16);
  gtk_widget_activate_action (page, "billing.reload", NULL);
  ui_wait_until (chart_total_shown, chart);
  g_assert_nonnull (strstr (quorum_usage_chart_get_description (chart), ": 1500."));
  g_assert_nonnull (strstr (quorum_usage_chart_get_description (chart), "Most on "));
  ui_wait_until (member_named, page);
  row = ui_row (page, "Grace Hopper");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "2500 credits · 56 requests");

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ui_button (page, "90 Days")), TRUE);
  ui_wait_until (chart_has_90_days, chart);
  g_assert_nonnull (strstr (quorum_usage_chart_get_description (chart), "2500 credits in all."));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (ui_button (page, "30 Days")), TRUE);
  ui_wait_until (chart_has_30_days, chart);
}

/* A server of the test's own, for what the real one will not do on cue: the
 * first top-up fails with a 500 (the payment may or may not have happened). */
typedef struct
{
  GPtrArray *keys;       /* the Idempotency-Key of each top-up */
  gint64     balance;
  guint      billing_status;  /* of GET .../billing: 200, 500 … */
  gboolean   hang;            /* GET .../billing never answers */
  GPtrArray *paused;
  guint      billing_gets;    /* GET .../billing answered with a state */
  guint      ledger_firsts;   /* GET .../billing/ledger without a cursor */
  guint      ledger_olders;   /* … with the second page's: the first fails */
} FakeBilling;

static void
fake_billing_cb (SoupServer        *soup,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  FakeBilling *fake = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *body = NULL;
  guint status = 200;

  if (g_str_equal (method, "POST") && g_str_has_suffix (path, "/billing/top-ups"))
    {
      const char *key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                      "Idempotency-Key");

      g_ptr_array_add (fake->keys, g_strdup (key != NULL ? key : ""));
      if (fake->keys->len == 1)
        {
          soup_server_message_set_status (msg, 500, NULL);
          soup_server_message_set_response (msg, "application/problem+json", SOUP_MEMORY_COPY,
                                            "{\"title\": \"Internal error\", \"status\": 500}", 44);
          return;
        }
      /* The same key again is the same top-up: counted once. */
      if (fake->keys->len == 2 || !g_str_equal (key, g_ptr_array_index (fake->keys, fake->keys->len - 2)))
        fake->balance += 1000;
      status = 201;
      body = g_strdup_printf ("{\"balance_cents\": %" G_GINT64_FORMAT "}", fake->balance);
    }
  else if (g_str_has_suffix (path, "/billing/invoices") &&
           g_strcmp0 (query != NULL ? g_hash_table_lookup (query, "cursor") : NULL, "page-2") == 0)
    body = g_strdup ("{\"items\": [{\"id\": \"ivc_0\", \"number\": \"QRM-2026-000006\", "
                     "\"period_start\": \"2026-09-01T00:00:00Z\", \"period_end\": \"2026-10-01T00:00:00Z\", "
                     "\"total_cents\": 2900, \"currency\": \"EUR\", \"status\": \"open\"}], "
                     "\"next_cursor\": null, \"total\": 2}");
  else if (g_str_has_suffix (path, "/billing/invoices"))
    body = g_strdup ("{\"items\": [{\"id\": \"ivc_1\", \"number\": \"QRM-2026-000007\", "
                     "\"period_start\": \"2026-10-01T00:00:00Z\", \"period_end\": \"2026-11-01T00:00:00Z\", "
                     "\"total_cents\": 2900, \"currency\": \"EUR\", \"status\": \"paid\"}], "
                     "\"next_cursor\": \"page-2\", \"total\": 2}");
  else if (g_str_has_suffix (path, "/billing/ledger") &&
           g_strcmp0 (query != NULL ? g_hash_table_lookup (query, "cursor") : NULL, "led-page-2") == 0)
    {
      if (++fake->ledger_olders == 1)
        {
          const char *problem = "{\"title\": \"Bad request\", \"status\": 400}";

          soup_server_message_set_status (msg, 400, NULL);
          soup_server_message_set_response (msg, "application/problem+json", SOUP_MEMORY_COPY,
                                            problem, strlen (problem));
          return;
        }
      /* A kind this app does not know yet: shown by the server's description. */
      body = g_strdup ("{\"items\": [{\"id\": \"led_1\", \"kind\": \"adjustment\", \"amount_cents\": -2000, "
                       "\"balance_after_cents\": -2000, \"currency\": \"EUR\", \"description\": \"Older fake charge\", "
                       "\"created_at\": \"2026-10-02T10:00:00Z\"}], \"next_cursor\": null}");
    }
  else if (g_str_has_suffix (path, "/billing/ledger"))
    {
      fake->ledger_firsts++;
      body = g_strdup ("{\"items\": [{\"id\": \"led_2\", \"kind\": \"top_up\", \"amount_cents\": 5000, "
                       "\"balance_after_cents\": 3000, \"currency\": \"EUR\", \"description\": \"Fake top-up\", "
                       "\"created_at\": \"2026-10-03T10:00:00Z\"}], \"next_cursor\": \"led-page-2\"}");
    }
  else if (g_str_has_suffix (path, "/billing/invoices/ivc_1/pdf"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/pdf", SOUP_MEMORY_STATIC, "%PDF-1.4 a fake invoice", 23);
      return;
    }
  else if (g_str_has_suffix (path, "/billing") && fake->hang)
    {
      soup_server_message_pause (msg);
      g_ptr_array_add (fake->paused, g_object_ref (msg));
      return;
    }
  else if (g_str_has_suffix (path, "/billing") && fake->billing_status != 200)
    {
      soup_server_message_set_status (msg, fake->billing_status, NULL);
      soup_server_message_set_response (msg, "application/problem+json", SOUP_MEMORY_COPY,
                                        "{\"title\": \"Internal error\", \"status\": 500}", 44);
      return;
    }
  else if (g_str_has_suffix (path, "/billing") && ++fake->billing_gets > 0)
    body = g_strdup_printf ("{\"plan\": {\"id\": \"pln_team\", \"name\": \"Team\", \"price_cents\": 2900, "
                            "\"currency\": \"EUR\", \"seat_limit\": 25, \"included_credits\": 50000}, "
                            "\"balance_cents\": %" G_GINT64_FORMAT ", \"currency\": \"EUR\", \"seats_used\": 3, "
                            "\"seat_limit\": 25, \"payment_method\": null, \"next_invoice_at\": null, "
                            "\"low_balance_alert_cents\": null}", fake->balance);
  else
    body = g_strdup ("{\"items\": [], \"next_cursor\": null, \"total\": 0}");

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

typedef struct
{
  FakeBilling *fake;
  GtkWidget   *page;
  guint        n;
} TopUpWait;

static gboolean
ui_match_label_prefix (GtkWidget     *widget,
                       gconstpointer  data)
{
  return g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), data) && gtk_widget_is_visible (widget);
}

/* The revealer that holds the compact request status. */
static gboolean
revealer_with_status (GtkWidget     *widget,
                      gconstpointer  data)
{
  GtkWidget *child = gtk_revealer_get_child (GTK_REVEALER (widget));

  return child != NULL && g_str_equal (G_OBJECT_TYPE_NAME (child), "QuorumRequestStatus");
}

static gboolean
invoice_listed (gpointer data)
{
  return ui_find (data, ADW_TYPE_PREFERENCES_ROW, ui_match_title, "October 2026") != NULL;
}

static gboolean
older_invoice_listed (gpointer data)
{
  return ui_find (data, ADW_TYPE_PREFERENCES_ROW, ui_match_title, "September 2026") != NULL;
}

/* Every billing state shown has had its ledger's first page answered, and
 * the page offers the next. */
static gboolean
ledger_settled (gpointer data)
{
  TopUpWait *w = data;

  return w->fake->ledger_firsts == w->fake->billing_gets &&
         ui_find (w->page, ADW_TYPE_PREFERENCES_ROW, ui_match_title, "Top-up") != NULL &&
         ui_find (w->page, GTK_TYPE_BUTTON, ui_match_button_label, "Show _Older Entries") != NULL;
}

static gboolean
is_ledger_status (GtkWidget     *widget,
                  gconstpointer  data)
{
  return gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_GROUP) != NULL;
}

static gboolean
ledger_retry_offered (gpointer data)
{
  GtkWidget *status = ui_find (data, QUORUM_TYPE_REQUEST_STATUS, is_ledger_status, NULL);
  GtkWidget *retry = status != NULL ? ui_find (status, GTK_TYPE_BUTTON, ui_match_button_label, "_Retry") : NULL;

  return ui_shown (status) && retry != NULL && ui_shown (retry);
}

static gboolean
older_entry_listed (gpointer data)
{
  return ui_find (data, ADW_TYPE_PREFERENCES_ROW, ui_match_title, "Older fake charge") != NULL;
}

static gboolean
file_saved (gpointer data)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  /* Whole: the save closes the file only once the document arrived. */
  return g_file_get_contents (data, &contents, &length, NULL) && length == 23;
}

/* @n top-ups reached the server and the page has its answer. */
static gboolean
top_ups_answered (gpointer data)
{
  TopUpWait *w = data;
  GtkWidget *button = ui_button (ui_row (w->page, "Prepaid Balance"), "_Top Up…");

  /* The button follows billing.top-up, off while a top-up is in flight. */
  return w->fake->keys->len >= w->n && gtk_widget_get_sensitive (button);
}

static void
top_up_in_dialog (GtkWidget  *page,
                  const char *amount)
{
  AdwMessageDialog *dialog;
  GtkEditable *entry;

  gtk_widget_activate_action (page, "billing.top-up", NULL);
  dialog = ui_wait_message_dialog ("Top Up Balance");
  entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  if (amount != NULL)
    gtk_editable_set_text (entry, amount);
  /* Its button, as a click: the response, then the dialog closes. */
  ui_click (ui_button (GTK_WIDGET (dialog), "_Top Up"));
  ui_wait_until (ui_message_dialog_gone, (gpointer) "Top Up Balance");
}

/* A top-up that failed is the same top-up when tried again: the same
 * Idempotency-Key (offered with its amount when Top Up… opens again); the
 * next one after a success gets a new key. And an invoice as a row, saved
 * as PDF. */
static void
test_fake_server (void)
{
  g_autoptr(SoupServer) soup = soup_server_new (NULL, NULL);
  FakeBilling fake = { g_ptr_array_new_with_free_func (g_free), 5000, 200, FALSE, NULL };
  g_autofree char *url = NULL;
  g_autoptr(QuorumClient) client = NULL;
  g_autoptr(QuorumOrganization) org = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *overlay = adw_toast_overlay_new ();
  GtkWidget *page = g_object_new (QUORUM_TYPE_BILLING_PAGE, NULL);
  TopUpWait w = { &fake, page, 0 };
  AdwMessageDialog *dialog;

  soup_server_add_handler (soup, NULL, fake_billing_cb, &fake, NULL);
  url = quorum_test_soup_listen (soup, 0);
  client = quorum_client_new (url);
  quorum_client_set_token (client, "qrm_s_test");
  quorum_client_set_retry_policy (client, 1, 10, 10);
  node = json_from_string ("{\"id\": \"org_1\", \"name\": \"Fake\", \"slug\": \"fake\", \"logo_url\": null, "
                           "\"created_at\": \"2026-11-22T10:43:14Z\", \"member_count\": 3, \"role\": \"owner\"}", &error);
  g_assert_no_error (error);
  org = quorum_organization_new_from_json (node, &error);
  g_assert_no_error (error);

  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), page);
  gtk_window_set_child (GTK_WINDOW (window), overlay);
  gtk_window_present (GTK_WINDOW (window));
  quorum_billing_page_set_client (QUORUM_BILLING_PAGE (page), client);
  quorum_billing_page_set_organization (QUORUM_BILLING_PAGE (page), org);
  ui_wait_until (ui_billing_shown, page);

  /* Fails: 500. */
  top_up_in_dialog (page, "10");
  w.n = 1;
  ui_wait_until (top_ups_answered, &w);

  /* Top Up… again offers the same amount; sent with the same key. */
  gtk_widget_activate_action (page, "billing.top-up", NULL);
  dialog = ui_wait_message_dialog ("Top Up Balance");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog))), ==, "10.00");
  ui_click (ui_button (GTK_WIDGET (dialog), "_Top Up"));
  ui_wait_until (ui_message_dialog_gone, (gpointer) "Top Up Balance");
  w.n = 2;
  ui_wait_until (top_ups_answered, &w);
  g_assert_cmpstr (g_ptr_array_index (fake.keys, 1), ==, g_ptr_array_index (fake.keys, 0));
  g_assert_cmpstr (g_ptr_array_index (fake.keys, 0), !=, "");

  /* After the success, the next top-up is a new one. */
  top_up_in_dialog (page, "10");
  w.n = 3;
  ui_wait_until (top_ups_answered, &w);
  g_assert_cmpstr (g_ptr_array_index (fake.keys, 2), !=, g_ptr_array_index (fake.keys, 1));

  /* The invoice, and its PDF saved to a file (what Save PDF… does once the
   * file chooser, which a test cannot drive, gave a file). */
  {
    GtkWidget *row = NULL;
    GtkWidget *button;
    g_autofree char *dir = g_dir_make_tmp ("quorum-ui-billing-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "QRM-2026-000007.pdf", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autofree char *contents = NULL;

    ui_wait_until (invoice_listed, page);
    row = ui_row (page, "October 2026");
    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "QRM-2026-000007 · €29.00 · Paid");
    button = ui_button (row, "_Save PDF…");
    g_assert_true (gtk_widget_get_sensitive (button));
    quorum_billing_page_save_invoice (QUORUM_BILLING_PAGE (page), g_object_get_data (G_OBJECT (button), "invoice"),
                                      file);
    ui_wait_until (file_saved, (gpointer) path);
    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "%PDF-1.4 a fake invoice");
    g_assert_true (quorum_test_remove_tree (dir, NULL));

    /* Older ones a page at a time, below. */
    ui_click (ui_button (page, "Show _Older Invoices"));
    ui_wait_until (older_invoice_listed, page);
    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (ui_row (page, "September 2026"))), ==,
                     "QRM-2026-000006 · €29.00 · Open");
    g_assert_null (ui_find (page, GTK_TYPE_BUTTON, ui_match_button_label, "Show _Older Invoices"));
    g_assert_nonnull (ui_row (page, "October 2026"));
  }

  /* The ledger's older entries a page at a time: a page that fails says so
   * above the list, which stays, and Retry asks for the same page. */
  {
    GtkWidget *status;
    GtkWidget *older;

    ui_wait_until (ledger_settled, &w);
    g_assert_nonnull (ui_find (ui_row (page, "Top-up"), GTK_TYPE_LABEL, ui_match_label, "+€50.00"));
    ui_click (ui_button (page, "Show _Older Entries"));
    ui_wait_until (ledger_retry_offered, page);
    g_assert_cmpuint (fake.ledger_olders, ==, 1);
    g_assert_nonnull (ui_row (page, "Top-up"));
    g_assert_null (ui_find (page, ADW_TYPE_PREFERENCES_ROW, ui_match_title, "Older fake charge"));
    status = ui_find (page, QUORUM_TYPE_REQUEST_STATUS, is_ledger_status, NULL);
    ui_click (ui_button (status, "_Retry"));
    ui_wait_until (older_entry_listed, page);
    g_assert_cmpuint (fake.ledger_olders, ==, 2);
    older = GTK_WIDGET (ui_row (page, "Older fake charge"));
    g_assert_nonnull (ui_find (older, GTK_TYPE_LABEL, ui_match_label, "-€20.00"));
    g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (ADW_ACTION_ROW (older)), "balance -€20.00"));
    g_assert_null (ui_find (page, GTK_TYPE_BUTTON, ui_match_button_label, "Show _Older Entries"));
    g_assert_false (gtk_widget_get_visible (status));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  quorum_test_drain_pending ();
  soup_server_disconnect (soup);
  g_ptr_array_unref (fake.keys);
}

static gboolean
bar_shown (gpointer data)
{
  GtkRevealer *revealer = g_object_get_data (G_OBJECT (data), "bar");

  return gtk_revealer_get_reveal_child (revealer);
}

static gboolean
bar_gone (gpointer data)
{
  return !bar_shown (data);
}

static gboolean
still_waiting_shown (gpointer data)
{
  return ui_find (data, GTK_TYPE_LABEL, ui_match_label_prefix, "Still waiting for ") != NULL &&
         bar_shown (data);
}

/* The billing request's states: a first load that fails says so in place of
 * the page and, being a load the user did not ask for, comes back by itself;
 * a reload that hangs keeps the page, says so in a bar after a while, and
 * Cancel there puts the page back as it was. */
static void
test_load_states (void)
{
  g_autoptr(SoupServer) soup = soup_server_new (NULL, NULL);
  FakeBilling fake = { g_ptr_array_new_with_free_func (g_free), 5000, 500, FALSE,
                       g_ptr_array_new_with_free_func (g_object_unref) };
  g_autofree char *url = NULL;
  g_autoptr(QuorumClient) client = NULL;
  g_autoptr(QuorumOrganization) org = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *overlay = adw_toast_overlay_new ();
  GtkWidget *page = g_object_new (QUORUM_TYPE_BILLING_PAGE, NULL);
  GtkWidget *error_page;

  soup_server_add_handler (soup, NULL, fake_billing_cb, &fake, NULL);
  url = quorum_test_soup_listen (soup, 0);
  client = quorum_client_new (url);
  quorum_client_set_token (client, "qrm_s_test");
  quorum_client_set_retry_policy (client, 1, 10, 10);
  node = json_from_string ("{\"id\": \"org_1\", \"name\": \"Fake\", \"slug\": \"fake\", \"logo_url\": null, "
                           "\"created_at\": \"2026-11-22T10:43:14Z\", \"member_count\": 3, \"role\": \"owner\"}", &error);
  org = quorum_organization_new_from_json (node, &error);
  g_assert_no_error (error);

  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), page);
  gtk_window_set_child (GTK_WINDOW (window), overlay);
  gtk_window_present (GTK_WINDOW (window));
  quorum_billing_page_set_client (QUORUM_BILLING_PAGE (page), client);
  quorum_billing_page_set_organization (QUORUM_BILLING_PAGE (page), org);

  /* 500: the server's problem, said in place of the page, with Retry. */
  ui_wait_view (page, "error");
  error_page = ui_find (page, ADW_TYPE_STATUS_PAGE, NULL, NULL);
  g_assert_nonnull (ui_find (error_page, GTK_TYPE_LABEL, ui_match_label, "The server had a problem"));
  g_assert_true (ui_shown (ui_button (error_page, "_Retry")));

  /* The server is fine again: the page comes back by itself (back-off). */
  fake.billing_status = 200;
  ui_wait_view (page, "content");
  g_assert_nonnull (quorum_billing_page_get_billing (QUORUM_BILLING_PAGE (page)));

  /* A reload that hangs: the page stays, a bar says so, Cancel ends it. */
  fake.hang = TRUE;
  g_object_set_data (G_OBJECT (page), "bar", ui_find (page, GTK_TYPE_REVEALER, revealer_with_status, NULL));
  gtk_widget_activate_action (page, "billing.reload", NULL);
  ui_wait_until (still_waiting_shown, page);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (ui_find (page, GTK_TYPE_STACK, NULL, NULL))), ==,
                   "content");
  ui_click (ui_button (g_object_get_data (G_OBJECT (page), "bar"), "_Cancel"));
  ui_wait_until (bar_gone, page);
  g_assert_cmpstr (subtitle (page, "Prepaid Balance"), ==, "€50.00");

  gtk_window_destroy (GTK_WINDOW (window));
  quorum_test_drain_pending ();
  for (guint i = 0; i < fake.paused->len; i++)
    {
      soup_server_message_set_status (g_ptr_array_index (fake.paused, i), 500, NULL);
      soup_server_message_unpause (g_ptr_array_index (fake.paused, i));
    }
  soup_server_disconnect (soup);
  g_ptr_array_unref (fake.paused);
  g_ptr_array_unref (fake.keys);
}

/* Money as typed and shown (the C locale: "." and no grouping). */
static void
test_money (void)
{
  const struct { const char *text; gint64 cents; } good[] = {
    { "25", 2500 }, { "25.5", 2550 }, { "25.50", 2550 }, { "€25.50", 2550 }, { " 25.50 EUR ", 2550 },
    { "R$ 0.01", 1 }, { ".5", 50 }, { "1000000", 100000000 }, { "0", 0 },
  };
  const char *bad[] = { "", " ", "abc", "-5", "1.234", "1.2.3", "25,50", "2 5x", "99999999999999", "٣" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      gint64 cents = -1;

      if (!quorum_parse_money (good[i].text, &cents))
        g_error ("refused “%s”", good[i].text);
      g_assert_cmpint (cents, ==, good[i].cents);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      gint64 cents;

      if (quorum_parse_money (bad[i], &cents))
        g_error ("accepted “%s”", bad[i]);
    }

  /* With Portuguese and English separators (this machine has only the C
   * locale): grouping in threes, before the decimal point, or refused — a
   * habit from the other convention is never read as a hundred times more. */
  {
    const struct { const char *text; const char *point; const char *sep; gint64 cents; } with[] = {
      { "1.234,50", ",", ".", 123450 }, { "25,50", ",", ".", 2550 }, { "1.000.000", ",", ".", 100000000 },
      { "R$ 1.234", ",", ".", 123400 }, { "1,234.50", ".", ",", 123450 }, { "25.5", ".", ",", 2550 },
      { "25.50", ",", ".", -1 }, { "2.5", ",", ".", -1 }, { "1.2345", ",", ".", -1 }, { ".500", ",", ".", -1 },
      { "1,5", ".", ",", -1 }, { "1.234,5.6", ",", ".", -1 }, { "12,50,000", ".", ",", -1 },
      { "1 234,50", ",", " ", 123450 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (with); i++)
      {
        gint64 cents = -1;
        gboolean ok = quorum_parse_money_with (with[i].text, with[i].point, with[i].sep, &cents);

        if (ok != (with[i].cents >= 0) || (ok && cents != with[i].cents))
          g_error ("“%s” with “%s” and “%s”: %s %" G_GINT64_FORMAT, with[i].text, with[i].point, with[i].sep,
                   ok ? "read as" : "refused", cents);
      }
  }

  {
    const struct { gint64 cents; const char *currency; const char *shown; } shown[] = {
      { 0, "EUR", "€0.00" }, { 2550, "EUR", "€25.50" }, { -250, "EUR", "-€2.50" },
      { 123456789, "USD", "$1234567.89" }, { 5, "CHF", "CHF0.05" }, { 100, "XYZ", "XYZ1.00" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
      {
        g_autofree char *text = quorum_format_money (shown[i].cents, shown[i].currency);

        g_assert_cmpstr (text, ==, shown[i].shown);
      }
  }
}

int
main (int   argc,
      char *argv[])
{
  /* New organizations on Free, as on a real server. */
  const char *args[] = { "--default-plan=pln_free", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumAccount) account = NULL;
  g_autofree char *email = NULL;
  int ret;

  quorum_test_settings_init ();  /* before anything reads settings */
  /* Money and numbers as the C locale writes them. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  ui_ignore_focus_out_warnings ();

  server = quorum_test_server_start (args, &error);
  g_assert_no_error (error);

  email = ui_sign_up_owner_and_member (server, PASSWORD, &grace, &organization);

  app = ui_application_new ();
  account = ui_sign_in (app, quorum_test_server_get_url (server), email, PASSWORD);

  g_test_add_func ("/ui/billing/money", test_money);
  g_test_add_func ("/ui/billing/top-up-retry-keeps-key-and-invoices", test_fake_server);
  g_test_add_func ("/ui/billing/load-states", test_load_states);
  g_test_add_func ("/ui/billing/member-sees-no-billing", test_member_sees_no_billing);
  g_test_add_func ("/ui/billing/plan-and-seats", test_plan_and_seats);
  g_test_add_func ("/ui/billing/narrow", test_narrow);
  g_test_add_func ("/ui/billing/top-up", test_top_up);
  g_test_add_func ("/ui/billing/ledger", test_ledger);
  g_test_add_func ("/ui/billing/low-balance-alert", test_low_balance_alert);
  g_test_add_func ("/ui/billing/usage", test_usage);
  g_test_add_func ("/ui/billing/plan-change-refused", test_plan_change_refused);

  ret = g_test_run ();

  ui_close_windows (app);
  g_clear_object (&app);
  g_clear_object (&grace);
  g_clear_object (&organization);
  quorum_test_server_stop (server);
  return ret;
}
