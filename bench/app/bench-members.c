/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include <adwaita.h>

#include "quorum-api.h"
#include "quorum-api-private.h"
#include "quorum-invite-dialog.h"
#include "quorum-member-roster.h"
#include "quorum-member-row.h"
#include "quorum-members-page.h"
#include "quorum-test-server.h"

#include "bench-app-util.h"

/*
 * The Members page at 100,000 members (docs/performance.md, "App"):
 *   1. the baseline: a new empty AdwApplicationWindow presented and painted,
 *      --runs times (median), then one kept: its RSS;
 *   2. the page in that window, signed in as the demo owner: from setting the
 *      organization to the first member rows painted, --runs times (the
 *      organization unset in between; the first run prints a timeline);
 *   3. jumps, --runs times each: to the end, and the scrollbar to 75 %, each
 *      from the top with the list's pages forgotten (so each jump fetches):
 *      until placeholder rows are painted there, and until the rows there
 *      are painted with their members; RSS, peak RSS, members held.
 * It starts its own quorum-server (--demo --demo-members N) unless given
 * --url. Needs a display (xvfb-run). Not a test.
 *
 * --first-rows stops after one first paint, with its timeline (for perf).
 * Use --runs 2 or more: with --runs 1 the first jump waits forever (seen
 * with the cursor-paged list too: the list view does not follow the
 * scrollbar set right after the first organization's rows; not understood).
 * --show keeps the page on screen instead (for screenshots), optionally with
 * the Invite dialog open.
 */

#define DEMO_EMAIL    "ada@demo.quorum.test"
#define DEMO_PASSWORD "quorum-demo"

static char    *opt_url;
static int      opt_members = 100000;
static gboolean opt_show;
static gboolean opt_invite;
static gboolean opt_dark;
static char    *opt_invite_email;
static int      opt_status_filter;
static int      opt_width = 960;
static int      opt_height = 720;
static char    *opt_organization;
static gboolean opt_first_rows;
static int      opt_runs = 5;

static GOptionEntry entries[] = {
  { "url", 0, 0, G_OPTION_ARG_STRING, &opt_url, "Use this running server (with the demo data)", "URL" },
  { "members", 0, 0, G_OPTION_ARG_INT, &opt_members, "Members of the demo organization (default 100000)", "N" },
  { "show", 0, 0, G_OPTION_ARG_NONE, &opt_show, "Only show the page (for screenshots)", NULL },
  { "invite", 0, 0, G_OPTION_ARG_NONE, &opt_invite, "With --show: open the Invite dialog", NULL },
  { "invite-email", 0, 0, G_OPTION_ARG_STRING, &opt_invite_email, "With --invite: type this address and send", "EMAIL" },
  { "status-filter", 0, 0, G_OPTION_ARG_INT, &opt_status_filter, "With --show: choose this status filter (1 active, 2 suspended)", "N" },
  { "dark", 0, 0, G_OPTION_ARG_NONE, &opt_dark, "With --show: dark style", NULL },
  { "width", 0, 0, G_OPTION_ARG_INT, &opt_width, "Window width", "PX" },
  { "height", 0, 0, G_OPTION_ARG_INT, &opt_height, "Window height", "PX" },
  { "runs", 0, 0, G_OPTION_ARG_INT, &opt_runs, "Runs of each timed step (default 5; the median is printed)", "N" },
  { "first-rows", 0, 0, G_OPTION_ARG_NONE, &opt_first_rows, "Stop once the first rows are painted, with a timeline of how", NULL },
  { "organization", 0, 0, G_OPTION_ARG_STRING, &opt_organization, "Organization name (default Acme Robotics)", "NAME" },
  { NULL }
};

/* RSS split into anonymous memory (heap, GL buffers), file-backed pages
 * (libraries, fonts, the icon cache) and shared memory, in MB. */
static char *
rss_split (void)
{
  return g_strdup_printf ("anon %.1f, file %.1f, shmem %.1f",
                          bench_proc_status_kb ("RssAnon:") / 1024.0,
                          bench_proc_status_kb ("RssFile:") / 1024.0,
                          bench_proc_status_kb ("RssShmem:") / 1024.0);
}

