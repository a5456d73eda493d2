/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * SegChartSeries: the values of one line, area or set of bars, sorted by x.
 *
 * A series knows nothing of pixels. It tells its chart whether it was
 * replaced ("changed": everything is redrawn) or grew at its end
 * ("appended": only the new tail is drawn, the rest stays cached).
 */
#define G_LOG_DOMAIN "seg-chart-series"

#include "config.h"

#include <math.h>

#include "seg-chart-series.h"

struct _SegChartSeries
{
  GObject  parent_instance;

  char    *title;
  char    *color;
  GArray  *points;   /* SegChartPoint, sorted by x */
  double   y_min;
  double   y_max;
};

G_DEFINE_FINAL_TYPE (SegChartSeries, seg_chart_series, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_COLOR,
  PROP_N_POINTS,
  N_PROPS
};

enum {
  CHANGED,
  APPENDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
seg_chart_series_finalize (GObject *object)
{
  SegChartSeries *self = (SegChartSeries *)object;

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->color, g_free);
  g_clear_pointer (&self->points, g_array_unref);

  G_OBJECT_CLASS (seg_chart_series_parent_class)->finalize (object);
}

static void
seg_chart_series_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SegChartSeries *self = SEG_CHART_SERIES (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_COLOR:
      g_value_set_string (value, self->color);
      break;
    case PROP_N_POINTS:
      g_value_set_uint (value, self->points->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_chart_series_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SegChartSeries *self = SEG_CHART_SERIES (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      seg_chart_series_set_title (self, g_value_get_string (value));
      break;
    case PROP_COLOR:
      seg_chart_series_set_color (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_chart_series_class_init (SegChartSeriesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = seg_chart_series_finalize;
  object_class->get_property = seg_chart_series_get_property;
  object_class->set_property = seg_chart_series_set_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SegChartSeries:color:
   *
   * A colour that overrides the theme palette, as gdk_rgba_parse() reads it.
   */
  properties[PROP_COLOR] =
    g_param_spec_string ("color", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_POINTS] =
    g_param_spec_uint ("n-points", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SegChartSeries::changed:
   *
   * The points were replaced, or the title or colour changed.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * SegChartSeries::appended:
   * @position: the index of the first new point
   * @n_added: how many points were added at the end
   */
  signals[APPENDED] =
    g_signal_new ("appended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
}

static void
seg_chart_series_init (SegChartSeries *self)
{
  self->points = g_array_new (FALSE, FALSE, sizeof (SegChartPoint));
  self->y_min = INFINITY;
  self->y_max = -INFINITY;
}

/**
 * seg_chart_series_new:
 * @title: (nullable): the name shown in the legend, tooltip and CSV header
 *
 * Returns: (transfer full): a new empty series
 */
SegChartSeries *
seg_chart_series_new (const char *title)
{
  return g_object_new (SEG_TYPE_CHART_SERIES, "title", title, NULL);
}

const char *
seg_chart_series_get_title (SegChartSeries *self)
{
  g_return_val_if_fail (SEG_IS_CHART_SERIES (self), NULL);
  return self->title;
}

void
seg_chart_series_set_title (SegChartSeries *self,
                            const char     *title)
{
  g_return_if_fail (SEG_IS_CHART_SERIES (self));

  if (g_strcmp0 (self->title, title) == 0)
    return;
  g_free (self->title);
  self->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * seg_chart_series_get_color:
 *
 * Returns: (nullable): the colour set on the series, %NULL to follow the theme
 */
const char *
seg_chart_series_get_color (SegChartSeries *self)
{
  g_return_val_if_fail (SEG_IS_CHART_SERIES (self), NULL);
  return self->color;
}

void
seg_chart_series_set_color (SegChartSeries *self,
                            const char     *color)
{
  g_return_if_fail (SEG_IS_CHART_SERIES (self));

  if (g_strcmp0 (self->color, color) == 0)
    return;
  g_free (self->color);
  self->color = g_strdup (color);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOR]);
  g_signal_emit (self, signals[CHANGED], 0);
}

guint
seg_chart_series_get_n_points (SegChartSeries *self)
{
  g_return_val_if_fail (SEG_IS_CHART_SERIES (self), 0);
  return self->points->len;
}

/**
 * seg_chart_series_get_points:
 * @n_points: (out) (optional): how many points there are
 *
 * Returns: (transfer none) (nullable): the points, sorted by x; valid until
 *   the series changes
 */
const SegChartPoint *
seg_chart_series_get_points (SegChartSeries *self,
                             guint          *n_points)
{
  g_return_val_if_fail (SEG_IS_CHART_SERIES (self), NULL);

  if (n_points)
    *n_points = self->points->len;
  return (const SegChartPoint *)(gpointer) self->points->data;
}

static int
compare_points (gconstpointer a,
                gconstpointer b)
{
  const SegChartPoint *pa = a, *pb = b;

  return (pa->x > pb->x) - (pa->x < pb->x);
}

static void
update_y_extent (SegChartSeries      *self,
                 const SegChartPoint *points,
                 guint                n_points)
{
  for (guint i = 0; i < n_points; i++)
    {
      if (!isfinite (points[i].y))
        continue;
      self->y_min = MIN (self->y_min, points[i].y);
      self->y_max = MAX (self->y_max, points[i].y);
    }
}

static gboolean
is_sorted (const SegChartPoint *points,
           guint                n_points,
           double               after)
{
  for (guint i = 0; i < n_points; i++)
    {
      if (points[i].x < after)
        return FALSE;
      after = points[i].x;
    }
  return TRUE;
}

/**
 * seg_chart_series_set_points:
 * @points: (array length=n_points) (nullable): the new points, in any order
 * @n_points: how many
 *
 * Replaces all points. Points are kept sorted by x (stably, so equal x keep
 * their order).
 */
void
seg_chart_series_set_points (SegChartSeries      *self,
                             const SegChartPoint *points,
                             guint                n_points)
{
  g_return_if_fail (SEG_IS_CHART_SERIES (self));
  g_return_if_fail (points != NULL || n_points == 0);

  g_array_set_size (self->points, 0);
  if (n_points > 0)
    g_array_append_vals (self->points, points, n_points);
  if (!is_sorted (points, n_points, -INFINITY))
    g_array_sort (self->points, compare_points);

  self->y_min = INFINITY;
  self->y_max = -INFINITY;
  update_y_extent (self, (const SegChartPoint *)(gpointer) self->points->data, n_points);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_POINTS]);
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * seg_chart_series_set_values:
 * @values: (array length=n_values): one value per category
 * @n_values: how many
 *
 * Replaces all points by @values at x = 0, 1, 2, …: the form a category
 * axis expects.
 */
void
seg_chart_series_set_values (SegChartSeries *self,
                             const double   *values,
                             guint           n_values)
{
  g_autofree SegChartPoint *points = g_new (SegChartPoint, n_values);

  g_return_if_fail (SEG_IS_CHART_SERIES (self));

  for (guint i = 0; i < n_values; i++)
    {
      points[i].x = i;
      points[i].y = values[i];
    }
  seg_chart_series_set_points (self, points, n_values);
}

/**
 * seg_chart_series_append_many:
 * @points: (array length=n_points): points with x not before the last one
 * @n_points: how many
 *
 * Adds streamed points at the end. Charts redraw only the new tail. Points
 * that arrive out of order are sorted in, which redraws the whole series.
 */
void
seg_chart_series_append_many (SegChartSeries      *self,
                              const SegChartPoint *points,
                              guint                n_points)
{
  guint position;
  double last;

  g_return_if_fail (SEG_IS_CHART_SERIES (self));

  if (n_points == 0)
    return;

  position = self->points->len;
  last = position > 0 ? g_array_index (self->points, SegChartPoint, position - 1).x : -INFINITY;

  g_array_append_vals (self->points, points, n_points);
  update_y_extent (self, points, n_points);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_POINTS]);

  if (is_sorted (points, n_points, last))
    {
      g_signal_emit (self, signals[APPENDED], 0, position, n_points);
    }
  else
    {
      g_array_sort (self->points, compare_points);
      g_signal_emit (self, signals[CHANGED], 0);
    }
}

/**
 * seg_chart_series_append:
 * @x: the position
 * @y: the value
 *
 * Adds one streamed point; see seg_chart_series_append_many().
 */
void
seg_chart_series_append (SegChartSeries *self,
                         double          x,
                         double          y)
{
  SegChartPoint point = { x, y };

  seg_chart_series_append_many (self, &point, 1);
}

void
seg_chart_series_clear (SegChartSeries *self)
{
  g_return_if_fail (SEG_IS_CHART_SERIES (self));

  if (self->points->len == 0)
    return;
  seg_chart_series_set_points (self, NULL, 0);
}

/**
 * seg_chart_series_get_extent:
 * @x_min: (out) (optional):
 * @x_max: (out) (optional):
 * @y_min: (out) (optional):
 * @y_max: (out) (optional):
 *
 * Returns: %FALSE when the series has no finite value (outs then untouched)
 */
gboolean
seg_chart_series_get_extent (SegChartSeries *self,
                             double         *x_min,
                             double         *x_max,
                             double         *y_min,
                             double         *y_max)
{
  g_return_val_if_fail (SEG_IS_CHART_SERIES (self), FALSE);

  if (self->points->len == 0 || self->y_min > self->y_max)
    return FALSE;

  if (x_min)
    *x_min = g_array_index (self->points, SegChartPoint, 0).x;
  if (x_max)
    *x_max = g_array_index (self->points, SegChartPoint, self->points->len - 1).x;
  if (y_min)
    *y_min = self->y_min;
  if (y_max)
    *y_max = self->y_max;
  return TRUE;
}

/**
 * seg_chart_series_lookup:
 * @x: a position
 * @y: (out) (optional): the value at @x
 *
 * Returns: whether the series has a point exactly at @x
 */
gboolean
seg_chart_series_lookup (SegChartSeries *self,
                         double          x,
                         double         *y)
{
  const SegChartPoint *points;
  gsize i;

  g_return_val_if_fail (SEG_IS_CHART_SERIES (self), FALSE);

  points = (const SegChartPoint *)(gpointer) self->points->data;
  i = seg_chart_points_lower_bound (points, self->points->len, x);
  if (i >= self->points->len || points[i].x != x)
    return FALSE;
  if (y)
    *y = points[i].y;
  return TRUE;
}
