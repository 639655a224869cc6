/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sodium.h>

#include "quorum-server-auth.h"
#include "quorum-server-handlers.h"
#include "quorum-server-http.h"
#include "quorum-server-model.h"
#include "quorum-server-state.h"

#define IDEMPOTENCY_KEY_MAX 255

static const char * const status_names[] = {
  [QS_STORE_INVITATION_PENDING] = "pending",
  [QS_STORE_INVITATION_ACCEPTED] = "accepted",
  [QS_STORE_INVITATION_DECLINED] = "declined",
  [QS_STORE_INVITATION_REVOKED] = "revoked",
  [QS_STORE_INVITATION_EXPIRED] = "expired",
};

static JsonObject *
invitation_json (const QsStoreInvitation *inv)
{
  JsonObject *object = json_object_new ();
  JsonObject *inviter = json_object_new ();
  g_autofree char *created = qs_format_time (inv->created_at);
  g_autofree char *expires = qs_format_time (inv->expires_at);
  g_autofree char *sent = qs_format_time (inv->last_sent_at);

  json_object_set_string_member (object, "id", inv->id);
  json_object_set_string_member (object, "email", inv->email);
  json_object_set_string_member (object, "role", quorum_role_to_string (inv->role));
  json_object_set_string_member (object, "status", status_names[inv->status]);
  json_object_set_string_member (inviter, "id", inv->invited_by);
  json_object_set_string_member (inviter, "name", inv->inviter_name);
  json_object_set_object_member (object, "invited_by", inviter);
  json_object_set_string_member (object, "created_at", created);
  json_object_set_string_member (object, "expires_at", expires);
  json_object_set_string_member (object, "last_sent_at", sent);
  json_object_set_int_member (object, "send_count", inv->send_count);
  return object;
}

/* The organization as an invitation shows it. */
static JsonObject *
invitation_organization_json (const QsStoreInvitation *inv,
                              gboolean                 with_id)
{
  JsonObject *org = json_object_new ();

  if (with_id)
    json_object_set_string_member (org, "id", inv->org_id);
  json_object_set_string_member (org, "name", inv->org_name);
  json_object_set_string_member (org, "slug", inv->org_slug);
  qs_json_set_string_or_null (org, "logo_url", inv->org_logo_url);
  return org;
}

static gboolean
is_printable_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (*p < 0x20 || *p > 0x7E)
      return FALSE;
  return TRUE;
}

static void
respond_json_text (QsRequest  *req,
                   guint       status,
                   const char *text)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_server_message_set_status (req->msg, status, NULL);
  soup_server_message_set_response (req->msg, "application/json", SOUP_MEMORY_COPY, text, strlen (text));
}

/* The audit record of a change to an invitation, with the invitation as it
 * is now (invitation.created and invitation.accepted are webhook events).
 * actor_kind NULL: the caller. */
static gboolean
audit_invitation (QsRequest  *req,
                  const char *actor_kind,
                  const char *actor_id,
                  const char *actor_name,
                  const char *org_id,
                  const char *inv_id,
                  const char *action)
{
  g_autoptr(QsStoreInvitation) inv = qs_store_invitation_get (req->store, org_id, inv_id, qs_now (), NULL);
  g_autoptr(JsonObject) data = NULL;

  if (inv == NULL)
    return FALSE;
  data = invitation_json (inv);
  if (actor_kind == NULL)
    return qs_audit (req, org_id, action, "invitation", inv->id, inv->email, data);
  return qs_audit_by (req, actor_kind, actor_id, actor_name, org_id, action, "invitation", inv->id, inv->email,
                      data);
}

/* An accepted invitation made member a member (not one already): the
 * member.added webhook event, beside the invitation.accepted record. */
static gboolean
emit_member_added (QsRequest           *req,
                   const QsStoreMember *member,
                   gint64               now)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *data = NULL;

  if (member->joined_at < now)
    return TRUE;
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, qs_member_to_json (member));
  data = qs_json_to_string (node);
  return qs_store_event_emit (req->store, member->org_id, "member.added", data, now, NULL, NULL);
}

