/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The links the app opens, each `quorum://<kind>/<token>?server=<url-encoded base URL>`:
 *
 *   quorum://invite/<token>   an invitation (43 characters of URL-safe base64)
 *   quorum://verify/<token>   an e-mail verification (qrm_v_ + 43 characters)
 *   quorum://reset/<token>    a password reset (qrm_r_ + 43 characters)
 *
 * Links arrive from anywhere on the desktop, so there is one strict parser
 * for all of them: anything it does not fully understand is refused, and the
 * app says "This link is not valid" instead of contacting any server.
 */

#define QUORUM_LINK_ERROR (quorum_link_error_quark ())

typedef enum
{
  QUORUM_LINK_ERROR_MALFORMED,       /* not a URI, too long, fragment, bad encoding */
  QUORUM_LINK_ERROR_WRONG_SCHEME,    /* not quorum: */
  QUORUM_LINK_ERROR_WRONG_KIND,      /* quorum: but not //invite/, //verify/ or //reset/ */
  QUORUM_LINK_ERROR_INVALID_TOKEN,   /* charset, length or prefix of the kind's token */
  QUORUM_LINK_ERROR_MISSING_SERVER,
  QUORUM_LINK_ERROR_INVALID_SERVER,  /* not http(s), credentials, no host, query, fragment */
} QuorumLinkError;

typedef enum
{
  QUORUM_LINK_INVITE,
  QUORUM_LINK_VERIFY,
  QUORUM_LINK_RESET,
} QuorumLinkKind;

#define QUORUM_LINK_MAX_BYTES        4096
#define QUORUM_INVITE_TOKEN_LENGTH   43   /* 256 bits, URL-safe base64 without padding */
#define QUORUM_VERIFY_TOKEN_PREFIX   "qrm_v_"
#define QUORUM_RESET_TOKEN_PREFIX    "qrm_r_"

typedef struct _QuorumLink QuorumLink;

GQuark          quorum_link_error_quark    (void);

QuorumLink     *quorum_link_parse          (const char        *uri,
                                            GError           **error);
QuorumLink     *quorum_link_copy           (const QuorumLink  *link);
void            quorum_link_free           (QuorumLink        *link);
QuorumLinkKind  quorum_link_get_kind       (const QuorumLink  *link);
const char     *quorum_link_get_token      (const QuorumLink  *link);
const char     *quorum_link_get_server     (const QuorumLink  *link);
const char     *quorum_link_get_host       (const QuorumLink  *link);
const char     *quorum_link_get_display_server (const QuorumLink *link);

gboolean        quorum_link_token_is_valid (QuorumLinkKind     kind,
                                            const char        *token);

char           *quorum_server_url_normalize (const char       *url,
                                             GError          **error);
gboolean        quorum_server_url_equal     (const char       *a,
                                             const char       *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QuorumLink, quorum_link_free)

G_END_DECLS
