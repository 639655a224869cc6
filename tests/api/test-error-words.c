/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-api.h"
#include "quorum-client-private.h"
#include "quorum-test-child.h"
#include "quorum-test-server.h"
#include "quorum-test-wait.h"
#include "quorum-utils-private.h"
#include "quorum-test-settings.h"

/*
 * Error words (docs/architecture.md, "Error words"): every error the client
 * can produce — each QuorumApiError through a small HTTP server inside the
 * test, and the transport failures (refused port, hung socket, garbage
 * bytes, a cut answer, truncated and deep JSON, wrong content type) — is
 * composed with every context the app uses, and each sentence must read as
 * plain words: no phrase said twice, no parser or GLib text, not empty, and
 * ending like a sentence.
 */

/*
 * Every context the app composes an error with, in one place. A context
 * with %s gets an organization's or a person's name. /error-words/contexts
 * checks that the sources use no "Could not …" context missing here.
 */
static const char * const contexts[] = {
  NULL,
  "Could not accept the invitation to %s",
  "Could not decline the invitation to %s",
  "Could not change the password",
  "Could not change the role of %s",
  "Could not create the organization",
  "Could not delete the organization",
  "Could not leave the organization",
  "Could not load invitations",
  "Could not load members",
  "Could not load the members",
  "Could not load your organizations",
  "Could not open the organization",
  "Could not open %s",
  "Could not check your organizations",
  "Could not export the members",
  "Could not reach the server",
  "Could not reactivate %s",
  "Could not read the image",
  "Could not reload",
  "Could not remove %s",
  "Could not resend the invitation to %s",
  "Could not revoke the invitation to %s",
  "Could not save",
  "Could not send the invitation",
  "Could not send the message",
  "Could not send the reset link",
  "Could not sign in",
  "Could not sign out",
  "Could not suspend %s",
  "Could not transfer ownership",
  "Could not upload the logo",
  "The keyring could not store your session, so you were not signed in",
  "Your account was created and you joined %s, but Quorum could not keep you signed in",
  "Your password is changed, but the keyring could not store your session",
  /* Request states, billing, sign-up. */
  "Could not connect to %s",
  "Could not search the members",
  "Could not load billing",
  "Could not load usage",
  "Could not load usage by member",
  "Could not load the invoices",
  "Could not top up the balance",
  "Could not save the low-balance alert",
  "Could not change the plan",
  "Could not load the plans",
  "Could not save the invoice",
  "Could not load the ledger",
  "Could not create your account",
  /* Developers: keys, webhooks, deliveries, the audit log. */
  "Could not load the developer settings",
  "Could not load the audit log",
  "Could not create the API key",
  "Could not rotate the key “%s”",
  "Could not revoke the key “%s”",
  "Could not add the webhook",
  "Could not save the webhook",
  "Could not turn the webhook on",
  "Could not turn the webhook off",
  "Could not send the test",
  "Could not roll the signing secret",
  "Could not delete the webhook",
  "Could not load the deliveries",
  "Could not resend the delivery",
};

/* Text that belongs to a library or a protocol, never to a sentence. */
static const char * const forbidden[] = {
  "Parse error", "<data>", "GDBus", "g-io-error", "GLib", ":1:", "json", "JSON", "HTTP",
  "Content-Type", "org.freedesktop", "Error:", "error:", "(null)", "%s", "%u", "%d",
  "Operation was cancelled", "Connection refused", "Socket", "socket", "TLS", "GnuTLS",
  "unexpected identifier",
};

/* A sample of each error: what caused it, the error. */
typedef struct
{
  char   *name;
  GError *error;
} Sample;

static void
sample_free (Sample *sample)
{
  g_free (sample->name);
  g_clear_error (&sample->error);
  g_free (sample);
}

/* The fake server: answers what the current case says. */
typedef struct
{
  guint       status;
  const char *content_type;
  const char *body;
  gssize      length;
  const char *location;
} Answer;

static Answer current;

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, current.status, NULL);
  if (current.status == 429)
    soup_message_headers_replace (headers, "Retry-After", "3600");
  if (current.location != NULL)
    soup_message_headers_replace (headers, "Location", current.location);
  if (current.body != NULL)
    soup_server_message_set_response (msg, current.content_type, SOUP_MEMORY_COPY, current.body,
                                      current.length >= 0 ? (gsize) current.length : strlen (current.body));
}

