/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "quorum-core.h"
#include "quorum-request-status.h"
#include "quorum-utils-private.h"
#include "quorum-webhook-dialog.h"

/*
 * "Add Webhook" and "Edit Webhook": the URL (checked as it is typed: a
 * whole https address; plain http only to this computer, which a server
 * started with --allow-insecure-webhooks accepts for local testing), an
 * optional description and the events as check rows. Add sends everything;
 * Edit sends only what changed, with the webhook's ETag, so a change made
 * elsewhere meanwhile is refused rather than overwritten. The server's own
 * refusal of the address (not public, not https) is shown under the URL.
 * On success it emits ::saved with the webhook (after Add, with its
 * signing secret inside) and closes.
 */

#define MAX_URL_BYTES 2048
#define MAX_DESCRIPTION_CHARS 200

struct _QuorumWebhookDialog
{
  AdwWindow           parent_instance;

  QuorumClient       *client;
  QuorumOrganization *organization;
  QuorumWebhook      *webhook;      /* the one edited, or NULL to add one */
  QuorumRequestState *send_state;
  char               *error_text;
  GPtrArray          *event_checks;  /* GtkCheckButton, one per quorum_webhook_event_types[] */

  GtkWidget          *save_button;
  GtkStack           *save_stack;
  GtkSpinner         *spinner;
  AdwEntryRow        *url_row;
  AdwEntryRow        *description_row;
  GtkLabel           *error_label;
  AdwPreferencesGroup *events_group;
  QuorumRequestStatus *send_status;
};

G_DEFINE_FINAL_TYPE (QuorumWebhookDialog, quorum_webhook_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  /* GUri keeps the brackets of an IPv6 literal off the host. */
  bare = g_strdup (host);
  address = g_inet_address_new_from_string (bare);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * quorum_webhook_dialog_url_problem:
 *
 * Returns: (nullable): what is wrong with @url as a webhook address, in
 *   words for people, or %NULL when it may be sent (an empty one too: it is
 *   only not ready)
 */
const char *
quorum_webhook_dialog_url_problem (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  g_return_val_if_fail (url != NULL, NULL);

  if (*url == '\0')
    return NULL;
  if (strlen (url) > MAX_URL_BYTES)
    return _("The address is too long.");
  for (const char *p = url; *p; p++)
    if ((guchar) *p <= ' ' || *p == 0x7f)
      return _("The address must not contain spaces.");
  if (!(uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL)) ||
      (host = g_uri_get_host (uri)) == NULL || *host == '\0')
    return _("Enter a whole address, like https://example.com/hooks.");
  scheme = g_uri_get_scheme (uri);
  if (g_uri_get_userinfo (uri) != NULL)
    return _("The address must not contain a user name or password.");
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return NULL;
  if (g_ascii_strcasecmp (scheme, "http") == 0 && is_loopback (host))
    return NULL;
  return _("The address must start with https://.");
}

static char *
typed_url (QuorumWebhookDialog *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_row))));
}

static char *
typed_description (QuorumWebhookDialog *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->description_row))));
}

static GStrv
chosen_events (QuorumWebhookDialog *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->event_checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->event_checks, i)))
      g_strv_builder_add (builder, quorum_webhook_event_types[i]);
  return g_strv_builder_end (builder);
}

static void
show_error (QuorumWebhookDialog *self,
            const char          *message,
            gboolean             url_field)
{
  g_free (self->error_text);
  self->error_text = g_strdup (message);
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  quorum_widget_set_error (GTK_WIDGET (self->url_row), message != NULL && url_field);
  if (message != NULL && url_field)
    gtk_accessible_update_relation (GTK_ACCESSIBLE (self->url_row),
                                    GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->error_label, NULL, -1);
  else
    gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->url_row), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
}

/* A sendable URL, a description within bounds and at least one event. */
gboolean
quorum_webhook_dialog_get_ready (QuorumWebhookDialog *self)
{
  g_autofree char *url = NULL;
  g_autofree char *description = NULL;
  g_auto(GStrv) events = NULL;

  g_return_val_if_fail (QUORUM_IS_WEBHOOK_DIALOG (self), FALSE);

  url = typed_url (self);
  description = typed_description (self);
  events = chosen_events (self);
  return *url != '\0' && quorum_webhook_dialog_url_problem (url) == NULL &&
         g_utf8_strlen (description, -1) <= MAX_DESCRIPTION_CHARS && quorum_text_is_safe (description) &&
         events[0] != NULL;
}

static void
update_ready (QuorumWebhookDialog *self)
{
  gboolean running = quorum_request_state_get_running (self->send_state);

  gtk_widget_set_sensitive (self->save_button, !running && quorum_webhook_dialog_get_ready (self));
}

static void
set_busy (QuorumWebhookDialog *self,
          gboolean             busy)
{
  gtk_stack_set_visible_child_name (self->save_stack, busy ? "spinner" : "label");
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->url_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->description_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->events_group), !busy);
  update_ready (self);
}

