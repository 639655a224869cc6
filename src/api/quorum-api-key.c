/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-api-private.h"
#include "quorum-api-key.h"

/* An organization's API key (GET .../api-keys). As created or rotated it
 * also holds its secret, which the server shows that once: the app shows
 * it, then quorum_api_key_forget_secret() wipes it. Scopes a newer server
 * added are kept by name (scope-names) and left out of the flags. */
struct _QuorumApiKey
{
  GObject parent_instance;

  char        *id;
  char        *name;
  char        *prefix;
  GStrv        scope_names;
  QuorumScope  scopes;
  GDateTime   *created_at;
  GDateTime   *expires_at;
  GDateTime   *last_used_at;
  char        *created_by_id;
  char        *created_by_name;
  char        *secret;
};

G_DEFINE_FINAL_TYPE (QuorumApiKey, quorum_api_key, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_PREFIX,
  PROP_SCOPE_NAMES,
  PROP_CREATED_AT,
  PROP_EXPIRES_AT,
  PROP_LAST_USED_AT,
  PROP_CREATED_BY_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
wipe_secret (QuorumApiKey *self)
{
  if (self->secret != NULL)
    {
      explicit_bzero (self->secret, strlen (self->secret));
      g_clear_pointer (&self->secret, g_free);
    }
}

static void
quorum_api_key_finalize (GObject *object)
{
  QuorumApiKey *self = QUORUM_API_KEY (object);

  wipe_secret (self);
  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->prefix, g_free);
  g_clear_pointer (&self->scope_names, g_strfreev);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->expires_at, g_date_time_unref);
  g_clear_pointer (&self->last_used_at, g_date_time_unref);
  g_clear_pointer (&self->created_by_id, g_free);
  g_clear_pointer (&self->created_by_name, g_free);

  G_OBJECT_CLASS (quorum_api_key_parent_class)->finalize (object);
}

