/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "quorum-application.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_WINDOW (quorum_window_get_type ())
G_DECLARE_FINAL_TYPE (QuorumWindow, quorum_window, QUORUM, WINDOW, AdwApplicationWindow)

QuorumWindow *quorum_window_new       (QuorumApplication *application);
void          quorum_window_open_uri  (QuorumWindow      *self,
                                       const char        *uri);

G_END_DECLS
