/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-api-key-row.h"
#include "quorum-api-private.h"
#include "quorum-audit-row.h"
#include "quorum-core.h"
#include "quorum-developers-page-private.h"
#include "quorum-utils-private.h"
#include "quorum-webhook-row.h"

/*
 * The Developers tab, for owners and admins (the window hides it from
 * members, and the page asks the server nothing unless the role may manage
 * developer settings): the organization's API keys, its webhooks and its
 * audit log.
 *
 * Keys and webhooks load together under one QuorumRequestState, which
 * decides what the page shows (update_view() is the one place): the
 * spinner and then "Still waiting…" with Cancel until a first answer, the
 * failure with Retry in place of the page (retried by itself, with
 * back-off, for a load the user did not ask for), or a bar above the last
 * good state. They are kept in two GListStores the lists are bound to; an
 * action's answer replaces or removes its one item. The audit log is a
 * QuorumAuditLog (paged by the cursor API as the GtkListView scrolls) with
 * filters by who, when and action; its failures show above it with Retry. Everything
 * runs on the page's GCancellable, cancelled when the organization changes.
 * The actions (create, rotate, revoke; add, edit, test, deliveries, roll,
 * delete) are in quorum-developers-page-actions.c.
 */

/* Keys and webhooks per request: an organization has few. */
#define LIST_LIMIT 200

