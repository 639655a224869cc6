/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "quorum-api.h"

G_BEGIN_DECLS

/* What the app benches share: waiting on the main loop, async results,
 * RSS, frames painted. */

typedef gboolean (*BenchCondition) (gpointer data);

void                bench_wait_until         (BenchCondition  condition,
                                              gpointer        data,
                                              int             seconds);
gboolean            bench_result_ready       (gpointer        data);
void                bench_store_result       (GObject        *object,
                                              GAsyncResult   *result,
                                              gpointer        user_data);
long                bench_proc_status_kb     (const char     *key);
gboolean            bench_is_mapped          (gpointer        data);
QuorumOrganization *bench_organization_named (GPtrArray      *organizations,
                                              const char     *name);
/* "1.23 2.34 3.45" */
char               *bench_load_average       (void);
/* The median of @n values, sorted in place. */
double              bench_median             (double         *values,
                                              int             n);
/* "median … ms (min …, max …, N runs)" of @n values, sorted in place. */
char               *bench_summary            (double         *values,
                                              int             n);
char               *bench_summary_unit       (double         *values,
                                              int             n,
                                              const char     *unit);

/* Frames painted after a point in time. */
typedef struct
{
  GdkFrameClock *clock;
  gulong         handler;
  guint          painted;
  gint64         first_paint;
} BenchPaintWatch;

void                bench_paint_watch_start  (BenchPaintWatch *watch,
                                              GtkWidget       *window);
void                bench_paint_watch_stop   (BenchPaintWatch *watch);
gboolean            bench_painted_once       (gpointer         data);
gboolean            bench_painted_twice      (gpointer         data);

/* Every frame painted while it runs: how long the frame clock worked on
 * it (before-paint to after-paint: update, tick callbacks, layout,
 * snapshot, render), the part of that up to the end of its layout phase,
 * and the time since the previous frame's after-paint (what the eye sees,
 * with the main-loop work between frames, such as network answers, in
 * it). All in ms. Beside the wall-clock work, the CPU time the main
 * thread spent on the frame and how often the kernel took the CPU from it
 * during the frame (involuntary context switches): on a loaded machine a
 * frame's work is mostly the time it waited for a CPU, which no change in
 * the app reaches. A handler connected to after-paint after
 * bench_frames_start() finds the frame just painted last in work_ms. */
typedef struct
{
  GdkFrameClock *clock;
  gulong         before_handler;
  gulong         layout_handler;
  gulong         after_handler;
  gint64         frame_start;
  gint64         layout_end;
  gint64         last_paint;
  gint64         cpu_start;     /* µs of the main thread's CPU time */
  long           preempted_start;
  double         refresh_ms;    /* the clock's refresh interval, last seen */
  GArray        *work_ms;       /* double */
  GArray        *layout_ms;     /* double, before-paint to the end of layout */
  GArray        *interval_ms;   /* double, one less than work_ms */
  GArray        *cpu_ms;        /* double, the main thread's CPU time in the frame */
  GArray        *preempted;     /* double, involuntary context switches in the frame */
} BenchFrames;

void                bench_frames_start       (BenchFrames     *frames,
                                              GtkWidget       *widget);
void                bench_frames_stop        (BenchFrames     *frames);
void                bench_frames_clear       (BenchFrames     *frames);
/* The @p-th percentile (nearest rank) of @n values, sorted in place. */
double              bench_percentile         (double          *values,
                                              int              n,
                                              double           p);
/* Waits @ms milliseconds, running the main loop. */
void                bench_wait_ms            (int              ms);

G_END_DECLS
