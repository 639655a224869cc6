/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-create-organization-dialog.h"
#include "quorum-general-page.h"
#include "quorum-members-page.h"
#include "quorum-org-switcher.h"
#include "quorum-ui-test.h"

/*
 * The organization switcher and switching, against the demo data:
 * ada@demo.quorum.test owns Acme Robotics, is an admin of Globex and a
 * member of Initech. Tabs and actions follow her role in each.
 */

#define DEMO_EMAIL    "ada@demo.quorum.test"
#define DEMO_PASSWORD "quorum-demo"

static QuorumApplication *app;
static QuorumTestServer *server;

/* The rows the popover shows, in order. */
static GPtrArray *
rows_of (QuorumWindow *window)
{
  GtkWidget *list = ui_find (GTK_WIDGET (ui_switcher_popover (window)), GTK_TYPE_LIST_BOX, NULL, NULL);
  GPtrArray *rows = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child))
      g_ptr_array_add (rows, child);
  return rows;
}

static GtkWidget *
row_named (QuorumWindow *window,
           const char   *name)
{
  g_autoptr(GPtrArray) rows = rows_of (window);

  for (guint i = 0; i < rows->len; i++)
    if (ui_find (rows->pdata[i], GTK_TYPE_LABEL, ui_match_label, name) != NULL)
      return rows->pdata[i];
  return NULL;
}

static gboolean
stack_page_visible (QuorumWindow *window,
                    const char   *name)
{
  AdwViewStack *stack = ADW_VIEW_STACK (ui_find (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK, NULL, NULL));

  return adw_view_stack_page_get_visible (adw_view_stack_get_page (stack,
                                                                   adw_view_stack_get_child_by_name (stack, name)));
}

static GtkWidget *
general_page (QuorumWindow *window)
{
  return ui_find (GTK_WIDGET (window), QUORUM_TYPE_GENERAL_PAGE, NULL, NULL);
}

static void
switch_to (QuorumWindow *window,
           const char   *name)
{
  QuorumOrgSwitcher *switcher = ui_switcher_of (window);

  quorum_org_switcher_popup (switcher);
  ui_wait_until (ui_switcher_popover_shown, window);
  g_signal_emit_by_name (gtk_widget_get_parent (row_named (window, name)), "row-activated", row_named (window, name));
}

static QuorumWindow *
main_window (void)
{
  QuorumWindow *window = ui_present (app);

  ui_wait_state (window, "main");
  return window;
}

static void
test_lists_organizations_with_roles (void)
{
  QuorumWindow *window = main_window ();
  g_autoptr(GPtrArray) rows = NULL;
  struct { const char *name, *role; } expected[] = {
    { "Acme Robotics", "Owner" }, { "Globex", "Admin" }, { "Initech", "Member" },
  };

  /* The keyboard shortcut opens the switcher. */
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "show-organizations"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-organizations", NULL);
  ui_wait_until (ui_switcher_popover_shown, window);

  rows = rows_of (window);
  g_assert_cmpuint (rows->len, ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      GtkWidget *row = row_named (window, expected[i].name);

      g_assert_nonnull (row);
      g_assert_nonnull (ui_find (row, GTK_TYPE_LABEL, ui_match_label, expected[i].role));
    }

  /* Only the current organization is checked; the button shows its name. */
  {
    const char *current = quorum_organization_get_name (quorum_window_get_organization (window));
    GtkWidget *button = ui_find (GTK_WIDGET (ui_switcher_of (window)), GTK_TYPE_MENU_BUTTON, NULL, NULL);

    for (guint i = 0; i < rows->len; i++)
      g_assert_cmpint (gtk_widget_has_css_class (rows->pdata[i], "current"), ==,
                       rows->pdata[i] == row_named (window, current));
    g_assert_nonnull (ui_find (button, GTK_TYPE_LABEL, ui_match_label, current));
  }

  /* The first window of the run: the tabs are in the header. */
  ui_assert_tabs_in_the_header (window);

  /* Short lists need no search entry. */
  g_assert_false (gtk_widget_get_visible (ui_find (GTK_WIDGET (ui_switcher_popover (window)), GTK_TYPE_SEARCH_ENTRY,
                                                   NULL, NULL)));
  gtk_popover_popdown (ui_switcher_popover (window));
}

