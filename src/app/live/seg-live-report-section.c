/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-live-report-section"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "charts/seg-chart.h"
#include "charts/seg-line-layer.h"
#include "seg-format.h"
#include "seg-live-arrival.h"
#include "seg-live-arrival-list.h"
#include "seg-live-report-section.h"
#include "seg-segment.h"

/* The streaming chart shows this much of the recent past, at one point a second. */
#define WINDOW_MS (2 * 60 * 1000)
#define MAX_POINTS 600

struct _SegLiveReportSection
{
  GtkWidget           parent_instance;

  SegLiveController  *controller;
  char               *segment_id;
  GtkWidget          *chart;
  SegChartSeries     *rate_series;    /* users qualifying for this segment per second */
  SegChartSeries     *events_series;  /* events per second through the live engine */
  guint               new_arrivals;   /* of this segment since the last tick */
  gboolean            receiving;
  guint               members_id;     /* a members-changed emission is due */

  GtkWidget          *status_box;
  GtkImage           *status_icon;
  GtkLabel           *status_label;
  GtkWidget          *today_button;
  GtkBox             *chart_box;
  GtkLabel           *rate_label;
  SegLiveArrivalList *arrivals;
};

enum {
  PROP_0,
  PROP_CONTROLLER,
  PROP_SEGMENT_ID,
  N_PROPS
};

enum {
  USER_ACTIVATED,
  MEMBERS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SegLiveReportSection, seg_live_report_section, GTK_TYPE_WIDGET)

