/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SegChartPoint:
 * @x: position on the x axis: ms since the epoch on a time axis (the start of
 *   the bucket when the chart has buckets), the index on a category axis
 * @y: the value
 */
typedef struct
{
  double x;
  double y;
} SegChartPoint;

/**
 * SegChartColumn:
 * @n: how many points fell in this pixel column (0: the column is empty)
 * @first: the value of the first point in the column
 * @last: the value of the last point in the column
 * @min: the smallest value in the column
 * @max: the largest value in the column
 *
 * The envelope of the points that fall into one pixel column, enough to draw
 * 10,000 points in 500 pixels without losing a spike.
 */
typedef struct
{
  guint  n;
  double first;
  double last;
  double min;
  double max;
} SegChartColumn;

double  seg_chart_normalize        (double               value,
                                    double               min,
                                    double               max);
gsize   seg_chart_points_lower_bound (const SegChartPoint *points,
                                    gsize                n_points,
                                    double               x);
gssize  seg_chart_points_nearest   (const SegChartPoint *points,
                                    gsize                n_points,
                                    double               x);
void    seg_chart_envelope         (const SegChartPoint *points,
                                    gsize                n_points,
                                    double               x_min,
                                    double               x_max,
                                    double               x_offset,
                                    SegChartColumn      *columns,
                                    guint                n_columns);
int     seg_chart_slot_at          (const double        *slots,
                                    guint                n_slots,
                                    double               x);

G_END_DECLS
