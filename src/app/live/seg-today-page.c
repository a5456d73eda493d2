/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-today-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "charts/seg-bar-layer.h"
#include "charts/seg-chart.h"
#include "charts/seg-chart-series.h"
#include "charts/seg-line-layer.h"
#include "seg-format.h"
#include "seg-live-arrival.h"
#include "seg-live-arrival-list.h"
#include "seg-segment.h"
#include "seg-today-page.h"

/* The streaming charts show this much of the recent past. */
#define WINDOW_MS (5 * 60 * 1000)
/* Active users: those with an event this recently. */
#define ACTIVE_WINDOW_MS (5 * 60 * 1000)

struct _SegTodayPage
{
  GtkWidget          parent_instance;

  SegStore          *store;
  SegLiveController *controller;
  GSettings         *settings;

  GtkWidget         *scroller;
  AdwActionRow      *ingest_row;
  GtkSwitch         *ingest_switch;
  AdwEntryRow       *address_row;
  AdwEntryRow       *port_row;
  AdwPasswordEntryRow *token_row;
  AdwActionRow      *tail_row;
  GtkWidget         *tail_stop;
  AdwActionRow      *replay_row;
  GtkSpinButton     *replay_speed;
  GtkWidget         *replay_stop;
  AdwActionRow      *store_replay_row;
  GtkDropDown       *store_replay_range;
  GCancellable      *replay_cancellable;
  GtkDropDown       *filter;
  GtkStringList     *filter_names;
  GPtrArray         *filter_ids;     /* segment id per filter position, NULL = all */
  GtkWidget         *events_chart;
  SegChartSeries    *events_series;
  GtkWidget         *quals_chart;
  SegChartSeries    *quals_series;
  GtkLabel          *stats_label;
  GtkWidget         *days_frame;
  GtkWidget         *days_chart;
  SegChartSeries    *days_series;
  GHashTable        *days;           /* day ms → set of users, for the selected segment */
  gint64             days_from;      /* the selected segment's creation day */
  GCancellable      *days_cancellable;
  SegLiveArrivalList *users_list;

  char              *pending_select; /* asked for before the segments were listed */
  guint              new_arrivals;   /* arrivals in the selected segments since the last tick */
};

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

enum {
  USER_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SegTodayPage, seg_today_page, GTK_TYPE_WIDGET)

static const char *
selected_segment_id (SegTodayPage *self)
{
  guint pos = gtk_drop_down_get_selected (self->filter);

  if (self->filter_ids == NULL || pos == GTK_INVALID_LIST_POSITION || pos >= self->filter_ids->len)
    return NULL;
  return g_ptr_array_index (self->filter_ids, pos);
}

static const char *
segment_name (SegTodayPage *self,
              const char   *segment_id)
{
  for (guint i = 1; i < self->filter_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->filter_ids, i), segment_id) == 0)
      return gtk_string_list_get_string (self->filter_names, i);
  return segment_id;
}

static gboolean
arrival_filter_func (gpointer item,
                     gpointer user_data)
{
  SegTodayPage *self = user_data;

  return seg_live_arrival_list_matches (self->users_list, item);
}

static void
update_days_chart (SegTodayPage *self)
{
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (SegChartPoint));
  gint64 today, day;

  if (self->days == NULL)
    {
      seg_chart_series_clear (self->days_series);
      return;
    }
  today = seg_live_controller_day_of (self->controller, g_get_real_time () / 1000);
  day = MIN (self->days_from, today);
  /* Every day since the segment was made, the quiet ones as zero. */
  for (guint guard = 0; day <= today && guard < 3660; guard++)
    {
      GHashTable *users = g_hash_table_lookup (self->days, &day);
      SegChartPoint p = { (double) day, users ? (double) g_hash_table_size (users) : 0 };

      g_array_append_val (points, p);
      day = seg_live_controller_day_of (self->controller, day + 36 * 3600 * 1000);
    }
  seg_chart_series_set_points (self->days_series, (SegChartPoint *) points->data, points->len);
}

static void
add_to_days (SegTodayPage   *self,
             SegLiveArrival *arrival)
{
  gint64 day = seg_live_controller_day_of (self->controller, seg_live_arrival_get_ts (arrival));
  GHashTable *users = g_hash_table_lookup (self->days, &day);

  if (users == NULL)
    {
      users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (self->days, g_memdup2 (&day, sizeof day), users);
    }
  g_hash_table_add (users, g_strdup (seg_live_arrival_get_user_id (arrival)));
}

static void
days_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SegTodayPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) days = NULL;

  days = seg_live_controller_load_days_finish (SEG_LIVE_CONTROLLER (source), result, &error);
  if (self->controller != SEG_LIVE_CONTROLLER (source))
    return;
  if (days == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        seg_chart_set_empty_text (SEG_CHART (self->days_chart), error->message);
      return;
    }
  if (self->controller != SEG_LIVE_CONTROLLER (source))
    return;
  g_clear_pointer (&self->days, g_hash_table_unref);
  self->days = g_steal_pointer (&days);
  /* The engine writes memberships to the store about once a second: the users listed
   * already may not be stored yet, and are counted from the list (sets drop repeats). */
  {
    GListModel *arrivals = seg_live_controller_get_arrivals (self->controller);

    for (guint i = 0; i < g_list_model_get_n_items (arrivals); i++)
      {
        g_autoptr(SegLiveArrival) arrival = g_list_model_get_item (arrivals, i);

        if (arrival_filter_func (arrival, self))
          add_to_days (self, arrival);
      }
  }
  update_days_chart (self);
}

