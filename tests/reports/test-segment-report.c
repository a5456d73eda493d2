/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The report page and the profile view on a real store: the numbers they show are the
 * engine's answers (size, per-day counts in the chart and the table, reachability, the
 * sample of a day, joined and left), and a user opens with properties, segments and a
 * timeline. Runs under Xvfb. */

#include "config.h"

#include <adwaita.h>
#include <stdlib.h>

#include "../core/store-fixture.h"
#include "report/seg-member-diff.h"
#include "report/seg-report-days.h"
#include "seg-chart.h"
#include "seg-report-day.h"
#include "seg-report-format.h"
#include "seg-segment-report.h"
#include "seg-timeline-item.h"
#include "seg-user-profile-view.h"
#include "seg-user-profile.h"

#define NOW "2024-06-15T12:00:00Z"
#define ACTIVE "{\"version\":1,\"kind\":\"past-behavior\",\"match\":{\"did\":\"App Launched\"," \
               "\"when\":{\"type\":\"last\",\"n\":3,\"unit\":\"days\"}}}"

typedef struct
{
  char          *dir;
  SegLocalStore *store;
  SegSegment    *segment;
  GtkWidget     *window;
  GtkWidget     *report;
} Fixture;

static void
wait_until_idle (GObject *object)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  guint quiet = 0;

  /* Idle twice in a row, so that a part that starts when another ends is waited for. */
  while (quiet < 2)
    {
      gboolean busy;

      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_object_get (object, "busy", &busy, NULL);
      quiet = busy ? 0 : quiet + 1;
      if (busy)
        g_usleep (2000);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(SegStoreWriter) w = NULL;
  g_autoptr(SegDefinition) def = NULL;
  g_autoptr(SegSegment) draft = NULL;
  g_autoptr(GAsyncResult) res = NULL;

  f->dir = fx_tmpdir ();
  path = g_build_filename (f->dir, "store.db", NULL);
  f->store = fx_open (path, "Europe/Berlin");
  seg_local_store_set_now (f->store, fx_ms (NOW));

  /* Twelve users who open the app on a rhythm of their own from June 1st, so the
   * segment's members change every day; profiles reach some of them on each channel. */
  w = seg_store_begin_write (SEG_STORE (f->store), &error);
  g_assert_no_error (error);
  for (int u = 0; u < 12; u++)
    {
      g_autofree char *id = g_strdup_printf ("user%02d", u);
      g_autofree char *email = g_strdup_printf ("email=s:user%02d@example.org", u);

      for (int d = 1; d <= 15; d++)
        if ((d + u) % (2 + u % 4) == 0)
          {
            g_autofree char *iso = g_strdup_printf ("2024-06-%02dT%02d:30:00Z", d, 8 + u % 3);
            fx_event (w, id, "App Launched", iso, "platform=s:iOS", NULL);
          }
      fx_profile (w, id, "2024-01-01T00:00:00Z",
                  u % 2 == 0 ? email : "name=s:No Mail",
                  u % 3 == 0 ? "push_token=s:tok" : "city=s:Berlin",
                  u % 4 == 0 ? "phone=s:+4930123" : "plan=s:Free",
                  u % 5 == 0 ? "whatsapp_optin=b:true" : "age=n:30",
                  NULL);
    }
  fx_commit (w);

  def = seg_definition_new_from_json (ACTIVE, -1, &error);
  g_assert_no_error (error);
  draft = seg_segment_new (NULL, "Active in the last 3 days", def);
  seg_segment_set_description (draft, "Opened the app recently");
  seg_store_save_segment_async (SEG_STORE (f->store), draft, NULL, fx_result_cb, &res);
  f->segment = seg_store_save_segment_finish (SEG_STORE (f->store), fx_wait (&res), &error);
  g_assert_no_error (error);

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 1400);
  f->report = seg_segment_report_new (SEG_STORE (f->store), f->segment);
  gtk_window_set_child (GTK_WINDOW (f->window), f->report);
  gtk_window_present (GTK_WINDOW (f->window));
  wait_until_idle (G_OBJECT (f->report));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->segment);
  fx_release (&f->store);
  fx_rmdir (f->dir);
  g_free (f->dir);
}

