/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "quorum-store-member-index-private.h"

typedef struct
{
  gint64 last_active;  /* 0: never */
  gint8  rank;
  char   role;
  char  *sort_name;
  char  *id;
  char  *search;
  char   data[];  /* the three strings */
} Entry;

/* One organization's members in the two orders a list can ask for. The
 * entries belong to by_name. */
typedef struct
{
  GPtrArray *by_name;    /* status rank, sort name, id */
  GPtrArray *by_active;  /* last active (never first), sort name, id */
  /* Other connections' changes replayed since the load are newer than it
   * (PostgreSQL: a load between two catch-ups may already hold changes
   * the next one replays; the org is loaded again then). */
  gboolean   settled;
} OrgEntries;

struct _QsMemberIndex
{
  QsDb       *db;
  GHashTable *orgs;     /* org id → OrgEntries */
  GHashTable *touched;  /* org ids changed by the open transaction */
};

/* A position in either order. */
typedef struct
{
  gint64      rank;
  gint64      active;
  const char *sort_name;
  const char *id;
} Key;

static void
org_entries_free (OrgEntries *org)
{
  g_ptr_array_unref (org->by_active);
  g_ptr_array_unref (org->by_name);
  g_free (org);
}

static Entry *
entry_new (gint64      rank,
           const char *role,
           const char *sort_name,
           const char *id,
           const char *search,
           gint64      last_active)
{
  gsize n1 = strlen (sort_name) + 1, n2 = strlen (id) + 1, n3 = strlen (search) + 1;
  Entry *e = g_malloc (sizeof (Entry) + n1 + n2 + n3);

  e->last_active = MAX (last_active, 0);
  e->rank = (gint8) rank;
  e->role = role != NULL ? role[0] : 'm';
  e->sort_name = e->data;
  e->id = e->data + n1;
  e->search = e->data + n1 + n2;
  memcpy (e->sort_name, sort_name, n1);
  memcpy (e->id, id, n2);
  memcpy (e->search, search, n3);
  return e;
}

static Key
entry_key (const Entry *e)
{
  return (Key) { .rank = e->rank, .active = e->last_active, .sort_name = e->sort_name, .id = e->id };
}

/* Same order as ORDER BY status_rank, sort_name, id (BINARY collation), or
 * with by_active ORDER BY COALESCE (last_active_at, 0), sort_name, id. */
static int
compare_key (QsMemberOrder  order,
             const Key     *key,
             const Entry   *e)
{
  int c;

  if (order == QS_MEMBER_ORDER_ACTIVE)
    {
      if (key->active != e->last_active)
        return key->active < e->last_active ? -1 : 1;
    }
  else if (key->rank != e->rank)
    return key->rank < e->rank ? -1 : 1;
  c = strcmp (key->sort_name, e->sort_name);
  if (c != 0)
    return c;
  return strcmp (key->id, e->id);
}

static int
compare_active_cb (gconstpointer a,
                   gconstpointer b)
{
  const Entry *ea = *(const Entry * const *) a;
  Key key = entry_key (ea);

  return compare_key (QS_MEMBER_ORDER_ACTIVE, &key, *(const Entry * const *) b);
}

