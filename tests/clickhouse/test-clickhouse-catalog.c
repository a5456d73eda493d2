/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ch-test-util.h"
#include "clickhouse/seg-clickhouse-catalog.h"
#include "clickhouse/seg-clickhouse-schema.h"
#include "clickhouse/seg-clickhouse-writer.h"
#include "seg-record.h"
#include "seg-store.h"

/* Saved segments, the event and property catalogue and user profiles, on the real server. */

static SegClickhouseClient *
new_store_database (void)
{
  g_autoptr(SegClickhouseClient) client = NULL;
  g_autoptr(GError) error = NULL;

  if (ch_test_skip_unless_server (ch_test_url ()))
    return NULL;

  client = ch_test_new_database (ch_test_url (), "seg_test_catalog");
  g_assert_true (seg_clickhouse_schema_ensure (client, NULL, NULL, &error));
  g_assert_true (seg_clickhouse_catalog_ensure_system_segments (client, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&client);
}

static void
test_segments (void)
{
  g_autoptr(SegClickhouseClient) client = new_store_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) renamed = NULL;
  g_autoptr(JsonObject) clone = NULL;
  g_autofree char *def2 = NULL;
  const char *def1 = "{\"version\":1,\"kind\":\"past-behavior\",\"match\":{\"all\":[{\"did\":\"Charged\"}]}}";

  if (client == NULL)
    return;

  /* Twice changes nothing. */
  g_assert_true (seg_clickhouse_catalog_ensure_system_segments (client, NULL, &error));
  list = seg_clickhouse_catalog_list_segments (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (list, 0), "name"), ==, "All Users");
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (list, 1), "id"), ==, "test-users");
  g_clear_pointer (&list, g_ptr_array_unref);

  first = seg_clickhouse_catalog_save_segment (client, NULL, "Buyers — “quoted” 's", "", "past-behavior",
                                               def1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (first, "name"), ==, "Buyers — “quoted” 's");
  g_assert_cmpstr (json_object_get_string_member (first, "definition"), ==, def1);

  def2 = g_strdup_printf ("{\"version\":1,\"kind\":\"past-behavior\",\"match\":{\"all\":[]},"
                          "\"exclude\":[\"%s\"]}", json_object_get_string_member (first, "id"));
  second = seg_clickhouse_catalog_save_segment (client, NULL, "Not buyers", "d", "past-behavior",
                                                def2, NULL, &error);
  g_assert_no_error (error);

  /* Renaming keeps the id and creation time, and moves the update time on. */
  renamed = seg_clickhouse_catalog_save_segment (client, json_object_get_string_member (first, "id"),
                                                 "Buyers", "", "past-behavior", def1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (renamed, "name"), ==, "Buyers");
  g_assert_cmpint (json_object_get_int_member (renamed, "created_ms"), ==,
                   json_object_get_int_member (first, "created_ms"));
  g_assert_cmpint (json_object_get_int_member (renamed, "updated_ms"), >,
                   json_object_get_int_member (first, "updated_ms"));

  /* Protected and in-use segments stay. */
  g_assert_false (seg_clickhouse_catalog_delete_segment (client, "all-users", NULL, &error));
  g_assert_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_PROTECTED);
  g_clear_error (&error);
  g_assert_null (seg_clickhouse_catalog_save_segment (client, "test-users", "x", "", "past-behavior",
                                                      def1, NULL, &error));
  g_assert_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_PROTECTED);
  g_clear_error (&error);
  g_assert_false (seg_clickhouse_catalog_delete_segment (client, json_object_get_string_member (first, "id"),
                                                         NULL, &error));
  g_assert_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_IN_USE);
  g_assert_nonnull (strstr (error->message, "Not buyers"));
  g_clear_error (&error);

  clone = seg_clickhouse_catalog_clone_segment (client, json_object_get_string_member (second, "id"),
                                                NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (clone, "name"), ==, "Copy of Not buyers");
  g_assert_cmpstr (json_object_get_string_member (clone, "definition"), ==, def2);

  /* Delete the two that exclude the first, then the first. */
  g_assert_true (seg_clickhouse_catalog_delete_segment (client, json_object_get_string_member (clone, "id"), NULL, &error));
  g_assert_true (seg_clickhouse_catalog_delete_segment (client, json_object_get_string_member (second, "id"), NULL, &error));
  g_assert_true (seg_clickhouse_catalog_delete_segment (client, json_object_get_string_member (first, "id"), NULL, &error));
  g_assert_no_error (error);
  g_assert_null (seg_clickhouse_catalog_get_segment (client, json_object_get_string_member (first, "id"), NULL, &error));
  g_assert_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  list = seg_clickhouse_catalog_list_segments (client, NULL, &error);
  g_assert_cmpuint (list->len, ==, 2);

  ch_test_drop_database (client);
}

