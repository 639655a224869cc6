/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-client-private.h"
#include "quorum-csv.h"

/* The filter's words as query parameters (shared with the export). */
void
_quorum_request_add_member_filter (QuorumRequest            *request,
                                   const QuorumMemberFilter *filter)
{
  g_autofree char *days = NULL;

  if (filter == NULL)
    return;
  if (filter->query != NULL && *filter->query != '\0')
    _quorum_request_add_query (request, "query", filter->query);
  _quorum_request_add_query (request, "role", quorum_role_to_string (filter->role));
  _quorum_request_add_query (request, "status", filter->status);
  if (filter->inactive_days > 0)
    _quorum_request_add_query (request, "inactive_days",
                               (days = g_strdup_printf ("%u", filter->inactive_days)));
  if (filter->sort != NULL && g_strcmp0 (filter->sort, "name") != 0)
    _quorum_request_add_query (request, "sort", filter->sort);
}

/**
 * quorum_client_list_members_filtered_async:
 * @filter: (nullable): which members, in which order; %NULL for everyone by name
 * @cursor: (nullable): the previous page's next cursor (asked for with the same sort)
 * @limit: page size, 1–200 (0 for the server's default)
 *
 * Finish with quorum_client_list_members_finish().
 */
void
quorum_client_list_members_filtered_async (QuorumClient             *self,
                                           const char               *organization_id,
                                           const QuorumMemberFilter *filter,
                                           const char               *cursor,
                                           guint                     limit,
                                           GCancellable             *cancellable,
                                           GAsyncReadyCallback       callback,
                                           gpointer                  user_data)
{
  g_autofree char *limit_str = NULL;
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL);
  g_return_if_fail (limit <= 200);
  g_return_if_fail (filter == NULL || filter->inactive_days <= QUORUM_MEMBER_FILTER_MAX_INACTIVE_DAYS);

  request = _quorum_request_new (self, "GET", "/organizations/%s/members", organization_id);
  _quorum_request_add_member_filter (request, filter);
  if (limit > 0)
    _quorum_request_add_query (request, "limit", (limit_str = g_strdup_printf ("%u", limit)));
  _quorum_request_add_query (request, "cursor", cursor);
  request->parse_object = (QuorumObjectParseFunc) quorum_member_new_from_json;
  /* One source tag for both list calls: one _finish. */
  _quorum_request_send (request, _quorum_parse_list, (GDestroyNotify) _quorum_list_result_free,
                        quorum_client_list_members_async, cancellable, callback, user_data);
}

/**
 * quorum_client_list_members_at_async:
 * @filter: (nullable): which members, in which order; %NULL for everyone by name
 * @offset: the position of the first member wanted (0 is the first), at most
 *   %QUORUM_MEMBER_LIST_MAX_OFFSET
 * @limit: page size, 1–200 (0 for the server's default)
 *
 * The page at a position of the list, without walking the pages before it.
 * Finish with quorum_client_list_members_finish() (its total tells the
 * list's length).
 */
void
quorum_client_list_members_at_async (QuorumClient             *self,
                                     const char               *organization_id,
                                     const QuorumMemberFilter *filter,
                                     guint                     offset,
                                     guint                     limit,
                                     GCancellable             *cancellable,
                                     GAsyncReadyCallback       callback,
                                     gpointer                  user_data)
{
  g_autofree char *limit_str = NULL;
  g_autofree char *offset_str = NULL;
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL);
  g_return_if_fail (limit <= 200);
  g_return_if_fail (offset <= QUORUM_MEMBER_LIST_MAX_OFFSET);
  g_return_if_fail (filter == NULL || filter->inactive_days <= QUORUM_MEMBER_FILTER_MAX_INACTIVE_DAYS);

  request = _quorum_request_new (self, "GET", "/organizations/%s/members", organization_id);
  _quorum_request_add_member_filter (request, filter);
  if (limit > 0)
    _quorum_request_add_query (request, "limit", (limit_str = g_strdup_printf ("%u", limit)));
  if (offset > 0)
    _quorum_request_add_query (request, "offset", (offset_str = g_strdup_printf ("%u", offset)));
  request->parse_object = (QuorumObjectParseFunc) quorum_member_new_from_json;
  _quorum_request_send (request, _quorum_parse_list, (GDestroyNotify) _quorum_list_result_free,
                        quorum_client_list_members_async, cancellable, callback, user_data);
}