static void
update_stats (SegTodayPage *self)
{
  SegLiveEngine *engine;
  SegLiveEngineStats st;
  g_autofree char *events = NULL;
  g_autofree char *users = NULL;
  g_autofree char *active = NULL;
  g_autofree char *held = NULL;
  g_autofree char *text = NULL;
  gint64 now;

  engine = self->controller ? seg_live_controller_get_engine (self->controller) : NULL;
  if (engine == NULL)
    {
      gtk_label_set_text (self->stats_label, _("The live engine is not running: open a store."));
      return;
    }
  seg_live_engine_get_stats (engine, &st);
  events = seg_format_count (seg_live_controller_get_events_last_minute (self->controller));
  users = seg_format_count (st.n_users);
  now = seg_live_clock_get_now (seg_live_engine_get_clock (engine));
  active = seg_format_count (seg_live_engine_count_active_users (engine, now - ACTIVE_WINDOW_MS));
  held = g_format_size (st.bytes_held + st.bytes_members);
  /* Translators: the live engine's state, shown on the Today page. */
  text = g_strdup_printf (_("%s active users in the last 5 minutes · %s events in the last minute · "
                            "%u live segments running · %s users tracked · %u pending deadlines · "
                            "%s held in memory"),
                          active, events, seg_live_engine_get_n_segments (engine), users,
                          st.pending_timers, held);
  engine = seg_live_controller_get_replay_engine (self->controller);
  if (engine != NULL)
    {
      SegLiveReplay *replay = seg_live_controller_get_replay (self->controller);
      g_autofree char *replay_held = NULL;
      char *more;

      seg_live_engine_get_stats (engine, &st);
      replay_held = g_format_size (st.bytes_held + st.bytes_members);
      /* Translators: the replay's engine state, after the live engine's. */
      more = g_strdup_printf (_("%s\nReplay: %u of %u events played · %u users tracked · "
                                "%u pending deadlines · %s held in memory"),
                              text, seg_live_replay_get_n_played (replay),
                              seg_live_replay_get_n_records (replay), st.n_users,
                              st.pending_timers, replay_held);
      g_free (text);
      text = more;
    }
  gtk_label_set_text (self->stats_label, text);
}

static void update_tail_row (SegTodayPage *self);
static void update_store_replay_row (SegTodayPage *self);

static void
trim_and_append (SegChartSeries *series,
                 double          now,
                 double          value)
{
  const SegChartPoint *points;
  guint n, first = 0;

  points = seg_chart_series_get_points (series, &n);
  while (first < n && points[first].x < now - WINDOW_MS)
    first++;
  /* Points older than the window are dropped so a long session does not grow the chart. */
  if (first > 60)
    {
      g_autofree SegChartPoint *keep = g_memdup2 (points + first, (n - first) * sizeof *points);

      seg_chart_series_set_points (series, keep, n - first);
    }
  seg_chart_series_append (series, now, value);
}

static void
tick_cb (SegLiveController *controller,
         double             events_per_second,
         double             quals_per_second,
         SegTodayPage      *self)
{
  double now = (double) (g_get_real_time () / 1000);

  trim_and_append (self->events_series, now,
                   (double) seg_live_controller_get_events_last_minute (controller));
  trim_and_append (self->quals_series, now, (double) self->new_arrivals);
  self->new_arrivals = 0;
  update_tail_row (self);
  update_store_replay_row (self);
  seg_chart_set_x_range (SEG_CHART (self->events_chart), now - WINDOW_MS, now);
  seg_chart_set_x_range (SEG_CHART (self->quals_chart), now - WINDOW_MS, now);
  update_stats (self);
}

static void
arrivals_changed_cb (GListModel   *model,
                     guint         position,
                     guint         removed,
                     guint         added,
                     SegTodayPage *self)
{
  /* New arrivals are inserted at the top; count those the filter lets through. */
  if (position != 0)
    return;
  for (guint i = 0; i < added; i++)
    {
      g_autoptr(SegLiveArrival) arrival = g_list_model_get_item (model, i);

      if (arrival_filter_func (arrival, self))
        {
          self->new_arrivals++;
          if (self->days != NULL)
            add_to_days (self, arrival);
        }
    }
  if (self->days != NULL && added > 0)
    update_days_chart (self);
}

static void filter_selected_cb (SegTodayPage *self);

static void
rebuild_filter (SegTodayPage *self)
{
  GListModel *segments = seg_live_controller_get_segments (self->controller);
  g_autofree char *previous = self->pending_select ? g_steal_pointer (&self->pending_select)
                                                   : g_strdup (selected_segment_id (self));
  guint n = g_list_model_get_n_items (segments);
  guint select = 0;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  g_ptr_array_set_size (self->filter_ids, 0);
  g_ptr_array_add (self->filter_ids, NULL);
  g_ptr_array_add (names, (gpointer) _("All live segments"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SegSegment) seg = g_list_model_get_item (segments, i);

      g_ptr_array_add (self->filter_ids, g_strdup (seg_segment_get_id (seg)));
      g_ptr_array_add (names, (gpointer) seg_segment_get_name (seg));
      if (g_strcmp0 (previous, seg_segment_get_id (seg)) == 0)
        select = i + 1;
    }
  g_ptr_array_add (names, NULL);
  gtk_string_list_splice (self->filter_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->filter_names)),
                          (const char * const *) names->pdata);
  g_signal_handlers_block_by_func (self->filter, filter_selected_cb, self);
  gtk_drop_down_set_selected (self->filter, select);
  g_signal_handlers_unblock_by_func (self->filter, filter_selected_cb, self);
  filter_selected_cb (self);
}

