/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A chart in a real window under Xvfb: what a screen reader is told, the
 * data table, selection by pointer position and by keyboard actions, copying
 * the image to the clipboard, following the dark theme, and drawing only the
 * new tail of a live series.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "seg-bar-layer.h"
#include "seg-chart.h"
#include "seg-chart-private.h"
#include "seg-chart-ticks.h"
#include "seg-line-layer.h"

typedef struct
{
  GtkWidget      *window;
  SegChart       *chart;
  SegChartLayer  *layer;
  SegChartSeries *series;
  GTimeZone      *tz;
} Fixture;

static gint64
may (GTimeZone *tz,
     int        day)
{
  g_autoptr(GDateTime) dt = g_date_time_new (tz, 2026, 5, day, 0, 0, 0);

  return g_date_time_to_unix (dt) * 1000;
}

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @check holds, for at most five seconds. */
static gboolean
wait_for (gboolean (*check) (gpointer),
          gpointer   data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (5000, timeout_cb, &timed_out);

  while (!check (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return check (data);
}

static gboolean
is_drawn (gpointer data)
{
  SegChartLayer *layer = data;

  return gtk_widget_get_mapped (GTK_WIDGET (layer)) &&
         gtk_widget_get_width (GTK_WIDGET (layer)) > 0 &&
         _seg_chart_layer_get_n_chunks (layer) > 0;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->tz = g_time_zone_new_identifier ("Europe/Berlin");
  g_assert_nonnull (f->tz);

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 640, 320);

  f->chart = SEG_CHART (seg_chart_new ());
  seg_chart_set_title (f->chart, "Segment size");
  seg_chart_set_time_zone (f->chart, f->tz);
  seg_chart_set_time_bucket (f->chart, SEG_CHART_TIME_BUCKET_DAY);

  f->layer = seg_bar_layer_new (SEG_BAR_LAYER_GROUPED);
  f->series = seg_chart_series_new ("Members");
  for (int day = 1; day <= 30; day++)
    {
      double v = 100 + day;

      if (day == 3)
        v = 12;
      else if (day == 20)
        v = 340;
      seg_chart_series_append (f->series, may (f->tz, day), v);
    }
  seg_chart_layer_add_series (f->layer, f->series);
  seg_chart_add_layer (f->chart, f->layer);

  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->chart));
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (wait_for (is_drawn, f->layer));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->series);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_pointer (&f->tz, g_time_zone_unref);
}

static void
test_accessible (Fixture       *f,
                 gconstpointer  data)
{
  const char *expected = "Bar chart: Segment size, 30 days, from 1 May to 30 May, "
                         "min 12 on 3 May, max 340 on 20 May";
  g_autofree char *description = seg_chart_dup_description (f->chart);

  gtk_test_accessible_assert_role (f->chart, GTK_ACCESSIBLE_ROLE_IMG);
  g_assert_cmpstr (description, ==, expected);
  gtk_test_accessible_assert_property (f->chart, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, expected);
  gtk_test_accessible_assert_property (f->chart, GTK_ACCESSIBLE_PROPERTY_LABEL, "Segment size");

  /* New data: the description follows once the main loop has run. */
  seg_chart_series_append (f->series, may (f->tz, 31), 500);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  gtk_test_accessible_assert_property (f->chart, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Bar chart: Segment size, 31 days, from 1 May to 31 May, "
                                       "min 12 on 3 May, max 500 on 31 May");
}

static void
test_csv (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *csv = seg_chart_dup_csv (f->chart);
  g_auto(GStrv) lines = g_strsplit (csv, "\r\n", -1);

  /* A header, 30 days and the empty string after the last line break. */
  g_assert_cmpuint (g_strv_length (lines), ==, 32);
  g_assert_cmpstr (lines[0], ==, "date,Members");
  g_assert_cmpstr (lines[1], ==, "2026-05-01,101");
  g_assert_cmpstr (lines[3], ==, "2026-05-03,12");
  g_assert_cmpstr (lines[20], ==, "2026-05-20,340");
  g_assert_cmpstr (lines[30], ==, "2026-05-30,130");
  g_assert_cmpstr (lines[31], ==, "");
}

typedef struct
{
  int    slot;
  double x;
  guint  count;
} SignalRecord;

static void
record_cb (SegChart     *chart,
           int           slot,
           double        x,
           SignalRecord *record)
{
  record->slot = slot;
  record->x = x;
  record->count++;
}

