/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * SegChart: the chart container. It owns the axes, gridlines, title, legend,
 * hover crosshair, selection and export; its layers (line, area, bars) are
 * child widgets allocated to the plot area that draw the values.
 *
 * Drawing goes through one function, seg_chart_snapshot_at(), for the screen
 * and for exports (PNG, SVG, clipboard), so a saved image is what the user
 * sees. The frame (axes, labels) is kept as a render node until the layout
 * changes, so hovering only redraws the crosshair.
 */
#define G_LOG_DOMAIN "seg-chart"

#include "config.h"

#include <cairo-svg.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "seg-chart.h"
#include "seg-chart-private.h"
#include "seg-chart-ticks.h"

#define PADDING       12
#define LABEL_GAP     8
#define LEGEND_SWATCH 10
#define LEGEND_GAP    18
#define MIN_Y_SPACING 44
#define MIN_X_GAP     28
#define EXPORT_WIDTH  800
#define EXPORT_HEIGHT 400

typedef struct
{
  int             width;
  int             height;
  gboolean        empty;
  graphene_rect_t plot;
  SegChartDomain  domain;
  GArray         *y_ticks;       /* SegChartTick */
  GArray         *x_ticks;       /* SegChartTick, value = x where the label is centred */
  double          title_y;
  double          legend_y;
} Layout;

struct _SegChart
{
  GtkWidget           parent_instance;

  GPtrArray          *layers;
  char               *title;
  char               *empty_text;
  SegChartXAxis       x_axis;
  SegChartTimeBucket  time_bucket;
  GTimeZone          *time_zone;
  GStrv               categories;
  gboolean            has_x_range;
  double              x_range_min;
  double              x_range_max;
  gboolean            show_legend;
  gboolean            high_contrast;

  int                 selected;
  int                 hover;

  GdkRGBA             fg;
  GdkRGBA             accent;
  GdkRGBA             bg;
  gboolean            dark;

  Layout              layout;
  GskRenderNode      *frame_node;
  GArray             *slots;       /* double, sorted distinct x; NULL when stale */
  char               *description;
  guint               description_idle;
  GtkWidget          *popover;
};

G_DEFINE_FINAL_TYPE (SegChart, seg_chart, GTK_TYPE_WIDGET)
G_DEFINE_ENUM_TYPE (SegChartXAxis, seg_chart_x_axis,
                    G_DEFINE_ENUM_VALUE (SEG_CHART_X_AXIS_TIME, "time"),
                    G_DEFINE_ENUM_VALUE (SEG_CHART_X_AXIS_CATEGORY, "category"),
                    G_DEFINE_ENUM_VALUE (SEG_CHART_X_AXIS_NUMBER, "number"))
G_DEFINE_ENUM_TYPE (SegChartExportFormat, seg_chart_export_format,
                    G_DEFINE_ENUM_VALUE (SEG_CHART_EXPORT_PNG, "png"),
                    G_DEFINE_ENUM_VALUE (SEG_CHART_EXPORT_SVG, "svg"),
                    G_DEFINE_ENUM_VALUE (SEG_CHART_EXPORT_CSV, "csv"))