static void
engine_changed_cb (SegLiveController *controller,
                   SegTodayPage      *self)
{
  /* The endpoint the user left on comes back on with the store. */
  if (self->settings != NULL && !seg_live_controller_is_ingesting (controller)
      && g_settings_get_boolean (self->settings, "live-ingest-enabled"))
    {
      g_autofree char *address = g_settings_get_string (self->settings, "live-ingest-address");

      seg_today_page_set_ingest (self, TRUE, address,
                                 g_settings_get_uint (self->settings, "live-ingest-port"));
    }
  rebuild_filter (self);
  update_stats (self);
}

static void
filter_selected_cb (SegTodayPage *self)
{
  const char *id = selected_segment_id (self);

  seg_live_arrival_list_set_segment_id (self->users_list, id);
  g_cancellable_cancel (self->days_cancellable);
  g_clear_object (&self->days_cancellable);
  g_clear_pointer (&self->days, g_hash_table_unref);
  seg_chart_series_clear (self->days_series);
  gtk_widget_set_visible (self->days_frame, id != NULL && self->controller != NULL);
  if (id != NULL && self->controller != NULL)
    {
      GListModel *segments = seg_live_controller_get_segments (self->controller);

      self->days_from = g_get_real_time () / 1000;
      for (guint i = 0; i < g_list_model_get_n_items (segments); i++)
        {
          g_autoptr(SegSegment) seg = g_list_model_get_item (segments, i);

          if (g_strcmp0 (seg_segment_get_id (seg), id) == 0 && seg_segment_get_created (seg) > 0)
            self->days_from = seg_segment_get_created (seg);
        }
      self->days_from = seg_live_controller_day_of (self->controller, self->days_from);
      {
        /* Translators: %s is the name of a live segment. */
        g_autofree char *title = g_strdup_printf (_("Users qualified per day · %s"), segment_name (self, id));

        seg_chart_set_title (SEG_CHART (self->days_chart), title);
      }
      self->days_cancellable = g_cancellable_new ();
      seg_live_controller_load_days_async (self->controller, id, self->days_cancellable,
                                           days_loaded_cb, g_object_ref (self));
    }

}

static void
set_ingest_subtitle (SegTodayPage *self,
                     const char   *error)
{
  g_autofree char *text = NULL;

  if (error != NULL)
    text = g_markup_escape_text (error, -1);
  else if (self->controller != NULL && seg_live_controller_is_ingesting (self->controller))
    {
      const char *addr = gtk_editable_get_text (GTK_EDITABLE (self->address_row));

      text = g_strdup_printf (_("Listening on http://%s:%u/1/upload"),
                              *addr ? addr : "127.0.0.1",
                              seg_live_controller_get_ingest_port (self->controller));
    }
  else
    text = g_strdup (_("Accept CleverTap upload requests over HTTP"));
  adw_action_row_set_subtitle (self->ingest_row, text);
}

/**
 * seg_today_page_set_ingest:
 * @enabled: whether the endpoint listens
 * @address: (nullable): the address to bind, 127.0.0.1 by default
 * @port: the port, 0 for any free one
 *
 * Returns: %TRUE if the endpoint is in the state asked for; on failure the reason is shown
 */
gboolean
seg_today_page_set_ingest (SegTodayPage *self,
                           gboolean      enabled,
                           const char   *address,
                           guint         port)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *port_text = NULL;
  const char *token;
  gboolean ok = TRUE;

  g_return_val_if_fail (SEG_IS_TODAY_PAGE (self), FALSE);

  if (address != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->address_row), address);
  port_text = g_strdup_printf ("%u", port);
  gtk_editable_set_text (GTK_EDITABLE (self->port_row), port_text);

  if (self->controller == NULL)
    ok = !enabled;
  else if (!enabled)
    seg_live_controller_stop_ingest (self->controller);
  else
    {
      token = gtk_editable_get_text (GTK_EDITABLE (self->token_row));
      ok = seg_live_controller_start_ingest (self->controller,
                                             gtk_editable_get_text (GTK_EDITABLE (self->address_row)),
                                             port, token, &error);
    }
  g_signal_handlers_block_matched (self->ingest_switch, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_switch_set_active (self->ingest_switch,
                         self->controller != NULL && seg_live_controller_is_ingesting (self->controller));
  g_signal_handlers_unblock_matched (self->ingest_switch, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  set_ingest_subtitle (self, error ? error->message : (ok ? NULL : _("Open a store first")));
  return ok;
}

static gboolean
ingest_switch_cb (GtkSwitch    *sw,
                  gboolean      state,
                  SegTodayPage *self)
{
  guint64 port = 0;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->port_row));

  if (*text != '\0' && !g_ascii_string_to_unsigned (text, 10, 0, 65535, &port, NULL))
    {
      set_ingest_subtitle (self, _("The port must be a number from 0 to 65535 (0 = any free port)"));
      gtk_switch_set_state (sw, FALSE);
      return TRUE;
    }
  seg_today_page_set_ingest (self, state, NULL, (guint) port);
  if (self->settings != NULL)
    {
      g_settings_set_boolean (self->settings, "live-ingest-enabled", gtk_switch_get_active (sw));
      g_settings_set_string (self->settings, "live-ingest-address",
                             gtk_editable_get_text (GTK_EDITABLE (self->address_row)));
      g_settings_set_uint (self->settings, "live-ingest-port", (guint) port);
    }
  gtk_switch_set_state (sw, gtk_switch_get_active (sw));
  return TRUE;
}

