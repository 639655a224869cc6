/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-member-roster.h"

struct _QuorumMemberRoster
{
  GObject           parent_instance;

  QuorumMemberList *members;
  GPtrArray        *invitations;  /* QuorumInvitation */
};

static void quorum_member_roster_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (QuorumMemberRoster, quorum_member_roster, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, quorum_member_roster_model_init))

static GType
quorum_member_roster_get_item_type (GListModel *model)
{
  return G_TYPE_OBJECT;
}

static guint
quorum_member_roster_get_n_items (GListModel *model)
{
  QuorumMemberRoster *self = QUORUM_MEMBER_ROSTER (model);

  return self->invitations->len + g_list_model_get_n_items (G_LIST_MODEL (self->members));
}

static gpointer
quorum_member_roster_get_item (GListModel *model,
                               guint       position)
{
  QuorumMemberRoster *self = QUORUM_MEMBER_ROSTER (model);

  if (position < self->invitations->len)
    return g_object_ref (g_ptr_array_index (self->invitations, position));

  return g_list_model_get_item (G_LIST_MODEL (self->members), position - self->invitations->len);
}

static void
quorum_member_roster_model_init (GListModelInterface *iface)
{
  iface->get_item_type = quorum_member_roster_get_item_type;
  iface->get_n_items = quorum_member_roster_get_n_items;
  iface->get_item = quorum_member_roster_get_item;
}

static void
members_items_changed_cb (QuorumMemberRoster *self,
                          guint               position,
                          guint               removed,
                          guint               added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), self->invitations->len + position, removed, added);
}

static void
quorum_member_roster_dispose (GObject *object)
{
  QuorumMemberRoster *self = QUORUM_MEMBER_ROSTER (object);

  if (self->members != NULL)
    g_signal_handlers_disconnect_by_data (self->members, self);
  g_clear_object (&self->members);

  G_OBJECT_CLASS (quorum_member_roster_parent_class)->dispose (object);
}

static void
quorum_member_roster_finalize (GObject *object)
{
  QuorumMemberRoster *self = QUORUM_MEMBER_ROSTER (object);

  g_clear_pointer (&self->invitations, g_ptr_array_unref);

  G_OBJECT_CLASS (quorum_member_roster_parent_class)->finalize (object);
}

static void
quorum_member_roster_class_init (QuorumMemberRosterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = quorum_member_roster_dispose;
  object_class->finalize = quorum_member_roster_finalize;
}

static void
quorum_member_roster_init (QuorumMemberRoster *self)
{
  self->invitations = g_ptr_array_new_with_free_func (g_object_unref);
}

QuorumMemberRoster *
quorum_member_roster_new (QuorumMemberList *members)
{
  QuorumMemberRoster *self;

  g_return_val_if_fail (QUORUM_IS_MEMBER_LIST (members), NULL);

  self = g_object_new (QUORUM_TYPE_MEMBER_ROSTER, NULL);
  self->members = g_object_ref (members);
  g_signal_connect_swapped (members, "items-changed",
                            G_CALLBACK (members_items_changed_cb), self);
  return self;
}

QuorumMemberList *
quorum_member_roster_get_members (QuorumMemberRoster *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER_ROSTER (self), NULL);

  return self->members;
}

guint
quorum_member_roster_get_n_invitations (QuorumMemberRoster *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER_ROSTER (self), 0);

  return self->invitations->len;
}

/* Replaces every invitation (@invitations may be NULL: none). */
void
quorum_member_roster_set_invitations (QuorumMemberRoster *self,
                                      GPtrArray          *invitations)
{
  guint removed;

  g_return_if_fail (QUORUM_IS_MEMBER_ROSTER (self));

  removed = self->invitations->len;
  g_ptr_array_set_size (self->invitations, 0);
  for (guint i = 0; invitations != NULL && i < invitations->len; i++)
    g_ptr_array_add (self->invitations, g_object_ref (g_ptr_array_index (invitations, i)));

  if (removed > 0 || self->invitations->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->invitations->len);
}

static gboolean
find_invitation (QuorumMemberRoster *self,
                 const char         *id,
                 guint              *position)
{
  for (guint i = 0; i < self->invitations->len; i++)
    {
      if (g_strcmp0 (quorum_invitation_get_id (g_ptr_array_index (self->invitations, i)), id) == 0)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* A new invitation goes first, where the user looks after sending it. */
void
quorum_member_roster_add_invitation (QuorumMemberRoster *self,
                                     QuorumInvitation   *invitation)
{
  guint position;

  g_return_if_fail (QUORUM_IS_MEMBER_ROSTER (self));
  g_return_if_fail (QUORUM_IS_INVITATION (invitation));

  if (find_invitation (self, quorum_invitation_get_id (invitation), &position))
    {
      quorum_member_roster_replace_invitation (self, invitation);
      return;
    }
  g_ptr_array_insert (self->invitations, 0, g_object_ref (invitation));
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, 1);
}

void
quorum_member_roster_replace_invitation (QuorumMemberRoster *self,
                                         QuorumInvitation   *invitation)
{
  guint position;

  g_return_if_fail (QUORUM_IS_MEMBER_ROSTER (self));
  g_return_if_fail (QUORUM_IS_INVITATION (invitation));

  if (!find_invitation (self, quorum_invitation_get_id (invitation), &position))
    return;
  g_object_unref (g_ptr_array_index (self->invitations, position));
  g_ptr_array_index (self->invitations, position) = g_object_ref (invitation);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
}

void
quorum_member_roster_remove_invitation (QuorumMemberRoster *self,
                                        const char         *invitation_id)
{
  guint position;

  g_return_if_fail (QUORUM_IS_MEMBER_ROSTER (self));

  if (!find_invitation (self, invitation_id, &position))
    return;
  g_ptr_array_remove_index (self->invitations, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

void
quorum_member_roster_replace_member (QuorumMemberRoster *self,
                                     QuorumMember       *member)
{
  g_return_if_fail (QUORUM_IS_MEMBER_ROSTER (self));
  g_return_if_fail (QUORUM_IS_MEMBER (member));

  quorum_member_list_replace (self->members, member);
}

void
quorum_member_roster_remove_member (QuorumMemberRoster *self,
                                    const char         *member_id)
{
  g_return_if_fail (QUORUM_IS_MEMBER_ROSTER (self));

  quorum_member_list_remove (self->members, member_id);
}

/* Asks the view to bind every row again (e.g. once the caller is known). */
void
quorum_member_roster_refresh (QuorumMemberRoster *self)
{
  guint n;

  g_return_if_fail (QUORUM_IS_MEMBER_ROSTER (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self));
  if (n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n, n);
}
