/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-core.h"
#include "quorum-invite-dialog.h"
#include "quorum-request-status.h"
#include "quorum-utils-private.h"

/*
 * "Invite Member": e-mail and role. The address is checked with the same
 * src/core rule as the server before anything is sent; the server's answers
 * already_member / already_invited / validation are shown inline and the
 * dialog stays open with what was typed. One idempotency key per (e-mail,
 * role) so pressing Invite again after a lost answer cannot invite twice.
 * A slow, unreachable or failing server is the send's request state
 * (Cancel, Retry) under the form.
 */

struct _QuorumInviteDialog
{
  AdwWindow           parent_instance;

  QuorumClient       *client;
  QuorumOrganization *organization;
  QuorumRequestState *send_state;
  char               *idempotency_key;
  char               *error_text;

  GtkWidget          *invite_button;
  GtkStack           *invite_stack;
  GtkSpinner         *spinner;
  AdwPreferencesGroup *group;
  AdwEntryRow        *email_row;
  AdwComboRow        *role_row;
  GtkLabel           *error_label;
  QuorumRequestStatus *send_status;
};

G_DEFINE_FINAL_TYPE (QuorumInviteDialog, quorum_invite_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_INVITED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static QuorumRole
selected_role (QuorumInviteDialog *self)
{
  return adw_combo_row_get_selected (self->role_row) == 1 ? QUORUM_ROLE_ADMIN : QUORUM_ROLE_MEMBER;
}

static char *
typed_email (QuorumInviteDialog *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->email_row))));
}

static void
show_error (QuorumInviteDialog *self,
            const char         *message,
            gboolean            email_field)
{
  g_free (self->error_text);
  self->error_text = g_strdup (message);
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);

  quorum_widget_set_error (GTK_WIDGET (self->email_row), message != NULL && email_field);

  if (message != NULL)
    gtk_accessible_update_relation (GTK_ACCESSIBLE (self->email_row),
                                    GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->error_label, NULL,
                                    -1);
  else
    gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->email_row),
                                   GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
}

static void
set_busy (QuorumInviteDialog *self,
          gboolean            busy)
{
  gtk_stack_set_visible_child_name (self->invite_stack, busy ? "spinner" : "label");
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->email_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->role_row), !busy);
  gtk_widget_set_sensitive (self->invite_button, !busy);
}

static void
inputs_changed (QuorumInviteDialog *self)
{
  g_autofree char *email = typed_email (self);

  /* A different invitation: a new key, and the old error no longer applies. */
  g_clear_pointer (&self->idempotency_key, g_free);
  if (!quorum_request_state_get_running (self->send_state))
    {
      gtk_widget_set_sensitive (self->invite_button, *email != '\0');
      quorum_request_state_reset (self->send_state);
    }
  show_error (self, NULL, FALSE);
}

static void
email_changed_cb (QuorumInviteDialog *self)
{
  inputs_changed (self);
}

static void
role_changed_cb (QuorumInviteDialog *self)
{
  inputs_changed (self);
}

