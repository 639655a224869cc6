/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "quorum-api-types.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_ACCOUNT (quorum_account_get_type ())
G_DECLARE_FINAL_TYPE (QuorumAccount, quorum_account, QUORUM, ACCOUNT, GObject)

/* An account the app knows: nothing secret, so the app may keep it in
 * GSettings. The session token lives only in the keyring. */
QuorumAccount *quorum_account_new        (const char    *server,
                                          const char    *email,
                                          const char    *name);
const char    *quorum_account_get_server (QuorumAccount *self);
const char    *quorum_account_get_email  (QuorumAccount *self);
const char    *quorum_account_get_name   (QuorumAccount *self);
char          *quorum_account_dup_label  (QuorumAccount *self);
/* The user chose to use this account's plain-http server although it is not
 * on this computer (quorum_client_url_is_insecure()). Not secret either. */
gboolean       quorum_account_get_insecure (QuorumAccount *self);
void           quorum_account_set_insecure (QuorumAccount *self,
                                            gboolean       insecure);

G_END_DECLS
