/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-importer.h"

G_BEGIN_DECLS

#define SEG_TYPE_IMPORTER_AMPLITUDE (seg_importer_amplitude_get_type ())
G_DECLARE_FINAL_TYPE (SegImporterAmplitude, seg_importer_amplitude, SEG, IMPORTER_AMPLITUDE, SegImporter)

G_END_DECLS
