/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "seg-definition.h"

static SegDefinition *
parse_ok (const char *json)
{
  g_autoptr(GError) error = NULL;
  SegDefinition *def = seg_definition_new_from_json (json, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (def);
  return def;
}

static void
assert_parse_error (const char *json,
                    int         code,
                    const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SegDefinition) def = seg_definition_new_from_json (json, -1, &error);

  g_assert_null (def);
  g_assert_error (error, SEG_DEFINITION_ERROR, code);
  if (strstr (error->message, fragment) == NULL)
    g_error ("expected “%s” in “%s”", fragment, error->message);
}

/* Every rule kind, every op family and every window survive parse → serialize → parse. */
static void
test_round_trip (void)
{
  const char *json =
    "{\"version\":1,\"kind\":\"past-behavior\",\"match\":{\"all\":["
    "{\"did\":\"Charged\",\"where\":[{\"property\":\"amount\",\"op\":\"between\",\"value\":[10,20.5]},"
    "  {\"property\":\"currency\",\"op\":\"equals\",\"value\":[\"USD\",\"EUR\"]},"
    "  {\"property\":\"coupon\",\"op\":\"not_exists\"}],"
    " \"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"},"
    " \"aggregate\":{\"fn\":\"sum\",\"property\":\"amount\",\"op\":\"gt\",\"value\":100,\"include_non_doers\":true}},"
    "{\"did_not\":\"Refund\",\"when\":{\"type\":\"between_days_ago\",\"from\":30,\"to\":7}},"
    "{\"any\":[{\"did_any\":[\"A\",\"B\"],\"when\":{\"type\":\"between\",\"from\":\"2024-01-01\",\"to\":\"2024-01-31\"}},"
    "  {\"user\":{\"property\":\"signup\",\"op\":\"in_last\",\"value\":3,\"unit\":\"weeks\"}},"
    "  {\"user\":{\"property\":\"tags\",\"op\":\"set_is\",\"value\":[\"a\",\"b\"]}},"
    "  {\"did\":\"App Launched\",\"occurrence\":\"first\",\"when\":{\"type\":\"today\"}}]},"
    "{\"near\":{\"lat\":40.71,\"lon\":-74,\"km\":25}},"
    "{\"reachable\":\"whatsapp\"},"
    "{\"sequence\":{\"first\":{\"event\":\"Added To Cart\"},\"then\":{\"event\":\"Charged\","
    "  \"where\":[{\"property\":\"url\",\"op\":\"matches\",\"value\":\"^https?://\"}]},"
    "  \"within\":{\"n\":10,\"unit\":\"minutes\"},\"negate\":true},\"when\":{\"type\":\"since\",\"date\":\"2024-03-10\"}}"
    "]},\"include\":[\"seg-1\"],\"exclude\":[\"seg-2\",\"seg-3\"]}";
  g_autoptr(SegDefinition) a = parse_ok (json);
  g_autofree char *out = seg_definition_to_json (a, FALSE);
  g_autoptr(SegDefinition) b = parse_ok (out);
  g_autofree char *out2 = seg_definition_to_json (b, TRUE);
  g_autoptr(SegDefinition) c = parse_ok (out2);
  const SegRule *m = seg_definition_get_match (c);
  const SegRule *did;

  g_assert_true (seg_definition_equal (a, b));
  g_assert_true (seg_definition_equal (a, c));
  g_assert_cmpint (m->kind, ==, SEG_RULE_GROUP);
  g_assert_false (m->any);
  g_assert_cmpuint (m->children->len, ==, 6);
  did = g_ptr_array_index (m->children, 0);
  g_assert_cmpint (did->kind, ==, SEG_RULE_DID);
  g_assert_cmpstr (did->events[0], ==, "Charged");
  g_assert_cmpuint (did->where->len, ==, 3);
  g_assert_cmpfloat (((SegFilter *) g_ptr_array_index (did->where, 0))->num[1], ==, 20.5);
  g_assert_cmpint (did->aggregate->fn, ==, SEG_AGG_SUM);
  g_assert_true (did->aggregate->include_non_doers);
  g_assert_cmpint (did->when.type, ==, SEG_WINDOW_LAST);
  g_assert_cmpint (did->when.n, ==, 30);
  g_assert_cmpstr (seg_definition_get_exclude (c)[1], ==, "seg-3");
  /* The serialized form names each key the spec names. */
  g_assert_nonnull (strstr (out, "\"include_non_doers\":true"));
  g_assert_nonnull (strstr (out, "\"negate\":true"));
}

