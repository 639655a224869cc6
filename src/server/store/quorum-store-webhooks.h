/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "quorum-store-core.h"

G_BEGIN_DECLS

/*
 * Webhooks and their delivery queue. A delivery row is one try (the API's
 * Delivery). The queue is the rows with a due time (due_ms): a pending try
 * is sent when it is due; a failed try with a due time makes the next try
 * then. Everything is committed before anyone is told, so a kill -9 loses
 * no delivery: a try that was in flight is sent again after a restart.
 * Server instances sharing the database claim due rows for a lease
 * (claimed_by, claimed_until) before sending them, so only one sends a
 * try; a crashed instance's claims come back when their lease is over.
 */

typedef struct
{
  char     *id;
  char     *org_id;
  char     *url;
  char    **events;          /* EventType names */
  char     *description;     /* "" when none */
  gboolean  enabled;
  char     *secret;          /* whsec_… (kept: the server signs with it) */
  gint64    version;         /* +1 per edit: the ETag */
  gint64    failures;        /* failed tries in a row */
  char     *disabled_reason; /* why the server disabled it, or NULL */
  gint64    created_at;
} QsStoreWebhook;

typedef enum
{
  QS_STORE_DELIVERY_PENDING,
  QS_STORE_DELIVERY_SUCCEEDED,
  QS_STORE_DELIVERY_FAILED,
} QsStoreDeliveryStatus;

typedef struct
{
  gint64                 seq;            /* order of creation */
  char                  *id;             /* dlv_… */
  char                  *webhook_id;
  char                  *event_id;
  char                  *event_type;
  gint64                 attempt;
  gboolean               manual;         /* a test ping or a resend: tried once, even when disabled */
  QsStoreDeliveryStatus  status;
  gint64                 response_status; /* 0: none */
  gint64                 duration_ms;    /* -1: none */
  char                  *error;
  gint64                 created_at;
  gint64                 due_ms;         /* -1: nothing to do */
} QsStoreDelivery;

/* A due row with what it takes to send it. */
typedef struct
{
  QsStoreDelivery *delivery;
  char            *org_id;
  char            *url;
  char            *secret;
  gboolean         enabled;
  char            *event_data;     /* the event's data, JSON */
  gint64           event_created_at;
} QsStoreDueDelivery;

typedef struct
{
  GPtrArray *items;   /* QsStoreWebhook or QsStoreDelivery */
  gboolean   more;
  gint64     total;
} QsStoreWebhookPage;

void              qs_store_webhook_free          (QsStoreWebhook     *webhook);
void              qs_store_delivery_free         (QsStoreDelivery    *delivery);
void              qs_store_due_delivery_free     (QsStoreDueDelivery *due);
void              qs_store_webhook_page_free             (QsStoreWebhookPage        *page);
const char       *qs_store_delivery_status_name  (QsStoreDeliveryStatus status);

/* How many webhooks org_id has. -1 on failure. */
gint64            qs_store_webhook_count         (QsStore            *store,
                                                  const char         *org_id,
                                                  GError            **error);
gboolean          qs_store_webhook_insert        (QsStore            *store,
                                                  const QsStoreWebhook *webhook,
                                                  GError            **error);
/* NULL without error: no such webhook in org_id. */
QsStoreWebhook   *qs_store_webhook_get           (QsStore            *store,
                                                  const char         *org_id,
                                                  const char         *webhook_id,
                                                  GError            **error);
/* Newest first by (created_at, id), after the cursor when after_id is set. */
QsStoreWebhookPage      *qs_store_webhook_list          (QsStore            *store,
                                                  const char         *org_id,
                                                  gint64              after_created_at,
                                                  const char         *after_id,
                                                  guint               limit,
                                                  GError            **error);
/* Saves url, events, description and enabled, bumps the version. Enabling
 * clears the failure count and the reason; disabling drops the retries
 * already scheduled (automatic deliveries only). */
gboolean          qs_store_webhook_update        (QsStore            *store,
                                                  const QsStoreWebhook *webhook,
                                                  GError            **error);
gboolean          qs_store_webhook_set_secret    (QsStore            *store,
                                                  const char         *webhook_id,
                                                  const char         *secret,
                                                  GError            **error);
gboolean          qs_store_webhook_delete        (QsStore            *store,
                                                  const char         *webhook_id,
                                                  GError            **error);

/* Newest first by seq, after the cursor when after_seq > 0. */
QsStoreWebhookPage      *qs_store_delivery_list         (QsStore            *store,
                                                  const char         *webhook_id,
                                                  gint64              after_seq,
                                                  guint               limit,
                                                  GError            **error);
