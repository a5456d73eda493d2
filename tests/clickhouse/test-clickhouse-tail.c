/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "ch-test-util.h"
#include "clickhouse/seg-clickhouse-live-sink.h"
#include "clickhouse/seg-clickhouse-schema.h"
#include "clickhouse/seg-clickhouse-tail.h"
#include "clickhouse/seg-clickhouse-writer.h"
#include "live/seg-live-engine.h"
#include "seg-record.h"

/* The live tail of a ClickHouse store: events inserted while it runs reach the live
 * engine, once each; a server that goes away and comes back is retried with backoff. */

#define T0 G_GINT64_CONSTANT (1717200000000)

static const char *buyers =
  "{\"type\":\"action\",\"event\":\"Charged\","
  "\"where\":[{\"property\":\"amount\",\"op\":\"gt\",\"value\":10}]}";

typedef struct
{
  guint   polls;
  guint   failures;
  guint   last_new;
  GError *last_error;
} Counts;

static void
polled_cb (SegClickhouseTail *tail,
           guint              n_new,
           Counts            *c)
{
  c->polls++;
  c->last_new = n_new;
}

static void
failed_cb (SegClickhouseTail *tail,
           const GError      *error,
           Counts            *c)
{
  c->failures++;
  g_clear_error (&c->last_error);
  c->last_error = g_error_copy (error);
}

static void
insert (SegClickhouseClient *client,
        const char          *user,
        const char          *event,
        gint64               ts,
        double               amount,
        const char          *insert_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SegStoreWriter) writer = seg_clickhouse_writer_new (client, FALSE, NULL, &error);
  SegPropValue props[] = { { .key = "amount", .type = SEG_VALUE_TYPE_NUMBER, .num = amount } };
  SegRecord r = { .kind = SEG_RECORD_EVENT, .user_id = user, .event = event, .ts_ms = ts,
                  .insert_id = insert_id, .n_props = 1, .props = props };

  g_assert_no_error (error);
  g_assert_true (seg_store_writer_add (writer, &r, &error));
  g_assert_true (seg_store_writer_commit (writer, NULL, &error));
  g_assert_no_error (error);
}

/* Runs the main context until one more poll ends (well or not). */
static void
wait_poll (Counts *c)
{
  guint before = c->polls + c->failures;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (c->polls + c->failures == before)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static SegLiveEngine *
new_engine (SegLiveClock *clock)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GError) error = NULL;
  SegLiveEngine *engine = seg_live_engine_new (clock, utc);
  SegLiveTrigger *trigger = seg_live_trigger_new_from_json (buyers, &error);

  g_assert_no_error (error);
  g_assert_true (seg_live_engine_add_segment (engine, "buyers", trigger, &error));
  g_assert_no_error (error);
  seg_live_trigger_unref (trigger);
  return engine;
}

static void
count_cb (const SegLiveMembership *m,
          gpointer                 user_data)
{
  (*(guint *) user_data)++;
}

