/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "quorum-server.h"
#include "quorum-store.h"
#include "quorum-store-copy.h"

/* quorum-server --migrate-from-sqlite: the copy is the store's
 * (store/quorum-store-copy.c); this prints what it did. */

static void
print_report (const QsCopyReport *report)
{
  printf ("%-20s %10s  %s\n", "table", "rows", "sha-256 (source = target)");
  for (guint i = 0; i < report->tables->len; i++)
    {
      const QsCopyTable *table = report->tables->pdata[i];

      if (qs_copy_table_matches (table))
        printf ("%-20s %10" G_GINT64_FORMAT "  %s  ok\n", table->table, table->source_rows,
                table->source_sha256);
      else
        printf ("%-20s %10" G_GINT64_FORMAT "  %s  source\n"
                "%-20s %10" G_GINT64_FORMAT "  %s  target: MISMATCH\n",
                table->table, table->source_rows, table->source_sha256,
                "", table->target_rows, table->target_sha256);
    }
  fflush (stdout);
}

/* --migrate-test-tamper pause: says so on stdout and waits for a line on
 * stdin, the copy written and not yet verified or committed. */
static void
pause_cb (gpointer user_data)
{
  char line[16];

  printf ("quorum-server: copied, paused before the verification\n");
  fflush (stdout);
  if (fgets (line, sizeof line, stdin) == NULL)
    return;
}

int
qs_server_migrate_from_sqlite (const char *file,
                               const char *database,
                               const char *tamper)
{
  QsCopyOptions options = { QS_COPY_TAMPER_NONE, NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(QsCopyReport) report = NULL;
  g_autoptr(QsStoreUrl) url = qs_store_url_parse (database, &error);
  g_autofree char *path = NULL;
  gboolean ok;

  if (url == NULL)
    {
      g_printerr ("quorum-server: --database: %s\n", error->message);
      return 2;
    }
  if (url->kind != QS_STORE_BACKEND_POSTGRESQL)
    {
      g_printerr ("quorum-server: --migrate-from-sqlite copies into PostgreSQL: give --database "
                  "postgresql://USER@HOST/DB, not %s\n", url->display);
      return 2;
    }
  if (g_strcmp0 (tamper, "drop-row") == 0)
    options.tamper = QS_COPY_TAMPER_DROP_ROW;
  else if (g_strcmp0 (tamper, "alter-row") == 0)
    options.tamper = QS_COPY_TAMPER_ALTER_ROW;
  else if (g_strcmp0 (tamper, "pause") == 0)
    options.copied = pause_cb;
  else if (tamper != NULL)
    {
      g_printerr ("quorum-server: --migrate-test-tamper must be drop-row, alter-row or pause\n");
      return 2;
    }
  /* A data directory stands for its quorum.db. */
  if (g_file_test (file, G_FILE_TEST_IS_DIR))
    path = g_build_filename (file, "quorum.db", NULL);
  else
    path = g_strdup (file);

  ok = qs_store_copy_from_sqlite (path, database, &options, &report, &error);
  if (report != NULL)
    print_report (report);
  if (!ok)
    {
      g_printerr ("quorum-server: --migrate-from-sqlite: %s\n", error->message);
      return 1;
    }
  printf ("quorum-server: %u tables, %" G_GINT64_FORMAT " rows copied from %s into %s and verified\n",
          report->tables->len, report->rows, path, url->display);
  if (report->source_changed)
    printf ("quorum-server: note: %s was written to while it was copied (its server still runs): "
            "what was written after the copy's snapshot is not in %s. Stop that server, then copy "
            "again into a new, empty database before switching.\n", path, url->display);
  return 0;
}
