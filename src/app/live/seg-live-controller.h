/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "live/seg-live-engine.h"
#include "live/seg-live-replay.h"
#include "live/seg-live-tail.h"
#include "seg-store.h"

G_BEGIN_DECLS

#define SEG_TYPE_LIVE_CONTROLLER (seg_live_controller_get_type ())
G_DECLARE_FINAL_TYPE (SegLiveController, seg_live_controller, SEG, LIVE_CONTROLLER, GObject)

/*
 * Runs a SegLiveEngine over the live segments of a store for the application: reloads it
 * when the store's live segments change, owns the ingest endpoint the user switches on,
 * and keeps what the live views show (the live segments, the users trickling in, the
 * rate of events).
 *
 * Signals:
 *  - engine-changed (): the engine was rebuilt (segments changed)
 *  - tick (double events_per_second, double qualifications_per_second), once a second of
 *    wall time, counted over the live engine and a replay's
 */

#define SEG_LIVE_CONTROLLER_MAX_ARRIVALS 10000

SegLiveController *seg_live_controller_new             (SegStore           *store);
SegStore          *seg_live_controller_get_store       (SegLiveController  *self);
SegLiveEngine     *seg_live_controller_get_engine      (SegLiveController  *self);
GListModel        *seg_live_controller_get_segments    (SegLiveController  *self);
GListModel        *seg_live_controller_get_arrivals    (SegLiveController  *self);
gboolean           seg_live_controller_is_loaded       (SegLiveController  *self);
guint64            seg_live_controller_get_events_last_minute (SegLiveController *self);
gboolean           seg_live_controller_start_ingest    (SegLiveController  *self,
                                                        const char         *address,
                                                        guint               port,
                                                        const char         *token,
                                                        GError            **error);
void               seg_live_controller_stop_ingest     (SegLiveController  *self);
gboolean           seg_live_controller_is_ingesting    (SegLiveController  *self);
guint              seg_live_controller_get_ingest_port (SegLiveController  *self);
void               seg_live_controller_start_replay_async  (SegLiveController   *self,
                                                            const char          *path,
                                                            double               speed,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
gboolean           seg_live_controller_start_replay_finish (SegLiveController   *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);
void               seg_live_controller_start_store_replay_async (SegLiveController   *self,
                                                                 gint64               from_ms,
                                                                 gint64               to_ms,
                                                                 double               speed,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
void               seg_live_controller_stop_replay         (SegLiveController   *self);
SegLiveReplay     *seg_live_controller_get_replay          (SegLiveController   *self);
SegLiveEngine     *seg_live_controller_get_replay_engine   (SegLiveController   *self);
GHashTable        *seg_live_controller_new_days            (void);
gint64             seg_live_controller_day_of              (SegLiveController   *self,
                                                            gint64               ts_ms);
void               seg_live_controller_load_days_async     (SegLiveController   *self,
                                                            const char          *segment_id,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
GHashTable        *seg_live_controller_load_days_finish    (SegLiveController   *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);
gboolean           seg_live_controller_start_tail          (SegLiveController   *self,
                                                            const char          *path,
                                                            gboolean             from_start,
                                                            GError             **error);
void               seg_live_controller_stop_tail           (SegLiveController   *self);
SegLiveTail       *seg_live_controller_get_tail            (SegLiveController   *self);

G_END_DECLS
