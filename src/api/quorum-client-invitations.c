/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "quorum-client-private.h"

/* Invitations an organization sends, and those addressed to the signed-in
 * user (by id) or opened from a link (by token). */

/* {organization, member}: accepting an invitation, by its token or by its id. */
static gpointer
parse_accept (QuorumRequest *request,
              JsonNode      *root,
              GError       **error)
{
  g_autoptr(QuorumAuthResult) auth = g_new0 (QuorumAuthResult, 1);
  JsonObject *object;
  JsonNode *node;

  if (!(object = _quorum_json_get_root_object (root, "answer", error)))
    return NULL;
  node = json_object_get_member (object, "organization");
  if (!(auth->organization = quorum_organization_new_from_json (node, error)))
    return NULL;
  node = json_object_get_member (object, "member");
  if (!(auth->member = quorum_member_new_from_json (node, error)))
    return NULL;

  return g_steal_pointer (&auth);
}

/* An invitation addressed to the caller names the organization it is for:
 * without it there is nothing to show or to accept. */
static gpointer
my_invitation_new_from_json (JsonNode  *node,
                             GError   **error)
{
  g_autoptr(QuorumInvitation) invitation = quorum_invitation_new_from_json (node, error);

  if (invitation == NULL)
    return NULL;
  if (quorum_invitation_get_organization_id (invitation) == NULL ||
      quorum_invitation_get_organization_name (invitation) == NULL)
    {
      g_set_error_literal (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVALID_RESPONSE,
                           _("The server sent an invitation without its organization"));
      return NULL;
    }
  return g_steal_pointer (&invitation);
}

void
quorum_client_list_my_invitations_async (QuorumClient        *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));

  request = _quorum_request_new (self, "GET", "/me/invitations");
  request->parse_object = my_invitation_new_from_json;
  _quorum_request_send (request, _quorum_parse_list, (GDestroyNotify) _quorum_list_result_free,
                        quorum_client_list_my_invitations_async, cancellable, callback, user_data);
}

/**
 * quorum_client_list_my_invitations_finish:
 *
 * Returns: (transfer container) (element-type QuorumInvitation): pending
 *   invitations addressed to the caller, with their organization's id and name
 */
GPtrArray *
quorum_client_list_my_invitations_finish (QuorumClient  *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  return _quorum_request_finish_list (self, result, quorum_client_list_my_invitations_async, NULL,
                                      NULL, error);
}

/* Both ways of accepting answer the organization joined and the membership. */
static QuorumOrganization *
accept_finish (QuorumClient  *self,
               GAsyncResult  *result,
               gpointer       source_tag,
               QuorumMember **out_member,
               GError       **error)
{
  g_autoptr(QuorumAuthResult) auth = _quorum_request_finish (self, result, source_tag, error);

  if (out_member != NULL)
    *out_member = NULL;
  if (auth == NULL)
    return NULL;
  if (out_member != NULL)
    *out_member = g_steal_pointer (&auth->member);
  return g_steal_pointer (&auth->organization);
}

/**
 * quorum_client_accept_my_invitation_async:
 * @invitation_id: the id of an invitation listed by
 *   quorum_client_list_my_invitations_async()
 *
 * Accepts an invitation addressed to the signed-in user without its token
 * (POST /me/invitations/{id}/accept). Not retried: a second try after a
 * lost answer would only say the invitation was used.
 */
void
quorum_client_accept_my_invitation_async (QuorumClient        *self,
                                          const char          *invitation_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (invitation_id != NULL);

  request = _quorum_request_new (self, "POST", "/me/invitations/%s/accept", invitation_id);
  _quorum_request_send (request, parse_accept, (GDestroyNotify) _quorum_auth_result_free,
                        quorum_client_accept_my_invitation_async, cancellable, callback, user_data);
}

/**
 * quorum_client_accept_my_invitation_finish:
 * @out_member: (out) (optional): the caller's new membership
 *
 * Returns: (transfer full): the organization joined, with the caller's role
 */
