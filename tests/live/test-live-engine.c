/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdarg.h>

#include "live-fixture.h"
#include "live/seg-live-sqlite-sink.h"

typedef struct
{
  SegLiveClock  *clock;
  SegLiveEngine *engine;
  LiveLog        log;
  GTimeZone     *tz;
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  const char *tz = data ? data : "UTC";

  fx->tz = g_time_zone_new_identifier (tz);
  g_assert_nonnull (fx->tz);
  fx->clock = seg_live_clock_new_manual (lv_ms ("2024-05-01T10:00:00Z"));
  fx->engine = seg_live_engine_new (fx->clock, fx->tz);
  fx->log.log = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fx->engine, "user-qualified", G_CALLBACK (live_log_cb), &fx->log);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_assert_finalize_object (fx->engine);
  g_assert_finalize_object (fx->clock);
  g_ptr_array_unref (fx->log.log);
  g_time_zone_unref (fx->tz);
}

static void
assert_log (Fixture    *fx,
            const char *first,
            ...)
{
  va_list ap;
  guint i = 0;

  va_start (ap, first);
  for (const char *s = first; s != NULL; s = va_arg (ap, const char *), i++)
    {
      g_assert_cmpuint (i, <, fx->log.log->len);
      g_assert_cmpstr (g_ptr_array_index (fx->log.log, i), ==, s);
    }
  va_end (ap);
  for (guint j = 0; j < fx->log.log->len && fx->log.log->len != i; j++)
    g_printerr ("# %s\n", (char *) g_ptr_array_index (fx->log.log, j));
  g_assert_cmpuint (fx->log.log->len, ==, i);
}

static char *
at (const char *seg,
    const char *user,
    const char *iso)
{
  return g_strdup_printf ("%s %s %" G_GINT64_FORMAT, seg, user, lv_ms (iso));
}

static void
test_action (Fixture       *fx,
             gconstpointer  data)
{
  g_autofree char *q1 = at ("big", "u1", "2024-05-01T10:00:05Z");

  lv_add (fx->engine, "big", "{\"type\":\"action\",\"event\":\"Charged\","
          "\"where\":[{\"property\":\"amount\",\"op\":\"gt\",\"value\":100}]}");
  lv_push (fx->engine, "u1", "Charged", lv_ms ("2024-05-01T10:00:01Z"), NULL, "amount", "#50", NULL);
  lv_push (fx->engine, "u1", "Added To Cart", lv_ms ("2024-05-01T10:00:02Z"), NULL, "amount", "#500", NULL);
  lv_push (fx->engine, "u2", "Charged", lv_ms ("2024-05-01T10:00:03Z"), NULL, NULL);
  assert_log (fx, NULL);
  lv_push (fx->engine, "u1", "Charged", lv_ms ("2024-05-01T10:00:05Z"), NULL, "amount", "#150", NULL);
  assert_log (fx, q1, NULL);
  g_assert_cmpuint (seg_live_engine_get_n_members (fx->engine, "big"), ==, 1);
  g_assert_true (seg_live_engine_is_member (fx->engine, "big", "u1"));
}

/* Active users: those whose last event is within the window, each counted once. */
static void
test_active_users (Fixture       *fx,
                   gconstpointer  data)
{
  lv_add (fx->engine, "big", "{\"type\":\"action\",\"event\":\"Charged\"}");
  g_assert_cmpuint (seg_live_engine_count_active_users (fx->engine, 0), ==, 0);
  lv_push (fx->engine, "u1", "App Launched", lv_ms ("2024-05-01T10:00:00Z"), NULL, NULL);
  lv_push (fx->engine, "u2", "App Launched", lv_ms ("2024-05-01T10:03:00Z"), NULL, NULL);
  lv_push (fx->engine, "u2", "Charged", lv_ms ("2024-05-01T10:04:00Z"), NULL, NULL);
  lv_push (fx->engine, "u3", "Page Visited", lv_ms ("2024-05-01T10:06:00Z"), NULL, NULL);
  g_assert_cmpuint (seg_live_engine_count_active_users (fx->engine, lv_ms ("2024-05-01T10:01:00Z")), ==, 2);
  g_assert_cmpuint (seg_live_engine_count_active_users (fx->engine, lv_ms ("2024-05-01T10:04:00Z")), ==, 2);
  g_assert_cmpuint (seg_live_engine_count_active_users (fx->engine, lv_ms ("2024-05-01T10:04:01Z")), ==, 1);
  g_assert_cmpuint (seg_live_engine_count_active_users (fx->engine, lv_ms ("2024-05-01T09:00:00Z")), ==, 3);
}

