/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's organization, member and invitation rules, against a fresh
 * SQLite database in a temporary directory. */
#include "config.h"

#include "quorum-server-util.h"
#include "store-fixture.h"

typedef StoreFixture Fixture;

/* One address a name: "Ada Owner" owns every organization of a test. */
static char *
add_user (Fixture    *f,
          const char *name)
{
  g_autofree char *local = g_ascii_strdown (name, -1);
  g_autofree char *email = g_strdup_printf ("%s@example.test", g_strdelimit (local, " ", '.'));
  g_autoptr(QsStoreUser) taken = qs_store_user_by_email (f->store, email, NULL);
  g_autoptr(GError) error = NULL;
  char *id;

  if (taken != NULL)
    {
      g_autofree char *unique = qs_new_id ("");

      g_free (email);
      email = g_strdup_printf ("%s.%s@example.test", local, unique);
    }
  id = qs_store_user_create (f->store, name, email, NULL, FALSE, 0, &error);
  g_assert_no_error (error);
  return id;
}

static char *
add_member (Fixture             *f,
            const char          *org_id,
            const char          *name,
            QuorumRole           role,
            QsStoreMemberStatus  status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *user_id = add_user (f, name);
  char *member_id = qs_store_member_add (f->store, org_id, user_id, role, status, 1, 1, &error);

  g_assert_no_error (error);
  return member_id;
}

