/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "report/seg-member-export.h"
#include "seg-store.h"

G_BEGIN_DECLS

#define SEG_TYPE_SEGMENT_REPORT (seg_segment_report_get_type ())
G_DECLARE_FINAL_TYPE (SegSegmentReport, seg_segment_report, SEG, SEGMENT_REPORT, GtkWidget)

/**
 * SegReportRange:
 * The days the trend shows, ending today.
 */
typedef enum
{
  SEG_REPORT_RANGE_7_DAYS,
  SEG_REPORT_RANGE_30_DAYS,
  SEG_REPORT_RANGE_90_DAYS,
  SEG_REPORT_RANGE_ALL,
  SEG_REPORT_RANGE_SINCE_CREATED,
  SEG_REPORT_RANGE_CUSTOM,
} SegReportRange;

GtkWidget  *seg_segment_report_new              (SegStore         *store,
                                                 SegSegment       *segment);
SegStore   *seg_segment_report_get_store        (SegSegmentReport *self);
SegSegment *seg_segment_report_get_segment      (SegSegmentReport *self);
gboolean    seg_segment_report_get_busy         (SegSegmentReport *self);
void        seg_segment_report_refresh          (SegSegmentReport *self);
void        seg_segment_report_update           (SegSegmentReport *self);
void        seg_segment_report_set_range        (SegSegmentReport *self,
                                                 SegReportRange    range);
void        seg_segment_report_set_custom_range (SegSegmentReport *self,
                                                 gint64            first_day_ms,
                                                 gint64            last_day_ms);
void        seg_segment_report_select_day       (SegSegmentReport *self,
                                                 gint64            day_ms);
gint64      seg_segment_report_get_selected_day (SegSegmentReport *self);
gint64      seg_segment_report_get_now          (SegSegmentReport *self);
GListModel *seg_segment_report_get_days         (SegSegmentReport *self);
GListModel *seg_segment_report_get_sample       (SegSegmentReport *self);
void        seg_segment_report_set_live_section (SegSegmentReport *self,
                                                 GtkWidget        *section);
GtkWidget  *seg_segment_report_get_live_section (SegSegmentReport *self);
gint64      seg_segment_report_get_reach        (SegSegmentReport *self,
                                                 SegChannel        channel);
void        seg_segment_report_export           (SegSegmentReport      *self,
                                                 SegMemberExportFormat  format,
                                                 const char * const    *fields,
                                                 GFile                 *file);

G_END_DECLS
