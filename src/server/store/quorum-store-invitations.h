/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The store: invitations, pending counts, invitations by address.
 * Included by quorum-store.h; include that instead. */

#include <glib.h>

G_BEGIN_DECLS

typedef struct _QsStore QsStore;

G_END_DECLS