static void
test_events_properties_user (void)
{
  g_autoptr(SegClickhouseClient) client = new_store_database ();
  g_autoptr(SegStoreWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) props = NULL;
  g_autoptr(GPtrArray) user_props = NULL;
  g_autoptr(JsonObject) user = NULL;
  JsonArray *timeline, *tags, *top;
  JsonObject *newest;
  const char *tag_list = "vip\0beta\0";

  if (client == NULL)
    return;

  writer = seg_clickhouse_writer_new (client, FALSE, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 30; i++)
    {
      const char *city = i % 3 ? "Paris" : "Tokyo";
      SegPropValue p[] = {
        { .key = "amount", .type = SEG_VALUE_TYPE_NUMBER, .num = i % 2 ? 10 : 12.5 },
        { .key = "city", .type = SEG_VALUE_TYPE_STRING, .str = city, .str_len = strlen (city) },
        { .key = "tags", .type = SEG_VALUE_TYPE_LIST, .str = tag_list, .str_len = 9 },
      };
      SegRecord r = { .kind = SEG_RECORD_EVENT, .user_id = i < 20 ? "alice" : "bob",
                      .event = i < 25 ? "Charged" : "App Launched",
                      .ts_ms = 1717200000000 + i * 1000, .n_props = 3, .props = p };
      g_assert_true (seg_store_writer_add (writer, &r, &error));
    }
  {
    SegPropValue p[] = {
      { .key = "email", .type = SEG_VALUE_TYPE_STRING, .str = "alice@example.com", .str_len = 17 },
      { .key = "test_user", .type = SEG_VALUE_TYPE_BOOLEAN, .num = 1 },
      { .key = "interests", .type = SEG_VALUE_TYPE_LIST, .str = tag_list, .str_len = 9 },
    };
    SegRecord r = { .kind = SEG_RECORD_PROFILE, .user_id = "alice", .ts_ms = 1717200000000, .n_props = 3, .props = p };
    g_assert_true (seg_store_writer_add (writer, &r, &error));
  }
  g_assert_true (seg_store_writer_commit (writer, NULL, &error));
  g_assert_no_error (error);

  events = seg_clickhouse_catalog_list_events (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (events, 0), "name"), ==, "Charged");
  g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (events, 0), "n"), ==, 25);
  g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (events, 0), "first_ts"), ==, 1717200000000);
  g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (events, 1), "last_ts"), ==, 1717200029000);

  props = seg_clickhouse_catalog_list_properties (client, "Charged", 5, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (props->len, ==, 3);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (props, 0), "name"), ==, "amount");
  g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (props, 0), "type"), ==, SEG_VALUE_TYPE_NUMBER);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (props, 1), "name"), ==, "city");
  top = json_object_get_array_member (g_ptr_array_index (props, 1), "top");
  g_assert_cmpuint (json_array_get_length (top), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (json_array_get_array_element (top, 0), 0), ==, "Paris");
  g_assert_cmpint (json_array_get_int_element (json_array_get_array_element (top, 0), 1), ==, 16);
  g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (props, 2), "type"), ==, SEG_VALUE_TYPE_LIST);

  user_props = seg_clickhouse_catalog_list_properties (client, NULL, 5, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (user_props->len, ==, 3);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (user_props, 2), "name"), ==, "test_user");
  top = json_object_get_array_member (g_ptr_array_index (user_props, 2), "top");
  g_assert_cmpstr (json_array_get_string_element (json_array_get_array_element (top, 0), 0), ==, "true");

  user = seg_clickhouse_catalog_get_user (client, "alice", 5, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (user, "properties"), "email"),
                   ==, "alice@example.com");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (user, "properties"), "test_user"));
  tags = json_object_get_array_member (json_object_get_object_member (user, "properties"), "interests");
  g_assert_cmpuint (json_array_get_length (tags), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (tags, 1), ==, "beta");
  timeline = json_object_get_array_member (user, "timeline");
  g_assert_cmpuint (json_array_get_length (timeline), ==, 5);
  newest = json_array_get_object_element (timeline, 0);
  g_assert_cmpint (json_object_get_int_member (newest, "ts_ms"), ==, 1717200019000);
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (newest, "properties"), "amount"),
                     ==, 10);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_object_get_object_member (newest, "properties"),
                                                                         "tags")), ==, 2);

  g_assert_null (seg_clickhouse_catalog_get_user (client, "nobody", 5, NULL, &error));
  g_assert_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_NOT_FOUND);

  ch_test_drop_database (client);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/clickhouse/catalog/segments", test_segments);
  g_test_add_func ("/clickhouse/catalog/events-properties-user", test_events_properties_user);

  return g_test_run ();
}
