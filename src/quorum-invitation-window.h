/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "quorum-session.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_INVITATION_WINDOW (quorum_invitation_window_get_type ())
G_DECLARE_FINAL_TYPE (QuorumInvitationWindow, quorum_invitation_window, QUORUM, INVITATION_WINDOW, AdwWindow)

/*
 * The window that walks an invitation link (quorum://invite/<token>?server=…)
 * from the preview to set-up, sign-in, accept or decline. Opening a link
 * whose window is already open presents that window again.
 */
void                    quorum_invitation_window_open          (GtkWindow              *parent,
                                                                QuorumSession          *session,
                                                                const char             *uri);

QuorumInvitationWindow *quorum_invitation_window_new           (QuorumSession          *session,
                                                                const char             *uri);
/* The name of the page shown: "loading", "invalid", "unknown-server",
 * "preview", "setup", "sign-in", "done", "declined", "already-member",
 * "expired", "revoked", "used", "not-found", "unreachable" or "failed". */
const char             *quorum_invitation_window_get_page      (QuorumInvitationWindow *self);
/* Once joined: the account and organization the window switched to. */
QuorumAccount          *quorum_invitation_window_get_account   (QuorumInvitationWindow *self);
const char             *quorum_invitation_window_get_organization_id (QuorumInvitationWindow *self);

G_END_DECLS
