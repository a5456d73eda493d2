/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "seg-aggregate-editor.h"
#include "seg-custom-list-editor.h"
#include "seg-event-rule.h"
#include "seg-filter-list.h"
#include "seg-filter-row.h"
#include "seg-live-trigger-editor.h"
#include "seg-name-picker.h"
#include "seg-reach-panel.h"
#include "seg-segment-chooser.h"
#include "seg-segment-list-page.h"
#include "seg-segment.h"
#include "seg-test-data.h"
#include "seg-window-editor.h"
#include "seg-wizard.h"

/*
 * The creation wizard over a real local store, driven through its widgets and actions
 * the way a marketer would, and by the keyboard alone.
 */

typedef struct
{
  SegTestStore *ts;
  SegSegment   *power;
  SegSegment   *londoners;
  GtkWidget    *window;
  GtkWidget    *stack;
  GtkWidget    *page;
  GtkWidget    *wizard;
  SegSegment   *saved;
  guint         n_saved;
} Fixture;

static void
saved_cb (SegWizard  *wizard,
          SegSegment *seg,
          Fixture    *f)
{
  g_set_object (&f->saved, seg);
  f->n_saved++;
  gtk_stack_set_visible_child (GTK_STACK (f->stack), f->page);
  seg_segment_list_page_select_id (SEG_SEGMENT_LIST_PAGE (f->page), seg_segment_get_id (seg));
}

static void
create_cb (Fixture *f)
{
  seg_wizard_start (SEG_WIZARD (f->wizard));
  gtk_stack_set_visible_child (GTK_STACK (f->stack), f->wizard);
}

static gboolean
page_loaded (gpointer data)
{
  Fixture *f = data;
  return seg_segment_list_page_get_n_visible (SEG_SEGMENT_LIST_PAGE (f->page)) >= 4 &&
         !seg_schema_cache_is_loading (seg_wizard_get_cache (SEG_WIZARD (f->wizard)));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  f->ts = seg_test_store_new (400);
  f->power = seg_test_data_save_json (f->ts->store, "Power Users",
                                      "{\"version\":1,\"match\":{\"all\":[{\"did\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":90,"
                                      "\"unit\":\"days\"},\"aggregate\":{\"fn\":\"count\",\"op\":\"ge\",\"value\":3}}]}}", &error);
  g_assert_no_error (error);
  f->londoners = seg_test_data_save_json (f->ts->store, "Londoners",
                                          "{\"version\":1,\"match\":{\"all\":[{\"user\":{\"property\":\"city\","
                                          "\"op\":\"equals\",\"value\":\"London\"}}]}}", &error);
  g_assert_no_error (error);

  f->window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (f->window), data ? data : "Wizard Test");
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 700);
  f->stack = gtk_stack_new ();
  gtk_widget_set_vexpand (f->stack, TRUE);
  f->page = seg_segment_list_page_new (f->ts->store);
  f->wizard = seg_wizard_new (f->ts->store);
  gtk_stack_add_child (GTK_STACK (f->stack), f->page);
  gtk_stack_add_child (GTK_STACK (f->stack), f->wizard);
  gtk_box_append (GTK_BOX (box), f->stack);
  gtk_window_set_child (GTK_WINDOW (f->window), box);
  g_signal_connect (f->wizard, "saved", G_CALLBACK (saved_cb), f);
  g_signal_connect_swapped (f->page, "create-segment", G_CALLBACK (create_cb), f);
  gtk_window_present (GTK_WINDOW (f->window));
  /* The wizard's pickers load the schema the tests pick from. */
  seg_schema_cache_get_properties (seg_wizard_get_cache (SEG_WIZARD (f->wizard)), "Added To Cart");
  seg_test_data_iterate_until (page_loaded, f, 20000);
  g_assert_true (page_loaded (f));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  seg_test_iterate_ms (50);
  g_clear_object (&f->saved);
  g_clear_object (&f->power);
  g_clear_object (&f->londoners);
  seg_test_store_free (f->ts);
}

static gboolean
reach_ready (gpointer data)
{
  SegReachPanel *panel = data;
  return !seg_reach_panel_is_busy (panel) && seg_reach_panel_get_count (panel) >= 0;
}

static gboolean
refresh_done (gpointer data)
{
  return !seg_wizard_is_refresh_pending (data);
}

static gboolean
saved_once (gpointer data)
{
  return ((Fixture *) data)->n_saved > 0;
}

static void
list_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GListModel *list = seg_store_list_segments_finish (SEG_STORE (source), result, NULL);
  g_object_set_data_full (G_OBJECT (source), "test-list", list, g_object_unref);
}

static gboolean
has_list (gpointer data)
{
  return g_object_get_data (data, "test-list") != NULL;
}

/* The store's own list of segments, as any other client of the store sees it. */
static SegSegment *
find_segment (SegStore   *store,
              const char *name)
{
  GListModel *list;
  guint n;

  seg_store_list_segments_async (store, NULL, list_loaded_cb, NULL);
  seg_test_data_iterate_until (has_list, store, 5000);
  list = g_object_get_data (G_OBJECT (store), "test-list");
  g_assert_nonnull (list);
  n = g_list_model_get_n_items (list);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SegSegment) seg = g_list_model_get_item (list, i);
      if (g_strcmp0 (seg_segment_get_name (seg), name) == 0)
        return g_steal_pointer (&seg);
    }
  return NULL;
}

