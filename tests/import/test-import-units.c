/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "import/seg-import-mapping.h"
#include "import/seg-import-sink.h"
#include "import/seg-import-time.h"
#include "import/seg-json-scan.h"
#include "import/seg-record-builder.h"
#include "import/seg-sha256.h"

static void
test_json_scan (void)
{
  SegJsonScan scan;
  const SegJsonEntry *e;
  const char *ok = " {\"a\": {\"b\": [1, \"x\", true, null], \"c\": [[1], {\"d\": 2}]},"
                   " \"s\": \"tab\\t\\\"q\\\" \\u00e9\\ud83d\\ude00\", \"n\": -1.5e3, \"z\": 0, \"e\": {}} ";

  seg_json_scan_init (&scan);
  g_assert_true (seg_json_scan_object (&scan, ok, strlen (ok)));

  e = seg_json_scan_find (&scan, "a");
  g_assert_nonnull (e);
  g_assert_cmpint (e->type, ==, SEG_JSON_OBJECT);
  g_assert_cmpuint (e->end, ==, 3);
  e = seg_json_scan_find (&scan, "a.b");
  g_assert_cmpint (e->type, ==, SEG_JSON_ARRAY);
  g_assert_true (e->list);
  /* Scalar items, each followed by a NUL byte; nulls are left out. */
  g_assert_cmpuint (e->str_len, ==, 9);
  g_assert_cmpmem (e->str, e->str_len, "1\0x\0true\0", 9);
  g_assert_cmpstr (e->name, ==, "b");
  g_assert_cmpint (e->depth, ==, 1);
  e = seg_json_scan_find (&scan, "a.c");
  g_assert_false (e->list);
  g_assert_cmpstr (e->str, ==, "[[1], {\"d\": 2}]");
  e = seg_json_scan_find (&scan, "s");
  g_assert_cmpstr (e->str, ==, "tab\t\"q\" é😀");
  e = seg_json_scan_find (&scan, "n");
  g_assert_cmpfloat (e->num, ==, -1500);
  g_assert_cmpstr (e->str, ==, "-1.5e3");
  e = seg_json_scan_find (&scan, "z");
  g_assert_cmpfloat (e->num, ==, 0);
  g_assert_null (seg_json_scan_find (&scan, "a.c.d"));

  static const struct { const char *text; const char *reason; } bad[] = {
    { "{\"a\":1", "expected ',' or '}'" },
    { "{\"a\":\"x", "unterminated string" },
    { "{\"a\":01}", "expected ',' or '}'" },
    { "{\"a\":tru}", "invalid literal" },
    { "{\"a\":\"\\ud800\"}", "unpaired surrogate" },
    { "{\"a\":\"\\u0000\"}", "NUL character in string" },
    { "{\"a\":\"\xff\"}", "invalid UTF-8 in string" },
    { "{\"a\":1} x", "text after the object" },
    { "[1]", "not a JSON object" },
    { "", "empty line" },
    { "{\"a\":\"\n\"}", "control character in string" },
    /* Past the sixteen-byte scan: */
    { "{\"a\":\"0123456789abcdef\xffxyz\"}", "invalid UTF-8 in string" },
    { "{\"a\":\"0123456789abcdef\xc3\"}", "invalid UTF-8 in string" },
    { "{\"a\":\"0123456789abcdef0123\x01\"}", "control character in string" },
    { "{\"a\":\"0123456789abcdef0123456789abcdef", "unterminated string" },
    { "{\"0123456789abcdef\xff\":1}", "invalid UTF-8 in string" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (seg_json_scan_object (&scan, bad[i].text, strlen (bad[i].text)));
      g_assert_cmpstr (scan.error, ==, bad[i].reason);
    }

  {
    /* Long strings (scanned sixteen bytes at a time), non-ASCII and escapes in them, and
     * nested keys built from long parents. */
    const char *text = "{\"long\":\"0123456789abcdef\u00e9 0123456789abcdef\\\" \xc3\xa9t\xc3\xa9 0123456789abcdef\","
                       "\"p\":{\"q\\\"r\":{\"s\":\"0123456789abcdef0\"}}}";
    g_autoptr(GString) big = g_string_new ("{\"");

    g_assert_true (seg_json_scan_object (&scan, text, strlen (text)));
    e = seg_json_scan_find (&scan, "long");
    g_assert_cmpstr (e->str, ==, "0123456789abcdef\u00e9 0123456789abcdef\" \u00e9t\u00e9 0123456789abcdef");
    e = seg_json_scan_find (&scan, "p.q\"r.s");
    g_assert_nonnull (e);
    g_assert_cmpstr (e->name, ==, "s");
    g_assert_cmpstr (e->str, ==, "0123456789abcdef0");
    g_assert_cmpint (e->depth, ==, 2);

    for (guint i = 0; i < 3000; i++)
      g_string_append_c (big, 'k');
    g_string_append (big, "\":{\"");
    for (guint i = 0; i < 3000; i++)
      g_string_append_c (big, 'm');
    g_string_append (big, "\":{\"x\":1,\"y\":2}}}");
    g_assert_true (seg_json_scan_object (&scan, big->str, big->len));
    e = seg_json_scan_entry (&scan, seg_json_scan_n_entries (&scan) - 1);
    g_assert_cmpuint (strlen (e->key), ==, 3000 + 1 + 3000 + 2);
    g_assert_true (g_str_has_suffix (e->key, "mmm.y"));
    g_assert_cmpstr (e->name, ==, "y");
    g_assert_cmpfloat (e->num, ==, 2);
  }

  {
    /* Nesting deeper than the scanner allows fails cleanly, without recursion trouble. */
    GString *deep = g_string_new ("{\"a\":");
    for (guint i = 0; i < 5000; i++)
      g_string_append (deep, "{\"a\":");
    g_assert_false (seg_json_scan_object (&scan, deep->str, deep->len));
    g_assert_cmpstr (scan.error, ==, "nested too deeply");
    g_string_free (deep, TRUE);
  }

  seg_json_scan_clear (&scan);
}

static void
test_time_formats (void)
{
  g_autoptr(GTimeZone) kolkata = g_time_zone_new_identifier ("Asia/Kolkata");
  g_autoptr(SegTimeParser) autop = seg_time_parser_new (SEG_TIME_FORMAT_AUTO, NULL, NULL);
  g_autoptr(SegTimeParser) ct = seg_time_parser_new (SEG_TIME_FORMAT_CLEVERTAP, NULL, kolkata);
  g_autoptr(SegTimeParser) custom = seg_time_parser_new (SEG_TIME_FORMAT_CUSTOM, "%b %e %Y %I:%M %p", NULL);
  g_autoptr(SegTimeParser) secs = seg_time_parser_new (SEG_TIME_FORMAT_EPOCH_SECONDS, NULL, NULL);
  g_autoptr(SegTimeParser) millis = seg_time_parser_new (SEG_TIME_FORMAT_EPOCH_MILLIS, NULL, NULL);
  gint64 ms;

#define PARSES(p, s, want) G_STMT_START { \
    g_assert_true (seg_time_parser_parse (p, s, strlen (s), &ms)); \
    g_assert_cmpint (ms, ==, want); } G_STMT_END
#define FAILS(p, s) g_assert_false (seg_time_parser_parse (p, s, strlen (s), &ms))

  PARSES (autop, "1714566600", 1714566600000);
  PARSES (autop, "1714566600000", 1714566600000);
  PARSES (autop, "2024-05-01T12:30:00Z", 1714566600000);
  PARSES (autop, "2024-05-01 12:30:00.5", 1714566600500);
  PARSES (autop, "2024-05-01T14:30+0200", 1714566600000);
  PARSES (autop, "2024-05-01", 1714521600000);
  PARSES (autop, "20240501123000", 1714566600000);
  PARSES (autop, "2024-02-29", 1709164800000);
  FAILS (autop, "2023-02-29");
  FAILS (autop, "2024-13-01");
  FAILS (autop, "2024-05-01T25:00");
  FAILS (autop, "2024-05-01Tnoon");
  FAILS (autop, "");
  FAILS (autop, "yesterday");

  PARSES (ct, "20240501180000", 1714566600000);
  FAILS (ct, "2024050118000");
  g_assert_true (seg_time_parser_parse_number (ct, 20240501180000.0, &ms));
  g_assert_cmpint (ms, ==, 1714566600000);

  PARSES (custom, "May  1 2024 12:30 PM", 1714566600000);
  PARSES (custom, "May 1 2024 12:30 am", 1714523400000);
  FAILS (custom, "Mai 1 2024 12:30 PM");
  FAILS (custom, "May 1 2024 13:30 PM");

  PARSES (secs, "1714566600.25", 1714566600250);
  PARSES (millis, "1714566600250", 1714566600250);
  FAILS (secs, "12abc");
#undef PARSES
#undef FAILS

  for (SegTimeFormat f = SEG_TIME_FORMAT_AUTO; f <= SEG_TIME_FORMAT_CUSTOM; f++)
    {
      SegTimeFormat back;
      g_assert_true (seg_time_format_from_string (seg_time_format_to_string (f), &back));
      g_assert_cmpint (back, ==, f);
    }
}

