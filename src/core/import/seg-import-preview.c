/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-import-preview"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "seg-csv-reader.h"
#include "seg-import.h"
#include "seg-import-preview.h"
#include "seg-importer-csv.h"
#include "seg-json-scan.h"

#define MAX_COLUMN_LINES 100

static void
add_time (JsonBuilder *b,
          gint64       ms)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) exact = dt ? g_date_time_add (dt, (ms % 1000) * 1000) : NULL;
  g_autofree char *iso = exact ? g_date_time_format (exact, "%Y-%m-%dT%H:%M:%S.%fZ") : NULL;

  if (iso != NULL)
    {
      /* Milliseconds are enough: drop the last three digits of %f. */
      gsize len = strlen (iso);
      memmove (iso + len - 4, iso + len - 1, 2);
      json_builder_add_string_value (b, iso);
    }
  else
    json_builder_add_int_value (b, ms);
}

/**
 * seg_record_to_json:
 *
 * Returns: (transfer full): the record as a JSON object, for previews and debugging
 */
JsonNode *
seg_record_to_json (const SegRecord *record)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, record->kind == SEG_RECORD_PROFILE ? "profile" : "event");
  json_builder_set_member_name (b, "user_id");
  json_builder_add_string_value (b, record->user_id);
  if (record->kind == SEG_RECORD_EVENT)
    {
      json_builder_set_member_name (b, "event");
      json_builder_add_string_value (b, record->event);
    }
  json_builder_set_member_name (b, "ts");
  add_time (b, record->ts_ms);
  if (record->insert_id != NULL)
    {
      json_builder_set_member_name (b, "insert_id");
      json_builder_add_string_value (b, record->insert_id);
    }
  json_builder_set_member_name (b, "properties");
  json_builder_begin_object (b);
  for (guint i = 0; i < record->n_props; i++)
    {
      const SegPropValue *v = &record->props[i];

      json_builder_set_member_name (b, v->key);
      switch (v->type)
        {
        case SEG_VALUE_TYPE_STRING:
          {
            g_autofree char *s = g_strndup (v->str, v->str_len);
            json_builder_add_string_value (b, s);
          }
          break;
        case SEG_VALUE_TYPE_NUMBER:
          json_builder_add_double_value (b, v->num);
          break;
        case SEG_VALUE_TYPE_BOOLEAN:
          json_builder_add_boolean_value (b, v->num != 0);
          break;
        case SEG_VALUE_TYPE_DATE:
          add_time (b, (gint64) v->num);
          break;
        case SEG_VALUE_TYPE_LIST:
          json_builder_begin_array (b);
          for (gsize p = 0; p < v->str_len; p += strlen (v->str + p) + 1)
            json_builder_add_string_value (b, v->str + p);
          json_builder_end_array (b);
          break;
        case SEG_VALUE_TYPE_NONE:
        default:
          json_builder_add_null_value (b);
          break;
        }
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/**
 * seg_import_list_columns:
 *
 * The columns a mapping can name: a CSV file's header, or the dotted paths of the values
 * in the first lines of a JSON lines file, in the order first seen.
 *
 * Returns: (transfer full): the column names
 */
GStrv
seg_import_list_columns (GFile         *file,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autofree char *head = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gsize len = 0, line_len;
  const char *line;

  head = seg_import_read_head (file, &len, cancellable, error);
  if (head == NULL)
    return NULL;
  line = seg_importer_head_first_line (head, len, &line_len);

  if (line_len > 0 && line[0] == '{')
    {
      g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      SegJsonScan scan;
      const char *p = line;
      const char *end = head + len;

      seg_json_scan_init (&scan);
      for (guint n = 0; p < end && n < MAX_COLUMN_LINES; n++)
        {
          const char *nl = memchr (p, '\n', end - p);

          /* The head may cut the last line: only whole lines count. */
          if (nl == NULL)
            break;
          if (seg_json_scan_object (&scan, p, nl - p))
            for (guint i = 0; i < seg_json_scan_n_entries (&scan); i++)
              {
                const SegJsonEntry *e = seg_json_scan_entry (&scan, i);

                if (e->type != SEG_JSON_OBJECT && !g_hash_table_contains (seen, e->key))
                  {
                    g_hash_table_add (seen, g_strdup (e->key));
                    g_strv_builder_add (builder, e->key);
                  }
              }
          p = nl + 1;
        }
      seg_json_scan_clear (&scan);
    }
  else if (line_len > 0)
    {
      g_autoptr(GInputStream) mem = g_memory_input_stream_new_from_data (line, line_len, NULL);
      SegCsvReader reader;

      seg_csv_reader_init (&reader, mem, seg_csv_guess_delimiter (line, line_len));
      if (seg_csv_reader_next (&reader, cancellable, NULL) > 0)
        for (guint i = 0; i < seg_csv_reader_n_fields (&reader); i++)
          if (g_utf8_validate (seg_csv_reader_field (&reader, i)->str, -1, NULL))
            g_strv_builder_add (builder, seg_csv_reader_field (&reader, i)->str);
      seg_csv_reader_clear (&reader);
    }

  return g_strv_builder_end (builder);
}

typedef struct
{
  JsonArray *records;
  guint      max;
} PreviewData;

static gboolean
preview_record_cb (const SegRecord  *record,
                   gpointer          user_data,
                   GError          **error)
{
  PreviewData *d = user_data;

  json_array_add_element (d->records, seg_record_to_json (record));
  if (json_array_get_length (d->records) >= d->max)
    {
      /* Enough for a preview: stop the reader (not an error for the caller). */
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "preview complete");
      return FALSE;
    }
  return TRUE;
}

