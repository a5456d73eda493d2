/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "seg-definition.h"
#include "seg-store.h"

G_BEGIN_DECLS

#define SEG_TYPE_REACH_PANEL (seg_reach_panel_get_type ())
G_DECLARE_FINAL_TYPE (SegReachPanel, seg_reach_panel, SEG, REACH_PANEL, GtkWidget)

GtkWidget *seg_reach_panel_new           (SegStore       *store);
void       seg_reach_panel_request       (SegReachPanel  *self,
                                          SegDefinition  *definition);
gint64     seg_reach_panel_get_count     (SegReachPanel  *self);
gint64     seg_reach_panel_get_reach     (SegReachPanel  *self,
                                          SegChannel      channel);
double     seg_reach_panel_get_latency_ms (SegReachPanel *self);
gint64     seg_reach_panel_get_shown_at   (SegReachPanel *self);
gboolean   seg_reach_panel_is_busy       (SegReachPanel  *self);
guint      seg_reach_panel_get_debounce  (SegReachPanel  *self);
void       seg_reach_panel_set_debounce  (SegReachPanel  *self,
                                          guint           ms);

G_END_DECLS
