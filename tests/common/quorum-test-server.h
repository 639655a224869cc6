/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

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
/* Hangs the server (SIGSTOP, returning once every thread has stopped):
 * connections are accepted by the kernel, no answer comes;
 * quorum_test_server_resume() (SIGCONT) lets it answer. */
void              quorum_test_server_hang         (QuorumTestServer   *server);
void              quorum_test_server_resume       (QuorumTestServer   *server);
char             *quorum_test_server_sign_up      (QuorumTestServer   *server,
                                                   const char         *name,
                                                   const char         *email,
                                                   const char         *password,
                                                   GError            **error);
char             *quorum_test_server_mail_token   (QuorumTestServer   *server,
                                                   const char         *email,
                                                   const char         *kind,
                                                   GError            **error);
char             *quorum_test_server_next_mail_token (QuorumTestServer *server,
                                                     const char       *email,
                                                     const char       *kind,
                                                     const char       *old,
                                                     GError          **error);
gboolean          quorum_test_server_verify_email (QuorumTestServer   *server,
                                                   const char         *email,
                                                   GError            **error);
char             *quorum_test_leaked_token        (const char         *log,
                                                   const char         *outbox_dir);
char             *quorum_test_unique_email        (const char         *prefix);
gboolean          quorum_test_remove_tree         (const char         *path,
                                                   GError            **error);

/* A SoupServer of the test's own (a fake API, another origin): listens on a
 * free loopback port (IPv4, plus @options) and returns its base URL,
 * "http://127.0.0.1:PORT" (https with SOUP_SERVER_LISTEN_HTTPS). */
char             *quorum_test_soup_listen         (SoupServer              *soup,
                                                   SoupServerListenOptions  options);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QuorumTestServer, quorum_test_server_stop)

G_END_DECLS
