/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-segment-report"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "report/seg-member-diff.h"
#include "report/seg-member-export.h"
#include "report/seg-report-days.h"
#include "seg-bar-layer.h"
#include "seg-chart.h"
#include "seg-definition.h"
#include "seg-eval-result.h"
#include "seg-property-info.h"
#include "seg-report-day.h"
#include "seg-report-format.h"
#include "seg-report-resources.h"
#include "seg-segment-report.h"
#include "seg-segment.h"
#include "seg-time.h"
#include "seg-trend.h"

/**
 * SegSegmentReport:
 *
 * The report of one segment: what it is, how many users are in it now, how that moved
 * day by day, who qualified on a chosen day and who joined or left since the day
 * before, how many can be reached per channel, and the next steps (a Custom List for a
 * campaign, a members export).
 *
 * Everything comes from the SegStore interface in worker threads; each part of the page
 * owns a GCancellable that a newer request or dispose cancels, so the page never waits
 * and never shows an answer to an old question. "busy" is TRUE while any part is being
 * computed; tests wait on it.
 *
 * Activating a user emits "open-user"; the window decides where the profile is shown.
 */
struct _SegSegmentReport
{
  GtkWidget              parent_instance;

  SegStore              *store;
  SegSegment            *segment;
  SegDefinition         *system_def;   /* what a system segment's size evaluates */
  GListModel            *segments;

  GCancellable          *cancellable;
  GCancellable          *trend_cancellable;
  GCancellable          *day_cancellable;
  GCancellable          *export_cancellable;
  SegMemberExport       *export;
  GFile                 *export_file;
  GtkFileChooserNative  *chooser;
  GtkStringList         *property_names;
  char                 **export_fields;
  SegMemberExportFormat  export_format;

  gint64                 now_ms;
  gint64                 first_data_day;
  gboolean               have_first_data_day;
  guint64                size;
  SegReportRange         range;
  gint64                 custom_first;
  gint64                 custom_last;
  gint64                 selected_day;
  guint                  pending;
  gboolean               syncing;
  gboolean               quiet;      /* counting again in place: no spinners (live updates) */
  gboolean               disposed;

  GtkWidget             *trend_chart;
  SegChartSeries        *trend_series;
  GtkWidget             *reach_chart;
  SegChartSeries        *reach_series;
  GtkWidget             *reach_labels[SEG_N_CHANNELS];
  GtkStringList         *sample_model;
  GtkStringList         *joined_model;
  GtkStringList         *left_model;

  /* Template children. */
  AdwToastOverlay       *toast_overlay;
  GtkLabel              *kind_label;
  GtkLabel              *name_label;
  GtkLabel              *description_label;
  AdwExpanderRow        *definition_row;
  GtkLabel              *summary_label;
  GtkTextView           *json_view;
  GtkStack              *size_stack;
  GtkSpinner            *size_spinner;
  GtkLabel              *size_label;
  GtkLabel              *evaluated_label;
  GtkDropDown           *range_dropdown;
  GtkRevealer           *custom_revealer;
  GtkEntry              *from_entry;
  GtkEntry              *to_entry;
  GtkStack              *trend_stack;
  GtkSpinner            *trend_spinner;
  GtkLabel              *trend_progress_label;
  GtkBox                *trend_chart_box;
  GtkLabel              *trend_message_label;
  GtkColumnView         *trend_table;
  GtkSingleSelection    *trend_selection;
  GListStore            *trend_model;
  GtkBox                *day_box;
  GtkLabel              *day_title_label;
  GtkLabel              *day_subtitle_label;
  GtkLabel              *sample_heading;
  GtkStack              *sample_stack;
  GtkSpinner            *sample_spinner;
  GtkListView           *sample_list;
  GtkLabel              *joined_heading;
  GtkStack              *joined_stack;
  GtkSpinner            *diff_spinner;
  GtkListView           *joined_list;
  GtkLabel              *left_heading;
  GtkListView           *left_list;
  GtkBox                *reach_chart_box;
  GtkWidget             *trend_section;
  GtkBox                *live_box;
  GtkWidget             *live_section;
  GtkLabel              *trend_title_label;
  GtkLabel              *trend_caption_label;
  GtkLabel              *reach_caption_label;
  GtkWidget             *reach_section;
  GtkWidget             *more_group;
  GtkListBox            *reach_list;
  AdwActionRow          *export_row;
  GtkProgressBar        *export_progress;
};

