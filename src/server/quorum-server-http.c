/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sodium.h>

#include "quorum-server-http.h"
#include "quorum-server-state.h"

/* The request body as it streams in, capped at limit. */
typedef struct
{
  GByteArray *data;
  gsize       limit;
  gboolean    refused;
} QsBodyReader;

/* ---------------------------------------------------------------- responses */

void
qs_json_set_secret (QsRequest  *req,
                    JsonObject *object,
                    const char *member,
                    const char *secret)
{
  req->carries_secret = TRUE;
  json_object_set_string_member (object, member, secret);
}

char *
qs_json_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static void
set_common_headers (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
}

/* TRUE when the request's Accept-Encoding takes gzip (q above 0). */
static gboolean
accepts_gzip (SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                      "Accept-Encoding");
  GSList *acceptable;
  gboolean gzip = FALSE;

  if (header == NULL)
    return FALSE;
  acceptable = soup_header_parse_quality_list (header, NULL);
  for (GSList *l = acceptable; l != NULL && !gzip; l = l->next)
    gzip = g_ascii_strcasecmp (l->data, "gzip") == 0;
  g_slist_free_full (acceptable, g_free);
  return gzip;
}

/* gzip at zlib's fastest level; NULL when it fails or would not be
 * smaller. One compressor, reset for each answer: setting one up (zlib's
 * 256 KiB of state) cost more than compressing a page. Main loop only. */
static GBytes *
gzip_body (const char *data,
           gsize       len)
{
  static GZlibCompressor *compressor;
  gsize cap = len / 4 + 64;
  gsize in_done = 0, out_done = 0;
  guint8 *out = g_malloc (cap);

  if (compressor == NULL)
    compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1);
  g_converter_reset (G_CONVERTER (compressor));
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gsize read = 0, written = 0;
      GConverterResult result = g_converter_convert (G_CONVERTER (compressor), data + in_done,
                                                     len - in_done, out + out_done, cap - out_done,
                                                     G_CONVERTER_INPUT_AT_END, &read, &written, &error);

      in_done += read;
      out_done += written;
      if (result == G_CONVERTER_FINISHED)
        break;
      if (result == G_CONVERTER_ERROR && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        {
          g_free (out);
          return NULL;
        }
      if (out_done + 64 > cap || result == G_CONVERTER_ERROR)
        {
          cap *= 2;
          out = g_realloc (out, cap);
        }
    }
  if (out_done >= len)
    {
      g_free (out);
      return NULL;
    }
  return g_bytes_new_take (out, out_done);
}

/* Bodies past QS_GZIP_MIN_SIZE go gzipped to clients that take it (the
 * app's SoupSession asks for it); the answer then varies with
 * Accept-Encoding, so it says so either way. A body holding a secret
 * (compressible FALSE) is sent as it is, always: compressing it next to
 * text the attacker chose (a name, a URL) would let its compressed length
 * reveal the secret (BREACH). */
static void
respond_body (SoupServerMessage *msg,
              guint              status,
              const char        *content_type,
              char              *body,
              gboolean           compressible)
{
  gsize len = strlen (body);

  set_common_headers (msg);
  soup_server_message_set_status (msg, status, NULL);
  if (compressible && len > QS_GZIP_MIN_SIZE)
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
      g_autoptr(GBytes) gzipped = accepts_gzip (msg) ? gzip_body (body, len) : NULL;

      soup_message_headers_append (headers, "Vary", "Accept-Encoding");
      if (gzipped != NULL)
        {
          soup_message_headers_replace (headers, "Content-Encoding", "gzip");
          soup_message_headers_set_content_type (headers, content_type, NULL);
          soup_message_body_append_bytes (soup_server_message_get_response_body (msg), gzipped);
          g_free (body);
          return;
        }
    }
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, body, len);
}

void
qs_respond_json (QsRequest *req,
                 guint      status,
                 JsonNode  *node)
{
  respond_body (req->msg, status, "application/json", qs_json_to_string (node), !req->carries_secret);
}

void
qs_respond_object (QsRequest  *req,
                   guint       status,
                   JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  qs_respond_json (req, status, node);
}

void
qs_respond_written (QsRequest    *req,
                    guint         status,
                    QsJsonWriter *writer)
{
  respond_body (req->msg, status, "application/json", qs_json_writer_finish (writer, NULL),
                !req->carries_secret);
}

void
qs_respond_empty (QsRequest *req,
                  guint      status)
{
  set_common_headers (req->msg);
  soup_server_message_set_status (req->msg, status, NULL);
}

