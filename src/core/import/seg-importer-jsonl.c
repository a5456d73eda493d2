/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-importer-jsonl"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "seg-import-util.h"
#include "seg-importer-jsonl.h"

/*
 * Generic JSON lines with a mapping whose columns are dotted paths ("user.id",
 * "props.amount"): one object per line, one event or profile update per object. Every
 * other value becomes a property under its path (nested objects flattened as "a.b"),
 * unless the mapping renames, types or skips it.
 */

struct _SegImporterJsonl
{
  SegImporter parent_instance;
};

G_DEFINE_FINAL_TYPE (SegImporterJsonl, seg_importer_jsonl, SEG_TYPE_IMPORTER)

typedef struct
{
  SegImportSink    *sink;
  SegImportMapping *mapping;
  SegRecordBuilder  rb;
  SegTimeParser    *time_parser;
  gint64            now_ms;
} ReadData;

static gboolean
line_cb (SegJsonScan  *scan,
         guint64       line,
         gpointer      user_data,
         GError      **error)
{
  ReadData *d = user_data;
  SegImportMapping *m = d->mapping;
  const char * const *user_cols = seg_import_mapping_get_user_columns (m);
  const char *event_col = seg_import_mapping_get_event_column (m);
  const char *ts_col = seg_import_mapping_get_ts_column (m);
  const char *insert_col = seg_import_mapping_get_insert_id_column (m);
  SegRecordKind kind = seg_import_mapping_get_kind (m);
  const SegJsonEntry *user = NULL, *event = NULL, *ts_e = NULL, *insert = NULL;
  guint user_rank = G_MAXUINT;
  guint n = seg_json_scan_n_entries (scan);
  const char *user_id;
  gsize len;
  gint64 ts = d->now_ms;

  seg_record_builder_reset (&d->rb, kind);
  for (guint i = 0; i < n; i++)
    {
      const SegJsonEntry *e = seg_json_scan_entry (scan, i);
      const char *prop;
      SegValueType type;
      gboolean used = FALSE;

      if (e->type == SEG_JSON_OBJECT)
        continue;
      for (guint u = 0; user_cols[u] != NULL && u < user_rank; u++)
        if (strcmp (e->key, user_cols[u]) == 0)
          {
            const char *t = seg_json_entry_text (e, &len);
            if (t != NULL && len > 0)
              {
                user = e;
                user_rank = u;
              }
            used = TRUE;
            break;
          }
      for (guint u = 0; !used && user_cols[u] != NULL; u++)
        used = strcmp (e->key, user_cols[u]) == 0;
      if (!used && event_col != NULL && strcmp (e->key, event_col) == 0)
        event = e, used = TRUE;
      if (!used && ts_col != NULL && strcmp (e->key, ts_col) == 0)
        ts_e = e, used = TRUE;
      if (!used && insert_col != NULL && strcmp (e->key, insert_col) == 0)
        insert = e, used = TRUE;
      if (used || !seg_import_mapping_lookup_column (m, e->key, &prop, &type))
        continue;

      if (type == SEG_VALUE_TYPE_NONE || e->type == SEG_JSON_NULL)
        seg_record_builder_add_json (&d->rb, prop, e);
      else
        {
          const char *text = seg_json_entry_text (e, &len);
          gboolean ok;

          if (e->type == SEG_JSON_BOOLEAN)
            {
              text = e->num != 0 ? "true" : "false";
              len = strlen (text);
            }
          else if (e->type == SEG_JSON_ARRAY)
            text = e->str, len = e->str_len;
          if (type == SEG_VALUE_TYPE_LIST && e->type == SEG_JSON_ARRAY && e->list)
            {
              seg_record_builder_add_list (&d->rb, prop, e->str, e->str_len);
              continue;
            }
          ok = text != NULL && seg_record_builder_add_typed (&d->rb, prop, type, text, len);
          if (!ok)
            return seg_import_sink_rejectf (d->sink, line, error, _("“%s” is not a %s"), e->key,
                                            seg_value_type_to_string (type));
        }
    }

  user_id = seg_json_entry_text (user, &len);
  if (user_id == NULL || len == 0)
    return seg_import_sink_reject (d->sink, line, _("No user id"), error);
  if (kind == SEG_RECORD_EVENT)
    {
      if (event != NULL && event->type == SEG_JSON_STRING && event->str_len > 0)
        d->rb.record.event = event->str;
      else
        d->rb.record.event = seg_import_mapping_get_event_name (m);
      if (d->rb.record.event == NULL)
        return seg_import_sink_reject (d->sink, line, _("No event name"), error);
      if (ts_e == NULL)
        return seg_import_sink_reject (d->sink, line, _("No time"), error);
    }
  if (ts_e != NULL &&
      !(ts_e->type == SEG_JSON_NUMBER ? seg_time_parser_parse_number (d->time_parser, ts_e->num, &ts)
                                      : ts_e->type == SEG_JSON_STRING &&
                                        seg_time_parser_parse (d->time_parser, ts_e->str, ts_e->str_len, &ts)))
    return seg_import_sink_reject (d->sink, line, _("Cannot read the time"), error);
  if (insert != NULL && (insert->type == SEG_JSON_STRING || insert->type == SEG_JSON_NUMBER) && insert->str_len > 0)
    d->rb.record.insert_id = insert->str;

  d->rb.record.user_id = user_id;
  d->rb.record.ts_ms = ts;
  return seg_import_sink_emit (d->sink, seg_record_builder_finish (&d->rb), error);
}

static int
seg_importer_jsonl_sniff (SegImporter *importer,
                          const char  *file_name,
                          const char  *head,
                          gsize        head_len)
{
  gsize len;
  const char *line = seg_importer_head_first_line (head, head_len, &len);

  /* Any JSON lines file: the format of last resort for objects per line. */
  if (len >= 2 && line[0] == '{' && line[len - 1] == '}')
    return 10;
  return 0;
}

static gboolean
seg_importer_jsonl_read (SegImporter    *importer,
                         GInputStream   *stream,
                         SegImportSink  *sink,
                         GCancellable   *cancellable,
                         GError        **error)
{
  SegImportMapping *mapping = seg_importer_get_mapping (importer);
  ReadData d = { sink };
  gboolean ret;

  if (mapping == NULL)
    {
      g_set_error (error, SEG_IMPORT_ERROR, SEG_IMPORT_ERROR_INVALID_MAPPING,
                   _("This JSON lines file needs a mapping: which field is the user, the event and the time"));
      return FALSE;
    }
  if (!seg_import_mapping_validate (mapping, error))
    return FALSE;

  d.mapping = mapping;
  d.now_ms = g_get_real_time () / 1000;
  seg_record_builder_init (&d.rb);
  d.time_parser = seg_time_parser_new (seg_import_mapping_get_ts_format (mapping),
                                       seg_import_mapping_get_ts_pattern (mapping),
                                       seg_importer_get_timezone (importer));
  ret = seg_import_read_json_lines (stream, sink, cancellable, line_cb, NULL, &d, error);
  seg_time_parser_free (d.time_parser);
  seg_record_builder_clear (&d.rb);
  return ret;
}

static void
seg_importer_jsonl_class_init (SegImporterJsonlClass *klass)
{
  SegImporterClass *importer_class = SEG_IMPORTER_CLASS (klass);

  importer_class->id = "jsonl";
  importer_class->name = N_("JSON lines (mapped fields)");
  importer_class->needs_mapping = TRUE;
  importer_class->sniff = seg_importer_jsonl_sniff;
  importer_class->read = seg_importer_jsonl_read;
}

static void
seg_importer_jsonl_init (SegImporterJsonl *self)
{
}
