/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-server-auth.h"
#include "quorum-server-handlers.h"
#include "quorum-server-http.h"
#include "quorum-server-routes.h"

/* One trivial query through the store: a database that cannot be reached
 * (PostgreSQL down, its connection lost and not made again) answers 503. */
static void
handle_health (QsRequest *req)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;

  if (!qs_store_ping (req->store, &error))
    {
      qs_respond_error (req, 503, "database_unavailable", "The database cannot be reached.");
      return;
    }
  object = json_object_new ();
  json_object_set_string_member (object, "status", "ok");
  json_object_set_string_member (object, "version", PACKAGE_VERSION);
  qs_respond_object (req, 200, object);
}

#define PUBLIC     .access = QS_ACCESS_PUBLIC
#define SESSION    .access = QS_ACCESS_SESSION
#define VERIFIED   .access = QS_ACCESS_VERIFIED
#define MEMBER(p)  .access = QS_ACCESS_SESSION, .org_scoped = TRUE, .permission = QUORUM_PERMISSION_##p
#define SCOPE(s)   .scope = QUORUM_SCOPE_##s
#define RECHECKED  .rechecked = TRUE
#define FORM       .body = QS_BODY_FORM
#define IMAGE      .body = QS_BODY_IMAGE

/*
 * Every route the server answers, and nothing else: dispatch, 405 with its
 * Allow header, HEAD (as GET, without the body) and OPTIONS all come from
 * here, and tests/server/test_routes.py holds it against
 * docs/api/openapi.yaml. Access and the organization permission are checked
 * before the handler runs. RECHECKED handlers decide the membership again
 * inside the transaction that writes (qs_begin_membership ()), so that no
 * concurrent change slips between check and write, sometimes with checks
 * the table cannot say: leave answers an owner 409, a member PATCH needs
 * change-role or manage-members depending on its body.
 */
