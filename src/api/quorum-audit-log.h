/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "quorum-api-types.h"

G_BEGIN_DECLS

#define QUORUM_AUDIT_LOG_DEFAULT_PAGE_SIZE 50
/* The log grows as the view scrolls, at most this far back. */
#define QUORUM_AUDIT_LOG_MAX_ITEMS 10000

#define QUORUM_TYPE_AUDIT_LOG (quorum_audit_log_get_type ())
G_DECLARE_FINAL_TYPE (QuorumAuditLog, quorum_audit_log, QUORUM, AUDIT_LOG, GObject)

QuorumAuditLog *quorum_audit_log_new                 (QuorumClient   *client,
                                                      const char     *organization_id,
                                                      const char     *action);
QuorumAuditLog *quorum_audit_log_new_filtered        (QuorumClient   *client,
                                                      const char     *organization_id,
                                                      const char     *action,
                                                      const char     *actor_id,
                                                      GDateTime      *since);
const char     *quorum_audit_log_get_organization_id (QuorumAuditLog *self);
const char     *quorum_audit_log_get_actor_id        (QuorumAuditLog *self);
GDateTime      *quorum_audit_log_get_since           (QuorumAuditLog *self);
const char     *quorum_audit_log_get_action          (QuorumAuditLog *self);
guint           quorum_audit_log_get_page_size       (QuorumAuditLog *self);
void            quorum_audit_log_set_page_size       (QuorumAuditLog *self,
                                                      guint           page_size);
guint           quorum_audit_log_get_total           (QuorumAuditLog *self);
gboolean        quorum_audit_log_get_loading         (QuorumAuditLog *self);
gboolean        quorum_audit_log_get_complete        (QuorumAuditLog *self);
const GError   *quorum_audit_log_get_error           (QuorumAuditLog *self);
void            quorum_audit_log_load_more           (QuorumAuditLog *self);
void            quorum_audit_log_reload              (QuorumAuditLog *self);

G_END_DECLS
