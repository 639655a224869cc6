/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sodium.h>

#include "quorum-server-private.h"

#define IDEMPOTENCY_KEY_MAX 255

static const char invitation_select[] =
  "SELECT i.id, i.email, i.role, i.status, i.invited_by, u.name, i.created_at, i.expires_at,"
  " i.last_sent_at, i.send_count, i.org_id"
  " FROM invitations i JOIN users u ON u.id = i.invited_by";

static JsonObject *
invitation_from_row (sqlite3_stmt *stmt)
{
  JsonObject *inv = json_object_new ();
  JsonObject *inviter = json_object_new ();
  const char *status = qs_stmt_text (stmt, 3);
  g_autofree char *created = qs_format_time (sqlite3_column_int64 (stmt, 6));
  g_autofree char *expires = qs_format_time (sqlite3_column_int64 (stmt, 7));
  g_autofree char *sent = qs_format_time (sqlite3_column_int64 (stmt, 8));

  if (g_strcmp0 (status, "pending") == 0 && sqlite3_column_int64 (stmt, 7) <= qs_now ())
    status = "expired";

  json_object_set_string_member (inv, "id", qs_stmt_text (stmt, 0));
  json_object_set_string_member (inv, "email", qs_stmt_text (stmt, 1));
  json_object_set_string_member (inv, "role", qs_stmt_text (stmt, 2));
  json_object_set_string_member (inv, "status", status);
  json_object_set_string_member (inviter, "id", qs_stmt_text (stmt, 4));
  json_object_set_string_member (inviter, "name", qs_stmt_text (stmt, 5));
  json_object_set_object_member (inv, "invited_by", inviter);
  json_object_set_string_member (inv, "created_at", created);
  json_object_set_string_member (inv, "expires_at", expires);
  json_object_set_string_member (inv, "last_sent_at", sent);
  json_object_set_int_member (inv, "send_count", sqlite3_column_int64 (stmt, 9));
  return inv;
}

static JsonObject *
invitation_json (QsRequest  *req,
                 const char *inv_id)
{
  g_autofree char *sql = g_strconcat (invitation_select, " WHERE i.id = ?1", NULL);
  sqlite3_stmt *stmt = qs_db_prepare (req->db, sql, "s", inv_id);
  JsonObject *inv = NULL;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    inv = invitation_from_row (stmt);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return inv;
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

/* Sends (writes to the outbox, hands to SMTP) the e-mail for an invitation. */
static gboolean
send_invitation (QsRequest  *req,
                 const char *inv_id,
                 const char *org_id,
                 const char *email,
                 const char *role,
                 const char *token,
                 gint64      expires_at)
{
  g_autofree char *org_name = NULL;
  g_autofree char *org_slug = NULL;
  sqlite3_stmt *stmt = qs_db_prepare (req->db, "SELECT name, slug FROM organizations WHERE id = ?1",
                                      "s", org_id);

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      org_name = qs_stmt_dup_text (stmt, 0);
      org_slug = qs_stmt_dup_text (stmt, 1);
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);
  if (org_name == NULL)
    return FALSE;

  if (!qs_mail_send_invitation (req->server, email, org_name, org_slug, req->user_name, req->user_email,
                                role, token, expires_at, inv_id))
    return FALSE;
  qs_invitation_sent (req, org_id);
  return TRUE;
}