G_DEFINE_ENUM_TYPE (SegChartTimeBucket, seg_chart_time_bucket,
                    G_DEFINE_ENUM_VALUE (SEG_CHART_TIME_BUCKET_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (SEG_CHART_TIME_BUCKET_DAY, "day"))

enum {
  PROP_0,
  PROP_TITLE,
  PROP_EMPTY_TEXT,
  PROP_X_AXIS,
  PROP_TIME_BUCKET,
  PROP_TIME_ZONE,
  PROP_CATEGORIES,
  PROP_SHOW_LEGEND,
  PROP_HIGH_CONTRAST,
  PROP_SELECTED,
  N_PROPS
};

enum {
  SELECTED_CHANGED,
  ACTIVATE,
  EXPORTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
layout_clear (Layout *layout)
{
  g_clear_pointer (&layout->y_ticks, g_array_unref);
  g_clear_pointer (&layout->x_ticks, g_array_unref);
  memset (layout, 0, sizeof *layout);
}

/* Series and colours. */

static guint
count_series (SegChart *self)
{
  guint n = 0;

  for (guint i = 0; i < self->layers->len; i++)
    n += seg_chart_layer_get_n_series (g_ptr_array_index (self->layers, i));
  return n;
}

static SegChartSeries *
nth_series (SegChart       *self,
            guint           n,
            SegChartLayer **layer,
            guint          *position)
{
  for (guint i = 0; i < self->layers->len; i++)
    {
      SegChartLayer *l = g_ptr_array_index (self->layers, i);
      guint count = seg_chart_layer_get_n_series (l);

      if (n < count)
        {
          if (layer)
            *layer = l;
          if (position)
            *position = n;
          return seg_chart_layer_get_series (l, n);
        }
      n -= count;
    }
  return NULL;
}

static gboolean
has_points (SegChart *self)
{
  for (guint i = 0; i < count_series (self); i++)
    if (seg_chart_series_get_n_points (nth_series (self, i, NULL, NULL)) > 0)
      return TRUE;
  return FALSE;
}

static void
palette_color (SegChart *self,
               guint     index,
               GdkRGBA  *color)
{
  /* The GNOME palette, after the accent colour: mid tones on light, lighter
   * ones on dark backgrounds, so every series keeps its contrast. */
  static const char *light[] = { "#2ec27e", "#e5a50a", "#e66100", "#9141ac", "#986a44", "#c01c28" };
  static const char *dark[] = { "#57e389", "#f8e45c", "#ffa348", "#dc8add", "#cdab8f", "#f66151" };

  if (index == 0)
    {
      *color = self->accent;
      return;
    }
  gdk_rgba_parse (color, (self->dark ? dark : light)[(index - 1) % G_N_ELEMENTS (light)]);
}

static double
channel_luminance (double c)
{
  return c <= 0.03928 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

static double
relative_luminance (const GdkRGBA *c)
{
  return 0.2126 * channel_luminance (c->red) + 0.7152 * channel_luminance (c->green) +
         0.0722 * channel_luminance (c->blue);
}

static double
contrast_ratio (const GdkRGBA *a,
                const GdkRGBA *b)
{
  double la = relative_luminance (a), lb = relative_luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

/* Themes without libadwaita's accent colours give a selection blue that is
 * too dark for thin lines on a dark background: lighten (or darken) theme
 * colours until they stand out as WCAG asks of graphics, more so in high
 * contrast. */
static void
ensure_contrast (SegChart      *self,
                 GdkRGBA       *color,
                 const GdkRGBA *bg)
{
  double wanted = self->high_contrast ? 4.5 : 3.0;
  double target = self->dark ? 1.0 : 0.0;

  for (guint i = 0; i < 12 && contrast_ratio (color, bg) < wanted; i++)
    {
      color->red += (target - color->red) * 0.15;
      color->green += (target - color->green) * 0.15;
      color->blue += (target - color->blue) * 0.15;
    }
}

static void
series_color (SegChart *self,
              guint     index,
              GdkRGBA  *color)
{
  SegChartSeries *series = nth_series (self, index, NULL, NULL);
  const char *spec = series ? seg_chart_series_get_color (series) : NULL;

  /* A colour the page chose is kept as it is. */
  if (spec == NULL || !gdk_rgba_parse (color, spec))
    {
      palette_color (self, index, color);
      ensure_contrast (self, color, &self->bg);
    }
}

static void
update_layer_colors (SegChart *self)
{
  guint index = 0;

  for (guint i = 0; i < self->layers->len; i++)
    {
      SegChartLayer *layer = g_ptr_array_index (self->layers, i);
      guint n = seg_chart_layer_get_n_series (layer);
      g_autofree GdkRGBA *colors = g_new0 (GdkRGBA, MAX (n, 1));

      for (guint s = 0; s < n; s++)
        series_color (self, index++, &colors[s]);
      _seg_chart_layer_set_colors (layer, colors, n);
      _seg_chart_layer_set_line_width (layer, self->high_contrast ? 3.0 : 2.0);
    }
}

static GdkRGBA
fg_alpha (SegChart *self,
          double    alpha)
{
  GdkRGBA c = self->fg;

  c.alpha *= alpha;
  return c;
}

static double
grid_alpha (SegChart *self)
{
  return self->high_contrast ? 0.45 : 0.12;
}

static double
label_alpha (SegChart *self)
{
  return self->high_contrast ? 1.0 : 0.7;
}

/* Slots: the distinct x positions over all series. */

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double da = *(const double *) a, db = *(const double *) b;

  return (da > db) - (da < db);
}

static GArray *
ensure_slots (SegChart *self)
{
  GArray *all;
  guint n_series;

  if (self->slots != NULL)
    return self->slots;

  all = g_array_new (FALSE, FALSE, sizeof (double));
  n_series = count_series (self);

  for (guint i = 0; i < n_series; i++)
    {
      const SegChartPoint *points;
      guint n;

      points = seg_chart_series_get_points (nth_series (self, i, NULL, NULL), &n);
      for (guint j = 0; j < n; j++)
        g_array_append_val (all, points[j].x);
    }

  if (self->x_axis == SEG_CHART_X_AXIS_CATEGORY && self->categories != NULL)
    {
      for (guint j = 0; self->categories[j] != NULL; j++)
        {
          double x = j;
          g_array_append_val (all, x);
        }
    }

  if (n_series > 1 || self->categories != NULL)
    g_array_sort (all, compare_doubles);

  /* Keep one of each position. */
  if (all->len > 1)
    {
      double *v = (double *)(gpointer) all->data;
      guint out = 1;

      for (guint j = 1; j < all->len; j++)
        if (v[j] != v[out - 1])
          v[out++] = v[j];
      g_array_set_size (all, out);
    }

  self->slots = all;
  return all;
}

static gboolean
has_bar_layer (SegChart *self)
{
  for (guint i = 0; i < self->layers->len; i++)
    if (_seg_chart_layer_is_bar (g_ptr_array_index (self->layers, i)))
      return TRUE;
  return FALSE;
}

static double
effective_bucket (SegChart *self)
{
  GArray *slots;
  double gap = INFINITY;

  if (self->x_axis == SEG_CHART_X_AXIS_CATEGORY)
    return 1.0;
  if (self->x_axis == SEG_CHART_X_AXIS_TIME && self->time_bucket == SEG_CHART_TIME_BUCKET_DAY)
    return SEG_CHART_MS_PER_DAY;

  if (!has_bar_layer (self))
    return 0;

  /* Bars over continuous x are as wide as the closest two points allow. */
  slots = ensure_slots (self);
  for (guint i = 1; i < slots->len; i++)
    gap = MIN (gap, g_array_index (slots, double, i) - g_array_index (slots, double, i - 1));
  return isfinite (gap) && gap > 0 ? gap : 1.0;
}

/* Text. */

static PangoLayout *
create_layout (SegChart   *self,
               const char *text,
               gboolean    bold)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);

  if (bold)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  return layout;
}

static void
text_size (SegChart   *self,
           const char *text,
           gboolean    bold,
           int        *width,
           int        *height)
{
  g_autoptr(PangoLayout) layout = create_layout (self, text, bold);

  pango_layout_get_pixel_size (layout, width, height);
}

static void
append_text (SegChart      *self,
             GtkSnapshot   *snapshot,
             const char    *text,
             gboolean       bold,
             double         x,
             double         y,
             const GdkRGBA *color)
{
  g_autoptr(PangoLayout) layout = create_layout (self, text, bold);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (round (x), round (y)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

/* Layout. */

static void
data_x_extent (SegChart *self,
               double   *x_min,
               double   *x_max)
{
  gboolean found = FALSE;

  for (guint i = 0; i < count_series (self); i++)
    {
      double lo, hi;

      if (!seg_chart_series_get_extent (nth_series (self, i, NULL, NULL), &lo, &hi, NULL, NULL))
        continue;
      *x_min = found ? MIN (*x_min, lo) : lo;
      *x_max = found ? MAX (*x_max, hi) : hi;
      found = TRUE;
    }

  if (!found)
    *x_min = *x_max = 0;
}

static gboolean
data_y_extent (SegChart *self,
               double   *y_min,
               double   *y_max)
{
  gboolean found = FALSE;

  for (guint i = 0; i < self->layers->len; i++)
    {
      double lo, hi;

      if (!seg_chart_layer_get_y_extent (g_ptr_array_index (self->layers, i), &lo, &hi))
        continue;
      *y_min = found ? MIN (*y_min, lo) : lo;
      *y_max = found ? MAX (*y_max, hi) : hi;
      found = TRUE;
    }
  return found;
}

static void
compute_x_domain (SegChart       *self,
                  SegChartDomain *domain)
{
  double lo, hi;

  domain->bucket = effective_bucket (self);

  if (self->has_x_range)
    {
      domain->x_min = self->x_range_min;
      domain->x_max = self->x_range_max;
      return;
    }

  data_x_extent (self, &lo, &hi);

  if (self->x_axis == SEG_CHART_X_AXIS_CATEGORY && self->categories != NULL)
    {
      lo = MIN (lo, 0);
      hi = MAX (hi, (double) g_strv_length (self->categories) - 1);
    }

  if (domain->bucket > 0)
    {
      domain->x_min = lo;
      domain->x_max = hi + domain->bucket;
    }
  else if (hi > lo)
    {
      domain->x_min = lo;
      domain->x_max = hi;
    }
  else
    {
      /* One point: centre it in a range that still gets sensible ticks. */
      double half = self->x_axis == SEG_CHART_X_AXIS_TIME ? SEG_CHART_MS_PER_HOUR : 1.0;

      domain->x_min = lo - half;
      domain->x_max = hi + half;
    }
}

static char *
category_label (SegChart *self,
                double    x)
{
  if (self->categories != NULL && x >= 0 && x == floor (x) &&
      x < g_strv_length (self->categories))
    return g_strdup (self->categories[(guint) x]);
  return seg_chart_format_value_exact (x);
}

static GArray *
compute_x_ticks (SegChart             *self,
                 const SegChartDomain *domain,
                 double                plot_width)
{
  GArray *ticks = NULL;
  guint max_ticks;
  int sample;

  /* Room for a typical label and a gap between labels. */
  text_size (self, self->x_axis == SEG_CHART_X_AXIS_TIME ? "28 Sep" : "00,000", FALSE,
             &sample, NULL);
  max_ticks = MAX (2, (guint) (plot_width / (sample + MIN_X_GAP)));

  if (self->x_axis == SEG_CHART_X_AXIS_CATEGORY)
    {
      GArray *slots = ensure_slots (self);
      int widest = 0;
      guint every;

      ticks = seg_chart_tick_array_new ();
      for (guint i = 0; i < slots->len; i++)
        {
          g_autofree char *label = category_label (self, g_array_index (slots, double, i));
          int w;

          text_size (self, label, FALSE, &w, NULL);
          widest = MAX (widest, w);
        }

      /* Show every category whose label fits, else every second, third, … */
      every = slots->len > 0 ? (guint) ceil ((widest + 12.0) * slots->len / MAX (plot_width, 1)) : 1;
      every = MAX (every, 1);
      for (guint i = 0; i < slots->len; i += every)
        {
          SegChartTick tick;
          double x = g_array_index (slots, double, i);

          tick.value = x + domain->bucket / 2;
          tick.label = category_label (self, x);
          g_array_append_val (ticks, tick);
        }
    }
  else if (self->x_axis == SEG_CHART_X_AXIS_TIME)
    {
      SegChartTimeUnit unit;
      double offset = 0;

      ticks = seg_chart_time_ticks ((gint64) floor (domain->x_min), (gint64) ceil (domain->x_max),
                                    self->time_zone, max_ticks,
                                    self->time_bucket == SEG_CHART_TIME_BUCKET_DAY
                                    ? SEG_CHART_TIME_UNIT_DAY : SEG_CHART_TIME_UNIT_MINUTE,
                                    &unit, NULL);

      /* Day labels sit under the middle of their day's bar. */
      if (domain->bucket > 0 && unit >= SEG_CHART_TIME_UNIT_DAY)
        offset = domain->bucket / 2;

      for (guint i = 0; i < ticks->len; i++)
        g_array_index (ticks, SegChartTick, i).value += offset;
    }
  else
    {
      ticks = seg_chart_value_ticks (domain->x_min, domain->x_max, max_ticks, NULL, NULL);
      for (guint i = 0; i < ticks->len; i++)
        g_array_index (ticks, SegChartTick, i).value += domain->bucket / 2;
    }

  /* Drop the ticks that fall outside the plot. */
  for (guint i = ticks->len; i-- > 0;)
    {
      double v = g_array_index (ticks, SegChartTick, i).value;

      if (v < domain->x_min - 1e-9 || v > domain->x_max + 1e-9)
        g_array_remove_index (ticks, i);
    }

  return ticks;
}

static gboolean
legend_visible (SegChart *self)
{
  return self->show_legend && count_series (self) > 1;
}

static void
compute_layout (SegChart *self,
                int       width,
                int       height,
                Layout   *layout)
{
  double top = PADDING, bottom, left, right = PADDING, plot_height, plot_width;
  double y_lo = 0, y_hi = 1, nice_min = 0, nice_max = 1;
  int line_height, widest = 0;

  memset (layout, 0, sizeof *layout);
  layout->width = width;
  layout->height = height;

  text_size (self, "0", FALSE, NULL, &line_height);

  if (self->title != NULL && self->title[0] != '\0')
    {
      int h;

      text_size (self, self->title, TRUE, NULL, &h);
      layout->title_y = top;
      top += h + 8;
    }

  if (legend_visible (self))
    {
      layout->legend_y = top;
      top += line_height + 10;
    }
  else if (top > PADDING)
    {
      top += 8;
    }

  compute_x_domain (self, &layout->domain);
  layout->empty = !data_y_extent (self, &y_lo, &y_hi) || !has_points (self);

  /* Leave room for half a label above the top gridline. */
  top = MAX (top, PADDING + line_height / 2.0);
  bottom = PADDING + line_height + LABEL_GAP;
  plot_height = MAX (1, height - top - bottom);

  /* A little headroom, so that the highest value does not touch the top. */
  if (!layout->empty && MAX (y_hi, 0) > MIN (y_lo, 0))
    {
      double room = (MAX (y_hi, 0) - MIN (y_lo, 0)) * 0.04;

      if (y_hi > 0)
        y_hi += room;
      if (y_lo < 0)
        y_lo -= room;
    }

  layout->y_ticks = seg_chart_value_ticks (MIN (y_lo, 0), MAX (y_hi, 0),
                                           MAX (2, (guint) (plot_height / MIN_Y_SPACING)),
                                           &nice_min, &nice_max);
  layout->domain.y_min = nice_min;
  layout->domain.y_max = nice_max;

  for (guint i = 0; i < layout->y_ticks->len; i++)
    {
      int w;

      text_size (self, g_array_index (layout->y_ticks, SegChartTick, i).label, FALSE, &w, NULL);
      widest = MAX (widest, w);
    }

  left = PADDING + (layout->empty ? 0 : widest + LABEL_GAP);
  plot_width = MAX (1, width - left - right);

  /* Whole pixels, so that gridlines and bar edges are crisp. */
  graphene_rect_init (&layout->plot, round (left), round (top),
                      floor (plot_width), floor (plot_height));

  layout->x_ticks = compute_x_ticks (self, &layout->domain, layout->plot.size.width);
}

static double
slot_center_px (SegChart     *self,
                const Layout *layout,
                double        x)
{
  return layout->plot.origin.x +
         _seg_chart_domain_x (&layout->domain, x + layout->domain.bucket / 2,
                              layout->plot.size.width);
}

static int
slot_at_px (SegChart     *self,
            const Layout *layout,
            double        px)
{
  GArray *slots = ensure_slots (self);
  const SegChartDomain *d = &layout->domain;
  double x;

  if (layout->empty || layout->plot.size.width <= 0)
    return -1;

  x = d->x_min + (px - layout->plot.origin.x) / layout->plot.size.width * (d->x_max - d->x_min);
  return seg_chart_slot_at ((const double *)(gpointer) slots->data, slots->len, x - d->bucket / 2);
}

/* Drawing. */

static GskRenderNode *
build_frame (SegChart     *self,
             const Layout *layout)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  const graphene_rect_t *plot = &layout->plot;
  GdkRGBA label = fg_alpha (self, label_alpha (self));
  GdkRGBA grid = fg_alpha (self, grid_alpha (self));
  GdkRGBA axis = fg_alpha (self, MIN (1.0, grid_alpha (self) * 2.5));

  if (self->title != NULL && self->title[0] != '\0')
    append_text (self, snapshot, self->title, TRUE, PADDING, layout->title_y, &self->fg);

  if (legend_visible (self))
    {
      double x = PADDING;
      int line_height;

      text_size (self, "0", FALSE, NULL, &line_height);

      for (guint i = 0; i < count_series (self); i++)
        {
          SegChartSeries *series = nth_series (self, i, NULL, NULL);
          const char *name = seg_chart_series_get_title (series);
          GskRoundedRect swatch;
          GdkRGBA color;
          int w;

          if (name == NULL)
            name = "";
          series_color (self, i, &color);
          gsk_rounded_rect_init_from_rect (&swatch,
                                           &GRAPHENE_RECT_INIT (x, layout->legend_y +
                                                                   (line_height - LEGEND_SWATCH) / 2.0,
                                                                LEGEND_SWATCH, LEGEND_SWATCH),
                                           3);
          gtk_snapshot_push_rounded_clip (snapshot, &swatch);
          gtk_snapshot_append_color (snapshot, &color, &swatch.bounds);
          gtk_snapshot_pop (snapshot);

          append_text (self, snapshot, name, FALSE, x + LEGEND_SWATCH + 6, layout->legend_y,
                       &label);
          text_size (self, name, FALSE, &w, NULL);
          x += LEGEND_SWATCH + 6 + w + LEGEND_GAP;
        }
    }

  if (layout->empty)
    {
      const char *text = self->empty_text ? self->empty_text : _("No data");
      int w, h;

      text_size (self, text, FALSE, &w, &h);
      append_text (self, snapshot, text, FALSE,
                   plot->origin.x + (plot->size.width - w) / 2,
                   plot->origin.y + (plot->size.height - h) / 2,
                   &label);
      return gtk_snapshot_free_to_node (snapshot);
    }

  /* Horizontal gridlines with their values; zero is the axis line. */
  for (guint i = 0; i < layout->y_ticks->len; i++)
    {
      const SegChartTick *tick = &g_array_index (layout->y_ticks, SegChartTick, i);
      double y = plot->origin.y + _seg_chart_domain_y (&layout->domain, tick->value,
                                                       plot->size.height);
      int w, h;

      y = floor (y);
      if (y >= plot->origin.y + plot->size.height)
        y = plot->origin.y + plot->size.height - 1;
      gtk_snapshot_append_color (snapshot, tick->value == 0 ? &axis : &grid,
                                 &GRAPHENE_RECT_INIT (plot->origin.x, y, plot->size.width, 1));

      text_size (self, tick->label, FALSE, &w, &h);
      append_text (self, snapshot, tick->label, FALSE,
                   plot->origin.x - LABEL_GAP - w, y - h / 2.0, &label);
    }

  /* X labels, centred under their position but kept inside the widget. */
  for (guint i = 0; i < layout->x_ticks->len; i++)
    {
      const SegChartTick *tick = &g_array_index (layout->x_ticks, SegChartTick, i);
      double x = plot->origin.x + _seg_chart_domain_x (&layout->domain, tick->value,
                                                       plot->size.width);
      int w, h;

      text_size (self, tick->label, FALSE, &w, &h);
      x = CLAMP (x - w / 2.0, 2, MAX (2, layout->width - w - 2));
      append_text (self, snapshot, tick->label, FALSE, x,
                   plot->origin.y + plot->size.height + LABEL_GAP / 2.0, &label);
    }

  return gtk_snapshot_free_to_node (snapshot);
}

static void
append_dot (GtkSnapshot   *snapshot,
            double         x,
            double         y,
            double         radius,
            const GdkRGBA *color)
{
  GskRoundedRect dot;

  gsk_rounded_rect_init_from_rect (&dot, &GRAPHENE_RECT_INIT (x - radius, y - radius,
                                                              2 * radius, 2 * radius), radius);
  gtk_snapshot_push_rounded_clip (snapshot, &dot);
  gtk_snapshot_append_color (snapshot, color, &dot.bounds);
  gtk_snapshot_pop (snapshot);
}

static void
snapshot_slot_band (SegChart      *self,
                    GtkSnapshot   *snapshot,
                    const Layout  *layout,
                    int            slot,
                    const GdkRGBA *color)
{
  const graphene_rect_t *plot = &layout->plot;
  GArray *slots = ensure_slots (self);
  double x, x0, x1;

  if (slot < 0 || (guint) slot >= slots->len)
    return;

  x = g_array_index (slots, double, slot);
  if (layout->domain.bucket > 0)
    {
      x0 = plot->origin.x + _seg_chart_domain_x (&layout->domain, x, plot->size.width);
      x1 = plot->origin.x + _seg_chart_domain_x (&layout->domain, x + layout->domain.bucket,
                                                 plot->size.width);
    }
  else
    {
      x0 = slot_center_px (self, layout, x) - 1.5;
      x1 = x0 + 3;
    }

  x0 = MAX (x0, plot->origin.x);
  x1 = MIN (x1, plot->origin.x + plot->size.width);
  if (x1 - x0 < 2)
    {
      x0 = (x0 + x1) / 2 - 1;
      x1 = x0 + 2;
    }
  gtk_snapshot_append_color (snapshot, color,
                             &GRAPHENE_RECT_INIT (x0, plot->origin.y, x1 - x0, plot->size.height));
}

static void
snapshot_hover (SegChart     *self,
                GtkSnapshot  *snapshot,
                const Layout *layout)
{
  const graphene_rect_t *plot = &layout->plot;
  GArray *slots = ensure_slots (self);
  GdkRGBA line = fg_alpha (self, self->high_contrast ? 0.8 : 0.35);
  double x, px;

  if (self->hover < 0 || (guint) self->hover >= slots->len)
    return;

  x = g_array_index (slots, double, self->hover);
  px = floor (slot_center_px (self, layout, x));

  /* Over bars, shade the whole bucket; over lines, a thin crosshair. */
  if (layout->domain.bucket > 0 && has_bar_layer (self))
    {
      GdkRGBA band = fg_alpha (self, self->high_contrast ? 0.2 : 0.07);

      snapshot_slot_band (self, snapshot, layout, self->hover, &band);
    }
  else
    {
      gtk_snapshot_append_color (snapshot, &line,
                                 &GRAPHENE_RECT_INIT (px, plot->origin.y, 1, plot->size.height));
    }

  /* Mark the values of lines and areas where the crosshair crosses them. */
  for (guint i = 0; i < count_series (self); i++)
    {
      SegChartLayer *layer = NULL;
      SegChartSeries *series = nth_series (self, i, &layer, NULL);
      GdkRGBA color;
      double y;

      if (_seg_chart_layer_is_bar (layer) || !seg_chart_series_lookup (series, x, &y))
        continue;

      series_color (self, i, &color);
      y = plot->origin.y + _seg_chart_domain_y (&layout->domain, y, plot->size.height);
      append_dot (snapshot, px + 0.5, y, 5.5, &self->bg);
      append_dot (snapshot, px + 0.5, y, 4, &color);
    }
}

/*
 * The one drawing function: for the screen (@for_export FALSE: layers are
 * child widgets with their cached nodes, the frame is cached, the crosshair
 * shows) and for export (everything drawn fresh at the layout's size).
 */
static void
seg_chart_snapshot_at (SegChart     *self,
                       GtkSnapshot  *snapshot,
                       const Layout *layout,
                       gboolean      for_export)
{
  GskRenderNode *frame;

  if (for_export)
    frame = build_frame (self, layout);
  else
    {
      if (self->frame_node == NULL)
        self->frame_node = build_frame (self, layout);
      frame = gsk_render_node_ref (self->frame_node);
    }

  if (frame != NULL)
    {
      gtk_snapshot_append_node (snapshot, frame);
      gsk_render_node_unref (frame);
    }

  if (layout->empty)
    return;

  if (self->selected >= 0)
    {
      GdkRGBA band = self->accent;

      band.alpha = gtk_widget_has_focus (GTK_WIDGET (self)) && !for_export ? 0.28 : 0.18;
      snapshot_slot_band (self, snapshot, layout, self->selected, &band);
    }

  for (guint i = 0; i < self->layers->len; i++)
    {
      SegChartLayer *layer = g_ptr_array_index (self->layers, i);

      if (for_export)
        {
          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot, &layout->plot.origin);
          _seg_chart_layer_snapshot_full (layer, snapshot, &layout->domain,
                                          layout->plot.size.width, layout->plot.size.height);
          gtk_snapshot_restore (snapshot);
        }
      else
        {
          gtk_widget_snapshot_child (GTK_WIDGET (self), GTK_WIDGET (layer), snapshot);
        }
    }

  if (!for_export)
    {
      snapshot_hover (self, snapshot, layout);

      /* Keyboard focus shows as a ring, as on other focusable GNOME widgets. */
      if (gtk_widget_has_visible_focus (GTK_WIDGET (self)))
        {
          GdkRGBA ring = self->accent;
          GskRoundedRect outline;
          float widths[4] = { 2, 2, 2, 2 };
          GdkRGBA colors[4];

          ring.alpha = 0.5;
          for (guint i = 0; i < 4; i++)
            colors[i] = ring;
          gsk_rounded_rect_init_from_rect (&outline,
                                           &GRAPHENE_RECT_INIT (1, 1, layout->width - 2,
                                                                layout->height - 2), 6);
          gtk_snapshot_append_border (snapshot, &outline, widths, colors);
        }
    }
}

static void
seg_chart_snapshot (GtkWidget   *widget,
                    GtkSnapshot *snapshot)
{
  SegChart *self = SEG_CHART (widget);

  if (self->layout.y_ticks == NULL)
    return;
  seg_chart_snapshot_at (self, snapshot, &self->layout, FALSE);
}

static void
seg_chart_measure (GtkWidget      *widget,
                   GtkOrientation  orientation,
                   int             for_size,
                   int            *minimum,
                   int            *natural,
                   int            *minimum_baseline,
                   int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 160;
      *natural = 480;
    }
  else
    {
      *minimum = 120;
      *natural = 260;
    }
}

