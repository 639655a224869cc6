/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "quorum-api.h"

G_BEGIN_DECLS

typedef enum
{
  QUORUM_MEMBERS_PAGE_STATE_EMPTY,    /* no organization, no members, or nothing matches */
  QUORUM_MEMBERS_PAGE_STATE_LOADING,
  QUORUM_MEMBERS_PAGE_STATE_LIST,
  QUORUM_MEMBERS_PAGE_STATE_ERROR,
} QuorumMembersPageState;

#define QUORUM_TYPE_MEMBERS_PAGE_STATE (quorum_members_page_state_get_type ())
GType quorum_members_page_state_get_type (void) G_GNUC_CONST;

#define QUORUM_TYPE_MEMBERS_PAGE (quorum_members_page_get_type ())
G_DECLARE_FINAL_TYPE (QuorumMembersPage, quorum_members_page, QUORUM, MEMBERS_PAGE, AdwBin)

GtkWidget          *quorum_members_page_new              (void);
QuorumClient       *quorum_members_page_get_client       (QuorumMembersPage  *self);
void                quorum_members_page_set_client       (QuorumMembersPage  *self,
                                                          QuorumClient       *client);
QuorumOrganization *quorum_members_page_get_organization (QuorumMembersPage  *self);
void                quorum_members_page_set_organization (QuorumMembersPage  *self,
                                                          QuorumOrganization *organization);
QuorumMembersPageState quorum_members_page_get_state     (QuorumMembersPage  *self);
void                quorum_members_page_focus_search     (QuorumMembersPage  *self);
void                quorum_members_page_search           (QuorumMembersPage  *self,
                                                          const char         *query,
                                                          gboolean            inactive);
char               *quorum_members_page_dup_search       (QuorumMembersPage  *self,
                                                          gboolean           *inactive);
void                quorum_members_page_export           (QuorumMembersPage  *self,
                                                          GFile              *file);

G_END_DECLS
