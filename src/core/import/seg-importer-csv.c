/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-importer-csv"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "seg-csv-reader.h"
#include "seg-import-util.h"
#include "seg-importer-csv.h"

struct _SegImporterCsv
{
  SegImporter parent_instance;
};

G_DEFINE_FINAL_TYPE (SegImporterCsv, seg_importer_csv, SEG_TYPE_IMPORTER)

typedef enum
{
  ROLE_NONE = 0,
  ROLE_PROPERTY,
  ROLE_PROFILE_PROPERTY,
} Role;

typedef struct
{
  Role          role;
  const char   *key;     /* property name: borrowed from the mapping or the header */
  SegValueType  type;
} ColumnPlan;

char
seg_csv_guess_delimiter (const char *line,
                         gsize       len)
{
  static const char candidates[] = { ',', ';', '\t', '|' };
  guint best = 0, best_count = 0;

  for (guint c = 0; c < G_N_ELEMENTS (candidates); c++)
    {
      guint count = 0;
      gboolean quoted = FALSE;

      for (gsize i = 0; i < len; i++)
        {
          if (line[i] == '"')
            quoted = !quoted;
          else if (!quoted && line[i] == candidates[c])
            count++;
        }
      if (count > best_count)
        {
          best = c;
          best_count = count;
        }
    }
  return candidates[best];
}

static int
find_header (char       **header,
             guint        n,
             const char  *name)
{
  if (name == NULL)
    return -1;
  for (guint i = 0; i < n; i++)
    if (strcmp (header[i], name) == 0)
      return i;
  return -1;
}

