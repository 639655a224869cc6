/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-api.h"
#include "quorum-api-private.h"
#include "quorum-test-settings.h"

/* The defensive parsers: good input gives a complete object, anything that
 * breaks the contract gives QUORUM_API_ERROR_INVALID_RESPONSE and no object. */

typedef gpointer (*ParseFunc) (JsonNode *node, GError **error);

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static void
assert_invalid (ParseFunc   func,
                const char *json)
{
  g_autoptr(JsonNode) node = parse (json);
  g_autoptr(GError) error = NULL;
  gpointer object = func (node, &error);

  if (object != NULL)
    g_error ("parser accepted: %s", json);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (error->message);
}

#define USER_JSON \
  "{\"id\": \"usr_1\", \"name\": \"Ada Lovelace\", \"email\": \"ada@demo.quorum.test\", " \
  "\"created_at\": \"2026-11-22T10:43:14Z\"}"

static void
test_user_parse (void)
{
  g_autoptr(JsonNode) node = parse (USER_JSON);
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) user = quorum_user_new_from_json (node, &error);
  g_autofree char *name = NULL;
  g_autoptr(GDateTime) created = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (quorum_user_get_id (user), ==, "usr_1");
  g_assert_cmpstr (quorum_user_get_name (user), ==, "Ada Lovelace");
  g_assert_cmpstr (quorum_user_get_email (user), ==, "ada@demo.quorum.test");
  g_assert_cmpint (g_date_time_get_year (quorum_user_get_created_at (user)), ==, 2026);
  g_assert_cmpint (g_date_time_get_hour (quorum_user_get_created_at (user)), ==, 10);

  /* What a view binds to. */
  g_object_get (user, "name", &name, "created-at", &created, NULL);
  g_assert_cmpstr (name, ==, "Ada Lovelace");
  g_assert_true (g_date_time_equal (created, quorum_user_get_created_at (user)));
  g_assert_false (g_object_class_find_property (G_OBJECT_GET_CLASS (user), "name")->flags & G_PARAM_WRITABLE);
}

/* email_verified: a boolean when present; a server from before verification
 * does not send it and does not ask for it. */
static void
test_user_email_verified (void)
{
  const struct { const char *extra; gboolean verified; } cases[] = {
    { "", TRUE },
    { ", \"email_verified\": true", TRUE },
    { ", \"email_verified\": false", FALSE },
  };
  const char *garbage[] = {
    ", \"email_verified\": null", ", \"email_verified\": \"true\"", ", \"email_verified\": 1",
    ", \"email_verified\": 0", ", \"email_verified\": [true]", ", \"email_verified\": {}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"id\": \"usr_1\", \"name\": \"A\", \"email\": \"a@b.c\", "
                                               "\"created_at\": \"2026-11-22T10:43:14Z\"%s}", cases[i].extra);
      g_autoptr(JsonNode) node = parse (json);
      g_autoptr(GError) error = NULL;
      g_autoptr(QuorumUser) user = quorum_user_new_from_json (node, &error);
      gboolean verified;

      g_assert_no_error (error);
      g_assert_cmpint (quorum_user_get_email_verified (user), ==, cases[i].verified);
      g_object_get (user, "email-verified", &verified, NULL);
      g_assert_cmpint (verified, ==, cases[i].verified);
    }

  for (guint i = 0; i < G_N_ELEMENTS (garbage); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"id\": \"usr_1\", \"name\": \"A\", \"email\": \"a@b.c\", "
                                               "\"created_at\": \"2026-11-22T10:43:14Z\"%s}", garbage[i]);

      assert_invalid ((ParseFunc) quorum_user_new_from_json, json);
    }
}