/* A lone rule as "match" is wrapped into an AND group. */
static void
test_single_rule (void)
{
  g_autoptr(SegDefinition) d = parse_ok ("{\"match\":{\"did\":\"Charged\"}}");
  const SegRule *m = seg_definition_get_match (d);

  g_assert_cmpint (m->kind, ==, SEG_RULE_GROUP);
  g_assert_cmpuint (m->children->len, ==, 1);
  g_assert_cmpint (seg_definition_get_kind (d), ==, SEG_SEGMENT_KIND_PAST_BEHAVIOR);
}

static void
test_parse_errors (void)
{
  assert_parse_error ("{", SEG_DEFINITION_ERROR_PARSE, "not valid JSON");
  assert_parse_error ("[]", SEG_DEFINITION_ERROR_PARSE, "JSON object");
  assert_parse_error ("{\"version\":2,\"match\":{\"did\":\"A\"}}", SEG_DEFINITION_ERROR_VERSION, "newer");
  assert_parse_error ("{\"match\":{\"all\":[{\"did\":\"A\",\"where\":[{\"property\":\"x\",\"op\":\"frob\",\"value\":1}]}]}}",
                      SEG_DEFINITION_ERROR_PARSE, "$.match.all[0].where[0]: unknown operator “frob”");
  assert_parse_error ("{\"match\":{\"all\":[{\"did\":\"A\",\"colour\":1}]}}",
                      SEG_DEFINITION_ERROR_PARSE, "$.match.all[0]: unknown key “colour”");
  assert_parse_error ("{\"match\":{\"all\":[{\"did\":\"A\",\"when\":{\"type\":\"last\",\"n\":3,\"unit\":\"fortnights\"}}]}}",
                      SEG_DEFINITION_ERROR_PARSE, "$.match.all[0].when: unknown unit");
  assert_parse_error ("{\"match\":{\"all\":[{\"did\":\"A\",\"when\":{\"type\":\"on\",\"date\":\"2024-02-30\"}}]}}",
                      SEG_DEFINITION_ERROR_PARSE, "not a date");
  assert_parse_error ("{\"match\":{\"all\":[{\"user\":{\"property\":\"age\",\"op\":\"gt\",\"value\":\"ten\"}}]}}",
                      SEG_DEFINITION_ERROR_PARSE, "“value” must be a number");
  assert_parse_error ("{\"match\":{\"all\":[{\"user\":{\"property\":\"age\",\"op\":\"between\",\"value\":[5,1]}}]}}",
                      SEG_DEFINITION_ERROR_PARSE, "low bound");
  assert_parse_error ("{\"match\":{\"all\":[{\"user\":{\"property\":\"u\",\"op\":\"matches\",\"value\":\"(\"}}]}}",
                      SEG_DEFINITION_ERROR_PARSE, "regular expression");
  assert_parse_error ("{\"match\":{\"all\":[{\"did\":\"A\",\"did_not\":\"B\"}]}}",
                      SEG_DEFINITION_ERROR_PARSE, "exactly one");
  assert_parse_error ("{\"match\":{\"all\":[{\"did\":\"A\",\"aggregate\":{\"fn\":\"sum\",\"op\":\"gt\",\"value\":1}}]}}",
                      SEG_DEFINITION_ERROR_PARSE, "$.match.all[0].aggregate: missing “property”");
  assert_parse_error ("{\"match\":{\"all\":[{\"did\":\"A\",\"aggregate\":{\"fn\":\"count\",\"op\":\"contains\",\"value\":1}}]}}",
                      SEG_DEFINITION_ERROR_PARSE, "not a comparison");
  assert_parse_error ("{\"match\":{\"all\":[]}}", SEG_DEFINITION_ERROR_PARSE, "at least one rule");
  assert_parse_error ("{\"kind\":\"custom-list\"}", SEG_DEFINITION_ERROR_PARSE, "$.users");
  assert_parse_error ("{\"kind\":\"system\",\"match\":{\"did\":\"A\"}}", SEG_DEFINITION_ERROR_PARSE, "$.kind");
  assert_parse_error ("{}", SEG_DEFINITION_ERROR_PARSE, "missing “match”");
  assert_parse_error ("{\"match\":{\"all\":[{\"reachable\":\"pigeon\"}]}}", SEG_DEFINITION_ERROR_PARSE, "reachable");
  assert_parse_error ("{\"match\":{\"all\":[{\"near\":{\"lat\":91,\"lon\":0,\"km\":1}}]}}", SEG_DEFINITION_ERROR_PARSE, "latitude");
}

