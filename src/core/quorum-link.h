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
 *   quorum://org/<slug>[/<tab>]  a page of an organization: the slug (the rules
 *                             of quorum_slug_check()), an optional tab (general,
 *                             members, billing, developers); the members tab
 *                             also takes query=<search words> and
 *                             filter=inactive-90d
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
  QUORUM_LINK_ERROR_INVALID_SLUG,    /* quorum://org/: not a slug, or more path than a tab */
  QUORUM_LINK_ERROR_INVALID_TAB,     /* quorum://org/<slug>/: not one of the four tabs */
  QUORUM_LINK_ERROR_INVALID_PARAMETER, /* query or filter: bad value, twice, or not on members */
} QuorumLinkError;

typedef enum
{
  QUORUM_LINK_INVITE,
  QUORUM_LINK_VERIFY,
  QUORUM_LINK_RESET,
  QUORUM_LINK_ORG,
} QuorumLinkKind;

/* The tabs of the window an org link may name; NONE: the link names only
 * the organization. */
typedef enum
{
  QUORUM_LINK_TAB_NONE,
  QUORUM_LINK_TAB_GENERAL,
  QUORUM_LINK_TAB_MEMBERS,
  QUORUM_LINK_TAB_BILLING,
  QUORUM_LINK_TAB_DEVELOPERS,
} QuorumLinkTab;

#define QUORUM_LINK_MAX_BYTES        4096
#define QUORUM_INVITE_TOKEN_LENGTH   43   /* 256 bits, URL-safe base64 without padding */
#define QUORUM_VERIFY_TOKEN_PREFIX   "qrm_v_"
#define QUORUM_RESET_TOKEN_PREFIX    "qrm_r_"
#define QUORUM_LINK_MAX_QUERY_CHARS  200  /* the server's cap on the members search */
#define QUORUM_LINK_FILTER_INACTIVE_90D "inactive-90d"

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
const char     *quorum_link_get_slug       (const QuorumLink  *link);
QuorumLinkTab   quorum_link_get_tab        (const QuorumLink  *link);
const char     *quorum_link_get_query      (const QuorumLink  *link);
const char     *quorum_link_get_filter     (const QuorumLink  *link);

const char     *quorum_link_tab_to_string  (QuorumLinkTab      tab);
QuorumLinkTab   quorum_link_tab_from_string (const char       *name);
char           *quorum_link_build_org      (const char        *server,
                                            const char        *slug,
                                            QuorumLinkTab      tab,
                                            const char        *query,
                                            const char        *filter);

gboolean        quorum_link_token_is_valid (QuorumLinkKind     kind,
                                            const char        *token);

char           *quorum_server_url_normalize (const char       *url,
                                             GError          **error);
gboolean        quorum_server_url_equal     (const char       *a,
                                             const char       *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QuorumLink, quorum_link_free)

G_END_DECLS
