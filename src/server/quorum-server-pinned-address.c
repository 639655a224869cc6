/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-server-pinned-address.h"

struct _QsPinnedAddress
{
  GNetworkAddress  parent_instance;
  GInetAddress    *address;
};

static void qs_pinned_address_connectable_init (GSocketConnectableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (QsPinnedAddress, qs_pinned_address, G_TYPE_NETWORK_ADDRESS,
                               G_IMPLEMENT_INTERFACE (G_TYPE_SOCKET_CONNECTABLE,
                                                      qs_pinned_address_connectable_init))

static GSocketConnectableIface *parent_connectable_iface;

static GSocketAddressEnumerator *
pinned_enumerate (GSocketConnectable *connectable)
{
  QsPinnedAddress *self = QS_PINNED_ADDRESS (connectable);
  g_autoptr(GSocketAddress) address =
    g_inet_socket_address_new (self->address, g_network_address_get_port (G_NETWORK_ADDRESS (self)));

  /* The enumerator of one socket address yields it once, and holds it. */
  return g_socket_connectable_enumerate (G_SOCKET_CONNECTABLE (address));
}

static char *
pinned_to_string (GSocketConnectable *connectable)
{
  return parent_connectable_iface->to_string (connectable);
}

static void
qs_pinned_address_connectable_init (GSocketConnectableIface *iface)
{
  parent_connectable_iface = g_type_interface_peek_parent (iface);
  iface->enumerate = pinned_enumerate;
  /* No proxy either: a proxy would resolve the name itself. */
  iface->proxy_enumerate = pinned_enumerate;
  iface->to_string = pinned_to_string;
}

static void
qs_pinned_address_finalize (GObject *object)
{
  QsPinnedAddress *self = QS_PINNED_ADDRESS (object);

  g_clear_object (&self->address);
  G_OBJECT_CLASS (qs_pinned_address_parent_class)->finalize (object);
}

static void
qs_pinned_address_class_init (QsPinnedAddressClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = qs_pinned_address_finalize;
}

static void
qs_pinned_address_init (QsPinnedAddress *self)
{
}

GSocketConnectable *
qs_pinned_address_new (const char   *hostname,
                       guint16       port,
                       GInetAddress *address)
{
  QsPinnedAddress *self;

  g_return_val_if_fail (hostname != NULL, NULL);
  g_return_val_if_fail (G_IS_INET_ADDRESS (address), NULL);

  self = g_object_new (QS_TYPE_PINNED_ADDRESS, "hostname", hostname, "port", (guint) port, NULL);
  self->address = g_object_ref (address);
  return G_SOCKET_CONNECTABLE (self);
}

GInetAddress *
qs_pinned_address_get_address (QsPinnedAddress *self)
{
  g_return_val_if_fail (QS_IS_PINNED_ADDRESS (self), NULL);
  return self->address;
}