static JsonObject *
problem_object (guint       status,
                const char *code,
                const char *detail)
{
  JsonObject *problem = json_object_new ();

  json_object_set_string_member (problem, "type", "about:blank");
  json_object_set_string_member (problem, "title", soup_status_get_phrase (status));
  json_object_set_int_member (problem, "status", status);
  json_object_set_string_member (problem, "detail", detail);
  json_object_set_string_member (problem, "code", code);
  return problem;
}

static void
respond_problem (SoupServerMessage *msg,
                 guint              status,
                 JsonObject        *problem)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), problem);

  respond_body (msg, status, "application/problem+json", qs_json_to_string (node), TRUE);
}

void
qs_msg_respond_error (SoupServerMessage *msg,
                   guint              status,
                   const char        *code,
                   const char        *detail)
{
  g_autoptr(JsonObject) problem = problem_object (status, code, detail);

  respond_problem (msg, status, problem);
}

void
qs_respond_error (QsRequest  *req,
                  guint       status,
                  const char *code,
                  const char *detail)
{
  qs_msg_respond_error (req->msg, status, code, detail);
}

void
qs_respond_validation (QsRequest *req,
                       GPtrArray *errors)
{
  g_autoptr(JsonObject) problem = problem_object (422, "validation_failed",
                                                  "Some fields are not valid.");
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < errors->len; i++)
    {
      QsFieldError *error = g_ptr_array_index (errors, i);
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "field", error->field);
      json_object_set_string_member (item, "code", error->code);
      json_object_set_string_member (item, "message", error->message);
      json_array_add_object_element (array, item);
    }
  json_object_set_array_member (problem, "errors", array);
  respond_problem (req->msg, 422, problem);
}

void
qs_respond_internal (QsRequest *req)
{
  qs_respond_error (req, 500, "internal_error", "The server could not complete the request.");
}

void
qs_respond_committed (QsRequest  *req,
                      QsStoreTxn *txn,
                      gboolean    ok,
                      guint       status)
{
  if (ok && qs_store_txn_commit (txn, NULL))
    qs_respond_empty (req, status);
  else
    qs_respond_internal (req);
}

gboolean
qs_check_parse (QsRequest     *req,
                QsParseResult  result,
                GPtrArray     *errors)
{
  switch (result)
    {
    case QS_PARSE_OK:
      return TRUE;
    case QS_PARSE_MALFORMED:
      qs_respond_error (req, 400, "malformed_json", "The body is not valid UTF-8 JSON.");
      return FALSE;
    case QS_PARSE_TOO_DEEP:
      qs_respond_error (req, 400, "malformed_json",
                        "The body is JSON nested deeper than " G_STRINGIFY (QUORUM_JSON_MAX_DEPTH) " levels.");
      return FALSE;
    case QS_PARSE_INVALID:
    default:
      qs_respond_validation (req, errors);
      return FALSE;
    }
}

/* ------------------------------------------------------------- HTML page */

#define QS_HTML_CSP "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https:;" \
                    " form-action 'self'; frame-ancestors 'none'"

void
qs_respond_html (QsRequest  *req,
                 guint       status,
                 const char *title,
                 const char *content)
{
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);
  char *html = g_strdup_printf (
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    "<title>%s</title><style>"
    "body{font-family:Cantarell,system-ui,sans-serif;background:#fafafa;color:#222;margin:0}"
    "main{max-width:32rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:12px;"
    "box-shadow:0 1px 3px rgba(0,0,0,.15)}"
    "a.button{display:inline-block;padding:.7rem 1.4rem;background:#3584e4;color:#fff;"
    "border-radius:8px;text-decoration:none;font-weight:bold}"
    "button{padding:.7rem 1.4rem;background:#3584e4;color:#fff;border:0;border-radius:8px;"
    "font:inherit;font-weight:bold;cursor:pointer}"
    "input{font:inherit;padding:.4rem;width:100%%;box-sizing:border-box}"
    ".error{color:#c01c28}"
    ".muted{color:#666}</style></head><body><main>%s</main></body></html>\n",
    escaped_title, content);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  /* One policy for every page, forms or not: no page may be framed. */
  soup_message_headers_replace (headers, "Content-Security-Policy", QS_HTML_CSP);
  soup_message_headers_replace (headers, "X-Frame-Options", "DENY");
  soup_server_message_set_status (req->msg, status, NULL);
  soup_server_message_set_response (req->msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE, html, strlen (html));
}

