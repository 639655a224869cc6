/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "quorum-api.h"
#include "quorum-core.h"
#include "quorum-test-person.h"
#include "quorum-test-server.h"
#include "quorum-test-wait.h"
#include "quorum-test-settings.h"

/*
 * Every client call the app uses, against the real quorum-server on a
 * loopback port: the success path and each error of the contract, mapped to
 * its QUORUM_API_ERROR code. One server for the whole file; every test signs
 * up its own users so tests do not depend on each other.
 */

#define PASSWORD "correct horse battery"
/* A 128×128 PNG filled with #3584e4. */
static const guint8 png_logo[] =
  "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x80\x00\x00\x00\x80"
  "\x08\x02\x00\x00\x00\x4c\x5c\xf6\x9c\x00\x00\x00\xc8\x49\x44\x41\x54\x78\xda\xed\xd1\x41\x0d\x00"
  "\x00\x08\xc4\xb0\x33\x85\x43\xa4\x22\x04\x19\xf0\x68\x32\x05\x6b\xaa\x47\x87\xc5\x02\x00\x00\x04"
  "\x00\x80\x00\x00\x10\x00\x00\x02\x00\x40\x00\x00\x08\x00\x00\x01\x00\x20\x00\x00\x04\x00\x80\x00"
  "\x00\x10\x00\x00\x02\x00\x40\x00\x00\x08\x00\x00\x01\x00\x20\x00\x00\x04\x00\x80\x00\x00\x10\x00"
  "\x00\x02\x00\x40\x00\x00\x08\x00\x00\x01\x00\x20\x00\x00\x04\x00\x80\x00\x00\x10\x00\x00\x02\x00"
  "\x40\x00\x00\x08\x00\x00\x01\x00\x00\xc0\x05\x00\x00\x04\x00\x80\x00\x00\x10\x00\x00\x02\x00\x40"
  "\x00\x00\x08\x00\x00\x01\x00\x20\x00\x00\x04\x00\x80\x00\x00\x10\x00\x00\x02\x00\x40\x00\x00\x08"
  "\x00\x00\x01\x00\x20\x00\x00\x04\x00\x80\x00\x00\x10\x00\x00\x02\x00\x40\x00\x00\x08\x00\x00\x01"
  "\x00\x20\x00\x00\x04\x00\x80\x00\x00\x10\x00\x00\x02\x00\x40\x00\x00\x08\xc0\x87\x16\x6b\x45\x46"
  "\x0a\x70\x1b\x20\x7c\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";

static QuorumTestServer *server;

/* Runs CALL (an _async call ending in "quorum_test_store_result, &result") and
 * evaluates FINISH with `result` ready. */
#define SYNC(call, finish) \
  ({ g_autoptr(GAsyncResult) result = NULL; call; quorum_test_wait_result (&result); finish; })

static QuorumTestPerson *
sign_up (const char *name)
{
  g_autofree char *token = NULL;
  QuorumTestPerson *person = quorum_test_person_sign_up (server, name, PASSWORD, &token);

  g_assert_nonnull (person->user);
  g_assert_true (g_str_has_prefix (token, "qrm_s_"));
  g_assert_true (quorum_client_get_signed_in (person->client));
  return person;
}

/* The token of the newest mail of @kind ("verify", "reset") to @email, once
 * it is not @old (reset mails are written just after the answer). */
static char *
next_mail_token (const char *email,
                 const char *kind,
                 const char *old)
{
  g_autoptr(GError) error = NULL;
  char *token = quorum_test_server_next_mail_token (server, email, kind, old, &error);

  g_assert_no_error (error);
  g_assert_nonnull (token);
  return token;
}

/* The newest invitation token mailed for an invitation, read from the outbox. */
static char *
mailed_token (const char *invitation_id,
              const char *not_this_one)
{
  g_autofree char *outbox = g_build_filename (quorum_test_server_get_data_dir (server), "outbox", NULL);
  g_autoptr(GDir) dir = g_dir_open (outbox, 0, NULL);
  const char *name;
  char *found = NULL;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *contents = NULL;
      const char *start;
      const char *end;

      if (strstr (name, invitation_id) == NULL)
        continue;
      path = g_build_filename (outbox, name, NULL);
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      start = strstr (contents, "quorum://invite/");
      g_assert_nonnull (start);
      start += strlen ("quorum://invite/");
      end = strchr (start, '?');
      g_assert_nonnull (end);
      if (not_this_one != NULL && strncmp (start, not_this_one, end - start) == 0 &&
          strlen (not_this_one) == (gsize) (end - start))
        continue;
      g_free (found);
      found = g_strndup (start, end - start);
    }

  g_assert_nonnull (found);
  return found;
}

static void
count_cb (QuorumClient *client,
          guint        *count)
{
  (*count)++;
}

