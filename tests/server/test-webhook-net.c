/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "quorum-server-webhook-net.h"
#include "quorum-server-state.h"
#include "quorum-test-server.h"

/*
 * Where webhooks may go (quorum-server-webhook-net.c): the address
 * classifier over every range it refuses and around their edges, the URL
 * rules, the signature, and the pinning — a delivery connects to the
 * address that was checked, never to a second answer of the resolver
 * (tested with a resolver that answers a different address every time
 * after the first, as a rebinding DNS server would); and a webhook saved
 * after its URL's lookup only by a caller who still may (the lookup held
 * while the caller is demoted or signed out, a whole server in this
 * process).
 */

/* ------------------------------------------------------------ classifier */

static void
test_classifier (void)
{
  static const struct { const char *address; const char *what; } cases[] = {
    /* IPv4 */
    { "0.0.0.0", "unspecified" }, { "0.255.255.255", "unspecified" },
    { "10.0.0.0", "private" }, { "10.255.255.255", "private" },
    { "9.255.255.255", NULL }, { "11.0.0.0", NULL },
    { "100.64.0.0", "shared (CGNAT)" }, { "100.127.255.255", "shared (CGNAT)" },
    { "100.63.255.255", NULL }, { "100.128.0.0", NULL },
    { "127.0.0.1", "loopback" }, { "127.255.255.254", "loopback" }, { "128.0.0.1", NULL },
    { "169.254.169.254", "link-local" }, { "169.253.255.255", NULL }, { "169.255.0.0", NULL },
    { "172.16.0.0", "private" }, { "172.31.255.255", "private" },
    { "172.15.255.255", NULL }, { "172.32.0.0", NULL },
    { "192.0.0.1", "reserved" }, { "192.0.1.1", NULL },
    { "192.0.2.1", "documentation" }, { "192.88.99.1", "reserved" },
    { "192.168.0.1", "private" }, { "192.167.255.255", NULL }, { "192.169.0.0", NULL },
    { "198.18.0.0", "benchmarking" }, { "198.19.255.255", "benchmarking" },
    { "198.17.255.255", NULL }, { "198.20.0.0", NULL },
    { "198.51.100.1", "documentation" }, { "203.0.113.255", "documentation" }, { "203.0.114.0", NULL },
    { "224.0.0.1", "multicast" }, { "239.255.255.255", "multicast" },
    { "240.0.0.1", "reserved" }, { "255.255.255.255", "reserved" },
    { "1.1.1.1", NULL }, { "8.8.8.8", NULL }, { "93.184.216.34", NULL }, { "223.255.255.255", NULL },
    /* IPv6 */
    { "::", "unspecified" }, { "::1", "loopback" }, { "::2", "reserved" },
    { "::ffff:127.0.0.1", "loopback" }, { "::ffff:10.1.2.3", "private" },
    { "::ffff:169.254.169.254", "link-local" }, { "::ffff:93.184.216.34", NULL },
    { "::127.0.0.1", "reserved" }, { "::ffff:0:7f00:1", "reserved" },
    { "64:ff9b::7f00:1", "loopback" }, { "64:ff9b::a00:1", "private" }, { "64:ff9b::5db8:d822", NULL },
    { "64:ff9b:1::1", "reserved" },
    { "100::1", "reserved" }, { "100:0:0:1::1", "reserved" },
    { "2001::1", "reserved" }, { "2001:2::1", "reserved" }, { "2001:1ff:ffff::1", "reserved" },
    { "2001:200::1", NULL }, { "2001:db8::1", "documentation" }, { "2001:db9::1", NULL },
    { "2002:7f00:1::1", "loopback" }, { "2002:c0a8:101::1", "private" }, { "2002:5db8:d822::1", NULL },
    { "3fff::1", "documentation" }, { "3fff:fff::1", "documentation" }, { "3fff:1000::1", NULL },
    { "2606:4700:4700::1111", NULL }, { "2a00:1450:4001:80b::200e", NULL },
    { "fc00::1", "unique local" }, { "fdff:ffff::1", "unique local" },
    { "fe80::1", "link-local" }, { "febf:ffff::1", "link-local" },
    { "fec0::1", "site-local" }, { "feff::1", "site-local" },
    { "ff02::1", "multicast" }, { "ff0e::1", "multicast" },
    { "4000::1", "reserved" }, { "1fff::1", "reserved" }, { "e000::1", "reserved" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (cases[i].address);

      g_assert_nonnull (address);
      g_test_message ("%s", cases[i].address);
      g_assert_cmpstr (qs_webhook_address_forbidden (address), ==, cases[i].what);
    }
}

/* ------------------------------------------------------------------- URL */

static void
test_url_rules (void)
{
  static const struct { const char *url; gboolean insecure; const char *code; } cases[] = {
    { "https://hooks.example.com/quorum", FALSE, NULL },
    { "https://hooks.example.com:8443/q?x=1", FALSE, NULL },
    { "https://hooks.example.com:443/", FALSE, NULL },
    { "https://hooks.example.com:1024/", FALSE, NULL },
    { "https://hooks.example.com:65535/", FALSE, NULL },
    { "https://hooks.example.com:1023/", FALSE, "forbidden_port" },
    { "https://hooks.example.com:25/", FALSE, "forbidden_port" },
    { "https://hooks.example.com:465/", FALSE, "forbidden_port" },
    { "https://hooks.example.com:80/", FALSE, "forbidden_port" },
    { "https://hooks.example.com:1/", FALSE, "forbidden_port" },
    { "http://hooks.example.com:25/", TRUE, NULL },  /* --allow-insecure-webhooks: any port */
    { "HTTPS://hooks.example.com/", FALSE, NULL },
    { "http://hooks.example.com/", FALSE, "https_required" },
    { "http://hooks.example.com/", TRUE, NULL },
    { "ftp://hooks.example.com/", TRUE, "invalid_url" },
    { "https:///path", FALSE, "invalid_url" },
    { "https://user:pw@hooks.example.com/", FALSE, "invalid_url" },
    { "https://hooks.example.com/#frag", FALSE, "invalid_url" },
    { "hooks.example.com", FALSE, "invalid_url" },
    { "", FALSE, "invalid_url" },
  };
  const char *code, *message;
  GString *big = g_string_new ("https://example.com/");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean ok = qs_webhook_url_check (cases[i].url, cases[i].insecure, &code, &message);

      g_test_message ("%s", cases[i].url);
      g_assert_cmpint (ok, ==, cases[i].code == NULL);
      g_assert_cmpstr (code, ==, cases[i].code);
      g_assert_true ((message == NULL) == ok);
    }
  while (big->len <= 2048)
    g_string_append_c (big, 'a');
  g_assert_false (qs_webhook_url_check (big->str, FALSE, &code, &message));
  g_assert_cmpstr (code, ==, "too_long");
  g_string_truncate (big, 2048);
  g_assert_true (qs_webhook_url_check (big->str, FALSE, &code, &message));
  g_string_free (big, TRUE);
}

