/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * gnome-keyring daemons of a test's own, on the current session bus (a
 * private one: GTestDBus or a bare dbus-daemon), with their keyring file
 * under a throw-away home that outlives one daemon, so that a daemon can be
 * stopped and another started on the same keyring. Used by the api and ui
 * keyring tests.
 */

/* A new temporary directory with run/ and data/ in it (0700): the HOME,
 * XDG_RUNTIME_DIR and XDG_DATA_HOME of the daemons. Remove it with
 * quorum_test_remove_tree() at the end. */
char                *quorum_test_keyring_home_new      (void);

/* Points this process's environment at @home (HOME, XDG_RUNTIME_DIR,
 * XDG_DATA_HOME) and drops DISPLAY and WAYLAND_DISPLAY, so that an unlock
 * prompt cannot appear (it is dismissed): for a test child whose bus and
 * daemons inherit the environment. Call before the bus is up. */
void                 quorum_test_keyring_enter_home    (const char          *home);

/* A launcher for the daemons (and for secret-tool) that leaves this
 * process's environment alone: stdin a pipe, stdout and stderr silenced,
 * HOME, XDG_RUNTIME_DIR and XDG_DATA_HOME those of @home. */
GSubprocessLauncher *quorum_test_keyring_launcher_new  (const char          *home);

/* Starts gnome-keyring-daemon --foreground --unlock --components=secrets
 * (the login keyring unlocked with the password "quorum-test") through
 * @launcher, or with this process's environment when @launcher is NULL;
 * returns once it owns org.freedesktop.secrets on the session bus. */
GSubprocess         *quorum_test_keyring_start         (GSubprocessLauncher *launcher);

/* Kills @daemon and returns once org.freedesktop.secrets has left the
 * session bus. */
void                 quorum_test_keyring_stop          (GSubprocess         *daemon);

G_END_DECLS
