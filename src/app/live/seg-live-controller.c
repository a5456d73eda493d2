/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-live-controller"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "live/seg-live-ingest.h"
#include "live/seg-live-replay.h"
#include "live/seg-live-tail.h"
#include "seg-definition.h"
#include "seg-live-arrival.h"
#include "seg-live-controller.h"
#include "seg-segment.h"

struct _SegLiveController
{
  GObject        parent_instance;

  SegStore      *store;
  GCancellable  *cancellable;
  SegLiveClock  *clock;
  SegLiveEngine *engine;
  SegLiveIngest *ingest;
  SegLiveEngine *replay_engine;    /* runs in the replay's own (scaled) clock */
  SegLiveReplay *replay;
  SegLiveTail   *tail;
  char          *tail_path;
  guint          tick_id;
  guint          flush_id;
  GPtrArray     *pending;          /* SegLiveArrival not yet in the list, oldest first */
  guint64        last_events;
  guint64        last_quals;
  char          *ingest_address;
  char          *ingest_token;
  guint          ingest_port;      /* the port actually bound, kept across reloads */

  GListStore    *segments;         /* SegSegment, live ones only */
  GListStore    *arrivals;         /* SegLiveArrival, newest first */
  char          *segments_key;     /* ids and definitions of the running segments */
  gboolean       loaded;

  /* Events per second over the last minute, a ring indexed by tick. */
  double         per_second[60];
  guint          tick;
};

enum {
  ENGINE_CHANGED,
  TICK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SegLiveController, seg_live_controller, G_TYPE_OBJECT)

/* Arrivals reach the list in batches, a few times a second: a busy stream qualifies
 * thousands of users a second, and one list change each would starve the frame clock. */
static gboolean
flush_arrivals_cb (gpointer data)
{
  SegLiveController *self = data;
  g_autoptr(GPtrArray) batch = g_steal_pointer (&self->pending);
  guint n;

  self->flush_id = 0;
  if (batch == NULL || batch->len == 0)
    return G_SOURCE_REMOVE;
  /* Newest first; only the newest SEG_LIVE_CONTROLLER_MAX_ARRIVALS are kept. */
  for (guint i = 0, j = batch->len - 1; i < j; i++, j--)
    {
      gpointer t = batch->pdata[i];
      batch->pdata[i] = batch->pdata[j];
      batch->pdata[j] = t;
    }
  n = MIN (batch->len, SEG_LIVE_CONTROLLER_MAX_ARRIVALS);
  g_list_store_splice (self->arrivals, 0, 0, batch->pdata, n);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->arrivals));
  if (n > SEG_LIVE_CONTROLLER_MAX_ARRIVALS)
    g_list_store_splice (self->arrivals, SEG_LIVE_CONTROLLER_MAX_ARRIVALS,
                         n - SEG_LIVE_CONTROLLER_MAX_ARRIVALS, NULL, 0);
  return G_SOURCE_REMOVE;
}

static void
qualified_cb (SegLiveEngine     *engine,
              const char        *segment_id,
              const char        *user_id,
              gint64             ts_ms,
              SegLiveController *self)
{
  if (self->pending == NULL)
    self->pending = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->pending, seg_live_arrival_new (segment_id, user_id, ts_ms));
  /* The list is bounded, so only the newest of a large burst are worth keeping. */
  if (self->pending->len > 2 * SEG_LIVE_CONTROLLER_MAX_ARRIVALS)
    g_ptr_array_remove_range (self->pending, 0, self->pending->len - SEG_LIVE_CONTROLLER_MAX_ARRIVALS);
  if (self->flush_id == 0)
    self->flush_id = g_timeout_add (200, flush_arrivals_cb, self);
}

static void
add_stats (SegLiveEngine *engine,
           guint64       *events,
           guint64       *quals)
{
  SegLiveEngineStats st;

  if (engine == NULL)
    return;
  seg_live_engine_get_stats (engine, &st);
  *events += st.events;
  *quals += st.qualifications;
}

/* Once a second of wall time, whatever clock the engines run in (a replay's runs faster):
 * the rates are differences of the engines' own counters. */