static GError *
get_me_error (QuorumClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(QuorumUser) user = NULL;
  GError *error = NULL;

  quorum_client_get_me_async (client, NULL, quorum_test_store_result, &result);
  user = quorum_client_get_me_finish (client, quorum_test_wait_result (&result), &error);
  g_assert_null (user);
  g_assert_nonnull (error);
  return error;
}

static void
add_sample (GPtrArray  *samples,
            GError     *error,
            const char *format,
            ...) G_GNUC_PRINTF (3, 4);

static void
add_sample (GPtrArray  *samples,
            GError     *error,
            const char *format,
            ...)
{
  Sample *sample = g_new0 (Sample, 1);
  va_list args;

  va_start (args, format);
  sample->name = g_strdup_vprintf (format, args);
  va_end (args);
  sample->error = error;
  g_ptr_array_add (samples, sample);
}

static guint
status_for_code (const char *code)
{
  static const struct { const char *suffix; guint status; } table[] = {
    { "unauthenticated", 401 }, { "invalid_credentials", 401 }, { "rate_limited", 429 },
    { "internal_error", 500 }, { "bad_request", 400 }, { "malformed_json", 400 },
    { "forbidden", 403 }, { "suspended", 403 }, { "scope", 403 }, { "unverified", 403 },
    { "not_found", 404 }, { "validation_failed", 422 }, { "precondition_failed", 412 },
    { "payload_too_large", 413 }, { "gone", 410 }, { "expired", 410 }, { "revoked", 410 },
    { "unsupported_media_type", 415 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (g_str_has_suffix (code, table[i].suffix))
      return table[i].status;
  return 409;
}

/* A socket service: each connection gets @reply (if any), then is closed,
 * or kept open unanswered when @reply is NULL. */
typedef struct
{
  const char *reply;
  GPtrArray  *held;
} RawServer;

static gboolean
raw_incoming_cb (GSocketService    *service,
                 GSocketConnection *connection,
                 GObject           *source,
                 gpointer           user_data)
{
  RawServer *raw = user_data;

  if (raw->reply == NULL)
    {
      g_ptr_array_add (raw->held, g_object_ref (connection));
      return TRUE;
    }
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), raw->reply,
                             strlen (raw->reply), NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static char *
raw_listen (GSocketService *service)
{
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);

  g_assert_no_error (error);
  return g_strdup_printf ("http://127.0.0.1:%u", port);
}

static GError *
raw_error (const char   *reply,
           SoupSession  *session)
{
  RawServer raw = { reply, g_ptr_array_new_with_free_func (g_object_unref) };
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autofree char *url = raw_listen (service);
  g_autoptr(QuorumClient) client = session != NULL ? quorum_client_new_for_session (url, session)
                                                   : quorum_client_new (url);
  GError *error;

  g_signal_connect (service, "incoming", G_CALLBACK (raw_incoming_cb), &raw);
  g_socket_service_start (service);
  quorum_client_set_retry_policy (client, 1, 10, 10);
  error = get_me_error (client);
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  g_ptr_array_unref (raw.held);
  return error;
}

static char *
refused_url (void)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  char *url = raw_listen (service);

  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  return url;
}

#define USER_JSON \
  "{\"id\": \"usr_1\", \"name\": \"Ada\", \"email\": \"ada@demo.quorum.test\", \"created_at\": \"2026-11-22T10:43:14Z\"}"

