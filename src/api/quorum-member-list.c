/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-client.h"
#include "quorum-member.h"
#include "quorum-member-list.h"

/*
 * A GListModel over GET /organizations/{id}/members that grows as pages
 * arrive: n_items is the number of members loaded, "total" what the server
 * counts. When the view asks for an item within half a page of the end, the
 * next page is fetched. A change of query or filter cancels the fetch in
 * flight, empties the list with one items_changed and starts again; a
 * generation counter drops any answer that belongs to an older query even if
 * it raced the cancellation.
 */

struct _QuorumMemberList
{
  GObject       parent_instance;

  QuorumClient *client;
  char         *organization_id;
  char         *query;
  QuorumRole    role_filter;
  char         *status_filter;
  guint         page_size;

  GPtrArray    *items;
  char         *next_cursor;
  guint         total;
  guint         generation;
  GCancellable *cancellable;
  GError       *error;
  guint         started : 1;
  guint         loading : 1;
  guint         complete : 1;
};

static void quorum_member_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (QuorumMemberList, quorum_member_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, quorum_member_list_model_init))

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_ORGANIZATION_ID,
  PROP_PAGE_SIZE,
  PROP_QUERY,
  PROP_ROLE_FILTER,
  PROP_STATUS_FILTER,
  PROP_TOTAL,
  PROP_LOADING,
  PROP_COMPLETE,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  QuorumMemberList *self;
  guint             generation;
} Fetch;

static void fetch_page (QuorumMemberList *self);

static GType
quorum_member_list_get_item_type (GListModel *model)
{
  return QUORUM_TYPE_MEMBER;
}

static guint
quorum_member_list_get_n_items (GListModel *model)
{
  QuorumMemberList *self = QUORUM_MEMBER_LIST (model);

  if (!self->started)
    fetch_page (self);

  return self->items->len;
}

static gpointer
quorum_member_list_get_item (GListModel *model,
                             guint       position)
{
  QuorumMemberList *self = QUORUM_MEMBER_LIST (model);

  if (!self->started)
    fetch_page (self);

  if (position >= self->items->len)
    return NULL;

  if (position + MAX (self->page_size / 2, 1) >= self->items->len)
    quorum_member_list_load_more (self);

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
quorum_member_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = quorum_member_list_get_item_type;
  iface->get_n_items = quorum_member_list_get_n_items;
  iface->get_item = quorum_member_list_get_item;
}

