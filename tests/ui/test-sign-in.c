/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-sign-in-page.h"
#include "quorum-ui-test.h"

/*
 * Accounts through the real window against a real quorum-server and the
 * session's keyring: sign in, wrong password, restore at start, a keyring
 * without the token, sign-up, a session ended on the server, sign-out.
 * The tests run in order and build on each other's accounts.
 *
 * Settings live in a keyfile (GSETTINGS_BACKEND=keyfile, XDG_CONFIG_HOME in
 * a throw-away directory), not in memory, so that after sign-in, account
 * switch and sign-out the test can read every byte written to disk and find
 * no session token in any key.
 */

#define PASSWORD "correct horse battery"
#define NAME_PROBLEM "The name cannot hold control characters, line separators or invisible direction marks."

static QuorumApplication *app;
static QuorumTestServer *server;
static char *grace_email;
static char *alan_email;
static char *grace_organization;

/* No session token in any settings key, in XDG_CONFIG_HOME or in HOME. */
#define assert_token_nowhere quorum_test_assert_token_nowhere

static GtkWidget *
sign_in_page (QuorumWindow *window)
{
  GtkWidget *page = ui_find (GTK_WIDGET (window), QUORUM_TYPE_SIGN_IN_PAGE, NULL, NULL);

  g_assert_nonnull (page);
  return page;
}

static GtkWidget *
submit_button (QuorumWindow *window)
{
  GtkWidget *label = ui_find (sign_in_page (window), GTK_TYPE_LABEL, ui_match_label, "_Sign In");

  if (label == NULL)
    label = ui_find (sign_in_page (window), GTK_TYPE_LABEL, ui_match_label, "_Create Account");
  g_assert_nonnull (label);
  return gtk_widget_get_ancestor (label, GTK_TYPE_BUTTON);
}

/* The server's answer (the name's own problem has a label of its own). */
static GtkWidget *
error_label (QuorumWindow *window)
{
  GObject *label = gtk_widget_get_template_child (sign_in_page (window), QUORUM_TYPE_SIGN_IN_PAGE, "error_label");

  g_assert_true (GTK_IS_LABEL (label));
  return GTK_WIDGET (label);
}

static gboolean
error_shown (gpointer data)
{
  return gtk_widget_get_visible (error_label (data)) &&
         *gtk_label_get_label (GTK_LABEL (error_label (data))) != '\0';
}

static gboolean
is_warning_label (GtkWidget     *widget,
                  gconstpointer  data)
{
  return gtk_widget_has_css_class (widget, "warning");
}

static guint
n_accounts (void)
{
  return g_list_model_get_n_items (quorum_session_get_accounts (quorum_application_get_session (app)));
}

static char *
keyring_token (const char *email)
{
  g_autoptr(QuorumAccountStore) store = quorum_account_store_new ();
  g_autoptr(QuorumAccount) account = quorum_account_new (quorum_test_server_get_url (server), email, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *token;

  quorum_account_store_restore_async (store, account, NULL, ui_store_result, &result);
  token = quorum_account_store_restore_finish (store, ui_wait_result (&result), &error);
  if (g_error_matches (error, QUORUM_ACCOUNT_STORE_ERROR, QUORUM_ACCOUNT_STORE_ERROR_NOT_FOUND))
    return NULL;
  g_assert_no_error (error);
  return token;
}

static void
fill_and_submit (QuorumWindow *window,
                 const char   *email,
                 const char   *password)
{
  GtkWidget *page = sign_in_page (window);

  ui_type (page, "Server", quorum_test_server_get_url (server));
  ui_type (page, "E-mail", email);
  ui_type (page, "Password", password);
  g_assert_true (gtk_widget_get_sensitive (submit_button (window)));
  ui_click (submit_button (window));
}

static void
test_starts_with_sign_in (void)
{
  QuorumWindow *window = ui_present (app);
  GtkWidget *page = sign_in_page (window);

  g_assert_cmpstr (quorum_window_get_state (window), ==, "sign-in");
  /* The server the application was pointed at is suggested. */
  g_assert_cmpstr (ui_text (page, "Server"), ==, quorum_test_server_get_url (server));
  /* Nothing to send until the form is complete. */
  g_assert_false (gtk_widget_get_sensitive (submit_button (window)));
  ui_type (page, "E-mail", "not an address");
  ui_type (page, "Password", PASSWORD);
  g_assert_false (gtk_widget_get_sensitive (submit_button (window)));
}

static void
test_wrong_password (void)
{
  QuorumWindow *window = ui_present (app);
  GtkWidget *page = sign_in_page (window);

  fill_and_submit (window, grace_email, "not the password at all");
  ui_wait_until (error_shown, window);

  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (error_label (window))), ==,
                   "The e-mail address or the password is wrong.");
  /* Nothing typed is lost, nothing is stored. */
  g_assert_cmpstr (ui_text (page, "E-mail"), ==, grace_email);
  g_assert_cmpstr (ui_text (page, "Password"), ==, "not the password at all");
  g_assert_cmpstr (quorum_window_get_state (window), ==, "sign-in");
  g_assert_cmpuint (n_accounts (), ==, 0);
  g_assert_null (keyring_token (grace_email));
}

