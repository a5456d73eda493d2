/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "segctl"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "seg-canonical-csv.h"
#include "import/seg-import.h"
#include "import/seg-import-mapping.h"
#include "import/seg-import-sink.h"
#include "import/seg-importer-registry.h"
#include "seg-cli-demo.h"
#include "seg-cli-live.h"
#include "seg-cli-store.h"
#include "seg-definition.h"
#include "seg-eval-result.h"
#include "seg-event-info.h"
#include "seg-local-store.h"
#include "seg-local-writer.h"
#include "seg-property-info.h"
#include "seg-segment.h"
#include "seg-store.h"
#include "seg-time.h"
#include "seg-trend.h"
#include "seg-user-profile.h"

/* segctl: scriptable access to a local store. Every command goes through the SegStore
 * interface (async calls driven by a main loop), like the application does. */

static char *opt_store;
static char *opt_now;
static char *opt_tz;
static gboolean opt_json;
static gboolean opt_users;
static gboolean opt_reach;
static int opt_trend;
static int opt_limit = -1;
static int opt_offset;
static int opt_runs = 5;
static char *opt_name;
static char *opt_description;
static char *opt_event;
static char *opt_format;
static char *opt_mapping;
static char *opt_source_tz;
static char *opt_on_error;
static gboolean opt_progress;

static const GOptionEntry entries[] = {
  { "store", 's', 0, G_OPTION_ARG_FILENAME, &opt_store, N_("The store file, or clickhouse://USER@HOST:PORT/DATABASE with the password in $SEGCTL_CLICKHOUSE_PASSWORD (default: $SEGCTL_STORE or segments.db)"), N_("STORE") },
  { "now", 0, 0, G_OPTION_ARG_STRING, &opt_now, N_("Evaluate as if it were this time (epoch s/ms or ISO-8601)"), N_("TIMESTAMP") },
  { "tz", 0, 0, G_OPTION_ARG_STRING, &opt_tz, N_("Timezone of a new store, or for this run (IANA id, e.g. Europe/Berlin)"), N_("ZONE") },
  { "json", 'j', 0, G_OPTION_ARG_NONE, &opt_json, N_("Print JSON"), NULL },
  { "users", 'u', 0, G_OPTION_ARG_NONE, &opt_users, N_("eval: print the member ids"), NULL },
  { "limit", 0, 0, G_OPTION_ARG_INT, &opt_limit, N_("eval --users: at most N ids"), N_("N") },
  { "offset", 0, 0, G_OPTION_ARG_INT, &opt_offset, N_("eval --users: skip the first N members"), N_("N") },
  { "reach", 'r', 0, G_OPTION_ARG_NONE, &opt_reach, N_("eval: members reachable per channel"), NULL },
  { "trend", 't', 0, G_OPTION_ARG_INT, &opt_trend, N_("eval/bench: members per day over the last DAYS days"), N_("DAYS") },
  { "runs", 0, 0, G_OPTION_ARG_INT, &opt_runs, N_("bench: evaluations per definition (default 5)"), N_("N") },
  { "repeat", 0, 0, G_OPTION_ARG_INT, &opt_runs, N_("Same as --runs"), N_("N") },
  { "name", 'n', 0, G_OPTION_ARG_STRING, &opt_name, N_("segments save/clone: the segment’s name"), N_("NAME") },
  { "description", 'd', 0, G_OPTION_ARG_STRING, &opt_description, N_("segments save: a description"), N_("TEXT") },
  { "event", 'e', 0, G_OPTION_ARG_STRING, &opt_event, N_("events: list this event’s properties; “-” for user properties. import: the event name of CleverTap API records"), N_("EVENT") },
  { "format", 'f', 0, G_OPTION_ARG_STRING, &opt_format, N_("import: read the files as this format instead of detecting it (see the list below)"), N_("FORMAT") },
  { "mapping", 'm', 0, G_OPTION_ARG_FILENAME, &opt_mapping, N_("import: a column mapping (JSON, as the app saves it) for generic CSV or JSON lines"), N_("FILE") },
  { "source-tz", 0, 0, G_OPTION_ARG_STRING, &opt_source_tz, N_("import: time zone of times without one in the files, e.g. CleverTap’s (default: the store’s)"), N_("ZONE") },
  { "timezone", 0, 0, G_OPTION_ARG_STRING, &opt_source_tz, N_("import: same as --source-tz"), N_("ZONE") },
  { "on-error", 0, 0, G_OPTION_ARG_STRING, &opt_on_error, N_("import: skip (default: report bad rows and go on) or stop (at the first bad row, adding nothing from that file)"), N_("skip|stop") },
  { "progress", 0, 0, G_OPTION_ARG_NONE, &opt_progress, N_("import: show progress on stderr even when it is not a terminal"), NULL },
  { NULL }
};

