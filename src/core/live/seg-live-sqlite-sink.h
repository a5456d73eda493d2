/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-live-sink.h"

G_BEGIN_DECLS

#define SEG_TYPE_LIVE_SQLITE_SINK (seg_live_sqlite_sink_get_type ())
G_DECLARE_FINAL_TYPE (SegLiveSqliteSink, seg_live_sqlite_sink, SEG, LIVE_SQLITE_SINK, GObject)

SegLiveSqliteSink *seg_live_sqlite_sink_new        (const char         *path,
                                                    GError            **error);
guint64            seg_live_sqlite_sink_count      (SegLiveSqliteSink  *self,
                                                    const char         *segment_id,
                                                    gboolean            distinct_users);

G_END_DECLS
