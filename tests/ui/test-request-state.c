/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "quorum-api.h"
#include "quorum-request-state.h"
#include "quorum-request-status.h"
#include "quorum-test-server.h"
#include "quorum-test-wait.h"
#include "quorum-test-settings.h"

/*
 * The request-state model (issue 19) with a real client: a server that
 * hangs (SIGSTOP) is "still waiting" and then "not answering", never
 * "Offline"; Cancel really cancels; a server that answers garbage is "The
 * server had a problem" and an automatic load retries by itself.
 */

/* The phases a state went through, in order. */
static void
phase_cb (QuorumRequestState *state,
          GParamSpec         *pspec,
          GArray             *phases)
{
  QuorumRequestPhase phase = quorum_request_state_get_phase (state);

  g_array_append_val (phases, phase);
}

static gboolean
phase_is (QuorumRequestState *state,
          QuorumRequestPhase  phase)
{
  return quorum_request_state_get_phase (state) == phase;
}

typedef struct
{
  QuorumRequestState *state;
  QuorumRequestPhase  phase;
} PhaseWait;

static gboolean
phase_reached (gpointer data)
{
  PhaseWait *wait = data;

  return phase_is (wait->state, wait->phase);
}

static void
wait_phase (QuorumRequestState *state,
            QuorumRequestPhase  phase,
            guint               seconds)
{
  PhaseWait wait = { state, phase };
  g_autofree char *what = g_strdup_printf ("phase %d (now %d)", phase, quorum_request_state_get_phase (state));

  quorum_test_wait_until_what (phase_reached, &wait, seconds, what);
}

static void
test_words (void)
{
  g_autoptr(QuorumRequestState) state = quorum_request_state_new (NULL);
  g_autoptr(GError) timeout = g_error_new_literal (QUORUM_API_ERROR, QUORUM_API_ERROR_TIMEOUT,
                                                   "The server took too long to answer");
  g_autoptr(GError) network = g_error_new_literal (QUORUM_API_ERROR, QUORUM_API_ERROR_NETWORK,
                                                   "Could not reach the server");
  g_autoptr(GError) server = g_error_new_literal (QUORUM_API_ERROR, QUORUM_API_ERROR_SERVER,
                                                  "The server had an internal error");
  g_autoptr(GError) other = g_error_new_literal (QUORUM_API_ERROR, QUORUM_API_ERROR_FORBIDDEN,
                                                 "You may not do that");
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
  GCancellable *first;
  GCancellable *second;

  quorum_request_state_set_host_from_url (state, "https://quorum.example.org:8443/base");
  g_assert_cmpstr (quorum_request_state_get_host (state), ==, "quorum.example.org");
  g_assert_cmpint (quorum_request_state_get_phase (state), ==, QUORUM_REQUEST_PHASE_IDLE);

  /* A time-out is a server that does not answer: never "Offline". */
  quorum_request_state_begin (state, FALSE);
  g_assert_cmpint (quorum_request_state_get_phase (state), ==, QUORUM_REQUEST_PHASE_WAITING);
  g_assert_null (quorum_request_state_get_message (state));
  quorum_request_state_fail (state, "Could not load the members", timeout);
  g_assert_cmpint (quorum_request_state_get_phase (state), ==, QUORUM_REQUEST_PHASE_NOT_ANSWERING);
  g_assert_cmpstr (quorum_request_state_get_message (state), ==, "quorum.example.org is not answering");
  g_assert_false (quorum_request_state_get_running (state));
  /* Asked by the user: no retry by itself. */
  g_assert_cmpuint (quorum_request_state_get_retry_seconds (state), ==, 0);

  quorum_request_state_begin (state, FALSE);
  quorum_request_state_fail (state, "Could not load the members", network);
  g_assert_cmpint (quorum_request_state_get_phase (state), ==, QUORUM_REQUEST_PHASE_OFFLINE);
  g_assert_cmpstr (quorum_request_state_get_message (state), ==, "Offline");
  g_assert_cmpstr (quorum_request_state_get_explanation (state), ==,
                   "Could not load the members: could not connect to quorum.example.org");

  quorum_request_state_begin (state, FALSE);
  quorum_request_state_fail (state, "Could not load the members", server);
  g_assert_cmpint (quorum_request_state_get_phase (state), ==, QUORUM_REQUEST_PHASE_SERVER_ERROR);
  g_assert_cmpstr (quorum_request_state_get_message (state), ==, "The server had a problem");
  g_assert_cmpstr (quorum_request_state_get_detail (state), ==, "The server had an internal error");

  quorum_request_state_begin (state, FALSE);
  g_assert_null (quorum_request_state_get_detail (state));
  quorum_request_state_fail (state, "Could not load the members", other);
  g_assert_cmpint (quorum_request_state_get_phase (state), ==, QUORUM_REQUEST_PHASE_FAILED);
  g_assert_cmpstr (quorum_request_state_get_message (state), ==, "Could not load the members: You may not do that");

  /* A request cancelled because a newer one began leaves the newer one be. */
  first = quorum_request_state_begin (state, FALSE);
  g_object_ref (first);
  second = quorum_request_state_begin (state, FALSE);
  g_assert_true (g_cancellable_is_cancelled (first));
  g_assert_false (g_cancellable_is_cancelled (second));
  quorum_request_state_fail (state, NULL, cancelled);
  g_assert_cmpint (quorum_request_state_get_phase (state), ==, QUORUM_REQUEST_PHASE_WAITING);
  g_assert_true (quorum_request_state_get_running (state));
  g_object_unref (first);

  /* Cancel cancels, and the state is idle again. */
  g_object_ref (second);
  quorum_request_state_cancel (state);
  g_assert_true (g_cancellable_is_cancelled (second));
  g_assert_cmpint (quorum_request_state_get_phase (state), ==, QUORUM_REQUEST_PHASE_IDLE);
  g_assert_false (quorum_request_state_get_running (state));
  quorum_request_state_fail (state, NULL, cancelled);
  g_assert_cmpint (quorum_request_state_get_phase (state), ==, QUORUM_REQUEST_PHASE_IDLE);
  g_object_unref (second);
}

