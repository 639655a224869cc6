/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-client-private.h"

/* Accounts: sign-up, sign-in and out, the signed-in user, the password,
 * e-mail verification and password reset. */

void
quorum_client_sign_up_async (QuorumClient        *self,
                             const char          *name,
                             const char          *email,
                             const char          *password,
                             const char          *organization_name,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (name != NULL && email != NULL && password != NULL);

  request = _quorum_request_new (self, "POST", "/users");
  request->send_token = FALSE;
  _quorum_request_set_json (request,
                            "name", name,
                            "email", email,
                            "password", password,
                            "organization_name", organization_name, NULL);
  _quorum_request_send (request, _quorum_parse_auth, (GDestroyNotify) _quorum_auth_result_free,
                        quorum_client_sign_up_async, cancellable, callback, user_data);
}

/**
 * quorum_client_sign_up_finish:
 * @out_token: (out) (optional): the new session token, to store in the keyring
 * @out_organization: (out) (optional): the user's first organization
 *
 * On success the client uses the new token for its next requests.
 */
QuorumUser *
quorum_client_sign_up_finish (QuorumClient        *self,
                              GAsyncResult        *result,
                              char               **out_token,
                              QuorumOrganization **out_organization,
                              GError             **error)
{
  return _quorum_request_finish_auth (self, result, quorum_client_sign_up_async, out_token,
                                      out_organization, error);
}

void
quorum_client_sign_in_async (QuorumClient        *self,
                             const char          *email,
                             const char          *password,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (email != NULL && password != NULL);

  request = _quorum_request_new (self, "POST", "/sessions");
  request->send_token = FALSE;
  _quorum_request_set_json (request, "email", email, "password", password, NULL);
  _quorum_request_send (request, _quorum_parse_auth, (GDestroyNotify) _quorum_auth_result_free,
                        quorum_client_sign_in_async, cancellable, callback, user_data);
}

QuorumUser *
quorum_client_sign_in_finish (QuorumClient  *self,
                              GAsyncResult  *result,
                              char         **out_token,
                              GError       **error)
{
  return _quorum_request_finish_auth (self, result, quorum_client_sign_in_async, out_token, NULL,
                                      error);
}

void
quorum_client_sign_out_async (QuorumClient        *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));

  request = _quorum_request_new (self, "DELETE", "/sessions/current");
  _quorum_request_send (request, _quorum_parse_nothing, NULL, quorum_client_sign_out_async,
                        cancellable, callback, user_data);
}

gboolean
quorum_client_sign_out_finish (QuorumClient  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  if (!_quorum_request_finish_boolean (self, result, quorum_client_sign_out_async, error))
    return FALSE;
  quorum_client_set_token (self, NULL);
  return TRUE;
}

void
quorum_client_get_me_async (QuorumClient        *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));

  request = _quorum_request_new (self, "GET", "/me");
  request->parse_object = (QuorumObjectParseFunc) quorum_user_new_from_json;
  _quorum_request_send (request, _quorum_parse_object, g_object_unref, quorum_client_get_me_async,
                        cancellable, callback, user_data);
}

QuorumUser *
quorum_client_get_me_finish (QuorumClient  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return _quorum_request_finish (self, result, quorum_client_get_me_async, error);
}

void
quorum_client_update_me_async (QuorumClient        *self,
                               const char          *name,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (name != NULL);

  request = _quorum_request_new (self, "PATCH", "/me");
  _quorum_request_set_json (request, "name", name, NULL);
  request->parse_object = (QuorumObjectParseFunc) quorum_user_new_from_json;
  _quorum_request_send (request, _quorum_parse_object, g_object_unref,
                        quorum_client_update_me_async, cancellable, callback, user_data);
}

QuorumUser *
quorum_client_update_me_finish (QuorumClient  *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _quorum_request_finish (self, result, quorum_client_update_me_async, error);
}

void
quorum_client_change_password_async (QuorumClient        *self,
                                     const char          *current_password,
                                     const char          *new_password,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (current_password != NULL && new_password != NULL);

  request = _quorum_request_new (self, "POST", "/me/password");
  _quorum_request_set_json (request,
                            "current_password", current_password,
                            "new_password", new_password, NULL);
  _quorum_request_send (request, _quorum_parse_nothing, NULL, quorum_client_change_password_async,
                        cancellable, callback, user_data);
}