G_DEFINE_FINAL_TYPE (SegSegmentReport, seg_segment_report, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_STORE, PROP_SEGMENT, PROP_BUSY, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { OPEN_USER, N_SIGNALS };
static guint signals[N_SIGNALS];

#define SAMPLE_SIZE 100
#define DIFF_LIST_SIZE 500

static void reload           (SegSegmentReport *self);
static void start_trend      (SegSegmentReport *self);
static void start_day        (SegSegmentReport *self);
static void data_changed_cb  (SegSegmentReport *self);

static void
begin_work (SegSegmentReport *self)
{
  if (self->pending++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
end_work (SegSegmentReport *self)
{
  g_return_if_fail (self->pending > 0);
  if (--self->pending == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
renew (GCancellable **cancellable)
{
  if (*cancellable != NULL)
    g_cancellable_cancel (*cancellable);
  g_clear_object (cancellable);
  *cancellable = g_cancellable_new ();
}

/* An answer that should not be shown: the request was superseded or the page closed. */
static gboolean
is_stale (SegSegmentReport *self,
          const GError     *error)
{
  return self->disposed || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
toast (SegSegmentReport *self,
       const char       *text)
{
  AdwToast *t = adw_toast_new (text);

  adw_toast_set_timeout (t, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static GTimeZone *
timezone_of (SegSegmentReport *self)
{
  return seg_store_get_timezone (self->store);
}

/* What the size, trend, reach and exports evaluate: the segment's rules, or for a
 * system segment (All Users, Test Users: kept by the store, without rules) a definition
 * that includes it. */
static SegDefinition *
definition_of (SegSegmentReport *self)
{
  if (self->segment == NULL)
    return NULL;
  if (seg_segment_get_definition (self->segment) != NULL)
    return seg_segment_get_definition (self->segment);
  if (self->system_def == NULL)
    self->system_def = seg_segment_dup_size_definition (self->segment);
  return self->system_def;
}

static gboolean
is_live (SegSegmentReport *self)
{
  return self->segment != NULL && seg_segment_get_kind (self->segment) == SEG_SEGMENT_KIND_LIVE;
}

/* Header and definition. */

static char *
segment_name_cb (const char *id,
                 gpointer    user_data)
{
  SegSegmentReport *self = user_data;
  guint n = self->segments != NULL ? g_list_model_get_n_items (self->segments) : 0;

  /* Included segments are named from the store's live list once it has arrived; until
   * then the summary quotes the id. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SegSegment) seg = g_list_model_get_item (self->segments, i);

      if (g_strcmp0 (seg_segment_get_id (seg), id) == 0)
        return g_strdup (seg_segment_get_name (seg));
    }
  return g_strdup (id);
}

static void
update_header (SegSegmentReport *self)
{
  SegDefinition *def = seg_segment_get_definition (self->segment);
  gboolean evaluable = definition_of (self) != NULL;
  const char *description = seg_segment_get_description (self->segment);
  g_autofree char *summary = NULL;
  g_autofree char *json = NULL;

  gtk_label_set_label (self->name_label, seg_segment_get_name (self->segment));
  gtk_label_set_label (self->kind_label,
                       seg_report_kind_label (seg_segment_get_kind (self->segment)));
  gtk_label_set_label (self->description_label, description);
  gtk_widget_set_visible (GTK_WIDGET (self->description_label),
                          description != NULL && description[0] != '\0');

  if (def != NULL)
    {
      summary = seg_definition_summarize (def, segment_name_cb, self);
      json = seg_definition_to_json (def, TRUE);
    }
  if (summary == NULL && g_strcmp0 (seg_segment_get_id (self->segment), SEG_SEGMENT_ID_ALL_USERS) == 0)
    summary = g_strdup (_("Everyone in this store. The store keeps this segment itself."));
  else if (summary == NULL && g_strcmp0 (seg_segment_get_id (self->segment), SEG_SEGMENT_ID_TEST_USERS) == 0)
    summary = g_strdup (_("Users whose profile marks them as test users (test_user is true). "
                          "The store keeps this segment itself."));
  gtk_label_set_label (self->summary_label,
                       summary != NULL ? summary : _("This segment has no rules: it is kept by the store."));
  {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->json_view);
    g_autofree char *shown = NULL;
    GtkTextIter a, b;

    /* Only when it changed: the segment notifies on every evaluation (its last count). */
    gtk_text_buffer_get_bounds (buffer, &a, &b);
    shown = gtk_text_buffer_get_text (buffer, &a, &b, FALSE);
    if (g_strcmp0 (shown, json ? json : "") != 0)
      gtk_text_buffer_set_text (buffer, json ? json : "", -1);
  }
  gtk_widget_set_sensitive (GTK_WIDGET (self->definition_row), def != NULL);
  if (is_live (self))
    {
      /* A live segment's days are who qualified in them, from its stored memberships;
       * its members are everyone who ever qualified. */
      gtk_label_set_label (self->trend_title_label, _("Users Qualified per Day"));
      gtk_label_set_label (self->trend_caption_label,
                           _("Users who qualified on each day since the segment was made, "
                             "from the memberships the store keeps."));
      gtk_label_set_label (self->reach_caption_label,
                           _("Members who can be reached on each channel now; members the store "
                             "has no profile for cannot be reached"));
    }
  gtk_widget_set_visible (self->trend_section, evaluable);
  gtk_widget_set_visible (self->reach_section, evaluable);
  gtk_widget_set_visible (self->more_group, evaluable);
}

/* Size and reachability. */

static void
show_reach (SegSegmentReport *self,
            SegEvalResult    *r)
{
  double values[SEG_N_CHANNELS];
  guint64 count = seg_eval_result_get_count (r);

  for (SegChannel ch = 0; ch < SEG_N_CHANNELS; ch++)
    {
      guint64 n = seg_eval_result_get_reach (r, ch);
      g_autofree char *num = seg_report_format_count (n);
      g_autofree char *share = seg_report_format_percent (n, count);
      g_autofree char *text = g_strdup_printf ("%s · %s", num, share);

      gtk_label_set_label (GTK_LABEL (self->reach_labels[ch]), text);
      values[ch] = (double) n;
    }
  seg_chart_series_set_values (self->reach_series, values, SEG_N_CHANNELS);
}

static void
events_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SegSegmentReport) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) events = seg_store_list_events_finish (SEG_STORE (source), result, &error);

  end_work (self);
  if (events == NULL && is_stale (self, error))
    return;
  if (events != NULL)
    self->first_data_day = seg_report_first_complete_day (timezone_of (self), events);
  else
    g_warning ("Cannot list events: %s", error->message);
  self->have_first_data_day = TRUE;
  start_trend (self);
}

static void
size_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SegSegmentReport) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SegEvalResult) r = seg_store_evaluate_finish (SEG_STORE (source), result, &error);
  g_autofree char *size = NULL;
  g_autofree char *when = NULL;
  g_autofree char *caption = NULL;

  end_work (self);
  if (r == NULL)
    {
      if (is_stale (self, error))
        return;
      gtk_spinner_set_spinning (self->size_spinner, FALSE);
      gtk_label_set_label (self->size_label, "—");
      gtk_stack_set_visible_child_name (self->size_stack, "size");
      gtk_label_set_label (self->evaluated_label, error->message);
      return;
    }

  self->size = seg_eval_result_get_count (r);
  self->now_ms = seg_eval_result_get_now (r);
  size = seg_report_format_count (self->size);
  when = seg_report_format_time (timezone_of (self), self->now_ms);
  /* Translators: under the segment's size; %s is a date and time */
  caption = g_strdup_printf (_("Evaluated for %s"), when);
  gtk_spinner_set_spinning (self->size_spinner, FALSE);
  gtk_label_set_label (self->size_label, size);
  gtk_label_set_label (self->evaluated_label, caption);
  gtk_stack_set_visible_child_name (self->size_stack, "size");
  show_reach (self, r);

  if (!self->have_first_data_day && !is_live (self))
    {
      begin_work (self);
      seg_store_list_events_async (self->store, self->cancellable, events_done_cb,
                                   g_object_ref (self));
    }
  else
    start_trend (self);
}

static void
clear_day (SegSegmentReport *self)
{
  if (self->day_cancellable != NULL)
    g_cancellable_cancel (self->day_cancellable);
  gtk_widget_set_visible (GTK_WIDGET (self->day_box), FALSE);
  gtk_string_list_splice (self->sample_model, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->sample_model)), NULL);
  gtk_string_list_splice (self->joined_model, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->joined_model)), NULL);
  gtk_string_list_splice (self->left_model, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->left_model)), NULL);
  self->selected_day = 0;
}

static void
segments_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SegSegmentReport) self = user_data;
  g_autoptr(GListModel) segments = seg_store_list_segments_finish (SEG_STORE (source), result, NULL);

  end_work (self);
  if (segments == NULL || self->disposed)
    return;
  g_set_object (&self->segments, segments);
  update_header (self);
}

static void
reload (SegSegmentReport *self)
{
  SegDefinition *def;
  SegEvalOptions opts = { 0 };

  if (self->store == NULL || self->segment == NULL)
    return;

  renew (&self->cancellable);
  if (self->trend_cancellable != NULL)
    g_cancellable_cancel (self->trend_cancellable);
  clear_day (self);
  update_header (self);
  if (self->segments == NULL)
    {
      begin_work (self);
      seg_store_list_segments_async (self->store, self->cancellable, segments_done_cb,
                                     g_object_ref (self));
    }

  def = definition_of (self);
  if (def == NULL)
    {
      gtk_label_set_label (self->size_label, "—");
      gtk_stack_set_visible_child_name (self->size_stack, "size");
      gtk_label_set_label (self->evaluated_label,
                           _("The store keeps this segment itself, without rules, so it has no report"));
      gtk_label_set_label (self->trend_message_label, _("No trend without rules"));
      gtk_stack_set_visible_child_name (self->trend_stack, "message");
      return;
    }

  if (!self->quiet)
    {
      gtk_stack_set_visible_child_name (self->size_stack, "loading");
      gtk_spinner_set_spinning (self->size_spinner, TRUE);
      gtk_label_set_label (self->evaluated_label, _("Counting users…"));
    }
  opts.flags = SEG_EVAL_REACH;
  begin_work (self);
  seg_store_evaluate_async (self->store, def, &opts, self->cancellable, size_done_cb,
                            g_object_ref (self));
}

