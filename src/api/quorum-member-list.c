/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-api-private.h"
#include "quorum-client.h"
#include "quorum-member.h"
#include "quorum-member-list.h"

/*
 * A GListModel over GET /organizations/{id}/members that grows as pages
 * arrive: n_items is the number of members loaded so far, "total" what the
 * server counts. When the view asks for an item within half a page of the
 * end, the next page is fetched.
 *
 * Memory stays bounded however far the view scrolls: every page keeps what
 * it takes to fetch it again and to find its members (the cursor that asked
 * for it, its count, the ids of its members packed in one string), and only
 * the pages the view read most recently keep their member objects, at most
 * "max-loaded" of them (whole pages). replace() and remove() find a member
 * on a dropped page by its id: the view may still show the old object there.
 * A position on a dropped page reads as a placeholder member
 * (quorum_member_new_placeholder(), the same object until the page is back)
 * and fetches the page again with the same cursor and its count as limit;
 * when it arrives one items_changed (start, n, n) swaps the members in.
 * Positions never move for that.
 *
 * The server's cursors are keyset cursors (after this member, in list
 * order), so the same cursor and limit give back the same range as long as
 * nobody changed it. If the refetched range is not the one we had (other
 * members or another order: someone else added, removed or suspended
 * members meanwhile, and a suspended member moves to the end), the pages
 * after it no longer line up with their positions. Rather than shift rows
 * under the user or show a member twice, the list then starts over from the
 * top, as on a query change.
 *
 * A failed refetch is the page's alone: "error" reports it (the view offers
 * a reload), the list still grows and other pages still come back, and the
 * page is fetched again the next time the view reads it; once no failure is
 * left, "error" is cleared. A failed append stops the growth until reload().
 *
 * Fetches hold the list weakly, so dropping it disposes it at once, which
 * cancels whatever it had in flight.
 *
 * A change of query or filter cancels every fetch in flight, empties the
 * list with one items_changed and starts again; a generation counter drops
 * any answer that belongs to an older query even if it raced the
 * cancellation.
 */

typedef struct
{
  char      *cursor;    /* what fetched it; NULL for the first page */
  char      *ids;       /* the ids of its members, in order, each ending in
                         * a NUL: kept when the members are dropped, so that
                         * replace() and remove() find them and a refetch is
                         * checked to cover the same range */
  gsize      ids_len;   /* bytes in ids, NULs included */
  guint      start;     /* position of its first member */
  guint      n_items;
  GPtrArray *items;     /* NULL when dropped; else members, or placeholders
                         * (NULL until read) while it is fetched again */
  guint64    used;      /* when the view last read it */
  guint      loaded : 1;
  guint      fetching : 1;
  guint      changed : 1; /* by replace() or remove() while fetching: the
                           * answer may predate the change */
  guint      failed : 1;  /* its last refetch failed */
} Page;

struct _QuorumMemberList
{
  GObject       parent_instance;

  QuorumClient *client;
  char         *organization_id;
  char         *query;
  QuorumRole    role_filter;
  char         *status_filter;
  guint         inactive_days;
  char         *sort;
  guint         page_size;
  guint         max_loaded;