static GtkWidget *
child (Fixture    *f,
       const char *name)
{
  GObject *o = gtk_widget_get_template_child (f->report, SEG_TYPE_SEGMENT_REPORT, name);

  g_assert_nonnull (o);
  return GTK_WIDGET (o);
}

static const char *
label_of (Fixture    *f,
          const char *name)
{
  return gtk_label_get_label (GTK_LABEL (child (f, name)));
}

static SegEvalResult *
engine_eval (Fixture      *f,
             gint64        now_ms,
             SegEvalFlags  flags,
             guint         sample_size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  SegEvalOptions opts = { 0 };
  SegEvalResult *r;

  opts.now_ms = now_ms;
  opts.flags = flags;
  opts.sample_size = sample_size;
  seg_store_evaluate_async (SEG_STORE (f->store), seg_segment_get_definition (f->segment),
                            &opts, NULL, fx_result_cb, &res);
  r = seg_store_evaluate_finish (SEG_STORE (f->store), fx_wait (&res), &error);
  g_assert_no_error (error);
  return r;
}

static SegTrend *
engine_trend (Fixture *f,
              gint64   first,
              gint64   last)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  SegTrend *t;

  seg_store_trend_async (SEG_STORE (f->store), seg_segment_get_definition (f->segment),
                         first, last, NULL, fx_result_cb, &res);
  t = seg_store_trend_finish (SEG_STORE (f->store), fx_wait (&res), &error);
  g_assert_no_error (error);
  return t;
}

static void
test_header_and_size (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(SegEvalResult) r = engine_eval (f, 0, SEG_EVAL_COUNT, 0);
  g_autofree char *size = seg_report_format_count (seg_eval_result_get_count (r));
  g_autoptr(GtkTextBuffer) buffer = NULL;
  g_autofree char *json = NULL;
  GtkTextIter a, b;

  g_assert_cmpstr (label_of (f, "name_label"), ==, "Active in the last 3 days");
  g_assert_cmpstr (label_of (f, "description_label"), ==, "Opened the app recently");
  g_assert_cmpstr (label_of (f, "kind_label"), ==, "Past behavior");
  g_assert_cmpuint (seg_eval_result_get_count (r), >, 0);
  g_assert_cmpstr (label_of (f, "size_label"), ==, size);
  g_assert_true (strstr (label_of (f, "evaluated_label"), "15 Jun 2024, 14:00") != NULL);
  g_assert_true (strstr (label_of (f, "summary_label"), "App Launched") != NULL);

  buffer = g_object_ref (gtk_text_view_get_buffer (GTK_TEXT_VIEW (child (f, "json_view"))));
  gtk_text_buffer_get_bounds (buffer, &a, &b);
  json = gtk_text_buffer_get_text (buffer, &a, &b, FALSE);
  g_assert_true (strstr (json, "\"App Launched\"") != NULL);
  g_assert_true (strchr (json, '\n') != NULL);

  /* Both forms of the definition are one action away from the clipboard. */
  {
    GdkClipboard *clipboard = gtk_widget_get_clipboard (f->report);
    g_autoptr(GAsyncResult) res = NULL;
    g_autoptr(GAsyncResult) res2 = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *copied = NULL;
    g_autofree char *summary = NULL;

    g_assert_true (gtk_widget_activate_action (f->report, "report.copy-json", NULL));
    gdk_clipboard_read_text_async (clipboard, NULL, fx_result_cb, &res);
    copied = gdk_clipboard_read_text_finish (clipboard, fx_wait (&res), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (copied, ==, json);
    g_assert_true (gtk_widget_activate_action (f->report, "report.copy-summary", NULL));
    gdk_clipboard_read_text_async (clipboard, NULL, fx_result_cb, &res2);
    summary = gdk_clipboard_read_text_finish (clipboard, fx_wait (&res2), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (summary, ==, label_of (f, "summary_label"));
  }
}

/* The days shown, in the table's model and in the chart's data, are the engine's. */
static void
assert_days (Fixture *f,
             gint64   first,
             gint64   last)
{
  GTimeZone *tz = seg_store_get_timezone (SEG_STORE (f->store));
  g_autoptr(SegTrend) t = engine_trend (f, first, last);
  GListModel *days = seg_segment_report_get_days (SEG_SEGMENT_REPORT (f->report));
  GtkWidget *chart = gtk_widget_get_first_child (child (f, "trend_chart_box"));
  g_autofree char *csv = seg_chart_dup_csv (SEG_CHART (chart));
  g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
  guint n = seg_trend_get_n_days (t);

  g_assert_cmpuint (n, ==, seg_report_days_between (tz, first, last));
  g_assert_cmpuint (g_list_model_get_n_items (days), ==, n);
  g_assert_cmpuint (g_strv_length (lines), >=, n + 1);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SegReportDay) day = g_list_model_get_item (days, i);
      g_autoptr(SegEvalResult) at_end = NULL;
      g_autofree char *label = seg_report_format_day (tz, seg_trend_get_day (t, i));
      g_autofree char *count_text = NULL;
      g_autofree char *expected_text = seg_report_format_count (seg_trend_get_count (t, i));
      g_autofree char *suffix = g_strdup_printf (",%" G_GUINT64_FORMAT, seg_trend_get_count (t, i));

      g_assert_cmpint (seg_report_day_get_day (day), ==, seg_trend_get_day (t, i));
      g_assert_cmpuint (seg_report_day_get_count (day), ==, seg_trend_get_count (t, i));
      g_object_get (day, "count-text", &count_text, NULL);
      g_assert_cmpstr (count_text, ==, expected_text);
      g_assert_cmpstr (seg_report_day_get_label (day), ==, label);
      /* The chart's data, row i + 1 after its header, ends with the same count. */
      g_assert_true (g_str_has_suffix (g_strchomp (lines[i + 1]), suffix));
      /* Each day is the members at its end: ask the engine directly too. */
      at_end = engine_eval (f, seg_report_day_end (tz, seg_trend_get_day (t, i), fx_ms (NOW)),
                            SEG_EVAL_COUNT, 0);
      g_assert_cmpuint (seg_eval_result_get_count (at_end), ==, seg_trend_get_count (t, i));
      if (i > 0)
        g_assert_cmpint (seg_report_day_get_change (day), ==,
                         (gint64) seg_trend_get_count (t, i) - (gint64) seg_trend_get_count (t, i - 1));
    }
}

