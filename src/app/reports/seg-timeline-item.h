/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SEG_TYPE_TIMELINE_ITEM (seg_timeline_item_get_type ())
G_DECLARE_FINAL_TYPE (SegTimelineItem, seg_timeline_item, SEG, TIMELINE_ITEM, GObject)

SegTimelineItem *seg_timeline_item_new_header (const char      *day);
SegTimelineItem *seg_timeline_item_new_event  (gint64           ts_ms,
                                               const char      *time,
                                               const char      *event,
                                               const char      *details);
gboolean         seg_timeline_item_is_header  (SegTimelineItem *self);
gint64           seg_timeline_item_get_ts     (SegTimelineItem *self);
const char      *seg_timeline_item_get_title  (SegTimelineItem *self);
const char      *seg_timeline_item_get_time   (SegTimelineItem *self);
const char      *seg_timeline_item_get_details (SegTimelineItem *self);

G_END_DECLS
