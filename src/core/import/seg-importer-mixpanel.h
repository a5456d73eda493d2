/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-importer.h"

G_BEGIN_DECLS

#define SEG_TYPE_IMPORTER_MIXPANEL (seg_importer_mixpanel_get_type ())
G_DECLARE_FINAL_TYPE (SegImporterMixpanel, seg_importer_mixpanel, SEG, IMPORTER_MIXPANEL, SegImporter)

G_END_DECLS
