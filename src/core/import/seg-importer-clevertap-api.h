/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-importer.h"

G_BEGIN_DECLS

#define SEG_TYPE_IMPORTER_CLEVERTAP_API (seg_importer_clevertap_api_get_type ())
G_DECLARE_FINAL_TYPE (SegImporterClevertapApi, seg_importer_clevertap_api, SEG, IMPORTER_CLEVERTAP_API, SegImporter)

G_END_DECLS
