/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "quorum-account-store-private.h"

/*
 * Session tokens in the keyring through libsecret's simple API, the only one
 * that also works through the Flatpak Secret portal. Operations run one at a
 * time, in the order they were asked for: overlapping writes to the file
 * keyring behind the portal lose items. Nothing here ever writes a token
 * anywhere else, and a failed lookup is never taken to mean "no account".
 */

struct _QuorumAccountStore
{
  GObject   parent_instance;

  GQueue    pending;   /* of GTask */
  GTask    *current;
  gboolean  reconnect; /* the last operation failed: connect afresh first */
};

G_DEFINE_FINAL_TYPE (QuorumAccountStore, quorum_account_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (quorum-account-store-error-quark, quorum_account_store_error)

typedef enum
{
  OP_SAVE,
  OP_RESTORE,
  OP_REMOVE,
  OP_LIST,
} OpKind;

typedef struct
{
  OpKind  kind;
  char   *server;
  char   *email;
  char   *label;
  char   *token;
  gboolean reconnected;  /* already run once more on a fresh connection */
} Op;

static void
op_free (Op *op)
{
  g_free (op->server);
  g_free (op->email);
  g_free (op->label);
  if (op->token != NULL)
    {
      memset (op->token, 0, strlen (op->token));
      g_free (op->token);
    }
  g_free (op);
}

const SecretSchema *
quorum_account_store_get_schema (void)
{
  static const SecretSchema schema = {
    QUORUM_ACCOUNT_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { QUORUM_ACCOUNT_ATTRIBUTE_SERVER, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { QUORUM_ACCOUNT_ATTRIBUTE_EMAIL, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

static void
quorum_account_store_dispose (GObject *object)
{
  QuorumAccountStore *self = QUORUM_ACCOUNT_STORE (object);

  /* Queued tasks hold a reference on the store, so the queue is empty here. */
  g_assert (g_queue_is_empty (&self->pending));

  G_OBJECT_CLASS (quorum_account_store_parent_class)->dispose (object);
}

static void
quorum_account_store_class_init (QuorumAccountStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = quorum_account_store_dispose;
}

static void
quorum_account_store_init (QuorumAccountStore *self)
{
  g_queue_init (&self->pending);
}

QuorumAccountStore *
quorum_account_store_new (void)
{
  return g_object_new (QUORUM_TYPE_ACCOUNT_STORE, NULL);
}

/* Which of our errors a libsecret / D-Bus error is. */
static GError *
map_error (GTask  *task,
           GError *error)
{
  GCancellable *cancellable = g_task_get_cancellable (task);
  QuorumAccountStore *self = g_task_get_source_object (task);

  /* The keyring may have stopped, or been replaced by a new daemon: the
   * cached service (its connection, its session) belongs to the old one.
   * The next operation (a Retry) connects afresh — after a locked keyring
   * too, since the daemon may be replaced while the user reads the
   * message. Only a cancel we asked for keeps the connection. */
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      !g_cancellable_is_cancelled (cancellable))
    self->reconnect = TRUE;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (g_cancellable_is_cancelled (cancellable))
        return g_error_copy (error);
      /* Cancelled without us asking: the unlock prompt was dismissed. */
      return g_error_new_literal (QUORUM_ACCOUNT_STORE_ERROR, QUORUM_ACCOUNT_STORE_ERROR_LOCKED,
                                  _("The keyring is locked"));
    }

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    return g_error_new_literal (QUORUM_ACCOUNT_STORE_ERROR, QUORUM_ACCOUNT_STORE_ERROR_LOCKED,
                                _("The keyring is locked"));

  if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_AUTH_FAILED) ||
      g_error_matches (error, SECRET_ERROR, SECRET_ERROR_PROTOCOL) ||
      g_error_matches (error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT) ||
      g_error_matches (error, SECRET_ERROR, SECRET_ERROR_ALREADY_EXISTS))
    return g_error_new_literal (QUORUM_ACCOUNT_STORE_ERROR, QUORUM_ACCOUNT_STORE_ERROR_REFUSED,
                                _("The keyring refused to keep the session"));

  /* No session bus, nobody owning org.freedesktop.secrets, no portal. */
  return g_error_new_literal (QUORUM_ACCOUNT_STORE_ERROR, QUORUM_ACCOUNT_STORE_ERROR_UNAVAILABLE,
                              _("No keyring is available to keep the session (Secret Service missing)"));
}

static void run_next (QuorumAccountStore *self);

static void
op_return (GTask  *task,
           GError *error)
{
  QuorumAccountStore *self = g_task_get_source_object (task);

  g_assert (self->current == task);
  self->current = NULL;

  if (error != NULL)
    g_task_return_error (task, error);
  /* Otherwise the caller already returned a value. */

  run_next (self);
  g_object_unref (task);
}

/* An error of the connection to the keyring rather than an answer of it:
 * a daemon gone or replaced leaves the cached service talking to nobody
 * ("The session does not exist", no owner, no reply). A refusal is an
 * answer. */
static gboolean
error_is_stale_service (const GError *error)
{
  if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_AUTH_FAILED))
    return FALSE;
  return error->domain == G_DBUS_ERROR ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_DBUS_ERROR) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
}

