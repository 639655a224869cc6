/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "quorum-request-state.h"
#include "quorum-session.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_WINDOW (quorum_window_get_type ())
G_DECLARE_FINAL_TYPE (QuorumWindow, quorum_window, QUORUM, WINDOW, AdwApplicationWindow)

QuorumWindow       *quorum_window_new              (GtkApplication    *application,
                                                    QuorumSession     *session);
void                quorum_window_open_uri         (QuorumWindow      *self,
                                                    const char        *uri);
void                quorum_window_email_verified   (QuorumWindow      *self,
                                                    const char        *server,
                                                    const char        *email);

/* "loading", "sign-in", "keyring", "error", "no-organizations" or "main" */
const char         *quorum_window_get_state        (QuorumWindow      *self);
QuorumAccount      *quorum_window_get_account      (QuorumWindow      *self);
QuorumOrganization *quorum_window_get_organization (QuorumWindow      *self);
gboolean            quorum_window_is_loading       (QuorumWindow      *self);
gboolean            quorum_window_is_offline       (QuorumWindow      *self);
QuorumRequestState *quorum_window_get_list_state   (QuorumWindow      *self);
QuorumRequestState *quorum_window_get_open_state   (QuorumWindow      *self);
gboolean            quorum_window_request_quit     (QuorumWindow      *self);
const char         *quorum_window_get_verify_banner (QuorumWindow     *self);
char               *quorum_window_dup_page_link    (QuorumWindow      *self);

G_END_DECLS
