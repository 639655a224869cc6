/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sodium.h>
#include <glib/gstdio.h>

#include "quorum-server-private.h"

typedef struct
{
  gint64 window_start;
  guint  count;
} QsRateWindow;

#define RATE_WINDOW_SECONDS 60

/* ---------------------------------------------------------------- responses */

char *
qs_json_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static void
set_common_headers (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
}

static void
respond_body (SoupServerMessage *msg,
              guint              status,
              const char        *content_type,
              char              *body)
{
  set_common_headers (msg);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, body, strlen (body));
}

void
qs_respond_json (QsRequest *req,
                 guint      status,
                 JsonNode  *node)
{
  respond_body (req->msg, status, "application/json", qs_json_to_string (node));
}

void
qs_respond_object (QsRequest  *req,
                   guint       status,
                   JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  qs_respond_json (req, status, node);
}

void
qs_respond_empty (QsRequest *req,
                  guint      status)
{
  set_common_headers (req->msg);
  soup_server_message_set_status (req->msg, status, NULL);
}

static JsonObject *
problem_object (guint       status,
                const char *code,
                const char *detail)
{
  JsonObject *problem = json_object_new ();

  json_object_set_string_member (problem, "type", "about:blank");
  json_object_set_string_member (problem, "title", soup_status_get_phrase (status));
  json_object_set_int_member (problem, "status", status);
  json_object_set_string_member (problem, "detail", detail);
  json_object_set_string_member (problem, "code", code);
  return problem;
}

static void
respond_problem (SoupServerMessage *msg,
                 guint              status,
                 JsonObject        *problem)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), problem);

  respond_body (msg, status, "application/problem+json", qs_json_to_string (node));
}

static void
msg_respond_error (SoupServerMessage *msg,
                   guint              status,
                   const char        *code,
                   const char        *detail)
{
  g_autoptr(JsonObject) problem = problem_object (status, code, detail);

  respond_problem (msg, status, problem);
}

void
qs_respond_error (QsRequest  *req,
                  guint       status,
                  const char *code,
                  const char *detail)
{
  msg_respond_error (req->msg, status, code, detail);
}

void
qs_respond_validation (QsRequest *req,
                       GPtrArray *errors)
{
  g_autoptr(JsonObject) problem = problem_object (422, "validation_failed",
                                                  "Some fields are not valid.");
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < errors->len; i++)
    {
      QsFieldError *error = g_ptr_array_index (errors, i);
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "field", error->field);
      json_object_set_string_member (item, "code", error->code);
      json_object_set_string_member (item, "message", error->message);
      json_array_add_object_element (array, item);
    }
  json_object_set_array_member (problem, "errors", array);
  respond_problem (req->msg, 422, problem);
}

void
qs_respond_internal (QsRequest *req)
{
  qs_respond_error (req, 500, "internal_error", "The server could not complete the request.");
}

gboolean
qs_check_parse (QsRequest     *req,
                QsParseResult  result,
                GPtrArray     *errors)
{
  switch (result)
    {
    case QS_PARSE_OK:
      return TRUE;
    case QS_PARSE_MALFORMED:
      qs_respond_error (req, 400, "malformed_json", "The body is not valid UTF-8 JSON.");
      return FALSE;
    case QS_PARSE_INVALID:
    default:
      qs_respond_validation (req, errors);
      return FALSE;
    }
}

const char *
qs_query (QsRequest  *req,
          const char *name)
{
  return req->query ? g_hash_table_lookup (req->query, name) : NULL;
}

/* ------------------------------------------------------------- rate limits */

static gboolean
rate_window_over (GHashTable *table,
                  const char *key,
                  guint       limit,
                  gboolean    count,
                  gint64     *retry_after)
{
  gint64 now = qs_now ();
  QsRateWindow *window = g_hash_table_lookup (table, key);

  if (limit == 0)
    return FALSE;

  if (g_hash_table_size (table) > 100000)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, table);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (((QsRateWindow *) value)->window_start + RATE_WINDOW_SECONDS <= now)
          g_hash_table_iter_remove (&iter);
      window = g_hash_table_lookup (table, key);
    }

  if (window == NULL || window->window_start + RATE_WINDOW_SECONDS <= now)
    {
      if (window == NULL)
        {
          window = g_new0 (QsRateWindow, 1);
          g_hash_table_insert (table, g_strdup (key), window);
        }
      window->window_start = now;
      window->count = 0;
    }

  if (window->count >= limit)
    {
      *retry_after = MAX (1, window->window_start + RATE_WINDOW_SECONDS - now);
      return TRUE;
    }
  if (count)
    window->count++;
  return FALSE;
}