static void
test_inference (void)
{
  static const struct { const char *text; SegValueType type; double num; } cases[] = {
    { "42", SEG_VALUE_TYPE_NUMBER, 42 },
    { "-0.5", SEG_VALUE_TYPE_NUMBER, -0.5 },
    { "1e3", SEG_VALUE_TYPE_NUMBER, 1000 },
    { "0", SEG_VALUE_TYPE_NUMBER, 0 },
    { "007", SEG_VALUE_TYPE_STRING, 0 },
    { "+14155550100", SEG_VALUE_TYPE_STRING, 0 },
    { "12abc", SEG_VALUE_TYPE_STRING, 0 },
    { "TRUE", SEG_VALUE_TYPE_BOOLEAN, 1 },
    { "false", SEG_VALUE_TYPE_BOOLEAN, 0 },
    { "yes", SEG_VALUE_TYPE_STRING, 0 },
    { "2024-01-15", SEG_VALUE_TYPE_DATE, 1705276800000 },
    { "2024-02-30", SEG_VALUE_TYPE_STRING, 0 },
    { "[a, b]", SEG_VALUE_TYPE_LIST, 0 },
    { "", SEG_VALUE_TYPE_NONE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double num = -1;
      SegValueType type = seg_infer_value_type (cases[i].text, strlen (cases[i].text), &num);

      g_assert_cmpint (type, ==, cases[i].type);
      if (type != SEG_VALUE_TYPE_STRING && type != SEG_VALUE_TYPE_LIST)
        g_assert_cmpfloat (num, ==, cases[i].num);
    }
}

static void
test_builder_lists (void)
{
  SegRecordBuilder b;
  const SegRecord *r;

  seg_record_builder_init (&b);
  seg_record_builder_reset (&b, SEG_RECORD_PROFILE);
  seg_record_builder_add_typed (&b, "tags", SEG_VALUE_TYPE_LIST, "a;b;;c", 6);
  seg_record_builder_add_typed (&b, "json", SEG_VALUE_TYPE_LIST, "[\"x\", y ,\"z z\"]", 15);
  g_assert_false (seg_record_builder_add_typed (&b, "n", SEG_VALUE_TYPE_NUMBER, "1,5", 3));
  g_assert_true (seg_record_builder_add_typed (&b, "flag", SEG_VALUE_TYPE_BOOLEAN, "1", 1));
  g_assert_true (seg_record_builder_add_typed (&b, "when", SEG_VALUE_TYPE_DATE, "1714566600", 10));
  b.record.user_id = "u";
  r = seg_record_builder_finish (&b);
  g_assert_cmpuint (r->n_props, ==, 4);
  g_assert_cmpmem (r->props[0].str, r->props[0].str_len, "a\0b\0c\0", 6);
  g_assert_cmpmem (r->props[1].str, r->props[1].str_len, "x\0y\0z z\0", 8);
  g_assert_cmpfloat (r->props[2].num, ==, 1);
  g_assert_cmpfloat (r->props[3].num, ==, 1714566600000.0);
  seg_record_builder_clear (&b);
}

static void
test_mapping_json_errors (void)
{
  static const char *bad[] = {
    "[]",
    "{\"ts_format\": \"sometimes\"}",
    "{\"delimiter\": \";;\"}",
    "{\"columns\": [{\"property\": \"x\"}]}",
    "{\"columns\": [{\"name\": \"x\", \"type\": \"colour\"}]}",
    "{\"event\": 3}",
    "not json",
  };
  g_autoptr(SegImportMapping) canonical = seg_import_mapping_new_canonical ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(SegImportMapping) m = seg_import_mapping_new_from_json (bad[i], &error);
      g_assert_null (m);
      g_assert_nonnull (error);
      g_clear_error (&error);
    }

  g_assert_true (seg_import_mapping_validate (canonical, &error));
  seg_import_mapping_set_ts_format (canonical, SEG_TIME_FORMAT_CUSTOM, NULL);
  g_assert_false (seg_import_mapping_validate (canonical, &error));
  g_assert_error (error, SEG_IMPORT_ERROR, SEG_IMPORT_ERROR_INVALID_MAPPING);
}