static void
test_inaction_deadline (Fixture       *fx,
                        gconstpointer  data)
{
  gint64 a = lv_ms ("2024-05-01T10:00:00Z");
  g_autofree char *q = at ("abandon", "u1", "2024-05-01T10:10:00Z");
  SegLiveEngineStats st;

  lv_add (fx->engine, "abandon", "{\"type\":\"inaction\",\"event\":\"Added To Cart\","
          "\"then\":\"Charged\",\"within\":{\"n\":10,\"unit\":\"minutes\"}}");
  lv_push (fx->engine, "u1", "Added To Cart", a, NULL, NULL);
  seg_live_engine_get_stats (fx->engine, &st);
  g_assert_cmpuint (st.pending_timers, ==, 1);

  /* One millisecond before the deadline nothing happens... */
  seg_live_clock_set (fx->clock, a + 10 * 60 * 1000 - 1);
  lv_iterate ();
  assert_log (fx, NULL);
  /* ...and at the deadline the user qualifies, stamped with the deadline. */
  seg_live_clock_set (fx->clock, a + 10 * 60 * 1000);
  lv_iterate ();
  assert_log (fx, q, NULL);
  seg_live_engine_get_stats (fx->engine, &st);
  g_assert_cmpuint (st.pending_timers, ==, 0);
}

static void
test_inaction_cancel (Fixture       *fx,
                      gconstpointer  data)
{
  gint64 a = lv_ms ("2024-05-01T10:00:00Z");
  g_autofree char *q = at ("abandon", "u1", "2024-05-01T10:25:00Z");

  lv_add (fx->engine, "abandon", "{\"type\":\"inaction\",\"event\":\"Added To Cart\","
          "\"then\":\"Charged\",\"then_where\":[{\"property\":\"amount\",\"op\":\"gt\",\"value\":0}],"
          "\"within\":{\"n\":10,\"unit\":\"minutes\"}}");
  lv_push (fx->engine, "u1", "Added To Cart", a, NULL, NULL);
  /* A Charged that fails then_where does not cancel; one that passes does. */
  seg_live_clock_set (fx->clock, a + 60 * 1000);
  lv_push (fx->engine, "u1", "Charged", a + 60 * 1000, NULL, "amount", "#0", NULL);
  seg_live_clock_set (fx->clock, a + 9 * 60 * 1000);
  lv_push (fx->engine, "u1", "Charged", a + 9 * 60 * 1000, NULL, "amount", "#20", NULL);
  seg_live_clock_set (fx->clock, a + 20 * 60 * 1000);
  lv_iterate ();
  assert_log (fx, NULL);
  /* A new Added To Cart opens a new window, which runs out. */
  lv_push (fx->engine, "u1", "Added To Cart", a + 15 * 60 * 1000, NULL, NULL);
  seg_live_clock_set (fx->clock, a + 30 * 60 * 1000);
  lv_iterate ();
  assert_log (fx, q, NULL);
}

/* Windows end in deadline order across segments, also when an event arrives older than
 * the ones before it (its window is queued apart from the in-order ones). */
