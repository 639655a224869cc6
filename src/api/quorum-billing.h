/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "quorum-api-types.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_BILLING (quorum_billing_get_type ())
G_DECLARE_FINAL_TYPE (QuorumBilling, quorum_billing, QUORUM, BILLING, GObject)

/* The low-balance alert of a billing state that has none. */
#define QUORUM_BILLING_NO_ALERT (-1)

QuorumPlan *quorum_billing_get_plan                    (QuorumBilling *self);
gint64      quorum_billing_get_balance_cents           (QuorumBilling *self);
const char *quorum_billing_get_currency                (QuorumBilling *self);
int         quorum_billing_get_seats_used              (QuorumBilling *self);
int         quorum_billing_get_seat_limit              (QuorumBilling *self);
gint64      quorum_billing_get_low_balance_alert_cents (QuorumBilling *self);
gboolean    quorum_billing_get_balance_is_low          (QuorumBilling *self);
const char *quorum_billing_get_card_brand              (QuorumBilling *self);
const char *quorum_billing_get_card_last4              (QuorumBilling *self);
GDateTime  *quorum_billing_get_next_invoice_at         (QuorumBilling *self);
const char *quorum_billing_get_etag                    (QuorumBilling *self);

G_END_DECLS
