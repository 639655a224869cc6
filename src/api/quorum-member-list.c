/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-api-private.h"
#include "quorum-client.h"
#include "quorum-member.h"
#include "quorum-member-list.h"

/*
 * A GListModel over GET /organizations/{id}/members with random access:
 * the first page's answer tells the total, and from then on n_items is the
 * total, every position is there at once. A position whose page is not
 * held reads as a placeholder member (quorum_member_new_placeholder(), the
 * same object until the page arrives); the page holding it is fetched by
 * its position (the API's `offset`), and when it arrives each placeholder
 * handed out is filled in place with the member at its position
 * (quorum_member_fill(): "notify" on the object, no items_changed), so a
 * view re-draws the rows it has bound instead of binding the page's
 * positions again. Jumping to the end or to 75 % fetches the page
 * there, not the pages before it. Positions never move for that.
 *
 * Pages are ranges of positions (page-size long, aligned to it unless
 * remove() shifted them), kept sorted; only the ones that hold members or
 * wait for them exist. Asking for a position never fetches at once: it
 * schedules one dispatch (an idle), which
 *  - fetches every page still wanted, one request each;
 *  - cancels the fetch of a page nobody waits for any more, and forgets it.
 * "Waiting" is holding one of its placeholders: a bound row holds its item,
 * so a page the view scrolled past (its rows now show other positions) has
 * nobody left, and dragging the scrollbar across 100,000 members fetches
 * the pages where it stops, not every page it crossed. A caller that reads
 * a placeholder and wants it filled keeps its reference until it is.
 *
 * Memory stays bounded: at most "max-loaded" members are held (whole pages,
 * those read most recently; the page that just arrived always stays), plus
 * the placeholders of pages waited for.
 *
 * The server's list may change under us (others add or remove members): an
 * answer whose total is not ours means the positions no longer line up, so
 * rather than show a member twice or shift rows under the user, the list
 * starts over from the top, as on a query change.
 *
 * A failed page is the page's alone: "error" reports it (the view offers a
 * reload), other pages still come, and the page is fetched again the next
 * time it is read; once no failure is left, "error" is cleared. A failed
 * first page leaves the list empty until reload().
 *
 * Fetches hold the list weakly, so dropping it disposes it at once, which
 * cancels whatever it had in flight.
 *
 * A change of query or filter cancels every fetch in flight, empties the
 * list with one items_changed and starts again; a generation counter drops
 * any answer that belongs to an older query even if it raced the
 * cancellation.
 */

typedef struct _Fetch Fetch;