/* A live definition carries a trigger (with an optional past-behavior filter) instead of
 * "match"; it survives parse → serialize → parse and is summarised as its trigger. */
static void
test_live (void)
{
  const char *json =
    "{\"version\":1,\"kind\":\"live\",\"trigger\":{\"type\":\"inaction\","
    "\"event\":\"Added To Cart\",\"then\":\"Charged\",\"within\":{\"n\":10,\"unit\":\"minutes\"},"
    "\"filter\":{\"all\":[{\"did\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"}}]}}}";
  g_autoptr(SegDefinition) a = parse_ok (json);
  g_autofree char *out = seg_definition_to_json (a, FALSE);
  g_autoptr(SegDefinition) b = parse_ok (out);
  g_autofree char *summary = seg_definition_summarize (b, NULL, NULL);
  JsonNode *trigger = seg_definition_get_trigger (b);
  JsonObject *t;

  g_assert_cmpint (seg_definition_get_kind (b), ==, SEG_SEGMENT_KIND_LIVE);
  g_assert_true (seg_definition_equal (a, b));
  g_assert_null (seg_definition_get_match (b));
  g_assert_nonnull (trigger);
  t = json_node_get_object (trigger);
  g_assert_cmpstr (json_object_get_string_member (t, "type"), ==, "inaction");
  g_assert_cmpstr (json_object_get_string_member (t, "event"), ==, "Added To Cart");
  g_assert_cmpstr (json_object_get_string_member (t, "then"), ==, "Charged");
  g_assert_true (json_object_has_member (t, "filter"));
  g_assert_nonnull (strstr (summary, "Added To Cart"));
  g_assert_nonnull (strstr (summary, "Charged"));
  g_assert_null (strstr (summary, "Users who did Added"));

  /* Past-behavior definitions have no trigger. */
  {
    g_autoptr(SegDefinition) pb = parse_ok ("{\"match\":{\"did\":\"A\"}}");
    g_assert_null (seg_definition_get_trigger (pb));
  }

  assert_parse_error ("{\"kind\":\"live\"}", SEG_DEFINITION_ERROR_PARSE, "missing “trigger”");
  assert_parse_error ("{\"kind\":\"live\",\"match\":{\"did\":\"A\"}}", SEG_DEFINITION_ERROR_PARSE, "$.match");
  assert_parse_error ("{\"kind\":\"live\",\"trigger\":{\"type\":\"action\",\"event\":\"A\"},"
                      "\"include\":[\"x\"]}", SEG_DEFINITION_ERROR_PARSE, "$.include");
  assert_parse_error ("{\"match\":{\"did\":\"A\"},\"trigger\":{\"type\":\"action\",\"event\":\"A\"}}",
                      SEG_DEFINITION_ERROR_PARSE, "$.trigger: only");
  assert_parse_error ("{\"kind\":\"live\",\"trigger\":{\"type\":\"teleport\"}}",
                      SEG_DEFINITION_ERROR_PARSE, "$.trigger");
  assert_parse_error ("{\"kind\":\"live\",\"trigger\":{\"type\":\"inaction\",\"event\":\"A\",\"then\":\"B\","
                      "\"within\":{\"n\":3,\"unit\":\"fortnights\"}}}", SEG_DEFINITION_ERROR_PARSE, "$.trigger.within");
}

