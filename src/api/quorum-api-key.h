/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "quorum-api-types.h"
#include "quorum-scope.h"

G_BEGIN_DECLS

/* A key older than this is due for rotation. */
#define QUORUM_API_KEY_ROTATE_AFTER_DAYS 90

#define QUORUM_TYPE_API_KEY (quorum_api_key_get_type ())
G_DECLARE_FINAL_TYPE (QuorumApiKey, quorum_api_key, QUORUM, API_KEY, GObject)

const char         *quorum_api_key_get_id              (QuorumApiKey *self);
const char         *quorum_api_key_get_name            (QuorumApiKey *self);
const char         *quorum_api_key_get_prefix          (QuorumApiKey *self);
const char * const *quorum_api_key_get_scope_names     (QuorumApiKey *self);
QuorumScope         quorum_api_key_get_scopes          (QuorumApiKey *self);
GDateTime          *quorum_api_key_get_created_at      (QuorumApiKey *self);
GDateTime          *quorum_api_key_get_expires_at      (QuorumApiKey *self);
GDateTime          *quorum_api_key_get_last_used_at    (QuorumApiKey *self);
const char         *quorum_api_key_get_created_by_id   (QuorumApiKey *self);
const char         *quorum_api_key_get_created_by_name (QuorumApiKey *self);
const char         *quorum_api_key_get_secret          (QuorumApiKey *self);
void                quorum_api_key_forget_secret       (QuorumApiKey *self);
gboolean            quorum_api_key_is_expired          (QuorumApiKey *self,
                                                        GDateTime    *now);
gboolean            quorum_api_key_is_due_for_rotation (QuorumApiKey *self,
                                                        GDateTime    *now);

G_END_DECLS
