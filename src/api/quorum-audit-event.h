/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "quorum-api-types.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_AUDIT_EVENT (quorum_audit_event_get_type ())
G_DECLARE_FINAL_TYPE (QuorumAuditEvent, quorum_audit_event, QUORUM, AUDIT_EVENT, GObject)

const char *quorum_audit_event_get_id          (QuorumAuditEvent *self);
const char *quorum_audit_event_get_actor_id    (QuorumAuditEvent *self);
const char *quorum_audit_event_get_actor_name  (QuorumAuditEvent *self);
gboolean    quorum_audit_event_is_by_api_key   (QuorumAuditEvent *self);
const char *quorum_audit_event_get_actor_kind  (QuorumAuditEvent *self);
const char *quorum_audit_event_get_action      (QuorumAuditEvent *self);
const char *quorum_audit_event_get_target_type (QuorumAuditEvent *self);
const char *quorum_audit_event_get_target_id   (QuorumAuditEvent *self);
const char *quorum_audit_event_get_target_name (QuorumAuditEvent *self);
const char *quorum_audit_event_get_detail      (QuorumAuditEvent *self,
                                                const char       *key);
gboolean    quorum_audit_event_get_change      (QuorumAuditEvent  *self,
                                                const char        *field,
                                                const char       **from,
                                                const char       **to);
GDateTime  *quorum_audit_event_get_created_at  (QuorumAuditEvent *self);

G_END_DECLS
