/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "seg-importer.h"

G_BEGIN_DECLS

/*
 * What the import assistant shows before anything is written: the columns of a file (to
 * map them) and its first records as a configured reader reads them.
 */
GStrv     seg_import_list_columns   (GFile                *file,
                                     GCancellable         *cancellable,
                                     GError              **error);
JsonNode *seg_import_preview        (SegImporter          *importer,
                                     GFile                *file,
                                     guint                 max_records,
                                     GCancellable         *cancellable,
                                     GError              **error);
void      seg_import_preview_async  (SegImporter          *importer,
                                     GFile                *file,
                                     guint                 max_records,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
JsonNode *seg_import_preview_finish (SegImporter          *importer,
                                     GAsyncResult         *result,
                                     GError              **error);
JsonNode *seg_record_to_json        (const SegRecord      *record);

G_END_DECLS
