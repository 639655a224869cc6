/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-api-private.h"
#include "quorum-validate.h"
#include "quorum-invitation.h"

static const char * const invitation_status_strings[] = { "pending", "accepted", "declined", "revoked", "expired", NULL };

struct _QuorumInvitation
{
  GObject parent_instance;

  char *id;
  char *email;
  const char *role;
  const char *status;
  char *inviter_id;
  char *inviter_name;
  GDateTime *created_at;
  GDateTime *expires_at;
  GDateTime *last_sent_at;
  int send_count;
  char *organization_id;
  char *organization_name;
  char *organization_logo_url;
};

G_DEFINE_FINAL_TYPE (QuorumInvitation, quorum_invitation, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_EMAIL,
  PROP_ROLE,
  PROP_STATUS,
  PROP_INVITER_ID,
  PROP_INVITER_NAME,
  PROP_CREATED_AT,
  PROP_EXPIRES_AT,
  PROP_LAST_SENT_AT,
  PROP_SEND_COUNT,
  PROP_ORGANIZATION_ID,
  PROP_ORGANIZATION_NAME,
  PROP_ORGANIZATION_LOGO_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
quorum_invitation_finalize (GObject *object)
{
  QuorumInvitation *self = QUORUM_INVITATION (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->inviter_id, g_free);
  g_clear_pointer (&self->inviter_name, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->expires_at, g_date_time_unref);
  g_clear_pointer (&self->last_sent_at, g_date_time_unref);
  g_clear_pointer (&self->organization_id, g_free);
  g_clear_pointer (&self->organization_name, g_free);
  g_clear_pointer (&self->organization_logo_url, g_free);

  G_OBJECT_CLASS (quorum_invitation_parent_class)->finalize (object);
}

static void
quorum_invitation_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  QuorumInvitation *self = QUORUM_INVITATION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;

    case PROP_ROLE:
      g_value_set_string (value, self->role);
      break;

    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;

    case PROP_INVITER_ID:
      g_value_set_string (value, self->inviter_id);
      break;

    case PROP_INVITER_NAME:
      g_value_set_string (value, self->inviter_name);
      break;

    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;

    case PROP_EXPIRES_AT:
      g_value_set_boxed (value, self->expires_at);
      break;

    case PROP_LAST_SENT_AT:
      g_value_set_boxed (value, self->last_sent_at);
      break;

    case PROP_SEND_COUNT:
      g_value_set_int (value, self->send_count);
      break;

    case PROP_ORGANIZATION_ID:
      g_value_set_string (value, self->organization_id);
      break;

    case PROP_ORGANIZATION_NAME:
      g_value_set_string (value, self->organization_name);
      break;

    case PROP_ORGANIZATION_LOGO_URL:
      g_value_set_string (value, self->organization_logo_url);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_invitation_class_init (QuorumInvitationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = quorum_invitation_finalize;
  object_class->get_property = quorum_invitation_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL,
                                            NULL,
                                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_EMAIL] = g_param_spec_string ("email", NULL, NULL,
                                               NULL,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_ROLE] = g_param_spec_string ("role", NULL, NULL,
                                              NULL,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL,
                                                NULL,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_INVITER_ID] = g_param_spec_string ("inviter-id", NULL, NULL,
                                                    NULL,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_INVITER_NAME] = g_param_spec_string ("inviter-name", NULL, NULL,
                                                      NULL,
                                                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_CREATED_AT] = g_param_spec_boxed ("created-at", NULL, NULL,
                                                   G_TYPE_DATE_TIME,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_EXPIRES_AT] = g_param_spec_boxed ("expires-at", NULL, NULL,
                                                   G_TYPE_DATE_TIME,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_LAST_SENT_AT] = g_param_spec_boxed ("last-sent-at", NULL, NULL,
                                                     G_TYPE_DATE_TIME,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_SEND_COUNT] = g_param_spec_int ("send-count", NULL, NULL,
                                                 0, G_MAXINT, 0,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_ORGANIZATION_ID] = g_param_spec_string ("organization-id", NULL, NULL,
                                                         NULL,
                                                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_ORGANIZATION_NAME] = g_param_spec_string ("organization-name", NULL, NULL,
                                                           NULL,
                                                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_ORGANIZATION_LOGO_URL] = g_param_spec_string ("organization-logo-url", NULL, NULL,
                                                               NULL,
                                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
quorum_invitation_init (QuorumInvitation *self)
{
}

/**
 * quorum_invitation_new_from_json:
 *
 * Returns: (transfer full): a complete object, or %NULL with
 *   %QUORUM_API_ERROR_INVALID_RESPONSE when anything in @node breaks the contract.
 */
QuorumInvitation *
quorum_invitation_new_from_json (JsonNode  *node,
                                 GError   **error)
{
  g_autoptr(QuorumInvitation) self = NULL;
  JsonObject *object;
  JsonObject *invited_by = NULL;
  JsonObject *organization = NULL;
  gint64 number = 0;

  if (!(object = _quorum_json_get_root_object (node, "invitation", error)))
    return NULL;

  if (!_quorum_json_get_object (object, "invited_by", QUORUM_JSON_REQUIRED, &invited_by, error))
    return NULL;
  if (!_quorum_json_get_object (object, "organization", QUORUM_JSON_OPTIONAL, &organization, error))
    return NULL;

  self = g_object_new (QUORUM_TYPE_INVITATION, NULL);

  if (!_quorum_json_get_string (object, "id", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID,
                                QUORUM_MAX_ID_BYTES, &self->id, error))
    return NULL;
  if (!_quorum_json_get_string (object, "email", QUORUM_JSON_REQUIRED, QUORUM_JSON_TEXT,
                                QUORUM_EMAIL_MAX_BYTES, &self->email, error))
    return NULL;
  if (!_quorum_json_get_role (object, "role", &self->role, error))
    return NULL;
  if (!_quorum_json_get_enum (object, "status", invitation_status_strings, &self->status, error))
    return NULL;
  if (!_quorum_json_get_string (invited_by, "id", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID,
                                QUORUM_MAX_ID_BYTES, &self->inviter_id, error))
    return NULL;
  if (!_quorum_json_get_string (invited_by, "name", QUORUM_JSON_REQUIRED, QUORUM_JSON_TEXT,
                                QUORUM_MAX_NAME_BYTES, &self->inviter_name, error))
    return NULL;
  if (!_quorum_json_get_datetime (object, "created_at", QUORUM_JSON_REQUIRED, &self->created_at, error))
    return NULL;
  if (!_quorum_json_get_datetime (object, "expires_at", QUORUM_JSON_REQUIRED, &self->expires_at, error))
    return NULL;
  if (!_quorum_json_get_datetime (object, "last_sent_at", QUORUM_JSON_NULLABLE, &self->last_sent_at, error))
    return NULL;
  if (!_quorum_json_get_int (object, "send_count", QUORUM_JSON_REQUIRED, 0, G_MAXINT, &number, error))
    return NULL;
  self->send_count = (int) number;
  if (organization != NULL &&
      !_quorum_json_get_string (organization, "id", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID,
                                QUORUM_MAX_ID_BYTES, &self->organization_id, error))
    return NULL;
  if (organization != NULL &&
      !_quorum_json_get_string (organization, "name", QUORUM_JSON_REQUIRED, QUORUM_JSON_TEXT,
                                QUORUM_MAX_NAME_BYTES, &self->organization_name, error))
    return NULL;
  if (organization != NULL &&
      !_quorum_json_get_string (organization, "logo_url", QUORUM_JSON_NULLABLE, QUORUM_JSON_TEXT,
                                QUORUM_URL_MAX_BYTES, &self->organization_logo_url, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
quorum_invitation_get_id (QuorumInvitation *self)
{
  g_return_val_if_fail (QUORUM_IS_INVITATION (self), NULL);

  return self->id;
}

const char *
quorum_invitation_get_email (QuorumInvitation *self)
{
  g_return_val_if_fail (QUORUM_IS_INVITATION (self), NULL);

  return self->email;
}

const char *
quorum_invitation_get_role_name (QuorumInvitation *self)
{
  g_return_val_if_fail (QUORUM_IS_INVITATION (self), NULL);

  return self->role;
}

const char *
quorum_invitation_get_status (QuorumInvitation *self)
{
  g_return_val_if_fail (QUORUM_IS_INVITATION (self), NULL);

  return self->status;
}

const char *
quorum_invitation_get_inviter_id (QuorumInvitation *self)
{
  g_return_val_if_fail (QUORUM_IS_INVITATION (self), NULL);

  return self->inviter_id;
}

const char *
quorum_invitation_get_inviter_name (QuorumInvitation *self)
{
  g_return_val_if_fail (QUORUM_IS_INVITATION (self), NULL);

  return self->inviter_name;
}

GDateTime *
quorum_invitation_get_created_at (QuorumInvitation *self)
{
  g_return_val_if_fail (QUORUM_IS_INVITATION (self), NULL);

  return self->created_at;
}

GDateTime *
quorum_invitation_get_expires_at (QuorumInvitation *self)
{
  g_return_val_if_fail (QUORUM_IS_INVITATION (self), NULL);

  return self->expires_at;
}

GDateTime *
quorum_invitation_get_last_sent_at (QuorumInvitation *self)
{
  g_return_val_if_fail (QUORUM_IS_INVITATION (self), NULL);

  return self->last_sent_at;
}

int
quorum_invitation_get_send_count (QuorumInvitation *self)
{
  g_return_val_if_fail (QUORUM_IS_INVITATION (self), 0);

  return self->send_count;
}

const char *
quorum_invitation_get_organization_id (QuorumInvitation *self)
{
  g_return_val_if_fail (QUORUM_IS_INVITATION (self), NULL);

  return self->organization_id;
}

const char *
quorum_invitation_get_organization_name (QuorumInvitation *self)
{
  g_return_val_if_fail (QUORUM_IS_INVITATION (self), NULL);

  return self->organization_name;
}

/**
 * quorum_invitation_get_organization_logo_url:
 *
 * Returns: (nullable): the logo of the organization the invitation leads
 *   to, for invitations listed by GET /me/invitations
 */
const char *
quorum_invitation_get_organization_logo_url (QuorumInvitation *self)
{
  g_return_val_if_fail (QUORUM_IS_INVITATION (self), NULL);

  return self->organization_logo_url;
}

QuorumRole
quorum_invitation_get_role (QuorumInvitation *self)
{
  g_return_val_if_fail (QUORUM_IS_INVITATION (self), QUORUM_ROLE_NONE);

  return quorum_role_from_string (self->role);
}