static void
address_changed_cb (SegTodayPage *self)
{
  const char *addr = gtk_editable_get_text (GTK_EDITABLE (self->address_row));

  /* Off this computer, uploads must carry a bearer token. */
  gtk_widget_set_visible (GTK_WIDGET (self->token_row),
                          *addr != '\0' && g_strcmp0 (addr, "127.0.0.1") != 0
                          && g_strcmp0 (addr, "::1") != 0 && g_strcmp0 (addr, "localhost") != 0);
}

static void
user_activated_cb (SegTodayPage *self,
                   const char   *user_id)
{
  g_signal_emit (self, signals[USER_ACTIVATED], 0, user_id);
}

static void
replay_started_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SegTodayPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!seg_live_controller_start_replay_finish (SEG_LIVE_CONTROLLER (source), result, &error)
      || self->controller != SEG_LIVE_CONTROLLER (source))
    {
      if (self->controller != SEG_LIVE_CONTROLLER (source))
        return;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_action_row_set_subtitle (self->replay_row, error->message);
      return;
    }
  text = g_strdup_printf (_("Playing %u events at %g×"),
                          seg_live_replay_get_n_records (seg_live_controller_get_replay (SEG_LIVE_CONTROLLER (source))),
                          gtk_spin_button_get_value (self->replay_speed));
  adw_action_row_set_subtitle (self->replay_row, text);
  gtk_widget_set_sensitive (self->replay_stop, TRUE);
  update_stats (self);
}

/**
 * seg_today_page_start_replay:
 * @path: a JSON-lines file of upload elements
 * @speed: 1 to 1000 times real time
 *
 * Plays @path through the live segments, loading it off the UI thread.
 */
void
seg_today_page_start_replay (SegTodayPage *self,
                             const char   *path,
                             double        speed)
{
  g_return_if_fail (SEG_IS_TODAY_PAGE (self));

  if (self->controller == NULL)
    return;
  g_cancellable_cancel (self->replay_cancellable);
  g_clear_object (&self->replay_cancellable);
  self->replay_cancellable = g_cancellable_new ();
  gtk_spin_button_set_value (self->replay_speed, speed);
  adw_action_row_set_subtitle (self->replay_row, _("Reading the file…"));
  seg_live_controller_start_replay_async (self->controller, path, speed, self->replay_cancellable,
                                          replay_started_cb, g_object_ref (self));
}

static void
replay_chosen_cb (GtkNativeDialog *dialog,
                  int              response,
                  SegTodayPage    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        seg_today_page_start_replay (self, path, gtk_spin_button_get_value (self->replay_speed));
      else
        adw_action_row_set_subtitle (self->replay_row, _("Choose a file on this computer"));
    }
  g_object_unref (dialog);
}

