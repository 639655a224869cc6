/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-api-private.h"
#include "quorum-deliveries-dialog.h"
#include "quorum-request-status.h"
#include "quorum-utils-private.h"

/*
 * A webhook's delivery log: every try, newest first, DELIVERIES_PAGE at a
 * time (Show Older Deliveries adds the next page below): the event, the
 * status, the receiver's HTTP code or the error, the duration, the attempt
 * and when (relative, exact in the tooltip), with Resend on each. The list
 * loads under a QuorumRequestState (automatic the first time, so it comes
 * back by itself): centred until the first answer, a bar above the list
 * afterwards. A resend, on the dialog's own cancellable, reloads the list.
 */

#define DELIVERIES_PAGE 50

struct _QuorumDeliveriesDialog
{
  AdwWindow           parent_instance;

  QuorumClient       *client;
  QuorumOrganization *organization;
  QuorumWebhook      *webhook;
  QuorumRequestState *load_state;
  GCancellable       *cancellable;   /* resends; cancelled when the dialog goes */
  GListStore         *deliveries;
  char               *next_cursor;
  char               *loading_cursor; /* of the page asked for; NULL: the first */
  gboolean            loaded;

  AdwToastOverlay    *toast_overlay;
  AdwWindowTitle     *window_title;
  QuorumRequestStatus *bar_status;
  GtkStack           *stack;
  QuorumRequestStatus *loading_status;
  GtkListBox         *list;
  GtkWidget          *more_button;
};

G_DEFINE_FINAL_TYPE (QuorumDeliveriesDialog, quorum_deliveries_dialog, ADW_TYPE_WINDOW)

static void load_page (QuorumDeliveriesDialog *self,
                       const char             *cursor,
                       gboolean                automatic);

static void
update_view (QuorumDeliveriesDialog *self)
{
  QuorumRequestPhase phase = quorum_request_state_get_phase (self->load_state);

  if (!self->loaded)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->deliveries)) == 0)
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else
    gtk_stack_set_visible_child_name (self->stack, "list");
  gtk_widget_set_visible (GTK_WIDGET (self->bar_status),
                          self->loaded && phase != QUORUM_REQUEST_PHASE_IDLE && phase != QUORUM_REQUEST_PHASE_WAITING);
  gtk_widget_set_visible (self->more_button, self->loaded && self->next_cursor != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "deliveries.more",
                                 !quorum_request_state_get_running (self->load_state));
}

static char *
status_text (QuorumDelivery *delivery)
{
  const char *event = quorum_event_type_get_label (quorum_delivery_get_event (delivery));

  switch (quorum_delivery_get_status (delivery))
    {
    case QUORUM_DELIVERY_PENDING:
      /* TRANSLATORS: "Member added — sending…" */
      return g_strdup_printf (_("%s — sending…"), event);
    case QUORUM_DELIVERY_SUCCEEDED:
      return g_strdup_printf (_("%s — delivered"), event);
    case QUORUM_DELIVERY_FAILED:
    default:
      return g_strdup_printf (_("%s — failed"), event);
    }
}

static char *
details_text (QuorumDelivery *delivery,
              GDateTime      *now)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const char *error = quorum_delivery_get_error (delivery);

  if (quorum_delivery_get_response_status (delivery) != 0)
    g_ptr_array_add (parts, g_strdup_printf (_("HTTP %u"), quorum_delivery_get_response_status (delivery)));
  /* The server's words, without what could spoof the UI. */
  if (error != NULL && *error != '\0')
    g_ptr_array_add (parts, quorum_api_text_for_display (error));
  if (quorum_delivery_get_duration_ms (delivery) >= 0)
    {
      g_autofree char *ms = quorum_format_count (quorum_delivery_get_duration_ms (delivery));

      /* TRANSLATORS: how long a delivery took, in milliseconds */
      g_ptr_array_add (parts, g_strdup_printf (_("%s ms"), ms));
    }
  g_ptr_array_add (parts, g_strdup_printf (_("attempt %u"), quorum_delivery_get_attempt (delivery)));
  g_ptr_array_add (parts, quorum_format_relative_time (quorum_delivery_get_created_at (delivery), now));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (GStrv) parts->pdata);
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  QuorumDelivery *delivery = item;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *title = status_text (delivery);
  g_autofree char *subtitle = details_text (delivery, now);
  g_autofree char *exact = quorum_format_exact_time (quorum_delivery_get_created_at (delivery));
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  GtkWidget *button;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (row, 0);
  gtk_widget_set_tooltip_text (GTK_WIDGET (row), exact);
  if (quorum_delivery_get_status (delivery) == QUORUM_DELIVERY_FAILED)
    gtk_widget_add_css_class (GTK_WIDGET (row), "delivery-failed");

  button = gtk_button_new_with_mnemonic (_("_Resend"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "deliveries.resend");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", quorum_delivery_get_id (delivery));
  adw_action_row_add_suffix (row, button);
  return GTK_WIDGET (row);
}