G_DEFINE_FINAL_TYPE (QuorumDevelopersPage, quorum_developers_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_ORGANIZATION,
  PROP_ROLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The actions the audit filter offers, with their words. */
static const struct { const char *action; const char *label; } filter_entries[] = {
  { "member.added", N_("Members added") },
  { "member.updated", N_("Members changed") },
  { "member.removed", N_("Members removed") },
  { "invitation.created", N_("Invitations sent") },
  { "invitation.accepted", N_("Invitations accepted") },
  { "organization.updated", N_("Organization changed") },
  { "billing.plan_changed", N_("Plan changed") },
  { "billing.topped_up", N_("Balance topped up") },
  { "api_key.created", N_("API keys created") },
  { "api_key.rotated", N_("API keys rotated") },
  { "api_key.revoked", N_("API keys revoked") },
  { "webhook.created", N_("Webhooks added") },
  { "webhook.updated", N_("Webhooks changed") },
  { "webhook.deleted", N_("Webhooks deleted") },
};

/* The time filter's ranges, with their words: "since so many days ago". */
static const struct { guint days; const char *label; } time_entries[] = {
  { 0, N_("All Time") },
  { 1, N_("Last 24 Hours") },
  { 7, N_("Last 7 Days") },
  { 30, N_("Last 30 Days") },
};

/* The actor filter offers "Anyone", "Me" and at most this many others:
 * the people and keys seen in the log. */
#define MAX_ACTOR_ENTRIES 50

QuorumRole
quorum_developers_page_get_role (QuorumDevelopersPage *self)
{
  g_return_val_if_fail (QUORUM_IS_DEVELOPERS_PAGE (self), QUORUM_ROLE_NONE);

  return self->organization != NULL ? quorum_organization_get_role (self->organization) : QUORUM_ROLE_NONE;
}

gboolean
_quorum_developers_page_can_manage (QuorumDevelopersPage *self)
{
  return self->client != NULL && self->organization != NULL &&
         quorum_role_can (quorum_developers_page_get_role (self), QUORUM_PERMISSION_MANAGE_DEVELOPERS);
}

/* The one place the page's state changes. */
static void
update_view (QuorumDevelopersPage *self)
{
  QuorumRequestPhase phase = quorum_request_state_get_phase (self->load_state);
  gboolean waiting = phase == QUORUM_REQUEST_PHASE_WAITING || phase == QUORUM_REQUEST_PHASE_STILL_WAITING;

  if (self->loaded)
    gtk_stack_set_visible_child_name (self->stack, "content");
  else if (waiting || !self->load_begun)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  else
    {
      adw_status_page_set_description (self->error_status,
                                       phase == QUORUM_REQUEST_PHASE_IDLE ? _("Loading was cancelled.") : NULL);
      gtk_widget_set_visible (self->retry_button, phase == QUORUM_REQUEST_PHASE_IDLE);
      gtk_stack_set_visible_child_name (self->stack, "error");
    }

  gtk_revealer_set_reveal_child (self->status_revealer,
                                 self->loaded && phase != QUORUM_REQUEST_PHASE_IDLE &&
                                 phase != QUORUM_REQUEST_PHASE_WAITING);
  _quorum_developers_page_update_actions (self);
}

/* Lists */

static GtkWidget *
create_key_row_cb (gpointer item,
                   gpointer user_data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return quorum_api_key_row_new (item, now);
}

static GtkWidget *
create_webhook_row_cb (gpointer item,
                       gpointer user_data)
{
  return quorum_webhook_row_new (item);
}

static gboolean
find_by_id (GListStore  *store,
            const char  *(*get_id) (gpointer),
            const char  *id,
            guint       *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (store), i);

      if (g_strcmp0 (get_id (item), id) == 0)
        {
          if (position != NULL)
            *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* (transfer none) */
QuorumApiKey *
_quorum_developers_page_find_key (QuorumDevelopersPage *self,
                                  const char           *id,
                                  guint                *position)
{
  guint i;
  g_autoptr(QuorumApiKey) key = NULL;

  if (!find_by_id (self->keys, (const char *(*) (gpointer)) quorum_api_key_get_id, id, &i))
    return NULL;
  key = g_list_model_get_item (G_LIST_MODEL (self->keys), i);
  if (position != NULL)
    *position = i;
  return key;  /* the store keeps it */
}

/* (transfer none) */
QuorumWebhook *
_quorum_developers_page_find_webhook (QuorumDevelopersPage *self,
                                      const char           *id,
                                      guint                *position)
{
  guint i;
  g_autoptr(QuorumWebhook) webhook = NULL;

  if (!find_by_id (self->webhooks, (const char *(*) (gpointer)) quorum_webhook_get_id, id, &i))
    return NULL;
  webhook = g_list_model_get_item (G_LIST_MODEL (self->webhooks), i);
  if (position != NULL)
    *position = i;
  return webhook;
}

/* A key from the server: in place of the one with its id, else first
 * (newest first). The secret is never kept in the list. */
void
_quorum_developers_page_put_key (QuorumDevelopersPage *self,
                                 QuorumApiKey         *key)
{
  guint position;

  if (_quorum_developers_page_find_key (self, quorum_api_key_get_id (key), &position))
    g_list_store_splice (self->keys, position, 1, (gpointer *) &key, 1);
  else
    g_list_store_insert (self->keys, 0, key);
}

void
_quorum_developers_page_put_webhook (QuorumDevelopersPage *self,
                                     QuorumWebhook        *webhook)
{
  guint position;

  if (_quorum_developers_page_find_webhook (self, quorum_webhook_get_id (webhook), &position))
    g_list_store_splice (self->webhooks, position, 1, (gpointer *) &webhook, 1);
  else
    g_list_store_insert (self->webhooks, 0, webhook);
}

/* Loading */

/* One of the two requests of a load; an answer for an earlier load (or for
 * another organization) is dropped. */
typedef struct
{
  QuorumDevelopersPage *self;
  guint                 generation;
} Load;

static Load *
load_new (QuorumDevelopersPage *self)
{
  Load *load = g_new0 (Load, 1);

  load->self = g_object_ref (self);
  load->generation = self->load_generation;
  return load;
}

static void
load_free (Load *load)
{
  g_object_unref (load->self);
  g_free (load);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Load, load_free)

static void
load_done (QuorumDevelopersPage *self,
           const GError         *error)
{
  g_assert (self->load_pending > 0);
  self->load_pending--;

  if (error != NULL)
    {
      /* The first failure speaks (the other request is cancelled with it). */
      self->load_generation++;
      quorum_request_state_fail (self->load_state, _("Could not load the developer settings"), error);
      return;
    }
  if (self->load_pending == 0)
    {
      self->loaded = TRUE;
      quorum_request_state_succeed (self->load_state);
      update_view (self);
    }
}

static void
keys_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Load) load = user_data;
  QuorumDevelopersPage *self = load->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) keys = NULL;

  keys = quorum_client_list_api_keys_finish (QUORUM_CLIENT (object), result, NULL, NULL, &error);
  if (load->generation != self->load_generation)
    return;
  if (keys != NULL)
    g_list_store_splice (self->keys, 0, g_list_model_get_n_items (G_LIST_MODEL (self->keys)),
                         keys->pdata, keys->len);
  load_done (self, error);
}

