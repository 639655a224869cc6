/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-toast.h"

/**
 * quorum_toast_new:
 * @text: plain text, such as an organization's name or a server's message
 *
 * A toast showing @text as it is. Toast titles are Pango markup in
 * libadwaita 1.2 (AdwToast:use-markup only came in 1.4), so a name with
 * "&" or "<" would show wrong or not at all without escaping.
 *
 * Returns: (transfer full): a new toast
 */
AdwToast *
quorum_toast_new (const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  return adw_toast_new (escaped);
}