static void
test_sign_in (void)
{
  QuorumWindow *window = ui_present (app);
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GVariant) accounts = NULL;
  g_autofree char *token = NULL;
  const char *account_server, *account_email, *account_name;

  fill_and_submit (window, grace_email, PASSWORD);
  ui_wait_organization (window, grace_organization);

  /* The account is listed in GSettings without anything secret… */
  accounts = g_settings_get_value (settings, "accounts");
  g_assert_cmpuint (g_variant_n_children (accounts), ==, 1);
  g_variant_get_child (accounts, 0, "(&s&s&s)", &account_server, &account_email, &account_name);
  g_assert_cmpstr (account_server, ==, quorum_test_server_get_url (server));
  g_assert_cmpstr (account_email, ==, grace_email);
  g_assert_cmpstr (account_name, ==, "Grace Hopper");

  /* …and its token is in the keyring. */
  token = keyring_token (grace_email);
  g_assert_nonnull (token);
  g_assert_null (strstr (g_variant_print (accounts, TRUE), token));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "sign-out"));
  assert_token_nowhere (token);
}

static void
test_restore_at_start (void)
{
  QuorumWindow *window;

  ui_close_windows (app);
  window = ui_present (app);

  /* Straight to the organization: no sign-in view, no question. */
  g_assert_cmpstr (quorum_window_get_state (window), !=, "sign-in");
  ui_wait_organization (window, grace_organization);
  g_assert_cmpstr (quorum_account_get_email (quorum_window_get_account (window)), ==, grace_email);
}

/* The start in order (docs/performance.md, "Start-up"): the window's first
 * frame shows the start view, with words, and only then is the
 * organization list asked for. The token is already in this session, so
 * without that order the request would start before any frame. */
typedef struct
{
  QuorumWindow *window;
  guint         frames;             /* "paint" phases: the window's surface is drawn in them */
  int           frames_at_request;  /* frames painted when the list was asked for; -1 not yet */
  gboolean      words_at_first_frame;
  char         *state_at_first_frame;
} StartOrder;

static void
start_paint_cb (GdkFrameClock *clock,
                StartOrder    *order)
{
  if (order->frames++ > 0)
    return;
  order->state_at_first_frame = g_strdup (quorum_window_get_state (order->window));
  order->words_at_first_frame = ui_shown_label (GTK_WIDGET (order->window), "Loading organizations…") != NULL;
}

static void
start_list_phase_cb (QuorumRequestState *state,
                     GParamSpec         *pspec,
                     StartOrder         *order)
{
  if (order->frames_at_request < 0 && quorum_request_state_get_phase (state) != QUORUM_REQUEST_PHASE_IDLE)
    order->frames_at_request = order->frames;
}

static void
test_restore_loads_after_first_frame (void)
{
  StartOrder order = { .frames_at_request = -1 };
  GdkFrameClock *clock;

  ui_close_windows (app);
  /* As ui_present (), with the watches set before the main loop runs. */
  g_application_activate (G_APPLICATION (app));
  order.window = QUORUM_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (order.window));
  g_assert_nonnull (clock);
  g_signal_connect (clock, "paint", G_CALLBACK (start_paint_cb), &order);
  g_signal_connect (quorum_window_get_list_state (order.window), "notify::phase",
                    G_CALLBACK (start_list_phase_cb), &order);

  ui_wait_organization (order.window, grace_organization);
  g_signal_handlers_disconnect_by_func (clock, start_paint_cb, &order);
  g_signal_handlers_disconnect_by_func (quorum_window_get_list_state (order.window), start_list_phase_cb, &order);

  g_assert_cmpstr (order.state_at_first_frame, ==, "loading");
  g_assert_true (order.words_at_first_frame);
  g_assert_cmpint (order.frames_at_request, >=, 1);
  g_free (order.state_at_first_frame);
}