static void
find_rows (GtkWidget *root,
           GPtrArray *rows)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (QUORUM_IS_MEMBER_ROW (child))
        {
          if (gtk_widget_get_mapped (child) && quorum_member_row_get_item (QUORUM_MEMBER_ROW (child)) != NULL)
            g_ptr_array_add (rows, child);
        }
      else
        find_rows (child, rows);
    }
}

static gboolean
member_row_mapped (gpointer data)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  find_rows (data, rows);
  for (guint i = 0; i < rows->len; i++)
    if (QUORUM_IS_MEMBER (quorum_member_row_get_item (g_ptr_array_index (rows, i))))
      return TRUE;
  return FALSE;
}

static GtkWidget *
find_type (GtkWidget *root,
           GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) &&
          (type != GTK_TYPE_LIST_VIEW || GTK_IS_MULTI_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (child)))))
        return child;
      found = find_type (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  GtkWidget      *page;
  GListModel     *model;
  GtkAdjustment  *vadjustment;
  guint           expected;
  guint           scroll_steps;
} Scroll;

/* Keeps the view at the bottom until the last item is on screen. */
static gboolean
scrolled_to_end (gpointer data)
{
  Scroll *scroll = data;
  guint n = g_list_model_get_n_items (scroll->model);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GObject) last = NULL;
  QuorumMemberList *members;

  members = quorum_member_roster_get_members (QUORUM_MEMBER_ROSTER (gtk_multi_selection_get_model (GTK_MULTI_SELECTION (scroll->model))));
  if (quorum_member_list_get_error (members) != NULL)
    g_error ("loading members failed after %u: %s", n, quorum_member_list_get_error (members)->message);

  gtk_adjustment_set_value (scroll->vadjustment,
                            gtk_adjustment_get_upper (scroll->vadjustment) -
                            gtk_adjustment_get_page_size (scroll->vadjustment));
  scroll->scroll_steps++;
  if (n < scroll->expected)
    return FALSE;

  last = g_list_model_get_item (scroll->model, n - 1);
  rows = g_ptr_array_new ();
  find_rows (scroll->page, rows);
  for (guint i = 0; i < rows->len; i++)
    if (quorum_member_row_get_item (g_ptr_array_index (rows, i)) == last)
      return TRUE;
  return FALSE;
}

static QuorumMemberList *
scroll_members (Scroll *scroll)
{
  return quorum_member_roster_get_members (QUORUM_MEMBER_ROSTER (gtk_multi_selection_get_model (GTK_MULTI_SELECTION (scroll->model))));
}

/* The rows on screen show members again, none still loading. */
static gboolean
top_rows_loaded (gpointer data)
{
  Scroll *scroll = data;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  guint members = 0;

  gtk_adjustment_set_value (scroll->vadjustment, 0);
  find_rows (scroll->page, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      GObject *item = quorum_member_row_get_item (g_ptr_array_index (rows, i));

      if (QUORUM_IS_MEMBER (item) && quorum_member_is_placeholder (QUORUM_MEMBER (item)))
        return FALSE;
      if (QUORUM_IS_MEMBER (item))
        members++;
    }
  return members > 0 && !quorum_member_list_get_loading (scroll_members (scroll));
}

/* What happens between setting the organization and the first member rows
 * on screen, for the breakdown in docs/performance.md: the frame clock's
 * phases, the list's first answer, and the frame whose paint first had
 * member rows mapped (checked in that frame's after-paint, so the frame
 * that maps them counts, not the next one). */
typedef struct
{
  gint64      t0;
  GString    *log;
  GtkWidget  *page;
  gint64      phase_start;
  gint64      rows_painted;  /* 0 until then */
  guint       frames;
} Timeline;

static void
timeline_note (Timeline   *timeline,
               const char *what)
{
  if (timeline->log != NULL && timeline->rows_painted == 0)
    g_string_append_printf (timeline->log, "    %8.1f ms  %s\n",
                            (g_get_monotonic_time () - timeline->t0) / 1000.0, what);
}

static void
timeline_phase_start_cb (GdkFrameClock *clock,
                         Timeline      *timeline)
{
  timeline->phase_start = g_get_monotonic_time ();
}

