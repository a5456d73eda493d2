/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The numbers charts put on their axes and the arithmetic between data and
 * pixels, without a display.
 */
#include "config.h"

#include <locale.h>
#include <math.h>

#include "seg-chart-geometry.h"
#include "seg-chart-series.h"
#include "seg-chart-ticks.h"

static gint64
ms_at (GTimeZone *tz,
       int        year,
       int        month,
       int        day,
       int        hour,
       int        minute)
{
  g_autoptr(GDateTime) dt = g_date_time_new (tz, year, month, day, hour, minute, 0);

  return g_date_time_to_unix (dt) * 1000;
}

static void
assert_labels (GArray     *ticks,
               const char *expected)
{
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = 0; i < ticks->len; i++)
    {
      if (i > 0)
        g_string_append_c (joined, '|');
      g_string_append (joined, g_array_index (ticks, SegChartTick, i).label);
    }
  g_assert_cmpstr (joined->str, ==, expected);
}

static void
test_nice_step (void)
{
  g_assert_cmpfloat_with_epsilon (seg_chart_nice_step (340, 5), 100, 1e-9);
  g_assert_cmpfloat_with_epsilon (seg_chart_nice_step (10, 5), 2, 1e-9);
  g_assert_cmpfloat_with_epsilon (seg_chart_nice_step (1, 4), 0.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (seg_chart_nice_step (0.07, 5), 0.02, 1e-9);
  g_assert_cmpfloat_with_epsilon (seg_chart_nice_step (1e6, 4), 500000, 1e-3);
  g_assert_cmpfloat_with_epsilon (seg_chart_nice_step (0, 4), 1, 1e-9);
}

static void
test_value_ticks (void)
{
  g_autoptr(GArray) ticks = NULL;
  g_autoptr(GArray) single = NULL;
  g_autoptr(GArray) zero = NULL;
  g_autoptr(GArray) negative = NULL;
  g_autoptr(GArray) big = NULL;
  double lo, hi;

  /* "min 12, max 340" with room for 5 intervals: 0, 100, …, 400. */
  ticks = seg_chart_value_ticks (0, 340, 5, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 0);
  g_assert_cmpfloat (hi, ==, 400);
  assert_labels (ticks, "0|100|200|300|400");

  /* One value still gets an axis from zero. */
  single = seg_chart_value_ticks (342, 342, 4, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 0);
  g_assert_cmpfloat (hi, ==, 400);
  assert_labels (single, "0|100|200|300|400");

  /* Nothing but zeros: 0..1. */
  zero = seg_chart_value_ticks (0, 0, 4, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 0);
  g_assert_cmpfloat (hi, ==, 1);
  assert_labels (zero, "0|0.5|1");

  negative = seg_chart_value_ticks (-230, 120, 4, &lo, &hi);
  g_assert_cmpfloat (lo, ==, -300);
  g_assert_cmpfloat (hi, ==, 200);
  assert_labels (negative, "-300|-200|-100|0|100|200");

  /* Large values are written compactly. */
  big = seg_chart_value_ticks (0, 41500, 3, &lo, &hi);
  assert_labels (big, "0|20k|40k|60k");
}

static void
test_format_value (void)
{
  g_autofree char *a = seg_chart_format_value (1500000, 500000);
  g_autofree char *b = seg_chart_format_value (0.25, 0.05);
  g_autofree char *c = seg_chart_format_value_exact (20030);
  g_autofree char *d = seg_chart_format_value_exact (12.5);
  g_autofree char *e = seg_chart_format_value_exact (1.0 / 3.0);

  g_assert_cmpstr (a, ==, "1.5M");
  g_assert_cmpstr (b, ==, "0.25");
  g_assert_cmpstr (c, ==, "20030");
  g_assert_cmpstr (d, ==, "12.5");
  g_assert_cmpstr (e, ==, "0.333333");
}

static void
test_time_ticks_days (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GArray) ticks = NULL;
  SegChartTimeUnit unit;
  guint count;
  gint64 from = ms_at (tz, 2026, 5, 1, 0, 0);
  gint64 to = ms_at (tz, 2026, 5, 31, 0, 0);

  g_assert_nonnull (tz);

  /* 30 days in room for 5 labels: weekly, on Mondays at local midnight. */
  ticks = seg_chart_time_ticks (from, to, tz, 5, SEG_CHART_TIME_UNIT_MINUTE, &unit, &count);
  g_assert_cmpint (unit, ==, SEG_CHART_TIME_UNIT_WEEK);
  g_assert_cmpuint (count, ==, 1);
  assert_labels (ticks, "4 May|11 May|18 May|25 May");
  g_assert_cmpint ((gint64) g_array_index (ticks, SegChartTick, 0).value, ==,
                   ms_at (tz, 2026, 5, 4, 0, 0));
}