typedef struct
{
  guint      start;     /* position of its first member */
  guint      n_items;
  GPtrArray *items;     /* members once loaded; before, placeholders (NULL
                         * until read) */
  guint64    used;      /* when it was last read */
  Fetch     *fetch;     /* in flight, or NULL */
  guint      loaded : 1;
  guint      changed : 1; /* remove() moved positions while it was fetched:
                           * the answer may be for the old ones */
  guint      failed : 1;  /* its last fetch failed */
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

  GPtrArray    *pages;       /* Page, sorted by start, not overlapping */
  guint         n_items;     /* the total, once the first page is there */
  guint         n_loaded;    /* members held by loaded pages */
  guint         n_fetches;   /* pages in flight, the first one included */
  guint64       clock;
  guint         total;
  guint         generation;
  guint         dispatch_id;
  GCancellable *cancellable; /* every fetch of this generation */
  GError       *error;       /* the last failure, for the view */
  guint         started : 1;
  guint         first_failed : 1; /* only reload() asks again */
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

/* A fetch holds the list weakly: dropping the list's last reference
 * disposes it, which cancels every fetch in flight; their callbacks then
 * find no list (or an older generation) and only free the Fetch. A page
 * forgotten while its fetch is in flight clears fetch->page. */
struct _Fetch
{
  GWeakRef      self;
  guint         generation;
  Page         *page;        /* NULL for the first page, or once forgotten */
  GCancellable *cancellable; /* this fetch's own, chained to the list's */
  gulong        chain_id;
};

static void fetch_first (QuorumMemberList *self);
static void reset (QuorumMemberList *self);

static void
fetch_free (Fetch *fetch)
{
  g_weak_ref_clear (&fetch->self);
  g_clear_object (&fetch->cancellable);
  g_free (fetch);
}

static void
unref_nullable (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static void
page_free (gpointer data)
{
  Page *page = data;

  /* Its fetch, if any, is cancelled and finds no page when it returns. */
  if (page->fetch != NULL)
    {
      page->fetch->page = NULL;
      g_cancellable_cancel (page->fetch->cancellable);
    }
  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_free (page);
}

static Page *
page_new (guint start,
          guint n_items)
{
  Page *page = g_new0 (Page, 1);

  page->start = start;
  page->n_items = n_items;
  page->items = g_ptr_array_new_full (n_items, unref_nullable);
  g_ptr_array_set_size (page->items, n_items);
  return page;
}

/* Someone waits for the page: a placeholder of it is held beyond the
 * page's own reference (by a bound row, or a caller). */
static gboolean
page_is_wanted (Page *page)
{
  for (guint i = 0; i < page->items->len; i++)
    {
      GObject *item = g_ptr_array_index (page->items, i);

      if (item != NULL && g_atomic_int_get (&item->ref_count) > 1)
        return TRUE;
    }
  return FALSE;
}

/* The index of the first page that ends after @position (pages->len if
 * none): the one holding it, or the one after the gap it is in. */
static guint
page_search (QuorumMemberList *self,
             guint             position)
{
  guint low = 0;
  guint high = self->pages->len;

  while (low < high)
    {
      guint mid = low + (high - low) / 2;
      Page *page = g_ptr_array_index (self->pages, mid);

      if (page->start + page->n_items <= position)
        low = mid + 1;
      else
        high = mid;
    }
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

/* Loading: a page is in flight, or a read is about to ask for one. */
static void
update_loading (QuorumMemberList *self)
{
  set_loading (self, self->n_fetches > 0 || self->dispatch_id != 0);
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

/* Forgets the loaded pages read longest ago until at most max_loaded
 * members are held, never @keep (just arrived). The view holds its own
 * references to what it shows. */
static void
evict (QuorumMemberList *self,
       Page             *keep)
{
  while (self->n_loaded > self->max_loaded)
    {
      guint oldest = G_MAXUINT;

      for (guint i = 0; i < self->pages->len; i++)
        {
          Page *page = g_ptr_array_index (self->pages, i);

          if (page->loaded && page != keep &&
              (oldest == G_MAXUINT || page->used < ((Page *) g_ptr_array_index (self->pages, oldest))->used))
            oldest = i;
        }
      if (oldest == G_MAXUINT)
        return;

      self->n_loaded -= ((Page *) g_ptr_array_index (self->pages, oldest))->n_items;
      g_ptr_array_remove_index (self->pages, oldest);
    }
}

static void
chain_cancel_cb (GCancellable *list_cancellable,
                 GCancellable *fetch_cancellable)
{
  g_cancellable_cancel (fetch_cancellable);
}

static Fetch *
start_fetch (QuorumMemberList    *self,
             Page                *page,
             guint                offset,
             guint                limit,
             GAsyncReadyCallback  callback)
{
  Fetch *fetch = g_new0 (Fetch, 1);

  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();

  g_weak_ref_init (&fetch->self, self);
  fetch->generation = self->generation;
  fetch->page = page;
  fetch->cancellable = g_cancellable_new ();
  /* Cancelling the list's cancels this one (a query change, dispose). */
  fetch->chain_id = g_cancellable_connect (self->cancellable, G_CALLBACK (chain_cancel_cb),
                                           g_object_ref (fetch->cancellable), g_object_unref);
  self->n_fetches++;
  update_loading (self);
  g_debug ("Members: fetching %u–%u", offset, offset + limit);

  quorum_client_list_members_at_async (self->client, self->organization_id,
                                       &(QuorumMemberFilter) {
                                         .query = self->query,
                                         .role = self->role_filter,
                                         .status = self->status_filter,
                                         .inactive_days = self->inactive_days,
                                         .sort = self->sort,
                                       },
                                       offset, limit, fetch->cancellable, callback, fetch);
  return fetch;
}

/* The list's end of a fetch that returned (or was given up). */
static void
fetch_done (QuorumMemberList *self,
            Fetch            *fetch)
{
  if (self->cancellable != NULL)
    g_cancellable_disconnect (self->cancellable, fetch->chain_id);
  fetch->chain_id = 0;
  g_assert (self->n_fetches > 0);
  self->n_fetches--;
}

static void
schedule_dispatch (QuorumMemberList *self);

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
    fetch_first (self);

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
    fetch_first (self);

  if (position >= self->n_items)
    return NULL;

  index = page_search (self, position);
  page = index < self->pages->len ? g_ptr_array_index (self->pages, index) : NULL;
  if (page == NULL || page->start > position)
    {
      /* A gap: the page-size block around @position, cut to the gap. */
      guint start = position - position % self->page_size;
      guint end = MIN ((guint64) start + self->page_size, self->n_items);

      if (index > 0)
        {
          Page *before = g_ptr_array_index (self->pages, index - 1);

          start = MAX (start, before->start + before->n_items);
        }
      if (page != NULL)
        end = MIN (end, page->start);
      page = page_new (start, end - start);
      g_ptr_array_insert (self->pages, index, page);
    }
  page->used = ++self->clock;

  /* Also after a failed fetch (reported through "error"): reading the page
   * again is what tries again, so a transient failure heals as the view
   * comes back to it. */
  if (!page->loaded && page->fetch == NULL)
    {
      page->failed = FALSE;
      schedule_dispatch (self);
    }

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
  self->n_fetches = 0;
  g_clear_handle_id (&self->dispatch_id, g_source_remove);
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
}

static gboolean
any_page_failed (QuorumMemberList *self)
{
  for (guint i = 0; i < self->pages->len; i++)
    if (((Page *) g_ptr_array_index (self->pages, i))->failed)
      return TRUE;
  return FALSE;
}

static void page_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data);

/* Fetches the pages still waited for, forgets the others (cancelling
 * their fetches): see the comment at the top. */
static gboolean
dispatch_cb (gpointer data)
{
  QuorumMemberList *self = data;

  self->dispatch_id = 0;
  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 0; i < self->pages->len;)
    {
      Page *page = g_ptr_array_index (self->pages, i);

      if (page->loaded)
        {
          i++;
          continue;
        }
      if (!page_is_wanted (page))
        {
          if (page->fetch != NULL)
            {
              fetch_done (self, page->fetch);  /* its callback finds no page */
              g_debug ("Members %u–%u scrolled past: fetch cancelled", page->start,
                       page->start + page->n_items);
            }
          g_ptr_array_remove_index (self->pages, i);  /* cancels it */
          continue;
        }
      /* A failed page waits to be read again (get_item() clears it). */
      if (page->fetch == NULL && !page->failed)
        page->fetch = start_fetch (self, page, page->start, page->n_items, page_cb);
      i++;
    }
  update_loading (self);
  g_object_thaw_notify (G_OBJECT (self));
  return G_SOURCE_REMOVE;
}

static void
schedule_dispatch (QuorumMemberList *self)
{
  /* After the view is done binding rows for this frame: what it still
   * holds then is what it shows. */
  if (self->dispatch_id != 0)
    return;
  self->dispatch_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, dispatch_cb, self, NULL);
  update_loading (self);
}