static void
timeline_phase_end (Timeline   *timeline,
                    const char *phase)
{
  g_autofree char *what = NULL;

  if (timeline->log == NULL || timeline->rows_painted != 0)
    return;
  what = g_strdup_printf ("frame %u: %s took %.1f ms", timeline->frames, phase,
                          (g_get_monotonic_time () - timeline->phase_start) / 1000.0);
  timeline_note (timeline, what);
}

static void
timeline_layout_cb (GdkFrameClock *clock,
                    Timeline      *timeline)
{
  timeline_phase_end (timeline, "update+layout (size requests, allocation, rows bound)");
  timeline->phase_start = g_get_monotonic_time ();
}

static void
timeline_after_paint_cb (GdkFrameClock *clock,
                         Timeline      *timeline)
{
  timeline_phase_end (timeline, "paint (snapshot, render, present: layout end to after-paint)");
  timeline->frames++;
  if (timeline->log != NULL && timeline->rows_painted == 0 && member_row_mapped (timeline->page))
    {
      timeline_note (timeline, "this frame painted the first member rows");
      timeline->rows_painted = g_get_monotonic_time ();
    }
}

static void
timeline_loading_cb (QuorumMemberList *members,
                     GParamSpec       *pspec,
                     Timeline         *timeline)
{
  timeline_note (timeline, quorum_member_list_get_loading (members)
                           ? "members: first page asked for"
                           : "members: first page arrived and parsed");
}

static void
timeline_items_changed_cb (GListModel *model,
                           guint       position,
                           guint       removed,
                           guint       added,
                           Timeline   *timeline)
{
  g_autofree char *what = g_strdup_printf ("members: items-changed (%u, %u, %u)", position, removed, added);

  timeline_note (timeline, what);
}

/* A jump of the view: done when a frame painted rows none of which was
 * on screen before (placeholders allowed: "placeholders"), then when a
 * frame painted them all with their members ("rows"). */
typedef struct
{
  GtkWidget     *page;
  GtkWidget     *scrolled;
  GHashTable    *before;        /* items on screen before the jump */
  gint64         t0;
  gint64         placeholders;  /* 0 until then */
  gint64         rows;
  gulong         handler;
} Jump;

/* The items of the member rows inside the scrolled window's visible area. */
static GPtrArray *
items_on_screen (GtkWidget *page,
                 GtkWidget *scrolled)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GPtrArray *items = g_ptr_array_new ();
  int height = gtk_widget_get_height (scrolled);

  find_rows (page, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      graphene_rect_t bounds;

      if (gtk_widget_compute_bounds (g_ptr_array_index (rows, i), scrolled, &bounds) &&
          bounds.origin.y + bounds.size.height > 0 && bounds.origin.y < height)
        g_ptr_array_add (items, quorum_member_row_get_item (g_ptr_array_index (rows, i)));
    }
  return items;
}

static void
jump_after_paint_cb (GdkFrameClock *clock,
                     Jump          *jump)
{
  g_autoptr(GPtrArray) items = items_on_screen (jump->page, jump->scrolled);
  gboolean fresh = items->len > 0;
  gboolean loaded = items->len > 0;

  for (guint i = 0; i < items->len; i++)
    {
      GObject *item = g_ptr_array_index (items, i);

      if (g_hash_table_contains (jump->before, item))
        fresh = FALSE;
      if (QUORUM_IS_MEMBER (item) && quorum_member_is_placeholder (QUORUM_MEMBER (item)))
        loaded = FALSE;
    }
  if (fresh && jump->placeholders == 0)
    jump->placeholders = g_get_monotonic_time ();
  if (fresh && loaded && jump->rows == 0)
    jump->rows = g_get_monotonic_time ();
}

static gboolean
jump_done (gpointer data)
{
  return ((Jump *) data)->rows != 0;
}

/* Sets the scrollbar to @fraction of its range and waits for the rows
 * there to be painted; returns the jump's two times in ms. */
