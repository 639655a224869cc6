/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The server's store: every statement of the database lives behind this
 * header, in functions named for what they do, with typed results. Handlers
 * never see SQL or the database library: a second backend (PostgreSQL)
 * implements these same functions. See docs/architecture.md, "The store". */

#include "quorum-store-core.h"
#include "quorum-store-identity.h"
#include "quorum-store-organizations.h"
#include "quorum-store-invitations.h"
#include "quorum-store-maintenance.h"
#include "quorum-store-limits.h"
#include "quorum-store-billing.h"
#include "quorum-store-audit.h"
#include "quorum-store-events.h"
#include "quorum-store-api-keys.h"
#include "quorum-store-webhooks.h"