/* First position whose entry is > key (strictly_after) or >= key. */
static guint
lower_bound (GPtrArray     *entries,
             QsMemberOrder  order,
             const Key     *key,
             gboolean       strictly_after)
{
  guint lo = 0, hi = entries->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      int c = compare_key (order, key, g_ptr_array_index (entries, mid));

      if (c > 0 || (strictly_after && c == 0))
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* The position of exactly key's entry in order, or -1. */
static int
find (GPtrArray     *entries,
      QsMemberOrder  order,
      const Key     *key)
{
  guint pos = lower_bound (entries, order, key, FALSE);

  if (pos < entries->len && compare_key (order, key, g_ptr_array_index (entries, pos)) == 0)
    return (int) pos;
  return -1;
}

/* The copy disagrees with the table: rebuild it on next use. */
static void
out_of_step (QsMemberIndex *index,
             const char    *org_id)
{
  g_hash_table_remove (index->orgs, org_id);
}

static void
remove_entry (QsMemberIndex *index,
              const char    *org_id,
              const Key     *key)
{
  OrgEntries *org = g_hash_table_lookup (index->orgs, org_id);
  Entry *e;
  Key active_key;
  int pos, active_pos;

  if (org == NULL)
    return;
  pos = find (org->by_name, QS_MEMBER_ORDER_NAME, key);
  if (pos < 0)
    {
      out_of_step (index, org_id);
      return;
    }
  e = g_ptr_array_index (org->by_name, pos);
  active_key = entry_key (e);
  active_pos = find (org->by_active, QS_MEMBER_ORDER_ACTIVE, &active_key);
  if (active_pos < 0)
    {
      out_of_step (index, org_id);
      return;
    }
  g_ptr_array_remove_index (org->by_active, active_pos);
  g_ptr_array_remove_index (org->by_name, pos);
}

static void
insert_entry (QsMemberIndex *index,
              const char    *org_id,
              Entry         *e)
{
  OrgEntries *org = g_hash_table_lookup (index->orgs, org_id);
  Key key = entry_key (e);

  if (org == NULL)
    {
      g_free (e);
      return;
    }
  g_ptr_array_insert (org->by_name, lower_bound (org->by_name, QS_MEMBER_ORDER_NAME, &key, FALSE), e);
  g_ptr_array_insert (org->by_active, lower_bound (org->by_active, QS_MEMBER_ORDER_ACTIVE, &key, FALSE), e);
}

/* A change that keeps the member's place by name (a role, or the last
 * activity): moved within by_active only. FALSE when it is not such a
 * change. */
static gboolean
update_in_place (QsMemberIndex *index,
                 const char    *org_id,
                 const Key     *key,
                 const char    *role,
                 const char    *search,
                 gint64         last_active)
{
  OrgEntries *org = g_hash_table_lookup (index->orgs, org_id);
  Entry *e;
  Key old_key;
  int pos, active_pos;

  if (org == NULL)
    return TRUE;
  pos = find (org->by_name, QS_MEMBER_ORDER_NAME, key);
  if (pos < 0)
    return FALSE;
  e = g_ptr_array_index (org->by_name, pos);
  if (strcmp (e->search, search) != 0)
    return FALSE;
  e->role = role[0];
  last_active = MAX (last_active, 0);
  if (e->last_active == last_active)
    return TRUE;
  old_key = entry_key (e);
  active_pos = find (org->by_active, QS_MEMBER_ORDER_ACTIVE, &old_key);
  if (active_pos < 0)
    {
      out_of_step (index, org_id);
      return TRUE;
    }
  g_ptr_array_remove_index (org->by_active, active_pos);
  e->last_active = last_active;
  old_key = entry_key (e);
  g_ptr_array_insert (org->by_active, lower_bound (org->by_active, QS_MEMBER_ORDER_ACTIVE, &old_key, FALSE), e);
  return TRUE;
}

static void
touch (QsMemberIndex *index,
       const char    *text)
{
  if (text != NULL && !g_hash_table_contains (index->touched, text))
    g_hash_table_add (index->touched, g_strdup (text));
}

/* A copy loaded after the last catch-up of other connections' changes
 * may or may not hold the one being replayed: built again on next use. */
static void
unsettled_forget (QsMemberIndex *index,
                  const char    *org_id)
{
  OrgEntries *org = org_id != NULL ? g_hash_table_lookup (index->orgs, org_id) : NULL;

  if (org != NULL && !org->settled)
    g_hash_table_remove (index->orgs, org_id);
}

/* After a catch-up of other connections' changes: every copy is then
 * older than what a later catch-up replays; or, when they could not be
 * replayed, every copy may be wrong. */
static void
caught_up_cb (gboolean exact,
              gpointer user_data)
{
  QsMemberIndex *index = user_data;
  GHashTableIter iter;
  gpointer value;

  if (!exact)
    {
      g_hash_table_remove_all (index->orgs);
      return;
    }
  g_hash_table_iter_init (&iter, index->orgs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((OrgEntries *) value)->settled = TRUE;
}

/* qs_member_changed (old_org, old_rank, old_name, old_id,
 *                    new_org, new_rank, new_name, new_id, new_role, new_search,
 *                    new_last_active) */
static void
member_changed_fn (const QsDbArgs *args,
                   gpointer        user_data)
{
  QsMemberIndex *index = user_data;
  gboolean has_old, has_new;
  Key old_key = { 0 }, new_key = { 0 };

  if (qs_db_args_count (args) != 11)
    return;
  if (qs_db_args_from_other (args))
    {
      /* Committed by another connection: nothing to roll back, but a copy
       * loaded since the last catch-up may hold it already. */
      unsettled_forget (index, qs_db_args_text (args, 0));
      unsettled_forget (index, qs_db_args_text (args, 4));
    }
  else
    {
      touch (index, qs_db_args_text (args, 0));
      touch (index, qs_db_args_text (args, 4));
    }
  has_old = !qs_db_args_is_null (args, 0) && qs_db_args_text (args, 2) && qs_db_args_text (args, 3);
  has_new = !qs_db_args_is_null (args, 4) && qs_db_args_text (args, 6) && qs_db_args_text (args, 7) &&
            qs_db_args_text (args, 8) && qs_db_args_text (args, 9);
  if (has_old)
    old_key = (Key) { .rank = qs_db_args_int64 (args, 1), .sort_name = qs_db_args_text (args, 2),
                      .id = qs_db_args_text (args, 3) };
  if (has_new)
    new_key = (Key) { .rank = qs_db_args_int64 (args, 5), .sort_name = qs_db_args_text (args, 6),
                      .id = qs_db_args_text (args, 7) };

  if (has_old && has_new && strcmp (qs_db_args_text (args, 0), qs_db_args_text (args, 4)) == 0 &&
      old_key.rank == new_key.rank && strcmp (old_key.sort_name, new_key.sort_name) == 0 &&
      strcmp (old_key.id, new_key.id) == 0 &&
      update_in_place (index, qs_db_args_text (args, 4), &new_key, qs_db_args_text (args, 8),
                       qs_db_args_text (args, 9), qs_db_args_int64 (args, 10)))
    return;
  if (has_old)
    remove_entry (index, qs_db_args_text (args, 0), &old_key);
  if (has_new)
    insert_entry (index, qs_db_args_text (args, 4),
                  entry_new (new_key.rank, qs_db_args_text (args, 8), new_key.sort_name, new_key.id,
                             qs_db_args_text (args, 9), qs_db_args_int64 (args, 10)));
}

static void
commit_cb (gpointer user_data)
{
  QsMemberIndex *index = user_data;

  g_hash_table_remove_all (index->touched);
}

/* The index holds the changes of a rolled-back transaction: drop the
 * organizations it touched, to be built again on next use. */
static void
rollback_cb (gpointer user_data)
{
  QsMemberIndex *index = user_data;
  GHashTableIter iter;
  gpointer org_id;

  g_hash_table_iter_init (&iter, index->touched);
  while (g_hash_table_iter_next (&iter, &org_id, NULL))
    g_hash_table_remove (index->orgs, org_id);
  g_hash_table_remove_all (index->touched);
}

static const QsDbHook hooks[] = {
  { "qs_member_changed", 11, member_changed_fn },
};

/* Every change of a member's place in a list calls qs_member_changed ().
 * SQLite backend: TEMP triggers, which live only on this connection, so
 * other tools opening the database never need the C function. */
static const char sqlite_triggers[] =
  "CREATE TEMP TRIGGER qs_members_insert AFTER INSERT ON main.members BEGIN"
  " SELECT qs_member_changed (NULL, NULL, NULL, NULL, NEW.org_id, NEW.status_rank,"
  " NEW.sort_name, NEW.id, NEW.role, NEW.search, NEW.last_active_at); END;"
  "CREATE TEMP TRIGGER qs_members_delete AFTER DELETE ON main.members BEGIN"
  " SELECT qs_member_changed (OLD.org_id, OLD.status_rank, OLD.sort_name, OLD.id,"
  " NULL, NULL, NULL, NULL, NULL, NULL, NULL); END;"
  "CREATE TEMP TRIGGER qs_members_update"
  " AFTER UPDATE OF org_id, role, status_rank, sort_name, search, id, last_active_at"
  " ON main.members BEGIN"
  " SELECT qs_member_changed (OLD.org_id, OLD.status_rank, OLD.sort_name, OLD.id,"
  " NEW.org_id, NEW.status_rank, NEW.sort_name, NEW.id, NEW.role, NEW.search,"
  " NEW.last_active_at); END;";

QsMemberIndex *
qs_member_index_new (QsDb    *db,
                     GError **error)
{
  QsMemberIndex *index = g_new0 (QsMemberIndex, 1);
  QsDbChangeHooks change_hooks = { hooks, G_N_ELEMENTS (hooks), sqlite_triggers, caught_up_cb };
  g_autoptr(GError) local_error = NULL;

  index->db = db;
  index->orgs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) org_entries_free);
  index->touched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!qs_db_install_change_hooks (db, &change_hooks, index, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "member index: %s", local_error->message);
      qs_member_index_free (index);
      return NULL;
    }
  qs_db_set_transaction_hooks (db, commit_cb, rollback_cb, index);
  return index;
}

