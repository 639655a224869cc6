/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "quorum-invite-dialog.h"
#include "quorum-member-roster.h"
#include "quorum-member-row.h"
#include "quorum-members-page-private.h"
#include "quorum-utils-private.h"

/*
 * The Members tab: a server-side search (debounced), role and status filters
 * and a GtkListView over a QuorumMemberRoster — the pending invitations
 * (for those who may manage them) followed by QuorumMemberList, which pages
 * members in as the view scrolls. Everything requested for an organization
 * shares one GCancellable, cancelled when the organization changes.
 */

#define SEARCH_DELAY_MS 250

struct _QuorumMembersPage
{
  AdwBin              parent_instance;

  QuorumClient       *client;
  QuorumOrganization *organization;
  GCancellable       *cancellable;     /* everything for the current organization */
  GCancellable       *me_cancellable;  /* who the caller is, per client */
  char               *caller_user_id;

  QuorumMemberList   *members;
  QuorumMemberRoster *roster;
  GPtrArray          *invitations;     /* every pending one; the roster shows the matching ones */
  GtkNoSelection     *selection;
  gboolean            invitations_failed;
  guint               search_timeout_id;
  GtkWindow          *invite_dialog;   /* weak */
  GtkWindow          *confirm_dialog;  /* weak */

  GCallback           inline_retry;
  gpointer            inline_retry_data;
  GDestroyNotify      inline_retry_destroy;

  GtkRevealer        *inline_error_revealer;
  GtkLabel           *inline_error_label;
  GtkSearchEntry     *search_entry;
  GtkWidget          *invite_button;
  GtkDropDown        *role_dropdown;
  GtkDropDown        *status_dropdown;
  GtkLabel           *count_label;
  GtkStack           *stack;
  GtkSpinner         *spinner;
  GtkScrolledWindow  *scrolled_window;
  GtkListView        *list_view;
  AdwStatusPage      *empty_page;
  AdwStatusPage      *error_page;
};

G_DEFINE_FINAL_TYPE (QuorumMembersPage, quorum_members_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_ORGANIZATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef void (*RetryFunc) (QuorumMembersPage *self, gpointer data);

static void reload (QuorumMembersPage *self);
static void load_invitations (QuorumMembersPage *self);

static QuorumRole
caller_role (QuorumMembersPage *self)
{
  return self->organization != NULL ? quorum_organization_get_role (self->organization) : QUORUM_ROLE_NONE;
}

static const char *
organization_id (QuorumMembersPage *self)
{
  return quorum_organization_get_id (self->organization);
}

/* Errors and notices */

typedef struct
{
  QuorumMembersPage *self;  /* weak */
  RetryFunc          func;
  gpointer           data;
  GDestroyNotify     destroy;
} Retry;

static void
retry_free (gpointer data,
            GClosure *closure)
{
  Retry *retry = data;

  (void) closure;
  g_clear_weak_pointer (&retry->self);
  if (retry->destroy != NULL)
    retry->destroy (retry->data);
  g_free (retry);
}

static void
retry_destroy (gpointer data)
{
  retry_free (data, NULL);
}

static void
retry_run (Retry *retry)
{
  if (retry->self != NULL)
    retry->func (retry->self, retry->data);
}

static void
inline_clear (QuorumMembersPage *self)
{
  gtk_revealer_set_reveal_child (self->inline_error_revealer, FALSE);
  if (self->inline_retry_destroy != NULL)
    self->inline_retry_destroy (self->inline_retry_data);
  self->inline_retry = NULL;
  self->inline_retry_data = NULL;
  self->inline_retry_destroy = NULL;
}

/*
 * Says what failed: a toast with Retry in the nearest AdwToastOverlay, or,
 * without one, a line at the top of the page.
 */
static void
show_error (QuorumMembersPage *self,
            const char        *message,
            RetryFunc          func,
            gpointer           data,
            GDestroyNotify     destroy)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  Retry *retry = g_new0 (Retry, 1);

  g_set_weak_pointer (&retry->self, self);
  retry->func = func;
  retry->data = data;
  retry->destroy = destroy;

  if (overlay != NULL)
    {
      AdwToast *toast = quorum_toast_new (message);

      adw_toast_set_timeout (toast, 10);
      if (func != NULL)
        {
          adw_toast_set_button_label (toast, _("_Retry"));
          g_signal_connect_data (toast, "button-clicked", G_CALLBACK (retry_run), retry,
                                 retry_free, G_CONNECT_SWAPPED);
        }
      else
        retry_free (retry, NULL);
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
      return;
    }

  inline_clear (self);
  gtk_label_set_text (self->inline_error_label, message);
  gtk_widget_set_visible (gtk_widget_get_next_sibling (GTK_WIDGET (self->inline_error_label)), func != NULL);
  self->inline_retry = G_CALLBACK (retry_run);
  self->inline_retry_data = retry;
  self->inline_retry_destroy = retry_destroy;
  gtk_revealer_set_reveal_child (self->inline_error_revealer, TRUE);
}

