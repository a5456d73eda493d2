/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-importer.h"

G_BEGIN_DECLS

#define SEG_TYPE_IMPORTER_CSV (seg_importer_csv_get_type ())
G_DECLARE_FINAL_TYPE (SegImporterCsv, seg_importer_csv, SEG, IMPORTER_CSV, SegImporter)

/*
 * Generic CSV with a column mapping. Without a mapping the header chooses a preset: the
 * canonical CSV (`user_id,event,ts,...`) or the profiles CSV (`user_id,...`).
 */

/* Private: the CSV reading loop shared with the CleverTap CSV reader. */
typedef SegImportMapping *(*SegCsvHeaderFunc) (const char * const *header,
                                               guint               n_columns,
                                               gpointer            user_data,
                                               GError            **error);

typedef enum
{
  SEG_CSV_FLAGS_NONE = 0,
  /* Columns "profile.<key>" (other than the user columns) make a profile record. */
  SEG_CSV_FLAGS_PROFILE_COLUMNS = 1 << 0,
} SegCsvFlags;

gboolean seg_import_read_csv (GInputStream      *stream,
                              SegImportSink     *sink,
                              SegImportMapping  *mapping,
                              SegCsvHeaderFunc   header_func,
                              gpointer           header_data,
                              GTimeZone         *tz,
                              SegCsvFlags        flags,
                              GCancellable      *cancellable,
                              GError           **error);

/* The delimiter the first line of a CSV file most likely uses (',', ';', '\t', '|'). */
char     seg_csv_guess_delimiter (const char *line,
                                  gsize       len);

G_END_DECLS
