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
#include "live/seg-live-report-section.h"
#include "live/seg-today-page.h"
#include "reports/seg-segment-report.h"
#include "seg-eval-result.h"
#include "seg-segments-view.h"
#include "seg-definition.h"
#include "seg-local-store.h"
#include "seg-segment.h"

/* Generated with the app's GResource (ui/meson.build, --manual-register). */
void seg_register_resource (void);

static SegSegment *
save_segment (SegStore   *store,
              const char *json,
              const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SegDefinition) def = seg_definition_new_from_json (json, -1, &error);
  g_autoptr(SegSegment) draft = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  SegSegment *saved;

  g_assert_no_error (error);
  draft = seg_segment_new (NULL, name, def);
  seg_store_save_segment_async (store, draft, NULL, ui_test_result_cb, &res);
  g_assert_true (ui_test_wait_until (ui_test_pointer_is_set, &res));
  saved = seg_store_save_segment_finish (store, res, &error);
  g_assert_no_error (error);
  return saved;
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

static struct
{
  SegTodayPage *page;
  guint         n;
} replay_target;

static gboolean
replay_played (gpointer data)
{
  SegLiveController *c = seg_today_page_get_controller (replay_target.page);
  SegLiveReplay *replay = seg_live_controller_get_replay (c);

  return replay != NULL && seg_live_replay_is_finished (replay)
         && g_list_model_get_n_items (seg_today_page_get_user_model (replay_target.page)) >= replay_target.n;
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
  g_object_unref (save_segment (SEG_STORE (store),
                "{\"version\":1,\"kind\":\"live\",\"trigger\":{\"type\":\"action\",\"event\":\"Charged\","
                "\"where\":[{\"property\":\"amount\",\"op\":\"gt\",\"value\":10}]}}", "Big buyers"));
  g_object_unref (save_segment (SEG_STORE (store), "{\"version\":1,\"match\":{\"did\":\"Charged\"}}", "Buyers"));

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
  /* u1 and u2 sent events just now. */
  g_assert_nonnull (strstr (stats, "2 active users in the last 5 minutes"));

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

  /* Replaying today's stored events (the ingested ones, not the followed file's) plays
   * u1's big purchase again, in a replay engine of its own, into the same list. */
  {
    guint before = g_list_model_get_n_items (seg_today_page_get_user_model (page));
    gint64 now_ms = g_get_real_time () / 1000;
    SegLiveReplay *replay;

    replay_target.page = page;
    replay_target.n = before + 1;
    seg_today_page_start_store_replay (page, now_ms - 3600 * 1000, now_ms + 1, 1000);
    g_assert_true (ui_test_wait_until (replay_played, &replay_target));
    replay = seg_live_controller_get_replay (seg_today_page_get_controller (page));
    g_assert_true (seg_live_replay_is_from_store (replay));
    g_clear_object (&arrival);
    arrival = g_list_model_get_item (seg_today_page_get_user_model (page), 0);
    g_assert_cmpstr (seg_live_arrival_get_user_id (arrival), !=, "u4");
  }

  seg_today_page_set_ingest (page, FALSE, NULL, 0);
  g_assert_cmpuint (seg_live_controller_get_ingest_port (seg_today_page_get_controller (page)), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&store);
  g_remove (path);
  g_rmdir (dir);
}


/* A live segment's report, opened as the window opens it, fed by the app's live controller
 * through its ingest endpoint (a real HTTP client): the users trickle in newest first, the
 * rate chart gains a point a second, a row opens the user's profile, and the reach per
 * channel is the store's answer for the stored members. */

typedef struct
{
  SegSegmentReport *report;
  gint64            reach[SEG_N_CHANNELS];
} ReachWait;

static gboolean
report_reach_is (gpointer data)
{
  ReachWait *w = data;

  if (seg_segment_report_get_busy (w->report))
    return FALSE;
  for (SegChannel ch = 0; ch < SEG_N_CHANNELS; ch++)
    if (seg_segment_report_get_reach (w->report, ch) != w->reach[ch])
      return FALSE;
  return TRUE;
}

static gboolean
section_has_three (gpointer data)
{
  return g_list_model_get_n_items (seg_live_report_section_get_arrivals (data)) >= 3;
}

static gboolean
rate_has_qualified_point (gpointer data)
{
  guint n;
  const SegChartPoint *points = seg_chart_series_get_points (seg_live_report_section_get_rate_series (data), &n);
  guint events = seg_chart_series_get_n_points (seg_live_report_section_get_events_series (data));

  for (guint i = 0; i < n; i++)
    if (points[i].y >= 3 && n >= 2 && events >= 2)
      return TRUE;
  return FALSE;
}

static gboolean
section_receiving (gpointer data)
{
  return seg_live_report_section_is_receiving (data);
}

static gboolean
controller_is_loaded (gpointer data)
{
  return seg_live_controller_is_loaded (data);
}

static gboolean
shows_user_page (gpointer data)
{
  return g_strcmp0 (seg_segments_view_get_visible_page (data), "user") == 0;
}