/* Builds "added to cart but not charged in the last 30 days, excluding Londoners,
 * with Charged count ≥ 3 (over 90 days) including non-doers" through the widgets. */
static void
build_cart_abandoners (Fixture *f)
{
  SegWizard *wizard = SEG_WIZARD (f->wizard);
  SegGroupRule *root;
  SegEventRule *did, *did_not, *charged;

  gtk_widget_activate_action (f->page, "segments.new", NULL);
  g_assert_true (gtk_stack_get_visible_child (GTK_STACK (f->stack)) == f->wizard);
  g_assert_cmpstr (seg_wizard_get_step (wizard), ==, "type");
  g_assert_true (seg_wizard_choose_type (wizard, "action-inaction"));
  g_assert_cmpstr (seg_wizard_get_step (wizard), ==, "rules");

  root = seg_wizard_get_root_group (wizard);
  /* The tile starts with a "did" and a "did not" rule. */
  g_assert_cmpuint (seg_group_rule_get_n_rules (root), ==, 2);
  did = SEG_EVENT_RULE (seg_group_rule_get_rule (root, 0));
  did_not = SEG_EVENT_RULE (seg_group_rule_get_rule (root, 1));
  seg_event_rule_set_event (did, "Added To Cart");
  seg_event_rule_set_event (did_not, "Charged");
  gtk_widget_activate_action (f->wizard, "wizard.add-rule", "s", "event");
  g_assert_cmpuint (seg_group_rule_get_n_rules (root), ==, 3);
  charged = SEG_EVENT_RULE (seg_group_rule_get_rule (root, 2));
  seg_event_rule_set_event (charged, "Charged");
  seg_window_editor_set_preset (seg_event_rule_get_window (charged), "last-90");
  seg_aggregate_editor_set (seg_event_rule_get_aggregate (charged), "count", NULL, "ge", 3, 0, TRUE);
  seg_segment_chooser_add (seg_wizard_get_exclude (wizard), seg_segment_get_id (f->londoners));
  /* The wizard rebuilds the definition on its own shortly after the edits. */
  g_assert_true (seg_wizard_is_refresh_pending (wizard));
  seg_test_data_iterate_until (refresh_done, wizard, 5000);
}

