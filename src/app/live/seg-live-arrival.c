/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-live-arrival"

#include "config.h"

#include "seg-live-arrival.h"

struct _SegLiveArrival
{
  GObject  parent_instance;
  char    *segment_id;
  char    *user_id;
  gint64   ts_ms;
};

G_DEFINE_FINAL_TYPE (SegLiveArrival, seg_live_arrival, G_TYPE_OBJECT)

static void
seg_live_arrival_finalize (GObject *object)
{
  SegLiveArrival *self = SEG_LIVE_ARRIVAL (object);

  g_free (self->segment_id);
  g_free (self->user_id);

  G_OBJECT_CLASS (seg_live_arrival_parent_class)->finalize (object);
}

static void
seg_live_arrival_class_init (SegLiveArrivalClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = seg_live_arrival_finalize;
}

static void
seg_live_arrival_init (SegLiveArrival *self)
{
}

/**
 * seg_live_arrival_new:
 *
 * Returns: (transfer full): a new arrival of @user_id in @segment_id at @ts_ms
 */
SegLiveArrival *
seg_live_arrival_new (const char *segment_id,
                      const char *user_id,
                      gint64      ts_ms)
{
  SegLiveArrival *self = g_object_new (SEG_TYPE_LIVE_ARRIVAL, NULL);

  self->segment_id = g_strdup (segment_id);
  self->user_id = g_strdup (user_id);
  self->ts_ms = ts_ms;
  return self;
}

const char *
seg_live_arrival_get_segment_id (SegLiveArrival *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_ARRIVAL (self), NULL);
  return self->segment_id;
}

const char *
seg_live_arrival_get_user_id (SegLiveArrival *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_ARRIVAL (self), NULL);
  return self->user_id;
}

gint64
seg_live_arrival_get_ts (SegLiveArrival *self)
{
  g_return_val_if_fail (SEG_IS_LIVE_ARRIVAL (self), 0);
  return self->ts_ms;
}
