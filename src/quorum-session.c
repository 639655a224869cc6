/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "quorum-core.h"
#include "quorum-session.h"

struct _QuorumSession
{
  GObject             parent_instance;

  GSettings          *settings;
  QuorumAccountStore *store;
  GListStore         *accounts;
  GHashTable         *clients;   /* account key → QuorumClient */
  GHashTable         *insecure_chosen;  /* servers chosen in this run, not yet with an account */
  char               *default_server;
};

G_DEFINE_FINAL_TYPE (QuorumSession, quorum_session, G_TYPE_OBJECT)

static void
token_free (gpointer data)
{
  char *token = data;

  if (token != NULL)
    memset (token, 0, strlen (token));
  g_free (token);
}

char *
quorum_session_account_key (QuorumAccount *account)
{
  g_return_val_if_fail (QUORUM_IS_ACCOUNT (account), NULL);

  return g_strdup_printf ("%s %s", quorum_account_get_server (account), quorum_account_get_email (account));
}

static void
reload_accounts (QuorumSession *self)
{
  g_autoptr(GVariant) value = g_settings_get_value (self->settings, "accounts");
  g_auto(GStrv) insecure = g_settings_get_strv (self->settings, "insecure-servers");
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  GVariantIter iter;
  const char *server, *email, *name;

  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "(&s&s&s)", &server, &email, &name))
    if (*server != '\0' && *email != '\0')
      {
        QuorumAccount *account = quorum_account_new (server, email, name);

        quorum_account_set_insecure (account, quorum_client_url_is_insecure (server) &&
                                              g_strv_contains ((const char * const *) insecure, server));
        g_ptr_array_add (accounts, account);
      }

  g_list_store_splice (self->accounts, 0, g_list_model_get_n_items (G_LIST_MODEL (self->accounts)),
                       accounts->pdata, accounts->len);
}

static void
write_accounts (QuorumSession *self,
                QuorumAccount *first,
                QuorumAccount *without)
{
  g_autofree char *first_key = first != NULL ? quorum_session_account_key (first) : NULL;
  g_autofree char *without_key = without != NULL ? quorum_session_account_key (without) : NULL;
  g_autoptr(GStrvBuilder) insecure = g_strv_builder_new ();
  g_auto(GStrv) insecure_servers = NULL;
  GVariantBuilder builder;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sss)"));
  if (first != NULL)
    {
      g_variant_builder_add (&builder, "(sss)", quorum_account_get_server (first),
                             quorum_account_get_email (first),
                             quorum_account_get_name (first) != NULL ? quorum_account_get_name (first) : "");
      if (quorum_account_get_insecure (first))
        g_strv_builder_add (insecure, quorum_account_get_server (first));
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(QuorumAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);
      g_autofree char *key = quorum_session_account_key (account);

      if (g_strcmp0 (key, first_key) == 0 || g_strcmp0 (key, without_key) == 0)
        continue;
      g_variant_builder_add (&builder, "(sss)", quorum_account_get_server (account),
                             quorum_account_get_email (account),
                             quorum_account_get_name (account) != NULL ? quorum_account_get_name (account) : "");
      if (quorum_account_get_insecure (account))
        g_strv_builder_add (insecure, quorum_account_get_server (account));
    }
  /* Before the accounts: their change reloads the list, which reads this. */
  insecure_servers = g_strv_builder_end (insecure);
  g_settings_set_strv (self->settings, "insecure-servers", (const char * const *) insecure_servers);
  g_settings_set_value (self->settings, "accounts", g_variant_builder_end (&builder));
  reload_accounts (self);
}

static void
accounts_changed_cb (QuorumSession *self)
{
  reload_accounts (self);
}

static void
quorum_session_dispose (GObject *object)
{
  QuorumSession *self = QUORUM_SESSION (object);

  g_clear_pointer (&self->clients, g_hash_table_unref);
  g_clear_pointer (&self->insecure_chosen, g_hash_table_unref);
  g_clear_object (&self->accounts);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (quorum_session_parent_class)->dispose (object);
}

static void
quorum_session_finalize (GObject *object)
{
  g_free (QUORUM_SESSION (object)->default_server);

  G_OBJECT_CLASS (quorum_session_parent_class)->finalize (object);
}

static void
quorum_session_class_init (QuorumSessionClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = quorum_session_dispose;
  G_OBJECT_CLASS (klass)->finalize = quorum_session_finalize;
}

