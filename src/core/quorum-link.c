/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-link.h"
#include "quorum-validate.h"

struct _QuorumLink
{
  QuorumLinkKind kind;
  char *token;   /* NULL for QUORUM_LINK_ORG */
  char *server;  /* normalized: scheme://host[:port][/path], no trailing slash */
  char *host;
  char *slug;    /* QUORUM_LINK_ORG only, as the rest */
  QuorumLinkTab tab;
  char *query;
  char *filter;
};

static const char * const tab_names[] = {
  [QUORUM_LINK_TAB_GENERAL] = "general",
  [QUORUM_LINK_TAB_MEMBERS] = "members",
  [QUORUM_LINK_TAB_BILLING] = "billing",
  [QUORUM_LINK_TAB_DEVELOPERS] = "developers",
};

G_DEFINE_QUARK (quorum-link-error-quark, quorum_link_error)

/* The kinds, as the host part of the link names them. */
static const struct
{
  const char     *host;
  QuorumLinkKind  kind;
  const char     *token_prefix;
} kinds[] = {
  { "invite", QUORUM_LINK_INVITE, "" },
  { "verify", QUORUM_LINK_VERIFY, QUORUM_VERIFY_TOKEN_PREFIX },
  { "reset", QUORUM_LINK_RESET, QUORUM_RESET_TOKEN_PREFIX },
  { "org", QUORUM_LINK_ORG, NULL },
};

/* A token is the kind's prefix, then 256 random bits in URL-safe base64
 * without padding: exactly 43 characters of [A-Za-z0-9_-]. */
gboolean
quorum_link_token_is_valid (QuorumLinkKind  kind,
                            const char     *token)
{
  const char *prefix = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].kind == kind)
      prefix = kinds[i].token_prefix;  /* none for org links: they carry no token */
  if (prefix == NULL || token == NULL || !g_str_has_prefix (token, prefix))
    return FALSE;
  token += strlen (prefix);
  if (strlen (token) != QUORUM_INVITE_TOKEN_LENGTH)
    return FALSE;

  for (const char *p = token; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
        return FALSE;
    }

  return TRUE;
}

/* A server base URL as the app stores and compares it: http or https, a host,
 * no credentials, query or fragment; scheme and host lower-cased, the default
 * port dropped, no trailing slash. */
char *
quorum_server_url_normalize (const char  *url,
                             GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  g_autoptr(GString) path = NULL;
  g_autofree char *port_str = NULL;
  const char *raw_host;
  gboolean ipv6;
  int port;

  if (url == NULL || *url == '\0' || strlen (url) > QUORUM_LINK_MAX_BYTES ||
      !g_utf8_validate (url, -1, NULL))
    goto invalid;

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    goto invalid;

  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  if (strcmp (scheme, "http") != 0 && strcmp (scheme, "https") != 0)
    goto invalid;

  raw_host = g_uri_get_host (uri);
  if (raw_host == NULL || *raw_host == '\0' || strchr (raw_host, '%') != NULL)
    goto invalid;
  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL)
    goto invalid;

  for (const char *p = raw_host; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != ':' && *p != '_')
        goto invalid;
    }
  host = g_ascii_strdown (raw_host, -1);

  port = g_uri_get_port (uri);
  if ((port == 80 && strcmp (scheme, "http") == 0) ||
      (port == 443 && strcmp (scheme, "https") == 0))
    port = -1;

  path = g_string_new (g_uri_get_path (uri));
  while (path->len > 0 && path->str[path->len - 1] == '/')
    g_string_truncate (path, path->len - 1);

  ipv6 = strchr (host, ':') != NULL;
  port_str = port > 0 ? g_strdup_printf (":%d", port) : g_strdup ("");

  return g_strdup_printf ("%s://%s%s%s%s%s",
                          scheme, ipv6 ? "[" : "", host, ipv6 ? "]" : "", port_str, path->str);

