/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-store-writer.h"
#include "seg-clickhouse-client.h"

G_BEGIN_DECLS

#define SEG_TYPE_CLICKHOUSE_WRITER (seg_clickhouse_writer_get_type ())
G_DECLARE_FINAL_TYPE (SegClickhouseWriter, seg_clickhouse_writer, SEG, CLICKHOUSE_WRITER, SegStoreWriter)

SegStoreWriter *seg_clickhouse_writer_new             (SegClickhouseClient  *client,
                                                       gboolean              distributed,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
void            seg_clickhouse_writer_set_batch_rows  (SegClickhouseWriter  *self,
                                                       guint                 rows);
/* Called on the committing thread, after a successful commit. */
typedef void (*SegClickhouseWriterCommittedFunc) (gpointer user_data);

void            seg_clickhouse_writer_set_committed_func (SegClickhouseWriter             *self,
                                                          SegClickhouseWriterCommittedFunc func,
                                                          gpointer                         user_data,
                                                          GDestroyNotify                   destroy);
guint64         seg_clickhouse_writer_get_n_events    (SegClickhouseWriter  *self);
guint64         seg_clickhouse_writer_get_n_profiles  (SegClickhouseWriter  *self);

G_END_DECLS
