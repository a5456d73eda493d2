/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-clickhouse-client.h"

G_BEGIN_DECLS

/*
 * The tables of a Segment Studio database in ClickHouse, versioned in seg_meta so that a
 * later version can migrate an older database and an older version refuses a newer one.
 *
 *   events         one row per event: MergeTree ORDER BY (event, user_id, ts_ms), by month;
 *                  properties as parallel arrays prop_keys / prop_types / prop_str /
 *                  prop_num (typed, so numbers compare as numbers and strings keep their
 *                  bytes; measured as fast as a JSON string column, see the report)
 *   profile_props  one row per (user, property), the newest wins: ReplacingMergeTree
 *                  (updated_ms) ORDER BY (user_id, key); a profile update that sets some
 *                  properties leaves the others alone, and deleted = 1 clears one
 *   segments       saved definitions, shared by a team: ReplacingMergeTree(updated_ms)
 *   memberships    stored members (custom lists, snapshots): ReplacingMergeTree
 *   imports        fingerprints of committed imports, so a re-import adds nothing
 *   live_memberships  (version 2) who qualified for a live segment, when, and under which
 *                  key: ReplacingMergeTree ORDER BY (segment_id, user_id, key)
 *   seg_meta       schema_version and other settings of the database
 *
 * With a cluster, events and profile_props are Distributed tables over <name>_local
 * tables on every shard, sharded by cityHash64(user_id) so that all of a user's rows live
 * on one shard; the small tables stay on the server the application connects to.
 */

#define SEG_CLICKHOUSE_SCHEMA_VERSION 2

/* The columns of events, in the order of the table (INSERT ... FORMAT JSONEachRow uses
 * names, so the order only matters to INSERT ... SELECT *). */
#define SEG_CLICKHOUSE_EVENT_COLUMNS \
  "event, user_id, ts_ms, insert_id, prop_keys, prop_types, prop_str, prop_num, import_id"
#define SEG_CLICKHOUSE_PROFILE_COLUMNS \
  "user_id, key, type, str, num, deleted, updated_ms"

char    *seg_clickhouse_schema_events_ddl        (const char           *table);
char    *seg_clickhouse_schema_profile_props_ddl (const char           *table);

gboolean seg_clickhouse_schema_ensure            (SegClickhouseClient  *client,
                                                  const char           *cluster,
                                                  GCancellable         *cancellable,
                                                  GError              **error);
void     seg_clickhouse_schema_ensure_async      (SegClickhouseClient  *client,
                                                  const char           *cluster,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean seg_clickhouse_schema_ensure_finish     (GAsyncResult         *result,
                                                  GError              **error);
gboolean seg_clickhouse_schema_create_shard      (SegClickhouseClient  *shard,
                                                  GCancellable         *cancellable,
                                                  GError              **error);
int      seg_clickhouse_schema_get_version       (SegClickhouseClient  *client,
                                                  GCancellable         *cancellable,
                                                  GError              **error);

G_END_DECLS
