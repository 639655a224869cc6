/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-billing-page.h"
#include "quorum-change-plan-dialog.h"
#include "quorum-core.h"
#include "quorum-request-state.h"
#include "quorum-request-status.h"
#include "quorum-top-up-dialog.h"
#include "quorum-usage-chart.h"
#include "quorum-utils-private.h"

/*
 * The Billing tab, for owners and admins (the window hides it from members
 * and the page never asks the server for what a member may not see): the
 * plan with its price and Change Plan…, seats as a level bar, the prepaid
 * balance with Top Up…, the low-balance alert and a banner when the balance
 * is under it, credits per day for the last 30 or 90 days, the invoices with
 * Save PDF…, and the ledger (every top-up and charge with the balance after
 * it, newest first).
 *
 * The billing state's request (a QuorumRequestState) decides what the page
 * shows, and update_view() is the one place that changes it: the spinner
 * and then "Still waiting…" with Cancel while nothing was shown yet, the
 * failure with Retry (by itself, with back-off, for a load the user did not
 * ask for) in place of the page, or a bar above the last good state. Usage
 * and invoices load beside it and fail on their own; the ledger has its own
 * QuorumRequestState (a compact status above its list, Retry, back-off) and
 * loads its first page again whenever the page takes a billing state from
 * the server, since a changed balance is a new entry. A top-up keeps its Idempotency-Key until the server answered
 * it, so a Retry after a lost answer can never pay twice.
 */

/* The usage chart's two ranges. */
#define USAGE_DAYS_SHORT 30
#define USAGE_DAYS_LONG  90
/* Invoices per page of the list. */
#define INVOICES_PAGE 12
/* Ledger entries per page of the list. */
#define LEDGER_PAGE 20
/* Rows of the per-member breakdown. */
#define USAGE_TOP_MEMBERS 10

struct _QuorumBillingPage
{
  AdwBin              parent_instance;

  QuorumClient       *client;
  QuorumOrganization *organization;
  QuorumBilling      *billing;
  GCancellable       *cancellable;
  GCancellable       *usage_cancellable;  /* the usage of the range shown */
  QuorumRequestState *load_state;         /* GET .../billing */
  QuorumRequestState *ledger_state;       /* GET .../billing/ledger */
  char               *ledger_cursor;      /* of the page asked for last; NULL: the first */
  char               *alert_shown;        /* the alert as last shown, to tell an edit */
  gboolean            load_begun;         /* for the organization shown */

  /* The top-up waiting for its answer, or refused by a failure that a
   * retry may cure: the same amount goes again with the same key. */
  char               *top_up_key;
  gint64              top_up_cents;
  gboolean            top_up_in_flight;

  GtkRevealer        *low_balance_revealer;
  GtkLabel           *low_balance_label;
  GtkStack           *stack;
  QuorumRequestStatus *loading_status;
  AdwStatusPage      *error_status;
  QuorumRequestStatus *error_status_widget;
  GtkWidget          *retry_button;
  GtkRevealer        *status_revealer;
  QuorumRequestStatus *bar_status;
  AdwActionRow       *plan_row;
  AdwActionRow       *seats_row;
  GtkLevelBar        *seats_bar;
  AdwActionRow       *balance_row;
  AdwEntryRow        *alert_row;
  AdwPreferencesGroup *usage_group;
  GtkToggleButton    *days_90_button;
  QuorumUsageChart   *usage_chart;
  AdwPreferencesGroup *members_group;
  GtkListBox         *members_list;
  AdwPreferencesGroup *invoices_group;
  GtkListBox         *invoices_list;
  AdwPreferencesGroup *ledger_group;
  QuorumRequestStatus *ledger_status;
  GtkListBox         *ledger_list;
};

G_DEFINE_FINAL_TYPE (QuorumBillingPage, quorum_billing_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_ORGANIZATION,
  PROP_ROLE,
  PROP_BILLING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void load (QuorumBillingPage *self,
                  gboolean           automatic);
static guint usage_days (QuorumBillingPage *self);
static void send_top_up (QuorumBillingPage *self);
static void load_ledger (QuorumBillingPage *self,
                         const char        *cursor,
                         gboolean           automatic);

QuorumRole
quorum_billing_page_get_role (QuorumBillingPage *self)
{
  g_return_val_if_fail (QUORUM_IS_BILLING_PAGE (self), QUORUM_ROLE_NONE);

  return self->organization != NULL ? quorum_organization_get_role (self->organization) : QUORUM_ROLE_NONE;
}

static gboolean
can_manage (QuorumBillingPage *self)
{
  return self->client != NULL &&
         quorum_role_can (quorum_billing_page_get_role (self), QUORUM_PERMISSION_MANAGE_BILLING);
}

/* The one place the page's state changes: from the billing request's phase
 * and whether a billing state was shown. */
static void
update_view (QuorumBillingPage *self)
{
  QuorumRequestPhase phase = quorum_request_state_get_phase (self->load_state);
  gboolean content = self->billing != NULL;
  gboolean waiting = phase == QUORUM_REQUEST_PHASE_WAITING || phase == QUORUM_REQUEST_PHASE_STILL_WAITING;

  if (content)
    gtk_stack_set_visible_child_name (self->stack, "content");
  else if (waiting || !self->load_begun)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  else
    {
      /* Failed (the status says why, with Retry), or cancelled (idle: the
       * status is empty and the page's own Retry stands in). */
      adw_status_page_set_description (self->error_status,
                                       phase == QUORUM_REQUEST_PHASE_IDLE ? _("Loading was cancelled.") : NULL);
      gtk_widget_set_visible (self->retry_button, phase == QUORUM_REQUEST_PHASE_IDLE);
      gtk_stack_set_visible_child_name (self->stack, "error");
    }

  gtk_revealer_set_reveal_child (self->status_revealer,
                                 content && phase != QUORUM_REQUEST_PHASE_IDLE &&
                                 phase != QUORUM_REQUEST_PHASE_WAITING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "billing.top-up", content && !self->top_up_in_flight);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "billing.change-plan", content);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "billing.reload",
                                 !quorum_request_state_get_running (self->load_state));
  if (!content)
    gtk_revealer_set_reveal_child (self->low_balance_revealer, FALSE);
}

