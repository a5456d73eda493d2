/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The arithmetic between data and pixels, kept apart from the widgets so
 * that it is unit-tested without a display.
 */
#define G_LOG_DOMAIN "seg-chart-geometry"

#include "config.h"

#include <math.h>
#include <string.h>

#include "seg-chart-geometry.h"

/**
 * seg_chart_normalize:
 * @value: a value in data units
 * @min: the value drawn at 0
 * @max: the value drawn at 1
 *
 * Returns: @value scaled to 0..1 over @min..@max (0.5 when the range is empty)
 */
double
seg_chart_normalize (double value,
                     double min,
                     double max)
{
  if (!(max > min))
    return 0.5;
  return (value - min) / (max - min);
}

/**
 * seg_chart_points_lower_bound:
 * @points: points sorted by x
 * @n_points: how many
 * @x: a position
 *
 * Returns: the index of the first point whose x is not below @x (@n_points
 *   when there is none)
 */
gsize
seg_chart_points_lower_bound (const SegChartPoint *points,
                              gsize                n_points,
                              double               x)
{
  gsize lo = 0, hi = n_points;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (points[mid].x < x)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

/**
 * seg_chart_points_nearest:
 * @points: points sorted by x
 * @n_points: how many
 * @x: a position
 *
 * Returns: the index of the point whose x is closest to @x, -1 when there are
 *   no points; on a tie, the earlier point
 */
gssize
seg_chart_points_nearest (const SegChartPoint *points,
                          gsize                n_points,
                          double               x)
{
  gsize i;

  if (n_points == 0)
    return -1;

  i = seg_chart_points_lower_bound (points, n_points, x);
  if (i == n_points)
    return n_points - 1;
  if (i > 0 && x - points[i - 1].x <= points[i].x - x)
    return i - 1;
  return i;
}

/**
 * seg_chart_envelope:
 * @points: points sorted by x
 * @n_points: how many
 * @x_min: the x drawn at the left edge of the first column
 * @x_max: the x drawn at the right edge of the last column
 * @x_offset: added to each point's x before placing it (half a bucket, to
 *   draw a bucket at its centre)
 * @columns: (out caller-allocates): @n_columns columns to fill
 * @n_columns: the width in pixels
 *
 * Reduces the points to one #SegChartColumn per pixel column, so that a line
 * of any length costs at most four vertices per pixel and keeps its extremes.
 * Points outside @x_min..@x_max are ignored.
 */
void
seg_chart_envelope (const SegChartPoint *points,
                    gsize                n_points,
                    double               x_min,
                    double               x_max,
                    double               x_offset,
                    SegChartColumn      *columns,
                    guint                n_columns)
{
  memset (columns, 0, sizeof *columns * n_columns);

  if (n_columns == 0 || !(x_max > x_min))
    return;

  for (gsize i = 0; i < n_points; i++)
    {
      double dx = points[i].x + x_offset - x_min;
      double y = points[i].y;
      SegChartColumn *col;
      gint64 c;

      if (dx < 0 || points[i].x + x_offset > x_max || !isfinite (y))
        continue;

      /* Multiply before dividing: exact for whole numbers. */
      c = (gint64) floor (dx * n_columns / (x_max - x_min));
      c = CLAMP (c, 0, (gint64) n_columns - 1);
      col = &columns[c];

      if (col->n == 0)
        {
          col->first = col->min = col->max = y;
        }
      else
        {
          col->min = MIN (col->min, y);
          col->max = MAX (col->max, y);
        }
      col->last = y;
      col->n++;
    }
}

/**
 * seg_chart_slot_at:
 * @slots: the sorted distinct x positions of a chart
 * @n_slots: how many
 * @x: a position in data units
 *
 * Returns: the index of the slot nearest to @x, -1 without slots
 */
int
seg_chart_slot_at (const double *slots,
                   guint         n_slots,
                   double        x)
{
  guint lo = 0, hi = n_slots;

  if (n_slots == 0)
    return -1;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (slots[mid] < x)
        lo = mid + 1;
      else
        hi = mid;
    }

  if (lo == n_slots)
    return n_slots - 1;
  if (lo > 0 && x - slots[lo - 1] <= slots[lo] - x)
    return lo - 1;
  return lo;
}