static void
apply_layout (SegChart *self,
              int       width,
              int       height)
{
  layout_clear (&self->layout);
  compute_layout (self, width, height, &self->layout);
  g_clear_pointer (&self->frame_node, gsk_render_node_unref);

  for (guint i = 0; i < self->layers->len; i++)
    _seg_chart_layer_set_domain (g_ptr_array_index (self->layers, i), &self->layout.domain);
}

static void
seg_chart_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  SegChart *self = SEG_CHART (widget);
  const graphene_rect_t *plot;

  apply_layout (self, width, height);
  plot = &self->layout.plot;

  for (guint i = 0; i < self->layers->len; i++)
    {
      GtkWidget *layer = g_ptr_array_index (self->layers, i);
      int min;

      gtk_widget_measure (layer, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
      gtk_widget_size_allocate (layer,
                                &(GtkAllocation) {
                                  plot->origin.x, plot->origin.y,
                                  plot->size.width, plot->size.height
                                }, -1);
    }

  if (self->popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->popover));
}

/* Theme. */

static gboolean
lookup_color (GtkStyleContext *context,
              const char      *name,
              const char      *fallback_name,
              GdkRGBA         *color)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  return gtk_style_context_lookup_color (context, name, color) ||
         (fallback_name != NULL && gtk_style_context_lookup_color (context, fallback_name, color));
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static gboolean
theme_is_high_contrast (SegChart *self)
{
  GtkSettings *settings = gtk_widget_get_settings (GTK_WIDGET (self));
  g_autofree char *theme = NULL;

  const char *env = g_getenv ("GTK_THEME");

  g_object_get (settings, "gtk-theme-name", &theme, NULL);
  return (theme != NULL && strstr (theme, "HighContrast") != NULL) ||
         (env != NULL && strstr (env, "HighContrast") != NULL);
}