void
qs_respond_rate_limited (QsRequest *req,
                         gint64     retry_after)
{
  g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, retry_after);

  qs_respond_error (req, 429, "rate_limited", "Too many attempts; try again later.");
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "Retry-After", value);
}

const char *
qs_client_address (QsRequest *req)
{
  const char *host = soup_server_message_get_remote_host (req->msg);

  return host != NULL ? host : "?";
}

/* Sign-in, sign-up and invitation set-up together, per client address. */
gboolean
qs_rate_limit_auth (QsRequest *req)
{
  gint64 retry_after = 0;

  if (rate_window_over (req->server->auth_attempts, qs_client_address (req),
                        req->server->config.auth_rate_limit, TRUE, &retry_after))
    {
      qs_respond_rate_limited (req, retry_after);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------- auth */

static gboolean
authenticate (QsRequest *req,
              gboolean  *present)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg),
                                                     "Authorization");
  const char *token;
  g_autoptr(QsStoreUser) user = NULL;

  *present = header != NULL;
  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    return FALSE;
  token = header + 7;
  while (*token == ' ')
    token++;
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

/* Outsider → 404 (ids do not leak), suspended → 403 member_suspended, role
 * without the permission → 403 forbidden. */
QsStoreMember *
qs_require_membership (QsRequest        *req,
                       const char       *org_id,
                       QuorumPermission  permission)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QsStoreMember) me = qs_store_member_for_user (req->store, org_id, req->user_id, &error);
  gint64 now = qs_now ();

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

  /* last_active_at, at most one write a minute per member. */
  if (now - me->last_active_at >= 60)
    qs_store_member_set_last_active (req->store, me->id, now, NULL);
  return g_steal_pointer (&me);
}

/* A transaction, then qs_require_membership () inside it: for checks that
 * decide a write. NULL when answered. */
