/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-core.h"
#include "quorum-members-page.h"
#include "quorum-org-link-window.h"
#include "quorum-test-person.h"
#include "quorum-ui-test.h"

/*
 * quorum://org/<slug>[/<tab>] links, through the application's window,
 * against the demo data: ada@demo.quorum.test owns Acme Robotics
 * (acme-robotics), is an admin of Globex (globex) and a member of Initech
 * (initech).
 */

#define DEMO_EMAIL    "ada@demo.quorum.test"
#define DEMO_PASSWORD "quorum-demo"
#define OTHER_PASSWORD "correct horse battery staple"

static QuorumApplication *app;
static QuorumTestServer *server;

static QuorumWindow *
main_window (void)
{
  QuorumWindow *window = ui_present (app);

  ui_wait_state (window, "main");
  return window;
}

static AdwViewStack *
view_stack (QuorumWindow *window)
{
  return ADW_VIEW_STACK (ui_find (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK, NULL, NULL));
}

static const char *
visible_tab (QuorumWindow *window)
{
  return adw_view_stack_get_visible_child_name (view_stack (window));
}

static QuorumMembersPage *
members_page (QuorumWindow *window)
{
  return QUORUM_MEMBERS_PAGE (ui_find (GTK_WIDGET (window), QUORUM_TYPE_MEMBERS_PAGE, NULL, NULL));
}

static const char *
members_search (QuorumWindow *window)
{
  GtkWidget *entry = ui_find (GTK_WIDGET (members_page (window)), GTK_TYPE_SEARCH_ENTRY, NULL, NULL);

  return gtk_editable_get_text (GTK_EDITABLE (entry));
}

static char *
org_link (const char *slug,
          const char *rest)
{
  g_autofree char *server_escaped = g_uri_escape_string (quorum_test_server_get_url (server), NULL, FALSE);

  return g_strdup_printf ("quorum://org/%s%s%sserver=%s", slug, rest,
                          strchr (rest, '?') != NULL ? "&" : "?", server_escaped);
}

/* The link's window, once it has something to say. */
static QuorumOrgLinkWindow *
link_window_on (const char *page)
{
  QuorumOrgLinkWindow *window;

  ui_wait_until (ui_toplevel_shown, GSIZE_TO_POINTER (QUORUM_TYPE_ORG_LINK_WINDOW));
  window = QUORUM_ORG_LINK_WINDOW (ui_toplevel_of_type (QUORUM_TYPE_ORG_LINK_WINDOW));
  g_assert_cmpstr (quorum_org_link_window_get_page (window), ==, page);
  return window;
}

static gboolean
no_link_window (gpointer data)
{
  g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (QUORUM_IS_ORG_LINK_WINDOW (window))
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  QuorumWindow *window;
  const char   *name;
  const char   *tab;
} Landing;

static gboolean
landed (gpointer data)
{
  Landing *l = data;
  QuorumOrganization *organization = quorum_window_get_organization (l->window);

  return organization != NULL && !quorum_window_is_loading (l->window) &&
         g_strcmp0 (quorum_organization_get_name (organization), l->name) == 0 &&
         g_strcmp0 (visible_tab (l->window), l->tab) == 0;
}

static void
wait_landed (QuorumWindow *window,
             const char   *name,
             const char   *tab)
{
  Landing l = { window, name, tab };
  g_autofree char *what = g_strdup_printf ("the window to show %s on its %s tab", name, tab);

  quorum_test_wait_until_what (landed, &l, UI_TEST_DEADLINE_SECONDS, what);
}

static void
test_opens_organization_and_tab (void)
{
  QuorumWindow *window = main_window ();
  g_autofree char *link = org_link ("globex", "/members?query=grace");
  g_autofree char *billing = org_link ("acme-robotics", "/billing");
  g_autofree char *general = org_link ("acme-robotics", "");

  quorum_window_open_uri (window, link);
  wait_landed (window, "Globex", "members");
  g_assert_cmpstr (members_search (window), ==, "grace");
  /* It opened where it should: no window of its own was needed. */
  g_assert_true (no_link_window (NULL));

  /* Another organization and tab, then the one shown on another tab. */
  quorum_window_open_uri (window, billing);
  wait_landed (window, "Acme Robotics", "billing");
  quorum_window_open_uri (window, general);
  wait_landed (window, "Acme Robotics", "general");
  g_assert_true (no_link_window (NULL));
}

/* A member of Initech does not see Billing: the link lands on General. */
static void
test_tab_the_role_hides (void)
{
  QuorumWindow *window = main_window ();
  g_autofree char *link = org_link ("initech", "/billing");

  quorum_window_open_uri (window, link);
  wait_landed (window, "Initech", "general");
}

