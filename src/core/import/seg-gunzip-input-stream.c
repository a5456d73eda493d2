/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-gunzip-input-stream"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "seg-gunzip-input-stream.h"

#define IN_SIZE (64 * 1024)

struct _SegGunzipInputStream
{
  GInputStream       parent_instance;

  GInputStream      *base;
  GZlibDecompressor *decompressor;
  guint8            *in;
  gsize              in_pos;
  gsize              in_len;
  gboolean           base_eof;
  gboolean           member_done;
};

G_DEFINE_FINAL_TYPE (SegGunzipInputStream, seg_gunzip_input_stream, G_TYPE_INPUT_STREAM)

/* Moves unread input to the front and reads more after it. Returns FALSE on error. */
static gboolean
fill (SegGunzipInputStream  *self,
      GCancellable          *cancellable,
      GError               **error)
{
  gssize n;

  if (self->in_pos > 0)
    {
      memmove (self->in, self->in + self->in_pos, self->in_len - self->in_pos);
      self->in_len -= self->in_pos;
      self->in_pos = 0;
    }
  n = g_input_stream_read (self->base, self->in + self->in_len, IN_SIZE - self->in_len,
                           cancellable, error);
  if (n < 0)
    return FALSE;
  if (n == 0)
    self->base_eof = TRUE;
  self->in_len += n;
  return TRUE;
}

static gssize
seg_gunzip_input_stream_read (GInputStream  *stream,
                              void          *buffer,
                              gsize          count,
                              GCancellable  *cancellable,
                              GError       **error)
{
  SegGunzipInputStream *self = SEG_GUNZIP_INPUT_STREAM (stream);

  if (count == 0)
    return 0;

  for (;;)
    {
      GConverterResult res;
      gsize bytes_read = 0, bytes_written = 0;
      GError *local_error = NULL;

      if (self->in_pos == self->in_len && !self->base_eof && !fill (self, cancellable, error))
        return -1;

      if (self->member_done)
        {
          /* Another member may follow: it starts with the magic bytes. */
          if (self->in_len - self->in_pos < 2 && !self->base_eof)
            {
              if (!fill (self, cancellable, error))
                return -1;
              continue;
            }
          if (self->in_pos == self->in_len)
            return 0;
          if (self->in_len - self->in_pos < 2 ||
              self->in[self->in_pos] != 0x1f || self->in[self->in_pos + 1] != 0x8b)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("Unexpected data after the end of the gzip data"));
              return -1;
            }
          g_converter_reset (G_CONVERTER (self->decompressor));
          self->member_done = FALSE;
        }

      res = g_converter_convert (G_CONVERTER (self->decompressor),
                                 self->in + self->in_pos, self->in_len - self->in_pos,
                                 buffer, count,
                                 self->base_eof ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS,
                                 &bytes_read, &bytes_written, &local_error);
      if (res == G_CONVERTER_ERROR)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) && !self->base_eof)
            {
              g_clear_error (&local_error);
              if (!fill (self, cancellable, error))
                return -1;
              continue;
            }
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
            {
              g_clear_error (&local_error);
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                           _("The gzip data is cut short"));
              return -1;
            }
          g_propagate_error (error, local_error);
          return -1;
        }

      self->in_pos += bytes_read;
      if (res == G_CONVERTER_FINISHED)
        self->member_done = TRUE;
      if (bytes_written > 0)
        return bytes_written;
    }
}

static gboolean
seg_gunzip_input_stream_close (GInputStream  *stream,
                               GCancellable  *cancellable,
                               GError       **error)
{
  SegGunzipInputStream *self = SEG_GUNZIP_INPUT_STREAM (stream);

  return g_input_stream_close (self->base, cancellable, error);
}

static void
seg_gunzip_input_stream_finalize (GObject *object)
{
  SegGunzipInputStream *self = (SegGunzipInputStream *) object;

  g_clear_object (&self->base);
  g_clear_object (&self->decompressor);
  g_free (self->in);

  G_OBJECT_CLASS (seg_gunzip_input_stream_parent_class)->finalize (object);
}

static void
seg_gunzip_input_stream_class_init (SegGunzipInputStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = seg_gunzip_input_stream_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = seg_gunzip_input_stream_read;
  G_INPUT_STREAM_CLASS (klass)->close_fn = seg_gunzip_input_stream_close;
}

static void
seg_gunzip_input_stream_init (SegGunzipInputStream *self)
{
  self->in = g_malloc (IN_SIZE);
  self->decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
}

/**
 * seg_gunzip_input_stream_new:
 *
 * Returns: (transfer full): a stream of the decompressed bytes of @base
 */
GInputStream *
seg_gunzip_input_stream_new (GInputStream *base)
{
  SegGunzipInputStream *self = g_object_new (SEG_TYPE_GUNZIP_INPUT_STREAM, NULL);

  self->base = g_object_ref (base);
  return G_INPUT_STREAM (self);
}
