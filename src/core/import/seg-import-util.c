/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-import-util"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "seg-import-sink.h"
#include "seg-import-time.h"
#include "seg-import-util.h"
#include "seg-read-buffer.h"

void
seg_record_builder_add_json (SegRecordBuilder   *b,
                             const char         *key,
                             const SegJsonEntry *e)
{
  gint64 ms;

  switch (e->type)
    {
    case SEG_JSON_NULL:
      seg_record_builder_add_null (b, key);
      break;
    case SEG_JSON_BOOLEAN:
      seg_record_builder_add_boolean (b, key, e->num != 0);
      break;
    case SEG_JSON_NUMBER:
      seg_record_builder_add_number (b, key, e->num);
      break;
    case SEG_JSON_STRING:
      /* JSON has no dates: an ISO-8601 string is taken as one. */
      if (e->str_len >= 10 && e->str_len <= 35 && g_ascii_isdigit (e->str[0]) && e->str[4] == '-' &&
          seg_parse_iso8601_utc (e->str, e->str_len, &ms))
        seg_record_builder_add_date (b, key, ms);
      else
        seg_record_builder_add_string (b, key, e->str, e->str_len);
      break;
    case SEG_JSON_ARRAY:
      if (e->list)
        seg_record_builder_add_list (b, key, e->str, e->str_len);
      else
        seg_record_builder_add_string (b, key, e->str, e->str_len);
      break;
    case SEG_JSON_OBJECT:
    default:
      break;
    }
}

void
seg_record_builder_add_json_members (SegRecordBuilder   *b,
                                     SegJsonScan        *scan,
                                     guint               obj,
                                     const char * const *skip)
{
  const SegJsonEntry *o = seg_json_scan_entry (scan, obj);
  gsize prefix = strlen (o->key) + 1;
  guint end = o->end;

  for (guint i = obj + 1; i < end; i++)
    {
      const SegJsonEntry *e = seg_json_scan_entry (scan, i);
      const char *key = e->key + prefix;
      gboolean skipped = FALSE;

      if (e->type == SEG_JSON_OBJECT)
        continue;
      for (guint s = 0; skip != NULL && skip[s] != NULL; s++)
        if (strcmp (skip[s], key) == 0)
          {
            skipped = TRUE;
            break;
          }
      if (!skipped)
        seg_record_builder_add_json (b, key, e);
    }
}

int
seg_json_scan_index (SegJsonScan *scan,
                     const char  *key)
{
  for (guint i = 0; i < seg_json_scan_n_entries (scan); i++)
    if (strcmp (seg_json_scan_entry (scan, i)->key, key) == 0)
      return i;
  return -1;
}

const char *
seg_json_entry_text (const SegJsonEntry *e,
                     gsize              *len)
{
  if (e != NULL && (e->type == SEG_JSON_STRING || e->type == SEG_JSON_NUMBER))
    {
      *len = e->str_len;
      return e->str;
    }
  *len = 0;
  return NULL;
}

gboolean
seg_import_read_json_lines (GInputStream    *stream,
                            SegImportSink   *sink,
                            GCancellable    *cancellable,
                            SegJsonLineFunc  func,
                            gboolean       (*first_line) (const char *line,
                                                          gsize       len,
                                                          gpointer    user_data),
                            gpointer         user_data,
                            GError         **error)
{
  SegLineReader reader;
  SegJsonScan scan;
  gboolean ret = FALSE;
  gboolean first = TRUE;
  char *line;
  gsize len;
  int r;

  seg_line_reader_init (&reader, stream);
  seg_json_scan_init (&scan);

  while ((r = seg_line_reader_next (&reader, &line, &len, cancellable, error)) > 0)
    {
      gsize i = 0;

      /* Blank lines separate nothing: skip them. */
      while (i < len && g_ascii_isspace (line[i]))
        i++;
      if (i == len)
        continue;

      if (first && reader.line_no == 1 && len >= 3 && memcmp (line, "\xef\xbb\xbf", 3) == 0)
        {
          line += 3;
          len -= 3;
          i = i >= 3 ? i - 3 : 0;
        }

      if (first && first_line != NULL && line[i] != '{')
        {
          first = FALSE;
          if (first_line (line + i, len - i, user_data))
            continue;
        }
      first = FALSE;

      seg_import_sink_row (sink, seg_read_buffer_tell (&reader.buf));
      if (reader.line_no % SEG_IMPORT_CHECK_EVERY == 0 &&
          g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;

      if (!seg_json_scan_object (&scan, line, len))
        {
          if (!seg_import_sink_rejectf (sink, reader.line_no, error,
                                        _("Not a valid JSON object: %s at column %" G_GSIZE_FORMAT),
                                        scan.error, scan.error_pos + 1))
            goto out;
          continue;
        }
      if (!func (&scan, reader.line_no, user_data, error))
        goto out;
    }
  if (r < 0)
    goto out;

  seg_import_sink_finish (sink, seg_read_buffer_tell (&reader.buf));
  ret = TRUE;

out:
  seg_json_scan_clear (&scan);
  seg_line_reader_clear (&reader);
  return ret;
}
