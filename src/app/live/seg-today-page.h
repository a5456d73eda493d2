/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "charts/seg-chart-series.h"
#include "seg-live-controller.h"

G_BEGIN_DECLS

#define SEG_TYPE_TODAY_PAGE (seg_today_page_get_type ())
G_DECLARE_FINAL_TYPE (SegTodayPage, seg_today_page, SEG, TODAY_PAGE, GtkWidget)

/*
 * The "Today" realtime dashboard: the live streams the user switches on (the ingest
 * endpoint), events per minute and users qualifying as streaming charts, the users
 * trickling in (newest first), a filter offering only live segments, and what the live
 * engine holds in memory.
 *
 * Signals: user-activated (const char *user_id): a row was activated, open the profile
 */

GtkWidget         *seg_today_page_new              (void);
SegStore          *seg_today_page_get_store        (SegTodayPage *self);
void               seg_today_page_set_store        (SegTodayPage *self,
                                                    SegStore     *store);
SegLiveController *seg_today_page_get_controller   (SegTodayPage *self);
GListModel        *seg_today_page_get_filter_model (SegTodayPage *self);
GListModel        *seg_today_page_get_user_model   (SegTodayPage *self);
void               seg_today_page_select_segment   (SegTodayPage *self,
                                                    const char   *segment_id);
gboolean           seg_today_page_set_ingest       (SegTodayPage *self,
                                                    gboolean      enabled,
                                                    const char   *address,
                                                    guint         port);
gboolean           seg_today_page_start_tail       (SegTodayPage *self,
                                                    const char   *path);
void               seg_today_page_start_replay     (SegTodayPage *self,
                                                    const char   *path,
                                                    double        speed);
void               seg_today_page_start_store_replay (SegTodayPage *self,
                                                      gint64        from_ms,
                                                      gint64        to_ms,
                                                      double        speed);
GtkWidget         *seg_today_page_get_events_chart (SegTodayPage *self);
SegChartSeries    *seg_today_page_get_days_series  (SegTodayPage *self);
GtkWidget         *seg_today_page_get_stats_label  (SegTodayPage *self);

G_END_DECLS
