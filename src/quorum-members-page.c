/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-members-page.h"

struct _QuorumMembersPage
{
  AdwBin              parent_instance;

  QuorumClient       *client;
  QuorumOrganization *organization;
};

G_DEFINE_FINAL_TYPE (QuorumMembersPage, quorum_members_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_ORGANIZATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
quorum_members_page_dispose (GObject *object)
{
  QuorumMembersPage *self = QUORUM_MEMBERS_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), QUORUM_TYPE_MEMBERS_PAGE);
  g_clear_object (&self->organization);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (quorum_members_page_parent_class)->dispose (object);
}

static void
quorum_members_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  QuorumMembersPage *self = QUORUM_MEMBERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_ORGANIZATION:
      g_value_set_object (value, self->organization);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_members_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  QuorumMembersPage *self = QUORUM_MEMBERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      quorum_members_page_set_client (self, g_value_get_object (value));
      break;
    case PROP_ORGANIZATION:
      quorum_members_page_set_organization (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_members_page_class_init (QuorumMembersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = quorum_members_page_dispose;
  object_class->get_property = quorum_members_page_get_property;
  object_class->set_property = quorum_members_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         QUORUM_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ORGANIZATION] =
    g_param_spec_object ("organization", NULL, NULL,
                         QUORUM_TYPE_ORGANIZATION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/quorum-members-page.ui");
}

static void
quorum_members_page_init (QuorumMembersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
quorum_members_page_new (void)
{
  return g_object_new (QUORUM_TYPE_MEMBERS_PAGE, NULL);
}

QuorumClient *
quorum_members_page_get_client (QuorumMembersPage *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBERS_PAGE (self), NULL);
  return self->client;
}

void
quorum_members_page_set_client (QuorumMembersPage *self,
                                QuorumClient      *client)
{
  g_return_if_fail (QUORUM_IS_MEMBERS_PAGE (self));
  g_return_if_fail (client == NULL || QUORUM_IS_CLIENT (client));

  if (g_set_object (&self->client, client))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

QuorumOrganization *
quorum_members_page_get_organization (QuorumMembersPage *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBERS_PAGE (self), NULL);
  return self->organization;
}

void
quorum_members_page_set_organization (QuorumMembersPage  *self,
                                      QuorumOrganization *organization)
{
  g_return_if_fail (QUORUM_IS_MEMBERS_PAGE (self));
  g_return_if_fail (organization == NULL || QUORUM_IS_ORGANIZATION (organization));

  if (g_set_object (&self->organization, organization))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORGANIZATION]);
}

void
quorum_members_page_focus_search (QuorumMembersPage *self)
{
  g_return_if_fail (QUORUM_IS_MEMBERS_PAGE (self));
}
