/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * A host name that connects to one address decided beforehand. It is a
 * GNetworkAddress, so TLS sends the name as SNI and checks the certificate
 * against it, but enumerating it (what a socket client does to connect)
 * yields only the pinned address: nothing resolves the name again, so a
 * second DNS answer cannot move the connection elsewhere (DNS rebinding).
 * Given to a SoupSession as its "remote-connectable".
 */

#define QS_TYPE_PINNED_ADDRESS (qs_pinned_address_get_type ())
G_DECLARE_FINAL_TYPE (QsPinnedAddress, qs_pinned_address, QS, PINNED_ADDRESS, GNetworkAddress)

GSocketConnectable *qs_pinned_address_new         (const char   *hostname,
                                                   guint16       port,
                                                   GInetAddress *address);
GInetAddress       *qs_pinned_address_get_address (QsPinnedAddress *self);

G_END_DECLS