static const char *commands_help =
  "Commands:\n"
  "  import FILE...             Import event and profile files of any supported format, gzipped\n"
  "                             or not; the format is detected (--format to force one):\n"
  "                             csv (canonical user_id,event,ts,... or profiles user_id,...;\n"
  "                             any CSV with --mapping), jsonl (with --mapping), clevertap,\n"
  "                             clevertap-api (--event NAME), clevertap-csv, clevertap-profiles,\n"
  "                             clevertap-list (a Custom List), mixpanel, amplitude, segment,\n"
  "                             access-log. Each file is all or nothing; re-importing a file\n"
  "                             adds nothing. Prints rows read, events and users added, rows\n"
  "                             rejected (file:line: reason; --on-error stop aborts the file);\n"
  "                             --json prints it as one JSON object. --mapping FILE: the JSON\n"
  "                             the app saves (see src/core/import/README.md); --timezone ZONE\n"
  "                             for times without one; progress on stderr when it is a terminal\n"
  "                             or with --progress.\n"
  "  demo [EVENTS [USERS]]       Generate demo data (default 60000 events, 4000 users), import it\n"
  "                             and save example segments, like the app's Load Demo Data.\n"
  "  eval DEF.json              Print the number of users matching a definition (“-” reads stdin).\n"
  "                             --users [--offset N] [--limit N] prints member ids; --reach prints\n"
  "                             members per channel; --trend DAYS prints members per day for the\n"
  "                             last DAYS days, each day evaluated as of its end (for “users per\n"
  "                             day who did E” use the window {\"type\":\"today\"}); --json for all.\n"
  "  bench [--runs N] [--trend DAYS] DEF.json...\n"
  "                             Open the store once, evaluate each definition N times warm and\n"
  "                             print one JSON line per definition: {\"file\",\"count\",\"median_ms\",\n"
  "                             \"min_ms\",\"first_ms\",\"median_cpu_ms\",\"open_ms\",\"open_cpu_ms\",\"runs\"}\n"
  "                             (cpu: process CPU time, for busy machines; with --trend each\n"
  "                             run is a whole trend and count is the sum of the daily counts,\n"
  "                             plus \"trend_days\"), then {\"peak_rss_kb\":...}.\n"
  "  segments list              List saved segments (id, kind, last count, name).\n"
  "  segments show ID           Show a segment, its summary and its definition.\n"
  "  segments save DEF.json --name NAME [--description TEXT]\n"
  "                             Save a definition as a new segment; prints its id.\n"
  "  segments delete ID         Delete a segment (refused for system segments and segments\n"
  "                             other segments include or exclude).\n"
  "  segments clone ID [--name NAME]\n"
  "                             Copy a segment; prints the new id.\n"
  "  events [--event EVENT|-]   List event names with counts and first/last times; with\n"
  "                             --event, that event’s properties (types, top values).\n"
  "  user ID                    Show a user’s profile, latest events and segments.\n"
  "  summary DEF.json           Print the plain-language summary of a definition.\n"
  "  live [--ingest ADDR:PORT] [--tail FILE] [--replay FILE --speed N] [--segment FILE]\n"
  "                             Run the store’s live segments (or --segment files) over the\n"
  "                             streams given and print each qualification as a JSON line\n"
  "                             {\"segment\",\"user\",\"ts\"}; memberships are kept in the store.\n"
  "                             --replay-store [--from DATE] [--to DATE] --speed N plays the\n"
  "                             store’s own events back instead. See segctl live --help.\n"
  "\n"
  "Exit status: 0 on success, 1 on errors, 2 on usage errors.";

static GMainLoop *loop;

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
  g_main_loop_quit (loop);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_loop_run (loop);
  return *slot;
}

static gint64
parse_now (SegStore  *store,
           GError   **error)
{
  gint64 ms;

  if (opt_now == NULL)
    return 0;
  if (!seg_time_parse_timestamp (opt_now, strlen (opt_now), seg_store_get_timezone (store), &ms))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--now: not a timestamp: %s"), opt_now);
      return -1;
    }
  return ms;
}

static SegDefinition *
load_definition (const char  *path,
                 GError     **error)
{
  if (g_str_equal (path, "-"))
    {
      g_autoptr(GString) s = g_string_new (NULL);
      char buf[4096];
      size_t n;

      while ((n = fread (buf, 1, sizeof buf, stdin)) > 0)
        g_string_append_len (s, buf, (gssize) n);
      return seg_definition_new_from_json (s->str, (gssize) s->len, error);
    }
  return seg_definition_new_from_file (path, error);
}

static char *
format_day (SegStore *store,
            gint64    ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, seg_store_get_timezone (store));

  return g_date_time_format (local, "%Y-%m-%d");
}

static char *
format_time (SegStore *store,
             gint64    ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("-");
  local = g_date_time_to_timezone (utc, seg_store_get_timezone (store));
  return g_date_time_format_iso8601 (local);
}

static void
print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (gen, node);
  json_generator_set_pretty (gen, FALSE);
  text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
}

/* import */

/* Whether @path is best read by the fast canonical CSV path: a plain (not gzipped)
 * canonical events or profiles CSV, with no mapping or other format asked for. */
static gboolean
is_canonical_csv (const char *path)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(SegImporter) importer = NULL;
  g_autofree char *head = NULL;
  gsize len = 0;

  if (opt_mapping != NULL || (opt_format != NULL && !g_str_equal (opt_format, "csv")))
    return FALSE;
  file = g_file_new_for_commandline_arg (path);
  /* The fast path reads plain text; gzip (magic 1f 8b) goes through the importers. */
  {
    g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
    guchar magic[2] = { 0, 0 };

    if (in == NULL ||
        (g_input_stream_read (G_INPUT_STREAM (in), magic, 2, NULL, NULL) == 2 &&
         magic[0] == 0x1f && magic[1] == 0x8b))
      return FALSE;
  }
  head = seg_import_read_head (file, &len, NULL, NULL);
  if (head == NULL)
    return FALSE;
  if (opt_format != NULL)
    return TRUE;
  importer = seg_import_detect (file, NULL, NULL);
  return importer != NULL && g_str_equal (seg_importer_get_id (importer), "csv");
}

typedef struct
{
  const char *file;
  gint64      last_us;
  gboolean    shown;
  gint64      start_us;
} Progress;

static void
show_progress (Progress *p,
               guint64   rows,
               guint64   bytes,
               guint64   total,
               double    rate,
               double    left)
{
  g_autofree char *left_text = left >= 0 ? g_strdup_printf (_(", %.0f s left"), left) : g_strdup ("");

  p->shown = TRUE;
  if (total > 0)
    g_printerr ("\r%s: %" G_GUINT64_FORMAT " rows, %.0f%% of %.1f MB, %.0f rows/s%s   ",
                p->file, rows, 100.0 * bytes / total, total / 1e6, rate, left_text);
  else
    g_printerr ("\r%s: %" G_GUINT64_FORMAT " rows, %.1f MB, %.0f rows/s   ", p->file, rows, bytes / 1e6, rate);
}

static void
progress_cb (SegImport *import,
             guint64    rows,
             guint64    bytes,
             guint64    total,
             double     rate,
             double     left,
             Progress  *p)
{
  show_progress (p, rows, bytes, total, rate, left);
}

/* The canonical CSV path reports after each block: rate and time left worked out here,
 * as SegImport does, at most ten times a second. */