void
qs_member_index_free (QsMemberIndex *index)
{
  if (index == NULL)
    return;
  qs_db_set_transaction_hooks (index->db, NULL, NULL, NULL);
  g_hash_table_destroy (index->orgs);
  g_hash_table_destroy (index->touched);
  g_free (index);
}


void
qs_member_index_forget (QsMemberIndex *index,
                        const char    *org_id)
{
  g_hash_table_remove (index->orgs, org_id);
}

static OrgEntries *
load (QsMemberIndex *index,
      const char    *org_id)
{
  OrgEntries *org = g_hash_table_lookup (index->orgs, org_id);
  QsStmt *stmt;

  if (org != NULL)
    return org;

  stmt = qs_db_prepare (index->db,
                        "SELECT status_rank, role, sort_name, id, search, COALESCE (last_active_at, 0)"
                        " FROM members WHERE org_id = ?1 ORDER BY status_rank, sort_name, id",
                        "s", org_id);
  if (stmt == NULL)
    return NULL;
  org = g_new0 (OrgEntries, 1);
  org->by_name = g_ptr_array_new_with_free_func (g_free);
  while (qs_stmt_next (stmt))
    g_ptr_array_add (org->by_name, entry_new (qs_stmt_int64 (stmt, 0),
                                              qs_stmt_text (stmt, 1),
                                              qs_stmt_text (stmt, 2),
                                              qs_stmt_text (stmt, 3),
                                              qs_stmt_text (stmt, 4),
                                              qs_stmt_int64 (stmt, 5)));
  qs_stmt_reset (stmt);
  org->by_active = g_ptr_array_copy (org->by_name, NULL, NULL);
  g_ptr_array_set_free_func (org->by_active, NULL);  /* copied with the array */
  g_ptr_array_sort (org->by_active, compare_active_cb);
  g_hash_table_insert (index->orgs, g_strdup (org_id), org);
  return org;
}

