/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-digest-input-stream"

#include "config.h"

#include <string.h>

#include "seg-digest-input-stream.h"
#include "seg-sha256.h"

/*
 * The first bytes are hashed as they are read; past INLINE_BYTES (a file worth the
 * trouble) a second thread hashes copies of what was read, in order, so that the SHA-256
 * (about a tenth of a JSON-lines import's work) runs beside the parsing. A few buffers
 * circulate between the threads, which bounds the memory.
 */
#define INLINE_BYTES   (4 * 1024 * 1024)
#define PIECE_SIZE     (1024 * 1024)
#define N_PIECES       8

typedef struct
{
  guint8 *data;
  gsize   len;
} Piece;

struct _SegDigestInputStream
{
  GFilterInputStream parent_instance;

  SegSha256    sha;     /* owned by the hashing thread while it runs */
  char        *hex;
  guint64      bytes;   /* written by the reading thread, read by progress reports */

  GThread     *hasher;
  GAsyncQueue *todo;    /* Piece, then &end_piece */
  GAsyncQueue *spare;   /* Piece */
};

static Piece end_piece;

G_DEFINE_FINAL_TYPE (SegDigestInputStream, seg_digest_input_stream, G_TYPE_FILTER_INPUT_STREAM)

static gpointer
hasher_thread (gpointer data)
{
  SegDigestInputStream *self = data;
  Piece *p;

  while ((p = g_async_queue_pop (self->todo)) != &end_piece)
    {
      seg_sha256_update (&self->sha, p->data, p->len);
      g_async_queue_push (self->spare, p);
    }
  return NULL;
}

static void
hash_bytes (SegDigestInputStream *self,
            const guint8         *data,
            gsize                 len)
{
  if (self->hasher == NULL && self->bytes < INLINE_BYTES)
    {
      seg_sha256_update (&self->sha, data, len);
      return;
    }
  if (self->hasher == NULL)
    {
      self->todo = g_async_queue_new ();
      self->spare = g_async_queue_new ();
      for (guint i = 0; i < N_PIECES; i++)
        {
          Piece *p = g_new0 (Piece, 1);
          p->data = g_malloc (PIECE_SIZE);
          g_async_queue_push (self->spare, p);
        }
      self->hasher = g_thread_new ("seg-import-sha", hasher_thread, self);
    }
  while (len > 0)
    {
      Piece *p = g_async_queue_pop (self->spare);

      p->len = MIN (len, PIECE_SIZE);
      memcpy (p->data, data, p->len);
      g_async_queue_push (self->todo, p);
      data += p->len;
      len -= p->len;
    }
}

/* Waits for the hashing thread to catch up and stops it. */
static void
stop_hasher (SegDigestInputStream *self)
{
  if (self->hasher == NULL)
    return;
  g_async_queue_push (self->todo, &end_piece);
  g_thread_join (g_steal_pointer (&self->hasher));
  for (guint i = 0; i < N_PIECES; i++)
    {
      Piece *p = g_async_queue_pop (self->spare);
      g_free (p->data);
      g_free (p);
    }
  g_clear_pointer (&self->todo, g_async_queue_unref);
  g_clear_pointer (&self->spare, g_async_queue_unref);
}

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
      hash_bytes (self, buffer, n);
      self->bytes += n;
    }
  return n;
}

static void
seg_digest_input_stream_finalize (GObject *object)
{
  SegDigestInputStream *self = (SegDigestInputStream *) object;

  stop_hasher (self);
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
  stop_hasher (self);
  if (self->hex == NULL)
    self->hex = seg_sha256_finish (&self->sha);
  return g_strdup (self->hex);
}