static void
canonical_progress_cb (guint64  rows,
                       guint64  bytes,
                       guint64  total,
                       gpointer user_data)
{
  Progress *p = user_data;
  gint64 now = g_get_monotonic_time ();
  double secs = (now - p->start_us) / (double) G_USEC_PER_SEC;
  double rate = secs > 0 ? rows / secs : 0;
  double left = bytes > 0 && total > bytes && secs > 0.5 ? secs * (total - bytes) / bytes : -1;

  if (now - p->last_us < G_USEC_PER_SEC / 10 && bytes < total)
    return;
  p->last_us = now;
  show_progress (p, rows, bytes, total, rate, left);
}

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* One file through SegImport (every format, gzip, mappings): its own writer, all or
 * nothing. Returns its summary, or NULL with @error set. */
static SegImportSummary *
import_one (SegStore            *store,
            const char          *path,
            GTimeZone           *source_tz,
            SegImportMapping    *mapping,
            SegLocalWriterStats *stats,
            GError             **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(SegStoreWriter) writer = seg_store_begin_write (store, error);
  g_autoptr(SegImport) import = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  Progress progress = { path, 0, FALSE, 0 };
  SegImportSummary *summary;

  if (writer == NULL)
    return NULL;
  import = seg_import_new (file, writer);
  if (opt_format != NULL)
    {
      g_autoptr(SegImporter) importer = seg_importer_registry_create (opt_format);

      if (importer == NULL)
        {
          g_autoptr(GPtrArray) ids = seg_importer_registry_list_ids ();
          g_autoptr(GString) list = g_string_new (NULL);

          for (guint k = 0; k < ids->len; k++)
            g_string_append_printf (list, "%s%s", k ? ", " : "", (const char *) g_ptr_array_index (ids, k));
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("import: unknown format “%s” (formats: %s)"), opt_format, list->str);
          return NULL;
        }
      seg_import_set_importer (import, importer);
    }
  if (mapping != NULL)
    seg_import_set_mapping (import, mapping);
  seg_import_set_timezone (import, source_tz);
  if (opt_event != NULL)
    seg_import_set_event_name (import, opt_event);
  if (opt_on_error != NULL && g_str_equal (opt_on_error, "stop"))
    {
      seg_import_set_policy (import, SEG_IMPORT_POLICY_STOP);
      /* A file imported before (bad rows skipped then) is recognised before its first bad
       * row stops it: one more pass over the bytes, for this policy only. */
      seg_import_set_check_first (import, TRUE);
    }
  else
    seg_import_set_policy (import, SEG_IMPORT_POLICY_SKIP);
  if (opt_progress || isatty (STDERR_FILENO))
    g_signal_connect (import, "progress", G_CALLBACK (progress_cb), &progress);

  seg_import_run_async (import, NULL, import_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (progress.shown)
    g_printerr ("\n");
  summary = seg_import_run_finish (import, result, error);
  if (summary == NULL)
    g_prefix_error (error, "%s: ", path);
  /* What the store took: records whose insert id it holds already are not added. */
  seg_cli_writer_get_stats (writer, stats);
  return summary;
}

static void
add_file_json (JsonBuilder        *b,
               const char         *file,
               const char         *format,
               const char         *kind,
               gboolean            already,
               guint64             rows,
               guint64             events,
               guint64             profiles,
               guint64             rejected,
               GPtrArray          *rejects)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, file);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, format);
  if (kind != NULL)
    {
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, kind);
    }
  json_builder_set_member_name (b, "already_imported");
  json_builder_add_boolean_value (b, already);
  json_builder_set_member_name (b, "rows_read");
  json_builder_add_int_value (b, (gint64) rows);
  json_builder_set_member_name (b, "events");
  json_builder_add_int_value (b, (gint64) events);
  json_builder_set_member_name (b, "profiles");
  json_builder_add_int_value (b, (gint64) profiles);
  json_builder_set_member_name (b, "rejected");
  json_builder_add_int_value (b, (gint64) rejected);
  json_builder_set_member_name (b, "rejects");
  json_builder_begin_array (b);
  for (guint k = 0; rejects != NULL && k < rejects->len; k++)
    json_builder_add_string_value (b, g_ptr_array_index (rejects, k));
  json_builder_end_array (b);
  json_builder_end_object (b);
}

/* Commits the fast path's writer, if any, and counts what the store took. */
static gboolean
commit_fast (SegStoreWriter **writer,
             guint64         *events,
             guint64         *profiles,
             guint64         *duplicates,
             GError         **error)
{
  g_autoptr(SegStoreWriter) w = g_steal_pointer (writer);
  SegLocalWriterStats ws = { 0 };

  if (w == NULL)
    return TRUE;
  seg_cli_writer_get_stats (w, &ws);
  if (!seg_store_writer_commit (w, NULL, error))
    return FALSE;
  *events += ws.events_added;
  *profiles += ws.profiles_updated;
  *duplicates += ws.events_duplicate;
  return TRUE;
}

