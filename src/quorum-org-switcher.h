/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "quorum-api.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_ORG_SWITCHER (quorum_org_switcher_get_type ())
G_DECLARE_FINAL_TYPE (QuorumOrgSwitcher, quorum_org_switcher, QUORUM, ORG_SWITCHER, GtkWidget)

/* More organizations than this and the popover offers a search entry. */
#define QUORUM_ORG_SWITCHER_SEARCH_THRESHOLD 6

void                quorum_org_switcher_set_organizations (QuorumOrgSwitcher  *self,
                                                           GListModel         *organizations);
GListModel         *quorum_org_switcher_get_organizations (QuorumOrgSwitcher  *self);
void                quorum_org_switcher_set_current       (QuorumOrgSwitcher  *self,
                                                           QuorumOrganization *organization);
QuorumOrganization *quorum_org_switcher_get_current       (QuorumOrgSwitcher  *self);
gboolean            quorum_org_switcher_get_compact       (QuorumOrgSwitcher  *self);
void                quorum_org_switcher_set_compact       (QuorumOrgSwitcher  *self,
                                                           gboolean            compact);
void                quorum_org_switcher_popup             (QuorumOrgSwitcher  *self);
void                quorum_org_switcher_popdown           (QuorumOrgSwitcher  *self);
void                quorum_org_switcher_set_client        (QuorumOrgSwitcher  *self,
                                                           QuorumClient       *client);
QuorumClient       *quorum_org_switcher_get_client        (QuorumOrgSwitcher  *self);
void                quorum_org_switcher_reload_invitations (QuorumOrgSwitcher *self);
GListModel         *quorum_org_switcher_get_invitations   (QuorumOrgSwitcher  *self);

G_END_DECLS
