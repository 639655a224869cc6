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

      /* Whatever is accepted, of any kind (invite, verify, reset), is
       * well-formed: a valid token of its kind and a server URL
       * that normalizes to itself. */
      g_assert (quorum_link_token_is_valid (quorum_link_get_kind (link), quorum_link_get_token (link)));
      g_assert (quorum_link_get_kind (copy) == quorum_link_get_kind (link));
      again = quorum_server_url_normalize (quorum_link_get_server (link), NULL);
      g_assert (again != NULL);
      g_assert (strcmp (again, quorum_link_get_server (link)) == 0);
      g_assert (strcmp (quorum_link_get_token (copy), quorum_link_get_token (link)) == 0);
    }

  return 0;
}
