/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-org-switcher.h"
#include "quorum-sign-in-page.h"
#include "quorum-ui-test.h"

/*
 * Pending invitations for the signed-in account, against a real
 * quorum-server: Olivia owns Initech and Umbrella and invites Nina to both;
 * Sam has no invitation. After sign-in (and when the account is restored at
 * start) a toast offers them, the switcher's popover lists them with Accept
 * and Decline. The tests run in order and build on each other.
 */

#define PASSWORD "correct horse battery"

static QuorumApplication *app;
static QuorumTestServer *server;
static QuorumClient *olivia;
static char *nina_email;
static char *sam_email;
static QuorumOrganization *initech;
static QuorumOrganization *umbrella;

/* Olivia's side, through the API */

static QuorumOrganization *
create_organization (const char *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  QuorumOrganization *organization;

  quorum_client_create_organization_async (olivia, name, NULL, NULL, NULL, ui_store_result, &result);
  organization = quorum_client_create_organization_finish (olivia, ui_wait_result (&result), &error);
  g_assert_no_error (error);
  return organization;
}

static QuorumInvitation *
invite (QuorumOrganization *organization,
        const char         *email,
        QuorumRole          role)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  QuorumInvitation *invitation;

  quorum_client_create_invitation_async (olivia, quorum_organization_get_id (organization), email, role,
                                         NULL, NULL, ui_store_result, &result);
  invitation = quorum_client_create_invitation_finish (olivia, ui_wait_result (&result), &error);
  g_assert_no_error (error);
  return invitation;
}

static guint
n_pending (QuorumOrganization *organization)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) invitations = NULL;

  quorum_client_list_invitations_async (olivia, quorum_organization_get_id (organization), "pending",
                                        NULL, ui_store_result, &result);
  invitations = quorum_client_list_invitations_finish (olivia, ui_wait_result (&result), &error);
  g_assert_no_error (error);
  return invitations->len;
}

/* What Nina sees */

static gboolean
popover_hidden (gpointer data)
{
  return !gtk_widget_get_visible (GTK_WIDGET (ui_switcher_popover (data)));
}

static void
open_popover (QuorumWindow *window)
{
  quorum_org_switcher_popup (ui_switcher_of (window));
  ui_wait_until (ui_switcher_popover_shown, window);
}

static gboolean
has_css_class (GtkWidget     *widget,
               gconstpointer  data)
{
  return gtk_widget_has_css_class (widget, data);
}

static GtkWidget *
invitation_list (QuorumWindow *window)
{
  GtkWidget *list = ui_find (GTK_WIDGET (ui_switcher_popover (window)), GTK_TYPE_LIST_BOX, has_css_class, "invitations");

  g_assert_nonnull (list);
  return list;
}

/* The invitation rows the popover shows, in order; none when the section
 * is hidden. */
static GPtrArray *
invitation_rows (QuorumWindow *window)
{
  GtkWidget *list = invitation_list (window);
  GPtrArray *rows = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && ui_shown (child))
      g_ptr_array_add (rows, child);
  return rows;
}

static GtkWidget *
invitation_row (QuorumWindow *window,
                const char   *organization)
{
  g_autoptr(GPtrArray) rows = invitation_rows (window);

  for (guint i = 0; i < rows->len; i++)
    if (ui_find (rows->pdata[i], GTK_TYPE_LABEL, ui_match_label, organization) != NULL)
      return rows->pdata[i];
  return NULL;
}

/* The organization rows of the popover (the first list). */
static GtkWidget *
organization_row (QuorumWindow *window,
                  const char   *name)
{
  GtkWidget *list = ui_find (GTK_WIDGET (ui_switcher_popover (window)), GTK_TYPE_LIST_BOX, NULL, NULL);

  g_assert_true (list != invitation_list (window));
  for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && ui_find (child, GTK_TYPE_LABEL, ui_match_label, name) != NULL)
      return child;
  return NULL;
}

static GtkWidget *
error_label (QuorumWindow *window)
{
  GtkWidget *label = ui_find (GTK_WIDGET (ui_switcher_popover (window)), GTK_TYPE_LABEL, has_css_class, "error");

  g_assert_nonnull (label);
  return label;
}

