/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "seg-importer.h"
#include "seg-import-summary.h"
#include "seg-store-writer.h"

G_BEGIN_DECLS

#define SEG_TYPE_IMPORT (seg_import_get_type ())
G_DECLARE_FINAL_TYPE (SegImport, seg_import, SEG, IMPORT, GObject)

/*
 * One import of one file into a store: detects the format (unless a configured reader is
 * given), reads the file on a worker thread (gzip is read directly), fingerprints its
 * bytes in the same pass, hands records to the writer and commits them all at once.
 * A failed, stopped or cancelled import aborts the writer: the store is left as it was.
 * A file whose fingerprint the store already recorded adds nothing.
 *
 * The "progress" signal is emitted on the main context of the thread that started the
 * import, a few times a second.
 */
SegImport        *seg_import_new          (GFile             *file,
                                           SegStoreWriter    *writer);
GFile            *seg_import_get_file     (SegImport         *self);
SegStoreWriter   *seg_import_get_writer   (SegImport         *self);
SegImporter      *seg_import_get_importer (SegImport         *self);
void              seg_import_set_importer (SegImport         *self,
                                           SegImporter       *importer);
void              seg_import_set_policy   (SegImport         *self,
                                           SegImportPolicy    policy);
void              seg_import_set_check_first (SegImport      *self,
                                              gboolean        check_first);
void              seg_import_set_timezone (SegImport         *self,
                                           GTimeZone         *tz);
void              seg_import_set_event_name (SegImport       *self,
                                             const char      *event_name);
void              seg_import_set_mapping  (SegImport         *self,
                                           SegImportMapping  *mapping);

void              seg_import_run_async    (SegImport           *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
SegImportSummary *seg_import_run_finish   (SegImport           *self,
                                           GAsyncResult        *result,
                                           GError             **error);
SegImportSummary *seg_import_run          (SegImport           *self,
                                           GCancellable        *cancellable,
                                           GError             **error);
SegImportSummary *seg_import_get_summary  (SegImport           *self);

/* Opening and detection, also used by the assistant's preview. */
GInputStream     *seg_import_open_stream  (GInputStream        *raw,
                                           gboolean            *gzipped,
                                           GCancellable        *cancellable,
                                           GError             **error);
char             *seg_import_read_head    (GFile               *file,
                                           gsize               *len,
                                           GCancellable        *cancellable,
                                           GError             **error);
SegImporter      *seg_import_detect       (GFile               *file,
                                           GCancellable        *cancellable,
                                           GError             **error);

G_END_DECLS