static void
quorum_session_init (QuorumSession *self)
{
  self->default_server = g_strdup (DEFAULT_SERVER_URL);
  self->store = quorum_account_store_new ();
  self->accounts = g_list_store_new (QUORUM_TYPE_ACCOUNT);
  self->clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->insecure_chosen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

QuorumSession *
quorum_session_new (GSettings *settings)
{
  QuorumSession *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (QUORUM_TYPE_SESSION, NULL);
  self->settings = g_object_ref (settings);
  g_signal_connect_object (settings, "changed::accounts", G_CALLBACK (accounts_changed_cb),
                           self, G_CONNECT_SWAPPED);
  reload_accounts (self);

  return self;
}

/**
 * quorum_session_get_accounts:
 *
 * Returns: (transfer none): the accounts, a list of QuorumAccount, the
 *   current one first
 */
GListModel *
quorum_session_get_accounts (QuorumSession *self)
{
  g_return_val_if_fail (QUORUM_IS_SESSION (self), NULL);

  return G_LIST_MODEL (self->accounts);
}

/**
 * quorum_session_find_account:
 * @key: an account key, "<server> <e-mail>"
 *
 * Returns: (transfer none) (nullable): the account
 */
QuorumAccount *
quorum_session_find_account (QuorumSession *self,
                             const char    *key)
{
  guint n;

  g_return_val_if_fail (QUORUM_IS_SESSION (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(QuorumAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);
      g_autofree char *account_key = quorum_session_account_key (account);

      if (g_strcmp0 (account_key, key) == 0)
        return account;  /* the list store keeps its reference */
    }
  return NULL;
}

/**
 * quorum_session_allow_insecure_server:
 * @server: a plain-http server on another computer
 *
 * Records the user's explicit choice to use @server without encryption:
 * the next sign-in or sign-up there may send the password, and the account
 * it adds keeps the choice (and its warning).
 */
void
quorum_session_allow_insecure_server (QuorumSession *self,
                                      const char    *server)
{
  g_autofree char *url = NULL;

  g_return_if_fail (QUORUM_IS_SESSION (self));

  url = quorum_server_url_normalize (server, NULL);
  if (url != NULL && quorum_client_url_is_insecure (url))
    g_hash_table_add (self->insecure_chosen, g_steal_pointer (&url));
}

/**
 * quorum_session_server_is_allowed_insecure:
 *
 * Whether requests to @server may go over plain http: it is loopback or
 * https (nothing to allow), or the user chose it, in this run or for an
 * account on it.
 */
gboolean
quorum_session_server_is_allowed_insecure (QuorumSession *self,
                                           const char    *server)
{
  g_autofree char *url = NULL;
  guint n;

  g_return_val_if_fail (QUORUM_IS_SESSION (self), FALSE);

  url = quorum_server_url_normalize (server, NULL);
  if (url == NULL)
    return FALSE;
  if (!quorum_client_url_is_insecure (url) || g_hash_table_contains (self->insecure_chosen, url))
    return TRUE;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(QuorumAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      if (quorum_account_get_insecure (account) &&
          quorum_server_url_equal (quorum_account_get_server (account), url))
        return TRUE;
    }
  return FALSE;
}

/**
 * quorum_session_has_server:
 * @server: a server URL
 *
 * Returns: whether one of the accounts is on @server (a server the user
 *   chose, so links naming it need no warning)
 */
gboolean
quorum_session_has_server (QuorumSession *self,
                           const char    *server)
{
  guint n;

  g_return_val_if_fail (QUORUM_IS_SESSION (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(QuorumAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      if (quorum_server_url_equal (quorum_account_get_server (account), server))
        return TRUE;
    }
  return FALSE;
}

void
quorum_session_make_current (QuorumSession *self,
                             QuorumAccount *account)
{
  g_autoptr(QuorumAccount) current = NULL;

  g_return_if_fail (QUORUM_IS_SESSION (self));
  g_return_if_fail (QUORUM_IS_ACCOUNT (account));

  /* The list's own first one (every start): nothing to write or reload. */
  current = g_list_model_get_item (G_LIST_MODEL (self->accounts), 0);
  if (current == account)
    return;

  g_object_ref (account);
  write_accounts (self, account, NULL);
  g_object_unref (account);
}

/**
 * quorum_session_get_client:
 *
 * Returns: (transfer none) (nullable): the account's client once its token
 *   was restored or it signed in
 */
QuorumClient *
quorum_session_get_client (QuorumSession *self,
                           QuorumAccount *account)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (QUORUM_IS_SESSION (self), NULL);
  g_return_val_if_fail (QUORUM_IS_ACCOUNT (account), NULL);

  key = quorum_session_account_key (account);
  return g_hash_table_lookup (self->clients, key);
}

static QuorumClient *
add_client (QuorumSession *self,
            QuorumAccount *account,
            QuorumClient  *client,
            const char    *token)
{
  char *key = quorum_session_account_key (account);

  quorum_client_set_token (client, token);
  g_hash_table_replace (self->clients, key, g_object_ref (client));
  return client;
}

/* Restore */

static void
restore_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QuorumSession *self = g_task_get_source_object (task);
  QuorumAccount *account = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autoptr(QuorumClient) client = NULL;

  token = quorum_account_store_restore_finish (QUORUM_ACCOUNT_STORE (object), result, &error);
  if (token == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  client = quorum_client_new (quorum_account_get_server (account));
  quorum_client_set_allow_insecure (client, quorum_account_get_insecure (account));
  add_client (self, account, client, token);
  memset (token, 0, strlen (token));
  g_task_return_pointer (task, g_object_ref (client), g_object_unref);
}

/**
 * quorum_session_restore_async:
 *
 * Finds the account's token in the keyring (without asking the user for
 * anything) and gives the account a signed-in client. A client that is
 * already signed in is returned at once.
 */
void
quorum_session_restore_async (QuorumSession       *self,
                              QuorumAccount       *account,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  QuorumClient *client;

  g_return_if_fail (QUORUM_IS_SESSION (self));
  g_return_if_fail (QUORUM_IS_ACCOUNT (account));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, quorum_session_restore_async);
  g_task_set_task_data (task, g_object_ref (account), g_object_unref);

  client = quorum_session_get_client (self, account);
  if (client != NULL && quorum_client_get_signed_in (client))
    {
      g_task_return_pointer (task, g_object_ref (client), g_object_unref);
      return;
    }

  quorum_account_store_restore_async (self->store, account, cancellable, restore_cb,
                                      g_steal_pointer (&task));
}

QuorumClient *
quorum_session_restore_finish (QuorumSession  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Sign in and sign up */

typedef struct
{
  QuorumClient  *client;
  QuorumAccount *account;
  char          *token;
} SignInData;

static void
sign_in_data_free (SignInData *data)
{
  g_clear_object (&data->client);
  g_clear_object (&data->account);
  token_free (data->token);
  g_free (data);
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QuorumSession *self = g_task_get_source_object (task);
  SignInData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!quorum_account_store_save_finish (QUORUM_ACCOUNT_STORE (object), result, &error))
    {
      /* Never kept anywhere but the keyring: end the session on the server
       * again rather than leave a token nobody can use. */
      quorum_client_sign_out_async (data->client, NULL, NULL, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  add_client (self, data->account, data->client, data->token);
  write_accounts (self, data->account, NULL);
  g_task_return_pointer (task, g_object_ref (data->account), g_object_unref);
}

static void
signed_in (GTask      *task,
           QuorumUser *user,
           char       *token,
           GError     *error)
{
  QuorumSession *self = g_task_get_source_object (task);
  SignInData *data = g_task_get_task_data (task);

  if (user == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  data->token = token;
  data->account = quorum_account_new (quorum_client_get_base_url (data->client),
                                      quorum_user_get_email (user),
                                      quorum_user_get_name (user));
  quorum_account_set_insecure (data->account,
                               quorum_client_url_is_insecure (quorum_client_get_base_url (data->client)));
  quorum_client_set_token (data->client, token);

  /* What the window asks for first, asked for now, all at once and while
   * the keyring stores the token: none of it waits for another answer
   * (the organization to open waits only for the list, when no last one
   * is known). The window's requests then find the answers. */
  {
    g_autofree char *last = quorum_session_dup_last_organization (self, data->account);

    quorum_client_prefetch_organization_to_open (data->client, last);
    quorum_client_prefetch_begin (data->client);
    quorum_client_list_my_invitations_async (data->client, NULL, NULL, NULL);
    quorum_client_prefetch_begin (data->client);
    quorum_client_get_me_async (data->client, NULL, NULL, NULL);
    quorum_client_prefetch_end (data->client);
  }

  quorum_account_store_save_async (self->store, data->account, token,
                                   g_task_get_cancellable (task), saved_cb, task);
}

static void
sign_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError *error = NULL;
  char *token = NULL;
  g_autoptr(QuorumUser) user = NULL;

  user = quorum_client_sign_in_finish (QUORUM_CLIENT (object), result, &token, &error);
  signed_in (user_data, user, token, error);
}

static void
sign_up_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError *error = NULL;
  char *token = NULL;
  g_autoptr(QuorumUser) user = NULL;
  g_autoptr(QuorumOrganization) organization = NULL;

  user = quorum_client_sign_up_finish (QUORUM_CLIENT (object), result, &token, &organization, &error);
  signed_in (user_data, user, token, error);
}

static void
reset_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GError *error = NULL;
  char *token = NULL;
  g_autoptr(QuorumUser) user = NULL;

  user = quorum_client_confirm_password_reset_finish (QUORUM_CLIENT (object), result, &token, &error);
  signed_in (user_data, user, token, error);
}

static GTask *
sign_in_task_new (QuorumSession        *self,
                  const char           *server,
                  gpointer              source_tag,
                  GCancellable         *cancellable,
                  GAsyncReadyCallback   callback,
                  gpointer              user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = quorum_server_url_normalize (server, &error);
  SignInData *data;

  g_task_set_source_tag (task, source_tag);
  if (url == NULL)
    {
      /* The client's domain: plain words, shown as they are. */
      g_task_return_new_error (task, QUORUM_API_ERROR, QUORUM_API_ERROR_FAILED,
                               _("The server address is not valid"));
      g_object_unref (task);
      return NULL;
    }

  data = g_new0 (SignInData, 1);
  data->client = quorum_client_new (url);
  quorum_client_set_allow_insecure (data->client, quorum_session_server_is_allowed_insecure (self, url));
  g_task_set_task_data (task, data, (GDestroyNotify) sign_in_data_free);
  return task;
}

/**
 * quorum_session_sign_in_async:
 *
 * Signs in, stores the token in the keyring and adds the account to the
 * front of the list. Finish with quorum_session_sign_in_finish().
 */
void
quorum_session_sign_in_async (QuorumSession       *self,
                              const char          *server,
                              const char          *email,
                              const char          *password,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  SignInData *data;

  g_return_if_fail (QUORUM_IS_SESSION (self));
  g_return_if_fail (server != NULL && email != NULL && password != NULL);

  task = sign_in_task_new (self, server, quorum_session_sign_in_async, cancellable, callback, user_data);
  if (task == NULL)
    return;
  data = g_task_get_task_data (task);
  quorum_client_sign_in_async (data->client, email, password, cancellable, sign_in_cb, task);
}

void
quorum_session_sign_up_async (QuorumSession       *self,
                              const char          *server,
                              const char          *name,
                              const char          *email,
                              const char          *password,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  SignInData *data;

  g_return_if_fail (QUORUM_IS_SESSION (self));
  g_return_if_fail (server != NULL && name != NULL && email != NULL && password != NULL);

  task = sign_in_task_new (self, server, quorum_session_sign_in_async, cancellable, callback, user_data);
  if (task == NULL)
    return;
  data = g_task_get_task_data (task);
  quorum_client_sign_up_async (data->client, name, email, password, NULL, cancellable, sign_up_cb, task);
}

/**
 * quorum_session_reset_password_async:
 * @server: the server of the reset link
 * @reset_token: the link's `qrm_r_…` token
 *
 * Sets a new password with a reset link's token. The server ends every other
 * session of the user and answers with a new one, which is stored in the
 * keyring exactly as a sign-in's (replacing the account's old token, now
 * dead). Finish with quorum_session_sign_in_finish().
 */
void
quorum_session_reset_password_async (QuorumSession       *self,
                                     const char          *server,
                                     const char          *reset_token,
                                     const char          *password,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;
  SignInData *data;

  g_return_if_fail (QUORUM_IS_SESSION (self));
  g_return_if_fail (server != NULL && reset_token != NULL && password != NULL);

  task = sign_in_task_new (self, server, quorum_session_sign_in_async, cancellable, callback, user_data);
  if (task == NULL)
    return;
  data = g_task_get_task_data (task);
  quorum_client_confirm_password_reset_async (data->client, reset_token, password, cancellable, reset_cb, task);
}

QuorumAccount *
quorum_session_sign_in_finish (QuorumSession  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Sign out */

static void
write_last_organization (QuorumSession *self,
                         const char    *key,
                         const char    *organization_id)
{
  g_autoptr(GVariant) last = g_settings_get_value (self->settings, "last-organizations");
  GVariantBuilder builder;
  GVariantIter iter;
  const char *k, *v;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_iter_init (&iter, last);
  while (g_variant_iter_next (&iter, "{&s&s}", &k, &v))
    if (g_strcmp0 (k, key) != 0)
      g_variant_builder_add (&builder, "{ss}", k, v);
  if (organization_id != NULL)
    g_variant_builder_add (&builder, "{ss}", key, organization_id);
  g_settings_set_value (self->settings, "last-organizations", g_variant_builder_end (&builder));
}

static void
removed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QuorumSession *self = g_task_get_source_object (task);
  QuorumAccount *account = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *key = quorum_session_account_key (account);

  /* "Nothing to remove" is fine; a keyring that cannot be reached is not:
   * the account stays so its token is not orphaned in the keyring. */
  if (!quorum_account_store_remove_finish (QUORUM_ACCOUNT_STORE (object), result, &error) &&
      !g_error_matches (error, QUORUM_ACCOUNT_STORE_ERROR, QUORUM_ACCOUNT_STORE_ERROR_NOT_FOUND))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_hash_table_remove (self->clients, key);
  write_accounts (self, NULL, account);

  write_last_organization (self, key, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
server_signed_out_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  QuorumSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  /* An unreachable server does not keep anyone signed in on this computer. */
  if (!quorum_client_sign_out_finish (QUORUM_CLIENT (object), result, &error))
    g_debug ("Signing out on the server failed: %s", error->message);

  quorum_account_store_remove_async (self->store, g_task_get_task_data (task),
                                     g_task_get_cancellable (task), removed_cb,
                                     g_object_ref (task));
}

/**
 * quorum_session_sign_out_async:
 *
 * Ends the session on the server (best effort), deletes the token from the
 * keyring and then removes the account from the list.
 */
void
quorum_session_sign_out_async (QuorumSession       *self,
                               QuorumAccount       *account,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  QuorumClient *client;

  g_return_if_fail (QUORUM_IS_SESSION (self));
  g_return_if_fail (QUORUM_IS_ACCOUNT (account));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, quorum_session_sign_out_async);
  g_task_set_task_data (task, g_object_ref (account), g_object_unref);

  client = quorum_session_get_client (self, account);
  if (client != NULL && quorum_client_get_signed_in (client))
    quorum_client_sign_out_async (client, cancellable, server_signed_out_cb, g_steal_pointer (&task));
  else
    quorum_account_store_remove_async (self->store, account, cancellable, removed_cb,
                                       g_steal_pointer (&task));
}

gboolean
quorum_session_sign_out_finish (QuorumSession  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Last organization */

char *
quorum_session_dup_last_organization (QuorumSession *self,
                                      QuorumAccount *account)
{
  g_autoptr(GVariant) last = NULL;
  g_autofree char *key = NULL;
  const char *id = NULL;

  g_return_val_if_fail (QUORUM_IS_SESSION (self), NULL);
  g_return_val_if_fail (QUORUM_IS_ACCOUNT (account), NULL);

  key = quorum_session_account_key (account);
  last = g_settings_get_value (self->settings, "last-organizations");
  if (g_variant_lookup (last, key, "&s", &id))
    return g_strdup (id);
  return NULL;
}

void
quorum_session_set_last_organization (QuorumSession *self,
                                      QuorumAccount *account,
                                      const char    *organization_id)
{
  g_autofree char *key = NULL;

  g_return_if_fail (QUORUM_IS_SESSION (self));
  g_return_if_fail (QUORUM_IS_ACCOUNT (account));

  key = quorum_session_account_key (account);
  write_last_organization (self, key, organization_id);
}

/**
 * quorum_session_get_default_server:
 *
 * Returns: the server the sign-in view suggests (`quorum --server URL`,
 *   DEFAULT_SERVER_URL without it)
 */
const char *
quorum_session_get_default_server (QuorumSession *self)
{
  g_return_val_if_fail (QUORUM_IS_SESSION (self), NULL);

  return self->default_server;
}

void
quorum_session_set_default_server (QuorumSession *self,
                                   const char    *url)
{
  g_return_if_fail (QUORUM_IS_SESSION (self));
  g_return_if_fail (url != NULL);

  g_free (self->default_server);
  self->default_server = g_strdup (url);
}
