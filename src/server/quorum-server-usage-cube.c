/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-server-usage-cube.h"

/* Rows are days, columns members: row r holds every member's sums from the
 * span's start through day first - 1 + r, row 0 being the base (day
 * first - 1). Sums are kept modulo 2^32 and subtracted modulo 2^32, which
 * is exact as long as a member's sum over the whole span stays below 2^32;
 * the cube watches that (totals) and refuses ranges once it does not. */

typedef struct
{
  guint32 credits;
  guint32 requests;
} Cell;

G_STATIC_ASSERT (sizeof (Cell) == QS_USAGE_CUBE_CELL_BYTES);

struct _QsUsageCube
{
  char       *org_id;
  gint64      version;
  gint64      first;       /* the day of row 1 */
  guint       n_rows;      /* days first - 1 … first + n_rows - 2 */
  guint       n_cols;
  guint       cap_cols;
  Cell       *cells;       /* n_rows × cap_cols */
  gint64     *totals;      /* cap_cols × 2: each member's credits, requests over the span */
  GPtrArray  *keys;        /* ordinal → member id */
  GHashTable *ordinals;    /* member id → ordinal + 1 */
  gint64      exact_from;  /* ranges that start before this day are not in the cube */
  gsize       max_bytes;
  gboolean    unusable;    /* a sum may have reached 2^32, or memory ran out */
  /* Loading: rows come in (day, member id) order and the first n_sorted
   * columns are the members in id order, so each day is a merge walk. */
  guint       n_sorted;
  gint64      walk_day;
  guint       walk_col;
};

#define LAST_DAY(cube) ((cube)->first + (gint64) (cube)->n_rows - 2)

static gsize
cells_bytes (guint rows,
             guint cols)
{
  return (gsize) rows * cols * sizeof (Cell);
}

QsUsageCube *
qs_usage_cube_new (const char *org_id,
                   gint64      version,
                   gint64      min_day,
                   gint64      max_day,
                   gint64      today,
                   GPtrArray  *member_ids,
                   gsize       max_bytes)
{
  g_autoptr(QsUsageCube) cube = g_new0 (QsUsageCube, 1);
  gint64 last = MAX (today, max_day);
  gint64 first = MAX (min_day >= 0 ? min_day : today, last - 365);
  gsize rows_max;

  cube->org_id = g_strdup (org_id);
  cube->version = version;
  cube->max_bytes = max_bytes;
  cube->keys = g_ptr_array_new_with_free_func (g_free);
  cube->ordinals = g_hash_table_new (g_str_hash, g_str_equal);
  /* Room for members who join after the load without moving every row. */
  cube->cap_cols = member_ids->len + member_ids->len / 8 + 64;
  rows_max = max_bytes / cells_bytes (1, cube->cap_cols);
  if (rows_max < 2)
    return NULL;
  first = MIN (first, last);
  if ((gsize) (last - first + 2) > rows_max)
    first = last - (gint64) rows_max + 2;
  cube->first = first;
  cube->n_rows = (guint) (last - first + 2);
  cube->exact_from = min_day >= 0 && min_day < first ? first : G_MININT64;
  cube->cells = g_try_malloc0 (cells_bytes (cube->n_rows, cube->cap_cols));
  cube->totals = g_try_malloc0 (sizeof (gint64) * 2 * cube->cap_cols);
  if (cube->cells == NULL || cube->totals == NULL)
    return NULL;
  for (guint i = 0; i < member_ids->len; i++)
    {
      char *key = g_strdup (g_ptr_array_index (member_ids, i));

      g_ptr_array_add (cube->keys, key);
      g_hash_table_insert (cube->ordinals, key, GUINT_TO_POINTER (i + 1));
    }
  cube->n_cols = member_ids->len;
  cube->n_sorted = member_ids->len;
  cube->walk_day = -1;
  return g_steal_pointer (&cube);
}

void
qs_usage_cube_free (QsUsageCube *cube)
{
  if (cube == NULL)
    return;
  g_free (cube->org_id);
  g_free (cube->cells);
  g_free (cube->totals);
  g_clear_pointer (&cube->ordinals, g_hash_table_destroy);
  g_clear_pointer (&cube->keys, g_ptr_array_unref);
  g_free (cube);
}

gint64
qs_usage_cube_get_first_day (QsUsageCube *cube)
{
  return cube->first;
}

gint64
qs_usage_cube_get_version (QsUsageCube *cube)
{
  return cube->version;
}

gsize
qs_usage_cube_get_bytes (QsUsageCube *cube)
{
  return cells_bytes (cube->n_rows, cube->cap_cols) + sizeof (gint64) * 2 * cube->cap_cols;
}

/* The column of member_id, added when new (moving every row when the
 * columns are full); G_MAXUINT when memory does not allow it. */
