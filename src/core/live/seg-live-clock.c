/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-live-clock"

#include "config.h"

#include <math.h>

#include "seg-live-clock.h"

typedef enum
{
  CLOCK_REAL,
  CLOCK_MANUAL,
  CLOCK_SCALED,
} ClockKind;

struct _SegLiveClock
{
  GObject       parent_instance;

  ClockKind     kind;
  gint64        manual_ms;

  SegLiveClock *parent;
  gulong        parent_changed_id;
  gint64        origin_ms;
  gint64        parent_origin_ms;
  double        speed;
};

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SegLiveClock, seg_live_clock, G_TYPE_OBJECT)

static void
seg_live_clock_dispose (GObject *object)
{
  SegLiveClock *self = SEG_LIVE_CLOCK (object);

  if (self->parent != NULL)
    g_clear_signal_handler (&self->parent_changed_id, self->parent);
  g_clear_object (&self->parent);

  G_OBJECT_CLASS (seg_live_clock_parent_class)->dispose (object);
}

static void
seg_live_clock_class_init (SegLiveClockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = seg_live_clock_dispose;

  /**
   * SegLiveClock::changed:
   *
   * The time moved other than by itself: a manual clock was set or advanced. Sources
   * waiting for a deadline recompute their ready time.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
seg_live_clock_init (SegLiveClock *self)
{
  self->speed = 1.0;
}

/**
 * seg_live_clock_new_real:
 *
 * Returns: (transfer full): the wall clock
 */
SegLiveClock *
seg_live_clock_new_real (void)
{
  SegLiveClock *self = g_object_new (SEG_TYPE_LIVE_CLOCK, NULL);

  self->kind = CLOCK_REAL;
  return self;
}

/**
 * seg_live_clock_new_manual:
 * @start_ms: the initial time
 *
 * Returns: (transfer full): a clock that only moves with set() and advance()
 */
SegLiveClock *
seg_live_clock_new_manual (gint64 start_ms)
{
  SegLiveClock *self = g_object_new (SEG_TYPE_LIVE_CLOCK, NULL);

  self->kind = CLOCK_MANUAL;
  self->manual_ms = start_ms;
  return self;
}

static void
parent_changed_cb (SegLiveClock *parent,
                   SegLiveClock *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * seg_live_clock_new_scaled:
 * @parent: the clock that drives this one
 * @origin_ms: the time this clock shows now
 * @speed: how many ms pass on this clock for each ms of @parent (at least 1)
 *
 * Returns: (transfer full): a clock at @origin_ms running @speed times faster than @parent
 */
SegLiveClock *
seg_live_clock_new_scaled (SegLiveClock *parent,
                           gint64        origin_ms,
                           double        speed)
{
  SegLiveClock *self;

  g_return_val_if_fail (SEG_IS_LIVE_CLOCK (parent), NULL);
  g_return_val_if_fail (speed > 0, NULL);

  self = g_object_new (SEG_TYPE_LIVE_CLOCK, NULL);
  self->kind = CLOCK_SCALED;
  self->parent = g_object_ref (parent);
  self->origin_ms = origin_ms;
  self->parent_origin_ms = seg_live_clock_get_now (parent);
  self->speed = speed;
  self->parent_changed_id = g_signal_connect (parent, "changed", G_CALLBACK (parent_changed_cb), self);
  return self;
}

/**
 * seg_live_clock_get_now:
 * @self: a clock
 *
 * Returns: the current time in ms since the epoch
 */
gint64
seg_live_clock_get_now (SegLiveClock *self)
{
  switch (self->kind)
    {
    case CLOCK_MANUAL:
      return self->manual_ms;
    case CLOCK_SCALED:
      return self->origin_ms +
             (gint64) floor ((seg_live_clock_get_now (self->parent) - self->parent_origin_ms) *
                             self->speed);
    case CLOCK_REAL:
    default:
      return g_get_real_time () / 1000;
    }
}

gboolean
seg_live_clock_is_manual (SegLiveClock *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_CLOCK (self), FALSE);

  if (self->kind == CLOCK_SCALED)
    return seg_live_clock_is_manual (self->parent);
  return self->kind == CLOCK_MANUAL;
}

double
seg_live_clock_get_speed (SegLiveClock *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_CLOCK (self), 1.0);

  return self->speed;
}

/**
 * seg_live_clock_ready_time:
 * @self: a clock
 * @deadline_ms: a time on this clock
 *
 * Returns: the ready time (g_get_monotonic_time() scale, µs) a GSource must have to be
 *   dispatched when this clock reaches @deadline_ms: 0 if it already has, -1 if only a
 *   change of a manual clock can bring it
 */
gint64
seg_live_clock_ready_time (SegLiveClock *self,
                           gint64        deadline_ms)
{
  gint64 now = seg_live_clock_get_now (self);

  if (deadline_ms <= now)
    return 0;
  switch (self->kind)
    {
    case CLOCK_MANUAL:
      return -1;
    case CLOCK_SCALED:
      {
        /* The parent time at which this clock shows the deadline, rounded up so that the
         * source never wakes a little early and goes back to sleep. */
        double parent_ms = self->parent_origin_ms + (deadline_ms - self->origin_ms) / self->speed;
        return seg_live_clock_ready_time (self->parent, (gint64) ceil (parent_ms));
      }
    case CLOCK_REAL:
    default:
      return g_get_monotonic_time () + (deadline_ms - now) * 1000;
    }
}

/**
 * seg_live_clock_set:
 * @self: a manual clock
 * @now_ms: the new time
 */
void
seg_live_clock_set (SegLiveClock *self,
                    gint64        now_ms)
{
  g_return_if_fail (SEG_IS_LIVE_CLOCK (self));
  g_return_if_fail (self->kind == CLOCK_MANUAL);

  if (self->manual_ms == now_ms)
    return;
  self->manual_ms = now_ms;
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * seg_live_clock_advance:
 * @self: a manual clock
 * @delta_ms: how far to move it
 */
void
seg_live_clock_advance (SegLiveClock *self,
                        gint64        delta_ms)
{
  g_return_if_fail (SEG_IS_LIVE_CLOCK (self));
  g_return_if_fail (self->kind == CLOCK_MANUAL);

  seg_live_clock_set (self, self->manual_ms + delta_ms);
}
