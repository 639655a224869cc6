/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-member-roster.h"

/*
 * What the Members page lists: the pending invitations first, then the
 * members as QuorumMemberList pages them in. The member list's own
 * items_changed pass through shifted by the number of invitations, so the
 * view only ever rebinds what changed and pages keep loading on demand.
 *
 * Changes the user makes are shown at once without reloading 100,000 rows:
 * an updated member replaces the loaded one (looked up by id when the row is
 * read), a removed one is skipped (a short sorted list of hidden positions
 * of the underlying list). Both are forgotten when the member list starts
 * over, since the server's answer then already reflects them.
 */

struct _QuorumMemberRoster
{
  GObject           parent_instance;

  QuorumMemberList *members;
  GPtrArray        *invitations;  /* QuorumInvitation */
  GHashTable       *replaced;     /* member id → QuorumMember */
  GArray           *hidden;       /* sorted guint positions in members */
};

static void quorum_member_roster_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (QuorumMemberRoster, quorum_member_roster, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, quorum_member_roster_model_init))

/* Hidden positions below @position. */
static guint
hidden_before (QuorumMemberRoster *self,
               guint               position)
{
  guint n = 0;

  for (guint i = 0; i < self->hidden->len; i++)
    {
      if (g_array_index (self->hidden, guint, i) >= position)
        break;
      n++;
    }
  return n;
}

/* The position in the member list of the @index-th visible member. */
static guint
visible_to_member_position (QuorumMemberRoster *self,
                            guint               index)
{
  guint position = index;

  for (guint i = 0; i < self->hidden->len; i++)
    {
      if (g_array_index (self->hidden, guint, i) <= position)
        position++;
      else
        break;
    }
  return position;
}

static guint
n_visible_members (QuorumMemberRoster *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->members));

  return n - MIN (n, self->hidden->len);
}

static GType
quorum_member_roster_get_item_type (GListModel *model)
{
  return G_TYPE_OBJECT;
}

static guint
quorum_member_roster_get_n_items (GListModel *model)
{
  QuorumMemberRoster *self = QUORUM_MEMBER_ROSTER (model);

  return self->invitations->len + n_visible_members (self);
}

static gpointer
quorum_member_roster_get_item (GListModel *model,
                               guint       position)
{
  QuorumMemberRoster *self = QUORUM_MEMBER_ROSTER (model);
  g_autoptr(QuorumMember) member = NULL;
  QuorumMember *replacement;

  if (position < self->invitations->len)
    return g_object_ref (g_ptr_array_index (self->invitations, position));

  position -= self->invitations->len;
  if (position >= n_visible_members (self))
    return NULL;

  member = g_list_model_get_item (G_LIST_MODEL (self->members),
                                  visible_to_member_position (self, position));
  if (member == NULL)
    return NULL;

  replacement = g_hash_table_lookup (self->replaced, quorum_member_get_id (member));
  if (replacement != NULL)
    return g_object_ref (replacement);
  return g_steal_pointer (&member);
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
  guint hidden_removed = 0;
  guint offset = self->invitations->len;
  guint visible_position;

  if (position == 0 && added == 0)
    {
      /* The list started over: the server's next answer has our changes. */
      removed -= MIN (removed, self->hidden->len);
      g_array_set_size (self->hidden, 0);
      g_hash_table_remove_all (self->replaced);
      if (removed > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), offset, removed, 0);
      return;
    }

  visible_position = position - hidden_before (self, position);

  for (guint i = 0; i < self->hidden->len;)
    {
      guint *hidden = &g_array_index (self->hidden, guint, i);

      if (*hidden < position)
        i++;
      else if (*hidden < position + removed)
        {
          hidden_removed++;
          g_array_remove_index (self->hidden, i);
        }
      else
        {
          *hidden = *hidden + added - removed;
          i++;
        }
    }

  g_list_model_items_changed (G_LIST_MODEL (self), offset + visible_position,
                              removed - hidden_removed, added);
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
  g_clear_pointer (&self->replaced, g_hash_table_unref);
  g_clear_pointer (&self->hidden, g_array_unref);

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
  self->replaced = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->hidden = g_array_new (FALSE, FALSE, sizeof (guint));
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

/* The visible index (among members) of the loaded member @id, or FALSE. */
static gboolean
find_member (QuorumMemberRoster *self,
             const char         *id,
             guint              *visible_index,
             guint              *member_position)
{
  GListModel *members = G_LIST_MODEL (self->members);
  guint n = g_list_model_get_n_items (members);
  guint hidden_index = 0;
  guint visible = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(QuorumMember) member = NULL;

      if (hidden_index < self->hidden->len && g_array_index (self->hidden, guint, hidden_index) == i)
        {
          hidden_index++;
          continue;
        }
      /* Reading loaded items never fetches more except near the end, which
       * only appends. */
      member = g_list_model_get_item (members, i);
      if (member != NULL && g_strcmp0 (quorum_member_get_id (member), id) == 0)
        {
          *visible_index = visible;
          *member_position = i;
          return TRUE;
        }
      visible++;
    }
  return FALSE;
}

void
quorum_member_roster_replace_member (QuorumMemberRoster *self,
                                     QuorumMember       *member)
{
  guint visible;
  guint position;

  g_return_if_fail (QUORUM_IS_MEMBER_ROSTER (self));
  g_return_if_fail (QUORUM_IS_MEMBER (member));

  g_hash_table_replace (self->replaced, g_strdup (quorum_member_get_id (member)), g_object_ref (member));
  if (find_member (self, quorum_member_get_id (member), &visible, &position))
    g_list_model_items_changed (G_LIST_MODEL (self), self->invitations->len + visible, 1, 1);
}

void
quorum_member_roster_remove_member (QuorumMemberRoster *self,
                                    const char         *member_id)
{
  guint visible;
  guint position;
  guint i;

  g_return_if_fail (QUORUM_IS_MEMBER_ROSTER (self));

  if (!find_member (self, member_id, &visible, &position))
    return;

  for (i = 0; i < self->hidden->len; i++)
    if (g_array_index (self->hidden, guint, i) > position)
      break;
  g_array_insert_val (self->hidden, i, position);
  g_list_model_items_changed (G_LIST_MODEL (self), self->invitations->len + visible, 1, 0);
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