/* Trend. */

static void
trend_range (SegSegmentReport *self,
             gint64           *first,
             gint64           *last)
{
  GTimeZone *tz = timezone_of (self);
  gint64 today = seg_report_day_start (tz, self->now_ms);
  int days = 30;

  *last = today;
  switch (self->range)
    {
    case SEG_REPORT_RANGE_7_DAYS: days = 7; break;
    case SEG_REPORT_RANGE_30_DAYS: days = 30; break;
    case SEG_REPORT_RANGE_90_DAYS: days = 90; break;
    case SEG_REPORT_RANGE_ALL:
    case SEG_REPORT_RANGE_SINCE_CREATED:
    case SEG_REPORT_RANGE_CUSTOM:
    default: break;
    }
  if (self->range == SEG_REPORT_RANGE_CUSTOM)
    {
      *first = seg_report_day_start (tz, self->custom_first);
      *last = MIN (seg_report_day_start (tz, self->custom_last), today);
    }
  else if (self->range == SEG_REPORT_RANGE_ALL && self->first_data_day != 0)
    *first = self->first_data_day;
  else if (self->range == SEG_REPORT_RANGE_SINCE_CREATED && seg_segment_get_created (self->segment) > 0)
    /* CleverTap's report starts at the first complete day after creation; here the
     * day of creation itself counts too, as it is evaluated at its end like any other. */
    *first = MIN (seg_report_day_start (tz, seg_segment_get_created (self->segment)), today);
  else
    *first = seg_report_day_add (tz, today, -(days - 1));

  /* The trend starts at the first complete day of data: earlier days would only show
   * how little had been imported, not how the segment moved. */
  if (!is_live (self) && self->first_data_day != 0 && *first < self->first_data_day)
    *first = self->first_data_day;
}

static void
trend_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SegSegmentReport) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SegTrend) trend = seg_store_trend_finish (SEG_STORE (source), result, &error);
  GTimeZone *tz;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree SegChartPoint *points = NULL;
  guint n;

  end_work (self);
  if (trend == NULL)
    {
      if (is_stale (self, error))
        return;
      gtk_spinner_set_spinning (self->trend_spinner, FALSE);
      gtk_label_set_label (self->trend_message_label, error->message);
      gtk_stack_set_visible_child_name (self->trend_stack, "message");
      return;
    }

  self->quiet = FALSE;
  tz = timezone_of (self);
  n = seg_trend_get_n_days (trend);
  items = g_ptr_array_new_with_free_func (g_object_unref);
  points = g_new0 (SegChartPoint, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      gint64 day = seg_trend_get_day (trend, i);
      guint64 count = seg_trend_get_count (trend, i);
      g_autofree char *label = seg_report_format_day (tz, day);
      gint64 change = i > 0 ? (gint64) count - (gint64) seg_trend_get_count (trend, i - 1) : 0;

      g_ptr_array_add (items, seg_report_day_new (day, label, count, i > 0, change));
      points[i].x = (double) day;
      points[i].y = (double) count;
    }
  gtk_spinner_set_spinning (self->trend_spinner, FALSE);

  self->syncing = TRUE;
  g_list_store_splice (self->trend_model, 0, g_list_model_get_n_items (G_LIST_MODEL (self->trend_model)),
                       items->pdata, items->len);
  seg_chart_series_set_points (self->trend_series, points, n);
  self->syncing = FALSE;

  if (n == 0)
    {
      gtk_label_set_label (self->trend_message_label, _("No complete day of data in this range"));
      gtk_stack_set_visible_child_name (self->trend_stack, "message");
      return;
    }
  gtk_stack_set_visible_child_name (self->trend_stack, "chart");
  seg_segment_report_select_day (self, seg_trend_get_day (trend, n - 1));
}

static void
start_trend (SegSegmentReport *self)
{
  SegDefinition *def = definition_of (self);
  gint64 first, last;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *text = NULL;

  if (def == NULL || self->now_ms == 0)
    return;

  renew (&self->trend_cancellable);
  clear_day (self);
  trend_range (self, &first, &last);
  if (first > last)
    {
      self->syncing = TRUE;
      g_list_store_remove_all (self->trend_model);
      seg_chart_series_clear (self->trend_series);
      self->syncing = FALSE;
      gtk_label_set_label (self->trend_message_label, _("No complete day of data in this range"));
      gtk_stack_set_visible_child_name (self->trend_stack, "message");
      return;
    }

  from = seg_report_format_day (timezone_of (self), first);
  to = seg_report_format_day (timezone_of (self), last);
  /* Translators: while a trend is computed; the days it covers */
  text = g_strdup_printf (_("Counting users for each day from %s to %s…"), from, to);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->trend_stack), NULL);
  if (!self->quiet)
    {
      gtk_stack_set_visible_child_name (self->trend_stack, "loading");
      gtk_spinner_set_spinning (self->trend_spinner, TRUE);
    }
  gtk_label_set_label (self->trend_progress_label, text);
  seg_chart_set_x_range (SEG_CHART (self->trend_chart), (double) first,
                         (double) seg_report_day_add (timezone_of (self), last, 1));

  begin_work (self);
  seg_store_trend_async (self->store, def, first, last, self->trend_cancellable,
                         trend_done_cb, g_object_ref (self));
}

/* The selected day. */

static guint64
count_of_day (SegSegmentReport *self,
              gint64            day,
              guint            *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->trend_model));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SegReportDay) item = g_list_model_get_item (G_LIST_MODEL (self->trend_model), i);

      if (seg_report_day_get_day (item) == day)
        {
          *position = i;
          return seg_report_day_get_count (item);
        }
    }
  *position = GTK_INVALID_LIST_POSITION;
  return 0;
}

static void
fill_strings (GtkStringList      *model,
              const char * const *ids)
{
  gtk_string_list_splice (model, 0, g_list_model_get_n_items (G_LIST_MODEL (model)), ids);
}

static void
sample_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SegSegmentReport) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SegEvalResult) r = seg_store_evaluate_finish (SEG_STORE (source), result, &error);
  const char * const *sample;
  g_autofree char *heading = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *total = NULL;

  end_work (self);
  if (r == NULL)
    {
      if (is_stale (self, error))
        return;
      gtk_spinner_set_spinning (self->sample_spinner, FALSE);
      gtk_stack_set_visible_child_name (self->sample_stack, "list");
      toast (self, error->message);
      return;
    }
  sample = seg_eval_result_get_sample (r);
  fill_strings (self->sample_model, sample);
  shown = seg_report_format_count (g_list_model_get_n_items (G_LIST_MODEL (self->sample_model)));
  total = seg_report_format_count (seg_eval_result_get_count (r));
  /* Translators: "Sample users (100 of 1,234)" */
  heading = g_strdup_printf (_("Sample users (%s of %s)"), shown, total);
  gtk_label_set_label (self->sample_heading, heading);
  gtk_spinner_set_spinning (self->sample_spinner, FALSE);
  gtk_stack_set_visible_child_name (self->sample_stack, "list");
}