/* Sends (writes to the outbox, hands to SMTP) the e-mail for an invitation. */
static gboolean
send_invitation (QsRequest               *req,
                 const QsStoreInvitation *inv,
                 const char              *token)
{
  g_autoptr(QsStoreUser) creator = NULL;
  const char *name = req->user_name;
  const char *email = req->user_email;

  /* An API key's invitation names the user who created the key, who
   * answers for it. */
  if (req->api_key != NULL)
    {
      if ((creator = qs_store_user_by_id (req->store, req->api_key->created_by, NULL)) == NULL)
        return FALSE;
      name = creator->name;
      email = creator->email;
    }
  return qs_mail_send_invitation (req->server, inv, name, email, token) &&
         qs_invitation_sent (req, inv->org_id);
}

void
qs_handle_invitations_list (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_autoptr(QsStoreInvitationPage) page = NULL;
  g_autoptr(JsonObject) response = json_object_new ();
  g_autofree char *cursor_id = NULL;
  g_autofree char *next = NULL;
  const char *status = qs_query (req, "status");
  const char *cursor = qs_query (req, "cursor");
  QsStoreInvitationCursor after = { 0 };
  int status_filter = -1;
  guint limit;
  JsonArray *items;

  if (status != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (status_names); i++)
        if (strcmp (status, status_names[i]) == 0)
          status_filter = i;
      if (status_filter < 0)
        qs_field_errors_add (errors, "status", "invalid_choice",
                             "One of pending, accepted, declined, revoked, expired.");
    }
  limit = qs_query_limit (req, 50, errors);
  if (cursor != NULL &&
      !qs_invitation_cursor_decode (cursor, &after.created_at, &cursor_id))
    qs_field_errors_add (errors, "cursor", "invalid", "This cursor is not valid.");
  if (errors->len > 0)
    {
      qs_respond_validation (req, errors);
      return;
    }

  after.id = cursor_id;
  page = qs_store_invitation_list (req->store, org_id, status_filter, cursor_id != NULL ? &after : NULL,
                                   limit, qs_now (), NULL);
  if (page == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  items = json_array_new ();
  json_object_set_array_member (response, "items", items);
  for (guint i = 0; i < page->invitations->len; i++)
    json_array_add_object_element (items, invitation_json (g_ptr_array_index (page->invitations, i)));
  if (page->more)
    {
      QsStoreInvitation *last = g_ptr_array_index (page->invitations, page->invitations->len - 1);

      next = qs_invitation_cursor_encode (last->created_at, last->id);
    }
  qs_json_set_string_or_null (response, "next_cursor", next);
  json_object_set_int_member (response, "total", page->total);
  qs_respond_object (req, 200, response);
}

/* The stored answer of an earlier request with this Idempotency-Key, or
 * 409 when its body was another: TRUE when answered. */
static gboolean
answer_earlier (QsRequest    *req,
                const char   *org_id,
                const char   *key,
                const guint8 *body_hash,
                gint64        now)
{
  g_autoptr(QsStoreIdempotent) earlier = qs_store_idempotent_find (req->store, qs_request_actor_id (req), org_id, key,
                                                                   now - QS_IDEMPOTENCY_SECONDS, NULL);

  if (earlier == NULL)
    return FALSE;
  if (sodium_memcmp (earlier->body_hash, body_hash, QS_STORE_TOKEN_HASH_LEN) != 0)
    qs_respond_error (req, 409, "idempotency_key_reused",
                      "This Idempotency-Key was used with another request body.");
  else
    respond_json_text (req, earlier->status, earlier->response);
  return TRUE;
}

