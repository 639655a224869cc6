/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "quorum-server-usage-cube.h"

/*
 * The in-memory usage cube against a recomputation from the records it was
 * given: random records loaded, then applied one by one (new members, days
 * before and after its span, a memory cap small enough that the span moves
 * and columns run out), every page of random ranges compared whenever the
 * cube says it covers them. When it refuses a change it is built again,
 * as the server does.
 */

#define TODAY 20000

typedef struct
{
  char   *member;
  gint64  day;
  gint64  credits;
  gint64  requests;
} Record;

static void
record_free (Record *r)
{
  g_free (r->member);
  g_free (r);
}

static Record *
record_new (const char *member,
            gint64      day,
            gint64      credits,
            gint64      requests)
{
  Record *r = g_new0 (Record, 1);

  r->member = g_strdup (member);
  r->day = day;
  r->credits = credits;
  r->requests = requests;
  return r;
}

static int
compare_items (gconstpointer a,
               gconstpointer b)
{
  const QsStoreUsageItem *x = *(QsStoreUsageItem * const *) a;
  const QsStoreUsageItem *y = *(QsStoreUsageItem * const *) b;

  if (x->credits != y->credits)
    return x->credits > y->credits ? -1 : 1;
  return strcmp (x->key, y->key);
}

/* The sums from the records, most credits first, then id. */
static GPtrArray *
expected (GPtrArray *records,
          gint64     from,
          gint64     to)
{
  g_autoptr(GHashTable) sums = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) qs_store_usage_item_free);

  for (guint i = 0; i < records->len; i++)
    {
      Record *r = g_ptr_array_index (records, i);
      QsStoreUsageItem *item;

      if (r->day < from || r->day > to)
        continue;
      item = g_hash_table_lookup (sums, r->member);
      if (item == NULL)
        {
          item = g_new0 (QsStoreUsageItem, 1);
          item->key = g_strdup (r->member);
          g_hash_table_insert (sums, item->key, item);
          g_ptr_array_add (items, item);
        }
      item->credits += r->credits;
      item->requests += r->requests;
    }
  g_ptr_array_sort (items, compare_items);
  return items;
}

/* Every page of from..to, limit at a time, through the cursor. */
static void
check_range (QsUsageCube *cube,
             GPtrArray   *records,
             gint64       from,
             gint64       to,
             guint        limit)
{
  g_autoptr(GPtrArray) want = expected (records, from, to);
  g_autoptr(QsStoreUsageItem) after = NULL;
  guint seen = 0;

  for (;;)
    {
      gint64 total = -1;
      g_autoptr(GPtrArray) page = qs_usage_cube_page (cube, from, to, after, limit, &total);
      guint shown = MIN (page->len, limit);

      g_assert_cmpint (total, ==, want->len);
      for (guint i = 0; i < shown; i++)
        {
          QsStoreUsageItem *got = g_ptr_array_index (page, i);
          QsStoreUsageItem *w;

          g_assert_cmpuint (seen, <, want->len);
          w = g_ptr_array_index (want, seen++);
          if (g_strcmp0 (got->key, w->key) != 0 || got->credits != w->credits || got->requests != w->requests)
            g_error ("days %" G_GINT64_FORMAT "…%" G_GINT64_FORMAT ", item %u: %s %" G_GINT64_FORMAT "/%"
                     G_GINT64_FORMAT ", expected %s %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                     from, to, seen - 1, got->key, got->credits, got->requests, w->key, w->credits, w->requests);
        }
      if (page->len <= limit)
        break;
      g_clear_pointer (&after, qs_store_usage_item_free);
      after = g_new0 (QsStoreUsageItem, 1);
      after->key = g_strdup (((QsStoreUsageItem *) g_ptr_array_index (page, limit - 1))->key);
      after->credits = ((QsStoreUsageItem *) g_ptr_array_index (page, limit - 1))->credits;
    }
  g_assert_cmpuint (seen, ==, want->len);
}

static int
compare_records (gconstpointer a,
                 gconstpointer b)
{
  const Record *x = *(Record * const *) a;
  const Record *y = *(Record * const *) b;

  if (x->day != y->day)
    return x->day < y->day ? -1 : 1;
  return strcmp (x->member, y->member);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* A cube of the records, as a load would build it: the members (the
 * initial ones and every one with a record) in id order. */
static QsUsageCube *
build (GPtrArray *records,
       GPtrArray *initial,
       gint64     version,
       gsize      max_bytes)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();  /* borrows the records */
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) members = g_ptr_array_new ();
  gint64 min_day = -1, max_day = -1;
  QsUsageCube *cube;

  for (guint i = 0; i < initial->len; i++)
    if (g_hash_table_add (seen, g_ptr_array_index (initial, i)))
      g_ptr_array_add (members, g_ptr_array_index (initial, i));
  for (guint i = 0; i < records->len; i++)
    if (g_hash_table_add (seen, ((Record *) g_ptr_array_index (records, i))->member))
      g_ptr_array_add (members, ((Record *) g_ptr_array_index (records, i))->member);
  g_ptr_array_sort (members, compare_strings);
  g_ptr_array_extend (sorted, records, NULL, NULL);
  g_ptr_array_sort (sorted, compare_records);
  if (sorted->len > 0)
    {
      min_day = ((Record *) g_ptr_array_index (sorted, 0))->day;
      max_day = ((Record *) g_ptr_array_index (sorted, sorted->len - 1))->day;
    }
  cube = qs_usage_cube_new ("org_test", version, min_day, max_day, TODAY, members, max_bytes);
  g_assert_nonnull (cube);
  for (guint i = 0; i < sorted->len; i++)
    {
      Record *r = g_ptr_array_index (sorted, i);

      if (r->day >= qs_usage_cube_get_first_day (cube))
        qs_usage_cube_load_row (cube, r->member, r->day, r->credits, r->requests);
    }
  qs_usage_cube_load_done (cube);
  return cube;
}

