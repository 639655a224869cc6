/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "quorum-api.h"
#include "quorum-api-private.h"
#include "quorum-test-server.h"
#include "quorum-test-wait.h"
#include "quorum-test-settings.h"

/*
 * QuorumMemberList: paging through 1,000 members of the real server's demo
 * organization, search and filters, and (against a SoupServer inside the
 * test, which can hold a page back) what happens to a fetch in flight when
 * the query changes. A shadow copy replays every items_changed, so a wrong
 * position or count shows as a difference from the model.
 *
 * With a small "max-loaded", pages far behind are dropped (their member
 * objects freed), read again as placeholders, fetched again with exactly
 * one items_changed over their range, and a range the server changed
 * meanwhile starts the list over instead of shifting rows. Members changed
 * or removed by the app on a dropped page are found there too, a refetch
 * that fails once heals when the page is read again, and dropping the list
 * finalizes it at once and cancels its request.
 */

static QuorumTestServer *server;
static QuorumClient *ada;
static char *acme_id;
static char *initech_id;

typedef struct
{
  GPtrArray *items;
  guint      resets;
  guint      signals;
} Shadow;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Shadow     *shadow)
{
  g_assert_cmpuint (position + removed, <=, shadow->items->len);

  shadow->signals++;
  if (removed > 0 && position == 0 && removed == shadow->items->len && added == 0)
    shadow->resets++;

  g_ptr_array_remove_range (shadow->items, position, removed);
  /* Placeholders, read later by shadow_fill(): reading them here would
   * itself ask for the next page. */
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (shadow->items, position + i, NULL);
}

/* The copy built from the signals is the model, item for item: items read
 * earlier must still sit where the signals put them. */
static void
shadow_fill (Shadow     *shadow,
             GListModel *model)
{
  g_assert_cmpuint (shadow->items->len, ==, g_list_model_get_n_items (model));
  for (guint i = 0; i < shadow->items->len; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (g_ptr_array_index (shadow->items, i) == NULL)
        g_ptr_array_index (shadow->items, i) = g_object_ref (item);
      g_assert_true (item == g_ptr_array_index (shadow->items, i));
    }
}

static void
unref_nullable (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static Shadow *
shadow_new (QuorumMemberList *list)
{
  Shadow *shadow = g_new0 (Shadow, 1);

  shadow->items = g_ptr_array_new_with_free_func (unref_nullable);
  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), shadow);
  return shadow;
}

static void
shadow_free (Shadow *shadow)
{
  g_ptr_array_unref (shadow->items);
  g_free (shadow);
}

static void
wait_idle (QuorumMemberList *list)
{
  quorum_test_wait_for (!quorum_member_list_get_loading (list), QUORUM_TEST_WAIT_SECONDS);
}

/* Scrolls to the end the way a view does: asking for the last items. */
static void
load_all (QuorumMemberList *list,
          Shadow           *shadow)
{
  GListModel *model = G_LIST_MODEL (list);

  g_list_model_get_n_items (model);
  wait_idle (list);
  while (!quorum_member_list_get_complete (list))
    {
      guint n = g_list_model_get_n_items (model);
      g_autoptr(QuorumMember) last = g_list_model_get_item (model, n - 1);

      g_assert_nonnull (last);
      g_assert_true (quorum_member_list_get_loading (list));
      wait_idle (list);
      g_assert_null (quorum_member_list_get_error (list));
      g_assert_cmpuint (g_list_model_get_n_items (model), >, n);
      shadow_fill (shadow, model);
    }
}

static gboolean
contains_casefold (const char *haystack,
                   const char *needle)
{
  g_autofree char *h = g_utf8_casefold (haystack, -1);
  g_autofree char *n = g_utf8_casefold (needle, -1);

  return strstr (h, n) != NULL;
}

static void
test_paginate_1000 (void)
{
  g_autoptr(QuorumMemberList) list = quorum_member_list_new (ada, acme_id);
  GListModel *model = G_LIST_MODEL (list);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Shadow *shadow = shadow_new (list);
  gboolean seen_suspended = FALSE;

  g_assert_true (g_list_model_get_item_type (model) == QUORUM_TYPE_MEMBER);
  g_assert_cmpuint (quorum_member_list_get_page_size (list), ==, 100);

  /* Nothing loaded, nothing fetched until a view asks. */
  g_assert_false (quorum_member_list_get_loading (list));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_true (quorum_member_list_get_loading (list));
  wait_idle (list);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 100);
  g_assert_cmpuint (quorum_member_list_get_total (list), ==, 1000);

  load_all (list, shadow);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1000);
  g_assert_cmpuint (shadow->signals, ==, 10);
  g_assert_null (g_list_model_get_item (model, 1000));

  shadow_fill (shadow, model);
  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr(QuorumMember) member = g_list_model_get_item (model, i);

      g_assert_true (member == g_ptr_array_index (shadow->items, i));
      g_assert_true (g_hash_table_add (ids, g_strdup (quorum_member_get_id (member))));

      /* Active before suspended. */
      if (g_str_equal (quorum_member_get_status (member), "suspended"))
        seen_suspended = TRUE;
      else
        g_assert_false (seen_suspended);
    }
  g_assert_true (seen_suspended);
  shadow_free (shadow);
}

static void
test_search_and_filters (void)
{
  g_autoptr(QuorumMemberList) list = quorum_member_list_new (ada, acme_id);
  GListModel *model = G_LIST_MODEL (list);
  Shadow *shadow = shadow_new (list);
  guint n;

  quorum_member_list_set_page_size (list, 200);
  load_all (list, shadow);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1000);
  shadow->signals = 0;

  /* A query empties the list with one exact items_changed, then fills it
   * with matches only. */
  quorum_member_list_set_query (list, "ADA");
  g_assert_cmpuint (shadow->resets, ==, 1);
  g_assert_cmpuint (shadow->signals, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  load_all (list, shadow);
  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, >=, 1);
  g_assert_cmpuint (n, <, 1000);
  g_assert_cmpuint (n, ==, quorum_member_list_get_total (list));
  shadow_fill (shadow, model);
  for (guint i = 0; i < n; i++)
    {
      QuorumMember *member = g_ptr_array_index (shadow->items, i);

      g_assert_true (contains_casefold (quorum_member_get_name (member), "ada") ||
                     contains_casefold (quorum_member_get_email (member), "ada"));
    }

  quorum_member_list_set_query (list, NULL);
  quorum_member_list_set_role_filter (list, QUORUM_ROLE_ADMIN);
  g_assert_cmpuint (shadow->resets, ==, 2);
  load_all (list, shadow);
  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, >, 0);
  shadow_fill (shadow, model);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (quorum_member_get_role (g_ptr_array_index (shadow->items, i)), ==, QUORUM_ROLE_ADMIN);

  quorum_member_list_set_role_filter (list, QUORUM_ROLE_NONE);
  quorum_member_list_set_status_filter (list, "suspended");
  load_all (list, shadow);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 10);
  shadow_fill (shadow, model);
  for (guint i = 0; i < 10; i++)
    g_assert_cmpstr (quorum_member_get_status (g_ptr_array_index (shadow->items, i)), ==, "suspended");

  /* Nothing matches: an empty, complete list. */
  quorum_member_list_set_status_filter (list, NULL);
  quorum_member_list_set_query (list, "zzz-nobody-zzz");
  load_all (list, shadow);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpuint (quorum_member_list_get_total (list), ==, 0);
  g_assert_true (quorum_member_list_get_complete (list));
  shadow_free (shadow);
}

