/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "quorum-logo.h"
#include "quorum-org-switcher.h"
#include "quorum-utils-private.h"

struct _QuorumOrgSwitcher
{
  GtkWidget           parent_instance;

  GListModel         *organizations;
  GtkFilterListModel *filtered;
  GtkCustomFilter    *filter;
  QuorumOrganization *current;
  QuorumClient       *client;
  GCancellable       *cancellable;
  GListStore         *invitations;
  GHashTable         *announced;   /* ids of invitations already offered in a toast */
  GHashTable         *answering;   /* ids of invitations accepted or declined, awaiting the server */
  guint               reload_serial;

  GtkMenuButton      *button;
  AdwAvatar          *avatar;
  GtkLabel           *name_label;
  GtkPopover         *popover;
  GtkSearchEntry     *search_entry;
  GtkListBox         *list_box;
  GtkLabel           *no_results_label;
  GtkWidget          *invitations_section;
  GtkListBox         *invitation_list;
  GtkLabel           *invitation_error_label;
  GtkLabel           *unverified_label;
  GtkWidget          *invitation_dot;
};

G_DEFINE_FINAL_TYPE (QuorumOrgSwitcher, quorum_org_switcher, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ORGANIZATIONS,
  PROP_CURRENT,
  PROP_CLIENT,
  PROP_COMPACT,
  N_PROPS
};

enum {
  ORGANIZATION_ACTIVATED,
  INVITATION_ACCEPTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Logos are fetched from this origin only. */
static const char *
server_url (QuorumOrgSwitcher *self)
{
  return self->client != NULL ? quorum_client_get_base_url (self->client) : NULL;
}

static gboolean
is_current (QuorumOrgSwitcher  *self,
            QuorumOrganization *organization)
{
  return self->current != NULL &&
         g_strcmp0 (quorum_organization_get_id (self->current),
                    quorum_organization_get_id (organization)) == 0;
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  QuorumOrgSwitcher *self = user_data;
  QuorumOrganization *organization = item;
  const char *role = quorum_role_get_label (quorum_organization_get_role (organization));
  g_autofree char *accessible = NULL;
  gboolean current = is_current (self, organization);
  GtkWidget *row, *box, *avatar, *label, *badge, *check;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);

  avatar = adw_avatar_new (32, quorum_organization_get_name (organization), TRUE);
  quorum_avatar_set_logo (ADW_AVATAR (avatar), quorum_organization_get_logo_url (organization),
                          server_url (self));
  gtk_box_append (GTK_BOX (box), avatar);

  label = gtk_label_new (quorum_organization_get_name (organization));
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);

  badge = gtk_label_new (role);
  gtk_widget_add_css_class (badge, "role-badge");
  gtk_widget_add_css_class (badge, quorum_role_to_string (quorum_organization_get_role (organization)));
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), badge);

  check = gtk_image_new_from_icon_name ("object-select-symbolic");
  gtk_widget_set_opacity (check, current ? 1.0 : 0.0);
  /* The row's own name says which one is current. */
  gtk_accessible_update_state (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_box_append (GTK_BOX (box), check);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "organization", g_object_ref (organization), g_object_unref);
  if (current)
    {
      gtk_widget_add_css_class (row, "current");
      /* Translators: an organization in the switcher: its name, the user's role */
      accessible = g_strdup_printf (_("%s, %s, current organization"),
                                    quorum_organization_get_name (organization), role);
    }
  else
    accessible = g_strdup_printf (_("%s, %s"), quorum_organization_get_name (organization), role);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);

  return row;
}

static void
rebind (QuorumOrgSwitcher *self)
{
  guint n = self->organizations != NULL ? g_list_model_get_n_items (self->organizations) : 0;

  gtk_filter_list_model_set_model (self->filtered, self->organizations);
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->filtered), create_row, self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->search_entry), n > QUORUM_ORG_SWITCHER_SEARCH_THRESHOLD);
}

