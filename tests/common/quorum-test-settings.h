/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Settings in tests: the ui and api suites run with the keyfile GSettings
 * backend (tests/ui/meson.build, tests/api/meson.build), each test process in
 * a throw-away XDG_CONFIG_HOME of its own, so that every byte the app writes
 * to its settings can be read back — and searched for a session token.
 */

/* Call first in main(), before anything reads settings or caches the config
 * dir: makes a temporary XDG_CONFIG_HOME (removed at exit) and selects the
 * keyfile backend. Returns the directory. */
const char *quorum_test_settings_init     (void);

/* The directory made by quorum_test_settings_init(). */
const char *quorum_test_settings_dir      (void);

/* TRUE when @token occurs in a file under @dir (symbolic links not
 * followed); *where is then the file. */
gboolean    quorum_test_token_in_tree     (const char  *dir,
                                           const char  *token,
                                           char       **where);

/* No session token in the settings keyfile (which must exist and hold the
 * accounts key: the check is worthless on the memory backend), nor anywhere
 * in XDG_CONFIG_HOME, nor in HOME when it is tools/test-session's throw-away
 * one. */
void        quorum_test_assert_token_nowhere (const char *token);

G_END_DECLS