void
qs_respond_not_found (QsRequest *req)
{
  qs_respond_error (req, 404, "not_found", "No such resource.");
}

void
qs_respond_method_not_allowed (QsRequest  *req,
                               const char *allow)
{
  qs_respond_error (req, 405, "method_not_allowed", "This method is not allowed here.");
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Allow", allow);
}

/* ------------------------------------------------------------- rate limits */

void
qs_respond_rate_limited (QsRequest *req,
                         gint64     retry_after)
{
  qs_respond_rate_limited_because (req, retry_after, "Too many attempts; try again later.");
}

void
qs_respond_rate_limited_because (QsRequest  *req,
                                 gint64      retry_after,
                                 const char *detail)
{
  g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, retry_after);

  qs_respond_error (req, 429, "rate_limited", detail);
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "Retry-After", value);
}

/* ------------------------------------------------------------------ etags */

char *
qs_etag_from_state (char        kind,
                    const char *state)
{
  guint8 hash[crypto_hash_sha256_BYTES];
  char hex[crypto_hash_sha256_BYTES * 2 + 1];

  crypto_hash_sha256 (hash, (const guint8 *) state, strlen (state));
  sodium_bin2hex (hex, sizeof hex, hash, 8);
  return g_strdup_printf ("\"%c%s\"", kind, hex);
}

void
qs_set_etag (QsRequest  *req,
             const char *etag)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "ETag", etag);
}

gboolean
qs_check_if_match (QsRequest  *req,
                   const char *etag)
{
  const char *if_match = soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg),
                                                       "If-Match");
  g_auto(GStrv) candidates = NULL;

  if (if_match == NULL)
    return TRUE;
  candidates = g_strsplit (if_match, ",", -1);
  for (guint i = 0; candidates[i] != NULL; i++)
    {
      const char *candidate = g_strstrip (candidates[i]);

      if (strcmp (candidate, "*") == 0 || strcmp (candidate, etag) == 0)
        return TRUE;
    }
  qs_respond_error (req, 412, "precondition_failed",
                    "The resource changed since you loaded it; reload and try again.");
  qs_set_etag (req, etag);
  return FALSE;
}

/* ----------------------------------------------------------- request body */

static char *masked_path (const char *path);

static gboolean
close_stolen_cb (gpointer user_data)
{
  GIOStream *stream = user_data;

  g_io_stream_close (stream, NULL, NULL);
  g_object_unref (stream);
  return G_SOURCE_REMOVE;
}

/* libsoup would read (and buffer) the whole declared body before sending an
 * early answer, so take the connection over: answer 413, stop writing, and
 * close a moment later without reading the body. */
static void
reject_unread_body (SoupServerMessage *msg)
{
  g_autoptr(JsonObject) problem = problem_object (413, "payload_too_large", "The request body is too large.");
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), problem);
  g_autofree char *body = qs_json_to_string (node);
  g_autofree char *response = NULL;
  g_autofree char *masked = masked_path (g_uri_get_path (soup_server_message_get_uri (msg)));
  const char *method = soup_server_message_get_method (msg);
  GIOStream *stream;
  GSocket *socket;

  response = g_strdup_printf ("HTTP/1.1 413 Payload Too Large\r\n"
                              "Content-Type: application/problem+json\r\n"
                              "Content-Length: %zu\r\n"
                              "Cache-Control: no-store\r\n"
                              "Connection: close\r\n\r\n%s",
                              strlen (body), body);
  g_printerr ("%s %s 413 0.0ms\n", method, masked);
  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;
  g_output_stream_write_all (g_io_stream_get_output_stream (stream), response, strlen (response),
                             NULL, NULL, NULL);
  socket = G_IS_SOCKET_CONNECTION (stream) ? g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream)) : NULL;
  if (socket != NULL)
    g_socket_shutdown (socket, FALSE, TRUE, NULL);
  g_timeout_add_seconds (1, close_stolen_cb, stream);
}

static void
body_reader_free (QsBodyReader *reader)
{
  g_clear_pointer (&reader->data, g_byte_array_unref);
  g_free (reader);
}

/* libsoup would keep every chunk of the body until the handler runs, so a
 * chunked body (which declares no length) could grow without bound: keep the
 * bytes here instead, and refuse the request the moment they pass the limit. */
static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              QsBodyReader      *reader)
{
  gsize size = g_bytes_get_size (chunk);

  if (reader->refused)
    return;
  if (size > reader->limit - reader->data->len)
    {
      reader->refused = TRUE;
      g_byte_array_set_size (reader->data, 0);
      reject_unread_body (msg);
      return;
    }
  g_byte_array_append (reader->data, g_bytes_get_data (chunk, NULL), size);
}

