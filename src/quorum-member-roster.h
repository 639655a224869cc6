/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "quorum-api.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_MEMBER_ROSTER (quorum_member_roster_get_type ())
G_DECLARE_FINAL_TYPE (QuorumMemberRoster, quorum_member_roster, QUORUM, MEMBER_ROSTER, GObject)

QuorumMemberRoster *quorum_member_roster_new                (QuorumMemberList   *members);
QuorumMemberList   *quorum_member_roster_get_members        (QuorumMemberRoster *self);
guint               quorum_member_roster_get_n_invitations  (QuorumMemberRoster *self);
void                quorum_member_roster_set_invitations    (QuorumMemberRoster *self,
                                                             GPtrArray          *invitations);
void                quorum_member_roster_add_invitation     (QuorumMemberRoster *self,
                                                             QuorumInvitation   *invitation);
void                quorum_member_roster_replace_invitation (QuorumMemberRoster *self,
                                                             QuorumInvitation   *invitation);
void                quorum_member_roster_remove_invitation  (QuorumMemberRoster *self,
                                                             const char         *invitation_id);
void                quorum_member_roster_replace_member     (QuorumMemberRoster *self,
                                                             QuorumMember       *member);
void                quorum_member_roster_remove_member      (QuorumMemberRoster *self,
                                                             const char         *member_id);
void                quorum_member_roster_refresh            (QuorumMemberRoster *self);

G_END_DECLS