static void
show_billing (QuorumBillingPage *self)
{
  QuorumBilling *billing = self->billing;
  QuorumPlan *plan = quorum_billing_get_plan (billing);
  const char *currency = quorum_billing_get_currency (billing);
  int used = quorum_billing_get_seats_used (billing);
  int limit = quorum_billing_get_seat_limit (billing);
  gint64 alert = quorum_billing_get_low_balance_alert_cents (billing);
  g_autofree char *summary = quorum_plan_summary (plan);
  g_autofree char *plan_title = NULL;
  g_autofree char *seats = NULL;
  g_autofree char *balance = quorum_format_money (quorum_billing_get_balance_cents (billing), currency);
  g_autofree char *alert_title = NULL;

  /* Translators: the plan row: the plan's name ("Team") */
  plan_title = g_strdup_printf (_("%s Plan"), quorum_plan_get_name (plan));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->plan_row), plan_title);
  adw_action_row_set_subtitle (self->plan_row, summary);

  if (limit > 0)
    /* Translators: seats in use against the plan's limit: "14 of 25 seats" */
    seats = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d of %d seat", "%d of %d seats", limit),
                             used, limit);
  else
    seats = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d seat, no limit", "%d seats, no limit", used),
                             used);
  adw_action_row_set_subtitle (self->seats_row, seats);
  gtk_level_bar_set_max_value (self->seats_bar, limit > 0 ? MAX (limit, used) : MAX (used, 1));
  gtk_level_bar_set_value (self->seats_bar, limit > 0 ? used : 0);
  gtk_widget_set_visible (GTK_WIDGET (self->seats_bar), limit > 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->seats_bar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, seats, -1);
  if (limit > 0 && used >= limit)
    gtk_widget_add_css_class (GTK_WIDGET (self->seats_bar), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->seats_bar), "warning");

  adw_action_row_set_subtitle (self->balance_row, balance);

  /* Translators: the low-balance alert row; %s is the currency code (EUR) */
  alert_title = g_strdup_printf (_("Low-Balance Alert (%s)"), currency);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->alert_row), alert_title);
  {
    g_autofree char *shown = alert != QUORUM_BILLING_NO_ALERT ? quorum_format_money_plain (alert) : g_strdup ("");

    /* A refresh (after a top-up, say) keeps an amount being typed. */
    if (self->alert_shown == NULL ||
        g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->alert_row)), self->alert_shown) == 0)
      {
        g_signal_handlers_block_matched (self->alert_row, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
        gtk_editable_set_text (GTK_EDITABLE (self->alert_row), shown);
        g_signal_handlers_unblock_matched (self->alert_row, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
        quorum_widget_set_error (GTK_WIDGET (self->alert_row), FALSE);
      }
    g_free (self->alert_shown);
    self->alert_shown = g_steal_pointer (&shown);
  }

  if (quorum_billing_get_balance_is_low (billing))
    {
      g_autofree char *limit_text = quorum_format_money (alert, currency);
      g_autofree char *text = NULL;

      /* Translators: the low-balance banner: the balance, then the alert's amount */
      text = g_strdup_printf (_("The balance of %s is below your alert of %s."), balance, limit_text);
      gtk_label_set_label (self->low_balance_label, text);
    }
  gtk_revealer_set_reveal_child (self->low_balance_revealer, quorum_billing_get_balance_is_low (billing));
}

static void
set_billing (QuorumBillingPage *self,
             QuorumBilling     *billing)
{
  if (!g_set_object (&self->billing, billing))
    return;
  if (billing != NULL)
    {
      show_billing (self);
      /* A new state from the server may come with new entries. */
      load_ledger (self, NULL, TRUE);
    }
  update_view (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BILLING]);
}

/* Loading */

static void
billing_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(QuorumBillingPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumBilling) billing = NULL;

  billing = quorum_client_get_billing_finish (QUORUM_CLIENT (object), result, &error);
  if (billing == NULL)
    {
      /* Cancelled: idle, unless another load began since. */
      quorum_request_state_fail (self->load_state, _("Could not load billing"), error);
      return;
    }

  set_billing (self, billing);
  quorum_request_state_succeed (self->load_state);
}

/* GET .../billing under the request state: @automatic for a load the user
 * did not ask for (opening the organization, after a change). */
static void
load_billing (QuorumBillingPage *self,
              gboolean           automatic)
{
  GCancellable *cancellable;

  if (!can_manage (self))
    return;
  self->load_begun = TRUE;
  cancellable = quorum_request_state_begin (self->load_state, automatic);
  quorum_client_get_billing_async (self->client, quorum_organization_get_id (self->organization),
                                   cancellable, billing_loaded_cb, g_object_ref (self));
  update_view (self);
}

static void
usage_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(QuorumBillingPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;

  items = quorum_client_get_usage_finish (QUORUM_CLIENT (object), result, NULL, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (items == NULL)
    {
      g_autofree char *message = quorum_error_compose (_("Could not load usage"), error);

      adw_preferences_group_set_description (self->usage_group, message);
      quorum_usage_chart_set_items (self->usage_chart, NULL);
      return;
    }
  /* An answer for the range no longer chosen. */
  if (items->len != usage_days (self))
    return;
  {
    g_autofree char *description = NULL;

    /* Translators: the usage chart's range: 30 or 90 */
    description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Credits per day over the last %u day",
                                                "Credits per day over the last %u days", items->len),
                                   items->len);
    adw_preferences_group_set_description (self->usage_group, description);
  }
  quorum_usage_chart_set_items (self->usage_chart, items);
}