static void
diff_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SegSegmentReport) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SegMemberDiff) diff = seg_member_diff_compute_finish (result, &error);
  g_autofree char *joined = NULL;
  g_autofree char *left = NULL;
  g_autofree char *joined_n = NULL;
  g_autofree char *left_n = NULL;

  end_work (self);
  if (diff == NULL)
    {
      if (is_stale (self, error))
        return;
      gtk_spinner_set_spinning (self->diff_spinner, FALSE);
      gtk_stack_set_visible_child_name (self->joined_stack, "list");
      toast (self, error->message);
      return;
    }
  fill_strings (self->joined_model, seg_member_diff_get_joined (diff));
  fill_strings (self->left_model, seg_member_diff_get_left (diff));
  joined_n = seg_report_format_count (seg_member_diff_get_n_joined (diff));
  left_n = seg_report_format_count (seg_member_diff_get_n_left (diff));
  /* Translators: users who entered the segment since the day before */
  joined = g_strdup_printf (_("Joined (%s)"), joined_n);
  /* Translators: users who dropped out of the segment since the day before */
  left = g_strdup_printf (_("Left (%s)"), left_n);
  gtk_label_set_label (self->joined_heading, joined);
  gtk_label_set_label (self->left_heading, left);
  {
    g_autofree char *base = g_strdup (gtk_label_get_label (self->day_subtitle_label));
    g_autofree char *text = NULL;

    /* Translators: appended to the day's subtitle; signed numbers of users */
    text = g_strdup_printf (_("%s · %s joined and %s left since the day before"), base, joined_n, left_n);
    gtk_label_set_label (self->day_subtitle_label, text);
  }
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->joined_heading), joined);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->left_heading), left);
  gtk_spinner_set_spinning (self->diff_spinner, FALSE);
  gtk_stack_set_visible_child_name (self->joined_stack, "list");
}

static void
start_day (SegSegmentReport *self)
{
  GTimeZone *tz = timezone_of (self);
  SegDefinition *def = definition_of (self);
  SegEvalOptions opts = { 0 };
  g_autofree char *day_text = NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *count_text = NULL;
  gboolean today = self->selected_day == seg_report_day_start (tz, self->now_ms);
  guint position;
  guint64 count = count_of_day (self, self->selected_day, &position);

  renew (&self->day_cancellable);
  /* A live segment's members do not depend on the day they are asked for: its users of a
   * day are the bar itself, and the users trickling in are listed live above. */
  if (is_live (self))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->day_box), FALSE);
      return;
    }
  day_text = seg_report_format_day (tz, self->selected_day);
  count_text = seg_report_format_count (count);
  /* Translators: %s is a day */
  title = today ? g_strdup (_("Users Today")) : g_strdup_printf (_("Users on %s"), day_text);
  if (today)
    /* Translators: %s is a number of users */
    subtitle = g_strdup_printf (g_dngettext (NULL, "%s user qualifies so far today",
                                             "%s users qualify so far today", count), count_text);
  else
    /* Translators: %s is a number of users */
    subtitle = g_strdup_printf (g_dngettext (NULL, "%s user qualified at the end of the day",
                                             "%s users qualified at the end of the day", count),
                                count_text);
  gtk_label_set_label (self->day_title_label, title);
  gtk_label_set_label (self->day_subtitle_label, subtitle);
  gtk_label_set_label (self->sample_heading, _("Sample users"));
  gtk_label_set_label (self->joined_heading, _("Joined"));
  gtk_label_set_label (self->left_heading, _("Left"));
  gtk_widget_set_visible (GTK_WIDGET (self->day_box), TRUE);
  gtk_stack_set_visible_child_name (self->sample_stack, "loading");
  gtk_stack_set_visible_child_name (self->joined_stack, "loading");
  gtk_spinner_set_spinning (self->sample_spinner, TRUE);
  gtk_spinner_set_spinning (self->diff_spinner, TRUE);

  opts.now_ms = seg_report_day_end (tz, self->selected_day, self->now_ms);
  opts.flags = SEG_EVAL_SAMPLE;
  opts.sample_size = SAMPLE_SIZE;
  begin_work (self);
  seg_store_evaluate_async (self->store, def, &opts, self->day_cancellable, sample_done_cb,
                            g_object_ref (self));
  begin_work (self);
  seg_member_diff_compute_async (self->store, def, self->selected_day, self->now_ms,
                                 DIFF_LIST_SIZE, self->day_cancellable, diff_done_cb,
                                 g_object_ref (self));
}

static void
chart_selected_cb (SegSegmentReport *self,
                   int               slot,
                   double            x,
                   SegChart         *chart)
{
  if (self->syncing || slot < 0)
    return;
  seg_segment_report_select_day (self, (gint64) x);
}

static void
table_selected_cb (SegSegmentReport   *self,
                   GParamSpec         *pspec,
                   GtkSingleSelection *selection)
{
  SegReportDay *item;

  if (self->syncing)
    return;
  item = gtk_single_selection_get_selected_item (selection);
  if (item != NULL)
    seg_segment_report_select_day (self, seg_report_day_get_day (item));
}

/* Users. */

static void
user_list_activate_cb (SegSegmentReport *self,
                       guint             position,
                       GtkListView      *list)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (list));
  g_autoptr(GtkStringObject) item = g_list_model_get_item (model, position);

  if (item != NULL)
    g_signal_emit (self, signals[OPEN_USER], 0, gtk_string_object_get_string (item));
}

static void
user_row_setup_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *avatar = adw_avatar_new (28, NULL, TRUE);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (arrow, "dim-label");
  gtk_box_append (GTK_BOX (box), avatar);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), arrow);
  gtk_list_item_set_child (item, box);
}

static void
user_row_bind_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *avatar = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_next_sibling (avatar);
  const char *id = gtk_string_object_get_string (gtk_list_item_get_item (item));
  g_autofree char *tip = g_strdup_printf (_("Open the profile of %s"), id);

  adw_avatar_set_text (ADW_AVATAR (avatar), id);
  gtk_label_set_label (GTK_LABEL (label), id);
  gtk_widget_set_tooltip_text (box, tip);
}

static void
setup_user_list (GtkListView   *list,
                 GtkStringList *model)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkNoSelection *selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (model)));

  g_signal_connect (factory, "setup", G_CALLBACK (user_row_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (user_row_bind_cb), NULL);
  gtk_list_view_set_factory (list, factory);
  gtk_list_view_set_model (list, GTK_SELECTION_MODEL (selection));
  g_object_unref (factory);
  g_object_unref (selection);
}

/* Exports. */

