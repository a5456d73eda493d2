/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Between SegChart and its layers; not for report pages. */

#include "seg-chart-layer.h"

G_BEGIN_DECLS

void     _seg_chart_layer_set_domain       (SegChartLayer        *self,
                                            const SegChartDomain *domain);
void     _seg_chart_layer_set_colors       (SegChartLayer        *self,
                                            const GdkRGBA        *colors,
                                            guint                 n_colors);
void     _seg_chart_layer_set_line_width   (SegChartLayer        *self,
                                            double                line_width);
double   _seg_chart_layer_get_line_width   (SegChartLayer        *self);
void     _seg_chart_layer_snapshot_full    (SegChartLayer        *self,
                                            GtkSnapshot          *snapshot,
                                            const SegChartDomain *domain,
                                            double                width,
                                            double                height);
guint    _seg_chart_layer_get_n_chunks     (SegChartLayer        *self);
gboolean _seg_chart_layer_is_bar           (SegChartLayer        *self);

static inline double
_seg_chart_domain_x (const SegChartDomain *domain,
                     double                x,
                     double                width)
{
  if (!(domain->x_max > domain->x_min))
    return width / 2;
  return (x - domain->x_min) / (domain->x_max - domain->x_min) * width;
}

static inline double
_seg_chart_domain_y (const SegChartDomain *domain,
                     double                y,
                     double                height)
{
  if (!(domain->y_max > domain->y_min))
    return height;
  return (1.0 - (y - domain->y_min) / (domain->y_max - domain->y_min)) * height;
}

G_END_DECLS

G_BEGIN_DECLS

gboolean _seg_chart_line_path (cairo_t              *cr,
                               const SegChartPoint  *points,
                               guint                 n_points,
                               guint                 from,
                               const SegChartDomain *domain,
                               double                width,
                               double                height,
                               double               *first_x,
                               double               *last_x,
                               double               *last_y);

G_END_DECLS
