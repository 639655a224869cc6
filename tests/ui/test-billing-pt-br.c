/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "quorum-api-private.h"
#include "quorum-billing-page.h"
#include "quorum-ui-test.h"
#include "quorum-usage-chart.h"

/*
 * The Billing tab as a Brazilian user sees it (LANG and LC_ALL
 * pt_BR.UTF-8): Ada, owner of the demo's Acme Robotics (a plan, a balance,
 * 90 days of usage, invoices and a ledger). Headings in Portuguese, money
 * with a decimal comma and dots between thousands, dates day first,
 * months by their Portuguese names, and no string that has a translation
 * shown in English. The expected texts are written out here, not made by
 * the app's own formatting.
 */

#define LOCALE "pt_BR.UTF-8"

static QuorumApplication *app;
static QuorumTestServer *server;
static QuorumClient *ada;
static char *acme_id;

/* Money as pt_BR writes it, by hand: "€ 1.234,50", "-€ 2,50". */
static char *
brazilian_money (gint64 cents)
{
  guint64 magnitude = cents < 0 ? (guint64) 0 - (guint64) cents : (guint64) cents;
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, magnitude / 100);
  GString *text = g_string_new (cents < 0 ? "-€ " : "€ ");
  gsize n = strlen (digits);

  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append_c (text, '.');
      g_string_append_c (text, digits[i]);
    }
  g_string_append_printf (text, ",%02u", (guint) (magnitude % 100));
  return g_string_free (text, FALSE);
}

static GtkWidget *
open_billing (void)
{
  return ui_open_billing (app, "Acme Robotics");
}

static QuorumBilling *
server_billing (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  QuorumBilling *billing;

  quorum_client_get_billing_async (ada, acme_id, NULL, ui_store_result, &result);
  billing = quorum_client_get_billing_finish (ada, ui_wait_result (&result), &error);
  g_assert_no_error (error);
  return billing;
}

static gboolean
match_group_title (GtkWidget     *widget,
                   gconstpointer  data)
{
  return g_strcmp0 (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)), data) == 0;
}

static gboolean
is_ledger_row (GtkWidget     *widget,
               gconstpointer  data)
{
  return g_object_get_data (G_OBJECT (widget), "entry") != NULL;
}

static gboolean
is_invoice_button (GtkWidget     *widget,
                   gconstpointer  data)
{
  return g_object_get_data (G_OBJECT (widget), "invoice") != NULL;
}

static gboolean
ledger_and_invoices_shown (gpointer data)
{
  return ui_find (data, ADW_TYPE_ACTION_ROW, is_ledger_row, NULL) != NULL &&
         ui_find (data, GTK_TYPE_BUTTON, is_invoice_button, NULL) != NULL;
}

static void
skip_without_locale (void)
{
  g_test_skip ("the " LOCALE " locale is not installed here (Debian: the locales package, then"
               " `localedef -i pt_BR -f UTF-8 pt_BR.UTF-8` or pt_BR.UTF-8 in /etc/locale.gen and locale-gen)");
}

/* The tab's name and the page's headings. */
static void
test_headings (void)
{
  GtkWidget *page = open_billing ();
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (page));
  AdwViewStack *stack = ADW_VIEW_STACK (ui_find (window, ADW_TYPE_VIEW_STACK, NULL, NULL));
  const char *headings[] = { "Plano", "Saldo", "Uso", "Uso por membro", "Faturas", "Extrato" };

  g_assert_cmpstr (adw_view_stack_page_get_title (ui_stack_page (stack, page)), ==, "Faturamento");
  for (guint i = 0; i < G_N_ELEMENTS (headings); i++)
    if (ui_find (page, ADW_TYPE_PREFERENCES_GROUP, match_group_title, headings[i]) == NULL)
      g_error ("no heading “%s”", headings[i]);
  g_assert_nonnull (ui_row (page, "Saldo pré-pago"));
  g_assert_nonnull (ui_row (page, "Assentos"));
}