static void
test_trend (Fixture       *f,
            gconstpointer  data)
{
  GTimeZone *tz = seg_store_get_timezone (SEG_STORE (f->store));
  gint64 today = seg_report_day_start (tz, fx_ms (NOW));
  /* The first event is June 1st, 10:30 in Berlin: the first complete day is the 2nd. */
  gint64 first_complete = fx_ms ("2024-06-01T22:00:00Z");

  /* 30 days would start before the data: the trend starts at its first complete day. */
  assert_days (f, first_complete, today);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (f, "trend_stack"))), ==, "chart");

  seg_segment_report_set_range (SEG_SEGMENT_REPORT (f->report), SEG_REPORT_RANGE_7_DAYS);
  g_assert_true (seg_segment_report_get_busy (SEG_SEGMENT_REPORT (f->report)));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (f, "trend_stack"))), ==, "loading");
  wait_until_idle (G_OBJECT (f->report));
  assert_days (f, seg_report_day_add (tz, today, -6), today);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (child (f, "range_dropdown"))), ==, 0);

  seg_segment_report_set_custom_range (SEG_SEGMENT_REPORT (f->report), fx_ms ("2024-06-05T12:00:00Z"),
                                       fx_ms ("2024-06-09T12:00:00Z"));
  wait_until_idle (G_OBJECT (f->report));
  assert_days (f, seg_report_day_start (tz, fx_ms ("2024-06-05T12:00:00Z")),
               seg_report_day_start (tz, fx_ms ("2024-06-09T12:00:00Z")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (f, "from_entry"))), ==, "2024-06-05");

  /* The segment was saved after the store's "now": since creation is today alone. */
  seg_segment_report_set_range (SEG_SEGMENT_REPORT (f->report), SEG_REPORT_RANGE_SINCE_CREATED);
  wait_until_idle (G_OBJECT (f->report));
  assert_days (f, today, today);

  seg_segment_report_set_range (SEG_SEGMENT_REPORT (f->report), SEG_REPORT_RANGE_ALL);
  wait_until_idle (G_OBJECT (f->report));
  assert_days (f, first_complete, today);
}

