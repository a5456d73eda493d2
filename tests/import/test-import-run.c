/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "import/seg-import.h"
#include "import/seg-import-preview.h"
#include "import/seg-importer-registry.h"
#include "seg-test-writer.h"

static GFile *
fixture (const char *name)
{
  g_autofree char *path = test_fixture_path (name);

  return g_file_new_for_path (path);
}

static char *
file_sha256 (GFile *file)
{
  g_autofree char *data = NULL;
  gsize len;

  g_assert_true (g_file_load_contents (file, NULL, &data, &len, NULL, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
}

static void
test_run_and_reimport (void)
{
  g_autoptr(TestStore) store = test_store_new ();
  g_autoptr(GFile) file = fixture ("canonical.csv");
  g_autoptr(SegStoreWriter) writer = seg_test_writer_new (store);
  g_autoptr(SegStoreWriter) writer2 = seg_test_writer_new (store);
  g_autoptr(SegImport) import = seg_import_new (file, writer);
  g_autoptr(SegImport) again = seg_import_new (file, writer2);
  g_autoptr(SegImportSummary) summary = NULL;
  g_autoptr(SegImportSummary) summary2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha = file_sha256 (file);
  g_auto(GStrv) names = NULL;
  gint64 first, last;
  SegImportBadRow *bad;

  summary = seg_import_run (import, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (seg_import_summary_get_format_id (summary), ==, "csv");
  g_assert_true (seg_import_summary_get_committed (summary));
  g_assert_false (seg_import_summary_get_already_imported (summary));
  g_assert_cmpstr (seg_import_summary_get_fingerprint (summary), ==, sha);
  g_assert_cmpuint (seg_import_summary_get_rows_read (summary), ==, 8);
  g_assert_cmpuint (seg_import_summary_get_events (summary), ==, 5);
  g_assert_cmpuint (seg_import_summary_get_profiles (summary), ==, 0);
  g_assert_cmpuint (seg_import_summary_get_users (summary), ==, 4);
  g_assert_cmpuint (seg_import_summary_get_rejected (summary), ==, 3);
  names = seg_import_summary_dup_event_names (summary);
  g_assert_cmpuint (g_strv_length (names), ==, 3);
  g_assert_cmpstr (names[0], ==, "Added To Cart");
  g_assert_cmpstr (names[1], ==, "App Launched");
  g_assert_cmpstr (names[2], ==, "Charged");
  g_assert_cmpuint (seg_import_summary_get_event_count (summary, "Charged"), ==, 3);
  g_assert_true (seg_import_summary_get_date_range (summary, &first, &last));
  g_assert_cmpint (first, ==, 1714566600000);
  g_assert_cmpint (last, ==, 1714566600000);
  bad = g_ptr_array_index (seg_import_summary_get_bad_rows (summary), 0);
  g_assert_cmpstr (bad->file, ==, "canonical.csv");
  g_assert_cmpuint (bad->line, ==, 7);

  /* Everything was committed at once, both identical rows included. */
  g_assert_cmpuint (store->commits, ==, 1);
  g_assert_cmpuint (store->records->len, ==, 5);
  g_assert_cmpuint (test_store_count (store, "E|u1|Charged|"), ==, 2);
  /* By default the fingerprint is streamed: declared after the records, before commit. */
  g_assert_true (seg_test_writer_added_before_source (SEG_TEST_WRITER (writer)));

  /* The same file again adds nothing. */
  summary2 = seg_import_run (again, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (seg_import_summary_get_already_imported (summary2));
  g_assert_false (seg_import_summary_get_committed (summary2));
  g_assert_cmpuint (store->commits, ==, 1);
  g_assert_cmpuint (store->records->len, ==, 5);
  g_assert_cmpuint (seg_test_writer_get_pending (SEG_TEST_WRITER (writer2)), ==, 0);

  {
    g_autoptr(JsonNode) node = seg_import_summary_to_json (summary);
    JsonObject *obj = json_node_get_object (node);

    g_assert_cmpint (json_object_get_int_member (obj, "events"), ==, 5);
    g_assert_cmpint (json_object_get_int_member (obj, "users"), ==, 4);
    g_assert_cmpint (json_object_get_int_member (obj, "rejected"), ==, 3);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (obj, "event_names"), "Charged"), ==, 3);
    g_assert_cmpstr (json_object_get_string_member (obj, "first_event"), ==, "2024-05-01T12:30:00Z");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj, "bad_rows")), ==, 3);
  }
}

