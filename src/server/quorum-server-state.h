/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "quorum-server.h"
#include "quorum-server-request.h"
#include "quorum-server-util.h"

G_BEGIN_DECLS

/*
 * The server's state, shared by its parts, and the services handlers call:
 * sign-in and invitation limits, password hashing, the purge, e-mail tokens
 * and mail. It knows nothing of routes or handlers.
 */

#define QS_SESSION_SECONDS    (30 * 24 * 3600)
#define QS_INVITATION_SECONDS (7 * 24 * 3600)
#define QS_IDEMPOTENCY_SECONDS (24 * 3600)
/* Argon2id jobs waiting for a worker; past this, 503 server_busy. */
#define QS_PASSWORD_QUEUE_MAX  256
#define QS_PASSWORD_WORKERS_MAX 4
#define QS_VERIFY_SECONDS     (24 * 3600)
#define QS_RESET_SECONDS      3600
/* An unverified account this old goes to whoever proves its inbox through
 * an invitation set-up. */
#define QS_TAKEOVER_SECONDS   (7 * 24 * 3600)

struct _QsServer
{
  QsConfig    config;
  SoupServer *soup;
  QsStore    *store;
  char       *url;
  char       *public_url;
  char       *outbox_dir;
  GPtrArray  *trusted_proxies; /* GInetAddressMask: peers whose X-Forwarded-For is believed (quorum-server-forwarded.c) */
  GThreadPool *password_pool;
  guint       password_queued;
  char       *dummy_hash;
  guint       purge_source;
  guint       in_flight;
  gboolean    shutting_down;
  GSourceFunc shutdown_done;
  gpointer    shutdown_data;
  guint       drain_source;
  gint64      drain_deadline;
  guint64     opslimit;
  gsize       memlimit;
  GHashTable *webhook_sending;  /* delivery id → org id: tries in flight (quorum-server-webhook-queue.c) */
  char       *webhook_claimer;  /* this process's id in webhook_deliveries.claimed_by */
  gint64      webhook_claimed_until; /* the lease end of its last claim (ms) */
  guint       webhook_source;   /* the queue's timer */
  guint       webhook_kick;     /* an idle run of the queue, asked for */
  GPtrArray  *webhook_results;  /* finished tries waiting for the next commit */
  guint       webhook_flush;    /* the idle commit of webhook_results */
  GCancellable *webhook_cancellable; /* cancelled when the server goes */
  GQueue     *usage_cache;     /* recent per-member usage sums, newest first (quorum-server-billing.c) */
  guint       usage_jobs;      /* per-member usage sums running in worker threads */
  GHashTable *usage_cubes;     /* org id → its usage in memory, loaded or loading (quorum-server-billing.c) */
  gsize       usage_cube_bytes;
  guint64     usage_cube_tick;
  guint       member_exports;  /* CSV exports being streamed (quorum-server-organizations.c) */
  GHashTable *member_exports_by_org; /* org id → its exports being streamed (GUINT_TO_POINTER) */
};

/* Rate limits and sign-in failures, in the database (quorum-server-limits.c).
 * Each answers 429 (or 500) and returns FALSE when the request must stop. */
/* A fixed window of window seconds per (kind, key): limit hits, then 429
 * with detail and Retry-After. limit 0: always TRUE. */
gboolean  qs_limit_window        (QsRequest   *req,
                                  const char  *kind,
                                  const char  *key,
                                  guint        limit,
                                  gint64       window,
                                  const char  *detail);
/* Every attempt counts as a failure of (client, account) and of the client
 * until it succeeds. */
gboolean  qs_signin_attempt      (QsRequest   *req,
                                  const char  *account,
                                  gboolean     client_wide);
void      qs_signin_succeeded    (QsRequest   *req,
                                  const char  *account,
                                  gboolean     client_wide);
void      qs_signin_trust        (QsRequest   *req,
                                  const char  *account);
/* Invitation e-mails per organization and per inviting user per hour,
 * both in the transaction that sends. */
gboolean  qs_invitation_send_allowed (QsRequest  *req,
                                      const char *org_id);
gboolean  qs_invitation_sent     (QsRequest   *req,
                                  const char  *org_id);

/* Passwords (quorum-server-password.c). The _async forms run Argon2id in
 * a bounded worker pool: the message is paused, the callback runs on the
 * main loop with the request, then the answer it set is sent. */
typedef struct
{
  gboolean  verified;  /* verify: the password matched */
  char     *hash;      /* hash: the new hash (NULL on failure);
                        * verify: the new password's hash, or an upgraded
                        * hash of the password when the stored one is weaker */
} QsPasswordResult;

typedef void (*QsPasswordCallback) (QsRequest              *req,
                                    const QsPasswordResult *result,
                                    gpointer                user_data);

char     *qs_password_hash       (QsServer    *server,
                                  const char  *password);
void      qs_password_hash_async (QsRequest          *req,
                                  const char         *password,
                                  QsPasswordCallback  callback,
                                  gpointer            user_data,
                                  GDestroyNotify      destroy);
/* hash NULL verifies against a dummy hash (same time, never matches).
 * new_password non-NULL: hashed when the password matched. */
void      qs_password_verify_async (QsRequest          *req,
                                    const char         *hash,
                                    const char         *password,
                                    const char         *new_password,
                                    QsPasswordCallback  callback,
                                    gpointer            user_data,
                                    GDestroyNotify      destroy);
