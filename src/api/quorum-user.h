/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "quorum-api-types.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_USER (quorum_user_get_type ())
G_DECLARE_FINAL_TYPE (QuorumUser, quorum_user, QUORUM, USER, GObject)

const char *quorum_user_get_id         (QuorumUser *self);
const char *quorum_user_get_name       (QuorumUser *self);
const char *quorum_user_get_email      (QuorumUser *self);
GDateTime * quorum_user_get_created_at (QuorumUser *self);
gboolean    quorum_user_get_email_verified (QuorumUser *self);

G_END_DECLS