static void
jump_to (GtkWidget     *page,
         GtkWidget     *window,
         GtkAdjustment *vadjustment,
         double         fraction,
         double        *placeholders_ms,
         double        *rows_ms)
{
  Jump jump = { .page = page };
  g_autoptr(GPtrArray) before = NULL;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  double range = gtk_adjustment_get_upper (vadjustment) - gtk_adjustment_get_page_size (vadjustment);

  jump.scrolled = gtk_widget_get_ancestor (find_type (page, GTK_TYPE_LIST_VIEW), GTK_TYPE_SCROLLED_WINDOW);
  jump.before = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  before = items_on_screen (page, jump.scrolled);
  for (guint i = 0; i < before->len; i++)
    g_hash_table_add (jump.before, g_object_ref (g_ptr_array_index (before, i)));
  jump.handler = g_signal_connect (clock, "after-paint", G_CALLBACK (jump_after_paint_cb), &jump);
  jump.t0 = g_get_monotonic_time ();
  gtk_adjustment_set_value (vadjustment, fraction * range);
  bench_wait_until (jump_done, &jump, 120);
  g_clear_signal_handler (&jump.handler, clock);
  g_hash_table_unref (jump.before);
  *placeholders_ms = (jump.placeholders - jump.t0) / 1000.0;
  *rows_ms = (jump.rows - jump.t0) / 1000.0;
}

static gboolean
timeline_done (gpointer data)
{
  return ((Timeline *) data)->rows_painted != 0;
}

