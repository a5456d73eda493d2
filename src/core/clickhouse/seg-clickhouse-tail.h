/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "live/seg-live-engine.h"
#include "seg-clickhouse-client.h"

G_BEGIN_DECLS

#define SEG_TYPE_CLICKHOUSE_TAIL (seg_clickhouse_tail_get_type ())
G_DECLARE_FINAL_TYPE (SegClickhouseTail, seg_clickhouse_tail, SEG, CLICKHOUSE_TAIL, GObject)

/*
 * Feeds a live engine with the events that arrive in a ClickHouse store, by polling on
 * the thread-default main context: every interval it asks for the events at or after
 * its watermark (the newest event time seen, minus a look-back for events that arrive
 * late), and hands each one it has not handed before to the engine. A failed poll (server
 * down or restarting, timeout, bad answer) is reported with "poll-failed" and retried
 * with a backoff that doubles up to a maximum; the first poll that works resets it.
 *
 * Signals:
 *  - polled (guint n_new): a poll finished; n_new events went to the engine
 *  - poll-failed (GError *error): a poll failed; the next one is in
 *    seg_clickhouse_tail_get_retry_delay() ms
 */
SegClickhouseTail *seg_clickhouse_tail_new             (SegLiveEngine       *engine,
                                                        SegClickhouseClient *client);
void               seg_clickhouse_tail_set_interval    (SegClickhouseTail   *self,
                                                        guint                interval_ms);
void               seg_clickhouse_tail_set_max_backoff (SegClickhouseTail   *self,
                                                        guint                max_ms);
void               seg_clickhouse_tail_set_lookback    (SegClickhouseTail   *self,
                                                        gint64               lookback_ms);
void               seg_clickhouse_tail_start           (SegClickhouseTail   *self,
                                                        gint64               since_ms);
void               seg_clickhouse_tail_poll_now        (SegClickhouseTail   *self);
void               seg_clickhouse_tail_stop            (SegClickhouseTail   *self);
gboolean           seg_clickhouse_tail_is_polling      (SegClickhouseTail   *self);
gint64             seg_clickhouse_tail_get_watermark   (SegClickhouseTail   *self);
guint              seg_clickhouse_tail_get_retry_delay (SegClickhouseTail   *self);
guint64            seg_clickhouse_tail_get_n_records   (SegClickhouseTail   *self);
guint64            seg_clickhouse_tail_get_n_repeated  (SegClickhouseTail   *self);
guint64            seg_clickhouse_tail_get_n_failures  (SegClickhouseTail   *self);

G_END_DECLS
