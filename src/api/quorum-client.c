/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "quorum-client-private.h"

/*
 * The transport: the session, the token, the rules below, retries and
 * errors. The endpoints live in quorum-client-<area>.c and describe each
 * request with quorum-client-private.h; a new area of the API is a new file.
 *
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

  GHashTable  *prefetches;        /* path → Prefetch */
  GPtrArray   *prefetch_watchers; /* GTask of quorum_client_wait_prefetched_async() */
  gboolean     prefetch_next;     /* the next request sent is a prefetch */
  QuorumPrefetchThen prefetch_then;  /* …and what follows its answer */
  char        *prefetch_then_data;
  guint64      prefetch_serial;
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

/*
 * Prefetch: a GET asked for before anyone needs its answer, so that answers
 * which do not depend on each other travel together (after sign-in: the
 * organizations, the invitations, /me and the organization to open, while
 * the keyring stores the token). The 2xx answer is kept, for one use, by
 * the next request for the same path, at most QUORUM_CLIENT_PREFETCH_KEEP_S
 * seconds; a request made while the prefetch is in flight waits for it
 * rather than asking twice. A failed prefetch keeps nothing: the request
 * then asks the server itself and meets the error first hand.
 */
#define QUORUM_CLIENT_PREFETCH_KEEP_S 30

typedef struct
{
  char        *path;
  guint64      serial;
  gboolean     in_flight;
  SoupMessage *message;     /* the 2xx answer kept, or NULL */
  GBytes      *body;
  guint        status;
  gint64       answered_at;
  GPtrArray   *waiters;     /* GTask of requests for the same path */
  QuorumPrefetchThen then;  /* called with the 2xx answer */
  char        *then_data;
} Prefetch;

static void
prefetch_free (Prefetch *prefetch)
{
  g_assert (prefetch->waiters->len == 0);
  g_free (prefetch->path);
  g_free (prefetch->then_data);
  g_clear_object (&prefetch->message);
  g_clear_pointer (&prefetch->body, g_bytes_unref);
  g_ptr_array_unref (prefetch->waiters);
  g_free (prefetch);
}

static void start_attempt (GTask *task);
static void clear_prefetches (QuorumClient *self);

static void
clear_wait_sources (QuorumRequest *request)
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

static void
request_free (QuorumRequest *request)
{
  clear_wait_sources (request);
  g_clear_object (&request->client);
  g_free (request->method);
  g_free (request->path);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request->if_match);
  g_free (request->idempotency_key);
  g_clear_object (&request->message);
  g_clear_object (&request->stream);
  g_clear_pointer (&request->buffer, g_byte_array_unref);
  g_clear_object (&request->sink);
  g_clear_pointer (&request->sink_chunk, g_bytes_unref);
  g_free (request);
}

SoupSession *
quorum_client_get_default_session (void)
{
  static SoupSession *session;

  if (g_once_init_enter (&session))
    {
      g_autofree char *user_agent = g_strdup_printf ("Quorum/%s", PACKAGE_VERSION);
      /* libsoup's default of 2 connections per host would queue the
       * answers that should travel together (after sign-in: five or six). */
      SoupSession *s = soup_session_new_with_options ("user-agent", user_agent,
                                                      "timeout", QUORUM_CLIENT_TIMEOUT_SECONDS,
                                                      "idle-timeout", 60,
                                                      "max-conns-per-host", QUORUM_CLIENT_MAX_CONNS_PER_HOST,
                                                      NULL);
      g_once_init_leave (&session, s);
    }

  return session;
}

static void
quorum_client_finalize (GObject *object)
{
  QuorumClient *self = QUORUM_CLIENT (object);

  g_clear_pointer (&self->prefetches, g_hash_table_unref);
  g_clear_pointer (&self->prefetch_then_data, g_free);
  g_clear_pointer (&self->prefetch_watchers, g_ptr_array_unref);
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
  self->prefetches = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) prefetch_free);
  self->prefetch_watchers = g_ptr_array_new ();
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

  /* Answers kept for one token are never handed to another. */
  if (g_strcmp0 (self->token, token) != 0)
    clear_prefetches (self);

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

static gboolean
request_is_retryable (QuorumRequest *request)
{
  if (g_str_equal (request->method, "GET") ||
      g_str_equal (request->method, "PUT") ||
      g_str_equal (request->method, "DELETE"))
    return TRUE;

  return request->idempotency_key != NULL;
}

