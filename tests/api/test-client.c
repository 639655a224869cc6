/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-api.h"
#include "quorum-client-private.h"
#include "quorum-json-guard.h"
#include "quorum-test-child.h"
#include "quorum-test-server.h"
#include "quorum-test-wait.h"
#include "quorum-test-settings.h"

/*
 * The client against a small SoupServer inside the test: garbage answers,
 * retries, error mapping, cancellation, time-outs and TLS. The server runs in
 * the same main context as the client; each test installs its own handler.
 */

typedef struct _Fixture Fixture;
typedef void (*Handler) (Fixture           *fixture,
                         SoupServerMessage *msg,
                         const char        *path,
                         GHashTable        *query);

struct _Fixture
{
  SoupServer   *server;
  char         *url;
  Handler       handler;
  guint         requests;
  gpointer      data;
  GPtrArray    *idempotency_keys;
  GPtrArray    *paused;
  char         *last_user_agent;
  char         *last_authorization;
  QuorumClient *client;
};

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *fixture = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *key = soup_message_headers_get_one (headers, "Idempotency-Key");

  fixture->requests++;
  g_ptr_array_add (fixture->idempotency_keys, g_strdup (key != NULL ? key : ""));
  g_free (fixture->last_user_agent);
  fixture->last_user_agent = g_strdup (soup_message_headers_get_one (headers, "User-Agent"));
  g_free (fixture->last_authorization);
  fixture->last_authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));

  fixture->handler (fixture, msg, path, query);
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *content_type,
         const char        *body,
         gssize             length)
{
  soup_server_message_set_status (msg, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body,
                                      length >= 0 ? (gsize) length : strlen (body));
}

static void
drop_connection (SoupServerMessage *msg)
{
  GIOStream *stream = soup_server_message_steal_connection (msg);

  g_io_stream_close (stream, NULL, NULL);
  g_object_unref (stream);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{

  fixture->server = soup_server_new ("server-header", "quorum-test ", NULL);
  soup_server_add_handler (fixture->server, NULL, server_cb, fixture, NULL);
  fixture->url = quorum_test_soup_listen (fixture->server, 0);

  fixture->idempotency_keys = g_ptr_array_new_with_free_func (g_free);
  fixture->paused = g_ptr_array_new ();
  fixture->client = quorum_client_new (fixture->url);
  quorum_client_set_retry_policy (fixture->client, 3, 10, 2000);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  for (guint i = 0; i < fixture->paused->len; i++)
    {
      soup_server_message_set_status (g_ptr_array_index (fixture->paused, i), 500, NULL);
      soup_server_message_unpause (g_ptr_array_index (fixture->paused, i));
    }
  g_ptr_array_unref (fixture->paused);
  g_clear_object (&fixture->client);
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_free (fixture->url);
  g_ptr_array_unref (fixture->idempotency_keys);
  g_free (fixture->last_user_agent);
  g_free (fixture->last_authorization);
}

static QuorumUser *
get_me (QuorumClient  *client,
        GCancellable  *cancellable,
        GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  quorum_client_get_me_async (client, cancellable, quorum_test_store_result, &result);
  return quorum_client_get_me_finish (client, quorum_test_wait_result (&result), error);
}

#define USER_JSON \
  "{\"id\": \"usr_1\", \"name\": \"Ada\", \"email\": \"ada@demo.quorum.test\", \"created_at\": \"2026-11-22T10:43:14Z\"}"

/* Garbage */

typedef struct
{
  const char *name;
  guint       status;
  const char *content_type;
  char       *body;
  gssize      length;
  QuorumApiError expected;
} Garbage;

static void
garbage_handler (Fixture           *fixture,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query)
{
  Garbage *garbage = fixture->data;

  respond (msg, garbage->status, garbage->content_type, garbage->body, garbage->length);
}

/* Each case answers GET /me; each must fail with its error, and a short,
 * valid message. Frees the bodies. */
static void
assert_refused (Fixture *fixture,
                Garbage *cases,
                gsize    n_cases)
{
  fixture->handler = garbage_handler;
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(QuorumUser) user = NULL;

      g_test_message ("case: %s", cases[i].name);
      fixture->data = &cases[i];
      user = get_me (fixture->client, NULL, &error);
      g_assert_null (user);
      g_assert_error (error, QUORUM_API_ERROR, (gint) cases[i].expected);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_cmpuint (strlen (error->message), <, 1000);
      g_clear_pointer (&cases[i].body, g_free);
    }
}

