/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SEG_TYPE_LIVE_CLOCK (seg_live_clock_get_type ())
G_DECLARE_FINAL_TYPE (SegLiveClock, seg_live_clock, SEG, LIVE_CLOCK, GObject)

/*
 * The time the live engine and the replay source work in, in ms since the epoch.
 *
 *  - real: the wall clock.
 *  - manual: a time tests set and advance; nothing moves unless they say so.
 *  - scaled: another clock sped up: origin + (parent - parent_origin) × speed, for replays.
 *
 * Deadlines are met with GSource ready times: seg_live_clock_ready_time() turns a deadline
 * into the monotonic time a GSource must become ready at (0 = now, -1 = not until the clock
 * is moved). A manual clock emits "changed" when it moves so that sources recompute.
 */

SegLiveClock *seg_live_clock_new_real    (void);
SegLiveClock *seg_live_clock_new_manual  (gint64        start_ms);
SegLiveClock *seg_live_clock_new_scaled  (SegLiveClock *parent,
                                          gint64        origin_ms,
                                          double        speed);

gint64        seg_live_clock_get_now     (SegLiveClock *self);
gboolean      seg_live_clock_is_manual   (SegLiveClock *self);
double        seg_live_clock_get_speed   (SegLiveClock *self);
gint64        seg_live_clock_ready_time  (SegLiveClock *self,
                                          gint64        deadline_ms);

void          seg_live_clock_set         (SegLiveClock *self,
                                          gint64        now_ms);
void          seg_live_clock_advance     (SegLiveClock *self,
                                          gint64        delta_ms);

G_END_DECLS
