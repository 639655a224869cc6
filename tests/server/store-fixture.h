/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* A store on a fresh database in a temporary directory, for the C store
 * tests: g_test_add (path, StoreFixture, NULL, store_fixture_set_up, func,
 * store_fixture_tear_down). */

#include "quorum-store.h"

G_BEGIN_DECLS

typedef struct
{
  char    *dir;
  char    *path;   /* the database file, to open it again */
  QsStore *store;
} StoreFixture;

void  store_fixture_set_up     (StoreFixture  *f,
                                gconstpointer  data);
void  store_fixture_tear_down  (StoreFixture  *f,
                                gconstpointer  data);

G_END_DECLS
