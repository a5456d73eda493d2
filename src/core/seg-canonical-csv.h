/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "seg-store-writer.h"

G_BEGIN_DECLS

/*
 * The fast reader of the canonical CSV formats (docs/segment-format.md): events
 * `user_id,event,ts,<props...>` and profiles `user_id,<props...>` (a header without
 * event and ts). It parses in place in large buffers and hands SegRecords to a writer.
 */

typedef enum
{
  SEG_CANONICAL_CSV_EVENTS,
  SEG_CANONICAL_CSV_PROFILES,
} SegCanonicalCsvKind;

typedef struct
{
  SegCanonicalCsvKind  kind;
  guint64              rows_read;
  guint64              records_added;
  guint64              rejected;
  GPtrArray           *rejects;            /* "file:line: reason", at most 100 */
  gboolean             already_imported;   /* the same file was imported before */
} SegCanonicalCsvStats;

typedef void (*SegCanonicalCsvProgressFunc) (guint64   rows,
                                             guint64   bytes,
                                             guint64   total_bytes,
                                             gpointer  user_data);

void     seg_canonical_csv_stats_clear (SegCanonicalCsvStats  *stats);
gboolean seg_canonical_csv_import      (SegStoreWriter        *writer,
                                        const char            *path,
                                        GTimeZone             *tz,
                                        gint64                 profile_ts_ms,
                                        SegCanonicalCsvStats  *stats,
                                        GCancellable          *cancellable,
                                        GError               **error);
gboolean seg_canonical_csv_import_with_progress (SegStoreWriter               *writer,
                                                 const char                   *path,
                                                 GTimeZone                    *tz,
                                                 gint64                        profile_ts_ms,
                                                 SegCanonicalCsvStats         *stats,
                                                 SegCanonicalCsvProgressFunc   progress,
                                                 gpointer                      progress_data,
                                                 GCancellable                 *cancellable,
                                                 GError                      **error);

G_END_DECLS
