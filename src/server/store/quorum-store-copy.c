/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-store-copy.h"
#include "quorum-store-private.h"
#include "quorum-store-sqlite-private.h"  /* QS_DB_SCHEMA_VERSION */
#if HAVE_LIBPQ
#include "quorum-store-pg-private.h"      /* QS_PG_MIGRATION_LOCK */
#endif

/* An SQLite install copied into PostgreSQL through the backend-neutral
 * database API (quorum-store-db-private.h), so that both sides are read
 * by the same code:
 *
 * - the source is opened read-only and read in one read transaction (one
 *   snapshot: WAL lets the old server go on writing meanwhile, and what it
 *   writes after the snapshot is simply not in the copy; PRAGMA
 *   data_version tells afterwards whether it wrote);
 * - the target, migrated to this version if it is a new database, is
 *   written in one transaction holding the migration lock (a server
 *   starting on it waits for the copy), checked empty inside it, filled
 *   table by table in foreign-key order with multi-row INSERTs, its
 *   identity sequences set past the copied maxima;
 * - then every table is read back on both sides in primary-key order and
 *   hashed (SHA-256 over the normalised values, below); the transaction
 *   commits only when every count and hash match.
 *
 * Hash input, per value: NULL as "N"; an integer as "I" and its decimal
 * digits, then ";"; text as "T", its length in bytes, ":" and its UTF-8
 * bytes; a blob as "B", its length in bytes, ":" and its bytes in lower-case
 * hex; each row ends with "\n". Types are the values' own, so an integer
 * stored as text on one side is a mismatch. */

typedef struct
{
  const char *name;
  const char *key;       /* ORDER BY: the primary key */
  const char *identity;  /* PostgreSQL's identity column (SQLite's INTEGER PRIMARY KEY), or NULL */
} CopyTable;

/* Every table of the schema, parents before children. The source's and the
 * target's tables and columns are checked against the databases' catalogs
 * before anything is copied: a migration that adds a table fails here
 * until the table is listed. A column a migration adds on both sides is
 * read from the catalogs and copied as it is: webhook_deliveries's claim
 * (8: claimed_until, claimed_by) too, so a try the old server had in
 * flight is sent again once its lease is over (at least once). */
static const CopyTable copy_tables[] = {
  { "users",               "id",                     NULL },
  { "organizations",       "id",                     NULL },
  { "plans",               "id",                     NULL },
  { "sessions",            "token_hash",             NULL },
  { "members",             "id",                     NULL },
  { "invitations",         "id",                     NULL },
  { "idempotency_keys",    "user_id, org_id, key",   NULL },
  { "meta",                "key",                    NULL },
  { "email_tokens",        "token_hash",             NULL },
  { "billing_accounts",    "org_id",                 NULL },
  { "ledger_entries",      "id",                     "id" },
  { "usage_records",       "org_id, day, member_id", NULL },
  { "usage_windows",       "org_id, days, member_id", NULL },
  { "usage_window_counts", "org_id, days",           NULL },
  { "usage_days",          "org_id, day",            NULL },
  { "invoices",            "id",                     NULL },
  { "audit_events",        "seq",                    "seq" },
  { "events",              "id",                     NULL },
  { "api_keys",            "id",                     NULL },
  { "usage_log",           "org_id, version",        NULL },
  { "webhooks",            "id",                     NULL },
  { "webhook_deliveries",  "seq",                    "seq" },
  { "rate_limits",         "kind, key",              NULL },
};

/* The migrations' own rows: the target's are replaced by the source's. */
#define SEEDED_TABLE "plans"

/* Parameters per INSERT: well under PostgreSQL's 65,535. */
#define MAX_PARAMS 30000
#define MAX_BATCH  200

static gboolean
fail (QsDb        *db,
      GError     **error,
      const char  *what,
      const char  *table)
{
  g_set_error (error, QS_STORE_ERROR, QS_STORE_ERROR_FAILED, "%s%s%s: %s", what,
               table != NULL ? " " : "", table != NULL ? table : "", qs_db_error_message (db));
  return FALSE;
}

static gboolean
is_postgresql (QsDb *db)
{
  return g_str_equal (qs_db_backend_name (db), "postgresql");
}

/* The first column of every row of a query with at most one text
 * parameter, as strings. */