void
qs_handle_invitations_create (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_auto(QsInvitationCreate) input = { 0 };
  g_autoptr(QsStoreTxn) txn = NULL;
  g_autoptr(QsStoreInvitation) inv = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *text = NULL;
  gint64 pending, seats_used = 0, seat_limit = 0;
  g_autoptr(JsonNode) node = NULL;
  const char *key = soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg),
                                                  "Idempotency-Key");
  guint8 body_hash[QS_STORE_TOKEN_HASH_LEN];
  guint8 token_hash[QS_TOKEN_HASH_LEN];
  gint64 now = qs_now ();
  gint64 expires_at = now + QS_INVITATION_SECONDS;

  if (key != NULL)
    {
      if (*key == '\0' || strlen (key) > IDEMPOTENCY_KEY_MAX || !is_printable_ascii (key))
        {
          qs_field_errors_add (errors, "Idempotency-Key", "invalid", "1 to 255 ASCII characters.");
          qs_respond_validation (req, errors);
          return;
        }
      crypto_hash_sha256 (body_hash, (const guint8 *) req->body, req->body_len);
      if (answer_earlier (req, org_id, key, body_hash, now))
        return;
    }

  if (!qs_check_parse (req, qs_parse_invitation_create (req->body, req->body_len, &input, errors), errors))
    return;

  /* The checks that decide the insert run inside its transaction, which
   * holds the organization: an invitation, acceptance or plan change
   * through another instance waits (docs/server.md, "PostgreSQL: state").
   * The key again inside it: the same key sent to two instances at once
   * passed the look-up above on both, and the second finds the first's
   * here. Then the e-mail limits (their rows stay locked until the
   * commit too). */
  if ((txn = qs_store_begin (req->store, &error)) == NULL ||
      !qs_store_organization_lock (req->store, org_id, &error))
    {
      qs_respond_internal (req);
      return;
    }
  if (key != NULL && answer_earlier (req, org_id, key, body_hash, now))
    return;
  if (!qs_invitation_send_allowed (req, org_id))
    return;
  if (qs_store_member_has_email (req->store, org_id, input.email, &error))
    {
      qs_respond_error (req, 409, "already_member", "This person is already a member.");
      return;
    }
  if (error == NULL && qs_store_invitations_pending_count (req->store, org_id, input.email, now, &error) > 0)
    {
      qs_respond_error (req, 409, "already_invited", "A pending invitation for this address exists.");
      return;
    }
  pending = error == NULL ? qs_store_invitations_pending_count (req->store, org_id, NULL, now, &error) : 0;
  if (error != NULL)
    {
      qs_respond_internal (req);
      return;
    }
  if (req->server->config.pending_invitation_limit > 0 &&
      pending >= req->server->config.pending_invitation_limit)
    {
      g_autofree char *detail = g_strdup_printf ("This organization has %u pending invitations, the most"
                                                 " allowed; revoke some or wait for answers.",
                                                 req->server->config.pending_invitation_limit);

      qs_respond_error (req, 409, "too_many_pending_invitations", detail);
      return;
    }
  /* The seat check runs in the transaction that inserts, so of two racing
   * invitations for the last seat exactly one gets it. */
  if (!qs_store_billing_seat_available (req->store, org_id, now, &seats_used, &seat_limit, &error))
    {
      g_autofree char *detail = NULL;

      if (error != NULL)
        {
          qs_respond_internal (req);
          return;
        }
      detail = g_strdup_printf ("All %" G_GINT64_FORMAT " seats of this organization's plan are taken (members"
                                " and pending invitations); change the plan or free a seat.", seat_limit);
      qs_respond_error (req, 409, "seat_limit_reached", detail);
      return;
    }

  token = qs_new_invitation_token ();
  qs_hash_token (token, token_hash);
  inv = qs_store_invitation_create (req->store, org_id, input.email, quorum_role_from_string (input.role),
                                    token_hash, qs_request_responsible_user_id (req), now, expires_at, NULL);
  if (inv == NULL)
    {
      sodium_memzero (token, strlen (token));
      qs_respond_internal (req);
      return;
    }

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, invitation_json (inv));
  text = qs_json_to_string (node);

  if ((key != NULL &&
       !qs_store_idempotent_save (req->store, qs_request_actor_id (req), org_id, key, body_hash, 201, text, NULL)) ||
      !audit_invitation (req, NULL, NULL, NULL, org_id, inv->id, "invitation.created") ||
      !send_invitation (req, inv, token) ||
      !qs_store_txn_commit (txn, NULL))
    {
      qs_respond_internal (req);
      sodium_memzero (token, strlen (token));
      return;
    }
  sodium_memzero (token, strlen (token));
  respond_json_text (req, 201, text);
}