/* What a widget shows: the label texts and visible buttons, one line. */
static char *shown (GtkWidget *widget);

static void
collect_shown (GtkWidget *widget,
               GString   *out)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget) && *gtk_label_get_text (GTK_LABEL (widget)) != '\0')
    g_string_append_printf (out, "[%s]", gtk_label_get_text (GTK_LABEL (widget)));
  if (GTK_IS_EXPANDER (widget))
    {
      g_string_append_printf (out, "[%s>]", gtk_expander_get_label (GTK_EXPANDER (widget)));
      return;  /* folded */
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_shown (child, out);
}

/* Nothing on screen: no words, no buttons, no spinner. */
static gboolean
shows_nothing (GtkWidget *widget)
{
  g_autofree char *words = NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_SPINNER (child) && gtk_widget_get_visible (child))
      return FALSE;
  words = shown (widget);
  return *words == '\0';
}

static char *
shown (GtkWidget *widget)
{
  GString *out = g_string_new (NULL);

  collect_shown (widget, out);
  return g_string_free (out, FALSE);
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GError **error = user_data;
  g_autofree char *version = quorum_client_check_server_finish (QUORUM_CLIENT (object), result, error);

  if (version != NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "answered");  /* "done, fine" */
}

static void
test_hung_server (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumTestServer) server = quorum_test_server_start (NULL, &error);
  g_autoptr(QuorumClient) client = NULL;
  g_autoptr(QuorumRequestState) state = NULL;
  g_autoptr(GArray) phases = g_array_new (FALSE, FALSE, sizeof (QuorumRequestPhase));
  GtkWidget *status;
  GtkWindow *window;
  g_autofree char *words = NULL;
  GError *result = NULL;

  g_assert_no_error (error);
  client = quorum_client_new (quorum_test_server_get_url (server));
  quorum_client_set_retry_policy (client, 1, 10, 10);
  state = quorum_request_state_new (NULL);
  quorum_request_state_set_host_from_url (state, quorum_client_get_base_url (client));
  g_signal_connect (state, "notify::phase", G_CALLBACK (phase_cb), phases);

  status = quorum_request_status_new (state);
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (window, status);
  gtk_window_present (window);

  quorum_test_server_hang (server);
  quorum_client_check_server_async (client, quorum_request_state_begin (state, FALSE), done_cb, &result);

  /* At first a spinner only. */
  g_assert_cmpint (quorum_request_state_get_phase (state), ==, QUORUM_REQUEST_PHASE_WAITING);
  g_assert_false (shows_nothing (status));
  words = shown (status);
  g_assert_cmpstr (words, ==, "");
  g_clear_pointer (&words, g_free);

  wait_phase (state, QUORUM_REQUEST_PHASE_STILL_WAITING, 10);
  g_assert_null (result);
  words = shown (status);
  g_assert_cmpstr (words, ==, "[Still waiting for 127.0.0.1…][Cancel]");
  g_clear_pointer (&words, g_free);

  wait_phase (state, QUORUM_REQUEST_PHASE_NOT_ANSWERING, 15);
  g_assert_null (result);
  g_assert_true (quorum_request_state_get_running (state));
  words = shown (status);
  g_assert_cmpstr (words, ==, "[127.0.0.1 is not answering][Cancel][Retry]");
  g_clear_pointer (&words, g_free);

  /* Cancel really cancels: the request ends at once, the state is idle. */
  quorum_request_state_cancel (state);
  g_assert_cmpint (quorum_request_state_get_phase (state), ==, QUORUM_REQUEST_PHASE_IDLE);
  g_assert_true (shows_nothing (status));
  quorum_test_wait_for (result != NULL, 5);
  g_assert_error (result, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  quorum_request_state_fail (state, NULL, result);
  g_clear_error (&result);
  g_assert_cmpint (quorum_request_state_get_phase (state), ==, QUORUM_REQUEST_PHASE_IDLE);

  {
    const QuorumRequestPhase expected[] = { QUORUM_REQUEST_PHASE_WAITING, QUORUM_REQUEST_PHASE_STILL_WAITING,
                                            QUORUM_REQUEST_PHASE_NOT_ANSWERING, QUORUM_REQUEST_PHASE_IDLE };

    g_assert_cmpmem (phases->data, phases->len * sizeof (QuorumRequestPhase), expected, sizeof expected);
  }

  /* Resumed, the same request answers. */
  quorum_test_server_resume (server);
  quorum_client_check_server_async (client, quorum_request_state_begin (state, FALSE), done_cb, &result);
  quorum_test_wait_for (result != NULL, 10);
  g_assert_error (result, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&result);
  quorum_request_state_succeed (state);
  g_assert_cmpint (quorum_request_state_get_phase (state), ==, QUORUM_REQUEST_PHASE_IDLE);

  /* Gone (nothing listens on the port): that one is "Offline". */
  g_clear_pointer (&server, quorum_test_server_stop);
  quorum_client_check_server_async (client, quorum_request_state_begin (state, FALSE), done_cb, &result);
  quorum_test_wait_for (result != NULL, 10);
  quorum_request_state_fail (state, NULL, result);
  g_clear_error (&result);
  g_assert_cmpint (quorum_request_state_get_phase (state), ==, QUORUM_REQUEST_PHASE_OFFLINE);
  words = shown (status);
  g_assert_cmpstr (words, ==, "[Offline][Could not connect to 127.0.0.1][Retry]");
  g_clear_pointer (&words, g_free);

  gtk_window_destroy (window);
}