static void
export_progress_cb (SegSegmentReport *self,
                    GParamSpec       *pspec,
                    SegMemberExport  *export)
{
  g_autofree char *done = seg_report_format_count (seg_member_export_get_written (export));
  g_autofree char *total = seg_report_format_count (seg_member_export_get_total (export));
  /* Translators: export progress, "1,000 of 5,000" */
  g_autofree char *text = g_strdup_printf (_("%s of %s"), done, total);

  gtk_progress_bar_set_fraction (self->export_progress, seg_member_export_get_fraction (export));
  gtk_progress_bar_set_text (self->export_progress, text);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SegSegmentReport) self = user_data;
  SegMemberExport *export = SEG_MEMBER_EXPORT (source);
  g_autoptr(GError) error = NULL;
  gboolean ok = seg_member_export_write_finish (export, result, &error);

  end_work (self);
  if (self->disposed)
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->export_row), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.export-members", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.export-custom-list", TRUE);
  if (ok)
    {
      g_autofree char *name = g_file_get_basename (self->export_file);
      g_autofree char *n = seg_report_format_count (seg_member_export_get_written (export));
      /* Translators: "Saved 1,234 users to members.csv" */
      g_autofree char *text = g_strdup_printf (_("Saved %s users to %s"), n, name);
      toast (self, text);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast (self, _("Export cancelled; no file was written"));
  else
    {
      g_debug ("Export failed: %s", error->message);
      toast (self, error->message);
    }
  g_clear_object (&self->export);
}

static void
start_export (SegSegmentReport *self,
              GFile            *file)
{
  g_clear_object (&self->export);
  self->export = seg_member_export_new (self->store, definition_of (self));
  seg_member_export_set_now (self->export, self->now_ms);
  seg_member_export_set_format (self->export, self->export_format);
  seg_member_export_set_fields (self->export, (const char * const *) self->export_fields);
  g_signal_connect_object (self->export, "notify::written", G_CALLBACK (export_progress_cb),
                           self, G_CONNECT_SWAPPED);
  g_set_object (&self->export_file, file);
  renew (&self->export_cancellable);

  gtk_progress_bar_set_fraction (self->export_progress, 0);
  gtk_progress_bar_set_text (self->export_progress, _("Starting…"));
  adw_action_row_set_subtitle (self->export_row, NULL);
  {
    g_autofree char *name = g_file_get_basename (file);
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->export_row), name);
  }
  gtk_widget_set_visible (GTK_WIDGET (self->export_row), TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.export-members", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.export-custom-list", FALSE);

  begin_work (self);
  seg_member_export_write_async (self->export, file, self->export_cancellable, export_done_cb,
                                 g_object_ref (self));
}

static void
chooser_response_cb (SegSegmentReport     *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      if (file != NULL)
        start_export (self, file);
    }
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (chooser));
  g_clear_object (&self->chooser);
}

static char *
suggested_name (SegSegmentReport *self,
                const char       *suffix)
{
  GString *s = g_string_new (NULL);

  for (const char *p = seg_segment_get_name (self->segment); *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_isalnum (c) || c == '-' || c == '_')
        g_string_append_unichar (s, g_unichar_tolower (c));
      else if (s->len > 0 && s->str[s->len - 1] != '-')
        g_string_append_c (s, '-');
    }
  while (s->len > 0 && s->str[s->len - 1] == '-')
    g_string_truncate (s, s->len - 1);
  if (s->len == 0)
    g_string_append (s, "segment");
  g_string_append (s, suffix);
  return g_string_free (s, FALSE);
}

static void
choose_file (SegSegmentReport *self,
             const char       *title,
             const char       *suffix)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *name = suggested_name (self, suffix);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
export_custom_list_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  SegSegmentReport *self = SEG_SEGMENT_REPORT (widget);

  self->export_format = SEG_MEMBER_EXPORT_CUSTOM_LIST;
  g_clear_pointer (&self->export_fields, g_strfreev);
  choose_file (self, _("Save Custom List"), "-custom-list.csv");
}

static void
fields_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  /* The dialog holds a reference on the report until it is destroyed. */
  SegSegmentReport *self = user_data;
  GtkWidget *box;
  g_autoptr(GPtrArray) fields = NULL;

  if (self->disposed || g_strcmp0 (response, "export") != 0)
    return;
  fields = g_ptr_array_new ();
  box = adw_message_dialog_get_extra_child (dialog);
  box = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (box));
  if (GTK_IS_VIEWPORT (box))
    box = gtk_viewport_get_child (GTK_VIEWPORT (box));
  for (GtkWidget *c = gtk_widget_get_first_child (box); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_CHECK_BUTTON (c) && gtk_check_button_get_active (GTK_CHECK_BUTTON (c)) &&
        gtk_widget_get_sensitive (c))
      g_ptr_array_add (fields, g_strdup (g_object_get_data (G_OBJECT (c), "field")));
  g_ptr_array_add (fields, NULL);
  g_clear_pointer (&self->export_fields, g_strfreev);
  self->export_fields = (char **) g_ptr_array_free (g_steal_pointer (&fields), FALSE);
  self->export_format = SEG_MEMBER_EXPORT_CSV;
  choose_file (self, _("Export Users"), "-users.csv");
}

static void
show_fields_dialog (SegSegmentReport *self,
                    GListModel       *props)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *id = gtk_check_button_new_with_label (_("User id (always included)"));
  guint n = props ? g_list_model_get_n_items (props) : 0;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Export Users"),
                                   _("Choose the profile properties to write next to each user id. "
                                     "Each property means reading every user's profile, so large "
                                     "exports take longer."));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (id), TRUE);
  gtk_widget_set_sensitive (id, FALSE);
  gtk_box_append (GTK_BOX (box), id);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SegPropertyInfo) info = g_list_model_get_item (props, i);
      const char *name = seg_property_info_get_name (info);
      GtkWidget *check = gtk_check_button_new_with_label (name);

      g_object_set_data_full (G_OBJECT (check), "field", g_strdup (name), g_free);
      gtk_box_append (GTK_BOX (box), check);
    }
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), box);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 280);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scroller);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "export", _("_Choose File…"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "export",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "export");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (fields_response_cb), g_object_ref (self));
  g_signal_connect_swapped (dialog, "destroy", G_CALLBACK (g_object_unref), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
properties_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SegSegmentReport) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) props = seg_store_list_properties_finish (SEG_STORE (source), result, &error);

  end_work (self);
  if (props == NULL && is_stale (self, error))
    return;
  show_fields_dialog (self, props);
}

static void
export_members_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  SegSegmentReport *self = SEG_SEGMENT_REPORT (widget);

  begin_work (self);
  seg_store_list_properties_async (self->store, NULL, self->cancellable, properties_done_cb,
                                   g_object_ref (self));
}

static void
cancel_export_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  SegSegmentReport *self = SEG_SEGMENT_REPORT (widget);

  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
}

/* Other actions. */

static void
copy_text (SegSegmentReport *self,
           const char       *text,
           const char       *done)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  toast (self, done);
}

static void
copy_summary_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  SegSegmentReport *self = SEG_SEGMENT_REPORT (widget);

  copy_text (self, gtk_label_get_label (self->summary_label), _("Summary copied"));
}

static void
copy_json_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  SegSegmentReport *self = SEG_SEGMENT_REPORT (widget);
  SegDefinition *def = seg_segment_get_definition (self->segment);
  g_autofree char *json = def ? seg_definition_to_json (def, TRUE) : NULL;

  if (json != NULL)
    copy_text (self, json, _("JSON copied"));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  seg_segment_report_refresh (SEG_SEGMENT_REPORT (widget));
}