static void
check_some_ranges (QsUsageCube *cube,
                   GPtrArray   *records,
                   GRand       *rand,
                   guint       *checked)
{
  for (guint k = 0; k < 6; k++)
    {
      gint64 from = TODAY - g_rand_int_range (rand, 0, 90);
      gint64 to = from + g_rand_int_range (rand, 0, 60);

      if (k == 0)
        from = 0, to = TODAY + 400;  /* everything */
      if (qs_usage_cube_covers (cube, from, to))
        {
          check_range (cube, records, from, to, (guint) g_rand_int_range (rand, 1, 4));
          (*checked)++;
        }
    }
}

static void
run (gsize  max_bytes,
     guint  seed,
     guint *checked,
     guint *reloads)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) record_free);
  g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(QsUsageCube) cube = NULL;
  gint64 version = 0;

  for (guint i = 0; i < 8; i++)
    g_ptr_array_add (members, g_strdup_printf ("mem_%c", 'a' + i));
  for (guint i = 0; i < 200; i++)
    g_ptr_array_add (records, record_new (g_ptr_array_index (members, g_rand_int_range (rand, 0, 8)),
                                          TODAY - g_rand_int_range (rand, 0, 60), g_rand_int_range (rand, 0, 5) * 10,
                                          g_rand_int_range (rand, 1, 3)));
  cube = build (records, members, version, max_bytes);
  check_some_ranges (cube, records, rand, checked);

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *newcomer = g_strdup_printf ("mem_new%03u", i);
      QsStoreUsageChange change = { 0 };
      guint what = (guint) g_rand_int_range (rand, 0, 10);

      change.version = ++version;
      /* A third are members the cube has never seen (more than its spare
       * columns); some days are before its span, some after. */
      change.member_id = what < 3 ? newcomer : g_ptr_array_index (members, g_rand_int_range (rand, 0, 8));
      change.day = what == 3 ? TODAY - g_rand_int_range (rand, 60, 200)
                 : what == 4 ? TODAY + g_rand_int_range (rand, 1, 3 + (gint) i / 10)
                 : TODAY - g_rand_int_range (rand, 0, 60);
      change.credits = g_rand_int_range (rand, 1, 6) * 10;
      change.requests = g_rand_int_range (rand, 0, 3);
      g_ptr_array_add (records, record_new (change.member_id, change.day, change.credits, change.requests));
      if (!qs_usage_cube_apply (cube, &change))
        {
          /* As the server: load again from the records. */
          g_clear_pointer (&cube, qs_usage_cube_free);
          cube = build (records, members, version, max_bytes);
          (*reloads)++;
        }
      g_assert_cmpint (qs_usage_cube_get_version (cube), ==, version);
      if (i % 10 == 0)
        check_some_ranges (cube, records, rand, checked);
    }
}

/* Room enough: every change applies. */
static void
test_matches_records (void)
{
  guint checked = 0, reloads = 0;

  for (guint seed = 1; seed <= 5; seed++)
    run (1 << 20, seed, &checked, &reloads);
  g_test_message ("%u ranges checked, %u reloads", checked, reloads);
  g_assert_cmpuint (checked, >, 100);
  g_assert_cmpuint (reloads, ==, 0);
}

/* A cap of about 80 days of 72 columns: the span moves forward, newcomers
 * run out of columns and the cube is built again; every answer it still
 * gives is exact. */
static void
test_matches_records_under_a_small_cap (void)
{
  guint checked = 0, reloads = 0;

  for (guint seed = 1; seed <= 5; seed++)
    run (72 * QS_USAGE_CUBE_CELL_BYTES * 80, seed, &checked, &reloads);
  g_test_message ("%u ranges checked, %u reloads", checked, reloads);
  g_assert_cmpuint (checked, >, 50);
  g_assert_cmpuint (reloads, >, 0);
}

/* Sums kept modulo 2^32 are exact only below it: past it, the cube refuses
 * the ranges instead of answering a wrapped sum. */
static void
test_refuses_past_2_to_the_32 (void)
{
  g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(QsUsageCube) cube = NULL;
  QsStoreUsageChange change = { 1, (char *) "mem_a", TODAY, G_MAXUINT32 - 5, 1 };
  QsStoreUsageChange more = { 2, (char *) "mem_a", TODAY, 10, 1 };

  g_ptr_array_add (members, g_strdup ("mem_a"));
  cube = qs_usage_cube_new ("org_test", 0, TODAY, TODAY, TODAY, members, 1 << 20);
  qs_usage_cube_load_done (cube);
  g_assert_true (qs_usage_cube_apply (cube, &change));
  g_assert_true (qs_usage_cube_covers (cube, TODAY, TODAY));
  g_assert_false (qs_usage_cube_apply (cube, &more));
  g_assert_false (qs_usage_cube_covers (cube, TODAY, TODAY));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/usage-cube/matches-records", test_matches_records);
  g_test_add_func ("/server/usage-cube/matches-records-under-a-small-cap", test_matches_records_under_a_small_cap);
  g_test_add_func ("/server/usage-cube/refuses-past-2-to-the-32", test_refuses_past_2_to_the_32);
  return g_test_run ();
}