/* Bounded memory: pages dropped and fetched again. */

typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint signals;
  guint resets;
} Recorder;

static void
record_cb (GListModel *model,
           guint       position,
           guint       removed,
           guint       added,
           Recorder   *recorder)
{
  recorder->position = position;
  recorder->removed = removed;
  recorder->added = added;
  recorder->signals++;
  if (position == 0 && added == 0 && removed > 0 && g_list_model_get_n_items (model) == 0)
    recorder->resets++;
}

/* Reads every position the way a view scrolling down does, keeping no
 * reference, and returns the ids seen. */
static GPtrArray *
scroll_to_end (QuorumMemberList *list)
{
  GListModel *model = G_LIST_MODEL (list);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  g_list_model_get_n_items (model);
  wait_idle (list);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(QuorumMember) member = g_list_model_get_item (model, i);

      g_assert_false (quorum_member_is_placeholder (member));
      g_ptr_array_add (ids, g_strdup (quorum_member_get_id (member)));
      wait_idle (list);
      g_assert_null (quorum_member_list_get_error (list));
    }
  g_assert_true (quorum_member_list_get_complete (list));
  return ids;
}

/* Reads @position; if its page was dropped, waits for it to come back and
 * checks that exactly that page's range changed. */
static QuorumMember *
read_back (QuorumMemberList *list,
           Recorder         *recorder,
           guint             position,
           guint             page_start,
           guint             page_n_items)
{
  GListModel *model = G_LIST_MODEL (list);
  g_autoptr(QuorumMember) first = g_list_model_get_item (model, position);
  guint signals = recorder->signals;

  if (!quorum_member_is_placeholder (first))
    return g_steal_pointer (&first);

  /* Until the page is back, the same placeholder at the same position. */
  {
    g_autoptr(QuorumMember) again = g_list_model_get_item (model, position);

    g_assert_true (again == first);
  }
  g_assert_null (quorum_member_get_id (first));
  g_assert_true (quorum_member_list_get_loading (list));
  wait_idle (list);
  g_assert_null (quorum_member_list_get_error (list));
  g_assert_cmpuint (recorder->signals, ==, signals + 1);
  g_assert_cmpuint (recorder->position, ==, page_start);
  g_assert_cmpuint (recorder->removed, ==, page_n_items);
  g_assert_cmpuint (recorder->added, ==, page_n_items);
  return g_list_model_get_item (model, position);
}

static void
test_drop_far_pages (void)
{
  g_autoptr(QuorumMemberList) list = quorum_member_list_new (ada, acme_id);
  GListModel *model = G_LIST_MODEL (list);
  g_autoptr(GPtrArray) ids = NULL;
  Recorder recorder = { 0 };
  QuorumMember *first = NULL;

  g_assert_cmpuint (quorum_member_list_get_max_loaded (list), ==, QUORUM_MEMBER_LIST_DEFAULT_MAX_LOADED);
  quorum_member_list_set_page_size (list, 10);
  quorum_member_list_set_max_loaded (list, 30);
  g_signal_connect (list, "items-changed", G_CALLBACK (record_cb), &recorder);

  /* The first member read, watched while the view scrolls to the end. */
  g_list_model_get_n_items (model);
  wait_idle (list);
  first = g_list_model_get_item (model, 0);
  g_object_add_weak_pointer (G_OBJECT (first), (gpointer *) &first);
  g_object_unref (first);
  g_assert_nonnull (first);  /* the list holds it */

  ids = scroll_to_end (list);
  g_assert_cmpuint (ids->len, ==, 1000);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1000);
  g_assert_cmpuint (quorum_member_list_get_total (list), ==, 1000);
  g_assert_null (first);  /* freed: nobody holds page 1 any more */
  g_assert_cmpuint (quorum_member_list_get_n_loaded (list), <=, 30);
  g_assert_cmpuint (recorder.signals, ==, 100);  /* appends only */

  /* Scrolling back up: every page comes back where it was, one
   * items_changed (start, 10, 10) each, the same members in the same
   * places, memory still bounded. */
  for (guint i = 1000; i-- > 0;)
    {
      g_autoptr(QuorumMember) member = read_back (list, &recorder, i, i - i % 10, 10);

      g_assert_cmpstr (quorum_member_get_id (member), ==, g_ptr_array_index (ids, i));
      g_assert_cmpuint (quorum_member_list_get_n_loaded (list), <=, 30);
    }
  g_assert_cmpuint (recorder.resets, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1000);

  /* A query change drops everything, placeholders included. */
  quorum_member_list_set_query (list, "ada");
  g_assert_cmpuint (recorder.resets, ==, 1);
  g_assert_cmpuint (quorum_member_list_get_n_loaded (list), ==, 0);
  wait_idle (list);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, quorum_member_list_get_n_loaded (list));
  g_signal_handlers_disconnect_by_data (list, &recorder);
}