void
qs_handle_invitations_list (QsRequest  *req,
                            const char *org_id)
{
  static const char * const statuses[] = { "pending", "accepted", "declined", "revoked", "expired", NULL };
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_auto(QsMembership) me = { 0 };
  g_autoptr(JsonObject) response = json_object_new ();
  g_autofree char *sql = NULL;
  g_autofree char *count_sql = NULL;
  g_autofree char *cursor_id = NULL;
  g_autofree char *last_id = NULL;
  const char *status = qs_query (req, "status");
  const char *limit_text = qs_query (req, "limit");
  const char *cursor = qs_query (req, "cursor");
  const char *filter = "";
  gint64 cursor_created = 0;
  gint64 last_created = 0;
  gint64 limit = 50;
  gint64 total;
  gint64 count = 0;
  gboolean more = FALSE;
  JsonArray *items;
  sqlite3_stmt *stmt;

  if (!qs_require_user (req) ||
      !qs_require_membership (req, org_id, QUORUM_PERMISSION_MANAGE_INVITATIONS, &me))
    return;

  if (status != NULL && *status != '\0')
    {
      if (!g_strv_contains (statuses, status))
        qs_field_errors_add (errors, "status", "invalid_choice",
                             "One of pending, accepted, declined, revoked, expired.");
      else if (strcmp (status, "pending") == 0)
        filter = " AND i.status = 'pending' AND i.expires_at > ?2";
      else if (strcmp (status, "expired") == 0)
        filter = " AND i.status = 'pending' AND i.expires_at <= ?2";
      else
        filter = " AND i.status = ?3";
    }
  if (limit_text != NULL && *limit_text != '\0')
    {
      guint64 value = 0;

      if (!g_ascii_string_to_unsigned (limit_text, 10, 1, G_MAXINT, &value, NULL))
        qs_field_errors_add (errors, "limit", "invalid", "A whole number from 1 to 200.");
      else
        limit = MIN ((gint64) value, 200);
    }
  if (cursor != NULL && *cursor != '\0' &&
      !qs_invitation_cursor_decode (cursor, &cursor_created, &cursor_id))
    qs_field_errors_add (errors, "cursor", "invalid", "This cursor is not valid.");
  if (errors->len > 0)
    {
      qs_respond_validation (req, errors);
      return;
    }

  count_sql = g_strconcat ("SELECT COUNT(*) FROM invitations i WHERE i.org_id = ?1", filter, NULL);
  total = qs_db_int (req->db, -1, count_sql, "sis", org_id, qs_now (), status);
  sql = g_strconcat (invitation_select, " WHERE i.org_id = ?1", filter,
                     cursor_id != NULL ? " AND (i.created_at, i.id) < (?4, ?5)" : "",
                     " ORDER BY i.created_at DESC, i.id DESC LIMIT ?6", NULL);
  stmt = qs_db_prepare (req->db, sql, "sisisi", org_id, qs_now (), status, cursor_created, cursor_id,
                        limit + 1);
  if (stmt == NULL || total < 0)
    {
      qs_respond_internal (req);
      return;
    }
  items = json_array_new ();
  json_object_set_array_member (response, "items", items);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (count == limit)
        {
          more = TRUE;
          break;
        }
      count++;
      json_array_add_object_element (items, invitation_from_row (stmt));
      last_created = sqlite3_column_int64 (stmt, 6);
      g_free (last_id);
      last_id = qs_stmt_dup_text (stmt, 0);
    }
  sqlite3_reset (stmt);
  if (more)
    {
      g_autofree char *next = qs_invitation_cursor_encode (last_created, last_id);
      json_object_set_string_member (response, "next_cursor", next);
    }
  else
    json_object_set_null_member (response, "next_cursor");
  json_object_set_int_member (response, "total", total);
  qs_respond_object (req, 200, response);
}

