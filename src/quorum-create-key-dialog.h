/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "quorum-api.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_CREATE_KEY_DIALOG (quorum_create_key_dialog_get_type ())
G_DECLARE_FINAL_TYPE (QuorumCreateKeyDialog, quorum_create_key_dialog, QUORUM, CREATE_KEY_DIALOG, AdwWindow)

QuorumCreateKeyDialog *quorum_create_key_dialog_new             (QuorumClient          *client,
                                                                 QuorumOrganization    *organization);
void                   quorum_create_key_dialog_set_name        (QuorumCreateKeyDialog *self,
                                                                 const char            *name);
QuorumScope            quorum_create_key_dialog_get_scopes      (QuorumCreateKeyDialog *self);
void                   quorum_create_key_dialog_set_scopes      (QuorumCreateKeyDialog *self,
                                                                 QuorumScope            scopes);
void                   quorum_create_key_dialog_set_expiry_days (QuorumCreateKeyDialog *self,
                                                                 guint                  days);
gboolean               quorum_create_key_dialog_get_ready       (QuorumCreateKeyDialog *self);
void                   quorum_create_key_dialog_create          (QuorumCreateKeyDialog *self);
const char            *quorum_create_key_dialog_get_error       (QuorumCreateKeyDialog *self);

G_END_DECLS
