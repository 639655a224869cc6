/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "quorum-session.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_SIGN_IN_PAGE (quorum_sign_in_page_get_type ())
G_DECLARE_FINAL_TYPE (QuorumSignInPage, quorum_sign_in_page, QUORUM, SIGN_IN_PAGE, AdwBin)

void quorum_sign_in_page_set_session (QuorumSignInPage *self,
                                      QuorumSession    *session);
void quorum_sign_in_page_prepare     (QuorumSignInPage *self,
                                      const char       *server,
                                      const char       *email,
                                      const char       *message,
                                      gboolean          can_cancel);

G_END_DECLS
