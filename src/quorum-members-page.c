/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-member-row.h"
#include "quorum-members-page-private.h"

/* Typing pauses this long before the search goes out: GtkSearchEntry's own
 * search-delay. With 250 ms, "type a name → rows painted" could not stay
 * within issue 16's 300 ms (docs/performance.md); a search superseded by
 * the next key is cancelled, so the server sees little more. */
#define SEARCH_DELAY_MS 150

G_DEFINE_FINAL_TYPE (QuorumMembersPage, quorum_members_page, ADW_TYPE_BIN)

G_DEFINE_ENUM_TYPE (QuorumMembersPageState, quorum_members_page_state,
  G_DEFINE_ENUM_VALUE (QUORUM_MEMBERS_PAGE_STATE_EMPTY, "empty"),
  G_DEFINE_ENUM_VALUE (QUORUM_MEMBERS_PAGE_STATE_LOADING, "loading"),
  G_DEFINE_ENUM_VALUE (QUORUM_MEMBERS_PAGE_STATE_LIST, "list"),
  G_DEFINE_ENUM_VALUE (QUORUM_MEMBERS_PAGE_STATE_ERROR, "error"))

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_ORGANIZATION,
  PROP_ROLE,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reload (QuorumMembersPage *self);
static void load_invitations (QuorumMembersPage *self);
static void apply_filters (QuorumMembersPage *self);
static void filter_invitations (QuorumMembersPage *self);
static void shown_invitations_changed_cb (QuorumMembersPage *self);

/* Errors and notices */

static void
inline_clear (QuorumMembersPage *self)
{
  gtk_revealer_set_reveal_child (self->inline_error_revealer, FALSE);
  g_clear_pointer (&self->inline_retry, quorum_weak_call_free);
}

/*
 * Says what failed: a toast with Retry in the nearest AdwToastOverlay, or,
 * without one, a line at the top of the page.
 */
void
_quorum_members_page_show_error (QuorumMembersPage *self,
                                 const char        *message,
                                 QuorumWeakCall    *retry)
{
  if (gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY) != NULL)
    {
      quorum_toast_show (GTK_WIDGET (self), message, retry);
      return;
    }

  inline_clear (self);
  gtk_label_set_text (self->inline_error_label, message);
  gtk_widget_set_visible (self->inline_retry_button, retry != NULL);
  self->inline_retry = retry;
  gtk_revealer_set_reveal_child (self->inline_error_revealer, TRUE);
}

void
_quorum_members_page_show_notice (QuorumMembersPage *self,
                                  const char        *message)
{
  quorum_toast_show (GTK_WIDGET (self), message, NULL);
}

static void
inline_retry_clicked_cb (QuorumMembersPage *self)
{
  g_autoptr(QuorumWeakCall) retry = g_steal_pointer (&self->inline_retry);

  inline_clear (self);
  if (retry != NULL)
    quorum_weak_call_run (retry);
}

static void
inline_dismiss_clicked_cb (QuorumMembersPage *self)
{
  inline_clear (self);
}

/* State of the view */

/* The dropdowns' models hold the API's words: "all", or a role or status. */
static const char *
selected_key (GtkDropDown *dropdown)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (dropdown);
  const char *key = item != NULL ? gtk_string_object_get_string (item) : NULL;

  return g_strcmp0 (key, "all") != 0 ? key : NULL;
}

static char *
role_filter_label_cb (gpointer    item,
                      const char *key)
{
  if (g_strcmp0 (key, "all") == 0)
    return g_strdup (_("All Roles"));
  return g_strdup (quorum_role_get_label (quorum_role_from_string (key)));
}

static char *
status_filter_label_cb (gpointer    item,
                        const char *key)
{
  if (g_strcmp0 (key, "active") == 0)
    return g_strdup (_("Active"));
  if (g_strcmp0 (key, "suspended") == 0)
    return g_strdup (_("Suspended"));
  return g_strdup (_("All Statuses"));
}

static gboolean
filters_active (QuorumMembersPage *self)
{
  return quorum_member_list_get_query (self->members) != NULL ||
         selected_key (self->role_dropdown) != NULL ||
         selected_key (self->status_dropdown) != NULL ||
         gtk_toggle_button_get_active (self->inactive_toggle);
}

