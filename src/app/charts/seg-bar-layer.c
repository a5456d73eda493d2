/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * SegBarLayer: bars per bucket (a day, a category), grouped or stacked.
 *
 * Bars are rectangles in the snapshot (no Cairo). When buckets are narrower
 * than three pixels, bars are merged per pixel column into their tallest
 * value, so 10,000 days still read as a silhouette.
 */
#define G_LOG_DOMAIN "seg-bar-layer"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "seg-bar-layer.h"
#include "seg-chart-private.h"

#define BAR_RADIUS    3.0
#define MAX_BAR_WIDTH 64.0

struct _SegBarLayer
{
  SegChartLayer   parent_instance;
  SegBarLayerMode mode;
};

G_DEFINE_FINAL_TYPE (SegBarLayer, seg_bar_layer, SEG_TYPE_CHART_LAYER)
G_DEFINE_ENUM_TYPE (SegBarLayerMode, seg_bar_layer_mode,
                    G_DEFINE_ENUM_VALUE (SEG_BAR_LAYER_GROUPED, "grouped"),
                    G_DEFINE_ENUM_VALUE (SEG_BAR_LAYER_STACKED, "stacked"))

enum {
  PROP_0,
  PROP_MODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The sum of the values of the series below @s at @x with the sign of @y,
 * where a stacked bar of series @s starts. */
static double
stack_base (SegChartLayer *layer,
            guint          s,
            double         x,
            double         y)
{
  double base = 0;

  for (guint j = 0; j < s; j++)
    {
      double v;

      if (seg_chart_series_lookup (seg_chart_layer_get_series (layer, j), x, &v) &&
          isfinite (v) && (v >= 0) == (y >= 0))
        base += v;
    }

  return base;
}

static double
bucket_width (const SegChartDomain *domain)
{
  return domain->bucket > 0 ? domain->bucket : 1.0;
}

/* The rectangle of bar @index of series @s, in plot pixels. */
static gboolean
compute_bar_rect (SegBarLayer          *self,
                  const SegChartDomain *domain,
                  double                width,
                  double                height,
                  guint                 s,
                  const SegChartPoint  *point,
                  graphene_rect_t      *rect)
{
  SegChartLayer *layer = SEG_CHART_LAYER (self);
  guint n_series = seg_chart_layer_get_n_series (layer);
  double x0 = _seg_chart_domain_x (domain, point->x, width);
  double x1 = _seg_chart_domain_x (domain, point->x + bucket_width (domain), width);
  double band = x1 - x0;
  double gap = MAX (1.0, band * 0.2);
  double inner = band - gap;
  double left, bar_width, y0, y1, base = 0;

  if (!isfinite (point->y) || inner <= 0)
    return FALSE;

  /* A few buckets on a wide plot would make slabs: keep bars slender and
   * centred in their bucket. */
  if (inner > MAX_BAR_WIDTH * MAX (1, self->mode == SEG_BAR_LAYER_STACKED ? 1 : n_series))
    {
      double capped = MAX_BAR_WIDTH * MAX (1, self->mode == SEG_BAR_LAYER_STACKED ? 1 : n_series);

      gap += inner - capped;
      inner = capped;
    }

  if (self->mode == SEG_BAR_LAYER_STACKED || n_series <= 1)
    {
      left = x0 + gap / 2;
      bar_width = inner;
      if (self->mode == SEG_BAR_LAYER_STACKED)
        base = stack_base (layer, s, point->x, point->y);
    }
  else
    {
      bar_width = inner / n_series;
      left = x0 + gap / 2 + s * bar_width;
      /* A hairline between neighbours, when there is room for it. */
      if (bar_width > 4)
        bar_width -= 1;
    }

  y0 = _seg_chart_domain_y (domain, base, height);
  y1 = _seg_chart_domain_y (domain, base + point->y, height);

  graphene_rect_init (rect, left, MIN (y0, y1), bar_width, fabs (y1 - y0));
  return TRUE;
}

/**
 * seg_bar_layer_get_bar_rect:
 * @domain: the domain the chart drew with
 * @width: the plot width
 * @height: the plot height
 * @series: the index of a series in this layer
 * @index: the index of a point of that series
 * @rect: (out): where its bar is drawn, relative to the plot
 *
 * Tells where a bar is, for hit tests and for tests that check pixels.
 *
 * Returns: %FALSE when that bar is not drawn
 */
gboolean
seg_bar_layer_get_bar_rect (SegBarLayer          *self,
                            const SegChartDomain *domain,
                            double                width,
                            double                height,
                            guint                 series,
                            guint                 index,
                            graphene_rect_t      *rect)
{
  const SegChartPoint *points;
  guint n_points;

  g_return_val_if_fail (SEG_IS_BAR_LAYER (self), FALSE);
  g_return_val_if_fail (series < seg_chart_layer_get_n_series (SEG_CHART_LAYER (self)), FALSE);

  points = seg_chart_series_get_points (seg_chart_layer_get_series (SEG_CHART_LAYER (self),
                                                                    series), &n_points);
  if (index >= n_points)
    return FALSE;
  return compute_bar_rect (self, domain, width, height, series, &points[index], rect);
}

static void
append_bar (GtkSnapshot           *snapshot,
            const graphene_rect_t *rect,
            const GdkRGBA         *color,
            gboolean               round_top,
            gboolean               round_bottom)
{
  double r = MIN (BAR_RADIUS, MIN (rect->size.width, rect->size.height) / 2);
  graphene_size_t top = GRAPHENE_SIZE_INIT (round_top ? r : 0, round_top ? r : 0);
  graphene_size_t bottom = GRAPHENE_SIZE_INIT (round_bottom ? r : 0, round_bottom ? r : 0);
  GskRoundedRect rounded;

  if (r < 0.5 || (!round_top && !round_bottom))
    {
      gtk_snapshot_append_color (snapshot, color, rect);
      return;
    }

  gsk_rounded_rect_init (&rounded, rect, &top, &top, &bottom, &bottom);
  gtk_snapshot_push_rounded_clip (snapshot, &rounded);
  gtk_snapshot_append_color (snapshot, color, rect);
  gtk_snapshot_pop (snapshot);
}

/* Dense bars: the tallest bar per pixel column, topmost series first so that
 * lower parts of a stack paint over it. */
static void
snapshot_dense (SegBarLayer          *self,
                GtkSnapshot          *snapshot,
                const SegChartDomain *domain,
                double                width,
                double                height,
                const guint          *from)
{
  SegChartLayer *layer = SEG_CHART_LAYER (self);
  guint n_series = seg_chart_layer_get_n_series (layer);
  guint n_columns = (guint) ceil (MAX (width, 1));
  g_autofree double *top = g_new (double, n_columns);
  g_autofree double *bottom = g_new (double, n_columns);
  double zero = _seg_chart_domain_y (domain, 0, height);

  for (guint k = n_series; k-- > 0;)
    {
      SegChartSeries *series = seg_chart_layer_get_series (layer, k);
      const SegChartPoint *points;
      guint n_points;
      GdkRGBA color;

      points = seg_chart_series_get_points (series, &n_points);
      if (from[k] >= n_points)
        continue;

      for (guint c = 0; c < n_columns; c++)
        top[c] = bottom[c] = zero;

      for (guint i = from[k]; i < n_points; i++)
        {
          double base = 0, mid, y;
          gint64 c;

          if (!isfinite (points[i].y))
            continue;
          if (self->mode == SEG_BAR_LAYER_STACKED)
            base = stack_base (layer, k, points[i].x, points[i].y);

          mid = _seg_chart_domain_x (domain, points[i].x + bucket_width (domain) / 2, width);
          c = CLAMP ((gint64) floor (mid), 0, (gint64) n_columns - 1);
          y = _seg_chart_domain_y (domain, base + points[i].y, height);
          top[c] = MIN (top[c], y);
          bottom[c] = MAX (bottom[c], y);
        }

      seg_chart_layer_get_color (layer, k, &color);
      for (guint c = 0; c < n_columns; c++)
        {
          if (top[c] < zero)
            gtk_snapshot_append_color (snapshot, &color,
                                       &GRAPHENE_RECT_INIT (c, top[c], 1, zero - top[c]));
          if (bottom[c] > zero)
            gtk_snapshot_append_color (snapshot, &color,
                                       &GRAPHENE_RECT_INIT (c, zero, 1, bottom[c] - zero));
        }
    }
}

static void
seg_bar_layer_snapshot_points (SegChartLayer        *layer,
                               GtkSnapshot          *snapshot,
                               const SegChartDomain *domain,
                               double                width,
                               double                height,
                               const guint          *from)
{
  SegBarLayer *self = SEG_BAR_LAYER (layer);
  guint n_series = seg_chart_layer_get_n_series (layer);
  double band;

  band = _seg_chart_domain_x (domain, domain->x_min + bucket_width (domain), width);
  if (band < 3)
    {
      snapshot_dense (self, snapshot, domain, width, height, from);
      return;
    }

  for (guint s = 0; s < n_series; s++)
    {
      SegChartSeries *series = seg_chart_layer_get_series (layer, s);
      const SegChartPoint *points;
      guint n_points;
      GdkRGBA color;

      points = seg_chart_series_get_points (series, &n_points);
      seg_chart_layer_get_color (layer, s, &color);

      for (guint i = from[s]; i < n_points; i++)
        {
          graphene_rect_t rect;
          gboolean last_in_stack;

          if (!compute_bar_rect (self, domain, width, height, s, &points[i], &rect) ||
              rect.size.height <= 0)
            continue;

          /* Only the outer end of a bar (of a stack) is rounded. */
          last_in_stack = self->mode != SEG_BAR_LAYER_STACKED || s + 1 == n_series;
          append_bar (snapshot, &rect, &color,
                      last_in_stack && points[i].y > 0,
                      last_in_stack && points[i].y < 0);
        }
    }
}

static gboolean
seg_bar_layer_get_y_extent (SegChartLayer *layer,
                            double        *y_min,
                            double        *y_max)
{
  SegBarLayer *self = SEG_BAR_LAYER (layer);
  guint n_series = seg_chart_layer_get_n_series (layer);
  gboolean found = FALSE;

  if (self->mode != SEG_BAR_LAYER_STACKED)
    found = SEG_CHART_LAYER_CLASS (seg_bar_layer_parent_class)->get_y_extent (layer, y_min, y_max);
  else
    {
      for (guint s = 0; s < n_series; s++)
        {
          const SegChartPoint *points;
          guint n_points;

          points = seg_chart_series_get_points (seg_chart_layer_get_series (layer, s), &n_points);
          for (guint i = 0; i < n_points; i++)
            {
              double v;

              if (!isfinite (points[i].y))
                continue;
              v = stack_base (layer, s, points[i].x, points[i].y) + points[i].y;
              *y_min = found ? MIN (*y_min, v) : v;
              *y_max = found ? MAX (*y_max, v) : v;
              found = TRUE;
            }
        }
    }

  if (!found)
    return FALSE;

  /* Bars stand on zero. */
  *y_min = MIN (*y_min, 0);
  *y_max = MAX (*y_max, 0);
  return TRUE;
}

static const char *
seg_bar_layer_get_kind_label (SegChartLayer *layer)
{
  SegBarLayer *self = SEG_BAR_LAYER (layer);

  if (self->mode == SEG_BAR_LAYER_STACKED)
    return _("Stacked bar chart");
  if (seg_chart_layer_get_n_series (layer) > 1)
    return _("Grouped bar chart");
  return _("Bar chart");
}

static void
seg_bar_layer_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SegBarLayer *self = SEG_BAR_LAYER (object);

