/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The libpq backend's statement layer (quorum-store-pg.c): SQLite's ?N
 * parameters rewritten to $N, binds (blobs binary-safe), text results read
 * per column type, changes, unique violations, and statements failing
 * alone inside a transaction as on SQLite. The database cases need
 * QUORUM_TEST_PG_URL (an empty database; test_database.py runs this
 * program on its throw-away cluster) and skip without it. */
#include "config.h"

#include <string.h>

#include "quorum-store.h"
#include "quorum-store-pg-private.h"

static void
test_rewrite (void)
{
  static const struct
  {
    const char *sql;
    const char *expected;
    int         n_params;
  } cases[] = {
    { "SELECT ?1, ?2 FROM t WHERE a = ?1", "SELECT $1, $2 FROM t WHERE a = $1", 2 },
    { "SELECT '?1', 'it''s ?2', \"odd?3\" FROM t WHERE a = ?3", "SELECT '?1', 'it''s ?2', \"odd?3\" FROM t WHERE a = $3", 3 },
    { "SELECT ? , ?, ?7, ? -- ?9 comment\n, ?1 /* ?8 */", "SELECT $1 , $2, $7, $8 -- ?9 comment\n, $1 /* ?8 */", 8 },
    { "UPDATE t SET a = ?12", "UPDATE t SET a = $12", 12 },
    { "SELECT 1", "SELECT 1", 0 },
    { "SELECT 'unterminated ?1", "SELECT 'unterminated ?1", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int n = -1;
      g_autofree char *out = qs_pg_rewrite_params (cases[i].sql, &n);

      g_assert_cmpstr (out, ==, cases[i].expected);
      g_assert_cmpint (n, ==, cases[i].n_params);
    }
}

static QsPg *
open_test_database (void)
{
  const char *url_text = g_getenv ("QUORUM_TEST_PG_URL");
  g_autoptr(GError) error = NULL;
  g_autoptr(QsStoreUrl) url = NULL;
  QsPg *pg;

  if (url_text == NULL || url_text[0] == '\0')
    return NULL;
  url = qs_store_url_parse (url_text, &error);
  g_assert_no_error (error);
  pg = qs_pg_open (url, &error);
  g_assert_no_error (error);
  return pg;
}

#define SKIP_WITHOUT_DATABASE(pg) \
  if ((pg) == NULL) { g_test_skip ("QUORUM_TEST_PG_URL is not set"); return; }

static void
test_values (void)
{
  QsPg *pg = open_test_database ();
  static const guint8 logo[] = { 0x89, 'P', 0x00, 0xff, 0x00, '\\', 'x', 0x27, 0x00 };
  QsPgStmt *insert, *select;
  gsize size = 0;

  SKIP_WITHOUT_DATABASE (pg);
  insert = qs_pg_prepare (pg, "INSERT INTO organizations (id, name, slug, logo_url, logo_data, created_at)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  g_assert_nonnull (insert);
  qs_pg_bind_text (insert, 1, "org_1");
  qs_pg_bind_text (insert, 2, "Ünïcode 'quoted' ?1");
  qs_pg_bind_text (insert, 3, "one");
  qs_pg_bind_null (insert, 4);
  qs_pg_bind_blob (insert, 5, logo, sizeof logo);
  qs_pg_bind_int64 (insert, 6, G_GINT64_CONSTANT (4102444800123));
  g_assert_cmpint (qs_pg_step (insert), ==, QS_PG_DONE);
  g_assert_cmpint (qs_pg_changes (pg), ==, 1);
  qs_pg_stmt_reset (insert);

  /* The same statement again, other values, an empty blob. */
  qs_pg_stmt_clear_bindings (insert);
  qs_pg_bind_text (insert, 1, "org_2");
  qs_pg_bind_text (insert, 2, "Two");
  qs_pg_bind_text (insert, 3, "two");
  qs_pg_bind_text (insert, 4, "https://logo.example/x.png");
  qs_pg_bind_blob (insert, 5, NULL, 0);
  qs_pg_bind_int64 (insert, 6, -5);
  g_assert_cmpint (qs_pg_step (insert), ==, QS_PG_DONE);
  qs_pg_stmt_reset (insert);

  select = qs_pg_prepare (pg, "SELECT id, name, logo_url, logo_data, created_at, version = 1, version = 2,"
                              " created_at / 2.0 FROM organizations WHERE id IN (?1, ?2) ORDER BY id");
  g_assert_nonnull (select);
  qs_pg_bind_text (select, 1, "org_1");
  qs_pg_bind_text (select, 2, "org_2");
  g_assert_cmpint (qs_pg_step (select), ==, QS_PG_ROW);
  g_assert_cmpint (qs_pg_n_columns (select), ==, 8);
  g_assert_cmpstr (qs_pg_text (select, 0), ==, "org_1");
  g_assert_cmpstr (qs_pg_text (select, 1), ==, "Ünïcode 'quoted' ?1");
  g_assert_true (qs_pg_is_null (select, 2));
  g_assert_null (qs_pg_text (select, 2));
  g_assert_cmpmem (qs_pg_blob (select, 3, &size), size, logo, sizeof logo);
  g_assert_cmpint (qs_pg_int64 (select, 4), ==, G_GINT64_CONSTANT (4102444800123));
  /* Booleans read as SQLite's 1 and 0. */
  g_assert_cmpstr (qs_pg_text (select, 5), ==, "1");
  g_assert_cmpint (qs_pg_int64 (select, 6), ==, 0);
  g_assert_cmpfloat (qs_pg_double (select, 7), ==, 2051222400061.5);
  g_assert_cmpint (qs_pg_step (select), ==, QS_PG_ROW);
  g_assert_cmpstr (qs_pg_text (select, 2), ==, "https://logo.example/x.png");
  g_assert_null (qs_pg_blob (select, 3, &size));
  g_assert_cmpuint (size, ==, 0);
  g_assert_cmpint (qs_pg_int64 (select, 4), ==, -5);
  g_assert_cmpint (qs_pg_step (select), ==, QS_PG_DONE);
  g_assert_cmpint (qs_pg_step (select), ==, QS_PG_DONE);
  qs_pg_stmt_reset (select);

  qs_pg_stmt_free (select);
  qs_pg_stmt_free (insert);
  qs_pg_close (pg);
}

static void
test_changes_and_conflicts (void)
{
  QsPg *pg = open_test_database ();
  QsPgStmt *insert, *update, *count;
  g_autoptr(GError) error = NULL;

  SKIP_WITHOUT_DATABASE (pg);
  insert = qs_pg_prepare (pg, "INSERT INTO users (id, name, email, created_at) VALUES (?1, ?2, ?3, 1)");
  update = qs_pg_prepare (pg, "UPDATE users SET name = name || '!' WHERE email LIKE ?1");
  count = qs_pg_prepare (pg, "SELECT COUNT(*) FROM users");
  g_assert_nonnull (insert);
  g_assert_nonnull (update);
  g_assert_nonnull (count);

  for (int i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("usr_%d", i);
      g_autofree char *email = g_strdup_printf ("u%d@%s", i, i < 2 ? "changes.example" : "other.example");

      qs_pg_stmt_reset (insert);
      qs_pg_bind_text (insert, 1, id);
      qs_pg_bind_text (insert, 2, "U");
      qs_pg_bind_text (insert, 3, email);
      g_assert_cmpint (qs_pg_step (insert), ==, QS_PG_DONE);
    }
  qs_pg_stmt_reset (insert);
  qs_pg_bind_text (update, 1, "%@changes.example");
  g_assert_cmpint (qs_pg_step (update), ==, QS_PG_DONE);
  qs_pg_stmt_reset (update);
  g_assert_cmpint (qs_pg_changes (pg), ==, 2);
  /* A query changes nothing: changes stay those of the last write. */
  g_assert_cmpint (qs_pg_step (count), ==, QS_PG_ROW);
  g_assert_cmpint (qs_pg_int64 (count, 0), ==, 3);
  qs_pg_stmt_reset (count);
  g_assert_cmpint (qs_pg_changes (pg), ==, 2);

  /* A taken e-mail is a unique violation, told apart from other failures. */
  qs_pg_bind_text (insert, 1, "usr_9");
  qs_pg_bind_text (insert, 2, "Nine");
  qs_pg_bind_text (insert, 3, "u0@changes.example");
  g_assert_cmpint (qs_pg_step (insert), ==, QS_PG_ERROR);
  g_assert_true (qs_pg_error_is_unique (pg));
  g_assert_nonnull (strstr (qs_pg_error_message (pg), "users_email_key"));
  qs_pg_stmt_reset (insert);
  qs_pg_bind_text (insert, 1, "usr_9");
  qs_pg_bind_null (insert, 2);  /* NOT NULL */
  qs_pg_bind_text (insert, 3, "u9@changes.example");
  g_assert_cmpint (qs_pg_step (insert), ==, QS_PG_ERROR);
  g_assert_false (qs_pg_error_is_unique (pg));
  qs_pg_stmt_reset (insert);

  /* In a transaction, the failing statement fails alone, as on SQLite:
   * the transaction goes on and commits what else it wrote. */
  g_assert_true (qs_pg_begin (pg, TRUE));
  g_assert_true (qs_pg_in_transaction (pg));
  qs_pg_bind_text (insert, 1, "usr_10");
  qs_pg_bind_text (insert, 2, "Ten");
  qs_pg_bind_text (insert, 3, "u1@changes.example");
  g_assert_cmpint (qs_pg_step (insert), ==, QS_PG_ERROR);
  g_assert_true (qs_pg_error_is_unique (pg));
  qs_pg_stmt_reset (insert);
  qs_pg_bind_text (insert, 3, "u10@changes.example");
  g_assert_cmpint (qs_pg_step (insert), ==, QS_PG_DONE);
  qs_pg_stmt_reset (insert);
  g_assert_true (qs_pg_commit (pg, &error));
  g_assert_no_error (error);
  g_assert_false (qs_pg_in_transaction (pg));
  g_assert_cmpint (qs_pg_step (count), ==, QS_PG_ROW);
  g_assert_cmpint (qs_pg_int64 (count, 0), ==, 4);
  qs_pg_stmt_reset (count);

  /* Parameters PostgreSQL cannot type from their first use take the type
   * they are bound with. */
  {
    QsPgStmt *either = qs_pg_prepare (pg, "SELECT COUNT(*) FROM users WHERE (?1 IS NULL OR email = ?1)");
    QsPgStmt *flag = qs_pg_prepare (pg, "UPDATE users SET email_verified = ?2,"
                                        " name = CASE WHEN ?2 = 1 THEN 'Verified' ELSE name END WHERE id = ?1");

    qs_pg_bind_text (either, 1, "u0@changes.example");
    g_assert_cmpint (qs_pg_step (either), ==, QS_PG_ROW);
    g_assert_cmpint (qs_pg_int64 (either, 0), ==, 1);
    qs_pg_stmt_reset (either);
    qs_pg_bind_null (either, 1);
    g_assert_cmpint (qs_pg_step (either), ==, QS_PG_ROW);
    g_assert_cmpint (qs_pg_int64 (either, 0), ==, 4);
    qs_pg_stmt_reset (either);
    qs_pg_bind_text (flag, 1, "usr_0");
    qs_pg_bind_int64 (flag, 2, 1);
    g_assert_cmpint (qs_pg_step (flag), ==, QS_PG_DONE);
    g_assert_cmpint (qs_pg_changes (pg), ==, 1);
    qs_pg_stmt_free (flag);
    qs_pg_stmt_free (either);
  }

  /* An integer beside a small literal is still 64 bits (PostgreSQL alone
   * would make it an int4). */
  {
    QsPgStmt *wide = qs_pg_prepare (pg, "UPDATE users SET created_at = CASE WHEN ?2 < 0 THEN 0 ELSE ?2 END"
                                        " WHERE id = ?1");

    qs_pg_bind_text (wide, 1, "usr_1");
    qs_pg_bind_int64 (wide, 2, G_GINT64_CONSTANT (1796000000000));
    g_assert_cmpint (qs_pg_step (wide), ==, QS_PG_DONE);
    g_assert_cmpint (qs_pg_changes (pg), ==, 1);
    qs_pg_stmt_free (wide);
  }

  /* A rollback drops what the transaction wrote. */
  g_assert_true (qs_pg_begin (pg, TRUE));
  qs_pg_bind_text (insert, 1, "usr_11");
  qs_pg_bind_text (insert, 3, "u11@changes.example");
  g_assert_cmpint (qs_pg_step (insert), ==, QS_PG_DONE);
  qs_pg_stmt_reset (insert);
  qs_pg_rollback (pg);
  g_assert_false (qs_pg_in_transaction (pg));
  g_assert_cmpint (qs_pg_step (count), ==, QS_PG_ROW);
  g_assert_cmpint (qs_pg_int64 (count, 0), ==, 4);
  qs_pg_stmt_reset (count);

  qs_pg_stmt_free (count);
  qs_pg_stmt_free (update);
  qs_pg_stmt_free (insert);
  qs_pg_close (pg);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/store-pg/rewrite", test_rewrite);
  g_test_add_func ("/server/store-pg/values", test_values);
  g_test_add_func ("/server/store-pg/changes-and-conflicts", test_changes_and_conflicts);
  return g_test_run ();
}
