/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-server-forwarded.h"

static GInetAddressMask *
mask_parse (const char *text)
{
  g_autoptr(GInetAddressMask) mask = NULL;
  g_autoptr(GInetAddress) address = NULL;

  /* g_inet_address_mask_new_from_string () takes ADDR/PREFIX; a lone
   * address is the network of its full length. */
  if (strchr (text, '/') != NULL)
    mask = g_inet_address_mask_new_from_string (text, NULL);
  else if ((address = g_inet_address_new_from_string (text)) != NULL)
    mask = g_inet_address_mask_new (address, g_inet_address_get_native_size (address) * 8, NULL);
  return g_steal_pointer (&mask);
}

gboolean
qs_trusted_proxies_add (GPtrArray   *proxies,
                        const char  *spec,
                        GError     **error)
{
  /* "" splits into no entries: still an empty one. */
  g_auto(GStrv) entries = g_strsplit (*spec != '\0' ? spec : " ", ",", -1);

  for (guint i = 0; entries[i] != NULL; i++)
    {
      const char *entry = g_strstrip (entries[i]);
      GInetAddressMask *mask;

      if (proxies->len >= QS_TRUSTED_PROXIES_MAX)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "--trusted-proxy: at most %d proxies or networks", QS_TRUSTED_PROXIES_MAX);
          return FALSE;
        }
      mask = *entry != '\0' && strlen (entry) <= 64 ? mask_parse (entry) : NULL;
      if (mask == NULL)
        {
          g_autofree char *shown = g_utf8_make_valid (entry, MIN (strlen (entry), 64));

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "--trusted-proxy: \"%s\" is not an IP address or ADDR/PREFIX network", shown);
          return FALSE;
        }
      g_ptr_array_add (proxies, mask);
    }
  return TRUE;
}

gboolean
qs_trusted_proxy_match (GPtrArray    *proxies,
                        GInetAddress *address)
{
  for (guint i = 0; proxies != NULL && i < proxies->len; i++)
    if (g_inet_address_mask_matches (proxies->pdata[i], address))
      return TRUE;
  return FALSE;
}

/* An entry of X-Forwarded-For: an address, IPv6 perhaps in brackets. */
static GInetAddress *
hop_parse (const char *start,
           gsize       len)
{
  char text[64];

  while (len > 0 && (*start == ' ' || *start == '\t'))
    start++, len--;
  while (len > 0 && (start[len - 1] == ' ' || start[len - 1] == '\t'))
    len--;
  if (len >= 2 && start[0] == '[' && start[len - 1] == ']')
    start++, len -= 2;
  if (len == 0 || len >= sizeof text)
    return NULL;
  memcpy (text, start, len);
  text[len] = '\0';
  return g_inet_address_new_from_string (text);
}

char *
qs_forwarded_client (GPtrArray  *proxies,
                     const char *peer,
                     const char *forwarded_for)
{
  g_autoptr(GInetAddress) client = g_inet_address_new_from_string (peer);
  const char *end;

  if (client == NULL || forwarded_for == NULL || !qs_trusted_proxy_match (proxies, client))
    return g_strdup (peer);

  /* From the right: each trusted hop says who reached it. */
  end = forwarded_for + strlen (forwarded_for);
  for (guint hops = 0; hops < QS_FORWARDED_HOPS_MAX && qs_trusted_proxy_match (proxies, client); hops++)
    {
      const char *start = end;
      GInetAddress *hop;

      while (start > forwarded_for && start[-1] != ',')
        start--;
      hop = hop_parse (start, end - start);
      if (hop == NULL)
        break;
      g_object_unref (client);
      client = hop;
      if (start == forwarded_for)
        break;
      end = start - 1;
    }
  return g_inet_address_to_string (client);
}
