/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "live/seg-live-batch.h"

static SegLiveBatch *
new_batch (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();

  return seg_live_batch_new (tz);
}

static void
test_line (void)
{
  g_autoptr(SegLiveBatch) b = new_batch ();
  g_autoptr(GError) error = NULL;
  const char *line =
    "{\"ignored\":{\"deep\":[1,{\"x\":null}]},\"evtData\":{\"s\":\"a\\\"b\\u00e9\\ud83d\\ude00\",\"n\":-1.5e2,"
    "\"b\":true,\"z\":null,\"l\":[\"x\",\"y\"],\"d\":\"$D_1714557600\"},\"type\":\"event\","
    "\"identity\":42,\"ts\":\"2024-05-01T10:00:00Z\",\"evtName\":\"Charged\",\"insert_id\":\"i-1\"}";
  const SegRecord *r;

  g_assert_true (seg_live_batch_add_line (b, line, strlen (line), 0, &error));
  g_assert_no_error (error);
  r = seg_live_batch_get (b, 0);
  g_assert_cmpint (r->kind, ==, SEG_RECORD_EVENT);
  g_assert_cmpstr (r->user_id, ==, "42");
  g_assert_cmpstr (r->event, ==, "Charged");
  g_assert_cmpstr (r->insert_id, ==, "i-1");
  g_assert_cmpint (r->ts_ms, ==, 1714557600000);
  g_assert_cmpuint (r->n_props, ==, 6);
  g_assert_cmpstr (r->props[0].key, ==, "s");
  g_assert_cmpmem (r->props[0].str, r->props[0].str_len, "a\"b\xc3\xa9\xf0\x9f\x98\x80", 9);
  g_assert_cmpint (r->props[1].type, ==, SEG_VALUE_TYPE_NUMBER);
  g_assert_cmpfloat (r->props[1].num, ==, -150);
  g_assert_cmpint (r->props[2].type, ==, SEG_VALUE_TYPE_BOOLEAN);
  g_assert_cmpfloat (r->props[2].num, ==, 1);
  g_assert_cmpint (r->props[3].type, ==, SEG_VALUE_TYPE_NONE);
  g_assert_cmpint (r->props[4].type, ==, SEG_VALUE_TYPE_LIST);
  g_assert_cmpmem (r->props[4].str, r->props[4].str_len, "x\0y\0", 4);
  g_assert_cmpint (r->props[5].type, ==, SEG_VALUE_TYPE_DATE);
  g_assert_cmpfloat (r->props[5].num, ==, 1714557600000.0);

  /* A profile keeps profileData, seconds become ms, no ts means now. */
  line = "{\"type\":\"profile\",\"objectId\":\"u9\",\"profileData\":{\"city\":\"Oslo\"},\"evtData\":{\"x\":1}}";
  g_assert_true (seg_live_batch_add_line (b, line, strlen (line), 777, &error));
  r = seg_live_batch_get (b, 1);
  g_assert_cmpint (r->kind, ==, SEG_RECORD_PROFILE);
  g_assert_cmpstr (r->user_id, ==, "u9");
  g_assert_cmpint (r->ts_ms, ==, 777);
  g_assert_cmpuint (r->n_props, ==, 1);
  g_assert_cmpstr (r->props[0].key, ==, "city");
  /* The first record is intact after the second was added. */
  g_assert_cmpstr (seg_live_batch_get (b, 0)->props[5].key, ==, "d");
}

static void
expect_line_error (const char *line,
                   const char *message)
{
  g_autoptr(SegLiveBatch) b = new_batch ();
  g_autoptr(GError) error = NULL;

  g_assert_false (seg_live_batch_add_line (b, line, strlen (line), 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  if (strstr (error->message, message) == NULL)
    g_error ("“%s”: “%s” does not mention “%s”", line, error->message, message);
  g_assert_cmpuint (seg_live_batch_get_length (b), ==, 0);
}

static void
test_line_errors (void)
{
  expect_line_error ("{\"type\":\"event\",\"identity\":\"u\",\"evtName\":\"E\"", "not JSON");
  expect_line_error ("{\"type\":\"event\",\"identity\":\"u\",\"evtName\":\"E\"} x", "text after");
  expect_line_error ("{\"type\":\"event\",\"identity\":\"u\\ud800\",\"evtName\":\"E\"}", "surrogate");
  expect_line_error ("{\"type\":\"event\",\"identity\":\"\xff\",\"evtName\":\"E\"}", "UTF-8");
  expect_line_error ("{\"type\":\"event\",\"identity\":\"u\"}", "evtName");
  expect_line_error ("{\"type\":\"click\",\"identity\":\"u\"}", "“type” must be");
  expect_line_error ("{\"type\":\"event\",\"evtName\":\"E\"}", "identity");
  expect_line_error ("{\"type\":\"event\",\"identity\":\"u\",\"evtName\":\"E\",\"ts\":\"yesterday\"}", "not a time");
  expect_line_error ("{\"type\":\"event\",\"identity\":\"u\",\"evtName\":\"E\",\"evtData\":{\"a\":{\"b\":1}}}",
                     "evtData.a: nested objects");
  expect_line_error ("{\"type\":\"event\",\"identity\":\"u\",\"evtName\":\"E\",\"evtData\":{\"a\":[1]}}",
                     "only hold strings");
  expect_line_error ("[1]", "must be a JSON object");
}

static void
error_cb (guint       index,
          const char *message,
          gpointer    user_data)
{
  g_string_append_printf (user_data, "%u:%s;", index, message);
}

static void
test_upload (void)
{
  g_autoptr(SegLiveBatch) b = new_batch ();
  g_autoptr(GString) errors = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  const char *body = " {\"x\":[1,2], \"d\" : [ {\"type\":\"event\",\"identity\":\"a\",\"evtName\":\"E\"} ,"
                     "{\"type\":\"event\"}, 7, {\"type\":\"profile\",\"identity\":\"b\"} ] } ";

  g_assert_true (seg_live_batch_add_upload (b, body, strlen (body), 5, error_cb, errors, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (seg_live_batch_get_length (b), ==, 2);
  g_assert_cmpstr (errors->str, ==, "1:missing “identity”;2:each record must be a JSON object;");
  g_assert_cmpstr (seg_live_batch_get (b, 1)->user_id, ==, "b");

  seg_live_batch_clear (b);
  g_assert_false (seg_live_batch_add_upload (b, "{\"d\":[{]}", 9, 0, error_cb, errors, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_false (seg_live_batch_add_upload (b, "{\"e\":[]}", 8, 0, error_cb, errors, &error));
  g_assert_nonnull (strstr (error->message, "{\"d\""));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/live/batch/line", test_line);
  g_test_add_func ("/live/batch/line-errors", test_line_errors);
  g_test_add_func ("/live/batch/upload", test_upload);
  return g_test_run ();
}
