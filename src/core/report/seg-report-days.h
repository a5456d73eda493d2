/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Day arithmetic for reports, in the store's timezone. A day is named by the ms of its
 * midnight; its members are those who qualify at its end (or at "now" for today), which
 * is how the store computes a trend.
 */

gint64 seg_report_day_start          (GTimeZone  *tz,
                                      gint64      ms);
gint64 seg_report_day_add            (GTimeZone  *tz,
                                      gint64      day_ms,
                                      int         days);
gint64 seg_report_day_end            (GTimeZone  *tz,
                                      gint64      day_ms,
                                      gint64      now_ms);
gint64 seg_report_first_complete_day (GTimeZone  *tz,
                                      GListModel *events);
guint  seg_report_days_between       (GTimeZone  *tz,
                                      gint64      first_day_ms,
                                      gint64      last_day_ms);

G_END_DECLS
