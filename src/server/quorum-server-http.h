/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "quorum-server-json.h"
#include "quorum-server-parse.h"
#include "quorum-server-request.h"

G_BEGIN_DECLS

/*
 * What every route shares about HTTP: responses (JSON, empty, problem
 * documents, validation errors, HTML pages), ETags and If-Match, rate-limit
 * answers, the request body read within its limit, and the request log with
 * tokens masked. Handlers call these; they never build a response by hand.
 */

#define QS_BODY_LIMIT         (1024 * 1024)
#define QS_LOGO_LIMIT         (2 * 1024 * 1024)
#define QS_HEADERS_LIMIT      (16 * 1024)
/* JSON answers longer than this are gzipped when the client accepts it,
 * unless they carry a secret (qs_json_set_secret ()). */
#define QS_GZIP_MIN_SIZE      1024

/* Responses */
/* Writes a secret (a session token, an API key, a webhook signing secret)
 * into the answer's object and marks the request's answer as carrying one:
 * it is then never compressed, so its length cannot reveal the secret byte
 * by byte next to text an attacker chose (BREACH). Every secret an answer
 * holds is written with this. */
void      qs_json_set_secret     (QsRequest   *req,
                                  JsonObject  *object,
                                  const char  *member,
                                  const char  *secret);
void      qs_respond_json        (QsRequest   *req,
                                  guint        status,
                                  JsonNode    *node);
void      qs_respond_object      (QsRequest   *req,
                                  guint        status,
                                  JsonObject  *object);
/* Answers what writer wrote (quorum-server-json.h); frees it. */
void      qs_respond_written     (QsRequest    *req,
                                  guint         status,
                                  QsJsonWriter *writer);
void      qs_respond_empty       (QsRequest   *req,
                                  guint        status);
void      qs_respond_error       (QsRequest   *req,
                                  guint        status,
                                  const char  *code,
                                  const char  *detail);
/* A problem document on a message that has no QsRequest (yet). */
void      qs_msg_respond_error   (SoupServerMessage *msg,
                                  guint              status,
                                  const char        *code,
                                  const char        *detail);
void      qs_respond_validation  (QsRequest   *req,
                                  GPtrArray   *errors);
void      qs_respond_internal    (QsRequest   *req);
/* When ok, commits txn and answers status with no body; otherwise, or when
 * the commit fails, answers 500 (txn then rolls back when its owner drops it). */
void      qs_respond_committed   (QsRequest   *req,
                                  QsStoreTxn  *txn,
                                  gboolean     ok,
                                  guint        status);
void      qs_respond_not_found   (QsRequest   *req);
void      qs_respond_method_not_allowed (QsRequest  *req,
                                         const char *allow);
/* A small self-contained HTML page (no scripts). Every page gets the same
 * Content-Security-Policy (form-action 'self', frame-ancestors 'none') and
 * X-Frame-Options: DENY. */
void      qs_respond_html        (QsRequest   *req,
                                  guint        status,
                                  const char  *title,
                                  const char  *content);
/* Handles MALFORMED/INVALID; TRUE when the caller may go on. */
gboolean  qs_check_parse         (QsRequest     *req,
                                  QsParseResult  result,
                                  GPtrArray     *errors);
char     *qs_json_to_string      (JsonNode    *node);

/* Rate limits */
/* 429 rate_limited with Retry-After: retry_after seconds (and detail, for
 * a limit whose words differ from the sign-in limits'). */
void      qs_respond_rate_limited (QsRequest  *req,
                                   gint64      retry_after);
void      qs_respond_rate_limited_because (QsRequest  *req,
                                           gint64      retry_after,
                                           const char *detail);
gboolean  qs_rate_limit_auth     (QsRequest   *req);

/* ETags: a quoted hash of the state, prefixed by kind. */
char       *qs_etag_from_state   (char         kind,
                                  const char  *state);
/* TRUE when there is no If-Match or it matches etag; else answers 412. */
gboolean    qs_check_if_match    (QsRequest   *req,
                                  const char  *etag);
void        qs_set_etag          (QsRequest   *req,
                                  const char  *etag);

/* The request body, before the handler runs: refuses huge headers and
 * bodies over limit without buffering them; qs_http_take_body () hands
 * what was read to the request. */
void      qs_http_read_body      (SoupServerMessage *msg,
                                  gsize              limit);
GBytes   *qs_http_take_body      (SoupServerMessage *msg);

/* One line per request on stderr, tokens in the path masked. */
void      qs_http_log_started    (SoupServerMessage *msg);
void      qs_http_log_finished   (SoupServerMessage *msg);

G_END_DECLS
