/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-api-private.h"
#include "quorum-client.h"

/*
 * One request = one GTask. Each attempt builds a fresh SoupMessage, sends it,
 * reads at most QUORUM_CLIENT_MAX_RESPONSE_BYTES of the body, then either
 * parses the answer, turns it into a QUORUM_API_ERROR, or waits and retries.
 * Only requests that are safe to repeat are retried: GET, PUT and DELETE,
 * and a POST or PATCH that carries an Idempotency-Key.
 *
 * Nothing leaves unencrypted for another computer: plain http is refused
 * before any byte is sent unless the host is loopback or the account was
 * added with the explicit "insecure server" choice (allow-insecure). And no
 * redirect is ever followed, so neither a token nor a password in a body can
 * be carried to another origin (or from https down to http).
 */

struct _QuorumClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;
  char        *token;
  guint        max_attempts;
  guint        base_delay_ms;
  guint        max_delay_ms;
  gboolean     allow_insecure;
};

G_DEFINE_FINAL_TYPE (QuorumClient, quorum_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_SESSION,
  PROP_SIGNED_IN,
  N_PROPS
};

enum {
  UNAUTHENTICATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct _Request Request;
typedef gpointer (*ParseFunc) (Request  *request,
                               JsonNode *root,
                               GError  **error);

struct _Request
{
  QuorumClient   *client;
  char           *method;
  char           *path;
  GBytes         *body;
  const char     *content_type;
  char           *if_match;
  char           *idempotency_key;
  gboolean        send_token;
  gboolean        outside_v1;
  guint           attempt;
  ParseFunc       parse;
  GDestroyNotify  result_free;
  gpointer        (*item_parse) (JsonNode *, GError **);

  SoupMessage    *message;
  GInputStream   *stream;
  GByteArray     *buffer;
  guint           status;
  gboolean        token_sent;
  GSource        *wait_source;
  GSource        *cancel_source;
};

static void
request_free (Request *request)
{
  if (request->wait_source != NULL)
    {
      g_source_destroy (request->wait_source);
      g_source_unref (request->wait_source);
    }
  if (request->cancel_source != NULL)
    {
      g_source_destroy (request->cancel_source);
      g_source_unref (request->cancel_source);
    }
  g_clear_object (&request->client);
  g_free (request->method);
  g_free (request->path);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request->if_match);
  g_free (request->idempotency_key);
  g_clear_object (&request->message);
  g_clear_object (&request->stream);
  g_clear_pointer (&request->buffer, g_byte_array_unref);
  g_free (request);
}

SoupSession *
quorum_client_get_default_session (void)
{
  static SoupSession *session;

  if (g_once_init_enter (&session))
    {
      g_autofree char *user_agent = g_strdup_printf ("Quorum/%s", PACKAGE_VERSION);
      SoupSession *s = soup_session_new_with_options ("user-agent", user_agent,
                                                      "timeout", QUORUM_CLIENT_TIMEOUT_SECONDS,
                                                      "idle-timeout", 60,
                                                      NULL);
      g_once_init_leave (&session, s);
    }

  return session;
}

static void
quorum_client_finalize (GObject *object)
{
  QuorumClient *self = QUORUM_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->token, g_free);

  G_OBJECT_CLASS (quorum_client_parent_class)->finalize (object);
}

