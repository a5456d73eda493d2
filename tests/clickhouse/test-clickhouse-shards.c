/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ch-test-util.h"
#include "clickhouse/seg-clickhouse-schema.h"
#include "clickhouse/seg-clickhouse-writer.h"
#include "seg-record.h"
#include "seg-store.h"

/*
 * Two ClickHouse servers as the two shards of a cluster: the same generated data written
 * through the Distributed tables and into a single server must give the same answers.
 */

#define NOW_MS   1717200000000   /* 2024-06-01 00:00 UTC */
#define DAY_MS   86400000

static const char *event_names[] = { "App Launched", "Added To Cart", "Charged", "Viewed" };
static const char *cities[] = { "New York", "Paris", "Tokyo", "Zürich" };

static void
generate (SegStoreWriter *writer)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240601);
  g_autoptr(GError) error = NULL;

  for (guint u = 0; u < 2000; u++)
    {
      g_autofree char *user = g_strdup_printf ("user-%04u", u);
      const char *city = cities[g_rand_int_range (rand, 0, G_N_ELEMENTS (cities))];
      SegPropValue profile[] = {
        { .key = "city", .type = SEG_VALUE_TYPE_STRING, .str = city, .str_len = strlen (city) },
        { .key = "test_user", .type = SEG_VALUE_TYPE_BOOLEAN, .num = u % 50 == 0 },
      };
      SegRecord p = { .kind = SEG_RECORD_PROFILE, .user_id = user, .ts_ms = NOW_MS - DAY_MS,
                      .n_props = 2, .props = profile };
      guint n = g_rand_int_range (rand, 0, 25);

      g_assert_true (seg_store_writer_add (writer, &p, &error));
      for (guint i = 0; i < n; i++)
        {
          /* Multiples of 0.25 sum exactly in any order. */
          SegPropValue props[] = {
            { .key = "amount", .type = SEG_VALUE_TYPE_NUMBER, .num = g_rand_int_range (rand, 0, 800) * 0.25 },
          };
          SegRecord e = {
            .kind = SEG_RECORD_EVENT, .user_id = user,
            .event = event_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (event_names))],
            .ts_ms = NOW_MS - g_rand_int_range (rand, 0, 90 * 24) * (gint64) 3600000,
            .n_props = 1, .props = props,
          };

          g_assert_true (seg_store_writer_add (writer, &e, &error));
        }
    }
  g_assert_no_error (error);
}

static const char *queries[] = {
  "SELECT count() AS n FROM events",
  "SELECT event, count() AS c, uniqExact(user_id) AS u, "
  "sum(prop_num[indexOf(prop_keys, 'amount')]) AS s FROM events GROUP BY event ORDER BY event",
  /* Q1: did Charged in the last 30 days. */
  "SELECT count() AS n FROM (SELECT user_id FROM events WHERE event = 'Charged' "
  "AND ts_ms > 1717200000000 - 30 * 86400000 GROUP BY user_id)",
  /* Q3: Charged at least 3 times; the members, in order. */
  "SELECT user_id FROM events WHERE event = 'Charged' GROUP BY user_id "
  "HAVING count() >= 3 ORDER BY user_id",
  /* Q2: Added To Cart and never Charged. */
  "SELECT count() AS n FROM (SELECT DISTINCT user_id FROM events WHERE event = 'Added To Cart') "
  "WHERE user_id NOT IN (SELECT user_id FROM events WHERE event = 'Charged')",
  /* An IN over the events inside a query over the events (distributed_product_mode). */
  "SELECT uniqExact(user_id) AS n FROM events WHERE event = 'App Launched' "
  "AND user_id IN (SELECT user_id FROM events WHERE event = 'Charged' "
  "AND prop_num[indexOf(prop_keys, 'amount')] > 150)",
  /* Q4: sum(amount) > 100 over 90 days. */
  "SELECT count() AS n FROM (SELECT user_id, sum(prop_num[indexOf(prop_keys, 'amount')]) AS s "
  "FROM events WHERE event = 'Charged' GROUP BY user_id HAVING s > 100)",
  /* User property: the newest city. */
  "SELECT v AS city, count() AS n FROM (SELECT user_id, argMax(str, updated_ms) AS v "
  "FROM profile_props WHERE key = 'city' GROUP BY user_id) GROUP BY v ORDER BY v",
  /* Q8: users per day who did Charged. */
  "SELECT intDiv(ts_ms, 86400000) AS day, uniqExact(user_id) AS n FROM events "
  "WHERE event = 'Charged' GROUP BY day ORDER BY day",
};

