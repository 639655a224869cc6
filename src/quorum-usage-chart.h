/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "quorum-api.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_USAGE_CHART (quorum_usage_chart_get_type ())
G_DECLARE_FINAL_TYPE (QuorumUsageChart, quorum_usage_chart, QUORUM, USAGE_CHART, GtkWidget)

void        quorum_usage_chart_set_items       (QuorumUsageChart *self,
                                                GPtrArray        *items);
guint       quorum_usage_chart_get_n_days      (QuorumUsageChart *self);
const char *quorum_usage_chart_get_description (QuorumUsageChart *self);

G_END_DECLS