static void
test_refetch_cancelled_by_query (void)
{
  g_autoptr(QuorumMemberList) list = quorum_member_list_new (ada, acme_id);
  GListModel *model = G_LIST_MODEL (list);
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(QuorumMember) placeholder = NULL;
  Recorder recorder = { 0 };
  guint n;

  quorum_member_list_set_page_size (list, 50);
  quorum_member_list_set_max_loaded (list, 100);
  ids = scroll_to_end (list);
  g_signal_connect (list, "items-changed", G_CALLBACK (record_cb), &recorder);

  /* Page 1 is fetched again... */
  placeholder = g_list_model_get_item (model, 3);
  g_assert_true (quorum_member_is_placeholder (placeholder));
  g_assert_true (quorum_member_list_get_loading (list));

  /* ...when the user types: one reset, and its answer is never used. */
  quorum_member_list_set_query (list, "ada");
  g_assert_cmpuint (recorder.signals, ==, 1);
  g_assert_cmpuint (recorder.resets, ==, 1);
  wait_idle (list);
  quorum_test_iterate (20);
  wait_idle (list);

  g_assert_null (quorum_member_list_get_error (list));
  g_assert_cmpuint (recorder.signals, ==, 2);
  g_assert_cmpuint (recorder.position, ==, 0);
  g_assert_cmpuint (recorder.removed, ==, 0);
  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (n, <, 50);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(QuorumMember) member = g_list_model_get_item (model, i);

      g_assert_false (quorum_member_is_placeholder (member));
      g_assert_true (contains_casefold (quorum_member_get_name (member), "ada") ||
                     contains_casefold (quorum_member_get_email (member), "ada"));
    }
  g_signal_handlers_disconnect_by_data (list, &recorder);
}

static void
update_member (const char *member_id,
               QuorumRole  role,
               const char *status)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumMember) member = NULL;

  quorum_client_update_member_async (ada, acme_id, member_id, role, status, NULL, quorum_test_store_result, &result);
  member = quorum_client_update_member_finish (ada, quorum_test_wait_result (&result), &error);
  g_assert_no_error (error);
}

static void
remove_member (const char *member_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  quorum_client_remove_member_async (ada, acme_id, member_id, NULL, quorum_test_store_result, &result);
  g_assert_true (quorum_client_remove_member_finish (ada, quorum_test_wait_result (&result), &error));
  g_assert_no_error (error);
}

/* The first plain member at or after @position. */
static guint
plain_member_at (QuorumMemberList *list,
                 guint             position)
{
  for (;; position++)
    {
      g_autoptr(QuorumMember) member = g_list_model_get_item (G_LIST_MODEL (list), position);

      if (quorum_member_get_role (member) == QUORUM_ROLE_MEMBER &&
          g_str_equal (quorum_member_get_status (member), "active"))
        return position;
    }
}

/* Changes the server's data: runs last, the other tests count members. */
static void
test_changes_across_pages (void)
{
  g_autoptr(QuorumMemberList) list = quorum_member_list_new (ada, acme_id);
  GListModel *model = G_LIST_MODEL (list);
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(QuorumMember) member = NULL;
  g_autofree char *removed_id = NULL;
  g_autofree char *changed_id = NULL;
  Recorder recorder = { 0 };
  guint removed_at;
  guint changed_at;
  guint n;

  quorum_member_list_set_page_size (list, 10);
  quorum_member_list_set_max_loaded (list, 30);
  g_list_model_get_n_items (model);
  wait_idle (list);
  /* Three pages in memory, nothing dropped yet. */
  for (guint i = 0; i < 25; i++)
    {
      g_object_unref (g_list_model_get_item (model, i));
      wait_idle (list);
    }
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 30);
  g_assert_cmpuint (quorum_member_list_get_n_loaded (list), ==, 30);
  g_signal_connect (list, "items-changed", G_CALLBACK (record_cb), &recorder);

  /* The app removes the last member of page 2 and makes one of page 3 an
   * admin: one exact signal each, the rows below move up by one. */
  removed_at = 19;
  member = g_list_model_get_item (model, removed_at);
  g_assert_cmpint (quorum_member_get_role (member), !=, QUORUM_ROLE_OWNER);
  removed_id = g_strdup (quorum_member_get_id (member));
  g_clear_object (&member);
  remove_member (removed_id);
  g_assert_true (quorum_member_list_remove (list, removed_id));
  g_assert_cmpuint (recorder.signals, ==, 1);
  g_assert_cmpuint (recorder.position, ==, removed_at);
  g_assert_cmpuint (recorder.removed, ==, 1);
  g_assert_cmpuint (recorder.added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 29);
  g_assert_cmpuint (quorum_member_list_get_total (list), ==, 999);

  changed_at = plain_member_at (list, 21);
  g_assert_cmpuint (changed_at, <, 29);
  member = g_list_model_get_item (model, changed_at);
  changed_id = g_strdup (quorum_member_get_id (member));
  g_clear_object (&member);
  update_member (changed_id, QUORUM_ROLE_ADMIN, NULL);
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GPtrArray) page = NULL;

    /* The app has the server's answer; here a plain read of the same row. */
    member = g_list_model_get_item (model, changed_at);
    g_assert_cmpint (quorum_member_get_role (member), ==, QUORUM_ROLE_MEMBER);
    g_clear_object (&member);
    quorum_client_list_members_async (ada, acme_id, NULL, QUORUM_ROLE_ADMIN, NULL, NULL, 200,
                                      NULL, quorum_test_store_result, &result);
    page = quorum_client_list_members_finish (ada, quorum_test_wait_result (&result), NULL, NULL, NULL);
    g_assert_nonnull (page);
    for (guint i = 0; i < page->len; i++)
      if (g_str_equal (quorum_member_get_id (g_ptr_array_index (page, i)), changed_id))
        member = g_object_ref (g_ptr_array_index (page, i));
    g_assert_nonnull (member);
  }
  g_assert_true (quorum_member_list_replace (list, member));
  g_clear_object (&member);
  g_assert_cmpuint (recorder.signals, ==, 2);
  g_assert_cmpuint (recorder.position, ==, changed_at);
  g_assert_cmpuint (recorder.removed, ==, 1);
  g_assert_cmpuint (recorder.added, ==, 1);

  /* Scroll on until both pages are dropped... */
  for (guint i = 25; i < 80; i++)
    {
      g_object_unref (g_list_model_get_item (model, i));
      wait_idle (list);
    }
  g_assert_cmpuint (quorum_member_list_get_n_loaded (list), <=, 30);
  n = g_list_model_get_n_items (model);
  recorder.signals = 0;

  /* ...and back: page 2 comes back with its 9 members, page 3 with the
   * admin, nothing reloaded, the rows where they were. */
  member = read_back (list, &recorder, changed_at, 19, 10);
  g_assert_cmpstr (quorum_member_get_id (member), ==, changed_id);
  g_assert_cmpint (quorum_member_get_role (member), ==, QUORUM_ROLE_ADMIN);
  g_clear_object (&member);
  member = read_back (list, &recorder, 10, 10, 9);
  g_clear_object (&member);
  for (guint i = 10; i < 19; i++)
    {
      member = g_list_model_get_item (model, i);
      g_assert_false (quorum_member_is_placeholder (member));
      g_assert_cmpstr (quorum_member_get_id (member), !=, removed_id);
      g_clear_object (&member);
    }
  g_assert_cmpuint (recorder.resets, ==, 0);
  g_assert_cmpuint (recorder.signals, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);

  /* Someone else removes a member of page 1 while it is dropped: its range
   * no longer holds what it held, so the list starts over from the top
   * rather than shift every row below. */
  for (guint i = 30; i < 80; i++)
    {
      g_object_unref (g_list_model_get_item (model, i));
      wait_idle (list);
    }
  ids = g_ptr_array_new_with_free_func (g_free);
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GPtrArray) page = NULL;

    quorum_client_list_members_async (ada, acme_id, NULL, QUORUM_ROLE_NONE, NULL, NULL, 10,
                                      NULL, quorum_test_store_result, &result);
    page = quorum_client_list_members_finish (ada, quorum_test_wait_result (&result), NULL, NULL, NULL);
    g_assert_nonnull (page);
    for (guint i = 0; i < page->len; i++)
      if (quorum_member_get_role (g_ptr_array_index (page, i)) == QUORUM_ROLE_MEMBER)
        {
          remove_member (quorum_member_get_id (g_ptr_array_index (page, i)));
          break;
        }
  }
  recorder.signals = 0;
  member = g_list_model_get_item (model, 0);
  g_assert_true (quorum_member_is_placeholder (member));
  g_clear_object (&member);
  wait_idle (list);
  g_assert_null (quorum_member_list_get_error (list));
  g_assert_cmpuint (recorder.resets, ==, 1);
  g_assert_cmpuint (recorder.signals, ==, 2);
  g_assert_cmpuint (recorder.position, ==, 0);
  g_assert_cmpuint (recorder.removed, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 10);
  g_assert_cmpuint (quorum_member_list_get_total (list), ==, 998);
  g_signal_handlers_disconnect_by_data (list, &recorder);
}

