/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "quorum-api.h"
#include "quorum-core.h"
#include "quorum-invitation-window.h"
#include "quorum-session.h"
#include "quorum-test-server.h"
#include "quorum-test-settings.h"
#include "quorum-test-wait.h"

#define PASSWORD "correct horse battery"
#define NAME_PROBLEM "The name cannot hold control characters, line separators or invisible direction marks."

static QuorumTestServer *server;

/* Helpers */

#define wait_until(condition, data) quorum_test_wait_until (condition, data, 20)

static GAsyncResult *async_result;

static void
got_result (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  quorum_test_store_result (object, result, &async_result);
}

static GAsyncResult *
wait_result (void)
{
  quorum_test_wait_result_within (&async_result, 20);
  return g_steal_pointer (&async_result);
}

typedef struct
{
  QuorumInvitationWindow *window;
  const char             *page;
} PageWait;

static gboolean
page_is (gpointer data)
{
  PageWait *wait = data;

  return g_strcmp0 (quorum_invitation_window_get_page (wait->window), wait->page) == 0;
}

static void
wait_for_page (QuorumInvitationWindow *window,
               const char             *page)
{
  PageWait wait = { window, page };

  wait_until (page_is, &wait);
}

static gpointer
child (QuorumInvitationWindow *window,
       const char             *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (window), QUORUM_TYPE_INVITATION_WINDOW, name);

  g_assert_nonnull (object);
  return object;
}

static QuorumSession *
new_session (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

  g_settings_reset (settings, "accounts");
  g_settings_reset (settings, "last-organizations");
  return quorum_session_new (settings);
}

static QuorumInvitationWindow *
open_window (QuorumSession *session,
             const char    *uri)
{
  QuorumInvitationWindow *window = quorum_invitation_window_new (session, uri);

  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static char *
link_for (const char *server_url,
          const char *token)
{
  g_autofree char *escaped = g_uri_escape_string (server_url, NULL, FALSE);

  return g_strdup_printf ("quorum://invite/%s?server=%s", token, escaped);
}

static char *
fake_token (const char *prefix)
{
  GString *token = g_string_new (prefix);

  while (token->len < QUORUM_INVITE_TOKEN_LENGTH)
    g_string_append_c (token, 'A');
  return g_string_free (token, FALSE);
}

/* An in-test server: answers invitation previews by the token's prefix and
 * counts what it receives, to check what the window sends where. */

typedef struct
{
  SoupServer *soup;
  char       *url;
  guint       requests;
  guint       with_authorization;
  GBytes     *logo;
} FakeServer;

static void
fake_handler (SoupServer        *soup,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  FakeServer *fake = user_data;
  const char *token = NULL;
  const char *code = "invitation_not_found";
  guint status = 404;
  g_autofree char *body = NULL;

  fake->requests++;
  if (soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization") != NULL)
    fake->with_authorization++;

  if (strcmp (path, "/logo.png") == 0)
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (fake->logo, NULL), g_bytes_get_size (fake->logo));
      return;
    }
  if (g_str_has_prefix (path, "/v1/invitations/"))
    token = path + strlen ("/v1/invitations/");
  if (token != NULL && g_str_has_prefix (token, "logo"))
    {
      body = g_strdup_printf ("{\"organization\": {\"name\": \"Pixel & Co\", \"slug\": \"pixel\","
                              " \"logo_url\": \"%s/logo.png\"}, \"inviter_name\": \"Ivy\","
                              " \"email\": \"ivy.invitee@example.com\", \"role\": \"admin\","
                              " \"expires_at\": \"2030-01-01T10:00:00Z\", \"account_exists\": false}",
                              fake->url);
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
      return;
    }
  if (token != NULL && g_str_has_prefix (token, "expired"))
    status = 410, code = "invitation_expired";
  else if (token != NULL && g_str_has_prefix (token, "revoked"))
    status = 410, code = "invitation_revoked";
  else if (token != NULL && g_str_has_prefix (token, "used"))
    status = 410, code = "invitation_used";
  else if (token != NULL && g_str_has_prefix (token, "broken"))
    status = 500, code = "internal";

  body = g_strdup_printf ("{\"type\":\"about:blank\",\"title\":\"t\",\"status\":%u,\"detail\":\"d\",\"code\":\"%s\"}",
                          status, code);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/problem+json", SOUP_MEMORY_COPY, body, strlen (body));
}

