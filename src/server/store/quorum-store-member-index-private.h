/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "quorum-store-db-private.h"

G_BEGIN_DECLS

/*
 * For the store's own files. In-memory order of each organization's
 * members: (status rank, sort name, id) plus role and search text. A cache:
 * built from the members table on first use, kept exact by TEMP triggers on
 * that table that call back into C, and dropped on every rollback, so a
 * members page, its total and a substring search are one scan of memory.
 */

typedef struct _QsMemberIndex QsMemberIndex;

typedef enum
{
  QS_MEMBER_ORDER_NAME,    /* status rank, sort name, id */
  QS_MEMBER_ORDER_ACTIVE,  /* last active (never first), sort name, id */
} QsMemberOrder;

typedef struct
{
  char           role;             /* 'o', 'a', 'm' or 0 for any */
  int            rank;             /* 0 active, 1 suspended, -1 any */
  gint64         inactive_before;  /* > 0: last active before this, or never */
  const char    *needle;           /* case-folded substring of name or e-mail, or NULL */
  QsMemberOrder  order;
  gboolean       no_total;         /* total left 0 (a filtered total costs a whole scan) */
  gboolean       has_cursor;
  gint64         cursor_rank;      /* ORDER_NAME */
  gint64         cursor_active;    /* ORDER_ACTIVE */
  const char    *cursor_name;
  const char    *cursor_id;
  guint          offset;           /* matches to skip (without a cursor) */
  guint          limit;
} QsMemberQuery;

typedef struct
{
  GPtrArray *ids;          /* member ids of the page, in order */
  gint64     total;        /* matches of the filters, whole list */
  gboolean   more;
  gint64     last_rank;
  gint64     last_active;
  char      *last_name;
  char      *last_id;
} QsMemberPage;

QsMemberIndex *qs_member_index_new    (QsDb                *db,
                                       GError             **error);
void           qs_member_index_free   (QsMemberIndex       *index);
void           qs_member_index_forget (QsMemberIndex       *index,
                                       const char          *org_id);
gboolean       qs_member_index_query  (QsMemberIndex       *index,
                                       const char          *org_id,
                                       const QsMemberQuery *query,
                                       QsMemberPage        *page);
gint64         qs_member_index_count  (QsMemberIndex       *index,
                                       const char          *org_id);
void           qs_member_page_clear   (QsMemberPage        *page);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (QsMemberPage, qs_member_page_clear)

G_END_DECLS
