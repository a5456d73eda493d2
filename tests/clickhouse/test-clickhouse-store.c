/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ch-test-util.h"
#include "clickhouse/seg-clickhouse-store.h"
#include "clickhouse/seg-clickhouse-live-sink.h"
#include "seg-eval-result.h"
#include "seg-event-info.h"
#include "seg-property-info.h"
#include "seg-record.h"
#include "seg-segment.h"
#include "seg-store-writer.h"
#include "seg-store.h"
#include "seg-trend.h"
#include "seg-user-profile.h"

/* SegClickhouseStore as the application uses it, against the real server: opening,
 * saved segments shared through the database, the catalogue, one user's profile,
 * evaluation options, data-changed, cancellation. */

#define NOW 1719748800000  /* 2024-06-30T12:00:00Z */
#define DAY (86400 * 1000)

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
changed_cb (SegStore *store,
            guint    *n)
{
  (*n)++;
}

/* 30 users u00..u29: everyone launched the app, even ones bought (amount = 10 * i),
 * profiles with a city, a signup date and (for u00) test_user. */
static void
fill (SegClickhouseStore *store)
{
  g_autoptr(SegStoreWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  guint changed = 0;
  gulong id = g_signal_connect (store, "data-changed", G_CALLBACK (changed_cb), &changed);

  writer = seg_store_begin_write (SEG_STORE (store), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *user = g_strdup_printf ("u%02u", i);
      SegPropValue amount = { .key = "amount", .type = SEG_VALUE_TYPE_NUMBER, .num = 10.0 * i };
      SegPropValue profile[] = {
        { .key = "city", .type = SEG_VALUE_TYPE_STRING, .str = i % 3 ? "Paris" : "Lyon", .str_len = 5 - (i % 3 == 0) },
        { .key = "signup_date", .type = SEG_VALUE_TYPE_DATE, .num = NOW - 10.0 * DAY },
        { .key = "score", .type = SEG_VALUE_TYPE_NUMBER, .num = i + 0.5 },
        { .key = "test_user", .type = SEG_VALUE_TYPE_BOOLEAN, .num = i == 0 },
        { .key = "tags", .type = SEG_VALUE_TYPE_LIST, .str = "a\0b", .str_len = 4 },
      };
      SegRecord launch = { .kind = SEG_RECORD_EVENT, .user_id = user, .event = "App Launched",
                           .ts_ms = NOW - (i % 5) * DAY };
      SegRecord charge = { .kind = SEG_RECORD_EVENT, .user_id = user, .event = "Charged",
                           .ts_ms = NOW - DAY - i * 60000, .n_props = 1, .props = &amount };
      SegRecord prof = { .kind = SEG_RECORD_PROFILE, .user_id = user, .ts_ms = NOW - DAY,
                         .n_props = G_N_ELEMENTS (profile), .props = profile };

      g_assert_true (seg_store_writer_add (writer, &launch, &error));
      if (i % 2 == 0)
        g_assert_true (seg_store_writer_add (writer, &charge, &error));
      g_assert_true (seg_store_writer_add (writer, &prof, &error));
      g_assert_no_error (error);
    }
  g_assert_true (seg_store_writer_commit (writer, NULL, &error));
  g_assert_no_error (error);

  /* Views hear about it on the main context. */
  while (changed == 0)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (store, id);
}

static SegClickhouseStore *
open_store (SegClickhouseClient *client,
            const char          *tz)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  SegClickhouseStore *store;

  seg_clickhouse_store_open_async (client, NULL, tz, NULL, result_cb, &res);
  store = seg_clickhouse_store_open_finish (wait_for (&res), &error);
  g_assert_no_error (error);
  seg_clickhouse_store_set_now (store, NOW);
  return store;
}

static SegSegment *
save (SegStore    *store,
      SegSegment  *seg,
      GError     **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  seg_store_save_segment_async (store, seg, NULL, result_cb, &res);
  return seg_store_save_segment_finish (store, wait_for (&res), error);
}

