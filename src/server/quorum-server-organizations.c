/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-server-auth.h"
#include "quorum-server-handlers.h"
#include "quorum-server-http.h"
#include "quorum-server-model.h"
#include "quorum-server-state.h"

#define MEMBERS_DEFAULT_LIMIT 50
/* A position in the list, as `offset`: an organization has fewer members. */
#define MEMBERS_MAX_OFFSET 10000000
#define QUERY_MAX_CHARS       200
#define MEMBERS_MAX_INACTIVE_DAYS 3650
/* Rows per chunk of a CSV export, and exports streamed at once. */
#define EXPORT_PAGE_ROWS      500
/* Exports streaming at once: per organization, so that one organization's
 * stalled readers cannot hold everyone's, and a ceiling for the server. */
#define EXPORT_MAX_PER_ORG    2
#define EXPORT_MAX_RUNNING    8
/* Seconds an export waits for its client to read before it is cut. */
#define EXPORT_STALL_SECONDS  30

static void
respond_organization (QsRequest           *req,
                      guint                status,
                      const char          *org_id,
                      QuorumRole           role)
{
  g_autoptr(QsStoreOrganization) org = qs_store_organization_get (req->store, org_id, NULL);
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *etag = NULL;

  if (org == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  object = qs_organization_to_json (org, role);
  etag = qs_org_etag (org);
  qs_respond_object (req, status, object);
  qs_set_etag (req, etag);
}

/* The caller's role as the organization shows it: none for an API key. */
static QuorumRole
shown_role (QsRequest           *req,
            const QsStoreMember *me)
{
  return req->api_key != NULL ? QUORUM_ROLE_NONE : me->role;
}

/* A member webhook event (member.removed, member.updated) with the member
 * as the API shows it, for changes whose audit action is not that event
 * type (member.left, organization.ownership_transferred): in the
 * transaction of the change. */
static gboolean
emit_member_event (QsRequest           *req,
                   const QsStoreMember *member,
                   const char          *type)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *data = NULL;

  json_node_take_object (node, qs_member_to_json (member));
  data = qs_json_to_string (node);
  return qs_store_event_emit (req->store, member->org_id, type, data, qs_now (), NULL, NULL);
}

/* After a transfer: member.updated for the member whose role it changed. */
static gboolean
emit_member_updated (QsRequest  *req,
                     const char *org_id,
                     const char *member_id)
{
  g_autoptr(QsStoreMember) member = qs_store_member_get (req->store, org_id, member_id, NULL);

  return member != NULL && emit_member_event (req, member, "member.updated");
}

/* organization.updated for changes whose audit action is another
 * (organization.logo_updated, organization.ownership_transferred): the
 * spec's "the name, slug or logo changed, or ownership was transferred". */
static gboolean
emit_organization_updated (QsRequest  *req,
                           const char *org_id)
{
  g_autoptr(QsStoreOrganization) org = qs_store_organization_get (req->store, org_id, NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *data = NULL;

  if (org == NULL)
    return FALSE;
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, qs_organization_to_json (org, QUORUM_ROLE_NONE));
  data = qs_json_to_string (node);
  return qs_store_event_emit (req->store, org_id, "organization.updated", data, qs_now (), NULL, NULL);
}

/* The audit record of a change to the organization, with the organization
 * as it is now (organization.updated is a webhook event); before (may be
 * NULL): the organization before the change, for the changes' from. */
static gboolean
audit_organization (QsRequest                 *req,
                    const char                *org_id,
                    const char                *action,
                    const QsStoreOrganization *before)
{
  g_autoptr(JsonObject) changes = NULL;
  g_autoptr(QsStoreOrganization) org = qs_store_organization_get (req->store, org_id, NULL);
  g_autoptr(JsonObject) data = NULL;

  if (org == NULL)
    return FALSE;
  data = qs_organization_to_json (org, QUORUM_ROLE_NONE);
  if (before != NULL)
    {
      qs_audit_change_string (&changes, "name", before->name, org->name);
      qs_audit_change_string (&changes, "slug", before->slug, org->slug);
    }
  return qs_audit_changed (req, org_id, action, "organization", org_id, org->name, data, changes);
}

static void
respond_slug_taken (QsRequest *req)
{
  qs_respond_error (req, 409, "slug_taken", "Another organization uses this slug.");
}

