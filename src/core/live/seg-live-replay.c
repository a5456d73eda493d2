/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-live-replay"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "seg-live-batch.h"
#include "seg-live-replay.h"

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

static void
update_ready_time (SegLiveReplay *self)
{
  if (self->source == NULL)
    return;
  if (self->next >= seg_live_batch_get_length (self->batch))
    g_source_set_ready_time (self->source, 0);
  else
    g_source_set_ready_time (self->source,
                             seg_live_clock_ready_time (self->clock,
                                                        seg_live_batch_get (self->batch, self->next)->ts_ms));
}

static gboolean
replay_dispatch (GSource     *source,
                 GSourceFunc  callback,
                 gpointer     user_data)
{
  SegLiveReplay *self = ((ReplaySource *) source)->replay;
  guint n = seg_live_batch_get_length (self->batch);
  gint64 now = seg_live_clock_get_now (self->clock);

  g_object_ref (self);
  while (self->next < n)
    {
      const SegRecord *r = seg_live_batch_get (self->batch, self->next);
      if (r->ts_ms > now)
        break;
      self->next++;
      seg_live_engine_push (self->engine, r);
    }
  if (self->next >= n)
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

  G_OBJECT_CLASS (seg_live_replay_parent_class)->dispose (object);
}

static void
seg_live_replay_finalize (GObject *object)
{
  SegLiveReplay *self = SEG_LIVE_REPLAY (object);

  g_clear_pointer (&self->batch, seg_live_batch_free);

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
  update_ready_time (self);
}

guint
seg_live_replay_get_n_records (SegLiveReplay *self)
{
  return seg_live_batch_get_length (self->batch);
}

guint
seg_live_replay_get_n_played (SegLiveReplay *self)
{
  return self->next;
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
