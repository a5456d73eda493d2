/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-live-replay"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "seg-live-batch.h"
#include "seg-live-replay.h"
#include "seg-store.h"

typedef struct
{
  GSource        source;
  SegLiveReplay *replay;
} ReplaySource;

struct _SegLiveReplay
{
  GObject        parent_instance;

  SegLiveBatch  *batch;
  guint          n_rejected;
  guint          next;
  guint          n_before;       /* records played from earlier chunks */
  guint          n_loaded;       /* records loaded so far, all chunks */

  /* Replaying a store's own events: read in chunks of time, one ahead of the one playing. */
  SegStore      *store;
  GCancellable  *cancellable;
  SegLiveBatch  *pending;        /* the next chunk, loaded */
  gint64         cursor;         /* where the next chunk starts */
  gint64         to_ms;
  gint64         span;           /* the next chunk's length of time */
  gboolean       loading;
  gboolean       exhausted;      /* every chunk up to to_ms was loaded */
  gboolean       fixed_span;     /* the caller chose the span: never adapted */
  SegLiveClock  *clock;
  gulong         clock_changed_id;
  SegLiveEngine *engine;
  GSource       *source;
  gboolean       finished;
};

enum
{
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SegLiveReplay, seg_live_replay, G_TYPE_OBJECT)

/* Whether more records may still come: a chunk loaded or being loaded. */
static gboolean
has_more (SegLiveReplay *self)
{
  return self->pending != NULL || (self->store != NULL && !self->exhausted);
}

static void
update_ready_time (SegLiveReplay *self)
{
  if (self->source == NULL)
    return;
  if (self->next < seg_live_batch_get_length (self->batch))
    g_source_set_ready_time (self->source,
                             seg_live_clock_ready_time (self->clock,
                                                        seg_live_batch_get (self->batch, self->next)->ts_ms));
  else if (self->pending != NULL || !has_more (self))
    g_source_set_ready_time (self->source, 0);     /* the next chunk, or the end */
  else
    g_source_set_ready_time (self->source, -1);    /* a chunk is being read */
}

static void load_next_chunk (SegLiveReplay *self);

