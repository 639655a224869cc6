/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "store/quorum-store-billing.h"

G_BEGIN_DECLS

/* One organization's usage in memory: for each day of a span and each
 * member, the member's credits and requests summed from the span's start
 * (prefix sums, 8 bytes per member-day). The sum over any range inside
 * the span is two reads per member. Built in a worker thread from
 * qs_store_usage_scan (); afterwards used and changed on the main loop only. */
typedef struct _QsUsageCube QsUsageCube;

/* Bytes per member-day: two guint32 prefix sums. */
#define QS_USAGE_CUBE_CELL_BYTES 8

/* A cube for the org's members (member ids in id order) covering today and
 * before, as many days as max_bytes allows (at most 366 + the days after
 * today that have usage). Returns the first day whose rows it wants. */
QsUsageCube *qs_usage_cube_new          (const char   *org_id,
                                         gint64        version,
                                         gint64        min_day,
                                         gint64        max_day,
                                         gint64        today,
                                         GPtrArray    *member_ids,
                                         gsize         max_bytes);
void         qs_usage_cube_free         (QsUsageCube  *cube);
gint64       qs_usage_cube_get_first_day (QsUsageCube *cube);
/* While loading: one usage row, in any order. */
void         qs_usage_cube_load_row     (QsUsageCube  *cube,
                                         const char   *member_id,
                                         gint64        day,
                                         gint64        credits,
                                         gint64        requests);
/* After the last row: turns the day values into prefix sums. */
void         qs_usage_cube_load_done    (QsUsageCube  *cube);

gint64       qs_usage_cube_get_version  (QsUsageCube  *cube);
gsize        qs_usage_cube_get_bytes    (QsUsageCube  *cube);
/* Adds one usage record logged after the cube's version (its version must
 * be the next one). FALSE when the cube cannot take it (memory): drop it. */
gboolean     qs_usage_cube_apply        (QsUsageCube  *cube,
                                         const QsStoreUsageChange *change);
/* Whether sums over from..to are exact from the cube. */
gboolean     qs_usage_cube_covers       (QsUsageCube  *cube,
                                         gint64        from,
                                         gint64        to);
/* The members with usage from from to to (days), most credits first, then
 * id, that come after after (NULL: from the first): at most limit + 1
 * (QsStoreUsageItem); *total: how many members have usage in the range. */
GPtrArray   *qs_usage_cube_page         (QsUsageCube  *cube,
                                         gint64        from,
                                         gint64        to,
                                         const QsStoreUsageItem *after,
                                         guint         limit,
                                         gint64       *total);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsUsageCube, qs_usage_cube_free)

G_END_DECLS
