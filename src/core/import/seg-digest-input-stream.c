/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-digest-input-stream"

#include "config.h"

#include "seg-digest-input-stream.h"
#include "seg-sha256.h"

struct _SegDigestInputStream
{
  GFilterInputStream parent_instance;

  SegSha256  sha;
  char      *hex;
  guint64    bytes;   /* written by the reading thread, read by progress reports */
};

G_DEFINE_FINAL_TYPE (SegDigestInputStream, seg_digest_input_stream, G_TYPE_FILTER_INPUT_STREAM)

static gssize
seg_digest_input_stream_read (GInputStream  *stream,
                              void          *buffer,
                              gsize          count,
                              GCancellable  *cancellable,
                              GError       **error)
{
  SegDigestInputStream *self = SEG_DIGEST_INPUT_STREAM (stream);
  GInputStream *base = g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (stream));
  gssize n = g_input_stream_read (base, buffer, count, cancellable, error);

  if (n > 0)
    {
      seg_sha256_update (&self->sha, buffer, n);
      self->bytes += n;
    }
  return n;
}

static void
seg_digest_input_stream_finalize (GObject *object)
{
  SegDigestInputStream *self = (SegDigestInputStream *) object;

  seg_sha256_clear (&self->sha);
  g_free (self->hex);

  G_OBJECT_CLASS (seg_digest_input_stream_parent_class)->finalize (object);
}

static void
seg_digest_input_stream_class_init (SegDigestInputStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = seg_digest_input_stream_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = seg_digest_input_stream_read;
}

static void
seg_digest_input_stream_init (SegDigestInputStream *self)
{
  seg_sha256_init (&self->sha);
}

/**
 * seg_digest_input_stream_new:
 *
 * Returns: (transfer full): a stream reading @base
 */
GInputStream *
seg_digest_input_stream_new (GInputStream *base)
{
  return g_object_new (SEG_TYPE_DIGEST_INPUT_STREAM, "base-stream", base, NULL);
}

guint64
seg_digest_input_stream_get_bytes (SegDigestInputStream *self)
{
  return self->bytes;
}

/**
 * seg_digest_input_stream_finish:
 *
 * Returns: (transfer full): the lower-case hex SHA-256 of the whole base stream
 */
char *
seg_digest_input_stream_finish (SegDigestInputStream  *self,
                                GCancellable          *cancellable,
                                GError               **error)
{
  g_autofree char *buf = g_malloc (64 * 1024);
  gssize n;

  while ((n = g_input_stream_read (G_INPUT_STREAM (self), buf, 64 * 1024, cancellable, error)) > 0)
    ;
  if (n < 0)
    return NULL;
  if (self->hex == NULL)
    self->hex = seg_sha256_finish (&self->sha);
  return g_strdup (self->hex);
}
