/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "quorum-core.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(QuorumLink) link = NULL;
  g_autoptr(GError) error = NULL;

  link = quorum_link_parse (text, &error);
  g_assert ((link == NULL) != (error == NULL));

  if (link != NULL)
    {
      g_autoptr(QuorumLink) copy = quorum_link_copy (link);
      g_autofree char *again = NULL;

      /* Whatever is accepted, of any kind (invite, verify, reset, org), is
       * well-formed: a server URL that normalizes to itself, and a valid
       * token of its kind or, for a page of an organization, a valid slug,
       * a known tab and a search only on the members tab. */
      g_assert (quorum_link_get_kind (copy) == quorum_link_get_kind (link));
      again = quorum_server_url_normalize (quorum_link_get_server (link), NULL);
      g_assert (again != NULL);
      g_assert (strcmp (again, quorum_link_get_server (link)) == 0);

      if (quorum_link_get_kind (link) == QUORUM_LINK_ORG)
        {
          g_autofree char *built = NULL;
          g_autoptr(QuorumLink) reparsed = NULL;

          g_assert (quorum_link_get_token (link) == NULL);
          g_assert (quorum_slug_is_valid (quorum_link_get_slug (link)));
          g_assert (quorum_link_get_tab (link) == QUORUM_LINK_TAB_NONE ||
                    quorum_link_tab_to_string (quorum_link_get_tab (link)) != NULL);
          g_assert ((quorum_link_get_query (link) == NULL && quorum_link_get_filter (link) == NULL) ||
                    quorum_link_get_tab (link) == QUORUM_LINK_TAB_MEMBERS);
          g_assert (quorum_link_get_query (link) == NULL ||
                    g_utf8_validate (quorum_link_get_query (link), -1, NULL));
          g_assert (quorum_link_get_filter (link) == NULL ||
                    strcmp (quorum_link_get_filter (link), QUORUM_LINK_FILTER_INACTIVE_90D) == 0);

          /* "Copy Link to This Page" writes it back as the same page. */
          built = quorum_link_build_org (quorum_link_get_server (link), quorum_link_get_slug (link),
                                         quorum_link_get_tab (link), quorum_link_get_query (link),
                                         quorum_link_get_filter (link));
          if (built != NULL)  /* NULL only when the escaped search outgrows the link */
            {
              reparsed = quorum_link_parse (built, NULL);
              g_assert (reparsed != NULL);
              g_assert (strcmp (quorum_link_get_slug (reparsed), quorum_link_get_slug (link)) == 0);
              g_assert (strcmp (quorum_link_get_server (reparsed), quorum_link_get_server (link)) == 0);
              g_assert (quorum_link_get_tab (reparsed) == quorum_link_get_tab (link));
              g_assert (g_strcmp0 (quorum_link_get_query (reparsed), quorum_link_get_query (link)) == 0);
              g_assert (g_strcmp0 (quorum_link_get_filter (reparsed), quorum_link_get_filter (link)) == 0);
            }
        }
      else
        {
          g_assert (quorum_link_token_is_valid (quorum_link_get_kind (link), quorum_link_get_token (link)));
          g_assert (strcmp (quorum_link_get_token (copy), quorum_link_get_token (link)) == 0);
        }
    }

  return 0;
}
