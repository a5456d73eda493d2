/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "seg-definition.h"

G_BEGIN_DECLS

/*
 * Calendar arithmetic in a store's timezone. A "day number" is a GDate Julian day; its
 * midnight is found through GTimeZone so that days around DST changes are 23 or 25 hours.
 */

guint32  seg_time_day_of          (GTimeZone   *tz,
                                   gint64       ms);
gint64   seg_time_midnight        (GTimeZone   *tz,
                                   guint32      julian_day);
guint32  seg_time_add_months      (guint32      julian_day,
                                   int          months);
gboolean seg_time_parse_date      (GTimeZone   *tz,
                                   const char  *str,
                                   gint64      *start_ms,
                                   gint64      *end_ms);
gboolean seg_time_parse_timestamp (const char  *str,
                                   gsize        len,
                                   GTimeZone   *tz,
                                   gint64      *ms);
void     seg_time_window_bounds   (const SegTimeWindow *window,
                                   GTimeZone           *tz,
                                   gint64               now_ms,
                                   gint64              *lo,
                                   gint64              *hi);
void     seg_time_last_bounds     (gint64       n,
                                   SegTimeUnit  unit,
                                   GTimeZone   *tz,
                                   gint64       now_ms,
                                   gint64      *lo);
gint64   seg_time_unit_ms         (SegTimeUnit  unit);

G_END_DECLS
