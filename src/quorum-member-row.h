/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "quorum-api.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_MEMBER_ROW (quorum_member_row_get_type ())
G_DECLARE_FINAL_TYPE (QuorumMemberRow, quorum_member_row, QUORUM, MEMBER_ROW, GtkWidget)

GtkWidget *quorum_member_row_new         (void);
GObject   *quorum_member_row_get_item    (QuorumMemberRow *self);
void       quorum_member_row_bind        (QuorumMemberRow *self,
                                          GObject         *item,
                                          QuorumRole       caller_role,
                                          const char      *caller_user_id);
void       quorum_member_row_unbind      (QuorumMemberRow *self);
gboolean   quorum_member_row_has_menu    (QuorumMemberRow *self);
GMenuModel *quorum_member_row_get_menu   (QuorumMemberRow *self);

G_END_DECLS