/* Every error the client can produce, each at least once. */
static GPtrArray *
collect_samples (void)
{
  GPtrArray *samples = g_ptr_array_new_with_free_func ((GDestroyNotify) sample_free);
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autofree char *url = NULL;
  g_autoptr(QuorumClient) client = NULL;
  g_autofree char *deep = g_strnfill (200, '[');
  g_autofree char *big = g_strnfill (QUORUM_CLIENT_MAX_RESPONSE_BYTES + 10, ' ');
  const Answer answers[] = {
    { 200, "application/json", "{\"id\": \"usr_1\", \"name\": oops}", -1, NULL },
    { 200, "application/json", "{\"id\": \"usr_1\", \"name\": \"Ad", -1, NULL },
    { 200, "application/json", deep, -1, NULL },
    { 200, "application/json", "{\"id\": 7, \"name\": [], \"email\": {}, \"created_at\": false}", -1, NULL },
    { 200, "application/json", "[" USER_JSON "]", -1, NULL },
    { 200, "application/json", "{\"id\": \"usr_1\", \"name\": \"\xff\xfe\"}", -1, NULL },
    { 200, "application/json", "", -1, NULL },
    { 200, "application/json", "null", -1, NULL },
    { 200, "text/html", "<html><body>Welcome to nginx!</body></html>", -1, NULL },
    { 200, "application/json", big, -1, NULL },
    { 500, "text/html", "<html><h1>500 Internal Server Error</h1></html>", -1, NULL },
    { 502, "text/html", "<html>Bad Gateway</html>", -1, NULL },
    { 503, "application/json", "{oops", -1, NULL },
    { 504, NULL, NULL, -1, NULL },
    { 500, "application/problem+json",
      "{\"title\": \"Internal Server Error\", \"status\": 500, \"code\": \"internal_error\", "
      "\"detail\": \"sqlite3_step: database is locked\"}", -1, NULL },
    { 418, "text/plain", "I'm a teapot", -1, NULL },
    { 409, "application/problem+json", "{\"code\": \"slug_tak", -1, NULL },
    { 409, "application/problem+json", "{\"code\": 5, \"detail\": [\"x\"]}", -1, NULL },
    { 302, "text/html", "moved", -1, "https://elsewhere.example/v1/me" },
    { 401, NULL, NULL, -1, NULL },
    { 429, NULL, NULL, -1, NULL },
  };

  soup_server_add_handler (server, NULL, server_cb, NULL, NULL);
  url = quorum_test_soup_listen (server, 0);
  client = quorum_client_new (url);
  quorum_client_set_retry_policy (client, 1, 10, 10);

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autofree char *shown = g_strescape (answers[i].body != NULL ? answers[i].body : "", NULL);

      current = answers[i];
      add_sample (samples, get_me_error (client), "HTTP %u %s, %.40s", answers[i].status,
                  answers[i].content_type != NULL ? answers[i].content_type : "no body", shown);
    }

  /* Every code of the contract: without a detail, with one, and as an
   * HTML page of the same status. */
  for (int value = QUORUM_API_ERROR_FAILED; value <= QUORUM_API_ERROR_TOKEN_EXPIRED; value++)
    {
      const char *code = quorum_api_error_to_code (value);
      g_autofree char *bare = NULL;
      g_autofree char *full = NULL;
      guint status;

      if (code == NULL)
        continue;
      status = status_for_code (code);
      bare = g_strdup_printf ("{\"title\": \"%s\", \"status\": %u, \"code\": \"%s\"}",
                              soup_status_get_phrase (status), status, code);
      full = g_strdup_printf ("{\"title\": \"%s\", \"status\": %u, \"code\": \"%s\", "
                              "\"detail\": \"The request was refused.\"}",
                              soup_status_get_phrase (status), status, code);

      current = (Answer) { status, "application/problem+json", bare, -1, NULL };
      add_sample (samples, get_me_error (client), "%s without detail", code);
      current = (Answer) { status, "application/problem+json", full, -1, NULL };
      add_sample (samples, get_me_error (client), "%s with a detail", code);
      current = (Answer) { status, "text/html", "<html>error</html>", -1, NULL };
      add_sample (samples, get_me_error (client), "HTML page with %u", status);
    }
  soup_server_disconnect (server);

  /* Transport */
  {
    g_autofree char *refused = refused_url ();
    g_autoptr(QuorumClient) nobody = quorum_client_new (refused);
    g_autoptr(SoupSession) impatient = soup_session_new_with_options ("timeout", 1, NULL);
    g_autoptr(QuorumClient) bad = quorum_client_new ("not a url");
    g_autoptr(QuorumClient) insecure = quorum_client_new ("http://quorum.example.org");
    g_autoptr(QuorumClient) unknown = quorum_client_new ("https://nowhere.invalid");

    quorum_client_set_retry_policy (nobody, 1, 10, 10);
    quorum_client_set_retry_policy (unknown, 1, 10, 10);
    add_sample (samples, get_me_error (nobody), "refused port");
    add_sample (samples, raw_error (NULL, impatient), "hung socket");
    add_sample (samples, raw_error ("\x01\x02garbage bytes\xff\r\n\r\n", NULL), "garbage bytes");
    add_sample (samples, raw_error ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                    "Content-Length: 500\r\n\r\n{\"id\": \"usr_1\"", NULL),
                "answer cut short");
    add_sample (samples, raw_error ("", NULL), "closed at once");
    add_sample (samples, get_me_error (bad), "not a URL");
    add_sample (samples, get_me_error (insecure), "plain http to another computer");
    add_sample (samples, get_me_error (unknown), "unknown host");
  }

  /* Not the client's, but composed all the same: the library's text must
   * never show. */
  add_sample (samples, g_error_new_literal (G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN,
                                            "GDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown: "
                                            "The name org.freedesktop.secrets was not provided"),
              "D-Bus error");
  add_sample (samples, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "Error reading data: g-io-error"),
              "GIO error");
  add_sample (samples, g_error_new_literal (QUORUM_ACCOUNT_STORE_ERROR, QUORUM_ACCOUNT_STORE_ERROR_LOCKED,
                                            "The keyring is locked"),
              "keyring locked");
  return samples;
}

