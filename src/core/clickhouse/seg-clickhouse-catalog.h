/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-clickhouse-client.h"

G_BEGIN_DECLS

/*
 * The SQL side of the SegStore methods that need no definition compiler: saved segments
 * (shared by everyone on the database), the event and property catalogue for the
 * wizard's autocompletion, and one user's profile and timeline. Results are JSON objects
 * with the fields named below, for SegClickhouseStore to turn into SegSegment,
 * SegEventInfo, SegPropertyInfo and SegUserProfile. Blocking: call from a worker thread.
 *
 * Segment rows: id, name, description, kind, definition (JSON text, "" for system
 * segments), created_ms, updated_ms.
 */

#define SEG_CLICKHOUSE_SEGMENT_ALL_USERS  "all-users"
#define SEG_CLICKHOUSE_SEGMENT_TEST_USERS "test-users"

gboolean    seg_clickhouse_catalog_ensure_system_segments (SegClickhouseClient  *client,
                                                           GCancellable         *cancellable,
                                                           GError              **error);
GPtrArray  *seg_clickhouse_catalog_list_segments  (SegClickhouseClient  *client,
                                                   GCancellable         *cancellable,
                                                   GError              **error);
JsonObject *seg_clickhouse_catalog_get_segment    (SegClickhouseClient  *client,
                                                   const char           *id,
                                                   GCancellable         *cancellable,
                                                   GError              **error);
JsonObject *seg_clickhouse_catalog_save_segment   (SegClickhouseClient  *client,
                                                   const char           *id,
                                                   const char           *name,
                                                   const char           *description,
                                                   const char           *kind,
                                                   const char           *definition,
                                                   GCancellable         *cancellable,
                                                   GError              **error);
gboolean    seg_clickhouse_catalog_delete_segment (SegClickhouseClient  *client,
                                                   const char           *id,
                                                   GCancellable         *cancellable,
                                                   GError              **error);
JsonObject *seg_clickhouse_catalog_clone_segment  (SegClickhouseClient  *client,
                                                   const char           *id,
                                                   const char           *new_name,
                                                   GCancellable         *cancellable,
                                                   GError              **error);

/* Rows: name, n (the number of events), first_ts, last_ts (ms), most frequent first. */
GPtrArray  *seg_clickhouse_catalog_list_events    (SegClickhouseClient  *client,
                                                   GCancellable         *cancellable,
                                                   GError              **error);
/* Rows: name, type (SegValueType as number), top (array of [value, count], most
 * frequent first); of @event's properties, or of user properties with @event NULL. */
GPtrArray  *seg_clickhouse_catalog_list_properties (SegClickhouseClient *client,
                                                    const char          *event,
                                                    guint                n_top,
                                                    GCancellable        *cancellable,
                                                    GError             **error);
/* An object with "properties" (name → value) and "timeline" (newest first: event,
 * ts_ms, properties), or %SEG_STORE_ERROR_NOT_FOUND. */
JsonObject *seg_clickhouse_catalog_get_user       (SegClickhouseClient  *client,
                                                   const char           *user_id,
                                                   guint                 max_events,
                                                   GCancellable         *cancellable,
                                                   GError              **error);

/* Hash table of user id → JsonObject with the current values of those of @fields each
 * user has; users without any of them are absent. */
GHashTable *seg_clickhouse_catalog_get_profiles   (SegClickhouseClient  *client,
                                                   const char * const   *user_ids,
                                                   const char * const   *fields,
                                                   GCancellable         *cancellable,
                                                   GError              **error);

G_END_DECLS
