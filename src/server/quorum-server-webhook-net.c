/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "quorum-core.h"
#include "quorum-server-pinned-address.h"
#include "quorum-server-webhook-net.h"

G_DEFINE_QUARK (qs-webhook-error-quark, qs_webhook_error)

/* ------------------------------------------------------------ addresses */

typedef struct
{
  guint8      prefix[4];
  guint       bits;
  const char *what;
} V4Range;

/* Every IPv4 range that is not public unicast (IANA special-purpose
 * registry): a webhook never reaches the server's own host, its network,
 * the provider's shared space or anything that is not a single public host. */
static const V4Range v4_ranges[] = {
  { { 0, 0, 0, 0 },       8,  "unspecified" },     /* "this network" */
  { { 10, 0, 0, 0 },      8,  "private" },
  { { 100, 64, 0, 0 },    10, "shared (CGNAT)" },
  { { 127, 0, 0, 0 },     8,  "loopback" },
  { { 169, 254, 0, 0 },   16, "link-local" },
  { { 172, 16, 0, 0 },    12, "private" },
  { { 192, 0, 0, 0 },     24, "reserved" },        /* IETF protocol assignments */
  { { 192, 0, 2, 0 },     24, "documentation" },
  { { 192, 88, 99, 0 },   24, "reserved" },        /* 6to4 relay anycast */
  { { 192, 168, 0, 0 },   16, "private" },
  { { 198, 18, 0, 0 },    15, "benchmarking" },
  { { 198, 51, 100, 0 },  24, "documentation" },
  { { 203, 0, 113, 0 },   24, "documentation" },
  { { 224, 0, 0, 0 },     4,  "multicast" },
  { { 240, 0, 0, 0 },     4,  "reserved" },        /* and 255.255.255.255 */
};

typedef struct
{
  guint8      prefix[16];
  guint       bits;
  const char *what;
} V6Range;

static const V6Range v6_ranges[] = {
  { { 0x01, 0x00 },                   64, "reserved" },       /* 100::/64 discard */
  { { 0x20, 0x01, 0x0d, 0xb8 },       32, "documentation" },  /* 2001:db8::/32 */
  { { 0x20, 0x01, 0x00, 0x00 },       23, "reserved" },       /* 2001::/23: Teredo, benchmarking, ORCHID */
  { { 0x3f, 0xff, 0x00, 0x00 },       20, "documentation" },  /* 3fff::/20 */
  { { 0xfc },                         7,  "unique local" },   /* fc00::/7 */
  { { 0xfe, 0x80 },                   10, "link-local" },     /* fe80::/10 */
  { { 0xfe, 0xc0 },                   10, "site-local" },     /* fec0::/10, deprecated */
  { { 0xff },                         8,  "multicast" },
};

static gboolean
prefix_matches (const guint8 *bytes,
                const guint8 *prefix,
                guint         bits)
{
  guint whole = bits / 8, rest = bits % 8;

  if (memcmp (bytes, prefix, whole) != 0)
    return FALSE;
  if (rest == 0)
    return TRUE;
  return ((bytes[whole] ^ prefix[whole]) & (0xff << (8 - rest)) & 0xff) == 0;
}

static const char *
v4_forbidden (const guint8 *bytes)
{
  for (guint i = 0; i < G_N_ELEMENTS (v4_ranges); i++)
    if (prefix_matches (bytes, v4_ranges[i].prefix, v4_ranges[i].bits))
      return v4_ranges[i].what;
  return NULL;
}

static gboolean
all_zero (const guint8 *bytes,
          gsize         len)
{
  for (gsize i = 0; i < len; i++)
    if (bytes[i] != 0)
      return FALSE;
  return TRUE;
}