static const QsRoute routes[] = {
  { "GET",    "/health",                        handle_health,                     PUBLIC },
  { "GET",    "/invite/{token}",                qs_handle_invite_page,             PUBLIC },
  { "GET",    "/verify/{token}",                qs_handle_verify_page,             PUBLIC },
  { "POST",   "/verify/{token}",                qs_handle_verify_page,             PUBLIC, FORM },
  { "GET",    "/reset/{token}",                 qs_handle_reset_page,              PUBLIC },
  { "POST",   "/reset/{token}",                 qs_handle_reset_page,              PUBLIC, FORM },

  { "POST",   "/v1/users",                      qs_handle_signup,                  PUBLIC },
  { "POST",   "/v1/sessions",                   qs_handle_signin,                  PUBLIC },
  { "DELETE", "/v1/sessions/current",           qs_handle_signout,                 SESSION },
  { "GET",    "/v1/me",                         qs_handle_me_get,                  SESSION },
  { "PATCH",  "/v1/me",                         qs_handle_me_patch,                SESSION },
  { "POST",   "/v1/me/password",                qs_handle_me_password,             SESSION },
  { "POST",   "/v1/me/verification-email",      qs_handle_me_verification_email,   SESSION },
  { "GET",    "/v1/me/invitations",             qs_handle_me_invitations,          VERIFIED },
  { "POST",   "/v1/me/invitations/{invitation_id}/accept",  qs_handle_my_invitation_accept,  VERIFIED },
  { "POST",   "/v1/me/invitations/{invitation_id}/decline", qs_handle_my_invitation_decline, VERIFIED },
  { "POST",   "/v1/email-verifications",        qs_handle_email_verification,      PUBLIC },
  { "POST",   "/v1/password-resets",            qs_handle_password_reset_request,  PUBLIC },
  { "POST",   "/v1/password-resets/confirm",    qs_handle_password_reset_confirm,  PUBLIC },

  { "GET",    "/v1/organizations",              qs_handle_orgs_list,               SESSION, SCOPE (ORG_READ) },
  { "POST",   "/v1/organizations",              qs_handle_orgs_create,             SESSION },
  { "GET",    "/v1/organizations/{org_id}",     qs_handle_org_get,                 MEMBER (VIEW_ORGANIZATION),
    SCOPE (ORG_READ) },
  { "PATCH",  "/v1/organizations/{org_id}",     qs_handle_org_patch,
    MEMBER (EDIT_ORGANIZATION), SCOPE (ORG_WRITE), RECHECKED },
  { "DELETE", "/v1/organizations/{org_id}",     qs_handle_org_delete,
    MEMBER (DELETE_ORGANIZATION), RECHECKED },
  { "GET",    "/v1/organizations/{org_id}/logo", qs_handle_org_logo_get,           PUBLIC },
  { "PUT",    "/v1/organizations/{org_id}/logo", qs_handle_org_logo_put,           MEMBER (EDIT_ORGANIZATION),
    SCOPE (ORG_WRITE), IMAGE },
  { "POST",   "/v1/organizations/{org_id}/transfer-ownership", qs_handle_org_transfer,
    MEMBER (TRANSFER_OWNERSHIP), RECHECKED },
  { "POST",   "/v1/organizations/{org_id}/leave", qs_handle_org_leave,             MEMBER (VIEW_ORGANIZATION), RECHECKED },
  { "GET",    "/v1/organizations/{org_id}/members", qs_handle_members_list,        MEMBER (VIEW_ORGANIZATION),
    SCOPE (MEMBERS_READ) },
  { "GET",    "/v1/organizations/{org_id}/members/export", qs_handle_members_export,
    MEMBER (MANAGE_MEMBERS), SCOPE (MEMBERS_READ) },
  { "GET",    "/v1/organizations/{org_id}/members/{member_id}", qs_handle_member_get,
    MEMBER (VIEW_ORGANIZATION), SCOPE (MEMBERS_READ) },
  { "PATCH",  "/v1/organizations/{org_id}/members/{member_id}", qs_handle_member_patch,
    MEMBER (VIEW_ORGANIZATION), SCOPE (MEMBERS_WRITE), RECHECKED },
  { "DELETE", "/v1/organizations/{org_id}/members/{member_id}", qs_handle_member_delete,
    MEMBER (MANAGE_MEMBERS), SCOPE (MEMBERS_WRITE), RECHECKED },
  { "GET",    "/v1/organizations/{org_id}/invitations", qs_handle_invitations_list,
    MEMBER (MANAGE_INVITATIONS), SCOPE (INVITATIONS_WRITE) },
  { "POST",   "/v1/organizations/{org_id}/invitations", qs_handle_invitations_create,
    MEMBER (MANAGE_INVITATIONS), SCOPE (INVITATIONS_WRITE) },
  { "DELETE", "/v1/organizations/{org_id}/invitations/{invitation_id}", qs_handle_invitation_revoke,
    MEMBER (MANAGE_INVITATIONS), SCOPE (INVITATIONS_WRITE) },
  { "POST",   "/v1/organizations/{org_id}/invitations/{invitation_id}/resend", qs_handle_invitation_resend,
    MEMBER (MANAGE_INVITATIONS), SCOPE (INVITATIONS_WRITE) },

  { "GET",    "/v1/plans",                      qs_handle_plans_list,              PUBLIC },
  { "GET",    "/v1/organizations/{org_id}/billing", qs_handle_billing_get,
    MEMBER (MANAGE_BILLING), SCOPE (BILLING_READ) },
  { "PATCH",  "/v1/organizations/{org_id}/billing", qs_handle_billing_patch,
    MEMBER (MANAGE_BILLING), SCOPE (BILLING_WRITE) },
  { "PUT",    "/v1/organizations/{org_id}/billing/plan", qs_handle_billing_plan_put,
    MEMBER (MANAGE_BILLING), SCOPE (BILLING_WRITE) },
  { "POST",   "/v1/organizations/{org_id}/billing/top-ups", qs_handle_top_up_create,
    MEMBER (MANAGE_BILLING), SCOPE (BILLING_WRITE) },
  { "GET",    "/v1/organizations/{org_id}/billing/invoices", qs_handle_invoices_list,
    MEMBER (MANAGE_BILLING), SCOPE (BILLING_READ) },
  { "GET",    "/v1/organizations/{org_id}/billing/ledger", qs_handle_ledger_list,
    MEMBER (MANAGE_BILLING), SCOPE (BILLING_READ) },
  { "GET",    "/v1/organizations/{org_id}/billing/invoices/{invoice_id}/pdf", qs_handle_invoice_pdf,
    MEMBER (MANAGE_BILLING), SCOPE (BILLING_READ) },
  { "GET",    "/v1/organizations/{org_id}/usage", qs_handle_usage_get,
    MEMBER (MANAGE_BILLING), SCOPE (BILLING_READ) },

  /* API keys manage no API keys (CONTRACT: "API keys may never"). */
  { "GET",    "/v1/organizations/{org_id}/api-keys", qs_handle_api_keys_list,
    MEMBER (MANAGE_DEVELOPERS) },
  { "POST",   "/v1/organizations/{org_id}/api-keys", qs_handle_api_keys_create,
    MEMBER (MANAGE_DEVELOPERS), RECHECKED },
  { "DELETE", "/v1/organizations/{org_id}/api-keys/{api_key_id}", qs_handle_api_key_revoke,
    MEMBER (MANAGE_DEVELOPERS), RECHECKED },
  { "POST",   "/v1/organizations/{org_id}/api-keys/{api_key_id}/rotate", qs_handle_api_key_rotate,
    MEMBER (MANAGE_DEVELOPERS), RECHECKED },
  { "GET",    "/v1/organizations/{org_id}/audit-events", qs_handle_audit_events_list,
    MEMBER (VIEW_AUDIT_LOG), SCOPE (ORG_READ) },

  /* A key with webhooks:write reads webhooks and their deliveries, pings,
   * resends and toggles enabled (the handler refuses it other edits); it
   * never creates, deletes or rolls a secret (CONTRACT: "API keys may never"). */
  { "GET",    "/v1/organizations/{org_id}/webhooks", qs_handle_webhooks_list,
    MEMBER (MANAGE_DEVELOPERS), SCOPE (WEBHOOKS_WRITE) },
  { "POST",   "/v1/organizations/{org_id}/webhooks", qs_handle_webhooks_create,
    MEMBER (MANAGE_DEVELOPERS), RECHECKED },
  { "GET",    "/v1/organizations/{org_id}/webhooks/{webhook_id}", qs_handle_webhook_get,
    MEMBER (MANAGE_DEVELOPERS), SCOPE (WEBHOOKS_WRITE) },
  { "PATCH",  "/v1/organizations/{org_id}/webhooks/{webhook_id}", qs_handle_webhook_patch,
    MEMBER (MANAGE_DEVELOPERS), SCOPE (WEBHOOKS_WRITE), RECHECKED },
  { "DELETE", "/v1/organizations/{org_id}/webhooks/{webhook_id}", qs_handle_webhook_delete,
    MEMBER (MANAGE_DEVELOPERS) },
  { "GET",    "/v1/organizations/{org_id}/webhooks/{webhook_id}/deliveries", qs_handle_webhook_deliveries,
    MEMBER (MANAGE_DEVELOPERS), SCOPE (WEBHOOKS_WRITE) },
  { "POST",   "/v1/organizations/{org_id}/webhooks/{webhook_id}/deliveries/{delivery_id}/resend",
    qs_handle_webhook_resend, MEMBER (MANAGE_DEVELOPERS), SCOPE (WEBHOOKS_WRITE) },
  { "POST",   "/v1/organizations/{org_id}/webhooks/{webhook_id}/test", qs_handle_webhook_test,
    MEMBER (MANAGE_DEVELOPERS), SCOPE (WEBHOOKS_WRITE) },
  { "POST",   "/v1/organizations/{org_id}/webhooks/{webhook_id}/roll-secret", qs_handle_webhook_roll_secret,
    MEMBER (MANAGE_DEVELOPERS) },

  { "GET",    "/v1/invitations/{token}",        qs_handle_public_invitation,       PUBLIC },
  { "POST",   "/v1/invitations/{token}/accept", qs_handle_invitation_accept,       SESSION },
  { "POST",   "/v1/invitations/{token}/setup",  qs_handle_invitation_setup,        PUBLIC },
  { "POST",   "/v1/invitations/{token}/decline", qs_handle_invitation_decline,     PUBLIC },
};

