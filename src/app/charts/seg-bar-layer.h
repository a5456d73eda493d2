/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-chart-layer.h"

G_BEGIN_DECLS

/**
 * SegBarLayerMode:
 * @SEG_BAR_LAYER_GROUPED: the series' bars stand side by side in each bucket
 * @SEG_BAR_LAYER_STACKED: the series' bars stand on top of each other
 */
typedef enum
{
  SEG_BAR_LAYER_GROUPED,
  SEG_BAR_LAYER_STACKED,
} SegBarLayerMode;

#define SEG_TYPE_BAR_LAYER_MODE (seg_bar_layer_mode_get_type ())
GType seg_bar_layer_mode_get_type (void) G_GNUC_CONST;

#define SEG_TYPE_BAR_LAYER (seg_bar_layer_get_type ())

G_DECLARE_FINAL_TYPE (SegBarLayer, seg_bar_layer, SEG, BAR_LAYER, SegChartLayer)

SegChartLayer   *seg_bar_layer_new      (SegBarLayerMode  mode);
SegBarLayerMode  seg_bar_layer_get_mode (SegBarLayer     *self);
void             seg_bar_layer_set_mode (SegBarLayer     *self,
                                         SegBarLayerMode  mode);
gboolean         seg_bar_layer_get_bar_rect (SegBarLayer          *self,
                                             const SegChartDomain *domain,
                                             double                width,
                                             double                height,
                                             guint                 series,
                                             guint                 index,
                                             graphene_rect_t      *rect);

G_END_DECLS
