/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "quorum-api.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_DELIVERIES_DIALOG (quorum_deliveries_dialog_get_type ())
G_DECLARE_FINAL_TYPE (QuorumDeliveriesDialog, quorum_deliveries_dialog, QUORUM, DELIVERIES_DIALOG, AdwWindow)

QuorumDeliveriesDialog *quorum_deliveries_dialog_new           (QuorumClient           *client,
                                                                QuorumOrganization     *organization,
                                                                QuorumWebhook          *webhook);
void                    quorum_deliveries_dialog_reload        (QuorumDeliveriesDialog *self);
GListModel             *quorum_deliveries_dialog_get_deliveries (QuorumDeliveriesDialog *self);
void                    quorum_deliveries_dialog_resend        (QuorumDeliveriesDialog *self,
                                                                const char             *delivery_id);

G_END_DECLS
