/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "seg-record.h"

G_BEGIN_DECLS

/*
 * Reading events back from ClickHouse's `events` table as SegRecords (the live tail, a
 * replay of the store's events). Select SEG_CLICKHOUSE_EVENT_READ_COLUMNS, then turn each row
 * with a SegClickhouseEventRow.
 */

/* List values come hex-encoded: their items end in NUL bytes, which JSON strings cannot
 * carry. */
#define SEG_CLICKHOUSE_EVENT_READ_COLUMNS \
  "event, user_id, ts_ms, insert_id, prop_keys, prop_types, " \
  "arrayMap((s, t) -> if(t = 5, hex(s), s), prop_str, prop_types) AS prop_str_x, prop_num"

typedef struct
{
  GArray    *props;     /* SegPropValue */
  GPtrArray *buffers;   /* decoded list values of the current row */
} SegClickhouseEventRow;

void     seg_clickhouse_event_row_init  (SegClickhouseEventRow  *self);
void     seg_clickhouse_event_row_clear (SegClickhouseEventRow  *self);
gboolean seg_clickhouse_event_row_read  (SegClickhouseEventRow  *self,
                                         JsonObject             *row,
                                         guint64                 row_number,
                                         SegRecord              *record,
                                         GError                **error);

G_END_DECLS