static void
test_sha256 (void)
{
  g_autofree guint8 *data = g_malloc (70000);
  GRand *rand = g_rand_new_with_seed (42);

  g_test_message ("SHA extensions used: %s", seg_sha256_accelerated () ? "yes" : "no");
  for (gsize i = 0; i < 70000; i++)
    data[i] = g_rand_int (rand);

  /* Every length around the block and padding boundaries, fed in uneven pieces. */
  for (gsize len = 0; len < 70000; len = len < 300 ? len + 1 : len * 3 + 7)
    {
      g_autofree char *want = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);
      g_autofree char *got = NULL;
      SegSha256 sha;
      gsize off = 0;

      seg_sha256_init (&sha);
      while (off < len)
        {
          gsize want_piece = g_rand_int_range (rand, 1, 200);
          gsize piece = MIN (len - off, want_piece);
          seg_sha256_update (&sha, data + off, piece);
          off += piece;
        }
      got = seg_sha256_finish (&sha);
      g_assert_cmpstr (got, ==, want);
    }
  g_rand_free (rand);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import/units/json-scan", test_json_scan);
  g_test_add_func ("/import/units/time-formats", test_time_formats);
  g_test_add_func ("/import/units/inference", test_inference);
  g_test_add_func ("/import/units/builder-lists", test_builder_lists);
  g_test_add_func ("/import/units/mapping-json-errors", test_mapping_json_errors);
  g_test_add_func ("/import/units/sha256", test_sha256);

  return g_test_run ();
}
