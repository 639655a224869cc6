/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <malloc.h>
#include <stdio.h>

#include "quorum-api.h"
#include "quorum-api-private.h"

/*
 * Run it with G_SLICE=always-malloc: GLib 2.74 keeps freed GObjects in
 * GSlice magazines, which mallinfo2() counts as in use.
 *
 * How much memory QuorumMemberList holds at 100,000 members, and how long
 * paging through them takes. A SoupServer inside the program serves
 * synthetic pages (realistic name and e-mail lengths) so the numbers are the
 * client's alone. Heap in use is read with mallinfo2() before loading,
 * after every page on the way to the end (the peak), at the end, after
 * scrolling back to the top (every dropped page fetched again), and after a
 * query change drops it all.
 *
 *   bench-member-list [N_MEMBERS] [PAGE_SIZE] [MAX_LOADED]
 *
 * MAX_LOADED is the list's "max-loaded" (default 2,000; 0 keeps everything,
 * as the list did before it dropped pages).
 */

static guint n_members = 100000;

static void
members_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  const char *cursor = query != NULL ? g_hash_table_lookup (query, "cursor") : NULL;
  const char *offset = query != NULL ? g_hash_table_lookup (query, "offset") : NULL;
  const char *limit_str = query != NULL ? g_hash_table_lookup (query, "limit") : NULL;
  const char *q = query != NULL ? g_hash_table_lookup (query, "query") : NULL;
  guint start = cursor != NULL ? (guint) g_ascii_strtoull (cursor, NULL, 10)
                : offset != NULL ? (guint) g_ascii_strtoull (offset, NULL, 10) : 0;
  guint limit = limit_str != NULL ? (guint) g_ascii_strtoull (limit_str, NULL, 10) : 50;
  guint total = q != NULL ? 0 : n_members;
  guint end = MIN (start + limit, total);
  GString *body = g_string_sized_new (limit * 300);

  g_string_append (body, "{\"items\": [");
  for (guint i = start; i < end; i++)
    g_string_append_printf (body,
                            "%s{\"id\": \"mem_%012u\", \"user_id\": \"usr_%012u\", "
                            "\"name\": \"Member Number %06u\", \"email\": \"member.%06u@acme-robotics.test\", "
                            "\"role\": \"%s\", \"status\": \"active\", \"joined_at\": \"2026-11-22T10:43:14Z\", "
                            "\"last_active_at\": \"2026-11-23T08:00:00Z\"}",
                            i > start ? ", " : "", i, i, i, i, i % 20 == 0 ? "admin" : "member");
  if (end < total)
    g_string_append_printf (body, "], \"next_cursor\": \"%u\", \"total\": %u}", end, total);
  else
    g_string_append_printf (body, "], \"next_cursor\": null, \"total\": %u}", total);

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body->str, body->len);
  g_string_free (body, FALSE);
}

static double
heap_mib (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return (double) (info.uordblks + info.hblkhd) / (1024.0 * 1024.0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(QuorumClient) client = NULL;
  g_autoptr(QuorumMemberList) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  GListModel *model;
  GSList *uris;
  guint page_size = 200;
  guint max_loaded = QUORUM_MEMBER_LIST_DEFAULT_MAX_LOADED;
  guint n_loaded;
  guint n_held;
  guint n_refetched = 0;
  double before, loaded, peak, back, dropped;
  gint64 start;
  double seconds, back_seconds;

  if (argc > 1)
    n_members = (guint) g_ascii_strtoull (argv[1], NULL, 10);
  if (argc > 2)
    page_size = CLAMP ((guint) g_ascii_strtoull (argv[2], NULL, 10), 1, 200);
  if (argc > 3)
    max_loaded = (guint) g_ascii_strtoull (argv[3], NULL, 10);
  if (max_loaded == 0)
    max_loaded = G_MAXUINT;

  soup_server_add_handler (server, "/v1/organizations", members_cb, NULL, NULL);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("%s", error->message);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  client = quorum_client_new (url);
  list = quorum_member_list_new (client, "org_bench");
  quorum_member_list_set_page_size (list, page_size);
  quorum_member_list_set_max_loaded (list, max_loaded);
  model = G_LIST_MODEL (list);

  malloc_trim (0);
  before = heap_mib ();
  peak = before;
  start = g_get_monotonic_time ();

  /* Scroll to the end the way a list view does: a row bound to each
   * position holds its item until its page is there. */
  g_list_model_get_n_items (model);
  while (quorum_member_list_get_loading (list))
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      G_GNUC_UNUSED g_autoptr(QuorumMember) member = g_list_model_get_item (model, i);

      while (quorum_member_list_get_loading (list))
        g_main_context_iteration (NULL, TRUE);
      if (quorum_member_list_get_error (list) != NULL)
        g_error ("%s", quorum_member_list_get_error (list)->message);
      peak = MAX (peak, heap_mib ());
    }

  seconds = (g_get_monotonic_time () - start) / 1e6;
  loaded = heap_mib ();
  peak = MAX (peak, loaded);
  n_loaded = g_list_model_get_n_items (model);
  n_held = quorum_member_list_get_n_loaded (list);

  /* Scroll back to the top, a page at a time: each dropped page is a
   * placeholder until it has been fetched again. */
  start = g_get_monotonic_time ();
  for (guint i = n_loaded; i-- > 0;)
    {
      g_autoptr(QuorumMember) member = g_list_model_get_item (model, i);

      if (!quorum_member_is_placeholder (member))
        continue;
      n_refetched++;  /* held (member) until its page is there */
      while (quorum_member_list_get_loading (list))
        g_main_context_iteration (NULL, TRUE);
      if (quorum_member_list_get_error (list) != NULL)
        g_error ("%s", quorum_member_list_get_error (list)->message);
      peak = MAX (peak, heap_mib ());
    }
  back_seconds = (g_get_monotonic_time () - start) / 1e6;
  back = heap_mib ();

  /* A query change drops everything at once. */
  quorum_member_list_set_query (list, "nobody");
  while (quorum_member_list_get_loading (list))
    g_main_context_iteration (NULL, TRUE);
  malloc_trim (0);
  dropped = heap_mib ();

  printf ("members loaded:          %u (pages of %u), %u held at the end (max-loaded %u)\n",
          n_loaded, page_size, n_held, max_loaded);
  printf ("time to page through:    %.2f s (%.0f members/s)\n", seconds, n_members / seconds);
  printf ("heap before:             %.1f MiB\n", before);
  printf ("heap at the end:         %.1f MiB (+%.1f MiB, %.0f bytes a member held)\n",
          loaded, loaded - before, n_held > 0 ? (loaded - before) * 1024 * 1024 / n_held : 0.0);
  printf ("heap peak:               %.1f MiB (+%.1f MiB)\n", peak, peak - before);
  printf ("back to the top:         %.2f s, %u pages fetched again, heap %.1f MiB (+%.1f MiB)\n",
          back_seconds, n_refetched, back, back - before);
  printf ("heap after query change: %.1f MiB\n", dropped);

  return 0;
}
