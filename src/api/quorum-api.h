/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "quorum-api-types.h"
#include "quorum-api-error.h"
#include "quorum-account.h"
#include "quorum-account-store.h"
#include "quorum-billing.h"
#include "quorum-client.h"
#include "quorum-invitation.h"
#include "quorum-invitation-preview.h"
#include "quorum-invoice.h"
#include "quorum-ledger-entry.h"
#include "quorum-member.h"
#include "quorum-member-list.h"
#include "quorum-organization.h"
#include "quorum-plan.h"
#include "quorum-usage-item.h"
#include "quorum-user.h"