static void
webhooks_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Load) load = user_data;
  QuorumDevelopersPage *self = load->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) webhooks = NULL;

  webhooks = quorum_client_list_webhooks_finish (QUORUM_CLIENT (object), result, NULL, NULL, &error);
  if (load->generation != self->load_generation)
    return;
  if (webhooks != NULL)
    g_list_store_splice (self->webhooks, 0, g_list_model_get_n_items (G_LIST_MODEL (self->webhooks)),
                         webhooks->pdata, webhooks->len);
  load_done (self, error);
}

/* Keys and webhooks: @automatic for a load the user did not ask for. */
void
_quorum_developers_page_load (QuorumDevelopersPage *self,
                              gboolean              automatic)
{
  GCancellable *cancellable;
  const char *org_id;

  if (!_quorum_developers_page_can_manage (self))
    return;

  self->load_begun = TRUE;
  self->load_generation++;
  self->load_pending = 2;
  /* Begin cancels the load still in flight (its answers are dropped). */
  cancellable = quorum_request_state_begin (self->load_state, automatic);
  org_id = quorum_organization_get_id (self->organization);
  quorum_client_list_api_keys_async (self->client, org_id, NULL, LIST_LIMIT, cancellable,
                                     keys_loaded_cb, load_new (self));
  quorum_client_list_webhooks_async (self->client, org_id, NULL, LIST_LIMIT, cancellable,
                                     webhooks_loaded_cb, load_new (self));
  update_view (self);
}

static void
state_retry_cb (QuorumDevelopersPage *self)
{
  _quorum_developers_page_load (self, quorum_request_state_get_automatic (self->load_state));
}

/* The audit log */

static void
update_audit (QuorumDevelopersPage *self)
{
  const GError *error = self->audit_log != NULL ? quorum_audit_log_get_error (self->audit_log) : NULL;
  gboolean empty = self->audit_log != NULL && quorum_audit_log_get_complete (self->audit_log) &&
                   g_list_model_get_n_items (G_LIST_MODEL (self->audit_log)) == 0;

  if (error != NULL)
    {
      g_autofree char *message = quorum_error_compose (_("Could not load the audit log"), error);

      gtk_label_set_text (self->audit_error_label, message);
    }
  gtk_revealer_set_reveal_child (self->audit_error_revealer, error != NULL);
  gtk_stack_set_visible_child_name (self->audit_stack, empty ? "empty" : "list");
}

static void
audit_setup_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  gtk_list_item_set_child (item, quorum_audit_row_new ());
  gtk_list_item_set_activatable (item, FALSE);
}

static void
audit_bind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  quorum_audit_row_set_event (QUORUM_AUDIT_ROW (gtk_list_item_get_child (item)),
                              gtk_list_item_get_item (item), now);
}

/* The actor filter: an entry per id, "Anyone" before them. */
static gboolean
actor_listed (QuorumDevelopersPage *self,
              const char           *actor_id,
              guint                *position)
{
  for (guint i = 0; i < self->actor_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->actor_ids, i), actor_id))
      {
        if (position != NULL)
          *position = i + 1;
        return TRUE;
      }
  return FALSE;
}

static void
add_actor (QuorumDevelopersPage *self,
           const char           *actor_id,
           const char           *label)
{
  if (actor_listed (self, actor_id, NULL) || self->actor_ids->len >= MAX_ACTOR_ENTRIES + 1)
    return;
  g_ptr_array_add (self->actor_ids, g_strdup (actor_id));
  gtk_string_list_append (self->actor_labels, label);
}