gboolean  qs_password_init       (QsServer    *server,
                                  GError     **error);
void      qs_password_clear      (QsServer    *server);

/* Purge of expired rows (quorum-server-purge.c). */
gboolean  qs_purge_expired       (QsServer    *server);
/* Charges the plans due (quorum-server-purge.c, on the purge's timer). */
gboolean  qs_renew_plans         (QsServer    *server);
/* Deletes the expired rate-limit counters (quorum-server-purge.c). */
gboolean  qs_prune_limits        (QsServer    *server);
/* Deletes old webhook events no try refers to (quorum-server-purge.c). */
gboolean  qs_prune_webhook_events (QsServer   *server);
/* Rolls the per-member usage windows to today (quorum-server-purge.c). */
gboolean  qs_roll_usage_windows  (QsServer    *server);
void      qs_purge_start         (QsServer    *server);

/* E-mail ownership (quorum-server-email.c) */
/* The caller holds a transaction. */
gboolean    qs_send_email_token    (QsServer    *server,
                                    const char  *kind,
                                    const char  *user_id,
                                    const char  *email);
/* An account an invitation set-up may take over: unverified and older
 * than QS_TAKEOVER_SECONDS. */
gboolean    qs_user_claimable      (const QsStoreUser *user);

/* Mail */
gboolean qs_mail_send_invitation  (QsServer                *server,
                                   const QsStoreInvitation *inv,
                                   const char              *inviter_name,
                                   const char              *inviter_email,
                                   const char              *token);
gboolean qs_mail_send_email_token (QsServer    *server,
                                   const char  *kind,
                                   const char  *to,
                                   const char  *user_id,
                                   const char  *token,
                                   gint64       expires_at);

/* Invoices as PDF (quorum-server-invoice-pdf.c). The document holds copies
 * of everything drawn: it is read from the store on the main loop and drawn
 * in a worker thread that never touches the store. */
typedef struct
{
  char   *description;
  gint64  date;          /* of the first charge */
  gint64  amount_cents;  /* charged, positive */
} QsInvoiceLine;

typedef struct
{
  char      *issuer_url;     /* the server's public URL */
  char      *org_id;
  char      *org_name;
  char      *org_slug;
  char      *number;
  char      *status;         /* draft, open, paid */
  char      *currency;
  gint64     period_start;
  gint64     period_end;     /* exclusive */
  gint64     issued_at;
  gint64     total_cents;
  gint64     top_ups_cents;
  gint64     balance_end;
  GPtrArray *lines;          /* QsInvoiceLine */
} QsInvoiceDocument;

void      qs_invoice_line_free     (QsInvoiceLine      *line);
void      qs_invoice_document_free (QsInvoiceDocument  *doc);
/* "€1,234.56" for EUR, "$1,234.56" for USD, "1,234.56 XYZ" otherwise; a
 * minus sign first when negative. */
char     *qs_format_money          (gint64              cents,
                                    const char         *currency);
/* Draws doc as a one-or-more-page A4 PDF. Thread-safe. */
GBytes   *qs_invoice_pdf_render    (const QsInvoiceDocument *doc,
                                    GError            **error);
/* Pauses req, draws doc (taken) in a GTask thread, then calls done on the
 * main loop with the PDF (NULL on failure) and unpauses. */
typedef void (*QsInvoicePdfCallback) (QsRequest *req,
                                      GBytes    *pdf,
                                      gpointer   user_data);
void      qs_invoice_pdf_render_async (QsRequest           *req,
                                       QsInvoiceDocument   *doc,
                                       QsInvoicePdfCallback done,
                                       gpointer             user_data,
                                       GDestroyNotify       destroy);

/* Per-member usage sums kept for the next pages, and the organizations'
 * usage in memory (quorum-server-billing.c). */
void      qs_usage_cache_clear     (QsServer           *server);
void      qs_usage_cubes_preload   (QsServer           *server);
void      qs_usage_cubes_clear     (QsServer           *server);

/* Webhooks (quorum-server-webhooks.c, quorum-server-webhook-queue.c). */
#define QS_WEBHOOKS_PER_ORG        20
/* Tries of one delivery: the first and a retry after each delay of the
 * schedule (quorum-server-webhook-queue.c), about a day in all. */
#define QS_WEBHOOK_MAX_ATTEMPTS    8
/* Failed automatic tries in a row that disable a webhook. */
#define QS_WEBHOOK_FAILURE_LIMIT   15
/* Tries kept in a webhook's log; older finished ones are pruned. */
#define QS_WEBHOOK_DELIVERIES_KEPT 500
#define QS_WEBHOOK_TIMEOUT_SECONDS 10
/* Test pings and resends of one webhook waiting to be sent; past it, 429. */
#define QS_WEBHOOK_MANUAL_WAITING  5

/* Events older than this that no try refers to go with the purge. */
#define QS_WEBHOOK_EVENTS_KEEP_SECONDS (30 * 24 * 3600)

/* Starts the delivery worker (a timer on the main loop). */
void      qs_webhook_queue_start   (QsServer    *server);
/* Stops it; tries in flight are abandoned and sent again after a restart. */
void      qs_webhook_queue_stop    (QsServer    *server);
/* Looks at the queue soon (after something was queued). */
void      qs_webhook_queue_kick    (QsServer    *server);

/* Demo */
gboolean qs_demo_seed             (QsServer    *server,
                                   GError     **error);

G_END_DECLS