static GPtrArray *
strings (QsDb        *db,
         const char  *sql,
         const char  *param,
         GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  QsStmt *stmt = param != NULL ? qs_db_prepare (db, sql, "s", param) : qs_db_prepare (db, sql, "");
  QsStmtResult rc;

  if (stmt == NULL)
    {
      fail (db, error, "cannot read the catalog", NULL);
      return NULL;
    }
  while ((rc = qs_stmt_step (stmt)) == QS_STMT_ROW)
    g_ptr_array_add (out, qs_stmt_dup_text (stmt, 0));
  qs_stmt_reset (stmt);
  if (rc != QS_STMT_DONE)
    {
      fail (db, error, "cannot read the catalog", NULL);
      return NULL;
    }
  return g_steal_pointer (&out);
}

/* PostgreSQL: qs_ tables are the backend's change log (quorum-store-pg-hooks.c),
 * made by a server's first start, not the schema's. */
static GPtrArray *
list_tables (QsDb    *db,
             GError **error)
{
  if (is_postgresql (db))
    return strings (db,
                    "SELECT table_name::text FROM information_schema.tables"
                    " WHERE table_schema = current_schema () AND table_type = 'BASE TABLE'"
                    " AND table_name <> 'schema_version' AND table_name NOT LIKE 'qs\\_%' ORDER BY 1",
                    NULL, error);
  return strings (db,
                  "SELECT name FROM sqlite_schema WHERE type = 'table'"
                  " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY 1",
                  NULL, error);
}

