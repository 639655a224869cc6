/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-core.h"

/* The table of api-v1.md written out once more by hand, so a slip in the
 * shared table shows up here rather than as a hidden tab or an open door. */
static const struct
{
  QuorumPermission permission;
  gboolean owner, admin, member;
} expected[] = {
  { QUORUM_PERMISSION_VIEW_ORGANIZATION,   TRUE,  TRUE,  TRUE  },
  { QUORUM_PERMISSION_EDIT_ORGANIZATION,   TRUE,  TRUE,  FALSE },
  { QUORUM_PERMISSION_DELETE_ORGANIZATION, TRUE,  FALSE, FALSE },
  { QUORUM_PERMISSION_MANAGE_INVITATIONS,  TRUE,  TRUE,  FALSE },
  { QUORUM_PERMISSION_CHANGE_ROLE,         TRUE,  TRUE,  FALSE },
  { QUORUM_PERMISSION_MANAGE_MEMBERS,      TRUE,  TRUE,  FALSE },
  { QUORUM_PERMISSION_TRANSFER_OWNERSHIP,  TRUE,  FALSE, FALSE },
  { QUORUM_PERMISSION_LEAVE,               FALSE, TRUE,  TRUE  },
  { QUORUM_PERMISSION_MANAGE_BILLING,      TRUE,  TRUE,  FALSE },
  { QUORUM_PERMISSION_MANAGE_DEVELOPERS,   TRUE,  TRUE,  FALSE },
  { QUORUM_PERMISSION_VIEW_AUDIT_LOG,      TRUE,  TRUE,  FALSE },
};

static void
test_role_table (void)
{
  g_assert_cmpuint (G_N_ELEMENTS (expected), ==, QUORUM_N_PERMISSIONS);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      QuorumPermission p = expected[i].permission;

      g_test_message ("permission %s", quorum_permission_to_string (p));
      g_assert_cmpint (quorum_role_can (QUORUM_ROLE_OWNER, p), ==, expected[i].owner);
      g_assert_cmpint (quorum_role_can (QUORUM_ROLE_ADMIN, p), ==, expected[i].admin);
      g_assert_cmpint (quorum_role_can (QUORUM_ROLE_MEMBER, p), ==, expected[i].member);
      g_assert_false (quorum_role_can (QUORUM_ROLE_NONE, p));
    }

  g_assert_false (quorum_role_can (QUORUM_ROLE_OWNER, QUORUM_N_PERMISSIONS));
  g_assert_false (quorum_role_can ((QuorumRole) 42, QUORUM_PERMISSION_VIEW_ORGANIZATION));
}

static void
test_role_strings (void)
{
  g_assert_cmpint (quorum_role_from_string ("owner"), ==, QUORUM_ROLE_OWNER);
  g_assert_cmpint (quorum_role_from_string ("admin"), ==, QUORUM_ROLE_ADMIN);
  g_assert_cmpint (quorum_role_from_string ("member"), ==, QUORUM_ROLE_MEMBER);
  g_assert_cmpint (quorum_role_from_string ("Owner"), ==, QUORUM_ROLE_NONE);
  g_assert_cmpint (quorum_role_from_string (""), ==, QUORUM_ROLE_NONE);
  g_assert_cmpint (quorum_role_from_string (NULL), ==, QUORUM_ROLE_NONE);
  g_assert_cmpstr (quorum_role_to_string (QUORUM_ROLE_ADMIN), ==, "admin");
  g_assert_null (quorum_role_to_string (QUORUM_ROLE_NONE));

  g_assert_true (quorum_role_is_assignable (QUORUM_ROLE_ADMIN));
  g_assert_true (quorum_role_is_assignable (QUORUM_ROLE_MEMBER));
  g_assert_false (quorum_role_is_assignable (QUORUM_ROLE_OWNER));
  g_assert_false (quorum_role_is_assignable (QUORUM_ROLE_NONE));
}

