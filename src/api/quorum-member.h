/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "quorum-api-types.h"
#include "quorum-role.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_MEMBER (quorum_member_get_type ())
G_DECLARE_FINAL_TYPE (QuorumMember, quorum_member, QUORUM, MEMBER, GObject)

gboolean      quorum_member_is_placeholder     (QuorumMember *self);
const char *  quorum_member_get_id             (QuorumMember *self);
const char *  quorum_member_get_user_id        (QuorumMember *self);
const char *  quorum_member_get_name           (QuorumMember *self);
const char *  quorum_member_get_email          (QuorumMember *self);
const char *  quorum_member_get_role_name      (QuorumMember *self);
const char *  quorum_member_get_status         (QuorumMember *self);
GDateTime *   quorum_member_get_joined_at      (QuorumMember *self);
GDateTime *   quorum_member_get_last_active_at (QuorumMember *self);
QuorumRole    quorum_member_get_role           (QuorumMember *self);

G_END_DECLS