QsStoreTxn *
qs_begin_membership (QsRequest         *req,
                     const char        *org_id,
                     QuorumPermission   permission,
                     QsStoreMember    **me)
{
  g_autoptr(QsStoreTxn) txn = qs_store_begin (req->store, NULL);

  *me = NULL;
  if (txn == NULL)
    {
      qs_respond_internal (req);
      return NULL;
    }
  *me = qs_require_membership (req, org_id, permission);
  return *me != NULL ? g_steal_pointer (&txn) : NULL;
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

JsonObject *
qs_user_json (QsRequest  *req,
              const char *user_id)
{
  g_autoptr(QsStoreUser) user = qs_store_user_by_id (req->store, user_id, NULL);
  g_autofree char *created_at = NULL;
  JsonObject *object;

  if (user == NULL)
    return NULL;
  created_at = qs_format_time (user->created_at);
  object = json_object_new ();
  json_object_set_string_member (object, "id", user->id);
  json_object_set_string_member (object, "name", user->name);
  json_object_set_string_member (object, "email", user->email);
  json_object_set_string_member (object, "created_at", created_at);
  json_object_set_boolean_member (object, "email_verified", user->email_verified);
  return object;
}

JsonObject *
qs_organization_to_json (const QsStoreOrganization *org,
                         QuorumRole                 role)
{
  JsonObject *object = json_object_new ();
  g_autofree char *created = qs_format_time (org->created_at);

  json_object_set_string_member (object, "id", org->id);
  json_object_set_string_member (object, "name", org->name);
  json_object_set_string_member (object, "slug", org->slug);
  if (org->logo_url != NULL)
    json_object_set_string_member (object, "logo_url", org->logo_url);
  else
    json_object_set_null_member (object, "logo_url");
  json_object_set_string_member (object, "created_at", created);
  json_object_set_int_member (object, "member_count", org->member_count);
  if (role != QUORUM_ROLE_NONE)
    json_object_set_string_member (object, "role", quorum_role_to_string (role));
  else
    json_object_set_null_member (object, "role");
  return object;
}

JsonObject *
qs_organization_json (QsRequest  *req,
                      const char *org_id,
                      const char *role)
{
  g_autoptr(QsStoreOrganization) org = qs_store_organization_get (req->store, org_id, NULL);

  return org != NULL ? qs_organization_to_json (org, quorum_role_from_string (role)) : NULL;
}

JsonObject *
qs_member_to_json (const QsStoreMember *member)
{
  JsonObject *object = json_object_new ();
  g_autofree char *joined = qs_format_time (member->joined_at);

  json_object_set_string_member (object, "id", member->id);
  json_object_set_string_member (object, "user_id", member->user_id);
  json_object_set_string_member (object, "name", member->name);
  json_object_set_string_member (object, "email", member->email);
  json_object_set_string_member (object, "role", quorum_role_to_string (member->role));
  json_object_set_string_member (object, "status",
                                 member->status == QS_STORE_MEMBER_ACTIVE ? "active" : "suspended");
  json_object_set_string_member (object, "joined_at", joined);
  if (member->last_active_at != 0)
    {
      g_autofree char *active = qs_format_time (member->last_active_at);
      json_object_set_string_member (object, "last_active_at", active);
    }
  else
    json_object_set_null_member (object, "last_active_at");
  return object;
}

static char *
hashed_etag (char        kind,
             const char *state)
{
  guint8 hash[crypto_hash_sha256_BYTES];
  char hex[crypto_hash_sha256_BYTES * 2 + 1];

  crypto_hash_sha256 (hash, (const guint8 *) state, strlen (state));
  sodium_bin2hex (hex, sizeof hex, hash, 8);
  return g_strdup_printf ("\"%c%s\"", kind, hex);
}

/* ETags cover the state a PATCH can change, so unrelated updates (say
 * last_active_at) never make an edit fail with 412. */
char *
qs_user_etag (QsRequest  *req,
              const char *user_id)
{
  g_autoptr(QsStoreUser) user = qs_store_user_by_id (req->store, user_id, NULL);
  g_autofree char *state = user ? g_strconcat (user_id, "\n", user->name, NULL) : NULL;

  return hashed_etag ('u', state ? state : user_id);
}

char *
qs_member_etag (const QsStoreMember *member)
{
  g_autofree char *state = g_strconcat (member->id, "\n", quorum_role_to_string (member->role), "\n",
                                        member->status == QS_STORE_MEMBER_ACTIVE ? "active" : "suspended",
                                        NULL);

  return hashed_etag ('m', state);
}

void
qs_set_etag (QsRequest  *req,
             const char *etag)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "ETag", etag);
}

gboolean
qs_check_if_match (QsRequest  *req,
                   const char *etag)
{
  const char *if_match = soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg),
                                                       "If-Match");
  g_auto(GStrv) candidates = NULL;

  if (if_match == NULL)
    return TRUE;
  candidates = g_strsplit (if_match, ",", -1);
  for (guint i = 0; candidates[i] != NULL; i++)
    {
      const char *candidate = g_strstrip (candidates[i]);

      if (strcmp (candidate, "*") == 0 || strcmp (candidate, etag) == 0)
        return TRUE;
    }
  qs_respond_error (req, 412, "precondition_failed",
                    "The resource changed since you loaded it; reload and try again.");
  qs_set_etag (req, etag);
  return FALSE;
}

char *
qs_org_etag (const QsStoreOrganization *org)
{
  return g_strdup_printf ("\"%s.%" G_GINT64_FORMAT "\"", org->id, org->version);
}

/* ---------------------------------------------------------------- routing */

static void
respond_method_not_allowed (QsRequest  *req,
                            const char *allow)
{
  qs_respond_error (req, 405, "method_not_allowed", "This method is not allowed here.");
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Allow", allow);
}

static void
respond_not_found (QsRequest *req)
{
  qs_respond_error (req, 404, "not_found", "No such resource.");
}

#define METHOD(m) (strcmp (req->method, (m)) == 0)
#define SEG(i, s) (strcmp (req->segs[(i)], (s)) == 0)

