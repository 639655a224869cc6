/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-core.h"
#include "quorum-create-key-dialog.h"
#include "quorum-deliveries-dialog.h"
#include "quorum-developers-page-private.h"
#include "quorum-secret-dialog.h"
#include "quorum-utils-private.h"
#include "quorum-webhook-dialog.h"

/*
 * The Developers tab's actions, each checking quorum_role_can itself:
 *   developers.reload, developers.retry-audit
 *   developers.create-key            the Create Key dialog, then the secret once
 *   developers.rotate-key (ss)       id, name: a grace period, then the new secret once
 *   developers.revoke-key (ss)       id, name: confirmed, then gone
 *   developers.add-webhook           the webhook dialog, then the signing secret once
 *   developers.edit-webhook s        id
 *   developers.set-webhook-enabled (sb)
 *   developers.test-webhook s        a ping; its result is in the deliveries
 *   developers.show-deliveries s     the webhook's delivery log
 *   developers.roll-webhook-secret (ss)  id, URL: confirmed, then the new secret once
 *   developers.delete-webhook (ss)   id, URL: confirmed, then gone
 * Failures are toasts that say what failed, with Retry where it helps.
 * Requests run on the page's cancellable (cancelled with the organization).
 */

/* The grace periods offered by Rotate, in seconds. */
static const guint grace_seconds[] = { 0, 3600, 24 * 3600, 7 * 24 * 3600 };

static GtkWindow *
window_of (QuorumDevelopersPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
toast (QuorumDevelopersPage *self,
       const char           *text)
{
  quorum_toast_show (GTK_WIDGET (self), text, NULL);
}

/* A failure, as a toast: @context composed with the error's words. */
static void
toast_error (QuorumDevelopersPage *self,
             const char           *context,
             const GError         *error,
             QuorumWeakCall       *retry)
{
  g_autofree char *message = quorum_error_compose (context, error);

  quorum_toast_show (GTK_WIDGET (self), message, retry);
}

/* Something changed: the audit log has a new line at its top. */
static void
changed (QuorumDevelopersPage *self)
{
  _quorum_developers_page_reload_audit (self);
}

void
_quorum_developers_page_update_actions (QuorumDevelopersPage *self)
{
  gboolean ready = self->loaded && _quorum_developers_page_can_manage (self);
  static const char * const actions[] = {
    "developers.create-key", "developers.rotate-key", "developers.revoke-key",
    "developers.add-webhook", "developers.edit-webhook", "developers.set-webhook-enabled",
    "developers.test-webhook", "developers.show-deliveries", "developers.roll-webhook-secret",
    "developers.delete-webhook",
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), actions[i], ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "developers.reload",
                                 !quorum_request_state_get_running (self->load_state));
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  QuorumDevelopersPage *self = QUORUM_DEVELOPERS_PAGE (widget);

  _quorum_developers_page_load (self, FALSE);
  _quorum_developers_page_reload_audit (self);
}

static void
retry_audit_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  QuorumDevelopersPage *self = QUORUM_DEVELOPERS_PAGE (widget);

  if (self->audit_log != NULL)
    quorum_audit_log_load_more (self->audit_log);
}

/* Secrets */

