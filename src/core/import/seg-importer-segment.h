/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-importer.h"

G_BEGIN_DECLS

#define SEG_TYPE_IMPORTER_SEGMENT (seg_importer_segment_get_type ())
G_DECLARE_FINAL_TYPE (SegImporterSegment, seg_importer_segment, SEG, IMPORTER_SEGMENT, SegImporter)

G_END_DECLS
