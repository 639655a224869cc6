/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-api-private.h"
#include "quorum-validate.h"
#include "quorum-invitation-preview.h"

struct _QuorumInvitationPreview
{
  GObject parent_instance;

  char *organization_name;
  char *organization_slug;
  char *organization_logo_url;
  char *inviter_name;
  char *email;
  const char *role;
  GDateTime *expires_at;
  gboolean account_exists;
};

G_DEFINE_FINAL_TYPE (QuorumInvitationPreview, quorum_invitation_preview, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ORGANIZATION_NAME,
  PROP_ORGANIZATION_SLUG,
  PROP_ORGANIZATION_LOGO_URL,
  PROP_INVITER_NAME,
  PROP_EMAIL,
  PROP_ROLE,
  PROP_EXPIRES_AT,
  PROP_ACCOUNT_EXISTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
quorum_invitation_preview_finalize (GObject *object)
{
  QuorumInvitationPreview *self = QUORUM_INVITATION_PREVIEW (object);

  g_clear_pointer (&self->organization_name, g_free);
  g_clear_pointer (&self->organization_slug, g_free);
  g_clear_pointer (&self->organization_logo_url, g_free);
  g_clear_pointer (&self->inviter_name, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->expires_at, g_date_time_unref);

  G_OBJECT_CLASS (quorum_invitation_preview_parent_class)->finalize (object);
}

static void
quorum_invitation_preview_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  QuorumInvitationPreview *self = QUORUM_INVITATION_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_ORGANIZATION_NAME:
      g_value_set_string (value, self->organization_name);
      break;

    case PROP_ORGANIZATION_SLUG:
      g_value_set_string (value, self->organization_slug);
      break;

    case PROP_ORGANIZATION_LOGO_URL:
      g_value_set_string (value, self->organization_logo_url);
      break;

    case PROP_INVITER_NAME:
      g_value_set_string (value, self->inviter_name);
      break;

    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;

    case PROP_ROLE:
      g_value_set_string (value, self->role);
      break;

    case PROP_EXPIRES_AT:
      g_value_set_boxed (value, self->expires_at);
      break;

    case PROP_ACCOUNT_EXISTS:
      g_value_set_boolean (value, self->account_exists);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_invitation_preview_class_init (QuorumInvitationPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = quorum_invitation_preview_finalize;
  object_class->get_property = quorum_invitation_preview_get_property;

  properties[PROP_ORGANIZATION_NAME] = g_param_spec_string ("organization-name", NULL, NULL,
                                                           NULL,
                                                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_ORGANIZATION_SLUG] = g_param_spec_string ("organization-slug", NULL, NULL,
                                                           NULL,
                                                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_ORGANIZATION_LOGO_URL] = g_param_spec_string ("organization-logo-url", NULL, NULL,
                                                               NULL,
                                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_INVITER_NAME] = g_param_spec_string ("inviter-name", NULL, NULL,
                                                      NULL,
                                                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_EMAIL] = g_param_spec_string ("email", NULL, NULL,
                                               NULL,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_ROLE] = g_param_spec_string ("role", NULL, NULL,
                                              NULL,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_EXPIRES_AT] = g_param_spec_boxed ("expires-at", NULL, NULL,
                                                   G_TYPE_DATE_TIME,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_ACCOUNT_EXISTS] = g_param_spec_boolean ("account-exists", NULL, NULL,
                                                         FALSE,
                                                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
quorum_invitation_preview_init (QuorumInvitationPreview *self)
{
}

/**
 * quorum_invitation_preview_new_from_json:
 *
 * Returns: (transfer full): a complete object, or %NULL with
 *   %QUORUM_API_ERROR_INVALID_RESPONSE when anything in @node breaks the contract.
 */
QuorumInvitationPreview *
quorum_invitation_preview_new_from_json (JsonNode  *node,
                                         GError   **error)
{
  g_autoptr(QuorumInvitationPreview) self = NULL;
  JsonObject *object;
  JsonObject *organization = NULL;

  if (!(object = _quorum_json_get_root_object (node, "invitation preview", error)))
    return NULL;

  if (!_quorum_json_get_object (object, "organization", QUORUM_JSON_REQUIRED, &organization, error))
    return NULL;

  self = g_object_new (QUORUM_TYPE_INVITATION_PREVIEW, NULL);

  if (!_quorum_json_get_string (organization, "name", QUORUM_JSON_REQUIRED, QUORUM_JSON_TEXT,
                                QUORUM_MAX_NAME_BYTES, &self->organization_name, error))
    return NULL;
  if (!_quorum_json_get_string (organization, "slug", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID,
                                QUORUM_MAX_SLUG_BYTES, &self->organization_slug, error))
    return NULL;
  if (!_quorum_json_get_string (organization, "logo_url", QUORUM_JSON_NULLABLE, QUORUM_JSON_TEXT,
                                QUORUM_URL_MAX_BYTES, &self->organization_logo_url, error))
    return NULL;
  if (!_quorum_json_get_string (object, "inviter_name", QUORUM_JSON_REQUIRED, QUORUM_JSON_TEXT,
                                QUORUM_MAX_NAME_BYTES, &self->inviter_name, error))
    return NULL;
  if (!_quorum_json_get_string (object, "email", QUORUM_JSON_REQUIRED, QUORUM_JSON_TEXT,
                                QUORUM_EMAIL_MAX_BYTES, &self->email, error))
    return NULL;
  if (!_quorum_json_get_role (object, "role", &self->role, error))
    return NULL;
  if (!_quorum_json_get_datetime (object, "expires_at", QUORUM_JSON_REQUIRED, &self->expires_at, error))
    return NULL;
  if (!_quorum_json_get_bool (object, "account_exists", &self->account_exists, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
quorum_invitation_preview_get_organization_name (QuorumInvitationPreview *self)
{
  g_return_val_if_fail (QUORUM_IS_INVITATION_PREVIEW (self), NULL);

  return self->organization_name;
}

const char *
quorum_invitation_preview_get_organization_slug (QuorumInvitationPreview *self)
{
  g_return_val_if_fail (QUORUM_IS_INVITATION_PREVIEW (self), NULL);

  return self->organization_slug;
}

const char *
quorum_invitation_preview_get_organization_logo_url (QuorumInvitationPreview *self)
{
  g_return_val_if_fail (QUORUM_IS_INVITATION_PREVIEW (self), NULL);

  return self->organization_logo_url;
}

const char *
quorum_invitation_preview_get_inviter_name (QuorumInvitationPreview *self)
{
  g_return_val_if_fail (QUORUM_IS_INVITATION_PREVIEW (self), NULL);

  return self->inviter_name;
}

const char *
quorum_invitation_preview_get_email (QuorumInvitationPreview *self)
{
  g_return_val_if_fail (QUORUM_IS_INVITATION_PREVIEW (self), NULL);

  return self->email;
}

const char *
quorum_invitation_preview_get_role_name (QuorumInvitationPreview *self)
{
  g_return_val_if_fail (QUORUM_IS_INVITATION_PREVIEW (self), NULL);

  return self->role;
}

GDateTime *
quorum_invitation_preview_get_expires_at (QuorumInvitationPreview *self)
{
  g_return_val_if_fail (QUORUM_IS_INVITATION_PREVIEW (self), NULL);

  return self->expires_at;
}

gboolean
quorum_invitation_preview_get_account_exists (QuorumInvitationPreview *self)
{
  g_return_val_if_fail (QUORUM_IS_INVITATION_PREVIEW (self), 0);

  return self->account_exists;
}

QuorumRole
quorum_invitation_preview_get_role (QuorumInvitationPreview *self)
{
  g_return_val_if_fail (QUORUM_IS_INVITATION_PREVIEW (self), QUORUM_ROLE_NONE);

  return quorum_role_from_string (self->role);
}