static void
test_garbage (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *huge_string = g_strnfill (10 * 1024 * 1024, 'a');
  g_autofree char *huge_json = g_strdup_printf ("{\"id\": \"usr_1\", \"name\": \"%s\", \"email\": \"a@b.c\", "
                                                "\"created_at\": \"2026-11-22T10:43:14Z\"}", huge_string);
  g_autofree char *big_name = g_strnfill (2 * 1024 * 1024, 'b');
  g_autofree char *big_json = g_strdup_printf ("{\"id\": \"usr_1\", \"name\": \"%s\", \"email\": \"a@b.c\", "
                                               "\"created_at\": \"2026-11-22T10:43:14Z\"}", big_name);
  g_autofree char *deep = g_strnfill (200000, '[');
  Garbage cases[] = {
    { "truncated JSON", 200, "application/json", g_strdup ("{\"id\": \"usr_1\", \"name\": \"Ad"), -1, QUORUM_API_ERROR_INVALID_RESPONSE },
    { "wrong types", 200, "application/json", g_strdup ("{\"id\": 7, \"name\": [], \"email\": {}, \"created_at\": false}"), -1, QUORUM_API_ERROR_INVALID_RESPONSE },
    { "array", 200, "application/json", g_strdup ("[" USER_JSON "]"), -1, QUORUM_API_ERROR_INVALID_RESPONSE },
    { "10 MB string", 200, "application/json", g_strdup (huge_json), -1, QUORUM_API_ERROR_INVALID_RESPONSE },
    { "2 MB name", 200, "application/json", g_strdup (big_json), -1, QUORUM_API_ERROR_INVALID_RESPONSE },
    { "deep nesting", 200, "application/json", g_strdup (deep), -1, QUORUM_API_ERROR_INVALID_RESPONSE },
    { "invalid UTF-8", 200, "application/json", g_strdup ("{\"id\": \"usr_1\", \"name\": \"\xff\xfe\", \"email\": \"a@b.c\", \"created_at\": \"2026-11-22T10:43:14Z\"}"), -1, QUORUM_API_ERROR_INVALID_RESPONSE },
    { "NUL byte", 200, "application/json", g_memdup2 ("{\"id\": \"usr\0_1\"}", 17), 17, QUORUM_API_ERROR_INVALID_RESPONSE },
    { "empty body", 200, "application/json", g_strdup (""), -1, QUORUM_API_ERROR_INVALID_RESPONSE },
    { "HTML page with 200", 200, "text/html", g_strdup ("<html><body>Welcome to nginx!</body></html>"), -1, QUORUM_API_ERROR_INVALID_RESPONSE },
    { "HTML error page", 500, "text/html", g_strdup ("<html><body><h1>500 Internal Server Error</h1></body></html>"), -1, QUORUM_API_ERROR_SERVER },
    { "HTML 404", 404, "text/html", g_strdup ("<html>Not here</html>"), -1, QUORUM_API_ERROR_NOT_FOUND },
    { "problem with wrong types", 409, "application/problem+json", g_strdup ("{\"code\": 5, \"detail\": [\"x\"]}"), -1, QUORUM_API_ERROR_CONFLICT },
    { "truncated problem", 409, "application/problem+json", g_strdup ("{\"code\": \"slug_tak"), -1, QUORUM_API_ERROR_CONFLICT },
  };

  quorum_client_set_retry_policy (fixture->client, 1, 10, 10);
  assert_refused (fixture, cases, G_N_ELEMENTS (cases));
}

/* The response guard is the server's request guard (src/core): a fake server
 * answering deeply nested JSON or a name with an escaped NUL, which json-glib
 * would cut short ("Ada\u0000 (admin)" read as "Ada"). */
static void
test_json_guard (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *million = g_strnfill (1000 * 1000, '[');
  g_autoptr(GString) at_limit = g_string_new ("{\"id\": \"usr_1\", \"name\": \"Ada\", \"email\": \"a@b.c\", "
                                              "\"created_at\": \"2026-11-22T10:43:14Z\", \"extra\": ");
  g_autoptr(GString) past_limit = NULL;
  Garbage cases[] = {
    { "a million brackets", 200, "application/json", g_steal_pointer (&million), -1, QUORUM_API_ERROR_INVALID_RESPONSE },
    { "escaped NUL in a name", 200, "application/json",
      g_strdup ("{\"id\": \"usr_1\", \"name\": \"Ada\\u0000 (admin)\", \"email\": \"a@b.c\", "
                "\"created_at\": \"2026-11-22T10:43:14Z\"}"), -1, QUORUM_API_ERROR_INVALID_RESPONSE },
    { NULL, 200, "application/json", NULL, -1, QUORUM_API_ERROR_INVALID_RESPONSE },
  };
  guint n_cases = G_N_ELEMENTS (cases) - 1;

  /* 63 levels below the top object: 64 in all, the limit, still read. */
  for (guint i = 0; i < QUORUM_JSON_MAX_DEPTH - 1; i++)
    g_string_append_c (at_limit, '[');
  for (guint i = 0; i < QUORUM_JSON_MAX_DEPTH - 1; i++)
    g_string_append_c (at_limit, ']');
  g_string_append_c (at_limit, '}');

  quorum_client_set_retry_policy (fixture->client, 1, 10, 10);
  fixture->handler = garbage_handler;

  {
    Garbage ok = { "at the limit", 200, "application/json", at_limit->str, -1, 0 };
    g_autoptr(GError) error = NULL;
    g_autoptr(QuorumUser) user = NULL;

    fixture->data = &ok;
    user = get_me (fixture->client, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (quorum_user_get_name (user), ==, "Ada");
  }

  past_limit = g_string_new (at_limit->str);
  g_string_insert (past_limit, past_limit->len - 1 - (QUORUM_JSON_MAX_DEPTH - 1), "[");
  g_string_insert (past_limit, past_limit->len - 1, "]");
  cases[n_cases].name = "one level past the limit";
  cases[n_cases].body = g_strdup (past_limit->str);

  assert_refused (fixture, cases, G_N_ELEMENTS (cases));
}

/* /me/invitations items must say which organization they are for. */
static void
my_invitations_handler (Fixture           *fixture,
                        SoupServerMessage *msg,
                        const char        *path,
                        GHashTable        *query)
{
  respond (msg, 200, "application/json",
           "{\"items\": [{\"id\": \"inv_1\", \"email\": \"bob@example.org\", \"role\": \"member\", "
           "\"status\": \"pending\", \"invited_by\": {\"id\": \"usr_1\", \"name\": \"Ada\"}, "
           "\"created_at\": \"2026-11-22T10:43:14Z\", \"expires_at\": \"2026-11-29T10:43:14Z\", "
           "\"last_sent_at\": null, \"send_count\": 1}], \"next_cursor\": null, \"total\": 1}", -1);
}

static void
test_my_invitation_without_organization (Fixture       *fixture,
                                         gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) invitations = NULL;

  fixture->handler = my_invitations_handler;
  quorum_client_list_my_invitations_async (fixture->client, NULL, quorum_test_store_result, &result);
  invitations = quorum_client_list_my_invitations_finish (fixture->client, quorum_test_wait_result (&result), &error);
  g_assert_null (invitations);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVALID_RESPONSE);
}

