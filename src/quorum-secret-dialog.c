/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "quorum-secret-dialog.h"
#include "quorum-utils-private.h"

/*
 * A secret the server shows once (an API key, a webhook's signing secret):
 * in a selectable monospace label, with Copy and a warning that it will not
 * be shown again. Copy puts it on the clipboard, which is cleared after
 * QUORUM_SECRET_CLIPBOARD_SECONDS if it still holds it. The secret is wiped
 * from memory when the dialog goes.
 */
struct _QuorumSecretDialog
{
  AdwMessageDialog parent_instance;

  char      *secret;
  GtkLabel  *secret_label;
  GtkButton *copy_button;
};

G_DEFINE_FINAL_TYPE (QuorumSecretDialog, quorum_secret_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
copy_clicked_cb (QuorumSecretDialog *self)
{
  quorum_secret_dialog_copy (self);
}

static void
quorum_secret_dialog_finalize (GObject *object)
{
  QuorumSecretDialog *self = QUORUM_SECRET_DIALOG (object);

  if (self->secret != NULL)
    explicit_bzero (self->secret, strlen (self->secret));
  g_clear_pointer (&self->secret, g_free);

  G_OBJECT_CLASS (quorum_secret_dialog_parent_class)->finalize (object);
}

static void
quorum_secret_dialog_class_init (QuorumSecretDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = quorum_secret_dialog_finalize;
}

static void
quorum_secret_dialog_init (QuorumSecretDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  self->secret_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_selectable (self->secret_label, TRUE);
  gtk_label_set_wrap (self->secret_label, TRUE);
  gtk_label_set_wrap_mode (self->secret_label, PANGO_WRAP_CHAR);
  gtk_widget_add_css_class (GTK_WIDGET (self->secret_label), "monospace");
  gtk_widget_add_css_class (GTK_WIDGET (self->secret_label), "card");
  gtk_widget_add_css_class (GTK_WIDGET (self->secret_label), "secret");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->secret_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("Secret"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->secret_label));

  self->copy_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Copy")));
  gtk_widget_set_halign (GTK_WIDGET (self->copy_button), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (self->copy_button), "pill");
  g_signal_connect_swapped (self->copy_button, "clicked", G_CALLBACK (copy_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->copy_button));

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), box);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (self), "done", _("_Done"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self), "done");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self), "done");
}

/**
 * quorum_secret_dialog_new:
 * @body: what the secret is for, and that it is shown once
 *
 * Returns: (transfer floating): a modal dialog, not yet presented
 */
QuorumSecretDialog *
quorum_secret_dialog_new (GtkWindow  *parent,
                          const char *heading,
                          const char *body,
                          const char *secret)
{
  QuorumSecretDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (heading != NULL && body != NULL && secret != NULL, NULL);

  self = g_object_new (QUORUM_TYPE_SECRET_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       "heading", heading,
                       "body", body,
                       NULL);
  self->secret = g_strdup (secret);
  gtk_label_set_text (self->secret_label, secret);
  return self;
}

const char *
quorum_secret_dialog_get_secret (QuorumSecretDialog *self)
{
  g_return_val_if_fail (QUORUM_IS_SECRET_DIALOG (self), NULL);

  return self->secret;
}

/* What Copy does. */
void
quorum_secret_dialog_copy (QuorumSecretDialog *self)
{
  g_return_if_fail (QUORUM_IS_SECRET_DIALOG (self));

  quorum_clipboard_set_secret (GTK_WIDGET (self), self->secret);
  gtk_button_set_label (self->copy_button, _("Copied"));
}
