/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark of the live engine and the ingest endpoint (issue 7). Not run in CI:
 *   _build/tests/live/bench-live [--events N] [--batch N] [--batches N]
 * --batch: records per engine call (64 by default, through seg_live_engine_push_many;
 * 1: one seg_live_engine_push per record); --batches: ingest requests of 1,000 records.
 * prints one JSON object per measurement. */
#include "config.h"

#include <libsoup/soup.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>

#include "live-fixture.h"
#include "live/seg-live-ingest.h"
#include "seg-local-store.h"

static const char *segments[] = {
  "{\"type\":\"action\",\"event\":\"Charged\"}",
  "{\"type\":\"action\",\"event\":\"Charged\",\"where\":[{\"property\":\"amount\",\"op\":\"gt\",\"value\":90}]}",
  "{\"type\":\"action\",\"event\":\"App Launched\",\"where\":[{\"property\":\"platform\",\"op\":\"equals\",\"value\":\"iOS\"}]}",
  "{\"type\":\"action\",\"event\":\"Search\",\"where\":[{\"property\":\"query\",\"op\":\"contains\",\"value\":\"shoe\"}]}",
  "{\"type\":\"action\",\"event\":\"Added To Cart\",\"where\":[{\"property\":\"amount\",\"op\":\"between\",\"value\":[10,20]}]}",
  "{\"type\":\"action\",\"event\":\"Signed Up\"}",
  "{\"type\":\"inaction\",\"event\":\"Added To Cart\",\"then\":\"Charged\",\"within\":{\"n\":10,\"unit\":\"minutes\"}}",
  "{\"type\":\"inaction\",\"event\":\"App Launched\",\"then\":\"Search\",\"within\":{\"n\":2,\"unit\":\"minutes\"}}",
  "{\"type\":\"inaction\",\"event\":\"Signed Up\",\"then\":\"Charged\",\"within\":{\"n\":1,\"unit\":\"days\"}}",
  "{\"type\":\"inaction\",\"event\":\"Search\",\"then\":\"Added To Cart\",\"within\":{\"n\":5,\"unit\":\"minutes\"}}",
  "{\"type\":\"date\",\"property\":\"renewal\",\"days_from_today\":3}",
  "{\"type\":\"date\",\"property\":\"trial_end\",\"days_from_today\":0}",
  "{\"type\":\"page_visit\",\"url\":{\"op\":\"contains\",\"value\":\"/pricing\"}}",
  "{\"type\":\"page_visit\",\"url\":{\"op\":\"ends_with\",\"value\":\"/checkout\"}}",
  "{\"type\":\"page_visit\",\"url\":{\"op\":\"starts_with\",\"value\":\"https://shop.example.com/sale\"}}",
  "{\"type\":\"referrer\",\"referrer\":{\"op\":\"contains\",\"value\":\"google.\"}}",
  "{\"type\":\"referrer\",\"referrer\":{\"op\":\"equals\",\"value\":\"https://news.ycombinator.com/\"}}",
  "{\"type\":\"page_count\",\"count\":5,\"within\":\"session\"}",
  "{\"type\":\"page_count\",\"count\":3,\"within\":{\"n\":10,\"unit\":\"minutes\"}}",
  "{\"type\":\"page_count\",\"count\":10,\"within\":{\"n\":1,\"unit\":\"hours\"}}",
};

static const char *events[] = { "Charged", "App Launched", "Search", "Added To Cart", "Page Visited",
                                 "Page Visited", "Page Visited", "Signed Up", "Viewed Item", "Logout" };
static const char *urls[] = { "https://shop.example.com/", "https://shop.example.com/pricing",
                              "https://shop.example.com/checkout", "https://shop.example.com/sale/1",
                              "https://shop.example.com/item/42" };
static const char *refs[] = { "https://www.google.com/", "https://news.ycombinator.com/",
                              "https://bing.com/", "" };

