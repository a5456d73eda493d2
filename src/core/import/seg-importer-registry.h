/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-importer.h"

G_BEGIN_DECLS

/* The formats Segment Studio reads. Adding a format means adding it to the list in
 * seg-importer-registry.c, nothing else. */

GPtrArray   *seg_importer_registry_list_ids (void);
SegImporter *seg_importer_registry_create   (const char  *id);
GListModel  *seg_importer_registry_list     (void);
SegImporter *seg_importer_registry_detect   (const char  *file_name,
                                             const char  *head,
                                             gsize        head_len,
                                             int         *score);

G_END_DECLS