static GPtrArray *
list_columns (QsDb        *db,
              const char  *table,
              GError     **error)
{
  if (is_postgresql (db))
    return strings (db,
                    "SELECT column_name::text FROM information_schema.columns"
                    " WHERE table_schema = current_schema () AND table_name::text = ?1"
                    " ORDER BY ordinal_position",
                    table, error);
  return strings (db, "SELECT name FROM pragma_table_info (?1) ORDER BY cid", table, error);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static char *
join (GPtrArray *names)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", (const char *) names->pdata[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Both databases hold exactly copy_tables, each with the same columns in
 * the same order; *columns[i] gets table i's column list for SQL. */
static gboolean
check_catalogs (QsDb     *source,
                QsDb     *target,
                char    **columns,
                GError  **error)
{
  g_autoptr(GPtrArray) source_tables = list_tables (source, error);
  g_autoptr(GPtrArray) target_tables = NULL;
  g_autoptr(GPtrArray) known = g_ptr_array_new ();
  g_autofree char *known_text = NULL;
  g_autofree char *source_text = NULL;
  g_autofree char *target_text = NULL;

  if (source_tables == NULL || (target_tables = list_tables (target, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (copy_tables); i++)
    g_ptr_array_add (known, (gpointer) copy_tables[i].name);
  g_ptr_array_sort (known, compare_names);
  g_ptr_array_sort (source_tables, compare_names);
  g_ptr_array_sort (target_tables, compare_names);
  known_text = join (known);
  source_text = join (source_tables);
  target_text = join (target_tables);
  if (!g_str_equal (known_text, source_text) || !g_str_equal (known_text, target_text))
    {
      g_set_error (error, QS_STORE_ERROR, QS_STORE_ERROR_FAILED,
                   "the databases' tables are not the ones this server copies (%s): the source has %s, "
                   "the target %s", known_text, source_text, target_text);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (copy_tables); i++)
    {
      g_autoptr(GPtrArray) a = list_columns (source, copy_tables[i].name, error);
      g_autoptr(GPtrArray) b = NULL;
      g_autofree char *a_text = NULL;
      g_autofree char *b_text = NULL;

      if (a == NULL || (b = list_columns (target, copy_tables[i].name, error)) == NULL)
        return FALSE;
      a_text = join (a);
      b_text = join (b);
      if (a->len == 0 || !g_str_equal (a_text, b_text))
        {
          g_set_error (error, QS_STORE_ERROR, QS_STORE_ERROR_FAILED,
                       "table %s: the source's columns (%s) are not the target's (%s)",
                       copy_tables[i].name, a_text, b_text);
          return FALSE;
        }
      columns[i] = g_steal_pointer (&a_text);
    }
  return TRUE;
}

static gint64
count_rows (QsDb        *db,
            const char  *table,
            GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);
  QsStmt *stmt = qs_db_prepare (db, sql, "");
  gint64 n = -1;

  if (stmt != NULL && qs_stmt_step (stmt) == QS_STMT_ROW)
    n = qs_stmt_int64 (stmt, 0);
  if (stmt != NULL)
    qs_stmt_reset (stmt);
  if (n < 0)
    fail (db, error, "cannot count the rows of", table);
  return n;
}

static char *
select_sql (const CopyTable *table,
            const char      *columns)
{
  return g_strdup_printf ("SELECT %s FROM %s ORDER BY %s", columns, table->name, table->key);
}

/* One INSERT of n_rows rows of n_columns. */
static char *
insert_sql (const CopyTable *table,
            const char      *columns,
            guint            n_columns,
            guint            n_rows)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  guint param = 1;

  g_string_append_printf (sql, "INSERT INTO %s (%s) VALUES ", table->name, columns);
  for (guint r = 0; r < n_rows; r++)
    {
      g_string_append (sql, r > 0 ? ", (" : "(");
      for (guint c = 0; c < n_columns; c++)
        g_string_append_printf (sql, "%s?%u", c > 0 ? ", " : "", param++);
      g_string_append_c (sql, ')');
    }
  return g_string_free (g_steal_pointer (&sql), FALSE);
}

static gboolean
run_to_end (QsStmt *stmt)
{
  QsStmtResult rc;

  while ((rc = qs_stmt_step (stmt)) == QS_STMT_ROW)
    ;
  qs_stmt_reset (stmt);
  return rc == QS_STMT_DONE;
}

static gboolean
copy_table (QsDb             *source,
            QsDb             *target,
            const CopyTable  *table,
            const char       *columns,
            gint64           *copied,
            GError          **error)
{
  g_autofree char *select = select_sql (table, columns);
  gint64 total = count_rows (source, table->name, error);
  gint64 done = 0;
  QsStmt *rows;
  QsStmt *insert = NULL;
  guint n_columns;
  guint batch = 0;
  guint in_batch = 0;

  if (total < 0)
    return FALSE;
  rows = qs_db_prepare (source, select, "");
  if (rows == NULL)
    return fail (source, error, "cannot read", table->name);
  for (;;)
    {
      QsStmtResult rc = qs_stmt_step (rows);

      if (rc == QS_STMT_DONE)
        break;
      if (rc != QS_STMT_ROW)
        {
          qs_stmt_reset (rows);
          return fail (source, error, "cannot read", table->name);
        }
      n_columns = (guint) qs_stmt_n_columns (rows);
      if (insert == NULL)
        {
          /* This batch's size: the rows left, at most MAX_BATCH. */
          g_autofree char *sql = NULL;

          if (done >= total)
            {
              qs_stmt_reset (rows);
              g_set_error (error, QS_STORE_ERROR, QS_STORE_ERROR_FAILED,
                           "%s: more rows than counted in the same snapshot", table->name);
              return FALSE;
            }
          batch = (guint) MIN ((gint64) MAX (1, MIN (MAX_BATCH, MAX_PARAMS / (int) n_columns)), total - done);
          sql = insert_sql (table, columns, n_columns, batch);
          insert = qs_db_prepare (target, sql, "");
          if (insert == NULL)
            {
              qs_stmt_reset (rows);
              return fail (target, error, "cannot write", table->name);
            }
          in_batch = 0;
        }
      for (guint c = 0; c < n_columns; c++)
        if (!qs_stmt_bind_column (insert, (int) (in_batch * n_columns + c + 1), rows, (int) c))
          {
            qs_stmt_reset (rows);
            g_set_error (error, QS_STORE_ERROR, QS_STORE_ERROR_FAILED,
                         "%s: a floating-point value, which no column of the schema holds", table->name);
            return FALSE;
          }
      done++;
      if (++in_batch == batch)
        {
          if (!run_to_end (insert))
            {
              qs_stmt_reset (rows);
              return fail (target, error, "cannot write", table->name);
            }
          insert = NULL;
        }
    }
  qs_stmt_reset (rows);
  if (insert != NULL || done != total)
    {
      g_set_error (error, QS_STORE_ERROR, QS_STORE_ERROR_FAILED,
                   "%s: %" G_GINT64_FORMAT " rows read, %" G_GINT64_FORMAT " counted in the same snapshot",
                   table->name, done, total);
      return FALSE;
    }
  *copied += done;
  return TRUE;
}

/* The rows of select in order, hashed as the file's comment says. */
static gboolean
digest_table (QsDb        *db,
              const char  *table,
              const char  *select,
              gint64      *n_rows,
              char       **sha256,
              GError     **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  QsStmt *rows = qs_db_prepare (db, select, "");
  QsStmtResult rc;
  gint64 n = 0;

  if (rows == NULL)
    return fail (db, error, "cannot read back", table);
  while ((rc = qs_stmt_step (rows)) == QS_STMT_ROW)
    {
      int n_columns = qs_stmt_n_columns (rows);

      for (int c = 0; c < n_columns; c++)
        {
          char head[64];

          switch (qs_stmt_type (rows, c))
            {
            case QS_DB_NULL:
              g_checksum_update (checksum, (const guchar *) "N", 1);
              break;
            case QS_DB_INTEGER:
              g_snprintf (head, sizeof head, "I%" G_GINT64_FORMAT ";", qs_stmt_int64 (rows, c));
              g_checksum_update (checksum, (const guchar *) head, -1);
              break;
            case QS_DB_TEXT:
              {
                const char *text = qs_stmt_text (rows, c);
                gsize len = strlen (text);

                g_snprintf (head, sizeof head, "T%" G_GSIZE_FORMAT ":", len);
                g_checksum_update (checksum, (const guchar *) head, -1);
                g_checksum_update (checksum, (const guchar *) text, (gssize) len);
              }
              break;
            case QS_DB_BLOB:
              {
                static const char digits[] = "0123456789abcdef";
                gsize size = 0;
                const guint8 *data = qs_stmt_blob (rows, c, &size);
                char hex[2 * 256];

                g_snprintf (head, sizeof head, "B%" G_GSIZE_FORMAT ":", size);
                g_checksum_update (checksum, (const guchar *) head, -1);
                for (gsize i = 0; i < size; i += 256)
                  {
                    gsize chunk = MIN (size - i, 256);

                    for (gsize j = 0; j < chunk; j++)
                      {
                        hex[2 * j] = digits[data[i + j] >> 4];
                        hex[2 * j + 1] = digits[data[i + j] & 0xf];
                      }
                    g_checksum_update (checksum, (const guchar *) hex, (gssize) (2 * chunk));
                  }
              }
              break;
            case QS_DB_FLOAT:
            default:
              qs_stmt_reset (rows);
              g_set_error (error, QS_STORE_ERROR, QS_STORE_ERROR_FAILED,
                           "%s: a floating-point value, which no column of the schema holds", table);
              return FALSE;
            }
        }
      g_checksum_update (checksum, (const guchar *) "\n", 1);
      n++;
    }
  qs_stmt_reset (rows);
  if (rc != QS_STMT_DONE)
    return fail (db, error, "cannot read back", table);
  *n_rows = n;
  *sha256 = g_strdup (g_checksum_get_string (checksum));
  return TRUE;
}

gboolean
qs_copy_table_matches (const QsCopyTable *table)
{
  return table->source_rows == table->target_rows &&
         g_strcmp0 (table->source_sha256, table->target_sha256) == 0;
}

static void
copy_table_free (gpointer data)
{
  QsCopyTable *table = data;

  g_free (table->table);
  g_free (table->source_sha256);
  g_free (table->target_sha256);
  g_free (table);
}

void
qs_copy_report_free (QsCopyReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->tables);
  g_free (report);
}

