/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-core.h"

static gboolean
check (const char  *text,
       GError     **error)
{
  return quorum_json_check (text, strlen (text), QUORUM_JSON_MAX_DEPTH, error);
}

static void
assert_refused (const char *text,
                gint        code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (check (text, &error));
  g_assert_error (error, QUORUM_JSON_GUARD_ERROR, code);
}

static void
test_accepts_json (void)
{
  static const char * const documents[] = {
    "{}", "[]", "42", "\"x\"", "{\"name\": \"Ada\", \"tags\": [1, [2, {\"x\": null}]]}",
    "\"[[[[{{{{\"",                      /* brackets inside strings do not count */
    "{\"a\": \"\\\"[[[[\"}",             /* nor after an escaped quote */
    "\"\\\\u0000\"",                     /* an escaped backslash, then text "u0000" */
    "\"\\u0001 \\u00001\"",              /* U+0000, then "1": refused, below */
  };

  for (gsize i = 0; i + 1 < G_N_ELEMENTS (documents); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", documents[i]);
      g_assert_true (check (documents[i], &error));
      g_assert_no_error (error);
    }
  /* "\u00001" is U+0000 followed by '1': refused. */
  assert_refused (documents[G_N_ELEMENTS (documents) - 1], QUORUM_JSON_GUARD_ERROR_NUL_ESCAPE);
}

static void
test_depth_limit (void)
{
  g_autoptr(GString) at_limit = g_string_new (NULL);
  g_autoptr(GString) past_limit = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < QUORUM_JSON_MAX_DEPTH; i++)
    g_string_append (at_limit, i % 2 ? "{\"k\":" : "[");
  for (guint i = QUORUM_JSON_MAX_DEPTH; i > 0; i--)
    g_string_append (at_limit, (i - 1) % 2 ? "}" : "]");
  g_assert_true (check (at_limit->str, &error));
  g_assert_no_error (error);

  past_limit = g_string_new ("[");
  g_string_append (past_limit, at_limit->str);
  g_string_append (past_limit, "]");
  assert_refused (past_limit->str, QUORUM_JSON_GUARD_ERROR_TOO_DEEP);

  /* Closing brackets do not let depth go below zero and buy credit. */
  {
    g_autofree char *closers = g_strnfill (1000, ']');
    g_autofree char *openers = g_strnfill (QUORUM_JSON_MAX_DEPTH + 1, '[');
    g_autofree char *both = g_strconcat (closers, openers, NULL);

    assert_refused (both, QUORUM_JSON_GUARD_ERROR_TOO_DEEP);
  }
}

/* The attack of issue 11: a million '[' used to exhaust json-glib's stack.
 * The guard stops at the 65th, in linear time and without recursion. */
static void
test_million_brackets (void)
{
  gsize len = 1000 * 1000;
  g_autofree char *deep = g_strnfill (len, '[');
  g_autoptr(GError) error = NULL;

  g_assert_false (quorum_json_check (deep, len, QUORUM_JSON_MAX_DEPTH, &error));
  g_assert_error (error, QUORUM_JSON_GUARD_ERROR, QUORUM_JSON_GUARD_ERROR_TOO_DEEP);
}

static void
test_refuses_bad_text (void)
{
  g_autoptr(GError) error = NULL;

  assert_refused ("{\"name\": \"Ada\\u0000Admin\"}", QUORUM_JSON_GUARD_ERROR_NUL_ESCAPE);
  assert_refused ("[\"\\u0000\"]", QUORUM_JSON_GUARD_ERROR_NUL_ESCAPE);
  assert_refused ("{\"a\\u0000\": 1}", QUORUM_JSON_GUARD_ERROR_NUL_ESCAPE);
  assert_refused ("\"bad \xff\"", QUORUM_JSON_GUARD_ERROR_INVALID_UTF8);
  g_assert_false (quorum_json_check ("{\"a\":\0\"b\"}", 10, QUORUM_JSON_MAX_DEPTH, &error));
  g_assert_error (error, QUORUM_JSON_GUARD_ERROR, QUORUM_JSON_GUARD_ERROR_INVALID_UTF8);
  g_clear_error (&error);
  g_assert_false (quorum_json_check (NULL, 0, QUORUM_JSON_MAX_DEPTH, &error));
  g_assert_error (error, QUORUM_JSON_GUARD_ERROR, QUORUM_JSON_GUARD_ERROR_EMPTY);
  g_clear_error (&error);
  /* A truncated escape at the very end reads nothing past the buffer. */
  g_assert_true (quorum_json_check ("\"\\u000", 6, QUORUM_JSON_MAX_DEPTH, NULL));
  g_assert_true (quorum_json_check ("\"\\", 2, QUORUM_JSON_MAX_DEPTH, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/json-guard/accepts", test_accepts_json);
  g_test_add_func ("/core/json-guard/depth", test_depth_limit);
  g_test_add_func ("/core/json-guard/million-brackets", test_million_brackets);
  g_test_add_func ("/core/json-guard/bad-text", test_refuses_bad_text);
  return g_test_run ();
}