static gboolean
invitation_dot_shown (QuorumWindow *window)
{
  GtkWidget *button = ui_find (GTK_WIDGET (ui_switcher_of (window)), GTK_TYPE_MENU_BUTTON, NULL, NULL);

  return ui_shown (ui_find (button, GTK_TYPE_WIDGET, has_css_class, "invitation-dot"));
}

typedef struct
{
  QuorumWindow *window;
  const char   *text;
} Text;

/* By the text shown, markup or not. */
static gboolean
match_text (GtkWidget     *widget,
            gconstpointer  data)
{
  return g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), data) == 0;
}

static gboolean
label_shown (gpointer data)
{
  Text *t = data;

  return ui_shown (ui_find (GTK_WIDGET (t->window), GTK_TYPE_LABEL, match_text, t->text));
}

/* Waits for a toast saying @text; returns its button. */
static GtkWidget *
wait_toast (QuorumWindow *window,
            const char   *text)
{
  Text t = { window, text };
  GtkWidget *label;
  GtkWidget *toast;

  ui_wait_until (label_shown, &t);
  quorum_test_spin (500);
  label = ui_find (GTK_WIDGET (window), GTK_TYPE_LABEL, match_text, text);
  g_assert_nonnull (gtk_widget_get_ancestor (label, ADW_TYPE_TOAST_OVERLAY));
  /* The toast holds the title and the button side by side. */
  for (toast = label; toast != NULL; toast = gtk_widget_get_parent (toast))
    if (ui_find (toast, GTK_TYPE_BUTTON, ui_match_button_label, "_View") != NULL)
      return ui_find (toast, GTK_TYPE_BUTTON, ui_match_button_label, "_View");
  g_assert_not_reached ();
  return NULL;
}

static gboolean
n_invitations_is (QuorumWindow *window,
                  guint         n)
{
  return g_list_model_get_n_items (quorum_org_switcher_get_invitations (ui_switcher_of (window))) == n;
}

static gboolean
no_invitations (gpointer data)
{
  return n_invitations_is (data, 0);
}

static gboolean
one_invitation (gpointer data)
{
  return n_invitations_is (data, 1);
}

static gboolean
error_shown (gpointer data)
{
  return ui_shown (error_label (data));
}


static gboolean
nina_signed_in (gpointer data)
{
  QuorumAccount *account = quorum_window_get_account (data);

  return account != NULL && g_strcmp0 (quorum_account_get_email (account), nina_email) == 0 &&
         g_strcmp0 (quorum_window_get_state (data), "main") == 0 && !quorum_window_is_loading (data);
}

static gboolean
globex_fresh_offered (gpointer data)
{
  return invitation_row (data, "Globex Fresh") != NULL;
}

static gboolean
globex_once_offered (gpointer data)
{
  return invitation_row (data, "Globex Once") != NULL;
}

static void
test_nothing_extra_without_invitations (void)
{
  G_GNUC_UNUSED g_autoptr(QuorumAccount) account = ui_sign_in (app, quorum_test_server_get_url (server), sam_email, PASSWORD);
  QuorumWindow *window = ui_present (app);

  ui_wait_state (window, "main");
  quorum_test_spin (1000);
  g_assert_false (invitation_dot_shown (window));
  g_assert_null (ui_find (GTK_WIDGET (window), GTK_TYPE_BUTTON, ui_match_button_label, "_View"));
  open_popover (window);
  g_assert_false (ui_shown (invitation_list (window)));
  g_assert_false (ui_shown (ui_find (GTK_WIDGET (ui_switcher_popover (window)), GTK_TYPE_LABEL, ui_match_label, "Invitations")));
  g_assert_cmpuint (g_list_model_get_n_items (quorum_org_switcher_get_invitations (ui_switcher_of (window))), ==, 0);
  gtk_popover_popdown (ui_switcher_popover (window));
}