static void
route_organization (QsRequest *req)
{
  const char *org_id = req->segs[2];
  guint n = req->n_segs;

  if (n == 3)
    {
      if (METHOD ("GET"))
        qs_handle_org_get (req, org_id);
      else if (METHOD ("PATCH"))
        qs_handle_org_patch (req, org_id);
      else if (METHOD ("DELETE"))
        qs_handle_org_delete (req, org_id);
      else
        respond_method_not_allowed (req, "GET, PATCH, DELETE");
      return;
    }

  if (n == 4 && SEG (3, "logo"))
    {
      if (METHOD ("GET") || METHOD ("HEAD"))
        qs_handle_org_logo_get (req, org_id);
      else if (METHOD ("PUT"))
        qs_handle_org_logo_put (req, org_id);
      else
        respond_method_not_allowed (req, "GET, PUT");
    }
  else if (n == 4 && SEG (3, "transfer-ownership"))
    {
      if (METHOD ("POST"))
        qs_handle_org_transfer (req, org_id);
      else
        respond_method_not_allowed (req, "POST");
    }
  else if (n == 4 && SEG (3, "leave"))
    {
      if (METHOD ("POST"))
        qs_handle_org_leave (req, org_id);
      else
        respond_method_not_allowed (req, "POST");
    }
  else if (n == 4 && SEG (3, "members"))
    {
      if (METHOD ("GET"))
        qs_handle_members_list (req, org_id);
      else
        respond_method_not_allowed (req, "GET");
    }
  else if (n == 5 && SEG (3, "members"))
    {
      if (METHOD ("GET"))
        qs_handle_member_get (req, org_id, req->segs[4]);
      else if (METHOD ("PATCH"))
        qs_handle_member_patch (req, org_id, req->segs[4]);
      else if (METHOD ("DELETE"))
        qs_handle_member_delete (req, org_id, req->segs[4]);
      else
        respond_method_not_allowed (req, "GET, PATCH, DELETE");
    }
  else if (n == 4 && SEG (3, "invitations"))
    {
      if (METHOD ("GET"))
        qs_handle_invitations_list (req, org_id);
      else if (METHOD ("POST"))
        qs_handle_invitations_create (req, org_id);
      else
        respond_method_not_allowed (req, "GET, POST");
    }
  else if (n == 5 && SEG (3, "invitations"))
    {
      if (METHOD ("DELETE"))
        qs_handle_invitation_revoke (req, org_id, req->segs[4]);
      else
        respond_method_not_allowed (req, "DELETE");
    }
  else if (n == 6 && SEG (3, "invitations") && SEG (5, "resend"))
    {
      if (METHOD ("POST"))
        qs_handle_invitation_resend (req, org_id, req->segs[4]);
      else
        respond_method_not_allowed (req, "POST");
    }
  else
    respond_not_found (req);
}