/* What the app's session sends and what comes back. */
typedef struct
{
  GPtrArray *messages;  /* queued while watched */
  guint      unqueued;
  guint      answered;
} Traffic;

static void
request_queued_cb (SoupSession *session,
                   SoupMessage *msg,
                   Traffic     *traffic)
{
  g_ptr_array_add (traffic->messages, g_object_ref (msg));
}

static void
request_unqueued_cb (SoupSession *session,
                     SoupMessage *msg,
                     Traffic     *traffic)
{
  if (!g_ptr_array_find (traffic->messages, msg, NULL))
    return;
  traffic->unqueued++;
  if (soup_message_get_status (msg) != SOUP_STATUS_NONE)
    traffic->answered++;
}

/* The Members page drops its list on an organization switch: the list goes
 * at once, and so does its request. */
static void
test_dispose_cancels_fetch (void)
{
  SoupSession *session = quorum_client_get_default_session ();
  QuorumMemberList *list = quorum_member_list_new (ada, acme_id);
  Traffic traffic = { g_ptr_array_new_with_free_func (g_object_unref), 0, 0 };

  g_signal_connect (session, "request-queued", G_CALLBACK (request_queued_cb), &traffic);
  g_signal_connect (session, "request-unqueued", G_CALLBACK (request_unqueued_cb), &traffic);

  g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_true (quorum_member_list_get_loading (list));
  g_assert_cmpuint (traffic.messages->len, ==, 1);

  g_object_add_weak_pointer (G_OBJECT (list), (gpointer *) &list);
  g_object_unref (list);
  g_assert_null (list);  /* finalized now, not when the answer comes */

  /* The request ends without an answer: cancelled. */
  quorum_test_wait_for (traffic.unqueued >= traffic.messages->len, 10);
  quorum_test_iterate (20);
  g_assert_cmpuint (traffic.messages->len, ==, 1);
  g_assert_cmpuint (traffic.answered, ==, 0);

  g_signal_handlers_disconnect_by_data (session, &traffic);
  g_ptr_array_unref (traffic.messages);
}

static QuorumMember *
update_member_get (const char *member_id,
                   QuorumRole  role)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  QuorumMember *member;

  quorum_client_update_member_async (ada, acme_id, member_id, role, NULL, NULL, quorum_test_store_result, &result);
  member = quorum_client_update_member_finish (ada, quorum_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return member;
}

/* The app changes and removes members whose pages were dropped while the
 * view still shows them: one exact signal each, the pages come back right,
 * nothing starts over. Changes the server's data. */