/* Puts the page, under a header bar, into @window. */
static void
page_window (GtkWidget      *window,
             const char     *title,
             const char     *subtitle,
             GtkWidget      *page)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *overlay = adw_toast_overlay_new ();

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (title, subtitle));
  gtk_box_append (GTK_BOX (box), header);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), page);
  gtk_widget_set_vexpand (overlay, TRUE);
  gtk_box_append (GTK_BOX (box), overlay);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_title (GTK_WINDOW (window), title);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- the Members page at 100,000 members");
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumTestServer) server = NULL;
  g_autoptr(AdwApplication) app = NULL;
  g_autoptr(QuorumClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(QuorumUser) user = NULL;
  g_autoptr(GPtrArray) organizations = NULL;
  g_autofree char *token = NULL;
  g_autofree char *members_arg = NULL;
  QuorumOrganization *organization;
  GtkWidget *empty_window;
  GtkWidget *window;
  GtkWidget *page;
  BenchPaintWatch watch = { 0 };
  Scroll scroll = { 0 };
  Timeline timeline = { 0 };
  guint total = 0;
  long empty_rss, empty_hwm, page_rss, first_rss, end_rss, end_hwm;
  g_autofree char *empty_split = NULL;
  g_autofree char *page_split = NULL;
  g_autofree char *first_split = NULL;
  g_autofree char *end_split = NULL;
  g_autofree double *empty_ms = NULL;
  g_autofree double *first_ms = NULL;
  g_autofree double *end_placeholders_ms = NULL;
  g_autofree double *end_rows_ms = NULL;
  g_autofree double *q3_placeholders_ms = NULL;
  g_autofree double *q3_rows_ms = NULL;
  g_autofree char *empty_summary = NULL;
  g_autofree char *first_summary = NULL;
  g_autofree char *load = NULL;
  guint held;
  gint64 t0, t_mapped, t_painted;
  double seed_s = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  adw_init ();
  app = adw_application_new ("org.quorumdesk.Quorum.BenchMembers", G_APPLICATION_NON_UNIQUE);
  /* The app's style.css, as in Quorum itself. */
  g_application_set_resource_base_path (G_APPLICATION (app), RESOURCE_BASE_PATH);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);
  if (opt_dark)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);

  opt_runs = CLAMP (opt_runs, 1, 100);
  empty_ms = g_new0 (double, opt_runs);
  first_ms = g_new0 (double, opt_runs);
  end_placeholders_ms = g_new0 (double, opt_runs);
  end_rows_ms = g_new0 (double, opt_runs);
  q3_placeholders_ms = g_new0 (double, opt_runs);
  q3_rows_ms = g_new0 (double, opt_runs);

  /* 1. The baseline: an empty application window, presented and painted. */
  for (int run = 0; run < opt_runs && !opt_show; run++)
    {
      GtkWidget *baseline = adw_application_window_new (GTK_APPLICATION (app));
      gint64 start;

      gtk_window_set_default_size (GTK_WINDOW (baseline), opt_width, opt_height);
      start = g_get_monotonic_time ();
      gtk_window_present (GTK_WINDOW (baseline));
      bench_wait_until (bench_is_mapped, baseline, 30);
      bench_paint_watch_start (&watch, baseline);
      bench_wait_until (bench_painted_once, &watch, 30);
      bench_paint_watch_stop (&watch);
      empty_ms[run] = (watch.first_paint - start) / 1000.0;
      gtk_window_destroy (GTK_WINDOW (baseline));
    }
  empty_summary = bench_summary (empty_ms, opt_runs);
  empty_window = adw_application_window_new (GTK_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (empty_window), opt_width, opt_height);
  gtk_window_present (GTK_WINDOW (empty_window));
  bench_wait_until (bench_is_mapped, empty_window, 30);
  bench_paint_watch_start (&watch, empty_window);
  bench_wait_until (bench_painted_twice, &watch, 30);
  bench_paint_watch_stop (&watch);
  empty_rss = bench_proc_status_kb ("VmRSS:");
  empty_hwm = bench_proc_status_kb ("VmHWM:");
  empty_split = rss_split ();

  /* The server and the sign-in are not part of what is measured. */
  if (opt_url == NULL)
    {
      const char *args[] = { "--demo", NULL, NULL };
      gint64 started = g_get_monotonic_time ();

      if (g_getenv ("QUORUM_SERVER_BINARY") == NULL)
        g_setenv ("QUORUM_SERVER_BINARY", QUORUM_SERVER_PATH, TRUE);
      members_arg = g_strdup_printf ("--demo-members=%d", opt_members);
      args[1] = members_arg;
      server = quorum_test_server_start (args, &error);
      if (server == NULL)
        g_error ("quorum-server: %s", error->message);
      seed_s = (g_get_monotonic_time () - started) / 1e6;
    }

  client = quorum_client_new (opt_url != NULL ? opt_url : quorum_test_server_get_url (server));
  quorum_client_sign_in_async (client, DEMO_EMAIL, DEMO_PASSWORD, NULL, bench_store_result, &result);
  bench_wait_until (bench_result_ready, &result, 60);
  user = quorum_client_sign_in_finish (client, result, &token, &error);
  if (user == NULL)
    g_error ("sign-in: %s", error->message);
  quorum_client_set_token (client, token);
  g_clear_object (&result);

  quorum_client_list_organizations_async (client, NULL, bench_store_result, &result);
  bench_wait_until (bench_result_ready, &result, 60);
  organizations = quorum_client_list_organizations_finish (client, result, &error);
  if (organizations == NULL)
    g_error ("organizations: %s", error->message);
  g_clear_object (&result);
  organization = bench_organization_named (organizations, opt_organization != NULL ? opt_organization : "Acme Robotics");

  if (!opt_show)
    {
      g_autoptr(GPtrArray) first = NULL;
      g_autoptr(GPtrArray) invitations = NULL;

      quorum_client_list_members_async (client, quorum_organization_get_id (organization), NULL,
                                        QUORUM_ROLE_NONE, NULL, NULL, 1, NULL, bench_store_result, &result);
      bench_wait_until (bench_result_ready, &result, 60);
      first = quorum_client_list_members_finish (client, result, NULL, &total, &error);
      if (first == NULL)
        g_error ("members: %s", error->message);
      g_clear_object (&result);
      quorum_client_list_invitations_async (client, quorum_organization_get_id (organization), "pending",
                                            NULL, bench_store_result, &result);
      bench_wait_until (bench_result_ready, &result, 60);
      invitations = quorum_client_list_invitations_finish (client, result, &error);
      if (invitations == NULL)
        g_error ("invitations: %s", error->message);
      g_clear_object (&result);
      scroll.expected = total + invitations->len;
    }

  /* 2. The page, in the same window, shown before the organization is set. */
  window = empty_window;
  page = quorum_members_page_new ();
  quorum_members_page_set_client (QUORUM_MEMBERS_PAGE (page), client);
  page_window (window, quorum_organization_get_name (organization), "Members", page);
  bench_wait_until (bench_is_mapped, page, 30);

  if (opt_show)
    {
      quorum_members_page_set_organization (QUORUM_MEMBERS_PAGE (page), organization);
      bench_wait_until (member_row_mapped, page, 60);
      if (opt_status_filter > 0)
        {
          GtkWidget *role = find_type (page, GTK_TYPE_DROP_DOWN);

          gtk_drop_down_set_selected (GTK_DROP_DOWN (gtk_widget_get_next_sibling (role)), opt_status_filter);
        }
      if (opt_invite)
        {
          GtkWidget *button = find_type (page, GTK_TYPE_SEARCH_ENTRY);

          g_signal_emit_by_name (gtk_widget_get_next_sibling (button), "clicked");
          if (opt_invite_email != NULL)
            {
              GListModel *toplevels = gtk_window_get_toplevels ();

              for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
                {
                  g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

                  if (QUORUM_IS_INVITE_DIALOG (toplevel))
                    {
                      quorum_invite_dialog_set_email (QUORUM_INVITE_DIALOG (toplevel), opt_invite_email);
                      quorum_invite_dialog_send (QUORUM_INVITE_DIALOG (toplevel));
                    }
                }
            }
        }
      g_print ("shown\n");
      while (TRUE)
        g_main_context_iteration (NULL, TRUE);
    }

  bench_paint_watch_start (&watch, window);
  bench_wait_until (bench_painted_twice, &watch, 30);
  bench_paint_watch_stop (&watch);
  page_rss = bench_proc_status_kb ("VmRSS:");
  page_split = rss_split ();

  /* 2. Organization set → first rows painted, --runs times. */
  for (int run = 0; run < opt_runs; run++)
    {
      GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

      if (run > 0)
        {
          /* Unset, and painted so, before the next run. */
          quorum_members_page_set_organization (QUORUM_MEMBERS_PAGE (page), NULL);
          bench_paint_watch_start (&watch, window);
          bench_wait_until (bench_painted_twice, &watch, 30);
          bench_paint_watch_stop (&watch);
          g_string_free (timeline.log, TRUE);
        }
      timeline = (Timeline) { .page = page, .log = g_string_new (NULL) };
      g_signal_connect (clock, "before-paint", G_CALLBACK (timeline_phase_start_cb), &timeline);
      g_signal_connect (clock, "layout", G_CALLBACK (timeline_layout_cb), &timeline);
      g_signal_connect (clock, "after-paint", G_CALLBACK (timeline_after_paint_cb), &timeline);
      t0 = timeline.t0 = g_get_monotonic_time ();
      quorum_members_page_set_organization (QUORUM_MEMBERS_PAGE (page), organization);
      {
        GtkWidget *view = find_type (page, GTK_TYPE_LIST_VIEW);
        GListModel *roster = gtk_multi_selection_get_model (GTK_MULTI_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (view))));

        if (roster != NULL)
          {
            QuorumMemberList *members = quorum_member_roster_get_members (QUORUM_MEMBER_ROSTER (roster));

            timeline_note (&timeline, "organization set (request sent)");
            g_signal_connect (members, "notify::loading", G_CALLBACK (timeline_loading_cb), &timeline);
            g_signal_connect (members, "items-changed", G_CALLBACK (timeline_items_changed_cb), &timeline);
          }
      }
      bench_wait_until (member_row_mapped, page, 60);
      t_mapped = g_get_monotonic_time ();
      bench_paint_watch_start (&watch, window);
      bench_wait_until (bench_painted_once, &watch, 30);
      bench_paint_watch_stop (&watch);
      t_painted = watch.first_paint;
      bench_wait_until (timeline_done, &timeline, 30);
      g_signal_handlers_disconnect_by_data (clock, &timeline);
      {
        GtkWidget *view = find_type (page, GTK_TYPE_LIST_VIEW);
        GListModel *roster = gtk_multi_selection_get_model (GTK_MULTI_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (view))));

        g_signal_handlers_disconnect_by_data (quorum_member_roster_get_members (QUORUM_MEMBER_ROSTER (roster)), &timeline);
      }
      first_ms[run] = (timeline.rows_painted - t0) / 1000.0;
      if (run == 0)
        {
          printf ("Members page, %u members: organization set → first rows painted, first run\n%s", total,
                  timeline.log->str);
          printf ("  first rows mapped: %8.1f ms; next frame painted (the old measure): %8.1f ms\n",
                  (t_mapped - t0) / 1000.0, (t_painted - t0) / 1000.0);
          /* For perf record -k CLOCK_MONOTONIC; perf report --time START,END */
          printf ("  CLOCK_MONOTONIC window: %.6f,%.6f\n", t0 / 1e6, timeline.rows_painted / 1e6);
          if (opt_first_rows)
            return 0;
        }
    }
  g_string_free (timeline.log, TRUE);
  first_summary = bench_summary (first_ms, opt_runs);
  first_rss = bench_proc_status_kb ("VmRSS:");
  first_split = rss_split ();

  /* 3. Jumps: to the end and to 75 %, each from the top with the list's
   * pages forgotten, so that each one fetches. */
  scroll.page = page;
  {
    GtkWidget *view = find_type (page, GTK_TYPE_LIST_VIEW);
    GtkWidget *scrolled = gtk_widget_get_ancestor (view, GTK_TYPE_SCROLLED_WINDOW);

    scroll.model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (view)));
    scroll.vadjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  }
  for (int run = 0; run < opt_runs; run++)
    for (int target = 0; target < 2; target++)
      {
        QuorumMemberList *members = scroll_members (&scroll);
        guint max_loaded = quorum_member_list_get_max_loaded (members);

        bench_wait_until (top_rows_loaded, &scroll, 60);
        /* Forget every page (the rows on screen keep their members). */
        quorum_member_list_set_max_loaded (members, 1);
        quorum_member_list_set_max_loaded (members, max_loaded);
        if (target == 0)
          jump_to (page, window, scroll.vadjustment, 1.0, &end_placeholders_ms[run], &end_rows_ms[run]);
        else
          jump_to (page, window, scroll.vadjustment, 0.75, &q3_placeholders_ms[run], &q3_rows_ms[run]);
      }
  /* The last row is there after the jump to the end. */
  jump_to (page, window, scroll.vadjustment, 1.0, &(double) { 0 }, &(double) { 0 });
  bench_wait_until (scrolled_to_end, &scroll, 60);
  end_rss = bench_proc_status_kb ("VmRSS:");
  end_hwm = bench_proc_status_kb ("VmHWM:");
  end_split = rss_split ();
  held = quorum_member_list_get_n_loaded (scroll_members (&scroll));

  load = bench_load_average ();
  printf ("Members page, %u members + %u pending invitations (server seeded in %.1f s), load %s\n",
          total, scroll.expected - total, seed_s, load);
  printf ("  empty window, present to first paint (baseline): %s\n", empty_summary);
  printf ("  organization set → first rows painted:           %s\n", first_summary);
  printf ("  jump to the end → placeholder rows painted:      %s\n", bench_summary (end_placeholders_ms, opt_runs));
  printf ("  jump to the end → its rows painted:              %s\n", bench_summary (end_rows_ms, opt_runs));
  printf ("  scrollbar to 75 %% → placeholder rows painted:    %s\n", bench_summary (q3_placeholders_ms, opt_runs));
  printf ("  scrollbar to 75 %% → its rows painted:            %s\n", bench_summary (q3_rows_ms, opt_runs));
  printf ("  RSS, empty AdwApplicationWindow:                  %8.1f MB (peak %.1f MB; %s)\n",
          empty_rss / 1024.0, empty_hwm / 1024.0, empty_split);
  printf ("  RSS, page shown, no organization yet:             %8.1f MB (%s)\n", page_rss / 1024.0, page_split);
  printf ("  RSS, first rows on screen:                        %8.1f MB (%s)\n", first_rss / 1024.0, first_split);
  printf ("  RSS after the jumps, at the last row:             %8.1f MB (%s)\n", end_rss / 1024.0, end_split);
  printf ("  peak RSS (VmHWM):                                 %8.1f MB, %+.1f MB over the empty window\n",
          end_hwm / 1024.0, (end_hwm - empty_hwm) / 1024.0);
  printf ("  members held by the list at the end:              %8u (max-loaded %u)\n",
          held, quorum_member_list_get_max_loaded (scroll_members (&scroll)));

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
