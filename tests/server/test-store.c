/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "store-fixture.h"

/* The transaction guard, users, sessions and e-mail tokens, on a fresh
 * database in a temporary directory. */

typedef StoreFixture Fixture;

static char *
create_user (QsStore    *store,
             const char *email)
{
  g_autoptr(GError) error = NULL;
  char *id = qs_store_user_create (store, "Ada Lovelace", email, "hash", FALSE, 1700000000, &error);

  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

static void
test_txn_dropped_rolls_back (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(QsStoreUser) user = NULL;
  g_autoptr(GError) error = NULL;

  {
    G_GNUC_UNUSED g_autoptr(QsStoreTxn) txn = qs_store_begin (f->store, &error);
    g_autofree char *id = NULL;

    g_assert_no_error (error);
    id = create_user (f->store, "ada@example.com");
    user = qs_store_user_by_email (f->store, "ada@example.com", &error);
    g_assert_no_error (error);
    g_assert_nonnull (user);
    g_clear_pointer (&user, qs_store_user_free);
  }

  user = qs_store_user_by_email (f->store, "ada@example.com", &error);
  g_assert_no_error (error);
  g_assert_null (user);

  /* The store takes a new transaction after the dropped one. */
  {
    g_autoptr(QsStoreTxn) txn = qs_store_begin (f->store, &error);

    g_assert_no_error (error);
    g_assert_nonnull (txn);
  }
}

static void
test_txn_commit_persists (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(QsStoreTxn) txn = qs_store_begin (f->store, NULL);
  g_autoptr(QsStoreUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  g_assert_nonnull (txn);
  id = create_user (f->store, "ada@example.com");
  g_assert_true (qs_store_txn_commit (txn, &error));
  g_assert_no_error (error);
  g_clear_pointer (&txn, qs_store_txn_free);

  /* On disk: a new connection sees it. */
  g_clear_pointer (&f->store, qs_store_free);
  f->store = qs_store_open (f->path, &error);
  g_assert_no_error (error);
  user = qs_store_user_by_email (f->store, "ada@example.com", &error);
  g_assert_no_error (error);
  g_assert_nonnull (user);
  g_assert_cmpstr (user->id, ==, id);
  g_assert_cmpstr (user->name, ==, "Ada Lovelace");
  g_assert_cmpstr (user->password_hash, ==, "hash");
  g_assert_false (user->email_verified);
  g_assert_cmpint (user->created_at, ==, 1700000000);
}

static void
test_user_email_conflict (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  G_GNUC_UNUSED g_autofree char *first = create_user (f->store, "ada@example.com");
  g_autofree char *second = NULL;
  GLogLevelFlags fatal;

  /* The SQLite layer logs the failed statement; structured logging leaves
   * g_test_expect_message () out, so that warning is let through instead. */
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK);
  second = qs_store_user_create (f->store, "Someone Else", "ada@example.com", NULL, TRUE,
                                 1700000000, &error);
  g_log_set_always_fatal (fatal);
  g_assert_null (second);
  g_assert_error (error, QS_STORE_ERROR, QS_STORE_ERROR_CONFLICT);
}

static gboolean
session_alive (QsStore      *store,
               const guint8 *hash)
{
  g_autoptr(QsStoreUser) user = qs_store_session_user (store, hash, NULL);

  return user != NULL;
}

static void
test_sessions_end_for_user (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *ada = create_user (f->store, "ada@example.com");
  g_autofree char *grace = create_user (f->store, "grace@example.com");
  guint8 hashes[4][QS_STORE_TOKEN_HASH_LEN];
  gint64 expires_at = g_get_real_time () / G_USEC_PER_SEC + 3600;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (hashes); i++)
    {
      memset (hashes[i], 'a' + i, QS_STORE_TOKEN_HASH_LEN);
      g_assert_true (qs_store_session_create (f->store, hashes[i], i < 3 ? ada : grace, expires_at,
                                              &error));
      g_assert_no_error (error);
    }

  g_assert_true (qs_store_sessions_end_for_user (f->store, ada, hashes[1], &error));
  g_assert_no_error (error);
  g_assert_false (session_alive (f->store, hashes[0]));
  g_assert_true (session_alive (f->store, hashes[1]));
  g_assert_false (session_alive (f->store, hashes[2]));
  g_assert_true (session_alive (f->store, hashes[3]));

  /* Without an exception, all of them. */
  g_assert_true (qs_store_sessions_end_for_user (f->store, ada, NULL, &error));
  g_assert_false (session_alive (f->store, hashes[1]));
  g_assert_true (session_alive (f->store, hashes[3]));
}

static void
test_email_token_single_use (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *ada = create_user (f->store, "ada@example.com");
  g_autofree char *owner = NULL;
  guint8 first[QS_STORE_TOKEN_HASH_LEN], second[QS_STORE_TOKEN_HASH_LEN];
  gint64 expires_at = 0;

  memset (first, 1, sizeof first);
  memset (second, 2, sizeof second);
  g_assert_true (qs_store_email_token_issue (f->store, "verify", first, ada, 1800000000, NULL));
  g_assert_true (qs_store_email_token_issue (f->store, "verify", second, ada, 1800000000, NULL));

  /* A newer token ends the earlier one. */
  g_assert_null (qs_store_email_token_user (f->store, "verify", first, &expires_at, NULL));
  g_assert_null (qs_store_email_token_user (f->store, "reset", second, &expires_at, NULL));
  owner = qs_store_email_token_user (f->store, "verify", second, &expires_at, NULL);
  g_assert_cmpstr (owner, ==, ada);
  g_assert_cmpint (expires_at, ==, 1800000000);

  g_assert_true (qs_store_email_token_use (f->store, second, NULL));
  g_assert_false (qs_store_email_token_use (f->store, second, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, store_fixture_set_up, func, store_fixture_tear_down)
  ADD ("/store/txn/dropped-rolls-back", test_txn_dropped_rolls_back);
  ADD ("/store/txn/commit-persists", test_txn_commit_persists);
  ADD ("/store/user/email-conflict", test_user_email_conflict);
  ADD ("/store/sessions/end-for-user", test_sessions_end_for_user);
  ADD ("/store/email-token/single-use", test_email_token_single_use);
#undef ADD

  return g_test_run ();
}
