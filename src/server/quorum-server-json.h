/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * JSON written straight into a buffer, for the responses where building a
 * json-glib tree first costs (a members page: docs/performance.md, "Where a
 * members page's time goes"). The caller writes a well-formed document:
 * a key before every value inside an object, begin and end paired. Strings
 * are UTF-8 (what the store holds) and are escaped as JSON wants: '"',
 * '\\' and control characters.
 */
typedef struct _QsJsonWriter QsJsonWriter;

QsJsonWriter *qs_json_writer_new        (gsize          reserve);
void          qs_json_writer_free       (QsJsonWriter  *writer);
/* The text; frees the writer. */
char         *qs_json_writer_finish     (QsJsonWriter  *writer,
                                         gsize         *length);

void          qs_json_begin_object      (QsJsonWriter  *writer);
void          qs_json_end_object        (QsJsonWriter  *writer);
void          qs_json_begin_array       (QsJsonWriter  *writer);
void          qs_json_end_array         (QsJsonWriter  *writer);
void          qs_json_key               (QsJsonWriter  *writer,
                                         const char    *key);
/* NULL writes null. */
void          qs_json_string            (QsJsonWriter  *writer,
                                         const char    *value);
void          qs_json_int               (QsJsonWriter  *writer,
                                         gint64         value);
void          qs_json_boolean           (QsJsonWriter  *writer,
                                         gboolean       value);
void          qs_json_null              (QsJsonWriter  *writer);
/* RFC 3339 (qs_format_time ()); 0 writes null when zero_is_null. */
void          qs_json_time              (QsJsonWriter  *writer,
                                         gint64         unix_seconds,
                                         gboolean       zero_is_null);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsJsonWriter, qs_json_writer_free)

G_END_DECLS
