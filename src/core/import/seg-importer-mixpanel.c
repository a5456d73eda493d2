/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-importer-mixpanel"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "seg-import-util.h"
#include "seg-importer-mixpanel.h"

/*
 * Mixpanel's raw event export: JSON lines of
 *   {"event": "Signed Up", "properties": {"time": 1618716477, "distinct_id": "...",
 *    "$insert_id": "...", ...}}
 * time is in seconds (milliseconds in newer exports: told apart by magnitude).
 */

struct _SegImporterMixpanel
{
  SegImporter parent_instance;
};

G_DEFINE_FINAL_TYPE (SegImporterMixpanel, seg_importer_mixpanel, SEG_TYPE_IMPORTER)

typedef struct
{
  SegImportSink    *sink;
  SegRecordBuilder  rb;
  SegTimeParser    *time_parser;
} ReadData;

static gboolean
line_cb (SegJsonScan  *scan,
         guint64       line,
         gpointer      user_data,
         GError      **error)
{
  ReadData *d = user_data;
  const SegJsonEntry *event = NULL, *user = NULL, *time = NULL, *insert = NULL;
  guint n = seg_json_scan_n_entries (scan);
  int props = -1;
  gint64 ts;

  for (guint i = 0; i < n; i++)
    {
      const SegJsonEntry *e = seg_json_scan_entry (scan, i);

      if (e->depth != 0)
        continue;
      if (strcmp (e->key, "event") == 0)
        event = e;
      else if (strcmp (e->key, "properties") == 0 && e->type == SEG_JSON_OBJECT)
        {
          props = i;
          break;
        }
    }
  if (event == NULL || event->type != SEG_JSON_STRING || event->str_len == 0)
    return seg_import_sink_reject (d->sink, line, _("No event name"), error);
  if (props < 0)
    return seg_import_sink_reject (d->sink, line, _("No properties object"), error);

  seg_record_builder_reset (&d->rb, SEG_RECORD_EVENT);
  for (guint i = props + 1; i < seg_json_scan_entry (scan, props)->end; i++)
    {
      const SegJsonEntry *e = seg_json_scan_entry (scan, i);
      const char *key = e->key + strlen ("properties.");

      if (e->type == SEG_JSON_OBJECT)
        continue;
      if (e->depth == 1 && (key[0] == 't' || key[0] == 'd' || key[0] == '$'))
        {
          if (strcmp (key, "time") == 0)
            {
              time = e;
              continue;
            }
          if (strcmp (key, "distinct_id") == 0)
            {
              user = e;
              continue;
            }
          if (strcmp (key, "$insert_id") == 0)
            {
              insert = e;
              continue;
            }
        }
      seg_record_builder_add_json (&d->rb, key, e);
    }

  if (user == NULL || (user->type != SEG_JSON_STRING && user->type != SEG_JSON_NUMBER) || user->str_len == 0)
    return seg_import_sink_reject (d->sink, line, _("No distinct_id"), error);
  if (time == NULL)
    return seg_import_sink_reject (d->sink, line, _("No time"), error);
  if (!(time->type == SEG_JSON_NUMBER ? seg_time_parser_parse_number (d->time_parser, time->num, &ts)
                                      : time->type == SEG_JSON_STRING &&
                                        seg_time_parser_parse (d->time_parser, time->str, time->str_len, &ts)))
    return seg_import_sink_reject (d->sink, line, _("Cannot read the time"), error);

  d->rb.record.user_id = user->str;
  d->rb.record.event = event->str;
  d->rb.record.ts_ms = ts;
  if (insert != NULL && insert->type == SEG_JSON_STRING && insert->str_len > 0)
    d->rb.record.insert_id = insert->str;

  return seg_import_sink_emit (d->sink, seg_record_builder_finish (&d->rb), error);
}

static int
seg_importer_mixpanel_sniff (SegImporter *importer,
                             const char  *file_name,
                             const char  *head,
                             gsize        head_len)
{
  gsize len;
  const char *line = seg_importer_head_first_line (head, head_len, &len);
  g_autofree char *first = g_strndup (line, len);

  if (len == 0 || line[0] != '{')
    return 0;
  if (strstr (first, "\"event\"") && strstr (first, "\"properties\"") && strstr (first, "\"distinct_id\""))
    return 85;
  return 0;
}

static gboolean
seg_importer_mixpanel_read (SegImporter    *importer,
                            GInputStream   *stream,
                            SegImportSink  *sink,
                            GCancellable   *cancellable,
                            GError        **error)
{
  ReadData d = { sink };
  gboolean ret;

  seg_record_builder_init (&d.rb);
  d.time_parser = seg_time_parser_new (SEG_TIME_FORMAT_AUTO, NULL, seg_importer_get_timezone (importer));
  ret = seg_import_read_json_lines (stream, sink, cancellable, line_cb, NULL, &d, error);
  seg_time_parser_free (d.time_parser);
  seg_record_builder_clear (&d.rb);
  return ret;
}

static void
seg_importer_mixpanel_class_init (SegImporterMixpanelClass *klass)
{
  SegImporterClass *importer_class = SEG_IMPORTER_CLASS (klass);

  importer_class->id = "mixpanel";
  importer_class->name = N_("Mixpanel event export (JSON lines)");
  importer_class->sniff = seg_importer_mixpanel_sniff;
  importer_class->read = seg_importer_mixpanel_read;
}

static void
seg_importer_mixpanel_init (SegImporterMixpanel *self)
{
}
