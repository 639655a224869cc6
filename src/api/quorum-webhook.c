/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-api-private.h"
#include "quorum-webhook.h"

/* A webhook of an organization (GET .../webhooks). As created (or with its
 * secret rolled) it holds the signing secret, shown that once. Event types a
 * newer server added are kept as sent. */
struct _QuorumWebhook
{
  GObject parent_instance;

  char      *id;
  char      *url;
  GStrv      events;
  gboolean   enabled;
  char      *description;
  char      *disabled_reason;
  GDateTime *created_at;
  char      *etag;
  char      *secret;
};

G_DEFINE_FINAL_TYPE (QuorumWebhook, quorum_webhook, G_TYPE_OBJECT)

const char * const quorum_webhook_event_types[] = {
  "member.added", "member.removed", "member.updated",
  "invitation.created", "invitation.accepted",
  "organization.updated",
  "api_key.created", "api_key.revoked",
  "billing.low_balance",
  NULL
};

#define MAX_URL_BYTES 2048
#define MAX_DESCRIPTION_BYTES 1024

enum {
  PROP_0,
  PROP_ID,
  PROP_URL,
  PROP_EVENTS,
  PROP_ENABLED,
  PROP_DESCRIPTION,
  PROP_DISABLED_REASON,
  PROP_CREATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
wipe_secret (QuorumWebhook *self)
{
  if (self->secret != NULL)
    {
      explicit_bzero (self->secret, strlen (self->secret));
      g_clear_pointer (&self->secret, g_free);
    }
}

static void
quorum_webhook_finalize (GObject *object)
{
  QuorumWebhook *self = QUORUM_WEBHOOK (object);

  wipe_secret (self);
  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->events, g_strfreev);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->disabled_reason, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->etag, g_free);

  G_OBJECT_CLASS (quorum_webhook_parent_class)->finalize (object);
}

static void
quorum_webhook_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  QuorumWebhook *self = QUORUM_WEBHOOK (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_URL:
      g_value_set_string (value, self->url);
      break;

    case PROP_EVENTS:
      g_value_set_boxed (value, self->events);
      break;

    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    case PROP_DISABLED_REASON:
      g_value_set_string (value, self->disabled_reason);
      break;

    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_webhook_class_init (QuorumWebhookClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = quorum_webhook_finalize;
  object_class->get_property = quorum_webhook_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, flags);
  properties[PROP_EVENTS] = g_param_spec_boxed ("events", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_ENABLED] = g_param_spec_boolean ("enabled", NULL, NULL, FALSE, flags);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  properties[PROP_DISABLED_REASON] = g_param_spec_string ("disabled-reason", NULL, NULL, NULL, flags);
  properties[PROP_CREATED_AT] = g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
quorum_webhook_init (QuorumWebhook *self)
{
}

/**
 * quorum_webhook_new_from_json:
 *
 * A Webhook, or a WebhookWithSecret (then quorum_webhook_get_secret() holds
 * the signing secret).
 *
 * Returns: (transfer full): a complete webhook, or %NULL with
 *   %QUORUM_API_ERROR_INVALID_RESPONSE when @node breaks the contract.
 */
QuorumWebhook *
quorum_webhook_new_from_json (JsonNode  *node,
                              GError   **error)
{
  g_autoptr(QuorumWebhook) self = NULL;
  JsonObject *object;

  if (!(object = _quorum_json_get_root_object (node, "webhook", error)))
    return NULL;

  self = g_object_new (QUORUM_TYPE_WEBHOOK, NULL);

  if (!_quorum_json_get_string (object, "id", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID,
                                QUORUM_MAX_ID_BYTES, &self->id, error) ||
      !_quorum_json_get_web_url (object, "url", MAX_URL_BYTES, &self->url, error))
    return NULL;
  if (!_quorum_json_get_words (object, "events", 64, 64, &self->events, error) ||
      !_quorum_json_get_bool (object, "enabled", &self->enabled, error) ||
      !_quorum_json_get_string (object, "description", QUORUM_JSON_OPTIONAL, QUORUM_JSON_ANY,
                                MAX_DESCRIPTION_BYTES, &self->description, error) ||
      !_quorum_json_get_string (object, "disabled_reason", QUORUM_JSON_OPTIONAL, QUORUM_JSON_ANY,
                                MAX_DESCRIPTION_BYTES, &self->disabled_reason, error) ||
      !_quorum_json_get_datetime (object, "created_at", QUORUM_JSON_REQUIRED, &self->created_at, error) ||
      !_quorum_json_get_string (object, "secret", QUORUM_JSON_OPTIONAL, QUORUM_JSON_ID,
                                QUORUM_MAX_TOKEN_BYTES, &self->secret, error))
    return NULL;

  if (self->description == NULL)
    self->description = g_strdup ("");

  return g_steal_pointer (&self);
}

const char *
quorum_webhook_get_id (QuorumWebhook *self)
{
  g_return_val_if_fail (QUORUM_IS_WEBHOOK (self), NULL);

  return self->id;
}

const char *
quorum_webhook_get_url (QuorumWebhook *self)
{
  g_return_val_if_fail (QUORUM_IS_WEBHOOK (self), NULL);

  return self->url;
}

const char * const *
quorum_webhook_get_events (QuorumWebhook *self)
{
  g_return_val_if_fail (QUORUM_IS_WEBHOOK (self), NULL);

  return (const char * const *) self->events;
}

gboolean
quorum_webhook_has_event (QuorumWebhook *self,
                          const char    *event)
{
  g_return_val_if_fail (QUORUM_IS_WEBHOOK (self), FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  return g_strv_contains ((const char * const *) self->events, event);
}

gboolean
quorum_webhook_get_enabled (QuorumWebhook *self)
{
  g_return_val_if_fail (QUORUM_IS_WEBHOOK (self), FALSE);

  return self->enabled;
}

/* "" when none. */
const char *
quorum_webhook_get_description (QuorumWebhook *self)
{
  g_return_val_if_fail (QUORUM_IS_WEBHOOK (self), NULL);

  return self->description;
}

/* Why the server turned the webhook off (a run of failed deliveries), or NULL. */
const char *
quorum_webhook_get_disabled_reason (QuorumWebhook *self)
{
  g_return_val_if_fail (QUORUM_IS_WEBHOOK (self), NULL);

  return self->disabled_reason;
}

GDateTime *
quorum_webhook_get_created_at (QuorumWebhook *self)
{
  g_return_val_if_fail (QUORUM_IS_WEBHOOK (self), NULL);

  return self->created_at;
}

/* The ETag of the answer it came from, for If-Match; NULL when none. */
const char *
quorum_webhook_get_etag (QuorumWebhook *self)
{
  g_return_val_if_fail (QUORUM_IS_WEBHOOK (self), NULL);

  return self->etag;
}

void
_quorum_webhook_set_etag (QuorumWebhook *self,
                          const char    *etag)
{
  g_return_if_fail (QUORUM_IS_WEBHOOK (self));

  g_free (self->etag);
  self->etag = g_strdup (etag);
}

/* The signing secret of a webhook just created or rolled; NULL otherwise. */
const char *
quorum_webhook_get_secret (QuorumWebhook *self)
{
  g_return_val_if_fail (QUORUM_IS_WEBHOOK (self), NULL);

  return self->secret;
}

void
quorum_webhook_forget_secret (QuorumWebhook *self)
{
  g_return_if_fail (QUORUM_IS_WEBHOOK (self));

  wipe_secret (self);
}