static void
test_check_first (void)
{
  g_autoptr(TestStore) store = test_store_new ();
  g_autoptr(GFile) file = fixture ("segment.jsonl");

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(SegStoreWriter) writer = seg_test_writer_new (store);
      g_autoptr(SegImport) import = seg_import_new (file, writer);
      g_autoptr(SegImportSummary) summary = NULL;
      g_autoptr(GError) error = NULL;

      seg_import_set_check_first (import, TRUE);
      summary = seg_import_run (import, NULL, &error);
      g_assert_no_error (error);
      /* The fingerprint is declared before any record. */
      g_assert_false (seg_test_writer_added_before_source (SEG_TEST_WRITER (writer)));
      g_assert_cmpint (seg_import_summary_get_already_imported (summary), ==, round == 1);
      /* The second time the file is not even parsed. */
      g_assert_cmpuint (seg_import_summary_get_rows_read (summary), ==, round == 0 ? 4 : 0);
      g_assert_cmpuint (store->records->len, ==, 3);
    }
}

static void
test_gzip_detected (void)
{
  g_autoptr(TestStore) store = test_store_new ();
  g_autoptr(GFile) file = fixture ("amplitude.json.gz");
  g_autoptr(SegStoreWriter) writer = seg_test_writer_new (store);
  g_autoptr(SegImport) import = seg_import_new (file, writer);
  g_autoptr(SegImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha = file_sha256 (file);

  summary = seg_import_run (import, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (seg_importer_get_id (seg_import_get_importer (import)), ==, "amplitude");
  /* The fingerprint is of the file's bytes, compressed as they are. */
  g_assert_cmpstr (seg_import_summary_get_fingerprint (summary), ==, sha);
  g_assert_cmpuint (seg_import_summary_get_events (summary), ==, 2);
  g_assert_cmpuint (seg_import_summary_get_profiles (summary), ==, 1);
  g_assert_cmpuint (seg_import_summary_get_users (summary), ==, 2);
  g_assert_cmpuint (store->records->len, ==, 3);
}

static void
test_insert_ids_pass_through (void)
{
  g_autoptr(TestStore) store = test_store_new ();
  g_autoptr(GFile) file = fixture ("mixpanel.jsonl");
  g_autofree char *tmp_dir = g_dir_make_tmp ("seg-import-XXXXXX", NULL);
  g_autofree char *copy_path = g_build_filename (tmp_dir, "copy.jsonl", NULL);
  g_autoptr(GFile) copy = g_file_new_for_path (copy_path);
  g_autofree char *data = NULL;
  g_autofree char *changed = NULL;
  gsize len;
  const char *files[] = { "original", "copy" };

  /* The same events in a file with other bytes: insert ids recognise them. */
  g_assert_true (g_file_load_contents (file, NULL, &data, &len, NULL, NULL));
  changed = g_strconcat ("\n", data, NULL);
  g_assert_true (g_file_set_contents (copy_path, changed, -1, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(SegStoreWriter) writer = seg_test_writer_new (store);
      g_autoptr(SegImport) import = seg_import_new (i == 0 ? file : copy, writer);
      g_autoptr(SegImportSummary) summary = NULL;
      g_autoptr(GError) error = NULL;

      summary = seg_import_run (import, NULL, &error);
      g_assert_no_error (error);
      g_assert_false (seg_import_summary_get_already_imported (summary));
      g_assert_cmpuint (seg_import_summary_get_events (summary), ==, 3);
    }
  /* Two events carry insert ids and are not doubled; the third has none. */
  g_assert_cmpuint (test_store_count (store, "E|u1|Signed Up|"), ==, 2);
  g_assert_cmpuint (test_store_count (store, "E|42|Purchase|"), ==, 2);

  g_unlink (copy_path);
  g_rmdir (tmp_dir);
}

static void
test_stop_policy (void)
{
  g_autoptr(TestStore) store = test_store_new ();
  g_autoptr(GFile) file = fixture ("canonical.csv");
  g_autoptr(SegStoreWriter) writer = seg_test_writer_new (store);
  g_autoptr(SegImport) import = seg_import_new (file, writer);
  g_autoptr(SegImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  seg_import_set_policy (import, SEG_IMPORT_POLICY_STOP);
  summary = seg_import_run (import, NULL, &error);
  g_assert_null (summary);
  g_assert_error (error, SEG_IMPORT_ERROR, SEG_IMPORT_ERROR_BAD_ROW);
  g_assert_nonnull (strstr (error->message, "canonical.csv, line 7"));

  /* The store is as it was: nothing committed, nothing pending. */
  g_assert_cmpuint (store->commits, ==, 0);
  g_assert_cmpuint (store->records->len, ==, 0);
  g_assert_cmpuint (seg_test_writer_get_pending (SEG_TEST_WRITER (writer)), ==, 0);
  g_assert_cmpuint (seg_import_summary_get_rejected (seg_import_get_summary (import)), ==, 1);
}

typedef struct
{
  GMainLoop        *loop;
  GCancellable     *cancellable;
  SegImportSummary *summary;
  JsonNode         *preview;
  GError           *error;
  guint             progress_calls;
  guint64           last_rows;
  guint64           last_bytes;
  guint64           total_bytes;
  gboolean          on_main_thread;
  gboolean          cancel_on_progress;
} AsyncData;

static GThread *main_thread;

static void
progress_cb (SegImport *import,
             guint64    rows,
             guint64    bytes,
             guint64    total_bytes,
             double     rate,
             double     seconds_left,
             AsyncData *d)
{
  d->progress_calls++;
  d->on_main_thread &= g_thread_self () == main_thread;
  g_assert_cmpuint (rows, >=, d->last_rows);
  g_assert_cmpuint (bytes, <=, total_bytes);
  g_assert_cmpfloat (rate, >=, 0);
  d->last_rows = rows;
  d->last_bytes = bytes;
  d->total_bytes = total_bytes;
  if (d->cancel_on_progress)
    g_cancellable_cancel (d->cancellable);
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  AsyncData *d = user_data;

  d->summary = seg_import_run_finish (SEG_IMPORT (source), result, &d->error);
  g_main_loop_quit (d->loop);
}

static char *
write_big_csv (const char *dir,
               guint       rows)
{
  char *path = g_build_filename (dir, "big.csv", NULL);
  GString *s = g_string_new ("user_id,event,ts,amount\n");

  for (guint i = 0; i < rows; i++)
    g_string_append_printf (s, "u%u,Charged,%u,%u.5\n", i % 1000, 1714566600 + i, i % 100);
  g_assert_true (g_file_set_contents (path, s->str, s->len, NULL));
  g_string_free (s, TRUE);
  return path;
}

static void
test_async_progress (void)
{
  g_autoptr(TestStore) store = test_store_new ();
  g_autofree char *dir = g_dir_make_tmp ("seg-import-XXXXXX", NULL);
  g_autofree char *path = write_big_csv (dir, 100000);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SegStoreWriter) writer = seg_test_writer_new (store);
  g_autoptr(SegImport) import = seg_import_new (file, writer);
  AsyncData d = { 0 };

  d.loop = g_main_loop_new (NULL, FALSE);
  d.on_main_thread = TRUE;
  g_signal_connect (import, "progress", G_CALLBACK (progress_cb), &d);
  seg_import_run_async (import, NULL, run_done_cb, &d);
  g_main_loop_run (d.loop);

  g_assert_no_error (d.error);
  g_assert_nonnull (d.summary);
  g_assert_cmpuint (seg_import_summary_get_events (d.summary), ==, 100000);
  g_assert_cmpuint (store->records->len, ==, 100000);
  /* Progress came on the main thread and its last report is the whole file. */
  g_assert_cmpuint (d.progress_calls, >=, 1);
  g_assert_true (d.on_main_thread);
  g_assert_cmpuint (d.last_rows, ==, 100000);
  g_assert_cmpuint (d.last_bytes, ==, d.total_bytes);

  g_clear_object (&d.summary);
  g_main_loop_unref (d.loop);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_cancel_commits_nothing (void)
{
  g_autoptr(TestStore) store = test_store_new ();
  g_autofree char *dir = g_dir_make_tmp ("seg-import-XXXXXX", NULL);
  g_autofree char *path = write_big_csv (dir, 300000);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SegStoreWriter) writer = seg_test_writer_new (store);
  g_autoptr(SegImport) import = seg_import_new (file, writer);
  AsyncData d = { 0 };

  d.loop = g_main_loop_new (NULL, FALSE);
  d.cancellable = g_cancellable_new ();
  d.cancel_on_progress = TRUE;
  d.on_main_thread = TRUE;
  g_signal_connect (import, "progress", G_CALLBACK (progress_cb), &d);
  seg_import_run_async (import, d.cancellable, run_done_cb, &d);
  g_main_loop_run (d.loop);

  g_assert_null (d.summary);
  g_assert_error (d.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (store->commits, ==, 0);
  g_assert_cmpuint (store->records->len, ==, 0);
  g_assert_cmpuint (seg_test_writer_get_pending (SEG_TEST_WRITER (writer)), ==, 0);

  g_clear_error (&d.error);
  g_object_unref (d.cancellable);
  g_main_loop_unref (d.loop);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_custom_list_summary (void)
{
  g_autoptr(TestStore) store = test_store_new ();
  g_autoptr(GFile) file = fixture ("custom-list.csv");
  g_autoptr(SegStoreWriter) writer = seg_test_writer_new (store);
  g_autoptr(SegImport) import = seg_import_new (file, writer);
  g_autoptr(SegImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *ids;

  summary = seg_import_run (import, NULL, &error);
  g_assert_no_error (error);
  ids = seg_import_summary_get_identities (summary);
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (ids, 0), ==, "ct-1");
  g_assert_cmpstr (g_ptr_array_index (seg_import_summary_get_identity_types (summary), 0), ==, "identity");
  g_assert_cmpstr (g_ptr_array_index (seg_import_summary_get_identity_types (summary), 1), ==, "email");
  g_assert_cmpuint (seg_import_summary_get_events (summary), ==, 0);
  g_assert_cmpuint (store->records->len, ==, 0);
}

static void
test_timezone_and_event_name_options (void)
{
  g_autoptr(TestStore) store = test_store_new ();
  g_autoptr(GFile) file = fixture ("Charged.json");
  g_autoptr(SegStoreWriter) writer = seg_test_writer_new (store);
  g_autoptr(SegImport) import = seg_import_new (file, writer);
  g_autoptr(SegImportSummary) summary = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Kolkata");
  g_autoptr(GError) error = NULL;

  seg_import_set_timezone (import, tz);
  seg_import_set_event_name (import, "Purchase");
  summary = seg_import_run (import, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (test_store_has (store, "E|__g7|Purchase|1714566660000|"));

  {
    /* A forced format (segctl import --format) gets the same options. */
    g_autoptr(TestStore) store2 = test_store_new ();
    g_autoptr(SegStoreWriter) writer2 = seg_test_writer_new (store2);
    g_autoptr(SegImport) forced = seg_import_new (file, writer2);
    g_autoptr(SegImporter) importer = seg_importer_registry_create ("clevertap-api");
    g_autoptr(SegImportSummary) summary2 = NULL;

    seg_import_set_importer (forced, importer);
    seg_import_set_timezone (forced, tz);
    seg_import_set_event_name (forced, "Refund");
    summary2 = seg_import_run (forced, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (test_store_has (store2, "E|__g7|Refund|1714566660000|"));
  }
}

static void
test_unknown_format (void)
{
  g_autofree char *dir = g_dir_make_tmp ("seg-import-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "noise.bin", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SegImport) import = seg_import_new (file, NULL);
  g_autoptr(GError) error = NULL;
  const char noise[] = "\x01\x02\x03 nothing to see\n";

  g_assert_true (g_file_set_contents (path, noise, sizeof noise - 1, NULL));
  g_assert_null (seg_import_run (import, NULL, &error));
  g_assert_error (error, SEG_IMPORT_ERROR, SEG_IMPORT_ERROR_UNKNOWN_FORMAT);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_columns (void)
{
  g_autoptr(GFile) csv = fixture ("canonical.csv");
  g_autoptr(GFile) jsonl = fixture ("events.jsonl");
  g_autoptr(GFile) gz = fixture ("amplitude.json.gz");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) csv_cols = seg_import_list_columns (csv, NULL, &error);
  g_auto(GStrv) json_cols = seg_import_list_columns (jsonl, NULL, &error);
  g_auto(GStrv) gz_cols = seg_import_list_columns (gz, NULL, &error);
  const char *want_csv[] = { "user_id", "event", "ts", "amount", "city", "coupon", "tags", NULL };
  const char *want_json[] = { "who.id", "what", "when", "score", "meta.level", "meta.flags", NULL };

  g_assert_no_error (error);
  g_assert_true (g_strv_equal ((const char * const *) csv_cols, want_csv));
  g_assert_true (g_strv_equal ((const char * const *) json_cols, want_json));
  g_assert_true (g_strv_contains ((const char * const *) gz_cols, "event_properties.price"));
}

static void
preview_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  AsyncData *d = user_data;

  d->preview = seg_import_preview_finish (SEG_IMPORTER (source), result, &d->error);
  g_main_loop_quit (d->loop);
}

static void
test_preview (void)
{
  g_autoptr(GFile) file = fixture ("canonical.csv");
  g_autoptr(SegImporter) importer = seg_import_detect (file, NULL, NULL);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *obj, *first;
  JsonArray *records;
  AsyncData d = { 0 };

  g_assert_nonnull (importer);
  d.loop = g_main_loop_new (NULL, FALSE);
  seg_import_preview_async (importer, file, 3, NULL, preview_done_cb, &d);
  g_main_loop_run (d.loop);
  g_assert_no_error (d.error);
  node = g_steal_pointer (&d.preview);

  obj = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (obj, "format"), ==, "csv");
  records = json_object_get_array_member (obj, "records");
  /* Only as many records as asked for. */
  g_assert_cmpuint (json_array_get_length (records), ==, 3);
  first = json_array_get_object_element (records, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "user_id"), ==, "u1");
  g_assert_cmpstr (json_object_get_string_member (first, "event"), ==, "Charged");
  g_assert_cmpstr (json_object_get_string_member (first, "ts"), ==, "2024-05-01T12:30:00.000Z");
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (first, "properties"), "amount"), ==, 12.5);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_object_get_object_member (first, "properties"), "tags")), ==, 2);
  g_main_loop_unref (d.loop);
}