static void
set_state (QuorumMembersPage      *self,
           QuorumMembersPageState  state)
{
  GEnumValue *value = g_enum_get_value (g_type_class_peek (QUORUM_TYPE_MEMBERS_PAGE_STATE), state);

  gtk_stack_set_visible_child_name (self->stack, value->value_nick);
  gtk_spinner_set_spinning (self->spinner, state == QUORUM_MEMBERS_PAGE_STATE_LOADING);
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

void
_quorum_members_page_update_state (QuorumMembersPage *self)
{
  QuorumRequestPhase phase = self->load_state != NULL ? quorum_request_state_get_phase (self->load_state)
                                                      : QUORUM_REQUEST_PHASE_IDLE;
  guint n_items;
  guint total;
  guint n_invitations;

  /* A bar above what is shown (the list, or the spinner of a first load)
   * says why it takes long, and what failed while a list stays; the error
   * page says it itself. */
  gtk_revealer_set_reveal_child (self->status_revealer,
                                 self->roster != NULL && phase != QUORUM_REQUEST_PHASE_IDLE &&
                                 phase != QUORUM_REQUEST_PHASE_WAITING &&
                                 quorum_member_list_get_error (self->members) == NULL);

  if (self->roster == NULL && self->organization != NULL && phase >= QUORUM_REQUEST_PHASE_NOT_ANSWERING)
    {
      /* Loading was cancelled: nothing to show but that, and Retry. */
      gtk_label_set_text (self->count_label, "");
      set_state (self, QUORUM_MEMBERS_PAGE_STATE_ERROR);
      return;
    }

  if (self->roster == NULL)
    {
      gtk_label_set_text (self->count_label, "");
      adw_status_page_set_title (self->empty_page, _("No Organization"));
      adw_status_page_set_description (self->empty_page, NULL);
      adw_status_page_set_icon_name (self->empty_page, "system-users-symbolic");
      set_state (self, QUORUM_MEMBERS_PAGE_STATE_EMPTY);
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
    set_state (self, QUORUM_MEMBERS_PAGE_STATE_LIST);
  else if (quorum_member_list_get_error (self->members) != NULL)
    /* The request's state says what failed, with Retry (error_status). */
    set_state (self, QUORUM_MEMBERS_PAGE_STATE_ERROR);
  else if (!quorum_member_list_get_complete (self->members))
    set_state (self, QUORUM_MEMBERS_PAGE_STATE_LOADING);
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
      set_state (self, QUORUM_MEMBERS_PAGE_STATE_EMPTY);
    }
}

/* Retry: whatever failed to load (members, invitations) is asked again. */
static void
retry_load (QuorumMembersPage *self,
            gpointer           data)
{
  (void) data;
  if (self->members == NULL && self->organization != NULL)
    {
      reload (self);  /* the first load was cancelled */
      return;
    }
  if (self->members != NULL &&
      (quorum_member_list_get_error (self->members) != NULL || !self->invitations_failed))
    {
      if (!quorum_request_state_get_running (self->load_state))
        quorum_request_state_begin (self->load_state, quorum_request_state_get_automatic (self->load_state));
      quorum_member_list_reload (self->members);
    }
  if (self->invitations_failed)
    load_invitations (self);
}

/* Retry of the request's state: the search again, or the load. */
static void
state_retry_cb (QuorumMembersPage *self)
{
  inline_clear (self);
  if (self->search_failed || self->pending != NULL)
    {
      self->search_failed = FALSE;
      apply_filters (self);
      return;
    }
  retry_load (self, NULL);
}

static void
members_error_cb (QuorumMembersPage *self)
{
  const GError *error = quorum_member_list_get_error (self->members);

  _quorum_members_page_update_state (self);
  if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* The first page: the request's state says it, in the page. A later one
   * (scrolling) or a page without a toast overlay: a toast or a line. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->members)) == 0 &&
      gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY) != NULL)
    return;

  {
    g_autofree char *message = quorum_error_compose (_("Could not load members"), error);

    _quorum_members_page_show_error (self, message,
                                     quorum_weak_call_new (self, (QuorumWeakFunc) retry_load, NULL, NULL));
  }
}

/* The first page of the list shown arrived, or failed. */
static void
members_loading_cb (QuorumMembersPage *self)
{
  const GError *error;

  if (self->members == NULL || quorum_member_list_get_loading (self->members) ||
      self->pending != NULL || !quorum_request_state_get_running (self->load_state))
    return;

  error = quorum_member_list_get_error (self->members);
  if (error != NULL)
    quorum_request_state_fail (self->load_state, _("Could not load members"), error);
  else
    quorum_request_state_succeed (self->load_state);
  _quorum_members_page_update_state (self);
}