static void
test_missing_token_keeps_account (void)
{
  g_autoptr(QuorumAccountStore) store = quorum_account_store_new ();
  g_autoptr(QuorumAccount) account = quorum_account_new (quorum_test_server_get_url (server), grace_email, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  QuorumWindow *window;

  ui_close_windows (app);
  quorum_account_store_remove_async (store, account, NULL, ui_store_result, &result);
  g_assert_true (quorum_account_store_remove_finish (store, ui_wait_result (&result), &error));
  g_assert_no_error (error);

  /* The next start: a new application instance (the old one still holds
   * the token in memory). */
  g_clear_object (&app);  /* the window and its requests may still hold it */
  app = ui_application_new ();
  quorum_application_set_default_server (app, quorum_test_server_get_url (server));
  window = ui_present (app);
  ui_wait_state (window, "sign-in");

  /* Asked to sign in again as the same person; the account is kept. */
  g_assert_cmpstr (ui_text (sign_in_page (window), "E-mail"), ==, grace_email);
  g_assert_cmpuint (n_accounts (), ==, 1);

  fill_and_submit (window, grace_email, PASSWORD);
  ui_wait_organization (window, grace_organization);
  g_assert_nonnull (keyring_token (grace_email));
}

static gboolean
is_primary_menu (GtkWidget     *widget,
                 gconstpointer  data)
{
  return g_strcmp0 (gtk_widget_get_tooltip_text (widget), "Main Menu") == 0;
}

static void
test_sign_up_second_account (void)
{
  QuorumWindow *window = ui_present (app);
  GtkWidget *page;
  GtkWidget *name_label;

  ui_wait_organization (window, grace_organization);
  g_action_group_activate_action (G_ACTION_GROUP (window), "add-account", NULL);
  ui_wait_state (window, "sign-in");
  page = sign_in_page (window);

  ui_click (ui_button (page, "Create an Account"));
  ui_type (page, "Server", quorum_test_server_get_url (server));
  ui_type (page, "E-mail", alan_email);
  ui_type (page, "Password", PASSWORD);

  /* Nothing typed in the name yet: not ready, but nothing to complain of. */
  g_assert_false (gtk_widget_get_sensitive (submit_button (window)));
  g_assert_false (gtk_widget_has_css_class (ui_row (page, "Your Name"), "error"));
  g_assert_null (ui_find (page, GTK_TYPE_LABEL, ui_match_label, NAME_PROBLEM));

  /* A name that hides a right-to-left override (or any character the
   * server refuses in names) is refused as it is typed, and says why. */
  ui_type (page, "Your Name", "Evil\u202e gnirut");
  g_assert_false (gtk_widget_get_sensitive (submit_button (window)));
  g_assert_true (gtk_widget_has_css_class (ui_row (page, "Your Name"), "error"));
  name_label = ui_find (page, GTK_TYPE_LABEL, ui_match_label, NAME_PROBLEM);
  g_assert_nonnull (name_label);
  g_assert_true (ui_shown (name_label));
  ui_type (page, "Your Name", "Line\u2028Separated");
  g_assert_false (gtk_widget_get_sensitive (submit_button (window)));
  g_assert_true (ui_shown (name_label));

  /* Emptied again: the complaint goes with the text. */
  ui_type (page, "Your Name", "");
  g_assert_false (gtk_widget_get_visible (name_label));
  g_assert_false (gtk_widget_has_css_class (ui_row (page, "Your Name"), "error"));

  ui_type (page, "Your Name", "Alan Turing");
  g_assert_false (gtk_widget_get_visible (name_label));
  g_assert_false (gtk_widget_has_css_class (ui_row (page, "Your Name"), "error"));
  ui_type (page, "Password", "short");
  /* The server's password rule is checked while typing. */
  g_assert_false (gtk_widget_get_sensitive (submit_button (window)));
  ui_type (page, "Password", PASSWORD);
  ui_click (submit_button (window));

  /* The server gives a new account an organization of its own, and its
   * tabs sit in the header of the window that showed the sign-in view. */
  ui_wait_state (window, "main");
  ui_assert_tabs_in_the_header (window);
  g_assert_cmpstr (quorum_account_get_email (quorum_window_get_account (window)), ==, alan_email);
  g_assert_cmpuint (n_accounts (), ==, 2);
  g_assert_nonnull (keyring_token (alan_email));

  /* The primary menu lists both accounts, the new one current. */
  {
    GtkWidget *button = ui_find (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON, is_primary_menu, NULL);
    GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));
    g_autoptr(GMenuModel) accounts = g_menu_model_get_item_link (menu, 0, G_MENU_LINK_SECTION);
    g_autofree char *first = NULL;

    g_assert_cmpint (g_menu_model_get_n_items (accounts), ==, 2);
    g_assert_true (g_menu_model_get_item_attribute (accounts, 0, G_MENU_ATTRIBUTE_LABEL, "s", &first));
    g_assert_nonnull (strstr (first, "Alan Turing"));
  }
  {
    GAction *action = g_action_map_lookup_action (G_ACTION_MAP (window), "switch-account");
    g_autoptr(GVariant) state = g_action_get_state (action);
    g_autofree char *key = g_strdup_printf ("%s %s", quorum_test_server_get_url (server), alan_email);

    g_assert_cmpstr (g_variant_get_string (state, NULL), ==, key);
  }

  /* Switching back to the first account needs no password. */
  {
    g_autofree char *key = g_strdup_printf ("%s %s", quorum_test_server_get_url (server), grace_email);

    g_action_group_activate_action (G_ACTION_GROUP (window), "switch-account", g_variant_new_string (key));
    ui_wait_organization (window, grace_organization);
  }

  /* Neither account's token reached the settings or HOME. */
  {
    g_autofree char *grace_token = keyring_token (grace_email);
    g_autofree char *alan_token = keyring_token (alan_email);

    assert_token_nowhere (grace_token);
    assert_token_nowhere (alan_token);
  }
}

