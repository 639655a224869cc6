/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-core.h"

static void
test_slug_check (void)
{
  g_assert_cmpint (quorum_slug_check ("acme"), ==, QUORUM_SLUG_OK);
  g_assert_cmpint (quorum_slug_check ("acme-robotics-2"), ==, QUORUM_SLUG_OK);
  g_assert_cmpint (quorum_slug_check ("abc"), ==, QUORUM_SLUG_OK);
  g_assert_cmpint (quorum_slug_check ("ab"), ==, QUORUM_SLUG_TOO_SHORT);
  g_assert_cmpint (quorum_slug_check (""), ==, QUORUM_SLUG_TOO_SHORT);
  g_assert_cmpint (quorum_slug_check (NULL), ==, QUORUM_SLUG_TOO_SHORT);
  g_assert_cmpint (quorum_slug_check ("a123456789012345678901234567890123456789012345678"), ==,
                   QUORUM_SLUG_TOO_LONG);
  g_assert_cmpint (quorum_slug_check ("Acme"), ==, QUORUM_SLUG_INVALID_CHARACTER);
  g_assert_cmpint (quorum_slug_check ("ac_me"), ==, QUORUM_SLUG_INVALID_CHARACTER);
  g_assert_cmpint (quorum_slug_check ("acmé"), ==, QUORUM_SLUG_INVALID_CHARACTER);
  g_assert_cmpint (quorum_slug_check ("-acme"), ==, QUORUM_SLUG_BAD_HYPHEN);
  g_assert_cmpint (quorum_slug_check ("acme-"), ==, QUORUM_SLUG_BAD_HYPHEN);
  g_assert_cmpint (quorum_slug_check ("ac--me"), ==, QUORUM_SLUG_BAD_HYPHEN);

  /* One message per problem, none for a valid slug. */
  g_assert_null (quorum_slug_problem ("acme"));
  g_assert_cmpstr (quorum_slug_problem ("ab"), ==, "The slug needs at least 3 characters.");
  g_assert_cmpstr (quorum_slug_problem ("Acme"), ==,
                   "The slug can only hold lower-case letters, digits and hyphens.");
  g_assert_nonnull (quorum_slug_problem ("a123456789012345678901234567890123456789012345678"));
  g_assert_nonnull (quorum_slug_problem ("ac--me"));
}