static void
update_theme (SegChart *self)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));
  GdkRGBA fg, accent, bg;
  gboolean dark;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (context, &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  /* Dark themes have a light foreground. */
  dark = 0.2126 * fg.red + 0.7152 * fg.green + 0.0722 * fg.blue > 0.5;

  /* On dark backgrounds the lighter accent keeps thin lines readable. */
  if (!lookup_color (context, dark ? "accent_color" : "accent_bg_color", "accent_bg_color",
                     &accent) &&
      !lookup_color (context, "theme_selected_bg_color", NULL, &accent))
    gdk_rgba_parse (&accent, "#3584e4");
  if (!lookup_color (context, "window_bg_color", "theme_bg_color", &bg))
    gdk_rgba_parse (&bg, dark ? "#242424" : "#fafafa");

  self->dark = dark;
  ensure_contrast (self, &accent, &bg);

  if (gdk_rgba_equal (&fg, &self->fg) && gdk_rgba_equal (&accent, &self->accent) &&
      gdk_rgba_equal (&bg, &self->bg) && dark == self->dark)
    return;

  self->fg = fg;
  self->accent = accent;
  self->bg = bg;
  self->dark = dark;

  g_clear_pointer (&self->frame_node, gsk_render_node_unref);
  update_layer_colors (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
seg_chart_css_changed (GtkWidget         *widget,
                       GtkCssStyleChange *change)
{
  SegChart *self = SEG_CHART (widget);

  GTK_WIDGET_CLASS (seg_chart_parent_class)->css_changed (widget, change);

  if (theme_is_high_contrast (self) && !self->high_contrast)
    seg_chart_set_high_contrast (self, TRUE);

  update_theme (self);

  /* Fonts may have changed too: labels need measuring again. */
  gtk_widget_queue_resize (widget);
}

/* Description and data. */

static char *
slot_label (SegChart *self,
            double    x,
            gboolean  long_form)
{
  switch (self->x_axis)
    {
    case SEG_CHART_X_AXIS_TIME:
      if (self->time_bucket == SEG_CHART_TIME_BUCKET_DAY)
        return long_form ? seg_chart_format_day_long ((gint64) x, self->time_zone)
                         : seg_chart_format_time ((gint64) x, self->time_zone,
                                                  SEG_CHART_TIME_UNIT_DAY);
      return seg_chart_format_time_custom ((gint64) x, self->time_zone,
                                           long_form
                                           /* TRANSLATORS: an instant in a chart tooltip */
                                           ? C_("chart tooltip time", "%a, %-d %b %Y %H:%M:%S")
                                           /* TRANSLATORS: an instant in a chart summary */
                                           : C_("chart summary time", "%-d %b %H:%M"));

    case SEG_CHART_X_AXIS_CATEGORY:
      return category_label (self, x);

    case SEG_CHART_X_AXIS_NUMBER:
    default:
      return seg_chart_format_value_exact (x);
    }
}

static char *
csv_x (SegChart *self,
       double    x)
{
  switch (self->x_axis)
    {
    case SEG_CHART_X_AXIS_TIME:
      return seg_chart_format_time_custom ((gint64) x, self->time_zone,
                                           self->time_bucket == SEG_CHART_TIME_BUCKET_DAY
                                           ? "%Y-%m-%d" : "%Y-%m-%dT%H:%M:%S%:z");
    case SEG_CHART_X_AXIS_CATEGORY:
      return category_label (self, x);
    case SEG_CHART_X_AXIS_NUMBER:
    default:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_dtostr (buf, sizeof buf, x));
      }
    }
}

static void
csv_append_field (GString    *out,
                  const char *field)
{
  if (field == NULL)
    return;

  if (strpbrk (field, ",\"\r\n") != NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = field; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else
    {
      g_string_append (out, field);
    }
}

/**
 * seg_chart_dup_csv:
 *
 * The chart's data as a table: one row per position on the x axis (ISO dates
 * for days, ISO 8601 times, category names), one column per series, empty
 * where a series has no value. This is what "Save data as CSV" writes.
 *
 * Returns: (transfer full): CSV text with a header row, lines ending in \r\n
 */
char *
seg_chart_dup_csv (SegChart *self)
{
  GString *out = g_string_new (NULL);
  GArray *slots;
  guint n_series;

  g_return_val_if_fail (SEG_IS_CHART (self), NULL);

  slots = ensure_slots (self);
  n_series = count_series (self);

  switch (self->x_axis)
    {
    case SEG_CHART_X_AXIS_TIME:
      csv_append_field (out, self->time_bucket == SEG_CHART_TIME_BUCKET_DAY ? "date" : "time");
      break;
    case SEG_CHART_X_AXIS_CATEGORY:
      csv_append_field (out, "category");
      break;
    case SEG_CHART_X_AXIS_NUMBER:
    default:
      csv_append_field (out, "x");
      break;
    }

  for (guint s = 0; s < n_series; s++)
    {
      const char *title = seg_chart_series_get_title (nth_series (self, s, NULL, NULL));
      g_autofree char *fallback = g_strdup_printf ("series %u", s + 1);

      g_string_append_c (out, ',');
      csv_append_field (out, title ? title : fallback);
    }
  g_string_append (out, "\r\n");

  for (guint i = 0; i < slots->len; i++)
    {
      double x = g_array_index (slots, double, i);
      g_autofree char *label = csv_x (self, x);

      csv_append_field (out, label);
      for (guint s = 0; s < n_series; s++)
        {
          double y;

          g_string_append_c (out, ',');
          if (seg_chart_series_lookup (nth_series (self, s, NULL, NULL), x, &y) && isfinite (y))
            {
              char buf[G_ASCII_DTOSTR_BUF_SIZE];

              g_string_append (out, g_ascii_dtostr (buf, sizeof buf, y));
            }
        }
      g_string_append (out, "\r\n");
    }

  return g_string_free (out, FALSE);
}

static const char *
kind_label (SegChart *self)
{
  const char *kind = NULL;

  for (guint i = 0; i < self->layers->len && kind == NULL; i++)
    {
      SegChartLayer *layer = g_ptr_array_index (self->layers, i);

      if (seg_chart_layer_get_n_series (layer) > 0)
        kind = seg_chart_layer_get_kind_label (layer);
    }
  return kind ? kind : _("Chart");
}

static char *
build_description (SegChart *self)
{
  GString *out = g_string_new (kind_label (self));
  GArray *slots = ensure_slots (self);
  guint n_series = count_series (self);
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;

  if (self->title != NULL && self->title[0] != '\0')
    g_string_append_printf (out, ": %s", self->title);

  if (!has_points (self))
    {
      g_string_append_printf (out, ", %s", self->empty_text ? self->empty_text : _("No data"));
      return g_string_free (out, FALSE);
    }

  g_string_append (out, ", ");
  if (self->x_axis == SEG_CHART_X_AXIS_TIME && self->time_bucket == SEG_CHART_TIME_BUCKET_DAY)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u day", "%u days", slots->len),
                            slots->len);
  else if (self->x_axis == SEG_CHART_X_AXIS_CATEGORY)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u category", "%u categories",
                                              slots->len), slots->len);
  else
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u point", "%u points",
                                              slots->len), slots->len);

  first = slot_label (self, g_array_index (slots, double, 0), FALSE);
  last = slot_label (self, g_array_index (slots, double, slots->len - 1), FALSE);
  if (slots->len > 1)
    /* TRANSLATORS: the range of a chart's x axis, "from 1 May to 30 May" */
    g_string_append_printf (out, _(", from %s to %s"), first, last);
  else
    g_string_append_printf (out, ", %s", first);

  for (guint s = 0; s < n_series; s++)
    {
      SegChartSeries *series = nth_series (self, s, NULL, NULL);
      const SegChartPoint *points;
      g_autofree char *min_value = NULL, *max_value = NULL;
      g_autofree char *min_at = NULL, *max_at = NULL;
      guint n, imin = 0, imax = 0;
      gboolean found = FALSE;

      points = seg_chart_series_get_points (series, &n);
      for (guint i = 0; i < n; i++)
        {
          if (!isfinite (points[i].y))
            continue;
          if (!found || points[i].y < points[imin].y)
            imin = i;
          if (!found || points[i].y > points[imax].y)
            imax = i;
          found = TRUE;
        }

      if (n_series > 1)
        g_string_append_printf (out, ". %s: ",
                                seg_chart_series_get_title (series)
                                  ? seg_chart_series_get_title (series) : "");
      else
        g_string_append (out, ", ");

      if (!found)
        {
          g_string_append (out, _("no values"));
          continue;
        }

      min_value = seg_chart_format_value_exact (points[imin].y);
      max_value = seg_chart_format_value_exact (points[imax].y);
      min_at = slot_label (self, points[imin].x, FALSE);
      max_at = slot_label (self, points[imax].x, FALSE);

      if (n == 1)
        /* TRANSLATORS: the only value of a series in a chart summary */
        g_string_append_printf (out, _("value %s"), min_value);
      else
        /* TRANSLATORS: "min 12 on 3 May, max 340 on 20 May" in a chart summary */
        g_string_append_printf (out, _("min %s on %s, max %s on %s"),
                                min_value, min_at, max_value, max_at);
    }

  return g_string_free (out, FALSE);
}