void
qs_handle_orgs_list (QsRequest *req)
{
  g_autoptr(JsonObject) response = json_object_new ();
  g_autoptr(GPtrArray) orgs = NULL;
  JsonArray *items = json_array_new ();

  json_object_set_array_member (response, "items", items);
  if (req->api_key != NULL)
    {
      /* A key sees its own organization, with no role. */
      QsStoreOrganization *org = qs_store_organization_get (req->store, req->api_key->org_id, NULL);

      orgs = g_ptr_array_new_with_free_func ((GDestroyNotify) qs_store_organization_free);
      if (org != NULL)
        {
          org->role = QUORUM_ROLE_NONE;
          g_ptr_array_add (orgs, org);
        }
    }
  else
    orgs = qs_store_organizations_for_user (req->store, req->user_id, NULL);
  if (orgs == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  for (guint i = 0; i < orgs->len; i++)
    {
      QsStoreOrganization *org = g_ptr_array_index (orgs, i);

      json_array_add_object_element (items, qs_organization_to_json (org, org->role));
    }
  json_object_set_null_member (response, "next_cursor");
  json_object_set_int_member (response, "total", json_array_get_length (items));
  qs_respond_object (req, 200, response);
}

void
qs_handle_orgs_create (QsRequest *req)
{
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_auto(QsOrgFields) input = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(QsStoreTxn) txn = NULL;
  g_autoptr(QsStoreOrganization) org = NULL;

  if (!qs_check_parse (req, qs_parse_org_create (req->body, req->body_len, &input, errors), errors))
    return;
  if ((txn = qs_store_begin (req->store, &error)) == NULL ||
      (org = qs_store_organization_create (req->store, input.name, input.slug, input.logo_url,
                                           req->user_id, &error)) == NULL ||
      !qs_audit (req, org->id, "organization.created", "organization", org->id, org->name, NULL) ||
      !qs_store_txn_commit (txn, &error))
    {
      if (g_error_matches (error, QS_STORE_ERROR, QS_STORE_ERROR_CONFLICT))
        respond_slug_taken (req);
      else
        qs_respond_internal (req);
      return;
    }
  respond_organization (req, 201, org->id, QUORUM_ROLE_OWNER);
}

void
qs_handle_org_get (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  const QsStoreMember *me = qs_request_membership (req);

  respond_organization (req, 200, org_id, shown_role (req, me));
}

void
qs_handle_org_patch (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_auto(QsOrgFields) input = { 0 };
  g_autoptr(QsStoreMember) me = NULL;
  g_autoptr(QsStoreTxn) txn = NULL;
  g_autoptr(QsStoreOrganization) org = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *etag = NULL;

  if (!qs_check_parse (req, qs_parse_org_patch (req->body, req->body_len, &input, errors), errors))
    return;
  if (!(txn = qs_begin_membership (req, org_id, QUORUM_PERMISSION_EDIT_ORGANIZATION, &me)))
    return;
  /* If-Match is decided inside the transaction that writes. */
  if ((org = qs_store_organization_get (req->store, org_id, NULL)) == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  etag = qs_org_etag (org);
  if (!qs_check_if_match (req, etag))
    return;

  if ((input.name != NULL || input.slug != NULL || input.has_logo_url) &&
      (!qs_store_organization_update (req->store, org_id, input.name, input.slug, input.has_logo_url,
                                      input.logo_url, &error) ||
       !audit_organization (req, org_id, "organization.updated", org) ||
       !qs_store_txn_commit (txn, &error)))
    {
      if (g_error_matches (error, QS_STORE_ERROR, QS_STORE_ERROR_CONFLICT))
        respond_slug_taken (req);
      else
        qs_respond_internal (req);
      return;
    }
  g_clear_pointer (&txn, qs_store_txn_free);
  respond_organization (req, 200, org_id, shown_role (req, me));
}

void
qs_handle_org_delete (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_auto(QsOrgDelete) input = { 0 };
  g_autoptr(QsStoreMember) me = NULL;
  g_autoptr(QsStoreTxn) txn = NULL;
  g_autoptr(QsStoreOrganization) org = NULL;

  if (!qs_check_parse (req, qs_parse_org_delete (req->body, req->body_len, &input, errors), errors))
    return;

  if (!(txn = qs_begin_membership (req, org_id, QUORUM_PERMISSION_DELETE_ORGANIZATION, &me)))
    return;
  org = qs_store_organization_get (req->store, org_id, NULL);
  if (org == NULL || g_strcmp0 (org->slug, input.confirm_slug) != 0)
    {
      qs_field_errors_add (errors, "confirm_slug", "mismatch", "Type the organization's slug to confirm.");
      qs_respond_validation (req, errors);
      return;
    }
  /* The record outlives the organization (audit_events has no foreign keys). */
  qs_respond_committed (req, txn,
                        qs_audit (req, org_id, "organization.deleted", "organization", org_id, org->name, NULL) &&
                        qs_store_organization_delete (req->store, org_id, NULL),
                        204);
}

/* PNG or JPEG only. Every check that needs no decoding comes first (type,
 * header, dimensions), then the image is decoded and what is stored is a
 * fresh encoding of the decoded pixels. */
void
qs_handle_org_logo_put (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  const QsStoreMember *me = qs_request_membership (req);
  g_autoptr(QsStoreTxn) txn = NULL;
  g_autofree char *logo_url = NULL;
  g_autoptr(GBytes) image = NULL;
  static const char * const logo_types[] = { "image/png", "image/jpeg", NULL };
  const char *declared;
  const char *type;
  const char *error_code = NULL;
  guint width, height;

  declared = soup_message_headers_get_content_type (soup_server_message_get_request_headers (req->msg), NULL);
  if (declared == NULL || !g_strv_contains (logo_types, declared))
    {
      qs_respond_error (req, 415, "unsupported_media_type", "Send the image as image/png or image/jpeg.");
      return;
    }
  type = qs_sniff_logo ((const guint8 *) req->body, req->body_len, &width, &height);
  if (type == NULL || g_ascii_strcasecmp (type, declared) != 0)
    error_code = "unsupported_format";
  else if (width < QS_LOGO_MIN_SIDE || height < QS_LOGO_MIN_SIDE ||
           width > QS_LOGO_MAX_SIDE || height > QS_LOGO_MAX_SIDE)
    error_code = "invalid_dimensions";
  else if (!qs_logo_is_complete ((const guint8 *) req->body, req->body_len, type))
    error_code = "unsupported_format";
  else
    image = qs_logo_reencode ((const guint8 *) req->body, req->body_len, type, width, height, &error_code);

  if (image == NULL)
    {
      if (g_strcmp0 (error_code, "invalid_dimensions") == 0)
        qs_field_errors_add (errors, "body", "invalid_dimensions", "Images must be 120 to 1800 pixels a side.");
      else
        qs_field_errors_add (errors, "body", "unsupported_format",
                             "The body is not a complete, readable image of the declared type.");
      qs_respond_validation (req, errors);
      return;
    }

  logo_url = g_strdup_printf ("%s/v1/organizations/%s/logo", req->server->public_url, org_id);
  if ((txn = qs_store_begin (req->store, NULL)) == NULL ||
      !qs_store_organization_set_logo (req->store, org_id, logo_url, type, image, NULL) ||
      !audit_organization (req, org_id, "organization.logo_updated", NULL) ||
      !emit_organization_updated (req, org_id) ||
      !qs_store_txn_commit (txn, NULL))
    {
      qs_respond_internal (req);
      return;
    }
  respond_organization (req, 200, org_id, shown_role (req, me));
}

/* Public, like any image URL: the invitation page and e-mail clients show it. */
void
qs_handle_org_logo_get (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  g_autofree char *type = NULL;
  g_autoptr(GBytes) logo = qs_store_organization_get_logo (req->store, org_id, &type, NULL);
  g_autoptr(QsStoreOrganization) org = NULL;
  SoupMessageHeaders *headers;
  g_autofree char *etag = NULL;
  const char *if_none_match;

  if (logo == NULL || (org = qs_store_organization_get (req->store, org_id, NULL)) == NULL)
    {
      qs_respond_error (req, 404, "not_found", "This organization has no uploaded logo.");
      return;
    }

  etag = qs_org_etag (org);
  if_none_match = soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg),
                                                "If-None-Match");
  if (if_none_match != NULL && (strcmp (if_none_match, etag) == 0 || strcmp (if_none_match, "*") == 0))
    soup_server_message_set_status (req->msg, 304, NULL);
  else
    {
      soup_server_message_set_status (req->msg, 200, NULL);
      soup_server_message_set_response (req->msg, type, SOUP_MEMORY_COPY,
                                        g_bytes_get_data (logo, NULL), g_bytes_get_size (logo));
    }
  headers = soup_server_message_get_response_headers (req->msg);
  soup_message_headers_replace (headers, "ETag", etag);
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'; sandbox");
}

