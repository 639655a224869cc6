/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "quorum-server-util.h"

/* qs_format_time () computes the date by arithmetic: it must agree with
 * GDateTime everywhere GDateTime works (years 1–9999, always four digits,
 * as RFC 3339 wants), and give the epoch elsewhere. */
static void
check_time (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);
  g_autofree char *expected = NULL;
  g_autofree char *got = qs_format_time (t);

  if (dt != NULL)
    expected = g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ", g_date_time_get_year (dt),
                                g_date_time_get_month (dt), g_date_time_get_day_of_month (dt),
                                g_date_time_get_hour (dt), g_date_time_get_minute (dt),
                                g_date_time_get_second (dt));
  else
    expected = g_strdup ("1970-01-01T00:00:00Z");

  g_assert_cmpstr (got, ==, expected);
}

static void
test_format_time (void)
{
  static const gint64 fixed[] = {
    0, 1, -1, 59, 60, 86399, 86400, -86400, -86401,
    951782400,                        /* 2000-02-29 */
    951868800,                        /* 2000-03-01 */
    4107542400,                       /* 2100-03-01 */
    1709164800,                       /* 2024-02-29 */
    G_GINT64_CONSTANT (-62135596800), /* 0001-01-01 */
    G_GINT64_CONSTANT (-62135596801),
    G_GINT64_CONSTANT (253402300799), /* 9999-12-31T23:59:59 */
    G_GINT64_CONSTANT (253402300800),
    G_MININT64, G_MAXINT64,
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (16);

  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    check_time (fixed[i]);
  for (guint i = 0; i < 200000; i++)
    check_time ((gint64) (g_rand_double (rand) * 316000000000.0) - G_GINT64_CONSTANT (62200000000));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/util/format-time", test_format_time);
  return g_test_run ();
}