static void
inputs_changed_cb (QuorumWebhookDialog *self)
{
  g_autofree char *url = typed_url (self);
  g_autofree char *description = typed_description (self);
  const char *problem = quorum_webhook_dialog_url_problem (url);

  if (!quorum_request_state_get_running (self->send_state))
    quorum_request_state_reset (self->send_state);
  if (problem != NULL)
    show_error (self, problem, TRUE);
  else if (g_utf8_strlen (description, -1) > MAX_DESCRIPTION_CHARS)
    show_error (self, _("The description is too long."), FALSE);
  else if (!quorum_text_is_safe (description))
    show_error (self, _("The description contains characters that are not allowed."), FALSE);
  else
    show_error (self, NULL, FALSE);
  update_ready (self);
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(QuorumWebhookDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumWebhook) webhook = NULL;
  const char *context = self->webhook == NULL ? _("Could not add the webhook") : _("Could not save the webhook");
  const char *field_message;

  if (self->webhook == NULL)
    webhook = quorum_client_create_webhook_finish (QUORUM_CLIENT (object), result, &error);
  else
    webhook = quorum_client_update_webhook_finish (QUORUM_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (quorum_error_is_offline (error) || quorum_error_is_server_problem (error))
    {
      quorum_request_state_fail (self->send_state, context, error);
      g_free (self->error_text);
      self->error_text = g_strdup (quorum_request_state_get_message (self->send_state));
      set_busy (self, FALSE);
      return;
    }
  quorum_request_state_succeed (self->send_state);
  set_busy (self, FALSE);

  if (webhook != NULL)
    {
      g_signal_emit (self, signals[SIGNAL_SAVED], 0, webhook);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  if (g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_VALIDATION) &&
      (field_message = quorum_api_error_get_field_message (error, "url")) != NULL)
    show_error (self, field_message, TRUE);
  else if (g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_PRECONDITION_FAILED))
    show_error (self, _("Someone else changed this webhook meanwhile. Close this dialog and open it again to see their change."),
                FALSE);
  else
    {
      g_autofree char *message = quorum_error_compose (context, error);

      show_error (self, message, FALSE);
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->url_row));
}

/**
 * quorum_webhook_dialog_save:
 *
 * What Save does: asks the server when the form is ready. The dialog closes
 * (emitting ::saved) on success and stays open otherwise.
 */
void
quorum_webhook_dialog_save (QuorumWebhookDialog *self)
{
  g_autofree char *url = NULL;
  g_autofree char *description = NULL;
  g_auto(GStrv) events = NULL;
  GCancellable *cancellable;
  const char *org_id;

  g_return_if_fail (QUORUM_IS_WEBHOOK_DIALOG (self));

  if (quorum_request_state_get_running (self->send_state) || !quorum_webhook_dialog_get_ready (self))
    return;

  url = typed_url (self);
  description = typed_description (self);
  events = chosen_events (self);
  org_id = quorum_organization_get_id (self->organization);

  show_error (self, NULL, FALSE);
  quorum_request_state_set_host_from_url (self->send_state, quorum_client_get_base_url (self->client));
  cancellable = quorum_request_state_begin (self->send_state, FALSE);
  if (self->webhook == NULL)
    quorum_client_create_webhook_async (self->client, org_id, url, (const char * const *) events,
                                        *description != '\0' ? description : NULL, TRUE,
                                        cancellable, saved_cb, g_object_ref (self));
  else
    {
      const char * const *old_events = quorum_webhook_get_events (self->webhook);
      gboolean same_events = g_strv_equal (old_events, (const char * const *) events);

      quorum_client_update_webhook_async (self->client, org_id, quorum_webhook_get_id (self->webhook),
                                          quorum_webhook_get_etag (self->webhook),
                                          g_str_equal (url, quorum_webhook_get_url (self->webhook)) ? NULL : url,
                                          same_events ? NULL : (const char * const *) events,
                                          g_str_equal (description, quorum_webhook_get_description (self->webhook))
                                            ? NULL : description,
                                          QUORUM_WEBHOOK_KEEP, cancellable, saved_cb, g_object_ref (self));
    }
  set_busy (self, TRUE);
}

static void
save_clicked_cb (QuorumWebhookDialog *self)
{
  quorum_webhook_dialog_save (self);
}

static void
send_running_cb (QuorumWebhookDialog *self)
{
  if (!quorum_request_state_get_running (self->send_state))
    set_busy (self, FALSE);
}

static void
send_retry_cb (QuorumWebhookDialog *self)
{
  if (quorum_request_state_get_running (self->send_state))
    quorum_request_state_cancel (self->send_state);
  quorum_webhook_dialog_save (self);
}

static void
quorum_webhook_dialog_dispose (GObject *object)
{
  QuorumWebhookDialog *self = QUORUM_WEBHOOK_DIALOG (object);

  if (self->send_state != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->send_state, self);
      quorum_request_state_reset (self->send_state);
    }
  g_clear_object (&self->send_state);
  gtk_widget_dispose_template (GTK_WIDGET (self), QUORUM_TYPE_WEBHOOK_DIALOG);

  G_OBJECT_CLASS (quorum_webhook_dialog_parent_class)->dispose (object);
}