static void
test_identity (void)
{
  g_autoptr(QuorumTestPerson) ada = sign_up ("Ada");
  g_autoptr(QuorumClient) client = quorum_client_new (quorum_test_server_get_url (server));
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) user = NULL;
  g_autofree char *token = NULL;
  guint unauthenticated = 0;
  gboolean ok;
  g_autofree char *version = NULL;

  version = SYNC (quorum_client_check_server_async (client, NULL, quorum_test_store_result, &result),
                  quorum_client_check_server_finish (client, result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (version, ==, PACKAGE_VERSION);

  g_assert_cmpstr (quorum_user_get_name (ada->user), ==, "Ada");
  g_assert_cmpstr (quorum_organization_get_name (ada->organization), ==, "Ada's organization");
  g_assert_cmpint (quorum_organization_get_role (ada->organization), ==, QUORUM_ROLE_OWNER);

  /* The same e-mail again. */
  user = SYNC (quorum_client_sign_up_async (client, "Ada Again", ada->email, PASSWORD, NULL,
                                            NULL, quorum_test_store_result, &result),
               quorum_client_sign_up_finish (client, result, NULL, NULL, &error));
  g_assert_null (user);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_EMAIL_TAKEN);
  g_assert_cmpuint (quorum_api_error_get_http_status (error), ==, 409);
  g_clear_error (&error);

  /* A password too short is a validation error naming the field. */
  user = SYNC (quorum_client_sign_up_async (client, "Short", "short@example.org", "short", NULL,
                                            NULL, quorum_test_store_result, &result),
               quorum_client_sign_up_finish (client, result, NULL, NULL, &error));
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_VALIDATION);
  g_assert_nonnull (quorum_api_error_get_field_message (error, "password"));
  g_clear_error (&error);

  /* Wrong password: invalid_credentials, which is not "session expired". */
  g_signal_connect (client, "unauthenticated", G_CALLBACK (count_cb), &unauthenticated);
  user = SYNC (quorum_client_sign_in_async (client, ada->email, "wrong password!", NULL, quorum_test_store_result, &result),
               quorum_client_sign_in_finish (client, result, NULL, &error));
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVALID_CREDENTIALS);
  g_assert_cmpuint (unauthenticated, ==, 0);
  g_clear_error (&error);

  user = SYNC (quorum_client_sign_in_async (client, ada->email, PASSWORD, NULL, quorum_test_store_result, &result),
               quorum_client_sign_in_finish (client, result, &token, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (quorum_user_get_id (user), ==, quorum_user_get_id (ada->user));
  g_assert_true (g_str_has_prefix (token, "qrm_s_"));
  g_clear_object (&user);

  user = SYNC (quorum_client_get_me_async (client, NULL, quorum_test_store_result, &result),
               quorum_client_get_me_finish (client, result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (quorum_user_get_email (user), ==, ada->email);
  g_clear_object (&user);

  user = SYNC (quorum_client_update_me_async (client, "Ada Lovelace", NULL, quorum_test_store_result, &result),
               quorum_client_update_me_finish (client, result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (quorum_user_get_name (user), ==, "Ada Lovelace");
  g_clear_object (&user);

  ok = SYNC (quorum_client_change_password_async (client, "not the password", "another long password",
                                                  NULL, quorum_test_store_result, &result),
             quorum_client_change_password_finish (client, result, &error));
  g_assert_false (ok);
  g_assert_nonnull (error);
  g_assert_true (error->domain == QUORUM_API_ERROR);
  g_assert_cmpuint (unauthenticated, ==, 0);
  g_clear_error (&error);

  ok = SYNC (quorum_client_change_password_async (client, PASSWORD, "another long password",
                                                  NULL, quorum_test_store_result, &result),
             quorum_client_change_password_finish (client, result, &error));
  g_assert_no_error (error);
  g_assert_true (ok);

  /* Changing the password ended Ada's other session: the first client is
   * told to sign in again. */
  g_signal_connect (ada->client, "unauthenticated", G_CALLBACK (count_cb), &unauthenticated);
  user = SYNC (quorum_client_get_me_async (ada->client, NULL, quorum_test_store_result, &result),
               quorum_client_get_me_finish (ada->client, result, &error));
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_UNAUTHENTICATED);
  g_assert_cmpuint (unauthenticated, ==, 1);
  g_assert_false (quorum_client_get_signed_in (ada->client));
  g_clear_error (&error);

  ok = SYNC (quorum_client_sign_out_async (client, NULL, quorum_test_store_result, &result),
             quorum_client_sign_out_finish (client, result, &error));
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_false (quorum_client_get_signed_in (client));

  /* The old token no longer works on the server either. */
  quorum_client_set_token (client, token);
  user = SYNC (quorum_client_get_me_async (client, NULL, quorum_test_store_result, &result),
               quorum_client_get_me_finish (client, result, &error));
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_UNAUTHENTICATED);
  g_assert_cmpuint (unauthenticated, ==, 2);
}

static void
test_organizations (void)
{
  g_autoptr(QuorumTestPerson) ada = sign_up ("Ada");
  g_autoptr(QuorumTestPerson) bob = sign_up ("Bob");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) organizations = NULL;
  g_autoptr(QuorumOrganization) created = NULL;
  g_autoptr(QuorumOrganization) fetched = NULL;
  g_autoptr(QuorumOrganization) updated = NULL;
  g_autoptr(QuorumOrganization) other = NULL;
  g_autofree char *slug = g_strdup_printf ("engines-%08x", g_random_int ());
  g_autoptr(GBytes) logo = NULL;
  g_autoptr(QuorumOrganization) with_logo = NULL;
  QuorumClient *client = ada->client;
  gboolean ok;

  organizations = SYNC (quorum_client_list_organizations_async (client, NULL, quorum_test_store_result, &result),
                        quorum_client_list_organizations_finish (client, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (organizations->len, ==, 1);
  g_assert_cmpstr (quorum_organization_get_id (g_ptr_array_index (organizations, 0)), ==,
                   quorum_organization_get_id (ada->organization));

  created = SYNC (quorum_client_create_organization_async (client, "Analytical Engines", slug, NULL,
                                                           NULL, quorum_test_store_result, &result),
                  quorum_client_create_organization_finish (client, result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (quorum_organization_get_slug (created), ==, slug);
  g_assert_cmpint (quorum_organization_get_role (created), ==, QUORUM_ROLE_OWNER);
  g_assert_cmpint (quorum_organization_get_member_count (created), ==, 1);

  other = SYNC (quorum_client_create_organization_async (bob->client, "Copycat", slug, NULL,
                                                         NULL, quorum_test_store_result, &result),
                quorum_client_create_organization_finish (bob->client, result, &error));
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_SLUG_TAKEN);
  g_clear_error (&error);

  other = SYNC (quorum_client_create_organization_async (bob->client, "Bad slug", "-Bad--Slug", NULL,
                                                         NULL, quorum_test_store_result, &result),
                quorum_client_create_organization_finish (bob->client, result, &error));
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_VALIDATION);
  g_assert_nonnull (quorum_api_error_get_field_message (error, "slug"));
  g_clear_error (&error);

  fetched = SYNC (quorum_client_get_organization_async (client, quorum_organization_get_id (created),
                                                        NULL, quorum_test_store_result, &result),
                  quorum_client_get_organization_finish (client, result, &error));
  g_assert_no_error (error);
  g_assert_nonnull (quorum_organization_get_etag (fetched));

  updated = SYNC (quorum_client_update_organization_async (client, quorum_organization_get_id (fetched),
                                                           quorum_organization_get_etag (fetched),
                                                           "Difference Engines", NULL, NULL,
                                                           NULL, quorum_test_store_result, &result),
                  quorum_client_update_organization_finish (client, result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (quorum_organization_get_name (updated), ==, "Difference Engines");
  g_assert_nonnull (quorum_organization_get_etag (updated));
  g_assert_cmpstr (quorum_organization_get_etag (updated), !=, quorum_organization_get_etag (fetched));
  g_clear_object (&updated);

  /* Someone changed it since it was shown: 412, reload. */
  updated = SYNC (quorum_client_update_organization_async (client, quorum_organization_get_id (fetched),
                                                           quorum_organization_get_etag (fetched),
                                                           "Stale Engines", NULL, NULL,
                                                           NULL, quorum_test_store_result, &result),
                  quorum_client_update_organization_finish (client, result, &error));
  g_assert_null (updated);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_PRECONDITION_FAILED);
  g_clear_error (&error);

  /* Not a member: 404, never 403. */
  other = SYNC (quorum_client_get_organization_async (bob->client, quorum_organization_get_id (created),
                                                      NULL, quorum_test_store_result, &result),
                quorum_client_get_organization_finish (bob->client, result, &error));
  g_assert_null (other);
  g_assert_nonnull (error);
  g_assert_cmpuint (quorum_api_error_get_http_status (error), ==, 404);
  g_assert_true (g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_NOT_FOUND) ||
                 g_error_matches (error, QUORUM_API_ERROR, QUORUM_API_ERROR_ORGANIZATION_NOT_FOUND));
  g_clear_error (&error);

  /* A logo: a PNG goes in, the organization points at it; anything else is refused. */
  logo = g_bytes_new_static (png_logo, sizeof png_logo - 1);
  with_logo = SYNC (quorum_client_upload_logo_async (client, quorum_organization_get_id (created), logo,
                                                     "image/png", NULL, quorum_test_store_result, &result),
                    quorum_client_upload_logo_finish (client, result, &error));
  g_assert_no_error (error);
  g_assert_nonnull (quorum_organization_get_logo_url (with_logo));
  g_assert_true (g_str_has_suffix (quorum_organization_get_logo_url (with_logo), "/logo"));
  g_clear_object (&with_logo);
  with_logo = SYNC (quorum_client_upload_logo_async (client, quorum_organization_get_id (created), logo,
                                                     "image/gif", NULL, quorum_test_store_result, &result),
                    quorum_client_upload_logo_finish (client, result, &error));
  g_assert_null (with_logo);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_UNSUPPORTED_MEDIA_TYPE);
  g_clear_error (&error);

  ok = SYNC (quorum_client_leave_organization_async (client, quorum_organization_get_id (created),
                                                     NULL, quorum_test_store_result, &result),
             quorum_client_leave_organization_finish (client, result, &error));
  g_assert_false (ok);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_OWNER_CANNOT_LEAVE);
  g_clear_error (&error);

  ok = SYNC (quorum_client_delete_organization_async (client, quorum_organization_get_id (created), "wrong-slug",
                                                      NULL, quorum_test_store_result, &result),
             quorum_client_delete_organization_finish (client, result, &error));
  g_assert_false (ok);
  g_assert_nonnull (error);
  g_clear_error (&error);

  ok = SYNC (quorum_client_delete_organization_async (client, quorum_organization_get_id (created), slug,
                                                      NULL, quorum_test_store_result, &result),
             quorum_client_delete_organization_finish (client, result, &error));
  g_assert_no_error (error);
  g_assert_true (ok);

  g_clear_object (&fetched);
  fetched = SYNC (quorum_client_get_organization_async (client, quorum_organization_get_id (created),
                                                        NULL, quorum_test_store_result, &result),
                  quorum_client_get_organization_finish (client, result, &error));
  g_assert_null (fetched);
  g_assert_cmpuint (quorum_api_error_get_http_status (error), ==, 404);
}

static QuorumInvitation *
invite (QuorumTestPerson *inviter,
        const char       *email,
        QuorumRole        role,
        GError          **error)
{
  return SYNC (quorum_client_create_invitation_async (inviter->client, quorum_organization_get_id (inviter->organization),
                                                      email, role, NULL, NULL, quorum_test_store_result, &result),
               quorum_client_create_invitation_finish (inviter->client, result, error));
}

static QuorumInvitationPreview *
preview (const char  *token,
         GError     **error)
{
  g_autoptr(QuorumClient) client = quorum_client_new (quorum_test_server_get_url (server));

  return SYNC (quorum_client_get_invitation_preview_async (client, token, NULL, quorum_test_store_result, &result),
               quorum_client_get_invitation_preview_finish (client, result, error));
}

static void
test_invitations (void)
{
  g_autoptr(QuorumTestPerson) ada = sign_up ("Ada");
  g_autoptr(QuorumTestPerson) dave = sign_up ("Dave");
  g_autoptr(QuorumTestPerson) eve = sign_up ("Eve");
  g_autoptr(QuorumClient) bob_client = quorum_client_new (quorum_test_server_get_url (server));
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumInvitation) to_bob = NULL;
  g_autoptr(QuorumInvitation) again = NULL;
  g_autoptr(QuorumInvitation) to_carol = NULL;
  g_autoptr(QuorumInvitation) resent = NULL;
  g_autoptr(QuorumInvitation) to_dave = NULL;
  g_autoptr(QuorumInvitation) to_frank = NULL;
  g_autoptr(QuorumInvitationPreview) seen = NULL;
  g_autoptr(QuorumUser) bob = NULL;
  g_autoptr(QuorumOrganization) joined = NULL;
  g_autoptr(QuorumMember) membership = NULL;
  g_autoptr(GPtrArray) invitations = NULL;
  g_autofree char *bob_email = quorum_test_unique_email ("bob");
  g_autofree char *carol_email = quorum_test_unique_email ("carol");
  g_autofree char *frank_email = quorum_test_unique_email ("frank");
  g_autofree char *bob_token = NULL;
  g_autofree char *bob_session = NULL;
  g_autofree char *carol_token = NULL;
  g_autofree char *carol_new_token = NULL;
  g_autofree char *dave_token = NULL;
  g_autofree char *frank_token = NULL;
  const char *org_id = quorum_organization_get_id (ada->organization);
  gboolean ok;

  /* Bob has no account: preview, then set up from the invitation. */
  to_bob = invite (ada, bob_email, QUORUM_ROLE_MEMBER, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (quorum_invitation_get_status (to_bob), ==, "pending");
  g_assert_cmpstr (quorum_invitation_get_inviter_id (to_bob), ==, quorum_user_get_id (ada->user));

  again = invite (ada, bob_email, QUORUM_ROLE_MEMBER, &error);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_ALREADY_INVITED);
  g_clear_error (&error);

  bob_token = mailed_token (quorum_invitation_get_id (to_bob), NULL);
  seen = preview (bob_token, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (quorum_invitation_preview_get_organization_name (seen), ==,
                   quorum_organization_get_name (ada->organization));
  g_assert_cmpstr (quorum_invitation_preview_get_inviter_name (seen), ==, "Ada");
  g_assert_false (quorum_invitation_preview_get_account_exists (seen));
  g_clear_object (&seen);

  bob = SYNC (quorum_client_setup_invitation_async (bob_client, bob_token, "Bob", PASSWORD,
                                                    NULL, quorum_test_store_result, &result),
              quorum_client_setup_invitation_finish (bob_client, result, &bob_session, &joined, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (quorum_user_get_email (bob), ==, bob_email);
  g_assert_cmpstr (quorum_organization_get_id (joined), ==, org_id);
  g_assert_cmpint (quorum_organization_get_role (joined), ==, QUORUM_ROLE_MEMBER);
  g_assert_true (quorum_client_get_signed_in (bob_client));
  g_clear_object (&joined);

  /* Used now; and Bob is a member. */
  seen = preview (bob_token, &error);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVITATION_USED);
  g_clear_error (&error);
  g_clear_object (&again);
  again = invite (ada, bob_email, QUORUM_ROLE_ADMIN, &error);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_ALREADY_MEMBER);
  g_clear_error (&error);

  /* A member may not see invitations. */
  invitations = SYNC (quorum_client_list_invitations_async (bob_client, org_id, NULL, NULL, quorum_test_store_result, &result),
                      quorum_client_list_invitations_finish (bob_client, result, &error));
  g_assert_null (invitations);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_FORBIDDEN);
  g_clear_error (&error);

  /* Carol: resend gives a new link and kills the old one; then revoke. */
  to_carol = invite (ada, carol_email, QUORUM_ROLE_ADMIN, &error);
  g_assert_no_error (error);
  carol_token = mailed_token (quorum_invitation_get_id (to_carol), NULL);
  resent = SYNC (quorum_client_resend_invitation_async (ada->client, org_id, quorum_invitation_get_id (to_carol),
                                                        NULL, quorum_test_store_result, &result),
                 quorum_client_resend_invitation_finish (ada->client, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (quorum_invitation_get_send_count (resent), ==, 2);
  carol_new_token = mailed_token (quorum_invitation_get_id (to_carol), carol_token);
  g_assert_cmpstr (carol_new_token, !=, carol_token);
  seen = preview (carol_token, &error);
  g_assert_null (seen);
  g_assert_nonnull (error);
  g_clear_error (&error);
  seen = preview (carol_new_token, &error);
  g_assert_no_error (error);
  g_assert_cmpint (quorum_invitation_preview_get_role (seen), ==, QUORUM_ROLE_ADMIN);
  g_clear_object (&seen);

  invitations = SYNC (quorum_client_list_invitations_async (ada->client, org_id, "pending", NULL, quorum_test_store_result, &result),
                      quorum_client_list_invitations_finish (ada->client, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (invitations->len, ==, 1);
  g_assert_cmpstr (quorum_invitation_get_email (g_ptr_array_index (invitations, 0)), ==, carol_email);
  g_clear_pointer (&invitations, g_ptr_array_unref);

  ok = SYNC (quorum_client_revoke_invitation_async (ada->client, org_id, quorum_invitation_get_id (to_carol),
                                                    NULL, quorum_test_store_result, &result),
             quorum_client_revoke_invitation_finish (ada->client, result, &error));
  g_assert_no_error (error);
  g_assert_true (ok);
  seen = preview (carol_new_token, &error);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVITATION_REVOKED);
  g_clear_error (&error);

  seen = preview ("no-such-token", &error);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVITATION_NOT_FOUND);
  g_clear_error (&error);

  /* Dave has an account: he sees the invitation once his address is
   * verified, and accepts it signed in. */
  to_dave = invite (ada, dave->email, QUORUM_ROLE_MEMBER, &error);
  g_assert_no_error (error);
  dave_token = mailed_token (quorum_invitation_get_id (to_dave), NULL);

  /* Only once he proved the inbox: until then 403, in the client's words. */
  g_assert_false (quorum_user_get_email_verified (dave->user));
  invitations = SYNC (quorum_client_list_my_invitations_async (dave->client, NULL, quorum_test_store_result, &result),
                      quorum_client_list_my_invitations_finish (dave->client, result, &error));
  g_assert_null (invitations);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_EMAIL_UNVERIFIED);
  g_assert_cmpuint (quorum_api_error_get_http_status (error), ==, 403);
  g_assert_cmpstr (error->message, ==, quorum_api_error_get_message (QUORUM_API_ERROR_EMAIL_UNVERIFIED));
  g_clear_error (&error);
  g_assert_true (quorum_test_server_verify_email (server, dave->email, &error));
  g_assert_no_error (error);

  invitations = SYNC (quorum_client_list_my_invitations_async (dave->client, NULL, quorum_test_store_result, &result),
                      quorum_client_list_my_invitations_finish (dave->client, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (invitations->len, ==, 1);
  g_assert_cmpstr (quorum_invitation_get_organization_id (g_ptr_array_index (invitations, 0)), ==, org_id);
  g_clear_pointer (&invitations, g_ptr_array_unref);

  g_clear_object (&bob);
  bob = SYNC (quorum_client_setup_invitation_async (bob_client, dave_token, "Dave Again", PASSWORD,
                                                    NULL, quorum_test_store_result, &result),
              quorum_client_setup_invitation_finish (bob_client, result, NULL, NULL, &error));
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_ACCOUNT_EXISTS);
  g_clear_error (&error);

  /* Eve is signed in but is not the invitee. */
  joined = SYNC (quorum_client_accept_invitation_async (eve->client, dave_token, NULL, quorum_test_store_result, &result),
                 quorum_client_accept_invitation_finish (eve->client, result, NULL, &error));
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_EMAIL_MISMATCH);
  g_clear_error (&error);

  joined = SYNC (quorum_client_accept_invitation_async (dave->client, dave_token, NULL, quorum_test_store_result, &result),
                 quorum_client_accept_invitation_finish (dave->client, result, &membership, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (quorum_organization_get_id (joined), ==, org_id);
  g_assert_cmpstr (quorum_member_get_user_id (membership), ==, quorum_user_get_id (dave->user));
  g_assert_cmpint (quorum_member_get_role (membership), ==, QUORUM_ROLE_MEMBER);

  /* Frank declines. */
  to_frank = invite (ada, frank_email, QUORUM_ROLE_MEMBER, &error);
  g_assert_no_error (error);
  frank_token = mailed_token (quorum_invitation_get_id (to_frank), NULL);
  ok = SYNC (quorum_client_decline_invitation_async (bob_client, frank_token, NULL, quorum_test_store_result, &result),
             quorum_client_decline_invitation_finish (bob_client, result, &error));
  g_assert_no_error (error);
  g_assert_true (ok);
  seen = preview (frank_token, &error);
  g_assert_null (seen);
  g_assert_nonnull (error);
  g_assert_cmpuint (quorum_api_error_get_http_status (error), ==, 410);
}

static int alter_rows (const char *sql,
                       const char *parameter);

/* Changes an invitation behind the server's back, as time or another
 * client would: SET clause, then the invitation id. */
static void
alter_invitation (const char *set,
                  const char *invitation_id)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE invitations SET %s WHERE id = ?1", set);

  g_assert_cmpint (alter_rows (sql, invitation_id), ==, 1);
}

/* Runs @sql, an UPDATE with one parameter, on the server's database behind
 * its back; returns how many rows changed. */
static int
alter_rows (const char *sql,
            const char *parameter)
{
  g_autofree char *path = g_build_filename (quorum_test_server_get_data_dir (server), "quorum.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int changes;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, parameter, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  changes = sqlite3_changes (db);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return changes;
}

static QuorumOrganization *
accept_mine (QuorumTestPerson *person,
             const char       *invitation_id,
             GError          **error)
{
  return SYNC (quorum_client_accept_my_invitation_async (person->client, invitation_id, NULL, quorum_test_store_result, &result),
               quorum_client_accept_my_invitation_finish (person->client, result, NULL, error));
}

static gboolean
decline_mine (QuorumTestPerson *person,
              const char       *invitation_id,
              GError          **error)
{
  return SYNC (quorum_client_decline_my_invitation_async (person->client, invitation_id, NULL, quorum_test_store_result, &result),
               quorum_client_decline_my_invitation_finish (person->client, result, error));
}

static GPtrArray *
my_invitations (QuorumTestPerson *person)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *invitations;

  invitations = SYNC (quorum_client_list_my_invitations_async (person->client, NULL, quorum_test_store_result, &result),
                      quorum_client_list_my_invitations_finish (person->client, result, &error));
  g_assert_no_error (error);
  return invitations;
}

/* The invitations a signed-in user finds in the app: accepted and declined
 * by id, without the mailed token; each dead end its own error. */
static void
test_my_invitations (void)
{
  g_autoptr(QuorumTestPerson) ada = sign_up ("Ada");
  g_autoptr(QuorumTestPerson) grace = sign_up ("Grace");
  g_autoptr(QuorumTestPerson) eve = sign_up ("Eve");
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumInvitation) to_eve = NULL;
  g_autoptr(QuorumInvitation) from_grace = NULL;
  g_autoptr(QuorumOrganization) joined = NULL;
  g_autoptr(QuorumMember) membership = NULL;
  g_autoptr(GPtrArray) invitations = NULL;
  g_autoptr(QuorumClient) anonymous = quorum_client_new (quorum_test_server_get_url (server));
  g_autofree char *org_id = g_strdup (quorum_organization_get_id (ada->organization));
  QuorumInvitation *listed;
  gboolean ok;

  /* Ada invites Eve as an admin; Eve, her address verified, sees it with
   * Ada's organization and name. */
  to_eve = invite (ada, eve->email, QUORUM_ROLE_ADMIN, &error);
  g_assert_no_error (error);
  g_assert_true (quorum_test_server_verify_email (server, eve->email, &error));
  g_assert_no_error (error);
  g_assert_true (quorum_test_server_verify_email (server, grace->email, &error));
  g_assert_no_error (error);
  invitations = my_invitations (eve);
  g_assert_cmpuint (invitations->len, ==, 1);
  listed = g_ptr_array_index (invitations, 0);
  g_assert_cmpstr (quorum_invitation_get_id (listed), ==, quorum_invitation_get_id (to_eve));
  g_assert_cmpstr (quorum_invitation_get_organization_id (listed), ==, org_id);
  g_assert_cmpstr (quorum_invitation_get_organization_name (listed), ==,
                   quorum_organization_get_name (ada->organization));
  g_assert_null (quorum_invitation_get_organization_logo_url (listed));
  g_assert_cmpstr (quorum_invitation_get_inviter_name (listed), ==, "Ada");
  g_assert_cmpint (quorum_invitation_get_role (listed), ==, QUORUM_ROLE_ADMIN);
  g_clear_pointer (&invitations, g_ptr_array_unref);

  /* Someone else's invitation, an unknown id, no sign-in. */
  joined = accept_mine (grace, quorum_invitation_get_id (to_eve), &error);
  g_assert_null (joined);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVITATION_NOT_FOUND);
  g_assert_cmpuint (quorum_api_error_get_http_status (error), ==, 404);
  g_clear_error (&error);
  ok = decline_mine (grace, quorum_invitation_get_id (to_eve), &error);
  g_assert_false (ok);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVITATION_NOT_FOUND);
  g_clear_error (&error);
  joined = accept_mine (eve, "inv_nosuchinvitation", &error);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVITATION_NOT_FOUND);
  g_clear_error (&error);
  joined = SYNC (quorum_client_accept_my_invitation_async (anonymous, quorum_invitation_get_id (to_eve), NULL,
                                                           quorum_test_store_result, &result),
                 quorum_client_accept_my_invitation_finish (anonymous, result, NULL, &error));
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_UNAUTHENTICATED);
  g_clear_error (&error);

  /* Expired: neither listed nor usable. */
  alter_invitation ("expires_at = 1000", quorum_invitation_get_id (to_eve));
  invitations = my_invitations (eve);
  g_assert_cmpuint (invitations->len, ==, 0);
  g_clear_pointer (&invitations, g_ptr_array_unref);
  joined = accept_mine (eve, quorum_invitation_get_id (to_eve), &error);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVITATION_EXPIRED);
  g_assert_cmpuint (quorum_api_error_get_http_status (error), ==, 410);
  g_clear_error (&error);
  ok = decline_mine (eve, quorum_invitation_get_id (to_eve), &error);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVITATION_EXPIRED);
  g_clear_error (&error);

  /* Revoked. */
  ok = SYNC (quorum_client_revoke_invitation_async (ada->client, org_id, quorum_invitation_get_id (to_eve),
                                                    NULL, quorum_test_store_result, &result),
             quorum_client_revoke_invitation_finish (ada->client, result, &error));
  g_assert_no_error (error);
  joined = accept_mine (eve, quorum_invitation_get_id (to_eve), &error);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVITATION_REVOKED);
  g_clear_error (&error);
  ok = decline_mine (eve, quorum_invitation_get_id (to_eve), &error);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVITATION_REVOKED);
  g_clear_error (&error);

  /* A fresh one is accepted: Eve is an admin of Ada's organization. */
  g_clear_object (&to_eve);
  to_eve = invite (ada, eve->email, QUORUM_ROLE_ADMIN, &error);
  g_assert_no_error (error);
  joined = SYNC (quorum_client_accept_my_invitation_async (eve->client, quorum_invitation_get_id (to_eve), NULL,
                                                           quorum_test_store_result, &result),
                 quorum_client_accept_my_invitation_finish (eve->client, result, &membership, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (quorum_organization_get_id (joined), ==, org_id);
  g_assert_cmpint (quorum_organization_get_role (joined), ==, QUORUM_ROLE_ADMIN);
  g_assert_cmpstr (quorum_member_get_user_id (membership), ==, quorum_user_get_id (eve->user));
  g_assert_cmpint (quorum_member_get_role (membership), ==, QUORUM_ROLE_ADMIN);
  g_clear_object (&joined);
  invitations = my_invitations (eve);
  g_assert_cmpuint (invitations->len, ==, 0);
  g_clear_pointer (&invitations, g_ptr_array_unref);

  /* Used: a second accept, or a decline after it. */
  joined = accept_mine (eve, quorum_invitation_get_id (to_eve), &error);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVITATION_USED);
  g_clear_error (&error);
  ok = decline_mine (eve, quorum_invitation_get_id (to_eve), &error);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVITATION_USED);
  g_clear_error (&error);

  /* Pending again while Eve is already in: 409 already_member. */
  alter_invitation ("status = 'pending'", quorum_invitation_get_id (to_eve));
  joined = accept_mine (eve, quorum_invitation_get_id (to_eve), &error);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_ALREADY_MEMBER);
  g_assert_cmpuint (quorum_api_error_get_http_status (error), ==, 409);
  g_clear_error (&error);

  /* Grace's invitation to Eve is declined: gone from her list, not joined. */
  from_grace = invite (grace, eve->email, QUORUM_ROLE_MEMBER, &error);
  g_assert_no_error (error);
  ok = decline_mine (eve, quorum_invitation_get_id (from_grace), &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  invitations = my_invitations (eve);
  for (guint i = 0; i < invitations->len; i++)
    g_assert_cmpstr (quorum_invitation_get_id (g_ptr_array_index (invitations, i)), !=,
                     quorum_invitation_get_id (from_grace));
  g_clear_pointer (&invitations, g_ptr_array_unref);
  joined = accept_mine (eve, quorum_invitation_get_id (from_grace), &error);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVITATION_USED);
  g_clear_error (&error);
  joined = SYNC (quorum_client_get_organization_async (eve->client, quorum_organization_get_id (grace->organization),
                                                       NULL, quorum_test_store_result, &result),
                 quorum_client_get_organization_finish (eve->client, result, &error));
  g_assert_null (joined);
  g_assert_cmpuint (quorum_api_error_get_http_status (error), ==, 404);
}