static void
update_description (SegChart *self)
{
  g_clear_handle_id (&self->description_idle, g_source_remove);
  g_free (self->description);
  self->description = build_description (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->title ? self->title : kind_label (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description,
                                  -1);
}

static gboolean
update_description_cb (gpointer data)
{
  SegChart *self = data;

  self->description_idle = 0;
  update_description (self);
  return G_SOURCE_REMOVE;
}

static void
queue_update_description (SegChart *self)
{
  /* Streams append many points per second; describe them once per burst. */
  if (self->description_idle == 0)
    self->description_idle = g_idle_add_full (G_PRIORITY_LOW, update_description_cb, self, NULL);
}

/**
 * seg_chart_dup_description:
 *
 * The summary screen readers read for the chart, for example "Bar chart,
 * 30 days, from 1 May to 30 May, min 12 on 3 May, max 340 on 20 May".
 *
 * Returns: (transfer full): the description of the current data
 */
char *
seg_chart_dup_description (SegChart *self)
{
  g_return_val_if_fail (SEG_IS_CHART (self), NULL);

  if (self->description == NULL || self->description_idle != 0)
    update_description (self);
  return g_strdup (self->description);
}

static void
invalidate_data (SegChart *self)
{
  g_clear_pointer (&self->slots, g_array_unref);
  g_clear_pointer (&self->frame_node, gsk_render_node_unref);
  update_layer_colors (self);
  queue_update_description (self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));

  if (self->selected >= 0 && (guint) self->selected >= ensure_slots (self)->len)
    seg_chart_set_selected (self, -1);
}

static void
layer_data_changed_cb (SegChart      *self,
                       gboolean       appended,
                       SegChartLayer *layer)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  Layout next;
  gboolean same;

  if (!appended || width <= 0 || height <= 0 || self->layout.y_ticks == NULL)
    {
      invalidate_data (self);
      return;
    }

  /* New points at the end: if the axes stay as they are, the layers draw
   * just the new tail and the frame stays cached. */
  g_clear_pointer (&self->slots, g_array_unref);
  compute_layout (self, width, height, &next);
  same = next.empty == self->layout.empty &&
         memcmp (&next.domain, &self->layout.domain, sizeof next.domain) == 0 &&
         graphene_rect_equal (&next.plot, &self->layout.plot) &&
         next.y_ticks->len == self->layout.y_ticks->len;
  layout_clear (&next);

  queue_update_description (self);

  if (!same)
    invalidate_data (self);
}

/* Hover, tooltip, selection. */

static void
motion_cb (SegChart                 *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *motion)
{
  int hover = seg_chart_get_slot_at (self, x, y);

  if (hover != self->hover)
    {
      self->hover = hover;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
leave_cb (SegChart                 *self,
          GtkEventControllerMotion *motion)
{
  if (self->hover != -1)
    {
      self->hover = -1;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static char *
tooltip_markup (SegChart *self,
                int       slot)
{
  GArray *slots = ensure_slots (self);
  g_autofree char *label = NULL;
  g_autofree char *escaped = NULL;
  GString *out;
  double x;

  if (slot < 0 || (guint) slot >= slots->len)
    return NULL;

  x = g_array_index (slots, double, slot);
  label = slot_label (self, x, TRUE);
  escaped = g_markup_escape_text (label, -1);
  out = g_string_new (NULL);
  g_string_append_printf (out, "<b>%s</b>", escaped);

  for (guint s = 0; s < count_series (self); s++)
    {
      SegChartSeries *series = nth_series (self, s, NULL, NULL);
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;
      g_autofree char *hex = NULL;
      GdkRGBA color;
      double y;

      if (!seg_chart_series_lookup (series, x, &y))
        continue;

      series_color (self, s, &color);
      hex = g_strdup_printf ("#%02x%02x%02x", (int) round (color.red * 255),
                             (int) round (color.green * 255), (int) round (color.blue * 255));
      name = g_markup_escape_text (seg_chart_series_get_title (series)
                                     ? seg_chart_series_get_title (series) : "", -1);
      value = seg_chart_format_value_exact (y);
      g_string_append_printf (out, "\n<span foreground=\"%s\">●</span> %s%s<b>%s</b>",
                              hex, name, name[0] ? ": " : "", value);
    }

  return g_string_free (out, FALSE);
}

static gboolean
seg_chart_query_tooltip (GtkWidget  *widget,
                         int         x,
                         int         y,
                         gboolean    keyboard_mode,
                         GtkTooltip *tooltip)
{
  SegChart *self = SEG_CHART (widget);
  g_autofree char *markup = NULL;
  int slot = keyboard_mode ? self->selected : seg_chart_get_slot_at (self, x, y);

  markup = tooltip_markup (self, slot);
  if (markup == NULL)
    return FALSE;

  gtk_tooltip_set_markup (tooltip, markup);
  return TRUE;
}

static void
emit_activate (SegChart *self)
{
  GArray *slots = ensure_slots (self);

  if (self->selected >= 0 && (guint) self->selected < slots->len)
    g_signal_emit (self, signals[ACTIVATE], 0, self->selected,
                   g_array_index (slots, double, self->selected));
}

/**
 * seg_chart_get_slot_at:
 * @x: a position in widget coordinates
 * @y: a position in widget coordinates
 *
 * The hit test that clicks and hovering use.
 *
 * Returns: the index of the bar or day under (@x, @y), -1 outside the plot
 */
int
seg_chart_get_slot_at (SegChart *self,
                       double    x,
                       double    y)
{
  const graphene_rect_t *plot;

  g_return_val_if_fail (SEG_IS_CHART (self), -1);

  plot = &self->layout.plot;
  if (self->layout.y_ticks == NULL ||
      x < plot->origin.x || x > plot->origin.x + plot->size.width ||
      y < plot->origin.y - 4 || y > plot->origin.y + plot->size.height + 4)
    return -1;
  return slot_at_px (self, &self->layout, x);
}

static void popup_menu (SegChart *self,
                        double    x,
                        double    y);

static void
click_pressed_cb (SegChart        *self,
                  int              n_press,
                  double           x,
                  double           y,
                  GtkGestureClick *click)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (click));
  GdkEventSequence *sequence = gtk_gesture_single_get_current_sequence (GTK_GESTURE_SINGLE (click));
  GdkEvent *event = gtk_gesture_get_last_event (GTK_GESTURE (click), sequence);
  int slot;

  if (button == GDK_BUTTON_SECONDARY || (event && gdk_event_triggers_context_menu (event)))
    {
      gtk_gesture_set_state (GTK_GESTURE (click), GTK_EVENT_SEQUENCE_CLAIMED);
      popup_menu (self, x, y);
      return;
    }

  if (button != GDK_BUTTON_PRIMARY)
    return;

  gtk_widget_grab_focus (GTK_WIDGET (self));

  slot = seg_chart_get_slot_at (self, x, y);
  if (slot < 0)
    return;

  gtk_gesture_set_state (GTK_GESTURE (click), GTK_EVENT_SEQUENCE_CLAIMED);
  seg_chart_set_selected (self, slot);
  if (n_press == 2)
    emit_activate (self);
}

static void
move_selection (SegChart *self,
                int       delta)
{
  guint n = ensure_slots (self)->len;
  int next;

  if (n == 0)
    return;

  if (delta == G_MININT)
    next = 0;
  else if (delta == G_MAXINT)
    next = n - 1;
  else if (self->selected < 0)
    next = delta > 0 ? 0 : (int) n - 1;
  else
    next = CLAMP (self->selected + delta, 0, (int) n - 1);

  seg_chart_set_selected (self, next);
}

static void
select_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SegChart *self = SEG_CHART (widget);

  if (g_str_equal (action_name, "chart.select-previous"))
    move_selection (self, -1);
  else if (g_str_equal (action_name, "chart.select-next"))
    move_selection (self, 1);
  else if (g_str_equal (action_name, "chart.select-first"))
    move_selection (self, G_MININT);
  else
    move_selection (self, G_MAXINT);
}

static void
activate_selected_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  emit_activate (SEG_CHART (widget));
}

