/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-importer-segment"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "seg-import-util.h"
#include "seg-importer-segment.h"

/*
 * Segment spec messages as JSON lines: {"type": "track"|"identify"|"page"|"screen",
 * "userId" or "anonymousId", "event", "timestamp" (ISO-8601), "properties"{}, "traits"{},
 * "context"{"page"{"url", "referrer", ...}, "traits"{}}, "messageId"}.
 * track → the event; page → "Page Visited" with url and referrer; screen → "Screen
 * Viewed"; identify → a profile update from traits.
 */

struct _SegImporterSegment
{
  SegImporter parent_instance;
};

G_DEFINE_FINAL_TYPE (SegImporterSegment, seg_importer_segment, SEG_TYPE_IMPORTER)

typedef struct
{
  SegImportSink    *sink;
  SegRecordBuilder  rb;
  SegTimeParser    *time_parser;
} ReadData;

static gboolean
has_prop (SegRecordBuilder *b,
          const char       *key)
{
  for (guint i = 0; i < b->n_props; i++)
    if (strcmp (b->props[i].key, key) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
line_cb (SegJsonScan  *scan,
         guint64       line,
         gpointer      user_data,
         GError      **error)
{
  ReadData *d = user_data;
  const SegJsonEntry *type = NULL, *user = NULL, *anon = NULL, *event = NULL, *name = NULL;
  const SegJsonEntry *ts_e = NULL, *orig_ts = NULL, *message = NULL;
  const SegJsonEntry *page_url = NULL, *page_referrer = NULL, *page_path = NULL, *page_title = NULL;
  guint n = seg_json_scan_n_entries (scan);
  int props = -1, traits = -1, ctx_traits = -1;
  const char *user_id;
  gsize len;
  gint64 ts;

  for (guint i = 0; i < n; i++)
    {
      const SegJsonEntry *e = seg_json_scan_entry (scan, i);

      if (e->depth == 0)
        {
          if (strcmp (e->key, "type") == 0)
            type = e;
          else if (strcmp (e->key, "userId") == 0)
            user = e;
          else if (strcmp (e->key, "anonymousId") == 0)
            anon = e;
          else if (strcmp (e->key, "event") == 0)
            event = e;
          else if (strcmp (e->key, "name") == 0)
            name = e;
          else if (strcmp (e->key, "timestamp") == 0)
            ts_e = e;
          else if (strcmp (e->key, "originalTimestamp") == 0 || strcmp (e->key, "receivedAt") == 0)
            orig_ts = orig_ts ? orig_ts : e;
          else if (strcmp (e->key, "messageId") == 0)
            message = e;
          else if (strcmp (e->key, "properties") == 0 && e->type == SEG_JSON_OBJECT)
            props = i;
          else if (strcmp (e->key, "traits") == 0 && e->type == SEG_JSON_OBJECT)
            traits = i;
        }
      else if (e->depth == 1 && strcmp (e->key, "context.traits") == 0 && e->type == SEG_JSON_OBJECT)
        ctx_traits = i;
      else if (e->depth == 2 && g_str_has_prefix (e->key, "context.page."))
        {
          if (strcmp (e->name, "url") == 0)
            page_url = e;
          else if (strcmp (e->name, "referrer") == 0)
            page_referrer = e;
          else if (strcmp (e->name, "path") == 0)
            page_path = e;
          else if (strcmp (e->name, "title") == 0)
            page_title = e;
        }
    }

  if (type == NULL || type->type != SEG_JSON_STRING)
    return seg_import_sink_reject (d->sink, line, _("No message type"), error);
  user_id = seg_json_entry_text (user, &len);
  if (user_id == NULL || len == 0)
    user_id = seg_json_entry_text (anon, &len);
  if (user_id == NULL || len == 0)
    return seg_import_sink_reject (d->sink, line, _("Neither userId nor anonymousId"), error);
  if (ts_e == NULL || ts_e->type != SEG_JSON_STRING)
    ts_e = orig_ts;
  if (ts_e == NULL || ts_e->type != SEG_JSON_STRING ||
      !seg_time_parser_parse (d->time_parser, ts_e->str, ts_e->str_len, &ts))
    return seg_import_sink_reject (d->sink, line, _("No readable timestamp"), error);

  if (strcmp (type->str, "identify") == 0)
    {
      seg_record_builder_reset (&d->rb, SEG_RECORD_PROFILE);
      if (traits >= 0)
        seg_record_builder_add_json_members (&d->rb, scan, traits, NULL);
      else if (ctx_traits >= 0)
        seg_record_builder_add_json_members (&d->rb, scan, ctx_traits, NULL);
    }
  else if (strcmp (type->str, "track") == 0 || strcmp (type->str, "page") == 0 ||
           strcmp (type->str, "screen") == 0)
    {
      seg_record_builder_reset (&d->rb, SEG_RECORD_EVENT);
      if (type->str[0] == 't')
        {
          if (event == NULL || event->type != SEG_JSON_STRING || event->str_len == 0)
            return seg_import_sink_reject (d->sink, line, _("A track call without an event name"), error);
          d->rb.record.event = event->str;
        }
      else
        d->rb.record.event = type->str[0] == 'p' ? "Page Visited" : "Screen Viewed";
      if (props >= 0)
        seg_record_builder_add_json_members (&d->rb, scan, props, NULL);
      if (type->str[0] != 't')
        {
          if (name != NULL && name->type == SEG_JSON_STRING && !has_prop (&d->rb, "name"))
            seg_record_builder_add_json (&d->rb, "name", name);
          if (page_url != NULL && !has_prop (&d->rb, "url"))
            seg_record_builder_add_json (&d->rb, "url", page_url);
          if (page_referrer != NULL && !has_prop (&d->rb, "referrer"))
            seg_record_builder_add_json (&d->rb, "referrer", page_referrer);
          if (page_path != NULL && !has_prop (&d->rb, "path"))
            seg_record_builder_add_json (&d->rb, "path", page_path);
          if (page_title != NULL && !has_prop (&d->rb, "title"))
            seg_record_builder_add_json (&d->rb, "title", page_title);
        }
      if (message != NULL && message->type == SEG_JSON_STRING && message->str_len > 0)
        d->rb.record.insert_id = message->str;
    }
  else
    return seg_import_sink_rejectf (d->sink, line, error,
                                    _("Segment “%.20s” calls are not imported"), type->str);

  d->rb.record.user_id = user_id;
  d->rb.record.ts_ms = ts;
  return seg_import_sink_emit (d->sink, seg_record_builder_finish (&d->rb), error);
}

static int
seg_importer_segment_sniff (SegImporter *importer,
                            const char  *file_name,
                            const char  *head,
                            gsize        head_len)
{
  gsize len;
  const char *line = seg_importer_head_first_line (head, head_len, &len);
  g_autofree char *first = g_strndup (line, len);

  if (len == 0 || line[0] != '{')
    return 0;
  if ((strstr (first, "\"userId\"") || strstr (first, "\"anonymousId\"")) &&
      strstr (first, "\"type\"") &&
      (strstr (first, "\"track\"") || strstr (first, "\"identify\"") || strstr (first, "\"page\"") ||
       strstr (first, "\"screen\"")))
    return 85;
  return 0;
}

static gboolean
seg_importer_segment_read (SegImporter    *importer,
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
seg_importer_segment_class_init (SegImporterSegmentClass *klass)
{
  SegImporterClass *importer_class = SEG_IMPORTER_CLASS (klass);

  importer_class->id = "segment";
  importer_class->name = N_("Segment messages (JSON lines: track, identify, page)");
  importer_class->sniff = seg_importer_segment_sniff;
  importer_class->read = seg_importer_segment_read;
}

static void
seg_importer_segment_init (SegImporterSegment *self)
{
}
