/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-csv.h"

enum
{
  CELL_START,    /* before a cell's first byte */
  UNQUOTED,      /* inside a cell without quotes */
  QUOTED_START,  /* just after a cell's opening quote */
  QUOTED,        /* inside a quoted cell */
  QUOTE_SEEN,    /* a quote inside a quoted cell: its end, or half of "" */
};

gboolean
quorum_csv_is_formula_start (char c)
{
  return c != '\0' && strchr (QUORUM_CSV_FORMULA_STARTS, c) != NULL;
}

void
quorum_csv_guard_init (QuorumCsvGuard *guard)
{
  guard->state = CELL_START;
}

static void
put (GByteArray *out,
     char        c)
{
  g_byte_array_append (out, (const guint8 *) &c, 1);
}

void
quorum_csv_guard_feed (QuorumCsvGuard *guard,
                       const char     *data,
                       gsize           len,
                       GByteArray     *out)
{
  int state = guard->state;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      switch (state)
        {
        case QUOTE_SEEN:
          if (c == '"')
            {
              put (out, c);  /* "" inside quotes */
              state = QUOTED;
              break;
            }
          /* The quote closed the cell: c follows it. */
          put (out, c);
          state = (c == ',' || c == '\r' || c == '\n') ? CELL_START : UNQUOTED;
          break;

        case CELL_START:
          if (c == '"')
            {
              put (out, c);
              state = QUOTED_START;
            }
          else if (c == ',' || c == '\n')
            put (out, c);  /* an empty cell; a row's end */
          else if (c == '\r')
            put (out, c);  /* unquoted, a CR ends the row (CRLF) */
          else
            {
              if (quorum_csv_is_formula_start (c))
                put (out, '\'');
              put (out, c);
              state = UNQUOTED;
            }
          break;

        case UNQUOTED:
          put (out, c);
          if (c == ',' || c == '\r' || c == '\n')
            state = CELL_START;
          break;

        case QUOTED_START:
          if (c == '"')
            {
              put (out, c);  /* "" (empty) or a doubled quote first */
              state = QUOTE_SEEN;
              break;
            }
          if (quorum_csv_is_formula_start (c))
            put (out, '\'');
          put (out, c);
          state = QUOTED;
          break;

        case QUOTED:
        default:
          put (out, c);
          if (c == '"')
            state = QUOTE_SEEN;
          break;
        }
    }
  guard->state = state;
}