static void
update_button (QuorumOrgSwitcher *self)
{
  const char *name = self->current != NULL ? quorum_organization_get_name (self->current) : "";
  g_autofree char *accessible = NULL;

  adw_avatar_set_text (self->avatar, name);
  quorum_avatar_set_logo (self->avatar,
                          self->current != NULL ? quorum_organization_get_logo_url (self->current) : NULL,
                          server_url (self));
  gtk_label_set_label (self->name_label, name);
  /* Translators: the accessible name of the organization switcher */
  accessible = g_strdup_printf (_("Switch Organization, current: %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
}

/* Invitations */

static void invitation_clicked_cb (GtkButton         *button,
                                   QuorumOrgSwitcher *self);

/* A button whose accessible name is @accessible alone: GTK 4.8 appends the
 * text of a button's own or mnemonic label to the name it is given. */
static GtkWidget *
labelled_button (const char *text,
                 const char *accessible)
{
  GtkWidget *button = gtk_button_new ();

  gtk_button_set_child (GTK_BUTTON (button), gtk_label_new (text));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  return button;
}

static GtkWidget *
create_invitation_row (gpointer item,
                       gpointer user_data)
{
  QuorumOrgSwitcher *self = user_data;
  QuorumInvitation *invitation = item;
  const char *organization = quorum_invitation_get_organization_name (invitation);
  const char *role = quorum_role_get_label (quorum_invitation_get_role (invitation));
  g_autofree char *details = NULL;
  g_autofree char *accessible = NULL;
  g_autofree char *accept_name = NULL;
  g_autofree char *decline_name = NULL;
  GtkWidget *row, *box, *top, *avatar, *labels, *name, *subtitle, *buttons, *accept, *decline;

  if (organization == NULL)
    organization = "";

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);

  top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  avatar = adw_avatar_new (32, organization, TRUE);
  quorum_avatar_set_logo (ADW_AVATAR (avatar), quorum_invitation_get_organization_logo_url (invitation),
                          server_url (self));
  gtk_widget_set_valign (avatar, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (top), avatar);

  labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (labels, TRUE);
  name = gtk_label_new (organization);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_box_append (GTK_BOX (labels), name);
  /* Translators: under an invited organization's name: the role offered, who invited */
  details = g_strdup_printf (_("%s · invited by %s"), role, quorum_invitation_get_inviter_name (invitation));
  subtitle = gtk_label_new (details);
  gtk_label_set_wrap (GTK_LABEL (subtitle), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (subtitle), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (subtitle), 30);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_box_append (GTK_BOX (labels), subtitle);
  gtk_box_append (GTK_BOX (top), labels);
  gtk_box_append (GTK_BOX (box), top);

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  /* Translators: the accessible name of a button; %s is an organization */
  decline_name = g_strdup_printf (_("Decline invitation to %s"), organization);
  decline = labelled_button (_("Decline"), decline_name);
  g_object_set_data (G_OBJECT (decline), "decline", GINT_TO_POINTER (TRUE));
  /* Translators: the accessible name of a button; %s is an organization */
  accept_name = g_strdup_printf (_("Accept invitation to %s"), organization);
  accept = labelled_button (_("Accept"), accept_name);
  gtk_widget_add_css_class (accept, "suggested-action");
  for (GtkWidget *button = decline; button != NULL; button = button == decline ? accept : NULL)
    {
      g_object_set_data_full (G_OBJECT (button), "invitation", g_object_ref (invitation), g_object_unref);
      g_signal_connect_object (button, "clicked", G_CALLBACK (invitation_clicked_cb), self, 0);
      gtk_box_append (GTK_BOX (buttons), button);
    }
  gtk_box_append (GTK_BOX (box), buttons);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  /* Nothing to do with the row itself: Tab goes straight to its buttons. */
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_add_css_class (row, "invitation");
  /* Rebuilt while an answer is on its way (the list was fetched again):
   * still one answer per invitation. */
  gtk_widget_set_sensitive (row, !g_hash_table_contains (self->answering, quorum_invitation_get_id (invitation)));
  g_object_set_data_full (G_OBJECT (row), "invitation", g_object_ref (invitation), g_object_unref);
  /* Translators: an invitation in the switcher: organization, role, who invited */
  accessible = g_strdup_printf (_("Invitation to %s as %s from %s"), organization, role,
                                quorum_invitation_get_inviter_name (invitation));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);

  return row;
}