static FakeServer *
fake_server_new (void)
{
  FakeServer *fake = g_new0 (FakeServer, 1);

  {
    static const guint8 red[4 * 4 * 4] = { 0xff, 0, 0, 0xff, };
    g_autoptr(GBytes) pixels = g_bytes_new_static (red, sizeof red);
    g_autoptr(GdkTexture) texture = gdk_memory_texture_new (4, 4, GDK_MEMORY_R8G8B8A8, pixels, 16);

    fake->logo = gdk_texture_save_to_png_bytes (texture);
  }
  fake->soup = soup_server_new (NULL, NULL);
  soup_server_add_handler (fake->soup, NULL, fake_handler, fake, NULL);
  fake->url = quorum_test_soup_listen (fake->soup, 0);
  return fake;
}

static void
fake_server_free (FakeServer *fake)
{
  soup_server_disconnect (fake->soup);
  g_object_unref (fake->soup);
  g_bytes_unref (fake->logo);
  g_free (fake->url);
  g_free (fake);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeServer, fake_server_free)

/* The real server: owner, organization, invitation */

typedef struct
{
  QuorumClient *owner;
  char         *organization_id;
  char         *organization_name;
  char         *owner_name;
} Organization;

static void
organization_clear (Organization *org)
{
  g_clear_object (&org->owner);
  g_clear_pointer (&org->organization_id, g_free);
  g_clear_pointer (&org->organization_name, g_free);
  g_clear_pointer (&org->owner_name, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Organization, organization_clear)

static void
organization_init (Organization *org)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *email = quorum_test_unique_email ("owner");
  g_autofree char *token = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) orgs = NULL;

  org->owner_name = g_strdup ("Olivia Owner");
  token = quorum_test_server_sign_up (server, org->owner_name, email, PASSWORD, &error);
  g_assert_no_error (error);
  org->owner = quorum_client_new (quorum_test_server_get_url (server));
  quorum_client_set_token (org->owner, token);

  quorum_client_list_organizations_async (org->owner, NULL, got_result, NULL);
  result = wait_result ();
  orgs = quorum_client_list_organizations_finish (org->owner, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (orgs->len, ==, 1);
  org->organization_id = g_strdup (quorum_organization_get_id (orgs->pdata[0]));
  org->organization_name = g_strdup (quorum_organization_get_name (orgs->pdata[0]));
}

/* Invites @email and returns the quorum:// link from the server's outbox. */
static char *
invite (Organization *org,
        const char   *email)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(QuorumInvitation) invitation = NULL;
  g_autofree char *outbox = g_build_filename (quorum_test_server_get_data_dir (server), "outbox", NULL);
  g_autoptr(GDir) dir = NULL;
  g_autofree char *to = g_strdup_printf ("To: <%s>", email);
  const char *name;

  quorum_client_create_invitation_async (org->owner, org->organization_id, email, QUORUM_ROLE_MEMBER, NULL,
                                         NULL, got_result, NULL);
  result = wait_result ();
  invitation = quorum_client_create_invitation_finish (org->owner, result, &error);
  g_assert_no_error (error);

  dir = g_dir_open (outbox, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (outbox, name, NULL);
      g_autofree char *text = NULL;
      const char *start, *end;

      if (!g_str_has_suffix (name, ".eml"))
        continue;
      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      if (strstr (text, to) == NULL || (start = strstr (text, "quorum://invite/")) == NULL)
        continue;
      end = strpbrk (start, "\r\n");
      return g_strndup (start, end - start);
    }
  g_assert_not_reached ();
}

static gboolean
is_member (Organization *org,
           const char   *email)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) members = NULL;

  quorum_client_list_members_async (org->owner, org->organization_id, email, QUORUM_ROLE_NONE, NULL, NULL, 50,
                                    NULL, got_result, NULL);
  result = wait_result ();
  members = quorum_client_list_members_finish (org->owner, result, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < members->len; i++)
    if (g_ascii_strcasecmp (quorum_member_get_email (members->pdata[i]), email) == 0)
      return TRUE;
  return FALSE;
}