gboolean
quorum_client_change_password_finish (QuorumClient  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return _quorum_request_finish_boolean (self, result, quorum_client_change_password_async, error);
}

/**
 * quorum_client_resend_verification_async:
 *
 * Asks the server to mail the signed-in user a new verification link
 * (POST /me/verification-email). Fails with %QUORUM_API_ERROR_ALREADY_VERIFIED
 * when there is nothing to verify, %QUORUM_API_ERROR_RATE_LIMITED when asked
 * too often (see quorum_api_error_get_retry_after()).
 */
void
quorum_client_resend_verification_async (QuorumClient        *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));

  request = _quorum_request_new (self, "POST", "/me/verification-email");
  _quorum_request_send (request, _quorum_parse_nothing, NULL,
                        quorum_client_resend_verification_async, cancellable, callback, user_data);
}

gboolean
quorum_client_resend_verification_finish (QuorumClient  *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  return _quorum_request_finish_boolean (self, result, quorum_client_resend_verification_async,
                                         error);
}

/**
 * quorum_client_verify_email_async:
 * @verification_token: the `qrm_v_…` token of a verification link
 *
 * Marks the address verified (POST /email-verifications). The token proves
 * the inbox, not the account: no session token is sent with it.
 */
void
quorum_client_verify_email_async (QuorumClient        *self,
                                  const char          *verification_token,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (verification_token != NULL);

  request = _quorum_request_new (self, "POST", "/email-verifications");
  request->send_token = FALSE;
  _quorum_request_set_json (request, "token", verification_token, NULL);
  request->parse_object = (QuorumObjectParseFunc) quorum_user_new_from_json;
  _quorum_request_send (request, _quorum_parse_object, g_object_unref,
                        quorum_client_verify_email_async, cancellable, callback, user_data);
}

/**
 * quorum_client_verify_email_finish:
 *
 * Returns: (transfer full): the user whose address is now verified
 */
QuorumUser *
quorum_client_verify_email_finish (QuorumClient  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return _quorum_request_finish (self, result, quorum_client_verify_email_async, error);
}

/**
 * quorum_client_request_password_reset_async:
 *
 * Asks for a password reset link for @email (POST /password-resets). The
 * server answers the same whether or not an account has that address.
 */
void
quorum_client_request_password_reset_async (QuorumClient        *self,
                                            const char          *email,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (email != NULL);

  request = _quorum_request_new (self, "POST", "/password-resets");
  request->send_token = FALSE;
  _quorum_request_set_json (request, "email", email, NULL);
  _quorum_request_send (request, _quorum_parse_nothing, NULL,
                        quorum_client_request_password_reset_async, cancellable, callback,
                        user_data);
}

gboolean
quorum_client_request_password_reset_finish (QuorumClient  *self,
                                             GAsyncResult  *result,
                                             GError       **error)
{
  return _quorum_request_finish_boolean (self, result, quorum_client_request_password_reset_async,
                                         error);
}

/**
 * quorum_client_confirm_password_reset_async:
 * @reset_token: the `qrm_r_…` token of a reset link
 *
 * Sets a new password (POST /password-resets/confirm). The server ends every
 * other session of the user and answers with a new one, as sign-in does.
 */
void
quorum_client_confirm_password_reset_async (QuorumClient        *self,
                                            const char          *reset_token,
                                            const char          *password,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (reset_token != NULL && password != NULL);

  request = _quorum_request_new (self, "POST", "/password-resets/confirm");
  request->send_token = FALSE;
  _quorum_request_set_json (request, "token", reset_token, "password", password, NULL);
  _quorum_request_send (request, _quorum_parse_auth, (GDestroyNotify) _quorum_auth_result_free,
                        quorum_client_confirm_password_reset_async, cancellable, callback,
                        user_data);
}

/**
 * quorum_client_confirm_password_reset_finish:
 * @out_token: (out) (optional): the new session token, to store in the keyring
 *
 * On success the client uses the new token for its next requests.
 */
QuorumUser *
quorum_client_confirm_password_reset_finish (QuorumClient  *self,
                                             GAsyncResult  *result,
                                             char         **out_token,
                                             GError       **error)
{
  return _quorum_request_finish_auth (self, result, quorum_client_confirm_password_reset_async,
                                      out_token, NULL, error);
}