static void
test_offered_after_sign_in (void)
{
  QuorumWindow *window = ui_present (app);
  GtkWidget *page;
  GtkWidget *view;
  GtkWidget *accept;
  g_autoptr(GPtrArray) rows = NULL;
  gboolean reached = FALSE;

  /* Nina signs in with the form, beside Sam's account. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "add-account", NULL);
  ui_wait_state (window, "sign-in");
  page = ui_find (GTK_WIDGET (window), QUORUM_TYPE_SIGN_IN_PAGE, NULL, NULL);
  ui_type (page, "Server", quorum_test_server_get_url (server));
  ui_type (page, "E-mail", nina_email);
  ui_type (page, "Password", PASSWORD);
  ui_click (gtk_widget_get_ancestor (ui_find (page, GTK_TYPE_LABEL, ui_match_label, "_Sign In"), GTK_TYPE_BUTTON));
  ui_wait_until (nina_signed_in, window);

  /* A toast offers both invitations; its button opens the switcher. */
  view = wait_toast (window, "You have been invited to 2 organizations");
  g_assert_true (invitation_dot_shown (window));
  ui_click (view);
  ui_wait_until (ui_switcher_popover_shown, window);

  /* Each: organization, role, who invited. */
  rows = invitation_rows (window);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_nonnull (invitation_row (window, "Umbrella"));
  g_assert_nonnull (ui_find (invitation_row (window, "Umbrella"), GTK_TYPE_LABEL, ui_match_label,
                             "Admin · invited by Olivia Owner"));
  g_assert_nonnull (invitation_row (window, "Initech"));
  g_assert_nonnull (ui_find (invitation_row (window, "Initech"), GTK_TYPE_LABEL, ui_match_label,
                             "Member · invited by Olivia Owner"));
  g_assert_false (ui_shown (error_label (window)));

  /* Not joined yet. */
  g_assert_null (organization_row (window, "Umbrella"));
  g_assert_null (organization_row (window, "Initech"));

  /* Tab reaches Accept from the organization list. */
  accept = ui_button (rows->pdata[0], "Accept");
  for (int i = 0; i < 12 && !reached; i++)
    {
      gtk_widget_child_focus (GTK_WIDGET (ui_switcher_popover (window)), GTK_DIR_TAB_FORWARD);
      reached = gtk_widget_has_focus (accept);
    }
  g_assert_true (reached);
  gtk_popover_popdown (ui_switcher_popover (window));
}

static void
test_offered_when_restored_at_start (void)
{
  QuorumWindow *window;

  ui_close_windows (app);
  window = ui_present (app);
  ui_wait_until (nina_signed_in, window);
  ui_click (wait_toast (window, "You have been invited to 2 organizations"));
  ui_wait_until (ui_switcher_popover_shown, window);
  g_assert_true (invitation_dot_shown (window));
  g_assert_nonnull (invitation_row (window, "Umbrella"));
  g_assert_nonnull (invitation_row (window, "Initech"));
  gtk_popover_popdown (ui_switcher_popover (window));
}

static void
test_accept_joins_and_opens (void)
{
  QuorumWindow *window = ui_present (app);

  ui_wait_until (nina_signed_in, window);
  open_popover (window);
  ui_click (ui_button (invitation_row (window, "Umbrella"), "Accept"));

  /* Joined as an admin: Umbrella opens and is listed, its invitation gone. */
  ui_wait_organization (window, "Umbrella");
  g_assert_cmpint (quorum_organization_get_role (quorum_window_get_organization (window)), ==, QUORUM_ROLE_ADMIN);
  ui_wait_until (popover_hidden, window);
  ui_wait_until (one_invitation, window);
  open_popover (window);
  g_assert_nonnull (organization_row (window, "Umbrella"));
  g_assert_true (gtk_widget_has_css_class (organization_row (window, "Umbrella"), "current"));
  g_assert_null (invitation_row (window, "Umbrella"));
  g_assert_nonnull (invitation_row (window, "Initech"));
  g_assert_cmpuint (n_pending (umbrella), ==, 0);
  gtk_popover_popdown (ui_switcher_popover (window));
}

