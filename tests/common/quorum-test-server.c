/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "quorum-test-server.h"

#define START_TIMEOUT_SECONDS 60
#define LISTENING_PREFIX "quorum-server listening on "

struct _QuorumTestServer
{
  GSubprocess *process;
  char        *data_dir;
  char        *url;
};

typedef struct
{
  char     *line;
  GError   *error;
  gboolean  done;
  gboolean  timed_out;
} ReadLine;

static void
read_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ReadLine *state = user_data;

  state->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result,
                                                          NULL, &state->error);
  state->done = TRUE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  ReadLine *state = user_data;

  state->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

gboolean
quorum_test_remove_tree (const char  *path,
                         GError     **error)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      if (!(dir = g_dir_open (path, 0, error)))
        return FALSE;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (!quorum_test_remove_tree (child, error))
            return FALSE;
        }
    }

  if (g_remove (path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not remove %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/**
 * quorum_test_server_start:
 * @extra_args: (nullable): more options, such as `--demo`
 *
 * Starts the server and waits (at most a minute) until it prints that it
 * listens.
 */
QuorumTestServer *
quorum_test_server_start (const char * const  *extra_args,
                          GError             **error)
{
  g_autoptr(QuorumTestServer) server = g_new0 (QuorumTestServer, 1);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) stdout_stream = NULL;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSource) timeout = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  ReadLine state = { 0 };
  const char *binary = g_getenv ("QUORUM_SERVER_BINARY");

  if (binary == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "QUORUM_SERVER_BINARY is not set");
      return NULL;
    }

  if (!(server->data_dir = g_dir_make_tmp ("quorum-test-server-XXXXXX", error)))
    return NULL;

  g_ptr_array_add (argv, (char *) binary);
  g_ptr_array_add (argv, (char *) "--port=0");
  g_ptr_array_add (argv, (char *) "--data-dir");
  g_ptr_array_add (argv, server->data_dir);
  g_ptr_array_add (argv, (char *) "--signin-rate-limit=0");
  g_ptr_array_add (argv, (char *) "--auth-rate-limit=0");
  g_ptr_array_add (argv, (char *) "--password-hash-cost=min");
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) extra_args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* A test that aborts on a failed assertion must not leave a server behind. */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
  if (server->process == NULL)
    return NULL;

  stdout_stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));

  g_main_context_push_thread_default (context);
  g_data_input_stream_read_line_async (stdout_stream, G_PRIORITY_DEFAULT, cancellable, read_line_cb, &state);
  timeout = g_timeout_source_new_seconds (START_TIMEOUT_SECONDS);
  g_source_set_callback (timeout, timeout_cb, &state, NULL);
  g_source_attach (timeout, context);

  while (!state.done && !state.timed_out)
    g_main_context_iteration (context, TRUE);

  if (!state.done)
    {
      g_cancellable_cancel (cancellable);
      while (!state.done)
        g_main_context_iteration (context, TRUE);
    }
  g_source_destroy (timeout);
  g_main_context_pop_thread_default (context);

  if (state.timed_out)
    {
      g_clear_error (&state.error);
      g_free (state.line);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "quorum-server did not start within %d seconds", START_TIMEOUT_SECONDS);
      return NULL;
    }
  if (state.error != NULL)
    {
      g_propagate_error (error, state.error);
      return NULL;
    }
  if (state.line == NULL || !g_str_has_prefix (state.line, LISTENING_PREFIX))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "quorum-server exited or printed something unexpected: %s",
                   state.line != NULL ? state.line : "(end of output)");
      g_free (state.line);
      return NULL;
    }

  server->url = g_strdup (state.line + strlen (LISTENING_PREFIX));
  g_free (state.line);
  return g_steal_pointer (&server);
}

const char *
quorum_test_server_get_url (QuorumTestServer *server)
{
  return server->url;
}

const char *
quorum_test_server_get_data_dir (QuorumTestServer *server)
{
  return server->data_dir;
}

/* SIGTERM, wait for the exit, remove the data directory, free. */
void
quorum_test_server_stop (QuorumTestServer *server)
{
  if (server == NULL)
    return;

  if (server->process != NULL)
    {
      g_subprocess_send_signal (server->process, SIGTERM);
      g_subprocess_wait (server->process, NULL, NULL);
      g_clear_object (&server->process);
    }

  if (server->data_dir != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!quorum_test_remove_tree (server->data_dir, &error))
        g_warning ("%s", error->message);
      g_free (server->data_dir);
    }

  g_free (server->url);
  g_free (server);
}

char *
quorum_test_unique_email (const char *prefix)
{
  static guint counter;
  g_autofree char *lower = g_ascii_strdown (prefix, -1);

  /* Lower case: the server stores e-mails normalized. */
  return g_strdup_printf ("%s-%d-%u-%08x@example.org", lower, (int) getpid (), ++counter,
                          g_random_int ());
}

/**
 * quorum_test_server_sign_up:
 *
 * Creates a user with POST /v1/users (synchronously: this is a test helper)
 * and returns its session token.
 */
