/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _QsServer QsServer;

typedef enum
{
  QS_HASH_COST_INTERACTIVE = 0,
  QS_HASH_COST_MODERATE,
  QS_HASH_COST_MIN,
} QsHashCost;

typedef struct
{
  char       *data_dir;
  char       *database;            /* path, sqlite:PATH or postgresql://…; NULL: DIR/quorum.db */
  char       *listen;              /* default 127.0.0.1 */
  guint       port;                /* 0: any free port */
  char       *public_url;          /* NULL: the bound URL */
  char       *get_app_url;         /* "Get Quorum" link on /invite; NULL: HOMEPAGE_URL */
  gboolean    demo;
  guint       demo_members;        /* active members of Acme Robotics */
  char       *smtp;                /* HOST:PORT or NULL */
  guint       signin_rate_limit;   /* failed sign-ins per (client, account) before backing off, 0 = off */
  guint       signin_client_limit; /* failed sign-ins per client before backing off, 0 = off */
  guint       signin_backoff;      /* first wait in seconds, doubled per further failure */
  guint       auth_rate_limit;     /* sign-in/up/setup per client per minute, 0 = off */
  guint       org_invitation_limit;  /* invitation e-mails per organization per hour, 0 = off */
  guint       user_invitation_limit; /* invitation e-mails per inviting user per hour, 0 = off */
  guint       pending_invitation_limit; /* pending invitations per organization, 0 = off */
  guint       purge_interval;      /* seconds between purges of expired rows */
  guint       limit_keys;          /* live keys per rate-limit kind (quorum-server-limits.c); 0 means 100000 */
  QsHashCost  hash_cost;
  char       *default_plan;        /* plan of new organizations; NULL: pln_free */
  gboolean    allow_insecure_webhooks; /* http and non-public addresses allowed (local testing) */
  double      webhook_retry_scale; /* multiplies the retry delays (tests); 0 means 1 */
  guint       webhook_timeout;     /* seconds per try, 1-10; 0 means 10 */
  guint       webhook_lease;       /* seconds a claimed delivery stays claimed (tests); 0 means 60 */
  guint       export_stall_timeout; /* seconds a members export waits for its client to read, 1-30; 0 means 30 */
  gboolean    no_job_locks;        /* periodic jobs run without claiming them (tests: a racing instance) */
  char      **trusted_proxies;     /* --trusted-proxy values (ADDR or ADDR/PREFIX, comma-separated), or NULL */
} QsConfig;

QsServer   *qs_server_new          (const QsConfig  *config,
                                    GError         **error);
gboolean    qs_server_listen       (QsServer        *server,
                                    GError         **error);
const char *qs_server_get_url      (QsServer        *server);
/* Stops taking requests, lets in-flight ones finish, then calls done. */
void        qs_server_shutdown     (QsServer        *server,
                                    GSourceFunc      done,
                                    gpointer         user_data);
void        qs_server_free         (QsServer        *server);
/* The route table on stdout, one route a line: method, path pattern,
 * access, and the organization permission if any (tests read it). */
void        qs_server_print_routes (void);
/* --record-usage: opens database (NULL: DIR/quorum.db, which must exist)
 * beside a running server or not, and
 * records each "MEMBER_ID,YYYY-MM-DD,CREDITS,REQUESTS", each in its own
 * transaction, charging credits past the plan's included ones to the
 * ledger. */
gboolean    qs_record_usage        (const char      *data_dir,
                                    const char      *database,
                                    char           **specs,
                                    GError         **error);

/* --migrate: applies database's missing migrations (a path, sqlite:PATH
 * or postgresql://…); returns its schema version, or -1 and error. */
int         qs_server_migrate      (const char      *database,
                                    GError         **error);

/* --migrate-from-sqlite FILE: copies the SQLite database FILE (or FILE's
 * quorum.db when it is a data directory) into database, an empty
 * PostgreSQL one, verifies the copy and prints a per-table summary;
 * returns the exit status (0 copied and verified, 1 refused or failed,
 * nothing committed, 2 usage). tamper: NULL, or for tests "drop-row" or
 * "alter-row" (store/quorum-store-copy.h), or "pause" (a line on stdout,
 * then one read from stdin, before the verification). */
int         qs_server_migrate_from_sqlite (const char *file,
                                           const char *database,
                                           const char *tamper);

G_END_DECLS