static void
test_selection (Fixture       *f,
                gconstpointer  data)
{
  SignalRecord selected = { -2, 0, 0 };
  SignalRecord activated = { -2, 0, 0 };
  int width = gtk_widget_get_width (GTK_WIDGET (f->chart));
  int height = gtk_widget_get_height (GTK_WIDGET (f->chart));
  graphene_rect_t plot, bar;
  SegChartDomain domain;

  g_signal_connect (f->chart, "selected-changed", G_CALLBACK (record_cb), &selected);
  g_signal_connect (f->chart, "activate", G_CALLBACK (record_cb), &activated);

  /* A click lands on the bar under the pointer: the hit test it uses. */
  g_assert_true (seg_chart_get_plot_area (f->chart, width, height, &plot, &domain));
  g_assert_true (seg_bar_layer_get_bar_rect (SEG_BAR_LAYER (f->layer), &domain,
                                             plot.size.width, plot.size.height, 0, 19, &bar));
  g_assert_cmpint (seg_chart_get_slot_at (f->chart,
                                          plot.origin.x + bar.origin.x + bar.size.width / 2,
                                          plot.origin.y + bar.origin.y + 1), ==, 19);
  g_assert_cmpint (seg_chart_get_slot_at (f->chart, 1, height / 2.0), ==, -1);

  /* Arrow keys: Right from nothing selects the first day. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->chart), "chart.select-next", NULL));
  g_assert_cmpint (selected.slot, ==, 0);
  g_assert_cmpfloat (selected.x, ==, may (f->tz, 1));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->chart), "chart.select-last", NULL));
  g_assert_cmpint (selected.slot, ==, 29);
  g_assert_cmpfloat (selected.x, ==, may (f->tz, 30));

  /* Right at the end stays there without a signal. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->chart), "chart.select-next", NULL));
  g_assert_cmpuint (selected.count, ==, 2);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->chart), "chart.select-previous", NULL));
  g_assert_cmpint (seg_chart_get_selected (f->chart), ==, 28);

  /* Enter opens the selected day. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->chart), "chart.activate-selected", NULL));
  g_assert_cmpuint (activated.count, ==, 1);
  g_assert_cmpint (activated.slot, ==, 28);
  g_assert_cmpfloat (activated.x, ==, may (f->tz, 29));

  /* Replacing the data with fewer days drops a selection that no longer exists. */
  seg_chart_series_set_points (f->series, (SegChartPoint[]) { { may (f->tz, 1), 5 } }, 1);
  g_assert_cmpint (seg_chart_get_selected (f->chart), ==, -1);
  g_assert_cmpint (selected.slot, ==, -1);
}

static void
texture_ready_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GdkTexture **texture = user_data;
  g_autoptr(GError) error = NULL;

  *texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
test_copy_image (Fixture       *f,
                 gconstpointer  data)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->chart));
  g_autoptr(GdkTexture) texture = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->chart), "chart.copy-image", NULL));
  g_assert_true (gdk_clipboard_is_local (clipboard));

  gdk_clipboard_read_texture_async (clipboard, NULL, texture_ready_cb, &texture);
  g_assert_true (wait_for (is_set, &texture));
  /* Copied at twice the size on screen, for crisp pasting. */
  g_assert_cmpint (gdk_texture_get_width (texture), ==,
                   2 * gtk_widget_get_width (GTK_WIDGET (f->chart)));
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GError **error = user_data;
  gboolean ok = seg_chart_export_finish (SEG_CHART (source), result, error);

  g_assert_true (ok == (*error == NULL));
  if (ok)
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "ok");
}

/* Exports and returns NULL on success, the error otherwise. */
static GError *
export_and_wait (SegChart             *chart,
                 GFile                *file,
                 SegChartExportFormat  format)
{
  GError *error = NULL;

  seg_chart_export_async (chart, file, format, NULL, export_done_cb, &error);
  g_assert_true (wait_for (is_set, &error));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS) && g_str_equal (error->message, "ok"))
    g_clear_error (&error);
  return error;
}

static void
test_export_files (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("chart-export-XXXXXX", &error);
  g_autoptr(GFile) png = NULL;
  g_autoptr(GFile) svg = NULL;
  g_autoptr(GFile) csv = NULL;
  g_autoptr(GFile) missing = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *csv_text = NULL;
  g_autofree char *expected_csv = NULL;
  g_autofree char *svg_text = NULL;

  g_assert_no_error (error);
  png = g_file_new_build_filename (dir, "size.png", NULL);
  svg = g_file_new_build_filename (dir, "size.svg", NULL);
  csv = g_file_new_build_filename (dir, "size.csv", NULL);
  missing = g_file_new_build_filename (dir, "no-such-folder", "size.csv", NULL);

  g_assert_null (export_and_wait (f->chart, png, SEG_CHART_EXPORT_PNG));
  texture = gdk_texture_new_from_file (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==,
                   2 * gtk_widget_get_width (GTK_WIDGET (f->chart)));

  g_assert_null (export_and_wait (f->chart, svg, SEG_CHART_EXPORT_SVG));
  g_assert_true (g_file_get_contents (g_file_peek_path (svg), &svg_text, NULL, NULL));
  g_assert_nonnull (strstr (svg_text, "<svg"));

  g_assert_null (export_and_wait (f->chart, csv, SEG_CHART_EXPORT_CSV));
  g_assert_true (g_file_get_contents (g_file_peek_path (csv), &csv_text, NULL, NULL));
  expected_csv = seg_chart_dup_csv (f->chart);
  g_assert_cmpstr (csv_text, ==, expected_csv);

  /* A folder that does not exist is reported, not ignored. */
  error = export_and_wait (f->chart, missing, SEG_CHART_EXPORT_CSV);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  g_file_delete (png, NULL, NULL);
  g_file_delete (svg, NULL, NULL);
  g_file_delete (csv, NULL, NULL);
  g_rmdir (dir);
}