static gboolean
tick_cb (gpointer data)
{
  SegLiveController *self = data;
  guint64 events = 0, quals = 0;
  double ev, q;

  add_stats (self->engine, &events, &quals);
  add_stats (self->replay_engine, &events, &quals);
  ev = events >= self->last_events ? (double) (events - self->last_events) : 0;
  q = quals >= self->last_quals ? (double) (quals - self->last_quals) : 0;
  self->last_events = events;
  self->last_quals = quals;
  self->per_second[self->tick++ % G_N_ELEMENTS (self->per_second)] = ev;
  g_signal_emit (self, signals[TICK], 0, ev, q);
  return G_SOURCE_CONTINUE;
}

static void
reset_counters (SegLiveController *self)
{
  self->last_events = 0;
  self->last_quals = 0;
  add_stats (self->engine, &self->last_events, &self->last_quals);
  add_stats (self->replay_engine, &self->last_events, &self->last_quals);
}

static void
drop_engine (SegLiveController *self)
{
  g_clear_object (&self->ingest);
  g_clear_object (&self->tail);
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);
}

static gboolean
listen_ingest (SegLiveController  *self,
               GError            **error)
{
  g_autoptr(SegLiveIngest) ingest = NULL;

  ingest = seg_live_ingest_new (self->engine, self->store, self->ingest_token);
  if (!seg_live_ingest_listen (ingest, self->ingest_address, self->ingest_port, error))
    return FALSE;
  self->ingest_port = seg_live_ingest_get_port (ingest);
  g_set_object (&self->ingest, ingest);
  return TRUE;
}

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SegLiveController) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GPtrArray) live = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) key = g_string_new (NULL);
  g_autoptr(SegLiveEngine) engine = NULL;
  gboolean was_ingesting;
  gboolean was_tailing;

  list = seg_store_list_segments_finish (SEG_STORE (source), result, &error);
  if (self->store == NULL)        /* disposed meanwhile */
    return;
  if (list == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not list the live segments: %s", error->message);
      return;
    }

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(SegSegment) seg = g_list_model_get_item (list, i);
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *json = NULL;

      if (seg_segment_get_kind (seg) != SEG_SEGMENT_KIND_LIVE
          || seg_segment_get_definition (seg) == NULL)
        continue;
      node = seg_definition_to_node (seg_segment_get_definition (seg));
      json = json_to_string (node, FALSE);
      g_string_append_printf (key, "%s\n%s\n%s\n", seg_segment_get_id (seg),
                              seg_segment_get_name (seg), json);
      g_ptr_array_add (live, g_steal_pointer (&seg));
    }

  /* Ingested events change the store too; only a change of live segments rebuilds. */
  if (self->loaded && g_strcmp0 (key->str, self->segments_key) == 0)
    return;

  engine = seg_live_engine_new (self->clock, seg_store_get_timezone (self->store));
  seg_live_engine_set_store (engine, self->store);
  for (guint i = 0; i < live->len; i++)
    {
      SegSegment *seg = g_ptr_array_index (live, i);
      g_autoptr(JsonNode) node = seg_definition_to_node (seg_segment_get_definition (seg));
      g_autoptr(SegLiveTrigger) trigger = NULL;
      g_autoptr(GError) local_error = NULL;

      trigger = seg_live_trigger_new_from_definition_node (node, &local_error);
      if (trigger == NULL
          || !seg_live_engine_add_segment (engine, seg_segment_get_id (seg), trigger, &local_error))
        g_warning ("Live segment %s cannot run: %s", seg_segment_get_name (seg),
                   local_error->message);
    }
  if (SEG_IS_LIVE_SINK (self->store))
    {
      g_autoptr(GError) local_error = NULL;

      /* Memberships kept by the store, so a segment's members survive a restart. */
      if (!seg_live_engine_set_sink (engine, SEG_LIVE_SINK (self->store), &local_error))
        g_warning ("Could not load live memberships: %s", local_error->message);
    }

  was_ingesting = self->ingest != NULL;
  was_tailing = self->tail != NULL;
  drop_engine (self);
  self->engine = g_steal_pointer (&engine);
  g_signal_connect (self->engine, "user-qualified", G_CALLBACK (qualified_cb), self);
  if (was_ingesting)
    {
      g_autoptr(GError) local_error = NULL;

      if (!listen_ingest (self, &local_error))
        g_warning ("Could not restart the ingest endpoint: %s", local_error->message);
    }
  if (was_tailing)
    {
      g_autoptr(GError) local_error = NULL;

      /* Following on from the end: what was read is not read twice. */
      self->tail = seg_live_tail_new (self->engine, self->tail_path, FALSE);
      if (!seg_live_tail_start (self->tail, &local_error))
        {
          g_warning ("Could not follow %s again: %s", self->tail_path, local_error->message);
          g_clear_object (&self->tail);
        }
    }

  g_list_store_splice (self->segments, 0, g_list_model_get_n_items (G_LIST_MODEL (self->segments)),
                       live->pdata, live->len);
  g_free (self->segments_key);
  self->segments_key = g_string_free (g_steal_pointer (&key), FALSE);
  self->loaded = TRUE;
  reset_counters (self);
  g_signal_emit (self, signals[ENGINE_CHANGED], 0);
}

