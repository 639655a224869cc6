/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-member-row.h"
#include "quorum-utils-private.h"

/*
 * One line of the Members page: a member or a pending invitation. The menu
 * offers only what the caller's role allows (quorum_role_can), never anything
 * on the owner, never a role change, suspension or removal of oneself. The
 * few possible menus are built once and shared by every row.
 */

struct _QuorumMemberRow
{
  GtkWidget       parent_instance;

  GObject        *item;

  GtkWidget      *box;
  AdwAvatar      *avatar;
  GtkLabel       *title_label;
  GtkLabel       *subtitle_label;
  GtkImage       *suspended_indicator;
  GtkLabel       *status_label;
  GtkLabel       *activity_label;
  GtkLabel       *role_badge;
  GtkWidget      *menu_slot;
  GtkMenuButton  *menu_button;
  GMenuModel     *menu;           /* shared; the popover is built on first use */
};

G_DEFINE_FINAL_TYPE (QuorumMemberRow, quorum_member_row, GTK_TYPE_WIDGET)

static void create_popup (GtkMenuButton *button,
                          gpointer       user_data);

typedef enum
{
  MENU_MEMBER_ROLE          = 1 << 0,  /* change role offered */
  MENU_MEMBER_MANAGE        = 1 << 1,  /* suspend/reactivate and remove offered */
  MENU_MEMBER_IS_ADMIN      = 1 << 2,
  MENU_MEMBER_IS_SUSPENDED  = 1 << 3,
  MENU_INVITATION           = 1 << 4,
  N_MENU_KINDS              = 1 << 5,
} MenuKind;

static GMenuModel *menus[N_MENU_KINDS];

static GMenuModel *
get_menu (MenuKind kind)
{
  GMenu *menu;

  if (menus[kind] != NULL)
    return menus[kind];

  menu = g_menu_new ();
  if (kind & MENU_INVITATION)
    {
      g_menu_append (menu, _("_Resend Invitation"), "invitation.resend");
      g_menu_append (menu, _("Re_voke Invitation"), "invitation.revoke");
    }
  else
    {
      g_autoptr(GMenu) section = g_menu_new ();

      if (kind & MENU_MEMBER_ROLE)
        {
          if (kind & MENU_MEMBER_IS_ADMIN)
            g_menu_append (menu, _("Make _Member"), "member.change-role::member");
          else
            g_menu_append (menu, _("Make _Admin"), "member.change-role::admin");
        }
      if (kind & MENU_MEMBER_MANAGE)
        {
          if (kind & MENU_MEMBER_IS_SUSPENDED)
            g_menu_append (menu, _("_Reactivate"), "member.reactivate");
          else
            g_menu_append (menu, _("_Suspend"), "member.suspend");
          g_menu_append (section, _("Re_move from Organization…"), "member.remove");
          g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
        }
    }
  menus[kind] = G_MENU_MODEL (menu);
  return menus[kind];
}

/*
 * The menus are shared by every row, so their items name the row's own
 * actions; each hands the page's action (members.*) the item's id and name.
 */
static void
forward (GtkWidget  *widget,
         GType       type,
         const char *page_action,
         const char *role)
{
  QuorumMemberRow *self = QUORUM_MEMBER_ROW (widget);
  const char *id;
  const char *label;

  if (!G_TYPE_CHECK_INSTANCE_TYPE (self->item, type))
    return;
  if (QUORUM_IS_INVITATION (self->item))
    {
      id = quorum_invitation_get_id (QUORUM_INVITATION (self->item));
      label = quorum_invitation_get_email (QUORUM_INVITATION (self->item));
    }
  else
    {
      QuorumMember *member = QUORUM_MEMBER (self->item);

      if (quorum_member_is_placeholder (member))
        return;
      id = quorum_member_get_id (member);
      label = quorum_member_get_name (member);
      if (label == NULL || *label == '\0')
        label = quorum_member_get_email (member);
    }

  if (role != NULL)
    gtk_widget_activate_action (widget, page_action, "(sss)", id, label, role);
  else
    gtk_widget_activate_action (widget, page_action, "(ss)", id, label);
}

static void
change_role_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  forward (widget, QUORUM_TYPE_MEMBER, "members.change-role", g_variant_get_string (parameter, NULL));
}

static void
suspend_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  forward (widget, QUORUM_TYPE_MEMBER, "members.suspend", NULL);
}

static void
reactivate_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  forward (widget, QUORUM_TYPE_MEMBER, "members.reactivate", NULL);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  forward (widget, QUORUM_TYPE_MEMBER, "members.remove", NULL);
}

static void
resend_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  forward (widget, QUORUM_TYPE_INVITATION, "members.resend-invitation", NULL);
}

static void
revoke_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  forward (widget, QUORUM_TYPE_INVITATION, "members.revoke-invitation", NULL);
}

