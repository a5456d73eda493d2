/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <libsoup/soup.h>
#include <stdio.h>
#include <stdarg.h>

#include "live-fixture.h"
#include "live/seg-live-ingest.h"
#include "live/seg-live-replay.h"
#include "live/seg-live-tail.h"
#include "seg-local-store.h"
#include "seg-store-writer.h"

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @done is set or 10 s pass (a failure, not a sleep). */
static void
run_until (gboolean *done)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (10, timeout_cb, &timed_out);

  while (!*done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
}

typedef struct
{
  gboolean  done;
  guint     status;
  char     *body;
} Reply;

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Reply *r = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  g_assert_no_error (error);
  r->status = soup_message_get_status (msg);
  r->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  r->done = TRUE;
}

static Reply
post (SoupSession *session,
      guint        port,
      const char  *ctype,
      const char  *token,
      const char  *body)
{
  g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u/1/upload", port);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  Reply r = { 0 };

  soup_message_set_request_body_from_bytes (msg, ctype, bytes);
  if (token != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, &r);
  run_until (&r.done);
  return r;
}

static void
count_cb (SegLiveEngine *engine,
          const char    *segment,
          const char    *user,
          gint64         ts,
          gpointer       user_data)
{
  live_log_cb (engine, segment, user, ts, user_data);
}

