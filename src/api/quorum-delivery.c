/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-api-private.h"
#include "quorum-delivery.h"

/* One try at delivering one event to one webhook (GET .../deliveries). */
struct _QuorumDelivery
{
  GObject parent_instance;

  char                 *id;
  char                 *webhook_id;
  char                 *event_id;
  char                 *event;
  guint                 attempt;
  QuorumDeliveryStatus  status;
  guint                 response_status;
  gint64                duration_ms;
  char                 *error;
  GDateTime            *created_at;
  GDateTime            *next_retry_at;
};

G_DEFINE_FINAL_TYPE (QuorumDelivery, quorum_delivery, G_TYPE_OBJECT)

/* Past what the server retries (6), so a server that retries more still parses. */
#define MAX_ATTEMPT 100
/* A day: far past any timeout. */
#define MAX_DURATION_MS G_GINT64_CONSTANT (86400000)
#define MAX_ERROR_BYTES 1024

enum {
  PROP_0,
  PROP_ID,
  PROP_EVENT,
  PROP_ATTEMPT,
  PROP_RESPONSE_STATUS,
  PROP_DURATION_MS,
  PROP_ERROR,
  PROP_CREATED_AT,
  PROP_NEXT_RETRY_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
quorum_delivery_finalize (GObject *object)
{
  QuorumDelivery *self = QUORUM_DELIVERY (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->webhook_id, g_free);
  g_clear_pointer (&self->event_id, g_free);
  g_clear_pointer (&self->event, g_free);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->next_retry_at, g_date_time_unref);

  G_OBJECT_CLASS (quorum_delivery_parent_class)->finalize (object);
}

