/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-core.h"
#include "quorum-create-key-dialog.h"
#include "quorum-request-status.h"
#include "quorum-utils-private.h"

/*
 * "Create API Key": a name (the src/core name rule, checked as it is
 * typed), the scopes as check rows (src/core/quorum-scope.h: label and what
 * each allows) and an expiry. Create is ready once the name is good and one
 * scope is chosen. A slow, unreachable or failing server is the request
 * state under the form (Cancel, Retry); what the server says about the key
 * itself stays inline and the dialog keeps what was typed. On success it
 * emits ::created with the key, its secret inside, and closes: the page
 * shows the secret.
 */

static const guint expiry_days[] = { 0, 30, 90, 365 };

struct _QuorumCreateKeyDialog
{
  AdwWindow           parent_instance;

  QuorumClient       *client;
  QuorumOrganization *organization;
  QuorumRequestState *send_state;
  char               *error_text;
  GtkCheckButton     *scope_checks[QUORUM_N_SCOPES];

  GtkWidget          *create_button;
  GtkStack           *create_stack;
  GtkSpinner         *spinner;
  AdwEntryRow        *name_row;
  AdwComboRow        *expiry_row;
  GtkLabel           *error_label;
  AdwPreferencesGroup *scopes_group;
  QuorumRequestStatus *send_status;
};

G_DEFINE_FINAL_TYPE (QuorumCreateKeyDialog, quorum_create_key_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
typed_name (QuorumCreateKeyDialog *self)
{
  return quorum_name_normalize (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
}

static void
show_error (QuorumCreateKeyDialog *self,
            const char            *message,
            gboolean               name_field)
{
  g_free (self->error_text);
  self->error_text = g_strdup (message);
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  quorum_widget_set_error (GTK_WIDGET (self->name_row), message != NULL && name_field);
  if (message != NULL && name_field)
    gtk_accessible_update_relation (GTK_ACCESSIBLE (self->name_row),
                                    GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->error_label, NULL, -1);
  else
    gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->name_row), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
}

QuorumScope
quorum_create_key_dialog_get_scopes (QuorumCreateKeyDialog *self)
{
  QuorumScope scopes = QUORUM_SCOPE_NONE;

  g_return_val_if_fail (QUORUM_IS_CREATE_KEY_DIALOG (self), QUORUM_SCOPE_NONE);

  for (guint i = 0; i < QUORUM_N_SCOPES; i++)
    if (gtk_check_button_get_active (self->scope_checks[i]))
      scopes |= quorum_scope_nth (i);
  return scopes;
}

/* A good name and at least one scope. */
gboolean
quorum_create_key_dialog_get_ready (QuorumCreateKeyDialog *self)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (QUORUM_IS_CREATE_KEY_DIALOG (self), FALSE);

  name = typed_name (self);
  return quorum_name_check (name) == QUORUM_NAME_OK &&
         quorum_create_key_dialog_get_scopes (self) != QUORUM_SCOPE_NONE;
}

static void
update_ready (QuorumCreateKeyDialog *self)
{
  gboolean running = quorum_request_state_get_running (self->send_state);

  gtk_widget_set_sensitive (self->create_button, !running && quorum_create_key_dialog_get_ready (self));
}

static void
set_busy (QuorumCreateKeyDialog *self,
          gboolean               busy)
{
  gtk_stack_set_visible_child_name (self->create_stack, busy ? "spinner" : "label");
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->expiry_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scopes_group), !busy);
  update_ready (self);
}

static void
inputs_changed_cb (QuorumCreateKeyDialog *self)
{
  g_autofree char *name = typed_name (self);
  QuorumNameResult result = quorum_name_check (name);

  if (!quorum_request_state_get_running (self->send_state))
    quorum_request_state_reset (self->send_state);
  /* Blank is only "not yet": no error while nothing is typed. */
  show_error (self, result != QUORUM_NAME_OK && result != QUORUM_NAME_BLANK ? quorum_name_problem (result) : NULL,
              TRUE);
  update_ready (self);
}

