/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * Helpers shared by the window-level UI tests (sign-in, switcher, General):
 * waiting on conditions with a deadline, and finding widgets the way a user
 * sees them — by type, title or label.
 */

#include <adwaita.h>
#include <string.h>

#include "quorum-application.h"
#include "quorum-billing-page.h"
#include "quorum-org-switcher.h"
#include "quorum-session.h"
#include "quorum-test-server.h"
#include "quorum-test-settings.h"
#include "quorum-test-wait.h"
#include "quorum-window.h"

#define UI_TEST_DEADLINE_SECONDS 15

/* Runs the main loop until @condition holds; fails after the deadline. */
#define ui_wait_until(condition, data) \
  quorum_test_wait_until (condition, data, UI_TEST_DEADLINE_SECONDS)

#define ui_store_result quorum_test_store_result

/* Waits for an async call started with ui_store_result and &result. */
#define ui_wait_result(result) \
  quorum_test_wait_result_within (result, UI_TEST_DEADLINE_SECONDS)

typedef gboolean (*UiMatch) (GtkWidget *widget, gconstpointer data);

/* The page of @stack that holds @widget (a tab's page sits in a bin the
 * window fills the first time it shows its pages). */
static G_GNUC_UNUSED AdwViewStackPage *
ui_stack_page (AdwViewStack *stack,
               GtkWidget    *widget)
{
  while (widget != NULL && gtk_widget_get_parent (widget) != NULL &&
         adw_view_stack_get_page (stack, widget) == NULL)
    widget = gtk_widget_get_parent (widget);
  g_assert_nonnull (widget);
  g_assert_nonnull (adw_view_stack_get_page (stack, widget));
  return adw_view_stack_get_page (stack, widget);
}

/* The first descendant of @root of @type that @match accepts (depth first). */
static G_GNUC_UNUSED GtkWidget *
ui_find (GtkWidget     *root,
         GType          type,
         UiMatch        match,
         gconstpointer  data)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) && (match == NULL || match (child, data)))
        return child;
      found = ui_find (child, type, match, data);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static G_GNUC_UNUSED gboolean
ui_match_title (GtkWidget     *widget,
                gconstpointer  data)
{
  return g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static G_GNUC_UNUSED gboolean
ui_match_label (GtkWidget     *widget,
                gconstpointer  data)
{
  return g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), data) == 0;
}

static G_GNUC_UNUSED gboolean
ui_match_button_label (GtkWidget     *widget,
                       gconstpointer  data)
{
  GtkWidget *label;

  if (g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0)
    return TRUE;
  label = ui_find (widget, GTK_TYPE_LABEL, ui_match_label, data);
  return label != NULL;
}

/* An entry row or action row by its title. */
static G_GNUC_UNUSED GtkWidget *
ui_row (GtkWidget  *root,
        const char *title)
{
  GtkWidget *row = ui_find (root, ADW_TYPE_PREFERENCES_ROW, ui_match_title, title);

  g_assert_nonnull (row);
  return row;
}

static G_GNUC_UNUSED GtkWidget *
ui_button (GtkWidget  *root,
           const char *label)
{
  GtkWidget *button = ui_find (root, GTK_TYPE_BUTTON, ui_match_button_label, label);

  g_assert_nonnull (button);
  return button;
}

/* A click, at once (gtk_widget_activate() on a button clicks 250 ms later). */
static G_GNUC_UNUSED void
ui_click (GtkWidget *button)
{
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static G_GNUC_UNUSED void
ui_type (GtkWidget  *root,
         const char *row_title,
         const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (ui_row (root, row_title)), text);
}

static G_GNUC_UNUSED const char *
ui_text (GtkWidget  *root,
         const char *row_title)
{
  return gtk_editable_get_text (GTK_EDITABLE (ui_row (root, row_title)));
}

/* Visible and mapped, as far as the user can tell. */
static G_GNUC_UNUSED gboolean
ui_shown (GtkWidget *widget)
{
  return widget != NULL && gtk_widget_is_visible (widget) && gtk_widget_get_mapped (widget);
}

