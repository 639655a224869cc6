/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-core.h"

/* in → what the guard makes of it */
static const struct { const char *in; const char *out; } cases[] = {
  { "name,email\r\n", "name,email\r\n" },
  { "=1+1,x\r\n", "'=1+1,x\r\n" },
  { "a,+cmd|' /C calc'!A0,-2,@SUM(A1)\r\n", "a,'+cmd|' /C calc'!A0,'-2,'@SUM(A1)\r\n" },
  { "\tx,y\r\n", "'\tx,y\r\n" },
  /* quoted cells: the ' goes inside the quotes, before the formula */
  { "\"=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",b\r\n",
    "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",b\r\n" },
  { "\"\r=1\",\"\t2\"\r\n", "\"'\r=1\",\"'\t2\"\r\n" },
  /* a formula character later in a cell is data */
  { "a=1,b+2,\"c,=d\"\r\n", "a=1,b+2,\"c,=d\"\r\n" },
  /* a doubled quote first, an empty quoted cell, empty cells */
  { "\"\"\"=x\",\"\",,=y\r\n", "\"\"\"=x\",\"\",,'=y\r\n" },
  /* rows: every row's first cell too, CRLF or a bare LF */
  { "a\r\n=b\r\n-c\n@d\r\n", "a\r\n'=b\r\n'-c\n'@d\r\n" },
  /* already neutralised (what our server sends): left as it is */
  { "'=1,\"'=2\"\r\n", "'=1,\"'=2\"\r\n" },
  /* a line break inside quotes does not start a cell */
  { "\"a\r\n=b\",c\r\n", "\"a\r\n=b\",c\r\n" },
  { "", "" },
};

static char *
guard_in_pieces (const char *in,
                 gsize       len,
                 gsize       piece)
{
  QuorumCsvGuard guard;
  GByteArray *out = g_byte_array_new ();

  quorum_csv_guard_init (&guard);
  for (gsize at = 0; at < len; at += piece)
    quorum_csv_guard_feed (&guard, in + at, MIN (piece, len - at), out);
  g_byte_array_append (out, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (out, FALSE);
}

static void
test_cases (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize len = strlen (cases[i].in);

      g_test_message ("%u: %s", i, cases[i].in);
      /* Whole, and in pieces of every size: the result never depends on
       * where the chunks were cut. */
      for (gsize piece = 1; piece <= MAX (len, 1); piece++)
        {
          g_autofree char *out = guard_in_pieces (cases[i].in, len, piece);

          g_assert_cmpstr (out, ==, cases[i].out);
        }
    }
}

/* The worst growth is one ' per two bytes (=,=,=,…): within the bound. */
static void
test_growth_bound (void)
{
  g_autofree char *in = g_strnfill (4001, ',');
  g_autofree char *out = NULL;

  for (gsize i = 0; i < 4001; i += 2)
    in[i] = '=';
  out = guard_in_pieces (in, 4001, 7);
  g_assert_cmpuint (strlen (out), ==, 4001 + 2001);
  g_assert_cmpuint (strlen (out), <=, 4001 + 4001 / 2 + 1);
}

static void
test_formula_start (void)
{
  for (const char *p = "=+-@\t\r"; *p != '\0'; p++)
    g_assert_true (quorum_csv_is_formula_start (*p));
  for (const char *p = "aZ0 '\",\n"; *p != '\0'; p++)
    g_assert_false (quorum_csv_is_formula_start (*p));
  g_assert_false (quorum_csv_is_formula_start ('\0'));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/csv/guard", test_cases);
  g_test_add_func ("/core/csv/growth-bound", test_growth_bound);
  g_test_add_func ("/core/csv/formula-start", test_formula_start);
  return g_test_run ();
}