/* Plan price, seats and balance: Portuguese words, decimal commas. */
static void
test_money_and_seats (void)
{
  GtkWidget *page = open_billing ();
  g_autoptr(QuorumBilling) billing = server_billing ();
  QuorumPlan *plan = quorum_billing_get_plan (billing);
  g_autofree char *plan_title = g_strdup_printf ("Plano %s", quorum_plan_get_name (plan));
  g_autofree char *price = brazilian_money (quorum_plan_get_price_cents (plan));
  g_autofree char *price_words = g_strdup_printf ("%s por mês · ", price);
  g_autofree char *balance = brazilian_money (quorum_billing_get_balance_cents (billing));
  /* The demo is on a plan without a seat limit. */
  g_autofree char *seats = quorum_billing_get_seat_limit (billing) > 0
                             ? g_strdup_printf ("%d de %d assentos", quorum_billing_get_seats_used (billing),
                                                quorum_billing_get_seat_limit (billing))
                             : g_strdup_printf ("%d assentos, sem limite", quorum_billing_get_seats_used (billing));
  const char *subtitle;

  g_test_message ("plan %s, balance %s", price, balance);
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (ui_row (page, plan_title)));
  g_assert_true (g_str_has_prefix (subtitle, price_words));
  g_assert_true (g_str_has_suffix (subtitle, " créditos incluídos"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (ui_row (page, "Saldo pré-pago"))), ==, balance);
  /* Topped up to thousands: both separators show. */
  g_assert_cmpint (quorum_billing_get_balance_cents (billing), >=, 100000);
  g_assert_nonnull (strchr (balance, '.'));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (ui_row (page, "Assentos"))), ==, seats);
}

/* The ledger's dates day first, its balances in reais' manner; the
 * invoices named by Portuguese months. */
static void
test_dates (void)
{
  static const char * const months[] = { "janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho",
                                         "agosto", "setembro", "outubro", "novembro", "dezembro" };
  GtkWidget *page = open_billing ();
  GtkWidget *row, *button, *invoice_row;
  QuorumLedgerEntry *entry;
  QuorumInvoice *invoice;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) period = NULL;
  g_autofree char *date = NULL;
  g_autofree char *after = NULL;
  g_autofree char *ledger_subtitle = NULL;
  g_autofree char *invoice_title = NULL;
  g_autofree char *total = NULL;
  QuorumUsageChart *chart;

  ui_wait_until (ledger_and_invoices_shown, page);
  row = ui_find (page, ADW_TYPE_ACTION_ROW, is_ledger_row, NULL);
  entry = g_object_get_data (G_OBJECT (row), "entry");
  local = g_date_time_to_local (quorum_ledger_entry_get_created_at (entry));
  date = g_strdup_printf ("%02d/%02d/%04d", g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                          g_date_time_get_year (local));
  after = brazilian_money (quorum_ledger_entry_get_balance_after_cents (entry));
  ledger_subtitle = g_strdup_printf ("%s · saldo %s", date, after);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, ledger_subtitle);
  /* The newest entry is the top-up made above: named in Portuguese, not by
   * the server's English description. */
  g_assert_cmpstr (quorum_ledger_entry_get_kind (entry), ==, "top_up");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Recarga");

  button = ui_find (page, GTK_TYPE_BUTTON, is_invoice_button, NULL);
  invoice = g_object_get_data (G_OBJECT (button), "invoice");
  invoice_row = gtk_widget_get_ancestor (button, ADW_TYPE_ACTION_ROW);
  g_assert_nonnull (invoice_row);
  period = g_date_time_ref (quorum_invoice_get_period_start (invoice));
  invoice_title = g_strdup_printf ("%s de %d", months[g_date_time_get_month (period) - 1],
                                   g_date_time_get_year (period));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (invoice_row)), ==, invoice_title);
  total = brazilian_money (quorum_invoice_get_total_cents (invoice));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (invoice_row)), total));

  /* What a screen reader says about the usage chart is Portuguese too. */
  chart = QUORUM_USAGE_CHART (ui_find (page, QUORUM_TYPE_USAGE_CHART, NULL, NULL));
  g_assert_nonnull (chart);
  g_assert_true (g_str_has_prefix (quorum_usage_chart_get_description (chart), "Créditos por dia de "));
}

static gboolean
alert_is_2000_50 (gpointer page)
{
  QuorumBilling *billing = quorum_billing_page_get_billing (page);

  return billing != NULL && quorum_billing_get_low_balance_alert_cents (billing) == 200050;
}

/* Amounts are typed as they are written here: "2.000,50" is two thousand
 * euros and fifty cents, and the page shows it back the same way. */
