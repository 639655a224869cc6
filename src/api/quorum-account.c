/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-account.h"

struct _QuorumAccount
{
  GObject  parent_instance;

  char    *server;
  char    *email;
  char    *name;
  gboolean insecure;
};

G_DEFINE_FINAL_TYPE (QuorumAccount, quorum_account, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SERVER,
  PROP_EMAIL,
  PROP_NAME,
  PROP_INSECURE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
quorum_account_finalize (GObject *object)
{
  QuorumAccount *self = QUORUM_ACCOUNT (object);

  g_clear_pointer (&self->server, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (quorum_account_parent_class)->finalize (object);
}

static void
quorum_account_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  QuorumAccount *self = QUORUM_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_SERVER:
      g_value_set_string (value, self->server);
      break;

    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_INSECURE:
      g_value_set_boolean (value, self->insecure);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_account_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  QuorumAccount *self = QUORUM_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_SERVER:
      self->server = g_value_dup_string (value);
      break;

    case PROP_EMAIL:
      self->email = g_value_dup_string (value);
      break;

    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;

    case PROP_INSECURE:
      quorum_account_set_insecure (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quorum_account_class_init (QuorumAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = quorum_account_finalize;
  object_class->get_property = quorum_account_get_property;
  object_class->set_property = quorum_account_set_property;

  properties[PROP_SERVER] =
    g_param_spec_string ("server", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_INSECURE] =
    g_param_spec_boolean ("insecure", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
quorum_account_init (QuorumAccount *self)
{
}

QuorumAccount *
quorum_account_new (const char *server,
                    const char *email,
                    const char *name)
{
  g_return_val_if_fail (server != NULL, NULL);
  g_return_val_if_fail (email != NULL, NULL);

  return g_object_new (QUORUM_TYPE_ACCOUNT,
                       "server", server,
                       "email", email,
                       "name", name,
                       NULL);
}

const char *
quorum_account_get_server (QuorumAccount *self)
{
  g_return_val_if_fail (QUORUM_IS_ACCOUNT (self), NULL);

  return self->server;
}

const char *
quorum_account_get_email (QuorumAccount *self)
{
  g_return_val_if_fail (QUORUM_IS_ACCOUNT (self), NULL);

  return self->email;
}

const char *
quorum_account_get_name (QuorumAccount *self)
{
  g_return_val_if_fail (QUORUM_IS_ACCOUNT (self), NULL);

  return self->name;
}

/* What keyring managers (Seahorse) show for the item. */
char *
quorum_account_dup_label (QuorumAccount *self)
{
  g_return_val_if_fail (QUORUM_IS_ACCOUNT (self), NULL);

  return g_strdup_printf ("Quorum account %s on %s", self->email, self->server);
}

gboolean
quorum_account_get_insecure (QuorumAccount *self)
{
  g_return_val_if_fail (QUORUM_IS_ACCOUNT (self), FALSE);

  return self->insecure;
}

void
quorum_account_set_insecure (QuorumAccount *self,
                             gboolean       insecure)
{
  g_return_if_fail (QUORUM_IS_ACCOUNT (self));

  insecure = !!insecure;
  if (self->insecure == insecure)
    return;
  self->insecure = insecure;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INSECURE]);
}
