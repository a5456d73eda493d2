/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-timeline-item"

#include "config.h"

#include "seg-timeline-item.h"

/**
 * SegTimelineItem:
 *
 * One row of a user's activity timeline: a day heading, or an event with its time and a
 * one-line summary of its properties. Headings are items of their own because GTK 4.8's
 * list views have no sections.
 */
struct _SegTimelineItem
{
  GObject   parent_instance;
  gboolean  header;
  gint64    ts_ms;
  char     *title;
  char     *time;
  char     *details;
};

G_DEFINE_FINAL_TYPE (SegTimelineItem, seg_timeline_item, G_TYPE_OBJECT)

static void
seg_timeline_item_finalize (GObject *object)
{
  SegTimelineItem *self = SEG_TIMELINE_ITEM (object);

  g_free (self->title);
  g_free (self->time);
  g_free (self->details);
  G_OBJECT_CLASS (seg_timeline_item_parent_class)->finalize (object);
}

static void
seg_timeline_item_class_init (SegTimelineItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = seg_timeline_item_finalize;
}

static void
seg_timeline_item_init (SegTimelineItem *self)
{
}

SegTimelineItem *
seg_timeline_item_new_header (const char *day)
{
  SegTimelineItem *self = g_object_new (SEG_TYPE_TIMELINE_ITEM, NULL);

  self->header = TRUE;
  self->title = g_strdup (day);
  return self;
}

SegTimelineItem *
seg_timeline_item_new_event (gint64      ts_ms,
                             const char *time,
                             const char *event,
                             const char *details)
{
  SegTimelineItem *self = g_object_new (SEG_TYPE_TIMELINE_ITEM, NULL);

  self->ts_ms = ts_ms;
  self->time = g_strdup (time);
  self->title = g_strdup (event);
  self->details = g_strdup (details);
  return self;
}

gboolean
seg_timeline_item_is_header (SegTimelineItem *self)
{
  return self->header;
}

gint64
seg_timeline_item_get_ts (SegTimelineItem *self)
{
  return self->ts_ms;
}

const char *
seg_timeline_item_get_title (SegTimelineItem *self)
{
  return self->title;
}

const char *
seg_timeline_item_get_time (SegTimelineItem *self)
{
  return self->time;
}

const char *
seg_timeline_item_get_details (SegTimelineItem *self)
{
  return self->details;
}