static void
test_signature (void)
{
  g_autofree char *signature = qs_webhook_signature ("whsec_test", 1700000000, "{\"a\":1}");

  /* Python: hmac.new(b'whsec_test', b'1700000000.{"a":1}', hashlib.sha256).hexdigest() */
  g_assert_cmpstr (signature, ==,
                   "t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789");
}

/* -------------------------------------------------------- a fake resolver */

/* Answers "rebind.test" with 127.0.0.1 the first time and 127.0.0.2 (where
 * nothing listens) every time after, "mixed.test" with a public and a
 * private address, "public.test" with a public one; counts lookups. While
 * hold is set, asynchronous lookups wait in held until
 * test_resolver_release (). */
#define TEST_TYPE_RESOLVER (test_resolver_get_type ())
G_DECLARE_FINAL_TYPE (TestResolver, test_resolver, TEST, RESOLVER, GResolver)

struct _TestResolver
{
  GResolver  parent_instance;
  guint      lookups;
  gboolean   hold;
  GPtrArray *held;  /* GTask, with the hostname as task data */
};

G_DEFINE_FINAL_TYPE (TestResolver, test_resolver, G_TYPE_RESOLVER)

static GList *
answer (TestResolver  *self,
        const char    *hostname,
        GError       **error)
{
  const char *addresses[3] = { NULL };
  GList *list = NULL;

  self->lookups++;
  if (g_strcmp0 (hostname, "rebind.test") == 0)
    addresses[0] = self->lookups == 1 ? "127.0.0.1" : "127.0.0.2";
  else if (g_strcmp0 (hostname, "mixed.test") == 0)
    {
      addresses[0] = "93.184.216.34";
      addresses[1] = "10.0.0.7";
    }
  else if (g_strcmp0 (hostname, "public.test") == 0)
    addresses[0] = "2606:2800:220:1:248:1893:25c8:1946";
  else
    {
      g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "no such host %s", hostname);
      return NULL;
    }
  for (guint i = 0; addresses[i] != NULL; i++)
    list = g_list_append (list, g_inet_address_new_from_string (addresses[i]));
  return list;
}

