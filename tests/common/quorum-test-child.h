/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdio.h>
#include <unistd.h>

#include <glib.h>

G_BEGIN_DECLS

/*
 * Tests that run in a child process of their own (a private bus, a changed
 * environment, a library that must not be torn down):
 *
 *   if (g_test_subprocess ())
 *     {
 *       … the checks …
 *       quorum_test_child_leave ();   (or return)
 *     }
 *   quorum_test_run_in_child ();
 */

/* Runs the current test case again in a child process (at most 60 s) and
 * asserts, here in the caller, that the child passed. */
#define quorum_test_run_in_child() \
  G_STMT_START { \
    g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT); \
    g_test_trap_assert_passed (); \
  } G_STMT_END

/* Ends a child whose checks passed: flushes its output and leaves with
 * _exit (0), tearing nothing down. For children that hold what outlives the
 * test by design (libsecret's and GDBus's singletons) or load GnuTLS, whose
 * exit LeakSanitizer's tracer cannot follow. */
G_NORETURN static inline void
quorum_test_child_leave (void)
{
  fflush (stdout);
  _exit (0);
}

G_END_DECLS
