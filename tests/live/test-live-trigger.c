/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "live/seg-live-trigger.h"

static void
roundtrip (const char *json,
           const char *summary)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SegLiveTrigger) t = seg_live_trigger_new_from_json (json, &error);
  g_autoptr(SegLiveTrigger) t2 = NULL;
  g_autofree char *out = NULL;
  g_autofree char *out2 = NULL;
  g_autofree char *sum = NULL;

  g_assert_no_error (error);
  out = seg_live_trigger_to_json (t);
  t2 = seg_live_trigger_new_from_json (out, &error);
  g_assert_no_error (error);
  out2 = seg_live_trigger_to_json (t2);
  g_assert_cmpstr (out, ==, out2);
  sum = seg_live_trigger_summarize (t);
  if (g_test_verbose ())
    g_printerr ("%s\n  %s\n", out, sum);
  g_assert_cmpstr (sum, ==, summary);
}

static void
test_kinds (void)
{
  roundtrip ("{\"type\":\"action\",\"event\":\"Charged\",\"where\":[{\"property\":\"amount\",\"op\":\"gt\",\"value\":100}]}",
             "Users join the moment they do Charged where amount is more than 100");
  roundtrip ("{\"type\":\"inaction\",\"event\":\"Added To Cart\",\"then\":\"Charged\",\"within\":{\"n\":10,\"unit\":\"minutes\"}}",
             "Users join when they do Added To Cart and then do not do Charged within 10 minutes");
  roundtrip ("{\"type\":\"date\",\"property\":\"renewal_date\",\"days_from_today\":3}",
             "Users join on the day their “renewal_date” is 3 days from today");
  roundtrip ("{\"type\":\"date\",\"property\":\"date\",\"event\":\"Booked\",\"days_from_today\":-1}",
             "Users join on the day the “date” of their latest Booked is 1 day ago");
  roundtrip ("{\"type\":\"page_visit\",\"url\":{\"op\":\"contains\",\"value\":\"/pricing\"}}",
             "Users join the moment they visit a page whose address contains “/pricing”");
  roundtrip ("{\"type\":\"referrer\",\"referrer\":{\"op\":\"starts_with\",\"value\":\"https://google.\"}}",
             "Users join the moment they arrive from a referrer that starts with “https://google.”");
  roundtrip ("{\"type\":\"page_count\",\"count\":5,\"within\":\"session\"}",
             "Users join the moment they have viewed 5 pages in one session");
  roundtrip ("{\"type\":\"page_count\",\"count\":3,\"within\":{\"n\":30,\"unit\":\"minutes\"},"
             "\"filter\":{\"all\":[{\"user\":{\"property\":\"city\",\"op\":\"equals\",\"value\":\"Paris\"}}]}}",
             "Users join the moment they have viewed 3 pages within 30 minutes, counting only users whose city is “Paris”");
}

static void
expect_error (const char *json,
              const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SegLiveTrigger) t = seg_live_trigger_new_from_json (json, &error);

  g_assert_null (t);
  g_assert_error (error, SEG_LIVE_TRIGGER_ERROR, error->code);
  if (strstr (error->message, message) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, message);
}

static void
test_errors (void)
{
  expect_error ("[]", "$.trigger: a live segment needs a trigger");
  expect_error ("{\"type\":\"nope\"}", "$.trigger.type: must be");
  expect_error ("{\"type\":\"action\"}", "missing “event”");
  expect_error ("{\"type\":\"action\",\"event\":\"E\",\"colour\":1}", "unknown key “colour”");
  expect_error ("{\"type\":\"action\",\"event\":\"E\",\"where\":[{\"property\":\"a\",\"op\":\"bogus\",\"value\":1}]}",
                "$.trigger.where[0]");
  expect_error ("{\"type\":\"inaction\",\"event\":\"A\",\"then\":\"B\"}", "missing “within”");
  expect_error ("{\"type\":\"inaction\",\"event\":\"A\",\"then\":\"B\",\"within\":{\"n\":0,\"unit\":\"minutes\"}}",
                "at least 1");
  expect_error ("{\"type\":\"inaction\",\"event\":\"A\",\"then\":\"B\",\"within\":{\"n\":3,\"unit\":\"months\"}}",
                "$.trigger.within.unit");
  expect_error ("{\"type\":\"page_visit\",\"url\":{\"op\":\"gt\",\"value\":\"x\"}}", "$.trigger.url.op");
  expect_error ("{\"type\":\"page_visit\",\"url\":{\"op\":\"matches\",\"value\":\"(\"}}", "not a valid pattern");
  expect_error ("{\"type\":\"page_count\",\"count\":0,\"within\":\"session\"}", "$.trigger.count");
  expect_error ("{\"type\":\"page_count\",\"count\":2,\"within\":\"day\"}", "$.trigger.within");
  expect_error ("{\"type\":\"date\",\"property\":\"d\",\"days_from_today\":1.5}", "whole number");
  expect_error ("{\"type\":\"action\",\"event\":\"E\",\"filter\":{\"all\":[{\"did_not\":\"X\"}]}}",
                "$.trigger.filter");
}

static void
test_from_definition (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) p = json_parser_new ();
  g_autoptr(SegLiveTrigger) t = NULL;

  json_parser_load_from_data (p, "{\"version\":1,\"kind\":\"live\",\"trigger\":{\"type\":\"action\",\"event\":\"E\"}}", -1, &error);
  g_assert_no_error (error);
  t = seg_live_trigger_new_from_definition_node (json_parser_get_root (p), &error);
  g_assert_no_error (error);
  g_assert_cmpint (t->type, ==, SEG_LIVE_TRIGGER_ACTION);
  g_assert_cmpstr (t->event, ==, "E");

  json_parser_load_from_data (p, "{\"version\":1,\"match\":{\"all\":[{\"did\":\"E\"}]}}", -1, &error);
  g_clear_pointer (&t, seg_live_trigger_unref);
  t = seg_live_trigger_new_from_definition_node (json_parser_get_root (p), &error);
  g_assert_null (t);
  g_assert_error (error, SEG_LIVE_TRIGGER_ERROR, SEG_LIVE_TRIGGER_ERROR_PARSE);
}

static void
test_text_match (void)
{
  g_autoptr(SegLiveTrigger) t = seg_live_trigger_new_from_json (
    "{\"type\":\"page_visit\",\"url\":{\"op\":\"ends_with\",\"value\":\"/cart\"}}", NULL);

  g_assert_true (seg_live_text_match (&t->text, "https://a.com/cart", 18));
  g_assert_false (seg_live_text_match (&t->text, "https://a.com/cart?x", 20));
  g_assert_false (seg_live_text_match (&t->text, "art", 3));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/live/trigger/kinds", test_kinds);
  g_test_add_func ("/live/trigger/errors", test_errors);
  g_test_add_func ("/live/trigger/from-definition", test_from_definition);
  g_test_add_func ("/live/trigger/text-match", test_text_match);
  return g_test_run ();
}
