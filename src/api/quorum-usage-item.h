/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "quorum-api-types.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_USAGE_ITEM (quorum_usage_item_get_type ())
G_DECLARE_FINAL_TYPE (QuorumUsageItem, quorum_usage_item, QUORUM, USAGE_ITEM, GObject)

const char *quorum_usage_item_get_key      (QuorumUsageItem *self);
GDateTime  *quorum_usage_item_get_day      (QuorumUsageItem *self);
gint64      quorum_usage_item_get_credits  (QuorumUsageItem *self);
gint64      quorum_usage_item_get_requests (QuorumUsageItem *self);

G_END_DECLS