static SegSegment *
save_new (SegStore   *store,
          const char *name,
          const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SegDefinition) def = seg_definition_new_from_json (json, -1, &error);
  g_autoptr(SegSegment) seg = NULL;
  SegSegment *saved;

  g_assert_no_error (error);
  seg = seg_segment_new (NULL, name, def);
  saved = save (store, seg, &error);
  g_assert_no_error (error);
  return saved;
}

static SegEvalResult *
evaluate (SegStore             *store,
          const char           *json,
          const SegEvalOptions *opts,
          GCancellable         *cancellable,
          GError              **error)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(SegDefinition) def = seg_definition_new_from_json (json, -1, NULL);

  seg_store_evaluate_async (store, def, opts, cancellable, result_cb, &res);
  return seg_store_evaluate_finish (store, wait_for (&res), error);
}

static void
test_open_and_timezone (void)
{
  g_autoptr(SegClickhouseClient) client = NULL;
  g_autoptr(SegClickhouseStore) first = NULL;
  g_autoptr(SegClickhouseStore) again = NULL;
  g_autoptr(SegClickhouseStore) other = NULL;

  if (ch_test_skip_unless_server (ch_test_url ()))
    return;
  client = ch_test_new_database (ch_test_url (), "seg_test_store");

  /* An empty database gets the tables and the timezone of the new store. */
  first = open_store (client, "Europe/Berlin");
  g_assert_cmpstr (g_time_zone_get_identifier (seg_store_get_timezone (SEG_STORE (first))), ==,
                   "Europe/Berlin");
  g_assert_nonnull (strstr (seg_store_get_display_name (SEG_STORE (first)),
                            seg_clickhouse_client_get_database (client)));
  again = open_store (client, NULL);
  g_assert_cmpstr (g_time_zone_get_identifier (seg_store_get_timezone (SEG_STORE (again))), ==,
                   "Europe/Berlin");
  /* A timezone given to an existing store is for this session only. */
  other = open_store (client, "Asia/Tokyo");
  g_assert_cmpstr (g_time_zone_get_identifier (seg_store_get_timezone (SEG_STORE (other))), ==,
                   "Asia/Tokyo");
  g_clear_object (&again);
  again = open_store (client, NULL);
  g_assert_cmpstr (g_time_zone_get_identifier (seg_store_get_timezone (SEG_STORE (again))), ==,
                   "Europe/Berlin");

  ch_test_drop_database (client);
}

static GListModel *
list_segments (SegStore *store)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *list;

  seg_store_list_segments_async (store, NULL, result_cb, &res);
  list = seg_store_list_segments_finish (store, wait_for (&res), &error);
  g_assert_no_error (error);
  return list;
}

