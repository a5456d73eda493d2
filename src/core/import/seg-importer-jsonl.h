/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-importer.h"

G_BEGIN_DECLS

#define SEG_TYPE_IMPORTER_JSONL (seg_importer_jsonl_get_type ())
G_DECLARE_FINAL_TYPE (SegImporterJsonl, seg_importer_jsonl, SEG, IMPORTER_JSONL, SegImporter)

G_END_DECLS