  switch (prop_id)
    {
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_bar_layer_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SegBarLayer *self = SEG_BAR_LAYER (object);

  switch (prop_id)
    {
    case PROP_MODE:
      seg_bar_layer_set_mode (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_bar_layer_class_init (SegBarLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SegChartLayerClass *layer_class = SEG_CHART_LAYER_CLASS (klass);

  object_class->get_property = seg_bar_layer_get_property;
  object_class->set_property = seg_bar_layer_set_property;

  layer_class->snapshot_points = seg_bar_layer_snapshot_points;
  layer_class->get_y_extent = seg_bar_layer_get_y_extent;
  layer_class->get_kind_label = seg_bar_layer_get_kind_label;

  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL, SEG_TYPE_BAR_LAYER_MODE, SEG_BAR_LAYER_GROUPED,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
seg_bar_layer_init (SegBarLayer *self)
{
}

/**
 * seg_bar_layer_new:
 * @mode: whether several series stand side by side or stacked
 *
 * Returns: (transfer full): a layer that draws its series as bars
 */
SegChartLayer *
seg_bar_layer_new (SegBarLayerMode mode)
{
  return g_object_new (SEG_TYPE_BAR_LAYER, "mode", mode, NULL);
}

SegBarLayerMode
seg_bar_layer_get_mode (SegBarLayer *self)
{
  g_return_val_if_fail (SEG_IS_BAR_LAYER (self), SEG_BAR_LAYER_GROUPED);
  return self->mode;
}

void
seg_bar_layer_set_mode (SegBarLayer     *self,
                        SegBarLayerMode  mode)
{
  g_return_if_fail (SEG_IS_BAR_LAYER (self));

  if (self->mode == mode)
    return;
  self->mode = mode;
  seg_chart_layer_invalidate (SEG_CHART_LAYER (self));
  /* Stacking changes the axis the chart needs. */
  g_signal_emit_by_name (self, "data-changed", FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}