static char *
sign_up (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *email = quorum_test_unique_email (name);
  G_GNUC_UNUSED g_autofree char *token = quorum_test_server_sign_up (server, name, email, PASSWORD, &error);

  g_assert_no_error (error);
  return g_steal_pointer (&email);
}

static QuorumAccount *
session_sign_in (QuorumSession *session,
                 const char    *email)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  QuorumAccount *account;

  quorum_session_sign_in_async (session, quorum_test_server_get_url (server), email, PASSWORD, NULL,
                                got_result, NULL);
  result = wait_result ();
  account = quorum_session_sign_in_finish (session, result, &error);
  g_assert_no_error (error);
  return account;
}

static void
assert_joined (QuorumSession          *session,
               QuorumInvitationWindow *window,
               Organization           *org,
               const char             *email)
{
  GListModel *accounts = quorum_session_get_accounts (session);
  g_autoptr(QuorumAccount) current = g_list_model_get_item (accounts, 0);
  g_autofree char *last = quorum_session_dup_last_organization (session, current);
  AdwStatusPage *done = ADW_STATUS_PAGE (gtk_stack_get_visible_child (child (window, "stack")));
  g_autofree char *welcome = g_strdup_printf ("Welcome to %s", org->organization_name);

  g_assert_cmpstr (adw_status_page_get_title (done), ==, welcome);
  /* The joined account is the current one and opens on the organization. */
  g_assert_cmpstr (quorum_account_get_email (current), ==, email);
  g_assert_true (quorum_server_url_equal (quorum_account_get_server (current),
                                          quorum_test_server_get_url (server)));
  g_assert_cmpstr (last, ==, org->organization_id);
  g_assert_cmpstr (quorum_invitation_window_get_organization_id (window), ==, org->organization_id);
  g_assert_true (quorum_client_get_signed_in (quorum_session_get_client (session, current)));
  g_assert_true (is_member (org, email));
}

/* Tests */

static void
test_invalid_links (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  g_autoptr(QuorumSession) session = new_session ();
  g_autofree char *token = fake_token ("good");
  g_autofree char *escaped = g_uri_escape_string (fake->url + strlen ("http://"), NULL, FALSE);
  g_autofree char *with_credentials = g_strdup_printf ("quorum://invite/%s?server=http%%3A%%2F%%2Fuser%%3Apw%%40%s",
                                                       token, escaped);
  g_autofree char *good = link_for (fake->url, token);
  g_autofree char *short_token = link_for (fake->url, "abc");
  g_autofree char *wrong_scheme = g_strdup_printf ("https://invite/%s?server=%s", token, fake->url);
  g_autofree char *wrong_kind = g_strdup_printf ("quorum://organization/%s?server=%s", token, fake->url);
  g_autofree char *no_server = g_strdup_printf ("quorum://invite/%s", token);
  const char *links[] = { with_credentials, short_token, wrong_scheme, wrong_kind, no_server, "", "quorum:" };

  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    {
      QuorumInvitationWindow *window = open_window (session, links[i]);
      AdwStatusPage *page;

      g_test_message ("link %s", links[i]);
      g_assert_cmpstr (quorum_invitation_window_get_page (window), ==, "invalid");
      page = ADW_STATUS_PAGE (gtk_stack_get_visible_child (child (window, "stack")));
      g_assert_cmpstr (adw_status_page_get_title (page), ==, "This Link Is Not Valid");
      g_assert_nonnull (adw_status_page_get_description (page));
      gtk_window_destroy (GTK_WINDOW (window));
    }

  quorum_test_spin (200);
  g_assert_cmpuint (fake->requests, ==, 0);

  /* The same server in a valid link is contacted (after Continue), so the
   * zero above means something. */
  {
    QuorumInvitationWindow *window = open_window (session, good);

    gtk_widget_activate_action (GTK_WIDGET (window), "invitation.continue", NULL);
    wait_for_page (window, "not-found");
    g_assert_cmpuint (fake->requests, ==, 1);
    gtk_window_destroy (GTK_WINDOW (window));
  }
}

