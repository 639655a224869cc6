/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-api-private.h"
#include "quorum-validate.h"
#include "quorum-member.h"

static const char * const member_status_strings[] = { "active", "suspended", NULL };

struct _QuorumMember
{
  GObject parent_instance;

  char *id;
  char *user_id;
  char *name;
  char *email;
  const char *role;
  const char *status;
  GDateTime *joined_at;
  GDateTime *last_active_at;
  gboolean placeholder;
};

G_DEFINE_FINAL_TYPE (QuorumMember, quorum_member, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_USER_ID,
  PROP_NAME,
  PROP_EMAIL,
  PROP_ROLE,
  PROP_STATUS,
  PROP_JOINED_AT,
  PROP_LAST_ACTIVE_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
quorum_member_finalize (GObject *object)
{
  QuorumMember *self = QUORUM_MEMBER (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->joined_at, g_date_time_unref);
  g_clear_pointer (&self->last_active_at, g_date_time_unref);

  G_OBJECT_CLASS (quorum_member_parent_class)->finalize (object);
}

static void
quorum_member_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  QuorumMember *self = QUORUM_MEMBER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_USER_ID:
      g_value_set_string (value, self->user_id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
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

    case PROP_JOINED_AT:
      g_value_set_boxed (value, self->joined_at);
      break;

    case PROP_LAST_ACTIVE_AT:
      g_value_set_boxed (value, self->last_active_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_member_class_init (QuorumMemberClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = quorum_member_finalize;
  object_class->get_property = quorum_member_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL,
                                            NULL,
                                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_USER_ID] = g_param_spec_string ("user-id", NULL, NULL,
                                                 NULL,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL,
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

  properties[PROP_JOINED_AT] = g_param_spec_boxed ("joined-at", NULL, NULL,
                                                  G_TYPE_DATE_TIME,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_LAST_ACTIVE_AT] = g_param_spec_boxed ("last-active-at", NULL, NULL,
                                                       G_TYPE_DATE_TIME,
                                                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
quorum_member_init (QuorumMember *self)
{
}

/**
 * quorum_member_new_from_json:
 *
 * Returns: (transfer full): a complete object, or %NULL with
 *   %QUORUM_API_ERROR_INVALID_RESPONSE when anything in @node breaks the contract.
 */
QuorumMember *
quorum_member_new_from_json (JsonNode  *node,
                             GError   **error)
{
  g_autoptr(QuorumMember) self = NULL;
  JsonObject *object;

  if (!(object = _quorum_json_get_root_object (node, "member", error)))
    return NULL;


  self = g_object_new (QUORUM_TYPE_MEMBER, NULL);

  if (!_quorum_json_get_string (object, "id", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID,
                                QUORUM_MAX_ID_BYTES, &self->id, error))
    return NULL;
  if (!_quorum_json_get_string (object, "user_id", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID,
                                QUORUM_MAX_ID_BYTES, &self->user_id, error))
    return NULL;
  if (!_quorum_json_get_string (object, "name", QUORUM_JSON_REQUIRED, QUORUM_JSON_TEXT,
                                QUORUM_MAX_NAME_BYTES, &self->name, error))
    return NULL;
  if (!_quorum_json_get_string (object, "email", QUORUM_JSON_REQUIRED, QUORUM_JSON_TEXT,
                                QUORUM_EMAIL_MAX_BYTES, &self->email, error))
    return NULL;
  if (!_quorum_json_get_role (object, "role", &self->role, error))
    return NULL;
  if (!_quorum_json_get_enum (object, "status", member_status_strings, &self->status, error))
    return NULL;
  if (!_quorum_json_get_datetime (object, "joined_at", QUORUM_JSON_REQUIRED, &self->joined_at, error))
    return NULL;
  if (!_quorum_json_get_datetime (object, "last_active_at", QUORUM_JSON_NULLABLE, &self->last_active_at, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * quorum_member_new_placeholder:
 *
 * A stand-in for a member a paged list knows the position of but does not
 * hold right now (QuorumMemberList, while it fetches that page again): no
 * id, name, e-mail, role or status; a view shows it as a row still loading
 * and offers nothing on it.
 */
QuorumMember *
quorum_member_new_placeholder (void)
{
  QuorumMember *self = g_object_new (QUORUM_TYPE_MEMBER, NULL);

  self->placeholder = TRUE;
  return self;
}

gboolean
quorum_member_is_placeholder (QuorumMember *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER (self), FALSE);

  return self->placeholder;
}

const char *
quorum_member_get_id (QuorumMember *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER (self), NULL);

  return self->id;
}

const char *
quorum_member_get_user_id (QuorumMember *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER (self), NULL);

  return self->user_id;
}

const char *
quorum_member_get_name (QuorumMember *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER (self), NULL);

  return self->name;
}

const char *
quorum_member_get_email (QuorumMember *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER (self), NULL);

  return self->email;
}

const char *
quorum_member_get_role_name (QuorumMember *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER (self), NULL);

  return self->role;
}

const char *
quorum_member_get_status (QuorumMember *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER (self), NULL);

  return self->status;
}

GDateTime *
quorum_member_get_joined_at (QuorumMember *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER (self), NULL);

  return self->joined_at;
}

GDateTime *
quorum_member_get_last_active_at (QuorumMember *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER (self), NULL);

  return self->last_active_at;
}

QuorumRole
quorum_member_get_role (QuorumMember *self)
{
  g_return_val_if_fail (QUORUM_IS_MEMBER (self), QUORUM_ROLE_NONE);

  return quorum_role_from_string (self->role);
}
