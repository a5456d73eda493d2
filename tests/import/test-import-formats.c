/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "import/seg-importer-registry.h"
#include "seg-test-writer.h"
#include "seg-trickle-stream.h"
#include "import/seg-import.h"

static SegImporter *
importer_new (const char *id,
              const char *tz)
{
  SegImporter *importer = seg_importer_registry_create (id);

  g_assert_nonnull (importer);
  g_assert_cmpstr (seg_importer_get_id (importer), ==, id);
  if (tz != NULL)
    {
      g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (tz);
      g_assert_nonnull (zone);
      seg_importer_set_timezone (importer, zone);
    }
  return importer;
}

static void
test_canonical_csv (void)
{
  g_autoptr(SegImporter) importer = importer_new ("csv", NULL);
  g_autoptr(SegImportSink) sink = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = test_read_fixture (importer, "canonical.csv", &sink, &error);
  const char *expected[] = {
    /* Two identical rows are two events. */
    "E|u1|Charged|1714566600000||amount=number:12.5|city=string:New York|coupon=boolean:true|tags=list:a,b,",
    "E|u1|Charged|1714566600000||amount=number:12.5|city=string:New York|coupon=boolean:true|tags=list:a,b,",
    /* Epoch milliseconds; empty cells are missing, not empty strings; unicode kept. */
    "E|u2|Added To Cart|1714566600000||city=string:São Paulo",
    /* ISO-8601 with an offset; a quoted newline (CRLF file) inside a field. */
    "E|u3|Charged|1714566600000||amount=number:7|city=string:Line one\r\nline two|coupon=boolean:false",
    /* Escaped quotes. */
    "E|u5|App Launched|1714566600000||amount=number:3|city=string:say \"hi\"",
    NULL
  };

  g_assert_no_error (error);
  test_assert_records (records, expected);
  g_assert_cmpuint (seg_import_sink_get_rows_read (sink), ==, 8);
  g_assert_cmpuint (seg_import_sink_get_rejected (sink), ==, 3);
  test_assert_bad_row (sink, 0, 7, "No user id");
  test_assert_bad_row (sink, 1, 8, "yesterday");
  /* The last line is cut short (and has no newline). */
  test_assert_bad_row (sink, 2, 10, "Expected 7 fields, found 4");
}

static void
test_profiles_csv (void)
{
  g_autoptr(SegImporter) importer = importer_new ("csv", NULL);
  g_autoptr(SegImportSink) sink = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = test_read_fixture (importer, "profiles.csv", &sink, &error);
  const char *r0, *r1;

  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 2);
  r0 = g_ptr_array_index (records, 0);
  r1 = g_ptr_array_index (records, 1);
  g_assert_true (g_str_has_prefix (r0, "P|u1|"));
  /* The byte order mark is not part of the first column's name. */
  g_assert_nonnull (strstr (r0, "|name=string:Ann|email=string:ann@example.com|city=string:New York"
                                "|signup=date:1705276800000|age=number:34|zip=string:02134"
                                "|phone=string:+14155550100|vip=string:yes"));
  g_assert_true (g_str_has_prefix (r1, "P|u2|"));
  g_assert_true (g_str_has_suffix (r1, "|name=string:Bob|city=string:Paris"));
}

static void
test_mapped_csv_dst (void)
{
  g_autoptr(SegImporter) importer = importer_new ("csv", "America/New_York");
  g_autoptr(SegImportMapping) mapping = seg_import_mapping_new (SEG_RECORD_EVENT);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  const char *expected[] = {
    "E|n1|Tick|1710052200000|",   /* 01:30 EST */
    "E|n1|Tick|1710055800000|",   /* 02:30 does not exist: read as EST, = 03:30 EDT */
    "E|n1|Tick|1710055800000|",   /* 03:30 EDT */
    "E|n1|Tick|1730611800000|",   /* 01:30 happens twice: the first (EDT) */
    "E|n1|Tick|1730619000000|",   /* 02:30 EST */
    NULL
  };

  seg_import_mapping_set_user_column (mapping, "who");
  seg_import_mapping_set_event_column (mapping, "what");
  seg_import_mapping_set_ts_column (mapping, "when");
  seg_import_mapping_set_ts_format (mapping, SEG_TIME_FORMAT_CUSTOM, "%Y-%m-%d %H:%M:%S");
  seg_importer_set_mapping (importer, mapping);

  records = test_read_fixture (importer, "dst.csv", NULL, &error);
  g_assert_no_error (error);
  test_assert_records (records, expected);
}

