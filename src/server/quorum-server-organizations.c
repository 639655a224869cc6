/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-server-auth.h"
#include "quorum-server-handlers.h"
#include "quorum-server-http.h"
#include "quorum-server-model.h"
#include "quorum-server-state.h"

#define MEMBERS_DEFAULT_LIMIT 50
#define MEMBERS_MAX_LIMIT     200
#define QUERY_MAX_CHARS       200

static void
set_etag (QsRequest  *req,
          const char *org_id)
{
  g_autofree char *etag = qs_org_etag (req, org_id);

  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "ETag", etag);
}

static void
respond_organization (QsRequest  *req,
                      guint       status,
                      const char *org_id,
                      QuorumRole  role)
{
  g_autoptr(JsonObject) org = qs_organization_json (req, org_id, quorum_role_to_string (role));

  if (org == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  qs_respond_object (req, status, org);
  set_etag (req, org_id);
}

static gboolean
slug_taken (QsRequest  *req,
            const char *slug,
            const char *except_org_id)
{
  return qs_db_int (req->db, 0,
                    "SELECT COUNT(*) FROM organizations WHERE slug = ?1 AND id IS NOT ?2",
                    "ss", slug, except_org_id) > 0;
}

void
qs_handle_orgs_list (QsRequest *req)
{
  g_autoptr(JsonObject) response = json_object_new ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) roles = g_ptr_array_new_with_free_func (g_free);
  JsonArray *items = json_array_new ();
  sqlite3_stmt *stmt;

  json_object_set_array_member (response, "items", items);

  stmt = qs_db_prepare (req->db,
                        "SELECT o.id, m.role FROM members m JOIN organizations o ON o.id = m.org_id"
                        " WHERE m.user_id = ?1 AND m.status = 'active'"
                        " ORDER BY o.name COLLATE NOCASE, o.id LIMIT 200",
                        "s", req->user_id);
  if (stmt == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_ptr_array_add (ids, qs_stmt_dup_text (stmt, 0));
      g_ptr_array_add (roles, qs_stmt_dup_text (stmt, 1));
    }
  sqlite3_reset (stmt);

  for (guint i = 0; i < ids->len; i++)
    {
      JsonObject *org = qs_organization_json (req, g_ptr_array_index (ids, i), g_ptr_array_index (roles, i));
      if (org != NULL)
        json_array_add_object_element (items, org);
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
  g_autofree char *org_id = NULL;

  if (!qs_check_parse (req, qs_parse_org_create (req->body, req->body_len, &input, errors), errors))
    return;
  if (input.slug != NULL && slug_taken (req, input.slug, NULL))
    {
      qs_respond_error (req, 409, "slug_taken", "Another organization uses this slug.");
      return;
    }
  if (!qs_db_begin (req->db) ||
      (org_id = qs_insert_organization (req, input.name, input.slug, input.logo_url, req->user_id)) == NULL ||
      !qs_db_commit (req->db))
    {
      qs_respond_internal (req);
      return;
    }
  respond_organization (req, 201, org_id, QUORUM_ROLE_OWNER);
}

void
qs_handle_org_get (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  const QsMembership *me = qs_request_membership (req);

  respond_organization (req, 200, org_id, me->role);
}

static gboolean
check_if_match (QsRequest  *req,
                const char *org_id)
{
  g_autofree char *etag = qs_org_etag (req, org_id);

  return qs_check_if_match (req, etag);
}

void
qs_handle_org_patch (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_auto(QsOrgFields) input = { 0 };
  const QsMembership *me = qs_request_membership (req);

  if (!qs_check_parse (req, qs_parse_org_patch (req->body, req->body_len, &input, errors), errors))
    return;
  if (!check_if_match (req, org_id))
    return;
  if (input.slug != NULL && slug_taken (req, input.slug, org_id))
    {
      qs_respond_error (req, 409, "slug_taken", "Another organization uses this slug.");
      return;
    }

  if (input.name != NULL || input.slug != NULL || input.has_logo_url)
    {
      if (!qs_db_begin (req->db) ||
          (input.name != NULL &&
           !qs_db_run (req->db, "UPDATE organizations SET name = ?1 WHERE id = ?2", "ss", input.name, org_id)) ||
          (input.slug != NULL &&
           !qs_db_run (req->db, "UPDATE organizations SET slug = ?1 WHERE id = ?2", "ss", input.slug, org_id)) ||
          (input.has_logo_url &&
           !qs_db_run (req->db,
                       "UPDATE organizations SET logo_url = ?1, logo_type = NULL, logo_data = NULL"
                       " WHERE id = ?2", "ss", input.logo_url, org_id)) ||
          !qs_db_run (req->db, "UPDATE organizations SET version = version + 1 WHERE id = ?1", "s", org_id) ||
          !qs_db_commit (req->db))
        {
          qs_respond_internal (req);
          return;
        }
    }
  respond_organization (req, 200, org_id, me->role);
}

void
qs_handle_org_delete (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_auto(QsOrgDelete) input = { 0 };
  g_autofree char *slug = NULL;
  sqlite3_stmt *stmt;

  if (!qs_check_parse (req, qs_parse_org_delete (req->body, req->body_len, &input, errors), errors))
    return;

  stmt = qs_db_prepare (req->db, "SELECT slug FROM organizations WHERE id = ?1", "s", org_id);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    slug = qs_stmt_dup_text (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);

  if (g_strcmp0 (slug, input.confirm_slug) != 0)
    {
      qs_field_errors_add (errors, "confirm_slug", "mismatch", "Type the organization's slug to confirm.");
      qs_respond_validation (req, errors);
      return;
    }

  /* Dropped first, so the cascade does not update it row by row. */
  qs_member_index_forget (req->server->members, org_id);
  if (!qs_db_begin (req->db) ||
      !qs_db_run (req->db, "DELETE FROM idempotency_keys WHERE org_id = ?1", "s", org_id) ||
      !qs_db_run (req->db, "DELETE FROM organizations WHERE id = ?1", "s", org_id) ||
      !qs_db_commit (req->db))
    {
      qs_respond_internal (req);
      return;
    }
  qs_respond_empty (req, 204);
}

/* PNG or JPEG only. Every check that needs no decoding comes first (type,
 * header, dimensions), then the image is decoded and what is stored is a
 * fresh encoding of the decoded pixels. */
void
qs_handle_org_logo_put (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  const QsMembership *me = qs_request_membership (req);
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
  if (!qs_db_run (req->db,
                  "UPDATE organizations SET logo_url = ?1, logo_type = ?2, logo_data = ?3,"
                  " version = version + 1 WHERE id = ?4",
                  "ssbs", logo_url, type, g_bytes_get_data (image, NULL), g_bytes_get_size (image), org_id))
    {
      qs_respond_internal (req);
      return;
    }
  respond_organization (req, 200, org_id, me->role);
}

/* Public, like any image URL: the invitation page and e-mail clients show it. */
void
qs_handle_org_logo_get (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  sqlite3_stmt *stmt = qs_db_prepare (req->db,
                                      "SELECT logo_type, logo_data FROM organizations"
                                      " WHERE id = ?1 AND logo_data IS NOT NULL",
                                      "s", org_id);
  SoupMessageHeaders *headers;
  g_autofree char *etag = NULL;
  const char *if_none_match;

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    {
      if (stmt != NULL)
        sqlite3_reset (stmt);
      qs_respond_error (req, 404, "not_found", "This organization has no uploaded logo.");
      return;
    }

  etag = qs_org_etag (req, org_id);
  if_none_match = soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg),
                                                "If-None-Match");
  if (if_none_match != NULL && (strcmp (if_none_match, etag) == 0 || strcmp (if_none_match, "*") == 0))
    soup_server_message_set_status (req->msg, 304, NULL);
  else
    {
      soup_server_message_set_status (req->msg, 200, NULL);
      soup_server_message_set_response (req->msg, qs_stmt_text (stmt, 0), SOUP_MEMORY_COPY,
                                        sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
    }
  sqlite3_reset (stmt);
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
  g_auto(QsMembership) me = { 0 };
  g_autofree char *status = NULL;
  sqlite3_stmt *stmt;

  if (!qs_check_parse (req, qs_parse_transfer (req->body, req->body_len, &input, errors), errors))
    return;

  /* Decided inside the transaction that writes: of two racing transfers,
   * the second finds its caller no longer the owner. */
  qs_membership_clear (&me);
  if (!qs_begin_membership (req, org_id, QUORUM_PERMISSION_TRANSFER_OWNERSHIP, &me))
    return;
  stmt = qs_db_prepare (req->db, "SELECT status FROM members WHERE id = ?1 AND org_id = ?2",
                        "ss", input.member_id, org_id);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    status = qs_stmt_dup_text (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);

  if (status == NULL)
    {
      qs_db_rollback (req->db);
      qs_respond_error (req, 404, "member_not_found", "No such member in this organization.");
      return;
    }
  if (strcmp (input.member_id, me.member_id) == 0)
    {
      qs_db_rollback (req->db);
      qs_respond_error (req, 409, "cannot_modify_self", "You already own this organization.");
      return;
    }
  if (strcmp (status, "active") != 0)
    {
      qs_db_rollback (req->db);
      qs_respond_error (req, 409, "member_not_active", "Only an active member can become the owner.");
      return;
    }

  if (!qs_db_run (req->db, "UPDATE members SET role = 'admin' WHERE id = ?1", "s", me.member_id) ||
      !qs_db_run (req->db, "UPDATE members SET role = 'owner' WHERE id = ?1", "s", input.member_id) ||
      !qs_db_commit (req->db))
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
  g_auto(QsMembership) me = { 0 };

  /* The role is read inside the transaction that deletes: an owner
   * cannot leave by racing a transfer. */
  if (!qs_begin_membership (req, org_id, QUORUM_PERMISSION_VIEW_ORGANIZATION, &me))
    return;
  if (!quorum_role_can (me.role, QUORUM_PERMISSION_LEAVE))
    {
      qs_db_rollback (req->db);
      qs_respond_error (req, 409, "owner_cannot_leave", "Transfer ownership before leaving.");
      return;
    }
  if (!qs_db_run (req->db, "DELETE FROM members WHERE id = ?1", "s", me.member_id) ||
      !qs_db_commit (req->db))
    {
      qs_respond_internal (req);
      return;
    }
  qs_respond_empty (req, 204);
}