static void
test_decline_removes (void)
{
  QuorumWindow *window = ui_present (app);

  ui_wait_until (nina_signed_in, window);
  open_popover (window);
  ui_click (ui_button (invitation_row (window, "Initech"), "Decline"));
  ui_wait_until (no_invitations, window);

  /* Gone, not joined; nothing extra is left. */
  g_assert_null (invitation_row (window, "Initech"));
  g_assert_null (organization_row (window, "Initech"));
  g_assert_false (ui_shown (invitation_list (window)));
  g_assert_false (invitation_dot_shown (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (ui_switcher_popover (window))));
  g_assert_cmpuint (n_pending (initech), ==, 0);
  g_assert_cmpstr (quorum_organization_get_name (quorum_window_get_organization (window)), ==, "Umbrella");
  gtk_popover_popdown (ui_switcher_popover (window));
}

static void
test_revoked_meanwhile (void)
{
  QuorumWindow *window = ui_present (app);
  g_autoptr(QuorumOrganization) hooli = create_organization ("Hooli & Sons");
  g_autoptr(QuorumInvitation) invitation = invite (hooli, nina_email, QUORUM_ROLE_MEMBER);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *message;

  ui_wait_until (nina_signed_in, window);
  /* A new invitation, fetched with the organizations again, is offered too. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "retry", NULL);
  wait_toast (window, "You have been invited to Hooli & Sons");
  open_popover (window);
  g_assert_nonnull (invitation_row (window, "Hooli & Sons"));

  /* Olivia takes it back while Nina looks at it. */
  quorum_client_revoke_invitation_async (olivia, quorum_organization_get_id (hooli),
                                         quorum_invitation_get_id (invitation), NULL, ui_store_result, &result);
  g_assert_true (quorum_client_revoke_invitation_finish (olivia, ui_wait_result (&result), &error));
  g_assert_no_error (error);

  ui_click (ui_button (invitation_row (window, "Hooli & Sons"), "Accept"));
  ui_wait_until (error_shown, window);
  message = gtk_label_get_label (GTK_LABEL (error_label (window)));
  g_assert_nonnull (strstr (message, "Hooli & Sons"));
  g_assert_nonnull (strstr (message, "withdrawn"));
  ui_wait_until (no_invitations, window);
  g_assert_null (invitation_row (window, "Hooli & Sons"));
  g_assert_null (organization_row (window, "Hooli & Sons"));
  g_assert_cmpstr (quorum_organization_get_name (quorum_window_get_organization (window)), ==, "Umbrella");
  g_assert_false (invitation_dot_shown (window));

  /* The next time the popover opens, the error is gone with the section. */
  gtk_popover_popdown (ui_switcher_popover (window));
  ui_wait_until (popover_hidden, window);
  open_popover (window);
  g_assert_false (ui_shown (error_label (window)));
  gtk_popover_popdown (ui_switcher_popover (window));
}

/* An invitation sent while Nina works shows when she opens the switcher,
 * without a reload of the window. */
static void
test_fetched_when_popover_opens (void)
{
  QuorumWindow *window = ui_present (app);
  g_autoptr(QuorumOrganization) globex = create_organization ("Globex Fresh");
  g_autoptr(QuorumInvitation) invitation = NULL;

  ui_wait_until (nina_signed_in, window);
  g_assert_null (invitation_row (window, "Globex Fresh"));

  invitation = invite (globex, nina_email, QUORUM_ROLE_MEMBER);
  open_popover (window);
  ui_wait_until (globex_fresh_offered, window);
  ui_click (ui_button (invitation_row (window, "Globex Fresh"), "Decline"));
  ui_wait_until (no_invitations, window);
  gtk_popover_popdown (ui_switcher_popover (window));
}

/* While an answer is on its way, a rebuilt row (the list fetched again
 * meanwhile) still takes no second answer. */
