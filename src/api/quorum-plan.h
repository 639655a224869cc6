/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "quorum-api-types.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_PLAN (quorum_plan_get_type ())
G_DECLARE_FINAL_TYPE (QuorumPlan, quorum_plan, QUORUM, PLAN, GObject)

const char *quorum_plan_get_id               (QuorumPlan *self);
const char *quorum_plan_get_name             (QuorumPlan *self);
gint64      quorum_plan_get_price_cents      (QuorumPlan *self);
const char *quorum_plan_get_currency         (QuorumPlan *self);
int         quorum_plan_get_seat_limit       (QuorumPlan *self);
gint64      quorum_plan_get_included_credits (QuorumPlan *self);

G_END_DECLS