void
qs_handle_org_transfer (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_auto(QsTransfer) input = { 0 };
  g_autoptr(QsStoreMember) me = NULL;
  g_autoptr(QsStoreMember) target = NULL;
  g_autoptr(QsStoreTxn) txn = NULL;

  if (!qs_check_parse (req, qs_parse_transfer (req->body, req->body_len, &input, errors), errors))
    return;

  /* Decided inside the transaction that writes: of two racing transfers,
   * the second finds its caller no longer the owner. */
  if (!(txn = qs_begin_membership (req, org_id, QUORUM_PERMISSION_TRANSFER_OWNERSHIP, &me)))
    return;
  target = qs_store_member_get (req->store, org_id, input.member_id, NULL);
  if (target == NULL)
    {
      qs_respond_error (req, 404, "member_not_found", "No such member in this organization.");
      return;
    }
  if (strcmp (target->id, me->id) == 0)
    {
      qs_respond_error (req, 409, "cannot_modify_self", "You already own this organization.");
      return;
    }
  if (target->status != QS_STORE_MEMBER_ACTIVE)
    {
      qs_respond_error (req, 409, "member_not_active", "Only an active member can become the owner.");
      return;
    }

  if (!qs_store_member_transfer_ownership (req->store, me->id, target->id, NULL) ||
      !qs_audit (req, org_id, "organization.ownership_transferred", "member", target->id, target->name, NULL) ||
      !emit_member_updated (req, org_id, target->id) ||
      !emit_member_updated (req, org_id, me->id) ||
      !emit_organization_updated (req, org_id) ||
      !qs_store_txn_commit (txn, NULL))
    {
      qs_respond_internal (req);
      return;
    }
  respond_organization (req, 200, org_id, QUORUM_ROLE_ADMIN);
}