invalid:
  g_set_error_literal (error, QUORUM_LINK_ERROR, QUORUM_LINK_ERROR_INVALID_SERVER,
                       "The server address is not a valid http or https URL");
  return NULL;
}

gboolean
quorum_server_url_equal (const char *a,
                         const char *b)
{
  g_autofree char *na = quorum_server_url_normalize (a, NULL);
  g_autofree char *nb = quorum_server_url_normalize (b, NULL);

  return na != NULL && nb != NULL && strcmp (na, nb) == 0;
}

static QuorumLink *
fail (GError          **error,
      QuorumLinkError   code,
      const char       *message)
{
  g_set_error_literal (error, QUORUM_LINK_ERROR, code, message);
  return NULL;
}

/* "/<slug>", "/<slug>/<tab>", each with a trailing slash tolerated. Slugs
 * and tabs are plain [a-z0-9-]: nothing in them is ever percent-decoded, so
 * "%2F" or "%2E%2E" is simply not a slug. */
static gboolean
parse_org_path (const char     *path,
                char          **slug,
                QuorumLinkTab  *tab,
                GError        **error)
{
  g_auto(GStrv) parts = NULL;
  guint n;

  if (path == NULL || path[0] != '/' || path[1] == '\0')
    {
      fail (error, QUORUM_LINK_ERROR_INVALID_SLUG, "The link does not name an organization");
      return FALSE;
    }
  parts = g_strsplit (path + 1, "/", 4);
  n = g_strv_length (parts);
  if (n > 1 && *parts[n - 1] == '\0')
    n--;  /* the trailing slash */
  if (n > 2 || !quorum_slug_is_valid (parts[0]))
    {
      fail (error, QUORUM_LINK_ERROR_INVALID_SLUG, "The organization in the link is not valid");
      return FALSE;
    }

  *tab = QUORUM_LINK_TAB_NONE;
  if (n == 2)
    {
      *tab = quorum_link_tab_from_string (parts[1]);
      if (*tab == QUORUM_LINK_TAB_NONE)
        {
          fail (error, QUORUM_LINK_ERROR_INVALID_TAB, "The link names a page Quorum does not have");
          return FALSE;
        }
    }
  *slug = g_strdup (parts[0]);
  return TRUE;
}

/* The members search: what a person could type, at most as long as the
 * server takes; no control characters. */
static gboolean
query_is_valid (const char *query)
{
  if (!g_utf8_validate (query, -1, NULL) || g_utf8_strlen (query, -1) > QUORUM_LINK_MAX_QUERY_CHARS)
    return FALSE;
  for (const char *p = query; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT ||
          g_unichar_type (c) == G_UNICODE_LINE_SEPARATOR ||
          g_unichar_type (c) == G_UNICODE_PARAGRAPH_SEPARATOR)
        return FALSE;
    }
  return TRUE;
}

QuorumLinkTab
quorum_link_tab_from_string (const char *name)
{
  for (guint i = QUORUM_LINK_TAB_GENERAL; name != NULL && i < G_N_ELEMENTS (tab_names); i++)
    if (strcmp (name, tab_names[i]) == 0)
      return (QuorumLinkTab) i;
  return QUORUM_LINK_TAB_NONE;
}

/* Returns: (nullable): the tab's name in links (and the window's page names) */
const char *
quorum_link_tab_to_string (QuorumLinkTab tab)
{
  if (tab <= QUORUM_LINK_TAB_NONE || tab >= G_N_ELEMENTS (tab_names))
    return NULL;
  return tab_names[tab];
}

/**
 * quorum_link_build_org:
 * @server: the account's server
 * @slug: the organization's slug
 * @tab: the page, or %QUORUM_LINK_TAB_NONE
 * @query: (nullable): the members search
 * @filter: (nullable): %QUORUM_LINK_FILTER_INACTIVE_90D
 *
 * The link quorum_link_parse() reads back as these: "Copy Link to This Page".
 *
 * Returns: (transfer full) (nullable): the link, or %NULL when a part is one
 *   the parser would refuse
 */
