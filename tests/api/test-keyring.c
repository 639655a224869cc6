/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "quorum-account-store-private.h"
#include "quorum-api.h"
#include "quorum-test-child.h"
#include "quorum-test-keyring.h"
#include "quorum-test-server.h"
#include "quorum-test-wait.h"
#include "quorum-test-settings.h"

/*
 * QuorumAccountStore against the gnome-keyring of the test session
 * (tools/test-session), and against a session bus without any keyring.
 */

static gboolean
save (QuorumAccountStore  *store,
      QuorumAccount       *account,
      const char          *token,
      GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  quorum_account_store_save_async (store, account, token, NULL, quorum_test_store_result, &result);
  return quorum_account_store_save_finish (store, quorum_test_wait_result (&result), error);
}

static char *
restore (QuorumAccountStore  *store,
         QuorumAccount       *account,
         GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  quorum_account_store_restore_async (store, account, NULL, quorum_test_store_result, &result);
  return quorum_account_store_restore_finish (store, quorum_test_wait_result (&result), error);
}

static gboolean
remove_account (QuorumAccountStore  *store,
                QuorumAccount       *account,
                GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  quorum_account_store_remove_async (store, account, NULL, quorum_test_store_result, &result);
  return quorum_account_store_remove_finish (store, quorum_test_wait_result (&result), error);
}

static GPtrArray *
list (QuorumAccountStore  *store,
      GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  quorum_account_store_list_async (store, NULL, quorum_test_store_result, &result);
  return quorum_account_store_list_finish (store, quorum_test_wait_result (&result), error);
}

static gboolean
listed (GPtrArray     *accounts,
        QuorumAccount *account)
{
  for (guint i = 0; i < accounts->len; i++)
    {
      QuorumAccount *other = g_ptr_array_index (accounts, i);

      if (g_str_equal (quorum_account_get_server (other), quorum_account_get_server (account)) &&
          g_str_equal (quorum_account_get_email (other), quorum_account_get_email (account)))
        return TRUE;
    }
  return FALSE;
}

static void
test_save_restore_remove (void)
{
  g_autoptr(QuorumAccountStore) store = quorum_account_store_new ();
  g_autoptr(QuorumAccount) ada = quorum_account_new ("http://127.0.0.1:8080", "ada@demo.quorum.test", "Ada");
  g_autoptr(QuorumAccount) ada_elsewhere = quorum_account_new ("https://quorum.example.org", "ada@demo.quorum.test", "Ada");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  char *token;

  g_assert_true (save (store, ada, "qrm_s_first", &error));
  g_assert_no_error (error);
  g_assert_true (save (store, ada_elsewhere, "qrm_s_other_server", &error));
  g_assert_no_error (error);
  /* Saving again replaces, never duplicates. */
  g_assert_true (save (store, ada, "qrm_s_second", &error));
  g_assert_no_error (error);

  /* Restored by a new store object, as at the next start of the app. */
  g_clear_object (&store);
  store = quorum_account_store_new ();
  token = restore (store, ada, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "qrm_s_second");
  secret_password_free (token);
  token = restore (store, ada_elsewhere, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "qrm_s_other_server");
  secret_password_free (token);

  accounts = list (store, &error);
  g_assert_no_error (error);
  g_assert_true (listed (accounts, ada));
  g_assert_true (listed (accounts, ada_elsewhere));

  g_assert_true (remove_account (store, ada, &error));
  g_assert_no_error (error);
  token = restore (store, ada, &error);
  g_assert_null (token);
  g_assert_error (error, QUORUM_ACCOUNT_STORE_ERROR, QUORUM_ACCOUNT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The other server's session is untouched. */
  token = restore (store, ada_elsewhere, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "qrm_s_other_server");
  secret_password_free (token);

  /* Removing what is gone is fine. */
  g_assert_true (remove_account (store, ada, &error));
  g_assert_no_error (error);
  g_assert_true (remove_account (store, ada_elsewhere, &error));
  g_assert_no_error (error);
}

/* What other keyring tools see: the schema, the two attributes, the label;
 * the token only as the secret. */
static void
test_item_layout (void)
{
  g_autoptr(QuorumAccountStore) store = quorum_account_store_new ();
  g_autoptr(QuorumAccount) bob = quorum_account_new ("http://127.0.0.1:8080", "bob@example.org", "Bob");
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) query = g_hash_table_new (g_str_hash, g_str_equal);
  GList *items;
  SecretItem *item;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(SecretValue) value = NULL;
  g_autofree char *label = NULL;
  GHashTableIter iter;
  gpointer key, attr_value;

  g_assert_true (save (store, bob, "qrm_s_bobs_token", &error));
  g_assert_no_error (error);

  service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
  g_assert_no_error (error);
  g_hash_table_insert (query, (gpointer) "quorum-email", (gpointer) "bob@example.org");
  items = secret_service_search_sync (service, quorum_account_store_get_schema (), query,
                                      SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                                      NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  item = items->data;

  label = secret_item_get_label (item);
  g_assert_cmpstr (label, ==, "Quorum account bob@example.org on http://127.0.0.1:8080");
  attributes = secret_item_get_attributes (item);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "xdg:schema"), ==, "org.quorumdesk.Quorum.Account");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "quorum-server"), ==, "http://127.0.0.1:8080");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "quorum-email"), ==, "bob@example.org");
  g_hash_table_iter_init (&iter, attributes);
  while (g_hash_table_iter_next (&iter, &key, &attr_value))
    g_assert_null (strstr (attr_value, "qrm_s_"));

  value = secret_item_get_secret (item);
  g_assert_cmpstr (secret_value_get_text (value), ==, "qrm_s_bobs_token");
  g_list_free_full (items, g_object_unref);

  g_assert_true (remove_account (store, bob, &error));
  g_assert_no_error (error);
}