static void
test_role_enum (void)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (QUORUM_TYPE_ROLE);

  g_assert_true (G_TYPE_IS_ENUM (QUORUM_TYPE_ROLE));
  g_assert_cmpstr (g_type_name (QUORUM_TYPE_ROLE), ==, "QuorumRole");
  /* Every role of the permission table, and the outsider. */
  g_assert_cmpuint (klass->n_values, ==, 4);
  g_assert_nonnull (g_enum_get_value (klass, QUORUM_ROLE_NONE));

  for (guint i = 0; i < klass->n_values; i++)
    {
      QuorumRole role = klass->values[i].value;
      const char *nick = klass->values[i].value_nick;

      g_test_message ("role %s", nick);
      if (role == QUORUM_ROLE_NONE)
        {
          g_assert_null (quorum_role_to_string (role));
          g_assert_cmpint (quorum_role_from_string (nick), ==, QUORUM_ROLE_NONE);
          g_assert_cmpstr (quorum_role_get_label (role), ==, "");
          continue;
        }

      /* The nick is the role's name in the API, both ways. */
      g_assert_cmpstr (quorum_role_to_string (role), ==, nick);
      g_assert_cmpint (quorum_role_from_string (nick), ==, role);
      g_assert_cmpstr (quorum_role_get_label (role), !=, "");
      /* Every role may at least see its organization. */
      g_assert_true (quorum_role_can (role, QUORUM_PERMISSION_VIEW_ORGANIZATION));
    }

  g_assert_null (quorum_role_to_string ((QuorumRole) 42));
  g_assert_cmpstr (quorum_role_get_label ((QuorumRole) 42), ==, "");
}

static void
test_role_labels (void)
{
  /* The test runs untranslated: the labels are the source strings. */
  g_assert_cmpstr (quorum_role_get_label (QUORUM_ROLE_OWNER), ==, "Owner");
  g_assert_cmpstr (quorum_role_get_label (QUORUM_ROLE_ADMIN), ==, "Admin");
  g_assert_cmpstr (quorum_role_get_label (QUORUM_ROLE_MEMBER), ==, "Member");
}

/* The scopes as the API names them (components.schemas.Scope), once more by hand. */
static void
test_scope_strings (void)
{
  static const char * const names[] = {
    "org:read", "org:write", "members:read", "members:write",
    "invitations:write", "billing:read", "billing:write", "webhooks:write",
  };
  QuorumScope seen = QUORUM_SCOPE_NONE;

  g_assert_cmpuint (G_N_ELEMENTS (names), ==, QUORUM_N_SCOPES);
  for (guint i = 0; i < QUORUM_N_SCOPES; i++)
    {
      QuorumScope scope = quorum_scope_nth (i);

      g_assert_cmpstr (quorum_scope_to_string (scope), ==, names[i]);
      g_assert_cmpint (quorum_scope_from_string (names[i]), ==, scope);
      g_assert_cmpstr (quorum_scope_get_label (scope), !=, "");
      g_assert_cmpstr (quorum_scope_get_description (scope), !=, "");
      g_assert_cmpint (seen & scope, ==, 0);
      seen |= scope;
    }
  g_assert_cmpint (quorum_scope_nth (QUORUM_N_SCOPES), ==, QUORUM_SCOPE_NONE);
  g_assert_cmpint (quorum_scope_from_string ("Members:read"), ==, QUORUM_SCOPE_NONE);
  g_assert_cmpint (quorum_scope_from_string ("members"), ==, QUORUM_SCOPE_NONE);
  g_assert_cmpint (quorum_scope_from_string (NULL), ==, QUORUM_SCOPE_NONE);
  g_assert_null (quorum_scope_to_string (QUORUM_SCOPE_ORG_READ | QUORUM_SCOPE_ORG_WRITE));
  g_assert_cmpstr (quorum_scope_get_label (QUORUM_SCOPE_NONE), ==, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/role/table", test_role_table);
  g_test_add_func ("/core/role/strings", test_role_strings);
  g_test_add_func ("/core/role/enum", test_role_enum);
  g_test_add_func ("/core/role/labels", test_role_labels);
  g_test_add_func ("/core/scope/strings", test_scope_strings);
  return g_test_run ();
}