static void
test_mapped_csv_types (void)
{
  g_autoptr(SegImporter) importer = importer_new ("csv", NULL);
  g_autoptr(SegImportMapping) mapping = seg_import_mapping_new (SEG_RECORD_EVENT);
  g_autoptr(SegImportMapping) reread = NULL;
  g_autoptr(SegImportSink) sink = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;
  const char *expected[] = {
    "E|42|Bought|1714566600000|order-1|zip=string:02134|total=number:5",
    NULL
  };

  /* Semicolon-separated, a constant event name, renamed and typed columns. */
  seg_import_mapping_set_user_column (mapping, "Customer");
  seg_import_mapping_set_event_name (mapping, "Bought");
  seg_import_mapping_set_ts_column (mapping, "When");
  seg_import_mapping_set_ts_format (mapping, SEG_TIME_FORMAT_CUSTOM, "%d.%m.%Y %H:%M");
  seg_import_mapping_set_insert_id_column (mapping, "Order");
  seg_import_mapping_set_column (mapping, "Zip", "zip", SEG_VALUE_TYPE_STRING);
  seg_import_mapping_set_column (mapping, "Total", "total", SEG_VALUE_TYPE_NUMBER);
  seg_import_mapping_skip_column (mapping, "Note");
  seg_import_mapping_set_delimiter (mapping, ';');

  /* Saved and read back, the mapping is the same. */
  json = seg_import_mapping_to_json (mapping);
  reread = seg_import_mapping_new_from_json (json, &error);
  g_assert_no_error (error);
  json2 = seg_import_mapping_to_json (reread);
  g_assert_cmpstr (json, ==, json2);
  seg_importer_set_mapping (importer, reread);

  records = test_read_text (importer,
                            "Customer;When;Order;Zip;Total;Note\n"
                            "42;01.05.2024 12:30;order-1;02134;5;hello\n"
                            "43;01.05.2024 12:30;order-2;02134;five;hello\n",
                            &sink, &error);
  g_assert_no_error (error);
  test_assert_records (records, expected);
  test_assert_bad_row (sink, 0, 3, "“five” is not a number");
}

