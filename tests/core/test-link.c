/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-core.h"

#define TOKEN "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd"  /* 42 */
#define TOKEN43 TOKEN "e"

static void
test_valid_links (void)
{
  static const struct { const char *link; const char *server; const char *host; } cases[] = {
    { "quorum://invite/" TOKEN43 "?server=http%3A%2F%2F127.0.0.1%3A8080", "http://127.0.0.1:8080", "127.0.0.1" },
    { "quorum://invite/" TOKEN43 "?server=https%3A%2F%2Fquorum.example.org%2F", "https://quorum.example.org", "quorum.example.org" },
    { "QUORUM://INVITE/" TOKEN43 "?server=https://Quorum.Example.ORG:443/base/", "https://quorum.example.org/base", "quorum.example.org" },
    { "quorum://invite/" TOKEN43 "/?utm_source=mail&server=http%3A%2F%2F%5B%3A%3A1%5D%3A9000", "http://[::1]:9000", "::1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(QuorumLink) link = quorum_link_parse (cases[i].link, &error);

      g_test_message ("%s", cases[i].link);
      g_assert_no_error (error);
      g_assert_nonnull (link);
      g_assert_cmpint (quorum_link_get_kind (link), ==, QUORUM_LINK_INVITE);
      g_assert_cmpstr (quorum_link_get_token (link), ==, TOKEN43);
      g_assert_cmpstr (quorum_link_get_server (link), ==, cases[i].server);
      g_assert_cmpstr (quorum_link_get_host (link), ==, cases[i].host);
    }
}

static void
test_invalid_links (void)
{
  g_autofree char *padding = g_strnfill (5000, 'a');
  g_autofree char *huge = g_strdup_printf ("quorum://invite/%s?server=https://a.example/%s",
                                           TOKEN43, padding);
  const struct { const char *link; QuorumLinkError code; } cases[] = {
    { "", QUORUM_LINK_ERROR_MALFORMED },
    { "not a link", QUORUM_LINK_ERROR_MALFORMED },
    { huge, QUORUM_LINK_ERROR_MALFORMED },
    { "quorum://invite/" TOKEN43 "?server=https://a.example#frag", QUORUM_LINK_ERROR_MALFORMED },
    { "quorum://invite/" TOKEN43 "?server=https://a.example&\xff", QUORUM_LINK_ERROR_MALFORMED },
    { "https://invite/" TOKEN43 "?server=https://a.example", QUORUM_LINK_ERROR_WRONG_SCHEME },
    { "file:///etc/passwd", QUORUM_LINK_ERROR_WRONG_SCHEME },
    { "quorum://join/" TOKEN43 "?server=https://a.example", QUORUM_LINK_ERROR_WRONG_KIND },
    { "quorum://user@invite/" TOKEN43 "?server=https://a.example", QUORUM_LINK_ERROR_WRONG_KIND },
    { "quorum://invite:99/" TOKEN43 "?server=https://a.example", QUORUM_LINK_ERROR_WRONG_KIND },
    { "quorum:invite/" TOKEN43 "?server=https://a.example", QUORUM_LINK_ERROR_WRONG_KIND },
    { "quorum://invite/" TOKEN "?server=https://a.example", QUORUM_LINK_ERROR_INVALID_TOKEN },
    { "quorum://invite/" TOKEN43 "x?server=https://a.example", QUORUM_LINK_ERROR_INVALID_TOKEN },
    { "quorum://invite/" TOKEN "%2F?server=https://a.example", QUORUM_LINK_ERROR_INVALID_TOKEN },
    { "quorum://invite/" TOKEN "%00?server=https://a.example", QUORUM_LINK_ERROR_INVALID_TOKEN },
    { "quorum://invite/" TOKEN "=?server=https://a.example", QUORUM_LINK_ERROR_INVALID_TOKEN },
    { "quorum://invite/a/" TOKEN43 "?server=https://a.example", QUORUM_LINK_ERROR_INVALID_TOKEN },
    { "quorum://invite?server=https://a.example", QUORUM_LINK_ERROR_INVALID_TOKEN },
    { "quorum://invite/" TOKEN43, QUORUM_LINK_ERROR_MISSING_SERVER },
    { "quorum://invite/" TOKEN43 "?srv=https://a.example", QUORUM_LINK_ERROR_MISSING_SERVER },
    { "quorum://invite/" TOKEN43 "?server=", QUORUM_LINK_ERROR_MISSING_SERVER },
    { "quorum://invite/" TOKEN43 "?server=ftp://a.example", QUORUM_LINK_ERROR_INVALID_SERVER },
    { "quorum://invite/" TOKEN43 "?server=javascript:alert(1)", QUORUM_LINK_ERROR_INVALID_SERVER },
    { "quorum://invite/" TOKEN43 "?server=https%3A%2F%2Fada%3Apw%40a.example", QUORUM_LINK_ERROR_INVALID_SERVER },
    { "quorum://invite/" TOKEN43 "?server=https%3A%2F%2Fa.example%3Fx%3D1", QUORUM_LINK_ERROR_INVALID_SERVER },
    { "quorum://invite/" TOKEN43 "?server=https://", QUORUM_LINK_ERROR_INVALID_SERVER },
    { "quorum://invite/" TOKEN43 "?server=https%3A%2F%2Fa.example&server=https%3A%2F%2Fb.example", QUORUM_LINK_ERROR_INVALID_SERVER },
    { "quorum://invite/" TOKEN43 "?server=%FF", QUORUM_LINK_ERROR_MALFORMED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(QuorumLink) link = NULL;
      g_autofree char *printable = g_strescape (cases[i].link, NULL);

      g_test_message ("case %u: %.120s", i, printable);
      link = quorum_link_parse (cases[i].link, &error);
      g_assert_null (link);
      g_assert_error (error, QUORUM_LINK_ERROR, (int) cases[i].code);
    }

  g_assert_null (quorum_link_parse (NULL, NULL));
}

/* The verification and reset links: the same parser, the same strictness,
 * and a token that must carry its own kind's prefix. */
static void
test_kinds (void)
{
  static const struct { const char *link; QuorumLinkKind kind; const char *token; const char *server; } valid[] = {
    { "quorum://verify/qrm_v_" TOKEN43 "?server=http%3A%2F%2F127.0.0.1%3A8080", QUORUM_LINK_VERIFY,
      "qrm_v_" TOKEN43, "http://127.0.0.1:8080" },
    { "QUORUM://Verify/qrm_v_" TOKEN43 "/?utm_source=x&server=https://Quorum.Example.org/", QUORUM_LINK_VERIFY,
      "qrm_v_" TOKEN43, "https://quorum.example.org" },
    { "quorum://reset/qrm_r_" TOKEN43 "?server=https%3A%2F%2Fquorum.example.org%3A8443", QUORUM_LINK_RESET,
      "qrm_r_" TOKEN43, "https://quorum.example.org:8443" },
  };
  const struct { const char *link; QuorumLinkError code; } invalid[] = {
    /* a token of another kind */
    { "quorum://verify/" TOKEN43 "?server=https://a.example", QUORUM_LINK_ERROR_INVALID_TOKEN },
    { "quorum://verify/qrm_r_" TOKEN43 "?server=https://a.example", QUORUM_LINK_ERROR_INVALID_TOKEN },
    { "quorum://reset/qrm_v_" TOKEN43 "?server=https://a.example", QUORUM_LINK_ERROR_INVALID_TOKEN },
    { "quorum://reset/qrm_s_" TOKEN43 "?server=https://a.example", QUORUM_LINK_ERROR_INVALID_TOKEN },
    { "quorum://invite/qrm_v_" TOKEN43 "?server=https://a.example", QUORUM_LINK_ERROR_INVALID_TOKEN },
    /* wrong length, charset, case or encoding */
    { "quorum://verify/qrm_v_" TOKEN "?server=https://a.example", QUORUM_LINK_ERROR_INVALID_TOKEN },
    { "quorum://verify/qrm_v_" TOKEN43 "x?server=https://a.example", QUORUM_LINK_ERROR_INVALID_TOKEN },
    { "quorum://verify/QRM_V_" TOKEN43 "?server=https://a.example", QUORUM_LINK_ERROR_INVALID_TOKEN },
    { "quorum://verify/qrm_v_" TOKEN "%2F?server=https://a.example", QUORUM_LINK_ERROR_INVALID_TOKEN },
    { "quorum://reset/qrm_r_" TOKEN ".?server=https://a.example", QUORUM_LINK_ERROR_INVALID_TOKEN },
    { "quorum://reset/qrm_r_?server=https://a.example", QUORUM_LINK_ERROR_INVALID_TOKEN },
    { "quorum://reset?server=https://a.example", QUORUM_LINK_ERROR_INVALID_TOKEN },
    /* kinds that do not exist, or dressed up */
    { "quorum://verification/qrm_v_" TOKEN43 "?server=https://a.example", QUORUM_LINK_ERROR_WRONG_KIND },
    { "quorum://password-reset/qrm_r_" TOKEN43 "?server=https://a.example", QUORUM_LINK_ERROR_WRONG_KIND },
    { "quorum://user@verify/qrm_v_" TOKEN43 "?server=https://a.example", QUORUM_LINK_ERROR_WRONG_KIND },
    { "quorum://reset:1/qrm_r_" TOKEN43 "?server=https://a.example", QUORUM_LINK_ERROR_WRONG_KIND },
    { "https://reset/qrm_r_" TOKEN43 "?server=https://a.example", QUORUM_LINK_ERROR_WRONG_SCHEME },
    /* the server part, as strict as for invitations */
    { "quorum://verify/qrm_v_" TOKEN43, QUORUM_LINK_ERROR_MISSING_SERVER },
    { "quorum://reset/qrm_r_" TOKEN43 "?server=", QUORUM_LINK_ERROR_MISSING_SERVER },
    { "quorum://reset/qrm_r_" TOKEN43 "?server=https%3A%2F%2Fada%3Apw%40a.example", QUORUM_LINK_ERROR_INVALID_SERVER },
    { "quorum://verify/qrm_v_" TOKEN43 "?server=file:///etc/passwd", QUORUM_LINK_ERROR_INVALID_SERVER },
    { "quorum://verify/qrm_v_" TOKEN43 "?server=https://a.example&server=https://b.example", QUORUM_LINK_ERROR_INVALID_SERVER },
    { "quorum://reset/qrm_r_" TOKEN43 "?server=https://a.example#x", QUORUM_LINK_ERROR_MALFORMED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(QuorumLink) link = quorum_link_parse (valid[i].link, &error);
      g_autoptr(QuorumLink) copy = NULL;

      g_test_message ("%s", valid[i].link);
      g_assert_no_error (error);
      g_assert_cmpint (quorum_link_get_kind (link), ==, valid[i].kind);
      g_assert_cmpstr (quorum_link_get_token (link), ==, valid[i].token);
      g_assert_cmpstr (quorum_link_get_server (link), ==, valid[i].server);
      copy = quorum_link_copy (link);
      g_assert_cmpint (quorum_link_get_kind (copy), ==, valid[i].kind);
      g_assert_true (quorum_link_token_is_valid (valid[i].kind, quorum_link_get_token (copy)));
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(QuorumLink) link = NULL;

      g_test_message ("case %u: %s", i, invalid[i].link);
      link = quorum_link_parse (invalid[i].link, &error);
      g_assert_null (link);
      g_assert_error (error, QUORUM_LINK_ERROR, (int) invalid[i].code);
    }

  g_assert_false (quorum_link_token_is_valid (QUORUM_LINK_VERIFY, NULL));
  g_assert_false (quorum_link_token_is_valid ((QuorumLinkKind) 42, TOKEN43));
}

/* quorum://org/<slug>[/<tab>]: a page of an organization. */
static void
test_org_links (void)
{
  static const struct {
    const char *link; const char *slug; QuorumLinkTab tab; const char *query; const char *filter; const char *server;
  } valid[] = {
    { "quorum://org/acme?server=http%3A%2F%2F127.0.0.1%3A8080", "acme", QUORUM_LINK_TAB_NONE, NULL, NULL,
      "http://127.0.0.1:8080" },
    { "quorum://org/acme/?server=http%3A%2F%2F127.0.0.1%3A8080", "acme", QUORUM_LINK_TAB_NONE, NULL, NULL,
      "http://127.0.0.1:8080" },
    { "QUORUM://ORG/acme-labs-2/billing/?server=https://Quorum.Example.org/", "acme-labs-2",
      QUORUM_LINK_TAB_BILLING, NULL, NULL, "https://quorum.example.org" },
    { "quorum://org/acme/general?server=https://a.example", "acme", QUORUM_LINK_TAB_GENERAL, NULL, NULL,
      "https://a.example" },
    { "quorum://org/acme/developers?utm_source=chat&server=https://a.example", "acme",
      QUORUM_LINK_TAB_DEVELOPERS, NULL, NULL, "https://a.example" },
    { "quorum://org/acme/members?server=https://a.example&query=ada%20lovelace&filter=inactive-90d", "acme",
      QUORUM_LINK_TAB_MEMBERS, "ada lovelace", "inactive-90d", "https://a.example" },
    { "quorum://org/acme/members?filter=inactive-90d&server=https://a.example", "acme",
      QUORUM_LINK_TAB_MEMBERS, NULL, "inactive-90d", "https://a.example" },
    /* UTF-8 in the search, percent-encoded; empty values are no value */
    { "quorum://org/acme/members?server=https://a.example&query=Jos%C3%A9&filter=", "acme",
      QUORUM_LINK_TAB_MEMBERS, "José", NULL, "https://a.example" },
    { "quorum://org/acme/members?server=https://a.example&query=", "acme",
      QUORUM_LINK_TAB_MEMBERS, NULL, NULL, "https://a.example" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(QuorumLink) link = quorum_link_parse (valid[i].link, &error);
      g_autoptr(QuorumLink) copy = NULL;

      g_test_message ("%s", valid[i].link);
      g_assert_no_error (error);
      g_assert_cmpint (quorum_link_get_kind (link), ==, QUORUM_LINK_ORG);
      g_assert_null (quorum_link_get_token (link));
      g_assert_cmpstr (quorum_link_get_slug (link), ==, valid[i].slug);
      g_assert_cmpint (quorum_link_get_tab (link), ==, valid[i].tab);
      g_assert_cmpstr (quorum_link_get_query (link), ==, valid[i].query);
      g_assert_cmpstr (quorum_link_get_filter (link), ==, valid[i].filter);
      g_assert_cmpstr (quorum_link_get_server (link), ==, valid[i].server);
      copy = quorum_link_copy (link);
      g_assert_cmpstr (quorum_link_get_slug (copy), ==, valid[i].slug);
      g_assert_cmpint (quorum_link_get_tab (copy), ==, valid[i].tab);
      g_assert_cmpstr (quorum_link_get_query (copy), ==, valid[i].query);
      g_assert_cmpstr (quorum_link_get_filter (copy), ==, valid[i].filter);
    }
}

static void
test_org_links_hostile (void)
{
  g_autofree char *long_slug = g_strnfill (QUORUM_SLUG_MAX_CHARS + 1, 'a');
  g_autofree char *link_long_slug = g_strdup_printf ("quorum://org/%s?server=https://a.example", long_slug);
  g_autofree char *max_slug = g_strnfill (QUORUM_SLUG_MAX_CHARS, 'a');
  g_autofree char *long_query = g_strnfill (QUORUM_LINK_MAX_QUERY_CHARS + 1, 'q');
  g_autofree char *link_long_query =
    g_strdup_printf ("quorum://org/acme/members?server=https://a.example&query=%s", long_query);
  g_autofree char *padding = g_strnfill (QUORUM_LINK_MAX_BYTES, 'x');
  g_autofree char *link_huge = g_strdup_printf ("quorum://org/acme/members?server=https://a.example&utm=%s", padding);
  const struct { const char *link; QuorumLinkError code; } invalid[] = {
    /* not a slug */
    { "quorum://org?server=https://a.example", QUORUM_LINK_ERROR_INVALID_SLUG },
    { "quorum://org/?server=https://a.example", QUORUM_LINK_ERROR_INVALID_SLUG },
    { "quorum://org//members?server=https://a.example", QUORUM_LINK_ERROR_INVALID_SLUG },
    { "quorum://org/ab?server=https://a.example", QUORUM_LINK_ERROR_INVALID_SLUG },
    { link_long_slug, QUORUM_LINK_ERROR_INVALID_SLUG },
    { "quorum://org/Acme?server=https://a.example", QUORUM_LINK_ERROR_INVALID_SLUG },
    { "quorum://org/-acme?server=https://a.example", QUORUM_LINK_ERROR_INVALID_SLUG },
    { "quorum://org/ac--me?server=https://a.example", QUORUM_LINK_ERROR_INVALID_SLUG },
    { "quorum://org/ac_me?server=https://a.example", QUORUM_LINK_ERROR_INVALID_SLUG },
    { "quorum://org/acmé?server=https://a.example", QUORUM_LINK_ERROR_INVALID_SLUG },
    /* percent-encoding tricks: nothing in the path is decoded */
    { "quorum://org/%61cme?server=https://a.example", QUORUM_LINK_ERROR_INVALID_SLUG },
    { "quorum://org/acme%2Fmembers?server=https://a.example", QUORUM_LINK_ERROR_INVALID_SLUG },
    { "quorum://org/%2E%2E/acme?server=https://a.example", QUORUM_LINK_ERROR_INVALID_SLUG },
    { "quorum://org/../acme/members?server=https://a.example", QUORUM_LINK_ERROR_INVALID_SLUG },
    { "quorum://org/acme%00/members?server=https://a.example", QUORUM_LINK_ERROR_INVALID_SLUG },
    { "quorum://org/acme/members/extra?server=https://a.example", QUORUM_LINK_ERROR_INVALID_SLUG },
    { "quorum://org/acme/members//?server=https://a.example", QUORUM_LINK_ERROR_INVALID_SLUG },
    /* unknown tabs */
    { "quorum://org/acme/settings?server=https://a.example", QUORUM_LINK_ERROR_INVALID_TAB },
    { "quorum://org/acme/Members?server=https://a.example", QUORUM_LINK_ERROR_INVALID_TAB },
    { "quorum://org/acme/membersx?server=https://a.example", QUORUM_LINK_ERROR_INVALID_TAB },
    { "quorum://org/acme/%6Dembers?server=https://a.example", QUORUM_LINK_ERROR_INVALID_TAB },
    { "quorum://org/acme/members%00?server=https://a.example", QUORUM_LINK_ERROR_INVALID_TAB },
    { "quorum://org/acme/..?server=https://a.example", QUORUM_LINK_ERROR_INVALID_TAB },
    /* search and filter: only on members, once, and only what the page has */
    { "quorum://org/acme?server=https://a.example&query=ada", QUORUM_LINK_ERROR_INVALID_PARAMETER },
    { "quorum://org/acme/billing?server=https://a.example&filter=inactive-90d", QUORUM_LINK_ERROR_INVALID_PARAMETER },
    { "quorum://org/acme/members?server=https://a.example&filter=inactive-30d", QUORUM_LINK_ERROR_INVALID_PARAMETER },
    { "quorum://org/acme/members?server=https://a.example&filter=INACTIVE-90D", QUORUM_LINK_ERROR_INVALID_PARAMETER },
    { "quorum://org/acme/members?server=https://a.example&filter=inactive-90d%20", QUORUM_LINK_ERROR_INVALID_PARAMETER },
    { "quorum://org/acme/members?server=https://a.example&filter=inactive-90d&filter=inactive-90d",
      QUORUM_LINK_ERROR_INVALID_PARAMETER },
    { "quorum://org/acme/members?server=https://a.example&query=a&query=b", QUORUM_LINK_ERROR_INVALID_PARAMETER },
    { link_long_query, QUORUM_LINK_ERROR_INVALID_PARAMETER },
    { "quorum://org/acme/members?server=https://a.example&query=a%0Ab", QUORUM_LINK_ERROR_INVALID_PARAMETER },
    { "quorum://org/acme/members?server=https://a.example&query=%E2%80%AEevil", QUORUM_LINK_ERROR_INVALID_PARAMETER },
    { "quorum://org/acme/members?server=https://a.example&query=%C2%85", QUORUM_LINK_ERROR_INVALID_PARAMETER },
    /* a NUL or bytes that are not UTF-8, decoded */
    { "quorum://org/acme/members?server=https://a.example&query=a%00b", QUORUM_LINK_ERROR_MALFORMED },
    { "quorum://org/acme/members?server=https://a.example&query=%FF", QUORUM_LINK_ERROR_MALFORMED },
    { "quorum://org/acme/members?server=https://a.example&query=%E", QUORUM_LINK_ERROR_MALFORMED },
    { link_huge, QUORUM_LINK_ERROR_MALFORMED },
    { "quorum://org/acme#members?server=https://a.example", QUORUM_LINK_ERROR_MALFORMED },
    /* dressed up as another kind */
    { "quorum://user@org/acme?server=https://a.example", QUORUM_LINK_ERROR_WRONG_KIND },
    { "quorum://org:1/acme?server=https://a.example", QUORUM_LINK_ERROR_WRONG_KIND },
    { "quorum://organization/acme?server=https://a.example", QUORUM_LINK_ERROR_WRONG_KIND },
    { "quorum:org/acme?server=https://a.example", QUORUM_LINK_ERROR_WRONG_KIND },
    /* a host spelled with escapes that GUri decodes to "org" (once an
     * assertion that aborted the app) */
    { "quorum://%6Frg/acme?server=https://a.example", QUORUM_LINK_ERROR_WRONG_KIND },
    { "quorum://o%72g/acme/members?server=https://a.example", QUORUM_LINK_ERROR_WRONG_KIND },
    { "quorum://%4F%52%47?server=https://a.example", QUORUM_LINK_ERROR_WRONG_KIND },
    /* the server part, as strict as for invitations */
    { "quorum://org/acme/members", QUORUM_LINK_ERROR_MISSING_SERVER },
    { "quorum://org/acme/members?query=ada", QUORUM_LINK_ERROR_MISSING_SERVER },
    { "quorum://org/acme?server=https%3A%2F%2Fada%3Apw%40a.example", QUORUM_LINK_ERROR_INVALID_SERVER },
    { "quorum://org/acme?server=javascript:alert(1)", QUORUM_LINK_ERROR_INVALID_SERVER },
    { "quorum://org/acme?server=https://a.example&server=https://b.example", QUORUM_LINK_ERROR_INVALID_SERVER },
  };
  g_autofree char *link_max_slug = g_strdup_printf ("quorum://org/%s/members?server=https://a.example", max_slug);
  g_autoptr(QuorumLink) at_max = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(QuorumLink) link = NULL;
      g_autofree char *printable = g_strescape (invalid[i].link, NULL);

      g_test_message ("case %u: %.160s", i, printable);
      link = quorum_link_parse (invalid[i].link, &error);
      g_assert_null (link);
      g_assert_error (error, QUORUM_LINK_ERROR, (int) invalid[i].code);
    }

  /* the caps themselves are allowed */
  at_max = quorum_link_parse (link_max_slug, NULL);
  g_assert_nonnull (at_max);
  g_assert_cmpstr (quorum_link_get_slug (at_max), ==, max_slug);
}

/* What "Copy Link to This Page" writes reads back as the same page. */
static void
test_org_links_build (void)
{
  static const struct { const char *server; const char *slug; QuorumLinkTab tab; const char *query; const char *filter; } pages[] = {
    { "http://127.0.0.1:8080", "acme", QUORUM_LINK_TAB_NONE, NULL, NULL },
    { "https://quorum.example.org/base", "acme-labs", QUORUM_LINK_TAB_GENERAL, NULL, NULL },
    { "http://[::1]:9000", "acme", QUORUM_LINK_TAB_MEMBERS, "Ada & Bob = 100% +1 #2 ?x/y", QUORUM_LINK_FILTER_INACTIVE_90D },
    { "https://a.example", "acme", QUORUM_LINK_TAB_MEMBERS, "José Núñez 日本", NULL },
    { "https://a.example", "acme", QUORUM_LINK_TAB_DEVELOPERS, NULL, NULL },
  };
  g_autofree char *long_query = g_strnfill (QUORUM_LINK_MAX_QUERY_CHARS + 1, 'q');
  g_autofree char *built = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *link_text = quorum_link_build_org (pages[i].server, pages[i].slug, pages[i].tab,
                                                          pages[i].query, pages[i].filter);
      g_autoptr(GError) error = NULL;
      g_autoptr(QuorumLink) link = NULL;

      g_assert_nonnull (link_text);
      g_test_message ("%s", link_text);
      g_assert_true (g_str_is_ascii (link_text));
      link = quorum_link_parse (link_text, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (quorum_link_get_server (link), ==, pages[i].server);
      g_assert_cmpstr (quorum_link_get_slug (link), ==, pages[i].slug);
      g_assert_cmpint (quorum_link_get_tab (link), ==, pages[i].tab);
      g_assert_cmpstr (quorum_link_get_query (link), ==, pages[i].query);
      g_assert_cmpstr (quorum_link_get_filter (link), ==, pages[i].filter);
    }

  built = quorum_link_build_org ("https://a.example", "acme", QUORUM_LINK_TAB_MEMBERS, "ada", NULL);
  g_assert_cmpstr (built, ==, "quorum://org/acme/members?server=https%3A%2F%2Fa.example&query=ada");

  /* what the parser would refuse is never written */
  g_assert_null (quorum_link_build_org ("ftp://a.example", "acme", QUORUM_LINK_TAB_NONE, NULL, NULL));
  g_assert_null (quorum_link_build_org ("https://a.example", "Acme", QUORUM_LINK_TAB_NONE, NULL, NULL));
  g_assert_null (quorum_link_build_org ("https://a.example", "acme", QUORUM_LINK_TAB_BILLING, "ada", NULL));
  g_assert_null (quorum_link_build_org ("https://a.example", "acme", QUORUM_LINK_TAB_MEMBERS, long_query, NULL));
  g_assert_null (quorum_link_build_org ("https://a.example", "acme", QUORUM_LINK_TAB_MEMBERS, NULL, "inactive-1d"));
  g_assert_null (quorum_link_build_org ("https://a.example", "acme", (QuorumLinkTab) 42, NULL, NULL));
  g_assert_cmpint (quorum_link_tab_from_string ("members"), ==, QUORUM_LINK_TAB_MEMBERS);
  g_assert_cmpint (quorum_link_tab_from_string (NULL), ==, QUORUM_LINK_TAB_NONE);
  g_assert_null (quorum_link_tab_to_string (QUORUM_LINK_TAB_NONE));
  g_assert_cmpstr (quorum_link_tab_to_string (QUORUM_LINK_TAB_BILLING), ==, "billing");
  g_assert_false (quorum_link_token_is_valid (QUORUM_LINK_ORG, "acme"));
}

static void
test_server_url (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = quorum_server_url_normalize ("HTTP://LocalHost:80/", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (a, ==, "http://localhost");
  g_assert_true (quorum_server_url_equal ("http://127.0.0.1:8080", "http://127.0.0.1:8080/"));
  g_assert_true (quorum_server_url_equal ("https://Example.org", "https://example.org:443"));
  /* A different port, scheme, host or path is another server: its tokens never go there. */
  g_assert_false (quorum_server_url_equal ("http://127.0.0.1:8080", "http://127.0.0.1:8081"));
  g_assert_false (quorum_server_url_equal ("http://example.org", "https://example.org"));
  g_assert_false (quorum_server_url_equal ("https://example.org", "https://example.org.evil.test"));
  g_assert_false (quorum_server_url_equal ("https://example.org/a", "https://example.org/b"));
  g_assert_false (quorum_server_url_equal (NULL, NULL));
  g_assert_false (quorum_server_url_equal ("garbage", "garbage"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpuint (strlen (TOKEN43), ==, QUORUM_INVITE_TOKEN_LENGTH);
  g_test_add_func ("/core/link/invite/valid", test_valid_links);
  g_test_add_func ("/core/link/invite/invalid", test_invalid_links);
  g_test_add_func ("/core/link/verify-and-reset", test_kinds);
  g_test_add_func ("/core/link/org/valid", test_org_links);
  g_test_add_func ("/core/link/org/hostile", test_org_links_hostile);
  g_test_add_func ("/core/link/org/build", test_org_links_build);
  g_test_add_func ("/core/server-url", test_server_url);
  return g_test_run ();
}