static void
test_cart_abandoners (Fixture       *f,
                      gconstpointer  data)
{
  SegWizard *wizard = SEG_WIZARD (f->wizard);
  SegReachPanel *reach = seg_wizard_get_reach_panel (wizard);
  g_autoptr(GError) error = NULL;
  g_autoptr(SegEvalResult) direct = NULL;
  g_autoptr(SegDefinition) expected = NULL;
  g_autoptr(SegSegment) stored = NULL;
  g_autofree char *expected_json = NULL;
  g_autofree char *used_by = NULL;
  SegSegment *row;
  const char *summary;

  build_cart_abandoners (f);
  if (seg_wizard_get_definition (wizard) == NULL)
    {
      SegGroupRule *root = seg_wizard_get_root_group (wizard);
      for (guint i = 0; i < seg_group_rule_get_n_rules (root); i++)
        g_test_message ("rule %u: %s", i, seg_rule_editor_get_error (seg_group_rule_get_rule (root, i)));
      g_test_message ("wizard: %s", seg_wizard_get_error (wizard));
    }
  g_assert_nonnull (seg_wizard_get_definition (wizard));
  summary = seg_wizard_get_summary (wizard);
  g_test_message ("summary: %s", summary);
  g_assert_nonnull (strstr (summary, "Added To Cart"));
  g_assert_nonnull (strstr (summary, "Charged"));
  g_assert_nonnull (strstr (summary, "Londoners"));

  /* The estimate appears on its own and agrees with the store. */
  seg_test_data_iterate_until (reach_ready, reach, 20000);
  direct = seg_test_evaluate (f->ts->store, seg_wizard_get_definition (wizard), &error);
  g_assert_no_error (error);
  g_test_message ("estimate: %" G_GINT64_FORMAT " users, email %" G_GINT64_FORMAT ", latency %.1f ms",
                  seg_reach_panel_get_count (reach), seg_reach_panel_get_reach (reach, SEG_CHANNEL_EMAIL),
                  seg_reach_panel_get_latency_ms (reach));
  g_assert_cmpint (seg_reach_panel_get_count (reach), ==, (gint64) seg_eval_result_get_count (direct));
  g_assert_cmpint (seg_reach_panel_get_count (reach), >, 0);
  g_assert_cmpint (seg_reach_panel_get_reach (reach, SEG_CHANNEL_EMAIL), ==,
                   (gint64) seg_eval_result_get_reach (direct, SEG_CHANNEL_EMAIL));

  /* Step 3: a name is needed before Save. */
  gtk_widget_activate_action (f->wizard, "wizard.next", NULL);
  g_assert_cmpstr (seg_wizard_get_step (wizard), ==, "save");
  g_assert_false (seg_wizard_can_save (wizard));
  seg_wizard_set_name (wizard, "Cart abandoners", "Added to cart, no purchase in 30 days");
  g_assert_true (seg_wizard_can_save (wizard));
  gtk_widget_activate_action (f->wizard, "wizard.save", NULL);
  seg_test_data_iterate_until (saved_once, f, 20000);
  g_assert_nonnull (f->saved);

  /* The saved definition is what was built. */
  expected_json = g_strdup_printf (
    "{\"version\":1,\"kind\":\"past-behavior\",\"match\":{\"all\":["
    "{\"did\":\"Added To Cart\",\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"}},"
    "{\"did_not\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"}},"
    "{\"did\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":90,\"unit\":\"days\"},"
    "\"aggregate\":{\"fn\":\"count\",\"op\":\"ge\",\"value\":3,\"include_non_doers\":true}}]},"
    "\"exclude\":[\"%s\"]}", seg_segment_get_id (f->londoners));
  expected = seg_definition_new_from_json (expected_json, -1, &error);
  g_assert_no_error (error);
  stored = find_segment (f->ts->store, "Cart abandoners");
  g_assert_nonnull (stored);
  g_assert_true (seg_definition_equal (seg_segment_get_definition (stored), expected));
  g_assert_cmpstr (seg_segment_get_description (stored), ==, "Added to cart, no purchase in 30 days");
  g_assert_cmpint (seg_segment_get_kind (stored), ==, SEG_SEGMENT_KIND_PAST_BEHAVIOR);

  /* The list shows the new row, and Power Users is now used by it. */
  g_assert_true (gtk_stack_get_visible_child (GTK_STACK (f->stack)) == f->page);
  seg_segment_list_page_set_search (SEG_SEGMENT_LIST_PAGE (f->page), "cart aband");
  g_assert_cmpuint (seg_segment_list_page_get_n_visible (SEG_SEGMENT_LIST_PAGE (f->page)), ==, 1);
  row = g_list_model_get_item (seg_segment_list_page_get_model (SEG_SEGMENT_LIST_PAGE (f->page)), 0);
  g_assert_cmpstr (seg_segment_get_id (row), ==, seg_segment_get_id (stored));
  g_object_unref (row);
  used_by = seg_segment_list_page_dup_used_by (SEG_SEGMENT_LIST_PAGE (f->page), seg_segment_get_id (f->londoners));
  g_assert_cmpstr (used_by, ==, "“Cart abandoners”");

  /* Editing reopens the same rules; a change saves in place. */
  seg_wizard_edit (wizard, stored);
  g_assert_cmpstr (seg_wizard_get_step (wizard), ==, "rules");
  g_assert_nonnull (seg_wizard_get_definition (wizard));
  g_assert_true (seg_definition_equal (seg_wizard_get_definition (wizard), expected));
  seg_window_editor_set_preset (seg_event_rule_get_window (SEG_EVENT_RULE (seg_group_rule_get_rule (seg_wizard_get_root_group (wizard), 0))),
                                "last-7");
  seg_wizard_refresh (wizard);
  gtk_widget_activate_action (f->wizard, "wizard.next", NULL);
  f->n_saved = 0;
  gtk_widget_activate_action (f->wizard, "wizard.save", NULL);
  seg_test_data_iterate_until (saved_once, f, 20000);
  g_assert_cmpstr (seg_segment_get_id (f->saved), ==, seg_segment_get_id (stored));
  {
    const SegRule *first = g_ptr_array_index (seg_definition_get_match (seg_segment_get_definition (f->saved))->children, 0);
    g_assert_cmpint (first->when.n, ==, 7);
  }
}

static void
test_inline_errors (Fixture       *f,
                    gconstpointer  data)
{
  SegWizard *wizard = SEG_WIZARD (f->wizard);
  SegGroupRule *root;
  SegEventRule *rule;
  SegFilterRow *filter;

  gtk_widget_activate_action (f->page, "segments.new", NULL);
  seg_wizard_choose_type (wizard, "action");
  root = seg_wizard_get_root_group (wizard);
  rule = SEG_EVENT_RULE (seg_group_rule_get_rule (root, 0));

  /* Nothing chosen: the rule says so and Next stays off. */
  seg_wizard_refresh (wizard);
  g_assert_null (seg_wizard_get_definition (wizard));
  g_assert_cmpstr (seg_rule_editor_get_error (SEG_RULE_EDITOR (rule)), ==, "Choose an event");
  gtk_widget_activate_action (f->wizard, "wizard.next", NULL);
  g_assert_cmpstr (seg_wizard_get_step (wizard), ==, "rules");
  /* Untouched, the new rule's message is a hint, not a red card. */
  g_assert_false (seg_rule_editor_is_touched (SEG_RULE_EDITOR (rule)));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (rule), "seg-rule-invalid"));

  /* A negation on its own is explained next to it. */
  seg_event_rule_set_event (rule, "Charged");
  seg_event_rule_set_mode (rule, "did_not");
  seg_wizard_refresh (wizard);
  g_assert_null (seg_wizard_get_definition (wizard));
  g_assert_nonnull (seg_rule_editor_get_error (SEG_RULE_EDITOR (rule)));
  g_test_message ("negation: %s", seg_rule_editor_get_error (SEG_RULE_EDITOR (rule)));
  g_assert_nonnull (strstr (seg_rule_editor_get_error (SEG_RULE_EDITOR (rule)), "did not"));
  /* Once edited, a problem is an error. */
  g_assert_true (seg_rule_editor_is_touched (SEG_RULE_EDITOR (rule)));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (rule), "seg-rule-invalid"));

  /* A filter without its value. */
  seg_event_rule_set_mode (rule, "did");
  filter = seg_filter_list_add (seg_event_rule_get_filters (rule));
  seg_filter_row_set_property_name (filter, "category");
  seg_wizard_refresh (wizard);
  g_assert_null (seg_wizard_get_definition (wizard));
  g_assert_cmpstr (seg_rule_editor_get_error (SEG_RULE_EDITOR (rule)), ==, "Enter a value for “category”");
  seg_filter_row_set_text (filter, "Shoes");
  seg_wizard_refresh (wizard);
  g_assert_nonnull (seg_wizard_get_definition (wizard));
  g_assert_null (seg_rule_editor_get_error (SEG_RULE_EDITOR (rule)));
}