QuorumOrganization *
quorum_client_accept_my_invitation_finish (QuorumClient  *self,
                                           GAsyncResult  *result,
                                           QuorumMember **out_member,
                                           GError       **error)
{
  return accept_finish (self, result, quorum_client_accept_my_invitation_async, out_member, error);
}

/**
 * quorum_client_decline_my_invitation_async:
 * @invitation_id: the id of an invitation listed by
 *   quorum_client_list_my_invitations_async()
 *
 * Declines an invitation addressed to the signed-in user
 * (POST /me/invitations/{id}/decline).
 */
void
quorum_client_decline_my_invitation_async (QuorumClient        *self,
                                           const char          *invitation_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (invitation_id != NULL);

  request = _quorum_request_new (self, "POST", "/me/invitations/%s/decline", invitation_id);
  _quorum_request_send (request, _quorum_parse_nothing, NULL,
                        quorum_client_decline_my_invitation_async, cancellable, callback,
                        user_data);
}

gboolean
quorum_client_decline_my_invitation_finish (QuorumClient  *self,
                                            GAsyncResult  *result,
                                            GError       **error)
{
  return _quorum_request_finish_boolean (self, result, quorum_client_decline_my_invitation_async,
                                         error);
}

void
quorum_client_list_invitations_async (QuorumClient        *self,
                                      const char          *organization_id,
                                      const char          *status,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL);

  request = _quorum_request_new (self, "GET", "/organizations/%s/invitations", organization_id);
  _quorum_request_add_query (request, "status", status);
  request->parse_object = (QuorumObjectParseFunc) quorum_invitation_new_from_json;
  _quorum_request_send (request, _quorum_parse_list, (GDestroyNotify) _quorum_list_result_free,
                        quorum_client_list_invitations_async, cancellable, callback, user_data);
}

/**
 * quorum_client_list_invitations_finish:
 *
 * Returns: (transfer container) (element-type QuorumInvitation):
 */
GPtrArray *
quorum_client_list_invitations_finish (QuorumClient  *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return _quorum_request_finish_list (self, result, quorum_client_list_invitations_async, NULL,
                                      NULL, error);
}

/**
 * quorum_client_create_invitation_async:
 * @idempotency_key: (nullable): sent as Idempotency-Key; %NULL makes a fresh
 *   one, so the request may be retried safely. Pass the same key again when
 *   the user retries the same invitation.
 */
void
quorum_client_create_invitation_async (QuorumClient        *self,
                                       const char          *organization_id,
                                       const char          *email,
                                       QuorumRole           role,
                                       const char          *idempotency_key,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && email != NULL);
  g_return_if_fail (quorum_role_is_assignable (role));

  request = _quorum_request_new (self, "POST", "/organizations/%s/invitations", organization_id);
  request->idempotency_key = idempotency_key != NULL ? g_strdup (idempotency_key)
                                                      : g_uuid_string_random ();
  _quorum_request_set_json (request, "email", email, "role", quorum_role_to_string (role), NULL);
  request->parse_object = (QuorumObjectParseFunc) quorum_invitation_new_from_json;
  _quorum_request_send (request, _quorum_parse_object, g_object_unref,
                        quorum_client_create_invitation_async, cancellable, callback, user_data);
}

QuorumInvitation *
quorum_client_create_invitation_finish (QuorumClient  *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return _quorum_request_finish (self, result, quorum_client_create_invitation_async, error);
}

void
quorum_client_resend_invitation_async (QuorumClient        *self,
                                       const char          *organization_id,
                                       const char          *invitation_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && invitation_id != NULL);

  request = _quorum_request_new (self, "POST", "/organizations/%s/invitations/%s/resend",
                                 organization_id, invitation_id);
  request->parse_object = (QuorumObjectParseFunc) quorum_invitation_new_from_json;
  _quorum_request_send (request, _quorum_parse_object, g_object_unref,
                        quorum_client_resend_invitation_async, cancellable, callback, user_data);
}