/* A fake server answering garbage until told otherwise. */
static gboolean garbage = TRUE;
static guint requests;

static void
health_cb (SoupServer        *soup,
           SoupServerMessage *message,
           const char        *path,
           GHashTable        *query,
           gpointer           data)
{
  const char *body = garbage ? "{\"status\": oops}" : "{\"status\": \"ok\", \"version\": \"1\"}";

  requests++;
  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
retry_cb (QuorumRequestState *state,
          guint              *retries)
{
  (*retries)++;
}

static void
test_automatic_retry (void)
{
  g_autoptr(SoupServer) soup = soup_server_new (NULL, NULL);
  g_autofree char *url = NULL;
  g_autoptr(QuorumClient) client = NULL;
  g_autoptr(QuorumRequestState) state = quorum_request_state_new ("127.0.0.1");
  GtkWidget *status;
  GtkWindow *window;
  g_autofree char *words = NULL;
  GError *result = NULL;
  guint retries = 0;

  soup_server_add_handler (soup, "/health", health_cb, NULL, NULL);
  url = quorum_test_soup_listen (soup, 0);
  client = quorum_client_new (url);
  quorum_client_set_retry_policy (client, 1, 10, 10);
  g_signal_connect (state, "retry", G_CALLBACK (retry_cb), &retries);
  status = quorum_request_status_new (state);
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (window, status);
  gtk_window_present (window);

  /* Asked for by the user: "The server had a problem", no retry by itself. */
  quorum_client_check_server_async (client, quorum_request_state_begin (state, FALSE), done_cb, &result);
  quorum_test_wait_for (result != NULL, 10);
  quorum_request_state_fail (state, "Could not check the server", result);
  g_clear_error (&result);
  g_assert_cmpint (quorum_request_state_get_phase (state), ==, QUORUM_REQUEST_PHASE_SERVER_ERROR);
  g_assert_nonnull (quorum_request_state_get_detail (state));
  words = shown (status);
  g_assert_cmpstr (words, ==, "[The server had a problem][Could not check the server][_Details>][Retry]");
  g_clear_pointer (&words, g_free);
  g_assert_cmpuint (quorum_request_state_get_retry_seconds (state), ==, 0);

  /* A load nobody asked for comes back by itself: first after 2 s, then 4 s. */
  quorum_client_check_server_async (client, quorum_request_state_begin (state, TRUE), done_cb, &result);
  quorum_test_wait_for (result != NULL, 10);
  quorum_request_state_fail (state, NULL, result);
  g_clear_error (&result);
  g_assert_cmpuint (quorum_request_state_get_retry_seconds (state), ==, QUORUM_REQUEST_RETRY_FIRST_S);
  quorum_test_wait_for (retries == 1, QUORUM_REQUEST_RETRY_FIRST_S + 10);

  quorum_client_check_server_async (client, quorum_request_state_begin (state, TRUE), done_cb, &result);
  quorum_test_wait_for (result != NULL, 10);
  quorum_request_state_fail (state, NULL, result);
  g_clear_error (&result);
  g_assert_cmpuint (quorum_request_state_get_retry_seconds (state), ==, 2 * QUORUM_REQUEST_RETRY_FIRST_S);

  /* Cancel stops the planned retry too. */
  quorum_request_state_cancel (state);
  g_assert_cmpuint (quorum_request_state_get_retry_seconds (state), ==, 0);
  g_assert_cmpint (quorum_request_state_get_phase (state), ==, QUORUM_REQUEST_PHASE_IDLE);

  /* The server mended: the next automatic load succeeds and resets the back-off. */
  garbage = FALSE;
  quorum_client_check_server_async (client, quorum_request_state_begin (state, TRUE), done_cb, &result);
  quorum_test_wait_for (result != NULL, 10);
  g_assert_error (result, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&result);
  quorum_request_state_succeed (state);
  g_assert_cmpint (quorum_request_state_get_phase (state), ==, QUORUM_REQUEST_PHASE_IDLE);
  g_assert_true (shows_nothing (status));
  g_assert_cmpuint (retries, ==, 1);

  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  quorum_test_settings_init ();  /* before anything reads settings */
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/request-state/words", test_words);
  g_test_add_func ("/request-state/hung-server", test_hung_server);
  g_test_add_func ("/request-state/automatic-retry", test_automatic_retry);

  return g_test_run ();
}
