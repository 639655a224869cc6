/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-server-auth.h"
#include "quorum-server-http.h"
#include "quorum-server-model.h"
#include "quorum-server-state.h"

/* ------------------------------------------------------------------- auth */

/* An API key: looked up by the SHA-256 of the whole secret, compared again
 * in constant time, unexpired, and its creator still an active member of
 * its organization whose role may manage developers (read in the same
 * query, so the very next request after a suspension, demotion or removal
 * is refused; the key comes back with its creator). last_used_at is written
 * at most once a minute per key, so key traffic does not turn reads into
 * writes. */
static gboolean
authenticate_key (QsRequest  *req,
                  const char *token,
                  gboolean   *creator_lost)
{
  gint64 now = qs_now ();

  if (!qs_email_token_is_well_formed (token, "qrm_k_"))
    return FALSE;
  qs_hash_token (token, req->token_hash);
  req->api_key = qs_store_api_key_by_hash (req->store, req->token_hash, now, NULL);
  if (req->api_key == NULL)
    return FALSE;
  if (qs_api_key_inactive_reason (req->api_key) != NULL)
    {
      g_clear_pointer (&req->api_key, qs_store_api_key_free);
      *creator_lost = TRUE;
      return FALSE;
    }
  if (now - req->api_key->last_used_at >= QS_API_KEY_USE_RESOLUTION &&
      qs_store_api_key_touch (req->store, req->api_key->id, now, NULL))
    {
      req->api_key->last_used_at = now;
      /* A key acts for the member who created it: their last_active_at
       * (itself written at most once per 5 minutes). */
      qs_store_member_touch_user (req->store, req->api_key->org_id, req->api_key->created_by, now, NULL);
    }
  return TRUE;
}

static gboolean
authenticate (QsRequest *req,
              gboolean  *present,
              gboolean  *creator_lost)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg),
                                                     "Authorization");
  const char *token;
  g_autoptr(QsStoreUser) user = NULL;

  *present = header != NULL;
  *creator_lost = FALSE;
  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    return FALSE;
  token = header + 7;
  while (*token == ' ')
    token++;
  if (g_str_has_prefix (token, "qrm_k_"))
    return authenticate_key (req, token, creator_lost);
  if (!g_str_has_prefix (token, "qrm_s_") || strlen (token) > 256)
    return FALSE;

  qs_hash_token (token, req->token_hash);
  user = qs_store_session_user (req->store, req->token_hash, NULL);
  if (user == NULL)
    return FALSE;
  req->user_id = g_steal_pointer (&user->id);
  req->user_name = g_steal_pointer (&user->name);
  req->user_email = g_steal_pointer (&user->email);
  return TRUE;
}

/* The 401's words: a key whose creator lost access says so, and no more
 * (not whether they were suspended, demoted or removed). */
static const char *
unauthenticated_message (gboolean present,
                         gboolean creator_lost)
{
  if (creator_lost)
    return "This API key's creator no longer has access to the organization.";
  return present ? "The token is not valid or has expired." : "Sign in first.";
}

static void
respond_unauthenticated (QsRequest *req,
                         gboolean   present,
                         gboolean   creator_lost)
{
  qs_respond_error (req, 401, "unauthenticated", unauthenticated_message (present, creator_lost));
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "WWW-Authenticate", "Bearer");
}

gboolean
qs_require_user (QsRequest *req)
{
  gboolean present, creator_lost;

  if (authenticate (req, &present, &creator_lost))
    return TRUE;
  respond_unauthenticated (req, present, creator_lost);
  return FALSE;
}

/* A request that may carry a token: a bad token is still 401; an API key
 * is no person, so what these routes do with a signed-in user (accept,
 * decline) is not for it: 403. */
gboolean
qs_optional_user (QsRequest *req,
                  gboolean  *signed_in)
{
  gboolean present, creator_lost;

  *signed_in = authenticate (req, &present, &creator_lost);
  if (!*signed_in && present)
    {
      qs_respond_error (req, 401, "unauthenticated", unauthenticated_message (present, creator_lost));
      return FALSE;
    }
  if (req->api_key != NULL)
    {
      qs_respond_api_key_forbidden (req);
      return FALSE;
    }
  return TRUE;
}

void
qs_respond_api_key_forbidden (QsRequest *req)
{
  qs_respond_error (req, 403, "forbidden", "API keys cannot do this; sign in.");
}

/* An API key acts in its own organization as an admin would, within its
 * scopes (checked by the route table): a member record of its own, never
 * stored. */
static QsStoreMember *
api_key_membership (QsRequest  *req,
                    const char *org_id)
{
  QsStoreMember *me;

  if (strcmp (org_id, req->api_key->org_id) != 0)
    {
      qs_respond_error (req, 404, "organization_not_found", "No such organization.");
      return NULL;
    }
  me = g_new0 (QsStoreMember, 1);
  me->id = g_strdup (req->api_key->id);
  me->org_id = g_strdup (org_id);
  me->user_id = g_strdup ("");
  me->name = g_strdup (req->api_key->name);
  me->email = g_strdup ("");
  me->role = QUORUM_ROLE_ADMIN;
  me->status = QS_STORE_MEMBER_ACTIVE;
  me->joined_at = req->api_key->created_at;
  return me;
}

