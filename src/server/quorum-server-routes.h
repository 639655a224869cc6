/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "quorum-server-request.h"

G_BEGIN_DECLS

typedef enum
{
  QS_ACCESS_PUBLIC,    /* anyone; the handler may still look at a token */
  QS_ACCESS_SESSION,   /* a valid session token, else 401 */
  QS_ACCESS_VERIFIED,  /* a session whose e-mail address is verified, else 403 */
} QsAccess;

typedef enum
{
  QS_BODY_JSON,        /* application/json (or none), up to QS_BODY_LIMIT */
  QS_BODY_IMAGE,       /* the handler checks the type, up to QS_LOGO_LIMIT */
  QS_BODY_FORM,        /* an HTML form posted by one of the server's pages */
} QsBodyKind;

typedef struct
{
  const char       *method;
  const char       *pattern;     /* "/v1/organizations/{org_id}/members/{member_id}" */
  QsHandler         handler;
  QsAccess          access;
  /* Organization-scoped: the caller must be a member of {org_id} whose role
   * has permission (quorum_role_can ()), checked before the handler runs. */
  gboolean          org_scoped;
  QuorumPermission  permission;
  /* The scope an API key needs (docs/api/openapi.yaml: the operation's
   * `apiKey: [scope]`); QUORUM_SCOPE_NONE: signed-in users only, 403
   * forbidden to a key. A key only ever acts in its own organization. */
  QuorumScope       scope;
  /* The handler decides the membership again inside its write transaction. */
  gboolean          rechecked;
  QsBodyKind        body;
} QsRoute;

/* The table, in order; n_routes set to its length. */
const QsRoute *qs_routes_get       (guint       *n_routes);
/* The body a request to method and path may send (before it is read). */
QsBodyKind     qs_routes_body_kind (const char  *method,
                                    const char  *path);
/* Routes req (path as libsoup gives it): 404, 405 with Allow, OPTIONS,
 * HEAD as GET, access and permission checks, then the handler. */
void           qs_routes_dispatch  (QsRequest   *req,
                                    const char  *path);

G_END_DECLS