/* Retries */

static void
flaky_handler (Fixture           *fixture,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query)
{
  guint failures = GPOINTER_TO_UINT (fixture->data);

  if (fixture->requests <= failures)
    respond (msg, 503, "text/html", "<html>Service Unavailable</html>", -1);
  else if (g_str_equal (path, "/v1/me"))
    respond (msg, 200, "application/json", USER_JSON, -1);
  else
    respond (msg, 201, "application/json",
             "{\"id\": \"inv_1\", \"email\": \"bob@example.org\", \"role\": \"member\", \"status\": \"pending\", "
             "\"invited_by\": {\"id\": \"usr_1\", \"name\": \"Ada\"}, \"created_at\": \"2026-11-22T10:43:14Z\", "
             "\"expires_at\": \"2026-11-29T10:43:14Z\", \"last_sent_at\": \"2026-11-22T10:43:14Z\", \"send_count\": 1}", -1);
}

static void
test_retry_503 (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) user = NULL;

  fixture->handler = flaky_handler;
  fixture->data = GUINT_TO_POINTER (2);

  user = get_me (fixture->client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (quorum_user_get_name (user), ==, "Ada");
  g_assert_cmpuint (fixture->requests, ==, 3);
}

static void
test_retry_gives_up (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) user = NULL;

  fixture->handler = flaky_handler;
  fixture->data = GUINT_TO_POINTER (100);

  user = get_me (fixture->client, NULL, &error);
  g_assert_null (user);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_SERVER);
  g_assert_cmpuint (quorum_api_error_get_http_status (error), ==, 503);
  g_assert_cmpuint (fixture->requests, ==, 3);
}

static void
test_no_retry_plain_post (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) user = NULL;

  fixture->handler = flaky_handler;
  fixture->data = GUINT_TO_POINTER (100);

  quorum_client_sign_in_async (fixture->client, "ada@demo.quorum.test", "quorum-demo", NULL,
                               quorum_test_store_result, &result);
  user = quorum_client_sign_in_finish (fixture->client, quorum_test_wait_result (&result), NULL, &error);
  g_assert_null (user);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_SERVER);
  g_assert_cmpuint (fixture->requests, ==, 1);
}

static void
test_retry_post_with_idempotency_key (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumInvitation) invitation = NULL;

  fixture->handler = flaky_handler;
  fixture->data = GUINT_TO_POINTER (2);

  quorum_client_create_invitation_async (fixture->client, "org_1", "bob@example.org", QUORUM_ROLE_MEMBER,
                                         NULL, NULL, quorum_test_store_result, &result);
  invitation = quorum_client_create_invitation_finish (fixture->client, quorum_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (quorum_invitation_get_email (invitation), ==, "bob@example.org");
  g_assert_cmpuint (fixture->requests, ==, 3);

  /* The same key on every try, so the server can answer the first result. */
  g_assert_cmpuint (strlen (g_ptr_array_index (fixture->idempotency_keys, 0)), >, 0);
  g_assert_cmpstr (g_ptr_array_index (fixture->idempotency_keys, 0), ==,
                   g_ptr_array_index (fixture->idempotency_keys, 1));
  g_assert_cmpstr (g_ptr_array_index (fixture->idempotency_keys, 0), ==,
                   g_ptr_array_index (fixture->idempotency_keys, 2));
}

static void
dropping_handler (Fixture           *fixture,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query)
{
  if (fixture->requests <= GPOINTER_TO_UINT (fixture->data))
    drop_connection (msg);
  else
    respond (msg, 200, "application/json", USER_JSON, -1);
}

static void
test_retry_dropped_connection (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) user = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  fixture->handler = dropping_handler;
  fixture->data = GUINT_TO_POINTER (2);

  user = get_me (fixture->client, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (user);
  g_assert_cmpuint (fixture->requests, ==, 3);

  /* A plain POST whose connection drops is not sent again. */
  fixture->requests = 0;
  fixture->data = GUINT_TO_POINTER (100);
  g_clear_object (&user);
  quorum_client_sign_in_async (fixture->client, "ada@demo.quorum.test", "quorum-demo", NULL,
                               quorum_test_store_result, &result);
  user = quorum_client_sign_in_finish (fixture->client, quorum_test_wait_result (&result), NULL, &error);
  g_assert_null (user);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_NETWORK);
  g_assert_cmpuint (fixture->requests, ==, 1);
}