/* A label the user sees (mapped) whose text holds @text. */
static G_GNUC_UNUSED gboolean
ui_match_shown_label_holding (GtkWidget     *widget,
                              gconstpointer  text)
{
  return gtk_widget_get_mapped (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

static G_GNUC_UNUSED GtkWidget *
ui_shown_label (GtkWidget  *root,
                const char *text)
{
  return ui_find (root, GTK_TYPE_LABEL, ui_match_shown_label_holding, text);
}

/* A button the user sees (mapped), by its label (mnemonic included). */
static G_GNUC_UNUSED gboolean
ui_match_shown_button (GtkWidget     *widget,
                       gconstpointer  label)
{
  return gtk_widget_get_mapped (widget) && ui_match_button_label (widget, label);
}

static G_GNUC_UNUSED GtkWidget *
ui_shown_button (GtkWidget  *root,
                 const char *label)
{
  return ui_find (root, GTK_TYPE_BUTTON, ui_match_shown_button, label);
}

static G_GNUC_UNUSED GtkWindow *
ui_toplevel_of_type (GType type)
{
  g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static G_GNUC_UNUSED gboolean
ui_toplevel_shown (gpointer data)
{
  GtkWindow *window = ui_toplevel_of_type (GPOINTER_TO_SIZE (data));

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window));
}

static G_GNUC_UNUSED gboolean
ui_toplevel_gone (gpointer data)
{
  return ui_toplevel_of_type (GPOINTER_TO_SIZE (data)) == NULL;
}

static G_GNUC_UNUSED gboolean
ui_stack_shows (gpointer data)
{
  GtkWidget *page = data;
  GtkStack *stack = GTK_STACK (ui_find (page, GTK_TYPE_STACK, NULL, NULL));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack),
                    g_object_get_data (G_OBJECT (page), "ui-expected-view")) == 0;
}

/* Waits until the first GtkStack inside @page (a page's state: "loading",
 * "error", "content") shows @view. */
static G_GNUC_UNUSED void
ui_wait_view (GtkWidget  *page,
              const char *view)
{
  g_object_set_data (G_OBJECT (page), "ui-expected-view", (gpointer) view);
  quorum_test_wait_until_what (ui_stack_shows, page, UI_TEST_DEADLINE_SECONDS, view);
}

/* The mapped AdwMessageDialog whose heading is @heading, or NULL. */
static G_GNUC_UNUSED AdwMessageDialog *
ui_message_dialog (const char *heading)
{
  g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_mapped (GTK_WIDGET (window)) &&
          g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (window)), heading) == 0)
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static G_GNUC_UNUSED gboolean
ui_message_dialog_shown (gpointer heading)
{
  return ui_message_dialog (heading) != NULL;
}

static G_GNUC_UNUSED gboolean
ui_message_dialog_gone (gpointer heading)
{
  return ui_message_dialog (heading) == NULL;
}

/* The message dialog headed @heading, once it shows. */
static G_GNUC_UNUSED AdwMessageDialog *
ui_wait_message_dialog (const char *heading)
{
  quorum_test_wait_until (ui_message_dialog_shown, (gpointer) heading, UI_TEST_DEADLINE_SECONDS);
  return ui_message_dialog (heading);
}

/* Waits for the message dialog headed @heading and answers it @response,
 * as a click on that button does. */