static void
show_secret (QuorumDevelopersPage *self,
             const char           *heading,
             const char           *body,
             const char           *secret)
{
  QuorumSecretDialog *dialog = quorum_secret_dialog_new (window_of (self), heading, body, secret);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_key_secret (QuorumDevelopersPage *self,
                 QuorumApiKey         *key)
{
  g_autofree char *heading = g_strdup_printf (_("Copy the Key “%s”"), quorum_api_key_get_name (key));

  if (quorum_api_key_get_secret (key) != NULL)
    show_secret (self, heading,
                 _("This is the only time the key is shown. Keep it somewhere safe, like a password manager: "
                   "anyone who has it can use the API for this organization with its scopes."),
                 quorum_api_key_get_secret (key));
  quorum_api_key_forget_secret (key);
}

static void
show_webhook_secret (QuorumDevelopersPage *self,
                     QuorumWebhook        *webhook)
{
  if (quorum_webhook_get_secret (webhook) != NULL)
    show_secret (self, _("Copy the Signing Secret"),
                 _("This is the only time the signing secret is shown. Your receiver uses it to check that "
                   "each delivery comes from Quorum (the Quorum-Signature header)."),
                 quorum_webhook_get_secret (webhook));
  quorum_webhook_forget_secret (webhook);
}

/* API keys */

static void
key_created_cb (QuorumDevelopersPage *self,
                QuorumApiKey         *key)
{
  show_key_secret (self, key);
  _quorum_developers_page_put_key (self, key);
  changed (self);
}

static void
create_key_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  QuorumDevelopersPage *self = QUORUM_DEVELOPERS_PAGE (widget);
  QuorumCreateKeyDialog *dialog;

  if (!_quorum_developers_page_can_manage (self))
    return;
  dialog = quorum_create_key_dialog_new (self->client, self->organization);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), window_of (self));
  g_signal_connect_object (dialog, "created", G_CALLBACK (key_created_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  char  *id;
  char  *name;
  guint  grace;
} KeyOp;

static void
key_op_free (gpointer data)
{
  KeyOp *op = data;

  g_free (op->id);
  g_free (op->name);
  g_free (op);
}

static KeyOp *
key_op_new (const char *id,
            const char *name,
            guint       grace)
{
  KeyOp *op = g_new0 (KeyOp, 1);

  op->id = g_strdup (id);
  op->name = g_strdup (name);
  op->grace = grace;
  return op;
}

static void send_rotate (QuorumDevelopersPage *self,
                         KeyOp                *op);

static void
rotate_again (gpointer object,
              gpointer data)
{
  send_rotate (object, data);
}

static void
rotated_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QuorumDevelopersPage *self = g_task_get_source_object (task);
  KeyOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumApiKey) key = NULL;

  key = quorum_client_rotate_api_key_finish (QUORUM_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (key == NULL)
    {
      g_autofree char *context = g_strdup_printf (_("Could not rotate the key “%s”"), op->name);

      toast_error (self, context, error,
                   quorum_weak_call_new (self, rotate_again,
                                         key_op_new (op->id, op->name, op->grace), key_op_free));
      return;
    }
  show_key_secret (self, key);
  /* The old key lives on (for the grace period) or goes: the list says. */
  _quorum_developers_page_load (self, FALSE);
  changed (self);
}

static void
send_rotate (QuorumDevelopersPage *self,
             KeyOp                *op)
{
  GTask *task;

  if (!_quorum_developers_page_can_manage (self))
    return;
  task = g_task_new (self, NULL, NULL, NULL);
  g_task_set_task_data (task, key_op_new (op->id, op->name, op->grace), key_op_free);
  quorum_client_rotate_api_key_async (self->client, quorum_organization_get_id (self->organization),
                                      op->id, op->grace, self->cancellable, rotated_cb, task);
}

static void
rotate_response_cb (AdwMessageDialog     *dialog,
                    const char           *response,
                    QuorumDevelopersPage *self)
{
  GtkDropDown *grace = g_object_get_data (G_OBJECT (dialog), "grace");
  KeyOp *op = g_object_get_data (G_OBJECT (dialog), "op");

  if (g_str_equal (response, "rotate"))
    {
      op->grace = grace_seconds[MIN (gtk_drop_down_get_selected (grace), G_N_ELEMENTS (grace_seconds) - 1)];
      send_rotate (self, op);
    }
}