/* @path_format is the part of the URL after /v1; each %s in it is one path
 * segment, escaped: _quorum_request_new (client, "GET", "/organizations/%s", id). */
QuorumRequest *
_quorum_request_new (QuorumClient *self,
                     const char   *method,
                     const char   *path_format,
                     ...)
{
  QuorumRequest *request = g_new0 (QuorumRequest, 1);
  GString *path = g_string_new (NULL);
  va_list args;

  va_start (args, path_format);
  for (const char *p = path_format; *p != '\0'; p++)
    {
      if (p[0] == '%' && p[1] == 's')
        {
          g_autofree char *escaped = g_uri_escape_string (va_arg (args, const char *), NULL, FALSE);

          g_string_append (path, escaped);
          p++;
        }
      else
        g_string_append_c (path, *p);
    }
  va_end (args);

  request->client = g_object_ref (self);
  request->method = g_strdup (method);
  request->path = g_string_free (path, FALSE);
  request->send_token = TRUE;
  return request;
}

/* Adds ?key=value (or &key=value) to the request's path; a NULL or empty
 * value is left out. */
void
_quorum_request_add_query (QuorumRequest *request,
                           const char    *key,
                           const char    *value)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  if (value == NULL || *value == '\0')
    return;

  escaped = g_uri_escape_string (value, NULL, FALSE);
  path = g_steal_pointer (&request->path);
  request->path = g_strdup_printf ("%s%c%s=%s", path, strchr (path, '?') != NULL ? '&' : '?', key, escaped);
}

/* The one way a request gets a JSON body: an object of string members,
 * given as name, value pairs ending with NULL; a NULL value is left out. */
void
_quorum_request_set_json (QuorumRequest *request,
                          const char    *first_member,
                          ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *member = first_member;
  va_list args;

  json_builder_begin_object (builder);
  va_start (args, first_member);
  while (member != NULL)
    {
      const char *value = va_arg (args, const char *);

      if (value != NULL)
        {
          json_builder_set_member_name (builder, member);
          json_builder_add_string_value (builder, value);
        }
      member = va_arg (args, const char *);
    }
  va_end (args);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  _quorum_request_take_json (request, g_steal_pointer (&root));
}

/* A JSON body of any shape (numbers, null), for what string members cannot
 * say; takes @root. */
void
_quorum_request_take_json (QuorumRequest *request,
                           JsonNode      *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) owned = root;
  gsize length = 0;
  char *data;

  json_generator_set_root (generator, owned);
  data = json_generator_to_data (generator, &length);
  g_clear_pointer (&request->body, g_bytes_unref);
  request->body = g_bytes_new_take (data, length);
  request->content_type = "application/json";
}

static GError *
error_for_status (QuorumRequest *request,
                  const char    *data,
                  gsize       length)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *code = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *title = NULL;
  g_autofree char *status_line = NULL;
  g_autofree char *full_detail = NULL;
  const char *words;
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

  {
    const char *phrase = soup_message_get_reason_phrase (request->message);

    status_line = g_strdup_printf ("HTTP %u %s", request->status,
                                   phrase != NULL && g_utf8_validate (phrase, -1, NULL) ? phrase : "");
    g_strchomp (status_line);
  }

  /* The client's own words where it has them; a server failure (5xx) is
   * always told in plain words, its text only in the detail; otherwise the
   * server's detail (a 4xx detail is written for people), else plain words
   * for the family (a title is HTTP's phrase: detail). The status line is
   * never the message. */
  if (quorum_api_error_get_message (api_code) != NULL)
    words = quorum_api_error_get_message (api_code);
  else if (request->status == 503)
    words = _("The server is busy, try again in a moment");  /* overloaded or restarting: no fault */
  else if (api_code == QUORUM_API_ERROR_SERVER || request->status >= 500 || detail == NULL)
    words = quorum_api_error_get_plain_message (api_code);
  else
    words = detail;

  error = _quorum_api_error_new (api_code, request->status, code, retry_after, words);
  if (words == detail)
    _quorum_api_error_set_detail (error, status_line);
  else
    {
      g_autofree char *server_text = quorum_api_text_for_display (detail != NULL ? detail : title);

      if (*server_text != '\0')
        full_detail = g_strdup_printf ("%s: %s", status_line, server_text);
      _quorum_api_error_set_detail (error, full_detail != NULL ? full_detail : status_line);
    }
  if (fields != NULL)
    _quorum_api_error_take_fields (error, g_strv_builder_end (fields),
                                   g_strv_builder_end (messages));
  return error;
}