void
qs_handle_invitations_create (QsRequest  *req,
                              const char *org_id)
{
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_auto(QsInvitationCreate) input = { 0 };
  g_auto(QsMembership) me = { 0 };
  g_autofree char *inv_id = NULL;
  g_autofree char *token = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) inv = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *key = soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg),
                                                  "Idempotency-Key");
  guint8 body_hash[QS_STORE_TOKEN_HASH_LEN];
  guint8 token_hash[QS_TOKEN_HASH_LEN];
  gint64 now = qs_now ();
  gint64 expires_at = now + QS_INVITATION_SECONDS;

  if (!qs_require_user (req) ||
      !qs_require_membership (req, org_id, QUORUM_PERMISSION_MANAGE_INVITATIONS, &me))
    return;

  if (key != NULL)
    {
      g_autoptr(QsStoreIdempotent) earlier = NULL;

      if (*key == '\0' || strlen (key) > IDEMPOTENCY_KEY_MAX || !is_printable_ascii (key))
        {
          qs_field_errors_add (errors, "Idempotency-Key", "invalid", "1 to 255 ASCII characters.");
          qs_respond_validation (req, errors);
          return;
        }
      crypto_hash_sha256 (body_hash, (const guint8 *) req->body, req->body_len);
      earlier = qs_store_idempotent_find (req->store, req->user_id, org_id, key,
                                          now - QS_IDEMPOTENCY_SECONDS, NULL);
      if (earlier != NULL)
        {
          if (sodium_memcmp (earlier->body_hash, body_hash, sizeof body_hash) != 0)
            qs_respond_error (req, 409, "idempotency_key_reused",
                              "This Idempotency-Key was used with another request body.");
          else
            respond_json_text (req, earlier->status, earlier->response);
          return;
        }
    }

  if (!qs_check_parse (req, qs_parse_invitation_create (req->body, req->body_len, &input, errors), errors) ||
      !qs_invitation_send_allowed (req, org_id))
    return;

  /* The checks that decide the insert run inside its transaction. */
  if (!qs_db_begin (req->db))
    {
      qs_respond_internal (req);
      return;
    }
  if (qs_db_int (req->db, 0,
                 "SELECT COUNT(*) FROM members m JOIN users u ON u.id = m.user_id"
                 " WHERE m.org_id = ?1 AND u.email = ?2", "ss", org_id, input.email) > 0)
    {
      qs_db_rollback (req->db);
      qs_respond_error (req, 409, "already_member", "This person is already a member.");
      return;
    }
  if (qs_db_int (req->db, 0,
                 "SELECT COUNT(*) FROM invitations WHERE org_id = ?1 AND email = ?2"
                 " AND status = 'pending' AND expires_at > ?3", "ssi", org_id, input.email, now) > 0)
    {
      qs_db_rollback (req->db);
      qs_respond_error (req, 409, "already_invited", "A pending invitation for this address exists.");
      return;
    }
  if (req->server->config.pending_invitation_limit > 0 &&
      qs_db_int (req->db, 0,
                 "SELECT COUNT(*) FROM invitations WHERE org_id = ?1 AND status = 'pending' AND expires_at > ?2",
                 "si", org_id, now) >= req->server->config.pending_invitation_limit)
    {
      g_autofree char *detail = g_strdup_printf ("This organization has %u pending invitations, the most"
                                                 " allowed; revoke some or wait for answers.",
                                                 req->server->config.pending_invitation_limit);

      qs_db_rollback (req->db);
      qs_respond_error (req, 409, "too_many_pending_invitations", detail);
      return;
    }
  /* No plans yet, so no seat limit: seat_limit_reached never happens. */

  inv_id = qs_new_id ("inv_");
  token = qs_new_invitation_token ();
  qs_hash_token (token, token_hash);

  if (!qs_db_run (req->db,
                  "INSERT INTO invitations (id, org_id, email, role, status, token_hash, invited_by,"
                  " created_at, expires_at, last_sent_at, send_count)"
                  " VALUES (?1, ?2, ?3, ?4, 'pending', ?5, ?6, ?7, ?8, ?7, 1)",
                  "ssssbsii", inv_id, org_id, input.email, input.role,
                  token_hash, (gsize) QS_TOKEN_HASH_LEN, req->user_id, now, expires_at))
    {
      qs_respond_internal (req);
      return;
    }

  inv = invitation_json (req, inv_id);
  node = json_node_init_object (json_node_alloc (), inv);
  text = qs_json_to_string (node);

  if ((key != NULL &&
       !qs_store_idempotent_save (req->store, req->user_id, org_id, key, body_hash, 201, text, NULL)) ||
      !send_invitation (req, inv_id, org_id, input.email, input.role, token, expires_at) ||
      !qs_db_commit (req->db))
    {
      qs_respond_internal (req);
      sodium_memzero (token, strlen (token));
      return;
    }
  sodium_memzero (token, strlen (token));
  respond_json_text (req, 201, text);
}

/* Invitation of this organization, for resend and revoke. */
static gboolean
load_org_invitation (QsRequest   *req,
                     const char  *org_id,
                     const char  *inv_id,
                     char       **email,
                     char       **role)
{
  g_autofree char *status = NULL;
  sqlite3_stmt *stmt = qs_db_prepare (req->db,
                                      "SELECT status, email, role FROM invitations WHERE id = ?1 AND org_id = ?2",
                                      "ss", inv_id, org_id);

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      status = qs_stmt_dup_text (stmt, 0);
      *email = qs_stmt_dup_text (stmt, 1);
      *role = qs_stmt_dup_text (stmt, 2);
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);

  if (status == NULL)
    {
      qs_db_rollback (req->db);
      qs_respond_error (req, 404, "invitation_not_found", "No such invitation.");
      return FALSE;
    }
  if (strcmp (status, "pending") != 0)
    {
      qs_db_rollback (req->db);
      qs_respond_error (req, 409, "invitation_not_pending", "This invitation was already answered or revoked.");
      return FALSE;
    }
  return TRUE;
}

/* Opens the transaction in which load_org_invitation () decides. */
static gboolean
begin (QsRequest *req)
{
  if (qs_db_begin (req->db))
    return TRUE;
  qs_respond_internal (req);
  return FALSE;
}

