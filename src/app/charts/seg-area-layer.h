/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-chart-layer.h"

G_BEGIN_DECLS

#define SEG_TYPE_AREA_LAYER (seg_area_layer_get_type ())

G_DECLARE_FINAL_TYPE (SegAreaLayer, seg_area_layer, SEG, AREA_LAYER, SegChartLayer)

SegChartLayer *seg_area_layer_new (void);

G_END_DECLS
