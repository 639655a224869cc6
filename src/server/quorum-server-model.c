/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-server-http.h"
#include "quorum-server-model.h"
#include "quorum-server-state.h"

static void
set_time_member (JsonObject   *object,
                 const char   *name,
                 sqlite3_stmt *stmt,
                 int           col)
{
  g_autofree char *text = NULL;

  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    {
      json_object_set_null_member (object, name);
      return;
    }
  text = qs_format_time (sqlite3_column_int64 (stmt, col));
  json_object_set_string_member (object, name, text);
}

static void
set_text_member (JsonObject   *object,
                 const char   *name,
                 sqlite3_stmt *stmt,
                 int           col)
{
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    json_object_set_null_member (object, name);
  else
    json_object_set_string_member (object, name, qs_stmt_text (stmt, col));
}

JsonObject *
qs_user_json (QsRequest  *req,
              const char *user_id)
{
  sqlite3_stmt *stmt = qs_db_prepare (req->db,
                                      "SELECT id, name, email, created_at, email_verified FROM users WHERE id = ?1",
                                      "s", user_id);
  JsonObject *user = NULL;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      user = json_object_new ();
      set_text_member (user, "id", stmt, 0);
      set_text_member (user, "name", stmt, 1);
      set_text_member (user, "email", stmt, 2);
      set_time_member (user, "created_at", stmt, 3);
      json_object_set_boolean_member (user, "email_verified", sqlite3_column_int (stmt, 4) != 0);
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return user;
}

JsonObject *
qs_organization_json (QsRequest  *req,
                      const char *org_id,
                      const char *role)
{
  sqlite3_stmt *stmt = qs_db_prepare (req->db,
                                      "SELECT id, name, slug, logo_url, created_at"
                                      " FROM organizations o WHERE id = ?1",
                                      "s", org_id);
  JsonObject *org = NULL;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      org = json_object_new ();
      set_text_member (org, "id", stmt, 0);
      set_text_member (org, "name", stmt, 1);
      set_text_member (org, "slug", stmt, 2);
      set_text_member (org, "logo_url", stmt, 3);
      set_time_member (org, "created_at", stmt, 4);
      json_object_set_int_member (org, "member_count", 0);
      if (role != NULL)
        json_object_set_string_member (org, "role", role);
      else
        json_object_set_null_member (org, "role");
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);
  if (org != NULL)
    json_object_set_int_member (org, "member_count", qs_member_index_count (req->server->members, org_id));
  return org;
}

JsonObject *
qs_member_json (QsRequest  *req,
                const char *member_id)
{
  sqlite3_stmt *stmt = qs_db_prepare (req->db,
                                      "SELECT m.id, m.user_id, u.name, u.email, m.role, m.status,"
                                      " m.joined_at, m.last_active_at"
                                      " FROM members m JOIN users u ON u.id = m.user_id"
                                      " WHERE m.id = ?1",
                                      "s", member_id);
  JsonObject *member = NULL;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      member = json_object_new ();
      set_text_member (member, "id", stmt, 0);
      set_text_member (member, "user_id", stmt, 1);
      set_text_member (member, "name", stmt, 2);
      set_text_member (member, "email", stmt, 3);
      set_text_member (member, "role", stmt, 4);
      set_text_member (member, "status", stmt, 5);
      set_time_member (member, "joined_at", stmt, 6);
      set_time_member (member, "last_active_at", stmt, 7);
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return member;
}

char *
qs_sort_name (const char *name)
{
  return g_utf8_casefold (name, -1);
}

char *
qs_search_text (const char *name,
                const char *email)
{
  g_autofree char *folded = g_utf8_casefold (name, -1);

  return g_strconcat (folded, "\n", email, NULL);
}

char *
qs_insert_member (QsDb       *db,
                  const char *org_id,
                  const char *user_id,
                  const char *role,
                  const char *status,
                  gint64      joined_at,
                  gint64      last_active_at)
{
  g_autofree char *id = qs_new_id ("mem_");
  g_autofree char *name = NULL;
  g_autofree char *email = NULL;
  g_autofree char *sort_name = NULL;
  g_autofree char *search = NULL;
  sqlite3_stmt *stmt = qs_db_prepare (db, "SELECT name, email FROM users WHERE id = ?1", "s", user_id);

  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      name = qs_stmt_dup_text (stmt, 0);
      email = qs_stmt_dup_text (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (name == NULL)
    return NULL;

  sort_name = qs_sort_name (name);
  search = qs_search_text (name, email);
  if (!qs_db_run (db,
                  "INSERT INTO members (id, org_id, user_id, role, status, status_rank, sort_name,"
                  " search, joined_at, last_active_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                  "sssssissii", id, org_id, user_id, role, status,
                  (gint64) (g_strcmp0 (status, "active") == 0 ? 0 : 1),
                  sort_name, search, joined_at, last_active_at))
    return NULL;
  return g_steal_pointer (&id);
}

/* Inserts an organization with a unique slug (derived from the name when
 * slug is NULL) and its owner. Returns the id or NULL; the caller holds a
 * transaction and has checked a given slug is free. */
char *
qs_insert_organization (QsRequest  *req,
                        const char *name,
                        const char *slug,
                        const char *logo_url,
                        const char *owner_id)
{
  g_autofree char *id = qs_new_id ("org_");
  g_autofree char *chosen = NULL;
  g_autofree char *member_id = NULL;
  gint64 now = qs_now ();

  if (slug != NULL)
    chosen = g_strdup (slug);
  else
    {
      g_autofree char *base = quorum_slug_from_name (name);

      chosen = g_strdup (base);
      for (guint n = 2;
           qs_db_int (req->db, 0, "SELECT COUNT(*) FROM organizations WHERE slug = ?1", "s", chosen) > 0;
           n++)
        {
          g_free (chosen);
          chosen = quorum_slug_with_suffix (base, n);
        }
    }

  if (!qs_db_run (req->db,
                  "INSERT INTO organizations (id, name, slug, logo_url, created_at)"
                  " VALUES (?1, ?2, ?3, ?4, ?5)",
                  "ssssi", id, name, chosen, logo_url, now))
    return NULL;
  member_id = qs_insert_member (req->db, id, owner_id, "owner", "active", now, now);
  if (member_id == NULL)
    return NULL;
  return g_steal_pointer (&id);
}

/* ETags cover the state a PATCH can change, so unrelated updates (say
 * last_active_at) never make an edit fail with 412. */
char *
qs_user_etag (QsRequest  *req,
              const char *user_id)
{
  g_autofree char *state = NULL;
  sqlite3_stmt *stmt = qs_db_prepare (req->db, "SELECT name FROM users WHERE id = ?1", "s", user_id);

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    state = g_strconcat (user_id, "\n", qs_stmt_text (stmt, 0), NULL);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return qs_etag_from_state ('u', state ? state : user_id);
}

char *
qs_member_etag (QsRequest  *req,
                const char *member_id)
{
  g_autofree char *state = NULL;
  sqlite3_stmt *stmt = qs_db_prepare (req->db, "SELECT role, status FROM members WHERE id = ?1", "s", member_id);

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    state = g_strconcat (member_id, "\n", qs_stmt_text (stmt, 0), "\n", qs_stmt_text (stmt, 1), NULL);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return qs_etag_from_state ('m', state ? state : member_id);
}

char *
qs_org_etag (QsRequest  *req,
             const char *org_id)
{
  gint64 version = qs_db_int (req->db, 0, "SELECT version FROM organizations WHERE id = ?1",
                              "s", org_id);

  return g_strdup_printf ("\"%s.%" G_GINT64_FORMAT "\"", org_id, version);
}