static gboolean
matches (const Entry         *e,
         const QsMemberQuery *q)
{
  return (q->role == 0 || e->role == q->role) &&
         (q->rank < 0 || e->rank == q->rank) &&
         (q->inactive_before <= 0 || e->last_active < q->inactive_before) &&
         (q->needle == NULL || strstr (e->search, q->needle) != NULL);
}

gboolean
qs_member_index_query (QsMemberIndex       *index,
                       const char          *org_id,
                       const QsMemberQuery *q,
                       QsMemberPage        *page)
{
  OrgEntries *org = load (index, org_id);
  GPtrArray *entries;
  gboolean filtered = q->role != 0 || q->rank >= 0 || q->inactive_before > 0 || q->needle != NULL;
  /* Counting needs the whole list; otherwise the page ends the scan. */
  gboolean count = filtered && !q->no_total;
  guint start = 0;
  guint skip = 0;
  const Entry *last = NULL;

  memset (page, 0, sizeof *page);
  if (org == NULL)
    return FALSE;
  entries = q->order == QS_MEMBER_ORDER_ACTIVE ? org->by_active : org->by_name;
  page->ids = g_ptr_array_new_with_free_func (g_free);

  if (q->has_cursor)
    {
      Key key = { .rank = q->cursor_rank, .active = q->cursor_active, .sort_name = q->cursor_name,
                  .id = q->cursor_id };

      start = lower_bound (entries, q->order, &key, TRUE);
    }
  if (!filtered)
    {
      page->total = entries->len;
      /* A position without filters is an index into the order: O(1). */
      start = (guint) MIN ((guint64) start + q->offset, entries->len);
    }
  else
    /* With filters the offset-th match is found by the scan (which
     * counts them all anyway unless no_total). */
    skip = q->offset;

  for (guint i = count ? 0 : start; i < entries->len; i++)
    {
      const Entry *e = g_ptr_array_index (entries, i);

      if (filtered && !matches (e, q))
        continue;
      if (count)
        page->total++;
      if (i < start)
        continue;
      if (skip > 0)
        {
          skip--;
          continue;
        }
      if (page->ids->len < q->limit)
        {
          g_ptr_array_add (page->ids, g_strdup (e->id));
          last = e;
        }
      else
        {
          page->more = TRUE;
          if (!count)
            break;
        }
    }

  if (last != NULL)
    {
      page->last_rank = last->rank;
      page->last_active = last->last_active;
      page->last_name = g_strdup (last->sort_name);
      page->last_id = g_strdup (last->id);
    }
  return TRUE;
}

gint64
qs_member_index_count (QsMemberIndex *index,
                       const char    *org_id)
{
  OrgEntries *org = load (index, org_id);

  return org != NULL ? (gint64) org->by_name->len : 0;
}

void
qs_member_page_clear (QsMemberPage *page)
{
  g_clear_pointer (&page->ids, g_ptr_array_unref);
  g_clear_pointer (&page->last_name, g_free);
  g_clear_pointer (&page->last_id, g_free);
}
