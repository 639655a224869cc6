/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sodium.h>
#include <glib/gstdio.h>

#include "quorum-server-auth.h"
#include "quorum-server-handlers.h"
#include "quorum-server-http.h"
#include "quorum-server-model.h"
#include "quorum-server-state.h"

/*
 * E-mail ownership: verification and password-reset tokens (table
 * email_tokens, SHA-256 hashes only), the routes and the /verify and /reset
 * pages that use them, and taking an unverified account over for the person
 * who proves the inbox.
 */

#define MAIL_LIMIT_WINDOW_SECONDS    3600
#define VERIFY_MAILS_PER_HOUR        5
#define RESETS_PER_ADDRESS_PER_HOUR  5

typedef enum
{
  EMAIL_TOKEN_USABLE,
  EMAIL_TOKEN_NOT_FOUND,  /* unknown, used, replaced, or of the other kind */
  EMAIL_TOKEN_EXPIRED,
  EMAIL_TOKEN_FAILED,     /* the database failed */
} EmailTokenState;

static const char *
token_prefix (const char *kind)
{
  return strcmp (kind, "reset") == 0 ? "qrm_r_" : "qrm_v_";
}

/* Hourly windows in the database (quorum-server-limits.c). The reset key
 * is the address asked for, whether or not an account has it, so a 429 says
 * nothing about which addresses exist. When the table is full of live
 * windows, new keys are refused rather than anyone's count forgotten. */
static gboolean
mail_limit_reached (QsRequest  *req,
                    const char *key,
                    guint       limit)
{
  return !qs_limit_window (req, "mail", key, limit, MAIL_LIMIT_WINDOW_SECONDS,
                           "Too many messages asked for; try again later.");
}

/* ------------------------------------------------------------ tokens */

/* A fresh token of kind for user_id, mailed to email (outbox, SMTP). The
 * caller holds a transaction. */
gboolean
qs_send_email_token (QsServer   *server,
                     const char *kind,
                     const char *user_id,
                     const char *email)
{
  g_autofree char *token = qs_new_token (token_prefix (kind));
  guint8 hash[QS_TOKEN_HASH_LEN];
  gint64 expires_at = qs_now () + (strcmp (kind, "reset") == 0 ? QS_RESET_SECONDS : QS_VERIFY_SECONDS);
  gboolean ok;

  qs_hash_token (token, hash);
  ok = qs_store_email_token_issue (server->store, kind, hash, user_id, expires_at, NULL) &&
       qs_mail_send_email_token (server, kind, email, user_id, token, expires_at);
  sodium_memzero (token, strlen (token));
  return ok;
}

static EmailTokenState
lookup_email_token (QsStore     *store,
                    const char  *kind,
                    const char  *token,
                    guint8       hash[QS_TOKEN_HASH_LEN],
                    char       **user_id)
{
  g_autoptr(GError) error = NULL;
  gint64 expires_at = 0;

  *user_id = NULL;
  if (!qs_email_token_is_well_formed (token, token_prefix (kind)))
    return EMAIL_TOKEN_NOT_FOUND;

  qs_hash_token (token, hash);
  *user_id = qs_store_email_token_user (store, kind, hash, &expires_at, &error);
  if (error != NULL)
    return EMAIL_TOKEN_FAILED;
  if (*user_id == NULL)
    return EMAIL_TOKEN_NOT_FOUND;
  return expires_at > qs_now () ? EMAIL_TOKEN_USABLE : EMAIL_TOKEN_EXPIRED;
}

/* TRUE when usable; else answers 404 token_not_found, 410 token_expired
 * or 500, as problem+json or, for the pages, as HTML. */
static gboolean
respond_token_state (QsRequest       *req,
                     EmailTokenState  state,
                     gboolean         page)
{
  switch (state)
    {
    case EMAIL_TOKEN_USABLE:
      return TRUE;
    case EMAIL_TOKEN_FAILED:
      qs_respond_internal (req);
      return FALSE;
    case EMAIL_TOKEN_EXPIRED:
      if (page)
        qs_respond_html (req, 410, "Link expired",
                         "<h1>Link expired</h1><p>This link has expired. Ask for a new one in the Quorum"
                         " app.</p>");
      else
        qs_respond_error (req, 410, "token_expired", "This link has expired; ask for a new one.");
      return FALSE;
    case EMAIL_TOKEN_NOT_FOUND:
    default:
      if (page)
        qs_respond_html (req, 404, "Link not valid",
                         "<h1>Link not valid</h1><p>This link is not valid or was already used. Check that"
                         " you copied the whole link, or ask for a new one in the Quorum app.</p>");
      else
        qs_respond_error (req, 404, "token_not_found", "This link is not valid or was already used.");
      return FALSE;
    }
}