static void
show_notice (QuorumMembersPage *self,
             const char        *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), quorum_toast_new (message));
}

static void
inline_retry_clicked_cb (QuorumMembersPage *self)
{
  Retry *retry = self->inline_retry_data;

  self->inline_retry_data = NULL;
  self->inline_retry_destroy = NULL;
  inline_clear (self);
  if (retry != NULL)
    {
      retry_run (retry);
      retry_free (retry, NULL);
    }
}

static void
inline_dismiss_clicked_cb (QuorumMembersPage *self)
{
  inline_clear (self);
}

/* State of the view */

static gboolean
filters_active (QuorumMembersPage *self)
{
  return quorum_member_list_get_query (self->members) != NULL ||
         gtk_drop_down_get_selected (self->role_dropdown) != 0 ||
         gtk_drop_down_get_selected (self->status_dropdown) != 0;
}

static void
update_state (QuorumMembersPage *self)
{
  guint n_items;
  guint total;
  guint n_invitations;

  if (self->roster == NULL)
    {
      gtk_label_set_text (self->count_label, "");
      adw_status_page_set_title (self->empty_page, _("No Organization"));
      adw_status_page_set_description (self->empty_page, NULL);
      adw_status_page_set_icon_name (self->empty_page, "system-users-symbolic");
      gtk_stack_set_visible_child_name (self->stack, "empty");
      gtk_spinner_set_spinning (self->spinner, FALSE);
      return;
    }

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->roster));
  n_invitations = quorum_member_roster_get_n_invitations (self->roster);
  total = quorum_member_list_get_total (self->members);

  if (quorum_member_list_get_complete (self->members) || total > 0)
    {
      g_autofree char *count = NULL;

      g_autofree char *members = g_strdup_printf (ngettext ("%'u member", "%'u members", total), total);

      if (n_invitations > 0)
        {
          g_autofree char *invited = g_strdup_printf (ngettext ("%'u invited", "%'u invited", n_invitations),
                                                      n_invitations);

          /* Translators: “250 members · 5 invited” */
          count = g_strdup_printf (_("%s · %s"), members, invited);
        }
      else
        count = g_steal_pointer (&members);
      gtk_label_set_text (self->count_label, count);
    }
  else
    gtk_label_set_text (self->count_label, "");

  if (n_items > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else if (quorum_member_list_get_error (self->members) != NULL)
    {
      /* A status page's description is markup; the message is plain text. */
      g_autofree char *message = g_markup_escape_text (quorum_member_list_get_error (self->members)->message, -1);

      adw_status_page_set_description (self->error_page, message);
      gtk_stack_set_visible_child_name (self->stack, "error");
    }
  else if (!quorum_member_list_get_complete (self->members))
    gtk_stack_set_visible_child_name (self->stack, "loading");
  else
    {
      if (filters_active (self))
        {
          adw_status_page_set_icon_name (self->empty_page, "system-search-symbolic");
          adw_status_page_set_title (self->empty_page, _("No Results Found"));
          adw_status_page_set_description (self->empty_page, _("Try a different search or filter."));
        }
      else
        {
          adw_status_page_set_icon_name (self->empty_page, "system-users-symbolic");
          adw_status_page_set_title (self->empty_page, _("No Members"));
          adw_status_page_set_description (self->empty_page, NULL);
        }
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }

  gtk_spinner_set_spinning (self->spinner,
                            g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "loading") == 0);
}

