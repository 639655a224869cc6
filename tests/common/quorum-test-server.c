/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
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
  char        *log_path;
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
 * listens. Rate limits are off, password hashing is cheap and new
 * organizations start on Business (no seat limit) unless extra_args say
 * otherwise.
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
  g_ptr_array_add (argv, (char *) "--signin-client-limit=0");
  g_ptr_array_add (argv, (char *) "--org-invitation-rate-limit=0");
  g_ptr_array_add (argv, (char *) "--user-invitation-rate-limit=0");
  g_ptr_array_add (argv, (char *) "--password-hash-cost=min");
  /* New organizations on the plan without a seat limit, so tests that are
   * not about seats can invite freely; --default-plan in extra_args wins. */
  g_ptr_array_add (argv, (char *) "--default-plan=pln_business");
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) extra_args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* Kept beside the data, read at the stop: no token may ever reach it. */
  server->log_path = g_build_filename (server->data_dir, "server-stderr.log", NULL);
  g_subprocess_launcher_set_stderr_file_path (launcher, server->log_path);
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

#define TOKEN_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

/* Tokens of the links in the messages the server sent (invitation tokens
 * carry no prefix, so they are known only from there). */
static void
add_link_tokens (GPtrArray  *tokens,
                 const char *text)
{
  static const char * const markers[] = { "/invite/", "/verify/", "/reset/", NULL };

  for (guint m = 0; markers[m] != NULL; m++)
    for (const char *p = strstr (text, markers[m]); p != NULL; p = strstr (p + 1, markers[m]))
      {
        const char *start = p + strlen (markers[m]);
        gsize n = strspn (start, TOKEN_CHARS);

        if (n >= 16)
          g_ptr_array_add (tokens, g_strndup (start, n));
      }
}

/**
 * quorum_test_leaked_token:
 *
 * Returns: (nullable): the first token found in @log: any `qrm_…` token,
 *   or one of the tokens in the messages of @outbox_dir.
 */
char *
quorum_test_leaked_token (const char *log,
                          const char *outbox_dir)
{
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = outbox_dir != NULL ? g_dir_open (outbox_dir, 0, NULL) : NULL;
  const char *name;
  const char *p;

  for (p = strstr (log, "qrm_"); p != NULL; p = strstr (p + 1, "qrm_"))
    if (strspn (p + 4, TOKEN_CHARS) >= 8)
      return g_strndup (p, 4 + strspn (p + 4, TOKEN_CHARS));

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (outbox_dir, name, NULL);
      g_autofree char *text = NULL;

      if (g_str_has_suffix (name, ".eml") && g_file_get_contents (path, &text, NULL, NULL))
        add_link_tokens (tokens, text);
    }
  for (guint i = 0; i < tokens->len; i++)
    if (strstr (log, tokens->pdata[i]) != NULL)
      return g_strdup (tokens->pdata[i]);
  return NULL;
}

/* SIGTERM, wait for the exit, check that no token reached the server's log
 * (aborting the test program if one did), remove the data directory, free. */
/* TRUE once every thread of pid is stopped ('T' in /proc/<pid>/task/<tid>/stat). */
static gboolean
process_is_stopped (const char *pid)
{
  g_autofree char *task_dir = g_build_filename ("/proc", pid, "task", NULL);
  g_autoptr(GDir) dir = g_dir_open (task_dir, 0, NULL);
  const char *tid;
  guint n = 0;

  if (dir == NULL)
    return FALSE;
  while ((tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (task_dir, tid, "stat", NULL);
      g_autofree char *stat = NULL;
      const char *state;

      if (!g_file_get_contents (path, &stat, NULL, NULL))
        return FALSE;
      /* "tid (comm) S …": the comm may hold spaces and parentheses. */
      state = strrchr (stat, ')');
      if (state == NULL || state[1] != ' ' || (state[2] != 'T' && state[2] != 't'))
        return FALSE;
      n++;
    }
  return n > 0;
}

void
quorum_test_server_hang (QuorumTestServer *server)
{
  const char *pid;
  gint64 deadline = g_get_monotonic_time () + START_TIMEOUT_SECONDS * G_USEC_PER_SEC;

  g_return_if_fail (server != NULL && server->process != NULL);

  g_subprocess_send_signal (server->process, SIGSTOP);
  /* kill() returns before the stop takes hold: on a loaded machine the
   * server went on for milliseconds and answered a request sent "after"
   * the hang. Wait until every thread of it has stopped. */
  pid = g_subprocess_get_identifier (server->process);
  g_assert_nonnull (pid);
  while (!process_is_stopped (pid))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("quorum-server %s did not stop after SIGSTOP", pid);
      g_usleep (G_USEC_PER_SEC / 1000);
    }
}