static void
quorum_delivery_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  QuorumDelivery *self = QUORUM_DELIVERY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_EVENT:
      g_value_set_string (value, self->event);
      break;

    case PROP_ATTEMPT:
      g_value_set_uint (value, self->attempt);
      break;

    case PROP_RESPONSE_STATUS:
      g_value_set_uint (value, self->response_status);
      break;

    case PROP_DURATION_MS:
      g_value_set_int64 (value, self->duration_ms);
      break;

    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;

    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;

    case PROP_NEXT_RETRY_AT:
      g_value_set_boxed (value, self->next_retry_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_delivery_class_init (QuorumDeliveryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = quorum_delivery_finalize;
  object_class->get_property = quorum_delivery_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_EVENT] = g_param_spec_string ("event", NULL, NULL, NULL, flags);
  properties[PROP_ATTEMPT] = g_param_spec_uint ("attempt", NULL, NULL, 0, MAX_ATTEMPT, 0, flags);
  properties[PROP_RESPONSE_STATUS] = g_param_spec_uint ("response-status", NULL, NULL, 0, 599, 0, flags);
  properties[PROP_DURATION_MS] = g_param_spec_int64 ("duration-ms", NULL, NULL, -1, MAX_DURATION_MS, -1, flags);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, flags);
  properties[PROP_CREATED_AT] = g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_NEXT_RETRY_AT] = g_param_spec_boxed ("next-retry-at", NULL, NULL, G_TYPE_DATE_TIME, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
quorum_delivery_init (QuorumDelivery *self)
{
  self->duration_ms = -1;
}

/**
 * quorum_delivery_new_from_json:
 *
 * Returns: (transfer full): a complete delivery attempt, or %NULL with
 *   %QUORUM_API_ERROR_INVALID_RESPONSE when @node breaks the contract.
 */
QuorumDelivery *
quorum_delivery_new_from_json (JsonNode  *node,
                               GError   **error)
{
  static const char * const statuses[] = { "pending", "succeeded", "failed", NULL };
  g_autoptr(QuorumDelivery) self = NULL;
  JsonObject *object;
  const char *status;
  gint64 attempt;
  gint64 response_status;
  gboolean present;

  if (!(object = _quorum_json_get_root_object (node, "delivery", error)))
    return NULL;

  self = g_object_new (QUORUM_TYPE_DELIVERY, NULL);

  if (!_quorum_json_get_string (object, "id", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID,
                                QUORUM_MAX_ID_BYTES, &self->id, error) ||
      !_quorum_json_get_string (object, "webhook_id", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID,
                                QUORUM_MAX_ID_BYTES, &self->webhook_id, error) ||
      !_quorum_json_get_string (object, "event_id", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID,
                                QUORUM_MAX_ID_BYTES, &self->event_id, error) ||
      !_quorum_json_get_string (object, "event", QUORUM_JSON_REQUIRED, QUORUM_JSON_TEXT,
                                64, &self->event, error) ||
      !_quorum_json_get_int (object, "attempt", QUORUM_JSON_REQUIRED, 1, MAX_ATTEMPT, &attempt, error) ||
      !_quorum_json_get_enum (object, "status", statuses, &status, error) ||
      !_quorum_json_get_nullable_int (object, "response_status", QUORUM_JSON_REQUIRED, 100, 599,
                                      &present, &response_status, error) ||
      !_quorum_json_get_nullable_int (object, "duration_ms", QUORUM_JSON_REQUIRED, 0, MAX_DURATION_MS,
                                      &present, &self->duration_ms, error))
    return NULL;
  if (!present)
    self->duration_ms = -1;
  if (!_quorum_json_get_string (object, "error", QUORUM_JSON_NULLABLE, QUORUM_JSON_ANY,
                                MAX_ERROR_BYTES, &self->error, error) ||
      !_quorum_json_get_datetime (object, "created_at", QUORUM_JSON_REQUIRED, &self->created_at, error) ||
      !_quorum_json_get_datetime (object, "next_retry_at", QUORUM_JSON_NULLABLE, &self->next_retry_at, error))
    return NULL;

  self->attempt = (guint) attempt;
  self->response_status = (guint) response_status;
  self->status = g_str_equal (status, "pending") ? QUORUM_DELIVERY_PENDING
               : g_str_equal (status, "succeeded") ? QUORUM_DELIVERY_SUCCEEDED
               : QUORUM_DELIVERY_FAILED;

  return g_steal_pointer (&self);
}

const char *
quorum_delivery_get_id (QuorumDelivery *self)
{
  g_return_val_if_fail (QUORUM_IS_DELIVERY (self), NULL);

  return self->id;
}

const char *
quorum_delivery_get_webhook_id (QuorumDelivery *self)
{
  g_return_val_if_fail (QUORUM_IS_DELIVERY (self), NULL);

  return self->webhook_id;
}

const char *
quorum_delivery_get_event_id (QuorumDelivery *self)
{
  g_return_val_if_fail (QUORUM_IS_DELIVERY (self), NULL);

  return self->event_id;
}

/* The event type ("member.added"), or "ping". */
const char *
quorum_delivery_get_event (QuorumDelivery *self)
{
  g_return_val_if_fail (QUORUM_IS_DELIVERY (self), NULL);

  return self->event;
}

/* 1 for the first try, 2 for the first retry, … */
guint
quorum_delivery_get_attempt (QuorumDelivery *self)
{
  g_return_val_if_fail (QUORUM_IS_DELIVERY (self), 0);

  return self->attempt;
}

QuorumDeliveryStatus
quorum_delivery_get_status (QuorumDelivery *self)
{
  g_return_val_if_fail (QUORUM_IS_DELIVERY (self), QUORUM_DELIVERY_FAILED);

  return self->status;
}

/* The receiver's HTTP status, 0 when it did not answer. */
guint
quorum_delivery_get_response_status (QuorumDelivery *self)
{
  g_return_val_if_fail (QUORUM_IS_DELIVERY (self), 0);

  return self->response_status;
}

/* How long the try took, -1 while pending. */
gint64
quorum_delivery_get_duration_ms (QuorumDelivery *self)
{
  g_return_val_if_fail (QUORUM_IS_DELIVERY (self), -1);

  return self->duration_ms;
}

/* Why the try failed without an answer, as the server said it (pass it
 * through quorum_api_text_for_display() to show it), or NULL. */
const char *
quorum_delivery_get_error (QuorumDelivery *self)
{
  g_return_val_if_fail (QUORUM_IS_DELIVERY (self), NULL);

  return self->error;
}

GDateTime *
quorum_delivery_get_created_at (QuorumDelivery *self)
{
  g_return_val_if_fail (QUORUM_IS_DELIVERY (self), NULL);

  return self->created_at;
}

/* When the next try is due, or NULL. */
GDateTime *
quorum_delivery_get_next_retry_at (QuorumDelivery *self)
{
  g_return_val_if_fail (QUORUM_IS_DELIVERY (self), NULL);

  return self->next_retry_at;
}
