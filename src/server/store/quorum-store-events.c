/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-server-util.h"
#include "quorum-store-events.h"
#include "quorum-store-private.h"
#include "quorum-store-webhooks.h"

gboolean
qs_store_event_emit_as (QsStore     *store,
                        const char  *event_id,
                        const char  *org_id,
                        const char  *type,
                        const char  *data,
                        gint64       now,
                        GError     **error)
{
  /* One transaction (the caller's) for the change, its event and the
   * deliveries it queues: acknowledged means queued. */
  return qs_store_event_insert (store, event_id, org_id, type, data, now, error) &&
         qs_store_deliveries_queue (store, org_id, event_id, type, now, error);
}

gboolean
qs_store_event_emit (QsStore     *store,
                     const char  *org_id,
                     const char  *type,
                     const char  *data,
                     gint64       now,
                     char       **event_id,
                     GError     **error)
{
  g_autofree char *id = qs_new_id ("evt_");

  if (!qs_store_event_emit_as (store, id, org_id, type, data, now, error))
    return FALSE;
  if (event_id != NULL)
    *event_id = g_steal_pointer (&id);
  return TRUE;
}