/**
 * quorum_client_list_members_async:
 * @query: (nullable): matches name or e-mail
 * @role: a role to filter on, or %QUORUM_ROLE_NONE for all
 * @status: (nullable): "active" or "suspended", or %NULL for both
 * @cursor: (nullable): the previous page's next cursor
 * @limit: page size, 1–200 (0 for the server's default)
 *
 * quorum_client_list_members_filtered_async() with only these filters.
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
  QuorumMemberFilter filter = { .query = query, .role = role, .status = status };

  quorum_client_list_members_filtered_async (self, organization_id, &filter, cursor, limit,
                                             cancellable, callback, user_data);
}

/* Export: the CSV streamed to the caller's stream, rows counted on the way
 * (a row ends at a CRLF outside quotes; a quoted name may hold a line
 * break). */

typedef struct
{
  QuorumExportProgressFunc progress;
  gpointer                 progress_data;
  guint64                  ends;       /* record ends seen, the header's included */
  gboolean                 in_quotes;
  char                     previous;
  QuorumCsvGuard           guard;
} ExportData;

/* The server neutralises formula cells, but the app does not trust it to:
 * a hostile or older server's "=HYPERLINK(…)" would run in the spreadsheet
 * the admin opens the file with. Each chunk is rewritten as it arrives
 * (src/core/quorum-csv.c), never the whole file in memory. */
static GBytes *
export_guard_cb (GBytes   *chunk,
                 gpointer  user_data)
{
  ExportData *data = user_data;
  gsize size;
  const char *p = g_bytes_get_data (chunk, &size);
  GByteArray *out = g_byte_array_sized_new (size + size / 2 + 1);

  quorum_csv_guard_feed (&data->guard, p, size, out);
  return g_byte_array_free_to_bytes (out);
}

static guint
export_rows (const ExportData *data)
{
  return data->ends > 0 ? (guint) MIN (data->ends - 1, G_MAXUINT) : 0;
}

static void
export_wrote_cb (GBytes   *chunk,
                 gsize     written,
                 gpointer  user_data)
{
  ExportData *data = user_data;
  gsize size;
  const char *p = g_bytes_get_data (chunk, &size);

  for (gsize i = 0; i < size; i++)
    {
      if (p[i] == '"')
        data->in_quotes = !data->in_quotes;  /* a doubled quote toggles twice */
      else if (p[i] == '\n' && data->previous == '\r' && !data->in_quotes)
        data->ends++;
      data->previous = p[i];
    }
  if (data->progress != NULL)
    data->progress (written, export_rows (data), data->progress_data);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autofree gint64 *written = NULL;
  GError *error = NULL;

  written = _quorum_request_finish (QUORUM_CLIENT (object), result, export_done_cb, &error);
  if (written == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, (gssize) *written);
}

/**
 * quorum_client_export_members_async:
 * @filter: (nullable): which members, in which order; %NULL for everyone
 * @out: where the CSV goes as it arrives (the caller closes it)
 * @progress: (nullable) (scope notified): called after each chunk is
 *   written, on the thread-default main context
 * @progress_data: for @progress, until the export completes
 *
 * GET .../members/export: the CSV (UTF-8, CRLF, a header row) streamed to
 * @out, never held in memory whole, at most %QUORUM_CLIENT_MAX_EXPORT_BYTES
 * received. Whatever the server sent, no cell written to @out starts a
 * formula: a cell starting with =, +, -, @, a tab or a CR gets a ' in
 * front (quorum_csv_guard_feed()), so the count of bytes written may
 * exceed the bytes received.
 * An answer that is not text/csv is refused before anything is written;
 * one cut short (the server failed while writing) is an error. What was
 * written to @out by then stays there: the caller decides what to do with a
 * partial file.
 */