static void
test_user_garbage (void)
{
  g_autofree char *long_name = NULL;
  g_autofree char *json = NULL;
  const char *cases[] = {
    "null", "[]", "42", "\"usr_1\"", "{}",
    "{\"id\": 1, \"name\": \"A\", \"email\": \"a@b.c\", \"created_at\": \"2026-11-22T10:43:14Z\"}",
    "{\"id\": \"usr_1\", \"name\": null, \"email\": \"a@b.c\", \"created_at\": \"2026-11-22T10:43:14Z\"}",
    "{\"id\": \"usr_1\", \"name\": \"A\", \"created_at\": \"2026-11-22T10:43:14Z\"}",
    "{\"id\": \"usr_1\", \"name\": \"\", \"email\": \"a@b.c\", \"created_at\": \"2026-11-22T10:43:14Z\"}",
    "{\"id\": \"usr 1\", \"name\": \"A\", \"email\": \"a@b.c\", \"created_at\": \"2026-11-22T10:43:14Z\"}",
    "{\"id\": \"usr_1\", \"name\": [\"A\"], \"email\": \"a@b.c\", \"created_at\": \"2026-11-22T10:43:14Z\"}",
    "{\"id\": \"usr_1\", \"name\": \"A\\u0007\", \"email\": \"a@b.c\", \"created_at\": \"2026-11-22T10:43:14Z\"}",
    "{\"id\": \"usr_1\", \"name\": \"A\", \"email\": \"a@b.c\", \"created_at\": \"yesterday\"}",
    "{\"id\": \"usr_1\", \"name\": \"A\", \"email\": \"a@b.c\", \"created_at\": 1700000000}",
    "{\"id\": \"usr_1\", \"name\": \"A\", \"email\": \"a@b.c\", \"created_at\": \"2026-11-22T10:43:14\"}",
    "{\"id\": \"usr_1\", \"name\": \"A\", \"email\": true, \"created_at\": \"2026-11-22T10:43:14Z\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_invalid ((ParseFunc) quorum_user_new_from_json, cases[i]);

  /* An absurd length, well past anything the server allows. */
  long_name = g_strnfill (100000, 'x');
  json = g_strdup_printf ("{\"id\": \"usr_1\", \"name\": \"%s\", \"email\": \"a@b.c\", "
                          "\"created_at\": \"2026-11-22T10:43:14Z\"}", long_name);
  assert_invalid ((ParseFunc) quorum_user_new_from_json, json);
}

#define ORG_JSON \
  "{\"id\": \"org_1\", \"name\": \"Analytical Engines\", \"slug\": \"analytical-engines\", " \
  "\"logo_url\": null, \"created_at\": \"2026-11-22T10:43:14Z\", \"member_count\": 3, " \
  "\"role\": \"admin\", \"unknown_field\": {\"ignored\": true}}"

static void
test_organization_parse (void)
{
  g_autoptr(JsonNode) node = parse (ORG_JSON);
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumOrganization) org = quorum_organization_new_from_json (node, &error);
  g_autofree char *role = NULL;
  int count = 0;

  g_assert_no_error (error);
  g_assert_cmpstr (quorum_organization_get_slug (org), ==, "analytical-engines");
  g_assert_null (quorum_organization_get_logo_url (org));
  g_assert_cmpint (quorum_organization_get_member_count (org), ==, 3);
  g_assert_cmpint (quorum_organization_get_role (org), ==, QUORUM_ROLE_ADMIN);
  g_assert_true (quorum_role_can (quorum_organization_get_role (org), QUORUM_PERMISSION_EDIT_ORGANIZATION));
  g_assert_false (quorum_role_can (quorum_organization_get_role (org), QUORUM_PERMISSION_DELETE_ORGANIZATION));
  g_assert_null (quorum_organization_get_etag (org));
  g_object_get (org, "role", &role, "member-count", &count, NULL);
  g_assert_cmpstr (role, ==, "admin");
  g_assert_cmpint (count, ==, 3);
}

