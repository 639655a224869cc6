/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "quorum-request-state.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_REQUEST_STATUS (quorum_request_status_get_type ())
G_DECLARE_FINAL_TYPE (QuorumRequestStatus, quorum_request_status, QUORUM, REQUEST_STATUS, GtkWidget)

GtkWidget          *quorum_request_status_new         (QuorumRequestState  *state);
QuorumRequestState *quorum_request_status_get_state   (QuorumRequestStatus *self);
void                quorum_request_status_set_state   (QuorumRequestStatus *self,
                                                       QuorumRequestState  *state);
gboolean            quorum_request_status_get_compact (QuorumRequestStatus *self);
void                quorum_request_status_set_compact (QuorumRequestStatus *self,
                                                       gboolean             compact);

G_END_DECLS
