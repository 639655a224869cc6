/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef const char *(*QuorumLinkTokenFunc) (GtkWindow *window);

GtkWindow *quorum_link_opener_find    (GType                type,
                                       QuorumLinkTokenFunc  get_token,
                                       const char          *token);
void       quorum_link_opener_present (GtkWindow           *parent,
                                       GtkWindow           *window);

G_END_DECLS
