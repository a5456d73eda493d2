/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "seg-aggregate-editor.h"
#include "seg-event-rule.h"
#include "seg-filter-row.h"
#include "seg-group-rule.h"
#include "live/seg-live-trigger.h"
#include "seg-live-trigger-editor.h"
#include "seg-rule-registry.h"
#include "seg-schema-cache.h"
#include "seg-test-data.h"
#include "seg-window-editor.h"

/*
 * The rule builder on its own: each rule widget builds its piece of the definition JSON,
 * and every shape of the format loads into the widgets and comes back out unchanged.
 */

static SegTestStore *ts;
static SegSchemaCache *cache;

static gboolean
cache_ready (gpointer data)
{
  return !seg_schema_cache_is_loading (cache);
}

static SegDefinition *
wrap_match (JsonNode *match)
{
  g_autoptr(JsonObject) obj = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  SegDefinition *def;

  json_object_set_int_member (obj, "version", 1);
  json_object_set_member (obj, "match", match);
  node = json_node_init_object (json_node_alloc (), obj);
  def = seg_definition_new_from_node (node, &error);
  g_assert_no_error (error);
  return def;
}

static SegDefinition *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  SegDefinition *def = seg_definition_new_from_json (json, -1, &error);

  g_assert_no_error (error);
  return def;
}

static void
assert_same (SegDefinition *a,
             SegDefinition *b)
{
  if (!seg_definition_equal (a, b))
    {
      g_autofree char *ja = seg_definition_to_json (a, FALSE);
      g_autofree char *jb = seg_definition_to_json (b, FALSE);
      g_error ("definitions differ:\n  %s\n  %s", ja, jb);
    }
}

/* Every rule kind, filter type, window and aggregate of the format, loaded into the
 * widgets and built back. */
static const char *round_trips[] = {
  "{\"version\":1,\"match\":{\"all\":[{\"did\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"}}]}}",
  "{\"version\":1,\"match\":{\"all\":[{\"did\":\"Added To Cart\",\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"}},"
    "{\"did_not\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"}}]}}",
  "{\"version\":1,\"match\":{\"any\":[{\"did_any\":[\"Charged\",\"Added To Cart\"],\"when\":{\"type\":\"today\"}},"
    "{\"all\":[{\"user\":{\"property\":\"city\",\"op\":\"equals\",\"value\":[\"London\",\"Berlin\"]}},"
    "{\"reachable\":\"email\"}]}]}}",
  "{\"version\":1,\"match\":{\"all\":[{\"did\":\"Charged\",\"where\":[{\"property\":\"amount\",\"op\":\"between\",\"value\":[10,50]},"
    "{\"property\":\"category\",\"op\":\"starts_with\",\"value\":\"Sh\"}],\"when\":{\"type\":\"between_days_ago\",\"from\":30,\"to\":7},"
    "\"aggregate\":{\"fn\":\"sum\",\"property\":\"amount\",\"op\":\"gt\",\"value\":100,\"include_non_doers\":false}}]}}",
  "{\"version\":1,\"match\":{\"all\":[{\"did\":\"Charged\",\"occurrence\":\"first\",\"when\":{\"type\":\"between\",\"from\":\"2024-01-01\",\"to\":\"2024-01-31\"}},"
    "{\"did\":\"Charged\",\"aggregate\":{\"fn\":\"avg\",\"property\":\"amount\",\"op\":\"lt\",\"value\":20,\"include_non_doers\":true}}]}}",
  "{\"version\":1,\"match\":{\"all\":[{\"did\":\"App Launched\",\"occurrence\":\"last\",\"when\":{\"type\":\"days_ago\",\"n\":5}},"
    "{\"did\":\"Charged\",\"when\":{\"type\":\"before\",\"date\":\"2024-05-01\"}},"
    "{\"did\":\"Charged\",\"when\":{\"type\":\"after\",\"date\":\"2024-05-01\"}},"
    "{\"did\":\"Charged\",\"when\":{\"type\":\"on\",\"date\":\"2024-05-01\"}},"
    "{\"did\":\"Charged\",\"when\":{\"type\":\"since\",\"date\":\"2024-05-01\"}},"
    "{\"did\":\"Charged\",\"when\":{\"type\":\"yesterday\"}},"
    "{\"did\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":6,\"unit\":\"hours\"}},"
    "{\"did\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":2,\"unit\":\"months\"}}]}}",
  "{\"version\":1,\"match\":{\"all\":[{\"did\":\"Charged\",\"aggregate\":{\"fn\":\"count\",\"op\":\"ge\",\"value\":3,\"include_non_doers\":true}},"
    "{\"did\":\"Charged\",\"aggregate\":{\"fn\":\"distinct\",\"property\":\"category\",\"op\":\"not_between\",\"value\":[2,3],\"include_non_doers\":false}},"
    "{\"did\":\"Charged\",\"aggregate\":{\"fn\":\"max\",\"property\":\"amount\",\"op\":\"le\",\"value\":99.5,\"include_non_doers\":false}}]}}",
  "{\"version\":1,\"match\":{\"all\":[{\"user\":{\"property\":\"signup\",\"op\":\"in_last\",\"value\":14,\"unit\":\"days\"}},"
    "{\"user\":{\"property\":\"birthday\",\"op\":\"days_from_today\",\"value\":5}},"
    "{\"user\":{\"property\":\"last_seen\",\"op\":\"more_than_days_ago\",\"value\":30}},"
    "{\"user\":{\"property\":\"signup\",\"op\":\"date_between\",\"value\":[\"2024-01-01\",\"2024-03-01\"]}},"
    "{\"user\":{\"property\":\"email_optin\",\"op\":\"is_true\"}},"
    "{\"user\":{\"property\":\"tags\",\"op\":\"set_is\",\"value\":[\"vip\",\"beta\"]}},"
    "{\"user\":{\"property\":\"tags\",\"op\":\"list_contains\",\"value\":\"vip\"}},"
    "{\"user\":{\"property\":\"phone\",\"op\":\"exists\"}},"
    "{\"user\":{\"property\":\"name\",\"op\":\"matches\",\"value\":\"^A.*\"}},"
    "{\"user\":{\"property\":\"score\",\"op\":\"ne\",\"value\":7}}]}}",
  "{\"version\":1,\"match\":{\"all\":[{\"near\":{\"lat\":40.71,\"lon\":-74,\"km\":25}},{\"reachable\":\"whatsapp\"},{\"reachable\":\"in-app\"}]}}",
  "{\"version\":1,\"match\":{\"all\":[{\"did\":\"App Launched\"},{\"sequence\":{\"first\":{\"event\":\"Added To Cart\",\"where\":[{\"property\":\"category\",\"op\":\"equals\",\"value\":\"Shoes\"}]},"
    "\"then\":{\"event\":\"Charged\"},\"within\":{\"n\":10,\"unit\":\"minutes\"},\"negate\":true},\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"}}]}}",
  "{\"version\":1,\"match\":{\"all\":[{\"sequence\":{\"first\":{\"event\":\"Product Viewed\"},\"then\":{\"event\":\"Added To Cart\"},"
    "\"within\":{\"n\":2,\"unit\":\"hours\"},\"negate\":false}}]}}",
};

