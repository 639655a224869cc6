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
  PROP_PLACEHOLDER,
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

    case PROP_PLACEHOLDER:
      g_value_set_boolean (value, self->placeholder);
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

  /**
   * QuorumMember:placeholder:
   *
   * A stand-in for a member not loaded yet (quorum_member_new_placeholder());
   * it turns %FALSE, once, when quorum_member_fill() gives it its member.
   */
  properties[PROP_PLACEHOLDER] = g_param_spec_boolean ("placeholder", NULL, NULL,
                                                      FALSE,
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

/* Takes @value for *@field (owned), notifying @prop when it differs. */
static void
fill_string (QuorumMember  *self,
             char         **field,
             const char    *value,
             guint          prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
fill_date_time (QuorumMember  *self,
                GDateTime    **field,
                GDateTime     *value,
                guint          prop)
{
  if (*field == value || (*field != NULL && value != NULL && g_date_time_equal (*field, value)))
    return;
  g_clear_pointer (field, g_date_time_unref);
  *field = value != NULL ? g_date_time_ref (value) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/**
 * quorum_member_fill:
 * @self: a placeholder (quorum_member_new_placeholder())
 * @member: the member loaded for the placeholder's position, not a placeholder
 *
 * Makes @self the member @member is, in place: every field copied, no
 * longer a placeholder. The list hands out placeholders for positions not
 * loaded yet and fills them when their page arrives, so a view that holds
 * one (a bound row) sees its member through "notify" (one per property
 * that changed, "placeholder" among them, emitted once every field is
 * set) instead of the list's items-changed, which would make it bind the
 * position again. Only a placeholder is filled, and only once.
 */
void
quorum_member_fill (QuorumMember *self,
                    QuorumMember *member)
{
  g_return_if_fail (QUORUM_IS_MEMBER (self));
  g_return_if_fail (QUORUM_IS_MEMBER (member));
  g_return_if_fail (self->placeholder);
  g_return_if_fail (!member->placeholder);

  g_object_freeze_notify (G_OBJECT (self));
  fill_string (self, &self->id, member->id, PROP_ID);
  fill_string (self, &self->user_id, member->user_id, PROP_USER_ID);
  fill_string (self, &self->name, member->name, PROP_NAME);
  fill_string (self, &self->email, member->email, PROP_EMAIL);
  /* Interned by _quorum_json_get_role()/_get_enum(): static strings. */
  if (self->role != member->role)
    {
      self->role = member->role;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
    }
  if (self->status != member->status)
    {
      self->status = member->status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  fill_date_time (self, &self->joined_at, member->joined_at, PROP_JOINED_AT);
  fill_date_time (self, &self->last_active_at, member->last_active_at, PROP_LAST_ACTIVE_AT);
  self->placeholder = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLACEHOLDER]);
  g_object_thaw_notify (G_OBJECT (self));
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
