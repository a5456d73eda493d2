/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * chart-gallery: every kind of chart with believable data, to look at them
 * in light, dark and high contrast themes. Not installed.
 *
 *   chart-gallery [--live]
 *
 * With --live the line chart streams a point every 100 ms.
 */
#define G_LOG_DOMAIN "chart-gallery"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "seg-area-layer.h"
#include "seg-bar-layer.h"
#include "seg-chart.h"
#include "seg-chart-ticks.h"
#include "seg-line-layer.h"

static gboolean live;

/* 2026-05-01 00:00 in Berlin. */
static gint64
first_day (GTimeZone *tz)
{
  g_autoptr(GDateTime) dt = g_date_time_new (tz, 2026, 5, 1, 0, 0, 0);

  return g_date_time_to_unix (dt) * 1000;
}

static GtkWidget *
frame (GtkWidget *chart)
{
  GtkWidget *frame = gtk_frame_new (NULL);

  gtk_widget_set_hexpand (chart, TRUE);
  gtk_widget_set_vexpand (chart, TRUE);
  gtk_frame_set_child (GTK_FRAME (frame), chart);
  gtk_widget_add_css_class (frame, "view");
  return frame;
}

static GtkWidget *
segment_size_chart (GTimeZone *tz)
{
  GtkWidget *chart = seg_chart_new ();
  SegChartLayer *layer = seg_bar_layer_new (SEG_BAR_LAYER_GROUPED);
  g_autoptr(SegChartSeries) series = seg_chart_series_new (_("Members"));
  gint64 day = first_day (tz);

  seg_chart_set_title (SEG_CHART (chart), _("Segment size per day"));
  seg_chart_set_time_zone (SEG_CHART (chart), tz);
  seg_chart_set_time_bucket (SEG_CHART (chart), SEG_CHART_TIME_BUCKET_DAY);

  for (int i = 0; i < 30; i++)
    {
      double v = 1200 + 900 * sin (i / 4.0) + i * 55 + (i % 7 == 5 ? -400 : 0);

      seg_chart_series_append (series, day, round (v));
      day = seg_chart_time_add_days (day, tz, 1);
    }

  seg_chart_layer_add_series (layer, series);
  seg_chart_add_layer (SEG_CHART (chart), layer);
  seg_chart_set_selected (SEG_CHART (chart), 19);
  return chart;
}

static GtkWidget *
joined_left_chart (GTimeZone *tz)
{
  GtkWidget *chart = seg_chart_new ();
  SegChartLayer *layer = seg_bar_layer_new (SEG_BAR_LAYER_STACKED);
  g_autoptr(SegChartSeries) joined = seg_chart_series_new (_("Joined"));
  g_autoptr(SegChartSeries) stayed = seg_chart_series_new (_("Stayed"));
  gint64 day = first_day (tz);

  seg_chart_set_title (SEG_CHART (chart), _("Members by day, stacked"));
  seg_chart_set_time_zone (SEG_CHART (chart), tz);
  seg_chart_set_time_bucket (SEG_CHART (chart), SEG_CHART_TIME_BUCKET_DAY);

  for (int i = 0; i < 14; i++)
    {
      seg_chart_series_append (stayed, day, 800 + 40 * i);
      seg_chart_series_append (joined, day, 120 + 60 * fabs (sin (i)));
      day = seg_chart_time_add_days (day, tz, 1);
    }

  seg_chart_layer_add_series (layer, stayed);
  seg_chart_layer_add_series (layer, joined);
  seg_chart_add_layer (SEG_CHART (chart), layer);
  return chart;
}

static GtkWidget *
reachability_chart (void)
{
  static const char *channels[] = { "Email", "Push", "SMS", "WhatsApp", "In-app", NULL };
  static const double reachable[] = { 78.5, 41.2, 63.0, 22.4, 90.1 };
  static const double last_week[] = { 74.0, 44.9, 60.2, 18.0, 88.7 };
  GtkWidget *chart = seg_chart_new ();
  SegChartLayer *layer = seg_bar_layer_new (SEG_BAR_LAYER_GROUPED);
  g_autoptr(SegChartSeries) now = seg_chart_series_new (_("Reachable now (%)"));
  g_autoptr(SegChartSeries) before = seg_chart_series_new (_("A week ago (%)"));

  seg_chart_set_title (SEG_CHART (chart), _("Reachability by channel"));
  seg_chart_set_x_axis (SEG_CHART (chart), SEG_CHART_X_AXIS_CATEGORY);
  seg_chart_set_categories (SEG_CHART (chart), channels);
  seg_chart_series_set_values (now, reachable, G_N_ELEMENTS (reachable));
  seg_chart_series_set_values (before, last_week, G_N_ELEMENTS (last_week));
  seg_chart_layer_add_series (layer, now);
  seg_chart_layer_add_series (layer, before);
  seg_chart_add_layer (SEG_CHART (chart), layer);
  return chart;
}

static gboolean
stream_cb (gpointer data)
{
  SegChartSeries *series = data;
  const SegChartPoint *points;
  guint n;

  points = seg_chart_series_get_points (series, &n);
  if (n > 0)
    seg_chart_series_append (series, points[n - 1].x + 60000,
                             MAX (0, points[n - 1].y + g_random_double_range (-40, 40)));
  return G_SOURCE_CONTINUE;
}