/* ----------------------------------------------------- account changes */

gboolean
qs_user_claimable (const QsStoreUser *user)
{
  return !user->email_verified && user->created_at <= qs_now () - QS_TAKEOVER_SECONDS;
}

/* 403 email_unverified unless the caller's address is verified: anything
 * granted to an address needs proof of its inbox. */
gboolean
qs_require_verified_email (QsRequest *req)
{
  g_autoptr(QsStoreUser) user = qs_store_user_by_id (req->store, req->user_id, NULL);
  g_autofree char *detail = NULL;

  if (user != NULL && user->email_verified)
    return TRUE;
  detail = g_strdup_printf ("Verify your e-mail address first: open the link in the message we sent to %s,"
                            " or ask for a new one.", req->user_email);
  qs_respond_error (req, 403, "email_unverified", detail);
  return FALSE;
}

/* Verifies the address of the token's account; *user_id is set when usable. */
static EmailTokenState
verify_with_token (QsRequest   *req,
                   const char  *token,
                   char       **user_id)
{
  guint8 hash[QS_TOKEN_HASH_LEN];
  EmailTokenState state = lookup_email_token (req->store, "verify", token, hash, user_id);
  g_autoptr(QsStoreTxn) txn = NULL;

  if (state != EMAIL_TOKEN_USABLE)
    return state;
  if ((txn = qs_store_begin (req->store, NULL)) == NULL ||
      !qs_store_email_token_use (req->store, hash, NULL) ||
      !qs_store_user_mark_verified (req->store, *user_id, NULL) ||
      !qs_store_txn_commit (txn, NULL))
    return EMAIL_TOKEN_FAILED;
  return EMAIL_TOKEN_USABLE;
}

typedef struct
{
  char     *token;
  gboolean  page;  /* answer with HTML pages, and do not sign in */
} Reset;

static void
reset_free (Reset *reset)
{
  sodium_memzero (reset->token, strlen (reset->token));
  g_free (reset->token);
  g_free (reset);
}

/* The password is hashed: decide again inside the transaction (the token
 * may have been used meanwhile), set it (see qs_store_user_take_over ()) and, for
 * the API, sign in. */
static void
reset_hashed_cb (QsRequest              *req,
                 const QsPasswordResult *result,
                 gpointer                user_data)
{
  Reset *reset = user_data;
  guint8 hash[QS_TOKEN_HASH_LEN];
  g_autofree char *user_id = NULL;
  g_autofree char *session = NULL;
  gint64 expires_at = 0;
  EmailTokenState state = EMAIL_TOKEN_FAILED;
  g_autoptr(QsStoreTxn) txn = NULL;

  if (result->hash != NULL && (txn = qs_store_begin (req->store, NULL)) != NULL)
    {
      state = lookup_email_token (req->store, "reset", reset->token, hash, &user_id);
      if (state == EMAIL_TOKEN_USABLE &&
          (!qs_store_email_token_use (req->store, hash, NULL) ||
           !qs_store_user_take_over (req->store, user_id, NULL, result->hash, NULL) ||
           (!reset->page && (session = qs_create_session (req, user_id, &expires_at)) == NULL) ||
           !qs_store_txn_commit (txn, NULL)))
        state = EMAIL_TOKEN_FAILED;
    }
  if (!respond_token_state (req, state, reset->page))
    return;
  if (reset->page)
    qs_respond_html (req, 200, "Password set",
                     "<h1>Password set</h1><p>Your new password works now, and every device that was"
                     " signed in to this account is signed out. Sign in again in Quorum.</p>");
  else
    qs_respond_session (req, 200, user_id, session, expires_at);
}

/* Answers at once when the token is dead; else hashes the password in the
 * worker pool (see quorum-server-password.c) and goes on in
 * reset_hashed_cb (). */
static void
reset_with_token (QsRequest  *req,
                  const char *token,
                  const char *password,
                  gboolean    page)
{
  guint8 hash[QS_TOKEN_HASH_LEN];
  g_autofree char *user_id = NULL;
  Reset *reset;

  if (!respond_token_state (req, lookup_email_token (req->store, "reset", token, hash, &user_id), page))
    return;
  reset = g_new0 (Reset, 1);
  reset->token = g_strdup (token);
  reset->page = page;
  qs_password_hash_async (req, password, reset_hashed_cb, reset, (GDestroyNotify) reset_free);
}

/* --------------------------------------------------------------- routes */

