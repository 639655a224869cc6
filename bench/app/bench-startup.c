/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <adwaita.h>

#include "quorum-api.h"
#include "quorum-session.h"
#include "quorum-test-server.h"
#include "quorum-test-settings.h"

#include "bench-app-util.h"

/*
 * App start → first frame (docs/performance.md, "Start-up"), side by side
 * with an empty window:
 *   1. starts quorum-server --demo (unless given --url) and signs in as the
 *      demo owner through a QuorumSession, as the app's sign-in does: the
 *      token goes to the keyring, the account to the settings (a keyfile in
 *      a throw-away XDG_CONFIG_HOME), so the app starts signed in;
 *   2. for each renderer, --runs times: starts bench-empty-window (an
 *      AdwApplicationWindow of the app's size, nothing else) and then the
 *      app, each with QUORUM_TRACE_STARTUP=1, and takes from their stderr
 *      the "quorum-startup: STEP MICROSECONDS" lines: the time from just
 *      before the process was spawned to its first frame painted (the
 *      frame clock's first "after-paint"), and for the app every step of
 *      its start (quorum_trace_startup () in src/quorum-utils.c) up to its
 *      organization opened. Each is stopped (SIGTERM) before the next
 *      starts. Medians, and the app's median over the empty window's.
 *      --compare PATH starts another build of the app too, in the same
 *      runs (before and after a change, side by side); --header-baseline
 *      the empty window with the start view's header bar, spinner and words
 *      (what GTK costs for them, apart from the app's code).
 * Needs a display and a session bus with an unlocked keyring:
 *   xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- \
 *     tools/test-session BUILD/bench/app/bench-startup
 * (or `ninja -C BUILD bench-startup`). Not a test.
 */

#define DEMO_EMAIL    "ada@demo.quorum.test"
#define DEMO_PASSWORD "quorum-demo"

static char *opt_url;
static char *opt_app;
static char *opt_baseline;
static char *opt_renderers;
static char *opt_compare;
static gboolean opt_header;
static int   opt_runs = 5;

static GOptionEntry entries[] = {
  { "url", 0, 0, G_OPTION_ARG_STRING, &opt_url, "Use this running server (with the demo data)", "URL" },
  { "app", 0, 0, G_OPTION_ARG_FILENAME, &opt_app, "The app to start (default: this build's)", "PATH" },
  { "baseline", 0, 0, G_OPTION_ARG_FILENAME, &opt_baseline, "The empty window program", "PATH" },
  { "renderers", 0, 0, G_OPTION_ARG_STRING, &opt_renderers, "GSK_RENDERER values, comma-separated (default cairo,gl)", "LIST" },
  { "compare", 0, 0, G_OPTION_ARG_FILENAME, &opt_compare, "Another build of the app (before a change), started after the app in each run", "PATH" },
  { "header-baseline", 0, 0, G_OPTION_ARG_NONE, &opt_header, "Also the empty window with a header bar, a spinner and a line of text (BENCH_EMPTY_WINDOW_HEADER)", NULL },
  { "runs", 0, 0, G_OPTION_ARG_INT, &opt_runs, "Runs of each (default 5; the median is printed)", "N" },
  { NULL }
};

/* What one start printed: step → microseconds since the spawn. */
typedef struct
{
  GSubprocess      *process;
  GDataInputStream *stderr_lines;
  gint64            spawned;
  GPtrArray        *steps;   /* char * "step" */
  GArray           *times;   /* gint64, µs after spawned */
  gboolean          eof;
  gboolean          exited;
} Start;

static void
start_free (Start *start)
{
  g_clear_object (&start->process);
  g_clear_object (&start->stderr_lines);
  g_ptr_array_unref (start->steps);
  g_array_unref (start->times);
  g_free (start);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Start, start_free)

static void read_next_line (Start *start);

static void
line_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Start *start = user_data;
  g_autofree char *line = NULL;
  gint64 when;
  char step[64];

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL, NULL);
  if (line == NULL)
    {
      start->eof = TRUE;
      return;
    }
  if (sscanf (line, "quorum-startup: %63s %" G_GINT64_FORMAT, step, &when) == 2)
    {
      gint64 after = when - start->spawned;

      g_ptr_array_add (start->steps, g_strdup (step));
      g_array_append_val (start->times, after);
    }
  else
    g_printerr ("  | %s\n", line);  /* a warning of the child's: shown, it may explain a figure */
  read_next_line (start);
}

