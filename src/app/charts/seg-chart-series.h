/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "seg-chart-geometry.h"

G_BEGIN_DECLS

#define SEG_TYPE_CHART_SERIES (seg_chart_series_get_type ())

G_DECLARE_FINAL_TYPE (SegChartSeries, seg_chart_series, SEG, CHART_SERIES, GObject)

SegChartSeries      *seg_chart_series_new          (const char          *title);
const char          *seg_chart_series_get_title    (SegChartSeries      *self);
void                 seg_chart_series_set_title    (SegChartSeries      *self,
                                                    const char          *title);
const char          *seg_chart_series_get_color    (SegChartSeries      *self);
void                 seg_chart_series_set_color    (SegChartSeries      *self,
                                                    const char          *color);
guint                seg_chart_series_get_n_points (SegChartSeries      *self);
const SegChartPoint *seg_chart_series_get_points   (SegChartSeries      *self,
                                                    guint               *n_points);
void                 seg_chart_series_set_points   (SegChartSeries      *self,
                                                    const SegChartPoint *points,
                                                    guint                n_points);
void                 seg_chart_series_set_values   (SegChartSeries      *self,
                                                    const double        *values,
                                                    guint                n_values);
void                 seg_chart_series_append       (SegChartSeries      *self,
                                                    double               x,
                                                    double               y);
void                 seg_chart_series_append_many  (SegChartSeries      *self,
                                                    const SegChartPoint *points,
                                                    guint                n_points);
void                 seg_chart_series_clear        (SegChartSeries      *self);
gboolean             seg_chart_series_get_extent   (SegChartSeries      *self,
                                                    double              *x_min,
                                                    double              *x_max,
                                                    double              *y_min,
                                                    double              *y_max);
gboolean             seg_chart_series_lookup       (SegChartSeries      *self,
                                                    double               x,
                                                    double              *y);

G_END_DECLS
