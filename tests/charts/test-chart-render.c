/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Every kind of chart drawn offscreen through seg_chart_render(), the code
 * that also draws the screen and the exported images, and checked pixel by
 * pixel: a bar's colour where its value says it is, the background around
 * it. The PNGs stay in the build directory to look at.
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include "seg-area-layer.h"
#include "seg-bar-layer.h"
#include "seg-chart.h"
#include "seg-chart-ticks.h"
#include "seg-line-layer.h"

#define W 640
#define H 320

#define RED   "#e01b24"
#define GREEN "#2ec27e"
#define BLUE  "#1c71d8"

typedef struct
{
  cairo_surface_t *surface;
  guchar          *data;
  int              stride;
} Image;

typedef struct
{
  int r, g, b;
} Pixel;

static Image
render (SegChart   *chart,
        const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  Image image;
  cairo_t *cr;

  image.surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  cr = cairo_create (image.surface);
  seg_chart_render (chart, cr, W, H);
  cairo_destroy (cr);
  cairo_surface_flush (image.surface);
  g_assert_cmpint (cairo_surface_write_to_png (image.surface, path), ==, CAIRO_STATUS_SUCCESS);

  image.data = cairo_image_surface_get_data (image.surface);
  image.stride = cairo_image_surface_get_stride (image.surface);
  return image;
}