static void
test_time_ticks_hours_across_dst (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GArray) ticks = NULL;
  SegChartTimeUnit unit;
  guint count;
  /* The night the clocks go forward: 29 March 2026, 02:00 → 03:00. */
  gint64 from = ms_at (tz, 2026, 3, 28, 22, 0);
  gint64 to = ms_at (tz, 2026, 3, 29, 10, 0);

  ticks = seg_chart_time_ticks (from, to, tz, 5, SEG_CHART_TIME_UNIT_MINUTE, &unit, &count);
  g_assert_cmpint (unit, ==, SEG_CHART_TIME_UNIT_HOUR);
  g_assert_cmpuint (count, ==, 3);
  /* Labels are local times; midnight shows the date. */
  assert_labels (ticks, "29 Mar|04:00|07:00|10:00");
}

static void
test_time_ticks_months_and_min_unit (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("America/New_York");
  g_autoptr(GArray) months = NULL;
  g_autoptr(GArray) day = NULL;
  SegChartTimeUnit unit;

  months = seg_chart_time_ticks (ms_at (tz, 2025, 11, 10, 0, 0), ms_at (tz, 2026, 4, 2, 0, 0),
                                 tz, 6, SEG_CHART_TIME_UNIT_MINUTE, &unit, NULL);
  g_assert_cmpint (unit, ==, SEG_CHART_TIME_UNIT_MONTH);
  assert_labels (months, "Dec|Jan 2026|Feb|Mar|Apr");

  /* Daily data is never labelled by the hour, even for a single day. */
  day = seg_chart_time_ticks (ms_at (tz, 2026, 5, 1, 0, 0), ms_at (tz, 2026, 5, 2, 0, 0),
                              tz, 5, SEG_CHART_TIME_UNIT_DAY, &unit, NULL);
  g_assert_cmpint (unit, ==, SEG_CHART_TIME_UNIT_DAY);
  assert_labels (day, "1 May|2 May");
}

static void
test_day_buckets (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  gint64 late = ms_at (tz, 2026, 3, 28, 23, 30);
  gint64 day = seg_chart_time_floor_day (late, tz);
  gint64 next = seg_chart_time_add_days (day, tz, 1);
  gint64 after = seg_chart_time_add_days (day, tz, 2);

  g_assert_cmpint (day, ==, ms_at (tz, 2026, 3, 28, 0, 0));
  /* 23:30 in Berlin is 22:30 UTC: the same day there, but not after 01:00. */
  g_assert_cmpint (seg_chart_time_floor_day (late, utc), ==, ms_at (utc, 2026, 3, 28, 0, 0));
  g_assert_cmpint (seg_chart_time_floor_day (ms_at (tz, 2026, 3, 29, 0, 30), utc), ==,
                   ms_at (utc, 2026, 3, 28, 0, 0));
  /* Day buckets follow the calendar: 29 March has only 23 hours. */
  g_assert_cmpint (next - day, ==, 24 * SEG_CHART_MS_PER_HOUR);
  g_assert_cmpint (after - next, ==, 23 * SEG_CHART_MS_PER_HOUR);
}

static void
test_envelope (void)
{
  g_autofree SegChartPoint *points = g_new (SegChartPoint, 10000);
  SegChartColumn columns[100];
  guint total = 0;

  for (guint i = 0; i < 10000; i++)
    {
      points[i].x = i;
      points[i].y = i == 4321 ? 1000 : i % 10;
    }

  seg_chart_envelope (points, 10000, 0, 10000, 0, columns, 100);

  for (guint c = 0; c < 100; c++)
    {
      g_assert_cmpuint (columns[c].n, ==, 100);
      total += columns[c].n;
      g_assert_cmpfloat (columns[c].first, ==, 0);
      g_assert_cmpfloat (columns[c].last, ==, 9);
      g_assert_cmpfloat (columns[c].min, ==, 0);
      /* The spike survives in its column and only there. */
      g_assert_cmpfloat (columns[c].max, ==, c == 43 ? 1000 : 9);
    }
  g_assert_cmpuint (total, ==, 10000);

  /* Points outside the domain are left out. */
  seg_chart_envelope (points, 10000, 5000, 6000, 0, columns, 10);
  g_assert_cmpuint (columns[0].n, ==, 100);
  g_assert_cmpfloat (columns[0].first, ==, 0);
}

