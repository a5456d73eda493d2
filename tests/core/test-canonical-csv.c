/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "seg-canonical-csv.h"
#include "seg-local-writer.h"
#include "store-fixture.h"

typedef struct
{
  char          *dir;
  char          *path;
  SegLocalStore *store;
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  f->dir = fx_tmpdir ();
  f->path = g_build_filename (f->dir, "store.db", NULL);
  f->store = fx_open (f->path, "Europe/Berlin");
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  fx_release (&f->store);
  fx_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static char *
write_file (Fixture    *f,
            const char *name,
            const char *contents,
            gssize      len)
{
  char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, len, NULL));
  return path;
}

static gboolean
import (Fixture              *f,
        const char           *path,
        SegCanonicalCsvStats *stats,
        GError              **error)
{
  g_autoptr(SegStoreWriter) w = seg_store_begin_write (SEG_STORE (f->store), error);
  gboolean ok = seg_canonical_csv_import (w, path, seg_store_get_timezone (SEG_STORE (f->store)),
                                          fx_ms ("2024-01-01T00:00:00Z"), stats, NULL, error);

  if (ok)
    ok = seg_store_writer_commit (w, NULL, error);
  return ok;
}

static void
test_events (Fixture       *f,
             gconstpointer  data)
{
  /* Seconds, milliseconds, ISO with Z, with an offset, without one (store time: Berlin,
   * UTC+2 in June), quoted fields with commas, quotes and newlines, CRLF line ends, a
   * missing last newline, and bad rows. */
  const char *csv =
    "\xEF\xBB\xBFuser_id,event,ts,amount,note,ok\r\n"
    "a,Charged,1718445600,12.5,plain,true\r\n"
    "b,Charged,1718445600000,7,\"with, comma\",false\r\n"
    "c,Charged,2024-06-15T10:00:00Z,1e2,\"say \"\"hi\"\"\",TRUE\n"
    "d,Charged,2024-06-15T12:00:00+02:00,,\"two\nlines\",\n"
    "e,Charged,2024-06-15 12:00:00,3,,false\n"
    ",Charged,1718445600,1,,\n"
    "f,,1718445600,1,,\n"
    "g,Charged,yesterday,1,,\n"
    "h,Charged,1718445600,1,x,true,extra\n"
    "\n"
    "i,Refund,1718445600,,,true";
  g_autofree char *path = write_file (f, "events.csv", csv, -1);
  g_autoptr(GError) error = NULL;
  SegCanonicalCsvStats st;

  g_assert_true (import (f, path, &st, &error));
  g_assert_no_error (error);
  g_assert_cmpint (st.kind, ==, SEG_CANONICAL_CSV_EVENTS);
  g_assert_cmpuint (st.rows_read, ==, 10);
  g_assert_cmpuint (st.records_added, ==, 6);
  g_assert_cmpuint (st.rejected, ==, 4);
  g_assert_true (g_str_has_suffix (g_ptr_array_index (st.rejects, 0), "events.csv:8: no user_id"));
  g_assert_true (g_str_has_suffix (g_ptr_array_index (st.rejects, 1), "events.csv:9: no event name"));
  g_assert_nonnull (strstr (g_ptr_array_index (st.rejects, 2), "events.csv:10: the timestamp"));
  g_assert_nonnull (strstr (g_ptr_array_index (st.rejects, 3), "events.csv:11: more fields"));
  seg_canonical_csv_stats_clear (&st);

  /* All five timestamps are 2024-06-15 10:00 UTC. */
  assert_members (f->store, "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"on\",\"date\":\"2024-06-15\"}}}",
                  "2024-06-16T00:00:00Z", "a,b,c,d,e");
  assert_members (f->store, "{\"match\":{\"did\":\"Charged\",\"when\":{\"type\":\"last\",\"n\":1,\"unit\":\"hours\"}}}",
                  "2024-06-15T10:30:00Z", "a,b,c,d,e");
  assert_members (f->store, "{\"match\":{\"did\":\"Charged\",\"where\":[{\"property\":\"amount\",\"op\":\"ge\",\"value\":12.5}]}}",
                  "2024-06-16T00:00:00Z", "a,c");
  assert_members (f->store, "{\"match\":{\"did\":\"Charged\",\"where\":[{\"property\":\"note\",\"op\":\"equals\",\"value\":\"with, comma\"}]}}",
                  "2024-06-16T00:00:00Z", "b");
  assert_members (f->store, "{\"match\":{\"did\":\"Charged\",\"where\":[{\"property\":\"note\",\"op\":\"equals\",\"value\":\"say \\\"hi\\\"\"}]}}",
                  "2024-06-16T00:00:00Z", "c");
  assert_members (f->store, "{\"match\":{\"did\":\"Charged\",\"where\":[{\"property\":\"note\",\"op\":\"equals\",\"value\":\"two\\nlines\"}]}}",
                  "2024-06-16T00:00:00Z", "d");
  assert_members (f->store, "{\"match\":{\"did\":\"Charged\",\"where\":[{\"property\":\"ok\",\"op\":\"is_true\"}]}}",
                  "2024-06-16T00:00:00Z", "a,c");
  assert_members (f->store, "{\"match\":{\"did\":\"Charged\",\"where\":[{\"property\":\"note\",\"op\":\"not_exists\"}]}}",
                  "2024-06-16T00:00:00Z", "e");
  assert_members (f->store, "{\"match\":{\"did\":\"Refund\",\"where\":[{\"property\":\"amount\",\"op\":\"exists\"}]}}",
                  "2024-06-16T00:00:00Z", "");
  assert_members (f->store, "{\"match\":{\"did\":\"Refund\"}}", "2024-06-16T00:00:00Z", "i");

  /* The same file again adds nothing. */
  g_assert_true (import (f, path, &st, &error));
  g_assert_true (st.already_imported);
  g_assert_cmpuint (st.rows_read, ==, 0);
  seg_canonical_csv_stats_clear (&st);
  g_assert_cmpuint (seg_local_store_get_n_events (f->store), ==, 6);
}

