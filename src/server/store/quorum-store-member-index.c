/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "quorum-store-member-index-private.h"

typedef struct
{
  gint8  rank;
  char   role;
  char  *sort_name;
  char  *id;
  char  *search;
  char   data[];  /* the three strings */
} Entry;

struct _QsMemberIndex
{
  QsDb       *db;
  GHashTable *orgs;     /* org id → GPtrArray of Entry, in list order */
  GHashTable *touched;  /* org ids changed by the open transaction */
};

static Entry *
entry_new (gint64      rank,
           const char *role,
           const char *sort_name,
           const char *id,
           const char *search)
{
  gsize n1 = strlen (sort_name) + 1, n2 = strlen (id) + 1, n3 = strlen (search) + 1;
  Entry *e = g_malloc (sizeof (Entry) + n1 + n2 + n3);

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

/* Same order as ORDER BY status_rank, sort_name, id (BINARY collation). */
static int
compare_key (gint64      rank,
             const char *sort_name,
             const char *id,
             const Entry *e)
{
  int c;

  if (rank != e->rank)
    return rank < e->rank ? -1 : 1;
  c = strcmp (sort_name, e->sort_name);
  if (c != 0)
    return c;
  return strcmp (id, e->id);
}

/* First position whose entry is > key (strictly_after) or >= key. */
static guint
lower_bound (GPtrArray  *entries,
             gint64      rank,
             const char *sort_name,
             const char *id,
             gboolean    strictly_after)
{
  guint lo = 0, hi = entries->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      int c = compare_key (rank, sort_name, id, g_ptr_array_index (entries, mid));

      if (c > 0 || (strictly_after && c == 0))
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static void
remove_entry (QsMemberIndex *index,
              const char    *org_id,
              gint64         rank,
              const char    *sort_name,
              const char    *id)
{
  GPtrArray *entries = g_hash_table_lookup (index->orgs, org_id);
  guint pos;

  if (entries == NULL)
    return;
  pos = lower_bound (entries, rank, sort_name, id, FALSE);
  if (pos < entries->len && compare_key (rank, sort_name, id, g_ptr_array_index (entries, pos)) == 0)
    g_ptr_array_remove_index (entries, pos);
  else
    g_hash_table_remove (index->orgs, org_id);  /* out of step: rebuild on next use */
}

static void
insert_entry (QsMemberIndex *index,
              const char    *org_id,
              gint64         rank,
              const char    *role,
              const char    *sort_name,
              const char    *id,
              const char    *search)
{
  GPtrArray *entries = g_hash_table_lookup (index->orgs, org_id);

  if (entries == NULL)
    return;
  g_ptr_array_insert (entries, lower_bound (entries, rank, sort_name, id, FALSE),
                      entry_new (rank, role, sort_name, id, search));
}

static const char *
arg_text (sqlite3_value *value)
{
  return (const char *) sqlite3_value_text (value);
}

static void
touch (QsMemberIndex *index,
       sqlite3_value *org_id)
{
  const char *text = arg_text (org_id);

  if (text != NULL && !g_hash_table_contains (index->touched, text))
    g_hash_table_add (index->touched, g_strdup (text));
}

/* qs_member_changed (old_org, old_rank, old_name, old_id,
 *                    new_org, new_rank, new_name, new_id, new_role, new_search) */
static void
member_changed_fn (sqlite3_context  *context,
                   int               argc,
                   sqlite3_value   **argv)
{
  QsMemberIndex *index = sqlite3_user_data (context);

  if (argc != 10)
    return;
  touch (index, argv[0]);
  touch (index, argv[4]);
  if (sqlite3_value_type (argv[0]) != SQLITE_NULL && arg_text (argv[2]) && arg_text (argv[3]))
    remove_entry (index, arg_text (argv[0]), sqlite3_value_int64 (argv[1]),
                  arg_text (argv[2]), arg_text (argv[3]));
  if (sqlite3_value_type (argv[4]) != SQLITE_NULL && arg_text (argv[6]) && arg_text (argv[7]) &&
      arg_text (argv[9]))
    insert_entry (index, arg_text (argv[4]), sqlite3_value_int64 (argv[5]), arg_text (argv[8]),
                  arg_text (argv[6]), arg_text (argv[7]), arg_text (argv[9]));
  sqlite3_result_null (context);
}

static int
commit_cb (gpointer user_data)
{
  QsMemberIndex *index = user_data;

  g_hash_table_remove_all (index->touched);
  return 0;
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

QsMemberIndex *
qs_member_index_new (QsDb    *db,
                     GError **error)
{
  QsMemberIndex *index = g_new0 (QsMemberIndex, 1);
  char *message = NULL;
  sqlite3 *handle = qs_db_handle (db);

  index->db = db;
  index->orgs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_ptr_array_unref);
  index->touched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* TEMP triggers live only on this connection: other tools opening the
   * database never need the C function. */
  if (sqlite3_create_function (handle, "qs_member_changed", 10, SQLITE_UTF8 | SQLITE_DIRECTONLY,
                               index, member_changed_fn, NULL, NULL) != SQLITE_OK ||
      sqlite3_exec (handle,
                    "CREATE TEMP TRIGGER qs_members_insert AFTER INSERT ON main.members BEGIN"
                    " SELECT qs_member_changed (NULL, NULL, NULL, NULL, NEW.org_id, NEW.status_rank,"
                    " NEW.sort_name, NEW.id, NEW.role, NEW.search); END;"
                    "CREATE TEMP TRIGGER qs_members_delete AFTER DELETE ON main.members BEGIN"
                    " SELECT qs_member_changed (OLD.org_id, OLD.status_rank, OLD.sort_name, OLD.id,"
                    " NULL, NULL, NULL, NULL, NULL, NULL); END;"
                    "CREATE TEMP TRIGGER qs_members_update"
                    " AFTER UPDATE OF org_id, role, status_rank, sort_name, search, id ON main.members BEGIN"
                    " SELECT qs_member_changed (OLD.org_id, OLD.status_rank, OLD.sort_name, OLD.id,"
                    " NEW.org_id, NEW.status_rank, NEW.sort_name, NEW.id, NEW.role, NEW.search); END;",
                    NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "member index: %s",
                   message ? message : sqlite3_errmsg (handle));
      sqlite3_free (message);
      qs_member_index_free (index);
      return NULL;
    }
  sqlite3_commit_hook (handle, commit_cb, index);
  sqlite3_rollback_hook (handle, rollback_cb, index);
  return index;
}

void
qs_member_index_free (QsMemberIndex *index)
{
  if (index == NULL)
    return;
  sqlite3_commit_hook (qs_db_handle (index->db), NULL, NULL);
  sqlite3_rollback_hook (qs_db_handle (index->db), NULL, NULL);
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

static GPtrArray *
load (QsMemberIndex *index,
      const char    *org_id)
{
  GPtrArray *entries = g_hash_table_lookup (index->orgs, org_id);
  sqlite3_stmt *stmt;

  if (entries != NULL)
    return entries;

  stmt = qs_db_prepare (index->db,
                        "SELECT status_rank, role, sort_name, id, search FROM members"
                        " WHERE org_id = ?1 ORDER BY status_rank, sort_name, id",
                        "s", org_id);
  if (stmt == NULL)
    return NULL;
  entries = g_ptr_array_new_with_free_func (g_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (entries, entry_new (sqlite3_column_int64 (stmt, 0),
                                         qs_stmt_text (stmt, 1),
                                         qs_stmt_text (stmt, 2),
                                         qs_stmt_text (stmt, 3),
                                         qs_stmt_text (stmt, 4)));
  sqlite3_reset (stmt);
  g_hash_table_insert (index->orgs, g_strdup (org_id), entries);
  return entries;
}

static gboolean
matches (const Entry         *e,
         const QsMemberQuery *q)
{
  return (q->role == 0 || e->role == q->role) &&
         (q->rank < 0 || e->rank == q->rank) &&
         (q->needle == NULL || strstr (e->search, q->needle) != NULL);
}

gboolean
qs_member_index_query (QsMemberIndex       *index,
                       const char          *org_id,
                       const QsMemberQuery *q,
                       QsMemberPage        *page)
{
  GPtrArray *entries = load (index, org_id);
  gboolean filtered = q->role != 0 || q->rank >= 0 || q->needle != NULL;
  guint start = 0;
  const Entry *last = NULL;

  memset (page, 0, sizeof *page);
  if (entries == NULL)
    return FALSE;
  page->ids = g_ptr_array_new_with_free_func (g_free);

  if (q->has_cursor)
    start = lower_bound (entries, q->cursor_rank, q->cursor_name, q->cursor_id, TRUE);

  if (!filtered)
    {
      page->total = entries->len;
      for (guint i = start; i < entries->len; i++)
        {
          if (page->ids->len == q->limit)
            {
              page->more = TRUE;
              break;
            }
          last = g_ptr_array_index (entries, i);
          g_ptr_array_add (page->ids, g_strdup (last->id));
        }
    }
  else
    {
      for (guint i = 0; i < entries->len; i++)
        {
          const Entry *e = g_ptr_array_index (entries, i);

          if (!matches (e, q))
            continue;
          page->total++;
          if (i < start)
            continue;
          if (page->ids->len < q->limit)
            {
              g_ptr_array_add (page->ids, g_strdup (e->id));
              last = e;
            }
          else
            page->more = TRUE;
        }
    }

  if (last != NULL)
    {
      page->last_rank = last->rank;
      page->last_name = g_strdup (last->sort_name);
      page->last_id = g_strdup (last->id);
    }
  return TRUE;
}

gint64
qs_member_index_count (QsMemberIndex *index,
                       const char    *org_id)
{
  GPtrArray *entries = load (index, org_id);

  return entries != NULL ? (gint64) entries->len : 0;
}

void
qs_member_page_clear (QsMemberPage *page)
{
  g_clear_pointer (&page->ids, g_ptr_array_unref);
  g_clear_pointer (&page->last_name, g_free);
  g_clear_pointer (&page->last_id, g_free);
}