/* Ends @task with @error — unless the connection was stale: then the
 * operation runs once more, first, on a fresh connection, so a keyring
 * replaced while Quorum runs is found without the user seeing a failure. */
static void
op_fail (GTask  *task,
         GError *error)
{
  QuorumAccountStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  if (!op->reconnected && error_is_stale_service (error) &&
      !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_debug ("Keyring connection stale (%s); connecting afresh", error->message);
      g_error_free (error);
      op->reconnected = TRUE;
      self->reconnect = TRUE;
      g_assert (self->current == task);
      self->current = NULL;
      g_queue_push_head (&self->pending, task);
      run_next (self);
      return;
    }
  {
    GError *mapped = map_error (task, error);

    g_error_free (error);
    op_return (task, mapped);
  }
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      op_fail (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
  op_return (task, NULL);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error: there was nothing to remove, which is success. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    {
      op_fail (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
  op_return (task, NULL);
}

static void
locked_check_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      op_fail (task, g_steal_pointer (&error));
      return;
    }

  if (items != NULL)
    {
      QuorumAccountStore *self = g_task_get_source_object (task);

      /* The item is there but its secret could not be read: locked. The
       * daemon may be replaced before the user retries: connect afresh. */
      self->reconnect = TRUE;
      g_list_free_full (items, g_object_unref);
      op_return (task, g_error_new_literal (QUORUM_ACCOUNT_STORE_ERROR,
                                            QUORUM_ACCOUNT_STORE_ERROR_LOCKED,
                                            _("The keyring is locked")));
      return;
    }

  op_return (task, g_error_new_literal (QUORUM_ACCOUNT_STORE_ERROR,
                                        QUORUM_ACCOUNT_STORE_ERROR_NOT_FOUND,
                                        _("The keyring holds no session for this account")));
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *token;

  token = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      op_fail (task, g_steal_pointer (&error));
      return;
    }

  if (token == NULL)
    {
      /* Not found, or found but still locked? Ask without unlocking. */
      secret_password_search (quorum_account_store_get_schema (), SECRET_SEARCH_ALL,
                              g_task_get_cancellable (task), locked_check_cb, task,
                              QUORUM_ACCOUNT_ATTRIBUTE_SERVER, op->server,
                              QUORUM_ACCOUNT_ATTRIBUTE_EMAIL, op->email,
                              NULL);
      return;
    }

  g_task_return_pointer (task, g_strdup (token), (GDestroyNotify) secret_password_free);
  secret_password_free (token);
  op_return (task, NULL);
}

static void
search_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      op_fail (task, g_steal_pointer (&error));
      return;
    }

  accounts = g_ptr_array_new_with_free_func (g_object_unref);
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      const char *server = g_hash_table_lookup (attributes, QUORUM_ACCOUNT_ATTRIBUTE_SERVER);
      const char *email = g_hash_table_lookup (attributes, QUORUM_ACCOUNT_ATTRIBUTE_EMAIL);

      if (server != NULL && email != NULL)
        g_ptr_array_add (accounts, quorum_account_new (server, email, NULL));
    }
  g_list_free_full (items, g_object_unref);

  g_task_return_pointer (task, g_steal_pointer (&accounts), (GDestroyNotify) g_ptr_array_unref);
  op_return (task, NULL);
}

