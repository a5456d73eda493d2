/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A libFuzzer target for one reader (FUZZ_FORMAT): the input is a file as a user could
 * give it (gzip included), delivered a few bytes per read as chosen by its first byte.
 * Every record produced must keep the SegRecord contract.
 */
#include "config.h"

#include <string.h>

#include "import/seg-import.h"
#include "import/seg-importer-registry.h"
#include "seg-trickle-stream.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

static gboolean
check_record_cb (const SegRecord  *record,
                 gpointer          user_data,
                 GError          **error)
{
  g_assert (record->user_id != NULL && record->user_id[0] != '\0');
  g_assert (g_utf8_validate (record->user_id, -1, NULL));
  if (record->kind == SEG_RECORD_EVENT)
    g_assert (record->event != NULL && g_utf8_validate (record->event, -1, NULL));
  if (record->insert_id != NULL)
    g_assert (g_utf8_validate (record->insert_id, -1, NULL));
  for (guint i = 0; i < record->n_props; i++)
    {
      const SegPropValue *v = &record->props[i];

      g_assert (v->key != NULL && g_utf8_validate (v->key, -1, NULL));
      if (v->type == SEG_VALUE_TYPE_STRING)
        g_assert (g_utf8_validate (v->str, v->str_len, NULL));
      if (v->type == SEG_VALUE_TYPE_LIST && v->str_len > 0)
        g_assert (v->str[v->str_len - 1] == '\0');
    }
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static GTimeZone *tz;
  g_autoptr(GInputStream) mem = NULL;
  g_autoptr(GInputStream) trickle = NULL;
  g_autoptr(GInputStream) text = NULL;
  g_autoptr(SegImporter) importer = NULL;
  g_autoptr(SegImportSink) sink = NULL;
  g_autoptr(GError) error = NULL;
  gsize max_read;

  if (tz == NULL)
    tz = g_time_zone_new_identifier ("America/New_York");
  if (size < 1)
    return 0;

  /* The first byte chooses how the bytes arrive: 1..16 at a time (a quarter of the runs,
   * to reach records cut by the end of a buffer), or all at once. */
  max_read = data[0] < 64 ? (data[0] % 16) + 1 : G_MAXSIZE;
  data++;
  size--;

  mem = g_memory_input_stream_new_from_data (data, size, NULL);
  trickle = seg_trickle_stream_new (mem, max_read);
  text = seg_import_open_stream (trickle, NULL, NULL, &error);
  if (text == NULL)
    return 0;

  importer = seg_importer_registry_create (strcmp (FUZZ_FORMAT, "csv-custom") == 0 ? "csv" : FUZZ_FORMAT);
  g_assert (importer != NULL);
  seg_importer_set_timezone (importer, tz);
  seg_importer_set_file_name (importer, "Charged.json");
  if (seg_importer_needs_mapping (importer) && strcmp (FUZZ_FORMAT, "jsonl") == 0)
    {
      g_autoptr(SegImportMapping) mapping = seg_import_mapping_new (SEG_RECORD_EVENT);

      seg_import_mapping_set_user_column (mapping, "u.id");
      seg_import_mapping_set_event_column (mapping, "e");
      seg_import_mapping_set_ts_column (mapping, "t");
      seg_import_mapping_set_column (mapping, "n", NULL, SEG_VALUE_TYPE_NUMBER);
      seg_import_mapping_set_column (mapping, "l", NULL, SEG_VALUE_TYPE_LIST);
      seg_import_mapping_set_column (mapping, "b", NULL, SEG_VALUE_TYPE_BOOLEAN);
      seg_import_mapping_set_column (mapping, "d", NULL, SEG_VALUE_TYPE_DATE);
      seg_importer_set_mapping (importer, mapping);
    }
  if (strcmp (FUZZ_FORMAT, "csv-custom") == 0)
    {
      g_autoptr(SegImportMapping) mapping = seg_import_mapping_new (SEG_RECORD_EVENT);

      seg_import_mapping_set_user_columns (mapping, (const char *[]) { "a", "b", NULL });
      seg_import_mapping_set_event_name (mapping, "E");
      seg_import_mapping_set_ts_column (mapping, "t");
      seg_import_mapping_set_ts_format (mapping, SEG_TIME_FORMAT_CUSTOM, "%d/%b/%y %I:%M:%S.%f %p %z");
      seg_import_mapping_set_column (mapping, "n", NULL, SEG_VALUE_TYPE_NUMBER);
      seg_import_mapping_set_column (mapping, "l", NULL, SEG_VALUE_TYPE_LIST);
      seg_import_mapping_set_column (mapping, "d", NULL, SEG_VALUE_TYPE_DATE);
      seg_import_mapping_set_column (mapping, "b", NULL, SEG_VALUE_TYPE_BOOLEAN);
      seg_import_mapping_set_delimiter (mapping, ';');
      seg_importer_set_mapping (importer, mapping);
    }

  sink = seg_import_sink_new ("fuzz", check_record_cb, NULL);
  seg_importer_read (importer, text, sink, NULL, &error);
  seg_importer_sniff (importer, "fuzz", (const char *) data, size);
  g_assert (seg_import_sink_get_rejected (sink) <= seg_import_sink_get_rows_read (sink) ||
            seg_import_sink_get_rows_read (sink) == 0);
  return 0;
}