void
qs_handle_org_leave (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  g_autoptr(QsStoreMember) me = NULL;
  g_autoptr(QsStoreTxn) txn = NULL;

  /* The role is read inside the transaction that deletes: an owner
   * cannot leave by racing a transfer. */
  if (!(txn = qs_begin_membership (req, org_id, QUORUM_PERMISSION_VIEW_ORGANIZATION, &me)))
    return;
  if (!quorum_role_can (me->role, QUORUM_PERMISSION_LEAVE))
    {
      qs_respond_error (req, 409, "owner_cannot_leave", "Transfer ownership before leaving.");
      return;
    }
  qs_respond_committed (req, txn,
                        qs_audit (req, org_id, "member.left", "member", me->id, me->name, NULL) &&
                        emit_member_event (req, me, "member.removed") &&
                        qs_store_member_remove (req->store, me->id, NULL),
                        204);
}

/* --------------------------------------------------------------- members */

/* The filters and order that the members list and its export share:
 * query, role, status, inactive_days, sort. Problems go to errors. */
static void
parse_member_filters (QsRequest          *req,
                      QsStoreMemberQuery *q,
                      GPtrArray          *errors)
{
  const char *query = qs_query (req, "query");
  const char *role = qs_query (req, "role");
  const char *status = qs_query (req, "status");
  const char *inactive_days = qs_query (req, "inactive_days");
  const char *sort = qs_query (req, "sort");

  q->status = -1;
  if (query != NULL && (!g_utf8_validate (query, -1, NULL) || g_utf8_strlen (query, -1) > QUERY_MAX_CHARS))
    qs_field_errors_add (errors, "query", "invalid", "At most 200 characters of text.");
  else
    q->query = query;
  if (role != NULL && quorum_role_from_string (role) == QUORUM_ROLE_NONE)
    qs_field_errors_add (errors, "role", "invalid_choice", "One of owner, admin, member.");
  else if (role != NULL)
    q->role = quorum_role_from_string (role);
  if (status != NULL)
    {
      QsStoreMemberStatus value;

      if (qs_store_member_status_from_string (status, &value))
        q->status = value;
      else
        qs_field_errors_add (errors, "status", "invalid_choice", "One of active, suspended.");
    }
  if (inactive_days != NULL)
    {
      g_autoptr(GError) error = NULL;
      guint64 days = 0;

      if (!g_ascii_string_to_unsigned (inactive_days, 10, 1, MEMBERS_MAX_INACTIVE_DAYS, &days, &error))
        qs_field_errors_add (errors, "inactive_days",
                             g_error_matches (error, G_NUMBER_PARSER_ERROR, G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS)
                               ? "out_of_range" : "invalid",
                             "A whole number of days from 1 to 3650.");
      else
        q->inactive_before = qs_now () - (gint64) days * 86400;
    }
  if (sort != NULL && g_strcmp0 (sort, "name") != 0 && g_strcmp0 (sort, "last_active") != 0)
    qs_field_errors_add (errors, "sort", "invalid_choice", "One of name, last_active.");
  else if (g_strcmp0 (sort, "last_active") == 0)
    q->sort = QS_STORE_MEMBER_SORT_LAST_ACTIVE;
}