static void
create_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(QuorumInviteDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumInvitation) invitation = NULL;
  g_autofree char *email = NULL;
  g_autofree char *message = NULL;
  gboolean email_field = FALSE;

  invitation = quorum_client_create_invitation_finish (QUORUM_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* Cancel, which made the form usable again */

  set_busy (self, FALSE);

  if (quorum_error_is_offline (error) || quorum_error_is_server_problem (error))
    {
      /* The server, not the invitation: said by the request's state, with Retry. */
      g_autofree char *text = NULL;

      quorum_request_state_fail (self->send_state, _("Could not send the invitation"), error);
      text = quorum_request_state_get_explanation (self->send_state) != NULL
             ? g_strdup_printf ("%s\n%s", quorum_request_state_get_message (self->send_state),
                                quorum_request_state_get_explanation (self->send_state))
             : g_strdup (quorum_request_state_get_message (self->send_state));
      g_free (self->error_text);
      self->error_text = g_steal_pointer (&text);
      gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
      gtk_editable_select_region (GTK_EDITABLE (self->email_row), -1, -1);
      return;
    }
  quorum_request_state_succeed (self->send_state);

  if (invitation != NULL)
    {
      g_signal_emit (self, signals[SIGNAL_INVITED], 0, invitation);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  email = typed_email (self);
  if (error->domain == QUORUM_API_ERROR)
    {
      const char *field_message;

      switch ((QuorumApiError) error->code)
        {
        case QUORUM_API_ERROR_ALREADY_MEMBER:
          message = g_strdup_printf (_("%s is already a member of %s."), email,
                                     quorum_organization_get_name (self->organization));
          email_field = TRUE;
          break;
        case QUORUM_API_ERROR_ALREADY_INVITED:
          message = g_strdup_printf (_("%s has already been invited. You can resend the invitation from the member list."),
                                     email);
          email_field = TRUE;
          break;
        case QUORUM_API_ERROR_VALIDATION:
          field_message = quorum_api_error_get_field_message (error, "email");
          message = g_strdup (field_message != NULL ? field_message : error->message);
          email_field = field_message != NULL;
          break;
        case QUORUM_API_ERROR_SEAT_LIMIT_REACHED:
        case QUORUM_API_ERROR_SEAT_LIMIT_EXCEEDED:
          message = g_strdup (_("Every seat of the organization’s plan is taken. Free a seat or change the plan, then try again."));
          break;
        default:
          message = quorum_error_compose (_("Could not send the invitation"), error);
          break;
        }
    }
  else
    message = quorum_error_compose (_("Could not send the invitation"), error);

  show_error (self, message, email_field);
  /* Back to the address, cursor at its end, nothing selected to type over. */
  gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
  gtk_editable_select_region (GTK_EDITABLE (self->email_row), -1, -1);
}

/**
 * quorum_invite_dialog_send:
 *
 * What Invite does: validates the e-mail, then asks the server. The dialog
 * closes (emitting ::invited) on success and stays open otherwise.
 */
void
quorum_invite_dialog_send (QuorumInviteDialog *self)
{
  g_autofree char *email = NULL;

  g_return_if_fail (QUORUM_IS_INVITE_DIALOG (self));

  if (quorum_request_state_get_running (self->send_state))
    return;

  email = typed_email (self);
  if (*email == '\0')
    return;
  if (!quorum_email_is_valid (email))
    {
      show_error (self, _("Enter a valid e-mail address, like name@example.com."), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
      return;
    }

  show_error (self, NULL, FALSE);
  if (self->idempotency_key == NULL)
    self->idempotency_key = g_uuid_string_random ();

  set_busy (self, TRUE);
  quorum_request_state_set_host_from_url (self->send_state, quorum_client_get_base_url (self->client));
  quorum_client_create_invitation_async (self->client,
                                         quorum_organization_get_id (self->organization),
                                         email, selected_role (self), self->idempotency_key,
                                         quorum_request_state_begin (self->send_state, FALSE),
                                         create_cb, g_object_ref (self));
}

/* Cancel: the form is usable again, with what was typed. */
static void
send_phase_cb (QuorumInviteDialog *self)
{
  if (!quorum_request_state_get_running (self->send_state))
    set_busy (self, FALSE);
}

static void
send_retry_cb (QuorumInviteDialog *self)
{
  /* Not answering yet: that request goes, the same one (same key) starts. */
  if (quorum_request_state_get_running (self->send_state))
    quorum_request_state_cancel (self->send_state);
  quorum_invite_dialog_send (self);
}

static void
invite_clicked_cb (QuorumInviteDialog *self)
{
  quorum_invite_dialog_send (self);
}

static void
quorum_invite_dialog_dispose (GObject *object)
{
  QuorumInviteDialog *self = QUORUM_INVITE_DIALOG (object);

  if (self->send_state != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->send_state, self);
      quorum_request_state_reset (self->send_state);
    }
  g_clear_object (&self->send_state);
  gtk_widget_dispose_template (GTK_WIDGET (self), QUORUM_TYPE_INVITE_DIALOG);

  G_OBJECT_CLASS (quorum_invite_dialog_parent_class)->dispose (object);
}

static void
quorum_invite_dialog_finalize (GObject *object)
{
  QuorumInviteDialog *self = QUORUM_INVITE_DIALOG (object);

  g_clear_object (&self->client);
  g_clear_object (&self->organization);
  g_clear_pointer (&self->idempotency_key, g_free);
  g_clear_pointer (&self->error_text, g_free);

  G_OBJECT_CLASS (quorum_invite_dialog_parent_class)->finalize (object);
}

static void
quorum_invite_dialog_class_init (QuorumInviteDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = quorum_invite_dialog_dispose;
  object_class->finalize = quorum_invite_dialog_finalize;

  /**
   * QuorumInviteDialog::invited:
   * @invitation: the invitation the server created
   */
  signals[SIGNAL_INVITED] =
    g_signal_new ("invited", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, QUORUM_TYPE_INVITATION);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/quorum-invite-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, QuorumInviteDialog, invite_button);
  gtk_widget_class_bind_template_child (widget_class, QuorumInviteDialog, invite_stack);
  gtk_widget_class_bind_template_child (widget_class, QuorumInviteDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, QuorumInviteDialog, group);
  gtk_widget_class_bind_template_child (widget_class, QuorumInviteDialog, email_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumInviteDialog, role_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumInviteDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumInviteDialog, send_status);
  gtk_widget_class_bind_template_callback (widget_class, invite_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, email_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, role_changed_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
quorum_invite_dialog_init (QuorumInviteDialog *self)
{
  g_type_ensure (QUORUM_TYPE_REQUEST_STATUS);
  self->send_state = quorum_request_state_new (NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->send_state, "retry", G_CALLBACK (send_retry_cb), self);
  g_signal_connect_swapped (self->send_state, "notify::running", G_CALLBACK (send_phase_cb), self);
  quorum_request_status_set_state (self->send_status, self->send_state);
}

QuorumInviteDialog *
quorum_invite_dialog_new (QuorumClient       *client,
                          QuorumOrganization *organization)
{
  QuorumInviteDialog *self;
  g_autofree char *description = NULL;

  g_return_val_if_fail (QUORUM_IS_CLIENT (client), NULL);
  g_return_val_if_fail (QUORUM_IS_ORGANIZATION (organization), NULL);

  self = g_object_new (QUORUM_TYPE_INVITE_DIALOG, NULL);
  self->client = g_object_ref (client);
  self->organization = g_object_ref (organization);

  /* Translators: %s is the organization's name */
  description = g_strdup_printf (_("They will get an e-mail with a link to join %s."),
                                 quorum_organization_get_name (organization));
  adw_preferences_group_set_description (self->group, description);

  return self;
}

void
quorum_invite_dialog_set_email (QuorumInviteDialog *self,
                                const char         *email)
{
  g_return_if_fail (QUORUM_IS_INVITE_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->email_row), email != NULL ? email : "");
}

void
quorum_invite_dialog_set_role (QuorumInviteDialog *self,
                               QuorumRole          role)
{
  g_return_if_fail (QUORUM_IS_INVITE_DIALOG (self));
  g_return_if_fail (role == QUORUM_ROLE_MEMBER || role == QUORUM_ROLE_ADMIN);

  adw_combo_row_set_selected (self->role_row, role == QUORUM_ROLE_ADMIN ? 1 : 0);
}

/* The error shown inline, or NULL. */
const char *
quorum_invite_dialog_get_error (QuorumInviteDialog *self)
{
  g_return_val_if_fail (QUORUM_IS_INVITE_DIALOG (self), NULL);

  return self->error_text;
}
