/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * What a page says about a request while it waits, and after it failed.
 * The only place for these thresholds (docs/architecture.md, "Request
 * states"): the client itself gives up after QUORUM_CLIENT_TIMEOUT_SECONDS.
 */
#define QUORUM_REQUEST_STILL_WAITING_MS   3000   /* "Still waiting for <host>…" + Cancel */
#define QUORUM_REQUEST_NOT_ANSWERING_MS  10000   /* "<host> is not answering" */
#define QUORUM_REQUEST_RETRY_FIRST_S         2   /* automatic retry back-off: 2, 4, 8 … */
#define QUORUM_REQUEST_RETRY_MAX_S          60

typedef enum {
  QUORUM_REQUEST_PHASE_IDLE,          /* nothing in flight; the page shows its last good state */
  QUORUM_REQUEST_PHASE_WAITING,       /* < 3 s: spinner only */
  QUORUM_REQUEST_PHASE_STILL_WAITING, /* >= 3 s: "Still waiting for <host>…", Cancel */
  QUORUM_REQUEST_PHASE_NOT_ANSWERING, /* >= 10 s or timed out: "<host> is not answering", Cancel, Retry */
  QUORUM_REQUEST_PHASE_OFFLINE,       /* refused, DNS, no network: "Offline", Retry */
  QUORUM_REQUEST_PHASE_SERVER_ERROR,  /* 5xx or an answer that is not the contract:
                                         "The server had a problem", Details, Retry */
  QUORUM_REQUEST_PHASE_FAILED,        /* any other error: its composed message, Retry */
} QuorumRequestPhase;

#define QUORUM_TYPE_REQUEST_PHASE (quorum_request_phase_get_type ())
GType quorum_request_phase_get_type (void) G_GNUC_CONST;

#define QUORUM_TYPE_REQUEST_STATE (quorum_request_state_get_type ())
G_DECLARE_FINAL_TYPE (QuorumRequestState, quorum_request_state, QUORUM, REQUEST_STATE, GObject)

QuorumRequestState *quorum_request_state_new              (const char         *host);
GCancellable       *quorum_request_state_begin            (QuorumRequestState *self,
                                                           gboolean            automatic);
void                quorum_request_state_succeed          (QuorumRequestState *self);
void                quorum_request_state_fail             (QuorumRequestState *self,
                                                           const char         *context,
                                                           const GError       *error);
void                quorum_request_state_cancel           (QuorumRequestState *self);
void                quorum_request_state_retry            (QuorumRequestState *self);
void                quorum_request_state_reset            (QuorumRequestState *self);

QuorumRequestPhase  quorum_request_state_get_phase        (QuorumRequestState *self);
gboolean            quorum_request_state_get_running      (QuorumRequestState *self);
gboolean            quorum_request_state_get_automatic    (QuorumRequestState *self);
const char         *quorum_request_state_get_host         (QuorumRequestState *self);
void                quorum_request_state_set_host         (QuorumRequestState *self,
                                                           const char         *host);
void                quorum_request_state_set_host_from_url (QuorumRequestState *self,
                                                            const char         *url);
const char         *quorum_request_state_get_message      (QuorumRequestState *self);
const char         *quorum_request_state_get_explanation  (QuorumRequestState *self);
const char         *quorum_request_state_get_detail       (QuorumRequestState *self);
guint               quorum_request_state_get_retry_seconds (QuorumRequestState *self);

G_END_DECLS