static void
test_session_ended_on_server (void)
{
  QuorumWindow *window = ui_present (app);
  g_autofree char *token = keyring_token (grace_email);
  g_autoptr(QuorumClient) elsewhere = quorum_client_new (quorum_test_server_get_url (server));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ui_wait_organization (window, grace_organization);

  /* The same session ended elsewhere (DELETE /sessions/current). */
  quorum_client_set_token (elsewhere, token);
  quorum_client_sign_out_async (elsewhere, NULL, ui_store_result, &result);
  g_assert_true (quorum_client_sign_out_finish (elsewhere, ui_wait_result (&result), &error));
  g_assert_no_error (error);

  /* The next request gets 401: the window asks to sign in again. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "retry", NULL);
  ui_wait_state (window, "sign-in");
  g_assert_cmpstr (ui_text (sign_in_page (window), "E-mail"), ==, grace_email);
  g_assert_cmpuint (n_accounts (), ==, 2);

  fill_and_submit (window, grace_email, PASSWORD);
  ui_wait_organization (window, grace_organization);
}

static void
test_sign_out (void)
{
  QuorumWindow *window = ui_present (app);
  g_autofree char *token = NULL;
  g_autoptr(QuorumClient) client = quorum_client_new (quorum_test_server_get_url (server));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(QuorumUser) me = NULL;
  g_autofree char *alan_token = NULL;

  ui_wait_organization (window, grace_organization);
  token = keyring_token (grace_email);
  g_assert_nonnull (token);
  alan_token = keyring_token (alan_email);
  g_assert_nonnull (alan_token);

  g_action_group_activate_action (G_ACTION_GROUP (window), "sign-out", NULL);

  /* The other account takes over. */
  ui_wait_state (window, "main");
  g_assert_cmpstr (quorum_account_get_email (quorum_window_get_account (window)), ==, alan_email);
  g_assert_cmpuint (n_accounts (), ==, 1);
  g_assert_null (keyring_token (grace_email));

  /* The token no longer works on the server. */
  quorum_client_set_token (client, token);
  quorum_client_get_me_async (client, NULL, ui_store_result, &result);
  me = quorum_client_get_me_finish (client, ui_wait_result (&result), &error);
  g_assert_error (error, QUORUM_API_ERROR, QUORUM_API_ERROR_UNAUTHENTICATED);

  /* Signing out of the last account leads back to the sign-in view. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "sign-out", NULL);
  ui_wait_state (window, "sign-in");
  g_assert_cmpuint (n_accounts (), ==, 0);
  g_assert_null (keyring_token (alan_email));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "sign-out"));
  assert_token_nowhere (token);
  assert_token_nowhere (alan_token);
}

/* Plain http to another computer. 0.0.0.0 is not loopback for the rule,
 * yet on Linux it reaches the test server listening on 127.0.0.1. */
static char *
insecure_url (void)
{
  g_autoptr(GUri) uri = g_uri_parse (quorum_test_server_get_url (server), G_URI_FLAGS_NONE, NULL);

  return g_strdup_printf ("http://0.0.0.0:%d", g_uri_get_port (uri));
}

static gboolean
is_check_labelled (GtkWidget     *widget,
                   gconstpointer  data)
{
  return g_strcmp0 (gtk_check_button_get_label (GTK_CHECK_BUTTON (widget)), data) == 0;
}

static GtkWidget *
insecure_check (QuorumWindow *window)
{
  GtkWidget *check = ui_find (sign_in_page (window), GTK_TYPE_CHECK_BUTTON, is_check_labelled,
                              "Use this insecure server anyway");

  g_assert_nonnull (check);
  return check;
}

static char *
first_account_label (QuorumWindow *window)
{
  GtkWidget *button = ui_find (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON, is_primary_menu, NULL);
  GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));
  g_autoptr(GMenuModel) accounts = g_menu_model_get_item_link (menu, 0, G_MENU_LINK_SECTION);
  char *label = NULL;

  g_assert_true (g_menu_model_get_item_attribute (accounts, 0, G_MENU_ATTRIBUTE_LABEL, "s", &label));
  return label;
}