static Pixel
pixel_at (const Image *image,
          double       x,
          double       y)
{
  int ix = CLAMP ((int) floor (x), 0, W - 1);
  int iy = CLAMP ((int) floor (y), 0, H - 1);
  guint32 v = *(guint32 *)(gpointer) (image->data + iy * image->stride + ix * 4);

  /* Opaque ARGB32, so no premultiplication to undo. */
  return (Pixel) { (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff };
}

static gboolean
pixel_near (Pixel       p,
            const char *spec,
            int         tolerance)
{
  GdkRGBA c;

  gdk_rgba_parse (&c, spec);
  return abs (p.r - (int) round (c.red * 255)) <= tolerance &&
         abs (p.g - (int) round (c.green * 255)) <= tolerance &&
         abs (p.b - (int) round (c.blue * 255)) <= tolerance;
}

static gboolean
pixel_equal (Pixel a,
             Pixel b,
             int   tolerance)
{
  return abs (a.r - b.r) <= tolerance && abs (a.g - b.g) <= tolerance &&
         abs (a.b - b.b) <= tolerance;
}

#define assert_pixel_color(image, x, y, spec) \
  G_STMT_START { \
    Pixel _p = pixel_at (image, x, y); \
    if (!pixel_near (_p, spec, 8)) \
      g_error ("pixel at %.0f,%.0f is #%02x%02x%02x, expected %s", \
               (double) (x), (double) (y), _p.r, _p.g, _p.b, spec); \
  } G_STMT_END

/* The background, taken from a corner no chart draws in. */
static Pixel
background (const Image *image)
{
  return pixel_at (image, W - 2, H - 2);
}

static GTimeZone *
berlin (void)
{
  GTimeZone *tz = g_time_zone_new_identifier ("Europe/Berlin");

  g_assert_nonnull (tz);
  return tz;
}

static gint64
may (GTimeZone *tz,
     int        day)
{
  g_autoptr(GDateTime) dt = g_date_time_new (tz, 2026, 5, day, 0, 0, 0);

  return g_date_time_to_unix (dt) * 1000;
}

static SegChart *
new_chart (void)
{
  return SEG_CHART (g_object_ref_sink (seg_chart_new ()));
}

static void
bar_center (SegChart        *chart,
            SegChartLayer   *layer,
            guint            series,
            guint            index,
            graphene_rect_t *rect)
{
  graphene_rect_t plot;
  SegChartDomain domain;

  g_assert_true (seg_chart_get_plot_area (chart, W, H, &plot, &domain));
  g_assert_true (seg_bar_layer_get_bar_rect (SEG_BAR_LAYER (layer), &domain,
                                             plot.size.width, plot.size.height,
                                             series, index, rect));
  rect->origin.x += plot.origin.x;
  rect->origin.y += plot.origin.y;
}

static void
test_bars (void)
{
  g_autoptr(GTimeZone) tz = berlin ();
  SegChart *chart = new_chart ();
  SegChartLayer *layer = seg_bar_layer_new (SEG_BAR_LAYER_GROUPED);
  g_autoptr(SegChartSeries) series = seg_chart_series_new ("Members");
  graphene_rect_t first, last, next;
  Image image;
  Pixel bg;

  seg_chart_set_time_zone (chart, tz);
  seg_chart_set_time_bucket (chart, SEG_CHART_TIME_BUCKET_DAY);
  seg_chart_series_set_color (series, RED);
  for (int day = 1; day <= 7; day++)
    seg_chart_series_append (series, may (tz, day), day * 10);
  seg_chart_layer_add_series (layer, series);
  seg_chart_add_layer (chart, layer);

  image = render (chart, "chart-bars.png");
  bg = background (&image);

  bar_center (chart, layer, 0, 0, &first);
  bar_center (chart, layer, 0, 6, &last);
  bar_center (chart, layer, 0, 1, &next);

  /* Heights follow the values: 70 is seven times 10. */
  g_assert_cmpfloat_with_epsilon (last.size.height / first.size.height, 7.0, 0.05);
  /* Bars stand on the same baseline and do not overlap. */
  g_assert_cmpfloat_with_epsilon (first.origin.y + first.size.height,
                                  last.origin.y + last.size.height, 0.5);
  g_assert_cmpfloat (first.origin.x + first.size.width, <, next.origin.x);

  assert_pixel_color (&image, first.origin.x + first.size.width / 2,
                      first.origin.y + first.size.height / 2, RED);
  assert_pixel_color (&image, last.origin.x + last.size.width / 2,
                      last.origin.y + 2, RED);
  /* Between two bars and above the short one: background (or a faint gridline). */
  g_assert_true (pixel_equal (pixel_at (&image, (first.origin.x + first.size.width + next.origin.x) / 2,
                                        first.origin.y + first.size.height - 3), bg, 40));
  g_assert_true (pixel_equal (pixel_at (&image, first.origin.x + first.size.width / 2,
                                        first.origin.y - 6), bg, 40));

  cairo_surface_destroy (image.surface);
  g_assert_finalize_object (chart);
}

static void
test_bars_stacked_and_grouped (void)
{
  static const char *names[] = { "Email", "Push", "SMS", NULL };
  static const double a[] = { 30, 10, 20 };
  static const double b[] = { 10, 30, 20 };
  g_autoptr(SegChartSeries) sa = seg_chart_series_new ("A");
  g_autoptr(SegChartSeries) sb = seg_chart_series_new ("B");
  SegChart *stacked = new_chart ();
  SegChart *grouped = new_chart ();
  SegChartLayer *stacked_layer = seg_bar_layer_new (SEG_BAR_LAYER_STACKED);
  SegChartLayer *grouped_layer = seg_bar_layer_new (SEG_BAR_LAYER_GROUPED);
  graphene_rect_t bottom, top, left, right;
  SegChartDomain domain;
  Image image;

  seg_chart_series_set_values (sa, a, 3);
  seg_chart_series_set_values (sb, b, 3);
  seg_chart_series_set_color (sa, RED);
  seg_chart_series_set_color (sb, GREEN);

  seg_chart_set_x_axis (stacked, SEG_CHART_X_AXIS_CATEGORY);
  seg_chart_set_categories (stacked, names);
  seg_chart_layer_add_series (stacked_layer, sa);
  seg_chart_layer_add_series (stacked_layer, sb);
  seg_chart_add_layer (stacked, stacked_layer);

  /* Stacks reach 40, so the axis goes beyond 30. */
  g_assert_true (seg_chart_get_plot_area (stacked, W, H, NULL, &domain));
  g_assert_cmpfloat (domain.y_max, >=, 40);

  image = render (stacked, "chart-stacked.png");
  bar_center (stacked, stacked_layer, 0, 1, &bottom);
  bar_center (stacked, stacked_layer, 1, 1, &top);
  /* B sits on A: its bottom is A's top. */
  g_assert_cmpfloat_with_epsilon (top.origin.y + top.size.height, bottom.origin.y, 0.5);
  g_assert_cmpfloat_with_epsilon (top.size.height / bottom.size.height, 3.0, 0.05);
  assert_pixel_color (&image, bottom.origin.x + bottom.size.width / 2,
                      bottom.origin.y + bottom.size.height / 2, RED);
  assert_pixel_color (&image, top.origin.x + top.size.width / 2,
                      top.origin.y + top.size.height / 2, GREEN);
  cairo_surface_destroy (image.surface);

  seg_chart_set_x_axis (grouped, SEG_CHART_X_AXIS_CATEGORY);
  seg_chart_set_categories (grouped, names);
  seg_chart_layer_add_series (grouped_layer, sa);
  seg_chart_layer_add_series (grouped_layer, sb);
  seg_chart_add_layer (grouped, grouped_layer);

  image = render (grouped, "chart-grouped.png");
  bar_center (grouped, grouped_layer, 0, 0, &left);
  bar_center (grouped, grouped_layer, 1, 0, &right);
  /* Side by side, on one baseline. */
  g_assert_cmpfloat (left.origin.x + left.size.width, <=, right.origin.x + 0.01);
  g_assert_cmpfloat_with_epsilon (left.origin.y + left.size.height,
                                  right.origin.y + right.size.height, 0.5);
  assert_pixel_color (&image, left.origin.x + left.size.width / 2,
                      left.origin.y + left.size.height / 2, RED);
  assert_pixel_color (&image, right.origin.x + right.size.width / 2,
                      right.origin.y + right.size.height / 2, GREEN);
  cairo_surface_destroy (image.surface);

  g_assert_finalize_object (stacked);
  g_assert_finalize_object (grouped);
}

static void
test_line_and_area (void)
{
  g_autoptr(GTimeZone) tz = berlin ();
  g_autoptr(SegChartSeries) flat = seg_chart_series_new ("Target");
  g_autoptr(SegChartSeries) filled = seg_chart_series_new ("Users");
  SegChart *line_chart = new_chart ();
  SegChart *area_chart = new_chart ();
  SegChartLayer *line = seg_line_layer_new ();
  SegChartLayer *area = seg_area_layer_new ();
  graphene_rect_t plot;
  SegChartDomain domain;
  Image image;
  Pixel bg, inside;
  double y;

  seg_chart_series_set_color (flat, BLUE);
  seg_chart_series_set_color (filled, RED);
  for (int day = 1; day <= 10; day++)
    {
      seg_chart_series_append (flat, may (tz, day), 50);
      seg_chart_series_append (filled, may (tz, day), 80);
    }

  seg_chart_set_time_zone (line_chart, tz);
  seg_chart_layer_add_series (line, flat);
  seg_chart_add_layer (line_chart, line);

  image = render (line_chart, "chart-line.png");
  bg = background (&image);
  g_assert_true (seg_chart_get_plot_area (line_chart, W, H, &plot, &domain));
  y = plot.origin.y + (1 - (50 - domain.y_min) / (domain.y_max - domain.y_min)) * plot.size.height;
  assert_pixel_color (&image, plot.origin.x + plot.size.width / 2, y, BLUE);
  g_assert_true (pixel_equal (pixel_at (&image, plot.origin.x + plot.size.width / 2, y - 8), bg, 40));
  cairo_surface_destroy (image.surface);

  seg_chart_set_time_zone (area_chart, tz);
  seg_chart_layer_add_series (area, filled);
  seg_chart_add_layer (area_chart, area);

  image = render (area_chart, "chart-area.png");
  bg = background (&image);
  g_assert_true (seg_chart_get_plot_area (area_chart, W, H, &plot, &domain));
  y = plot.origin.y + (1 - (80 - domain.y_min) / (domain.y_max - domain.y_min)) * plot.size.height;
  assert_pixel_color (&image, plot.origin.x + plot.size.width / 2, y, RED);
  /* Under the line, a tint of the series colour: redder than the background. */
  inside = pixel_at (&image, plot.origin.x + plot.size.width / 2,
                     (y + plot.origin.y + plot.size.height) / 2 + 3);
  g_assert_false (pixel_near (inside, RED, 30));
  g_assert_cmpint (inside.r - inside.g, >, bg.r - bg.g + 20);
  /* Above it, the background. */
  g_assert_true (pixel_equal (pixel_at (&image, plot.origin.x + plot.size.width / 2, y - 8), bg, 40));
  cairo_surface_destroy (image.surface);

  g_assert_finalize_object (line_chart);
  g_assert_finalize_object (area_chart);
}

static void
test_empty (void)
{
  SegChart *chart = new_chart ();
  SegChartLayer *layer = seg_bar_layer_new (SEG_BAR_LAYER_GROUPED);
  g_autoptr(SegChartSeries) series = seg_chart_series_new ("Members");
  g_autofree char *description = NULL;
  Image image;
  Pixel bg;
  guint drawn = 0, colored = 0;

  seg_chart_series_set_color (series, RED);
  seg_chart_layer_add_series (layer, series);
  seg_chart_add_layer (chart, layer);

  g_assert_false (seg_chart_get_plot_area (chart, W, H, NULL, NULL));
  g_assert_cmpuint (seg_chart_get_n_slots (chart), ==, 0);

  image = render (chart, "chart-empty.png");
  bg = background (&image);

  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++)
      {
        Pixel p = pixel_at (&image, x, y);

        if (!pixel_equal (p, bg, 10))
          {
            drawn++;
            /* Only the "No data" text, in the middle. */
            g_assert_cmpint (abs (x - W / 2), <, 80);
            g_assert_cmpint (abs (y - H / 2), <, 30);
          }
        if (pixel_near (p, RED, 60))
          colored++;
      }

  g_assert_cmpuint (drawn, >, 20);
  g_assert_cmpuint (colored, ==, 0);

  description = seg_chart_dup_description (chart);
  g_assert_cmpstr (description, ==, "Bar chart, No data");

  cairo_surface_destroy (image.surface);
  g_assert_finalize_object (chart);
}

