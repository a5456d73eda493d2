/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The GTK-free report helpers on a real store: member export (plain and Custom List CSV,
 * paging, profile fields, escaping, cancellation), joined/left diffs and day arithmetic. */

#include "config.h"

#include "../core/store-fixture.h"
#include "seg-event-info.h"
#include "report/seg-member-diff.h"
#include "report/seg-member-export.h"
#include "report/seg-report-days.h"
#include "report/seg-user-lookup.h"
#include "seg-user-profile.h"

#define NOW "2024-06-15T12:00:00Z"
#define CHARGED_TODAY "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"today\"}}}"
#define CHARGED_EVER "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"ever\"}}}"

typedef struct
{
  char          *dir;
  char          *path;
  SegLocalStore *store;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SegStoreWriter) w = NULL;

  f->dir = fx_tmpdir ();
  f->path = g_build_filename (f->dir, "store.db", NULL);
  f->store = fx_open (f->path, "UTC");
  seg_local_store_set_now (f->store, fx_ms (NOW));

  w = seg_store_begin_write (SEG_STORE (f->store), &error);
  g_assert_no_error (error);
  fx_event (w, "a", "Charged", "2024-06-13T10:00:00Z", "amount=n:10", NULL);
  fx_event (w, "b", "Charged", "2024-06-14T09:00:00Z", NULL);
  fx_event (w, "b", "App Launched", "2024-06-12T00:00:00Z", NULL);
  fx_event (w, "c", "Charged", "2024-06-15T08:00:00Z", NULL);
  fx_event (w, "d", "Charged", "2024-06-10T07:00:00Z", NULL);
  fx_event (w, "x,\"y", "Charged", "2024-06-14T11:00:00Z", NULL);
  fx_profile (w, "a", "2024-01-01T00:00:00Z", "email=s:a@example.org", "plan=s:Gold", "age=n:31", NULL);
  fx_profile (w, "b", "2024-01-01T00:00:00Z", "email=s:b@example.org", "vip=b:true", NULL);
  fx_profile (w, "c", "2024-01-01T00:00:00Z", "plan=s:Silver, annual", "tags=l:x|y", NULL);
  fx_commit (w);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  fx_release (&f->store);
  fx_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* The store's member order for @json, as the expected body of an id-only export. */
static char *
expected_ids (Fixture    *f,
              const char *json,
              const char *prefix)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SegEvalResult) r = fx_eval_full (f->store, json, NOW, SEG_EVAL_MEMBERS, &error);
  GString *s = g_string_new (NULL);

  g_assert_no_error (error);
  for (const char * const *m = seg_eval_result_get_members (r); *m != NULL; m++)
    {
      g_autofree char *esc = seg_csv_escape (*m);
      g_string_append_printf (s, "%s%s\r\n", prefix, esc);
    }
  return g_string_free (s, FALSE);
}

static gboolean
run_export (SegMemberExport  *ex,
            const char       *path,
            GCancellable     *cancellable,
            GError          **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) res = NULL;

  seg_member_export_write_async (ex, file, cancellable, fx_result_cb, &res);
  return seg_member_export_write_finish (ex, fx_wait (&res), error);
}

static SegMemberExport *
new_export (Fixture    *f,
            const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SegDefinition) def = seg_definition_new_from_json (json, -1, &error);
  SegMemberExport *ex;

  g_assert_no_error (error);
  ex = seg_member_export_new (SEG_STORE (f->store), def);
  seg_member_export_set_now (ex, fx_ms (NOW));
  return ex;
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  const char *name;

  /* The store's own files (its journal too) do not count. */
  while ((name = g_dir_read_name (d)) != NULL)
    if (!g_str_has_prefix (name, "store.db"))
      n++;
  return n;
}

static void
test_export_ids (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SegMemberExport) ex = new_export (f, CHARGED_EVER);
  g_autofree char *out = g_build_filename (f->dir, "members.csv", NULL);
  g_autofree char *body = expected_ids (f, CHARGED_EVER, "");
  g_autofree char *expected = g_strconcat ("id\r\n", body, NULL);
  g_autofree char *got = NULL;

  /* A page of two: five members take three pages. */
  seg_member_export_set_page_size (ex, 2);
  g_assert_true (run_export (ex, out, NULL, &error));
  g_assert_no_error (error);
  got = read_text (out);
  g_assert_cmpstr (got, ==, expected);
  g_assert_true (strstr (got, "\"x,\"\"y\"\r\n") != NULL);
  g_assert_cmpuint (seg_member_export_get_written (ex), ==, 5);
  g_assert_cmpuint (seg_member_export_get_total (ex), ==, 5);
  g_assert_cmpfloat (seg_member_export_get_fraction (ex), ==, 1.0);
  /* Only the store and the export: no temporary file is left. */
  g_assert_cmpuint (count_entries (f->dir), ==, 1);
}