static void
test_insecure_server (void)
{
  QuorumWindow *window = ui_present (app);
  GtkWidget *page = sign_in_page (window);
  g_autofree char *url = insecure_url ();
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_auto(GStrv) insecure = NULL;
  g_autofree char *label = NULL;
  QuorumClient *client;

  ui_wait_state (window, "sign-in");
  ui_type (page, "E-mail", grace_email);
  ui_type (page, "Password", PASSWORD);

  /* Loopback and https need no choice. */
  ui_type (page, "Server", quorum_test_server_get_url (server));
  g_assert_false (ui_shown (insecure_check (window)));
  g_assert_true (gtk_widget_get_sensitive (submit_button (window)));
  ui_type (page, "Server", "https://quorum.example.org");
  g_assert_false (ui_shown (insecure_check (window)));

  /* Plain http elsewhere: a warning, and nothing is sent without the choice. */
  ui_type (page, "Server", url);
  g_assert_true (ui_shown (insecure_check (window)));
  g_assert_true (ui_shown (ui_find (page, GTK_TYPE_LABEL, is_warning_label, NULL)));
  g_assert_false (gtk_widget_get_sensitive (submit_button (window)));

  gtk_check_button_set_active (GTK_CHECK_BUTTON (insecure_check (window)), TRUE);
  ui_click (submit_button (window));
  ui_wait_organization (window, grace_organization);

  /* The choice stays with the account: in GSettings (not in the keyring)… */
  insecure = g_settings_get_strv (settings, "insecure-servers");
  g_assert_cmpuint (g_strv_length (insecure), ==, 1);
  g_assert_cmpstr (insecure[0], ==, url);
  g_assert_true (quorum_account_get_insecure (quorum_window_get_account (window)));
  client = quorum_session_get_client (quorum_application_get_session (app), quorum_window_get_account (window));
  g_assert_true (quorum_client_get_allow_insecure (client));

  /* …and as a warning in the account's row. */
  label = first_account_label (window);
  g_assert_nonnull (strstr (label, "not encrypted"));

  /* Another start of the app knows it too. */
  {
    g_autoptr(QuorumSession) session = quorum_session_new (settings);
    g_autoptr(QuorumAccount) account = g_list_model_get_item (quorum_session_get_accounts (session), 0);

    g_assert_cmpstr (quorum_account_get_server (account), ==, url);
    g_assert_true (quorum_account_get_insecure (account));
  }

  /* Signed out of its last account, the server needs the choice again. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "sign-out", NULL);
  ui_wait_state (window, "sign-in");
  g_clear_pointer (&insecure, g_strfreev);
  insecure = g_settings_get_strv (settings, "insecure-servers");
  g_assert_cmpuint (g_strv_length (insecure), ==, 0);
}

/*
 * A proxy in front of the test server that can hold answers: a request it
 * received and has not answered is in flight. So the test sees which
 * requests are out together, and what the page says meanwhile, by order of
 * events and never by time.
 */
typedef struct
{
  SoupServer  *server;
  SoupSession *session;
  char        *url;
  gboolean     hold;       /* new answers wait for proxy_release() */
  GPtrArray   *in_flight;  /* of Held */
  GPtrArray   *log;        /* "METHOD /path?query" of every request, in order */
  GPtrArray   *held;       /* every Held, freed with the proxy */
} Proxy;

typedef struct
{
  Proxy             *proxy;
  SoupServerMessage *msg;
  char              *what;
  gboolean           released;
  SoupMessage       *upstream;
  GBytes            *body;     /* the upstream answer, once in */
} Held;

static Proxy *proxy;

static void
held_free (Held *held)
{
  g_object_unref (held->msg);
  g_free (held->what);
  g_clear_object (&held->upstream);
  g_clear_pointer (&held->body, g_bytes_unref);
  g_free (held);
}

static void
copy_header (const char *name,
             const char *value,
             gpointer    user_data)
{
  if (g_ascii_strcasecmp (name, "Content-Length") != 0 &&
      g_ascii_strcasecmp (name, "Transfer-Encoding") != 0 &&
      g_ascii_strcasecmp (name, "Connection") != 0 &&
      g_ascii_strcasecmp (name, "Content-Type") != 0)
    soup_message_headers_append (user_data, name, value);
}

static void
held_deliver (Held *held)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (held->upstream);
  gsize length;
  const char *data = g_bytes_get_data (held->body, &length);

  soup_server_message_set_status (held->msg, soup_message_get_status (held->upstream),
                                  soup_message_get_reason_phrase (held->upstream));
  soup_message_headers_foreach (headers, copy_header, soup_server_message_get_response_headers (held->msg));
  soup_server_message_set_response (held->msg, soup_message_headers_get_content_type (headers, NULL),
                                    SOUP_MEMORY_COPY, data, length);
  soup_server_message_unpause (held->msg);
  g_ptr_array_remove (held->proxy->in_flight, held);
}

static void
upstream_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Held *held = user_data;
  g_autoptr(GError) error = NULL;

  held->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_assert_no_error (error);
  if (held->released || !held->proxy->hold)
    held_deliver (held);
}

static void
proxy_cb (SoupServer        *soup,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  Proxy *self = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *target = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  SoupMessageHeaders *in = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *out;
  Held *held = g_new0 (Held, 1);
  const char *names[] = { "Authorization", "Idempotency-Key", "If-Match", "Accept" };

  held->proxy = self;
  held->msg = g_object_ref (msg);
  held->what = g_strdup_printf ("%s %s%s%s", method, path, g_uri_get_query (uri) != NULL ? "?" : "",
                                g_uri_get_query (uri) != NULL ? g_uri_get_query (uri) : "");
  g_ptr_array_add (self->log, g_strdup (held->what));
  g_ptr_array_add (self->in_flight, held);
  g_ptr_array_add (self->held, held);
  soup_server_message_pause (msg);

  target = g_strconcat (quorum_test_server_get_url (server), held->what + strlen (method) + 1, NULL);
  held->upstream = soup_message_new (method, target);
  out = soup_message_get_request_headers (held->upstream);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (soup_message_headers_get_one (in, names[i]) != NULL)
      soup_message_headers_replace (out, names[i], soup_message_headers_get_one (in, names[i]));
  body = soup_message_body_flatten (request_body);
  if (g_bytes_get_size (body) > 0)
    soup_message_set_request_body_from_bytes (held->upstream, soup_message_headers_get_content_type (in, NULL),
                                              body);
  soup_session_send_and_read_async (self->session, held->upstream, G_PRIORITY_DEFAULT, NULL, upstream_cb, held);
}

static Proxy *
proxy_new (void)
{
  Proxy *self = g_new0 (Proxy, 1);

  self->server = soup_server_new (NULL, NULL);
  self->session = soup_session_new ();
  self->in_flight = g_ptr_array_new_with_free_func (NULL);
  self->held = g_ptr_array_new_with_free_func ((GDestroyNotify) held_free);
  self->log = g_ptr_array_new_with_free_func (g_free);
  soup_server_add_handler (self->server, NULL, proxy_cb, self, NULL);
  self->url = quorum_test_soup_listen (self->server, 0);
  return self;
}