/* The server's host name, as the user gave it, for messages. */
static char *
client_host (QuorumClient *self)
{
  g_autoptr(GUri) uri = g_uri_parse (self->base_url, SOUP_HTTP_URI_FLAGS, NULL);

  if (uri != NULL && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0')
    return quorum_api_text_for_display (g_uri_get_host (uri));
  return g_strdup (_("The server"));
}

/*
 * Plain words naming the server, never GLib's text (that goes to the
 * detail). None starts with "Could not": they follow contexts that do.
 */
static GError *
error_for_transport (QuorumRequest *request,
                     const GError  *error)
{
  QuorumApiError code = QUORUM_API_ERROR_NETWORK;
  g_autofree char *host = NULL;
  g_autofree char *message = NULL;
  GError *api_error;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  host = client_host (request->client);
  if (error->domain == G_TLS_ERROR ||
      (request->message != NULL && soup_message_get_tls_peer_certificate_errors (request->message) != 0))
    {
      code = QUORUM_API_ERROR_TLS;
      /* Translators: %s is the server's host name */
      message = g_strdup_printf (_("The connection to %s is not secure: its identity cannot be verified"), host);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      code = QUORUM_API_ERROR_TIMEOUT;
      /* Translators: %s is the server's host name */
      message = g_strdup_printf (_("%s did not answer in time"), host);
    }
  else if (error->domain == G_RESOLVER_ERROR)
    /* Translators: %s is the server's host name */
    message = g_strdup_printf (_("The address %s was not found"), host);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    /* Translators: %s is the server's host name */
    message = g_strdup_printf (_("%s cannot be reached"), host);
  else
    /* Translators: %s is the server's host name */
    message = g_strdup_printf (_("The connection to %s was lost"), host);

  api_error = _quorum_api_error_new (code, 0, NULL, 0, message);
  _quorum_api_error_set_detail (api_error, error->message);
  return api_error;
}

static void
wait_then_retry (GTask *task,
                 guint  delay_ms);

/* Returns TRUE when the request was scheduled again. */
static gboolean
maybe_retry (GTask       *task,
             const GError *error)
{
  QuorumRequest *request = g_task_get_task_data (task);
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
  QuorumRequest *request = g_task_get_task_data (task);

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
  QuorumRequest *request = g_task_get_task_data (task);
  const char *data = (const char *) request->buffer->data;
  gsize length = request->buffer->len;
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;
  gpointer result;

  g_clear_object (&request->stream);

  if (request->status >= 300 && request->status <= 399)
    {
      finish_with_error (task, _quorum_api_error_new (QUORUM_API_ERROR_REDIRECT, request->status, NULL, 0,
                                                      _("The server answered with a redirect, which "
                                                        "Quorum never follows: use the server's own "
                                                        "https address")));
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
        soup_message_headers_get_content_type (soup_message_get_response_headers (request->message),
                                               NULL);

      if (content_type == NULL || !g_str_has_suffix (content_type, "json"))
        {
          g_autofree char *detail = g_strdup_printf ("HTTP %u, Content-Type: %s", request->status,
                                                     content_type != NULL ? content_type : "none");

          error = _quorum_api_error_new (QUORUM_API_ERROR_INVALID_RESPONSE, request->status, NULL, 0,
                                         quorum_api_error_get_plain_message (QUORUM_API_ERROR_INVALID_RESPONSE));
          _quorum_api_error_set_detail (error, detail);
          g_task_return_error (task, error);
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
  g_input_stream_read_bytes_async (stream, 64 * 1024, io_priority, cancellable, bounded_read_cb,
                                   task);
}

GBytes *
quorum_read_bounded_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* A network failure is retried when the request allows it. */
static void
fail_transport (GTask        *task,
                const GError *error)
{
  QuorumRequest *request = g_task_get_task_data (task);
  GError *api_error = error_for_transport (request, error);

  if (g_error_matches (api_error, QUORUM_API_ERROR, QUORUM_API_ERROR_NETWORK) &&
      maybe_retry (task, api_error))
    g_error_free (api_error);
  else
    g_task_return_error (task, api_error);
}

static void
fail_too_large (GTask *task)
{
  QuorumRequest *request = g_task_get_task_data (task);

  g_autofree char *detail = g_strdup_printf ("HTTP %u, more than %u bytes", request->status,
                                             (guint) QUORUM_CLIENT_MAX_RESPONSE_BYTES);
  GError *error = _quorum_api_error_new (QUORUM_API_ERROR_INVALID_RESPONSE, request->status, NULL, 0,
                                         _("The server's answer is too large"));

  _quorum_api_error_set_detail (error, detail);
  g_task_return_error (task, error);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QuorumRequest *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = quorum_read_bounded_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
    {
      fail_too_large (task);
      return;
    }
  if (bytes == NULL)
    {
      fail_transport (task, error);
      return;
    }

  g_clear_pointer (&request->buffer, g_byte_array_unref);
  request->buffer = g_bytes_unref_to_array (g_steal_pointer (&bytes));
  complete (task);
}

/* Streamed answers: read a chunk, write it, until the end or the limit. */

static void sink_read_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data);

static void
sink_write_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QuorumRequest *request = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (request->sink_wrote != NULL)
    request->sink_wrote (request->sink_chunk, request->sink_written, request->sink_wrote_data);
  g_clear_pointer (&request->sink_chunk, g_bytes_unref);
  g_input_stream_read_bytes_async (request->stream, 64 * 1024, G_PRIORITY_DEFAULT,
                                   cancellable, sink_read_cb, g_steal_pointer (&task));
}

static void
sink_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QuorumRequest *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;
  GCancellable *cancellable;
  gsize size;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      /* Part of the body may be written already: never retried. */
      g_task_return_error (task, error_for_transport (request, error));
      return;
    }

  size = g_bytes_get_size (chunk);
  if (size == 0)
    {
      gint64 *written = g_new (gint64, 1);

      g_clear_object (&request->stream);
      *written = (gint64) request->sink_written;
      g_task_return_pointer (task, written, g_free);
      return;
    }
  /* Checked before the chunk is written: never more than the limit. */
  if (request->sink_received + size > request->sink_max_bytes)
    {
      g_task_return_error (task, _quorum_api_error_new (QUORUM_API_ERROR_INVALID_RESPONSE,
                                                        request->status, NULL, 0,
                                                        _("The server's document is too large")));
      return;
    }

  cancellable = g_task_get_cancellable (task);
  request->sink_received += size;
  if (request->sink_filter != NULL)
    {
      GBytes *filtered = request->sink_filter (chunk, request->sink_filter_data);

      g_bytes_unref (chunk);
      chunk = filtered;
      size = g_bytes_get_size (chunk);
    }
  request->sink_written += size;
  request->sink_chunk = g_steal_pointer (&chunk);
  g_output_stream_write_all_async (request->sink, g_bytes_get_data (request->sink_chunk, NULL), size,
                                   G_PRIORITY_DEFAULT, cancellable, sink_write_cb,
                                   g_steal_pointer (&task));
}