static void
replay_choose_cb (SegTodayPage *self)
{
  GtkFileChooserNative *chooser;
  GtkFileFilter *filter = gtk_file_filter_new ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  chooser = gtk_file_chooser_native_new (_("Replay Events"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Replay"), NULL);
  gtk_file_filter_set_name (filter, _("JSON lines"));
  gtk_file_filter_add_pattern (filter, "*.jsonl");
  gtk_file_filter_add_pattern (filter, "*.ndjson");
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  g_signal_connect (chooser, "response", G_CALLBACK (replay_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
replay_stop_cb (SegTodayPage *self)
{
  if (self->controller != NULL)
    seg_live_controller_stop_replay (self->controller);
  gtk_widget_set_sensitive (self->replay_stop, FALSE);
  adw_action_row_set_subtitle (self->replay_row, _("Play a JSON-lines export back, 1× to 1000× faster"));
  adw_action_row_set_subtitle (self->store_replay_row,
                               _("Play the events of this store back, at the speed above"));
  update_stats (self);
}

/* The ranges "Replay Stored Events" offers, in the order of its drop-down. */
enum {
  STORE_RANGE_TODAY,
  STORE_RANGE_YESTERDAY,
  STORE_RANGE_7_DAYS,
  STORE_RANGE_30_DAYS,
  STORE_RANGE_ALL,
};

static void
store_range (SegTodayPage *self,
             guint         range,
             gint64       *from,
             gint64       *to)
{
  gint64 now = g_get_real_time () / 1000;
  gint64 today = seg_live_controller_day_of (self->controller, now);
  /* Local midnights, stepped by calendar day (a day is not always 24 hours). */
  gint64 day_before = seg_live_controller_day_of (self->controller, today - 12 * 3600 * 1000);

  *to = now + 1;
  switch (range)
    {
    case STORE_RANGE_TODAY:
      *from = today;
      break;
    case STORE_RANGE_YESTERDAY:
      *from = day_before;
      *to = today;
      break;
    case STORE_RANGE_7_DAYS:
    case STORE_RANGE_30_DAYS:
      *from = today;
      for (guint i = 0; i < (range == STORE_RANGE_7_DAYS ? 6u : 29u); i++)
        *from = seg_live_controller_day_of (self->controller, *from - 12 * 3600 * 1000);
      break;
    case STORE_RANGE_ALL:
    default:
      *from = 0;
      break;
    }
}

static void
update_store_replay_row (SegTodayPage *self)
{
  SegLiveReplay *replay = self->controller ? seg_live_controller_get_replay (self->controller) : NULL;
  g_autofree char *text = NULL;
  g_autofree char *played = NULL;
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *when = NULL;

  if (replay == NULL || !seg_live_replay_is_from_store (replay))
    return;
  played = seg_format_count (seg_live_replay_get_n_played (replay));
  dt = g_date_time_new_from_unix_utc (seg_live_clock_get_now (seg_live_replay_get_clock (replay)) / 1000);
  local = g_date_time_to_timezone (dt, seg_store_get_timezone (self->store));
  when = g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
  if (seg_live_replay_is_finished (replay))
    /* Translators: %s is a number of events */
    text = g_strdup_printf (_("Played all %s events"), played);
  else
    /* Translators: the store's events being replayed: a number, then a date and time */
    text = g_strdup_printf (_("%s events played · replayed time %s"), played, when);
  adw_action_row_set_subtitle (self->store_replay_row, text);
}

static void
store_replay_started_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(SegTodayPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = seg_live_controller_start_replay_finish (SEG_LIVE_CONTROLLER (source), result, &error);

  if (self->controller != SEG_LIVE_CONTROLLER (source))
    return;
  if (!ok)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_action_row_set_subtitle (self->store_replay_row, error->message);
      return;
    }
  gtk_widget_set_sensitive (self->replay_stop, TRUE);
  update_store_replay_row (self);
  update_stats (self);
}

/**
 * seg_today_page_start_store_replay:
 * @from_ms: the first instant of the store's events to play
 * @to_ms: the end, excluded
 * @speed: 1 to 1000 times real time
 *
 * Plays the store's own events through the live segments; they are read in chunks off
 * the UI thread while they play. Stop it with the replay's stop button.
 */
void
seg_today_page_start_store_replay (SegTodayPage *self,
                                   gint64        from_ms,
                                   gint64        to_ms,
                                   double        speed)
{
  g_return_if_fail (SEG_IS_TODAY_PAGE (self));

  if (self->controller == NULL)
    return;
  g_cancellable_cancel (self->replay_cancellable);
  g_clear_object (&self->replay_cancellable);
  self->replay_cancellable = g_cancellable_new ();
  gtk_spin_button_set_value (self->replay_speed, speed);
  adw_action_row_set_subtitle (self->store_replay_row, _("Reading the store's events…"));
  seg_live_controller_start_store_replay_async (self->controller, from_ms, to_ms, speed,
                                                self->replay_cancellable,
                                                store_replay_started_cb, g_object_ref (self));
}

static void
store_replay_play_cb (SegTodayPage *self)
{
  gint64 from, to;

  if (self->controller == NULL)
    {
      adw_action_row_set_subtitle (self->store_replay_row, _("Open a store first"));
      return;
    }
  store_range (self, gtk_drop_down_get_selected (self->store_replay_range), &from, &to);
  seg_today_page_start_store_replay (self, from, to, gtk_spin_button_get_value (self->replay_speed));
}

static void
update_tail_row (SegTodayPage *self)
{
  SegLiveTail *tail = self->controller ? seg_live_controller_get_tail (self->controller) : NULL;
  g_autofree char *text = NULL;

  gtk_widget_set_sensitive (self->tail_stop, tail != NULL);
  if (tail == NULL)
    return;
  text = g_strdup_printf (_("%s: %" G_GUINT64_FORMAT " events read, %" G_GUINT64_FORMAT " lines skipped"),
                          (const char *) g_object_get_data (G_OBJECT (tail), "seg-path"),
                          seg_live_tail_get_n_records (tail), seg_live_tail_get_n_rejected (tail));
  adw_action_row_set_subtitle (self->tail_row, text);
}

/**
 * seg_today_page_start_tail:
 * @path: a JSON-lines file another program appends to
 *
 * Returns: %TRUE if @path is followed; on failure the reason is shown in the row
 */
gboolean
seg_today_page_start_tail (SegTodayPage *self,
                           const char   *path)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (SEG_IS_TODAY_PAGE (self), FALSE);

  if (self->controller == NULL
      || !seg_live_controller_start_tail (self->controller, path, FALSE, &error))
    {
      adw_action_row_set_subtitle (self->tail_row, error ? error->message : _("Open a store first"));
      gtk_widget_set_sensitive (self->tail_stop, FALSE);
      return FALSE;
    }
  g_object_set_data_full (G_OBJECT (seg_live_controller_get_tail (self->controller)), "seg-path",
                          g_path_get_basename (path), g_free);
  update_tail_row (self);
  return TRUE;
}

static void
tail_chosen_cb (GtkNativeDialog *dialog,
                int              response,
                SegTodayPage    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        seg_today_page_start_tail (self, path);
      else
        adw_action_row_set_subtitle (self->tail_row, _("Choose a file on this computer"));
    }
  g_object_unref (dialog);
}

static void
tail_choose_cb (SegTodayPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Follow a File"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Follow"), NULL);
  g_signal_connect (chooser, "response", G_CALLBACK (tail_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
tail_stop_cb (SegTodayPage *self)
{
  if (self->controller != NULL)
    seg_live_controller_stop_tail (self->controller);
  gtk_widget_set_sensitive (self->tail_stop, FALSE);
  adw_action_row_set_subtitle (self->tail_row, _("Read events as another program appends JSON lines to a file"));
}

static GtkWidget *
make_chart (const char      *title,
            const char      *empty,
            SegChartSeries **series)
{
  GtkWidget *chart = seg_chart_new ();
  SegChartLayer *layer = seg_line_layer_new ();

  seg_chart_set_title (SEG_CHART (chart), title);
  seg_chart_set_x_axis (SEG_CHART (chart), SEG_CHART_X_AXIS_TIME);
  seg_chart_set_empty_text (SEG_CHART (chart), empty);
  *series = seg_chart_series_new (title);
  seg_chart_layer_add_series (layer, *series);
  seg_chart_add_layer (SEG_CHART (chart), layer);
  gtk_widget_set_size_request (chart, -1, 180);
  return chart;
}

static GtkWidget *
heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_top (label, 12);
  return label;
}

static void
seg_today_page_dispose (GObject *object)
{
  SegTodayPage *self = SEG_TODAY_PAGE (object);

  g_cancellable_cancel (self->replay_cancellable);
  g_clear_object (&self->replay_cancellable);
  g_cancellable_cancel (self->days_cancellable);
  g_clear_object (&self->days_cancellable);
  g_clear_pointer (&self->days, g_hash_table_unref);
  seg_today_page_set_store (self, NULL);
  g_clear_object (&self->settings);
  g_clear_object (&self->days_series);
  g_clear_pointer (&self->pending_select, g_free);
  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  g_clear_object (&self->events_series);
  g_clear_object (&self->quals_series);
  g_clear_pointer (&self->filter_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (seg_today_page_parent_class)->dispose (object);
}

static void
seg_today_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SegTodayPage *self = SEG_TODAY_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_today_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SegTodayPage *self = SEG_TODAY_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      seg_today_page_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_today_page_class_init (SegTodayPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = seg_today_page_dispose;
  object_class->get_property = seg_today_page_get_property;
  object_class->set_property = seg_today_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SEG_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[USER_ACTIVATED] =
    g_signal_new ("user-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "todaypage");
}

static void
seg_today_page_init (SegTodayPage *self)
{
  GtkWidget *clamp, *box, *group, *frame, *charts, *filter_box;

  self->filter_ids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->filter_ids, NULL);

  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_AUTOMATIC,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));
  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 960);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), clamp);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (box, 24);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);

  /* Filter first: it governs everything below it. */
  filter_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  {
    GtkWidget *title = gtk_label_new (_("Today"));

    gtk_widget_add_css_class (title, "title-1");
    gtk_label_set_xalign (GTK_LABEL (title), 0);
    gtk_widget_set_hexpand (title, TRUE);
    gtk_box_append (GTK_BOX (filter_box), title);
  }
  self->filter_names = gtk_string_list_new ((const char *[]) { _("All live segments"), NULL });
  self->filter = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (self->filter_names), NULL));
  gtk_widget_set_valign (GTK_WIDGET (self->filter), GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->filter), _("Show only the users of one live segment"));
  g_signal_connect_swapped (self->filter, "notify::selected", G_CALLBACK (filter_selected_cb), self);
  gtk_box_append (GTK_BOX (filter_box), GTK_WIDGET (self->filter));
  gtk_box_append (GTK_BOX (box), filter_box);

  self->stats_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->stats_label, 0);
  gtk_label_set_wrap (self->stats_label, TRUE);
  gtk_label_set_selectable (self->stats_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->stats_label), "dim-label");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stats_label));

  charts = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_set_homogeneous (GTK_BOX (charts), TRUE);
  self->events_chart = make_chart (_("Events per minute"),
                                   _("No events yet: switch a stream on below"),
                                   &self->events_series);
  self->quals_chart = make_chart (_("Users qualifying per second"),
                                  _("Nobody has qualified yet"), &self->quals_series);
  frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (frame), self->events_chart);
  gtk_box_append (GTK_BOX (charts), frame);
  frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (frame), self->quals_chart);
  gtk_box_append (GTK_BOX (charts), frame);
  gtk_box_append (GTK_BOX (box), charts);

  /* The selected live segment's history: users who qualified each day since it was made. */
  self->days_chart = seg_chart_new ();
  seg_chart_set_x_axis (SEG_CHART (self->days_chart), SEG_CHART_X_AXIS_TIME);
  seg_chart_set_time_bucket (SEG_CHART (self->days_chart), SEG_CHART_TIME_BUCKET_DAY);
  seg_chart_set_empty_text (SEG_CHART (self->days_chart), _("Nobody has qualified yet"));
  {
    SegChartLayer *layer = seg_bar_layer_new (SEG_BAR_LAYER_GROUPED);

    self->days_series = seg_chart_series_new (_("Users qualified per day"));
    seg_chart_layer_add_series (layer, self->days_series);
    seg_chart_add_layer (SEG_CHART (self->days_chart), layer);
  }
  gtk_widget_set_size_request (self->days_chart, -1, 180);
  self->days_frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (self->days_frame), self->days_chart);
  gtk_widget_set_visible (self->days_frame, FALSE);
  gtk_box_append (GTK_BOX (box), self->days_frame);

  gtk_box_append (GTK_BOX (box), heading (_("Users Trickling In")));
  self->users_list = SEG_LIVE_ARRIVAL_LIST (seg_live_arrival_list_new ());
  g_signal_connect_swapped (self->users_list, "user-activated", G_CALLBACK (user_activated_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->users_list));

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Streams"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
    _("Events run through the live segments as they arrive; the ingest endpoint also stores them."));
  gtk_widget_set_margin_top (group, 12);
  self->ingest_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->ingest_row), _("Ingest Endpoint"));
  self->ingest_switch = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->ingest_switch), GTK_ALIGN_CENTER);
  g_signal_connect (self->ingest_switch, "state-set", G_CALLBACK (ingest_switch_cb), self);
  adw_action_row_add_suffix (self->ingest_row, GTK_WIDGET (self->ingest_switch));
  adw_action_row_set_activatable_widget (self->ingest_row, GTK_WIDGET (self->ingest_switch));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->ingest_row));
  self->address_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->address_row), _("Address"));
  gtk_editable_set_text (GTK_EDITABLE (self->address_row), "127.0.0.1");
  g_signal_connect_swapped (self->address_row, "changed", G_CALLBACK (address_changed_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->address_row));
  self->port_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->port_row), _("Port (0 = any free port)"));
  gtk_editable_set_text (GTK_EDITABLE (self->port_row), "8765");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->port_row));
  self->token_row = ADW_PASSWORD_ENTRY_ROW (adw_password_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->token_row),
                                 _("Bearer Token (required off this computer)"));
  gtk_widget_set_visible (GTK_WIDGET (self->token_row), FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->token_row));
  self->tail_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->tail_row), _("Follow a File"));
  adw_action_row_set_subtitle (self->tail_row, _("Read events as another program appends JSON lines to a file"));
  {
    GtkWidget *choose = gtk_button_new_with_mnemonic (_("C_hoose…"));

    gtk_widget_set_valign (choose, GTK_ALIGN_CENTER);
    g_signal_connect_swapped (choose, "clicked", G_CALLBACK (tail_choose_cb), self);
    adw_action_row_add_suffix (self->tail_row, choose);
    self->tail_stop = gtk_button_new_from_icon_name ("media-playback-stop-symbolic");
    gtk_widget_set_tooltip_text (self->tail_stop, _("Stop following the file"));
    gtk_widget_set_valign (self->tail_stop, GTK_ALIGN_CENTER);
    gtk_widget_set_sensitive (self->tail_stop, FALSE);
    g_signal_connect_swapped (self->tail_stop, "clicked", G_CALLBACK (tail_stop_cb), self);
    adw_action_row_add_suffix (self->tail_row, self->tail_stop);
  }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->tail_row));

  self->replay_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->replay_row), _("Replay a File"));
  self->replay_speed = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (1, 1000, 1));
  gtk_spin_button_set_value (self->replay_speed, 100);
  gtk_widget_set_valign (GTK_WIDGET (self->replay_speed), GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->replay_speed), _("Times faster than real time"));
  adw_action_row_add_suffix (self->replay_row, GTK_WIDGET (self->replay_speed));
  {
    GtkWidget *choose = gtk_button_new_with_mnemonic (_("_Choose…"));

    gtk_widget_set_valign (choose, GTK_ALIGN_CENTER);
    g_signal_connect_swapped (choose, "clicked", G_CALLBACK (replay_choose_cb), self);
    adw_action_row_add_suffix (self->replay_row, choose);
    self->replay_stop = gtk_button_new_from_icon_name ("media-playback-stop-symbolic");
    gtk_widget_set_tooltip_text (self->replay_stop, _("Stop the replay"));
    gtk_widget_set_valign (self->replay_stop, GTK_ALIGN_CENTER);
    gtk_widget_set_sensitive (self->replay_stop, FALSE);
    g_signal_connect_swapped (self->replay_stop, "clicked", G_CALLBACK (replay_stop_cb), self);
    adw_action_row_add_suffix (self->replay_row, self->replay_stop);
  }
  adw_action_row_set_subtitle (self->replay_row, _("Play a JSON-lines export back, 1× to 1000× faster"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->replay_row));

  self->store_replay_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->store_replay_row), _("Replay Stored Events"));
  adw_action_row_set_subtitle (self->store_replay_row,
                               _("Play the events of this store back, at the speed above"));
  {
    const char *ranges[] = { N_("Today"), N_("Yesterday"), N_("Last 7 days"), N_("Last 30 days"),
                             N_("All stored events"), NULL };
    g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
    GtkWidget *play = gtk_button_new_from_icon_name ("media-playback-start-symbolic");

    for (guint i = 0; ranges[i] != NULL; i++)
      gtk_string_list_append (names, _(ranges[i]));
    self->store_replay_range = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL));
    gtk_drop_down_set_selected (self->store_replay_range, STORE_RANGE_7_DAYS);
    gtk_widget_set_valign (GTK_WIDGET (self->store_replay_range), GTK_ALIGN_CENTER);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->store_replay_range), _("Which of the store's events to play"));
    adw_action_row_add_suffix (self->store_replay_row, GTK_WIDGET (self->store_replay_range));
    gtk_widget_set_valign (play, GTK_ALIGN_CENTER);
    gtk_widget_set_tooltip_text (play, _("Replay the store's events"));
    g_signal_connect_swapped (play, "clicked", G_CALLBACK (store_replay_play_cb), self);
    adw_action_row_add_suffix (self->store_replay_row, play);
  }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->store_replay_row));
  gtk_box_append (GTK_BOX (box), group);

  /* Without the installed schema (a test build), nothing is remembered. */
  {
    GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
    g_autoptr(GSettingsSchema) schema = source ? g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE) : NULL;

    if (schema != NULL && g_settings_schema_has_key (schema, "live-ingest-enabled"))
      {
        g_autofree char *address = NULL;
        g_autofree char *port = NULL;

        self->settings = g_settings_new (SCHEMA_ID);
        address = g_settings_get_string (self->settings, "live-ingest-address");
        port = g_strdup_printf ("%u", g_settings_get_uint (self->settings, "live-ingest-port"));
        gtk_editable_set_text (GTK_EDITABLE (self->address_row), address);
        gtk_editable_set_text (GTK_EDITABLE (self->port_row), port);
      }
  }

  set_ingest_subtitle (self, NULL);
  update_stats (self);
}