static guint
usage_days (QuorumBillingPage *self)
{
  return gtk_toggle_button_get_active (self->days_90_button) ? USAGE_DAYS_LONG : USAGE_DAYS_SHORT;
}

static void
member_named_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GtkWidget) row = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumMember) member = NULL;

  member = quorum_client_get_member_finish (QUORUM_CLIENT (object), result, &error);
  /* Without a name (gone since, or an error) the row keeps the id. */
  if (member != NULL)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), quorum_member_get_name (member));
}

static void
members_usage_loaded_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(QuorumBillingPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  GtkWidget *child;

  items = quorum_client_get_usage_finish (QUORUM_CLIENT (object), result, NULL, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->members_list))) != NULL)
    gtk_list_box_remove (self->members_list, child);

  if (items == NULL)
    {
      g_autofree char *message = quorum_error_compose (_("Could not load usage by member"), error);

      adw_preferences_group_set_description (self->members_group, message);
      gtk_widget_set_visible (GTK_WIDGET (self->members_list), FALSE);
      return;
    }

  adw_preferences_group_set_description (self->members_group,
                                         items->len == 0 ? _("Nobody used any credits in these days.")
                                                         : _("Who used the most credits in these days"));
  gtk_widget_set_visible (GTK_WIDGET (self->members_list), items->len > 0);
  for (guint i = 0; i < items->len; i++)
    {
      QuorumUsageItem *item = g_ptr_array_index (items, i);
      const char *key = quorum_usage_item_get_key (item);
      g_autofree char *credits = quorum_format_count (quorum_usage_item_get_credits (item));
      g_autofree char *requests = quorum_format_count (quorum_usage_item_get_requests (item));
      g_autofree char *line = NULL;
      GtkWidget *row = adw_action_row_new ();

      /* Translators: a member's usage: credits, requests */
      line = g_strdup_printf (_("%s credits · %s requests"), credits, requests);
      if (g_str_has_prefix (key, "key_"))
        {
          g_autofree char *title = NULL;

          /* Translators: usage by an API key rather than a member: its id */
          title = g_strdup_printf (_("API key %s"), key);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
        }
      else
        {
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), key);
        }
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), line);
      gtk_list_box_append (self->members_list, row);
      if (!g_str_has_prefix (key, "key_"))
        quorum_client_get_member_async (self->client, quorum_organization_get_id (self->organization), key,
                                        self->usage_cancellable, member_named_cb, g_object_ref (row));
    }
}

static void
load_usage (QuorumBillingPage *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) from = g_date_time_add_days (now, -(int) (usage_days (self) - 1));
  const char *id;

  if (!can_manage (self))
    return;
  /* Another range: the answers for the one before are of no use. */
  g_cancellable_cancel (self->usage_cancellable);
  g_object_unref (self->usage_cancellable);
  self->usage_cancellable = g_cancellable_new ();
  id = quorum_organization_get_id (self->organization);
  quorum_client_get_usage_async (self->client, id, from, now, QUORUM_USAGE_BY_DAY, NULL, USAGE_DAYS_LONG,
                                 self->usage_cancellable, usage_loaded_cb, g_object_ref (self));
  quorum_client_get_usage_async (self->client, id, from, now, QUORUM_USAGE_BY_MEMBER, NULL, USAGE_TOP_MEMBERS,
                                 self->usage_cancellable, members_usage_loaded_cb, g_object_ref (self));
}

static void
days_toggled_cb (QuorumBillingPage *self,
                 GtkToggleButton   *button)
{
  /* Each toggle of the pair fires; the one turned on loads. */
  if (gtk_toggle_button_get_active (button))
    load_usage (self);
}

static const char *
status_words (const char *status)
{
  if (g_strcmp0 (status, "draft") == 0)
    return C_("invoice", "Draft");
  if (g_strcmp0 (status, "open") == 0)
    return C_("invoice", "Open");
  if (g_strcmp0 (status, "paid") == 0)
    return C_("invoice", "Paid");
  if (g_strcmp0 (status, "void") == 0)
    return C_("invoice", "Void");
  return C_("invoice", "Uncollectible");
}

static void
save_pdf_clicked_cb (GtkButton *button,
                     gpointer   user_data);