static void
test_inaction_order (Fixture       *fx,
                     gconstpointer  data)
{
  g_autofree char *q1 = at ("short", "u2", "2024-05-01T10:05:00Z");
  g_autofree char *q2 = at ("short", "u1", "2024-05-01T10:07:00Z");
  g_autofree char *q3 = at ("long", "u2", "2024-05-01T10:13:00Z");
  g_autofree char *q4 = at ("long", "u1", "2024-05-01T10:15:00Z");
  SegLiveEngineStats st;

  lv_add (fx->engine, "short", "{\"type\":\"inaction\",\"event\":\"Added To Cart\","
          "\"then\":\"Charged\",\"within\":{\"n\":2,\"unit\":\"minutes\"}}");
  lv_add (fx->engine, "long", "{\"type\":\"inaction\",\"event\":\"Added To Cart\","
          "\"then\":\"Charged\",\"within\":{\"n\":10,\"unit\":\"minutes\"}}");
  lv_push (fx->engine, "u1", "Added To Cart", lv_ms ("2024-05-01T10:05:00Z"), NULL, NULL);
  lv_push (fx->engine, "u2", "Added To Cart", lv_ms ("2024-05-01T10:03:00Z"), NULL, NULL);
  lv_push (fx->engine, "u3", "Added To Cart", lv_ms ("2024-05-01T10:06:00Z"), NULL, NULL);
  lv_push (fx->engine, "u3", "Charged", lv_ms ("2024-05-01T10:07:00Z"), NULL, NULL);
  seg_live_engine_get_stats (fx->engine, &st);
  g_assert_cmpuint (st.pending_timers, ==, 4);
  seg_live_clock_set (fx->clock, lv_ms ("2024-05-01T10:04:59.999Z"));
  lv_iterate ();
  assert_log (fx, NULL);
  seg_live_clock_set (fx->clock, lv_ms ("2024-05-01T10:05:00Z"));
  lv_iterate ();
  assert_log (fx, q1, NULL);
  seg_live_clock_set (fx->clock, lv_ms ("2024-05-01T10:20:00Z"));
  lv_iterate ();
  assert_log (fx, q1, q2, q3, q4, NULL);
  seg_live_engine_get_stats (fx->engine, &st);
  g_assert_cmpuint (st.pending_timers, ==, 0);
}

static void
test_date_rollover (Fixture       *fx,
                    gconstpointer  data)
{
  g_autofree char *q_now = NULL;
  g_autofree char *q_mid = NULL;
  /* In Berlin (UTC+2 in May), 2024-05-02 starts at 2024-05-01T22:00Z. */
  lv_add (fx->engine, "renewal", "{\"type\":\"date\",\"property\":\"renewal_date\",\"days_from_today\":3}");

  lv_profile_date (fx->engine, "now", lv_ms ("2024-05-01T10:00:00Z"), "renewal_date", "2024-05-04");
  lv_profile_date (fx->engine, "later", lv_ms ("2024-05-01T10:00:00Z"), "renewal_date", "2024-05-05");
  lv_profile_date (fx->engine, "moved", lv_ms ("2024-05-01T10:00:00Z"), "renewal_date", "2024-05-05");
  q_now = at ("renewal", "now", "2024-05-01T10:00:00Z");
  assert_log (fx, q_now, NULL);
  /* The date moves away before it would match: no qualification at midnight. */
  lv_profile_date (fx->engine, "moved", lv_ms ("2024-05-01T11:00:00Z"), "renewal_date", "2024-06-30");

  seg_live_clock_set (fx->clock, lv_ms ("2024-05-01T21:59:59.999Z"));
  lv_iterate ();
  assert_log (fx, q_now, NULL);
  seg_live_clock_set (fx->clock, lv_ms ("2024-05-01T22:00:00Z"));
  lv_iterate ();
  q_mid = at ("renewal", "later", "2024-05-01T22:00:00Z");
  assert_log (fx, q_now, q_mid, NULL);
  /* The same date again the same day does not qualify twice. */
  lv_profile_date (fx->engine, "later", lv_ms ("2024-05-01T23:00:00Z"), "renewal_date", "2024-05-05T08:00:00Z");
  assert_log (fx, q_now, q_mid, NULL);
}

