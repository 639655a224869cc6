/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "quorum-scope.h"

static const struct
{
  QuorumScope  scope;
  const char  *name;
  const char  *label;
  const char  *description;
} scopes[QUORUM_N_SCOPES] = {
  { QUORUM_SCOPE_ORG_READ,          "org:read",          NC_("scope", "Read organization"),
    NC_("scope", "See the organization's settings and its audit log.") },
  { QUORUM_SCOPE_ORG_WRITE,         "org:write",         NC_("scope", "Edit organization"),
    NC_("scope", "Change the organization's name, address and logo.") },
  { QUORUM_SCOPE_MEMBERS_READ,      "members:read",      NC_("scope", "Read members"),
    NC_("scope", "List members with their roles and status.") },
  { QUORUM_SCOPE_MEMBERS_WRITE,     "members:write",     NC_("scope", "Manage members"),
    NC_("scope", "Change roles, suspend and remove members.") },
  { QUORUM_SCOPE_INVITATIONS_WRITE, "invitations:write", NC_("scope", "Manage invitations"),
    NC_("scope", "List, send, resend and revoke invitations.") },
  { QUORUM_SCOPE_BILLING_READ,      "billing:read",      NC_("scope", "Read billing"),
    NC_("scope", "See the plan, balance, usage and invoices.") },
  { QUORUM_SCOPE_BILLING_WRITE,     "billing:write",     NC_("scope", "Manage billing"),
    NC_("scope", "Change the plan, top up the balance and set the alert.") },
  { QUORUM_SCOPE_WEBHOOKS_WRITE,    "webhooks:write",    NC_("scope", "Use webhooks"),
    NC_("scope", "See webhooks and their deliveries, send tests and resend.") },
};

QuorumScope
quorum_scope_nth (guint i)
{
  return i < G_N_ELEMENTS (scopes) ? scopes[i].scope : QUORUM_SCOPE_NONE;
}

static int
scope_index (QuorumScope scope)
{
  for (guint i = 0; i < G_N_ELEMENTS (scopes); i++)
    if (scopes[i].scope == scope)
      return (int) i;
  return -1;
}

const char *
quorum_scope_to_string (QuorumScope scope)
{
  int i = scope_index (scope);

  return i >= 0 ? scopes[i].name : NULL;
}

QuorumScope
quorum_scope_from_string (const char *str)
{
  if (str == NULL)
    return QUORUM_SCOPE_NONE;
  for (guint i = 0; i < G_N_ELEMENTS (scopes); i++)
    if (strcmp (scopes[i].name, str) == 0)
      return scopes[i].scope;
  return QUORUM_SCOPE_NONE;
}

const char *
quorum_scope_get_label (QuorumScope scope)
{
  int i = scope_index (scope);

  return i >= 0 ? g_dpgettext2 (GETTEXT_PACKAGE, "scope", scopes[i].label) : "";
}

const char *
quorum_scope_get_description (QuorumScope scope)
{
  int i = scope_index (scope);

  return i >= 0 ? g_dpgettext2 (GETTEXT_PACKAGE, "scope", scopes[i].description) : "";
}
