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

/* An API key has no role: the organization it reads says null (a missing
 * role is still refused, in organization-garbage). */
static void
test_organization_seen_by_key (void)
{
  g_autoptr(JsonNode) node = parse ("{\"id\": \"org_1\", \"name\": \"A\", \"slug\": \"a-b\", \"logo_url\": null, "
                                    "\"created_at\": \"2026-11-22T10:43:14Z\", \"member_count\": 1, \"role\": null}");
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumOrganization) org = quorum_organization_new_from_json (node, &error);

  g_assert_no_error (error);
  g_assert_cmpint (quorum_organization_get_role (org), ==, QUORUM_ROLE_NONE);
  g_assert_null (quorum_organization_get_role_name (org));
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

#define PLAN_JSON \
  "{\"id\": \"pln_team\", \"name\": \"Team\", \"price_cents\": 2900, \"currency\": \"EUR\", " \
  "\"seat_limit\": 25, \"included_credits\": 50000}"

static void
test_plan_parse (void)
{
  g_autoptr(JsonNode) node = parse (PLAN_JSON);
  g_autoptr(JsonNode) unlimited_node = parse ("{\"id\": \"pln_biz\", \"name\": \"Business\", \"price_cents\": 0, "
                                              "\"currency\": \"USD\", \"seat_limit\": null, \"included_credits\": 0}");
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumPlan) plan = quorum_plan_new_from_json (node, &error);
  g_autoptr(QuorumPlan) unlimited = NULL;
  gint64 price = 0;

  g_assert_no_error (error);
  g_assert_cmpstr (quorum_plan_get_id (plan), ==, "pln_team");
  g_assert_cmpstr (quorum_plan_get_name (plan), ==, "Team");
  g_assert_cmpint (quorum_plan_get_price_cents (plan), ==, 2900);
  g_assert_cmpstr (quorum_plan_get_currency (plan), ==, "EUR");
  g_assert_cmpint (quorum_plan_get_seat_limit (plan), ==, 25);
  g_assert_cmpint (quorum_plan_get_included_credits (plan), ==, 50000);
  g_object_get (plan, "price-cents", &price, NULL);
  g_assert_cmpint (price, ==, 2900);

  unlimited = quorum_plan_new_from_json (unlimited_node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (quorum_plan_get_seat_limit (unlimited), ==, 0);
}