static void
quorum_client_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  QuorumClient *self = QUORUM_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;

    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_SIGNED_IN:
      g_value_set_boolean (value, quorum_client_get_signed_in (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_client_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  QuorumClient *self = QUORUM_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      {
        const char *url = g_value_get_string (value);
        gsize len = url != NULL ? strlen (url) : 0;

        while (len > 0 && url[len - 1] == '/')
          len--;
        self->base_url = g_strndup (url != NULL ? url : "", len);
      }
      break;

    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_client_constructed (GObject *object)
{
  QuorumClient *self = QUORUM_CLIENT (object);

  G_OBJECT_CLASS (quorum_client_parent_class)->constructed (object);

  if (self->session == NULL)
    self->session = g_object_ref (quorum_client_get_default_session ());
}

static void
quorum_client_class_init (QuorumClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = quorum_client_finalize;
  object_class->constructed = quorum_client_constructed;
  object_class->get_property = quorum_client_get_property;
  object_class->set_property = quorum_client_set_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         SOUP_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SIGNED_IN] =
    g_param_spec_boolean ("signed-in", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * QuorumClient::unauthenticated:
   *
   * Emitted when the server refuses the client's token (401): the session
   * expired or was ended elsewhere, and the app should ask to sign in again.
   * The token is forgotten before the signal is emitted.
   */
  signals[UNAUTHENTICATED] =
    g_signal_new ("unauthenticated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
quorum_client_init (QuorumClient *self)
{
  self->max_attempts = 4;
  self->base_delay_ms = 500;
  self->max_delay_ms = 30000;
}

/**
 * quorum_client_new:
 * @base_url: the server's address, such as `https://quorum.example.org`
 *
 * Returns: (transfer full): a client using the application's one SoupSession.
 */
QuorumClient *
quorum_client_new (const char *base_url)
{
  g_return_val_if_fail (base_url != NULL, NULL);

  return g_object_new (QUORUM_TYPE_CLIENT, "base-url", base_url, NULL);
}

QuorumClient *
quorum_client_new_for_session (const char  *base_url,
                               SoupSession *session)
{
  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);

  return g_object_new (QUORUM_TYPE_CLIENT, "base-url", base_url, "session", session, NULL);
}

const char *
quorum_client_get_base_url (QuorumClient *self)
{
  g_return_val_if_fail (QUORUM_IS_CLIENT (self), NULL);

  return self->base_url;
}

void
quorum_client_set_token (QuorumClient *self,
                         const char   *token)
{
  gboolean was_signed_in;

  g_return_if_fail (QUORUM_IS_CLIENT (self));

  was_signed_in = self->token != NULL;
  if (self->token != NULL)
    {
      memset (self->token, 0, strlen (self->token));
      g_free (self->token);
    }
  self->token = (token != NULL && *token != '\0') ? g_strdup (token) : NULL;

  if (was_signed_in != (self->token != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
}

gboolean
quorum_client_get_signed_in (QuorumClient *self)
{
  g_return_val_if_fail (QUORUM_IS_CLIENT (self), FALSE);

  return self->token != NULL;
}

/**
 * quorum_client_url_is_insecure:
 * @url: a server address
 *
 * Whether talking to @url would send passwords and tokens unencrypted over a
 * network: plain http to anything but loopback (127.0.0.0/8, ::1,
 * localhost). An address that does not parse counts as insecure.
 */
gboolean
quorum_client_url_is_insecure (const char *url)
{
  g_autoptr(GUri) uri = url != NULL ? g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL) : NULL;
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *host = NULL;
  const char *scheme;

  if (uri == NULL || (scheme = g_uri_get_scheme (uri)) == NULL || g_uri_get_host (uri) == NULL)
    return TRUE;
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return FALSE;
  if (g_ascii_strcasecmp (scheme, "http") != 0)
    return TRUE;

  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  if (g_str_has_prefix (host, "[") && g_str_has_suffix (host, "]"))
    {
      memmove (host, host + 1, strlen (host) - 2);
      host[strlen (host) - 2] = '\0';
    }
  if (g_str_equal (host, "localhost"))
    return FALSE;
  address = g_inet_address_new_from_string (host);
  return address == NULL || !g_inet_address_get_is_loopback (address);
}

/**
 * quorum_client_set_allow_insecure:
 * @allow_insecure: whether the user chose to use this server over plain
 *   http although it is not on this computer
 *
 * Without it (the default), every request to such a server fails with
 * %QUORUM_API_ERROR_INSECURE before anything is sent.
 */
void
quorum_client_set_allow_insecure (QuorumClient *self,
                                  gboolean      allow_insecure)
{
  g_return_if_fail (QUORUM_IS_CLIENT (self));

  self->allow_insecure = !!allow_insecure;
}

gboolean
quorum_client_get_allow_insecure (QuorumClient *self)
{
  g_return_val_if_fail (QUORUM_IS_CLIENT (self), FALSE);

  return self->allow_insecure;
}

/**
 * quorum_client_set_retry_policy:
 * @max_attempts: attempts in all, including the first (1 disables retries)
 * @base_delay_ms: the first back-off; it doubles after each attempt
 * @max_delay_ms: the longest wait; a Retry-After longer than this is not
 *   waited for and the request fails with %QUORUM_API_ERROR_RATE_LIMITED
 */
void
quorum_client_set_retry_policy (QuorumClient *self,
                                guint         max_attempts,
                                guint         base_delay_ms,
                                guint         max_delay_ms)
{
  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (max_attempts >= 1);

  self->max_attempts = max_attempts;
  self->base_delay_ms = base_delay_ms;
  self->max_delay_ms = MAX (max_delay_ms, base_delay_ms);
}

/* Requests */

static void start_attempt (GTask *task);

static gboolean
request_is_retryable (Request *request)
{
  if (g_str_equal (request->method, "GET") ||
      g_str_equal (request->method, "PUT") ||
      g_str_equal (request->method, "DELETE"))
    return TRUE;

  return request->idempotency_key != NULL;
}

static Request *
request_new (QuorumClient *self,
             const char   *method,
             char         *path)
{
  Request *request = g_new0 (Request, 1);

  request->client = g_object_ref (self);
  request->method = g_strdup (method);
  request->path = path;
  request->send_token = TRUE;
  return request;
}

static void
request_set_json_body (Request  *request,
                       JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length = 0;
  char *data;

  json_generator_set_root (generator, node);
  data = json_generator_to_data (generator, &length);
  request->body = g_bytes_new_take (data, length);
  request->content_type = "application/json";
}

static GError *
error_for_status (Request    *request,
                  const char *data,
                  gsize       length)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *code = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *title = NULL;
  g_autoptr(GStrvBuilder) fields = NULL;
  g_autoptr(GStrvBuilder) messages = NULL;
  SoupMessageHeaders *headers = soup_message_get_response_headers (request->message);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  guint retry_after = 0;
  QuorumApiError api_code;
  GError *error;

  if (request->status == 429)
    {
      const char *value = soup_message_headers_get_one (headers, "Retry-After");
      guint64 seconds;

      if (value != NULL && g_ascii_string_to_unsigned (value, 10, 0, 86400, &seconds, NULL))
        retry_after = (guint) seconds;
      else if (value != NULL)
        {
          g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (value);
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

          if (when != NULL)
            retry_after = (guint) CLAMP (g_date_time_difference (when, now) / G_TIME_SPAN_SECOND, 0, 86400);
        }
      if (retry_after == 0)
        retry_after = 1;
    }

  /* A problem document when there is one; an HTML error page from a proxy
   * or anything else is reduced to its status. */
  if (content_type != NULL && g_str_has_suffix (content_type, "json") && length > 0)
    root = _quorum_json_parse (data, length, NULL);

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      JsonNode *errors = json_object_get_member (object, "errors");

      _quorum_json_get_string (object, "code", QUORUM_JSON_OPTIONAL, QUORUM_JSON_ID,
                               64, &code, NULL);
      _quorum_json_get_string (object, "detail", QUORUM_JSON_OPTIONAL, QUORUM_JSON_TEXT,
                               QUORUM_MAX_DETAIL_BYTES, &detail, NULL);
      _quorum_json_get_string (object, "title", QUORUM_JSON_OPTIONAL, QUORUM_JSON_TEXT,
                               QUORUM_MAX_DETAIL_BYTES, &title, NULL);

      if (errors != NULL && JSON_NODE_HOLDS_ARRAY (errors))
        {
          JsonArray *array = json_node_get_array (errors);
          guint n = MIN (json_array_get_length (array), 100);

          fields = g_strv_builder_new ();
          messages = g_strv_builder_new ();
          for (guint i = 0; i < n; i++)
            {
              JsonNode *item = json_array_get_element (array, i);
              g_autofree char *field = NULL;
              g_autofree char *message = NULL;

              if (!JSON_NODE_HOLDS_OBJECT (item))
                continue;
              if (!_quorum_json_get_string (json_node_get_object (item), "field",
                                            QUORUM_JSON_REQUIRED, QUORUM_JSON_TEXT,
                                            256, &field, NULL))
                continue;
              if (!_quorum_json_get_string (json_node_get_object (item), "message",
                                            QUORUM_JSON_OPTIONAL, QUORUM_JSON_TEXT,
                                            QUORUM_MAX_DETAIL_BYTES, &message, NULL))
                continue;
              g_strv_builder_add (fields, field);
              g_strv_builder_add (messages, message != NULL ? message : "");
            }
        }
    }

  api_code = quorum_api_error_from_code (code, request->status);

  if (detail == NULL && title == NULL)
    {
      const char *phrase = soup_message_get_reason_phrase (request->message);
      title = g_strdup_printf ("The server answered %u %s", request->status,
                               phrase != NULL && g_utf8_validate (phrase, -1, NULL) ? phrase : "");
    }

  if (quorum_api_error_get_message (api_code) != NULL)
    error = _quorum_api_error_new (api_code, request->status, code, retry_after,
                                   quorum_api_error_get_message (api_code));
  else
    error = _quorum_api_error_new (api_code, request->status, code, retry_after,
                                   detail != NULL ? detail : title);
  if (fields != NULL)
    _quorum_api_error_take_fields (error, g_strv_builder_end (fields), g_strv_builder_end (messages));
  return error;
}

static GError *
error_for_transport (Request *request,
                     GError  *error)
{
  QuorumApiError code = QUORUM_API_ERROR_NETWORK;
  const char *message = "Could not reach the server";

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (error->domain == G_TLS_ERROR ||
      (request->message != NULL && soup_message_get_tls_peer_certificate_errors (request->message) != 0))
    {
      code = QUORUM_API_ERROR_TLS;
      message = "The server's identity could not be verified (TLS)";
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      code = QUORUM_API_ERROR_TIMEOUT;
      message = "The server took too long to answer";
    }
  else if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    message = "The server's address could not be found";

  return _quorum_api_error_new (code, 0, NULL, 0, message);
}

static void
wait_then_retry (GTask *task,
                 guint  delay_ms);

/* Returns TRUE when the request was scheduled again. */
static gboolean
maybe_retry (GTask       *task,
             const GError *error)
{
  Request *request = g_task_get_task_data (task);
  QuorumClient *self = request->client;
  guint delay_ms;

  if (request->attempt >= self->max_attempts || !request_is_retryable (request))
    return FALSE;

  delay_ms = self->base_delay_ms << MIN (request->attempt - 1, 16);
  delay_ms = MIN (delay_ms, self->max_delay_ms);
  /* Up to 25% jitter so many clients do not come back at once. */
  if (delay_ms >= 4)
    delay_ms += (guint) g_random_int_range (0, (gint32) (delay_ms / 4));

  if (g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_RATE_LIMITED))
    {
      guint retry_after = quorum_api_error_get_retry_after (error);

      if ((guint64) retry_after * 1000 > self->max_delay_ms)
        return FALSE;
      delay_ms = MAX (delay_ms, retry_after * 1000);
    }

  wait_then_retry (task, delay_ms);
  return TRUE;
}

static void
finish_with_error (GTask  *task,
                   GError *error)
{
  Request *request = g_task_get_task_data (task);

  if (g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_UNAUTHENTICATED) &&
      request->token_sent)
    {
      quorum_client_set_token (request->client, NULL);
      g_signal_emit (request->client, signals[UNAUTHENTICATED], 0);
    }

  g_task_return_error (task, error);
}