static void
test_one_point (void)
{
  g_autoptr(GTimeZone) tz = berlin ();
  g_autoptr(SegChartSeries) series = seg_chart_series_new ("Members");
  g_autoptr(SegChartSeries) dot = seg_chart_series_new ("Members");
  SegChart *bars = new_chart ();
  SegChart *line = new_chart ();
  SegChartLayer *bar_layer = seg_bar_layer_new (SEG_BAR_LAYER_GROUPED);
  SegChartLayer *line_layer = seg_line_layer_new ();
  graphene_rect_t rect, plot;
  SegChartDomain domain;
  Image image;
  double y;

  seg_chart_series_set_color (series, RED);
  seg_chart_series_append (series, may (tz, 3), 342);
  seg_chart_set_time_zone (bars, tz);
  seg_chart_set_time_bucket (bars, SEG_CHART_TIME_BUCKET_DAY);
  seg_chart_layer_add_series (bar_layer, series);
  seg_chart_add_layer (bars, bar_layer);

  image = render (bars, "chart-one-bar.png");
  bar_center (bars, bar_layer, 0, 0, &rect);
  g_assert_cmpfloat (rect.size.width, >, 20);
  g_assert_cmpfloat (rect.size.height, >, 20);
  assert_pixel_color (&image, rect.origin.x + rect.size.width / 2,
                      rect.origin.y + rect.size.height / 2, RED);
  cairo_surface_destroy (image.surface);

  /* A line of one point is a dot where the value is. */
  seg_chart_series_set_color (dot, BLUE);
  seg_chart_series_append (dot, may (tz, 3), 342);
  seg_chart_set_time_zone (line, tz);
  seg_chart_layer_add_series (line_layer, dot);
  seg_chart_add_layer (line, line_layer);

  image = render (line, "chart-one-point.png");
  g_assert_true (seg_chart_get_plot_area (line, W, H, &plot, &domain));
  y = plot.origin.y + (1 - (342 - domain.y_min) / (domain.y_max - domain.y_min)) * plot.size.height;
  assert_pixel_color (&image, plot.origin.x + plot.size.width / 2, y, BLUE);
  cairo_surface_destroy (image.surface);

  g_assert_finalize_object (bars);
  g_assert_finalize_object (line);
}

