/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-server-util.h"
#include "quorum-store-events.h"
#include "quorum-store-private.h"

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

  if (!qs_db_run (qs_store_db (store),
                  "INSERT INTO events (id, org_id, type, data, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                  "ssssi", id, org_id, type, data, now))
    return qs_store_fail (store, error);
  if (event_id != NULL)
    *event_id = g_steal_pointer (&id);
  return TRUE;
}
