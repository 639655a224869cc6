/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-api-private.h"
#include "quorum-ledger-entry.h"

/* One entry of the organization's append-only ledger
 * (GET .../billing/ledger): a top-up, a usage charge or a plan charge.
 * amount-cents is signed (a charge is negative); kind is the server's word,
 * kept as sent so that kinds added later still show. */
struct _QuorumLedgerEntry
{
  GObject parent_instance;

  char      *id;
  char      *kind;
  gint64     amount_cents;
  gint64     balance_after_cents;
  char      *currency;
  char      *description;
  GDateTime *created_at;
};

G_DEFINE_FINAL_TYPE (QuorumLedgerEntry, quorum_ledger_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_AMOUNT_CENTS,
  PROP_BALANCE_AFTER_CENTS,
  PROP_CURRENCY,
  PROP_DESCRIPTION,
  PROP_CREATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
quorum_ledger_entry_finalize (GObject *object)
{
  QuorumLedgerEntry *self = QUORUM_LEDGER_ENTRY (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->currency, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);

  G_OBJECT_CLASS (quorum_ledger_entry_parent_class)->finalize (object);
}

static void
quorum_ledger_entry_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  QuorumLedgerEntry *self = QUORUM_LEDGER_ENTRY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;

    case PROP_AMOUNT_CENTS:
      g_value_set_int64 (value, self->amount_cents);
      break;

    case PROP_BALANCE_AFTER_CENTS:
      g_value_set_int64 (value, self->balance_after_cents);
      break;

    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_ledger_entry_class_init (QuorumLedgerEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = quorum_ledger_entry_finalize;
  object_class->get_property = quorum_ledger_entry_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, flags);
  properties[PROP_AMOUNT_CENTS] = g_param_spec_int64 ("amount-cents", NULL, NULL,
                                                      -QUORUM_MAX_CENTS, QUORUM_MAX_CENTS, 0, flags);
  properties[PROP_BALANCE_AFTER_CENTS] = g_param_spec_int64 ("balance-after-cents", NULL, NULL,
                                                             -QUORUM_MAX_CENTS, QUORUM_MAX_CENTS, 0, flags);
  properties[PROP_CURRENCY] = g_param_spec_string ("currency", NULL, NULL, NULL, flags);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  properties[PROP_CREATED_AT] = g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
quorum_ledger_entry_init (QuorumLedgerEntry *self)
{
}

/**
 * quorum_ledger_entry_new_from_json:
 *
 * Returns: (transfer full): a complete entry, or %NULL with
 *   %QUORUM_API_ERROR_INVALID_RESPONSE when @node breaks the contract.
 */
QuorumLedgerEntry *
quorum_ledger_entry_new_from_json (JsonNode  *node,
                                   GError   **error)
{
  g_autoptr(QuorumLedgerEntry) self = NULL;
  JsonObject *object;

  if (!(object = _quorum_json_get_root_object (node, "ledger entry", error)))
    return NULL;

  self = g_object_new (QUORUM_TYPE_LEDGER_ENTRY, NULL);

  if (!_quorum_json_get_string (object, "id", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID,
                                QUORUM_MAX_ID_BYTES, &self->id, error))
    return NULL;
  if (!_quorum_json_get_string (object, "kind", QUORUM_JSON_REQUIRED, QUORUM_JSON_ID,
                                QUORUM_MAX_ID_BYTES, &self->kind, error))
    return NULL;
  if (!_quorum_json_get_int (object, "amount_cents", QUORUM_JSON_REQUIRED, -QUORUM_MAX_CENTS, QUORUM_MAX_CENTS,
                             &self->amount_cents, error))
    return NULL;
  if (!_quorum_json_get_int (object, "balance_after_cents", QUORUM_JSON_REQUIRED,
                             -QUORUM_MAX_CENTS, QUORUM_MAX_CENTS, &self->balance_after_cents, error))
    return NULL;
  if (!_quorum_json_get_currency (object, "currency", &self->currency, error))
    return NULL;
  if (!_quorum_json_get_string (object, "description", QUORUM_JSON_REQUIRED, QUORUM_JSON_TEXT,
                                QUORUM_MAX_NAME_BYTES, &self->description, error))
    return NULL;
  if (!_quorum_json_get_datetime (object, "created_at", QUORUM_JSON_REQUIRED, &self->created_at, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
quorum_ledger_entry_get_id (QuorumLedgerEntry *self)
{
  g_return_val_if_fail (QUORUM_IS_LEDGER_ENTRY (self), NULL);

  return self->id;
}

/* "top_up", "usage", "plan", or a kind a newer server added. */
const char *
quorum_ledger_entry_get_kind (QuorumLedgerEntry *self)
{
  g_return_val_if_fail (QUORUM_IS_LEDGER_ENTRY (self), NULL);

  return self->kind;
}

/* Signed: a charge is negative. */
gint64
quorum_ledger_entry_get_amount_cents (QuorumLedgerEntry *self)
{
  g_return_val_if_fail (QUORUM_IS_LEDGER_ENTRY (self), 0);

  return self->amount_cents;
}

gint64
quorum_ledger_entry_get_balance_after_cents (QuorumLedgerEntry *self)
{
  g_return_val_if_fail (QUORUM_IS_LEDGER_ENTRY (self), 0);

  return self->balance_after_cents;
}

const char *
quorum_ledger_entry_get_currency (QuorumLedgerEntry *self)
{
  g_return_val_if_fail (QUORUM_IS_LEDGER_ENTRY (self), NULL);

  return self->currency;
}

const char *
quorum_ledger_entry_get_description (QuorumLedgerEntry *self)
{
  g_return_val_if_fail (QUORUM_IS_LEDGER_ENTRY (self), NULL);

  return self->description;
}

GDateTime *
quorum_ledger_entry_get_created_at (QuorumLedgerEntry *self)
{
  g_return_val_if_fail (QUORUM_IS_LEDGER_ENTRY (self), NULL);

  return self->created_at;
}