void
qs_handle_members_list (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_autoptr(QsStoreMemberPage) page = NULL;
  g_autofree char *cursor_name = NULL;
  g_autofree char *cursor_id = NULL;
  g_autofree char *next = NULL;
  const char *cursor = qs_query (req, "cursor");
  const char *offset = qs_query (req, "offset");
  QsStoreMemberQuery q = { 0 };
  QsStoreMemberCursor after = { 0 };
  QsJsonWriter *writer;

  parse_member_filters (req, &q, errors);
  q.limit = qs_query_limit (req, MEMBERS_DEFAULT_LIMIT, errors);
  if (offset != NULL)
    {
      guint64 value = 0;

      if (!g_ascii_string_to_unsigned (offset, 10, 0, MEMBERS_MAX_OFFSET, &value, NULL))
        qs_field_errors_add (errors, "offset", "invalid", "A whole number from 0 to 10000000.");
      else if (cursor != NULL)
        qs_field_errors_add (errors, "offset", "invalid", "Give either a cursor or an offset.");
      q.offset = (guint) value;
    }
  if (cursor != NULL)
    {
      gint64 value = 0;
      gboolean ok;

      if (q.sort == QS_STORE_MEMBER_SORT_LAST_ACTIVE)
        ok = qs_active_cursor_decode (cursor, &value, &cursor_name, &cursor_id);
      else
        ok = qs_cursor_decode (cursor, &value, &cursor_name, &cursor_id);
      if (!ok)
        qs_field_errors_add (errors, "cursor", "invalid", "This cursor is not valid.");
      after.status = q.sort == QS_STORE_MEMBER_SORT_NAME ? value : 0;
      after.last_active_at = q.sort == QS_STORE_MEMBER_SORT_LAST_ACTIVE ? value : 0;
      after.sort_name = cursor_name;
      after.id = cursor_id;
      q.after = &after;
    }
  if (errors->len > 0)
    {
      qs_respond_validation (req, errors);
      return;
    }

  if (!(page = qs_store_member_list (req->store, org_id, &q, NULL)))
    {
      qs_respond_internal (req);
      return;
    }

  if (page->next != NULL && q.sort == QS_STORE_MEMBER_SORT_LAST_ACTIVE)
    next = qs_active_cursor_encode (page->next->last_active_at, page->next->sort_name, page->next->id);
  else if (page->next != NULL)
    next = qs_cursor_encode (page->next->status, page->next->sort_name, page->next->id);

  /* Written without a json-glib tree: the tree cost a third of a page's
   * time (docs/performance.md). */
  writer = qs_json_writer_new (256 * (page->members->len + 1));
  qs_json_begin_object (writer);
  qs_json_key (writer, "items");
  qs_json_begin_array (writer);
  for (guint i = 0; i < page->members->len; i++)
    qs_member_write_json (writer, g_ptr_array_index (page->members, i));
  qs_json_end_array (writer);
  qs_json_key (writer, "next_cursor");
  qs_json_string (writer, next);
  qs_json_key (writer, "total");
  qs_json_int (writer, page->total);
  qs_json_end_object (writer);
  qs_respond_written (req, 200, writer);
}

/* ---------------------------------------------------------- CSV export */

/* One export being streamed. It holds copies of what it needs (never the
 * request, which is freed when the handler returns) and lives until the
 * message finishes, whether the body was written to its end or the client
 * went away. */