static G_GNUC_UNUSED void
ui_answer_message_dialog (const char *heading,
                          const char *response)
{
  AdwMessageDialog *dialog = ui_wait_message_dialog (heading);

  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

typedef struct
{
  QuorumWindow *window;
  const char   *state;
} UiState;

static gboolean
ui_state_reached (gpointer data)
{
  UiState *s = data;

  return g_strcmp0 (quorum_window_get_state (s->window), s->state) == 0 &&
         !quorum_window_is_loading (s->window);
}

/* Waits for the window to settle in @state ("main", "sign-in"…). */
static G_GNUC_UNUSED void
ui_wait_state (QuorumWindow *window,
               const char   *state)
{
  UiState s = { window, state };
  g_autofree char *what = g_strdup_printf ("the window to settle in state \"%s\"", state);

  quorum_test_wait_until_what (ui_state_reached, &s, UI_TEST_DEADLINE_SECONDS, what);
}

typedef struct
{
  QuorumWindow *window;
  const char   *name;
} UiOrganization;

static gboolean
ui_organization_reached (gpointer data)
{
  UiOrganization *o = data;
  QuorumOrganization *organization = quorum_window_get_organization (o->window);

  return organization != NULL && !quorum_window_is_loading (o->window) &&
         g_strcmp0 (quorum_organization_get_name (organization), o->name) == 0 &&
         g_strcmp0 (quorum_window_get_state (o->window), "main") == 0;
}

/* Waits until the window shows the organization named @name, loaded. */
static G_GNUC_UNUSED void
ui_wait_organization (QuorumWindow *window,
                      const char   *name)
{
  UiOrganization o = { window, name };
  g_autofree char *what = g_strdup_printf ("the window to show organization \"%s\", loaded", name);

  quorum_test_wait_until_what (ui_organization_reached, &o, UI_TEST_DEADLINE_SECONDS, what);
}

static G_GNUC_UNUSED gboolean
ui_widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

/* The organization switcher in @window's header bar. */
static G_GNUC_UNUSED QuorumOrgSwitcher *
ui_switcher_of (QuorumWindow *window)
{
  GtkWidget *switcher = ui_find (GTK_WIDGET (window), QUORUM_TYPE_ORG_SWITCHER, NULL, NULL);

  g_assert_nonnull (switcher);
  return QUORUM_ORG_SWITCHER (switcher);
}

/* The organization called @name in the switcher's list, or NULL. */
static G_GNUC_UNUSED QuorumOrganization *
ui_listed (QuorumOrgSwitcher *switcher,
           const char        *name)
{
  GListModel *organizations = quorum_org_switcher_get_organizations (switcher);

  for (guint i = 0; i < g_list_model_get_n_items (organizations); i++)
    {
      g_autoptr(QuorumOrganization) organization = g_list_model_get_item (organizations, i);

      if (g_strcmp0 (quorum_organization_get_name (organization), name) == 0)
        return organization;  /* the list keeps it */
    }
  return NULL;
}

typedef struct
{
  QuorumOrgSwitcher *switcher;
  const char        *name;
} UiListed;

static G_GNUC_UNUSED gboolean
ui_is_listed (gpointer data)
{
  UiListed *l = data;

  return ui_listed (l->switcher, l->name) != NULL;
}

/* Picks @name in the switcher, as the popover does, once it is listed. */
static G_GNUC_UNUSED void
ui_activate_listed (QuorumWindow *window,
                    const char   *name)
{
  UiListed l = { ui_switcher_of (window), name };

  ui_wait_until (ui_is_listed, &l);
  g_signal_emit_by_name (l.switcher, "organization-activated", ui_listed (l.switcher, name));
}

static G_GNUC_UNUSED GtkPopover *
ui_switcher_popover (QuorumWindow *window)
{
  GtkWidget *button = ui_find (GTK_WIDGET (ui_switcher_of (window)), GTK_TYPE_MENU_BUTTON, NULL, NULL);

  return gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
}

static G_GNUC_UNUSED gboolean
ui_switcher_popover_shown (gpointer window)
{
  return gtk_widget_get_mapped (GTK_WIDGET (ui_switcher_popover (window)));
}

static G_GNUC_UNUSED gboolean
ui_tabs_in_the_header (gpointer data)
{
  GtkWidget *window = data;
  GtkWidget *title = ui_find (window, ADW_TYPE_VIEW_SWITCHER_TITLE, NULL, NULL);
  GtkWidget *bar = ui_find (window, ADW_TYPE_VIEW_SWITCHER_BAR, NULL, NULL);

  return gtk_widget_get_mapped (ui_find (title, ADW_TYPE_VIEW_SWITCHER, NULL, NULL)) &&
         !adw_view_switcher_bar_get_reveal (ADW_VIEW_SWITCHER_BAR (bar));
}

/* At the window's default width (960) the tabs sit in the header bar and
 * the bottom bar stays hidden. (libadwaita 1.2's switcher title keeps them
 * in the bottom bar for good once it saw an empty stack or fewer than two
 * tabs, which start-up and gating can both cause.) */
static G_GNUC_UNUSED void
ui_assert_tabs_in_the_header (QuorumWindow *window)
{
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), >=, 900);
  ui_wait_until (ui_tabs_in_the_header, window);
}

