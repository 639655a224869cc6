/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "quorum-api.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_MEMBERS_PAGE (quorum_members_page_get_type ())
G_DECLARE_FINAL_TYPE (QuorumMembersPage, quorum_members_page, QUORUM, MEMBERS_PAGE, AdwBin)

GtkWidget          *quorum_members_page_new              (void);
QuorumClient       *quorum_members_page_get_client       (QuorumMembersPage  *self);
void                quorum_members_page_set_client       (QuorumMembersPage  *self,
                                                          QuorumClient       *client);
QuorumOrganization *quorum_members_page_get_organization (QuorumMembersPage  *self);
void                quorum_members_page_set_organization (QuorumMembersPage  *self,
                                                          QuorumOrganization *organization);
void                quorum_members_page_focus_search     (QuorumMembersPage  *self);

G_END_DECLS
