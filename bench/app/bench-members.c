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
 *      are painted with their members; RSS, peak RSS, members held;
 *   4. frame times while scrolling, --runs times: the empty window redrawn
 *      every frame (the baseline, measured before the page is put in it),
 *      and redrawn and laid out again every frame (a second baseline: a
 *      scrolled frame has a layout phase), then the list scrolled --scroll-speed px every frame for
 *      --scroll-frames frames from 10 %, 30 %, … of the list with the
 *      pages forgotten, so that it crosses loaded rows and placeholders;
 *      p50/p95/p99 of each run's frames, the median of the runs;
 *   5. scrolling through, --runs times: from the first row to the last,
 *      the scrollbar dragged over --through-frames frames, until the last
 *      row is painted with its member; RSS after each (flat: the list
 *      holds max-loaded members, whatever was scrolled past);
 *   6. typing a name into the search entry, --runs times: one character
 *      every --key-interval ms (the page's own debounce applies), from the
 *      last key until a frame painted the matching rows.
 * It starts its own quorum-server (--demo --demo-members N) unless given
 * --url. Needs a display (xvfb-run). Not a test.
 *
 * --first-rows stops after one first paint, with its timeline (for perf).
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
static int      opt_scroll_speed = 60;
static int      opt_scroll_frames = 300;
static int      opt_through_frames = 600;
static int      opt_key_interval = 120;
static char    *opt_query;
static char    *opt_only;

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
  { "scroll-speed", 0, 0, G_OPTION_ARG_INT, &opt_scroll_speed, "Frame times: px scrolled every frame (default 60, a brisk fling)", "PX" },
  { "scroll-frames", 0, 0, G_OPTION_ARG_INT, &opt_scroll_frames, "Frame times: frames scrolled in each run (default 300)", "N" },
  { "through-frames", 0, 0, G_OPTION_ARG_INT, &opt_through_frames, "Scrolling through: frames from the first row to the last (default 600)", "N" },
  { "key-interval", 0, 0, G_OPTION_ARG_INT, &opt_key_interval, "Typing: ms between two keys (default 120)", "MS" },
  { "query", 0, 0, G_OPTION_ARG_STRING, &opt_query, "Typing: the name typed (default Greta Haddad)", "TEXT" },
  { "only", 0, 0, G_OPTION_ARG_STRING, &opt_only, "Only these steps after the first rows, comma-separated: jumps, frames, through, search (default all)", "STEPS" },
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
  double          nudge;         /* px short of the end, once blank */
  gint64          blank_since;   /* no row on screen since then */
  guint           blank_nudges;
} Scroll;

/* Keeps the view at the bottom until the last item is on screen with its
 * member. */
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
                            gtk_adjustment_get_page_size (scroll->vadjustment) - scroll->nudge);
  scroll->scroll_steps++;
  if (n < scroll->expected)
    return FALSE;

  last = g_list_model_get_item (scroll->model, n - 1);
  rows = g_ptr_array_new ();
  find_rows (scroll->page, rows);
  /* GtkListView 4.8 at the very end can stay blank (see top_rows_loaded()):
   * after a second with no row, a pixel short of the end. */
  if (rows->len == 0)
    {
      if (scroll->blank_since == 0)
        scroll->blank_since = g_get_monotonic_time ();
      else if (g_get_monotonic_time () - scroll->blank_since > G_USEC_PER_SEC && scroll->nudge == 0)
        {
          g_printerr ("The view is blank at the end: nudged\n");
          scroll->blank_nudges++;
          scroll->nudge = 1;
        }
      return FALSE;
    }
  scroll->blank_since = 0;
  if (QUORUM_IS_MEMBER (last) && quorum_member_is_placeholder (QUORUM_MEMBER (last)))
    return FALSE;
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

/* The rows on screen show members again, nothing on its way: no page,
 * and the invitations in. (GtkListView 4.8 shows no rows at all after the
 * scrollbar is set to the very end when items change elsewhere in the list
 * before the next frame, until the next scroll: a jump right after the
 * first rows, with the second page or the invitations still on their way,
 * waited forever.) */
