/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ch-test-util.h"
#include "clickhouse/seg-clickhouse-compiler.h"
#include "clickhouse/seg-clickhouse-schema.h"
#include "clickhouse/seg-clickhouse-writer.h"
#include "seg-definition.h"
#include "seg-record.h"
#include "seg-segment.h"
#include "seg-store.h"
#include "seg-time.h"

/*
 * The definition compiler: compiled SQL runs on the real server over a small hand-made
 * store, and gives the users worked out by hand from docs/segment-format.md. Hostile
 * values (quotes, backslashes, NUL, unicode, a megabyte) in event names, property names
 * and values select exactly what they name.
 */

#define NOW 1719748800000  /* 2024-06-30T12:00:00Z */

/* The user the hostile strings belong to. */
#define ERIN "o'brien\\\"; DROP TABLE events; --"

static SegClickhouseClient *client;
static char *megabyte_name;
static GHashTable *saved;   /* id -> SegDefinition */

static gint64
ms (const char *iso)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000;
}

typedef struct
{
  const char   *key;
  SegValueType  type;
  const char   *str;
  gsize         len;     /* 0: strlen (str) */
  double        num;
} Prop;

static void
add (SegStoreWriter *writer,
     SegRecordKind   kind,
     const char     *user,
     const char     *event,
     const char     *when,
     const Prop     *props,
     guint           n_props)
{
  g_autoptr(GError) error = NULL;
  SegPropValue values[16];
  SegRecord record = { .kind = kind, .user_id = user, .event = event, .ts_ms = ms (when),
                       .n_props = n_props, .props = values };

  g_assert_cmpuint (n_props, <=, G_N_ELEMENTS (values));
  for (guint i = 0; i < n_props; i++)
    {
      values[i].key = props[i].key;
      values[i].type = props[i].type;
      values[i].str = props[i].str;
      values[i].str_len = props[i].str ? (props[i].len ? props[i].len : strlen (props[i].str)) : 0;
      values[i].num = props[i].num;
    }
  g_assert_true (seg_store_writer_add (writer, &record, &error));
  g_assert_no_error (error);
}

#define EVENT(w, user, event, when, ...) \
  G_STMT_START { \
    const Prop p_[] = { { NULL, 0, NULL, 0, 0 }, __VA_ARGS__ }; \
    add (w, SEG_RECORD_EVENT, user, event, when, p_ + 1, G_N_ELEMENTS (p_) - 1); \
  } G_STMT_END
#define PROFILE(w, user, when, ...) \
  G_STMT_START { \
    const Prop p_[] = { { NULL, 0, NULL, 0, 0 }, __VA_ARGS__ }; \
    add (w, SEG_RECORD_PROFILE, user, NULL, when, p_ + 1, G_N_ELEMENTS (p_) - 1); \
  } G_STMT_END
#define NUM(k, v)   { k, SEG_VALUE_TYPE_NUMBER, NULL, 0, v }
#define BOOL(k, v)  { k, SEG_VALUE_TYPE_BOOLEAN, NULL, 0, v }
#define DATE(k, v)  { k, SEG_VALUE_TYPE_DATE, NULL, 0, (double) ms (v) }
#define STR(k, v)   { k, SEG_VALUE_TYPE_STRING, v, 0, 0 }
#define LIST(k, v, n) { k, SEG_VALUE_TYPE_LIST, v, n, 0 }