typedef struct
{
  GPtrArray *order;
  guint      index;
} Completion;

static void
save_order_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Completion *completion = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (quorum_account_store_save_finish (QUORUM_ACCOUNT_STORE (object), result, &error));
  g_assert_no_error (error);
  g_ptr_array_add (completion->order, GUINT_TO_POINTER (completion->index));
}

/* Many writes at once, as at the end of a bulk sign-in: each is done, in order. */
static void
test_writes_serialized (void)
{
  g_autoptr(QuorumAccountStore) store = quorum_account_store_new ();
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  Completion completions[20];
  const guint n = G_N_ELEMENTS (completions);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *email = g_strdup_printf ("user%u@example.org", i % 10);
      g_autofree char *token = g_strdup_printf ("qrm_s_token_%u", i);
      QuorumAccount *account = quorum_account_new ("http://127.0.0.1:9999", email, NULL);

      completions[i].order = order;
      completions[i].index = i;
      quorum_account_store_save_async (store, account, token, NULL, save_order_cb, &completions[i]);
      g_ptr_array_add (accounts, account);
    }

  quorum_test_wait_for (order->len >= n, QUORUM_TEST_WAIT_SECONDS);

  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (GPOINTER_TO_UINT (g_ptr_array_index (order, i)), ==, i);

  /* The later write of each account won; none was lost. */
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *expected = g_strdup_printf ("qrm_s_token_%u", i + 10);
      char *token = restore (store, g_ptr_array_index (accounts, i), &error);

      g_assert_no_error (error);
      g_assert_cmpstr (token, ==, expected);
      secret_password_free (token);
      g_assert_true (remove_account (store, g_ptr_array_index (accounts, i), &error));
      g_assert_no_error (error);
    }
}

static void
check_unavailable (void)
{
  g_autoptr(QuorumAccountStore) store = quorum_account_store_new ();
  g_autoptr(QuorumAccount) ada = quorum_account_new ("http://127.0.0.1:8080", "ada@demo.quorum.test", "Ada");
  g_autoptr(GError) error = NULL;
  char *token;

  g_assert_false (save (store, ada, "qrm_s_nowhere", &error));
  g_assert_error (error, QUORUM_ACCOUNT_STORE_ERROR, QUORUM_ACCOUNT_STORE_ERROR_UNAVAILABLE);
  g_assert_null (strstr (error->message, "qrm_s_"));
  g_clear_error (&error);

  /* Never NOT_FOUND: the app must not take it for a signed-out account. */
  token = restore (store, ada, &error);
  g_assert_null (token);
  g_assert_error (error, QUORUM_ACCOUNT_STORE_ERROR, QUORUM_ACCOUNT_STORE_ERROR_UNAVAILABLE);
  g_clear_error (&error);

  g_assert_false (remove_account (store, ada, &error));
  g_assert_error (error, QUORUM_ACCOUNT_STORE_ERROR, QUORUM_ACCOUNT_STORE_ERROR_UNAVAILABLE);
}

/* A session bus of its own, with no Secret Service on it. */
static void
test_no_secret_service (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);

      g_test_dbus_up (bus);
      check_unavailable ();
      secret_service_disconnect ();
      g_test_dbus_stop (bus);
      return;
    }

  quorum_test_run_in_child ();
}

/* No session bus at all. */
static void
test_no_session_bus (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *address = g_strdup_printf ("unix:path=%s/no-such-bus-%d", g_get_tmp_dir (), (int) getpid ());

      g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
      check_unavailable ();
      return;
    }

  quorum_test_run_in_child ();
}

/*
 * A keyring of our own (gnome-keyring on a private bus, with no display and
 * no prompter), locked after a token is saved: restore and save say LOCKED,
 * which the app must not confuse with "no session" (NOT_FOUND).
 */