/* Links that expired: accepting one with the mailed token, or setting up a
 * new account from it, is 410 invitation_expired, and changes nothing. */
static void
test_expired_links (void)
{
  g_autoptr(QuorumTestPerson) ada = sign_up ("Ada");
  g_autoptr(QuorumTestPerson) dave = sign_up ("Dave");
  g_autoptr(QuorumClient) newcomer = quorum_client_new (quorum_test_server_get_url (server));
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumInvitation) to_dave = NULL;
  g_autoptr(QuorumInvitation) to_new = NULL;
  g_autoptr(QuorumOrganization) joined = NULL;
  g_autoptr(QuorumUser) user = NULL;
  g_autoptr(QuorumClient) again = quorum_client_new (quorum_test_server_get_url (server));
  g_autoptr(QuorumUser) signed_in = NULL;
  g_autofree char *new_email = quorum_test_unique_email ("late");
  g_autofree char *dave_token = NULL;
  g_autofree char *new_token = NULL;
  g_autofree char *session = NULL;

  /* Dave, who has an account, accepts too late. */
  g_assert_true (quorum_test_server_verify_email (server, dave->email, &error));
  g_assert_no_error (error);
  to_dave = invite (ada, dave->email, QUORUM_ROLE_MEMBER, &error);
  g_assert_no_error (error);
  dave_token = mailed_token (quorum_invitation_get_id (to_dave), NULL);
  alter_invitation ("expires_at = 1000", quorum_invitation_get_id (to_dave));
  joined = SYNC (quorum_client_accept_invitation_async (dave->client, dave_token, NULL, quorum_test_store_result, &result),
                 quorum_client_accept_invitation_finish (dave->client, result, NULL, &error));
  g_assert_null (joined);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVITATION_EXPIRED);
  g_assert_cmpuint (quorum_api_error_get_http_status (error), ==, 410);
  g_clear_error (&error);

  /* Someone without an account sets one up too late: no account. */
  to_new = invite (ada, new_email, QUORUM_ROLE_MEMBER, &error);
  g_assert_no_error (error);
  new_token = mailed_token (quorum_invitation_get_id (to_new), NULL);
  alter_invitation ("expires_at = 1000", quorum_invitation_get_id (to_new));
  user = SYNC (quorum_client_setup_invitation_async (newcomer, new_token, "Late Comer", PASSWORD,
                                                     NULL, quorum_test_store_result, &result),
               quorum_client_setup_invitation_finish (newcomer, result, &session, &joined, &error));
  g_assert_null (user);
  g_assert_null (session);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVITATION_EXPIRED);
  g_assert_cmpuint (quorum_api_error_get_http_status (error), ==, 410);
  g_assert_false (quorum_client_get_signed_in (newcomer));
  g_clear_error (&error);
  signed_in = SYNC (quorum_client_sign_in_async (again, new_email, PASSWORD, NULL, quorum_test_store_result, &result),
                    quorum_client_sign_in_finish (again, result, NULL, &error));
  g_assert_null (signed_in);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVALID_CREDENTIALS);
}