static void
test_reach (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(SegEvalResult) r = engine_eval (f, 0, SEG_EVAL_REACH, 0);
  GtkWidget *list = child (f, "reach_list");
  GtkWidget *chart = gtk_widget_get_first_child (child (f, "reach_chart_box"));
  g_autofree char *csv = seg_chart_dup_csv (SEG_CHART (chart));
  guint64 count = seg_eval_result_get_count (r);
  gboolean some = FALSE;

  for (SegChannel ch = 0; ch < SEG_N_CHANNELS; ch++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), ch);
      guint64 n = seg_eval_result_get_reach (r, ch);
      g_autofree char *num = seg_report_format_count (n);
      g_autofree char *pct = seg_report_format_percent (n, count);
      g_autofree char *expected = g_strdup_printf ("%s · %s", num, pct);
      g_autofree char *in_csv = g_strdup_printf ("%s,%" G_GUINT64_FORMAT, seg_report_channel_label (ch), n);
      GtkWidget *label = NULL;

      g_assert_nonnull (row);
      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                       seg_report_channel_label (ch));
      /* The suffix label is the only GtkLabel the row's suffix box holds. */
      for (GtkWidget *w = GTK_WIDGET (row); w != NULL && label == NULL; )
        {
          GtkWidget *next = gtk_widget_get_first_child (w);
          if (next == NULL)
            {
              while (w != GTK_WIDGET (row) && gtk_widget_get_next_sibling (w) == NULL)
                w = gtk_widget_get_parent (w);
              if (w == GTK_WIDGET (row))
                break;
              next = gtk_widget_get_next_sibling (w);
            }
          w = next;
          if (GTK_IS_LABEL (w) && gtk_widget_has_css_class (w, "numeric"))
            label = w;
        }
      g_assert_nonnull (label);
      g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, expected);
      g_assert_true (strstr (csv, in_csv) != NULL);
      some |= n > 0 && n < count;
    }
  /* The fixture reaches some but not all members on some channel. */
  g_assert_true (some);
}

static void
test_day (Fixture       *f,
          gconstpointer  data)
{
  SegSegmentReport *report = SEG_SEGMENT_REPORT (f->report);
  GTimeZone *tz = seg_store_get_timezone (SEG_STORE (f->store));
  gint64 day = seg_report_day_start (tz, fx_ms ("2024-06-10T12:00:00Z"));
  g_autoptr(SegEvalResult) r = NULL;
  g_autoptr(SegMemberDiff) diff = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *sample;
  g_autofree char *joined = NULL;
  g_autofree char *left = NULL;
  g_autofree char *jn = NULL;
  g_autofree char *ln = NULL;

  /* The last day is selected first. */
  g_assert_cmpint (seg_segment_report_get_selected_day (report), ==, seg_report_day_start (tz, fx_ms (NOW)));
  g_assert_cmpstr (label_of (f, "day_title_label"), ==, "Users Today");

  seg_segment_report_select_day (report, day);
  wait_until_idle (G_OBJECT (f->report));
  g_assert_cmpint (seg_chart_get_selected (SEG_CHART (gtk_widget_get_first_child (child (f, "trend_chart_box")))),
                   ==, (int) gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (gtk_widget_get_template_child (f->report, SEG_TYPE_SEGMENT_REPORT, "trend_selection"))));
  g_assert_true (strstr (label_of (f, "day_title_label"), "10 Jun 2024") != NULL);

  r = engine_eval (f, seg_report_day_end (tz, day, fx_ms (NOW)), SEG_EVAL_SAMPLE, 100);
  sample = seg_segment_report_get_sample (report);
  g_assert_cmpuint (g_list_model_get_n_items (sample), ==, g_strv_length ((char **) seg_eval_result_get_sample (r)));
  g_assert_cmpuint (g_list_model_get_n_items (sample), >, 0);
  for (guint i = 0; i < g_list_model_get_n_items (sample); i++)
    {
      g_autoptr(GtkStringObject) s = g_list_model_get_item (sample, i);
      g_assert_cmpstr (gtk_string_object_get_string (s), ==, seg_eval_result_get_sample (r)[i]);
    }

  seg_member_diff_compute_async (SEG_STORE (f->store), seg_segment_get_definition (f->segment), day,
                                 fx_ms (NOW), 10, NULL, fx_result_cb, &res);
  diff = seg_member_diff_compute_finish (fx_wait (&res), &error);
  g_assert_no_error (error);
  jn = seg_report_format_count (seg_member_diff_get_n_joined (diff));
  ln = seg_report_format_count (seg_member_diff_get_n_left (diff));
  joined = g_strdup_printf ("Joined (%s)", jn);
  left = g_strdup_printf ("Left (%s)", ln);
  g_assert_cmpstr (label_of (f, "joined_heading"), ==, joined);
  g_assert_cmpstr (label_of (f, "left_heading"), ==, left);
  g_assert_cmpuint (seg_member_diff_get_n_joined (diff) + seg_member_diff_get_n_left (diff), >, 0);
}