static void
test_switch_reloads_pages_and_gates_tabs (void)
{
  QuorumWindow *window = main_window ();
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GVariant) last = NULL;
  const char *remembered = NULL;
  g_autofree char *key = NULL;

  switch_to (window, "Acme Robotics");
  ui_wait_organization (window, "Acme Robotics");
  /* Owner: every tab, the General form editable. */
  g_assert_true (stack_page_visible (window, "general"));
  g_assert_true (stack_page_visible (window, "members"));
  g_assert_true (stack_page_visible (window, "billing"));
  g_assert_true (stack_page_visible (window, "developers"));
  g_assert_cmpstr (ui_text (general_page (window), "Name"), ==, "Acme Robotics");
  g_assert_true (gtk_editable_get_editable (GTK_EDITABLE (ui_row (general_page (window), "Name"))));
  g_assert_true (gtk_widget_get_visible (ui_row (general_page (window), "Delete Organization")));
  g_assert_false (gtk_widget_get_visible (ui_row (general_page (window), "Leave Organization")));

  /* Member: General read-only and Members only; may leave, not delete. */
  switch_to (window, "Initech");
  /* The overlay covers the pages while the new organization loads. */
  g_assert_true (quorum_window_is_loading (window));
  ui_wait_organization (window, "Initech");
  g_assert_true (stack_page_visible (window, "general"));
  g_assert_true (stack_page_visible (window, "members"));
  g_assert_false (stack_page_visible (window, "billing"));
  g_assert_false (stack_page_visible (window, "developers"));
  g_assert_cmpstr (ui_text (general_page (window), "Name"), ==, "Initech");
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (ui_row (general_page (window), "Name"))));
  g_assert_false (ui_shown (ui_button (general_page (window), "Save")));
  g_assert_true (gtk_widget_get_visible (ui_row (general_page (window), "Leave Organization")));
  g_assert_false (gtk_widget_get_visible (ui_row (general_page (window), "Delete Organization")));
  g_assert_false (gtk_widget_get_visible (ui_row (general_page (window), "Transfer Ownership")));
  ui_assert_tabs_in_the_header (window);

  /* Admin: Billing and Developers come back; no delete, no transfer. */
  switch_to (window, "Globex");
  ui_wait_organization (window, "Globex");
  g_assert_true (stack_page_visible (window, "billing"));
  g_assert_true (stack_page_visible (window, "developers"));
  g_assert_true (gtk_editable_get_editable (GTK_EDITABLE (ui_row (general_page (window), "Name"))));
  g_assert_false (gtk_widget_get_visible (ui_row (general_page (window), "Delete Organization")));
  ui_assert_tabs_in_the_header (window);

  /* Remembered for this account. */
  key = g_strdup_printf ("%s %s", quorum_test_server_get_url (server), DEMO_EMAIL);
  last = g_settings_get_value (settings, "last-organizations");
  g_assert_true (g_variant_lookup (last, key, "&s", &remembered));
  g_assert_cmpstr (remembered, ==, quorum_organization_get_id (quorum_window_get_organization (window)));
}

static void
test_last_organization_reopens (void)
{
  QuorumWindow *window;

  ui_close_windows (app);
  window = ui_present (app);
  ui_wait_organization (window, "Globex");
}

/* What the app's session sends while watched, and which organizations the
 * window opens meanwhile. */
typedef struct
{
  GPtrArray *messages;  /* queued while watched */
  guint      unqueued;
  GPtrArray *opened;    /* names, in order */
} Switches;

static void
request_queued_cb (SoupSession *session,
                   SoupMessage *msg,
                   Switches    *switches)
{
  g_ptr_array_add (switches->messages, g_object_ref (msg));
}

static void
request_unqueued_cb (SoupSession *session,
                     SoupMessage *msg,
                     Switches    *switches)
{
  if (g_ptr_array_find (switches->messages, msg, NULL))
    switches->unqueued++;
}

static void
open_organization_cb (QuorumWindow *window,
                      GParamSpec   *pspec,
                      Switches     *switches)
{
  g_autoptr(QuorumOrganization) organization = NULL;

  g_object_get (window, "open-organization", &organization, NULL);
  if (organization != NULL)
    g_ptr_array_add (switches->opened, g_strdup (quorum_organization_get_name (organization)));
}

static void
test_quick_switches_end_on_the_last_choice (void)
{
  QuorumWindow *window = main_window ();
  SoupSession *session = quorum_client_get_default_session ();
  Switches switches = { g_ptr_array_new_with_free_func (g_object_unref), 0, g_ptr_array_new_with_free_func (g_free) };

  g_signal_connect (session, "request-queued", G_CALLBACK (request_queued_cb), &switches);
  g_signal_connect (session, "request-unqueued", G_CALLBACK (request_unqueued_cb), &switches);
  g_signal_connect (window, "notify::open-organization", G_CALLBACK (open_organization_cb), &switches);

  /* Three switches without waiting: the requests for the first two are
   * cancelled and never show. */
  switch_to (window, "Initech");
  switch_to (window, "Acme Robotics");
  switch_to (window, "Globex");
  ui_wait_organization (window, "Globex");

  /* Every request of the switches has ended, the first two included, and
   * whatever came back for them has been handed over: only Globex opened. */
  quorum_test_wait_for (switches.unqueued >= switches.messages->len, QUORUM_TEST_WAIT_SECONDS);
  quorum_test_iterate (20);
  for (guint i = 0; i < switches.opened->len; i++)
    g_assert_cmpstr (g_ptr_array_index (switches.opened, i), ==, "Globex");
  g_assert_cmpuint (switches.opened->len, ==, 1);
  g_assert_cmpstr (quorum_organization_get_name (quorum_window_get_organization (window)), ==, "Globex");
  g_assert_cmpstr (ui_text (general_page (window), "Name"), ==, "Globex");

  g_signal_handlers_disconnect_by_data (window, &switches);
  g_signal_handlers_disconnect_by_data (session, &switches);
  g_ptr_array_unref (switches.messages);
  g_ptr_array_unref (switches.opened);
}