void
qs_handle_invitation_resend (QsRequest  *req,
                             const char *org_id,
                             const char *inv_id)
{
  g_auto(QsMembership) me = { 0 };
  g_autofree char *email = NULL;
  g_autofree char *role = NULL;
  g_autofree char *token = NULL;
  g_autoptr(JsonObject) inv = NULL;
  guint8 token_hash[QS_TOKEN_HASH_LEN];
  gint64 now = qs_now ();
  gint64 expires_at = now + QS_INVITATION_SECONDS;

  if (!qs_require_user (req) ||
      !qs_require_membership (req, org_id, QUORUM_PERMISSION_MANAGE_INVITATIONS, &me) ||
      !qs_invitation_send_allowed (req, org_id) ||
      !begin (req) ||
      !load_org_invitation (req, org_id, inv_id, &email, &role))
    return;

  token = qs_new_invitation_token ();
  qs_hash_token (token, token_hash);
  if (!qs_db_run (req->db,
                  "UPDATE invitations SET token_hash = ?1, expires_at = ?2, last_sent_at = ?3,"
                  " send_count = send_count + 1 WHERE id = ?4",
                  "biis", token_hash, (gsize) QS_TOKEN_HASH_LEN, expires_at, now, inv_id) ||
      !send_invitation (req, inv_id, org_id, email, role, token, expires_at) ||
      !qs_db_commit (req->db))
    {
      sodium_memzero (token, strlen (token));
      qs_respond_internal (req);
      return;
    }
  sodium_memzero (token, strlen (token));
  inv = invitation_json (req, inv_id);
  qs_respond_object (req, 200, inv);
}

void
qs_handle_invitation_revoke (QsRequest  *req,
                             const char *org_id,
                             const char *inv_id)
{
  g_auto(QsMembership) me = { 0 };
  g_autofree char *email = NULL;
  g_autofree char *role = NULL;

  if (!qs_require_user (req) ||
      !qs_require_membership (req, org_id, QUORUM_PERMISSION_MANAGE_INVITATIONS, &me) ||
      !begin (req) ||
      !load_org_invitation (req, org_id, inv_id, &email, &role))
    return;
  if (!qs_db_run (req->db, "UPDATE invitations SET status = 'revoked' WHERE id = ?1", "s", inv_id) ||
      !qs_db_commit (req->db))
    {
      qs_respond_internal (req);
      return;
    }
  qs_respond_empty (req, 204);
}

/* ------------------------------------------------------- public, by token */

typedef struct
{
  char   *id;
  char   *org_id;
  char   *email;
  char   *role;
  char   *status;
  char   *inviter_name;
  char   *org_name;
  char   *org_slug;
  char   *org_logo_url;
  gint64  expires_at;
} QsTokenInvitation;

static void
token_invitation_clear (QsTokenInvitation *t)
{
  g_free (t->id);
  g_free (t->org_id);
  g_free (t->email);
  g_free (t->role);
  g_free (t->status);
  g_free (t->inviter_name);
  g_free (t->org_name);
  g_free (t->org_slug);
  g_free (t->org_logo_url);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QsTokenInvitation, token_invitation_clear)

typedef enum
{
  TOKEN_USABLE,
  TOKEN_NOT_FOUND,
  TOKEN_EXPIRED,
  TOKEN_REVOKED,
  TOKEN_USED,
} TokenState;

