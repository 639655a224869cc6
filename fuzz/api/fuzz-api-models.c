/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-api-private.h"
#include "quorum-api-key.h"
#include "quorum-audit-event.h"
#include "quorum-billing.h"
#include "quorum-delivery.h"
#include "quorum-invitation.h"
#include "quorum-invitation-preview.h"
#include "quorum-invoice.h"
#include "quorum-member.h"
#include "quorum-organization.h"
#include "quorum-plan.h"
#include "quorum-usage-item.h"
#include "quorum-user.h"
#include "quorum-webhook.h"

/*
 * Every model parser on whatever the fuzzer makes: the bytes go through the
 * same guarded JSON parse as a server answer, then the root and each member
 * of a root object (and each element of an "items" array, as in a list
 * answer) go to every *_new_from_json. Any crash, leak or UB is a finding;
 * an error is the expected outcome.
 */

typedef gpointer (*ParseFunc) (JsonNode *node, GError **error);

static const ParseFunc parsers[] = {
  (ParseFunc) quorum_user_new_from_json,
  (ParseFunc) quorum_organization_new_from_json,
  (ParseFunc) quorum_member_new_from_json,
  (ParseFunc) quorum_invitation_new_from_json,
  (ParseFunc) quorum_invitation_preview_new_from_json,
  (ParseFunc) quorum_plan_new_from_json,
  (ParseFunc) quorum_billing_new_from_json,
  (ParseFunc) quorum_invoice_new_from_json,
  (ParseFunc) quorum_ledger_entry_new_from_json,
  (ParseFunc) quorum_usage_item_new_from_json,
  (ParseFunc) quorum_api_key_new_from_json,
  (ParseFunc) quorum_webhook_new_from_json,
  (ParseFunc) quorum_delivery_new_from_json,
  (ParseFunc) quorum_audit_event_new_from_json,
};

static void
parse_all (JsonNode *node)
{
  for (guint i = 0; i < G_N_ELEMENTS (parsers); i++)
    {
      g_autoptr(GError) error = NULL;
      GObject *object = parsers[i] (node, &error);

      /* Exactly one of object and error. */
      g_assert ((object == NULL) != (error == NULL));
      if (object != NULL)
        g_object_unref (object);
    }
}

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  root = _quorum_json_parse ((const char *) data, size, &error);
  if (root == NULL)
    {
      g_assert (error != NULL);
      return 0;
    }

  parse_all (root);

  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      g_autoptr(GList) members = json_object_get_members (object);
      JsonNode *items = json_object_get_member (object, "items");

      for (GList *l = members; l != NULL; l = l->next)
        parse_all (json_object_get_member (object, l->data));

      if (items != NULL && JSON_NODE_HOLDS_ARRAY (items))
        {
          JsonArray *array = json_node_get_array (items);

          for (guint i = 0; i < json_array_get_length (array) && i < 100; i++)
            parse_all (json_array_get_element (array, i));
        }
    }

  return 0;
}