static void
test_round_trip (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (round_trips); i++)
    {
      g_autoptr(SegDefinition) original = parse (round_trips[i]);
      SegRuleEditor *editor = g_object_ref_sink (seg_rule_registry_for_rule (seg_definition_get_match (original), cache));
      g_autoptr(GHashTable) paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      JsonNode *node = seg_rule_editor_build (editor, "$.match", paths);
      g_autoptr(SegDefinition) built = NULL;

      g_test_message ("round trip %u", i);
      g_assert_nonnull (node);
      built = wrap_match (node);
      assert_same (original, built);
      /* Every rule registered the path its errors would be reported at. */
      g_assert_true (g_hash_table_contains (paths, "$.match"));
      g_assert_true (g_hash_table_contains (paths, "$.match.all[0]") || g_hash_table_contains (paths, "$.match.any[0]"));
      g_assert_finalize_object (editor);
    }
}

static void
test_event_rule_widgets (void)
{
  SegRuleEditor *group = g_object_ref_sink (seg_group_rule_new (cache));
  SegEventRule *rule = SEG_EVENT_RULE (seg_group_rule_add_rule (SEG_GROUP_RULE (group), "event"));
  SegFilterRow *filter;
  JsonNode *node;
  g_autoptr(SegDefinition) built = NULL;
  g_autoptr(SegDefinition) expected = parse (
    "{\"version\":1,\"match\":{\"all\":[{\"did\":\"Charged\",\"where\":[{\"property\":\"amount\",\"op\":\"ge\",\"value\":10}],"
    "\"when\":{\"type\":\"last\",\"n\":90,\"unit\":\"days\"},\"aggregate\":{\"fn\":\"avg\",\"property\":\"amount\",\"op\":\"lt\","
    "\"value\":20,\"include_non_doers\":true}}]}}");

  /* Nothing picked yet: the rule says what is missing and builds nothing. */
  g_assert_null (seg_rule_editor_build (group, "$.match", NULL));
  g_assert_cmpstr (seg_rule_editor_get_error (SEG_RULE_EDITOR (rule)), ==, "Choose an event");

  seg_event_rule_set_event (rule, "Charged");
  filter = seg_filter_list_add (seg_event_rule_get_filters (rule));
  seg_filter_row_set_property_name (filter, "amount");
  /* The store knows amount is a number: the operators follow. */
  g_assert_cmpint (seg_filter_row_get_value_type (filter), ==, SEG_VALUE_TYPE_NUMBER);
  g_assert_true (seg_filter_row_set_op (filter, "ge"));
  seg_filter_row_set_numbers (filter, 10, 0);
  seg_window_editor_set_preset (seg_event_rule_get_window (rule), "last-90");
  seg_aggregate_editor_set (seg_event_rule_get_aggregate (rule), "avg", "amount", "lt", 20, 0, TRUE);
  node = seg_rule_editor_build (group, "$.match", NULL);
  g_assert_nonnull (node);
  built = wrap_match (node);
  assert_same (expected, built);

  /* An aggregate of a property needs the property. */
  seg_aggregate_editor_set (seg_event_rule_get_aggregate (rule), "sum", NULL, "gt", 1, 0, FALSE);
  g_assert_null (seg_rule_editor_build (group, "$.match", NULL));
  g_assert_cmpstr (seg_rule_editor_get_error (SEG_RULE_EDITOR (rule)), ==, "Choose the property to aggregate");
  g_assert_finalize_object (group);
}