void
quorum_client_export_members_async (QuorumClient             *self,
                                    const char               *organization_id,
                                    const QuorumMemberFilter *filter,
                                    GOutputStream            *out,
                                    QuorumExportProgressFunc  progress,
                                    gpointer                  progress_data,
                                    GCancellable             *cancellable,
                                    GAsyncReadyCallback       callback,
                                    gpointer                  user_data)
{
  GTask *task;
  ExportData *data;
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL);
  g_return_if_fail (G_IS_OUTPUT_STREAM (out));
  g_return_if_fail (filter == NULL || filter->inactive_days <= QUORUM_MEMBER_FILTER_MAX_INACTIVE_DAYS);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, quorum_client_export_members_async);
  data = g_new0 (ExportData, 1);
  data->progress = progress;
  data->progress_data = progress_data;
  quorum_csv_guard_init (&data->guard);
  g_task_set_task_data (task, data, g_free);

  request = _quorum_request_new (self, "GET", "/organizations/%s/members/export", organization_id);
  _quorum_request_add_member_filter (request, filter);
  request->sink = g_object_ref (out);
  request->sink_max_bytes = QUORUM_CLIENT_MAX_EXPORT_BYTES;
  request->sink_content_type = "text/csv";
  request->sink_filter = export_guard_cb;
  request->sink_filter_data = data;  /* the task outlives the request */
  request->sink_wrote = export_wrote_cb;
  request->sink_wrote_data = data;
  _quorum_request_send (request, _quorum_parse_nothing, NULL, export_done_cb, cancellable,
                        export_done_cb, task);
}

/**
 * quorum_client_export_members_finish:
 * @out_rows: (out) (optional): the members written (the header not counted)
 *
 * Returns: the bytes written to the stream, or -1 with @error set
 */
gssize
quorum_client_export_members_finish (QuorumClient  *self,
                                     GAsyncResult  *result,
                                     guint         *out_rows,
                                     GError       **error)
{
  GTask *task = G_TASK (result);

  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (g_task_get_source_tag (task) == quorum_client_export_members_async, -1);

  if (out_rows != NULL)
    *out_rows = export_rows (g_task_get_task_data (task));
  return g_task_propagate_int (task, error);
}

/* Saving the export to a file: _quorum_client_save_async () (never half a
 * CSV). The filter is copied: it is used once the file is open. */

typedef struct
{
  char                    *organization_id;
  char                    *query;
  char                    *status;
  char                    *sort;
  QuorumMemberFilter       filter;
  QuorumExportProgressFunc progress;
  gpointer                 progress_data;
  guint                    rows;
} SaveExport;

static void
save_export_free (SaveExport *save)
{
  g_free (save->organization_id);
  g_free (save->query);
  g_free (save->status);
  g_free (save->sort);
  g_free (save);
}

static void
save_export_start (QuorumClient        *self,
                   GOutputStream       *stream,
                   gpointer             data,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  SaveExport *save = data;

  quorum_client_export_members_async (self, save->organization_id, &save->filter, stream, save->progress,
                                      save->progress_data, cancellable, callback, user_data);
}

static gssize
save_export_finish (QuorumClient  *self,
                    GAsyncResult  *result,
                    gpointer       data,
                    GError       **error)
{
  SaveExport *save = data;

  return quorum_client_export_members_finish (self, result, &save->rows, error);
}

/**
 * quorum_client_save_members_csv_async:
 * @filter: (nullable): which members, in which order; %NULL for everyone
 * @file: where to save the CSV (replaced when it exists)
 * @progress: (nullable): as for quorum_client_export_members_async()
 *
 * quorum_client_export_members_async() into @file. On failure or cancel the
 * file is not left half written: a new file is deleted, an existing one
 * keeps what it held.
 */
