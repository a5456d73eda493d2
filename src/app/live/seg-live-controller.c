/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-live-controller"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "live/seg-live-ingest.h"
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

static void
qualified_cb (SegLiveEngine     *engine,
              const char        *segment_id,
              const char        *user_id,
              gint64             ts_ms,
              SegLiveController *self)
{
  g_autoptr(SegLiveArrival) arrival = seg_live_arrival_new (segment_id, user_id, ts_ms);
  guint n;

  g_list_store_insert (self->arrivals, 0, arrival);
  /* The list is what the user watches arrive, bounded so a busy stream cannot grow it
   * without end; the stored memberships keep everyone. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->arrivals));
  if (n > SEG_LIVE_CONTROLLER_MAX_ARRIVALS)
    g_list_store_splice (self->arrivals, SEG_LIVE_CONTROLLER_MAX_ARRIVALS,
                         n - SEG_LIVE_CONTROLLER_MAX_ARRIVALS, NULL, 0);
}

static void
rate_tick_cb (SegLiveEngine     *engine,
              double             events_per_second,
              double             quals_per_second,
              SegLiveController *self)
{
  self->per_second[self->tick++ % G_N_ELEMENTS (self->per_second)] = events_per_second;
  g_signal_emit (self, signals[TICK], 0, events_per_second, quals_per_second);
}

static void
drop_engine (SegLiveController *self)
{
  g_clear_object (&self->ingest);
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

  list = seg_store_list_segments_finish (SEG_STORE (source), result, &error);
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
  drop_engine (self);
  self->engine = g_steal_pointer (&engine);
  g_signal_connect (self->engine, "user-qualified", G_CALLBACK (qualified_cb), self);
  g_signal_connect (self->engine, "rate-tick", G_CALLBACK (rate_tick_cb), self);
  if (was_ingesting)
    {
      g_autoptr(GError) local_error = NULL;

      if (!listen_ingest (self, &local_error))
        g_warning ("Could not restart the ingest endpoint: %s", local_error->message);
    }

  g_list_store_splice (self->segments, 0, g_list_model_get_n_items (G_LIST_MODEL (self->segments)),
                       live->pdata, live->len);
  g_free (self->segments_key);
  self->segments_key = g_string_free (g_steal_pointer (&key), FALSE);
  self->loaded = TRUE;
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