static void
reload (SegLiveController *self)
{
  seg_store_list_segments_async (self->store, self->cancellable, list_cb, g_object_ref (self));
}

static void
data_changed_cb (SegStore          *store,
                 SegLiveController *self)
{
  reload (self);
}

static void
seg_live_controller_dispose (GObject *object)
{
  SegLiveController *self = SEG_LIVE_CONTROLLER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->flush_id, g_source_remove);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  seg_live_controller_stop_replay (self);
  drop_engine (self);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->clock);
  g_clear_object (&self->segments);
  g_clear_object (&self->arrivals);

  G_OBJECT_CLASS (seg_live_controller_parent_class)->dispose (object);
}

static void
seg_live_controller_finalize (GObject *object)
{
  SegLiveController *self = SEG_LIVE_CONTROLLER (object);

  g_free (self->segments_key);
  g_free (self->ingest_address);
  g_free (self->ingest_token);
  g_free (self->tail_path);

  G_OBJECT_CLASS (seg_live_controller_parent_class)->finalize (object);
}

static void
seg_live_controller_class_init (SegLiveControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = seg_live_controller_dispose;
  object_class->finalize = seg_live_controller_finalize;

  signals[ENGINE_CHANGED] =
    g_signal_new ("engine-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[TICK] =
    g_signal_new ("tick", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
}

static void
seg_live_controller_init (SegLiveController *self)
{
  self->cancellable = g_cancellable_new ();
  self->clock = seg_live_clock_new_real ();
  self->segments = g_list_store_new (SEG_TYPE_SEGMENT);
  self->arrivals = g_list_store_new (SEG_TYPE_LIVE_ARRIVAL);
  self->tick_id = g_timeout_add (1000, tick_cb, self);
}

/**
 * seg_live_controller_new:
 * @store: the open store whose live segments run
 *
 * Returns: (transfer full): a controller; its engine exists once the segments are listed
 *   ("engine-changed")
 */
SegLiveController *
seg_live_controller_new (SegStore *store)
{
  SegLiveController *self;

  g_return_val_if_fail (SEG_IS_STORE (store), NULL);

  self = g_object_new (SEG_TYPE_LIVE_CONTROLLER, NULL);
  self->store = g_object_ref (store);
  g_signal_connect (store, "data-changed", G_CALLBACK (data_changed_cb), self);
  reload (self);
  return self;
}

SegStore *
seg_live_controller_get_store (SegLiveController *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_CONTROLLER (self), NULL);
  return self->store;
}

/**
 * seg_live_controller_get_engine:
 *
 * Returns: (transfer none) (nullable): the running engine, once loaded
 */
SegLiveEngine *
seg_live_controller_get_engine (SegLiveController *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_CONTROLLER (self), NULL);
  return self->engine;
}

/**
 * seg_live_controller_get_segments:
 *
 * Returns: (transfer none): the store's live segments (never past-behavior ones)
 */
GListModel *
seg_live_controller_get_segments (SegLiveController *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_CONTROLLER (self), NULL);
  return G_LIST_MODEL (self->segments);
}

/**
 * seg_live_controller_get_arrivals:
 *
 * Returns: (transfer none): the qualifications seen since the app started, newest first
 */
GListModel *
seg_live_controller_get_arrivals (SegLiveController *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_CONTROLLER (self), NULL);
  return G_LIST_MODEL (self->arrivals);
}

gboolean
seg_live_controller_is_loaded (SegLiveController *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_CONTROLLER (self), FALSE);
  return self->loaded;
}

/**
 * seg_live_controller_get_events_last_minute:
 *
 * Returns: the events the engine consumed over the last 60 rate ticks (seconds)
 */
guint64
seg_live_controller_get_events_last_minute (SegLiveController *self)
{
  double sum = 0;

  g_return_val_if_fail (SEG_IS_LIVE_CONTROLLER (self), 0);

  for (guint i = 0; i < G_N_ELEMENTS (self->per_second); i++)
    sum += self->per_second[i];
  return (guint64) (sum + 0.5);
}

