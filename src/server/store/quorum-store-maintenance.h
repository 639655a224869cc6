/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The store: idempotency keys, purge of expired rows, meta, demo seed.
 * Included by quorum-store.h; include that instead. */

#include <glib.h>

G_BEGIN_DECLS

typedef struct _QsStore QsStore;

G_END_DECLS