static void
stream_to_sink (GTask   *task,
                goffset  content_length)
{
  QuorumRequest *request = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (request->message);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);

  if (request->sink_content_type != NULL &&
      g_strcmp0 (content_type, request->sink_content_type) != 0)
    {
      g_task_return_error (task, _quorum_api_error_new (QUORUM_API_ERROR_INVALID_RESPONSE,
                                                        request->status, NULL, 0,
                                                        _("The server answered with another kind of document")));
      g_object_unref (task);
      return;
    }
  if (content_length > 0 && (guint64) content_length > request->sink_max_bytes)
    {
      g_task_return_error (task, _quorum_api_error_new (QUORUM_API_ERROR_INVALID_RESPONSE,
                                                        request->status, NULL, 0,
                                                        _("The server's document is too large")));
      g_object_unref (task);
      return;
    }

  g_input_stream_read_bytes_async (request->stream, 64 * 1024, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), sink_read_cb, task);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QuorumRequest *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  goffset content_length;
  GCancellable *cancellable;

  request->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (request->stream == NULL)
    {
      fail_transport (task, error);
      return;
    }

  request->status = soup_message_get_status (request->message);
  content_length = soup_message_headers_get_content_length (soup_message_get_response_headers (request->message));
  if (request->sink != NULL && request->status >= 200 && request->status <= 299)
    {
      stream_to_sink (g_steal_pointer (&task), content_length);
      return;
    }
  if (content_length > QUORUM_CLIENT_MAX_RESPONSE_BYTES)
    {
      fail_too_large (task);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  quorum_read_bounded_async (request->stream, QUORUM_CLIENT_MAX_RESPONSE_BYTES, G_PRIORITY_DEFAULT,
                             cancellable, read_cb, g_steal_pointer (&task));
}

