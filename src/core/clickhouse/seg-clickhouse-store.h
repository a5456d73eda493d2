/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "seg-store.h"
#include "seg-clickhouse-client.h"

G_BEGIN_DECLS

#define SEG_TYPE_CLICKHOUSE_STORE (seg_clickhouse_store_get_type ())
G_DECLARE_FINAL_TYPE (SegClickhouseStore, seg_clickhouse_store, SEG, CLICKHOUSE_STORE, GObject)

SegClickhouseStore  *seg_clickhouse_store_new         (SegClickhouseClient  *client,
                                                       const char           *cluster,
                                                       const char           *timezone,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
void                 seg_clickhouse_store_open_async  (SegClickhouseClient  *client,
                                                       const char           *cluster,
                                                       const char           *timezone,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
SegClickhouseStore  *seg_clickhouse_store_open_finish (GAsyncResult         *result,
                                                       GError              **error);

SegClickhouseClient *seg_clickhouse_store_get_client  (SegClickhouseStore   *self);
const char          *seg_clickhouse_store_get_cluster (SegClickhouseStore   *self);
void                 seg_clickhouse_store_set_now     (SegClickhouseStore   *self,
                                                       gint64                now_ms);
gint64               seg_clickhouse_store_get_now     (SegClickhouseStore   *self);
gboolean             seg_clickhouse_store_count_users (SegClickhouseStore   *self,
                                                       guint64              *n_users,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

G_END_DECLS
