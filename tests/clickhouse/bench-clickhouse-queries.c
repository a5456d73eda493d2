/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/resource.h>
#include <string.h>

#include "ch-test-util.h"
#include "clickhouse/seg-clickhouse-compiler.h"
#include "clickhouse/seg-clickhouse-store.h"
#include "seg-canonical-csv.h"
#include "seg-definition.h"
#include "seg-store-writer.h"
#include "seg-time.h"

/*
 * Numbers for the report (not a test): the SQL the compiler writes for the benchmark
 * queries Q1–Q8 (tests/bench/queries/qN.json) against hand-written SQL for the same
 * questions (tests/clickhouse/queries/qN.sql), on seg-gen data (seed 1) in ClickHouse.
 * Each query runs once to warm up, then --runs times alternating with its twin. Reported:
 * the medians of the wall-clock times (request to last row, through SegClickhouseClient),
 * of the server's CPU time (user+sys from system.query_log), their ratio compiled/hand,
 * and the worst time from the first byte of an answer to its first row as the client
 * hands it out (its streaming path, seg_clickhouse_client_get_last_timing()). The answers
 * must be equal (exit status 1 otherwise).
 *
 *   bench-clickhouse-queries [--size S|L] [--runs 5] [--database NAME] [--print-sql]
 *   bench-clickhouse-queries --size L --drop     (drops seg_bench_l and exits)
 *
 * The server is SEG_CLICKHOUSE_URL (default :18123). The data goes into a database of its
 * own (seg_bench_s, seg_bench_l) and is kept there: a later run finds it (a marker table,
 * seg_bench_info, says which size was loaded) and does not load it again.
 */

#define NOW_ISO "2024-06-30T12:00:00Z"

static char *opt_size = NULL;
static int opt_runs = 5;
static char *opt_database = NULL;
static gboolean opt_drop = FALSE;
static gboolean opt_print_sql = FALSE;

static const GOptionEntry entries[] = {
  { "size", 0, 0, G_OPTION_ARG_STRING, &opt_size, "seg-gen size (S: 1M events, L: 10M)", "SIZE" },
  { "runs", 0, 0, G_OPTION_ARG_INT, &opt_runs, "timed runs per query (default 5)", "N" },
  { "database", 0, 0, G_OPTION_ARG_STRING, &opt_database, "database to use (default seg_bench_SIZE)", "NAME" },
  { "drop", 0, 0, G_OPTION_ARG_NONE, &opt_drop, "drop the database and exit", NULL },
  { "print-sql", 0, 0, G_OPTION_ARG_NONE, &opt_print_sql, "print the compiled SQL", NULL },
  { NULL }
};

static SegDefinition *q3_def;

static gboolean
resolve_cb (const char      *id,
            SegSegmentKind  *kind,
            SegDefinition  **definition,
            gpointer         user_data)
{
  if (!g_str_equal (id, "bench-q3"))
    return FALSE;
  *kind = SEG_SEGMENT_KIND_PAST_BEHAVIOR;
  *definition = seg_definition_ref (q3_def);
  return TRUE;
}

static char *
read_text (const char *dir,
           const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, &error))
    g_error ("%s", error->message);
  return text;
}

static char *
replace (const char *text,
         const char *from,
         const char *to)
{
  g_auto(GStrv) parts = g_strsplit (text, from, -1);

  return g_strjoinv ((char *) to, parts);
}

/* Runs @sql (tagged with a comment, to find it in system.query_log) and returns its
 * answer as text (rows joined); *ms is the wall time, *first_row_ms the time from the
 * first byte of the answer to its first row in the client. */
static char *
run (SegClickhouseClient *client,
     const char          *tag,
     const char          *sql,
     double              *ms,
     double              *first_row_ms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GString) answer = g_string_new (NULL);
  g_autofree char *tagged = g_strdup_printf ("/* %s */ %s", tag, sql);
  SegClickhouseQueryTiming timing;
  gint64 t0 = g_get_monotonic_time ();

  rows = seg_clickhouse_client_query (client, tagged, NULL, NULL, NULL, NULL, &error);
  *ms = (g_get_monotonic_time () - t0) / 1000.0;
  if (rows == NULL)
    g_error ("%s\n%s", error->message, sql);
  seg_clickhouse_client_get_last_timing (client, &timing);
  g_assert_cmpint (timing.first_byte_us, >, 0);
  g_assert_cmpint (timing.first_row_us, >=, timing.first_byte_us);
  *first_row_ms = (timing.first_row_us - timing.first_byte_us) / 1000.0;
  for (guint i = 0; i < rows->len; i++)
    {
      JsonObject *row = g_ptr_array_index (rows, i);
      JsonNode *n = json_object_get_member (row, "n");
      g_autofree char *text = json_to_string (n, FALSE);

      g_string_append_printf (answer, "%s%s", i ? "," : "", text);
    }
  return g_string_free (g_steal_pointer (&answer), FALSE);
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (GArray *times)
{
  g_array_sort (times, cmp_double);
  return g_array_index (times, double, times->len / 2);
}

