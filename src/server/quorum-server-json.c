/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-server-json.h"
#include "quorum-server-util.h"

struct _QsJsonWriter
{
  GString  *out;
  gboolean  comma;   /* the next key or value follows a sibling */
};

QsJsonWriter *
qs_json_writer_new (gsize reserve)
{
  QsJsonWriter *writer = g_new0 (QsJsonWriter, 1);

  writer->out = g_string_sized_new (MAX (reserve, 64));
  return writer;
}

void
qs_json_writer_free (QsJsonWriter *writer)
{
  if (writer == NULL)
    return;
  g_string_free (writer->out, TRUE);
  g_free (writer);
}

char *
qs_json_writer_finish (QsJsonWriter *writer,
                       gsize        *length)
{
  char *text;

  if (length != NULL)
    *length = writer->out->len;
  text = g_string_free (writer->out, FALSE);
  g_free (writer);
  return text;
}

static inline void
separate (QsJsonWriter *writer)
{
  if (writer->comma)
    g_string_append_c (writer->out, ',');
  writer->comma = TRUE;
}

void
qs_json_begin_object (QsJsonWriter *writer)
{
  separate (writer);
  g_string_append_c (writer->out, '{');
  writer->comma = FALSE;
}

void
qs_json_end_object (QsJsonWriter *writer)
{
  g_string_append_c (writer->out, '}');
  writer->comma = TRUE;
}

void
qs_json_begin_array (QsJsonWriter *writer)
{
  separate (writer);
  g_string_append_c (writer->out, '[');
  writer->comma = FALSE;
}

void
qs_json_end_array (QsJsonWriter *writer)
{
  g_string_append_c (writer->out, ']');
  writer->comma = TRUE;
}

static void
append_escaped (GString    *out,
                const char *text)
{
  const char *run = text;
  const char *p;

  g_string_append_c (out, '"');
  for (p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;
      g_string_append_len (out, run, p - run);
      run = p + 1;
      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          g_string_append_printf (out, "\\u%04x", c);
          break;
        }
    }
  g_string_append_len (out, run, p - run);
  g_string_append_c (out, '"');
}

void
qs_json_key (QsJsonWriter *writer,
             const char   *key)
{
  separate (writer);
  append_escaped (writer->out, key);
  g_string_append_c (writer->out, ':');
  writer->comma = FALSE;
}

void
qs_json_string (QsJsonWriter *writer,
                const char   *value)
{
  if (value == NULL)
    {
      qs_json_null (writer);
      return;
    }
  separate (writer);
  append_escaped (writer->out, value);
}

void
qs_json_int (QsJsonWriter *writer,
             gint64        value)
{
  separate (writer);
  g_string_append_printf (writer->out, "%" G_GINT64_FORMAT, value);
}

void
qs_json_boolean (QsJsonWriter *writer,
                 gboolean      value)
{
  separate (writer);
  g_string_append (writer->out, value ? "true" : "false");
}

void
qs_json_null (QsJsonWriter *writer)
{
  separate (writer);
  g_string_append (writer->out, "null");
}

void
qs_json_time (QsJsonWriter *writer,
              gint64        unix_seconds,
              gboolean      zero_is_null)
{
  char text[QS_TIME_LEN + 1];

  if (unix_seconds == 0 && zero_is_null)
    {
      qs_json_null (writer);
      return;
    }
  qs_format_time_to (unix_seconds, text);
  separate (writer);
  g_string_append_c (writer->out, '"');
  g_string_append_len (writer->out, text, QS_TIME_LEN);
  g_string_append_c (writer->out, '"');
}
