/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "quorum-api.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_TRANSFER_DIALOG (quorum_transfer_dialog_get_type ())
G_DECLARE_FINAL_TYPE (QuorumTransferDialog, quorum_transfer_dialog, QUORUM, TRANSFER_DIALOG, AdwMessageDialog)

GtkWidget    *quorum_transfer_dialog_new        (QuorumClient         *client,
                                                 QuorumOrganization   *organization);
QuorumMember *quorum_transfer_dialog_get_member (QuorumTransferDialog *self);
void          quorum_transfer_dialog_search     (QuorumTransferDialog *self,
                                                 const char           *query);

G_END_DECLS