static void
test_csv_needs_mapping (void)
{
  g_autoptr(SegImporter) importer = importer_new ("csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = test_read_text (importer, "a,b\n1,2\n", NULL, &error);

  g_assert_null (records);
  g_assert_error (error, SEG_IMPORT_ERROR, SEG_IMPORT_ERROR_INVALID_MAPPING);
}

static void
test_mixpanel (void)
{
  g_autoptr(SegImporter) importer = importer_new ("mixpanel", NULL);
  g_autoptr(SegImportSink) sink = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = test_read_fixture (importer, "mixpanel.jsonl", &sink, &error);
  const char *expected[] = {
    "E|u1|Signed Up|1714566600000|ins-1|$city=string:Paris|plan.name=string:pro|plan.seats=number:3"
      "|tags=list:a,b,|coupon=none:null",
    "E|u1|Signed Up|1714566600000|ins-2|$city=string:Paris",
    /* A number as distinct_id, time in milliseconds, \u escapes with a surrogate pair. */
    "E|42|Purchase|1714566600123||amount=number:9.99|name=string:café 😀",
    NULL
  };

  g_assert_no_error (error);
  test_assert_records (records, expected);
  g_assert_cmpuint (seg_import_sink_get_rows_read (sink), ==, 5);
  test_assert_bad_row (sink, 0, 5, "No time");
  /* The truncated last line. */
  test_assert_bad_row (sink, 1, 6, "Not a valid JSON object");
}

static void
test_amplitude_gzip (void)
{
  g_autoptr(SegImporter) importer = importer_new ("amplitude", "Asia/Kolkata");
  g_autoptr(SegImportSink) sink = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = test_read_fixture (importer, "amplitude.json.gz", &sink, &error);
  const char *expected[] = {
    /* event_time is UTC whatever the timezone given. */
    "E|amp-user-1|Viewed Item|1714566600250|a-1|item=string:shoe|price=number:20",
    "P|amp-user-1|1714566600250|platform=string:iOS|country=string:France|city=string:Paris|plan=string:free",
    /* No user_id: the device is the user. */
    "E|dev-2|Viewed Item|1714566601000|a-2",
    NULL
  };

  g_assert_no_error (error);
  test_assert_records (records, expected);
  g_assert_cmpuint (seg_import_sink_get_rejected (sink), ==, 0);
}

static void
test_segment (void)
{
  g_autoptr(SegImporter) importer = importer_new ("segment", NULL);
  g_autoptr(SegImportSink) sink = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = test_read_fixture (importer, "segment.jsonl", &sink, &error);
  const char *expected[] = {
    "E|s1|Order Completed|1714566600000|m-1|revenue=number:25.5|products=string:[{\"id\":\"p1\"}]",
    "E|anon-1|Page Visited|1714566660000|m-2|title=string:Welcome|name=string:Home"
      "|url=string:https://shop.example/|referrer=string:https://search.example/?q=shoes|path=string:/",
    "P|s1|1714566720000|email=string:s1@example.com|address.city=string:Lyon",
    NULL
  };

  g_assert_no_error (error);
  test_assert_records (records, expected);
  test_assert_bad_row (sink, 0, 4, "alias");
}

static void
test_clevertap_events (void)
{
  g_autoptr(SegImporter) importer = importer_new ("clevertap", "Asia/Kolkata");
  g_autoptr(SegImportSink) sink = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = test_read_fixture (importer, "clevertap-events.json", &sink, &error);
  const char *expected[] = {
    /* ts 20240501180000 in Asia/Kolkata is 12:30 UTC. */
    "E|ct-1|Charged|1714566600000||deviceInfo.make=string:Google|deviceInfo.model=string:Pixel"
      "|Amount=number:300|Items=string:[{\"Category\":\"books\"}]|Payment mode=string:UPI"
      "|sessionProps.utm_source=string:newsletter",
    "P|ct-1|1714566600000|email=string:a@example.com|phone=string:+911234567890|name=string:Asha"
      "|platform=string:Android|push_token=string:fcm:xyz",
    /* No identity: objectId. */
    "E|__g2|App Launched|1714566900000|",
    "P|__g2|1714566900000|platform=string:iOS",
    "E|__g3|Charged|1714567200000||Amount=none:null",
    NULL
  };

  g_assert_no_error (error);
  test_assert_records (records, expected);
  test_assert_bad_row (sink, 0, 4, "Neither identity nor objectId");
}

static void
test_clevertap_legacy (void)
{
  g_autoptr(SegImporter) importer = importer_new ("clevertap", "Asia/Kolkata");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = test_read_fixture (importer, "clevertap-legacy.json", NULL, &error);
  const char *expected[] = {
    "E|ct-1|Charged|1714566600000||Amount=number:5",
    NULL
  };

  g_assert_no_error (error);
  test_assert_records (records, expected);
}

static void
test_clevertap_api (void)
{
  g_autoptr(SegImporter) importer = importer_new ("clevertap-api", "Asia/Kolkata");
  g_autoptr(SegImporter) named = importer_new ("clevertap-api", "Asia/Kolkata");
  g_autoptr(SegImporter) anonymous = importer_new ("clevertap-api", "Asia/Kolkata");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = test_read_fixture (importer, "Charged.json", NULL, &error);
  g_autoptr(GPtrArray) named_records = NULL;
  g_autoptr(GPtrArray) none = NULL;
  const char *expected[] = {
    /* The event name comes from the file name. */
    "E|ct-9|Charged|1714566600000||Amount=number:10|session_props.session_source=string:Direct",
    "P|ct-9|1714566600000|platform=string:Web",
    "E|__g7|Charged|1714566660000|",
    NULL
  };

  g_assert_no_error (error);
  test_assert_records (records, expected);

  /* ... or from the user. */
  seg_importer_set_event_name (named, "Purchase");
  named_records = test_read_fixture (named, "Charged.json", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (named_records, 0), "E|ct-9|Purchase|"));

  /* Without either, nothing can be imported. */
  seg_importer_set_file_name (anonymous, "-");
  none = test_read_text (anonymous, "{\"records\":[]}", NULL, &error);
  g_assert_null (none);
  g_assert_error (error, SEG_IMPORT_ERROR, SEG_IMPORT_ERROR_INVALID_MAPPING);
}

static void
test_clevertap_csv (void)
{
  g_autoptr(SegImporter) importer = importer_new ("clevertap-csv", "Asia/Kolkata");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = test_read_fixture (importer, "clevertap-events.csv", NULL, &error);
  const char *expected[] = {
    "E|ct-1|Charged|1714566600000||Amount=number:300|sessionProps.utm_source=string:newsletter",
    "P|ct-1|1714566600000|email=string:a@example.com",
    "E|__g3|Charged|1714566600000||Amount=number:12",
    NULL
  };

  g_assert_no_error (error);
  test_assert_records (records, expected);
}

