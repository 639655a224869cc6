/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-a11y.h"

/* GTK 4.8 names a button with a mnemonic "_Accept Accept" for screen
 * readers: its raw label followed by the label child it is labelled by.
 * Dropping the raw one leaves the label as read. Applies to @widget and
 * every button below it. */
void
quorum_label_buttons_for_screen_readers (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) && gtk_button_get_use_underline (GTK_BUTTON (widget)) &&
      gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    quorum_label_buttons_for_screen_readers (child);
}
