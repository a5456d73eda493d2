/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-csv-reader"

#include "config.h"

#include <string.h>

#include "seg-csv-reader.h"
#include "seg-import-util.h"

void
seg_csv_reader_init (SegCsvReader *reader,
                     GInputStream *stream,
                     char          delimiter)
{
  memset (reader, 0, sizeof *reader);
  seg_read_buffer_init (&reader->buf, stream, 1024 * 1024);
  reader->delimiter = delimiter ? delimiter : ',';
  reader->fields_cap = 64;
  reader->fields = g_new (SegCsvField, reader->fields_cap);
  reader->special[(guchar) reader->delimiter] = 1;
  reader->special['\n'] = 1;
  reader->special['\r'] = 1;
  reader->scratch = g_string_sized_new (1024);
  reader->next_line = 1;
  reader->max_record = 256 * 1024 * 1024;
}

void
seg_csv_reader_clear (SegCsvReader *reader)
{
  seg_read_buffer_clear (&reader->buf);
  g_clear_pointer (&reader->fields, g_free);
  if (reader->scratch != NULL)
    g_string_free (g_steal_pointer (&reader->scratch), TRUE);
}

enum {
  PARSE_DONE,
  PARSE_NEED_MORE,
};

static inline void
push_field (SegCsvReader *reader,
            const char   *str,
            gsize         len,
            gsize         scratch_off)
{
  SegCsvField *f;

  if (G_UNLIKELY (reader->n_fields == reader->fields_cap))
    {
      reader->fields_cap *= 2;
      reader->fields = g_renew (SegCsvField, reader->fields, reader->fields_cap);
    }
  f = &reader->fields[reader->n_fields++];
  f->str = str;
  f->len = len;
  f->scratch_off = scratch_off;
}

/*
 * Parses one record starting at buf->start. Nothing in the buffer is modified until the
 * record is known to be complete, so a record cut by the end of the buffer can be parsed
 * again from its start after a refill.
 */
static int
parse_record (SegCsvReader *reader,
              gsize        *record_end,
              guint        *n_newlines)
{
  SegReadBuffer *buf = &reader->buf;
  const char *data = buf->data;
  const char delim = reader->delimiter;
  gsize p = buf->start;
  const gsize end = buf->end;
  guint newlines = 0;

  reader->n_fields = 0;
  reader->scratch->len = 0;
  reader->malformed = NULL;

  for (;;)
    {
      gsize f = p;

      if (p < end && data[p] == '"')
        {
          /* A quoted field: copy to scratch only if it holds an escaped quote. */
          gsize q = p + 1;
          gsize seg_start = q;
          gboolean escaped = FALSE;
          gsize soff = reader->scratch->len;

          for (;;)
            {
              const char *dq = memchr (data + q, '"', end - q);

              if (dq == NULL)
                {
                  if (!buf->eof)
                    return PARSE_NEED_MORE;
                  /* Unterminated quote at the end of input: keep what there is. */
                  for (gsize i = q; i < end; i++)
                    newlines += data[i] == '\n';
                  if (escaped)
                    g_string_append_len (reader->scratch, data + seg_start, end - seg_start);
                  reader->malformed = "unterminated quoted field";
                  if (escaped)
                    {
                      push_field (reader, NULL, reader->scratch->len - soff, soff);
                      g_string_append_c (reader->scratch, '\0');
                    }
                  else
                    push_field (reader, data + p + 1, end - p - 1, G_MAXSIZE);
                  *record_end = end;
                  *n_newlines = newlines;
                  return PARSE_DONE;
                }
              for (const char *c = data + q; c < dq; c++)
                newlines += *c == '\n';
              q = dq - data;
              if (q + 1 >= end && !buf->eof)
                return PARSE_NEED_MORE;
              if (q + 1 < end && data[q + 1] == '"')
                {
                  /* An escaped quote: keep one. */
                  escaped = TRUE;
                  g_string_append_len (reader->scratch, data + seg_start, q + 1 - seg_start);
                  q += 2;
                  seg_start = q;
                  continue;
                }
              break;
            }

          if (escaped)
            {
              g_string_append_len (reader->scratch, data + seg_start, q - seg_start);
              push_field (reader, NULL, reader->scratch->len - soff, soff);
              g_string_append_c (reader->scratch, '\0');
            }
          else
            push_field (reader, data + p + 1, q - p - 1, G_MAXSIZE);

          p = q + 1;
          /* Text after the closing quote, before the delimiter, is malformed: skip it. */
          if (p < end && data[p] != delim && data[p] != '\n' && data[p] != '\r')
            {
              reader->malformed = "text after a closing quote";
              while (p < end && data[p] != delim && data[p] != '\n')
                p++;
              if (p >= end && !buf->eof)
                return PARSE_NEED_MORE;
            }
        }
      else
        {
          const guint8 *special = reader->special;

          while (p < end && !special[(guchar) data[p]])
            p++;
          if (p >= end && !buf->eof)
            return PARSE_NEED_MORE;
          push_field (reader, data + f, p - f, G_MAXSIZE);
        }

      if (p >= end)
        {
          *record_end = end;
          *n_newlines = newlines;
          return PARSE_DONE;
        }
      if (data[p] == delim)
        {
          p++;
          continue;
        }
      if (data[p] == '\r')
        {
          if (p + 1 >= end && !buf->eof)
            return PARSE_NEED_MORE;
          if (p + 1 < end && data[p + 1] == '\n')
            {
              *record_end = p + 2;
              *n_newlines = newlines + 1;
              return PARSE_DONE;
            }
          /* A lone CR ends the record too (old Mac files). */
          *record_end = p + 1;
          *n_newlines = newlines + 1;
          return PARSE_DONE;
        }
      /* '\n' */
      *record_end = p + 1;
      *n_newlines = newlines + 1;
      return PARSE_DONE;
    }
}

int
seg_csv_reader_next (SegCsvReader  *reader,
                     GCancellable  *cancellable,
                     GError       **error)
{
  SegReadBuffer *buf = &reader->buf;
  gsize record_end = 0;
  guint newlines = 0;

  for (;;)
    {
      if (buf->start >= buf->end)
        {
          if (buf->eof)
            return 0;
          if (seg_read_buffer_refill (buf, cancellable, error) < 0)
            return -1;
          continue;
        }

      if (parse_record (reader, &record_end, &newlines) == PARSE_DONE)
        break;

      if (buf->end - buf->start > reader->max_record)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Record at line %" G_GUINT64_FORMAT " is longer than %" G_GSIZE_FORMAT " bytes",
                       reader->next_line, reader->max_record);
          return -1;
        }
      if (seg_read_buffer_refill (buf, cancellable, error) < 0)
        return -1;
    }

  reader->record_clean = seg_is_ascii (buf->data + buf->start, record_end - buf->start) &&
                         memchr (buf->data + buf->start, '\0', record_end - buf->start) == NULL;

  /* The record is complete: NUL-terminate fields in place and resolve scratch offsets. */
  for (guint i = 0; i < reader->n_fields; i++)
    {
      SegCsvField *f = &reader->fields[i];

      if (f->scratch_off != G_MAXSIZE)
        f->str = reader->scratch->str + f->scratch_off;
      else
        ((char *) f->str)[f->len] = '\0';
    }

  reader->line_no = reader->next_line;
  reader->next_line += newlines;
  buf->start = record_end;

  return 1;
}
