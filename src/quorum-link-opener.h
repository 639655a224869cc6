/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef GtkWindow *(*QuorumLinkWindowNew) (gpointer    session,
                                           const char *uri);

void quorum_link_opener_open (GtkWindow           *parent,
                              GType                type,
                              QuorumLinkWindowNew  new_window,
                              gpointer             session,
                              const char          *uri);

G_END_DECLS