/* Context menu and export actions. */

static void
popup_menu (SegChart *self,
            double    x,
            double    y)
{
  if (self->popover == NULL)
    {
      g_autoptr(GMenu) menu = g_menu_new ();

      g_menu_append (menu, _("_Copy as Image"), "chart.copy-image");
      g_menu_append (menu, _("Save as _Image…"), "chart.save-image");
      g_menu_append (menu, _("Save _Data as CSV…"), "chart.save-csv");

      self->popover = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
      gtk_popover_set_has_arrow (GTK_POPOVER (self->popover), FALSE);
      gtk_widget_set_halign (self->popover, GTK_ALIGN_START);
      gtk_widget_set_parent (self->popover, GTK_WIDGET (self));
    }

  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover),
                               &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

static gboolean
popup_menu_cb (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  SegChart *self = SEG_CHART (widget);
  GArray *slots = ensure_slots (self);
  double x = gtk_widget_get_width (widget) / 2.0;
  double y = gtk_widget_get_height (widget) / 2.0;

  if (self->selected >= 0 && (guint) self->selected < slots->len)
    x = slot_center_px (self, &self->layout, g_array_index (slots, double, self->selected));
  popup_menu (self, x, y);
  return TRUE;
}

static void
export_size (SegChart *self,
             int      *width,
             int      *height)
{
  *width = gtk_widget_get_width (GTK_WIDGET (self));
  *height = gtk_widget_get_height (GTK_WIDGET (self));
  if (*width <= 0 || *height <= 0)
    {
      *width = EXPORT_WIDTH;
      *height = EXPORT_HEIGHT;
    }
}

static void
copy_image_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SegChart *self = SEG_CHART (widget);
  g_autoptr(GdkTexture) texture = NULL;
  int width, height;

  export_size (self, &width, &height);
  texture = seg_chart_render_texture (self, width, height, 2.0);
  gdk_clipboard_set_texture (gtk_widget_get_clipboard (widget), texture);
}

static void
exported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SegChart *self = SEG_CHART (object);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;

  if (!seg_chart_export_finish (self, result, &error))
    g_warning ("Could not save chart to %s: %s", g_file_peek_path (file), error->message);
  g_signal_emit (self, signals[EXPORTED], 0, file, error);
}

typedef enum
{
  EXPORT_IMAGE,
  EXPORT_CSV,
} ExportKind;

static void
chooser_response_cb (GtkNativeDialog *native,
                     int              response,
                     gpointer         user_data)
{
  SegChart *self = SEG_CHART (user_data);
  ExportKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (native), "export-kind"));
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));

  if (file != NULL)
    {
      SegChartExportFormat format = SEG_CHART_EXPORT_CSV;

      if (kind == EXPORT_IMAGE)
        {
          g_autofree char *name = g_file_get_basename (file);
          g_autofree char *lower = g_ascii_strdown (name ? name : "", -1);

          /* The name decides: "chart.svg" is SVG, anything else PNG. */
          format = g_str_has_suffix (lower, ".svg") ? SEG_CHART_EXPORT_SVG : SEG_CHART_EXPORT_PNG;
        }

      seg_chart_export_async (self, file, format, NULL, exported_cb, g_object_ref (file));
    }

  gtk_native_dialog_destroy (native);
  g_object_unref (native);
  g_object_unref (self);
}

static char *
suggested_name (SegChart   *self,
                const char *extension)
{
  const char *title = self->title && self->title[0] ? self->title : _("Chart");
  g_autofree char *safe = g_strdup (title);

  g_strdelimit (safe, "/\\:", '-');
  return g_strconcat (safe, extension, NULL);
}

static void
run_chooser (SegChart   *self,
             ExportKind  kind)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) first = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  native = gtk_file_chooser_native_new (kind == EXPORT_CSV ? _("Save Chart Data")
                                                            : _("Save Chart Image"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);

  if (kind == EXPORT_CSV)
    {
      gtk_file_filter_set_name (first, _("CSV Files"));
      gtk_file_filter_add_mime_type (first, "text/csv");
      gtk_file_filter_add_pattern (first, "*.csv");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), first);
      name = suggested_name (self, ".csv");
    }
  else
    {
      g_autoptr(GtkFileFilter) svg = gtk_file_filter_new ();

      gtk_file_filter_set_name (first, _("PNG Images"));
      gtk_file_filter_add_mime_type (first, "image/png");
      gtk_file_filter_add_pattern (first, "*.png");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), first);

      gtk_file_filter_set_name (svg, _("SVG Images (name ending in .svg)"));
      gtk_file_filter_add_mime_type (svg, "image/svg+xml");
      gtk_file_filter_add_pattern (svg, "*.svg");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), svg);
      name = suggested_name (self, ".png");
    }

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
  g_object_set_data (G_OBJECT (native), "export-kind", GINT_TO_POINTER (kind));
  g_signal_connect (native, "response", G_CALLBACK (chooser_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
save_image_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  run_chooser (SEG_CHART (widget), EXPORT_IMAGE);
}

static void
save_csv_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  run_chooser (SEG_CHART (widget), EXPORT_CSV);
}

/* Export. */

/**
 * seg_chart_render:
 * @cr: where to draw; an image, SVG or PDF surface
 * @width: the width to lay the chart out for, in user units
 * @height: the height
 *
 * Draws the chart at any size through the same code that draws it on
 * screen, over the theme's window background, without the crosshair.
 */
void
seg_chart_render (SegChart *self,
                  cairo_t  *cr,
                  int       width,
                  int       height)
{
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  Layout layout;

  g_return_if_fail (SEG_IS_CHART (self));
  g_return_if_fail (cr != NULL);

  compute_layout (self, width, height, &layout);

  snapshot = gtk_snapshot_new ();
  gtk_snapshot_append_color (snapshot, &self->bg, &GRAPHENE_RECT_INIT (0, 0, width, height));
  seg_chart_snapshot_at (self, snapshot, &layout, TRUE);
  node = gtk_snapshot_free_to_node (snapshot);

  if (node != NULL)
    {
      cairo_save (cr);
      gsk_render_node_draw (node, cr);
      cairo_restore (cr);
      gsk_render_node_unref (node);
    }

  layout_clear (&layout);
}

static cairo_surface_t *
render_image_surface (SegChart *self,
                      int       width,
                      int       height,
                      double    scale)
{
  cairo_surface_t *surface;
  cairo_t *cr;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                        (int) ceil (width * scale), (int) ceil (height * scale));
  cairo_surface_set_device_scale (surface, scale, scale);
  cr = cairo_create (surface);
  seg_chart_render (self, cr, width, height);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

/**
 * seg_chart_render_texture:
 * @width: the width in logical pixels
 * @height: the height in logical pixels
 * @scale: device pixels per logical pixel (2 for crisp pasted images)
 *
 * Returns: (transfer full): the chart as an image, for the clipboard
 */
GdkTexture *
seg_chart_render_texture (SegChart *self,
                          int       width,
                          int       height,
                          double    scale)
{
  cairo_surface_t *surface;
  GdkTexture *texture;
  GBytes *bytes;
  int w, h, stride;

  g_return_val_if_fail (SEG_IS_CHART (self), NULL);
  g_return_val_if_fail (width > 0 && height > 0 && scale > 0, NULL);

  surface = render_image_surface (self, width, height, scale);
  w = cairo_image_surface_get_width (surface);
  h = cairo_image_surface_get_height (surface);
  stride = cairo_image_surface_get_stride (surface);
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface), (gsize) stride * h,
                                      (GDestroyNotify) cairo_surface_destroy, surface);
  texture = gdk_memory_texture_new (w, h, GDK_MEMORY_DEFAULT, bytes, stride);
  g_bytes_unref (bytes);
  return texture;
}

