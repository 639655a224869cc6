/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "quorum-core.h"
#include "quorum-server.h"
#include "quorum-server-parse.h"
#include "quorum-server-util.h"
#include "quorum-store.h"

G_BEGIN_DECLS

typedef struct
{
  QsServer          *server;
  QsStore           *store;
  SoupServerMessage *msg;       /* a reference */
  const char        *method;
  GHashTable        *query;     /* a reference, or NULL */
  GHashTable        *params;    /* path parameters of the matched route, or NULL */
  QsStoreMember     *membership; /* the caller's, set by dispatch on organization-scoped routes */
  const char        *body;
  gsize              body_len;
  GBytes            *body_bytes;
  /* Password jobs in flight: while > 0 the message is paused and the
   * request lives on (see quorum-server-password.c). */
  guint              async_ops;
  /* Set by qs_require_user () for a session; NULL for an API key. */
  char              *user_id;
  char              *user_name;
  char              *user_email;
  guint8             token_hash[QS_TOKEN_HASH_LEN];
  /* Set by qs_require_user () for an API key (Bearer qrm_k_…): the key acts
   * in its one organization, within its scopes; NULL for a session. */
  QsStoreApiKey     *api_key;
  /* Set by qs_json_set_secret () when the answer carries a secret: such an
   * answer is never compressed (quorum-server-http.c). */
  gboolean           carries_secret;
  /* The client's address, worked out at the first qs_client_address (). */
  char              *client_address;
} QsRequest;

/* Who acts: a signed-in user, or an API key (named by its id and name). */
typedef enum
{
  QS_ACTOR_USER,
  QS_ACTOR_API_KEY,
} QsActorKind;

typedef void (*QsHandler) (QsRequest *req);

QsRequest          *qs_request_new         (QsServer          *server,
                                            QsStore           *store,
                                            SoupServerMessage *msg,
                                            GHashTable        *query,
                                            GBytes            *body);
void                qs_request_free        (QsRequest         *req);
/* A {name} of the route's path pattern; never NULL on a route that has it. */
const char         *qs_request_param       (QsRequest         *req,
                                            const char        *name);
/* The caller's membership on an organization-scoped route, else NULL. */
const QsStoreMember *qs_request_membership (QsRequest         *req);
/* A query parameter; NULL when absent or empty. */
const char         *qs_query               (QsRequest         *req,
                                            const char        *name);
/* The list size asked for by ?limit= (at most 200), or fallback; an error
 * added to errors when it is not a whole number from 1. */
guint               qs_query_limit         (QsRequest         *req,
                                            guint              fallback,
                                            GPtrArray         *errors);
const char         *qs_client_address      (QsRequest         *req);

/* The actor of an authenticated request (after qs_require_user ()). */
QsActorKind         qs_request_actor_kind  (QsRequest         *req);
/* usr_… or key_… */
const char         *qs_request_actor_id    (QsRequest         *req);
/* The user's name, or the key's name. */
const char         *qs_request_actor_name  (QsRequest         *req);
/* "user" or "api_key", as the audit log names them. */
const char         *qs_request_actor_kind_name (QsRequest     *req);
/* A user that rows needing one can name (an invitation's invited_by, the
 * sender named in its e-mail): the caller, or the user who created the
 * key. */
const char         *qs_request_responsible_user_id (QsRequest *req);

G_END_DECLS
