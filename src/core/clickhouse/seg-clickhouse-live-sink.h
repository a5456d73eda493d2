/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "live/seg-live-sink.h"
#include "seg-clickhouse-client.h"

G_BEGIN_DECLS

#define SEG_TYPE_CLICKHOUSE_LIVE_SINK (seg_clickhouse_live_sink_get_type ())
G_DECLARE_FINAL_TYPE (SegClickhouseLiveSink, seg_clickhouse_live_sink, SEG, CLICKHOUSE_LIVE_SINK, GObject)

/*
 * The live engine's memberships in a ClickHouse store (table live_memberships, schema
 * version 2): a live segment's members and history survive a restart and are shared by
 * everyone on the store. Blocking, as SegLiveSink asks.
 */
SegClickhouseLiveSink *seg_clickhouse_live_sink_new (SegClickhouseClient *client);

G_END_DECLS
