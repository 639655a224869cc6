/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* quorum-server --migrate-from-sqlite FILE --database postgresql://…: a
 * whole SQLite install copied into an empty PostgreSQL database at the
 * same schema version, then verified table by table (docs/server.md,
 * "Moving an install to PostgreSQL"). */

#include <glib.h>

G_BEGIN_DECLS

/* One table's verification: rows and SHA-256 (hex) of its rows in primary
 * key order, each read back through the store's database API and
 * normalised the same way on both sides. */
typedef struct
{
  char   *table;
  gint64  source_rows;
  gint64  target_rows;
  char   *source_sha256;
  char   *target_sha256;
} QsCopyTable;

typedef struct
{
  GPtrArray *tables;          /* QsCopyTable *, in copy order */
  gint64     rows;            /* copied, all tables */
  gboolean   committed;       /* the copy is in the target */
  gboolean   source_changed;  /* another connection (the old server) committed to the
                               * source while it was read: those writes are not copied */
} QsCopyReport;

/* For tests only (a hidden option): the copy is damaged in the target
 * after it is written and before it is verified, so that the verification
 * must fail and nothing be committed. */
typedef enum
{
  QS_COPY_TAMPER_NONE,
  QS_COPY_TAMPER_DROP_ROW,    /* one audit_events row deleted */
  QS_COPY_TAMPER_ALTER_ROW,   /* one users.name changed, the count kept */
} QsCopyTamper;

typedef struct
{
  QsCopyTamper  tamper;
  /* Called once the rows are written and before they are verified, both
   * transactions (and the migration lock) still held: for tests. */
  void        (*copied)    (gpointer user_data);
  gpointer      user_data;
} QsCopyOptions;

gboolean     qs_copy_table_matches     (const QsCopyTable *table);

/* Copies the SQLite database at sqlite_path (read-only, in one read
 * transaction: a running server may keep writing) into target (a
 * postgresql:// URL), in one transaction, and verifies every table before
 * committing (options may be NULL). Refuses (QS_STORE_ERROR_SCHEMA) a source whose schema
 * version is not this server's, and (QS_STORE_ERROR_FAILED) a target that
 * is not empty or not at this version. *report (may be NULL) is set
 * whenever the verification ran, also when it failed (then nothing is
 * committed and the result is FALSE). Messages hold no password. */
gboolean     qs_store_copy_from_sqlite (const char          *sqlite_path,
                                        const char          *target,
                                        const QsCopyOptions *options,
                                        QsCopyReport       **report,
                                        GError             **error);
void         qs_copy_report_free       (QsCopyReport  *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsCopyReport, qs_copy_report_free)

G_END_DECLS
