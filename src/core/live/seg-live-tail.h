/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "seg-live-engine.h"

G_BEGIN_DECLS

#define SEG_TYPE_LIVE_TAIL (seg_live_tail_get_type ())
G_DECLARE_FINAL_TYPE (SegLiveTail, seg_live_tail, SEG, LIVE_TAIL, GObject)

/*
 * Follows a JSON-lines file (one upload element per line, see SegLiveBatch) as another
 * program appends to it, like `tail -F`: woken by a GFileMonitor, reading with async reads
 * on the main context. When the file is renamed away and a new one created (rotation) the
 * rest of the old file is read first; when it is truncated, reading starts over.
 *
 * Signals: line-rejected (guint64 line_number, const char *message)
 */

SegLiveTail *seg_live_tail_new           (SegLiveEngine  *engine,
                                          const char     *path,
                                          gboolean        from_start);
gboolean     seg_live_tail_start         (SegLiveTail    *self,
                                          GError        **error);
guint64      seg_live_tail_get_n_records (SegLiveTail    *self);
guint64      seg_live_tail_get_n_rejected(SegLiveTail    *self);

G_END_DECLS