static void
complete (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  const char *data = (const char *) request->buffer->data;
  gsize length = request->buffer->len;
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;
  gpointer result;

  g_clear_object (&request->stream);

  if (request->status >= 300 && request->status <= 399)
    {
      finish_with_error (task, _quorum_api_error_new (QUORUM_API_ERROR_REDIRECT, request->status, NULL, 0,
                                                      "The server answered with a redirect, which "
                                                      "Quorum never follows: use the server's own "
                                                      "https address"));
      return;
    }

  if (request->status < 200 || request->status > 299)
    {
      error = error_for_status (request, data, length);

      if ((request->status == 429 || request->status == 502 ||
           request->status == 503 || request->status == 504) &&
          maybe_retry (task, error))
        {
          g_error_free (error);
          return;
        }

      finish_with_error (task, error);
      return;
    }

  if (request->status != 204 && length > 0)
    {
      const char *content_type =
        soup_message_headers_get_content_type (soup_message_get_response_headers (request->message), NULL);

      if (content_type == NULL || !g_str_has_suffix (content_type, "json"))
        {
          g_task_return_error (task, _quorum_api_error_new (QUORUM_API_ERROR_INVALID_RESPONSE,
                                                            request->status, NULL, 0,
                                                            "The server did not answer with JSON"));
          return;
        }

      if (!(root = _quorum_json_parse (data, length, &error)))
        {
          g_task_return_error (task, error);
          return;
        }
    }

  if (!(result = request->parse (request, root, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, result, request->result_free);
}

/* Bounded reads */

typedef struct
{
  GInputStream *stream;
  GByteArray   *data;
  gsize         max_bytes;
  int           io_priority;
} BoundedRead;

static void
bounded_read_free (BoundedRead *read)
{
  g_clear_object (&read->stream);
  g_clear_pointer (&read->data, g_byte_array_unref);
  g_free (read);
}

static void
bounded_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BoundedRead *read = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&read->data)),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }
  /* Checked before the chunk is kept: never more than the limit in memory. */
  if (read->data->len + g_bytes_get_size (chunk) > read->max_bytes)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                               "More than %" G_GSIZE_FORMAT " bytes", read->max_bytes);
      return;
    }

  g_byte_array_append (read->data, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  cancellable = g_task_get_cancellable (task);
  g_input_stream_read_bytes_async (read->stream, 64 * 1024, read->io_priority, cancellable,
                                   bounded_read_cb, g_steal_pointer (&task));
}

/**
 * quorum_read_bounded_async:
 * @max_bytes: the most the whole body may hold
 *
 * Reads @stream to its end, failing with %G_IO_ERROR_MESSAGE_TOO_LARGE as
 * soon as more than @max_bytes arrived. Every body Quorum reads from a
 * server goes through it (API answers, logos).
 */
void
quorum_read_bounded_async (GInputStream        *stream,
                           gsize                max_bytes,
                           int                  io_priority,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  BoundedRead *read = g_new0 (BoundedRead, 1);

  g_task_set_source_tag (task, quorum_read_bounded_async);
  read->stream = g_object_ref (stream);
  read->data = g_byte_array_new ();
  read->max_bytes = max_bytes;
  read->io_priority = io_priority;
  g_task_set_task_data (task, read, (GDestroyNotify) bounded_read_free);
  g_input_stream_read_bytes_async (stream, 64 * 1024, io_priority, cancellable, bounded_read_cb, task);
}

GBytes *
quorum_read_bounded_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = quorum_read_bounded_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
    {
      g_task_return_error (task, _quorum_api_error_new (QUORUM_API_ERROR_INVALID_RESPONSE,
                                                        request->status, NULL, 0,
                                                        "The server's answer is too large"));
      return;
    }
  if (bytes == NULL)
    {
      GError *api_error = error_for_transport (request, error);

      if (api_error->domain == QUORUM_API_ERROR && api_error->code == QUORUM_API_ERROR_NETWORK &&
          maybe_retry (task, api_error))
        {
          g_error_free (api_error);
          return;
        }
      g_task_return_error (task, api_error);
      return;
    }

  g_clear_pointer (&request->buffer, g_byte_array_unref);
  request->buffer = g_bytes_unref_to_array (g_steal_pointer (&bytes));
  complete (task);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  goffset content_length;
  GCancellable *cancellable;

  request->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (request->stream == NULL)
    {
      GError *api_error = error_for_transport (request, error);

      if (api_error->domain == QUORUM_API_ERROR && api_error->code == QUORUM_API_ERROR_NETWORK &&
          maybe_retry (task, api_error))
        {
          g_error_free (api_error);
          return;
        }
      g_task_return_error (task, api_error);
      return;
    }

  request->status = soup_message_get_status (request->message);
  content_length = soup_message_headers_get_content_length (soup_message_get_response_headers (request->message));
  if (content_length > QUORUM_CLIENT_MAX_RESPONSE_BYTES)
    {
      g_task_return_error (task, _quorum_api_error_new (QUORUM_API_ERROR_INVALID_RESPONSE,
                                                        request->status, NULL, 0,
                                                        "The server's answer is too large"));
      return;
    }

  cancellable = g_task_get_cancellable (task);
  quorum_read_bounded_async (request->stream, QUORUM_CLIENT_MAX_RESPONSE_BYTES, G_PRIORITY_DEFAULT,
                             cancellable, read_cb, g_steal_pointer (&task));
}

static void
clear_wait_sources (Request *request)
{
  if (request->wait_source != NULL)
    {
      g_source_destroy (request->wait_source);
      g_clear_pointer (&request->wait_source, g_source_unref);
    }
  if (request->cancel_source != NULL)
    {
      g_source_destroy (request->cancel_source);
      g_clear_pointer (&request->cancel_source, g_source_unref);
    }
}

static gboolean
wait_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);

  clear_wait_sources (request);
  /* The reference held for the wait passes to the new attempt. */
  start_attempt (task);
  return G_SOURCE_REMOVE;
}

static gboolean
wait_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);

  clear_wait_sources (request);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static void
wait_then_retry (GTask *task,
                 guint  delay_ms)
{
  Request *request = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GMainContext *context = g_task_get_context (task);

  /* One reference held for whichever of the two sources fires first. */
  g_object_ref (task);

  request->wait_source = g_timeout_source_new (delay_ms);
  g_source_set_callback (request->wait_source, wait_done_cb, task, NULL);
  g_source_attach (request->wait_source, context);

  if (cancellable != NULL)
    {
      request->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (request->cancel_source, G_SOURCE_FUNC (wait_cancelled_cb), task, NULL);
      g_source_attach (request->cancel_source, context);
    }
}

static void
start_attempt (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  QuorumClient *self = request->client;
  g_autofree char *url = NULL;
  g_autoptr(GUri) uri = NULL;
  SoupMessageHeaders *headers;

  request->attempt++;
  g_clear_object (&request->message);
  g_clear_object (&request->stream);

  url = g_strconcat (self->base_url, request->outside_v1 ? "" : "/v1", request->path, NULL);
  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL ||
      (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 && g_strcmp0 (g_uri_get_scheme (uri), "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_task_return_error (task, _quorum_api_error_new (QUORUM_API_ERROR_NETWORK, 0, NULL, 0,
                                                        "The server address is not a valid http or https URL"));
      g_object_unref (task);
      return;
    }

  if (!self->allow_insecure && quorum_client_url_is_insecure (url))
    {
      g_task_return_error (task, _quorum_api_error_new (QUORUM_API_ERROR_INSECURE, 0, NULL, 0,
                                                        "The server address uses plain http to another "
                                                        "computer: passwords and tokens would travel "
                                                        "unencrypted"));
      g_object_unref (task);
      return;
    }

  request->message = soup_message_new_from_uri (request->method, uri);
  /* A redirect could carry the token or a password to another origin. */
  soup_message_add_flags (request->message, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (request->message);
  soup_message_headers_replace (headers, "Accept", "application/json, application/problem+json");

  request->token_sent = request->send_token && self->token != NULL;
  if (request->token_sent)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (headers, "Authorization", authorization);
      memset (authorization, 0, strlen (authorization));
    }
  if (request->if_match != NULL)
    soup_message_headers_replace (headers, "If-Match", request->if_match);
  if (request->idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", request->idempotency_key);
  if (request->body != NULL)
    soup_message_set_request_body_from_bytes (request->message, request->content_type, request->body);

  soup_session_send_async (self->session, request->message, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), send_cb, task);
}