static void
stop_trend_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  SegSegmentReport *self = SEG_SEGMENT_REPORT (widget);

  if (self->trend_cancellable != NULL)
    g_cancellable_cancel (self->trend_cancellable);
  gtk_spinner_set_spinning (self->trend_spinner, FALSE);
  gtk_label_set_label (self->trend_message_label, _("Stopped. Choose a range to count again."));
  gtk_stack_set_visible_child_name (self->trend_stack, "message");
}

static void
open_user_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  g_signal_emit (widget, signals[OPEN_USER], 0, g_variant_get_string (param, NULL));
}

static void
range_changed_cb (SegSegmentReport *self,
                  GParamSpec       *pspec,
                  GtkDropDown      *dropdown)
{
  SegReportRange range = gtk_drop_down_get_selected (dropdown);

  gtk_revealer_set_reveal_child (self->custom_revealer, range == SEG_REPORT_RANGE_CUSTOM);
  if (range == SEG_REPORT_RANGE_CUSTOM)
    {
      GTimeZone *tz = timezone_of (self);
      gint64 first, last;

      /* Start from the days shown so far. */
      trend_range (self, &first, &last);
      if (gtk_entry_buffer_get_length (gtk_entry_get_buffer (self->from_entry)) == 0 && self->now_ms != 0)
        {
          g_autoptr(GDateTime) a = g_date_time_new_from_unix_utc (first / 1000);
          g_autoptr(GDateTime) b = g_date_time_new_from_unix_utc (last / 1000);
          g_autoptr(GDateTime) la = g_date_time_to_timezone (a, tz);
          g_autoptr(GDateTime) lb = g_date_time_to_timezone (b, tz);
          g_autofree char *fa = g_date_time_format (la, "%Y-%m-%d");
          g_autofree char *fb = g_date_time_format (lb, "%Y-%m-%d");

          gtk_editable_set_text (GTK_EDITABLE (self->from_entry), fa);
          gtk_editable_set_text (GTK_EDITABLE (self->to_entry), fb);
        }
      gtk_widget_grab_focus (GTK_WIDGET (self->from_entry));
      return;
    }
  seg_segment_report_set_range (self, range);
}

static void
custom_apply_cb (SegSegmentReport *self)
{
  GTimeZone *tz = timezone_of (self);
  gint64 a0, a1, b0, b1;
  gboolean ok_a = seg_time_parse_date (tz, gtk_editable_get_text (GTK_EDITABLE (self->from_entry)), &a0, &a1);
  gboolean ok_b = seg_time_parse_date (tz, gtk_editable_get_text (GTK_EDITABLE (self->to_entry)), &b0, &b1);

  gtk_widget_remove_css_class (GTK_WIDGET (self->from_entry), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->to_entry), "error");
  if (!ok_a)
    gtk_widget_add_css_class (GTK_WIDGET (self->from_entry), "error");
  if (!ok_b || (ok_a && b0 < a0))
    gtk_widget_add_css_class (GTK_WIDGET (self->to_entry), "error");
  if (!ok_a || !ok_b || b0 < a0)
    return;
  seg_segment_report_set_custom_range (self, a0, b0);
}

/* GObject. */

static void
seg_segment_report_dispose (GObject *object)
{
  SegSegmentReport *self = SEG_SEGMENT_REPORT (object);

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  if (self->trend_cancellable)
    g_cancellable_cancel (self->trend_cancellable);
  if (self->day_cancellable)
    g_cancellable_cancel (self->day_cancellable);
  if (self->export_cancellable)
    g_cancellable_cancel (self->export_cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), SEG_TYPE_SEGMENT_REPORT);
  self->trend_chart = NULL;
  self->reach_chart = NULL;
  g_clear_object (&self->trend_series);
  g_clear_object (&self->reach_series);
  g_clear_object (&self->sample_model);
  g_clear_object (&self->joined_model);
  g_clear_object (&self->left_model);
  g_clear_object (&self->store);
  g_clear_object (&self->segment);
  g_clear_pointer (&self->system_def, seg_definition_unref);
  g_clear_object (&self->segments);
  g_clear_object (&self->export_file);
  G_OBJECT_CLASS (seg_segment_report_parent_class)->dispose (object);
}

static void
seg_segment_report_finalize (GObject *object)
{
  SegSegmentReport *self = SEG_SEGMENT_REPORT (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->trend_cancellable);
  g_clear_object (&self->day_cancellable);
  g_clear_object (&self->export_cancellable);
  g_clear_object (&self->export);
  g_strfreev (self->export_fields);
  G_OBJECT_CLASS (seg_segment_report_parent_class)->finalize (object);
}