void
quorum_test_server_resume (QuorumTestServer *server)
{
  g_return_if_fail (server != NULL && server->process != NULL);

  g_subprocess_send_signal (server->process, SIGCONT);
}

void
quorum_test_server_stop (QuorumTestServer *server)
{
  if (server == NULL)
    return;

  if (server->process != NULL)
    {
      g_autofree char *log = NULL;

      /* A hung server would never see the SIGTERM. */
      g_subprocess_send_signal (server->process, SIGCONT);
      g_subprocess_send_signal (server->process, SIGTERM);
      g_subprocess_wait (server->process, NULL, NULL);
      g_clear_object (&server->process);

      if (g_file_get_contents (server->log_path, &log, NULL, NULL))
        {
          g_autofree char *outbox = g_build_filename (server->data_dir, "outbox", NULL);
          g_autofree char *leak = quorum_test_leaked_token (log, outbox);

          if (leak != NULL)
            g_error ("A token reached quorum-server's log (%s): %s", server->log_path, leak);
        }
    }

  if (server->data_dir != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!quorum_test_remove_tree (server->data_dir, &error))
        g_warning ("%s", error->message);
      g_free (server->data_dir);
    }

  g_free (server->log_path);
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

/* POSTs a JSON object of string members (name, value, …, NULL) to path,
 * synchronously; returns the parsed answer when the status is expected. */
static JsonNode *
post_strings (QuorumTestServer  *server,
              const char        *path,
              guint              expected_status,
              GError           **error,
              ...)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GBytes) request_bytes = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autofree char *url = g_strconcat (server->url, path, NULL);
  g_autofree char *json = NULL;
  const char *name;
  va_list args;
  gsize len;

  json_builder_begin_object (builder);
  va_start (args, error);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      json_builder_set_member_name (builder, name);
      json_builder_add_string_value (builder, va_arg (args, const char *));
    }
  va_end (args);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  json = json_to_string (body, FALSE);
  len = strlen (json);
  request_bytes = g_bytes_new_take (g_steal_pointer (&json), len);

  message = soup_message_new ("POST", url);
  soup_message_set_request_body_from_bytes (message, "application/json", request_bytes);
  response = soup_session_send_and_read (session, message, NULL, error);
  if (response == NULL)
    return NULL;

  if (soup_message_get_status (message) != expected_status)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "POST %s answered %u: %.*s", path,
                   soup_message_get_status (message),
                   (int) MIN (g_bytes_get_size (response), 500),
                   (const char *) g_bytes_get_data (response, NULL));
      return NULL;
    }
  return json_from_string (g_bytes_get_data (response, NULL), error);
}

/**
 * quorum_test_server_sign_up:
 *
 * Creates a user with POST /v1/users (synchronously: this is a test helper)
 * and returns its session token. The address is not verified yet: see
 * quorum_test_server_verify_email().
 */