/* Search: the list shown stays until the search's first page is there;
 * Cancel drops the search and puts back what the list was searched for. */

static void
drop_pending (QuorumMembersPage *self)
{
  if (self->pending == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->pending, self);
  g_clear_object (&self->pending);  /* disposing it cancels its fetch */
}

static void
set_dropdown_key (GtkDropDown *dropdown,
                  const char  *key)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), key != NULL ? key : "all") == 0)
        gtk_drop_down_set_selected (dropdown, i);
    }
}

static void search_changed_cb (QuorumMembersPage *self);
static void filter_changed_cb (QuorumMembersPage *self);

/* The search entry and filters say again what the list shown is for. */
static void
restore_filters (QuorumMembersPage *self)
{
  QuorumRole role;

  if (self->members == NULL)
    return;

  role = quorum_member_list_get_role_filter (self->members);
  g_signal_handlers_block_by_func (self->search_entry, search_changed_cb, self);
  g_signal_handlers_block_by_func (self->role_dropdown, filter_changed_cb, self);
  g_signal_handlers_block_by_func (self->status_dropdown, filter_changed_cb, self);
  g_signal_handlers_block_by_func (self->inactive_toggle, filter_changed_cb, self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry),
                         quorum_member_list_get_query (self->members) != NULL
                         ? quorum_member_list_get_query (self->members) : "");
  gtk_toggle_button_set_active (self->inactive_toggle,
                                quorum_member_list_get_inactive_days (self->members) == QUORUM_MEMBERS_INACTIVE_DAYS);
  set_dropdown_key (self->role_dropdown, role != QUORUM_ROLE_NONE ? quorum_role_to_string (role) : NULL);
  set_dropdown_key (self->status_dropdown, quorum_member_list_get_status_filter (self->members));
  g_signal_handlers_unblock_by_func (self->inactive_toggle, filter_changed_cb, self);
  g_signal_handlers_unblock_by_func (self->status_dropdown, filter_changed_cb, self);
  g_signal_handlers_unblock_by_func (self->role_dropdown, filter_changed_cb, self);
  g_signal_handlers_unblock_by_func (self->search_entry, search_changed_cb, self);
  g_clear_handle_id (&self->search_timeout_id, g_source_remove);
}

static void connect_list (QuorumMembersPage *self);

static void
pending_loading_cb (QuorumMembersPage *self)
{
  const GError *error;

  if (self->pending == NULL || quorum_member_list_get_loading (self->pending))
    return;

  error = quorum_member_list_get_error (self->pending);
  if (error != NULL)
    {
      g_autoptr(GError) copy = g_error_copy (error);

      drop_pending (self);
      self->search_failed = TRUE;
      quorum_request_state_fail (self->load_state, _("Could not search the members"), copy);
      _quorum_members_page_update_state (self);
      return;
    }

  /* The search's first page is there: it becomes the list shown. */
  if (self->members != NULL)
    g_signal_handlers_disconnect_by_data (self->members, self);
  if (self->roster != NULL)
    g_signal_handlers_disconnect_by_data (self->roster, self);
  g_clear_object (&self->roster);
  g_clear_object (&self->members);
  g_signal_handlers_disconnect_by_data (self->pending, self);
  self->members = g_steal_pointer (&self->pending);
  self->roster = quorum_member_roster_new (self->members);
  connect_list (self);
  gtk_multi_selection_set_model (self->selection, G_LIST_MODEL (self->roster));
  filter_invitations (self);
  quorum_request_state_succeed (self->load_state);
  shown_invitations_changed_cb (self);
}

static void
start_search (QuorumMembersPage *self,
              const char        *query,
              QuorumRole         role,
              const char        *status,
              guint              inactive_days)
{
  drop_pending (self);
  self->search_failed = FALSE;
  quorum_request_state_begin (self->load_state, FALSE);
  self->pending = quorum_member_list_new (self->client, quorum_organization_get_id (self->organization));
  quorum_member_list_set_query (self->pending, query);
  quorum_member_list_set_role_filter (self->pending, role);
  quorum_member_list_set_status_filter (self->pending, status);
  quorum_member_list_set_inactive_days (self->pending, inactive_days);
  g_signal_connect_swapped (self->pending, "notify::loading", G_CALLBACK (pending_loading_cb), self);
  quorum_member_list_reload (self->pending);
  _quorum_members_page_update_state (self);
}