static void
test_tail_feeds_engine (void)
{
  g_autoptr(SegClickhouseClient) client = NULL;
  g_autoptr(SegLiveClock) clock = seg_live_clock_new_manual (T0);
  g_autoptr(SegLiveEngine) engine = NULL;
  g_autoptr(SegClickhouseTail) tail = NULL;
  g_autoptr(SegClickhouseLiveSink) sink = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *n = NULL;
  SegLiveEngineStats st;
  Counts c = { 0 };
  guint loaded = 0;

  if (ch_test_skip_unless_server (ch_test_url ()))
    return;
  client = ch_test_new_database (ch_test_url (), "seg_tail");
  g_assert_true (seg_clickhouse_schema_ensure (client, NULL, NULL, &error));
  g_assert_no_error (error);

  engine = new_engine (clock);
  sink = seg_clickhouse_live_sink_new (client);
  g_assert_true (seg_live_engine_set_sink (engine, SEG_LIVE_SINK (sink), &error));
  g_assert_no_error (error);

  /* Before the tail's start: never delivered. */
  insert (client, "old", "Charged", T0 - 3600000, 99, "e0");

  tail = seg_clickhouse_tail_new (engine, client);
  seg_clickhouse_tail_set_interval (tail, 3600 * 1000);  /* only when asked */
  g_signal_connect (tail, "polled", G_CALLBACK (polled_cb), &c);
  g_signal_connect (tail, "poll-failed", G_CALLBACK (failed_cb), &c);
  seg_clickhouse_tail_start (tail, T0);
  wait_poll (&c);
  g_assert_cmpuint (c.failures, ==, 0);
  g_assert_cmpuint (c.last_new, ==, 0);

  /* Events arrive in the store while the tail runs. */
  insert (client, "u1", "Charged", T0 + 1000, 25, "e1");
  insert (client, "u2", "Charged", T0 + 2000, 5, "e2");
  insert (client, "u3", "Added To Cart", T0 + 2500, 5, NULL);
  seg_live_clock_set (clock, T0 + 3000);
  seg_clickhouse_tail_poll_now (tail);
  wait_poll (&c);
  g_assert_cmpuint (c.last_new, ==, 3);
  g_assert_true (seg_live_engine_is_member (engine, "buyers", "u1"));
  g_assert_false (seg_live_engine_is_member (engine, "buyers", "u2"));
  g_assert_false (seg_live_engine_is_member (engine, "buyers", "old"));
  g_assert_cmpint (seg_clickhouse_tail_get_watermark (tail), ==, T0 + 2500);

  /* A poll that sees the same events again hands none of them over twice. */
  seg_clickhouse_tail_poll_now (tail);
  wait_poll (&c);
  g_assert_cmpuint (c.last_new, ==, 0);
  g_assert_cmpuint (seg_clickhouse_tail_get_n_records (tail), ==, 3);
  g_assert_cmpuint (seg_clickhouse_tail_get_n_repeated (tail), ==, 3);
  seg_live_engine_get_stats (engine, &st);
  g_assert_cmpuint (st.events, ==, 3);
  g_assert_cmpuint (seg_live_engine_get_n_qualifications (engine, "buyers"), ==, 1);

  /* A later purchase qualifies u2; one a little older than the newest (late) still counts. */
  insert (client, "u2", "Charged", T0 + 4000, 50, "e3");
  insert (client, "u4", "Charged", T0 + 2200, 70, "e4");
  seg_clickhouse_tail_poll_now (tail);
  wait_poll (&c);
  g_assert_cmpuint (c.last_new, ==, 2);
  g_assert_true (seg_live_engine_is_member (engine, "buyers", "u2"));
  g_assert_true (seg_live_engine_is_member (engine, "buyers", "u4"));
  g_assert_cmpuint (seg_live_engine_get_n_qualifications (engine, "buyers"), ==, 3);

  /* The memberships are in the store. */
  seg_clickhouse_tail_stop (tail);
  g_assert_true (seg_live_engine_flush (engine, &error));
  g_assert_no_error (error);
  n = ch_test_scalar (client, "SELECT uniqExact(user_id) FROM live_memberships WHERE segment_id = 'buyers'");
  g_assert_cmpstr (n, ==, "3");
  g_assert_true (seg_live_sink_load (SEG_LIVE_SINK (sink), count_cb, &loaded, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (loaded, ==, 3);
  g_assert_cmpuint (c.failures, ==, 0);

  ch_test_drop_database (client);
}

/* ---- a TCP forwarder to the server that can go down and come back ---- */

typedef struct
{
  GSocketService *service;
  guint16         port;
  GPtrArray      *streams;
} Proxy;

static void
splice_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_io_stream_splice_finish (result, NULL);
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             Proxy             *proxy)
{
  g_autoptr(GSocketClient) sc = g_socket_client_new ();
  g_autoptr(GUri) uri = g_uri_parse (ch_test_url (), G_URI_FLAGS_NONE, NULL);
  GSocketConnection *upstream;

  upstream = g_socket_client_connect_to_host (sc, g_uri_get_host (uri), g_uri_get_port (uri), NULL, NULL);
  if (upstream == NULL)
    return TRUE;
  g_ptr_array_add (proxy->streams, g_object_ref (connection));
  g_ptr_array_add (proxy->streams, upstream);
  g_io_stream_splice_async (G_IO_STREAM (connection), G_IO_STREAM (upstream),
                            G_IO_STREAM_SPLICE_CLOSE_STREAM1 | G_IO_STREAM_SPLICE_CLOSE_STREAM2,
                            G_PRIORITY_DEFAULT, NULL, splice_cb, NULL);
  return TRUE;
}

static void
proxy_up (Proxy *proxy)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (lo, proxy->port);
  g_autoptr(GSocketAddress) bound = NULL;

  proxy->service = g_socket_service_new ();
  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (proxy->service), addr,
                                                G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                                NULL, &bound, &error));
  g_assert_no_error (error);
  proxy->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_signal_connect (proxy->service, "incoming", G_CALLBACK (incoming_cb), proxy);
  g_socket_service_start (proxy->service);
}