static cairo_status_t
write_to_byte_array (void                *closure,
                     const unsigned char *data,
                     unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/**
 * seg_chart_render_png:
 *
 * Returns: (transfer full): the chart as a PNG file's contents
 */
GBytes *
seg_chart_render_png (SegChart *self,
                      int       width,
                      int       height,
                      double    scale)
{
  cairo_surface_t *surface;
  GByteArray *out = g_byte_array_new ();

  g_return_val_if_fail (SEG_IS_CHART (self), NULL);
  g_return_val_if_fail (width > 0 && height > 0 && scale > 0, NULL);

  surface = render_image_surface (self, width, height, scale);
  cairo_surface_write_to_png_stream (surface, write_to_byte_array, out);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (out);
}

/**
 * seg_chart_render_svg:
 *
 * Returns: (transfer full): the chart as an SVG file's contents (lines and
 *   bars stay vectors, text is kept as glyph outlines)
 */
GBytes *
seg_chart_render_svg (SegChart *self,
                      int       width,
                      int       height)
{
  GByteArray *out = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_t *cr;

  g_return_val_if_fail (SEG_IS_CHART (self), NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);

  surface = cairo_svg_surface_create_for_stream (write_to_byte_array, out, width, height);
  cr = cairo_create (surface);
  seg_chart_render (self, cr, width, height);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (out);
}

static void
replace_contents_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * seg_chart_export_async:
 * @file: where to write
 * @format: what to write
 * @cancellable: (nullable): to stop writing
 * @callback: called when the file is written
 * @user_data: for @callback
 *
 * Writes the chart as an image or its data as CSV, the way the chart's
 * "Save as Image…" and "Save Data as CSV…" do after the file chooser. The
 * image is drawn now at the chart's size (800×400 when not shown); the file
 * is written asynchronously and replaced atomically.
 */
void
seg_chart_export_async (SegChart             *self,
                        GFile                *file,
                        SegChartExportFormat  format,
                        GCancellable         *cancellable,
                        GAsyncReadyCallback   callback,
                        gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) bytes = NULL;
  int width, height;

  g_return_if_fail (SEG_IS_CHART (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, seg_chart_export_async);

  export_size (self, &width, &height);

  switch (format)
    {
    case SEG_CHART_EXPORT_PNG:
      bytes = seg_chart_render_png (self, width, height, 2.0);
      break;
    case SEG_CHART_EXPORT_SVG:
      bytes = seg_chart_render_svg (self, width, height);
      break;
    case SEG_CHART_EXPORT_CSV:
    default:
      {
        char *csv = seg_chart_dup_csv (self);

        bytes = g_bytes_new_take (csv, strlen (csv));
      }
      break;
    }

  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION, cancellable,
                                       replace_contents_cb, g_steal_pointer (&task));
}

