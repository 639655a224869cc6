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
  g_autoptr(QuorumInviteLink) link = NULL;
  g_autoptr(GError) error = NULL;

  link = quorum_invite_link_parse (text, &error);
  g_assert ((link == NULL) != (error == NULL));

  if (link != NULL)
    {
      g_autoptr(QuorumInviteLink) copy = quorum_invite_link_copy (link);
      g_autofree char *again = NULL;

      /* Whatever is accepted is well-formed: a valid token and a server URL
       * that normalizes to itself. */
      g_assert (quorum_invite_token_is_valid (quorum_invite_link_get_token (link)));
      again = quorum_server_url_normalize (quorum_invite_link_get_server (link), NULL);
      g_assert (again != NULL);
      g_assert (strcmp (again, quorum_invite_link_get_server (link)) == 0);
      g_assert (strcmp (quorum_invite_link_get_token (copy), quorum_invite_link_get_token (link)) == 0);
    }

  return 0;
}