/* Cancel (idle again while something was on its way). */
static void
load_phase_cb (QuorumMembersPage *self)
{
  if (quorum_request_state_get_phase (self->load_state) == QUORUM_REQUEST_PHASE_IDLE && !self->resetting)
    {
      if (self->pending != NULL)
        {
          drop_pending (self);
          restore_filters (self);
        }
      else if (self->members != NULL && quorum_member_list_get_loading (self->members) &&
               g_list_model_get_n_items (G_LIST_MODEL (self->roster)) == 0)
        {
          /* The first load: nothing to go back to but that it was cancelled. */
          g_autoptr(GError) error = g_error_new_literal (QUORUM_API_ERROR, QUORUM_API_ERROR_FAILED,
                                                         _("Loading was cancelled"));

          gtk_multi_selection_set_model (self->selection, NULL);
          g_signal_handlers_disconnect_by_data (self->members, self);
          g_signal_handlers_disconnect_by_data (self->roster, self);
          g_clear_object (&self->roster);
          g_clear_object (&self->members);  /* cancels its fetch */
          quorum_request_state_fail (self->load_state, _("Could not load members"), error);
        }
    }
  _quorum_members_page_update_state (self);
}

/* Invitations: the server sends them all; the search and filters apply here. */

static gboolean
invitation_matches_cb (gpointer item,
                       gpointer user_data)
{
  QuorumMembersPage *self = user_data;
  QuorumInvitation *invitation = item;
  const char *role = selected_key (self->role_dropdown);

  /* An invitation is no member, active or not. */
  return g_strcmp0 (quorum_invitation_get_status (invitation), "pending") == 0 &&
         selected_key (self->status_dropdown) == NULL &&
         !gtk_toggle_button_get_active (self->inactive_toggle) &&
         (role == NULL || quorum_invitation_get_role (invitation) == quorum_role_from_string (role));
}

static void
shown_invitations_changed_cb (QuorumMembersPage *self)
{
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_object_unref);
  GtkAdjustment *vadjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  gboolean at_top;

  if (self->roster == NULL)
    return;

  /* Invitations often arrive after the first members: the view would keep
   * its first member in place and hide them above. A list the user has not
   * scrolled shows them. */
  at_top = gtk_adjustment_get_value (vadjustment) <= 0;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->shown_invitations)); i++)
    g_ptr_array_add (shown, g_list_model_get_item (G_LIST_MODEL (self->shown_invitations), i));
  quorum_member_roster_set_invitations (self->roster, shown);
  if (at_top && g_list_model_get_n_items (G_LIST_MODEL (self->roster)) > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", 0);
  _quorum_members_page_update_state (self);
}

static void
filter_invitations (QuorumMembersPage *self)
{
  gtk_string_filter_set_search (self->invitation_search,
                                self->members != NULL ? quorum_member_list_get_query (self->members) : NULL);
  gtk_filter_changed (GTK_FILTER (self->invitation_filter), GTK_FILTER_CHANGE_DIFFERENT);
  _quorum_members_page_update_state (self);
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
      g_autofree char *message = quorum_error_compose (_("Could not load invitations"), error);

      self->invitations_failed = TRUE;
      /* When the members failed too, that error (and its Retry) covers both. */
      if (self->members == NULL || quorum_member_list_get_error (self->members) == NULL)
        _quorum_members_page_show_error (self, message,
                                         quorum_weak_call_new (self, (QuorumWeakFunc) retry_load, NULL, NULL));
      return;
    }
  self->invitations_failed = FALSE;

  g_list_store_splice (self->invitations, 0, g_list_model_get_n_items (G_LIST_MODEL (self->invitations)),
                       invitations->pdata, invitations->len);
}