/**
 * seg_import_preview:
 * @importer: a configured reader
 * @max_records: how many records to read at most
 *
 * Blocking: reads the beginning of @file with @importer, writing nothing.
 *
 * Returns: (transfer full): {"format", "records": [...], "rows_read", "rejected",
 *   "bad_rows": [{"line", "reason"}], "identities": [...]}
 */
JsonNode *
seg_import_preview (SegImporter   *importer,
                    GFile         *file,
                    guint          max_records,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GFileInputStream) raw = NULL;
  g_autoptr(GInputStream) text = NULL;
  g_autoptr(SegImportSink) sink = NULL;
  g_autoptr(JsonArray) records = json_array_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *base = g_file_get_basename (file);
  g_autoptr(GError) local_error = NULL;
  PreviewData d = { records, MAX (max_records, 1) };
  GPtrArray *bad, *ids;

  g_return_val_if_fail (SEG_IS_IMPORTER (importer), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  raw = g_file_read (file, cancellable, error);
  if (raw == NULL)
    return NULL;
  text = seg_import_open_stream (G_INPUT_STREAM (raw), NULL, cancellable, error);
  if (text == NULL)
    return NULL;
  if (seg_importer_get_file_name (importer) == NULL)
    seg_importer_set_file_name (importer, base);

  sink = seg_import_sink_new (base, preview_record_cb, &d);
  if (!seg_importer_read (importer, text, sink, cancellable, &local_error) &&
      !(g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
        !g_cancellable_is_cancelled (cancellable)))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, seg_importer_get_id (importer));
  json_builder_set_member_name (b, "records");
  json_builder_add_value (b, json_node_init_array (json_node_alloc (), records));
  json_builder_set_member_name (b, "rows_read");
  json_builder_add_int_value (b, seg_import_sink_get_rows_read (sink));
  json_builder_set_member_name (b, "rejected");
  json_builder_add_int_value (b, seg_import_sink_get_rejected (sink));
  json_builder_set_member_name (b, "bad_rows");
  json_builder_begin_array (b);
  bad = seg_import_sink_get_bad_rows (sink);
  for (guint i = 0; i < bad->len; i++)
    {
      SegImportBadRow *row = g_ptr_array_index (bad, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "line");
      json_builder_add_int_value (b, row->line);
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, row->reason);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "identities");
  json_builder_begin_array (b);
  ids = seg_import_sink_get_identities (sink);
  for (guint i = 0; i < ids->len && i < d.max; i++)
    json_builder_add_string_value (b, g_ptr_array_index (ids, i));
  json_builder_end_array (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

static void
preview_thread_cb (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GFile *file = task_data;
  GError *error = NULL;
  guint max = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (task), "max-records"));
  JsonNode *node = seg_import_preview (source_object, file, max, cancellable, &error);

  if (node == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
}

/**
 * seg_import_preview_async:
 *
 * Runs seg_import_preview() on a worker thread. The reader must not be changed until
 * the preview finishes.
 */
void
seg_import_preview_async (SegImporter         *importer,
                          GFile               *file,
                          guint                max_records,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SEG_IS_IMPORTER (importer));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (importer, cancellable, callback, user_data);
  g_task_set_source_tag (task, seg_import_preview_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_object_set_data (G_OBJECT (task), "max-records", GUINT_TO_POINTER (max_records));
  g_task_run_in_thread (task, preview_thread_cb);
}

/**
 * seg_import_preview_finish:
 *
 * Returns: (transfer full): see seg_import_preview()
 */
JsonNode *
seg_import_preview_finish (SegImporter   *importer,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, importer), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == seg_import_preview_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
