/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "quorum-api-private.h"
#include "quorum-client.h"

G_BEGIN_DECLS

/*
 * Shared by the client's own files: quorum-client.c is the transport, each
 * quorum-client-<area>.c builds requests for one area of the API with these.
 */

typedef struct _QuorumRequest QuorumRequest;
/* Called with a prefetch's 2xx answer (request->buffer, request->status). */
typedef void (*QuorumPrefetchThen) (QuorumClient  *client,
                                    QuorumRequest *request,
                                    const char    *data);
typedef gpointer (*QuorumParseFunc) (QuorumRequest *request,
                                     JsonNode      *root,
                                     GError       **error);
/* A model's constructor from JSON, such as quorum_member_new_from_json(). */
typedef gpointer (*QuorumObjectParseFunc) (JsonNode  *node,
                                           GError   **error);

struct _QuorumRequest
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
  QuorumParseFunc parse;
  GDestroyNotify  result_free;
  QuorumObjectParseFunc parse_object;  /* for _quorum_parse_object and _list */
  /* A streamed answer (a document, not JSON): a 2xx body goes to sink, at
   * most sink_max_bytes of it (as received), if its type is
   * sink_content_type; the result is a gint64 * of the bytes written.
   * Errors are read as usual. */
  GOutputStream  *sink;
  gsize           sink_max_bytes;
  const char     *sink_content_type;
  gsize           sink_received;
  gsize           sink_written;
  GBytes         *sink_chunk;
  /* When set, each chunk as received becomes what it returns before it is
   * written (a streaming rewrite, such as the CSV formula guard). */
  GBytes       *(*sink_filter) (GBytes *chunk, gpointer data);
  gpointer        sink_filter_data;
  /* Called on the main loop after each chunk reached the sink. */
  void          (*sink_wrote) (GBytes *chunk, gsize written, gpointer data);
  gpointer        sink_wrote_data;

  SoupMessage    *message;
  GInputStream   *stream;
  GByteArray     *buffer;
  guint           status;
  gboolean        token_sent;
  GSource        *wait_source;
  GSource        *cancel_source;
};

typedef struct
{
  GPtrArray *items;
  char      *next_cursor;
  guint      total;
} QuorumListResult;

typedef struct
{
  QuorumUser         *user;
  QuorumOrganization *organization;
  QuorumMember       *member;
  char               *token;
} QuorumAuthResult;

void            _quorum_auth_result_free     (QuorumAuthResult *auth);
void            _quorum_list_result_free     (QuorumListResult *list);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QuorumAuthResult, _quorum_auth_result_free)

QuorumClient   *quorum_client_new_for_session (const char   *base_url,
                                               SoupSession  *session);

void            _quorum_client_prefetch_then (QuorumClient       *client,
                                              QuorumPrefetchThen  then,
                                              char               *data);

QuorumRequest  *_quorum_request_new          (QuorumClient *client,
                                              const char   *method,
                                              const char   *path_format,
                                              ...) G_GNUC_PRINTF (3, 4);
void            _quorum_request_add_query    (QuorumRequest *request,
                                              const char    *key,
                                              const char    *value);
/* Saving a streamed answer to a file (quorum-client.c): the file is
 * replaced, the download runs into it (start, then finish on its result),
 * and it is closed only when the whole answer arrived; on failure or cancel
 * a new file is deleted and an existing one keeps what it held. The task's
 * result is the bytes written; data is the caller's, freed with the task. */
typedef void   (*QuorumSaveStartFunc)  (QuorumClient        *client,
                                        GOutputStream       *stream,
                                        gpointer             data,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
typedef gssize (*QuorumSaveFinishFunc) (QuorumClient        *client,
                                        GAsyncResult        *result,
                                        gpointer             data,
                                        GError             **error);
void            _quorum_client_save_async    (QuorumClient         *client,
                                              GFile                *file,
                                              QuorumSaveStartFunc   start,
                                              QuorumSaveFinishFunc  finish,
                                              gpointer              data,
                                              GDestroyNotify        data_free,
                                              gpointer              source_tag,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
/* The bytes saved, or -1; data_out (optional) the caller's data. */
gssize          _quorum_client_save_finish   (QuorumClient         *client,
                                              GAsyncResult         *result,
                                              gpointer              source_tag,
                                              gpointer             *data_out,
                                              GError              **error);

/* quorum-client-members.c: a QuorumMemberFilter's query parameters. */
void            _quorum_request_add_member_filter (QuorumRequest            *request,
                                                   const QuorumMemberFilter *filter);
void            _quorum_request_set_json     (QuorumRequest *request,
                                              const char    *first_member,
                                              ...) G_GNUC_NULL_TERMINATED;
void            _quorum_request_take_json    (QuorumRequest *request,
                                              JsonNode      *root);
void            _quorum_request_send         (QuorumRequest       *request,
                                              QuorumParseFunc      parse,
                                              GDestroyNotify       result_free,
                                              gpointer             source_tag,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gpointer        _quorum_request_finish       (QuorumClient  *client,
                                              GAsyncResult  *result,
                                              gpointer       source_tag,
                                              GError       **error);
/* The answer's ETag when it is one a later If-Match can carry (valid
 * UTF-8, at most 256 bytes); NULL otherwise. */
const char     *_quorum_request_get_etag     (QuorumRequest *request);
gboolean        _quorum_request_finish_boolean (QuorumClient  *client,
                                                GAsyncResult  *result,
                                                gpointer       source_tag,
                                                GError       **error);
GPtrArray      *_quorum_request_finish_list  (QuorumClient  *client,
                                              GAsyncResult  *result,
                                              gpointer       source_tag,
                                              char         **out_next_cursor,
                                              guint         *out_total,
                                              GError       **error);
QuorumUser     *_quorum_request_finish_auth  (QuorumClient         *client,
                                              GAsyncResult         *result,
                                              gpointer              source_tag,
                                              char                **out_token,
                                              QuorumOrganization  **out_organization,
                                              GError              **error);

gpointer        _quorum_parse_nothing        (QuorumRequest *request,
                                              JsonNode      *root,
                                              GError       **error);
gpointer        _quorum_parse_object         (QuorumRequest *request,
                                              JsonNode      *root,
                                              GError       **error);
gpointer        _quorum_parse_list           (QuorumRequest *request,
                                              JsonNode      *root,
                                              GError       **error);
gpointer        _quorum_parse_auth           (QuorumRequest *request,
                                              JsonNode      *root,
                                              GError       **error);

G_END_DECLS
