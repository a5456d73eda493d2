/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-event-info"

#include "config.h"

#include "seg-event-info.h"

/**
 * SegEventInfo:
 *
 * An event name of a store, how often it occurs and when it first and last occurred
 * (milliseconds since the epoch).
 */
struct _SegEventInfo
{
  GObject  parent_instance;
  char    *name;
  guint64  count;
  gint64   first_ts;
  gint64   last_ts;
};

G_DEFINE_FINAL_TYPE (SegEventInfo, seg_event_info, G_TYPE_OBJECT)

enum { PROP_0, PROP_NAME, PROP_COUNT, PROP_FIRST_TS, PROP_LAST_TS, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
seg_event_info_finalize (GObject *object)
{
  g_free (SEG_EVENT_INFO (object)->name);
  G_OBJECT_CLASS (seg_event_info_parent_class)->finalize (object);
}

static void
seg_event_info_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SegEventInfo *self = SEG_EVENT_INFO (object);

  switch (prop_id)
    {
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_COUNT: g_value_set_uint64 (value, self->count); break;
    case PROP_FIRST_TS: g_value_set_int64 (value, self->first_ts); break;
    case PROP_LAST_TS: g_value_set_int64 (value, self->last_ts); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
seg_event_info_class_init (SegEventInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = seg_event_info_finalize;
  object_class->get_property = seg_event_info_get_property;
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  properties[PROP_COUNT] = g_param_spec_uint64 ("count", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_FIRST_TS] = g_param_spec_int64 ("first-ts", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro);
  properties[PROP_LAST_TS] = g_param_spec_int64 ("last-ts", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
seg_event_info_init (SegEventInfo *self)
{
}

SegEventInfo *
seg_event_info_new (const char *name,
                    guint64     count,
                    gint64      first_ts,
                    gint64      last_ts)
{
  SegEventInfo *self = g_object_new (SEG_TYPE_EVENT_INFO, NULL);

  self->name = g_strdup (name);
  self->count = count;
  self->first_ts = first_ts;
  self->last_ts = last_ts;
  return self;
}

const char *
seg_event_info_get_name (SegEventInfo *self)
{
  return self->name;
}

guint64
seg_event_info_get_count (SegEventInfo *self)
{
  return self->count;
}

gint64
seg_event_info_get_first_ts (SegEventInfo *self)
{
  return self->first_ts;
}

gint64
seg_event_info_get_last_ts (SegEventInfo *self)
{
  return self->last_ts;
}
