/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SegChartTick:
 * @value: where the tick sits, in data units (ms since the epoch for time axes)
 * @label: (transfer full): the text shown next to the tick
 *
 * One labelled tick of an axis. Arrays of ticks are #GArray of #SegChartTick
 * that free their labels when cleared.
 */
typedef struct
{
  double  value;
  char   *label;
} SegChartTick;

/**
 * SegChartTimeUnit:
 *
 * The calendar unit that time ticks step by.
 */
typedef enum
{
  SEG_CHART_TIME_UNIT_MINUTE,
  SEG_CHART_TIME_UNIT_HOUR,
  SEG_CHART_TIME_UNIT_DAY,
  SEG_CHART_TIME_UNIT_WEEK,
  SEG_CHART_TIME_UNIT_MONTH,
  SEG_CHART_TIME_UNIT_YEAR,
} SegChartTimeUnit;

#define SEG_CHART_MS_PER_MINUTE ((gint64) 60 * 1000)
#define SEG_CHART_MS_PER_HOUR   ((gint64) 60 * SEG_CHART_MS_PER_MINUTE)
#define SEG_CHART_MS_PER_DAY    ((gint64) 24 * SEG_CHART_MS_PER_HOUR)

GArray *seg_chart_tick_array_new    (void);
double  seg_chart_nice_step          (double            range,
                                      guint             max_ticks);
GArray *seg_chart_value_ticks        (double            min,
                                      double            max,
                                      guint             max_ticks,
                                      double           *nice_min,
                                      double           *nice_max);
char   *seg_chart_format_value       (double            value,
                                      double            step);
char   *seg_chart_format_value_exact (double            value);

GArray *seg_chart_time_ticks         (gint64            from_ms,
                                      gint64            to_ms,
                                      GTimeZone        *tz,
                                      guint             max_ticks,
                                      SegChartTimeUnit  min_unit,
                                      SegChartTimeUnit *unit,
                                      guint            *count);
char   *seg_chart_format_time        (gint64            ms,
                                      GTimeZone        *tz,
                                      SegChartTimeUnit  unit);
char   *seg_chart_format_day_long    (gint64            ms,
                                      GTimeZone        *tz);
char   *seg_chart_format_time_custom (gint64            ms,
                                      GTimeZone        *tz,
                                      const char       *format);
gint64  seg_chart_time_floor_day     (gint64            ms,
                                      GTimeZone        *tz);
gint64  seg_chart_time_add_days      (gint64            ms,
                                      GTimeZone        *tz,
                                      int               days);

G_END_DECLS
