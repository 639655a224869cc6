/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-invite-dialog.h"
#include "quorum-members-page-private.h"

/*
 * The Members page's actions. A row's menu items (member.*, invitation.*)
 * forward to these with the item's id and the name shown for it, so the
 * same action runs again for Retry; each checks quorum_role_can itself.
 */

typedef enum
{
  CHANGE_ROLE,
  SUSPEND,
  REACTIVATE,
} MemberUpdate;

typedef struct
{
  QuorumMembersPage *self;
  const char        *action_name;  /* as installed */
  GVariant          *parameter;
  const char        *id;           /* in parameter */
  const char        *label;        /* in parameter */
  MemberUpdate       update;
} ActionCall;

static ActionCall *
action_call_new (QuorumMembersPage *self,
                 const char        *action_name,
                 GVariant          *parameter)
{
  ActionCall *call = g_new0 (ActionCall, 1);

  call->self = g_object_ref (self);
  call->action_name = g_intern_string (action_name);
  call->parameter = g_variant_ref_sink (parameter);
  g_variant_get_child (call->parameter, 0, "&s", &call->id);
  g_variant_get_child (call->parameter, 1, "&s", &call->label);
  return call;
}

static void
action_call_free (ActionCall *call)
{
  g_object_unref (call->self);
  g_variant_unref (call->parameter);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ActionCall, action_call_free)

static void
action_call_closure_free (gpointer  data,
                          GClosure *closure)
{
  action_call_free (data);
}

static gboolean
can (QuorumMembersPage *self,
     QuorumPermission   permission)
{
  return self->client != NULL && self->organization != NULL && self->cancellable != NULL &&
         quorum_role_can (self->role, permission);
}

static const char *
organization_id (QuorumMembersPage *self)
{
  return quorum_organization_get_id (self->organization);
}

/* Retry: @again is ("(sv)": the action's name, its parameter). */
static void
again_run (gpointer self,
           gpointer again)
{
  const char *action_name;
  g_autoptr(GVariant) parameter = NULL;

  g_variant_get (again, "(&sv)", &action_name, &parameter);
  gtk_widget_activate_action_variant (self, action_name, parameter);
}

static void
action_failed (ActionCall   *call,
               const GError *error,
               const char   *what)
{
  g_autofree char *message = NULL;
  GVariant *again = g_variant_ref_sink (g_variant_new ("(sv)", call->action_name, call->parameter));

  message = quorum_error_compose (what, error);
  _quorum_members_page_show_error (call->self, message,
                                   quorum_weak_call_new (call->self, again_run, again,
                                                         (GDestroyNotify) g_variant_unref));
}

/* Members */

static void
update_member_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ActionCall) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumMember) member = NULL;
  g_autofree char *text = NULL;

  member = quorum_client_update_member_finish (QUORUM_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (member == NULL)
    {
      switch (call->update)
        {
        case CHANGE_ROLE:
          text = g_strdup_printf (_("Could not change the role of %s"), call->label);
          break;
        case SUSPEND:
          text = g_strdup_printf (_("Could not suspend %s"), call->label);
          break;
        case REACTIVATE:
        default:
          text = g_strdup_printf (_("Could not reactivate %s"), call->label);
        }
      action_failed (call, error, text);
      return;
    }

  if (call->self->roster != NULL)
    quorum_member_roster_replace_member (call->self->roster, member);

  switch (call->update)
    {
    case CHANGE_ROLE:
      text = g_strdup_printf (quorum_member_get_role (member) == QUORUM_ROLE_ADMIN
                              ? _("%s is now an admin") : _("%s is now a member"), call->label);
      break;
    case SUSPEND:
      text = g_strdup_printf (_("%s is suspended"), call->label);
      break;
    case REACTIVATE:
    default:
      text = g_strdup_printf (_("%s is active again"), call->label);
    }
  _quorum_members_page_show_notice (call->self, text);
}