static void
test_organization_garbage (void)
{
  const char *cases[] = {
    "{\"id\": \"org_1\", \"name\": \"A\", \"slug\": \"a-b\", \"logo_url\": null, \"created_at\": \"2026-11-22T10:43:14Z\", \"member_count\": -1, \"role\": \"admin\"}",
    "{\"id\": \"org_1\", \"name\": \"A\", \"slug\": \"a-b\", \"logo_url\": null, \"created_at\": \"2026-11-22T10:43:14Z\", \"member_count\": 1.5, \"role\": \"admin\"}",
    "{\"id\": \"org_1\", \"name\": \"A\", \"slug\": \"a-b\", \"logo_url\": null, \"created_at\": \"2026-11-22T10:43:14Z\", \"member_count\": \"3\", \"role\": \"admin\"}",
    "{\"id\": \"org_1\", \"name\": \"A\", \"slug\": \"a-b\", \"logo_url\": null, \"created_at\": \"2026-11-22T10:43:14Z\", \"member_count\": 99999999999, \"role\": \"admin\"}",
    "{\"id\": \"org_1\", \"name\": \"A\", \"slug\": \"a-b\", \"logo_url\": null, \"created_at\": \"2026-11-22T10:43:14Z\", \"member_count\": 1, \"role\": \"superuser\"}",
    "{\"id\": \"org_1\", \"name\": \"A\", \"slug\": \"a-b\", \"logo_url\": null, \"created_at\": \"2026-11-22T10:43:14Z\", \"member_count\": 1}",
    "{\"id\": \"org_1\", \"name\": \"A\", \"slug\": \"a b\", \"logo_url\": null, \"created_at\": \"2026-11-22T10:43:14Z\", \"member_count\": 1, \"role\": \"owner\"}",
    "{\"id\": \"org_1\", \"name\": \"A\", \"slug\": \"a-b\", \"logo_url\": 7, \"created_at\": \"2026-11-22T10:43:14Z\", \"member_count\": 1, \"role\": \"owner\"}",
    "{\"id\": \"org_1\", \"name\": \"A\", \"slug\": \"a-b\", \"created_at\": \"2026-11-22T10:43:14Z\", \"member_count\": 1, \"role\": \"owner\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_invalid ((ParseFunc) quorum_organization_new_from_json, cases[i]);
}

#define MEMBER_JSON \
  "{\"id\": \"mem_1\", \"user_id\": \"usr_1\", \"name\": \"Ada\", \"email\": \"ada@demo.quorum.test\", " \
  "\"role\": \"owner\", \"status\": \"active\", \"joined_at\": \"2026-11-22T10:43:14Z\", \"last_active_at\": null}"

static void
test_member_parse (void)
{
  g_autoptr(JsonNode) node = parse (MEMBER_JSON);
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumMember) member = quorum_member_new_from_json (node, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (quorum_member_get_user_id (member), ==, "usr_1");
  g_assert_cmpint (quorum_member_get_role (member), ==, QUORUM_ROLE_OWNER);
  g_assert_cmpstr (quorum_member_get_role_name (member), ==, "owner");
  g_assert_cmpstr (quorum_member_get_status (member), ==, "active");
  g_assert_null (quorum_member_get_last_active_at (member));

  assert_invalid ((ParseFunc) quorum_member_new_from_json,
                  "{\"id\": \"mem_1\", \"user_id\": \"usr_1\", \"name\": \"Ada\", \"email\": \"a@b.c\", "
                  "\"role\": \"owner\", \"status\": \"banned\", \"joined_at\": \"2026-11-22T10:43:14Z\", \"last_active_at\": null}");
  assert_invalid ((ParseFunc) quorum_member_new_from_json,
                  "{\"id\": \"mem_1\", \"user_id\": \"usr_1\", \"name\": \"Ada\", \"email\": \"a@b.c\", "
                  "\"role\": \"owner\", \"status\": \"active\", \"joined_at\": \"2026-11-22T10:43:14Z\"}");
  assert_invalid ((ParseFunc) quorum_member_new_from_json,
                  "{\"id\": \"mem_1\", \"user_id\": null, \"name\": \"Ada\", \"email\": \"a@b.c\", "
                  "\"role\": \"owner\", \"status\": \"active\", \"joined_at\": \"2026-11-22T10:43:14Z\", \"last_active_at\": null}");
}

static void
test_invitation_parse (void)
{
  g_autoptr(JsonNode) node = parse ("{\"id\": \"inv_1\", \"email\": \"bob@example.org\", \"role\": \"member\", "
                                    "\"status\": \"pending\", \"invited_by\": {\"id\": \"usr_1\", \"name\": \"Ada\"}, "
                                    "\"created_at\": \"2026-11-22T10:43:14Z\", \"expires_at\": \"2026-11-29T10:43:14Z\", "
                                    "\"last_sent_at\": \"2026-11-22T10:43:14Z\", \"send_count\": 1}");
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumInvitation) invitation = quorum_invitation_new_from_json (node, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (quorum_invitation_get_inviter_name (invitation), ==, "Ada");
  g_assert_cmpstr (quorum_invitation_get_inviter_id (invitation), ==, "usr_1");
  g_assert_cmpint (quorum_invitation_get_role (invitation), ==, QUORUM_ROLE_MEMBER);
  g_assert_cmpint (quorum_invitation_get_send_count (invitation), ==, 1);
  g_assert_cmpint (g_date_time_get_day_of_month (quorum_invitation_get_expires_at (invitation)), ==, 29);
  g_assert_null (quorum_invitation_get_organization_id (invitation));

  /* One of mine (GET /me/invitations): with the organization it leads to. */
  {
    g_autoptr(JsonNode) mine_node = parse ("{\"id\": \"inv_2\", \"email\": \"bob@example.org\", \"role\": \"admin\", "
                                           "\"status\": \"pending\", \"invited_by\": {\"id\": \"usr_1\", \"name\": \"Ada\"}, "
                                           "\"created_at\": \"2026-11-22T10:43:14Z\", \"expires_at\": \"2026-11-29T10:43:14Z\", "
                                           "\"last_sent_at\": null, \"send_count\": 1, \"organization\": {\"id\": \"org_1\", "
                                           "\"name\": \"Initech\", \"slug\": \"initech\", \"logo_url\": \"https://q.example/logo\"}}");
    g_autoptr(QuorumInvitation) mine = quorum_invitation_new_from_json (mine_node, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (quorum_invitation_get_organization_id (mine), ==, "org_1");
    g_assert_cmpstr (quorum_invitation_get_organization_name (mine), ==, "Initech");
    g_assert_cmpstr (quorum_invitation_get_organization_logo_url (mine), ==, "https://q.example/logo");
  }
  assert_invalid ((ParseFunc) quorum_invitation_new_from_json,
                  "{\"id\": \"inv_2\", \"email\": \"bob@example.org\", \"role\": \"admin\", "
                  "\"status\": \"pending\", \"invited_by\": {\"id\": \"usr_1\", \"name\": \"Ada\"}, "
                  "\"created_at\": \"2026-11-22T10:43:14Z\", \"expires_at\": \"2026-11-29T10:43:14Z\", "
                  "\"last_sent_at\": null, \"send_count\": 1, \"organization\": {\"id\": \"org_1\", "
                  "\"name\": \"Initech\", \"slug\": \"initech\", \"logo_url\": 7}}");

  assert_invalid ((ParseFunc) quorum_invitation_new_from_json,
                  "{\"id\": \"inv_1\", \"email\": \"bob@example.org\", \"role\": \"member\", "
                  "\"status\": \"pending\", \"invited_by\": \"Ada\", "
                  "\"created_at\": \"2026-11-22T10:43:14Z\", \"expires_at\": \"2026-11-29T10:43:14Z\", "
                  "\"last_sent_at\": null, \"send_count\": 1}");
  assert_invalid ((ParseFunc) quorum_invitation_new_from_json,
                  "{\"id\": \"inv_1\", \"email\": \"bob@example.org\", \"role\": \"member\", "
                  "\"status\": \"lost\", \"invited_by\": {\"id\": \"usr_1\", \"name\": \"Ada\"}, "
                  "\"created_at\": \"2026-11-22T10:43:14Z\", \"expires_at\": \"2026-11-29T10:43:14Z\", "
                  "\"last_sent_at\": null, \"send_count\": 1}");
}

static void
test_invitation_preview_parse (void)
{
  g_autoptr(JsonNode) node = parse ("{\"organization\": {\"name\": \"Analytical Engines\", \"slug\": \"analytical-engines\", "
                                    "\"logo_url\": null}, \"inviter_name\": \"Ada\", \"email\": \"bob@example.org\", "
                                    "\"role\": \"admin\", \"expires_at\": \"2026-11-29T10:43:14Z\", \"account_exists\": false}");
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumInvitationPreview) preview = quorum_invitation_preview_new_from_json (node, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (quorum_invitation_preview_get_organization_name (preview), ==, "Analytical Engines");
  g_assert_cmpint (quorum_invitation_preview_get_role (preview), ==, QUORUM_ROLE_ADMIN);
  g_assert_false (quorum_invitation_preview_get_account_exists (preview));

  assert_invalid ((ParseFunc) quorum_invitation_preview_new_from_json,
                  "{\"organization\": null, \"inviter_name\": \"Ada\", \"email\": \"bob@example.org\", "
                  "\"role\": \"admin\", \"expires_at\": \"2026-11-29T10:43:14Z\", \"account_exists\": false}");
  assert_invalid ((ParseFunc) quorum_invitation_preview_new_from_json,
                  "{\"organization\": {\"name\": \"A\", \"slug\": \"abc\", \"logo_url\": null}, \"inviter_name\": \"Ada\", "
                  "\"email\": \"bob@example.org\", \"role\": \"admin\", \"expires_at\": \"2026-11-29T10:43:14Z\", "
                  "\"account_exists\": \"no\"}");
}

/* Invalid UTF-8 inside a string that json-glib might pass through. */
static void
test_invalid_utf8 (void)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) user = NULL;

  json_object_set_string_member (object, "id", "usr_1");
  json_object_set_string_member (object, "name", "Ad\xff\xfe");
  json_object_set_string_member (object, "email", "a@b.c");
  json_object_set_string_member (object, "created_at", "2026-11-22T10:43:14Z");
  json_node_set_object (node, object);

  user = quorum_user_new_from_json (node, &error);
  g_assert_null (user);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVALID_RESPONSE);
}

