/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Frame times of the Today page while a replay streams 10,000 events per second through
 * the live engine: a tick callback keeps the frame clock running and records the interval
 * between frames for ten seconds. Prints median and p99 interval, events played and CPU. */
#define G_LOG_DOMAIN "bench-live-frames"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <sys/resource.h>

#include "live/seg-today-page.h"
#include "seg-definition.h"
#include "seg-local-store.h"
#include "seg-segment.h"

#define RATE 10000        /* events per second of wall time */
#define SPEED 100.0       /* replay speed: events are 10 ms apart in event time */
#define SECONDS 10

typedef struct
{
  GArray *intervals;      /* gint64 µs between frames */
  gint64  last;
  gint64  end;
  gboolean done;
} Frames;

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  Frames *f = data;
  gint64 now = gdk_frame_clock_get_frame_time (clock);

  if (f->last != 0)
    {
      gint64 d = now - f->last;
      g_array_append_val (f->intervals, d);
    }
  f->last = now;
  if (g_get_monotonic_time () >= f->end)
    {
      f->done = TRUE;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static int
cmp_i64 (gconstpointer a,
         gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

void seg_register_resource (void);

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = g_dir_make_tmp ("bench-live-frames-XXXXXX", NULL);
  g_autofree char *store_path = g_build_filename (dir, "bench.segstore", NULL);
  g_autofree char *events_path = g_build_filename (dir, "events.jsonl", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SegLocalStore) store = NULL;
  g_autoptr(SegDefinition) def = NULL;
  g_autoptr(SegSegment) draft = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(SegSegment) saved = NULL;
  g_autoptr(GString) lines = g_string_new (NULL);
  struct rusage ru0, ru1;
  gint64 t0, start_ms;
  Frames f = { 0 };
  GtkWidget *window;
  SegTodayPage *page;
  SegLiveController *controller;
  guint n = RATE * SECONDS + RATE; /* a second to spare, so the stream lasts the whole run */
  double cpu;

  gtk_init ();
  adw_init ();
  /* The application registers its templates at startup (the Today page's arrivals list is
   * a template); the benchmark uses the page alone. */
  seg_register_resource ();

  store = seg_local_store_new (store_path, "UTC", &error);
  g_assert_no_error (error);
  def = seg_definition_new_from_json ("{\"version\":1,\"kind\":\"live\",\"trigger\":{\"type\":\"action\","
                                      "\"event\":\"Charged\",\"where\":[{\"property\":\"amount\",\"op\":\"gt\","
                                      "\"value\":10}]}}", -1, &error);
  g_assert_no_error (error);
  draft = seg_segment_new (NULL, "Big buyers", def);
  seg_store_save_segment_async (SEG_STORE (store), draft, NULL, result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  saved = seg_store_save_segment_finish (SEG_STORE (store), res, &error);
  g_assert_no_error (error);

  /* 10 ms apart in event time, played at 100×: 10,000 events per second of wall time. */
  start_ms = g_get_real_time () / 1000 - (gint64) n * 10;
  for (guint i = 0; i < n; i++)
    g_string_append_printf (lines,
                            "{\"type\":\"event\",\"identity\":\"u%u\",\"ts\":%" G_GINT64_FORMAT
                            ",\"evtName\":\"%s\",\"evtData\":{\"amount\":%u}}\n",
                            i % 50000, start_ms + (gint64) i * 10,
                            i % 3 == 0 ? "Charged" : "App Launched", i % 40);
  g_assert_true (g_file_set_contents (events_path, lines->str, lines->len, &error));

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 850);
  page = SEG_TODAY_PAGE (seg_today_page_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  seg_today_page_set_store (page, SEG_STORE (store));
  gtk_window_present (GTK_WINDOW (window));
  controller = seg_today_page_get_controller (page);
  while (!seg_live_controller_is_loaded (controller))
    g_main_context_iteration (NULL, TRUE);

  seg_today_page_start_replay (page, events_path, SPEED);
  while (seg_live_controller_get_replay (controller) == NULL)
    g_main_context_iteration (NULL, TRUE);

  f.intervals = g_array_new (FALSE, FALSE, sizeof (gint64));
  getrusage (RUSAGE_SELF, &ru0);
  t0 = g_get_monotonic_time ();
  f.end = t0 + SECONDS * G_USEC_PER_SEC;
  gtk_widget_add_tick_callback (window, tick_cb, &f, NULL);
  while (!f.done)
    g_main_context_iteration (NULL, TRUE);
  getrusage (RUSAGE_SELF, &ru1);

  g_array_sort (f.intervals, cmp_i64);
  cpu = (ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec) + (ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec)
        + ((ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec) + (ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec)) / 1e6;
  {
    guint len = f.intervals->len;
    gint64 median = len ? g_array_index (f.intervals, gint64, len / 2) : 0;
    gint64 p99 = len ? g_array_index (f.intervals, gint64, MIN (len - 1, (guint) (len * 0.99))) : 0;
    gint64 worst = len ? g_array_index (f.intervals, gint64, len - 1) : 0;
    guint played = seg_live_replay_get_n_played (seg_live_controller_get_replay (controller));
    double wall = (g_get_monotonic_time () - t0) / 1e6;

    printf ("frames %u over %.1f s wall, %.1f s CPU (user+sys)\n", len + 1, wall, cpu);
    printf ("frame interval median %.1f ms, p99 %.1f ms, worst %.1f ms\n",
            median / 1000.0, p99 / 1000.0, worst / 1000.0);
    printf ("replay: %u events played (%.0f events/s), %u qualifications listed\n",
            played, played / wall,
            g_list_model_get_n_items (seg_today_page_get_user_model (page)));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_array_unref (f.intervals);
  g_clear_object (&store);
  g_remove (events_path);
  g_remove (store_path);
  g_rmdir (dir);
  return 0;
}