static gboolean
wait_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  QuorumRequest *request = g_task_get_task_data (task);

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
  QuorumRequest *request = g_task_get_task_data (task);

  clear_wait_sources (request);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static void
wait_then_retry (GTask *task,
                 guint  delay_ms)
{
  QuorumRequest *request = g_task_get_task_data (task);
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
  QuorumRequest *request = g_task_get_task_data (task);
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
                                                        _("The server address is not a valid http or https URL")));
      g_object_unref (task);
      return;
    }

  if (!self->allow_insecure && quorum_client_url_is_insecure (url))
    {
      g_task_return_error (task, _quorum_api_error_new (QUORUM_API_ERROR_INSECURE, 0, NULL, 0,
                                                        _("The server address uses plain http to another "
                                                          "computer: passwords and tokens would travel "
                                                          "unencrypted")));
      g_object_unref (task);
      return;
    }

  request->message = soup_message_new_from_uri (request->method, uri);
  /* A redirect could carry the token or a password to another origin. */
  soup_message_add_flags (request->message, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (request->message);
  if (request->sink_content_type != NULL)
    {
      g_autofree char *accept = g_strconcat (request->sink_content_type, ", application/problem+json", NULL);

      soup_message_headers_replace (headers, "Accept", accept);
    }
  else
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
    soup_message_set_request_body_from_bytes (request->message, request->content_type,
                                              request->body);

  soup_session_send_async (self->session, request->message, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), send_cb, task);
}

/* Prefetch */

static gboolean
prefetch_fresh (Prefetch *prefetch)
{
  return prefetch->message != NULL &&
         g_get_monotonic_time () - prefetch->answered_at <= QUORUM_CLIENT_PREFETCH_KEEP_S * G_USEC_PER_SEC;
}

/* Answers @task's request with the prefetched answer; takes @task. */
static void
serve_prefetched (GTask    *task,
                  Prefetch *prefetch)
{
  QuorumRequest *request = g_task_get_task_data (task);
  gsize length;
  const guint8 *data = g_bytes_get_data (prefetch->body, &length);

  clear_wait_sources (request);
  request->attempt = 1;
  request->token_sent = request->send_token;
  g_set_object (&request->message, prefetch->message);
  request->status = prefetch->status;
  g_clear_pointer (&request->buffer, g_byte_array_unref);
  request->buffer = g_byte_array_sized_new ((guint) length);
  g_byte_array_append (request->buffer, data, (guint) length);
  complete (task);
  g_object_unref (task);
}

static gboolean
prefetch_waiter_cancelled_cb (GCancellable *cancellable,
                              gpointer      user_data)
{
  GTask *task = user_data;
  QuorumRequest *request = g_task_get_task_data (task);
  GHashTableIter iter;
  Prefetch *prefetch;

  clear_wait_sources (request);
  g_hash_table_iter_init (&iter, request->client->prefetches);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &prefetch))
    g_ptr_array_remove (prefetch->waiters, task);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static void
notify_prefetch_watchers (QuorumClient *self)
{
  g_autoptr(GPtrArray) watchers = NULL;
  GHashTableIter iter;
  Prefetch *prefetch;

  g_hash_table_iter_init (&iter, self->prefetches);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &prefetch))
    if (prefetch->in_flight)
      return;

  watchers = g_steal_pointer (&self->prefetch_watchers);
  self->prefetch_watchers = g_ptr_array_new ();
  for (guint i = 0; i < watchers->len; i++)
    {
      g_task_return_boolean (watchers->pdata[i], TRUE);
      g_object_unref (watchers->pdata[i]);
    }
}

/* Hands the waiters of @prefetch (removed from the table) on: each gets the
 * answer, or asks the server itself. */
static void
release_waiters (Prefetch *prefetch)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&prefetch->waiters);

  prefetch->waiters = g_ptr_array_new ();
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = waiters->pdata[i];

      if (prefetch_fresh (prefetch))
        serve_prefetched (task, prefetch);
      else
        {
          clear_wait_sources (g_task_get_task_data (task));
          start_attempt (task);
        }
    }
}

static void
clear_prefetches (QuorumClient *self)
{
  GHashTableIter iter;
  Prefetch *prefetch;

  if (self->prefetches == NULL)
    return;
  g_hash_table_iter_init (&iter, self->prefetches);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &prefetch))
    {
      g_clear_object (&prefetch->message);
      release_waiters (prefetch);
    }
  g_hash_table_remove_all (self->prefetches);
  notify_prefetch_watchers (self);
}