static void
test_unknown_server_asks_first (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  g_autoptr(QuorumSession) session = new_session ();
  g_autofree char *email = sign_up ("Ursula");
  G_GNUC_UNUSED g_autoptr(QuorumAccount) account = session_sign_in (session, email);
  g_autofree char *token = fake_token ("unknown");
  g_autofree char *uri = link_for (fake->url, token);
  QuorumInvitationWindow *window = open_window (session, uri);
  AdwStatusPage *page = child (window, "unknown_server_page");
  g_autofree char *host = g_strdup (fake->url + strlen ("http://"));

  /* An account on another server does not make this one known. */
  g_assert_cmpstr (quorum_invitation_window_get_page (window), ==, "unknown-server");
  g_assert_nonnull (strstr (adw_status_page_get_description (page), host));
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "a server you have no account on"));
  quorum_test_spin (300);
  g_assert_cmpuint (fake->requests, ==, 0);

  gtk_widget_activate_action (GTK_WIDGET (window), "invitation.continue", NULL);
  wait_for_page (window, "not-found");
  g_assert_cmpuint (fake->requests, ==, 1);
  /* The signed-in account's token stays with its own server. */
  g_assert_cmpuint (fake->with_authorization, ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));

  /* Cancel closes without sending anything. */
  window = open_window (session, uri);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_widget_activate_action (GTK_WIDGET (window), "window.close", NULL);
  quorum_test_spin (100);
  g_assert_null (window);
  g_assert_cmpuint (fake->requests, ==, 1);
}