/* Who made the events the log brought, offered in the actor filter. */
static void
audit_items_changed_cb (GListModel           *log,
                        guint                 position,
                        guint                 removed,
                        guint                 added,
                        QuorumDevelopersPage *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(QuorumAuditEvent) event = g_list_model_get_item (log, i);
      const char *id = quorum_audit_event_get_actor_id (event);
      g_autofree char *name = NULL;
      g_autofree char *label = NULL;

      if (actor_listed (self, id, NULL) || g_strcmp0 (id, self->me_id) == 0)
        continue;
      name = quorum_api_text_for_display (quorum_audit_event_get_actor_name (event));
      if (quorum_audit_event_is_by_api_key (event))
        label = g_strdup_printf (_("API key “%s”"), name);
      else
        label = g_strdup (*name != '\0' ? name : id);
      add_actor (self, id, label);
    }
}

/* "Anyone", then "Me" once the signed-in user is known. */
static void
reset_actors (QuorumDevelopersPage *self)
{
  if (self->actor_ids == NULL)
    return;
  g_clear_pointer (&self->audit_actor, g_free);
  gtk_drop_down_set_selected (self->actor_filter, 0);
  g_ptr_array_set_size (self->actor_ids, 0);
  gtk_string_list_splice (self->actor_labels, 1,
                          g_list_model_get_n_items (G_LIST_MODEL (self->actor_labels)) - 1, NULL);
  if (self->me_id != NULL)
    {
      g_ptr_array_add (self->actor_ids, g_strdup (self->me_id));
      /* TRANSLATORS: the audit log's actor filter: the changes made by the signed-in user */
      gtk_string_list_append (self->actor_labels, _("Me"));
    }
}

/* A new log for the organization and filters shown (dropping the old one
 * cancels its fetches). */
void
_quorum_developers_page_reload_audit (QuorumDevelopersPage *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  if (self->audit_log != NULL)
    g_signal_handlers_disconnect_by_data (self->audit_log, self);
  g_clear_object (&self->audit_log);

  if (_quorum_developers_page_can_manage (self))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) since = self->audit_days > 0 ? g_date_time_add_days (now, -(int) self->audit_days)
                                                         : NULL;

      self->audit_log = quorum_audit_log_new_filtered (self->client,
                                                       quorum_organization_get_id (self->organization),
                                                       self->audit_action, self->audit_actor, since);
      g_signal_connect_object (self->audit_log, "notify::error", G_CALLBACK (update_audit), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->audit_log, "notify::complete", G_CALLBACK (update_audit), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->audit_log, "items-changed", G_CALLBACK (update_audit), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->audit_log, "items-changed", G_CALLBACK (audit_items_changed_cb), self, 0);
      /* Started here, once, before the view reads it. */
      quorum_audit_log_load_more (self->audit_log);
      selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->audit_log)));
    }
  gtk_list_view_set_model (self->audit_view, GTK_SELECTION_MODEL (selection));
  update_audit (self);
}

static void
action_filter_changed_cb (QuorumDevelopersPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->action_filter);
  const char *action = selected > 0 && selected <= G_N_ELEMENTS (filter_entries)
                       ? filter_entries[selected - 1].action : NULL;

  if (g_strcmp0 (action, self->audit_action) == 0)
    return;
  g_free (self->audit_action);
  self->audit_action = g_strdup (action);
  _quorum_developers_page_reload_audit (self);
}

static void
actor_filter_changed_cb (QuorumDevelopersPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->actor_filter);
  const char *actor;

  if (self->actor_ids == NULL)   /* disposed */
    return;
  actor = selected > 0 && selected <= self->actor_ids->len ? g_ptr_array_index (self->actor_ids, selected - 1)
                                                           : NULL;
  if (g_strcmp0 (actor, self->audit_actor) == 0)
    return;
  g_free (self->audit_actor);
  self->audit_actor = g_strdup (actor);
  _quorum_developers_page_reload_audit (self);
}

static void
time_filter_changed_cb (QuorumDevelopersPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->time_filter);
  guint days = selected < G_N_ELEMENTS (time_entries) ? time_entries[selected].days : 0;

  if (days == self->audit_days)
    return;
  self->audit_days = days;
  _quorum_developers_page_reload_audit (self);
}

