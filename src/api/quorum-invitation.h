/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "quorum-api-types.h"
#include "quorum-role.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_INVITATION (quorum_invitation_get_type ())
G_DECLARE_FINAL_TYPE (QuorumInvitation, quorum_invitation, QUORUM, INVITATION, GObject)

const char *      quorum_invitation_get_id                (QuorumInvitation *self);
const char *      quorum_invitation_get_email             (QuorumInvitation *self);
const char *      quorum_invitation_get_role_name         (QuorumInvitation *self);
const char *      quorum_invitation_get_status            (QuorumInvitation *self);
const char *      quorum_invitation_get_inviter_id        (QuorumInvitation *self);
const char *      quorum_invitation_get_inviter_name      (QuorumInvitation *self);
GDateTime *       quorum_invitation_get_created_at        (QuorumInvitation *self);
GDateTime *       quorum_invitation_get_expires_at        (QuorumInvitation *self);
GDateTime *       quorum_invitation_get_last_sent_at      (QuorumInvitation *self);
int               quorum_invitation_get_send_count        (QuorumInvitation *self);
const char *      quorum_invitation_get_organization_id   (QuorumInvitation *self);
const char *      quorum_invitation_get_organization_name (QuorumInvitation *self);
const char *      quorum_invitation_get_organization_logo_url (QuorumInvitation *self);
QuorumRole        quorum_invitation_get_role              (QuorumInvitation *self);

G_END_DECLS