char *
quorum_test_server_sign_up (QuorumTestServer  *server,
                            const char        *name,
                            const char        *email,
                            const char        *password,
                            GError           **error)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GBytes) request_bytes = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autofree char *url = g_strconcat (server->url, "/v1/users", NULL);
  g_autofree char *json = NULL;
  JsonObject *object;
  JsonNode *token;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, email);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  json = json_to_string (body, FALSE);
  request_bytes = g_bytes_new_take (json, strlen (json));
  json = NULL;

  message = soup_message_new ("POST", url);
  soup_message_set_request_body_from_bytes (message, "application/json", request_bytes);
  response = soup_session_send_and_read (session, message, NULL, error);
  if (response == NULL)
    return NULL;

  if (soup_message_get_status (message) != 201)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Sign-up answered %u: %.*s",
                   soup_message_get_status (message),
                   (int) MIN (g_bytes_get_size (response), 500),
                   (const char *) g_bytes_get_data (response, NULL));
      return NULL;
    }

  answer = json_from_string (g_bytes_get_data (response, NULL), error);
  if (answer == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (answer) ||
      !(object = json_node_get_object (answer)) ||
      !(token = json_object_get_member (object, "token")) ||
      json_node_get_value_type (token) != G_TYPE_STRING)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Sign-up answered without a token");
      return NULL;
    }

  return g_strdup (json_node_get_string (token));
}

static gint
by_mtime (gconstpointer a,
          gconstpointer b,
          gpointer      user_data)
{
  GStatBuf sa, sb;

  if (g_stat (*(const char * const *) a, &sa) != 0 || g_stat (*(const char * const *) b, &sb) != 0)
    return 0;
  if (sa.st_mtim.tv_sec != sb.st_mtim.tv_sec)
    return sa.st_mtim.tv_sec < sb.st_mtim.tv_sec ? -1 : 1;
  return (sa.st_mtim.tv_nsec > sb.st_mtim.tv_nsec) - (sa.st_mtim.tv_nsec < sb.st_mtim.tv_nsec);
}

/* The quorum://<kind>/… link of each e-mail to @email, oldest first (as
 * quorum_server.py's outbox()). */
static GPtrArray *
mail_links (QuorumTestServer *server,
            const char       *email,
            const char       *kind)
{
  g_autofree char *outbox = g_build_filename (server->data_dir, "outbox", NULL);
  g_autofree char *to = g_strdup_printf ("To: <%s>", email);
  g_autofree char *prefix = g_strdup_printf ("quorum://%s/", kind);
  g_autoptr(GDir) dir = g_dir_open (outbox, 0, NULL);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *links = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".eml"))
      g_ptr_array_add (files, g_build_filename (outbox, name, NULL));
  g_ptr_array_sort_with_data (files, by_mtime, NULL);

  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *text = NULL;
      const char *start;

      if (!g_file_get_contents (files->pdata[i], &text, NULL, NULL) || strstr (text, to) == NULL)
        continue;
      if ((start = strstr (text, prefix)) != NULL)
        g_ptr_array_add (links, g_strndup (start, strcspn (start, "\r\n")));
    }
  return links;
}

/**
 * quorum_test_server_count_mail:
 * @kind: "verify", "reset" or "invite"
 *
 * Returns: how many e-mails with a link of @kind the server sent to @email
 */
guint
quorum_test_server_count_mail (QuorumTestServer *server,
                               const char       *email,
                               const char       *kind)
{
  g_autoptr(GPtrArray) links = mail_links (server, email, kind);

  return links->len;
}

/**
 * quorum_test_server_mail_link:
 * @kind: "verify", "reset" or "invite"
 *
 * Returns: the quorum://<kind>/<token>?server=… link of the newest e-mail of
 *   that kind to @email. A reset e-mail is written just after the 202 goes
 *   out, so this waits up to ten seconds for one, then fails the test.
 */
char *
quorum_test_server_mail_link (QuorumTestServer *server,
                              const char       *email,
                              const char       *kind)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(GPtrArray) links = mail_links (server, email, kind);

      if (links->len > 0)
        return g_strdup (links->pdata[links->len - 1]);
      if (g_get_monotonic_time () > deadline)
        g_error ("no %s e-mail to %s", kind, email);
      g_usleep (20 * 1000);
    }
}

/**
 * quorum_test_server_verify_email:
 *
 * Proves the inbox of @email as its owner would: posts the token of the
 * newest verification e-mail to POST /v1/email-verifications.
 */
gboolean
quorum_test_server_verify_email (QuorumTestServer  *server,
                                 const char        *email,
                                 GError           **error)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autofree char *link = quorum_test_server_mail_link (server, email, "verify");
  g_autofree char *url = g_strconcat (server->url, "/v1/email-verifications", NULL);
  const char *token = link + strlen ("quorum://verify/");
  char *json;

  json = g_strdup_printf ("{\"token\": \"%.*s\"}", (int) strcspn (token, "?"), token);
  body = g_bytes_new_take (json, strlen (json));
  message = soup_message_new ("POST", url);
  soup_message_set_request_body_from_bytes (message, "application/json", body);
  response = soup_session_send_and_read (session, message, NULL, error);
  if (response == NULL)
    return FALSE;
  if (soup_message_get_status (message) != 200)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Verification answered %u: %.*s",
                   soup_message_get_status (message),
                   (int) MIN (g_bytes_get_size (response), 500),
                   (const char *) g_bytes_get_data (response, NULL));
      return FALSE;
    }
  return TRUE;
}