static void
test_negation (void)
{
  g_autoptr(SegDefinition) ok = NULL;

  assert_parse_error ("{\"match\":{\"did_not\":\"Charged\"}}", SEG_DEFINITION_ERROR_NEGATION, "$.match.all[0]");
  assert_parse_error ("{\"match\":{\"any\":[{\"did\":\"A\"},{\"did_not\":\"B\"}]}}",
                      SEG_DEFINITION_ERROR_NEGATION, "$.match.any[1]");
  assert_parse_error ("{\"match\":{\"all\":[{\"did\":\"A\"},{\"any\":[{\"did_not\":\"B\"},{\"did\":\"C\"}]}]}}",
                      SEG_DEFINITION_ERROR_NEGATION, "$.match.all[1].any[0]");
  assert_parse_error ("{\"match\":{\"all\":[{\"did_not\":\"A\"},{\"did_not\":\"B\"}]}}",
                      SEG_DEFINITION_ERROR_NEGATION, "did not");
  /* A negated sequence implies its first event was done: it is a positive rule. */
  g_clear_pointer (&ok, seg_definition_unref);
  ok = parse_ok ("{\"match\":{\"all\":[{\"sequence\":{\"first\":{\"event\":\"A\"},"
                 "\"then\":{\"event\":\"B\"},\"within\":{\"n\":1,\"unit\":\"hours\"},\"negate\":true}}]}}");
  g_clear_pointer (&ok, seg_definition_unref);
  ok = parse_ok ("{\"match\":{\"all\":[{\"did_not\":\"A\"},{\"user\":{\"property\":\"city\",\"op\":\"exists\"}}]}}");
}

static gboolean
resolve_cb (const char      *id,
            SegSegmentKind  *kind,
            SegDefinition  **def,
            gpointer         user_data)
{
  GHashTable *segs = user_data;
  SegDefinition *d = g_hash_table_lookup (segs, id);

  if (g_str_equal (id, "all-users"))
    {
      *kind = SEG_SEGMENT_KIND_SYSTEM;
      *def = NULL;
      return TRUE;
    }
  if (d == NULL)
    return FALSE;
  *kind = seg_definition_get_kind (d);
  *def = seg_definition_ref (d);
  return TRUE;
}

static SegValueType
type_cb (const char *event,
         const char *property,
         gpointer    user_data)
{
  if (g_strcmp0 (property, "amount") == 0)
    return SEG_VALUE_TYPE_NUMBER;
  if (g_strcmp0 (property, "city") == 0)
    return SEG_VALUE_TYPE_STRING;
  return SEG_VALUE_TYPE_NONE;
}