gboolean
seg_import_read_csv (GInputStream      *stream,
                     SegImportSink     *sink,
                     SegImportMapping  *mapping_in,
                     SegCsvHeaderFunc   header_func,
                     gpointer           header_data,
                     GTimeZone         *tz,
                     SegCsvFlags        flags,
                     GCancellable      *cancellable,
                     GError           **error)
{
  g_autoptr(SegImportMapping) mapping = mapping_in ? g_object_ref (mapping_in) : NULL;
  g_autoptr(SegTimeParser) time_parser = NULL;
  g_autoptr(GPtrArray) header = g_ptr_array_new_with_free_func (g_free);
  g_autofree ColumnPlan *plan = NULL;
  g_autofree int *user_cols = NULL;
  SegCsvReader reader;
  SegRecordBuilder rb, pb;
  gboolean ret = FALSE;
  guint n_cols, n_user = 0;
  int event_col = -1, ts_col = -1, insert_col = -1;
  const char *event_name = NULL;
  SegRecordKind kind;
  gint64 now_ms = g_get_real_time () / 1000;
  gboolean have_profile_cols = FALSE;
  char delimiter = mapping ? seg_import_mapping_get_delimiter (mapping) : ',';
  int r;

  /* Peek at the first line to guess the delimiter when no mapping says it. */
  seg_csv_reader_init (&reader, stream, delimiter);
  seg_record_builder_init (&rb);
  seg_record_builder_init (&pb);

  if (mapping == NULL)
    {
      if (seg_read_buffer_refill (&reader.buf, cancellable, error) < 0)
        goto out;
      {
        const char *nl = memchr (reader.buf.data, '\n', reader.buf.end);
        reader.delimiter = seg_csv_guess_delimiter (reader.buf.data,
                                                    nl ? (gsize) (nl - reader.buf.data) : reader.buf.end);
      }
    }

  r = seg_csv_reader_next (&reader, cancellable, error);
  if (r < 0)
    goto out;
  if (r == 0)
    {
      /* An empty file: nothing to import, which is not an error. */
      seg_import_sink_finish (sink, 0);
      ret = TRUE;
      goto out;
    }

  n_cols = seg_csv_reader_n_fields (&reader);
  for (guint i = 0; i < n_cols; i++)
    {
      const SegCsvField *f = seg_csv_reader_field (&reader, i);
      const char *s = f->str;
      gsize len = f->len;

      if (i == 0 && len >= 3 && memcmp (s, "\xef\xbb\xbf", 3) == 0)
        {
          s += 3;
          len -= 3;
        }
      while (len > 0 && (s[0] == ' '))
        s++, len--;
      while (len > 0 && (s[len - 1] == ' '))
        len--;
      if (!seg_utf8_ok (s, len))
        {
          g_set_error (error, SEG_IMPORT_ERROR, SEG_IMPORT_ERROR_INVALID_DATA,
                       _("The header line is not valid UTF-8 text"));
          goto out;
        }
      g_ptr_array_add (header, g_strndup (s, len));
    }
  g_ptr_array_add (header, NULL);

  if (mapping == NULL && header_func != NULL)
    {
      mapping = header_func ((const char * const *) header->pdata, n_cols, header_data, error);
      if (mapping == NULL)
        goto out;
    }
  if (mapping == NULL)
    {
      g_set_error (error, SEG_IMPORT_ERROR, SEG_IMPORT_ERROR_INVALID_MAPPING,
                   _("This CSV file needs a column mapping: which column is the user, the event and the time"));
      goto out;
    }
  if (!seg_import_mapping_validate (mapping, error))
    goto out;

  kind = seg_import_mapping_get_kind (mapping);
  {
    const char * const *ucols = seg_import_mapping_get_user_columns (mapping);

    user_cols = g_new0 (int, g_strv_length ((char **) ucols) + 1);
    for (guint i = 0; ucols[i] != NULL; i++)
      {
        int c = find_header ((char **) header->pdata, n_cols, ucols[i]);
        if (c >= 0)
          user_cols[n_user++] = c;
      }
    if (n_user == 0)
      {
        g_set_error (error, SEG_IMPORT_ERROR, SEG_IMPORT_ERROR_INVALID_MAPPING,
                     _("The user column “%s” is not in the file"), ucols[0]);
        goto out;
      }
  }
  event_name = seg_import_mapping_get_event_name (mapping);
  if (kind == SEG_RECORD_EVENT && seg_import_mapping_get_event_column (mapping) != NULL)
    {
      event_col = find_header ((char **) header->pdata, n_cols, seg_import_mapping_get_event_column (mapping));
      if (event_col < 0 && event_name == NULL)
        {
          g_set_error (error, SEG_IMPORT_ERROR, SEG_IMPORT_ERROR_INVALID_MAPPING,
                       _("The event column “%s” is not in the file"),
                       seg_import_mapping_get_event_column (mapping));
          goto out;
        }
    }
  if (seg_import_mapping_get_ts_column (mapping) != NULL)
    {
      ts_col = find_header ((char **) header->pdata, n_cols, seg_import_mapping_get_ts_column (mapping));
      if (ts_col < 0 && kind == SEG_RECORD_EVENT)
        {
          g_set_error (error, SEG_IMPORT_ERROR, SEG_IMPORT_ERROR_INVALID_MAPPING,
                       _("The time column “%s” is not in the file"),
                       seg_import_mapping_get_ts_column (mapping));
          goto out;
        }
    }
  insert_col = find_header ((char **) header->pdata, n_cols, seg_import_mapping_get_insert_id_column (mapping));
  time_parser = seg_time_parser_new (seg_import_mapping_get_ts_format (mapping),
                                     seg_import_mapping_get_ts_pattern (mapping), tz);

  plan = g_new0 (ColumnPlan, n_cols);
  for (guint i = 0; i < n_cols; i++)
    {
      const char *name = g_ptr_array_index (header, i);
      gboolean is_user = FALSE;

      for (guint u = 0; u < n_user; u++)
        is_user |= user_cols[u] == (int) i;
      if (is_user || (int) i == event_col || (int) i == ts_col || (int) i == insert_col || name[0] == '\0')
        continue;
      if ((flags & SEG_CSV_FLAGS_PROFILE_COLUMNS) && kind == SEG_RECORD_EVENT &&
          g_str_has_prefix (name, "profile."))
        {
          plan[i].role = ROLE_PROFILE_PROPERTY;
          plan[i].key = name + strlen ("profile.");
          plan[i].type = SEG_VALUE_TYPE_NONE;
          have_profile_cols = TRUE;
          continue;
        }
      if (seg_import_mapping_lookup_column (mapping, name, &plan[i].key, &plan[i].type))
        plan[i].role = ROLE_PROPERTY;
    }

  while ((r = seg_csv_reader_next (&reader, cancellable, error)) > 0)
    {
      guint n = seg_csv_reader_n_fields (&reader);
      const SegCsvField *fields = reader.fields;
      const char *user = NULL;
      gint64 ts_ms = now_ms;
      const SegRecord *rec;
      gboolean bad = FALSE;
      gboolean ascii = reader.record_clean;

      /* A blank line is not a row. */
      if (n == 1 && fields[0].len == 0)
        continue;

      seg_import_sink_row (sink, seg_read_buffer_tell (&reader.buf));
      if (G_UNLIKELY (reader.line_no % SEG_IMPORT_CHECK_EVERY == 0) &&
          g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;

      if (reader.malformed != NULL)
        {
          if (!seg_import_sink_rejectf (sink, reader.line_no, error, _("Malformed CSV: %s"),
                                        reader.malformed))
            goto out;
          continue;
        }
      if (n != n_cols)
        {
          if (!seg_import_sink_rejectf (sink, reader.line_no, error,
                                        _("Expected %u fields, found %u"), n_cols, n))
            goto out;
          continue;
        }
      for (guint u = 0; u < n_user; u++)
        if (fields[user_cols[u]].len > 0)
          {
            user = fields[user_cols[u]].str;
            break;
          }
      if (user == NULL)
        {
          if (!seg_import_sink_reject (sink, reader.line_no, _("No user id"), error))
            goto out;
          continue;
        }

      seg_record_builder_reset (&rb, kind);
      rb.record.user_id = user;
      if (kind == SEG_RECORD_EVENT)
        {
          rb.record.event = event_col >= 0 && fields[event_col].len > 0 ? fields[event_col].str : event_name;
          if (rb.record.event == NULL || rb.record.event[0] == '\0')
            {
              if (!seg_import_sink_reject (sink, reader.line_no, _("No event name"), error))
                goto out;
              continue;
            }
        }
      if (ts_col >= 0 && (kind == SEG_RECORD_EVENT || fields[ts_col].len > 0))
        {
          if (!seg_time_parser_parse (time_parser, fields[ts_col].str, fields[ts_col].len, &ts_ms))
            {
              if (!seg_import_sink_rejectf (sink, reader.line_no, error,
                                            _("Cannot read the time “%.40s”"), fields[ts_col].str))
                goto out;
              continue;
            }
        }
      rb.record.ts_ms = ts_ms;
      if (insert_col >= 0 && fields[insert_col].len > 0)
        rb.record.insert_id = fields[insert_col].str;

      for (guint i = 0; i < n; i++)
        {
          const SegCsvField *f = &fields[i];

          if (G_UNLIKELY (!ascii) && !seg_utf8_ok (f->str, f->len))
            {
              bad = !seg_import_sink_rejectf (sink, reader.line_no, error,
                                              _("Column “%s” is not valid UTF-8 text"),
                                              (const char *) g_ptr_array_index (header, i));
              if (bad)
                goto out;
              bad = TRUE;
              break;
            }
          if (plan[i].role != ROLE_PROPERTY)
            continue;
          if (G_UNLIKELY (!seg_record_builder_add_typed (&rb, plan[i].key, plan[i].type, f->str, f->len)))
            {
              if (!seg_import_sink_rejectf (sink, reader.line_no, error,
                                            _("Column “%s”: “%.40s” is not a %s"),
                                            (const char *) g_ptr_array_index (header, i), f->str,
                                            seg_value_type_to_string (plan[i].type)))
                goto out;
              bad = TRUE;
              break;
            }
        }
      if (bad)
        continue;

      rec = seg_record_builder_finish (&rb);
      if (!seg_import_sink_emit (sink, rec, error))
        goto out;

      if (have_profile_cols)
        {
          seg_record_builder_reset (&pb, SEG_RECORD_PROFILE);
          pb.record.user_id = user;
          pb.record.ts_ms = ts_ms;
          for (guint i = 0; i < n; i++)
            if (plan[i].role == ROLE_PROFILE_PROPERTY)
              seg_record_builder_add_inferred (&pb, plan[i].key, fields[i].str, fields[i].len);
          if (pb.n_props > 0 &&
              !seg_import_sink_emit (sink, seg_record_builder_finish (&pb), error))
            goto out;
        }
    }
  if (r < 0)
    goto out;

  seg_import_sink_finish (sink, seg_read_buffer_tell (&reader.buf));
  ret = TRUE;

out:
  seg_record_builder_clear (&pb);
  seg_record_builder_clear (&rb);
  seg_csv_reader_clear (&reader);
  return ret;
}

static gboolean
header_has (const char * const *header,
            const char         *name)
{
  return g_strv_contains (header, name);
}

static SegImportMapping *
preset_for_header (const char * const *header,
                   guint               n_columns,
                   gpointer            user_data,
                   GError            **error)
{
  SegImportMapping *mapping = NULL;

  if (header_has (header, "user_id") && header_has (header, "event") && header_has (header, "ts"))
    mapping = seg_import_mapping_new_canonical ();
  else if (n_columns > 0 && g_str_equal (header[0], "user_id"))
    mapping = seg_import_mapping_new_profiles ();

  if (mapping == NULL)
    g_set_error (error, SEG_IMPORT_ERROR, SEG_IMPORT_ERROR_INVALID_MAPPING,
                 _("This CSV file needs a column mapping: which column is the user, the event and the time"));
  return mapping;
}

static int
seg_importer_csv_sniff (SegImporter *importer,
                        const char  *file_name,
                        const char  *head,
                        gsize        head_len)
{
  gsize len;
  const char *line = seg_importer_head_first_line (head, head_len, &len);
  char delim;
  int score = 0;

  if (len == 0 || line[0] == '{' || line[0] == '[')
    return 0;
  if (file_name != NULL && (g_str_has_suffix (file_name, ".csv") || g_str_has_suffix (file_name, ".csv.gz") ||
                            g_str_has_suffix (file_name, ".tsv") || g_str_has_suffix (file_name, ".tsv.gz")))
    score += 20;

  delim = seg_csv_guess_delimiter (line, len);
  if (memchr (line, delim, len) == NULL)
    return score > 0 ? 5 : 0;
  score += 20;

  if (len >= 16 && strncmp (line, "user_id,event,ts", 16) == 0)
    score = 90;
  else if (len >= 8 && strncmp (line, "user_id,", 8) == 0)
    score = 80;
  return MIN (score, 100);
}

static gboolean
seg_importer_csv_read (SegImporter    *importer,
                       GInputStream   *stream,
                       SegImportSink  *sink,
                       GCancellable   *cancellable,
                       GError        **error)
{
  return seg_import_read_csv (stream, sink, seg_importer_get_mapping (importer),
                              preset_for_header, NULL, seg_importer_get_timezone (importer),
                              SEG_CSV_FLAGS_NONE, cancellable, error);
}

static void
seg_importer_csv_class_init (SegImporterCsvClass *klass)
{
  SegImporterClass *importer_class = SEG_IMPORTER_CLASS (klass);

  importer_class->id = "csv";
  importer_class->name = N_("CSV (canonical, profiles or mapped columns)");
  importer_class->needs_mapping = TRUE;
  importer_class->sniff = seg_importer_csv_sniff;
  importer_class->read = seg_importer_csv_read;
}

static void
seg_importer_csv_init (SegImporterCsv *self)
{
}