static int
cmd_import (SegStore  *store,
            char     **files,
            GError   **error)
{
  g_autoptr(SegStoreWriter) writer = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GTimeZone) source_tz = NULL;
  g_autoptr(SegImportMapping) mapping = NULL;
  g_autoptr(GPtrArray) others = g_ptr_array_new ();
  guint64 rows = 0, rejected = 0, events = 0, profiles = 0, duplicates = 0;
  gboolean stop = opt_on_error != NULL && g_str_equal (opt_on_error, "stop");
  gint64 t0 = g_get_monotonic_time ();
  guint64 n_users_before = seg_cli_store_n_users (store);

  if (files[0] == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, _("import: no files given"));
      return 2;
    }
  if (opt_on_error != NULL && !g_str_equal (opt_on_error, "skip") && !g_str_equal (opt_on_error, "stop"))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("import: --on-error is “skip” or “stop”, not “%s”"), opt_on_error);
      return 2;
    }
  source_tz = opt_source_tz ? g_time_zone_new_identifier (opt_source_tz)
                            : g_time_zone_ref (seg_store_get_timezone (store));
  if (source_tz == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("import: unknown time zone “%s” (use an IANA id such as Europe/Berlin)"), opt_source_tz);
      return 2;
    }
  if (opt_mapping != NULL)
    {
      g_autofree char *text = NULL;

      if (!g_file_get_contents (opt_mapping, &text, NULL, error))
        return 1;
      mapping = seg_import_mapping_new_from_json (text, error);
      if (mapping == NULL)
        {
          g_prefix_error (error, "%s: ", opt_mapping);
          return 1;
        }
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "files");
  json_builder_begin_array (b);

  /* Canonical CSV files take the fast path, together in one all-or-nothing write; with
   * --on-error stop each in its own, dropped whole when it has a bad row. They never go
   * through the importers instead: the fast path's fingerprint of a file is its own, so
   * the same file read both ways would be imported twice. */
  for (guint i = 0; files[i] != NULL; i++)
    {
      SegCanonicalCsvStats st;

      if (!is_canonical_csv (files[i]))
        {
          g_ptr_array_add (others, files[i]);
          continue;
        }
      Progress progress = { files[i], 0, FALSE, g_get_monotonic_time () };
      gboolean imported;

      if (writer == NULL && (writer = seg_store_begin_write (store, error)) == NULL)
        return 1;
      imported = seg_canonical_csv_import_with_progress (writer, files[i], seg_store_get_timezone (store),
                                                         g_get_real_time () / 1000, &st,
                                                         opt_progress || isatty (STDERR_FILENO) ? canonical_progress_cb : NULL,
                                                         &progress, NULL, error);
      if (progress.shown)
        g_printerr ("\n");
      if (!imported)
        {
          seg_canonical_csv_stats_clear (&st);
          seg_store_writer_abort (writer);
          return 1;
        }
      if (stop && st.rejected > 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s",
                       st.rejects->len > 0 ? (const char *) g_ptr_array_index (st.rejects, 0) : files[i]);
          seg_canonical_csv_stats_clear (&st);
          seg_store_writer_abort (writer);
          return 1;
        }
      rows += st.rows_read;
      rejected += st.rejected;
      add_file_json (b, files[i], "csv", st.kind == SEG_CANONICAL_CSV_EVENTS ? "events" : "profiles",
                     st.already_imported, st.rows_read,
                     st.kind == SEG_CANONICAL_CSV_EVENTS ? st.rows_read - st.rejected : 0,
                     st.kind == SEG_CANONICAL_CSV_EVENTS ? 0 : st.rows_read - st.rejected,
                     st.rejected, st.rejects);
      if (!opt_json)
        {
          if (st.already_imported)
            g_print (_("%s: already imported, nothing added\n"), files[i]);
          for (guint k = 0; k < st.rejects->len; k++)
            g_printerr ("%s\n", (const char *) g_ptr_array_index (st.rejects, k));
        }
      seg_canonical_csv_stats_clear (&st);
      if (stop && !commit_fast (&writer, &events, &profiles, &duplicates, error))
        return 1;
    }
  if (!commit_fast (&writer, &events, &profiles, &duplicates, error))
    return 1;

  /* Every other file through the importers, each on its own. */
  for (guint i = 0; i < others->len; i++)
    {
      const char *path = g_ptr_array_index (others, i);
      SegLocalWriterStats fs;
      g_autoptr(SegImportSummary) summary = import_one (store, path, source_tz, mapping, &fs, error);
      GPtrArray *bad;
      g_autoptr(GPtrArray) rejects = g_ptr_array_new_with_free_func (g_free);

      if (summary == NULL)
        return 1;
      bad = seg_import_summary_get_bad_rows (summary);
      for (guint k = 0; bad != NULL && k < bad->len; k++)
        {
          const SegImportBadRow *row = g_ptr_array_index (bad, k);

          /* The path as given, like the fast path's reasons. */
          g_ptr_array_add (rejects, g_strdup_printf ("%s:%" G_GUINT64_FORMAT ": %s",
                                                     path, row->line, row->reason));
        }
      rows += seg_import_summary_get_rows_read (summary);
      rejected += seg_import_summary_get_rejected (summary);
      if (!seg_import_summary_get_already_imported (summary))
        {
          events += fs.events_added;
          profiles += fs.profiles_updated;
          duplicates += fs.events_duplicate;
        }
      add_file_json (b, path, seg_import_summary_get_format_id (summary), NULL,
                     seg_import_summary_get_already_imported (summary),
                     seg_import_summary_get_rows_read (summary),
                     seg_import_summary_get_already_imported (summary) ? 0 : fs.events_added,
                     seg_import_summary_get_already_imported (summary) ? 0 : fs.profiles_updated,
                     seg_import_summary_get_rejected (summary), rejects);
      if (!opt_json)
        {
          if (seg_import_summary_get_already_imported (summary))
            g_print (_("%s: already imported, nothing added\n"), path);
          else
            g_print (_("%s: %s, %" G_GUINT64_FORMAT " rows\n"), path,
                     seg_import_summary_get_format_id (summary), seg_import_summary_get_rows_read (summary));
          for (guint k = 0; k < rejects->len; k++)
            g_printerr ("%s\n", (const char *) g_ptr_array_index (rejects, k));
        }
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "rows_read");
  json_builder_add_int_value (b, (gint64) rows);
  json_builder_set_member_name (b, "events_added");
  json_builder_add_int_value (b, (gint64) events);
  json_builder_set_member_name (b, "duplicates_skipped");
  json_builder_add_int_value (b, (gint64) duplicates);
  json_builder_set_member_name (b, "profiles_updated");
  json_builder_add_int_value (b, (gint64) profiles);
  json_builder_set_member_name (b, "users_added");
  json_builder_add_int_value (b, (gint64) (seg_cli_store_n_users (store) - n_users_before));
  json_builder_set_member_name (b, "rejected");
  json_builder_add_int_value (b, (gint64) rejected);
  json_builder_set_member_name (b, "seconds");
  json_builder_add_double_value (b, (g_get_monotonic_time () - t0) / 1e6);
  json_builder_end_object (b);
  if (opt_json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (b);
      print_json (root);
    }
  else
    {
      g_print (_("Read %" G_GUINT64_FORMAT " rows: %" G_GUINT64_FORMAT " events and %" G_GUINT64_FORMAT
                 " profile rows added, %" G_GUINT64_FORMAT " new users, %" G_GUINT64_FORMAT " rejected (%.2f s)\n"),
               rows, events, profiles, seg_cli_store_n_users (store) - n_users_before, rejected,
               (g_get_monotonic_time () - t0) / 1e6);
      if (duplicates > 0)
        g_print (g_dngettext (GETTEXT_PACKAGE,
                              "%" G_GUINT64_FORMAT " event was already in the store (same insert id) and was not added again\n",
                              "%" G_GUINT64_FORMAT " events were already in the store (same insert id) and were not added again\n",
                              duplicates),
                 duplicates);
    }
  return 0;
}

