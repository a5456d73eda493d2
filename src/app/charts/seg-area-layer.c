/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * SegAreaLayer: each series as a line over a translucent fill down to zero.
 */
#define G_LOG_DOMAIN "seg-area-layer"

#include "config.h"

#include <glib/gi18n.h>

#include "seg-area-layer.h"
#include "seg-chart-private.h"

#define FILL_ALPHA 0.25

struct _SegAreaLayer
{
  SegChartLayer parent_instance;
};

G_DEFINE_FINAL_TYPE (SegAreaLayer, seg_area_layer, SEG_TYPE_CHART_LAYER)

static void
seg_area_layer_snapshot_points (SegChartLayer        *layer,
                                GtkSnapshot          *snapshot,
                                const SegChartDomain *domain,
                                double                width,
                                double                height,
                                const guint          *from)
{
  double line_width = _seg_chart_layer_get_line_width (layer);
  guint n_series = seg_chart_layer_get_n_series (layer);
  double baseline;

  /* Areas grow from zero, or from the bottom when every value is above it. */
  baseline = _seg_chart_domain_y (domain, CLAMP (0.0, domain->y_min, domain->y_max), height);

  for (guint s = 0; s < n_series; s++)
    {
      SegChartSeries *series = seg_chart_layer_get_series (layer, s);
      const SegChartPoint *points;
      double first_x = 0, last_x = 0, last_y = 0;
      guint n_points;
      GdkRGBA color;
      cairo_t *cr;

      points = seg_chart_series_get_points (series, &n_points);
      if (from[s] >= n_points)
        continue;

      seg_chart_layer_get_color (layer, s, &color);

      cr = gtk_snapshot_append_cairo (snapshot,
                                      &GRAPHENE_RECT_INIT (-2 * line_width - 2,
                                                           -2 * line_width - 2,
                                                           width + 4 * line_width + 4,
                                                           height + 4 * line_width + 4));
      cairo_set_line_width (cr, line_width);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

      if (n_points == 1)
        {
          if (_seg_chart_line_path (cr, points, n_points, 0, domain, width, height,
                                    &first_x, &last_x, &last_y))
            {
              cairo_new_path (cr);
              gdk_cairo_set_source_rgba (cr, &color);
              cairo_arc (cr, last_x, last_y, line_width * 2, 0, 2 * G_PI);
              cairo_fill (cr);
            }
        }
      else if (_seg_chart_line_path (cr, points, n_points, from[s], domain, width, height,
                                     &first_x, &last_x, &last_y))
        {
          cairo_path_t *line = cairo_copy_path (cr);

          cairo_line_to (cr, last_x, baseline);
          cairo_line_to (cr, first_x, baseline);
          cairo_close_path (cr);
          cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha * FILL_ALPHA);
          cairo_fill (cr);

          cairo_append_path (cr, line);
          gdk_cairo_set_source_rgba (cr, &color);
          cairo_stroke (cr);
          cairo_path_destroy (line);
        }

      cairo_destroy (cr);
    }
}

static const char *
seg_area_layer_get_kind_label (SegChartLayer *layer)
{
  return _("Area chart");
}

static gboolean
seg_area_layer_get_y_extent (SegChartLayer *layer,
                             double        *y_min,
                             double        *y_max)
{
  if (!SEG_CHART_LAYER_CLASS (seg_area_layer_parent_class)->get_y_extent (layer, y_min, y_max))
    return FALSE;

  /* The fill reaches down to zero, so zero must be on the axis. */
  *y_min = MIN (*y_min, 0);
  *y_max = MAX (*y_max, 0);
  return TRUE;
}

static void
seg_area_layer_class_init (SegAreaLayerClass *klass)
{
  SegChartLayerClass *layer_class = SEG_CHART_LAYER_CLASS (klass);

  layer_class->snapshot_points = seg_area_layer_snapshot_points;
  layer_class->get_kind_label = seg_area_layer_get_kind_label;
  layer_class->get_y_extent = seg_area_layer_get_y_extent;
}

static void
seg_area_layer_init (SegAreaLayer *self)
{
}

/**
 * seg_area_layer_new:
 *
 * Returns: (transfer full): a layer that draws each series as a filled area
 */
SegChartLayer *
seg_area_layer_new (void)
{
  return g_object_new (SEG_TYPE_AREA_LAYER, NULL);
}
