/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-api-private.h"
#include "quorum-utils-private.h"
#include "quorum-webhook-row.h"

/*
 * One webhook in the Developers tab: its URL, the events it receives (and
 * its description, and why the server turned it off when it did), a switch
 * for "enabled", and a menu: Send Test, Deliveries…, Edit…, Roll Secret…,
 * Delete…. Each activates the page's developers.* action with the webhook's
 * id (and URL where a confirmation names it); the switch activates
 * developers.set-webhook-enabled and shows the server's answer only once it
 * came (the page makes a new row from it).
 */
struct _QuorumWebhookRow
{
  AdwActionRow   parent_instance;

  QuorumWebhook *webhook;
  GtkSwitch     *enabled_switch;
};

G_DEFINE_FINAL_TYPE (QuorumWebhookRow, quorum_webhook_row, ADW_TYPE_ACTION_ROW)

static void
quorum_webhook_row_dispose (GObject *object)
{
  QuorumWebhookRow *self = QUORUM_WEBHOOK_ROW (object);

  g_clear_object (&self->webhook);

  G_OBJECT_CLASS (quorum_webhook_row_parent_class)->dispose (object);
}

static void
quorum_webhook_row_class_init (QuorumWebhookRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = quorum_webhook_row_dispose;
}

static void
quorum_webhook_row_init (QuorumWebhookRow *self)
{
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (self), 0);
}

/* The user flipped the switch: ask the page; the switch stays as it was
 * until the server's answer makes a new row. */
static gboolean
state_set_cb (GtkSwitch        *sw,
              gboolean          state,
              QuorumWebhookRow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "developers.set-webhook-enabled", "(sb)",
                              quorum_webhook_get_id (self->webhook), state);
  return TRUE;
}

static void
append_item (GMenu      *menu,
             const char *label,
             const char *action,
             GVariant   *target)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, action, target);
  g_menu_append_item (menu, item);
}

GtkWidget *
quorum_webhook_row_new (QuorumWebhook *webhook)
{
  QuorumWebhookRow *self;
  const char * const *events;
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  g_autofree char *event_text = NULL;
  g_autoptr(GString) subtitle = NULL;
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) danger = g_menu_new ();
  g_autofree char *menu_label = NULL;
  const char *id;
  const char *url;
  GtkWidget *button;

  g_return_val_if_fail (QUORUM_IS_WEBHOOK (webhook), NULL);

  self = g_object_new (QUORUM_TYPE_WEBHOOK_ROW, NULL);
  self->webhook = g_object_ref (webhook);
  id = quorum_webhook_get_id (webhook);
  url = quorum_webhook_get_url (webhook);

  events = quorum_webhook_get_events (webhook);
  for (guint i = 0; events[i] != NULL; i++)
    g_strv_builder_add (labels, quorum_event_type_get_label (events[i]));
  strv = g_strv_builder_end (labels);
  event_text = g_strjoinv (_(", "), strv);

  /* The description and the server's reason as text for display: without
   * what could spoof the UI. */
  subtitle = g_string_new (event_text);
  if (*quorum_webhook_get_description (webhook) != '\0')
    {
      g_autofree char *description = quorum_api_text_for_display (quorum_webhook_get_description (webhook));

      g_string_append_printf (subtitle, "\n%s", description);
    }
  if (!quorum_webhook_get_enabled (webhook) && quorum_webhook_get_disabled_reason (webhook) != NULL)
    {
      g_autofree char *reason = quorum_api_text_for_display (quorum_webhook_get_disabled_reason (webhook));

      g_string_append_printf (subtitle, "\n%s", reason);
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), url);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle->str);

  self->enabled_switch = GTK_SWITCH (gtk_switch_new ());
  gtk_switch_set_active (self->enabled_switch, quorum_webhook_get_enabled (webhook));
  gtk_widget_set_valign (GTK_WIDGET (self->enabled_switch), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->enabled_switch),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Enabled"), -1);
  g_signal_connect_object (self->enabled_switch, "state-set", G_CALLBACK (state_set_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), GTK_WIDGET (self->enabled_switch));

  append_item (menu, _("Send _Test"), "developers.test-webhook", g_variant_new_string (id));
  append_item (menu, _("_Deliveries…"), "developers.show-deliveries", g_variant_new_string (id));
  append_item (menu, _("_Edit…"), "developers.edit-webhook", g_variant_new_string (id));
  append_item (danger, _("Roll _Secret…"), "developers.roll-webhook-secret", g_variant_new ("(ss)", id, url));
  append_item (danger, _("De_lete…"), "developers.delete-webhook", g_variant_new ("(ss)", id, url));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (danger));

  button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  menu_label = g_strdup_printf (_("Actions for %s"), url);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, menu_label, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), button);

  return GTK_WIDGET (self);
}

QuorumWebhook *
quorum_webhook_row_get_webhook (QuorumWebhookRow *self)
{
  g_return_val_if_fail (QUORUM_IS_WEBHOOK_ROW (self), NULL);

  return self->webhook;
}

GtkSwitch *
quorum_webhook_row_get_switch (QuorumWebhookRow *self)
{
  g_return_val_if_fail (QUORUM_IS_WEBHOOK_ROW (self), NULL);

  return self->enabled_switch;
}