static void
rotate_key_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  QuorumDevelopersPage *self = QUORUM_DEVELOPERS_PAGE (widget);
  const char *id, *name;
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *box, *label, *grace;
  const char *choices[] = {
    _("Stop it now"), _("Keep it working for 1 hour"), _("Keep it working for 1 day"),
    _("Keep it working for 7 days"), NULL,
  };

  if (!_quorum_developers_page_can_manage (self))
    return;
  g_variant_get (parameter, "(&s&s)", &id, &name);

  heading = g_strdup_printf (_("Rotate “%s”?"), name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window_of (self), heading,
                                                       _("A new key with the same name and scopes replaces this one. "
                                                         "Choose how long the old key keeps working, so that what "
                                                         "uses it can move to the new one.")));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  label = gtk_label_new (_("The old key"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  grace = gtk_drop_down_new_from_strings (choices);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (grace), 2);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (grace), GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), grace);
  adw_message_dialog_set_extra_child (dialog, box);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "rotate", _("_Rotate"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "rotate", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "rotate");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data (G_OBJECT (dialog), "grace", grace);
  g_object_set_data_full (G_OBJECT (dialog), "op", key_op_new (id, name, 0), key_op_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (rotate_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void send_revoke (QuorumDevelopersPage *self,
                         KeyOp                *op);

static void
revoke_again (gpointer object,
              gpointer data)
{
  send_revoke (object, data);
}

static void
revoked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QuorumDevelopersPage *self = g_task_get_source_object (task);
  KeyOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  guint position;

  if (!quorum_client_revoke_api_key_finish (QUORUM_CLIENT (object), result, &error))
    {
      g_autofree char *context = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Already gone: what was wanted. */
      if (!g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_NOT_FOUND))
        {
          context = g_strdup_printf (_("Could not revoke the key “%s”"), op->name);
          toast_error (self, context, error,
                       quorum_weak_call_new (self, revoke_again, key_op_new (op->id, op->name, 0), key_op_free));
          return;
        }
    }
  if (_quorum_developers_page_find_key (self, op->id, &position))
    g_list_store_remove (self->keys, position);
  {
    g_autofree char *text = g_strdup_printf (_("Revoked “%s”"), op->name);

    toast (self, text);
  }
  changed (self);
}

static void
send_revoke (QuorumDevelopersPage *self,
             KeyOp                *op)
{
  GTask *task;

  if (!_quorum_developers_page_can_manage (self))
    return;
  task = g_task_new (self, NULL, NULL, NULL);
  g_task_set_task_data (task, key_op_new (op->id, op->name, 0), key_op_free);
  quorum_client_revoke_api_key_async (self->client, quorum_organization_get_id (self->organization),
                                      op->id, self->cancellable, revoked_cb, task);
}

static void
revoke_response_cb (AdwMessageDialog     *dialog,
                    const char           *response,
                    QuorumDevelopersPage *self)
{
  if (g_str_equal (response, "revoke"))
    send_revoke (self, g_object_get_data (G_OBJECT (dialog), "op"));
}

static void
revoke_key_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  QuorumDevelopersPage *self = QUORUM_DEVELOPERS_PAGE (widget);
  const char *id, *name;
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  if (!_quorum_developers_page_can_manage (self))
    return;
  g_variant_get (parameter, "(&s&s)", &id, &name);

  heading = g_strdup_printf (_("Revoke “%s”?"), name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window_of (self), heading,
                                                       _("Anything that uses this key stops working at once. "
                                                         "This cannot be undone.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "revoke", _("Re_voke"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "revoke", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "op", key_op_new (id, name, 0), key_op_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (revoke_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Webhooks */

static void
webhook_added_cb (QuorumDevelopersPage *self,
                  QuorumWebhook        *webhook)
{
  show_webhook_secret (self, webhook);
  _quorum_developers_page_put_webhook (self, webhook);
  changed (self);
}

static void
webhook_saved_cb (QuorumDevelopersPage *self,
                  QuorumWebhook        *webhook)
{
  _quorum_developers_page_put_webhook (self, webhook);
  changed (self);
}

static void
add_webhook_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  QuorumDevelopersPage *self = QUORUM_DEVELOPERS_PAGE (widget);
  QuorumWebhookDialog *dialog;

  if (!_quorum_developers_page_can_manage (self))
    return;
  dialog = quorum_webhook_dialog_new (self->client, self->organization, NULL);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), window_of (self));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (webhook_added_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
edit_webhook_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  QuorumDevelopersPage *self = QUORUM_DEVELOPERS_PAGE (widget);
  QuorumWebhook *webhook;
  QuorumWebhookDialog *dialog;

  if (!_quorum_developers_page_can_manage (self) ||
      !(webhook = _quorum_developers_page_find_webhook (self, g_variant_get_string (parameter, NULL), NULL)))
    return;
  dialog = quorum_webhook_dialog_new (self->client, self->organization, webhook);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), window_of (self));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (webhook_saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  char     *id;
  char     *url;
  gboolean  enabled;
} HookOp;

static void
hook_op_free (gpointer data)
{
  HookOp *op = data;

  g_free (op->id);
  g_free (op->url);
  g_free (op);
}

static void
hook_op_unref (HookOp *op)
{
  hook_op_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HookOp, hook_op_unref)