const QsRoute *
qs_routes_get (guint *n_routes)
{
  *n_routes = G_N_ELEMENTS (routes);
  return routes;
}

/* The path's segments as routing sees them: split on '/', empty ones
 * dropped. Returns an array of n_segs strings into path_copy. */
static GPtrArray *
split_path (char *path_copy)
{
  GPtrArray *segs = g_ptr_array_new ();
  char *save = NULL;

  for (char *seg = strtok_r (path_copy, "/", &save); seg != NULL; seg = strtok_r (NULL, "/", &save))
    g_ptr_array_add (segs, seg);
  return segs;
}

/* Walks route's pattern against segs; params, when given, receives the
 * {name} → segment pairs. */
static gboolean
route_matches (const QsRoute *route,
               GPtrArray     *segs,
               GHashTable    *params)
{
  const char *p = route->pattern;
  guint i = 0;

  while (*p == '/')
    {
      const char *start = ++p;
      const char *seg;
      gsize len;

      while (*p != '\0' && *p != '/')
        p++;
      len = p - start;
      if (i >= segs->len)
        return FALSE;
      seg = g_ptr_array_index (segs, i++);
      if (len >= 2 && start[0] == '{' && start[len - 1] == '}')
        {
          if (params != NULL)
            g_hash_table_insert (params, g_strndup (start + 1, len - 2), g_strdup (seg));
        }
      else if (strncmp (seg, start, len) != 0 || seg[len] != '\0')
        return FALSE;
    }
  return i == segs->len;
}

