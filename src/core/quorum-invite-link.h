/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * quorum://invite/<token>?server=<url-encoded base URL>
 *
 * Links arrive from anywhere on the desktop, so the parser is strict: anything
 * it does not fully understand is refused, and the app shows "This link is not
 * valid" instead of contacting any server.
 */

#define QUORUM_INVITE_LINK_ERROR (quorum_invite_link_error_quark ())

typedef enum
{
  QUORUM_INVITE_LINK_ERROR_MALFORMED,       /* not a URI, too long, fragment, bad encoding */
  QUORUM_INVITE_LINK_ERROR_WRONG_SCHEME,    /* not quorum: */
  QUORUM_INVITE_LINK_ERROR_WRONG_KIND,      /* quorum: but not //invite/ */
  QUORUM_INVITE_LINK_ERROR_INVALID_TOKEN,   /* charset or length */
  QUORUM_INVITE_LINK_ERROR_MISSING_SERVER,
  QUORUM_INVITE_LINK_ERROR_INVALID_SERVER,  /* not http(s), credentials, no host, query, fragment */
} QuorumInviteLinkError;

#define QUORUM_INVITE_LINK_MAX_BYTES   4096
#define QUORUM_INVITE_TOKEN_LENGTH     43   /* 256 bits, URL-safe base64 without padding */

typedef struct _QuorumInviteLink QuorumInviteLink;

GQuark            quorum_invite_link_error_quark   (void);

QuorumInviteLink *quorum_invite_link_parse         (const char              *uri,
                                                    GError                 **error);
QuorumInviteLink *quorum_invite_link_copy          (const QuorumInviteLink  *link);
void              quorum_invite_link_free          (QuorumInviteLink        *link);
const char       *quorum_invite_link_get_token     (const QuorumInviteLink  *link);
const char       *quorum_invite_link_get_server    (const QuorumInviteLink  *link);
const char       *quorum_invite_link_get_host      (const QuorumInviteLink  *link);

gboolean          quorum_invite_token_is_valid     (const char              *token);

char             *quorum_server_url_normalize      (const char              *url,
                                                    GError                 **error);
gboolean          quorum_server_url_equal          (const char              *a,
                                                    const char              *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QuorumInviteLink, quorum_invite_link_free)

G_END_DECLS