static void
created_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(QuorumCreateKeyDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumApiKey) key = NULL;
  const char *field_message;

  key = quorum_client_create_api_key_finish (QUORUM_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (quorum_error_is_offline (error) || quorum_error_is_server_problem (error))
    {
      quorum_request_state_fail (self->send_state, _("Could not create the API key"), error);
      g_free (self->error_text);
      self->error_text = g_strdup (quorum_request_state_get_message (self->send_state));
      set_busy (self, FALSE);
      return;
    }
  quorum_request_state_succeed (self->send_state);
  set_busy (self, FALSE);

  if (key != NULL)
    {
      g_signal_emit (self, signals[SIGNAL_CREATED], 0, key);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  if (g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_VALIDATION) &&
      (field_message = quorum_api_error_get_field_message (error, "name")) != NULL)
    show_error (self, field_message, TRUE);
  else
    {
      g_autofree char *message = quorum_error_compose (_("Could not create the API key"), error);

      show_error (self, message, FALSE);
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

/**
 * quorum_create_key_dialog_create:
 *
 * What Create does: asks the server when the form is ready. The dialog
 * closes (emitting ::created) on success and stays open otherwise.
 */
void
quorum_create_key_dialog_create (QuorumCreateKeyDialog *self)
{
  g_autofree char *name = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  guint days;

  g_return_if_fail (QUORUM_IS_CREATE_KEY_DIALOG (self));

  if (quorum_request_state_get_running (self->send_state) || !quorum_create_key_dialog_get_ready (self))
    return;

  name = typed_name (self);
  days = expiry_days[MIN (adw_combo_row_get_selected (self->expiry_row), G_N_ELEMENTS (expiry_days) - 1)];
  if (days > 0)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      expires_at = g_date_time_add_days (now, days);
    }

  show_error (self, NULL, FALSE);
  quorum_request_state_set_host_from_url (self->send_state, quorum_client_get_base_url (self->client));
  quorum_client_create_api_key_async (self->client, quorum_organization_get_id (self->organization),
                                      name, quorum_create_key_dialog_get_scopes (self), expires_at,
                                      quorum_request_state_begin (self->send_state, FALSE),
                                      created_cb, g_object_ref (self));
  set_busy (self, TRUE);
}

static void
create_clicked_cb (QuorumCreateKeyDialog *self)
{
  quorum_create_key_dialog_create (self);
}

static void
send_running_cb (QuorumCreateKeyDialog *self)
{
  if (!quorum_request_state_get_running (self->send_state))
    set_busy (self, FALSE);
}

static void
send_retry_cb (QuorumCreateKeyDialog *self)
{
  if (quorum_request_state_get_running (self->send_state))
    quorum_request_state_cancel (self->send_state);
  quorum_create_key_dialog_create (self);
}

static void
quorum_create_key_dialog_dispose (GObject *object)
{
  QuorumCreateKeyDialog *self = QUORUM_CREATE_KEY_DIALOG (object);

  if (self->send_state != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->send_state, self);
      quorum_request_state_reset (self->send_state);
    }
  g_clear_object (&self->send_state);
  gtk_widget_dispose_template (GTK_WIDGET (self), QUORUM_TYPE_CREATE_KEY_DIALOG);

  G_OBJECT_CLASS (quorum_create_key_dialog_parent_class)->dispose (object);
}

static void
quorum_create_key_dialog_finalize (GObject *object)
{
  QuorumCreateKeyDialog *self = QUORUM_CREATE_KEY_DIALOG (object);

  g_clear_object (&self->client);
  g_clear_object (&self->organization);
  g_clear_pointer (&self->error_text, g_free);

  G_OBJECT_CLASS (quorum_create_key_dialog_parent_class)->finalize (object);
}