static void
request_send (Request             *request,
              ParseFunc            parse,
              GDestroyNotify       result_free,
              gpointer             source_tag,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  GTask *task = g_task_new (request->client, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  request->parse = parse;
  request->result_free = result_free;
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  start_attempt (task);
}

static gpointer
request_finish (QuorumClient  *self,
                GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  g_return_val_if_fail (QUORUM_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static char *
escape (const char *segment)
{
  return g_uri_escape_string (segment, NULL, FALSE);
}

static char *
build_path (const char *first,
            ...) G_GNUC_NULL_TERMINATED;

/* Joins literal path pieces and user-given segments, escaping the latter:
 * build_path ("/organizations/", ESC (id), "/members", NULL). Segments are
 * passed as escaped strings that build_path frees. */
static char *
build_path (const char *first,
            ...)
{
  GString *path = g_string_new (first);
  va_list args;
  const char *piece;
  gboolean is_segment = TRUE;

  va_start (args, first);
  while ((piece = va_arg (args, const char *)) != NULL)
    {
      if (is_segment)
        {
          g_autofree char *escaped = escape (piece);
          g_string_append (path, escaped);
        }
      else
        g_string_append (path, piece);
      is_segment = !is_segment;
    }
  va_end (args);

  return g_string_free (path, FALSE);
}

static void
add_query (GString    *path,
           const char *key,
           const char *value)
{
  g_autofree char *escaped = NULL;

  if (value == NULL || *value == '\0')
    return;

  escaped = g_uri_escape_string (value, NULL, FALSE);
  g_string_append_c (path, strchr (path->str, '?') ? '&' : '?');
  g_string_append_printf (path, "%s=%s", key, escaped);
}

/* Parsers for the answers */

static gpointer
parse_nothing (Request   *request,
               JsonNode  *root,
               GError   **error)
{
  return GINT_TO_POINTER (1);
}

static gpointer
parse_user (Request   *request,
            JsonNode  *root,
            GError   **error)
{
  return quorum_user_new_from_json (root, error);
}

static gpointer
parse_member (Request   *request,
              JsonNode  *root,
              GError   **error)
{
  return quorum_member_new_from_json (root, error);
}

static gpointer
parse_invitation (Request   *request,
                  JsonNode  *root,
                  GError   **error)
{
  return quorum_invitation_new_from_json (root, error);
}

static gpointer
parse_preview (Request   *request,
               JsonNode  *root,
               GError   **error)
{
  return quorum_invitation_preview_new_from_json (root, error);
}

static gpointer
parse_organization (Request   *request,
                    JsonNode  *root,
                    GError   **error)
{
  QuorumOrganization *organization = quorum_organization_new_from_json (root, error);
  const char *etag;

  if (organization == NULL)
    return NULL;

  etag = soup_message_headers_get_one (soup_message_get_response_headers (request->message), "ETag");
  if (etag != NULL && strlen (etag) <= 256 && g_utf8_validate (etag, -1, NULL))
    _quorum_organization_set_etag (organization, etag);

  return organization;
}

typedef struct
{
  GPtrArray *items;
  char      *next_cursor;
  guint      total;
} ListResult;

static void
list_result_free (ListResult *list)
{
  g_clear_pointer (&list->items, g_ptr_array_unref);
  g_free (list->next_cursor);
  g_free (list);
}

static gpointer
parse_list (Request   *request,
            JsonNode  *root,
            GError   **error)
{
  ListResult *list;
  JsonObject *object;
  JsonArray *array;
  gint64 total = 0;
  g_autofree char *next_cursor = NULL;
  g_autoptr(GPtrArray) items = NULL;
  guint n;

  if (!(object = _quorum_json_get_root_object (root, "list", error)))
    return NULL;
  if (!(array = _quorum_json_get_items (object, error)))
    return NULL;
  if (!_quorum_json_get_string (object, "next_cursor", QUORUM_JSON_OPTIONAL, QUORUM_JSON_ANY,
                                QUORUM_MAX_CURSOR_BYTES, &next_cursor, error))
    return NULL;
  if (!_quorum_json_get_int (object, "total", QUORUM_JSON_OPTIONAL, 0, G_MAXINT, &total, error))
    return NULL;

  n = json_array_get_length (array);
  items = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      gpointer item = request->item_parse (json_array_get_element (array, i), error);

      if (item == NULL)
        return NULL;
      g_ptr_array_add (items, item);
    }

  if (next_cursor != NULL && *next_cursor == '\0')
    g_clear_pointer (&next_cursor, g_free);

  list = g_new0 (ListResult, 1);
  list->items = g_steal_pointer (&items);
  list->next_cursor = g_steal_pointer (&next_cursor);
  list->total = (guint) MAX (total, (gint64) list->items->len);
  return list;
}

typedef struct
{
  QuorumUser         *user;
  QuorumOrganization *organization;
  QuorumMember       *member;
  char               *token;
} AuthResult;

static void
auth_result_free (AuthResult *auth)
{
  g_clear_object (&auth->user);
  g_clear_object (&auth->organization);
  g_clear_object (&auth->member);
  if (auth->token != NULL)
    {
      memset (auth->token, 0, strlen (auth->token));
      g_free (auth->token);
    }
  g_free (auth);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuthResult, auth_result_free)

/* {user, token, organization?}: sign-up, sign-in, invitation set-up. */
static gpointer
parse_auth (Request   *request,
            JsonNode  *root,
            GError   **error)
{
  g_autoptr(AuthResult) auth = g_new0 (AuthResult, 1);
  JsonObject *object;
  JsonNode *node;

  if (!(object = _quorum_json_get_root_object (root, "session", error)))
    return NULL;
  if (!_quorum_json_get_string (object, "token", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID,
                                QUORUM_MAX_TOKEN_BYTES, &auth->token, error))
    return NULL;
  if (!(auth->user = quorum_user_new_from_json (json_object_get_member (object, "user"), error)))
    return NULL;

  node = json_object_get_member (object, "organization");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node) &&
      !(auth->organization = quorum_organization_new_from_json (node, error)))
    return NULL;

  return g_steal_pointer (&auth);
}

/* {organization, member}: accepting an invitation. */
static gpointer
parse_accept (Request   *request,
              JsonNode  *root,
              GError   **error)
{
  g_autoptr(AuthResult) auth = g_new0 (AuthResult, 1);
  JsonObject *object;

  if (!(object = _quorum_json_get_root_object (root, "answer", error)))
    return NULL;
  if (!(auth->organization = quorum_organization_new_from_json (json_object_get_member (object, "organization"), error)))
    return NULL;
  if (!(auth->member = quorum_member_new_from_json (json_object_get_member (object, "member"), error)))
    return NULL;

  return g_steal_pointer (&auth);
}