static void
quorum_member_row_dispose (GObject *object)
{
  QuorumMemberRow *self = QUORUM_MEMBER_ROW (object);

  g_clear_object (&self->item);
  gtk_widget_dispose_template (GTK_WIDGET (self), QUORUM_TYPE_MEMBER_ROW);

  G_OBJECT_CLASS (quorum_member_row_parent_class)->dispose (object);
}

static void
quorum_member_row_class_init (QuorumMemberRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = quorum_member_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/quorum-member-row.ui");
  gtk_widget_class_bind_template_child (widget_class, QuorumMemberRow, box);
  gtk_widget_class_bind_template_child (widget_class, QuorumMemberRow, avatar);
  gtk_widget_class_bind_template_child (widget_class, QuorumMemberRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumMemberRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumMemberRow, suspended_indicator);
  gtk_widget_class_bind_template_child (widget_class, QuorumMemberRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumMemberRow, activity_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumMemberRow, role_badge);
  gtk_widget_class_bind_template_child (widget_class, QuorumMemberRow, menu_slot);
  gtk_widget_class_bind_template_child (widget_class, QuorumMemberRow, menu_button);

  gtk_widget_class_install_action (widget_class, "member.change-role", "s", change_role_action);
  gtk_widget_class_install_action (widget_class, "member.suspend", NULL, suspend_action);
  gtk_widget_class_install_action (widget_class, "member.reactivate", NULL, reactivate_action);
  gtk_widget_class_install_action (widget_class, "member.remove", NULL, remove_action);
  gtk_widget_class_install_action (widget_class, "invitation.resend", NULL, resend_action);
  gtk_widget_class_install_action (widget_class, "invitation.revoke", NULL, revoke_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "quorummemberrow");
}

static void
quorum_member_row_init (QuorumMemberRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_create_popup_func (self->menu_button, create_popup, self, NULL);
}

GtkWidget *
quorum_member_row_new (void)
{
  return g_object_new (QUORUM_TYPE_MEMBER_ROW, NULL);
}

GObject *
quorum_member_row_get_item (QuorumMemberRow *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER_ROW (self), NULL);

  return self->item;
}

static void
set_menu (QuorumMemberRow *self,
          QuorumRole       caller_role,
          int              kind)
{
  gboolean can_manage_anything = quorum_role_can (caller_role, QUORUM_PERMISSION_CHANGE_ROLE) ||
                                 quorum_role_can (caller_role, QUORUM_PERMISSION_MANAGE_MEMBERS) ||
                                 quorum_role_can (caller_role, QUORUM_PERMISSION_MANAGE_INVITATIONS);
  GMenuModel *menu = kind >= 0 ? get_menu ((MenuKind) kind) : NULL;

  /* The slot keeps badges aligned when only some rows have a menu. */
  gtk_widget_set_visible (self->menu_slot, can_manage_anything);
  gtk_widget_set_visible (GTK_WIDGET (self->menu_button), menu != NULL);
  if (self->menu != menu)
    {
      self->menu = menu;
      /* Drop a popover built for another menu; create_popup() builds the
       * right one when the button is used, not for every row scrolled by. */
      if (gtk_menu_button_get_menu_model (self->menu_button) != NULL)
        gtk_menu_button_set_menu_model (self->menu_button, NULL);
    }
}

static void
create_popup (GtkMenuButton *button,
              gpointer       user_data)
{
  QuorumMemberRow *self = user_data;

  if (self->menu != NULL)
    gtk_menu_button_set_menu_model (button, self->menu);
}

/**
 * quorum_member_row_bind:
 * @item: a #QuorumMember or a pending #QuorumInvitation
 * @caller_role: the signed-in user's role in the organization
 * @caller_user_id: (nullable): the signed-in user's id, to recognize oneself
 */