/* The median server CPU time (user+sys, ms) of the queries tagged @tag in this run. */
static double
server_cpu_ms (SegClickhouseClient *client,
               const char          *run_id,
               const char          *tag,
               guint                n_expected)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT count() AS c, quantileExact(0.5)(cpu) AS m FROM ("
    " SELECT (ProfileEvents.Values[indexOf(ProfileEvents.Names, 'UserTimeMicroseconds')]"
    " + ProfileEvents.Values[indexOf(ProfileEvents.Names, 'SystemTimeMicroseconds')]) / 1000 AS cpu"
    " FROM system.query_log WHERE type = 2 AND event_date >= yesterday()"
    " AND position(query, '/* %s %s */') = 1)", run_id, tag);
  g_autoptr(GError) error = NULL;

  /* The server writes its query log every 7.5 s. */
  for (guint attempt = 0; attempt < 40; attempt++)
    {
      g_autoptr(GPtrArray) rows = seg_clickhouse_client_query (client, sql, NULL, NULL, NULL, NULL, &error);
      JsonObject *row;

      g_assert_no_error (error);
      row = g_ptr_array_index (rows, 0);
      if (g_ascii_strtoull (json_object_get_string_member (row, "c"), NULL, 10) >= n_expected)
        return json_object_get_double_member (row, "m");
      g_usleep (500 * 1000);
    }
  return -1;
}

static double
max_of (GArray *values)
{
  double m = 0;

  for (guint i = 0; i < values->len; i++)
    m = MAX (m, g_array_index (values, double, i));
  return m;
}

static void
import_data (SegClickhouseStore *store,
             const char         *size,
             gint64              now)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("seg-bench-ch-XXXXXX", &error);
  g_autofree char *events = g_build_filename (dir, "events.csv", NULL);
  g_autofree char *profiles = g_build_filename (dir, "profiles.csv", NULL);
  g_autoptr(SegStoreWriter) writer = NULL;
  const char *argv[] = { SEG_GEN_PATH, "--quiet", "--size", size, "--now", NOW_ISO,
                         "-o", events, "-p", profiles, NULL };
  const char *files[] = { events, profiles };
  int status = 0;
  gint64 t0;

  g_assert_no_error (error);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);

  t0 = g_get_monotonic_time ();
  writer = seg_store_begin_write (SEG_STORE (store), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      SegCanonicalCsvStats st;

      if (!seg_canonical_csv_import (writer, files[i], seg_store_get_timezone (SEG_STORE (store)),
                                     now, &st, NULL, &error))
        g_error ("%s", error->message);
      g_print ("imported %s: %" G_GUINT64_FORMAT " rows\n", files[i], st.rows_read);
      seg_canonical_csv_stats_clear (&st);
    }
  if (!seg_store_writer_commit (writer, NULL, &error))
    g_error ("%s", error->message);
  g_print ("import: %.1f s\n", (g_get_monotonic_time () - t0) / 1e6);
  g_unlink (events);
  g_unlink (profiles);
  g_rmdir (dir);
}