static void
fill_store (void)
{
  g_autoptr(SegStoreWriter) w = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mb_value = g_strnfill (1024 * 1024, 'v');

  w = seg_clickhouse_writer_new (client, FALSE, NULL, &error);
  g_assert_no_error (error);

  EVENT (w, "alice", "Charged", "2024-06-29T10:00:00Z",
         NUM ("amount", 120), NUM ("items", 2), STR ("category", "Shoes"));
  EVENT (w, "alice", "Charged", "2024-06-01T00:00:00Z",
         NUM ("amount", 5), STR ("category", "Books"));
  EVENT (w, "alice", "Added To Cart", "2024-06-29T09:55:00Z", STR ("product", "P1"));
  EVENT (w, "alice", "App Launched", "2024-06-30T08:00:00Z", STR ("path", "C:\\"));
  PROFILE (w, "alice", "2024-01-01T00:00:00Z",
           STR ("city", "New York"), NUM ("latitude", 40.73), NUM ("longitude", -73.99),
           STR ("email", "alice@example.com"), BOOL ("email_optin", 1), BOOL ("test_user", 1),
           LIST ("tags", "vip\0beta", 9), NUM ("age", 31));
  PROFILE (w, "alice", "2024-01-01T00:00:00Z", DATE ("signup_date", "2024-06-25T00:00:00Z"));

  EVENT (w, "bob", "Added To Cart", "2024-06-28T10:00:00Z", STR ("product", "P2"));
  EVENT (w, "bob", "Charged", "2024-06-28T10:30:00Z",
         NUM ("amount", 15), STR ("category", "Shoes & Bags"));
  EVENT (w, "bob", "Page Visited", "2024-06-20T12:00:00Z", STR ("url", "/promo/summer"),
         LIST ("labels", "x\0y", 4));
  PROFILE (w, "bob", "2024-01-01T00:00:00Z",
           STR ("city", "Paris"), NUM ("latitude", 48.85), NUM ("longitude", 2.35),
           STR ("email", "bob@example.com"), STR ("email_optin", "false"), STR ("phone", "+33 1"),
           STR ("whatsapp_optin", "yes"), LIST ("tags", "beta", 5), NUM ("age", 45),
           DATE ("renewal", "2024-07-02T09:00:00Z"));

  PROFILE (w, "carol", "2024-01-01T00:00:00Z",
           STR ("city", "Tokyo"), STR ("email", ""), STR ("push_token", "tok"),
           BOOL ("test_user", 0));

  EVENT (w, "dave", "App Launched", "2024-06-30T00:00:00Z");
  EVENT (w, "dave", "Charged", "2024-05-01T12:00:00Z", NUM ("amount", 50));
  EVENT (w, "dave", "Charged", "2024-06-30T10:00:00Z", STR ("category", "Books"));
  EVENT (w, "dave", "Added To Cart", "2024-06-30T09:58:00Z", STR ("product", "P1"));
  EVENT (w, "dave", "Charged", "2024-07-01T10:00:00Z", NUM ("amount", 1000));
  PROFILE (w, "dave", "2024-01-01T00:00:00Z", STR ("city", "New York"), STR ("phone", "555"));
  PROFILE (w, "dave", "2024-02-01T00:00:00Z", STR ("city", "Boston"));

  EVENT (w, ERIN, "Ch'arged\\", "2024-06-29T11:00:00Z",
         { "note", SEG_VALUE_TYPE_STRING, "a\0b", 3, 0 }, STR ("drink", "Café ☕ 日本"),
         STR ("mb", mb_value));
  EVENT (w, ERIN, megabyte_name, "2024-06-29T12:00:00Z");
  PROFILE (w, ERIN, "2024-01-01T00:00:00Z", STR ("city", "Zürich"));

  g_assert_true (seg_store_writer_commit (w, NULL, &error));
  g_assert_no_error (error);
}

static gboolean
resolve_cb (const char      *id,
            SegSegmentKind  *kind,
            SegDefinition  **definition,
            gpointer         user_data)
{
  SegDefinition *def;

  if (g_str_equal (id, SEG_SEGMENT_ID_ALL_USERS) || g_str_equal (id, SEG_SEGMENT_ID_TEST_USERS))
    {
      *kind = SEG_SEGMENT_KIND_SYSTEM;
      *definition = NULL;
      return TRUE;
    }
  def = g_hash_table_lookup (saved, id);
  if (def == NULL)
    return FALSE;
  *kind = seg_definition_get_kind (def);
  *definition = seg_definition_ref (def);
  return TRUE;
}