GtkWidget *
seg_today_page_new (void)
{
  return g_object_new (SEG_TYPE_TODAY_PAGE, NULL);
}

SegStore *
seg_today_page_get_store (SegTodayPage *self)
{
  g_return_val_if_fail (SEG_IS_TODAY_PAGE (self), NULL);
  return self->store;
}

/**
 * seg_today_page_set_store:
 * @store: (nullable): the store whose live segments run, or %NULL to stop
 *
 * Starts a live controller over @store (stopping the previous one and its streams).
 */
void
seg_today_page_set_store (SegTodayPage *self,
                          SegStore     *store)
{
  g_return_if_fail (SEG_IS_TODAY_PAGE (self));

  if (self->store == store)
    return;

  g_cancellable_cancel (self->replay_cancellable);
  g_cancellable_cancel (self->days_cancellable);
  if (self->controller != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->controller, self);
      g_signal_handlers_disconnect_by_data (seg_live_controller_get_arrivals (self->controller), self);
      g_object_run_dispose (G_OBJECT (self->controller));
    }
  g_clear_object (&self->controller);
  g_set_object (&self->store, store);
  if (store != NULL)
    {
      self->controller = seg_live_controller_new (store);
      g_signal_connect (self->controller, "engine-changed", G_CALLBACK (engine_changed_cb), self);
      g_signal_connect (self->controller, "tick", G_CALLBACK (tick_cb), self);
      g_signal_connect (seg_live_controller_get_arrivals (self->controller), "items-changed",
                        G_CALLBACK (arrivals_changed_cb), self);
    }
  if (store != NULL && self->days_chart != NULL)
    seg_chart_set_time_zone (SEG_CHART (self->days_chart), seg_store_get_timezone (store));
  if (self->users_list != NULL)
    seg_live_arrival_list_set_controller (self->users_list, self->controller);
  if (self->events_series != NULL)
    {
      seg_chart_series_clear (self->events_series);
      seg_chart_series_clear (self->quals_series);
      gtk_switch_set_active (self->ingest_switch, FALSE);
      set_ingest_subtitle (self, NULL);
      update_stats (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/**
 * seg_today_page_get_controller:
 *
 * Returns: (transfer none) (nullable): the live controller of the page's store
 */
SegLiveController *
seg_today_page_get_controller (SegTodayPage *self)
{
  g_return_val_if_fail (SEG_IS_TODAY_PAGE (self), NULL);
  return self->controller;
}

/**
 * seg_today_page_get_filter_model:
 *
 * Returns: (transfer none): the names the segment filter offers (first: all live segments)
 */
GListModel *
seg_today_page_get_filter_model (SegTodayPage *self)
{
  g_return_val_if_fail (SEG_IS_TODAY_PAGE (self), NULL);
  return G_LIST_MODEL (self->filter_names);
}

/**
 * seg_today_page_get_user_model:
 *
 * Returns: (transfer none): the SegLiveArrival rows the list shows, newest first
 */
GListModel *
seg_today_page_get_user_model (SegTodayPage *self)
{
  g_return_val_if_fail (SEG_IS_TODAY_PAGE (self), NULL);
  return seg_live_arrival_list_get_model (self->users_list);
}

/**
 * seg_today_page_select_segment:
 * @segment_id: (nullable): a live segment's id, or %NULL for all
 */
void
seg_today_page_select_segment (SegTodayPage *self,
                               const char   *segment_id)
{
  g_return_if_fail (SEG_IS_TODAY_PAGE (self));

  g_clear_pointer (&self->pending_select, g_free);
  for (guint i = 0; i < self->filter_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->filter_ids, i), segment_id) == 0)
      {
        gtk_drop_down_set_selected (self->filter, i);
        return;
      }
  self->pending_select = g_strdup (segment_id);
}

GtkWidget *
seg_today_page_get_events_chart (SegTodayPage *self)
{
  g_return_val_if_fail (SEG_IS_TODAY_PAGE (self), NULL);
  return self->events_chart;
}

/**
 * seg_today_page_get_days_series:
 *
 * Returns: (transfer none): users who qualified per day for the selected live segment
 */
SegChartSeries *
seg_today_page_get_days_series (SegTodayPage *self)
{
  g_return_val_if_fail (SEG_IS_TODAY_PAGE (self), NULL);
  return self->days_series;
}

GtkWidget *
seg_today_page_get_stats_label (SegTodayPage *self)
{
  g_return_val_if_fail (SEG_IS_TODAY_PAGE (self), NULL);
  return GTK_WIDGET (self->stats_label);
}