static void
test_status_pages (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  g_autoptr(QuorumSession) session = new_session ();
  struct { const char *prefix; const char *page; const char *title; } cases[] = {
    { "expired", "expired", "Invitation Expired" },
    { "revoked", "revoked", "Invitation Withdrawn" },
    { "used", "used", "Invitation Already Used" },
    { "unknown", "not-found", "Invitation Not Found" },
    { "broken", "failed", "Something Went Wrong" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *token = fake_token (cases[i].prefix);
      g_autofree char *uri = link_for (fake->url, token);
      QuorumInvitationWindow *window = open_window (session, uri);
      AdwStatusPage *page;

      gtk_widget_activate_action (GTK_WIDGET (window), "invitation.continue", NULL);
      wait_for_page (window, cases[i].page);
      page = ADW_STATUS_PAGE (gtk_stack_get_visible_child (child (window, "stack")));
      g_assert_cmpstr (adw_status_page_get_title (page), ==, cases[i].title);
      g_assert_nonnull (adw_status_page_get_description (page));
      gtk_window_destroy (GTK_WINDOW (window));
    }
  g_assert_cmpuint (fake->with_authorization, ==, 0);
}

static gboolean
avatar_has_logo (gpointer data)
{
  return adw_avatar_get_custom_image (data) != NULL;
}

static void
test_preview_with_logo (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  g_autoptr(QuorumSession) session = new_session ();
  g_autofree char *token = fake_token ("logo");
  g_autofree char *uri = link_for (fake->url, token);
  QuorumInvitationWindow *window = open_window (session, uri);
  AdwAvatar *avatar = child (window, "avatar");

  gtk_widget_activate_action (GTK_WIDGET (window), "invitation.continue", NULL);
  wait_for_page (window, "preview");
  /* Names as they come, markup characters and all. */
  g_assert_cmpstr (gtk_label_get_text (child (window, "heading_label")), ==, "Join Pixel & Co");
  g_assert_cmpstr (gtk_label_get_text (child (window, "summary_label")), ==,
                   "Ivy invited you to join Pixel & Co as Admin.");
  g_assert_cmpstr (adw_action_row_get_subtitle (child (window, "organization_row")), ==, "Pixel & Co");
  g_assert_cmpstr (adw_action_row_get_subtitle (child (window, "role_row")), ==, "Admin");
  g_assert_cmpstr (adw_avatar_get_text (avatar), ==, "Pixel & Co");
  /* The organization's logo replaces the initials. */
  wait_until (avatar_has_logo, avatar);
  g_assert_cmpuint (fake->requests, ==, 2);
  g_assert_cmpuint (fake->with_authorization, ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_unreachable_then_retry (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  g_autoptr(QuorumSession) session = new_session ();
  g_autoptr(GError) error = NULL;
  g_autofree char *token = fake_token ("unknown");
  g_autofree char *uri = link_for (fake->url, token);
  g_autoptr(GUri) base = g_uri_parse (fake->url, G_URI_FLAGS_NONE, NULL);
  QuorumInvitationWindow *window;
  AdwStatusPage *page;

  /* Nobody listens there now. */
  soup_server_disconnect (fake->soup);

  window = open_window (session, uri);
  gtk_widget_activate_action (GTK_WIDGET (window), "invitation.continue", NULL);
  wait_for_page (window, "unreachable");
  page = ADW_STATUS_PAGE (gtk_stack_get_visible_child (child (window, "stack")));
  g_assert_cmpstr (adw_status_page_get_title (page), ==, "Cannot Reach the Server");
  g_assert_nonnull (strstr (adw_status_page_get_description (page), fake->url + strlen ("http://")));

  /* The server is back: Retry gets the answer. */
  soup_server_listen_local (fake->soup, g_uri_get_port (base), SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  gtk_widget_activate_action (GTK_WIDGET (window), "invitation.retry", NULL);
  wait_for_page (window, "not-found");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_newcomer_sets_up_account (void)
{
  g_auto(Organization) org = { 0 };
  g_autoptr(QuorumSession) session = new_session ();
  g_autofree char *email = quorum_test_unique_email ("newcomer");
  g_autofree char *uri = NULL;
  QuorumInvitationWindow *window;
  GtkLevelBar *strength;
  GtkWidget *error_label;

  organization_init (&org);
  uri = invite (&org, email);
  window = open_window (session, uri);

  wait_for_page (window, "unknown-server");
  gtk_widget_activate_action (GTK_WIDGET (window), "invitation.continue", NULL);
  wait_for_page (window, "preview");

  /* What the invitee sees before deciding. */
  g_assert_nonnull (strstr (gtk_label_get_text (child (window, "heading_label")), org.organization_name));
  g_assert_cmpstr (adw_action_row_get_subtitle (child (window, "inviter_row")), ==, org.owner_name);
  g_assert_cmpstr (adw_action_row_get_subtitle (child (window, "role_row")), ==, "Member");
  g_assert_cmpstr (adw_action_row_get_subtitle (child (window, "email_row")), ==, email);
  g_assert_true (g_str_has_suffix (quorum_test_server_get_url (server),
                                   adw_action_row_get_subtitle (child (window, "server_row"))));
  g_assert_cmpstr (adw_action_row_get_subtitle (child (window, "expiry_row")), !=, "");
  g_assert_true (gtk_widget_get_visible (child (window, "setup_button")));
  g_assert_false (gtk_widget_get_visible (child (window, "accept_button")));

  gtk_widget_activate_action (GTK_WIDGET (window), "invitation.show-setup", NULL);
  g_assert_cmpstr (quorum_invitation_window_get_page (window), ==, "setup");

  strength = child (window, "strength_bar");
  error_label = child (window, "setup_error_label");

  /* Nothing typed yet: nothing to complain of. */
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_false (gtk_widget_has_css_class (child (window, "name_entry"), "error"));

  /* A name that hides a right-to-left override (or any character the
   * server refuses in names) is refused as it is typed, and says why. */
  gtk_editable_set_text (child (window, "password_entry"), "Tr0ub4dor & 3 horses!");
  gtk_editable_set_text (child (window, "confirm_entry"), "Tr0ub4dor & 3 horses!");
  gtk_editable_set_text (child (window, "name_entry"), "Nina\u202e remocweN");
  g_assert_true (gtk_widget_get_mapped (error_label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), ==, NAME_PROBLEM);
  g_assert_true (gtk_widget_has_css_class (child (window, "name_entry"), "error"));
  g_assert_false (gtk_widget_get_sensitive (child (window, "create_button")));
  gtk_editable_set_text (child (window, "name_entry"), "Nina\u2029Newcomer");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), ==, NAME_PROBLEM);
  g_assert_false (gtk_widget_get_sensitive (child (window, "create_button")));
  gtk_editable_set_text (child (window, "name_entry"), "");
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_false (gtk_widget_has_css_class (child (window, "name_entry"), "error"));
  gtk_editable_set_text (child (window, "confirm_entry"), "");

  gtk_editable_set_text (child (window, "name_entry"), "Nina Newcomer");
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_false (gtk_widget_has_css_class (child (window, "name_entry"), "error"));
  gtk_editable_set_text (child (window, "password_entry"), "short");
  g_assert_cmpfloat (gtk_level_bar_get_value (strength), ==, 0);
  g_assert_cmpstr (gtk_label_get_text (child (window, "strength_label")), ==, "At least 10 characters");
  g_assert_false (gtk_widget_get_sensitive (child (window, "create_button")));

  gtk_editable_set_text (child (window, "password_entry"), "Tr0ub4dor & 3 horses!");
  g_assert_cmpfloat (gtk_level_bar_get_value (strength), ==, 4);
  gtk_editable_set_text (child (window, "confirm_entry"), "Tr0ub4dor & 3 horses");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), ==, "The passwords do not match.");
  g_assert_false (gtk_widget_get_sensitive (child (window, "create_button")));

  gtk_editable_set_text (child (window, "confirm_entry"), "Tr0ub4dor & 3 horses!");
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_true (gtk_widget_get_sensitive (child (window, "create_button")));

  gtk_widget_activate_action (GTK_WIDGET (window), "invitation.set-up", NULL);
  wait_for_page (window, "done");
  assert_joined (session, window, &org, email);

  /* The token is in the keyring: a fresh start of the app restores it. */
  {
    g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
    g_autoptr(QuorumSession) again = quorum_session_new (settings);
    g_autoptr(QuorumAccount) account = g_list_model_get_item (quorum_session_get_accounts (again), 0);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(QuorumClient) client = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_cmpstr (quorum_account_get_email (account), ==, email);
    quorum_session_restore_async (again, account, NULL,
                                  got_result, NULL);
    result = wait_result ();
    client = quorum_session_restore_finish (again, result, &error);
    g_assert_no_error (error);
    g_assert_true (quorum_client_get_signed_in (client));
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_existing_account_accepts (void)
{
  g_auto(Organization) org = { 0 };
  g_autoptr(QuorumSession) session = new_session ();
  g_autofree char *email = sign_up ("Eric");
  G_GNUC_UNUSED g_autoptr(QuorumAccount) account = session_sign_in (session, email);
  g_autofree char *uri = NULL;
  QuorumInvitationWindow *window;

  organization_init (&org);
  uri = invite (&org, email);
  window = open_window (session, uri);

  /* A server the user has an account on: straight to the preview. */
  wait_for_page (window, "preview");
  g_assert_true (gtk_widget_get_visible (child (window, "accept_button")));
  g_assert_true (gtk_widget_get_visible (child (window, "decline_button")));
  g_assert_false (gtk_widget_get_visible (child (window, "mismatch_label")));
  g_assert_false (gtk_widget_get_visible (child (window, "setup_button")));
  g_assert_false (is_member (&org, email));

  gtk_widget_activate_action (GTK_WIDGET (window), "invitation.accept", NULL);
  wait_for_page (window, "done");
  assert_joined (session, window, &org, email);
  gtk_window_destroy (GTK_WINDOW (window));

  /* The link is used up now. */
  window = open_window (session, uri);
  wait_for_page (window, "used");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_other_email_signs_in (void)
{
  g_auto(Organization) org = { 0 };
  g_autoptr(QuorumSession) session = new_session ();
  g_autofree char *signed_in = sign_up ("Sam");
  g_autofree char *invited = sign_up ("Ines");
  G_GNUC_UNUSED g_autoptr(QuorumAccount) account = session_sign_in (session, signed_in);
  g_autofree char *uri = NULL;
  g_autofree char *sign_in_label = NULL;
  QuorumInvitationWindow *window;
  GtkLabel *mismatch;
  GtkLabel *sign_in_error;

  organization_init (&org);
  uri = invite (&org, invited);
  window = open_window (session, uri);
  wait_for_page (window, "preview");

  /* Not a generic error: which address, and who is signed in. */
  mismatch = child (window, "mismatch_label");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (mismatch)));
  g_assert_nonnull (strstr (gtk_label_get_text (mismatch), invited));
  g_assert_nonnull (strstr (gtk_label_get_text (mismatch), signed_in));
  g_assert_false (gtk_widget_get_visible (child (window, "accept_button")));
  g_assert_true (gtk_widget_get_visible (child (window, "sign_in_button")));
  sign_in_label = g_strdup_printf ("_Sign In as %s", invited);
  g_assert_cmpstr (gtk_button_get_label (child (window, "sign_in_button")), ==, sign_in_label);

  gtk_widget_activate_action (GTK_WIDGET (window), "invitation.show-sign-in", NULL);
  g_assert_cmpstr (quorum_invitation_window_get_page (window), ==, "sign-in");
  g_assert_cmpstr (adw_action_row_get_subtitle (child (window, "sign_in_email_row")), ==, invited);

  sign_in_error = child (window, "sign_in_error_label");
  gtk_editable_set_text (child (window, "sign_in_password_entry"), "not the password");
  gtk_widget_activate_action (GTK_WIDGET (window), "invitation.sign-in", NULL);
  wait_until ((gboolean (*) (gpointer)) gtk_widget_get_visible, sign_in_error);
  g_assert_cmpstr (gtk_label_get_text (sign_in_error), ==, "The password is not right. Try again.");
  g_assert_cmpstr (quorum_invitation_window_get_page (window), ==, "sign-in");

  gtk_editable_set_text (child (window, "sign_in_password_entry"), PASSWORD);
  gtk_widget_activate_action (GTK_WIDGET (window), "invitation.sign-in", NULL);
  wait_for_page (window, "preview");
  g_assert_true (gtk_widget_get_visible (child (window, "accept_button")));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (mismatch)));

  gtk_widget_activate_action (GTK_WIDGET (window), "invitation.accept", NULL);
  wait_for_page (window, "done");
  assert_joined (session, window, &org, invited);
  g_assert_false (is_member (&org, signed_in));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_decline (void)
{
  g_auto(Organization) org = { 0 };
  g_autoptr(QuorumSession) session = new_session ();
  g_autofree char *email = quorum_test_unique_email ("decliner");
  g_autofree char *uri = NULL;
  QuorumInvitationWindow *window;

  organization_init (&org);
  uri = invite (&org, email);
  window = open_window (session, uri);
  gtk_widget_activate_action (GTK_WIDGET (window), "invitation.continue", NULL);
  wait_for_page (window, "preview");
  gtk_widget_activate_action (GTK_WIDGET (window), "invitation.decline", NULL);
  wait_for_page (window, "declined");
  g_assert_false (is_member (&org, email));
  g_assert_cmpuint (g_list_model_get_n_items (quorum_session_get_accounts (session)), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_same_link_one_window (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  g_autoptr(QuorumSession) session = new_session ();
  g_autofree char *token = fake_token ("unknown");
  g_autofree char *uri = link_for (fake->url, token);
  GtkWindow *parent = GTK_WINDOW (gtk_window_new ());
  guint before = g_list_model_get_n_items (gtk_window_get_toplevels ());
  QuorumInvitationWindow *window;

  gtk_window_present (parent);
  quorum_invitation_window_open (parent, session, uri);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_window_get_toplevels ()), ==, before + 1);
  quorum_invitation_window_open (parent, session, uri);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_window_get_toplevels ()), ==, before + 1);

  window = g_list_model_get_item (gtk_window_get_toplevels (), before);
  g_object_unref (window);
  g_assert_true (QUORUM_IS_INVITATION_WINDOW (window));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (window)) == parent);
  g_assert_false (gtk_window_get_modal (GTK_WINDOW (window)));
  gtk_window_destroy (GTK_WINDOW (window));
  gtk_window_destroy (parent);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  quorum_test_settings_init ();  /* before anything reads settings */
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  server = quorum_test_server_start (NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/ui/invitation/invalid-links", test_invalid_links);
  g_test_add_func ("/ui/invitation/unknown-server-asks-first", test_unknown_server_asks_first);
  g_test_add_func ("/ui/invitation/status-pages", test_status_pages);
  g_test_add_func ("/ui/invitation/preview-with-logo", test_preview_with_logo);
  g_test_add_func ("/ui/invitation/unreachable-then-retry", test_unreachable_then_retry);
  g_test_add_func ("/ui/invitation/newcomer", test_newcomer_sets_up_account);
  g_test_add_func ("/ui/invitation/existing-account", test_existing_account_accepts);
  g_test_add_func ("/ui/invitation/other-email", test_other_email_signs_in);
  g_test_add_func ("/ui/invitation/decline", test_decline);
  g_test_add_func ("/ui/invitation/same-link-one-window", test_same_link_one_window);

  ret = g_test_run ();

  quorum_test_server_stop (server);
  return ret;
}