static const char *
v6_forbidden (const guint8 *b)
{
  static const guint8 nat64[12] = { 0x00, 0x64, 0xff, 0x9b };

  /* ::/8: unspecified, loopback, IPv4-mapped (judged by the IPv4 address),
   * and the deprecated IPv4-compatible and -translated forms. */
  if (b[0] == 0 && all_zero (b, 10) && b[10] == 0xff && b[11] == 0xff)
    return v4_forbidden (b + 12);
  if (all_zero (b, 16))
    return "unspecified";
  if (all_zero (b, 15) && b[15] == 1)
    return "loopback";
  /* 64:ff9b::/96, NAT64: reaches the IPv4 address it carries. */
  if (memcmp (b, nat64, 12) == 0)
    return v4_forbidden (b + 12);
  /* 2002::/16, 6to4: the IPv4 address in bits 16–47. */
  if (b[0] == 0x20 && b[1] == 0x02)
    return v4_forbidden (b + 2);
  for (guint i = 0; i < G_N_ELEMENTS (v6_ranges); i++)
    if (prefix_matches (b, v6_ranges[i].prefix, v6_ranges[i].bits))
      return v6_ranges[i].what;
  /* Only 2000::/3 is global unicast; everything else (64:ff9b:1::/48
   * included) is reserved. */
  if ((b[0] & 0xe0) != 0x20)
    return "reserved";
  return NULL;
}

const char *
qs_webhook_address_forbidden (GInetAddress *address)
{
  const guint8 *bytes;

  g_return_val_if_fail (G_IS_INET_ADDRESS (address), "invalid");

  bytes = g_inet_address_to_bytes (address);
  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4)
    return v4_forbidden (bytes);
  return v6_forbidden (bytes);
}

/* ------------------------------------------------------------------ URL */

static GUri *
parse_url (const char *url)
{
  if (url == NULL || !g_utf8_validate (url, -1, NULL) || strlen (url) > QUORUM_URL_MAX_BYTES)
    return NULL;
  return g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
}

gboolean
qs_webhook_url_check (const char   *url,
                      gboolean      allow_insecure,
                      const char  **code,
                      const char  **message)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  *code = "invalid_url";
  if (url != NULL && strlen (url) > QUORUM_URL_MAX_BYTES)
    {
      *code = "too_long";
      *message = "At most 2048 bytes.";
      return FALSE;
    }
  /* The logo's rule is the webhook's shape too: http(s), a host, no user info. */
  if (!quorum_logo_url_is_valid (url) || (uri = parse_url (url)) == NULL)
    {
      *message = "An https URL with a host is required.";
      return FALSE;
    }
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && !allow_insecure)
    {
      *code = "https_required";
      *message = "Webhook URLs must use https.";
      return FALSE;
    }
  if (g_uri_get_fragment (uri) != NULL)
    {
      *message = "A webhook URL has no #fragment.";
      return FALSE;
    }
  /* Ports below 1024 are the system services of a host (SMTP, LDAP, SSH,
   * IMAP…), never a webhook receiver but 443: the server's POSTs (from an
   * address others may trust) are not aimed at them, nor is the delivery
   * log a probe of them. 1024-65535 stay open (8443 and the like). */
  if (!allow_insecure && g_uri_get_port (uri) != -1 && g_uri_get_port (uri) != 443 && g_uri_get_port (uri) < 1024)
    {
      *code = "forbidden_port";
      *message = "Webhooks go to port 443 or to a port from 1024 to 65535.";
      return FALSE;
    }
  *code = NULL;
  *message = NULL;
  return TRUE;
}

/* -------------------------------------------------------------- resolve */

typedef struct
{
  gboolean allow_insecure;
  char    *host;
} ResolveJob;

static void
resolve_job_free (ResolveJob *job)
{
  g_free (job->host);
  g_free (job);
}

static void
resolved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ResolveJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), result, &error);

  if (addresses == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, QS_WEBHOOK_ERROR, QS_WEBHOOK_ERROR_UNRESOLVED,
                                 "%s has no address", job->host);
      return;
    }
  if (!job->allow_insecure)
    for (GList *l = addresses; l != NULL; l = l->next)
      {
        const char *what = qs_webhook_address_forbidden (l->data);

        if (what != NULL)
          {
            g_autofree char *text = g_inet_address_to_string (l->data);

            g_task_return_new_error (task, QS_WEBHOOK_ERROR, QS_WEBHOOK_ERROR_FORBIDDEN_ADDRESS,
                                     "%s resolves to %s, a %s address", job->host, text, what);
            g_resolver_free_addresses (addresses);
            return;
          }
      }
  g_task_return_pointer (task, g_object_ref (addresses->data), g_object_unref);
  g_resolver_free_addresses (addresses);
}