static GList *
lookup_sync (GResolver                 *resolver,
             const char                *hostname,
             GResolverNameLookupFlags   flags,
             GCancellable              *cancellable,
             GError                   **error)
{
  return answer (TEST_RESOLVER (resolver), hostname, error);
}

static void
lookup_async (GResolver                *resolver,
              const char               *hostname,
              GResolverNameLookupFlags  flags,
              GCancellable             *cancellable,
              GAsyncReadyCallback       callback,
              gpointer                  user_data)
{
  TestResolver *self = TEST_RESOLVER (resolver);
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  GError *error = NULL;
  GList *list;

  if (self->hold)
    {
      g_task_set_task_data (task, g_strdup (hostname), g_free);
      g_ptr_array_add (self->held, g_steal_pointer (&task));
      return;
    }
  list = answer (self, hostname, &error);
  if (list == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, list, (GDestroyNotify) g_resolver_free_addresses);
}

/* Answers the held lookups now, and the next ones at once. */
static void
test_resolver_release (TestResolver *self)
{
  self->hold = FALSE;
  for (guint i = 0; i < self->held->len; i++)
    {
      GTask *task = g_ptr_array_index (self->held, i);
      GError *error = NULL;
      GList *list = answer (self, g_task_get_task_data (task), &error);

      if (list == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, list, (GDestroyNotify) g_resolver_free_addresses);
    }
  g_ptr_array_set_size (self->held, 0);
}

static void
lookup_async_plain (GResolver           *resolver,
                    const char          *hostname,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  lookup_async (resolver, hostname, G_RESOLVER_NAME_LOOKUP_FLAGS_DEFAULT, cancellable, callback, user_data);
}

static GList *
lookup_sync_plain (GResolver     *resolver,
                   const char    *hostname,
                   GCancellable  *cancellable,
                   GError       **error)
{
  return answer (TEST_RESOLVER (resolver), hostname, error);
}

