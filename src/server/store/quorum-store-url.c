/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gio/gio.h>
#if HAVE_LIBPQ
#include <libpq-fe.h>
#endif

#include "quorum-store-url.h"

void
qs_store_url_free (QsStoreUrl *url)
{
  if (url == NULL)
    return;
  g_free (url->path);
  if (url->conninfo != NULL)
    memset (url->conninfo, 0, strlen (url->conninfo));
  g_free (url->conninfo);
  g_strfreev (url->secrets);
  g_free (url->display);
  g_free (url);
}

/* The URL with the password of its user information and of a password=
 * parameter replaced by ****. Done on the text, before and whatever libpq
 * thinks of it: the user information ends at the last '@' before the query,
 * so a password holding '/' or '@' is still hidden whole. */
static char *
postgresql_display (const char *text,
                    GPtrArray  *secrets)
{
  const char *rest = strstr (text, "://") + 3;
  const char *query = strchr (rest, '?');
  const char *end = query != NULL ? query : rest + strlen (rest);
  const char *at = NULL;
  GString *out = g_string_new_len (text, rest - text);

  for (const char *p = rest; p < end; p++)
    if (*p == '@')
      at = p;
  if (at != NULL)
    {
      const char *colon = memchr (rest, ':', at - rest);

      if (colon != NULL)
        {
          g_string_append_len (out, rest, colon - rest);
          g_string_append (out, ":****");
          if (at > colon + 1)
            g_ptr_array_add (secrets, g_strndup (colon + 1, at - colon - 1));
        }
      else
        g_string_append_len (out, rest, at - rest);
      rest = at;
    }
  g_string_append_len (out, rest, end - rest);
  if (query != NULL)
    {
      g_auto(GStrv) params = g_strsplit (query + 1, "&", -1);

      g_string_append_c (out, '?');
      for (guint i = 0; params[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append_c (out, '&');
          if (g_ascii_strncasecmp (params[i], "password=", 9) == 0)
            {
              g_string_append (out, "password=****");
              if (params[i][9] != '\0')
                g_ptr_array_add (secrets, g_strdup (params[i] + 9));
            }
          else
            g_string_append (out, params[i]);
        }
    }
  return g_string_free (out, FALSE);
}

char *
qs_store_url_scrub (const QsStoreUrl *url,
                    const char       *text)
{
  g_autoptr(GString) out = g_string_new (text);

  if (url->conninfo != NULL)
    g_string_replace (out, url->conninfo, url->display, 0);
  for (guint i = 0; url->secrets != NULL && url->secrets[i] != NULL; i++)
    g_string_replace (out, url->secrets[i], "****", 0);
  return g_strdup (out->str);
}

static QsStoreUrl *
parse_postgresql (const char  *text,
                  GError     **error)
{
  g_autoptr(QsStoreUrl) url = g_new0 (QsStoreUrl, 1);
  /* Owns its strings until they are stolen into url->secrets. */
  g_autoptr(GPtrArray) secrets = g_ptr_array_new_with_free_func (g_free);

  url->kind = QS_STORE_BACKEND_POSTGRESQL;
  url->conninfo = g_strdup (text);
  url->display = postgresql_display (text, secrets);
#if HAVE_LIBPQ
  {
    char *message = NULL;
    PQconninfoOption *options = PQconninfoParse (text, &message);
    gboolean bad_port = FALSE;

    if (options == NULL)
      {
        g_autofree char *reason = NULL;

        g_ptr_array_add (secrets, NULL);
        url->secrets = (GStrv) g_ptr_array_steal (secrets, NULL);
        reason = qs_store_url_scrub (url, message != NULL ? g_strchomp (message) : "out of memory");
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "invalid PostgreSQL URL %s: %s", url->display, reason);
        PQfreemem (message);
        return NULL;
      }
    for (PQconninfoOption *o = options; o->keyword != NULL; o++)
      {
        if (strcmp (o->keyword, "password") == 0 && o->val != NULL && o->val[0] != '\0')
          g_ptr_array_add (secrets, g_strdup (o->val));
        /* libpq reads the port only when connecting: a typo is a usage
         * error here, not a failure to connect. A list (one per host) is
         * comma-separated. */
        if (strcmp (o->keyword, "port") == 0 && o->val != NULL)
          for (const char *c = o->val; *c != '\0'; c++)
            if (!g_ascii_isdigit (*c) && *c != ',')
              bad_port = TRUE;
      }
    PQconninfoFree (options);
    if (bad_port)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "invalid PostgreSQL URL %s: the port is not a number", url->display);
        return NULL;
      }
  }
#endif
  g_ptr_array_add (secrets, NULL);
  url->secrets = (GStrv) g_ptr_array_steal (secrets, NULL);
#if !HAVE_LIBPQ
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "%s: this quorum-server was built without PostgreSQL (libpq)", url->display);
  return NULL;
#else
  return g_steal_pointer (&url);
#endif
}

QsStoreUrl *
qs_store_url_parse (const char  *text,
                    GError     **error)
{
  const char *scheme_end;
  QsStoreUrl *url;

  if (text == NULL || text[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "empty database URL: give postgresql://…, sqlite:PATH or a file path");
      return NULL;
    }
  if (g_str_has_prefix (text, "postgresql://") || g_str_has_prefix (text, "postgres://"))
    return parse_postgresql (text, error);

  url = g_new0 (QsStoreUrl, 1);
  url->kind = QS_STORE_BACKEND_SQLITE;
  if (g_str_has_prefix (text, "sqlite://"))
    url->path = g_strdup (text + strlen ("sqlite://"));
  else if (g_str_has_prefix (text, "sqlite:"))
    url->path = g_strdup (text + strlen ("sqlite:"));
  else if ((scheme_end = strstr (text, "://")) != NULL)
    {
      /* Not a path anybody means: name the scheme only, the rest may hold a
       * password. */
      g_autofree char *scheme = g_strndup (text, MIN (scheme_end - text, 32));

      for (char *c = scheme; *c != '\0'; c++)
        if (!g_ascii_isalnum (*c) && *c != '+' && *c != '-' && *c != '.')
          {
            g_free (scheme);
            scheme = g_strdup ("?");
            break;
          }
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "unsupported database URL scheme “%s”: give postgresql://…, sqlite:PATH or a file path",
                   scheme);
      qs_store_url_free (url);
      return NULL;
    }
  else
    url->path = g_strdup (text);
  if (url->path[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "sqlite: needs a file path (sqlite:PATH)");
      qs_store_url_free (url);
      return NULL;
    }
  url->display = g_strdup (url->path);
  return url;
}