static void
route_v1 (QsRequest *req)
{
  guint n = req->n_segs;

  if (n == 2 && SEG (1, "users"))
    {
      if (METHOD ("POST"))
        qs_handle_signup (req);
      else
        respond_method_not_allowed (req, "POST");
    }
  else if (n == 2 && SEG (1, "sessions"))
    {
      if (METHOD ("POST"))
        qs_handle_signin (req);
      else
        respond_method_not_allowed (req, "POST");
    }
  else if (n == 3 && SEG (1, "sessions") && SEG (2, "current"))
    {
      if (METHOD ("DELETE"))
        qs_handle_signout (req);
      else
        respond_method_not_allowed (req, "DELETE");
    }
  else if (n == 2 && SEG (1, "me"))
    {
      if (METHOD ("GET"))
        qs_handle_me_get (req);
      else if (METHOD ("PATCH"))
        qs_handle_me_patch (req);
      else
        respond_method_not_allowed (req, "GET, PATCH");
    }
  else if (n == 3 && SEG (1, "me") && SEG (2, "password"))
    {
      if (METHOD ("POST"))
        qs_handle_me_password (req);
      else
        respond_method_not_allowed (req, "POST");
    }
  else if (n == 3 && SEG (1, "me") && SEG (2, "verification-email"))
    {
      if (METHOD ("POST"))
        qs_handle_me_verification_email (req);
      else
        respond_method_not_allowed (req, "POST");
    }
  else if (n == 2 && SEG (1, "email-verifications"))
    {
      if (METHOD ("POST"))
        qs_handle_email_verification (req);
      else
        respond_method_not_allowed (req, "POST");
    }
  else if (n == 2 && SEG (1, "password-resets"))
    {
      if (METHOD ("POST"))
        qs_handle_password_reset_request (req);
      else
        respond_method_not_allowed (req, "POST");
    }
  else if (n == 3 && SEG (1, "password-resets") && SEG (2, "confirm"))
    {
      if (METHOD ("POST"))
        qs_handle_password_reset_confirm (req);
      else
        respond_method_not_allowed (req, "POST");
    }
  else if (n == 3 && SEG (1, "me") && SEG (2, "invitations"))
    {
      if (METHOD ("GET"))
        qs_handle_me_invitations (req);
      else
        respond_method_not_allowed (req, "GET");
    }
  else if (n == 5 && SEG (1, "me") && SEG (2, "invitations") &&
           (SEG (4, "accept") || SEG (4, "decline")))
    {
      if (!METHOD ("POST"))
        respond_method_not_allowed (req, "POST");
      else if (SEG (4, "accept"))
        qs_handle_my_invitation_accept (req, req->segs[3]);
      else
        qs_handle_my_invitation_decline (req, req->segs[3]);
    }
  else if (n == 2 && SEG (1, "organizations"))
    {
      if (METHOD ("GET"))
        qs_handle_orgs_list (req);
      else if (METHOD ("POST"))
        qs_handle_orgs_create (req);
      else
        respond_method_not_allowed (req, "GET, POST");
    }
  else if (n >= 3 && SEG (1, "organizations"))
    route_organization (req);
  else if (n == 3 && SEG (1, "invitations"))
    {
      if (METHOD ("GET"))
        qs_handle_public_invitation (req, req->segs[2]);
      else
        respond_method_not_allowed (req, "GET");
    }
  else if (n == 4 && SEG (1, "invitations"))
    {
      if (!METHOD ("POST"))
        respond_method_not_allowed (req, "POST");
      else if (SEG (3, "accept"))
        qs_handle_invitation_accept (req, req->segs[2]);
      else if (SEG (3, "setup"))
        qs_handle_invitation_setup (req, req->segs[2]);
      else if (SEG (3, "decline"))
        qs_handle_invitation_decline (req, req->segs[2]);
      else
        respond_not_found (req);
    }
  else
    respond_not_found (req);
}

static void
handle_health (QsRequest *req)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "status", "ok");
  json_object_set_string_member (object, "version", PACKAGE_VERSION);
  qs_respond_object (req, 200, object);
}

static void
route (QsRequest *req)
{
  if (req->n_segs == 1 && SEG (0, "health"))
    {
      if (METHOD ("GET") || METHOD ("HEAD"))
        handle_health (req);
      else
        respond_method_not_allowed (req, "GET");
    }
  else if (req->n_segs == 2 && SEG (0, "invite"))
    {
      if (METHOD ("GET") || METHOD ("HEAD"))
        qs_handle_invite_page (req, req->segs[1]);
      else
        respond_method_not_allowed (req, "GET");
    }
  else if (req->n_segs == 2 && (SEG (0, "verify") || SEG (0, "reset")))
    {
      if (!METHOD ("GET") && !METHOD ("HEAD") && !METHOD ("POST"))
        respond_method_not_allowed (req, "GET, POST");
      else if (SEG (0, "verify"))
        qs_handle_verify_page (req, req->segs[1]);
      else
        qs_handle_reset_page (req, req->segs[1]);
    }
  else if (req->n_segs >= 2 && SEG (0, "v1"))
    route_v1 (req);
  else
    respond_not_found (req);
}

static gboolean
is_logo_upload (const char *method,
                const char *path)
{
  return g_strcmp0 (method, "PUT") == 0 && g_str_has_prefix (path, "/v1/organizations/") &&
         g_str_has_suffix (path, "/logo");
}

/* The /verify/<token> and /reset/<token> pages post HTML forms. */
static gboolean
is_form_post (const char *method,
              const char *path)
{
  while (*path == '/')
    path++;
  return g_strcmp0 (method, "POST") == 0 &&
         (g_str_has_prefix (path, "verify/") || g_str_has_prefix (path, "reset/"));
}

