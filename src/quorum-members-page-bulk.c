/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-members-page-private.h"

/*
 * Suspend… and Remove… for several members at once, from the list as it
 * is filtered: the list view's multi-selection (click, Shift/Ctrl+click,
 * Ctrl+A, Ctrl+Space) shows a bar with the two buttons. One confirmation
 * names how many; the changes then go one at a time, with progress and
 * Cancel under the list; at the end one summary says what was done, and
 * for each member that was not changed, why — the server's reason, an
 * invitation (not a member), a row not loaded, or Cancel. Nothing stops
 * half-way without saying so: switching organization cancels the rest and
 * is reported the same way.
 */

typedef enum
{
  BULK_SUSPEND,
  BULK_REMOVE,
} BulkKind;

struct _QuorumMembersBulk
{
  QuorumMembersPage *self;       /* strong while it runs */
  BulkKind           kind;
  char              *organization_id;
  char              *organization_name;
  GPtrArray         *members;    /* QuorumMember, to change */
  GPtrArray         *left_out;   /* char *: "<who>: <why>", never sent */
  GPtrArray         *failed;     /* char *: "<who>: <reason>" */
  gboolean           stop;       /* Cancel: no member after the one on its way */
  guint              next;
  guint              changed;
};

static void
bulk_free (QuorumMembersBulk *bulk)
{
  g_clear_object (&bulk->self);
  g_free (bulk->organization_id);
  g_free (bulk->organization_name);
  g_ptr_array_unref (bulk->members);
  g_ptr_array_unref (bulk->left_out);
  g_ptr_array_unref (bulk->failed);
  g_free (bulk);
}

static QuorumMembersBulk *
bulk_new (QuorumMembersPage *self,
          BulkKind           kind)
{
  QuorumMembersBulk *bulk = g_new0 (QuorumMembersBulk, 1);

  bulk->kind = kind;
  bulk->organization_id = g_strdup (quorum_organization_get_id (self->organization));
  bulk->organization_name = g_strdup (quorum_organization_get_name (self->organization));
  bulk->members = g_ptr_array_new_with_free_func (g_object_unref);
  bulk->left_out = g_ptr_array_new_with_free_func (g_free);
  bulk->failed = g_ptr_array_new_with_free_func (g_free);
  return bulk;
}

static const char *
member_label (QuorumMember *member)
{
  const char *name = quorum_member_get_name (member);

  return name != NULL && *name != '\0' ? name : quorum_member_get_email (member);
}

static gboolean
can_manage (QuorumMembersPage *self)
{
  return self->client != NULL && self->organization != NULL &&
         quorum_role_can (self->role, QUORUM_PERMISSION_MANAGE_MEMBERS);
}

