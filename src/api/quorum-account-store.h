/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "quorum-account.h"
#include "quorum-api-types.h"

G_BEGIN_DECLS

#define QUORUM_ACCOUNT_STORE_ERROR (quorum_account_store_error_quark ())

typedef enum
{
  QUORUM_ACCOUNT_STORE_ERROR_UNAVAILABLE,  /* no Secret Service (no keyring, no portal) */
  QUORUM_ACCOUNT_STORE_ERROR_LOCKED,       /* locked and the unlock was dismissed */
  QUORUM_ACCOUNT_STORE_ERROR_NOT_FOUND,    /* the keyring answered: no token for this account */
  QUORUM_ACCOUNT_STORE_ERROR_REFUSED,      /* the Secret Service refused the request */
} QuorumAccountStoreError;

#define QUORUM_ACCOUNT_SCHEMA_NAME      "org.quorumdesk.Quorum.Account"
#define QUORUM_ACCOUNT_ATTRIBUTE_SERVER "quorum-server"
#define QUORUM_ACCOUNT_ATTRIBUTE_EMAIL  "quorum-email"

#define QUORUM_TYPE_ACCOUNT_STORE (quorum_account_store_get_type ())
G_DECLARE_FINAL_TYPE (QuorumAccountStore, quorum_account_store, QUORUM, ACCOUNT_STORE, GObject)

GQuark              quorum_account_store_error_quark  (void);

QuorumAccountStore *quorum_account_store_new          (void);

void                quorum_account_store_save_async   (QuorumAccountStore   *self,
                                                       QuorumAccount        *account,
                                                       const char           *token,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean            quorum_account_store_save_finish  (QuorumAccountStore   *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
void                quorum_account_store_restore_async  (QuorumAccountStore   *self,
                                                         QuorumAccount        *account,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
char               *quorum_account_store_restore_finish (QuorumAccountStore   *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
void                quorum_account_store_remove_async (QuorumAccountStore   *self,
                                                       QuorumAccount        *account,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean            quorum_account_store_remove_finish (QuorumAccountStore  *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

G_END_DECLS