/* The server's list is not the one we have (total or range changed). */
static gboolean
out_of_step (QuorumMemberList *self,
             Page             *page,
             GPtrArray        *items,
             guint             total)
{
  return total != self->n_items || items->len != page->n_items;
}

static void
page_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(QuorumMemberList) self = g_weak_ref_get (&fetch->self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  gboolean stale = self == NULL || fetch->generation != self->generation;
  Page *page = fetch->page;
  guint total = 0;

  items = quorum_client_list_members_finish (QUORUM_CLIENT (object), result, NULL, &total, &error);

  /* Forgotten (scrolled past; fetch_done() was called then) or stale. */
  if (stale || page == NULL)
    {
      fetch_free (fetch);
      return;
    }

  fetch_done (self, fetch);
  page->fetch = NULL;
  fetch_free (fetch);

  /* remove() moved the positions while this was in flight: the answer may
   * be for the old ones; ask again (the page's range is already the new). */
  if (page->changed)
    {
      page->changed = FALSE;
      schedule_dispatch (self);
      update_loading (self);
      return;
    }

  if (items == NULL)
    {
      page->failed = TRUE;
      g_object_freeze_notify (G_OBJECT (self));
      set_error (self, error);
      update_loading (self);
      g_object_thaw_notify (G_OBJECT (self));
      return;
    }

  if (out_of_step (self, page, items, total))
    {
      g_debug ("Members changed on the server (%u now, %u before); starting over", total, self->n_items);
      reset (self);
      return;
    }

  /* The placeholders handed out for these positions become their members
   * in place (each is the same position's: the page's range is the one
   * asked for, out_of_step() and page->changed said so above); a position
   * nobody read takes the member as it came. No items_changed: a bound
   * row sees its placeholder filled through "notify" and draws it again,
   * where items_changed would make the view bind (and lay out, and often
   * create) a row for every position of the page in one frame. */
  for (guint i = 0; i < items->len; i++)
    {
      QuorumMember *member = g_ptr_array_index (items, i);
      QuorumMember *placeholder = g_ptr_array_index (page->items, i);

      if (placeholder != NULL)
        quorum_member_fill (placeholder, member);
      else
        g_ptr_array_index (page->items, i) = g_object_ref (member);
    }
  page->loaded = TRUE;
  page->failed = FALSE;
  page->used = ++self->clock;
  self->n_loaded += page->n_items;
  evict (self, page);

  g_object_freeze_notify (G_OBJECT (self));
  /* Healed: no failure left to report. */
  if (!any_page_failed (self))
    set_error (self, NULL);
  update_loading (self);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
first_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(QuorumMemberList) self = g_weak_ref_get (&fetch->self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  guint total = 0;
  gboolean stale = self == NULL || fetch->generation != self->generation;
  Page *page;

  items = quorum_client_list_members_finish (QUORUM_CLIENT (object), result, NULL, &total, &error);

  if (stale)
    {
      fetch_free (fetch);
      return;
    }
  fetch_done (self, fetch);
  fetch_free (fetch);

  g_object_freeze_notify (G_OBJECT (self));

  if (items == NULL)
    {
      self->first_failed = TRUE;
      set_error (self, error);
      update_loading (self);
      g_object_thaw_notify (G_OBJECT (self));
      return;
    }

  /* The total is the length; a server that counts fewer than it sent is
   * not believed. */
  self->n_items = MAX (total, items->len);
  if (items->len > 0)
    {
      page = g_new0 (Page, 1);
      page->start = 0;
      page->n_items = items->len;
      page->items = g_ptr_array_new_full (items->len, g_object_unref);
      for (guint i = 0; i < items->len; i++)
        g_ptr_array_add (page->items, g_object_ref (g_ptr_array_index (items, i)));
      page->loaded = TRUE;
      page->used = ++self->clock;
      g_ptr_array_add (self->pages, page);
      self->n_loaded += page->n_items;
      evict (self, page);
    }

  set_total (self, self->n_items);
  set_complete (self, TRUE);
  update_loading (self);

  if (self->n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, self->n_items);

  g_object_thaw_notify (G_OBJECT (self));
}

/* The first page: its answer gives the total, the list's length. */
static void
fetch_first (QuorumMemberList *self)
{
  self->started = TRUE;

  if (self->complete || self->first_failed || self->n_fetches > 0)
    return;

  start_fetch (self, NULL, 0, self->page_size, first_cb);
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
  set_total (self, 0);
  set_complete (self, FALSE);
  self->first_failed = FALSE;
  set_error (self, NULL);
  update_loading (self);

  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);

  if (self->started)
    fetch_first (self);
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
  evict (self, NULL);
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
 * Fetches the first page if nobody asked yet (it tells the list's length);
 * every other position is there once it has: reading it fetches its page.
 */
void
quorum_member_list_load_more (QuorumMemberList *self)
{
  g_return_if_fail (QUORUM_IS_MEMBER_LIST (self));

  fetch_first (self);
}

/* Only pages held in memory: a forgotten one reads as placeholders, and is
 * fetched as the server has it now. The view may still show old objects of
 * a forgotten page (max-loaded is well above what a view binds, so only
 * far from what it shows). */
static gboolean
find_member (QuorumMemberList *self,
             const char       *member_id,
             guint            *page_index,
             guint            *offset)
{
  for (guint p = 0; p < self->pages->len; p++)
    {
      Page *page = g_ptr_array_index (self->pages, p);

      if (!page->loaded)
        continue;
      for (guint i = 0; i < page->n_items; i++)
        if (g_strcmp0 (quorum_member_get_id (g_ptr_array_index (page->items, i)), member_id) == 0)
          {
            *page_index = p;
            *offset = i;
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
 *
 * Returns: whether the member was in the list's pages held in memory
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
  g_object_unref (g_ptr_array_index (page->items, offset));
  g_ptr_array_index (page->items, offset) = g_object_ref (member);
  g_list_model_items_changed (G_LIST_MODEL (self), page->start + offset, 1, 1);
  return TRUE;
}

/**
 * quorum_member_list_remove:
 *
 * Takes out the member with @member_id (after removing it on the server),
 * with one items_changed (position, 1, 0); "total" goes down by one. The
 * positions after it move up by one, as they do on the server; pages in
 * flight there are asked for again.
 *
 * Returns: whether the member was in the list's pages held in memory
 */
gboolean
quorum_member_list_remove (QuorumMemberList *self,
                           const char       *member_id)
{
  guint index;
  guint offset;
  guint position;
  Page *page;

  g_return_val_if_fail (QUORUM_IS_MEMBER_LIST (self), FALSE);
  g_return_val_if_fail (member_id != NULL, FALSE);

  if (!find_member (self, member_id, &index, &offset))
    return FALSE;

  page = g_ptr_array_index (self->pages, index);
  position = page->start + offset;
  g_ptr_array_remove_index (page->items, offset);
  page->n_items--;
  self->n_loaded--;
  for (guint p = index + 1; p < self->pages->len; p++)
    {
      Page *later = g_ptr_array_index (self->pages, p);

      later->start--;
      if (later->fetch != NULL)
        later->changed = TRUE;
    }
  if (page->n_items == 0)
    g_ptr_array_remove_index (self->pages, index);
  self->n_items--;

  set_total (self, self->total > 0 ? self->total - 1 : 0);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  return TRUE;
}

/* For tests: pages the list keeps (held, waited for or in flight). */
guint
_quorum_member_list_get_n_pages (QuorumMemberList *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER_LIST (self), 0);

  return self->pages->len;
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
