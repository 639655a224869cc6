/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-client-private.h"
#include "quorum-member-list.h"

static gpointer
parse_organization (QuorumRequest *request,
                    JsonNode      *root,
                    GError       **error)
{
  QuorumOrganization *organization = quorum_organization_new_from_json (root, error);
  const char *etag;

  if (organization == NULL)
    return NULL;

  if ((etag = _quorum_request_get_etag (request)) != NULL)
    _quorum_organization_set_etag (organization, etag);

  return organization;
}

void
quorum_client_list_organizations_async (QuorumClient        *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));

  request = _quorum_request_new (self, "GET", "/organizations?limit=200");
  request->parse_object = (QuorumObjectParseFunc) quorum_organization_new_from_json;
  _quorum_request_send (request, _quorum_parse_list, (GDestroyNotify) _quorum_list_result_free,
                        quorum_client_list_organizations_async, cancellable, callback, user_data);
}

/**
 * quorum_client_list_organizations_finish:
 *
 * Returns: (transfer container) (element-type QuorumOrganization):
 */
GPtrArray *
quorum_client_list_organizations_finish (QuorumClient  *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return _quorum_request_finish_list (self, result, quorum_client_list_organizations_async, NULL,
                                      NULL, error);
}

void
quorum_client_create_organization_async (QuorumClient        *self,
                                         const char          *name,
                                         const char          *slug,
                                         const char          *logo_url,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (name != NULL);

  request = _quorum_request_new (self, "POST", "/organizations");
  _quorum_request_set_json (request, "name", name, "slug", slug, "logo_url", logo_url, NULL);
  _quorum_request_send (request, parse_organization, g_object_unref,
                        quorum_client_create_organization_async, cancellable, callback, user_data);
}

QuorumOrganization *
quorum_client_create_organization_finish (QuorumClient  *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  return _quorum_request_finish (self, result, quorum_client_create_organization_async, error);
}

void
quorum_client_get_organization_async (QuorumClient        *self,
                                      const char          *organization_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL);

  request = _quorum_request_new (self, "GET", "/organizations/%s", organization_id);
  _quorum_request_send (request, parse_organization, g_object_unref,
                        quorum_client_get_organization_async, cancellable, callback, user_data);
}

QuorumOrganization *
quorum_client_get_organization_finish (QuorumClient  *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return _quorum_request_finish (self, result, quorum_client_get_organization_async, error);
}

/**
 * quorum_client_update_organization_async:
 * @etag: (nullable): the organization's etag when it was shown, sent as
 *   If-Match so a concurrent change gives %QUORUM_API_ERROR_PRECONDITION_FAILED
 * @name: (nullable): @slug: (nullable): @logo_url: (nullable): what changes
 */
void
quorum_client_update_organization_async (QuorumClient        *self,
                                         const char          *organization_id,
                                         const char          *etag,
                                         const char          *name,
                                         const char          *slug,
                                         const char          *logo_url,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL);

  request = _quorum_request_new (self, "PATCH", "/organizations/%s", organization_id);
  request->if_match = g_strdup (etag);
  _quorum_request_set_json (request, "name", name, "slug", slug, "logo_url", logo_url, NULL);
  _quorum_request_send (request, parse_organization, g_object_unref,
                        quorum_client_update_organization_async, cancellable, callback, user_data);
}

QuorumOrganization *
quorum_client_update_organization_finish (QuorumClient  *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  return _quorum_request_finish (self, result, quorum_client_update_organization_async, error);
}

/**
 * quorum_client_upload_logo_async:
 * @image: a PNG or JPEG file (at most 2 MiB, 120 to 1800 pixels a side);
 *   the server stores its own encoding of the decoded image
 * @content_type: "image/png" or "image/jpeg"
 */
void
quorum_client_upload_logo_async (QuorumClient        *self,
                                 const char          *organization_id,
                                 GBytes              *image,
                                 const char          *content_type,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && image != NULL && content_type != NULL);

  request = _quorum_request_new (self, "PUT", "/organizations/%s/logo", organization_id);
  request->body = g_bytes_ref (image);
  request->content_type = g_intern_string (content_type);
  _quorum_request_send (request, parse_organization, g_object_unref,
                        quorum_client_upload_logo_async, cancellable, callback, user_data);
}

QuorumOrganization *
quorum_client_upload_logo_finish (QuorumClient  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _quorum_request_finish (self, result, quorum_client_upload_logo_async, error);
}