/* eval */

static SegEvalResult *
evaluate (SegStore        *store,
          SegDefinition   *def,
          SegEvalOptions  *opts,
          GError         **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  seg_store_evaluate_async (store, def, opts, NULL, result_cb, &res);
  return seg_store_evaluate_finish (store, wait_for (&res), error);
}

static SegTrend *
trend (SegStore       *store,
       SegDefinition  *def,
       gint64          now,
       int             days,
       GError        **error)
{
  g_autoptr(GAsyncResult) res = NULL;
  GTimeZone *tz = seg_store_get_timezone (store);
  guint32 today = seg_time_day_of (tz, now);

  seg_store_trend_async (store, def, seg_time_midnight (tz, today - (guint32) (days - 1)),
                         seg_time_midnight (tz, today), NULL, result_cb, &res);
  return seg_store_trend_finish (store, wait_for (&res), error);
}

static int
cmd_eval (SegStore  *store,
          char     **args,
          GError   **error)
{
  g_autoptr(SegDefinition) def = NULL;
  g_autoptr(SegEvalResult) result = NULL;
  g_autoptr(SegTrend) tr = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  SegEvalOptions opts = { 0 };
  gint64 now;

  if (args[0] == NULL || args[1] != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, _("eval: give one definition file"));
      return 2;
    }
  if ((now = parse_now (store, error)) < 0)
    return 2;
  def = load_definition (args[0], error);
  if (def == NULL)
    return 1;
  opts.now_ms = now != 0 ? now : g_get_real_time () / 1000;
  if (opt_reach)
    opts.flags |= SEG_EVAL_REACH;
  if (opt_users)
    {
      opts.flags |= SEG_EVAL_MEMBERS;
      opts.members_offset = (guint64) MAX (opt_offset, 0);
      opts.members_limit = opt_limit >= 0 ? (guint) opt_limit : G_MAXUINT;
    }
  result = evaluate (store, def, &opts, error);
  if (result == NULL)
    return 1;
  if (opt_trend > 0)
    {
      tr = trend (store, def, opts.now_ms, opt_trend, error);
      if (tr == NULL)
        return 1;
    }

  if (!opt_json)
    {
      g_print ("%" G_GUINT64_FORMAT "\n", seg_eval_result_get_count (result));
      if (opt_reach)
        for (SegChannel ch = 0; ch < SEG_N_CHANNELS; ch++)
          g_print ("%s\t%" G_GUINT64_FORMAT "\n", seg_channel_to_string (ch),
                   seg_eval_result_get_reach (result, ch));
      if (tr != NULL)
        for (guint i = 0; i < seg_trend_get_n_days (tr); i++)
          {
            g_autofree char *day = format_day (store, seg_trend_get_day (tr, i));
            g_print ("%s\t%" G_GUINT64_FORMAT "\n", day, seg_trend_get_count (tr, i));
          }
      if (opt_users)
        for (const char * const *m = seg_eval_result_get_members (result); *m != NULL; m++)
          g_print ("%s\n", *m);
      return 0;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "count");
  json_builder_add_int_value (b, (gint64) seg_eval_result_get_count (result));
  json_builder_set_member_name (b, "elapsed_ms");
  json_builder_add_double_value (b, seg_eval_result_get_elapsed_ms (result));
  if (opt_reach)
    {
      json_builder_set_member_name (b, "reach");
      json_builder_begin_object (b);
      for (SegChannel ch = 0; ch < SEG_N_CHANNELS; ch++)
        {
          json_builder_set_member_name (b, seg_channel_to_string (ch));
          json_builder_add_int_value (b, (gint64) seg_eval_result_get_reach (result, ch));
        }
      json_builder_end_object (b);
    }
  if (tr != NULL)
    {
      json_builder_set_member_name (b, "trend");
      json_builder_begin_array (b);
      for (guint i = 0; i < seg_trend_get_n_days (tr); i++)
        {
          g_autofree char *day = format_day (store, seg_trend_get_day (tr, i));
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "day");
          json_builder_add_string_value (b, day);
          json_builder_set_member_name (b, "count");
          json_builder_add_int_value (b, (gint64) seg_trend_get_count (tr, i));
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  if (opt_users)
    {
      json_builder_set_member_name (b, "users");
      json_builder_begin_array (b);
      for (const char * const *m = seg_eval_result_get_members (result); *m != NULL; m++)
        json_builder_add_string_value (b, *m);
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  {
    g_autoptr(JsonNode) root = json_builder_get_root (b);
    print_json (root);
  }
  return 0;
}

/* bench */

/* CPU time of the process (all threads), in ms: on a busy machine it measures the work
 * done, where wall time also measures the wait for a core. */
static double
cpu_ms (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec * 1000.0 + ru.ru_utime.tv_usec / 1000.0 +
         ru.ru_stime.tv_sec * 1000.0 + ru.ru_stime.tv_usec / 1000.0;
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static int
cmd_bench (SegStore  *store,
           double     open_ms,
           double     open_cpu_ms,
           char     **args,
           GError   **error)
{
  struct rusage ru;
  gint64 now;
  int runs = MAX (opt_runs, 1);

  if (args[0] == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, _("bench: give definition files"));
      return 2;
    }
  if ((now = parse_now (store, error)) < 0)
    return 2;
  if (now == 0)
    now = g_get_real_time () / 1000;
  for (guint i = 0; args[i] != NULL; i++)
    {
      g_autoptr(SegDefinition) def = load_definition (args[i], error);
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree double *times = g_new (double, runs);
      g_autofree double *cpu = g_new (double, runs);
      SegEvalOptions opts = { now, 0, 0, 0, 0 };
      guint64 count = 0;
      double first_ms = 0;

      if (def == NULL)
        return 1;
      /* One cold run, then @runs warm ones. */
      for (int r = -1; r < runs; r++)
        {
          gint64 t0 = g_get_monotonic_time ();
          double c0 = cpu_ms ();
          double ms;

          if (opt_trend > 0)
            {
              g_autoptr(SegTrend) tr = trend (store, def, now, opt_trend, error);
              if (tr == NULL)
                return 1;
              count = 0;
              for (guint d = 0; d < seg_trend_get_n_days (tr); d++)
                count += seg_trend_get_count (tr, d);
            }
          else
            {
              g_autoptr(SegEvalResult) res = evaluate (store, def, &opts, error);
              if (res == NULL)
                return 1;
              count = seg_eval_result_get_count (res);
            }
          ms = (g_get_monotonic_time () - t0) / 1000.0;
          if (r < 0)
            {
              first_ms = ms;
              /* Warm runs start once the store's background indexing is done. */
              seg_cli_store_wait_warm (store);
            }
          else
            {
              times[r] = ms;
              cpu[r] = cpu_ms () - c0;
            }
        }
      qsort (times, (size_t) runs, sizeof (double), (int (*)(const void *, const void *)) cmp_double);
      qsort (cpu, (size_t) runs, sizeof (double), (int (*)(const void *, const void *)) cmp_double);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, args[i]);
      json_builder_set_member_name (b, "count");
      json_builder_add_int_value (b, (gint64) count);
      if (opt_trend > 0)
        {
          json_builder_set_member_name (b, "trend_days");
          json_builder_add_int_value (b, opt_trend);
        }
      json_builder_set_member_name (b, "median_ms");
      json_builder_add_double_value (b, runs % 2 ? times[runs / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2);
      json_builder_set_member_name (b, "min_ms");
      json_builder_add_double_value (b, times[0]);
      json_builder_set_member_name (b, "first_ms");
      json_builder_add_double_value (b, first_ms);
      json_builder_set_member_name (b, "median_cpu_ms");
      json_builder_add_double_value (b, runs % 2 ? cpu[runs / 2] : (cpu[runs / 2 - 1] + cpu[runs / 2]) / 2);
      json_builder_set_member_name (b, "open_ms");
      json_builder_add_double_value (b, open_ms);
      json_builder_set_member_name (b, "open_cpu_ms");
      json_builder_add_double_value (b, open_cpu_ms);
      json_builder_set_member_name (b, "runs");
      json_builder_add_int_value (b, runs);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      print_json (root);
    }
  getrusage (RUSAGE_SELF, &ru);
  g_print ("{\"peak_rss_kb\":%ld}\n", ru.ru_maxrss);
  return 0;
}

/* segments */

static GListModel *
list_segments (SegStore  *store,
               GError   **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  seg_store_list_segments_async (store, NULL, result_cb, &res);
  return seg_store_list_segments_finish (store, wait_for (&res), error);
}

static char *
segment_name_cb (const char *id,
                 gpointer    user_data)
{
  GListModel *list = user_data;

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(SegSegment) s = g_list_model_get_item (list, i);
      if (g_str_equal (seg_segment_get_id (s), id))
        return g_strdup (seg_segment_get_name (s));
    }
  return NULL;
}

