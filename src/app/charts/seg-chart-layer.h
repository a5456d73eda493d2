/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "seg-chart-series.h"

G_BEGIN_DECLS

/**
 * SegChartDomain:
 * @x_min: the x drawn at the left edge of the plot
 * @x_max: the x drawn at the right edge of the plot
 * @y_min: the value drawn at the bottom
 * @y_max: the value drawn at the top
 * @bucket: the width of one bucket (a day, a category) in x units; a point
 *   covers x .. x + bucket and is drawn at its centre. 0 for continuous x.
 *
 * What a layer needs to scale its values to 0..1.
 */
typedef struct
{
  double x_min;
  double x_max;
  double y_min;
  double y_max;
  double bucket;
} SegChartDomain;

#define SEG_TYPE_CHART_LAYER (seg_chart_layer_get_type ())

G_DECLARE_DERIVABLE_TYPE (SegChartLayer, seg_chart_layer, SEG, CHART_LAYER, GtkWidget)

struct _SegChartLayerClass
{
  GtkWidgetClass parent_class;

  /* Draws into a width × height plot the points of each series from index
   * from[i] on (all zero for a full redraw); earlier points are already on
   * screen in cached nodes. */
  void        (*snapshot_points) (SegChartLayer        *self,
                                  GtkSnapshot          *snapshot,
                                  const SegChartDomain *domain,
                                  double                width,
                                  double                height,
                                  const guint          *from);
  /* The values this layer needs room for (stacked bars need their sums). */
  gboolean    (*get_y_extent)    (SegChartLayer        *self,
                                  double               *y_min,
                                  double               *y_max);
  /* "Line chart", "Stacked bar chart", ... for the accessible description. */
  const char *(*get_kind_label)  (SegChartLayer        *self);

  gpointer _reserved[8];
};

void            seg_chart_layer_add_series    (SegChartLayer  *self,
                                               SegChartSeries *series);
void            seg_chart_layer_remove_series (SegChartLayer  *self,
                                               SegChartSeries *series);
guint           seg_chart_layer_get_n_series  (SegChartLayer  *self);
SegChartSeries *seg_chart_layer_get_series    (SegChartLayer  *self,
                                               guint           position);
gboolean        seg_chart_layer_get_y_extent  (SegChartLayer  *self,
                                               double         *y_min,
                                               double         *y_max);
const char     *seg_chart_layer_get_kind_label (SegChartLayer *self);

/* For subclasses. */
void            seg_chart_layer_get_color     (SegChartLayer  *self,
                                               guint           position,
                                               GdkRGBA        *color);
void            seg_chart_layer_invalidate    (SegChartLayer  *self);

G_END_DECLS