static void
run_next (QuorumAccountStore *self)
{
  GTask *task;
  GCancellable *cancellable;
  Op *op;

  if (self->current != NULL || g_queue_is_empty (&self->pending))
    return;

  task = self->current = g_queue_pop_head (&self->pending);
  op = g_task_get_task_data (task);
  cancellable = g_task_get_cancellable (task);

  /* Drops the default SecretService the simple API caches, so the call
   * below looks the service up again (a no-op through the portal). */
  if (self->reconnect)
    {
      self->reconnect = FALSE;
      secret_service_disconnect ();
    }

  switch (op->kind)
    {
    case OP_SAVE:
      secret_password_store (quorum_account_store_get_schema (), SECRET_COLLECTION_DEFAULT,
                             op->label, op->token, cancellable, store_cb, task,
                             QUORUM_ACCOUNT_ATTRIBUTE_SERVER, op->server,
                             QUORUM_ACCOUNT_ATTRIBUTE_EMAIL, op->email,
                             NULL);
      break;

    case OP_RESTORE:
      secret_password_lookup (quorum_account_store_get_schema (), cancellable, lookup_cb, task,
                              QUORUM_ACCOUNT_ATTRIBUTE_SERVER, op->server,
                              QUORUM_ACCOUNT_ATTRIBUTE_EMAIL, op->email,
                              NULL);
      break;

    case OP_REMOVE:
      secret_password_clear (quorum_account_store_get_schema (), cancellable, clear_cb, task,
                             QUORUM_ACCOUNT_ATTRIBUTE_SERVER, op->server,
                             QUORUM_ACCOUNT_ATTRIBUTE_EMAIL, op->email,
                             NULL);
      break;

    case OP_LIST:
      secret_password_search (quorum_account_store_get_schema (), SECRET_SEARCH_ALL,
                              cancellable, search_cb, task, NULL);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
enqueue (QuorumAccountStore  *self,
         Op                  *op,
         gpointer             source_tag,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  g_queue_push_tail (&self->pending, task);
  run_next (self);
}

static Op *
op_new (OpKind         kind,
        QuorumAccount *account)
{
  Op *op = g_new0 (Op, 1);

  op->kind = kind;
  if (account != NULL)
    {
      op->server = g_strdup (quorum_account_get_server (account));
      op->email = g_strdup (quorum_account_get_email (account));
      op->label = quorum_account_dup_label (account);
    }
  return op;
}

/**
 * quorum_account_store_save_async:
 * @token: the session token; it goes only into the secret value
 *
 * Stores or replaces the account's token in the default keyring.
 */
void
quorum_account_store_save_async (QuorumAccountStore  *self,
                                 QuorumAccount       *account,
                                 const char          *token,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Op *op;

  g_return_if_fail (QUORUM_IS_ACCOUNT_STORE (self));
  g_return_if_fail (QUORUM_IS_ACCOUNT (account));
  g_return_if_fail (token != NULL && *token != '\0');

  op = op_new (OP_SAVE, account);
  op->token = g_strdup (token);
  enqueue (self, op, quorum_account_store_save_async, cancellable, callback, user_data);
}

gboolean
quorum_account_store_save_finish (QuorumAccountStore  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == quorum_account_store_save_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
quorum_account_store_restore_async (QuorumAccountStore  *self,
                                    QuorumAccount       *account,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (QUORUM_IS_ACCOUNT_STORE (self));
  g_return_if_fail (QUORUM_IS_ACCOUNT (account));

  enqueue (self, op_new (OP_RESTORE, account), quorum_account_store_restore_async,
           cancellable, callback, user_data);
}

/**
 * quorum_account_store_restore_finish:
 *
 * Returns: (transfer full): the token; free it with secret_password_free(),
 *   which wipes it. %QUORUM_ACCOUNT_STORE_ERROR_NOT_FOUND only when the
 *   keyring answered and holds nothing for the account.
 */
char *
quorum_account_store_restore_finish (QuorumAccountStore  *self,
                                     GAsyncResult        *result,
                                     GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == quorum_account_store_restore_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
quorum_account_store_remove_async (QuorumAccountStore  *self,
                                   QuorumAccount       *account,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (QUORUM_IS_ACCOUNT_STORE (self));
  g_return_if_fail (QUORUM_IS_ACCOUNT (account));

  enqueue (self, op_new (OP_REMOVE, account), quorum_account_store_remove_async,
           cancellable, callback, user_data);
}

gboolean
quorum_account_store_remove_finish (QuorumAccountStore  *self,
                                    GAsyncResult        *result,
                                    GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == quorum_account_store_remove_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
quorum_account_store_list_async (QuorumAccountStore  *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (QUORUM_IS_ACCOUNT_STORE (self));

  enqueue (self, op_new (OP_LIST, NULL), quorum_account_store_list_async,
           cancellable, callback, user_data);
}

/**
 * quorum_account_store_list_finish:
 *
 * Returns: (transfer container) (element-type QuorumAccount): the accounts
 *   the keyring holds a token for (server and e-mail; no name, no token)
 */
GPtrArray *
quorum_account_store_list_finish (QuorumAccountStore  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == quorum_account_store_list_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
