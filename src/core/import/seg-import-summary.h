/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "seg-import-sink.h"

G_BEGIN_DECLS

#define SEG_TYPE_IMPORT_SUMMARY (seg_import_summary_get_type ())
G_DECLARE_FINAL_TYPE (SegImportSummary, seg_import_summary, SEG, IMPORT_SUMMARY, GObject)

/*
 * What an import did, for the assistant's last page and `segctl import --json`. Counts
 * are of what the file held; when the file had been imported before (already-imported)
 * nothing was added to the store.
 */
const char  *seg_import_summary_get_format_id        (SegImportSummary *self);
const char  *seg_import_summary_get_file_name        (SegImportSummary *self);
const char  *seg_import_summary_get_fingerprint      (SegImportSummary *self);
gboolean     seg_import_summary_get_already_imported (SegImportSummary *self);
gboolean     seg_import_summary_get_committed        (SegImportSummary *self);
guint64      seg_import_summary_get_rows_read        (SegImportSummary *self);
guint64      seg_import_summary_get_events           (SegImportSummary *self);
guint64      seg_import_summary_get_profiles         (SegImportSummary *self);
guint64      seg_import_summary_get_users            (SegImportSummary *self);
guint64      seg_import_summary_get_rejected         (SegImportSummary *self);
guint64      seg_import_summary_get_bytes            (SegImportSummary *self);
double       seg_import_summary_get_seconds          (SegImportSummary *self);
GStrv        seg_import_summary_dup_event_names      (SegImportSummary *self);
guint64      seg_import_summary_get_event_count      (SegImportSummary *self,
                                                      const char       *event_name);
gboolean     seg_import_summary_get_date_range       (SegImportSummary *self,
                                                      gint64           *first_ms,
                                                      gint64           *last_ms);
GPtrArray   *seg_import_summary_get_bad_rows         (SegImportSummary *self);
GPtrArray   *seg_import_summary_get_identities       (SegImportSummary *self);
GPtrArray   *seg_import_summary_get_identity_types   (SegImportSummary *self);
JsonNode    *seg_import_summary_to_json              (SegImportSummary *self);

G_END_DECLS