static gboolean
has_error_class (gpointer data)
{
  return gtk_widget_has_css_class (data, "error");
}

static gboolean
wayne_listed (gpointer data)
{
  return row_named (data, "Wayne Enterprises") != NULL;
}

static void
test_create_organization (void)
{
  QuorumWindow *window = main_window ();
  GtkWindow *dialog;
  GtkWidget *root;
  GtkWidget *create;
  GtkWidget *label;

  g_action_group_activate_action (G_ACTION_GROUP (window), "create-organization", NULL);
  ui_wait_until (ui_toplevel_shown, GSIZE_TO_POINTER (QUORUM_TYPE_CREATE_ORGANIZATION_DIALOG));
  dialog = ui_toplevel_of_type (QUORUM_TYPE_CREATE_ORGANIZATION_DIALOG);
  root = GTK_WIDGET (dialog);
  create = ui_button (root, "Create");
  g_assert_false (gtk_widget_get_sensitive (create));

  /* A name that hides a right-to-left override (or any character the
   * server refuses in names) is refused as it is typed, and says why. */
  ui_type (root, "Name", "Evil\u202e proC");
  g_assert_false (gtk_widget_get_sensitive (create));
  g_assert_true (gtk_widget_has_css_class (ui_row (root, "Name"), "error"));
  label = ui_find (root, GTK_TYPE_LABEL, ui_match_label,
                   "The name cannot hold control characters, line separators or invisible direction marks.");
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_get_visible (label));
  ui_type (root, "Name", "Line\u2028Separated");
  g_assert_false (gtk_widget_get_sensitive (create));

  /* The slug follows the name, by the server's rule, with the address. */
  ui_type (root, "Name", "Ünïcode Robotics");
  g_assert_false (gtk_widget_has_css_class (ui_row (root, "Name"), "error"));
  g_assert_false (gtk_widget_get_visible (label));
  g_assert_cmpstr (ui_text (root, "Slug"), ==, "unicode-robotics");
  g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (ADW_ACTION_ROW (ui_row (root, "Public Address"))),
                                   "/unicode-robotics"));

  /* A malformed slug is refused before anything is sent. */
  ui_type (root, "Slug", "Bad Slug");
  g_assert_false (gtk_widget_get_sensitive (create));
  g_assert_true (gtk_widget_has_css_class (ui_row (root, "Slug"), "error"));

  /* A taken slug: the server's answer shows beside the field, nothing typed is lost. */
  ui_type (root, "Slug", "acme-robotics");
  ui_click (create);
  ui_wait_until (has_error_class, ui_row (root, "Slug"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_cmpstr (ui_text (root, "Name"), ==, "Ünïcode Robotics");
  g_assert_cmpstr (ui_text (root, "Slug"), ==, "acme-robotics");

  ui_type (root, "Slug", "unicode-robotics");
  ui_click (create);
  ui_wait_until (ui_toplevel_gone, GSIZE_TO_POINTER (QUORUM_TYPE_CREATE_ORGANIZATION_DIALOG));

  /* The new organization opens, owned by its creator. */
  ui_wait_organization (window, "Ünïcode Robotics");
  g_assert_cmpint (quorum_organization_get_role (quorum_window_get_organization (window)), ==, QUORUM_ROLE_OWNER);
  g_assert_nonnull (row_named (window, "Ünïcode Robotics"));
}

static void
test_filter_long_lists (void)
{
  QuorumWindow *window = main_window ();
  g_autoptr(QuorumClient) ada = ui_other_client (quorum_test_server_get_url (server), DEMO_EMAIL, DEMO_PASSWORD);
  const char *names[] = { "Hooli", "Pied Piper", "Umbrella", "Wayne Enterprises" };
  GtkWidget *search;
  g_autoptr(GPtrArray) rows = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(QuorumOrganization) organization = NULL;

      quorum_client_create_organization_async (ada, names[i], NULL, NULL, NULL, ui_store_result, &result);
      organization = quorum_client_create_organization_finish (ada, ui_wait_result (&result), &error);
      g_assert_no_error (error);
    }

  /* Reloading the list (as Retry does) brings them in. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "retry", NULL);
  ui_wait_until (wayne_listed, window);

  quorum_org_switcher_popup (ui_switcher_of (window));
  ui_wait_until (ui_switcher_popover_shown, window);
  search = ui_find (GTK_WIDGET (ui_switcher_popover (window)), GTK_TYPE_SEARCH_ENTRY, NULL, NULL);
  g_assert_true (gtk_widget_get_visible (search));
  /* Typing goes to the search entry at once. */
  g_assert_true (gtk_widget_is_focus (GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (search)))));

  gtk_editable_set_text (GTK_EDITABLE (search), "PIPER");
  g_signal_emit_by_name (search, "search-changed");
  rows = rows_of (window);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_nonnull (row_named (window, "Pied Piper"));

  /* Enter opens the first match. */
  g_signal_emit_by_name (search, "activate");
  ui_wait_organization (window, "Pied Piper");
}