static void
update_invitations (QuorumOrgSwitcher *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->invitations));
  g_autofree char *description = NULL;

  gtk_widget_set_visible (self->invitations_section,
                          n > 0 || gtk_widget_get_visible (GTK_WIDGET (self->invitation_error_label)) ||
                          gtk_widget_get_visible (GTK_WIDGET (self->unverified_label)));
  gtk_widget_set_visible (GTK_WIDGET (self->invitation_list), n > 0);
  gtk_widget_set_visible (self->invitation_dot, n > 0);
  if (n > 0)
    /* Translators: said of the organization switcher when invitations wait */
    description = g_strdup_printf (ngettext ("%u pending invitation", "%u pending invitations", n), n);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description != NULL ? description : "", -1);
}

static void
show_invitation_error (QuorumOrgSwitcher *self,
                       const char        *message)
{
  gtk_label_set_text (self->invitation_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->invitation_error_label), message != NULL);
  update_invitations (self);
}

static gboolean
find_invitation (QuorumOrgSwitcher *self,
                 QuorumInvitation  *invitation,
                 guint             *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->invitations));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(QuorumInvitation) item = g_list_model_get_item (G_LIST_MODEL (self->invitations), i);

      if (g_strcmp0 (quorum_invitation_get_id (item), quorum_invitation_get_id (invitation)) == 0)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* Focus stays in the popover when a row goes: on the next invitation, else
 * on the list of organizations. */
static void
focus_after_removal (QuorumOrgSwitcher *self,
                     guint              position)
{
  GtkListBoxRow *row;

  if (!gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    return;
  row = gtk_list_box_get_row_at_index (self->invitation_list, position);
  if (row == NULL && position > 0)
    row = gtk_list_box_get_row_at_index (self->invitation_list, position - 1);
  if (row == NULL)
    row = gtk_list_box_get_row_at_index (self->list_box, 0);
  if (row != NULL && !gtk_widget_child_focus (GTK_WIDGET (row), GTK_DIR_TAB_FORWARD))
    gtk_widget_grab_focus (GTK_WIDGET (row));
}

static void
remove_invitation (QuorumOrgSwitcher *self,
                   QuorumInvitation  *invitation)
{
  guint position;

  if (!find_invitation (self, invitation, &position))
    return;
  g_list_store_remove (self->invitations, position);
  update_invitations (self);
  focus_after_removal (self, position);
}

/* Builds the invitation's row afresh, sensitive again. */
static void
restore_invitation (QuorumOrgSwitcher *self,
                    QuorumInvitation  *invitation)
{
  guint position;

  if (find_invitation (self, invitation, &position))
    g_list_store_splice (self->invitations, position, 1, (gpointer *) &invitation, 1);
}

static void
announce (QuorumOrgSwitcher *self,
          GPtrArray         *fresh)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (overlay == NULL || fresh->len == 0)
    return;

  if (fresh->len == 1)
    title = g_strdup_printf (_("You have been invited to %s"),
                             quorum_invitation_get_organization_name (g_ptr_array_index (fresh, 0)));
  else
    title = g_strdup_printf (ngettext ("You have been invited to %u organization",
                                       "You have been invited to %u organizations", fresh->len),
                             fresh->len);

  toast = quorum_toast_new (title);
  adw_toast_set_button_label (toast, _("_View"));
  adw_toast_set_timeout (toast, 10);
  /* Left to time out: adw_toast_dismiss() while the toast still slides in
   * frees it twice in libadwaita 1.2. */
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (quorum_org_switcher_popup), self,
                           G_CONNECT_SWAPPED);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

typedef struct
{
  QuorumOrgSwitcher *self;
  QuorumInvitation  *invitation;
  guint              serial;
} Request;

static Request *
request_new (QuorumOrgSwitcher *self,
             QuorumInvitation  *invitation)
{
  Request *request = g_new0 (Request, 1);

  request->self = g_object_ref (self);
  request->invitation = invitation != NULL ? g_object_ref (invitation) : NULL;
  request->serial = self->reload_serial;
  return request;
}

