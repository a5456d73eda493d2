/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SEG_TYPE_LIVE_ARRIVAL (seg_live_arrival_get_type ())
G_DECLARE_FINAL_TYPE (SegLiveArrival, seg_live_arrival, SEG, LIVE_ARRIVAL, GObject)

/* One qualification as the UI lists it: a user who joined a live segment at a time. */
SegLiveArrival *seg_live_arrival_new            (const char     *segment_id,
                                                 const char     *user_id,
                                                 gint64          ts_ms);
const char     *seg_live_arrival_get_segment_id (SegLiveArrival *self);
const char     *seg_live_arrival_get_user_id    (SegLiveArrival *self);
gint64          seg_live_arrival_get_ts         (SegLiveArrival *self);

G_END_DECLS
