/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "seg-read-buffer.h"

G_BEGIN_DECLS

/*
 * An RFC 4180 record reader: quoted fields with "" escapes, delimiters and newlines
 * (LF or CRLF) inside quotes, a last record without a newline. Fields are NUL-terminated
 * views into the reader's buffers, valid until the next call.
 */
typedef struct
{
  const char *str;
  gsize       len;
  gsize       scratch_off;  /* private: offset in scratch, or G_MAXSIZE */
} SegCsvField;

typedef struct
{
  SegReadBuffer  buf;
  char           delimiter;
  SegCsvField   *fields;
  guint          n_fields;
  guint          fields_cap;
  guint8         special[256]; /* bytes that end an unquoted field */
  GString       *scratch;      /* unescaped quoted fields */
  guint64        line_no;      /* first line of the record last returned, from 1 */
  guint64        next_line;
  gsize          max_record;
  gboolean       record_clean; /* the record last returned is ASCII without NUL bytes */
  const char    *malformed;    /* why the record last returned is malformed, or NULL */
} SegCsvReader;

void  seg_csv_reader_init  (SegCsvReader  *reader,
                            GInputStream  *stream,
                            char           delimiter);
void  seg_csv_reader_clear (SegCsvReader  *reader);
/* Returns 1 with a record in reader->fields, 0 at the end, -1 on error. */
int   seg_csv_reader_next  (SegCsvReader  *reader,
                            GCancellable  *cancellable,
                            GError       **error);

static inline guint
seg_csv_reader_n_fields (SegCsvReader *reader)
{
  return reader->n_fields;
}

static inline const SegCsvField *
seg_csv_reader_field (SegCsvReader *reader,
                      guint         i)
{
  return &reader->fields[i];
}

G_END_DECLS