static void
test_segments (void)
{
  g_autoptr(SegClickhouseClient) client = NULL;
  g_autoptr(SegClickhouseStore) store = NULL;
  g_autoptr(SegClickhouseStore) teammate = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GListModel) their_list = NULL;
  g_autoptr(SegSegment) buyers = NULL;
  g_autoptr(SegSegment) renamed = NULL;
  g_autoptr(SegSegment) wrapper = NULL;
  g_autoptr(SegSegment) bad = NULL;
  g_autoptr(SegSegment) copy = NULL;
  g_autoptr(SegSegment) got = NULL;
  g_autoptr(SegSegment) system = NULL;
  g_autoptr(SegDefinition) bad_def = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SegEvalResult) result = NULL;
  SegEvalOptions opts = { 0, SEG_EVAL_COUNT, 0, 0, 0 };

  if (ch_test_skip_unless_server (ch_test_url ()))
    return;
  client = ch_test_new_database (ch_test_url (), "seg_test_store");
  store = open_store (client, "UTC");
  fill (store);

  list = list_segments (SEG_STORE (store));
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);

  buyers = save_new (SEG_STORE (store), "Buyers", "{\"match\":{\"did\":\"Charged\"}}");
  g_assert_nonnull (seg_segment_get_id (buyers));
  g_assert_cmpint (seg_segment_get_kind (buyers), ==, SEG_SEGMENT_KIND_PAST_BEHAVIOR);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 3);

  /* Evaluating a saved definition remembers its count on the listed segment. */
  result = evaluate (SEG_STORE (store), "{\"match\":{\"did\":\"Charged\"}}", &opts, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seg_eval_result_get_count (result), ==, 15);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpint (seg_segment_get_last_count (buyers), ==, 15);

  /* Saving again keeps the id and creation time. */
  seg_segment_set_name (buyers, "Paying users");
  renamed = save (SEG_STORE (store), buyers, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (seg_segment_get_id (renamed), ==, seg_segment_get_id (buyers));
  g_assert_cmpstr (seg_segment_get_name (renamed), ==, "Paying users");
  g_assert_cmpint (seg_segment_get_created (renamed), <=, seg_segment_get_updated (renamed));
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 3);

  /* Validation: names, operators that do not fit the server's types, unknown includes. */
  bad_def = seg_definition_new_from_json (
    "{\"match\":{\"did\":\"Charged\",\"where\":[{\"property\":\"amount\",\"op\":\"contains\",\"value\":\"1\"}]}}",
    -1, NULL);
  bad = seg_segment_new (NULL, "Bad", bad_def);
  g_assert_null (save (SEG_STORE (store), bad, &error));
  g_assert_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "amount"));
  g_clear_error (&error);
  seg_segment_set_name (bad, "");
  g_assert_null (save (SEG_STORE (store), bad, &error));
  g_assert_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_object (&bad);
  g_clear_pointer (&bad_def, seg_definition_unref);
  bad_def = seg_definition_new_from_json ("{\"include\":[\"no-such-segment\"]}", -1, NULL);
  bad = seg_segment_new (NULL, "Dangling", bad_def);
  g_assert_null (save (SEG_STORE (store), bad, &error));
  g_assert_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* System segments stay as they are. */
  seg_store_get_segment_async (SEG_STORE (store), "all-users", NULL, result_cb, &res);
  system = seg_store_get_segment_finish (SEG_STORE (store), wait_for (&res), &error);
  g_assert_no_error (error);
  g_assert_cmpint (seg_segment_get_kind (system), ==, SEG_SEGMENT_KIND_SYSTEM);
  g_clear_object (&res);
  seg_store_delete_segment_async (SEG_STORE (store), "all-users", NULL, result_cb, &res);
  g_assert_false (seg_store_delete_segment_finish (SEG_STORE (store), wait_for (&res), &error));
  g_assert_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_PROTECTED);
  g_clear_error (&error);
  g_clear_object (&res);

  /* A segment another one excludes cannot go. */
  {
    g_autofree char *json = g_strdup_printf ("{\"match\":{\"did\":\"App Launched\"},\"exclude\":[\"%s\"]}",
                                             seg_segment_get_id (buyers));
    wrapper = save_new (SEG_STORE (store), "Never paid", json);
  }
  seg_store_delete_segment_async (SEG_STORE (store), seg_segment_get_id (buyers), NULL, result_cb, &res);
  g_assert_false (seg_store_delete_segment_finish (SEG_STORE (store), wait_for (&res), &error));
  g_assert_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_IN_USE);
  g_clear_error (&error);
  g_clear_object (&res);

  /* A teammate on the same database sees the segments; their changes reach our list on
   * the next refresh. */
  teammate = open_store (client, NULL);
  their_list = list_segments (SEG_STORE (teammate));
  g_assert_cmpuint (g_list_model_get_n_items (their_list), ==, 4);
  seg_store_clone_segment_async (SEG_STORE (teammate), seg_segment_get_id (wrapper), NULL, NULL,
                                 result_cb, &res);
  copy = seg_store_clone_segment_finish (SEG_STORE (teammate), wait_for (&res), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (seg_segment_get_name (copy), ==, "Copy of Never paid");
  g_clear_object (&res);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 4);
  g_object_unref (list_segments (SEG_STORE (store)));
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 5);

  seg_store_get_segment_async (SEG_STORE (store), seg_segment_get_id (copy), NULL, result_cb, &res);
  got = seg_store_get_segment_finish (SEG_STORE (store), wait_for (&res), &error);
  g_assert_no_error (error);
  g_assert_true (seg_definition_equal (seg_segment_get_definition (got), seg_segment_get_definition (wrapper)));
  g_clear_object (&res);

  /* The included segment is evaluated as saved now: 15 launchers never paid. */
  g_clear_object (&result);
  {
    g_autofree char *json = g_strdup_printf ("{\"include\":[\"%s\"]}", seg_segment_get_id (copy));
    result = evaluate (SEG_STORE (store), json, &opts, NULL, &error);
  }
  g_assert_no_error (error);
  g_assert_cmpuint (seg_eval_result_get_count (result), ==, 15);

  seg_store_delete_segment_async (SEG_STORE (store), seg_segment_get_id (copy), NULL, result_cb, &res);
  g_assert_true (seg_store_delete_segment_finish (SEG_STORE (store), wait_for (&res), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 4);

  ch_test_drop_database (client);
}