static void
test_validate (void)
{
  g_autoptr(GHashTable) segs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                      (GDestroyNotify) seg_definition_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(SegDefinition) bad_type = parse_ok ("{\"match\":{\"did\":\"Charged\",\"where\":[{\"property\":\"amount\",\"op\":\"contains\",\"value\":\"x\"}]}}");
  g_autoptr(SegDefinition) bad_user = parse_ok ("{\"match\":{\"user\":{\"property\":\"city\",\"op\":\"gt\",\"value\":3}}}");
  g_autoptr(SegDefinition) bad_sum = parse_ok ("{\"match\":{\"did\":\"Charged\",\"aggregate\":{\"fn\":\"sum\",\"property\":\"city\",\"op\":\"gt\",\"value\":3}}}");
  g_autoptr(SegDefinition) good = parse_ok ("{\"match\":{\"did\":\"Charged\",\"where\":[{\"property\":\"amount\",\"op\":\"gt\",\"value\":3},{\"property\":\"amount\",\"op\":\"exists\"}]},\"include\":[\"all-users\"]}");
  g_autoptr(SegDefinition) missing = parse_ok ("{\"match\":{\"did\":\"A\"},\"exclude\":[\"nope\"]}");

  g_hash_table_insert (segs, "s1", parse_ok ("{\"match\":{\"did\":\"A\"},\"include\":[\"s2\"]}"));
  g_hash_table_insert (segs, "s2", parse_ok ("{\"match\":{\"did\":\"B\"},\"exclude\":[\"s3\"]}"));
  g_hash_table_insert (segs, "s3", parse_ok ("{\"match\":{\"did\":\"C\"},\"include\":[\"s1\"]}"));
  g_hash_table_insert (segs, "live", parse_ok ("{\"kind\":\"live\",\"trigger\":{\"type\":\"action\",\"event\":\"C\"}}"));

  g_assert_false (seg_definition_validate (bad_type, NULL, resolve_cb, type_cb, segs, &error));
  g_assert_error (error, SEG_DEFINITION_ERROR, SEG_DEFINITION_ERROR_TYPE);
  g_assert_nonnull (strstr (error->message, "Charged.amount"));
  g_clear_error (&error);
  g_assert_false (seg_definition_validate (bad_user, NULL, resolve_cb, type_cb, segs, &error));
  g_assert_error (error, SEG_DEFINITION_ERROR, SEG_DEFINITION_ERROR_TYPE);
  g_clear_error (&error);
  g_assert_false (seg_definition_validate (bad_sum, NULL, resolve_cb, type_cb, segs, &error));
  g_assert_error (error, SEG_DEFINITION_ERROR, SEG_DEFINITION_ERROR_TYPE);
  g_clear_error (&error);
  g_assert_true (seg_definition_validate (good, NULL, resolve_cb, type_cb, segs, &error));
  g_assert_no_error (error);
  g_assert_false (seg_definition_validate (missing, NULL, resolve_cb, type_cb, segs, &error));
  g_assert_error (error, SEG_DEFINITION_ERROR, SEG_DEFINITION_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* s1 → s2 → s3 → s1 */
  g_assert_false (seg_definition_validate (g_hash_table_lookup (segs, "s1"), "s1", resolve_cb, NULL, segs, &error));
  g_assert_error (error, SEG_DEFINITION_ERROR, SEG_DEFINITION_ERROR_CYCLE);
  g_clear_error (&error);
  {
    g_autoptr(SegDefinition) inc_live = parse_ok ("{\"match\":{\"did\":\"A\"},\"include\":[\"live\"]}");
    g_assert_false (seg_definition_validate (inc_live, NULL, resolve_cb, NULL, segs, &error));
    g_assert_error (error, SEG_DEFINITION_ERROR, SEG_DEFINITION_ERROR_LIVE);
  }
}

static char *
name_cb (const char *id,
         gpointer    user_data)
{
  return g_str_equal (id, "seg-power") ? g_strdup ("Power Users") : NULL;
}

static void
test_summary (void)
{
  g_autoptr(SegDefinition) d = parse_ok (
    "{\"match\":{\"all\":[{\"did\":\"Added To Cart\",\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"}},"
    "{\"did_not\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"}}]},\"exclude\":[\"seg-power\"]}");
  g_autoptr(SegDefinition) d2 = parse_ok (
    "{\"match\":{\"all\":[{\"user\":{\"property\":\"city\",\"op\":\"equals\",\"value\":\"New York\"}},"
    "{\"did\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":90,\"unit\":\"days\"},"
    "\"aggregate\":{\"fn\":\"avg\",\"property\":\"amount\",\"op\":\"lt\",\"value\":20,\"include_non_doers\":true}}]}}");
  g_autofree char *s = seg_definition_summarize (d, name_cb, NULL);
  g_autofree char *s2 = seg_definition_summarize (d2, name_cb, NULL);

  g_assert_cmpstr (s, ==, "Users who did Added To Cart in the last 30 days and did not do Charged "
                          "in the last 30 days, excluding Power Users");
  g_assert_cmpstr (s2, ==, "Users whose city is “New York” and who did Charged in the last 90 days, "
                           "where the average of amount is less than 20 (including users who did "
                           "not do Charged)");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Definition/round-trip", test_round_trip);
  g_test_add_func ("/Definition/single-rule", test_single_rule);
  g_test_add_func ("/Definition/parse-errors", test_parse_errors);
  g_test_add_func ("/Definition/live", test_live);
  g_test_add_func ("/Definition/negation", test_negation);
  g_test_add_func ("/Definition/validate", test_validate);
  g_test_add_func ("/Definition/summary", test_summary);
  return g_test_run ();
}