static void
request_free (Request *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->invitation);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

/* Whether @fresh lists the invitations of @shown, in the same order. */
static gboolean
same_invitations (GListModel *shown,
                  GPtrArray  *fresh)
{
  if (g_list_model_get_n_items (shown) != fresh->len)
    return FALSE;

  for (guint i = 0; i < fresh->len; i++)
    {
      g_autoptr(QuorumInvitation) invitation = g_list_model_get_item (shown, i);

      if (g_strcmp0 (quorum_invitation_get_id (invitation),
                     quorum_invitation_get_id (g_ptr_array_index (fresh, i))) != 0)
        return FALSE;
    }
  return TRUE;
}

static void
invitations_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  QuorumOrgSwitcher *self = request->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) invitations = NULL;
  g_autoptr(GPtrArray) fresh = g_ptr_array_new ();

  invitations = quorum_client_list_my_invitations_finish (QUORUM_CLIENT (object), result, &error);
  /* Only the newest answer counts; 401 is the window's to handle. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      request->serial != self->reload_serial)
    return;
  /* An unverified address sees no invitations: a short line says why (the
   * window's banner says what to do), never an error. */
  gtk_widget_set_visible (GTK_WIDGET (self->unverified_label),
                          g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_EMAIL_UNVERIFIED));
  if (invitations == NULL)
    {
      g_debug ("Could not list the account's invitations: %s", error->message);
      update_invitations (self);
      return;
    }

  for (guint i = 0; i < invitations->len; i++)
    {
      QuorumInvitation *invitation = g_ptr_array_index (invitations, i);

      if (!g_hash_table_contains (self->announced, quorum_invitation_get_id (invitation)))
        {
          g_hash_table_add (self->announced, g_strdup (quorum_invitation_get_id (invitation)));
          g_ptr_array_add (fresh, invitation);
        }
    }

  /* Unchanged, the rows stay, and so does the keyboard focus among them. */
  if (!same_invitations (G_LIST_MODEL (self->invitations), invitations))
    {
      g_list_store_splice (self->invitations, 0, g_list_model_get_n_items (G_LIST_MODEL (self->invitations)),
                           invitations->pdata, invitations->len);
    }
  update_invitations (self);

  /* Whoever looks at the popover already sees them. */
  if (!gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    announce (self, fresh);
}

static char *
describe_error (QuorumInvitation *invitation,
                const GError     *error,
                gboolean          accepting)
{
  const char *organization = quorum_invitation_get_organization_name (invitation);
  g_autofree char *context = NULL;

  if (error->domain == QUORUM_API_ERROR)
    switch (error->code)
      {
      case QUORUM_API_ERROR_INVITATION_EXPIRED:
        return g_strdup_printf (_("The invitation to %s has expired. Ask for a new one."), organization);
      case QUORUM_API_ERROR_INVITATION_REVOKED:
        return g_strdup_printf (_("The invitation to %s was withdrawn."), organization);
      case QUORUM_API_ERROR_INVITATION_USED:
        return g_strdup_printf (_("The invitation to %s was already answered."), organization);
      case QUORUM_API_ERROR_INVITATION_NOT_FOUND:
      case QUORUM_API_ERROR_NOT_FOUND:
        return g_strdup_printf (_("The invitation to %s no longer exists."), organization);
      case QUORUM_API_ERROR_ALREADY_MEMBER:
        return g_strdup_printf (_("You are already a member of %s."), organization);
      case QUORUM_API_ERROR_SEAT_LIMIT_REACHED:
        return g_strdup_printf (_("%s has no free seat. Ask its owner to change the plan, then try again."),
                                organization);
      case QUORUM_API_ERROR_EMAIL_UNVERIFIED:
        return quorum_error_compose (NULL, error);  /* the client's own words: verify first */
      default:
        break;
      }

  if (accepting)
    context = g_strdup_printf (_("Could not accept the invitation to %s"), organization);
  else
    context = g_strdup_printf (_("Could not decline the invitation to %s"), organization);
  return quorum_error_compose (context, error);
}