static void
test_filter_types (void)
{
  GtkWidget *row = g_object_ref_sink (seg_filter_row_new (cache, "Added To Cart", TRUE));
  g_autofree char *error = NULL;
  JsonNode *node;

  /* category is text: equals with commas means any of the values. */
  seg_filter_row_set_property_name (SEG_FILTER_ROW (row), "category");
  g_assert_cmpint (seg_filter_row_get_value_type (SEG_FILTER_ROW (row)), ==, SEG_VALUE_TYPE_STRING);
  g_assert_false (seg_filter_row_set_op (SEG_FILTER_ROW (row), "bogus"));
  g_assert_true (seg_filter_row_set_op (SEG_FILTER_ROW (row), "equals"));
  node = seg_filter_row_build (SEG_FILTER_ROW (row), &error);
  g_assert_null (node);
  g_assert_cmpstr (error, ==, "Enter a value for “category”");
  g_clear_pointer (&error, g_free);
  seg_filter_row_set_text (SEG_FILTER_ROW (row), "Shoes, Books");
  node = seg_filter_row_build (SEG_FILTER_ROW (row), &error);
  g_assert_no_errno (error == NULL ? 0 : -1);
  {
    g_autofree char *json = json_to_string (node, FALSE);
    g_assert_cmpstr (json, ==, "{\"property\":\"category\",\"op\":\"equals\",\"value\":[\"Shoes\",\"Books\"]}");
  }
  json_node_unref (node);

  /* A date operator switches the row to dates and checks them. */
  g_assert_true (seg_filter_row_set_op (SEG_FILTER_ROW (row), "before"));
  g_assert_cmpint (seg_filter_row_get_value_type (SEG_FILTER_ROW (row)), ==, SEG_VALUE_TYPE_DATE);
  g_assert_null (seg_filter_row_build (SEG_FILTER_ROW (row), &error));
  g_assert_nonnull (strstr (error, "YYYY-MM-DD"));
  g_assert_finalize_object (row);
}