static void
load_invitations (QuorumMembersPage *self)
{
  if (self->organization == NULL || self->client == NULL ||
      !quorum_role_can (self->role, QUORUM_PERMISSION_MANAGE_INVITATIONS))
    return;

  quorum_client_list_invitations_async (self->client, quorum_organization_get_id (self->organization), "pending",
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

/* What the search entry and the filters ask for; @query NULL when empty. */
static void
typed_filters (QuorumMembersPage  *self,
               char              **query,
               QuorumRole         *role,
               const char        **status,
               guint              *inactive_days)
{
  *query = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  if (**query == '\0')
    g_clear_pointer (query, g_free);
  *role = quorum_role_from_string (selected_key (self->role_dropdown));
  *status = selected_key (self->status_dropdown);
  *inactive_days = gtk_toggle_button_get_active (self->inactive_toggle) ? QUORUM_MEMBERS_INACTIVE_DAYS : 0;
}

static void
apply_filters (QuorumMembersPage *self)
{
  g_autofree char *query = NULL;
  QuorumRole role;
  const char *status;
  guint inactive_days;

  g_clear_handle_id (&self->search_timeout_id, g_source_remove);
  if (self->members == NULL)
    return;

  typed_filters (self, &query, &role, &status, &inactive_days);

  if (g_strcmp0 (query, quorum_member_list_get_query (self->members)) == 0 &&
      role == quorum_member_list_get_role_filter (self->members) &&
      g_strcmp0 (status, quorum_member_list_get_status_filter (self->members)) == 0 &&
      inactive_days == quorum_member_list_get_inactive_days (self->members))
    {
      /* Back to what is shown: a search on its way is not needed. */
      if (self->pending != NULL)
        {
          self->resetting = TRUE;
          quorum_request_state_cancel (self->load_state);
          self->resetting = FALSE;
          drop_pending (self);
        }
      filter_invitations (self);
      return;
    }

  if (!quorum_member_list_get_loading (self->members) &&
      quorum_member_list_get_error (self->members) == NULL &&
      (quorum_member_list_get_complete (self->members) ||
       g_list_model_get_n_items (G_LIST_MODEL (self->members)) > 0))
    {
      /* A list is shown: it stays until the search has an answer. */
      start_search (self, query, role, status, inactive_days);
      return;
    }

  g_object_freeze_notify (G_OBJECT (self->members));
  quorum_member_list_set_query (self->members, query);
  quorum_member_list_set_role_filter (self->members, role);
  quorum_member_list_set_status_filter (self->members, status);
  quorum_member_list_set_inactive_days (self->members, inactive_days);
  g_object_thaw_notify (G_OBJECT (self->members));
  if (quorum_member_list_get_loading (self->members) && !quorum_request_state_get_running (self->load_state))
    quorum_request_state_begin (self->load_state, FALSE);
  filter_invitations (self);
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
                          self->role, self->caller_user_id);
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
  /* A bulk change stops between two members and says how far it got. */
  _quorum_members_page_cancel_bulk (self);
  _quorum_members_page_reset_export (self);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  close_dialogs (self);
  inline_clear (self);
  drop_pending (self);
  self->search_failed = FALSE;
  if (self->load_state != NULL)
    {
      self->resetting = TRUE;
      quorum_request_state_reset (self->load_state);
      self->resetting = FALSE;
    }

  gtk_multi_selection_set_model (self->selection, NULL);
  if (self->members != NULL)
    g_signal_handlers_disconnect_by_data (self->members, self);
  if (self->roster != NULL)
    g_signal_handlers_disconnect_by_data (self->roster, self);
  g_clear_object (&self->roster);
  g_clear_object (&self->members);  /* disposing it cancels its fetch */
  if (self->invitations != NULL)
    g_list_store_remove_all (self->invitations);
  self->invitations_failed = FALSE;
}

static void
connect_list (QuorumMembersPage *self)
{
  g_signal_connect_swapped (self->members, "notify::loading", G_CALLBACK (members_loading_cb), self);
  g_signal_connect_swapped (self->members, "notify::loading", G_CALLBACK (_quorum_members_page_update_state), self);
  g_signal_connect_swapped (self->members, "notify::total", G_CALLBACK (_quorum_members_page_update_state), self);
  g_signal_connect_swapped (self->members, "notify::complete", G_CALLBACK (_quorum_members_page_update_state), self);
  g_signal_connect_swapped (self->members, "notify::error", G_CALLBACK (members_error_cb), self);
  g_signal_connect_swapped (self->roster, "items-changed", G_CALLBACK (_quorum_members_page_update_state), self);
}

static void
reload (QuorumMembersPage *self)
{
  gboolean can_invite;

  clear_organization_state (self);

  can_invite = quorum_role_can (self->role, QUORUM_PERMISSION_MANAGE_INVITATIONS);
  gtk_widget_set_visible (self->invite_button, can_invite);

  if (self->client == NULL || self->organization == NULL)
    {
      _quorum_members_page_update_state (self);
      return;
    }

  self->cancellable = g_cancellable_new ();
  quorum_request_state_set_host_from_url (self->load_state, quorum_client_get_base_url (self->client));
  self->members = quorum_member_list_new (self->client, quorum_organization_get_id (self->organization));

  /* Filters typed for the previous organization still apply: set on the
   * list before its first page is asked for. Nothing may read the list
   * (its size included, as updating the page's state does) before
   * reload() below: reading starts a list that was not started, and
   * reload() would then cancel that fetch and ask again, which also throws
   * away the first page that sign-in prefetched, while the invitations
   * come from theirs at once. */
  {
    g_autofree char *query = NULL;
    QuorumRole role;
    const char *status;
    guint inactive_days;

    g_clear_handle_id (&self->search_timeout_id, g_source_remove);
    typed_filters (self, &query, &role, &status, &inactive_days);
    quorum_member_list_set_query (self->members, query);
    quorum_member_list_set_role_filter (self->members, role);
    quorum_member_list_set_status_filter (self->members, status);
    quorum_member_list_set_inactive_days (self->members, inactive_days);
  }
  self->roster = quorum_member_roster_new (self->members);
  connect_list (self);
  /* Start the first page now, once; the view asking for items does not
   * repeat it. A load nobody asked for: it comes back by itself after a
   * failure. The request's state follows (its phase updates the page). */
  quorum_member_list_reload (self->members);
  quorum_request_state_begin (self->load_state, TRUE);
  filter_invitations (self);
  load_invitations (self);
  gtk_multi_selection_set_model (self->selection, G_LIST_MODEL (self->roster));
  quorum_request_state_set_host_from_url (self->export_state, quorum_client_get_base_url (self->client));
  _quorum_members_page_update_export (self);
  _quorum_members_page_update_state (self);
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
  if (self->load_state != NULL)
    g_signal_handlers_disconnect_by_data (self->load_state, self);
  g_clear_object (&self->load_state);
  g_clear_weak_pointer (&self->invite_dialog);
  g_clear_weak_pointer (&self->confirm_dialog);
  g_clear_weak_pointer (&self->bulk_dialog);
  _quorum_members_page_export_dispose (self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), QUORUM_TYPE_MEMBERS_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->shown_invitations);
  g_clear_object (&self->invitations);
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
    case PROP_ROLE:
      g_value_set_enum (value, self->role);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
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
  /* The caller's role in the organization, which carries it. */
  properties[PROP_ROLE] =
    g_param_spec_enum ("role", NULL, NULL, QUORUM_TYPE_ROLE, QUORUM_ROLE_NONE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       QUORUM_TYPE_MEMBERS_PAGE_STATE, QUORUM_MEMBERS_PAGE_STATE_EMPTY,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/quorum-members-page.ui");
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, inline_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, inline_error_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, inline_retry_button);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, invite_button);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, role_dropdown);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, inactive_toggle);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, bulk_revealer);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, bulk_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, bulk_progress);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, selection_revealer);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, selection_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, export_revealer);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, export_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, export_progress);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, export_status);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, stack);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, status_revealer);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, bar_status);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, QuorumMembersPage, error_status);
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
  gtk_widget_class_bind_template_callback (widget_class, role_filter_label_cb);
  gtk_widget_class_bind_template_callback (widget_class, status_filter_label_cb);

  _quorum_members_page_class_actions_init (widget_class);
  _quorum_members_page_class_bulk_init (widget_class);
  _quorum_members_page_class_export_init (widget_class);

  g_type_ensure (QUORUM_TYPE_MEMBER_ROW);
  g_type_ensure (QUORUM_TYPE_REQUEST_STATUS);
}

