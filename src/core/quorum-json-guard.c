/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-json-guard.h"

G_DEFINE_QUARK (quorum-json-guard-error-quark, quorum_json_guard_error)

/* Counts '[' and '{' outside strings, skipping escapes, so the cost is one
 * pass whatever the input. Unbalanced closers are left to the parser. */
gboolean
quorum_json_check (const char  *data,
                   gsize        len,
                   guint        max_depth,
                   GError     **error)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  if (data == NULL || len == 0)
    {
      g_set_error_literal (error, QUORUM_JSON_GUARD_ERROR, QUORUM_JSON_GUARD_ERROR_EMPTY,
                           "The document is empty.");
      return FALSE;
    }

  /* With an explicit length, g_utf8_validate_len () also refuses NUL bytes. */
  if (len > G_MAXSSIZE || !g_utf8_validate_len (data, len, NULL))
    {
      g_set_error_literal (error, QUORUM_JSON_GUARD_ERROR, QUORUM_JSON_GUARD_ERROR_INVALID_UTF8,
                           "The document is not valid UTF-8.");
      return FALSE;
    }

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '"')
            in_string = FALSE;
          else if (c == '\\' && i + 1 < len)
            {
              i++;
              if (data[i] == 'u' && i + 4 < len && data[i + 1] == '0' && data[i + 2] == '0' &&
                  data[i + 3] == '0' && data[i + 4] == '0')
                {
                  g_set_error_literal (error, QUORUM_JSON_GUARD_ERROR,
                                       QUORUM_JSON_GUARD_ERROR_NUL_ESCAPE,
                                       "Text may not hold the character U+0000.");
                  return FALSE;
                }
            }
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > max_depth)
            {
              g_set_error (error, QUORUM_JSON_GUARD_ERROR, QUORUM_JSON_GUARD_ERROR_TOO_DEEP,
                           "The document is nested deeper than %u levels.", max_depth);
              return FALSE;
            }
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  return TRUE;
}
