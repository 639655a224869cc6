/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sodium.h>

#include "quorum-server-private.h"

static char *
default_organization_name (const char *user_name)
{
  g_autofree char *full = g_strdup_printf ("%s's organization", user_name);

  if (g_utf8_strlen (full, -1) <= QUORUM_NAME_MAX_CHARS)
    return g_steal_pointer (&full);
  return g_utf8_substring (full, 0, QUORUM_NAME_MAX_CHARS);
}

void
qs_handle_signup (QsRequest *req)
{
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_auto(QsSignup) input = { 0 };
  g_autofree char *hash = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *org_name = NULL;
  g_autofree char *org_id = NULL;
  g_autofree char *token = NULL;
  g_autoptr(JsonObject) response = json_object_new ();
  gint64 expires_at;

  if (!qs_rate_limit_auth (req))
    return;
  if (!qs_check_parse (req, qs_parse_signup (req->body, req->body_len, &input, errors), errors))
    return;

  if (qs_db_int (req->db, 0, "SELECT COUNT(*) FROM users WHERE email = ?1", "s", input.email) > 0)
    {
      qs_respond_error (req, 409, "email_taken", "An account with this e-mail address exists.");
      return;
    }

  hash = qs_password_hash (req->server, input.password);
  if (hash == NULL)
    {
      qs_respond_internal (req);
      return;
    }

  user_id = qs_new_id ("usr_");
  org_name = input.organization_name ? g_strdup (input.organization_name)
                                     : default_organization_name (input.name);
  if (!qs_db_begin (req->db) ||
      !qs_db_run (req->db,
                  "INSERT INTO users (id, name, email, password_hash, created_at)"
                  " VALUES (?1, ?2, ?3, ?4, ?5)",
                  "ssssi", user_id, input.name, input.email, hash, qs_now ()) ||
      (org_id = qs_insert_organization (req, org_name, NULL, NULL, user_id)) == NULL ||
      (token = qs_create_session (req, user_id, &expires_at)) == NULL ||
      !qs_send_email_token (req->server, "verify", user_id, input.email) ||
      !qs_db_commit (req->db))
    {
      qs_respond_internal (req);
      return;
    }

  json_object_set_object_member (response, "user", qs_user_json (req, user_id));
  json_object_set_string_member (response, "token", token);
  json_object_set_object_member (response, "organization", qs_organization_json (req, org_id, "owner"));
  qs_respond_object (req, 201, response);
  sodium_memzero (token, strlen (token));
}

/* A hash to verify against when the e-mail is unknown, so both failures take
 * the same time. */
static const char *
dummy_hash (QsServer *server)
{
  static char *hash;

  if (hash == NULL)
    {
      g_autofree char *random = qs_new_session_token ();
      hash = qs_password_hash (server, random);
    }
  return hash;
}

void
qs_handle_signin (QsRequest *req)
{
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_auto(QsSignin) input = { 0 };
  g_autofree char *user_id = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *token = NULL;
  sqlite3_stmt *stmt;
  gint64 expires_at;
  gboolean ok;

  if (!qs_rate_limit_auth (req))
    return;
  if (!qs_check_parse (req, qs_parse_signin (req->body, req->body_len, &input, errors), errors))
    return;
  if (qs_signin_blocked (req, input.email))
    return;

  stmt = qs_db_prepare (req->db, "SELECT id, password_hash FROM users WHERE email = ?1", "s", input.email);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      user_id = qs_stmt_dup_text (stmt, 0);
      hash = qs_stmt_dup_text (stmt, 1);
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);

  ok = qs_password_verify (hash ? hash : dummy_hash (req->server), input.password);
  if (!ok || user_id == NULL || hash == NULL)
    {
      qs_signin_failed (req, input.email);
      qs_respond_error (req, 401, "invalid_credentials", "The e-mail address or password is wrong.");
      return;
    }

  token = qs_create_session (req, user_id, &expires_at);
  if (token == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  qs_respond_session (req, 201, user_id, token, expires_at);
}