static void
message_finished_cb (SoupServerMessage *msg,
                     QsServer          *server)
{
  g_assert (server->in_flight > 0);
  server->in_flight--;
}

void
qs_request_free (QsRequest *req)
{
  g_free (req->user_id);
  g_free (req->user_name);
  g_free (req->user_email);
  sodium_memzero (req->token_hash, sizeof req->token_hash);
  g_clear_pointer (&req->body_bytes, g_bytes_unref);
  g_clear_pointer (&req->query, g_hash_table_unref);
  g_clear_pointer (&req->seg_array, g_ptr_array_unref);
  g_clear_pointer (&req->raw_segs, g_strfreev);
  g_clear_object (&req->msg);
  g_free (req);
}

static void
server_handler_cb (SoupServer        *soup,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  QsServer *server = user_data;
  QsRequest *req;
  SoupMessageBody *request_body;
  const char *content_type;
  gsize limit;

  server->in_flight++;
  g_signal_connect (msg, "finished", G_CALLBACK (message_finished_cb), server);

  if (server->shutting_down)
    {
      msg_respond_error (msg, 503, "shutting_down", "The server is shutting down.");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
      return;
    }

  /* On the heap: a handler waiting for a password job outlives this call. */
  req = g_new0 (QsRequest, 1);
  req->server = server;
  req->store = server->store;
  req->msg = g_object_ref (msg);
  req->method = soup_server_message_get_method (msg);
  req->query = query != NULL ? g_hash_table_ref (query) : NULL;

  request_body = soup_server_message_get_request_body (msg);
  req->body_bytes = soup_message_body_flatten (request_body);
  limit = is_logo_upload (req->method, path) ? QS_LOGO_LIMIT : QS_BODY_LIMIT;
  if (g_bytes_get_size (req->body_bytes) > limit)
    {
      msg_respond_error (msg, 413, "payload_too_large", "The request body is too large.");
      qs_request_free (req);
      return;
    }
  req->body = g_bytes_get_data (req->body_bytes, &req->body_len);

  content_type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL);
  if (req->body_len > 0 && content_type != NULL && !is_logo_upload (req->method, path) &&
      !is_form_post (req->method, path) && g_ascii_strcasecmp (content_type, "application/json") != 0)
    {
      msg_respond_error (msg, 415, "unsupported_media_type", "Send the body as application/json.");
      qs_request_free (req);
      return;
    }

  req->raw_segs = g_strsplit (path, "/", -1);
  req->seg_array = g_ptr_array_new ();
  for (guint i = 0; req->raw_segs[i] != NULL; i++)
    if (req->raw_segs[i][0] != '\0')
      g_ptr_array_add (req->seg_array, req->raw_segs[i]);
  g_ptr_array_add (req->seg_array, NULL);
  req->segs = (char **) req->seg_array->pdata;
  req->n_segs = req->seg_array->len - 1;

  route (req);

  /* Else a password job holds it and frees it once answered. */
  if (req->async_ops == 0)
    qs_request_free (req);
}

static char *masked_path (const char *path);

static gboolean
close_stolen_cb (gpointer user_data)
{
  GIOStream *stream = user_data;

  g_io_stream_close (stream, NULL, NULL);
  g_object_unref (stream);
  return G_SOURCE_REMOVE;
}

/* libsoup would read (and buffer) the whole declared body before sending an
 * early answer, so take the connection over: answer 413, stop writing, and
 * close a moment later without reading the body. */
static void
reject_unread_body (SoupServerMessage *msg,
                    const char        *path)
{
  g_autoptr(JsonObject) problem = problem_object (413, "payload_too_large", "The request body is too large.");
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), problem);
  g_autofree char *body = qs_json_to_string (node);
  g_autofree char *response = NULL;
  g_autofree char *masked = masked_path (path);
  const char *method = soup_server_message_get_method (msg);
  GIOStream *stream;
  GSocket *socket;

  response = g_strdup_printf ("HTTP/1.1 413 Payload Too Large\r\n"
                              "Content-Type: application/problem+json\r\n"
                              "Content-Length: %zu\r\n"
                              "Cache-Control: no-store\r\n"
                              "Connection: close\r\n\r\n%s",
                              strlen (body), body);
  g_printerr ("%s %s 413 0.0ms\n", method, masked);
  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;
  g_output_stream_write_all (g_io_stream_get_output_stream (stream), response, strlen (response),
                             NULL, NULL, NULL);
  socket = G_IS_SOCKET_CONNECTION (stream) ? g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream)) : NULL;
  if (socket != NULL)
    g_socket_shutdown (socket, FALSE, TRUE, NULL);
  g_timeout_add_seconds (1, close_stolen_cb, stream);
}

