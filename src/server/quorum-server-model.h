/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "quorum-server-request.h"

G_BEGIN_DECLS

/* Users, organizations and members as JSON, their ETags, and the inserts
 * several handlers share (until they live in the store). */
JsonObject *qs_user_json         (QsRequest   *req,
                                  const char  *user_id);
JsonObject *qs_organization_json (QsRequest   *req,
                                  const char  *org_id,
                                  const char  *role);
JsonObject *qs_member_json       (QsRequest   *req,
                                  const char  *member_id);
char       *qs_insert_organization (QsRequest  *req,
                                    const char *name,
                                    const char *slug,
                                    const char *logo_url,
                                    const char *owner_id);
char       *qs_insert_member     (QsDb        *db,
                                  const char  *org_id,
                                  const char  *user_id,
                                  const char  *role,
                                  const char  *status,
                                  gint64       joined_at,
                                  gint64       last_active_at);
char       *qs_sort_name         (const char  *name);
char       *qs_search_text       (const char  *name,
                                  const char  *email);
char       *qs_org_etag          (QsRequest   *req,
                                  const char  *org_id);
char       *qs_user_etag         (QsRequest   *req,
                                  const char  *user_id);
char       *qs_member_etag       (QsRequest   *req,
                                  const char  *member_id);

G_END_DECLS
