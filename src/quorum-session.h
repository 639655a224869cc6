/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "quorum-api.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_SESSION (quorum_session_get_type ())
G_DECLARE_FINAL_TYPE (QuorumSession, quorum_session, QUORUM, SESSION, GObject)

QuorumSession *quorum_session_new                     (GSettings           *settings);

GListModel    *quorum_session_get_accounts            (QuorumSession       *self);
QuorumAccount *quorum_session_find_account            (QuorumSession       *self,
                                                       const char          *key);
char          *quorum_session_account_key             (QuorumAccount       *account);
void           quorum_session_allow_insecure_server   (QuorumSession       *self,
                                                       const char          *server);
gboolean       quorum_session_server_is_allowed_insecure (QuorumSession     *self,
                                                          const char        *server);
gboolean       quorum_session_has_server              (QuorumSession       *self,
                                                       const char          *server);
void           quorum_session_make_current            (QuorumSession       *self,
                                                       QuorumAccount       *account);
QuorumClient  *quorum_session_get_client              (QuorumSession       *self,
                                                       QuorumAccount       *account);
const char    *quorum_session_get_default_server      (QuorumSession       *self);
void           quorum_session_set_default_server      (QuorumSession       *self,
                                                       const char          *url);

void           quorum_session_restore_async           (QuorumSession       *self,
                                                       QuorumAccount       *account,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
QuorumClient  *quorum_session_restore_finish          (QuorumSession       *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

void           quorum_session_sign_in_async           (QuorumSession       *self,
                                                       const char          *server,
                                                       const char          *email,
                                                       const char          *password,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
void           quorum_session_sign_up_async           (QuorumSession       *self,
                                                       const char          *server,
                                                       const char          *name,
                                                       const char          *email,
                                                       const char          *password,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
void           quorum_session_reset_password_async    (QuorumSession       *self,
                                                       const char          *server,
                                                       const char          *reset_token,
                                                       const char          *password,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
/* Finishes sign-in, sign-up and password reset. */
QuorumAccount *quorum_session_sign_in_finish          (QuorumSession       *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

void           quorum_session_sign_out_async          (QuorumSession       *self,
                                                       QuorumAccount       *account,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean       quorum_session_sign_out_finish         (QuorumSession       *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

char          *quorum_session_dup_last_organization   (QuorumSession       *self,
                                                       QuorumAccount       *account);
void           quorum_session_set_last_organization   (QuorumSession       *self,
                                                       QuorumAccount       *account,
                                                       const char          *organization_id);

G_END_DECLS