gboolean
seg_chart_export_finish (SegChart      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (SEG_IS_CHART (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == seg_chart_export_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * seg_chart_get_plot_area:
 * @width: a chart width
 * @height: a chart height
 * @plot: (out) (optional): where the values are drawn at that size
 * @domain: (out) (optional): the values at the plot's edges
 *
 * Tells where seg_chart_render() puts the data, for hit tests and for tests
 * that check pixels.
 *
 * Returns: %FALSE when the chart has no data to plot
 */
gboolean
seg_chart_get_plot_area (SegChart        *self,
                         int              width,
                         int              height,
                         graphene_rect_t *plot,
                         SegChartDomain  *domain)
{
  Layout layout;
  gboolean empty;

  g_return_val_if_fail (SEG_IS_CHART (self), FALSE);

  compute_layout (self, width, height, &layout);
  if (plot)
    *plot = layout.plot;
  if (domain)
    *domain = layout.domain;
  empty = layout.empty;
  layout_clear (&layout);
  return !empty;
}

/* GObject. */

static void
seg_chart_dispose (GObject *object)
{
  SegChart *self = (SegChart *)object;

  g_clear_pointer (&self->popover, gtk_widget_unparent);

  while (self->layers->len > 0)
    seg_chart_remove_layer (self, g_ptr_array_index (self->layers, 0));

  /* Removing the layers queued a new description; nobody will read it. */
  g_clear_handle_id (&self->description_idle, g_source_remove);

  G_OBJECT_CLASS (seg_chart_parent_class)->dispose (object);
}

static void
seg_chart_finalize (GObject *object)
{
  SegChart *self = (SegChart *)object;

  layout_clear (&self->layout);
  g_clear_pointer (&self->frame_node, gsk_render_node_unref);
  g_clear_pointer (&self->slots, g_array_unref);
  g_clear_pointer (&self->layers, g_ptr_array_unref);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->empty_text, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  g_clear_pointer (&self->categories, g_strfreev);

  G_OBJECT_CLASS (seg_chart_parent_class)->finalize (object);
}

static void
seg_chart_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SegChart *self = SEG_CHART (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_EMPTY_TEXT:
      g_value_set_string (value, seg_chart_get_empty_text (self));
      break;
    case PROP_X_AXIS:
      g_value_set_enum (value, self->x_axis);
      break;
    case PROP_TIME_BUCKET:
      g_value_set_enum (value, self->time_bucket);
      break;
    case PROP_TIME_ZONE:
      g_value_set_boxed (value, self->time_zone);
      break;
    case PROP_CATEGORIES:
      g_value_set_boxed (value, self->categories);
      break;
    case PROP_SHOW_LEGEND:
      g_value_set_boolean (value, self->show_legend);
      break;
    case PROP_HIGH_CONTRAST:
      g_value_set_boolean (value, self->high_contrast);
      break;
    case PROP_SELECTED:
      g_value_set_int (value, self->selected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_chart_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  SegChart *self = SEG_CHART (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      seg_chart_set_title (self, g_value_get_string (value));
      break;
    case PROP_EMPTY_TEXT:
      seg_chart_set_empty_text (self, g_value_get_string (value));
      break;
    case PROP_X_AXIS:
      seg_chart_set_x_axis (self, g_value_get_enum (value));
      break;
    case PROP_TIME_BUCKET:
      seg_chart_set_time_bucket (self, g_value_get_enum (value));
      break;
    case PROP_TIME_ZONE:
      seg_chart_set_time_zone (self, g_value_get_boxed (value));
      break;
    case PROP_CATEGORIES:
      seg_chart_set_categories (self, g_value_get_boxed (value));
      break;
    case PROP_SHOW_LEGEND:
      seg_chart_set_show_legend (self, g_value_get_boolean (value));
      break;
    case PROP_HIGH_CONTRAST:
      seg_chart_set_high_contrast (self, g_value_get_boolean (value));
      break;
    case PROP_SELECTED:
      seg_chart_set_selected (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_chart_class_init (SegChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = seg_chart_dispose;
  object_class->finalize = seg_chart_finalize;
  object_class->get_property = seg_chart_get_property;
  object_class->set_property = seg_chart_set_property;

  widget_class->snapshot = seg_chart_snapshot;
  widget_class->measure = seg_chart_measure;
  widget_class->size_allocate = seg_chart_size_allocate;
  widget_class->css_changed = seg_chart_css_changed;
  widget_class->query_tooltip = seg_chart_query_tooltip;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EMPTY_TEXT] =
    g_param_spec_string ("empty-text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_X_AXIS] =
    g_param_spec_enum ("x-axis", NULL, NULL, SEG_TYPE_CHART_X_AXIS, SEG_CHART_X_AXIS_TIME,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIME_BUCKET] =
    g_param_spec_enum ("time-bucket", NULL, NULL, SEG_TYPE_CHART_TIME_BUCKET,
                       SEG_CHART_TIME_BUCKET_NONE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIME_ZONE] =
    g_param_spec_boxed ("time-zone", NULL, NULL, G_TYPE_TIME_ZONE,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CATEGORIES] =
    g_param_spec_boxed ("categories", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_LEGEND] =
    g_param_spec_boolean ("show-legend", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * SegChart:high-contrast:
   *
   * Stronger gridlines, labels and lines. Bind it to AdwStyleManager's
   * high-contrast; it also turns on by itself under the HighContrast theme.
   */
  properties[PROP_HIGH_CONTRAST] =
    g_param_spec_boolean ("high-contrast", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED] =
    g_param_spec_int ("selected", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SegChart::selected-changed:
   * @slot: the index of the selected position on the x axis, -1 for none
   * @x: its x value (the day's start in ms, the category index), NAN for none
   */
  signals[SELECTED_CHANGED] =
    g_signal_new ("selected-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_DOUBLE);

  /**
   * SegChart::activate:
   * @slot: the index of the activated position
   * @x: its x value
   *
   * A bar or day was double-clicked, or Enter pressed on the selection.
   */
  signals[ACTIVATE] =
    g_signal_new ("activate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_DOUBLE);

  /**
   * SegChart::exported:
   * @file: the file written
   * @error: (nullable): why it failed, %NULL on success
   *
   * A "Save as image" or "Save data as CSV" finished, so the page can show
   * a toast.
   */
  signals[EXPORTED] =
    g_signal_new ("exported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_FILE, G_TYPE_ERROR);

  gtk_widget_class_install_action (widget_class, "chart.copy-image", NULL, copy_image_action);
  gtk_widget_class_install_action (widget_class, "chart.save-image", NULL, save_image_action);
  gtk_widget_class_install_action (widget_class, "chart.save-csv", NULL, save_csv_action);

  /* Keyboard selection goes through actions, the way a test or a page drives it too. */
  gtk_widget_class_install_action (widget_class, "chart.select-previous", NULL, select_action);
  gtk_widget_class_install_action (widget_class, "chart.select-next", NULL, select_action);
  gtk_widget_class_install_action (widget_class, "chart.select-first", NULL, select_action);
  gtk_widget_class_install_action (widget_class, "chart.select-last", NULL, select_action);
  gtk_widget_class_install_action (widget_class, "chart.activate-selected", NULL,
                                   activate_selected_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "chart.select-previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Left, 0, "chart.select-previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "chart.select-next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Right, 0, "chart.select-next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "chart.select-first", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, 0, "chart.select-last", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "chart.activate-selected", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "chart.activate-selected", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "chart.activate-selected", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Menu, 0, popup_menu_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, popup_menu_cb, NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK,
                                       "chart.copy-image", NULL);

  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
seg_chart_init (SegChart *self)
{
  GtkEventController *motion;
  GtkGesture *click;

  self->layers = g_ptr_array_new_with_free_func (g_object_unref);
  self->selected = -1;
  self->hover = -1;
  self->show_legend = TRUE;
  self->fg = (GdkRGBA) { 0, 0, 0, 0.8 };
  gdk_rgba_parse (&self->accent, "#3584e4");
  gdk_rgba_parse (&self->bg, "#fafafa");

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect_swapped (motion, "enter", G_CALLBACK (motion_cb), self);
  g_signal_connect_swapped (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect_swapped (click, "pressed", G_CALLBACK (click_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  update_description (self);
}

/**
 * seg_chart_new:
 *
 * Returns: (transfer full): an empty chart; add layers holding series
 */
GtkWidget *
seg_chart_new (void)
{
  return g_object_new (SEG_TYPE_CHART, NULL);
}

/**
 * seg_chart_add_layer:
 * @layer: (transfer none): a layer, drawn above the ones added before
 */
void
seg_chart_add_layer (SegChart      *self,
                     SegChartLayer *layer)
{
  g_return_if_fail (SEG_IS_CHART (self));
  g_return_if_fail (SEG_IS_CHART_LAYER (layer));
  g_return_if_fail (gtk_widget_get_parent (GTK_WIDGET (layer)) == NULL);

  g_ptr_array_add (self->layers, g_object_ref_sink (layer));
  gtk_widget_insert_before (GTK_WIDGET (layer), GTK_WIDGET (self), self->popover);
  g_signal_connect_object (layer, "data-changed", G_CALLBACK (layer_data_changed_cb), self,
                           G_CONNECT_SWAPPED);
  invalidate_data (self);
}

void
seg_chart_remove_layer (SegChart      *self,
                        SegChartLayer *layer)
{
  g_return_if_fail (SEG_IS_CHART (self));
  g_return_if_fail (SEG_IS_CHART_LAYER (layer));

  if (!g_ptr_array_find (self->layers, layer, NULL))
    return;

  g_signal_handlers_disconnect_by_data (layer, self);
  gtk_widget_unparent (GTK_WIDGET (layer));
  g_ptr_array_remove (self->layers, layer);
  invalidate_data (self);
}

guint
seg_chart_get_n_layers (SegChart *self)
{
  g_return_val_if_fail (SEG_IS_CHART (self), 0);
  return self->layers->len;
}

/**
 * seg_chart_get_layer:
 *
 * Returns: (transfer none): the layer at @position
 */
SegChartLayer *
seg_chart_get_layer (SegChart *self,
                     guint     position)
{
  g_return_val_if_fail (SEG_IS_CHART (self), NULL);
  g_return_val_if_fail (position < self->layers->len, NULL);
  return g_ptr_array_index (self->layers, position);
}

const char *
seg_chart_get_title (SegChart *self)
{
  g_return_val_if_fail (SEG_IS_CHART (self), NULL);
  return self->title;
}

void
seg_chart_set_title (SegChart   *self,
                     const char *title)
{
  g_return_if_fail (SEG_IS_CHART (self));

  if (g_strcmp0 (self->title, title) == 0)
    return;
  g_free (self->title);
  self->title = g_strdup (title);
  invalidate_data (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
seg_chart_get_empty_text (SegChart *self)
{
  g_return_val_if_fail (SEG_IS_CHART (self), NULL);
  return self->empty_text ? self->empty_text : _("No data");
}

/**
 * seg_chart_set_empty_text:
 * @empty_text: (nullable): what the chart says without data, %NULL for "No data"
 */
void
seg_chart_set_empty_text (SegChart   *self,
                          const char *empty_text)
{
  g_return_if_fail (SEG_IS_CHART (self));

  if (g_strcmp0 (self->empty_text, empty_text) == 0)
    return;
  g_free (self->empty_text);
  self->empty_text = g_strdup (empty_text);
  invalidate_data (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMPTY_TEXT]);
}

SegChartXAxis
seg_chart_get_x_axis (SegChart *self)
{
  g_return_val_if_fail (SEG_IS_CHART (self), SEG_CHART_X_AXIS_TIME);
  return self->x_axis;
}

void
seg_chart_set_x_axis (SegChart      *self,
                      SegChartXAxis  x_axis)
{
  g_return_if_fail (SEG_IS_CHART (self));

  if (self->x_axis == x_axis)
    return;
  self->x_axis = x_axis;
  invalidate_data (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_X_AXIS]);
}

SegChartTimeBucket
seg_chart_get_time_bucket (SegChart *self)
{
  g_return_val_if_fail (SEG_IS_CHART (self), SEG_CHART_TIME_BUCKET_NONE);
  return self->time_bucket;
}

void
seg_chart_set_time_bucket (SegChart           *self,
                           SegChartTimeBucket  bucket)
{
  g_return_if_fail (SEG_IS_CHART (self));

  if (self->time_bucket == bucket)
    return;
  self->time_bucket = bucket;
  invalidate_data (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME_BUCKET]);
}

/**
 * seg_chart_get_time_zone:
 *
 * Returns: (transfer none) (nullable): the zone of time labels, %NULL for local
 */
GTimeZone *
seg_chart_get_time_zone (SegChart *self)
{
  g_return_val_if_fail (SEG_IS_CHART (self), NULL);
  return self->time_zone;
}

/**
 * seg_chart_set_time_zone:
 * @time_zone: (nullable): the store's time zone; %NULL for the local one
 */
void
seg_chart_set_time_zone (SegChart  *self,
                         GTimeZone *time_zone)
{
  g_return_if_fail (SEG_IS_CHART (self));

  if (self->time_zone == time_zone)
    return;
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  self->time_zone = time_zone ? g_time_zone_ref (time_zone) : NULL;
  invalidate_data (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME_ZONE]);
}

/**
 * seg_chart_get_categories:
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the category names
 */
const char * const *
seg_chart_get_categories (SegChart *self)
{
  g_return_val_if_fail (SEG_IS_CHART (self), NULL);
  return (const char * const *) self->categories;
}

/**
 * seg_chart_set_categories:
 * @categories: (nullable) (array zero-terminated=1): names for x = 0, 1, 2, …
 */
void
seg_chart_set_categories (SegChart           *self,
                          const char * const *categories)
{
  g_return_if_fail (SEG_IS_CHART (self));

  if (self->categories && categories &&
      g_strv_equal ((const char * const *) self->categories, categories))
    return;
  g_clear_pointer (&self->categories, g_strfreev);
  self->categories = g_strdupv ((char **) categories);
  invalidate_data (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATEGORIES]);
}

/**
 * seg_chart_set_x_range:
 * @x_min: the x at the left edge
 * @x_max: the x at the right edge
 *
 * Fixes the x axis instead of fitting it to the data: a live chart sets its
 * window (say, the next hour), so that streamed points within it only draw
 * themselves and never rescale what is already drawn.
 */
void
seg_chart_set_x_range (SegChart *self,
                       double    x_min,
                       double    x_max)
{
  g_return_if_fail (SEG_IS_CHART (self));
  g_return_if_fail (x_max > x_min);

  if (self->has_x_range && self->x_range_min == x_min && self->x_range_max == x_max)
    return;
  self->has_x_range = TRUE;
  self->x_range_min = x_min;
  self->x_range_max = x_max;
  invalidate_data (self);
}

void
seg_chart_unset_x_range (SegChart *self)
{
  g_return_if_fail (SEG_IS_CHART (self));

  if (!self->has_x_range)
    return;
  self->has_x_range = FALSE;
  invalidate_data (self);
}

gboolean
seg_chart_get_show_legend (SegChart *self)
{
  g_return_val_if_fail (SEG_IS_CHART (self), FALSE);
  return self->show_legend;
}

void
seg_chart_set_show_legend (SegChart *self,
                           gboolean  show_legend)
{
  g_return_if_fail (SEG_IS_CHART (self));

  show_legend = !!show_legend;
  if (self->show_legend == show_legend)
    return;
  self->show_legend = show_legend;
  invalidate_data (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_LEGEND]);
}

gboolean
seg_chart_get_high_contrast (SegChart *self)
{
  g_return_val_if_fail (SEG_IS_CHART (self), FALSE);
  return self->high_contrast;
}

void
seg_chart_set_high_contrast (SegChart *self,
                             gboolean  high_contrast)
{
  g_return_if_fail (SEG_IS_CHART (self));

  high_contrast = !!high_contrast;
  if (self->high_contrast == high_contrast)
    return;
  self->high_contrast = high_contrast;
  /* Theme colours are adjusted to a stronger contrast: read them again,
   * once the chart is in a window and has the theme's style. */
  if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    {
      self->fg.alpha = -1;
      update_theme (self);
    }
  else
    {
      ensure_contrast (self, &self->accent, &self->bg);
    }
  invalidate_data (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HIGH_CONTRAST]);
}

/**
 * seg_chart_get_n_slots:
 *
 * Returns: how many distinct positions the x axis has (days, categories)
 */
guint
seg_chart_get_n_slots (SegChart *self)
{
  g_return_val_if_fail (SEG_IS_CHART (self), 0);
  return ensure_slots (self)->len;
}

/**
 * seg_chart_get_slot_x:
 * @slot: an index below seg_chart_get_n_slots()
 *
 * Returns: the x of that position: the day's start in ms, the category index
 */
double
seg_chart_get_slot_x (SegChart *self,
                      guint     slot)
{
  GArray *slots;

  g_return_val_if_fail (SEG_IS_CHART (self), NAN);

  slots = ensure_slots (self);
  g_return_val_if_fail (slot < slots->len, NAN);
  return g_array_index (slots, double, slot);
}

int
seg_chart_get_selected (SegChart *self)
{
  g_return_val_if_fail (SEG_IS_CHART (self), -1);
  return self->selected;
}

/**
 * seg_chart_set_selected:
 * @slot: the position to select, -1 for none
 *
 * Selects a bar or day as a click or the arrow keys do, and emits
 * #SegChart::selected-changed.
 */
void
seg_chart_set_selected (SegChart *self,
                        int       slot)
{
  GArray *slots;

  g_return_if_fail (SEG_IS_CHART (self));

  slots = ensure_slots (self);
  if (slot < -1 || slot >= (int) slots->len)
    slot = -1;
  if (self->selected == slot)
    return;

  self->selected = slot;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
  g_signal_emit (self, signals[SELECTED_CHANGED], 0, slot,
                 slot >= 0 ? g_array_index (slots, double, slot) : NAN);
}