static void
test_catalogue_and_user (void)
{
  g_autoptr(SegClickhouseClient) client = NULL;
  g_autoptr(SegClickhouseStore) store = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) events = NULL;
  g_autoptr(GListModel) props = NULL;
  g_autoptr(SegEventInfo) first = NULL;
  g_autoptr(SegPropertyInfo) city = NULL;
  g_autoptr(SegSegment) rich = NULL;
  g_autoptr(SegUserProfile) user = NULL;
  JsonObject *p;
  JsonArray *timeline;
  const char * const *segments;

  if (ch_test_skip_unless_server (ch_test_url ()))
    return;
  client = ch_test_new_database (ch_test_url (), "seg_test_store");
  store = open_store (client, "UTC");
  fill (store);

  seg_store_list_events_async (SEG_STORE (store), NULL, result_cb, &res);
  events = seg_store_list_events_finish (SEG_STORE (store), wait_for (&res), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (events), ==, 2);
  first = g_list_model_get_item (events, 0);
  g_assert_cmpstr (seg_event_info_get_name (first), ==, "App Launched");
  g_assert_cmpuint (seg_event_info_get_count (first), ==, 30);
  g_assert_cmpint (seg_event_info_get_last_ts (first), ==, NOW);
  g_clear_object (&res);

  seg_store_list_properties_async (SEG_STORE (store), NULL, NULL, result_cb, &res);
  props = seg_store_list_properties_finish (SEG_STORE (store), wait_for (&res), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (props); i++)
    {
      g_autoptr(SegPropertyInfo) info = g_list_model_get_item (props, i);
      if (g_str_equal (seg_property_info_get_name (info), "city"))
        city = g_object_ref (info);
    }
  g_assert_nonnull (city);
  g_assert_cmpint (seg_property_info_get_value_type (city), ==, SEG_VALUE_TYPE_STRING);
  g_assert_cmpstr (seg_property_info_get_top_values (city)[0], ==, "Paris");
  g_assert_cmpuint (seg_property_info_get_top_count (city, 0), ==, 20);
  g_clear_object (&res);

  rich = save_new (SEG_STORE (store), "Big spenders",
                   "{\"match\":{\"did\":\"Charged\",\"where\":[{\"property\":\"amount\",\"op\":\"ge\",\"value\":200}]}}");

  /* A user as the local store shows one: whole numbers as integers, dates as text,
   * timeline times in "ts", and the segments they are in. */
  seg_store_get_user_async (SEG_STORE (store), "u24", NULL, result_cb, &res);
  user = seg_store_get_user_finish (SEG_STORE (store), wait_for (&res), &error);
  g_assert_no_error (error);
  p = seg_user_profile_get_properties (user);
  g_assert_cmpstr (json_object_get_string_member (p, "city"), ==, "Lyon");
  g_assert_cmpfloat (json_object_get_double_member (p, "score"), ==, 24.5);
  g_assert_false (json_object_get_boolean_member (p, "test_user"));
  g_assert_cmpstr (json_object_get_string_member (p, "signup_date"), ==, "2024-06-20T12:00:00Z");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (p, "tags")), ==, 2);
  timeline = seg_user_profile_get_timeline (user);
  g_assert_cmpuint (json_array_get_length (timeline), ==, 2);
  /* Newest first: the purchase of yesterday, then the launch of four days ago. */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (timeline, 0), "event"), ==,
                   "Charged");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (timeline, 0), "ts"), ==,
                   NOW - DAY - 24 * 60000);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_array_get_object_element (timeline, 0), "properties"), "amount"), ==, 240);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (timeline, 1), "ts"), ==,
                   NOW - 4 * DAY);
  segments = seg_user_profile_get_segments (user);
  g_assert_true (g_strv_contains (segments, "all-users"));
  g_assert_false (g_strv_contains (segments, "test-users"));
  g_assert_true (g_strv_contains (segments, seg_segment_get_id (rich)));
  g_clear_object (&res);
  g_clear_object (&user);

  seg_store_get_user_async (SEG_STORE (store), "u00", NULL, result_cb, &res);
  user = seg_store_get_user_finish (SEG_STORE (store), wait_for (&res), &error);
  g_assert_no_error (error);
  segments = seg_user_profile_get_segments (user);
  g_assert_true (g_strv_contains (segments, "test-users"));
  g_assert_false (g_strv_contains (segments, seg_segment_get_id (rich)));
  g_clear_object (&res);
  g_clear_object (&user);

  seg_store_get_user_async (SEG_STORE (store), "nobody", NULL, result_cb, &res);
  g_assert_null (seg_store_get_user_finish (SEG_STORE (store), wait_for (&res), &error));
  g_assert_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_NOT_FOUND);

  /* Many users' profile fields at once (member exports), typed as get_user gives them,
   * in the order asked, with an empty object for a user nobody knows. */
  g_clear_error (&error);
  g_clear_object (&res);
  {
    const char *ids[] = { "u24", "nobody", "u00", "it's \\ \"odd\"", NULL };
    const char *fields[] = { "city", "score", "signup_date", "tags", "no such field", NULL };
    g_autoptr(GPtrArray) profiles = NULL;
    JsonObject *o;

    seg_store_get_profiles_async (SEG_STORE (store), ids, fields, NULL, result_cb, &res);
    profiles = seg_store_get_profiles_finish (SEG_STORE (store), wait_for (&res), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (profiles->len, ==, 4);
    o = g_ptr_array_index (profiles, 0);
    g_assert_cmpstr (json_object_get_string_member (o, "city"), ==, "Lyon");
    g_assert_cmpfloat (json_object_get_double_member (o, "score"), ==, 24.5);
    g_assert_cmpstr (json_object_get_string_member (o, "signup_date"), ==, "2024-06-20T12:00:00Z");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "tags")), ==, 2);
    g_assert_false (json_object_has_member (o, "no such field"));
    g_assert_cmpuint (json_object_get_size (g_ptr_array_index (profiles, 1)), ==, 0);
    g_assert_true (json_object_has_member (g_ptr_array_index (profiles, 2), "city"));
    g_assert_cmpuint (json_object_get_size (g_ptr_array_index (profiles, 3)), ==, 0);
    g_clear_object (&res);
  }

  ch_test_drop_database (client);
}

