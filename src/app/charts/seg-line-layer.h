/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-chart-layer.h"

G_BEGIN_DECLS

#define SEG_TYPE_LINE_LAYER (seg_line_layer_get_type ())

G_DECLARE_FINAL_TYPE (SegLineLayer, seg_line_layer, SEG, LINE_LAYER, SegChartLayer)

SegChartLayer *seg_line_layer_new (void);

G_END_DECLS