/**
 * quorum_client_prefetch_drop:
 *
 * Forgets every prefetched answer, so that each request from now on asks the
 * server. The window calls it once the first organization is open: an answer
 * kept longer could hide a change made meanwhile elsewhere (a refresh must
 * see it). Requests waiting for a prefetch in flight go to the network.
 */
void
quorum_client_prefetch_drop (QuorumClient *self)
{
  g_return_if_fail (QUORUM_IS_CLIENT (self));

  clear_prefetches (self);
}

typedef struct
{
  char    *path;
  guint64  serial;
} PrefetchKey;

static void
prefetch_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  QuorumClient *self = QUORUM_CLIENT (object);
  PrefetchKey *key = user_data;
  QuorumRequest *request = g_task_get_task_data (G_TASK (result));
  Prefetch *prefetch = g_hash_table_lookup (self->prefetches, key->path);
  g_autoptr(GError) error = NULL;

  g_task_propagate_pointer (G_TASK (result), &error);
  if (prefetch != NULL && prefetch->serial == key->serial)
    {
      prefetch->in_flight = FALSE;
      if (error == NULL && request->status >= 200 && request->status <= 299 &&
          request->message != NULL && request->buffer != NULL)
        {
          prefetch->message = g_object_ref (request->message);
          prefetch->body = g_bytes_new (request->buffer->data, request->buffer->len);
          prefetch->status = request->status;
          prefetch->answered_at = g_get_monotonic_time ();
        }
      else
        g_debug ("Prefetch of %s kept nothing: %s", key->path,
                 error != NULL ? error->message : "no answer");

      /* What depends on this answer goes out before the watchers hear. */
      if (prefetch->message != NULL && prefetch->then != NULL)
        prefetch->then (self, request, prefetch->then_data);

      /* Kept only for a request still to come. */
      g_hash_table_steal (self->prefetches, key->path);
      if (prefetch->message != NULL && prefetch->waiters->len == 0)
        g_hash_table_insert (self->prefetches, prefetch->path, prefetch);
      else
        {
          release_waiters (prefetch);
          prefetch_free (prefetch);
        }
    }
  notify_prefetch_watchers (self);
  g_free (key->path);
  g_free (key);
}

static void
send_prefetch (QuorumRequest *request)
{
  QuorumClient *self = request->client;
  Prefetch *prefetch;
  PrefetchKey *key;
  GTask *task;

  if (!g_str_equal (request->method, "GET") || g_hash_table_contains (self->prefetches, request->path))
    {
      self->prefetch_then = NULL;
      g_clear_pointer (&self->prefetch_then_data, g_free);
      request_free (request);
      return;
    }

  prefetch = g_new0 (Prefetch, 1);
  prefetch->path = g_strdup (request->path);
  prefetch->serial = ++self->prefetch_serial;
  prefetch->in_flight = TRUE;
  prefetch->waiters = g_ptr_array_new ();
  prefetch->then = g_steal_pointer (&self->prefetch_then);
  prefetch->then_data = g_steal_pointer (&self->prefetch_then_data);
  g_hash_table_insert (self->prefetches, prefetch->path, prefetch);

  key = g_new0 (PrefetchKey, 1);
  key->path = g_strdup (request->path);
  key->serial = prefetch->serial;
  task = g_task_new (self, NULL, prefetch_done_cb, key);
  g_task_set_source_tag (task, send_prefetch);
  request->parse = _quorum_parse_nothing;
  request->result_free = NULL;
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  start_attempt (task);
}

/**
 * quorum_client_prefetch_begin:
 *
 * Makes the next request of this client a prefetch: a GET asked for now
 * because it will be asked for soon. Call the client's function (with no
 * callback) between this and quorum_client_prefetch_end():
 *
 * |[
 * quorum_client_prefetch_begin (client);
 * quorum_client_list_organizations_async (client, NULL, NULL, NULL);
 * quorum_client_prefetch_end (client);
 * ]|
 *
 * The next identical request gets the answer at once, or waits for it
 * while it is on its way. See "Prefetch" above.
 */
void
quorum_client_prefetch_begin (QuorumClient *self)
{
  g_return_if_fail (QUORUM_IS_CLIENT (self));

  self->prefetch_next = TRUE;
}

void
quorum_client_prefetch_end (QuorumClient *self)
{
  g_return_if_fail (QUORUM_IS_CLIENT (self));

  self->prefetch_next = FALSE;
  self->prefetch_then = NULL;
  g_clear_pointer (&self->prefetch_then_data, g_free);
}