static int
cmd_segments (SegStore  *store,
              char     **args,
              GError   **error)
{
  const char *sub = args[0];
  g_autoptr(GListModel) list = list_segments (store, error);

  if (list == NULL)
    return 1;
  if (sub == NULL || g_str_equal (sub, "list"))
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < g_list_model_get_n_items (list); i++)
        {
          g_autoptr(SegSegment) s = g_list_model_get_item (list, i);
          if (opt_json)
            {
              json_builder_begin_object (b);
              json_builder_set_member_name (b, "id");
              json_builder_add_string_value (b, seg_segment_get_id (s));
              json_builder_set_member_name (b, "name");
              json_builder_add_string_value (b, seg_segment_get_name (s));
              json_builder_set_member_name (b, "kind");
              json_builder_add_string_value (b, seg_segment_kind_to_string (seg_segment_get_kind (s)));
              json_builder_set_member_name (b, "last_count");
              json_builder_add_int_value (b, seg_segment_get_last_count (s));
              json_builder_end_object (b);
            }
          else
            g_print ("%s\t%s\t%" G_GINT64_FORMAT "\t%s\n", seg_segment_get_id (s),
                     seg_segment_kind_to_string (seg_segment_get_kind (s)),
                     seg_segment_get_last_count (s), seg_segment_get_name (s));
        }
      json_builder_end_array (b);
      if (opt_json)
        {
          g_autoptr(JsonNode) root = json_builder_get_root (b);
          print_json (root);
        }
      return 0;
    }
  if (g_str_equal (sub, "show") && args[1] != NULL)
    {
      g_autoptr(GAsyncResult) res = NULL;
      g_autoptr(SegSegment) s = NULL;
      SegDefinition *def;

      seg_store_get_segment_async (store, args[1], NULL, result_cb, &res);
      s = seg_store_get_segment_finish (store, wait_for (&res), error);
      if (s == NULL)
        return 1;
      def = seg_segment_get_definition (s);
      if (opt_json)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();
          g_autoptr(JsonNode) root = NULL;

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, seg_segment_get_id (s));
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, seg_segment_get_name (s));
          json_builder_set_member_name (b, "description");
          json_builder_add_string_value (b, seg_segment_get_description (s));
          json_builder_set_member_name (b, "kind");
          json_builder_add_string_value (b, seg_segment_kind_to_string (seg_segment_get_kind (s)));
          json_builder_set_member_name (b, "created");
          json_builder_add_int_value (b, seg_segment_get_created (s));
          json_builder_set_member_name (b, "updated");
          json_builder_add_int_value (b, seg_segment_get_updated (s));
          json_builder_set_member_name (b, "last_count");
          json_builder_add_int_value (b, seg_segment_get_last_count (s));
          if (def != NULL)
            {
              g_autofree char *summary = seg_definition_summarize (def, segment_name_cb, list);
              json_builder_set_member_name (b, "summary");
              json_builder_add_string_value (b, summary);
              json_builder_set_member_name (b, "definition");
              json_builder_add_value (b, seg_definition_to_node (def));
            }
          json_builder_end_object (b);
          root = json_builder_get_root (b);
          print_json (root);
        }
      else
        {
          g_print ("%s: %s\n", seg_segment_get_id (s), seg_segment_get_name (s));
          if (seg_segment_get_description (s))
            g_print ("%s\n", seg_segment_get_description (s));
          g_print (_("Kind: %s\n"), seg_segment_kind_to_string (seg_segment_get_kind (s)));
          if (seg_segment_get_last_count (s) >= 0)
            g_print (_("Last count: %" G_GINT64_FORMAT "\n"), seg_segment_get_last_count (s));
          if (def != NULL)
            {
              g_autofree char *summary = seg_definition_summarize (def, segment_name_cb, list);
              g_autofree char *json = seg_definition_to_json (def, TRUE);
              g_print ("%s\n%s\n", summary, json);
            }
        }
      return 0;
    }
  if (g_str_equal (sub, "save") && args[1] != NULL)
    {
      g_autoptr(SegDefinition) def = load_definition (args[1], error);
      g_autoptr(SegSegment) s = NULL;
      g_autoptr(SegSegment) saved = NULL;
      g_autoptr(GAsyncResult) res = NULL;

      if (def == NULL)
        return 1;
      if (opt_name == NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, _("segments save: --name is required"));
          return 2;
        }
      s = seg_segment_new (NULL, opt_name, def);
      seg_segment_set_description (s, opt_description);
      seg_store_save_segment_async (store, s, NULL, result_cb, &res);
      saved = seg_store_save_segment_finish (store, wait_for (&res), error);
      if (saved == NULL)
        return 1;
      g_print ("%s\n", seg_segment_get_id (saved));
      return 0;
    }
  if (g_str_equal (sub, "delete") && args[1] != NULL)
    {
      g_autoptr(GAsyncResult) res = NULL;

      seg_store_delete_segment_async (store, args[1], NULL, result_cb, &res);
      return seg_store_delete_segment_finish (store, wait_for (&res), error) ? 0 : 1;
    }
  if (g_str_equal (sub, "clone") && args[1] != NULL)
    {
      g_autoptr(GAsyncResult) res = NULL;
      g_autoptr(SegSegment) copy = NULL;

      seg_store_clone_segment_async (store, args[1], opt_name, NULL, result_cb, &res);
      copy = seg_store_clone_segment_finish (store, wait_for (&res), error);
      if (copy == NULL)
        return 1;
      g_print ("%s\n", seg_segment_get_id (copy));
      return 0;
    }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
               _("segments: expected list, show ID, save FILE --name NAME, delete ID or clone ID"));
  return 2;
}