/* The invitation can never be used again: its row goes. */
static gboolean
is_dead_end (const GError *error)
{
  return g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVITATION_EXPIRED) ||
         g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVITATION_REVOKED) ||
         g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVITATION_USED) ||
         g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVITATION_NOT_FOUND) ||
         g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_NOT_FOUND) ||
         g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_ALREADY_MEMBER);
}

static void
answer_failed (QuorumOrgSwitcher *self,
               QuorumInvitation  *invitation,
               const GError      *error,
               gboolean           accepting)
{
  g_autofree char *message = describe_error (invitation, error, accepting);

  show_invitation_error (self, message);
  if (is_dead_end (error))
    remove_invitation (self, invitation);
  else
    restore_invitation (self, invitation);
  /* What else changed meanwhile shows too. */
  quorum_org_switcher_reload_invitations (self);
}

static void
accepted_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  QuorumOrgSwitcher *self = request->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumOrganization) organization = NULL;

  organization = quorum_client_accept_my_invitation_finish (QUORUM_CLIENT (object), result, NULL, &error);
  g_hash_table_remove (self->answering, quorum_invitation_get_id (request->invitation));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_UNAUTHENTICATED))
    return;
  if (organization == NULL)
    {
      answer_failed (self, request->invitation, error, TRUE);
      return;
    }

  remove_invitation (self, request->invitation);
  gtk_popover_popdown (self->popover);
  g_signal_emit (self, signals[INVITATION_ACCEPTED], 0, organization);
}

static void
declined_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  QuorumOrgSwitcher *self = request->self;
  g_autoptr(GError) error = NULL;

  g_hash_table_remove (self->answering, quorum_invitation_get_id (request->invitation));
  if (!quorum_client_decline_my_invitation_finish (QUORUM_CLIENT (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_UNAUTHENTICATED))
        return;
      answer_failed (self, request->invitation, error, FALSE);
      return;
    }

  remove_invitation (self, request->invitation);
}

static void
invitation_clicked_cb (GtkButton         *button,
                       QuorumOrgSwitcher *self)
{
  QuorumInvitation *invitation = g_object_get_data (G_OBJECT (button), "invitation");
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);
  gboolean decline = g_object_get_data (G_OBJECT (button), "decline") != NULL;

  if (self->client == NULL)
    return;

  /* One answer per invitation: the row waits for the server. */
  g_hash_table_add (self->answering, g_strdup (quorum_invitation_get_id (invitation)));
  gtk_widget_set_sensitive (row, FALSE);
  show_invitation_error (self, NULL);
  if (decline)
    quorum_client_decline_my_invitation_async (self->client, quorum_invitation_get_id (invitation),
                                               self->cancellable, declined_cb, request_new (self, invitation));
  else
    quorum_client_accept_my_invitation_async (self->client, quorum_invitation_get_id (invitation),
                                              self->cancellable, accepted_cb, request_new (self, invitation));
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  QuorumOrgSwitcher *self = user_data;
  QuorumOrganization *organization = item;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *needle = NULL;
  g_autofree char *name = NULL;
  g_autofree char *slug = NULL;

  if (text == NULL || *text == '\0')
    return TRUE;

  needle = g_utf8_casefold (text, -1);
  name = g_utf8_casefold (quorum_organization_get_name (organization), -1);
  slug = g_utf8_casefold (quorum_organization_get_slug (organization), -1);
  return strstr (name, needle) != NULL || strstr (slug, needle) != NULL;
}

static GtkListBoxRow *
first_visible_row (QuorumOrgSwitcher *self)
{
  return gtk_list_box_get_row_at_index (self->list_box, 0);
}

static void
search_changed_cb (QuorumOrgSwitcher *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_widget_set_visible (GTK_WIDGET (self->no_results_label), first_visible_row (self) == NULL);
}