static void
read_next_line (Start *start)
{
  g_data_input_stream_read_line_async (start->stderr_lines, G_PRIORITY_DEFAULT, NULL, line_read_cb, start);
}

/* µs after the spawn, or -1 */
static gint64
start_step (Start      *start,
            const char *step)
{
  for (guint i = 0; i < start->steps->len; i++)
    if (g_str_equal (g_ptr_array_index (start->steps, i), step))
      return g_array_index (start->times, gint64, i);
  return -1;
}

typedef struct
{
  Start      *start;
  const char *step;
} StepWait;

static gboolean
step_seen (gpointer data)
{
  StepWait *wait = data;

  if (wait->start->eof)
    g_error ("the process ended before \"%s\"", wait->step);
  return start_step (wait->start, wait->step) >= 0;
}

static gboolean
process_done (gpointer data)
{
  Start *start = data;

  return start->eof && start->exited;
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Start *start = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  start->exited = TRUE;
}

/* Starts @path with the trace on and @renderer, and returns once @until was
 * printed; the process is stopped and waited for. */
static Start *
run_once (const char *path,
          const char *renderer,
          const char *until,
          const char *env)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GError) error = NULL;
  Start *start = g_new0 (Start, 1);
  const char *argv[] = { path, NULL };
  StepWait wait = { start, until };

  start->steps = g_ptr_array_new_with_free_func (g_free);
  start->times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", renderer, TRUE);
  g_subprocess_launcher_setenv (launcher, "QUORUM_TRACE_STARTUP", "1", TRUE);
  if (env != NULL)
    g_subprocess_launcher_setenv (launcher, env, "1", TRUE);
  /* Accessibility on, as on a desktop (the tests' environment turns it off). */
  g_subprocess_launcher_unsetenv (launcher, "NO_AT_BRIDGE");
  g_subprocess_launcher_unsetenv (launcher, "GTK_A11Y");

  start->spawned = g_get_monotonic_time ();
  start->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (start->process == NULL)
    g_error ("%s: %s", path, error->message);
  start->stderr_lines = g_data_input_stream_new (g_subprocess_get_stderr_pipe (start->process));
  read_next_line (start);

  bench_wait_until (step_seen, &wait, 60);
  g_subprocess_send_signal (start->process, SIGTERM);
  g_subprocess_wait_async (start->process, NULL, wait_cb, start);
  bench_wait_until (process_done, start, 30);
  return start;
}

static double
ms (gint64 us)
{
  return us / 1000.0;
}

static char *
timeline (Start *start)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < start->steps->len; i++)
    g_string_append_printf (text, "%s%s %.1f", i > 0 ? ", " : "",
                            (char *) g_ptr_array_index (start->steps, i),
                            ms (g_array_index (start->times, gint64, i)));
  return g_string_free (text, FALSE);
}

