/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * SegChartLayer: the base of the line, area and bar layers.
 *
 * A layer is a child widget of SegChart allocated to the plot area. It keeps
 * the render nodes it drew as "chunks": when a series grows at its end, only
 * the new tail is drawn into a new chunk and the old ones are replayed, so a
 * live chart does not redraw 10,000 points for every new one. A new size, a
 * new domain (the axes changed) or new colours drop the chunks.
 */
#define G_LOG_DOMAIN "seg-chart-layer"

#include "config.h"

#include <string.h>

#include "seg-chart-layer.h"
#include "seg-chart-private.h"
#include "seg-bar-layer.h"

/* Past this many chunks one full redraw is cheaper than replaying them. */
#define MAX_CHUNKS 32

typedef struct
{
  GPtrArray      *series;     /* SegChartSeries */
  GArray         *colors;     /* GdkRGBA, one per series, set by the chart */
  SegChartDomain  domain;
  double          line_width;

  GPtrArray      *chunks;     /* GskRenderNode */
  GArray         *drawn;      /* guint per series: points already in chunks */
  double          cache_width;
  double          cache_height;
} SegChartLayerPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (SegChartLayer, seg_chart_layer, GTK_TYPE_WIDGET)

enum {
  DATA_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/**
 * seg_chart_layer_invalidate:
 *
 * Drops the cached drawing so that the next frame draws everything again.
 */
void
seg_chart_layer_invalidate (SegChartLayer *self)
{
  SegChartLayerPrivate *priv = seg_chart_layer_get_instance_private (self);

  g_return_if_fail (SEG_IS_CHART_LAYER (self));

  g_ptr_array_set_size (priv->chunks, 0);
  for (guint i = 0; i < priv->drawn->len; i++)
    g_array_index (priv->drawn, guint, i) = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
series_changed_cb (SegChartLayer  *self,
                   SegChartSeries *series)
{
  seg_chart_layer_invalidate (self);
  g_signal_emit (self, signals[DATA_CHANGED], 0, FALSE);
}

static void
series_appended_cb (SegChartLayer  *self,
                    guint           position,
                    guint           n_added,
                    SegChartSeries *series)
{
  /* The cached chunks stay; the next frame draws only the tail, unless the
   * chart finds that the axes must change and sets a new domain. */
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[DATA_CHANGED], 0, TRUE);
}

static void
seg_chart_layer_snapshot_chunks (SegChartLayer *self,
                                 GtkSnapshot   *snapshot,
                                 double         width,
                                 double         height)
{
  SegChartLayerPrivate *priv = seg_chart_layer_get_instance_private (self);
  g_autofree guint *from = NULL;
  gboolean pending = FALSE;

  if (width != priv->cache_width || height != priv->cache_height ||
      priv->chunks->len >= MAX_CHUNKS)
    {
      g_ptr_array_set_size (priv->chunks, 0);
      for (guint i = 0; i < priv->drawn->len; i++)
        g_array_index (priv->drawn, guint, i) = 0;
      priv->cache_width = width;
      priv->cache_height = height;
    }

  from = g_new0 (guint, MAX (priv->series->len, 1));
  for (guint i = 0; i < priv->series->len; i++)
    {
      guint n = seg_chart_series_get_n_points (g_ptr_array_index (priv->series, i));

      from[i] = g_array_index (priv->drawn, guint, i);
      if (from[i] > n)
        from[i] = 0;
      if (from[i] < n)
        pending = TRUE;
    }

  if (pending)
    {
      GtkSnapshot *sub = gtk_snapshot_new ();
      GskRenderNode *node;

      SEG_CHART_LAYER_GET_CLASS (self)->snapshot_points (self, sub, &priv->domain,
                                                         width, height, from);
      node = gtk_snapshot_free_to_node (sub);
      if (node != NULL)
        g_ptr_array_add (priv->chunks, node);

      for (guint i = 0; i < priv->series->len; i++)
        g_array_index (priv->drawn, guint, i) =
          seg_chart_series_get_n_points (g_ptr_array_index (priv->series, i));
    }

  for (guint i = 0; i < priv->chunks->len; i++)
    gtk_snapshot_append_node (snapshot, g_ptr_array_index (priv->chunks, i));
}

static void
seg_chart_layer_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  SegChartLayer *self = SEG_CHART_LAYER (widget);

  seg_chart_layer_snapshot_chunks (self, snapshot,
                                   gtk_widget_get_width (widget),
                                   gtk_widget_get_height (widget));
}

