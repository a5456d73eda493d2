/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-importer.h"

G_BEGIN_DECLS

#define SEG_TYPE_IMPORTER_CLEVERTAP_LIST (seg_importer_clevertap_list_get_type ())
G_DECLARE_FINAL_TYPE (SegImporterClevertapList, seg_importer_clevertap_list, SEG, IMPORTER_CLEVERTAP_LIST, SegImporter)

G_END_DECLS
