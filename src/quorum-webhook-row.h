/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "quorum-api.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_WEBHOOK_ROW (quorum_webhook_row_get_type ())
G_DECLARE_FINAL_TYPE (QuorumWebhookRow, quorum_webhook_row, QUORUM, WEBHOOK_ROW, AdwActionRow)

GtkWidget     *quorum_webhook_row_new         (QuorumWebhook    *webhook);
QuorumWebhook *quorum_webhook_row_get_webhook (QuorumWebhookRow *self);
GtkSwitch     *quorum_webhook_row_get_switch  (QuorumWebhookRow *self);

G_END_DECLS
