/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "quorum-api.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_WEBHOOK_DIALOG (quorum_webhook_dialog_get_type ())
G_DECLARE_FINAL_TYPE (QuorumWebhookDialog, quorum_webhook_dialog, QUORUM, WEBHOOK_DIALOG, AdwWindow)

QuorumWebhookDialog *quorum_webhook_dialog_new        (QuorumClient        *client,
                                                       QuorumOrganization  *organization,
                                                       QuorumWebhook       *webhook);
const char          *quorum_webhook_dialog_url_problem (const char         *url);
void                 quorum_webhook_dialog_set_url    (QuorumWebhookDialog *self,
                                                       const char          *url);
void                 quorum_webhook_dialog_set_events (QuorumWebhookDialog *self,
                                                       const char * const  *events);
gboolean             quorum_webhook_dialog_get_ready  (QuorumWebhookDialog *self);
void                 quorum_webhook_dialog_save       (QuorumWebhookDialog *self);
const char          *quorum_webhook_dialog_get_error  (QuorumWebhookDialog *self);

G_END_DECLS