char *
quorum_link_build_org (const char    *server,
                       const char    *slug,
                       QuorumLinkTab  tab,
                       const char    *query,
                       const char    *filter)
{
  g_autofree char *normalized = quorum_server_url_normalize (server, NULL);
  g_autofree char *escaped_server = NULL;
  g_autoptr(GString) link = NULL;

  if (query != NULL && *query == '\0')
    query = NULL;
  if (normalized == NULL || !quorum_slug_is_valid (slug) ||
      tab < QUORUM_LINK_TAB_NONE || tab > QUORUM_LINK_TAB_DEVELOPERS ||
      ((query != NULL || filter != NULL) && tab != QUORUM_LINK_TAB_MEMBERS) ||
      (query != NULL && !query_is_valid (query)) ||
      (filter != NULL && strcmp (filter, QUORUM_LINK_FILTER_INACTIVE_90D) != 0))
    return NULL;

  link = g_string_new ("quorum://org/");
  g_string_append (link, slug);
  if (tab != QUORUM_LINK_TAB_NONE)
    g_string_append_printf (link, "/%s", tab_names[tab]);
  escaped_server = g_uri_escape_string (normalized, NULL, FALSE);
  g_string_append_printf (link, "?server=%s", escaped_server);
  if (query != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (query, NULL, FALSE);

      g_string_append_printf (link, "&query=%s", escaped);
    }
  if (filter != NULL)
    g_string_append_printf (link, "&filter=%s", filter);
  if (link->len > QUORUM_LINK_MAX_BYTES)
    return NULL;
  return g_string_free (g_steal_pointer (&link), FALSE);
}