/* NULL without error: no such delivery of webhook_id. */
QsStoreDelivery  *qs_store_delivery_get          (QsStore            *store,
                                                  const char         *webhook_id,
                                                  const char         *delivery_id,
                                                  GError            **error);
/* Records the event event_id without queueing it (a test ping is queued to
 * one webhook only; qs_store_event_emit () queues the others). */
gboolean          qs_store_event_insert          (QsStore            *store,
                                                  const char         *event_id,
                                                  const char         *org_id,
                                                  const char         *type,
                                                  const char         *data,
                                                  gint64              now,
                                                  GError            **error);
/* Manual tries (pings, resends) of webhook_id not sent yet. -1 on failure. */
gint64            qs_store_delivery_count_manual_waiting (QsStore     *store,
                                                          const char  *webhook_id,
                                                          GError     **error);
/* Queues a first, manual try of event_id (a ping or a resend) to webhook_id. */
QsStoreDelivery  *qs_store_delivery_queue_manual (QsStore            *store,
                                                  const char         *webhook_id,
                                                  const char         *event_id,
                                                  gint64              now,
                                                  GError            **error);
/* Queues a first try of the event to every enabled webhook of org_id
 * subscribed to type (qs_store_event_emit ()). */
gboolean          qs_store_deliveries_queue      (QsStore            *store,
                                                  const char         *org_id,
                                                  const char         *event_id,
                                                  const char         *type,
                                                  gint64              now,
                                                  GError            **error);

/* Claims rows due at now_ms for claimer (an id of this server process)
 * until until_ms (a lease), in the caller's write transaction, and returns
 * them, soonest first: at most limit in all, and only among each
 * organization's per_org soonest due rows, claimed ones included (so an
 * organization has at most per_org rows claimed at once, over all server
 * instances). A row claimed by anyone whose lease is not over is not
 * taken: several instances on one database never claim the same row at
 * once. until_ms must differ from claimer's earlier claims' (the rows are
 * read back by it). */
GPtrArray        *qs_store_deliveries_claim      (QsStore            *store,
                                                  gint64              now_ms,
                                                  gint64              until_ms,
                                                  const char         *claimer,
                                                  guint               limit,
                                                  guint               per_org,
                                                  GError            **error);
/* 1 when a row is due at now_ms and not claimed, 0 when none is, -1 on
 * error: a read, so that an idle queue takes no write lock. */
gint64            qs_store_deliveries_claimable  (QsStore            *store,
                                                  gint64              now_ms,
                                                  GError            **error);
/* Gives back claimer's claims (a server going): the rows are due again for
 * any instance at once, not after their lease. */
gboolean          qs_store_deliveries_release    (QsStore            *store,
                                                  const char         *claimer,
                                                  GError            **error);
/* The failed try failed_id is due again: in the caller's transaction, its
 * due time and claim cleared and the next try (attempt + 1) inserted,
 * pending, claimed by claimer until claimed_until. */
QsStoreDelivery  *qs_store_delivery_start_retry  (QsStore            *store,
                                                  const char         *failed_id,
                                                  gint64              now,
                                                  const char         *claimer,
                                                  gint64              claimed_until,
                                                  GError            **error);

typedef struct
{
  const char *delivery_id;
  gboolean    succeeded;
  gint64      response_status;  /* 0: none */
  gint64      duration_ms;      /* -1: none */
  const char *error;
  gint64      retry_ms;         /* when to try again, -1: never */
  gboolean    counts;           /* an automatic try: counts toward disabling */
  gint64      failure_limit;    /* failed tries in a row that disable the webhook */
  const char *disabled_reason;  /* the reason when this try disables it */
  gint64      keep;             /* tries kept per webhook; older finished ones go */
} QsStoreDeliveryResult;

/* Records a try's result in the caller's transaction, its claim cleared:
 * the failure count (a success clears it; failure_limit failures in a row
 * disable the webhook with disabled_reason), and prunes the webhook's
 * oldest tries past keep.
 * *disabled is set when this try disabled the webhook. */
gboolean          qs_store_delivery_finish       (QsStore            *store,
                                                  const QsStoreDeliveryResult *result,
                                                  gboolean           *disabled,
                                                  GError            **error);

/* Deletes the events made before `before` that no try refers to (their
 * tries were pruned, or their webhooks deleted): the purge's. */
gboolean          qs_store_events_prune          (QsStore            *store,
                                                  gint64              before,
                                                  guint              *pruned,
                                                  GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsStoreWebhook, qs_store_webhook_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsStoreDelivery, qs_store_delivery_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsStoreDueDelivery, qs_store_due_delivery_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsStoreWebhookPage, qs_store_webhook_page_free)

G_END_DECLS
