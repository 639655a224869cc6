/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Waiting in tests: run the default main context until something holds, and
 * fail the test, naming what was awaited and where, once the deadline
 * passes. Every wait has a deadline of its caller's choosing.
 */

/* For waits with no bound of their own: the default time-out of a meson test,
 * so that a wait which never ends fails here, by name, rather than by kill. */
#define QUORUM_TEST_WAIT_SECONDS 30

typedef gboolean (*QuorumTestCondition) (gpointer data);

typedef struct
{
  gint64 deadline;
  guint  seconds;
  guint  tick;
} QuorumTestWait;

void     quorum_test_wait_begin      (QuorumTestWait      *wait,
                                      guint                seconds);
gboolean quorum_test_wait_iterate    (QuorumTestWait      *wait,
                                      const char          *what,
                                      const char          *file,
                                      int                  line,
                                      const char          *func);
void     quorum_test_wait_end        (QuorumTestWait      *wait);

void     quorum_test_wait_until_full (QuorumTestCondition  condition,
                                      gpointer             data,
                                      guint                seconds,
                                      const char          *what,
                                      const char          *file,
                                      int                  line,
                                      const char          *func);

/* Runs the main loop until condition (data) holds; after @seconds, fails the
 * test with "timed out after N s waiting for <condition>". */
#define quorum_test_wait_until(condition, data, seconds) \
  quorum_test_wait_until_full ((QuorumTestCondition) (condition), (data), (seconds), #condition, \
                               __FILE__, __LINE__, G_STRFUNC)

/* The same, with the words for what is awaited given by the caller. */
#define quorum_test_wait_until_what(condition, data, seconds, what) \
  quorum_test_wait_until_full ((QuorumTestCondition) (condition), (data), (seconds), (what), \
                               __FILE__, __LINE__, G_STRFUNC)

/* Runs the main loop until the C expression @expr holds (evaluated after
 * every iteration); the failure message quotes @expr. */
#define quorum_test_wait_for(expr, seconds) \
  G_STMT_START { \
    QuorumTestWait quorum_test_wait_; \
    quorum_test_wait_begin (&quorum_test_wait_, (seconds)); \
    while (!(expr) && quorum_test_wait_iterate (&quorum_test_wait_, #expr, __FILE__, __LINE__, G_STRFUNC)) \
      ; \
    quorum_test_wait_end (&quorum_test_wait_); \
  } G_STMT_END

/* A GAsyncReadyCallback storing a reference to the result in the
 * GAsyncResult * that user_data points to. */
void          quorum_test_store_result      (GObject       *object,
                                             GAsyncResult  *result,
                                             gpointer       user_data);
GAsyncResult *quorum_test_wait_result_full  (GAsyncResult **result,
                                             guint          seconds,
                                             const char    *what,
                                             const char    *file,
                                             int            line,
                                             const char    *func);

/* Waits for an async call started with quorum_test_store_result and @result
 * (a GAsyncResult **), up to @seconds; returns *@result. */
#define quorum_test_wait_result_within(result, seconds) \
  quorum_test_wait_result_full ((result), (seconds), "the result in " #result, __FILE__, __LINE__, G_STRFUNC)

/* The same, up to QUORUM_TEST_WAIT_SECONDS. */
#define quorum_test_wait_result(result) \
  quorum_test_wait_result_within (result, QUORUM_TEST_WAIT_SECONDS)

/* Runs the main loop for @ms, for what must NOT happen, or to let a moment
 * pass as a person would. */
void quorum_test_spin          (guint ms);

/* Dispatches whatever is pending, without blocking. */
void quorum_test_drain_pending (void);

/* @n iterations that do not block: lets what is already on its way (an
 * answer in flight on the loopback) arrive, no more. */
void quorum_test_iterate       (guint n);

G_END_DECLS