/* A SessionCreated answer: token, user, expires_at. Wipes token. */
void
qs_respond_session (QsRequest  *req,
                    guint       status,
                    const char *user_id,
                    char       *token,
                    gint64      expires_at)
{
  g_autoptr(JsonObject) response = json_object_new ();
  g_autofree char *expires = qs_format_time (expires_at);

  json_object_set_string_member (response, "token", token);
  json_object_set_object_member (response, "user", qs_user_json (req, user_id));
  json_object_set_string_member (response, "expires_at", expires);
  qs_respond_object (req, status, response);
  sodium_memzero (token, strlen (token));
}

void
qs_handle_signout (QsRequest *req)
{
  if (!qs_require_user (req))
    return;
  if (!qs_db_run (req->db, "DELETE FROM sessions WHERE token_hash = ?1", "b",
                  req->token_hash, (gsize) QS_TOKEN_HASH_LEN))
    {
      qs_respond_internal (req);
      return;
    }
  qs_respond_empty (req, 204);
}

static void
respond_me (QsRequest *req)
{
  g_autoptr(JsonObject) user = qs_user_json (req, req->user_id);
  g_autofree char *etag = NULL;

  if (user == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  etag = qs_user_etag (req, req->user_id);
  qs_respond_object (req, 200, user);
  qs_set_etag (req, etag);
}

void
qs_handle_me_get (QsRequest *req)
{
  if (!qs_require_user (req))
    return;
  respond_me (req);
}

void
qs_handle_me_patch (QsRequest *req)
{
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_auto(QsProfilePatch) input = { 0 };

  if (!qs_require_user (req))
    return;
  if (!qs_check_parse (req, qs_parse_profile_patch (req->body, req->body_len, &input, errors), errors))
    return;
  {
    g_autofree char *etag = qs_user_etag (req, req->user_id);

    if (!qs_check_if_match (req, etag))
      return;
  }

  if (input.name != NULL)
    {
      g_autofree char *sort_name = qs_sort_name (input.name);
      g_autofree char *search = qs_search_text (input.name, req->user_email);

      if (!qs_db_begin (req->db) ||
          !qs_db_run (req->db, "UPDATE users SET name = ?1 WHERE id = ?2", "ss", input.name, req->user_id) ||
          !qs_db_run (req->db, "UPDATE members SET sort_name = ?1, search = ?2 WHERE user_id = ?3",
                      "sss", sort_name, search, req->user_id) ||
          !qs_db_commit (req->db))
        {
          qs_respond_internal (req);
          return;
        }
    }

  respond_me (req);
}

void
qs_handle_me_password (QsRequest *req)
{
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_auto(QsPasswordChange) input = { 0 };
  g_autofree char *current_hash = NULL;
  g_autofree char *new_hash = NULL;

  if (!qs_require_user (req))
    return;
  if (!qs_check_parse (req, qs_parse_password_change (req->body, req->body_len, &input, errors), errors))
    return;

  {
    sqlite3_stmt *stmt = qs_db_prepare (req->db, "SELECT password_hash FROM users WHERE id = ?1",
                                        "s", req->user_id);
    if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
      current_hash = qs_stmt_dup_text (stmt, 0);
    if (stmt != NULL)
      sqlite3_reset (stmt);
  }

  if (qs_signin_blocked (req, req->user_email))
    return;
  if (!qs_password_verify (current_hash, input.current_password))
    {
      qs_signin_failed (req, req->user_email);
      qs_field_errors_add (errors, "current_password", "incorrect", "The current password is wrong.");
      qs_respond_validation (req, errors);
      return;
    }

  new_hash = qs_password_hash (req->server, input.new_password);
  if (new_hash == NULL ||
      !qs_db_begin (req->db) ||
      !qs_db_run (req->db, "UPDATE users SET password_hash = ?1 WHERE id = ?2", "ss", new_hash, req->user_id) ||
      !qs_db_run (req->db, "DELETE FROM sessions WHERE user_id = ?1 AND token_hash != ?2", "sb",
                  req->user_id, req->token_hash, (gsize) QS_TOKEN_HASH_LEN) ||
      !qs_db_commit (req->db))
    {
      qs_respond_internal (req);
      return;
    }
  qs_respond_empty (req, 204);
}
