/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `segctl import` as an analyst runs it: the real program on the format fixtures, into a
 * real store file, its --json summary read back with json-glib.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

static char *dir;
static char *store;

/* Runs segctl with @args; returns its exit status, with stdout in @out (nullable). */
static int
segctl (char       **out,
        const char  *first,
        ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *std_out = NULL;
  int status = 0;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) SEGCTL_PATH);
  g_ptr_array_add (argv, (gpointer) "--store");
  g_ptr_array_add (argv, store);
  g_ptr_array_add (argv, (gpointer) "--tz");
  g_ptr_array_add (argv, (gpointer) "UTC");
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &std_out, &err, &status, &error));
  g_assert_no_error (error);
  if (err != NULL && *err != '\0')
    g_test_message ("stderr: %s", err);
  if (out != NULL)
    *out = g_steal_pointer (&std_out);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static JsonObject *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static char *
fixture (const char *name)
{
  return g_build_filename (IMPORT_FIXTURES, name, NULL);
}

static gint64
n_events (void)
{
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *events;
  gint64 n = 0;

  g_assert_cmpint (segctl (&out, "--json", "events", NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  events = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (events); i++)
    n += json_object_get_int_member (json_array_get_object_element (events, i), "count");
  return n;
}

static void
test_detect_formats (void)
{
  g_autofree char *mixpanel = fixture ("mixpanel.jsonl");
  g_autofree char *amplitude = fixture ("amplitude.json.gz");
  g_autofree char *canonical = fixture ("canonical.csv");
  g_autofree char *access = fixture ("access.log");
  g_autofree char *segment = fixture ("segment.jsonl");
  g_autofree char *out = NULL;
  g_autoptr(JsonObject) summary = NULL;
  JsonArray *files;
  const char *expected[] = { "csv", "mixpanel", "amplitude", "access-log", "segment" };
  gint64 events;

  g_assert_cmpint (segctl (&out, "--json", "import", mixpanel, amplitude, canonical, access, segment, NULL), ==, 0);
  g_test_message ("%s", out);
  summary = parse (out);
  files = json_object_get_array_member (summary, "files");
  g_assert_cmpuint (json_array_get_length (files), ==, 5);
  /* The canonical CSV takes the fast path first; the others in the order given. */
  for (guint i = 0; i < 5; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (files, i), "format"), ==,
                     expected[i]);
  events = json_object_get_int_member (summary, "events_added");
  g_assert_cmpint (events, >, 0);
  g_assert_cmpint (json_object_get_int_member (summary, "users_added"), >, 0);
  g_assert_cmpint (json_object_get_int_member (summary, "rejected"), >, 0);
  /* Each reason names the file and line. */
  {
    JsonArray *rejects = json_object_get_array_member (json_array_get_object_element (files, 1), "rejects");

    g_assert_cmpuint (json_array_get_length (rejects), >, 0);
    g_assert_true (g_str_has_prefix (json_array_get_string_element (rejects, 0), mixpanel));
    g_assert_cmpint (json_array_get_string_element (rejects, 0)[strlen (mixpanel)], ==, ':');
  }
  g_assert_cmpint (n_events (), ==, events);

  /* The same files again add nothing. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&summary, json_object_unref);
  g_assert_cmpint (segctl (&out, "--json", "import", mixpanel, amplitude, access, segment, NULL), ==, 0);
  summary = parse (out);
  g_assert_cmpint (json_object_get_int_member (summary, "events_added"), ==, 0);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (
                   json_object_get_array_member (summary, "files"), 0), "already_imported"));
  g_assert_cmpint (n_events (), ==, events);

  /* Another file holding records already imported (Mixpanel's $insert_id) adds none of
   * them and says they were duplicates. */
  {
    g_autofree char *copy = g_build_filename (dir, "mixpanel-again.jsonl", NULL);
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    g_autofree char *first = NULL;

    g_assert_true (g_file_get_contents (mixpanel, &text, NULL, NULL));
    lines = g_strsplit (text, "\n", 2);
    first = g_strconcat (lines[0], "\n", NULL);
    g_assert_true (g_file_set_contents (copy, first, -1, NULL));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&summary, json_object_unref);
    g_assert_cmpint (segctl (&out, "--json", "import", copy, NULL), ==, 0);
    summary = parse (out);
    g_assert_cmpint (json_object_get_int_member (summary, "events_added"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (summary, "duplicates_skipped"), ==, 1);
    g_assert_cmpint (n_events (), ==, events);

    /* The plain summary says so too (another copy: the first one is known by content). */
    {
      g_autofree char *copy2 = g_build_filename (dir, "mixpanel-again2.jsonl", NULL);
      g_autofree char *twice = g_strconcat (first, "\n", NULL);

      g_assert_true (g_file_set_contents (copy2, twice, -1, NULL));
      g_clear_pointer (&out, g_free);
      g_assert_cmpint (segctl (&out, "import", copy2, NULL), ==, 0);
      g_test_message ("%s", out);
      g_assert_nonnull (strstr (out, "1 event was already in the store (same insert id)"));
    }
  }
}

