/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "seg-live-clock.h"
#include "seg-live-sink.h"
#include "seg-live-trigger.h"
#include "seg-record.h"
#include "seg-store.h"

G_BEGIN_DECLS

#define SEG_TYPE_LIVE_ENGINE (seg_live_engine_get_type ())
G_DECLARE_FINAL_TYPE (SegLiveEngine, seg_live_engine, SEG, LIVE_ENGINE, GObject)

/*
 * The live engine: consumes records from any number of sources on the thread-default
 * main context it was created on, keeps bounded per-user state for its live segments and
 * emits "user-qualified" the moment a user qualifies. Deadlines (inaction windows, day
 * rollover, rate ticks) are met by one ready-time GSource, never by polling.
 *
 * Signals:
 *  - user-qualified (const char *segment_id, const char *user_id, gint64 ts_ms)
 *  - rate-tick (double events_per_second, double qualifications_per_second), once a second
 *    of the engine's clock
 */

/**
 * SegLiveEngineStats:
 * @events: records consumed (duplicates included)
 * @duplicates: records dropped as duplicate deliveries
 * @qualifications: qualifications emitted since the engine started
 * @n_users: users the engine holds state for
 * @bytes_held: memory held by per-user state (windows, timers, dedup keys)
 * @bytes_members: memory held by the member sets of the segments
 * @pending_timers: inaction deadlines armed
 */
typedef struct
{
  guint64 events;
  guint64 duplicates;
  guint64 qualifications;
  guint   n_users;
  gsize   bytes_held;
  gsize   bytes_members;
  guint   pending_timers;
} SegLiveEngineStats;

SegLiveEngine *seg_live_engine_new              (SegLiveClock    *clock,
                                                 GTimeZone       *tz);
SegLiveClock  *seg_live_engine_get_clock        (SegLiveEngine   *self);
guint          seg_live_engine_count_active_users (SegLiveEngine *self,
                                                   gint64         since_ms);
GTimeZone     *seg_live_engine_get_timezone     (SegLiveEngine   *self);
void           seg_live_engine_set_store        (SegLiveEngine   *self,
                                                 SegStore        *store);
gboolean       seg_live_engine_set_sink         (SegLiveEngine   *self,
                                                 SegLiveSink     *sink,
                                                 GError         **error);
void           seg_live_engine_set_idle_horizon (SegLiveEngine   *self,
                                                 gint64           ms);
gboolean       seg_live_engine_add_segment      (SegLiveEngine   *self,
                                                 const char      *segment_id,
                                                 SegLiveTrigger  *trigger,
                                                 GError         **error);
guint          seg_live_engine_get_n_segments   (SegLiveEngine   *self);

gboolean       seg_live_engine_push             (SegLiveEngine   *self,
                                                 const SegRecord *record);
guint          seg_live_engine_push_many        (SegLiveEngine   *self,
                                                 const SegRecord *records,
                                                 guint            n);
gboolean       seg_live_engine_record_func      (const SegRecord *record,
                                                 gpointer         engine,
                                                 GError         **error);

guint64        seg_live_engine_get_n_members    (SegLiveEngine   *self,
                                                 const char      *segment_id);
gboolean       seg_live_engine_is_member        (SegLiveEngine   *self,
                                                 const char      *segment_id,
                                                 const char      *user_id);
guint64        seg_live_engine_get_n_qualifications (SegLiveEngine *self,
                                                 const char      *segment_id);
void           seg_live_engine_get_stats        (SegLiveEngine      *self,
                                                 SegLiveEngineStats *stats);
gboolean       seg_live_engine_flush            (SegLiveEngine   *self,
                                                 GError         **error);

G_END_DECLS
