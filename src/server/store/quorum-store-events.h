/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "quorum-store.h"

G_BEGIN_DECLS

/*
 * Events a webhook can subscribe to (docs/api/openapi.yaml, EventType):
 * recorded in the transaction of the change that caused them, so that an
 * acknowledged change always has its event, even across a kill -9.
 */

/* Records an event of type for org_id with data (the JSON object the
 * delivery's "data" holds) at now, in the transaction in progress. The
 * delivery queue (quorum-store-webhooks) takes it from there. *event_id
 * (may be NULL) receives the event's id (evt_…). */
gboolean qs_store_event_emit (QsStore     *store,
                              const char  *org_id,
                              const char  *type,
                              const char  *data,
                              gint64       now,
                              char       **event_id,
                              GError     **error);

/* The same with the event's id chosen by the caller: the event of a change
 * recorded in the audit log takes its record's id (EventEnvelope: "the id
 * of the audit event recording it"). */
gboolean qs_store_event_emit_as (QsStore     *store,
                                 const char  *event_id,
                                 const char  *org_id,
                                 const char  *type,
                                 const char  *data,
                                 gint64       now,
                                 GError     **error);

G_END_DECLS
