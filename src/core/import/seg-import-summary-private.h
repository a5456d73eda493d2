/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-import-summary.h"
#include "seg-record.h"

G_BEGIN_DECLS

/* Filled by SegImport while it runs. */
SegImportSummary *seg_import_summary_new        (const char       *format_id,
                                                 const char       *file_name);
void              seg_import_summary_count      (SegImportSummary *self,
                                                 const SegRecord  *record);
void              seg_import_summary_take_sink  (SegImportSummary *self,
                                                 SegImportSink    *sink);
void              seg_import_summary_set_result (SegImportSummary *self,
                                                 const char       *fingerprint,
                                                 gboolean          already_imported,
                                                 gboolean          committed,
                                                 guint64           bytes,
                                                 double            seconds);

G_END_DECLS