static void
quorum_create_key_dialog_class_init (QuorumCreateKeyDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = quorum_create_key_dialog_dispose;
  object_class->finalize = quorum_create_key_dialog_finalize;

  /**
   * QuorumCreateKeyDialog::created:
   * @key: the new key, with its secret
   */
  signals[SIGNAL_CREATED] =
    g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, QUORUM_TYPE_API_KEY);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/quorum-create-key-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, QuorumCreateKeyDialog, create_button);
  gtk_widget_class_bind_template_child (widget_class, QuorumCreateKeyDialog, create_stack);
  gtk_widget_class_bind_template_child (widget_class, QuorumCreateKeyDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, QuorumCreateKeyDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumCreateKeyDialog, expiry_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumCreateKeyDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumCreateKeyDialog, scopes_group);
  gtk_widget_class_bind_template_child (widget_class, QuorumCreateKeyDialog, send_status);
  gtk_widget_class_bind_template_callback (widget_class, create_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, inputs_changed_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
quorum_create_key_dialog_init (QuorumCreateKeyDialog *self)
{
  g_type_ensure (QUORUM_TYPE_REQUEST_STATUS);
  self->send_state = quorum_request_state_new (NULL);
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < QUORUM_N_SCOPES; i++)
    {
      QuorumScope scope = quorum_scope_nth (i);
      AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

      self->scope_checks[i] = GTK_CHECK_BUTTON (gtk_check_button_new ());
      gtk_widget_set_valign (GTK_WIDGET (self->scope_checks[i]), GTK_ALIGN_CENTER);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), quorum_scope_get_label (scope));
      adw_action_row_set_subtitle (row, quorum_scope_get_description (scope));
      adw_action_row_add_prefix (row, GTK_WIDGET (self->scope_checks[i]));
      adw_action_row_set_activatable_widget (row, GTK_WIDGET (self->scope_checks[i]));
      g_signal_connect_swapped (self->scope_checks[i], "toggled", G_CALLBACK (update_ready), self);
      adw_preferences_group_add (self->scopes_group, GTK_WIDGET (row));
    }

  g_signal_connect_swapped (self->send_state, "retry", G_CALLBACK (send_retry_cb), self);
  g_signal_connect_swapped (self->send_state, "notify::running", G_CALLBACK (send_running_cb), self);
  quorum_request_status_set_state (self->send_status, self->send_state);
}

/**
 * quorum_create_key_dialog_new:
 *
 * Returns: (transfer floating): the dialog, not yet presented
 */
QuorumCreateKeyDialog *
quorum_create_key_dialog_new (QuorumClient       *client,
                              QuorumOrganization *organization)
{
  QuorumCreateKeyDialog *self;

  g_return_val_if_fail (QUORUM_IS_CLIENT (client), NULL);
  g_return_val_if_fail (QUORUM_IS_ORGANIZATION (organization), NULL);

  self = g_object_new (QUORUM_TYPE_CREATE_KEY_DIALOG, NULL);
  self->client = g_object_ref (client);
  self->organization = g_object_ref (organization);
  return self;
}

void
quorum_create_key_dialog_set_name (QuorumCreateKeyDialog *self,
                                   const char            *name)
{
  g_return_if_fail (QUORUM_IS_CREATE_KEY_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name != NULL ? name : "");
}

void
quorum_create_key_dialog_set_scopes (QuorumCreateKeyDialog *self,
                                     QuorumScope            scopes)
{
  g_return_if_fail (QUORUM_IS_CREATE_KEY_DIALOG (self));

  for (guint i = 0; i < QUORUM_N_SCOPES; i++)
    gtk_check_button_set_active (self->scope_checks[i], (scopes & quorum_scope_nth (i)) != 0);
}

/* 0 (never), 30, 90 or 365. */
void
quorum_create_key_dialog_set_expiry_days (QuorumCreateKeyDialog *self,
                                          guint                  days)
{
  g_return_if_fail (QUORUM_IS_CREATE_KEY_DIALOG (self));

  for (guint i = 0; i < G_N_ELEMENTS (expiry_days); i++)
    if (expiry_days[i] == days)
      adw_combo_row_set_selected (self->expiry_row, i);
}

/* What the form says is wrong, or NULL. */
const char *
quorum_create_key_dialog_get_error (QuorumCreateKeyDialog *self)
{
  g_return_val_if_fail (QUORUM_IS_CREATE_KEY_DIALOG (self), NULL);

  return self->error_text;
}
