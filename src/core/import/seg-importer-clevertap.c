/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-importer-clevertap"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "seg-importer-clevertap.h"

/*
 * CleverTap's event export: JSON lines of
 *   {"eventName": "Charged", "ts": 20240501123000,
 *    "profile": {"identity", "objectId", "email", "phone", "name", "platform", "push_token", ...},
 *    "deviceInfo": {...}, "eventProps": {...}, "sessionProps": {...}}
 * ts is yyyyMMddHHmmss in the project's timezone, which the data does not say: the user
 * gives it (SegImporter:timezone). In the legacy form the first line names the event and
 * the objects that follow have no eventName. Users are joined on identity, falling back
 * to objectId. Profile fields other than the ids become a profile update at the event's time.
 */

struct _SegImporterClevertap
{
  SegImporter parent_instance;
};

G_DEFINE_FINAL_TYPE (SegImporterClevertap, seg_importer_clevertap, SEG_TYPE_IMPORTER)

static const char *well_known[] = {
  "name", "email", "phone", "city", "region", "country", "latitude", "longitude",
  "platform", "app_version", "push_token", "email_optin", "sms_optin", "whatsapp_optin",
  "push_optin", "test_user", "gender", "dob",
};

/**
 * seg_clevertap_well_known_key:
 *
 * CleverTap spells some profile fields in title case ("Email", "Phone"): the well-known
 * properties are stored lower-case, whatever the spelling.
 */
const char *
seg_clevertap_well_known_key (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (well_known); i++)
    if (g_ascii_strcasecmp (key, well_known[i]) == 0)
      return well_known[i];
  if (g_ascii_strcasecmp (key, "push token") == 0)
    return "push_token";
  return key;
}

char *
seg_clevertap_event_from_file_name (const char *file_name)
{
  static const char *suffixes[] = { ".gz", ".json", ".jsonl", ".ndjson", ".txt", ".csv" };
  g_autofree char *base = NULL;
  gboolean stripped = TRUE;

  /* "-" is standard input: no name. */
  if (file_name == NULL || g_str_equal (file_name, "-"))
    return NULL;
  base = g_path_get_basename (file_name);
  while (stripped)
    {
      stripped = FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        if (g_str_has_suffix (base, suffixes[i]) && strlen (base) > strlen (suffixes[i]))
          {
            base[strlen (base) - strlen (suffixes[i])] = '\0';
            stripped = TRUE;
          }
    }
  return base[0] ? g_steal_pointer (&base) : NULL;
}

void
seg_clevertap_reader_init (SegClevertapReader *reader,
                           SegImporter        *importer,
                           SegImportSink      *sink)
{
  memset (reader, 0, sizeof *reader);
  reader->sink = sink;
  seg_record_builder_init (&reader->rb);
  seg_record_builder_init (&reader->pb);
  reader->time_parser = seg_time_parser_new (SEG_TIME_FORMAT_AUTO, NULL, seg_importer_get_timezone (importer));
  reader->default_event = g_strdup (seg_importer_get_event_name (importer));
  reader->now_ms = g_get_real_time () / 1000;
}

void
seg_clevertap_reader_clear (SegClevertapReader *reader)
{
  seg_record_builder_clear (&reader->rb);
  seg_record_builder_clear (&reader->pb);
  g_clear_pointer (&reader->time_parser, seg_time_parser_free);
  g_clear_pointer (&reader->default_event, g_free);
}

static gboolean
parse_ts (SegClevertapReader *r,
          const SegJsonEntry *e,
          gint64             *ts)
{
  if (e == NULL)
    return FALSE;
  if (e->type == SEG_JSON_NUMBER)
    return seg_time_parser_parse_number (r->time_parser, e->num, ts);
  if (e->type == SEG_JSON_STRING)
    return seg_time_parser_parse (r->time_parser, e->str, e->str_len, ts);
  return FALSE;
}