typedef struct
{
  QsServer            *server;
  SoupServerMessage   *msg;
  char                *org_id;
  char                *query;
  QsStoreMemberQuery   q;
  QsStoreMemberCursor *after;
  guint                idle;
  gboolean             done;
  gulong               wrote_chunk_id;
  gulong               wrote_data_id;
  gint64               last_read;     /* monotonic µs: the client last took bytes */
  guint                stall_source;
} MemberExport;

static guint
exports_of (QsServer   *server,
            const char *org_id)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (server->member_exports_by_org, org_id));
}

static void
member_export_free (MemberExport *export)
{
  guint of_org = exports_of (export->server, export->org_id);

  g_clear_handle_id (&export->idle, g_source_remove);
  g_clear_handle_id (&export->stall_source, g_source_remove);
  g_clear_signal_handler (&export->wrote_chunk_id, export->msg);
  g_clear_signal_handler (&export->wrote_data_id, export->msg);
  g_assert (export->server->member_exports > 0 && of_org > 0);
  export->server->member_exports--;
  if (of_org == 1)
    g_hash_table_remove (export->server->member_exports_by_org, export->org_id);
  else
    g_hash_table_insert (export->server->member_exports_by_org, g_strdup (export->org_id),
                         GUINT_TO_POINTER (of_org - 1));
  g_clear_object (&export->msg);
  g_free (export->org_id);
  g_free (export->query);
  qs_store_member_cursor_free (export->after);
  g_free (export);
}

/* Ends the export before its body's end: the connection is shut down, so
 * the client sees a body cut short rather than a short list; libsoup then
 * fails the message, which finishes it (and frees the export) as usual. */