static void
test_include_cycle (Fixture       *f,
                    gconstpointer  data)
{
  SegWizard *wizard = SEG_WIZARD (f->wizard);
  g_autoptr(GError) error = NULL;
  g_autofree char *json = g_strdup_printf ("{\"version\":1,\"match\":{\"all\":[{\"did\":\"App Launched\"}]},"
                                           "\"include\":[\"%s\"]}", seg_segment_get_id (f->power));
  g_autoptr(SegSegment) loyal = seg_test_data_save_json (f->ts->store, "Loyal", json, &error);

  g_assert_no_error (error);
  seg_test_iterate_ms (50);
  /* Power Users excluding Loyal, which includes Power Users, would be a cycle. */
  seg_wizard_edit (wizard, f->power);
  seg_segment_chooser_add (seg_wizard_get_exclude (wizard), seg_segment_get_id (loyal));
  seg_wizard_refresh (wizard);
  g_assert_null (seg_wizard_get_definition (wizard));
  g_assert_nonnull (seg_wizard_get_error (wizard));
  g_test_message ("cycle: %s", seg_wizard_get_error (wizard));
  /* The message names the segment as the marketer knows it, not by its id. */
  g_assert_nonnull (strstr (seg_wizard_get_error (wizard), "“Power Users”"));
  g_assert_null (strstr (seg_wizard_get_error (wizard), seg_segment_get_id (f->power)));
  g_assert_false (seg_wizard_can_save (wizard));
  seg_segment_chooser_set_ids (seg_wizard_get_exclude (wizard), NULL);
  seg_wizard_refresh (wizard);
  g_assert_nonnull (seg_wizard_get_definition (wizard));
}

static void
test_stale_estimates (Fixture       *f,
                      gconstpointer  data)
{
  SegWizard *wizard = SEG_WIZARD (f->wizard);
  SegReachPanel *reach = seg_wizard_get_reach_panel (wizard);
  SegEventRule *rule;
  g_autoptr(SegEvalResult) direct = NULL;
  g_autoptr(GError) error = NULL;

  gtk_widget_activate_action (f->page, "segments.new", NULL);
  seg_wizard_choose_type (wizard, "action");
  rule = SEG_EVENT_RULE (seg_group_rule_get_rule (seg_wizard_get_root_group (wizard), 0));
  seg_event_rule_set_event (rule, "Charged");
  seg_wizard_refresh (wizard);
  /* Edit again at once: only the last definition's number may show. */
  seg_window_editor_set_preset (seg_event_rule_get_window (rule), "last-7");
  seg_wizard_refresh (wizard);
  seg_event_rule_set_event (rule, "Added To Cart");
  seg_wizard_refresh (wizard);
  g_assert_true (seg_reach_panel_is_busy (reach));
  seg_test_data_iterate_until (reach_ready, reach, 20000);
  direct = seg_test_evaluate (f->ts->store, seg_wizard_get_definition (wizard), &error);
  g_assert_no_error (error);
  g_assert_cmpint (seg_reach_panel_get_count (reach), ==, (gint64) seg_eval_result_get_count (direct));
  g_test_message ("edit to number: %.1f ms (150 ms of it debounce)", seg_reach_panel_get_latency_ms (reach));
  g_assert_cmpfloat (seg_reach_panel_get_latency_ms (reach), <, 2000);
}

