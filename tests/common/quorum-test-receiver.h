/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * A webhook receiver of a test's own: a SoupServer on a loopback port that
 * answers every POST with the status it is told (200 by default) and keeps
 * what came (how many, the last body and its Quorum-Signature), so a test
 * can check that a delivery arrived and was signed with the secret it was
 * shown. The server under test must run with --allow-insecure-webhooks.
 */
typedef struct _QuorumTestReceiver QuorumTestReceiver;

QuorumTestReceiver *quorum_test_receiver_new        (void);
void                quorum_test_receiver_free       (QuorumTestReceiver *receiver);
/* "http://127.0.0.1:PORT/hook" */
const char         *quorum_test_receiver_get_url    (QuorumTestReceiver *receiver);
guint               quorum_test_receiver_get_count  (QuorumTestReceiver *receiver);
void                quorum_test_receiver_set_status (QuorumTestReceiver *receiver,
                                                     guint               status);
/* The last body's JSON "type" ("ping", "member.added"), or NULL. */
const char         *quorum_test_receiver_get_last_type (QuorumTestReceiver *receiver);
/* The last delivery's Quorum-Signature is t=<unix>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>"> with @secret. */
gboolean            quorum_test_receiver_last_signed_with (QuorumTestReceiver *receiver,
                                                           const char         *secret);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QuorumTestReceiver, quorum_test_receiver_free)

G_END_DECLS