/**
 * seg_live_controller_start_ingest:
 * @address: (nullable): the address to bind, 127.0.0.1 when %NULL
 * @port: the port, 0 for any free one
 * @token: (nullable): the bearer token uploads must carry; required off loopback
 *
 * Returns: %FALSE with @error set if the endpoint could not listen
 */
gboolean
seg_live_controller_start_ingest (SegLiveController  *self,
                                  const char         *address,
                                  guint               port,
                                  const char         *token,
                                  GError            **error)
{
  g_return_val_if_fail (SEG_IS_LIVE_CONTROLLER (self), FALSE);

  if (self->engine == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                   _("The live segments are still loading; try again in a moment"));
      return FALSE;
    }
  seg_live_controller_stop_ingest (self);
  g_free (self->ingest_address);
  self->ingest_address = g_strdup (address != NULL && *address != '\0' ? address : "127.0.0.1");
  g_free (self->ingest_token);
  self->ingest_token = token != NULL && *token != '\0' ? g_strdup (token) : NULL;
  self->ingest_port = port;
  return listen_ingest (self, error);
}

void
seg_live_controller_stop_ingest (SegLiveController *self)
{
  g_return_if_fail (SEG_IS_LIVE_CONTROLLER (self));
  g_clear_object (&self->ingest);
}

gboolean
seg_live_controller_is_ingesting (SegLiveController *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_CONTROLLER (self), FALSE);
  return self->ingest != NULL;
}

/**
 * seg_live_controller_get_ingest_port:
 *
 * Returns: the port the ingest endpoint listens on, 0 when it is off
 */
guint
seg_live_controller_get_ingest_port (SegLiveController *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_CONTROLLER (self), 0);
  return self->ingest != NULL ? self->ingest_port : 0;
}

static SegLiveEngine *
new_replay_engine (SegLiveController  *self,
                   SegLiveReplay      *replay,
                   GError            **error)
{
  g_autoptr(SegLiveEngine) engine = NULL;
  GListModel *segments = G_LIST_MODEL (self->segments);

  engine = seg_live_engine_new (seg_live_replay_get_clock (replay),
                                seg_store_get_timezone (self->store));
  seg_live_engine_set_store (engine, self->store);
  for (guint i = 0; i < g_list_model_get_n_items (segments); i++)
    {
      g_autoptr(SegSegment) seg = g_list_model_get_item (segments, i);
      g_autoptr(JsonNode) node = seg_definition_to_node (seg_segment_get_definition (seg));
      g_autoptr(SegLiveTrigger) trigger = NULL;
      g_autoptr(GError) local_error = NULL;

      trigger = seg_live_trigger_new_from_definition_node (node, &local_error);
      if (trigger == NULL
          || !seg_live_engine_add_segment (engine, seg_segment_get_id (seg), trigger, &local_error))
        g_debug ("Live segment %s cannot run: %s", seg_segment_get_name (seg), local_error->message);
    }
  if (seg_live_engine_get_n_segments (engine) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The store has no live segments to replay the events through"));
      return NULL;
    }
  return g_steal_pointer (&engine);
}

typedef struct
{
  char          *path;
  double         speed;
  GTimeZone     *tz;
} ReplayLoad;

static void
replay_load_free (ReplayLoad *load)
{
  g_free (load->path);
  g_time_zone_unref (load->tz);
  g_free (load);
}

/* Parses the whole file in a worker thread; the replay's source is attached later, on the
 * controller's context, by seg_live_replay_start(). */
static void
replay_load_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  ReplayLoad *load = task_data;
  g_autoptr(SegLiveClock) base = seg_live_clock_new_real ();
  g_autoptr(GError) error = NULL;
  SegLiveReplay *replay;

  replay = seg_live_replay_new_from_file (load->path, base, load->speed, load->tz, &error);
  if (replay == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, replay, g_object_unref);
}

/**
 * seg_live_controller_start_replay_async:
 * @path: a JSON-lines file of upload elements
 * @speed: 1 to 1000 times real time
 *
 * Loads @path off the UI thread and plays it back through the store's live segments, in
 * an engine of its own whose clock follows the replay. Qualifications appear with the
 * live ones; they are not stored as memberships (replayed time is not now).
 */