static void
quorum_members_page_init (QuorumMembersPage *self)
{
  GtkListItemFactory *factory;
  GtkMultiFilter *invitation_filters = GTK_MULTI_FILTER (gtk_every_filter_new ());

  gtk_widget_init_template (GTK_WIDGET (self));

  self->load_state = quorum_request_state_new (NULL);
  g_signal_connect_swapped (self->load_state, "retry", G_CALLBACK (state_retry_cb), self);
  g_signal_connect_swapped (self->load_state, "notify::phase", G_CALLBACK (load_phase_cb), self);
  quorum_request_status_set_state (self->bar_status, self->load_state);
  quorum_request_status_set_state (self->error_status, self->load_state);
  _quorum_members_page_export_init (self);

  self->invitations = g_list_store_new (QUORUM_TYPE_INVITATION);
  self->invitation_filter = gtk_custom_filter_new (invitation_matches_cb, self, NULL);
  self->invitation_search =
    gtk_string_filter_new (gtk_property_expression_new (QUORUM_TYPE_INVITATION, NULL, "email"));
  gtk_multi_filter_append (invitation_filters, GTK_FILTER (self->invitation_filter));
  gtk_multi_filter_append (invitation_filters, GTK_FILTER (self->invitation_search));
  self->shown_invitations = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->invitations)),
                                                       GTK_FILTER (invitation_filters));
  g_signal_connect_swapped (self->shown_invitations, "items-changed",
                            G_CALLBACK (shown_invitations_changed_cb), self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  self->selection = gtk_multi_selection_new (NULL);
  g_signal_connect_swapped (self->selection, "selection-changed",
                            G_CALLBACK (_quorum_members_page_update_selection), self);
  g_signal_connect_swapped (self->selection, "items-changed",
                            G_CALLBACK (_quorum_members_page_update_selection), self);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  _quorum_members_page_update_state (self);
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
  QuorumRole role = organization != NULL ? quorum_organization_get_role (organization) : QUORUM_ROLE_NONE;

  g_return_if_fail (QUORUM_IS_MEMBERS_PAGE (self));
  g_return_if_fail (organization == NULL || QUORUM_IS_ORGANIZATION (organization));

  if (!g_set_object (&self->organization, organization))
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->role != role)
    {
      self->role = role;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
    }
  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORGANIZATION]);
  g_object_thaw_notify (G_OBJECT (self));
}