static gboolean
top_rows_loaded (gpointer data)
{
  Scroll *scroll = data;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  guint members = 0;

  gtk_adjustment_set_value (scroll->vadjustment, 0);
  if (g_list_model_get_n_items (scroll->model) != scroll->expected)
    return FALSE;
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

/* Jumps after which the view stayed blank for 10 s (see top_rows_loaded()),
 * nudged by a pixel. */
static guint jumps_stalled;

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

static gboolean
jump_done_or_stalled (gpointer data)
{
  Jump *jump = data;

  return jump->rows != 0 || (jump->placeholders == 0 && g_get_monotonic_time () - jump->t0 > 10 * G_USEC_PER_SEC);
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
  bench_wait_until (jump_done_or_stalled, &jump, 120);
  if (jump.rows == 0 && jump.placeholders == 0)
    {
      g_printerr ("The view is still blank 10 s after a jump to %.0f %% (value %.0f of %.0f): nudged\n",
                  fraction * 100, gtk_adjustment_get_value (vadjustment), range);
      jumps_stalled++;
      gtk_adjustment_set_value (vadjustment, fraction * range - 1);
    }
  bench_wait_until (jump_done, &jump, 120);
  g_clear_signal_handler (&jump.handler, clock);
  g_hash_table_unref (jump.before);
  *placeholders_ms = (jump.placeholders - jump.t0) / 1000.0;
  *rows_ms = (jump.rows - jump.t0) / 1000.0;
}

/* Forgets every page of the list (the rows on screen keep their members;
 * every other position reads as a placeholder again). */
static void
forget_pages (QuorumMemberList *members)
{
  guint max_loaded = quorum_member_list_get_max_loaded (members);

  quorum_member_list_set_max_loaded (members, 1);
  quorum_member_list_set_max_loaded (members, max_loaded);
}

/* Moves the view every frame, as a scroll or a drag would (from a tick
 * callback, so in the frame's update phase); without an adjustment, only
 * redraws the widget every frame. */
typedef struct
{
  GtkAdjustment *adjustment;
  double         start;
  double         step_px;        /* every frame */
  double         step_fraction;  /* of the range, every frame */
  gboolean       relayout;       /* without adjustment: lay the widget out again too */
  guint          frame;
  guint          frames;
  guint          tick_id;
} Drive;

static gboolean
drive_tick_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       data)
{
  Drive *drive = data;

  if (drive->frame >= drive->frames)
    {
      drive->tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  drive->frame++;
  if (drive->adjustment == NULL)
    {
      if (drive->relayout)
        gtk_widget_queue_allocate (widget);
      gtk_widget_queue_draw (widget);
    }
  else
    {
      double range = gtk_adjustment_get_upper (drive->adjustment) - gtk_adjustment_get_page_size (drive->adjustment);

      gtk_adjustment_set_value (drive->adjustment,
                                MIN (drive->start + drive->frame * (drive->step_px + drive->step_fraction * range),
                                     range));
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
drive_done (gpointer data)
{
  return ((Drive *) data)->tick_id == 0;
}

static void
drive_run (Drive     *drive,
           GtkWidget *widget)
{
  drive->frame = 0;
  drive->tick_id = gtk_widget_add_tick_callback (widget, drive_tick_cb, drive, NULL);
  bench_wait_until (drive_done, drive, 600);
}

/* Frames painted with a placeholder row on screen, out of all painted. */
typedef struct
{
  GtkWidget *page;
  GtkWidget *scrolled;
  guint      frames;
  guint      with_placeholders;
  gulong     handler;
} Crossing;

static void
crossing_after_paint_cb (GdkFrameClock *clock,
                         Crossing      *crossing)
{
  g_autoptr(GPtrArray) items = items_on_screen (crossing->page, crossing->scrolled);

  crossing->frames++;
  for (guint i = 0; i < items->len; i++)
    {
      GObject *item = g_ptr_array_index (items, i);

      if (QUORUM_IS_MEMBER (item) && quorum_member_is_placeholder (QUORUM_MEMBER (item)))
        {
          crossing->with_placeholders++;
          return;
        }
    }
}

static void
crossing_start (Crossing  *crossing,
                GtkWidget *page,
                GtkWidget *window)
{
  *crossing = (Crossing) {
    .page = page,
    .scrolled = gtk_widget_get_ancestor (find_type (page, GTK_TYPE_LIST_VIEW), GTK_TYPE_SCROLLED_WINDOW),
  };
  crossing->handler = g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                                        G_CALLBACK (crossing_after_paint_cb), crossing);
}

static void
crossing_stop (Crossing  *crossing,
               GtkWidget *window)
{
  g_clear_signal_handler (&crossing->handler, gtk_widget_get_frame_clock (window));
}

/* The frames of --runs runs: each run's p50, p95 and p99 of the frames'
 * work and of the intervals between them, the share of intervals over
 * 1.5 refresh intervals (a frame missed), frames with placeholders. */
static const double percentiles[] = { 50, 95, 99 };

typedef struct
{
  double *work[G_N_ELEMENTS (percentiles)];
  double *cpu[G_N_ELEMENTS (percentiles)];
  double *interval[G_N_ELEMENTS (percentiles)];
  double *preempted;    /* mean involuntary context switches a frame */
  double *slow_cpu;     /* mean CPU time of the frames whose work was over a refresh interval */
  double *work_max;
  double *missed;       /* % of the intervals */
  double *placeholders; /* % of the frames */
  double  refresh_ms;
  guint   frames;       /* of the last run */
} FrameRuns;

static void
frame_runs_init (FrameRuns *runs)
{
  for (guint i = 0; i < G_N_ELEMENTS (percentiles); i++)
    {
      runs->work[i] = g_new0 (double, opt_runs);
      runs->cpu[i] = g_new0 (double, opt_runs);
      runs->interval[i] = g_new0 (double, opt_runs);
    }
  runs->preempted = g_new0 (double, opt_runs);
  runs->slow_cpu = g_new0 (double, opt_runs);
  runs->work_max = g_new0 (double, opt_runs);
  runs->missed = g_new0 (double, opt_runs);
  runs->placeholders = g_new0 (double, opt_runs);
}

static void
frame_runs_clear (FrameRuns *runs)
{
  for (guint i = 0; i < G_N_ELEMENTS (percentiles); i++)
    {
      g_free (runs->work[i]);
      g_free (runs->cpu[i]);
      g_free (runs->interval[i]);
    }
  g_free (runs->preempted);
  g_free (runs->slow_cpu);
  g_free (runs->work_max);
  g_free (runs->missed);
  g_free (runs->placeholders);
}

static void
frame_runs_add (FrameRuns   *runs,
                int          run,
                BenchFrames *frames,
                Crossing    *crossing)
{
  double *work = (double *) (void *) frames->work_ms->data;
  double *interval = (double *) (void *) frames->interval_ms->data;
  double *cpu = (double *) (void *) frames->cpu_ms->data;
  guint missed = 0;
  guint slow = 0;
  double slow_cpu = 0, preempted = 0;
  /* Xvfb has no compositor to report the refresh: GDK's default, 60 Hz. */
  double refresh_ms = frames->refresh_ms > 0 ? frames->refresh_ms : 1000.0 / 60;

  if (frames->work_ms->len == 0 || frames->interval_ms->len == 0)
    g_error ("no frames painted");
  for (guint i = 0; i < frames->interval_ms->len; i++)
    if (interval[i] > 1.5 * refresh_ms)
      missed++;
  /* Before the percentiles sort work_ms and cpu_ms in place. */
  for (guint i = 0; i < frames->work_ms->len; i++)
    {
      preempted += g_array_index (frames->preempted, double, i);
      if (work[i] > refresh_ms)
        slow++, slow_cpu += cpu[i];
    }
  runs->preempted[run] = preempted / frames->work_ms->len;
  runs->slow_cpu[run] = slow > 0 ? slow_cpu / slow : 0;
  for (guint i = 0; i < G_N_ELEMENTS (percentiles); i++)
    {
      runs->work[i][run] = bench_percentile (work, frames->work_ms->len, percentiles[i]);
      runs->cpu[i][run] = bench_percentile (cpu, frames->cpu_ms->len, percentiles[i]);
      runs->interval[i][run] = bench_percentile (interval, frames->interval_ms->len, percentiles[i]);
    }
  runs->work_max[run] = work[frames->work_ms->len - 1];
  runs->missed[run] = 100.0 * missed / frames->interval_ms->len;
  runs->placeholders[run] = crossing != NULL && crossing->frames > 0
                            ? 100.0 * crossing->with_placeholders / crossing->frames : 0;
  runs->refresh_ms = refresh_ms;
  runs->frames = frames->work_ms->len;
}

static void
frame_runs_print (FrameRuns  *runs,
                  const char *what)
{
  printf ("  frames, %s (%u frames a run, refresh interval %.1f ms):\n", what, runs->frames, runs->refresh_ms);
  for (guint i = 0; i < G_N_ELEMENTS (percentiles); i++)
    {
      g_autofree char *work = bench_summary (runs->work[i], opt_runs);
      g_autofree char *cpu = bench_summary (runs->cpu[i], opt_runs);
      g_autofree char *interval = bench_summary (runs->interval[i], opt_runs);

      printf ("    p%-2.0f frame work (before-paint → after-paint): %s\n", percentiles[i], work);
      printf ("    p%-2.0f frame work, the main thread's CPU time: %s\n", percentiles[i], cpu);
      printf ("    p%-2.0f frame interval (after-paint → after-paint): %s\n", percentiles[i], interval);
    }
  {
    g_autofree char *preempted = bench_summary_unit (runs->preempted, opt_runs, "a frame");
    g_autofree char *slow_cpu = bench_summary (runs->slow_cpu, opt_runs);

    printf ("    CPU time of the frames whose work was over a refresh interval (mean): %s\n", slow_cpu);
    printf ("    times the CPU was taken from the main thread during a frame (involuntary context switches, mean over the frames): %s\n", preempted);
  }
  {
    g_autofree char *max = bench_summary (runs->work_max, opt_runs);
    g_autofree char *missed = bench_summary_unit (runs->missed, opt_runs, "%");
    g_autofree char *placeholders = bench_summary_unit (runs->placeholders, opt_runs, "%");

    printf ("    longest frame work: %s\n", max);
    printf ("    intervals over 1.5 refresh intervals (frames missed): %s\n", missed);
    printf ("    frames with placeholder rows on screen: %s\n", placeholders);
  }
}

/* Where the scrolling frames' time goes: each frame's update+layout
 * (before-paint to the end of layout: tick callbacks, rows set up and
 * bound, measured, allocated) and paint (snapshot, render), from
 * BenchFrames, with the rows the view set up (new row widgets) and bound
 * in it, and what happened between frames (network answers swapped in). */
typedef struct
{
  double work, layout, paint, between;
  guint  setups, binds, setups_between, binds_between;
} FrameRecord;

typedef struct
{
  BenchFrames        *frames;
  GtkListItemFactory *factory;
  guint               first;      /* this run's first record */
  guint               setups, binds;
  GArray             *records;
} Breakdown;

static void
breakdown_setup_cb (GtkListItemFactory *factory,
                    GtkListItem        *item,
                    Breakdown          *breakdown)
{
  breakdown->setups++;
}

static void
breakdown_bind_cb (GtkListItemFactory *factory,
                   GtkListItem        *item,
                   Breakdown          *breakdown)
{
  breakdown->binds++;
}

/* Counts up to the frame's layout belong to the frame, the rest before
 * it to the gap before it. */
static void
breakdown_before_paint_cb (GdkFrameClock *clock,
                           Breakdown     *breakdown)
{
  FrameRecord record = { .setups_between = breakdown->setups, .binds_between = breakdown->binds };

  g_array_append_val (breakdown->records, record);
  breakdown->setups = breakdown->binds = 0;
}

static void
breakdown_after_paint_cb (GdkFrameClock *clock,
                          Breakdown     *breakdown)
{
  FrameRecord *record;

  /* Started between this frame's before-paint and after-paint. */
  if (breakdown->records->len == breakdown->first)
    return;
  record = &g_array_index (breakdown->records, FrameRecord, breakdown->records->len - 1);
  record->setups = breakdown->setups;
  record->binds = breakdown->binds;
  breakdown->setups = breakdown->binds = 0;
}

/* After bench_frames_start (@frames), so that its after-paint runs first. */
static void
breakdown_start (Breakdown   *breakdown,
                 BenchFrames *frames,
                 GtkWidget   *page)
{
  GtkWidget *view = find_type (page, GTK_TYPE_LIST_VIEW);

  if (breakdown->records == NULL)
    breakdown->records = g_array_new (FALSE, FALSE, sizeof (FrameRecord));
  breakdown->frames = frames;
  breakdown->first = breakdown->records->len;
  breakdown->setups = breakdown->binds = 0;
  breakdown->factory = gtk_list_view_get_factory (GTK_LIST_VIEW (view));
  g_signal_connect (frames->clock, "before-paint", G_CALLBACK (breakdown_before_paint_cb), breakdown);
  g_signal_connect (frames->clock, "after-paint", G_CALLBACK (breakdown_after_paint_cb), breakdown);
  g_signal_connect (breakdown->factory, "setup", G_CALLBACK (breakdown_setup_cb), breakdown);
  g_signal_connect (breakdown->factory, "bind", G_CALLBACK (breakdown_bind_cb), breakdown);
}

/* Before bench_frames_stop(): the run's times, from BenchFrames. */
static void
breakdown_stop (Breakdown *breakdown)
{
  BenchFrames *frames = breakdown->frames;

  g_signal_handlers_disconnect_by_data (frames->clock, breakdown);
  g_signal_handlers_disconnect_by_data (breakdown->factory, breakdown);
  /* A frame begun and not painted yet. */
  g_array_set_size (breakdown->records, breakdown->first + frames->work_ms->len);
  for (guint i = 0; i < frames->work_ms->len; i++)
    {
      FrameRecord *record = &g_array_index (breakdown->records, FrameRecord, breakdown->first + i);

      record->work = g_array_index (frames->work_ms, double, i);
      record->layout = g_array_index (frames->layout_ms, double, i);
      record->paint = record->work - record->layout;
      record->between = i > 0 ? g_array_index (frames->interval_ms, double, i - 1) - record->work : 0;
    }
}

/* Means over the frames of all runs, the slow ones (work over one refresh
 * interval) apart from the others; and the gaps between frames. */
static void
breakdown_print (Breakdown  *breakdown,
                 const char *what)
{
  const char *labels[] = { "frames within 16.7 ms", "frames over 16.7 ms" };
  guint n_gaps = 0, gap_setups = 0, gap_binds = 0;
  double gap_ms = 0;

  if (breakdown->records == NULL || breakdown->records->len == 0)
    return;
  printf ("  where the time goes, %s (means over all runs' frames):\n", what);
  for (int slow = 0; slow < 2; slow++)
    {
      guint n = 0;
      double layout = 0, paint = 0, setups = 0, binds = 0;

      for (guint i = 0; i < breakdown->records->len; i++)
        {
          FrameRecord *r = &g_array_index (breakdown->records, FrameRecord, i);

          if ((r->work > 1000.0 / 60) != slow)
            continue;
          n++;
          layout += r->layout;
          paint += r->paint;
          setups += r->setups;
          binds += r->binds;
        }
      if (n == 0)
        continue;
      printf ("    %s: %u; update+layout %.1f ms, paint %.1f ms; rows set up %.1f, bound %.1f a frame\n",
              labels[slow], n, layout / n, paint / n, setups / n, binds / n);
    }
  for (guint i = 0; i < breakdown->records->len; i++)
    {
      FrameRecord *r = &g_array_index (breakdown->records, FrameRecord, i);

      if (r->between > 10)
        {
          n_gaps++;
          gap_ms += r->between;
          gap_setups += r->setups_between;
          gap_binds += r->binds_between;
        }
    }
  if (n_gaps > 0)
    printf ("    gaps over 10 ms between frames (main loop busy outside the frame clock): %u, "
            "mean %.1f ms; rows set up %.1f, bound %.1f in each\n",
            n_gaps, gap_ms / n_gaps, (double) gap_setups / n_gaps, (double) gap_binds / n_gaps);
}

/* The empty window redrawn every frame: what a frame costs with nothing in
 * it. With @relayout also laid out again every frame, as a scrolled list
 * is (its adjustment queues an allocation): GDK then computes the
 * toplevel's size in each frame, which on X11 asks the X server for the
 * window's monitor and work area (docs/performance.md, "Where a slow
 * scrolling frame goes"). */
static void
idle_frames_run (GtkWidget   *window,
                 gboolean     relayout,
                 BenchFrames *frames)
{
  Drive drive = { .frames = opt_scroll_frames, .relayout = relayout };

  bench_frames_start (frames, window);
  drive_run (&drive, window);
  bench_frames_stop (frames);
}

/* Jumps to @fraction, lets its rows load, forgets every page, then scrolls
 * --scroll-speed px a frame for --scroll-frames frames: the rows bound
 * around the view keep their members, the ones beyond are placeholders
 * until their page arrives. */
static void
scroll_frames_run (Scroll      *scroll,
                   GtkWidget   *window,
                   double       fraction,
                   BenchFrames *frames,
                   Crossing    *crossing,
                   Breakdown   *breakdown)
{
  Drive drive = { .adjustment = scroll->vadjustment, .step_px = opt_scroll_speed, .frames = opt_scroll_frames };
  double placeholders_ms, rows_ms;

  bench_wait_until (top_rows_loaded, scroll, 60);
  forget_pages (scroll_members (scroll));
  jump_to (scroll->page, window, scroll->vadjustment, fraction, &placeholders_ms, &rows_ms);
  forget_pages (scroll_members (scroll));
  drive.start = gtk_adjustment_get_value (scroll->vadjustment);
  bench_frames_start (frames, window);
  crossing_start (crossing, scroll->page, window);
  breakdown_start (breakdown, frames, scroll->page);
  drive_run (&drive, window);
  breakdown_stop (breakdown);
  crossing_stop (crossing, window);
  bench_frames_stop (frames);
}

/* From the first row to the last, the scrollbar dragged over
 * --through-frames frames, until the last row is painted with its member;
 * returns the time in ms. */
static double
through_run (Scroll      *scroll,
             GtkWidget   *window,
             BenchFrames *frames,
             Crossing    *crossing,
             Breakdown   *breakdown)
{
  Drive drive = { .adjustment = scroll->vadjustment, .step_fraction = 1.0 / MAX (opt_through_frames, 1),
                  .frames = opt_through_frames };
  gint64 t0;

  bench_wait_until (top_rows_loaded, scroll, 60);
  forget_pages (scroll_members (scroll));
  scroll->nudge = 0;
  scroll->blank_since = 0;
  bench_frames_start (frames, window);
  crossing_start (crossing, scroll->page, window);
  breakdown_start (breakdown, frames, scroll->page);
  t0 = g_get_monotonic_time ();
  drive_run (&drive, window);
  bench_wait_until (scrolled_to_end, scroll, 120);
  breakdown_stop (breakdown);
  crossing_stop (crossing, window);
  bench_frames_stop (frames);
  return (g_get_monotonic_time () - t0) / 1000.0;
}

/* Typing a name: done when a frame painted rows of the search's list
 * (none of those on screen before, none a placeholder). */
typedef struct
{
  Scroll     *scroll;
  GtkWidget  *scrolled;
  GHashTable *before;
  const char *query;
  guint       n_matches;
  char       *first_name;
  gint64      swapped;  /* the search's first page there: the list shown */
  gint64      painted;
} Search;

static void
search_swapped_cb (GtkMultiSelection *selection,
                   GParamSpec        *pspec,
                   Search            *search)
{
  if (search->swapped == 0)
    search->swapped = g_get_monotonic_time ();
}

static void
search_after_paint_cb (GdkFrameClock *clock,
                       Search        *search)
{
  g_autoptr(GPtrArray) items = NULL;
  QuorumMemberList *members = scroll_members (search->scroll);
  guint n_members = 0;

  if (search->painted != 0 || g_strcmp0 (quorum_member_list_get_query (members), search->query) != 0)
    return;
  items = items_on_screen (search->scroll->page, search->scrolled);
  for (guint i = 0; i < items->len; i++)
    {
      GObject *item = g_ptr_array_index (items, i);

      if (!QUORUM_IS_MEMBER (item))
        continue;
      if (quorum_member_is_placeholder (QUORUM_MEMBER (item)) || g_hash_table_contains (search->before, item))
        return;
      if (n_members++ == 0)
        {
          g_free (search->first_name);
          search->first_name = g_strdup (quorum_member_get_name (QUORUM_MEMBER (item)));
        }
    }
  if (n_members == 0)
    return;
  search->painted = g_get_monotonic_time ();
  search->n_matches = quorum_member_list_get_total (members);
}

static gboolean
search_painted (gpointer data)
{
  return ((Search *) data)->painted != 0;
}

static gboolean
whole_list_shown (gpointer data)
{
  Scroll *scroll = data;

  return quorum_member_list_get_query (scroll_members (scroll)) == NULL && top_rows_loaded (scroll);
}

/* Empties the search entry (back to the whole list), then types @query
 * into it one character every --key-interval ms, as a user would (the
 * entry's "changed" and the page's debounce, as for keys); returns the
 * time from the last key to the matching rows painted, in ms. */
static double
search_run (Scroll     *scroll,
            GtkWidget  *window,
            const char *query,
            double     *from_first_ms,
            double     *swapped_ms,
            Search     *search)
{
  GtkWidget *entry = find_type (scroll->page, GTK_TYPE_SEARCH_ENTRY);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  g_autoptr(GPtrArray) before = NULL;
  gint64 first_key = 0, last_key = 0;
  gulong handler;

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  bench_wait_until (whole_list_shown, scroll, 60);
  bench_wait_ms (100);

  search->scroll = scroll;
  search->scrolled = gtk_widget_get_ancestor (find_type (scroll->page, GTK_TYPE_LIST_VIEW), GTK_TYPE_SCROLLED_WINDOW);
  search->query = query;
  search->painted = 0;
  search->swapped = 0;
  search->before = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  before = items_on_screen (scroll->page, search->scrolled);
  for (guint i = 0; i < before->len; i++)
    g_hash_table_add (search->before, g_object_ref (g_ptr_array_index (before, i)));
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (search_after_paint_cb), search);
  g_signal_connect (scroll->model, "notify::model", G_CALLBACK (search_swapped_cb), search);

  gtk_widget_grab_focus (entry);
  for (const char *c = query; *c != '\0'; c = g_utf8_next_char (c))
    {
      int position = gtk_editable_get_position (GTK_EDITABLE (entry));

      if (c != query)
        bench_wait_ms (opt_key_interval);
      last_key = g_get_monotonic_time ();
      if (first_key == 0)
        first_key = last_key;
      gtk_editable_insert_text (GTK_EDITABLE (entry), c, g_utf8_next_char (c) - c, &position);
      gtk_editable_set_position (GTK_EDITABLE (entry), position);
    }
  bench_wait_until (search_painted, search, 60);
  g_signal_handler_disconnect (clock, handler);
  g_signal_handlers_disconnect_by_func (scroll->model, search_swapped_cb, search);
  g_clear_pointer (&search->before, g_hash_table_unref);
  *from_first_ms = (search->painted - first_key) / 1000.0;
  *swapped_ms = (search->swapped - last_key) / 1000.0;
  return (search->painted - last_key) / 1000.0;
}

static gboolean
step_wanted (const char *step)
{
  g_auto(GStrv) steps = NULL;

  if (opt_only == NULL)
    return TRUE;
  steps = g_strsplit (opt_only, ",", -1);
  return g_strv_contains ((const char * const *) steps, step);
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
  BenchFrames frames = { 0 };
  Crossing crossing = { 0 };
  Breakdown scroll_breakdown = { 0 };
  Breakdown through_breakdown = { 0 };
  FrameRuns idle_runs = { 0 };
  FrameRuns relayout_runs = { 0 };
  FrameRuns scroll_runs = { 0 };
  FrameRuns through_runs = { 0 };
  Search search = { 0 };
  g_autofree double *through_ms = NULL;
  g_autofree double *through_rss = NULL;
  g_autofree double *search_ms = NULL;
  g_autofree double *search_first_ms = NULL;
  g_autofree double *search_swapped_ms = NULL;
  long through_hwm = 0;
  gint64 t0, t_mapped, t_painted;
  double seed_s = 0;

  /* Whatever was printed survives a run that times out. */
  setvbuf (stdout, NULL, _IOLBF, 0);
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
  through_ms = g_new0 (double, opt_runs);
  through_rss = g_new0 (double, opt_runs);
  search_ms = g_new0 (double, opt_runs);
  search_first_ms = g_new0 (double, opt_runs);
  search_swapped_ms = g_new0 (double, opt_runs);
  frame_runs_init (&idle_runs);
  frame_runs_init (&relayout_runs);
  frame_runs_init (&scroll_runs);
  frame_runs_init (&through_runs);
  if (opt_query == NULL)
    opt_query = g_strdup ("Greta Haddad");

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

  /* 4's baseline: the same empty window, redrawn every frame. */
  for (int run = 0; run < opt_runs && !opt_show && step_wanted ("frames"); run++)
    {
      idle_frames_run (empty_window, FALSE, &frames);
      frame_runs_add (&idle_runs, run, &frames, NULL);
      idle_frames_run (empty_window, TRUE, &frames);
      frame_runs_add (&relayout_runs, run, &frames, NULL);
    }

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
  for (int run = 0; run < opt_runs && step_wanted ("jumps"); run++)
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
  bench_wait_until (top_rows_loaded, &scroll, 60);
  jump_to (page, window, scroll.vadjustment, 1.0, &(double) { 0 }, &(double) { 0 });
  bench_wait_until (scrolled_to_end, &scroll, 60);
  end_rss = bench_proc_status_kb ("VmRSS:");
  end_hwm = bench_proc_status_kb ("VmHWM:");
  end_split = rss_split ();
  held = quorum_member_list_get_n_loaded (scroll_members (&scroll));

  /* 4. Frame times while scrolling, from 10 %, 30 %, … of the list. */
  for (int run = 0; run < opt_runs && step_wanted ("frames"); run++)
    {
      scroll_frames_run (&scroll, window, 0.1 + 0.2 * (run % 5), &frames, &crossing, &scroll_breakdown);
      frame_runs_add (&scroll_runs, run, &frames, &crossing);
    }

  /* 5. Scrolling through, first row to last; RSS after each. */
  for (int run = 0; run < opt_runs && step_wanted ("through"); run++)
    {
      through_ms[run] = through_run (&scroll, window, &frames, &crossing, &through_breakdown);
      frame_runs_add (&through_runs, run, &frames, &crossing);
      through_rss[run] = bench_proc_status_kb ("VmRSS:") / 1024.0;
    }
  through_hwm = bench_proc_status_kb ("VmHWM:");

  /* 6. Typing a name. */
  for (int run = 0; run < opt_runs && step_wanted ("search"); run++)
    {
      search_ms[run] = search_run (&scroll, window, opt_query, &search_first_ms[run], &search_swapped_ms[run], &search);
      if (run == 0)
        printf ("Search \"%s\": %u members match; the first row painted: %s\n",
                opt_query, search.n_matches, search.first_name);
    }
  g_free (search.first_name);
  bench_frames_clear (&frames);

  load = bench_load_average ();
  printf ("Members page, %u members + %u pending invitations (server seeded in %.1f s), load %s\n",
          total, scroll.expected - total, seed_s, load);
  printf ("  empty window, present to first paint (baseline): %s\n", empty_summary);
  printf ("  organization set → first rows painted:           %s\n", first_summary);
  if (step_wanted ("jumps"))
    {
      g_autofree char *end_placeholders = bench_summary (end_placeholders_ms, opt_runs);
      g_autofree char *end_rows = bench_summary (end_rows_ms, opt_runs);
      g_autofree char *q3_placeholders = bench_summary (q3_placeholders_ms, opt_runs);
      g_autofree char *q3_rows = bench_summary (q3_rows_ms, opt_runs);

      printf ("  jump to the end → placeholder rows painted:      %s\n", end_placeholders);
      printf ("  jump to the end → its rows painted:              %s\n", end_rows);
      printf ("  scrollbar to 75 %% → placeholder rows painted:    %s\n", q3_placeholders);
      printf ("  scrollbar to 75 %% → its rows painted:            %s\n", q3_rows);
    }
  printf ("  RSS, empty AdwApplicationWindow:                  %8.1f MB (peak %.1f MB; %s)\n",
          empty_rss / 1024.0, empty_hwm / 1024.0, empty_split);
  printf ("  RSS, page shown, no organization yet:             %8.1f MB (%s)\n", page_rss / 1024.0, page_split);
  printf ("  RSS, first rows on screen:                        %8.1f MB (%s)\n", first_rss / 1024.0, first_split);
  printf ("  RSS after the jumps, at the last row:             %8.1f MB (%s)\n", end_rss / 1024.0, end_split);
  printf ("  peak RSS (VmHWM):                                 %8.1f MB, %+.1f MB over the empty window\n",
          end_hwm / 1024.0, (end_hwm - empty_hwm) / 1024.0);
  printf ("  members held by the list at the end:              %8u (max-loaded %u)\n",
          held, quorum_member_list_get_max_loaded (scroll_members (&scroll)));
  if (scroll.blank_nudges > 0)
    printf ("  times the view was blank at the end until nudged (in the times above): %u\n", scroll.blank_nudges);
  if (jumps_stalled > 0)
    printf ("  jumps whose view stayed blank until nudged (their times include the 10 s): %u\n", jumps_stalled);
  if (step_wanted ("frames"))
    {
      printf ("Frames (p50/p95/p99 of each run's frames; median of the runs, min and max):\n");
      frame_runs_print (&idle_runs, "empty window redrawn every frame (baseline)");
      frame_runs_print (&relayout_runs, "empty window laid out again and redrawn every frame (second baseline)");
      printf ("  scrolled %d px a frame from 10 %%, 30 %%, … with the pages forgotten:\n", opt_scroll_speed);
      frame_runs_print (&scroll_runs, "scrolling the list");
      breakdown_print (&scroll_breakdown, "scrolling the list");
    }
  if (step_wanted ("through"))
    {
      GString *rss = g_string_new (NULL);
      g_autofree char *time = NULL;

      for (int run = 0; run < opt_runs; run++)
        g_string_append_printf (rss, "%s%.1f", run > 0 ? ", " : "", through_rss[run]);
      time = bench_summary (through_ms, opt_runs);
      printf ("Scrolling through, first row → last row painted with its member (scrollbar dragged over %d frames):\n",
              opt_through_frames);
      printf ("  time:                                             %s\n", time);
      printf ("  RSS after each run:                               %s MB (empty window %.1f MB)\n",
              rss->str, empty_rss / 1024.0);
      printf ("  peak RSS (VmHWM) after them:                      %8.1f MB, %+.1f MB over the empty window\n",
              through_hwm / 1024.0, (through_hwm - empty_hwm) / 1024.0);
      frame_runs_print (&through_runs, "while scrolling through");
      breakdown_print (&through_breakdown, "scrolling through");
      g_string_free (rss, TRUE);
    }
  if (step_wanted ("search"))
    {
      g_autofree char *last = bench_summary (search_ms, opt_runs);
      g_autofree char *first = bench_summary (search_first_ms, opt_runs);
      g_autofree char *swapped = bench_summary (search_swapped_ms, opt_runs);

      printf ("Typing \"%s\", a key every %d ms, into the search entry:\n", opt_query, opt_key_interval);
      printf ("  last key → matching rows painted:                 %s\n", last);
      printf ("  last key → the search's list shown (debounce, request, parse): %s\n", swapped);
      printf ("  first key → matching rows painted:                %s\n", first);
    }
  frame_runs_clear (&idle_runs);
  frame_runs_clear (&relayout_runs);
  frame_runs_clear (&scroll_runs);
  frame_runs_clear (&through_runs);
  g_clear_pointer (&scroll_breakdown.records, g_array_unref);
  g_clear_pointer (&through_breakdown.records, g_array_unref);

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
