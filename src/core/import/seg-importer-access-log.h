/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-importer.h"

G_BEGIN_DECLS

#define SEG_TYPE_IMPORTER_ACCESS_LOG (seg_importer_access_log_get_type ())
G_DECLARE_FINAL_TYPE (SegImporterAccessLog, seg_importer_access_log, SEG, IMPORTER_ACCESS_LOG, SegImporter)

G_END_DECLS