static void
update_member (QuorumMembersPage *self,
               const char        *action_name,
               GVariant          *parameter,
               MemberUpdate       update,
               QuorumRole         role,
               const char        *status)
{
  ActionCall *call = action_call_new (self, action_name, parameter);

  call->update = update;
  quorum_client_update_member_async (self->client, organization_id (self), call->id, role, status,
                                     self->cancellable, update_member_cb, call);
}

/* members.change-role ("(sss)": member id, name, new role) */
static void
change_role_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  QuorumMembersPage *self = QUORUM_MEMBERS_PAGE (widget);
  const char *role = NULL;

  g_variant_get_child (parameter, 2, "&s", &role);
  if (can (self, QUORUM_PERMISSION_CHANGE_ROLE) &&
      quorum_role_is_assignable (quorum_role_from_string (role)))
    update_member (self, action_name, parameter, CHANGE_ROLE, quorum_role_from_string (role), NULL);
}

/* members.suspend and members.reactivate ("(ss)": member id, name) */
static void
suspend_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  QuorumMembersPage *self = QUORUM_MEMBERS_PAGE (widget);

  if (can (self, QUORUM_PERMISSION_MANAGE_MEMBERS))
    update_member (self, action_name, parameter, SUSPEND, QUORUM_ROLE_NONE, "suspended");
}

static void
reactivate_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  QuorumMembersPage *self = QUORUM_MEMBERS_PAGE (widget);

  if (can (self, QUORUM_PERMISSION_MANAGE_MEMBERS))
    update_member (self, action_name, parameter, REACTIVATE, QUORUM_ROLE_NONE, "active");
}

static void
remove_member_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ActionCall) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!quorum_client_remove_member_finish (QUORUM_CLIENT (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("Could not remove %s"), call->label);
      action_failed (call, error, text);
      return;
    }

  if (call->self->roster != NULL)
    quorum_member_roster_remove_member (call->self->roster, call->id);
  text = g_strdup_printf (_("%s was removed"), call->label);
  _quorum_members_page_show_notice (call->self, text);
}

static void
confirm_remove_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   ActionCall       *call)
{
  QuorumMembersPage *self = call->self;

  if (g_str_equal (response, "remove") && can (self, QUORUM_PERMISSION_MANAGE_MEMBERS))
    quorum_client_remove_member_async (self->client, organization_id (self), call->id,
                                       self->cancellable, remove_member_cb,
                                       action_call_new (self, call->action_name, call->parameter));
}

/* members.remove ("(ss)": member id, name), after the user agreed */
static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  QuorumMembersPage *self = QUORUM_MEMBERS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  ActionCall *call;
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  if (!can (self, QUORUM_PERMISSION_MANAGE_MEMBERS))
    return;

  call = action_call_new (self, action_name, parameter);
  /* Translators: %s is a person's name */
  heading = g_strdup_printf (_("Remove %s?"), call->label);
  body = g_strdup_printf (_("They will lose access to %s at once. What they created stays."),
                          quorum_organization_get_name (self->organization));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       heading, body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (confirm_remove_cb),
                         call, action_call_closure_free, 0);
  g_set_weak_pointer (&self->confirm_dialog, GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Invitations */

static gboolean
same_invitation (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (quorum_invitation_get_id ((QuorumInvitation *) a),
                    quorum_invitation_get_id ((QuorumInvitation *) b)) == 0;
}

static void
resend_invitation_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(ActionCall) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumInvitation) invitation = NULL;
  g_autofree char *text = NULL;
  guint position;

  invitation = quorum_client_resend_invitation_finish (QUORUM_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (invitation == NULL)
    {
      text = g_strdup_printf (_("Could not resend the invitation to %s"), call->label);
      action_failed (call, error, text);
      return;
    }

  if (g_list_store_find_with_equal_func (call->self->invitations, invitation, same_invitation, &position))
    g_list_store_splice (call->self->invitations, position, 1, (gpointer *) &invitation, 1);
  if (call->self->roster != NULL)
    quorum_member_roster_replace_invitation (call->self->roster, invitation);
  text = g_strdup_printf (_("Invitation sent again to %s"), call->label);
  _quorum_members_page_show_notice (call->self, text);
}

