/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Where the store lives: quorum-server --database (or QUORUM_DATABASE_URL).
 * Included by quorum-store-core.h. */

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  QS_STORE_BACKEND_SQLITE,
  QS_STORE_BACKEND_POSTGRESQL,
} QsStoreBackendKind;

typedef struct
{
  QsStoreBackendKind  kind;
  char               *path;      /* SQLite: the database file */
  char               *conninfo;  /* PostgreSQL: the URL as given, for libpq only */
  GStrv               secrets;   /* PostgreSQL: its password as written and decoded, to scrub messages */
  char               *display;   /* the URL with any password replaced by ****: for messages and logs */
} QsStoreUrl;

/* "postgresql://…" or "postgres://…" selects PostgreSQL (checked by libpq's
 * parser; without libpq an error says the build lacks it); "sqlite:PATH",
 * "sqlite://PATH" or a plain file path select SQLite. Anything else (empty,
 * another scheme, a URL libpq refuses) is an error whose message holds no
 * password. */
QsStoreUrl  *qs_store_url_parse        (const char  *text,
                                        GError     **error);
void         qs_store_url_free         (QsStoreUrl  *url);
/* text with every copy of url's password (and of the URL itself) replaced,
 * for a message from libpq. */
char        *qs_store_url_scrub        (const QsStoreUrl *url,
                                        const char       *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsStoreUrl, qs_store_url_free)

G_END_DECLS
