/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-importer-amplitude"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "seg-import-util.h"
#include "seg-importer-amplitude.h"

/*
 * Amplitude's export API: gzipped JSON lines, one event per line, with user_id (or only
 * device_id for anonymous users), event_type, event_time ("2024-05-01 12:30:00.123456",
 * UTC), event_properties{}, user_properties{}, and device fields such as platform,
 * country, city, region, os_name. Each line gives an event; user_properties and the
 * location/platform fields also update the user's profile.
 */

struct _SegImporterAmplitude
{
  SegImporter parent_instance;
};

G_DEFINE_FINAL_TYPE (SegImporterAmplitude, seg_importer_amplitude, SEG_TYPE_IMPORTER)

/* Top-level fields that describe the user and go to the profile. */
static const char *profile_fields[] = {
  "platform", "country", "city", "region", "os_name", "os_version", "device_type",
  "device_family", "device_brand", "device_model", "language", "version_name", "carrier",
  "dma", "location_lat", "location_lng", "paying", "start_version",
};

typedef struct
{
  SegImportSink    *sink;
  SegRecordBuilder  rb;
  SegRecordBuilder  pb;
  SegTimeParser    *time_parser;
} ReadData;

static gboolean
is_profile_field (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (profile_fields); i++)
    if (strcmp (name, profile_fields[i]) == 0)
      return TRUE;
  return FALSE;
}

static const char *
well_known_key (const char *key)
{
  if (strcmp (key, "location_lat") == 0)
    return "latitude";
  if (strcmp (key, "location_lng") == 0)
    return "longitude";
  if (strcmp (key, "version_name") == 0)
    return "app_version";
  return key;
}

static gboolean
line_cb (SegJsonScan  *scan,
         guint64       line,
         gpointer      user_data,
         GError      **error)
{
  ReadData *d = user_data;
  const SegJsonEntry *event = NULL, *user = NULL, *device = NULL, *time = NULL, *insert = NULL;
  guint n = seg_json_scan_n_entries (scan);
  int event_props = -1, user_props = -1;
  const char *user_id;
  gsize len;
  gint64 ts;

  seg_record_builder_reset (&d->pb, SEG_RECORD_PROFILE);
  for (guint i = 0; i < n; i++)
    {
      const SegJsonEntry *e = seg_json_scan_entry (scan, i);

      if (e->depth != 0)
        continue;
      if (strcmp (e->key, "event_type") == 0)
        event = e;
      else if (strcmp (e->key, "user_id") == 0)
        user = e;
      else if (strcmp (e->key, "device_id") == 0)
        device = e;
      else if (strcmp (e->key, "event_time") == 0 || (time == NULL && strcmp (e->key, "time") == 0))
        time = e;
      else if (strcmp (e->key, "$insert_id") == 0 || (insert == NULL && strcmp (e->key, "uuid") == 0))
        insert = e;
      else if (strcmp (e->key, "event_properties") == 0 && e->type == SEG_JSON_OBJECT)
        event_props = i;
      else if (strcmp (e->key, "user_properties") == 0 && e->type == SEG_JSON_OBJECT)
        user_props = i;
      else if (e->type != SEG_JSON_NULL && is_profile_field (e->key))
        seg_record_builder_add_json (&d->pb, well_known_key (e->key), e);
    }

  if (event == NULL || event->type != SEG_JSON_STRING || event->str_len == 0)
    return seg_import_sink_reject (d->sink, line, _("No event_type"), error);
  user_id = seg_json_entry_text (user, &len);
  if (user_id == NULL || len == 0)
    user_id = seg_json_entry_text (device, &len);
  if (user_id == NULL || len == 0)
    return seg_import_sink_reject (d->sink, line, _("Neither user_id nor device_id"), error);
  if (time == NULL)
    return seg_import_sink_reject (d->sink, line, _("No event_time"), error);
  if (!(time->type == SEG_JSON_NUMBER ? seg_time_parser_parse_number (d->time_parser, time->num, &ts)
                                      : time->type == SEG_JSON_STRING &&
                                        seg_time_parser_parse (d->time_parser, time->str, time->str_len, &ts)))
    return seg_import_sink_rejectf (d->sink, line, error, _("Cannot read the time “%.40s”"),
                                    time->str ? time->str : "");

  seg_record_builder_reset (&d->rb, SEG_RECORD_EVENT);
  d->rb.record.user_id = user_id;
  d->rb.record.event = event->str;
  d->rb.record.ts_ms = ts;
  if (insert != NULL && insert->type == SEG_JSON_STRING && insert->str_len > 0)
    d->rb.record.insert_id = insert->str;
  if (event_props >= 0)
    seg_record_builder_add_json_members (&d->rb, scan, event_props, NULL);
  if (!seg_import_sink_emit (d->sink, seg_record_builder_finish (&d->rb), error))
    return FALSE;

  if (user_props >= 0)
    seg_record_builder_add_json_members (&d->pb, scan, user_props, NULL);
  if (d->pb.n_props > 0)
    {
      d->pb.record.user_id = user_id;
      d->pb.record.ts_ms = ts;
      return seg_import_sink_emit (d->sink, seg_record_builder_finish (&d->pb), error);
    }
  return TRUE;
}

static int
seg_importer_amplitude_sniff (SegImporter *importer,
                              const char  *file_name,
                              const char  *head,
                              gsize        head_len)
{
  gsize len;
  const char *line = seg_importer_head_first_line (head, head_len, &len);
  g_autofree char *first = g_strndup (line, len);

  if (len == 0 || line[0] != '{')
    return 0;
  if (strstr (first, "\"event_type\"") &&
      (strstr (first, "\"amplitude_id\"") || strstr (first, "\"event_time\"")))
    return 85;
  return 0;
}

static gboolean
seg_importer_amplitude_read (SegImporter    *importer,
                             GInputStream   *stream,
                             SegImportSink  *sink,
                             GCancellable   *cancellable,
                             GError        **error)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  ReadData d = { sink };
  gboolean ret;

  seg_record_builder_init (&d.rb);
  seg_record_builder_init (&d.pb);
  /* Amplitude's times are UTC whatever the project's timezone. */
  d.time_parser = seg_time_parser_new (SEG_TIME_FORMAT_AUTO, NULL, utc);
  ret = seg_import_read_json_lines (stream, sink, cancellable, line_cb, NULL, &d, error);
  seg_time_parser_free (d.time_parser);
  seg_record_builder_clear (&d.rb);
  seg_record_builder_clear (&d.pb);
  return ret;
}

static void
seg_importer_amplitude_class_init (SegImporterAmplitudeClass *klass)
{
  SegImporterClass *importer_class = SEG_IMPORTER_CLASS (klass);

  importer_class->id = "amplitude";
  importer_class->name = N_("Amplitude export (JSON lines, usually gzipped)");
  importer_class->sniff = seg_importer_amplitude_sniff;
  importer_class->read = seg_importer_amplitude_read;
}

static void
seg_importer_amplitude_init (SegImporterAmplitude *self)
{
}