static void
test_custom_list (Fixture       *f,
                  gconstpointer  data)
{
  SegWizard *wizard = SEG_WIZARD (f->wizard);
  SegReachPanel *reach = seg_wizard_get_reach_panel (wizard);
  const char * const *users;

  gtk_widget_activate_action (f->page, "segments.new", NULL);
  seg_wizard_choose_type (wizard, "custom-list");
  seg_wizard_refresh (wizard);
  g_assert_null (seg_wizard_get_definition (wizard));
  /* CleverTap's upload format: a header, one identity a line; duplicates count once. */
  seg_custom_list_editor_set_text (seg_wizard_get_custom_list (wizard),
                                   "Identity\nuser-00001\n\"user-00002\",x\nuser-00001\n");
  seg_wizard_refresh (wizard);
  g_assert_nonnull (seg_wizard_get_definition (wizard));
  users = seg_definition_get_users (seg_wizard_get_definition (wizard));
  g_assert_cmpuint (g_strv_length ((char **) users), ==, 2);
  g_assert_cmpstr (users[1], ==, "user-00002");
  seg_test_data_iterate_until (reach_ready, reach, 20000);
  g_assert_cmpint (seg_reach_panel_get_count (reach), ==, 2);
  gtk_widget_activate_action (f->wizard, "wizard.next", NULL);
  seg_wizard_set_name (wizard, "Beta testers", NULL);
  gtk_widget_activate_action (f->wizard, "wizard.save", NULL);
  seg_test_data_iterate_until (saved_once, f, 20000);
  g_assert_nonnull (f->saved);
  g_assert_cmpint (seg_segment_get_kind (f->saved), ==, SEG_SEGMENT_KIND_CUSTOM_LIST);
}

/* Step 3 and Save, for the segment the rules step holds. */
static SegSegment *
save_as (Fixture    *f,
         const char *name)
{
  SegWizard *wizard = SEG_WIZARD (f->wizard);

  seg_test_data_iterate_until (refresh_done, wizard, 5000);
  if (seg_wizard_get_definition (wizard) == NULL)
    {
      SegGroupRule *root = seg_wizard_get_root_group (wizard);

      g_test_message ("%s: %s", name, seg_wizard_get_error (wizard));
      for (guint i = 0; i < seg_group_rule_get_n_rules (root); i++)
        g_test_message ("rule %u: %s", i, seg_rule_editor_get_error (seg_group_rule_get_rule (root, i)));
    }
  g_assert_nonnull (seg_wizard_get_definition (wizard));
  gtk_widget_activate_action (f->wizard, "wizard.next", NULL);
  g_assert_cmpstr (seg_wizard_get_step (wizard), ==, "save");
  seg_wizard_set_name (wizard, name, NULL);
  f->n_saved = 0;
  gtk_widget_activate_action (f->wizard, "wizard.save", NULL);
  seg_test_data_iterate_until (saved_once, f, 20000);
  g_assert_nonnull (f->saved);
  return find_segment (f->ts->store, name);
}

static JsonObject *
trigger_of (SegSegment *seg)
{
  SegDefinition *def = seg_segment_get_definition (seg);

  g_assert_nonnull (def);
  g_assert_cmpint (seg_segment_get_kind (seg), ==, SEG_SEGMENT_KIND_LIVE);
  g_assert_nonnull (seg_definition_get_trigger (def));
  return json_node_get_object (seg_definition_get_trigger (def));
}

/* Each of the six live kinds built through its fields and saved; the store parses
 * the saved trigger back, and the list shows the rows as Live. */
