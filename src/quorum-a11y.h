/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void quorum_label_buttons_for_screen_readers (GtkWidget *widget);

G_END_DECLS