static void
test_ten_thousand (void)
{
  g_autoptr(SegChartSeries) series = seg_chart_series_new ("Events");
  g_autoptr(SegChartSeries) bar_series = seg_chart_series_new ("Events");
  g_autofree SegChartPoint *points = g_new (SegChartPoint, 10000);
  SegChart *chart = new_chart ();
  SegChart *bars = new_chart ();
  SegChartLayer *layer = seg_line_layer_new ();
  SegChartLayer *bar_layer = seg_bar_layer_new (SEG_BAR_LAYER_GROUPED);
  graphene_rect_t plot;
  SegChartDomain domain;
  gint64 start, elapsed;
  gboolean spike_found = FALSE;
  double spike_x, spike_y;
  Image image;

  for (guint i = 0; i < 10000; i++)
    {
      points[i].x = 1777593600000.0 + i * 60000.0;
      points[i].y = i == 7777 ? 1000 : 100 + (i % 13);
    }
  seg_chart_series_set_points (series, points, 10000);
  seg_chart_series_set_color (series, BLUE);
  seg_chart_layer_add_series (layer, series);
  seg_chart_add_layer (chart, layer);

  start = g_get_monotonic_time ();
  image = render (chart, "chart-10k-line.png");
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("10,000-point line rendered at %dx%d in %.1f ms", W, H, elapsed / 1000.0);
  g_assert_cmpint (elapsed, <, G_USEC_PER_SEC);

  /* The single spike survives downsampling: its column reaches the top. */
  g_assert_true (seg_chart_get_plot_area (chart, W, H, &plot, &domain));
  spike_x = plot.origin.x + (points[7777].x - domain.x_min) / (domain.x_max - domain.x_min) *
            plot.size.width;
  spike_y = plot.origin.y + (1 - (1000 - domain.y_min) / (domain.y_max - domain.y_min)) *
            plot.size.height;
  for (int dx = -2; dx <= 2 && !spike_found; dx++)
    spike_found = pixel_near (pixel_at (&image, spike_x + dx, spike_y + 2), BLUE, 40);
  g_assert_true (spike_found);
  cairo_surface_destroy (image.surface);

  /* 10,000 bars merge per pixel column and still show. */
  seg_chart_series_set_points (bar_series, points, 10000);
  seg_chart_series_set_color (bar_series, RED);
  seg_chart_layer_add_series (bar_layer, bar_series);
  seg_chart_add_layer (bars, bar_layer);
  image = render (bars, "chart-10k-bars.png");
  g_assert_true (seg_chart_get_plot_area (bars, W, H, &plot, &domain));
  assert_pixel_color (&image, plot.origin.x + plot.size.width / 3,
                      plot.origin.y + plot.size.height - 3, RED);
  cairo_surface_destroy (image.surface);

  g_assert_finalize_object (chart);
  g_assert_finalize_object (bars);
}