static void
page_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(QuorumDeliveriesDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *next_cursor = NULL;

  items = quorum_client_list_deliveries_finish (QUORUM_CLIENT (object), result, &next_cursor, NULL, &error);
  if (items == NULL)
    {
      quorum_request_state_fail (self->load_state, _("Could not load the deliveries"), error);
      update_view (self);
      return;
    }

  if (self->loading_cursor == NULL)
    g_list_store_remove_all (self->deliveries);
  g_list_store_splice (self->deliveries, g_list_model_get_n_items (G_LIST_MODEL (self->deliveries)), 0,
                       items->pdata, items->len);
  g_free (self->next_cursor);
  self->next_cursor = items->len > 0 ? g_steal_pointer (&next_cursor) : NULL;
  self->loaded = TRUE;
  quorum_request_state_succeed (self->load_state);
  update_view (self);
}

static void
load_page (QuorumDeliveriesDialog *self,
           const char             *cursor,
           gboolean                automatic)
{
  GCancellable *cancellable = quorum_request_state_begin (self->load_state, automatic);

  g_free (self->loading_cursor);
  self->loading_cursor = g_strdup (cursor);
  quorum_client_list_deliveries_async (self->client, quorum_organization_get_id (self->organization),
                                       quorum_webhook_get_id (self->webhook), cursor, DELIVERIES_PAGE,
                                       cancellable, page_loaded_cb, g_object_ref (self));
  update_view (self);
}

/* The newest page again (after a resend, or Reload). */
void
quorum_deliveries_dialog_reload (QuorumDeliveriesDialog *self)
{
  g_return_if_fail (QUORUM_IS_DELIVERIES_DIALOG (self));

  load_page (self, NULL, !self->loaded);
}

static void
retry_cb (QuorumDeliveriesDialog *self)
{
  load_page (self, self->loading_cursor, quorum_request_state_get_automatic (self->load_state));
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  quorum_deliveries_dialog_reload (QUORUM_DELIVERIES_DIALOG (widget));
}

static void
more_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  QuorumDeliveriesDialog *self = QUORUM_DELIVERIES_DIALOG (widget);

  if (self->next_cursor != NULL)
    load_page (self, self->next_cursor, FALSE);
}

static void
resent_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(QuorumDeliveriesDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumDelivery) delivery = NULL;

  delivery = quorum_client_resend_delivery_finish (QUORUM_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (delivery == NULL)
    {
      g_autofree char *message = quorum_error_compose (_("Could not resend the delivery"), error);

      quorum_toast_show (GTK_WIDGET (self->toast_overlay), message, NULL);
      return;
    }
  quorum_toast_show (GTK_WIDGET (self->toast_overlay), _("Sent again"), NULL);
  quorum_deliveries_dialog_reload (self);
}

/* What a row's Resend does. */
void
quorum_deliveries_dialog_resend (QuorumDeliveriesDialog *self,
                                 const char             *delivery_id)
{
  g_return_if_fail (QUORUM_IS_DELIVERIES_DIALOG (self));
  g_return_if_fail (delivery_id != NULL);

  quorum_client_resend_delivery_async (self->client, quorum_organization_get_id (self->organization),
                                       quorum_webhook_get_id (self->webhook), delivery_id,
                                       self->cancellable, resent_cb, g_object_ref (self));
}

static void
resend_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  quorum_deliveries_dialog_resend (QUORUM_DELIVERIES_DIALOG (widget), g_variant_get_string (parameter, NULL));
}