/* Before the body is read: refuse huge headers and declared-huge bodies so
 * they are never buffered; any other body is read by got_chunk_cb (). */
void
qs_http_read_body (SoupServerMessage *msg,
                   gsize              limit)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  gsize header_bytes = 0;
  goffset declared;
  QsBodyReader *reader;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    header_bytes += strlen (name) + strlen (value) + 4;
  if (header_bytes > QS_HEADERS_LIMIT)
    {
      qs_msg_respond_error (msg, 431, "headers_too_large", "The request headers are too large.");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
      return;
    }

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    {
      declared = soup_message_headers_get_content_length (headers);
      if (declared > (goffset) limit)
        {
          if (soup_message_headers_get_expectations (headers) & SOUP_EXPECTATION_CONTINUE)
            {
              /* libsoup answers at once and never reads the body. */
              qs_msg_respond_error (msg, 413, "payload_too_large", "The request body is too large.");
              soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                            "Connection", "close");
            }
          else
            reject_unread_body (msg);
          return;
        }
    }

  reader = g_new0 (QsBodyReader, 1);
  reader->data = g_byte_array_new ();
  reader->limit = limit;
  g_object_set_data_full (G_OBJECT (msg), "qs-body", reader, (GDestroyNotify) body_reader_free);
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), reader);
}

/* The body got_chunk_cb () kept, or an empty one. */
GBytes *
qs_http_take_body (SoupServerMessage *msg)
{
  QsBodyReader *reader = g_object_get_data (G_OBJECT (msg), "qs-body");

  return reader != NULL && reader->data != NULL
         ? g_byte_array_free_to_bytes (g_steal_pointer (&reader->data))
         : g_bytes_new (NULL, 0);
}

/* ------------------------------------------------------------- logging */

/* The segment after one of these holds a token (or, after "invitations", an
 * inv_… id, which is kept). */
static const char * const token_parents[] = { "invite", "invitations", "verify", "reset", NULL };

static void
append_loggable (GString    *out,
                 const char *segment)
{
  /* Nothing a terminal or a log viewer would interpret. */
  for (const char *p = segment; *p != '\0'; p++)
    if (g_ascii_isprint (*p) && *p != '%')
      g_string_append_c (out, *p);
    else
      g_string_append_printf (out, "%%%02X", (guint) (guchar) *p);
}

/* The path as routing sees it — percent-decoded, split on '/', empty and "."
 * segments dropped (libsoup already resolved dot segments of the raw path) —
 * with every token masked: the segment after /invite/, /verify/, /reset/
 * and /invitations/, and any segment that starts with "qrm_". So
 * //invite/<token>, /./invite/<token> and %2Finvite%2F<token> are masked too. */
static char *
masked_path (const char *path)
{
  g_autofree char *decoded = path != NULL ? g_uri_unescape_string (path, NULL) : NULL;
  g_auto(GStrv) parts = NULL;
  GString *out = g_string_new (NULL);
  gboolean token_next = FALSE;

  if (decoded == NULL)
    {
      g_string_append (out, "/(undecodable path)");
      return g_string_free (out, FALSE);
    }

  parts = g_strsplit (decoded, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *segment = parts[i];

      if (*segment == '\0' || g_str_equal (segment, "."))
        continue;
      g_string_append_c (out, '/');
      if (g_str_has_prefix (segment, "qrm_") || (token_next && !g_str_has_prefix (segment, "inv_")))
        g_string_append (out, "****");
      else
        append_loggable (out, segment);
      token_next = g_strv_contains (token_parents, segment);
    }
  if (out->len == 0)
    g_string_append_c (out, '/');
  return g_string_free (out, FALSE);
}

void
qs_http_log_started (SoupServerMessage *msg)
{
  gint64 *start = g_new (gint64, 1);

  *start = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), "qs-start", start, g_free);
}

void
qs_http_log_finished (SoupServerMessage *msg)
{
  gint64 *start = g_object_get_data (G_OBJECT (msg), "qs-start");
  GUri *uri = soup_server_message_get_uri (msg);
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *path = NULL;
  double ms = 0;

  if (uri == NULL || method == NULL)
    return;
  path = masked_path (g_uri_get_path (uri));
  if (start != NULL)
    ms = (g_get_monotonic_time () - *start) / 1000.0;
  g_printerr ("%s %s %u %.1fms\n", method, path, soup_server_message_get_status (msg), ms);
}