static gboolean
replay_dispatch (GSource     *source,
                 GSourceFunc  callback,
                 gpointer     user_data)
{
  SegLiveReplay *self = ((ReplaySource *) source)->replay;
  gint64 now = seg_live_clock_get_now (self->clock);

  g_object_ref (self);
  for (;;)
    {
      guint n = seg_live_batch_get_length (self->batch);

      while (self->next < n)
        {
          const SegRecord *r = seg_live_batch_get (self->batch, self->next);
          if (r->ts_ms > now)
            break;
          self->next++;
          seg_live_engine_push (self->engine, r);
        }
      if (self->next < n || self->pending == NULL)
        break;
      /* The chunk played out and the next one is there: on with it, and read the one after. */
      self->n_before += n;
      seg_live_batch_free (self->batch);
      self->batch = g_steal_pointer (&self->pending);
      self->next = 0;
      load_next_chunk (self);
    }
  if (self->next >= seg_live_batch_get_length (self->batch) && !has_more (self))
    {
      self->finished = TRUE;
      g_clear_pointer (&self->source, g_source_unref);
      g_signal_emit (self, signals[FINISHED], 0);
      g_object_unref (self);
      return G_SOURCE_REMOVE;
    }
  update_ready_time (self);
  g_object_unref (self);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs replay_funcs = {
  .dispatch = replay_dispatch,
};

static void
clock_changed_cb (SegLiveClock  *clock,
                  SegLiveReplay *self)
{
  update_ready_time (self);
}

static void
seg_live_replay_dispose (GObject *object)
{
  SegLiveReplay *self = SEG_LIVE_REPLAY (object);

  if (self->source != NULL)
    {
      g_source_destroy (self->source);
      g_clear_pointer (&self->source, g_source_unref);
    }
  if (self->clock != NULL)
    g_clear_signal_handler (&self->clock_changed_id, self->clock);
  g_clear_object (&self->clock);
  g_clear_object (&self->engine);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (seg_live_replay_parent_class)->dispose (object);
}

static void
seg_live_replay_finalize (GObject *object)
{
  SegLiveReplay *self = SEG_LIVE_REPLAY (object);

  g_clear_pointer (&self->batch, seg_live_batch_free);
  g_clear_pointer (&self->pending, seg_live_batch_free);

  G_OBJECT_CLASS (seg_live_replay_parent_class)->finalize (object);
}

static void
seg_live_replay_class_init (SegLiveReplayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = seg_live_replay_dispose;
  object_class->finalize = seg_live_replay_finalize;

  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
seg_live_replay_init (SegLiveReplay *self)
{
}

/**
 * seg_live_replay_new_from_file:
 * @path: a JSON-lines file of upload elements
 * @base_clock: the clock the replay runs against (the real clock, or a test's manual one)
 * @speed: 1 to 1000
 * @tz: the timezone of times written without one
 * @error: return location for an error
 *
 * Reads and sorts the file. Lines that are not valid records are counted and skipped.
 *
 * Returns: (transfer full): a replay, or %NULL if the file cannot be read
 */
SegLiveReplay *
seg_live_replay_new_from_file (const char    *path,
                               SegLiveClock  *base_clock,
                               double         speed,
                               GTimeZone     *tz,
                               GError       **error)
{
  g_autoptr(SegLiveReplay) self = NULL;
  g_autofree char *contents = NULL;
  gsize len;
  const char *p, *end;
  gint64 start;

  if (!(speed >= 1.0 && speed <= SEG_LIVE_REPLAY_MAX_SPEED))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("the replay speed must be between 1 and %g, not %g"),
                   SEG_LIVE_REPLAY_MAX_SPEED, speed);
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
  self = g_object_new (SEG_TYPE_LIVE_REPLAY, NULL);
  self->batch = seg_live_batch_new (tz);
  start = seg_live_clock_get_now (base_clock);
  for (p = contents, end = contents + len; p < end;)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *line_end = nl ? nl : end;
      gsize l = line_end - p;

      if (l > 0 && p[l - 1] == '\r')
        l--;
      if (l > 0 && !seg_live_batch_add_line (self->batch, p, l, start, NULL))
        self->n_rejected++;
      p = line_end + 1;
    }
  seg_live_batch_sort (self->batch);
  if (seg_live_batch_get_length (self->batch) > 0)
    start = seg_live_batch_get (self->batch, 0)->ts_ms;
  self->n_loaded = seg_live_batch_get_length (self->batch);
  self->clock = seg_live_clock_new_scaled (base_clock, start, speed);
  self->clock_changed_id = g_signal_connect (self->clock, "changed", G_CALLBACK (clock_changed_cb), self);
  return g_steal_pointer (&self);
}

/**
 * seg_live_replay_get_clock:
 * @self: a replay
 *
 * Returns: (transfer none): the replayed time, for the engine
 */
SegLiveClock *
seg_live_replay_get_clock (SegLiveReplay *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_REPLAY (self), NULL);
  return self->clock;
}

/**
 * seg_live_replay_start:
 * @self: a replay
 * @engine: the engine the events go to
 *
 * Attaches the replay's source to the thread-default main context.
 */
void
seg_live_replay_start (SegLiveReplay *self,
                       SegLiveEngine *engine)
{
  g_return_if_fail (SEG_IS_LIVE_REPLAY (self));
  g_return_if_fail (self->source == NULL && !self->finished);

  self->engine = g_object_ref (engine);
  self->source = g_source_new (&replay_funcs, sizeof (ReplaySource));
  ((ReplaySource *) self->source)->replay = self;
  g_source_set_static_name (self->source, "SegLiveReplay");
  g_source_attach (self->source, g_main_context_get_thread_default ());
  load_next_chunk (self);
  update_ready_time (self);
}

/**
 * seg_live_replay_get_n_records:
 *
 * Returns: the records read: all of a file's; of a store's, those of the chunks read so far
 */
guint
seg_live_replay_get_n_records (SegLiveReplay *self)
{
  return self->n_loaded;
}

guint
seg_live_replay_get_n_played (SegLiveReplay *self)
{
  return self->n_before + self->next;
}

/**
 * seg_live_replay_is_from_store:
 *
 * Returns: whether the replay plays a store's own events (read in chunks as it plays)
 */
