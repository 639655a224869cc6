/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "quorum-account-store.h"

G_BEGIN_DECLS

/* For tests: the schema the tokens are stored under, and every account the
 * keyring holds. */
const SecretSchema *quorum_account_store_get_schema   (void);
void                quorum_account_store_list_async   (QuorumAccountStore   *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
GPtrArray          *quorum_account_store_list_finish  (QuorumAccountStore   *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

G_END_DECLS
