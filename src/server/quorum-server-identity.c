/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sodium.h>

#include "quorum-server-auth.h"
#include "quorum-server-handlers.h"
#include "quorum-server-http.h"
#include "quorum-server-model.h"
#include "quorum-server-state.h"

static char *
default_organization_name (const char *user_name)
{
  g_autofree char *full = g_strdup_printf ("%s's organization", user_name);

  if (g_utf8_strlen (full, -1) <= QUORUM_NAME_MAX_CHARS)
    return g_steal_pointer (&full);
  return g_utf8_substring (full, 0, QUORUM_NAME_MAX_CHARS);
}


static void
signup_free (QsSignup *input)
{
  qs_signup_clear (input);
  g_free (input);
}

static gboolean
email_taken (QsRequest  *req,
             const char *email)
{
  return qs_db_int (req->db, 0, "SELECT COUNT(*) FROM users WHERE email = ?1", "s", email) > 0;
}

static void
respond_email_taken (QsRequest *req)
{
  qs_respond_error (req, 409, "email_taken", "An account with this e-mail address exists.");
}

static void
signup_hashed_cb (QsRequest              *req,
                  const QsPasswordResult *result,
                  gpointer                user_data)
{
  QsSignup *input = user_data;
  g_autofree char *user_id = NULL;
  g_autofree char *org_name = NULL;
  g_autofree char *org_id = NULL;
  g_autofree char *token = NULL;
  g_autoptr(JsonObject) response = json_object_new ();
  gint64 expires_at;

  if (result->hash == NULL || !qs_db_begin (req->db))
    {
      qs_respond_internal (req);
      return;
    }
  /* Decided inside the transaction: another sign-up may have taken the
   * address while the password was hashed. */
  if (email_taken (req, input->email))
    {
      qs_db_rollback (req->db);
      respond_email_taken (req);
      return;
    }

  user_id = qs_new_id ("usr_");
  org_name = input->organization_name ? g_strdup (input->organization_name)
                                      : default_organization_name (input->name);
  if (!qs_db_run (req->db,
                  "INSERT INTO users (id, name, email, password_hash, created_at)"
                  " VALUES (?1, ?2, ?3, ?4, ?5)",
                  "ssssi", user_id, input->name, input->email, result->hash, qs_now ()) ||
      (org_id = qs_insert_organization (req, org_name, NULL, NULL, user_id)) == NULL ||
      (token = qs_create_session (req, user_id, &expires_at)) == NULL ||
      !qs_send_email_token (req->server, "verify", user_id, input->email) ||
      !qs_db_commit (req->db))
    {
      qs_respond_internal (req);
      return;
    }

  qs_signin_trust (req, input->email);
  json_object_set_object_member (response, "user", qs_user_json (req, user_id));
  json_object_set_string_member (response, "token", token);
  json_object_set_object_member (response, "organization", qs_organization_json (req, org_id, "owner"));
  qs_respond_object (req, 201, response);
  sodium_memzero (token, strlen (token));
}

void
qs_handle_signup (QsRequest *req)
{
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  QsSignup *input = g_new0 (QsSignup, 1);

  if (!qs_rate_limit_auth (req) ||
      !qs_check_parse (req, qs_parse_signup (req->body, req->body_len, input, errors), errors))
    {
      signup_free (input);
      return;
    }
  /* Early answer; the deciding check runs again in the transaction. */
  if (email_taken (req, input->email))
    {
      respond_email_taken (req);
      signup_free (input);
      return;
    }
  qs_password_hash_async (req, input->password, signup_hashed_cb, input, (GDestroyNotify) signup_free);
}

typedef struct
{
  QsSignin  input;
  char     *user_id;
  char     *hash;
} Signin;

static void
signin_free (Signin *signin)
{
  qs_signin_clear (&signin->input);
  g_free (signin->user_id);
  g_free (signin->hash);
  g_free (signin);
}