/* --------------------------------------------------------------- members */

static const char *
nonempty (const char *s)
{
  return s != NULL && *s != '\0' ? s : NULL;
}

/* The rows of one page, in one query, in the order of ids. */
static gboolean
add_member_rows (QsRequest *req,
                 GPtrArray *ids,
                 JsonArray *items)
{
  g_autoptr(GString) sql = NULL;
  g_autoptr(GHashTable) rows = NULL;
  sqlite3_stmt *stmt;

  if (ids->len == 0)
    return TRUE;

  sql = g_string_new ("SELECT m.id, m.user_id, u.name, u.email, m.role, m.status, m.joined_at,"
                      " m.last_active_at FROM members m JOIN users u ON u.id = m.user_id"
                      " WHERE m.id IN (?1");
  for (guint i = 1; i < ids->len; i++)
    g_string_append_printf (sql, ", ?%u", i + 1);
  g_string_append_c (sql, ')');

  stmt = qs_db_prepare (req->db, sql->str, "");
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    sqlite3_bind_text (stmt, i + 1, g_ptr_array_index (ids, i), -1, SQLITE_STATIC);

  rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      JsonObject *member = json_object_new ();
      g_autofree char *joined = qs_format_time (sqlite3_column_int64 (stmt, 6));

      json_object_set_string_member (member, "id", qs_stmt_text (stmt, 0));
      json_object_set_string_member (member, "user_id", qs_stmt_text (stmt, 1));
      json_object_set_string_member (member, "name", qs_stmt_text (stmt, 2));
      json_object_set_string_member (member, "email", qs_stmt_text (stmt, 3));
      json_object_set_string_member (member, "role", qs_stmt_text (stmt, 4));
      json_object_set_string_member (member, "status", qs_stmt_text (stmt, 5));
      json_object_set_string_member (member, "joined_at", joined);
      if (sqlite3_column_type (stmt, 7) == SQLITE_NULL)
        json_object_set_null_member (member, "last_active_at");
      else
        {
          g_autofree char *active = qs_format_time (sqlite3_column_int64 (stmt, 7));
          json_object_set_string_member (member, "last_active_at", active);
        }
      g_hash_table_insert (rows, qs_stmt_dup_text (stmt, 0), member);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  for (guint i = 0; i < ids->len; i++)
    {
      JsonObject *member = g_hash_table_lookup (rows, g_ptr_array_index (ids, i));

      if (member == NULL)
        return FALSE;
      json_array_add_object_element (items, json_object_ref (member));
    }
  return TRUE;
}

