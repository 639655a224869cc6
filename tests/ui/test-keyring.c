/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "quorum-test-keyring.h"
#include "quorum-ui-test.h"

/*
 * No keyring at all: the test runs on a D-Bus session bus of its own that
 * offers no Secret Service (and cannot start one). An account listed in
 * GSettings must then get the keyring's own status page with Retry — never
 * the sign-in form as if the session had expired, and never a lost account.
 * Then gnome-keyring daemons are started on that bus, and one replaced by
 * another: Retry must find the sessions again.
 */

#define BUS_CONFIG \
  "<busconfig>\n" \
  "  <type>session</type>\n" \
  "  <listen>unix:dir=%s</listen>\n" \
  "  <policy context=\"default\">\n" \
  "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n" \
  "    <allow eavesdrop=\"true\"/>\n" \
  "    <allow own=\"*\"/>\n" \
  "  </policy>\n" \
  "</busconfig>\n"

static QuorumApplication *app;
static GSubprocess *bus;
static char *bus_dir;

/* A session bus without any service files: nothing can be activated. */
static void
start_bare_bus (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *address = NULL;
  g_autoptr(GDataInputStream) out = NULL;

  bus_dir = g_dir_make_tmp ("quorum-bare-bus-XXXXXX", &error);
  g_assert_no_error (error);
  config = g_strdup_printf (BUS_CONFIG, bus_dir);
  config_path = g_build_filename (bus_dir, "session.conf", NULL);
  g_file_set_contents (config_path, config, -1, &error);
  g_assert_no_error (error);

  bus = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                          "dbus-daemon", "--nofork", "--print-address=1",
                          "--config-file", config_path, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bus));
  address = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (address);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", g_strstrip (address), TRUE);
}

static void
stop_bare_bus (void)
{
  g_autofree char *config_path = g_build_filename (bus_dir, "session.conf", NULL);

  g_subprocess_force_exit (bus);
  g_subprocess_wait (bus, NULL, NULL);
  g_clear_object (&bus);
  g_unlink (config_path);
  quorum_test_remove_tree (bus_dir, NULL);
  g_free (bus_dir);
}

static guint
n_accounts (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GVariant) accounts = g_settings_get_value (settings, "accounts");

  return g_variant_n_children (accounts);
}

static gboolean
keyring_page_after_retry (gpointer data)
{
  QuorumWindow *window = data;

  return g_strcmp0 (quorum_window_get_state (window), "keyring") == 0 &&
         GPOINTER_TO_INT (g_object_get_data (G_OBJECT (window), "retried"));
}

static void
state_changed_cb (GObject    *stack,
                  GParamSpec *pspec,
                  gpointer    window)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (stack)), "loading") == 0)
    g_object_set_data (window, "retried", GINT_TO_POINTER (TRUE));
}

static void
test_no_keyring_is_its_own_state (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  QuorumWindow *window;
  GtkWidget *stack;

  g_settings_set_value (settings, "accounts",
                        g_variant_new_parsed ("[('http://127.0.0.1:9', 'grace@example.com', 'Grace Hopper')]"));

  window = ui_present (app);
  ui_wait_state (window, "keyring");

  /* It says what is wrong and that the account is kept. */
  g_assert_nonnull (strstr (adw_status_page_get_description (
                              ADW_STATUS_PAGE (gtk_widget_get_ancestor (
                                ui_button (GTK_WIDGET (window), "Retry"), ADW_TYPE_STATUS_PAGE))),
                            "Your accounts are kept"));
  g_assert_cmpuint (n_accounts (), ==, 1);
  g_assert_cmpstr (quorum_account_get_email (quorum_window_get_account (window)), ==, "grace@example.com");

  /* Retry asks the keyring again, and still keeps the account. */
  stack = gtk_widget_get_ancestor (ui_button (GTK_WIDGET (window), "Retry"), GTK_TYPE_STACK);
  g_signal_connect (stack, "notify::visible-child-name", G_CALLBACK (state_changed_cb), window);
  g_action_group_activate_action (G_ACTION_GROUP (window), "retry", NULL);
  ui_wait_until (keyring_page_after_retry, window);
  g_assert_cmpuint (n_accounts (), ==, 1);
  g_signal_handlers_disconnect_by_func (stack, state_changed_cb, window);
}