static JsonNode *
object_node (JsonBuilder *builder)
{
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static gboolean
finish_boolean (QuorumClient  *self,
                GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  return request_finish (self, result, source_tag, error) != NULL;
}

static GPtrArray *
finish_list (QuorumClient  *self,
             GAsyncResult  *result,
             gpointer       source_tag,
             char         **out_next_cursor,
             guint         *out_total,
             GError       **error)
{
  ListResult *list = request_finish (self, result, source_tag, error);
  GPtrArray *items;

  if (out_next_cursor != NULL)
    *out_next_cursor = NULL;
  if (out_total != NULL)
    *out_total = 0;
  if (list == NULL)
    return NULL;

  items = g_steal_pointer (&list->items);
  if (out_next_cursor != NULL)
    *out_next_cursor = g_steal_pointer (&list->next_cursor);
  if (out_total != NULL)
    *out_total = list->total;
  list_result_free (list);
  return items;
}

static QuorumUser *
finish_auth (QuorumClient         *self,
             GAsyncResult         *result,
             gpointer              source_tag,
             char                **out_token,
             QuorumOrganization  **out_organization,
             GError              **error)
{
  g_autoptr(AuthResult) auth = request_finish (self, result, source_tag, error);

  if (out_token != NULL)
    *out_token = NULL;
  if (out_organization != NULL)
    *out_organization = NULL;
  if (auth == NULL)
    return NULL;

  /* The client is now signed in as the new session. */
  quorum_client_set_token (self, auth->token);

  if (out_token != NULL)
    *out_token = g_strdup (auth->token);
  if (out_organization != NULL)
    *out_organization = g_steal_pointer (&auth->organization);
  return g_steal_pointer (&auth->user);
}

static gpointer
parse_health (Request   *request,
              JsonNode  *root,
              GError   **error)
{
  JsonObject *object;
  g_autofree char *status = NULL;
  char *version = NULL;

  if (!(object = _quorum_json_get_root_object (root, "health answer", error)))
    return NULL;
  if (!_quorum_json_get_string (object, "status", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID, 64, &status, error))
    return NULL;
  if (!g_str_equal (status, "ok"))
    {
      g_propagate_error (error, _quorum_api_error_new (QUORUM_API_ERROR_SERVER, request->status, NULL, 0,
                                                       "The server is not ready"));
      return NULL;
    }
  if (!_quorum_json_get_string (object, "version", QUORUM_JSON_REQUIRED, QUORUM_JSON_TEXT, 64, &version, error))
    return NULL;
  return version;
}

/**
 * quorum_client_check_server_async:
 *
 * Asks GET /health, so the sign-in view can tell "no Quorum server there"
 * apart from a wrong password before anything secret is sent.
 */
void
quorum_client_check_server_async (QuorumClient        *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Request *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));

  request = request_new (self, "GET", g_strdup ("/health"));
  request->outside_v1 = TRUE;
  request->send_token = FALSE;
  request_send (request, parse_health, g_free, quorum_client_check_server_async,
                cancellable, callback, user_data);
}

/**
 * quorum_client_check_server_finish:
 *
 * Returns: (transfer full): the server's version
 */
char *
quorum_client_check_server_finish (QuorumClient  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return request_finish (self, result, quorum_client_check_server_async, error);
}

/* Identity */

void
quorum_client_sign_up_async (QuorumClient        *self,
                             const char          *name,
                             const char          *email,
                             const char          *password,
                             const char          *organization_name,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  Request *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (name != NULL && email != NULL && password != NULL);

  json_builder_begin_object (builder);
  add_string (builder, "name", name);
  add_string (builder, "email", email);
  add_string (builder, "password", password);
  add_string (builder, "organization_name", organization_name);
  body = object_node (builder);

  request = request_new (self, "POST", g_strdup ("/users"));
  request->send_token = FALSE;
  request_set_json_body (request, body);
  request_send (request, parse_auth, (GDestroyNotify) auth_result_free,
                quorum_client_sign_up_async, cancellable, callback, user_data);
}

/**
 * quorum_client_sign_up_finish:
 * @out_token: (out) (optional): the new session token, to store in the keyring
 * @out_organization: (out) (optional): the user's first organization
 *
 * On success the client uses the new token for its next requests.
 */
QuorumUser *
quorum_client_sign_up_finish (QuorumClient        *self,
                              GAsyncResult        *result,
                              char               **out_token,
                              QuorumOrganization **out_organization,
                              GError             **error)
{
  return finish_auth (self, result, quorum_client_sign_up_async, out_token, out_organization, error);
}

void
quorum_client_sign_in_async (QuorumClient        *self,
                             const char          *email,
                             const char          *password,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  Request *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (email != NULL && password != NULL);

  json_builder_begin_object (builder);
  add_string (builder, "email", email);
  add_string (builder, "password", password);
  body = object_node (builder);

  request = request_new (self, "POST", g_strdup ("/sessions"));
  request->send_token = FALSE;
  request_set_json_body (request, body);
  request_send (request, parse_auth, (GDestroyNotify) auth_result_free,
                quorum_client_sign_in_async, cancellable, callback, user_data);
}

QuorumUser *
quorum_client_sign_in_finish (QuorumClient  *self,
                              GAsyncResult  *result,
                              char         **out_token,
                              GError       **error)
{
  return finish_auth (self, result, quorum_client_sign_in_async, out_token, NULL, error);
}

void
quorum_client_sign_out_async (QuorumClient        *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (QUORUM_IS_CLIENT (self));

  request_send (request_new (self, "DELETE", g_strdup ("/sessions/current")),
                parse_nothing, NULL, quorum_client_sign_out_async, cancellable, callback, user_data);
}

gboolean
quorum_client_sign_out_finish (QuorumClient  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  if (!finish_boolean (self, result, quorum_client_sign_out_async, error))
    return FALSE;
  quorum_client_set_token (self, NULL);
  return TRUE;
}

void
quorum_client_get_me_async (QuorumClient        *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (QUORUM_IS_CLIENT (self));

  request_send (request_new (self, "GET", g_strdup ("/me")),
                parse_user, g_object_unref, quorum_client_get_me_async, cancellable, callback, user_data);
}

QuorumUser *
quorum_client_get_me_finish (QuorumClient  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return request_finish (self, result, quorum_client_get_me_async, error);
}

void
quorum_client_update_me_async (QuorumClient        *self,
                               const char          *name,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  Request *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (name != NULL);

  json_builder_begin_object (builder);
  add_string (builder, "name", name);
  body = object_node (builder);

  request = request_new (self, "PATCH", g_strdup ("/me"));
  request_set_json_body (request, body);
  request_send (request, parse_user, g_object_unref, quorum_client_update_me_async,
                cancellable, callback, user_data);
}

QuorumUser *
quorum_client_update_me_finish (QuorumClient  *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return request_finish (self, result, quorum_client_update_me_async, error);
}

void
quorum_client_change_password_async (QuorumClient        *self,
                                     const char          *current_password,
                                     const char          *new_password,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  Request *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (current_password != NULL && new_password != NULL);

  json_builder_begin_object (builder);
  add_string (builder, "current_password", current_password);
  add_string (builder, "new_password", new_password);
  body = object_node (builder);

  request = request_new (self, "POST", g_strdup ("/me/password"));
  request_set_json_body (request, body);
  request_send (request, parse_nothing, NULL, quorum_client_change_password_async,
                cancellable, callback, user_data);
}

gboolean
quorum_client_change_password_finish (QuorumClient  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return finish_boolean (self, result, quorum_client_change_password_async, error);
}

/* An invitation addressed to the caller names the organization it is for:
 * without it there is nothing to show or to accept. */
static gpointer
my_invitation_new_from_json (JsonNode  *node,
                             GError   **error)
{
  g_autoptr(QuorumInvitation) invitation = quorum_invitation_new_from_json (node, error);

  if (invitation == NULL)
    return NULL;
  if (quorum_invitation_get_organization_id (invitation) == NULL ||
      quorum_invitation_get_organization_name (invitation) == NULL)
    {
      g_set_error_literal (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVALID_RESPONSE,
                           "The server sent an invitation without its organization");
      return NULL;
    }
  return g_steal_pointer (&invitation);
}