/* Lets every answer now in flight go, as soon as it is in. */
static void
proxy_release (Proxy *self)
{
  g_autoptr(GPtrArray) held = g_ptr_array_copy (self->in_flight, NULL, NULL);

  for (guint i = 0; i < held->len; i++)
    {
      Held *h = held->pdata[i];

      h->released = TRUE;
      if (h->body != NULL)
        held_deliver (h);
    }
}

static gboolean
proxy_has_in_flight (Proxy      *self,
                     const char *what)
{
  for (guint i = 0; i < self->in_flight->len; i++)
    if (g_str_equal (((Held *) self->in_flight->pdata[i])->what, what))
      return TRUE;
  return FALSE;
}

static guint
proxy_count (Proxy      *self,
             const char *what)
{
  guint n = 0;

  for (guint i = 0; i < self->log->len; i++)
    n += g_str_equal (self->log->pdata[i], what);
  return n;
}

/* The organization asked for alone (GET /v1/organizations/<id>) in flight. */
static char *
proxy_organization_in_flight (Proxy *self)
{
  for (guint i = 0; i < self->in_flight->len; i++)
    {
      const char *what = ((Held *) self->in_flight->pdata[i])->what;

      if (g_str_has_prefix (what, "GET /v1/organizations/") &&
          strchr (what + strlen ("GET /v1/organizations/"), '/') == NULL &&
          strchr (what, '?') == NULL)
        return g_strdup (what + strlen ("GET /v1/organizations/"));
    }
  return NULL;
}

static void
proxy_free (Proxy *self)
{
  self->hold = FALSE;
  proxy_release (self);
  quorum_test_wait_for (self->in_flight->len == 0, QUORUM_TEST_WAIT_SECONDS);
  soup_server_disconnect (self->server);
  g_object_unref (self->server);
  g_object_unref (self->session);
  g_ptr_array_unref (self->in_flight);
  g_ptr_array_unref (self->log);
  g_ptr_array_unref (self->held);
  g_free (self->url);
  g_free (self);
}

static GtkLabel *
progress_label (QuorumWindow *window)
{
  GObject *label = gtk_widget_get_template_child (sign_in_page (window), QUORUM_TYPE_SIGN_IN_PAGE,
                                                  "progress_label");

  g_assert_true (GTK_IS_LABEL (label));
  return GTK_LABEL (label);
}

static void
assert_progress (QuorumWindow *window,
                 const char   *words)
{
  GtkLabel *label = progress_label (window);

  g_assert_true (ui_shown (GTK_WIDGET (label)));
  g_assert_cmpstr (gtk_label_get_label (label), ==, words);
  /* Read by screen readers as a status. */
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (label)), ==, GTK_ACCESSIBLE_ROLE_STATUS);
}

/*
 * Signing in at a slow server: the page says what it does, and after the
 * sign-in answer every request that needs no other answer is out at once
 * (organizations, /me, invitations); the organization to open goes out
 * with its members as soon as the list names it. The window then asks
 * the server for none of them again.
 */
static void
test_sign_in_in_parallel (void)
{
  QuorumWindow *window = ui_present (app);
  GtkWidget *page = sign_in_page (window);
  g_autofree char *organization = NULL;
  g_autofree char *get_organization = NULL;
  g_autofree char *get_members = NULL;

  ui_wait_state (window, "sign-in");
  proxy = proxy_new ();
  proxy->hold = TRUE;

  ui_type (page, "Server", proxy->url);
  ui_type (page, "E-mail", grace_email);
  ui_type (page, "Password", PASSWORD);
  ui_click (submit_button (window));

  /* 1. The sign-in answer is held: the page says so. */
  quorum_test_wait_for (proxy_has_in_flight (proxy, "POST /v1/sessions"), QUORUM_TEST_WAIT_SECONDS);
  assert_progress (window, "Signing in…");
  g_assert_cmpuint (proxy->in_flight->len, ==, 1);
  proxy_release (proxy);

  /* 2. Out together, none answered yet: the list, /me and the invitations. */
  quorum_test_wait_for (proxy_has_in_flight (proxy, "GET /v1/organizations?limit=200") &&
                        proxy_has_in_flight (proxy, "GET /v1/me/invitations") &&
                        proxy_has_in_flight (proxy, "GET /v1/me"),
                        QUORUM_TEST_WAIT_SECONDS);
  quorum_test_wait_for (g_str_equal (gtk_label_get_label (progress_label (window)), "Loading organizations…"),
                        QUORUM_TEST_WAIT_SECONDS);
  assert_progress (window, "Loading organizations…");
  g_assert_cmpstr (quorum_window_get_state (window), ==, "sign-in");
  /* The organization to open is not known before the list: not asked yet. */
  organization = proxy_organization_in_flight (proxy);
  g_assert_null (organization);
  proxy_release (proxy);

  /* 3. The list named it: the organization and its members, together. */
  quorum_test_wait_for ((organization = proxy_organization_in_flight (proxy)) != NULL, QUORUM_TEST_WAIT_SECONDS);
  get_organization = g_strdup_printf ("GET /v1/organizations/%s", organization);
  get_members = g_strdup_printf ("GET /v1/organizations/%s/members?limit=%u", organization,
                                 QUORUM_MEMBER_LIST_DEFAULT_PAGE_SIZE);
  quorum_test_wait_for (proxy_has_in_flight (proxy, get_members), QUORUM_TEST_WAIT_SECONDS);
  g_assert_true (proxy_has_in_flight (proxy, get_organization));
  assert_progress (window, "Loading organizations…");

  proxy->hold = FALSE;
  proxy_release (proxy);
  ui_wait_organization (window, grace_organization);
  g_assert_false (ui_shown (GTK_WIDGET (progress_label (window))));

  /* The window found the answers on its way to the organization: the list,
   * the organization and its members were asked for once. (/me and the
   * invitations are asked for again by the window and the switcher once
   * they have a client, whatever was fetched before.) */
  for (guint i = 0; i < proxy->log->len; i++)
    g_test_message ("proxy: %s", (char *) proxy->log->pdata[i]);
  g_assert_cmpuint (proxy_count (proxy, "GET /v1/organizations?limit=200"), ==, 1);
  g_assert_cmpuint (proxy_count (proxy, get_organization), ==, 1);
  g_assert_cmpuint (proxy_count (proxy, get_members), ==, 1);

  g_action_group_activate_action (G_ACTION_GROUP (window), "sign-out", NULL);
  ui_wait_state (window, "sign-in");
  g_clear_pointer (&proxy, proxy_free);
}