gboolean
seg_clevertap_convert_event (SegClevertapReader *r,
                             SegJsonScan        *scan,
                             guint64             line,
                             GError            **error)
{
  const SegJsonEntry *event = NULL, *ts_e = NULL;
  const SegJsonEntry *identity = NULL, *object_id = NULL, *top_identity = NULL, *top_object_id = NULL;
  guint n = seg_json_scan_n_entries (scan);
  const char *user_id;
  gsize len;
  gint64 ts;

  seg_record_builder_reset (&r->rb, SEG_RECORD_EVENT);
  seg_record_builder_reset (&r->pb, SEG_RECORD_PROFILE);

  for (guint i = 0; i < n; i++)
    {
      const SegJsonEntry *e = seg_json_scan_entry (scan, i);
      const char *dot;

      if (e->type == SEG_JSON_OBJECT)
        continue;
      if (e->depth == 0)
        {
          if (strcmp (e->key, "eventName") == 0 || strcmp (e->key, "event_name") == 0 ||
              strcmp (e->key, "evtName") == 0)
            event = e;
          else if (strcmp (e->key, "ts") == 0)
            ts_e = e;
          else if (strcmp (e->key, "identity") == 0)
            top_identity = e;
          else if (strcmp (e->key, "objectId") == 0)
            top_object_id = e;
          continue;
        }
      dot = strchr (e->key, '.');
      if (dot == NULL)
        continue;
      if (strncmp (e->key, "profile.", 8) == 0)
        {
          if (e->depth == 1 && strcmp (e->name, "identity") == 0)
            identity = e;
          else if (e->depth == 1 && strcmp (e->name, "objectId") == 0)
            object_id = e;
          else if (e->type != SEG_JSON_NULL)
            seg_record_builder_add_json (&r->pb, seg_clevertap_well_known_key (e->key + 8), e);
        }
      else if (strncmp (e->key, "eventProps.", 11) == 0)
        seg_record_builder_add_json (&r->rb, e->key + 11, e);
      else if (strncmp (e->key, "event_props.", 12) == 0)
        seg_record_builder_add_json (&r->rb, e->key + 12, e);
      else if (strncmp (e->key, "evtData.", 8) == 0)
        seg_record_builder_add_json (&r->rb, e->key + 8, e);
      else
        /* sessionProps, session_props, deviceInfo, ...: kept under their path. */
        seg_record_builder_add_json (&r->rb, e->key, e);
    }

  user_id = seg_json_entry_text (identity, &len);
  if (user_id == NULL || len == 0)
    user_id = seg_json_entry_text (top_identity, &len);
  if (user_id == NULL || len == 0)
    user_id = seg_json_entry_text (object_id, &len);
  if (user_id == NULL || len == 0)
    user_id = seg_json_entry_text (top_object_id, &len);
  if (user_id == NULL || len == 0)
    return seg_import_sink_reject (r->sink, line, _("Neither identity nor objectId"), error);

  if (event != NULL && event->type == SEG_JSON_STRING && event->str_len > 0)
    r->rb.record.event = event->str;
  else if (r->default_event != NULL)
    r->rb.record.event = r->default_event;
  else
    return seg_import_sink_reject (r->sink, line, _("No event name"), error);

  if (ts_e == NULL)
    return seg_import_sink_reject (r->sink, line, _("No ts"), error);
  if (!parse_ts (r, ts_e, &ts))
    return seg_import_sink_rejectf (r->sink, line, error, _("Cannot read the time “%.40s”"),
                                    ts_e->str ? ts_e->str : "");

  r->rb.record.user_id = user_id;
  r->rb.record.ts_ms = ts;
  if (!seg_import_sink_emit (r->sink, seg_record_builder_finish (&r->rb), error))
    return FALSE;

  if (r->pb.n_props > 0)
    {
      r->pb.record.user_id = user_id;
      r->pb.record.ts_ms = ts;
      return seg_import_sink_emit (r->sink, seg_record_builder_finish (&r->pb), error);
    }
  return TRUE;
}

/*
 * A profile export object: ids at the top (or under "profile"), custom properties
 * under "profileData" or at the top level. Set at "ts" when present, else now.
 */