static GtkWidget *
invoice_row_new (QuorumBillingPage *self,
                 QuorumInvoice     *invoice)
{
  /* Translators: an invoice's period, its month (strftime) */
  g_autofree char *title = g_date_time_format (quorum_invoice_get_period_start (invoice), _("%B %Y"));
  g_autofree char *total = quorum_format_money (quorum_invoice_get_total_cents (invoice),
                                                quorum_invoice_get_currency (invoice));
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Save PDF…"));
  g_autofree char *button_label = NULL;

  /* Translators: an invoice row: its number, total and status ("Paid") */
  subtitle = g_strdup_printf (_("%s · %s · %s"), quorum_invoice_get_number (invoice), total,
                              status_words (quorum_invoice_get_status (invoice)));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  /* Translators: the accessible name of an invoice's Save PDF button: the invoice number */
  button_label = g_strdup_printf (_("Save invoice %s as PDF"), quorum_invoice_get_number (invoice));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, button_label, -1);
  g_object_set_data_full (G_OBJECT (button), "invoice", g_object_ref (invoice), g_object_unref);
  g_signal_connect_object (button, "clicked", G_CALLBACK (save_pdf_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static void load_invoices (QuorumBillingPage *self,
                           const char        *cursor);

static void
more_invoices_cb (GtkButton         *button,
                  QuorumBillingPage *self)
{
  g_autofree char *cursor = g_strdup (g_object_get_data (G_OBJECT (button), "cursor"));

  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  load_invoices (self, cursor);
}

typedef struct
{
  QuorumBillingPage *self;
  gboolean           first_page;
} InvoicesLoad;

static void
invoices_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autofree InvoicesLoad *load = user_data;
  g_autoptr(QuorumBillingPage) self = load->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) invoices = NULL;
  g_autofree char *next_cursor = NULL;
  GtkWidget *child;

  invoices = quorum_client_list_invoices_finish (QUORUM_CLIENT (object), result, &next_cursor, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* The "older" row of the page before goes; a first page starts afresh. */
  if (load->first_page)
    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->invoices_list))) != NULL)
      gtk_list_box_remove (self->invoices_list, child);
  else if ((child = gtk_widget_get_last_child (GTK_WIDGET (self->invoices_list))) != NULL &&
           g_object_get_data (G_OBJECT (child), "more") != NULL)
    gtk_list_box_remove (self->invoices_list, child);

  if (invoices == NULL)
    {
      g_autofree char *message = quorum_error_compose (_("Could not load the invoices"), error);

      adw_preferences_group_set_description (self->invoices_group, message);
      gtk_widget_set_visible (GTK_WIDGET (self->invoices_list),
                              gtk_widget_get_first_child (GTK_WIDGET (self->invoices_list)) != NULL);
      return;
    }

  if (load->first_page)
    adw_preferences_group_set_description (self->invoices_group,
                                           invoices->len == 0 ? _("No invoices yet.") : NULL);
  for (guint i = 0; i < invoices->len; i++)
    gtk_list_box_append (self->invoices_list, invoice_row_new (self, g_ptr_array_index (invoices, i)));
  if (next_cursor != NULL)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *button = gtk_button_new_with_mnemonic (_("Show _Older Invoices"));

      gtk_widget_add_css_class (button, "flat");
      g_object_set_data_full (G_OBJECT (button), "cursor", g_steal_pointer (&next_cursor), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (more_invoices_cb), self, 0);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), button);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      g_object_set_data (G_OBJECT (row), "more", GINT_TO_POINTER (1));
      gtk_list_box_append (self->invoices_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->invoices_list),
                          gtk_widget_get_first_child (GTK_WIDGET (self->invoices_list)) != NULL);
}

/* A page of invoices, newest first: the first (@cursor NULL) replaces the
 * list, the next ones are added below it. */
static void
load_invoices (QuorumBillingPage *self,
               const char        *cursor)
{
  InvoicesLoad *load = g_new0 (InvoicesLoad, 1);

  load->self = g_object_ref (self);
  load->first_page = cursor == NULL;
  quorum_client_list_invoices_async (self->client, quorum_organization_get_id (self->organization), cursor,
                                     INVOICES_PAGE, self->cancellable, invoices_loaded_cb, load);
}

/* The ledger */

/* "+€25.50" for money in, "-€20.00" for a charge. */
static char *
format_signed_money (gint64      cents,
                     const char *currency)
{
  g_autofree char *money = quorum_format_money (cents, currency);

  if (cents <= 0)
    return g_steal_pointer (&money);
  /* Translators: an amount paid into the balance, as the ledger shows it: "+€25.50" */
  return g_strdup_printf (_("+%s"), money);
}

/* What the entry is, in the user's language: the server's description is
 * English (it is the invoice's line); a kind the app does not know yet
 * keeps it. */
static const char *
ledger_entry_title (QuorumLedgerEntry *entry)
{
  const char *kind = quorum_ledger_entry_get_kind (entry);

  if (g_strcmp0 (kind, "top_up") == 0)
    /* Translators: a ledger entry: money paid into the prepaid balance */
    return _("Top-up");
  if (g_strcmp0 (kind, "usage") == 0)
    /* Translators: a ledger entry: a charge for credits past the plan's included ones */
    return _("Usage beyond the included credits");
  if (g_strcmp0 (kind, "plan") == 0)
    /* Translators: a ledger entry: the plan's price charged */
    return _("Plan charge");
  return quorum_ledger_entry_get_description (entry);
}

static GtkWidget *
ledger_row_new (QuorumLedgerEntry *entry)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *amount_label;
  const char *currency = quorum_ledger_entry_get_currency (entry);
  gint64 amount = quorum_ledger_entry_get_amount_cents (entry);
  g_autoptr(GDateTime) local = g_date_time_to_local (quorum_ledger_entry_get_created_at (entry));
  /* The locale's own way to write a date. */
  g_autofree char *date = local != NULL ? g_date_time_format (local, "%x") : g_strdup ("");
  g_autofree char *amount_text = format_signed_money (amount, currency);
  g_autofree char *after = quorum_format_money (quorum_ledger_entry_get_balance_after_cents (entry), currency);
  g_autofree char *subtitle = NULL;
  g_autofree char *accessible = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), ledger_entry_title (entry));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  /* Translators: a ledger row's subtitle: its date, then the balance after the entry */
  subtitle = g_strdup_printf (_("%s · balance %s"), date, after);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  amount_label = gtk_label_new (amount_text);
  gtk_widget_add_css_class (amount_label, "numeric");
  gtk_widget_add_css_class (amount_label, amount < 0 ? "error" : "success");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), amount_label);

  /* Translators: a ledger row for a screen reader: description, signed amount, date, balance after */
  accessible = g_strdup_printf (_("%s, %s, %s, balance %s"), ledger_entry_title (entry),
                                amount_text, date, after);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  g_object_set_data_full (G_OBJECT (row), "entry", g_object_ref (entry), g_object_unref);
  return row;
}

static void
more_ledger_cb (GtkButton         *button,
                QuorumBillingPage *self)
{
  g_autofree char *cursor = g_strdup (g_object_get_data (G_OBJECT (button), "cursor"));

  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  load_ledger (self, cursor, FALSE);
}

static void
update_ledger_status (QuorumBillingPage *self)
{
  QuorumRequestPhase phase = quorum_request_state_get_phase (self->ledger_state);

  /* The list stays as it was shown; the bar says what a page is doing. */
  gtk_widget_set_visible (GTK_WIDGET (self->ledger_status), phase != QUORUM_REQUEST_PHASE_IDLE);
}