void
quorum_client_delete_organization_async (QuorumClient        *self,
                                         const char          *organization_id,
                                         const char          *confirm_slug,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && confirm_slug != NULL);

  request = _quorum_request_new (self, "DELETE", "/organizations/%s", organization_id);
  _quorum_request_set_json (request, "confirm_slug", confirm_slug, NULL);
  _quorum_request_send (request, _quorum_parse_nothing, NULL,
                        quorum_client_delete_organization_async, cancellable, callback, user_data);
}

gboolean
quorum_client_delete_organization_finish (QuorumClient  *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  return _quorum_request_finish_boolean (self, result, quorum_client_delete_organization_async,
                                         error);
}

void
quorum_client_transfer_ownership_async (QuorumClient        *self,
                                        const char          *organization_id,
                                        const char          *member_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && member_id != NULL);

  request = _quorum_request_new (self, "POST", "/organizations/%s/transfer-ownership",
                                 organization_id);
  _quorum_request_set_json (request, "member_id", member_id, NULL);
  _quorum_request_send (request, _quorum_parse_nothing, NULL,
                        quorum_client_transfer_ownership_async, cancellable, callback, user_data);
}

gboolean
quorum_client_transfer_ownership_finish (QuorumClient  *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return _quorum_request_finish_boolean (self, result, quorum_client_transfer_ownership_async,
                                         error);
}

void
quorum_client_leave_organization_async (QuorumClient        *self,
                                        const char          *organization_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL);

  request = _quorum_request_new (self, "POST", "/organizations/%s/leave", organization_id);
  _quorum_request_send (request, _quorum_parse_nothing, NULL,
                        quorum_client_leave_organization_async, cancellable, callback, user_data);
}

gboolean
quorum_client_leave_organization_finish (QuorumClient  *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return _quorum_request_finish_boolean (self, result, quorum_client_leave_organization_async,
                                         error);
}

/* Prefetch of what opening an organization asks for (quorum-window.c's
 * switch, the Members page's first page and pending invitations). */
static void
prefetch_organization_views (QuorumClient *self,
                             const char   *organization_id)
{
  quorum_client_prefetch_begin (self);
  quorum_client_get_organization_async (self, organization_id, NULL, NULL, NULL);
  quorum_client_prefetch_begin (self);
  quorum_client_list_members_async (self, organization_id, NULL, QUORUM_ROLE_NONE, NULL, NULL,
                                    QUORUM_MEMBER_LIST_DEFAULT_PAGE_SIZE, NULL, NULL, NULL);
  quorum_client_prefetch_begin (self);
  quorum_client_list_invitations_async (self, organization_id, "pending", NULL, NULL, NULL);
  quorum_client_prefetch_end (self);
}

/* The list is in: the organization the window will open is @preferred when
 * listed, else the first. */
static void
open_candidate_then (QuorumClient  *self,
                     QuorumRequest *request,
                     const char    *preferred)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *first = NULL;
  gboolean preferred_listed = FALSE;
  JsonObject *object;
  JsonArray *items;

  root = _quorum_json_parse ((const char *) request->buffer->data, request->buffer->len, NULL);
  if (root == NULL ||
      (object = _quorum_json_get_root_object (root, "organization list", NULL)) == NULL ||
      (items = _quorum_json_get_items (object, NULL)) == NULL)
    return;

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *item = json_array_get_element (items, i);
      g_autofree char *id = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (item) ||
          !_quorum_json_get_string (json_node_get_object (item), "id", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID,
                                    QUORUM_MAX_ID_BYTES, &id, NULL))
        continue;
      if (first == NULL)
        first = g_strdup (id);
      if (g_strcmp0 (id, preferred) == 0)
        preferred_listed = TRUE;
    }

  if (preferred_listed)
    prefetch_organization_views (self, preferred);
  else if (first != NULL)
    prefetch_organization_views (self, first);
}

/**
 * quorum_client_prefetch_organization_to_open:
 * @preferred_id: (nullable): the organization opened last, if known
 *
 * Prefetches (see quorum_client_prefetch_begin()) the organization list and
 * what opening one asks for: @preferred_id's at once, in parallel with the
 * list; otherwise, once the list is in, the first one's.
 */
void
quorum_client_prefetch_organization_to_open (QuorumClient *self,
                                             const char   *preferred_id)
{
  g_return_if_fail (QUORUM_IS_CLIENT (self));

  if (preferred_id != NULL)
    prefetch_organization_views (self, preferred_id);
  _quorum_client_prefetch_then (self, open_candidate_then, g_strdup (preferred_id));
  quorum_client_prefetch_begin (self);
  quorum_client_list_organizations_async (self, NULL, NULL, NULL);
  quorum_client_prefetch_end (self);
}