static GtkWidget *
events_chart (GTimeZone *tz)
{
  GtkWidget *chart = seg_chart_new ();
  SegChartLayer *layer = seg_line_layer_new ();
  g_autoptr(SegChartSeries) series = seg_chart_series_new (_("Events per minute"));
  g_autofree SegChartPoint *points = g_new (SegChartPoint, 10000);
  gint64 start = first_day (tz);
  GRand *rand = g_rand_new_with_seed (7);
  double v = 500;

  for (int i = 0; i < 10000; i++)
    {
      v = CLAMP (v + g_rand_double_range (rand, -25, 25), 350, 1500);
      points[i].x = start + (gint64) i * 60000;
      points[i].y = round (v + 300 * sin (i * 2 * G_PI / 1440));
    }
  g_rand_free (rand);

  seg_chart_set_title (SEG_CHART (chart), _("Events per minute, 10,000 points"));
  seg_chart_set_time_zone (SEG_CHART (chart), tz);
  seg_chart_series_set_points (series, points, 10000);
  seg_chart_layer_add_series (layer, series);
  seg_chart_add_layer (SEG_CHART (chart), layer);

  if (live)
    {
      seg_chart_set_x_range (SEG_CHART (chart), start, start + 10000.0 * 60000 * 1.2);
      g_timeout_add_full (G_PRIORITY_DEFAULT, 100, stream_cb, g_object_ref (series),
                          g_object_unref);
    }
  return chart;
}

static GtkWidget *
active_users_chart (GTimeZone *tz)
{
  GtkWidget *chart = seg_chart_new ();
  SegChartLayer *area = seg_area_layer_new ();
  SegChartLayer *line = seg_line_layer_new ();
  g_autoptr(SegChartSeries) active = seg_chart_series_new (_("Active users"));
  g_autoptr(SegChartSeries) target = seg_chart_series_new (_("Target"));
  gint64 day = first_day (tz);

  seg_chart_set_title (SEG_CHART (chart), _("Daily active users"));
  seg_chart_set_time_zone (SEG_CHART (chart), tz);
  seg_chart_set_time_bucket (SEG_CHART (chart), SEG_CHART_TIME_BUCKET_DAY);

  for (int i = 0; i < 90; i++)
    {
      seg_chart_series_append (active, day, round (24000 + 9000 * sin (i / 9.0) + 120 * i));
      seg_chart_series_append (target, day, 30000);
      day = seg_chart_time_add_days (day, tz, 1);
    }

  seg_chart_layer_add_series (area, active);
  seg_chart_layer_add_series (line, target);
  seg_chart_add_layer (SEG_CHART (chart), area);
  seg_chart_add_layer (SEG_CHART (chart), line);
  return chart;
}

static GtkWidget *
single_point_chart (GTimeZone *tz)
{
  GtkWidget *chart = seg_chart_new ();
  SegChartLayer *layer = seg_line_layer_new ();
  g_autoptr(SegChartSeries) series = seg_chart_series_new (_("Members"));

  seg_chart_set_title (SEG_CHART (chart), _("Created today: one day of data"));
  seg_chart_set_time_zone (SEG_CHART (chart), tz);
  seg_chart_set_time_bucket (SEG_CHART (chart), SEG_CHART_TIME_BUCKET_DAY);
  seg_chart_series_append (series, first_day (tz), 342);
  seg_chart_layer_add_series (layer, series);
  seg_chart_add_layer (SEG_CHART (chart), layer);
  return chart;
}

static GtkWidget *
empty_chart (void)
{
  GtkWidget *chart = seg_chart_new ();
  SegChartLayer *layer = seg_bar_layer_new (SEG_BAR_LAYER_GROUPED);
  g_autoptr(SegChartSeries) series = seg_chart_series_new (_("Members"));

  seg_chart_set_title (SEG_CHART (chart), _("Sample users on the selected day"));
  seg_chart_layer_add_series (layer, series);
  seg_chart_add_layer (SEG_CHART (chart), layer);
  return chart;
}

static void
activate_cb (GtkApplication *app)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Berlin");
  GtkWidget *window = gtk_application_window_new (app);
  GtkWidget *grid = gtk_grid_new ();

  if (tz == NULL)
    tz = g_time_zone_new_utc ();

  gtk_window_set_title (GTK_WINDOW (window), "Chart Gallery");
  gtk_window_set_default_size (GTK_WINDOW (window), 1500, 820);

  gtk_grid_set_row_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_homogeneous (GTK_GRID (grid), TRUE);
  gtk_grid_set_column_homogeneous (GTK_GRID (grid), TRUE);
  gtk_widget_set_margin_top (grid, 18);
  gtk_widget_set_margin_bottom (grid, 18);
  gtk_widget_set_margin_start (grid, 18);
  gtk_widget_set_margin_end (grid, 18);

  gtk_grid_attach (GTK_GRID (grid), frame (segment_size_chart (tz)), 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), frame (joined_left_chart (tz)), 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), frame (reachability_chart ()), 2, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), frame (events_chart (tz)), 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), frame (active_users_chart (tz)), 1, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), frame (single_point_chart (tz)), 2, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), frame (empty_chart ()), 0, 2, 3, 1);

  gtk_window_set_child (GTK_WINDOW (window), grid);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkApplication) app = NULL;

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--live"))
      live = TRUE;

  app = gtk_application_new ("io.github.segmentstudio.ChartGallery", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), 1, argv);
}