gboolean
seg_live_replay_is_from_store (SegLiveReplay *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_REPLAY (self), FALSE);
  return self->store != NULL;
}

guint
seg_live_replay_get_n_rejected (SegLiveReplay *self)
{
  return self->n_rejected;
}

gboolean
seg_live_replay_is_finished (SegLiveReplay *self)
{
  return self->finished;
}

/* Reading a store's events in chunks of time, in a worker thread. */

#define CHUNK_MIN_MS   1000
#define CHUNK_MAX_MS   (24 * 3600 * 1000)
#define CHUNK_SMALL    5000
#define CHUNK_LARGE    50000

typedef struct
{
  SegStore     *store;
  GTimeZone    *tz;
  gint64        from;      /* in: the chunk's start; out: the next chunk's */
  gint64        to;
  gint64        span;      /* in: the length to read; out: the next length */
  gboolean      fixed;     /* a span chosen by the caller: never adapted */
  SegLiveBatch *batch;     /* out */
} ChunkLoad;

static void
chunk_load_free (ChunkLoad *load)
{
  g_clear_object (&load->store);
  g_clear_pointer (&load->tz, g_time_zone_unref);
  g_clear_pointer (&load->batch, seg_live_batch_free);
  g_free (load);
}

static gboolean
add_record_cb (const SegRecord  *record,
               gpointer          user_data,
               GError          **error)
{
  seg_live_batch_add_record (user_data, record);
  return TRUE;
}

/* Reads the next non-empty chunk (empty stretches of time are skipped here, not played),
 * or nothing once to is reached. The span adapts so that a chunk holds thousands of
 * events, not millions: memory stays bounded, and the next chunk is ready in time. */
static gboolean
chunk_read (ChunkLoad     *load,
            GCancellable  *cancellable,
            GError       **error)
{
  load->batch = seg_live_batch_new (load->tz);
  while (load->from < load->to && seg_live_batch_get_length (load->batch) == 0)
    {
      gint64 end = MIN (load->to, load->from + load->span);
      guint n;

      if (!seg_store_read_events (load->store, load->from, end, add_record_cb, load->batch,
                                  cancellable, error))
        return FALSE;
      load->from = end;
      n = seg_live_batch_get_length (load->batch);
      if (load->fixed)
        continue;
      if (n > CHUNK_LARGE)
        load->span = MAX (load->span / 2, CHUNK_MIN_MS);
      else if (n < CHUNK_SMALL)
        load->span = MIN (load->span * 2, CHUNK_MAX_MS);
    }
  return TRUE;
}

static void
chunk_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;

  if (!chunk_read (task_data, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
chunk_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  SegLiveReplay *self = SEG_LIVE_REPLAY (source);
  ChunkLoad *load = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* The store failed under the replay: what was read has played; it ends there. */
      g_warning ("Could not read the store's events for the replay: %s", error->message);
      self->loading = FALSE;
      self->exhausted = TRUE;
      update_ready_time (self);
      return;
    }
  self->loading = FALSE;
  self->cursor = load->from;
  self->span = load->span;
  if (seg_live_batch_get_length (load->batch) > 0)
    {
      self->n_loaded += seg_live_batch_get_length (load->batch);
      self->pending = g_steal_pointer (&load->batch);
    }
  if (self->cursor >= self->to_ms)
    self->exhausted = TRUE;
  update_ready_time (self);
}

static void
load_next_chunk (SegLiveReplay *self)
{
  g_autoptr(GTask) task = NULL;
  ChunkLoad *load;

  if (self->store == NULL || self->loading || self->exhausted || self->pending != NULL)
    return;
  load = g_new0 (ChunkLoad, 1);
  load->store = g_object_ref (self->store);
  load->tz = g_time_zone_ref (seg_store_get_timezone (self->store));
  load->from = self->cursor;
  load->to = self->to_ms;
  load->span = self->span;
  load->fixed = self->fixed_span;
  self->loading = TRUE;
  task = g_task_new (self, self->cancellable, chunk_done_cb, NULL);
  g_task_set_source_tag (task, load_next_chunk);
  g_task_set_task_data (task, load, (GDestroyNotify) chunk_load_free);
  g_task_run_in_thread (task, chunk_thread);
}