static QuorumMember *
find_member (QuorumClient *client,
             const char   *org_id,
             const char   *user_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) members = NULL;

  members = SYNC (quorum_client_list_members_async (client, org_id, NULL, QUORUM_ROLE_NONE, NULL, NULL, 200,
                                                    NULL, quorum_test_store_result, &result),
                  quorum_client_list_members_finish (client, result, NULL, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < members->len; i++)
    if (g_str_equal (quorum_member_get_user_id (g_ptr_array_index (members, i)), user_id))
      return g_object_ref (g_ptr_array_index (members, i));
  g_assert_not_reached ();
  return NULL;
}

static QuorumTestPerson *
join (QuorumTestPerson *owner,
      const char       *name)
{
  QuorumTestPerson *person = sign_up (name);
  g_autoptr(QuorumInvitation) invitation = NULL;
  g_autoptr(QuorumOrganization) joined = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  invitation = invite (owner, person->email, QUORUM_ROLE_MEMBER, &error);
  g_assert_no_error (error);
  token = mailed_token (quorum_invitation_get_id (invitation), NULL);
  joined = SYNC (quorum_client_accept_invitation_async (person->client, token, NULL, quorum_test_store_result, &result),
                 quorum_client_accept_invitation_finish (person->client, result, NULL, &error));
  g_assert_no_error (error);
  return person;
}