static gboolean
runs_segment (SegLiveReportSection *self)
{
  GListModel *segments = seg_live_controller_get_segments (self->controller);

  for (guint i = 0; i < g_list_model_get_n_items (segments); i++)
    {
      g_autoptr(SegSegment) seg = g_list_model_get_item (segments, i);

      if (g_strcmp0 (seg_segment_get_id (seg), self->segment_id) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Says plainly whether anyone can qualify here right now, and why not. */
static void
update_status (SegLiveReportSection *self)
{
  g_autofree char *text = NULL;
  gboolean streams = FALSE;
  gboolean offer_today = FALSE;

  if (self->controller == NULL)
    text = g_strdup (_("The live engine is not running in this window, so nobody qualifies here "
                       "now. Open this segment from the segment list of an open store to follow it live."));
  else if (!seg_live_controller_is_loaded (self->controller))
    text = g_strdup (_("The live engine is starting…"));
  else if (!runs_segment (self))
    text = g_strdup (_("The live engine does not run this segment: its trigger could not be read. "
                       "Edit the segment to fix it."));
  else
    {
      GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);

      if (seg_live_controller_is_ingesting (self->controller))
        g_ptr_array_add (parts, g_strdup_printf (_("the ingest endpoint on port %u"),
                                                 seg_live_controller_get_ingest_port (self->controller)));
      if (seg_live_controller_get_tail (self->controller) != NULL)
        g_ptr_array_add (parts, g_strdup (_("a followed file")));
      if (seg_live_controller_get_replay (self->controller) != NULL
          && !seg_live_replay_is_finished (seg_live_controller_get_replay (self->controller)))
        g_ptr_array_add (parts, g_strdup (_("a replay")));
      streams = parts->len > 0;
      if (streams)
        {
          g_ptr_array_add (parts, NULL);
          {
            g_autofree char *list = g_strjoinv (", ", (char **) parts->pdata);

            /* Translators: %s lists the live streams, e.g. "the ingest endpoint on port 8765, a replay" */
            text = g_strdup_printf (_("Live: events arrive through %s."), list);
          }
        }
      else
        {
          text = g_strdup (_("The live engine runs this segment, but no events are arriving: switch "
                             "on the ingest endpoint, follow a file or replay events on the Today page."));
          offer_today = TRUE;
        }
      g_ptr_array_unref (parts);
    }

  self->receiving = streams;
  gtk_label_set_text (self->status_label, text);
  gtk_image_set_from_icon_name (self->status_icon, streams ? "media-record-symbolic"
                                                           : "media-playback-pause-symbolic");
  if (streams)
    gtk_widget_add_css_class (self->status_box, "live-on");
  else
    gtk_widget_remove_css_class (self->status_box, "live-on");
  gtk_widget_set_visible (self->today_button, offer_today);
}

static void
append_recent (SegChartSeries *series,
               double          x,
               double          y)
{
  guint n;
  const SegChartPoint *points = seg_chart_series_get_points (series, &n);

  /* A window open for hours would otherwise grow the series without end. */
  if (n >= MAX_POINTS)
    {
      g_autofree SegChartPoint *keep = g_memdup2 (points + n - MAX_POINTS / 2,
                                                  (MAX_POINTS / 2) * sizeof *points);

      seg_chart_series_set_points (series, keep, MAX_POINTS / 2);
    }
  seg_chart_series_append (series, x, y);
}

static void
tick_cb (SegLiveController    *controller,
         double                events_per_second,
         double                quals_per_second,
         SegLiveReportSection *self)
{
  double now = (double) (g_get_real_time () / 1000);
  g_autofree char *events = NULL;
  g_autofree char *users = NULL;
  g_autofree char *members = NULL;
  g_autofree char *text = NULL;
  SegLiveEngine *engine = seg_live_controller_get_engine (controller);

  append_recent (self->rate_series, now, (double) self->new_arrivals);
  append_recent (self->events_series, now, events_per_second);
  seg_chart_set_x_range (SEG_CHART (self->chart), now - WINDOW_MS, now);
  events = seg_format_count ((guint64) (events_per_second + 0.5));
  users = seg_format_count (self->new_arrivals);
  members = seg_format_count (engine ? seg_live_engine_get_n_members (engine, self->segment_id) : 0);
  /* Translators: under the live chart; the numbers of the last second, then the members */
  text = g_strdup_printf (g_dngettext (NULL,
                                       "Last second: %s user qualified for this segment · %s events "
                                       "through the live engine · %s members so far",
                                       "Last second: %s users qualified for this segment · %s events "
                                       "through the live engine · %s members so far",
                                       self->new_arrivals),
                          users, events, members);
  gtk_label_set_text (self->rate_label, text);
  self->new_arrivals = 0;
  update_status (self);
}

/* The stored members changed: the engine writes them to the store about once a second,
 * so they are written now (a few rows) before the report counts them again. At most one
 * emission every two seconds, however fast users pour in. */
static gboolean
members_changed_cb (gpointer data)
{
  SegLiveReportSection *self = data;
  SegLiveEngine *engine = self->controller ? seg_live_controller_get_engine (self->controller) : NULL;
  g_autoptr(GError) error = NULL;

  self->members_id = 0;
  if (engine != NULL && !seg_live_engine_flush (engine, &error))
    g_warning ("Could not store live memberships: %s", error->message);
  g_signal_emit (self, signals[MEMBERS_CHANGED], 0);
  return G_SOURCE_REMOVE;
}

static void
arrivals_changed_cb (GListModel           *model,
                     guint                 position,
                     guint                 removed,
                     guint                 added,
                     SegLiveReportSection *self)
{
  /* New arrivals are inserted at the top. */
  if (position != 0)
    return;
  for (guint i = 0; i < added; i++)
    {
      g_autoptr(SegLiveArrival) arrival = g_list_model_get_item (model, i);

      if (g_strcmp0 (seg_live_arrival_get_segment_id (arrival), self->segment_id) == 0)
        {
          self->new_arrivals++;
          if (self->members_id == 0)
            self->members_id = g_timeout_add (2000, members_changed_cb, self);
        }
    }
}

static void
engine_changed_cb (SegLiveReportSection *self)
{
  update_status (self);
}

static void
user_activated_cb (SegLiveReportSection *self,
                   const char           *user_id)
{
  g_signal_emit (self, signals[USER_ACTIVATED], 0, user_id);
}

static void
disconnect_controller (SegLiveReportSection *self)
{
  if (self->controller == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->controller, self);
  /* A controller disposed with its store has dropped its list already. */
  if (seg_live_controller_get_arrivals (self->controller) != NULL)
    g_signal_handlers_disconnect_by_data (seg_live_controller_get_arrivals (self->controller), self);
  g_clear_object (&self->controller);
}

static void
seg_live_report_section_dispose (GObject *object)
{
  SegLiveReportSection *self = SEG_LIVE_REPORT_SECTION (object);

  g_clear_handle_id (&self->members_id, g_source_remove);
  disconnect_controller (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SEG_TYPE_LIVE_REPORT_SECTION);
  /* The template's unnamed children (frames, headings) are unparented here. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->rate_series);
  g_clear_object (&self->events_series);

  G_OBJECT_CLASS (seg_live_report_section_parent_class)->dispose (object);
}

static void
seg_live_report_section_finalize (GObject *object)
{
  SegLiveReportSection *self = SEG_LIVE_REPORT_SECTION (object);

  g_free (self->segment_id);

  G_OBJECT_CLASS (seg_live_report_section_parent_class)->finalize (object);
}

static void
seg_live_report_section_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  SegLiveReportSection *self = SEG_LIVE_REPORT_SECTION (object);

  switch (prop_id)
    {
    case PROP_CONTROLLER:
      g_value_set_object (value, self->controller);
      break;
    case PROP_SEGMENT_ID:
      g_value_set_string (value, self->segment_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_live_report_section_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  SegLiveReportSection *self = SEG_LIVE_REPORT_SECTION (object);

  switch (prop_id)
    {
    case PROP_CONTROLLER:
      seg_live_report_section_set_controller (self, g_value_get_object (value));
      break;
    case PROP_SEGMENT_ID:
      self->segment_id = g_value_dup_string (value);
      seg_live_arrival_list_set_segment_id (self->arrivals, self->segment_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_live_report_section_class_init (SegLiveReportSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = seg_live_report_section_dispose;
  object_class->finalize = seg_live_report_section_finalize;
  object_class->get_property = seg_live_report_section_get_property;
  object_class->set_property = seg_live_report_section_set_property;

  properties[PROP_CONTROLLER] =
    g_param_spec_object ("controller", NULL, NULL, SEG_TYPE_LIVE_CONTROLLER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEGMENT_ID] =
    g_param_spec_string ("segment-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[USER_ACTIVATED] =
    g_signal_new ("user-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[MEMBERS_CHANGED] =
    g_signal_new ("members-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (SEG_TYPE_LIVE_ARRIVAL_LIST);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/live/seg-live-report-section.ui");
  gtk_widget_class_bind_template_child (widget_class, SegLiveReportSection, status_box);
  gtk_widget_class_bind_template_child (widget_class, SegLiveReportSection, status_icon);
  gtk_widget_class_bind_template_child (widget_class, SegLiveReportSection, status_label);
  gtk_widget_class_bind_template_child (widget_class, SegLiveReportSection, today_button);
  gtk_widget_class_bind_template_child (widget_class, SegLiveReportSection, chart_box);
  gtk_widget_class_bind_template_child (widget_class, SegLiveReportSection, rate_label);
  gtk_widget_class_bind_template_child (widget_class, SegLiveReportSection, arrivals);
  gtk_widget_class_bind_template_callback (widget_class, user_activated_cb);
  gtk_widget_class_set_css_name (widget_class, "livereport");
}

static void
seg_live_report_section_init (SegLiveReportSection *self)
{
  SegChartLayer *layer;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->chart = seg_chart_new ();
  seg_chart_set_title (SEG_CHART (self->chart), _("Qualifying vs. all events, per second"));
  seg_chart_set_x_axis (SEG_CHART (self->chart), SEG_CHART_X_AXIS_TIME);
  seg_chart_set_show_legend (SEG_CHART (self->chart), TRUE);
  seg_chart_set_empty_text (SEG_CHART (self->chart), _("The chart starts with the next second"));
  layer = seg_line_layer_new ();
  self->events_series = seg_chart_series_new (_("All events"));
  seg_chart_layer_add_series (layer, self->events_series);
  self->rate_series = seg_chart_series_new (_("Qualifying"));
  seg_chart_layer_add_series (layer, self->rate_series);
  seg_chart_add_layer (SEG_CHART (self->chart), layer);
  gtk_widget_set_size_request (self->chart, -1, 200);
  gtk_box_append (self->chart_box, self->chart);
  update_status (self);
}

/**
 * seg_live_report_section_new:
 * @controller: (nullable): the window's live controller
 * @segment_id: the live segment shown
 *
 * Returns: (transfer floating): the live part of @segment_id's report
 */
GtkWidget *
seg_live_report_section_new (SegLiveController *controller,
                             const char        *segment_id)
{
  g_return_val_if_fail (segment_id != NULL, NULL);

  return g_object_new (SEG_TYPE_LIVE_REPORT_SECTION,
                       "segment-id", segment_id,
                       "controller", controller,
                       NULL);
}

SegLiveController *
seg_live_report_section_get_controller (SegLiveReportSection *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_REPORT_SECTION (self), NULL);
  return self->controller;
}

/**
 * seg_live_report_section_set_controller:
 * @controller: (nullable): the live controller of the window's store, %NULL when none runs
 */
void
seg_live_report_section_set_controller (SegLiveReportSection *self,
                                        SegLiveController    *controller)
{
  g_return_if_fail (SEG_IS_LIVE_REPORT_SECTION (self));

  if (self->controller == controller)
    return;
  disconnect_controller (self);
  if (controller != NULL)
    {
      self->controller = g_object_ref (controller);
      g_signal_connect (controller, "tick", G_CALLBACK (tick_cb), self);
      g_signal_connect_swapped (controller, "engine-changed", G_CALLBACK (engine_changed_cb), self);
      g_signal_connect (seg_live_controller_get_arrivals (controller), "items-changed",
                        G_CALLBACK (arrivals_changed_cb), self);
    }
  seg_live_arrival_list_set_controller (self->arrivals, controller);
  seg_chart_series_clear (self->rate_series);
  seg_chart_series_clear (self->events_series);
  self->new_arrivals = 0;
  update_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTROLLER]);
}

