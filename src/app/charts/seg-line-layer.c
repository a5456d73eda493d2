/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * SegLineLayer: each series as a line, drawn with Cairo into a render node.
 *
 * Past two points per pixel the line is drawn from the per-column envelope
 * (first, min, max, last), which keeps every spike of 10,000 points while
 * costing at most four vertices per pixel.
 */
#define G_LOG_DOMAIN "seg-line-layer"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "seg-line-layer.h"
#include "seg-chart-private.h"

struct _SegLineLayer
{
  SegChartLayer parent_instance;
};

G_DEFINE_FINAL_TYPE (SegLineLayer, seg_line_layer, SEG_TYPE_CHART_LAYER)

/*
 * Adds to @cr the path through points[from - 1 ..] (the point before @from
 * joins the new tail to what is already drawn). Returns FALSE when there is
 * nothing to draw; *first_x and *last_x are the ends of the path, for areas.
 */
gboolean
_seg_chart_line_path (cairo_t              *cr,
                      const SegChartPoint  *points,
                      guint                 n_points,
                      guint                 from,
                      const SegChartDomain *domain,
                      double                width,
                      double                height,
                      double               *first_x,
                      double               *last_x,
                      double               *last_y)
{
  guint start = from > 0 ? from - 1 : 0;
  double offset = domain->bucket / 2;
  gboolean started = FALSE;

  if (start >= n_points)
    return FALSE;

  if (n_points - start > 2 * width && width >= 1)
    {
      guint n_columns = (guint) ceil (width);
      g_autofree SegChartColumn *columns = g_new (SegChartColumn, n_columns);

      seg_chart_envelope (points + start, n_points - start, domain->x_min, domain->x_max,
                          offset, columns, n_columns);

      for (guint c = 0; c < n_columns; c++)
        {
          const SegChartColumn *col = &columns[c];
          double cx = (c + 0.5) * width / n_columns;

          if (col->n == 0)
            continue;

          if (!started)
            {
              cairo_move_to (cr, cx, _seg_chart_domain_y (domain, col->first, height));
              *first_x = cx;
              started = TRUE;
            }
          else
            {
              cairo_line_to (cr, cx, _seg_chart_domain_y (domain, col->first, height));
            }

          if (col->n > 1)
            {
              cairo_line_to (cr, cx, _seg_chart_domain_y (domain, col->min, height));
              cairo_line_to (cr, cx, _seg_chart_domain_y (domain, col->max, height));
              cairo_line_to (cr, cx, _seg_chart_domain_y (domain, col->last, height));
            }
          *last_x = cx;
          *last_y = _seg_chart_domain_y (domain, col->last, height);
        }

      return started;
    }

  for (guint i = start; i < n_points; i++)
    {
      double x, y;

      if (!isfinite (points[i].y))
        continue;

      x = _seg_chart_domain_x (domain, points[i].x + offset, width);
      y = _seg_chart_domain_y (domain, points[i].y, height);

      if (!started)
        {
          cairo_move_to (cr, x, y);
          *first_x = x;
          started = TRUE;
        }
      else
        {
          cairo_line_to (cr, x, y);
        }
      *last_x = x;
      *last_y = y;
    }

  return started;
}

static void
seg_line_layer_snapshot_points (SegChartLayer        *layer,
                                GtkSnapshot          *snapshot,
                                const SegChartDomain *domain,
                                double                width,
                                double                height,
                                const guint          *from)
{
  double line_width = _seg_chart_layer_get_line_width (layer);
  guint n_series = seg_chart_layer_get_n_series (layer);

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

      /* Room around the plot so that a line at the top or bottom is not cut. */
      cr = gtk_snapshot_append_cairo (snapshot,
                                      &GRAPHENE_RECT_INIT (-2 * line_width - 2,
                                                           -2 * line_width - 2,
                                                           width + 4 * line_width + 4,
                                                           height + 4 * line_width + 4));
      gdk_cairo_set_source_rgba (cr, &color);
      cairo_set_line_width (cr, line_width);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

      if (_seg_chart_line_path (cr, points, n_points, from[s], domain, width, height,
                                &first_x, &last_x, &last_y))
        {
          if (n_points == 1)
            {
              /* A single value has no line: show it as a dot. */
              cairo_new_path (cr);
              cairo_arc (cr, last_x, last_y, line_width * 2, 0, 2 * G_PI);
              cairo_fill (cr);
            }
          else
            {
              cairo_stroke (cr);
            }
        }

      cairo_destroy (cr);
    }
}

static const char *
seg_line_layer_get_kind_label (SegChartLayer *layer)
{
  return _("Line chart");
}

static void
seg_line_layer_class_init (SegLineLayerClass *klass)
{
  SegChartLayerClass *layer_class = SEG_CHART_LAYER_CLASS (klass);

  layer_class->snapshot_points = seg_line_layer_snapshot_points;
  layer_class->get_kind_label = seg_line_layer_get_kind_label;
}

static void
seg_line_layer_init (SegLineLayer *self)
{
}

/**
 * seg_line_layer_new:
 *
 * Returns: (transfer full): a layer that draws each of its series as a line
 */
SegChartLayer *
seg_line_layer_new (void)
{
  return g_object_new (SEG_TYPE_LINE_LAYER, NULL);
}