static double
luminance (Pixel p)
{
  return (0.2126 * p.r + 0.7152 * p.g + 0.0722 * p.b) / 255.0;
}

static void
test_high_contrast (void)
{
  static const double values[] = { 10, 20, 30, 40, 50, 60, 70 };
  g_autoptr(SegChartSeries) series = seg_chart_series_new ("Members");
  SegChart *chart = new_chart ();
  SegChartLayer *layer = seg_bar_layer_new (SEG_BAR_LAYER_GROUPED);
  graphene_rect_t plot;
  SegChartDomain domain;
  Image normal, strong;
  double grid_y, mid;

  seg_chart_set_x_axis (chart, SEG_CHART_X_AXIS_CATEGORY);
  seg_chart_series_set_values (series, values, G_N_ELEMENTS (values));
  seg_chart_layer_add_series (layer, series);
  seg_chart_add_layer (chart, layer);

  g_assert_true (seg_chart_get_plot_area (chart, W, H, &plot, &domain));
  /* The gridline of the tick halfway up, left of the first bar. */
  mid = (domain.y_min + domain.y_max) / 2;
  grid_y = floor (plot.origin.y + (1 - (mid - domain.y_min) / (domain.y_max - domain.y_min)) *
                  plot.size.height);

  normal = render (chart, "chart-normal-contrast.png");
  seg_chart_set_high_contrast (chart, TRUE);
  strong = render (chart, "chart-high-contrast.png");

  /* On a light background: gridlines visible but faint, much darker in
   * high contrast. */
  g_assert_cmpfloat (luminance (pixel_at (&normal, plot.origin.x + 2, grid_y)), <,
                     luminance (background (&normal)));
  g_assert_cmpfloat (luminance (pixel_at (&strong, plot.origin.x + 2, grid_y)), <,
                     luminance (pixel_at (&normal, plot.origin.x + 2, grid_y)) - 0.15);

  cairo_surface_destroy (normal.surface);
  cairo_surface_destroy (strong.surface);
  g_assert_finalize_object (chart);
}