static void
test_locked (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GTestDBus) bus = NULL;
      g_autoptr(GSubprocess) daemon = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(QuorumAccountStore) store = NULL;
      g_autoptr(QuorumAccount) ada = quorum_account_new ("http://127.0.0.1:8080", "ada@demo.quorum.test", "Ada");
      g_autoptr(SecretService) service = NULL;
      g_autofree char *home = quorum_test_keyring_home_new ();
      GList *collections;
      char *token;

      /* No display: an unlock prompt cannot appear, so it is dismissed. */
      quorum_test_keyring_enter_home (home);
      bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_test_dbus_up (bus);
      daemon = quorum_test_keyring_start (NULL);

      store = quorum_account_store_new ();
      g_assert_true (save (store, ada, "qrm_s_locked_away", &error));
      g_assert_no_error (error);

      service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
      g_assert_no_error (error);
      collections = secret_service_get_collections (service);
      g_assert_cmpint (secret_service_lock_sync (service, collections, NULL, NULL, &error), >, 0);
      g_assert_no_error (error);
      g_list_free_full (collections, g_object_unref);

      token = restore (store, ada, &error);
      g_assert_null (token);
      g_assert_error (error, QUORUM_ACCOUNT_STORE_ERROR, QUORUM_ACCOUNT_STORE_ERROR_LOCKED);
      g_clear_error (&error);

      g_assert_false (save (store, ada, "qrm_s_new", &error));
      g_assert_error (error, QUORUM_ACCOUNT_STORE_ERROR, QUORUM_ACCOUNT_STORE_ERROR_LOCKED);
      g_clear_error (&error);

      g_subprocess_force_exit (daemon);
      g_subprocess_wait (daemon, NULL, NULL);
      g_test_dbus_stop (bus);
      quorum_test_remove_tree (home, NULL);
      /* The bus connection outlives this test by design (libsecret and
       * GDBus singletons); leave without tearing them down. */
      quorum_test_child_leave ();
    }

  quorum_test_run_in_child ();
}

/*
 * The keyring daemon stops and a new one starts while Quorum runs (a crash,
 * a session restart): the next try reconnects and finds the token again,
 * instead of asking the old, gone service for ever.
 */
static void
test_replaced (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GTestDBus) bus = NULL;
      g_autoptr(GSubprocess) first = NULL;
      g_autoptr(GSubprocess) second = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(QuorumAccountStore) store = NULL;
      g_autoptr(QuorumAccount) ada = quorum_account_new ("http://127.0.0.1:8080", "ada@demo.quorum.test", "Ada");
      g_autofree char *home = quorum_test_keyring_home_new ();
      char *token;

      quorum_test_keyring_enter_home (home);
      bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_test_dbus_up (bus);

      first = quorum_test_keyring_start (NULL);
      store = quorum_account_store_new ();
      g_assert_true (save (store, ada, "qrm_s_survives", &error));
      g_assert_no_error (error);
      token = restore (store, ada, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (token, ==, "qrm_s_survives");
      secret_password_free (token);

      /* Gone: the store says so, and that no keyring answers. */
      quorum_test_keyring_stop (first);
      token = restore (store, ada, &error);
      g_assert_null (token);
      g_assert_error (error, QUORUM_ACCOUNT_STORE_ERROR, QUORUM_ACCOUNT_STORE_ERROR_UNAVAILABLE);
      g_clear_error (&error);

      /* A new one with the same keyring file: Retry finds the token. */
      second = quorum_test_keyring_start (NULL);
      token = restore (store, ada, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (token, ==, "qrm_s_survives");
      secret_password_free (token);

      /* And keeps working, for writes too. */
      g_assert_true (save (store, ada, "qrm_s_renewed", &error));
      g_assert_no_error (error);
      token = restore (store, ada, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (token, ==, "qrm_s_renewed");
      secret_password_free (token);

      g_subprocess_force_exit (second);
      g_subprocess_wait (second, NULL, NULL);
      g_test_dbus_stop (bus);
      quorum_test_remove_tree (home, NULL);
      quorum_test_child_leave ();
    }

  quorum_test_run_in_child ();
}

int
main (int   argc,
      char *argv[])
{
  quorum_test_settings_init ();  /* before anything reads settings */
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/api/keyring/save-restore-remove", test_save_restore_remove);
  g_test_add_func ("/api/keyring/item-layout", test_item_layout);
  g_test_add_func ("/api/keyring/writes-serialized", test_writes_serialized);
  g_test_add_func ("/api/keyring/no-secret-service", test_no_secret_service);
  g_test_add_func ("/api/keyring/no-session-bus", test_no_session_bus);
  g_test_add_func ("/api/keyring/locked", test_locked);
  g_test_add_func ("/api/keyring/replaced", test_replaced);

  return g_test_run ();
}