static GList *
lookup_finish (GResolver     *resolver,
               GAsyncResult  *result,
               GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_resolver_finalize (GObject *object)
{
  TestResolver *self = TEST_RESOLVER (object);

  test_resolver_release (self);
  g_ptr_array_unref (self->held);
  G_OBJECT_CLASS (test_resolver_parent_class)->finalize (object);
}

static void
test_resolver_class_init (TestResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = test_resolver_finalize;

  resolver_class->lookup_by_name = lookup_sync_plain;
  resolver_class->lookup_by_name_async = lookup_async_plain;
  resolver_class->lookup_by_name_finish = lookup_finish;
  resolver_class->lookup_by_name_with_flags = lookup_sync;
  resolver_class->lookup_by_name_with_flags_async = lookup_async;
  resolver_class->lookup_by_name_with_flags_finish = lookup_finish;
}

static void
test_resolver_init (TestResolver *self)
{
  self->held = g_ptr_array_new_with_free_func (g_object_unref);
}

/* ------------------------------------------------------------- resolving */

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static GInetAddress *
resolve (const char  *url,
         gboolean     allow_insecure,
         GError     **error)
{
  GAsyncResult *result = NULL;
  GInetAddress *address;

  qs_webhook_resolve_async (url, allow_insecure, NULL, store_result_cb, &result);
  address = qs_webhook_resolve_finish (wait_result (&result), error);
  g_object_unref (result);
  return address;
}

static void
test_resolve_checks_every_address (void)
{
  g_autoptr(TestResolver) resolver = g_object_new (TEST_TYPE_RESOLVER, NULL);
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  static const char * const refused[] = {
    "https://mixed.test/", "https://localhost/", "https://LocalHost:8443/", "https://api.localhost/",
    "https://127.0.0.1/", "https://[::1]/", "https://[::ffff:192.168.0.1]/", "https://[fe80::1]/",
  };

  g_resolver_set_default (G_RESOLVER (resolver));
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GInetAddress) address = resolve (refused[i], FALSE, &error);

      g_test_message ("%s", refused[i]);
      g_assert_null (address);
      g_assert_error (error, QS_WEBHOOK_ERROR, QS_WEBHOOK_ERROR_FORBIDDEN_ADDRESS);
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GInetAddress) address = resolve ("https://public.test/", FALSE, &error);
    g_autofree char *text = NULL;

    g_assert_no_error (error);
    text = g_inet_address_to_string (address);
    g_assert_cmpstr (text, ==, "2606:2800:220:1:248:1893:25c8:1946");
  }
  {
    g_autoptr(GError) error = NULL;
    G_GNUC_UNUSED g_autoptr(GInetAddress) address = resolve ("https://nowhere.test/", FALSE, &error);

    g_assert_error (error, QS_WEBHOOK_ERROR, QS_WEBHOOK_ERROR_UNRESOLVED);
  }
  {
    /* --allow-insecure-webhooks: resolved, not judged */
    g_autoptr(GError) error = NULL;
    g_autoptr(GInetAddress) address = resolve ("http://mixed.test/", TRUE, &error);

    g_assert_no_error (error);
    g_assert_nonnull (address);
  }
  g_resolver_set_default (previous);
}

/* --------------------------------------------------------------- pinning */

static void
receiver_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  char **host = user_data;

  g_free (*host);
  *host = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Host"));
  soup_server_message_set_status (msg, 204, NULL);
}