/* The selection bar: how many are chosen, and what can be done to them. */
void
_quorum_members_page_update_selection (QuorumMembersPage *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  guint64 n = gtk_bitset_get_size (selected);
  gboolean idle = self->bulk == NULL;

  if (n > 0)
    {
      g_autofree char *count = quorum_format_count ((gint64) n);
      /* Translators: %s is a number of members and invitations */
      g_autofree char *text = g_strdup_printf (ngettext ("%s selected", "%s selected", (gulong) MIN (n, G_MAXULONG)),
                                               count);

      gtk_label_set_text (self->selection_label, text);
    }
  gtk_revealer_set_reveal_child (self->selection_revealer, n > 0 && can_manage (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "members.suspend-selected", n > 0 && idle && can_manage (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "members.remove-selected", n > 0 && idle && can_manage (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "members.clear-selection", n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "members.cancel-bulk", !idle);
}

static void
show_progress (QuorumMembersBulk *bulk)
{
  QuorumMembersPage *self = bulk->self;
  g_autofree char *text = NULL;
  guint total = bulk->members->len;
  guint at = MIN (bulk->next + 1, total);

  if (bulk->kind == BULK_SUSPEND)
    /* Translators: progress of a bulk suspension, "Suspending 3 of 12…" */
    text = g_strdup_printf (_("Suspending %u of %u…"), at, total);
  else
    /* Translators: progress of a bulk removal, "Removing 3 of 12…" */
    text = g_strdup_printf (_("Removing %u of %u…"), at, total);
  gtk_label_set_text (self->bulk_label, text);
  gtk_progress_bar_set_fraction (self->bulk_progress, total > 0 ? (double) bulk->next / total : 1.0);
  gtk_revealer_set_reveal_child (self->bulk_revealer, TRUE);
}

/* What was done, and for every member that was not changed, why. */
static void
finish (QuorumMembersBulk *bulk)
{
  QuorumMembersPage *self = bulk->self;
  guint total = bulk->members->len + bulk->left_out->len;
  guint not_sent = bulk->members->len - bulk->next;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *heading = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog;

  g_assert (self->bulk == bulk);
  self->bulk = NULL;
  if (self->bulk_revealer == NULL)
    {
      /* The page went away meanwhile (its dispose cancelled the rest). */
      bulk_free (bulk);
      return;
    }
  gtk_revealer_set_reveal_child (self->bulk_revealer, FALSE);
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  _quorum_members_page_update_selection (self);

  if (bulk->failed->len == 0 && bulk->left_out->len == 0 && not_sent == 0)
    {
      g_autofree char *text = NULL;

      if (bulk->kind == BULK_SUSPEND)
        text = g_strdup_printf (ngettext ("%u member suspended", "%u members suspended", bulk->changed),
                                bulk->changed);
      else
        text = g_strdup_printf (ngettext ("%u member removed", "%u members removed", bulk->changed),
                                bulk->changed);
      _quorum_members_page_show_notice (self, text);
      bulk_free (bulk);
      return;
    }

  if (bulk->kind == BULK_SUSPEND)
    /* Translators: "Suspended 11 of 12 Members" */
    heading = g_strdup_printf (ngettext ("Suspended %u of %u Member", "Suspended %u of %u Members", total),
                               bulk->changed, total);
  else
    /* Translators: "Removed 11 of 12 Members" */
    heading = g_strdup_printf (ngettext ("Removed %u of %u Member", "Removed %u of %u Members", total),
                               bulk->changed, total);

  for (guint i = 0; i < bulk->failed->len; i++)
    g_string_append_printf (body, "%s%s", body->len > 0 ? "\n" : "", (char *) bulk->failed->pdata[i]);
  for (guint i = 0; i < bulk->left_out->len; i++)
    g_string_append_printf (body, "%s%s", body->len > 0 ? "\n" : "", (char *) bulk->left_out->pdata[i]);
  if (not_sent > 0)
    {
      g_string_append_printf (body, "%s", body->len > 0 ? "\n" : "");
      g_string_append_printf (body, ngettext ("Cancelled: %u member was not changed.",
                                              "Cancelled: %u members were not changed.", not_sent),
                              not_sent);
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       heading, body->str));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  adw_message_dialog_set_default_response (dialog, "close");
  adw_message_dialog_set_close_response (dialog, "close");
  g_set_weak_pointer (&self->bulk_dialog, GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
  bulk_free (bulk);
}

static void step (QuorumMembersBulk *bulk);

static void
changed_one (QuorumMembersBulk *bulk,
             QuorumMember      *member,
             QuorumMember      *updated,
             const GError      *error)
{
  QuorumMembersPage *self = bulk->self;

  if (error != NULL)
    {
      g_autofree char *reason = quorum_error_compose (NULL, error);

      /* Translators: a member that was not changed, and why: "Ada Lovelace: The owner cannot be suspended." */
      g_ptr_array_add (bulk->failed, g_strdup_printf (_("%s: %s"), member_label (member), reason));
    }
  else
    {
      bulk->changed++;
      if (self->roster != NULL && g_strcmp0 (bulk->organization_id, self->organization != NULL
                                             ? quorum_organization_get_id (self->organization) : NULL) == 0)
        {
          if (updated != NULL)
            quorum_member_roster_replace_member (self->roster, updated);
          else
            quorum_member_roster_remove_member (self->roster, quorum_member_get_id (member));
        }
    }

  bulk->next++;
  step (bulk);
}

static void
suspended_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  QuorumMembersBulk *bulk = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumMember) updated = NULL;

  updated = quorum_client_update_member_finish (QUORUM_CLIENT (object), result, &error);
  changed_one (bulk, bulk->members->pdata[bulk->next], updated, error);
}

static void
removed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  QuorumMembersBulk *bulk = user_data;
  g_autoptr(GError) error = NULL;

  quorum_client_remove_member_finish (QUORUM_CLIENT (object), result, &error);
  changed_one (bulk, bulk->members->pdata[bulk->next], NULL, error);
}

/* One at a time: the server's limits stay friendly, and Cancel stops
 * between two members, never inside one (each request runs to its answer,
 * within the client's time-out, even when the page goes away). */
static void
step (QuorumMembersBulk *bulk)
{
  QuorumMembersPage *self = bulk->self;
  QuorumMember *member;

  if (bulk->next >= bulk->members->len || bulk->stop)
    {
      finish (bulk);
      return;
    }

  show_progress (bulk);
  member = bulk->members->pdata[bulk->next];
  if (bulk->kind == BULK_SUSPEND)
    quorum_client_update_member_async (self->client, bulk->organization_id, quorum_member_get_id (member),
                                       QUORUM_ROLE_NONE, "suspended", NULL, suspended_cb, bulk);
  else
    quorum_client_remove_member_async (self->client, bulk->organization_id, quorum_member_get_id (member),
                                       NULL, removed_cb, bulk);
}

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  /* Taken from the dialog: a dialog closed without an answer frees it. */
  QuorumMembersBulk *bulk = g_object_steal_data (G_OBJECT (dialog), "quorum-bulk");
  QuorumMembersPage *self;

  if (bulk == NULL)
    return;
  self = bulk->self;
  if (g_strcmp0 (response, "go") != 0 || self->bulk != NULL || !can_manage (self) ||
      g_strcmp0 (bulk->organization_id, quorum_organization_get_id (self->organization)) != 0)
    {
      bulk_free (bulk);
      return;
    }

  self->bulk = bulk;
  _quorum_members_page_update_selection (self);
  step (bulk);
}