static QuorumUser *
verify (QuorumClient  *client,
        const char    *token,
        GError       **error)
{
  return SYNC (quorum_client_verify_email_async (client, token, NULL, quorum_test_store_result, &result),
               quorum_client_verify_email_finish (client, result, error));
}

static gboolean
resend (QuorumTestPerson *person,
        GError          **error)
{
  return SYNC (quorum_client_resend_verification_async (person->client, NULL, quorum_test_store_result, &result),
               quorum_client_resend_verification_finish (person->client, result, error));
}

/* Sign-up mails a verification link; Resend mails a new one and kills the
 * old; the newest verifies, once. */
static void
test_email_verification (void)
{
  g_autoptr(QuorumTestPerson) nina = sign_up ("Nina");
  g_autoptr(QuorumClient) anonymous = quorum_client_new (quorum_test_server_get_url (server));
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) user = NULL;
  g_autoptr(QuorumUser) me = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  g_assert_false (quorum_user_get_email_verified (nina->user));
  first = next_mail_token (nina->email, "verify", NULL);
  g_assert_true (g_str_has_prefix (first, QUORUM_VERIFY_TOKEN_PREFIX));

  g_assert_true (resend (nina, &error));
  g_assert_no_error (error);
  second = next_mail_token (nina->email, "verify", first);
  g_assert_cmpstr (first, !=, second);

  /* Unknown, replaced, or of another kind: the same 404, in the client's words. */
  user = verify (anonymous, "qrm_v_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &error);
  g_assert_null (user);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_TOKEN_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, quorum_api_error_get_message (QUORUM_API_ERROR_TOKEN_NOT_FOUND));
  g_clear_error (&error);
  user = verify (anonymous, first, &error);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_TOKEN_NOT_FOUND);
  g_clear_error (&error);

  /* The newest works without any session. */
  user = verify (anonymous, second, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (quorum_user_get_email (user), ==, nina->email);
  g_assert_true (quorum_user_get_email_verified (user));
  g_assert_false (quorum_client_get_signed_in (anonymous));
  me = SYNC (quorum_client_get_me_async (nina->client, NULL, quorum_test_store_result, &result),
             quorum_client_get_me_finish (nina->client, result, &error));
  g_assert_no_error (error);
  g_assert_true (quorum_user_get_email_verified (me));
  g_clear_object (&user);

  /* Once. And nothing left to resend. */
  user = verify (anonymous, second, &error);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_TOKEN_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (resend (nina, &error));
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_ALREADY_VERIFIED);
  g_assert_cmpuint (quorum_api_error_get_http_status (error), ==, 409);
  g_assert_cmpstr (error->message, ==, quorum_api_error_get_message (QUORUM_API_ERROR_ALREADY_VERIFIED));
  g_clear_pointer (&first, g_free);
  first = next_mail_token (nina->email, "verify", NULL);
  g_assert_cmpstr (first, ==, second);
}

