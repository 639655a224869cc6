/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-transfer-dialog.h"
#include "quorum-utils-private.h"

/*
 * Transfer Ownership: the owner searches the active members (server-side, so
 * it works with any number of them), picks one and confirms. The "transfer"
 * response is enabled only while a member is picked.
 */

#define RESULTS_LIMIT 20
#define SEARCH_DELAY_MS 250

struct _QuorumTransferDialog
{
  AdwMessageDialog    parent_instance;

  QuorumClient       *client;
  QuorumOrganization *organization;
  QuorumMember       *member;
  GCancellable       *cancellable;
  guint               search_source;

  GtkSearchEntry     *search_entry;
  GtkListBox         *list_box;
  GtkLabel           *status_label;
};

G_DEFINE_FINAL_TYPE (QuorumTransferDialog, quorum_transfer_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
select_member (QuorumTransferDialog *self,
               QuorumMember         *member)
{
  g_set_object (&self->member, member);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "transfer", member != NULL);
}

static void
members_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(QuorumTransferDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) members = NULL;
  GtkWidget *child;
  guint shown = 0;

  members = quorum_client_list_members_finish (QUORUM_CLIENT (object), result, NULL, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  select_member (self, NULL);

  if (members == NULL)
    {
      g_autofree char *message = quorum_error_compose (_("Could not load the members"), error);

      gtk_label_set_label (self->status_label, message);
      gtk_widget_set_visible (GTK_WIDGET (self->status_label), TRUE);
      return;
    }

  for (guint i = 0; i < members->len; i++)
    {
      QuorumMember *member = g_ptr_array_index (members, i);
      GtkWidget *row;
      g_autofree char *label = NULL;

      if (quorum_member_get_role (member) == QUORUM_ROLE_OWNER)
        continue;

      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), quorum_member_get_name (member));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), quorum_member_get_email (member));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 adw_avatar_new (32, quorum_member_get_name (member), TRUE));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "member", g_object_ref (member), g_object_unref);
      label = g_strdup_printf ("%s, %s", quorum_member_get_name (member), quorum_member_get_email (member));
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      gtk_list_box_append (self->list_box, row);
      shown++;
    }

  gtk_label_set_label (self->status_label, _("No member matches"));
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), shown == 0);
}

static gboolean
search_now_cb (gpointer user_data)
{
  QuorumTransferDialog *self = user_data;

  self->search_source = 0;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  quorum_client_list_members_async (self->client, quorum_organization_get_id (self->organization),
                                    gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                                    QUORUM_ROLE_NONE, "active", NULL, RESULTS_LIMIT,
                                    self->cancellable, members_cb, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
search_changed_cb (QuorumTransferDialog *self)
{
  g_clear_handle_id (&self->search_source, g_source_remove);
  self->search_source = g_timeout_add (SEARCH_DELAY_MS, search_now_cb, self);
}

static void
row_selected_cb (QuorumTransferDialog *self,
                 GtkListBoxRow        *row)
{
  select_member (self, row != NULL ? g_object_get_data (G_OBJECT (row), "member") : NULL);
}

static void
quorum_transfer_dialog_dispose (GObject *object)
{
  QuorumTransferDialog *self = QUORUM_TRANSFER_DIALOG (object);

  g_clear_handle_id (&self->search_source, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* Rows go away with the dialog; that is no choice of the user's. */
  if (self->list_box != NULL)
    g_signal_handlers_disconnect_by_data (self->list_box, self);
  if (self->search_entry != NULL)
    g_signal_handlers_disconnect_by_data (self->search_entry, self);
  self->list_box = NULL;
  self->search_entry = NULL;
  g_clear_object (&self->member);
  g_clear_object (&self->client);
  g_clear_object (&self->organization);

  G_OBJECT_CLASS (quorum_transfer_dialog_parent_class)->dispose (object);
}

static void
quorum_transfer_dialog_class_init (QuorumTransferDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = quorum_transfer_dialog_dispose;
}

static void
quorum_transfer_dialog_init (QuorumTransferDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  self->search_entry = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Search members"), -1);
  g_object_set (self->search_entry, "placeholder-text", _("Search members"), NULL);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->search_entry));

  self->list_box = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list_box, GTK_SELECTION_SINGLE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list_box), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_box), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Members"), -1);
  g_signal_connect_swapped (self->list_box, "row-selected", G_CALLBACK (row_selected_cb), self);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 280);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->list_box));
  gtk_box_append (GTK_BOX (box), scrolled);

  self->status_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "dim-label");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->status_label));

  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), _("Transfer Ownership"));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self),
                               _("The member you pick becomes the owner. You stay in the organization as "
                                 "an admin, and only the new owner can give ownership back."));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self),
                                    "cancel", _("_Cancel"),
                                    "transfer", _("_Transfer"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "transfer", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "transfer", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self), "cancel");
}

GtkWidget *
quorum_transfer_dialog_new (QuorumClient       *client,
                            QuorumOrganization *organization)
{
  QuorumTransferDialog *self;

  g_return_val_if_fail (QUORUM_IS_CLIENT (client), NULL);
  g_return_val_if_fail (QUORUM_IS_ORGANIZATION (organization), NULL);

  self = g_object_new (QUORUM_TYPE_TRANSFER_DIALOG, NULL);
  self->client = g_object_ref (client);
  self->organization = g_object_ref (organization);
  search_now_cb (self);

  return GTK_WIDGET (self);
}

/**
 * quorum_transfer_dialog_get_member:
 *
 * Returns: (transfer none) (nullable): the member picked
 */
QuorumMember *
quorum_transfer_dialog_get_member (QuorumTransferDialog *self)
{
  g_return_val_if_fail (QUORUM_IS_TRANSFER_DIALOG (self), NULL);

  return self->member;
}

/* Searches at once, without the typing delay. */
void
quorum_transfer_dialog_search (QuorumTransferDialog *self,
                               const char           *query)
{
  g_return_if_fail (QUORUM_IS_TRANSFER_DIALOG (self));

  g_signal_handlers_block_by_func (self->search_entry, search_changed_cb, self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), query != NULL ? query : "");
  g_signal_handlers_unblock_by_func (self->search_entry, search_changed_cb, self);
  g_clear_handle_id (&self->search_source, g_source_remove);
  search_now_cb (self);
}