char *
quorum_test_server_sign_up (QuorumTestServer  *server,
                            const char        *name,
                            const char        *email,
                            const char        *password,
                            GError           **error)
{
  g_autoptr(JsonNode) answer = post_strings (server, "/v1/users", 201, error,
                                             "name", name, "email", email, "password", password, NULL);
  JsonObject *object;
  JsonNode *token;

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

/* The token in the "<public URL>/<kind>/<token>" line of text, or NULL. */
static char *
link_token (const char *text,
            const char *kind)
{
  g_autofree char *needle = g_strdup_printf ("/%s/", kind);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *found = strstr (lines[i], needle);

      if (g_str_has_prefix (lines[i], "http") && found != NULL)
        return g_strndup (found + strlen (needle), strcspn (found + strlen (needle), "\r"));
    }
  return NULL;
}

/**
 * quorum_test_server_next_mail_token:
 * @kind: "verify", "reset" or "invite"
 * @old: (nullable): a token that does not count
 *
 * The token of the newest e-mail to @email in the server's outbox with a
 * link of @kind, once it is not @old. Password-reset e-mails are written
 * just after the server answers, so this waits up to 10 seconds for one.
 */
char *
quorum_test_server_next_mail_token (QuorumTestServer  *server,
                                    const char        *email,
                                    const char        *kind,
                                    const char        *old,
                                    GError           **error)
{
  g_autofree char *outbox = g_build_filename (server->data_dir, "outbox", NULL);
  g_autofree char *to = g_strdup_printf ("To: <%s>\r\n", email);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  do
    {
      g_autoptr(GDir) dir = g_dir_open (outbox, 0, error);
      g_autofree char *token = NULL;
      g_autofree char *newest_name = NULL;
      gint64 newest = -1;
      const char *name;

      if (dir == NULL)
        return NULL;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (outbox, name, NULL);
          g_autofree char *text = NULL;
          g_autofree char *found = NULL;
          GStatBuf st;
          gint64 mtime;

          if (!g_str_has_suffix (name, ".eml") || g_stat (path, &st) != 0 ||
              !g_file_get_contents (path, &text, NULL, NULL) || strstr (text, to) == NULL ||
              (found = link_token (text, kind)) == NULL)
            continue;
          mtime = (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st.st_mtim.tv_nsec;
          /* File times are coarse; names start with the time in microseconds. */
          if (mtime > newest || (mtime == newest && g_strcmp0 (name, newest_name) > 0))
            {
              newest = mtime;
              g_free (newest_name);
              newest_name = g_strdup (name);
              g_free (token);
              token = g_steal_pointer (&found);
            }
        }
      if (token != NULL && g_strcmp0 (token, old) != 0)
        return g_steal_pointer (&token);
      g_usleep (20000);
    }
  while (g_get_monotonic_time () < deadline);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No %s%s e-mail to %s in the outbox after 10 s",
               old != NULL ? "new " : "", kind, email);
  return NULL;
}

/**
 * quorum_test_server_mail_token:
 *
 * quorum_test_server_next_mail_token() with no @old.
 */
char *
quorum_test_server_mail_token (QuorumTestServer  *server,
                               const char        *email,
                               const char        *kind,
                               GError           **error)
{
  return quorum_test_server_next_mail_token (server, email, kind, NULL, error);
}

/**
 * quorum_test_server_verify_email:
 *
 * Proves the inbox of @email as its owner would: posts the token of the
 * newest verification e-mail the server sent there to
 * POST /v1/email-verifications.
 */
gboolean
quorum_test_server_verify_email (QuorumTestServer  *server,
                                 const char        *email,
                                 GError           **error)
{
  g_autofree char *token = quorum_test_server_mail_token (server, email, "verify", error);
  g_autoptr(JsonNode) answer = NULL;

  if (token == NULL)
    return FALSE;
  answer = post_strings (server, "/v1/email-verifications", 200, error, "token", token, NULL);
  return answer != NULL;
}

char *
quorum_test_soup_listen (SoupServer              *soup,
                         SoupServerListenOptions  options)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;
  char *url;

  soup_server_listen_local (soup, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | options, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (soup);
  url = g_strdup_printf ("%s://127.0.0.1:%d", (options & SOUP_SERVER_LISTEN_HTTPS) ? "https" : "http",
                         g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return url;
}
