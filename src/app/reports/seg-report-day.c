/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-report-day"

#include "config.h"

#include "seg-report-day.h"
#include "seg-report-format.h"

/**
 * SegReportDay:
 *
 * One row of a report's per-day table: the day, its member count and the change from
 * the day before. "count-text" and "change-text" are what the table shows.
 */
struct _SegReportDay
{
  GObject   parent_instance;
  gint64    day_ms;
  char     *label;
  guint64   count;
  gboolean  has_change;
  gint64    change;
};

G_DEFINE_FINAL_TYPE (SegReportDay, seg_report_day, G_TYPE_OBJECT)

enum { PROP_0, PROP_LABEL, PROP_COUNT_TEXT, PROP_CHANGE_TEXT, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
seg_report_day_finalize (GObject *object)
{
  g_free (SEG_REPORT_DAY (object)->label);
  G_OBJECT_CLASS (seg_report_day_parent_class)->finalize (object);
}

static void
seg_report_day_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SegReportDay *self = SEG_REPORT_DAY (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_COUNT_TEXT:
      g_value_take_string (value, seg_report_format_count (self->count));
      break;
    case PROP_CHANGE_TEXT:
      g_value_take_string (value, self->has_change ? seg_report_format_change (self->change)
                                                   : g_strdup ("—"));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_report_day_class_init (SegReportDayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = seg_report_day_finalize;
  object_class->get_property = seg_report_day_get_property;
  properties[PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL, ro);
  properties[PROP_COUNT_TEXT] = g_param_spec_string ("count-text", NULL, NULL, NULL, ro);
  properties[PROP_CHANGE_TEXT] = g_param_spec_string ("change-text", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
seg_report_day_init (SegReportDay *self)
{
}

SegReportDay *
seg_report_day_new (gint64      day_ms,
                    const char *label,
                    guint64     count,
                    gboolean    has_change,
                    gint64      change)
{
  SegReportDay *self = g_object_new (SEG_TYPE_REPORT_DAY, NULL);

  self->day_ms = day_ms;
  self->label = g_strdup (label);
  self->count = count;
  self->has_change = has_change;
  self->change = change;
  return self;
}

gint64
seg_report_day_get_day (SegReportDay *self)
{
  return self->day_ms;
}

const char *
seg_report_day_get_label (SegReportDay *self)
{
  return self->label;
}

guint64
seg_report_day_get_count (SegReportDay *self)
{
  return self->count;
}

gint64
seg_report_day_get_change (SegReportDay *self)
{
  return self->change;
}

gboolean
seg_report_day_has_change (SegReportDay *self)
{
  return self->has_change;
}