/* Tests only: damages the copy before it is verified. */
static gboolean
tamper_with (QsDb          *target,
             QsCopyTamper   tamper,
             GError       **error)
{
  const char *sql = NULL;

  switch (tamper)
    {
    case QS_COPY_TAMPER_DROP_ROW:
      sql = "DELETE FROM audit_events WHERE seq = (SELECT MAX (seq) FROM audit_events)";
      break;
    case QS_COPY_TAMPER_ALTER_ROW:
      sql = "UPDATE users SET name = name || '.' WHERE id = (SELECT MIN (id) FROM users)";
      break;
    case QS_COPY_TAMPER_NONE:
    default:
      return TRUE;
    }
  if (!qs_db_run (target, sql, ""))
    return fail (target, error, "cannot tamper with the copy", NULL);
  return TRUE;
}

/* The copy proper, inside both transactions. */
static gboolean
copy_all (QsDb                 *source,
          QsDb                 *target,
          char                **columns,
          const QsCopyOptions  *options,
          QsCopyReport         *report,
          gboolean             *verified,
          GError              **error)
{
  g_autoptr(GString) busy = g_string_new (NULL);
  gboolean all_match = TRUE;

  /* Empty: no row but the migrations' own (the plans). */
  for (guint i = 0; i < G_N_ELEMENTS (copy_tables); i++)
    {
      gint64 n;

      if (g_str_equal (copy_tables[i].name, SEEDED_TABLE))
        continue;
      n = count_rows (target, copy_tables[i].name, error);
      if (n < 0)
        return FALSE;
      if (n > 0)
        g_string_append_printf (busy, "%s%s (%" G_GINT64_FORMAT ")", busy->len > 0 ? ", " : "",
                                copy_tables[i].name, n);
    }
  if (busy->len > 0)
    {
      g_set_error (error, QS_STORE_ERROR, QS_STORE_ERROR_FAILED,
                   "the target database is not empty: %s; copy into a new database", busy->str);
      return FALSE;
    }
  if (!qs_db_run (target, "DELETE FROM " SEEDED_TABLE, ""))
    return fail (target, error, "cannot empty", SEEDED_TABLE);

  for (guint i = 0; i < G_N_ELEMENTS (copy_tables); i++)
    if (!copy_table (source, target, &copy_tables[i], columns[i], &report->rows, error))
      return FALSE;

  /* What the next insert takes: past the copied rows, as SQLite's rowid. */
  if (is_postgresql (target))
    for (guint i = 0; i < G_N_ELEMENTS (copy_tables); i++)
      {
        g_autofree char *sql = NULL;

        if (copy_tables[i].identity == NULL)
          continue;
        sql = g_strdup_printf ("SELECT setval (pg_get_serial_sequence ('%s', '%s'),"
                               " COALESCE (MAX (%s), 0) + 1, false) FROM %s",
                               copy_tables[i].name, copy_tables[i].identity, copy_tables[i].identity,
                               copy_tables[i].name);
        if (qs_db_int (target, -1, sql, "") < 1)
          return fail (target, error, "cannot set the identity sequence of", copy_tables[i].name);
      }

  if (options->copied != NULL)
    options->copied (options->user_data);
  if (!tamper_with (target, options->tamper, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (copy_tables); i++)
    {
      g_autofree char *select = select_sql (&copy_tables[i], columns[i]);
      QsCopyTable *table = g_new0 (QsCopyTable, 1);

      table->table = g_strdup (copy_tables[i].name);
      g_ptr_array_add (report->tables, table);
      if (!digest_table (source, table->table, select, &table->source_rows, &table->source_sha256, error) ||
          !digest_table (target, table->table, select, &table->target_rows, &table->target_sha256, error))
        return FALSE;
      all_match = all_match && qs_copy_table_matches (table);
    }
  *verified = TRUE;
  if (!all_match)
    {
      g_set_error (error, QS_STORE_ERROR, QS_STORE_ERROR_FAILED,
                   "the copy does not match its source; nothing was committed");
      return FALSE;
    }
  return TRUE;
}

gboolean
qs_store_copy_from_sqlite (const char          *sqlite_path,
                           const char          *target_location,
                           const QsCopyOptions *options,
                           QsCopyReport       **report_out,
                           GError             **error)
{
  static const QsCopyOptions defaults = { QS_COPY_TAMPER_NONE, NULL, NULL };
  g_autoptr(QsStoreUrl) url = qs_store_url_parse (target_location, error);
  g_autofree char *source_location = NULL;
  g_autoptr(QsCopyReport) report = NULL;
  char *columns[G_N_ELEMENTS (copy_tables)] = { NULL };
  QsDb *source = NULL;
  QsDb *target = NULL;
  gboolean verified = FALSE;
  gboolean ok = FALSE;
  gint64 source_version_mark;
  int version;

  if (report_out != NULL)
    *report_out = NULL;
  if (url == NULL)
    return FALSE;
  if (url->kind != QS_STORE_BACKEND_POSTGRESQL)
    {
      g_set_error (error, QS_STORE_ERROR, QS_STORE_ERROR_FAILED,
                   "the target must be a PostgreSQL database (postgresql://…), not %s", url->display);
      return FALSE;
    }
  if (!g_file_test (sqlite_path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, QS_STORE_ERROR, QS_STORE_ERROR_FAILED, "%s: no such database file", sqlite_path);
      return FALSE;
    }

  /* Read-only, never migrated: the old install is left as it is. */
  source_location = g_strconcat ("sqlite://", sqlite_path, NULL);
  source = qs_db_open_reader (source_location, error);
  if (source == NULL)
    goto out;
  /* One snapshot from here on: the version read is the copied data's. */
  if (!qs_db_begin_read (source))
    {
      fail (source, error, "cannot read", sqlite_path);
      goto out;
    }
  version = qs_db_schema_version (source);
  if (version < 0)
    {
      fail (source, error, "cannot read", sqlite_path);
      goto out;
    }
  if (version == 0)
    {
      g_set_error (error, QS_STORE_ERROR, QS_STORE_ERROR_SCHEMA,
                   "%s holds no Quorum database (schema version 0)", sqlite_path);
      goto out;
    }
  if (version != QS_DB_SCHEMA_VERSION)
    {
      if (version > QS_DB_SCHEMA_VERSION)
        g_set_error (error, QS_STORE_ERROR, QS_STORE_ERROR_SCHEMA,
                     "%s is at schema version %d, newer than this server's (%d): migrate it with the "
                     "quorum-server it was last served by (or a newer one)", sqlite_path, version,
                     QS_DB_SCHEMA_VERSION);
      else
        g_set_error (error, QS_STORE_ERROR, QS_STORE_ERROR_SCHEMA,
                     "%s is at schema version %d, not this server's (%d): bring it to version %d first "
                     "(quorum-server --migrate --database %s, or start the old server once with this "
                     "version), then copy", sqlite_path, version, QS_DB_SCHEMA_VERSION,
                     QS_DB_SCHEMA_VERSION, sqlite_path);
      goto out;
    }
  source_version_mark = qs_db_others_changes (source);

  /* A new database gets this version's schema here; a newer one is refused. */
  target = qs_db_open (target_location, error);
  if (target == NULL)
    goto out;
  version = qs_db_schema_version (target);
  if (version != QS_DB_SCHEMA_VERSION)
    {
      g_set_error (error, QS_STORE_ERROR, QS_STORE_ERROR_SCHEMA,
                   "the target %s is at schema version %d, not %d", url->display, version,
                   QS_DB_SCHEMA_VERSION);
      goto out;
    }
  if (!check_catalogs (source, target, columns, error))
    goto out;

  if (!qs_db_begin (target))
    {
      fail (target, error, "cannot begin a transaction on", url->display);
      goto out;
    }
#if HAVE_LIBPQ
  /* Servers starting on the target meanwhile wait in their migration step
   * until the copy is committed or rolled back. */
  if (is_postgresql (target) &&
      !qs_db_run (target, "SELECT pg_advisory_xact_lock (x'" QS_PG_MIGRATION_LOCK "'::bigint)", ""))
    {
      fail (target, error, "cannot lock", url->display);
      goto out;
    }
#endif
  report = g_new0 (QsCopyReport, 1);
  report->tables = g_ptr_array_new_with_free_func (copy_table_free);
  if (!copy_all (source, target, columns, options != NULL ? options : &defaults, report, &verified, error))
    goto out;
  if (!qs_db_commit (target))
    {
      fail (target, error, "cannot commit the copy to", url->display);
      goto out;
    }
  report->committed = TRUE;
  /* A new read of the source: data_version moved if the old server
   * committed after the snapshot. */
  qs_db_rollback (source);
  report->source_changed = qs_db_others_changes (source) != source_version_mark;
  ok = TRUE;

out:
  if (target != NULL)
    {
      qs_db_rollback (target);
      qs_db_close (target);
    }
  if (source != NULL)
    {
      qs_db_rollback (source);
      qs_db_close (source);
    }
  for (guint i = 0; i < G_N_ELEMENTS (copy_tables); i++)
    g_free (columns[i]);
  if (report_out != NULL && (ok || verified))
    *report_out = g_steal_pointer (&report);
  return ok;
}