static void
activate_organization (QuorumOrgSwitcher  *self,
                       QuorumOrganization *organization)
{
  g_autoptr(QuorumOrganization) ref = g_object_ref (organization);

  gtk_popover_popdown (self->popover);
  g_signal_emit (self, signals[ORGANIZATION_ACTIVATED], 0, ref);
}

static void
row_activated_cb (QuorumOrgSwitcher *self,
                  GtkListBoxRow     *row)
{
  activate_organization (self, g_object_get_data (G_OBJECT (row), "organization"));
}

static void
search_activate_cb (QuorumOrgSwitcher *self)
{
  GtkListBoxRow *row = first_visible_row (self);

  if (row != NULL)
    row_activated_cb (self, row);
}

static void
stop_search_cb (QuorumOrgSwitcher *self)
{
  gtk_popover_popdown (self->popover);
}

static void
menu_item_clicked_cb (QuorumOrgSwitcher *self)
{
  gtk_popover_popdown (self->popover);
}

static void
popover_show_cb (QuorumOrgSwitcher *self)
{
  /* Invitations sent since the organizations were loaded show up too. */
  quorum_org_switcher_reload_invitations (self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  search_changed_cb (self);
  show_invitation_error (self, NULL);
  if (gtk_widget_get_visible (GTK_WIDGET (self->search_entry)))
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  else
    {
      GtkListBoxRow *row = first_visible_row (self);

      if (row != NULL)
        gtk_widget_grab_focus (GTK_WIDGET (row));
      else if ((row = gtk_list_box_get_row_at_index (self->invitation_list, 0)) != NULL)
        gtk_widget_child_focus (GTK_WIDGET (row), GTK_DIR_TAB_FORWARD);
    }
}

static void
organizations_changed_cb (QuorumOrgSwitcher *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->search_entry),
                          g_list_model_get_n_items (self->organizations) > QUORUM_ORG_SWITCHER_SEARCH_THRESHOLD);
}

