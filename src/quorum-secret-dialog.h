/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define QUORUM_TYPE_SECRET_DIALOG (quorum_secret_dialog_get_type ())
G_DECLARE_FINAL_TYPE (QuorumSecretDialog, quorum_secret_dialog, QUORUM, SECRET_DIALOG, AdwMessageDialog)

QuorumSecretDialog *quorum_secret_dialog_new    (GtkWindow          *parent,
                                                 const char         *heading,
                                                 const char         *body,
                                                 const char         *secret);
const char         *quorum_secret_dialog_get_secret (QuorumSecretDialog *self);
void                quorum_secret_dialog_copy   (QuorumSecretDialog *self);

G_END_DECLS
