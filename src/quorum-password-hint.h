/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void quorum_password_hint_update (GtkLevelBar *bar,
                                  GtkLabel    *label,
                                  const char  *password);

G_END_DECLS