/* The prefetch begun next calls @then with its 2xx answer (and @data,
 * which it frees). */
void
_quorum_client_prefetch_then (QuorumClient       *self,
                              QuorumPrefetchThen  then,
                              char               *data)
{
  self->prefetch_then = then;
  g_free (self->prefetch_then_data);
  self->prefetch_then_data = data;
}

/**
 * quorum_client_wait_prefetched_async:
 *
 * Completes when no prefetch is in flight any more, whatever their
 * answers; the requests that follow then find them kept.
 */
void
quorum_client_wait_prefetched_async (QuorumClient        *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (QUORUM_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, quorum_client_wait_prefetched_async);
  g_ptr_array_add (self->prefetch_watchers, task);
  notify_prefetch_watchers (self);
}

gboolean
quorum_client_wait_prefetched_finish (QuorumClient  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
_quorum_request_send (QuorumRequest       *request,
                      QuorumParseFunc      parse,
                      GDestroyNotify       result_free,
                      gpointer             source_tag,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  QuorumClient *self = request->client;
  Prefetch *prefetch;
  GTask *task;

  if (self->prefetch_next)
    {
      self->prefetch_next = FALSE;
      send_prefetch (request);
      return;
    }

  task = g_task_new (request->client, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  request->parse = parse;
  request->result_free = result_free;
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  prefetch = g_str_equal (request->method, "GET") ? g_hash_table_lookup (self->prefetches, request->path) : NULL;
  if (prefetch != NULL && prefetch->in_flight)
    {
      g_ptr_array_add (prefetch->waiters, task);
      if (cancellable != NULL)
        {
          request->cancel_source = g_cancellable_source_new (cancellable);
          g_source_set_callback (request->cancel_source, G_SOURCE_FUNC (prefetch_waiter_cancelled_cb), task, NULL);
          g_source_attach (request->cancel_source, g_task_get_context (task));
        }
      return;
    }
  if (prefetch != NULL)
    {
      g_hash_table_steal (self->prefetches, request->path);
      if (prefetch_fresh (prefetch))
        serve_prefetched (task, prefetch);
      else
        start_attempt (task);
      prefetch_free (prefetch);
      return;
    }

  start_attempt (task);
}

/* Saving to a file */

typedef struct
{
  GFile                *file;
  GOutputStream        *stream;
  QuorumSaveStartFunc   start;
  QuorumSaveFinishFunc  finish;
  gpointer              data;
  GDestroyNotify        data_free;
  gssize                written;
  gboolean              existed;
  GError               *error;
} SaveData;

static void
save_data_free (SaveData *save)
{
  g_clear_object (&save->file);
  g_clear_object (&save->stream);
  g_clear_error (&save->error);
  if (save->data_free != NULL)
    save->data_free (save->data);
  g_free (save);
}

static void
save_closed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SaveData *save = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, &error);
  if (save->error != NULL)
    {
      /* The close was cancelled on purpose, so GIO never moved the partial
       * document over a file that was there; a new file goes away. */
      if (!save->existed)
        g_file_delete (save->file, NULL, NULL);
      g_task_return_error (task, g_steal_pointer (&save->error));
    }
  else if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, save->written);
}

static void
save_downloaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SaveData *save = g_task_get_task_data (task);
  g_autoptr(GCancellable) abandon = NULL;

  save->written = save->finish (QUORUM_CLIENT (object), result, save->data, &save->error);
  if (save->error != NULL)
    {
      abandon = g_cancellable_new ();
      g_cancellable_cancel (abandon);
    }
  g_output_stream_close_async (save->stream, G_PRIORITY_DEFAULT, abandon, save_closed_cb,
                               g_steal_pointer (&task));
}

static void
save_replaced_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SaveData *save = g_task_get_task_data (task);
  QuorumClient *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  save->stream = G_OUTPUT_STREAM (g_file_replace_finish (G_FILE (object), result, &error));
  if (save->stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  save->start (self, save->stream, save->data, cancellable, save_downloaded_cb, g_steal_pointer (&task));
}

void
_quorum_client_save_async (QuorumClient         *self,
                           GFile                *file,
                           QuorumSaveStartFunc   start,
                           QuorumSaveFinishFunc  finish,
                           gpointer              data,
                           GDestroyNotify        data_free,
                           gpointer              source_tag,
                           GCancellable         *cancellable,
                           GAsyncReadyCallback   callback,
                           gpointer              user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  SaveData *save = g_new0 (SaveData, 1);

  g_task_set_source_tag (task, source_tag);
  save->file = g_object_ref (file);
  save->start = start;
  save->finish = finish;
  save->data = data;
  save->data_free = data_free;
  save->existed = g_file_query_exists (file, NULL);
  g_task_set_task_data (task, save, (GDestroyNotify) save_data_free);

  g_file_replace_async (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, G_PRIORITY_DEFAULT,
                        cancellable, save_replaced_cb, task);
}