static void
test_slug_from_name (void)
{
  static const struct { const char *name; const char *slug; } cases[] = {
    { "Acme Robotics", "acme-robotics" },
    { "  Crème Brûlée & Co.  ", "creme-brulee-co" },
    { "Ærø Ünïon", "aeroe-union" },
    { "ACME", "acme" },
    { "A", "a-org" },
    { "", "org" },
    { "!!!", "org" },
    { "日本", "org" },
    { "Very Long Organization Name That Keeps Going Past The Limit", "very-long-organization-name-that-keeps-going-pas" },
    { "x 123456789012345678901234567890123456789012345 y", "x-123456789012345678901234567890123456789012345" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *slug = quorum_slug_from_name (cases[i].name);

      g_assert_cmpstr (slug, ==, cases[i].slug);
      g_assert_true (quorum_slug_is_valid (slug));
    }
}

static void
test_slug_suffix (void)
{
  g_autofree char *a = quorum_slug_with_suffix ("acme", 2);
  g_autofree char *b = quorum_slug_with_suffix ("abcdefghijabcdefghijabcdefghijabcdefghijabcdefgh", 12);
  g_autofree char *c = quorum_slug_with_suffix ("abcdefghijabcdefghijabcdefghijabcdefghijabcdef-h", 1);

  g_assert_cmpstr (a, ==, "acme-2");
  g_assert_cmpuint (strlen (b), ==, QUORUM_SLUG_MAX_CHARS);
  g_assert_true (g_str_has_suffix (b, "-12"));
  g_assert_true (quorum_slug_is_valid (b));
  g_assert_true (quorum_slug_is_valid (c));
}

static void
test_name (void)
{
  g_autofree char *n = quorum_name_normalize ("  Acme  ");
  g_autofree char *long_name = g_strnfill (81, 'x');
  g_autofree char *max_name = g_strnfill (80, 'x');

  g_assert_cmpstr (n, ==, "Acme");
  g_assert_true (quorum_name_is_valid ("Acme"));
  g_assert_true (quorum_name_is_valid ("  Ünïcödé  "));
  g_assert_true (quorum_name_is_valid (max_name));
  g_assert_false (quorum_name_is_valid (long_name));
  g_assert_false (quorum_name_is_valid ("   "));
  g_assert_false (quorum_name_is_valid (""));
  g_assert_false (quorum_name_is_valid (NULL));
  g_assert_false (quorum_name_is_valid ("bad\xff"));
  g_assert_false (quorum_name_is_valid ("tab\there"));
}

/* Characters that hide or disguise text next to them are refused in every
 * name, whatever script it is written in. */
static void
test_name_unsafe_characters (void)
{
  static const char * const refused[] = {
    "Ada\xe2\x80\xaeLovelace",       /* U+202E RIGHT-TO-LEFT OVERRIDE */
    ("\xe2\x80\xaa" "Ada"),               /* U+202A LRE */
    "Ada\xe2\x80\xac",               /* U+202C PDF */
    "Ada \xe2\x81\xa6x\xe2\x81\xa9", /* U+2066 LRI … U+2069 PDI */
    "Ada\xe2\x81\xa7",               /* U+2067 RLI */
    "Ada\xe2\x80\x8f",               /* U+200F RLM */
    "Ada\xe2\x80\x8e",               /* U+200E LRM */
    "Ada\xd8\x9c",                   /* U+061C ALM */
    "Ada\xe2\x80\xa8Owner",          /* U+2028 LINE SEPARATOR */
    "Ada\xe2\x80\xa9",               /* U+2029 PARAGRAPH SEPARATOR */
    "Ada\x7f",                        /* DEL */
    "Ada\xc2\x85",                    /* U+0085 NEXT LINE (C1) */
    "Ada\xc2\x9b",                    /* U+009B CSI (C1) */
    "Ada\x1b[31m",                    /* ESC */
    "Ada\nBcc: x@example.com",
    "Ada\xef\xbf\xbf",               /* U+FFFF noncharacter */
    "Ada\xef\xb7\x90",               /* U+FDD0 noncharacter */
  };
  static const char * const accepted[] = {
    "Ada Lovelace",
    "\xd7\x90\xd7\x93\xd7\x94",      /* Hebrew: the bidi algorithm needs no marks */
    "\xd8\xb9\xd9\x84\xd9\x8a",      /* Arabic */
    "\xe0\xa4\x95\xe0\xa5\x8d\xe2\x80\x8d", /* Devanagari with ZWJ */
    "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb", /* emoji ZWJ sequence */
    "Zo\xc3\xab O'Brien-Smith (Ops)",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_test_message ("refused %zu", i);
      g_assert_cmpint (quorum_name_check (refused[i]), ==, QUORUM_NAME_INVALID_CHARACTERS);
      g_assert_false (quorum_name_is_valid (refused[i]));
      g_assert_false (quorum_text_is_safe (refused[i]));
    }
  for (gsize i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_test_message ("accepted %zu", i);
      g_assert_cmpint (quorum_name_check (accepted[i]), ==, QUORUM_NAME_OK);
      g_assert_true (quorum_text_is_safe (accepted[i]));
    }

  g_assert_cmpint (quorum_name_check ("   "), ==, QUORUM_NAME_BLANK);
  g_assert_cmpint (quorum_name_check ("bad\xff"), ==, QUORUM_NAME_INVALID_UTF8);
  g_assert_true (quorum_unichar_is_unsafe (0));
  g_assert_true (quorum_unichar_is_unsafe (0x1FFFE));
  g_assert_false (quorum_unichar_is_unsafe (0x200D));

  /* E-mail addresses are shown beside names: the same rule. */
  g_assert_false (quorum_email_is_valid ("ada\xe2\x80\xae@example.com"));
  g_assert_false (quorum_email_is_valid ("ada@exam\xe2\x80\x8fple.com"));
}

static void
test_email (void)
{
  g_autofree char *e = quorum_email_normalize ("  Ada@Demo.Quorum.TEST ");

  g_assert_cmpstr (e, ==, "ada@demo.quorum.test");
  g_assert_true (quorum_email_is_valid ("ada@demo.quorum.test"));
  g_assert_true (quorum_email_is_valid ("first.last+tag@example.co.uk"));
  g_assert_false (quorum_email_is_valid ("ada"));
  g_assert_false (quorum_email_is_valid ("ada@"));
  g_assert_false (quorum_email_is_valid ("@example.com"));
  g_assert_false (quorum_email_is_valid ("ada@localhost"));
  g_assert_false (quorum_email_is_valid ("a b@example.com"));
  g_assert_false (quorum_email_is_valid ("a@b@example.com"));
  g_assert_false (quorum_email_is_valid ("ada@example..com"));
  g_assert_false (quorum_email_is_valid ("ada.@example.com"));
  g_assert_false (quorum_email_is_valid ("ada@example.com."));
  g_assert_false (quorum_email_is_valid ("<ada@example.com>"));
  g_assert_false (quorum_email_is_valid ("ada@exa\nmple.com"));
  g_assert_false (quorum_email_is_valid ("ada@\xff.com"));
  g_assert_false (quorum_email_is_valid (NULL));
}

static void
test_password (void)
{
  g_autofree char *huge = g_strnfill (QUORUM_PASSWORD_MAX_BYTES + 1, 'a');

  g_assert_false (quorum_password_is_valid ("short"));
  g_assert_false (quorum_password_is_valid ("123456789"));
  g_assert_true (quorum_password_is_valid ("quorum-demo"));
  g_assert_false (quorum_password_is_valid (huge));
  g_assert_false (quorum_password_is_valid (NULL));

  g_assert_cmpuint (quorum_password_strength ("short"), ==, 0);
  g_assert_cmpuint (quorum_password_strength ("aaaaaaaaaa"), ==, 1);
  g_assert_cmpuint (quorum_password_strength ("Correct-Horse-Battery-9"), ==, 4);
  g_assert_cmpuint (quorum_password_strength ("aaaaaaaaaa"), <,
                    quorum_password_strength ("aB3$aaaaaaaaaaaa"));
}

static void
test_logo_url (void)
{
  g_assert_true (quorum_logo_url_is_valid ("https://example.com/logo.png"));
  g_assert_true (quorum_logo_url_is_valid ("http://127.0.0.1:8080/v1/organizations/org_1/logo"));
  g_assert_false (quorum_logo_url_is_valid ("ftp://example.com/logo.png"));
  g_assert_false (quorum_logo_url_is_valid ("javascript:alert(1)"));
  g_assert_false (quorum_logo_url_is_valid ("https://user:pw@example.com/logo.png"));
  g_assert_false (quorum_logo_url_is_valid ("not a url"));
  g_assert_false (quorum_logo_url_is_valid (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/slug/check", test_slug_check);
  g_test_add_func ("/core/slug/from-name", test_slug_from_name);
  g_test_add_func ("/core/slug/suffix", test_slug_suffix);
  g_test_add_func ("/core/name", test_name);
  g_test_add_func ("/core/name/unsafe-characters", test_name_unsafe_characters);
  g_test_add_func ("/core/email", test_email);
  g_test_add_func ("/core/password", test_password);
  g_test_add_func ("/core/logo-url", test_logo_url);
  return g_test_run ();
}