static gboolean
request_reset (const char  *email,
               GError     **error)
{
  g_autoptr(QuorumClient) client = quorum_client_new (quorum_test_server_get_url (server));

  return SYNC (quorum_client_request_password_reset_async (client, email, NULL, quorum_test_store_result, &result),
               quorum_client_request_password_reset_finish (client, result, error));
}

static QuorumUser *
confirm_reset (QuorumClient  *client,
               const char    *token,
               const char    *password,
               char         **out_token,
               GError       **error)
{
  return SYNC (quorum_client_confirm_password_reset_async (client, token, password, NULL,
                                                           quorum_test_store_result, &result),
               quorum_client_confirm_password_reset_finish (client, result, out_token, error));
}

static QuorumUser *
sign_in (const char  *email,
         const char  *password,
         GError     **error)
{
  g_autoptr(QuorumClient) client = quorum_client_new (quorum_test_server_get_url (server));

  return SYNC (quorum_client_sign_in_async (client, email, password, NULL, quorum_test_store_result, &result),
               quorum_client_sign_in_finish (client, result, NULL, error));
}

/* Request → mail → new password: a new session, every old one ended, the
 * old password refused; the token works once, and not after its hour. */
static void
test_password_reset (void)
{
  g_autoptr(QuorumTestPerson) olga = sign_up ("Olga");
  g_autoptr(QuorumClient) client = quorum_client_new (quorum_test_server_get_url (server));
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) user = NULL;
  g_autoptr(QuorumUser) me = NULL;
  g_autofree char *nobody = quorum_test_unique_email ("nobody");
  g_autofree char *token = NULL;
  g_autofree char *session = NULL;
  g_autofree char *expired = NULL;

  /* The same answer for an address nobody has; mail only for the real one. */
  g_assert_true (request_reset (nobody, &error));
  g_assert_no_error (error);
  g_assert_true (request_reset (olga->email, &error));
  g_assert_no_error (error);
  token = next_mail_token (olga->email, "reset", NULL);
  g_assert_true (g_str_has_prefix (token, QUORUM_RESET_TOKEN_PREFIX));

  /* A weak password is refused and the token stays good. */
  user = confirm_reset (client, token, "short", NULL, &error);
  g_assert_null (user);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_VALIDATION);
  g_clear_error (&error);

  user = confirm_reset (client, token, "a brand new passphrase", &session, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (quorum_user_get_email (user), ==, olga->email);
  g_assert_true (quorum_user_get_email_verified (user));  /* the inbox is proven */
  g_assert_true (g_str_has_prefix (session, "qrm_s_"));
  g_assert_true (quorum_client_get_signed_in (client));
  g_clear_object (&user);

  /* The new session works; the one from sign-up ended. */
  me = SYNC (quorum_client_get_me_async (client, NULL, quorum_test_store_result, &result),
             quorum_client_get_me_finish (client, result, &error));
  g_assert_no_error (error);
  g_clear_object (&me);
  me = SYNC (quorum_client_get_me_async (olga->client, NULL, quorum_test_store_result, &result),
             quorum_client_get_me_finish (olga->client, result, &error));
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_UNAUTHENTICATED);
  g_clear_error (&error);

  /* Old password refused, new one accepted. */
  user = sign_in (olga->email, PASSWORD, &error);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_INVALID_CREDENTIALS);
  g_clear_error (&error);
  user = sign_in (olga->email, "a brand new passphrase", &error);
  g_assert_no_error (error);
  g_clear_object (&user);

  /* Once only. */
  user = confirm_reset (client, token, "yet another passphrase", NULL, &error);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_TOKEN_NOT_FOUND);
  g_clear_error (&error);

  /* Past its hour: 410, in the client's words. */
  g_assert_true (request_reset (olga->email, &error));
  expired = next_mail_token (olga->email, "reset", token);
  g_assert_cmpint (alter_rows ("UPDATE email_tokens SET expires_at = 1000 WHERE kind = 'reset' AND used_at IS NULL"
                               " AND user_id = ?1", quorum_user_get_id (olga->user)), ==, 1);
  user = confirm_reset (client, expired, "yet another passphrase", NULL, &error);
  g_assert_null (user);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_TOKEN_EXPIRED);
  g_assert_cmpuint (quorum_api_error_get_http_status (error), ==, 410);
  g_assert_cmpstr (error->message, ==, quorum_api_error_get_message (QUORUM_API_ERROR_TOKEN_EXPIRED));
}

