/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The libpq backend's statement layer (quorum-store-pg.c), through the
 * store's backend-neutral API (quorum-store-db-private.h): SQLite's ?N
 * parameters rewritten to $N, binds (blobs binary-safe), text results read
 * per column type, changes, unique violations, and statements failing
 * alone inside a transaction as on SQLite. The database cases need
 * QUORUM_TEST_PG_URL (an empty database; test_database.py runs this
 * program on its throw-away cluster) and skip without it. */
#include "config.h"

#include <string.h>

#include "quorum-store-db-private.h"
#include "quorum-store-pg-private.h"  /* qs_pg_rewrite_params */

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

static QsDb *
open_test_database (void)
{
  const char *url = g_getenv ("QUORUM_TEST_PG_URL");
  g_autoptr(GError) error = NULL;
  QsDb *db;

  if (url == NULL || url[0] == '\0')
    return NULL;
  db = qs_db_open (url, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (qs_db_backend_name (db), ==, "postgresql");
  return db;
}

#define SKIP_WITHOUT_DATABASE(db) \
  if ((db) == NULL) { g_test_skip ("QUORUM_TEST_PG_URL is not set"); return; }

#define INSERT_ORGANIZATION "INSERT INTO organizations (id, name, slug, logo_url, logo_data, created_at)" \
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"

static void
test_values (void)
{
  QsDb *db = open_test_database ();
  static const guint8 logo[] = { 0x89, 'P', 0x00, 0xff, 0x00, '\\', 'x', 0x27, 0x00 };
  QsStmt *insert, *again, *select;
  gsize size = 0;

  SKIP_WITHOUT_DATABASE (db);
  insert = qs_db_prepare (db, INSERT_ORGANIZATION, "sssnbi",
                          "org_1", "Ünïcode 'quoted' ?1", "one", logo, sizeof logo,
                          G_GINT64_CONSTANT (4102444800123));
  g_assert_nonnull (insert);
  g_assert_cmpint (qs_stmt_step (insert), ==, QS_STMT_DONE);
  g_assert_cmpint (qs_db_changes (db), ==, 1);
  qs_stmt_reset (insert);

  /* The same statement again (the cached one, its bindings cleared), other
   * values, no blob. */
  again = qs_db_prepare (db, INSERT_ORGANIZATION, "ssssbi",
                         "org_2", "Two", "two", "https://logo.example/x.png", (const void *) NULL, (gsize) 0,
                         (gint64) -5);
  g_assert_true (again == insert);
  g_assert_cmpint (qs_stmt_step (insert), ==, QS_STMT_DONE);
  qs_stmt_reset (insert);

  select = qs_db_prepare (db, "SELECT id, name, logo_url, logo_data, created_at, version = 1, version = 2,"
                              " created_at / 2.0 FROM organizations WHERE id IN (?1, ?2) ORDER BY id",
                          "ss", "org_1", "org_2");
  g_assert_nonnull (select);
  g_assert_cmpint (qs_stmt_step (select), ==, QS_STMT_ROW);
  g_assert_cmpint (qs_stmt_n_columns (select), ==, 8);
  g_assert_cmpstr (qs_stmt_text (select, 0), ==, "org_1");
  g_assert_cmpstr (qs_stmt_text (select, 1), ==, "Ünïcode 'quoted' ?1");
  g_assert_true (qs_stmt_is_null (select, 2));
  g_assert_null (qs_stmt_text (select, 2));
  g_assert_cmpmem (qs_stmt_blob (select, 3, &size), size, logo, sizeof logo);
  g_assert_cmpint (qs_stmt_int64 (select, 4), ==, G_GINT64_CONSTANT (4102444800123));
  /* Booleans read as SQLite's 1 and 0. */
  g_assert_cmpstr (qs_stmt_text (select, 5), ==, "1");
  g_assert_cmpint (qs_stmt_int64 (select, 6), ==, 0);
  g_assert_cmpfloat (qs_stmt_double (select, 7), ==, 2051222400061.5);
  g_assert_cmpint (qs_stmt_step (select), ==, QS_STMT_ROW);
  g_assert_cmpstr (qs_stmt_text (select, 2), ==, "https://logo.example/x.png");
  g_assert_null (qs_stmt_blob (select, 3, &size));
  g_assert_cmpuint (size, ==, 0);
  g_assert_cmpint (qs_stmt_int64 (select, 4), ==, -5);
  g_assert_cmpint (qs_stmt_step (select), ==, QS_STMT_DONE);
  g_assert_cmpint (qs_stmt_step (select), ==, QS_STMT_DONE);
  qs_stmt_reset (select);

  qs_db_close (db);  /* finalizes its statements */
}

#define INSERT_USER "INSERT INTO users (id, name, email, created_at) VALUES (?1, ?2, ?3, 1)"
#define COUNT_USERS "SELECT COUNT(*) FROM users"

static void
test_changes_and_conflicts (void)
{
  QsDb *db = open_test_database ();
  QsStmt *insert, *update;

  SKIP_WITHOUT_DATABASE (db);
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("usr_%d", i);
      g_autofree char *email = g_strdup_printf ("u%d@%s", i, i < 2 ? "changes.example" : "other.example");

      insert = qs_db_prepare (db, INSERT_USER, "sss", id, "U", email);
      g_assert_nonnull (insert);
      g_assert_cmpint (qs_stmt_step (insert), ==, QS_STMT_DONE);
      qs_stmt_reset (insert);
    }
  update = qs_db_prepare (db, "UPDATE users SET name = name || '!' WHERE email LIKE ?1", "s", "%@changes.example");
  g_assert_nonnull (update);
  g_assert_cmpint (qs_stmt_step (update), ==, QS_STMT_DONE);
  qs_stmt_reset (update);
  g_assert_cmpint (qs_db_changes (db), ==, 2);
  /* A query changes nothing: changes stay those of the last write. */
  g_assert_cmpint (qs_db_int (db, -1, COUNT_USERS, ""), ==, 3);
  g_assert_cmpint (qs_db_changes (db), ==, 2);

  /* A taken e-mail is a unique violation, told apart from other failures. */
  insert = qs_db_prepare (db, INSERT_USER, "sss", "usr_9", "Nine", "u0@changes.example");
  g_assert_cmpint (qs_stmt_step (insert), ==, QS_STMT_ERROR);
  g_assert_cmpint (qs_db_error_kind (db), ==, QS_DB_ERROR_UNIQUE);
  g_assert_nonnull (strstr (qs_db_error_message (db), "users_email_key"));
  qs_stmt_reset (insert);
  insert = qs_db_prepare (db, INSERT_USER, "sns", "usr_9", "u9@changes.example");  /* name NOT NULL */
  g_assert_cmpint (qs_stmt_step (insert), ==, QS_STMT_ERROR);
  g_assert_cmpint (qs_db_error_kind (db), ==, QS_DB_ERROR_OTHER);
  qs_stmt_reset (insert);

  /* In a transaction, the failing statement fails alone, as on SQLite:
   * the transaction goes on and commits what else it wrote. A reset keeps
   * the bindings: only the e-mail is bound again. */
  g_assert_true (qs_db_begin (db));
  g_assert_true (qs_db_in_transaction (db));
  insert = qs_db_prepare (db, INSERT_USER, "sss", "usr_10", "Ten", "u1@changes.example");
  g_assert_cmpint (qs_stmt_step (insert), ==, QS_STMT_ERROR);
  g_assert_cmpint (qs_db_error_kind (db), ==, QS_DB_ERROR_UNIQUE);
  qs_stmt_reset (insert);
  qs_stmt_bind_text (insert, 3, "u10@changes.example");
  g_assert_cmpint (qs_stmt_step (insert), ==, QS_STMT_DONE);
  qs_stmt_reset (insert);
  g_assert_true (qs_db_commit (db));
  g_assert_false (qs_db_in_transaction (db));
  g_assert_cmpint (qs_db_int (db, -1, COUNT_USERS, ""), ==, 4);

  /* Parameters PostgreSQL cannot type from their first use take the type
   * they are bound with. */
  {
    const char *either = "SELECT COUNT(*) FROM users WHERE (?1 IS NULL OR email = ?1)";
    QsStmt *flag;

    g_assert_cmpint (qs_db_int (db, -1, either, "s", "u0@changes.example"), ==, 1);
    g_assert_cmpint (qs_db_int (db, -1, either, "n"), ==, 4);
    flag = qs_db_prepare (db, "UPDATE users SET email_verified = ?2,"
                              " name = CASE WHEN ?2 = 1 THEN 'Verified' ELSE name END WHERE id = ?1",
                          "si", "usr_0", (gint64) 1);
    g_assert_cmpint (qs_stmt_step (flag), ==, QS_STMT_DONE);
    qs_stmt_reset (flag);
    g_assert_cmpint (qs_db_changes (db), ==, 1);
  }

  /* An integer beside a small literal is still 64 bits (PostgreSQL alone
   * would make it an int4). */
  {
    QsStmt *wide = qs_db_prepare (db, "UPDATE users SET created_at = CASE WHEN ?2 < 0 THEN 0 ELSE ?2 END"
                                      " WHERE id = ?1",
                                  "si", "usr_1", G_GINT64_CONSTANT (1796000000000));

    g_assert_cmpint (qs_stmt_step (wide), ==, QS_STMT_DONE);
    qs_stmt_reset (wide);
    g_assert_cmpint (qs_db_changes (db), ==, 1);
  }

  /* A rollback drops what the transaction wrote. */
  g_assert_true (qs_db_begin (db));
  insert = qs_db_prepare (db, INSERT_USER, "sss", "usr_11", "Ten", "u11@changes.example");
  g_assert_cmpint (qs_stmt_step (insert), ==, QS_STMT_DONE);
  qs_stmt_reset (insert);
  qs_db_rollback (db);
  g_assert_false (qs_db_in_transaction (db));
  g_assert_cmpint (qs_db_int (db, -1, COUNT_USERS, ""), ==, 4);

  qs_db_close (db);
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