static void
open_user_cb (SegSegmentReport *report,
              const char       *id,
              char            **out)
{
  g_free (*out);
  *out = g_strdup (id);
}

static void
test_open_user (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *opened = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = seg_user_profile_view_new (SEG_STORE (f->store));
  SegUserProfile *profile;
  GListModel *timeline;
  guint headers = 0, events = 0;
  g_autoptr(SegTimelineItem) first = NULL;
  GtkWidget *segments;
  gboolean found = FALSE;

  g_signal_connect (f->report, "open-user", G_CALLBACK (open_user_cb), &opened);
  g_assert_true (gtk_widget_activate_action (f->report, "report.open-user", "s", "user04"));
  g_assert_cmpstr (opened, ==, "user04");

  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  seg_user_profile_view_show_user (SEG_USER_PROFILE_VIEW (view), opened);
  wait_until_idle (G_OBJECT (view));
  profile = seg_user_profile_view_get_profile (SEG_USER_PROFILE_VIEW (view));
  g_assert_nonnull (profile);
  g_assert_cmpstr (seg_user_profile_get_id (profile), ==, "user04");

  /* The timeline: a heading per day, events newest first. */
  timeline = seg_user_profile_view_get_timeline (SEG_USER_PROFILE_VIEW (view));
  first = g_list_model_get_item (timeline, 0);
  g_assert_true (seg_timeline_item_is_header (first));
  for (guint i = 0; i < g_list_model_get_n_items (timeline); i++)
    {
      g_autoptr(SegTimelineItem) item = g_list_model_get_item (timeline, i);
      if (seg_timeline_item_is_header (item))
        headers++;
      else
        {
          events++;
          g_assert_cmpstr (seg_timeline_item_get_title (item), ==, "App Launched");
          g_assert_cmpstr (seg_timeline_item_get_details (item), ==, "platform: iOS");
        }
    }
  g_assert_cmpuint (events, ==, json_array_get_length (seg_user_profile_get_timeline (profile)));
  g_assert_cmpuint (headers, >, 1);

  /* The segments list names the saved segment when the user is in it. */
  segments = GTK_WIDGET (gtk_widget_get_template_child (view, SEG_TYPE_USER_PROFILE_VIEW, "segments_list"));
  for (GtkWidget *row = gtk_widget_get_first_child (segments); row; row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), "Active in the last 3 days") == 0)
      found = TRUE;
  g_assert_true (found == g_strv_contains (seg_user_profile_get_segments (profile),
                                           seg_segment_get_id (f->segment)));

  /* Search by email finds the same user; an unknown one says so. */
  seg_user_profile_view_search (SEG_USER_PROFILE_VIEW (view), "user04@example.org");
  wait_until_idle (G_OBJECT (view));
  g_assert_cmpstr (seg_user_profile_get_id (seg_user_profile_view_get_profile (SEG_USER_PROFILE_VIEW (view))), ==, "user04");
  seg_user_profile_view_search (SEG_USER_PROFILE_VIEW (view), "nobody@example.org");
  wait_until_idle (G_OBJECT (view));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (gtk_widget_get_template_child (view, SEG_TYPE_USER_PROFILE_VIEW, "stack"))),
                   ==, "error");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_refresh_after_import (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SegStoreWriter) w = seg_store_begin_write (SEG_STORE (f->store), &error);
  g_autoptr(SegEvalResult) r = NULL;
  g_autofree char *size = NULL;

  /* New data: the report evaluates again by itself. */
  g_assert_no_error (error);
  fx_event (w, "newcomer", "App Launched", "2024-06-15T09:00:00Z", NULL);
  fx_commit (w);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  wait_until_idle (G_OBJECT (f->report));
  r = engine_eval (f, 0, SEG_EVAL_COUNT, 0);
  size = seg_report_format_count (seg_eval_result_get_count (r));
  g_assert_cmpstr (label_of (f, "size_label"), ==, size);
}