static int
cmp_str (gconstpointer a,
         gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

/* The members of @sql, sorted, joined with "|". */
static char *
run_members (const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GString) out = g_string_new (NULL);

  rows = seg_clickhouse_client_query (client, sql, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (ids, (gpointer) json_object_get_string_member (g_ptr_array_index (rows, i),
                                                                    "user_id"));
  g_ptr_array_sort (ids, cmp_str);
  for (guint i = 0; i < ids->len; i++)
    {
      /* No duplicates: every set is one row per user. */
      if (i > 0)
        g_assert_cmpstr (g_ptr_array_index (ids, i - 1), !=, g_ptr_array_index (ids, i));
      g_string_append_printf (out, "%s%s", i > 0 ? "|" : "", (const char *) g_ptr_array_index (ids, i));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
compile (const char  *json,
         const char  *tz_id,
         GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SegDefinition) def = seg_definition_new_from_json (json, -1, &local_error);
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (tz_id);
  SegClickhouseCompileParams params = { tz, NOW, resolve_cb, NULL };

  g_assert_no_error (local_error);
  return seg_clickhouse_compile_members (&params, def, error);
}

static void
check (const char *json,
       const char *tz_id,
       const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = compile (json, tz_id, &error);
  g_autofree char *members = NULL;

  g_assert_no_error (error);
  members = run_members (sql);
  if (g_strcmp0 (members, expected) != 0)
    g_printerr ("definition %s\nSQL %s\n", json, sql);
  g_assert_cmpstr (members, ==, expected);

  /* The form for counting has the same users (some maybe more than once). */
  {
    g_autoptr(SegDefinition) def = seg_definition_new_from_json (json, -1, NULL);
    g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (tz_id);
    SegClickhouseCompileParams params = { tz, NOW, resolve_cb, NULL };
    gboolean distinct = FALSE;
    g_autofree char *rows = seg_clickhouse_compile_member_rows (&params, def, &distinct, &error);
    g_autofree char *deduped = NULL;
    g_autofree char *rows_members = NULL;

    g_assert_no_error (error);
    deduped = g_strdup_printf ("SELECT DISTINCT user_id FROM (%s)", rows);
    rows_members = run_members (deduped);
    if (g_strcmp0 (rows_members, expected) != 0)
      g_printerr ("definition %s\nrows SQL %s\n", json, rows);
    g_assert_cmpstr (rows_members, ==, expected);
  }
}

#define ALL "alice|bob|carol|dave|" ERIN

static const struct
{
  const char *json;
  const char *expected;
} cases[] = {
  /* did, windows, filters of every kind of value */
  { "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"}}}", "alice|bob|dave" },
  { "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":29,\"unit\":\"days\"}}}", "alice|bob|dave" },
  { "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":2,\"unit\":\"days\"}}}", "alice|dave" },
  { "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":2,\"unit\":\"hours\"}}}", "" },
  { "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":3,\"unit\":\"hours\"}}}", "dave" },
  { "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":1,\"unit\":\"months\"}}}", "alice|bob|dave" },
  { "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":1,\"unit\":\"weeks\"}}}", "alice|bob|dave" },
  { "{\"match\":{\"did\":\"Charged\",\"where\":[{\"property\":\"amount\",\"op\":\"gt\",\"value\":100}]}}", "alice" },
  { "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"today\"}}}", "dave" },
  { "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"yesterday\"}}}", "alice" },
  { "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"days_ago\",\"n\":2}}}", "bob" },
  { "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"between_days_ago\",\"from\":30,\"to\":29}}}", "alice" },
  { "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"between_days_ago\",\"from\":60,\"to\":31}}}", "dave" },
  { "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"between_days_ago\",\"from\":29,\"to\":29}}}", "alice" },
  { "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"between\",\"from\":\"2024-05-01\",\"to\":\"2024-06-01\"}}}", "alice|dave" },
  { "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"before\",\"date\":\"2024-06-01\"}}}", "dave" },
  { "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"after\",\"date\":\"2024-06-28\"}}}", "alice|dave" },
  { "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"on\",\"date\":\"2024-06-28\"}}}", "bob" },
  { "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"since\",\"date\":\"2024-06-29\"}}}", "alice|dave" },
  { "{\"match\":{\"did\":\"Charged\",\"where\":[{\"property\":\"category\",\"op\":\"equals\",\"value\":[\"Books\",\"Toys\"]}]}}", "alice|dave" },
  { "{\"match\":{\"did\":\"Charged\",\"where\":[{\"property\":\"category\",\"op\":\"not_equals\",\"value\":\"Books\"}]}}", "alice|bob" },
  { "{\"match\":{\"did\":\"Charged\",\"where\":[{\"property\":\"category\",\"op\":\"contains\",\"value\":\"&\"}]}}", "bob" },
  { "{\"match\":{\"did\":\"Charged\",\"where\":[{\"property\":\"category\",\"op\":\"not_contains\",\"value\":\"o\"}]}}", "" },
  { "{\"match\":{\"did\":\"Charged\",\"where\":[{\"property\":\"category\",\"op\":\"starts_with\",\"value\":\"Sh\"}]}}", "alice|bob" },
  { "{\"match\":{\"did\":\"Charged\",\"where\":[{\"property\":\"category\",\"op\":\"ends_with\",\"value\":\"ks\"}]}}", "alice|dave" },
  { "{\"match\":{\"did\":\"Charged\",\"where\":[{\"property\":\"category\",\"op\":\"matches\",\"value\":\"^S.*s$\"}]}}", "alice|bob" },
  { "{\"match\":{\"did\":\"Charged\",\"where\":[{\"property\":\"amount\",\"op\":\"not_exists\"}]}}", "dave" },
  { "{\"match\":{\"did\":\"Charged\",\"where\":[{\"property\":\"items\",\"op\":\"exists\"}]}}", "alice" },
  { "{\"match\":{\"did\":\"Charged\",\"where\":[{\"property\":\"amount\",\"op\":\"between\",\"value\":[5,15]}]}}", "alice|bob" },
  { "{\"match\":{\"did\":\"Charged\",\"where\":[{\"property\":\"amount\",\"op\":\"not_between\",\"value\":[5,100]}]}}", "alice" },
  { "{\"match\":{\"did\":\"Charged\",\"where\":[{\"property\":\"amount\",\"op\":\"ne\",\"value\":120},{\"property\":\"amount\",\"op\":\"le\",\"value\":50}]}}", "alice|bob|dave" },
  { "{\"match\":{\"did\":\"App Launched\",\"where\":[{\"property\":\"path\",\"op\":\"equals\",\"value\":\"C:\\\\\"}]}}", "alice" },
  { "{\"match\":{\"did\":\"Page Visited\",\"where\":[{\"property\":\"labels\",\"op\":\"set_is\",\"value\":[\"y\",\"x\"]}]}}", "bob" },
  { "{\"match\":{\"did\":\"Page Visited\",\"where\":[{\"property\":\"labels\",\"op\":\"set_is\",\"value\":[\"y\"]}]}}", "" },
  { "{\"match\":{\"did\":\"Page Visited\",\"where\":[{\"property\":\"labels\",\"op\":\"list_contains\",\"value\":\"y\"}]}}", "bob" },
  { "{\"match\":{\"did\":\"Page Visited\",\"where\":[{\"property\":\"labels\",\"op\":\"list_not_contains\",\"value\":\"x\"}]}}", "" },
  /* did_not, did_any, groups */
  { "{\"match\":{\"all\":[{\"did\":\"App Launched\"},{\"did_not\":\"Charged\",\"when\":{\"type\":\"today\"}}]}}", "alice" },
  { "{\"match\":{\"did_any\":[\"Page Visited\",\"Added To Cart\"],\"when\":{\"type\":\"last\",\"n\":2,\"unit\":\"days\"}}}", "alice|dave" },
  { "{\"match\":{\"did_any\":[\"Page Visited\",\"Added To Cart\"],\"where\":[{\"property\":\"url\",\"op\":\"starts_with\",\"value\":\"/promo/\"}]}}", "bob" },
  { "{\"match\":{\"any\":[{\"user\":{\"property\":\"city\",\"op\":\"equals\",\"value\":\"Paris\"}},{\"did\":\"App Launched\",\"when\":{\"type\":\"today\"}}]}}", "alice|bob|dave" },
  { "{\"match\":{\"any\":[{\"all\":[{\"did\":\"App Launched\"},{\"did_not\":\"Charged\",\"when\":{\"type\":\"today\"}}]},{\"user\":{\"property\":\"city\",\"op\":\"equals\",\"value\":\"Tokyo\"}}]}}", "alice|carol" },
  { "{\"match\":{\"any\":[{\"user\":{\"property\":\"email\",\"op\":\"not_exists\"}},{\"user\":{\"property\":\"city\",\"op\":\"equals\",\"value\":\"Paris\"}}]}}", "bob|dave|" ERIN },
  { "{\"match\":{\"all\":[{\"user\":{\"property\":\"email\",\"op\":\"not_exists\"}},{\"user\":{\"property\":\"phone\",\"op\":\"not_exists\"}}]}}", ERIN },
  /* occurrence */
  { "{\"match\":{\"did\":\"Charged\",\"occurrence\":\"first\",\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"}}}", "alice|bob" },
  { "{\"match\":{\"did\":\"Charged\",\"occurrence\":\"last\",\"when\":{\"type\":\"before\",\"date\":\"2024-06-29\"}}}", "bob" },
  { "{\"match\":{\"did\":\"Charged\",\"occurrence\":\"last\",\"where\":[{\"property\":\"amount\",\"op\":\"exists\"}],\"when\":{\"type\":\"before\",\"date\":\"2024-06-02\"}}}", "dave" },
  /* aggregates */
  { "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"},\"aggregate\":{\"fn\":\"count\",\"op\":\"ge\",\"value\":2}}}", "alice" },
  { "{\"match\":{\"did\":\"Charged\",\"aggregate\":{\"fn\":\"sum\",\"property\":\"amount\",\"op\":\"gt\",\"value\":100}}}", "alice" },
  { "{\"match\":{\"did\":\"Charged\",\"aggregate\":{\"fn\":\"avg\",\"property\":\"amount\",\"op\":\"lt\",\"value\":20,\"include_non_doers\":true}}}", "bob|carol|" ERIN },
  { "{\"match\":{\"did\":\"Charged\",\"aggregate\":{\"fn\":\"avg\",\"property\":\"amount\",\"op\":\"ge\",\"value\":50,\"include_non_doers\":true}}}", "alice|dave" },
  { "{\"match\":{\"did\":\"Charged\",\"aggregate\":{\"fn\":\"min\",\"property\":\"amount\",\"op\":\"le\",\"value\":5}}}", "alice" },
  { "{\"match\":{\"did\":\"Charged\",\"aggregate\":{\"fn\":\"max\",\"property\":\"amount\",\"op\":\"between\",\"value\":[50,200]}}}", "alice|dave" },
  { "{\"match\":{\"did\":\"Charged\",\"aggregate\":{\"fn\":\"distinct\",\"property\":\"category\",\"op\":\"eq\",\"value\":2}}}", "alice" },
  { "{\"match\":{\"did\":\"Charged\",\"aggregate\":{\"fn\":\"avg\",\"property\":\"rating\",\"op\":\"lt\",\"value\":1,\"include_non_doers\":true}}}", ALL },
  { "{\"match\":{\"did\":\"Rated\",\"aggregate\":{\"fn\":\"count\",\"op\":\"not_between\",\"value\":[1,5],\"include_non_doers\":true}}}", ALL },
  /* user properties */
  { "{\"match\":{\"user\":{\"property\":\"city\",\"op\":\"equals\",\"value\":[\"New York\",\"Boston\"]}}}", "alice|dave" },
  { "{\"match\":{\"user\":{\"property\":\"city\",\"op\":\"not_equals\",\"value\":\"Paris\"}}}", "alice|carol|dave|" ERIN },
  { "{\"match\":{\"user\":{\"property\":\"city\",\"op\":\"contains\",\"value\":\"ü\"}}}", ERIN },
  { "{\"match\":{\"user\":{\"property\":\"city\",\"op\":\"ends_with\",\"value\":\"o\"}}}", "carol" },
  { "{\"match\":{\"user\":{\"property\":\"city\",\"op\":\"matches\",\"value\":\"^[A-Z][a-z]+$\"}}}", "bob|carol|dave" },
  { "{\"match\":{\"user\":{\"property\":\"email\",\"op\":\"is_empty\"}}}", "carol" },
  { "{\"match\":{\"user\":{\"property\":\"email\",\"op\":\"exists\"}}}", "alice|bob|carol" },
  { "{\"match\":{\"all\":[{\"did\":\"Charged\"},{\"user\":{\"property\":\"email\",\"op\":\"not_exists\"}}]}}", "dave" },
  { "{\"match\":{\"user\":{\"property\":\"tags\",\"op\":\"list_contains\",\"value\":\"beta\"}}}", "alice|bob" },
  { "{\"match\":{\"user\":{\"property\":\"tags\",\"op\":\"list_not_contains\",\"value\":\"vip\"}}}", "bob" },
  { "{\"match\":{\"user\":{\"property\":\"tags\",\"op\":\"set_is\",\"value\":[\"beta\",\"vip\"]}}}", "alice" },
  { "{\"match\":{\"user\":{\"property\":\"tags\",\"op\":\"list_contains\",\"value\":\"bet\"}}}", "" },
  { "{\"match\":{\"user\":{\"property\":\"age\",\"op\":\"between\",\"value\":[30,40]}}}", "alice" },
  { "{\"match\":{\"user\":{\"property\":\"test_user\",\"op\":\"is_true\"}}}", "alice" },
  { "{\"match\":{\"user\":{\"property\":\"test_user\",\"op\":\"is_false\"}}}", "carol" },
  { "{\"match\":{\"user\":{\"property\":\"signup_date\",\"op\":\"on\",\"value\":\"2024-06-25\"}}}", "alice" },
  { "{\"match\":{\"user\":{\"property\":\"signup_date\",\"op\":\"in_last\",\"value\":6,\"unit\":\"days\"}}}", "alice" },
  { "{\"match\":{\"user\":{\"property\":\"signup_date\",\"op\":\"in_last\",\"value\":5,\"unit\":\"days\"}}}", "" },
  { "{\"match\":{\"user\":{\"property\":\"signup_date\",\"op\":\"more_than_days_ago\",\"value\":4}}}", "alice" },
  { "{\"match\":{\"user\":{\"property\":\"signup_date\",\"op\":\"more_than_days_ago\",\"value\":5}}}", "" },
  { "{\"match\":{\"user\":{\"property\":\"renewal\",\"op\":\"days_from_today\",\"value\":2}}}", "bob" },
  { "{\"match\":{\"user\":{\"property\":\"renewal\",\"op\":\"days_from_today\",\"value\":1}}}", "" },
  { "{\"match\":{\"user\":{\"property\":\"signup_date\",\"op\":\"date_between\",\"value\":[\"2024-06-01\",\"2024-06-25\"]}}}", "alice" },
  { "{\"match\":{\"user\":{\"property\":\"signup_date\",\"op\":\"before\",\"value\":\"2024-06-25\"}}}", "" },
  { "{\"match\":{\"user\":{\"property\":\"signup_date\",\"op\":\"after\",\"value\":\"2024-06-24\"}}}", "alice" },
  /* near, reachable */
  { "{\"match\":{\"near\":{\"lat\":40.7128,\"lon\":-74.006,\"km\":10}}}", "alice" },
  { "{\"match\":{\"near\":{\"lat\":40.7128,\"lon\":-74.006,\"km\":6000}}}", "alice|bob" },
  { "{\"match\":{\"reachable\":\"email\"}}", "alice" },
  { "{\"match\":{\"reachable\":\"push\"}}", "carol" },
  { "{\"match\":{\"reachable\":\"sms\"}}", "bob|dave" },
  { "{\"match\":{\"reachable\":\"whatsapp\"}}", "bob" },
  { "{\"match\":{\"reachable\":\"in-app\"}}", "alice|bob|dave|" ERIN },
  /* sequences */
  /* "did Added To Cart" is implied by the sequence beside it (and left out of the SQL) */
  { "{\"match\":{\"all\":[{\"did\":\"Added To Cart\",\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"}},{\"sequence\":{\"first\":{\"event\":\"Added To Cart\"},\"then\":{\"event\":\"Charged\"},\"within\":{\"n\":10,\"unit\":\"minutes\"},\"negate\":true},\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"}}]}}", "bob" },
  { "{\"match\":{\"all\":[{\"did\":\"Added To Cart\"},{\"sequence\":{\"first\":{\"event\":\"Added To Cart\"},\"then\":{\"event\":\"Charged\"},\"within\":{\"n\":10,\"unit\":\"minutes\"}},\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"}}]}}", "alice|dave" },
  { "{\"match\":{\"sequence\":{\"first\":{\"event\":\"Added To Cart\"},\"then\":{\"event\":\"Charged\"},\"within\":{\"n\":10,\"unit\":\"minutes\"}},\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"}}}", "alice|dave" },
  { "{\"match\":{\"sequence\":{\"first\":{\"event\":\"Added To Cart\"},\"then\":{\"event\":\"Charged\"},\"within\":{\"n\":10,\"unit\":\"minutes\"},\"negate\":true},\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"}}}", "bob" },
  { "{\"match\":{\"sequence\":{\"first\":{\"event\":\"Added To Cart\",\"where\":[{\"property\":\"product\",\"op\":\"equals\",\"value\":\"P2\"}]},\"then\":{\"event\":\"Charged\"},\"within\":{\"n\":1,\"unit\":\"hours\"}}}}", "bob" },
  { "{\"match\":{\"sequence\":{\"first\":{\"event\":\"Added To Cart\"},\"then\":{\"event\":\"Charged\",\"where\":[{\"property\":\"amount\",\"op\":\"exists\"}]},\"within\":{\"n\":1,\"unit\":\"hours\"}}}}", "alice|bob" },
  { "{\"match\":{\"sequence\":{\"first\":{\"event\":\"Added To Cart\"},\"then\":{\"event\":\"Refunded\"},\"within\":{\"n\":1,\"unit\":\"days\"},\"negate\":true}}}", "alice|bob" },
  /* custom lists, saved segments */
  { "{\"kind\":\"custom-list\",\"users\":[\"alice\",\"nobody\",\"carol\"]}", "alice|carol" },
  { "{\"include\":[\"all-users\"],\"exclude\":[\"test-users\"]}", "bob|carol|dave|" ERIN },
  { "{\"include\":[\"test-users\"]}", "alice" },
  { "{\"match\":{\"user\":{\"property\":\"city\",\"op\":\"exists\"}},\"exclude\":[\"seg-buyers\"]}", "carol|" ERIN },
  { "{\"match\":{\"did\":\"App Launched\"},\"include\":[\"seg-buyers\"],\"exclude\":[\"seg-nested\"]}", "dave" },
  /* hostile strings select exactly what they name */
  { "{\"match\":{\"did\":\"Ch'arged\\\\\"}}", ERIN },
  { "{\"match\":{\"did\":\"x' OR 1=1 OR event = '\"}}", "" },
  { "{\"match\":{\"did\":\"Charged' OR '1'='1\"}}", "" },
  { "{\"match\":{\"did\":\"\\\\' OR 1=1 --\"}}", "" },
  { "{\"match\":{\"did\":\"*/ OR 1 /*\"}}", "" },
  { "{\"match\":{\"all\":[{\"reachable\":\"in-app\"},{\"did_not\":\"Charged\\\\\"}]}}", "alice|bob|dave|" ERIN },
  { "{\"match\":{\"user\":{\"property\":\"city\",\"op\":\"equals\",\"value\":\"Zürich\"}}}", ERIN },
  { "{\"match\":{\"user\":{\"property\":\"city\",\"op\":\"equals\",\"value\":\"Zu\\u0308rich\"}}}", "" },
  { "{\"match\":{\"user\":{\"property\":\"city') OR 1 OR ('\",\"op\":\"exists\"}}}", "" },
  { "{\"match\":{\"did\":\"Ch'arged\\\\\",\"where\":[{\"property\":\"note\",\"op\":\"contains\",\"value\":\"b\"}]}}", ERIN },
  { "{\"match\":{\"did\":\"Ch'arged\\\\\",\"where\":[{\"property\":\"note\",\"op\":\"equals\",\"value\":\"a\"}]}}", "" },
  { "{\"match\":{\"did\":\"Ch'arged\\\\\",\"where\":[{\"property\":\"note\",\"op\":\"starts_with\",\"value\":\"a\"}]}}", ERIN },
  { "{\"match\":{\"did\":\"Ch'arged\\\\\",\"where\":[{\"property\":\"drink\",\"op\":\"equals\",\"value\":\"Café ☕ 日本\"}]}}", ERIN },
  { "{\"match\":{\"did\":\"Ch'arged\\\\\",\"where\":[{\"property\":\"amount') > 0 OR (1\",\"op\":\"exists\"}]}}", "" },
};

