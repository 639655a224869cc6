/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "quorum-members-page.h"

G_BEGIN_DECLS

/* Called by a row's actions (member.*, invitation.*) with the row's item. */
void _quorum_members_page_row_action (QuorumMembersPage *self,
                                      const char        *action_name,
                                      GObject           *item,
                                      GVariant          *parameter);

G_END_DECLS