static void
test_live_kinds (Fixture       *f,
                 gconstpointer  data)
{
  SegWizard *wizard = SEG_WIZARD (f->wizard);
  SegLiveTriggerEditor *t;
  SegFilterRow *filter;
  g_autoptr(SegSegment) action = NULL, inaction = NULL, date = NULL;
  g_autoptr(SegSegment) page = NULL, referrer = NULL, count = NULL;
  JsonObject *o;
  JsonArray *where;

  /* Single action with an event-property filter. */
  gtk_widget_activate_action (f->page, "segments.new", NULL);
  g_assert_true (seg_wizard_choose_type (wizard, "live-action"));
  t = seg_wizard_get_trigger (wizard);
  seg_live_trigger_editor_set_events (t, "Added To Cart", NULL);
  filter = seg_filter_list_add (SEG_FILTER_LIST (seg_live_trigger_editor_get_filters (t)));
  seg_filter_row_set_property_name (filter, "category");
  seg_filter_row_set_op (filter, "equals");
  seg_filter_row_set_text (filter, "Shoes");
  seg_wizard_refresh (wizard);
  action = save_as (f, "Shoes in the cart now");
  o = trigger_of (action);
  g_assert_cmpstr (json_object_get_string_member (o, "type"), ==, "action");
  g_assert_cmpstr (json_object_get_string_member (o, "event"), ==, "Added To Cart");
  where = json_object_get_array_member (o, "where");
  g_assert_cmpuint (json_array_get_length (where), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (where, 0), "property"), ==,
                   "category");

  /* Inaction within time, filtered by past behavior: the filter goes into the trigger. */
  gtk_widget_activate_action (f->page, "segments.new", NULL);
  g_assert_true (seg_wizard_choose_type (wizard, "live-inaction"));
  t = seg_wizard_get_trigger (wizard);
  seg_live_trigger_editor_set_events (t, "Added To Cart", "Charged");
  seg_live_trigger_editor_set_numbers (t, 0, 15);
  seg_wizard_set_stream_filter (wizard, TRUE);
  /* The filter starts with one "did" rule, as a past-behavior segment does. */
  g_assert_cmpuint (seg_group_rule_get_n_rules (seg_wizard_get_root_group (wizard)), ==, 1);
  seg_event_rule_set_event (SEG_EVENT_RULE (seg_group_rule_get_rule (seg_wizard_get_root_group (wizard), 0)),
                            "Charged");
  seg_wizard_refresh (wizard);
  g_test_message ("summary: %s", seg_wizard_get_summary (wizard));
  inaction = save_as (f, "Abandoned a cart, bought before");
  o = trigger_of (inaction);
  g_assert_cmpstr (json_object_get_string_member (o, "type"), ==, "inaction");
  g_assert_cmpstr (json_object_get_string_member (o, "then"), ==, "Charged");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "within"), "n"), ==, 15);
  g_assert_true (json_object_has_member (o, "filter"));
  g_assert_null (seg_definition_get_match (seg_segment_get_definition (inaction)));

  /* On a date, page visit, referrer entry and page count. */
  gtk_widget_activate_action (f->page, "segments.new", NULL);
  g_assert_true (seg_wizard_choose_type (wizard, "live-date"));
  seg_live_trigger_editor_set_events (seg_wizard_get_trigger (wizard), "signup_date", NULL);
  seg_live_trigger_editor_set_numbers (seg_wizard_get_trigger (wizard), -30, 0);
  seg_wizard_refresh (wizard);
  date = save_as (f, "Signed up a month ago");
  o = trigger_of (date);
  g_assert_cmpstr (json_object_get_string_member (o, "property"), ==, "signup_date");
  g_assert_cmpint (json_object_get_int_member (o, "days_from_today"), ==, -30);

  gtk_widget_activate_action (f->page, "segments.new", NULL);
  g_assert_true (seg_wizard_choose_type (wizard, "live-page-visit"));
  seg_live_trigger_editor_set_text (seg_wizard_get_trigger (wizard), "/checkout");
  seg_wizard_refresh (wizard);
  page = save_as (f, "At checkout");
  o = json_object_get_object_member (trigger_of (page), "url");
  g_assert_cmpstr (json_object_get_string_member (o, "value"), ==, "/checkout");

  gtk_widget_activate_action (f->page, "segments.new", NULL);
  g_assert_true (seg_wizard_choose_type (wizard, "live-referrer"));
  seg_live_trigger_editor_set_text (seg_wizard_get_trigger (wizard), "news.example.com");
  seg_wizard_refresh (wizard);
  referrer = save_as (f, "From the news site");
  o = json_object_get_object_member (trigger_of (referrer), "referrer");
  g_assert_cmpstr (json_object_get_string_member (o, "value"), ==, "news.example.com");

  gtk_widget_activate_action (f->page, "segments.new", NULL);
  g_assert_true (seg_wizard_choose_type (wizard, "live-page-count"));
  seg_live_trigger_editor_set_numbers (seg_wizard_get_trigger (wizard), 7, 20);
  seg_wizard_refresh (wizard);
  count = save_as (f, "Browsing a lot");
  o = trigger_of (count);
  g_assert_cmpint (json_object_get_int_member (o, "count"), ==, 7);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "within"), "n"), ==, 20);

  /* The list holds the six as Live segments. */
  seg_segment_list_page_set_search (SEG_SEGMENT_LIST_PAGE (f->page), "Abandoned a cart");
  g_assert_cmpuint (seg_segment_list_page_get_n_visible (SEG_SEGMENT_LIST_PAGE (f->page)), ==, 1);
  {
    g_autoptr(SegSegment) row = g_list_model_get_item (seg_segment_list_page_get_model (SEG_SEGMENT_LIST_PAGE (f->page)), 0);
    g_assert_cmpstr (seg_segment_get_id (row), ==, seg_segment_get_id (inaction));
    g_assert_cmpint (seg_segment_get_kind (row), ==, SEG_SEGMENT_KIND_LIVE);
  }

  /* Editing a live segment reopens its kind, trigger fields and stream filter. */
  seg_wizard_edit (wizard, inaction);
  g_assert_cmpstr (seg_wizard_get_step (wizard), ==, "rules");
  g_assert_cmpstr (seg_live_trigger_editor_get_type_id (seg_wizard_get_trigger (wizard)), ==, "inaction");
  g_assert_cmpuint (seg_group_rule_get_n_rules (seg_wizard_get_root_group (wizard)), ==, 1);
  g_assert_nonnull (seg_wizard_get_definition (wizard));
  g_assert_true (seg_definition_equal (seg_wizard_get_definition (wizard), seg_segment_get_definition (inaction)));

  seg_wizard_edit (wizard, action);
  g_assert_cmpstr (seg_live_trigger_editor_get_type_id (seg_wizard_get_trigger (wizard)), ==, "action");
  g_assert_cmpuint (seg_filter_list_get_n (SEG_FILTER_LIST (seg_live_trigger_editor_get_filters (
                      seg_wizard_get_trigger (wizard)))), ==, 1);
  g_assert_true (seg_definition_equal (seg_wizard_get_definition (wizard), seg_segment_get_definition (action)));

  /* A change saves in place. */
  seg_live_trigger_editor_set_events (seg_wizard_get_trigger (wizard), "Product Viewed", NULL);
  seg_wizard_refresh (wizard);
  gtk_widget_activate_action (f->wizard, "wizard.next", NULL);
  f->n_saved = 0;
  gtk_widget_activate_action (f->wizard, "wizard.save", NULL);
  seg_test_data_iterate_until (saved_once, f, 20000);
  g_assert_cmpstr (seg_segment_get_id (f->saved), ==, seg_segment_get_id (action));
  g_assert_cmpstr (json_object_get_string_member (trigger_of (f->saved), "event"), ==, "Product Viewed");
}

