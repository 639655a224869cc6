/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "quorum-api.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_CHANGE_PLAN_DIALOG (quorum_change_plan_dialog_get_type ())
G_DECLARE_FINAL_TYPE (QuorumChangePlanDialog, quorum_change_plan_dialog, QUORUM, CHANGE_PLAN_DIALOG, AdwMessageDialog)

GtkWidget *quorum_change_plan_dialog_new (GtkWindow          *parent,
                                          GPtrArray          *plans,
                                          QuorumBilling      *billing,
                                          QuorumOrganization *organization);

G_END_DECLS