QuorumInvitation *
quorum_client_resend_invitation_finish (QuorumClient  *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return _quorum_request_finish (self, result, quorum_client_resend_invitation_async, error);
}

void
quorum_client_revoke_invitation_async (QuorumClient        *self,
                                       const char          *organization_id,
                                       const char          *invitation_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && invitation_id != NULL);

  request = _quorum_request_new (self, "DELETE", "/organizations/%s/invitations/%s",
                                 organization_id, invitation_id);
  _quorum_request_send (request, _quorum_parse_nothing, NULL, quorum_client_revoke_invitation_async,
                        cancellable, callback, user_data);
}

gboolean
quorum_client_revoke_invitation_finish (QuorumClient  *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return _quorum_request_finish_boolean (self, result, quorum_client_revoke_invitation_async,
                                         error);
}

void
quorum_client_get_invitation_preview_async (QuorumClient        *self,
                                            const char          *invitation_token,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (invitation_token != NULL);

  request = _quorum_request_new (self, "GET", "/invitations/%s", invitation_token);
  request->send_token = FALSE;
  request->parse_object = (QuorumObjectParseFunc) quorum_invitation_preview_new_from_json;
  _quorum_request_send (request, _quorum_parse_object, g_object_unref,
                        quorum_client_get_invitation_preview_async, cancellable, callback,
                        user_data);
}

QuorumInvitationPreview *
quorum_client_get_invitation_preview_finish (QuorumClient  *self,
                                             GAsyncResult  *result,
                                             GError       **error)
{
  return _quorum_request_finish (self, result, quorum_client_get_invitation_preview_async, error);
}

void
quorum_client_accept_invitation_async (QuorumClient        *self,
                                       const char          *invitation_token,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (invitation_token != NULL);

  request = _quorum_request_new (self, "POST", "/invitations/%s/accept", invitation_token);
  _quorum_request_send (request, parse_accept, (GDestroyNotify) _quorum_auth_result_free,
                        quorum_client_accept_invitation_async, cancellable, callback, user_data);
}

/**
 * quorum_client_accept_invitation_finish:
 * @out_member: (out) (optional): the caller's new membership
 *
 * Returns: (transfer full): the organization joined
 */
QuorumOrganization *
quorum_client_accept_invitation_finish (QuorumClient  *self,
                                        GAsyncResult  *result,
                                        QuorumMember **out_member,
                                        GError       **error)
{
  return accept_finish (self, result, quorum_client_accept_invitation_async, out_member, error);
}

void
quorum_client_setup_invitation_async (QuorumClient        *self,
                                      const char          *invitation_token,
                                      const char          *name,
                                      const char          *password,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (invitation_token != NULL && name != NULL && password != NULL);

  request = _quorum_request_new (self, "POST", "/invitations/%s/setup", invitation_token);
  request->send_token = FALSE;
  _quorum_request_set_json (request, "name", name, "password", password, NULL);
  _quorum_request_send (request, _quorum_parse_auth, (GDestroyNotify) _quorum_auth_result_free,
                        quorum_client_setup_invitation_async, cancellable, callback, user_data);
}

QuorumUser *
quorum_client_setup_invitation_finish (QuorumClient        *self,
                                       GAsyncResult        *result,
                                       char               **out_token,
                                       QuorumOrganization **out_organization,
                                       GError             **error)
{
  return _quorum_request_finish_auth (self, result, quorum_client_setup_invitation_async, out_token,
                                      out_organization, error);
}

void
quorum_client_decline_invitation_async (QuorumClient        *self,
                                        const char          *invitation_token,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (invitation_token != NULL);

  request = _quorum_request_new (self, "POST", "/invitations/%s/decline", invitation_token);
  _quorum_request_send (request, _quorum_parse_nothing, NULL,
                        quorum_client_decline_invitation_async, cancellable, callback, user_data);
}

gboolean
quorum_client_decline_invitation_finish (QuorumClient  *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return _quorum_request_finish_boolean (self, result, quorum_client_decline_invitation_async,
                                         error);
}