gssize
_quorum_client_save_finish (QuorumClient  *self,
                            GAsyncResult  *result,
                            gpointer       source_tag,
                            gpointer      *data_out,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, -1);

  if (data_out != NULL)
    *data_out = ((SaveData *) g_task_get_task_data (G_TASK (result)))->data;
  return g_task_propagate_int (G_TASK (result), error);
}

gpointer
_quorum_request_finish (QuorumClient  *self,
                        GAsyncResult  *result,
                        gpointer       source_tag,
                        GError       **error)
{
  g_return_val_if_fail (QUORUM_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Parsers for the answers */

gpointer
_quorum_parse_nothing (QuorumRequest *request,
                       JsonNode      *root,
                       GError       **error)
{
  return GINT_TO_POINTER (1);
}

void
_quorum_list_result_free (QuorumListResult *list)
{
  g_clear_pointer (&list->items, g_ptr_array_unref);
  g_free (list->next_cursor);
  g_free (list);
}

/* One model, with request->parse_object. */
gpointer
_quorum_parse_object (QuorumRequest *request,
                      JsonNode      *root,
                      GError       **error)
{
  return request->parse_object (root, error);
}

/* A page of models, each with request->parse_object. */
gpointer
_quorum_parse_list (QuorumRequest *request,
                    JsonNode      *root,
                    GError       **error)
{
  QuorumListResult *list;
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
      gpointer item = request->parse_object (json_array_get_element (array, i), error);

      if (item == NULL)
        return NULL;
      g_ptr_array_add (items, item);
    }

  if (next_cursor != NULL && *next_cursor == '\0')
    g_clear_pointer (&next_cursor, g_free);

  list = g_new0 (QuorumListResult, 1);
  list->items = g_steal_pointer (&items);
  list->next_cursor = g_steal_pointer (&next_cursor);
  list->total = (guint) MAX (total, (gint64) list->items->len);
  return list;
}

void
_quorum_auth_result_free (QuorumAuthResult *auth)
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

/* {user, token, organization?}: sign-up, sign-in, invitation set-up. */
gpointer
_quorum_parse_auth (QuorumRequest *request,
                    JsonNode      *root,
                    GError       **error)
{
  g_autoptr(QuorumAuthResult) auth = g_new0 (QuorumAuthResult, 1);
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
const char *
_quorum_request_get_etag (QuorumRequest *request)
{
  const char *etag = soup_message_headers_get_one (soup_message_get_response_headers (request->message), "ETag");

  if (etag == NULL || strlen (etag) > 256 || !g_utf8_validate (etag, -1, NULL))
    return NULL;
  return etag;
}

gboolean
_quorum_request_finish_boolean (QuorumClient  *self,
                                GAsyncResult  *result,
                                gpointer       source_tag,
                                GError       **error)
{
  return _quorum_request_finish (self, result, source_tag, error) != NULL;
}

GPtrArray *
_quorum_request_finish_list (QuorumClient  *self,
                             GAsyncResult  *result,
                             gpointer       source_tag,
                             char         **out_next_cursor,
                             guint         *out_total,
                             GError       **error)
{
  QuorumListResult *list = _quorum_request_finish (self, result, source_tag, error);
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
  _quorum_list_result_free (list);
  return items;
}

QuorumUser *
_quorum_request_finish_auth (QuorumClient         *self,
                             GAsyncResult         *result,
                             gpointer              source_tag,
                             char                **out_token,
                             QuorumOrganization  **out_organization,
                             GError              **error)
{
  g_autoptr(QuorumAuthResult) auth = _quorum_request_finish (self, result, source_tag, error);

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
parse_health (QuorumRequest *request,
              JsonNode      *root,
              GError       **error)
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
                                                       _("The server is not ready")));
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
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));

  request = _quorum_request_new (self, "GET", "/health");
  request->outside_v1 = TRUE;
  request->send_token = FALSE;
  _quorum_request_send (request, parse_health, g_free, quorum_client_check_server_async,
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
  return _quorum_request_finish (self, result, quorum_client_check_server_async, error);
}