static TokenState
lookup_token (QsRequest         *req,
              const char        *token,
              QsTokenInvitation *out)
{
  guint8 hash[QS_TOKEN_HASH_LEN];
  sqlite3_stmt *stmt;
  gsize len = strlen (token);

  memset (out, 0, sizeof *out);
  if (len < 20 || len > 128 || strspn (token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != len)
    return TOKEN_NOT_FOUND;

  qs_hash_token (token, hash);
  stmt = qs_db_prepare (req->db,
                        "SELECT i.id, i.org_id, i.email, i.role, i.status, u.name, o.name, o.slug,"
                        " o.logo_url, i.expires_at, i.token_hash"
                        " FROM invitations i JOIN users u ON u.id = i.invited_by"
                        " JOIN organizations o ON o.id = i.org_id WHERE i.token_hash = ?1",
                        "b", hash, (gsize) QS_TOKEN_HASH_LEN);
  if (stmt == NULL)
    return TOKEN_NOT_FOUND;
  if (sqlite3_step (stmt) != SQLITE_ROW ||
      sqlite3_column_bytes (stmt, 10) != QS_TOKEN_HASH_LEN ||
      sodium_memcmp (sqlite3_column_blob (stmt, 10), hash, QS_TOKEN_HASH_LEN) != 0)
    {
      sqlite3_reset (stmt);
      return TOKEN_NOT_FOUND;
    }
  out->id = qs_stmt_dup_text (stmt, 0);
  out->org_id = qs_stmt_dup_text (stmt, 1);
  out->email = qs_stmt_dup_text (stmt, 2);
  out->role = qs_stmt_dup_text (stmt, 3);
  out->status = qs_stmt_dup_text (stmt, 4);
  out->inviter_name = qs_stmt_dup_text (stmt, 5);
  out->org_name = qs_stmt_dup_text (stmt, 6);
  out->org_slug = qs_stmt_dup_text (stmt, 7);
  out->org_logo_url = qs_stmt_dup_text (stmt, 8);
  out->expires_at = sqlite3_column_int64 (stmt, 9);
  sqlite3_reset (stmt);

  if (strcmp (out->status, "revoked") == 0)
    return TOKEN_REVOKED;
  if (strcmp (out->status, "pending") != 0)
    return TOKEN_USED;
  if (out->expires_at <= qs_now ())
    return TOKEN_EXPIRED;
  return TOKEN_USABLE;
}

static gboolean
respond_token_state (QsRequest  *req,
                     TokenState  state)
{
  switch (state)
    {
    case TOKEN_USABLE:
      return TRUE;
    case TOKEN_EXPIRED:
      qs_respond_error (req, 410, "invitation_expired", "This invitation has expired.");
      return FALSE;
    case TOKEN_REVOKED:
      qs_respond_error (req, 410, "invitation_revoked", "This invitation was revoked.");
      return FALSE;
    case TOKEN_USED:
      qs_respond_error (req, 410, "invitation_used", "This invitation was already used.");
      return FALSE;
    case TOKEN_NOT_FOUND:
    default:
      qs_respond_error (req, 404, "invitation_not_found", "No such invitation.");
      return FALSE;
    }
}

static gboolean
require_usable_token (QsRequest         *req,
                      const char        *token,
                      QsTokenInvitation *out)
{
  return respond_token_state (req, lookup_token (req, token, out));
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
qs_handle_public_invitation (QsRequest  *req,
                             const char *token)
{
  g_auto(QsTokenInvitation) inv = { 0 };
  g_autoptr(JsonObject) response = json_object_new ();
  g_autofree char *expires = NULL;
  JsonObject *org;

  if (!require_usable_token (req, token, &inv))
    return;

  org = json_object_new ();
  json_object_set_string_member (org, "name", inv.org_name);
  json_object_set_string_member (org, "slug", inv.org_slug);
  if (inv.org_logo_url != NULL)
    json_object_set_string_member (org, "logo_url", inv.org_logo_url);
  else
    json_object_set_null_member (org, "logo_url");
  json_object_set_object_member (response, "organization", org);
  json_object_set_string_member (response, "inviter_name", inv.inviter_name);
  json_object_set_string_member (response, "email", inv.email);
  json_object_set_string_member (response, "role", inv.role);
  expires = qs_format_time (inv.expires_at);
  json_object_set_string_member (response, "expires_at", expires);
  json_object_set_boolean_member (response, "account_exists", account_exists (req, inv.email));
  qs_respond_object (req, 200, response);
}

/* An invitation addressed to the signed-in user, by id: anything else,
 * including someone else's invitation, is not found. */
static TokenState
lookup_my_invitation (QsRequest         *req,
                      const char        *inv_id,
                      QsTokenInvitation *out)
{
  sqlite3_stmt *stmt;
  TokenState state = TOKEN_NOT_FOUND;

  memset (out, 0, sizeof *out);
  stmt = qs_db_prepare (req->db,
                        "SELECT i.id, i.org_id, i.email, i.role, i.status, u.name, o.name, o.slug,"
                        " o.logo_url, i.expires_at"
                        " FROM invitations i JOIN users u ON u.id = i.invited_by"
                        " JOIN organizations o ON o.id = i.org_id WHERE i.id = ?1 AND i.email = ?2",
                        "ss", inv_id, req->user_email);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      out->id = qs_stmt_dup_text (stmt, 0);
      out->org_id = qs_stmt_dup_text (stmt, 1);
      out->email = qs_stmt_dup_text (stmt, 2);
      out->role = qs_stmt_dup_text (stmt, 3);
      out->status = qs_stmt_dup_text (stmt, 4);
      out->inviter_name = qs_stmt_dup_text (stmt, 5);
      out->org_name = qs_stmt_dup_text (stmt, 6);
      out->org_slug = qs_stmt_dup_text (stmt, 7);
      out->org_logo_url = qs_stmt_dup_text (stmt, 8);
      out->expires_at = sqlite3_column_int64 (stmt, 9);
      if (strcmp (out->status, "revoked") == 0)
        state = TOKEN_REVOKED;
      else if (strcmp (out->status, "pending") != 0)
        state = TOKEN_USED;
      else if (out->expires_at <= qs_now ())
        state = TOKEN_EXPIRED;
      else
        state = TOKEN_USABLE;
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return state;
}

/* Opens the transaction and finds the invitation by token or (the caller's)
 * by id inside it, so what decides the answer cannot change before the
 * write: of two racing answers, one wins and the other sees it used. */
static gboolean
begin_with_invitation (QsRequest         *req,
                       const char        *token,
                       const char        *inv_id,
                       QsTokenInvitation *inv)
{
  TokenState state;

  memset (inv, 0, sizeof *inv);
  if (!qs_db_begin (req->db))
    {
      qs_respond_internal (req);
      return FALSE;
    }
  state = token != NULL ? lookup_token (req, token, inv) : lookup_my_invitation (req, inv_id, inv);
  if (state != TOKEN_USABLE)
    {
      qs_db_rollback (req->db);
      respond_token_state (req, state);
      return FALSE;
    }
  return TRUE;
}

static void
accept_invitation (QsRequest  *req,
                   const char *token,
                   const char *inv_id)
{
  g_auto(QsTokenInvitation) inv = { 0 };
  g_autoptr(JsonObject) response = json_object_new ();
  g_autofree char *member_id = NULL;
  gint64 now = qs_now ();

  if (!begin_with_invitation (req, token, inv_id, &inv))
    return;
  if (g_strcmp0 (req->user_email, inv.email) != 0)
    {
      qs_db_rollback (req->db);
      qs_respond_error (req, 403, "email_mismatch",
                        "This invitation was sent to another e-mail address.");
      return;
    }
  if (qs_db_int (req->db, 0, "SELECT COUNT(*) FROM members WHERE org_id = ?1 AND user_id = ?2",
                 "ss", inv.org_id, req->user_id) > 0)
    {
      qs_db_rollback (req->db);
      qs_respond_error (req, 409, "already_member", "You are already a member.");
      return;
    }

  if ((member_id = qs_insert_member (req->db, inv.org_id, req->user_id, inv.role, "active", now, now)) == NULL ||
      !qs_db_run (req->db, "UPDATE invitations SET status = 'accepted' WHERE id = ?1", "s", inv.id) ||
      !qs_db_commit (req->db))
    {
      qs_respond_internal (req);
      return;
    }

  json_object_set_object_member (response, "organization", qs_organization_json (req, inv.org_id, inv.role));
  json_object_set_object_member (response, "member", qs_member_json (req, member_id));
  qs_respond_object (req, 200, response);
}

static void
decline_invitation (QsRequest  *req,
                    const char *token,
                    const char *inv_id)
{
  g_auto(QsTokenInvitation) inv = { 0 };

  if (!begin_with_invitation (req, token, inv_id, &inv))
    return;
  if (!qs_db_run (req->db, "UPDATE invitations SET status = 'declined' WHERE id = ?1", "s", inv.id) ||
      !qs_db_commit (req->db))
    {
      qs_respond_internal (req);
      return;
    }
  qs_respond_empty (req, 204);
}

void
qs_handle_invitation_accept (QsRequest  *req,
                             const char *token)
{
  if (!qs_require_user (req))
    return;
  accept_invitation (req, token, NULL);
}

void
qs_handle_my_invitation_accept (QsRequest  *req,
                                const char *inv_id)
{
  if (!qs_require_user (req) || !qs_require_verified_email (req))
    return;
  accept_invitation (req, NULL, inv_id);
}

void
qs_handle_my_invitation_decline (QsRequest  *req,
                                 const char *inv_id)
{
  if (!qs_require_user (req) || !qs_require_verified_email (req))
    return;
  decline_invitation (req, NULL, inv_id);
}

void
qs_handle_invitation_decline (QsRequest  *req,
                              const char *token)
{
  decline_invitation (req, token, NULL);
}

/* The role user_id has in the invitation's organization once set-up joins
 * it: a taken-over account may already be a member. */
static char *
join_for_setup (QsDb                    *db,
                const QsTokenInvitation *inv,
                const char              *user_id,
                gint64                   now)
{
  g_autofree char *member_id = NULL;
  sqlite3_stmt *stmt = qs_db_prepare (db, "SELECT role FROM members WHERE org_id = ?1 AND user_id = ?2",
                                      "ss", inv->org_id, user_id);
  char *role = NULL;

  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    role = qs_stmt_dup_text (stmt, 0);
  sqlite3_reset (stmt);
  if (role != NULL)
    return role;
  member_id = qs_insert_member (db, inv->org_id, user_id, inv->role, "active", now, now);
  return member_id != NULL ? g_strdup (inv->role) : NULL;
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
  g_auto(QsTokenInvitation) inv = { 0 };
  g_autoptr(JsonObject) response = json_object_new ();
  g_autofree char *user_id = NULL;
  g_autoptr(QsStoreUser) existing = NULL;
  g_autofree char *role = NULL;
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
  if (!begin_with_invitation (req, setup->token, NULL, &inv))
    return;
  if (account_exists (req, inv.email))
    {
      qs_db_rollback (req->db);
      respond_account_exists (req);
      return;
    }

  /* A new account, verified (the link proves the inbox), or the take-over
   * of an old unverified one for the same address (account_exists () let
   * only a claimable one through). */
  existing = qs_store_user_by_email (req->store, inv.email, NULL);
  if (existing == NULL)
    user_id = qs_store_user_create (req->store, setup->input.name, inv.email, result->hash, TRUE, now, NULL);
  else if (qs_store_user_take_over (req->store, existing->id, setup->input.name, result->hash, NULL))
    user_id = g_strdup (existing->id);
  if (user_id == NULL ||
      (role = join_for_setup (req->db, &inv, user_id, now)) == NULL ||
      !qs_db_run (req->db, "UPDATE invitations SET status = 'accepted' WHERE id = ?1", "s", inv.id) ||
      (session = qs_create_session (req, user_id, &expires_at)) == NULL ||
      !qs_db_commit (req->db))
    {
      qs_respond_internal (req);
      return;
    }

  qs_signin_trust (req, inv.email);
  json_object_set_object_member (response, "user", qs_user_json (req, user_id));
  json_object_set_string_member (response, "token", session);
  json_object_set_object_member (response, "organization", qs_organization_json (req, inv.org_id, role));
  qs_respond_object (req, 201, response);
  sodium_memzero (session, strlen (session));
}

void
qs_handle_invitation_setup (QsRequest  *req,
                            const char *token)
{
  g_autoptr(GPtrArray) errors = qs_field_errors_new ();
  g_auto(QsTokenInvitation) inv = { 0 };
  Setup *setup;

  /* Early answers; the deciding checks run again after hashing. */
  if (!qs_rate_limit_auth (req) || !require_usable_token (req, token, &inv))
    return;
  if (account_exists (req, inv.email))
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
  g_autofree char *sql = NULL;
  JsonArray *items;
  sqlite3_stmt *stmt;

  if (!qs_require_user (req) || !qs_require_verified_email (req))
    return;

  sql = g_strconcat ("SELECT i.id, i.email, i.role, i.status, i.invited_by, u.name, i.created_at, i.expires_at,"
                     " i.last_sent_at, i.send_count, i.org_id, o.name, o.slug, o.logo_url"
                     " FROM invitations i JOIN users u ON u.id = i.invited_by"
                     " JOIN organizations o ON o.id = i.org_id"
                     " WHERE i.email = ?1 AND i.status = 'pending' AND i.expires_at > ?2"
                     " ORDER BY i.created_at DESC, i.id LIMIT 200", NULL);
  stmt = qs_db_prepare (req->db, sql, "si", req->user_email, qs_now ());
  if (stmt == NULL)
    {
      qs_respond_internal (req);
      return;
    }
  items = json_array_new ();
  json_object_set_array_member (response, "items", items);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      JsonObject *inv = invitation_from_row (stmt);
      JsonObject *org = json_object_new ();

      json_object_set_string_member (org, "id", qs_stmt_text (stmt, 10));
      json_object_set_string_member (org, "name", qs_stmt_text (stmt, 11));
      json_object_set_string_member (org, "slug", qs_stmt_text (stmt, 12));
      if (sqlite3_column_type (stmt, 13) == SQLITE_NULL)
        json_object_set_null_member (org, "logo_url");
      else
        json_object_set_string_member (org, "logo_url", qs_stmt_text (stmt, 13));
      json_object_set_object_member (inv, "organization", org);
      json_array_add_object_element (items, inv);
    }
  sqlite3_reset (stmt);
  json_object_set_null_member (response, "next_cursor");
  json_object_set_int_member (response, "total", json_array_get_length (items));
  qs_respond_object (req, 200, response);
}

/* ------------------------------------------------------------- HTML page */

void
qs_respond_html (QsRequest  *req,
                 guint       status,
                 const char *title,
                 const char *content,
                 gboolean    form)
{
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);
  char *html = g_strdup_printf (
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    "<title>%s</title><style>"
    "body{font-family:Cantarell,system-ui,sans-serif;background:#fafafa;color:#222;margin:0}"
    "main{max-width:32rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:12px;"
    "box-shadow:0 1px 3px rgba(0,0,0,.15)}"
    "a.button{display:inline-block;padding:.7rem 1.4rem;background:#3584e4;color:#fff;"
    "border-radius:8px;text-decoration:none;font-weight:bold}"
    "button{padding:.7rem 1.4rem;background:#3584e4;color:#fff;border:0;border-radius:8px;"
    "font:inherit;font-weight:bold;cursor:pointer}"
    "input{font:inherit;padding:.4rem;width:100%%;box-sizing:border-box}"
    ".error{color:#c01c28}"
    ".muted{color:#666}</style></head><body><main>%s</main></body></html>\n",
    escaped_title, content);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Content-Security-Policy",
                                form ? "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https:;"
                                       " form-action 'self'; frame-ancestors 'none'"
                                     : "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https:");
  if (form)
    soup_message_headers_replace (headers, "X-Frame-Options", "DENY");
  soup_server_message_set_status (req->msg, status, NULL);
  soup_server_message_set_response (req->msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE, html, strlen (html));
}