/* Retry: whatever failed to load (members, invitations) is asked again. */
static void
retry_load (QuorumMembersPage *self,
            gpointer           data)
{
  (void) data;
  if (self->members != NULL &&
      (quorum_member_list_get_error (self->members) != NULL || !self->invitations_failed))
    quorum_member_list_reload (self->members);
  if (self->invitations_failed)
    load_invitations (self);
}

static void
retry_clicked_cb (QuorumMembersPage *self)
{
  inline_clear (self);
  retry_load (self, NULL);
}

static void
members_error_cb (QuorumMembersPage *self)
{
  const GError *error = quorum_member_list_get_error (self->members);

  update_state (self);
  if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  {
    g_autofree char *message = g_strdup_printf (_("Could not load members: %s"), error->message);

    show_error (self, message, retry_load, NULL, NULL);
  }
}

/* Invitations */

static gboolean
invitation_matches (QuorumMembersPage *self,
                    QuorumInvitation  *invitation)
{
  const char *query = quorum_member_list_get_query (self->members);
  guint role = gtk_drop_down_get_selected (self->role_dropdown);

  if (gtk_drop_down_get_selected (self->status_dropdown) != 0)
    return FALSE;
  if (role == 1 /* owner */ ||
      (role == 2 && quorum_invitation_get_role (invitation) != QUORUM_ROLE_ADMIN) ||
      (role == 3 && quorum_invitation_get_role (invitation) != QUORUM_ROLE_MEMBER))
    return FALSE;
  if (query != NULL)
    {
      g_autofree char *email = g_utf8_casefold (quorum_invitation_get_email (invitation), -1);
      g_autofree char *needle = g_utf8_casefold (query, -1);

      if (strstr (email, needle) == NULL)
        return FALSE;
    }
  return TRUE;
}

static void
apply_invitation_filter (QuorumMembersPage *self)
{
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();
  GtkAdjustment *vadjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  gboolean at_top;

  if (self->roster == NULL)
    return;

  /* Invitations often arrive after the first members: the view would keep
   * its first member in place and hide them above. A list the user has not
   * scrolled shows them. */
  at_top = gtk_adjustment_get_value (vadjustment) <= 0;

  for (guint i = 0; self->invitations != NULL && i < self->invitations->len; i++)
    {
      QuorumInvitation *invitation = g_ptr_array_index (self->invitations, i);

      if (g_strcmp0 (quorum_invitation_get_status (invitation), "pending") == 0 &&
          invitation_matches (self, invitation))
        g_ptr_array_add (shown, invitation);
    }
  quorum_member_roster_set_invitations (self->roster, shown);
  if (at_top && g_list_model_get_n_items (G_LIST_MODEL (self->roster)) > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", 0);
  update_state (self);
}

static void
list_invitations_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(QuorumMembersPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) invitations = NULL;

  invitations = quorum_client_list_invitations_finish (QUORUM_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (invitations == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not load invitations: %s"), error->message);

      self->invitations_failed = TRUE;
      /* When the members failed too, that error (and its Retry) covers both. */
      if (self->members == NULL || quorum_member_list_get_error (self->members) == NULL)
        show_error (self, message, retry_load, NULL, NULL);
      return;
    }
  self->invitations_failed = FALSE;

  g_clear_pointer (&self->invitations, g_ptr_array_unref);
  self->invitations = g_steal_pointer (&invitations);
  apply_invitation_filter (self);
}

static void
load_invitations (QuorumMembersPage *self)
{
  if (self->organization == NULL || self->client == NULL ||
      !quorum_role_can (caller_role (self), QUORUM_PERMISSION_MANAGE_INVITATIONS))
    return;

  quorum_client_list_invitations_async (self->client, organization_id (self), "pending",
                                        self->cancellable, list_invitations_cb, g_object_ref (self));
}

/* Who the caller is: their own row gets no role, suspend or remove. */

static void
get_me_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(QuorumMembersPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) user = NULL;

  user = quorum_client_get_me_finish (QUORUM_CLIENT (object), result, &error);
  if (user == NULL)
    return;  /* the server refuses a self-action anyway; nothing to tell */

  g_free (self->caller_user_id);
  self->caller_user_id = g_strdup (quorum_user_get_id (user));
  if (self->roster != NULL)
    quorum_member_roster_refresh (self->roster);
}