static void
test_connection_refused (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) user = NULL;
  g_autoptr(QuorumClient) client = NULL;
  g_autofree char *url = g_strdup (fixture->url);

  /* Nothing listens on the port once the server is gone. */
  soup_server_disconnect (fixture->server);
  client = quorum_client_new (url);
  quorum_client_set_retry_policy (client, 2, 10, 10);

  user = get_me (client, NULL, &error);
  g_assert_null (user);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_NETWORK);
}

static void
rate_limit_handler (Fixture           *fixture,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query)
{
  if (fixture->requests == 1)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", fixture->data);
      respond (msg, 429, "application/problem+json",
               "{\"type\": \"about:blank\", \"title\": \"Too Many Requests\", \"status\": 429, "
               "\"code\": \"rate_limited\", \"detail\": \"Slow down\"}", -1);
    }
  else
    respond (msg, 200, "application/json", USER_JSON, -1);
}

static void
test_rate_limited (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) user = NULL;
  gint64 start = g_get_monotonic_time ();

  fixture->handler = rate_limit_handler;

  /* A short Retry-After is honoured: the second try waits for it. */
  fixture->data = (gpointer) "1";
  user = get_me (fixture->client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->requests, ==, 2);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC);

  /* A long one is not waited for: the caller learns how long. */
  g_clear_object (&user);
  fixture->requests = 0;
  fixture->data = (gpointer) "3600";
  user = get_me (fixture->client, NULL, &error);
  g_assert_null (user);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_RATE_LIMITED);
  g_assert_cmpuint (quorum_api_error_get_retry_after (error), ==, 3600);
  g_assert_cmpstr (error->message, ==, "Slow down");
  g_assert_cmpuint (fixture->requests, ==, 1);
}

/* Errors the contract defines */

static void
problem_handler (Fixture           *fixture,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query)
{
  respond (msg, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (fixture->client), "status")),
           "application/problem+json", fixture->data, -1);
}

static void
test_problem_details (Fixture       *fixture,
                      gconstpointer  data)
{
  const struct { guint status; const char *code; QuorumApiError error; } cases[] = {
    { 409, "already_member", QUORUM_API_ERROR_ALREADY_MEMBER },
    { 409, "slug_taken", QUORUM_API_ERROR_SLUG_TAKEN },
    { 412, "precondition_failed", QUORUM_API_ERROR_PRECONDITION_FAILED },
    { 403, "forbidden", QUORUM_API_ERROR_FORBIDDEN },
    { 403, "member_suspended", QUORUM_API_ERROR_MEMBER_SUSPENDED },
    { 404, "not_found", QUORUM_API_ERROR_NOT_FOUND },
    { 410, "invitation_expired", QUORUM_API_ERROR_INVITATION_EXPIRED },
    { 413, "payload_too_large", QUORUM_API_ERROR_PAYLOAD_TOO_LARGE },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) user = NULL;
  const char * const *fields;

  fixture->handler = problem_handler;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"type\": \"about:blank\", \"title\": \"Conflict\", "
                                               "\"status\": %u, \"code\": \"%s\", \"detail\": \"Detail %u\"}",
                                               cases[i].status, cases[i].code, i);
      g_autofree char *detail = g_strdup_printf ("Detail %u", i);

      g_object_set_data (G_OBJECT (fixture->client), "status", GUINT_TO_POINTER (cases[i].status));
      fixture->data = body;
      user = get_me (fixture->client, NULL, &error);
      g_assert_null (user);
      g_assert_error (error, QUORUM_API_ERROR, (gint) cases[i].error);
      g_assert_cmpstr (error->message, ==, detail);
      g_assert_cmpstr (quorum_api_error_get_code_string (error), ==, cases[i].code);
      g_assert_cmpuint (quorum_api_error_get_http_status (error), ==, cases[i].status);
      g_clear_error (&error);
    }

  /* 422 carries the fields the server rejected. */
  g_object_set_data (G_OBJECT (fixture->client), "status", GUINT_TO_POINTER (422));
  fixture->data = (gpointer) "{\"title\": \"Invalid\", \"status\": 422, \"code\": \"validation_failed\", "
                             "\"detail\": \"Check the form\", \"errors\": [{\"field\": \"slug\", \"code\": \"invalid\", "
                             "\"message\": \"Use a-z, 0-9 and hyphens\"}, 42, {\"field\": 7}]}";
  user = get_me (fixture->client, NULL, &error);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_VALIDATION);
  fields = quorum_api_error_get_fields (error);
  g_assert_nonnull (fields);
  g_assert_cmpuint (g_strv_length ((char **) fields), ==, 1);
  g_assert_cmpstr (fields[0], ==, "slug");
  g_assert_cmpstr (quorum_api_error_get_field_message (error, "slug"), ==, "Use a-z, 0-9 and hyphens");
  g_assert_null (quorum_api_error_get_field_message (error, "name"));
}

static void
unauthorized_handler (Fixture           *fixture,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query)
{
  respond (msg, 401, "application/problem+json",
           "{\"status\": 401, \"code\": \"unauthenticated\", \"detail\": \"Sign in again\"}", -1);
}

static void
count_cb (QuorumClient *client,
          guint        *count)
{
  (*count)++;
}