/* The words of @text, case-folded. */
static GPtrArray *
words (const char *text)
{
  g_autoptr(GRegex) regex = g_regex_new ("[[:alnum:]’']+", G_REGEX_OPTIMIZE, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  g_regex_match (regex, text, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *word = g_match_info_fetch (match, 0);

      g_ptr_array_add (out, g_utf8_casefold (word, -1));
      g_match_info_next (match, NULL);
    }
  return out;
}

/* The first phrase of three words said twice in @text, or NULL. */
static char *
repeated_phrase (const char *text)
{
  g_autoptr(GPtrArray) w = words (text);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i + 3 <= w->len; i++)
    {
      char *phrase = g_strdup_printf ("%s %s %s", (char *) w->pdata[i], (char *) w->pdata[i + 1],
                                      (char *) w->pdata[i + 2]);

      if (g_hash_table_contains (seen, phrase))
        return phrase;
      g_hash_table_add (seen, phrase);
    }
  return NULL;
}

static gboolean
ends_like_a_sentence (const char *text)
{
  const char *last = g_utf8_find_prev_char (text, text + strlen (text));
  gunichar c = last != NULL ? g_utf8_get_char (last) : 0;

  return g_unichar_isalnum (c) || c == '.' || c == 0x2026 /* … */ || c == 0x201D /* ” */ || c == ')';
}

static void
check_sentence (const char *sentence,
                const char *what)
{
  g_autofree char *repeated = NULL;

  if (sentence == NULL || *sentence == '\0')
    g_error ("%s: empty message", what);
  g_assert_true (g_utf8_validate (sentence, -1, NULL));
  if ((repeated = repeated_phrase (sentence)) != NULL)
    g_error ("%s: “%s” says “%s” twice", what, sentence, repeated);
  for (guint i = 0; i < G_N_ELEMENTS (forbidden); i++)
    if (strstr (sentence, forbidden[i]) != NULL)
      g_error ("%s: “%s” holds “%s”", what, sentence, forbidden[i]);
  if (!ends_like_a_sentence (sentence))
    g_error ("%s: “%s” does not end like a sentence", what, sentence);
  if (g_unichar_isspace (g_utf8_get_char (sentence)))
    g_error ("%s: “%s” starts with a space", what, sentence);
}