typedef struct
{
  QuorumBillingPage *self;
  gboolean           first_page;
} LedgerLoad;

static void
ledger_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autofree LedgerLoad *load = user_data;
  g_autoptr(QuorumBillingPage) self = load->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *next_cursor = NULL;
  GtkWidget *child;

  entries = quorum_client_list_ledger_finish (QUORUM_CLIENT (object), result, &next_cursor, &error);
  if (entries == NULL)
    {
      GtkWidget *last = gtk_widget_get_last_child (GTK_WIDGET (self->ledger_list));

      /* Cancelled: idle (a newer load began, or the page went). Otherwise
       * the state says why, with Retry; Show Older Entries works again. */
      quorum_request_state_fail (self->ledger_state, _("Could not load the ledger"), error);
      if (last != NULL && g_object_get_data (G_OBJECT (last), "more") != NULL)
        gtk_widget_set_sensitive (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (last)), TRUE);
      return;
    }
  quorum_request_state_succeed (self->ledger_state);

  /* The "older" row of the page before goes; a first page starts afresh. */
  if (load->first_page)
    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->ledger_list))) != NULL)
      gtk_list_box_remove (self->ledger_list, child);
  else if ((child = gtk_widget_get_last_child (GTK_WIDGET (self->ledger_list))) != NULL &&
           g_object_get_data (G_OBJECT (child), "more") != NULL)
    gtk_list_box_remove (self->ledger_list, child);

  if (load->first_page)
    adw_preferences_group_set_description (self->ledger_group,
                                           entries->len == 0 ? _("No top-ups or charges yet.") : NULL);
  for (guint i = 0; i < entries->len; i++)
    gtk_list_box_append (self->ledger_list, ledger_row_new (g_ptr_array_index (entries, i)));
  if (next_cursor != NULL)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *button = gtk_button_new_with_mnemonic (_("Show _Older Entries"));

      gtk_widget_add_css_class (button, "flat");
      g_object_set_data_full (G_OBJECT (button), "cursor", g_steal_pointer (&next_cursor), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (more_ledger_cb), self, 0);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), button);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      g_object_set_data (G_OBJECT (row), "more", GINT_TO_POINTER (1));
      gtk_list_box_append (self->ledger_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->ledger_list),
                          gtk_widget_get_first_child (GTK_WIDGET (self->ledger_list)) != NULL);
}

/* A page of the ledger under its request state, newest first: the first
 * (@cursor NULL) replaces the list, the next ones are added below it.
 * @automatic: a load the user did not ask for (retried with back-off). */
static void
load_ledger (QuorumBillingPage *self,
             const char        *cursor,
             gboolean           automatic)
{
  LedgerLoad *load;
  GCancellable *cancellable;

  if (!can_manage (self))
    return;
  if (self->ledger_cursor != cursor)
    {
      g_free (self->ledger_cursor);
      self->ledger_cursor = g_strdup (cursor);
    }
  load = g_new0 (LedgerLoad, 1);
  load->self = g_object_ref (self);
  load->first_page = cursor == NULL;
  cancellable = quorum_request_state_begin (self->ledger_state, automatic);
  quorum_client_list_ledger_async (self->client, quorum_organization_get_id (self->organization), cursor,
                                   LEDGER_PAGE, cancellable, ledger_loaded_cb, load);
}

/* Retry, by the user or by the back-off: the page that failed again. */
static void
ledger_retry_cb (QuorumBillingPage *self)
{
  g_autofree char *cursor = g_strdup (self->ledger_cursor);

  load_ledger (self, cursor, quorum_request_state_get_automatic (self->ledger_state));
}

static void
clear_ledger (QuorumBillingPage *self)
{
  GtkWidget *child;

  quorum_request_state_reset (self->ledger_state);
  g_clear_pointer (&self->ledger_cursor, g_free);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->ledger_list))) != NULL)
    gtk_list_box_remove (self->ledger_list, child);
  gtk_widget_set_visible (GTK_WIDGET (self->ledger_list), FALSE);
  adw_preferences_group_set_description (self->ledger_group, NULL);
}

static void
restart (QuorumBillingPage *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->usage_cancellable != NULL)
    g_cancellable_cancel (self->usage_cancellable);
  g_clear_object (&self->usage_cancellable);
  self->usage_cancellable = g_cancellable_new ();
  self->top_up_in_flight = FALSE;
  g_clear_pointer (&self->top_up_key, g_free);
  self->load_begun = FALSE;
  g_clear_pointer (&self->alert_shown, g_free);
  quorum_request_state_reset (self->load_state);
  clear_ledger (self);
}

static void
load (QuorumBillingPage *self,
      gboolean           automatic)
{
  if (!can_manage (self))
    return;

  load_billing (self, automatic);
  load_usage (self);
  load_invoices (self, NULL);
}

/* Retry, by the user or by the back-off: everything again. */
static void
state_retry_cb (QuorumBillingPage *self)
{
  load (self, quorum_request_state_get_automatic (self->load_state));
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  QuorumBillingPage *self = QUORUM_BILLING_PAGE (widget);

  /* The user asked: what is shown stays until the new answer. */
  load (self, FALSE);
}

/* Top-ups */

static void
top_up_again (gpointer object,
              gpointer data)
{
  send_top_up (object);
}

