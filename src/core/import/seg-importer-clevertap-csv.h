/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-importer.h"

G_BEGIN_DECLS

#define SEG_TYPE_IMPORTER_CLEVERTAP_CSV (seg_importer_clevertap_csv_get_type ())
G_DECLARE_FINAL_TYPE (SegImporterClevertapCsv, seg_importer_clevertap_csv, SEG, IMPORTER_CLEVERTAP_CSV, SegImporter)

G_END_DECLS
