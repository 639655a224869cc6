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
  g_test_add_func ("/core/server-url", test_server_url);
  return g_test_run ();
}