void
qs_handle_members_list (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_auto(QsMemberPage) page = { 0 };
  g_autoptr(JsonObject) response = json_object_new ();
  g_autofree char *needle = NULL;
  g_autofree char *cursor_name = NULL;
  g_autofree char *cursor_id = NULL;
  const char *query = nonempty (qs_query (req, "query"));
  const char *role = nonempty (qs_query (req, "role"));
  const char *status = nonempty (qs_query (req, "status"));
  const char *limit_text = nonempty (qs_query (req, "limit"));
  const char *cursor = nonempty (qs_query (req, "cursor"));
  QsMemberQuery q = { .rank = -1, .limit = MEMBERS_DEFAULT_LIMIT };
  JsonArray *items;

  if (query != NULL && (!g_utf8_validate (query, -1, NULL) || g_utf8_strlen (query, -1) > QUERY_MAX_CHARS))
    qs_field_errors_add (errors, "query", "invalid", "At most 200 characters of text.");
  else if (query != NULL)
    q.needle = needle = g_utf8_casefold (query, -1);
  if (role != NULL && quorum_role_from_string (role) == QUORUM_ROLE_NONE)
    qs_field_errors_add (errors, "role", "invalid_choice", "One of owner, admin, member.");
  else if (role != NULL)
    q.role = role[0];
  if (status != NULL)
    {
      if (strcmp (status, "active") == 0)
        q.rank = 0;
      else if (strcmp (status, "suspended") == 0)
        q.rank = 1;
      else
        qs_field_errors_add (errors, "status", "invalid_choice", "One of active, suspended.");
    }
  if (limit_text != NULL)
    {
      guint64 value = 0;

      if (!g_ascii_string_to_unsigned (limit_text, 10, 1, G_MAXINT, &value, NULL))
        qs_field_errors_add (errors, "limit", "invalid", "A whole number from 1 to 200.");
      else
        q.limit = MIN (value, MEMBERS_MAX_LIMIT);
    }
  if (cursor != NULL)
    {
      if (!qs_cursor_decode (cursor, &q.cursor_rank, &cursor_name, &cursor_id))
        qs_field_errors_add (errors, "cursor", "invalid", "This cursor is not valid.");
      q.has_cursor = TRUE;
      q.cursor_name = cursor_name;
      q.cursor_id = cursor_id;
    }
  if (errors->len > 0)
    {
      qs_respond_validation (req, errors);
      return;
    }

  if (!qs_member_index_query (req->server->members, org_id, &q, &page))
    {
      qs_respond_internal (req);
      return;
    }

  items = json_array_new ();
  json_object_set_array_member (response, "items", items);
  if (!add_member_rows (req, page.ids, items))
    {
      qs_respond_internal (req);
      return;
    }

  if (page.more)
    {
      g_autofree char *next = qs_cursor_encode (page.last_rank, page.last_name, page.last_id);
      json_object_set_string_member (response, "next_cursor", next);
    }
  else
    json_object_set_null_member (response, "next_cursor");
  json_object_set_int_member (response, "total", page.total);
  qs_respond_object (req, 200, response);
}

