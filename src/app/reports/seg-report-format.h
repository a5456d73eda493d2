/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "seg-types.h"

G_BEGIN_DECLS

/* How reports write numbers, shares and days, so the page and its tests agree. */

char       *seg_report_format_count   (guint64     count);
char       *seg_report_format_percent (guint64     part,
                                       guint64     whole);
char       *seg_report_format_change  (gint64      change);
char       *seg_report_format_day     (GTimeZone  *tz,
                                       gint64      day_ms);
char       *seg_report_format_time    (GTimeZone  *tz,
                                       gint64      ms);
const char *seg_report_channel_label  (SegChannel  channel);
const char *seg_report_kind_label     (SegSegmentKind kind);

G_END_DECLS