/* Search and filters */

static void
apply_filters (QuorumMembersPage *self)
{
  static const QuorumRole roles[] = { QUORUM_ROLE_NONE, QUORUM_ROLE_OWNER, QUORUM_ROLE_ADMIN, QUORUM_ROLE_MEMBER };
  static const char * const statuses[] = { NULL, "active", "suspended" };
  g_autofree char *query = NULL;
  guint role = gtk_drop_down_get_selected (self->role_dropdown);
  guint status = gtk_drop_down_get_selected (self->status_dropdown);

  g_clear_handle_id (&self->search_timeout_id, g_source_remove);
  if (self->members == NULL)
    return;

  query = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  g_object_freeze_notify (G_OBJECT (self->members));
  quorum_member_list_set_query (self->members, query);
  quorum_member_list_set_role_filter (self->members, roles[MIN (role, G_N_ELEMENTS (roles) - 1)]);
  quorum_member_list_set_status_filter (self->members, statuses[MIN (status, G_N_ELEMENTS (statuses) - 1)]);
  g_object_thaw_notify (G_OBJECT (self->members));
  apply_invitation_filter (self);
  update_state (self);
}

static gboolean
search_timeout_cb (gpointer data)
{
  QuorumMembersPage *self = data;

  self->search_timeout_id = 0;
  apply_filters (self);
  return G_SOURCE_REMOVE;
}

static void
search_changed_cb (QuorumMembersPage *self)
{
  g_clear_handle_id (&self->search_timeout_id, g_source_remove);
  self->search_timeout_id = g_timeout_add (SEARCH_DELAY_MS, search_timeout_cb, self);
}

static void
search_activate_cb (QuorumMembersPage *self)
{
  apply_filters (self);
}

static void
search_stop_cb (QuorumMembersPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  apply_filters (self);
}

static void
filter_changed_cb (QuorumMembersPage *self)
{
  apply_filters (self);
}

/* The list */

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          QuorumMembersPage        *self)
{
  gtk_list_item_set_activatable (list_item, FALSE);
  gtk_list_item_set_child (list_item, quorum_member_row_new ());
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         QuorumMembersPage        *self)
{
  quorum_member_row_bind (QUORUM_MEMBER_ROW (gtk_list_item_get_child (list_item)),
                          gtk_list_item_get_item (list_item),
                          caller_role (self), self->caller_user_id);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           QuorumMembersPage        *self)
{
  quorum_member_row_unbind (QUORUM_MEMBER_ROW (gtk_list_item_get_child (list_item)));
}

static void
close_dialogs (QuorumMembersPage *self)
{
  if (self->invite_dialog != NULL)
    gtk_window_destroy (self->invite_dialog);
  if (self->confirm_dialog != NULL)
    gtk_window_destroy (self->confirm_dialog);
}

static void
clear_organization_state (QuorumMembersPage *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  close_dialogs (self);
  inline_clear (self);

  gtk_no_selection_set_model (self->selection, NULL);
  if (self->members != NULL)
    g_signal_handlers_disconnect_by_data (self->members, self);
  if (self->roster != NULL)
    g_signal_handlers_disconnect_by_data (self->roster, self);
  g_clear_object (&self->roster);
  g_clear_object (&self->members);  /* disposing it cancels its fetch */
  g_clear_pointer (&self->invitations, g_ptr_array_unref);
  self->invitations_failed = FALSE;
}

