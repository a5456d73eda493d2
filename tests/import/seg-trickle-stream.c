/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "seg-trickle-stream.h"

#define SEG_TYPE_TRICKLE_STREAM (seg_trickle_stream_get_type ())
G_DECLARE_FINAL_TYPE (SegTrickleStream, seg_trickle_stream, SEG, TRICKLE_STREAM, GFilterInputStream)

struct _SegTrickleStream
{
  GFilterInputStream parent_instance;
  gsize              max_read;
};

G_DEFINE_FINAL_TYPE (SegTrickleStream, seg_trickle_stream, G_TYPE_FILTER_INPUT_STREAM)

static gssize
seg_trickle_stream_read (GInputStream  *stream,
                         void          *buffer,
                         gsize          count,
                         GCancellable  *cancellable,
                         GError       **error)
{
  SegTrickleStream *self = (SegTrickleStream *) stream;
  GInputStream *base = g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (stream));

  return g_input_stream_read (base, buffer, MIN (count, self->max_read), cancellable, error);
}

static void
seg_trickle_stream_class_init (SegTrickleStreamClass *klass)
{
  G_INPUT_STREAM_CLASS (klass)->read_fn = seg_trickle_stream_read;
}

static void
seg_trickle_stream_init (SegTrickleStream *self)
{
}

GInputStream *
seg_trickle_stream_new (GInputStream *base,
                        gsize         max_read)
{
  SegTrickleStream *self = g_object_new (SEG_TYPE_TRICKLE_STREAM, "base-stream", base, NULL);

  self->max_read = MAX (max_read, 1);
  return G_INPUT_STREAM (self);
}