static void
test_not_a_member (void)
{
  QuorumWindow *window = main_window ();
  QuorumOrganization *before = quorum_window_get_organization (window);
  g_autofree char *name = g_strdup (quorum_organization_get_name (before));
  g_autofree char *link = org_link ("umbrella-corp", "/members");
  QuorumOrgLinkWindow *link_window;

  quorum_window_open_uri (window, link);
  link_window = link_window_on ("not-member");
  g_assert_nonnull (ui_shown_label (GTK_WIDGET (link_window), "You Are Not a Member of umbrella-corp"));
  /* The main window stays where it was. */
  g_assert_cmpstr (quorum_organization_get_name (quorum_window_get_organization (window)), ==, name);
  gtk_window_close (GTK_WINDOW (link_window));
  ui_wait_until (no_link_window, NULL);
}

static void
test_invalid_link (void)
{
  QuorumWindow *window = main_window ();
  g_autofree char *link = org_link ("acme-robotics", "/settings");
  QuorumOrgLinkWindow *link_window;

  quorum_window_open_uri (window, link);
  link_window = link_window_on ("invalid");
  g_assert_nonnull (ui_shown_label (GTK_WIDGET (link_window), "This Link Is Not Valid"));
  gtk_window_close (GTK_WINDOW (link_window));
  ui_wait_until (no_link_window, NULL);
}

static gboolean
incoming_cb (GSocketService     *service,
             GSocketConnection  *connection,
             GObject            *source,
             gpointer            user_data)
{
  guint *connections = user_data;

  (*connections)++;
  return FALSE;
}

/* A link naming a server none of the accounts is on: nothing is sent there,
 * not a token, not a connection. */
static void
test_unknown_server_gets_nothing (void)
{
  QuorumWindow *window = main_window ();
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GError) error = NULL;
  guint connections = 0;
  guint16 port;
  g_autofree char *link = NULL;
  QuorumOrgLinkWindow *link_window;

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (incoming_cb), &connections);
  g_socket_service_start (service);

  link = g_strdup_printf ("quorum://org/acme-robotics/members?server=http%%3A%%2F%%2F127.0.0.1%%3A%u", port);
  quorum_window_open_uri (window, link);
  link_window = link_window_on ("no-account");
  g_assert_nonnull (ui_shown_label (GTK_WIDGET (link_window), "127.0.0.1"));
  quorum_test_drain_pending ();
  g_assert_cmpuint (connections, ==, 0);
  gtk_window_close (GTK_WINDOW (link_window));
  ui_wait_until (no_link_window, NULL);
  g_socket_service_stop (service);
}

static void
clipboard_text_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static gboolean
is_set (gpointer data)
{
  return *(char **) data != NULL;
}

static char *
clipboard_text (QuorumWindow *window)
{
  char *text = NULL;

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (window)), NULL, clipboard_text_cb, &text);
  ui_wait_until (is_set, &text);
  return text;
}

/* The members list shown is the link's search (the search's first page
 * is in). */
static gboolean
members_list_searched (gpointer data)
{
  gboolean inactive = FALSE;
  g_autofree char *query = quorum_members_page_dup_search (members_page (data), &inactive);

  return g_strcmp0 (query, "grace") == 0 && inactive;
}

/* What "Copy Link to This Page" puts on the clipboard opens the same page. */
static void
test_copy_link (void)
{
  QuorumWindow *window = main_window ();
  g_autofree char *link = org_link ("globex", "/members?query=grace&filter=inactive-90d");
  g_autofree char *copied = NULL;
  g_autofree char *general = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(QuorumLink) parsed = NULL;

  quorum_window_open_uri (window, link);
  wait_landed (window, "Globex", "members");
  ui_wait_until (members_list_searched, window);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "copy-link"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "copy-link", NULL);
  copied = clipboard_text (window);
  parsed = quorum_link_parse (copied, NULL);
  g_assert_nonnull (parsed);
  g_assert_cmpint (quorum_link_get_kind (parsed), ==, QUORUM_LINK_ORG);
  g_assert_cmpstr (quorum_link_get_slug (parsed), ==, "globex");
  g_assert_cmpint (quorum_link_get_tab (parsed), ==, QUORUM_LINK_TAB_MEMBERS);
  g_assert_cmpstr (quorum_link_get_query (parsed), ==, "grace");
  g_assert_cmpstr (quorum_link_get_filter (parsed), ==, QUORUM_LINK_FILTER_INACTIVE_90D);
  g_assert_true (quorum_server_url_equal (quorum_link_get_server (parsed), quorum_test_server_get_url (server)));

  /* Elsewhere and opened again from the copied link: the same page. */
  adw_view_stack_set_visible_child_name (view_stack (window), "general");
  general = quorum_window_dup_page_link (window);
  expected = quorum_link_build_org (quorum_test_server_get_url (server), "globex", QUORUM_LINK_TAB_GENERAL, NULL, NULL);
  g_assert_cmpstr (general, ==, expected);
  quorum_members_page_search (members_page (window), NULL, FALSE);
  quorum_window_open_uri (window, copied);
  wait_landed (window, "Globex", "members");
  g_assert_cmpstr (members_search (window), ==, "grace");
  {
    gboolean inactive = FALSE;
    g_autofree char *query = NULL;

    ui_wait_until (members_list_searched, window);
    query = quorum_members_page_dup_search (members_page (window), &inactive);
    g_assert_cmpstr (query, ==, "grace");
    g_assert_true (inactive);
  }
}