static void
test_ingest (void)
{
  g_autofree char *dir = lv_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SegLocalStore) store = seg_local_store_new (path, "UTC", &error);
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  g_autoptr(SegLiveClock) clock = seg_live_clock_new_manual (lv_ms ("2024-05-01T10:00:00Z"));
  g_autoptr(SegLiveEngine) engine = seg_live_engine_new (clock, tz);
  g_autoptr(SegLiveIngest) ingest = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  LiveLog log = { g_ptr_array_new_with_free_func (g_free) };
  Reply r;

  g_assert_no_error (error);
  lv_add (engine, "big", "{\"type\":\"action\",\"event\":\"Charged\",\"where\":[{\"property\":\"amount\",\"op\":\"ge\",\"value\":100}]}");
  g_signal_connect (engine, "user-qualified", G_CALLBACK (count_cb), &log);

  /* Another address than loopback is refused without a token. */
  ingest = seg_live_ingest_new (engine, SEG_STORE (store), NULL);
  g_assert_false (seg_live_ingest_listen (ingest, "0.0.0.0", 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_clear_object (&ingest);

  ingest = seg_live_ingest_new (engine, SEG_STORE (store), "s3cret");
  seg_live_ingest_set_max_bytes (ingest, 4096);
  g_assert_true (seg_live_ingest_listen (ingest, NULL, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (seg_live_ingest_get_port (ingest), >, 0);

  r = post (session, seg_live_ingest_get_port (ingest), "application/json", NULL, "{\"d\":[]}");
  g_assert_cmpuint (r.status, ==, 401);
  g_free (r.body);
  r = post (session, seg_live_ingest_get_port (ingest), "application/json", "wrong", "{\"d\":[]}");
  g_assert_cmpuint (r.status, ==, 401);
  g_free (r.body);

  r = post (session, seg_live_ingest_get_port (ingest), "application/json", "s3cret",
            "{\"d\":["
            "{\"type\":\"event\",\"identity\":\"alice\",\"ts\":1714557601,\"evtName\":\"Charged\",\"evtData\":{\"amount\":150,\"currency\":\"EUR\"}},"
            "{\"type\":\"event\",\"identity\":\"bob\",\"ts\":1714557602,\"evtName\":\"Charged\",\"evtData\":{\"amount\":5}},"
            "{\"type\":\"event\",\"ts\":1714557603,\"evtName\":\"Charged\"},"
            "{\"type\":\"profile\",\"identity\":\"alice\",\"profileData\":{\"city\":\"Paris\",\"tags\":[\"a\",\"b\"]}},"
            "{\"type\":\"event\",\"identity\":\"carol\",\"evtName\":\"Charged\",\"evtData\":{\"x\":{\"nested\":1}}}"
            "]}");
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpstr (r.body, ==,
                   "{\"status\":\"partial\",\"processed\":3,\"unprocessed\":["
                   "{\"index\":2,\"error\":\"missing “identity”\"},"
                   "{\"index\":4,\"error\":\"evtData.x: nested objects are not supported\"}]}");
  g_free (r.body);
  /* The events were committed before the reply came, and alice qualified. */
  g_assert_cmpuint (seg_local_store_get_n_events (store), ==, 2);
  g_assert_cmpuint (log.log->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (log.log, 0), ==, "big alice 1714557601000");

  /* JSON lines, and the same event delivered again. */
  r = post (session, seg_live_ingest_get_port (ingest), "application/x-ndjson", "s3cret",
            "{\"type\":\"event\",\"identity\":\"dave\",\"ts\":1714557610000,\"evtName\":\"Charged\",\"insert_id\":\"d1\",\"evtData\":{\"amount\":100}}\n"
            "not json\n"
            "{\"type\":\"event\",\"identity\":\"dave\",\"ts\":1714557610000,\"evtName\":\"Charged\",\"insert_id\":\"d1\",\"evtData\":{\"amount\":100}}\n");
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_true (g_str_has_prefix (r.body, "{\"status\":\"partial\",\"processed\":2,\"unprocessed\":[{\"index\":1,"));
  g_free (r.body);
  g_assert_cmpuint (log.log->len, ==, 2);
  g_assert_cmpuint (seg_live_engine_get_n_members (engine, "big"), ==, 2);

  /* Too large, and not the upload shape. */
  {
    g_autofree char *big = g_strnfill (5000, ' ');
    r = post (session, seg_live_ingest_get_port (ingest), "application/json", "s3cret", big);
    g_assert_cmpuint (r.status, ==, 413);
    g_free (r.body);
  }
  r = post (session, seg_live_ingest_get_port (ingest), "application/json", "s3cret", "[1,2]");
  g_assert_cmpuint (r.status, ==, 400);
  g_assert_nonnull (strstr (r.body, "{\\\"d\\\""));
  g_free (r.body);

  g_clear_object (&ingest);
  g_clear_object (&engine);
  g_clear_object (&store);
  g_ptr_array_unref (log.log);
  lv_rmdir (dir);
}

static void
append (const char *path,
        const char *fmt,
        ...)
{
  FILE *f = fopen (path, "a");
  va_list ap;

  g_assert_nonnull (f);
  va_start (ap, fmt);
  vfprintf (f, fmt, ap);
  va_end (ap);
  fclose (f);
}

typedef struct
{
  LiveLog  log;
  guint    want;
  gboolean done;
} Waiter;

static void
waiter_cb (SegLiveEngine *engine,
           const char    *segment,
           const char    *user,
           gint64         ts,
           gpointer       user_data)
{
  Waiter *w = user_data;

  live_log_cb (engine, segment, user, ts, &w->log);
  w->done = w->log.log->len >= w->want;
}

static void
wait_for (Waiter *w,
          guint   n)
{
  w->want = n;
  w->done = w->log.log->len >= n;
  run_until (&w->done);
  g_assert_cmpuint (w->log.log->len, ==, n);
}

#define LINE(user, ts) "{\"type\":\"event\",\"identity\":\"" user "\",\"ts\":" ts ",\"evtName\":\"Signed Up\"}\n"

/* Requests posted together (their commits are grouped) are each answered for their own
 * records only after those are stored: the valid ones all land, once; a bad request fails
 * alone. */
static void
test_ingest_concurrent (void)
{
  g_autofree char *dir = lv_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SegLocalStore) store = seg_local_store_new (path, "UTC", &error);
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  g_autoptr(SegLiveClock) clock = seg_live_clock_new_manual (lv_ms ("2024-05-01T10:00:00Z"));
  g_autoptr(SegLiveEngine) engine = seg_live_engine_new (clock, tz);
  g_autoptr(SegLiveIngest) ingest = seg_live_ingest_new (engine, SEG_STORE (store), NULL);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns-per-host", 12, NULL);
  LiveLog log = { g_ptr_array_new_with_free_func (g_free) };
  enum { N = 10 };
  Reply replies[N] = { { 0 } };
  g_autofree char *uri = NULL;

  g_assert_no_error (error);
  lv_add (engine, "buyers", "{\"type\":\"action\",\"event\":\"Charged\"}");
  g_signal_connect (engine, "user-qualified", G_CALLBACK (count_cb), &log);
  g_assert_true (seg_live_ingest_listen (ingest, NULL, 0, &error));
  uri = g_strdup_printf ("http://127.0.0.1:%u/1/upload", seg_live_ingest_get_port (ingest));

  for (guint i = 0; i < N; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
      char *body;
      g_autoptr(GBytes) bytes = NULL;

      if (i == 3)
        body = g_strdup ("[1,2]");
      else
        body = g_strdup_printf ("{\"d\":[{\"type\":\"event\",\"identity\":\"u%u\",\"ts\":%u,"
                                "\"evtName\":\"Charged\"},{\"type\":\"event\",\"identity\":\"u%u\","
                                "\"ts\":%u,\"evtName\":\"Viewed\"}]}",
                                i, 1714557600 + i, i, 1714557600 + i);
      bytes = g_bytes_new_take (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, &replies[i]);
    }
  for (guint i = 0; i < N; i++)
    run_until (&replies[i].done);

  for (guint i = 0; i < N; i++)
    {
      if (i == 3)
        g_assert_cmpuint (replies[i].status, ==, 400);
      else
        {
          g_assert_cmpuint (replies[i].status, ==, 200);
          g_assert_cmpstr (replies[i].body, ==, "{\"status\":\"success\",\"processed\":2,\"unprocessed\":[]}");
        }
      g_free (replies[i].body);
    }
  /* Every acknowledged record is in the store, once; each buyer qualified once. */
  g_assert_cmpuint (seg_local_store_get_n_events (store), ==, 2 * (N - 1));
  g_assert_cmpuint (log.log->len, ==, N - 1);
  g_assert_cmpuint (seg_live_engine_get_n_members (engine, "buyers"), ==, N - 1);
  g_assert_false (seg_live_engine_is_member (engine, "buyers", "u3"));

  g_clear_object (&ingest);
  g_clear_object (&engine);
  g_clear_object (&store);
  g_ptr_array_unref (log.log);
  lv_rmdir (dir);
}

static void
test_tail (void)
{
  g_autofree char *dir = lv_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "events.jsonl", NULL);
  g_autofree char *rotated = g_build_filename (dir, "events.jsonl.1", NULL);
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  g_autoptr(SegLiveClock) clock = seg_live_clock_new_manual (lv_ms ("2024-05-01T10:00:00Z"));
  g_autoptr(SegLiveEngine) engine = seg_live_engine_new (clock, tz);
  g_autoptr(SegLiveTail) tail = NULL;
  g_autoptr(GError) error = NULL;
  Waiter w = { { g_ptr_array_new_with_free_func (g_free) } };

  lv_add (engine, "new", "{\"type\":\"action\",\"event\":\"Signed Up\"}");
  g_signal_connect (engine, "user-qualified", G_CALLBACK (waiter_cb), &w);
  /* What the file holds before the tail starts is not news. */
  append (path, LINE ("old", "1714557600"));
  tail = seg_live_tail_new (engine, path, FALSE);
  g_assert_true (seg_live_tail_start (tail, &error));
  g_assert_no_error (error);

  append (path, LINE ("u1", "1714557601"));
  /* A line written in two pieces is one record. */
  append (path, "{\"type\":\"event\",\"identity\":\"u2\",");
  wait_for (&w, 1);
  append (path, "\"ts\":1714557602,\"evtName\":\"Signed Up\"}\nthis is not json\n");
  wait_for (&w, 2);
  g_assert_cmpuint (seg_live_tail_get_n_rejected (tail), ==, 1);

  /* Rotation: the writer appends to the old file, renames it and starts a new one. */
  append (path, LINE ("u3", "1714557603"));
  g_assert_cmpint (g_rename (path, rotated), ==, 0);
  append (path, LINE ("u4", "1714557604"));
  wait_for (&w, 4);

  /* Truncation: the file is emptied and written again from the start (with less than
   * was read: a truncated file is recognised by being shorter than the read position). */
  {
    FILE *f = fopen (path, "w");
    fclose (f);
  }
  append (path, "{\"type\":\"event\",\"identity\":\"z\",\"ts\":1714557605,\"evtName\":\"Signed Up\"}\n");
  wait_for (&w, 5);

  g_assert_cmpstr (g_ptr_array_index (w.log.log, 0), ==, "new u1 1714557601000");
  g_assert_cmpstr (g_ptr_array_index (w.log.log, 1), ==, "new u2 1714557602000");
  g_assert_cmpstr (g_ptr_array_index (w.log.log, 2), ==, "new u3 1714557603000");
  g_assert_cmpstr (g_ptr_array_index (w.log.log, 3), ==, "new u4 1714557604000");
  g_assert_cmpstr (g_ptr_array_index (w.log.log, 4), ==, "new z 1714557605000");
  g_assert_cmpuint (seg_live_tail_get_n_records (tail), ==, 5);

  g_clear_object (&tail);
  g_clear_object (&engine);
  g_ptr_array_unref (w.log.log);
  lv_rmdir (dir);
}


/* Replaying the store's own events: read in chunks of time off the main thread, played in
 * time order on the replay's clock, so that qualifications happen at the replayed times
 * (a manual base clock; no sleeps). Events outside the range are not played. */

static void
lv_result_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
write_event (SegStoreWriter *w,
             const char     *user,
             const char     *event,
             gint64          ts,
             double          amount)
{
  g_autoptr(GError) error = NULL;
  SegPropValue prop = { "amount", SEG_VALUE_TYPE_NUMBER, NULL, 0, amount };
  SegRecord r = { SEG_RECORD_EVENT, user, event, ts, NULL, amount >= 0 ? 1 : 0, &prop };

  g_assert_true (seg_store_writer_add (w, &r, &error));
  g_assert_no_error (error);
}

static void
replay_settle (SegLiveReplay *replay)
{
  /* Run what is due; while a chunk is being read, wait for it (a worker thread). */
  for (;;)
    {
      lv_iterate ();
      if (!seg_live_replay_is_loading (replay))
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  lv_iterate ();
}

static void
test_replay_store (void)
{
  g_autofree char *dir = lv_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "replay.segstore", NULL);
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  g_autoptr(SegLiveClock) base = seg_live_clock_new_manual (lv_ms ("2026-01-01T00:00:00Z"));
  g_autoptr(SegLocalStore) store = NULL;
  g_autoptr(SegStoreWriter) w = NULL;
  g_autoptr(SegLiveReplay) replay = NULL;
  g_autoptr(SegLiveEngine) engine = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  LiveLog log = { g_ptr_array_new_with_free_func (g_free) };
  gint64 t0 = lv_ms ("2024-05-01T10:00:00Z");
  gint64 b0 = seg_live_clock_get_now (base);
  g_autofree char *expect = NULL;

  store = seg_local_store_new (path, "UTC", &error);
  g_assert_no_error (error);
  w = seg_store_begin_write (SEG_STORE (store), &error);
  g_assert_no_error (error);
  /* Written out of time order; one before and one after the range. */
  write_event (w, "u4", "Charged", t0 + 150000, 50);
  write_event (w, "u1", "Added To Cart", t0, -1);
  write_event (w, "u8", "Charged", t0 - 3600000, 99);
  write_event (w, "u2", "Charged", t0 + 30000, 20);
  write_event (w, "u3", "Charged", t0 + 90000, 5);
  write_event (w, "u2", "Added To Cart", t0 + 200000, -1);
  write_event (w, "u9", "Charged", t0 + 3 * 86400000LL, 99);
  g_assert_true (seg_store_writer_commit (w, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&w);

  /* An empty range is an error, not a silent replay of nothing. */
  seg_live_replay_new_from_store_async (SEG_STORE (store), t0 + 86400000, t0 + 2 * 86400000, base,
                                        60, 0, NULL, lv_result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (seg_live_replay_new_from_store_finish (res, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&res);

  /* One hour from t0, at 60× (a replayed minute per second), read a minute at a time. */
  seg_live_replay_new_from_store_async (SEG_STORE (store), t0, t0 + 3600000, base, 60, 60000,
                                        NULL, lv_result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  replay = seg_live_replay_new_from_store_finish (res, &error);
  g_assert_no_error (error);
  g_assert_true (seg_live_replay_is_from_store (replay));
  /* Only the first minute is read before it starts. */
  g_assert_cmpuint (seg_live_replay_get_n_records (replay), ==, 2);
  g_assert_cmpint (seg_live_clock_get_now (seg_live_replay_get_clock (replay)), ==, t0);

  engine = seg_live_engine_new (seg_live_replay_get_clock (replay), tz);
  lv_add (engine, "big", "{\"type\":\"action\",\"event\":\"Charged\",\"where\":[{\"property\":\"amount\",\"op\":\"gt\",\"value\":10}]}");
  lv_add (engine, "cart", "{\"type\":\"inaction\",\"event\":\"Added To Cart\",\"then\":\"Charged\",\"within\":{\"n\":10,\"unit\":\"minutes\"}}");
  g_signal_connect (engine, "user-qualified", G_CALLBACK (live_log_cb), &log);
  seg_live_replay_start (replay, engine);
  replay_settle (replay);
  g_assert_cmpuint (seg_live_replay_get_n_played (replay), ==, 1);
  g_assert_cmpuint (log.log->len, ==, 0);

  /* u2 pays 30 s in: at base + 500 ms, not a millisecond sooner. */
  seg_live_clock_set (base, b0 + 499);
  replay_settle (replay);
  g_assert_cmpuint (log.log->len, ==, 0);
  seg_live_clock_set (base, b0 + 500);
  replay_settle (replay);
  g_assert_cmpuint (log.log->len, ==, 1);
  expect = g_strdup_printf ("big u2 %" G_GINT64_FORMAT, t0 + 30000);
  g_assert_cmpstr (g_ptr_array_index (log.log, 0), ==, expect);
  g_clear_pointer (&expect, g_free);

  /* u3's 5 is not big (its property was read back from the store); u4's 50 is, at 150 s. */
  seg_live_clock_set (base, b0 + 2499);
  replay_settle (replay);
  g_assert_cmpuint (seg_live_replay_get_n_played (replay), ==, 3);
  g_assert_cmpuint (log.log->len, ==, 1);
  seg_live_clock_set (base, b0 + 2500);
  replay_settle (replay);
  g_assert_cmpuint (log.log->len, ==, 2);
  expect = g_strdup_printf ("big u4 %" G_GINT64_FORMAT, t0 + 150000);
  g_assert_cmpstr (g_ptr_array_index (log.log, 1), ==, expect);
  g_clear_pointer (&expect, g_free);

  /* The last event in the range; the next chunks are empty and the replay ends. */
  seg_live_clock_set (base, b0 + 200000 / 60 + 1);
  replay_settle (replay);
  g_assert_cmpuint (seg_live_replay_get_n_played (replay), ==, 5);
  g_assert_cmpuint (seg_live_replay_get_n_records (replay), ==, 5);
  g_assert_true (seg_live_replay_is_finished (replay));

  /* Inaction windows close in replayed time: u1's at t0 + 10 min (base + 10 s). */
  seg_live_clock_set (base, b0 + 9999);
  replay_settle (replay);
  g_assert_cmpuint (log.log->len, ==, 2);
  seg_live_clock_set (base, b0 + 10000);
  replay_settle (replay);
  g_assert_cmpuint (log.log->len, ==, 3);
  expect = g_strdup_printf ("cart u1 %" G_GINT64_FORMAT, t0 + 600000);
  g_assert_cmpstr (g_ptr_array_index (log.log, 2), ==, expect);
  g_clear_pointer (&expect, g_free);
  /* u2 paid before adding to the cart, not after: qualifies at t0 + 200 s + 10 min. */
  seg_live_clock_set (base, b0 + 800000 / 60 + 1);
  replay_settle (replay);
  g_assert_cmpuint (log.log->len, ==, 4);
  expect = g_strdup_printf ("cart u2 %" G_GINT64_FORMAT, t0 + 800000);
  g_assert_cmpstr (g_ptr_array_index (log.log, 3), ==, expect);

  g_clear_object (&replay);
  g_clear_object (&engine);
  g_clear_object (&store);
  g_ptr_array_unref (log.log);
  lv_rmdir (dir);
}

static void
test_replay (void)
{
  g_autofree char *dir = lv_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "export.jsonl", NULL);
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  g_autoptr(SegLiveClock) base = seg_live_clock_new_manual (lv_ms ("2026-01-01T00:00:00Z"));
  g_autoptr(SegLiveReplay) replay = NULL;
  g_autoptr(SegLiveEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  LiveLog log = { g_ptr_array_new_with_free_func (g_free) };
  gint64 t0 = lv_ms ("2024-05-01T10:00:00Z");

  /* Out of order in the file; played in time order. An inaction window runs in replayed
   * time: u1 adds to cart at t0 and never pays; u2 pays 5 minutes later. */
  g_assert_true (g_file_set_contents (path,
    "{\"type\":\"event\",\"identity\":\"u2\",\"ts\":1714557900,\"evtName\":\"Charged\"}\n"
    "{\"type\":\"event\",\"identity\":\"u1\",\"ts\":1714557600,\"evtName\":\"Added To Cart\"}\n"
    "garbage\n"
    "{\"type\":\"event\",\"identity\":\"u2\",\"ts\":1714557660,\"evtName\":\"Added To Cart\"}\n", -1, NULL));

  g_assert_null (seg_live_replay_new_from_file (path, base, 0.5, tz, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (seg_live_replay_new_from_file (path, base, 1001, tz, &error));
  g_clear_error (&error);

  replay = seg_live_replay_new_from_file (path, base, 60, tz, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seg_live_replay_get_n_records (replay), ==, 3);
  g_assert_cmpuint (seg_live_replay_get_n_rejected (replay), ==, 1);
  g_assert_cmpint (seg_live_clock_get_now (seg_live_replay_get_clock (replay)), ==, t0);

  engine = seg_live_engine_new (seg_live_replay_get_clock (replay), tz);
  lv_add (engine, "cart", "{\"type\":\"inaction\",\"event\":\"Added To Cart\",\"then\":\"Charged\",\"within\":{\"n\":10,\"unit\":\"minutes\"}}");
  lv_add (engine, "paid", "{\"type\":\"action\",\"event\":\"Charged\"}");
  g_signal_connect (engine, "user-qualified", G_CALLBACK (live_log_cb), &log);
  seg_live_replay_start (replay, engine);

  lv_iterate ();
  g_assert_cmpuint (seg_live_replay_get_n_played (replay), ==, 1);
  /* At 60×, the event one minute later comes one second later, not a millisecond sooner. */
  seg_live_clock_advance (base, 999);
  lv_iterate ();
  g_assert_cmpuint (seg_live_replay_get_n_played (replay), ==, 1);
  seg_live_clock_advance (base, 1);
  lv_iterate ();
  g_assert_cmpuint (seg_live_replay_get_n_played (replay), ==, 2);
  /* 5 minutes in replayed time = 5 s: u2 pays, the replay ends. */
  seg_live_clock_advance (base, 4000);
  lv_iterate ();
  g_assert_true (seg_live_replay_is_finished (replay));
  g_assert_cmpuint (log.log->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (log.log, 0), ==, "paid u2 1714557900000");
  /* u1's 10 minutes end at replayed t0 + 600 s = base + 10 s. */
  seg_live_clock_advance (base, 4999);
  lv_iterate ();
  g_assert_cmpuint (log.log->len, ==, 1);
  seg_live_clock_advance (base, 1);
  lv_iterate ();
  g_assert_cmpuint (log.log->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (log.log, 1), ==, "cart u1 1714558200000");

  g_clear_object (&replay);
  g_clear_object (&engine);
  g_ptr_array_unref (log.log);
  lv_rmdir (dir);
}

static void
write_profile (SegStore   *store,
               const char *user,
               const char *city)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SegStoreWriter) w = seg_store_begin_write (store, &error);
  SegPropValue p = { "city", SEG_VALUE_TYPE_STRING, city, strlen (city), 0 };
  SegRecord r = { SEG_RECORD_PROFILE, user, NULL, lv_ms ("2024-04-01T00:00:00Z"), NULL, 1, &p };

  g_assert_no_error (error);
  g_assert_true (seg_store_writer_add (w, &r, &error));
  g_assert_true (seg_store_writer_commit (w, NULL, &error));
  g_assert_no_error (error);
}

static void
test_filter_through_store (void)
{
  g_autofree char *dir = lv_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SegLocalStore) store = seg_local_store_new (path, "UTC", &error);
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  g_autoptr(SegLiveClock) clock = seg_live_clock_new_manual (lv_ms ("2024-05-01T10:00:00Z"));
  g_autoptr(SegLiveEngine) engine = seg_live_engine_new (clock, tz);
  g_autoptr(SegLiveTrigger) t = lv_trigger (
    "{\"type\":\"action\",\"event\":\"Charged\","
    "\"filter\":{\"all\":[{\"user\":{\"property\":\"city\",\"op\":\"equals\",\"value\":\"Paris\"}}]}}");
  Waiter w = { { g_ptr_array_new_with_free_func (g_free) } };
  gint64 ts = lv_ms ("2024-05-01T10:00:00Z");

  g_assert_no_error (error);
  write_profile (SEG_STORE (store), "alice", "Paris");
  write_profile (SEG_STORE (store), "bob", "Berlin");

  /* Without a store the filter cannot be decided: refused. */
  g_assert_false (seg_live_engine_add_segment (engine, "parisians", t, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  seg_live_engine_set_store (engine, SEG_STORE (store));
  g_assert_true (seg_live_engine_add_segment (engine, "parisians", t, &error));
  g_signal_connect (engine, "user-qualified", G_CALLBACK (waiter_cb), &w);

  lv_push (engine, "bob", "Charged", ts, NULL, NULL);
  lv_push (engine, "alice", "Charged", ts + 1, NULL, NULL);
  /* The store answers asynchronously; then only alice, who lives in Paris, qualifies. */
  wait_for (&w, 1);
  g_assert_cmpstr (g_ptr_array_index (w.log.log, 0), ==, "parisians alice 1714557600001");
  /* With the answer cached, the next decision is immediate. */
  lv_push (engine, "alice", "Charged", ts + 2, NULL, NULL);
  lv_push (engine, "bob", "Charged", ts + 3, NULL, NULL);
  g_assert_cmpuint (w.log.log->len, ==, 2);

  g_clear_object (&engine);
  g_clear_object (&store);
  g_ptr_array_unref (w.log.log);
  lv_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/live/sources/ingest", test_ingest);
  g_test_add_func ("/live/sources/ingest-concurrent", test_ingest_concurrent);
  g_test_add_func ("/live/sources/tail", test_tail);
  g_test_add_func ("/live/sources/replay", test_replay);
  g_test_add_func ("/live/sources/replay-store", test_replay_store);
  g_test_add_func ("/live/sources/filter-through-store", test_filter_through_store);
  return g_test_run ();
}