/* events */

static int
cmd_events (SegStore  *store,
            GError   **error)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_array (b);
  if (opt_event == NULL)
    {
      seg_store_list_events_async (store, NULL, result_cb, &res);
      list = seg_store_list_events_finish (store, wait_for (&res), error);
      if (list == NULL)
        return 1;
      for (guint i = 0; i < g_list_model_get_n_items (list); i++)
        {
          g_autoptr(SegEventInfo) e = g_list_model_get_item (list, i);
          g_autofree char *first = format_time (store, seg_event_info_get_first_ts (e));
          g_autofree char *last = format_time (store, seg_event_info_get_last_ts (e));

          if (opt_json)
            {
              json_builder_begin_object (b);
              json_builder_set_member_name (b, "name");
              json_builder_add_string_value (b, seg_event_info_get_name (e));
              json_builder_set_member_name (b, "count");
              json_builder_add_int_value (b, (gint64) seg_event_info_get_count (e));
              json_builder_set_member_name (b, "first");
              json_builder_add_string_value (b, first);
              json_builder_set_member_name (b, "last");
              json_builder_add_string_value (b, last);
              json_builder_end_object (b);
            }
          else
            g_print ("%s\t%" G_GUINT64_FORMAT "\t%s\t%s\n", seg_event_info_get_name (e),
                     seg_event_info_get_count (e), first, last);
        }
    }
  else
    {
      const char *event = g_str_equal (opt_event, "-") ? NULL : opt_event;

      seg_store_list_properties_async (store, event, NULL, result_cb, &res);
      list = seg_store_list_properties_finish (store, wait_for (&res), error);
      if (list == NULL)
        return 1;
      for (guint i = 0; i < g_list_model_get_n_items (list); i++)
        {
          g_autoptr(SegPropertyInfo) p = g_list_model_get_item (list, i);
          const char * const *top = seg_property_info_get_top_values (p);

          if (opt_json)
            {
              json_builder_begin_object (b);
              json_builder_set_member_name (b, "name");
              json_builder_add_string_value (b, seg_property_info_get_name (p));
              json_builder_set_member_name (b, "type");
              json_builder_add_string_value (b, seg_value_type_to_string (seg_property_info_get_value_type (p)));
              json_builder_set_member_name (b, "top");
              json_builder_begin_array (b);
              for (guint k = 0; top[k] != NULL; k++)
                {
                  json_builder_begin_array (b);
                  json_builder_add_string_value (b, top[k]);
                  json_builder_add_int_value (b, (gint64) seg_property_info_get_top_count (p, k));
                  json_builder_end_array (b);
                }
              json_builder_end_array (b);
              json_builder_end_object (b);
            }
          else
            {
              g_print ("%s\t%s", seg_property_info_get_name (p),
                       seg_value_type_to_string (seg_property_info_get_value_type (p)));
              for (guint k = 0; top[k] != NULL && k < 5; k++)
                g_print ("\t%s (%" G_GUINT64_FORMAT ")", top[k], seg_property_info_get_top_count (p, k));
              g_print ("\n");
            }
        }
    }
  json_builder_end_array (b);
  if (opt_json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (b);
      print_json (root);
    }
  return 0;
}

