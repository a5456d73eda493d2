/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "seg-chart-layer.h"

G_BEGIN_DECLS

/**
 * SegChartXAxis:
 * @SEG_CHART_X_AXIS_TIME: x is ms since the epoch, labelled in the chart's time zone
 * @SEG_CHART_X_AXIS_CATEGORY: x is an index into the chart's categories
 * @SEG_CHART_X_AXIS_NUMBER: x is a plain number
 */
typedef enum
{
  SEG_CHART_X_AXIS_TIME,
  SEG_CHART_X_AXIS_CATEGORY,
  SEG_CHART_X_AXIS_NUMBER,
} SegChartXAxis;

/**
 * SegChartTimeBucket:
 * @SEG_CHART_TIME_BUCKET_NONE: points are instants
 * @SEG_CHART_TIME_BUCKET_DAY: each point is a day starting at its x (local
 *   midnight in the chart's time zone, see seg_chart_time_floor_day())
 */
typedef enum
{
  SEG_CHART_TIME_BUCKET_NONE,
  SEG_CHART_TIME_BUCKET_DAY,
} SegChartTimeBucket;

/**
 * SegChartExportFormat:
 * @SEG_CHART_EXPORT_PNG: the image as PNG, at twice the size on screen
 * @SEG_CHART_EXPORT_SVG: the image as SVG
 * @SEG_CHART_EXPORT_CSV: the data as CSV, see seg_chart_dup_csv()
 */
typedef enum
{
  SEG_CHART_EXPORT_PNG,
  SEG_CHART_EXPORT_SVG,
  SEG_CHART_EXPORT_CSV,
} SegChartExportFormat;

#define SEG_TYPE_CHART_EXPORT_FORMAT (seg_chart_export_format_get_type ())
GType seg_chart_export_format_get_type (void) G_GNUC_CONST;
#define SEG_TYPE_CHART_X_AXIS (seg_chart_x_axis_get_type ())
GType seg_chart_x_axis_get_type (void) G_GNUC_CONST;
#define SEG_TYPE_CHART_TIME_BUCKET (seg_chart_time_bucket_get_type ())
GType seg_chart_time_bucket_get_type (void) G_GNUC_CONST;

#define SEG_TYPE_CHART (seg_chart_get_type ())

G_DECLARE_FINAL_TYPE (SegChart, seg_chart, SEG, CHART, GtkWidget)

GtkWidget          *seg_chart_new                (void);
void                seg_chart_add_layer          (SegChart           *self,
                                                  SegChartLayer      *layer);
void                seg_chart_remove_layer       (SegChart           *self,
                                                  SegChartLayer      *layer);
guint               seg_chart_get_n_layers       (SegChart           *self);
SegChartLayer      *seg_chart_get_layer          (SegChart           *self,
                                                  guint               position);

const char         *seg_chart_get_title          (SegChart           *self);
void                seg_chart_set_title          (SegChart           *self,
                                                  const char         *title);
SegChartXAxis       seg_chart_get_x_axis         (SegChart           *self);
void                seg_chart_set_x_axis         (SegChart           *self,
                                                  SegChartXAxis       x_axis);
SegChartTimeBucket  seg_chart_get_time_bucket    (SegChart           *self);
void                seg_chart_set_time_bucket    (SegChart           *self,
                                                  SegChartTimeBucket  bucket);
GTimeZone          *seg_chart_get_time_zone      (SegChart           *self);
void                seg_chart_set_time_zone      (SegChart           *self,
                                                  GTimeZone          *time_zone);
const char * const *seg_chart_get_categories     (SegChart           *self);
void                seg_chart_set_categories     (SegChart           *self,
                                                  const char * const *categories);
void                seg_chart_set_x_range        (SegChart           *self,
                                                  double              x_min,
                                                  double              x_max);
void                seg_chart_unset_x_range      (SegChart           *self);
gboolean            seg_chart_get_show_legend    (SegChart           *self);
void                seg_chart_set_show_legend    (SegChart           *self,
                                                  gboolean            show_legend);
gboolean            seg_chart_get_high_contrast  (SegChart           *self);
void                seg_chart_set_high_contrast  (SegChart           *self,
                                                  gboolean            high_contrast);
const char         *seg_chart_get_empty_text     (SegChart           *self);
void                seg_chart_set_empty_text     (SegChart           *self,
                                                  const char         *empty_text);

guint               seg_chart_get_n_slots        (SegChart           *self);
double              seg_chart_get_slot_x         (SegChart           *self,
                                                  guint               slot);
int                 seg_chart_get_selected       (SegChart           *self);
void                seg_chart_set_selected       (SegChart           *self,
                                                  int                 slot);
int                 seg_chart_get_slot_at        (SegChart           *self,
                                                  double              x,
                                                  double              y);

char               *seg_chart_dup_description    (SegChart           *self);
char               *seg_chart_dup_csv            (SegChart           *self);

void                seg_chart_render             (SegChart           *self,
                                                  cairo_t            *cr,
                                                  int                 width,
                                                  int                 height);
GdkTexture         *seg_chart_render_texture     (SegChart           *self,
                                                  int                 width,
                                                  int                 height,
                                                  double              scale);
GBytes             *seg_chart_render_png         (SegChart           *self,
                                                  int                 width,
                                                  int                 height,
                                                  double              scale);
GBytes             *seg_chart_render_svg         (SegChart           *self,
                                                  int                 width,
                                                  int                 height);
void                seg_chart_export_async       (SegChart            *self,
                                                  GFile               *file,
                                                  SegChartExportFormat format,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean            seg_chart_export_finish      (SegChart           *self,
                                                  GAsyncResult       *result,
                                                  GError            **error);
gboolean            seg_chart_get_plot_area      (SegChart           *self,
                                                  int                 width,
                                                  int                 height,
                                                  graphene_rect_t    *plot,
                                                  SegChartDomain     *domain);

G_END_DECLS