static void
test_evaluate_options (void)
{
  g_autoptr(SegClickhouseClient) client = NULL;
  g_autoptr(SegClickhouseStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SegEvalResult) all = NULL;
  g_autoptr(SegEvalResult) page = NULL;
  g_autoptr(SegEvalResult) sample = NULL;
  g_autoptr(SegEvalResult) again = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(SegTrend) tr = NULL;
  g_autoptr(SegDefinition) def = NULL;
  const char *json = "{\"match\":{\"did\":\"App Launched\",\"when\":{\"type\":\"last\",\"n\":3,\"unit\":\"days\"}}}";
  SegEvalOptions members = { 0, SEG_EVAL_MEMBERS, 0, 0, 100 };
  SegEvalOptions paged = { 0, SEG_EVAL_MEMBERS, 0, 5, 4 };
  SegEvalOptions sampled = { 0, SEG_EVAL_SAMPLE | SEG_EVAL_REACH, 4, 0, 0 };

  if (ch_test_skip_unless_server (ch_test_url ()))
    return;
  client = ch_test_new_database (ch_test_url (), "seg_test_store");
  store = open_store (client, "UTC");
  fill (store);

  /* Launched today, yesterday or the day before: i % 5 in 0..2, 18 users. */
  all = evaluate (SEG_STORE (store), json, &members, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seg_eval_result_get_count (all), ==, 18);
  g_assert_cmpuint (g_strv_length ((char **) seg_eval_result_get_members (all)), ==, 18);
  g_assert_cmpint (seg_eval_result_get_now (all), ==, NOW);

  /* Pages are slices of one stable order. */
  page = evaluate (SEG_STORE (store), json, &paged, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seg_eval_result_get_members_offset (page), ==, 5);
  g_assert_cmpuint (g_strv_length ((char **) seg_eval_result_get_members (page)), ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpstr (seg_eval_result_get_members (page)[i], ==, seg_eval_result_get_members (all)[5 + i]);

  /* The sample is spread over the members, the same every time. */
  sample = evaluate (SEG_STORE (store), json, &sampled, NULL, &error);
  g_assert_no_error (error);
  again = evaluate (SEG_STORE (store), json, &sampled, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length ((char **) seg_eval_result_get_sample (sample)), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_assert_cmpstr (seg_eval_result_get_sample (sample)[i], ==, seg_eval_result_get_sample (again)[i]);
      g_assert_true (g_strv_contains (seg_eval_result_get_members (all), seg_eval_result_get_sample (sample)[i]));
    }
  g_assert_cmpstr (seg_eval_result_get_sample (sample)[1], ==, seg_eval_result_get_members (all)[4]);
  g_assert_true (seg_eval_result_has_reach (sample));
  g_assert_cmpuint (seg_eval_result_get_reach (sample, SEG_CHANNEL_IN_APP), ==, 18);
  g_assert_cmpuint (seg_eval_result_get_reach (sample, SEG_CHANNEL_EMAIL), ==, 0);

  /* Each day's "launched in the last 3 days", as of that day's end. */
  def = seg_definition_new_from_json (json, -1, NULL);
  seg_store_trend_async (SEG_STORE (store), def, NOW - 5 * DAY, NOW, NULL, result_cb, &res);
  tr = seg_store_trend_finish (SEG_STORE (store), wait_for (&res), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seg_trend_get_n_days (tr), ==, 6);
  g_assert_cmpint (seg_trend_get_day (tr, 5), ==, NOW - 12 * 3600 * 1000);
  g_assert_cmpuint (seg_trend_get_count (tr, 0), ==, 0);
  g_assert_cmpuint (seg_trend_get_count (tr, 1), ==, 6);
  g_assert_cmpuint (seg_trend_get_count (tr, 2), ==, 12);
  g_assert_cmpuint (seg_trend_get_count (tr, 3), ==, 18);
  g_assert_cmpuint (seg_trend_get_count (tr, 5), ==, 18);
  g_clear_object (&res);

  /* A cancelled evaluation reports the cancellation and nothing else. */
  g_cancellable_cancel (cancellable);
  g_clear_object (&all);
  all = evaluate (SEG_STORE (store), json, &members, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (all);

  ch_test_drop_database (client);
}

/* A live segment's members, size, reach and trend are who qualified for it (the
 * memberships the live engine stored), not a question over past events — and a live
 * definition no saved segment has matches nobody. */
static void
test_live_segment (void)
{
  g_autoptr(SegClickhouseClient) client = NULL;
  g_autoptr(SegClickhouseStore) store = NULL;
  g_autoptr(SegClickhouseLiveSink) sink = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SegSegment) live = NULL;
  g_autoptr(SegEvalResult) r = NULL;
  g_autoptr(SegEvalResult) none = NULL;
  g_autoptr(SegEvalResult) incl = NULL;
  g_autoptr(SegTrend) tr = NULL;
  g_autoptr(SegDefinition) def = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autofree char *incl_json = NULL;
  const char *json = "{\"kind\":\"live\",\"trigger\":{\"type\":\"action\",\"event\":\"Charged\"}}";
  SegEvalOptions members = { 0, SEG_EVAL_MEMBERS | SEG_EVAL_REACH, 0, 0, 100 };
  SegLiveMembership m[4] = { { 0 } };

  if (ch_test_skip_unless_server (ch_test_url ()))
    return;
  client = ch_test_new_database (ch_test_url (), "seg_test_store_live");
  store = open_store (client, "UTC");
  fill (store);
  live = save_new (SEG_STORE (store), "Buying now", json);

  /* u03 qualified twice (two keys), u07 once yesterday, and a user the store has
   * no event or profile for. */
  m[0] = (SegLiveMembership) { seg_segment_get_id (live), "u03", NOW - 2 * 3600000, "k1" };
  m[1] = (SegLiveMembership) { seg_segment_get_id (live), "u03", NOW - 3600000, "k2" };
  m[2] = (SegLiveMembership) { seg_segment_get_id (live), "u07", NOW - DAY, "k1" };
  m[3] = (SegLiveMembership) { seg_segment_get_id (live), "ghost", NOW - 60000, "k1" };
  sink = seg_clickhouse_live_sink_new (client);
  g_assert_true (seg_live_sink_add (SEG_LIVE_SINK (sink), m, G_N_ELEMENTS (m), &error));
  g_assert_no_error (error);

  r = evaluate (SEG_STORE (store), json, &members, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seg_eval_result_get_count (r), ==, 3);
  g_assert_true (g_strv_contains (seg_eval_result_get_members (r), "u03"));
  g_assert_true (g_strv_contains (seg_eval_result_get_members (r), "ghost"));
  /* Reach per channel over those members: u03 and u07 are reachable in the app (as
   * every user of fill() is), the ghost the store knows nothing of is not. */
  g_assert_cmpuint (seg_eval_result_get_reach (r, SEG_CHANNEL_IN_APP), ==, 2);
  g_assert_cmpuint (seg_eval_result_get_reach (r, SEG_CHANNEL_EMAIL), ==, 0);

  /* Included by a past-behaviour segment. */
  incl_json = g_strdup_printf ("{\"include\":[\"%s\"]}", seg_segment_get_id (live));
  incl = evaluate (SEG_STORE (store), incl_json, &members, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seg_eval_result_get_count (incl), ==, 3);

  /* A live definition no saved segment has: nobody. */
  none = evaluate (SEG_STORE (store), "{\"kind\":\"live\",\"trigger\":{\"type\":\"action\",\"event\":\"Refund\"}}",
                   &members, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seg_eval_result_get_count (none), ==, 0);

  /* Qualified per day: yesterday u07, today u03 and ghost. */
  def = seg_definition_new_from_json (json, -1, NULL);
  seg_store_trend_async (SEG_STORE (store), def, NOW - 2 * DAY, NOW, NULL, result_cb, &res);
  tr = seg_store_trend_finish (SEG_STORE (store), wait_for (&res), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seg_trend_get_n_days (tr), ==, 3);
  g_assert_cmpuint (seg_trend_get_count (tr, 0), ==, 0);
  g_assert_cmpuint (seg_trend_get_count (tr, 1), ==, 1);
  g_assert_cmpuint (seg_trend_get_count (tr, 2), ==, 2);

  ch_test_drop_database (client);
}

static gboolean
collect_record_cb (const SegRecord  *record,
                   gpointer          user_data,
                   GError          **error)
{
  GPtrArray *out = user_data;
  GString *line = g_string_new (NULL);

  g_string_printf (line, "%" G_GINT64_FORMAT " %s %s", record->ts_ms, record->event, record->user_id);
  for (guint i = 0; i < record->n_props; i++)
    g_string_append_printf (line, " %s=%g", record->props[i].key, record->props[i].num);
  g_ptr_array_add (out, g_string_free (line, FALSE));
  if (out->len == 30)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "enough");
      return FALSE;
    }
  return TRUE;
}