static void
test_cases (void)
{
  if (client == NULL)
    {
      ch_test_skip_unless_server (ch_test_url ());
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u: %s", i, cases[i].json);
      check (cases[i].json, "UTC", cases[i].expected);
    }

  /* The implied "did" costs no scan of its own: one read of events, the sequence's. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *sql = compile ("{\"match\":{\"all\":[{\"did\":\"Added To Cart\"},{\"sequence\":"
                                    "{\"first\":{\"event\":\"Added To Cart\"},\"then\":{\"event\":\"Charged\"},"
                                    "\"within\":{\"n\":10,\"unit\":\"minutes\"}},\"when\":{\"type\":\"last\","
                                    "\"n\":30,\"unit\":\"days\"}}]}}", "UTC", &error);
    g_auto(GStrv) scans = NULL;

    g_assert_no_error (error);
    scans = g_strsplit (sql, "FROM events", -1);
    g_assert_cmpuint (g_strv_length (scans), ==, 2);
  }
}

/* Calendar windows are the store's: midnight in New York is 04:00 UTC in June. */
static void
test_timezone (void)
{
  if (client == NULL)
    {
      ch_test_skip_unless_server (ch_test_url ());
      return;
    }
  check ("{\"match\":{\"did\":\"App Launched\",\"when\":{\"type\":\"today\"}}}", "UTC", "alice|dave");
  check ("{\"match\":{\"did\":\"App Launched\",\"when\":{\"type\":\"today\"}}}", "America/New_York", "alice");
  check ("{\"match\":{\"did\":\"App Launched\",\"when\":{\"type\":\"yesterday\"}}}", "America/New_York", "dave");
  check ("{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"on\",\"date\":\"2024-06-01\"}}}", "America/New_York", "");
  check ("{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"on\",\"date\":\"2024-05-31\"}}}", "America/New_York", "alice");
  check ("{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"on\",\"date\":\"2024-05-31\"}}}", "Asia/Tokyo", "");
}

static void
test_megabyte (void)
{
  g_autofree char *json = NULL;
  g_autofree char *other = NULL;
  g_autofree char *mb_value = g_strnfill (1024 * 1024, 'v');
  g_autofree char *json_value = NULL;

  if (client == NULL)
    {
      ch_test_skip_unless_server (ch_test_url ());
      return;
    }

  /* A megabyte of event name: the statement is longer than the server's default
   * max_query_size, and still means exactly that name. */
  json = g_strdup_printf ("{\"match\":{\"did\":\"%s\"}}", megabyte_name);
  check (json, "UTC", ERIN);
  other = g_strdup (megabyte_name);
  other[strlen (other) - 1] = '\'';
  g_free (json);
  json = g_strdup_printf ("{\"match\":{\"did\":\"%s\"}}", other);
  check (json, "UTC", "");

  json_value = g_strdup_printf ("{\"match\":{\"did\":\"Ch'arged\\\\\",\"where\":[{\"property\":\"mb\","
                                "\"op\":\"equals\",\"value\":\"%s\"}]}}", mb_value);
  check (json_value, "UTC", ERIN);
  json_value[strlen (json_value) - 10] = 'w';
  check (json_value, "UTC", "");
}

static void
test_cycle (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  if (client == NULL)
    {
      ch_test_skip_unless_server (ch_test_url ());
      return;
    }
  sql = compile ("{\"match\":{\"did\":\"Charged\"},\"include\":[\"seg-loop-a\"]}", "UTC", &error);
  g_assert_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_INVALID);
  g_assert_null (sql);
  g_clear_error (&error);
  sql = compile ("{\"match\":{\"did\":\"Charged\"},\"exclude\":[\"seg-missing\"]}", "UTC", &error);
  g_assert_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_NOT_FOUND);
}

