/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "quorum-api-types.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_LEDGER_ENTRY (quorum_ledger_entry_get_type ())
G_DECLARE_FINAL_TYPE (QuorumLedgerEntry, quorum_ledger_entry, QUORUM, LEDGER_ENTRY, GObject)

const char *quorum_ledger_entry_get_id                  (QuorumLedgerEntry *self);
const char *quorum_ledger_entry_get_kind                (QuorumLedgerEntry *self);
gint64      quorum_ledger_entry_get_amount_cents        (QuorumLedgerEntry *self);
gint64      quorum_ledger_entry_get_balance_after_cents (QuorumLedgerEntry *self);
const char *quorum_ledger_entry_get_currency            (QuorumLedgerEntry *self);
const char *quorum_ledger_entry_get_description         (QuorumLedgerEntry *self);
GDateTime  *quorum_ledger_entry_get_created_at          (QuorumLedgerEntry *self);

G_END_DECLS
