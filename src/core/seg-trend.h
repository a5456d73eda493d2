/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SEG_TYPE_TREND (seg_trend_get_type ())
G_DECLARE_FINAL_TYPE (SegTrend, seg_trend, SEG, TREND, GObject)

SegTrend *seg_trend_new         (guint           n_days,
                                 const gint64   *day_ms,
                                 const guint64  *counts);
guint     seg_trend_get_n_days  (SegTrend       *self);
gint64    seg_trend_get_day     (SegTrend       *self,
                                 guint           index);
guint64   seg_trend_get_count   (SegTrend       *self,
                                 guint           index);
guint64   seg_trend_get_max     (SegTrend       *self);

G_END_DECLS
