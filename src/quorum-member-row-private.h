/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "quorum-member-row.h"

G_BEGIN_DECLS

/* What the row draws, for tests: the row has no label widgets to look at. */
gboolean _quorum_member_row_shows                     (QuorumMemberRow *self,
                                                       const char      *text);
gboolean _quorum_member_row_shows_suspended_indicator (QuorumMemberRow *self);
const char *_quorum_member_row_get_activity           (QuorumMemberRow *self,
                                                       graphene_rect_t *area);
const char *_quorum_member_row_tooltip_at             (QuorumMemberRow *self,
                                                       double           x,
                                                       double           y);

gboolean _quorum_member_row_get_text_area             (QuorumMemberRow *self,
                                                       const char      *text,
                                                       graphene_rect_t *area,
                                                       gboolean        *ellipsized);

G_END_DECLS