static void
test_clevertap_profiles (void)
{
  g_autoptr(SegImporter) importer = importer_new ("clevertap-profiles", "Asia/Kolkata");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = test_read_fixture (importer, "clevertap-profiles.jsonl", NULL, &error);
  const char *expected[] = {
    "P|ct-1|1714566600000|name=string:Asha|email=string:a@example.com|Plan=string:gold|Tier=number:2",
    "P|__g2|1714566600000|Plan=string:free",
    NULL
  };

  g_assert_no_error (error);
  test_assert_records (records, expected);
}

static void
test_clevertap_custom_list (void)
{
  g_autoptr(SegImporter) importer = importer_new ("clevertap-list", NULL);
  g_autoptr(SegImportSink) sink = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = test_read_fixture (importer, "custom-list.csv", &sink, &error);
  GPtrArray *ids;

  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 0);
  ids = seg_import_sink_get_identities (sink);
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (ids, 0), ==, "ct-1");
  g_assert_cmpstr (g_ptr_array_index (ids, 1), ==, "b@example.com");
  test_assert_bad_row (sink, 0, 5, "No identity");
}

static void
test_access_log (void)
{
  g_autoptr(SegImporter) importer = importer_new ("access-log", NULL);
  g_autoptr(SegImportSink) sink = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = test_read_fixture (importer, "access.log", &sink, &error);
  g_auto(GStrv) r0 = NULL, r1 = NULL, r2 = NULL;
  g_autofree char *second = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 3);
  r0 = g_strsplit (g_ptr_array_index (records, 0), "|", -1);
  r1 = g_strsplit (g_ptr_array_index (records, 1), "|", -1);
  r2 = g_strsplit (g_ptr_array_index (records, 2), "|", -1);

  /* The same address and agent are the same visitor; the address is not stored. */
  g_assert_cmpstr (r0[1], ==, r1[1]);
  g_assert_cmpstr (r0[1], !=, r2[1]);
  g_assert_true (g_str_has_prefix (r0[1], "v-"));
  g_assert_null (strstr (g_ptr_array_index (records, 0), "203.0.113.7"));

  g_assert_cmpstr (r0[2], ==, "Page Visited");
  g_assert_cmpstr (r0[3], ==, "1714566600000");
  g_assert_cmpstr (r0[5], ==, "url=string:/products/shoe?id=3");
  g_assert_cmpstr (r0[6], ==, "method=string:GET");
  g_assert_cmpstr (r0[7], ==, "status=number:200");
  g_assert_cmpstr (r0[8], ==, "bytes=number:5120");
  g_assert_cmpstr (r0[9], ==, "referrer=string:https://search.example/?q=shoes");
  g_assert_cmpstr (r0[10], ==, "user_agent=string:Mozilla/5.0 (X11; Linux x86_64)");
  /* "-" bytes and referrer are missing. */
  second = g_strdup_printf ("E|%s|Page Visited|1714566605000||url=string:/cart|method=string:GET"
                            "|status=number:302|user_agent=string:Mozilla/5.0 (X11; Linux x86_64)", r0[1]);
  g_assert_cmpstr (g_ptr_array_index (records, 1), ==, second);
  g_assert_cmpstr (r2[3], ==, "1714566660000");
  test_assert_bad_row (sink, 0, 4, "Not a combined or common log line");
}

static void
test_jsonl_mapping (void)
{
  g_autoptr(SegImporter) importer = importer_new ("jsonl", NULL);
  g_autoptr(SegImportMapping) mapping = seg_import_mapping_new (SEG_RECORD_EVENT);
  g_autoptr(SegImportSink) sink = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  const char *expected[] = {
    "E|j1|Played|1714566600000||score=number:17|meta.level=number:3|meta.flags=list:x,y,",
    NULL
  };

  seg_import_mapping_set_user_column (mapping, "who.id");
  seg_import_mapping_set_event_column (mapping, "what");
  seg_import_mapping_set_ts_column (mapping, "when");
  seg_import_mapping_set_column (mapping, "score", NULL, SEG_VALUE_TYPE_NUMBER);
  seg_importer_set_mapping (importer, mapping);
  records = test_read_fixture (importer, "events.jsonl", &sink, &error);
  g_assert_no_error (error);
  test_assert_records (records, expected);
  test_assert_bad_row (sink, 0, 2, "“score” is not a number");
}