static void
test_error_codes (void)
{
  const struct { const char *code; guint status; QuorumApiError error; } cases[] = {
    { "already_member", 409, QUORUM_API_ERROR_ALREADY_MEMBER },
    { "already_invited", 409, QUORUM_API_ERROR_ALREADY_INVITED },
    { "slug_taken", 409, QUORUM_API_ERROR_SLUG_TAKEN },
    { "email_taken", 409, QUORUM_API_ERROR_EMAIL_TAKEN },
    { "precondition_failed", 412, QUORUM_API_ERROR_PRECONDITION_FAILED },
    { "invalid_credentials", 401, QUORUM_API_ERROR_INVALID_CREDENTIALS },
    { "unauthenticated", 401, QUORUM_API_ERROR_UNAUTHENTICATED },
    { "member_suspended", 403, QUORUM_API_ERROR_MEMBER_SUSPENDED },
    { "owner_cannot_leave", 409, QUORUM_API_ERROR_OWNER_CANNOT_LEAVE },
    { "owner_immutable", 409, QUORUM_API_ERROR_OWNER_IMMUTABLE },
    { "cannot_modify_self", 409, QUORUM_API_ERROR_CANNOT_MODIFY_SELF },
    { "seat_limit_reached", 409, QUORUM_API_ERROR_SEAT_LIMIT_REACHED },
    { "invitation_not_found", 404, QUORUM_API_ERROR_INVITATION_NOT_FOUND },
    { "invitation_expired", 410, QUORUM_API_ERROR_INVITATION_EXPIRED },
    { "invitation_revoked", 410, QUORUM_API_ERROR_INVITATION_REVOKED },
    { "invitation_used", 410, QUORUM_API_ERROR_INVITATION_USED },
    { "email_mismatch", 403, QUORUM_API_ERROR_EMAIL_MISMATCH },
    { "account_exists", 409, QUORUM_API_ERROR_ACCOUNT_EXISTS },
    { "idempotency_key_reused", 409, QUORUM_API_ERROR_IDEMPOTENCY_KEY_REUSED },
    { "email_unverified", 403, QUORUM_API_ERROR_EMAIL_UNVERIFIED },
    { "already_verified", 409, QUORUM_API_ERROR_ALREADY_VERIFIED },
    { "token_not_found", 404, QUORUM_API_ERROR_TOKEN_NOT_FOUND },
    { "token_expired", 410, QUORUM_API_ERROR_TOKEN_EXPIRED },
    /* Codes this client does not know fall back on the status. */
    { "brand_new_conflict", 409, QUORUM_API_ERROR_CONFLICT },
    { "brand_new_gone", 410, QUORUM_API_ERROR_GONE },
    { NULL, 503, QUORUM_API_ERROR_SERVER },
    { NULL, 500, QUORUM_API_ERROR_SERVER },
    { NULL, 429, QUORUM_API_ERROR_RATE_LIMITED },
    { NULL, 404, QUORUM_API_ERROR_NOT_FOUND },
    { NULL, 418, QUORUM_API_ERROR_FAILED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpint (quorum_api_error_from_code (cases[i].code, cases[i].status), ==, cases[i].error);
      if (cases[i].code != NULL && !g_str_has_prefix (cases[i].code, "brand_new"))
        g_assert_cmpstr (quorum_api_error_to_code (cases[i].error), ==, cases[i].code);
    }

  /* The client's own words for the e-mail and reset errors; the server's
   * detail stays for the rest. */
  g_assert_nonnull (strstr (quorum_api_error_get_message (QUORUM_API_ERROR_EMAIL_UNVERIFIED), "Verify your e-mail"));
  g_assert_nonnull (strstr (quorum_api_error_get_message (QUORUM_API_ERROR_ALREADY_VERIFIED), "already verified"));
  g_assert_nonnull (strstr (quorum_api_error_get_message (QUORUM_API_ERROR_TOKEN_NOT_FOUND), "not valid any more"));
  g_assert_nonnull (strstr (quorum_api_error_get_message (QUORUM_API_ERROR_TOKEN_EXPIRED), "expired"));
  g_assert_null (quorum_api_error_get_message (QUORUM_API_ERROR_CONFLICT));
}

int
main (int   argc,
      char *argv[])
{
  quorum_test_settings_init ();  /* before anything reads settings */
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/api/models/user", test_user_parse);
  g_test_add_func ("/api/models/user-garbage", test_user_garbage);
  g_test_add_func ("/api/models/user-email-verified", test_user_email_verified);
  g_test_add_func ("/api/models/organization", test_organization_parse);
  g_test_add_func ("/api/models/organization-garbage", test_organization_garbage);
  g_test_add_func ("/api/models/member", test_member_parse);
  g_test_add_func ("/api/models/invitation", test_invitation_parse);
  g_test_add_func ("/api/models/invitation-preview", test_invitation_preview_parse);
  g_test_add_func ("/api/models/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/api/errors/codes", test_error_codes);

  return g_test_run ();
}