void
qs_handle_me_verification_email (QsRequest *req)
{
  g_autofree char *key = NULL;
  g_autoptr(QsStoreUser) user = NULL;
  g_autoptr(QsStoreTxn) txn = NULL;

  user = qs_store_user_by_id (req->store, req->user_id, NULL);
  if (user != NULL && user->email_verified)
    {
      qs_respond_error (req, 409, "already_verified", "Your e-mail address is already verified.");
      return;
    }
  key = g_strconcat ("verify:", req->user_id, NULL);
  if (mail_limit_reached (req, key, VERIFY_MAILS_PER_HOUR))
    return;
  txn = qs_store_begin (req->store, NULL);
  qs_respond_committed (req, txn,
                        txn != NULL &&
                        qs_send_email_token (req->server, "verify", req->user_id, req->user_email),
                        202);
}

void
qs_handle_email_verification (QsRequest *req)
{
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_auto(QsEmailToken) input = { 0 };
  g_autofree char *user_id = NULL;

  if (!qs_check_parse (req, qs_parse_email_token (req->body, req->body_len, &input, errors), errors) ||
      !respond_token_state (req, verify_with_token (req, input.token, &user_id), FALSE))
    return;
  qs_respond_object (req, 200, qs_user_json (req, user_id));
}

typedef struct
{
  QsServer *server;
  char     *user_id;
  char     *email;
} ResetMail;

static void
reset_mail_free (gpointer  data,
                 GClosure *closure)
{
  ResetMail *mail = data;

  g_free (mail->user_id);
  g_free (mail->email);
  g_free (mail);
}

/* Without an account, the same kind of work as with one: a committed write
 * and a durable file of an e-mail's size, so that a request sent right
 * behind this one waits about as long either way. */
static void
reset_decoy (QsServer *server)
{
  g_autofree char *value = qs_new_id ("");
  g_autofree char *path = g_build_filename (server->config.data_dir, ".reset-decoy", NULL);
  g_autofree char *text = g_strnfill (1024, 'x');

  g_autoptr(QsStoreTxn) txn = qs_store_begin (server->store, NULL);

  if (txn != NULL && qs_store_meta_set (server->store, "reset_decoy", value, NULL))
    qs_store_txn_commit (txn, NULL);
  g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                            0600, NULL);
  g_unlink (path);
}

/* After the 202 is written, so the answer to a request for an address with
 * an account leaves at the same moment as one without. */
static void
send_reset_mail_cb (SoupServerMessage *msg,
                    ResetMail         *mail)
{
  g_autoptr(QsStoreTxn) txn = NULL;

  if (mail->user_id == NULL)
    reset_decoy (mail->server);
  else if ((txn = qs_store_begin (mail->server->store, NULL)) == NULL ||
           !qs_send_email_token (mail->server, "reset", mail->user_id, mail->email) ||
           !qs_store_txn_commit (txn, NULL))
    g_printerr ("password reset for %s not sent\n", mail->user_id);
}

void
qs_handle_password_reset_request (QsRequest *req)
{
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_auto(QsResetRequest) input = { 0 };
  g_autofree char *key = NULL;
  g_autoptr(QsStoreUser) user = NULL;
  ResetMail *mail;

  if (!qs_rate_limit_auth (req) ||
      !qs_check_parse (req, qs_parse_reset_request (req->body, req->body_len, &input, errors), errors))
    return;
  key = g_strconcat ("reset:", input.email, NULL);
  if (mail_limit_reached (req, key, RESETS_PER_ADDRESS_PER_HOUR))
    return;

  mail = g_new0 (ResetMail, 1);
  mail->server = req->server;
  mail->email = g_strdup (input.email);
  user = qs_store_user_by_email (req->store, input.email, NULL);
  if (user != NULL)
    mail->user_id = g_steal_pointer (&user->id);
  g_signal_connect_data (req->msg, "finished", G_CALLBACK (send_reset_mail_cb), mail, reset_mail_free, 0);
  qs_respond_empty (req, 202);
}

void
qs_handle_password_reset_confirm (QsRequest *req)
{
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_auto(QsResetConfirm) input = { 0 };

  if (!qs_rate_limit_auth (req) ||
      !qs_check_parse (req, qs_parse_reset_confirm (req->body, req->body_len, &input, errors), errors))
    return;
  reset_with_token (req, input.token, input.password, FALSE);
}

/* ---------------------------------------------------------------- pages */

static char *
user_email_markup (QsRequest  *req,
                   const char *user_id)
{
  g_autoptr(QsStoreUser) user = qs_store_user_by_id (req->store, user_id, NULL);

  return user ? g_markup_escape_text (user->email, -1) : g_strdup ("");
}

