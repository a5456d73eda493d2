/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SEG_TYPE_EVENT_INFO (seg_event_info_get_type ())
G_DECLARE_FINAL_TYPE (SegEventInfo, seg_event_info, SEG, EVENT_INFO, GObject)

SegEventInfo *seg_event_info_new           (const char   *name,
                                            guint64       count,
                                            gint64        first_ts,
                                            gint64        last_ts);
const char   *seg_event_info_get_name      (SegEventInfo *self);
guint64       seg_event_info_get_count     (SegEventInfo *self);
gint64        seg_event_info_get_first_ts  (SegEventInfo *self);
gint64        seg_event_info_get_last_ts   (SegEventInfo *self);

G_END_DECLS
