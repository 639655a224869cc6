/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-client-private.h"

/* The filter's words as query parameters (shared with the export). */
void
_quorum_request_add_member_filter (QuorumRequest            *request,
                                   const QuorumMemberFilter *filter)
{
  g_autofree char *days = NULL;

  if (filter == NULL)
    return;
  if (filter->query != NULL && *filter->query != '\0')
    _quorum_request_add_query (request, "query", filter->query);
  _quorum_request_add_query (request, "role", quorum_role_to_string (filter->role));
  _quorum_request_add_query (request, "status", filter->status);
  if (filter->inactive_days > 0)
    _quorum_request_add_query (request, "inactive_days",
                               (days = g_strdup_printf ("%u", filter->inactive_days)));
  if (filter->sort != NULL && g_strcmp0 (filter->sort, "name") != 0)
    _quorum_request_add_query (request, "sort", filter->sort);
}

/**
 * quorum_client_list_members_filtered_async:
 * @filter: (nullable): which members, in which order; %NULL for everyone by name
 * @cursor: (nullable): the previous page's next cursor (asked for with the same sort)
 * @limit: page size, 1–200 (0 for the server's default)
 *
 * Finish with quorum_client_list_members_finish().
 */
void
quorum_client_list_members_filtered_async (QuorumClient             *self,
                                           const char               *organization_id,
                                           const QuorumMemberFilter *filter,
                                           const char               *cursor,
                                           guint                     limit,
                                           GCancellable             *cancellable,
                                           GAsyncReadyCallback       callback,
                                           gpointer                  user_data)
{
  g_autofree char *limit_str = NULL;
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL);
  g_return_if_fail (limit <= 200);
  g_return_if_fail (filter == NULL || filter->inactive_days <= QUORUM_MEMBER_FILTER_MAX_INACTIVE_DAYS);

  request = _quorum_request_new (self, "GET", "/organizations/%s/members", organization_id);
  _quorum_request_add_member_filter (request, filter);
  if (limit > 0)
    _quorum_request_add_query (request, "limit", (limit_str = g_strdup_printf ("%u", limit)));
  _quorum_request_add_query (request, "cursor", cursor);
  request->parse_object = (QuorumObjectParseFunc) quorum_member_new_from_json;
  /* One source tag for both list calls: one _finish. */
  _quorum_request_send (request, _quorum_parse_list, (GDestroyNotify) _quorum_list_result_free,
                        quorum_client_list_members_async, cancellable, callback, user_data);
}

/**
 * quorum_client_list_members_async:
 * @query: (nullable): matches name or e-mail
 * @role: a role to filter on, or %QUORUM_ROLE_NONE for all
 * @status: (nullable): "active" or "suspended", or %NULL for both
 * @cursor: (nullable): the previous page's next cursor
 * @limit: page size, 1–200 (0 for the server's default)
 *
 * quorum_client_list_members_filtered_async() with only these filters.
 */
void
quorum_client_list_members_async (QuorumClient        *self,
                                  const char          *organization_id,
                                  const char          *query,
                                  QuorumRole           role,
                                  const char          *status,
                                  const char          *cursor,
                                  guint                limit,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  QuorumMemberFilter filter = { .query = query, .role = role, .status = status };

  quorum_client_list_members_filtered_async (self, organization_id, &filter, cursor, limit,
                                             cancellable, callback, user_data);
}

/**
 * quorum_client_list_members_finish:
 * @out_next_cursor: (out) (optional): the cursor of the next page, %NULL at the end
 * @out_total: (out) (optional): how many members match in all
 *
 * Returns: (transfer container) (element-type QuorumMember): one page
 */
GPtrArray *
quorum_client_list_members_finish (QuorumClient  *self,
                                   GAsyncResult  *result,
                                   char         **out_next_cursor,
                                   guint         *out_total,
                                   GError       **error)
{
  return _quorum_request_finish_list (self, result, quorum_client_list_members_async,
                                      out_next_cursor, out_total, error);
}

void
quorum_client_update_member_async (QuorumClient        *self,
                                   const char          *organization_id,
                                   const char          *member_id,
                                   QuorumRole           role,
                                   const char          *status,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && member_id != NULL);

  request = _quorum_request_new (self, "PATCH", "/organizations/%s/members/%s", organization_id,
                                 member_id);
  _quorum_request_set_json (request, "role", quorum_role_to_string (role), "status", status, NULL);
  request->parse_object = (QuorumObjectParseFunc) quorum_member_new_from_json;
  _quorum_request_send (request, _quorum_parse_object, g_object_unref,
                        quorum_client_update_member_async, cancellable, callback, user_data);
}

QuorumMember *
quorum_client_update_member_finish (QuorumClient  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return _quorum_request_finish (self, result, quorum_client_update_member_async, error);
}

void
quorum_client_remove_member_async (QuorumClient        *self,
                                   const char          *organization_id,
                                   const char          *member_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && member_id != NULL);

  request = _quorum_request_new (self, "DELETE", "/organizations/%s/members/%s", organization_id,
                                 member_id);
  _quorum_request_send (request, _quorum_parse_nothing, NULL, quorum_client_remove_member_async,
                        cancellable, callback, user_data);
}

gboolean
quorum_client_remove_member_finish (QuorumClient  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return _quorum_request_finish_boolean (self, result, quorum_client_remove_member_async, error);
}

/**
 * quorum_client_get_member_async:
 *
 * GET .../members/{id}: one member, such as the name behind a usage row.
 */
void
quorum_client_get_member_async (QuorumClient        *self,
                                const char          *organization_id,
                                const char          *member_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && member_id != NULL);

  request = _quorum_request_new (self, "GET", "/organizations/%s/members/%s", organization_id, member_id);
  request->parse_object = (QuorumObjectParseFunc) quorum_member_new_from_json;
  _quorum_request_send (request, _quorum_parse_object, g_object_unref,
                        quorum_client_get_member_async, cancellable, callback, user_data);
}

/**
 * quorum_client_get_member_finish:
 *
 * Returns: (transfer full): the member
 */
QuorumMember *
quorum_client_get_member_finish (QuorumClient  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _quorum_request_finish (self, result, quorum_client_get_member_async, error);
}
