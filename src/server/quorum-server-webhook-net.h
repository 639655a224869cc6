/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Where webhooks may go, and how a delivery gets there (docs/security.md,
 * "Webhooks"): https only, and never to an address that is not public —
 * checked on the addresses a name resolves to, when a webhook is saved and
 * again before every try, and the connection then made to the address that
 * was checked (QsPinnedAddress), never to a second answer of the resolver.
 * Nothing here touches the database.
 */

#define QS_WEBHOOK_ERROR (qs_webhook_error_quark ())

typedef enum
{
  QS_WEBHOOK_ERROR_FORBIDDEN_ADDRESS,  /* the host is or resolves to a non-public address */
  QS_WEBHOOK_ERROR_UNRESOLVED,         /* the host has no address */
  QS_WEBHOOK_ERROR_URL,                /* not an http(s) URL with a host */
} QsWebhookError;

GQuark      qs_webhook_error_quark        (void);

/* NULL when address is public; else what it is ("loopback", "private",
 * "link-local", …), for messages. IPv4-mapped, IPv4-compatible, NAT64 and
 * 6to4 IPv6 addresses are judged by the IPv4 address they carry. */
const char *qs_webhook_address_forbidden  (GInetAddress *address);

/* The URL rules that need no resolver: an absolute http(s) URL with a host,
 * no user info, at most 2048 bytes, https unless allow_insecure. FALSE with
 * *code "invalid_url" or "https_required" and a message for people. */
gboolean    qs_webhook_url_check          (const char   *url,
                                           gboolean      allow_insecure,
                                           const char  **code,
                                           const char  **message);

/* Resolves url's host (a literal address is taken as it is) with the
 * default GResolver and checks every address it resolves to: one
 * forbidden address refuses the host (QS_WEBHOOK_ERROR_FORBIDDEN_ADDRESS),
 * since which one a client would use is not ours to choose. allow_insecure
 * skips the check. The result is the address to connect to. */
void          qs_webhook_resolve_async    (const char          *url,
                                           gboolean             allow_insecure,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
GInetAddress *qs_webhook_resolve_finish   (GAsyncResult        *result,
                                           GError             **error);

/* The signature header's value: t=<t>,v1=<hex HMAC-SHA256 (secret, "<t>." body)>. */
char       *qs_webhook_signature          (const char   *secret,
                                           gint64        t,
                                           const char   *body);

typedef struct
{
  guint   status;       /* the receiver's HTTP status, 0 when there was none */
  char   *error;        /* why there was no answer, else NULL */
  gint64  duration_ms;
} QsWebhookResponse;

void        qs_webhook_response_free      (QsWebhookResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QsWebhookResponse, qs_webhook_response_free)

/* POSTs body (application/json) to url, connecting to address only, with
 * headers (name, value, name, value, …, NULL), no redirect followed, and
 * gives up after timeout_ms (the whole exchange up to the status line).
 * Never fails: what happened is in the response. */
void               qs_webhook_post_async  (const char          *url,
                                           GInetAddress        *address,
                                           const char * const  *headers,
                                           const char          *body,
                                           guint                timeout_ms,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
QsWebhookResponse *qs_webhook_post_finish (GAsyncResult        *result);

G_END_DECLS