static void
test_unauthenticated (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) user = NULL;
  guint emitted = 0;

  fixture->handler = unauthorized_handler;
  g_signal_connect (fixture->client, "unauthenticated", G_CALLBACK (count_cb), &emitted);
  quorum_client_set_token (fixture->client, "qrm_s_expired");
  g_assert_true (quorum_client_get_signed_in (fixture->client));

  user = get_me (fixture->client, NULL, &error);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_UNAUTHENTICATED);
  g_assert_cmpstr (fixture->last_authorization, ==, "Bearer qrm_s_expired");
  g_assert_cmpuint (emitted, ==, 1);
  g_assert_false (quorum_client_get_signed_in (fixture->client));

  /* No token, no request to blame it on: no second signal. */
  g_clear_error (&error);
  user = get_me (fixture->client, NULL, &error);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_UNAUTHENTICATED);
  g_assert_null (fixture->last_authorization);
  g_assert_cmpuint (emitted, ==, 1);
}

static void
test_headers (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) user = NULL;
  g_autofree char *agent = g_strdup_printf ("Quorum/%s", PACKAGE_VERSION);

  fixture->handler = flaky_handler;
  fixture->data = GUINT_TO_POINTER (0);
  quorum_client_set_token (fixture->client, "qrm_s_abc");

  user = get_me (fixture->client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fixture->last_user_agent, ==, agent);
  g_assert_cmpstr (fixture->last_authorization, ==, "Bearer qrm_s_abc");
  /* A GET carries no idempotency key; it needs none. */
  g_assert_cmpstr (g_ptr_array_index (fixture->idempotency_keys, 0), ==, "");
}

/* Cancellation, time-outs, TLS */

static void
pause_handler (Fixture           *fixture,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query)
{
  soup_server_message_pause (msg);
  g_ptr_array_add (fixture->paused, msg);
}

static void
test_cancel_in_flight (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) user = NULL;

  fixture->handler = pause_handler;
  quorum_client_get_me_async (fixture->client, cancellable, quorum_test_store_result, &result);

  quorum_test_wait_for (fixture->requests > 0, QUORUM_TEST_WAIT_SECONDS);
  g_cancellable_cancel (cancellable);

  user = quorum_client_get_me_finish (fixture->client, quorum_test_wait_result (&result), &error);
  g_assert_null (user);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_cancel_during_backoff (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) user = NULL;
  gint64 start;

  /* A long back-off; cancelling must not wait for it. */
  quorum_client_set_retry_policy (fixture->client, 3, 60000, 60000);
  fixture->handler = flaky_handler;
  fixture->data = GUINT_TO_POINTER (100);
  quorum_client_get_me_async (fixture->client, cancellable, quorum_test_store_result, &result);

  quorum_test_wait_for (fixture->requests > 0, QUORUM_TEST_WAIT_SECONDS);
  /* Let the client read the 503 and start waiting. */
  quorum_test_iterate (50);

  start = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  user = quorum_client_get_me_finish (fixture->client, quorum_test_wait_result (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (fixture->requests, ==, 1);
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 1, NULL);
  g_autoptr(QuorumClient) client = quorum_client_new_for_session (fixture->url, session);
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) user = NULL;

  quorum_client_set_retry_policy (client, 3, 10, 10);
  fixture->handler = pause_handler;

  user = get_me (client, NULL, &error);
  g_assert_null (user);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_TIMEOUT);
  /* Waiting again would only make the user wait longer. */
  g_assert_cmpuint (fixture->requests, ==, 1);
}

static void
check_tls_not_ignored (Fixture *fixture)
{
  g_autofree char *pem = g_build_filename (g_getenv ("QUORUM_SOURCE_ROOT"), "tests", "api",
                                           "self-signed.pem", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_file (pem, &error);
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(QuorumClient) client = NULL;
  g_autoptr(QuorumUser) user = NULL;
  g_autofree char *url = NULL;

  g_assert_no_error (error);
  server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (server, NULL, server_cb, fixture, NULL);
  url = quorum_test_soup_listen (server, SOUP_SERVER_LISTEN_HTTPS);

  fixture->handler = flaky_handler;
  fixture->data = GUINT_TO_POINTER (0);
  client = quorum_client_new (url);
  quorum_client_set_token (client, "qrm_s_secret");

  user = get_me (client, NULL, &error);
  g_assert_null (user);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_TLS);
  /* The request never reached the handler: the token was not sent. */
  g_assert_cmpuint (fixture->requests, ==, 0);
  soup_server_disconnect (server);
}

/*
 * In a child process: once GnuTLS has been loaded, LeakSanitizer's tracer
 * crashes at exit in this environment (whatever leaks), so the child leaves
 * with _exit() after its assertions, and the parent checks it passed.
 */
static void
test_tls_not_ignored (Fixture       *fixture,
                      gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      check_tls_not_ignored (fixture);
      quorum_test_child_leave ();
    }

  quorum_test_run_in_child ();
}

static void
test_bad_base_url (void)
{
  g_autoptr(QuorumClient) client = quorum_client_new ("not a url");
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) user = get_me (client, NULL, &error);

  g_assert_null (user);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_NETWORK);
}

/* Server text shown to users */

