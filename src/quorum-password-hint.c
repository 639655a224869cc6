/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-core.h"
#include "quorum-password-hint.h"

/*
 * The strength meter under every new password (an invitation's set-up, a
 * password reset): the rule of src/core (quorum_password_is_valid) first,
 * then how strong the password is, in words and on a level bar (0–4).
 */
void
quorum_password_hint_update (GtkLevelBar *bar,
                             GtkLabel    *label,
                             const char  *password)
{
  guint strength = quorum_password_strength (password);
  const char *hint;

  if (*password == '\0' || !quorum_password_is_valid (password))
    hint = _("At least 10 characters");
  else if (strength <= 1)
    hint = _("Weak: make it longer, or mix letters, digits and symbols");
  else if (strength == 2)
    hint = _("Fair");
  else if (strength == 3)
    hint = _("Good");
  else
    hint = _("Strong");

  gtk_level_bar_set_value (bar, strength);
  gtk_label_set_text (label, hint);
}
