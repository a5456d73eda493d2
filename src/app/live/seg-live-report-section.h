/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "charts/seg-chart-series.h"
#include "seg-live-controller.h"

G_BEGIN_DECLS

#define SEG_TYPE_LIVE_REPORT_SECTION (seg_live_report_section_get_type ())
G_DECLARE_FINAL_TYPE (SegLiveReportSection, seg_live_report_section, SEG, LIVE_REPORT_SECTION, GtkWidget)

/*
 * The live part of a live segment's report: whether the window's live engine runs the
 * segment and receives events (and if not, plainly so, with the way to switch a stream
 * on), a streaming chart of the users qualifying for this segment per second against all
 * events per second, appended on each tick of the live controller (once a second), and
 * the users trickling in, newest first.
 *
 * Signals: user-activated (const char *user_id); members-changed (): users qualified for
 * the segment and their memberships are stored (at most every two seconds)
 */

GtkWidget         *seg_live_report_section_new               (SegLiveController    *controller,
                                                              const char           *segment_id);
SegLiveController *seg_live_report_section_get_controller    (SegLiveReportSection *self);
void               seg_live_report_section_set_controller    (SegLiveReportSection *self,
                                                              SegLiveController    *controller);
const char        *seg_live_report_section_get_segment_id    (SegLiveReportSection *self);
SegChartSeries    *seg_live_report_section_get_rate_series   (SegLiveReportSection *self);
SegChartSeries    *seg_live_report_section_get_events_series (SegLiveReportSection *self);
GListModel        *seg_live_report_section_get_arrivals      (SegLiveReportSection *self);
const char        *seg_live_report_section_get_status        (SegLiveReportSection *self);
gboolean           seg_live_report_section_is_receiving      (SegLiveReportSection *self);

G_END_DECLS