static char *
keyring_token_at (const char *url,
                  const char *email)
{
  g_autoptr(QuorumAccountStore) store = quorum_account_store_new ();
  g_autoptr(QuorumAccount) account = quorum_account_new (url, email, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *token;

  quorum_account_store_restore_async (store, account, NULL, ui_store_result, &result);
  token = quorum_account_store_restore_finish (store, ui_wait_result (&result), &error);
  if (g_error_matches (error, QUORUM_ACCOUNT_STORE_ERROR, QUORUM_ACCOUNT_STORE_ERROR_NOT_FOUND))
    return NULL;
  g_assert_no_error (error);
  return token;
}

/*
 * A server that holds the sign-in answer: "Signing in…" first, after 3 s
 * "Still waiting for 127.0.0.1…" with Cancel, at 10 s "127.0.0.1 is not
 * answering". Cancel gives the form back as typed (e-mail and password),
 * signs no one in and stores nothing in the keyring, even when the answer
 * comes afterwards; signing in again then works.
 */
static void
test_sign_in_cancel_while_waiting (void)
{
  QuorumWindow *window = ui_present (app);
  GtkWidget *page = sign_in_page (window);
  guint accounts_before = n_accounts ();
  g_autofree char *token = NULL;

  ui_wait_state (window, "sign-in");
  proxy = proxy_new ();
  proxy->hold = TRUE;

  ui_type (page, "Server", proxy->url);
  ui_type (page, "E-mail", grace_email);
  ui_type (page, "Password", PASSWORD);
  ui_click (submit_button (window));

  quorum_test_wait_for (proxy_has_in_flight (proxy, "POST /v1/sessions"), QUORUM_TEST_WAIT_SECONDS);
  assert_progress (window, "Signing in…");
  g_assert_null (ui_shown_label (page, "Still waiting"));

  quorum_test_wait_for (ui_shown_label (page, "Still waiting for 127.0.0.1…") != NULL, 10);
  assert_progress (window, "Signing in…");
  g_assert_nonnull (ui_shown_button (page, "_Cancel"));
  g_assert_false (gtk_widget_get_sensitive (submit_button (window)));

  quorum_test_wait_for (ui_shown_label (page, "127.0.0.1 is not answering") != NULL, 15);
  g_assert_null (ui_shown_label (page, "Offline"));
  g_assert_nonnull (ui_shown_button (page, "_Cancel"));

  /* Cancel: the form as typed, no one signed in. */
  ui_click (ui_shown_button (page, "_Cancel"));
  g_assert_null (ui_shown_label (page, "is not answering"));
  g_assert_false (ui_shown (GTK_WIDGET (progress_label (window))));
  g_assert_cmpstr (ui_text (page, "E-mail"), ==, grace_email);
  g_assert_cmpstr (ui_text (page, "Password"), ==, PASSWORD);
  g_assert_true (gtk_widget_get_sensitive (submit_button (window)));
  g_assert_cmpstr (quorum_window_get_state (window), ==, "sign-in");

  /* The answer comes after all: still no one signed in, nothing stored. */
  proxy->hold = FALSE;
  proxy_release (proxy);
  quorum_test_wait_for (proxy->in_flight->len == 0, QUORUM_TEST_WAIT_SECONDS);
  g_assert_cmpuint (n_accounts (), ==, accounts_before);
  token = keyring_token_at (proxy->url, grace_email);
  g_assert_null (token);
  g_assert_cmpstr (quorum_window_get_state (window), ==, "sign-in");

  /* Signing in again works. */
  ui_click (submit_button (window));
  ui_wait_organization (window, grace_organization);
  g_assert_cmpuint (n_accounts (), ==, accounts_before + 1);

  g_action_group_activate_action (G_ACTION_GROUP (window), "sign-out", NULL);
  ui_wait_state (window, "sign-in");
  g_clear_pointer (&proxy, proxy_free);
}

static gboolean
token_gone_at (const char *url,
               const char *email)
{
  g_autofree char *token = keyring_token_at (url, email);

  return token == NULL;
}

/*
 * Cancel while the organizations load, after the sign-in answered and the
 * keyring stored the session: the form comes back with the password, and
 * the account is signed out again — not in the list, not in the keyring.
 */
static void
test_sign_in_cancel_while_loading (void)
{
  QuorumWindow *window = ui_present (app);
  GtkWidget *page = sign_in_page (window);
  guint accounts_before = n_accounts ();
  g_autofree char *stored = NULL;

  ui_wait_state (window, "sign-in");
  proxy = proxy_new ();
  proxy->hold = TRUE;

  ui_type (page, "Server", proxy->url);
  ui_type (page, "E-mail", grace_email);
  ui_type (page, "Password", PASSWORD);
  ui_click (submit_button (window));

  quorum_test_wait_for (proxy_has_in_flight (proxy, "POST /v1/sessions"), QUORUM_TEST_WAIT_SECONDS);
  proxy_release (proxy);
  quorum_test_wait_for (proxy_has_in_flight (proxy, "GET /v1/organizations?limit=200"), QUORUM_TEST_WAIT_SECONDS);
  quorum_test_wait_for (n_accounts () == accounts_before + 1, QUORUM_TEST_WAIT_SECONDS);
  stored = keyring_token_at (proxy->url, grace_email);
  g_assert_nonnull (stored);  /* stored: the case this test is about */
  quorum_test_wait_for (g_str_equal (gtk_label_get_label (progress_label (window)), "Loading organizations…"),
                        QUORUM_TEST_WAIT_SECONDS);
  quorum_test_wait_for (ui_shown_label (page, "Still waiting for 127.0.0.1…") != NULL, 10);
  assert_progress (window, "Loading organizations…");

  ui_click (ui_shown_button (page, "_Cancel"));
  g_assert_false (ui_shown (GTK_WIDGET (progress_label (window))));
  g_assert_cmpstr (ui_text (page, "E-mail"), ==, grace_email);
  g_assert_cmpstr (ui_text (page, "Password"), ==, PASSWORD);
  g_assert_true (gtk_widget_get_sensitive (submit_button (window)));

  /* Signed out again, on the server too once it answers. */
  proxy->hold = FALSE;
  proxy_release (proxy);
  quorum_test_wait_for (n_accounts () == accounts_before, QUORUM_TEST_WAIT_SECONDS);
  quorum_test_wait_for (token_gone_at (proxy->url, grace_email), QUORUM_TEST_WAIT_SECONDS);
  g_assert_cmpstr (quorum_window_get_state (window), ==, "sign-in");
  assert_token_nowhere (stored);
  g_clear_pointer (&proxy, proxy_free);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  int ret;

  /* Before anything reads the settings or caches the config dir. */
  quorum_test_settings_init ();

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  server = quorum_test_server_start (NULL, &error);
  g_assert_no_error (error);
  grace_email = quorum_test_unique_email ("grace");
  alan_email = quorum_test_unique_email ("alan");
  token = quorum_test_server_sign_up (server, "Grace Hopper", grace_email, PASSWORD, &error);
  g_assert_no_error (error);

  app = ui_application_new ();
  quorum_application_set_default_server (app, quorum_test_server_get_url (server));

  /* Grace's organization, the one the server made at sign-up. */
  {
    g_autoptr(QuorumClient) client = quorum_client_new (quorum_test_server_get_url (server));
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GPtrArray) organizations = NULL;

    quorum_client_set_token (client, token);
    quorum_client_list_organizations_async (client, NULL, ui_store_result, &result);
    organizations = quorum_client_list_organizations_finish (client, ui_wait_result (&result), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (organizations->len, ==, 1);
    grace_organization = g_strdup (quorum_organization_get_name (g_ptr_array_index (organizations, 0)));
  }

  g_test_add_func ("/ui/sign-in/starts-with-sign-in", test_starts_with_sign_in);
  g_test_add_func ("/ui/sign-in/wrong-password", test_wrong_password);
  g_test_add_func ("/ui/sign-in/sign-in", test_sign_in);
  g_test_add_func ("/ui/sign-in/restore-at-start", test_restore_at_start);
  g_test_add_func ("/ui/sign-in/restore-loads-after-first-frame", test_restore_loads_after_first_frame);
  g_test_add_func ("/ui/sign-in/missing-token-keeps-account", test_missing_token_keeps_account);
  g_test_add_func ("/ui/sign-in/sign-up-second-account", test_sign_up_second_account);
  g_test_add_func ("/ui/sign-in/session-ended-on-server", test_session_ended_on_server);
  g_test_add_func ("/ui/sign-in/sign-out", test_sign_out);
  g_test_add_func ("/ui/sign-in/insecure-server", test_insecure_server);
  g_test_add_func ("/ui/sign-in/in-parallel", test_sign_in_in_parallel);
  g_test_add_func ("/ui/sign-in/cancel-while-waiting", test_sign_in_cancel_while_waiting);
  g_test_add_func ("/ui/sign-in/cancel-while-loading", test_sign_in_cancel_while_loading);

  ret = g_test_run ();

  ui_close_windows (app);
  g_clear_object (&app);
  quorum_test_server_stop (server);
  g_free (grace_email);
  g_free (alan_email);
  g_free (grace_organization);
  return ret;
}
