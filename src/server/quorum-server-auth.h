/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "quorum-server-request.h"

G_BEGIN_DECLS

/* Who is asking. The route table calls these before a handler runs (see
 * quorum-server-routes.c); a handler calls them itself only for a check it
 * must decide again inside its write transaction. */
gboolean  qs_require_user        (QsRequest        *req);
gboolean  qs_optional_user       (QsRequest        *req,
                                  gboolean         *signed_in);
/* The caller's membership of org_id with the permission; NULL when answered. */
QsStoreMember *qs_require_membership (QsRequest        *req,
                                      const char       *org_id,
                                      QuorumPermission  permission);
/* A transaction holding the membership check; NULL when answered. */
QsStoreTxn *qs_begin_membership  (QsRequest        *req,
                                  const char       *org_id,
                                  QuorumPermission  permission,
                                  QsStoreMember   **me);
/* quorum-server-email.c */
gboolean  qs_require_verified_email (QsRequest     *req);

char     *qs_create_session      (QsRequest        *req,
                                  const char       *user_id,
                                  gint64           *expires_at);
/* quorum-server-identity.c */
void      qs_respond_session     (QsRequest        *req,
                                  guint             status,
                                  const char       *user_id,
                                  char             *token,
                                  gint64            expires_at);

G_END_DECLS
