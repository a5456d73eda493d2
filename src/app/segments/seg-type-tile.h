/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SEG_TYPE_TYPE_TILE (seg_type_tile_get_type ())
G_DECLARE_FINAL_TYPE (SegTypeTile, seg_type_tile, SEG, TYPE_TILE, GtkWidget)

const char *seg_type_tile_get_kind_id (SegTypeTile *self);
const char *seg_type_tile_get_title   (SegTypeTile *self);

G_END_DECLS