static void
test_display_text (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) user = NULL;
  g_autoptr(GString) long_detail = g_string_new (NULL);
  g_autofree char *body = NULL;
  g_autofree char *shown = NULL;

  /* Bidi overrides, isolates, zero-width and separators reorder or hide
   * the app's own words; newlines and tabs draw fake layouts. */
  shown = quorum_api_text_for_display ("Wrong\u202E drowssap\u202C \u2066x\u2069\u200B\u2028\n\n\tCall\x7f "
                                       "+1 555\xc2\x85 now");
  g_assert_cmpstr (shown, ==, "Wrong drowssap x Call +1 555 now");
  g_clear_pointer (&shown, g_free);
  shown = quorum_api_text_for_display ("bad \xff utf-8");
  g_assert_true (g_utf8_validate (shown, -1, NULL));
  g_clear_pointer (&shown, g_free);

  for (guint i = 0; i < 1000; i++)
    g_string_append (long_detail, "Ω");
  shown = quorum_api_text_for_display (long_detail->str);
  g_assert_cmpuint (g_utf8_strlen (shown, -1), ==, QUORUM_API_DISPLAY_MAX_CHARS + 1);
  g_assert_true (g_str_has_suffix (shown, "Ω…"));

  /* The same rule on what the client hands to the UI. */
  fixture->handler = problem_handler;
  g_object_set_data (G_OBJECT (fixture->client), "status", GUINT_TO_POINTER (422));
  body = g_strdup_printf ("{\"title\": \"Invalid\", \"status\": 422, \"code\": \"validation_failed\", "
                          "\"detail\": \"Session ended\\u202e\\u2066 Enter your password at evil.example %s\", "
                          "\"errors\": [{\"field\": \"name\", \"code\": \"invalid\", "
                          "\"message\": \"Bad\\u2028name\\u202e\"}]}", long_detail->str);
  fixture->data = body;
  user = get_me (fixture->client, NULL, &error);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_VALIDATION);
  g_assert_true (g_str_has_prefix (error->message, "Session ended Enter your password at evil.example ΩΩ"));
  g_assert_cmpuint (g_utf8_strlen (error->message, -1), ==, QUORUM_API_DISPLAY_MAX_CHARS + 1);
  g_assert_true (g_str_has_suffix (error->message, "…"));
  g_assert_cmpstr (quorum_api_error_get_field_message (error, "name"), ==, "Bad name");
}

/* Redirects and plain http */

typedef struct
{
  guint  requests;
  char  *authorization;
  char  *body;
} Recorder;

static void
recorder_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  Recorder *recorder = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");

  recorder->requests++;
  if (authorization != NULL)
    {
      g_free (recorder->authorization);
      recorder->authorization = g_strdup (authorization);
    }
  if (body->length > 0)
    {
      g_free (recorder->body);
      recorder->body = g_strndup (body->data, body->length);
    }
  respond (msg, 200, "application/json", USER_JSON, -1);
}

static void
redirect_handler (Fixture           *fixture,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query)
{
  g_autofree char *location = g_strconcat (fixture->data, path, NULL);

  soup_server_message_set_redirect (msg, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (fixture->client),
                                                                              "status")),
                                    location);
}

static void
test_redirect_to_other_origin (Fixture       *fixture,
                               gconstpointer  data)
{
  const guint statuses[] = { 301, 302, 303, 307, 308 };
  g_autoptr(SoupServer) other = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  Recorder recorder = { 0 };

  /* The second server: another port, so another origin. */
  soup_server_add_handler (other, NULL, recorder_cb, &recorder, NULL);
  fixture->data = quorum_test_soup_listen (other, 0);

  fixture->handler = redirect_handler;
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(QuorumUser) user = NULL;
      g_autofree char *token = NULL;

      g_object_set_data (G_OBJECT (fixture->client), "status", GUINT_TO_POINTER (statuses[i]));

      quorum_client_set_token (fixture->client, "qrm_s_secret");
      user = get_me (fixture->client, NULL, &error);
      g_assert_null (user);
      g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_REDIRECT);
      g_clear_error (&error);

      /* A password in a body must not follow a 307/308 either. */
      quorum_client_sign_in_async (fixture->client, "ada@demo.quorum.test", "the-password",
                                   NULL, quorum_test_store_result, &result);
      user = quorum_client_sign_in_finish (fixture->client, quorum_test_wait_result (&result), &token, &error);
      g_assert_null (user);
      g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_REDIRECT);
      g_clear_error (&error);
    }

  g_assert_null (recorder.authorization);
  g_assert_null (recorder.body);
  g_assert_cmpuint (recorder.requests, ==, 0);

  soup_server_disconnect (other);
  g_free (fixture->data);
  fixture->data = NULL;
  g_free (recorder.authorization);
  g_free (recorder.body);
}

static void
test_insecure_url (void)
{
  const struct { const char *url; gboolean insecure; } cases[] = {
    { "https://quorum.example.org", FALSE },
    { "https://192.0.2.7:8443", FALSE },
    { "http://127.0.0.1:8080", FALSE },
    { "http://127.1.2.3", FALSE },
    { "http://[::1]:8080", FALSE },
    { "http://localhost:8080", FALSE },
    { "http://LocalHost", FALSE },
    { "HTTP://quorum.example.org", TRUE },
    { "http://quorum.example.org", TRUE },
    { "http://192.168.1.10:8080", TRUE },
    { "http://[::ffff:127.0.0.1]", TRUE },
    { "http://127.0.0.1.example.org", TRUE },
    { "http://localhost.example.org", TRUE },
    { "http://0.0.0.0:8080", TRUE },
    { "ftp://127.0.0.1", TRUE },
    { "not a url", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].url);
      g_assert_cmpint (quorum_client_url_is_insecure (cases[i].url), ==, cases[i].insecure);
    }
}

