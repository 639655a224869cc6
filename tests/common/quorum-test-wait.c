/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-test-wait.h"

/* Wakes the main loop now and then, so that a condition that no source
 * changes (a file, a clock) is looked at again and the deadline is seen. */
#define TICK_MS 10

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
quorum_test_wait_begin (QuorumTestWait *wait,
                        guint           seconds)
{
  wait->seconds = seconds;
  wait->deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;
  wait->tick = g_timeout_add (TICK_MS, tick_cb, NULL);
}

/* One blocking iteration; FALSE (after failing the test) once the deadline
 * has passed. */
gboolean
quorum_test_wait_iterate (QuorumTestWait *wait,
                          const char     *what,
                          const char     *file,
                          int             line,
                          const char     *func)
{
  if (g_get_monotonic_time () >= wait->deadline)
    {
      g_autofree char *message = g_strdup_printf ("timed out after %u s waiting for %s", wait->seconds, what);

      g_assertion_message (G_LOG_DOMAIN, file, line, func, message);
      return FALSE;
    }
  g_main_context_iteration (NULL, TRUE);
  return TRUE;
}

void
quorum_test_wait_end (QuorumTestWait *wait)
{
  g_clear_handle_id (&wait->tick, g_source_remove);
}

void
quorum_test_wait_until_full (QuorumTestCondition  condition,
                             gpointer             data,
                             guint                seconds,
                             const char          *what,
                             const char          *file,
                             int                  line,
                             const char          *func)
{
  QuorumTestWait wait;

  quorum_test_wait_begin (&wait, seconds);
  while (!condition (data) && quorum_test_wait_iterate (&wait, what, file, line, func))
    ;
  quorum_test_wait_end (&wait);
}

void
quorum_test_store_result (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
result_ready (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

GAsyncResult *
quorum_test_wait_result_full (GAsyncResult **result,
                              guint          seconds,
                              const char    *what,
                              const char    *file,
                              int            line,
                              const char    *func)
{
  quorum_test_wait_until_full (result_ready, result, seconds, what, file, line, func);
  return *result;
}

static gboolean
set_true_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
quorum_test_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_true_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

void
quorum_test_iterate (guint n)
{
  for (guint i = 0; i < n; i++)
    g_main_context_iteration (NULL, FALSE);
}

void
quorum_test_drain_pending (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}