/**
 * quorum_developers_page_set_audit_actor:
 * @actor_id: (nullable): a user's or key's id the actor filter offers, or
 *   %NULL for anyone
 *
 * Only the changes of @actor_id, as choosing it in the filter does.
 *
 * Returns: whether the filter offers @actor_id (if not, nothing changes)
 */
gboolean
quorum_developers_page_set_audit_actor (QuorumDevelopersPage *self,
                                        const char           *actor_id)
{
  guint position = 0;

  g_return_val_if_fail (QUORUM_IS_DEVELOPERS_PAGE (self), FALSE);

  if (actor_id != NULL && !actor_listed (self, actor_id, &position))
    return FALSE;
  gtk_drop_down_set_selected (self->actor_filter, position);
  return TRUE;
}

/* Only the changes of the last @days days (1, 7 or 30; 0: all time), as
 * choosing it in the filter does. */
void
quorum_developers_page_set_audit_days (QuorumDevelopersPage *self,
                                       guint                 days)
{
  g_return_if_fail (QUORUM_IS_DEVELOPERS_PAGE (self));

  for (guint i = 0; i < G_N_ELEMENTS (time_entries); i++)
    if (time_entries[i].days == days)
      {
        gtk_drop_down_set_selected (self->time_filter, i);
        return;
      }
  g_return_if_reached ();
}

/**
 * quorum_developers_page_set_me:
 * @user_id: (nullable): the signed-in user's id
 *
 * The actor filter offers "Me" for @user_id.
 */
void
quorum_developers_page_set_me (QuorumDevelopersPage *self,
                               const char           *user_id)
{
  g_return_if_fail (QUORUM_IS_DEVELOPERS_PAGE (self));

  if (g_strcmp0 (user_id, self->me_id) == 0)
    return;
  g_free (self->me_id);
  self->me_id = g_strdup (user_id);
  reset_actors (self);
}

/* Only events of @action (NULL: all), as choosing it in the filter does. */
void
quorum_developers_page_set_audit_action (QuorumDevelopersPage *self,
                                         const char           *action)
{
  g_return_if_fail (QUORUM_IS_DEVELOPERS_PAGE (self));

  for (guint i = 0; i < G_N_ELEMENTS (filter_entries); i++)
    if (g_strcmp0 (filter_entries[i].action, action) == 0)
      {
        gtk_drop_down_set_selected (self->action_filter, i + 1);
        return;
      }
  gtk_drop_down_set_selected (self->action_filter, 0);
}

/* Starting over */

static void
restart (QuorumDevelopersPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  quorum_request_state_reset (self->load_state);
  self->load_generation++;
  self->load_begun = FALSE;
  self->loaded = FALSE;
  self->load_pending = 0;
  g_list_store_remove_all (self->keys);
  g_list_store_remove_all (self->webhooks);
  /* Another organization's people and keys. */
  reset_actors (self);
  quorum_request_state_set_host_from_url (self->load_state,
                                          self->client != NULL ? quorum_client_get_base_url (self->client) : NULL);
  _quorum_developers_page_reload_audit (self);
  update_view (self);
  _quorum_developers_page_load (self, TRUE);
}

/* Properties */

QuorumClient *
quorum_developers_page_get_client (QuorumDevelopersPage *self)
{
  g_return_val_if_fail (QUORUM_IS_DEVELOPERS_PAGE (self), NULL);

  return self->client;
}