static void
seg_segment_report_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SegSegmentReport *self = SEG_SEGMENT_REPORT (object);

  switch (prop_id)
    {
    case PROP_STORE: g_value_set_object (value, self->store); break;
    case PROP_SEGMENT: g_value_set_object (value, self->segment); break;
    case PROP_BUSY: g_value_set_boolean (value, self->pending > 0); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_segment_report_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SegSegmentReport *self = SEG_SEGMENT_REPORT (object);

  switch (prop_id)
    {
    case PROP_STORE: self->store = g_value_dup_object (value); break;
    case PROP_SEGMENT: self->segment = g_value_dup_object (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_segment_report_constructed (GObject *object)
{
  SegSegmentReport *self = SEG_SEGMENT_REPORT (object);

  G_OBJECT_CLASS (seg_segment_report_parent_class)->constructed (object);
  /* A live segment's history starts when it was made: before, nobody could qualify. */
  if (is_live (self))
    {
      self->range = SEG_REPORT_RANGE_SINCE_CREATED;
      gtk_drop_down_set_selected (self->range_dropdown, SEG_REPORT_RANGE_SINCE_CREATED);
    }
  if (self->store != NULL)
    {
      seg_chart_set_time_zone (SEG_CHART (self->trend_chart), timezone_of (self));
      g_signal_connect_object (self->store, "data-changed", G_CALLBACK (data_changed_cb),
                               self, G_CONNECT_SWAPPED);
    }
  if (self->segment != NULL)
    {
      static const char *shown[] = { "notify::name", "notify::description", "notify::kind" };

      for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
        g_signal_connect_object (self->segment, shown[i], G_CALLBACK (update_header), self,
                                 G_CONNECT_SWAPPED);
      /* An edited definition is a different segment: evaluate it again. */
      g_signal_connect_object (self->segment, "notify::definition",
                               G_CALLBACK (seg_segment_report_refresh), self, G_CONNECT_SWAPPED);
    }
  reload (self);
}

static void
load_css (void)
{
  static gboolean loaded;
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr(GtkCssProvider) provider = NULL;

  if (loaded || display == NULL)
    return;
  loaded = TRUE;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/segmentstudio/SegmentStudio/reports/report.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
seg_segment_report_class_init (SegSegmentReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = seg_segment_report_dispose;
  object_class->finalize = seg_segment_report_finalize;
  object_class->get_property = seg_segment_report_get_property;
  object_class->set_property = seg_segment_report_set_property;
  object_class->constructed = seg_segment_report_constructed;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SEG_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEGMENT] =
    g_param_spec_object ("segment", NULL, NULL, SEG_TYPE_SEGMENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SegSegmentReport::open-user:
   * @user_id: the user to show
   *
   * A user was activated in one of the report's lists.
   */
  signals[OPEN_USER] =
    g_signal_new ("open-user", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_resources_register (seg_report_get_resource ());
  g_type_ensure (SEG_TYPE_REPORT_DAY);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/segmentstudio/SegmentStudio/reports/seg-segment-report.ui");
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, kind_label);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, name_label);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, description_label);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, definition_row);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, json_view);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, size_stack);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, size_spinner);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, size_label);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, evaluated_label);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, range_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, custom_revealer);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, from_entry);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, to_entry);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, trend_stack);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, trend_spinner);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, trend_progress_label);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, trend_chart_box);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, trend_message_label);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, trend_table);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, trend_selection);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, trend_model);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, day_box);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, day_title_label);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, day_subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, sample_heading);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, sample_stack);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, sample_spinner);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, sample_list);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, joined_heading);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, joined_stack);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, diff_spinner);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, joined_list);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, left_heading);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, left_list);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, reach_chart_box);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, trend_section);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, live_box);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, trend_title_label);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, trend_caption_label);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, reach_caption_label);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, reach_section);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, more_group);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, reach_list);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, export_row);
  gtk_widget_class_bind_template_child (widget_class, SegSegmentReport, export_progress);
  gtk_widget_class_bind_template_callback (widget_class, table_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, user_list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, custom_apply_cb);

  gtk_widget_class_install_action (widget_class, "report.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "report.copy-summary", NULL, copy_summary_action);
  gtk_widget_class_install_action (widget_class, "report.copy-json", NULL, copy_json_action);
  gtk_widget_class_install_action (widget_class, "report.stop-trend", NULL, stop_trend_action);
  gtk_widget_class_install_action (widget_class, "report.export-custom-list", NULL, export_custom_list_action);
  gtk_widget_class_install_action (widget_class, "report.export-members", NULL, export_members_action);
  gtk_widget_class_install_action (widget_class, "report.cancel-export", NULL, cancel_export_action);
  gtk_widget_class_install_action (widget_class, "report.open-user", "s", open_user_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "report.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "report.refresh", NULL);

  gtk_widget_class_set_css_name (widget_class, "segmentreport");
}

static void
seg_segment_report_init (SegSegmentReport *self)
{
  static const char *channel_names[SEG_N_CHANNELS + 1];
  SegChartLayer *layer;

  load_css ();
  gtk_widget_init_template (GTK_WIDGET (self));
  self->range = SEG_REPORT_RANGE_30_DAYS;

  /* The trend: one bar per day. */
  self->trend_chart = seg_chart_new ();
  gtk_widget_set_vexpand (self->trend_chart, TRUE);
  seg_chart_set_x_axis (SEG_CHART (self->trend_chart), SEG_CHART_X_AXIS_TIME);
  seg_chart_set_time_bucket (SEG_CHART (self->trend_chart), SEG_CHART_TIME_BUCKET_DAY);
  seg_chart_set_empty_text (SEG_CHART (self->trend_chart), _("No days to show"));
  layer = seg_bar_layer_new (SEG_BAR_LAYER_GROUPED);
  self->trend_series = seg_chart_series_new (_("Users"));
  seg_chart_layer_add_series (layer, self->trend_series);
  seg_chart_add_layer (SEG_CHART (self->trend_chart), layer);
  gtk_box_append (self->trend_chart_box, self->trend_chart);
  g_signal_connect_object (self->trend_chart, "selected-changed", G_CALLBACK (chart_selected_cb),
                           self, G_CONNECT_SWAPPED);

  /* Reachability: a bar per channel, and the exact numbers in rows. */
  for (SegChannel ch = 0; ch < SEG_N_CHANNELS; ch++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *label = gtk_label_new ("—");

      channel_names[ch] = seg_report_channel_label (ch);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), channel_names[ch]);
      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      gtk_list_box_append (self->reach_list, row);
      self->reach_labels[ch] = label;
    }
  channel_names[SEG_N_CHANNELS] = NULL;
  self->reach_chart = seg_chart_new ();
  gtk_widget_set_vexpand (self->reach_chart, TRUE);
  seg_chart_set_x_axis (SEG_CHART (self->reach_chart), SEG_CHART_X_AXIS_CATEGORY);
  seg_chart_set_categories (SEG_CHART (self->reach_chart), channel_names);
  layer = seg_bar_layer_new (SEG_BAR_LAYER_GROUPED);
  self->reach_series = seg_chart_series_new (_("Reachable users"));
  seg_chart_layer_add_series (layer, self->reach_series);
  seg_chart_add_layer (SEG_CHART (self->reach_chart), layer);
  gtk_box_append (self->reach_chart_box, self->reach_chart);

  self->sample_model = gtk_string_list_new (NULL);
  self->joined_model = gtk_string_list_new (NULL);
  self->left_model = gtk_string_list_new (NULL);
  setup_user_list (self->sample_list, self->sample_model);
  setup_user_list (self->joined_list, self->joined_model);
  setup_user_list (self->left_list, self->left_model);

  g_signal_connect_object (self->range_dropdown, "notify::selected", G_CALLBACK (range_changed_cb),
                           self, G_CONNECT_SWAPPED);
}

/**
 * seg_segment_report_new:
 *
 * Returns: (transfer floating): the report of @segment in @store
 */
GtkWidget *
seg_segment_report_new (SegStore   *store,
                        SegSegment *segment)
{
  g_return_val_if_fail (SEG_IS_STORE (store), NULL);
  g_return_val_if_fail (SEG_IS_SEGMENT (segment), NULL);

  return g_object_new (SEG_TYPE_SEGMENT_REPORT, "store", store, "segment", segment, NULL);
}

SegStore *
seg_segment_report_get_store (SegSegmentReport *self)
{
  g_return_val_if_fail (SEG_IS_SEGMENT_REPORT (self), NULL);
  return self->store;
}

SegSegment *
seg_segment_report_get_segment (SegSegmentReport *self)
{
  g_return_val_if_fail (SEG_IS_SEGMENT_REPORT (self), NULL);
  return self->segment;
}

/**
 * seg_segment_report_get_busy:
 *
 * Returns: whether any part of the report is still being computed
 */
gboolean
seg_segment_report_get_busy (SegSegmentReport *self)
{
  g_return_val_if_fail (SEG_IS_SEGMENT_REPORT (self), FALSE);
  return self->pending > 0;
}

/**
 * seg_segment_report_refresh:
 *
 * Evaluates the segment again, for the current time, and redraws every part.
 */
void
seg_segment_report_refresh (SegSegmentReport *self)
{
  g_return_if_fail (SEG_IS_SEGMENT_REPORT (self));
  self->quiet = FALSE;
  self->have_first_data_day = FALSE;
  reload (self);
}

/**
 * seg_segment_report_update:
 *
 * Counts the segment again, for the current time, showing the numbers it has until the
 * new ones arrive (no spinners): for live segments, whose members change while the page
 * is watched.
 */
void
seg_segment_report_update (SegSegmentReport *self)
{
  g_return_if_fail (SEG_IS_SEGMENT_REPORT (self));
  self->quiet = TRUE;
  reload (self);
}

