/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "seg-record.h"
#include "seg-store-writer.h"

G_BEGIN_DECLS

/**
 * SegImportPolicy:
 * @SEG_IMPORT_POLICY_SKIP: skip bad rows, report them and go on
 * @SEG_IMPORT_POLICY_STOP: stop at the first bad row
 */
typedef enum
{
  SEG_IMPORT_POLICY_SKIP = 0,
  SEG_IMPORT_POLICY_STOP,
} SegImportPolicy;

#define SEG_IMPORT_ERROR (seg_import_error_quark ())

typedef enum
{
  SEG_IMPORT_ERROR_BAD_ROW,        /* a bad row under SEG_IMPORT_POLICY_STOP */
  SEG_IMPORT_ERROR_UNKNOWN_FORMAT, /* no reader recognises the file */
  SEG_IMPORT_ERROR_INVALID_MAPPING,
  SEG_IMPORT_ERROR_INVALID_DATA,   /* the file as a whole cannot be read */
} SegImportError;

GQuark seg_import_error_quark (void);

/* How many bad rows are kept with their reasons; all are counted. */
#define SEG_IMPORT_MAX_BAD_ROWS 100

#define SEG_TYPE_IMPORT_BAD_ROW (seg_import_bad_row_get_type ())

typedef struct
{
  char    *file;
  guint64  line;
  char    *reason;
} SegImportBadRow;

GType            seg_import_bad_row_get_type (void) G_GNUC_CONST;
SegImportBadRow *seg_import_bad_row_copy     (const SegImportBadRow *row);
void             seg_import_bad_row_free     (SegImportBadRow       *row);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SegImportBadRow, seg_import_bad_row_free)

/**
 * SegImportProgressFunc:
 * @rows: rows read so far
 * @bytes: bytes of (decompressed) text read so far
 *
 * Called from the reading thread, at most every few thousand rows.
 */
typedef void (*SegImportProgressFunc) (guint64  rows,
                                       guint64  bytes,
                                       gpointer user_data);

typedef struct _SegImportSink SegImportSink;

/*
 * Where a reader puts what it reads: records, bad rows, progress, identities of a
 * custom list. Not thread-safe: one reader thread uses it.
 *
 * With seg_import_sink_set_pipeline() the records go to another thread: emit() copies
 * each record (with the hashes a writer needs) into a batch of a few thousand, and a
 * consumer thread hands the batches, in order, to the pipeline's function, while the
 * reader goes on parsing. At most a few batches are in flight, so memory stays bounded.
 * A failure of the consumer stops the reader at its next emit(). The owner calls
 * seg_import_sink_drain() once the reader has returned.
 */
SegImportSink *seg_import_sink_new               (const char            *file_name,
                                                  SegRecordFunc          func,
                                                  gpointer               user_data);
void           seg_import_sink_free              (SegImportSink         *sink);

typedef gboolean (*SegHashedRecordFunc) (const SegRecord        *record,
                                         const SegRecordHashes  *hashes,
                                         gpointer                user_data,
                                         GError                **error);
typedef void     (*SegRecordPrefetchFunc) (const SegRecordHashes *hashes,
                                           gpointer               user_data);
typedef void     (*SegRecordObserveFunc)  (const SegRecord       *record,
                                           gpointer               user_data);

void           seg_import_sink_set_pipeline      (SegImportSink         *sink,
                                                  SegRecordObserveFunc   observe,
                                                  SegHashedRecordFunc    func,
                                                  SegRecordPrefetchFunc  prefetch,
                                                  gpointer               user_data);
gboolean       seg_import_sink_drain             (SegImportSink         *sink,
                                                  gboolean               deliver,
                                                  GError               **error);
void           seg_import_sink_set_policy        (SegImportSink         *sink,
                                                  SegImportPolicy        policy);
void           seg_import_sink_set_progress_func (SegImportSink         *sink,
                                                  SegImportProgressFunc  func,
                                                  gpointer               user_data);
const char    *seg_import_sink_get_file_name     (SegImportSink         *sink);

gboolean       seg_import_sink_emit              (SegImportSink         *sink,
                                                  const SegRecord       *record,
                                                  GError               **error);
gboolean       seg_import_sink_reject            (SegImportSink         *sink,
                                                  guint64                line,
                                                  const char            *reason,
                                                  GError               **error);
gboolean       seg_import_sink_rejectf           (SegImportSink         *sink,
                                                  guint64                line,
                                                  GError               **error,
                                                  const char            *format,
                                                  ...) G_GNUC_PRINTF (4, 5);
void           seg_import_sink_row               (SegImportSink         *sink,
                                                  guint64                bytes);
void           seg_import_sink_finish            (SegImportSink         *sink,
                                                  guint64                bytes);
void           seg_import_sink_add_identity      (SegImportSink         *sink,
                                                  const char            *type,
                                                  const char            *identity);

guint64        seg_import_sink_get_rows_read     (SegImportSink         *sink);
guint64        seg_import_sink_get_records       (SegImportSink         *sink);
guint64        seg_import_sink_get_rejected      (SegImportSink         *sink);
GPtrArray     *seg_import_sink_get_bad_rows      (SegImportSink         *sink);
GPtrArray     *seg_import_sink_get_identities    (SegImportSink         *sink);
GPtrArray     *seg_import_sink_get_identity_types (SegImportSink        *sink);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SegImportSink, seg_import_sink_free)

G_END_DECLS
