/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "ch-test-util.h"
#include "clickhouse/seg-clickhouse-schema.h"
#include "clickhouse/seg-clickhouse-writer.h"
#include "seg-record.h"

/*
 * Numbers for the report (not a test):
 *   - insert throughput of SegClickhouseWriter for N generated events (default 1M);
 *   - time to the first row through SegClickhouseClient against the time to the first
 *     byte of the same request through a bare SoupSession.
 *
 *   bench-clickhouse [N_EVENTS]     (server: SEG_CLICKHOUSE_URL, default :18123)
 */

static const char *event_names[] = { "App Launched", "Added To Cart", "Charged", "Viewed", "Searched" };

static double
insert_events (SegClickhouseClient *client,
               guint                n_events)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SegStoreWriter) writer = seg_clickhouse_writer_new (client, FALSE, NULL, &error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  gint64 start = g_get_monotonic_time ();
  char user[32], sku[32];

  g_assert_no_error (error);
  for (guint i = 0; i < n_events; i++)
    {
      SegPropValue props[] = {
        { .key = "amount", .type = SEG_VALUE_TYPE_NUMBER, .num = g_rand_int_range (rand, 0, 50000) / 100.0 },
        { .key = "sku", .type = SEG_VALUE_TYPE_STRING, .str = sku },
        { .key = "city", .type = SEG_VALUE_TYPE_STRING, .str = "New York", .str_len = 8 },
        { .key = "qty", .type = SEG_VALUE_TYPE_NUMBER, .num = g_rand_int_range (rand, 1, 5) },
        { .key = "coupon", .type = SEG_VALUE_TYPE_BOOLEAN, .num = i % 7 == 0 },
      };
      SegRecord record = {
        .kind = SEG_RECORD_EVENT, .user_id = user,
        .event = event_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (event_names))],
        .ts_ms = 1717200000000 - g_rand_int_range (rand, 0, 90 * 86400) * (gint64) 1000,
        .n_props = G_N_ELEMENTS (props), .props = props,
      };

      g_snprintf (user, sizeof user, "user-%u", g_rand_int_range (rand, 0, 100000));
      props[1].str_len = g_snprintf (sku, sizeof sku, "sku-%u", g_rand_int_range (rand, 0, 5000));
      g_assert_true (seg_store_writer_add (writer, &record, &error));
    }
  g_assert_true (seg_store_writer_commit (writer, NULL, &error));
  g_assert_no_error (error);

  return (g_get_monotonic_time () - start) / 1e6;
}

typedef struct
{
  GMainLoop *loop;
  gint64     start;
  gint64     first;
} Timing;

static gboolean
first_row_cb (JsonObject  *row,
              guint64      row_number,
              gpointer     user_data,
              GError     **error)
{
  Timing *t = user_data;

  if (t->first == 0)
    t->first = g_get_monotonic_time ();
  return TRUE;
}

static void
query_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Timing *t = user_data;
  g_autoptr(GError) error = NULL;

  seg_clickhouse_client_query_finish (SEG_CLICKHOUSE_CLIENT (object), result, NULL, &error);
  g_assert_no_error (error);
  g_main_loop_quit (t->loop);
}

static double
client_first_row_ms (SegClickhouseClient *client,
                     const char          *sql)
{
  Timing t = { g_main_loop_new (NULL, FALSE), g_get_monotonic_time (), 0 };

  seg_clickhouse_client_query_async (client, sql, first_row_cb, &t, NULL, NULL, query_done_cb, &t);
  g_main_loop_run (t.loop);
  g_main_loop_unref (t.loop);
  return (t.first - t.start) / 1000.0;
}

static void
raw_read_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Timing *t = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, NULL);

  if (t->first == 0)
    t->first = g_get_monotonic_time ();
  if (bytes != NULL && g_bytes_get_size (bytes) > 0)
    g_input_stream_read_bytes_async (G_INPUT_STREAM (object), 65536, 0, NULL, raw_read_cb, t);
  else
    g_main_loop_quit (t->loop);
}

static void
raw_send_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Timing *t = user_data;
  GInputStream *stream = soup_session_send_finish (SOUP_SESSION (object), result, NULL);

  g_assert_nonnull (stream);
  g_object_set_data_full (G_OBJECT (object), "stream", stream, g_object_unref);
  g_input_stream_read_bytes_async (stream, 65536, 0, NULL, raw_read_cb, t);
}

/* The same request as the client's, through a bare session: the first byte of the body. */
static double
raw_first_byte_ms (SoupSession *session,
                   const char  *url,
                   const char  *database,
                   gboolean     compress,
                   const char  *sql)
{
  Timing t = { g_main_loop_new (NULL, FALSE), 0, 0 };
  g_autofree char *full = g_strdup_printf ("%s/?database=%s&enable_http_compression=%d&max_execution_time=60",
                                           url, database, compress);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", full);
  g_autofree char *body = g_strconcat (sql, "\nFORMAT JSONCompact", NULL);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  soup_message_set_request_body_from_bytes (msg, "text/plain", bytes);
  t.start = g_get_monotonic_time ();
  soup_session_send_async (session, msg, 0, NULL, raw_send_cb, &t);
  g_main_loop_run (t.loop);
  g_main_loop_unref (t.loop);
  return (t.first - t.start) / 1000.0;
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int   argc,
      char *argv[])
{
  guint n_events = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 1000000;
  g_autoptr(SegClickhouseClient) client = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  const char *queries[] = {
    "SELECT event, user_id, ts_ms FROM events",
    "SELECT user_id, count() AS c FROM events WHERE event = 'Charged' GROUP BY user_id",
  };
  double seconds;

  g_test_init (&argc, &argv, NULL);
  if (ch_test_skip_unless_server (ch_test_url ()))
    return 77;

  client = ch_test_new_database (ch_test_url (), "seg_bench");
  g_assert_true (seg_clickhouse_schema_ensure (client, NULL, NULL, &error));

  seconds = insert_events (client, n_events);
  g_print ("insert: %u events in %.2f s = %.0f events/s (writer: JSONEachRow batches of 100k, "
           "staging + ATTACH PARTITION)\n", n_events, seconds, n_events / seconds);

  for (guint n = 0; n < G_N_ELEMENTS (queries) * 2; n++)
    {
      guint q = n % G_N_ELEMENTS (queries);
      gboolean compress = n < G_N_ELEMENTS (queries);
      double first_row[7], first_byte[7];

      for (guint i = 0; i < G_N_ELEMENTS (first_row); i++)
        {
          first_byte[i] = raw_first_byte_ms (session, ch_test_url (),
                                             seg_clickhouse_client_get_database (client),
                                             compress, queries[q]);
          seg_clickhouse_client_set_compress (client, compress);
          first_row[i] = client_first_row_ms (client, queries[q]);
        }
      qsort (first_row, G_N_ELEMENTS (first_row), sizeof (double), cmp_double);
      qsort (first_byte, G_N_ELEMENTS (first_byte), sizeof (double), cmp_double);
      g_print ("%s (gzip %s)\n  median of 7: first byte %.2f ms (bare libsoup), first row %.2f ms "
               "(client), difference %.2f ms\n",
               queries[q], compress ? "on" : "off", first_byte[3], first_row[3], first_row[3] - first_byte[3]);
    }

  ch_test_drop_database (client);
  return 0;
}
