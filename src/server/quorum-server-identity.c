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

/* TRUE when no account has email; else answers 409 email_taken. */
static gboolean
email_free (QsRequest  *req,
            const char *email)
{
  g_autoptr(QsStoreUser) user = qs_store_user_by_email (req->store, email, NULL);

  if (user == NULL)
    return TRUE;
  qs_respond_error (req, 409, "email_taken", "An account with this e-mail address exists.");
  return FALSE;
}

static void
signup_hashed_cb (QsRequest              *req,
                  const QsPasswordResult *result,
                  gpointer                user_data)
{
  QsSignup *input = user_data;
  g_autofree char *user_id = NULL;
  g_autofree char *org_name = NULL;
  g_autoptr(QsStoreOrganization) org = NULL;
  g_autofree char *token = NULL;
  g_autoptr(JsonObject) response = json_object_new ();
  g_autoptr(QsStoreTxn) txn = NULL;
  gint64 expires_at;

  if (result->hash == NULL || (txn = qs_store_begin (req->store, NULL)) == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  /* Decided inside the transaction: another sign-up may have taken the
   * address while the password was hashed. */
  if (!email_free (req, input->email))
    return;

  org_name = input->organization_name ? g_strdup (input->organization_name)
                                      : default_organization_name (input->name);
  if ((user_id = qs_store_user_create (req->store, input->name, input->email, result->hash, FALSE,
                                       qs_now (), NULL)) == NULL ||
      (org = qs_store_organization_create (req->store, org_name, NULL, NULL, user_id, NULL)) == NULL ||
      !qs_audit_by (req, "user", user_id, input->name, org->id, "organization.created", "organization", org->id,
                    org->name, NULL) ||
      (token = qs_create_session (req, user_id, &expires_at)) == NULL ||
      !qs_send_email_token (req->server, "verify", user_id, input->email) ||
      !qs_store_txn_commit (txn, NULL))
    {
      qs_respond_internal (req);
      return;
    }

  qs_signin_trust (req, input->email);
  json_object_set_object_member (response, "user", qs_user_json (req, user_id));
  qs_json_set_secret (req, response, "token", token);
  json_object_set_object_member (response, "organization", qs_organization_to_json (org, QUORUM_ROLE_OWNER));
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
  if (!email_free (req, input->email))
    {
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
  g_autoptr(QsStoreTxn) txn = NULL;
  gint64 expires_at;

  if (!result->verified || signin->user_id == NULL || signin->hash == NULL)
    {
      /* The attempt stays counted as a failure. */
      qs_respond_error (req, 401, "invalid_credentials", "The e-mail address or password is wrong.");
      return;
    }
  /* The counts taken back, the hash upgraded and the session made in one
   * commit; if it fails, the attempt stays counted. */
  if ((txn = qs_store_begin (req->store, NULL)) == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  qs_signin_succeeded (req, signin->input.email, TRUE);

  /* The stored hash is weaker than today's cost: replace it, unless the
   * password changed meanwhile. */
  if (result->hash != NULL)
    qs_store_user_replace_password_hash (req->store, signin->user_id, signin->hash, result->hash, NULL);

  token = qs_create_session (req, signin->user_id, &expires_at);
  if (token == NULL || !qs_store_txn_commit (txn, NULL))
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

  qs_json_set_secret (req, response, "token", token);
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
  g_autoptr(QsStoreUser) user = NULL;

  if (!qs_rate_limit_auth (req) ||
      !qs_check_parse (req, qs_parse_signin (req->body, req->body_len, &signin->input, errors), errors) ||
      !qs_signin_attempt (req, signin->input.email, TRUE))
    {
      signin_free (signin);
      return;
    }

  user = qs_store_user_by_email (req->store, signin->input.email, NULL);
  if (user != NULL)
    {
      signin->user_id = g_steal_pointer (&user->id);
      signin->hash = g_steal_pointer (&user->password_hash);
    }

  /* An unknown address is checked against a dummy hash: same time. */
  qs_password_verify_async (req, signin->hash, signin->input.password, NULL,
                            signin_verified_cb, signin, (GDestroyNotify) signin_free);
}

void
qs_handle_signout (QsRequest *req)
{
  if (!qs_store_session_end (req->store, req->token_hash, NULL))
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
      g_autoptr(QsStoreTxn) txn = qs_store_begin (req->store, NULL);

      if (txn == NULL ||
          !qs_store_user_set_name (req->store, req->user_id, input.name, NULL) ||
          !qs_store_txn_commit (txn, NULL))
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
  g_autoptr(QsStoreTxn) txn = NULL;
  g_autoptr(QsStoreUser) session_user = NULL;
  g_autoptr(GError) error = NULL;

  if (!result->verified)
    {
      respond_incorrect_password (req);
      return;
    }
  qs_signin_succeeded (req, change->email, FALSE);
  if (result->hash == NULL || (txn = qs_store_begin (req->store, NULL)) == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  /* The session may have ended, or the password changed, meanwhile. */
  session_user = qs_store_session_user (req->store, change->token_hash, NULL);
  if (session_user == NULL)
    {
      qs_respond_error (req, 401, "unauthenticated", "The token is not valid or has expired.");
      return;
    }
  if (!qs_store_user_replace_password_hash (req->store, change->user_id, change->current_hash,
                                            result->hash, &error))
    {
      if (error != NULL)
        qs_respond_internal (req);
      else
        respond_incorrect_password (req);
      return;
    }
  qs_respond_committed (req, txn,
                        qs_store_sessions_end_for_user (req->store, change->user_id,
                                                        change->token_hash, NULL),
                        204);
}

void
qs_handle_me_password (QsRequest *req)
{
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  PasswordChange *change = g_new0 (PasswordChange, 1);
  g_autoptr(QsStoreUser) user = NULL;

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
  user = qs_store_user_by_id (req->store, req->user_id, NULL);
  if (user != NULL)
    change->current_hash = g_steal_pointer (&user->password_hash);

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