/* Plain http to another computer: the test reaches it through a proxy that
 * is the fixture's server, so nothing really leaves this computer. */
static void
test_insecure_refused (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GProxyResolver) proxy = g_simple_proxy_resolver_new (fixture->url, NULL);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", proxy, NULL);
  g_autoptr(QuorumClient) client = quorum_client_new_for_session ("http://quorum.example.org", session);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) user = NULL;
  g_autofree char *token = NULL;

  fixture->handler = flaky_handler;
  fixture->data = GUINT_TO_POINTER (0);
  quorum_client_set_retry_policy (client, 1, 10, 10);

  quorum_client_sign_in_async (client, "ada@demo.quorum.test", "the-password", NULL, quorum_test_store_result, &result);
  user = quorum_client_sign_in_finish (client, quorum_test_wait_result (&result), &token, &error);
  g_assert_null (user);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INSECURE);
  g_clear_error (&error);

  quorum_client_set_token (client, "qrm_s_secret");
  user = get_me (client, NULL, &error);
  g_assert_null (user);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INSECURE);
  g_clear_error (&error);
  g_assert_cmpuint (fixture->requests, ==, 0);

  /* The explicit choice of the user lets it through. */
  quorum_client_set_allow_insecure (client, TRUE);
  user = get_me (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (user);
  g_assert_cmpuint (fixture->requests, ==, 1);
  g_assert_cmpstr (fixture->last_authorization, ==, "Bearer qrm_s_secret");
}

/* Prefetch */

static void
me_handler (Fixture           *fixture,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query)
{
  if (fixture->data != NULL && fixture->requests == 1)
    respond (msg, 500, "text/html", "<html>boom</html>", -1);
  else
    respond (msg, 200, "application/json", USER_JSON, -1);
}

static void
prefetch_me (QuorumClient *client)
{
  quorum_client_prefetch_begin (client);
  quorum_client_get_me_async (client, NULL, NULL, NULL);
  quorum_client_prefetch_end (client);
}

static void
wait_prefetched (QuorumClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  quorum_client_wait_prefetched_async (client, NULL, quorum_test_store_result, &result);
  g_assert_true (quorum_client_wait_prefetched_finish (client, quorum_test_wait_result (&result), &error));
  g_assert_no_error (error);
}

/* A prefetched answer serves the next identical request, once. */
static void
test_prefetch_once (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) first = NULL;
  g_autoptr(QuorumUser) second = NULL;

  fixture->handler = me_handler;
  quorum_client_set_token (fixture->client, "qrm_s_one");
  prefetch_me (fixture->client);
  prefetch_me (fixture->client);  /* the same again: not asked twice */
  wait_prefetched (fixture->client);
  g_assert_cmpuint (fixture->requests, ==, 1);

  first = get_me (fixture->client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (quorum_user_get_name (first), ==, "Ada");
  g_assert_cmpuint (fixture->requests, ==, 1);

  second = get_me (fixture->client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->requests, ==, 2);
}

/* A request made while the prefetch is out waits for it; one that is
 * cancelled meanwhile returns at once. */
static void
test_prefetch_joins (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GAsyncResult) joined = NULL;
  g_autoptr(GAsyncResult) cancelled = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) user = NULL;
  SoupServerMessage *msg;

  fixture->handler = pause_handler;
  prefetch_me (fixture->client);
  quorum_test_wait_for (fixture->paused->len == 1, QUORUM_TEST_WAIT_SECONDS);

  quorum_client_get_me_async (fixture->client, NULL, quorum_test_store_result, &joined);
  quorum_client_get_me_async (fixture->client, cancellable, quorum_test_store_result, &cancelled);
  g_cancellable_cancel (cancellable);
  user = quorum_client_get_me_finish (fixture->client, quorum_test_wait_result (&cancelled), &error);
  g_assert_null (user);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_null (joined);

  msg = g_ptr_array_steal_index (fixture->paused, 0);
  respond (msg, 200, "application/json", USER_JSON, -1);
  soup_server_message_unpause (msg);
  user = quorum_client_get_me_finish (fixture->client, quorum_test_wait_result (&joined), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (quorum_user_get_name (user), ==, "Ada");
  g_assert_cmpuint (fixture->requests, ==, 1);
}

/* Never handed to another token; a failed prefetch keeps nothing. */
static void
test_prefetch_not_kept (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) user = NULL;
  g_autoptr(QuorumUser) again = NULL;

  fixture->handler = me_handler;
  quorum_client_set_token (fixture->client, "qrm_s_one");
  prefetch_me (fixture->client);
  wait_prefetched (fixture->client);
  quorum_client_set_token (fixture->client, "qrm_s_two");
  user = get_me (fixture->client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->requests, ==, 2);
  g_assert_cmpstr (fixture->last_authorization, ==, "Bearer qrm_s_two");

  /* The prefetch meets a 500: the request asks again and succeeds. */
  fixture->requests = 0;
  fixture->data = GUINT_TO_POINTER (1);
  prefetch_me (fixture->client);
  wait_prefetched (fixture->client);
  g_assert_cmpuint (fixture->requests, ==, 1);
  again = get_me (fixture->client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->requests, ==, 2);
}