static void
reload (QuorumMembersPage *self)
{
  gboolean can_invite;

  clear_organization_state (self);

  can_invite = quorum_role_can (caller_role (self), QUORUM_PERMISSION_MANAGE_INVITATIONS);
  gtk_widget_set_visible (self->invite_button, can_invite);

  if (self->client == NULL || self->organization == NULL)
    {
      update_state (self);
      return;
    }

  self->cancellable = g_cancellable_new ();
  self->members = quorum_member_list_new (self->client, organization_id (self));
  self->roster = quorum_member_roster_new (self->members);

  g_signal_connect_swapped (self->members, "notify::loading", G_CALLBACK (update_state), self);
  g_signal_connect_swapped (self->members, "notify::total", G_CALLBACK (update_state), self);
  g_signal_connect_swapped (self->members, "notify::complete", G_CALLBACK (update_state), self);
  g_signal_connect_swapped (self->members, "notify::error", G_CALLBACK (members_error_cb), self);
  g_signal_connect_swapped (self->roster, "items-changed", G_CALLBACK (update_state), self);

  /* Filters typed for the previous organization still apply. */
  apply_filters (self);
  /* Start the first page now; the view asking for items does not repeat it. */
  quorum_member_list_reload (self->members);
  load_invitations (self);
  gtk_no_selection_set_model (self->selection, G_LIST_MODEL (self->roster));
  update_state (self);
}

/* Row actions */

typedef struct
{
  char     *action_name;
  GObject  *item;
  GVariant *parameter;
} RowAction;

static void
row_action_free (gpointer data)
{
  RowAction *action = data;

  g_free (action->action_name);
  g_clear_object (&action->item);
  g_clear_pointer (&action->parameter, g_variant_unref);
  g_free (action);
}

static RowAction *
row_action_new (const char *action_name,
                GObject    *item,
                GVariant   *parameter)
{
  RowAction *action = g_new0 (RowAction, 1);

  action->action_name = g_strdup (action_name);
  action->item = g_object_ref (item);
  action->parameter = parameter != NULL ? g_variant_ref_sink (parameter) : NULL;
  return action;
}

static void
retry_row_action (QuorumMembersPage *self,
                  gpointer           data)
{
  RowAction *action = data;

  _quorum_members_page_row_action (self, action->action_name, action->item, action->parameter);
}

typedef struct
{
  QuorumMembersPage *self;
  RowAction         *action;
} ActionCall;

static ActionCall *
action_call_new (QuorumMembersPage *self,
                 RowAction         *action)
{
  ActionCall *call = g_new0 (ActionCall, 1);

  call->self = g_object_ref (self);
  call->action = action;
  return call;
}

static void
action_call_free (ActionCall *call)
{
  g_object_unref (call->self);
  if (call->action != NULL)
    row_action_free (call->action);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ActionCall, action_call_free)

static void
action_call_closure_free (gpointer  data,
                          GClosure *closure)
{
  action_call_free (data);
}

static const char *
item_label (GObject *item)
{
  if (QUORUM_IS_INVITATION (item))
    return quorum_invitation_get_email (QUORUM_INVITATION (item));
  if (quorum_member_get_name (QUORUM_MEMBER (item)) != NULL &&
      *quorum_member_get_name (QUORUM_MEMBER (item)) != '\0')
    return quorum_member_get_name (QUORUM_MEMBER (item));
  return quorum_member_get_email (QUORUM_MEMBER (item));
}

static void
action_failed (ActionCall   *call,
               const GError *error,
               const char   *what)
{
  g_autofree char *message = NULL;

  /* Translators: first %s is what failed (“Could not suspend Grace Hopper”), second the reason */
  message = g_strdup_printf ("%s: %s", what, error->message);
  show_error (call->self, message, retry_row_action, g_steal_pointer (&call->action), row_action_free);
}

static void
update_member_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ActionCall) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumMember) member = NULL;
  const char *name = item_label (call->action->item);
  g_autofree char *text = NULL;

  member = quorum_client_update_member_finish (QUORUM_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (member == NULL)
    {
      if (g_str_equal (call->action->action_name, "member.change-role"))
        text = g_strdup_printf (_("Could not change the role of %s"), name);
      else if (g_str_equal (call->action->action_name, "member.suspend"))
        text = g_strdup_printf (_("Could not suspend %s"), name);
      else
        text = g_strdup_printf (_("Could not reactivate %s"), name);
      action_failed (call, error, text);
      return;
    }

  if (call->self->roster != NULL)
    quorum_member_roster_replace_member (call->self->roster, member);

  if (g_str_equal (call->action->action_name, "member.change-role"))
    text = g_strdup_printf (quorum_member_get_role (member) == QUORUM_ROLE_ADMIN
                            ? _("%s is now an admin") : _("%s is now a member"), name);
  else if (g_str_equal (call->action->action_name, "member.suspend"))
    text = g_strdup_printf (_("%s is suspended"), name);
  else
    text = g_strdup_printf (_("%s is active again"), name);
  show_notice (call->self, text);
}