/* E-mail ownership and password reset */

/**
 * quorum_client_resend_verification_async:
 *
 * Asks the server to mail the signed-in user a new verification link
 * (POST /me/verification-email). Fails with %QUORUM_API_ERROR_ALREADY_VERIFIED
 * when there is nothing to verify, %QUORUM_API_ERROR_RATE_LIMITED when asked
 * too often (see quorum_api_error_get_retry_after()).
 */
void
quorum_client_resend_verification_async (QuorumClient        *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (QUORUM_IS_CLIENT (self));

  request_send (request_new (self, "POST", g_strdup ("/me/verification-email")),
                parse_nothing, NULL, quorum_client_resend_verification_async,
                cancellable, callback, user_data);
}

gboolean
quorum_client_resend_verification_finish (QuorumClient  *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  return finish_boolean (self, result, quorum_client_resend_verification_async, error);
}

/**
 * quorum_client_verify_email_async:
 * @verification_token: the `qrm_v_…` token of a verification link
 *
 * Marks the address verified (POST /email-verifications). The token proves
 * the inbox, not the account: no session token is sent with it.
 */
void
quorum_client_verify_email_async (QuorumClient        *self,
                                  const char          *verification_token,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  Request *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (verification_token != NULL);

  json_builder_begin_object (builder);
  add_string (builder, "token", verification_token);
  body = object_node (builder);

  request = request_new (self, "POST", g_strdup ("/email-verifications"));
  request->send_token = FALSE;
  request_set_json_body (request, body);
  request_send (request, parse_user, g_object_unref, quorum_client_verify_email_async,
                cancellable, callback, user_data);
}

/**
 * quorum_client_verify_email_finish:
 *
 * Returns: (transfer full): the user whose address is now verified
 */
QuorumUser *
quorum_client_verify_email_finish (QuorumClient  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return request_finish (self, result, quorum_client_verify_email_async, error);
}

/**
 * quorum_client_request_password_reset_async:
 *
 * Asks for a password reset link for @email (POST /password-resets). The
 * server answers the same whether or not an account has that address.
 */
void
quorum_client_request_password_reset_async (QuorumClient        *self,
                                            const char          *email,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  Request *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (email != NULL);

  json_builder_begin_object (builder);
  add_string (builder, "email", email);
  body = object_node (builder);

  request = request_new (self, "POST", g_strdup ("/password-resets"));
  request->send_token = FALSE;
  request_set_json_body (request, body);
  request_send (request, parse_nothing, NULL, quorum_client_request_password_reset_async,
                cancellable, callback, user_data);
}

gboolean
quorum_client_request_password_reset_finish (QuorumClient  *self,
                                             GAsyncResult  *result,
                                             GError       **error)
{
  return finish_boolean (self, result, quorum_client_request_password_reset_async, error);
}

/**
 * quorum_client_confirm_password_reset_async:
 * @reset_token: the `qrm_r_…` token of a reset link
 *
 * Sets a new password (POST /password-resets/confirm). The server ends every
 * other session of the user and answers with a new one, as sign-in does.
 */
void
quorum_client_confirm_password_reset_async (QuorumClient        *self,
                                            const char          *reset_token,
                                            const char          *password,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  Request *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (reset_token != NULL && password != NULL);

  json_builder_begin_object (builder);
  add_string (builder, "token", reset_token);
  add_string (builder, "password", password);
  body = object_node (builder);

  request = request_new (self, "POST", g_strdup ("/password-resets/confirm"));
  request->send_token = FALSE;
  request_set_json_body (request, body);
  request_send (request, parse_auth, (GDestroyNotify) auth_result_free,
                quorum_client_confirm_password_reset_async, cancellable, callback, user_data);
}

/**
 * quorum_client_confirm_password_reset_finish:
 * @out_token: (out) (optional): the new session token, to store in the keyring
 *
 * On success the client uses the new token for its next requests.
 */
QuorumUser *
quorum_client_confirm_password_reset_finish (QuorumClient  *self,
                                             GAsyncResult  *result,
                                             char         **out_token,
                                             GError       **error)
{
  return finish_auth (self, result, quorum_client_confirm_password_reset_async, out_token, NULL, error);
}

void
quorum_client_list_my_invitations_async (QuorumClient        *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  Request *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));

  request = request_new (self, "GET", g_strdup ("/me/invitations"));
  request->item_parse = my_invitation_new_from_json;
  request_send (request, parse_list, (GDestroyNotify) list_result_free,
                quorum_client_list_my_invitations_async, cancellable, callback, user_data);
}

/**
 * quorum_client_list_my_invitations_finish:
 *
 * Returns: (transfer container) (element-type QuorumInvitation): pending
 *   invitations addressed to the caller, with their organization's id and name
 */
GPtrArray *
quorum_client_list_my_invitations_finish (QuorumClient  *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  return finish_list (self, result, quorum_client_list_my_invitations_async, NULL, NULL, error);
}

/* Both ways of accepting answer the organization joined and the membership. */
static QuorumOrganization *
accept_finish (QuorumClient  *self,
               GAsyncResult  *result,
               gpointer       source_tag,
               QuorumMember **out_member,
               GError       **error)
{
  g_autoptr(AuthResult) auth = request_finish (self, result, source_tag, error);

  if (out_member != NULL)
    *out_member = NULL;
  if (auth == NULL)
    return NULL;
  if (out_member != NULL)
    *out_member = g_steal_pointer (&auth->member);
  return g_steal_pointer (&auth->organization);
}

/**
 * quorum_client_accept_my_invitation_async:
 * @invitation_id: the id of an invitation listed by
 *   quorum_client_list_my_invitations_async()
 *
 * Accepts an invitation addressed to the signed-in user without its token
 * (POST /me/invitations/{id}/accept). Not retried: a second try after a
 * lost answer would only say the invitation was used.
 */
void
quorum_client_accept_my_invitation_async (QuorumClient        *self,
                                          const char          *invitation_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (invitation_id != NULL);

  request_send (request_new (self, "POST", build_path ("/me/invitations/", invitation_id, "/accept", NULL)),
                parse_accept, (GDestroyNotify) auth_result_free, quorum_client_accept_my_invitation_async,
                cancellable, callback, user_data);
}

/**
 * quorum_client_accept_my_invitation_finish:
 * @out_member: (out) (optional): the caller's new membership
 *
 * Returns: (transfer full): the organization joined, with the caller's role
 */
QuorumOrganization *
quorum_client_accept_my_invitation_finish (QuorumClient  *self,
                                           GAsyncResult  *result,
                                           QuorumMember **out_member,
                                           GError       **error)
{
  return accept_finish (self, result, quorum_client_accept_my_invitation_async, out_member, error);
}

/**
 * quorum_client_decline_my_invitation_async:
 * @invitation_id: the id of an invitation listed by
 *   quorum_client_list_my_invitations_async()
 *
 * Declines an invitation addressed to the signed-in user
 * (POST /me/invitations/{id}/decline).
 */
void
quorum_client_decline_my_invitation_async (QuorumClient        *self,
                                           const char          *invitation_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (invitation_id != NULL);

  request_send (request_new (self, "POST", build_path ("/me/invitations/", invitation_id, "/decline", NULL)),
                parse_nothing, NULL, quorum_client_decline_my_invitation_async,
                cancellable, callback, user_data);
}

gboolean
quorum_client_decline_my_invitation_finish (QuorumClient  *self,
                                            GAsyncResult  *result,
                                            GError       **error)
{
  return finish_boolean (self, result, quorum_client_decline_my_invitation_async, error);
}

/* Organizations */