static void
test_export_formats (void)
{
  static const double values[] = { 3, 1, 4, 1, 5 };
  g_autoptr(SegChartSeries) series = seg_chart_series_new ("Values");
  SegChart *chart = new_chart ();
  SegChartLayer *layer = seg_bar_layer_new (SEG_BAR_LAYER_GROUPED);
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GBytes) svg = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkTexture) decoded = NULL;
  g_autoptr(GError) error = NULL;
  const char *svg_text;
  gsize size;

  seg_chart_set_title (chart, "Export");
  seg_chart_set_x_axis (chart, SEG_CHART_X_AXIS_CATEGORY);
  seg_chart_series_set_values (series, values, G_N_ELEMENTS (values));
  seg_chart_layer_add_series (layer, series);
  seg_chart_add_layer (chart, layer);

  png = seg_chart_render_png (chart, 300, 150, 2.0);
  g_assert_cmpmem (g_bytes_get_data (png, NULL), 8, "\x89PNG\r\n\x1a\n", 8);
  decoded = gdk_texture_new_from_bytes (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (decoded), ==, 600);
  g_assert_cmpint (gdk_texture_get_height (decoded), ==, 300);

  svg = seg_chart_render_svg (chart, 300, 150);
  svg_text = g_bytes_get_data (svg, &size);
  g_assert_cmpuint (size, >, 500);
  g_assert_nonnull (g_strstr_len (svg_text, size, "<svg"));
  g_assert_nonnull (g_strstr_len (svg_text, size, "width=\"300\""));

  texture = seg_chart_render_texture (chart, 300, 150, 1.0);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 300);

  g_assert_finalize_object (chart);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "C.UTF-8");

  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Chart/render/bars", test_bars);
  g_test_add_func ("/Chart/render/stacked-and-grouped", test_bars_stacked_and_grouped);
  g_test_add_func ("/Chart/render/line-and-area", test_line_and_area);
  g_test_add_func ("/Chart/render/empty", test_empty);
  g_test_add_func ("/Chart/render/one-point", test_one_point);
  g_test_add_func ("/Chart/render/ten-thousand", test_ten_thousand);
  g_test_add_func ("/Chart/render/high-contrast", test_high_contrast);
  g_test_add_func ("/Chart/render/export-formats", test_export_formats);

  return g_test_run ();
}
