/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-server-http.h"
#include "quorum-server-model.h"

void
qs_json_set_string_or_null (JsonObject *object,
                            const char *member,
                            const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

const char *
qs_role_phrase (QuorumRole role)
{
  return role == QUORUM_ROLE_ADMIN ? "an admin" : "a member";
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
  qs_json_set_string_or_null (object, "logo_url", org->logo_url);
  json_object_set_string_member (object, "created_at", created);
  json_object_set_int_member (object, "member_count", org->member_count);
  qs_json_set_string_or_null (object, "role",
                              role != QUORUM_ROLE_NONE ? quorum_role_to_string (role) : NULL);
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
  g_autofree char *active = member->last_active_at != 0 ? qs_format_time (member->last_active_at) : NULL;

  json_object_set_string_member (object, "id", member->id);
  json_object_set_string_member (object, "user_id", member->user_id);
  json_object_set_string_member (object, "name", member->name);
  json_object_set_string_member (object, "email", member->email);
  json_object_set_string_member (object, "role", quorum_role_to_string (member->role));
  json_object_set_string_member (object, "status", qs_store_member_status_to_string (member->status));
  json_object_set_string_member (object, "joined_at", joined);
  qs_json_set_string_or_null (object, "last_active_at", active);
  return object;
}

void
qs_member_write_json (QsJsonWriter        *writer,
                      const QsStoreMember *member)
{
  qs_json_begin_object (writer);
  qs_json_key (writer, "id");
  qs_json_string (writer, member->id);
  qs_json_key (writer, "user_id");
  qs_json_string (writer, member->user_id);
  qs_json_key (writer, "name");
  qs_json_string (writer, member->name);
  qs_json_key (writer, "email");
  qs_json_string (writer, member->email);
  qs_json_key (writer, "role");
  qs_json_string (writer, quorum_role_to_string (member->role));
  qs_json_key (writer, "status");
  qs_json_string (writer, qs_store_member_status_to_string (member->status));
  qs_json_key (writer, "joined_at");
  qs_json_time (writer, member->joined_at, FALSE);
  qs_json_key (writer, "last_active_at");
  qs_json_time (writer, member->last_active_at, TRUE);
  qs_json_end_object (writer);
}

void
qs_csv_append_cell (GString    *out,
                    const char *cell)
{
  gboolean formula = quorum_csv_is_formula_start (cell[0]);
  gboolean quote = strpbrk (cell, ",\"\r\n") != NULL;

  if (quote)
    g_string_append_c (out, '"');
  if (formula)
    g_string_append_c (out, '\'');
  for (const char *p = cell; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  if (quote)
    g_string_append_c (out, '"');
}

void
qs_member_append_csv (GString             *out,
                      const QsStoreMember *member)
{
  g_autofree char *joined = qs_format_time (member->joined_at);
  g_autofree char *active = member->last_active_at != 0 ? qs_format_time (member->last_active_at) : NULL;

  qs_csv_append_cell (out, member->name);
  g_string_append_c (out, ',');
  qs_csv_append_cell (out, member->email);
  g_string_append_c (out, ',');
  qs_csv_append_cell (out, quorum_role_to_string (member->role));
  g_string_append_c (out, ',');
  qs_csv_append_cell (out, qs_store_member_status_to_string (member->status));
  g_string_append_c (out, ',');
  qs_csv_append_cell (out, joined);
  g_string_append_c (out, ',');
  if (active != NULL)
    qs_csv_append_cell (out, active);  /* never: an empty cell */
  g_string_append (out, "\r\n");
}

/* ETags cover the state a PATCH can change, so unrelated updates (say
 * last_active_at) never make an edit fail with 412. */
char *
qs_user_etag (QsRequest  *req,
              const char *user_id)
{
  g_autoptr(QsStoreUser) user = qs_store_user_by_id (req->store, user_id, NULL);
  g_autofree char *state = user ? g_strconcat (user_id, "\n", user->name, NULL) : NULL;

  return qs_etag_from_state ('u', state ? state : user_id);
}

char *
qs_member_etag (const QsStoreMember *member)
{
  g_autofree char *state = g_strconcat (member->id, "\n", quorum_role_to_string (member->role), "\n",
                                        qs_store_member_status_to_string (member->status),
                                        NULL);

  return qs_etag_from_state ('m', state);
}

char *
qs_org_etag (const QsStoreOrganization *org)
{
  return g_strdup_printf ("\"%s.%" G_GINT64_FORMAT "\"", org->id, org->version);
}