static QsStoreOrganization *
create_organization (Fixture    *f,
                     const char *name,
                     const char *slug,
                     char      **owner_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *user_id = add_user (f, "Ada Owner");
  QsStoreOrganization *org = qs_store_organization_create (f->store, name, slug, NULL, user_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (org);
  if (owner_id != NULL)
    *owner_id = g_steal_pointer (&user_id);
  return org;
}

static void
test_slug_conflict (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(QsStoreOrganization) acme = create_organization (f, "Acme", "acme", NULL);
  g_autoptr(QsStoreOrganization) derived = create_organization (f, "Acme", NULL, NULL);
  g_autoptr(QsStoreOrganization) other = create_organization (f, "Other", "other", NULL);
  g_autoptr(QsStoreOrganization) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *user_id = add_user (f, "Bob Builder");

  g_assert_cmpstr (derived->slug, ==, "acme-2");
  g_assert_cmpint (acme->member_count, ==, 1);

  again = qs_store_organization_create (f->store, "Acme again", "acme", NULL, user_id, &error);
  g_assert_error (error, QS_STORE_ERROR, QS_STORE_ERROR_CONFLICT);
  g_assert_null (again);
  g_clear_error (&error);

  g_assert_false (qs_store_organization_update (f->store, other->id, NULL, "acme", FALSE, NULL, &error));
  g_assert_error (error, QS_STORE_ERROR, QS_STORE_ERROR_CONFLICT);
  g_clear_error (&error);

  /* Its own slug is no conflict; every edit bumps the version. */
  g_assert_true (qs_store_organization_update (f->store, other->id, "Renamed", "other", FALSE, NULL, &error));
  g_assert_no_error (error);
  again = qs_store_organization_get (f->store, other->id, &error);
  g_assert_cmpstr (again->name, ==, "Renamed");
  g_assert_cmpint (again->version, ==, other->version + 1);
}

static void
test_transfer_ownership (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *owner_user = NULL;
  g_autoptr(QsStoreOrganization) org = create_organization (f, "Acme", "acme", &owner_user);
  g_autoptr(QsStoreMember) owner = qs_store_member_for_user (f->store, org->id, owner_user, NULL);
  G_GNUC_UNUSED g_autofree char *bob = add_member (f, org->id, "Bob", QUORUM_ROLE_ADMIN, QS_STORE_MEMBER_ACTIVE);
  g_autofree char *cy = add_member (f, org->id, "Cy", QUORUM_ROLE_MEMBER, QS_STORE_MEMBER_ACTIVE);
  QsStoreMemberQuery all = { .status = -1, .limit = 200 };
  g_autoptr(QsStoreMemberPage) page = NULL;
  g_autoptr(GError) error = NULL;
  guint owners = 0;

  {
    g_autoptr(QsStoreTxn) txn = qs_store_begin (f->store, &error);

    g_assert_true (qs_store_member_transfer_ownership (f->store, owner->id, cy, &error));
    g_assert_true (qs_store_txn_commit (txn, &error));
    g_assert_no_error (error);
  }

  page = qs_store_member_list (f->store, org->id, &all, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->members->len, ==, 3);
  for (guint i = 0; i < page->members->len; i++)
    {
      QsStoreMember *m = g_ptr_array_index (page->members, i);

      if (m->role == QUORUM_ROLE_OWNER)
        {
          owners++;
          g_assert_cmpstr (m->id, ==, cy);
        }
      else if (g_strcmp0 (m->id, owner->id) == 0)
        g_assert_cmpint (m->role, ==, QUORUM_ROLE_ADMIN);
    }
  g_assert_cmpuint (owners, ==, 1);
}

static void
test_member_page (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(QsStoreOrganization) org = create_organization (f, "Acme", "acme", NULL);
  /* Suspended members last, then by case-folded name: "Ada Owner" (the
   * owner), "bea", "Carl", "dora" active; "Abe" suspended. */
  g_autofree char *m1 = add_member (f, org->id, "dora", QUORUM_ROLE_MEMBER, QS_STORE_MEMBER_ACTIVE);
  G_GNUC_UNUSED g_autofree char *m2 = add_member (f, org->id, "Abe", QUORUM_ROLE_MEMBER, QS_STORE_MEMBER_SUSPENDED);
  g_autofree char *m3 = add_member (f, org->id, "Carl", QUORUM_ROLE_ADMIN, QS_STORE_MEMBER_ACTIVE);
  G_GNUC_UNUSED g_autofree char *m4 = add_member (f, org->id, "bea", QUORUM_ROLE_MEMBER, QS_STORE_MEMBER_ACTIVE);
  const char *expected[] = { "Ada Owner", "bea", "Carl", "dora", "Abe" };
  QsStoreMemberQuery q = { .status = -1, .limit = 2 };
  g_autoptr(QsStoreMemberCursor) next = NULL;
  g_autoptr(GError) error = NULL;
  guint seen = 0;

  for (guint pages = 0; pages < 3; pages++)
    {
      g_autoptr(QsStoreMemberPage) page = qs_store_member_list (f->store, org->id, &q, &error);

      g_assert_no_error (error);
      g_assert_cmpint (page->total, ==, 5);
      for (guint i = 0; i < page->members->len; i++)
        g_assert_cmpstr (((QsStoreMember *) g_ptr_array_index (page->members, i))->name, ==,
                         expected[seen++]);
      g_clear_pointer (&next, qs_store_member_cursor_free);
      next = g_steal_pointer (&page->next);
      g_assert_true ((next == NULL) == (pages == 2));
      q.after = next;
    }
  g_assert_cmpuint (seen, ==, G_N_ELEMENTS (expected));

  /* Filters: total counts the matches, not the list. */
  {
    QsStoreMemberQuery admins = { .role = QUORUM_ROLE_ADMIN, .status = -1, .limit = 10 };
    QsStoreMemberQuery search = { .status = QS_STORE_MEMBER_ACTIVE, .query = "DOR", .limit = 10 };
    g_autoptr(QsStoreMemberPage) a = qs_store_member_list (f->store, org->id, &admins, &error);
    g_autoptr(QsStoreMemberPage) s = qs_store_member_list (f->store, org->id, &search, &error);

    g_assert_cmpint (a->total, ==, 1);
    g_assert_cmpstr (((QsStoreMember *) g_ptr_array_index (a->members, 0))->id, ==, m3);
    g_assert_cmpint (s->total, ==, 1);
    g_assert_cmpstr (((QsStoreMember *) g_ptr_array_index (s->members, 0))->id, ==, m1);
  }
}

static void
assert_order (Fixture                  *f,
              const char               *org_id,
              const QsStoreMemberQuery *query,
              const char * const       *expected_ids,
              gint64                    expected_total)
{
  QsStoreMemberQuery q = *query;
  g_autoptr(QsStoreMemberCursor) next = NULL;
  g_autoptr(GError) error = NULL;
  guint seen = 0;

  q.limit = 1;  /* one a page: every cursor is used */
  do
    {
      g_autoptr(QsStoreMemberPage) page = qs_store_member_list (f->store, org_id, &q, &error);

      g_assert_no_error (error);
      if (!q.no_total)
        g_assert_cmpint (page->total, ==, expected_total);
      for (guint i = 0; i < page->members->len; i++)
        {
          g_assert_nonnull (expected_ids[seen]);
          g_assert_cmpstr (((QsStoreMember *) g_ptr_array_index (page->members, i))->id, ==, expected_ids[seen]);
          seen++;
        }
      g_clear_pointer (&next, qs_store_member_cursor_free);
      next = g_steal_pointer (&page->next);
      q.after = next;
    }
  while (next != NULL);
  g_assert_null (expected_ids[seen]);
}

/* Last activity: written at most once per interval, and the index's
 * second order (never first, then oldest) and the inactive filter follow
 * every write, a rolled-back one included. */
static void
test_member_last_active (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *owner_user = NULL;
  g_autoptr(QsStoreOrganization) org = create_organization (f, "Acme", "acme", &owner_user);
  g_autofree char *never = add_member (f, org->id, "Nora Never", QUORUM_ROLE_MEMBER, QS_STORE_MEMBER_ACTIVE);
  g_autofree char *old = add_member (f, org->id, "Olga Old", QUORUM_ROLE_MEMBER, QS_STORE_MEMBER_SUSPENDED);
  g_autofree char *mid = add_member (f, org->id, "Mia Mid", QUORUM_ROLE_ADMIN, QS_STORE_MEMBER_ACTIVE);
  g_autoptr(QsStoreMember) owner = qs_store_member_for_user (f->store, org->id, owner_user, NULL);
  g_autoptr(QsStoreMember) olga = NULL;
  g_autoptr(GError) error = NULL;
  QsStoreMemberQuery by_activity = { .status = -1, .sort = QS_STORE_MEMBER_SORT_LAST_ACTIVE };
  QsStoreMemberQuery inactive = { .status = -1, .inactive_before = 350 };
  gint64 late = owner->joined_at;

  g_assert_true (qs_store_member_set_last_active (f->store, never, 0, &error));
  g_assert_true (qs_store_member_set_last_active (f->store, old, 100, &error));
  g_assert_true (qs_store_member_set_last_active (f->store, mid, 300, &error));
  {
    const char *order[] = { never, old, mid, owner->id, NULL };
    const char *stale[] = { mid, never, old, NULL };  /* by name, active first */

    assert_order (f, org->id, &by_activity, order, 4);
    by_activity.no_total = TRUE;
    assert_order (f, org->id, &by_activity, order, 4);
    by_activity.no_total = FALSE;
    assert_order (f, org->id, &inactive, stale, 3);
  }

  /* Within the interval a touch writes nothing; past it, once. */
  olga = qs_store_member_get (f->store, org->id, old, &error);
  g_assert_false (qs_store_member_touch (f->store, olga, 100 + QS_STORE_MEMBER_ACTIVE_INTERVAL - 1, &error));
  g_assert_no_error (error);
  g_assert_true (qs_store_member_touch (f->store, olga, 400, &error));
  g_assert_cmpint (olga->last_active_at, ==, 400);
  g_assert_false (qs_store_member_touch (f->store, olga, 401, &error));
  g_clear_pointer (&olga, qs_store_member_free);
  olga = qs_store_member_get (f->store, org->id, old, &error);
  g_assert_cmpint (olga->last_active_at, ==, 400);
  g_assert_false (qs_store_member_touch_user (f->store, org->id, "usr_nobody", 10000, &error));
  g_assert_no_error (error);
  {
    const char *order[] = { never, mid, old, owner->id, NULL };
    const char *stale[] = { mid, never, NULL };

    assert_order (f, org->id, &by_activity, order, 4);
    assert_order (f, org->id, &inactive, stale, 2);
  }

  /* A touch in a transaction that rolls back: the index is rebuilt from
   * the table, which does not have it. */
  {
    G_GNUC_UNUSED g_autoptr(QsStoreTxn) txn = qs_store_begin (f->store, &error);

    g_assert_true (qs_store_member_set_last_active (f->store, never, late + 1, &error));
  }
  {
    const char *order[] = { never, mid, old, owner->id, NULL };

    assert_order (f, org->id, &by_activity, order, 4);
  }
}

/* The member index follows a rolled-back transaction. */
static void
test_member_rollback (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(QsStoreOrganization) org = create_organization (f, "Acme", "acme", NULL);
  QsStoreMemberQuery all = { .status = -1, .limit = 10 };
  g_autoptr(GError) error = NULL;

  {
    G_GNUC_UNUSED g_autoptr(QsStoreTxn) txn = qs_store_begin (f->store, &error);
    G_GNUC_UNUSED g_autofree char *m = add_member (f, org->id, "Bob", QUORUM_ROLE_MEMBER, QS_STORE_MEMBER_ACTIVE);
    g_autoptr(QsStoreMemberPage) page = qs_store_member_list (f->store, org->id, &all, &error);

    g_assert_cmpint (page->total, ==, 2);
    /* dropped uncommitted */
  }
  {
    g_autoptr(QsStoreMemberPage) page = qs_store_member_list (f->store, org->id, &all, &error);
    g_autoptr(QsStoreOrganization) again = qs_store_organization_get (f->store, org->id, &error);

    g_assert_no_error (error);
    g_assert_cmpint (page->total, ==, 1);
    g_assert_cmpuint (page->members->len, ==, 1);
    g_assert_cmpint (again->member_count, ==, 1);
  }
}

static void
test_invitation_accept_once (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *owner_user = NULL;
  g_autoptr(QsStoreOrganization) org = create_organization (f, "Acme", "acme", &owner_user);
  g_autofree char *bob = add_user (f, "Bob");
  g_autoptr(QsStoreInvitation) inv = NULL;
  g_autoptr(QsStoreInvitation) found = NULL;
  g_autoptr(GError) error = NULL;
  guint8 hash[QS_STORE_TOKEN_HASH_LEN];
  gint64 now = 1000000;

  qs_hash_token ("a-token-for-the-store-test", hash);
  inv = qs_store_invitation_create (f->store, org->id, "bob@example.test", QUORUM_ROLE_ADMIN, hash,
                                    owner_user, now, now + 3600, &error);
  g_assert_no_error (error);
  g_assert_cmpint (inv->status, ==, QS_STORE_INVITATION_PENDING);
  g_assert_cmpint (qs_store_invitations_pending_count (f->store, org->id, NULL, now, &error), ==, 1);
  g_assert_cmpint (qs_store_invitations_pending_count (f->store, org->id, NULL, now + 3600, &error), ==, 0);

  found = qs_store_invitation_by_token_hash (f->store, hash, now + 3600, &error);
  g_assert_cmpint (found->status, ==, QS_STORE_INVITATION_EXPIRED);

  {
    g_autoptr(QsStoreTxn) txn = qs_store_begin (f->store, &error);
    g_autoptr(QsStoreMember) member = qs_store_invitation_accept (f->store, inv->id, bob, now, &error);
    g_autoptr(QsStoreMember) twice = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (member->role, ==, QUORUM_ROLE_ADMIN);
    twice = qs_store_invitation_accept (f->store, inv->id, bob, now, &error);
    g_assert_error (error, QS_STORE_ERROR, QS_STORE_ERROR_CONFLICT);
    g_assert_null (twice);
    g_clear_error (&error);
    g_assert_false (qs_store_invitation_decline (f->store, inv->id, &error));
    g_assert_error (error, QS_STORE_ERROR, QS_STORE_ERROR_CONFLICT);
    g_clear_error (&error);
    g_assert_true (qs_store_txn_commit (txn, &error));
  }

  g_clear_pointer (&found, qs_store_invitation_free);
  found = qs_store_invitation_get (f->store, org->id, inv->id, now, &error);
  g_assert_cmpint (found->status, ==, QS_STORE_INVITATION_ACCEPTED);
  g_assert_true (qs_store_member_has_email (f->store, org->id, "bob@example.test", &error));
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, store_fixture_set_up, func, store_fixture_tear_down)
  ADD ("/store/organizations/slug-conflict", test_slug_conflict);
  ADD ("/store/members/transfer-ownership", test_transfer_ownership);
  ADD ("/store/members/page-order", test_member_page);
  ADD ("/store/members/rollback", test_member_rollback);
  ADD ("/store/members/last-active", test_member_last_active);
  ADD ("/store/invitations/accept-once", test_invitation_accept_once);
#undef ADD

  return g_test_run ();
}