static void
test_daily_trend (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  SegClickhouseCompileParams params = { tz, NOW, resolve_cb, NULL };
  g_autoptr(SegDefinition) daily = seg_definition_new_from_json (
    "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"today\"}}}", -1, NULL);
  g_autoptr(SegDefinition) filtered = seg_definition_new_from_json (
    "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"today\"},"
    "\"where\":[{\"property\":\"amount\",\"op\":\"exists\"}]}}", -1, NULL);
  g_autoptr(SegDefinition) other = seg_definition_new_from_json (
    "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":2,\"unit\":\"days\"}}}", -1, NULL);
  g_autoptr(GError) error = NULL;
  guint32 d0 = seg_time_day_of (tz, ms ("2024-06-27T12:00:00Z"));
  gint64 bounds[5];
  g_autofree char *sql = NULL;
  g_autofree char *sql2 = NULL;
  g_autofree char *none = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GString) got = g_string_new (NULL);

  if (client == NULL)
    {
      ch_test_skip_unless_server (ch_test_url ());
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (bounds); i++)
    bounds[i] = seg_time_midnight (tz, d0 + i);

  /* 06-27: nobody; 06-28: bob; 06-29: alice; 06-30: dave (the 07-01 one is after now). */
  sql = seg_clickhouse_compile_daily_trend (&params, daily, bounds, 4, &error);
  g_assert_no_error (error);
  rows = seg_clickhouse_client_query (client, sql, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    g_string_append_printf (got, "%" G_GINT64_FORMAT ":%s ",
                            json_object_get_int_member (g_ptr_array_index (rows, i), "day"),
                            json_object_get_string_member (g_ptr_array_index (rows, i), "n"));
  g_assert_cmpstr (got->str, ==, "1:1 2:1 3:1 ");

  g_clear_pointer (&rows, g_ptr_array_unref);
  g_string_truncate (got, 0);
  sql2 = seg_clickhouse_compile_daily_trend (&params, filtered, bounds, 4, &error);
  g_assert_no_error (error);
  rows = seg_clickhouse_client_query (client, sql2, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    g_string_append_printf (got, "%" G_GINT64_FORMAT ":%s ",
                            json_object_get_int_member (g_ptr_array_index (rows, i), "day"),
                            json_object_get_string_member (g_ptr_array_index (rows, i), "n"));
  g_assert_cmpstr (got->str, ==, "1:1 2:1 ");

  /* A window longer than the day needs a query per day. */
  none = seg_clickhouse_compile_daily_trend (&params, other, bounds, 4, &error);
  g_assert_no_error (error);
  g_assert_null (none);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  megabyte_name = g_strnfill (1024 * 1024, 'E');
  saved = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                 (GDestroyNotify) seg_definition_unref);
  g_hash_table_insert (saved, "seg-buyers", seg_definition_new_from_json (
    "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":30,\"unit\":\"days\"}}}", -1, NULL));
  g_hash_table_insert (saved, "seg-nested", seg_definition_new_from_json (
    "{\"match\":{\"user\":{\"property\":\"email\",\"op\":\"exists\"}},\"include\":[\"seg-buyers\"]}", -1, NULL));
  g_hash_table_insert (saved, "seg-loop-a", seg_definition_new_from_json (
    "{\"match\":{\"did\":\"Charged\"},\"include\":[\"seg-loop-b\"]}", -1, NULL));
  g_hash_table_insert (saved, "seg-loop-b", seg_definition_new_from_json (
    "{\"match\":{\"did\":\"Charged\"},\"exclude\":[\"seg-loop-a\"]}", -1, NULL));

  if (ch_test_server_answers (ch_test_url ()))
    {
      client = ch_test_new_database (ch_test_url (), "seg_test_compiler");
      seg_clickhouse_schema_ensure (client, NULL, NULL, &error);
      g_assert_no_error (error);
      fill_store ();
    }

  g_test_add_func ("/clickhouse/compiler/cases", test_cases);
  g_test_add_func ("/clickhouse/compiler/timezone", test_timezone);
  g_test_add_func ("/clickhouse/compiler/megabyte", test_megabyte);
  g_test_add_func ("/clickhouse/compiler/cycle", test_cycle);
  g_test_add_func ("/clickhouse/compiler/daily-trend", test_daily_trend);

  status = g_test_run ();

  if (client != NULL)
    {
      ch_test_drop_database (client);
      g_clear_object (&client);
    }
  g_hash_table_unref (saved);
  g_free (megabyte_name);
  return status;
}