static int
cmd_user (SegStore  *store,
          char     **args,
          GError   **error)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(SegUserProfile) user = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  JsonArray *tl;

  if (args[0] == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, _("user: give a user id"));
      return 2;
    }
  seg_store_get_user_async (store, args[0], NULL, result_cb, &res);
  user = seg_store_get_user_finish (store, wait_for (&res), error);
  if (user == NULL)
    return 1;
  tl = seg_user_profile_get_timeline (user);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, seg_user_profile_get_id (user));
  json_builder_set_member_name (b, "properties");
  {
    JsonNode *n = json_node_new (JSON_NODE_OBJECT);
    json_node_set_object (n, seg_user_profile_get_properties (user));
    json_builder_add_value (b, n);
  }
  json_builder_set_member_name (b, "events");
  json_builder_add_int_value (b, json_array_get_length (tl));
  json_builder_set_member_name (b, "timeline");
  {
    JsonArray *head = json_array_new ();
    for (guint i = 0; i < MIN (json_array_get_length (tl), opt_limit >= 0 ? (guint) opt_limit : 20u); i++)
      json_array_add_element (head, json_node_copy (json_array_get_element (tl, i)));
    json_builder_add_value (b, json_node_init_array (json_node_alloc (), head));
    json_array_unref (head);
  }
  json_builder_set_member_name (b, "segments");
  json_builder_begin_array (b);
  for (const char * const *s = seg_user_profile_get_segments (user); *s != NULL; s++)
    json_builder_add_string_value (b, *s);
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  {
    g_autoptr(JsonGenerator) gen = json_generator_new ();
    g_autofree char *text = NULL;
    json_generator_set_root (gen, root);
    json_generator_set_pretty (gen, !opt_json);
    text = json_generator_to_data (gen, NULL);
    g_print ("%s\n", text);
  }
  return 0;
}

static int
cmd_summary (SegStore  *store,
             char     **args,
             GError   **error)
{
  g_autoptr(SegDefinition) def = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autofree char *summary = NULL;

  if (args[0] == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, _("summary: give a definition file"));
      return 2;
    }
  def = load_definition (args[0], error);
  if (def == NULL)
    return 1;
  list = list_segments (store, error);
  summary = seg_definition_summarize (def, segment_name_cb, list);
  g_print ("%s\n", summary);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SegStore) store = NULL;
  const char *path;
  const char *command;
  gint64 t0;
  double open_ms, open_cpu_ms;
  int status;

  setlocale (LC_ALL, "");
  /* `live` has its own options (segctl live --help); it runs until stopped. */
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "live"))
        {
          /* Options before the command (--store X live …) are passed on as they are. */
          memmove (argv + i, argv + i + 1, (argc - i) * sizeof (char *));
          return seg_cli_live_main (argc - 1, argv);
        }
      if (argv[i][0] != '-')
        break;
      /* An option's separate value (--store X) is not the command. */
      if ((g_str_equal (argv[i], "--store") || g_str_equal (argv[i], "-s") ||
           g_str_equal (argv[i], "--tz") || g_str_equal (argv[i], "--now")) && i + 1 < argc)
        i++;
    }
  ctx = g_option_context_new (_("COMMAND [ARGS…] — work with Segment Studio stores"));
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (ctx, commands_help);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("segctl: %s\n", error->message);
      return 2;
    }
  if (argc < 2)
    {
      g_autofree char *help = g_option_context_get_help (ctx, TRUE, NULL);
      g_printerr ("%s", help);
      return 2;
    }
  command = argv[1];
  loop = g_main_loop_new (NULL, FALSE);

  path = opt_store ? opt_store : g_getenv ("SEGCTL_STORE");
  if (path == NULL)
    path = "segments.db";
  t0 = g_get_monotonic_time ();
  open_cpu_ms = cpu_ms ();
  store = seg_cli_open_store (path, opt_tz, &error);
  open_ms = (g_get_monotonic_time () - t0) / 1000.0;
  open_cpu_ms = cpu_ms () - open_cpu_ms;
  if (store == NULL)
    {
      g_printerr ("segctl: %s\n", error->message);
      return 1;
    }
  if (opt_now != NULL)
    {
      gint64 now = parse_now (SEG_STORE (store), &error);
      if (now < 0)
        {
          g_printerr ("segctl: %s\n", error->message);
          return 2;
        }
      seg_cli_store_set_now (store, now);
    }

  if (g_str_equal (command, "import"))
    status = cmd_import (SEG_STORE (store), argv + 2, &error);
  else if (g_str_equal (command, "demo"))
    status = seg_cli_demo (SEG_STORE (store), argv + 2, opt_json, &error);
  else if (g_str_equal (command, "eval"))
    status = cmd_eval (SEG_STORE (store), argv + 2, &error);
  else if (g_str_equal (command, "bench"))
    status = cmd_bench (SEG_STORE (store), open_ms, open_cpu_ms, argv + 2, &error);
  else if (g_str_equal (command, "segments"))
    status = cmd_segments (SEG_STORE (store), argv + 2, &error);
  else if (g_str_equal (command, "events"))
    status = cmd_events (SEG_STORE (store), &error);
  else if (g_str_equal (command, "user"))
    status = cmd_user (SEG_STORE (store), argv + 2, &error);
  else if (g_str_equal (command, "summary"))
    status = cmd_summary (SEG_STORE (store), argv + 2, &error);
  else
    {
      g_printerr (_("segctl: unknown command “%s”; see segctl --help\n"), command);
      return 2;
    }
  if (status != 0 && error != NULL)
    g_printerr ("segctl: %s\n", error->message);
  /* Let main-context deliveries (data-changed, counts) run before the store goes. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_main_loop_unref (loop);
  return status;
}