/* The store's events read back in time order, for a replay: the range is [from, to), ties
 * in a stable order, properties kept; the reader can stop it. */
static void
test_read_events (void)
{
  g_autoptr(SegClickhouseClient) client = NULL;
  g_autoptr(SegClickhouseStore) store = NULL;
  g_autoptr(GPtrArray) got = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL, *last = NULL;

  if (ch_test_skip_unless_server (ch_test_url ()))
    return;
  client = ch_test_new_database (ch_test_url (), "seg_test_store_read");
  store = open_store (client, "UTC");
  fill (store);

  /* From an hour before yesterday's launches to now (excluded): 15 purchases (minutes
   * apart, the last at NOW - DAY) and yesterday's 6 launches, at NOW - DAY too. */
  g_assert_true (seg_store_read_events (SEG_STORE (store), NOW - DAY - 3600000, NOW,
                                        collect_record_cb, got, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (got->len, ==, 21);
  first = g_strdup_printf ("%" G_GINT64_FORMAT " Charged u28 amount=280", (gint64) (NOW - DAY - 28 * 60000));
  g_assert_cmpstr (g_ptr_array_index (got, 0), ==, first);
  /* At NOW - DAY: the launches (by event name, then user), then u00's purchase. */
  last = g_strdup_printf ("%" G_GINT64_FORMAT " Charged u00 amount=0", (gint64) (NOW - DAY));
  g_assert_cmpstr (g_ptr_array_index (got, 20), ==, last);
  g_assert_true (g_str_has_suffix (g_ptr_array_index (got, 14), "App Launched u01"));
  g_assert_true (g_str_has_suffix (g_ptr_array_index (got, 19), "App Launched u26"));

  /* The reader stops it with its own error (after 30 of the 45 events). */
  g_ptr_array_set_size (got, 0);
  g_assert_false (seg_store_read_events (SEG_STORE (store), 0, NOW + DAY, collect_record_cb, got, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "enough");
  g_assert_cmpuint (got->len, ==, 30);

  ch_test_drop_database (client);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/clickhouse/store/open-and-timezone", test_open_and_timezone);
  g_test_add_func ("/clickhouse/store/segments", test_segments);
  g_test_add_func ("/clickhouse/store/catalogue-and-user", test_catalogue_and_user);
  g_test_add_func ("/clickhouse/store/evaluate-options", test_evaluate_options);
  g_test_add_func ("/clickhouse/store/live-segment", test_live_segment);
  g_test_add_func ("/clickhouse/store/read-events", test_read_events);

  return g_test_run ();
}