static void
member_export_cut (MemberExport *export)
{
  GSocket *socket = soup_server_message_get_socket (export->msg);

  g_clear_handle_id (&export->idle, g_source_remove);
  if (socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
  if (!export->done)
    {
      export->done = TRUE;
      soup_message_body_complete (soup_server_message_get_response_body (export->msg));  /* its write fails */
    }
}

/* The next page of rows as one chunk; the last one completes the body. A
 * failing store cuts the export (member_export_cut). */
static void
member_export_append_page (MemberExport *export,
                           GString      *out)
{
  SoupMessageBody *body = soup_server_message_get_response_body (export->msg);
  g_autoptr(QsStoreMemberPage) page = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  export->q.after = export->after;
  page = qs_store_member_list (export->server->store, export->org_id, &export->q, &error);
  if (page == NULL)
    {
      g_warning ("members export: %s", error != NULL ? error->message : "failed");
      g_string_free (out, TRUE);
      member_export_cut (export);
      return;
    }
  for (guint i = 0; i < page->members->len; i++)
    qs_member_append_csv (out, g_ptr_array_index (page->members, i));
  qs_store_member_cursor_free (export->after);
  export->after = g_steal_pointer (&page->next);
  export->done = export->after == NULL;

  len = out->len;
  if (len > 0)
    soup_message_body_append_take (body, (guchar *) g_string_free (out, FALSE), len);
  else
    g_string_free (out, TRUE);
  if (export->done)
    soup_message_body_complete (body);
}

static gboolean
member_export_next_cb (gpointer user_data)
{
  MemberExport *export = user_data;

  export->idle = 0;
  member_export_append_page (export, g_string_new (NULL));
  soup_server_message_unpause (export->msg);
  return G_SOURCE_REMOVE;
}

/* A chunk went out: the next page is read in an idle of the main loop, not
 * here, so that a fast reader cannot keep the loop writing this export
 * while other requests wait. libsoup pauses the message until then. */
static void
member_export_wrote_chunk_cb (SoupServerMessage *msg,
                              MemberExport      *export)
{
  if (!export->done && export->idle == 0)
    export->idle = g_idle_add (member_export_next_cb, export);
}

/* Bytes went into the socket: the client is reading. */
static void
member_export_wrote_data_cb (SoupServerMessage *msg,
                             guint              size,
                             MemberExport      *export)
{
  export->last_read = g_get_monotonic_time ();
}

static guint
stall_seconds (QsServer *server)
{
  return server->config.export_stall_timeout > 0 ? server->config.export_stall_timeout : EXPORT_STALL_SECONDS;
}

/* A client that took no byte for the stall time holds its place no longer:
 * the export is cut. Otherwise the check comes back when that time will
 * have passed since the last byte taken. */
static gboolean
member_export_stall_cb (gpointer user_data)
{
  MemberExport *export = user_data;
  gint64 stall = (gint64) stall_seconds (export->server) * G_USEC_PER_SEC;
  gint64 idle_for = g_get_monotonic_time () - export->last_read;

  export->stall_source = 0;
  if (idle_for >= stall)
    {
      g_message ("members export of %s: the client read nothing for %u s; cut",
                 export->org_id, stall_seconds (export->server));
      member_export_cut (export);
      return G_SOURCE_REMOVE;
    }
  export->stall_source = g_timeout_add ((guint) ((stall - idle_for) / 1000) + 1, member_export_stall_cb, export);
  return G_SOURCE_REMOVE;
}

void
qs_handle_members_export (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_autoptr(QsStoreOrganization) org = NULL;
  g_autofree char *disposition = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);
  MemberExport *export;
  QsStoreMemberQuery q = { 0 };

  parse_member_filters (req, &q, errors);
  if (errors->len > 0)
    {
      qs_respond_validation (req, errors);
      return;
    }
  if (req->server->member_exports >= EXPORT_MAX_RUNNING || exports_of (req->server, org_id) >= EXPORT_MAX_PER_ORG)
    {
      qs_respond_error (req, 503, "server_busy", "The server is busy; try again in a moment.");
      soup_message_headers_replace (headers, "Retry-After", "5");
      return;
    }
  if (!(org = qs_store_organization_get (req->store, org_id, NULL)))
    {
      qs_respond_internal (req);
      return;
    }

  qs_respond_empty (req, 200);
  soup_message_headers_replace (headers, "Content-Type", "text/csv; charset=utf-8; header=present");
  /* The slug is [a-z0-9-], so the file name needs no quoting beyond this. */
  disposition = g_strdup_printf ("attachment; filename=\"%s-members.csv\"", org->slug);
  soup_message_headers_replace (headers, "Content-Disposition", disposition);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  /* Written chunks are dropped, so the server holds one page at a time. */
  soup_message_body_set_accumulate (soup_server_message_get_response_body (req->msg), FALSE);
  if (strcmp (req->method, "HEAD") == 0)
    {
      soup_message_body_complete (soup_server_message_get_response_body (req->msg));
      return;
    }

  export = g_new0 (MemberExport, 1);
  export->server = req->server;
  export->server->member_exports++;
  g_hash_table_insert (export->server->member_exports_by_org, g_strdup (org_id),
                       GUINT_TO_POINTER (exports_of (export->server, org_id) + 1));
  export->msg = g_object_ref (req->msg);
  export->org_id = g_strdup (org_id);
  export->query = g_strdup (q.query);
  export->q = q;
  export->q.query = export->query;
  export->q.no_total = TRUE;
  export->q.no_cache = TRUE;
  export->q.limit = EXPORT_PAGE_ROWS;
  export->wrote_chunk_id = g_signal_connect (req->msg, "wrote-chunk",
                                             G_CALLBACK (member_export_wrote_chunk_cb), export);
  export->wrote_data_id = g_signal_connect (req->msg, "wrote-body-data",
                                            G_CALLBACK (member_export_wrote_data_cb), export);
  export->last_read = g_get_monotonic_time ();
  export->stall_source = g_timeout_add_seconds (stall_seconds (req->server), member_export_stall_cb, export);
  g_signal_connect_swapped (req->msg, "finished", G_CALLBACK (member_export_free), export);
  member_export_append_page (export, g_string_new (QS_MEMBER_CSV_HEADER));
}

/* The target member of this organization, or NULL when answered: 404
 * member_not_found when absent, 409 owner_immutable for the owner, 409
 * cannot_modify_self. */
static QsStoreMember *
load_target (QsRequest           *req,
             const char          *org_id,
             const char          *member_id,
             const QsStoreMember *me)
{
  g_autoptr(QsStoreMember) target = qs_store_member_get (req->store, org_id, member_id, NULL);

  if (target == NULL)
    {
      qs_respond_error (req, 404, "member_not_found", "No such member in this organization.");
      return NULL;
    }
  if (target->role == QUORUM_ROLE_OWNER)
    {
      qs_respond_error (req, 409, "owner_immutable", "The owner cannot be changed; transfer ownership first.");
      return NULL;
    }
  if (strcmp (member_id, me->id) == 0)
    {
      qs_respond_error (req, 409, "cannot_modify_self", "You cannot change your own membership.");
      return NULL;
    }
  return g_steal_pointer (&target);
}