static void
test_changes_on_dropped_pages (void)
{
  g_autoptr(QuorumMemberList) list = quorum_member_list_new (ada, acme_id);
  GListModel *model = G_LIST_MODEL (list);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(QuorumMember) shown = NULL;
  g_autoptr(QuorumMember) changed = NULL;
  g_autoptr(QuorumMember) member = NULL;
  Recorder recorder = { 0 };
  guint changed_at;
  guint changed_page;
  guint removed_at;
  guint removed_page;
  guint n;
  guint total;

  quorum_member_list_set_page_size (list, 10);
  quorum_member_list_set_max_loaded (list, 30);
  g_list_model_get_n_items (model);
  wait_idle (list);

  /* The first plain member (the owner and admins come first) is changed,
   * one on the next page removed; read the way a view scrolls. */
  changed_at = removed_at = changed_page = removed_page = G_MAXUINT;
  for (guint i = 0; removed_page == G_MAXUINT || i < removed_page + 20; i++)
    {
      member = g_list_model_get_item (model, i);
      g_assert_false (quorum_member_is_placeholder (member));
      g_ptr_array_add (ids, g_strdup (quorum_member_get_id (member)));
      if (quorum_member_get_role (member) == QUORUM_ROLE_MEMBER &&
          g_str_equal (quorum_member_get_status (member), "active"))
        {
          if (changed_at == G_MAXUINT)
            {
              changed_at = i;
              changed_page = i - i % 10;
              /* The view still shows this row while its page is dropped. */
              shown = g_object_ref (member);
            }
          else if (removed_at == G_MAXUINT && i >= changed_page + 10)
            {
              removed_at = i;
              removed_page = changed_page + 10;
            }
        }
      g_clear_object (&member);
      wait_idle (list);
    }
  g_assert_cmpuint (removed_at, <, removed_page + 10);
  /* Scroll on until those pages and the one after are dropped. */
  for (guint i = removed_page + 20; i < removed_page + 70; i++)
    {
      g_object_unref (g_list_model_get_item (model, i));
      wait_idle (list);
    }
  g_assert_cmpuint (quorum_member_list_get_n_loaded (list), <=, 30);
  n = g_list_model_get_n_items (model);
  total = quorum_member_list_get_total (list);
  g_signal_connect (list, "items-changed", G_CALLBACK (record_cb), &recorder);

  /* The app makes that member an admin: that row changes... */
  changed = update_member_get (quorum_member_get_id (shown), QUORUM_ROLE_ADMIN);
  g_assert_true (quorum_member_list_replace (list, changed));
  g_assert_cmpuint (recorder.signals, ==, 1);
  g_assert_cmpuint (recorder.position, ==, changed_at);
  g_assert_cmpuint (recorder.removed, ==, 1);
  g_assert_cmpuint (recorder.added, ==, 1);
  member = g_list_model_get_item (model, changed_at);
  g_assert_true (member == changed);
  g_clear_object (&member);

  /* ...and the page that reading it fetched again agrees. */
  wait_idle (list);
  g_assert_null (quorum_member_list_get_error (list));
  g_assert_cmpuint (recorder.signals, ==, 2);
  g_assert_cmpuint (recorder.position, ==, changed_page);
  g_assert_cmpuint (recorder.removed, ==, 10);
  g_assert_cmpuint (recorder.added, ==, 10);
  for (guint i = changed_page; i < changed_page + 10; i++)
    {
      member = g_list_model_get_item (model, i);
      g_assert_false (quorum_member_is_placeholder (member));
      g_assert_cmpstr (quorum_member_get_id (member), ==, g_ptr_array_index (ids, i));
      g_clear_object (&member);
    }
  member = g_list_model_get_item (model, changed_at);
  g_assert_cmpint (quorum_member_get_role (member), ==, QUORUM_ROLE_ADMIN);
  g_clear_object (&member);

  /* The app removes a member of the next page: its row goes, the rows
   * below move up by one... */
  remove_member (g_ptr_array_index (ids, removed_at));
  recorder.signals = 0;
  g_assert_true (quorum_member_list_remove (list, g_ptr_array_index (ids, removed_at)));
  g_assert_cmpuint (recorder.signals, ==, 1);
  g_assert_cmpuint (recorder.position, ==, removed_at);
  g_assert_cmpuint (recorder.removed, ==, 1);
  g_assert_cmpuint (recorder.added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n - 1);
  g_assert_cmpuint (quorum_member_list_get_total (list), ==, total - 1);
  g_assert_false (quorum_member_list_remove (list, g_ptr_array_index (ids, removed_at)));

  /* ...and that page and the next come back with their members where they
   * were. */
  recorder.signals = 0;
  member = read_back (list, &recorder, removed_page, removed_page, 9);
  g_clear_object (&member);
  member = read_back (list, &recorder, removed_page + 9, removed_page + 9, 10);
  g_clear_object (&member);
  g_assert_cmpuint (recorder.signals, ==, 2);
  for (guint i = removed_page; i < removed_page + 19; i++)
    {
      member = g_list_model_get_item (model, i);
      g_assert_false (quorum_member_is_placeholder (member));
      g_assert_cmpstr (quorum_member_get_id (member), ==, g_ptr_array_index (ids, i < removed_at ? i : i + 1));
      g_clear_object (&member);
    }
  g_assert_cmpuint (recorder.resets, ==, 0);
  g_assert_cmpuint (recorder.signals, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n - 1);
  g_signal_handlers_disconnect_by_data (list, &recorder);
}

/* A page held back by the server while the query changes. */

typedef struct
{
  GPtrArray *paused;
  guint      requests;
  gboolean   hold;
  guint      fail;      /* how many requests fail next */
} Fake;

static void
fake_cb (SoupServer        *soup_server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Fake *fake = user_data;
  const char *q = query != NULL ? g_hash_table_lookup (query, "query") : NULL;
  const char *cursor = query != NULL ? g_hash_table_lookup (query, "cursor") : NULL;
  guint start = cursor != NULL ? (guint) g_ascii_strtoull (cursor, NULL, 10) : 0;
  guint total = q != NULL ? 3 : 250;
  guint end = MIN (start + 100, total);
  GString *body = g_string_new ("{\"items\": [");

  fake->requests++;
  if (fake->fail > 0)
    {
      fake->fail--;
      soup_server_message_set_status (msg, 500, NULL);
      return;
    }
  for (guint i = start; i < end; i++)
    g_string_append_printf (body, "%s{\"id\": \"mem_%u\", \"user_id\": \"usr_%u\", \"name\": \"%s %04u\", "
                            "\"email\": \"m%u@example.org\", \"role\": \"member\", \"status\": \"active\", "
                            "\"joined_at\": \"2026-11-22T10:43:14Z\", \"last_active_at\": null}",
                            i > start ? ", " : "", i, i, q != NULL ? q : "Member", i, i);
  if (end < total)
    g_string_append_printf (body, "], \"next_cursor\": \"%u\", \"total\": %u}", end, total);
  else
    g_string_append_printf (body, "], \"next_cursor\": null, \"total\": %u}", total);

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body->str, body->len);
  g_string_free (body, FALSE);

  if (fake->hold)
    {
      soup_server_message_pause (msg);
      g_ptr_array_add (fake->paused, msg);
    }
}

/* Last activity: parsed from the server (null for never), the list sorted
 * by it (never first, then oldest first) and filtered to members inactive
 * for 90 days; the demo data has both kinds. */