static inline gint64
cpu_ns (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* CPU time of the whole process (all threads: the ingest commits in a worker). */
static inline double
process_cpu_s (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static inline gint64
now_ns (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

typedef struct
{
  gint64   start;
  GArray  *lat;
  guint64  n;
  gboolean first_only;   /* single pushes: the first signal of a push */
} Probe;

static void
probe_cb (SegLiveEngine *e,
          const char    *seg,
          const char    *user,
          gint64         ts,
          Probe         *p)
{
  p->n++;
  if (p->start != 0)
    {
      double ns = (double) (now_ns () - p->start);
      g_array_append_val (p->lat, ns);
      if (p->first_only)
        p->start = 0;
    }
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

#define N_USERS 100000
#define N_PRE   (1 << 20)

typedef struct
{
  SegRecord    *recs;
  SegPropValue *props;
  GPtrArray    *user_ids;
} Input;

static void
input_init (Input *in)
{
  const guint n_users = N_USERS, n_pre = N_PRE;
  SegRecord *recs = in->recs = g_new0 (SegRecord, n_pre);
  SegPropValue *props = in->props = g_new0 (SegPropValue, n_pre * 2);
  GPtrArray *user_ids = in->user_ids = g_ptr_array_new_with_free_func (g_free);
  GRand *rand = g_rand_new_with_seed (42);

  for (guint i = 0; i < n_users; i++)
    g_ptr_array_add (user_ids, g_strdup_printf ("user-%u", i));
  for (guint i = 0; i < n_pre; i++)
    {
      SegRecord *r = &recs[i];
      SegPropValue *p = &props[i * 2];
      r->kind = SEG_RECORD_EVENT;
      r->user_id = g_ptr_array_index (user_ids, g_rand_int_range (rand, 0, n_users));
      r->event = events[g_rand_int_range (rand, 0, G_N_ELEMENTS (events))];
      r->props = p;
      if (g_str_equal (r->event, "Page Visited"))
        {
          const char *u = urls[g_rand_int_range (rand, 0, G_N_ELEMENTS (urls))];
          const char *f = refs[g_rand_int_range (rand, 0, G_N_ELEMENTS (refs))];
          p[0] = (SegPropValue) { "url", SEG_VALUE_TYPE_STRING, u, strlen (u), 0 };
          p[1] = (SegPropValue) { "referrer", SEG_VALUE_TYPE_STRING, f, strlen (f), 0 };
          r->n_props = 2;
        }
      else
        {
          p[0] = (SegPropValue) { "amount", SEG_VALUE_TYPE_NUMBER, NULL, 0, g_rand_int_range (rand, 1, 100) };
          p[1] = (SegPropValue) { "platform", SEG_VALUE_TYPE_STRING, "iOS", 3, 0 };
          r->n_props = 2;
        }
    }
  g_rand_free (rand);
}

static void
input_clear (Input *in)
{
  g_free (in->recs);
  g_free (in->props);
  g_ptr_array_unref (in->user_ids);
}

typedef struct
{
  double seconds;
  double cpu_seconds;
} Timing;

static int
cmp_timing (gconstpointer a,
            gconstpointer b)
{
  double x = ((const Timing *) a)->cpu_seconds, y = ((const Timing *) b)->cpu_seconds;
  return x < y ? -1 : x > y;
}

/* The baseline the engine is compared with, on the same records in the same run: what
 * any consumer of the records pays before it does anything of its own (hash the user id,
 * find the user in a hash table, find the event name in a table, count it). */
static Timing
bench_dispatch (Input *in,
                guint  n_events)
{
  g_autoptr(GHashTable) users = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  guint *counts = g_new0 (guint, N_USERS);
  guint64 n_users = 0, n_known = 0;
  gint64 start, cpu_start;
  Timing t;

  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    g_hash_table_insert (names, (gpointer) events[i], GUINT_TO_POINTER (i + 1));
  start = now_ns ();
  cpu_start = cpu_ns ();
  for (guint i = 0; i < n_events; i++)
    {
      const SegRecord *r = &in->recs[i & (N_PRE - 1)];
      gpointer u = g_hash_table_lookup (users, r->user_id);

      if (u == NULL)
        {
          u = GUINT_TO_POINTER (++n_users);
          g_hash_table_insert (users, (gpointer) r->user_id, u);
        }
      if (g_hash_table_lookup (names, r->event) != NULL)
        n_known++;
      counts[GPOINTER_TO_UINT (u) - 1]++;
    }
  t.seconds = (now_ns () - start) / 1e9;
  t.cpu_seconds = (cpu_ns () - cpu_start) / 1e9;
  g_assert_cmpuint (n_known, ==, n_events);
  g_free (counts);
  return t;
}

static Timing
bench_engine (Input   *in,
              guint    n_events,
              guint    batch,
              gboolean print)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  gint64 t0 = lv_ms ("2024-05-01T10:00:00Z");
  g_autoptr(SegLiveClock) clock = seg_live_clock_new_manual (t0);
  g_autoptr(SegLiveEngine) engine = seg_live_engine_new (clock, tz);
  const guint n_pre = N_PRE;
  SegRecord *recs = in->recs;
  Probe probe = { 0, g_array_new (FALSE, FALSE, sizeof (double)), 0, batch == 1 };
  SegLiveEngineStats st;
  gint64 start, elapsed, cpu_start, cpu;
  guint64 quals_before;
  double *lat;
  guint nl;
  Timing timing;

  for (guint i = 0; i < G_N_ELEMENTS (segments); i++)
    {
      g_autofree char *id = g_strdup_printf ("s%02u", i);
      lv_add (engine, id, segments[i]);
    }
  g_signal_connect (engine, "user-qualified", G_CALLBACK (probe_cb), &probe);

  /* 1,000 events per simulated second: the clock advances and deadlines fire on the way. */
  quals_before = probe.n;
  start = now_ns ();
  cpu_start = cpu_ns ();
  /* Records arrive in batches of `batch` (1: one push per record), never across a
   * 1,024 boundary, where the clock moves. A qualification's latency is measured from the
   * moment its batch arrived (one batch in 64 is timed). */
  for (guint i = 0, nb = 0; i < n_events; nb++)
    {
      guint len = MIN (MIN (batch, n_events - i), 1024 - (i & 1023));
      guint at = i & (n_pre - 1);

      len = MIN (len, n_pre - at);
      for (guint k = 0; k < len; k++)
        recs[at + k].ts_ms = t0 + i + k;
      if ((i & 1023) == 0)
        {
          seg_live_clock_set (clock, t0 + i);
          lv_iterate ();
        }
      if ((nb & 63) == 0)
        probe.start = now_ns ();
      if (batch == 1)
        seg_live_engine_push (engine, &recs[at]);
      else
        seg_live_engine_push_many (engine, &recs[at], len);
      probe.start = 0;
      i += len;
    }
  elapsed = now_ns () - start;
  cpu = cpu_ns () - cpu_start;
  seg_live_engine_get_stats (engine, &st);
  lat = (double *) probe.lat->data;
  nl = probe.lat->len;
  qsort (lat, nl, sizeof (double), cmp_double);
  timing.seconds = elapsed / 1e9;
  timing.cpu_seconds = cpu / 1e9;
  if (print)
    printf ("{\"bench\":\"engine\",\"segments\":%u,\"batch\":%u,\"events\":%u,\"seconds\":%.3f,\"events_per_s\":%.0f,"
            "\"cpu_seconds\":%.3f,\"events_per_cpu_s\":%.0f,"
            "\"qualifications\":%" G_GUINT64_FORMAT ",\"users_held\":%u,\"bytes_held\":%zu,"
            "\"latency_samples\":%u,\"latency_median_us\":%.3f,\"latency_p99_us\":%.3f,\"latency_max_us\":%.3f}\n",
            (guint) G_N_ELEMENTS (segments), batch, n_events, elapsed / 1e9, n_events / (elapsed / 1e9),
            cpu / 1e9, n_events / (cpu / 1e9),
            probe.n - quals_before, st.n_users, st.bytes_held, nl,
            nl ? lat[nl / 2] / 1000 : 0, nl ? lat[(guint) (nl * 0.99)] / 1000 : 0,
            nl ? lat[nl - 1] / 1000 : 0);
  g_array_unref (probe.lat);
  return timing;
}

typedef struct
{
  guint     in_flight;
  guint     sent;
  guint     total;
  guint     failed;
  SoupSession *session;
  char     *uri;
  GPtrArray *bodies;
} Client;

static void send_next (Client *c);

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Client *c = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  if (bytes == NULL || soup_message_get_status (msg) != 200 ||
      !g_str_has_prefix (g_bytes_get_data (bytes, NULL), "{\"status\":\"success\""))
    c->failed++;
  c->in_flight--;
  send_next (c);
}

static void
send_next (Client *c)
{
  while (c->in_flight < 4 && c->sent < c->total)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", c->uri);
      GBytes *body = g_ptr_array_index (c->bodies, c->sent % c->bodies->len);
      soup_message_set_request_body_from_bytes (msg, "application/json", body);
      soup_session_send_and_read_async (c->session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, c);
      c->in_flight++;
      c->sent++;
    }
}

static void
bench_ingest (guint n_batches)
{
  g_autofree char *dir = lv_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SegLocalStore) store = seg_local_store_new (path, "UTC", &error);
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  g_autoptr(SegLiveClock) clock = seg_live_clock_new_real ();
  g_autoptr(SegLiveEngine) engine = seg_live_engine_new (clock, tz);
  g_autoptr(SegLiveIngest) ingest = seg_live_ingest_new (engine, SEG_STORE (store), NULL);
  Client c = { 0 };
  gint64 start, elapsed, cpu_start, cpu;
  double pcpu;
  guint64 n_stored;

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (segments); i++)
    {
      g_autofree char *id = g_strdup_printf ("s%02u", i);
      lv_add (engine, id, segments[i]);
    }
  g_assert_true (seg_live_ingest_listen (ingest, NULL, 0, &error));
  c.session = soup_session_new ();
  c.uri = g_strdup_printf ("http://127.0.0.1:%u/1/upload", seg_live_ingest_get_port (ingest));
  c.total = n_batches;
  c.bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (guint b = 0; b < n_batches; b++)
    {
      GString *s = g_string_new ("{\"d\":[");
      for (guint i = 0; i < 1000; i++)
        g_string_append_printf (s, "%s{\"type\":\"event\",\"identity\":\"user-%u\",\"ts\":%" G_GINT64_FORMAT
                                ",\"evtName\":\"%s\",\"evtData\":{\"amount\":%u,\"platform\":\"iOS\"}}",
                                i ? "," : "", (b * 7919 + i * 104729) % 100000,
                                (gint64) 1714557600000 + b * 1000 + i, events[i % 4], i % 100);
      g_string_append (s, "]}");
      g_ptr_array_add (c.bodies, g_string_free_to_bytes (s));
    }
  start = now_ns ();
  cpu_start = cpu_ns ();
  pcpu = process_cpu_s ();
  send_next (&c);
  while (c.in_flight > 0 || c.sent < c.total)
    g_main_context_iteration (NULL, TRUE);
  elapsed = now_ns () - start;
  cpu = cpu_ns () - cpu_start;
  pcpu = process_cpu_s () - pcpu;
  n_stored = seg_local_store_get_n_events (store);
  printf ("{\"bench\":\"ingest\",\"batches\":%u,\"batch_size\":1000,\"failed\":%u,\"events_stored\":%" G_GUINT64_FORMAT
          ",\"seconds\":%.3f,\"events_per_s\":%.0f,\"main_thread_cpu_seconds\":%.3f,"
          "\"process_cpu_seconds\":%.3f,\"events_per_cpu_s\":%.0f}\n",
          n_batches, c.failed, n_stored, elapsed / 1e9, n_stored / (elapsed / 1e9), cpu / 1e9,
          pcpu, n_stored / pcpu);
  g_free (c.uri);
  g_ptr_array_unref (c.bodies);
  g_object_unref (c.session);
  g_clear_object (&ingest);
  g_clear_object (&engine);
  g_clear_object (&store);
  lv_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  int n_events = 5000000;
  int batch = 64;
  int n_batches = 200;
  int runs = 1;
  const GOptionEntry entries[] = {
    { "events", 0, 0, G_OPTION_ARG_INT, &n_events, "Events through the engine", "N" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, "Records per engine call (1: seg_live_engine_push)", "N" },
    { "batches", 0, 0, G_OPTION_ARG_INT, &n_batches, "Ingest batches of 1,000 (0: skip)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Engine runs, alternating with the baseline; medians reported", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("— live engine and ingest benchmark");

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, NULL))
    return 2;
  if (n_events > 0)
    {
      Input in;
      g_autoptr(GArray) eng = g_array_new (FALSE, FALSE, sizeof (Timing));
      g_autoptr(GArray) base = g_array_new (FALSE, FALSE, sizeof (Timing));
      Timing e, b;

      input_init (&in);
      for (int r = 0; r < MAX (runs, 1); r++)
        {
          Timing t = bench_dispatch (&in, (guint) n_events);
          g_array_append_val (base, t);
          t = bench_engine (&in, (guint) n_events, (guint) MAX (batch, 1), TRUE);
          g_array_append_val (eng, t);
        }
      g_array_sort (eng, cmp_timing);
      g_array_sort (base, cmp_timing);
      e = g_array_index (eng, Timing, eng->len / 2);
      b = g_array_index (base, Timing, base->len / 2);
      /* Medians by CPU time; the ratio is what the engine costs per event against the
       * dispatch-only loop, which a loaded machine slows about as much. */
      printf ("{\"bench\":\"engine-median\",\"runs\":%u,\"events\":%d,\"batch\":%d,"
              "\"engine_seconds\":%.3f,\"engine_cpu_seconds\":%.3f,\"engine_events_per_cpu_s\":%.0f,"
              "\"baseline_seconds\":%.3f,\"baseline_cpu_seconds\":%.3f,\"baseline_events_per_cpu_s\":%.0f,"
              "\"engine_over_baseline\":%.2f}\n",
              eng->len, n_events, MAX (batch, 1), e.seconds, e.cpu_seconds, n_events / e.cpu_seconds,
              b.seconds, b.cpu_seconds, n_events / b.cpu_seconds, e.cpu_seconds / b.cpu_seconds);
      input_clear (&in);
    }
  if (n_batches > 0)
    bench_ingest ((guint) n_batches);
  return 0;
}
