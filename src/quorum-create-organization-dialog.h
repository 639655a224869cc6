/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "quorum-api.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_CREATE_ORGANIZATION_DIALOG (quorum_create_organization_dialog_get_type ())
G_DECLARE_FINAL_TYPE (QuorumCreateOrganizationDialog, quorum_create_organization_dialog,
                      QUORUM, CREATE_ORGANIZATION_DIALOG, AdwWindow)

QuorumCreateOrganizationDialog *quorum_create_organization_dialog_new (QuorumClient *client);

G_END_DECLS