void
seg_live_controller_start_replay_async (SegLiveController   *self,
                                        const char          *path,
                                        double               speed,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ReplayLoad *load;

  g_return_if_fail (SEG_IS_LIVE_CONTROLLER (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, seg_live_controller_start_replay_async);
  load = g_new0 (ReplayLoad, 1);
  load->path = g_strdup (path);
  load->speed = CLAMP (speed, 1.0, SEG_LIVE_REPLAY_MAX_SPEED);
  load->tz = g_time_zone_ref (seg_store_get_timezone (self->store));
  g_task_set_task_data (task, load, (GDestroyNotify) replay_load_free);
  g_task_run_in_thread (task, replay_load_thread);
}

gboolean
seg_live_controller_start_replay_finish (SegLiveController  *self,
                                         GAsyncResult       *result,
                                         GError            **error)
{
  g_autoptr(SegLiveReplay) replay = NULL;
  g_autoptr(SegLiveEngine) engine = NULL;

  /* Both kinds of replay (a file's, the store's) end here with the replay to play. */
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  replay = g_task_propagate_pointer (G_TASK (result), error);
  if (replay == NULL)
    return FALSE;
  if (self->store == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("The store was closed"));
      return FALSE;
    }
  engine = new_replay_engine (self, replay, error);
  if (engine == NULL)
    return FALSE;
  seg_live_controller_stop_replay (self);
  self->replay = g_steal_pointer (&replay);
  self->replay_engine = g_steal_pointer (&engine);
  g_signal_connect (self->replay_engine, "user-qualified", G_CALLBACK (qualified_cb), self);
  reset_counters (self);
  seg_live_replay_start (self->replay, self->replay_engine);
  return TRUE;
}

static void
store_replay_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  SegLiveReplay *replay = seg_live_replay_new_from_store_finish (result, &error);

  if (replay == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, replay, g_object_unref);
}

/**
 * seg_live_controller_start_store_replay_async:
 * @from_ms: the first instant of the store's events to play
 * @to_ms: the end (excluded)
 * @speed: 1 to 1000 times real time
 *
 * Plays the store's own events from @from_ms to @to_ms back through its live segments, as
 * a file replay does: the events are read in chunks of time in worker threads while the
 * previous chunk plays, into an engine whose clock follows the replay. Finish with
 * seg_live_controller_start_replay_finish().
 */
void
seg_live_controller_start_store_replay_async (SegLiveController   *self,
                                              gint64               from_ms,
                                              gint64               to_ms,
                                              double               speed,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  g_autoptr(SegLiveClock) base = seg_live_clock_new_real ();
  GTask *task;

  g_return_if_fail (SEG_IS_LIVE_CONTROLLER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, seg_live_controller_start_store_replay_async);
  seg_live_replay_new_from_store_async (self->store, from_ms, to_ms, base,
                                        CLAMP (speed, 1.0, SEG_LIVE_REPLAY_MAX_SPEED), 0,
                                        cancellable, store_replay_cb, task);
}

void
seg_live_controller_stop_replay (SegLiveController *self)
{
  g_return_if_fail (SEG_IS_LIVE_CONTROLLER (self));

  g_clear_object (&self->replay);
  if (self->replay_engine != NULL)
    g_signal_handlers_disconnect_by_data (self->replay_engine, self);
  g_clear_object (&self->replay_engine);
  reset_counters (self);
}

/**
 * seg_live_controller_get_replay:
 *
 * Returns: (transfer none) (nullable): the replay playing, if any
 */
SegLiveReplay *
seg_live_controller_get_replay (SegLiveController *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_CONTROLLER (self), NULL);
  return self->replay;
}

/**
 * seg_live_controller_get_replay_engine:
 *
 * Returns: (transfer none) (nullable): the engine the replay plays into, if any
 */
SegLiveEngine *
seg_live_controller_get_replay_engine (SegLiveController *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_CONTROLLER (self), NULL);
  return self->replay_engine;
}

typedef struct
{
  char      *segment_id;
  GTimeZone *tz;
} DaysLoad;

static void
days_load_free (DaysLoad *load)
{
  g_free (load->segment_id);
  g_time_zone_unref (load->tz);
  g_free (load);
}

typedef struct
{
  DaysLoad   *load;
  GHashTable *days;
} DaysCollect;

static gint64
floor_day (gint64     ms,
           GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);
  g_autoptr(GDateTime) midnight = g_date_time_new (tz, g_date_time_get_year (local),
                                                   g_date_time_get_month (local),
                                                   g_date_time_get_day_of_month (local), 0, 0, 0);

  return g_date_time_to_unix (midnight) * 1000;
}

