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

G_END_DECLS