/* Before the body is read: refuse huge headers and declared-huge bodies so
 * they are never buffered. */
static void
early_handler_cb (SoupServer        *soup,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  gsize header_bytes = 0;
  goffset declared;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    header_bytes += strlen (name) + strlen (value) + 4;
  if (header_bytes > QS_HEADERS_LIMIT)
    {
      msg_respond_error (msg, 431, "headers_too_large", "The request headers are too large.");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
      return;
    }

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    {
      declared = soup_message_headers_get_content_length (headers);
      if (declared > (goffset) (is_logo_upload (soup_server_message_get_method (msg), path)
                                ? QS_LOGO_LIMIT : QS_BODY_LIMIT))
        {
          if (soup_message_headers_get_expectations (headers) & SOUP_EXPECTATION_CONTINUE)
            {
              /* libsoup answers at once and never reads the body. */
              msg_respond_error (msg, 413, "payload_too_large", "The request body is too large.");
              soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                            "Connection", "close");
            }
          else
            reject_unread_body (msg, path);
        }
    }
}

/* ------------------------------------------------------------- logging */

static char *
masked_path (const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  guint n = g_strv_length (parts);

  /* /invite/<token>, /verify/<token>, /reset/<token> and
   * /v1/invitations/<token>[/action] */
  for (guint i = 0; i + 1 < n; i++)
    {
      gboolean token_next = ((g_strcmp0 (parts[i], "invite") == 0 || g_strcmp0 (parts[i], "verify") == 0 ||
                              g_strcmp0 (parts[i], "reset") == 0) && i == 1) ||
                            (g_strcmp0 (parts[i], "invitations") == 0 && i == 2 &&
                             g_strcmp0 (parts[1], "v1") == 0);
      if (token_next && parts[i + 1][0] != '\0')
        {
          g_free (parts[i + 1]);
          parts[i + 1] = g_strdup ("****");
        }
    }
  return g_strjoinv ("/", parts);
}

static void
request_started_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    QsServer          *server)
{
  gint64 *start = g_new (gint64, 1);

  *start = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), "qs-start", start, g_free);
}

static void
request_finished_cb (SoupServer        *soup,
                     SoupServerMessage *msg,
                     QsServer          *server)
{
  gint64 *start = g_object_get_data (G_OBJECT (msg), "qs-start");
  GUri *uri = soup_server_message_get_uri (msg);
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *path = NULL;
  double ms = 0;

  if (uri == NULL || method == NULL)
    return;
  path = masked_path (g_uri_get_path (uri));
  if (start != NULL)
    ms = (g_get_monotonic_time () - *start) / 1000.0;
  g_printerr ("%s %s %u %.1fms\n", method, path, soup_server_message_get_status (msg), ms);
}

/* ------------------------------------------------------------- lifecycle */

static void
server_free_config (QsConfig *config)
{
  g_free (config->data_dir);
  g_free (config->listen);
  g_free (config->public_url);
  g_free (config->smtp);
}