static void
test_keyboard_actions (void)
{
  QuorumWindow *window = main_window ();
  AdwViewStack *stack = ADW_VIEW_STACK (ui_find (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK, NULL, NULL));

  /* Ctrl+F: the Members tab with its search focused. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "search-members", NULL);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "members");

  /* "Organization Settings" in the switcher: the General tab. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "organization-settings", NULL);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "general");
}

/* The pages are not told: they bind the window's client and organization,
 * and follow both through a switch (nothing of the old one while loading). */
static void
test_pages_follow_the_window (void)
{
  QuorumWindow *window = main_window ();
  GtkWidget *members = ui_find (GTK_WIDGET (window), QUORUM_TYPE_MEMBERS_PAGE, NULL, NULL);
  g_autoptr(QuorumClient) window_client = NULL;
  g_autoptr(QuorumClient) page_client = NULL;
  QuorumOrganization *open;
  const char *names[] = { "Acme Robotics", "Initech", "Globex" };
  const QuorumRole roles[] = { QUORUM_ROLE_OWNER, QUORUM_ROLE_MEMBER, QUORUM_ROLE_ADMIN };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      int role = QUORUM_ROLE_NONE;

      switch_to (window, names[i]);
      if (quorum_window_is_loading (window))
        {
          g_assert_null (quorum_members_page_get_organization (QUORUM_MEMBERS_PAGE (members)));
          g_assert_null (quorum_general_page_get_organization (QUORUM_GENERAL_PAGE (general_page (window))));
        }
      ui_wait_organization (window, names[i]);

      g_object_get (window, "open-organization", &open, NULL);
      g_assert_nonnull (open);
      g_assert_cmpstr (quorum_organization_get_name (open), ==, names[i]);
      g_assert_true (quorum_members_page_get_organization (QUORUM_MEMBERS_PAGE (members)) == open);
      g_assert_true (quorum_general_page_get_organization (QUORUM_GENERAL_PAGE (general_page (window))) == open);
      g_object_get (members, "role", &role, NULL);
      g_assert_cmpint (role, ==, roles[i]);
      g_object_unref (open);
    }

  g_object_get (window, "client", &window_client, NULL);
  g_object_get (members, "client", &page_client, NULL);
  g_assert_nonnull (window_client);
  g_assert_true (page_client == window_client);
  g_assert_true (quorum_general_page_get_client (QUORUM_GENERAL_PAGE (general_page (window))) == window_client);
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

  server = quorum_test_server_start (args, &error);
  g_assert_no_error (error);
  app = ui_application_new ();
  account = ui_sign_in (app, quorum_test_server_get_url (server), DEMO_EMAIL, DEMO_PASSWORD);

  g_test_add_func ("/ui/switcher/lists-organizations-with-roles", test_lists_organizations_with_roles);
  g_test_add_func ("/ui/switcher/switch-reloads-pages-and-gates-tabs", test_switch_reloads_pages_and_gates_tabs);
  g_test_add_func ("/ui/switcher/last-organization-reopens", test_last_organization_reopens);
  g_test_add_func ("/ui/switcher/quick-switches-end-on-the-last-choice", test_quick_switches_end_on_the_last_choice);
  g_test_add_func ("/ui/switcher/create-organization", test_create_organization);
  g_test_add_func ("/ui/switcher/filter-long-lists", test_filter_long_lists);
  g_test_add_func ("/ui/switcher/keyboard-actions", test_keyboard_actions);
  g_test_add_func ("/ui/switcher/pages-follow-the-window", test_pages_follow_the_window);

  ret = g_test_run ();

  ui_close_windows (app);
  g_clear_object (&app);
  quorum_test_server_stop (server);
  return ret;
}