static void
quorum_webhook_dialog_finalize (GObject *object)
{
  QuorumWebhookDialog *self = QUORUM_WEBHOOK_DIALOG (object);

  g_clear_object (&self->client);
  g_clear_object (&self->organization);
  g_clear_object (&self->webhook);
  g_clear_pointer (&self->event_checks, g_ptr_array_unref);
  g_clear_pointer (&self->error_text, g_free);

  G_OBJECT_CLASS (quorum_webhook_dialog_parent_class)->finalize (object);
}

static void
quorum_webhook_dialog_class_init (QuorumWebhookDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = quorum_webhook_dialog_dispose;
  object_class->finalize = quorum_webhook_dialog_finalize;

  /**
   * QuorumWebhookDialog::saved:
   * @webhook: the webhook as the server has it (after Add, with its secret)
   */
  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, QUORUM_TYPE_WEBHOOK);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/quorum-webhook-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, QuorumWebhookDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, QuorumWebhookDialog, save_stack);
  gtk_widget_class_bind_template_child (widget_class, QuorumWebhookDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, QuorumWebhookDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumWebhookDialog, description_row);
  gtk_widget_class_bind_template_child (widget_class, QuorumWebhookDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumWebhookDialog, events_group);
  gtk_widget_class_bind_template_child (widget_class, QuorumWebhookDialog, send_status);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, inputs_changed_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
quorum_webhook_dialog_init (QuorumWebhookDialog *self)
{
  g_type_ensure (QUORUM_TYPE_REQUEST_STATUS);
  self->send_state = quorum_request_state_new (NULL);
  self->event_checks = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; quorum_webhook_event_types[i] != NULL; i++)
    {
      const char *label = quorum_event_type_get_label (quorum_webhook_event_types[i]);
      AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
      GtkWidget *check = gtk_check_button_new ();

      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
      adw_action_row_set_subtitle (row, quorum_webhook_event_types[i]);
      adw_action_row_add_prefix (row, check);
      adw_action_row_set_activatable_widget (row, check);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (update_ready), self);
      adw_preferences_group_add (self->events_group, GTK_WIDGET (row));
      g_ptr_array_add (self->event_checks, check);
    }

  g_signal_connect_swapped (self->send_state, "retry", G_CALLBACK (send_retry_cb), self);
  g_signal_connect_swapped (self->send_state, "notify::running", G_CALLBACK (send_running_cb), self);
  quorum_request_status_set_state (self->send_status, self->send_state);
}

/**
 * quorum_webhook_dialog_new:
 * @webhook: (nullable): the webhook to edit, or %NULL to add one
 *
 * Returns: (transfer floating): the dialog, not yet presented
 */
QuorumWebhookDialog *
quorum_webhook_dialog_new (QuorumClient       *client,
                           QuorumOrganization *organization,
                           QuorumWebhook      *webhook)
{
  QuorumWebhookDialog *self;

  g_return_val_if_fail (QUORUM_IS_CLIENT (client), NULL);
  g_return_val_if_fail (QUORUM_IS_ORGANIZATION (organization), NULL);
  g_return_val_if_fail (webhook == NULL || QUORUM_IS_WEBHOOK (webhook), NULL);

  self = g_object_new (QUORUM_TYPE_WEBHOOK_DIALOG, NULL);
  self->client = g_object_ref (client);
  self->organization = g_object_ref (organization);
  if (webhook != NULL)
    {
      self->webhook = g_object_ref (webhook);
      gtk_window_set_title (GTK_WINDOW (self), _("Edit Webhook"));
      quorum_webhook_dialog_set_url (self, quorum_webhook_get_url (webhook));
      gtk_editable_set_text (GTK_EDITABLE (self->description_row), quorum_webhook_get_description (webhook));
      quorum_webhook_dialog_set_events (self, quorum_webhook_get_events (webhook));
    }
  else
    {
      /* The common case ready: people joining and leaving. */
      static const char * const defaults[] = { "member.added", "member.removed", NULL };

      quorum_webhook_dialog_set_events (self, defaults);
    }
  return self;
}

void
quorum_webhook_dialog_set_url (QuorumWebhookDialog *self,
                               const char          *url)
{
  g_return_if_fail (QUORUM_IS_WEBHOOK_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url != NULL ? url : "");
}

void
quorum_webhook_dialog_set_events (QuorumWebhookDialog *self,
                                  const char * const  *events)
{
  g_return_if_fail (QUORUM_IS_WEBHOOK_DIALOG (self));
  g_return_if_fail (events != NULL);

  for (guint i = 0; i < self->event_checks->len; i++)
    gtk_check_button_set_active (g_ptr_array_index (self->event_checks, i),
                                 g_strv_contains (events, quorum_webhook_event_types[i]));
}

/* What the form says is wrong, or NULL. */
const char *
quorum_webhook_dialog_get_error (QuorumWebhookDialog *self)
{
  g_return_val_if_fail (QUORUM_IS_WEBHOOK_DIALOG (self), NULL);

  return self->error_text;
}