/* Loads the target member of this organization: 404 member_not_found when
 * absent, 409 owner_immutable for the owner, 409 cannot_modify_self. */
static gboolean
load_target (QsRequest          *req,
             const char         *org_id,
             const char         *member_id,
             const QsMembership *me)
{
  g_autofree char *role = NULL;
  sqlite3_stmt *stmt = qs_db_prepare (req->db, "SELECT role FROM members WHERE id = ?1 AND org_id = ?2",
                                      "ss", member_id, org_id);

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    role = qs_stmt_dup_text (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);

  if (role == NULL)
    {
      qs_respond_error (req, 404, "member_not_found", "No such member in this organization.");
      return FALSE;
    }
  if (quorum_role_from_string (role) == QUORUM_ROLE_OWNER)
    {
      qs_respond_error (req, 409, "owner_immutable", "The owner cannot be changed; transfer ownership first.");
      return FALSE;
    }
  if (strcmp (member_id, me->member_id) == 0)
    {
      qs_respond_error (req, 409, "cannot_modify_self", "You cannot change your own membership.");
      return FALSE;
    }
  return TRUE;
}

static void
respond_member (QsRequest  *req,
                const char *member_id)
{
  g_autoptr(JsonObject) member = qs_member_json (req, member_id);
  g_autofree char *etag = NULL;

  if (member == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  etag = qs_member_etag (req, member_id);
  qs_respond_object (req, 200, member);
  qs_set_etag (req, etag);
}

void
qs_handle_member_get (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  const char *member_id = qs_request_param (req, "member_id");

  if (qs_db_int (req->db, 0, "SELECT COUNT(*) FROM members WHERE id = ?1 AND org_id = ?2",
                 "ss", member_id, org_id) == 0)
    {
      qs_respond_error (req, 404, "member_not_found", "No such member in this organization.");
      return;
    }
  respond_member (req, member_id);
}

void
qs_handle_member_patch (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  const char *member_id = qs_request_param (req, "member_id");
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_auto(QsMemberPatch) input = { 0 };
  g_auto(QsMembership) me = { 0 };

  if (!qs_check_parse (req, qs_parse_member_patch (req->body, req->body_len, &input, errors), errors))
    return;
  /* Permissions, target and If-Match are decided inside the transaction
   * that writes. */
  qs_membership_clear (&me);
  if (!qs_begin_membership (req, org_id, QUORUM_PERMISSION_VIEW_ORGANIZATION, &me))
    return;
  if ((input.role != NULL && !quorum_role_can (me.role, QUORUM_PERMISSION_CHANGE_ROLE)) ||
      (input.status != NULL && !quorum_role_can (me.role, QUORUM_PERMISSION_MANAGE_MEMBERS)) ||
      (input.role == NULL && input.status == NULL &&
       !quorum_role_can (me.role, QUORUM_PERMISSION_MANAGE_MEMBERS)))
    {
      qs_db_rollback (req->db);
      qs_respond_error (req, 403, "forbidden", "Your role does not allow this.");
      return;
    }
  if (!load_target (req, org_id, member_id, &me))
    {
      qs_db_rollback (req->db);
      return;
    }
  {
    g_autofree char *etag = qs_member_etag (req, member_id);

    if (!qs_check_if_match (req, etag))
      {
        qs_db_rollback (req->db);
        return;
      }
  }

  if ((input.role != NULL &&
       !qs_db_run (req->db, "UPDATE members SET role = ?1 WHERE id = ?2", "ss", input.role, member_id)) ||
      (input.status != NULL &&
       !qs_db_run (req->db, "UPDATE members SET status = ?1, status_rank = ?2 WHERE id = ?3", "sis",
                   input.status, (gint64) (strcmp (input.status, "active") == 0 ? 0 : 1), member_id)) ||
      !qs_db_commit (req->db))
    {
      qs_respond_internal (req);
      return;
    }

  respond_member (req, member_id);
}

void
qs_handle_member_delete (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  const char *member_id = qs_request_param (req, "member_id");
  g_auto(QsMembership) me = { 0 };

  if (!qs_begin_membership (req, org_id, QUORUM_PERMISSION_MANAGE_MEMBERS, &me))
    return;
  if (!load_target (req, org_id, member_id, &me))
    {
      qs_db_rollback (req->db);
      return;
    }
  if (!qs_db_run (req->db, "DELETE FROM members WHERE id = ?1", "s", member_id) ||
      !qs_db_commit (req->db))
    {
      qs_respond_internal (req);
      return;
    }
  qs_respond_empty (req, 204);
}