static void
test_export_custom_list (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SegMemberExport) ex = new_export (f, CHARGED_TODAY);
  g_autofree char *out = g_build_filename (f->dir, "engage.csv", NULL);
  g_autofree char *got = NULL;

  seg_member_export_set_format (ex, SEG_MEMBER_EXPORT_CUSTOM_LIST);
  /* Fields do not apply to a Custom List. */
  seg_member_export_set_fields (ex, (const char *[]) { "email", NULL });
  g_assert_true (run_export (ex, out, NULL, &error));
  g_assert_no_error (error);
  got = read_text (out);
  g_assert_cmpstr (got, ==, "Type,Identity\r\nIdentity,c\r\n");
}

static void
test_export_fields (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SegMemberExport) ex = new_export (f, CHARGED_EVER);
  g_autofree char *out = g_build_filename (f->dir, "fields.csv", NULL);
  g_autofree char *got = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) rows = g_hash_table_new (g_str_hash, g_str_equal);

  seg_member_export_set_fields (ex, (const char *[]) { "email", "plan", "age", "vip", "tags", NULL });
  seg_member_export_set_page_size (ex, 3);
  g_assert_true (run_export (ex, out, NULL, &error));
  g_assert_no_error (error);
  got = read_text (out);
  lines = g_strsplit (got, "\r\n", -1);
  g_assert_cmpstr (lines[0], ==, "id,email,plan,age,vip,tags");
  g_assert_cmpuint (g_strv_length (lines), ==, 7);   /* header, 5 rows, trailing "" */
  for (guint i = 1; lines[i] != NULL; i++)
    g_hash_table_add (rows, lines[i]);
  g_assert_true (g_hash_table_contains (rows, "a,a@example.org,Gold,31,,"));
  g_assert_true (g_hash_table_contains (rows, "b,b@example.org,,,true,"));
  g_assert_true (g_hash_table_contains (rows, "c,,\"Silver, annual\",,,\"x, y\""));
  g_assert_true (g_hash_table_contains (rows, "d,,,,,"));
  g_assert_true (g_hash_table_contains (rows, "\"x,\"\"y\",,,,,"));
}

