/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <adwaita.h>

#include "quorum-api.h"
#include "quorum-api-private.h"
#include "quorum-billing-page.h"
#include "quorum-usage-chart.h"
#include "quorum-test-server.h"

#include "bench-app-util.h"

/*
 * The Billing tab's first paint (docs/performance.md, "App"), at the demo's
 * Acme Robotics (90 days of usage, invoices, top-ups):
 *   1. the baseline, in the same process: an empty AdwApplicationWindow,
 *      from gtk_window_present() to its first frame painted, and its RSS;
 *   2. the page in that window, signed in as the demo owner: time from
 *      setting the organization to the first frame painted after the page
 *      shows its content with the usage chart holding its days.
 * Each is measured --runs times (default 5, a new window or page each time);
 * the median is printed with the spread. It starts its own quorum-server
 * (--demo --demo-members N, as ./run) unless given --url. Needs a display
 * (xvfb-run). Not a test.
 */

#define DEMO_EMAIL    "ada@demo.quorum.test"
#define DEMO_PASSWORD "quorum-demo"

static char *opt_url;
static int   opt_members = 250;
static int   opt_runs = 5;

static GOptionEntry entries[] = {
  { "url", 0, 0, G_OPTION_ARG_STRING, &opt_url, "Use this running server (with the demo data)", "URL" },
  { "members", 0, 0, G_OPTION_ARG_INT, &opt_members, "Members of Acme Robotics (default 250, as ./run)", "N" },
  { "runs", 0, 0, G_OPTION_ARG_INT, &opt_runs, "Runs of each measurement (default 5)", "N" },
  { NULL }
};

static GtkWidget *
find_type (GtkWidget *root,
           GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      found = find_type (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The page shows its content (not the loading or error page), and the
 * usage chart, on screen, holds its days. */
static gboolean
content_with_chart (gpointer data)
{
  GtkWidget *page = data;
  GtkWidget *stack = find_type (page, GTK_TYPE_STACK);
  GtkWidget *chart = find_type (page, QUORUM_TYPE_USAGE_CHART);

  return stack != NULL && chart != NULL &&
         g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (stack)), "content") == 0 &&
         gtk_widget_get_mapped (chart) &&
         quorum_usage_chart_get_n_days (QUORUM_USAGE_CHART (chart)) > 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- the Billing tab's first paint");
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumTestServer) server = NULL;
  g_autoptr(AdwApplication) app = NULL;
  g_autoptr(QuorumClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(QuorumUser) user = NULL;
  g_autoptr(GPtrArray) organizations = NULL;
  g_autofree char *token = NULL;
  g_autofree char *members_arg = NULL;
  g_autofree double *empty_ms = NULL;
  g_autofree double *page_ms = NULL;
  g_autofree char *empty_summary = NULL;
  g_autofree char *page_summary = NULL;
  QuorumOrganization *organization;
  GtkWidget *window = NULL;
  BenchPaintWatch watch = { 0 };
  long empty_rss = 0, page_rss = 0;
  guint days = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (opt_runs < 1)
    opt_runs = 1;
  empty_ms = g_new0 (double, opt_runs);
  page_ms = g_new0 (double, opt_runs);

  adw_init ();
  app = adw_application_new ("org.quorumdesk.Quorum.BenchBilling", G_APPLICATION_NON_UNIQUE);
  g_application_set_resource_base_path (G_APPLICATION (app), RESOURCE_BASE_PATH);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);

  /* 1. The baseline: an empty application window, presented and painted. */
  for (int run = 0; run < opt_runs; run++)
    {
      gint64 t0;

      if (window != NULL)
        gtk_window_destroy (GTK_WINDOW (window));
      window = adw_application_window_new (GTK_APPLICATION (app));
      gtk_window_set_default_size (GTK_WINDOW (window), 960, 720);
      t0 = g_get_monotonic_time ();
      gtk_window_present (GTK_WINDOW (window));
      bench_wait_until (bench_is_mapped, window, 30);
      bench_paint_watch_start (&watch, window);
      bench_wait_until (bench_painted_once, &watch, 30);
      bench_paint_watch_stop (&watch);
      empty_ms[run] = (watch.first_paint - t0) / 1000.0;
    }
  empty_rss = bench_proc_status_kb ("VmRSS:");

  /* The server and the sign-in are not part of what is measured. */
  if (opt_url == NULL)
    {
      const char *args[] = { "--demo", NULL, NULL };

      if (g_getenv ("QUORUM_SERVER_BINARY") == NULL)
        g_setenv ("QUORUM_SERVER_BINARY", QUORUM_SERVER_PATH, TRUE);
      members_arg = g_strdup_printf ("--demo-members=%d", opt_members);
      args[1] = members_arg;
      server = quorum_test_server_start (args, &error);
      if (server == NULL)
        g_error ("quorum-server: %s", error->message);
    }

  client = quorum_client_new (opt_url != NULL ? opt_url : quorum_test_server_get_url (server));
  quorum_client_sign_in_async (client, DEMO_EMAIL, DEMO_PASSWORD, NULL, bench_store_result, &result);
  bench_wait_until (bench_result_ready, &result, 60);
  user = quorum_client_sign_in_finish (client, result, &token, &error);
  if (user == NULL)
    g_error ("sign-in: %s", error->message);
  quorum_client_set_token (client, token);
  g_clear_object (&result);

  quorum_client_list_organizations_async (client, NULL, bench_store_result, &result);
  bench_wait_until (bench_result_ready, &result, 60);
  organizations = quorum_client_list_organizations_finish (client, result, &error);
  if (organizations == NULL)
    g_error ("organizations: %s", error->message);
  g_clear_object (&result);
  organization = bench_organization_named (organizations, "Acme Robotics");

  /* 2. The page: a new one each run, mapped before the organization is set
   * (as the window's tab is), so only loading and painting are measured. */
  for (int run = 0; run < opt_runs; run++)
    {
      GtkWidget *page = g_object_new (QUORUM_TYPE_BILLING_PAGE, NULL);
      gint64 t0;

      quorum_billing_page_set_client (QUORUM_BILLING_PAGE (page), client);
      adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), page);
      bench_wait_until (bench_is_mapped, page, 30);

      t0 = g_get_monotonic_time ();
      quorum_billing_page_set_organization (QUORUM_BILLING_PAGE (page), organization);
      bench_wait_until (content_with_chart, page, 60);
      /* The first frame painted once the content and chart are there. */
      bench_paint_watch_start (&watch, window);
      bench_wait_until (bench_painted_once, &watch, 30);
      bench_paint_watch_stop (&watch);
      page_ms[run] = (watch.first_paint - t0) / 1000.0;
      days = quorum_usage_chart_get_n_days (QUORUM_USAGE_CHART (find_type (page, QUORUM_TYPE_USAGE_CHART)));
    }
  page_rss = bench_proc_status_kb ("VmRSS:");

  empty_summary = bench_summary (empty_ms, opt_runs);
  page_summary = bench_summary (page_ms, opt_runs);
  printf ("Billing tab, Acme Robotics (%d members, usage chart of %u days)\n", opt_members, days);
  printf ("  empty window, present to first paint: %s; RSS %.1f MB\n", empty_summary, empty_rss / 1024.0);
  printf ("  Billing tab, organization set to content with chart painted: %s; RSS %.1f MB\n",
          page_summary, page_rss / 1024.0);

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