static void
quorum_deliveries_dialog_dispose (GObject *object)
{
  QuorumDeliveriesDialog *self = QUORUM_DELIVERIES_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  if (self->load_state != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->load_state, self);
      quorum_request_state_reset (self->load_state);
    }
  g_clear_object (&self->load_state);
  gtk_widget_dispose_template (GTK_WIDGET (self), QUORUM_TYPE_DELIVERIES_DIALOG);

  G_OBJECT_CLASS (quorum_deliveries_dialog_parent_class)->dispose (object);
}

static void
quorum_deliveries_dialog_finalize (GObject *object)
{
  QuorumDeliveriesDialog *self = QUORUM_DELIVERIES_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->organization);
  g_clear_object (&self->webhook);
  g_clear_object (&self->deliveries);
  g_clear_pointer (&self->next_cursor, g_free);
  g_clear_pointer (&self->loading_cursor, g_free);

  G_OBJECT_CLASS (quorum_deliveries_dialog_parent_class)->finalize (object);
}

static void
quorum_deliveries_dialog_class_init (QuorumDeliveriesDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = quorum_deliveries_dialog_dispose;
  object_class->finalize = quorum_deliveries_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/quorum-deliveries-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, QuorumDeliveriesDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, QuorumDeliveriesDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, QuorumDeliveriesDialog, bar_status);
  gtk_widget_class_bind_template_child (widget_class, QuorumDeliveriesDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, QuorumDeliveriesDialog, loading_status);
  gtk_widget_class_bind_template_child (widget_class, QuorumDeliveriesDialog, list);
  gtk_widget_class_bind_template_child (widget_class, QuorumDeliveriesDialog, more_button);

  gtk_widget_class_install_action (widget_class, "deliveries.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "deliveries.more", NULL, more_action);
  gtk_widget_class_install_action (widget_class, "deliveries.resend", "s", resend_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
quorum_deliveries_dialog_init (QuorumDeliveriesDialog *self)
{
  g_type_ensure (QUORUM_TYPE_REQUEST_STATUS);
  self->load_state = quorum_request_state_new (NULL);
  self->cancellable = g_cancellable_new ();
  self->deliveries = g_list_store_new (QUORUM_TYPE_DELIVERY);
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_list_box_bind_model (self->list, G_LIST_MODEL (self->deliveries), create_row_cb, NULL, NULL);
  quorum_request_status_set_state (self->loading_status, self->load_state);
  quorum_request_status_set_state (self->bar_status, self->load_state);
  g_signal_connect_swapped (self->load_state, "retry", G_CALLBACK (retry_cb), self);
  g_signal_connect_swapped (self->load_state, "notify::phase", G_CALLBACK (update_view), self);
}

/**
 * quorum_deliveries_dialog_new:
 *
 * Returns: (transfer floating): the dialog, loading the newest deliveries
 */
QuorumDeliveriesDialog *
quorum_deliveries_dialog_new (QuorumClient       *client,
                              QuorumOrganization *organization,
                              QuorumWebhook      *webhook)
{
  QuorumDeliveriesDialog *self;

  g_return_val_if_fail (QUORUM_IS_CLIENT (client), NULL);
  g_return_val_if_fail (QUORUM_IS_ORGANIZATION (organization), NULL);
  g_return_val_if_fail (QUORUM_IS_WEBHOOK (webhook), NULL);

  self = g_object_new (QUORUM_TYPE_DELIVERIES_DIALOG, NULL);
  self->client = g_object_ref (client);
  self->organization = g_object_ref (organization);
  self->webhook = g_object_ref (webhook);
  adw_window_title_set_subtitle (self->window_title, quorum_webhook_get_url (webhook));
  quorum_request_state_set_host_from_url (self->load_state, quorum_client_get_base_url (client));
  load_page (self, NULL, TRUE);
  return self;
}

/**
 * quorum_deliveries_dialog_get_deliveries:
 *
 * Returns: (transfer none): the attempts shown, newest first
 */
GListModel *
quorum_deliveries_dialog_get_deliveries (QuorumDeliveriesDialog *self)
{
  g_return_val_if_fail (QUORUM_IS_DELIVERIES_DIALOG (self), NULL);

  return G_LIST_MODEL (self->deliveries);
}