void
qs_webhook_resolve_async (const char          *url,
                          gboolean             allow_insecure,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GUri) uri = parse_url (url);
  g_autoptr(GResolver) resolver = NULL;
  ResolveJob *job;

  g_task_set_source_tag (task, qs_webhook_resolve_async);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_task_return_new_error (task, QS_WEBHOOK_ERROR, QS_WEBHOOK_ERROR_URL, "not a URL with a host");
      return;
    }
  job = g_new0 (ResolveJob, 1);
  job->allow_insecure = allow_insecure;
  job->host = g_strdup (g_uri_get_host (uri));
  g_task_set_task_data (task, job, (GDestroyNotify) resolve_job_free);
  /* A literal address needs no lookup, and GResolver answers it at once;
   * "localhost" and its subdomains too (loopback, without DNS). */
  resolver = g_resolver_get_default ();
  g_resolver_lookup_by_name_async (resolver, job->host, cancellable, resolved_cb, g_steal_pointer (&task));
}

GInetAddress *
qs_webhook_resolve_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------ signature */

char *
qs_webhook_signature (const char *secret,
                      gint64      t,
                      const char *body)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) secret, strlen (secret));
  g_autofree char *stamp = g_strdup_printf ("%" G_GINT64_FORMAT, t);

  g_hmac_update (hmac, (const guchar *) stamp, -1);
  g_hmac_update (hmac, (const guchar *) ".", 1);
  g_hmac_update (hmac, (const guchar *) body, -1);
  return g_strdup_printf ("t=%s,v1=%s", stamp, g_hmac_get_string (hmac));
}

/* ----------------------------------------------------------------- post */

/* What the receiver may send back and we read (then drop) before closing. */
#define QS_WEBHOOK_READ_MAX (64 * 1024)

typedef struct
{
  SoupSession       *session;
  SoupMessage       *msg;
  GInputStream      *stream;
  GCancellable      *deadline;     /* cancelled by the timer or the caller */
  GCancellable      *caller;
  gulong             caller_handler;
  guint              timer;
  gboolean           timed_out;
  gint64             started;
  gsize              drained;
  QsWebhookResponse *response;
} PostJob;

static void
post_job_free (PostJob *job)
{
  g_clear_handle_id (&job->timer, g_source_remove);
  if (job->caller != NULL)
    g_cancellable_disconnect (job->caller, job->caller_handler);
  g_clear_object (&job->caller);
  g_clear_object (&job->stream);
  g_clear_object (&job->msg);
  if (job->session != NULL)
    soup_session_abort (job->session);
  g_clear_object (&job->session);
  g_clear_object (&job->deadline);
  g_clear_pointer (&job->response, qs_webhook_response_free);
  g_free (job);
}

void
qs_webhook_response_free (QsWebhookResponse *response)
{
  if (response == NULL)
    return;
  g_free (response->error);
  g_free (response);
}

static gboolean
deadline_cb (gpointer user_data)
{
  PostJob *job = user_data;

  job->timer = 0;
  job->timed_out = TRUE;
  g_cancellable_cancel (job->deadline);
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *caller,
                     GCancellable *deadline)
{
  g_cancellable_cancel (deadline);
}

static void
post_return (GTask *task)
{
  PostJob *job = g_task_get_task_data (task);

  g_task_return_pointer (task, g_steal_pointer (&job->response), (GDestroyNotify) qs_webhook_response_free);
  g_object_unref (task);
}

static void
closed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_input_stream_close_finish (G_INPUT_STREAM (source), result, NULL);
  post_return (user_data);
}

static void skipped_cb (GObject *source, GAsyncResult *result, gpointer user_data);