static void
test_export_cancel_before (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SegMemberExport) ex = new_export (f, CHARGED_EVER);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *out = g_build_filename (f->dir, "members.csv", NULL);
  g_autofree char *got = NULL;

  /* An earlier export stays as it was when a new one is cancelled. */
  g_assert_true (g_file_set_contents (out, "old\n", -1, NULL));
  g_cancellable_cancel (cancellable);
  g_assert_false (run_export (ex, out, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  got = read_text (out);
  g_assert_cmpstr (got, ==, "old\n");
  g_assert_cmpuint (count_entries (f->dir), ==, 1);
}

static void
cancel_on_progress_cb (SegMemberExport *ex,
                       GParamSpec      *pspec,
                       GCancellable    *cancellable)
{
  if (seg_member_export_get_written (ex) > 0)
    g_cancellable_cancel (cancellable);
}

static void
test_export_cancel_midway (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SegMemberExport) ex = new_export (f, CHARGED_EVER);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *out = g_build_filename (f->dir, "members.csv", NULL);

  /* Two thousand more members, each read with its profile: far more work than the main
   * loop needs to see the first progress and cancel. */
  {
    g_autoptr(SegStoreWriter) w = seg_store_begin_write (SEG_STORE (f->store), &error);
    g_assert_no_error (error);
    for (guint i = 0; i < 2000; i++)
      {
        g_autofree char *id = g_strdup_printf ("more-%04u", i);
        fx_event (w, id, "Charged", "2024-06-01T10:00:00Z", NULL);
      }
    fx_commit (w);
  }
  seg_member_export_set_page_size (ex, 100);
  seg_member_export_set_fields (ex, (const char *[]) { "email", NULL });
  g_signal_connect (ex, "notify::written", G_CALLBACK (cancel_on_progress_cb), cancellable);
  g_assert_false (run_export (ex, out, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (seg_member_export_get_written (ex), <, 2005);
  g_assert_cmpuint (count_entries (f->dir), ==, 0);
}

static void
test_export_bad_destination (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SegMemberExport) ex = new_export (f, CHARGED_EVER);
  g_autofree char *out = g_build_filename (f->dir, "no-such-dir", "m.csv", NULL);

  g_assert_false (run_export (ex, out, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_export_large (void)
{
  g_autofree char *dir = fx_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autofree char *out = g_build_filename (dir, "all.csv", NULL);
  g_autoptr(SegLocalStore) store = fx_open (path, "UTC");
  g_autoptr(GError) error = NULL;
  g_autoptr(SegDefinition) def = seg_definition_new_from_json (CHARGED_EVER, -1, &error);
  g_autoptr(SegMemberExport) ex = NULL;
  g_autofree char *got = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) lines = NULL;

  {
    g_autoptr(SegStoreWriter) w = seg_store_begin_write (SEG_STORE (store), &error);
    g_assert_no_error (error);
    for (guint i = 0; i < 5000; i++)
      {
        g_autofree char *id = g_strdup_printf ("user-%05u", i);
        fx_event (w, id, i % 3 == 0 ? "Viewed" : "Charged", "2024-06-01T10:00:00Z", NULL);
      }
    fx_commit (w);
  }
  ex = seg_member_export_new (SEG_STORE (store), def);
  seg_member_export_set_format (ex, SEG_MEMBER_EXPORT_CUSTOM_LIST);
  seg_member_export_set_page_size (ex, 701);
  {
    g_autoptr(GFile) file = g_file_new_for_path (out);
    g_autoptr(GAsyncResult) res = NULL;
    seg_member_export_write_async (ex, file, NULL, fx_result_cb, &res);
    g_assert_true (seg_member_export_write_finish (ex, fx_wait (&res), &error));
    g_assert_no_error (error);
  }
  got = read_text (out);
  lines = g_strsplit (got, "\r\n", -1);
  g_assert_cmpstr (lines[0], ==, "Type,Identity");
  /* 5000 - ceil(5000 / 3) = 3333 members, each once, then the trailing "". */
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 3333 + 1);
  for (guint i = 1; lines[i][0] != '\0'; i++)
    {
      g_assert_true (g_str_has_prefix (lines[i], "Identity,user-"));
      g_assert_true (g_hash_table_add (seen, lines[i]));
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 3333);
  g_clear_object (&ex);
  fx_release (&store);
  fx_rmdir (dir);
}

static SegMemberDiff *
diff_at (Fixture    *f,
         const char *json,
         const char *day,
         guint       max_ids)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SegDefinition) def = seg_definition_new_from_json (json, -1, &error);
  g_autoptr(GAsyncResult) res = NULL;
  SegMemberDiff *diff;

  g_assert_no_error (error);
  seg_member_diff_compute_async (SEG_STORE (f->store), def, fx_ms (day), 0, max_ids,
                                 NULL, fx_result_cb, &res);
  diff = seg_member_diff_compute_finish (fx_wait (&res), &error);
  g_assert_no_error (error);
  g_assert_nonnull (diff);
  return diff;
}

static void
test_diff (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(SegMemberDiff) d14 = diff_at (f, CHARGED_TODAY, "2024-06-14T15:00:00Z", 10);
  g_autoptr(SegMemberDiff) d15 = diff_at (f, CHARGED_TODAY, "2024-06-15T00:00:00Z", 1);
  g_autoptr(SegMemberDiff) ever = diff_at (f, CHARGED_EVER, "2024-06-14T00:00:00Z", 10);
  g_autoptr(GHashTable) joined = g_hash_table_new (g_str_hash, g_str_equal);

  /* On the 13th only a charged; on the 14th b and x,"y did, so a left and two joined. */
  g_assert_cmpint (seg_member_diff_get_day (d14), ==, fx_ms ("2024-06-14T00:00:00Z"));
  g_assert_cmpuint (seg_member_diff_get_n_before (d14), ==, 1);
  g_assert_cmpuint (seg_member_diff_get_n_after (d14), ==, 2);
  g_assert_cmpuint (seg_member_diff_get_n_joined (d14), ==, 2);
  g_assert_cmpuint (seg_member_diff_get_n_left (d14), ==, 1);
  g_assert_cmpstr (seg_member_diff_get_left (d14)[0], ==, "a");
  for (const char * const *j = seg_member_diff_get_joined (d14); *j != NULL; j++)
    g_hash_table_add (joined, (gpointer) *j);
  g_assert_true (g_hash_table_contains (joined, "b"));
  g_assert_true (g_hash_table_contains (joined, "x,\"y"));

  /* Today counts up to now; lists are capped, counts are not. */
  g_assert_cmpuint (seg_member_diff_get_n_joined (d15), ==, 1);
  g_assert_cmpuint (seg_member_diff_get_n_left (d15), ==, 2);
  g_assert_cmpuint (g_strv_length ((char **) seg_member_diff_get_left (d15)), ==, 1);

  /* "Ever" only grows. */
  g_assert_cmpuint (seg_member_diff_get_n_before (ever), ==, 2);
  g_assert_cmpuint (seg_member_diff_get_n_joined (ever), ==, 2);
  g_assert_cmpuint (seg_member_diff_get_n_left (ever), ==, 0);
}

