/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define QUORUM_TYPE_TOP_UP_DIALOG (quorum_top_up_dialog_get_type ())
G_DECLARE_FINAL_TYPE (QuorumTopUpDialog, quorum_top_up_dialog, QUORUM, TOP_UP_DIALOG, AdwMessageDialog)

GtkWidget *quorum_top_up_dialog_new        (GtkWindow         *parent,
                                            const char        *currency);
void       quorum_top_up_dialog_set_amount (QuorumTopUpDialog *self,
                                            gint64             cents);

G_END_DECLS
