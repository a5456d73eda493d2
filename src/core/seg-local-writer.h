/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-store-writer.h"

G_BEGIN_DECLS

#define SEG_TYPE_LOCAL_WRITER (seg_local_writer_get_type ())
G_DECLARE_FINAL_TYPE (SegLocalWriter, seg_local_writer, SEG, LOCAL_WRITER, SegStoreWriter)

/* Counters of what a writer did, for import summaries. */
typedef struct
{
  guint64 events_added;
  guint64 events_duplicate;   /* skipped: insert_id already stored */
  guint64 profiles_updated;
  guint64 users_added;
} SegLocalWriterStats;

void seg_local_writer_get_stats (SegLocalWriter      *self,
                                 SegLocalWriterStats *stats);
void seg_local_writer_prefetch  (SegLocalWriter      *self,
                                 const SegRecord     *record);
void seg_local_writer_prefetch_hashed (SegLocalWriter *self,
                                       guint64         user_hash);
gboolean seg_local_writer_add_hashed  (SegLocalWriter   *self,
                                       const SegRecord  *record,
                                       guint64           user_hash,
                                       const guint64    *prop_hashes,
                                       GError          **error);

G_END_DECLS
