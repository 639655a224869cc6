/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-api-private.h"
#include "quorum-validate.h"
#include "quorum-user.h"

struct _QuorumUser
{
  GObject parent_instance;

  char *id;
  char *name;
  char *email;
  GDateTime *created_at;
  gboolean email_verified;
};

G_DEFINE_FINAL_TYPE (QuorumUser, quorum_user, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_EMAIL,
  PROP_CREATED_AT,
  PROP_EMAIL_VERIFIED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
quorum_user_finalize (GObject *object)
{
  QuorumUser *self = QUORUM_USER (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);

  G_OBJECT_CLASS (quorum_user_parent_class)->finalize (object);
}

static void
quorum_user_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  QuorumUser *self = QUORUM_USER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;

    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;

    case PROP_EMAIL_VERIFIED:
      g_value_set_boolean (value, self->email_verified);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_user_class_init (QuorumUserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = quorum_user_finalize;
  object_class->get_property = quorum_user_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL,
                                            NULL,
                                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL,
                                              NULL,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_EMAIL] = g_param_spec_string ("email", NULL, NULL,
                                               NULL,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_CREATED_AT] = g_param_spec_boxed ("created-at", NULL, NULL,
                                                   G_TYPE_DATE_TIME,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /* Whether the user proved the address by opening the link mailed to it.
   * Only then does the server show what was sent to the address
   * (invitations). */
  properties[PROP_EMAIL_VERIFIED] = g_param_spec_boolean ("email-verified", NULL, NULL,
                                                         FALSE,
                                                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
quorum_user_init (QuorumUser *self)
{
}

/**
 * quorum_user_new_from_json:
 *
 * Returns: (transfer full): a complete object, or %NULL with
 *   %QUORUM_API_ERROR_INVALID_RESPONSE when anything in @node breaks the contract.
 */
QuorumUser *
quorum_user_new_from_json (JsonNode  *node,
                           GError   **error)
{
  g_autoptr(QuorumUser) self = NULL;
  JsonObject *object;
  JsonNode *verified;

  if (!(object = _quorum_json_get_root_object (node, "user", error)))
    return NULL;


  self = g_object_new (QUORUM_TYPE_USER, NULL);

  if (!_quorum_json_get_string (object, "id", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID,
                                QUORUM_MAX_ID_BYTES, &self->id, error))
    return NULL;
  if (!_quorum_json_get_string (object, "name", QUORUM_JSON_REQUIRED, QUORUM_JSON_TEXT,
                                QUORUM_MAX_NAME_BYTES, &self->name, error))
    return NULL;
  if (!_quorum_json_get_string (object, "email", QUORUM_JSON_REQUIRED, QUORUM_JSON_TEXT,
                                QUORUM_EMAIL_MAX_BYTES, &self->email, error))
    return NULL;
  if (!_quorum_json_get_datetime (object, "created_at", QUORUM_JSON_REQUIRED, &self->created_at, error))
    return NULL;
  /* A server from before e-mail verification does not send the field and
   * does not ask for it: nothing to verify there. When present it must be a
   * boolean, like every other field. */
  verified = json_object_get_member (object, "email_verified");
  if (verified == NULL)
    self->email_verified = TRUE;
  else if (!_quorum_json_get_bool (object, "email_verified", &self->email_verified, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
quorum_user_get_id (QuorumUser *self)
{
  g_return_val_if_fail (QUORUM_IS_USER (self), NULL);

  return self->id;
}

const char *
quorum_user_get_name (QuorumUser *self)
{
  g_return_val_if_fail (QUORUM_IS_USER (self), NULL);

  return self->name;
}

const char *
quorum_user_get_email (QuorumUser *self)
{
  g_return_val_if_fail (QUORUM_IS_USER (self), NULL);

  return self->email;
}

GDateTime *
quorum_user_get_created_at (QuorumUser *self)
{
  g_return_val_if_fail (QUORUM_IS_USER (self), NULL);

  return self->created_at;
}

gboolean
quorum_user_get_email_verified (QuorumUser *self)
{
  g_return_val_if_fail (QUORUM_IS_USER (self), FALSE);

  return self->email_verified;
}