typedef struct
{
  const char *fixture;
  const char *format;
} Detection;

static void
test_detect (void)
{
  static const Detection cases[] = {
    { "canonical.csv", "csv" },
    { "profiles.csv", "csv" },
    { "mixpanel.jsonl", "mixpanel" },
    { "segment.jsonl", "segment" },
    { "clevertap-events.json", "clevertap" },
    { "clevertap-legacy.json", "clevertap" },
    { "Charged.json", "clevertap-api" },
    { "clevertap-events.csv", "clevertap-csv" },
    { "clevertap-profiles.jsonl", "clevertap-profiles" },
    { "custom-list.csv", "clevertap-list" },
    { "access.log", "access-log" },
    { "events.jsonl", "jsonl" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = test_fixture_path (cases[i].fixture);
      g_autofree char *head = NULL;
      g_autoptr(SegImporter) importer = NULL;
      gsize len = 0;

      g_assert_true (g_file_get_contents (path, &head, &len, NULL));
      importer = seg_importer_registry_detect (cases[i].fixture, head, len, NULL);
      g_assert_nonnull (importer);
      g_assert_cmpstr (seg_importer_get_id (importer), ==, cases[i].format);
    }
}

static gboolean
collect_cb (const SegRecord  *record,
            gpointer          user_data,
            GError          **error)
{
  g_ptr_array_add (user_data, test_record_to_string (record));
  return TRUE;
}

/*
 * Records cut anywhere by the end of a read (one byte at a time, three, seven) read the
 * same as when the whole file arrives at once.
 */
static void
test_any_read_size (void)
{
  static const Detection cases[] = {
    { "canonical.csv", "csv" },
    { "mixpanel.jsonl", "mixpanel" },
    { "amplitude.json.gz", "amplitude" },
    { "segment.jsonl", "segment" },
    { "clevertap-events.json", "clevertap" },
    { "clevertap-legacy.json", "clevertap" },
    { "Charged.json", "clevertap-api" },
    { "clevertap-events.csv", "clevertap-csv" },
    { "clevertap-profiles.jsonl", "clevertap-profiles" },
    { "custom-list.csv", "clevertap-list" },
    { "access.log", "access-log" },
  };
  static const gsize sizes[] = { G_MAXSIZE, 1, 3, 7 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) reference = NULL;
      guint64 reference_rejected = 0;
      guint reference_ids = 0;

      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
        {
          g_autofree char *path = test_fixture_path (cases[i].fixture);
          g_autoptr(GFile) file = g_file_new_for_path (path);
          g_autoptr(GFileInputStream) raw = g_file_read (file, NULL, NULL);
          g_autoptr(GInputStream) trickle = seg_trickle_stream_new (G_INPUT_STREAM (raw), sizes[s]);
          g_autoptr(GInputStream) text = seg_import_open_stream (trickle, NULL, NULL, NULL);
          g_autoptr(SegImporter) importer = importer_new (cases[i].format, "Asia/Kolkata");
          g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_free);
          g_autoptr(SegImportSink) sink = seg_import_sink_new (cases[i].fixture, collect_cb, records);
          g_autoptr(GError) error = NULL;

          seg_importer_set_file_name (importer, cases[i].fixture);
          g_assert_true (seg_importer_read (importer, text, sink, NULL, &error));
          g_assert_no_error (error);
          if (s == 0)
            {
              reference = g_steal_pointer (&records);
              reference_rejected = seg_import_sink_get_rejected (sink);
              reference_ids = seg_import_sink_get_identities (sink)->len;
              g_assert_cmpuint (reference->len + reference_ids, >, 0);
              continue;
            }
          g_ptr_array_add (records, NULL);
          test_assert_records (reference, (const char * const *) records->pdata);
          g_assert_cmpuint (seg_import_sink_get_rejected (sink), ==, reference_rejected);
          g_assert_cmpuint (seg_import_sink_get_identities (sink)->len, ==, reference_ids);
        }
    }
}