/* Missing fields, wrong types, numbers out of any range, bad currencies. */
static void
test_plan_garbage (void)
{
  const char *cases[] = {
    "null", "[]", "{}", "\"pln_team\"",
    "{\"name\": \"Team\", \"price_cents\": 2900, \"currency\": \"EUR\", \"seat_limit\": 25, \"included_credits\": 0}",
    "{\"id\": \"pln_team\", \"name\": \"Team\", \"price_cents\": 2900, \"currency\": \"EUR\", \"included_credits\": 0}",
    "{\"id\": \"pln_team\", \"name\": \"Team\", \"price_cents\": \"2900\", \"currency\": \"EUR\", \"seat_limit\": 25, \"included_credits\": 0}",
    "{\"id\": \"pln_team\", \"name\": \"Team\", \"price_cents\": 29.5, \"currency\": \"EUR\", \"seat_limit\": 25, \"included_credits\": 0}",
    "{\"id\": \"pln_team\", \"name\": \"Team\", \"price_cents\": -1, \"currency\": \"EUR\", \"seat_limit\": 25, \"included_credits\": 0}",
    "{\"id\": \"pln_team\", \"name\": \"Team\", \"price_cents\": 9223372036854775807, \"currency\": \"EUR\", \"seat_limit\": 25, \"included_credits\": 0}",
    "{\"id\": \"pln_team\", \"name\": \"Team\", \"price_cents\": 1e300, \"currency\": \"EUR\", \"seat_limit\": 25, \"included_credits\": 0}",
    "{\"id\": \"pln_team\", \"name\": \"Team\", \"price_cents\": 123456789012345678901234567890, \"currency\": \"EUR\", \"seat_limit\": 25, \"included_credits\": 0}",
    "{\"id\": \"pln_team\", \"name\": \"Team\", \"price_cents\": 2900, \"currency\": \"eur\", \"seat_limit\": 25, \"included_credits\": 0}",
    "{\"id\": \"pln_team\", \"name\": \"Team\", \"price_cents\": 2900, \"currency\": \"EURO\", \"seat_limit\": 25, \"included_credits\": 0}",
    "{\"id\": \"pln_team\", \"name\": \"Team\", \"price_cents\": 2900, \"currency\": \"\", \"seat_limit\": 25, \"included_credits\": 0}",
    "{\"id\": \"pln_team\", \"name\": \"Team\", \"price_cents\": 2900, \"currency\": 978, \"seat_limit\": 25, \"included_credits\": 0}",
    "{\"id\": \"pln_team\", \"name\": \"Team\", \"price_cents\": 2900, \"currency\": \"EUR\", \"seat_limit\": 0, \"included_credits\": 0}",
    "{\"id\": \"pln_team\", \"name\": \"Team\", \"price_cents\": 2900, \"currency\": \"EUR\", \"seat_limit\": 4294967296, \"included_credits\": 0}",
    "{\"id\": \"pln_team\", \"name\": \"Team\", \"price_cents\": 2900, \"currency\": \"EUR\", \"seat_limit\": \"25\", \"included_credits\": 0}",
    "{\"id\": \"pln_team\", \"name\": \"Team\", \"price_cents\": 2900, \"currency\": \"EUR\", \"seat_limit\": 25, \"included_credits\": null}",
    "{\"id\": \"pln team\", \"name\": \"Team\", \"price_cents\": 2900, \"currency\": \"EUR\", \"seat_limit\": 25, \"included_credits\": 0}",
    "{\"id\": \"pln_team\", \"name\": \"\", \"price_cents\": 2900, \"currency\": \"EUR\", \"seat_limit\": 25, \"included_credits\": 0}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_invalid ((ParseFunc) quorum_plan_new_from_json, cases[i]);
}

#define BILLING_JSON(plan, balance, seat_limit, payment, next, alert) \
  "{\"plan\": " plan ", \"balance_cents\": " balance ", \"currency\": \"EUR\", \"seats_used\": 14, " \
  "\"seat_limit\": " seat_limit ", \"payment_method\": " payment ", \"next_invoice_at\": " next ", " \
  "\"low_balance_alert_cents\": " alert "}"
#define CARD_JSON "{\"type\": \"card\", \"brand\": \"visa\", \"last4\": \"4242\"}"

static void
test_billing_parse (void)
{
  g_autoptr(JsonNode) node = parse (BILLING_JSON (PLAN_JSON, "7500", "25", CARD_JSON,
                                                  "\"2026-12-01T00:00:00Z\"", "1000"));
  g_autoptr(JsonNode) low_node = parse (BILLING_JSON (PLAN_JSON, "-250", "null", "null", "null", "0"));
  g_autoptr(JsonNode) off_node = parse (BILLING_JSON (PLAN_JSON, "-250", "null", "null", "null", "null"));
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumBilling) billing = quorum_billing_new_from_json (node, &error);
  g_autoptr(QuorumBilling) low = NULL;
  g_autoptr(QuorumBilling) off = NULL;
  gboolean is_low = TRUE;

  g_assert_no_error (error);
  g_assert_cmpstr (quorum_plan_get_id (quorum_billing_get_plan (billing)), ==, "pln_team");
  g_assert_cmpint (quorum_billing_get_balance_cents (billing), ==, 7500);
  g_assert_cmpstr (quorum_billing_get_currency (billing), ==, "EUR");
  g_assert_cmpint (quorum_billing_get_seats_used (billing), ==, 14);
  g_assert_cmpint (quorum_billing_get_seat_limit (billing), ==, 25);
  g_assert_cmpint (quorum_billing_get_low_balance_alert_cents (billing), ==, 1000);
  g_assert_false (quorum_billing_get_balance_is_low (billing));
  g_assert_cmpstr (quorum_billing_get_card_brand (billing), ==, "visa");
  g_assert_cmpstr (quorum_billing_get_card_last4 (billing), ==, "4242");
  g_assert_cmpint (g_date_time_get_month (quorum_billing_get_next_invoice_at (billing)), ==, 12);
  g_object_get (billing, "balance-is-low", &is_low, NULL);
  g_assert_false (is_low);

  /* A negative balance is allowed; an alert at 0 fires below 0. */
  low = quorum_billing_new_from_json (low_node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (quorum_billing_get_balance_cents (low), ==, -250);
  g_assert_cmpint (quorum_billing_get_seat_limit (low), ==, 0);
  g_assert_null (quorum_billing_get_card_last4 (low));
  g_assert_null (quorum_billing_get_next_invoice_at (low));
  g_assert_cmpint (quorum_billing_get_low_balance_alert_cents (low), ==, 0);
  g_assert_true (quorum_billing_get_balance_is_low (low));

  /* No alert: never low. */
  off = quorum_billing_new_from_json (off_node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (quorum_billing_get_low_balance_alert_cents (off), ==, QUORUM_BILLING_NO_ALERT);
  g_assert_false (quorum_billing_get_balance_is_low (off));
}

static void
test_billing_garbage (void)
{
  const char *cases[] = {
    "null", "[]", "{}",
    BILLING_JSON ("null", "7500", "25", "null", "null", "null"),
    BILLING_JSON ("{}", "7500", "25", "null", "null", "null"),
    BILLING_JSON ("\"pln_team\"", "7500", "25", "null", "null", "null"),
    BILLING_JSON (PLAN_JSON, "\"7500\"", "25", "null", "null", "null"),
    BILLING_JSON (PLAN_JSON, "75.5", "25", "null", "null", "null"),
    BILLING_JSON (PLAN_JSON, "null", "25", "null", "null", "null"),
    BILLING_JSON (PLAN_JSON, "-9223372036854775808", "25", "null", "null", "null"),
    BILLING_JSON (PLAN_JSON, "7500", "-3", "null", "null", "null"),
    BILLING_JSON (PLAN_JSON, "7500", "true", "null", "null", "null"),
    BILLING_JSON (PLAN_JSON, "7500", "25", "\"visa\"", "null", "null"),
    BILLING_JSON (PLAN_JSON, "7500", "25", "{\"type\": \"cash\", \"brand\": \"visa\", \"last4\": \"4242\"}", "null", "null"),
    BILLING_JSON (PLAN_JSON, "7500", "25", "{\"type\": \"card\", \"brand\": \"visa\", \"last4\": \"42\"}", "null", "null"),
    BILLING_JSON (PLAN_JSON, "7500", "25", "{\"type\": \"card\", \"brand\": \"visa\", \"last4\": \"42a2\"}", "null", "null"),
    BILLING_JSON (PLAN_JSON, "7500", "25", "{\"type\": \"card\", \"brand\": \"visa\", \"last4\": 4242}", "null", "null"),
    BILLING_JSON (PLAN_JSON, "7500", "25", "null", "\"next month\"", "null"),
    BILLING_JSON (PLAN_JSON, "7500", "25", "null", "null", "-1"),
    BILLING_JSON (PLAN_JSON, "7500", "25", "null", "null", "\"1000\""),
    BILLING_JSON (PLAN_JSON, "7500", "25", "null", "null", "1e400"),
    /* Fields of the contract left out. */
    "{\"plan\": " PLAN_JSON ", \"balance_cents\": 1, \"currency\": \"EUR\", \"seats_used\": 1, "
    "\"seat_limit\": 25, \"payment_method\": null, \"next_invoice_at\": null}",
    "{\"plan\": " PLAN_JSON ", \"balance_cents\": 1, \"currency\": \"EUR\", \"seats_used\": 1, "
    "\"payment_method\": null, \"next_invoice_at\": null, \"low_balance_alert_cents\": null}",
    "{\"plan\": " PLAN_JSON ", \"balance_cents\": 1, \"seats_used\": 1, \"seat_limit\": 25, "
    "\"payment_method\": null, \"next_invoice_at\": null, \"low_balance_alert_cents\": null}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_invalid ((ParseFunc) quorum_billing_new_from_json, cases[i]);
}

#define INVOICE_JSON(start, end, total, status) \
  "{\"id\": \"ivc_1aZ5sDx9Fg\", \"number\": \"QRM-2026-000123\", \"period_start\": " start ", " \
  "\"period_end\": " end ", \"total_cents\": " total ", \"currency\": \"EUR\", \"status\": " status "}"

static void
test_invoice_parse (void)
{
  g_autoptr(JsonNode) node = parse (INVOICE_JSON ("\"2026-10-01T00:00:00Z\"", "\"2026-11-01T00:00:00Z\"",
                                                  "2900", "\"paid\""));
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumInvoice) invoice = quorum_invoice_new_from_json (node, &error);
  const char *cases[] = {
    "null", "{}",
    INVOICE_JSON ("\"2026-10-01T00:00:00Z\"", "\"2026-11-01T00:00:00Z\"", "2900", "\"refunded\""),
    INVOICE_JSON ("\"2026-10-01T00:00:00Z\"", "\"2026-11-01T00:00:00Z\"", "2900", "null"),
    INVOICE_JSON ("\"2026-10-01T00:00:00Z\"", "\"2026-11-01T00:00:00Z\"", "-1", "\"paid\""),
    INVOICE_JSON ("\"2026-10-01T00:00:00Z\"", "\"2026-11-01T00:00:00Z\"", "1e30", "\"paid\""),
    INVOICE_JSON ("\"2026-10-01T00:00:00Z\"", "\"2026-11-01T00:00:00Z\"", "\"29.00\"", "\"paid\""),
    INVOICE_JSON ("\"2026-10-01\"", "\"2026-11-01T00:00:00Z\"", "2900", "\"paid\""),
    INVOICE_JSON ("\"2026-10-01T00:00:00Z\"", "null", "2900", "\"paid\""),
    INVOICE_JSON ("\"2026-11-01T00:00:00Z\"", "\"2026-10-01T00:00:00Z\"", "2900", "\"paid\""),
    "{\"id\": \"ivc_1\", \"number\": \"\", \"period_start\": \"2026-10-01T00:00:00Z\", "
    "\"period_end\": \"2026-11-01T00:00:00Z\", \"total_cents\": 1, \"currency\": \"EUR\", \"status\": \"paid\"}",
    "{\"id\": \"ivc_1\", \"number\": \"QRM-1\", \"period_start\": \"2026-10-01T00:00:00Z\", "
    "\"period_end\": \"2026-11-01T00:00:00Z\", \"total_cents\": 1, \"status\": \"paid\"}",
  };

  g_assert_no_error (error);
  g_assert_cmpstr (quorum_invoice_get_id (invoice), ==, "ivc_1aZ5sDx9Fg");
  g_assert_cmpstr (quorum_invoice_get_number (invoice), ==, "QRM-2026-000123");
  g_assert_cmpint (g_date_time_get_month (quorum_invoice_get_period_start (invoice)), ==, 10);
  g_assert_cmpint (g_date_time_get_month (quorum_invoice_get_period_end (invoice)), ==, 11);
  g_assert_cmpint (quorum_invoice_get_total_cents (invoice), ==, 2900);
  g_assert_cmpstr (quorum_invoice_get_currency (invoice), ==, "EUR");
  g_assert_cmpstr (quorum_invoice_get_status (invoice), ==, "paid");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_invalid ((ParseFunc) quorum_invoice_new_from_json, cases[i]);
}

#define LEDGER_JSON(kind, amount, after, currency, description, created) \
  "{\"id\": \"led_42\", \"kind\": " kind ", \"amount_cents\": " amount ", " \
  "\"balance_after_cents\": " after ", \"currency\": " currency ", \"description\": " description ", " \
  "\"created_at\": " created "}"

static void
test_ledger_entry_parse (void)
{
  g_autoptr(JsonNode) charge_node = parse (LEDGER_JSON ("\"usage\"", "-2000", "-150", "\"EUR\"",
                                                        "\"Usage past the included credits\"",
                                                        "\"2026-10-14T09:30:00Z\""));
  g_autoptr(JsonNode) future_node = parse (LEDGER_JSON ("\"refund\"", "700", "0", "\"BRL\"", "\"Estorno\"",
                                                        "\"2026-10-14T09:30:00+02:00\""));
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumLedgerEntry) charge = quorum_ledger_entry_new_from_json (charge_node, &error);
  g_autoptr(QuorumLedgerEntry) future = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (quorum_ledger_entry_get_id (charge), ==, "led_42");
  g_assert_cmpstr (quorum_ledger_entry_get_kind (charge), ==, "usage");
  g_assert_cmpint (quorum_ledger_entry_get_amount_cents (charge), ==, -2000);
  g_assert_cmpint (quorum_ledger_entry_get_balance_after_cents (charge), ==, -150);
  g_assert_cmpstr (quorum_ledger_entry_get_currency (charge), ==, "EUR");
  g_assert_cmpstr (quorum_ledger_entry_get_description (charge), ==, "Usage past the included credits");
  g_assert_cmpint (g_date_time_get_day_of_month (quorum_ledger_entry_get_created_at (charge)), ==, 14);
  g_assert_cmpint (g_date_time_get_hour (quorum_ledger_entry_get_created_at (charge)), ==, 9);

  /* A kind a newer server added still parses: the app shows its description. */
  future = quorum_ledger_entry_new_from_json (future_node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (quorum_ledger_entry_get_kind (future), ==, "refund");
  g_assert_cmpint (quorum_ledger_entry_get_amount_cents (future), ==, 700);
}

static void
test_ledger_entry_garbage (void)
{
  const char *cases[] = {
    "null", "{}", "[]", "42", "\"led_1\"",
    /* amounts: not integers, past the limit, strings, missing */
    LEDGER_JSON ("\"top_up\"", "1.5", "0", "\"EUR\"", "\"Top-up\"", "\"2026-10-14T09:30:00Z\""),
    LEDGER_JSON ("\"top_up\"", "1e30", "0", "\"EUR\"", "\"Top-up\"", "\"2026-10-14T09:30:00Z\""),
    LEDGER_JSON ("\"top_up\"", "-1e30", "0", "\"EUR\"", "\"Top-up\"", "\"2026-10-14T09:30:00Z\""),
    LEDGER_JSON ("\"top_up\"", "\"5.00\"", "0", "\"EUR\"", "\"Top-up\"", "\"2026-10-14T09:30:00Z\""),
    LEDGER_JSON ("\"top_up\"", "500", "null", "\"EUR\"", "\"Top-up\"", "\"2026-10-14T09:30:00Z\""),
    LEDGER_JSON ("\"top_up\"", "500", "9223372036854775807", "\"EUR\"", "\"Top-up\"",
                 "\"2026-10-14T09:30:00Z\""),
    LEDGER_JSON ("\"top_up\"", "true", "0", "\"EUR\"", "\"Top-up\"", "\"2026-10-14T09:30:00Z\""),
    /* kind: missing, empty, not a word */
    LEDGER_JSON ("null", "500", "500", "\"EUR\"", "\"Top-up\"", "\"2026-10-14T09:30:00Z\""),
    LEDGER_JSON ("\"\"", "500", "500", "\"EUR\"", "\"Top-up\"", "\"2026-10-14T09:30:00Z\""),
    LEDGER_JSON ("\"top up; drop\"", "500", "500", "\"EUR\"", "\"Top-up\"", "\"2026-10-14T09:30:00Z\""),
    LEDGER_JSON ("{}", "500", "500", "\"EUR\"", "\"Top-up\"", "\"2026-10-14T09:30:00Z\""),
    /* currency, description, date */
    LEDGER_JSON ("\"top_up\"", "500", "500", "\"euro\"", "\"Top-up\"", "\"2026-10-14T09:30:00Z\""),
    LEDGER_JSON ("\"top_up\"", "500", "500", "null", "\"Top-up\"", "\"2026-10-14T09:30:00Z\""),
    LEDGER_JSON ("\"top_up\"", "500", "500", "\"EUR\"", "\"\"", "\"2026-10-14T09:30:00Z\""),
    LEDGER_JSON ("\"top_up\"", "500", "500", "\"EUR\"", "\"a\\u0007b\"", "\"2026-10-14T09:30:00Z\""),
    LEDGER_JSON ("\"top_up\"", "500", "500", "\"EUR\"", "[\"Top-up\"]", "\"2026-10-14T09:30:00Z\""),
    LEDGER_JSON ("\"top_up\"", "500", "500", "\"EUR\"", "\"Top-up\"", "\"2026-10-14\""),
    LEDGER_JSON ("\"top_up\"", "500", "500", "\"EUR\"", "\"Top-up\"", "\"yesterday\""),
    LEDGER_JSON ("\"top_up\"", "500", "500", "\"EUR\"", "\"Top-up\"", "1760434200"),
    /* id */
    "{\"id\": \"led 1\", \"kind\": \"top_up\", \"amount_cents\": 1, \"balance_after_cents\": 1, "
    "\"currency\": \"EUR\", \"description\": \"Top-up\", \"created_at\": \"2026-10-14T09:30:00Z\"}",
    "{\"kind\": \"top_up\", \"amount_cents\": 1, \"balance_after_cents\": 1, "
    "\"currency\": \"EUR\", \"description\": \"Top-up\", \"created_at\": \"2026-10-14T09:30:00Z\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_invalid ((ParseFunc) quorum_ledger_entry_new_from_json, cases[i]);
}

static void
test_usage_item_parse (void)
{
  g_autoptr(JsonNode) day_node = parse ("{\"key\": \"2026-11-21\", \"credits\": 1250, \"requests\": 412}");
  g_autoptr(JsonNode) member_node = parse ("{\"key\": \"mem_7Hq\", \"credits\": 0, \"requests\": 0}");
  g_autoptr(JsonNode) not_a_day_node = parse ("{\"key\": \"2026-02-30\", \"credits\": 1, \"requests\": 1}");
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUsageItem) day = quorum_usage_item_new_from_json (day_node, &error);
  g_autoptr(QuorumUsageItem) member = NULL;
  g_autoptr(QuorumUsageItem) not_a_day = NULL;
  const char *cases[] = {
    "null", "{}", "[1, 2]",
    "{\"key\": \"2026-11-21\", \"credits\": -1, \"requests\": 0}",
    "{\"key\": \"2026-11-21\", \"credits\": 1.5, \"requests\": 0}",
    "{\"key\": \"2026-11-21\", \"credits\": 18446744073709551616, \"requests\": 0}",
    "{\"key\": \"2026-11-21\", \"credits\": 1, \"requests\": \"many\"}",
    "{\"key\": \"2026-11-21\", \"credits\": 1}",
    "{\"key\": null, \"credits\": 1, \"requests\": 1}",
    "{\"key\": \"\", \"credits\": 1, \"requests\": 1}",
    "{\"key\": \"2026/11/21\", \"credits\": 1, \"requests\": 1}",
    "{\"key\": 20261121, \"credits\": 1, \"requests\": 1}",
  };

  g_assert_no_error (error);
  g_assert_cmpstr (quorum_usage_item_get_key (day), ==, "2026-11-21");
  g_assert_cmpint (quorum_usage_item_get_credits (day), ==, 1250);
  g_assert_cmpint (quorum_usage_item_get_requests (day), ==, 412);
  g_assert_nonnull (quorum_usage_item_get_day (day));
  g_assert_cmpint (g_date_time_get_day_of_month (quorum_usage_item_get_day (day)), ==, 21);

  member = quorum_usage_item_new_from_json (member_node, &error);
  g_assert_no_error (error);
  g_assert_null (quorum_usage_item_get_day (member));

  /* Not a real day: kept as a key, never turned into a date. */
  not_a_day = quorum_usage_item_new_from_json (not_a_day_node, &error);
  g_assert_no_error (error);
  g_assert_null (quorum_usage_item_get_day (not_a_day));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_invalid ((ParseFunc) quorum_usage_item_new_from_json, cases[i]);
}

/* json-glib reads integers past gint64 as -1 or wrapped around, which a
 * range check alone would take for a small number: the answer's parse
 * (_quorum_json_parse, as for every server answer) refuses them first.
 * Doubles with many digits stay doubles and are refused as "not an integer". */
/* ------------------------------------------------------------ developers */

#define API_KEY_JSON(name, prefix, scopes, created, expires, last_used, created_by) \
  "{\"id\": \"key_2bN6cXz4Pe\", \"name\": " name ", \"prefix\": " prefix ", \"scopes\": " scopes \
  ", \"created_at\": " created ", \"expires_at\": " expires ", \"last_used_at\": " last_used \
  ", \"created_by\": " created_by "}"
#define KEY_BY "{\"id\": \"usr_1\", \"name\": \"Ada Lovelace\"}"
/* A key with its active and inactive_reason members (raw JSON, or nothing). */
#define KEY_ACTIVE_JSON(members) \
  "{\"id\": \"key_3\", \"name\": \"CI\", \"prefix\": \"qrm_k_Hq3Zt9\", \"scopes\": [\"org:read\"], " \
  "\"created_at\": \"2026-11-22T10:43:14Z\", \"expires_at\": null, \"last_used_at\": null, " \
  "\"created_by\": " KEY_BY members "}"

static void
test_api_key_parse (void)
{
  g_autoptr(JsonNode) node = parse (API_KEY_JSON ("\"CI deploys\"", "\"qrm_k_Hq3Zt9\"",
                                                  "[\"members:read\", \"invitations:write\", \"future:scope\"]",
                                                  "\"2026-01-02T10:43:14Z\"", "null",
                                                  "\"2026-11-23T07:59:00Z\"", KEY_BY));
  g_autoptr(JsonNode) secret_node = parse ("{\"id\": \"key_2\", \"name\": \"Deploys\", \"prefix\": \"qrm_k_Hq3Zt9\", "
                                           "\"scopes\": [\"org:read\"], \"created_at\": \"2026-11-22T10:43:14Z\", "
                                           "\"expires_at\": \"2027-01-01T00:00:00Z\", \"last_used_at\": null, "
                                           "\"created_by\": " KEY_BY ", "
                                           "\"secret\": \"qrm_k_Hq3Zt9wVx2Lp8mN4bC7rT1yE5uI0oA3sD6fG9hJ2kLm\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumApiKey) key = quorum_api_key_new_from_json (node, &error);
  g_autoptr(QuorumApiKey) created = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-12-06T00:00:00Z", NULL);
  g_autoptr(GDateTime) later = g_date_time_new_from_iso8601 ("2027-02-01T00:00:00Z", NULL);
  g_autoptr(GDateTime) early = g_date_time_new_from_iso8601 ("2026-03-01T00:00:00Z", NULL);

  g_assert_no_error (error);
  g_assert_cmpstr (quorum_api_key_get_id (key), ==, "key_2bN6cXz4Pe");
  g_assert_cmpstr (quorum_api_key_get_name (key), ==, "CI deploys");
  g_assert_cmpstr (quorum_api_key_get_prefix (key), ==, "qrm_k_Hq3Zt9");
  /* A scope a newer server added is kept by name, out of the flags. */
  g_assert_cmpuint (g_strv_length ((GStrv) quorum_api_key_get_scope_names (key)), ==, 3);
  g_assert_cmpstr (quorum_api_key_get_scope_names (key)[2], ==, "future:scope");
  g_assert_cmpuint (quorum_api_key_get_scopes (key), ==,
                    QUORUM_SCOPE_MEMBERS_READ | QUORUM_SCOPE_INVITATIONS_WRITE);
  g_assert_null (quorum_api_key_get_expires_at (key));
  g_assert_nonnull (quorum_api_key_get_last_used_at (key));
  g_assert_cmpstr (quorum_api_key_get_created_by_name (key), ==, "Ada Lovelace");
  g_assert_null (quorum_api_key_get_secret (key));
  /* Created 2 January: due on 6 December, not on 1 March. */
  g_assert_true (quorum_api_key_is_due_for_rotation (key, now));
  g_assert_false (quorum_api_key_is_due_for_rotation (key, early));
  g_assert_false (quorum_api_key_is_expired (key, now));

  created = quorum_api_key_new_from_json (secret_node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (quorum_api_key_get_secret (created), ==, "qrm_k_Hq3Zt9wVx2Lp8mN4bC7rT1yE5uI0oA3sD6fG9hJ2kLm");
  g_assert_null (quorum_api_key_get_last_used_at (created));
  g_assert_false (quorum_api_key_is_due_for_rotation (created, now));
  g_assert_true (quorum_api_key_is_expired (created, later));
  quorum_api_key_forget_secret (created);
  g_assert_null (quorum_api_key_get_secret (created));
}

static QuorumApiKey *
parse_api_key (const char *json)
{
  g_autoptr(JsonNode) node = parse (json);
  g_autoptr(GError) error = NULL;
  QuorumApiKey *key = quorum_api_key_new_from_json (node, &error);

  g_assert_no_error (error);
  return key;
}

/* A key whose creator lost access: inactive, with the reason in words; an
 * unknown reason still reads as inactive; a server that sends neither member
 * (older) or active: true means the key works. */
static void
test_api_key_inactive (void)
{
  static const struct { const char *members; gboolean active; const char *reason; const char *text; } cases[] = {
    { "", TRUE, NULL, NULL },
    { ", \"active\": true, \"inactive_reason\": null", TRUE, NULL, NULL },
    /* Active wins over a stray reason. */
    { ", \"active\": true, \"inactive_reason\": \"creator_suspended\"", TRUE, NULL, NULL },
    { ", \"active\": false, \"inactive_reason\": \"creator_suspended\"", FALSE, "creator_suspended",
      "Its creator is suspended" },
    { ", \"active\": false, \"inactive_reason\": \"creator_not_admin\"", FALSE, "creator_not_admin",
      "Its creator is no longer an admin" },
    { ", \"active\": false, \"inactive_reason\": \"creator_removed\"", FALSE, "creator_removed",
      "Its creator is no longer a member" },
    { ", \"active\": false, \"inactive_reason\": \"creator_on_the_moon\"", FALSE, "creator_on_the_moon",
      "It does not work now" },
    { ", \"active\": false, \"inactive_reason\": null", FALSE, NULL, "It does not work now" },
    { ", \"active\": false", FALSE, NULL, "It does not work now" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf (KEY_ACTIVE_JSON ("%s"), cases[i].members);
      g_autoptr(QuorumApiKey) key = parse_api_key (json);

      g_assert_cmpint (quorum_api_key_is_active (key), ==, cases[i].active);
      g_assert_cmpstr (quorum_api_key_get_inactive_reason (key), ==, cases[i].reason);
      g_assert_cmpstr (quorum_api_key_get_inactive_text (key), ==, cases[i].text);
    }
}

static void
test_api_key_garbage (void)
{
  const char *cases[] = {
    "null", "{}", "[]", "42", "\"key_1\"",
    /* scopes: empty, not a list, repeated, not strings, hostile words, too many */
    API_KEY_JSON ("\"CI\"", "\"qrm_k_Hq3Zt9\"", "[]", "\"2026-01-02T10:43:14Z\"", "null", "null", KEY_BY),
    API_KEY_JSON ("\"CI\"", "\"qrm_k_Hq3Zt9\"", "\"org:read\"", "\"2026-01-02T10:43:14Z\"", "null", "null", KEY_BY),
    API_KEY_JSON ("\"CI\"", "\"qrm_k_Hq3Zt9\"", "null", "\"2026-01-02T10:43:14Z\"", "null", "null", KEY_BY),
    API_KEY_JSON ("\"CI\"", "\"qrm_k_Hq3Zt9\"", "[\"org:read\", \"org:read\"]", "\"2026-01-02T10:43:14Z\"",
                  "null", "null", KEY_BY),
    API_KEY_JSON ("\"CI\"", "\"qrm_k_Hq3Zt9\"", "[\"org:read\", 7]", "\"2026-01-02T10:43:14Z\"", "null", "null",
                  KEY_BY),
    API_KEY_JSON ("\"CI\"", "\"qrm_k_Hq3Zt9\"", "[null]", "\"2026-01-02T10:43:14Z\"", "null", "null", KEY_BY),
    API_KEY_JSON ("\"CI\"", "\"qrm_k_Hq3Zt9\"", "[\"\"]", "\"2026-01-02T10:43:14Z\"", "null", "null", KEY_BY),
    API_KEY_JSON ("\"CI\"", "\"qrm_k_Hq3Zt9\"", "[\"org read\"]", "\"2026-01-02T10:43:14Z\"", "null", "null",
                  KEY_BY),
    API_KEY_JSON ("\"CI\"", "\"qrm_k_Hq3Zt9\"", "[\"<b>org</b>\"]", "\"2026-01-02T10:43:14Z\"", "null", "null",
                  KEY_BY),
    API_KEY_JSON ("\"CI\"", "\"qrm_k_Hq3Zt9\"", "[[\"org:read\"]]", "\"2026-01-02T10:43:14Z\"", "null", "null",
                  KEY_BY),
    API_KEY_JSON ("\"CI\"", "\"qrm_k_Hq3Zt9\"",
                  "[\"a0\",\"a1\",\"a2\",\"a3\",\"a4\",\"a5\",\"a6\",\"a7\",\"a8\",\"a9\",\"b0\",\"b1\",\"b2\","
                  "\"b3\",\"b4\",\"b5\",\"b6\",\"b7\",\"b8\",\"b9\",\"c0\",\"c1\",\"c2\",\"c3\",\"c4\",\"c5\",\"c6\","
                  "\"c7\",\"c8\",\"c9\",\"d0\",\"d1\",\"d2\",\"d3\",\"d4\",\"d5\",\"d6\",\"d7\",\"d8\",\"d9\",\"e0\","
                  "\"e1\",\"e2\",\"e3\",\"e4\",\"e5\",\"e6\",\"e7\",\"e8\",\"e9\",\"f0\",\"f1\",\"f2\",\"f3\",\"f4\","
                  "\"f5\",\"f6\",\"f7\",\"f8\",\"f9\",\"g0\",\"g1\",\"g2\",\"g3\",\"g4\"]",
                  "\"2026-01-02T10:43:14Z\"", "null", "null", KEY_BY),
    /* name, prefix */
    API_KEY_JSON ("\"\"", "\"qrm_k_Hq3Zt9\"", "[\"org:read\"]", "\"2026-01-02T10:43:14Z\"", "null", "null", KEY_BY),
    API_KEY_JSON ("\"a\\u0007b\"", "\"qrm_k_Hq3Zt9\"", "[\"org:read\"]", "\"2026-01-02T10:43:14Z\"", "null", "null",
                  KEY_BY),
    API_KEY_JSON ("null", "\"qrm_k_Hq3Zt9\"", "[\"org:read\"]", "\"2026-01-02T10:43:14Z\"", "null", "null", KEY_BY),
    API_KEY_JSON ("\"CI\"", "\"qrm k\"", "[\"org:read\"]", "\"2026-01-02T10:43:14Z\"", "null", "null", KEY_BY),
    API_KEY_JSON ("\"CI\"", "42", "[\"org:read\"]", "\"2026-01-02T10:43:14Z\"", "null", "null", KEY_BY),
    /* times */
    API_KEY_JSON ("\"CI\"", "\"qrm_k_Hq3Zt9\"", "[\"org:read\"]", "null", "null", "null", KEY_BY),
    API_KEY_JSON ("\"CI\"", "\"qrm_k_Hq3Zt9\"", "[\"org:read\"]", "\"2026-01-02\"", "null", "null", KEY_BY),
    API_KEY_JSON ("\"CI\"", "\"qrm_k_Hq3Zt9\"", "[\"org:read\"]", "\"2026-01-02T10:43:14Z\"", "\"never\"", "null",
                  KEY_BY),
    API_KEY_JSON ("\"CI\"", "\"qrm_k_Hq3Zt9\"", "[\"org:read\"]", "\"2026-01-02T10:43:14Z\"", "null", "1760434200",
                  KEY_BY),
    /* created_by */
    API_KEY_JSON ("\"CI\"", "\"qrm_k_Hq3Zt9\"", "[\"org:read\"]", "\"2026-01-02T10:43:14Z\"", "null", "null",
                  "null"),
    API_KEY_JSON ("\"CI\"", "\"qrm_k_Hq3Zt9\"", "[\"org:read\"]", "\"2026-01-02T10:43:14Z\"", "null", "null",
                  "\"usr_1\""),
    API_KEY_JSON ("\"CI\"", "\"qrm_k_Hq3Zt9\"", "[\"org:read\"]", "\"2026-01-02T10:43:14Z\"", "null", "null",
                  "{\"name\": \"Ada\"}"),
    API_KEY_JSON ("\"CI\"", "\"qrm_k_Hq3Zt9\"", "[\"org:read\"]", "\"2026-01-02T10:43:14Z\"", "null", "null",
                  "{\"id\": \"usr_1\", \"name\": 5}"),
    /* a secret that is not a token */
    "{\"id\": \"key_2\", \"name\": \"Deploys\", \"prefix\": \"qrm_k_Hq3Zt9\", \"scopes\": [\"org:read\"], "
    "\"created_at\": \"2026-11-22T10:43:14Z\", \"expires_at\": null, \"last_used_at\": null, "
    "\"created_by\": " KEY_BY ", \"secret\": \"qrm_k_ with space\"}",
    "{\"id\": \"key_2\", \"name\": \"Deploys\", \"prefix\": \"qrm_k_Hq3Zt9\", \"scopes\": [\"org:read\"], "
    "\"created_at\": \"2026-11-22T10:43:14Z\", \"expires_at\": null, \"last_used_at\": null, "
    "\"created_by\": " KEY_BY ", \"secret\": true}",
    /* active not a boolean; inactive_reason not a short word */
    KEY_ACTIVE_JSON (", \"active\": null"),
    KEY_ACTIVE_JSON (", \"active\": \"false\""),
    KEY_ACTIVE_JSON (", \"active\": 0"),
    KEY_ACTIVE_JSON (", \"active\": [false]"),
    KEY_ACTIVE_JSON (", \"active\": false, \"inactive_reason\": 42"),
    KEY_ACTIVE_JSON (", \"active\": false, \"inactive_reason\": {}"),
    KEY_ACTIVE_JSON (", \"active\": false, \"inactive_reason\": \"\""),
    KEY_ACTIVE_JSON (", \"active\": false, \"inactive_reason\": \"creator suspended\""),
    KEY_ACTIVE_JSON (", \"active\": false, \"inactive_reason\": \"<b>creator</b>\""),
    KEY_ACTIVE_JSON (", \"active\": false, \"inactive_reason\": \"cr\\u0007eator\""),
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_invalid ((ParseFunc) quorum_api_key_new_from_json, cases[i]);
  {
    /* A reason longer than any id. */
    g_autofree char *long_word = g_strnfill (QUORUM_MAX_ID_BYTES + 1, 'a');
    g_autofree char *json = g_strdup_printf (KEY_ACTIVE_JSON (", \"active\": false, \"inactive_reason\": \"%s\""),
                                             long_word);

    assert_invalid ((ParseFunc) quorum_api_key_new_from_json, json);
  }
}

#define WEBHOOK_JSON(url, events, enabled, description) \
  "{\"id\": \"whk_9dF1gHj5Rk\", \"url\": " url ", \"events\": " events ", \"enabled\": " enabled \
  ", \"description\": " description ", \"created_at\": \"2026-11-22T10:43:14Z\"}"

static void
test_webhook_parse (void)
{
  g_autoptr(JsonNode) node = parse (WEBHOOK_JSON ("\"https://hooks.analytical.example/quorum\"",
                                                  "[\"member.added\", \"member.removed\", \"future.event\"]",
                                                  "true", "\"Sync the staff directory\""));
  g_autoptr(JsonNode) secret_node = parse ("{\"id\": \"whk_1\", \"url\": \"http://127.0.0.1:9/hook\", "
                                           "\"events\": [\"ping.x\"], \"enabled\": false, \"description\": \"\", "
                                           "\"created_at\": \"2026-11-22T10:43:14Z\", "
                                           "\"secret\": \"whsec_Hq3Zt9wVx2Lp8mN4bC7rT1yE5uI0oA3sD6fG9hJ2kLm\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumWebhook) webhook = quorum_webhook_new_from_json (node, &error);
  g_autoptr(QuorumWebhook) created = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (quorum_webhook_get_id (webhook), ==, "whk_9dF1gHj5Rk");
  g_assert_cmpstr (quorum_webhook_get_url (webhook), ==, "https://hooks.analytical.example/quorum");
  g_assert_true (quorum_webhook_has_event (webhook, "member.removed"));
  g_assert_true (quorum_webhook_has_event (webhook, "future.event"));
  g_assert_false (quorum_webhook_has_event (webhook, "member.updated"));
  g_assert_true (quorum_webhook_get_enabled (webhook));
  g_assert_cmpstr (quorum_webhook_get_description (webhook), ==, "Sync the staff directory");
  g_assert_null (quorum_webhook_get_secret (webhook));
  g_assert_null (quorum_webhook_get_disabled_reason (webhook));

  created = quorum_webhook_new_from_json (secret_node, &error);
  g_assert_no_error (error);
  g_assert_false (quorum_webhook_get_enabled (created));
  g_assert_cmpstr (quorum_webhook_get_secret (created), ==, "whsec_Hq3Zt9wVx2Lp8mN4bC7rT1yE5uI0oA3sD6fG9hJ2kLm");
  quorum_webhook_forget_secret (created);
  g_assert_null (quorum_webhook_get_secret (created));
}

static void
test_webhook_garbage (void)
{
  const char *cases[] = {
    "null", "{}", "[]", "\"whk_1\"",
    /* url: not web, no host, spaces, controls, not a string, empty */
    WEBHOOK_JSON ("\"file:///etc/passwd\"", "[\"member.added\"]", "true", "\"\""),
    WEBHOOK_JSON ("\"javascript:alert(1)\"", "[\"member.added\"]", "true", "\"\""),
    WEBHOOK_JSON ("\"https://\"", "[\"member.added\"]", "true", "\"\""),
    WEBHOOK_JSON ("\"https://a b/\"", "[\"member.added\"]", "true", "\"\""),
    WEBHOOK_JSON ("\"https://a.example/\\u0007\"", "[\"member.added\"]", "true", "\"\""),
    WEBHOOK_JSON ("\"hooks.example/quorum\"", "[\"member.added\"]", "true", "\"\""),
    WEBHOOK_JSON ("\"\"", "[\"member.added\"]", "true", "\"\""),
    WEBHOOK_JSON ("null", "[\"member.added\"]", "true", "\"\""),
    WEBHOOK_JSON ("[\"https://a.example\"]", "[\"member.added\"]", "true", "\"\""),
    /* events */
    WEBHOOK_JSON ("\"https://a.example/\"", "[]", "true", "\"\""),
    WEBHOOK_JSON ("\"https://a.example/\"", "null", "true", "\"\""),
    WEBHOOK_JSON ("\"https://a.example/\"", "[\"member.added\", \"member.added\"]", "true", "\"\""),
    WEBHOOK_JSON ("\"https://a.example/\"", "[\"member added\"]", "true", "\"\""),
    WEBHOOK_JSON ("\"https://a.example/\"", "{\"member.added\": true}", "true", "\"\""),
    /* enabled, description */
    WEBHOOK_JSON ("\"https://a.example/\"", "[\"member.added\"]", "\"yes\"", "\"\""),
    WEBHOOK_JSON ("\"https://a.example/\"", "[\"member.added\"]", "1", "\"\""),
    WEBHOOK_JSON ("\"https://a.example/\"", "[\"member.added\"]", "null", "\"\""),
    WEBHOOK_JSON ("\"https://a.example/\"", "[\"member.added\"]", "true", "42"),
    /* created_at missing */
    "{\"id\": \"whk_1\", \"url\": \"https://a.example/\", \"events\": [\"member.added\"], \"enabled\": true}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_invalid ((ParseFunc) quorum_webhook_new_from_json, cases[i]);
}

#define DELIVERY_JSON(event, attempt, status, response_status, duration, error, next) \
  "{\"id\": \"dlv_4sL7pQw2Xm\", \"webhook_id\": \"whk_9dF1gHj5Rk\", \"event_id\": \"evt_6yU3nBv8Tc\", " \
  "\"event\": " event ", \"attempt\": " attempt ", \"status\": " status ", \"response_status\": " \
  response_status ", \"duration_ms\": " duration ", \"error\": " error \
  ", \"created_at\": \"2026-11-22T10:43:24Z\", \"next_retry_at\": " next "}"

static void
test_delivery_parse (void)
{
  g_autoptr(JsonNode) failed_node = parse (DELIVERY_JSON ("\"member.added\"", "2", "\"failed\"", "503", "182",
                                                          "null", "\"2026-11-22T10:44:24Z\""));
  g_autoptr(JsonNode) pending_node = parse (DELIVERY_JSON ("\"ping\"", "1", "\"pending\"", "null", "null",
                                                           "null", "null"));
  g_autoptr(JsonNode) refused_node = parse (DELIVERY_JSON ("\"ping\"", "3", "\"failed\"", "null", "12",
                                                           "\"connection refused\"", "null"));
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumDelivery) failed = quorum_delivery_new_from_json (failed_node, &error);
  g_autoptr(QuorumDelivery) pending = NULL;
  g_autoptr(QuorumDelivery) refused = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (quorum_delivery_get_id (failed), ==, "dlv_4sL7pQw2Xm");
  g_assert_cmpstr (quorum_delivery_get_webhook_id (failed), ==, "whk_9dF1gHj5Rk");
  g_assert_cmpstr (quorum_delivery_get_event_id (failed), ==, "evt_6yU3nBv8Tc");
  g_assert_cmpstr (quorum_delivery_get_event (failed), ==, "member.added");
  g_assert_cmpuint (quorum_delivery_get_attempt (failed), ==, 2);
  g_assert_cmpint (quorum_delivery_get_status (failed), ==, QUORUM_DELIVERY_FAILED);
  g_assert_cmpuint (quorum_delivery_get_response_status (failed), ==, 503);
  g_assert_cmpint (quorum_delivery_get_duration_ms (failed), ==, 182);
  g_assert_null (quorum_delivery_get_error (failed));
  g_assert_nonnull (quorum_delivery_get_next_retry_at (failed));

  pending = quorum_delivery_new_from_json (pending_node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (quorum_delivery_get_status (pending), ==, QUORUM_DELIVERY_PENDING);
  g_assert_cmpuint (quorum_delivery_get_response_status (pending), ==, 0);
  g_assert_cmpint (quorum_delivery_get_duration_ms (pending), ==, -1);
  g_assert_null (quorum_delivery_get_next_retry_at (pending));

  refused = quorum_delivery_new_from_json (refused_node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (quorum_delivery_get_error (refused), ==, "connection refused");
}

static void
test_delivery_garbage (void)
{
  const char *cases[] = {
    "null", "{}", "[]", "7",
    /* status */
    DELIVERY_JSON ("\"ping\"", "1", "\"lost\"", "null", "null", "null", "null"),
    DELIVERY_JSON ("\"ping\"", "1", "null", "null", "null", "null", "null"),
    DELIVERY_JSON ("\"ping\"", "1", "1", "null", "null", "null", "null"),
    /* attempt */
    DELIVERY_JSON ("\"ping\"", "0", "\"pending\"", "null", "null", "null", "null"),
    DELIVERY_JSON ("\"ping\"", "-1", "\"pending\"", "null", "null", "null", "null"),
    DELIVERY_JSON ("\"ping\"", "1e9", "\"pending\"", "null", "null", "null", "null"),
    DELIVERY_JSON ("\"ping\"", "\"1\"", "\"pending\"", "null", "null", "null", "null"),
    DELIVERY_JSON ("\"ping\"", "9223372036854775807", "\"pending\"", "null", "null", "null", "null"),
    /* response status, duration */
    DELIVERY_JSON ("\"ping\"", "1", "\"failed\"", "99", "1", "null", "null"),
    DELIVERY_JSON ("\"ping\"", "1", "\"failed\"", "600", "1", "null", "null"),
    DELIVERY_JSON ("\"ping\"", "1", "\"failed\"", "\"503\"", "1", "null", "null"),
    DELIVERY_JSON ("\"ping\"", "1", "\"failed\"", "503", "-5", "null", "null"),
    DELIVERY_JSON ("\"ping\"", "1", "\"failed\"", "503", "1.5", "null", "null"),
    DELIVERY_JSON ("\"ping\"", "1", "\"failed\"", "503", "999999999999", "null", "null"),
    /* event, error, next */
    DELIVERY_JSON ("\"\"", "1", "\"pending\"", "null", "null", "null", "null"),
    DELIVERY_JSON ("null", "1", "\"pending\"", "null", "null", "null", "null"),
    DELIVERY_JSON ("\"a\\u0001b\"", "1", "\"pending\"", "null", "null", "null", "null"),
    DELIVERY_JSON ("\"ping\"", "1", "\"failed\"", "null", "1", "{\"code\": 1}", "null"),
    DELIVERY_JSON ("\"ping\"", "1", "\"failed\"", "null", "1", "null", "\"soon\""),
    /* a required member missing */
    ("{\"id\": \"dlv_1\", \"webhook_id\": \"whk_1\", \"event_id\": \"evt_1\", \"event\": \"ping\", "
    "\"attempt\": 1, \"status\": \"pending\", \"created_at\": \"2026-11-22T10:43:24Z\"}"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_invalid ((ParseFunc) quorum_delivery_new_from_json, cases[i]);
}

#define AUDIT_JSON(actor, action, target, extra) \
  "{\"id\": \"evt_6yU3nBv8Tc\", \"actor\": " actor ", \"action\": " action ", \"target\": " target \
  ", \"created_at\": \"2026-11-22T10:43:14Z\"" extra "}"
#define AUDIT_ACTOR "{\"id\": \"usr_8mQ2xKd7Lp\", \"name\": \"Ada Lovelace\", \"kind\": \"user\"}"
#define AUDIT_TARGET "{\"type\": \"member\", \"id\": \"mem_5tR8vYb2Nc\", \"name\": \"Grace Hopper\"}"

static void
test_audit_event_parse (void)
{
  g_autoptr(JsonNode) node = parse (AUDIT_JSON (AUDIT_ACTOR, "\"member.updated\"", AUDIT_TARGET,
                                                ", \"data\": {\"role\": \"admin\", \"n\": 5, \"bad\": \"a\\u0007\"}"));
  g_autoptr(JsonNode) key_node = parse (AUDIT_JSON ("{\"id\": \"key_1\", \"name\": \"CI\", \"kind\": \"api_key\"}",
                                                    "\"widget.frobbed\"",
                                                    "{\"type\": \"gadget\", \"id\": \"gdg_1\", \"name\": null}", ""));
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumAuditEvent) event = quorum_audit_event_new_from_json (node, &error);
  g_autoptr(QuorumAuditEvent) by_key = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (quorum_audit_event_get_id (event), ==, "evt_6yU3nBv8Tc");
  g_assert_cmpstr (quorum_audit_event_get_actor_id (event), ==, "usr_8mQ2xKd7Lp");
  g_assert_cmpstr (quorum_audit_event_get_actor_name (event), ==, "Ada Lovelace");
  g_assert_false (quorum_audit_event_is_by_api_key (event));
  g_assert_cmpstr (quorum_audit_event_get_action (event), ==, "member.updated");
  g_assert_cmpstr (quorum_audit_event_get_target_type (event), ==, "member");
  g_assert_cmpstr (quorum_audit_event_get_target_id (event), ==, "mem_5tR8vYb2Nc");
  g_assert_cmpstr (quorum_audit_event_get_target_name (event), ==, "Grace Hopper");
  /* Details: strings kept, anything else (and a string with controls) left out. */
  g_assert_cmpstr (quorum_audit_event_get_detail (event, "role"), ==, "admin");
  g_assert_null (quorum_audit_event_get_detail (event, "n"));
  g_assert_null (quorum_audit_event_get_detail (event, "bad"));

  /* Unknown actions and target types are kept as they are. */
  by_key = quorum_audit_event_new_from_json (key_node, &error);
  g_assert_no_error (error);
  g_assert_true (quorum_audit_event_is_by_api_key (by_key));
  g_assert_cmpstr (quorum_audit_event_get_action (by_key), ==, "widget.frobbed");
  g_assert_cmpstr (quorum_audit_event_get_target_type (by_key), ==, "gadget");
  g_assert_null (quorum_audit_event_get_target_name (by_key));
  g_assert_null (quorum_audit_event_get_detail (by_key, "role"));
}

/* What an update changed: strings, booleans, null and lists of strings
 * kept as text; a change of another shape, or garbage, is left out and
 * the event still reads. */
static void
test_audit_event_changes (void)
{
  g_autoptr(JsonNode) node = parse (AUDIT_JSON (AUDIT_ACTOR, "\"member.updated\"", AUDIT_TARGET,
    ", \"changes\": {\"role\": {\"from\": \"member\", \"to\": \"admin\"},"
    " \"enabled\": {\"from\": true, \"to\": false},"
    " \"expires_at\": {\"from\": null, \"to\": \"2026-11-22T11:43:14Z\"},"
    " \"events\": {\"from\": [\"member.added\"], \"to\": [\"member.added\", \"member.removed\"]},"
    " \"description\": {\"from\": \"x\", \"to\": \"\"},"
    " \"n\": {\"from\": 1, \"to\": 2},"
    " \"half\": {\"to\": \"admin\"},"
    " \"flat\": \"admin\","
    " \"deep\": {\"from\": {\"a\": 1}, \"to\": \"b\"},"
    " \"mixed\": {\"from\": [\"a\", 1], \"to\": []},"
    " \"ctrl\": {\"from\": \"a\\u0007\", \"to\": \"b\"},"
    " \"\": {\"from\": \"a\", \"to\": \"b\"}}"));
  g_autoptr(JsonNode) none_node = parse (AUDIT_JSON (AUDIT_ACTOR, "\"member.updated\"", AUDIT_TARGET,
                                                     ", \"changes\": null"));
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumAuditEvent) event = quorum_audit_event_new_from_json (node, &error);
  g_autoptr(QuorumAuditEvent) none = NULL;
  const char *from = "unset";
  const char *to = "unset";

  g_assert_no_error (error);
  g_assert_true (quorum_audit_event_get_change (event, "role", &from, &to));
  g_assert_cmpstr (from, ==, "member");
  g_assert_cmpstr (to, ==, "admin");
  g_assert_true (quorum_audit_event_get_change (event, "enabled", &from, &to));
  g_assert_cmpstr (from, ==, "true");
  g_assert_cmpstr (to, ==, "false");
  g_assert_true (quorum_audit_event_get_change (event, "expires_at", &from, &to));
  g_assert_null (from);
  g_assert_cmpstr (to, ==, "2026-11-22T11:43:14Z");
  g_assert_true (quorum_audit_event_get_change (event, "events", &from, &to));
  g_assert_cmpstr (from, ==, "member.added");
  g_assert_cmpstr (to, ==, "member.added, member.removed");
  g_assert_true (quorum_audit_event_get_change (event, "description", &from, &to));
  g_assert_cmpstr (to, ==, "");
  for (guint i = 0; i < 7; i++)
    {
      const char *left_out[] = { "n", "half", "flat", "deep", "mixed", "ctrl", "" };

      g_assert_false (quorum_audit_event_get_change (event, left_out[i], &from, &to));
      g_assert_null (from);
      g_assert_null (to);
    }
  g_assert_false (quorum_audit_event_get_change (event, "status", NULL, NULL));

  none = quorum_audit_event_new_from_json (none_node, &error);
  g_assert_no_error (error);
  g_assert_false (quorum_audit_event_get_change (none, "role", NULL, NULL));

  /* A webhook moved to a long URL (up to 2,048 bytes) is kept; a longer
   * value is left out. */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *path = g_strnfill (i == 0 ? 2000 : 5000, 'a');
      g_autofree char *json = g_strdup_printf (AUDIT_JSON (AUDIT_ACTOR, "\"webhook.updated\"", AUDIT_TARGET,
                                               ", \"changes\": {\"url\": {\"from\": \"https://a.example/\","
                                               " \"to\": \"https://b.example/%s\"}}"), path);
      g_autoptr(JsonNode) long_node = parse (json);
      g_autoptr(QuorumAuditEvent) moved = quorum_audit_event_new_from_json (long_node, &error);

      g_assert_no_error (error);
      g_assert_cmpint (quorum_audit_event_get_change (moved, "url", NULL, &to), ==, i == 0);
      if (i == 0)
        g_assert_true (g_str_has_suffix (to, path));
    }
}

static void
test_audit_event_garbage (void)
{
  const char *cases[] = {
    "null", "{}", "[]", "\"evt_1\"",
    /* actor */
    AUDIT_JSON ("null", "\"member.updated\"", AUDIT_TARGET, ""),
    AUDIT_JSON ("\"usr_1\"", "\"member.updated\"", AUDIT_TARGET, ""),
    AUDIT_JSON ("{\"id\": \"usr 1\", \"name\": \"Ada\", \"kind\": \"user\"}", "\"member.updated\"", AUDIT_TARGET, ""),
    AUDIT_JSON ("{\"id\": \"usr_1\", \"kind\": \"user\"}", "\"member.updated\"", AUDIT_TARGET, ""),
    AUDIT_JSON ("{\"id\": \"usr_1\", \"name\": \"Ada\"}", "\"member.updated\"", AUDIT_TARGET, ""),
    AUDIT_JSON ("{\"id\": \"usr_1\", \"name\": \"Ada\", \"kind\": 1}", "\"member.updated\"", AUDIT_TARGET, ""),
    /* action: missing, empty, not a dotted word, markup, too long */
    AUDIT_JSON (AUDIT_ACTOR, "null", AUDIT_TARGET, ""),
    AUDIT_JSON (AUDIT_ACTOR, "\"\"", AUDIT_TARGET, ""),
    AUDIT_JSON (AUDIT_ACTOR, "\"Member Updated\"", AUDIT_TARGET, ""),
    AUDIT_JSON (AUDIT_ACTOR, "\"<b>x</b>\"", AUDIT_TARGET, ""),
    AUDIT_JSON (AUDIT_ACTOR, "\".updated\"", AUDIT_TARGET, ""),
    AUDIT_JSON (AUDIT_ACTOR, "42", AUDIT_TARGET, ""),
    AUDIT_JSON (AUDIT_ACTOR, "\"member.updated_member_updated_member_updated_member_updated_member_updated\"",
                AUDIT_TARGET, ""),
    /* target */
    AUDIT_JSON (AUDIT_ACTOR, "\"member.updated\"", "null", ""),
    AUDIT_JSON (AUDIT_ACTOR, "\"member.updated\"", "[]", ""),
    AUDIT_JSON (AUDIT_ACTOR, "\"member.updated\"", "{\"id\": \"mem_1\", \"name\": null}", ""),
    AUDIT_JSON (AUDIT_ACTOR, "\"member.updated\"", "{\"type\": \"member\", \"name\": null}", ""),
    AUDIT_JSON (AUDIT_ACTOR, "\"member.updated\"", "{\"type\": \"member\", \"id\": \"mem_1\"}", ""),
    AUDIT_JSON (AUDIT_ACTOR, "\"member.updated\"", "{\"type\": \"member\", \"id\": \"mem_1\", \"name\": 3}", ""),
    /* data that is not an object */
    AUDIT_JSON (AUDIT_ACTOR, "\"member.updated\"", AUDIT_TARGET, ", \"data\": \"admin\""),
    AUDIT_JSON (AUDIT_ACTOR, "\"member.updated\"", AUDIT_TARGET, ", \"data\": [1]"),
    /* changes that are not an object */
    AUDIT_JSON (AUDIT_ACTOR, "\"member.updated\"", AUDIT_TARGET, ", \"changes\": \"role\""),
    AUDIT_JSON (AUDIT_ACTOR, "\"member.updated\"", AUDIT_TARGET, ", \"changes\": [{\"from\": 1}]"),
    /* created_at */
    "{\"id\": \"evt_1\", \"actor\": " AUDIT_ACTOR ", \"action\": \"member.updated\", \"target\": " AUDIT_TARGET "}",
    "{\"id\": \"evt_1\", \"actor\": " AUDIT_ACTOR ", \"action\": \"member.updated\", \"target\": " AUDIT_TARGET
    ", \"created_at\": \"22/11/2026\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_invalid ((ParseFunc) quorum_audit_event_new_from_json, cases[i]);
}

static void
test_huge_numbers (void)
{
  const char *huge[] = { "99999999999999999999", "18446744073709551616", "9223372036854775808",
                         "-9223372036854775809", "123456789012345678901234567890",
                         "-99999999999999999999" };
  const char *fine[] = { "999999999999999999", "-1", "0", "1.2345678901234567890123",
                         "12345678901234567890.5", "1e400", "\"12345678901234567890123\"" };

  for (guint i = 0; i < G_N_ELEMENTS (huge); i++)
    {
      g_autofree char *json = g_strdup_printf (BILLING_JSON (PLAN_JSON, "%s", "25", "null", "null", "null"),
                                               huge[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = _quorum_json_parse (json, strlen (json), &error);

      g_assert_null (node);
      g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVALID_RESPONSE);
    }

  for (guint i = 0; i < G_N_ELEMENTS (fine); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"value\": %s, \"name\": \"12345678901234567890123\"}", fine[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = _quorum_json_parse (json, strlen (json), &error);

      g_assert_no_error (error);
      g_assert_nonnull (node);
    }
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
    { "seat_limit_exceeded", 409, QUORUM_API_ERROR_SEAT_LIMIT_EXCEEDED },
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
  g_test_add_func ("/api/models/organization-seen-by-key", test_organization_seen_by_key);
  g_test_add_func ("/api/models/member", test_member_parse);
  g_test_add_func ("/api/models/invitation", test_invitation_parse);
  g_test_add_func ("/api/models/invitation-preview", test_invitation_preview_parse);
  g_test_add_func ("/api/models/plan", test_plan_parse);
  g_test_add_func ("/api/models/plan-garbage", test_plan_garbage);
  g_test_add_func ("/api/models/billing", test_billing_parse);
  g_test_add_func ("/api/models/billing-garbage", test_billing_garbage);
  g_test_add_func ("/api/models/invoice", test_invoice_parse);
  g_test_add_func ("/api/models/ledger-entry", test_ledger_entry_parse);
  g_test_add_func ("/api/models/ledger-entry-garbage", test_ledger_entry_garbage);
  g_test_add_func ("/api/models/usage-item", test_usage_item_parse);
  g_test_add_func ("/api/models/api-key", test_api_key_parse);
  g_test_add_func ("/api/models/api-key-garbage", test_api_key_garbage);
  g_test_add_func ("/api/models/api-key-inactive", test_api_key_inactive);
  g_test_add_func ("/api/models/webhook", test_webhook_parse);
  g_test_add_func ("/api/models/webhook-garbage", test_webhook_garbage);
  g_test_add_func ("/api/models/delivery", test_delivery_parse);
  g_test_add_func ("/api/models/delivery-garbage", test_delivery_garbage);
  g_test_add_func ("/api/models/audit-event", test_audit_event_parse);
  g_test_add_func ("/api/models/audit-event-changes", test_audit_event_changes);
  g_test_add_func ("/api/models/audit-event-garbage", test_audit_event_garbage);
  g_test_add_func ("/api/models/huge-numbers", test_huge_numbers);
  g_test_add_func ("/api/models/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/api/errors/codes", test_error_codes);

  return g_test_run ();
}