static void
test_typed_amount (void)
{
  GtkWidget *page = open_billing ();
  g_autoptr(QuorumBilling) billing = NULL;
  GtkWidget *row = ui_row (page, "Alerta de saldo baixo (EUR)");

  gtk_editable_set_text (GTK_EDITABLE (row), "2.000,50");
  g_signal_emit_by_name (row, "apply");
  ui_wait_until (alert_is_2000_50, page);
  billing = server_billing ();
  g_assert_cmpint (quorum_billing_get_low_balance_alert_cents (billing), ==, 200050);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "2.000,50");
  /* The English habit is refused, never read as a hundred times less or more. */
  gtk_editable_set_text (GTK_EDITABLE (row), "2,000.50");
  g_signal_emit_by_name (row, "apply");
  g_assert_true (gtk_widget_has_css_class (row, "error"));
}

/* A shown text that is itself an English message with a Portuguese
 * translation was shown without being translated. */
static void
check_translated (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && gtk_widget_get_visible (child))
        {
          const char *text = gtk_label_get_label (GTK_LABEL (child));

          if (text != NULL && *text != '\0' && g_strcmp0 (g_dgettext (GETTEXT_PACKAGE, text), text) != 0)
            g_error ("“%s” is shown in English; its translation is “%s”", text, g_dgettext (GETTEXT_PACKAGE, text));
        }
      check_translated (child);
    }
}

static void
test_nothing_left_in_english (void)
{
  GtkWidget *page = open_billing ();

  ui_wait_until (ledger_and_invoices_shown, page);
  /* The catalogue is the one the page uses. */
  g_assert_cmpstr (_("Prepaid Balance"), ==, "Saldo pré-pago");
  check_translated (page);
}

int
main (int   argc,
      char *argv[])
{
  const char *args[] = { "--demo", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumAccount) account = NULL;
  int ret;

  quorum_test_settings_init ();  /* before anything reads settings */
  g_setenv ("LANG", LOCALE, TRUE);
  g_setenv ("LC_ALL", LOCALE, TRUE);
  g_setenv ("LANGUAGE", "pt_BR", TRUE);
  if (setlocale (LC_ALL, "") == NULL)
    {
      /* Without the locale GTK would fall back to C with a (fatal) warning. */
      g_setenv ("LC_ALL", "C.UTF-8", TRUE);
      g_test_init (&argc, &argv, NULL);
      g_test_add_func ("/ui/billing-pt-br/locale-missing", skip_without_locale);
      return g_test_run ();
    }
  /* The catalogues built in this tree, as the installed app finds its own. */
  bindtextdomain (GETTEXT_PACKAGE, QUORUM_TEST_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  ui_ignore_focus_out_warnings ();

  server = quorum_test_server_start (args, &error);
  g_assert_no_error (error);
  ada = ui_other_client (quorum_test_server_get_url (server), "ada@demo.quorum.test", "quorum-demo");
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GPtrArray) organizations = NULL;

    quorum_client_list_organizations_async (ada, NULL, ui_store_result, &result);
    organizations = quorum_client_list_organizations_finish (ada, ui_wait_result (&result), &error);
    g_assert_no_error (error);
    for (guint i = 0; i < organizations->len; i++)
      if (g_strcmp0 (quorum_organization_get_name (g_ptr_array_index (organizations, i)), "Acme Robotics") == 0)
        acme_id = g_strdup (quorum_organization_get_id (g_ptr_array_index (organizations, i)));
    g_assert_nonnull (acme_id);
  }
  /* A balance in the thousands, so that both separators show. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autofree char *key = g_uuid_string_random ();

    quorum_client_top_up_async (ada, acme_id, 123456, key, NULL, ui_store_result, &result);
    g_assert_true (quorum_client_top_up_finish (ada, ui_wait_result (&result), NULL, &error));
    g_assert_no_error (error);
  }

  app = ui_application_new ();
  account = ui_sign_in (app, quorum_test_server_get_url (server), "ada@demo.quorum.test", "quorum-demo");

  g_test_add_func ("/ui/billing-pt-br/headings", test_headings);
  g_test_add_func ("/ui/billing-pt-br/money-and-seats", test_money_and_seats);
  g_test_add_func ("/ui/billing-pt-br/dates", test_dates);
  g_test_add_func ("/ui/billing-pt-br/typed-amount", test_typed_amount);
  g_test_add_func ("/ui/billing-pt-br/nothing-left-in-english", test_nothing_left_in_english);

  ret = g_test_run ();

  ui_close_windows (app);
  g_clear_object (&app);
  g_clear_object (&ada);
  g_clear_pointer (&acme_id, g_free);
  quorum_test_server_stop (server);
  return ret;
}
