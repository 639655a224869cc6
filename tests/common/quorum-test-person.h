/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "quorum-api.h"
#include "quorum-test-server.h"

G_BEGIN_DECLS

/*
 * Someone who uses the test server through a QuorumClient of their own, as
 * the API tests' people do. The suites check what they need on top
 * (a verified e-mail, the token's form).
 */

typedef struct
{
  QuorumClient       *client;
  QuorumUser         *user;          /* nullable: set by a sign-up */
  QuorumOrganization *organization;  /* nullable */
  char               *email;
} QuorumTestPerson;

/* Nobody yet: a client of @server that is not signed in, for @email. */
QuorumTestPerson *quorum_test_person_new     (QuorumTestServer  *server,
                                              const char        *email);

/* Signs up @name with a unique e-mail made from it and @password (no
 * organization name: the server's default); the test fails on an error.
 * The person has the client, the user and the organization of the answer;
 * @out_token, when not NULL, the session token. */
QuorumTestPerson *quorum_test_person_sign_up (QuorumTestServer  *server,
                                              const char        *name,
                                              const char        *password,
                                              char             **out_token);

void              quorum_test_person_free    (QuorumTestPerson  *person);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QuorumTestPerson, quorum_test_person_free)

G_END_DECLS
