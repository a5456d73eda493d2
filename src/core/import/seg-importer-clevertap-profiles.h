/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-importer.h"

G_BEGIN_DECLS

#define SEG_TYPE_IMPORTER_CLEVERTAP_PROFILES (seg_importer_clevertap_profiles_get_type ())
G_DECLARE_FINAL_TYPE (SegImporterClevertapProfiles, seg_importer_clevertap_profiles, SEG, IMPORTER_CLEVERTAP_PROFILES, SegImporter)

G_END_DECLS
