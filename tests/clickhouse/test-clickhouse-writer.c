/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ch-test-util.h"
#include "clickhouse/seg-clickhouse-schema.h"
#include "clickhouse/seg-clickhouse-writer.h"
#include "seg-record.h"
#include "seg-store.h"

/* Schema creation and all-or-nothing writes, against the real server. */

static SegClickhouseClient *
new_store_database (void)
{
  g_autoptr(SegClickhouseClient) client = NULL;
  g_autoptr(GError) error = NULL;

  if (ch_test_skip_unless_server (ch_test_url ()))
    return NULL;

  client = ch_test_new_database (ch_test_url (), "seg_test_writer");
  seg_clickhouse_schema_ensure (client, NULL, NULL, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&client);
}

static gint64
count (SegClickhouseClient *client,
       const char          *sql)
{
  g_autofree char *text = ch_test_scalar (client, sql);

  return g_ascii_strtoll (text, NULL, 10);
}

static void
add_event (SegStoreWriter *writer,
           const char     *user,
           const char     *event,
           gint64          ts_ms,
           const char     *insert_id,
           double          amount,
           const char     *city)
{
  g_autoptr(GError) error = NULL;
  SegPropValue props[2] = {
    { .key = "amount", .type = SEG_VALUE_TYPE_NUMBER, .num = amount },
    { .key = "city", .type = SEG_VALUE_TYPE_STRING, .str = city, .str_len = strlen (city) },
  };
  SegRecord record = {
    .kind = SEG_RECORD_EVENT, .user_id = user, .event = event, .ts_ms = ts_ms,
    .insert_id = insert_id, .n_props = 2, .props = props,
  };

  g_assert_true (seg_store_writer_add (writer, &record, &error));
  g_assert_no_error (error);
}

static SegStoreWriter *
new_writer (SegClickhouseClient *client)
{
  g_autoptr(GError) error = NULL;
  SegStoreWriter *writer = seg_clickhouse_writer_new (client, FALSE, NULL, &error);

  g_assert_no_error (error);
  return writer;
}

