/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Today page in a real window: the app's ingest endpoint on 127.0.0.1 port 0 takes a
 * POST from a real libsoup client, the user shows up in the list, the events are counted
 * per minute, and the segment filter offers live segments only. */
#define G_LOG_DOMAIN "test-live"

#include "config.h"

#include "ui-test-util.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <stdio.h>

#include "live/seg-live-arrival.h"
#include "live/seg-today-page.h"
#include "seg-definition.h"
#include "seg-local-store.h"
#include "seg-segment.h"

static void
save_segment (SegStore   *store,
              const char *json,
              const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SegDefinition) def = seg_definition_new_from_json (json, -1, &error);
  g_autoptr(SegSegment) draft = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(SegSegment) saved = NULL;

  g_assert_no_error (error);
  draft = seg_segment_new (NULL, name, def);
  seg_store_save_segment_async (store, draft, NULL, ui_test_result_cb, &res);
  g_assert_true (ui_test_wait_until (ui_test_pointer_is_set, &res));
  saved = seg_store_save_segment_finish (store, res, &error);
  g_assert_no_error (error);
}

static gboolean
controller_loaded (gpointer data)
{
  SegLiveController *c = seg_today_page_get_controller (data);

  return c != NULL && seg_live_controller_is_loaded (c)
         && g_list_model_get_n_items (seg_today_page_get_filter_model (data)) == 2;
}

static gboolean
has_user (gpointer data)
{
  return g_list_model_get_n_items (seg_today_page_get_user_model (data)) > 0;
}

static gboolean
counted_per_minute (gpointer data)
{
  return seg_live_controller_get_events_last_minute (seg_today_page_get_controller (data)) >= 3;
}

static double day_target;

static gboolean
days_reach (gpointer data)
{
  SegChartSeries *series = seg_today_page_get_days_series (data);
  guint n;
  const SegChartPoint *points = seg_chart_series_get_points (series, &n);

  return n > 0 && points[n - 1].y >= day_target;
}

static void
post (SoupSession *session,
      guint        port,
      const char  *body)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/1/upload", port);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/json",
                                            g_bytes_new_take (g_strdup (body), strlen (body)));
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, ui_test_result_cb, &res);
  g_assert_true (ui_test_wait_until (ui_test_pointer_is_set, &res));
  reply = soup_session_send_and_read_finish (session, res, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
}