/* Outsider → 404 (ids do not leak), suspended → 403 member_suspended, role
 * without the permission → 403 forbidden. */
QsStoreMember *
qs_require_membership (QsRequest        *req,
                       const char       *org_id,
                       QuorumPermission  permission)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QsStoreMember) me = NULL;
  gint64 now = qs_now ();

  if (req->api_key != NULL)
    {
      me = api_key_membership (req, org_id);
      if (me != NULL && !quorum_role_can (me->role, permission))
        {
          qs_respond_api_key_forbidden (req);
          return NULL;
        }
      return g_steal_pointer (&me);
    }
  me = qs_store_member_for_user (req->store, org_id, req->user_id, &error);
  if (error != NULL)
    {
      qs_respond_internal (req);
      return NULL;
    }
  if (me == NULL)
    {
      qs_respond_error (req, 404, "organization_not_found", "No such organization.");
      return NULL;
    }
  if (me->status == QS_STORE_MEMBER_SUSPENDED)
    {
      qs_respond_error (req, 403, "member_suspended",
                        "Your membership of this organization is suspended.");
      return NULL;
    }
  if (!quorum_role_can (me->role, permission))
    {
      qs_respond_error (req, 403, "forbidden", "Your role does not allow this.");
      return NULL;
    }

  qs_store_member_touch (req->store, me, now, NULL);
  return g_steal_pointer (&me);
}

static gboolean recheck_caller (QsRequest *req);

/* A transaction holding the organization (qs_store_organization_lock ()),
 * then (after the caller again when recheck) the membership check inside
 * it. NULL when answered. */
static QsStoreTxn *
begin_membership (QsRequest         *req,
                  const char        *org_id,
                  QuorumPermission   permission,
                  gboolean           recheck,
                  QsStoreMember    **me)
{
  g_autoptr(QsStoreTxn) txn = qs_store_begin (req->store, NULL);

  *me = NULL;
  /* The organization first: another instance's write to it waits, or this
   * one does (docs/server.md, "PostgreSQL: state"). */
  if (txn == NULL || !qs_store_organization_lock (req->store, org_id, NULL))
    {
      qs_respond_internal (req);
      return NULL;
    }
  if (recheck && !recheck_caller (req))
    return NULL;
  *me = qs_require_membership (req, org_id, permission);
  return *me != NULL ? g_steal_pointer (&txn) : NULL;
}

/* A transaction, then qs_require_membership () inside it: for checks that
 * decide a write. NULL when answered. */
QsStoreTxn *
qs_begin_membership (QsRequest         *req,
                     const char        *org_id,
                     QuorumPermission   permission,
                     QsStoreMember    **me)
{
  return begin_membership (req, org_id, permission, FALSE, me);
}

/* The caller of req again, inside the transaction in progress: the same
 * user for a session, a key still valid (reloaded) for a key. */
static gboolean
recheck_caller (QsRequest *req)
{
  g_autoptr(GError) error = NULL;
  gboolean lost = FALSE;

  if (req->api_key != NULL)
    {
      QsStoreApiKey *key = qs_store_api_key_by_hash (req->store, req->token_hash, qs_now (), &error);

      lost = key != NULL && qs_api_key_inactive_reason (key) != NULL;
      if (key != NULL && !lost)
        {
          qs_store_api_key_free (req->api_key);
          req->api_key = key;
          return TRUE;
        }
      g_clear_pointer (&key, qs_store_api_key_free);
    }
  else
    {
      g_autoptr(QsStoreUser) user = qs_store_session_user (req->store, req->token_hash, &error);

      if (user != NULL && g_strcmp0 (user->id, req->user_id) == 0)
        return TRUE;
    }
  if (error != NULL)
    qs_respond_internal (req);
  else
    respond_unauthenticated (req, TRUE, lost);
  return FALSE;
}

QsStoreTxn *
qs_begin_membership_after_pause (QsRequest         *req,
                                 const char        *org_id,
                                 QuorumPermission   permission,
                                 QsStoreMember    **me)
{
  return begin_membership (req, org_id, permission, TRUE, me);
}

/* --------------------------------------------------------- model helpers */

char *
qs_create_session (QsRequest  *req,
                   const char *user_id,
                   gint64     *expires_at)
{
  g_autofree char *token = qs_new_session_token ();
  guint8 hash[QS_TOKEN_HASH_LEN];

  qs_hash_token (token, hash);
  *expires_at = qs_now () + QS_SESSION_SECONDS;
  if (!qs_store_session_create (req->store, hash, user_id, *expires_at, NULL))
    return NULL;
  return g_steal_pointer (&token);
}