/* The widest descendants that cannot shrink to @limit, for a useful failure message. */
static void
report_wide (GtkWidget *widget,
             int        limit,
             GString   *out)
{
  int min = 0;

  if (!gtk_widget_get_visible (widget))
    return;
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  if (min <= limit)
    return;
  g_string_append_printf (out, "  %s %s: %d px\n", G_OBJECT_TYPE_NAME (widget),
                          GTK_IS_LABEL (widget) ? gtk_label_get_label (GTK_LABEL (widget)) : "", min);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    report_wide (child, limit, out);
}

static void
assert_fits (GtkWidget  *widget,
             int         width,
             const char *where)
{
  g_autoptr(GString) wide = g_string_new (NULL);
  int min = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  g_test_message ("%s: minimum %d px, window %d px", where, min, gtk_widget_get_width (widget));
  if (min > width)
    {
      report_wide (widget, width, wide);
      g_test_message ("too wide on %s:\n%s", where, wide->str);
    }
  g_assert_cmpint (min, <=, width);
}

/* A phone's 360 px: the rules and save steps fit once the estimate shows real numbers
 * ("1,234 · 100%" per channel is wider than the "—" of an empty panel). */
static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  SegWizard *wizard = SEG_WIZARD (f->wizard);
  SegReachPanel *reach = seg_wizard_get_reach_panel (wizard);
  SegEventRule *did;
  g_autoptr(SegSegment) long_name = NULL;

  /* A saved segment with a long name, excluded below: its chip must not widen the step. */
  gtk_widget_activate_action (f->page, "segments.new", NULL);
  g_assert_true (seg_wizard_choose_type (wizard, "action"));
  seg_event_rule_set_event (SEG_EVENT_RULE (seg_group_rule_get_rule (seg_wizard_get_root_group (wizard), 0)),
                            "Charged");
  seg_wizard_refresh (wizard);
  long_name = save_as (f, "Londoners who launched the app twice this week and bought shoes");

  /* The list page shares the stack: its compact columns must let the window shrink too. */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 720);
  seg_test_iterate_ms (300);
  assert_fits (f->window, 360, "the list");
  gtk_widget_activate_action (f->page, "segments.new", NULL);
  seg_test_iterate_ms (100);
  assert_fits (f->window, 360, "the type step");
  g_assert_true (seg_wizard_choose_type (wizard, "action"));
  did = SEG_EVENT_RULE (seg_group_rule_get_rule (seg_wizard_get_root_group (wizard), 0));
  seg_event_rule_set_event (did, "App Launched");
  seg_window_editor_set_preset (seg_event_rule_get_window (did), "last-90");
  seg_aggregate_editor_set (seg_event_rule_get_aggregate (did), "count", NULL, "between", 1, 1000, TRUE);
  seg_segment_chooser_add (seg_wizard_get_exclude (wizard), seg_segment_get_id (long_name));
  seg_wizard_refresh (wizard);
  seg_test_data_iterate_until (reach_ready, reach, 20000);
  g_assert_cmpint (seg_reach_panel_get_count (reach), >, 0);
  seg_test_iterate_ms (100);
  assert_fits (f->window, 360, "the rules step");
  gtk_widget_activate_action (f->wizard, "wizard.next", NULL);
  g_assert_cmpstr (seg_wizard_get_step (wizard), ==, "save");
  seg_wizard_set_name (wizard, "Launched the app in the last 90 days", NULL);
  seg_test_iterate_ms (100);
  assert_fits (f->window, 360, "the save step");
}

/* Keyboard only, with real key presses through the X server (xdotool). */

static gboolean
press (const char *keys)
{
  g_autofree char *cmd = g_strdup_printf ("xdotool key --clearmodifiers --delay 60 %s", keys);
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_command_line_sync (cmd, NULL, NULL, &status, &error))
    return FALSE;
  seg_test_iterate_ms (400);
  return status == 0;
}

static void
type_text (const char *text)
{
  g_autofree char *quoted = g_shell_quote (text);
  g_autofree char *cmd = g_strdup_printf ("xdotool type --delay 30 %s", quoted);

  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  seg_test_iterate_ms (400);
}