void
qs_handle_invite_page (QsRequest  *req,
                       const char *token)
{
  g_auto(QsTokenInvitation) inv = { 0 };
  g_autofree char *org = NULL;
  g_autofree char *inviter = NULL;
  g_autofree char *email = NULL;
  g_autofree char *slug = NULL;
  g_autofree char *server_escaped = NULL;
  g_autofree char *app_url = NULL;
  g_autofree char *app_url_attr = NULL;
  g_autofree char *content = NULL;
  const char *message;
  guint status;

  switch (lookup_token (req, token, &inv))
    {
    case TOKEN_USABLE:
      break;
    case TOKEN_EXPIRED:
      message = "This invitation has expired. Ask the person who invited you to send a new one.";
      status = 410;
      goto dead;
    case TOKEN_REVOKED:
      message = "This invitation was withdrawn.";
      status = 410;
      goto dead;
    case TOKEN_USED:
      message = "This invitation was already used.";
      status = 410;
      goto dead;
    case TOKEN_NOT_FOUND:
    default:
      message = "This invitation link is not valid. Check that you copied the whole link.";
      status = 404;
      goto dead;
    }

  org = g_markup_escape_text (inv.org_name, -1);
  inviter = g_markup_escape_text (inv.inviter_name, -1);
  email = g_markup_escape_text (inv.email, -1);
  server_escaped = qs_uri_escape (req->server->public_url);
  app_url = g_strdup_printf ("quorum://invite/%s?server=%s", token, server_escaped);
  app_url_attr = g_markup_escape_text (app_url, -1);
  slug = g_markup_escape_text (inv.org_slug, -1);
  content = g_strdup_printf ("<h1>Join %s on Quorum</h1>"
                             "<p>%s invited <strong>%s</strong> to join <strong>%s</strong> (slug %s)"
                             " as %s.</p>"
                             "<p class=\"muted\">Quorum did not check the organization's name: anyone can"
                             " create an organization with any name.</p>"
                             "<p><a class=\"button\" href=\"%s\">Open in Quorum</a></p>"
                             "<p class=\"muted\">Opening the link needs the Quorum desktop app.</p>",
                             org, inviter, email, org, slug,
                             g_strcmp0 (inv.role, "admin") == 0 ? "an admin" : "a member",
                             app_url_attr);
  qs_respond_html (req, 200, "Invitation to Quorum", content, FALSE);
  return;

dead:
  content = g_strdup_printf ("<h1>Invitation unavailable</h1><p>%s</p>", message);
  qs_respond_html (req, status, "Invitation unavailable", content, FALSE);
}