static void
test_one_answer_even_if_rebuilt (void)
{
  QuorumWindow *window = ui_present (app);
  g_autoptr(QuorumOrganization) globex = create_organization ("Globex Once");
  g_autoptr(QuorumInvitation) invitation = NULL;
  GListStore *store;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  ui_wait_until (nina_signed_in, window);
  invitation = invite (globex, nina_email, QUORUM_ROLE_MEMBER);
  open_popover (window);
  ui_wait_until (globex_once_offered, window);

  ui_click (ui_button (invitation_row (window, "Globex Once"), "Decline"));
  /* Before the server answers (no main loop iteration in between), the
   * rows are built again from the same invitations. */
  store = G_LIST_STORE (quorum_org_switcher_get_invitations (ui_switcher_of (window)));
  n = g_list_model_get_n_items (G_LIST_MODEL (store));
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (store), i));
  g_list_store_splice (store, 0, n, items->pdata, n);
  g_assert_false (gtk_widget_get_sensitive (invitation_row (window, "Globex Once")));

  ui_wait_until (no_invitations, window);
  gtk_popover_popdown (ui_switcher_popover (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *olivia_email = NULL;
  g_autofree char *olivia_token = NULL;
  g_autofree char *token = NULL;
  g_autoptr(QuorumInvitation) to_initech = NULL;
  g_autoptr(QuorumInvitation) to_umbrella = NULL;
  int ret;

  quorum_test_settings_init ();  /* before anything reads settings */
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  server = quorum_test_server_start (NULL, &error);
  g_assert_no_error (error);
  app = ui_application_new ();

  olivia_email = quorum_test_unique_email ("olivia");
  nina_email = quorum_test_unique_email ("nina");
  sam_email = quorum_test_unique_email ("sam");
  olivia_token = quorum_test_server_sign_up (server, "Olivia Owner", olivia_email, PASSWORD, &error);
  g_assert_no_error (error);
  token = quorum_test_server_sign_up (server, "Nina Newcomer", nina_email, PASSWORD, &error);
  g_assert_no_error (error);
  g_clear_pointer (&token, g_free);
  /* Invitations by address are offered only to a verified address. */
  g_assert_true (quorum_test_server_verify_email (server, nina_email, &error));
  g_assert_no_error (error);
  token = quorum_test_server_sign_up (server, "Sam Solo", sam_email, PASSWORD, &error);
  g_assert_no_error (error);
  /* Sam too: an unverified address gets a line instead of the section
   * (test-email-verification covers that). */
  g_assert_true (quorum_test_server_verify_email (server, sam_email, &error));
  g_assert_no_error (error);

  olivia = quorum_client_new (quorum_test_server_get_url (server));
  quorum_client_set_token (olivia, olivia_token);
  initech = create_organization ("Initech");
  umbrella = create_organization ("Umbrella");
  to_initech = invite (initech, nina_email, QUORUM_ROLE_MEMBER);
  to_umbrella = invite (umbrella, nina_email, QUORUM_ROLE_ADMIN);

  g_test_add_func ("/ui/switcher-invitations/nothing-extra-without-invitations",
                   test_nothing_extra_without_invitations);
  g_test_add_func ("/ui/switcher-invitations/offered-after-sign-in", test_offered_after_sign_in);
  g_test_add_func ("/ui/switcher-invitations/offered-when-restored-at-start", test_offered_when_restored_at_start);
  g_test_add_func ("/ui/switcher-invitations/accept-joins-and-opens", test_accept_joins_and_opens);
  g_test_add_func ("/ui/switcher-invitations/decline-removes", test_decline_removes);
  g_test_add_func ("/ui/switcher-invitations/revoked-meanwhile", test_revoked_meanwhile);
  g_test_add_func ("/ui/switcher-invitations/fetched-when-popover-opens", test_fetched_when_popover_opens);
  g_test_add_func ("/ui/switcher-invitations/one-answer-even-if-rebuilt", test_one_answer_even_if_rebuilt);

  ret = g_test_run ();

  ui_close_windows (app);
  g_clear_object (&app);
  g_clear_object (&initech);
  g_clear_object (&umbrella);
  g_clear_object (&olivia);
  g_free (nina_email);
  g_free (sam_email);
  quorum_test_server_stop (server);
  return ret;
}