void
quorum_members_page_focus_search (QuorumMembersPage *self)
{
  g_return_if_fail (QUORUM_IS_MEMBERS_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/**
 * quorum_members_page_search:
 * @query: (nullable): the search words
 * @inactive: only members inactive for 90 days
 *
 * Shows the members a link asked for: the search and the filter are set as
 * if typed, the role and status filters go back to all.
 */
void
quorum_members_page_search (QuorumMembersPage *self,
                            const char        *query,
                            gboolean           inactive)
{
  g_return_if_fail (QUORUM_IS_MEMBERS_PAGE (self));

  g_signal_handlers_block_by_func (self->search_entry, search_changed_cb, self);
  g_signal_handlers_block_by_func (self->role_dropdown, filter_changed_cb, self);
  g_signal_handlers_block_by_func (self->status_dropdown, filter_changed_cb, self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), query != NULL ? query : "");
  set_dropdown_key (self->role_dropdown, NULL);
  set_dropdown_key (self->status_dropdown, NULL);
  g_signal_handlers_block_by_func (self->inactive_toggle, filter_changed_cb, self);
  gtk_toggle_button_set_active (self->inactive_toggle, inactive);
  g_signal_handlers_unblock_by_func (self->inactive_toggle, filter_changed_cb, self);
  g_signal_handlers_unblock_by_func (self->status_dropdown, filter_changed_cb, self);
  g_signal_handlers_unblock_by_func (self->role_dropdown, filter_changed_cb, self);
  g_signal_handlers_unblock_by_func (self->search_entry, search_changed_cb, self);
  apply_filters (self);
}

/**
 * quorum_members_page_dup_search:
 * @inactive: (out): whether the list shown holds only members inactive for 90 days
 *
 * Returns: (transfer full) (nullable): the search of the list shown
 */
char *
quorum_members_page_dup_search (QuorumMembersPage *self,
                                gboolean          *inactive)
{
  g_return_val_if_fail (QUORUM_IS_MEMBERS_PAGE (self), NULL);
  g_return_val_if_fail (inactive != NULL, NULL);

  *inactive = FALSE;
  if (self->members == NULL)
    return NULL;
  *inactive = quorum_member_list_get_inactive_days (self->members) == QUORUM_MEMBERS_INACTIVE_DAYS;
  return g_strdup (quorum_member_list_get_query (self->members));
}

QuorumMembersPageState
quorum_members_page_get_state (QuorumMembersPage *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBERS_PAGE (self), QUORUM_MEMBERS_PAGE_STATE_EMPTY);

  return self->state;
}