static void
test_live_triggers (void)
{
  struct { const char *type; const char *a; const char *b; const char *text; const char *expected; } cases[] = {
    { "action", "Added To Cart", NULL, NULL, "{\"type\":\"action\",\"event\":\"Added To Cart\"}" },
    { "inaction", "Added To Cart", "Charged", NULL,
      "{\"type\":\"inaction\",\"event\":\"Added To Cart\",\"then\":\"Charged\",\"within\":{\"n\":10,\"unit\":\"minutes\"}}" },
    { "date", "appointment", NULL, NULL, "{\"type\":\"date\",\"property\":\"appointment\",\"days_from_today\":5}" },
    { "page_visit", NULL, NULL, "/checkout", "{\"type\":\"page_visit\",\"url\":{\"op\":\"contains\",\"value\":\"/checkout\"}}" },
    { "referrer", NULL, NULL, "google.com", "{\"type\":\"referrer\",\"referrer\":{\"op\":\"contains\",\"value\":\"google.com\"}}" },
    { "page_count", NULL, NULL, NULL, "{\"type\":\"page_count\",\"count\":5,\"within\":{\"n\":30,\"unit\":\"minutes\"}}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GtkWidget *editor = g_object_ref_sink (seg_live_trigger_editor_new (cache, cases[i].type));
      g_autofree char *error = NULL;
      JsonNode *node;
      g_autofree char *json = NULL;

      if (cases[i].a != NULL || cases[i].text != NULL)
        {
          /* Incomplete until its event or address is given. */
          g_assert_null (seg_live_trigger_editor_build (SEG_LIVE_TRIGGER_EDITOR (editor), &error));
          g_assert_nonnull (error);
          g_clear_pointer (&error, g_free);
        }
      seg_live_trigger_editor_set_events (SEG_LIVE_TRIGGER_EDITOR (editor), cases[i].a, cases[i].b);
      if (cases[i].text != NULL)
        seg_live_trigger_editor_set_text (SEG_LIVE_TRIGGER_EDITOR (editor), cases[i].text);
      node = seg_live_trigger_editor_build (SEG_LIVE_TRIGGER_EDITOR (editor), &error);
      g_assert_null (error);
      json = json_to_string (node, FALSE);
      g_assert_cmpstr (json, ==, cases[i].expected);
      /* What the editor writes is what the core's live trigger format reads. */
      {
        g_autoptr(GError) parse_error = NULL;
        g_autoptr(SegLiveTrigger) parsed = seg_live_trigger_new_from_node (node, &parse_error);

        g_assert_no_error (parse_error);
        g_assert_nonnull (parsed);
      }
      /* And it loads back into a fresh editor. */
      {
        GtkWidget *again = g_object_ref_sink (seg_live_trigger_editor_new (cache, cases[i].type));
        JsonNode *node2;
        g_autofree char *json2 = NULL;
        seg_live_trigger_editor_load (SEG_LIVE_TRIGGER_EDITOR (again), node);
        node2 = seg_live_trigger_editor_build (SEG_LIVE_TRIGGER_EDITOR (again), &error);
        json2 = json_to_string (node2, FALSE);
        g_assert_cmpstr (json2, ==, cases[i].expected);
        json_node_unref (node2);
        g_assert_finalize_object (again);
      }
      json_node_unref (node);
      g_assert_finalize_object (editor);
    }
}

static void
test_window_errors (void)
{
  GtkWidget *w = g_object_ref_sink (seg_window_editor_new ("between_days_ago"));
  g_autofree char *error = NULL;

  /* "between 7 and 30 days ago" written the wrong way round is explained. */
  seg_window_editor_set_n (SEG_WINDOW_EDITOR (w), 7, 30);
  g_assert_null (seg_window_editor_build (SEG_WINDOW_EDITOR (w), &error));
  g_assert_nonnull (error);
  g_clear_pointer (&error, g_free);
  seg_window_editor_set_preset (SEG_WINDOW_EDITOR (w), "ever");
  g_assert_null (seg_window_editor_build (SEG_WINDOW_EDITOR (w), &error));
  g_assert_null (error);
  seg_window_editor_set_preset (SEG_WINDOW_EDITOR (w), "between");
  g_assert_null (seg_window_editor_build (SEG_WINDOW_EDITOR (w), &error));
  g_assert_cmpstr (error, ==, "Enter both dates of the time window");
  g_assert_finalize_object (w);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, "gtk-cursor-blink", FALSE, NULL);
  ts = seg_test_store_new (200);
  cache = seg_schema_cache_new (ts->store);
  /* Load the properties the tests use, the way the pickers do. */
  seg_schema_cache_get_properties (cache, "Added To Cart");
  seg_schema_cache_get_properties (cache, "Charged");
  seg_schema_cache_get_properties (cache, NULL);
  seg_test_data_iterate_until (cache_ready, NULL, 20000);
  g_assert_false (seg_schema_cache_is_loading (cache));

  g_test_add_func ("/RuleBuilder/round-trip", test_round_trip);
  g_test_add_func ("/RuleBuilder/event-rule-widgets", test_event_rule_widgets);
  g_test_add_func ("/RuleBuilder/filter-types", test_filter_types);
  g_test_add_func ("/RuleBuilder/live-triggers", test_live_triggers);
  g_test_add_func ("/RuleBuilder/window-errors", test_window_errors);
  ret = g_test_run ();
  g_clear_object (&cache);
  seg_test_store_free (ts);
  return ret;
}