void
quorum_member_row_bind (QuorumMemberRow *self,
                        GObject         *item,
                        QuorumRole       caller_role,
                        const char      *caller_user_id)
{
  g_autofree char *accessible = NULL;
  g_autofree char *menu_label = NULL;
  g_autofree char *activity = NULL;  /* members only */
  const char *title;
  const char *subtitle;
  const char *status;
  QuorumRole role;
  gboolean pending = FALSE;
  gboolean suspended = FALSE;
  gboolean placeholder = FALSE;
  int kind = -1;

  g_return_if_fail (QUORUM_IS_MEMBER_ROW (self));
  g_return_if_fail (QUORUM_IS_MEMBER (item) || QUORUM_IS_INVITATION (item));

  g_set_object (&self->item, item);
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), TRUE);

  if (QUORUM_IS_MEMBER (item) && quorum_member_is_placeholder (QUORUM_MEMBER (item)))
    {
      placeholder = TRUE;
      role = QUORUM_ROLE_NONE;
      status = NULL;
      gtk_label_set_text (self->title_label, _("Loading…"));
      gtk_label_set_text (self->subtitle_label, "");
      adw_avatar_set_text (self->avatar, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), FALSE);
    }
  else if (QUORUM_IS_INVITATION (item))
    {
      QuorumInvitation *invitation = QUORUM_INVITATION (item);
      const char *inviter = quorum_invitation_get_inviter_name (invitation);

      pending = TRUE;
      title = quorum_invitation_get_email (invitation);
      subtitle = inviter != NULL && *inviter != '\0' ? inviter : NULL;
      role = quorum_invitation_get_role (invitation);
      /* Said in the subtitle, not beside the badge: the address needs the
       * width at 360 px. */
      status = NULL;
      if (quorum_role_can (caller_role, QUORUM_PERMISSION_MANAGE_INVITATIONS))
        kind = MENU_INVITATION;

      gtk_label_set_text (self->title_label, title);
      if (subtitle != NULL)
        {
          /* Translators: %s is who sent the invitation */
          g_autofree char *invited_by = g_strdup_printf (_("Invitation pending, sent by %s"), subtitle);
          gtk_label_set_text (self->subtitle_label, invited_by);
        }
      else
        gtk_label_set_text (self->subtitle_label, _("Invitation pending"));
      adw_avatar_set_text (self->avatar, title);
    }
  else
    {
      QuorumMember *member = QUORUM_MEMBER (item);
      gboolean is_self = caller_user_id != NULL &&
                         g_strcmp0 (quorum_member_get_user_id (member), caller_user_id) == 0;
      int member_kind = 0;

      title = quorum_member_get_name (member);
      subtitle = quorum_member_get_email (member);
      role = quorum_member_get_role (member);
      suspended = g_strcmp0 (quorum_member_get_status (member), "suspended") == 0;
      status = suspended ? _("Suspended") : NULL;

      if (role != QUORUM_ROLE_OWNER && !is_self)
        {
          if (quorum_role_can (caller_role, QUORUM_PERMISSION_CHANGE_ROLE))
            member_kind |= MENU_MEMBER_ROLE;
          if (quorum_role_can (caller_role, QUORUM_PERMISSION_MANAGE_MEMBERS))
            member_kind |= MENU_MEMBER_MANAGE;
        }
      if (member_kind != 0)
        {
          if (role == QUORUM_ROLE_ADMIN)
            member_kind |= MENU_MEMBER_IS_ADMIN;
          if (suspended)
            member_kind |= MENU_MEMBER_IS_SUSPENDED;
          kind = member_kind;
        }

      gtk_label_set_text (self->title_label, title != NULL && *title != '\0' ? title : subtitle);
      gtk_label_set_text (self->subtitle_label, subtitle);
      adw_avatar_set_text (self->avatar, title != NULL && *title != '\0' ? title : subtitle);

      {
        GDateTime *last_active = quorum_member_get_last_active_at (member);
        g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
        g_autofree char *when = last_active != NULL ? quorum_format_date_time (last_active) : NULL;

        activity = quorum_format_last_active (last_active, now);
        /* The exact time on hover. */
        gtk_widget_set_tooltip_text (GTK_WIDGET (self->activity_label), when);
      }
    }

  gtk_label_set_text (self->role_badge, quorum_role_get_label (role));
  gtk_widget_set_visible (GTK_WIDGET (self->role_badge), role != QUORUM_ROLE_NONE);
  gtk_label_set_text (self->status_label, status != NULL ? status : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), status != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->suspended_indicator), suspended);
  gtk_label_set_text (self->activity_label, activity != NULL ? activity : "");
  gtk_widget_set_visible (GTK_WIDGET (self->activity_label), activity != NULL);
  if (activity == NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->activity_label), NULL);

  if (pending)
    gtk_widget_add_css_class (GTK_WIDGET (self), "pending-row");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "pending-row");
  if (placeholder)
    gtk_widget_add_css_class (GTK_WIDGET (self), "placeholder-row");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "placeholder-row");

  set_menu (self, caller_role, kind);

  if (placeholder)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Loading"),
                                      -1);
      return;
    }

  accessible = g_strdup_printf ("%s, %s, %s%s%s%s%s",
                                gtk_label_get_text (self->title_label),
                                gtk_label_get_text (self->subtitle_label),
                                quorum_role_get_label (role),
                                status != NULL ? ", " : "",
                                status != NULL ? status : "",
                                activity != NULL ? ", " : "",
                                activity != NULL ? activity : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  /* Translators: the accessible name of a row's menu button, %s a name or e-mail */
  menu_label = g_strdup_printf (_("Actions for %s"), gtk_label_get_text (self->title_label));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, menu_label,
                                  -1);
}

void
quorum_member_row_unbind (QuorumMemberRow *self)
{
  g_return_if_fail (QUORUM_IS_MEMBER_ROW (self));

  g_clear_object (&self->item);
}

gboolean
quorum_member_row_has_menu (QuorumMemberRow *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER_ROW (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self->menu_button)) && self->menu != NULL;
}

GMenuModel *
quorum_member_row_get_menu (QuorumMemberRow *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER_ROW (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->menu_button)) ? self->menu : NULL;
}
