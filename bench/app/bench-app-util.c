/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE 1  /* RUSAGE_THREAD */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench-app-util.h"

static gboolean
wake_up (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @condition holds; a tick keeps it waking up. */
void
bench_wait_until (BenchCondition condition,
                  gpointer       data,
                  int            seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;
  guint tick = g_timeout_add (5, wake_up, NULL);

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out after %d s", seconds);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);
}

gboolean
bench_result_ready (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

void
bench_store_result (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* kB from /proc/self/status */
long
bench_proc_status_kb (const char *key)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, key);
  if (line == NULL)
    return -1;
  return strtol (line + strlen (key) + 1, NULL, 10);
}

gboolean
bench_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

QuorumOrganization *
bench_organization_named (GPtrArray  *organizations,
                          const char *name)
{
  for (guint i = 0; i < organizations->len; i++)
    if (g_strcmp0 (quorum_organization_get_name (g_ptr_array_index (organizations, i)), name) == 0)
      return g_ptr_array_index (organizations, i);
  g_error ("no organization named %s", name);
  return NULL;
}

static void
after_paint_cb (GdkFrameClock   *clock,
                BenchPaintWatch *watch)
{
  if (watch->painted++ == 0)
    watch->first_paint = g_get_monotonic_time ();
}

void
bench_paint_watch_start (BenchPaintWatch *watch,
                         GtkWidget       *window)
{
  watch->clock = gtk_widget_get_frame_clock (window);
  watch->painted = 0;
  watch->handler = g_signal_connect (watch->clock, "after-paint", G_CALLBACK (after_paint_cb), watch);
}

void
bench_paint_watch_stop (BenchPaintWatch *watch)
{
  g_clear_signal_handler (&watch->handler, watch->clock);
}

gboolean
bench_painted_once (gpointer data)
{
  return ((BenchPaintWatch *) data)->painted >= 1;
}

gboolean
bench_painted_twice (gpointer data)
{
  return ((BenchPaintWatch *) data)->painted >= 2;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* The median of @n values, sorted in place. */
double
bench_median (double *values,
              int     n)
{
  qsort (values, n, sizeof *values, compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double
bench_percentile (double *values,
                  int     n,
                  double  p)
{
  int rank;

  g_return_val_if_fail (n > 0, 0);
  qsort (values, n, sizeof *values, compare_doubles);
  rank = (int) ((p / 100.0) * n + 0.999999);
  return values[CLAMP (rank, 1, n) - 1];
}

/* "median 12.3 ms (min 10.1, max 15.0, 5 runs)" of @n values, sorted in place. */
char *
bench_summary (double *values,
               int     n)
{
  return bench_summary_unit (values, n, "ms");
}

/* The same in @unit ("%", "MB"). */
char *
bench_summary_unit (double     *values,
                    int         n,
                    const char *unit)
{
  double median = bench_median (values, n);

  return g_strdup_printf ("median %.1f %s (min %.1f, max %.1f, %d runs)",
                          median, unit, values[0], values[n - 1], n);
}

/* The load average, "1.23 2.34 3.45" (1, 5 and 15 minutes). */
char *
bench_load_average (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return g_strdup ("?");
  fields = g_strsplit (text, " ", 4);
  if (g_strv_length (fields) < 3)
    return g_strdup ("?");
  return g_strdup_printf ("%s %s %s", fields[0], fields[1], fields[2]);
}

/* The calling thread's CPU time (µs) and involuntary context switches. */
static void
thread_usage (gint64 *cpu_us,
              long   *preempted)
{
  struct timespec ts = { 0 };
  struct rusage usage = { 0 };

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  getrusage (RUSAGE_THREAD, &usage);
  *cpu_us = ts.tv_sec * G_GINT64_CONSTANT (1000000) + ts.tv_nsec / 1000;
  *preempted = usage.ru_nivcsw;
}

static void
frames_before_paint_cb (GdkFrameClock *clock,
                        BenchFrames   *frames)
{
  frames->frame_start = frames->layout_end = g_get_monotonic_time ();
  thread_usage (&frames->cpu_start, &frames->preempted_start);
}

static void
frames_layout_cb (GdkFrameClock *clock,
                  BenchFrames   *frames)
{
  frames->layout_end = g_get_monotonic_time ();
}

static void
frames_after_paint_cb (GdkFrameClock *clock,
                       BenchFrames   *frames)
{
  gint64 now = g_get_monotonic_time ();
  GdkFrameTimings *timings = gdk_frame_clock_get_current_timings (clock);
  double work = (now - frames->frame_start) / 1000.0;
  double layout = (frames->layout_end - frames->frame_start) / 1000.0;
  gint64 cpu_us;
  long preempted;
  double cpu, switches;

  if (frames->frame_start == 0)
    return;  /* started between the two */
  thread_usage (&cpu_us, &preempted);
  cpu = (cpu_us - frames->cpu_start) / 1000.0;
  switches = preempted - frames->preempted_start;
  g_array_append_val (frames->cpu_ms, cpu);
  g_array_append_val (frames->preempted, switches);
  if (timings != NULL && gdk_frame_timings_get_refresh_interval (timings) > 0)
    frames->refresh_ms = gdk_frame_timings_get_refresh_interval (timings) / 1000.0;
  g_array_append_val (frames->work_ms, work);
  g_array_append_val (frames->layout_ms, layout);
  if (frames->last_paint != 0)
    {
      double interval = (now - frames->last_paint) / 1000.0;

      g_array_append_val (frames->interval_ms, interval);
    }
  frames->last_paint = now;
}

/* Connects first, so that the after-paint time is taken before other
 * after-paint handlers of the caller run. */
void
bench_frames_start (BenchFrames *frames,
                    GtkWidget   *widget)
{
  bench_frames_clear (frames);
  frames->clock = gtk_widget_get_frame_clock (widget);
  frames->work_ms = g_array_new (FALSE, FALSE, sizeof (double));
  frames->layout_ms = g_array_new (FALSE, FALSE, sizeof (double));
  frames->interval_ms = g_array_new (FALSE, FALSE, sizeof (double));
  frames->cpu_ms = g_array_new (FALSE, FALSE, sizeof (double));
  frames->preempted = g_array_new (FALSE, FALSE, sizeof (double));
  frames->before_handler = g_signal_connect (frames->clock, "before-paint",
                                             G_CALLBACK (frames_before_paint_cb), frames);
  frames->layout_handler = g_signal_connect (frames->clock, "layout",
                                             G_CALLBACK (frames_layout_cb), frames);
  frames->after_handler = g_signal_connect (frames->clock, "after-paint",
                                            G_CALLBACK (frames_after_paint_cb), frames);
}

void
bench_frames_stop (BenchFrames *frames)
{
  if (frames->clock == NULL)
    return;
  g_clear_signal_handler (&frames->before_handler, frames->clock);
  g_clear_signal_handler (&frames->layout_handler, frames->clock);
  g_clear_signal_handler (&frames->after_handler, frames->clock);
}

void
bench_frames_clear (BenchFrames *frames)
{
  bench_frames_stop (frames);
  g_clear_pointer (&frames->work_ms, g_array_unref);
  g_clear_pointer (&frames->layout_ms, g_array_unref);
  g_clear_pointer (&frames->interval_ms, g_array_unref);
  g_clear_pointer (&frames->cpu_ms, g_array_unref);
  g_clear_pointer (&frames->preempted, g_array_unref);
  *frames = (BenchFrames) { 0 };
}

static gboolean
time_reached (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

void
bench_wait_ms (int ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;

  bench_wait_until (time_reached, &deadline, ms / 1000 + 30);
}
