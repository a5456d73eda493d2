/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-report-days"

#include "config.h"

#include "seg-event-info.h"
#include "seg-report-days.h"
#include "seg-time.h"

/**
 * seg_report_day_start:
 *
 * Returns: the midnight, in @tz, that starts the day holding @ms
 */
gint64
seg_report_day_start (GTimeZone *tz,
                      gint64     ms)
{
  return seg_time_midnight (tz, seg_time_day_of (tz, ms));
}

/**
 * seg_report_day_add:
 *
 * Returns: the midnight @days days after (or before) the day holding @day_ms; days around
 *   a DST change are 23 or 25 hours long
 */
gint64
seg_report_day_add (GTimeZone *tz,
                    gint64     day_ms,
                    int        days)
{
  return seg_time_midnight (tz, (guint32) ((gint64) seg_time_day_of (tz, day_ms) + days));
}

/**
 * seg_report_day_end:
 * @now_ms: the store's "now"
 *
 * Returns: the instant a day's members are counted at: the last ms of the day, or @now_ms
 *   for today
 */
gint64
seg_report_day_end (GTimeZone *tz,
                    gint64     day_ms,
                    gint64     now_ms)
{
  gint64 end = seg_report_day_add (tz, day_ms, 1) - 1;

  return now_ms > 0 ? MIN (end, now_ms) : end;
}

/**
 * seg_report_first_complete_day:
 * @events: a #GListModel of #SegEventInfo
 *
 * The first day the data covers from its midnight: the day of the oldest event when that
 * event is at midnight, otherwise the day after.
 *
 * Returns: its midnight, or 0 when there are no events
 */
gint64
seg_report_first_complete_day (GTimeZone  *tz,
                               GListModel *events)
{
  gint64 first = G_MAXINT64;
  guint n = g_list_model_get_n_items (events);
  gint64 start;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SegEventInfo) info = g_list_model_get_item (events, i);

      if (seg_event_info_get_count (info) > 0)
        first = MIN (first, seg_event_info_get_first_ts (info));
    }
  if (first == G_MAXINT64)
    return 0;
  start = seg_report_day_start (tz, first);
  return start == first ? start : seg_report_day_add (tz, start, 1);
}

/**
 * seg_report_days_between:
 *
 * Returns: how many days from @first_day_ms to @last_day_ms, both included
 */
guint
seg_report_days_between (GTimeZone *tz,
                         gint64     first_day_ms,
                         gint64     last_day_ms)
{
  guint32 a = seg_time_day_of (tz, first_day_ms);
  guint32 b = seg_time_day_of (tz, last_day_ms);

  return b >= a ? b - a + 1 : 0;
}