void
quorum_client_list_organizations_async (QuorumClient        *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  Request *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));

  request = request_new (self, "GET", g_strdup ("/organizations?limit=200"));
  request->item_parse = (gpointer (*) (JsonNode *, GError **)) quorum_organization_new_from_json;
  request_send (request, parse_list, (GDestroyNotify) list_result_free,
                quorum_client_list_organizations_async, cancellable, callback, user_data);
}

/**
 * quorum_client_list_organizations_finish:
 *
 * Returns: (transfer container) (element-type QuorumOrganization):
 */
GPtrArray *
quorum_client_list_organizations_finish (QuorumClient  *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return finish_list (self, result, quorum_client_list_organizations_async, NULL, NULL, error);
}

void
quorum_client_create_organization_async (QuorumClient        *self,
                                         const char          *name,
                                         const char          *slug,
                                         const char          *logo_url,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  Request *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (name != NULL);

  json_builder_begin_object (builder);
  add_string (builder, "name", name);
  add_string (builder, "slug", slug);
  add_string (builder, "logo_url", logo_url);
  body = object_node (builder);

  request = request_new (self, "POST", g_strdup ("/organizations"));
  request_set_json_body (request, body);
  request_send (request, parse_organization, g_object_unref, quorum_client_create_organization_async,
                cancellable, callback, user_data);
}

QuorumOrganization *
quorum_client_create_organization_finish (QuorumClient  *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  return request_finish (self, result, quorum_client_create_organization_async, error);
}

void
quorum_client_get_organization_async (QuorumClient        *self,
                                      const char          *organization_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL);

  request_send (request_new (self, "GET", build_path ("/organizations/", organization_id, NULL)),
                parse_organization, g_object_unref, quorum_client_get_organization_async,
                cancellable, callback, user_data);
}

QuorumOrganization *
quorum_client_get_organization_finish (QuorumClient  *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return request_finish (self, result, quorum_client_get_organization_async, error);
}

/**
 * quorum_client_update_organization_async:
 * @etag: (nullable): the organization's etag when it was shown, sent as
 *   If-Match so a concurrent change gives %QUORUM_API_ERROR_PRECONDITION_FAILED
 * @name: (nullable): @slug: (nullable): @logo_url: (nullable): what changes
 */
void
quorum_client_update_organization_async (QuorumClient        *self,
                                         const char          *organization_id,
                                         const char          *etag,
                                         const char          *name,
                                         const char          *slug,
                                         const char          *logo_url,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  Request *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL);

  json_builder_begin_object (builder);
  add_string (builder, "name", name);
  add_string (builder, "slug", slug);
  add_string (builder, "logo_url", logo_url);
  body = object_node (builder);

  request = request_new (self, "PATCH", build_path ("/organizations/", organization_id, NULL));
  request->if_match = g_strdup (etag);
  request_set_json_body (request, body);
  request_send (request, parse_organization, g_object_unref, quorum_client_update_organization_async,
                cancellable, callback, user_data);
}

QuorumOrganization *
quorum_client_update_organization_finish (QuorumClient  *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  return request_finish (self, result, quorum_client_update_organization_async, error);
}

/**
 * quorum_client_upload_logo_async:
 * @image: a PNG or JPEG file (at most 2 MiB, 120 to 1800 pixels a side);
 *   the server stores its own encoding of the decoded image
 * @content_type: "image/png" or "image/jpeg"
 */
void
quorum_client_upload_logo_async (QuorumClient        *self,
                                 const char          *organization_id,
                                 GBytes              *image,
                                 const char          *content_type,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Request *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && image != NULL && content_type != NULL);

  request = request_new (self, "PUT", build_path ("/organizations/", organization_id, "/logo", NULL));
  request->body = g_bytes_ref (image);
  request->content_type = g_intern_string (content_type);
  request_send (request, parse_organization, g_object_unref, quorum_client_upload_logo_async,
                cancellable, callback, user_data);
}

QuorumOrganization *
quorum_client_upload_logo_finish (QuorumClient  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return request_finish (self, result, quorum_client_upload_logo_async, error);
}

void
quorum_client_delete_organization_async (QuorumClient        *self,
                                         const char          *organization_id,
                                         const char          *confirm_slug,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  Request *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && confirm_slug != NULL);

  json_builder_begin_object (builder);
  add_string (builder, "confirm_slug", confirm_slug);
  body = object_node (builder);

  request = request_new (self, "DELETE", build_path ("/organizations/", organization_id, NULL));
  request_set_json_body (request, body);
  request_send (request, parse_nothing, NULL, quorum_client_delete_organization_async,
                cancellable, callback, user_data);
}

gboolean
quorum_client_delete_organization_finish (QuorumClient  *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  return finish_boolean (self, result, quorum_client_delete_organization_async, error);
}

void
quorum_client_transfer_ownership_async (QuorumClient        *self,
                                        const char          *organization_id,
                                        const char          *member_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  Request *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && member_id != NULL);

  json_builder_begin_object (builder);
  add_string (builder, "member_id", member_id);
  body = object_node (builder);

  request = request_new (self, "POST", build_path ("/organizations/", organization_id, "/transfer-ownership", NULL));
  request_set_json_body (request, body);
  request_send (request, parse_nothing, NULL, quorum_client_transfer_ownership_async,
                cancellable, callback, user_data);
}

gboolean
quorum_client_transfer_ownership_finish (QuorumClient  *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return finish_boolean (self, result, quorum_client_transfer_ownership_async, error);
}

void
quorum_client_leave_organization_async (QuorumClient        *self,
                                        const char          *organization_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL);

  request_send (request_new (self, "POST", build_path ("/organizations/", organization_id, "/leave", NULL)),
                parse_nothing, NULL, quorum_client_leave_organization_async,
                cancellable, callback, user_data);
}

gboolean
quorum_client_leave_organization_finish (QuorumClient  *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return finish_boolean (self, result, quorum_client_leave_organization_async, error);
}

/* Members */

/**
 * quorum_client_list_members_async:
 * @query: (nullable): matches name or e-mail
 * @role: a role to filter on, or %QUORUM_ROLE_NONE for all
 * @status: (nullable): "active" or "suspended", or %NULL for both
 * @cursor: (nullable): the previous page's next cursor
 * @limit: page size, 1–200 (0 for the server's default)
 */
void
quorum_client_list_members_async (QuorumClient        *self,
                                  const char          *organization_id,
                                  const char          *query,
                                  QuorumRole           role,
                                  const char          *status,
                                  const char          *cursor,
                                  guint                limit,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *base = NULL;
  g_autofree char *limit_str = NULL;
  GString *path;
  Request *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL);
  g_return_if_fail (limit <= 200);

  base = build_path ("/organizations/", organization_id, "/members", NULL);
  path = g_string_new (base);
  add_query (path, "query", query);
  if (role != QUORUM_ROLE_NONE)
    add_query (path, "role", quorum_role_to_string (role));
  add_query (path, "status", status);
  if (limit > 0)
    add_query (path, "limit", (limit_str = g_strdup_printf ("%u", limit)));
  add_query (path, "cursor", cursor);

  request = request_new (self, "GET", g_string_free (path, FALSE));
  request->item_parse = (gpointer (*) (JsonNode *, GError **)) quorum_member_new_from_json;
  request_send (request, parse_list, (GDestroyNotify) list_result_free,
                quorum_client_list_members_async, cancellable, callback, user_data);
}

/**
 * quorum_client_list_members_finish:
 * @out_next_cursor: (out) (optional): the cursor of the next page, %NULL at the end
 * @out_total: (out) (optional): how many members match in all
 *
 * Returns: (transfer container) (element-type QuorumMember): one page
 */
GPtrArray *
quorum_client_list_members_finish (QuorumClient  *self,
                                   GAsyncResult  *result,
                                   char         **out_next_cursor,
                                   guint         *out_total,
                                   GError       **error)
{
  return finish_list (self, result, quorum_client_list_members_async, out_next_cursor, out_total, error);
}