static void
days_collect_cb (const SegLiveMembership *m,
                 gpointer                 user_data)
{
  DaysCollect *c = user_data;
  gint64 day;
  GHashTable *users;

  if (g_strcmp0 (m->segment_id, c->load->segment_id) != 0)
    return;
  day = floor_day (m->ts_ms, c->load->tz);
  users = g_hash_table_lookup (c->days, &day);
  if (users == NULL)
    {
      users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (c->days, g_memdup2 (&day, sizeof day), users);
    }
  g_hash_table_add (users, g_strdup (m->user_id));
}

/* Reads the stored memberships in a worker thread: the store's sink read is locked. */
static void
days_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SegLiveController *self = source_object;
  DaysCollect c = { task_data, seg_live_controller_new_days () };
  g_autoptr(GError) error = NULL;

  if (!seg_live_sink_load (SEG_LIVE_SINK (self->store), days_collect_cb, &c, &error))
    {
      g_hash_table_unref (c.days);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, c.days, (GDestroyNotify) g_hash_table_unref);
}

/**
 * seg_live_controller_new_days:
 *
 * Returns: (transfer full): an empty table of days (gint64 ms of local midnight) to the
 *   set of users who qualified that day
 */
GHashTable *
seg_live_controller_new_days (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                (GDestroyNotify) g_hash_table_unref);
}

/**
 * seg_live_controller_day_of:
 *
 * Returns: the local midnight (in the store's time zone) of the day holding @ts_ms
 */
gint64
seg_live_controller_day_of (SegLiveController *self,
                            gint64             ts_ms)
{
  g_return_val_if_fail (SEG_IS_LIVE_CONTROLLER (self), 0);
  return floor_day (ts_ms, seg_store_get_timezone (self->store));
}

/**
 * seg_live_controller_load_days_async:
 * @segment_id: a live segment
 *
 * Counts the users who qualified for @segment_id on each day, from the memberships the
 * store keeps, off the UI thread.
 */
void
seg_live_controller_load_days_async (SegLiveController   *self,
                                     const char          *segment_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DaysLoad *load;

  g_return_if_fail (SEG_IS_LIVE_CONTROLLER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, seg_live_controller_load_days_async);
  if (!SEG_IS_LIVE_SINK (self->store))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("This store does not keep live memberships"));
      return;
    }
  load = g_new0 (DaysLoad, 1);
  load->segment_id = g_strdup (segment_id);
  load->tz = g_time_zone_ref (seg_store_get_timezone (self->store));
  g_task_set_task_data (task, load, (GDestroyNotify) days_load_free);
  g_task_run_in_thread (task, days_thread);
}

/**
 * seg_live_controller_load_days_finish:
 *
 * Returns: (transfer full): see seg_live_controller_new_days()
 */
GHashTable *
seg_live_controller_load_days_finish (SegLiveController  *self,
                                      GAsyncResult       *result,
                                      GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * seg_live_controller_start_tail:
 * @path: a JSON-lines file another program appends to
 * @from_start: read what the file holds already first
 *
 * Follows @path into the live engine (events are not written to the store).
 *
 * Returns: %FALSE with @error set if the file cannot be followed
 */
gboolean
seg_live_controller_start_tail (SegLiveController  *self,
                                const char         *path,
                                gboolean            from_start,
                                GError            **error)
{
  g_autoptr(SegLiveTail) tail = NULL;

  g_return_val_if_fail (SEG_IS_LIVE_CONTROLLER (self), FALSE);

  if (self->engine == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                   _("The live segments are still loading; try again in a moment"));
      return FALSE;
    }
  tail = seg_live_tail_new (self->engine, path, from_start);
  if (!seg_live_tail_start (tail, error))
    return FALSE;
  g_set_object (&self->tail, tail);
  g_free (self->tail_path);
  self->tail_path = g_strdup (path);
  return TRUE;
}

void
seg_live_controller_stop_tail (SegLiveController *self)
{
  g_return_if_fail (SEG_IS_LIVE_CONTROLLER (self));
  g_clear_object (&self->tail);
}

/**
 * seg_live_controller_get_tail:
 *
 * Returns: (transfer none) (nullable): the file being followed, if any
 */
SegLiveTail *
seg_live_controller_get_tail (SegLiveController *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_CONTROLLER (self), NULL);
  return self->tail;
}