QsServer *
qs_server_new (const QsConfig  *config,
               GError         **error)
{
  QsServer *server;
  g_autofree char *db_path = NULL;

  if (sodium_init () < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "libsodium failed to initialize");
      return NULL;
    }

  server = g_new0 (QsServer, 1);
  server->config = *config;
  server->config.data_dir = g_strdup (config->data_dir);
  server->config.listen = g_strdup (config->listen ? config->listen : "127.0.0.1");
  server->config.public_url = g_strdup (config->public_url);
  server->config.smtp = g_strdup (config->smtp);

  switch (config->hash_cost)
    {
    case QS_HASH_COST_MIN:
      server->opslimit = crypto_pwhash_OPSLIMIT_MIN;
      server->memlimit = crypto_pwhash_MEMLIMIT_MIN;
      break;
    case QS_HASH_COST_MODERATE:
      server->opslimit = crypto_pwhash_OPSLIMIT_MODERATE;
      server->memlimit = crypto_pwhash_MEMLIMIT_MODERATE;
      break;
    case QS_HASH_COST_INTERACTIVE:
    default:
      server->opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
      server->memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
      break;
    }

  qs_limits_init (server);
  server->auth_attempts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  server->mail_limits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  server->outbox_dir = g_build_filename (config->data_dir, "outbox", NULL);

  if (g_mkdir_with_parents (config->data_dir, 0700) != 0 ||
      g_mkdir_with_parents (server->outbox_dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot create %s", server->outbox_dir);
      qs_server_free (server);
      return NULL;
    }

  db_path = g_build_filename (config->data_dir, "quorum.db", NULL);
  server->store = qs_store_open (db_path, error);
  if (server->store == NULL || !qs_password_init (server, error))
    {
      qs_server_free (server);
      return NULL;
    }

  return server;
}

gboolean
qs_server_listen (QsServer  *server,
                  GError   **error)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (server->config.listen);
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *host = NULL;

  if (address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "--listen must be an IP address, not “%s”", server->config.listen);
      return FALSE;
    }

  server->soup = soup_server_new ("server-header", "quorum-server/" PACKAGE_VERSION, NULL);
  soup_server_add_early_handler (server->soup, NULL, early_handler_cb, server, NULL);
  soup_server_add_handler (server->soup, NULL, server_handler_cb, server, NULL);
  g_signal_connect (server->soup, "request-started", G_CALLBACK (request_started_cb), server);
  g_signal_connect (server->soup, "request-finished", G_CALLBACK (request_finished_cb), server);

  socket_address = g_inet_socket_address_new (address, server->config.port);
  if (!soup_server_listen (server->soup, socket_address, 0, error))
    return FALSE;

  uris = soup_server_get_uris (server->soup);
  if (uris == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "not listening");
      return FALSE;
    }
  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    host = g_strdup_printf ("[%s]", server->config.listen);
  else
    host = g_strdup (server->config.listen);
  server->url = g_strdup_printf ("http://%s:%d", host, g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  if (server->config.public_url != NULL)
    {
      server->public_url = g_strdup (server->config.public_url);
      while (g_str_has_suffix (server->public_url, "/"))
        server->public_url[strlen (server->public_url) - 1] = '\0';
    }
  else
    server->public_url = g_strdup (server->url);

  if (server->config.demo && !qs_demo_seed (server, error))
    return FALSE;

  qs_purge_start (server);
  return TRUE;
}

const char *
qs_server_get_url (QsServer *server)
{
  return server->url;
}

static gboolean
drain_cb (gpointer user_data)
{
  QsServer *server = user_data;

  if (server->in_flight > 0 && g_get_monotonic_time () < server->drain_deadline)
    return G_SOURCE_CONTINUE;

  server->drain_source = 0;
  soup_server_disconnect (server->soup);
  if (server->shutdown_done != NULL)
    server->shutdown_done (server->shutdown_data);
  return G_SOURCE_REMOVE;
}

void
qs_server_shutdown (QsServer    *server,
                    GSourceFunc  done,
                    gpointer     user_data)
{
  if (server->shutting_down)
    return;
  server->shutting_down = TRUE;
  server->shutdown_done = done;
  server->shutdown_data = user_data;
  server->drain_deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  server->drain_source = g_timeout_add (10, drain_cb, server);
}

void
qs_server_free (QsServer *server)
{
  if (server == NULL)
    return;
  g_clear_handle_id (&server->drain_source, g_source_remove);
  g_clear_handle_id (&server->purge_source, g_source_remove);
  g_clear_object (&server->soup);
  qs_password_clear (server);
  g_clear_pointer (&server->store, qs_store_free);
  qs_limits_clear (server);
  g_clear_pointer (&server->auth_attempts, g_hash_table_destroy);
  g_clear_pointer (&server->mail_limits, g_hash_table_destroy);
  g_free (server->outbox_dir);
  g_free (server->url);
  g_free (server->public_url);
  server_free_config (&server->config);
  g_free (server);
}
