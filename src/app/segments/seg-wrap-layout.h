/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SEG_TYPE_WRAP_LAYOUT (seg_wrap_layout_get_type ())
G_DECLARE_FINAL_TYPE (SegWrapLayout, seg_wrap_layout, SEG, WRAP_LAYOUT, GtkLayoutManager)

GtkLayoutManager *seg_wrap_layout_new (int spacing);
GtkWidget        *seg_wrap_box_new    (int spacing);

G_END_DECLS