static void
respond_member (QsRequest     *req,
                QsStoreMember *member)
{
  g_autoptr(JsonObject) object = qs_member_to_json (member);
  g_autofree char *etag = qs_member_etag (member);

  qs_respond_object (req, 200, object);
  qs_set_etag (req, etag);
}

void
qs_handle_member_get (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  const char *member_id = qs_request_param (req, "member_id");
  g_autoptr(QsStoreMember) member = NULL;

  if (!(member = qs_store_member_get (req->store, org_id, member_id, NULL)))
    {
      qs_respond_error (req, 404, "member_not_found", "No such member in this organization.");
      return;
    }
  respond_member (req, member);
}

void
qs_handle_member_patch (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  const char *member_id = qs_request_param (req, "member_id");
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_auto(QsMemberPatch) input = { 0 };
  g_autoptr(QsStoreMember) me = NULL;
  g_autoptr(QsStoreMember) target = NULL;
  g_autoptr(QsStoreMember) updated = NULL;
  g_autoptr(QsStoreTxn) txn = NULL;
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(JsonObject) changes = NULL;
  g_autofree char *etag = NULL;
  QuorumRole role;
  QsStoreMemberStatus status;
  gboolean changed;

  if (!qs_check_parse (req, qs_parse_member_patch (req->body, req->body_len, &input, errors), errors))
    return;
  /* Permissions, target and If-Match are decided inside the transaction
   * that writes. */
  if (!(txn = qs_begin_membership (req, org_id, QUORUM_PERMISSION_VIEW_ORGANIZATION, &me)))
    return;
  if ((input.role != NULL && !quorum_role_can (me->role, QUORUM_PERMISSION_CHANGE_ROLE)) ||
      (input.status != NULL && !quorum_role_can (me->role, QUORUM_PERMISSION_MANAGE_MEMBERS)) ||
      (input.role == NULL && input.status == NULL &&
       !quorum_role_can (me->role, QUORUM_PERMISSION_MANAGE_MEMBERS)))
    {
      qs_respond_error (req, 403, "forbidden", "Your role does not allow this.");
      return;
    }
  if (!(target = load_target (req, org_id, member_id, me)))
    return;
  etag = qs_member_etag (target);
  if (!qs_check_if_match (req, etag))
    return;

  role = input.role != NULL ? quorum_role_from_string (input.role) : target->role;
  status = input.status == NULL ? target->status
           : strcmp (input.status, "active") == 0 ? QS_STORE_MEMBER_ACTIVE : QS_STORE_MEMBER_SUSPENDED;
  changed = role != target->role || status != target->status;
  qs_audit_change_string (&changes, "role", quorum_role_to_string (target->role), quorum_role_to_string (role));
  qs_audit_change_string (&changes, "status", qs_store_member_status_to_string (target->status),
                          qs_store_member_status_to_string (status));
  if ((role != target->role && !qs_store_member_set_role (req->store, member_id, role, NULL)) ||
      (status != target->status && !qs_store_member_set_status (req->store, member_id, status, NULL)) ||
      !(updated = qs_store_member_get (req->store, org_id, member_id, NULL)) ||
      (changed &&
       !qs_audit_changed (req, org_id, "member.updated", "member", updated->id, updated->name,
                          (data = qs_member_to_json (updated)), changes)) ||
      !qs_store_txn_commit (txn, NULL))
    {
      qs_respond_internal (req);
      return;
    }
  respond_member (req, updated);
}

void
qs_handle_member_delete (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  const char *member_id = qs_request_param (req, "member_id");
  g_autoptr(QsStoreMember) me = NULL;
  g_autoptr(QsStoreMember) target = NULL;
  g_autoptr(QsStoreTxn) txn = NULL;
  g_autoptr(JsonObject) data = NULL;

  if (!(txn = qs_begin_membership (req, org_id, QUORUM_PERMISSION_MANAGE_MEMBERS, &me)) ||
      !(target = load_target (req, org_id, member_id, me)))
    return;
  data = qs_member_to_json (target);
  qs_respond_committed (req, txn,
                        qs_audit (req, org_id, "member.removed", "member", target->id, target->name, data) &&
                        qs_store_member_remove (req->store, member_id, NULL),
                        204);
}
