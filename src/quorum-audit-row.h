/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "quorum-api.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_AUDIT_ROW (quorum_audit_row_get_type ())
G_DECLARE_FINAL_TYPE (QuorumAuditRow, quorum_audit_row, QUORUM, AUDIT_ROW, GtkWidget)

GtkWidget  *quorum_audit_row_new       (void);
void        quorum_audit_row_set_event (QuorumAuditRow   *self,
                                        QuorumAuditEvent *event,
                                        GDateTime        *now);
const char *quorum_audit_row_get_text  (QuorumAuditRow   *self);
char       *quorum_audit_row_describe  (QuorumAuditEvent *event);

G_END_DECLS