/* Reads what the receiver sends after the status line (at most
 * QS_WEBHOOK_READ_MAX bytes, within the deadline), so the stream closes
 * without a blocking read, then closes it. */
static void
drain (GTask *task)
{
  PostJob *job = g_task_get_task_data (task);

  if (job->drained >= QS_WEBHOOK_READ_MAX)
    g_cancellable_cancel (job->deadline);
  if (g_cancellable_is_cancelled (job->deadline))
    {
      g_input_stream_close_async (job->stream, G_PRIORITY_DEFAULT, job->deadline, closed_cb, task);
      return;
    }
  g_input_stream_skip_async (job->stream, 8192, G_PRIORITY_DEFAULT, job->deadline, skipped_cb, task);
}

static void
skipped_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  PostJob *job = g_task_get_task_data (task);
  gssize n = g_input_stream_skip_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0)
    {
      g_input_stream_close_async (job->stream, G_PRIORITY_DEFAULT, job->deadline, closed_cb, task);
      return;
    }
  job->drained += n;
  drain (task);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  PostJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  job->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  job->response->duration_ms = (g_get_monotonic_time () - job->started) / 1000;
  if (job->stream == NULL)
    {
      if (job->timed_out)
        job->response->error = g_strdup ("No answer within the time limit.");
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        job->response->error = g_strdup ("Cancelled.");
      else if (error->domain == G_TLS_ERROR)
        job->response->error = g_strdup_printf ("TLS: %s", error->message);
      else
        job->response->error = g_strdup (error->message);
      post_return (task);
      return;
    }
  job->response->status = soup_message_get_status (job->msg);
  drain (task);
}

void
qs_webhook_post_async (const char          *url,
                       GInetAddress        *address,
                       const char * const  *headers,
                       const char          *body,
                       guint                timeout_ms,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  PostJob *job = g_new0 (PostJob, 1);
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GSocketConnectable) pinned = NULL;
  g_autoptr(GBytes) bytes = NULL;
  SoupMessageHeaders *request_headers;

  g_task_set_source_tag (task, qs_webhook_post_async);
  g_task_set_task_data (task, job, (GDestroyNotify) post_job_free);
  job->response = g_new0 (QsWebhookResponse, 1);
  job->deadline = g_cancellable_new ();
  if (cancellable != NULL)
    {
      job->caller = g_object_ref (cancellable);
      job->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                   job->deadline, NULL);
    }
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    {
      job->response->error = g_strdup ("Not a URL.");
      post_return (task);
      return;
    }

  /* One session per try: its connection goes to the checked address and is
   * never shared with another webhook's. */
  pinned = qs_pinned_address_new (g_uri_get_host (uri),
                                  g_uri_get_port (uri) > 0 ? g_uri_get_port (uri)
                                                           : (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80),
                                  address);
  job->session = soup_session_new_with_options ("remote-connectable", pinned,
                                                "proxy-resolver", NULL,
                                                "timeout", (timeout_ms + 999) / 1000,
                                                "user-agent", "Quorum-Webhooks/" PACKAGE_VERSION,
                                                NULL);
  job->msg = soup_message_new_from_uri ("POST", uri);
  soup_message_add_flags (job->msg, SOUP_MESSAGE_NO_REDIRECT | SOUP_MESSAGE_NEW_CONNECTION);
  request_headers = soup_message_get_request_headers (job->msg);
  for (guint i = 0; headers != NULL && headers[i] != NULL && headers[i + 1] != NULL; i += 2)
    soup_message_headers_replace (request_headers, headers[i], headers[i + 1]);
  bytes = g_bytes_new (body, strlen (body));
  soup_message_set_request_body_from_bytes (job->msg, "application/json", bytes);

  job->started = g_get_monotonic_time ();
  job->timer = g_timeout_add (timeout_ms, deadline_cb, job);
  soup_session_send_async (job->session, job->msg, G_PRIORITY_DEFAULT, job->deadline, sent_cb, task);
}

QsWebhookResponse *
qs_webhook_post_finish (GAsyncResult *result)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), NULL);
}
