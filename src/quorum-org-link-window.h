/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "quorum-session.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_ORG_LINK_WINDOW (quorum_org_link_window_get_type ())
G_DECLARE_FINAL_TYPE (QuorumOrgLinkWindow, quorum_org_link_window, QUORUM, ORG_LINK_WINDOW, AdwWindow)

void        quorum_org_link_window_open     (GtkWindow           *parent,
                                             QuorumSession       *session,
                                             const char          *uri);
const char *quorum_org_link_window_get_page (QuorumOrgLinkWindow *self);

G_END_DECLS