/* Literal segments of a pattern: where patterns overlap
 * (…/members/export and …/members/{member_id}), the path is the one with
 * the most literal segments, so that {member_id} never answers for
 * "export". */
static guint
literal_segments (const QsRoute *route)
{
  guint n = 0;

  for (const char *p = route->pattern; *p != '\0'; p++)
    if (*p == '/' && p[1] != '{')
      n++;
  return n;
}

/* The routes of the most literal pattern that matches segs. */
static gboolean
route_serves (const QsRoute *route,
              GPtrArray     *segs)
{
  guint mine;

  if (!route_matches (route, segs, NULL))
    return FALSE;
  mine = literal_segments (route);
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    if (literal_segments (&routes[i]) > mine && route_matches (&routes[i], segs, NULL))
      return FALSE;
  return TRUE;
}

static const QsRoute *
find_route (const char *method,
            GPtrArray  *segs,
            gboolean   *path_known)
{
  *path_known = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    if (route_serves (&routes[i], segs))
      {
        *path_known = TRUE;
        if (strcmp (routes[i].method, method) == 0)
          return &routes[i];
      }
  return NULL;
}

/* "GET, HEAD, PATCH, DELETE, OPTIONS": the table's order, HEAD after GET. */
static char *
allowed_methods (GPtrArray *segs)
{
  GString *allow = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    if (route_serves (&routes[i], segs))
      {
        g_string_append_printf (allow, "%s, ", routes[i].method);
        if (strcmp (routes[i].method, "GET") == 0)
          g_string_append (allow, "HEAD, ");
      }
  g_string_append (allow, "OPTIONS");
  return g_string_free (allow, FALSE);
}

QsBodyKind
qs_routes_body_kind (const char *method,
                     const char *path)
{
  g_autofree char *copy = g_strdup (path != NULL ? path : "");
  g_autoptr(GPtrArray) segs = split_path (copy);
  gboolean path_known;
  const QsRoute *route = find_route (method != NULL ? method : "", segs, &path_known);

  return route != NULL ? route->body : QS_BODY_JSON;
}

void
qs_routes_dispatch (QsRequest  *req,
                    const char *path)
{
  g_autofree char *copy = g_strdup (path);
  g_autoptr(GPtrArray) segs = split_path (copy);
  gboolean head = strcmp (req->method, "HEAD") == 0;
  gboolean path_known;
  const QsRoute *route = find_route (head ? "GET" : req->method, segs, &path_known);

  if (!path_known)
    {
      qs_respond_not_found (req);
      return;
    }
  if (route == NULL)
    {
      g_autofree char *allow = allowed_methods (segs);

      if (strcmp (req->method, "OPTIONS") == 0)
        {
          qs_respond_empty (req, 204);
          soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Allow", allow);
        }
      else
        qs_respond_method_not_allowed (req, allow);
      return;
    }

  req->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  route_matches (route, segs, req->params);

  if (route->access != QS_ACCESS_PUBLIC && !qs_require_user (req))
    return;
  /* An API key: its own organization only (404 elsewhere, as for an
   * outsider), then the route's scope. */
  if (req->api_key != NULL)
    {
      if (route->scope == QUORUM_SCOPE_NONE)
        {
          qs_respond_api_key_forbidden (req);
          return;
        }
      if (route->org_scoped && strcmp (qs_request_param (req, "org_id"), req->api_key->org_id) != 0)
        {
          qs_respond_error (req, 404, "organization_not_found", "No such organization.");
          return;
        }
      if ((req->api_key->scopes & route->scope) == 0)
        {
          g_autofree char *detail = g_strdup_printf ("This API key lacks the scope %s.",
                                                     quorum_scope_to_string (route->scope));

          qs_respond_error (req, 403, "insufficient_scope", detail);
          return;
        }
    }
  if (route->access == QS_ACCESS_VERIFIED && !qs_require_verified_email (req))
    return;
  if (route->org_scoped)
    {
      req->membership = qs_require_membership (req, qs_request_param (req, "org_id"), route->permission);
      if (req->membership == NULL)
        return;
    }
  route->handler (req);
}