/* quorum://<what>/<token>?server=<public URL>, escaped for an attribute. */
static char *
app_link_markup (QsRequest  *req,
                 const char *what,
                 const char *token)
{
  g_autofree char *server_escaped = qs_uri_escape (req->server->public_url);
  g_autofree char *url = g_strdup_printf ("quorum://%s/%s?server=%s", what, token, server_escaped);

  return g_markup_escape_text (url, -1);
}

/* GET shows a button and changes nothing (mail scanners fetch links);
 * POST, the button, verifies. */
void
qs_handle_verify_page (QsRequest *req)
{
  const char *token = qs_request_param (req, "token");
  g_autofree char *user_id = NULL;
  g_autofree char *email = NULL;
  g_autofree char *content = NULL;
  guint8 hash[QS_TOKEN_HASH_LEN];

  if (strcmp (req->method, "POST") == 0)
    {
      if (!respond_token_state (req, verify_with_token (req, token, &user_id), TRUE))
        return;
      email = user_email_markup (req, user_id);
      content = g_strdup_printf ("<h1>Address verified</h1><p><strong>%s</strong> is verified. You can close"
                                 " this page and go back to Quorum.</p>", email);
      qs_respond_html (req, 200, "Address verified", content);
      return;
    }

  if (!respond_token_state (req, lookup_email_token (req->store, "verify", token, hash, &user_id), TRUE))
    return;
  {
    g_autofree char *token_markup = g_markup_escape_text (token, -1);
    g_autofree char *app_link = app_link_markup (req, "verify", token);

    email = user_email_markup (req, user_id);
    content = g_strdup_printf ("<h1>Verify your e-mail address</h1>"
                               "<p>Confirm that <strong>%s</strong> is your address for Quorum.</p>"
                               "<form method=\"post\" action=\"/verify/%s\">"
                               "<p><button type=\"submit\">Verify</button></p></form>"
                               "<p><a class=\"button\" href=\"%s\">Open in Quorum</a></p>"
                               "<p class=\"muted\">Opening the link needs the Quorum desktop app.</p>",
                               email, token_markup, app_link);
    qs_respond_html (req, 200, "Verify your e-mail address", content);
  }
}

static void
respond_reset_form (QsRequest  *req,
                    guint       status,
                    const char *token,
                    const char *user_id,
                    GPtrArray  *errors)
{
  g_autofree char *email = user_email_markup (req, user_id);
  g_autofree char *token_markup = g_markup_escape_text (token, -1);
  g_autofree char *app_link = app_link_markup (req, "reset", token);
  g_autofree char *content = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);

  for (guint i = 0; errors != NULL && i < errors->len; i++)
    {
      QsFieldError *error = g_ptr_array_index (errors, i);
      g_autofree char *message = g_markup_escape_text (error->message, -1);

      g_string_append_printf (problems, "<p class=\"error\">%s</p>", message);
    }
  content = g_strdup_printf ("<h1>Set a new password</h1>"
                             "<p>For the Quorum account of <strong>%s</strong>.</p>%s"
                             "<form method=\"post\" action=\"/reset/%s\">"
                             "<p><label>New password (at least 10 characters)<br>"
                             "<input type=\"password\" name=\"password\" autocomplete=\"new-password\""
                             " minlength=\"10\" required></label></p>"
                             "<p><label>The same again<br>"
                             "<input type=\"password\" name=\"password_confirm\" autocomplete=\"new-password\""
                             " minlength=\"10\" required></label></p>"
                             "<p><button type=\"submit\">Set password</button></p></form>"
                             "<p class=\"muted\">A new password signs out every device signed in to this"
                             " account. You can also <a href=\"%s\">open the link in Quorum</a>.</p>",
                             email, problems->str, token_markup, app_link);
  qs_respond_html (req, status, "Set a new password", content);
}

void
qs_handle_reset_page (QsRequest *req)
{
  const char *token = qs_request_param (req, "token");
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_auto(QsResetConfirm) input = { 0 };
  g_autofree char *user_id = NULL;
  guint8 hash[QS_TOKEN_HASH_LEN];
  EmailTokenState state = lookup_email_token (req->store, "reset", token, hash, &user_id);

  if (!respond_token_state (req, state, TRUE))
    return;
  if (strcmp (req->method, "POST") != 0)
    {
      respond_reset_form (req, 200, token, user_id, NULL);
      return;
    }

  if (!qs_rate_limit_auth (req))
    return;
  if (qs_parse_reset_form (req->body, req->body_len, &input, errors) != QS_PARSE_OK)
    {
      if (errors->len == 0)
        qs_field_errors_add (errors, "password", "required", "This field is required.");
      respond_reset_form (req, 422, token, user_id, errors);
      return;
    }
  reset_with_token (req, token, input.password, TRUE);
}
