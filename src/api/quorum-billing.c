/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "quorum-api-private.h"
#include "quorum-billing.h"
#include "quorum-plan.h"

/* An organization's billing state (GET /v1/organizations/{id}/billing): its
 * plan, prepaid balance, seats and low-balance alert. seat-limit is 0 when
 * the plan has no limit; low-balance-alert-cents is QUORUM_BILLING_NO_ALERT
 * when the alert is off. */
struct _QuorumBilling
{
  GObject parent_instance;

  QuorumPlan *plan;
  gint64      balance_cents;
  char       *currency;
  int         seats_used;
  int         seat_limit;
  gint64      low_balance_alert_cents;
  char       *card_brand;
  char       *card_last4;
  GDateTime  *next_invoice_at;
  char       *etag;
};

G_DEFINE_FINAL_TYPE (QuorumBilling, quorum_billing, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PLAN,
  PROP_BALANCE_CENTS,
  PROP_CURRENCY,
  PROP_SEATS_USED,
  PROP_SEAT_LIMIT,
  PROP_LOW_BALANCE_ALERT_CENTS,
  PROP_BALANCE_IS_LOW,
  PROP_CARD_BRAND,
  PROP_CARD_LAST4,
  PROP_NEXT_INVOICE_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
quorum_billing_finalize (GObject *object)
{
  QuorumBilling *self = QUORUM_BILLING (object);

  g_clear_object (&self->plan);
  g_clear_pointer (&self->currency, g_free);
  g_clear_pointer (&self->card_brand, g_free);
  g_clear_pointer (&self->card_last4, g_free);
  g_clear_pointer (&self->next_invoice_at, g_date_time_unref);
  g_clear_pointer (&self->etag, g_free);

  G_OBJECT_CLASS (quorum_billing_parent_class)->finalize (object);
}

static void
quorum_billing_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  QuorumBilling *self = QUORUM_BILLING (object);

  switch (prop_id)
    {
    case PROP_PLAN:
      g_value_set_object (value, self->plan);
      break;

    case PROP_BALANCE_CENTS:
      g_value_set_int64 (value, self->balance_cents);
      break;

    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;

    case PROP_SEATS_USED:
      g_value_set_int (value, self->seats_used);
      break;

    case PROP_SEAT_LIMIT:
      g_value_set_int (value, self->seat_limit);
      break;

    case PROP_LOW_BALANCE_ALERT_CENTS:
      g_value_set_int64 (value, self->low_balance_alert_cents);
      break;

    case PROP_BALANCE_IS_LOW:
      g_value_set_boolean (value, quorum_billing_get_balance_is_low (self));
      break;

    case PROP_CARD_BRAND:
      g_value_set_string (value, self->card_brand);
      break;

    case PROP_CARD_LAST4:
      g_value_set_string (value, self->card_last4);
      break;

    case PROP_NEXT_INVOICE_AT:
      g_value_set_boxed (value, self->next_invoice_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_billing_class_init (QuorumBillingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = quorum_billing_finalize;
  object_class->get_property = quorum_billing_get_property;

  properties[PROP_PLAN] = g_param_spec_object ("plan", NULL, NULL, QUORUM_TYPE_PLAN, flags);
  properties[PROP_BALANCE_CENTS] = g_param_spec_int64 ("balance-cents", NULL, NULL,
                                                       -QUORUM_MAX_CENTS, QUORUM_MAX_CENTS, 0, flags);
  properties[PROP_CURRENCY] = g_param_spec_string ("currency", NULL, NULL, NULL, flags);
  properties[PROP_SEATS_USED] = g_param_spec_int ("seats-used", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_SEAT_LIMIT] = g_param_spec_int ("seat-limit", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_LOW_BALANCE_ALERT_CENTS] =
    g_param_spec_int64 ("low-balance-alert-cents", NULL, NULL,
                        QUORUM_BILLING_NO_ALERT, QUORUM_MAX_CENTS, QUORUM_BILLING_NO_ALERT, flags);
  properties[PROP_BALANCE_IS_LOW] = g_param_spec_boolean ("balance-is-low", NULL, NULL, FALSE, flags);
  properties[PROP_CARD_BRAND] = g_param_spec_string ("card-brand", NULL, NULL, NULL, flags);
  properties[PROP_CARD_LAST4] = g_param_spec_string ("card-last4", NULL, NULL, NULL, flags);
  properties[PROP_NEXT_INVOICE_AT] = g_param_spec_boxed ("next-invoice-at", NULL, NULL,
                                                         G_TYPE_DATE_TIME, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
quorum_billing_init (QuorumBilling *self)
{
  self->low_balance_alert_cents = QUORUM_BILLING_NO_ALERT;
}

static gboolean
parse_payment_method (QuorumBilling  *self,
                      JsonObject     *object,
                      GError        **error)
{
  static const char * const types[] = { "card", NULL };
  JsonObject *card = NULL;
  const char *type;

  if (!_quorum_json_get_object (object, "payment_method", QUORUM_JSON_NULLABLE, &card, error))
    return FALSE;
  if (card == NULL)
    return TRUE;

  if (!_quorum_json_get_enum (card, "type", types, &type, error))
    return FALSE;
  if (!_quorum_json_get_string (card, "brand", QUORUM_JSON_REQUIRED, QUORUM_JSON_TEXT, 64,
                                &self->card_brand, error))
    return FALSE;
  if (!_quorum_json_get_string (card, "last4", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID, 4,
                                &self->card_last4, error))
    return FALSE;
  if (strlen (self->card_last4) != 4 || strspn (self->card_last4, "0123456789") != 4)
    {
      g_propagate_error (error, _quorum_api_error_new (QUORUM_API_ERROR_INVALID_RESPONSE, 0, NULL, 0,
                                                       _("The field “last4” is not four digits")));
      return FALSE;
    }
  return TRUE;
}

/**
 * quorum_billing_new_from_json:
 *
 * Returns: (transfer full): a complete billing state, or %NULL with
 *   %QUORUM_API_ERROR_INVALID_RESPONSE when @node breaks the contract.
 */
QuorumBilling *
quorum_billing_new_from_json (JsonNode  *node,
                              GError   **error)
{
  g_autoptr(QuorumBilling) self = NULL;
  JsonObject *object;
  gboolean present = FALSE;
  gint64 number = 0;

  if (!(object = _quorum_json_get_root_object (node, "billing state", error)))
    return NULL;

  self = g_object_new (QUORUM_TYPE_BILLING, NULL);

  if (!(self->plan = quorum_plan_new_from_json (json_object_get_member (object, "plan"), error)))
    return NULL;
  if (!_quorum_json_get_int (object, "balance_cents", QUORUM_JSON_REQUIRED,
                             -QUORUM_MAX_CENTS, QUORUM_MAX_CENTS, &self->balance_cents, error))
    return NULL;
  if (!_quorum_json_get_currency (object, "currency", &self->currency, error))
    return NULL;
  if (!_quorum_json_get_int (object, "seats_used", QUORUM_JSON_REQUIRED, 0, G_MAXINT, &number, error))
    return NULL;
  self->seats_used = (int) number;
  if (!_quorum_json_get_nullable_int (object, "seat_limit", QUORUM_JSON_NULLABLE, 1, G_MAXINT,
                                      &present, &number, error))
    return NULL;
  self->seat_limit = present ? (int) number : 0;
  if (!parse_payment_method (self, object, error))
    return NULL;
  if (!_quorum_json_get_datetime (object, "next_invoice_at", QUORUM_JSON_NULLABLE,
                                  &self->next_invoice_at, error))
    return NULL;
  if (!_quorum_json_get_nullable_int (object, "low_balance_alert_cents", QUORUM_JSON_NULLABLE,
                                      0, QUORUM_MAX_CENTS, &present, &number, error))
    return NULL;
  self->low_balance_alert_cents = present ? number : QUORUM_BILLING_NO_ALERT;

  return g_steal_pointer (&self);
}

/**
 * quorum_billing_get_plan:
 *
 * Returns: (transfer none): the current plan
 */
QuorumPlan *
quorum_billing_get_plan (QuorumBilling *self)
{
  g_return_val_if_fail (QUORUM_IS_BILLING (self), NULL);

  return self->plan;
}

/* The prepaid balance; below zero when charges outran it. */
gint64
quorum_billing_get_balance_cents (QuorumBilling *self)
{
  g_return_val_if_fail (QUORUM_IS_BILLING (self), 0);

  return self->balance_cents;
}

const char *
quorum_billing_get_currency (QuorumBilling *self)
{
  g_return_val_if_fail (QUORUM_IS_BILLING (self), NULL);

  return self->currency;
}

int
quorum_billing_get_seats_used (QuorumBilling *self)
{
  g_return_val_if_fail (QUORUM_IS_BILLING (self), 0);

  return self->seats_used;
}

/* 0: no limit. */
int
quorum_billing_get_seat_limit (QuorumBilling *self)
{
  g_return_val_if_fail (QUORUM_IS_BILLING (self), 0);

  return self->seat_limit;
}

/* QUORUM_BILLING_NO_ALERT when off. */
gint64
quorum_billing_get_low_balance_alert_cents (QuorumBilling *self)
{
  g_return_val_if_fail (QUORUM_IS_BILLING (self), QUORUM_BILLING_NO_ALERT);

  return self->low_balance_alert_cents;
}

/* Whether the alert is on and the balance is under it: the server's rule
 * for billing.low_balance, so the app warns exactly when the server would. */
gboolean
quorum_billing_get_balance_is_low (QuorumBilling *self)
{
  g_return_val_if_fail (QUORUM_IS_BILLING (self), FALSE);

  return self->low_balance_alert_cents != QUORUM_BILLING_NO_ALERT &&
         self->balance_cents < self->low_balance_alert_cents;
}

const char *
quorum_billing_get_card_brand (QuorumBilling *self)
{
  g_return_val_if_fail (QUORUM_IS_BILLING (self), NULL);

  return self->card_brand;
}

const char *
quorum_billing_get_card_last4 (QuorumBilling *self)
{
  g_return_val_if_fail (QUORUM_IS_BILLING (self), NULL);

  return self->card_last4;
}

GDateTime *
quorum_billing_get_next_invoice_at (QuorumBilling *self)
{
  g_return_val_if_fail (QUORUM_IS_BILLING (self), NULL);

  return self->next_invoice_at;
}

/**
 * quorum_billing_get_etag:
 *
 * Returns: (nullable): the version the server sent with this state, for
 *   If-Match on a change
 */
const char *
quorum_billing_get_etag (QuorumBilling *self)
{
  g_return_val_if_fail (QUORUM_IS_BILLING (self), NULL);

  return self->etag;
}

void
_quorum_billing_set_etag (QuorumBilling *self,
                          const char    *etag)
{
  g_return_if_fail (QUORUM_IS_BILLING (self));

  g_free (self->etag);
  self->etag = g_strdup (etag);
}
