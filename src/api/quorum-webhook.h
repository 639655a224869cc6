/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "quorum-api-types.h"

G_BEGIN_DECLS

/* The event types a webhook may subscribe to, in the API's order
 * (components.schemas.EventType), NULL-terminated. */
extern const char * const quorum_webhook_event_types[];

#define QUORUM_TYPE_WEBHOOK (quorum_webhook_get_type ())
G_DECLARE_FINAL_TYPE (QuorumWebhook, quorum_webhook, QUORUM, WEBHOOK, GObject)

const char         *quorum_webhook_get_id              (QuorumWebhook *self);
const char         *quorum_webhook_get_url             (QuorumWebhook *self);
const char * const *quorum_webhook_get_events          (QuorumWebhook *self);
gboolean            quorum_webhook_has_event           (QuorumWebhook *self,
                                                        const char    *event);
gboolean            quorum_webhook_get_enabled         (QuorumWebhook *self);
const char         *quorum_webhook_get_description     (QuorumWebhook *self);
const char         *quorum_webhook_get_disabled_reason (QuorumWebhook *self);
GDateTime          *quorum_webhook_get_created_at      (QuorumWebhook *self);
const char         *quorum_webhook_get_etag            (QuorumWebhook *self);
const char         *quorum_webhook_get_secret          (QuorumWebhook *self);
void                quorum_webhook_forget_secret       (QuorumWebhook *self);

G_END_DECLS
