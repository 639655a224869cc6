/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * The client's address behind reverse proxies (--trusted-proxy).
 *
 * Only a proxy the operator named is believed: when the TCP peer is one, the
 * client is the right-most address of X-Forwarded-For that is not itself a
 * trusted proxy (each proxy appends the address it was reached from, so
 * whatever a client wrote into the header itself sits to the left of that and
 * is never read). Pure functions, no I/O: the fuzz target calls them.
 */

/* At most this many proxies or networks, and X-Forwarded-For entries read. */
#define QS_TRUSTED_PROXIES_MAX 64
#define QS_FORWARDED_HOPS_MAX  32

/* Appends to @proxies (GInetAddressMask) each "ADDR" or "ADDR/PREFIX" of the
 * comma-separated @spec; FALSE and @error (G_IO_ERROR_INVALID_ARGUMENT,
 * naming the entry) when one is not an IP address or network, or past
 * QS_TRUSTED_PROXIES_MAX. */
gboolean  qs_trusted_proxies_add  (GPtrArray   *proxies,
                                   const char  *spec,
                                   GError     **error);
gboolean  qs_trusted_proxy_match  (GPtrArray   *proxies,
                                   GInetAddress *address);
/* The client's address, in canonical text: @peer when it is no trusted
 * proxy (or @proxies is empty or NULL, or @forwarded_for is NULL); else as
 * above. An entry that is not an IP address ends the walk at the trusted
 * hop before it, as does the QS_FORWARDED_HOPS_MAX limit. */
char     *qs_forwarded_client     (GPtrArray   *proxies,
                                   const char  *peer,
                                   const char  *forwarded_for);

G_END_DECLS
