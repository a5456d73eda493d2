/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "live/seg-live-controller.h"

#include "seg-store.h"

G_BEGIN_DECLS

#define SEG_TYPE_SEGMENTS_VIEW (seg_segments_view_get_type ())
G_DECLARE_FINAL_TYPE (SegSegmentsView, seg_segments_view, SEG, SEGMENTS_VIEW, GtkWidget)

GtkWidget  *seg_segments_view_new              (void);
SegStore   *seg_segments_view_get_store        (SegSegmentsView *self);
void        seg_segments_view_set_store        (SegSegmentsView *self,
                                                SegStore        *store);
const char *seg_segments_view_get_visible_page (SegSegmentsView *self);
GtkWidget  *seg_segments_view_get_list_page    (SegSegmentsView *self);
GtkWidget  *seg_segments_view_get_wizard       (SegSegmentsView *self);
GtkWidget  *seg_segments_view_get_report       (SegSegmentsView *self);
GtkWidget  *seg_segments_view_get_user_view    (SegSegmentsView *self);
void        seg_segments_view_open_report      (SegSegmentsView *self,
                                                SegSegment      *segment);
void        seg_segments_view_open_user        (SegSegmentsView *self,
                                                const char      *user_id);
void        seg_segments_view_find_user        (SegSegmentsView *self);
void        seg_segments_view_go_back          (SegSegmentsView *self);
void        seg_segments_view_set_live_controller (SegSegmentsView   *self,
                                                   SegLiveController *controller);

G_END_DECLS