static void
topped_up_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(QuorumBillingPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 balance = 0;

  if (!quorum_client_top_up_finish (QUORUM_CLIENT (object), result, &balance, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->top_up_in_flight = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "billing.top-up", TRUE);

  if (error != NULL)
    {
      g_autofree char *message = quorum_error_compose (_("Could not top up the balance"), error);
      /* Refused for good (an amount out of range, a reused key): a new try
       * is a new top-up. Anything else may not have reached the server, or
       * its answer got lost: Retry sends the same key. */
      gboolean definitive = g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_VALIDATION) ||
                            g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_IDEMPOTENCY_KEY_REUSED) ||
                            g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_FORBIDDEN);

      if (definitive)
        {
          g_clear_pointer (&self->top_up_key, g_free);
          quorum_toast_show (GTK_WIDGET (self), message, NULL);
        }
      else
        quorum_toast_show (GTK_WIDGET (self), message, quorum_weak_call_new (self, top_up_again, NULL, NULL));
      return;
    }

  g_clear_pointer (&self->top_up_key, g_free);
  {
    g_autofree char *money = quorum_format_money (balance, self->billing != NULL
                                                            ? quorum_billing_get_currency (self->billing) : "");
    g_autofree char *text = NULL;

    /* Translators: after a top-up: the new balance */
    text = g_strdup_printf (_("Balance topped up to %s"), money);
    quorum_toast_show (GTK_WIDGET (self), text, NULL);
  }
  /* The whole state again: the balance, and whether it is still low. */
  load_billing (self, TRUE);
}

static void
send_top_up (QuorumBillingPage *self)
{
  if (self->top_up_key == NULL || self->top_up_in_flight || !can_manage (self))
    return;

  self->top_up_in_flight = TRUE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "billing.top-up", FALSE);
  quorum_client_top_up_async (self->client, quorum_organization_get_id (self->organization),
                              self->top_up_cents, self->top_up_key, self->cancellable,
                              topped_up_cb, g_object_ref (self));
}

/* The amount chosen in the dialog: the same amount after a failure is the
 * same top-up, and keeps its key. */
static void
top_up_chosen_cb (QuorumBillingPage *self,
                  gint64             cents)
{
  if (self->top_up_key == NULL || self->top_up_cents != cents)
    {
      g_free (self->top_up_key);
      self->top_up_key = quorum_client_new_idempotency_key ();
      self->top_up_cents = cents;
    }
  send_top_up (self);
}

static void
top_up_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  QuorumBillingPage *self = QUORUM_BILLING_PAGE (widget);
  GtkWidget *dialog;

  if (self->billing == NULL)
    return;

  dialog = quorum_top_up_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                     quorum_billing_get_currency (self->billing));
  /* A top-up that failed: offered again as it was. */
  if (self->top_up_key != NULL)
    quorum_top_up_dialog_set_amount (QUORUM_TOP_UP_DIALOG (dialog), self->top_up_cents);
  g_signal_connect_object (dialog, "top-up", G_CALLBACK (top_up_chosen_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The low-balance alert */

static void
alert_saved_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(QuorumBillingPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumBilling) billing = NULL;

  billing = quorum_client_update_billing_finish (QUORUM_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_PRECONDITION_FAILED))
    {
      /* Changed elsewhere since it was shown: the page takes the server's
       * state, and what was typed stays for another Apply. */
      quorum_toast_show (GTK_WIDGET (self),
                         _("Someone else changed the billing settings meanwhile: the page shows them now. "
                           "Apply again to set your alert."), NULL);
      load_billing (self, TRUE);
      return;
    }
  if (billing == NULL)
    {
      g_autofree char *message = quorum_error_compose (_("Could not save the low-balance alert"), error);

      quorum_widget_set_error (GTK_WIDGET (self->alert_row), TRUE);
      quorum_toast_show (GTK_WIDGET (self), message, NULL);
      return;
    }

  /* What was applied is now the server's: shown as the server says it. */
  g_clear_pointer (&self->alert_shown, g_free);
  set_billing (self, billing);
  quorum_toast_show (GTK_WIDGET (self), _("Low-balance alert saved"), NULL);
}

static void
alert_changed_cb (QuorumBillingPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->alert_row));
  gint64 cents;

  quorum_widget_set_error (GTK_WIDGET (self->alert_row),
                           *text != '\0' && !quorum_parse_money (text, &cents));
}

static void
alert_apply_cb (QuorumBillingPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->alert_row));
  gint64 cents = QUORUM_BILLING_NO_ALERT;
  /* Checked before anything is sent. */
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  if (!can_manage (self))
    return;
  if (*stripped != '\0' && !quorum_parse_money (stripped, &cents))
    {
      quorum_widget_set_error (GTK_WIDGET (self->alert_row), TRUE);
      return;
    }

  quorum_client_update_billing_async (self->client, quorum_organization_get_id (self->organization),
                                      self->billing != NULL ? quorum_billing_get_etag (self->billing) : NULL,
                                      cents, self->cancellable, alert_saved_cb, g_object_ref (self));
}

/* Plans */

typedef struct
{
  QuorumBillingPage *self;
  QuorumPlan        *plan;
} PlanChange;

static void
plan_change_free (PlanChange *change)
{
  g_clear_object (&change->self);
  g_clear_object (&change->plan);
  g_free (change);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlanChange, plan_change_free)

static void
plan_changed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PlanChange) change = user_data;
  QuorumBillingPage *self = change->self;
  QuorumPlan *plan = change->plan;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumBilling) billing = NULL;

  billing = quorum_client_change_plan_finish (QUORUM_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_SEAT_LIMIT_EXCEEDED))
    {
      g_autofree char *why = quorum_plan_seats_explanation (plan, self->organization,
                                                            self->billing != NULL
                                                            ? quorum_billing_get_seats_used (self->billing) : 0);
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                  _("Too Many Seats for This Plan"), why);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      /* Seats may have changed meanwhile: the page shows the server's count. */
      load_billing (self, TRUE);
      return;
    }
  if (billing == NULL)
    {
      g_autofree char *message = quorum_error_compose (_("Could not change the plan"), error);

      quorum_toast_show (GTK_WIDGET (self), message, NULL);
      return;
    }

  set_billing (self, billing);
  {
    g_autofree char *text = NULL;

    /* Translators: after a plan change: the new plan's name */
    text = g_strdup_printf (_("Now on the %s plan"), quorum_plan_get_name (quorum_billing_get_plan (billing)));
    quorum_toast_show (GTK_WIDGET (self), text, NULL);
  }
}

