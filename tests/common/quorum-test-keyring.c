/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "quorum-test-keyring.h"
#include "quorum-test-wait.h"

#define SECRETS_NAME "org.freedesktop.secrets"
#define KEYRING_PASSWORD "quorum-test"

char *
quorum_test_keyring_home_new (void)
{
  g_autoptr(GError) error = NULL;
  char *home = g_dir_make_tmp ("quorum-keyring-XXXXXX", &error);
  g_autofree char *runtime = NULL;
  g_autofree char *data = NULL;

  g_assert_no_error (error);
  runtime = g_build_filename (home, "run", NULL);
  data = g_build_filename (home, "data", NULL);
  g_mkdir_with_parents (runtime, 0700);
  g_mkdir_with_parents (data, 0700);
  return home;
}

void
quorum_test_keyring_enter_home (const char *home)
{
  g_autofree char *runtime = g_build_filename (home, "run", NULL);
  g_autofree char *data = g_build_filename (home, "data", NULL);

  g_unsetenv ("DISPLAY");
  g_unsetenv ("WAYLAND_DISPLAY");
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
}

static GSubprocessLauncher *
launcher_new (void)
{
  return g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                    G_SUBPROCESS_FLAGS_STDERR_SILENCE);
}

GSubprocessLauncher *
quorum_test_keyring_launcher_new (const char *home)
{
  GSubprocessLauncher *launcher = launcher_new ();
  g_autofree char *runtime = g_build_filename (home, "run", NULL);
  g_autofree char *data = g_build_filename (home, "data", NULL);

  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  return launcher;
}

static void
name_appeared_cb (GDBusConnection *connection,
                  const char      *name,
                  const char      *owner,
                  gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
name_vanished_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

GSubprocess *
quorum_test_keyring_start (GSubprocessLauncher *launcher)
{
  g_autoptr(GSubprocessLauncher) own_launcher = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *daemon;
  GOutputStream *stdin_pipe;
  gboolean appeared = FALSE;
  guint watch;

  if (launcher == NULL)
    launcher = own_launcher = launcher_new ();
  daemon = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon", "--foreground", "--unlock",
                                        "--components=secrets", NULL);
  g_assert_no_error (error);
  stdin_pipe = g_subprocess_get_stdin_pipe (daemon);
  g_output_stream_write_all (stdin_pipe, KEYRING_PASSWORD, strlen (KEYRING_PASSWORD), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (stdin_pipe, NULL, &error);
  g_assert_no_error (error);

  watch = g_bus_watch_name (G_BUS_TYPE_SESSION, SECRETS_NAME, G_BUS_NAME_WATCHER_FLAGS_NONE,
                            name_appeared_cb, NULL, &appeared, NULL);
  quorum_test_wait_for (appeared, QUORUM_TEST_WAIT_SECONDS);
  g_bus_unwatch_name (watch);
  return daemon;
}

void
quorum_test_keyring_stop (GSubprocess *daemon)
{
  gboolean vanished = FALSE;
  guint watch;

  g_subprocess_force_exit (daemon);
  g_subprocess_wait (daemon, NULL, NULL);
  watch = g_bus_watch_name (G_BUS_TYPE_SESSION, SECRETS_NAME, G_BUS_NAME_WATCHER_FLAGS_NONE,
                            NULL, name_vanished_cb, &vanished, NULL);
  quorum_test_wait_for (vanished, QUORUM_TEST_WAIT_SECONDS);
  g_bus_unwatch_name (watch);
}