static void
test_page_visit_referrer (Fixture       *fx,
                          gconstpointer  data)
{
  gint64 t = lv_ms ("2024-05-01T10:00:00Z");
  g_autofree char *q1 = at ("pricing", "u1", "2024-05-01T10:00:10Z");
  g_autofree char *q2 = at ("google", "u2", "2024-05-01T10:00:00Z");
  g_autofree char *q3 = at ("pricing", "u1", "2024-05-01T11:00:00Z");

  lv_add (fx->engine, "pricing", "{\"type\":\"page_visit\",\"url\":{\"op\":\"contains\",\"value\":\"/pricing\"}}");
  lv_add (fx->engine, "google", "{\"type\":\"referrer\",\"referrer\":{\"op\":\"matches\",\"value\":\"^https?://(www\\\\.)?google\\\\.\"}}");
  lv_push (fx->engine, "u1", "Page Visited", t, NULL, "url", "https://x.com/", "referrer", "https://bing.com/", NULL);
  lv_push (fx->engine, "u1", "Page Visited", t + 10000, NULL, "url", "https://x.com/pricing", NULL);
  /* Once per session: a second visit in the same session does not count again. */
  lv_push (fx->engine, "u1", "Page Visited", t + 20000, NULL, "url", "https://x.com/pricing?a", NULL);
  lv_push (fx->engine, "u2", "Page Visited", t, NULL, "url", "https://x.com/", "referrer", "https://www.google.com/q", NULL);
  /* A referrer on a later page of the session is not an entry. */
  lv_push (fx->engine, "u1", "Page Visited", t + 30000, NULL, "url", "https://x.com/a", "referrer", "https://google.com/", NULL);
  assert_log (fx, q1, q2, NULL);
  /* After 30 minutes without events, a new session. */
  lv_push (fx->engine, "u1", "Page Visited", t + 3600000, NULL, "url", "https://x.com/pricing", NULL);
  assert_log (fx, q1, q2, q3, NULL);
}

static void
test_page_count (Fixture       *fx,
                 gconstpointer  data)
{
  gint64 t = lv_ms ("2024-05-01T10:00:00Z");
  g_autofree char *qs = at ("session3", "u1", "2024-05-01T10:10:00Z");
  g_autofree char *qw = at ("busy", "u1", "2024-05-01T10:11:00Z");

  lv_add (fx->engine, "busy", "{\"type\":\"page_count\",\"count\":3,\"within\":{\"n\":10,\"unit\":\"minutes\"}}");
  lv_add (fx->engine, "session3", "{\"type\":\"page_count\",\"count\":3,\"within\":\"session\"}");
  lv_push (fx->engine, "u1", "Page Visited", t, NULL, "url", "/a", NULL);
  lv_push (fx->engine, "u1", "Page Visited", t + 300000, NULL, "url", "/b", NULL);
  assert_log (fx, NULL);
  /* The third view is in the same session, but 3 views span a full 10 minutes. */
  lv_push (fx->engine, "u1", "Page Visited", t + 600000, NULL, "url", "/c", NULL);
  assert_log (fx, qs, NULL);
  /* The last 3 views now span 6 minutes. */
  lv_push (fx->engine, "u1", "Page Visited", t + 660000, NULL, "url", "/d", NULL);
  assert_log (fx, qs, qw, NULL);
  /* A fifth view inside the window continues the same run: no second qualification. */
  lv_push (fx->engine, "u1", "Page Visited", t + 720000, NULL, "url", "/e", NULL);
  assert_log (fx, qs, qw, NULL);
}

static void
test_duplicates (Fixture       *fx,
                 gconstpointer  data)
{
  gint64 t = lv_ms ("2024-05-01T10:00:00Z");
  SegLiveEngineStats st;

  lv_add (fx->engine, "charged", "{\"type\":\"action\",\"event\":\"Charged\"}");
  g_assert_true (lv_push (fx->engine, "u1", "Charged", t, "ins-1", "amount", "#5", NULL));
  /* The same insert id, even with another time, is the same event delivered twice. */
  g_assert_false (lv_push (fx->engine, "u1", "Charged", t + 5, "ins-1", "amount", "#5", NULL));
  /* Without an insert id, an identical record is a duplicate; a different one is not. */
  g_assert_true (lv_push (fx->engine, "u2", "Charged", t, NULL, "amount", "#5", NULL));
  g_assert_false (lv_push (fx->engine, "u2", "Charged", t, NULL, "amount", "#5", NULL));
  g_assert_true (lv_push (fx->engine, "u2", "Charged", t, NULL, "amount", "#6", NULL));
  g_assert_cmpuint (fx->log.log->len, ==, 3);
  g_assert_cmpuint (seg_live_engine_get_n_qualifications (fx->engine, "charged"), ==, 3);
  g_assert_cmpuint (seg_live_engine_get_n_members (fx->engine, "charged"), ==, 2);
  seg_live_engine_get_stats (fx->engine, &st);
  g_assert_cmpuint (st.events, ==, 5);
  g_assert_cmpuint (st.duplicates, ==, 2);
}

