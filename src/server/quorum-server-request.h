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
  /* Set by qs_require_user () */
  char              *user_id;
  char              *user_name;
  char              *user_email;
  guint8             token_hash[QS_TOKEN_HASH_LEN];
} QsRequest;

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
const char         *qs_query               (QsRequest         *req,
                                            const char        *name);
const char         *qs_client_address      (QsRequest         *req);

G_END_DECLS