static void
drop_database (const char *database)
{
  g_autoptr(SegClickhouseClient) server = seg_clickhouse_client_new (ch_test_url (), NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *drop = g_strdup_printf ("DROP DATABASE IF EXISTS `%s`", database);

  if (!seg_clickhouse_client_execute_server (server, drop, NULL, &error))
    g_error ("%s", error->message);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) ctx = g_option_context_new ("— compiled against hand-written SQL for Q1–Q8");
  g_autoptr(GError) error = NULL;
  g_autoptr(SegClickhouseClient) client = NULL;
  g_autoptr(SegClickhouseStore) store = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *database = NULL;
  g_autofree char *loaded = NULL;
  g_autofree char *n_events = NULL;
  g_autofree char *run_id = NULL;
  g_autofree char *version = NULL;
  const char *names[] = { "q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8" };
  double mh[8], mc[8], fr[8];
  char *ah[8] = { NULL }, *ac[8] = { NULL };
  gint64 now, d[91];
  guint32 today;
  gboolean all_equal = TRUE;
  double worst = 0, worst_cpu = 0, worst_first_row = 0;
  struct rusage ru0, ru1;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (opt_size == NULL)
    opt_size = g_strdup ("S");
  if (opt_runs < 1)
    opt_runs = 1;
  if (!ch_test_server_answers (ch_test_url ()))
    {
      g_printerr ("No ClickHouse server answers at %s\n", ch_test_url ());
      return 1;
    }
  database = opt_database ? g_strdup (opt_database) : g_strdup_printf ("seg_bench_%s", opt_size);
  for (char *c = database; *c; c++)
    *c = g_ascii_tolower (*c);
  if (opt_drop)
    {
      drop_database (database);
      g_print ("dropped %s\n", database);
      return 0;
    }

  g_assert_true (seg_time_parse_timestamp (NOW_ISO, strlen (NOW_ISO), utc, &now));
  today = seg_time_day_of (utc, now);
  for (guint n = 1; n < G_N_ELEMENTS (d); n++)
    d[n] = seg_time_midnight (utc, today - (n - 1));

  client = seg_clickhouse_client_new (ch_test_url (), NULL, NULL, database);
  seg_clickhouse_client_set_timeout (client, 600);
  store = seg_clickhouse_store_new (client, NULL, "UTC", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (seg_clickhouse_client_execute (client,
    "CREATE TABLE IF NOT EXISTS seg_bench_info (size String, seed UInt32, n_events UInt64) "
    "ENGINE = TinyLog", NULL, NULL, &error));
  g_assert_no_error (error);
  n_events = ch_test_scalar (client, "SELECT toString(count()) FROM events");
  loaded = ch_test_scalar (client, "SELECT concat(any(size), ':', toString(any(n_events))) FROM seg_bench_info");
  {
    g_autofree char *want = g_strdup_printf ("%s:%s", opt_size, n_events);

    if (!g_str_equal (loaded, want) || g_str_equal (n_events, "0"))
      {
        g_autofree char *mark = NULL;

        if (!g_str_equal (n_events, "0"))
          {
            /* Another size, or a load that did not finish: start over. */
            g_clear_object (&store);
            drop_database (database);
            store = seg_clickhouse_store_new (client, NULL, "UTC", NULL, &error);
            g_assert_no_error (error);
            g_assert_true (seg_clickhouse_client_execute (client,
              "CREATE TABLE IF NOT EXISTS seg_bench_info (size String, seed UInt32, n_events UInt64) "
              "ENGINE = TinyLog", NULL, NULL, &error));
          }
        import_data (store, opt_size, now);
        g_free (n_events);
        n_events = ch_test_scalar (client, "SELECT toString(count()) FROM events");
        mark = g_strdup_printf ("INSERT INTO seg_bench_info VALUES ('%s', 1, %s)", opt_size, n_events);
        g_assert_true (seg_clickhouse_client_execute (client, mark, NULL, NULL, &error));
        g_assert_no_error (error);
      }
    else
      g_print ("reusing %s (%s events of size %s; drop it with --drop)\n", database, n_events, opt_size);
  }
  version = ch_test_scalar (client, "SELECT version()");
  g_print ("data: %s events, size %s, seed 1, database %s, ClickHouse %s, now %s, %d runs\n",
           n_events, opt_size, database, version, NOW_ISO, opt_runs);

  {
    g_autofree char *q3 = read_text (SEG_BENCH_QUERIES, "q3.json");
    q3_def = seg_definition_new_from_json (q3, -1, &error);
    g_assert_no_error (error);
  }

  /* Every query of this run is tagged with its id so that the server's CPU time can be
   * read back from its query log. */
  run_id = g_strdup_printf ("seg-bench-%" G_GINT64_FORMAT, g_get_real_time ());
  seg_clickhouse_client_set_setting (client, "log_queries", "1");
  getrusage (RUSAGE_SELF, &ru0);

  for (guint q = 0; q < G_N_ELEMENTS (names); q++)
    {
      g_autofree char *json_name = g_strdup_printf ("%s.json%s", names[q], q == 5 ? ".in" : "");
      g_autofree char *sql_name = g_strdup_printf ("%s.sql", names[q]);
      g_autofree char *json = read_text (SEG_BENCH_QUERIES, json_name);
      g_autofree char *json_bound = replace (json, "@Q3_SEGMENT_ID@", "bench-q3");
      g_autofree char *hand = read_text (SEG_CH_QUERIES, sql_name);
      g_autoptr(SegDefinition) def = seg_definition_new_from_json (json_bound, -1, &error);
      SegClickhouseCompileParams params = { utc, now, resolve_cb, NULL };
      g_autofree char *compiled = NULL;
      g_autofree char *tag_h = g_strdup_printf ("%s %s-hand", run_id, names[q]);
      g_autofree char *tag_c = g_strdup_printf ("%s %s-compiled", run_id, names[q]);
      g_autoptr(GArray) th = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) tc = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) tf = g_array_new (FALSE, FALSE, sizeof (double));
      double ms, first;

      g_assert_no_error (error);
      for (guint n = G_N_ELEMENTS (d) - 1; n >= 1; n--)
        {
          g_autofree char *key = g_strdup_printf ("@D%u@", n);
          g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, d[n]);
          char *next = replace (hand, key, value);
          g_free (hand);
          hand = next;
        }
      {
        g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, now);
        char *next = replace (hand, "@NOW@", value);
        g_free (hand);
        hand = next;
      }

      if (q == 7)
        {
          /* Q8 is the 30-day trend of "did Charged today". */
          gint64 bounds[31];
          for (guint i = 0; i <= 30; i++)
            bounds[i] = seg_time_midnight (utc, today - 29 + i);
          compiled = seg_clickhouse_compile_daily_trend (&params, def, bounds, 30, &error);
        }
      else
        {
          /* Counted as the store counts (evaluate_thread in seg-clickhouse-store.c). */
          gboolean distinct = TRUE;
          g_autofree char *members = seg_clickhouse_compile_member_rows (&params, def, &distinct, &error);

          compiled = g_strdup_printf ("SELECT %s AS n FROM (%s)",
                                      distinct ? "count()" : "uniqExact(user_id)", members);
        }
      g_assert_no_error (error);
      g_assert_nonnull (compiled);
      if (opt_print_sql)
        g_print ("%s compiled:\n%s\n", names[q], compiled);

      g_free (run (client, "warm-up", hand, &ms, &first));
      g_free (run (client, "warm-up", compiled, &ms, &first));
      for (int r = 0; r < opt_runs; r++)
        {
          g_free (ah[q]);
          ah[q] = run (client, tag_h, hand, &ms, &first);
          g_array_append_val (th, ms);
          g_array_append_val (tf, first);
          g_free (ac[q]);
          ac[q] = run (client, tag_c, compiled, &ms, &first);
          g_array_append_val (tc, ms);
          g_array_append_val (tf, first);
        }
      mh[q] = median (th);
      mc[q] = median (tc);
      fr[q] = max_of (tf);
    }
  getrusage (RUSAGE_SELF, &ru1);

  g_print ("\n| query | hand ms | compiled ms | ratio | hand CPU ms | compiled CPU ms | CPU ratio | first row after first byte (max) | answer |\n"
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
  for (guint q = 0; q < G_N_ELEMENTS (names); q++)
    {
      g_autofree char *tag_h = g_strdup_printf ("%s-hand", names[q]);
      g_autofree char *tag_c = g_strdup_printf ("%s-compiled", names[q]);
      double ch = server_cpu_ms (client, run_id, tag_h, opt_runs);
      double cc = server_cpu_ms (client, run_id, tag_c, opt_runs);
      gboolean equal = g_str_equal (ah[q], ac[q]);

      worst = MAX (worst, mc[q] / mh[q]);
      if (ch > 0 && cc > 0)
        worst_cpu = MAX (worst_cpu, cc / ch);
      worst_first_row = MAX (worst_first_row, fr[q]);
      all_equal &= equal;
      g_print ("| Q%u | %.1f | %.1f | %.2f | %.1f | %.1f | %.2f | %.2f ms | %s%s |\n",
               q + 1, mh[q], mc[q], mc[q] / mh[q], ch, cc,
               ch > 0 ? cc / ch : 0, fr[q],
               strlen (ac[q]) > 40 ? "30 daily counts" : ac[q],
               equal ? "" : " **MISMATCH**");
      if (!equal)
        g_print ("  hand: %s\n  compiled: %s\n", ah[q], ac[q]);
      g_free (ah[q]);
      g_free (ac[q]);
    }
  g_print ("\nworst ratio compiled/hand: wall %.2f, server CPU %.2f; worst first row after first byte: %.2f ms\n",
           worst, worst_cpu, worst_first_row);
  g_print ("this process: %.1f s CPU (user+sys) over the timed runs\n",
           (ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec + ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec)
           + (ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec + ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec) / 1e6);
  g_print ("answers %s\n", all_equal ? "equal" : "DIFFER");

  seg_definition_unref (q3_def);
  return all_equal ? 0 : 1;
}