/* members.resend-invitation ("(ss)": invitation id, e-mail) */
static void
resend_invitation_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  QuorumMembersPage *self = QUORUM_MEMBERS_PAGE (widget);
  ActionCall *call;

  if (!can (self, QUORUM_PERMISSION_MANAGE_INVITATIONS))
    return;
  call = action_call_new (self, action_name, parameter);
  quorum_client_resend_invitation_async (self->client, organization_id (self), call->id,
                                         self->cancellable, resend_invitation_cb, call);
}

static void
revoke_invitation_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(ActionCall) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  if (!quorum_client_revoke_invitation_finish (QUORUM_CLIENT (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("Could not revoke the invitation to %s"), call->label);
      action_failed (call, error, text);
      return;
    }

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (call->self->invitations)); i++)
    {
      g_autoptr(QuorumInvitation) invitation = g_list_model_get_item (G_LIST_MODEL (call->self->invitations), i);

      if (g_strcmp0 (quorum_invitation_get_id (invitation), call->id) == 0)
        {
          g_list_store_remove (call->self->invitations, i);
          break;
        }
    }
  if (call->self->roster != NULL)
    quorum_member_roster_remove_invitation (call->self->roster, call->id);
  _quorum_members_page_update_state (call->self);
  text = g_strdup_printf (_("Invitation to %s revoked"), call->label);
  _quorum_members_page_show_notice (call->self, text);
}

/* members.revoke-invitation ("(ss)": invitation id, e-mail) */
static void
revoke_invitation_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  QuorumMembersPage *self = QUORUM_MEMBERS_PAGE (widget);
  ActionCall *call;

  if (!can (self, QUORUM_PERMISSION_MANAGE_INVITATIONS))
    return;
  call = action_call_new (self, action_name, parameter);
  quorum_client_revoke_invitation_async (self->client, organization_id (self), call->id,
                                         self->cancellable, revoke_invitation_cb, call);
}

static void
invited_cb (QuorumMembersPage *self,
            QuorumInvitation  *invitation)
{
  g_autofree char *text = NULL;

  g_list_store_insert (self->invitations, 0, invitation);

  text = g_strdup_printf (_("Invitation sent to %s"), quorum_invitation_get_email (invitation));
  _quorum_members_page_show_notice (self, text);
}

/* members.invite */
static void
invite_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  QuorumMembersPage *self = QUORUM_MEMBERS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  QuorumInviteDialog *dialog;

  if (!can (self, QUORUM_PERMISSION_MANAGE_INVITATIONS))
    return;
  if (self->invite_dialog != NULL)
    {
      gtk_window_present (self->invite_dialog);
      return;
    }

  dialog = quorum_invite_dialog_new (self->client, self->organization);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));
  g_signal_connect_object (dialog, "invited", G_CALLBACK (invited_cb), self, G_CONNECT_SWAPPED);
  g_set_weak_pointer (&self->invite_dialog, GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* members.focus-search (Ctrl+F) */
static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  quorum_members_page_focus_search (QUORUM_MEMBERS_PAGE (widget));
}

void
_quorum_members_page_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "members.change-role", "(sss)", change_role_action);
  gtk_widget_class_install_action (widget_class, "members.suspend", "(ss)", suspend_action);
  gtk_widget_class_install_action (widget_class, "members.reactivate", "(ss)", reactivate_action);
  gtk_widget_class_install_action (widget_class, "members.remove", "(ss)", remove_action);
  gtk_widget_class_install_action (widget_class, "members.resend-invitation", "(ss)", resend_invitation_action);
  gtk_widget_class_install_action (widget_class, "members.revoke-invitation", "(ss)", revoke_invitation_action);
  gtk_widget_class_install_action (widget_class, "members.invite", NULL, invite_action);
  gtk_widget_class_install_action (widget_class, "members.focus-search", NULL, focus_search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "members.focus-search", NULL);
}