/* States the window reaches once it has read the session (the server,
 * 127.0.0.1:9, is not there: an error page). */
static gboolean
read_the_session (gpointer data)
{
  const char *state = quorum_window_get_state (data);

  return g_strcmp0 (state, "keyring") != 0 && g_strcmp0 (state, "loading") != 0;
}

/* Stores @token for @email by another program (secret-tool). */
static void
store_token (GSubprocessLauncher *launcher,
             const char          *email,
             const char          *token)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) store = NULL;

  store = g_subprocess_launcher_spawn (launcher, &error, "secret-tool", "store", "--label=Quorum test",
                                       "xdg:schema", QUORUM_ACCOUNT_SCHEMA_NAME,
                                       QUORUM_ACCOUNT_ATTRIBUTE_SERVER, "http://127.0.0.1:9",
                                       QUORUM_ACCOUNT_ATTRIBUTE_EMAIL, email, NULL);
  g_assert_no_error (error);
  g_output_stream_write_all (g_subprocess_get_stdin_pipe (store), token, strlen (token), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (g_subprocess_get_stdin_pipe (store), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (store, NULL, &error));
  g_assert_no_error (error);
}

/*
 * The keyring daemon is replaced while Quorum runs (it crashed and was
 * started again): the next account opened reads its session from the new
 * daemon at once — the store meets the stale connection libsecret cached
 * from the old one, connects afresh and asks again, once.
 */
static void
test_keyring_replaced (void)
{
  QuorumWindow *window = ui_present (app);
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GSubprocess) first = NULL;
  g_autoptr(GSubprocess) second = NULL;
  g_autofree char *home = quorum_test_keyring_home_new ();
  g_autoptr(GSubprocessLauncher) launcher = quorum_test_keyring_launcher_new (home);

  ui_wait_state (window, "keyring");

  /* A keyring comes: Retry reads Grace's session from it. */
  first = quorum_test_keyring_start (launcher);
  store_token (launcher, "grace@example.com", "qrm_s_grace_session");
  store_token (launcher, "alan@example.com", "qrm_s_alan_session");
  g_action_group_activate_action (G_ACTION_GROUP (window), "retry", NULL);
  ui_wait_until (read_the_session, window);

  /* It is replaced by another on the same keyring file. */
  g_settings_set_value (settings, "accounts",
                        g_variant_new_parsed ("[('http://127.0.0.1:9', 'grace@example.com', 'Grace Hopper'), "
                                              "('http://127.0.0.1:9', 'alan@example.com', 'Alan Turing')]"));
  quorum_test_keyring_stop (first);
  second = quorum_test_keyring_start (launcher);

  /* Alan's session, asked of the gone daemon's cached connection: the
   * store connects afresh by itself and reads it from the new one. The
   * keyring page would stay until a Retry: the wait would run out. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "switch-account",
                                  g_variant_new_string ("http://127.0.0.1:9 alan@example.com"));
  ui_wait_until (read_the_session, window);
  g_assert_cmpstr (quorum_account_get_email (quorum_window_get_account (window)), ==, "alan@example.com");
  g_assert_nonnull (quorum_session_get_client (quorum_application_get_session (app),
                                               quorum_window_get_account (window)));

  quorum_test_keyring_stop (second);
  quorum_test_remove_tree (home, NULL);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  start_bare_bus ();
  g_setenv ("GTK_A11Y", "none", TRUE);  /* no accessibility bus either */
  quorum_test_settings_init ();  /* before anything reads settings */
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  app = ui_application_new ();

  g_test_add_func ("/ui/keyring/no-keyring-is-its-own-state", test_no_keyring_is_its_own_state);
  g_test_add_func ("/ui/keyring/replaced", test_keyring_replaced);

  ret = g_test_run ();

  ui_close_windows (app);
  g_clear_object (&app);
  stop_bare_bus ();
  return ret;
}
