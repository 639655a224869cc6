/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * The one place for API key scopes: their names on the wire, their labels
 * and what each one means. The server enforces them through its route
 * table; the app offers them in "Create Key…". Change them here and both
 * follow (docs/api/openapi.yaml, components.schemas.Scope, lists the same).
 */

typedef enum /*< flags >*/
{
  QUORUM_SCOPE_NONE              = 0,
  QUORUM_SCOPE_ORG_READ          = 1 << 0,  /* the organization and its audit log */
  QUORUM_SCOPE_ORG_WRITE         = 1 << 1,  /* edit name, slug, logo */
  QUORUM_SCOPE_MEMBERS_READ      = 1 << 2,
  QUORUM_SCOPE_MEMBERS_WRITE     = 1 << 3,  /* roles, suspension, removal */
  QUORUM_SCOPE_INVITATIONS_WRITE = 1 << 4,  /* list, send, resend, revoke */
  QUORUM_SCOPE_BILLING_READ      = 1 << 5,
  QUORUM_SCOPE_BILLING_WRITE     = 1 << 6,
  QUORUM_SCOPE_WEBHOOKS_WRITE    = 1 << 7,  /* read webhooks and deliveries, test, resend */
} QuorumScope;

#define QUORUM_N_SCOPES 8

/* The scope of index i (0 … QUORUM_N_SCOPES - 1), in the order the API lists them. */
QuorumScope  quorum_scope_nth             (guint        i);
/* "members:read"; NULL for anything but exactly one scope. */
const char  *quorum_scope_to_string       (QuorumScope  scope);
/* Exactly one scope's name, else QUORUM_SCOPE_NONE. */
QuorumScope  quorum_scope_from_string     (const char  *str);
/* "Read members", translated; "" for anything but exactly one scope. */
const char  *quorum_scope_get_label       (QuorumScope  scope);
/* One sentence on what the scope allows, translated. */
const char  *quorum_scope_get_description (QuorumScope  scope);

G_END_DECLS