/* Documents (the invoice PDF) are streamed to the caller's stream: the type
 * is checked before a byte is written, the cap holds with and without a
 * Content-Length, and an error answer is read as usual. */
typedef struct
{
  guint       status;
  const char *content_type;
  gsize       size;
  gboolean    chunked;
} Document;

static void
document_handler (Fixture           *fixture,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query)
{
  Document *document = fixture->data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  g_autofree char *data = NULL;

  if (document->status != 200)
    {
      respond (msg, document->status, "application/problem+json",
               "{\"type\": \"about:blank\", \"title\": \"Not found\", \"status\": 404, "
               "\"code\": \"invoice_not_found\", \"detail\": \"No such invoice\"}", -1);
      return;
    }

  data = g_malloc (document->size);
  memcpy (data, "%PDF-", 5);
  memset (data + 5, 'x', document->size - 5);
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_content_type (headers, document->content_type, NULL);
  if (document->chunked)
    {
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      for (gsize at = 0; at < document->size; at += 1000)
        soup_message_body_append (body, SOUP_MEMORY_COPY, data + at, MIN (1000, document->size - at));
      soup_message_body_complete (body);
    }
  else
    soup_message_body_append (body, SOUP_MEMORY_COPY, data, document->size);
}

static void
test_document_streamed (Fixture       *fixture,
                        gconstpointer  data)
{
  const struct { Document document; gsize max_bytes; gssize expected; QuorumApiError error; } cases[] = {
    { { 200, "application/pdf", 3000, TRUE }, 0, 3000, 0 },
    { { 200, "application/pdf", 3000, FALSE }, 0, 3000, 0 },
    { { 200, "application/pdf", 3000, TRUE }, 2048, -1, QUORUM_API_ERROR_INVALID_RESPONSE },
    { { 200, "application/pdf", 3000, FALSE }, 2048, -1, QUORUM_API_ERROR_INVALID_RESPONSE },
    { { 200, "text/html", 3000, FALSE }, 0, -1, QUORUM_API_ERROR_INVALID_RESPONSE },
    { { 404, NULL, 0, FALSE }, 0, -1, QUORUM_API_ERROR_NOT_FOUND },
  };

  fixture->handler = document_handler;
  quorum_client_set_token (fixture->client, "qrm_s_test");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      gsize written;
      gssize size;

      g_test_message ("case %u", i);
      fixture->data = (gpointer) &cases[i].document;
      quorum_client_download_invoice_pdf_async (fixture->client, "org_1", "ivc_1", sink, cases[i].max_bytes,
                                                NULL, quorum_test_store_result, &result);
      size = quorum_client_download_invoice_pdf_finish (fixture->client, quorum_test_wait_result (&result), &error);
      written = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (sink));

      g_assert_cmpint (size, ==, cases[i].expected);
      if (cases[i].expected >= 0)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (written, ==, (gsize) size);
          g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (sink)), 5, "%PDF-", 5);
        }
      else
        {
          g_assert_error (error, QUORUM_API_ERROR, (gint) cases[i].error);
          /* Never past the cap; nothing at all for a refused type or an error. */
          g_assert_cmpuint (written, <=, cases[i].max_bytes);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  quorum_test_settings_init ();  /* before anything reads settings */
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/api/client/garbage", test_garbage);
  ADD ("/api/client/json-guard", test_json_guard);
  ADD ("/api/client/my-invitation-without-organization", test_my_invitation_without_organization);
  ADD ("/api/client/retry/503-then-200", test_retry_503);
  ADD ("/api/client/retry/gives-up", test_retry_gives_up);
  ADD ("/api/client/retry/no-retry-of-plain-post", test_no_retry_plain_post);
  ADD ("/api/client/retry/post-with-idempotency-key", test_retry_post_with_idempotency_key);
  ADD ("/api/client/retry/dropped-connection", test_retry_dropped_connection);
  ADD ("/api/client/retry/connection-refused", test_connection_refused);
  ADD ("/api/client/retry/rate-limited", test_rate_limited);
  ADD ("/api/client/errors/problem-details", test_problem_details);
  ADD ("/api/client/errors/unauthenticated", test_unauthenticated);
  ADD ("/api/client/headers", test_headers);
  ADD ("/api/client/cancel/in-flight", test_cancel_in_flight);
  ADD ("/api/client/cancel/during-backoff", test_cancel_during_backoff);
  ADD ("/api/client/timeout", test_timeout);
  ADD ("/api/client/tls-not-ignored", test_tls_not_ignored);
  g_test_add_func ("/api/client/bad-base-url", test_bad_base_url);
  ADD ("/api/client/errors/display-text", test_display_text);
  ADD ("/api/client/redirect/never-to-another-origin", test_redirect_to_other_origin);
  g_test_add_func ("/api/client/insecure/url", test_insecure_url);
  ADD ("/api/client/insecure/refused-unless-chosen", test_insecure_refused);
  ADD ("/api/client/prefetch/once", test_prefetch_once);
  ADD ("/api/client/prefetch/joins", test_prefetch_joins);
  ADD ("/api/client/prefetch/not-kept", test_prefetch_not_kept);
  ADD ("/api/client/document-streamed", test_document_streamed);

  status = g_test_run ();

  return status;
}