static void
test_connects_to_the_checked_address (void)
{
  g_autoptr(TestResolver) resolver = g_object_new (TEST_TYPE_RESOLVER, NULL);
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  g_autoptr(SoupServer) receiver = soup_server_new (NULL, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_from_string ("127.0.0.1");
  g_autoptr(GSocketAddress) listen_on = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(QsWebhookResponse) response = NULL;
  g_autofree char *host = NULL;
  g_autofree char *url = NULL;
  g_autofree char *expected_host = NULL;
  GSList *uris;
  GAsyncResult *result = NULL;
  guint port;
  const char *headers[] = { "Quorum-Event", "ping", NULL };

  g_assert_true (soup_server_listen (receiver, listen_on, 0, &error));
  g_assert_no_error (error);
  soup_server_add_handler (receiver, NULL, receiver_cb, &host, NULL);
  uris = soup_server_get_uris (receiver);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_resolver_set_default (G_RESOLVER (resolver));
  url = g_strdup_printf ("http://rebind.test:%u/hook", port);
  address = resolve (url, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (resolver->lookups, ==, 1);

  /* The name now "resolves" to 127.0.0.2, where nothing listens: only a
   * connection to the checked 127.0.0.1 reaches the receiver. */
  qs_webhook_post_async (url, address, headers, "{}", 5000, NULL, store_result_cb, &result);
  response = qs_webhook_post_finish (wait_result (&result));
  g_object_unref (result);
  g_assert_nonnull (response);
  g_assert_cmpstr (response->error, ==, NULL);
  g_assert_cmpuint (response->status, ==, 204);
  expected_host = g_strdup_printf ("rebind.test:%u", port);
  g_assert_cmpstr (host, ==, expected_host);
  g_assert_cmpuint (resolver->lookups, ==, 1);
  g_resolver_set_default (previous);
}

static void
test_post_failures (void)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_from_string ("127.0.0.1");
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(QsWebhookResponse) response = NULL;
  g_autofree char *url = NULL;
  GAsyncResult *result = NULL;

  /* A listener that never accepts nor answers: the time limit ends the try. */
  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  g_assert_true (g_socket_listen (socket, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  url = g_strdup_printf ("http://127.0.0.1:%u/", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  qs_webhook_post_async (url, loopback, NULL, "{}", 300, NULL, store_result_cb, &result);
  response = qs_webhook_post_finish (wait_result (&result));
  g_object_unref (result);
  g_assert_cmpuint (response->status, ==, 0);
  g_assert_cmpstr (response->error, ==, "No answer within the time limit.");
}

/* A receiver that answers 200 at once, then sends body chunks forever. */
static void
endless_chunk_cb (SoupServerMessage *msg,
                  gpointer           user_data)
{
  static const char chunk[4096] = { 'x' };
  guint *chunks = user_data;

  (*chunks)++;
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC, chunk, sizeof chunk);
}

static void
endless_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg), SOUP_ENCODING_CHUNKED);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (endless_chunk_cb), user_data);
  endless_chunk_cb (msg, user_data);
}