static void
test_schema (void)
{
  g_autoptr(SegClickhouseClient) client = new_store_database ();
  g_autoptr(GError) error = NULL;
  const char *tables[] = { "events", "profile_props", "segments", "memberships", "imports", "seg_meta",
                           "live_memberships" };

  if (client == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count() FROM system.tables WHERE "
                                              "database = currentDatabase() AND name = '%s'",
                                              tables[i]);
      g_assert_cmpint (count (client, sql), ==, 1);
    }
  g_assert_cmpint (seg_clickhouse_schema_get_version (client, NULL, &error), ==, 2);

  /* Ensuring again changes nothing. */
  g_assert_true (seg_clickhouse_schema_ensure (client, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (client, "SELECT count() FROM seg_meta FINAL"), ==, 1);

  /* A database of version 1 gets the live memberships table. */
  g_assert_true (seg_clickhouse_client_execute (client, "DROP TABLE live_memberships", NULL, NULL, &error));
  g_assert_true (seg_clickhouse_client_execute (client,
                                                "INSERT INTO seg_meta VALUES ('schema_version', '1', "
                                                "toInt64(now()) * 1000 + 50000)",
                                                NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (seg_clickhouse_schema_get_version (client, NULL, &error), ==, 1);
  g_assert_true (seg_clickhouse_schema_ensure (client, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (client, "SELECT count() FROM system.tables WHERE database = currentDatabase() "
                                  "AND name = 'live_memberships'"), ==, 1);

  /* A database of a newer version is refused, not damaged. */
  g_assert_true (seg_clickhouse_client_execute (client,
                                                "INSERT INTO seg_meta VALUES ('schema_version', '99', "
                                                "toInt64(now()) * 1000 + 100000)",
                                                NULL, NULL, &error));
  g_assert_false (seg_clickhouse_schema_ensure (client, NULL, NULL, &error));
  g_assert_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_VERSION);

  ch_test_drop_database (client);
}

static void
test_commit (void)
{
  g_autoptr(SegClickhouseClient) client = new_store_database ();
  g_autoptr(SegStoreWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *city = NULL;
  g_autofree char *amount = NULL;
  const char *tags = "vip\0beta\0";
  SegPropValue profile1[] = {
    { .key = "city", .type = SEG_VALUE_TYPE_STRING, .str = "Paris", .str_len = 5 },
    { .key = "email", .type = SEG_VALUE_TYPE_STRING, .str = "a@example.com", .str_len = 13 },
    { .key = "tags", .type = SEG_VALUE_TYPE_LIST, .str = tags, .str_len = 9 },
  };
  SegPropValue profile2[] = {
    { .key = "city", .type = SEG_VALUE_TYPE_STRING, .str = "New York", .str_len = 8 },
    { .key = "email", .type = SEG_VALUE_TYPE_NONE },
  };
  SegRecord p1 = { .kind = SEG_RECORD_PROFILE, .user_id = "u1", .ts_ms = 1000, .n_props = 3, .props = profile1 };
  SegRecord p2 = { .kind = SEG_RECORD_PROFILE, .user_id = "u1", .ts_ms = 2000, .n_props = 2, .props = profile2 };

  if (client == NULL)
    return;

  writer = new_writer (client);
  seg_clickhouse_writer_set_batch_rows (SEG_CLICKHOUSE_WRITER (writer), 100);
  for (guint i = 0; i < 1050; i++)
    {
      g_autofree char *user = g_strdup_printf ("u%u", i % 37);

      /* Three months of events: several partitions to attach. */
      add_event (writer, user, i % 3 ? "Charged" : "App Launched",
                 1700000000000 + (gint64) i * 8640000, NULL, i * 0.5, "Zürich \"quoted\"\n");
    }
  g_assert_true (seg_store_writer_add (writer, &p1, &error));
  g_assert_true (seg_store_writer_add (writer, &p2, &error));
  g_assert_no_error (error);

  /* Batches went in, but nothing is visible before commit. */
  g_assert_cmpint (count (client, "SELECT count() FROM events"), ==, 0);
  g_assert_cmpint (count (client, "SELECT count() FROM profile_props"), ==, 0);

  g_assert_true (seg_store_writer_commit (writer, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (client, "SELECT count() FROM events"), ==, 1050);
  g_assert_cmpint (count (client, "SELECT count() FROM events WHERE event = 'Charged'"), ==, 700);
  g_assert_cmpint (count (client, "SELECT uniqExact(toYYYYMM(toDateTime(intDiv(ts_ms, 1000)))) FROM events"),
                   >=, 3);

  /* Properties come back typed and byte for byte. */
  amount = ch_test_scalar (client, "SELECT toString(sum(prop_num[indexOf(prop_keys, 'amount')])) FROM events");
  g_assert_cmpfloat (g_ascii_strtod (amount, NULL), ==, 0.5 * 1049 * 1050 / 2);
  city = ch_test_scalar (client, "SELECT any(prop_str[indexOf(prop_keys, 'city')]) FROM events");
  g_assert_cmpstr (city, ==, "Zürich \"quoted\"\n");

  /* Profiles: the newest value per property; an update leaves other properties alone and
   * a null clears one. */
  g_assert_cmpint (count (client, "SELECT count() FROM (SELECT key, argMax(str, updated_ms) AS v, "
                                  "argMax(deleted, updated_ms) AS d FROM profile_props "
                                  "WHERE user_id = 'u1' GROUP BY key HAVING d = 0)"), ==, 2);
  g_assert_cmpint (count (client, "SELECT count() FROM profile_props WHERE user_id = 'u1' AND key = 'city' "
                                  "AND updated_ms = 2000 AND str = 'New York'"), ==, 1);
  g_assert_cmpint (count (client, "SELECT count() FROM profile_props WHERE user_id = 'u1' AND key = 'tags' "
                                  "AND has(splitByChar('\\0', str), 'beta')"), ==, 1);

  /* The staging tables are gone. */
  g_assert_cmpint (count (client, "SELECT count() FROM system.tables WHERE database = currentDatabase() "
                                  "AND name LIKE 'seg_staging%'"), ==, 0);

  g_assert_finalize_object (g_steal_pointer (&writer));
  ch_test_drop_database (client);
}

static void
test_abort (void)
{
  g_autoptr(SegClickhouseClient) client = new_store_database ();
  g_autoptr(SegStoreWriter) writer = NULL;
  g_autoptr(GError) error = NULL;

  if (client == NULL)
    return;

  writer = new_writer (client);
  seg_clickhouse_writer_set_batch_rows (SEG_CLICKHOUSE_WRITER (writer), 10);
  for (guint i = 0; i < 25; i++)
    add_event (writer, "u1", "Charged", 1700000000000 + i, NULL, 1, "x");
  seg_store_writer_abort (writer);
  g_assert_false (seg_store_writer_commit (writer, NULL, &error));
  g_assert_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_finalize_object (g_steal_pointer (&writer));

  /* Dropping the writer without commit is an abort too. */
  writer = new_writer (client);
  seg_clickhouse_writer_set_batch_rows (SEG_CLICKHOUSE_WRITER (writer), 10);
  for (guint i = 0; i < 25; i++)
    add_event (writer, "u1", "Charged", 1700000000000 + i, NULL, 1, "x");
  g_assert_finalize_object (g_steal_pointer (&writer));

  g_assert_cmpint (count (client, "SELECT count() FROM events"), ==, 0);
  g_assert_cmpint (count (client, "SELECT count() FROM system.tables WHERE database = currentDatabase() "
                                  "AND name LIKE 'seg_staging%'"), ==, 0);
  ch_test_drop_database (client);
}

static void
test_failed_commit_leaves_store (void)
{
  g_autoptr(SegClickhouseClient) client = new_store_database ();
  g_autoptr(SegStoreWriter) writer = NULL;
  g_autoptr(GError) error = NULL;

  if (client == NULL)
    return;

  writer = new_writer (client);
  seg_clickhouse_writer_set_batch_rows (SEG_CLICKHOUSE_WRITER (writer), 10);
  for (guint i = 0; i < 25; i++)
    add_event (writer, "u1", "Charged", 1700000000000 + i, NULL, 1, "x");

  /* The server loses the staged rows (as if another client dropped them). */
  {
    g_autoptr(GPtrArray) rows = seg_clickhouse_client_query (client,
                                                             "SELECT name FROM system.tables WHERE database = "
                                                             "currentDatabase() AND name LIKE 'seg_staging%events'",
                                                             NULL, NULL, NULL, NULL, &error);
    g_autofree char *sql = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (rows->len, ==, 1);
    sql = g_strdup_printf ("DROP TABLE `%s`",
                           json_object_get_string_member (g_ptr_array_index (rows, 0), "name"));
    g_assert_true (seg_clickhouse_client_execute (client, sql, NULL, NULL, &error));
  }

  g_assert_false (seg_store_writer_commit (writer, NULL, &error));
  g_assert_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_assert_cmpint (count (client, "SELECT count() FROM events"), ==, 0);
  g_assert_cmpint (count (client, "SELECT count() FROM system.tables WHERE database = currentDatabase() "
                                  "AND name LIKE 'seg_staging%'"), ==, 0);
  ch_test_drop_database (client);
}

static void
test_fingerprint_and_insert_ids (void)
{
  g_autoptr(SegClickhouseClient) client = new_store_database ();
  g_autoptr(SegStoreWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  gboolean already = TRUE;

  if (client == NULL)
    return;

  writer = new_writer (client);
  g_assert_true (seg_store_writer_begin_source (writer, "sha256:abc'\\", &already, &error));
  g_assert_no_error (error);
  g_assert_false (already);
  add_event (writer, "u1", "Charged", 1700000000000, "id-1", 10, "x");
  add_event (writer, "u1", "Charged", 1700000000001, "id-2", 20, "x");
  add_event (writer, "u1", "Charged", 1700000000002, "id-2", 20, "x");   /* twice in one import */
  add_event (writer, "u1", "Viewed", 1700000000003, "id-1", 0, "x");     /* other event name */
  add_event (writer, "u1", "Charged", 1700000000004, NULL, 5, "x");
  g_assert_true (seg_store_writer_commit (writer, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&writer);
  g_assert_cmpint (count (client, "SELECT count() FROM events"), ==, 4);

  /* The same source again: the store says so. */
  writer = new_writer (client);
  g_assert_true (seg_store_writer_begin_source (writer, "sha256:abc'\\", &already, &error));
  g_assert_true (already);
  seg_store_writer_abort (writer);
  g_clear_object (&writer);

  /* Another source overlapping by insert_id adds only what is new. */
  writer = new_writer (client);
  g_assert_true (seg_store_writer_begin_source (writer, "sha256:def", &already, &error));
  g_assert_false (already);
  add_event (writer, "u1", "Charged", 1700000000000, "id-1", 10, "x");
  add_event (writer, "u1", "Charged", 1700000000010, "id-3", 30, "x");
  g_assert_true (seg_store_writer_commit (writer, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (client, "SELECT count() FROM events"), ==, 5);
  g_assert_cmpint (count (client, "SELECT count() FROM events WHERE insert_id = 'id-1'"), ==, 2);
  g_assert_cmpint (count (client, "SELECT count() FROM imports"), ==, 2);
  g_clear_object (&writer);

  /* One write of two files (an events and a profiles file): both are remembered, and a
   * file declared twice in one write is the second time already imported. */
  writer = new_writer (client);
  g_assert_true (seg_store_writer_begin_source (writer, "sha256:events", &already, &error));
  g_assert_false (already);
  add_event (writer, "u2", "Charged", 1700000000020, NULL, 1, "y");
  g_assert_true (seg_store_writer_begin_source (writer, "sha256:profiles", &already, &error));
  g_assert_false (already);
  g_assert_true (seg_store_writer_begin_source (writer, "sha256:events", &already, &error));
  g_assert_true (already);
  g_assert_true (seg_store_writer_commit (writer, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&writer);
  for (guint i = 0; i < 2; i++)
    {
      writer = new_writer (client);
      g_assert_true (seg_store_writer_begin_source (writer, i ? "sha256:profiles" : "sha256:events",
                                                    &already, &error));
      g_assert_true (already);
      seg_store_writer_abort (writer);
      g_clear_object (&writer);
    }

  ch_test_drop_database (client);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/clickhouse/schema/create", test_schema);
  g_test_add_func ("/clickhouse/writer/commit", test_commit);
  g_test_add_func ("/clickhouse/writer/abort", test_abort);
  g_test_add_func ("/clickhouse/writer/failed-commit", test_failed_commit_leaves_store);
  g_test_add_func ("/clickhouse/writer/fingerprint-insert-id", test_fingerprint_and_insert_ids);

  return g_test_run ();
}