/* A pending invitation of this organization, for resend and revoke; NULL
 * when answered. */
static QsStoreInvitation *
load_org_invitation (QsRequest  *req,
                     const char *org_id,
                     const char *inv_id)
{
  g_autoptr(QsStoreInvitation) inv = qs_store_invitation_get (req->store, org_id, inv_id, qs_now (), NULL);

  if (inv == NULL)
    {
      qs_respond_error (req, 404, "invitation_not_found", "No such invitation.");
      return NULL;
    }
  if (inv->status != QS_STORE_INVITATION_PENDING && inv->status != QS_STORE_INVITATION_EXPIRED)
    {
      qs_respond_error (req, 409, "invitation_not_pending", "This invitation was already answered or revoked.");
      return NULL;
    }
  return g_steal_pointer (&inv);
}

void
qs_handle_invitation_resend (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  const char *inv_id = qs_request_param (req, "invitation_id");
  g_autoptr(QsStoreTxn) txn = NULL;
  g_autoptr(QsStoreInvitation) inv = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *token = NULL;
  guint8 token_hash[QS_TOKEN_HASH_LEN];
  gint64 now = qs_now ();
  gint64 expires_at = now + QS_INVITATION_SECONDS;

  if (!(txn = qs_store_begin (req->store, NULL)) || !qs_store_organization_lock (req->store, org_id, NULL))
    {
      qs_respond_internal (req);
      return;
    }
  if (!qs_invitation_send_allowed (req, org_id))
    return;
  if (!(inv = load_org_invitation (req, org_id, inv_id)))
    return;
  /* An expired invitation holds no seat; sent again, it takes one. */
  if (inv->status == QS_STORE_INVITATION_EXPIRED)
    {
      gint64 seats_used = 0, seat_limit = 0;
      g_autoptr(GError) error = NULL;

      if (!qs_store_billing_seat_available (req->store, org_id, now, &seats_used, &seat_limit, &error))
        {
          if (error != NULL)
            qs_respond_internal (req);
          else
            qs_respond_error (req, 409, "seat_limit_reached",
                              "All seats of this organization's plan are taken; change the plan or free a seat.");
          return;
        }
    }

  token = qs_new_invitation_token ();
  qs_hash_token (token, token_hash);
  inv->expires_at = expires_at;
  if (!qs_store_invitation_resend (req->store, inv_id, token_hash, now, expires_at, NULL) ||
      !audit_invitation (req, NULL, NULL, NULL, org_id, inv_id, "invitation.resent") ||
      !send_invitation (req, inv, token) ||
      !qs_store_txn_commit (txn, NULL))
    {
      sodium_memzero (token, strlen (token));
      qs_respond_internal (req);
      return;
    }
  sodium_memzero (token, strlen (token));
  g_clear_pointer (&inv, qs_store_invitation_free);
  inv = qs_store_invitation_get (req->store, org_id, inv_id, qs_now (), NULL);
  if (inv == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  object = invitation_json (inv);
  qs_respond_object (req, 200, object);
}

void
qs_handle_invitation_revoke (QsRequest *req)
{
  const char *org_id = qs_request_param (req, "org_id");
  const char *inv_id = qs_request_param (req, "invitation_id");
  g_autoptr(QsStoreTxn) txn = NULL;
  g_autoptr(QsStoreInvitation) inv = NULL;

  if (!(txn = qs_store_begin (req->store, NULL)) || !qs_store_organization_lock (req->store, org_id, NULL))
    {
      qs_respond_internal (req);
      return;
    }
  if (!(inv = load_org_invitation (req, org_id, inv_id)))
    return;
  qs_respond_committed (req, txn,
                        qs_store_invitation_revoke (req->store, inv_id, NULL) &&
                        audit_invitation (req, NULL, NULL, NULL, org_id, inv_id, "invitation.revoked"),
                        204);
}

/* ------------------------------------------------------- public, by token */

/* Why an invitation cannot be answered; NULL when it can. */
static gboolean
respond_unusable (QsRequest               *req,
                  const QsStoreInvitation *inv)
{
  switch (inv != NULL ? (int) inv->status : -1)
    {
    case QS_STORE_INVITATION_PENDING:
      return TRUE;
    case QS_STORE_INVITATION_EXPIRED:
      qs_respond_error (req, 410, "invitation_expired", "This invitation has expired.");
      return FALSE;
    case QS_STORE_INVITATION_REVOKED:
      qs_respond_error (req, 410, "invitation_revoked", "This invitation was revoked.");
      return FALSE;
    case QS_STORE_INVITATION_ACCEPTED:
    case QS_STORE_INVITATION_DECLINED:
      qs_respond_error (req, 410, "invitation_used", "This invitation was already used.");
      return FALSE;
    default:
      qs_respond_error (req, 404, "invitation_not_found", "No such invitation.");
      return FALSE;
    }
}

static QsStoreInvitation *
lookup_token (QsRequest  *req,
              const char *token)
{
  guint8 hash[QS_TOKEN_HASH_LEN];
  gsize len = strlen (token);

  if (len < 20 || len > 128 || strspn (token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != len)
    return NULL;
  qs_hash_token (token, hash);
  return qs_store_invitation_by_token_hash (req->store, hash, qs_now (), NULL);
}

/* The invitation of this token, or NULL when answered. */
static QsStoreInvitation *
require_usable_token (QsRequest  *req,
                      const char *token)
{
  g_autoptr(QsStoreInvitation) inv = lookup_token (req, token);

  return respond_unusable (req, inv) ? g_steal_pointer (&inv) : NULL;
}

/* An account set-up cannot take over: any but a claimable one (see
 * qs_user_claimable ()). */
static gboolean
account_exists (QsRequest  *req,
                const char *email)
{
  g_autoptr(QsStoreUser) user = qs_store_user_by_email (req->store, email, NULL);

  return user != NULL && !qs_user_claimable (user);
}

void
qs_handle_public_invitation (QsRequest *req)
{
  const char *token = qs_request_param (req, "token");
  g_autoptr(QsStoreInvitation) inv = NULL;
  g_autoptr(JsonObject) response = json_object_new ();
  g_autofree char *expires = NULL;

  if (!(inv = require_usable_token (req, token)))
    return;

  json_object_set_object_member (response, "organization", invitation_organization_json (inv, FALSE));
  json_object_set_string_member (response, "inviter_name", inv->inviter_name);
  json_object_set_string_member (response, "email", inv->email);
  json_object_set_string_member (response, "role", quorum_role_to_string (inv->role));
  expires = qs_format_time (inv->expires_at);
  json_object_set_string_member (response, "expires_at", expires);
  json_object_set_boolean_member (response, "account_exists", account_exists (req, inv->email));
  qs_respond_object (req, 200, response);
}

/* Opens the transaction and finds the invitation by token or (the caller's)
 * by id inside it, so what decides the answer cannot change before the
 * write: of two racing answers, one wins and the other sees it used. */
static QsStoreTxn *
begin_with_invitation (QsRequest          *req,
                       const char         *token,
                       const char         *inv_id,
                       QsStoreInvitation **inv)
{
  g_autoptr(QsStoreTxn) txn = qs_store_begin (req->store, NULL);

  *inv = NULL;
  if (txn == NULL)
    {
      qs_respond_internal (req);
      return NULL;
    }
  *inv = token != NULL ? lookup_token (req, token)
                       : qs_store_invitation_for_address (req->store, inv_id, req->user_email, qs_now (), NULL);
  /* Found, its organization is held and it is read again: an answer
   * through another instance commits before, or waits for this one. */
  if (*inv != NULL)
    {
      g_autofree char *org_id = g_strdup ((*inv)->org_id);

      g_clear_pointer (inv, qs_store_invitation_free);
      if (!qs_store_organization_lock (req->store, org_id, NULL))
        {
          qs_respond_internal (req);
          return NULL;
        }
      *inv = token != NULL ? lookup_token (req, token)
                           : qs_store_invitation_for_address (req->store, inv_id, req->user_email, qs_now (), NULL);
    }
  if (!respond_unusable (req, *inv))
    {
      g_clear_pointer (inv, qs_store_invitation_free);
      return NULL;
    }
  return g_steal_pointer (&txn);
}

static void
accept_invitation (QsRequest  *req,
                   const char *token,
                   const char *inv_id)
{
  g_autoptr(QsStoreInvitation) inv = NULL;
  g_autoptr(QsStoreTxn) txn = NULL;
  g_autoptr(QsStoreMember) member = NULL;
  g_autoptr(JsonObject) response = json_object_new ();
  g_autoptr(GError) error = NULL;
  gint64 now = qs_now ();

  if (!(txn = begin_with_invitation (req, token, inv_id, &inv)))
    return;
  if (g_strcmp0 (req->user_email, inv->email) != 0)
    {
      qs_respond_error (req, 403, "email_mismatch",
                        "This invitation was sent to another e-mail address.");
      return;
    }
  member = qs_store_member_for_user (req->store, inv->org_id, req->user_id, &error);
  if (member != NULL)
    {
      qs_respond_error (req, 409, "already_member", "You are already a member.");
      return;
    }
  if (error != NULL ||
      (member = qs_store_invitation_accept (req->store, inv->id, req->user_id, now, NULL)) == NULL ||
      !audit_invitation (req, NULL, NULL, NULL, inv->org_id, inv->id, "invitation.accepted") ||
      !emit_member_added (req, member, now) ||
      !qs_store_txn_commit (txn, NULL))
    {
      qs_respond_internal (req);
      return;
    }

  json_object_set_object_member (response, "organization",
                                 qs_organization_json (req, inv->org_id, quorum_role_to_string (inv->role)));
  json_object_set_object_member (response, "member", qs_member_to_json (member));
  qs_respond_object (req, 200, response);
}

static void
decline_invitation (QsRequest  *req,
                    const char *token,
                    const char *inv_id)
{
  g_autoptr(QsStoreInvitation) inv = NULL;
  g_autoptr(QsStoreTxn) txn = NULL;

  if (!(txn = begin_with_invitation (req, token, inv_id, &inv)))
    return;
  /* By id the caller is signed in; by the link's token nobody is, and the
   * invitee is named by the invitation and its address. */
  qs_respond_committed (req, txn,
                        qs_store_invitation_decline (req->store, inv->id, NULL) &&
                        (token == NULL
                           ? audit_invitation (req, NULL, NULL, NULL, inv->org_id, inv->id, "invitation.declined")
                           : audit_invitation (req, "invitee", inv->id, inv->email, inv->org_id, inv->id,
                                               "invitation.declined")),
                        204);
}

void
qs_handle_invitation_accept (QsRequest *req)
{
  const char *token = qs_request_param (req, "token");
  accept_invitation (req, token, NULL);
}

void
qs_handle_my_invitation_accept (QsRequest *req)
{
  const char *inv_id = qs_request_param (req, "invitation_id");
  accept_invitation (req, NULL, inv_id);
}

void
qs_handle_my_invitation_decline (QsRequest *req)
{
  const char *inv_id = qs_request_param (req, "invitation_id");
  decline_invitation (req, NULL, inv_id);
}

void
qs_handle_invitation_decline (QsRequest *req)
{
  const char *token = qs_request_param (req, "token");
  decline_invitation (req, token, NULL);
}

typedef struct
{
  QsInvitationSetup  input;
  char              *token;
} Setup;

static void
setup_free (Setup *setup)
{
  qs_invitation_setup_clear (&setup->input);
  if (setup->token != NULL)
    sodium_memzero (setup->token, strlen (setup->token));
  g_free (setup->token);
  g_free (setup);
}

static void
respond_account_exists (QsRequest *req)
{
  qs_respond_error (req, 409, "account_exists", "An account exists for this e-mail; sign in and accept.");
}

static void
setup_hashed_cb (QsRequest              *req,
                 const QsPasswordResult *result,
                 gpointer                user_data)
{
  Setup *setup = user_data;
  g_autoptr(QsStoreInvitation) inv = NULL;
  g_autoptr(QsStoreTxn) txn = NULL;
  g_autoptr(QsStoreMember) member = NULL;
  g_autoptr(JsonObject) response = json_object_new ();
  g_autofree char *user_id = NULL;
  g_autoptr(QsStoreUser) existing = NULL;
  g_autofree char *session = NULL;
  gint64 now = qs_now ();
  gint64 expires_at;

  if (result->hash == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  /* The token may have been used, revoked, or the account made while the
   * password was hashed: decide again, inside the transaction. */
  if (!(txn = begin_with_invitation (req, setup->token, NULL, &inv)))
    return;
  if (account_exists (req, inv->email))
    {
      respond_account_exists (req);
      return;
    }

  /* A new account, verified (the link proves the inbox), or the take-over
   * of an old unverified one for the same address (account_exists () let
   * only a claimable one through). */
  existing = qs_store_user_by_email (req->store, inv->email, NULL);
  if (existing == NULL)
    user_id = qs_store_user_create (req->store, setup->input.name, inv->email, result->hash, TRUE, now, NULL);
  else if (qs_store_user_take_over (req->store, existing->id, setup->input.name, result->hash, NULL))
    user_id = g_strdup (existing->id);
  if (user_id == NULL ||
      /* A taken-over account may be a member already, with its role. */
      (member = qs_store_invitation_accept (req->store, inv->id, user_id, now, NULL)) == NULL ||
      !audit_invitation (req, "user", user_id, setup->input.name, inv->org_id, inv->id, "invitation.accepted") ||
      !emit_member_added (req, member, now) ||
      (session = qs_create_session (req, user_id, &expires_at)) == NULL ||
      !qs_store_txn_commit (txn, NULL))
    {
      qs_respond_internal (req);
      return;
    }

  qs_signin_trust (req, inv->email);
  json_object_set_object_member (response, "user", qs_user_json (req, user_id));
  qs_json_set_secret (req, response, "token", session);
  json_object_set_object_member (response, "organization",
                                 qs_organization_json (req, inv->org_id, quorum_role_to_string (member->role)));
  qs_respond_object (req, 201, response);
  sodium_memzero (session, strlen (session));
}

void
qs_handle_invitation_setup (QsRequest *req)
{
  const char *token = qs_request_param (req, "token");
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_autoptr(QsStoreInvitation) inv = NULL;
  Setup *setup;

  /* Early answers; the deciding checks run again after hashing. */
  if (!qs_rate_limit_auth (req) || !(inv = require_usable_token (req, token)))
    return;
  if (account_exists (req, inv->email))
    {
      respond_account_exists (req);
      return;
    }
  setup = g_new0 (Setup, 1);
  if (!qs_check_parse (req, qs_parse_invitation_setup (req->body, req->body_len, &setup->input, errors),
                       errors))
    {
      setup_free (setup);
      return;
    }
  setup->token = g_strdup (token);
  qs_password_hash_async (req, setup->input.password, setup_hashed_cb, setup, (GDestroyNotify) setup_free);
}

void
qs_handle_me_invitations (QsRequest *req)
{
  g_autoptr(JsonObject) response = json_object_new ();
  g_autoptr(GPtrArray) invitations = NULL;
  JsonArray *items;

  invitations = qs_store_invitations_pending_for_address (req->store, req->user_email, qs_now (), NULL);
  if (invitations == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  items = json_array_new ();
  json_object_set_array_member (response, "items", items);
  for (guint i = 0; i < invitations->len; i++)
    {
      QsStoreInvitation *inv = g_ptr_array_index (invitations, i);
      JsonObject *object = invitation_json (inv);

      json_object_set_object_member (object, "organization", invitation_organization_json (inv, TRUE));
      json_array_add_object_element (items, object);
    }
  json_object_set_null_member (response, "next_cursor");
  json_object_set_int_member (response, "total", json_array_get_length (items));
  qs_respond_object (req, 200, response);
}

/* "13 December 2026": English month names and the UTC date, whatever the
 * server's locale and time zone. */
static char *
invite_expiry_date (gint64 unix_seconds)
{
  static const char * const months[] = { "January", "February", "March", "April", "May", "June", "July",
                                         "August", "September", "October", "November", "December" };
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_seconds);

  if (dt == NULL)
    return g_strdup ("an unknown date");
  return g_strdup_printf ("%d %s %d", g_date_time_get_day_of_month (dt),
                          months[g_date_time_get_month (dt) - 1], g_date_time_get_year (dt));
}

void
qs_handle_invite_page (QsRequest *req)
{
  const char *token = qs_request_param (req, "token");
  g_autoptr(QsStoreInvitation) inv = NULL;
  g_autofree char *org = NULL;
  g_autofree char *inviter = NULL;
  g_autofree char *email = NULL;
  g_autofree char *slug = NULL;
  g_autofree char *server_escaped = NULL;
  g_autofree char *app_url = NULL;
  g_autofree char *app_url_attr = NULL;
  g_autofree char *get_app_attr = NULL;
  g_autofree char *expires = NULL;
  g_autofree char *content = NULL;
  const char *message;
  guint status;

  inv = lookup_token (req, token);
  switch (inv != NULL ? (int) inv->status : -1)
    {
    case QS_STORE_INVITATION_PENDING:
      break;
    case QS_STORE_INVITATION_EXPIRED:
      message = "This invitation has expired. Ask the person who invited you to send a new one.";
      status = 410;
      goto dead;
    case QS_STORE_INVITATION_REVOKED:
      message = "This invitation was withdrawn.";
      status = 410;
      goto dead;
    case QS_STORE_INVITATION_ACCEPTED:
    case QS_STORE_INVITATION_DECLINED:
      message = "This invitation was already used.";
      status = 410;
      goto dead;
    default:
      message = "This invitation link is not valid. Check that you copied the whole link.";
      status = 404;
      goto dead;
    }

  org = g_markup_escape_text (inv->org_name, -1);
  inviter = g_markup_escape_text (inv->inviter_name, -1);
  email = g_markup_escape_text (inv->email, -1);
  server_escaped = qs_uri_escape (req->server->public_url);
  app_url = g_strdup_printf ("quorum://invite/%s?server=%s", token, server_escaped);
  app_url_attr = g_markup_escape_text (app_url, -1);
  slug = g_markup_escape_text (inv->org_slug, -1);
  get_app_attr = g_markup_escape_text (req->server->config.get_app_url, -1);
  expires = invite_expiry_date (inv->expires_at);
  content = g_strdup_printf ("<h1>Join %s on Quorum</h1>"
                             "<p>%s invited <strong>%s</strong> to join <strong>%s</strong> (slug %s)"
                             " as %s.</p>"
                             "<p>This invitation expires on %s.</p>"
                             "<p class=\"muted\">Quorum did not check the organization's name: anyone can"
                             " create an organization with any name.</p>"
                             "<p>Already have Quorum? <a class=\"button\" href=\"%s\">Open in Quorum</a></p>"
                             "<p>New to Quorum? The invitation opens in the Quorum desktop app."
                             " <a href=\"%s\">Get Quorum</a>, then come back to this page.</p>",
                             org, inviter, email, org, slug,
                             qs_role_phrase (inv->role),
                             expires,
                             app_url_attr, get_app_attr);
  qs_respond_html (req, 200, "Invitation to Quorum", content);
  return;

dead:
  content = g_strdup_printf ("<h1>Invitation unavailable</h1><p>%s</p>", message);
  qs_respond_html (req, status, "Invitation unavailable", content);
}