static void
test_profiles (Fixture       *f,
               gconstpointer  data)
{
  const char *csv =
    "user_id,city,email_optin,age,signup\n"
    "p1,New York,true,31,2024-05-01\n"
    "p2,\"Washington, D.C.\",false,,2024-05-02\n"
    "p3,,,45,\n";
  g_autofree char *path = write_file (f, "profiles.csv", csv, -1);
  g_autoptr(GError) error = NULL;
  SegCanonicalCsvStats st;

  g_assert_true (import (f, path, &st, &error));
  g_assert_cmpint (st.kind, ==, SEG_CANONICAL_CSV_PROFILES);
  g_assert_cmpuint (st.records_added, ==, 3);
  seg_canonical_csv_stats_clear (&st);

  assert_members (f->store, "{\"match\":{\"user\":{\"property\":\"city\",\"op\":\"equals\",\"value\":\"Washington, D.C.\"}}}", "2024-06-16T00:00:00Z", "p2");
  assert_members (f->store, "{\"match\":{\"user\":{\"property\":\"email_optin\",\"op\":\"is_false\"}}}", "2024-06-16T00:00:00Z", "p2");
  assert_members (f->store, "{\"match\":{\"user\":{\"property\":\"age\",\"op\":\"gt\",\"value\":40}}}", "2024-06-16T00:00:00Z", "p3");
  /* signup is a date column: "on" compares calendar days in the store's timezone. */
  assert_members (f->store, "{\"match\":{\"user\":{\"property\":\"signup\",\"op\":\"on\",\"value\":\"2024-05-02\"}}}", "2024-06-16T00:00:00Z", "p2");
  assert_members (f->store, "{\"match\":{\"user\":{\"property\":\"city\",\"op\":\"not_exists\"}}}", "2024-06-16T00:00:00Z", "p3");
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = write_file (f, "bad.csv", "name,city\nx,y\n", -1);
  g_autofree char *missing = g_build_filename (f->dir, "nope.csv", NULL);
  g_autoptr(GError) error = NULL;
  SegCanonicalCsvStats st;

  g_assert_false (import (f, path, &st, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "user_id"));
  seg_canonical_csv_stats_clear (&st);
  g_clear_error (&error);
  g_assert_false (import (f, missing, &st, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  seg_canonical_csv_stats_clear (&st);
  g_assert_cmpuint (seg_local_store_get_n_users (f->store), ==, 0);
}

/* Records longer than the reader's buffer, and many rows across buffer refills. */
static void
test_large (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GString) csv = g_string_new ("user_id,event,ts,blob\n");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  SegCanonicalCsvStats st;
  g_autofree char *huge = g_strnfill (20 * 1024 * 1024, 'x');

  for (int i = 0; i < 300000; i++)
    g_string_append_printf (csv, "user%d,Seen,%d,\"v%d\"\n", i % 5000, 1718445600 + i, i % 7);
  g_string_append_printf (csv, "big,Seen,1718445600,\"%s\"\n", huge);
  path = write_file (f, "large.csv", csv->str, (gssize) csv->len);
  g_assert_true (import (f, path, &st, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (st.rows_read, ==, 300001);
  g_assert_cmpuint (st.rejected, ==, 0);
  seg_canonical_csv_stats_clear (&st);
  g_assert_cmpuint (seg_local_store_get_n_users (f->store), ==, 5001);
  g_assert_cmpuint (seg_local_store_get_n_events (f->store), ==, 300001);
  assert_members (f->store, "{\"match\":{\"did\":\"Seen\",\"where\":[{\"property\":\"blob\",\"op\":\"starts_with\",\"value\":\"xxxxxxxx\"}]}}",
                  "2024-07-01T00:00:00Z", "big");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/CanonicalCsv/events", Fixture, NULL, setup, test_events, teardown);
  g_test_add ("/CanonicalCsv/profiles", Fixture, NULL, setup, test_profiles, teardown);
  g_test_add ("/CanonicalCsv/errors", Fixture, NULL, setup, test_errors, teardown);
  g_test_add ("/CanonicalCsv/large", Fixture, NULL, setup, test_large, teardown);
  return g_test_run ();
}
