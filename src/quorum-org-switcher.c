/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "quorum-logo.h"
#include "quorum-org-switcher.h"

/*
 * The organization switcher of the header bar: a menu button with the current
 * organization's avatar and name; its popover lists every organization of the
 * account with its avatar, name, the user's role as a badge and a check mark
 * on the current one. Typing filters the list once it is long.
 */

struct _QuorumOrgSwitcher
{
  GtkWidget           parent_instance;

  GListModel         *organizations;
  GtkFilterListModel *filtered;
  GtkCustomFilter    *filter;
  QuorumOrganization *current;

  GtkMenuButton      *button;
  AdwAvatar          *avatar;
  GtkLabel           *name_label;
  GtkPopover         *popover;
  GtkSearchEntry     *search_entry;
  GtkListBox         *list_box;
  GtkLabel           *no_results_label;
};

G_DEFINE_FINAL_TYPE (QuorumOrgSwitcher, quorum_org_switcher, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ORGANIZATIONS,
  PROP_CURRENT,
  N_PROPS
};

enum {
  ORGANIZATION_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

char *
quorum_role_dup_display_name (QuorumRole role)
{
  switch (role)
    {
    case QUORUM_ROLE_OWNER:
      return g_strdup (C_("role", "Owner"));
    case QUORUM_ROLE_ADMIN:
      return g_strdup (C_("role", "Admin"));
    case QUORUM_ROLE_MEMBER:
      return g_strdup (C_("role", "Member"));
    case QUORUM_ROLE_NONE:
    default:
      return g_strdup (C_("role", "None"));
    }
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
  g_autofree char *role = quorum_role_dup_display_name (quorum_organization_get_role (organization));
  g_autofree char *accessible = NULL;
  gboolean current = is_current (self, organization);
  GtkWidget *row, *box, *avatar, *label, *badge, *check;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);

  avatar = adw_avatar_new (32, quorum_organization_get_name (organization), TRUE);
  quorum_avatar_set_logo (ADW_AVATAR (avatar), quorum_organization_get_logo_url (organization));
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
                          self->current != NULL ? quorum_organization_get_logo_url (self->current) : NULL);
  gtk_label_set_label (self->name_label, name);
  /* Translators: the accessible name of the organization switcher */
  accessible = g_strdup_printf (_("Switch Organization, current: %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
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
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  search_changed_cb (self);
  if (gtk_widget_get_visible (GTK_WIDGET (self->search_entry)))
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  else
    {
      GtkListBoxRow *row = first_visible_row (self);

      if (row != NULL)
        gtk_widget_grab_focus (GTK_WIDGET (row));
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
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_org_switcher_dispose (GObject *object)
{
  QuorumOrgSwitcher *self = QUORUM_ORG_SWITCHER (object);

  if (self->list_box != NULL)
    gtk_list_box_bind_model (self->list_box, NULL, NULL, NULL, NULL);
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
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * QuorumOrgSwitcher::organization-activated:
   * @organization: the organization the user picked
   */
  signals[ORGANIZATION_ACTIVATED] =
    g_signal_new ("organization-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
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
  update_button (self);
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