static void
describe_focus (GtkWidget *window)
{
  GtkWidget *w = gtk_root_get_focus (GTK_ROOT (window));
  g_autoptr(GString) s = g_string_new (NULL);
  for (; w != NULL; w = gtk_widget_get_parent (w))
    g_string_append_printf (s, "%s(%s) < ", G_OBJECT_TYPE_NAME (w), gtk_widget_get_tooltip_text (w) ?: "");
  g_test_message ("focus: %s", s->str);
}

static void
test_keyboard_only (Fixture       *f,
                    gconstpointer  data)
{
  SegWizard *wizard = SEG_WIZARD (f->wizard);
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");
  g_autoptr(SegSegment) stored = NULL;
  const SegRule *rule;

  if (xdotool == NULL || g_getenv ("DISPLAY") == NULL)
    {
      g_test_skip ("needs xdotool and an X display");
      return;
    }
  g_assert_true (g_spawn_command_line_sync ("xdotool search --sync --name '^Keyboard Test$' windowfocus --sync",
                                            NULL, NULL, NULL, NULL));
  seg_test_iterate_ms (300);
  gtk_widget_grab_focus (seg_segment_list_page_get_column_view (SEG_SEGMENT_LIST_PAGE (f->page)));

  /* Ctrl+N opens the wizard on the type tiles; Return picks the focused "Action". */
  g_assert_true (press ("ctrl+n"));
  g_assert_true (gtk_stack_get_visible_child (GTK_STACK (f->stack)) == f->wizard);
  g_assert_cmpstr (seg_wizard_get_step (wizard), ==, "type");
  g_assert_true (press ("Return"));
  g_assert_cmpstr (seg_wizard_get_step (wizard), ==, "rules");
  g_assert_cmpstr (seg_wizard_get_type_id (wizard), ==, "action");

  /* Focus starts on the event picker: Space opens it, typing searches, Return picks. */
  describe_focus (f->window);
  g_assert_true (press ("space"));
  type_text ("Charg");
  g_assert_true (press ("Return"));
  seg_wizard_refresh (wizard);
  g_assert_nonnull (seg_wizard_get_definition (wizard));

  /* Ctrl+Return to the last step, type the name, Return saves. */
  g_assert_true (press ("ctrl+Return"));
  g_assert_cmpstr (seg_wizard_get_step (wizard), ==, "save");
  type_text ("Keyboard buyers");
  g_assert_true (press ("Return"));
  seg_test_data_iterate_until (saved_once, f, 20000);
  g_assert_nonnull (f->saved);

  stored = find_segment (f->ts->store, "Keyboard buyers");
  g_assert_nonnull (stored);
  rule = g_ptr_array_index (seg_definition_get_match (seg_segment_get_definition (stored))->children, 0);
  g_assert_cmpint (rule->kind, ==, SEG_RULE_DID);
  g_assert_cmpstr (rule->events[0], ==, "Charged");
  g_assert_cmpint (rule->when.type, ==, SEG_WINDOW_LAST);
  g_assert_cmpint (rule->when.n, ==, 30);

  /* Back in the list, the new row is selected: Delete removes it, Ctrl+Z brings it back. */
  g_assert_true (gtk_stack_get_visible_child (GTK_STACK (f->stack)) == f->page);
  seg_segment_list_page_set_search (SEG_SEGMENT_LIST_PAGE (f->page), "keyboard");
  gtk_selection_model_select_item (seg_segment_list_page_get_selection (SEG_SEGMENT_LIST_PAGE (f->page)), 0, TRUE);
  gtk_widget_grab_focus (seg_segment_list_page_get_column_view (SEG_SEGMENT_LIST_PAGE (f->page)));
  g_assert_true (press ("Delete"));
  g_assert_cmpuint (seg_segment_list_page_get_n_visible (SEG_SEGMENT_LIST_PAGE (f->page)), ==, 0);
  g_assert_true (press ("ctrl+z"));
  g_assert_cmpuint (seg_segment_list_page_get_n_visible (SEG_SEGMENT_LIST_PAGE (f->page)), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* GTK 4.8 warns "unexpected blinking selection" when entries blink under Xvfb. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, "gtk-cursor-blink", FALSE, NULL);

  g_test_add ("/Wizard/cart-abandoners", Fixture, NULL, fixture_setup, test_cart_abandoners, fixture_teardown);
  g_test_add ("/Wizard/inline-errors", Fixture, NULL, fixture_setup, test_inline_errors, fixture_teardown);
  g_test_add ("/Wizard/include-cycle", Fixture, NULL, fixture_setup, test_include_cycle, fixture_teardown);
  g_test_add ("/Wizard/stale-estimates", Fixture, NULL, fixture_setup, test_stale_estimates, fixture_teardown);
  g_test_add ("/Wizard/custom-list", Fixture, NULL, fixture_setup, test_custom_list, fixture_teardown);
  g_test_add ("/Wizard/live-kinds", Fixture, NULL, fixture_setup, test_live_kinds, fixture_teardown);
  g_test_add ("/Wizard/narrow", Fixture, NULL, fixture_setup, test_narrow, fixture_teardown);
  g_test_add ("/Wizard/keyboard-only", Fixture, "Keyboard Test", fixture_setup, test_keyboard_only, fixture_teardown);
  return g_test_run ();
}