const char *
seg_live_report_section_get_segment_id (SegLiveReportSection *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_REPORT_SECTION (self), NULL);
  return self->segment_id;
}

/**
 * seg_live_report_section_get_rate_series:
 *
 * Returns: (transfer none): users qualifying for the segment per second, one point a tick
 */
SegChartSeries *
seg_live_report_section_get_rate_series (SegLiveReportSection *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_REPORT_SECTION (self), NULL);
  return self->rate_series;
}

/**
 * seg_live_report_section_get_events_series:
 *
 * Returns: (transfer none): events per second through the live engine, one point a tick
 */
SegChartSeries *
seg_live_report_section_get_events_series (SegLiveReportSection *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_REPORT_SECTION (self), NULL);
  return self->events_series;
}

/**
 * seg_live_report_section_get_arrivals:
 *
 * Returns: (transfer none): the SegLiveArrival rows of this segment the list shows, newest first
 */
GListModel *
seg_live_report_section_get_arrivals (SegLiveReportSection *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_REPORT_SECTION (self), NULL);
  return seg_live_arrival_list_get_model (self->arrivals);
}

/**
 * seg_live_report_section_get_status:
 *
 * Returns: the sentence saying whether the segment runs live now, and if not why
 */
const char *
seg_live_report_section_get_status (SegLiveReportSection *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_REPORT_SECTION (self), NULL);
  return gtk_label_get_text (self->status_label);
}

/**
 * seg_live_report_section_is_receiving:
 *
 * Returns: whether a stream is on (ingest endpoint, followed file, replay)
 */
gboolean
seg_live_report_section_is_receiving (SegLiveReportSection *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_REPORT_SECTION (self), FALSE);
  return self->receiving;
}
