/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "quorum-api-types.h"

G_BEGIN_DECLS

typedef enum
{
  QUORUM_DELIVERY_PENDING,
  QUORUM_DELIVERY_SUCCEEDED,
  QUORUM_DELIVERY_FAILED,
} QuorumDeliveryStatus;

#define QUORUM_TYPE_DELIVERY (quorum_delivery_get_type ())
G_DECLARE_FINAL_TYPE (QuorumDelivery, quorum_delivery, QUORUM, DELIVERY, GObject)

const char           *quorum_delivery_get_id              (QuorumDelivery *self);
const char           *quorum_delivery_get_webhook_id      (QuorumDelivery *self);
const char           *quorum_delivery_get_event_id        (QuorumDelivery *self);
const char           *quorum_delivery_get_event           (QuorumDelivery *self);
guint                 quorum_delivery_get_attempt         (QuorumDelivery *self);
QuorumDeliveryStatus  quorum_delivery_get_status          (QuorumDelivery *self);
guint                 quorum_delivery_get_response_status (QuorumDelivery *self);
gint64                quorum_delivery_get_duration_ms     (QuorumDelivery *self);
const char           *quorum_delivery_get_error           (QuorumDelivery *self);
GDateTime            *quorum_delivery_get_created_at      (QuorumDelivery *self);
GDateTime            *quorum_delivery_get_next_retry_at   (QuorumDelivery *self);

G_END_DECLS