/* Records are parsed on the import's thread and written on another, in batches: a file
 * of several batches arrives whole and in order, off the parsing thread, with the hashes
 * the store would compute; a writer that fails stops the import with its own error and
 * nothing is committed. */
static void
test_pipeline (void)
{
  g_autoptr(TestStore) store = test_store_new ();
  g_autofree char *dir = g_dir_make_tmp ("seg-pipeline-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "big.mixpanel.jsonl", NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GFile) file = NULL;
  const guint n = 10000;   /* a few batches of 4096 */

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "{\"event\":\"E%u\",\"properties\":{\"time\":%u,\"distinct_id\":\"u%u\","
                            "\"$insert_id\":\"i%u\",\"city\":\"C\u00e9%u\",\"n\":%u}}\n",
                            i % 3, 1700000000 + i, i % 97, i, i % 5, i);
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  file = g_file_new_for_path (path);

  {
    g_autoptr(SegStoreWriter) writer = seg_test_writer_new (store);
    g_autoptr(SegImport) import = seg_import_new (file, writer);
    g_autoptr(SegImportSummary) summary = NULL;
    g_autoptr(GError) error = NULL;

    seg_test_writer_set_fail_after (SEG_TEST_WRITER (writer), 5000);
    summary = seg_import_run (import, NULL, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
    g_assert_cmpstr (error->message, ==, "The test store is full after 5000 records");
    g_assert_null (summary);
    g_assert_cmpuint (store->records->len, ==, 0);
    g_assert_cmpuint (store->commits, ==, 0);
  }
  {
    g_autoptr(SegStoreWriter) writer = seg_test_writer_new (store);
    g_autoptr(SegImport) import = seg_import_new (file, writer);
    g_autoptr(SegImportSummary) summary = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *first = NULL, *last = NULL;

    summary = seg_import_run (import, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (seg_import_summary_get_events (summary), ==, n);
    g_assert_cmpuint (seg_test_writer_get_hashed_adds (SEG_TEST_WRITER (writer)), ==, n);
    g_assert_true (seg_test_writer_get_add_thread (SEG_TEST_WRITER (writer)) != g_thread_self ());
    g_assert_cmpuint (store->records->len, ==, n);
    first = g_strdup (g_ptr_array_index (store->records, 0));
    last = g_strdup (g_ptr_array_index (store->records, n - 1));
    g_assert_true (g_str_has_prefix (first, "E|u0|E0|1700000000000|i0|"));
    g_assert_true (g_str_has_prefix (last, "E|u8|E0|1700009999000|i9999|"));
    g_assert_nonnull (strstr (last, "|city=string:C\u00e94|"));
  }
  g_assert_no_errno (g_remove (path));
  g_assert_no_errno (g_rmdir (dir));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  main_thread = g_thread_self ();

  g_test_add_func ("/import/run/commit-and-reimport", test_run_and_reimport);
  g_test_add_func ("/import/run/check-first", test_check_first);
  g_test_add_func ("/import/run/gzip", test_gzip_detected);
  g_test_add_func ("/import/run/insert-ids", test_insert_ids_pass_through);
  g_test_add_func ("/import/run/stop-policy", test_stop_policy);
  g_test_add_func ("/import/run/async-progress", test_async_progress);
  g_test_add_func ("/import/run/cancel", test_cancel_commits_nothing);
  g_test_add_func ("/import/run/pipeline", test_pipeline);
  g_test_add_func ("/import/run/custom-list", test_custom_list_summary);
  g_test_add_func ("/import/run/options", test_timezone_and_event_name_options);
  g_test_add_func ("/import/run/unknown-format", test_unknown_format);
  g_test_add_func ("/import/preview/columns", test_columns);
  g_test_add_func ("/import/preview/records", test_preview);

  return g_test_run ();
}