static void
quorum_org_switcher_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  QuorumOrgSwitcher *self = QUORUM_ORG_SWITCHER (object);

  switch (prop_id)
    {
    case PROP_ORGANIZATIONS:
      g_value_set_object (value, self->organizations);
      break;
    case PROP_CURRENT:
      g_value_set_object (value, self->current);
      break;
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_COMPACT:
      g_value_set_boolean (value, quorum_org_switcher_get_compact (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_org_switcher_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  QuorumOrgSwitcher *self = QUORUM_ORG_SWITCHER (object);

  switch (prop_id)
    {
    case PROP_ORGANIZATIONS:
      quorum_org_switcher_set_organizations (self, g_value_get_object (value));
      break;
    case PROP_CURRENT:
      quorum_org_switcher_set_current (self, g_value_get_object (value));
      break;
    case PROP_CLIENT:
      quorum_org_switcher_set_client (self, g_value_get_object (value));
      break;
    case PROP_COMPACT:
      quorum_org_switcher_set_compact (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_org_switcher_dispose (GObject *object)
{
  QuorumOrgSwitcher *self = QUORUM_ORG_SWITCHER (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->list_box != NULL)
    gtk_list_box_bind_model (self->list_box, NULL, NULL, NULL, NULL);
  if (self->invitation_list != NULL)
    gtk_list_box_bind_model (self->invitation_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->client);
  g_clear_object (&self->invitations);
  g_clear_pointer (&self->announced, g_hash_table_unref);
  g_clear_pointer (&self->answering, g_hash_table_unref);
  if (self->organizations != NULL)
    g_signal_handlers_disconnect_by_data (self->organizations, self);
  g_clear_object (&self->organizations);
  g_clear_object (&self->filtered);
  g_clear_object (&self->current);
  gtk_widget_dispose_template (GTK_WIDGET (self), QUORUM_TYPE_ORG_SWITCHER);

  G_OBJECT_CLASS (quorum_org_switcher_parent_class)->dispose (object);
}

static void
quorum_org_switcher_class_init (QuorumOrgSwitcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = quorum_org_switcher_dispose;
  object_class->get_property = quorum_org_switcher_get_property;
  object_class->set_property = quorum_org_switcher_set_property;

  properties[PROP_ORGANIZATIONS] =
    g_param_spec_object ("organizations", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CURRENT] =
    g_param_spec_object ("current", NULL, NULL, QUORUM_TYPE_ORGANIZATION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, QUORUM_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * QuorumOrgSwitcher:compact:
   *
   * Whether the organization's name may shrink further, for narrow windows.
   */
  properties[PROP_COMPACT] =
    g_param_spec_boolean ("compact", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * QuorumOrgSwitcher::organization-activated:
   * @organization: the organization the user picked
   */
  signals[ORGANIZATION_ACTIVATED] =
    g_signal_new ("organization-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, QUORUM_TYPE_ORGANIZATION);

  /**
   * QuorumOrgSwitcher::invitation-accepted:
   * @organization: the organization joined, with the user's role
   */
  signals[INVITATION_ACCEPTED] =
    g_signal_new ("invitation-accepted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, QUORUM_TYPE_ORGANIZATION);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/quorum-org-switcher.ui");
  gtk_widget_class_bind_template_child (widget_class, QuorumOrgSwitcher, button);
  gtk_widget_class_bind_template_child (widget_class, QuorumOrgSwitcher, avatar);
  gtk_widget_class_bind_template_child (widget_class, QuorumOrgSwitcher, name_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumOrgSwitcher, popover);
  gtk_widget_class_bind_template_child (widget_class, QuorumOrgSwitcher, search_entry);
  gtk_widget_class_bind_template_child (widget_class, QuorumOrgSwitcher, list_box);
  gtk_widget_class_bind_template_child (widget_class, QuorumOrgSwitcher, no_results_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumOrgSwitcher, invitations_section);
  gtk_widget_class_bind_template_child (widget_class, QuorumOrgSwitcher, invitation_list);
  gtk_widget_class_bind_template_child (widget_class, QuorumOrgSwitcher, invitation_error_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumOrgSwitcher, unverified_label);
  gtk_widget_class_bind_template_child (widget_class, QuorumOrgSwitcher, invitation_dot);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, menu_item_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, popover_show_cb);
}

static void
quorum_org_switcher_init (QuorumOrgSwitcher *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));  /* owns the filter */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->popover));
  self->invitations = g_list_store_new (QUORUM_TYPE_INVITATION);
  self->announced = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->answering = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
  gtk_list_box_bind_model (self->invitation_list, G_LIST_MODEL (self->invitations),
                           create_invitation_row, self, NULL);
  update_button (self);
  update_invitations (self);
}

void
quorum_org_switcher_set_organizations (QuorumOrgSwitcher *self,
                                       GListModel        *organizations)
{
  g_return_if_fail (QUORUM_IS_ORG_SWITCHER (self));
  g_return_if_fail (organizations == NULL || G_IS_LIST_MODEL (organizations));

  if (self->organizations == organizations)
    return;

  if (self->organizations != NULL)
    g_signal_handlers_disconnect_by_data (self->organizations, self);
  g_set_object (&self->organizations, organizations);
  if (organizations != NULL)
    g_signal_connect_swapped (organizations, "items-changed", G_CALLBACK (organizations_changed_cb), self);
  rebind (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORGANIZATIONS]);
}

/**
 * quorum_org_switcher_get_organizations:
 *
 * Returns: (transfer none) (nullable): the organizations listed
 */
GListModel *
quorum_org_switcher_get_organizations (QuorumOrgSwitcher *self)
{
  g_return_val_if_fail (QUORUM_IS_ORG_SWITCHER (self), NULL);

  return self->organizations;
}

void
quorum_org_switcher_set_current (QuorumOrgSwitcher  *self,
                                 QuorumOrganization *organization)
{
  g_return_if_fail (QUORUM_IS_ORG_SWITCHER (self));
  g_return_if_fail (organization == NULL || QUORUM_IS_ORGANIZATION (organization));

  if (!g_set_object (&self->current, organization))
    return;

  update_button (self);
  rebind (self);  /* moves the check mark */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);
}

/**
 * quorum_org_switcher_get_current:
 *
 * Returns: (transfer none) (nullable): the organization shown on the button
 */
QuorumOrganization *
quorum_org_switcher_get_current (QuorumOrgSwitcher *self)
{
  g_return_val_if_fail (QUORUM_IS_ORG_SWITCHER (self), NULL);

  return self->current;
}

/* How many characters of the name stay before it ellipsizes. */
#define NAME_WIDTH_CHARS         13
#define NAME_WIDTH_CHARS_COMPACT 8

gboolean
quorum_org_switcher_get_compact (QuorumOrgSwitcher *self)
{
  g_return_val_if_fail (QUORUM_IS_ORG_SWITCHER (self), FALSE);

  return gtk_label_get_width_chars (self->name_label) == NAME_WIDTH_CHARS_COMPACT;
}

/**
 * quorum_org_switcher_set_compact:
 *
 * Lets the name shrink to a few characters, so that the header bar fits a
 * 360 px window; wide, a short name is never cut.
 */
void
quorum_org_switcher_set_compact (QuorumOrgSwitcher *self,
                                 gboolean           compact)
{
  g_return_if_fail (QUORUM_IS_ORG_SWITCHER (self));

  compact = !!compact;
  if (quorum_org_switcher_get_compact (self) == compact)
    return;

  gtk_label_set_width_chars (self->name_label, compact ? NAME_WIDTH_CHARS_COMPACT : NAME_WIDTH_CHARS);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPACT]);
}

