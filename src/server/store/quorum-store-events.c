/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-store-events.h"
#include "quorum-store-private.h"
#include "quorum-store-webhooks.h"

gboolean
qs_store_event_emit (QsStore     *store,
                     const char  *org_id,
                     const char  *type,
                     const char  *data,
                     gint64       now,
                     char       **event_id,
                     GError     **error)
{
  g_autofree char *id = NULL;

  /* One transaction (the caller's) for the change, its event and the
   * deliveries it queues: acknowledged means queued. */
  if (!qs_store_event_insert (store, org_id, type, data, now, &id, error) ||
      !qs_store_deliveries_queue (store, org_id, id, type, now, error))
    return FALSE;
  if (event_id != NULL)
    *event_id = g_steal_pointer (&id);
  return TRUE;
}