static void
rate_cb (SegLiveEngine *engine,
         double         events,
         double         quals,
         gpointer       user_data)
{
  double *out = user_data;

  out[0] = events;
  out[1] = quals;
  out[2] += 1;
}

static void
test_ticks_and_expiry (Fixture       *fx,
                       gconstpointer  data)
{
  gint64 t = seg_live_clock_get_now (fx->clock);
  double rate[3] = { 0, 0, 0 };
  SegLiveEngineStats st;

  lv_add (fx->engine, "charged", "{\"type\":\"action\",\"event\":\"Charged\"}");
  g_signal_connect (fx->engine, "rate-tick", G_CALLBACK (rate_cb), rate);
  for (int i = 0; i < 20; i++)
    {
      g_autofree char *u = g_strdup_printf ("u%d", i);
      lv_push (fx->engine, u, i % 2 ? "Charged" : "Viewed", t, NULL, NULL);
    }
  seg_live_engine_get_stats (fx->engine, &st);
  g_assert_cmpuint (st.n_users, ==, 20);
  g_assert_cmpuint (st.bytes_held, >, 20 * sizeof (gpointer));
  seg_live_clock_set (fx->clock, t + 999);
  lv_iterate ();
  g_assert_cmpfloat (rate[2], ==, 0);
  seg_live_clock_set (fx->clock, t + 1000);
  lv_iterate ();
  g_assert_cmpfloat (rate[2], ==, 1);
  g_assert_cmpfloat (rate[0], ==, 20);
  g_assert_cmpfloat (rate[1], ==, 10);
  /* Idle users are dropped once no window can hold them any more. */
  seg_live_clock_set (fx->clock, t + SEG_LIVE_SESSION_GAP_MS + 2000);
  lv_iterate ();
  seg_live_engine_get_stats (fx->engine, &st);
  g_assert_cmpuint (st.n_users, ==, 0);
  g_assert_cmpuint (st.bytes_held, ==, 0);
  g_assert_cmpuint (seg_live_engine_get_n_members (fx->engine, "charged"), ==, 10);
}

static void
test_restart (void)
{
  g_autofree char *dir = lv_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "live.db", NULL);
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  gint64 t = lv_ms ("2024-05-01T10:00:00Z");
  const char *action = "{\"type\":\"action\",\"event\":\"Charged\"}";
  const char *date = "{\"type\":\"date\",\"property\":\"trial_end\",\"days_from_today\":0}";
  g_autoptr(GError) error = NULL;

  for (int run = 0; run < 2; run++)
    {
      g_autoptr(SegLiveClock) clock = seg_live_clock_new_manual (t + run * 1000);
      g_autoptr(SegLiveEngine) engine = seg_live_engine_new (clock, tz);
      g_autoptr(SegLiveSqliteSink) sink = seg_live_sqlite_sink_new (path, &error);
      LiveLog log = { g_ptr_array_new_with_free_func (g_free) };

      g_assert_no_error (error);
      lv_add (engine, "charged", action);
      lv_add (engine, "bday", date);
      seg_live_engine_set_sink (engine, SEG_LIVE_SINK (sink), &error);
      g_assert_no_error (error);
      g_signal_connect (engine, "user-qualified", G_CALLBACK (live_log_cb), &log);
      if (run == 0)
        {
          g_assert_cmpuint (seg_live_engine_get_n_members (engine, "charged"), ==, 0);
          lv_push (engine, "u1", "Charged", t, "i1", NULL);
          lv_push (engine, "u2", "Charged", t, "i2", NULL);
          lv_profile_date (engine, "u3", t, "trial_end", "2024-05-01");
          g_assert_cmpuint (log.log->len, ==, 3);
        }
      else
        {
          /* After the restart the memberships are back... */
          g_assert_cmpuint (seg_live_engine_get_n_members (engine, "charged"), ==, 2);
          g_assert_cmpuint (seg_live_engine_get_n_members (engine, "bday"), ==, 1);
          g_assert_true (seg_live_engine_is_member (engine, "charged", "u2"));
          /* ...and today's trial_end does not qualify a second time. */
          lv_profile_date (engine, "u3", t + 500, "trial_end", "2024-05-01");
          g_assert_cmpuint (log.log->len, ==, 0);
          g_assert_cmpuint (seg_live_sqlite_sink_count (sink, "charged", TRUE), ==, 2);
        }
      g_ptr_array_unref (log.log);
      g_clear_object (&engine);
    }
  lv_rmdir (dir);
}


