/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "quorum-api.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_API_KEY_ROW (quorum_api_key_row_get_type ())
G_DECLARE_FINAL_TYPE (QuorumApiKeyRow, quorum_api_key_row, QUORUM, API_KEY_ROW, AdwActionRow)

GtkWidget    *quorum_api_key_row_new            (QuorumApiKey    *key,
                                                 GDateTime       *now);
QuorumApiKey *quorum_api_key_row_get_key        (QuorumApiKeyRow *self);
gboolean      quorum_api_key_row_get_due        (QuorumApiKeyRow *self);

G_END_DECLS