static void
sign_in (const char *url)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(QuorumSession) session = quorum_session_new (settings);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(QuorumAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  quorum_session_sign_in_async (session, url, DEMO_EMAIL, DEMO_PASSWORD, NULL, bench_store_result, &result);
  bench_wait_until (bench_result_ready, &result, 60);
  account = quorum_session_sign_in_finish (session, result, &error);
  if (account == NULL)
    g_error ("sign-in: %s (a session bus with an unlocked keyring? run under tools/test-session)",
             error->message);
  g_settings_sync ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- app start to first frame, beside an empty window");
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumTestServer) server = NULL;
  g_auto(GStrv) renderers = NULL;
  g_autofree char *load_before = NULL;
  g_autofree char *load_after = NULL;
  Start *warm_up = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  if (opt_runs < 1)
    g_error ("--runs must be at least 1");
  if (opt_app == NULL)
    opt_app = g_strdup (QUORUM_APP_PATH);
  if (opt_baseline == NULL)
    opt_baseline = g_strdup (BENCH_EMPTY_WINDOW_PATH);
  if (opt_renderers == NULL)
    opt_renderers = g_strdup ("cairo,gl");

  /* Settings of the bench's own, which the app started from here reads. */
  quorum_test_settings_init ();
  g_setenv ("GSETTINGS_SCHEMA_DIR", QUORUM_SCHEMA_DIR, TRUE);
  if (opt_url == NULL)
    {
      const char *args[] = { "--demo", NULL };

      if (g_getenv ("QUORUM_SERVER_BINARY") == NULL)
        g_setenv ("QUORUM_SERVER_BINARY", QUORUM_SERVER_PATH, TRUE);
      server = quorum_test_server_start (args, &error);
      if (server == NULL)
        g_error ("quorum-server: %s", error->message);
    }
  sign_in (opt_url != NULL ? opt_url : quorum_test_server_get_url (server));

  load_before = bench_load_average ();
  g_print ("app: %s\ncompared app: %s\nbaseline: %s\nload average before: %s\n", opt_app,
           opt_compare != NULL ? opt_compare : "none", opt_baseline, load_before);

  renderers = g_strsplit (opt_renderers, ",", -1);
  for (guint r = 0; renderers[r] != NULL; r++)
    {
      const char *apps[] = { opt_app, opt_compare };
      const char *names[] = { "app", "compared app" };
      guint n_apps = opt_compare != NULL ? 2 : 1;
      g_autofree double *empty = g_new0 (double, opt_runs);
      g_autofree double *header = g_new0 (double, opt_runs);
      g_autofree double *first = g_new0 (double, 2 * opt_runs);   /* [app × run] */
      g_autofree double *opened = g_new0 (double, 2 * opt_runs);
      g_autofree char *empty_summary = NULL;
      double empty_median;
      double header_median = 0;

      g_print ("\nGSK_RENDERER=%s\n", renderers[r]);
      /* Not counted: the first start of each activates the accessibility
       * bus and reads the libraries from disk. */
      warm_up = run_once (opt_baseline, renderers[r], "first-frame", NULL);
      g_clear_pointer (&warm_up, start_free);
      for (guint a = 0; a < n_apps; a++)
        {
          warm_up = run_once (apps[a], renderers[r], "organization-opened", NULL);
          g_clear_pointer (&warm_up, start_free);
        }
      for (int i = 0; i < opt_runs; i++)
        {
          g_autoptr(Start) baseline = run_once (opt_baseline, renderers[r], "first-frame", NULL);
          g_autofree char *empty_steps = timeline (baseline);

          empty[i] = ms (start_step (baseline, "first-frame"));
          g_print ("run %d: empty window %.1f ms: %s\n", i + 1, empty[i], empty_steps);
          if (opt_header)
            {
              g_autoptr(Start) with_header = run_once (opt_baseline, renderers[r], "first-frame",
                                                       "BENCH_EMPTY_WINDOW_HEADER");
              g_autofree char *header_steps = timeline (with_header);

              header[i] = ms (start_step (with_header, "first-frame"));
              g_print ("  window with header %.1f ms (%.2f x): %s\n", header[i], header[i] / empty[i], header_steps);
            }
          for (guint a = 0; a < n_apps; a++)
            {
              g_autoptr(Start) start = run_once (apps[a], renderers[r], "organization-opened", NULL);
              g_autofree char *steps = timeline (start);

              first[a * opt_runs + i] = ms (start_step (start, "first-frame"));
              opened[a * opt_runs + i] = ms (start_step (start, "organization-opened"));
              g_print ("  %s %.1f ms (%.2f x): %s\n", names[a], first[a * opt_runs + i],
                       first[a * opt_runs + i] / empty[i], steps);
            }
        }
      empty_median = bench_median (empty, opt_runs);
      empty_summary = bench_summary (empty, opt_runs);
      g_print ("%s: start -> first frame: empty window %s\n", renderers[r], empty_summary);
      if (opt_header)
        {
          g_autofree char *header_summary = NULL;

          header_median = bench_median (header, opt_runs);
          header_summary = bench_summary (header, opt_runs);

          g_print ("%s: start -> first frame: window with header %s, %.2f x the empty window\n",
                   renderers[r], header_summary, header_median / empty_median);
        }
      for (guint a = 0; a < n_apps; a++)
        {
          double median = bench_median (first + a * opt_runs, opt_runs);
          g_autofree char *first_summary = bench_summary (first + a * opt_runs, opt_runs);
          g_autofree char *opened_summary = bench_summary (opened + a * opt_runs, opt_runs);

          g_print ("%s: start -> first frame: %s (%s) %s, %.2f x the empty window (goal <= 1.3)\n",
                   renderers[r], names[a], apps[a], first_summary, median / empty_median);
          if (opt_header)
            g_print ("%s: start -> first frame: %s %.2f x the window with header\n",
                     renderers[r], names[a], median / header_median);
          g_print ("%s: start -> organization opened: %s %s\n", renderers[r], names[a], opened_summary);
        }
    }

  load_after = bench_load_average ();
  g_print ("\nload average after: %s\n", load_after);
  return 0;
}