static guint
column_of (QsUsageCube *cube,
           const char  *member_id)
{
  guint ordinal = GPOINTER_TO_UINT (g_hash_table_lookup (cube->ordinals, member_id));
  char *key;

  if (ordinal > 0)
    return ordinal - 1;
  if (cube->n_cols == cube->cap_cols)
    {
      guint cap = cube->cap_cols + cube->cap_cols / 2 + 64;
      Cell *cells;
      gint64 *totals;

      if (cells_bytes (cube->n_rows, cap) > cube->max_bytes ||
          (cells = g_try_malloc0 (cells_bytes (cube->n_rows, cap))) == NULL)
        return G_MAXUINT;
      if ((totals = g_try_malloc0 (sizeof (gint64) * 2 * cap)) == NULL)
        {
          g_free (cells);
          return G_MAXUINT;
        }
      for (guint r = 0; r < cube->n_rows; r++)
        memcpy (cells + (gsize) r * cap, cube->cells + (gsize) r * cube->cap_cols, cells_bytes (1, cube->n_cols));
      memcpy (totals, cube->totals, sizeof (gint64) * 2 * cube->n_cols);
      g_free (cube->cells);
      g_free (cube->totals);
      cube->cells = cells;
      cube->totals = totals;
      cube->cap_cols = cap;
    }
  key = g_strdup (member_id);
  g_ptr_array_add (cube->keys, key);
  g_hash_table_insert (cube->ordinals, key, GUINT_TO_POINTER (cube->n_cols + 1));
  return cube->n_cols++;
}

static Cell *
cell (QsUsageCube *cube,
      guint        row,
      guint        col)
{
  return cube->cells + (gsize) row * cube->cap_cols + col;
}

/* Adds to the member's totals; FALSE once a sum may reach 2^32. */
static gboolean
add_totals (QsUsageCube *cube,
            guint        col,
            gint64       credits,
            gint64       requests)
{
  cube->totals[2 * col] += credits;
  cube->totals[2 * col + 1] += requests;
  return credits >= 0 && requests >= 0 &&
         cube->totals[2 * col] <= G_MAXUINT32 && cube->totals[2 * col + 1] <= G_MAXUINT32;
}

void
qs_usage_cube_load_row (QsUsageCube *cube,
                        const char  *member_id,
                        gint64       day,
                        gint64       credits,
                        gint64       requests)
{
  guint col;
  Cell *c;

  if (cube->unusable || day < cube->first)
    return;
  if (day != cube->walk_day)
    {
      cube->walk_day = day;
      cube->walk_col = 0;
    }
  /* Forward through the sorted members (strcmp: SQLite's BINARY order);
   * a member not among them (one who left) by the hash table. */
  while (cube->walk_col < cube->n_sorted && strcmp (g_ptr_array_index (cube->keys, cube->walk_col), member_id) < 0)
    cube->walk_col++;
  if (cube->walk_col < cube->n_sorted && strcmp (g_ptr_array_index (cube->keys, cube->walk_col), member_id) == 0)
    col = cube->walk_col;
  else
    col = column_of (cube, member_id);
  if (day > LAST_DAY (cube) || col == G_MAXUINT || !add_totals (cube, col, credits, requests))
    {
      cube->unusable = TRUE;
      return;
    }
  /* The day's own value for now; load_done makes the prefix sums. */
  c = cell (cube, (guint) (day - cube->first + 1), col);
  c->credits += (guint32) credits;
  c->requests += (guint32) requests;
}

void
qs_usage_cube_load_done (QsUsageCube *cube)
{
  for (guint r = 1; r < cube->n_rows; r++)
    {
      const Cell *above = cell (cube, r - 1, 0);
      Cell *row = cell (cube, r, 0);

      for (guint m = 0; m < cube->n_cols; m++)
        {
          row[m].credits += above[m].credits;
          row[m].requests += above[m].requests;
        }
    }
}

/* Rows up to day, dropping the oldest when memory requires. */
static gboolean
extend_to (QsUsageCube *cube,
           gint64       day)
{
  gint64 more = day - LAST_DAY (cube);
  gsize rows_max = cube->max_bytes / cells_bytes (1, cube->cap_cols);
  Cell *cells;
  guint rows;

  if (more <= 0)
    return TRUE;
  if ((gsize) more + 1 >= rows_max)
    return FALSE;
  if ((gsize) (cube->n_rows + more) > rows_max)
    {
      guint drop = (guint) ((gsize) (cube->n_rows + more) - rows_max);

      /* The new base row is the old row drop: still a prefix sum. */
      memmove (cube->cells, cell (cube, drop, 0), cells_bytes (cube->n_rows - drop, cube->cap_cols));
      cube->n_rows -= drop;
      cube->first += drop;
      cube->exact_from = MAX (cube->exact_from, cube->first);
    }
  rows = cube->n_rows + (guint) more;
  if ((cells = g_try_realloc (cube->cells, cells_bytes (rows, cube->cap_cols))) == NULL)
    return FALSE;
  cube->cells = cells;
  for (guint r = cube->n_rows; r < rows; r++)
    memcpy (cell (cube, r, 0), cell (cube, r - 1, 0), cells_bytes (1, cube->cap_cols));
  cube->n_rows = rows;
  return TRUE;
}