static char *
fill_in (const char *context)
{
  g_autoptr(GString) text = NULL;

  if (context == NULL)
    return NULL;
  text = g_string_new (context);
  g_string_replace (text, "%s", "Initech", 0);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_every_error (void)
{
  g_autoptr(GPtrArray) samples = collect_samples ();
  gboolean seen[QUORUM_API_ERROR_TOKEN_EXPIRED + 1] = { FALSE, };

  for (guint i = 0; i < samples->len; i++)
    {
      Sample *sample = samples->pdata[i];
      const GError *error = sample->error;

      g_test_message ("%s → %s", sample->name, error->message);
      if (error->domain == QUORUM_API_ERROR && error->code >= 0 && error->code <= QUORUM_API_ERROR_TOKEN_EXPIRED)
        seen[error->code] = TRUE;

      for (guint j = 0; j < G_N_ELEMENTS (contexts); j++)
        {
          g_autofree char *context = fill_in (contexts[j]);
          g_autofree char *sentence = quorum_error_compose (context, error);
          g_autofree char *what = g_strdup_printf ("%s, context “%s”", sample->name,
                                                   context != NULL ? context : "(none)");

          check_sentence (sentence, what);
          if (context != NULL && !g_str_has_prefix (sentence, context))
            g_error ("%s: “%s” lost its context", what, sentence);
        }
    }

  /* Every value but TLS (GnuTLS crashes LeakSanitizer at exit here:
   * /error-words/tls checks it in a child). */
  for (int value = QUORUM_API_ERROR_FAILED; value <= QUORUM_API_ERROR_TOKEN_EXPIRED; value++)
    if (value != QUORUM_API_ERROR_TLS && !seen[value])
      g_error ("no sample of QuorumApiError %d", value);
}

/* Each value's plain words are its own, and sentences themselves. */
static void
test_plain_words (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (int value = QUORUM_API_ERROR_FAILED; value <= QUORUM_API_ERROR_TOKEN_EXPIRED; value++)
    {
      const char *words_of_value = quorum_api_error_get_plain_message (value);
      g_autoptr(GError) error = g_error_new_literal (QUORUM_API_ERROR, value, words_of_value);
      g_autofree char *what = g_strdup_printf ("plain words of %d", value);

      g_assert_false (g_hash_table_contains (seen, words_of_value));
      g_hash_table_add (seen, (gpointer) words_of_value);
      for (guint j = 0; j < G_N_ELEMENTS (contexts); j++)
        {
          g_autofree char *context = fill_in (contexts[j]);
          g_autofree char *sentence = quorum_error_compose (context, error);

          check_sentence (sentence, what);
          /* The client's words never echo a context: both are said. */
          if (context != NULL && !g_str_has_prefix (sentence, context))
            g_error ("%s: “%s” lost its context “%s”", what, sentence, context);
        }
    }
}

/* What is technical is kept, in the detail. */
static void
test_detail (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autofree char *url = NULL;
  g_autoptr(QuorumClient) client = NULL;
  g_autoptr(GError) garbage = NULL;
  g_autoptr(GError) failure = NULL;
  g_autoptr(GError) refused = NULL;
  g_autofree char *nobody_url = refused_url ();
  g_autoptr(QuorumClient) nobody = quorum_client_new (nobody_url);

  soup_server_add_handler (server, NULL, server_cb, NULL, NULL);
  url = quorum_test_soup_listen (server, 0);
  client = quorum_client_new (url);
  quorum_client_set_retry_policy (client, 1, 10, 10);
  quorum_client_set_retry_policy (nobody, 1, 10, 10);

  current = (Answer) { 200, "application/json", "{\"id\": oops}", -1, NULL };
  garbage = get_me_error (client);
  g_assert_error (garbage, QUORUM_API_ERROR, QUORUM_API_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (quorum_api_error_get_detail (garbage));
  g_assert_nonnull (strstr (quorum_api_error_get_detail (garbage), "oops"));

  current = (Answer) { 500, "text/html", "<html>boom</html>", -1, NULL };
  failure = get_me_error (client);
  g_assert_error (failure, QUORUM_API_ERROR, QUORUM_API_ERROR_SERVER);
  g_assert_cmpstr (quorum_api_error_get_detail (failure), ==, "HTTP 500 Internal Server Error");

  refused = get_me_error (nobody);
  g_assert_error (refused, QUORUM_API_ERROR, QUORUM_API_ERROR_NETWORK);
  g_assert_nonnull (quorum_api_error_get_detail (refused));
  /* The detail survives a copy (a GTask hands on copies). */
  {
    g_autoptr(GError) copy = g_error_copy (refused);

    g_assert_cmpstr (quorum_api_error_get_detail (copy), ==, quorum_api_error_get_detail (refused));
  }
  soup_server_disconnect (server);
}

/* The context is said once, even when the reason says it too. */
static void
test_no_echo (void)
{
  g_autoptr(GError) echo = g_error_new_literal (QUORUM_API_ERROR, QUORUM_API_ERROR_NETWORK,
                                                "Could not reach the server");
  g_autoptr(GError) plain = g_error_new_literal (QUORUM_API_ERROR, QUORUM_API_ERROR_TIMEOUT,
                                                 "localhost did not answer in time");
  g_autofree char *once = quorum_error_compose ("Could not reach the server", echo);
  g_autofree char *both = quorum_error_compose ("Could not send the invitation", plain);
  g_autofree char *alone = quorum_error_compose (NULL, plain);

  g_assert_cmpstr (once, ==, "Could not reach the server");
  g_assert_cmpstr (both, ==, "Could not send the invitation: localhost did not answer in time");
  g_assert_cmpstr (alone, ==, "localhost did not answer in time");
}

/* Every "Could not …" context in the sources is in the table above. */
static void
test_contexts (void)
{
  const char *root = g_getenv ("QUORUM_SOURCE_ROOT");
  g_autofree char *src = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GRegex) literal = g_regex_new ("_\\(\"((?:Could not|Your account was created|Your password is "
                                           "changed|The keyring could not)[^\"]*)\"", 0, 0, NULL);
  g_autoptr(GRegex) joined = g_regex_new ("\"\\s*\\n\\s*\"", G_REGEX_MULTILINE, 0, NULL);
  const char *name;
  guint found = 0;

  g_assert_nonnull (root);
  src = g_build_filename (root, "src", NULL);
  dir = g_dir_open (src, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *text = NULL;
      g_autofree char *flat = NULL;
      g_autoptr(GMatchInfo) match = NULL;

      if (!g_str_has_suffix (name, ".c"))
        continue;
      path = g_build_filename (src, name, NULL);
      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      flat = g_regex_replace_literal (joined, text, -1, 0, "", 0, NULL);
      g_regex_match (literal, flat, 0, &match);
      while (g_match_info_matches (match))
        {
          g_autofree char *msgid = g_match_info_fetch (match, 1);
          gboolean known = FALSE;

          /* A whole sentence with its own reason is no context. */
          if (g_str_has_suffix (msgid, ": %s"))
            msgid[strlen (msgid) - 4] = '\0';
          if (strstr (msgid, ". ") == NULL && !g_str_has_suffix (msgid, "."))
            {
              for (guint i = 1; i < G_N_ELEMENTS (contexts); i++)
                known = known || g_str_equal (contexts[i], msgid);
              if (!known)
                g_error ("%s: the context “%s” is not in this test's table", name, msgid);
              found++;
            }
          g_match_info_next (match, NULL);
        }
    }
  g_assert_cmpuint (found, >, 10);
}

/*
 * TLS: an https address answered by something that does not speak TLS. In a
 * child, as in test-client.c: once GnuTLS is loaded, LeakSanitizer's tracer
 * crashes at exit here, so the child leaves with _exit() after its checks.
 */
static void
test_tls (void)
{
  if (g_test_subprocess ())
    {
      RawServer raw = { "HTTP/1.1 200 OK\r\n\r\nnot TLS at all", g_ptr_array_new_with_free_func (g_object_unref) };
      g_autoptr(GSocketService) service = g_socket_service_new ();
      g_autofree char *plain = raw_listen (service);
      g_autofree char *url = g_strconcat ("https", plain + strlen ("http"), NULL);
      g_autoptr(QuorumClient) client = quorum_client_new (url);
      g_autoptr(GError) error = NULL;

      g_signal_connect (service, "incoming", G_CALLBACK (raw_incoming_cb), &raw);
      g_socket_service_start (service);
      quorum_client_set_retry_policy (client, 1, 10, 10);
      error = get_me_error (client);
      g_test_message ("TLS → %s (%s)", error->message, quorum_api_error_get_detail (error));
      g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_TLS);
      g_assert_nonnull (quorum_api_error_get_detail (error));
      for (guint j = 0; j < G_N_ELEMENTS (contexts); j++)
        {
          g_autofree char *context = fill_in (contexts[j]);
          g_autofree char *sentence = quorum_error_compose (context, error);

          check_sentence (sentence, "TLS");
          if (context != NULL && !g_str_has_prefix (sentence, context))
            g_error ("TLS: “%s” lost its context", sentence);
        }
      quorum_test_child_leave ();
    }

  quorum_test_run_in_child ();
}

int
main (int   argc,
      char *argv[])
{
  quorum_test_settings_init ();  /* before anything reads settings */
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/error-words/every-error", test_every_error);
  g_test_add_func ("/error-words/tls", test_tls);
  g_test_add_func ("/error-words/plain-words", test_plain_words);
  g_test_add_func ("/error-words/detail", test_detail);
  g_test_add_func ("/error-words/no-echo", test_no_echo);
  g_test_add_func ("/error-words/contexts", test_contexts);

  return g_test_run ();
}