void
quorum_client_save_members_csv_async (QuorumClient             *self,
                                      const char               *organization_id,
                                      const QuorumMemberFilter *filter,
                                      GFile                    *file,
                                      QuorumExportProgressFunc  progress,
                                      gpointer                  progress_data,
                                      GCancellable             *cancellable,
                                      GAsyncReadyCallback       callback,
                                      gpointer                  user_data)
{
  SaveExport *save;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL);
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (filter == NULL || filter->inactive_days <= QUORUM_MEMBER_FILTER_MAX_INACTIVE_DAYS);

  save = g_new0 (SaveExport, 1);
  save->organization_id = g_strdup (organization_id);
  if (filter != NULL)
    {
      save->filter = *filter;
      save->filter.query = save->query = g_strdup (filter->query);
      save->filter.status = save->status = g_strdup (filter->status);
      save->filter.sort = save->sort = g_strdup (filter->sort);
    }
  save->progress = progress;
  save->progress_data = progress_data;
  _quorum_client_save_async (self, file, save_export_start, save_export_finish, save,
                             (GDestroyNotify) save_export_free, quorum_client_save_members_csv_async,
                             cancellable, callback, user_data);
}

/**
 * quorum_client_save_members_csv_finish:
 * @out_rows: (out) (optional): the members saved
 *
 * Returns: the size of the saved file, or -1 with @error set
 */
gssize
quorum_client_save_members_csv_finish (QuorumClient  *self,
                                       GAsyncResult  *result,
                                       guint         *out_rows,
                                       GError       **error)
{
  gpointer data = NULL;
  gssize written = _quorum_client_save_finish (self, result, quorum_client_save_members_csv_async, &data, error);

  if (out_rows != NULL)
    *out_rows = written >= 0 && data != NULL ? ((SaveExport *) data)->rows : 0;
  return written;
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
  return _quorum_request_finish_list (self, result, quorum_client_list_members_async,
                                      out_next_cursor, out_total, error);
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
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && member_id != NULL);

  request = _quorum_request_new (self, "PATCH", "/organizations/%s/members/%s", organization_id,
                                 member_id);
  _quorum_request_set_json (request, "role", quorum_role_to_string (role), "status", status, NULL);
  request->parse_object = (QuorumObjectParseFunc) quorum_member_new_from_json;
  _quorum_request_send (request, _quorum_parse_object, g_object_unref,
                        quorum_client_update_member_async, cancellable, callback, user_data);
}

QuorumMember *
quorum_client_update_member_finish (QuorumClient  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return _quorum_request_finish (self, result, quorum_client_update_member_async, error);
}

void
quorum_client_remove_member_async (QuorumClient        *self,
                                   const char          *organization_id,
                                   const char          *member_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && member_id != NULL);

  request = _quorum_request_new (self, "DELETE", "/organizations/%s/members/%s", organization_id,
                                 member_id);
  _quorum_request_send (request, _quorum_parse_nothing, NULL, quorum_client_remove_member_async,
                        cancellable, callback, user_data);
}

gboolean
quorum_client_remove_member_finish (QuorumClient  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return _quorum_request_finish_boolean (self, result, quorum_client_remove_member_async, error);
}

/**
 * quorum_client_get_member_async:
 *
 * GET .../members/{id}: one member, such as the name behind a usage row.
 */
void
quorum_client_get_member_async (QuorumClient        *self,
                                const char          *organization_id,
                                const char          *member_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  QuorumRequest *request;

  g_return_if_fail (QUORUM_IS_CLIENT (self));
  g_return_if_fail (organization_id != NULL && member_id != NULL);

  request = _quorum_request_new (self, "GET", "/organizations/%s/members/%s", organization_id, member_id);
  request->parse_object = (QuorumObjectParseFunc) quorum_member_new_from_json;
  _quorum_request_send (request, _quorum_parse_object, g_object_unref,
                        quorum_client_get_member_async, cancellable, callback, user_data);
}

/**
 * quorum_client_get_member_finish:
 *
 * Returns: (transfer full): the member
 */
QuorumMember *
quorum_client_get_member_finish (QuorumClient  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _quorum_request_finish (self, result, quorum_client_get_member_async, error);
}