/* The plan checked in the dialog, if it is another than the one shown. */
static void
plan_chosen_cb (QuorumBillingPage *self,
                QuorumPlan        *plan)
{
  PlanChange *change;

  if (self->billing == NULL ||
      g_strcmp0 (quorum_plan_get_id (plan), quorum_plan_get_id (quorum_billing_get_plan (self->billing))) == 0)
    return;

  change = g_new0 (PlanChange, 1);
  change->self = g_object_ref (self);
  change->plan = g_object_ref (plan);
  quorum_client_change_plan_async (self->client, quorum_organization_get_id (self->organization),
                                   quorum_plan_get_id (plan), self->cancellable, plan_changed_cb, change);
}

static void
plans_listed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(QuorumBillingPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) plans = NULL;
  GtkWidget *dialog;

  plans = quorum_client_list_plans_finish (QUORUM_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "billing.change-plan", TRUE);
  if (plans == NULL)
    {
      g_autofree char *message = quorum_error_compose (_("Could not load the plans"), error);

      quorum_toast_show (GTK_WIDGET (self), message, NULL);
      return;
    }
  if (self->billing == NULL)
    return;

  dialog = quorum_change_plan_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                          plans, self->billing, self->organization);
  g_signal_connect_object (dialog, "plan-chosen", G_CALLBACK (plan_chosen_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
change_plan_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  QuorumBillingPage *self = QUORUM_BILLING_PAGE (widget);

  if (!can_manage (self))
    return;
  gtk_widget_action_set_enabled (widget, "billing.change-plan", FALSE);
  quorum_client_list_plans_async (self->client, self->cancellable, plans_listed_cb, g_object_ref (self));
}

/* Invoices */

static void
invoice_saved_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(QuorumBillingPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (quorum_client_save_invoice_pdf_finish (QUORUM_CLIENT (object), result, &error) < 0)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = quorum_error_compose (_("Could not save the invoice"), error);
      quorum_toast_show (GTK_WIDGET (self), message, NULL);
      return;
    }
  quorum_toast_show (GTK_WIDGET (self), _("Invoice saved"), NULL);
}

/**
 * quorum_billing_page_save_invoice:
 *
 * Saves @invoice's PDF to @file, as Save PDF… does once a file is chosen.
 */
void
quorum_billing_page_save_invoice (QuorumBillingPage *self,
                                  QuorumInvoice     *invoice,
                                  GFile             *file)
{
  g_return_if_fail (QUORUM_IS_BILLING_PAGE (self));
  g_return_if_fail (QUORUM_IS_INVOICE (invoice));
  g_return_if_fail (G_IS_FILE (file));

  if (!can_manage (self))
    return;
  quorum_client_save_invoice_pdf_async (self->client, quorum_organization_get_id (self->organization),
                                        quorum_invoice_get_id (invoice), file, self->cancellable,
                                        invoice_saved_cb, g_object_ref (self));
}