typedef struct
{
  ChunkLoad    *load;
  SegLiveClock *base;
  double        speed;
} StoreOpen;

static void
store_open_free (StoreOpen *open)
{
  chunk_load_free (open->load);
  g_object_unref (open->base);
  g_free (open);
}

static void
store_open_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  StoreOpen *open = task_data;
  GError *error = NULL;

  if (!chunk_read (open->load, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * seg_live_replay_new_from_store_async:
 * @store: the store whose events are played
 * @from_ms: the first instant played, included
 * @to_ms: the last, excluded
 * @base_clock: the clock the replay runs against (the real clock, or a test's manual one)
 * @speed: 1 to 1000
 * @chunk_ms: the length of time read at once, 0 to let the replay choose (and adapt it
 *   to the store's density of events)
 *
 * Reads the first chunk of @store's events in a worker thread. The replay then reads
 * each next chunk off the calling thread while the previous one plays, so a week of
 * events is never held in memory at once. Its clock starts at the first event's time.
 */
void
seg_live_replay_new_from_store_async (SegStore            *store,
                                      gint64               from_ms,
                                      gint64               to_ms,
                                      SegLiveClock        *base_clock,
                                      double               speed,
                                      gint64               chunk_ms,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  StoreOpen *open;

  g_return_if_fail (SEG_IS_STORE (store));
  g_return_if_fail (SEG_IS_LIVE_CLOCK (base_clock));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, seg_live_replay_new_from_store_async);
  if (!(speed >= 1.0 && speed <= SEG_LIVE_REPLAY_MAX_SPEED))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("the replay speed must be between 1 and %g, not %g"),
                               SEG_LIVE_REPLAY_MAX_SPEED, speed);
      return;
    }
  if (to_ms <= from_ms)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("the replay must end after it starts"));
      return;
    }
  open = g_new0 (StoreOpen, 1);
  open->load = g_new0 (ChunkLoad, 1);
  open->load->store = g_object_ref (store);
  open->load->tz = g_time_zone_ref (seg_store_get_timezone (store));
  open->load->from = from_ms;
  open->load->to = to_ms;
  open->load->span = chunk_ms > 0 ? chunk_ms : 10 * 60 * 1000;
  open->load->fixed = chunk_ms > 0;
  open->base = g_object_ref (base_clock);
  open->speed = speed;
  g_task_set_task_data (task, open, (GDestroyNotify) store_open_free);
  g_task_run_in_thread (task, store_open_thread);
}

/**
 * seg_live_replay_new_from_store_finish:
 *
 * Returns: (transfer full): a replay to start, or %NULL with @error set (also when the
 *   store holds no events in the range, G_IO_ERROR_NOT_FOUND)
 */
SegLiveReplay *
seg_live_replay_new_from_store_finish (GAsyncResult  *result,
                                       GError       **error)
{
  StoreOpen *open;
  SegLiveReplay *self;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  open = g_task_get_task_data (G_TASK (result));
  if (seg_live_batch_get_length (open->load->batch) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The store has no events in this time range"));
      return NULL;
    }
  self = g_object_new (SEG_TYPE_LIVE_REPLAY, NULL);
  self->batch = g_steal_pointer (&open->load->batch);
  self->n_loaded = seg_live_batch_get_length (self->batch);
  self->store = g_object_ref (open->load->store);
  self->cancellable = g_cancellable_new ();
  self->cursor = open->load->from;
  self->to_ms = open->load->to;
  self->span = open->load->span;
  self->exhausted = self->cursor >= self->to_ms;
  self->fixed_span = open->load->fixed;
  self->clock = seg_live_clock_new_scaled (open->base, seg_live_batch_get (self->batch, 0)->ts_ms,
                                           open->speed);
  self->clock_changed_id = g_signal_connect (self->clock, "changed", G_CALLBACK (clock_changed_cb), self);
  return self;
}

/**
 * seg_live_replay_is_loading:
 *
 * Returns: whether a chunk of a store's events is being read
 */
gboolean
seg_live_replay_is_loading (SegLiveReplay *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_REPLAY (self), FALSE);
  return self->loading;
}
