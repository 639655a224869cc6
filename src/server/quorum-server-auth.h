/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "quorum-server-request.h"

G_BEGIN_DECLS

/* Who is asking. The route table calls these before a handler runs (see
 * quorum-server-routes.c); a handler calls them itself only for a check it
 * must decide again inside its write transaction. */
gboolean  qs_require_user        (QsRequest        *req);
gboolean  qs_optional_user       (QsRequest        *req,
                                  gboolean         *signed_in);
/* 403 forbidden: what API keys may never do. */
void      qs_respond_api_key_forbidden (QsRequest      *req);
/* last_used_at of an API key is written when it is at least this old. */
#define QS_API_KEY_USE_RESOLUTION 60

/* The caller's membership of org_id with the permission; NULL when answered. */
QsStoreMember *qs_require_membership (QsRequest        *req,
                                      const char       *org_id,
                                      QuorumPermission  permission);
/* A transaction holding the membership check; NULL when answered. */
QsStoreTxn *qs_begin_membership  (QsRequest        *req,
                                  const char       *org_id,
                                  QuorumPermission  permission,
                                  QsStoreMember   **me);
/* The same for a handler that paused between dispatch and its write (a
 * DNS lookup): first the caller again, from the token it sent, as dispatch
 * found it (401 when the session ended, or the key was revoked, expired or
 * lost its creator meanwhile), then the membership and permission. */
QsStoreTxn *qs_begin_membership_after_pause (QsRequest        *req,
                                             const char       *org_id,
                                             QuorumPermission  permission,
                                             QsStoreMember   **me);
/* The audit record of a change by the caller, in the transaction in
 * progress (quorum-server-audit.c). data (may be NULL): for the actions
 * that are webhook events, the target as the API shows it (see
 * QsStoreAuditEvent). */
gboolean  qs_audit               (QsRequest        *req,
                                  const char       *org_id,
                                  const char       *action,
                                  const char       *target_type,
                                  const char       *target_id,
                                  const char       *target_name,
                                  JsonObject       *data);
/* The same with what an update changed: changes (may be NULL or empty)
 * as made by qs_audit_change_* (). Never put a secret in it. */
gboolean  qs_audit_changed       (QsRequest        *req,
                                  const char       *org_id,
                                  const char       *action,
                                  const char       *target_type,
                                  const char       *target_id,
                                  const char       *target_name,
                                  JsonObject       *data,
                                  JsonObject       *changes);
/* Add field: {"from": from, "to": to} to *changes (an object made on first
 * use) when from and to differ; nothing when they are equal. */
void      qs_audit_change_string (JsonObject      **changes,
                                  const char       *field,
                                  const char       *from,
                                  const char       *to);
void      qs_audit_change_boolean (JsonObject     **changes,
                                   const char      *field,
                                   gboolean         from,
                                   gboolean         to);
void      qs_audit_change_strv   (JsonObject         **changes,
                                  const char          *field,
                                  const char * const  *from,
                                  const char * const  *to);
/* object as compact JSON text. */
char     *qs_audit_json_text     (JsonObject       *object);
/* The same for an actor the request does not carry (a sign-up, an
 * invitation answered by its link): actor_kind "user" or "invitee". */
gboolean  qs_audit_by            (QsRequest        *req,
                                  const char       *actor_kind,
                                  const char       *actor_id,
                                  const char       *actor_name,
                                  const char       *org_id,
                                  const char       *action,
                                  const char       *target_type,
                                  const char       *target_id,
                                  const char       *target_name,
                                  JsonObject       *data);

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