static void
set_loading (QuorumMemberList *self,
             gboolean          loading)
{
  if (self->loading == !!loading)
    return;
  self->loading = !!loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
set_complete (QuorumMemberList *self,
              gboolean          complete)
{
  if (self->complete == !!complete)
    return;
  self->complete = !!complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

static void
set_total (QuorumMemberList *self,
           guint             total)
{
  if (self->total == total)
    return;
  self->total = total;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
}

static void
set_error (QuorumMemberList *self,
           const GError     *error)
{
  if (self->error == NULL && error == NULL)
    return;
  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
cancel_fetch (QuorumMemberList *self)
{
  self->generation++;
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
}

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(QuorumMemberList) self = fetch->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autofree char *next_cursor = NULL;
  guint total = 0;
  guint position;
  gboolean stale = fetch->generation != self->generation;

  g_free (fetch);

  page = quorum_client_list_members_finish (QUORUM_CLIENT (object), result, &next_cursor, &total, &error);

  if (stale)
    return;

  g_clear_object (&self->cancellable);
  g_object_freeze_notify (G_OBJECT (self));

  if (page == NULL)
    {
      set_error (self, error);
      set_loading (self, FALSE);
      g_object_thaw_notify (G_OBJECT (self));
      return;
    }

  position = self->items->len;
  for (guint i = 0; i < page->len; i++)
    g_ptr_array_add (self->items, g_object_ref (g_ptr_array_index (page, i)));

  g_free (self->next_cursor);
  self->next_cursor = g_steal_pointer (&next_cursor);

  /* A cursor that brings nothing new would loop forever: stop there. */
  if (page->len == 0)
    g_clear_pointer (&self->next_cursor, g_free);

  set_total (self, MAX (total, self->items->len));
  set_complete (self, self->next_cursor == NULL);
  set_loading (self, FALSE);

  if (page->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), position, 0, page->len);

  g_object_thaw_notify (G_OBJECT (self));
}

static void
fetch_page (QuorumMemberList *self)
{
  Fetch *fetch;

  self->started = TRUE;

  if (self->loading || self->error != NULL)
    return;
  if (self->items->len > 0 && self->next_cursor == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  fetch = g_new0 (Fetch, 1);
  fetch->self = g_object_ref (self);
  fetch->generation = self->generation;

  set_loading (self, TRUE);
  quorum_client_list_members_async (self->client, self->organization_id,
                                    self->query, self->role_filter, self->status_filter,
                                    self->next_cursor, self->page_size,
                                    self->cancellable, fetch_cb, fetch);
}

/* Empties the list (one items_changed) and, if it was in use, starts over. */
static void
reset (QuorumMemberList *self)
{
  guint removed = self->items->len;

  cancel_fetch (self);

  g_object_freeze_notify (G_OBJECT (self));
  g_ptr_array_set_size (self->items, 0);
  g_clear_pointer (&self->next_cursor, g_free);
  set_total (self, 0);
  set_complete (self, FALSE);
  set_error (self, NULL);
  set_loading (self, FALSE);

  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);

  if (self->started)
    fetch_page (self);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
quorum_member_list_dispose (GObject *object)
{
  QuorumMemberList *self = QUORUM_MEMBER_LIST (object);

  cancel_fetch (self);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (quorum_member_list_parent_class)->dispose (object);
}

static void
quorum_member_list_finalize (GObject *object)
{
  QuorumMemberList *self = QUORUM_MEMBER_LIST (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->organization_id, g_free);
  g_clear_pointer (&self->query, g_free);
  g_clear_pointer (&self->status_filter, g_free);
  g_clear_pointer (&self->next_cursor, g_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (quorum_member_list_parent_class)->finalize (object);
}

static void
quorum_member_list_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  QuorumMemberList *self = QUORUM_MEMBER_LIST (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_ORGANIZATION_ID:
      g_value_set_string (value, self->organization_id);
      break;

    case PROP_PAGE_SIZE:
      g_value_set_uint (value, self->page_size);
      break;

    case PROP_QUERY:
      g_value_set_string (value, self->query);
      break;

    case PROP_ROLE_FILTER:
      g_value_set_string (value, self->role_filter != QUORUM_ROLE_NONE
                                 ? quorum_role_to_string (self->role_filter) : NULL);
      break;

    case PROP_STATUS_FILTER:
      g_value_set_string (value, self->status_filter);
      break;

    case PROP_TOTAL:
      g_value_set_uint (value, self->total);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    case PROP_COMPLETE:
      g_value_set_boolean (value, self->complete);
      break;

    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_member_list_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  QuorumMemberList *self = QUORUM_MEMBER_LIST (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    case PROP_ORGANIZATION_ID:
      self->organization_id = g_value_dup_string (value);
      break;

    case PROP_PAGE_SIZE:
      quorum_member_list_set_page_size (self, g_value_get_uint (value));
      break;

    case PROP_QUERY:
      quorum_member_list_set_query (self, g_value_get_string (value));
      break;

    case PROP_ROLE_FILTER:
      quorum_member_list_set_role_filter (self, quorum_role_from_string (g_value_get_string (value)));
      break;

    case PROP_STATUS_FILTER:
      quorum_member_list_set_status_filter (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_member_list_class_init (QuorumMemberListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = quorum_member_list_dispose;
  object_class->finalize = quorum_member_list_finalize;
  object_class->get_property = quorum_member_list_get_property;
  object_class->set_property = quorum_member_list_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         QUORUM_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ORGANIZATION_ID] =
    g_param_spec_string ("organization-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAGE_SIZE] =
    g_param_spec_uint ("page-size", NULL, NULL,
                       1, 200, QUORUM_MEMBER_LIST_DEFAULT_PAGE_SIZE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUERY] =
    g_param_spec_string ("query", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROLE_FILTER] =
    g_param_spec_string ("role-filter", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS_FILTER] =
    g_param_spec_string ("status-filter", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOTAL] =
    g_param_spec_uint ("total", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL,
                        G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
quorum_member_list_init (QuorumMemberList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->page_size = QUORUM_MEMBER_LIST_DEFAULT_PAGE_SIZE;
}

/**
 * quorum_member_list_new:
 *
 * The list fetches its first page when a view first asks for its size or an
 * item, or on quorum_member_list_reload().
 */
QuorumMemberList *
quorum_member_list_new (QuorumClient *client,
                        const char   *organization_id)
{
  g_return_val_if_fail (QUORUM_IS_CLIENT (client), NULL);
  g_return_val_if_fail (organization_id != NULL, NULL);

  return g_object_new (QUORUM_TYPE_MEMBER_LIST,
                       "client", client,
                       "organization-id", organization_id,
                       NULL);
}

const char *
quorum_member_list_get_organization_id (QuorumMemberList *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER_LIST (self), NULL);

  return self->organization_id;
}

guint
quorum_member_list_get_page_size (QuorumMemberList *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER_LIST (self), 0);

  return self->page_size;
}

void
quorum_member_list_set_page_size (QuorumMemberList *self,
                                  guint             page_size)
{
  g_return_if_fail (QUORUM_IS_MEMBER_LIST (self));
  g_return_if_fail (page_size >= 1 && page_size <= 200);

  if (self->page_size == page_size)
    return;
  self->page_size = page_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE_SIZE]);
}

const char *
quorum_member_list_get_query (QuorumMemberList *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER_LIST (self), NULL);

  return self->query;
}

void
quorum_member_list_set_query (QuorumMemberList *self,
                              const char       *query)
{
  g_return_if_fail (QUORUM_IS_MEMBER_LIST (self));

  if (query != NULL && *query == '\0')
    query = NULL;
  if (g_strcmp0 (self->query, query) == 0)
    return;

  g_free (self->query);
  self->query = g_strdup (query);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
  reset (self);
}

QuorumRole
quorum_member_list_get_role_filter (QuorumMemberList *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER_LIST (self), QUORUM_ROLE_NONE);

  return self->role_filter;
}

void
quorum_member_list_set_role_filter (QuorumMemberList *self,
                                    QuorumRole        role)
{
  g_return_if_fail (QUORUM_IS_MEMBER_LIST (self));

  if (self->role_filter == role)
    return;

  self->role_filter = role;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE_FILTER]);
  reset (self);
}

