/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * A growable window over a GInputStream, shared by the line and CSV readers. Text is read
 * in large chunks; a reader keeps a record's bytes together by asking refill() to keep
 * everything from a given offset. One spare byte after the data lets readers NUL-terminate
 * the last field in place.
 */
typedef struct
{
  GInputStream *stream;
  char         *data;
  gsize         cap;
  gsize         chunk;      /* the size the buffer grows to for long files */
  gsize         start;      /* first unconsumed byte */
  gsize         end;        /* one past the last valid byte */
  guint64       consumed;   /* bytes dropped from the front so far */
  gboolean      eof;
} SegReadBuffer;

void     seg_read_buffer_init   (SegReadBuffer  *buf,
                                 GInputStream   *stream,
                                 gsize           chunk);
void     seg_read_buffer_clear  (SegReadBuffer  *buf);
gssize   seg_read_buffer_refill (SegReadBuffer  *buf,
                                 GCancellable   *cancellable,
                                 GError        **error);
guint64  seg_read_buffer_tell   (SegReadBuffer  *buf);

/*
 * Lines: each returned line is NUL-terminated in place, without its "\n" or "\r\n".
 * The last line is returned even when the file does not end with a newline.
 */
typedef struct
{
  SegReadBuffer buf;
  guint64       line_no;   /* number of the line last returned, from 1 */
  gsize         max_line;
} SegLineReader;

void     seg_line_reader_init  (SegLineReader  *reader,
                                GInputStream   *stream);
void     seg_line_reader_clear (SegLineReader  *reader);
/* Returns 1 with a line, 0 at the end, -1 on error. */
int      seg_line_reader_next  (SegLineReader  *reader,
                                char          **line,
                                gsize          *len,
                                GCancellable   *cancellable,
                                GError        **error);

G_END_DECLS