static void
test_endless_answer (void)
{
  g_autoptr(SoupServer) receiver = soup_server_new (NULL, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_from_string ("127.0.0.1");
  g_autoptr(GSocketAddress) listen_on = g_inet_socket_address_new (loopback, 0);
  g_autoptr(QsWebhookResponse) response = NULL;
  g_autofree char *url = NULL;
  GAsyncResult *result = NULL;
  GSList *uris;
  guint chunks = 0;

  g_assert_true (soup_server_listen (receiver, listen_on, 0, NULL));
  soup_server_add_handler (receiver, NULL, endless_cb, &chunks, NULL);
  uris = soup_server_get_uris (receiver);
  url = g_strdup_printf ("http://127.0.0.1:%u/", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  /* The try ends with the status (a success) once 64 KiB of the body were
   * read, long before its time limit; the receiver stops being read. */
  qs_webhook_post_async (url, loopback, NULL, "{}", 60000, NULL, store_result_cb, &result);
  response = qs_webhook_post_finish (wait_result (&result));
  g_object_unref (result);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_null (response->error);
  g_assert_cmpuint (chunks, <, 1024);  /* far from the 4 MiB it would have sent in 60 s */
}

/* ------------------------------------ saving after the lookup, in-process */

typedef struct
{
  QsServer    *server;
  char        *dir;
  SoupSession *session;
  char        *token;
  char        *ada_id;
  char        *globex;
} Held;

/* method path with the token and body, sent; finish () gives the answer's
 * status, and its JSON in *json. */
static void
send_async (Held                *held,
            const char          *method,
            const char          *path,
            const char          *body,
            GAsyncResult       **result)
{
  g_autofree char *url = g_strconcat (qs_server_get_url (held->server), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);

  if (held->token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", held->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  soup_session_send_and_read_async (held->session, msg, G_PRIORITY_DEFAULT, NULL, store_result_cb, result);
}

static guint
finish (Held          *held,
        GAsyncResult **result,
        JsonNode     **json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (held->session, wait_result (result), &error);
  SoupMessage *msg = soup_session_get_async_result_message (held->session, *result);
  guint status = soup_message_get_status (msg);

  g_assert_no_error (error);
  if (json != NULL)
    *json = json_from_string (g_bytes_get_size (bytes) > 0 ? g_bytes_get_data (bytes, NULL) : "null", NULL);
  g_clear_object (result);
  return status;
}

static guint
call (Held        *held,
      const char  *method,
      const char  *path,
      const char  *body,
      JsonNode   **json)
{
  GAsyncResult *result = NULL;

  send_async (held, method, path, body, &result);
  return finish (held, &result, json);
}

static void
set_role (Held       *held,
          QuorumRole  role)
{
  g_autoptr(QsStoreMember) ada = qs_store_member_for_user (held->server->store, held->globex, held->ada_id, NULL);

  g_assert_nonnull (ada);
  g_assert_true (qs_store_member_set_role (held->server->store, ada->id, role, NULL));
}

static gint64
webhooks (Held *held)
{
  return qs_store_webhook_count (held->server->store, held->globex, NULL);
}

/* Starts method path with the resolver holding the URL's lookup, runs
 * meanwhile () while the request waits, then lets the lookup answer. */
static guint
with_held_lookup (Held         *held,
                  TestResolver *resolver,
                  const char   *method,
                  const char   *path,
                  const char   *body,
                  void        (*meanwhile) (Held *held))
{
  GAsyncResult *result = NULL;

  resolver->hold = TRUE;
  send_async (held, method, path, body, &result);
  while (resolver->held->len == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (result);  /* the request waits on its lookup */
  meanwhile (held);
  test_resolver_release (resolver);
  return finish (held, &result, NULL);
}

static void
nothing (Held *held)
{
}

static void
demote (Held *held)
{
  set_role (held, QUORUM_ROLE_MEMBER);
}

static void
sign_out (Held *held)
{
  g_assert_cmpuint (call (held, "DELETE", "/v1/sessions/current", NULL, NULL), ==, 204);
}

static gboolean
shut_down_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Creating a webhook or changing its URL pauses the request for the URL's
 * lookup: the caller is demoted to member or signs out meanwhile, and
 * nothing is saved (403, 401), as if the request had come after. */
static void
test_saved_only_by_who_still_may (void)
{
  g_autoptr(TestResolver) resolver = g_object_new (TEST_TYPE_RESOLVER, NULL);
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(JsonNode) orgs = NULL;
  g_autoptr(QsStoreWebhook) kept = NULL;
  g_autofree char *hooks = NULL;
  g_autofree char *hook = NULL;
  QsConfig config = { 0 };
  Held held = { 0 };
  JsonArray *items;
  gboolean down = FALSE;

  held.dir = g_dir_make_tmp ("quorum-webhook-held-XXXXXX", &error);
  g_assert_no_error (error);
  config.data_dir = held.dir;
  config.listen = (char *) "127.0.0.1";
  config.demo = TRUE;
  config.demo_members = 3;
  config.hash_cost = QS_HASH_COST_MIN;
  config.purge_interval = 600;
  config.signin_backoff = 60;
  held.server = qs_server_new (&config, &error);
  g_assert_no_error (error);
  g_assert_true (qs_server_listen (held.server, &error));
  g_assert_no_error (error);
  held.session = soup_session_new ();
  g_resolver_set_default (G_RESOLVER (resolver));

  g_assert_cmpuint (call (&held, "POST", "/v1/sessions",
                          "{\"email\": \"ada@demo.quorum.test\", \"password\": \"quorum-demo\"}", &json), ==, 201);
  held.token = g_strdup (json_object_get_string_member (json_node_get_object (json), "token"));
  held.ada_id = g_strdup (json_object_get_string_member (
    json_object_get_object_member (json_node_get_object (json), "user"), "id"));
  g_assert_cmpuint (call (&held, "GET", "/v1/organizations", NULL, &orgs), ==, 200);
  items = json_object_get_array_member (json_node_get_object (orgs), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *org = json_array_get_object_element (items, i);

      if (g_str_equal (json_object_get_string_member (org, "slug"), "globex"))
        held.globex = g_strdup (json_object_get_string_member (org, "id"));
    }
  g_assert_nonnull (held.globex);  /* Ada is an admin there */
  hooks = g_strdup_printf ("/v1/organizations/%s/webhooks", held.globex);

  /* The paused path itself saves when nothing changed. */
  {
    GAsyncResult *result = NULL;
    g_autoptr(JsonNode) created = NULL;

    resolver->hold = TRUE;
    send_async (&held, "POST", hooks, "{\"url\": \"https://public.test/hook\", \"events\": [\"member.added\"]}",
                &result);
    while (resolver->held->len == 0)
      g_main_context_iteration (NULL, TRUE);
    test_resolver_release (resolver);
    g_assert_cmpuint (finish (&held, &result, &created), ==, 201);
    hook = g_strdup_printf ("%s/%s", hooks, json_object_get_string_member (json_node_get_object (created), "id"));
  }
  g_assert_cmpint (webhooks (&held), ==, 1);

  /* Demoted while the lookup runs: neither a new webhook nor a new URL. */
  g_assert_cmpuint (with_held_lookup (&held, resolver, "POST", hooks,
                                      "{\"url\": \"https://public.test/second\", \"events\": [\"member.added\"]}",
                                      demote), ==, 403);
  g_assert_cmpint (webhooks (&held), ==, 1);
  set_role (&held, QUORUM_ROLE_ADMIN);
  g_assert_cmpuint (with_held_lookup (&held, resolver, "PATCH", hook, "{\"url\": \"https://public.test/elsewhere\"}",
                                      demote), ==, 403);
  kept = qs_store_webhook_get (held.server->store, held.globex, strrchr (hook, '/') + 1, NULL);
  g_assert_cmpstr (kept->url, ==, "https://public.test/hook");
  set_role (&held, QUORUM_ROLE_ADMIN);

  /* The control: the same PATCH with nothing happening meanwhile is saved. */
  g_assert_cmpuint (with_held_lookup (&held, resolver, "PATCH", hook, "{\"description\": \"x\", "
                                      "\"url\": \"https://public.test/hook\"}", nothing), ==, 200);

  /* Signed out while the lookup runs. */
  g_assert_cmpuint (with_held_lookup (&held, resolver, "POST", hooks,
                                      "{\"url\": \"https://public.test/third\", \"events\": [\"member.added\"]}",
                                      sign_out), ==, 401);
  g_assert_cmpint (webhooks (&held), ==, 1);

  g_resolver_set_default (previous);
  qs_server_shutdown (held.server, shut_down_cb, &down);
  while (!down)
    g_main_context_iteration (NULL, TRUE);
  qs_server_free (held.server);
  g_object_unref (held.session);
  g_assert_true (quorum_test_remove_tree (held.dir, NULL));
  g_free (held.dir);
  g_free (held.token);
  g_free (held.ada_id);
  g_free (held.globex);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/webhook-net/classifier", test_classifier);
  g_test_add_func ("/server/webhook-net/url-rules", test_url_rules);
  g_test_add_func ("/server/webhook-net/signature", test_signature);
  g_test_add_func ("/server/webhook-net/resolve-checks-every-address", test_resolve_checks_every_address);
  g_test_add_func ("/server/webhook-net/connects-to-the-checked-address", test_connects_to_the_checked_address);
  g_test_add_func ("/server/webhook-net/post-failures", test_post_failures);
  g_test_add_func ("/server/webhook-net/endless-answer", test_endless_answer);
  g_test_add_func ("/server/webhook-net/saved-only-by-who-still-may", test_saved_only_by_who_still_may);
  return g_test_run ();
}