QuorumLink *
quorum_link_parse (const char  *uri_string,
                   GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) server_uri = NULL;
  g_autofree char *token = NULL;
  g_autofree char *server = NULL;
  g_autofree char *server_raw = NULL;
  g_autofree char *slug = NULL;
  g_autofree char *search = NULL;
  g_autofree char *filter = NULL;
  QuorumLinkTab tab = QUORUM_LINK_TAB_NONE;
  QuorumLink *link;
  const char *path;
  const char *query;
  GUriParamsIter iter;
  char *attr = NULL;
  char *value = NULL;
  g_autoptr(GError) local_error = NULL;
  int kind = -1;

  if (uri_string == NULL || strlen (uri_string) > QUORUM_LINK_MAX_BYTES ||
      !g_utf8_validate (uri_string, -1, NULL))
    return fail (error, QUORUM_LINK_ERROR_MALFORMED, "The link is not a valid address");

  uri = g_uri_parse (uri_string, G_URI_FLAGS_ENCODED_QUERY | G_URI_FLAGS_ENCODED_PATH, NULL);
  if (uri == NULL)
    return fail (error, QUORUM_LINK_ERROR_MALFORMED, "The link is not a valid address");

  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "quorum") != 0)
    return fail (error, QUORUM_LINK_ERROR_WRONG_SCHEME, "The link is not a Quorum link");

  for (guint i = 0; g_uri_get_host (uri) != NULL && i < G_N_ELEMENTS (kinds); i++)
    if (g_ascii_strcasecmp (g_uri_get_host (uri), kinds[i].host) == 0)
      kind = (int) kinds[i].kind;
  if (kind < 0 || g_uri_get_userinfo (uri) != NULL || g_uri_get_port (uri) != -1)
    return fail (error, QUORUM_LINK_ERROR_WRONG_KIND, "The link is not one Quorum opens");

  if (g_uri_get_fragment (uri) != NULL)
    return fail (error, QUORUM_LINK_ERROR_MALFORMED, "The link has unexpected parts");

  path = g_uri_get_path (uri);
  if (kind == QUORUM_LINK_ORG)
    {
      /* The path as written: GUri turns "%61" into "a" and drops "/../"
       * (RFC 3986 says they are the same), but a slug or tab never needs an
       * escape or a dot segment, so one is a trick. The host was "org" with
       * no user or port, but GUri decodes the host too: "quorum://%6Frg"
       * is a trick as well, refused like any other kind. */
      const char *end = strpbrk (uri_string, "?#");
      const char *after_host;
      g_autofree char *raw_path = NULL;

      if (g_ascii_strncasecmp (uri_string, "quorum://org", strlen ("quorum://org")) != 0)
        return fail (error, QUORUM_LINK_ERROR_WRONG_KIND, "The link is not one Quorum opens");
      after_host = uri_string + strlen ("quorum://org");
      if (*after_host != '\0' && *after_host != '/' && *after_host != '?' && *after_host != '#')
        return fail (error, QUORUM_LINK_ERROR_WRONG_KIND, "The link is not one Quorum opens");
      raw_path = g_strndup (uri_string + strlen ("quorum://org"),
                            (end != NULL ? (size_t) (end - uri_string) : strlen (uri_string)) -
                            strlen ("quorum://org"));
      if (!parse_org_path (raw_path, &slug, &tab, error))
        return NULL;
    }
  else
    {
      /* The path is exactly "/<token>" (a trailing slash is tolerated, as mail
       * clients sometimes add one); the token is plain URL-safe base64, so it
       * never needs percent-decoding. */
      if (path == NULL || path[0] != '/')
        return fail (error, QUORUM_LINK_ERROR_INVALID_TOKEN, "The code in the link is missing");
      token = g_strdup (path + 1);
      if (g_str_has_suffix (token, "/"))
        token[strlen (token) - 1] = '\0';
      if (!quorum_link_token_is_valid ((QuorumLinkKind) kind, token))
        return fail (error, QUORUM_LINK_ERROR_INVALID_TOKEN, "The code in the link is not valid");
    }

  query = g_uri_get_query (uri);
  if (query == NULL)
    return fail (error, QUORUM_LINK_ERROR_MISSING_SERVER, "The link does not name its server");
  /* A NUL would end the decoded value early and hide what follows it. */
  if (strstr (query, "%00") != NULL)
    return fail (error, QUORUM_LINK_ERROR_MALFORMED, "The link is not a valid address");

  g_uri_params_iter_init (&iter, query, -1, "&", G_URI_PARAMS_NONE);
  while (g_uri_params_iter_next (&iter, &attr, &value, &local_error))
    {
      g_autofree char *a = g_steal_pointer (&attr);
      g_autofree char *v = g_steal_pointer (&value);

      if (strcmp (a, "server") == 0)
        {
          if (server_raw != NULL)
            return fail (error, QUORUM_LINK_ERROR_INVALID_SERVER, "The link names more than one server");
          server_raw = g_steal_pointer (&v);
        }
      else if (kind == QUORUM_LINK_ORG && (strcmp (a, "query") == 0 || strcmp (a, "filter") == 0))
        {
          char **slot = a[0] == 'q' ? &search : &filter;

          /* Only the members tab searches and filters; said once. */
          if (tab != QUORUM_LINK_TAB_MEMBERS || *slot != NULL)
            return fail (error, QUORUM_LINK_ERROR_INVALID_PARAMETER, "The link asks for a search this page does not have");
          *slot = g_steal_pointer (&v);
        }
      /* Unknown parameters (e.g. tracking added by mailers and chat
       * programs) are ignored. */
    }
  if (local_error != NULL)
    return fail (error, QUORUM_LINK_ERROR_MALFORMED, "The link is not a valid address");
  if (server_raw == NULL || *server_raw == '\0')
    return fail (error, QUORUM_LINK_ERROR_MISSING_SERVER, "The link does not name its server");
  if (!g_utf8_validate (server_raw, -1, NULL))
    return fail (error, QUORUM_LINK_ERROR_INVALID_SERVER, "The server address is not valid");

  /* Empty means none; anything else must be what the members page takes. */
  if (search != NULL && *search == '\0')
    g_clear_pointer (&search, g_free);
  if (filter != NULL && *filter == '\0')
    g_clear_pointer (&filter, g_free);
  if (search != NULL && !query_is_valid (search))
    return fail (error, QUORUM_LINK_ERROR_INVALID_PARAMETER, "The search in the link is not valid");
  if (filter != NULL && strcmp (filter, QUORUM_LINK_FILTER_INACTIVE_90D) != 0)
    return fail (error, QUORUM_LINK_ERROR_INVALID_PARAMETER, "The filter in the link is not one Quorum has");

  server = quorum_server_url_normalize (server_raw, error);
  if (server == NULL)
    return NULL;

  server_uri = g_uri_parse (server, G_URI_FLAGS_ENCODED, NULL);
  g_assert (server_uri != NULL);

  link = g_new0 (QuorumLink, 1);
  link->kind = (QuorumLinkKind) kind;
  link->token = g_steal_pointer (&token);
  link->server = g_steal_pointer (&server);
  link->host = g_strdup (g_uri_get_host (server_uri));
  link->slug = g_steal_pointer (&slug);
  link->tab = tab;
  link->query = g_steal_pointer (&search);
  link->filter = g_steal_pointer (&filter);

  return link;
}