gboolean
qs_usage_cube_apply (QsUsageCube              *cube,
                     const QsStoreUsageChange *change)
{
  guint col;

  g_return_val_if_fail (change->version == cube->version + 1, FALSE);
  cube->version = change->version;
  if (cube->unusable)
    return FALSE;
  if (change->day < cube->first)
    {
      /* Before the span: ranges that start there are summed elsewhere. */
      cube->exact_from = MAX (cube->exact_from, cube->first);
      return TRUE;
    }
  if (!extend_to (cube, change->day) || (col = column_of (cube, change->member_id)) == G_MAXUINT)
    return FALSE;
  if (!add_totals (cube, col, change->credits, change->requests))
    {
      cube->unusable = TRUE;
      return FALSE;
    }
  for (guint r = (guint) (change->day - cube->first + 1); r < cube->n_rows; r++)
    {
      Cell *c = cell (cube, r, col);

      c->credits += (guint32) change->credits;
      c->requests += (guint32) change->requests;
    }
  return TRUE;
}

gboolean
qs_usage_cube_covers (QsUsageCube *cube,
                      gint64       from,
                      gint64       to)
{
  return !cube->unusable && from >= cube->exact_from && from <= to;
}

/* The row holding the sums through day. */
static guint
row_through (QsUsageCube *cube,
             gint64       day)
{
  gint64 r = day - cube->first + 1;

  return (guint) CLAMP (r, 0, (gint64) cube->n_rows - 1);
}

typedef struct
{
  guint32 credits;
  guint32 requests;
  guint   col;
} Sum;

/* Most credits first, then member id. */
static gboolean
ranks_before (QsUsageCube *cube,
              const Sum   *a,
              const Sum   *b)
{
  if (a->credits != b->credits)
    return a->credits > b->credits;
  return strcmp (g_ptr_array_index (cube->keys, a->col), g_ptr_array_index (cube->keys, b->col)) < 0;
}

static int
compare_sums (gconstpointer a,
              gconstpointer b,
              gpointer      cube)
{
  return ranks_before (cube, a, b) ? -1 : ranks_before (cube, b, a) ? 1 : 0;
}

/* A heap of the best k sums seen, the worst of them at the root. */
static void
sift_down (QsUsageCube *cube,
           Sum         *heap,
           guint        n,
           guint        i)
{
  for (;;)
    {
      guint worst = i, l = 2 * i + 1, r = 2 * i + 2;
      Sum t;

      if (l < n && ranks_before (cube, &heap[worst], &heap[l]))
        worst = l;
      if (r < n && ranks_before (cube, &heap[worst], &heap[r]))
        worst = r;
      if (worst == i)
        return;
      t = heap[i];
      heap[i] = heap[worst];
      heap[worst] = t;
      i = worst;
    }
}

static void
sift_up (QsUsageCube *cube,
         Sum         *heap,
         guint        i)
{
  while (i > 0)
    {
      guint parent = (i - 1) / 2;
      Sum t;

      if (!ranks_before (cube, &heap[parent], &heap[i]))
        return;
      t = heap[i];
      heap[i] = heap[parent];
      heap[parent] = t;
      i = parent;
    }
}

GPtrArray *
qs_usage_cube_page (QsUsageCube            *cube,
                    gint64                  from,
                    gint64                  to,
                    const QsStoreUsageItem *after,
                    guint                   limit,
                    gint64                 *total)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) qs_store_usage_item_free);
  const Cell *lo = cell (cube, row_through (cube, from - 1), 0);
  const Cell *hi = cell (cube, row_through (cube, to), 0);
  guint k = limit + 1, n = 0;
  g_autofree Sum *heap = g_new (Sum, k);

  g_return_val_if_fail (qs_usage_cube_covers (cube, from, to), items);
  *total = 0;
  /* One pass: each member's range sum is two reads; the page is a partial
   * selection (a heap of limit + 1), not a sort of every member. */
  for (guint m = 0; m < cube->n_cols; m++)
    {
      Sum s = { hi[m].credits - lo[m].credits, hi[m].requests - lo[m].requests, m };

      if (s.credits == 0 && s.requests == 0)
        continue;
      (*total)++;
      if (after != NULL &&
          (s.credits > after->credits ||
           (s.credits == after->credits && strcmp (g_ptr_array_index (cube->keys, m), after->key) <= 0)))
        continue;
      if (n < k)
        {
          heap[n] = s;
          sift_up (cube, heap, n++);
        }
      else if (ranks_before (cube, &s, &heap[0]))
        {
          heap[0] = s;
          sift_down (cube, heap, n, 0);
        }
    }
  g_qsort_with_data (heap, (gint) n, sizeof (Sum), compare_sums, cube);
  for (guint i = 0; i < n; i++)
    {
      QsStoreUsageItem *item = g_new0 (QsStoreUsageItem, 1);

      item->key = g_strdup (g_ptr_array_index (cube->keys, heap[i].col));
      item->credits = heap[i].credits;
      item->requests = heap[i].requests;
      g_ptr_array_add (items, item);
    }
  return items;
}