static void
quorum_api_key_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  QuorumApiKey *self = QUORUM_API_KEY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_PREFIX:
      g_value_set_string (value, self->prefix);
      break;

    case PROP_SCOPE_NAMES:
      g_value_set_boxed (value, self->scope_names);
      break;

    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;

    case PROP_EXPIRES_AT:
      g_value_set_boxed (value, self->expires_at);
      break;

    case PROP_LAST_USED_AT:
      g_value_set_boxed (value, self->last_used_at);
      break;

    case PROP_CREATED_BY_NAME:
      g_value_set_string (value, self->created_by_name);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_api_key_class_init (QuorumApiKeyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = quorum_api_key_finalize;
  object_class->get_property = quorum_api_key_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_PREFIX] = g_param_spec_string ("prefix", NULL, NULL, NULL, flags);
  properties[PROP_SCOPE_NAMES] = g_param_spec_boxed ("scope-names", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_CREATED_AT] = g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_EXPIRES_AT] = g_param_spec_boxed ("expires-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_LAST_USED_AT] = g_param_spec_boxed ("last-used-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_CREATED_BY_NAME] = g_param_spec_string ("created-by-name", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
quorum_api_key_init (QuorumApiKey *self)
{
}

/**
 * quorum_api_key_new_from_json:
 *
 * An ApiKey, or an ApiKeyWithSecret (then quorum_api_key_get_secret() holds
 * the secret).
 *
 * Returns: (transfer full): a complete key, or %NULL with
 *   %QUORUM_API_ERROR_INVALID_RESPONSE when @node breaks the contract.
 */
QuorumApiKey *
quorum_api_key_new_from_json (JsonNode  *node,
                              GError   **error)
{
  g_autoptr(QuorumApiKey) self = NULL;
  JsonObject *object;
  JsonObject *created_by;

  if (!(object = _quorum_json_get_root_object (node, "API key", error)))
    return NULL;

  self = g_object_new (QUORUM_TYPE_API_KEY, NULL);

  if (!_quorum_json_get_string (object, "id", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID,
                                QUORUM_MAX_ID_BYTES, &self->id, error) ||
      !_quorum_json_get_string (object, "name", QUORUM_JSON_REQUIRED, QUORUM_JSON_TEXT,
                                QUORUM_MAX_NAME_BYTES, &self->name, error) ||
      !_quorum_json_get_string (object, "prefix", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID,
                                QUORUM_MAX_ID_BYTES, &self->prefix, error) ||
      !_quorum_json_get_words (object, "scopes", 64, 64, &self->scope_names, error) ||
      !_quorum_json_get_datetime (object, "created_at", QUORUM_JSON_REQUIRED, &self->created_at, error) ||
      !_quorum_json_get_datetime (object, "expires_at", QUORUM_JSON_NULLABLE, &self->expires_at, error) ||
      !_quorum_json_get_datetime (object, "last_used_at", QUORUM_JSON_NULLABLE, &self->last_used_at, error) ||
      !_quorum_json_get_object (object, "created_by", QUORUM_JSON_REQUIRED, &created_by, error) ||
      !_quorum_json_get_string (created_by, "id", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID,
                                QUORUM_MAX_ID_BYTES, &self->created_by_id, error) ||
      !_quorum_json_get_string (created_by, "name", QUORUM_JSON_REQUIRED, QUORUM_JSON_ANY,
                                QUORUM_MAX_NAME_BYTES, &self->created_by_name, error) ||
      !_quorum_json_get_string (object, "secret", QUORUM_JSON_OPTIONAL, QUORUM_JSON_ID,
                                QUORUM_MAX_TOKEN_BYTES, &self->secret, error))
    return NULL;

  for (guint i = 0; self->scope_names[i] != NULL; i++)
    self->scopes |= quorum_scope_from_string (self->scope_names[i]);

  return g_steal_pointer (&self);
}

const char *
quorum_api_key_get_id (QuorumApiKey *self)
{
  g_return_val_if_fail (QUORUM_IS_API_KEY (self), NULL);

  return self->id;
}

const char *
quorum_api_key_get_name (QuorumApiKey *self)
{
  g_return_val_if_fail (QUORUM_IS_API_KEY (self), NULL);

  return self->name;
}

/* The first characters of the secret, to recognise the key by. */
const char *
quorum_api_key_get_prefix (QuorumApiKey *self)
{
  g_return_val_if_fail (QUORUM_IS_API_KEY (self), NULL);

  return self->prefix;
}

/* Every scope as the server named it, known or not. */
const char * const *
quorum_api_key_get_scope_names (QuorumApiKey *self)
{
  g_return_val_if_fail (QUORUM_IS_API_KEY (self), NULL);

  return (const char * const *) self->scope_names;
}

/* The scopes this client knows. */
QuorumScope
quorum_api_key_get_scopes (QuorumApiKey *self)
{
  g_return_val_if_fail (QUORUM_IS_API_KEY (self), QUORUM_SCOPE_NONE);

  return self->scopes;
}

GDateTime *
quorum_api_key_get_created_at (QuorumApiKey *self)
{
  g_return_val_if_fail (QUORUM_IS_API_KEY (self), NULL);

  return self->created_at;
}

/* NULL: never expires. */
GDateTime *
quorum_api_key_get_expires_at (QuorumApiKey *self)
{
  g_return_val_if_fail (QUORUM_IS_API_KEY (self), NULL);

  return self->expires_at;
}

/* NULL: never used. */
GDateTime *
quorum_api_key_get_last_used_at (QuorumApiKey *self)
{
  g_return_val_if_fail (QUORUM_IS_API_KEY (self), NULL);

  return self->last_used_at;
}

const char *
quorum_api_key_get_created_by_id (QuorumApiKey *self)
{
  g_return_val_if_fail (QUORUM_IS_API_KEY (self), NULL);

  return self->created_by_id;
}

const char *
quorum_api_key_get_created_by_name (QuorumApiKey *self)
{
  g_return_val_if_fail (QUORUM_IS_API_KEY (self), NULL);

  return self->created_by_name;
}

/* The secret of a key just created or rotated; NULL otherwise or once forgotten. */
const char *
quorum_api_key_get_secret (QuorumApiKey *self)
{
  g_return_val_if_fail (QUORUM_IS_API_KEY (self), NULL);

  return self->secret;
}

/* Wipes the secret from memory: it is shown once. */
void
quorum_api_key_forget_secret (QuorumApiKey *self)
{
  g_return_if_fail (QUORUM_IS_API_KEY (self));

  wipe_secret (self);
}

gboolean
quorum_api_key_is_expired (QuorumApiKey *self,
                           GDateTime    *now)
{
  g_return_val_if_fail (QUORUM_IS_API_KEY (self), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  return self->expires_at != NULL && g_date_time_compare (self->expires_at, now) <= 0;
}

/* Created more than QUORUM_API_KEY_ROTATE_AFTER_DAYS days before @now (and
 * not expired: an expired key is not rotated, it is replaced). */
gboolean
quorum_api_key_is_due_for_rotation (QuorumApiKey *self,
                                    GDateTime    *now)
{
  g_return_val_if_fail (QUORUM_IS_API_KEY (self), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  return !quorum_api_key_is_expired (self, now) &&
         g_date_time_difference (now, self->created_at) >
           (GTimeSpan) QUORUM_API_KEY_ROTATE_AFTER_DAYS * G_TIME_SPAN_DAY;
}