static gboolean
seg_chart_layer_real_get_y_extent (SegChartLayer *self,
                                   double        *y_min,
                                   double        *y_max)
{
  SegChartLayerPrivate *priv = seg_chart_layer_get_instance_private (self);
  gboolean found = FALSE;

  for (guint i = 0; i < priv->series->len; i++)
    {
      double lo, hi;

      if (!seg_chart_series_get_extent (g_ptr_array_index (priv->series, i), NULL, NULL, &lo, &hi))
        continue;
      *y_min = found ? MIN (*y_min, lo) : lo;
      *y_max = found ? MAX (*y_max, hi) : hi;
      found = TRUE;
    }

  return found;
}

static void
seg_chart_layer_dispose (GObject *object)
{
  SegChartLayer *self = (SegChartLayer *)object;
  SegChartLayerPrivate *priv = seg_chart_layer_get_instance_private (self);

  while (priv->series->len > 0)
    seg_chart_layer_remove_series (self, g_ptr_array_index (priv->series, 0));
  g_ptr_array_set_size (priv->chunks, 0);

  G_OBJECT_CLASS (seg_chart_layer_parent_class)->dispose (object);
}

static void
seg_chart_layer_finalize (GObject *object)
{
  SegChartLayer *self = (SegChartLayer *)object;
  SegChartLayerPrivate *priv = seg_chart_layer_get_instance_private (self);

  g_clear_pointer (&priv->series, g_ptr_array_unref);
  g_clear_pointer (&priv->colors, g_array_unref);
  g_clear_pointer (&priv->chunks, g_ptr_array_unref);
  g_clear_pointer (&priv->drawn, g_array_unref);

  G_OBJECT_CLASS (seg_chart_layer_parent_class)->finalize (object);
}

static void
seg_chart_layer_class_init (SegChartLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = seg_chart_layer_dispose;
  object_class->finalize = seg_chart_layer_finalize;

  widget_class->snapshot = seg_chart_layer_snapshot;

  klass->get_y_extent = seg_chart_layer_real_get_y_extent;

  /**
   * SegChartLayer::data-changed:
   * @appended: whether points were only added at the end
   *
   * A series of the layer changed; the chart recomputes its axes.
   */
  signals[DATA_CHANGED] =
    g_signal_new ("data-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_set_css_name (widget_class, "chartlayer");
}

static void
seg_chart_layer_init (SegChartLayer *self)
{
  SegChartLayerPrivate *priv = seg_chart_layer_get_instance_private (self);

  priv->series = g_ptr_array_new_with_free_func (g_object_unref);
  priv->colors = g_array_new (FALSE, TRUE, sizeof (GdkRGBA));
  priv->chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) gsk_render_node_unref);
  priv->drawn = g_array_new (FALSE, TRUE, sizeof (guint));
  priv->line_width = 2.0;
  priv->domain.x_max = priv->domain.y_max = 1.0;

  /* The chart handles pointer input for all its layers. */
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
  gtk_widget_set_can_focus (GTK_WIDGET (self), FALSE);
}

/**
 * seg_chart_layer_add_series:
 * @series: a series to draw in this layer
 *
 * Adds a series. Colours follow the order of series across the chart's
 * layers unless the series sets its own.
 */