static GtkWindow *
find_toplevel (GType type)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      GListModel *tops = gtk_window_get_toplevels ();

      for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
        {
          g_autoptr(GtkWindow) w = g_list_model_get_item (tops, i);

          /* GTK keeps its toplevels alive: the pointer stays good after this ref goes. */
          if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_visible (GTK_WIDGET (w)))
            return w;
        }
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_not_reached ();
  return NULL;
}

static char *
expected_members (Fixture    *f,
                  const char *prefix)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(SegEvalResult) r = NULL;
  SegEvalOptions opts = { 0 };
  GString *s = g_string_new (NULL);

  opts.flags = SEG_EVAL_MEMBERS;
  opts.members_limit = 1000;
  seg_store_evaluate_async (SEG_STORE (f->store), seg_segment_get_definition (f->segment),
                            &opts, NULL, fx_result_cb, &res);
  r = seg_store_evaluate_finish (SEG_STORE (f->store), fx_wait (&res), &error);
  g_assert_no_error (error);
  for (const char * const *m = seg_eval_result_get_members (r); *m != NULL; m++)
    g_string_append_printf (s, "%s%s\r\n", prefix, *m);
  return g_string_free (s, FALSE);
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *list_path = g_build_filename (f->dir, "engage.csv", NULL);
  g_autofree char *users_path = g_build_filename (f->dir, "users.csv", NULL);
  g_autoptr(GFile) list_file = g_file_new_for_path (list_path);
  g_autoptr(GFile) users_file = g_file_new_for_path (users_path);
  g_autofree char *list = NULL;
  g_autofree char *users = NULL;
  g_autofree char *body = expected_members (f, "Identity,");
  g_autofree char *expected = g_strconcat ("Type,Identity\r\n", body, NULL);
  g_auto(GStrv) lines = NULL;
  AdwMessageDialog *fields;
  GtkWidget *box;
  gboolean has_email = FALSE;
  guint members = 0;

  /* The fields dialog lists the user properties, then asks where to save. */
  g_assert_true (gtk_widget_activate_action (f->report, "report.export-members", NULL));
  fields = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  box = adw_message_dialog_get_extra_child (fields);
  box = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (box));
  if (GTK_IS_VIEWPORT (box))
    box = gtk_viewport_get_child (GTK_VIEWPORT (box));
  for (GtkWidget *c = gtk_widget_get_first_child (box); c != NULL; c = gtk_widget_get_next_sibling (c))
    has_email |= g_strcmp0 (g_object_get_data (G_OBJECT (c), "field"), "email") == 0;
  g_assert_true (has_email);
  adw_message_dialog_response (fields, "cancel");
  wait_until_idle (G_OBJECT (f->report));

  /* Engage: a Custom List of the members, with the progress row while it runs. */
  seg_segment_report_export (SEG_SEGMENT_REPORT (f->report), SEG_MEMBER_EXPORT_CUSTOM_LIST, NULL, list_file);
  g_assert_true (gtk_widget_get_visible (child (f, "export_row")));
  wait_until_idle (G_OBJECT (f->report));
  g_assert_true (g_file_get_contents (list_path, &list, NULL, NULL));
  g_assert_cmpstr (list, ==, expected);
  g_assert_false (gtk_widget_get_visible (child (f, "export_row")));

  /* Users with their email. */
  seg_segment_report_export (SEG_SEGMENT_REPORT (f->report), SEG_MEMBER_EXPORT_CSV,
                             (const char *[]) { "email", NULL }, users_file);
  wait_until_idle (G_OBJECT (f->report));
  g_assert_true (g_file_get_contents (users_path, &users, NULL, NULL));
  lines = g_strsplit (users, "\r\n", -1);
  g_assert_cmpstr (lines[0], ==, "id,email");
  for (guint i = 1; lines[i][0] != '\0'; i++, members++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);
      int n = atoi (cells[0] + 4);

      /* Even users have an email in the fixture, odd ones none. */
      if (n % 2 == 0)
        g_assert_true (g_str_has_prefix (cells[1], cells[0]) && g_str_has_suffix (cells[1], "@example.org"));
      else
        g_assert_cmpstr (cells[1], ==, "");
    }
  {
    g_auto(GStrv) body_lines = g_strsplit (body, "\r\n", -1);
    /* As many users as the engine's members (each split leaves a trailing ""). */
    g_assert_cmpuint (members, ==, g_strv_length (body_lines) - 1);
    g_assert_cmpuint (members, >, 0);
  }

  /* Cancel: the small export may already be done by then, but there is never a partial
   * file: none, or the whole export (the exporter's own tests cancel mid-way). */
  {
    g_autofree char *gone_path = g_build_filename (f->dir, "gone.csv", NULL);
    g_autoptr(GFile) gone = g_file_new_for_path (gone_path);
    g_autofree char *again = NULL;

    seg_segment_report_export (SEG_SEGMENT_REPORT (f->report), SEG_MEMBER_EXPORT_CSV,
                               (const char *[]) { "email", NULL }, gone);
    g_assert_true (gtk_widget_activate_action (f->report, "report.cancel-export", NULL));
    wait_until_idle (G_OBJECT (f->report));
    if (g_file_get_contents (gone_path, &again, NULL, NULL))
      g_assert_cmpstr (again, ==, users);
    g_assert_false (gtk_widget_get_visible (child (f, "export_row")));
  }
}

