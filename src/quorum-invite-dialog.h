/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "quorum-api.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_INVITE_DIALOG (quorum_invite_dialog_get_type ())
G_DECLARE_FINAL_TYPE (QuorumInviteDialog, quorum_invite_dialog, QUORUM, INVITE_DIALOG, AdwWindow)

QuorumInviteDialog *quorum_invite_dialog_new       (QuorumClient       *client,
                                                    QuorumOrganization *organization);
void                quorum_invite_dialog_set_email (QuorumInviteDialog *self,
                                                    const char         *email);
void                quorum_invite_dialog_set_role  (QuorumInviteDialog *self,
                                                    QuorumRole          role);
void                quorum_invite_dialog_send      (QuorumInviteDialog *self);
const char         *quorum_invite_dialog_get_error (QuorumInviteDialog *self);

G_END_DECLS
