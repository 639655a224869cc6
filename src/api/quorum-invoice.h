/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "quorum-api-types.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_INVOICE (quorum_invoice_get_type ())
G_DECLARE_FINAL_TYPE (QuorumInvoice, quorum_invoice, QUORUM, INVOICE, GObject)

const char *quorum_invoice_get_id           (QuorumInvoice *self);
const char *quorum_invoice_get_number       (QuorumInvoice *self);
GDateTime  *quorum_invoice_get_period_start (QuorumInvoice *self);
GDateTime  *quorum_invoice_get_period_end   (QuorumInvoice *self);
gint64      quorum_invoice_get_total_cents  (QuorumInvoice *self);
const char *quorum_invoice_get_currency     (QuorumInvoice *self);
const char *quorum_invoice_get_status       (QuorumInvoice *self);

G_END_DECLS
