/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-api.h"
#include "quorum-top-up-dialog.h"
#include "quorum-utils-private.h"

/*
 * "Top Up Balance": an amount, parsed in the user's locale by
 * quorum_parse_money() and checked against the server's bounds as it is
 * typed; Top Up is enabled only for an amount within them, and Enter in the
 * entry is Top Up. The dialog only asks: on Top Up it emits ::top-up with
 * the amount, and the page sends it (the page keeps the Idempotency-Key, so
 * a top-up retried through a new dialog is the same top-up).
 */

struct _QuorumTopUpDialog
{
  AdwMessageDialog  parent_instance;

  GtkEntry         *amount_entry;
};

G_DEFINE_FINAL_TYPE (QuorumTopUpDialog, quorum_top_up_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  SIGNAL_TOP_UP,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
typed_amount (QuorumTopUpDialog *self,
              gint64            *out_cents)
{
  return quorum_parse_money (gtk_editable_get_text (GTK_EDITABLE (self->amount_entry)), out_cents) &&
         *out_cents >= QUORUM_TOP_UP_MIN_CENTS && *out_cents <= QUORUM_TOP_UP_MAX_CENTS;
}

static void
amount_changed_cb (QuorumTopUpDialog *self)
{
  GtkEditable *entry = GTK_EDITABLE (self->amount_entry);
  gint64 cents;
  gboolean valid = typed_amount (self, &cents);

  quorum_widget_set_error (GTK_WIDGET (entry), !valid && *gtk_editable_get_text (entry) != '\0');
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "top-up", valid);
}

static void
amount_activate_cb (QuorumTopUpDialog *self)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);

  if (adw_message_dialog_get_response_enabled (dialog, "top-up"))
    adw_message_dialog_response (dialog, "top-up");
}

static void
quorum_top_up_dialog_response (AdwMessageDialog *dialog,
                               const char       *response)
{
  QuorumTopUpDialog *self = QUORUM_TOP_UP_DIALOG (dialog);
  gint64 cents;

  if (g_strcmp0 (response, "top-up") == 0 && typed_amount (self, &cents))
    g_signal_emit (self, signals[SIGNAL_TOP_UP], 0, cents);
}

static void
quorum_top_up_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), QUORUM_TYPE_TOP_UP_DIALOG);

  G_OBJECT_CLASS (quorum_top_up_dialog_parent_class)->dispose (object);
}

static void
quorum_top_up_dialog_class_init (QuorumTopUpDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->dispose = quorum_top_up_dialog_dispose;
  dialog_class->response = quorum_top_up_dialog_response;

  /**
   * QuorumTopUpDialog::top-up:
   * @cents: the amount chosen, in hundredths of the currency, within
   *   QUORUM_TOP_UP_MIN_CENTS and QUORUM_TOP_UP_MAX_CENTS
   */
  signals[SIGNAL_TOP_UP] =
    g_signal_new ("top-up", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/quorum-top-up-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, QuorumTopUpDialog, amount_entry);
  gtk_widget_class_bind_template_callback (widget_class, amount_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, amount_activate_cb);
}

static void
quorum_top_up_dialog_init (QuorumTopUpDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * quorum_top_up_dialog_new:
 * @parent: (nullable): the window it is modal to
 * @currency: the organization's currency (ISO 4217), for the bounds and
 *   the amount's accessible name
 *
 * Returns: (transfer none): the dialog, not yet presented
 */
GtkWidget *
quorum_top_up_dialog_new (GtkWindow  *parent,
                          const char *currency)
{
  QuorumTopUpDialog *self;
  g_autofree char *min = NULL;
  g_autofree char *max = NULL;
  g_autofree char *body = NULL;
  g_autofree char *placeholder = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (currency != NULL, NULL);

  self = g_object_new (QUORUM_TYPE_TOP_UP_DIALOG, "transient-for", parent, NULL);

  min = quorum_format_money (QUORUM_TOP_UP_MIN_CENTS, currency);
  max = quorum_format_money (QUORUM_TOP_UP_MAX_CENTS, currency);
  /* Translators: the top-up dialog: the smallest and largest amounts */
  body = g_strdup_printf (_("Add between %s and %s to the prepaid balance. This server takes test payments: no money moves."),
                          min, max);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);

  /* Translators: the top-up amount's accessible name; %s is the currency code */
  placeholder = g_strdup_printf (_("Amount in %s"), currency);
  gtk_entry_set_placeholder_text (self->amount_entry, placeholder);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->amount_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  placeholder, -1);
  return GTK_WIDGET (self);
}

/* Offers @cents again, as the entry shows amounts: the locale's number, no
 * symbol. */
void
quorum_top_up_dialog_set_amount (QuorumTopUpDialog *self,
                                 gint64             cents)
{
  g_autofree char *amount = NULL;

  g_return_if_fail (QUORUM_IS_TOP_UP_DIALOG (self));

  amount = quorum_format_money_plain (cents);
  gtk_editable_set_text (GTK_EDITABLE (self->amount_entry), amount);
}
