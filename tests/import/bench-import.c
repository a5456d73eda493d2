/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Parse-only import rates: generates a canonical CSV, Mixpanel JSON lines and a gzipped
 * copy of the CSV, then times each reader into a counting sink (no store).
 *
 *   bench-import [ROWS] [DIR]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "import/seg-import.h"
#include "import/seg-importer-registry.h"

static const char *events[] = { "App Launched", "Added To Cart", "Charged", "Product Viewed" };
static const char *cities[] = { "New York", "Paris", "Mumbai", "São Paulo", "Berlin" };

static void
write_files (const char *dir,
             guint64     rows,
             char      **csv_path,
             char      **jsonl_path)
{
  FILE *csv, *jsonl;
  gint64 ts = 1714521600;

  *csv_path = g_build_filename (dir, "bench.csv", NULL);
  *jsonl_path = g_build_filename (dir, "bench.jsonl", NULL);
  csv = fopen (*csv_path, "w");
  jsonl = fopen (*jsonl_path, "w");
  g_assert_true (csv && jsonl);

  fprintf (csv, "user_id,event,ts,amount,city,coupon\n");
  for (guint64 i = 0; i < rows; i++)
    {
      guint u = (i * 2654435761u) % 1000000;
      const char *e = events[i % G_N_ELEMENTS (events)];
      const char *c = cities[(i / 3) % G_N_ELEMENTS (cities)];
      double amount = (i % 1000) / 10.0;

      fprintf (csv, "u%07u,%s,%" G_GINT64_FORMAT ",%.1f,%s,%s\n", u, e, ts + (gint64) i, amount, c,
               i % 7 == 0 ? "true" : "");
      fprintf (jsonl, "{\"event\":\"%s\",\"properties\":{\"time\":%" G_GINT64_FORMAT ",\"distinct_id\":\"u%07u\","
               "\"$insert_id\":\"i%" G_GUINT64_FORMAT "\",\"amount\":%.1f,\"city\":\"%s\",\"mp_lib\":\"web\"}}\n",
               e, ts + (gint64) i, u, i, amount, c);
    }
  fclose (csv);
  fclose (jsonl);
}

/* CPU time of this process, which the other programs on a shared machine do not inflate. */
static double
cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static gboolean
count_cb (const SegRecord  *record,
          gpointer          user_data,
          GError          **error)
{
  guint64 *n = user_data;

  *n += record->n_props;
  return TRUE;
}

static void
bench (const char *label,
       const char *format,
       const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) raw = g_file_read (file, NULL, NULL);
  g_autoptr(GInputStream) text = seg_import_open_stream (G_INPUT_STREAM (raw), NULL, NULL, NULL);
  g_autoptr(SegImporter) importer = seg_importer_registry_create (format);
  g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, 0, NULL, NULL);
  g_autoptr(SegImportSink) sink = NULL;
  g_autoptr(GError) error = NULL;
  guint64 props = 0;
  gint64 t0, t1;
  double secs, mb;

  double c0, cpu;

  sink = seg_import_sink_new (path, count_cb, &props);
  t0 = g_get_monotonic_time ();
  c0 = cpu_seconds ();
  if (!seg_importer_read (importer, text, sink, NULL, &error))
    g_error ("%s: %s", label, error->message);
  cpu = cpu_seconds () - c0;
  t1 = g_get_monotonic_time ();
  secs = (t1 - t0) / 1e6;
  mb = g_file_info_get_size (info) / 1e6;
  printf ("%-28s %9" G_GUINT64_FORMAT " rows %7.1f MB  wall %6.3f s  cpu %6.3f s  %7.1f MB/s  %9.0f rows/s (cpu)\n",
          label, seg_import_sink_get_records (sink), mb, secs, cpu, mb / cpu,
          seg_import_sink_get_records (sink) / cpu);
}

/* The whole SegImport path without a store: detection, gzip, SHA-256, summary. */
static void
bench_import (const char *label,
              const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SegImport) import = seg_import_new (file, NULL);
  g_autoptr(SegImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();
  double c0 = cpu_seconds ();
  double secs, mb, cpu;

  summary = seg_import_run (import, NULL, &error);
  if (summary == NULL)
    g_error ("%s: %s", label, error->message);
  cpu = cpu_seconds () - c0;
  secs = (g_get_monotonic_time () - t0) / 1e6;
  mb = seg_import_summary_get_bytes (summary) / 1e6;
  printf ("%-28s %9" G_GUINT64_FORMAT " rows %7.1f MB  wall %6.3f s  cpu %6.3f s  %7.1f MB/s  %9.0f rows/s (cpu)\n",
          label, seg_import_summary_get_rows_read (summary), mb, secs, cpu, mb / cpu,
          seg_import_summary_get_rows_read (summary) / cpu);
}

/* The sqlite3 shell's .import of the same CSV into an in-memory table, for comparison. */
static void
bench_sqlite (const char *path)
{
  g_autofree char *cmd = g_strdup_printf ("sqlite3 :memory: '.mode csv' '.import %s events' 'select count(*) from events;' >/dev/null", path);
  gint64 t0 = g_get_monotonic_time ();
  int rc = system (cmd);
  double secs = (g_get_monotonic_time () - t0) / 1e6;

  if (rc != 0)
    {
      printf ("sqlite3 .import              (sqlite3 not available)\n");
      return;
    }
  printf ("%-28s %9s      %7s     wall %6.3f s  (the same CSV into an in-memory table)\n",
          "sqlite3 .import", "", "", secs);
}

int
main (int    argc,
      char **argv)
{
  guint64 rows = argc > 1 ? g_ascii_strtoull (argv[1], NULL, 10) : 1000000;
  g_autofree char *dir = argc > 2 ? g_strdup (argv[2]) : g_dir_make_tmp ("seg-bench-XXXXXX", NULL);
  g_autofree char *csv = NULL, *jsonl = NULL, *gz = NULL, *cmd = NULL;

  const char *only = argc > 3 ? argv[3] : NULL;

  csv = g_build_filename (dir, "bench.csv", NULL);
  jsonl = g_build_filename (dir, "bench.jsonl", NULL);
  gz = g_strconcat (csv, ".gz", NULL);
  /* Files left in DIR by an earlier run are reused (for profiling the readers alone). */
  if (!g_file_test (gz, G_FILE_TEST_EXISTS))
    {
      g_free (csv);
      g_free (jsonl);
      write_files (dir, rows, &csv, &jsonl);
      cmd = g_strdup_printf ("gzip -1 -k -f '%s'", csv);
      if (system (cmd) != 0)
        g_error ("gzip failed");
    }

  if (only == NULL || g_str_equal (only, "csv"))
    bench ("canonical CSV", "csv", csv);
  if (only == NULL || g_str_equal (only, "jsonl"))
    bench ("Mixpanel JSON lines", "mixpanel", jsonl);
  if (only == NULL || g_str_equal (only, "gzip"))
    bench ("canonical CSV, gzip", "csv", gz);
  if (only == NULL || g_str_equal (only, "import"))
    {
      bench_import ("SegImport CSV (sha256+stats)", csv);
      bench_import ("SegImport Mixpanel", jsonl);
      bench_import ("SegImport CSV gzip", gz);
    }
  if (only == NULL || g_str_equal (only, "sqlite"))
    bench_sqlite (csv);

  if (argc <= 2)
    {
      g_unlink (csv);
      g_unlink (jsonl);
      g_unlink (gz);
      g_rmdir (dir);
    }
  return 0;
}