/* Stopping at a bad row adds nothing from that file; an unknown format is refused with
 * the list of formats. */
static void
test_stop_and_force (void)
{
  g_autofree char *mixpanel = fixture ("mixpanel.jsonl");
  g_autofree char *clevertap = fixture ("clevertap-events.json");
  g_autofree char *out = NULL;
  g_autoptr(JsonObject) summary = NULL;
  gint64 before = n_events ();

  g_autofree char *copy = g_build_filename (dir, "mixpanel-edited.jsonl", NULL);
  g_autofree char *text = NULL;

  /* The file imported before is recognised (nothing to stop at); an edited copy of it,
   * with its bad row, is not, and stops. */
  g_assert_cmpint (segctl (NULL, "import", "--on-error", "stop", mixpanel, NULL), ==, 0);
  g_assert_true (g_file_get_contents (mixpanel, &text, NULL, NULL));
  g_assert_true (g_file_set_contents (copy, text, strlen (text) - 1, NULL));
  g_assert_cmpint (segctl (NULL, "import", "--on-error", "stop", copy, NULL), ==, 1);
  g_assert_cmpint (n_events (), ==, before);
  g_assert_cmpint (segctl (NULL, "import", "--format", "no-such-format", clevertap, NULL), ==, 1);
  g_assert_cmpint (segctl (NULL, "import", "--on-error", "maybe", clevertap, NULL), ==, 2);
  g_assert_cmpint (n_events (), ==, before);

  /* Forced: CleverTap's times read in the time zone given. */
  g_assert_cmpint (segctl (&out, "--json", "import", "--format", "clevertap", "--source-tz", "Asia/Kolkata",
                           clevertap, NULL), ==, 0);
  summary = parse (out);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (summary, "files"), 0), "format"), ==, "clevertap");
  g_assert_cmpint (n_events (), ==, before + json_object_get_int_member (summary, "events_added"));
}

/* A CSV of its own shape through a saved mapping (the app's JSON format). */
static void
test_mapping (void)
{
  g_autofree char *csv = g_build_filename (dir, "orders.csv", NULL);
  g_autofree char *map = g_build_filename (dir, "orders.mapping.json", NULL);
  g_autofree char *out = NULL;
  g_autoptr(JsonObject) summary = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (csv,
                                      "customer;what;when;total\r\n"
                                      "c1;Purchase;2024-03-01T10:00:00Z;12.5\r\n"
                                      "c2;Purchase;2024-03-02T11:00:00Z;7\r\n"
                                      "c1;Refund;2024-03-03T12:00:00Z;3\r\n", -1, &error));
  g_assert_true (g_file_set_contents (map,
                                      "{\"version\":1,\"kind\":\"events\",\"user\":[\"customer\"],\"event\":\"what\","
                                      "\"ts\":\"when\",\"ts_format\":\"iso8601\",\"include_unmapped\":false,"
                                      "\"delimiter\":\";\",\"columns\":[{\"name\":\"total\",\"property\":\"amount\","
                                      "\"type\":\"number\"}]}", -1, &error));
  g_assert_cmpint (segctl (&out, "--json", "import", "--mapping", map, csv, NULL), ==, 0);
  summary = parse (out);
  g_assert_cmpint (json_object_get_int_member (summary, "events_added"), ==, 3);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (segctl (&out, "--json", "events", "--event", "Purchase", NULL), ==, 0);
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "\"amount\""));
}

/* Runs segctl and returns its stderr; the exit status in @status. */
static char *
segctl_stderr (int         *status,
               const char  *first,
               ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  char *err = NULL;
  int wait_status = 0;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) SEGCTL_PATH);
  g_ptr_array_add (argv, (gpointer) "--store");
  g_ptr_array_add (argv, store);
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                               NULL, &err, &wait_status, &error));
  g_assert_no_error (error);
  *status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  return err;
}

static void
write_gzip (const char *path,
            const char *text)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) raw = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL);
  g_autoptr(GZlibCompressor) zc = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (G_OUTPUT_STREAM (raw), G_CONVERTER (zc));

  g_assert_nonnull (raw);
  g_assert_true (g_output_stream_write_all (out, text, strlen (text), NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (out, NULL, NULL));
}

/* A file with a bad row: --on-error stop leaves the store as it was, whichever way the
 * file is read (the fast canonical path, gzip through the importers); skip adds the good
 * rows and names the bad one by file and line; a stopped attempt does not make the file
 * count as imported, and once imported, it adds nothing again. */