void
quorum_developers_page_set_client (QuorumDevelopersPage *self,
                                   QuorumClient         *client)
{
  g_return_if_fail (QUORUM_IS_DEVELOPERS_PAGE (self));
  g_return_if_fail (client == NULL || QUORUM_IS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;
  restart (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

QuorumOrganization *
quorum_developers_page_get_organization (QuorumDevelopersPage *self)
{
  g_return_val_if_fail (QUORUM_IS_DEVELOPERS_PAGE (self), NULL);

  return self->organization;
}

void
quorum_developers_page_set_organization (QuorumDevelopersPage *self,
                                         QuorumOrganization   *organization)
{
  g_return_if_fail (QUORUM_IS_DEVELOPERS_PAGE (self));
  g_return_if_fail (organization == NULL || QUORUM_IS_ORGANIZATION (organization));

  if (!g_set_object (&self->organization, organization))
    return;
  restart (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORGANIZATION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
}

/**
 * quorum_developers_page_get_api_keys:
 *
 * Returns: (transfer none): the keys shown (QuorumApiKey), newest first
 */
GListModel *
quorum_developers_page_get_api_keys (QuorumDevelopersPage *self)
{
  g_return_val_if_fail (QUORUM_IS_DEVELOPERS_PAGE (self), NULL);

  return G_LIST_MODEL (self->keys);
}

/**
 * quorum_developers_page_get_webhooks:
 *
 * Returns: (transfer none): the webhooks shown (QuorumWebhook), newest first
 */
GListModel *
quorum_developers_page_get_webhooks (QuorumDevelopersPage *self)
{
  g_return_val_if_fail (QUORUM_IS_DEVELOPERS_PAGE (self), NULL);

  return G_LIST_MODEL (self->webhooks);
}

/* Keys and webhooks of the organization are shown. */
gboolean
quorum_developers_page_get_loaded (QuorumDevelopersPage *self)
{
  g_return_val_if_fail (QUORUM_IS_DEVELOPERS_PAGE (self), FALSE);

  return self->loaded;
}

/**
 * quorum_developers_page_get_audit_log:
 *
 * Returns: (transfer none) (nullable): the audit log shown
 */
QuorumAuditLog *
quorum_developers_page_get_audit_log (QuorumDevelopersPage *self)
{
  g_return_val_if_fail (QUORUM_IS_DEVELOPERS_PAGE (self), NULL);

  return self->audit_log;
}

static void
quorum_developers_page_dispose (GObject *object)
{
  QuorumDevelopersPage *self = QUORUM_DEVELOPERS_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->load_state != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->load_state, self);
      quorum_request_state_reset (self->load_state);
    }
  g_clear_object (&self->load_state);
  if (self->audit_log != NULL)
    g_signal_handlers_disconnect_by_data (self->audit_log, self);
  g_clear_object (&self->audit_log);
  g_clear_object (&self->client);
  g_clear_object (&self->organization);
  g_clear_object (&self->keys);
  g_clear_object (&self->webhooks);
  g_clear_pointer (&self->audit_action, g_free);
  g_clear_pointer (&self->audit_actor, g_free);
  g_clear_pointer (&self->me_id, g_free);
  g_clear_pointer (&self->actor_ids, g_ptr_array_unref);
  g_clear_object (&self->actor_labels);
  gtk_widget_dispose_template (GTK_WIDGET (self), QUORUM_TYPE_DEVELOPERS_PAGE);

  G_OBJECT_CLASS (quorum_developers_page_parent_class)->dispose (object);
}

static void
quorum_developers_page_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  QuorumDevelopersPage *self = QUORUM_DEVELOPERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_ORGANIZATION:
      g_value_set_object (value, self->organization);
      break;

    case PROP_ROLE:
      g_value_set_enum (value, quorum_developers_page_get_role (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_developers_page_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  QuorumDevelopersPage *self = QUORUM_DEVELOPERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      quorum_developers_page_set_client (self, g_value_get_object (value));
      break;

    case PROP_ORGANIZATION:
      quorum_developers_page_set_organization (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_developers_page_class_init (QuorumDevelopersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = quorum_developers_page_dispose;
  object_class->get_property = quorum_developers_page_get_property;
  object_class->set_property = quorum_developers_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, QUORUM_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ORGANIZATION] =
    g_param_spec_object ("organization", NULL, NULL, QUORUM_TYPE_ORGANIZATION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROLE] =
    g_param_spec_enum ("role", NULL, NULL, QUORUM_TYPE_ROLE, QUORUM_ROLE_NONE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (QUORUM_TYPE_REQUEST_STATUS);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/quorum-developers-page.ui");
  gtk_widget_class_bind_template_child (widget_class, QuorumDevelopersPage, stack);
  gtk_widget_class_bind_template_child (widget_class, QuorumDevelopersPage, loading_status);
  gtk_widget_class_bind_template_child (widget_class, QuorumDevelopersPage, error_status);
  gtk_widget_class_bind_template_child (widget_class, QuorumDevelopersPage, error_status_widget);
  gtk_widget_class_bind_template_child (widget_class, QuorumDevelopersPage, retry_button);
  gtk_widget_class_bind_template_child (widget_class, QuorumDevelopersPage, status_revealer);
  gtk_widget_class_bind_template_child (widget_class, QuorumDevelopersPage, bar_status);
  gtk_widget_class_bind_template_child (widget_class, QuorumDevelopersPage, keys_list);
  gtk_widget_class_bind_template_child (widget_class, QuorumDevelopersPage, webhooks_list);
  gtk_widget_class_bind_template_child (widget_class, QuorumDevelopersPage, action_filter);
  gtk_widget_class_bind_template_child (widget_class, QuorumDevelopersPage, actor_filter);
  gtk_widget_class_bind_template_child (widget_class, QuorumDevelopersPage, time_filter);
  gtk_widget_class_bind_template_child (widget_class, QuorumDevelopersPage, audit_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, QuorumDevelopersPage, audit_error_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumDevelopersPage, audit_stack);
  gtk_widget_class_bind_template_child (widget_class, QuorumDevelopersPage, audit_view);
  gtk_widget_class_bind_template_callback (widget_class, action_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, actor_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, time_filter_changed_cb);

  _quorum_developers_page_class_init_actions (widget_class);
}

static GtkWidget *
placeholder_new (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_top (label, 18);
  gtk_widget_set_margin_bottom (label, 18);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static void
quorum_developers_page_init (QuorumDevelopersPage *self)
{
  g_autoptr(GtkStringList) filter_labels = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) time_labels = gtk_string_list_new (NULL);
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  self->cancellable = g_cancellable_new ();
  self->load_state = quorum_request_state_new (NULL);
  self->keys = g_list_store_new (QUORUM_TYPE_API_KEY);
  self->webhooks = g_list_store_new (QUORUM_TYPE_WEBHOOK);
  self->actor_ids = g_ptr_array_new_with_free_func (g_free);
  self->actor_labels = gtk_string_list_new (NULL);
  /* TRANSLATORS: the audit log's actor filter: changes made by anyone */
  gtk_string_list_append (self->actor_labels, _("Anyone"));
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_list_box_bind_model (self->keys_list, G_LIST_MODEL (self->keys), create_key_row_cb, NULL, NULL);
  gtk_list_box_set_placeholder (self->keys_list, placeholder_new (_("No API keys yet.")));
  gtk_list_box_bind_model (self->webhooks_list, G_LIST_MODEL (self->webhooks), create_webhook_row_cb, NULL, NULL);
  gtk_list_box_set_placeholder (self->webhooks_list, placeholder_new (_("No webhooks yet.")));

  gtk_string_list_append (filter_labels, _("All Changes"));
  for (guint i = 0; i < G_N_ELEMENTS (filter_entries); i++)
    gtk_string_list_append (filter_labels, _(filter_entries[i].label));
  gtk_drop_down_set_model (self->action_filter, G_LIST_MODEL (filter_labels));
  gtk_drop_down_set_model (self->actor_filter, G_LIST_MODEL (self->actor_labels));
  for (guint i = 0; i < G_N_ELEMENTS (time_entries); i++)
    gtk_string_list_append (time_labels, _(time_entries[i].label));
  gtk_drop_down_set_model (self->time_filter, G_LIST_MODEL (time_labels));

  g_signal_connect (factory, "setup", G_CALLBACK (audit_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (audit_bind_cb), NULL);
  gtk_list_view_set_factory (self->audit_view, factory);

  quorum_request_status_set_state (self->loading_status, self->load_state);
  quorum_request_status_set_state (self->error_status_widget, self->load_state);
  quorum_request_status_set_state (self->bar_status, self->load_state);
  g_signal_connect_swapped (self->load_state, "retry", G_CALLBACK (state_retry_cb), self);
  g_signal_connect_swapped (self->load_state, "notify::phase", G_CALLBACK (update_view), self);
  g_signal_connect_swapped (self->load_state, "notify::running", G_CALLBACK (update_view), self);
  update_view (self);
}