static HookOp *
hook_op_new (const char *id,
             const char *url,
             gboolean    enabled)
{
  HookOp *op = g_new0 (HookOp, 1);

  op->id = g_strdup (id);
  op->url = g_strdup (url);
  op->enabled = enabled;
  return op;
}

static GTask *
hook_task (QuorumDevelopersPage *self,
           HookOp               *op)
{
  GTask *task = g_task_new (self, NULL, NULL, NULL);

  g_task_set_task_data (task, hook_op_new (op->id, op->url, op->enabled), hook_op_free);
  return task;
}

static void send_enabled (QuorumDevelopersPage *self,
                          HookOp               *op);

static void
enabled_again (gpointer object,
               gpointer data)
{
  send_enabled (object, data);
}

static void
enabled_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QuorumDevelopersPage *self = g_task_get_source_object (task);
  HookOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumWebhook) webhook = NULL;
  QuorumWebhook *shown;

  webhook = quorum_client_update_webhook_finish (QUORUM_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (webhook == NULL)
    {
      const char *context = op->enabled ? _("Could not turn the webhook on") : _("Could not turn the webhook off");

      /* The row again as it was: the switch shows the server's state. */
      if ((shown = _quorum_developers_page_find_webhook (self, op->id, NULL)) != NULL)
        _quorum_developers_page_put_webhook (self, shown);
      toast_error (self, context, error,
                   quorum_weak_call_new (self, enabled_again, hook_op_new (op->id, op->url, op->enabled),
                                         hook_op_free));
      return;
    }
  _quorum_developers_page_put_webhook (self, webhook);
  changed (self);
}

static void
send_enabled (QuorumDevelopersPage *self,
              HookOp               *op)
{
  if (!_quorum_developers_page_can_manage (self))
    return;
  quorum_client_update_webhook_async (self->client, quorum_organization_get_id (self->organization), op->id,
                                      NULL, NULL, NULL, NULL,
                                      op->enabled ? QUORUM_WEBHOOK_ENABLE : QUORUM_WEBHOOK_DISABLE,
                                      self->cancellable, enabled_cb, hook_task (self, op));
}

static void
set_webhook_enabled_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  QuorumDevelopersPage *self = QUORUM_DEVELOPERS_PAGE (widget);
  g_autoptr(HookOp) op = NULL;
  const char *id;
  gboolean enabled;

  g_variant_get (parameter, "(&sb)", &id, &enabled);
  op = hook_op_new (id, NULL, enabled);
  send_enabled (self, op);
}

static void
tested_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QuorumDevelopersPage *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumDelivery) delivery = NULL;

  delivery = quorum_client_test_webhook_finish (QUORUM_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (delivery == NULL)
    toast_error (self, _("Could not send the test"), error, NULL);
  else
    toast (self, _("Test sent. Its result is in the webhook’s deliveries."));
}

static void
test_webhook_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  QuorumDevelopersPage *self = QUORUM_DEVELOPERS_PAGE (widget);
  g_autoptr(HookOp) op = NULL;

  if (!_quorum_developers_page_can_manage (self))
    return;
  op = hook_op_new (g_variant_get_string (parameter, NULL), NULL, FALSE);
  quorum_client_test_webhook_async (self->client, quorum_organization_get_id (self->organization), op->id,
                                    self->cancellable, tested_cb, hook_task (self, op));
}

static void
show_deliveries_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  QuorumDevelopersPage *self = QUORUM_DEVELOPERS_PAGE (widget);
  QuorumWebhook *webhook;
  QuorumDeliveriesDialog *dialog;

  if (!_quorum_developers_page_can_manage (self) ||
      !(webhook = _quorum_developers_page_find_webhook (self, g_variant_get_string (parameter, NULL), NULL)))
    return;
  dialog = quorum_deliveries_dialog_new (self->client, self->organization, webhook);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), window_of (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
rolled_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QuorumDevelopersPage *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumWebhook) webhook = NULL;

  webhook = quorum_client_roll_webhook_secret_finish (QUORUM_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (webhook == NULL)
    {
      toast_error (self, _("Could not roll the signing secret"), error, NULL);
      return;
    }
  show_webhook_secret (self, webhook);
  _quorum_developers_page_put_webhook (self, webhook);
  changed (self);
}