static void
test_inactive_and_sort (void)
{
  g_autoptr(QuorumMemberList) list = quorum_member_list_new (ada, acme_id);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) cutoff = g_date_time_add_days (now, -90);
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GListModel *model = G_LIST_MODEL (list);
  Shadow *shadow = shadow_new (list);
  GDateTime *previous = NULL;
  guint n, never = 0, inactive = 0, total = 0, days = 0;
  gboolean seen_active = FALSE;

  quorum_member_list_set_page_size (list, 200);
  quorum_member_list_set_sort (list, "last_active");
  g_assert_cmpstr (quorum_member_list_get_sort (list), ==, "last_active");
  load_all (list, shadow);
  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, ==, 1000);
  shadow_fill (shadow, model);
  for (guint i = 0; i < n; i++)
    {
      GDateTime *at = quorum_member_get_last_active_at (g_ptr_array_index (shadow->items, i));

      if (at == NULL)
        {
          g_assert_false (seen_active);  /* never active first */
          never++;
          continue;
        }
      seen_active = TRUE;
      if (previous != NULL)
        g_assert_cmpint (g_date_time_compare (previous, at), <=, 0);
      if (g_date_time_compare (at, cutoff) < 0)
        inactive++;
      previous = at;
    }
  g_assert_cmpuint (never, >, 0);
  g_assert_cmpuint (inactive, >, 0);

  /* Inactive for 90 days: never or before the cutoff, nobody else; by name again. */
  quorum_member_list_set_sort (list, "name");
  g_assert_null (quorum_member_list_get_sort (list));
  g_object_set (list, "inactive-days", 90, NULL);
  g_object_get (list, "inactive-days", &days, NULL);
  g_assert_cmpuint (days, ==, 90);
  load_all (list, shadow);
  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, ==, never + inactive);
  g_assert_cmpuint (quorum_member_list_get_total (list), ==, n);
  shadow_fill (shadow, model);
  for (guint i = 0; i < n; i++)
    {
      GDateTime *at = quorum_member_get_last_active_at (g_ptr_array_index (shadow->items, i));

      g_assert_true (at == NULL || g_date_time_compare (at, cutoff) < 0);
    }

  /* The client call takes the same filter, with the others. */
  quorum_client_list_members_filtered_async (ada, acme_id, &(QuorumMemberFilter) {
                                               .inactive_days = 90, .status = "active",
                                               .role = QUORUM_ROLE_ADMIN, .sort = "last_active" },
                                             NULL, 200, NULL, quorum_test_store_result, &result);
  page = quorum_client_list_members_finish (ada, quorum_test_wait_result (&result), NULL, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, total);
  g_assert_cmpuint (total, >, 0);
  g_assert_cmpuint (total, <, n);
  previous = NULL;
  for (guint i = 0; i < page->len; i++)
    {
      QuorumMember *member = g_ptr_array_index (page, i);
      GDateTime *at = quorum_member_get_last_active_at (member);

      g_assert_cmpint (quorum_member_get_role (member), ==, QUORUM_ROLE_ADMIN);
      g_assert_cmpstr (quorum_member_get_status (member), ==, "active");
      g_assert_true (at == NULL || g_date_time_compare (at, cutoff) < 0);
      g_assert_true (at != NULL || previous == NULL);  /* never active first */
      if (previous != NULL)
        g_assert_cmpint (g_date_time_compare (previous, at), <=, 0);
      previous = at;
    }
  shadow_free (shadow);
}

typedef struct
{
  guint         calls;
  guint64       bytes;
  guint         rows;
  GCancellable *cancel_after_first;
} ExportProgress;

static void
export_progress_cb (guint64  bytes,
                    guint    rows,
                    gpointer user_data)
{
  ExportProgress *progress = user_data;

  g_assert_cmpuint (bytes, >=, progress->bytes);  /* it only grows */
  g_assert_cmpuint (rows, >=, progress->rows);
  progress->calls++;
  progress->bytes = bytes;
  progress->rows = rows;
  if (progress->cancel_after_first != NULL)
    g_cancellable_cancel (progress->cancel_after_first);
}

static gssize
export (const char               *org_id,
        const QuorumMemberFilter *filter,
        GOutputStream            *out,
        ExportProgress           *progress,
        GCancellable             *cancellable,
        guint                    *rows,
        GError                  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  quorum_client_export_members_async (ada, org_id, filter, out, export_progress_cb, progress, cancellable,
                                      quorum_test_store_result, &result);
  return quorum_client_export_members_finish (ada, quorum_test_wait_result (&result), rows, error);
}

static guint
list_total (const QuorumMemberFilter *filter)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  guint total = 0;

  quorum_client_list_members_filtered_async (ada, acme_id, filter, NULL, 1, NULL, quorum_test_store_result, &result);
  page = quorum_client_list_members_finish (ada, quorum_test_wait_result (&result), NULL, &total, &error);
  g_assert_no_error (error);
  return total;
}

/* The members export streamed into a stream: every member once, the rows
 * counted as they arrive, the filters of the list, members refused. */
static void
test_export (void)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) filtered = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) refused = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) cancelled = g_memory_output_stream_new_resizable ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;
  ExportProgress progress = { 0 }, filtered_progress = { 0 }, none = { 0 };
  ExportProgress stop = { .cancel_after_first = cancellable };
  QuorumMemberFilter inactive = { .inactive_days = 90, .sort = "last_active" };
  gsize size;
  gssize written;
  guint rows = 0;

  written = export (acme_id, NULL, out, &progress, NULL, &rows, &error);
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  size = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out));
  g_assert_cmpint (written, ==, (gssize) size);
  g_assert_cmpuint (rows, ==, list_total (NULL));
  g_assert_cmpuint (progress.calls, >=, 1);
  g_assert_cmpuint (progress.bytes, ==, size);
  g_assert_cmpuint (progress.rows, ==, rows);
  text = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)), size);
  g_assert_true (g_str_has_prefix (text, "name,email,role,status,joined_at,last_active_at\r\n"));
  g_assert_true (g_str_has_suffix (text, "\r\n"));
  lines = g_strsplit (text, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, rows + 2);  /* header, rows, the empty rest */

  /* The list's filters: the same members. */
  written = export (acme_id, &inactive, filtered, &filtered_progress, NULL, &rows, &error);
  g_assert_no_error (error);
  g_assert_cmpint (written, >, 0);
  g_assert_cmpuint (rows, ==, list_total (&inactive));
  g_assert_cmpuint (rows, <, progress.rows);
  g_assert_cmpuint (rows, >, 0);

  /* Ada is a member (not an admin) of Initech: refused, nothing written. */
  written = export (initech_id, NULL, refused, &none, NULL, &rows, &error);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_cmpint (written, ==, -1);
  g_assert_cmpuint (none.calls, ==, 0);
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (refused)), ==, 0);

  /* Cancelled once the first chunk is written: an error, not a short success. */
  written = export (acme_id, NULL, cancelled, &stop, cancellable, &rows, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (written, ==, -1);
  g_assert_cmpuint (stop.calls, ==, 1);
}