static GPtrArray *
answer (SegClickhouseClient *client,
        const char          *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = seg_clickhouse_client_query (client, sql, NULL, NULL, NULL, NULL, &error);
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (node, g_ptr_array_index (rows, i));
      g_ptr_array_add (lines, json_to_string (node, FALSE));
    }
  return lines;
}

static gint64
count (SegClickhouseClient *client,
       const char          *sql)
{
  g_autofree char *text = ch_test_scalar (client, sql);

  return g_ascii_strtoll (text, NULL, 10);
}

static void
write_all (SegClickhouseClient *client,
           gboolean             distributed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SegStoreWriter) writer = seg_clickhouse_writer_new (client, distributed, NULL, &error);

  g_assert_no_error (error);
  generate (writer);
  g_assert_true (seg_store_writer_commit (writer, NULL, &error));
  g_assert_no_error (error);
}

static void
test_two_shards (void)
{
  g_autoptr(SegClickhouseClient) single = NULL;
  g_autoptr(SegClickhouseClient) shard1 = NULL;
  g_autoptr(SegClickhouseClient) shard2 = NULL;
  g_autoptr(GError) error = NULL;
  gint64 total, on1, on2;

  if (ch_test_skip_unless_server (ch_test_url ()) || ch_test_skip_unless_server (ch_test_url2 ()))
    return;

  single = ch_test_new_database (ch_test_url (), "seg_test_single");
  g_assert_true (seg_clickhouse_schema_ensure (single, NULL, NULL, &error));
  g_assert_no_error (error);

  /* The cluster database: shard tables on both servers, Distributed tables on the first. */
  shard1 = ch_test_new_database (ch_test_url (), "seg_test_dist");
  shard2 = seg_clickhouse_client_new (ch_test_url2 (), NULL, NULL,
                                      seg_clickhouse_client_get_database (shard1));
  g_assert_true (seg_clickhouse_schema_create_shard (shard1, NULL, &error));
  g_assert_true (seg_clickhouse_schema_create_shard (shard2, NULL, &error));
  g_assert_true (seg_clickhouse_schema_ensure (shard1, ch_test_cluster (), NULL, &error));
  g_assert_no_error (error);
  /* Users live on one shard each, so IN subqueries may run shard by shard. */
  seg_clickhouse_client_set_setting (shard1, "distributed_product_mode", "local");

  write_all (single, FALSE);
  write_all (shard1, TRUE);

  /* Both shards hold part of the events, and together all of them. */
  total = count (single, "SELECT count() FROM events");
  on1 = count (shard1, "SELECT count() FROM events_local");
  on2 = count (shard2, "SELECT count() FROM events_local");
  g_test_message ("%" G_GINT64_FORMAT " events: %" G_GINT64_FORMAT " on shard 1, %"
                  G_GINT64_FORMAT " on shard 2", total, on1, on2);
  g_assert_cmpint (total, >, 10000);
  g_assert_cmpint (on1, >, total / 4);
  g_assert_cmpint (on2, >, total / 4);
  g_assert_cmpint (on1 + on2, ==, total);
  /* Sharded by user: no user has events on both shards. */
  {
    g_autoptr(GPtrArray) users1 = answer (shard1, "SELECT DISTINCT user_id FROM events_local");
    g_autoptr(GPtrArray) users2 = answer (shard2, "SELECT DISTINCT user_id FROM events_local");
    g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < users1->len; i++)
      g_hash_table_add (seen, g_ptr_array_index (users1, i));
    for (guint i = 0; i < users2->len; i++)
      g_assert_false (g_hash_table_contains (seen, g_ptr_array_index (users2, i)));
  }

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr(GPtrArray) a = answer (single, queries[i]);
      g_autoptr(GPtrArray) b = answer (shard1, queries[i]);

      g_test_message ("%s → %u rows, first %s", queries[i], a->len,
                      a->len ? (char *) g_ptr_array_index (a, 0) : "-");
      g_assert_cmpuint (a->len, >, 0);
      g_assert_cmpuint (a->len, ==, b->len);
      for (guint r = 0; r < a->len; r++)
        g_assert_cmpstr (g_ptr_array_index (a, r), ==, g_ptr_array_index (b, r));
    }

  ch_test_drop_database (shard2);
  ch_test_drop_database (shard1);
  ch_test_drop_database (single);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/clickhouse/shards/distributed-equals-single", test_two_shards);

  return g_test_run ();
}
