/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "quorum-api-private.h"
#include "quorum-invoice.h"

/* One monthly invoice (GET .../billing/invoices). period-end is exclusive;
 * status is one of the contract's words, interned. */
struct _QuorumInvoice
{
  GObject parent_instance;

  char       *id;
  char       *number;
  GDateTime  *period_start;
  GDateTime  *period_end;
  gint64      total_cents;
  char       *currency;
  const char *status;
};

G_DEFINE_FINAL_TYPE (QuorumInvoice, quorum_invoice, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NUMBER,
  PROP_PERIOD_START,
  PROP_PERIOD_END,
  PROP_TOTAL_CENTS,
  PROP_CURRENCY,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
quorum_invoice_finalize (GObject *object)
{
  QuorumInvoice *self = QUORUM_INVOICE (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->number, g_free);
  g_clear_pointer (&self->period_start, g_date_time_unref);
  g_clear_pointer (&self->period_end, g_date_time_unref);
  g_clear_pointer (&self->currency, g_free);

  G_OBJECT_CLASS (quorum_invoice_parent_class)->finalize (object);
}

static void
quorum_invoice_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  QuorumInvoice *self = QUORUM_INVOICE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NUMBER:
      g_value_set_string (value, self->number);
      break;

    case PROP_PERIOD_START:
      g_value_set_boxed (value, self->period_start);
      break;

    case PROP_PERIOD_END:
      g_value_set_boxed (value, self->period_end);
      break;

    case PROP_TOTAL_CENTS:
      g_value_set_int64 (value, self->total_cents);
      break;

    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;

    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_invoice_class_init (QuorumInvoiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = quorum_invoice_finalize;
  object_class->get_property = quorum_invoice_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_NUMBER] = g_param_spec_string ("number", NULL, NULL, NULL, flags);
  properties[PROP_PERIOD_START] = g_param_spec_boxed ("period-start", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_PERIOD_END] = g_param_spec_boxed ("period-end", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_TOTAL_CENTS] = g_param_spec_int64 ("total-cents", NULL, NULL,
                                                     0, QUORUM_MAX_CENTS, 0, flags);
  properties[PROP_CURRENCY] = g_param_spec_string ("currency", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
quorum_invoice_init (QuorumInvoice *self)
{
}

/**
 * quorum_invoice_new_from_json:
 *
 * Returns: (transfer full): a complete invoice, or %NULL with
 *   %QUORUM_API_ERROR_INVALID_RESPONSE when @node breaks the contract.
 */
QuorumInvoice *
quorum_invoice_new_from_json (JsonNode  *node,
                              GError   **error)
{
  static const char * const statuses[] = { "draft", "open", "paid", "void", "uncollectible", NULL };
  g_autoptr(QuorumInvoice) self = NULL;
  JsonObject *object;

  if (!(object = _quorum_json_get_root_object (node, "invoice", error)))
    return NULL;

  self = g_object_new (QUORUM_TYPE_INVOICE, NULL);

  if (!_quorum_json_get_string (object, "id", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID,
                                QUORUM_MAX_ID_BYTES, &self->id, error))
    return NULL;
  if (!_quorum_json_get_string (object, "number", QUORUM_JSON_REQUIRED, QUORUM_JSON_TEXT,
                                QUORUM_MAX_ID_BYTES, &self->number, error))
    return NULL;
  if (!_quorum_json_get_datetime (object, "period_start", QUORUM_JSON_REQUIRED, &self->period_start, error))
    return NULL;
  if (!_quorum_json_get_datetime (object, "period_end", QUORUM_JSON_REQUIRED, &self->period_end, error))
    return NULL;
  if (g_date_time_compare (self->period_end, self->period_start) < 0)
    {
      g_propagate_error (error, _quorum_api_error_new (QUORUM_API_ERROR_INVALID_RESPONSE, 0, NULL, 0,
                                                       _("The invoice's period ends before it starts")));
      return NULL;
    }
  if (!_quorum_json_get_int (object, "total_cents", QUORUM_JSON_REQUIRED, 0, QUORUM_MAX_CENTS,
                             &self->total_cents, error))
    return NULL;
  if (!_quorum_json_get_currency (object, "currency", &self->currency, error))
    return NULL;
  if (!_quorum_json_get_enum (object, "status", statuses, &self->status, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
quorum_invoice_get_id (QuorumInvoice *self)
{
  g_return_val_if_fail (QUORUM_IS_INVOICE (self), NULL);

  return self->id;
}

const char *
quorum_invoice_get_number (QuorumInvoice *self)
{
  g_return_val_if_fail (QUORUM_IS_INVOICE (self), NULL);

  return self->number;
}

GDateTime *
quorum_invoice_get_period_start (QuorumInvoice *self)
{
  g_return_val_if_fail (QUORUM_IS_INVOICE (self), NULL);

  return self->period_start;
}

/* Exclusive: the first moment after the billed period. */
GDateTime *
quorum_invoice_get_period_end (QuorumInvoice *self)
{
  g_return_val_if_fail (QUORUM_IS_INVOICE (self), NULL);

  return self->period_end;
}

gint64
quorum_invoice_get_total_cents (QuorumInvoice *self)
{
  g_return_val_if_fail (QUORUM_IS_INVOICE (self), 0);

  return self->total_cents;
}

const char *
quorum_invoice_get_currency (QuorumInvoice *self)
{
  g_return_val_if_fail (QUORUM_IS_INVOICE (self), NULL);

  return self->currency;
}

/* "draft", "open", "paid", "void" or "uncollectible". */
const char *
quorum_invoice_get_status (QuorumInvoice *self)
{
  g_return_val_if_fail (QUORUM_IS_INVOICE (self), NULL);

  return self->status;
}
