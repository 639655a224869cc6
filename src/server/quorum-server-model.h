/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "quorum-server-json.h"
#include "quorum-server-request.h"

G_BEGIN_DECLS

/* Sets member to value, or to null when value is NULL. */
void        qs_json_set_string_or_null (JsonObject  *object,
                                        const char  *member,
                                        const char  *value);

/* "an admin" or "a member": what an invitation (e-mail or page) offers. */
const char *qs_role_phrase       (QuorumRole   role);

/* Users, organizations and members as JSON, and their ETags. */
JsonObject *qs_user_json         (QsRequest   *req,
                                  const char  *user_id);
JsonObject *qs_organization_to_json (const QsStoreOrganization *org,
                                     QuorumRole                 role);
/* NULL when there is no such organization. */
JsonObject *qs_organization_json (QsRequest   *req,
                                  const char  *org_id,
                                  const char  *role);
JsonObject *qs_member_to_json    (const QsStoreMember *member);
/* The same object, written without a tree (a members page); the server
 * test test-util.c holds the two to the same JSON. */
void        qs_member_write_json (QsJsonWriter        *writer,
                                  const QsStoreMember *member);
/* An API key as the API shows it, without its secret (quorum-server-api-keys.c). */
JsonObject *qs_api_key_to_json   (const QsStoreApiKey *key);
/* Members as CSV (RFC 4180, CRLF): the header row, and one member's row.
 * Cells are quoted when they hold a comma, a quote or a line break, and a
 * cell that starts with =, +, -, @, a tab or a CR gets a ' in front, so that
 * no spreadsheet reads it as a formula. */
#define QS_MEMBER_CSV_HEADER "name,email,role,status,joined_at,last_active_at\r\n"
void        qs_csv_append_cell   (GString     *out,
                                  const char  *cell);
void        qs_member_append_csv (GString     *out,
                                  const QsStoreMember *member);
/* ETags cover the state a PATCH can change. */
char       *qs_org_etag          (const QsStoreOrganization *org);
char       *qs_user_etag         (QsRequest   *req,
                                  const char  *user_id);
char       *qs_member_etag       (const QsStoreMember *member);

G_END_DECLS