static void
test_nearest_and_slots (void)
{
  SegChartPoint points[] = { { 0, 1 }, { 10, 2 }, { 20, 3 } };
  double slots[] = { 0, 10, 20 };

  g_assert_cmpint (seg_chart_points_nearest (points, 3, -5), ==, 0);
  g_assert_cmpint (seg_chart_points_nearest (points, 3, 5), ==, 0);
  g_assert_cmpint (seg_chart_points_nearest (points, 3, 6), ==, 1);
  g_assert_cmpint (seg_chart_points_nearest (points, 3, 99), ==, 2);
  g_assert_cmpint (seg_chart_points_nearest (points, 0, 1), ==, -1);
  g_assert_cmpuint (seg_chart_points_lower_bound (points, 3, 10), ==, 1);
  g_assert_cmpuint (seg_chart_points_lower_bound (points, 3, 11), ==, 2);

  g_assert_cmpint (seg_chart_slot_at (slots, 3, 14), ==, 1);
  g_assert_cmpint (seg_chart_slot_at (slots, 3, 16), ==, 2);
  g_assert_cmpint (seg_chart_slot_at (slots, 0, 16), ==, -1);

  g_assert_cmpfloat (seg_chart_normalize (5, 0, 10), ==, 0.5);
  g_assert_cmpfloat (seg_chart_normalize (5, 3, 3), ==, 0.5);
}

static void
count_cb (guint *counter)
{
  (*counter)++;
}

static void
appended_cb (SegChartSeries *series,
             guint           position,
             guint           n_added,
             guint          *last_position)
{
  *last_position = position;
}

static void
test_series (void)
{
  SegChartSeries *series = seg_chart_series_new ("Members");
  SegChartPoint unsorted[] = { { 3, 30 }, { 1, 10 }, { 2, 20 } };
  const SegChartPoint *points;
  guint changed = 0, position = G_MAXUINT, n;
  double xmin, xmax, ymin, ymax, y;

  g_signal_connect_swapped (series, "changed", G_CALLBACK (count_cb), &changed);
  g_signal_connect (series, "appended", G_CALLBACK (appended_cb), &position);

  g_assert_false (seg_chart_series_get_extent (series, NULL, NULL, NULL, NULL));

  seg_chart_series_set_points (series, unsorted, 3);
  g_assert_cmpuint (changed, ==, 1);
  points = seg_chart_series_get_points (series, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpfloat (points[0].x, ==, 1);
  g_assert_cmpfloat (points[2].y, ==, 30);

  /* In order at the end: "appended", so charts only draw the tail. */
  seg_chart_series_append (series, 4, -5);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpuint (position, ==, 3);
  g_assert_true (seg_chart_series_get_extent (series, &xmin, &xmax, &ymin, &ymax));
  g_assert_cmpfloat (xmin, ==, 1);
  g_assert_cmpfloat (xmax, ==, 4);
  g_assert_cmpfloat (ymin, ==, -5);
  g_assert_cmpfloat (ymax, ==, 30);

  /* Out of order: sorted in, "changed". */
  seg_chart_series_append (series, 0, 7);
  g_assert_cmpuint (changed, ==, 2);
  points = seg_chart_series_get_points (series, &n);
  g_assert_cmpfloat (points[0].y, ==, 7);

  g_assert_true (seg_chart_series_lookup (series, 2, &y));
  g_assert_cmpfloat (y, ==, 20);
  g_assert_false (seg_chart_series_lookup (series, 2.5, NULL));

  seg_chart_series_clear (series);
  g_assert_cmpuint (seg_chart_series_get_n_points (series), ==, 0);
  g_assert_finalize_object (series);
}

int
main (int   argc,
      char *argv[])
{
  /* Labels are checked in the C locale's English month names. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "C.UTF-8");

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Chart/ticks/nice-step", test_nice_step);
  g_test_add_func ("/Chart/ticks/values", test_value_ticks);
  g_test_add_func ("/Chart/ticks/format", test_format_value);
  g_test_add_func ("/Chart/ticks/days", test_time_ticks_days);
  g_test_add_func ("/Chart/ticks/hours-across-dst", test_time_ticks_hours_across_dst);
  g_test_add_func ("/Chart/ticks/months", test_time_ticks_months_and_min_unit);
  g_test_add_func ("/Chart/geometry/day-buckets", test_day_buckets);
  g_test_add_func ("/Chart/geometry/envelope", test_envelope);
  g_test_add_func ("/Chart/geometry/nearest", test_nearest_and_slots);
  g_test_add_func ("/Chart/series", test_series);

  return g_test_run ();
}
