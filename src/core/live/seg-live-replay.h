/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "seg-live-engine.h"
#include "seg-store.h"

G_BEGIN_DECLS

#define SEG_TYPE_LIVE_REPLAY (seg_live_replay_get_type ())
G_DECLARE_FINAL_TYPE (SegLiveReplay, seg_live_replay, SEG, LIVE_REPLAY, GObject)

/*
 * Plays stored or exported events (a JSON-lines file of upload elements, or a store's own
 * events read in chunks of time through seg_store_read_events()) back in time order, 1× to 1000× faster than they happened. The replay has its own clock, which
 * starts at the first event's time and runs @speed times faster than the base clock; give
 * it to the engine (seg_live_engine_new (seg_live_replay_get_clock (replay), tz)) so that
 * inaction windows and day rollovers happen in replayed time. A custom GSource whose ready
 * time is the next event's scaled time pushes each event when its time comes.
 *
 * Signals: finished ()
 */

#define SEG_LIVE_REPLAY_MAX_SPEED 1000.0

SegLiveReplay *seg_live_replay_new_from_file (const char     *path,
                                              SegLiveClock   *base_clock,
                                              double          speed,
                                              GTimeZone      *tz,
                                              GError        **error);
void           seg_live_replay_new_from_store_async  (SegStore            *store,
                                                      gint64               from_ms,
                                                      gint64               to_ms,
                                                      SegLiveClock        *base_clock,
                                                      double               speed,
                                                      gint64               chunk_ms,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
SegLiveReplay *seg_live_replay_new_from_store_finish (GAsyncResult        *result,
                                                      GError             **error);
SegLiveClock  *seg_live_replay_get_clock     (SegLiveReplay  *self);
gboolean       seg_live_replay_is_from_store (SegLiveReplay  *self);
gboolean       seg_live_replay_is_loading    (SegLiveReplay  *self);
void           seg_live_replay_start         (SegLiveReplay  *self,
                                              SegLiveEngine  *engine);
guint          seg_live_replay_get_n_records (SegLiveReplay  *self);
guint          seg_live_replay_get_n_played  (SegLiveReplay  *self);
guint          seg_live_replay_get_n_rejected(SegLiveReplay  *self);
gboolean       seg_live_replay_is_finished   (SegLiveReplay  *self);

G_END_DECLS