  GPtrArray    *pages;       /* Page, in list order */
  guint         n_items;
  guint         n_loaded;    /* members held by loaded pages */
  guint64       clock;
  char         *next_cursor;
  guint         total;
  guint         generation;
  guint         n_refetches; /* dropped pages being fetched again */
  GCancellable *cancellable; /* every fetch of this generation */
  GError       *error;       /* the last failure, for the view */
  guint         started : 1;
  guint         append_failed : 1; /* only reload() appends again */
  guint         appending : 1;
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
  PROP_MAX_LOADED,
  PROP_QUERY,
  PROP_ROLE_FILTER,
  PROP_STATUS_FILTER,
  PROP_INACTIVE_DAYS,
  PROP_SORT,
  PROP_TOTAL,
  PROP_LOADING,
  PROP_COMPLETE,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define APPEND G_MAXUINT

/* A fetch holds the list weakly: dropping the list's last reference
 * disposes it, which cancels every fetch in flight; their callbacks then find
 * no list (or an older generation) and only free the Fetch. */
typedef struct
{
  GWeakRef          self;
  guint             generation;
  guint             page;       /* index in pages, or APPEND */
} Fetch;

static void fetch_page (QuorumMemberList *self);
static void refetch_page (QuorumMemberList *self,
                          guint             index);
static void reset (QuorumMemberList *self);

static void
page_free (gpointer data)
{
  Page *page = data;

  g_free (page->cursor);
  g_free (page->ids);
  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_free (page);
}

/* The ids of @members packed one after the other, each ending in a NUL:
 * one allocation a page, about the length of an id a member. */
static char *
pack_ids (GPtrArray *members,
          gsize     *len)
{
  char *ids;
  char *end;

  *len = 0;
  for (guint i = 0; i < members->len; i++)
    *len += strlen (quorum_member_get_id (g_ptr_array_index (members, i))) + 1;
  ids = end = g_malloc (MAX (*len, 1));
  for (guint i = 0; i < members->len; i++)
    end = g_stpcpy (end, quorum_member_get_id (g_ptr_array_index (members, i))) + 1;
  return ids;
}

static void
page_set_ids (Page      *page,
              GPtrArray *members)
{
  g_free (page->ids);
  page->ids = pack_ids (members, &page->ids_len);
}

/* The offset of @member_id in @page, or -1. */
static int
page_find_id (Page       *page,
              const char *member_id)
{
  const char *id = page->ids;

  for (guint i = 0; i < page->n_items; i++)
    {
      if (strcmp (id, member_id) == 0)
        return (int) i;
      id += strlen (id) + 1;
    }
  return -1;
}

static void
page_remove_id (Page  *page,
                guint  offset)
{
  char *id = page->ids;
  gsize len;

  for (guint i = 0; i < offset; i++)
    id += strlen (id) + 1;
  len = strlen (id) + 1;
  memmove (id, id + len, page->ids_len - (gsize) (id - page->ids) - len);
  page->ids_len -= len;
}

static void
unref_nullable (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

/* The index of the page holding @position (< n_items). */
static guint
page_at (QuorumMemberList *self,
         guint             position)
{
  guint low = 0;
  guint high = self->pages->len;

  g_assert (position < self->n_items);

  /* The last page that starts at or before @position... */
  while (high - low > 1)
    {
      guint mid = low + (high - low) / 2;

      if (((Page *) g_ptr_array_index (self->pages, mid))->start <= position)
        low = mid;
      else
        high = mid;
    }
  /* ...past pages emptied by remove(), which share their start with the
   * next one. */
  while (position >= ((Page *) g_ptr_array_index (self->pages, low))->start +
                     ((Page *) g_ptr_array_index (self->pages, low))->n_items)
    low++;
  return low;
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
update_loading (QuorumMemberList *self)
{
  set_loading (self, self->appending || self->n_refetches > 0);
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

/* Drops the members of the pages the view read longest ago until at most
 * max_loaded are held, never the page @keep (just arrived), nor one the
 * view is still bound to: that is the caller's business, the view holds its
 * own references. */
static void
evict (QuorumMemberList *self,
       guint             keep)
{
  while (self->n_loaded > self->max_loaded)
    {
      Page *oldest = NULL;

      for (guint i = 0; i < self->pages->len; i++)
        {
          Page *page = g_ptr_array_index (self->pages, i);

          if (page->loaded && i != keep && (oldest == NULL || page->used < oldest->used))
            oldest = page;
        }
      if (oldest == NULL)
        return;

      g_clear_pointer (&oldest->items, g_ptr_array_unref);
      oldest->loaded = FALSE;
      self->n_loaded -= oldest->n_items;
    }
}

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

  return self->n_items;
}

static gpointer
quorum_member_list_get_item (GListModel *model,
                             guint       position)
{
  QuorumMemberList *self = QUORUM_MEMBER_LIST (model);
  guint index;
  Page *page;
  gpointer *item;

  if (!self->started)
    fetch_page (self);

  if (position >= self->n_items)
    return NULL;

  if (position + MAX (self->page_size / 2, 1) >= self->n_items)
    quorum_member_list_load_more (self);

  index = page_at (self, position);
  page = g_ptr_array_index (self->pages, index);
  page->used = ++self->clock;

  if (page->items == NULL)
    {
      page->items = g_ptr_array_new_full (page->n_items, unref_nullable);
      g_ptr_array_set_size (page->items, page->n_items);
    }
  /* Also after a failed refetch (reported through "error"): reading the
   * page again is what tries again, so a transient failure heals as the
   * view comes back to it. */
  if (!page->loaded && !page->fetching)
    refetch_page (self, index);

  item = &g_ptr_array_index (page->items, position - page->start);
  if (*item == NULL)
    *item = quorum_member_new_placeholder ();
  return g_object_ref (*item);
}

static void
quorum_member_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = quorum_member_list_get_item_type;
  iface->get_n_items = quorum_member_list_get_n_items;
  iface->get_item = quorum_member_list_get_item;
}

static void
cancel_fetch (QuorumMemberList *self)
{
  self->generation++;
  self->appending = FALSE;
  self->n_refetches = 0;
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
}

static void
start_fetch (QuorumMemberList *self,
             const char       *cursor,
             guint             limit,
             guint             page,
             GAsyncReadyCallback callback)
{
  Fetch *fetch = g_new0 (Fetch, 1);

  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();

  g_weak_ref_init (&fetch->self, self);
  fetch->generation = self->generation;
  fetch->page = page;

  quorum_client_list_members_filtered_async (self->client, self->organization_id,
                                             &(QuorumMemberFilter) {
                                               .query = self->query,
                                               .role = self->role_filter,
                                               .status = self->status_filter,
                                               .inactive_days = self->inactive_days,
                                               .sort = self->sort,
                                             },
                                             cursor, limit, self->cancellable, callback, fetch);
}

static void
append_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(QuorumMemberList) self = g_weak_ref_get (&fetch->self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *next_cursor = NULL;
  guint total = 0;
  gboolean stale = self == NULL || fetch->generation != self->generation;
  Page *page;

  g_weak_ref_clear (&fetch->self);
  g_free (fetch);

  items = quorum_client_list_members_finish (QUORUM_CLIENT (object), result, &next_cursor, &total, &error);

  if (stale)
    return;

  self->appending = FALSE;
  g_object_freeze_notify (G_OBJECT (self));

  if (items == NULL)
    {
      self->append_failed = TRUE;
      set_error (self, error);
      update_loading (self);
      g_object_thaw_notify (G_OBJECT (self));
      return;
    }

  if (items->len > 0)
    {
      page = g_new0 (Page, 1);
      page->cursor = g_strdup (self->next_cursor);
      page->start = self->n_items;
      page->n_items = items->len;
      page->items = g_ptr_array_new_full (items->len, g_object_unref);
      for (guint i = 0; i < items->len; i++)
        g_ptr_array_add (page->items, g_object_ref (g_ptr_array_index (items, i)));
      page->loaded = TRUE;
      page->used = ++self->clock;
      page_set_ids (page, items);
      g_ptr_array_add (self->pages, page);
      self->n_items += page->n_items;
      self->n_loaded += page->n_items;
      evict (self, self->pages->len - 1);
    }

  g_free (self->next_cursor);
  self->next_cursor = g_steal_pointer (&next_cursor);

  /* A cursor that brings nothing new would loop forever: stop there. */
  if (items->len == 0)
    g_clear_pointer (&self->next_cursor, g_free);

  set_total (self, MAX (total, self->n_items));
  set_complete (self, self->next_cursor == NULL);
  update_loading (self);

  if (items->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), self->n_items - items->len, 0, items->len);

  g_object_thaw_notify (G_OBJECT (self));
}

static void
fetch_page (QuorumMemberList *self)
{
  self->started = TRUE;

  if (self->appending || self->append_failed)
    return;
  if (self->n_items > 0 && self->next_cursor == NULL)
    return;

  self->appending = TRUE;
  update_loading (self);
  start_fetch (self, self->next_cursor, self->page_size, APPEND, append_cb);
}

/* The same members in the same order as when the page was dropped (with
 * what replace() and remove() did since). */
static gboolean
same_range (Page      *page,
            GPtrArray *items)
{
  g_autofree char *ids = NULL;
  gsize len;

  if (items->len != page->n_items)
    return FALSE;
  ids = pack_ids (items, &len);
  return len == page->ids_len && memcmp (ids, page->ids, len) == 0;
}

static gboolean
any_page_failed (QuorumMemberList *self)
{
  for (guint i = 0; i < self->pages->len; i++)
    if (((Page *) g_ptr_array_index (self->pages, i))->failed)
      return TRUE;
  return FALSE;
}

static void
refetch_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(QuorumMemberList) self = g_weak_ref_get (&fetch->self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  gboolean stale = self == NULL || fetch->generation != self->generation;
  guint index = fetch->page;
  gboolean changed;
  Page *page;

  g_weak_ref_clear (&fetch->self);
  g_free (fetch);

  items = quorum_client_list_members_finish (QUORUM_CLIENT (object), result, NULL, NULL, &error);

  if (stale)
    return;

  page = g_ptr_array_index (self->pages, index);
  page->fetching = FALSE;
  changed = page->changed;
  page->changed = FALSE;
  self->n_refetches--;

  /* remove() may have emptied it meanwhile; nothing to show then. */
  if (page->n_items == 0)
    {
      page->failed = FALSE;
      update_loading (self);
      return;
    }

  /* replace() or remove() changed the page while this was in flight: the
   * answer may be from before, ask again (with the new count). */
  if (changed)
    {
      refetch_page (self, index);
      return;
    }

  /* The failure is the page's: the list still grows and its other pages
   * still come back; this one is fetched again when the view reads it
   * again. "error" tells the view (which offers a reload). */
  if (items == NULL)
    {
      page->failed = TRUE;
      g_object_freeze_notify (G_OBJECT (self));
      set_error (self, error);
      update_loading (self);
      g_object_thaw_notify (G_OBJECT (self));
      return;
    }

  if (!same_range (page, items))
    {
      g_debug ("Members changed on the server under a dropped page; starting over");
      reset (self);
      return;
    }

  g_clear_pointer (&page->items, g_ptr_array_unref);
  page->items = g_ptr_array_new_full (items->len, g_object_unref);
  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (page->items, g_object_ref (g_ptr_array_index (items, i)));
  page->loaded = TRUE;
  page->failed = FALSE;
  self->n_loaded += page->n_items;
  evict (self, index);

  g_object_freeze_notify (G_OBJECT (self));
  /* Healed: no failure left to report. */
  if (!self->append_failed && !any_page_failed (self))
    set_error (self, NULL);
  update_loading (self);
  g_list_model_items_changed (G_LIST_MODEL (self), page->start, page->n_items, page->n_items);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Fetches a dropped page again, by the cursor that fetched it first and
 * with its count as limit, so the answer covers the same range. */
static void
refetch_page (QuorumMemberList *self,
              guint             index)
{
  Page *page = g_ptr_array_index (self->pages, index);

  g_assert (!page->loaded && !page->fetching && page->n_items > 0);

  page->fetching = TRUE;
  self->n_refetches++;
  update_loading (self);
  start_fetch (self, page->cursor, page->n_items, index, refetch_cb);
}

/* Empties the list (one items_changed) and, if it was in use, starts over. */
static void
reset (QuorumMemberList *self)
{
  guint removed = self->n_items;

  cancel_fetch (self);

  g_object_freeze_notify (G_OBJECT (self));
  g_ptr_array_set_size (self->pages, 0);
  self->n_items = 0;
  self->n_loaded = 0;
  g_clear_pointer (&self->next_cursor, g_free);
  set_total (self, 0);
  set_complete (self, FALSE);
  self->append_failed = FALSE;
  set_error (self, NULL);
  update_loading (self);

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

  g_clear_pointer (&self->pages, g_ptr_array_unref);
  g_clear_pointer (&self->organization_id, g_free);
  g_clear_pointer (&self->query, g_free);
  g_clear_pointer (&self->status_filter, g_free);
  g_clear_pointer (&self->sort, g_free);
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

    case PROP_MAX_LOADED:
      g_value_set_uint (value, self->max_loaded);
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

    case PROP_INACTIVE_DAYS:
      g_value_set_uint (value, self->inactive_days);
      break;

    case PROP_SORT:
      g_value_set_string (value, self->sort);
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

    case PROP_MAX_LOADED:
      quorum_member_list_set_max_loaded (self, g_value_get_uint (value));
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

    case PROP_INACTIVE_DAYS:
      quorum_member_list_set_inactive_days (self, g_value_get_uint (value));
      break;

    case PROP_SORT:
      quorum_member_list_set_sort (self, g_value_get_string (value));
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
  /**
   * QuorumMemberList:max-loaded:
   *
   * How many members the list holds in memory at most (whole pages, those
   * the view read most recently; the page that just arrived always stays).
   * Positions on the other pages read as placeholders and are fetched again.
   * Keep it well above the rows a view shows at once.
   */
  properties[PROP_MAX_LOADED] =
    g_param_spec_uint ("max-loaded", NULL, NULL,
                       1, G_MAXUINT, QUORUM_MEMBER_LIST_DEFAULT_MAX_LOADED,
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
  /**
   * QuorumMemberList:inactive-days:
   *
   * 0: any; else only members not active for that many days (or never).
   */
  properties[PROP_INACTIVE_DAYS] =
    g_param_spec_uint ("inactive-days", NULL, NULL,
                       0, QUORUM_MEMBER_FILTER_MAX_INACTIVE_DAYS, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * QuorumMemberList:sort:
   *
   * The API's word for the order: %NULL or "name" (the default), or
   * "last_active" (never active first, then the longest inactive).
   */
  properties[PROP_SORT] =
    g_param_spec_string ("sort", NULL, NULL,
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
  self->pages = g_ptr_array_new_with_free_func (page_free);
  self->page_size = QUORUM_MEMBER_LIST_DEFAULT_PAGE_SIZE;
  self->max_loaded = QUORUM_MEMBER_LIST_DEFAULT_MAX_LOADED;
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

guint
quorum_member_list_get_max_loaded (QuorumMemberList *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER_LIST (self), 0);

  return self->max_loaded;
}

void
quorum_member_list_set_max_loaded (QuorumMemberList *self,
                                   guint             max_loaded)
{
  g_return_if_fail (QUORUM_IS_MEMBER_LIST (self));
  g_return_if_fail (max_loaded >= 1);

  if (self->max_loaded == max_loaded)
    return;
  self->max_loaded = max_loaded;
  evict (self, G_MAXUINT);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_LOADED]);
}

/**
 * quorum_member_list_get_n_loaded:
 *
 * Returns: how many members the list holds in memory right now (the rest of
 *   its items are placeholders until fetched again)
 */
guint
quorum_member_list_get_n_loaded (QuorumMemberList *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER_LIST (self), 0);

  return self->n_loaded;
}

/* An empty text filters nothing, as NULL does; a change starts the list over. */
static void
set_filter_text (QuorumMemberList  *self,
                 char             **field,
                 const char        *text,
                 guint              prop_id)
{
  if (text != NULL && *text == '\0')
    text = NULL;
  if (g_strcmp0 (*field, text) == 0)
    return;

  g_free (*field);
  *field = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
  reset (self);
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

  set_filter_text (self, &self->query, query, PROP_QUERY);
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

  set_filter_text (self, &self->status_filter, status, PROP_STATUS_FILTER);
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
 * last next page failed (then only reload() tries again).
 */
void
quorum_member_list_load_more (QuorumMemberList *self)
{
  g_return_if_fail (QUORUM_IS_MEMBER_LIST (self));

  if (self->next_cursor == NULL && self->started)
    return;
  fetch_page (self);
}

/* Every page is searched, dropped ones too (by the ids they keep): the view
 * may still show the old objects of a dropped page, the caller acts on a
 * member the user sees, and the page's range must follow (a removed member
 * is not in the refetch's answer). */
static gboolean
find_member (QuorumMemberList *self,
             const char       *member_id,
             guint            *page_index,
             guint            *offset)
{
  for (guint p = 0; p < self->pages->len; p++)
    {
      int i = page_find_id (g_ptr_array_index (self->pages, p), member_id);

      if (i >= 0)
        {
          *page_index = p;
          *offset = (guint) i;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * quorum_member_list_replace:
 * @member: the member as the server now has it (after a role or status change)
 *
 * Puts @member where the member with the same id is, with one
 * items_changed (position, 1, 1), so the row updates without a reload.
 * On a dropped page too: @member reads there until the page is fetched
 * again (reading it does that), as the server has it.
 *
 * Returns: whether the member was in the list
 */
gboolean
quorum_member_list_replace (QuorumMemberList *self,
                            QuorumMember     *member)
{
  guint index;
  guint offset;
  Page *page;

  g_return_val_if_fail (QUORUM_IS_MEMBER_LIST (self), FALSE);
  g_return_val_if_fail (QUORUM_IS_MEMBER (member), FALSE);
  g_return_val_if_fail (!quorum_member_is_placeholder (member), FALSE);

  if (!find_member (self, quorum_member_get_id (member), &index, &offset))
    return FALSE;

  page = g_ptr_array_index (self->pages, index);
  if (page->items == NULL)
    {
      page->items = g_ptr_array_new_full (page->n_items, unref_nullable);
      g_ptr_array_set_size (page->items, page->n_items);
    }
  unref_nullable (g_ptr_array_index (page->items, offset));
  g_ptr_array_index (page->items, offset) = g_object_ref (member);
  if (page->fetching)
    page->changed = TRUE;
  g_list_model_items_changed (G_LIST_MODEL (self), page->start + offset, 1, 1);
  return TRUE;
}

/**
 * quorum_member_list_remove:
 *
 * Takes out the member with @member_id (after removing it on the server),
 * with one items_changed (position, 1, 0); "total" goes down by one. Its
 * page (held in memory or dropped) then holds one member less, and is
 * fetched again with that count.
 *
 * Returns: whether the member was in the list
 */
gboolean
quorum_member_list_remove (QuorumMemberList *self,
                           const char       *member_id)
{
  guint index;
  guint offset;
  Page *page;

  g_return_val_if_fail (QUORUM_IS_MEMBER_LIST (self), FALSE);
  g_return_val_if_fail (member_id != NULL, FALSE);

  if (!find_member (self, member_id, &index, &offset))
    return FALSE;

  page = g_ptr_array_index (self->pages, index);
  if (page->items != NULL)
    g_ptr_array_remove_index (page->items, offset);
  page_remove_id (page, offset);
  page->n_items--;
  if (page->loaded)
    self->n_loaded--;
  if (page->fetching)
    page->changed = TRUE;
  for (guint p = index + 1; p < self->pages->len; p++)
    ((Page *) g_ptr_array_index (self->pages, p))->start--;
  self->n_items--;

  set_total (self, self->total > 0 ? self->total - 1 : 0);
  g_list_model_items_changed (G_LIST_MODEL (self), page->start + offset, 1, 0);
  return TRUE;
}

guint
quorum_member_list_get_inactive_days (QuorumMemberList *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER_LIST (self), 0);

  return self->inactive_days;
}

/**
 * quorum_member_list_set_inactive_days:
 * @days: 0 for any member; 1–3650 for members not active for that many days
 *
 * A change starts the list over, as a query change does.
 */
void
quorum_member_list_set_inactive_days (QuorumMemberList *self,
                                      guint             days)
{
  g_return_if_fail (QUORUM_IS_MEMBER_LIST (self));
  g_return_if_fail (days <= QUORUM_MEMBER_FILTER_MAX_INACTIVE_DAYS);

  if (self->inactive_days == days)
    return;
  self->inactive_days = days;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INACTIVE_DAYS]);
  reset (self);
}

const char *
quorum_member_list_get_sort (QuorumMemberList *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER_LIST (self), NULL);

  return self->sort;
}

/**
 * quorum_member_list_set_sort:
 * @sort: (nullable): "name" (or %NULL) or "last_active"
 */
void
quorum_member_list_set_sort (QuorumMemberList *self,
                             const char       *sort)
{
  g_return_if_fail (QUORUM_IS_MEMBER_LIST (self));

  if (g_strcmp0 (sort, "name") == 0)
    sort = NULL;
  set_filter_text (self, &self->sort, sort, PROP_SORT);
}
