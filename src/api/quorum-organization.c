/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-api-private.h"
#include "quorum-validate.h"
#include "quorum-organization.h"

struct _QuorumOrganization
{
  GObject parent_instance;

  char *id;
  char *name;
  char *slug;
  char *logo_url;
  GDateTime *created_at;
  int member_count;
  const char *role;
  char *etag;
};

G_DEFINE_FINAL_TYPE (QuorumOrganization, quorum_organization, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_SLUG,
  PROP_LOGO_URL,
  PROP_CREATED_AT,
  PROP_MEMBER_COUNT,
  PROP_ROLE,
  PROP_ETAG,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
quorum_organization_finalize (GObject *object)
{
  QuorumOrganization *self = QUORUM_ORGANIZATION (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->slug, g_free);
  g_clear_pointer (&self->logo_url, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->etag, g_free);

  G_OBJECT_CLASS (quorum_organization_parent_class)->finalize (object);
}

static void
quorum_organization_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  QuorumOrganization *self = QUORUM_ORGANIZATION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_SLUG:
      g_value_set_string (value, self->slug);
      break;

    case PROP_LOGO_URL:
      g_value_set_string (value, self->logo_url);
      break;

    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;

    case PROP_MEMBER_COUNT:
      g_value_set_int (value, self->member_count);
      break;

    case PROP_ROLE:
      g_value_set_string (value, self->role);
      break;

    case PROP_ETAG:
      g_value_set_string (value, self->etag);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_organization_class_init (QuorumOrganizationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = quorum_organization_finalize;
  object_class->get_property = quorum_organization_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL,
                                            NULL,
                                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL,
                                              NULL,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_SLUG] = g_param_spec_string ("slug", NULL, NULL,
                                              NULL,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_LOGO_URL] = g_param_spec_string ("logo-url", NULL, NULL,
                                                  NULL,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_CREATED_AT] = g_param_spec_boxed ("created-at", NULL, NULL,
                                                   G_TYPE_DATE_TIME,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_MEMBER_COUNT] = g_param_spec_int ("member-count", NULL, NULL,
                                                   0, G_MAXINT, 0,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_ROLE] = g_param_spec_string ("role", NULL, NULL,
                                              NULL,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_ETAG] = g_param_spec_string ("etag", NULL, NULL,
                                              NULL,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
quorum_organization_init (QuorumOrganization *self)
{
}

/**
 * quorum_organization_new_from_json:
 *
 * Returns: (transfer full): a complete object, or %NULL with
 *   %QUORUM_API_ERROR_INVALID_RESPONSE when anything in @node breaks the contract.
 */
QuorumOrganization *
quorum_organization_new_from_json (JsonNode  *node,
                                   GError   **error)
{
  g_autoptr(QuorumOrganization) self = NULL;
  JsonObject *object;
  gint64 number = 0;

  if (!(object = _quorum_json_get_root_object (node, "organization", error)))
    return NULL;


  self = g_object_new (QUORUM_TYPE_ORGANIZATION, NULL);

  if (!_quorum_json_get_string (object, "id", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID,
                                QUORUM_MAX_ID_BYTES, &self->id, error))
    return NULL;
  if (!_quorum_json_get_string (object, "name", QUORUM_JSON_REQUIRED, QUORUM_JSON_TEXT,
                                QUORUM_MAX_NAME_BYTES, &self->name, error))
    return NULL;
  if (!_quorum_json_get_string (object, "slug", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID,
                                QUORUM_MAX_SLUG_BYTES, &self->slug, error))
    return NULL;
  if (!_quorum_json_get_string (object, "logo_url", QUORUM_JSON_NULLABLE, QUORUM_JSON_TEXT,
                                QUORUM_URL_MAX_BYTES, &self->logo_url, error))
    return NULL;
  if (!_quorum_json_get_datetime (object, "created_at", QUORUM_JSON_REQUIRED, &self->created_at, error))
    return NULL;
  if (!_quorum_json_get_int (object, "member_count", QUORUM_JSON_REQUIRED, 0, G_MAXINT, &number, error))
    return NULL;
  self->member_count = (int) number;
  /* null when the caller is an API key, which has no role of its own. */
  if (!(json_object_has_member (object, "role") &&
        JSON_NODE_HOLDS_NULL (json_object_get_member (object, "role"))) &&
      !_quorum_json_get_role (object, "role", &self->role, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
quorum_organization_get_id (QuorumOrganization *self)
{
  g_return_val_if_fail (QUORUM_IS_ORGANIZATION (self), NULL);

  return self->id;
}

const char *
quorum_organization_get_name (QuorumOrganization *self)
{
  g_return_val_if_fail (QUORUM_IS_ORGANIZATION (self), NULL);

  return self->name;
}

const char *
quorum_organization_get_slug (QuorumOrganization *self)
{
  g_return_val_if_fail (QUORUM_IS_ORGANIZATION (self), NULL);

  return self->slug;
}

const char *
quorum_organization_get_logo_url (QuorumOrganization *self)
{
  g_return_val_if_fail (QUORUM_IS_ORGANIZATION (self), NULL);

  return self->logo_url;
}

GDateTime *
quorum_organization_get_created_at (QuorumOrganization *self)
{
  g_return_val_if_fail (QUORUM_IS_ORGANIZATION (self), NULL);

  return self->created_at;
}

int
quorum_organization_get_member_count (QuorumOrganization *self)
{
  g_return_val_if_fail (QUORUM_IS_ORGANIZATION (self), 0);

  return self->member_count;
}

const char *
quorum_organization_get_role_name (QuorumOrganization *self)
{
  g_return_val_if_fail (QUORUM_IS_ORGANIZATION (self), NULL);

  return self->role;
}

const char *
quorum_organization_get_etag (QuorumOrganization *self)
{
  g_return_val_if_fail (QUORUM_IS_ORGANIZATION (self), NULL);

  return self->etag;
}

void
_quorum_organization_set_etag (QuorumOrganization *self,
                               const char         *etag)
{
  g_return_if_fail (QUORUM_IS_ORGANIZATION (self));

  if (g_strcmp0 (self->etag, etag) == 0)
    return;

  g_free (self->etag);
  self->etag = g_strdup (etag);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ETAG]);
}

QuorumRole
quorum_organization_get_role (QuorumOrganization *self)
{
  g_return_val_if_fail (QUORUM_IS_ORGANIZATION (self), QUORUM_ROLE_NONE);

  return quorum_role_from_string (self->role);
}