QuorumLink *
quorum_link_copy (const QuorumLink *link)
{
  QuorumLink *copy;

  g_return_val_if_fail (link != NULL, NULL);

  copy = g_new0 (QuorumLink, 1);
  copy->kind = link->kind;
  copy->token = g_strdup (link->token);
  copy->server = g_strdup (link->server);
  copy->host = g_strdup (link->host);
  copy->slug = g_strdup (link->slug);
  copy->tab = link->tab;
  copy->query = g_strdup (link->query);
  copy->filter = g_strdup (link->filter);
  return copy;
}

void
quorum_link_free (QuorumLink *link)
{
  if (link == NULL)
    return;

  /* The token is a credential for the invitation, address or password: wipe it. */
  if (link->token != NULL)
    memset (link->token, 0, strlen (link->token));
  g_free (link->token);
  g_free (link->server);
  g_free (link->host);
  g_free (link->slug);
  g_free (link->query);
  g_free (link->filter);
  g_free (link);
}

QuorumLinkKind
quorum_link_get_kind (const QuorumLink *link)
{
  g_return_val_if_fail (link != NULL, QUORUM_LINK_INVITE);
  return link->kind;
}

const char *
quorum_link_get_token (const QuorumLink *link)
{
  g_return_val_if_fail (link != NULL, NULL);
  return link->token;
}

const char *
quorum_link_get_server (const QuorumLink *link)
{
  g_return_val_if_fail (link != NULL, NULL);
  return link->server;
}

/* The host to show the person plainly before anything is sent there. */
const char *
quorum_link_get_host (const QuorumLink *link)
{
  g_return_val_if_fail (link != NULL, NULL);
  return link->host;
}

/* The server as shown to the person: the host and any port (and path);
 * "http://" stays visible since nothing sent there is encrypted. */
const char *
quorum_link_get_display_server (const QuorumLink *link)
{
  g_return_val_if_fail (link != NULL, NULL);
  return g_str_has_prefix (link->server, "https://") ? link->server + strlen ("https://") : link->server;
}

/* Returns: (nullable): the organization's slug of a %QUORUM_LINK_ORG link */
const char *
quorum_link_get_slug (const QuorumLink *link)
{
  g_return_val_if_fail (link != NULL, NULL);
  return link->slug;
}

QuorumLinkTab
quorum_link_get_tab (const QuorumLink *link)
{
  g_return_val_if_fail (link != NULL, QUORUM_LINK_TAB_NONE);
  return link->tab;
}

/* Returns: (nullable): the members search of a members link */
const char *
quorum_link_get_query (const QuorumLink *link)
{
  g_return_val_if_fail (link != NULL, NULL);
  return link->query;
}

/* Returns: (nullable): %QUORUM_LINK_FILTER_INACTIVE_90D or %NULL */
const char *
quorum_link_get_filter (const QuorumLink *link)
{
  g_return_val_if_fail (link != NULL, NULL);
  return link->filter;
}