static void
proxy_down (Proxy *proxy)
{
  g_socket_service_stop (proxy->service);
  g_socket_listener_close (G_SOCKET_LISTENER (proxy->service));
  g_clear_object (&proxy->service);
  for (guint i = 0; i < proxy->streams->len; i++)
    g_io_stream_close (g_ptr_array_index (proxy->streams, i), NULL, NULL);
  g_ptr_array_set_size (proxy->streams, 0);
}

static void
test_tail_survives_restart (void)
{
  g_autoptr(SegClickhouseClient) client = NULL;
  g_autoptr(SegClickhouseClient) via_proxy = NULL;
  g_autoptr(SegLiveClock) clock = seg_live_clock_new_manual (T0);
  g_autoptr(SegLiveEngine) engine = NULL;
  g_autoptr(SegClickhouseTail) tail = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  Proxy proxy = { NULL, 0, g_ptr_array_new_with_free_func (g_object_unref) };
  Counts c = { 0 };

  if (ch_test_skip_unless_server (ch_test_url ()))
    return;
  client = ch_test_new_database (ch_test_url (), "seg_tail");
  g_assert_true (seg_clickhouse_schema_ensure (client, NULL, NULL, &error));
  g_assert_no_error (error);

  proxy_up (&proxy);
  url = g_strdup_printf ("http://127.0.0.1:%u", proxy.port);
  via_proxy = seg_clickhouse_client_new (url, NULL, NULL, seg_clickhouse_client_get_database (client));
  seg_clickhouse_client_set_timeout (via_proxy, 5);

  engine = new_engine (clock);
  tail = seg_clickhouse_tail_new (engine, via_proxy);
  seg_clickhouse_tail_set_interval (tail, 20);
  seg_clickhouse_tail_set_max_backoff (tail, 160);
  g_signal_connect (tail, "polled", G_CALLBACK (polled_cb), &c);
  g_signal_connect (tail, "poll-failed", G_CALLBACK (failed_cb), &c);
  seg_clickhouse_tail_start (tail, T0);
  wait_poll (&c);
  g_assert_cmpuint (c.polls, ==, 1);

  /* The server goes away: each failed poll is reported and the wait doubles. */
  proxy_down (&proxy);
  while (c.failures < 4)
    wait_poll (&c);
  g_assert_cmpuint (seg_clickhouse_tail_get_n_failures (tail), ==, 4);
  g_assert_cmpuint (seg_clickhouse_tail_get_retry_delay (tail), ==, 160);
  g_assert_error (c.last_error, SEG_STORE_ERROR, SEG_STORE_ERROR_CONNECTION);
  g_assert_nonnull (strstr (c.last_error->message, "127.0.0.1"));

  /* Meanwhile an event arrives; the server comes back on the same port. */
  insert (client, "u1", "Charged", T0 + 1000, 30, "r1");
  proxy_up (&proxy);
  while (c.last_new == 0)
    wait_poll (&c);
  g_assert_cmpuint (c.last_new, ==, 1);
  g_assert_true (seg_live_engine_is_member (engine, "buyers", "u1"));
  g_assert_cmpuint (seg_clickhouse_tail_get_retry_delay (tail), ==, 20);

  seg_clickhouse_tail_stop (tail);
  g_clear_object (&tail);
  proxy_down (&proxy);
  g_ptr_array_unref (proxy.streams);
  g_clear_error (&c.last_error);
  ch_test_drop_database (client);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/clickhouse/tail/feeds-engine", test_tail_feeds_engine);
  g_test_add_func ("/clickhouse/tail/survives-restart", test_tail_survives_restart);
  return g_test_run ();
}
