/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-read-buffer"

#include "config.h"

#include <string.h>

#include "seg-read-buffer.h"

#define MIN_READ (16 * 1024)

void
seg_read_buffer_init (SegReadBuffer *buf,
                      GInputStream  *stream,
                      gsize          chunk)
{
  memset (buf, 0, sizeof *buf);
  buf->stream = g_object_ref (stream);
  /* Start small (most files a user previews are) and grow to chunk as reading goes on. */
  buf->chunk = MAX (chunk, 2 * MIN_READ);
  buf->cap = 2 * MIN_READ;
  buf->data = g_malloc (buf->cap + 1);
}

void
seg_read_buffer_clear (SegReadBuffer *buf)
{
  g_clear_object (&buf->stream);
  g_clear_pointer (&buf->data, g_free);
}

guint64
seg_read_buffer_tell (SegReadBuffer *buf)
{
  return buf->consumed + buf->start;
}

/*
 * Moves the unconsumed bytes (from buf->start) to the front, grows the buffer when they
 * fill most of it, and reads more. Returns the number of bytes read, 0 at the end of the
 * stream, -1 on error.
 */
gssize
seg_read_buffer_refill (SegReadBuffer  *buf,
                        GCancellable   *cancellable,
                        GError        **error)
{
  gssize n;

  if (buf->eof)
    return 0;

  if (buf->start > 0)
    {
      memmove (buf->data, buf->data + buf->start, buf->end - buf->start);
      buf->consumed += buf->start;
      buf->end -= buf->start;
      buf->start = 0;
    }

  if (buf->cap - buf->end < MIN_READ || (buf->cap < buf->chunk && buf->consumed > 4 * buf->cap))
    {
      buf->cap *= 2;
      buf->data = g_realloc (buf->data, buf->cap + 1);
    }

  n = g_input_stream_read (buf->stream, buf->data + buf->end, buf->cap - buf->end,
                           cancellable, error);
  if (n < 0)
    return -1;
  if (n == 0)
    buf->eof = TRUE;
  buf->end += n;
  buf->data[buf->end] = '\0';

  return n;
}

void
seg_line_reader_init (SegLineReader *reader,
                      GInputStream  *stream)
{
  seg_read_buffer_init (&reader->buf, stream, 1024 * 1024);
  reader->line_no = 0;
  reader->max_line = 256 * 1024 * 1024;
}

void
seg_line_reader_clear (SegLineReader *reader)
{
  seg_read_buffer_clear (&reader->buf);
}

int
seg_line_reader_next (SegLineReader  *reader,
                      char          **line,
                      gsize          *len,
                      GCancellable   *cancellable,
                      GError        **error)
{
  SegReadBuffer *buf = &reader->buf;
  gsize scan_from = buf->start;

  for (;;)
    {
      char *nl = memchr (buf->data + scan_from, '\n', buf->end - scan_from);

      if (nl != NULL)
        {
          char *begin = buf->data + buf->start;
          gsize l = nl - begin;

          if (l > 0 && begin[l - 1] == '\r')
            l--;
          begin[l] = '\0';
          buf->start = (nl - buf->data) + 1;
          reader->line_no++;
          *line = begin;
          *len = l;
          return 1;
        }

      if (buf->eof)
        {
          char *begin = buf->data + buf->start;
          gsize l = buf->end - buf->start;

          if (l == 0)
            return 0;
          if (begin[l - 1] == '\r')
            l--;
          begin[l] = '\0';
          buf->start = buf->end;
          reader->line_no++;
          *line = begin;
          *len = l;
          return 1;
        }

      if (buf->end - buf->start > reader->max_line)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Line %" G_GUINT64_FORMAT " is longer than %" G_GSIZE_FORMAT " bytes",
                       reader->line_no + 1, reader->max_line);
          return -1;
        }

      scan_from = buf->end - buf->start;
      if (seg_read_buffer_refill (buf, cancellable, error) < 0)
        return -1;
      /* refill() moved the unconsumed bytes to the front. */
      g_assert (buf->start == 0);
    }
}
