/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SEG_TYPE_REPORT_DAY (seg_report_day_get_type ())
G_DECLARE_FINAL_TYPE (SegReportDay, seg_report_day, SEG, REPORT_DAY, GObject)

SegReportDay *seg_report_day_new         (gint64        day_ms,
                                          const char   *label,
                                          guint64       count,
                                          gboolean      has_change,
                                          gint64        change);
gint64        seg_report_day_get_day     (SegReportDay *self);
const char   *seg_report_day_get_label   (SegReportDay *self);
guint64       seg_report_day_get_count   (SegReportDay *self);
gint64        seg_report_day_get_change  (SegReportDay *self);
gboolean      seg_report_day_has_change  (SegReportDay *self);

G_END_DECLS