void
quorum_org_switcher_popup (QuorumOrgSwitcher *self)
{
  g_return_if_fail (QUORUM_IS_ORG_SWITCHER (self));

  gtk_menu_button_popup (self->button);
}

void
quorum_org_switcher_popdown (QuorumOrgSwitcher *self)
{
  g_return_if_fail (QUORUM_IS_ORG_SWITCHER (self));

  gtk_menu_button_popdown (self->button);
}

/**
 * quorum_org_switcher_set_client:
 * @client: (nullable): the signed-in client of the account shown
 *
 * Another account (or none): its invitations are forgotten, requests for the
 * old one cancelled. Nothing is fetched until
 * quorum_org_switcher_reload_invitations().
 */
void
quorum_org_switcher_set_client (QuorumOrgSwitcher *self,
                                QuorumClient      *client)
{
  g_return_if_fail (QUORUM_IS_ORG_SWITCHER (self));
  g_return_if_fail (client == NULL || QUORUM_IS_CLIENT (client));

  if (self->client == client)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->reload_serial++;
  g_set_object (&self->client, client);
  g_hash_table_remove_all (self->announced);
  g_hash_table_remove_all (self->answering);
  g_list_store_remove_all (self->invitations);
  gtk_widget_set_visible (GTK_WIDGET (self->unverified_label), FALSE);
  show_invitation_error (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

/**
 * quorum_org_switcher_get_client:
 *
 * Returns: (transfer none) (nullable): the client whose invitations are shown
 */
QuorumClient *
quorum_org_switcher_get_client (QuorumOrgSwitcher *self)
{
  g_return_val_if_fail (QUORUM_IS_ORG_SWITCHER (self), NULL);

  return self->client;
}

/**
 * quorum_org_switcher_reload_invitations:
 *
 * Fetches the account's pending invitations again. Those not seen before
 * for this client are announced with a toast, unless the popover is open.
 */
void
quorum_org_switcher_reload_invitations (QuorumOrgSwitcher *self)
{
  g_return_if_fail (QUORUM_IS_ORG_SWITCHER (self));

  if (self->client == NULL)
    return;

  self->reload_serial++;
  quorum_client_list_my_invitations_async (self->client, self->cancellable, invitations_cb,
                                           request_new (self, NULL));
}

/**
 * quorum_org_switcher_get_invitations:
 *
 * Returns: (transfer none): the pending invitations listed, a list of
 *   QuorumInvitation
 */
GListModel *
quorum_org_switcher_get_invitations (QuorumOrgSwitcher *self)
{
  g_return_val_if_fail (QUORUM_IS_ORG_SWITCHER (self), NULL);

  return G_LIST_MODEL (self->invitations);
}
