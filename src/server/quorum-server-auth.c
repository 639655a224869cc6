/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sodium.h>

#include "quorum-server-auth.h"
#include "quorum-server-http.h"
#include "quorum-server-state.h"

/* ------------------------------------------------------------------- auth */

static gboolean
authenticate (QsRequest *req,
              gboolean  *present)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg),
                                                     "Authorization");
  const char *token;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  *present = header != NULL;
  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    return FALSE;
  token = header + 7;
  while (*token == ' ')
    token++;
  if (!g_str_has_prefix (token, "qrm_s_") || strlen (token) > 256)
    return FALSE;

  qs_hash_token (token, req->token_hash);
  stmt = qs_db_prepare (req->db,
                        "SELECT s.token_hash, u.id, u.name, u.email FROM sessions s"
                        " JOIN users u ON u.id = s.user_id"
                        " WHERE s.token_hash = ?1 AND s.expires_at > ?2",
                        "bi", req->token_hash, (gsize) QS_TOKEN_HASH_LEN, qs_now ());
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW &&
      sqlite3_column_bytes (stmt, 0) == QS_TOKEN_HASH_LEN &&
      sodium_memcmp (sqlite3_column_blob (stmt, 0), req->token_hash, QS_TOKEN_HASH_LEN) == 0)
    {
      req->user_id = qs_stmt_dup_text (stmt, 1);
      req->user_name = qs_stmt_dup_text (stmt, 2);
      req->user_email = qs_stmt_dup_text (stmt, 3);
      ok = TRUE;
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return ok;
}

gboolean
qs_require_user (QsRequest *req)
{
  gboolean present;

  if (authenticate (req, &present))
    return TRUE;
  qs_respond_error (req, 401, "unauthenticated",
                    present ? "The token is not valid or has expired." : "Sign in first.");
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "WWW-Authenticate", "Bearer");
  return FALSE;
}

/* A request that may carry a token: a bad token is still 401. */
gboolean
qs_optional_user (QsRequest *req,
                  gboolean  *signed_in)
{
  gboolean present;

  *signed_in = authenticate (req, &present);
  if (!*signed_in && present)
    {
      qs_respond_error (req, 401, "unauthenticated", "The token is not valid or has expired.");
      return FALSE;
    }
  return TRUE;
}

/* BEGIN IMMEDIATE, then qs_require_membership () inside the transaction
 * (rolled back when it fails): for checks that decide a write. */
gboolean
qs_begin_membership (QsRequest        *req,
                     const char       *org_id,
                     QuorumPermission  permission,
                     QsMembership     *out)
{
  memset (out, 0, sizeof *out);
  if (!qs_db_begin (req->db))
    {
      qs_respond_internal (req);
      return FALSE;
    }
  if (!qs_require_membership (req, org_id, permission, out))
    {
      qs_db_rollback (req->db);
      return FALSE;
    }
  return TRUE;
}

/* Outsider → 404 (ids do not leak), suspended → 403 member_suspended, role
 * without the permission → 403 forbidden. */
gboolean
qs_require_membership (QsRequest        *req,
                       const char       *org_id,
                       QuorumPermission  permission,
                       QsMembership     *out)
{
  sqlite3_stmt *stmt;
  gint64 last_active = 0;
  gint64 now = qs_now ();

  memset (out, 0, sizeof *out);
  stmt = qs_db_prepare (req->db,
                        "SELECT id, role, status, last_active_at FROM members"
                        " WHERE org_id = ?1 AND user_id = ?2",
                        "ss", org_id, req->user_id);
  if (stmt == NULL)
    {
      qs_respond_internal (req);
      return FALSE;
    }
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      qs_respond_error (req, 404, "organization_not_found", "No such organization.");
      return FALSE;
    }
  out->org_id = g_strdup (org_id);
  out->member_id = qs_stmt_dup_text (stmt, 0);
  out->role = quorum_role_from_string (qs_stmt_text (stmt, 1));
  out->suspended = g_strcmp0 (qs_stmt_text (stmt, 2), "suspended") == 0;
  last_active = sqlite3_column_int64 (stmt, 3);
  sqlite3_reset (stmt);

  if (out->suspended)
    {
      qs_membership_clear (out);
      qs_respond_error (req, 403, "member_suspended",
                        "Your membership of this organization is suspended.");
      return FALSE;
    }
  if (!quorum_role_can (out->role, permission))
    {
      qs_membership_clear (out);
      qs_respond_error (req, 403, "forbidden", "Your role does not allow this.");
      return FALSE;
    }

  /* last_active_at, at most one write a minute per member. */
  if (now - last_active >= 60)
    qs_db_run (req->db, "UPDATE members SET last_active_at = ?1 WHERE id = ?2", "is",
               now, out->member_id);
  return TRUE;
}

/* --------------------------------------------------------- model helpers */

char *
qs_create_session (QsRequest  *req,
                   const char *user_id,
                   gint64     *expires_at)
{
  g_autofree char *token = qs_new_session_token ();
  guint8 hash[QS_TOKEN_HASH_LEN];
  gint64 now = qs_now ();

  qs_hash_token (token, hash);
  *expires_at = now + QS_SESSION_SECONDS;
  if (!qs_db_run (req->db,
                  "INSERT INTO sessions (token_hash, user_id, created_at, expires_at)"
                  " VALUES (?1, ?2, ?3, ?4)",
                  "bsii", hash, (gsize) QS_TOKEN_HASH_LEN, user_id, now, *expires_at))
    return NULL;
  return g_steal_pointer (&token);
}

