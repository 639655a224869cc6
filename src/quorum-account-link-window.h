/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "quorum-session.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_ACCOUNT_LINK_WINDOW (quorum_account_link_window_get_type ())
G_DECLARE_FINAL_TYPE (QuorumAccountLinkWindow, quorum_account_link_window, QUORUM, ACCOUNT_LINK_WINDOW, AdwWindow)

QuorumAccountLinkWindow *quorum_account_link_window_new  (QuorumSession           *session,
                                                          const char              *uri);
void                     quorum_account_link_window_open (GtkWindow               *parent,
                                                          QuorumSession           *session,
                                                          const char              *uri);
const char              *quorum_account_link_window_get_page (QuorumAccountLinkWindow *self);

G_END_DECLS
