/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-test-person.h"
#include "quorum-test-wait.h"

QuorumTestPerson *
quorum_test_person_new (QuorumTestServer *server,
                        const char       *email)
{
  QuorumTestPerson *person = g_new0 (QuorumTestPerson, 1);

  person->client = quorum_client_new (quorum_test_server_get_url (server));
  person->email = g_strdup (email);
  return person;
}

QuorumTestPerson *
quorum_test_person_sign_up (QuorumTestServer  *server,
                            const char        *name,
                            const char        *password,
                            char             **out_token)
{
  g_autofree char *email = quorum_test_unique_email (name);
  QuorumTestPerson *person = quorum_test_person_new (server, email);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  quorum_client_sign_up_async (person->client, name, person->email, password, NULL, NULL,
                               quorum_test_store_result, &result);
  person->user = quorum_client_sign_up_finish (person->client, quorum_test_wait_result (&result), out_token,
                                               &person->organization, &error);
  g_assert_no_error (error);
  return person;
}

void
quorum_test_person_free (QuorumTestPerson *person)
{
  g_clear_object (&person->client);
  g_clear_object (&person->user);
  g_clear_object (&person->organization);
  g_free (person->email);
  g_free (person);
}