/* The chosen rows, as members to change and what is left out (and why). */
static QuorumMembersBulk *
collect (QuorumMembersPage *self,
         BulkKind           kind)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  QuorumMembersBulk *bulk = bulk_new (self, kind);
  GtkBitsetIter iter;
  guint position;
  guint not_loaded = 0;

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

      if (QUORUM_IS_INVITATION (item))
        /* Translators: an invitation chosen for a bulk change of members */
        g_ptr_array_add (bulk->left_out, g_strdup_printf (_("%s: an invitation, not a member"),
                                                          quorum_invitation_get_email (QUORUM_INVITATION (item))));
      else if (QUORUM_IS_MEMBER (item) && quorum_member_is_placeholder (QUORUM_MEMBER (item)))
        not_loaded++;
      else if (QUORUM_IS_MEMBER (item))
        g_ptr_array_add (bulk->members, g_steal_pointer (&item));
    }
  if (not_loaded > 0)
    g_ptr_array_add (bulk->left_out,
                     g_strdup_printf (ngettext ("%u row that had not loaded yet was left out; scroll to it and try again",
                                                "%u rows that had not loaded yet were left out; scroll to them and try again",
                                                not_loaded), not_loaded));
  return bulk;
}

static void
bulk_action (QuorumMembersPage *self,
             BulkKind           kind)
{
  g_autoptr(GtkBitset) selected = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  QuorumMembersBulk *bulk;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog;

  if (!can_manage (self) || self->bulk != NULL)
    return;

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  if (gtk_bitset_get_size (selected) > QUORUM_MEMBERS_BULK_MAX)
    {
      g_autofree char *text = g_strdup_printf (_("Select at most %u members at a time"), QUORUM_MEMBERS_BULK_MAX);

      _quorum_members_page_show_notice (self, text);
      return;
    }

  bulk = collect (self, kind);
  bulk->self = g_object_ref (self);
  if (bulk->members->len == 0)
    {
      _quorum_members_page_show_notice (self, _("None of the selected rows is a member"));
      bulk_free (bulk);
      return;
    }

  if (kind == BULK_SUSPEND)
    {
      heading = g_strdup_printf (ngettext ("Suspend %u Member?", "Suspend %u Members?", bulk->members->len),
                                 bulk->members->len);
      /* Translators: %s is an organization's name */
      body = g_strdup_printf (ngettext ("They lose access to %s until reactivated.",
                                        "They lose access to %s until reactivated.", bulk->members->len),
                              bulk->organization_name);
    }
  else
    {
      heading = g_strdup_printf (ngettext ("Remove %u Member?", "Remove %u Members?", bulk->members->len),
                                 bulk->members->len);
      /* Translators: %s is an organization's name */
      body = g_strdup_printf (ngettext ("They lose access to %s. To come back they need a new invitation.",
                                        "They lose access to %s. To come back they need a new invitation.",
                                        bulk->members->len),
                              bulk->organization_name);
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       heading, body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"),
                                    "go", kind == BULK_SUSPEND ? _("_Suspend") : _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "go", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "quorum-bulk", bulk, (GDestroyNotify) bulk_free);
  g_signal_connect (dialog, "response", G_CALLBACK (confirm_response_cb), NULL);
  g_set_weak_pointer (&self->bulk_dialog, GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* members.suspend-selected */
static void
suspend_selected_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  bulk_action (QUORUM_MEMBERS_PAGE (widget), BULK_SUSPEND);
}

/* members.remove-selected */
static void
remove_selected_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  bulk_action (QUORUM_MEMBERS_PAGE (widget), BULK_REMOVE);
}

/* members.clear-selection */
static void
clear_selection_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  QuorumMembersPage *self = QUORUM_MEMBERS_PAGE (widget);

  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
}

/* members.cancel-bulk: stops between two members; the summary says where.
 * The request on its way is never cancelled: the server may have done it
 * already, and the summary must say what happened. */
void
_quorum_members_page_cancel_bulk (QuorumMembersPage *self)
{
  if (self->bulk != NULL)
    self->bulk->stop = TRUE;
}

static void
cancel_bulk_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  _quorum_members_page_cancel_bulk (QUORUM_MEMBERS_PAGE (widget));
}

void
_quorum_members_page_class_bulk_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "members.suspend-selected", NULL, suspend_selected_action);
  gtk_widget_class_install_action (widget_class, "members.remove-selected", NULL, remove_selected_action);
  gtk_widget_class_install_action (widget_class, "members.clear-selection", NULL, clear_selection_action);
  gtk_widget_class_install_action (widget_class, "members.cancel-bulk", NULL, cancel_bulk_action);
}
