/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-api-private.h"
#include "quorum-plan.h"

/* A plan on offer (GET /v1/plans, and the current one inside a billing
 * summary). seat-limit is 0 when the plan has no limit (null in the API). */
struct _QuorumPlan
{
  GObject parent_instance;

  char   *id;
  char   *name;
  gint64  price_cents;
  char   *currency;
  int     seat_limit;
  gint64  included_credits;
};

G_DEFINE_FINAL_TYPE (QuorumPlan, quorum_plan, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_PRICE_CENTS,
  PROP_CURRENCY,
  PROP_SEAT_LIMIT,
  PROP_INCLUDED_CREDITS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
quorum_plan_finalize (GObject *object)
{
  QuorumPlan *self = QUORUM_PLAN (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->currency, g_free);

  G_OBJECT_CLASS (quorum_plan_parent_class)->finalize (object);
}

static void
quorum_plan_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  QuorumPlan *self = QUORUM_PLAN (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_PRICE_CENTS:
      g_value_set_int64 (value, self->price_cents);
      break;

    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;

    case PROP_SEAT_LIMIT:
      g_value_set_int (value, self->seat_limit);
      break;

    case PROP_INCLUDED_CREDITS:
      g_value_set_int64 (value, self->included_credits);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_plan_class_init (QuorumPlanClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = quorum_plan_finalize;
  object_class->get_property = quorum_plan_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRICE_CENTS] = g_param_spec_int64 ("price-cents", NULL, NULL,
                                                     0, QUORUM_MAX_CENTS, 0,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURRENCY] = g_param_spec_string ("currency", NULL, NULL, NULL,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEAT_LIMIT] = g_param_spec_int ("seat-limit", NULL, NULL,
                                                  0, G_MAXINT, 0,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_INCLUDED_CREDITS] = g_param_spec_int64 ("included-credits", NULL, NULL,
                                                          0, QUORUM_MAX_CENTS, 0,
                                                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
quorum_plan_init (QuorumPlan *self)
{
}

/**
 * quorum_plan_new_from_json:
 *
 * Returns: (transfer full): a complete plan, or %NULL with
 *   %QUORUM_API_ERROR_INVALID_RESPONSE when @node breaks the contract.
 */
QuorumPlan *
quorum_plan_new_from_json (JsonNode  *node,
                           GError   **error)
{
  g_autoptr(QuorumPlan) self = NULL;
  JsonObject *object;
  gboolean limited = FALSE;
  gint64 number = 0;

  if (!(object = _quorum_json_get_root_object (node, "plan", error)))
    return NULL;

  self = g_object_new (QUORUM_TYPE_PLAN, NULL);

  if (!_quorum_json_get_string (object, "id", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID,
                                QUORUM_MAX_ID_BYTES, &self->id, error))
    return NULL;
  if (!_quorum_json_get_string (object, "name", QUORUM_JSON_REQUIRED, QUORUM_JSON_TEXT,
                                QUORUM_MAX_NAME_BYTES, &self->name, error))
    return NULL;
  if (!_quorum_json_get_int (object, "price_cents", QUORUM_JSON_REQUIRED, 0, QUORUM_MAX_CENTS,
                             &self->price_cents, error))
    return NULL;
  if (!_quorum_json_get_currency (object, "currency", &self->currency, error))
    return NULL;
  /* null is "no limit" */
  if (!_quorum_json_get_nullable_int (object, "seat_limit", QUORUM_JSON_NULLABLE, 1, G_MAXINT,
                                      &limited, &number, error))
    return NULL;
  self->seat_limit = limited ? (int) number : 0;
  if (!_quorum_json_get_int (object, "included_credits", QUORUM_JSON_REQUIRED, 0, QUORUM_MAX_CENTS,
                             &self->included_credits, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
quorum_plan_get_id (QuorumPlan *self)
{
  g_return_val_if_fail (QUORUM_IS_PLAN (self), NULL);

  return self->id;
}

const char *
quorum_plan_get_name (QuorumPlan *self)
{
  g_return_val_if_fail (QUORUM_IS_PLAN (self), NULL);

  return self->name;
}

gint64
quorum_plan_get_price_cents (QuorumPlan *self)
{
  g_return_val_if_fail (QUORUM_IS_PLAN (self), 0);

  return self->price_cents;
}

const char *
quorum_plan_get_currency (QuorumPlan *self)
{
  g_return_val_if_fail (QUORUM_IS_PLAN (self), NULL);

  return self->currency;
}

/**
 * quorum_plan_get_seat_limit:
 *
 * Returns: the most seats (members plus pending invitations), or 0 for no limit
 */
int
quorum_plan_get_seat_limit (QuorumPlan *self)
{
  g_return_val_if_fail (QUORUM_IS_PLAN (self), 0);

  return self->seat_limit;
}

gint64
quorum_plan_get_included_credits (QuorumPlan *self)
{
  g_return_val_if_fail (QUORUM_IS_PLAN (self), 0);

  return self->included_credits;
}
