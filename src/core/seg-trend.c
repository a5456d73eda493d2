/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-trend"

#include "config.h"

#include <string.h>

#include "seg-trend.h"

/**
 * SegTrend:
 *
 * Members per day: for each day (its midnight in the store's timezone, ms since the
 * epoch), the number of members with "now" at that day's end.
 */
struct _SegTrend
{
  GObject   parent_instance;
  guint     n_days;
  gint64   *days;
  guint64  *counts;
};

G_DEFINE_FINAL_TYPE (SegTrend, seg_trend, G_TYPE_OBJECT)

enum { PROP_0, PROP_N_DAYS, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
seg_trend_finalize (GObject *object)
{
  SegTrend *self = SEG_TREND (object);

  g_free (self->days);
  g_free (self->counts);
  G_OBJECT_CLASS (seg_trend_parent_class)->finalize (object);
}

static void
seg_trend_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_N_DAYS: g_value_set_uint (value, SEG_TREND (object)->n_days); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_trend_class_init (SegTrendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = seg_trend_finalize;
  object_class->get_property = seg_trend_get_property;
  properties[PROP_N_DAYS] = g_param_spec_uint ("n-days", NULL, NULL, 0, G_MAXUINT, 0,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
seg_trend_init (SegTrend *self)
{
}

SegTrend *
seg_trend_new (guint          n_days,
               const gint64  *day_ms,
               const guint64 *counts)
{
  SegTrend *self = g_object_new (SEG_TYPE_TREND, NULL);

  self->n_days = n_days;
  self->days = g_memdup2 (day_ms, sizeof (gint64) * MAX (n_days, 1));
  self->counts = g_memdup2 (counts, sizeof (guint64) * MAX (n_days, 1));
  return self;
}

guint
seg_trend_get_n_days (SegTrend *self)
{
  return self->n_days;
}

gint64
seg_trend_get_day (SegTrend *self,
                   guint     index)
{
  g_return_val_if_fail (index < self->n_days, 0);
  return self->days[index];
}

guint64
seg_trend_get_count (SegTrend *self,
                     guint     index)
{
  g_return_val_if_fail (index < self->n_days, 0);
  return self->counts[index];
}

guint64
seg_trend_get_max (SegTrend *self)
{
  guint64 m = 0;

  for (guint i = 0; i < self->n_days; i++)
    m = MAX (m, self->counts[i]);
  return m;
}
