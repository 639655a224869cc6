/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "quorum-api-private.h"
#include "quorum-usage-item.h"

/* One point of a usage series (GET .../usage): the credits and requests of
 * one day (key "YYYY-MM-DD", and day set to that UTC midnight) or of one
 * member or API key (key its id, day NULL). */
struct _QuorumUsageItem
{
  GObject parent_instance;

  char      *key;
  GDateTime *day;
  gint64     credits;
  gint64     requests;
};

G_DEFINE_FINAL_TYPE (QuorumUsageItem, quorum_usage_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KEY,
  PROP_DAY,
  PROP_CREDITS,
  PROP_REQUESTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
quorum_usage_item_finalize (GObject *object)
{
  QuorumUsageItem *self = QUORUM_USAGE_ITEM (object);

  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->day, g_date_time_unref);

  G_OBJECT_CLASS (quorum_usage_item_parent_class)->finalize (object);
}

static void
quorum_usage_item_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  QuorumUsageItem *self = QUORUM_USAGE_ITEM (object);

  switch (prop_id)
    {
    case PROP_KEY:
      g_value_set_string (value, self->key);
      break;

    case PROP_DAY:
      g_value_set_boxed (value, self->day);
      break;

    case PROP_CREDITS:
      g_value_set_int64 (value, self->credits);
      break;

    case PROP_REQUESTS:
      g_value_set_int64 (value, self->requests);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_usage_item_class_init (QuorumUsageItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = quorum_usage_item_finalize;
  object_class->get_property = quorum_usage_item_get_property;

  properties[PROP_KEY] = g_param_spec_string ("key", NULL, NULL, NULL, flags);
  properties[PROP_DAY] = g_param_spec_boxed ("day", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_CREDITS] = g_param_spec_int64 ("credits", NULL, NULL, 0, QUORUM_MAX_CENTS, 0, flags);
  properties[PROP_REQUESTS] = g_param_spec_int64 ("requests", NULL, NULL, 0, QUORUM_MAX_CENTS, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
quorum_usage_item_init (QuorumUsageItem *self)
{
}

/* "YYYY-MM-DD", a real calendar day, as its UTC midnight; NULL otherwise. */
static GDateTime *
parse_day (const char *key)
{
  int year, month, day;
  char rest;

  if (strlen (key) != 10 || key[4] != '-' || key[7] != '-' ||
      sscanf (key, "%4d-%2d-%2d%c", &year, &month, &day, &rest) != 3)
    return NULL;
  if (year < 1 || year > 9999 || !g_date_valid_dmy ((GDateDay) CLAMP (day, 0, 31),
                                                    (GDateMonth) CLAMP (month, 0, 12),
                                                    (GDateYear) year))
    return NULL;
  return g_date_time_new_utc (year, month, day, 0, 0, 0);
}

/**
 * quorum_usage_item_new_from_json:
 *
 * Returns: (transfer full): a complete item, or %NULL with
 *   %QUORUM_API_ERROR_INVALID_RESPONSE when @node breaks the contract.
 */
QuorumUsageItem *
quorum_usage_item_new_from_json (JsonNode  *node,
                                 GError   **error)
{
  g_autoptr(QuorumUsageItem) self = NULL;
  JsonObject *object;

  if (!(object = _quorum_json_get_root_object (node, "usage item", error)))
    return NULL;

  self = g_object_new (QUORUM_TYPE_USAGE_ITEM, NULL);

  if (!_quorum_json_get_string (object, "key", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID,
                                QUORUM_MAX_ID_BYTES, &self->key, error))
    return NULL;
  if (!_quorum_json_get_int (object, "credits", QUORUM_JSON_REQUIRED, 0, QUORUM_MAX_CENTS,
                             &self->credits, error))
    return NULL;
  if (!_quorum_json_get_int (object, "requests", QUORUM_JSON_REQUIRED, 0, QUORUM_MAX_CENTS,
                             &self->requests, error))
    return NULL;
  self->day = parse_day (self->key);

  return g_steal_pointer (&self);
}

const char *
quorum_usage_item_get_key (QuorumUsageItem *self)
{
  g_return_val_if_fail (QUORUM_IS_USAGE_ITEM (self), NULL);

  return self->key;
}

/**
 * quorum_usage_item_get_day:
 *
 * Returns: (nullable) (transfer none): the day's UTC midnight when the
 *   series is grouped by day
 */
GDateTime *
quorum_usage_item_get_day (QuorumUsageItem *self)
{
  g_return_val_if_fail (QUORUM_IS_USAGE_ITEM (self), NULL);

  return self->day;
}

gint64
quorum_usage_item_get_credits (QuorumUsageItem *self)
{
  g_return_val_if_fail (QUORUM_IS_USAGE_ITEM (self), 0);

  return self->credits;
}

gint64
quorum_usage_item_get_requests (QuorumUsageItem *self)
{
  g_return_val_if_fail (QUORUM_IS_USAGE_ITEM (self), 0);

  return self->requests;
}