static gssize
save (const char               *org_id,
      const QuorumMemberFilter *filter,
      GFile                    *file,
      ExportProgress           *progress,
      GCancellable             *cancellable,
      guint                    *rows,
      GError                  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  quorum_client_save_members_csv_async (ada, org_id, filter, file, export_progress_cb, progress, cancellable,
                                        quorum_test_store_result, &result);
  return quorum_client_save_members_csv_finish (ada, quorum_test_wait_result (&result), rows, error);
}

/* Saving to a file: whole, or not at all (a new file is removed, an old
 * one keeps what it held). */
static void
test_export_to_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("quorum-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "members.csv", NULL);
  g_autofree char *refused_path = g_build_filename (dir, "refused.csv", NULL);
  g_autofree char *cancelled_path = g_build_filename (dir, "cancelled.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) refused = g_file_new_for_path (refused_path);
  g_autoptr(GFile) cancelled = g_file_new_for_path (cancelled_path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  ExportProgress progress = { 0 }, none = { 0 }, stop = { .cancel_after_first = cancellable };
  QuorumMemberFilter admins = { .role = QUORUM_ROLE_ADMIN, .query = "a" };
  gsize length = 0;
  gssize written;
  guint rows = 0;

  written = save (acme_id, &admins, file, &progress, NULL, &rows, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpint (written, ==, (gssize) length);
  g_assert_cmpuint (rows, ==, list_total (&admins));
  g_assert_cmpuint (rows, >, 0);
  g_assert_cmpuint (progress.rows, ==, rows);
  g_assert_true (g_str_has_prefix (contents, "name,email,role,status,joined_at,last_active_at\r\n"));

  /* Refused: a new file is not left behind; an existing file keeps its bytes. */
  written = save (initech_id, NULL, refused, &none, NULL, &rows, &error);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_cmpint (written, ==, -1);
  g_assert_false (g_file_test (refused_path, G_FILE_TEST_EXISTS));
  written = save (initech_id, NULL, file, &none, NULL, &rows, &error);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpint ((gssize) length, ==, progress.bytes);

  /* Cancelled after the first chunk: no half file. */
  written = save (acme_id, NULL, cancelled, &stop, cancellable, &rows, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (written, ==, -1);
  g_assert_false (g_file_test (cancelled_path, G_FILE_TEST_EXISTS));

  g_assert_true (g_file_delete (file, NULL, NULL));
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_query_change_cancels_fetch (void)
{
  g_autoptr(SoupServer) soup_server = soup_server_new (NULL, NULL);
  g_autoptr(QuorumClient) client = NULL;
  g_autoptr(QuorumMemberList) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  Fake fake = { g_ptr_array_new (), 0, FALSE, 0 };
  Shadow *shadow;
  GListModel *model;
  guint n;

  soup_server_add_handler (soup_server, "/v1/organizations", fake_cb, &fake, NULL);
  url = quorum_test_soup_listen (soup_server, 0);

  client = quorum_client_new (url);
  list = quorum_member_list_new (client, "org_1");
  model = G_LIST_MODEL (list);
  shadow = shadow_new (list);

  g_list_model_get_n_items (model);
  wait_idle (list);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 100);
  g_assert_cmpuint (quorum_member_list_get_total (list), ==, 250);

  /* The view scrolls: page two is asked for, and the server holds it. */
  fake.hold = TRUE;
  g_object_unref (g_list_model_get_item (model, 99));
  g_assert_true (quorum_member_list_get_loading (list));
  quorum_test_wait_for (fake.paused->len > 0, QUORUM_TEST_WAIT_SECONDS);
  fake.hold = FALSE;

  /* The user types: one reset, the held page is cancelled. */
  shadow->signals = 0;
  quorum_member_list_set_query (list, "Zed");
  g_assert_cmpuint (shadow->signals, ==, 1);
  g_assert_cmpuint (shadow->resets, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  wait_idle (list);

  /* Now the old page comes out; nobody must take it. */
  soup_server_message_unpause (g_ptr_array_index (fake.paused, 0));
  quorum_test_iterate (20);

  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (quorum_member_list_get_total (list), ==, 3);
  g_assert_true (quorum_member_list_get_complete (list));
  shadow_fill (shadow, model);
  for (guint i = 0; i < n; i++)
    g_assert_true (g_str_has_prefix (quorum_member_get_name (g_ptr_array_index (shadow->items, i)), "Zed "));
  g_assert_cmpuint (shadow->signals, ==, 2);

  /* A member changed or removed by the app: one exact signal, no reload. */
  {
    g_autoptr(JsonNode) node = json_from_string ("{\"id\": \"mem_1\", \"user_id\": \"usr_1\", \"name\": \"Zed 0001\", "
                                                  "\"email\": \"m1@example.org\", \"role\": \"admin\", "
                                                  "\"status\": \"suspended\", \"joined_at\": \"2026-11-22T10:43:14Z\", "
                                                  "\"last_active_at\": null}", NULL);
    g_autoptr(QuorumMember) changed = quorum_member_new_from_json (node, NULL);
    g_autoptr(QuorumMember) second = NULL;

    g_assert_nonnull (changed);
    g_assert_true (quorum_member_list_replace (list, changed));
    g_assert_cmpuint (shadow->signals, ==, 3);
    second = g_list_model_get_item (model, 1);
    g_assert_true (second == changed);
    g_assert_true (g_ptr_array_index (shadow->items, 1) == NULL);
    shadow_fill (shadow, model);

    g_assert_true (quorum_member_list_remove (list, "mem_0"));
    g_assert_false (quorum_member_list_remove (list, "mem_0"));
    g_assert_cmpuint (shadow->signals, ==, 4);
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
    g_assert_cmpuint (quorum_member_list_get_total (list), ==, 2);
    shadow_fill (shadow, model);
    g_assert_true (g_ptr_array_index (shadow->items, 0) == changed);
  }

  /* An error is a state the view can show, and reload() retries. */
  soup_server_disconnect (soup_server);
  quorum_client_set_retry_policy (client, 1, 10, 10);
  quorum_member_list_reload (list);
  wait_idle (list);
  g_assert_nonnull (quorum_member_list_get_error (list));
  g_assert_true (g_error_matches (quorum_member_list_get_error (list), QUORUM_API_ERROR, QUORUM_API_ERROR_NETWORK));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);

  shadow_free (shadow);
  g_ptr_array_unref (fake.paused);
}

static SoupServer *
fake_server_new (Fake  *fake,
                 char **url)
{
  SoupServer *soup_server = soup_server_new (NULL, NULL);

  soup_server_add_handler (soup_server, "/v1/organizations", fake_cb, fake, NULL);
  *url = quorum_test_soup_listen (soup_server, 0);
  return soup_server;
}

/* A dropped page that fails to come back once: the list still grows, and
 * reading the page again brings it, without starting over. */
static void
test_refetch_failure_heals (void)
{
  Fake fake = { g_ptr_array_new (), 0, FALSE, 0 };
  g_autofree char *url = NULL;
  g_autoptr(SoupServer) soup_server = fake_server_new (&fake, &url);
  g_autoptr(QuorumClient) client = quorum_client_new (url);
  g_autoptr(QuorumMemberList) list = quorum_member_list_new (client, "org_1");
  GListModel *model = G_LIST_MODEL (list);
  g_autoptr(QuorumMember) placeholder = NULL;
  g_autoptr(QuorumMember) member = NULL;
  Recorder recorder = { 0 };

  quorum_client_set_retry_policy (client, 1, 10, 10);
  quorum_member_list_set_max_loaded (list, 100);
  g_list_model_get_n_items (model);
  wait_idle (list);
  g_object_unref (g_list_model_get_item (model, 99));
  wait_idle (list);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 200);
  g_assert_cmpuint (quorum_member_list_get_n_loaded (list), ==, 100);  /* page 1 dropped */
  g_signal_connect (list, "items-changed", G_CALLBACK (record_cb), &recorder);

  /* The view comes back to page 1 and the server fails once. */
  fake.fail = 1;
  placeholder = g_list_model_get_item (model, 0);
  g_assert_true (quorum_member_is_placeholder (placeholder));
  wait_idle (list);
  g_assert_cmpuint (fake.fail, ==, 0);
  g_assert_nonnull (quorum_member_list_get_error (list));  /* the view offers Retry */
  g_assert_cmpuint (recorder.signals, ==, 0);

  /* Scrolling on still loads the next page... */
  g_object_unref (g_list_model_get_item (model, 199));
  g_assert_true (quorum_member_list_get_loading (list));
  wait_idle (list);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 250);
  g_assert_true (quorum_member_list_get_complete (list));
  g_assert_cmpuint (recorder.signals, ==, 1);

  /* ...and back at the top, reading page 1 again brings it: one
   * items_changed over its range, no reset, no error left. */
  member = g_list_model_get_item (model, 0);
  g_assert_true (member == placeholder);
  g_clear_object (&member);
  g_assert_true (quorum_member_list_get_loading (list));
  wait_idle (list);
  g_assert_null (quorum_member_list_get_error (list));
  g_assert_cmpuint (recorder.signals, ==, 2);
  g_assert_cmpuint (recorder.position, ==, 0);
  g_assert_cmpuint (recorder.removed, ==, 100);
  g_assert_cmpuint (recorder.added, ==, 100);
  g_assert_cmpuint (recorder.resets, ==, 0);
  member = g_list_model_get_item (model, 0);
  g_assert_false (quorum_member_is_placeholder (member));
  g_assert_cmpstr (quorum_member_get_id (member), ==, "mem_0");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 250);

  g_signal_handlers_disconnect_by_data (list, &recorder);
  g_ptr_array_unref (fake.paused);
}

int
main (int   argc,
      char *argv[])
{
  const char *args[] = { "--demo", "--demo-members=989", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) organizations = NULL;
  g_autoptr(QuorumUser) user = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  int status;

  quorum_test_settings_init ();  /* before anything reads settings */
  g_test_init (&argc, &argv, NULL);

  server = quorum_test_server_start (args, &error);
  g_assert_no_error (error);

  ada = quorum_client_new (quorum_test_server_get_url (server));
  quorum_client_sign_in_async (ada, "ada@demo.quorum.test", "quorum-demo", NULL, quorum_test_store_result, &result);
  user = quorum_client_sign_in_finish (ada, quorum_test_wait_result (&result), NULL, &error);
  g_assert_no_error (error);
  quorum_client_list_organizations_async (ada, NULL, quorum_test_store_result, &result2);
  organizations = quorum_client_list_organizations_finish (ada, quorum_test_wait_result (&result2), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < organizations->len; i++)
    if (g_str_equal (quorum_organization_get_slug (g_ptr_array_index (organizations, i)), "acme-robotics"))
      acme_id = g_strdup (quorum_organization_get_id (g_ptr_array_index (organizations, i)));
    else if (g_str_equal (quorum_organization_get_slug (g_ptr_array_index (organizations, i)), "initech"))
      initech_id = g_strdup (quorum_organization_get_id (g_ptr_array_index (organizations, i)));
  g_assert_nonnull (acme_id);

  g_test_add_func ("/api/member-list/paginate-1000", test_paginate_1000);
  g_test_add_func ("/api/member-list/search-and-filters", test_search_and_filters);
  g_test_add_func ("/api/member-list/inactive-and-sort", test_inactive_and_sort);
  g_test_add_func ("/api/member-list/export", test_export);
  g_test_add_func ("/api/member-list/export-to-file", test_export_to_file);
  g_test_add_func ("/api/member-list/query-change-cancels-fetch", test_query_change_cancels_fetch);
  g_test_add_func ("/api/member-list/drop-far-pages", test_drop_far_pages);
  g_test_add_func ("/api/member-list/refetch-cancelled-by-query", test_refetch_cancelled_by_query);
  g_test_add_func ("/api/member-list/refetch-failure-heals", test_refetch_failure_heals);
  g_test_add_func ("/api/member-list/dispose-cancels-fetch", test_dispose_cancels_fetch);
  /* Last: they change members on the server. */
  g_test_add_func ("/api/member-list/changes-across-pages", test_changes_across_pages);
  g_test_add_func ("/api/member-list/changes-on-dropped-pages", test_changes_on_dropped_pages);

  status = g_test_run ();
  g_clear_object (&ada);
  g_free (acme_id);
  g_free (initech_id);
  quorum_test_server_stop (server);
  return status;
}