static void
test_bad_rows (void)
{
  const char *text = "user_id,event,ts,amount\n"
                     "b1,Charged,2024-05-01T10:00:00Z,3\n"
                     "b2,Charged,not-a-time,4\n"
                     "b3,App Launched,2024-05-02T10:00:00Z,\n";
  g_autofree char *csv = g_build_filename (dir, "bad-rows.csv", NULL);
  g_autofree char *gz = g_build_filename (dir, "bad-rows-copy.csv.gz", NULL);
  g_autofree char *line3 = g_strconcat (csv, ":3: ", NULL);
  gint64 before = n_events ();

  g_assert_true (g_file_set_contents (csv, text, -1, NULL));
  write_gzip (gz, text);

  for (guint i = 0; i < 2; i++)
    {
      const char *path = i == 0 ? csv : gz;
      g_autofree char *out = NULL;
      g_autoptr(JsonObject) summary = NULL;
      JsonObject *file;
      JsonArray *rejects;

      g_assert_cmpint (segctl (NULL, "import", "--on-error", "stop", path, NULL), ==, 1);
      g_assert_cmpint (n_events (), ==, before);

      g_assert_cmpint (segctl (&out, "--json", "import", "--on-error", "skip", path, NULL), ==, 0);
      summary = parse (out);
      file = json_array_get_object_element (json_object_get_array_member (summary, "files"), 0);
      g_assert_cmpstr (json_object_get_string_member (file, "format"), ==, "csv");
      g_assert_cmpint (json_object_get_int_member (summary, "rows_read"), ==, 3);
      g_assert_cmpint (json_object_get_int_member (summary, "events_added"), ==, 2);
      g_assert_cmpint (json_object_get_int_member (summary, "rejected"), ==, 1);
      rejects = json_object_get_array_member (file, "rejects");
      g_assert_cmpuint (json_array_get_length (rejects), ==, 1);
      if (i == 0)
        g_assert_true (g_str_has_prefix (json_array_get_string_element (rejects, 0), line3));
      else
        g_assert_true (g_str_has_prefix (json_array_get_string_element (rejects, 0), gz));
      before += 2;
      g_assert_cmpint (n_events (), ==, before);

      /* Again, either policy: nothing added. */
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&summary, json_object_unref);
      g_assert_cmpint (segctl (&out, "--json", "import", "--on-error", "stop", path, NULL), ==, 0);
      summary = parse (out);
      g_assert_cmpint (json_object_get_int_member (summary, "events_added"), ==, 0);
      g_assert_cmpint (segctl (NULL, "import", path, NULL), ==, 0);
      g_assert_cmpint (n_events (), ==, before);
    }
}

/* The profiles CSV, the plain-text summary, --progress and the format list in --help. */
static void
test_profiles_progress_help (void)
{
  g_autofree char *profiles = fixture ("profiles.csv");
  g_autofree char *segment = fixture ("segment.jsonl");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *help = NULL;
  int status;
  const char *argv[] = { SEGCTL_PATH, "--help", NULL };

  g_assert_cmpint (segctl (&out, "import", profiles, NULL), ==, 0);
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "profile rows added"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (segctl (&out, "--json", "user", "u1", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "ann@example.com"));

  /* stderr is not a terminal here: progress only when asked for. */
  err = segctl_stderr (&status, "import", "--progress", "--format", "segment", "--timezone", "UTC",
                       segment, NULL);
  g_test_message ("%s", err);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (err, "rows/s"));
  g_clear_pointer (&err, g_free);
  err = segctl_stderr (&status, "import", "--format", "segment", segment, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_null (strstr (err, "rows/s"));
  g_clear_pointer (&err, g_free);

  /* The canonical CSV's fast path reports progress too. */
  {
    g_autofree char *csv = g_build_filename (dir, "progress.csv", NULL);
    g_autoptr(GString) text = g_string_new ("user_id,event,ts\n");

    for (guint i = 0; i < 100; i++)
      g_string_append_printf (text, "p%u,Progressed,2024-05-01T10:%02u:00Z\n", i, i % 60);
    g_assert_true (g_file_set_contents (csv, text->str, text->len, NULL));
    err = segctl_stderr (&status, "import", "--progress", csv, NULL);
    g_test_message ("%s", err);
    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (err, "100 rows, 100% of"));
    g_assert_nonnull (strstr (err, "rows/s"));
  }

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &help, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (help, "clevertap-api"));
  g_assert_nonnull (strstr (help, "mixpanel"));
  g_assert_nonnull (strstr (help, "access-log"));
  g_assert_nonnull (strstr (help, "--on-error"));
  g_assert_nonnull (strstr (help, "--timezone"));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("segctl-import-XXXXXX", NULL);
  store = g_build_filename (dir, "store.segstore", NULL);
  g_test_add_func ("/segctl-import/detect-formats", test_detect_formats);
  g_test_add_func ("/segctl-import/stop-and-force", test_stop_and_force);
  g_test_add_func ("/segctl-import/mapping", test_mapping);
  g_test_add_func ("/segctl-import/bad-rows", test_bad_rows);
  g_test_add_func ("/segctl-import/profiles-progress-help", test_profiles_progress_help);
  ret = g_test_run ();
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_unlink (path);
      }
    g_rmdir (dir);
  }
  return ret;
}
