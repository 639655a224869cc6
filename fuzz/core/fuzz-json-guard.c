/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "quorum-core.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* The JSON depth guard in front of every json-glib parse (server requests,
 * client responses) and the text rule of every human-readable field: linear,
 * no read past the buffer, and consistent with themselves. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  g_autoptr(GError) error = NULL;
  g_autofree char *string = NULL;
  gboolean ok;

  ok = quorum_json_check (text, size, QUORUM_JSON_MAX_DEPTH, &error);
  g_assert (ok == (error == NULL));
  if (ok)
    {
      /* A looser limit accepts what a tighter one did. */
      g_assert (quorum_json_check (text, size, QUORUM_JSON_MAX_DEPTH + 1, NULL));
      /* Valid UTF-8 without NUL: the same bytes as a C string. */
      g_assert (memchr (data, 0, size) == NULL);
    }
  else if (g_error_matches (error, QUORUM_JSON_GUARD_ERROR, QUORUM_JSON_GUARD_ERROR_TOO_DEEP))
    g_assert (size > QUORUM_JSON_MAX_DEPTH);

  string = g_strndup (text, size);
  if (quorum_name_check (string) == QUORUM_NAME_OK)
    {
      g_autofree char *name = quorum_name_normalize (string);

      g_assert (quorum_text_is_safe (name));
      g_assert (quorum_name_check (name) == QUORUM_NAME_OK);
    }
  if (quorum_email_is_valid (string))
    g_assert (quorum_text_is_safe (string));

  return 0;
}
