/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Runs the real quorum-server ($QUORUM_SERVER_BINARY) for a test: a free
 * loopback port, a fresh data directory, rate limits off and the cheapest
 * password hashing. No GTK here: API and UI tests both link it.
 */
typedef struct _QuorumTestServer QuorumTestServer;

QuorumTestServer *quorum_test_server_start        (const char * const *extra_args,
                                                   GError            **error);
const char       *quorum_test_server_get_url      (QuorumTestServer   *server);
const char       *quorum_test_server_get_data_dir (QuorumTestServer   *server);
void              quorum_test_server_stop         (QuorumTestServer   *server);
char             *quorum_test_server_sign_up      (QuorumTestServer   *server,
                                                   const char         *name,
                                                   const char         *email,
                                                   const char         *password,
                                                   GError            **error);
char             *quorum_test_server_mail_token   (QuorumTestServer   *server,
                                                   const char         *email,
                                                   const char         *kind,
                                                   GError            **error);
gboolean          quorum_test_server_verify_email (QuorumTestServer   *server,
                                                   const char         *email,
                                                   GError            **error);
char             *quorum_test_unique_email        (const char         *prefix);
gboolean          quorum_test_remove_tree         (const char         *path,
                                                   GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QuorumTestServer, quorum_test_server_stop)

G_END_DECLS