static void
test_members (void)
{
  g_autoptr(QuorumTestPerson) ada = sign_up ("Ada");
  g_autoptr(QuorumTestPerson) bob = join (ada, "Bob");
  g_autoptr(QuorumTestPerson) carol = join (ada, "Carol");
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumMember) ada_member = NULL;
  g_autoptr(QuorumMember) bob_member = NULL;
  g_autoptr(QuorumMember) carol_member = NULL;
  g_autoptr(QuorumMember) changed = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *last_cursor = NULL;
  const char *org_id = quorum_organization_get_id (ada->organization);
  guint total = 0;
  gboolean ok;

  ada_member = find_member (ada->client, org_id, quorum_user_get_id (ada->user));
  bob_member = find_member (ada->client, org_id, quorum_user_get_id (bob->user));
  carol_member = find_member (ada->client, org_id, quorum_user_get_id (carol->user));

  /* Paging: two members a page. */
  page = SYNC (quorum_client_list_members_async (ada->client, org_id, NULL, QUORUM_ROLE_NONE, NULL, NULL, 2,
                                                 NULL, quorum_test_store_result, &result),
               quorum_client_list_members_finish (ada->client, result, &cursor, &total, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 2);
  g_assert_cmpuint (total, ==, 3);
  g_assert_nonnull (cursor);
  g_clear_pointer (&page, g_ptr_array_unref);
  page = SYNC (quorum_client_list_members_async (ada->client, org_id, NULL, QUORUM_ROLE_NONE, NULL, cursor, 2,
                                                 NULL, quorum_test_store_result, &result),
               quorum_client_list_members_finish (ada->client, result, &last_cursor, &total, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_null (last_cursor);
  g_clear_pointer (&page, g_ptr_array_unref);

  changed = SYNC (quorum_client_update_member_async (ada->client, org_id, quorum_member_get_id (bob_member),
                                                     QUORUM_ROLE_ADMIN, NULL, NULL, quorum_test_store_result, &result),
                  quorum_client_update_member_finish (ada->client, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (quorum_member_get_role (changed), ==, QUORUM_ROLE_ADMIN);
  g_clear_object (&changed);

  changed = SYNC (quorum_client_update_member_async (bob->client, org_id, quorum_member_get_id (ada_member),
                                                     QUORUM_ROLE_MEMBER, NULL, NULL, quorum_test_store_result, &result),
                  quorum_client_update_member_finish (bob->client, result, &error));
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_OWNER_IMMUTABLE);
  g_clear_error (&error);

  changed = SYNC (quorum_client_update_member_async (bob->client, org_id, quorum_member_get_id (bob_member),
                                                     QUORUM_ROLE_MEMBER, NULL, NULL, quorum_test_store_result, &result),
                  quorum_client_update_member_finish (bob->client, result, &error));
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_CANNOT_MODIFY_SELF);
  g_clear_error (&error);

  /* Only an active member listing suspended members. */
  changed = SYNC (quorum_client_update_member_async (bob->client, org_id, quorum_member_get_id (carol_member),
                                                     QUORUM_ROLE_NONE, "suspended", NULL, quorum_test_store_result, &result),
                  quorum_client_update_member_finish (bob->client, result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (quorum_member_get_status (changed), ==, "suspended");
  g_clear_object (&changed);

  page = SYNC (quorum_client_list_members_async (carol->client, org_id, NULL, QUORUM_ROLE_NONE, NULL, NULL, 0,
                                                 NULL, quorum_test_store_result, &result),
               quorum_client_list_members_finish (carol->client, result, NULL, NULL, &error));
  g_assert_null (page);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_MEMBER_SUSPENDED);
  g_clear_error (&error);

  page = SYNC (quorum_client_list_members_async (ada->client, org_id, NULL, QUORUM_ROLE_NONE, "suspended", NULL, 0,
                                                 NULL, quorum_test_store_result, &result),
               quorum_client_list_members_finish (ada->client, result, NULL, &total, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_cmpuint (total, ==, 1);
  g_assert_cmpstr (quorum_member_get_id (g_ptr_array_index (page, 0)), ==, quorum_member_get_id (carol_member));
  g_clear_pointer (&page, g_ptr_array_unref);

  ok = SYNC (quorum_client_remove_member_async (ada->client, org_id, quorum_member_get_id (carol_member),
                                                NULL, quorum_test_store_result, &result),
             quorum_client_remove_member_finish (ada->client, result, &error));
  g_assert_no_error (error);
  g_assert_true (ok);
  ok = SYNC (quorum_client_remove_member_async (ada->client, org_id, quorum_member_get_id (ada_member),
                                                NULL, quorum_test_store_result, &result),
             quorum_client_remove_member_finish (ada->client, result, &error));
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_OWNER_IMMUTABLE);
  g_clear_error (&error);

  /* Ownership to Bob; Ada, now an admin, may leave. */
  ok = SYNC (quorum_client_transfer_ownership_async (ada->client, org_id, quorum_member_get_id (bob_member),
                                                     NULL, quorum_test_store_result, &result),
             quorum_client_transfer_ownership_finish (ada->client, result, &error));
  g_assert_no_error (error);
  g_assert_true (ok);
  ok = SYNC (quorum_client_leave_organization_async (ada->client, org_id, NULL, quorum_test_store_result, &result),
             quorum_client_leave_organization_finish (ada->client, result, &error));
  g_assert_no_error (error);
  g_assert_true (ok);

  page = SYNC (quorum_client_list_members_async (bob->client, org_id, NULL, QUORUM_ROLE_OWNER, NULL, NULL, 0,
                                                 NULL, quorum_test_store_result, &result),
               quorum_client_list_members_finish (bob->client, result, NULL, &total, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_cmpstr (quorum_member_get_user_id (g_ptr_array_index (page, 0)), ==, quorum_user_get_id (bob->user));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  quorum_test_settings_init ();  /* before anything reads settings */
  g_test_init (&argc, &argv, NULL);

  server = quorum_test_server_start (NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/api/server/identity", test_identity);
  g_test_add_func ("/api/server/organizations", test_organizations);
  g_test_add_func ("/api/server/invitations", test_invitations);
  g_test_add_func ("/api/server/my-invitations", test_my_invitations);
  g_test_add_func ("/api/server/expired-links", test_expired_links);
  g_test_add_func ("/api/server/members", test_members);
  g_test_add_func ("/api/server/email-verification", test_email_verification);
  g_test_add_func ("/api/server/password-reset", test_password_reset);

  status = g_test_run ();
  quorum_test_server_stop (server);
  return status;
}