static GBytes *
gzip_text (const char *text)
{
  g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (mem, G_CONVERTER (compressor));

  g_assert_true (g_output_stream_write_all (out, text, strlen (text), NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (mem));
}

static GPtrArray *
read_bytes (SegImporter  *importer,
            GBytes       *bytes,
            GError      **error)
{
  g_autoptr(GInputStream) raw = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(GInputStream) trickle = seg_trickle_stream_new (raw, 5);
  g_autoptr(GInputStream) text = seg_import_open_stream (trickle, NULL, NULL, error);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SegImportSink) sink = seg_import_sink_new ("gz", collect_cb, records);

  if (text == NULL || !seg_importer_read (importer, text, sink, NULL, error))
    return NULL;
  return g_steal_pointer (&records);
}

/* `cat a.gz b.gz` is one gzip file: both members are read; what is not gzip is an error. */
static void
test_gzip_members (void)
{
  g_autoptr(SegImporter) importer = importer_new ("csv", NULL);
  g_autoptr(GBytes) a = gzip_text ("user_id,event,ts\nu1,A,1714566600\n");
  g_autoptr(GBytes) b = gzip_text ("u2,B,1714566600\n");
  g_autoptr(GByteArray) both = g_byte_array_new ();
  g_autoptr(GBytes) joined = NULL;
  g_autoptr(GBytes) garbage = NULL;
  g_autoptr(GBytes) cut = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GError) error = NULL;
  const char *expected[] = { "E|u1|A|1714566600000|", "E|u2|B|1714566600000|", NULL };

  g_byte_array_append (both, g_bytes_get_data (a, NULL), g_bytes_get_size (a));
  g_byte_array_append (both, g_bytes_get_data (b, NULL), g_bytes_get_size (b));
  joined = g_bytes_new (both->data, both->len);
  records = read_bytes (importer, joined, &error);
  g_assert_no_error (error);
  test_assert_records (records, expected);

  g_byte_array_append (both, (const guint8 *) "junk", 4);
  garbage = g_bytes_new (both->data, both->len);
  none = read_bytes (importer, garbage, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  cut = g_bytes_new (g_bytes_get_data (a, NULL), g_bytes_get_size (a) - 6);
  g_clear_pointer (&none, g_ptr_array_unref);
  none = read_bytes (importer, cut, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
}

static void
test_registry (void)
{
  g_autoptr(GPtrArray) ids = seg_importer_registry_list_ids ();
  g_autoptr(GListModel) list = seg_importer_registry_list ();

  g_assert_cmpuint (ids->len, ==, g_list_model_get_n_items (list));
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(SegImporter) importer = g_list_model_get_item (list, i);
      g_autoptr(SegImporter) created = seg_importer_registry_create (g_ptr_array_index (ids, i));

      g_assert_cmpstr (seg_importer_get_id (importer), ==, g_ptr_array_index (ids, i));
      g_assert_true (G_OBJECT_TYPE (created) == G_OBJECT_TYPE (importer));
      g_assert_nonnull (seg_importer_get_name (importer));
    }
  g_assert_null (seg_importer_registry_create ("nonsense"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import/csv/canonical", test_canonical_csv);
  g_test_add_func ("/import/csv/profiles", test_profiles_csv);
  g_test_add_func ("/import/csv/mapped-dst", test_mapped_csv_dst);
  g_test_add_func ("/import/csv/mapped-types", test_mapped_csv_types);
  g_test_add_func ("/import/csv/needs-mapping", test_csv_needs_mapping);
  g_test_add_func ("/import/mixpanel", test_mixpanel);
  g_test_add_func ("/import/amplitude/gzip", test_amplitude_gzip);
  g_test_add_func ("/import/segment", test_segment);
  g_test_add_func ("/import/clevertap/events", test_clevertap_events);
  g_test_add_func ("/import/clevertap/legacy", test_clevertap_legacy);
  g_test_add_func ("/import/clevertap/api", test_clevertap_api);
  g_test_add_func ("/import/clevertap/csv", test_clevertap_csv);
  g_test_add_func ("/import/clevertap/profiles", test_clevertap_profiles);
  g_test_add_func ("/import/clevertap/custom-list", test_clevertap_custom_list);
  g_test_add_func ("/import/access-log", test_access_log);
  g_test_add_func ("/import/jsonl/mapping", test_jsonl_mapping);
  g_test_add_func ("/import/registry/detect", test_detect);
  g_test_add_func ("/import/registry/list", test_registry);
  g_test_add_func ("/import/any-read-size", test_any_read_size);
  g_test_add_func ("/import/gzip-members", test_gzip_members);

  return g_test_run ();
}
