/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Every public type of the API layer, declared once so headers include this
 * file instead of each other. */
typedef struct _QuorumAccount            QuorumAccount;
typedef struct _QuorumAccountStore       QuorumAccountStore;
typedef struct _QuorumApiKey             QuorumApiKey;
typedef struct _QuorumAuditEvent         QuorumAuditEvent;
typedef struct _QuorumAuditLog           QuorumAuditLog;
typedef struct _QuorumBilling            QuorumBilling;
typedef struct _QuorumClient             QuorumClient;
typedef struct _QuorumDelivery           QuorumDelivery;
typedef struct _QuorumInvitation         QuorumInvitation;
typedef struct _QuorumInvoice            QuorumInvoice;
typedef struct _QuorumLedgerEntry        QuorumLedgerEntry;
typedef struct _QuorumInvitationPreview  QuorumInvitationPreview;
typedef struct _QuorumMember             QuorumMember;
typedef struct _QuorumMemberList         QuorumMemberList;
typedef struct _QuorumOrganization       QuorumOrganization;
typedef struct _QuorumPlan               QuorumPlan;
typedef struct _QuorumUsageItem          QuorumUsageItem;
typedef struct _QuorumUser               QuorumUser;
typedef struct _QuorumWebhook            QuorumWebhook;

G_END_DECLS