static GtkWidget *
report_child (GtkWidget  *report,
              const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (report, SEG_TYPE_SEGMENT_REPORT, name));
}

static void
test_system_segment (Fixture       *f,
                     gconstpointer  data)
{
  const struct { const char *id; const char *size; gint64 count; const char *words; } cases[] = {
    /* Twelve users, none of them marked as a test user. */
    { SEG_SEGMENT_ID_ALL_USERS, "12", 12, "Everyone" },
    { SEG_SEGMENT_ID_TEST_USERS, "0", 0, "test users" },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GAsyncResult) res = NULL;
      g_autoptr(SegSegment) seg = NULL;
      GtkWidget *window = gtk_window_new ();
      GtkWidget *report;

      seg_store_get_segment_async (SEG_STORE (f->store), cases[c].id, NULL, fx_result_cb, &res);
      seg = seg_store_get_segment_finish (SEG_STORE (f->store), fx_wait (&res), &error);
      g_assert_no_error (error);
      g_assert_null (seg_segment_get_definition (seg));
      gtk_window_set_default_size (GTK_WINDOW (window), 900, 1400);
      report = seg_segment_report_new (SEG_STORE (f->store), seg);
      gtk_window_set_child (GTK_WINDOW (window), report);
      gtk_window_present (GTK_WINDOW (window));
      wait_until_idle (G_OBJECT (report));

      /* The store keeps it without rules, and the report still counts it, trends it and
       * reaches it; the list's size column learns the count too. */
      g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (report_child (report, "name_label"))), ==,
                       seg_segment_get_name (seg));
      g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (report_child (report, "size_label"))), ==,
                       cases[c].size);
      g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (report_child (report, "summary_label"))),
                                cases[c].words));
      g_assert_true (gtk_widget_get_visible (report_child (report, "trend_section")));
      g_assert_true (gtk_widget_get_visible (report_child (report, "reach_section")));
      g_assert_true (gtk_widget_get_visible (report_child (report, "more_group")));
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_assert_cmpint (seg_segment_get_last_count (seg), ==, cases[c].count);
      gtk_window_destroy (GTK_WINDOW (window));
    }
}

#define ADD(name, func) \
  g_test_add ("/segment-report/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  ADD ("header-and-size", test_header_and_size);
  ADD ("trend", test_trend);
  ADD ("reach", test_reach);
  ADD ("day", test_day);
  ADD ("open-user", test_open_user);
  ADD ("export", test_export);
  ADD ("system-segment", test_system_segment);
  ADD ("refresh-after-import", test_refresh_after_import);
  return g_test_run ();
}
