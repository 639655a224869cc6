/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "quorum-api-types.h"
#include "quorum-role.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_INVITATION_PREVIEW (quorum_invitation_preview_get_type ())
G_DECLARE_FINAL_TYPE (QuorumInvitationPreview, quorum_invitation_preview, QUORUM, INVITATION_PREVIEW, GObject)

const char *             quorum_invitation_preview_get_organization_name     (QuorumInvitationPreview *self);
const char *             quorum_invitation_preview_get_organization_slug     (QuorumInvitationPreview *self);
const char *             quorum_invitation_preview_get_organization_logo_url (QuorumInvitationPreview *self);
const char *             quorum_invitation_preview_get_inviter_name          (QuorumInvitationPreview *self);
const char *             quorum_invitation_preview_get_email                 (QuorumInvitationPreview *self);
const char *             quorum_invitation_preview_get_role_name             (QuorumInvitationPreview *self);
GDateTime *              quorum_invitation_preview_get_expires_at            (QuorumInvitationPreview *self);
gboolean                 quorum_invitation_preview_get_account_exists        (QuorumInvitationPreview *self);
QuorumRole               quorum_invitation_preview_get_role                  (QuorumInvitationPreview *self);

G_END_DECLS