static void
signin_verified_cb (QsRequest              *req,
                    const QsPasswordResult *result,
                    gpointer                user_data)
{
  Signin *signin = user_data;
  g_autofree char *token = NULL;
  gint64 expires_at;

  if (!result->verified || signin->user_id == NULL || signin->hash == NULL)
    {
      /* The attempt stays counted as a failure. */
      qs_respond_error (req, 401, "invalid_credentials", "The e-mail address or password is wrong.");
      return;
    }
  qs_signin_succeeded (req, signin->input.email, TRUE);

  /* The stored hash is weaker than today's cost: replace it, unless the
   * password changed meanwhile. */
  if (result->hash != NULL)
    qs_db_run (req->db, "UPDATE users SET password_hash = ?1 WHERE id = ?2 AND password_hash = ?3",
               "sss", result->hash, signin->user_id, signin->hash);

  token = qs_create_session (req, signin->user_id, &expires_at);
  if (token == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  qs_respond_session (req, 201, signin->user_id, token, expires_at);
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
qs_handle_signin (QsRequest *req)
{
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  Signin *signin = g_new0 (Signin, 1);
  sqlite3_stmt *stmt;

  if (!qs_rate_limit_auth (req) ||
      !qs_check_parse (req, qs_parse_signin (req->body, req->body_len, &signin->input, errors), errors) ||
      !qs_signin_attempt (req, signin->input.email, TRUE))
    {
      signin_free (signin);
      return;
    }

  stmt = qs_db_prepare (req->db, "SELECT id, password_hash FROM users WHERE email = ?1", "s",
                        signin->input.email);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      signin->user_id = qs_stmt_dup_text (stmt, 0);
      signin->hash = qs_stmt_dup_text (stmt, 1);
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);

  /* An unknown address is checked against a dummy hash: same time. */
  qs_password_verify_async (req, signin->hash, signin->input.password, NULL,
                            signin_verified_cb, signin, (GDestroyNotify) signin_free);
}

void
qs_handle_signout (QsRequest *req)
{
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
  respond_me (req);
}

void
qs_handle_me_patch (QsRequest *req)
{
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_auto(QsProfilePatch) input = { 0 };

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


typedef struct
{
  QsPasswordChange  input;
  char             *user_id;
  char             *email;
  char             *current_hash;
  guint8            token_hash[QS_TOKEN_HASH_LEN];
} PasswordChange;

static void
password_change_free (PasswordChange *change)
{
  qs_password_change_clear (&change->input);
  g_free (change->user_id);
  g_free (change->email);
  g_free (change->current_hash);
  g_free (change);
}

static void
respond_incorrect_password (QsRequest *req)
{
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();

  qs_field_errors_add (errors, "current_password", "incorrect", "The current password is wrong.");
  qs_respond_validation (req, errors);
}

static void
password_checked_cb (QsRequest              *req,
                     const QsPasswordResult *result,
                     gpointer                user_data)
{
  PasswordChange *change = user_data;

  if (!result->verified)
    {
      respond_incorrect_password (req);
      return;
    }
  qs_signin_succeeded (req, change->email, FALSE);
  if (result->hash == NULL || !qs_db_begin (req->db))
    {
      qs_respond_internal (req);
      return;
    }
  /* The session may have ended, or the password changed, meanwhile. */
  if (qs_db_int (req->db, 0, "SELECT COUNT(*) FROM sessions WHERE token_hash = ?1 AND expires_at > ?2",
                 "bi", change->token_hash, (gsize) QS_TOKEN_HASH_LEN, qs_now ()) == 0)
    {
      qs_db_rollback (req->db);
      qs_respond_error (req, 401, "unauthenticated", "The token is not valid or has expired.");
      return;
    }
  if (!qs_db_run (req->db, "UPDATE users SET password_hash = ?1 WHERE id = ?2 AND password_hash = ?3",
                  "sss", result->hash, change->user_id, change->current_hash))
    {
      qs_respond_internal (req);
      return;
    }
  if (qs_db_changes (req->db) == 0)
    {
      qs_db_rollback (req->db);
      respond_incorrect_password (req);
      return;
    }
  if (!qs_db_run (req->db, "DELETE FROM sessions WHERE user_id = ?1 AND token_hash != ?2", "sb",
                  change->user_id, change->token_hash, (gsize) QS_TOKEN_HASH_LEN) ||
      !qs_db_commit (req->db))
    {
      qs_respond_internal (req);
      return;
    }
  qs_respond_empty (req, 204);
}

void
qs_handle_me_password (QsRequest *req)
{
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  PasswordChange *change = g_new0 (PasswordChange, 1);
  sqlite3_stmt *stmt;

  /* A wrong current_password counts for this (client, account) only, so
   * nobody elsewhere can block the change. */
  if (!qs_check_parse (req, qs_parse_password_change (req->body, req->body_len, &change->input, errors),
                       errors) ||
      !qs_signin_attempt (req, req->user_email, FALSE))
    {
      password_change_free (change);
      return;
    }

  change->user_id = g_strdup (req->user_id);
  change->email = g_strdup (req->user_email);
  memcpy (change->token_hash, req->token_hash, QS_TOKEN_HASH_LEN);
  stmt = qs_db_prepare (req->db, "SELECT password_hash FROM users WHERE id = ?1", "s", req->user_id);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    change->current_hash = qs_stmt_dup_text (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);

  if (change->current_hash == NULL)
    {
      respond_incorrect_password (req);
      password_change_free (change);
      return;
    }
  qs_password_verify_async (req, change->current_hash, change->input.current_password,
                            change->input.new_password, password_checked_cb, change,
                            (GDestroyNotify) password_change_free);
}