void
seg_chart_layer_add_series (SegChartLayer  *self,
                            SegChartSeries *series)
{
  SegChartLayerPrivate *priv = seg_chart_layer_get_instance_private (self);
  guint zero = 0;

  g_return_if_fail (SEG_IS_CHART_LAYER (self));
  g_return_if_fail (SEG_IS_CHART_SERIES (series));

  g_ptr_array_add (priv->series, g_object_ref (series));
  g_array_append_val (priv->drawn, zero);
  g_signal_connect_object (series, "changed", G_CALLBACK (series_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (series, "appended", G_CALLBACK (series_appended_cb), self,
                           G_CONNECT_SWAPPED);

  seg_chart_layer_invalidate (self);
  g_signal_emit (self, signals[DATA_CHANGED], 0, FALSE);
}

void
seg_chart_layer_remove_series (SegChartLayer  *self,
                               SegChartSeries *series)
{
  SegChartLayerPrivate *priv = seg_chart_layer_get_instance_private (self);
  guint position;

  g_return_if_fail (SEG_IS_CHART_LAYER (self));
  g_return_if_fail (SEG_IS_CHART_SERIES (series));

  if (!g_ptr_array_find (priv->series, series, &position))
    return;

  g_signal_handlers_disconnect_by_data (series, self);
  g_array_remove_index (priv->drawn, position);
  g_ptr_array_remove_index (priv->series, position);

  seg_chart_layer_invalidate (self);
  g_signal_emit (self, signals[DATA_CHANGED], 0, FALSE);
}

guint
seg_chart_layer_get_n_series (SegChartLayer *self)
{
  SegChartLayerPrivate *priv = seg_chart_layer_get_instance_private (self);

  g_return_val_if_fail (SEG_IS_CHART_LAYER (self), 0);
  return priv->series->len;
}

/**
 * seg_chart_layer_get_series:
 *
 * Returns: (transfer none): the series at @position
 */
SegChartSeries *
seg_chart_layer_get_series (SegChartLayer *self,
                            guint          position)
{
  SegChartLayerPrivate *priv = seg_chart_layer_get_instance_private (self);

  g_return_val_if_fail (SEG_IS_CHART_LAYER (self), NULL);
  g_return_val_if_fail (position < priv->series->len, NULL);
  return g_ptr_array_index (priv->series, position);
}

/**
 * seg_chart_layer_get_y_extent:
 * @y_min: (out): the lowest value to fit
 * @y_max: (out): the highest value to fit
 *
 * Returns: %FALSE when the layer has no values
 */
gboolean
seg_chart_layer_get_y_extent (SegChartLayer *self,
                              double        *y_min,
                              double        *y_max)
{
  g_return_val_if_fail (SEG_IS_CHART_LAYER (self), FALSE);
  return SEG_CHART_LAYER_GET_CLASS (self)->get_y_extent (self, y_min, y_max);
}

const char *
seg_chart_layer_get_kind_label (SegChartLayer *self)
{
  g_return_val_if_fail (SEG_IS_CHART_LAYER (self), NULL);
  return SEG_CHART_LAYER_GET_CLASS (self)->get_kind_label (self);
}

/**
 * seg_chart_layer_get_color:
 * @position: the index of a series in this layer
 * @color: (out): its colour, from the theme or the series
 */
void
seg_chart_layer_get_color (SegChartLayer *self,
                           guint          position,
                           GdkRGBA       *color)
{
  SegChartLayerPrivate *priv = seg_chart_layer_get_instance_private (self);

  if (position < priv->colors->len)
    *color = g_array_index (priv->colors, GdkRGBA, position);
  else
    *color = (GdkRGBA) { 0.21, 0.52, 0.89, 1.0 };
}

void
_seg_chart_layer_set_domain (SegChartLayer        *self,
                             const SegChartDomain *domain)
{
  SegChartLayerPrivate *priv = seg_chart_layer_get_instance_private (self);

  if (memcmp (&priv->domain, domain, sizeof *domain) == 0)
    return;
  priv->domain = *domain;
  seg_chart_layer_invalidate (self);
}

void
_seg_chart_layer_set_colors (SegChartLayer *self,
                             const GdkRGBA *colors,
                             guint          n_colors)
{
  SegChartLayerPrivate *priv = seg_chart_layer_get_instance_private (self);

  if (priv->colors->len == n_colors &&
      memcmp (priv->colors->data, colors, sizeof (GdkRGBA) * n_colors) == 0)
    return;
  g_array_set_size (priv->colors, 0);
  g_array_append_vals (priv->colors, colors, n_colors);
  seg_chart_layer_invalidate (self);
}

void
_seg_chart_layer_set_line_width (SegChartLayer *self,
                                 double         line_width)
{
  SegChartLayerPrivate *priv = seg_chart_layer_get_instance_private (self);

  if (priv->line_width == line_width)
    return;
  priv->line_width = line_width;
  seg_chart_layer_invalidate (self);
}

double
_seg_chart_layer_get_line_width (SegChartLayer *self)
{
  SegChartLayerPrivate *priv = seg_chart_layer_get_instance_private (self);

  return priv->line_width;
}

/* Draws everything at any size without touching the cache: for export. */
void
_seg_chart_layer_snapshot_full (SegChartLayer        *self,
                                GtkSnapshot          *snapshot,
                                const SegChartDomain *domain,
                                double                width,
                                double                height)
{
  SegChartLayerPrivate *priv = seg_chart_layer_get_instance_private (self);
  g_autofree guint *from = g_new0 (guint, MAX (priv->series->len, 1));

  SEG_CHART_LAYER_GET_CLASS (self)->snapshot_points (self, snapshot, domain, width, height, from);
}

guint
_seg_chart_layer_get_n_chunks (SegChartLayer *self)
{
  SegChartLayerPrivate *priv = seg_chart_layer_get_instance_private (self);

  return priv->chunks->len;
}

gboolean
_seg_chart_layer_is_bar (SegChartLayer *self)
{
  return SEG_IS_BAR_LAYER (self);
}