static void
deleted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QuorumDevelopersPage *self = g_task_get_source_object (task);
  HookOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  guint position;

  if (!quorum_client_delete_webhook_finish (QUORUM_CLIENT (object), result, &error) &&
      !g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_NOT_FOUND))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast_error (self, _("Could not delete the webhook"), error, NULL);
      return;
    }
  if (_quorum_developers_page_find_webhook (self, op->id, &position))
    g_list_store_remove (self->webhooks, position);
  toast (self, _("Webhook deleted"));
  changed (self);
}

static void
webhook_confirm_response_cb (AdwMessageDialog     *dialog,
                             const char           *response,
                             QuorumDevelopersPage *self)
{
  HookOp *op = g_object_get_data (G_OBJECT (dialog), "op");
  const char *org_id;

  if (!_quorum_developers_page_can_manage (self))
    return;
  org_id = quorum_organization_get_id (self->organization);
  if (g_str_equal (response, "roll"))
    quorum_client_roll_webhook_secret_async (self->client, org_id, op->id, self->cancellable,
                                             rolled_cb, hook_task (self, op));
  else if (g_str_equal (response, "delete"))
    quorum_client_delete_webhook_async (self->client, org_id, op->id, self->cancellable,
                                        deleted_cb, hook_task (self, op));
}

/* Asks before @response ("roll", "delete") on the webhook of @id, @url. */
static void
confirm_webhook (QuorumDevelopersPage *self,
                 const char           *id,
                 const char           *url,
                 const char           *heading,
                 const char           *body,
                 const char           *response,
                 const char           *label,
                 AdwResponseAppearance appearance)
{
  AdwMessageDialog *dialog;

  if (!_quorum_developers_page_can_manage (self))
    return;
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window_of (self), heading, body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), response, label, NULL);
  adw_message_dialog_set_response_appearance (dialog, response, appearance);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "op", hook_op_new (id, url, FALSE), hook_op_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (webhook_confirm_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
roll_webhook_secret_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  const char *id, *url;
  g_autofree char *body = NULL;

  g_variant_get (parameter, "(&s&s)", &id, &url);
  body = g_strdup_printf (_("Deliveries to %s are signed with a new secret from now on. The receiver must "
                            "be given the new one, or it will refuse them."), url);
  confirm_webhook (QUORUM_DEVELOPERS_PAGE (widget), id, url, _("Roll the Signing Secret?"), body,
                   "roll", _("_Roll Secret"), ADW_RESPONSE_SUGGESTED);
}

static void
delete_webhook_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  const char *id, *url;
  g_autofree char *body = NULL;

  g_variant_get (parameter, "(&s&s)", &id, &url);
  body = g_strdup_printf (_("Nothing more is sent to %s, and its delivery log goes with it."), url);
  confirm_webhook (QUORUM_DEVELOPERS_PAGE (widget), id, url, _("Delete the Webhook?"), body,
                   "delete", _("_Delete"), ADW_RESPONSE_DESTRUCTIVE);
}

void
_quorum_developers_page_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "developers.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "developers.retry-audit", NULL, retry_audit_action);
  gtk_widget_class_install_action (widget_class, "developers.create-key", NULL, create_key_action);
  gtk_widget_class_install_action (widget_class, "developers.rotate-key", "(ss)", rotate_key_action);
  gtk_widget_class_install_action (widget_class, "developers.revoke-key", "(ss)", revoke_key_action);
  gtk_widget_class_install_action (widget_class, "developers.add-webhook", NULL, add_webhook_action);
  gtk_widget_class_install_action (widget_class, "developers.edit-webhook", "s", edit_webhook_action);
  gtk_widget_class_install_action (widget_class, "developers.set-webhook-enabled", "(sb)",
                                   set_webhook_enabled_action);
  gtk_widget_class_install_action (widget_class, "developers.test-webhook", "s", test_webhook_action);
  gtk_widget_class_install_action (widget_class, "developers.show-deliveries", "s", show_deliveries_action);
  gtk_widget_class_install_action (widget_class, "developers.roll-webhook-secret", "(ss)",
                                   roll_webhook_secret_action);
  gtk_widget_class_install_action (widget_class, "developers.delete-webhook", "(ss)", delete_webhook_action);
}