gboolean
seg_clevertap_convert_profile (SegClevertapReader *r,
                               SegJsonScan        *scan,
                               guint64             line,
                               GError            **error)
{
  const SegJsonEntry *identity = NULL, *object_id = NULL, *ts_e = NULL;
  guint n = seg_json_scan_n_entries (scan);
  const char *user_id;
  gsize len;
  gint64 ts = r->now_ms;

  seg_record_builder_reset (&r->pb, SEG_RECORD_PROFILE);
  for (guint i = 0; i < n; i++)
    {
      const SegJsonEntry *e = seg_json_scan_entry (scan, i);
      const char *key = e->key;

      if (e->type == SEG_JSON_OBJECT)
        continue;
      if (strncmp (key, "profile.", 8) == 0)
        key += 8;
      else if (strncmp (key, "profileData.", 12) == 0)
        key += 12;
      if (strchr (key, '.') == NULL)
        {
          if (strcmp (key, "identity") == 0 || strcmp (key, "Identity") == 0)
            {
              identity = e;
              continue;
            }
          if (strcmp (key, "objectId") == 0)
            {
              object_id = e;
              continue;
            }
          if (strcmp (key, "ts") == 0)
            {
              ts_e = e;
              continue;
            }
        }
      seg_record_builder_add_json (&r->pb, seg_clevertap_well_known_key (key), e);
    }

  user_id = seg_json_entry_text (identity, &len);
  if (user_id == NULL || len == 0)
    user_id = seg_json_entry_text (object_id, &len);
  if (user_id == NULL || len == 0)
    return seg_import_sink_reject (r->sink, line, _("Neither identity nor objectId"), error);
  if (ts_e != NULL && !parse_ts (r, ts_e, &ts))
    return seg_import_sink_reject (r->sink, line, _("Cannot read the time"), error);

  r->pb.record.user_id = user_id;
  r->pb.record.ts_ms = ts;
  return seg_import_sink_emit (r->sink, seg_record_builder_finish (&r->pb), error);
}

static gboolean
line_cb (SegJsonScan  *scan,
         guint64       line,
         gpointer      user_data,
         GError      **error)
{
  return seg_clevertap_convert_event (user_data, scan, line, error);
}

/* The legacy form's first line: the event name, bare or as a JSON string. */
static gboolean
first_line_cb (const char *line,
               gsize       len,
               gpointer    user_data)
{
  SegClevertapReader *r = user_data;

  while (len > 0 && g_ascii_isspace (line[len - 1]))
    len--;
  if (len >= 2 && line[0] == '"' && line[len - 1] == '"')
    {
      line++;
      len -= 2;
    }
  if (len == 0 || len > 512 || !g_utf8_validate (line, len, NULL) || memchr (line, '\0', len))
    return FALSE;
  g_free (r->default_event);
  r->default_event = g_strndup (line, len);
  return TRUE;
}

static int
seg_importer_clevertap_sniff (SegImporter *importer,
                              const char  *file_name,
                              const char  *head,
                              gsize        head_len)
{
  gsize len;
  const char *line = seg_importer_head_first_line (head, head_len, &len);
  g_autofree char *first = g_strndup (line, len);
  const char *probe = first;
  g_autofree char *second = NULL;

  if (len == 0)
    return 0;
  if (line[0] != '{')
    {
      /* Legacy: a name line, then event objects. */
      const char *next = line + len;
      gsize rest = head_len - (next - head);
      const char *l2;
      gsize len2;

      if (memchr (first, ',', len) != NULL || memchr (first, '{', len) != NULL || rest < 2)
        return 0;
      l2 = seg_importer_head_first_line (next + 1, rest - 1, &len2);
      if (len2 == 0 || l2[0] != '{')
        return 0;
      second = g_strndup (l2, len2);
      probe = second;
    }
  if (strstr (probe, "\"records\""))
    return 0;
  if (strstr (probe, "\"profile\"") && strstr (probe, "\"ts\"") &&
      (strstr (probe, "\"eventName\"") || strstr (probe, "\"eventProps\"") || second != NULL))
    return 90;
  return 0;
}

static gboolean
seg_importer_clevertap_read (SegImporter    *importer,
                             GInputStream   *stream,
                             SegImportSink  *sink,
                             GCancellable   *cancellable,
                             GError        **error)
{
  SegClevertapReader r;
  gboolean ret;

  seg_clevertap_reader_init (&r, importer, sink);
  ret = seg_import_read_json_lines (stream, sink, cancellable, line_cb, first_line_cb, &r, error);
  seg_clevertap_reader_clear (&r);
  return ret;
}

static void
seg_importer_clevertap_class_init (SegImporterClevertapClass *klass)
{
  SegImporterClass *importer_class = SEG_IMPORTER_CLASS (klass);

  importer_class->id = "clevertap";
  importer_class->name = N_("CleverTap event export (JSON)");
  importer_class->sniff = seg_importer_clevertap_sniff;
  importer_class->read = seg_importer_clevertap_read;
}

static void
seg_importer_clevertap_init (SegImporterClevertap *self)
{
}