static double
corner_luminance (SegChart *chart)
{
  g_autoptr(GdkTexture) texture = seg_chart_render_texture (chart, 200, 100, 1.0);
  g_autofree guchar *pixels = g_malloc (200 * 100 * 4);
  const guchar *pixel = pixels + (99 * 200 + 199) * 4;

  gdk_texture_download (texture, pixels, 200 * 4);
  /* Downloads are B G R A in memory on little-endian machines. */
  return (0.0722 * pixel[0] + 0.7152 * pixel[1] + 0.2126 * pixel[2]) / 255.0;
}

/* The theme change reaches the chart through a CSS reload that GTK schedules on the
 * main loop; on a loaded machine that takes more than one idle pass, so iterate until
 * the chart has picked it up, for a bounded time. */
static double
corner_luminance_after_theme (SegChart *chart,
                              gboolean  want_dark)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  double luminance;

  do
    {
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      luminance = corner_luminance (chart);
      if (want_dark ? luminance < 0.3 : luminance > 0.7)
        break;
      g_usleep (10 * 1000);
    }
  while (g_get_monotonic_time () < deadline);

  return luminance;
}

static void
test_dark_theme (Fixture       *f,
                 gconstpointer  data)
{
  GtkSettings *settings = gtk_widget_get_settings (GTK_WIDGET (f->chart));

  g_object_set (settings, "gtk-application-prefer-dark-theme", FALSE, NULL);
  g_assert_cmpfloat (corner_luminance_after_theme (f->chart, FALSE), >, 0.7);

  g_object_set (settings, "gtk-application-prefer-dark-theme", TRUE, NULL);
  g_assert_cmpfloat (corner_luminance_after_theme (f->chart, TRUE), <, 0.3);

  g_object_set (settings, "gtk-application-prefer-dark-theme", FALSE, NULL);
}

static void
test_live_append (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  g_autoptr(SegChartSeries) series = seg_chart_series_new ("Events");
  GtkWidget *window = gtk_window_new ();
  SegChart *chart = SEG_CHART (seg_chart_new ());
  SegChartLayer *layer = seg_line_layer_new ();
  double start = may (tz, 1);

  for (int i = 0; i < 5000; i++)
    seg_chart_series_append (series, start + i * 60000.0, 100 + i % 50);

  /* A live chart fixes its window so that new points do not rescale it. */
  seg_chart_set_time_zone (chart, tz);
  seg_chart_set_x_range (chart, start, start + 10000 * 60000.0);
  seg_chart_layer_add_series (layer, series);
  seg_chart_add_layer (chart, layer);
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 320);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (chart));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_for (is_drawn, layer));
  g_assert_cmpuint (_seg_chart_layer_get_n_chunks (layer), ==, 1);

  /* A point inside the axes: drawn as one new chunk, the rest replayed. */
  seg_chart_series_append (series, start + 5000 * 60000.0, 120);
  while (_seg_chart_layer_get_n_chunks (layer) == 1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (_seg_chart_layer_get_n_chunks (layer), ==, 2);

  seg_chart_series_append (series, start + 5001 * 60000.0, 125);
  while (_seg_chart_layer_get_n_chunks (layer) == 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (_seg_chart_layer_get_n_chunks (layer), ==, 3);

  /* Streaming cost on the UI thread: appending checks whether the axes hold. */
  {
    gint64 t0 = g_get_monotonic_time ();

    for (int i = 0; i < 1000; i++)
      seg_chart_series_append (series, start + (5002 + i) * 60000.0, 100 + i % 50);
    g_test_message ("1000 appends to a shown 5,000-point chart: %.1f µs each",
                    (g_get_monotonic_time () - t0) / 1000.0);
    while (g_main_context_pending (NULL))
      g_main_context_iteration (NULL, FALSE);
  }

  /* A value above the axis rescales: everything is drawn again, once. */
  seg_chart_series_append (series, start + 6500 * 60000.0, 100000);
  while (_seg_chart_layer_get_n_chunks (layer) != 1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (_seg_chart_layer_get_n_chunks (layer), ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "C.UTF-8");

  gtk_test_init (&argc, &argv, NULL);

  g_test_add ("/Chart/widget/accessible", Fixture, NULL, fixture_setup, test_accessible,
              fixture_teardown);
  g_test_add ("/Chart/widget/csv", Fixture, NULL, fixture_setup, test_csv, fixture_teardown);
  g_test_add ("/Chart/widget/selection", Fixture, NULL, fixture_setup, test_selection,
              fixture_teardown);
  g_test_add ("/Chart/widget/copy-image", Fixture, NULL, fixture_setup, test_copy_image,
              fixture_teardown);
  g_test_add ("/Chart/widget/export-files", Fixture, NULL, fixture_setup, test_export_files,
              fixture_teardown);
  g_test_add ("/Chart/widget/dark-theme", Fixture, NULL, fixture_setup, test_dark_theme,
              fixture_teardown);
  g_test_add_func ("/Chart/widget/live-append", test_live_append);

  return g_test_run ();
}