/* Presents the application's window, as a launch would. */
static G_GNUC_UNUSED QuorumWindow *
ui_present (QuorumApplication *app)
{
  GtkWindow *window;

  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (QUORUM_IS_WINDOW (window));
  ui_wait_until (ui_widget_mapped, window);
  return QUORUM_WINDOW (window);
}

/* Closes every window of @app and lets the main loop finish with them. */
static G_GNUC_UNUSED void
ui_close_windows (QuorumApplication *app)
{
  GtkWindow *window;

  while ((window = gtk_application_get_active_window (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (window);
  quorum_test_drain_pending ();
}

/* @account's session token, read back from the keyring, is in no settings
 * key and no file of XDG_CONFIG_HOME or the test HOME (the ui suite runs on
 * the keyfile backend). */
static G_GNUC_UNUSED void
ui_assert_token_not_saved (QuorumAccount *account)
{
  g_autoptr(QuorumAccountStore) store = quorum_account_store_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  quorum_account_store_restore_async (store, account, NULL, ui_store_result, &result);
  token = quorum_account_store_restore_finish (store, ui_wait_result (&result), &error);
  g_assert_no_error (error);
  quorum_test_assert_token_nowhere (token);
}

/* The window with the organization called @name open, as picking it in the
 * switcher does. */
static G_GNUC_UNUSED QuorumWindow *
ui_open_organization (QuorumApplication *app,
                      const char        *name)
{
  QuorumWindow *window = ui_present (app);
  QuorumOrganization *current;

  ui_wait_state (window, "main");
  current = quorum_window_get_organization (window);
  if (current == NULL || g_strcmp0 (quorum_organization_get_name (current), name) != 0)
    ui_activate_listed (window, name);
  ui_wait_organization (window, name);
  return window;
}

static G_GNUC_UNUSED gboolean
ui_billing_shown (gpointer data)
{
  GtkWidget *page = data;
  GtkStack *stack = GTK_STACK (ui_find (page, GTK_TYPE_STACK, NULL, NULL));

  return quorum_billing_page_get_billing (QUORUM_BILLING_PAGE (page)) != NULL &&
         g_strcmp0 (gtk_stack_get_visible_child_name (stack), "content") == 0;
}

/* The window on the organization called @name, its Billing tab (which an
 * owner or admin sees) chosen and loaded: the page. */
static G_GNUC_UNUSED GtkWidget *
ui_open_billing (QuorumApplication *app,
                 const char        *name)
{
  QuorumWindow *window = ui_open_organization (app, name);
  AdwViewStack *stack = ADW_VIEW_STACK (ui_find (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK, NULL, NULL));
  GtkWidget *page = ui_find (GTK_WIDGET (window), QUORUM_TYPE_BILLING_PAGE, NULL, NULL);

  g_assert_nonnull (page);
  g_assert_true (adw_view_stack_page_get_visible (ui_stack_page (stack, page)));
  adw_view_stack_set_visible_child_name (stack, "billing");
  ui_wait_until (ui_billing_shown, page);
  return page;
}

/* Signs @email in through the application's session (keyring included),
 * as the sign-in view would. */
static G_GNUC_UNUSED QuorumAccount *
ui_sign_in (QuorumApplication *app,
            const char        *server,
            const char        *email,
            const char        *password)
{
  QuorumSession *session = quorum_application_get_session (app);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  QuorumAccount *account;

  quorum_session_sign_in_async (session, server, email, password, NULL, ui_store_result, &result);
  account = quorum_session_sign_in_finish (session, ui_wait_result (&result), &error);
  g_assert_no_error (error);
  ui_assert_token_not_saved (account);
  return account;
}

/* The people the tab tests need: Grace Hopper signed up (e-mail verified)
 * with her organization Hopper Labs, and a plain member of Alan Turing's
 * Turing Works, so that the tab can be seen both as its owner and as a
 * member. Returns Grace's e-mail; *out_client is her client and
 * *out_organization her own organization. */
static G_GNUC_UNUSED char *
ui_sign_up_owner_and_member (QuorumTestServer    *server,
                             const char          *password,
                             QuorumClient       **out_client,
                             QuorumOrganization **out_organization)
{
  const char *url = quorum_test_server_get_url (server);
  g_autoptr(QuorumClient) grace = quorum_client_new (url);
  g_autoptr(QuorumClient) alan = quorum_client_new (url);
  g_autofree char *email = quorum_test_unique_email ("grace");
  g_autofree char *alan_email = quorum_test_unique_email ("alan");
  g_autoptr(QuorumUser) user = NULL;
  g_autoptr(QuorumUser) alan_user = NULL;
  g_autoptr(QuorumOrganization) works = NULL;
  g_autoptr(QuorumInvitation) invitation = NULL;
  g_autoptr(GPtrArray) mine = NULL;
  g_autoptr(QuorumOrganization) joined = NULL;
  g_autoptr(GAsyncResult) r0 = NULL;
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(GAsyncResult) r3 = NULL;
  g_autoptr(GAsyncResult) r4 = NULL;
  g_autoptr(GError) error = NULL;

  quorum_client_sign_up_async (grace, "Grace Hopper", email, password, "Hopper Labs", NULL,
                               ui_store_result, &r0);
  user = quorum_client_sign_up_finish (grace, ui_wait_result (&r0), NULL, out_organization, &error);
  g_assert_no_error (error);
  g_assert_true (quorum_test_server_verify_email (server, email, &error));
  g_assert_no_error (error);

  quorum_client_sign_up_async (alan, "Alan Turing", alan_email, password, "Turing Works", NULL,
                               ui_store_result, &r1);
  alan_user = quorum_client_sign_up_finish (alan, ui_wait_result (&r1), NULL, &works, &error);
  g_assert_no_error (error);
  g_assert_true (quorum_test_server_verify_email (server, alan_email, &error));
  quorum_client_create_invitation_async (alan, quorum_organization_get_id (works), email, QUORUM_ROLE_MEMBER,
                                         NULL, NULL, ui_store_result, &r2);
  invitation = quorum_client_create_invitation_finish (alan, ui_wait_result (&r2), &error);
  g_assert_no_error (error);
  quorum_client_list_my_invitations_async (grace, NULL, ui_store_result, &r3);
  mine = quorum_client_list_my_invitations_finish (grace, ui_wait_result (&r3), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mine->len, ==, 1);
  quorum_client_accept_my_invitation_async (grace, quorum_invitation_get_id (g_ptr_array_index (mine, 0)), NULL,
                                            ui_store_result, &r4);
  joined = quorum_client_accept_my_invitation_finish (grace, ui_wait_result (&r4), NULL, &error);
  g_assert_no_error (error);

  *out_client = g_steal_pointer (&grace);
  return g_steal_pointer (&email);
}

/* A client of its own, signed in as @email: "someone else" for the tests. */
static G_GNUC_UNUSED QuorumClient *
ui_other_client (const char *server,
                 const char *email,
                 const char *password)
{
  QuorumClient *client = quorum_client_new (server);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) user = NULL;
  g_autofree char *token = NULL;

  quorum_client_sign_in_async (client, email, password, NULL, ui_store_result, &result);
  user = quorum_client_sign_in_finish (client, ui_wait_result (&result), &token, &error);
  g_assert_no_error (error);
  quorum_client_set_token (client, token);
  return client;
}

/* GTK 4.8 warns when a focused entry goes away without a window manager to
 * move the focus (Xvfb has none): not the app's doing. Every other message
 * keeps the default, fatal treatment. */
static GLogWriterOutput
ui_log_writer (GLogLevelFlags   log_level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0 &&
        strstr (fields[i].value, "did not receive a focus-out event") != NULL)
      return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static G_GNUC_UNUSED void
ui_ignore_focus_out_warnings (void)
{
  g_log_set_writer_func (ui_log_writer, NULL, NULL);
}

/* Starts the application the way the tests need it: not unique, on the
 * in-memory GSettings backend of the test environment. */
static G_GNUC_UNUSED QuorumApplication *
ui_application_new (void)
{
  static guint n;
  g_autoptr(GError) error = NULL;
  QuorumApplication *app = quorum_application_new ();

  /* Another instance in the same process needs its own bus name. */
  if (n++ > 0)
    {
      g_autofree char *id = g_strdup_printf ("%s.Test%u", APPLICATION_ID, n);

      g_application_set_application_id (G_APPLICATION (app), id);
    }

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  return app;
}