static void
test_ingest_to_today (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-live-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "live.segstore", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SegLocalStore) store = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(SegLiveArrival) arrival = NULL;
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;
  g_autofree char *stats = NULL;
  GListModel *names;
  GtkWidget *window;
  SegTodayPage *page;
  SegLiveEngine *engine;
  gint64 now_s = g_get_real_time () / G_USEC_PER_SEC;
  guint port;

  store = seg_local_store_new (path, "UTC", &error);
  g_assert_no_error (error);
  save_segment (SEG_STORE (store),
                "{\"version\":1,\"kind\":\"live\",\"trigger\":{\"type\":\"action\",\"event\":\"Charged\","
                "\"where\":[{\"property\":\"amount\",\"op\":\"gt\",\"value\":10}]}}", "Big buyers");
  save_segment (SEG_STORE (store), "{\"version\":1,\"match\":{\"did\":\"Charged\"}}", "Buyers");

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  page = SEG_TODAY_PAGE (seg_today_page_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  seg_today_page_set_store (page, SEG_STORE (store));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ui_test_wait_until (controller_loaded, page));

  /* The filter offers every live segment and never a past-behavior one. */
  names = seg_today_page_get_filter_model (page);
  g_assert_cmpuint (g_list_model_get_n_items (names), ==, 2);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), 0), ==, "All live segments");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), 1), ==, "Big buyers");

  g_assert_true (seg_today_page_set_ingest (page, TRUE, "127.0.0.1", 0));
  port = seg_live_controller_get_ingest_port (seg_today_page_get_controller (page));
  g_assert_cmpuint (port, >, 0);

  /* u1 spends 25 (qualifies), u2 spends 5 (does not), u1 views a page. */
  body = g_strdup_printf ("{\"d\":["
    "{\"type\":\"event\",\"identity\":\"u1\",\"ts\":%" G_GINT64_FORMAT ",\"evtName\":\"Charged\",\"evtData\":{\"amount\":25}},"
    "{\"type\":\"event\",\"identity\":\"u2\",\"ts\":%" G_GINT64_FORMAT ",\"evtName\":\"Charged\",\"evtData\":{\"amount\":5}},"
    "{\"type\":\"event\",\"identity\":\"u1\",\"ts\":%" G_GINT64_FORMAT ",\"evtName\":\"App Launched\",\"evtData\":{}}]}",
    now_s, now_s, now_s);
  url = g_strdup_printf ("http://127.0.0.1:%u/1/upload", port);
  msg = soup_message_new ("POST", url);
  soup_message_set_request_body_from_bytes (msg, "application/json",
                                            g_bytes_new_take (g_strdup (body), strlen (body)));
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, ui_test_result_cb, &res);
  g_assert_true (ui_test_wait_until (ui_test_pointer_is_set, &res));
  reply = soup_session_send_and_read_finish (session, res, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);

  /* The qualified user appears in the list; the other does not. */
  g_assert_true (ui_test_wait_until (has_user, page));
  g_assert_cmpuint (g_list_model_get_n_items (seg_today_page_get_user_model (page)), ==, 1);
  arrival = g_list_model_get_item (seg_today_page_get_user_model (page), 0);
  g_assert_cmpstr (seg_live_arrival_get_user_id (arrival), ==, "u1");
  engine = seg_live_controller_get_engine (seg_today_page_get_controller (page));
  g_assert_cmpuint (seg_live_engine_get_n_members (engine, seg_live_arrival_get_segment_id (arrival)), ==, 1);

  /* Three events reach the per-minute count within a rate tick or two. */
  g_assert_true (ui_test_wait_until (counted_per_minute, page));
  g_assert_cmpuint (seg_live_controller_get_events_last_minute (seg_today_page_get_controller (page)), ==, 3);
  stats = g_strdup (gtk_label_get_text (GTK_LABEL (seg_today_page_get_stats_label (page))));
  g_assert_nonnull (strstr (stats, "events in the last minute"));
  g_assert_nonnull (strstr (stats, "1 live segments running"));

  /* Filtering by the live segment keeps u1, and its chart of users per day reads 1 today
   * (from the memberships the store kept)... */
  seg_today_page_select_segment (page, seg_live_arrival_get_segment_id (arrival));
  g_assert_cmpuint (g_list_model_get_n_items (seg_today_page_get_user_model (page)), ==, 1);
  day_target = 1;
  g_assert_true (ui_test_wait_until (days_reach, page));
  {
    guint n;
    const SegChartPoint *points = seg_chart_series_get_points (seg_today_page_get_days_series (page), &n);

    g_assert_cmpfloat (points[n - 1].y, ==, 1);
  }

  /* ...and goes up to 2 when another user qualifies. */
  g_free (body);
  body = g_strdup_printf ("{\"d\":[{\"type\":\"event\",\"identity\":\"u3\",\"ts\":%" G_GINT64_FORMAT
                          ",\"evtName\":\"Charged\",\"evtData\":{\"amount\":99}}]}", now_s);
  post (session, port, body);
  day_target = 2;
  g_assert_true (ui_test_wait_until (days_reach, page));
  g_assert_cmpuint (g_list_model_get_n_items (seg_today_page_get_user_model (page)), ==, 2);
  g_clear_object (&arrival);
  arrival = g_list_model_get_item (seg_today_page_get_user_model (page), 0);
  g_assert_cmpstr (seg_live_arrival_get_user_id (arrival), ==, "u3");

  /* A followed file: u4 qualifies when a line is appended to it. */
  {
    g_autofree char *tail_path = g_build_filename (dir, "events.jsonl", NULL);
    g_autofree char *line = NULL;
    FILE *f;

    g_assert_true (g_file_set_contents (tail_path, "", 0, NULL));
    g_assert_true (seg_today_page_start_tail (page, tail_path));
    line = g_strdup_printf ("{\"type\":\"event\",\"identity\":\"u4\",\"ts\":%" G_GINT64_FORMAT
                            ",\"evtName\":\"Charged\",\"evtData\":{\"amount\":50}}\n", now_s);
    f = fopen (tail_path, "a");
    g_assert_nonnull (f);
    fputs (line, f);
    fclose (f);
    day_target = 3;
    g_assert_true (ui_test_wait_until (days_reach, page));
    g_clear_object (&arrival);
    arrival = g_list_model_get_item (seg_today_page_get_user_model (page), 0);
    g_assert_cmpstr (seg_live_arrival_get_user_id (arrival), ==, "u4");
    seg_live_controller_stop_tail (seg_today_page_get_controller (page));
    g_remove (tail_path);
  }

  seg_today_page_set_ingest (page, FALSE, NULL, 0);
  g_assert_cmpuint (seg_live_controller_get_ingest_port (seg_today_page_get_controller (page)), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&store);
  g_remove (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/Live/today/ingest", test_ingest_to_today);

  return g_test_run ();
}
