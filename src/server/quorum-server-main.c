/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <glib-unix.h>

#include "quorum-server.h"
#include "quorum-server-forwarded.h"
#include "quorum-store-url.h"

static GMainLoop *loop;
static QsServer *server;

static gboolean
shutdown_done_cb (gpointer user_data)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static gboolean
signal_cb (gpointer user_data)
{
  g_printerr ("quorum-server: shutting down\n");
  qs_server_shutdown (server, shutdown_done_cb, NULL);
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_hash_cost (const char  *text,
                 QsHashCost  *cost)
{
  if (text == NULL || strcmp (text, "interactive") == 0)
    *cost = QS_HASH_COST_INTERACTIVE;
  else if (strcmp (text, "moderate") == 0)
    *cost = QS_HASH_COST_MODERATE;
  else if (strcmp (text, "min") == 0)
    *cost = QS_HASH_COST_MIN;
  else
    return FALSE;
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *database = NULL;
  g_autofree char *default_database = NULL;
  g_autoptr(QsStoreUrl) database_url = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *public_url = NULL;
  g_autofree char *get_app_url = NULL;
  g_autofree char *smtp = NULL;
  g_autofree char *hash_cost = NULL;
  g_autofree char *default_plan = NULL;
  g_auto(GStrv) record_usage = NULL;
  g_auto(GStrv) trusted_proxies = NULL;
  gint port = -1;
  gint demo_members = 250;
  gint signin_rate_limit = 10;
  gint signin_client_limit = 50;
  gint signin_backoff = 60;
  gint auth_rate_limit = 120;
  gint org_invitation_limit = 50;
  gint user_invitation_limit = 100;
  gint pending_invitation_limit = 1000;
  gint limit_keys = 100000;
  gint purge_interval = 600;
  gboolean demo = FALSE;
  gboolean allow_insecure_webhooks = FALSE;
  double webhook_retry_scale = 1.0;
  gint webhook_timeout = 10;
  gint webhook_lease = 60;
  gboolean no_job_locks = FALSE;
  gint export_stall_timeout = 30;
  gboolean print_routes = FALSE;
  gboolean migrate = FALSE;
  g_autofree char *migrate_from_sqlite = NULL;
  g_autofree char *migrate_test_tamper = NULL;
  QsConfig config = { 0 };
  GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port,
      "TCP port to listen on; 0 picks a free port (required)", "N" },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir,
      "Directory for quorum.db and outbox/ (created if missing; required)", "DIR" },
    { "database", 0, 0, G_OPTION_ARG_STRING, &database,
      "The database: postgresql://USER@HOST/DB, sqlite:PATH or a file path "
      "(default $QUORUM_DATABASE_URL, else DIR/quorum.db)", "URL" },
    { "migrate", 0, 0, G_OPTION_ARG_NONE, &migrate,
      "Apply the database's missing migrations and exit (serving applies them too)", NULL },
    { "migrate-from-sqlite", 0, 0, G_OPTION_ARG_FILENAME, &migrate_from_sqlite,
      "Copy an SQLite install (its quorum.db, or its data directory) into the empty PostgreSQL "
      "database --database names, verify the copy and exit", "FILE" },
    { "migrate-test-tamper", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &migrate_test_tamper,
      "Damage the copy before it is verified (drop-row, alter-row) or pause there (pause): tests", "HOW" },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen,
      "IP address to bind (default 127.0.0.1)", "ADDR" },
    { "trusted-proxy", 0, 0, G_OPTION_ARG_STRING_ARRAY, &trusted_proxies,
      "A reverse proxy (or network) whose X-Forwarded-For names the client (repeatable, comma-separated)",
      "ADDR[/PREFIX]" },
    { "public-url", 0, 0, G_OPTION_ARG_STRING, &public_url,
      "Base URL used in e-mailed links (default: the address listened on)", "URL" },
    { "get-app-url", 0, 0, G_OPTION_ARG_STRING, &get_app_url,
      "Where the invitation page's \"Get Quorum\" link points (default " HOMEPAGE_URL ")", "URL" },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo,
      "Seed demo data once: ada@demo.quorum.test / quorum-demo, owner of Acme Robotics", NULL },
    { "demo-members", 0, 0, G_OPTION_ARG_INT, &demo_members,
      "Active members of Acme Robotics in the demo data (default 250)", "N" },
    { "smtp", 0, 0, G_OPTION_ARG_STRING, &smtp,
      "Also send e-mails to this SMTP relay (no TLS, no auth), best effort", "HOST:PORT" },
    { "signin-rate-limit", 0, 0, G_OPTION_ARG_INT, &signin_rate_limit,
      "Failed sign-ins per client address and account before backing off (default 10, 0 = off)", "N" },
    { "signin-client-limit", 0, 0, G_OPTION_ARG_INT, &signin_client_limit,
      "Failed sign-ins per client address, all accounts, before backing off (default 50, 0 = off)", "N" },
    { "signin-backoff", 0, 0, G_OPTION_ARG_INT, &signin_backoff,
      "First wait past a sign-in limit, doubled by each further failure (default 60, at most 3600)", "SECONDS" },
    { "auth-rate-limit", 0, 0, G_OPTION_ARG_INT, &auth_rate_limit,
      "Sign-ins, sign-ups and invitation set-ups per client address per minute (default 120, 0 = off)", "N" },
    { "org-invitation-rate-limit", 0, 0, G_OPTION_ARG_INT, &org_invitation_limit,
      "Invitation e-mails (new and resent) per organization per hour (default 50, at most 10000, 0 = off)", "N" },
    { "user-invitation-rate-limit", 0, 0, G_OPTION_ARG_INT, &user_invitation_limit,
      "Invitation e-mails (new and resent) per inviting user per hour (default 100, at most 10000, 0 = off)", "N" },
    { "pending-invitation-limit", 0, 0, G_OPTION_ARG_INT, &pending_invitation_limit,
      "Pending invitations per organization (default 1000, 0 = off)", "N" },
    { "purge-interval", 0, 0, G_OPTION_ARG_INT, &purge_interval,
      "Seconds between purges of expired sessions and tokens (default 600)", "SECONDS" },
    { "password-hash-cost", 0, 0, G_OPTION_ARG_STRING, &hash_cost,
      "Argon2id cost for new passwords: interactive (default), moderate, or min (tests only)", "COST" },
    { "default-plan", 0, 0, G_OPTION_ARG_STRING, &default_plan,
      "Plan of new organizations (default pln_free)", "PLAN_ID" },
    { "record-usage", 0, 0, G_OPTION_ARG_STRING_ARRAY, &record_usage,
      "Record usage in DIR's database and exit (repeatable; beside a running server or not)",
      "MEMBER_ID,YYYY-MM-DD,CREDITS,REQUESTS" },
    { "allow-insecure-webhooks", 0, 0, G_OPTION_ARG_NONE, &allow_insecure_webhooks,
      "Let webhook URLs use http and reach loopback and private addresses (local testing only)", NULL },
    { "webhook-retry-scale", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_DOUBLE, &webhook_retry_scale,
      "Multiply the webhook retry delays by this (tests; default 1)", "FACTOR" },
    { "webhook-timeout", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &webhook_timeout,
      "Seconds a webhook receiver has to answer, 1-10 (tests; default 10)", "SECONDS" },
    { "limit-keys", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &limit_keys,
      "Live keys per rate-limit table, 1-1000000 (tests; default 100000)", "N" },
    { "webhook-lease", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &webhook_lease,
      "Seconds a webhook delivery stays claimed by this instance, 1-600 (tests; default 60)", "SECONDS" },
    { "export-stall-timeout", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &export_stall_timeout,
      "Seconds a members export waits for its client to read before it is cut, 1-30 (tests; default 30)", "SECONDS" },
    { "no-job-locks", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &no_job_locks,
      "Run the periodic jobs without claiming them first (tests: an instance racing another)", NULL },
    { "print-routes", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &print_routes,
      "Print the route table and exit (for tests)", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("- the Quorum reference server");
  g_option_context_set_summary (context,
                                "Serves the Quorum API v1 over HTTP from an SQLite database in DIR\n"
                                "(or the one --database names).\n"
                                "E-mails (invitations, address verification, password reset) are written\n"
                                "to DIR/outbox/ as .eml files.\n"
                                "Prints “quorum-server listening on http://ADDR:PORT” once it can serve.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("quorum-server: %s\n", error->message);
      return 2;
    }
  if (print_routes)
    {
      qs_server_print_routes ();
      return 0;
    }
  /* The option over the environment; an empty variable counts as unset.
   * Messages name the database by its display form: never the password. */
  if (database == NULL && g_getenv ("QUORUM_DATABASE_URL") != NULL && g_getenv ("QUORUM_DATABASE_URL")[0] != '\0')
    database = g_strdup (g_getenv ("QUORUM_DATABASE_URL"));
  if (database != NULL)
    {
      database_url = qs_store_url_parse (database, &error);
      if (database_url == NULL)
        {
          g_printerr ("quorum-server: --database: %s\n", error->message);
          return 2;
        }
    }
  if (migrate_from_sqlite != NULL)
    {
      if (database == NULL)
        {
          g_printerr ("quorum-server: --migrate-from-sqlite needs --database postgresql://…\n");
          return 2;
        }
      return qs_server_migrate_from_sqlite (migrate_from_sqlite, database, migrate_test_tamper);
    }
  if (migrate)
    {
      int version;

      if (database == NULL && data_dir == NULL)
        {
          g_printerr ("quorum-server: --migrate needs --database URL or --data-dir DIR\n");
          return 2;
        }
      if (database == NULL)
        {
          if (g_mkdir_with_parents (data_dir, 0700) != 0)
            {
              g_printerr ("quorum-server: cannot create %s\n", data_dir);
              return 1;
            }
          default_database = g_build_filename (data_dir, "quorum.db", NULL);
        }
      version = qs_server_migrate (database != NULL ? database : default_database, &error);
      if (version < 0)
        {
          g_printerr ("quorum-server: %s\n", error->message);
          return 1;
        }
      printf ("quorum-server: %s is at schema version %d\n",
              database_url != NULL ? database_url->display : default_database, version);
      return 0;
    }
  if (record_usage != NULL)
    {
      if (data_dir == NULL && database == NULL)
        {
          g_printerr ("quorum-server: --record-usage needs --data-dir DIR or --database URL\n");
          return 2;
        }
      if (!qs_record_usage (data_dir, database, record_usage, &error))
        {
          g_printerr ("quorum-server: %s\n", error->message);
          return 1;
        }
      return 0;
    }
  if (port < 0 || port > 65535 || data_dir == NULL)
    {
      g_printerr ("quorum-server: --port N (0-65535) and --data-dir DIR are required; see --help\n");
      return 2;
    }
  if (demo_members < 0 || demo_members > 10000000 || signin_rate_limit < 0 || auth_rate_limit < 0 ||
      signin_client_limit < 0 || org_invitation_limit < 0 || user_invitation_limit < 0 ||
      pending_invitation_limit < 0)
    {
      g_printerr ("quorum-server: numbers must not be negative\n");
      return 2;
    }
  if (signin_backoff < 1 || signin_backoff > 3600 || purge_interval < 1 || purge_interval > 86400)
    {
      g_printerr ("quorum-server: --signin-backoff must be 1-3600 and --purge-interval 1-86400\n");
      return 2;
    }
  if (!(webhook_retry_scale > 0 && webhook_retry_scale <= 1) || webhook_timeout < 1 || webhook_timeout > 10 ||
      webhook_lease < 1 || webhook_lease > 600)
    {
      g_printerr ("quorum-server: --webhook-retry-scale must be above 0 and at most 1, --webhook-timeout 1-10,"
                  " --webhook-lease 1-600\n");
      return 2;
    }
  if (org_invitation_limit > 10000 || user_invitation_limit > 10000 || limit_keys < 1 || limit_keys > 1000000)
    {
      g_printerr ("quorum-server: --org-invitation-rate-limit and --user-invitation-rate-limit must be at most"
                  " 10000, --limit-keys 1-1000000\n");
      return 2;
    }
  if (export_stall_timeout < 1 || export_stall_timeout > 30)
    {
      g_printerr ("quorum-server: --export-stall-timeout must be 1-30\n");
      return 2;
    }
  if (!parse_hash_cost (hash_cost, &config.hash_cost))
    {
      g_printerr ("quorum-server: --password-hash-cost must be interactive, moderate or min\n");
      return 2;
    }
  if (public_url != NULL && !g_str_has_prefix (public_url, "http://") &&
      !g_str_has_prefix (public_url, "https://"))
    {
      g_printerr ("quorum-server: --public-url must start with http:// or https://\n");
      return 2;
    }
  if (get_app_url != NULL && !g_str_has_prefix (get_app_url, "http://") &&
      !g_str_has_prefix (get_app_url, "https://"))
    {
      g_printerr ("quorum-server: --get-app-url must start with http:// or https://\n");
      return 2;
    }

  {
    g_autoptr(GPtrArray) proxies = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint i = 0; trusted_proxies != NULL && trusted_proxies[i] != NULL; i++)
      if (!qs_trusted_proxies_add (proxies, trusted_proxies[i], &error))
        {
          g_printerr ("quorum-server: %s\n", error->message);
          return 2;
        }
  }

  config.data_dir = data_dir;
  config.database = database;
  config.listen = listen;
  config.port = port;
  config.public_url = public_url;
  config.get_app_url = get_app_url;
  config.demo = demo;
  config.demo_members = demo_members;
  config.smtp = smtp;
  config.signin_rate_limit = signin_rate_limit;
  config.signin_client_limit = signin_client_limit;
  config.signin_backoff = signin_backoff;
  config.auth_rate_limit = auth_rate_limit;
  config.org_invitation_limit = org_invitation_limit;
  config.user_invitation_limit = user_invitation_limit;
  config.pending_invitation_limit = pending_invitation_limit;
  config.purge_interval = purge_interval;
  config.limit_keys = limit_keys;
  config.default_plan = default_plan;
  config.allow_insecure_webhooks = allow_insecure_webhooks;
  config.webhook_retry_scale = webhook_retry_scale;
  config.webhook_timeout = webhook_timeout;
  config.webhook_lease = webhook_lease;
  config.no_job_locks = no_job_locks;
  config.export_stall_timeout = export_stall_timeout;
  config.trusted_proxies = trusted_proxies;

  server = qs_server_new (&config, &error);
  if (server == NULL || !qs_server_listen (server, &error))
    {
      g_printerr ("quorum-server: %s\n", error->message);
      qs_server_free (server);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, signal_cb, NULL);
  g_unix_signal_add (SIGINT, signal_cb, NULL);

  printf ("quorum-server listening on %s\n", qs_server_get_url (server));
  fflush (stdout);

  g_main_loop_run (loop);

  qs_server_free (server);
  g_main_loop_unref (loop);
  return 0;
}
