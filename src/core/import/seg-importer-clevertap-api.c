/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seg-importer-clevertap-api"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "seg-importer-clevertap.h"
#include "seg-importer-clevertap-api.h"

/*
 * Responses of CleverTap's Get Events API saved to a file:
 *   {"status": "success", "records": [{"profile": {...}, "ts": 20240501123000,
 *     "event_props": {...}, "session_props": {...}}, ...], "next_cursor": "..."}
 * Records do not name their event: it comes from SegImporter:event-name, else from the
 * file name ("Charged.json" holds Charged events). Several responses may follow each
 * other in one file (one per line when pages were appended). A response holds at most a
 * batch (5000 records), so each is parsed whole with json-glib.
 */

struct _SegImporterClevertapApi
{
  SegImporter parent_instance;
};

G_DEFINE_FINAL_TYPE (SegImporterClevertapApi, seg_importer_clevertap_api, SEG_TYPE_IMPORTER)

static gboolean
read_document (SegClevertapReader  *r,
               SegJsonScan         *scan,
               JsonNode            *root,
               guint64             *record_no,
               GError             **error)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  JsonObject *obj;
  JsonArray *records;

  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      !json_object_has_member ((obj = json_node_get_object (root)), "records") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, "records")))
    {
      g_set_error (error, SEG_IMPORT_ERROR, SEG_IMPORT_ERROR_INVALID_DATA,
                   _("This is not a Get Events API response: it has no “records” list"));
      return FALSE;
    }
  records = json_object_get_array_member (obj, "records");

  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonNode *rec = json_array_get_element (records, i);
      g_autofree char *text = NULL;
      gsize len;

      (*record_no)++;
      seg_import_sink_row (r->sink, 0);
      json_generator_set_root (gen, rec);
      text = json_generator_to_data (gen, &len);
      if (!seg_json_scan_object (scan, text, len))
        {
          if (!seg_import_sink_rejectf (r->sink, *record_no, error, _("Record %" G_GUINT64_FORMAT " is not an object"),
                                        *record_no))
            return FALSE;
          continue;
        }
      if (!seg_clevertap_convert_event (r, scan, *record_no, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
seg_importer_clevertap_api_read (SegImporter    *importer,
                                 GInputStream   *stream,
                                 SegImportSink  *sink,
                                 GCancellable   *cancellable,
                                 GError        **error)
{
  g_autoptr(GString) doc = g_string_new (NULL);
  SegClevertapReader r;
  SegJsonScan scan;
  guint64 record_no = 0;
  gboolean ret = FALSE;
  int depth = 0;
  gboolean in_string = FALSE, escaped = FALSE;
  char buf[64 * 1024];
  gssize n;

  seg_clevertap_reader_init (&r, importer, sink);
  seg_json_scan_init (&scan);
  if (r.default_event == NULL)
    r.default_event = seg_clevertap_event_from_file_name (seg_importer_get_file_name (importer));
  if (r.default_event == NULL)
    {
      g_set_error (error, SEG_IMPORT_ERROR, SEG_IMPORT_ERROR_INVALID_MAPPING,
                   _("Get Events API records do not name their event: give the event name"));
      goto out;
    }

  /* Split the stream into top-level JSON documents by bracket depth. */
  while ((n = g_input_stream_read (stream, buf, sizeof buf, cancellable, error)) > 0)
    {
      for (gssize i = 0; i < n; i++)
        {
          char c = buf[i];

          if (depth > 0 || c == '{' || c == '[')
            g_string_append_c (doc, c);
          else if (!g_ascii_isspace (c))
            {
              g_set_error (error, SEG_IMPORT_ERROR, SEG_IMPORT_ERROR_INVALID_DATA,
                           _("Unexpected text between Get Events API responses"));
              goto out;
            }
          if (in_string)
            {
              if (escaped)
                escaped = FALSE;
              else if (c == '\\')
                escaped = TRUE;
              else if (c == '"')
                in_string = FALSE;
              continue;
            }
          if (c == '"')
            in_string = TRUE;
          else if (c == '{' || c == '[')
            depth++;
          else if (c == '}' || c == ']')
            {
              depth--;
              if (depth == 0)
                {
                  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

                  if (!json_parser_load_from_data (parser, doc->str, doc->len, error) ||
                      !read_document (&r, &scan, json_parser_get_root (parser), &record_no, error))
                    goto out;
                  g_string_truncate (doc, 0);
                }
            }
        }
    }
  if (n < 0)
    goto out;
  if (depth != 0 || doc->len > 0)
    {
      g_set_error (error, SEG_IMPORT_ERROR, SEG_IMPORT_ERROR_INVALID_DATA,
                   _("The file ends in the middle of a Get Events API response"));
      goto out;
    }
  seg_import_sink_finish (sink, 0);
  ret = TRUE;

out:
  seg_json_scan_clear (&scan);
  seg_clevertap_reader_clear (&r);
  return ret;
}

static int
seg_importer_clevertap_api_sniff (SegImporter *importer,
                                  const char  *file_name,
                                  const char  *head,
                                  gsize        head_len)
{
  g_autofree char *text = g_strndup (head, head_len);
  const char *p = text;

  while (*p && g_ascii_isspace (*p))
    p++;
  if (*p != '{')
    return 0;
  if (strstr (p, "\"records\"") && (strstr (p, "\"status\"") || strstr (p, "\"next_cursor\"")))
    return 90;
  if (strstr (p, "\"records\"") && strstr (p, "\"event_props\""))
    return 80;
  return 0;
}

static void
seg_importer_clevertap_api_class_init (SegImporterClevertapApiClass *klass)
{
  SegImporterClass *importer_class = SEG_IMPORTER_CLASS (klass);

  importer_class->id = "clevertap-api";
  importer_class->name = N_("CleverTap Get Events API responses");
  importer_class->sniff = seg_importer_clevertap_api_sniff;
  importer_class->read = seg_importer_clevertap_api_read;
}

static void
seg_importer_clevertap_api_init (SegImporterClevertapApi *self)
{
}