/* seg_live_engine_push_many is the same engine, faster: over a mixed stream with
 * duplicate deliveries, windows that close and cancel, and the clock moving between
 * batches, it qualifies the same users at the same times in the same order as one push
 * per record, and drops the same duplicates. */
static void
test_push_many (void)
{
  static const char *defs[] = {
    "{\"type\":\"action\",\"event\":\"Charged\",\"where\":[{\"property\":\"amount\",\"op\":\"gt\",\"value\":50}]}",
    "{\"type\":\"inaction\",\"event\":\"Added To Cart\",\"then\":\"Charged\",\"within\":{\"n\":2,\"unit\":\"minutes\"}}",
    "{\"type\":\"page_visit\",\"url\":{\"op\":\"contains\",\"value\":\"/pricing\"}}",
    "{\"type\":\"page_count\",\"count\":3,\"within\":{\"n\":1,\"unit\":\"minutes\"}}",
  };
  static const char *events[] = { "Charged", "Added To Cart", "Page Visited", "Search" };
  static const char *urls[] = { "/", "/pricing", "/item" };
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  gint64 t0 = lv_ms ("2024-05-01T10:00:00Z");
  g_autoptr(SegLiveClock) c1 = seg_live_clock_new_manual (t0);
  g_autoptr(SegLiveClock) c2 = seg_live_clock_new_manual (t0);
  g_autoptr(SegLiveEngine) e1 = seg_live_engine_new (c1, tz);
  g_autoptr(SegLiveEngine) e2 = seg_live_engine_new (c2, tz);
  LiveLog l1 = { g_ptr_array_new_with_free_func (g_free) };
  LiveLog l2 = { g_ptr_array_new_with_free_func (g_free) };
  const guint n = 6000;
  g_autofree SegRecord *recs = g_new0 (SegRecord, n);
  g_autofree SegPropValue *props = g_new0 (SegPropValue, n);
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func (g_free);
  GRand *rand = g_rand_new_with_seed (7);
  guint consumed1 = 0, consumed2 = 0;
  SegLiveEngineStats st1, st2;

  for (guint i = 0; i < G_N_ELEMENTS (defs); i++)
    {
      g_autofree char *id = g_strdup_printf ("s%u", i);
      lv_add (e1, id, defs[i]);
      lv_add (e2, id, defs[i]);
    }
  g_signal_connect (e1, "user-qualified", G_CALLBACK (live_log_cb), &l1);
  g_signal_connect (e2, "user-qualified", G_CALLBACK (live_log_cb), &l2);
  for (guint i = 0; i < 300; i++)
    g_ptr_array_add (users, g_strdup_printf ("user-%u", i));
  for (guint i = 0; i < n; i++)
    {
      SegRecord *r = &recs[i];
      /* One record in ten is a second delivery of an earlier one. */
      if (i > 10 && g_rand_int_range (rand, 0, 10) == 0)
        {
          *r = recs[i - g_rand_int_range (rand, 1, 10)];
          continue;
        }
      r->kind = SEG_RECORD_EVENT;
      r->user_id = g_ptr_array_index (users, g_rand_int_range (rand, 0, users->len));
      r->event = events[g_rand_int_range (rand, 0, G_N_ELEMENTS (events))];
      r->ts_ms = t0 + (gint64) i * 100;
      r->props = &props[i];
      r->n_props = 1;
      if (g_str_equal (r->event, "Page Visited"))
        {
          const char *u = urls[g_rand_int_range (rand, 0, G_N_ELEMENTS (urls))];
          props[i] = (SegPropValue) { "url", SEG_VALUE_TYPE_STRING, u, strlen (u), 0 };
        }
      else
        props[i] = (SegPropValue) { "amount", SEG_VALUE_TYPE_NUMBER, NULL, 0, g_rand_int_range (rand, 1, 100) };
    }
  g_rand_free (rand);

  for (guint i = 0; i < n; )
    {
      guint len = MIN (37 + i % 50, n - i);
      gint64 now = t0 + (gint64) i * 100;

      seg_live_clock_set (c1, now);
      seg_live_clock_set (c2, now);
      lv_iterate ();
      for (guint k = 0; k < len; k++)
        consumed1 += seg_live_engine_push (e1, &recs[i + k]);
      consumed2 += seg_live_engine_push_many (e2, &recs[i], len);
      i += len;
    }
  seg_live_clock_set (c1, t0 + (gint64) n * 100 + 10 * 60 * 1000);
  seg_live_clock_set (c2, t0 + (gint64) n * 100 + 10 * 60 * 1000);
  lv_iterate ();

  g_assert_cmpuint (consumed1, <, n);
  g_assert_cmpuint (consumed2, ==, consumed1);
  g_assert_cmpuint (l1.log->len, >, 100);
  g_assert_cmpuint (l2.log->len, ==, l1.log->len);
  for (guint i = 0; i < l1.log->len; i++)
    g_assert_cmpstr (g_ptr_array_index (l2.log, i), ==, g_ptr_array_index (l1.log, i));
  seg_live_engine_get_stats (e1, &st1);
  seg_live_engine_get_stats (e2, &st2);
  g_assert_cmpuint (st2.duplicates, ==, st1.duplicates);
  g_assert_cmpuint (st2.pending_timers, ==, 0);
  g_assert_cmpuint (st2.n_users, ==, st1.n_users);
  g_assert_cmpuint (st2.bytes_held, ==, st1.bytes_held);
  g_ptr_array_unref (l1.log);
  g_ptr_array_unref (l2.log);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/live/engine/action", Fixture, NULL, fixture_setup, test_action, fixture_teardown);
  g_test_add ("/live/engine/active-users", Fixture, NULL, fixture_setup, test_active_users, fixture_teardown);
  g_test_add ("/live/engine/inaction-deadline", Fixture, NULL, fixture_setup, test_inaction_deadline, fixture_teardown);
  g_test_add ("/live/engine/inaction-cancel", Fixture, NULL, fixture_setup, test_inaction_cancel, fixture_teardown);
  g_test_add ("/live/engine/inaction-order", Fixture, NULL, fixture_setup, test_inaction_order, fixture_teardown);
  g_test_add ("/live/engine/date-rollover", Fixture, "Europe/Berlin", fixture_setup, test_date_rollover, fixture_teardown);
  g_test_add ("/live/engine/page-visit-referrer", Fixture, NULL, fixture_setup, test_page_visit_referrer, fixture_teardown);
  g_test_add ("/live/engine/page-count", Fixture, NULL, fixture_setup, test_page_count, fixture_teardown);
  g_test_add ("/live/engine/duplicates", Fixture, NULL, fixture_setup, test_duplicates, fixture_teardown);
  g_test_add ("/live/engine/ticks-expiry", Fixture, NULL, fixture_setup, test_ticks_and_expiry, fixture_teardown);
  g_test_add_func ("/live/engine/restart", test_restart);
  g_test_add_func ("/live/engine/push-many", test_push_many);
  return g_test_run ();
}