static QuorumInvitation *
invite (QuorumClient       *client,
        QuorumOrganization *organization,
        const char         *email)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  QuorumInvitation *invitation;

  quorum_client_create_invitation_async (client, quorum_organization_get_id (organization), email,
                                         QUORUM_ROLE_MEMBER, NULL, NULL, ui_store_result, &result);
  invitation = quorum_client_create_invitation_finish (client, ui_wait_result (&result), &error);
  g_assert_no_error (error);
  return invitation;
}

static void
accept_all (QuorumClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) invitations = NULL;

  quorum_client_list_my_invitations_async (client, NULL, ui_store_result, &result);
  invitations = quorum_client_list_my_invitations_finish (client, ui_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (invitations->len, >, 0);
  for (guint i = 0; i < invitations->len; i++)
    {
      g_autoptr(GAsyncResult) accepted = NULL;
      g_autoptr(QuorumOrganization) organization = NULL;

      quorum_client_accept_my_invitation_async (client, quorum_invitation_get_id (invitations->pdata[i]),
                                                 NULL, ui_store_result, &accepted);
      organization = quorum_client_accept_my_invitation_finish (client, ui_wait_result (&accepted), NULL, &error);
      g_assert_no_error (error);
    }
}

/* Two accounts on the server are members: the link asks which, and opens
 * the organization with the one chosen. */
static void
test_several_accounts_ask_which (void)
{
  QuorumWindow *window = main_window ();
  g_autoptr(QuorumTestPerson) other = quorum_test_person_sign_up (server, "Bea", OTHER_PASSWORD, NULL);
  g_autoptr(QuorumClient) ada = ui_other_client (quorum_test_server_get_url (server), DEMO_EMAIL, DEMO_PASSWORD);
  g_autoptr(QuorumInvitation) invitation = NULL;
  g_autofree char *link = NULL;
  QuorumAccount *second;
  QuorumOrgLinkWindow *link_window;
  GtkWidget *list;
  GtkWidget *row;
  guint rows = 0;

  /* Bea's own organization, which Ada joins. */
  invitation = invite (other->client, other->organization, DEMO_EMAIL);
  accept_all (ada);
  second = ui_sign_in (app, quorum_test_server_get_url (server), other->email, OTHER_PASSWORD);
  g_assert_nonnull (second);
  /* The window still shows Ada's account. */
  g_assert_cmpstr (quorum_account_get_email (quorum_window_get_account (window)), ==, DEMO_EMAIL);

  link = org_link (quorum_organization_get_slug (other->organization), "/members");
  quorum_window_open_uri (window, link);
  link_window = link_window_on ("choose");
  list = ui_find (GTK_WIDGET (link_window), GTK_TYPE_LIST_BOX, NULL, NULL);
  for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL; child = gtk_widget_get_next_sibling (child))
    rows += GTK_IS_LIST_BOX_ROW (child);
  g_assert_cmpuint (rows, ==, 2);

  /* Bea's row. */
  row = ui_find (list, ADW_TYPE_ACTION_ROW, ui_match_title, "Bea");
  g_assert_nonnull (row);
  g_signal_emit_by_name (list, "row-activated", row);
  ui_wait_until (no_link_window, NULL);
  wait_landed (window, quorum_organization_get_name (other->organization), "members");
  g_assert_cmpstr (quorum_account_get_email (quorum_window_get_account (window)), ==, other->email);
}

int
main (int   argc,
      char *argv[])
{
  const char *args[] = { "--demo", "--demo-members=20", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumAccount) account = NULL;
  int ret;

  quorum_test_settings_init ();  /* before anything reads settings */
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  ui_ignore_focus_out_warnings ();

  server = quorum_test_server_start (args, &error);
  g_assert_no_error (error);
  app = ui_application_new ();
  account = ui_sign_in (app, quorum_test_server_get_url (server), DEMO_EMAIL, DEMO_PASSWORD);

  g_test_add_func ("/ui/org-link/opens-organization-and-tab", test_opens_organization_and_tab);
  g_test_add_func ("/ui/org-link/tab-the-role-hides", test_tab_the_role_hides);
  g_test_add_func ("/ui/org-link/not-a-member", test_not_a_member);
  g_test_add_func ("/ui/org-link/invalid", test_invalid_link);
  g_test_add_func ("/ui/org-link/unknown-server-gets-nothing", test_unknown_server_gets_nothing);
  g_test_add_func ("/ui/org-link/copy-link", test_copy_link);
  /* Last: it signs in a second account. */
  g_test_add_func ("/ui/org-link/several-accounts-ask-which", test_several_accounts_ask_which);

  ret = g_test_run ();

  ui_close_windows (app);
  g_clear_object (&app);
  quorum_test_server_stop (server);
  return ret;
}