static void
chooser_response_cb (GtkNativeDialog   *chooser,
                     int                response,
                     QuorumBillingPage *self)
{
  QuorumInvoice *invoice = g_object_get_data (G_OBJECT (chooser), "invoice");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        quorum_billing_page_save_invoice (self, invoice, file);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
save_pdf_clicked_cb (GtkButton *button,
                     gpointer   user_data)
{
  QuorumBillingPage *self = user_data;
  QuorumInvoice *invoice = g_object_get_data (G_OBJECT (button), "invoice");
  g_autofree char *name = g_strdup_printf ("%s.pdf", quorum_invoice_get_number (invoice));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  /* Through the portal inside the Flatpak. */
  chooser = gtk_file_chooser_native_new (_("Save Invoice"),
                                         GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_object_set_data_full (G_OBJECT (chooser), "invoice", g_object_ref (invoice), g_object_unref);
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Properties */

QuorumClient *
quorum_billing_page_get_client (QuorumBillingPage *self)
{
  g_return_val_if_fail (QUORUM_IS_BILLING_PAGE (self), NULL);

  return self->client;
}

void
quorum_billing_page_set_client (QuorumBillingPage *self,
                                QuorumClient      *client)
{
  g_return_if_fail (QUORUM_IS_BILLING_PAGE (self));
  g_return_if_fail (client == NULL || QUORUM_IS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;
  restart (self);
  set_billing (self, NULL);
  quorum_request_state_set_host_from_url (self->load_state,
                                          client != NULL ? quorum_client_get_base_url (client) : NULL);
  quorum_request_state_set_host_from_url (self->ledger_state,
                                          client != NULL ? quorum_client_get_base_url (client) : NULL);
  update_view (self);
  load (self, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

QuorumOrganization *
quorum_billing_page_get_organization (QuorumBillingPage *self)
{
  g_return_val_if_fail (QUORUM_IS_BILLING_PAGE (self), NULL);

  return self->organization;
}

void
quorum_billing_page_set_organization (QuorumBillingPage  *self,
                                      QuorumOrganization *organization)
{
  g_return_if_fail (QUORUM_IS_BILLING_PAGE (self));
  g_return_if_fail (organization == NULL || QUORUM_IS_ORGANIZATION (organization));

  if (!g_set_object (&self->organization, organization))
    return;
  restart (self);
  set_billing (self, NULL);
  quorum_usage_chart_set_items (self->usage_chart, NULL);
  update_view (self);
  load (self, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORGANIZATION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
}

/**
 * quorum_billing_page_get_billing:
 *
 * Returns: (transfer none) (nullable): the billing state shown
 */
QuorumBilling *
quorum_billing_page_get_billing (QuorumBillingPage *self)
{
  g_return_val_if_fail (QUORUM_IS_BILLING_PAGE (self), NULL);

  return self->billing;
}

static void
quorum_billing_page_dispose (GObject *object)
{
  QuorumBillingPage *self = QUORUM_BILLING_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->usage_cancellable != NULL)
    g_cancellable_cancel (self->usage_cancellable);
  g_clear_object (&self->usage_cancellable);
  if (self->load_state != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->load_state, self);
      quorum_request_state_reset (self->load_state);
    }
  g_clear_object (&self->load_state);
  if (self->ledger_state != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->ledger_state, self);
      quorum_request_state_reset (self->ledger_state);
    }
  g_clear_object (&self->ledger_state);
  g_clear_pointer (&self->ledger_cursor, g_free);
  g_clear_object (&self->client);
  g_clear_object (&self->organization);
  g_clear_object (&self->billing);
  g_clear_pointer (&self->top_up_key, g_free);
  g_clear_pointer (&self->alert_shown, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), QUORUM_TYPE_BILLING_PAGE);

  G_OBJECT_CLASS (quorum_billing_page_parent_class)->dispose (object);
}

static void
quorum_billing_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  QuorumBillingPage *self = QUORUM_BILLING_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_ORGANIZATION:
      g_value_set_object (value, self->organization);
      break;

    case PROP_ROLE:
      g_value_set_string (value, quorum_role_to_string (quorum_billing_page_get_role (self)));
      break;

    case PROP_BILLING:
      g_value_set_object (value, self->billing);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_billing_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  QuorumBillingPage *self = QUORUM_BILLING_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      quorum_billing_page_set_client (self, g_value_get_object (value));
      break;

    case PROP_ORGANIZATION:
      quorum_billing_page_set_organization (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_billing_page_class_init (QuorumBillingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = quorum_billing_page_dispose;
  object_class->get_property = quorum_billing_page_get_property;
  object_class->set_property = quorum_billing_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, QUORUM_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ORGANIZATION] =
    g_param_spec_object ("organization", NULL, NULL, QUORUM_TYPE_ORGANIZATION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The user's role in the organization, by its API name. */
  properties[PROP_ROLE] =
    g_param_spec_string ("role", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BILLING] =
    g_param_spec_object ("billing", NULL, NULL, QUORUM_TYPE_BILLING,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (QUORUM_TYPE_USAGE_CHART);
  g_type_ensure (QUORUM_TYPE_REQUEST_STATUS);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/quorum-billing-page.ui");
  gtk_widget_class_bind_template_child (widget_class, QuorumBillingPage, low_balance_revealer);
  gtk_widget_class_bind_template_child (widget_class, QuorumBillingPage, low_balance_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumBillingPage, stack);
  gtk_widget_class_bind_template_child (widget_class, QuorumBillingPage, loading_status);
  gtk_widget_class_bind_template_child (widget_class, QuorumBillingPage, error_status);
  gtk_widget_class_bind_template_child (widget_class, QuorumBillingPage, error_status_widget);
  gtk_widget_class_bind_template_child (widget_class, QuorumBillingPage, retry_button);
  gtk_widget_class_bind_template_child (widget_class, QuorumBillingPage, status_revealer);
  gtk_widget_class_bind_template_child (widget_class, QuorumBillingPage, bar_status);
  gtk_widget_class_bind_template_child (widget_class, QuorumBillingPage, plan_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumBillingPage, seats_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumBillingPage, seats_bar);
  gtk_widget_class_bind_template_child (widget_class, QuorumBillingPage, balance_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumBillingPage, alert_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumBillingPage, usage_group);
  gtk_widget_class_bind_template_child (widget_class, QuorumBillingPage, days_90_button);
  gtk_widget_class_bind_template_child (widget_class, QuorumBillingPage, usage_chart);
  gtk_widget_class_bind_template_child (widget_class, QuorumBillingPage, members_group);
  gtk_widget_class_bind_template_child (widget_class, QuorumBillingPage, members_list);
  gtk_widget_class_bind_template_child (widget_class, QuorumBillingPage, invoices_group);
  gtk_widget_class_bind_template_child (widget_class, QuorumBillingPage, invoices_list);
  gtk_widget_class_bind_template_child (widget_class, QuorumBillingPage, ledger_group);
  gtk_widget_class_bind_template_child (widget_class, QuorumBillingPage, ledger_status);
  gtk_widget_class_bind_template_child (widget_class, QuorumBillingPage, ledger_list);
  gtk_widget_class_bind_template_callback (widget_class, alert_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, alert_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, days_toggled_cb);

  gtk_widget_class_install_action (widget_class, "billing.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "billing.top-up", NULL, top_up_action);
  gtk_widget_class_install_action (widget_class, "billing.change-plan", NULL, change_plan_action);
}

static void
quorum_billing_page_init (QuorumBillingPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->usage_cancellable = g_cancellable_new ();
  self->load_state = quorum_request_state_new (NULL);
  self->ledger_state = quorum_request_state_new (NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  quorum_request_status_set_state (self->ledger_status, self->ledger_state);
  g_signal_connect_swapped (self->ledger_state, "retry", G_CALLBACK (ledger_retry_cb), self);
  g_signal_connect_swapped (self->ledger_state, "notify::phase", G_CALLBACK (update_ledger_status), self);
  quorum_request_status_set_state (self->loading_status, self->load_state);
  quorum_request_status_set_state (self->error_status_widget, self->load_state);
  quorum_request_status_set_state (self->bar_status, self->load_state);
  g_signal_connect_swapped (self->load_state, "retry", G_CALLBACK (state_retry_cb), self);
  g_signal_connect_swapped (self->load_state, "notify::phase", G_CALLBACK (update_view), self);
  g_signal_connect_swapped (self->load_state, "notify::running", G_CALLBACK (update_view), self);
  update_view (self);
}