static void
test_days (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GListModel) events = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Berlin");
  GTimeZone *utc = seg_store_get_timezone (SEG_STORE (f->store));
  gint64 d;

  seg_store_list_events_async (SEG_STORE (f->store), NULL, fx_result_cb, &res);
  events = seg_store_list_events_finish (SEG_STORE (f->store), fx_wait (&res), &error);
  g_assert_no_error (error);
  /* The oldest event is 2024-06-10T07:00Z, so the 11th is the first complete day. */
  g_assert_cmpint (seg_report_first_complete_day (utc, events), ==, fx_ms ("2024-06-11T00:00:00Z"));

  d = seg_report_day_start (utc, fx_ms ("2024-06-14T23:59:59Z"));
  g_assert_cmpint (d, ==, fx_ms ("2024-06-14T00:00:00Z"));
  g_assert_cmpint (seg_report_day_end (utc, d, fx_ms (NOW)), ==, fx_ms ("2024-06-14T23:59:59.999Z"));
  g_assert_cmpint (seg_report_day_end (utc, fx_ms ("2024-06-15T00:00:00Z"), fx_ms (NOW)), ==, fx_ms (NOW));
  g_assert_cmpuint (seg_report_days_between (utc, fx_ms ("2024-06-01T00:00:00Z"), d), ==, 14);
  /* Across the spring DST change in Berlin, the day is 23 hours. */
  d = seg_report_day_start (tz, fx_ms ("2024-03-31T12:00:00Z"));
  g_assert_cmpint (seg_report_day_add (tz, d, 1) - d, ==, 23 * 3600 * 1000);
  g_assert_cmpint (seg_report_day_add (tz, d, -1), ==, fx_ms ("2024-03-29T23:00:00Z"));
}

static SegUserProfile *
lookup (Fixture     *f,
        const char  *query,
        GError     **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  seg_user_lookup_async (SEG_STORE (f->store), query, NULL, fx_result_cb, &res);
  return seg_user_lookup_finish (fx_wait (&res), error);
}

static void
test_lookup (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SegUserProfile) by_id = lookup (f, " b ", &error);
  g_autoptr(SegUserProfile) by_email = NULL;
  g_autoptr(SegUserProfile) none = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (seg_user_profile_get_id (by_id), ==, "b");
  by_email = lookup (f, "A@Example.org", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (seg_user_profile_get_id (by_email), ==, "a");
  none = lookup (f, "nobody@example.org", &error);
  g_assert_null (none);
  g_assert_error (error, SEG_STORE_ERROR, SEG_STORE_ERROR_NOT_FOUND);
}

static void
test_csv_escape (void)
{
  struct { const char *in, *out; } cases[] = {
    { "plain", "plain" },
    { "", "" },
    { "a,b", "\"a,b\"" },
    { "say \"hi\"", "\"say \"\"hi\"\"\"" },
    { "line\nbreak", "\"line\nbreak\"" },
    { " padded", "\" padded\"" },
    { "Zoë", "Zoë" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = seg_csv_escape (cases[i].in);
      g_assert_cmpstr (got, ==, cases[i].out);
    }
}

#define ADD(name, func) \
  g_test_add ("/report-core/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("export/ids", test_export_ids);
  ADD ("export/custom-list", test_export_custom_list);
  ADD ("export/fields", test_export_fields);
  ADD ("export/cancel-before", test_export_cancel_before);
  ADD ("export/cancel-midway", test_export_cancel_midway);
  ADD ("export/bad-destination", test_export_bad_destination);
  g_test_add_func ("/report-core/export/large", test_export_large);
  ADD ("diff", test_diff);
  ADD ("days", test_days);
  ADD ("lookup", test_lookup);
  g_test_add_func ("/report-core/csv-escape", test_csv_escape);
  return g_test_run ();
}