const char *
quorum_member_list_get_status_filter (QuorumMemberList *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER_LIST (self), NULL);

  return self->status_filter;
}

void
quorum_member_list_set_status_filter (QuorumMemberList *self,
                                      const char       *status)
{
  g_return_if_fail (QUORUM_IS_MEMBER_LIST (self));

  if (status != NULL && *status == '\0')
    status = NULL;
  if (g_strcmp0 (self->status_filter, status) == 0)
    return;

  g_free (self->status_filter);
  self->status_filter = g_strdup (status);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_FILTER]);
  reset (self);
}

guint
quorum_member_list_get_total (QuorumMemberList *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER_LIST (self), 0);

  return self->total;
}

gboolean
quorum_member_list_get_loading (QuorumMemberList *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER_LIST (self), FALSE);

  return self->loading;
}

gboolean
quorum_member_list_get_complete (QuorumMemberList *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER_LIST (self), FALSE);

  return self->complete;
}

const GError *
quorum_member_list_get_error (QuorumMemberList *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER_LIST (self), NULL);

  return self->error;
}

/**
 * quorum_member_list_reload:
 *
 * Drops what is loaded (one items_changed) and fetches the first page again;
 * also the way to retry after an error.
 */
void
quorum_member_list_reload (QuorumMemberList *self)
{
  g_return_if_fail (QUORUM_IS_MEMBER_LIST (self));

  self->started = TRUE;
  reset (self);
}

/**
 * quorum_member_list_load_more:
 *
 * Fetches the next page unless one is in flight, the list is complete or the
 * last fetch failed (then only reload() tries again).
 */
void
quorum_member_list_load_more (QuorumMemberList *self)
{
  g_return_if_fail (QUORUM_IS_MEMBER_LIST (self));

  if (self->next_cursor == NULL && self->started)
    return;
  fetch_page (self);
}

static gboolean
find_member (QuorumMemberList *self,
             const char       *member_id,
             guint            *position)
{
  for (guint i = 0; i < self->items->len; i++)
    if (g_str_equal (quorum_member_get_id (g_ptr_array_index (self->items, i)), member_id))
      {
        *position = i;
        return TRUE;
      }
  return FALSE;
}

/**
 * quorum_member_list_replace:
 * @member: the member as the server now has it (after a role or status change)
 *
 * Puts @member where the member with the same id is, with one
 * items_changed (position, 1, 1), so the row updates without a reload.
 *
 * Returns: whether the member was in the list
 */
gboolean
quorum_member_list_replace (QuorumMemberList *self,
                            QuorumMember     *member)
{
  guint position;

  g_return_val_if_fail (QUORUM_IS_MEMBER_LIST (self), FALSE);
  g_return_val_if_fail (QUORUM_IS_MEMBER (member), FALSE);

  if (!find_member (self, quorum_member_get_id (member), &position))
    return FALSE;

  g_object_unref (g_ptr_array_index (self->items, position));
  g_ptr_array_index (self->items, position) = g_object_ref (member);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
  return TRUE;
}

/**
 * quorum_member_list_remove:
 *
 * Takes out the member with @member_id (after removing it on the server),
 * with one items_changed (position, 1, 0); "total" goes down by one.
 *
 * Returns: whether the member was in the list
 */
gboolean
quorum_member_list_remove (QuorumMemberList *self,
                           const char       *member_id)
{
  guint position;

  g_return_val_if_fail (QUORUM_IS_MEMBER_LIST (self), FALSE);
  g_return_val_if_fail (member_id != NULL, FALSE);

  if (!find_member (self, member_id, &position))
    return FALSE;

  g_ptr_array_remove_index (self->items, position);
  set_total (self, self->total > 0 ? self->total - 1 : 0);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  return TRUE;
}