static void
data_changed_cb (SegSegmentReport *self)
{
  /* Events arrive continuously in a store fed live: a live segment's page updates in place. */
  if (is_live (self))
    seg_segment_report_update (self);
  else
    seg_segment_report_refresh (self);
}

void
seg_segment_report_set_range (SegSegmentReport *self,
                              SegReportRange    range)
{
  g_return_if_fail (SEG_IS_SEGMENT_REPORT (self));
  g_return_if_fail (range <= SEG_REPORT_RANGE_CUSTOM);

  self->range = range;
  if (gtk_drop_down_get_selected (self->range_dropdown) != range)
    gtk_drop_down_set_selected (self->range_dropdown, range);
  if (range != SEG_REPORT_RANGE_CUSTOM)
    start_trend (self);
}

/**
 * seg_segment_report_set_custom_range:
 *
 * Shows the days from @first_day_ms to @last_day_ms (any instant of each day).
 */
void
seg_segment_report_set_custom_range (SegSegmentReport *self,
                                     gint64            first_day_ms,
                                     gint64            last_day_ms)
{
  g_return_if_fail (SEG_IS_SEGMENT_REPORT (self));

  self->custom_first = first_day_ms;
  self->custom_last = last_day_ms;
  self->range = SEG_REPORT_RANGE_CUSTOM;
  if (gtk_drop_down_get_selected (self->range_dropdown) != SEG_REPORT_RANGE_CUSTOM)
    {
      g_autofree char *fa = NULL;
      g_autofree char *fb = NULL;
      g_autoptr(GDateTime) a = g_date_time_new_from_unix_utc (first_day_ms / 1000);
      g_autoptr(GDateTime) b = g_date_time_new_from_unix_utc (last_day_ms / 1000);
      g_autoptr(GDateTime) la = g_date_time_to_timezone (a, timezone_of (self));
      g_autoptr(GDateTime) lb = g_date_time_to_timezone (b, timezone_of (self));

      fa = g_date_time_format (la, "%Y-%m-%d");
      fb = g_date_time_format (lb, "%Y-%m-%d");
      gtk_editable_set_text (GTK_EDITABLE (self->from_entry), fa);
      gtk_editable_set_text (GTK_EDITABLE (self->to_entry), fb);
      gtk_drop_down_set_selected (self->range_dropdown, SEG_REPORT_RANGE_CUSTOM);
    }
  start_trend (self);
}

/**
 * seg_segment_report_select_day:
 * @day_ms: the midnight of a day the trend shows
 *
 * Shows who qualified on that day, and who joined and left since the day before.
 */
void
seg_segment_report_select_day (SegSegmentReport *self,
                               gint64            day_ms)
{
  guint position;

  g_return_if_fail (SEG_IS_SEGMENT_REPORT (self));

  count_of_day (self, day_ms, &position);
  if (position == GTK_INVALID_LIST_POSITION)
    return;
  self->syncing = TRUE;
  seg_chart_set_selected (SEG_CHART (self->trend_chart), (int) position);
  gtk_single_selection_set_selected (self->trend_selection, position);
  self->syncing = FALSE;
  if (day_ms == self->selected_day && gtk_widget_get_visible (GTK_WIDGET (self->day_box)))
    return;
  self->selected_day = day_ms;
  start_day (self);
}

gint64
seg_segment_report_get_selected_day (SegSegmentReport *self)
{
  g_return_val_if_fail (SEG_IS_SEGMENT_REPORT (self), 0);
  return self->selected_day;
}

/**
 * seg_segment_report_get_now:
 *
 * Returns: the instant the size was evaluated for (the store's "now")
 */
gint64
seg_segment_report_get_now (SegSegmentReport *self)
{
  g_return_val_if_fail (SEG_IS_SEGMENT_REPORT (self), 0);
  return self->now_ms;
}

/**
 * seg_segment_report_get_days:
 *
 * Returns: (transfer none): the #SegReportDay rows the trend and its table show
 */
GListModel *
seg_segment_report_get_days (SegSegmentReport *self)
{
  g_return_val_if_fail (SEG_IS_SEGMENT_REPORT (self), NULL);
  return G_LIST_MODEL (self->trend_model);
}

/**
 * seg_segment_report_get_sample:
 *
 * Returns: (transfer none): the sample users of the selected day (#GtkStringObject)
 */
GListModel *
seg_segment_report_get_sample (SegSegmentReport *self)
{
  g_return_val_if_fail (SEG_IS_SEGMENT_REPORT (self), NULL);
  return G_LIST_MODEL (self->sample_model);
}

/**
 * seg_segment_report_export:
 * @fields: (nullable): profile properties after the id, for %SEG_MEMBER_EXPORT_CSV
 * @file: where to write; replaced only when the export succeeds
 *
 * Exports the segment's members as the "Do more" actions do after their dialogs, with
 * the progress row, Cancel and a toast at the end.
 */
void
seg_segment_report_export (SegSegmentReport      *self,
                           SegMemberExportFormat  format,
                           const char * const    *fields,
                           GFile                 *file)
{
  g_return_if_fail (SEG_IS_SEGMENT_REPORT (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (definition_of (self) != NULL);
  g_return_if_fail (self->export == NULL);

  self->export_format = format;
  g_clear_pointer (&self->export_fields, g_strfreev);
  self->export_fields = fields != NULL ? g_strdupv ((char **) fields) : NULL;
  start_export (self, file);
}

/**
 * seg_segment_report_set_live_section:
 * @section: (nullable): the live part of a live segment's report (a widget of the window's
 *   live layer: the streaming chart and the users trickling in), or %NULL to remove it
 *
 * Shows @section between the size and the days. The report itself knows nothing of the
 * live engine; the window gives it this part.
 */
void
seg_segment_report_set_live_section (SegSegmentReport *self,
                                     GtkWidget        *section)
{
  g_return_if_fail (SEG_IS_SEGMENT_REPORT (self));
  g_return_if_fail (section == NULL || GTK_IS_WIDGET (section));

  if (self->live_section != NULL)
    gtk_box_remove (self->live_box, self->live_section);
  self->live_section = section;
  if (section != NULL)
    gtk_box_append (self->live_box, section);
  gtk_widget_set_visible (GTK_WIDGET (self->live_box), section != NULL);
}

/**
 * seg_segment_report_get_live_section:
 *
 * Returns: (transfer none) (nullable): the live part given by the window, if any
 */
GtkWidget *
seg_segment_report_get_live_section (SegSegmentReport *self)
{
  g_return_val_if_fail (SEG_IS_SEGMENT_REPORT (self), NULL);
  return self->live_section;
}

/**
 * seg_segment_report_get_reach:
 * @channel: a channel
 *
 * Returns: the number of members reachable on @channel the page shows, or -1 before the
 *   size is known
 */
gint64
seg_segment_report_get_reach (SegSegmentReport *self,
                              SegChannel        channel)
{
  const SegChartPoint *points;
  guint n;

  g_return_val_if_fail (SEG_IS_SEGMENT_REPORT (self), -1);
  g_return_val_if_fail (channel < SEG_N_CHANNELS, -1);

  points = seg_chart_series_get_points (self->reach_series, &n);
  if (channel >= n)
    return -1;
  return (gint64) points[channel].y;
}