void
quorum_client_update_member_async (QuorumClient        *self,
                                   const char          *organization_id,
                                   const char          *member_id,
                                   QuorumRole           role,
                                   const char          *status,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  Request *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && member_id != NULL);

  json_builder_begin_object (builder);
  if (role != QUORUM_ROLE_NONE)
    add_string (builder, "role", quorum_role_to_string (role));
  add_string (builder, "status", status);
  body = object_node (builder);

  request = request_new (self, "PATCH", build_path ("/organizations/", organization_id,
                                                    "/members/", member_id, NULL));
  request_set_json_body (request, body);
  request_send (request, parse_member, g_object_unref, quorum_client_update_member_async,
                cancellable, callback, user_data);
}

QuorumMember *
quorum_client_update_member_finish (QuorumClient  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return request_finish (self, result, quorum_client_update_member_async, error);
}

void
quorum_client_remove_member_async (QuorumClient        *self,
                                   const char          *organization_id,
                                   const char          *member_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && member_id != NULL);

  request_send (request_new (self, "DELETE", build_path ("/organizations/", organization_id,
                                                         "/members/", member_id, NULL)),
                parse_nothing, NULL, quorum_client_remove_member_async,
                cancellable, callback, user_data);
}

gboolean
quorum_client_remove_member_finish (QuorumClient  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return finish_boolean (self, result, quorum_client_remove_member_async, error);
}

/* Invitations */

void
quorum_client_list_invitations_async (QuorumClient        *self,
                                      const char          *organization_id,
                                      const char          *status,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autofree char *base = NULL;
  GString *path;
  Request *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL);

  base = build_path ("/organizations/", organization_id, "/invitations", NULL);
  path = g_string_new (base);
  add_query (path, "status", status);

  request = request_new (self, "GET", g_string_free (path, FALSE));
  request->item_parse = (gpointer (*) (JsonNode *, GError **)) quorum_invitation_new_from_json;
  request_send (request, parse_list, (GDestroyNotify) list_result_free,
                quorum_client_list_invitations_async, cancellable, callback, user_data);
}

/**
 * quorum_client_list_invitations_finish:
 *
 * Returns: (transfer container) (element-type QuorumInvitation):
 */
GPtrArray *
quorum_client_list_invitations_finish (QuorumClient  *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return finish_list (self, result, quorum_client_list_invitations_async, NULL, NULL, error);
}

/**
 * quorum_client_create_invitation_async:
 * @idempotency_key: (nullable): sent as Idempotency-Key; %NULL makes a fresh
 *   one, so the request may be retried safely. Pass the same key again when
 *   the user retries the same invitation.
 */
void
quorum_client_create_invitation_async (QuorumClient        *self,
                                       const char          *organization_id,
                                       const char          *email,
                                       QuorumRole           role,
                                       const char          *idempotency_key,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  Request *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && email != NULL);
  g_return_if_fail (quorum_role_is_assignable (role));

  json_builder_begin_object (builder);
  add_string (builder, "email", email);
  add_string (builder, "role", quorum_role_to_string (role));
  body = object_node (builder);

  request = request_new (self, "POST", build_path ("/organizations/", organization_id, "/invitations", NULL));
  request->idempotency_key = idempotency_key != NULL ? g_strdup (idempotency_key) : g_uuid_string_random ();
  request_set_json_body (request, body);
  request_send (request, parse_invitation, g_object_unref, quorum_client_create_invitation_async,
                cancellable, callback, user_data);
}

QuorumInvitation *
quorum_client_create_invitation_finish (QuorumClient  *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return request_finish (self, result, quorum_client_create_invitation_async, error);
}

void
quorum_client_resend_invitation_async (QuorumClient        *self,
                                       const char          *organization_id,
                                       const char          *invitation_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && invitation_id != NULL);

  request_send (request_new (self, "POST", build_path ("/organizations/", organization_id,
                                                       "/invitations/", invitation_id, "/resend", NULL)),
                parse_invitation, g_object_unref, quorum_client_resend_invitation_async,
                cancellable, callback, user_data);
}

QuorumInvitation *
quorum_client_resend_invitation_finish (QuorumClient  *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return request_finish (self, result, quorum_client_resend_invitation_async, error);
}

void
quorum_client_revoke_invitation_async (QuorumClient        *self,
                                       const char          *organization_id,
                                       const char          *invitation_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && invitation_id != NULL);

  request_send (request_new (self, "DELETE", build_path ("/organizations/", organization_id,
                                                         "/invitations/", invitation_id, NULL)),
                parse_nothing, NULL, quorum_client_revoke_invitation_async,
                cancellable, callback, user_data);
}

gboolean
quorum_client_revoke_invitation_finish (QuorumClient  *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return finish_boolean (self, result, quorum_client_revoke_invitation_async, error);
}

void
quorum_client_get_invitation_preview_async (QuorumClient        *self,
                                            const char          *invitation_token,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  Request *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (invitation_token != NULL);

  request = request_new (self, "GET", build_path ("/invitations/", invitation_token, NULL));
  request->send_token = FALSE;
  request_send (request, parse_preview, g_object_unref, quorum_client_get_invitation_preview_async,
                cancellable, callback, user_data);
}

QuorumInvitationPreview *
quorum_client_get_invitation_preview_finish (QuorumClient  *self,
                                             GAsyncResult  *result,
                                             GError       **error)
{
  return request_finish (self, result, quorum_client_get_invitation_preview_async, error);
}

void
quorum_client_accept_invitation_async (QuorumClient        *self,
                                       const char          *invitation_token,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (invitation_token != NULL);

  request_send (request_new (self, "POST", build_path ("/invitations/", invitation_token, "/accept", NULL)),
                parse_accept, (GDestroyNotify) auth_result_free, quorum_client_accept_invitation_async,
                cancellable, callback, user_data);
}

/**
 * quorum_client_accept_invitation_finish:
 * @out_member: (out) (optional): the caller's new membership
 *
 * Returns: (transfer full): the organization joined
 */
QuorumOrganization *
quorum_client_accept_invitation_finish (QuorumClient  *self,
                                        GAsyncResult  *result,
                                        QuorumMember **out_member,
                                        GError       **error)
{
  return accept_finish (self, result, quorum_client_accept_invitation_async, out_member, error);
}

void
quorum_client_setup_invitation_async (QuorumClient        *self,
                                      const char          *invitation_token,
                                      const char          *name,
                                      const char          *password,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  Request *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (invitation_token != NULL && name != NULL && password != NULL);

  json_builder_begin_object (builder);
  add_string (builder, "name", name);
  add_string (builder, "password", password);
  body = object_node (builder);

  request = request_new (self, "POST", build_path ("/invitations/", invitation_token, "/setup", NULL));
  request->send_token = FALSE;
  request_set_json_body (request, body);
  request_send (request, parse_auth, (GDestroyNotify) auth_result_free,
                quorum_client_setup_invitation_async, cancellable, callback, user_data);
}

QuorumUser *
quorum_client_setup_invitation_finish (QuorumClient        *self,
                                       GAsyncResult        *result,
                                       char               **out_token,
                                       QuorumOrganization **out_organization,
                                       GError             **error)
{
  return finish_auth (self, result, quorum_client_setup_invitation_async, out_token, out_organization, error);
}

void
quorum_client_decline_invitation_async (QuorumClient        *self,
                                        const char          *invitation_token,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (invitation_token != NULL);

  request_send (request_new (self, "POST", build_path ("/invitations/", invitation_token, "/decline", NULL)),
                parse_nothing, NULL, quorum_client_decline_invitation_async,
                cancellable, callback, user_data);
}

gboolean
quorum_client_decline_invitation_finish (QuorumClient  *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return finish_boolean (self, result, quorum_client_decline_invitation_async, error);
}