static void
remove_member_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ActionCall) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *name = item_label (call->action->item);

  if (!quorum_client_remove_member_finish (QUORUM_CLIENT (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("Could not remove %s"), name);
      action_failed (call, error, text);
      return;
    }

  if (call->self->roster != NULL)
    quorum_member_roster_remove_member (call->self->roster,
                                        quorum_member_get_id (QUORUM_MEMBER (call->action->item)));
  text = g_strdup_printf (_("%s was removed"), name);
  show_notice (call->self, text);
}

static void
resend_invitation_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(ActionCall) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumInvitation) invitation = NULL;
  g_autofree char *text = NULL;
  const char *email = item_label (call->action->item);

  invitation = quorum_client_resend_invitation_finish (QUORUM_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (invitation == NULL)
    {
      text = g_strdup_printf (_("Could not resend the invitation to %s"), email);
      action_failed (call, error, text);
      return;
    }

  if (call->self->invitations != NULL)
    for (guint i = 0; i < call->self->invitations->len; i++)
      if (g_strcmp0 (quorum_invitation_get_id (g_ptr_array_index (call->self->invitations, i)),
                     quorum_invitation_get_id (invitation)) == 0)
        {
          g_object_unref (g_ptr_array_index (call->self->invitations, i));
          g_ptr_array_index (call->self->invitations, i) = g_object_ref (invitation);
        }
  if (call->self->roster != NULL)
    quorum_member_roster_replace_invitation (call->self->roster, invitation);
  text = g_strdup_printf (_("Invitation sent again to %s"), email);
  show_notice (call->self, text);
}

static void
revoke_invitation_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(ActionCall) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *id = quorum_invitation_get_id (QUORUM_INVITATION (call->action->item));
  const char *email = item_label (call->action->item);

  if (!quorum_client_revoke_invitation_finish (QUORUM_CLIENT (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("Could not revoke the invitation to %s"), email);
      action_failed (call, error, text);
      return;
    }

  if (call->self->invitations != NULL)
    for (guint i = 0; i < call->self->invitations->len; i++)
      if (g_strcmp0 (quorum_invitation_get_id (g_ptr_array_index (call->self->invitations, i)), id) == 0)
        {
          g_ptr_array_remove_index (call->self->invitations, i);
          break;
        }
  if (call->self->roster != NULL)
    quorum_member_roster_remove_invitation (call->self->roster, id);
  update_state (call->self);
  text = g_strdup_printf (_("Invitation to %s revoked"), email);
  show_notice (call->self, text);
}

static void
start_remove (QuorumMembersPage *self,
              RowAction         *action)
{
  quorum_client_remove_member_async (self->client, organization_id (self),
                                     quorum_member_get_id (QUORUM_MEMBER (action->item)),
                                     self->cancellable, remove_member_cb,
                                     action_call_new (self, action));
}

static void
confirm_remove_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   gpointer          user_data)
{
  ActionCall *call = user_data;

  if (g_str_equal (response, "remove") && call->self->organization != NULL &&
      call->self->cancellable != NULL)
    start_remove (call->self, g_steal_pointer (&call->action));
}