static void
test_live_report (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-live-report-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "live.segstore", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SegLocalStore) store = NULL;
  g_autoptr(SegSegment) live = NULL;
  g_autoptr(SegLiveController) controller = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(SegEvalResult) core = NULL;
  g_autofree char *body = NULL;
  SegEvalOptions opts = { .flags = SEG_EVAL_REACH };
  ReachWait wait = { 0 };
  GtkWidget *window, *view, *report, *section, *list;
  gint64 now_s = g_get_real_time () / G_USEC_PER_SEC;

  store = seg_local_store_new (path, "UTC", &error);
  g_assert_no_error (error);
  live = save_segment (SEG_STORE (store),
                       "{\"version\":1,\"kind\":\"live\",\"trigger\":{\"type\":\"action\",\"event\":\"Charged\"}}",
                       "Buyers now");

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 900);
  view = seg_segments_view_new ();
  gtk_window_set_child (GTK_WINDOW (window), view);
  seg_segments_view_set_store (SEG_SEGMENTS_VIEW (view), SEG_STORE (store));
  gtk_window_present (GTK_WINDOW (window));

  /* Without a live controller the report says so, rather than showing a still chart. */
  seg_segments_view_open_report (SEG_SEGMENTS_VIEW (view), live);
  report = seg_segments_view_get_report (SEG_SEGMENTS_VIEW (view));
  section = seg_segment_report_get_live_section (SEG_SEGMENT_REPORT (report));
  g_assert_nonnull (section);
  g_assert_nonnull (strstr (seg_live_report_section_get_status (SEG_LIVE_REPORT_SECTION (section)),
                            "not running"));

  /* With the window's controller and no stream, it says no events arrive. */
  controller = seg_live_controller_new (SEG_STORE (store));
  g_assert_true (ui_test_wait_until (controller_is_loaded, controller));
  seg_segments_view_set_live_controller (SEG_SEGMENTS_VIEW (view), controller);
  g_assert_nonnull (strstr (seg_live_report_section_get_status (SEG_LIVE_REPORT_SECTION (section)),
                            "no events are arriving"));
  g_assert_true (seg_live_controller_start_ingest (controller, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (ui_test_wait_until (section_receiving, section));

  /* u1 can be emailed, u2 texted, u3 is known only by its event; they buy in that order. */
  body = g_strdup_printf ("{\"d\":["
    "{\"type\":\"profile\",\"identity\":\"u1\",\"ts\":%" G_GINT64_FORMAT ",\"profileData\":{\"email\":\"u1@example.com\",\"email_optin\":true}},"
    "{\"type\":\"profile\",\"identity\":\"u2\",\"ts\":%" G_GINT64_FORMAT ",\"profileData\":{\"phone\":\"+3312345678\",\"sms_optin\":true}},"
    "{\"type\":\"event\",\"identity\":\"u1\",\"ts\":%" G_GINT64_FORMAT ",\"evtName\":\"Charged\",\"evtData\":{\"amount\":25}},"
    "{\"type\":\"event\",\"identity\":\"u2\",\"ts\":%" G_GINT64_FORMAT ",\"evtName\":\"Charged\",\"evtData\":{\"amount\":5}},"
    "{\"type\":\"event\",\"identity\":\"u3\",\"ts\":%" G_GINT64_FORMAT ",\"evtName\":\"Charged\",\"evtData\":{\"amount\":7}}]}",
    now_s - 10, now_s - 10, now_s - 3, now_s - 2, now_s - 1);
  post (session, seg_live_controller_get_ingest_port (controller), body);

  /* They trickle in, newest first. */
  g_assert_true (ui_test_wait_until (section_has_three, section));
  {
    GListModel *arrivals = seg_live_report_section_get_arrivals (SEG_LIVE_REPORT_SECTION (section));
    const char *expect[] = { "u3", "u2", "u1" };

    g_assert_cmpuint (g_list_model_get_n_items (arrivals), ==, 3);
    for (guint i = 0; i < 3; i++)
      {
        g_autoptr(SegLiveArrival) a = g_list_model_get_item (arrivals, i);

        g_assert_cmpstr (seg_live_arrival_get_user_id (a), ==, expect[i]);
        g_assert_cmpstr (seg_live_arrival_get_segment_id (a), ==, seg_segment_get_id (live));
      }
  }

  /* The rate chart gains a point a second; one of them counts the three qualifications. */
  g_assert_true (ui_test_wait_until (rate_has_qualified_point, section));

  /* The reach per channel is the store's own answer for the stored members, once the
   * report counted them again (members-changed). */
  g_assert_true (seg_live_engine_flush (seg_live_controller_get_engine (controller), &error));
  g_assert_no_error (error);
  seg_store_evaluate_async (SEG_STORE (store), seg_segment_get_definition (live), &opts, NULL,
                            ui_test_result_cb, &res);
  g_assert_true (ui_test_wait_until (ui_test_pointer_is_set, &res));
  core = seg_store_evaluate_finish (SEG_STORE (store), res, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seg_eval_result_get_count (core), ==, 3);
  g_assert_cmpuint (seg_eval_result_get_reach (core, SEG_CHANNEL_EMAIL), ==, 1);
  g_assert_cmpuint (seg_eval_result_get_reach (core, SEG_CHANNEL_SMS), ==, 1);
  wait.report = SEG_SEGMENT_REPORT (report);
  for (SegChannel ch = 0; ch < SEG_N_CHANNELS; ch++)
    wait.reach[ch] = (gint64) seg_eval_result_get_reach (core, ch);
  g_assert_true (ui_test_wait_until (report_reach_is, &wait));

  /* Activating the newest row opens u3's profile. */
  list = ui_test_find_descendant (section, GTK_TYPE_LIST_VIEW, NULL, NULL);
  g_assert_nonnull (list);
  g_signal_emit_by_name (list, "activate", 0);
  g_assert_true (ui_test_wait_until (shows_user_page, view));

  seg_live_controller_stop_ingest (controller);
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_settle ();
  g_object_run_dispose (G_OBJECT (controller));
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
  /* The application registers its templates at startup; these tests use its pages alone. */
  seg_register_resource ();

  g_test_add_func ("/Live/today/ingest", test_ingest_to_today);
  g_test_add_func ("/Live/report/live-segment", test_live_report);

  return g_test_run ();
}