static void
confirm_remove (QuorumMembersPage *self,
                RowAction         *action)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  /* Translators: %s is a person's name */
  heading = g_strdup_printf (_("Remove %s?"), item_label (action->item));
  body = g_strdup_printf (_("They will lose access to %s at once. What they created stays."),
                          quorum_organization_get_name (self->organization));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       heading, body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (confirm_remove_cb),
                         action_call_new (self, action), action_call_closure_free, 0);
  g_set_weak_pointer (&self->confirm_dialog, GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_quorum_members_page_row_action (QuorumMembersPage *self,
                                 const char        *action_name,
                                 GObject           *item,
                                 GVariant          *parameter)
{
  QuorumRole role = caller_role (self);
  RowAction *action;

  g_return_if_fail (QUORUM_IS_MEMBERS_PAGE (self));

  if (self->client == NULL || self->organization == NULL || self->cancellable == NULL)
    return;

  action = row_action_new (action_name, item, parameter);

  if (g_str_equal (action_name, "member.change-role") && QUORUM_IS_MEMBER (item) &&
      quorum_role_can (role, QUORUM_PERMISSION_CHANGE_ROLE))
    {
      QuorumRole new_role = quorum_role_from_string (g_variant_get_string (parameter, NULL));

      if (!quorum_role_is_assignable (new_role))
        {
          row_action_free (action);
          return;
        }
      quorum_client_update_member_async (self->client, organization_id (self),
                                         quorum_member_get_id (QUORUM_MEMBER (item)),
                                         new_role, NULL, self->cancellable, update_member_cb,
                                         action_call_new (self, action));
    }
  else if ((g_str_equal (action_name, "member.suspend") || g_str_equal (action_name, "member.reactivate")) &&
           QUORUM_IS_MEMBER (item) && quorum_role_can (role, QUORUM_PERMISSION_MANAGE_MEMBERS))
    {
      quorum_client_update_member_async (self->client, organization_id (self),
                                         quorum_member_get_id (QUORUM_MEMBER (item)),
                                         QUORUM_ROLE_NONE,
                                         g_str_equal (action_name, "member.suspend") ? "suspended" : "active",
                                         self->cancellable, update_member_cb,
                                         action_call_new (self, action));
    }
  else if (g_str_equal (action_name, "member.remove") && QUORUM_IS_MEMBER (item) &&
           quorum_role_can (role, QUORUM_PERMISSION_MANAGE_MEMBERS))
    confirm_remove (self, action);
  else if (g_str_equal (action_name, "invitation.resend") && QUORUM_IS_INVITATION (item) &&
           quorum_role_can (role, QUORUM_PERMISSION_MANAGE_INVITATIONS))
    quorum_client_resend_invitation_async (self->client, organization_id (self),
                                           quorum_invitation_get_id (QUORUM_INVITATION (item)),
                                           self->cancellable, resend_invitation_cb,
                                           action_call_new (self, action));
  else if (g_str_equal (action_name, "invitation.revoke") && QUORUM_IS_INVITATION (item) &&
           quorum_role_can (role, QUORUM_PERMISSION_MANAGE_INVITATIONS))
    quorum_client_revoke_invitation_async (self->client, organization_id (self),
                                           quorum_invitation_get_id (QUORUM_INVITATION (item)),
                                           self->cancellable, revoke_invitation_cb,
                                           action_call_new (self, action));
  else
    row_action_free (action);
}

/* Invite */

static void
invited_cb (QuorumMembersPage *self,
            QuorumInvitation  *invitation)
{
  g_autofree char *text = NULL;

  if (self->invitations == NULL)
    self->invitations = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_insert (self->invitations, 0, g_object_ref (invitation));
  apply_invitation_filter (self);

  text = g_strdup_printf (_("Invitation sent to %s"), quorum_invitation_get_email (invitation));
  show_notice (self, text);
}

static void
invite_clicked_cb (QuorumMembersPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  QuorumInviteDialog *dialog;

  if (self->client == NULL || self->organization == NULL)
    return;
  if (self->invite_dialog != NULL)
    {
      gtk_window_present (self->invite_dialog);
      return;
    }

  dialog = quorum_invite_dialog_new (self->client, self->organization);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));
  g_signal_connect_object (dialog, "invited", G_CALLBACK (invited_cb), self, G_CONNECT_SWAPPED);
  g_set_weak_pointer (&self->invite_dialog, GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* GObject */

static void
quorum_members_page_dispose (GObject *object)
{
  QuorumMembersPage *self = QUORUM_MEMBERS_PAGE (object);

  g_clear_handle_id (&self->search_timeout_id, g_source_remove);
  if (self->me_cancellable != NULL)
    g_cancellable_cancel (self->me_cancellable);
  g_clear_object (&self->me_cancellable);
  clear_organization_state (self);
  g_clear_weak_pointer (&self->invite_dialog);
  g_clear_weak_pointer (&self->confirm_dialog);

  gtk_widget_dispose_template (GTK_WIDGET (self), QUORUM_TYPE_MEMBERS_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->organization);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (quorum_members_page_parent_class)->dispose (object);
}

static void
quorum_members_page_finalize (GObject *object)
{
  QuorumMembersPage *self = QUORUM_MEMBERS_PAGE (object);

  g_clear_pointer (&self->caller_user_id, g_free);

  G_OBJECT_CLASS (quorum_members_page_parent_class)->finalize (object);
}

static void
quorum_members_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  QuorumMembersPage *self = QUORUM_MEMBERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_ORGANIZATION:
      g_value_set_object (value, self->organization);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_members_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  QuorumMembersPage *self = QUORUM_MEMBERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      quorum_members_page_set_client (self, g_value_get_object (value));
      break;
    case PROP_ORGANIZATION:
      quorum_members_page_set_organization (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
focus_search_shortcut (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  quorum_members_page_focus_search (QUORUM_MEMBERS_PAGE (widget));
}

static void
quorum_members_page_class_init (QuorumMembersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = quorum_members_page_dispose;
  object_class->finalize = quorum_members_page_finalize;
  object_class->get_property = quorum_members_page_get_property;
  object_class->set_property = quorum_members_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         QUORUM_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ORGANIZATION] =
    g_param_spec_object ("organization", NULL, NULL,
                         QUORUM_TYPE_ORGANIZATION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/quorum-members-page.ui");
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, inline_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, inline_error_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, invite_button);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, role_dropdown);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, stack);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, error_page);
  gtk_widget_class_bind_template_callback (widget_class, inline_retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, inline_dismiss_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, invite_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);

  gtk_widget_class_install_action (widget_class, "members.focus-search", NULL, focus_search_shortcut);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "members.focus-search", NULL);

  g_type_ensure (QUORUM_TYPE_MEMBER_ROW);
}

static void
quorum_members_page_init (QuorumMembersPage *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  self->selection = gtk_no_selection_new (NULL);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  update_state (self);
}

GtkWidget *
quorum_members_page_new (void)
{
  return g_object_new (QUORUM_TYPE_MEMBERS_PAGE, NULL);
}

QuorumClient *
quorum_members_page_get_client (QuorumMembersPage *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBERS_PAGE (self), NULL);
  return self->client;
}

void
quorum_members_page_set_client (QuorumMembersPage *self,
                                QuorumClient      *client)
{
  g_return_if_fail (QUORUM_IS_MEMBERS_PAGE (self));
  g_return_if_fail (client == NULL || QUORUM_IS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;

  if (self->me_cancellable != NULL)
    g_cancellable_cancel (self->me_cancellable);
  g_clear_object (&self->me_cancellable);
  g_clear_pointer (&self->caller_user_id, g_free);
  if (client != NULL && quorum_client_get_signed_in (client))
    {
      self->me_cancellable = g_cancellable_new ();
      quorum_client_get_me_async (client, self->me_cancellable, get_me_cb, g_object_ref (self));
    }

  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

QuorumOrganization *
quorum_members_page_get_organization (QuorumMembersPage *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBERS_PAGE (self), NULL);
  return self->organization;
}

/**
 * quorum_members_page_set_organization:
 * @organization: (nullable): the organization to list
 *
 * Setting a different organization cancels every request made for the old
 * one, closes its dialogs and loads the new one.
 */
void
quorum_members_page_set_organization (QuorumMembersPage  *self,
                                      QuorumOrganization *organization)
{
  g_return_if_fail (QUORUM_IS_MEMBERS_PAGE (self));
  g_return_if_fail (organization == NULL || QUORUM_IS_ORGANIZATION (organization));

  if (!g_set_object (&self->organization, organization))
    return;

  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORGANIZATION]);
}

void
quorum_members_page_focus_search (QuorumMembersPage *self)
{
  g_return_if_fail (QUORUM_IS_MEMBERS_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}
